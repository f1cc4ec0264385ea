//! Copper's rolling-window rate limits, per credential.

use std::collections::{HashMap, VecDeque};
use std::time::{Duration, Instant};

use parking_lot::Mutex;

use crate::config::{BULK_LIMIT, GENERAL_LIMIT, Limits};

/// Which limit a request hit.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Hit {
    pub bulk: bool,
    /// When the oldest request in the full window leaves it.
    pub retry_after: Duration,
    pub window: Duration,
}

#[derive(Debug, Default)]
struct Windows {
    general: VecDeque<Instant>,
    bulk: VecDeque<Instant>,
}

/// Rolling windows per credential. Only accepted requests are counted.
#[derive(Debug, Default)]
pub(crate) struct RateLimiter {
    by_credential: Mutex<HashMap<String, Windows>>,
}

fn trim(q: &mut VecDeque<Instant>, now: Instant, window: Duration) {
    while q.front().is_some_and(|t| now.duration_since(*t) >= window) {
        q.pop_front();
    }
}

impl RateLimiter {
    /// Count a request, or say which limit it would exceed.
    pub(crate) fn check(
        &self,
        limits: Limits,
        credential: &str,
        bulk: bool,
        now: Instant,
    ) -> Result<(), Hit> {
        let Some((general_window, bulk_window)) = limits.windows() else {
            return Ok(());
        };
        let mut map = self.by_credential.lock();
        let w = map.entry(credential.to_string()).or_default();
        trim(&mut w.general, now, general_window);
        trim(&mut w.bulk, now, bulk_window);
        if w.general.len() >= GENERAL_LIMIT {
            let oldest = w.general.front().copied().unwrap_or(now);
            return Err(Hit {
                bulk: false,
                retry_after: general_window.saturating_sub(now.duration_since(oldest)),
                window: general_window,
            });
        }
        if bulk && w.bulk.len() >= BULK_LIMIT {
            let oldest = w.bulk.front().copied().unwrap_or(now);
            return Err(Hit {
                bulk: true,
                retry_after: bulk_window.saturating_sub(now.duration_since(oldest)),
                window: bulk_window,
            });
        }
        w.general.push_back(now);
        if bulk {
            w.bulk.push_back(now);
        }
        Ok(())
    }

    /// Forget every window (when the limits change).
    pub(crate) fn reset(&self) {
        self.by_credential.lock().clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn windows_roll() {
        let rl = RateLimiter::default();
        let t0 = Instant::now();
        let limits = Limits::Scaled(60.0);
        for _ in 0..180 {
            assert!(rl.check(limits, "k", false, t0).is_ok());
        }
        let hit = rl.check(limits, "k", false, t0).unwrap_err();
        assert!(!hit.bulk);
        assert!(rl.check(limits, "other", false, t0).is_ok());
        assert!(
            rl.check(limits, "k", false, t0 + Duration::from_millis(1001))
                .is_ok()
        );
        let rl = RateLimiter::default();
        for _ in 0..3 {
            assert!(rl.check(Limits::Real, "k", true, t0).is_ok());
        }
        assert!(rl.check(Limits::Real, "k", true, t0).unwrap_err().bulk);
        assert!(rl.check(Limits::Real, "k", false, t0).is_ok());
        assert!(
            rl.check(Limits::Real, "k", true, t0 + Duration::from_secs(1))
                .is_ok()
        );
    }
}
