//! Fault injection: each kind, determinism from the seed, and the record of what was written
//! by requests whose answer was dropped.

mod common;

use std::time::{Duration, Instant};

use common::Api;
use copper_crm_sim::{Entity, FaultConfig, FaultKind, Limits, Sim};
use serde_json::json;

/// Send `n` requests in order; a dropped connection is recorded as status 0.
async fn statuses(api: &Api, n: usize) -> Vec<u16> {
    let mut out = Vec::new();
    for i in 0..n {
        let r = api
            .client
            .post(format!("{}/people", api.base))
            .json(&json!({"name": format!("Person {i}")}))
            .send()
            .await;
        out.push(r.map(|r| r.status().as_u16()).unwrap_or(0));
    }
    out
}

#[tokio::test]
async fn same_seed_same_requests_same_faults() {
    let spec: FaultConfig =
        "seed=7,429=0.15,503=0.05,500=0.05,502=0.05,drop_before=0.05,drop_after=0.05"
            .parse()
            .unwrap();
    let a = Api::start(Sim::builder().limits(Limits::Off).faults(spec.clone())).await;
    let b = Api::start(Sim::builder().limits(Limits::Off).faults(spec.clone())).await;
    let sa = statuses(&a, 80).await;
    let sb = statuses(&b, 80).await;
    assert_eq!(sa, sb);
    let kinds = |api: &Api| {
        api.sim
            .injected()
            .into_iter()
            .map(|f| (f.sequence, f.kind))
            .collect::<Vec<_>>()
    };
    assert_eq!(kinds(&a), kinds(&b));
    for code in [0, 429, 500, 502, 503, 200] {
        assert!(
            sa.contains(&code),
            "80 requests at these shares hit {code}: {sa:?}"
        );
    }
    // Nothing lost or duplicated: exactly the 200s and the processed-then-dropped requests wrote.
    let written = sa.iter().filter(|s| **s == 200).count()
        + a.sim
            .injected()
            .iter()
            .filter(|f| f.kind == FaultKind::DroppedAfterProcessing)
            .count();
    assert_eq!(a.sim.record_count(Entity::Person), written);
    assert_eq!(
        a.sim.record_count(Entity::Person),
        b.sim.record_count(Entity::Person)
    );
    // A different seed gives a different sequence; set_faults restarts the sequence.
    let mut other = spec.clone();
    other.seed = 8;
    let c = Api::start(Sim::builder().limits(Limits::Off).faults(other)).await;
    assert_ne!(statuses(&c, 80).await, sa);
    a.sim.set_faults(spec);
    assert_eq!(statuses(&a, 80).await, sa);
}

#[tokio::test]
async fn status_faults_answer_without_processing() {
    let api = Api::empty().await;
    for (kind, code) in [
        (FaultKind::RateLimited, 429),
        (FaultKind::InternalServerError, 500),
        (FaultKind::BadGateway, 502),
        (FaultKind::ServiceUnavailable, 503),
    ] {
        let cfg = match kind {
            FaultKind::RateLimited => FaultConfig::seeded(1).with_rate_limited(1.0),
            FaultKind::InternalServerError => {
                FaultConfig::seeded(1).with_internal_server_error(1.0)
            }
            FaultKind::BadGateway => FaultConfig::seeded(1).with_bad_gateway(1.0),
            _ => FaultConfig::seeded(1).with_service_unavailable(1.0),
        };
        api.sim.set_faults(cfg);
        let r = api.post("/people", json!({"name": "Never"})).await;
        assert_eq!(r.status, code);
        common::assert_error_shape(&r.body);
        assert_eq!(r.body["status"], code);
    }
    api.sim.set_faults(FaultConfig::default());
    assert_eq!(api.sim.record_count(Entity::Person), 0);
    let stats = api.sim.stats();
    assert_eq!(stats.injected_429, 1);
    assert_eq!(stats.rate_limited, 0);
    assert_eq!(stats.faults_of(FaultKind::BadGateway), 1);
    assert_eq!(stats.requests_for("people_create"), 4);
    // Faults never touch the stats endpoint.
    api.sim
        .set_faults(FaultConfig::seeded(1).with_service_unavailable(1.0));
    let stats = reqwest::get(format!("http://{}/_sim/stats", api.sim.addr()))
        .await
        .unwrap();
    assert_eq!(stats.status(), 200);
}

#[tokio::test]
async fn dropped_before_processing_has_no_effect() {
    let api = Api::empty().await;
    api.sim
        .set_faults(FaultConfig::seeded(3).with_drop_before(1.0));
    let err = api
        .client
        .post(format!("{}/people", api.base))
        .json(&json!({"name": "Ghost"}))
        .send()
        .await
        .expect_err("the connection is closed without an answer");
    assert!(
        err.is_request() || err.is_connect() || err.is_body(),
        "{err:?}"
    );
    api.sim.set_faults(FaultConfig::default());
    assert_eq!(api.sim.record_count(Entity::Person), 0);
    let injected = api.sim.injected();
    assert_eq!(injected.len(), 1);
    assert_eq!(injected[0].kind, FaultKind::DroppedBeforeProcessing);
    assert_eq!(injected[0].operation, "people_create");
    assert!(injected[0].written.is_empty());
    // The client recovers on a fresh connection.
    api.get("/account").await.expect(200);
}

#[tokio::test]
async fn processed_then_dropped_writes_but_never_answers() {
    let api = Api::empty().await;
    let existing = api.person("Existing", "existing@example.com").await;
    api.sim
        .set_faults(FaultConfig::seeded(5).with_drop_after(1.0));
    let started = Instant::now();
    let err = api
        .client
        .post(format!("{}/people", api.base))
        .json(&json!({"name": "Written", "emails": [{"email": "written@example.com"}]}))
        .send()
        .await
        .expect_err("no response byte arrives");
    assert!(started.elapsed() < Duration::from_secs(5));
    assert!(!err.is_timeout(), "{err:?}");
    let err = api
        .client
        .put(format!("{}/people/{existing}", api.base))
        .json(&json!({"title": "Updated"}))
        .send()
        .await
        .expect_err("no response byte arrives");
    assert!(!err.is_status());
    api.sim.set_faults(FaultConfig::default());
    let injected = api.sim.injected();
    assert_eq!(injected.len(), 2);
    assert!(
        injected
            .iter()
            .all(|f| f.kind == FaultKind::DroppedAfterProcessing)
    );
    let (entity, id) = injected[0].written[0];
    assert_eq!(entity, Entity::Person);
    let stored = api.get(&format!("/people/{id}")).await.expect(200);
    assert_eq!(stored["name"], "Written", "the write happened");
    assert_eq!(injected[1].written, vec![(Entity::Person, existing)]);
    assert_eq!(
        api.get(&format!("/people/{existing}")).await.expect(200)["title"],
        "Updated"
    );
    // A retry of the create would now fail on the taken email: the write is visible.
    let retry = api
        .post(
            "/people",
            json!({"name": "Written", "emails": [{"email": "written@example.com"}]}),
        )
        .await;
    assert_eq!(retry.status, 422);
    assert_eq!(api.sim.record_count(Entity::Person), 2);
}

#[tokio::test]
async fn delays_hold_the_answer() {
    let api = Api::empty().await;
    api.sim
        .set_faults(FaultConfig::seeded(9).with_delay(1.0, Duration::from_millis(150)));
    let started = Instant::now();
    api.get("/account").await.expect(200);
    assert!(started.elapsed() >= Duration::from_millis(150));
    let injected = api.sim.injected();
    assert_eq!(injected[0].kind, FaultKind::Delayed);
    assert_eq!(api.sim.stats().faults_of(FaultKind::Delayed), 1);
}

#[tokio::test]
async fn faults_can_be_configured_at_start() {
    let api = Api::start(
        Sim::builder()
            .limits(Limits::Off)
            .faults("seed=1,503=1".parse().unwrap()),
    )
    .await;
    assert_eq!(api.get("/account").await.status, 503);
    assert_eq!(api.sim.faults().service_unavailable, 1.0);
    let err = Sim::builder()
        .faults(
            FaultConfig::seeded(1)
                .with_bad_gateway(0.7)
                .with_drop_after(0.7),
        )
        .start()
        .await
        .unwrap_err();
    assert!(err.to_string().contains("add up to"));
}
