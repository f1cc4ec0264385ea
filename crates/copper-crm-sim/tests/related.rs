//! Related items (pair rules, limits, both directions), connect-field links and files.

mod common;

use common::Api;
use copper_crm_sim::Entity;
use serde_json::{Value, json};

#[tokio::test]
async fn related_items_are_bidirectional_and_follow_the_pair_rules() {
    let api = Api::empty().await;
    let person = api.person("Pat Related", "pat@example.com").await;
    let company = api
        .post("/companies", json!({"name": "Rel Co"}))
        .await
        .expect(200)["id"]
        .as_i64()
        .unwrap();
    let company2 = api
        .post("/companies", json!({"name": "Rel Co 2"}))
        .await
        .expect(200)["id"]
        .as_i64()
        .unwrap();
    let opp = api
        .post(
            "/opportunities",
            json!({"name": "Rel Deal", "primary_contact_id": person}),
        )
        .await
        .expect(200)["id"]
        .as_i64()
        .unwrap();
    let lead = api
        .post("/leads", json!({"name": "Rel Lead"}))
        .await
        .expect(200)["id"]
        .as_i64()
        .unwrap();
    let task = api
        .post("/tasks", json!({"name": "Rel Task"}))
        .await
        .expect(200)["id"]
        .as_i64()
        .unwrap();

    let added = api
        .post(
            &format!("/opportunities/{opp}/related"),
            json!({"resource": {"id": person, "type": "person"}}),
        )
        .await
        .expect(200);
    assert_eq!(
        added,
        json!({"added": true, "resource": {"id": person, "type": "person"}})
    );
    assert_eq!(
        api.get(&format!("/people/{person}/related"))
            .await
            .expect(200),
        json!([{"id": opp, "type": "opportunity"}])
    );
    assert_eq!(
        api.get(&format!("/people/{person}/related/opportunities"))
            .await
            .expect(200),
        json!([{"id": opp, "type": "opportunity"}])
    );
    assert_eq!(
        api.get(&format!("/people/{person}/related/companies"))
            .await
            .expect(200),
        json!([])
    );
    assert_eq!(
        api.get(&format!("/people/{person}/related/planets"))
            .await
            .status,
        404
    );

    // A person has at most one company; the relation sets company_id.
    api.post(
        &format!("/people/{person}/related"),
        json!({"resource": {"id": company, "type": "company"}}),
    )
    .await
    .expect(200);
    let p = api.get(&format!("/people/{person}")).await.expect(200);
    assert_eq!(p["company_id"], company);
    assert_eq!(p["company_name"], "Rel Co");
    let r = api
        .post(
            &format!("/companies/{company2}/related"),
            json!({"resource": {"id": person, "type": "person"}}),
        )
        .await;
    assert_eq!(
        r.status, 422,
        "limit 1 company per person, from either side"
    );
    // Change company: delete the old relation, then add the new one.
    let removed = api
        .call(
            reqwest::Method::DELETE,
            &format!("/people/{person}/related"),
            Some(json!({"resource": {"id": company, "type": "company"}})),
        )
        .await
        .expect(200);
    assert_eq!(
        removed,
        json!({"removed": true, "resource": {"id": company, "type": "company"}})
    );
    assert_eq!(
        api.get(&format!("/people/{person}")).await.expect(200)["company_id"],
        Value::Null
    );
    api.post(
        &format!("/companies/{company2}/related"),
        json!({"resource": {"id": person, "type": "person"}}),
    )
    .await
    .expect(200);
    assert_eq!(
        api.get(&format!("/people/{person}")).await.expect(200)["company_id"],
        company2
    );

    // Pairs that are not allowed.
    for (path, res) in [
        (
            format!("/leads/{lead}/related"),
            json!({"id": person, "type": "person"}),
        ),
        (
            format!("/companies/{company}/related"),
            json!({"id": company2, "type": "company"}),
        ),
        (
            format!("/opportunities/{opp}/related"),
            json!({"id": lead, "type": "lead"}),
        ),
    ] {
        let r = api.post(&path, json!({"resource": res})).await;
        assert_eq!(r.status, 422, "{path} {res}");
    }
    // A task relates to at most one record, mirrored in related_resource.
    api.post(
        &format!("/leads/{lead}/related"),
        json!({"resource": {"id": task, "type": "task"}}),
    )
    .await
    .expect(200);
    let t = api.get(&format!("/tasks/{task}")).await.expect(200);
    assert_eq!(t["related_resource"], json!({"id": lead, "type": "lead"}));
    let r = api
        .post(
            &format!("/tasks/{task}/related"),
            json!({"resource": {"id": person, "type": "person"}}),
        )
        .await;
    assert_eq!(r.status, 422);
    let r = api
        .call(
            reqwest::Method::DELETE,
            &format!("/tasks/{task}/related"),
            Some(json!({"resource": {"id": person, "type": "person"}})),
        )
        .await;
    assert_eq!(r.status, 404, "removing a relation that does not exist");
    let r = api
        .post(
            &format!("/people/{person}/related"),
            json!({"resource": {"id": 1, "type": "opportunity"}}),
        )
        .await;
    assert_eq!(r.status, 422);
    assert_eq!(
        api.post(
            "/people/1/related",
            json!({"resource": {"id": opp, "type": "opportunity"}})
        )
        .await
        .status,
        404
    );
    let relations = api.sim.records(Entity::Relation);
    assert_eq!(relations.len(), api.sim.record_count(Entity::Relation));
    assert_eq!(relations.len(), 3);
    // Deleting a record removes its relations on both sides.
    api.delete(&format!("/opportunities/{opp}"))
        .await
        .expect(200);
    assert!(
        api.get(&format!("/people/{person}/related/opportunities"))
            .await
            .expect(200)
            .as_array()
            .unwrap()
            .is_empty()
    );
}

#[tokio::test]
async fn connect_field_links() {
    let api = Api::demo().await;
    let connect = api.cfd("Referred By").await["id"].as_i64().unwrap();
    let people = api
        .post("/people/search", json!({"page_size": 3, "sort_by": "name"}))
        .await
        .expect(200);
    let (a, b) = (
        people[0]["id"].as_i64().unwrap(),
        people[1]["id"].as_i64().unwrap(),
    );
    let link = api
        .post("/related_links", json!({"custom_field_definition_id": connect, "source": {"id": a, "entity_type": "people"}, "target": {"id": b, "entity_type": "people"}}))
        .await
        .expect(200);
    assert_eq!(link["custom_field_definition_id"], connect);
    assert_eq!(
        link["source"],
        json!({"id": a, "entity_type": "people", "name": people[0]["name"]})
    );
    assert_eq!(link["target"]["id"], b);
    let from_b = api
        .get(&format!("/related_links?source_type=people&source_id={b}"))
        .await
        .expect(200);
    assert!(
        from_b
            .as_array()
            .unwrap()
            .iter()
            .any(|l| l["target"]["id"] == a),
        "links go both ways"
    );
    let filtered = api
        .get(&format!(
            "/related_links?source_type=people&source_id={a}&custom_field_definition_id={connect}"
        ))
        .await
        .expect(200);
    assert_eq!(filtered.as_array().unwrap().len(), 1);
    let none = api
        .get(&format!(
            "/related_links?source_type=people&source_id={a}&custom_field_definition_id=1"
        ))
        .await
        .expect(200);
    assert_eq!(none, json!([]));
    let me = api.get("/users/me").await.expect(200);
    let to_user = api
        .post("/related_links", json!({"custom_field_definition_id": connect, "source": {"id": a, "entity_type": "people"}, "target": {"id": me["id"], "entity_type": "user"}}))
        .await
        .expect(200);
    assert_eq!(to_user["target"]["name"], me["name"]);
    let user_links = api
        .get(&format!(
            "/related_links?source_type=user&source_id={}",
            me["id"]
        ))
        .await
        .expect(200);
    assert_eq!(user_links, json!([]), "links to users are one-directional");
    let deleted = api
        .delete(&format!("/related_links/{}", link["id"]))
        .await
        .expect(200);
    assert_eq!(deleted["is_deleted"], true);
    assert_eq!(deleted["ids"].as_array().unwrap().len(), 2);
    let deleted = api
        .delete(&format!("/related_links/{}", to_user["id"]))
        .await
        .expect(200);
    assert_eq!(deleted["ids"], json!([to_user["id"]]));
    let color = api.cfd("Color").await["id"].clone();
    for bad in [
        json!({"custom_field_definition_id": color, "source": {"id": a, "entity_type": "people"}, "target": {"id": b, "entity_type": "people"}}),
        json!({"custom_field_definition_id": connect, "source": {"id": a, "entity_type": "planet"}, "target": {"id": b, "entity_type": "people"}}),
        json!({"custom_field_definition_id": connect, "source": {"id": 1, "entity_type": "people"}, "target": {"id": b, "entity_type": "people"}}),
    ] {
        assert_eq!(
            api.post("/related_links", bad.clone()).await.status,
            422,
            "{bad}"
        );
    }
    assert_eq!(
        api.get("/related_links?source_type=people").await.status,
        422
    );
}

#[tokio::test]
async fn files_metadata() {
    let api = Api::demo().await;
    let company = api
        .post("/companies/search", json!({"name": "Dunder"}))
        .await
        .expect(200)[0]["id"]
        .clone();
    let existing = api
        .get(&format!("/companies/{company}/files"))
        .await
        .expect(200);
    assert_eq!(existing.as_array().unwrap().len(), 1);
    let attached = api
        .post(
            &format!("/companies/{company}/files"),
            json!({"file_name": "cat.jpeg", "key": "temp_uploads/f0317718/b0c5afe5"}),
        )
        .await
        .expect(200);
    assert_eq!(attached["file_name"], "cat.jpeg");
    assert_eq!(attached["is_deleted"], false);
    assert_eq!(attached["content_type"], "binary/octet-stream");
    let me = api.get("/users/me").await.expect(200);
    assert_eq!(attached["creator_id"], me["id"]);
    let fid = attached["id"].clone();
    assert_eq!(
        api.get(&format!("/companies/{company}/files/{fid}"))
            .await
            .expect(200),
        attached
    );
    assert_eq!(
        api.get(&format!("/companies/{company}/files"))
            .await
            .expect(200)
            .as_array()
            .unwrap()
            .len(),
        2
    );
    let person = api
        .post("/people/search", json!({"page_size": 1}))
        .await
        .expect(200)[0]["id"]
        .clone();
    assert_eq!(
        api.get(&format!("/people/{person}/files/{fid}"))
            .await
            .status,
        404,
        "a file belongs to one record"
    );
    assert_eq!(
        api.post(
            &format!("/companies/{company}/files"),
            json!({"file_name": "x"})
        )
        .await
        .status,
        422
    );
    assert_eq!(
        api.post("/tasks/1/files", json!({"file_name": "x", "key": "k"}))
            .await
            .status,
        404,
        "tasks have no files"
    );
    let stored = api.sim.records(Entity::File);
    let rec = stored.iter().find(|f| f["id"] == fid).unwrap();
    assert_eq!(rec["key"], "temp_uploads/f0317718/b0c5afe5");
    assert_eq!(rec["owner"], json!({"id": company, "type": "company"}));
}
