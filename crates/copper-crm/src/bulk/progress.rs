//! Progress events for progress bars: [`BulkProgress`].

use std::collections::VecDeque;
use std::time::{Duration, Instant};

use super::outcome::{BulkCounts, BulkOutcome};

/// Where a bulk job stands, sent to the progress callback and channel after
/// each settled group of records.
///
/// ```
/// use std::time::Duration;
/// use copper_crm::bulk::{BulkCounts, BulkProgress};
///
/// let p = BulkProgress {
///     done: 300,
///     total: Some(1000),
///     counts: BulkCounts { created: 290, updated: 0, rejected: 10, unknown: 0 },
///     elapsed: Duration::from_secs(10),
///     records_per_second: 30.0,
///     eta: Some(Duration::from_secs(23)),
/// };
/// assert_eq!(p.fraction(), Some(0.3));
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct BulkProgress {
    /// Records with an outcome so far.
    pub done: u64,
    /// How many records the input has, when known (an iterator with an exact
    /// size, a stream with an exact size hint, or [`BulkJob::total`](super::BulkJob::total)).
    pub total: Option<u64>,
    /// The outcomes so far, by kind.
    pub counts: BulkCounts,
    /// Time since the job started.
    pub elapsed: Duration,
    /// Records settled per second over the last few seconds (over the whole
    /// run at the start).
    pub records_per_second: f64,
    /// Estimated time left, when the total is known and records are moving.
    pub eta: Option<Duration>,
}

impl BulkProgress {
    /// `done / total`, when the total is known.
    ///
    /// ```
    /// # use copper_crm::bulk::{BulkCounts, BulkProgress};
    /// let p = BulkProgress { done: 1, total: None, counts: BulkCounts::default(), elapsed: Default::default(), records_per_second: 0.0, eta: None };
    /// assert_eq!(p.fraction(), None);
    /// ```
    pub fn fraction(&self) -> Option<f64> {
        self.total.map(|t| {
            if t == 0 {
                1.0
            } else {
                self.done as f64 / t as f64
            }
        })
    }
}

/// The window the rate is measured over.
const RATE_WINDOW: Duration = Duration::from_secs(10);

/// Keeps the counts and the recent rate.
#[derive(Debug)]
pub(crate) struct ProgressTracker {
    started: Instant,
    total: Option<u64>,
    counts: BulkCounts,
    samples: VecDeque<(Instant, u64)>,
}

impl ProgressTracker {
    pub(crate) fn new(total: Option<u64>) -> Self {
        let started = Instant::now();
        ProgressTracker {
            started,
            total,
            counts: BulkCounts::default(),
            samples: VecDeque::from([(started, 0)]),
        }
    }

    pub(crate) fn record<R, I>(&mut self, outcome: &BulkOutcome<R, I>) {
        self.counts.add(outcome);
    }

    /// A snapshot, and a new rate sample.
    pub(crate) fn snapshot(&mut self) -> BulkProgress {
        let now = Instant::now();
        let done = self.counts.total();
        self.samples.push_back((now, done));
        while self.samples.len() > 2
            && self
                .samples
                .front()
                .is_some_and(|(t, _)| now.duration_since(*t) > RATE_WINDOW)
        {
            self.samples.pop_front();
        }
        let (t0, d0) = self.samples.front().copied().unwrap_or((self.started, 0));
        let span = now.duration_since(t0).as_secs_f64();
        let records_per_second = if span > 0.0 {
            (done - d0) as f64 / span
        } else {
            0.0
        };
        let eta = match self.total {
            Some(total) if total <= done => Some(Duration::ZERO),
            Some(total) if records_per_second > 0.0 => Some(Duration::from_secs_f64(
                (total - done) as f64 / records_per_second,
            )),
            _ => None,
        };
        BulkProgress {
            done,
            total: self.total.map(|t| t.max(done)),
            counts: self.counts,
            elapsed: now.duration_since(self.started),
            records_per_second,
            eta,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rate_and_eta_follow_the_counts() {
        let mut t = ProgressTracker::new(Some(40));
        std::thread::sleep(Duration::from_millis(50));
        for i in 0..10 {
            t.record(&BulkOutcome::<(), ()>::Created {
                index: i,
                record: (),
            });
        }
        let p = t.snapshot();
        assert_eq!(p.done, 10);
        assert_eq!(p.fraction(), Some(0.25));
        assert!(p.records_per_second > 0.0 && p.records_per_second <= 10.0 / 0.05);
        let eta = p.eta.unwrap();
        // 30 left at the measured rate.
        assert!((eta.as_secs_f64() - 30.0 / p.records_per_second).abs() < 1e-6);
        let mut unknown_total = ProgressTracker::new(None);
        unknown_total.record(&BulkOutcome::<(), ()>::Updated {
            index: 0,
            record: (),
        });
        let p = unknown_total.snapshot();
        assert_eq!((p.total, p.eta, p.counts.updated), (None, None, 1));
    }
}
