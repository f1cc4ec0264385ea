//! The state machine that settles every record of a chunk: send, split on a
//! size limit, wait out rate limits, and reconcile ambiguous failures.

use std::collections::VecDeque;
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use futures::future::join_all;
use serde::de::DeserializeOwned;
use serde_json::Value;

use super::endpoint::{Action, Endpoint, NaturalKey};
use super::intake::{Chunk, Item};
use super::outcome::{BulkOutcome, ItemErrors};
use super::reconcile::RecentIds;
use super::report::BulkStats;
use crate::error::TransportKind;
use crate::{ApiErrorBody, Client, Error};

/// The options of one job, fixed when it starts.
#[derive(Debug, Clone)]
pub(crate) struct Settings {
    pub(crate) batch_size: usize,
    pub(crate) concurrency: usize,
    pub(crate) computed: bool,
    pub(crate) upsert_by_email: bool,
    pub(crate) patience: Duration,
    pub(crate) max_ambiguous_rounds: u32,
}

/// Counters of what the engine did.
#[derive(Debug, Default)]
pub(crate) struct Counters {
    pub(crate) bulk_requests: AtomicU64,
    pub(crate) single_requests: AtomicU64,
    pub(crate) lookups: AtomicU64,
    pub(crate) ambiguous: AtomicU64,
    pub(crate) reconciled: AtomicU64,
    pub(crate) resent: AtomicU64,
    pub(crate) splits: AtomicU64,
    pub(crate) throttled: AtomicU64,
}

/// One answer for one item: the stored record, or why it was refused.
#[derive(Debug)]
pub(crate) enum Answer {
    Record(Value),
    Failure(ItemErrors),
}

/// What to do with an item after an answer or a lookup.
pub(crate) enum Step<R, I> {
    Done(BulkOutcome<R, I>),
    Resend(Item<I>),
}

/// How a failed request is handled.
#[derive(Debug)]
enum Class {
    /// 429 or a refused connection: Copper did not process it; send it again.
    NotProcessed,
    /// 422 "Request size too large, limit is N".
    TooLarge(Option<usize>),
    /// The bulk endpoint does not exist (404/405): use single requests.
    EndpointMissing,
    /// 401/403: every further request would fail the same way.
    Fatal(ItemErrors),
    /// Another 4xx: the request was refused as a whole.
    Refused(ItemErrors),
    /// 5xx, timeout, dropped connection, undecodable answer: it may or may
    /// not have been applied.
    Ambiguous(String),
}

/// Records created before the job started minus this much are never taken
/// for the result of one of its ambiguous attempts (allows for clock skew
/// between this machine and Copper).
pub(crate) const CLOCK_SKEW_ALLOWANCE_SECS: i64 = 300;

/// A bulk job in progress.
#[derive(Debug)]
pub(crate) struct Engine {
    pub(crate) client: Client,
    pub(crate) endpoint: &'static Endpoint,
    pub(crate) action: Action,
    pub(crate) settings: Settings,
    /// How many records the chunker puts in a chunk (the batch size, lowered
    /// when Copper's size limit turns out smaller, 1 for single requests).
    pub(crate) limit: Arc<AtomicUsize>,
    single: AtomicBool,
    fatal: Mutex<Option<ItemErrors>>,
    pub(crate) claimed: Mutex<RecentIds>,
    pub(crate) started_unix: i64,
    pub(crate) counters: Counters,
}

impl Engine {
    pub(crate) fn new(
        client: Client,
        endpoint: &'static Endpoint,
        action: Action,
        settings: Settings,
    ) -> Self {
        let single = endpoint.bulk_operation(action).is_none();
        let limit = if single {
            1
        } else {
            settings.batch_size.max(1)
        };
        let started_unix = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_secs() as i64)
            .unwrap_or(0);
        Engine {
            client,
            endpoint,
            action,
            settings,
            limit: Arc::new(AtomicUsize::new(limit)),
            single: AtomicBool::new(single),
            fatal: Mutex::new(None),
            claimed: Mutex::new(RecentIds::default()),
            started_unix,
            counters: Counters::default(),
        }
    }

    pub(crate) fn stats(&self) -> BulkStats {
        let c = &self.counters;
        BulkStats {
            bulk_requests: c.bulk_requests.load(Ordering::Relaxed),
            single_requests: c.single_requests.load(Ordering::Relaxed),
            lookups: c.lookups.load(Ordering::Relaxed),
            ambiguous_failures: c.ambiguous.load(Ordering::Relaxed),
            reconciled: c.reconciled.load(Ordering::Relaxed),
            resent: c.resent.load(Ordering::Relaxed),
            splits: c.splits.load(Ordering::Relaxed),
            throttled: c.throttled.load(Ordering::Relaxed),
            batch_limit: self.limit.load(Ordering::Relaxed),
            single_requests_only: self.single.load(Ordering::Relaxed),
        }
    }

    /// The natural key in force (leads only with upsert-by-email).
    pub(crate) fn key(&self) -> NaturalKey {
        match self.endpoint.key {
            NaturalKey::LeadEmail if !self.settings.upsert_by_email => NaturalKey::None,
            k => k,
        }
    }

    fn fatal_errors(&self) -> Option<ItemErrors> {
        self.fatal.lock().unwrap_or_else(|p| p.into_inner()).clone()
    }

    pub(crate) fn backoff(&self, attempt: u32) -> Duration {
        self.client
            .inner
            .executor
            .retry
            .backoff(attempt.max(1), None)
    }

    /// `custom_field_computed_values` for operations that take it.
    pub(crate) fn query(&self) -> Vec<(&'static str, String)> {
        if self.endpoint.computed && self.settings.computed {
            vec![("custom_field_computed_values", "true".to_string())]
        } else {
            Vec::new()
        }
    }

    /// Settle every record of a chunk.
    pub(crate) async fn run_chunk<R, I>(self: Arc<Self>, chunk: Chunk<I>) -> Vec<BulkOutcome<R, I>>
    where
        R: DeserializeOwned + Send,
        I: Send + Sync,
    {
        let mut out = Vec::with_capacity(chunk.items.len() + chunk.invalid.len());
        for (index, reason) in chunk.invalid {
            out.push(BulkOutcome::Rejected {
                index,
                errors: ItemErrors::message(reason),
                input: None,
            });
        }
        let mut queue = VecDeque::from([chunk.items]);
        while let Some(batch) = queue.pop_front() {
            if batch.is_empty() {
                continue;
            }
            if let Some(fatal) = self.fatal_errors() {
                let mut errors = fatal;
                errors.message = Some(format!(
                    "not sent: an earlier request was refused ({})",
                    errors.message.as_deref().unwrap_or("authentication")
                ));
                out.extend(batch.into_iter().map(|item| rejected(item, errors.clone())));
                continue;
            }
            if self.single.load(Ordering::Relaxed) {
                let settled = join_all(
                    batch
                        .into_iter()
                        .map(|item| self.run_batch::<R, I>(vec![item], true)),
                )
                .await;
                for (outcomes, requeue) in settled {
                    out.extend(outcomes);
                    for b in requeue.into_iter().rev() {
                        queue.push_front(b);
                    }
                }
                continue;
            }
            let limit = self.limit.load(Ordering::Relaxed).max(1);
            if batch.len() > limit {
                for piece in split_into(batch, limit).into_iter().rev() {
                    queue.push_front(piece);
                }
                continue;
            }
            let (outcomes, requeue) = self.run_batch::<R, I>(batch, false).await;
            out.extend(outcomes);
            for b in requeue.into_iter().rev() {
                queue.push_front(b);
            }
        }
        out
    }

    /// Send one batch (one bulk request, or one single request) until every
    /// item is settled or must go out again in another batch.
    async fn run_batch<R, I>(
        &self,
        batch: Vec<Item<I>>,
        single: bool,
    ) -> (Vec<BulkOutcome<R, I>>, Vec<Vec<Item<I>>>)
    where
        R: DeserializeOwned + Send,
        I: Send + Sync,
    {
        let mut out = Vec::new();
        let mut requeue = Vec::new();
        let mut throttled_since: Option<Instant> = None;
        let mut attempt = 0u32;
        loop {
            let result = if single {
                self.send_single(&batch[0]).await
            } else {
                self.send_bulk(&batch).await
            };
            let error = match result {
                Ok(answers) if answers.len() == batch.len() => {
                    let steps = join_all(
                        batch
                            .into_iter()
                            .zip(answers)
                            .map(|(item, answer)| self.settle::<R, I>(item, answer)),
                    )
                    .await;
                    collect_steps(steps, &mut out, &mut requeue, &self.counters);
                    return (out, requeue);
                }
                Ok(answers) => {
                    let reason = format!(
                        "{} answered {} outcomes for {} records, so which were applied is unknown",
                        self.operation(single),
                        answers.len(),
                        batch.len()
                    );
                    self.after_ambiguous(batch, reason, &mut out, &mut requeue)
                        .await;
                    return (out, requeue);
                }
                Err(e) => e,
            };
            match classify(&error, !single) {
                Class::NotProcessed => {
                    self.counters.throttled.fetch_add(1, Ordering::Relaxed);
                    let since = *throttled_since.get_or_insert_with(Instant::now);
                    attempt += 1;
                    let wait = self.backoff(attempt);
                    if since.elapsed() + wait > self.settings.patience {
                        let mut errors = ItemErrors::message(format!(
                            "not applied: Copper did not process it for longer than the patience of {:?} ({error})",
                            self.settings.patience
                        ));
                        errors.status = error.status();
                        out.extend(batch.into_iter().map(|item| rejected(item, errors.clone())));
                        return (out, requeue);
                    }
                    tracing::debug!(
                        operation = self.operation(single),
                        attempt,
                        wait_ms = wait.as_millis() as u64,
                        "not processed; sending the same records again"
                    );
                    tokio::time::sleep(wait).await;
                }
                Class::TooLarge(limit) => {
                    if batch.len() <= 1 {
                        out.extend(
                            batch
                                .into_iter()
                                .map(|item| rejected(item, errors_of(&error))),
                        );
                        return (out, requeue);
                    }
                    let smaller = match limit {
                        Some(n) if n >= 1 && n < batch.len() => n,
                        _ => batch.len() / 2,
                    };
                    self.limit.fetch_min(smaller, Ordering::Relaxed);
                    self.counters.splits.fetch_add(1, Ordering::Relaxed);
                    tracing::info!(
                        operation = self.operation(single),
                        from = batch.len(),
                        to = smaller,
                        "Copper's bulk size limit is smaller than the batch; splitting"
                    );
                    requeue.extend(split_into(batch, smaller));
                    return (out, requeue);
                }
                Class::EndpointMissing => {
                    tracing::warn!(operation = self.operation(single), %error, "the bulk endpoint is not available; using single requests");
                    self.single.store(true, Ordering::Relaxed);
                    self.limit.store(1, Ordering::Relaxed);
                    requeue.push(batch);
                    return (out, requeue);
                }
                Class::Fatal(errors) => {
                    *self.fatal.lock().unwrap_or_else(|p| p.into_inner()) = Some(errors.clone());
                    out.extend(batch.into_iter().map(|item| rejected(item, errors.clone())));
                    return (out, requeue);
                }
                Class::Refused(errors) => {
                    if batch.len() > 1 {
                        // One bad record can sink a whole request: find it.
                        self.counters.splits.fetch_add(1, Ordering::Relaxed);
                        let half = batch.len().div_ceil(2);
                        requeue.extend(split_into(batch, half));
                        return (out, requeue);
                    }
                    let item = batch.into_iter().next().expect("a batch is never empty");
                    let step = self.settle::<R, I>(item, Answer::Failure(errors)).await;
                    collect_steps(vec![step], &mut out, &mut requeue, &self.counters);
                    return (out, requeue);
                }
                Class::Ambiguous(reason) => {
                    self.after_ambiguous(batch, reason, &mut out, &mut requeue)
                        .await;
                    return (out, requeue);
                }
            }
        }
    }

    fn operation(&self, single: bool) -> &'static str {
        match (single, self.endpoint.bulk_operation(self.action)) {
            (false, Some(op)) => op,
            _ => self.endpoint.single_operation(self.action),
        }
    }

    /// One bulk request; the answer split into one [`Answer`] per item.
    async fn send_bulk<I>(&self, batch: &[Item<I>]) -> Result<Vec<Answer>, Error> {
        let operation = self.operation(false);
        let path = format!(
            "/{}/{}",
            self.endpoint.path,
            match self.action {
                Action::Create => "bulk_create",
                Action::Update => "bulk_update",
            }
        );
        let list: Vec<Value> = batch.iter().map(Item::bulk_json).collect();
        let mut body = serde_json::Map::new();
        body.insert(self.endpoint.path.to_string(), Value::Array(list));
        self.counters.bulk_requests.fetch_add(1, Ordering::Relaxed);
        let answers: Vec<Value> = self
            .client
            .send_json(
                operation,
                reqwest::Method::POST,
                &path,
                &self.query(),
                &Value::Object(body),
            )
            .await?;
        Ok(answers.into_iter().map(answer_of_bulk_item).collect())
    }

    /// One single create or update.
    async fn send_single<I>(&self, item: &Item<I>) -> Result<Vec<Answer>, Error> {
        let operation = self.operation(true);
        let (method, path) = match (self.action, item.id) {
            (Action::Update, Some(id)) => (
                reqwest::Method::PUT,
                format!("/{}/{id}", self.endpoint.path),
            ),
            _ => (reqwest::Method::POST, format!("/{}", self.endpoint.path)),
        };
        self.counters
            .single_requests
            .fetch_add(1, Ordering::Relaxed);
        let record: Value = self
            .client
            .send_json(operation, method, &path, &self.query(), &item.body)
            .await?;
        Ok(vec![Answer::Record(record)])
    }

    /// Settle one item from its answer.
    pub(crate) async fn settle<R, I>(&self, item: Item<I>, answer: Answer) -> Step<R, I>
    where
        R: DeserializeOwned,
    {
        match answer {
            Answer::Record(value) => {
                Step::Done(self.applied(item, value, self.action == Action::Update, false))
            }
            Answer::Failure(errors) => {
                let key_conflict = self.action == Action::Create
                    && item.ambiguous.is_some()
                    && self.key().field().is_some_and(|f| errors.has_field(f));
                if key_conflict {
                    // The earlier, ambiguous attempt may be what now holds
                    // the unique attribute.
                    self.reconcile_conflict(item, errors).await
                } else {
                    Step::Done(rejected(item, errors))
                }
            }
        }
    }

    /// The outcome for a record Copper stored.
    pub(crate) fn applied<R, I>(
        &self,
        item: Item<I>,
        value: Value,
        updated: bool,
        reconciled: bool,
    ) -> BulkOutcome<R, I>
    where
        R: DeserializeOwned,
    {
        let id = value.get("id").and_then(Value::as_i64);
        if !reconciled
            && !updated
            && self.claims_ids()
            && let Some(id) = id
        {
            self.claimed
                .lock()
                .unwrap_or_else(|p| p.into_inner())
                .claim(id);
        }
        match serde_json::from_value::<R>(value) {
            Ok(record) if updated => BulkOutcome::Updated {
                index: item.index,
                record,
            },
            Ok(record) => BulkOutcome::Created {
                index: item.index,
                record,
            },
            Err(e) => BulkOutcome::Unknown {
                index: item.index,
                input: item.input,
                reason: format!(
                    "Copper {} the record{} but its answer could not be decoded: {e}",
                    if updated { "updated" } else { "stored" },
                    id.map(|id| format!(" (id {id})")).unwrap_or_default()
                ),
            },
        }
    }

    /// Whether records of this job are claimed by id (to never attribute one
    /// record to two inputs).
    pub(crate) fn claims_ids(&self) -> bool {
        matches!(
            self.key(),
            NaturalKey::PersonEmail | NaturalKey::CompanyDomain
        )
    }

    /// A request carrying `batch` failed ambiguously.
    async fn after_ambiguous<R, I>(
        &self,
        batch: Vec<Item<I>>,
        reason: String,
        out: &mut Vec<BulkOutcome<R, I>>,
        requeue: &mut Vec<Vec<Item<I>>>,
    ) where
        R: DeserializeOwned + Send,
        I: Send + Sync,
    {
        self.counters.ambiguous.fetch_add(1, Ordering::Relaxed);
        tracing::info!(operation = self.operation(false), records = batch.len(), %reason, "ambiguous failure; reconciling");
        let mut pending = Vec::with_capacity(batch.len());
        for mut item in batch {
            item.rounds += 1;
            item.ambiguous = Some(reason.clone());
            if item.rounds > self.settings.max_ambiguous_rounds {
                out.push(BulkOutcome::Unknown {
                    index: item.index,
                    reason: format!(
                        "{} ambiguous failures in a row; the last: {reason}",
                        item.rounds
                    ),
                    input: item.input,
                });
            } else {
                pending.push(item);
            }
        }
        if pending.is_empty() {
            return;
        }
        if self.action == Action::Update {
            // Updates are idempotent: the same attributes again do no harm.
            tokio::time::sleep(self.backoff(pending[0].rounds)).await;
            self.counters
                .resent
                .fetch_add(pending.len() as u64, Ordering::Relaxed);
            requeue.push(pending);
            return;
        }
        let steps = join_all(pending.into_iter().map(|item| self.reconcile::<R, I>(item))).await;
        collect_steps(steps, out, requeue, &self.counters);
    }
}

/// Sort settled steps into outcomes and one batch to send again.
fn collect_steps<R, I>(
    steps: Vec<Step<R, I>>,
    out: &mut Vec<BulkOutcome<R, I>>,
    requeue: &mut Vec<Vec<Item<I>>>,
    counters: &Counters,
) {
    let mut again = Vec::new();
    for step in steps {
        match step {
            Step::Done(o) => out.push(o),
            Step::Resend(item) => again.push(item),
        }
    }
    if !again.is_empty() {
        counters
            .resent
            .fetch_add(again.len() as u64, Ordering::Relaxed);
        requeue.push(again);
    }
}

pub(crate) fn rejected<R, I>(item: Item<I>, errors: ItemErrors) -> BulkOutcome<R, I> {
    BulkOutcome::Rejected {
        index: item.index,
        errors,
        input: Some(item.input),
    }
}

fn split_into<T>(items: Vec<T>, size: usize) -> Vec<Vec<T>> {
    let size = size.max(1);
    let mut pieces = Vec::with_capacity(items.len().div_ceil(size));
    let mut current = Vec::with_capacity(size);
    for item in items {
        current.push(item);
        if current.len() == size {
            pieces.push(std::mem::replace(&mut current, Vec::with_capacity(size)));
        }
    }
    if !current.is_empty() {
        pieces.push(current);
    }
    pieces
}

/// One item of a bulk answer: a failure is `{"success": false, ...}`.
fn answer_of_bulk_item(value: Value) -> Answer {
    if value.get("success").and_then(Value::as_bool) == Some(false) {
        Answer::Failure(ItemErrors::from_bulk_failure(&value))
    } else {
        Answer::Record(value)
    }
}

fn errors_of(error: &Error) -> ItemErrors {
    match error {
        Error::Api { status, body, .. } => ItemErrors::from_api(*status, body),
        Error::RateLimited { body, .. } => ItemErrors::from_api(429, body),
        other => ItemErrors::message(other.to_string()),
    }
}

fn classify(error: &Error, bulk: bool) -> Class {
    match error {
        Error::RateLimited { .. } => Class::NotProcessed,
        Error::InvalidInput(m) => Class::Refused(ItemErrors::message(m.clone())),
        Error::Transport {
            kind: TransportKind::Connect,
            ..
        } => Class::NotProcessed,
        Error::Api { status, body, .. } => match *status {
            429 => Class::NotProcessed,
            422 if size_limit_message(body) => Class::TooLarge(size_limit_of(body)),
            404 | 405 if bulk => Class::EndpointMissing,
            401 | 403 => Class::Fatal(ItemErrors::from_api(*status, body)),
            400..=499 => Class::Refused(ItemErrors::from_api(*status, body)),
            _ => Class::Ambiguous(error.to_string()),
        },
        _ => Class::Ambiguous(error.to_string()),
    }
}

/// `{"error": "Request size too large, limit is 10"}`.
fn size_limit_message(body: &ApiErrorBody) -> bool {
    let text = body.text().to_ascii_lowercase();
    text.contains("too large") || text.contains("request size")
}

/// The `N` of "limit is N", if the message names one.
fn size_limit_of(body: &ApiErrorBody) -> Option<usize> {
    let text = body.text().to_ascii_lowercase();
    let rest = &text[text.find("limit")? + "limit".len()..];
    let digits: String = rest
        .chars()
        .skip_while(|c| !c.is_ascii_digit())
        .take_while(char::is_ascii_digit)
        .collect();
    digits.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use copper_crm_raw::types::ErrorBody;

    fn body(json: serde_json::Value) -> ApiErrorBody {
        ApiErrorBody(serde_json::from_value::<ErrorBody>(json).unwrap())
    }

    #[test]
    fn the_size_limit_is_read_from_the_message() {
        let b = body(serde_json::json!({"error": "Request size too large, limit is 10"}));
        assert!(size_limit_message(&b));
        assert_eq!(size_limit_of(&b), Some(10));
        let moved = body(serde_json::json!({"error": "Request size too large, limit is 25 items"}));
        assert_eq!(size_limit_of(&moved), Some(25));
        let vague = body(serde_json::json!({"error": "Request size too large"}));
        assert!(size_limit_message(&vague));
        assert_eq!(size_limit_of(&vague), None);
        assert!(!size_limit_message(&body(
            serde_json::json!({"message": "name can't be blank"})
        )));
    }

    #[test]
    fn failures_are_classified_by_what_copper_did() {
        let api = |status: u16, json: serde_json::Value| Error::Api {
            operation: "people_bulk_create",
            status,
            body: body(json),
        };
        assert!(matches!(
            classify(&api(429, serde_json::json!({})), true),
            Class::NotProcessed
        ));
        assert!(matches!(
            classify(
                &Error::RateLimited {
                    operation: "x",
                    body: body(serde_json::json!({}))
                },
                true
            ),
            Class::NotProcessed
        ));
        assert!(matches!(
            classify(
                &api(
                    422,
                    serde_json::json!({"error": "Request size too large, limit is 5"})
                ),
                true
            ),
            Class::TooLarge(Some(5))
        ));
        assert!(matches!(
            classify(&api(404, serde_json::json!({"error": "not_found"})), true),
            Class::EndpointMissing
        ));
        assert!(matches!(
            classify(&api(404, serde_json::json!({"error": "not_found"})), false),
            Class::Refused(_)
        ));
        assert!(matches!(
            classify(&api(401, serde_json::json!({})), true),
            Class::Fatal(_)
        ));
        assert!(matches!(
            classify(&api(422, serde_json::json!({"message": "bad"})), true),
            Class::Refused(_)
        ));
        assert!(matches!(
            classify(&api(503, serde_json::json!({})), true),
            Class::Ambiguous(_)
        ));
        assert!(matches!(
            classify(&api(500, serde_json::json!({})), false),
            Class::Ambiguous(_)
        ));
        let decode = Error::Decode {
            operation: "x",
            status: Some(200),
            message: "eof".into(),
            snippet: String::new(),
        };
        assert!(matches!(classify(&decode, true), Class::Ambiguous(_)));
        assert!(matches!(
            classify(&Error::InvalidInput("x".into()), true),
            Class::Refused(_)
        ));
    }

    #[test]
    fn batches_split_in_order() {
        let pieces = split_into((0..12).collect::<Vec<_>>(), 5);
        assert_eq!(
            pieces,
            vec![vec![0, 1, 2, 3, 4], vec![5, 6, 7, 8, 9], vec![10, 11]]
        );
        assert_eq!(split_into(Vec::<u8>::new(), 3), Vec::<Vec<u8>>::new());
    }

    #[test]
    fn bulk_items_are_failures_only_when_copper_says_so() {
        assert!(matches!(
            answer_of_bulk_item(serde_json::json!({"id": 1, "name": "A"})),
            Answer::Record(_)
        ));
        assert!(matches!(
            answer_of_bulk_item(
                serde_json::json!({"success": false, "message": {"name": [{"error": "invalid"}]}})
            ),
            Answer::Failure(_)
        ));
    }
}
