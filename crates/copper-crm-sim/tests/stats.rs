//! Inspection: `GET /_sim/stats` and the handle's counters and records.

mod common;

use common::Api;
use copper_crm_sim::{Entity, Limits, Sim, Stats};
use serde_json::json;

#[tokio::test]
async fn stats_endpoint_needs_no_auth_and_counts_everything() {
    let api = Api::demo().await;
    api.get("/account").await.expect(200);
    api.get("/account").await.expect(200);
    api.post("/people/search", json!({})).await.expect(200);
    api.get("/people/1").await;
    let stats: Stats = reqwest::get(format!("http://{}/_sim/stats", api.sim.addr()))
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(stats.requests_for("account_get"), 2);
    assert_eq!(stats.requests_for("people_search"), 1);
    assert_eq!(stats.requests_for("people_get"), 1);
    assert_eq!(stats.total_requests, 4);
    assert_eq!(
        stats.record_count(Entity::Person),
        api.sim.record_count(Entity::Person)
    );
    for e in Entity::ALL {
        assert_eq!(stats.record_count(e), api.sim.records(e).len(), "{e}");
    }
    assert!(stats.record_count(Entity::CustomFieldDefinition) >= 11);
    assert_eq!(stats, api.sim.stats());
}

#[tokio::test]
async fn every_operation_is_served() {
    let api = Api::empty().await;
    let ops = api.sim.operations();
    assert_eq!(ops.len(), 87);
    let tsv = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../tests/fixtures/endpoints.tsv"
    ))
    .expect("endpoints.tsv");
    let mut documented: Vec<&str> = tsv
        .lines()
        .skip(1)
        .filter_map(|l| l.split('\t').nth(3))
        .filter(|op| !op.starts_with("oauth_") && *op != "webhook_notification")
        .collect();
    documented.sort();
    let mut served = ops.clone();
    served.sort();
    assert_eq!(served, documented);
}

#[tokio::test]
async fn generated_records_start_fast_and_are_consistent() {
    let started = std::time::Instant::now();
    let sim = Sim::builder()
        .records(20_000)
        .limits(Limits::Off)
        .start()
        .await
        .unwrap();
    assert!(started.elapsed().as_secs() < 10, "debug-build start-up");
    assert_eq!(sim.record_count(Entity::Person), 20_000);
    let people = sim.records(Entity::Person);
    let emails: std::collections::BTreeSet<&str> = people
        .iter()
        .map(|p| p["emails"][0]["email"].as_str().unwrap())
        .collect();
    assert_eq!(emails.len(), 20_000, "generated emails are unique");
    let oldest = people
        .iter()
        .map(|p| p["date_created"].as_i64().unwrap())
        .min()
        .unwrap();
    let newest = people
        .iter()
        .map(|p| p["date_created"].as_i64().unwrap())
        .max()
        .unwrap();
    assert!(newest - oldest > 2 * 365 * 86_400, "spread over years");
    sim.shutdown().await;
}
