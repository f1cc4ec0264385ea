//! Create, get, update (partial, null clears), delete for every record type, and the rules
//! Copper applies: derived names, unique emails and domains, defaults, task completion,
//! interactions, activity stubs.

mod common;

use common::Api;
use copper_crm_sim::Entity;
use serde_json::{Value, json};

#[tokio::test]
async fn person_lifecycle_with_partial_updates() {
    let api = Api::demo().await;
    let created = api
        .post(
            "/people",
            json!({
                "name": "Michael Gary Scott, (sample)",
                "emails": [{"email": "mgs@example.com", "category": "work"}],
                "phone_numbers": [{"number": "415-555-1234", "category": "mobile"}],
                "address": {"street": "1725 Slough Avenue", "city": "Scranton", "state": "PA", "postal_code": "18505", "country": "US"},
                "title": "Regional Manager",
                "tags": ["boss", "boss", " paper "],
                "details": "World's best boss",
            }),
        )
        .await
        .expect(200);
    let id = created["id"].as_i64().unwrap();
    assert_eq!(created["first_name"], "Michael");
    assert_eq!(created["middle_name"], "Gary");
    assert_eq!(created["last_name"], "Scott");
    assert_eq!(created["suffix"], "(sample)");
    assert_eq!(created["prefix"], Value::Null);
    assert_eq!(created["tags"], json!(["boss", "paper"]));
    assert!(
        created["contact_type_id"].is_i64(),
        "a default contact type is set"
    );
    assert_eq!(created["company_id"], Value::Null);
    // Create responses carry no interaction_count (like the doc example); fetches do.
    assert!(created.get("interaction_count").is_none());
    let fetched = api.get(&format!("/people/{id}")).await.expect(200);
    assert_eq!(fetched["interaction_count"], 0);
    assert_eq!(fetched["name"], created["name"]);

    // Only the attributes sent change; null clears; an empty body changes nothing.
    let updated = api
        .put(
            &format!("/people/{id}"),
            json!({"title": null, "details": "Still the best"}),
        )
        .await
        .expect(200);
    assert_eq!(updated["title"], Value::Null);
    assert_eq!(updated["details"], "Still the best");
    assert_eq!(updated["emails"], created["emails"]);
    assert_eq!(updated["address"], created["address"]);
    assert_eq!(updated["tags"], created["tags"]);
    let cleared = api
        .put(
            &format!("/people/{id}"),
            json!({"address": null, "tags": null, "phone_numbers": []}),
        )
        .await
        .expect(200);
    assert_eq!(cleared["address"], Value::Null);
    assert_eq!(cleared["tags"], json!([]));
    assert_eq!(cleared["phone_numbers"], json!([]));
    assert_eq!(cleared["details"], "Still the best");
    let same = api
        .put(&format!("/people/{id}"), json!({}))
        .await
        .expect(200);
    assert_eq!(same, cleared);
    // Renaming re-derives the name parts.
    let renamed = api
        .put(
            &format!("/people/{id}"),
            json!({"name": "Dr. Michael Scott"}),
        )
        .await
        .expect(200);
    assert_eq!(renamed["prefix"], "Dr.");
    assert_eq!(renamed["suffix"], Value::Null);
    assert!(renamed["date_modified"].as_i64() >= created["date_modified"].as_i64());

    let before = api.sim.record_count(Entity::Person);
    let deleted = api.delete(&format!("/people/{id}")).await.expect(200);
    assert_eq!(deleted, json!({"id": id, "is_deleted": true}));
    assert_eq!(api.get(&format!("/people/{id}")).await.status, 404);
    assert_eq!(api.sim.record_count(Entity::Person), before - 1);
    // The email is free again.
    api.person("Someone Else", "mgs@example.com").await;
}

#[tokio::test]
async fn person_emails_are_unique() {
    let api = Api::empty().await;
    let first = api.person("Ada Lovelace", "ada@example.com").await;
    let r = api
        .post(
            "/people",
            json!({"name": "Impostor", "emails": [{"email": "ADA@example.com"}]}),
        )
        .await;
    assert_eq!(r.status, 422);
    assert!(
        r.body["message"]
            .as_str()
            .unwrap()
            .to_lowercase()
            .contains("ada@example.com is already")
    );
    let other = api.person("Grace Hopper", "grace@example.com").await;
    let r = api
        .put(
            &format!("/people/{other}"),
            json!({"emails": [{"email": "ada@example.com"}]}),
        )
        .await;
    assert_eq!(r.status, 422);
    // Updating a person with its own email is fine.
    api.put(
        &format!("/people/{first}"),
        json!({"emails": [{"email": "ada@example.com", "category": "personal"}]}),
    )
    .await
    .expect(200);
    let r = api
        .post(
            "/people",
            json!({"name": "Twice", "emails": [{"email": "t@x.com"}, {"email": "T@x.com"}]}),
        )
        .await;
    assert_eq!(r.status, 422);
    assert_eq!(api.sim.record_count(Entity::Person), 2);
    let found = api
        .post(
            "/people/fetch_by_email",
            json!({"email": "GRACE@example.com"}),
        )
        .await
        .expect(200);
    assert_eq!(found["id"], other);
    assert_eq!(found["interaction_count"], 0);
    assert_eq!(
        api.post(
            "/people/fetch_by_email",
            json!({"email": "nobody@example.com"})
        )
        .await
        .status,
        404
    );
    assert_eq!(
        api.post("/people/fetch_by_email", json!({})).await.status,
        422
    );
}

#[tokio::test]
async fn company_email_domains_are_unique() {
    let api = Api::empty().await;
    let c = api
        .post(
            "/companies",
            json!({"name": "Acme", "email_domain": "acme.com", "primary_contact_id": null}),
        )
        .await
        .expect(200);
    assert_eq!(c["contact_type_id"], Value::Null);
    assert_eq!(c["interaction_count"], 0);
    assert_eq!(c["primary_contact_id"], Value::Null);
    let dup = api
        .post(
            "/companies",
            json!({"name": "Acme 2", "email_domain": "ACME.com"}),
        )
        .await;
    assert_eq!(dup.status, 422);
    assert!(
        dup.body["message"]
            .as_str()
            .unwrap()
            .contains("email_domain")
    );
    // The documented sample sends primary_contact_id as a string.
    let p = api.person("Wile E. Coyote", "wile@acme.com").await;
    let c2 = api
        .post(
            "/companies",
            json!({"name": "Acme West", "primary_contact_id": p.to_string()}),
        )
        .await
        .expect(200);
    assert_eq!(c2["primary_contact_id"], p);
}

#[tokio::test]
async fn lead_defaults_and_status() {
    let api = Api::empty().await;
    let statuses = api.get("/lead_statuses").await.expect(200);
    let open = statuses
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["name"] == "Open")
        .unwrap()
        .clone();
    let lead = api
        .post("/leads", json!({"name": "Madonna", "email": {"email": "m@example.com", "category": "work"}, "monetary_value": 100}))
        .await
        .expect(200);
    assert_eq!(lead["first_name"], "Madonna");
    assert_eq!(lead["last_name"], Value::Null);
    assert_eq!(lead["status"], "New");
    assert!(lead.get("monetary_unit").is_none());
    let id = lead["id"].as_i64().unwrap();
    let by_name = api
        .put(&format!("/leads/{id}"), json!({"status": "open"}))
        .await
        .expect(200);
    assert_eq!(by_name["status"], "Open");
    assert_eq!(by_name["status_id"], open["id"]);
    assert_eq!(by_name["monetary_unit"], "USD");
    let junk_id = statuses
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["name"] == "Junk")
        .unwrap()["id"]
        .clone();
    let by_id = api
        .put(&format!("/leads/{id}"), json!({"status_id": junk_id}))
        .await
        .expect(200);
    assert_eq!(by_id["status"], "Junk");
    assert_eq!(
        api.put(&format!("/leads/{id}"), json!({"status": "Hot"}))
            .await
            .status,
        422
    );
    // Leads' email is a single object and is not unique.
    api.post(
        "/leads",
        json!({"name": "Other", "email": {"email": "m@example.com", "category": "work"}}),
    )
    .await
    .expect(200);
    let got = api.get(&format!("/leads/{id}")).await.expect(200);
    assert!(
        got.get("interaction_count").is_none(),
        "lead fetch shape has no interaction_count"
    );
    assert_eq!(
        api.delete(&format!("/leads/{id}")).await.expect(200),
        json!({"id": id, "is_deleted": true})
    );
}

#[tokio::test]
async fn opportunity_defaults_pipelines_and_stages() {
    let api = Api::demo().await;
    let person = api
        .post("/people/search", json!({"name": "Jim Halpert"}))
        .await
        .expect(200)[0]
        .clone();
    let pipelines = api.get("/pipelines").await.expect(200);
    let sales = &pipelines[0];
    let opp = api
        .post("/opportunities", json!({"name": "Big Deal", "primary_contact_id": person["id"], "close_date": "01/05/2026"}))
        .await
        .expect(200);
    assert_eq!(opp["pipeline_id"], sales["id"]);
    assert_eq!(opp["pipeline_stage_id"], sales["stages"][0]["id"]);
    assert_eq!(
        opp["win_probability"],
        sales["stages"][0]["win_probability"]
    );
    assert_eq!(opp["status"], "Open");
    assert_eq!(opp["priority"], "None");
    assert_eq!(opp["close_date"], "1/5/2026");
    assert_eq!(
        opp["company_id"], person["company_id"],
        "company derived from the primary contact"
    );
    assert_eq!(opp["company_name"], person["company_name"]);
    assert_eq!(opp["pipeline_type"], "opportunity");
    assert_eq!(opp["pipeline_is_revenue"], true);
    assert_eq!(opp["leads_converted_from"], json!([]));
    let id = opp["id"].as_i64().unwrap();
    let stage2 = &sales["stages"][2];
    let moved = api
        .put(
            &format!("/opportunities/{id}"),
            json!({"pipeline_stage_id": stage2["id"], "monetary_value": 1500.5}),
        )
        .await
        .expect(200);
    assert_eq!(moved["win_probability"], stage2["win_probability"]);
    assert_eq!(moved["monetary_value"], 1500.5);
    let other_pipeline = &pipelines[1];
    let wrong = api
        .put(
            &format!("/opportunities/{id}"),
            json!({"pipeline_stage_id": other_pipeline["stages"][0]["id"]}),
        )
        .await;
    assert_eq!(wrong.status, 422);
    let switched = api
        .put(
            &format!("/opportunities/{id}"),
            json!({"pipeline_id": other_pipeline["id"]}),
        )
        .await
        .expect(200);
    assert_eq!(
        switched["pipeline_stage_id"],
        other_pipeline["stages"][0]["id"]
    );
    assert_eq!(switched["pipeline_is_revenue"], false);
    let lost = api
        .put(
            &format!("/opportunities/{id}"),
            json!({"status": "lost", "priority": null}),
        )
        .await
        .expect(200);
    assert_eq!(lost["status"], "Lost");
    assert_eq!(lost["priority"], Value::Null);
}

#[tokio::test]
async fn tasks_and_projects() {
    let api = Api::demo().await;
    let task = api
        .post("/tasks", json!({"name": "Demo Task"}))
        .await
        .expect(200);
    assert_eq!(task["related_resource"], json!({"id": null, "type": null}));
    assert_eq!(task["status"], "Open");
    assert_eq!(task["priority"], "None");
    assert_eq!(task["completed_date"], Value::Null);
    let me = api.get("/users/me").await.expect(200);
    assert_eq!(
        task["assignee_id"], me["id"],
        "assignee defaults to the API user"
    );
    let id = task["id"].as_i64().unwrap();
    let done = api
        .put(&format!("/tasks/{id}"), json!({"status": "Completed"}))
        .await
        .expect(200);
    assert!(done["completed_date"].is_i64());
    let reopened = api
        .put(&format!("/tasks/{id}"), json!({"status": "Open"}))
        .await
        .expect(200);
    assert_eq!(reopened["completed_date"], Value::Null);
    let project = api
        .post("/projects", json!({"name": "Launch"}))
        .await
        .expect(200);
    assert_eq!(project["related_resource"], Value::Null);
    assert_eq!(project["status"], "Open");
    let pid = project["id"].as_i64().unwrap();
    let related = api
        .put(
            &format!("/tasks/{id}"),
            json!({"related_resource": {"id": pid, "type": "project"}}),
        )
        .await
        .expect(200);
    assert_eq!(
        related["related_resource"],
        json!({"id": pid, "type": "project"})
    );
    let items = api
        .get(&format!("/projects/{pid}/related"))
        .await
        .expect(200);
    assert_eq!(items, json!([{"id": id, "type": "task"}]));
    assert_eq!(
        api.put(
            &format!("/tasks/{id}"),
            json!({"related_resource": {"id": 1, "type": "project"}})
        )
        .await
        .status,
        422
    );
    assert_eq!(
        api.delete(&format!("/projects/{pid}")).await.expect(200)["is_deleted"],
        true
    );
    let after = api.get(&format!("/tasks/{id}")).await.expect(200);
    assert_eq!(after["related_resource"], json!({"id": null, "type": null}));
}

#[tokio::test]
async fn activities_count_interactions_and_leave_stubs() {
    let api = Api::demo().await;
    let person = api.person("Call Me", "call@example.com").await;
    let types = api.get("/activity_types").await.expect(200);
    assert_eq!(types["user"][0]["id"], 0);
    assert_eq!(types["user"][0]["name"], "Note");
    assert_eq!(types["system"][0]["id"], 1);
    let phone = types["user"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["name"] == "Phone Call")
        .unwrap()["id"]
        .clone();
    let note = api
        .post("/activities", json!({"parent": {"type": "person", "id": person}, "type": {"category": "user", "id": 0}, "details": "a note"}))
        .await
        .expect(200);
    assert!(note["activity_date"].is_i64());
    assert_eq!(note["old_value"], Value::Null);
    let call = api
        .post("/activities", json!({"parent": {"type": "person", "id": person}, "type": {"category": "user", "id": phone}, "details": "a call", "activity_date": 1_700_000_000}))
        .await
        .expect(200);
    let p = api.get(&format!("/people/{person}")).await.expect(200);
    assert_eq!(p["interaction_count"], 1, "only interaction types count");
    let full = api
        .post("/people/search", json!({"ids": [person]}))
        .await
        .expect(200);
    assert_eq!(full[0]["date_last_contacted"], 1_700_000_000);
    assert_eq!(
        api.post("/activities", json!({"parent": {"type": "person", "id": person}, "type": {"category": "system", "id": 1}, "details": "x"})).await.status,
        422,
        "system activities cannot be created"
    );
    let cid = call["id"].as_i64().unwrap();
    assert!(
        cid > i64::from(i32::MAX),
        "activity ids overflow int32 like Copper's"
    );
    let upd = api
        .put(
            &format!("/activities/{cid}"),
            json!({"details": "a longer call"}),
        )
        .await
        .expect(200);
    assert_eq!(upd["details"], "a longer call");
    assert_eq!(upd["type"], call["type"]);
    assert_eq!(
        api.delete(&format!("/activities/{cid}")).await.expect(200),
        json!({"id": cid, "is_deleted": true})
    );
    assert_eq!(
        api.get(&format!("/activities/{cid}")).await.expect(200),
        json!({"id": cid, "is_deleted": true})
    );
    assert_eq!(
        api.put(&format!("/activities/{cid}"), json!({"details": "x"}))
            .await
            .status,
        404
    );
    let p = api.get(&format!("/people/{person}")).await.expect(200);
    assert_eq!(p["interaction_count"], 0);
    let list = api
        .post(&format!("/people/{person}/activities"), json!({}))
        .await
        .expect(200);
    assert_eq!(common::ids(&list), vec![note["id"].as_i64().unwrap()]);
}

#[tokio::test]
async fn deleting_a_company_cascades() {
    let api = Api::demo().await;
    let company = api
        .post("/companies/search", json!({"name": "Dunder Mifflin"}))
        .await
        .expect(200)[0]
        .clone();
    let cid = company["id"].as_i64().unwrap();
    let people = api
        .post("/people/search", json!({"company_ids": [cid]}))
        .await
        .expect(200);
    assert!(!people.as_array().unwrap().is_empty());
    let acts = api
        .post(&format!("/companies/{cid}/activities"), json!({}))
        .await
        .expect(200);
    assert!(
        acts.as_array()
            .unwrap()
            .iter()
            .any(|a| a["parent"]["type"] == "person"),
        "company activities include its people's"
    );
    api.delete(&format!("/companies/{cid}")).await.expect(200);
    for p in people.as_array().unwrap() {
        let again = api.get(&format!("/people/{}", p["id"])).await.expect(200);
        assert_eq!(again["company_id"], Value::Null);
        assert_eq!(again["company_name"], Value::Null);
    }
    assert_eq!(
        api.get(&format!("/companies/{cid}/files")).await.status,
        404
    );
    assert!(
        api.sim
            .records(Entity::File)
            .iter()
            .all(|f| f["owner"]["id"] != cid)
    );
}
