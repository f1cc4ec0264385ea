//! The state shared by every connection: records, settings, counters and the webhook outbox.

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};

use parking_lot::{Mutex, RwLock};
use serde::{Deserialize, Serialize};
use tokio::sync::mpsc;

use crate::config::{FaultConfig, FaultKind, Limits};
use crate::entity::Entity;
use crate::error::ApiError;
use crate::faults::InjectedFault;
use crate::ratelimit::RateLimiter;
use crate::store::state::State;
use crate::webhooks::{Delivery, Outgoing, notifications};

/// The credentials the simulator accepts. Never printed.
pub(crate) struct Credentials {
    pub api_key: String,
    pub email: String,
    pub bearer_token: String,
}

impl std::fmt::Debug for Credentials {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Credentials")
            .field("api_key", &"<redacted>")
            .field("email", &"<redacted>")
            .field("bearer_token", &"<redacted>")
            .finish()
    }
}

/// The fault settings and the position in their sequence.
#[derive(Debug, Default)]
pub(crate) struct FaultState {
    pub config: FaultConfig,
    pub next_seq: u64,
    pub injected: Vec<InjectedFault>,
}

/// Request counters.
#[derive(Debug, Default)]
pub(crate) struct Counters {
    /// One counter per operation id, registered when the routes are built.
    pub requests: Mutex<HashMap<&'static str, Arc<AtomicU64>>>,
    pub total: AtomicU64,
    pub limited: AtomicU64,
    pub injected_429: AtomicU64,
    pub unauthorized: AtomicU64,
    pub faults: Mutex<BTreeMap<FaultKind, u64>>,
}

/// Counts of what the simulator did, from [`SimHandle::stats`](crate::SimHandle::stats) or
/// `GET /_sim/stats`.
///
/// ```
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
/// use copper_crm_sim::{Entity, Sim};
/// let sim = Sim::builder().seed_demo(true).start().await?;
/// let stats = sim.stats();
/// assert_eq!(stats.total_requests, 0);
/// assert!(stats.record_count(Entity::Person) > 0);
/// # Ok(()) }
/// ```
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Stats {
    /// API requests received, by operation id (faulted and rejected requests included).
    pub requests: BTreeMap<String, u64>,
    /// All API requests received.
    pub total_requests: u64,
    /// 429 answers sent because a rate limit was exceeded.
    pub rate_limited: u64,
    /// 429 answers sent by fault injection.
    pub injected_429: u64,
    /// 401 answers sent.
    pub unauthorized: u64,
    /// Injected faults by kind key (`429`, `500`, `502`, `503`, `drop_before`, `drop_after`,
    /// `delay`).
    pub faults: BTreeMap<String, u64>,
    /// Stored records by entity name (`people`, `leads`, ...).
    pub records: BTreeMap<String, usize>,
    /// Webhook notifications delivered (the target answered).
    pub webhooks_sent: u64,
    /// Webhook notifications that could not be delivered.
    pub webhooks_failed: u64,
}

impl Stats {
    /// Requests received for an operation id.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// use copper_crm_sim::{Limits, Sim};
    /// let sim = Sim::builder().limits(Limits::Off).start().await?;
    /// reqwest::Client::new()
    ///     .get(format!("{}/account", sim.base_url()))
    ///     .header("X-PW-AccessToken", "sim-api-key")
    ///     .header("X-PW-Application", "developer_api")
    ///     .header("X-PW-UserEmail", "sim@example.com")
    ///     .send()
    ///     .await?;
    /// let stats = sim.stats();
    /// assert_eq!(stats.requests_for("account_get"), 1);
    /// assert_eq!(stats.requests_for("people_search"), 0);
    /// # Ok(()) }
    /// ```
    pub fn requests_for(&self, operation: &str) -> u64 {
        self.requests.get(operation).copied().unwrap_or(0)
    }

    /// Stored records of an entity.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// use copper_crm_sim::{Entity, Limits, Sim};
    /// let sim = Sim::builder().records(3).limits(Limits::Off).start().await?;
    /// assert_eq!(sim.stats().record_count(Entity::Person), 3);
    /// assert_eq!(sim.stats().record_count(Entity::Lead), 0);
    /// # Ok(()) }
    /// ```
    pub fn record_count(&self, entity: Entity) -> usize {
        self.records.get(entity.name()).copied().unwrap_or(0)
    }

    /// Faults injected of a kind.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// use copper_crm_sim::{FaultConfig, FaultKind, Limits, Sim};
    /// let sim = Sim::builder().limits(Limits::Off).start().await?;
    /// sim.set_faults(FaultConfig::seeded(3).with_bad_gateway(1.0));
    /// reqwest::Client::new()
    ///     .get(format!("{}/account", sim.base_url()))
    ///     .header("X-PW-AccessToken", "sim-api-key")
    ///     .header("X-PW-Application", "developer_api")
    ///     .header("X-PW-UserEmail", "sim@example.com")
    ///     .send()
    ///     .await?;
    /// let stats = sim.stats();
    /// assert_eq!(stats.faults_of(FaultKind::BadGateway), 1);
    /// assert_eq!(stats.faults_of(FaultKind::RateLimited), 0);
    /// # Ok(()) }
    /// ```
    pub fn faults_of(&self, kind: FaultKind) -> u64 {
        self.faults.get(kind.key()).copied().unwrap_or(0)
    }
}

/// Everything the handlers share.
pub(crate) struct Shared {
    pub state: RwLock<State>,
    pub credentials: Credentials,
    pub search_cap: usize,
    pub retry_after: bool,
    pub limits: Mutex<Limits>,
    /// Whether any limit is on (read without locking on every request).
    pub limits_on: AtomicBool,
    pub limiter: RateLimiter,
    pub faults: Mutex<FaultState>,
    /// Whether any fault can happen (read without locking on every request).
    pub faults_on: AtomicBool,
    pub counters: Counters,
    pub outbox: mpsc::UnboundedSender<Outgoing>,
    pub deliveries: std::sync::Arc<Mutex<Vec<Delivery>>>,
}

impl std::fmt::Debug for Shared {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Shared")
            .field("credentials", &self.credentials)
            .field("search_cap", &self.search_cap)
            .finish_non_exhaustive()
    }
}

/// A successful response body with the records the request wrote.
#[derive(Debug, Default)]
pub(crate) struct Reply {
    pub body: Vec<u8>,
    pub total: Option<usize>,
    pub written: Vec<(Entity, i64)>,
}

impl Reply {
    pub(crate) fn json<T: Serialize + ?Sized>(value: &T) -> Reply {
        Reply {
            body: serde_json::to_vec(value).unwrap_or_default(),
            ..Reply::default()
        }
    }

    pub(crate) fn with_total(mut self, total: usize) -> Reply {
        self.total = Some(total);
        self
    }
}

/// The records a request wrote, carried to the fault gate in the response extensions.
#[derive(Clone, Debug, Default)]
pub(crate) struct Written(pub Vec<(Entity, i64)>);

impl axum::response::IntoResponse for Reply {
    fn into_response(self) -> axum::response::Response {
        use axum::http::{HeaderValue, header};
        let mut resp = (axum::http::StatusCode::OK, self.body).into_response();
        let headers = resp.headers_mut();
        headers.insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/json"),
        );
        if let Some(total) = self.total
            && let Ok(v) = HeaderValue::from_str(&total.to_string())
        {
            headers.insert("X-PW-TOTAL", v);
        }
        resp.extensions_mut().insert(Written(self.written));
        resp
    }
}

impl Shared {
    /// Run a mutation under the write lock; queue its webhook notifications and attach the
    /// records it wrote to the reply.
    pub(crate) fn write(
        &self,
        f: impl FnOnce(&mut State) -> Result<Reply, ApiError>,
    ) -> Result<Reply, ApiError> {
        let (result, outgoing) = {
            let mut st = self.state.write();
            st.events.clear();
            st.written.clear();
            let result = f(&mut st);
            let events = std::mem::take(&mut st.events);
            let written = std::mem::take(&mut st.written);
            let outgoing = notifications(&st, events);
            (
                result.map(|mut r| {
                    r.written = written;
                    r
                }),
                outgoing,
            )
        };
        for o in outgoing {
            // The receiver only goes away at shutdown; nothing is left to notify then.
            let _ = self.outbox.send(o);
        }
        result
    }

    /// Count a received API request.
    /// The request counter of an operation (created on first use).
    pub(crate) fn request_counter(&self, op: &'static str) -> Arc<AtomicU64> {
        self.counters.requests.lock().entry(op).or_default().clone()
    }

    /// Count a received API request.
    pub(crate) fn count_request(&self, counter: &AtomicU64) {
        self.counters.total.fetch_add(1, Ordering::Relaxed);
        counter.fetch_add(1, Ordering::Relaxed);
    }

    pub(crate) fn count_fault(&self, kind: FaultKind) {
        *self.counters.faults.lock().entry(kind).or_default() += 1;
        if kind == FaultKind::RateLimited {
            self.counters.injected_429.fetch_add(1, Ordering::Relaxed);
        }
    }

    /// A snapshot of the counters and record counts.
    pub(crate) fn stats(&self) -> Stats {
        let records = {
            let st = self.state.read();
            Entity::ALL
                .iter()
                .map(|e| (e.name().to_string(), st.count(*e)))
                .collect()
        };
        let (sent, failed) = {
            let d = self.deliveries.lock();
            let sent = d.iter().filter(|x| x.status.is_some()).count() as u64;
            (sent, d.len() as u64 - sent)
        };
        Stats {
            requests: self
                .counters
                .requests
                .lock()
                .iter()
                .map(|(k, v)| (k.to_string(), v.load(Ordering::Relaxed)))
                .filter(|(_, v)| *v > 0)
                .collect(),
            total_requests: self.counters.total.load(Ordering::Relaxed),
            rate_limited: self.counters.limited.load(Ordering::Relaxed),
            injected_429: self.counters.injected_429.load(Ordering::Relaxed),
            unauthorized: self.counters.unauthorized.load(Ordering::Relaxed),
            faults: self
                .counters
                .faults
                .lock()
                .iter()
                .map(|(k, v)| (k.key().to_string(), *v))
                .collect(),
            records,
            webhooks_sent: sent,
            webhooks_failed: failed,
        }
    }
}
