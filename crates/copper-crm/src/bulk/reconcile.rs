//! Finding out whether an ambiguous create was applied, by the record's
//! unique attribute: a person's email, a company's email domain, or (opted
//! into) a lead's email through an idempotent upsert.

use std::collections::{HashSet, VecDeque};
use std::future::Future;
use std::sync::atomic::Ordering;
use std::time::Instant;

use serde::de::DeserializeOwned;
use serde_json::{Value, json};

use super::endpoint::NaturalKey;
use super::engine::{CLOCK_SKEW_ALLOWANCE_SECS, Engine, Step, rejected};
use super::intake::Item;
use super::outcome::{BulkOutcome, ItemErrors};
use crate::Error;

/// How many record ids a job remembers as attributed to one of its inputs.
const CLAIM_MEMORY: usize = 1 << 17;

/// The ids of records this job has attributed to an input, so one record is
/// never reported for two inputs (two inputs sharing an email). Bounded:
/// the oldest ids are forgotten first.
#[derive(Debug)]
pub(crate) struct RecentIds {
    set: HashSet<i64>,
    order: VecDeque<i64>,
    capacity: usize,
}

impl Default for RecentIds {
    fn default() -> Self {
        RecentIds::with_capacity(CLAIM_MEMORY)
    }
}

impl RecentIds {
    pub(crate) fn with_capacity(capacity: usize) -> Self {
        RecentIds {
            set: HashSet::new(),
            order: VecDeque::new(),
            capacity: capacity.max(1),
        }
    }

    /// Attribute `id`; false if it already was.
    pub(crate) fn claim(&mut self, id: i64) -> bool {
        if !self.set.insert(id) {
            return false;
        }
        self.order.push_back(id);
        if self.order.len() > self.capacity
            && let Some(old) = self.order.pop_front()
        {
            self.set.remove(&old);
        }
        true
    }
}

/// Whether a lookup found the record.
enum Found {
    Record(Value),
    Nothing,
}

impl Engine {
    /// After an ambiguous failure: was `item` applied?
    pub(crate) async fn reconcile<R, I>(&self, item: Item<I>) -> Step<R, I>
    where
        R: DeserializeOwned,
    {
        let reason = item.ambiguous.clone().unwrap_or_default();
        match self.key() {
            NaturalKey::PersonEmail | NaturalKey::CompanyDomain => {
                let Some(key) = self.key_value(&item.body) else {
                    return Step::Done(unknown(
                        item,
                        &reason,
                        format!("it has no {} to reconcile by", self.key_name()),
                    ));
                };
                match self.look_up(&key).await {
                    Ok(Found::Record(found)) => {
                        if self.is_ours(&item.body, &found) {
                            self.counters.reconciled.fetch_add(1, Ordering::Relaxed);
                            Step::Done(self.applied(item, found, false, true))
                        } else {
                            // Someone else holds the unique attribute, so the
                            // ambiguous attempt did not create this record and
                            // sending it again would fail.
                            let owner = found
                                .get("id")
                                .and_then(Value::as_i64)
                                .map(|id| id.to_string())
                                .unwrap_or_else(|| "?".into());
                            let field = self.key().field().unwrap_or("key").to_string();
                            let errors = ItemErrors {
                                fields: vec![super::outcome::FieldError {
                                    field,
                                    message: format!(
                                        "{key} already belongs to record {owner} (found while reconciling after: {reason})"
                                    ),
                                }],
                                message: None,
                                status: None,
                            };
                            Step::Done(rejected(item, errors))
                        }
                    }
                    Ok(Found::Nothing) => Step::Resend(item),
                    Err(e) => Step::Done(unknown(
                        item,
                        &reason,
                        format!("looking it up by {} failed: {e}", self.key_name()),
                    )),
                }
            }
            NaturalKey::LeadEmail => self.upsert_lead(item, &reason).await,
            NaturalKey::None => Step::Done(unknown(
                item,
                &reason,
                format!(
                    "{} records have no unique attribute to reconcile by",
                    self.endpoint.path
                ),
            )),
        }
    }

    /// A record was refused on its unique attribute after an earlier attempt
    /// that carried it failed ambiguously: that attempt may hold it.
    pub(crate) async fn reconcile_conflict<R, I>(
        &self,
        item: Item<I>,
        errors: ItemErrors,
    ) -> Step<R, I>
    where
        R: DeserializeOwned,
    {
        let Some(key) = self.key_value(&item.body) else {
            return Step::Done(rejected(item, errors));
        };
        // Search (companies) may lag behind writes: look a few times.
        let tries = if self.key() == NaturalKey::CompanyDomain {
            4
        } else {
            1
        };
        for attempt in 1..=tries {
            match self.look_up(&key).await {
                Ok(Found::Record(found)) if self.is_ours(&item.body, &found) => {
                    self.counters.reconciled.fetch_add(1, Ordering::Relaxed);
                    return Step::Done(self.applied(item, found, false, true));
                }
                Ok(Found::Record(_)) => return Step::Done(rejected(item, errors)),
                Ok(Found::Nothing) if attempt < tries => {
                    tokio::time::sleep(self.backoff(attempt)).await
                }
                Ok(Found::Nothing) => {}
                Err(e) => {
                    let reason = item.ambiguous.clone().unwrap_or_default();
                    return Step::Done(unknown(
                        item,
                        &reason,
                        format!("then Copper refused it ({errors}) and looking it up failed: {e}"),
                    ));
                }
            }
        }
        if looks_like_a_uniqueness_conflict(&errors) {
            let reason = item.ambiguous.clone().unwrap_or_default();
            Step::Done(unknown(
                item,
                &reason,
                format!(
                    "then Copper refused it as taken ({errors}) but no record with its {key} can be found",
                    key = self.key_name()
                ),
            ))
        } else {
            Step::Done(rejected(item, errors))
        }
    }

    fn key_name(&self) -> &'static str {
        match self.key() {
            NaturalKey::PersonEmail | NaturalKey::LeadEmail => "email",
            NaturalKey::CompanyDomain => "email_domain",
            NaturalKey::None => "unique attribute",
        }
    }

    /// The value of the unique attribute in a create body.
    fn key_value(&self, body: &Value) -> Option<String> {
        let v = match self.key() {
            NaturalKey::PersonEmail => body
                .get("emails")?
                .as_array()?
                .first()?
                .get("email")?
                .as_str()?,
            NaturalKey::LeadEmail => body.get("email")?.get("email")?.as_str()?,
            NaturalKey::CompanyDomain => body.get("email_domain")?.as_str()?,
            NaturalKey::None => return None,
        };
        let v = v.trim();
        (!v.is_empty()).then(|| v.to_string())
    }

    async fn look_up(&self, key: &str) -> Result<Found, Error> {
        match self.key() {
            NaturalKey::PersonEmail => {
                let body = json!({ "email": key });
                let query = self.query();
                let found = self
                    .patiently(|| {
                        self.counters.lookups.fetch_add(1, Ordering::Relaxed);
                        self.client.send_json::<Value>(
                            "people_fetch_by_email",
                            reqwest::Method::POST,
                            "/people/fetch_by_email",
                            &query,
                            &body,
                        )
                    })
                    .await;
                match found {
                    Ok(v) => Ok(Found::Record(v)),
                    Err(Error::Api { status: 404, .. }) => Ok(Found::Nothing),
                    Err(e) => Err(e),
                }
            }
            NaturalKey::CompanyDomain => {
                let body = json!({ "email_domains": [key], "page_size": 25 });
                let query = self.query();
                let list: Vec<Value> = self
                    .patiently(|| {
                        self.counters.lookups.fetch_add(1, Ordering::Relaxed);
                        self.client.send_json::<Vec<Value>>(
                            "companies_search",
                            reqwest::Method::POST,
                            "/companies/search",
                            &query,
                            &body,
                        )
                    })
                    .await?;
                let wanted = key.to_ascii_lowercase();
                Ok(list
                    .into_iter()
                    .find(|c| {
                        c.get("email_domain")
                            .and_then(Value::as_str)
                            .is_some_and(|d| d.trim().to_ascii_lowercase() == wanted)
                    })
                    .map_or(Found::Nothing, Found::Record))
            }
            NaturalKey::LeadEmail | NaturalKey::None => Ok(Found::Nothing),
        }
    }

    /// Whether `found` is the record `body` would have created: created
    /// since the job started, same name, same unique attributes, and not
    /// already attributed to another input.
    fn is_ours(&self, body: &Value, found: &Value) -> bool {
        if let Some(created) = found.get("date_created").and_then(Value::as_i64)
            && created < self.started_unix - CLOCK_SKEW_ALLOWANCE_SECS
        {
            return false;
        }
        if let Some(name) = body.get("name").and_then(Value::as_str)
            && !same_text(
                name,
                found
                    .get("name")
                    .and_then(Value::as_str)
                    .unwrap_or_default(),
            )
        {
            return false;
        }
        let matches = match self.key() {
            NaturalKey::PersonEmail => {
                let held: HashSet<String> = emails_of(found).collect();
                emails_of(body).all(|e| held.contains(&e))
            }
            NaturalKey::CompanyDomain => {
                let domain = |v: &Value| {
                    v.get("email_domain")
                        .and_then(Value::as_str)
                        .map(|d| d.trim().to_ascii_lowercase())
                };
                domain(body) == domain(found)
            }
            NaturalKey::LeadEmail | NaturalKey::None => false,
        };
        matches
            && found.get("id").and_then(Value::as_i64).is_some_and(|id| {
                self.claimed
                    .lock()
                    .unwrap_or_else(|p| p.into_inner())
                    .claim(id)
            })
    }

    /// Leads opted into upsert-by-email: the idempotent upsert (matched by
    /// email) applies the record whether or not the ambiguous attempt did.
    async fn upsert_lead<R, I>(&self, item: Item<I>, reason: &str) -> Step<R, I>
    where
        R: DeserializeOwned,
    {
        let Some(email) = self.key_value(&item.body) else {
            return Step::Done(unknown(
                item,
                reason,
                "it has no email to upsert by".to_string(),
            ));
        };
        let body = json!({
            "properties": item.body,
            "match": { "field_name": "email", "field_value": email },
        });
        let query = self.query();
        let answer = self
            .patiently(|| {
                self.counters
                    .single_requests
                    .fetch_add(1, Ordering::Relaxed);
                self.client.send_json::<Value>(
                    "leads_upsert",
                    reqwest::Method::PUT,
                    "/leads/upsert",
                    &query,
                    &body,
                )
            })
            .await;
        match answer {
            Ok(lead) => {
                self.counters.reconciled.fetch_add(1, Ordering::Relaxed);
                let older = lead
                    .get("date_created")
                    .and_then(Value::as_i64)
                    .is_some_and(|c| c < self.started_unix - CLOCK_SKEW_ALLOWANCE_SECS);
                Step::Done(self.applied(item, lead, older, true))
            }
            Err(Error::Api { status, body, .. })
                if (400..500).contains(&status) && status != 429 =>
            {
                let errors = ItemErrors::from_api(status, &body);
                if errors.to_string().to_ascii_lowercase().contains("match") {
                    // Several leads have this email: the ambiguous attempt
                    // may have added one of them.
                    Step::Done(unknown(
                        item,
                        reason,
                        format!("the upsert by email was refused: {errors}"),
                    ))
                } else {
                    Step::Done(rejected(item, errors))
                }
            }
            Err(e) => Step::Done(unknown(
                item,
                reason,
                format!("the upsert by email failed too: {e}"),
            )),
        }
    }

    /// Call an idempotent operation, retrying retryable failures (429, 5xx,
    /// transport) for as long as the job's patience allows.
    async fn patiently<T, F, Fut>(&self, mut call: F) -> Result<T, Error>
    where
        F: FnMut() -> Fut,
        Fut: Future<Output = Result<T, Error>>,
    {
        let started = Instant::now();
        let mut attempt = 0u32;
        loop {
            match call().await {
                Ok(v) => return Ok(v),
                Err(e) if e.is_retryable() && attempt < 50 => {
                    attempt += 1;
                    let wait = self.backoff(attempt);
                    if started.elapsed() + wait > self.settings.patience {
                        return Err(e);
                    }
                    tokio::time::sleep(wait).await;
                }
                Err(e) => return Err(e),
            }
        }
    }
}

fn unknown<R, I>(item: Item<I>, reason: &str, why: String) -> BulkOutcome<R, I> {
    BulkOutcome::Unknown {
        index: item.index,
        input: item.input,
        reason: format!("{reason}; {why}"),
    }
}

fn same_text(a: &str, b: &str) -> bool {
    let norm = |s: &str| {
        s.split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
            .to_lowercase()
    };
    norm(a) == norm(b)
}

fn emails_of(v: &Value) -> impl Iterator<Item = String> + '_ {
    v.get("emails")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(|e| e.get("email").and_then(Value::as_str))
        .map(|e| e.trim().to_ascii_lowercase())
}

/// Whether Copper's message says the unique attribute is taken (the wording
/// is not documented, so several phrasings are accepted).
fn looks_like_a_uniqueness_conflict(errors: &ItemErrors) -> bool {
    let text = errors.to_string().to_ascii_lowercase();
    [
        "already",
        "taken",
        "exists",
        "unique",
        "duplicate",
        "in use",
    ]
    .iter()
    .any(|w| text.contains(w))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn claims_are_unique_and_bounded() {
        let mut ids = RecentIds::with_capacity(2);
        assert!(ids.claim(1));
        assert!(!ids.claim(1));
        assert!(ids.claim(2));
        assert!(ids.claim(3));
        // 1 was forgotten, 2 and 3 are remembered.
        assert!(ids.claim(1));
        assert!(!ids.claim(3));
    }

    #[test]
    fn names_and_emails_compare_loosely() {
        assert!(same_text(" Ada  Lovelace", "ada lovelace"));
        assert!(!same_text("Ada", "Ada L"));
        let v = json!({"emails": [{"email": "A@Example.com "}, {"email": "b@x.io"}]});
        assert_eq!(
            emails_of(&v).collect::<Vec<_>>(),
            ["a@example.com", "b@x.io"]
        );
        let taken = ItemErrors::from_bulk_failure(
            &json!({"success": false, "message": {"emails": [{"error": "a@b.c is already the email of person 4"}]}}),
        );
        assert!(looks_like_a_uniqueness_conflict(&taken));
        let invalid = ItemErrors::from_bulk_failure(
            &json!({"success": false, "message": {"emails": [{"error": "is invalid"}]}}),
        );
        assert!(!looks_like_a_uniqueness_conflict(&invalid));
    }
}

/// The reconciliation paths, against the simulator over loopback HTTP.
#[cfg(test)]
mod against_the_simulator {
    use std::sync::Arc;
    use std::time::Duration;

    use copper_crm_raw::types;
    use copper_crm_sim::{Limits, Sim, SimHandle};
    use serde_json::json;

    use super::super::endpoint::{self, Action};
    use super::super::engine::{Answer, Engine, Settings, Step};
    use super::super::intake::Item;
    use super::super::outcome::{BulkOutcome, ItemErrors};
    use crate::Client;

    async fn engine(sim: &SimHandle, endpoint: &'static endpoint::Endpoint) -> Arc<Engine> {
        let client = Client::builder()
            .api_key(
                copper_crm_sim::DEFAULT_API_KEY,
                copper_crm_sim::DEFAULT_EMAIL,
            )
            .base_url(sim.base_url())
            .rate_limits(crate::RateLimits::unlimited())
            .build()
            .unwrap();
        let settings = Settings {
            batch_size: 10,
            concurrency: 1,
            computed: false,
            upsert_by_email: false,
            patience: Duration::from_secs(5),
            max_ambiguous_rounds: 3,
        };
        Arc::new(Engine::new(client, endpoint, Action::Create, settings))
    }

    fn item(index: u64, body: serde_json::Value) -> Item<serde_json::Value> {
        Item {
            index,
            input: body.clone(),
            body,
            id: None,
            ambiguous: Some("people_bulk_create: 503".into()),
            rounds: 1,
        }
    }

    fn taken(message: &str) -> Answer {
        Answer::Failure(ItemErrors::from_bulk_failure(
            &json!({"success": false, "message": {"emails": [{"error": message}]}}),
        ))
    }

    fn outcome(
        step: Step<types::Person, serde_json::Value>,
    ) -> BulkOutcome<types::Person, serde_json::Value> {
        match step {
            Step::Done(o) => o,
            Step::Resend(i) => panic!("resend of #{}", i.index),
        }
    }

    #[tokio::test]
    async fn a_taken_email_after_an_ambiguous_attempt_is_reconciled() {
        let sim = Sim::builder().limits(Limits::Off).start().await.unwrap();
        let engine = engine(&sim, &endpoint::PEOPLE).await;
        let ada = json!({"name": "Ada Lovelace", "emails": [{"email": "ada@example.com"}]});
        // What the ambiguous attempt did: the person exists.
        let stored: types::Person = engine
            .client
            .send_json("people_create", reqwest::Method::POST, "/people", &[], &ada)
            .await
            .unwrap();

        // Refused as taken: the person is ours, so it was created.
        let o = outcome(
            engine
                .settle(
                    item(0, ada.clone()),
                    taken("ada@example.com is already taken"),
                )
                .await,
        );
        assert!(
            matches!(&o, BulkOutcome::Created { index: 0, record } if record.id == stored.id),
            "{o:?}"
        );

        // The same record again (a duplicate input): the person is already
        // attributed to #0, so #1 is rejected with Copper's message.
        let o = outcome(
            engine
                .settle(
                    item(1, ada.clone()),
                    taken("ada@example.com is already taken"),
                )
                .await,
        );
        assert!(
            matches!(&o, BulkOutcome::Rejected { index: 1, errors, .. } if errors.has_field("emails")),
            "{o:?}"
        );

        // Another name with the same email: someone else's person.
        let bob = json!({"name": "Bob", "emails": [{"email": "ada@example.com"}]});
        let o = outcome(
            engine
                .settle(item(2, bob), taken("ada@example.com is already taken"))
                .await,
        );
        assert!(matches!(&o, BulkOutcome::Rejected { .. }), "{o:?}");

        // Refused as taken but nobody has it: cannot tell.
        let ghost = json!({"name": "Ghost", "emails": [{"email": "ghost@example.com"}]});
        let o = outcome(
            engine
                .settle(
                    item(3, ghost.clone()),
                    taken("ghost@example.com is already taken"),
                )
                .await,
        );
        assert!(
            matches!(&o, BulkOutcome::Unknown { index: 3, reason, .. } if reason.contains("503")),
            "{o:?}"
        );

        // Refused for another reason on the same attribute: rejected.
        let o = outcome(
            engine
                .settle(item(4, ghost), taken("is not a valid email"))
                .await,
        );
        assert!(matches!(&o, BulkOutcome::Rejected { .. }), "{o:?}");
        sim.shutdown().await;
    }

    #[tokio::test]
    async fn lookups_decide_between_created_resend_rejected_and_unknown() {
        let sim = Sim::builder().limits(Limits::Off).start().await.unwrap();
        let engine = engine(&sim, &endpoint::PEOPLE).await;
        let ada = json!({"name": "Ada", "emails": [{"email": "ada@example.com"}]});
        let _: types::Person = engine
            .client
            .send_json("people_create", reqwest::Method::POST, "/people", &[], &ada)
            .await
            .unwrap();
        assert!(matches!(
            engine.reconcile::<types::Person, _>(item(0, ada)).await,
            Step::Done(BulkOutcome::Created { .. })
        ));
        let new = json!({"name": "New", "emails": [{"email": "new@example.com"}]});
        assert!(matches!(
            engine.reconcile::<types::Person, _>(item(1, new)).await,
            Step::Resend(_)
        ));
        let other = json!({"name": "Other", "emails": [{"email": "ADA@example.com"}]});
        match engine.reconcile::<types::Person, _>(item(2, other)).await {
            Step::Done(BulkOutcome::Rejected { errors, .. }) => {
                assert!(errors.has_field("emails"), "{errors}")
            }
            _ => panic!("expected a rejection"),
        }
        let no_email = json!({"name": "Nobody"});
        match engine
            .reconcile::<types::Person, _>(item(3, no_email))
            .await
        {
            Step::Done(BulkOutcome::Unknown { reason, .. }) => {
                assert!(reason.contains("no email"), "{reason}")
            }
            _ => panic!("expected unknown"),
        }
        let tasks = engine_for_tasks(&sim).await;
        match tasks
            .reconcile::<types::Task, _>(item(4, json!({"name": "T"})))
            .await
        {
            Step::Done(BulkOutcome::Unknown { reason, .. }) => {
                assert!(reason.contains("no unique attribute"), "{reason}")
            }
            _ => panic!("expected unknown"),
        }
        sim.shutdown().await;
    }

    async fn engine_for_tasks(sim: &SimHandle) -> Arc<Engine> {
        engine(sim, &endpoint::TASKS).await
    }
}
