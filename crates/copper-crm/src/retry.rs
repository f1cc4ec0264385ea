//! When and how a failed request is tried again.
//!
//! A read that fails with a 5xx is tried again, up to
//! [`RetryPolicy::max_attempts`]; a create is not, since Copper may have
//! applied it (see [`is_idempotent`]):
//!
//! ```
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> Result<(), Box<dyn std::error::Error>> {
//! use std::time::Duration;
//! use copper_crm::RetryPolicy;
//! use copper_crm::types::PersonCreate;
//! use copper_crm_sim::{FaultConfig, Limits, Sim};
//!
//! // Every answer of this simulator is a 500.
//! let broken = FaultConfig::seeded(7).with_internal_server_error(1.0);
//! let sim = Sim::builder().limits(Limits::Off).faults(broken).start().await?;
//! let client = copper_crm::Client::builder()
//!     .oauth_token(copper_crm_sim::DEFAULT_BEARER_TOKEN)
//!     .base_url(sim.base_url())
//!     .retry(RetryPolicy { max_attempts: 4, initial_backoff: Duration::from_millis(1), ..RetryPolicy::default() })
//! #   .rate_limits(copper_crm::RateLimits::unlimited())
//!     .build()?;
//!
//! assert_eq!(client.users().me().await.unwrap_err().status(), Some(500));
//! assert_eq!(sim.stats().requests_for("users_me"), 4);
//!
//! let ada = PersonCreate::builder().name("Ada Lovelace".to_string());
//! let err = client.people().create(ada).await.unwrap_err();
//! assert!(err.is_ambiguous());
//! assert_eq!(sim.stats().requests_for("people_create"), 1);
//! # sim.shutdown().await;
//! # Ok(()) }
//! ```

use std::time::Duration;

/// Bounds and pacing for retries.
///
/// 429 is always retried (Copper did not process the request). 5xx answers,
/// timeouts and dropped connections are retried only for operations where a
/// repeat cannot create a duplicate (reads, searches, updates, deletes,
/// upserts); creates are retried only when the request provably never reached
/// Copper (the connection could not be made).
///
/// ```
/// use std::time::Duration;
/// use copper_crm::RetryPolicy;
///
/// let patient = RetryPolicy { max_attempts: 10, max_elapsed: Duration::from_secs(600), ..RetryPolicy::default() };
/// assert!(RetryPolicy::none().max_attempts == 1);
/// # let _ = patient;
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct RetryPolicy {
    /// Attempts in all, the first included (1 = no retries).
    pub max_attempts: u32,
    /// The first backoff; it doubles on each retry.
    pub initial_backoff: Duration,
    /// The longest single backoff.
    pub max_backoff: Duration,
    /// No retry starts after this much time since the first attempt.
    pub max_elapsed: Duration,
    /// Randomize each backoff (full jitter) so clients do not retry in step.
    pub jitter: bool,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy {
            max_attempts: 6,
            initial_backoff: Duration::from_millis(500),
            max_backoff: Duration::from_secs(30),
            max_elapsed: Duration::from_secs(120),
            jitter: true,
        }
    }
}

impl RetryPolicy {
    /// Never retry.
    ///
    /// ```
    /// assert_eq!(copper_crm::RetryPolicy::none().max_attempts, 1);
    /// ```
    pub fn none() -> Self {
        RetryPolicy {
            max_attempts: 1,
            ..RetryPolicy::default()
        }
    }

    /// The same policy with every duration divided by `factor` (for tests
    /// against the simulator's time-scaled limits).
    ///
    /// ```
    /// let p = copper_crm::RetryPolicy::default().scaled(10.0);
    /// assert_eq!(p.initial_backoff, std::time::Duration::from_millis(50));
    /// ```
    pub fn scaled(mut self, factor: f64) -> Self {
        let f = factor.max(f64::MIN_POSITIVE);
        self.initial_backoff = self.initial_backoff.div_f64(f);
        self.max_backoff = self.max_backoff.div_f64(f);
        self.max_elapsed = self.max_elapsed.div_f64(f);
        self
    }

    /// The backoff before retry number `retry` (1-based), or the server's
    /// `Retry-After` when it sent one (capped by `max_backoff`).
    pub(crate) fn backoff(&self, retry: u32, retry_after: Option<Duration>) -> Duration {
        if let Some(after) = retry_after {
            return after.min(self.max_backoff);
        }
        let exp = self.initial_backoff.saturating_mul(
            1u32.checked_shl(retry.saturating_sub(1))
                .unwrap_or(u32::MAX),
        );
        let capped = exp.min(self.max_backoff);
        if self.jitter {
            // Full jitter, but never less than a quarter of the step.
            let lo = capped / 4;
            lo + capped.saturating_sub(lo).mul_f64(fastrand::f64())
        } else {
            capped
        }
    }
}

/// Whether repeating `operation` after an ambiguous failure (5xx, timeout,
/// dropped connection) could create a duplicate.
///
/// ```
/// use copper_crm::retry::is_idempotent;
/// assert!(is_idempotent("people_update"));
/// assert!(is_idempotent("people_search"));
/// assert!(!is_idempotent("people_create"));
/// assert!(!is_idempotent("leads_bulk_create"));
/// ```
pub fn is_idempotent(operation: &str) -> bool {
    !(operation.ends_with("_create")
        || operation == "leads_convert"
        || operation == "related_items_add"
        || operation == "files_attach")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_and_is_capped() {
        let p = RetryPolicy {
            jitter: false,
            ..RetryPolicy::default()
        };
        assert_eq!(p.backoff(1, None), Duration::from_millis(500));
        assert_eq!(p.backoff(2, None), Duration::from_secs(1));
        assert_eq!(p.backoff(20, None), Duration::from_secs(30));
        assert_eq!(p.backoff(40, None), Duration::from_secs(30));
        assert_eq!(
            p.backoff(1, Some(Duration::from_secs(90))),
            Duration::from_secs(30)
        );
    }

    #[test]
    fn jitter_stays_within_the_step() {
        let p = RetryPolicy::default();
        for _ in 0..100 {
            let b = p.backoff(3, None);
            assert!(
                b >= Duration::from_millis(500) && b <= Duration::from_secs(2),
                "{b:?}"
            );
        }
    }

    #[test]
    fn creates_are_not_idempotent() {
        for op in [
            "webhooks_create",
            "activities_bulk_create",
            "leads_convert",
            "related_items_add",
            "files_attach",
        ] {
            assert!(!is_idempotent(op), "{op}");
        }
        for op in [
            "leads_upsert",
            "people_bulk_update",
            "related_items_remove",
            "tasks_delete",
            "leads_activities_list",
        ] {
            assert!(is_idempotent(op), "{op}");
        }
    }
}
