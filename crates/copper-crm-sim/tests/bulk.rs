//! Bulk create and update: the 10-item limit, request order and per-item failures.

mod common;

use common::Api;
use copper_crm_sim::Entity;
use serde_json::{Value, json};

#[tokio::test]
async fn more_than_ten_items_is_422() {
    let api = Api::empty().await;
    for (path, key) in [
        ("/people/bulk_create", "people"),
        ("/people/bulk_update", "people"),
        ("/leads/bulk_create", "leads"),
        ("/leads/bulk_update", "leads"),
        ("/companies/bulk_create", "companies"),
        ("/companies/bulk_update", "companies"),
        ("/opportunities/bulk_create", "opportunities"),
        ("/activities/bulk_create", "activities"),
    ] {
        let items: Vec<Value> = (0..11)
            .map(|i| json!({"name": format!("n{i}"), "id": i}))
            .collect();
        let r = api.post(path, json!({ key: items })).await;
        assert_eq!(r.status, 422, "{path}");
        assert_eq!(
            r.body,
            json!({"error": "Request size too large, limit is 10"})
        );
        let r = api.post(path, json!({"records": []})).await;
        assert_eq!(r.status, 422, "{path} without its key");
        let r = api.post(path, json!({ key: [] })).await;
        assert_eq!(r.expect(200), json!([]), "{path} empty");
    }
    assert_eq!(api.sim.record_count(Entity::Person), 0);
}

#[tokio::test]
async fn bulk_create_keeps_request_order_and_reports_failures() {
    let api = Api::empty().await;
    api.person("Taken", "taken@example.com").await;
    let items = json!({"people": [
        {"name": "First", "emails": [{"email": "first@example.com", "category": "work"}]},
        {"emails": [{"email": "noname@example.com"}]},
        {"name": "Third"},
        {"name": "Dup", "emails": [{"email": "taken@example.com"}]},
        {"name": "Fifth", "hair": "red"},
        {"name": "Sixth", "emails": [{"email": "first@example.com"}]},
        "not an object",
    ]});
    let out = api.post("/people/bulk_create", items).await.expect(200);
    let out = out.as_array().unwrap();
    assert_eq!(out.len(), 7);
    assert_eq!(out[0]["name"], "First");
    assert!(out[0]["id"].is_i64());
    assert!(
        out[0].get("leads_converted_from").is_some(),
        "bulk responses use the full shape"
    );
    assert_eq!(
        out[1],
        json!({"success": false, "message": {"name": [{"error": "can't be blank"}]}})
    );
    assert_eq!(out[2]["name"], "Third");
    assert_eq!(out[3]["success"], false);
    assert!(
        out[3]["message"]["emails"][0]["error"]
            .as_str()
            .unwrap()
            .contains("taken@example.com")
    );
    assert!(out[3].get("id").is_none(), "create failures carry no id");
    assert_eq!(
        out[4]["message"]["hair"][0]["error"],
        "unrecognized attribute"
    );
    assert_eq!(
        out[5]["success"], false,
        "emails taken earlier in the same request"
    );
    assert_eq!(out[6]["success"], false);
    assert_eq!(api.sim.record_count(Entity::Person), 3);
    let ids: Vec<i64> = [&out[0], &out[2]]
        .iter()
        .map(|r| r["id"].as_i64().unwrap())
        .collect();
    assert!(ids[0] < ids[1]);
}

#[tokio::test]
async fn bulk_update_failures_carry_the_id() {
    let api = Api::empty().await;
    let a = api.person("A Person", "a@example.com").await;
    let b = api.person("B Person", "b@example.com").await;
    let out = api
        .post(
            "/people/bulk_update",
            json!({"people": [
                {"id": b, "title": "Boss"},
                {"id": a, "name": null},
                {"id": 12345, "title": "ghost"},
                {"title": "no id"},
                {"id": a, "emails": [{"email": "b@example.com"}]},
                {"id": a, "title": "Second"},
            ]}),
        )
        .await
        .expect(200);
    let out = out.as_array().unwrap();
    assert_eq!(out[0]["id"], b);
    assert_eq!(out[0]["title"], "Boss");
    assert_eq!(
        out[1],
        json!({"success": false, "id": a, "message": {"name": [{"error": "can't be blank"}]}})
    );
    assert_eq!(
        out[2],
        json!({"success": false, "id": 12345, "message": {"id": [{"error": "not_found"}]}})
    );
    assert_eq!(out[3]["success"], false);
    assert!(out[3].get("id").is_none());
    assert_eq!(out[4]["id"], a);
    assert_eq!(out[4]["success"], false);
    assert_eq!(out[5]["title"], "Second");
    let stored = api.get(&format!("/people/{a}")).await.expect(200);
    assert_eq!(stored["name"], "A Person");
    assert_eq!(stored["emails"][0]["email"], "a@example.com");
}

#[tokio::test]
async fn other_bulk_endpoints() {
    let api = Api::demo().await;
    let person = api
        .post("/people/search", json!({"page_size": 1}))
        .await
        .expect(200)[0]["id"]
        .clone();
    let leads = api
        .post(
            "/leads/bulk_create",
            json!({"leads": [{"name": "L1"}, {"name": "L2", "status": "Open"}]}),
        )
        .await
        .expect(200);
    assert_eq!(leads[1]["status"], "Open");
    assert!(
        leads[0].get("monetary_unit").is_none(),
        "lead bulk create has the create shape"
    );
    let upd = api
        .post(
            "/leads/bulk_update",
            json!({"leads": [{"id": leads[0]["id"], "title": "T"}]}),
        )
        .await
        .expect(200);
    assert_eq!(upd[0]["title"], "T");
    assert!(upd[0].get("monetary_unit").is_some());
    let opps = api
        .post("/opportunities/bulk_create", json!({"opportunities": [{"name": "Deal One", "primary_contact_id": person}, {"name": "No contact"}]}))
        .await
        .expect(200);
    assert_eq!(opps[0]["name"], "Deal One");
    assert!(opps[0].get("converted_unit").is_some());
    assert_eq!(
        opps[1]["message"]["primary_contact_id"][0]["error"],
        "can't be blank"
    );
    let acts = api
        .post("/activities/bulk_create", json!({"activities": [
            {"parent": {"type": "person", "id": person}, "type": {"category": "user", "id": 0}, "details": "bulk note"},
            {"parent": {"type": "person", "id": 1}, "type": {"category": "user", "id": 0}, "details": "orphan"},
        ]}))
        .await
        .expect(200);
    assert_eq!(acts[0]["details"], "bulk note");
    assert_eq!(acts[1]["success"], false);
    let companies = api
        .post(
            "/companies/bulk_create",
            json!({"companies": [{"name": "New Co", "email_domain": "newco.example"}]}),
        )
        .await
        .expect(200);
    let cid = companies[0]["id"].clone();
    let upd = api
        .post(
            "/companies/bulk_update",
            json!({"companies": [{"id": cid, "details": "bulk"}]}),
        )
        .await
        .expect(200);
    assert_eq!(upd[0]["details"], "bulk");
}
