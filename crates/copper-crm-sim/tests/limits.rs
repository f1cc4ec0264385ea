//! Copper's rate limits with time-scaled windows: 180 requests per rolling window per
//! credential, plus 3 per rolling second on the bulk endpoints.

mod common;

use std::time::Duration;

use common::Api;
use copper_crm_sim::{Limits, Sim};
use serde_json::json;

#[tokio::test]
async fn the_general_limit_is_180_per_rolling_window() {
    // scale=30: the 60 s window becomes 2 s.
    let api = Api::start(Sim::builder().limits(Limits::Scaled(30.0))).await;
    let started = std::time::Instant::now();
    for i in 0..180 {
        assert_eq!(api.get("/account").await.status, 200, "request {i}");
    }
    assert!(
        started.elapsed() < Duration::from_secs(2),
        "the 180 requests fit the window"
    );
    let r = api.get("/account").await;
    assert_eq!(r.status, 429);
    common::assert_error_shape(&r.body);
    assert!(
        r.headers.get("retry-after").is_none(),
        "Copper documents no Retry-After"
    );
    // Rejected requests do not extend the window; every endpoint counts.
    assert_eq!(api.post("/people/search", json!({})).await.status, 429);
    // Another credential has its own window.
    let bearer = reqwest::Client::new()
        .get(format!("{}/account", api.base))
        .bearer_auth("sim-oauth-token")
        .send()
        .await
        .unwrap();
    assert_eq!(bearer.status(), 200);
    tokio::time::sleep(Duration::from_millis(2100)).await;
    assert_eq!(api.get("/account").await.status, 200, "the window rolled");
    let stats = api.sim.stats();
    assert_eq!(stats.rate_limited, 2);
    assert_eq!(stats.injected_429, 0);
    assert_eq!(stats.requests_for("account_get"), 183);
    // Limits can be turned off at runtime.
    api.sim.set_limits(Limits::Off);
    for _ in 0..200 {
        assert_eq!(api.get("/account").await.status, 200);
    }
}

#[tokio::test]
async fn bulk_endpoints_allow_3_per_second() {
    // scale=2: the bulk window is 500 ms, the general one 30 s.
    let api = Api::start(
        Sim::builder()
            .limits(Limits::Scaled(2.0))
            .retry_after_header(true),
    )
    .await;
    let body = json!({"people": [{"name": "Bulk Person"}]});
    for _ in 0..3 {
        api.post("/people/bulk_create", body.clone())
            .await
            .expect(200);
    }
    let r = api.post("/leads/bulk_create", json!({"leads": []})).await;
    assert_eq!(r.status, 429, "all bulk endpoints share the bulk window");
    assert!(r.body["message"].as_str().unwrap().contains("bulk"));
    assert!(
        r.headers.get("retry-after").is_some(),
        "Retry-After only when asked for"
    );
    assert_eq!(
        api.get("/account").await.status,
        200,
        "other endpoints are not affected"
    );
    tokio::time::sleep(Duration::from_millis(550)).await;
    api.post("/people/bulk_create", body).await.expect(200);
    assert_eq!(api.sim.record_count(copper_crm_sim::Entity::Person), 4);
}

#[tokio::test]
async fn real_limits_are_the_default() {
    let api = Api::start(Sim::builder()).await;
    assert_eq!(api.sim.limits(), Limits::Real);
    assert_eq!(
        Limits::Real.windows(),
        Some((Duration::from_secs(60), Duration::from_secs(1)))
    );
    let body = json!({"companies": []});
    for _ in 0..3 {
        api.post("/companies/bulk_create", body.clone())
            .await
            .expect(200);
    }
    assert_eq!(api.post("/companies/bulk_update", body).await.status, 429);
}
