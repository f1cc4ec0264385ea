//! Shared setup of the bulk proof tests: a simulator with time-scaled limits
//! and a client whose limits and retries are scaled to match.

#![allow(dead_code)]

use std::time::Duration;

use copper_crm::{Client, RateLimits, RetryPolicy};
use copper_crm_sim::{FaultConfig, Limits, Sim, SimHandle};
use serde_json::Value;

/// Every window of Copper's limits (and every backoff) is this many times
/// shorter, so 10,000 records import in seconds.
pub const SCALE: f64 = 200.0;

/// The fault mix of the issue: 15% 429, 5% 503, 2% dropped before
/// processing, 1% processed and then dropped.
pub const FAULTS: &str = "seed=7,429=0.15,503=0.05,drop_before=0.02,drop_after=0.01";

/// A simulator enforcing Copper's limits scaled by [`SCALE`], with `faults`.
pub async fn sim(faults: &str) -> SimHandle {
    Sim::builder()
        .limits(Limits::Scaled(SCALE))
        .faults(faults.parse::<FaultConfig>().expect("a valid fault spec"))
        .start()
        .await
        .expect("the simulator starts")
}

/// Copper's limits and the default retry policy, both scaled by [`SCALE`].
/// The jitter allowance is scaled too (20 ms at real limits).
pub fn scaled_limits() -> RateLimits {
    RateLimits {
        jitter_allowance: Duration::from_micros(100),
        ..RateLimits::copper().scaled(SCALE)
    }
}

/// A client for `sim` with [`scaled_limits`] and a scaled retry policy.
pub fn client(sim: &SimHandle) -> Client {
    client_with_key(sim, copper_crm_sim::DEFAULT_API_KEY)
}

/// Like [`client`] with another API key.
pub fn client_with_key(sim: &SimHandle, key: &str) -> Client {
    Client::builder()
        .api_key(key, copper_crm_sim::DEFAULT_EMAIL)
        .base_url(sim.base_url())
        .rate_limits(scaled_limits())
        .retry(RetryPolicy::default().scaled(SCALE))
        .timeout(Duration::from_secs(20))
        .build()
        .expect("a valid client")
}

/// The lowercased emails of a stored person.
pub fn emails_of(person: &Value) -> Vec<String> {
    person["emails"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|e| e["email"].as_str())
        .map(str::to_ascii_lowercase)
        .collect()
}

/// Assert that outcome `i` of the report is for index `i` (so every index
/// appears exactly once).
pub fn assert_every_index_once<R, I>(outcomes: &[copper_crm::bulk::BulkOutcome<R, I>], n: usize) {
    assert_eq!(outcomes.len(), n, "one outcome per input record");
    for (i, o) in outcomes.iter().enumerate() {
        assert_eq!(
            o.index(),
            i as u64,
            "outcomes are sorted and each index appears once"
        );
    }
}

/// Assert that the simulator answered `operation` `n` times, not counting
/// the 429s of its rate limiter (which the client retries).
pub fn assert_answered(sim: &SimHandle, operation: &str, n: u64) {
    let stats = sim.stats();
    let received = stats.requests_for(operation);
    assert!(
        received >= n && received <= n + stats.rate_limited,
        "{operation}: {received} received, {} rate-limited, expected {n} answered",
        stats.rate_limited
    );
}
