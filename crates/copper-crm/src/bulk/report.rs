//! The result of a whole job: [`BulkReport`] and [`BulkStats`].

use std::time::Duration;

use super::outcome::{BulkCounts, BulkOutcome};
use crate::ClientStats;

/// What the engine did to settle a job's records.
///
/// ```
/// let s = copper_crm::bulk::BulkStats::default();
/// assert_eq!(s.bulk_requests + s.single_requests, 0);
/// ```
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct BulkStats {
    /// Bulk requests sent (each attempt the engine made; the client's own
    /// retries of a 429 are in [`BulkReport::client_stats`]).
    pub bulk_requests: u64,
    /// Single create/update/upsert requests sent.
    pub single_requests: u64,
    /// Lookups made to reconcile ambiguous failures (fetch by email, search).
    pub lookups: u64,
    /// Requests that failed ambiguously (5xx, timeout, dropped connection).
    pub ambiguous_failures: u64,
    /// Records whose outcome was established by reconciliation.
    pub reconciled: u64,
    /// Records sent again (not applied by an ambiguous attempt, or an
    /// idempotent update).
    pub resent: u64,
    /// Batches split (a smaller size limit, or isolating a refused record).
    pub splits: u64,
    /// Times a batch had to wait and go out again because Copper did not
    /// process it (429 after the client's retries, or no connection).
    pub throttled: u64,
    /// The batch size in force at the end (lower than asked if Copper's size
    /// limit turned out smaller).
    pub batch_limit: usize,
    /// Whether the job used single requests (no bulk endpoint for the
    /// operation, or Copper did not have it).
    pub single_requests_only: bool,
}

/// The result of [`BulkJob::execute`](super::BulkJob::execute): one outcome
/// per input record, sorted by input index, with counts.
///
/// ```no_run
/// # async fn run(client: copper_crm::Client, people: Vec<copper_crm::types::PersonCreate>) {
/// let report = client.people().bulk_create(people).execute().await;
/// println!("{} created, {} rejected, {} unknown", report.counts.created, report.counts.rejected, report.counts.unknown);
/// for unknown in report.unknown() {
///     eprintln!("check by hand: {unknown:?}");
/// }
/// # }
/// ```
#[derive(Debug, Clone)]
pub struct BulkReport<R, I> {
    /// Every outcome, sorted by input index (index `i` is at position `i`).
    pub outcomes: Vec<BulkOutcome<R, I>>,
    /// How many of each kind.
    pub counts: BulkCounts,
    /// How long the job took.
    pub elapsed: Duration,
    /// What the engine did.
    pub stats: BulkStats,
    /// What the client sent while the job ran (includes other requests made
    /// with the same client or its clones in that time).
    pub client_stats: ClientStats,
}

impl<R, I> BulkReport<R, I> {
    /// The `Created` and `Updated` outcomes.
    ///
    /// ```
    /// # use copper_crm::bulk::*;
    /// # let report: BulkReport<(), ()> = BulkReport { outcomes: vec![BulkOutcome::Created { index: 0, record: () }], counts: Default::default(), elapsed: Default::default(), stats: Default::default(), client_stats: Default::default() };
    /// assert_eq!(report.applied().count(), 1);
    /// ```
    pub fn applied(&self) -> impl Iterator<Item = &BulkOutcome<R, I>> {
        self.outcomes.iter().filter(|o| o.is_applied())
    }

    /// The `Rejected` outcomes.
    ///
    /// ```
    /// # use copper_crm::bulk::*;
    /// # let report: BulkReport<(), ()> = BulkReport { outcomes: vec![], counts: Default::default(), elapsed: Default::default(), stats: Default::default(), client_stats: Default::default() };
    /// assert_eq!(report.rejected().count(), 0);
    /// ```
    pub fn rejected(&self) -> impl Iterator<Item = &BulkOutcome<R, I>> {
        self.outcomes
            .iter()
            .filter(|o| matches!(o, BulkOutcome::Rejected { .. }))
    }

    /// The `Unknown` outcomes.
    ///
    /// ```
    /// # use copper_crm::bulk::*;
    /// # let report: BulkReport<(), ()> = BulkReport { outcomes: vec![], counts: Default::default(), elapsed: Default::default(), stats: Default::default(), client_stats: Default::default() };
    /// assert_eq!(report.unknown().count(), 0);
    /// ```
    pub fn unknown(&self) -> impl Iterator<Item = &BulkOutcome<R, I>> {
        self.outcomes.iter().filter(|o| o.is_unknown())
    }

    /// Records settled per second over the whole job.
    ///
    /// ```
    /// # use copper_crm::bulk::*;
    /// # let report: BulkReport<(), ()> = BulkReport { outcomes: vec![], counts: BulkCounts { created: 30, ..Default::default() }, elapsed: std::time::Duration::from_secs(1), stats: Default::default(), client_stats: Default::default() };
    /// assert_eq!(report.records_per_second(), 30.0);
    /// ```
    pub fn records_per_second(&self) -> f64 {
        let secs = self.elapsed.as_secs_f64();
        if secs > 0.0 {
            self.counts.total() as f64 / secs
        } else {
            0.0
        }
    }
}

/// `after - before`, field by field (fields added later keep `after`).
// Struct update keeps this compiling when the client gains counters.
#[allow(clippy::needless_update)]
pub(crate) fn stats_delta(before: ClientStats, after: ClientStats) -> ClientStats {
    ClientStats {
        requests: after.requests.saturating_sub(before.requests),
        retries: after.retries.saturating_sub(before.retries),
        rate_limited: after.rate_limited.saturating_sub(before.rate_limited),
        server_errors: after.server_errors.saturating_sub(before.server_errors),
        transport_errors: after
            .transport_errors
            .saturating_sub(before.transport_errors),
        ..after
    }
}
