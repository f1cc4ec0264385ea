//! [`BulkJob`]: the options of one import or update run, and running it.

use std::fmt;
use std::marker::PhantomData;
use std::sync::Arc;
use std::time::{Duration, Instant};

use futures::stream::{self, Stream, StreamExt};
use serde::de::DeserializeOwned;

use super::endpoint::{Action, Endpoint};
use super::engine::{Engine, Settings};
use super::intake::{Intake, chunks};
use super::outcome::{BulkCounts, BulkOutcome};
use super::progress::{BulkProgress, ProgressTracker};
use super::report::{BulkReport, stats_delta};
use crate::Client;
use crate::types;

/// Records per bulk request unless told otherwise: Copper's current limit.
///
/// ```
/// assert_eq!(copper_crm::bulk::DEFAULT_BATCH_SIZE, 10);
/// ```
pub const DEFAULT_BATCH_SIZE: usize = 10;

/// Requests in flight at once unless told otherwise. The client's rate
/// limiter, not this number, sets the pace; it only has to cover the
/// latency of a request (3 bulk requests per second at ~1 s latency).
///
/// ```
/// assert!(copper_crm::bulk::DEFAULT_CONCURRENCY >= 3);
/// ```
pub const DEFAULT_CONCURRENCY: usize = 4;

/// Ambiguous failures in a row one record may go through before it is
/// reported `Unknown` (each one is reconciled first).
///
/// ```
/// # async fn run(client: copper_crm::Client, people: Vec<copper_crm::types::PersonCreate>) {
/// let job = client.people().bulk_create(people).max_ambiguous_rounds(2 * copper_crm::bulk::DEFAULT_MAX_AMBIGUOUS_ROUNDS);
/// # let _ = job; }
/// ```
pub const DEFAULT_MAX_AMBIGUOUS_ROUNDS: u32 = 8;

type ProgressCallback<'a> = Box<dyn FnMut(&BulkProgress) + Send + 'a>;

/// A bulk create or update, configured and ready to run. Made by the
/// `bulk_create*`/`bulk_update*` methods of the resource handles
/// (`client.people().bulk_create(records)`); run it with
/// [`execute`](Self::execute) (all outcomes in a [`BulkReport`]) or
/// [`stream`](Self::stream) (outcomes as they settle, in flat memory).
///
/// Records are pulled from the input only as fast as they can be sent
/// (backpressure): at most `(concurrency + 1) × batch size` records are held
/// at a time (the batches in flight and the one being handed out), so an
/// input of millions is never collected.
///
/// ```no_run
/// use copper_crm::types::PersonCreate;
///
/// # async fn run(client: copper_crm::Client) -> Result<(), Box<dyn std::error::Error>> {
/// let people = (0..10_000).map(|i| {
///     PersonCreate::builder()
///         .name(format!("Person {i}"))
///         .emails(Some(vec![copper_crm::types::EmailAddress { email: format!("p{i}@example.com"), category: Some("work".into()) }]))
/// });
/// let report = client
///     .people()
///     .bulk_create(people)
///     .concurrency(4)
///     .on_progress(|p| eprintln!("{}/{:?} at {:.1}/s, eta {:?}", p.done, p.total, p.records_per_second, p.eta))
///     .execute()
///     .await;
/// assert_eq!(report.outcomes.len(), 10_000);
/// # Ok(()) }
/// ```
pub struct BulkJob<'a, R, I> {
    client: Client,
    endpoint: &'static Endpoint,
    action: Action,
    intake: Intake<'a, I>,
    total: Option<u64>,
    settings: Settings,
    on_progress: Option<ProgressCallback<'a>>,
    progress_tx: Option<tokio::sync::watch::Sender<BulkProgress>>,
    _record: PhantomData<fn() -> R>,
}

impl<R, I> fmt::Debug for BulkJob<'_, R, I> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("BulkJob")
            .field(
                "operation",
                &self
                    .endpoint
                    .bulk_operation(self.action)
                    .unwrap_or(self.endpoint.single_operation(self.action)),
            )
            .field("total", &self.total)
            .field("settings", &self.settings)
            .field("on_progress", &self.on_progress.is_some())
            .field("progress_channel", &self.progress_tx.is_some())
            .finish()
    }
}

impl<'a, R, I> BulkJob<'a, R, I>
where
    R: DeserializeOwned + Send + 'static,
    I: Send + Sync + 'static,
{
    pub(crate) fn new(
        client: &Client,
        endpoint: &'static Endpoint,
        action: Action,
        intake: Intake<'a, I>,
        total: Option<u64>,
    ) -> Self {
        let retry = &client.inner.executor.retry;
        BulkJob {
            client: client.clone(),
            endpoint,
            action,
            intake,
            total,
            settings: Settings {
                batch_size: DEFAULT_BATCH_SIZE,
                concurrency: DEFAULT_CONCURRENCY,
                computed: client.computed_values(),
                upsert_by_email: false,
                patience: retry.max_elapsed.saturating_mul(30),
                max_ambiguous_rounds: DEFAULT_MAX_AMBIGUOUS_ROUNDS,
            },
            on_progress: None,
            progress_tx: None,
            _record: PhantomData,
        }
    }

    /// Records per bulk request (default [`DEFAULT_BATCH_SIZE`], Copper's
    /// current limit; at least 1). If Copper answers that the request is too
    /// large, the batch is split and later batches use the smaller size, so
    /// a limit that moves never fails records. Ignored for operations
    /// without a bulk endpoint.
    ///
    /// ```no_run
    /// # fn run(client: copper_crm::Client, people: Vec<copper_crm::types::PersonCreate>) {
    /// let job = client.people().bulk_create(people).batch_size(25);
    /// # let _ = job; }
    /// ```
    pub fn batch_size(mut self, records: usize) -> Self {
        self.settings.batch_size = records.max(1);
        self
    }

    /// Requests in flight at once (default [`DEFAULT_CONCURRENCY`], at least
    /// 1). The client's rate limits still apply.
    ///
    /// ```no_run
    /// # fn run(client: copper_crm::Client, projects: Vec<copper_crm::types::ProjectCreate>) {
    /// let job = client.projects().bulk_create(projects).concurrency(8);
    /// # let _ = job; }
    /// ```
    pub fn concurrency(mut self, requests: usize) -> Self {
        self.settings.concurrency = requests.max(1);
        self
    }

    /// Ask Copper for computed custom field values (labels) in the returned
    /// records (default: the client's setting). Activities have none.
    ///
    /// ```no_run
    /// # fn run(client: copper_crm::Client, people: Vec<copper_crm::types::PersonCreate>) {
    /// let job = client.people().bulk_create(people).computed_custom_field_values(true);
    /// # let _ = job; }
    /// ```
    pub fn computed_custom_field_values(mut self, on: bool) -> Self {
        self.settings.computed = on;
        self
    }

    /// How long records may wait for Copper to process them — through a
    /// streak of 429s or an unreachable server — before they are reported
    /// `Rejected` (not applied). Default: 30 × the client's
    /// [`RetryPolicy::max_elapsed`](crate::RetryPolicy::max_elapsed) (one
    /// hour with the default policy). Also bounds retries of reconciliation
    /// lookups.
    ///
    /// ```no_run
    /// # fn run(client: copper_crm::Client, people: Vec<copper_crm::types::PersonCreate>) {
    /// let job = client.people().bulk_create(people).rate_limit_patience(std::time::Duration::from_secs(600));
    /// # let _ = job; }
    /// ```
    pub fn rate_limit_patience(mut self, patience: Duration) -> Self {
        self.settings.patience = patience;
        self
    }

    /// Ambiguous failures in a row a record may go through before it is
    /// reported `Unknown` (default [`DEFAULT_MAX_AMBIGUOUS_ROUNDS`]).
    ///
    /// ```no_run
    /// # fn run(client: copper_crm::Client, people: Vec<copper_crm::types::PersonCreate>) {
    /// let job = client.people().bulk_create(people).max_ambiguous_rounds(3);
    /// # let _ = job; }
    /// ```
    pub fn max_ambiguous_rounds(mut self, rounds: u32) -> Self {
        self.settings.max_ambiguous_rounds = rounds;
        self
    }

    /// The number of input records, for progress (`total` and `eta`) when
    /// the input cannot say (a stream without an exact size hint).
    ///
    /// ```no_run
    /// # fn run(client: copper_crm::Client, rows: impl futures::Stream<Item = copper_crm::types::PersonCreate> + Send + 'static) {
    /// let job = client.people().bulk_create_stream(rows).total(1_000_000);
    /// # let _ = job; }
    /// ```
    pub fn total(mut self, records: u64) -> Self {
        self.total = Some(records);
        self
    }

    /// Call `f` with a [`BulkProgress`] each time a group of records settles.
    /// It runs on the task that polls the job, so keep it quick.
    ///
    /// ```no_run
    /// # fn run(client: copper_crm::Client, people: Vec<copper_crm::types::PersonCreate>) {
    /// let job = client.people().bulk_create(people).on_progress(|p| {
    ///     eprint!("\r{} of {:?} ({:.0}/s)", p.done, p.total, p.records_per_second);
    /// });
    /// # let _ = job; }
    /// ```
    pub fn on_progress(mut self, f: impl FnMut(&BulkProgress) + Send + 'a) -> Self {
        self.on_progress = Some(Box::new(f));
        self
    }

    /// Publish each [`BulkProgress`] on a `watch` channel (the receiver sees
    /// the latest), e.g. for a UI task.
    ///
    /// ```no_run
    /// # async fn run(client: copper_crm::Client, people: Vec<copper_crm::types::PersonCreate>) {
    /// use copper_crm::bulk::{BulkCounts, BulkProgress};
    /// let (tx, mut rx) = tokio::sync::watch::channel(BulkProgress {
    ///     done: 0, total: None, counts: BulkCounts::default(), elapsed: Default::default(), records_per_second: 0.0, eta: None,
    /// });
    /// tokio::spawn(async move {
    ///     while rx.changed().await.is_ok() {
    ///         println!("{}", rx.borrow().done);
    ///     }
    /// });
    /// let report = client.people().bulk_create(people).progress_channel(tx).execute().await;
    /// # let _ = report; }
    /// ```
    pub fn progress_channel(mut self, sender: tokio::sync::watch::Sender<BulkProgress>) -> Self {
        self.progress_tx = Some(sender);
        self
    }

    /// Run the job and collect every outcome (sorted by input index) into a
    /// [`BulkReport`]. For very long runs prefer [`stream`](Self::stream),
    /// which does not keep the outcomes.
    ///
    /// ```no_run
    /// # async fn run(client: copper_crm::Client, people: Vec<copper_crm::types::PersonCreate>) {
    /// let report = client.people().bulk_create(people).execute().await;
    /// assert_eq!(report.counts.total() as usize, report.outcomes.len());
    /// # }
    /// ```
    pub async fn execute(self) -> BulkReport<R, I> {
        let client = self.client.clone();
        let before = client.stats();
        let started = Instant::now();
        let (engine, outcomes) = self.start();
        let mut outcomes = std::pin::pin!(outcomes);
        let mut all = Vec::new();
        let mut counts = BulkCounts::default();
        while let Some(outcome) = outcomes.next().await {
            counts.add(&outcome);
            all.push(outcome);
        }
        all.sort_by_key(BulkOutcome::index);
        BulkReport {
            outcomes: all,
            counts,
            elapsed: started.elapsed(),
            stats: engine.stats(),
            client_stats: stats_delta(before, client.stats()),
        }
    }

    /// Run the job as a stream of outcomes, in the order records settle (not
    /// input order; each carries its index). Memory stays flat however long
    /// the input: nothing is kept once yielded. Dropping the stream stops the
    /// job (records in flight may or may not have been applied).
    ///
    /// ```no_run
    /// use futures::StreamExt;
    /// use copper_crm::bulk::BulkOutcome;
    ///
    /// # async fn run(client: copper_crm::Client, rows: impl futures::Stream<Item = copper_crm::types::PersonCreate> + Send + 'static) {
    /// let mut outcomes = std::pin::pin!(client.people().bulk_create_stream(rows).stream());
    /// while let Some(outcome) = outcomes.next().await {
    ///     if let BulkOutcome::Rejected { index, errors, .. } = &outcome {
    ///         eprintln!("row {index}: {errors}");
    ///     }
    /// }
    /// # }
    /// ```
    pub fn stream(self) -> impl Stream<Item = BulkOutcome<R, I>> + Send + 'a {
        self.start().1
    }

    fn start(
        self,
    ) -> (
        Arc<Engine>,
        impl Stream<Item = BulkOutcome<R, I>> + Send + 'a,
    ) {
        let BulkJob {
            client,
            endpoint,
            action,
            intake,
            total,
            settings,
            mut on_progress,
            progress_tx,
            ..
        } = self;
        let concurrency = settings.concurrency.max(1);
        let engine = Arc::new(Engine::new(client, endpoint, action, settings));
        let runner = engine.clone();
        let report_progress = on_progress.is_some() || progress_tx.is_some();
        let mut tracker = ProgressTracker::new(total);
        let outcomes = chunks(intake, engine.limit.clone())
            .map(move |chunk| runner.clone().run_chunk::<R, I>(chunk))
            .buffer_unordered(concurrency)
            .map(move |settled| {
                if report_progress {
                    for outcome in &settled {
                        tracker.record(outcome);
                    }
                    let progress = tracker.snapshot();
                    if let Some(f) = on_progress.as_mut() {
                        f(&progress);
                    }
                    if let Some(tx) = &progress_tx {
                        tx.send_replace(progress);
                    }
                }
                stream::iter(settled)
            })
            .flatten();
        (engine, outcomes)
    }
}

impl<'a> BulkJob<'a, types::Lead, types::LeadCreate> {
    /// Treat each lead's email as its identity when a request fails
    /// ambiguously (5xx, timeout, dropped connection): instead of reporting
    /// `Unknown`, upsert the lead matched by email (`PUT /leads/upsert`,
    /// idempotent), which applies it exactly once whether or not the failed
    /// attempt did. Leads without an email stay `Unknown`. Opt-in because it
    /// assumes no two leads (in the input or already in Copper) share an
    /// email: an existing lead with the email is updated, and the outcome is
    /// then `Updated`.
    ///
    /// ```no_run
    /// # async fn run(client: copper_crm::Client, leads: Vec<copper_crm::types::LeadCreate>) {
    /// let report = client.leads().bulk_create(leads).upsert_by_email(true).execute().await;
    /// assert_eq!(report.counts.unknown, 0, "every lead here has an email");
    /// # }
    /// ```
    pub fn upsert_by_email(mut self, on: bool) -> Self {
        self.settings.upsert_by_email = on;
        self
    }
}
