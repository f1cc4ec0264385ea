//! Webhook subscriptions and notification delivery to a local listener.

mod common;

use std::time::Duration;

use axum::Router;
use axum::body::Bytes;
use axum::http::HeaderMap;
use axum::routing::post;
use common::Api;
use serde_json::{Value, json};
use tokio::sync::mpsc;

/// A local HTTP server that forwards every received notification.
async fn listener() -> (String, mpsc::UnboundedReceiver<(HeaderMap, Value)>) {
    let (tx, rx) = mpsc::unbounded_channel();
    let app = Router::new().route(
        "/hook",
        post(move |headers: HeaderMap, body: Bytes| {
            let tx = tx.clone();
            async move {
                let v: Value = serde_json::from_slice(&body).unwrap_or(Value::Null);
                let _ = tx.send((headers, v));
                "ok"
            }
        }),
    );
    let l = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/hook", l.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(l, app).await });
    (url, rx)
}

async fn next(rx: &mut mpsc::UnboundedReceiver<(HeaderMap, Value)>) -> (HeaderMap, Value) {
    tokio::time::timeout(Duration::from_secs(5), rx.recv())
        .await
        .expect("a notification arrives")
        .expect("listener alive")
}

async fn nothing_more(rx: &mut mpsc::UnboundedReceiver<(HeaderMap, Value)>) {
    assert!(
        tokio::time::timeout(Duration::from_millis(300), rx.recv())
            .await
            .is_err(),
        "no further notification"
    );
}

#[tokio::test]
async fn subscriptions_crud_and_invalid_targets() {
    let api = Api::empty().await;
    let (url, _rx) = listener().await;
    let created = api
        .post(
            "/webhooks",
            json!({"target": url, "type": "lead", "event": "update",
            "secret": {"secret": "hook_source", "key": "copper_notifications"},
            "headers": {"Authentication": "Bearer token"}, "custom_field_computed_values": true}),
        )
        .await
        .expect(200);
    assert_eq!(
        created["secret"],
        json!({"secret": "hook_source", "key": "copper_notifications"})
    );
    assert_eq!(
        created["headers"],
        json!({"Authentication": "Bearer token"})
    );
    assert_eq!(created["custom_field_computed_values"], true);
    assert!(created["created_at"].is_i64());
    let id = created["id"].clone();
    assert_eq!(
        api.get("/webhooks").await.expect(200),
        json!([created.clone()])
    );
    assert_eq!(
        api.get(&format!("/webhooks/{id}")).await.expect(200),
        created
    );
    let upd = api
        .put(
            &format!("/webhooks/{id}"),
            json!({"custom_field_computed_values": false, "headers": {}}),
        )
        .await
        .expect(200);
    assert_eq!(upd["custom_field_computed_values"], false);
    assert_eq!(upd["headers"], json!({}));
    assert_eq!(upd["secret"], created["secret"]);
    let invalid = json!({"success": false, "status": 422, "message": "Invalid input: Invalid URI For External Request"});
    for target in [
        "https://your.endpoint.here",
        "http://10.1.2.3/hook",
        "not a uri",
        "",
    ] {
        let r = api
            .post(
                "/webhooks",
                json!({"target": target, "type": "lead", "event": "new"}),
            )
            .await;
        assert_eq!(r.status, 422, "{target}");
        assert_eq!(r.body, invalid);
    }
    let r = api
        .put(
            &format!("/webhooks/{id}"),
            json!({"target": "https://example.com/x"}),
        )
        .await;
    assert_eq!(r.status, 422);
    assert_eq!(r.body, invalid);
    assert_eq!(
        api.post(
            "/webhooks",
            json!({"target": url, "type": "planet", "event": "new"})
        )
        .await
        .status,
        422
    );
    assert_eq!(
        api.post(
            "/webhooks",
            json!({"target": url, "type": "lead", "event": "explode"})
        )
        .await
        .status,
        422
    );
    assert_eq!(
        api.delete(&format!("/webhooks/{id}")).await.expect(200),
        json!({"id": id})
    );
    assert_eq!(api.get("/webhooks").await.expect(200), json!([]));
}

#[tokio::test]
async fn notifications_for_new_update_and_delete() {
    let api = Api::demo().await;
    let (url, mut rx) = listener().await;
    let secret = json!({"secret": "hook_source", "key": "copper_notifications"});
    let mut subs = Vec::new();
    for event in ["new", "update", "delete"] {
        let s = api
            .post("/webhooks", json!({"target": url, "type": "person", "event": event, "secret": secret, "headers": {"X-Hook-Test": event}}))
            .await
            .expect(200);
        subs.push(s["id"].clone());
    }
    let person = api.person("Hooked Person", "hooked@example.com").await;
    let (headers, n) = next(&mut rx).await;
    assert_eq!(n["ids"], json!([person]));
    assert_eq!(n["type"], "person");
    assert_eq!(n["event"], "new");
    assert_eq!(n["subscription_id"], subs[0]);
    assert_eq!(n["secret"], "hook_source");
    assert_eq!(n["key"], "copper_notifications");
    assert!(n.get("updated_attributes").is_none());
    let ts = n["timestamp"].as_str().unwrap();
    assert!(
        ts.len() == 24 && ts.ends_with('Z') && ts.as_bytes()[10] == b'T',
        "{ts}"
    );
    assert_eq!(headers.get("x-hook-test").unwrap(), "new");
    assert_eq!(headers.get("content-type").unwrap(), "application/json");

    let flavors = api.cfd("Flavors").await["id"].as_i64().unwrap();
    let (choc, van) = (
        api.option("Flavors", "Chocolate").await,
        api.option("Flavors", "Vanilla").await,
    );
    api.put(&format!("/people/{person}"), json!({"title": "CEO", "custom_fields": [{"custom_field_definition_id": flavors, "value": [choc]}]}))
        .await
        .expect(200);
    let (_, n) = next(&mut rx).await;
    assert_eq!(n["event"], "update");
    let doc: Value = serde_json::from_str(
        &std::fs::read_to_string(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../tests/fixtures/webhook_notification.request.non_computed_custom_fields.json"
        ))
        .unwrap(),
    )
    .unwrap();
    let keys = |v: &Value| v.as_object().unwrap().keys().cloned().collect::<Vec<_>>();
    assert_eq!(
        keys(&n),
        keys(&doc),
        "the notification has the documented keys"
    );
    assert_eq!(n["updated_attributes"]["title"], json!([null, "CEO"]));
    assert_eq!(
        n["updated_attributes"]["custom_fields"][flavors.to_string()],
        json!([null, [choc]])
    );
    assert!(n["updated_attributes"].get("date_modified").is_none());
    // With computed values the custom fields carry labels.
    api.put(
        &format!("/webhooks/{}", subs[1]),
        json!({"custom_field_computed_values": true}),
    )
    .await
    .expect(200);
    api.put(
        &format!("/people/{person}"),
        json!({"custom_fields": [{"custom_field_definition_id": flavors, "value": [choc, van]}]}),
    )
    .await
    .expect(200);
    let (_, n) = next(&mut rx).await;
    assert_eq!(
        n["updated_attributes"]["custom_fields"][flavors.to_string()],
        json!([["Chocolate"], ["Chocolate", "Vanilla"]])
    );
    // An update that changes nothing notifies nobody.
    api.put(&format!("/people/{person}"), json!({"title": "CEO"}))
        .await
        .expect(200);
    nothing_more(&mut rx).await;

    // Bulk creates are batched into one notification.
    let out = api
        .post(
            "/people/bulk_create",
            json!({"people": [{"name": "B1"}, {"name": "B2"}, {"name": "B3"}]}),
        )
        .await
        .expect(200);
    let (_, n) = next(&mut rx).await;
    assert_eq!(n["ids"], json!(common::ids(&out)));
    api.delete(&format!("/people/{person}")).await.expect(200);
    let (headers, n) = next(&mut rx).await;
    assert_eq!(n["event"], "delete");
    assert_eq!(n["ids"], json!([person]));
    assert_eq!(headers.get("x-hook-test").unwrap(), "delete");
    nothing_more(&mut rx).await;
    let deliveries = api.sim.deliveries();
    assert_eq!(deliveries.len(), 5);
    assert!(deliveries.iter().all(|d| d.status == Some(200)));
    assert_eq!(api.sim.stats().webhooks_sent, 5);
}

#[tokio::test]
async fn other_types_and_activities() {
    let api = Api::demo().await;
    let (url, mut rx) = listener().await;
    for (ty, event) in [
        ("lead", "delete"),
        ("opportunity", "new"),
        ("company", "new"),
        ("person", "new"),
        ("activity_log", "new"),
        ("activity_log", "update"),
    ] {
        api.post(
            "/webhooks",
            json!({"target": url, "type": ty, "event": event}),
        )
        .await
        .expect(200);
    }
    // Converting a lead: the lead goes away and a person, company and opportunity appear.
    let lead = api
        .post(
            "/leads",
            json!({"name": "Hook Lead", "company_name": "Hook Co"}),
        )
        .await
        .expect(200)["id"]
        .clone();
    api.post(
        &format!("/leads/{lead}/convert"),
        json!({"details": {"opportunity": {"name": "Hook Deal"}}}),
    )
    .await
    .expect(200);
    let mut seen = Vec::new();
    for _ in 0..4 {
        let (_, n) = next(&mut rx).await;
        seen.push((
            n["type"].as_str().unwrap().to_string(),
            n["event"].as_str().unwrap().to_string(),
        ));
    }
    seen.sort();
    assert_eq!(
        seen,
        [
            ("company", "new"),
            ("lead", "delete"),
            ("opportunity", "new"),
            ("person", "new")
        ]
        .map(|(a, b)| (a.to_string(), b.to_string()))
    );
    let person = api
        .post("/people/search", json!({"page_size": 1}))
        .await
        .expect(200)[0]["id"]
        .clone();
    let act = api
        .post("/activities", json!({"parent": {"type": "person", "id": person}, "type": {"category": "user", "id": 0}, "details": "hooked"}))
        .await
        .expect(200);
    let (_, n) = next(&mut rx).await;
    assert_eq!(
        (n["type"].as_str(), n["event"].as_str()),
        (Some("activity_log"), Some("new"))
    );
    assert_eq!(n["ids"], json!([act["id"]]));
    // Activity subscriptions only fire on "new" (Copper's support article).
    api.put(
        &format!("/activities/{}", act["id"]),
        json!({"details": "changed"}),
    )
    .await
    .expect(200);
    nothing_more(&mut rx).await;
}
