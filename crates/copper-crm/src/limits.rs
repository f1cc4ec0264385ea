//! Client-side rate limiting that matches Copper's limits, so a correctly
//! used client does not get 429s in steady state.
//!
//! Copper allows 180 requests per rolling 60 seconds per user, and the bulk
//! endpoints at most 3 requests per rolling second on top. The limiter is a
//! GCRA ([`governor`]) tuned so that no window of that length can ever hold
//! more requests than the limit, with a small allowance for network jitter.

use std::num::NonZeroU32;
use std::sync::Arc;
use std::time::Duration;

use governor::{DefaultDirectRateLimiter, Quota, RateLimiter};

/// A limit of `requests` per rolling `window`.
///
/// ```
/// use std::time::Duration;
/// use copper_crm::{RateLimits, Window};
///
/// let limits = RateLimits::copper();
/// assert_eq!(limits.general, Some(Window { requests: 180, window: Duration::from_secs(60) }));
/// assert_eq!(limits.bulk, Some(Window { requests: 3, window: Duration::from_secs(1) }));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Window {
    /// How many requests the window allows.
    pub requests: u32,
    /// The length of the rolling window.
    pub window: Duration,
}

/// The limits a [`Client`](crate::Client) keeps to. Copper says its limits
/// may change, so every number is configurable.
///
/// ```
/// use std::time::Duration;
/// use copper_crm::RateLimits;
///
/// let copper = RateLimits::copper();
/// assert_eq!(copper.general.unwrap().requests, 180);
/// // The simulator's `--limits scale=10` makes every window 10× shorter:
/// let fast = RateLimits::copper().scaled(10.0);
/// assert_eq!(fast.bulk.unwrap().window, Duration::from_millis(100));
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct RateLimits {
    /// The limit on every request (`None`: unlimited).
    pub general: Option<Window>,
    /// The extra limit on the bulk endpoints (`None`: unlimited).
    pub bulk: Option<Window>,
    /// Burst: how many requests may go out back to back before pacing starts.
    /// A larger burst lowers the steady rate, because no rolling window may
    /// hold more than its limit. Default 1.
    pub burst: u32,
    /// Extra time added to each window to absorb network jitter between this
    /// client and Copper's counter. Default 20 ms.
    pub jitter_allowance: Duration,
}

impl Default for RateLimits {
    fn default() -> Self {
        Self::copper()
    }
}

impl RateLimits {
    /// Copper's documented limits: 180 requests per rolling minute, and 3
    /// requests per rolling second on the bulk endpoints.
    ///
    /// ```
    /// assert_eq!(copper_crm::RateLimits::copper().bulk.unwrap().requests, 3);
    /// ```
    pub fn copper() -> Self {
        RateLimits {
            general: Some(Window {
                requests: 180,
                window: Duration::from_secs(60),
            }),
            bulk: Some(Window {
                requests: 3,
                window: Duration::from_secs(1),
            }),
            burst: 1,
            jitter_allowance: Duration::from_millis(20),
        }
    }

    /// No client-side limiting (the server's 429s are still retried).
    ///
    /// ```
    /// assert!(copper_crm::RateLimits::unlimited().general.is_none());
    /// ```
    pub fn unlimited() -> Self {
        RateLimits {
            general: None,
            bulk: None,
            burst: 1,
            jitter_allowance: Duration::ZERO,
        }
    }

    /// Every window `factor` times shorter (for tests and benchmarks against
    /// the simulator's time-scaled limits).
    ///
    /// ```
    /// let l = copper_crm::RateLimits::copper().scaled(60.0);
    /// assert_eq!(l.general.unwrap().window, std::time::Duration::from_secs(1));
    /// ```
    pub fn scaled(mut self, factor: f64) -> Self {
        let scale = |w: Window| Window {
            requests: w.requests,
            window: w.window.div_f64(factor.max(f64::MIN_POSITIVE)),
        };
        self.general = self.general.map(scale);
        self.bulk = self.bulk.map(scale);
        self
    }

    /// The steady request rate (per second) the bulk endpoints get under these
    /// limits: the slower of the two limiters.
    ///
    /// ```
    /// let rate = copper_crm::RateLimits::copper().bulk_requests_per_second();
    /// assert!(rate > 2.9 && rate <= 3.0);
    /// ```
    pub fn bulk_requests_per_second(&self) -> f64 {
        [self.general, self.bulk]
            .into_iter()
            .flatten()
            .map(|w| 1.0 / self.period(w).as_secs_f64())
            .fold(f64::INFINITY, f64::min)
    }

    /// The GCRA emission interval for `w`: with burst `b`, requests can be at
    /// most `b + floor(L / period)` in any interval of length `L`, so
    /// `period = (window + allowance) / (requests - b + 1)` keeps every
    /// rolling window at or below its limit.
    fn period(&self, w: Window) -> Duration {
        let burst = self.burst.clamp(1, w.requests.max(1));
        let slots = (w.requests - burst + 1).max(1);
        (w.window + self.jitter_allowance) / slots
    }

    fn limiter(&self, w: Option<Window>) -> Option<Arc<DefaultDirectRateLimiter>> {
        let w = w?;
        let period = self.period(w).max(Duration::from_nanos(1));
        let burst =
            NonZeroU32::new(self.burst.clamp(1, w.requests.max(1))).unwrap_or(NonZeroU32::MIN);
        let quota = Quota::with_period(period)?.allow_burst(burst);
        Some(Arc::new(RateLimiter::direct(quota)))
    }
}

/// The running limiters of one client (shared by its clones).
#[derive(Debug, Clone)]
pub(crate) struct Limiter {
    general: Option<Arc<DefaultDirectRateLimiter>>,
    bulk: Option<Arc<DefaultDirectRateLimiter>>,
}

impl Limiter {
    pub(crate) fn new(limits: &RateLimits) -> Self {
        Limiter {
            general: limits.limiter(limits.general),
            bulk: limits.limiter(limits.bulk),
        }
    }

    /// Wait until a request for `operation` may go out.
    pub(crate) async fn acquire(&self, operation: &str) {
        if is_bulk(operation)
            && let Some(bulk) = &self.bulk
        {
            bulk.until_ready().await;
        }
        if let Some(general) = &self.general {
            general.until_ready().await;
        }
    }
}

/// Whether an operation is one of the bulk endpoints (3 requests/second).
pub(crate) fn is_bulk(operation: &str) -> bool {
    operation.contains("_bulk_")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_rolling_window_can_exceed_its_limit() {
        for limits in [
            RateLimits::copper(),
            RateLimits {
                burst: 10,
                ..RateLimits::copper()
            },
        ] {
            for w in [limits.general.unwrap(), limits.bulk.unwrap()] {
                let period = limits.period(w);
                let burst = limits.burst.min(w.requests);
                // Requests at 0 (burst of `burst`), period, 2*period, ...: how
                // many fall in the first window of length `window`?
                let paced = (w.window.as_nanos() as f64 / period.as_nanos() as f64).ceil() as u32;
                assert!(
                    burst - 1 + paced <= w.requests,
                    "{w:?} burst {burst}: {paced} paced"
                );
            }
        }
    }

    #[test]
    fn copper_limits_keep_bulk_within_two_percent_of_the_ceiling() {
        let rate = RateLimits::copper().bulk_requests_per_second();
        assert!((2.94..=3.0).contains(&rate), "{rate}");
    }
}
