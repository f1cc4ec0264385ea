//! Authentication and bad input: 401, 400, 422 (unknown attributes, validation), 404.

mod common;

use common::{Api, assert_error_shape};
use reqwest::Method;
use serde_json::json;

async fn status_with(api: &Api, headers: &[(&str, &str)]) -> (u16, serde_json::Value) {
    let mut req = reqwest::Client::new().get(format!("{}/account", api.base));
    for (k, v) in headers {
        req = req.header(*k, *v);
    }
    let resp = common::to_resp(req.send().await.unwrap()).await;
    (resp.status, resp.body)
}

#[tokio::test]
async fn credentials_are_checked() {
    let api = Api::empty().await;
    let good = [
        ("X-PW-AccessToken", "sim-api-key"),
        ("X-PW-Application", "developer_api"),
        ("X-PW-UserEmail", "sim@example.com"),
    ];
    assert_eq!(status_with(&api, &good).await.0, 200);
    // The email is compared case-insensitively.
    let mut upper = good;
    upper[2].1 = "SIM@Example.com";
    assert_eq!(status_with(&api, &upper).await.0, 200);
    for broken in 0..3 {
        let mut h = good.to_vec();
        h[broken].1 = "wrong";
        let (status, body) = status_with(&api, &h).await;
        assert_eq!(status, 401, "header {} wrong", h[broken].0);
        assert_error_shape(&body);
        assert_eq!(body["status"], 401);
        let mut missing = good.to_vec();
        missing.remove(broken);
        assert_eq!(status_with(&api, &missing).await.0, 401);
    }
    assert_eq!(status_with(&api, &[]).await.0, 401);
    assert_eq!(
        status_with(&api, &[("Authorization", "Bearer sim-oauth-token")])
            .await
            .0,
        200
    );
    assert_eq!(
        status_with(&api, &[("Authorization", "Bearer nope")])
            .await
            .0,
        401
    );
    assert_eq!(api.sim.stats().unauthorized, 8);
}

#[tokio::test]
async fn custom_credentials_replace_the_defaults() {
    let api = Api::start(
        copper_crm_sim::Sim::builder()
            .api_key("k1")
            .email("owner@corp.example")
            .bearer_token("t1")
            .limits(copper_crm_sim::Limits::Off),
    )
    .await;
    assert_eq!(api.get("/account").await.status, 401);
    let ok = [
        ("X-PW-AccessToken", "k1"),
        ("X-PW-Application", "developer_api"),
        ("X-PW-UserEmail", "owner@corp.example"),
    ];
    assert_eq!(status_with(&api, &ok).await.0, 200);
    assert_eq!(
        status_with(&api, &[("Authorization", "Bearer t1")]).await.0,
        200
    );
    // users/me is the owner of the credentials.
    let mut req = reqwest::Client::new().get(format!("{}/users/me", api.base));
    for (k, v) in ok {
        req = req.header(k, v);
    }
    let me: serde_json::Value = req.send().await.unwrap().json().await.unwrap();
    assert_eq!(me["email"], "owner@corp.example");
}

#[tokio::test]
async fn malformed_json_is_400() {
    let api = Api::empty().await;
    for body in ["{\"name\": ", "[1, 2]", "nope"] {
        let r = api.raw(Method::POST, "/people", body).await;
        assert_eq!(r.status, 400, "{body}");
        assert_error_shape(&r.body);
        assert!(r.body["message"].as_str().unwrap().contains("JSON"));
    }
    assert_eq!(
        api.raw(Method::POST, "/people/search", "{").await.status,
        400
    );
    assert_eq!(api.sim.record_count(copper_crm_sim::Entity::Person), 0);
}

#[tokio::test]
async fn unknown_attributes_are_named() {
    let api = Api::empty().await;
    let r = api
        .post(
            "/people",
            json!({"name": "A B", "favourite_colour": "red", "shoe_size": 9}),
        )
        .await;
    assert_eq!(r.status, 422);
    assert_error_shape(&r.body);
    assert_eq!(
        r.body["error"],
        "Unrecognized attributes specified: favourite_colour, shoe_size"
    );
    let id = api.person("Ada Lovelace", "ada@example.com").await;
    let r = api
        .put(&format!("/people/{id}"), json!({"nickname": "Ada"}))
        .await;
    assert_eq!(r.status, 422);
    assert_eq!(
        r.body["error"],
        "Unrecognized attributes specified: nickname"
    );
    // Read-only attributes of the record are accepted (and ignored) so records round-trip.
    let full = api.get(&format!("/people/{id}")).await.expect(200);
    let back = api
        .put(&format!("/people/{id}"), full.clone())
        .await
        .expect(200);
    assert_eq!(back["id"], full["id"]);
    assert_eq!(back["date_modified"], full["date_modified"]);
}

#[tokio::test]
async fn validation_failures_are_422_with_the_field() {
    let api = Api::empty().await;
    for (path, body, field) in [
        ("/people", json!({}), "name"),
        ("/people", json!({"name": ""}), "name"),
        ("/leads", json!({"email": {"email": "x@y.com"}}), "name"),
        ("/companies", json!({"name": null}), "name"),
        ("/projects", json!({"details": "no name"}), "name"),
        (
            "/tasks",
            json!({"name": "t", "priority": "Urgent"}),
            "priority",
        ),
        (
            "/people",
            json!({"name": "A", "emails": [{"email": "not-an-email"}]}),
            "emails",
        ),
        (
            "/people",
            json!({"name": "A", "emails": [{"email": "a@b.com", "category": "home"}]}),
            "emails",
        ),
        (
            "/people",
            json!({"name": "A", "assignee_id": 1}),
            "assignee_id",
        ),
        ("/people", json!({"name": "A", "tags": "one"}), "tags"),
        (
            "/opportunities",
            json!({"name": "deal"}),
            "primary_contact_id",
        ),
        (
            "/opportunities",
            json!({"name": "deal", "primary_contact_id": 1, "close_date": "2025-01-01"}),
            "close_date",
        ),
    ] {
        let r = api.post(path, body.clone()).await;
        assert_eq!(r.status, 422, "{path} {body}: {}", r.body);
        assert_error_shape(&r.body);
        assert_eq!(r.body["success"], false);
        let msg = r.body["message"].as_str().unwrap();
        assert!(
            msg.contains(field),
            "{path} {body}: {msg} should name {field}"
        );
    }
    assert_eq!(
        api.sim.stats().record_count(copper_crm_sim::Entity::Person),
        0
    );
}

#[tokio::test]
async fn unknown_ids_are_404_not_found() {
    let api = Api::empty().await;
    for path in [
        "/people/1",
        "/leads/999",
        "/companies/abc",
        "/opportunities/1",
        "/projects/1",
        "/tasks/1",
        "/activities/1",
        "/users/1",
        "/webhooks/1",
        "/custom_field_definitions/1",
        "/custom_activity_types/1",
        "/pipeline_stages/pipeline/1",
        "/people/1/related",
        "/people/1/files",
        "/no/such/route",
    ] {
        let r = api.get(path).await;
        assert_eq!(r.status, 404, "{path}");
        assert_eq!(r.body, json!({"error": "not_found"}), "{path}");
    }
    // A known path with a method it does not have is not found either, with the same body.
    let r = api.get("/people/search").await;
    assert_eq!((r.status, r.body), (404, json!({"error": "not_found"})));
    let r = api.call(Method::PATCH, "/people/1", Some(json!({}))).await;
    assert_eq!((r.status, r.body), (404, json!({"error": "not_found"})));
    assert_eq!(api.put("/people/1", json!({"name": "x"})).await.status, 404);
    assert_eq!(api.delete("/people/1").await.status, 404);
    assert_eq!(api.delete("/related_links/1").await.status, 404);
}
