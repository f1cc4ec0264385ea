//! Lead upsert (by name, email and custom field; 0, 1 or several matches) and convert.

mod common;

use common::Api;
use copper_crm_sim::Entity;
use serde_json::{Value, json};

#[tokio::test]
async fn upsert_creates_updates_or_refuses() {
    let api = Api::demo().await;
    let before = api.sim.record_count(Entity::Lead);
    let body = json!({
        "properties": {"name": "My Lead", "email": {"email": "mylead@gmail.test", "category": "work"}},
        "match": {"field_name": "email", "field_value": "mylead@gmail.test"}
    });
    let created = api.put("/leads/upsert", body.clone()).await.expect(200);
    assert_eq!(api.sim.record_count(Entity::Lead), before + 1);
    assert_eq!(
        created["monetary_unit"],
        Value::Null,
        "upsert responses have the full lead shape"
    );
    let id = created["id"].clone();
    let again = api
        .put("/leads/upsert", json!({"properties": {"title": "CTO"}, "match": {"field_name": "email", "field_value": "MyLead@gmail.test"}}))
        .await
        .expect(200);
    assert_eq!(again["id"], id);
    assert_eq!(again["title"], "CTO");
    assert_eq!(again["name"], "My Lead");
    assert_eq!(api.sim.record_count(Entity::Lead), before + 1);
    let by_name = api
        .put("/leads/upsert", json!({"properties": {"details": "found by name"}, "match": {"field_name": "name", "field_value": "my lead"}}))
        .await
        .expect(200);
    assert_eq!(by_name["id"], id);
    // A second lead with the same email makes the match ambiguous.
    let twin = api
        .post(
            "/leads",
            json!({"name": "Twin", "email": {"email": "mylead@gmail.test", "category": "work"}}),
        )
        .await
        .expect(200);
    let r = api.put("/leads/upsert", body).await;
    assert_eq!(r.status, 422);
    common::assert_error_shape(&r.body);
    let msg = r.body["message"].as_str().unwrap();
    assert!(
        msg.contains(&id.to_string()) && msg.contains(&twin["id"].to_string()),
        "{msg}"
    );
    assert_eq!(api.sim.record_count(Entity::Lead), before + 2);
    assert_eq!(
        api.put(
            "/leads/upsert",
            json!({"properties": {}, "match": {"field_name": "phone", "field_value": "1"}})
        )
        .await
        .status,
        422
    );
    assert_eq!(
        api.put("/leads/upsert", json!({"properties": {}}))
            .await
            .status,
        422
    );
    assert_eq!(
        api.put("/leads/upsert", json!({"properties": {}, "match": {"field_name": "email", "field_value": "x@y.z"}, "extra": 1})).await.status,
        422
    );
}

#[tokio::test]
async fn upsert_by_custom_field_needs_a_filterable_lead_field() {
    let api = Api::demo().await;
    let key = api.cfd("Account Key").await["id"].clone();
    let notes = api.cfd("Notes").await["id"].clone();
    let existing = api.sim.records(Entity::Lead).into_iter().find(|l| {
        l["custom_fields"]
            .as_array()
            .unwrap()
            .iter()
            .any(|c| c["custom_field_definition_id"] == key && c["value"] == "L-0002")
    });
    let existing = existing.expect("demo lead with key L-0002");
    let updated = api
        .put("/leads/upsert", json!({
            "properties": {"details": "via custom"},
            "match": {"field_name": "custom", "field_value": {"custom_field_definition_id": key, "value": "L-0002"}}
        }))
        .await
        .expect(200);
    assert_eq!(updated["id"], existing["id"]);
    assert_eq!(updated["details"], "via custom");
    let created = api
        .put("/leads/upsert", json!({
            "properties": {"name": "Fresh", "custom_fields": [{"custom_field_definition_id": key, "value": "L-9999"}]},
            "match": {"field_name": "custom", "field_value": {"custom_field_definition_id": key, "value": "L-9999"}}
        }))
        .await
        .expect(200);
    assert_ne!(created["id"], existing["id"]);
    // "Notes" is not filterable: matching on it is refused.
    let r = api
        .put("/leads/upsert", json!({
            "properties": {"name": "x"},
            "match": {"field_name": "custom", "field_value": {"custom_field_definition_id": notes, "value": "x"}}
        }))
        .await;
    assert_eq!(r.status, 422);
    assert!(r.body["message"].as_str().unwrap().contains("filter"));
}

#[tokio::test]
async fn upsert_with_more_than_30_matches_lists_no_ids() {
    let api = Api::empty().await;
    let mut first = 0;
    for i in 0..31 {
        let id = api
            .post("/leads", json!({"name": "Same Name"}))
            .await
            .expect(200)["id"]
            .as_i64()
            .unwrap();
        if i == 0 {
            first = id;
        }
    }
    let r = api
        .put(
            "/leads/upsert",
            json!({"properties": {}, "match": {"field_name": "name", "field_value": "Same Name"}}),
        )
        .await;
    assert_eq!(r.status, 422);
    let msg = r.body["message"].as_str().unwrap();
    assert!(msg.contains("more than 30"), "{msg}");
    assert!(!msg.contains(&first.to_string()), "{msg}");
}

#[tokio::test]
async fn convert_creates_person_company_and_opportunity_and_removes_the_lead() {
    let api = Api::demo().await;
    let pipelines = api.get("/pipelines").await.expect(200);
    let color = api.cfd("Color").await["id"].clone();
    let lead = api
        .post("/leads", json!({
            "name": "My Contact",
            "email": {"email": "mylead@noemail.com", "category": "work"},
            "company_name": "Noemail",
            "monetary_value": 1000,
            "tags": ["hot"],
            "custom_fields": [{"custom_field_definition_id": color, "value": api.option("Color", "Blue").await}],
        }))
        .await
        .expect(200);
    let id = lead["id"].as_i64().unwrap();
    let counts = |e| api.sim.record_count(e);
    let (people, companies, opps, leads) = (
        counts(Entity::Person),
        counts(Entity::Company),
        counts(Entity::Opportunity),
        counts(Entity::Lead),
    );
    let out = api
        .post(&format!("/leads/{id}/convert"), json!({"details": {
            "person": {"name": "John Doe"},
            "opportunity": {"name": "Demo Project", "pipeline_id": pipelines[0]["id"], "monetary_value": 1000}
        }}))
        .await
        .expect(200);
    let (person, company, opp) = (&out["person"], &out["company"], &out["opportunity"]);
    assert_eq!(person["name"], "John Doe");
    assert_eq!(
        person["emails"],
        json!([{"email": "mylead@noemail.com", "category": "work"}])
    );
    assert_eq!(person["company_id"], company["id"]);
    assert_eq!(person["company_name"], "Noemail");
    assert_eq!(person["tags"], json!(["hot"]));
    assert_eq!(company["name"], "Noemail");
    assert_eq!(company["email_domain"], "noemail.com");
    assert_eq!(opp["primary_contact_id"], person["id"]);
    assert_eq!(opp["company_id"], company["id"]);
    assert_eq!(
        opp["pipeline_stage_id"], pipelines[0]["stages"][0]["id"],
        "first stage by default"
    );
    assert_eq!(opp["monetary_value"], 1000);
    assert_eq!(opp["priority"], Value::Null);
    let carried = person["custom_fields"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["custom_field_definition_id"] == color)
        .unwrap();
    assert_eq!(
        carried["value"],
        api.option("Color", "Blue").await,
        "custom field values carry over"
    );
    assert_eq!(counts(Entity::Person), people + 1);
    assert_eq!(counts(Entity::Company), companies + 1);
    assert_eq!(counts(Entity::Opportunity), opps + 1);
    assert_eq!(counts(Entity::Lead), leads - 1);
    assert_eq!(api.get(&format!("/leads/{id}")).await.status, 404);
    // Converted leads only show in searches that include them.
    let normal = api
        .post("/leads/search", json!({"ids": [id]}))
        .await
        .expect(200);
    assert_eq!(normal, json!([]));
    let with = api
        .post(
            "/leads/search",
            json!({"ids": [id], "include_converted_leads": true}),
        )
        .await
        .expect(200);
    assert_eq!(with[0]["converted_contact_id"], person["id"]);
    assert_eq!(with[0]["converted_opportunity_id"], opp["id"]);
    assert!(with[0]["converted_at"].is_i64());
    let p = api
        .post("/people/search", json!({"ids": [person["id"]]}))
        .await
        .expect(200);
    assert_eq!(p[0]["leads_converted_from"][0]["lead_id"], id);
    assert_eq!(p[0]["date_lead_created"], lead["date_created"]);
    assert_eq!(
        api.post(&format!("/leads/{id}/convert"), json!({"details": {}}))
            .await
            .status,
        404
    );
}

#[tokio::test]
async fn convert_options_company_id_empty_name_and_rollback() {
    let api = Api::demo().await;
    let company = api
        .post("/companies/search", json!({"name": "Initech"}))
        .await
        .expect(200)[0]["id"]
        .clone();
    let lead = api
        .post(
            "/leads",
            json!({"name": "Milton Waddams", "company_name": "Initech"}),
        )
        .await
        .expect(200);
    let out = api
        .post(
            &format!("/leads/{}/convert", lead["id"]),
            json!({"details": {"company": {"id": company}}}),
        )
        .await
        .expect(200);
    assert_eq!(out["person"]["company_id"], company);
    assert_eq!(
        out["opportunity"],
        Value::Null,
        "no opportunity unless asked"
    );
    let lead = api
        .post(
            "/leads",
            json!({"name": "Loner", "company_name": "Nobody Inc"}),
        )
        .await
        .expect(200);
    let companies = api.sim.record_count(Entity::Company);
    let out = api
        .post(
            &format!("/leads/{}/convert", lead["id"]),
            json!({"details": {"company": {"name": ""}}}),
        )
        .await
        .expect(200);
    assert_eq!(out["company"], Value::Null);
    assert_eq!(out["person"]["company_id"], Value::Null);
    assert_eq!(api.sim.record_count(Entity::Company), companies);
    // A lead whose email belongs to a person cannot become a second person: nothing changes.
    let lead = api
        .post("/leads", json!({"name": "Dup", "company_name": "Brand New Co", "email": {"email": "michael@dundermifflin.com", "category": "work"}}))
        .await
        .expect(200);
    let r = api
        .post(
            &format!("/leads/{}/convert", lead["id"]),
            json!({"details": {}}),
        )
        .await;
    assert_eq!(r.status, 422);
    assert!(
        r.body["message"]
            .as_str()
            .unwrap()
            .contains("details.person.emails")
    );
    assert_eq!(
        api.sim.record_count(Entity::Company),
        companies,
        "the new company was rolled back"
    );
    api.get(&format!("/leads/{}", lead["id"])).await.expect(200);
    let r = api
        .post(
            &format!("/leads/{}/convert", lead["id"]),
            json!({"details": {"company": {"id": company, "name": "x"}}}),
        )
        .await;
    assert_eq!(r.status, 422);
    let r = api
        .post(
            &format!("/leads/{}/convert", lead["id"]),
            json!({"details": {"person": {"nickname": "x"}}}),
        )
        .await;
    assert_eq!(r.status, 422);
    assert_eq!(
        r.body["error"],
        "Unrecognized attributes specified: details.person.nickname"
    );
}
