//! Starting a simulator ([`Sim::builder`]) and controlling a running one ([`SimHandle`]).

use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use parking_lot::{Mutex, RwLock};
use serde_json::{Value, json};
use tokio::net::TcpListener;
use tokio::sync::{mpsc, watch};
use tokio::task::JoinHandle;

use crate::api::{custom, files, lookups, related, webhooks as webhook_api};
use crate::config::{FaultConfig, Limits};
use crate::entity::{Entity, Kind};
use crate::error::SimError;
use crate::faults::InjectedFault;
use crate::routes::{API_PREFIX, app};
use crate::shared::{Counters, Credentials, FaultState, Shared, Stats};
use crate::store::render::to_value;
use crate::store::schema::{Shape, view};
use crate::webhooks::{Delivery, dispatch};

/// The default API key the simulator accepts.
pub const DEFAULT_API_KEY: &str = "sim-api-key";
/// The default user email the simulator accepts.
pub const DEFAULT_EMAIL: &str = "sim@example.com";
/// The default OAuth bearer token the simulator accepts.
pub const DEFAULT_BEARER_TOKEN: &str = "sim-oauth-token";
/// The default number of search matches reachable by paging (Copper's documented cap).
pub const DEFAULT_SEARCH_CAP: usize = 100_000;

/// The entry point: `Sim::builder()…start().await`.
///
/// ```
/// # async fn run() -> Result<(), copper_crm_sim::SimError> {
/// use copper_crm_sim::{Limits, Sim};
/// let sim = Sim::builder().seed_demo(true).limits(Limits::Off).start().await?;
/// println!("Copper is at {}", sim.base_url());
/// sim.shutdown().await;
/// # Ok(()) }
/// ```
#[derive(Debug)]
pub struct Sim;

impl Sim {
    /// A builder with the defaults: credentials `sim-api-key` / `sim@example.com` /
    /// `sim-oauth-token`, no demo data, real limits, no faults, a search cap of 100,000 and
    /// any free port.
    pub fn builder() -> SimBuilder {
        SimBuilder::default()
    }
}

/// Configures a simulator; see [`Sim::builder`].
///
/// ```
/// use copper_crm_sim::{FaultConfig, Limits, Sim};
/// let builder = Sim::builder()
///     .api_key("my-key")
///     .email("me@example.com")
///     .bearer_token("my-token")
///     .seed_demo(true)
///     .records(5_000)
///     .limits(Limits::Scaled(60.0))
///     .faults(FaultConfig::seeded(7).with_service_unavailable(0.1))
///     .search_cap(1_000)
///     .port(0);
/// // Secrets never show in Debug output.
/// assert!(!format!("{builder:?}").contains("my-key"));
/// ```
#[derive(Clone)]
pub struct SimBuilder {
    api_key: String,
    email: String,
    bearer_token: String,
    seed_demo: bool,
    records: usize,
    limits: Limits,
    faults: FaultConfig,
    search_cap: usize,
    port: u16,
    retry_after: bool,
}

impl Default for SimBuilder {
    fn default() -> Self {
        SimBuilder {
            api_key: DEFAULT_API_KEY.into(),
            email: DEFAULT_EMAIL.into(),
            bearer_token: DEFAULT_BEARER_TOKEN.into(),
            seed_demo: false,
            records: 0,
            limits: Limits::Real,
            faults: FaultConfig::default(),
            search_cap: DEFAULT_SEARCH_CAP,
            port: 0,
            retry_after: false,
        }
    }
}

impl std::fmt::Debug for SimBuilder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SimBuilder")
            .field("api_key", &"<redacted>")
            .field("email", &"<redacted>")
            .field("bearer_token", &"<redacted>")
            .field("seed_demo", &self.seed_demo)
            .field("records", &self.records)
            .field("limits", &self.limits)
            .field("faults", &self.faults)
            .field("search_cap", &self.search_cap)
            .field("port", &self.port)
            .field("retry_after", &self.retry_after)
            .finish()
    }
}

impl SimBuilder {
    /// The API key accepted in `X-PW-AccessToken`.
    pub fn api_key(mut self, key: &str) -> Self {
        self.api_key = key.into();
        self
    }

    /// The email accepted in `X-PW-UserEmail` (also the API user's email).
    pub fn email(mut self, email: &str) -> Self {
        self.email = email.into();
        self
    }

    /// The OAuth token accepted in `Authorization: Bearer`.
    pub fn bearer_token(mut self, token: &str) -> Self {
        self.bearer_token = token.into();
        self
    }

    /// Seed demo data: users, pipelines and stages, lookups, custom field definitions of every
    /// data type (with Dropdown and MultiSelect options) and a handful of every record type with
    /// custom field values, relations, a connect link and a file.
    pub fn seed_demo(mut self, on: bool) -> Self {
        self.seed_demo = on;
        self
    }

    /// Also generate `n` people spread evenly over the last three years of `date_created`.
    pub fn records(mut self, n: usize) -> Self {
        self.records = n;
        self
    }

    /// The rate limits to enforce (default [`Limits::Real`]).
    pub fn limits(mut self, limits: Limits) -> Self {
        self.limits = limits;
        self
    }

    /// The faults to inject from the start (default none).
    pub fn faults(mut self, faults: FaultConfig) -> Self {
        self.faults = faults;
        self
    }

    /// How many matches of a search are reachable by paging (default 100,000, like Copper).
    pub fn search_cap(mut self, cap: usize) -> Self {
        self.search_cap = cap;
        self
    }

    /// The port to listen on at 127.0.0.1 (default 0: any free port).
    pub fn port(mut self, port: u16) -> Self {
        self.port = port;
        self
    }

    /// Send `Retry-After` on rate-limit 429s (Copper documents none; default off).
    pub fn retry_after_header(mut self, on: bool) -> Self {
        self.retry_after = on;
        self
    }

    /// Build the data, bind `127.0.0.1:<port>` and start serving. Must be called inside a
    /// tokio runtime.
    pub async fn start(self) -> Result<SimHandle, SimError> {
        self.limits
            .validate()
            .map_err(|e| SimError::Config(e.to_string()))?;
        self.faults
            .validate()
            .map_err(|e| SimError::Config(e.to_string()))?;
        if self.search_cap == 0 {
            return Err(SimError::Config("search_cap must be at least 1".into()));
        }
        let listener = TcpListener::bind(("127.0.0.1", self.port))
            .await
            .map_err(|source| SimError::Bind {
                port: self.port,
                source,
            })?;
        let addr = listener.local_addr().map_err(|source| SimError::Bind {
            port: self.port,
            source,
        })?;
        let state = crate::store::seed::build(&self.email, self.seed_demo, self.records);
        let (tx, rx) = mpsc::unbounded_channel();
        let deliveries = Arc::new(Mutex::new(Vec::new()));
        let shared = Arc::new(Shared {
            state: RwLock::new(state),
            credentials: Credentials {
                api_key: self.api_key,
                email: self.email,
                bearer_token: self.bearer_token,
            },
            search_cap: self.search_cap,
            retry_after: self.retry_after,
            limits_on: AtomicBool::new(self.limits != Limits::Off),
            faults_on: AtomicBool::new(!self.faults.is_off()),
            limits: Mutex::new(self.limits),
            limiter: Default::default(),
            faults: Mutex::new(FaultState {
                config: self.faults,
                next_seq: 0,
                injected: Vec::new(),
            }),
            counters: Counters::default(),
            outbox: tx,
            deliveries: deliveries.clone(),
        });
        let dispatcher = tokio::spawn(dispatch(rx, deliveries));
        let (shutdown_tx, shutdown_rx) = watch::channel(false);
        let server = tokio::spawn(crate::server::serve(
            listener,
            app(shared.clone()),
            shutdown_rx,
        ));
        Ok(SimHandle {
            shared,
            addr,
            shutdown: shutdown_tx,
            tasks: Mutex::new(Some((server, dispatcher))),
        })
    }
}

/// A running simulator. Dropping it stops the server.
///
/// ```
/// # async fn run() -> Result<(), Box<dyn std::error::Error>> {
/// use copper_crm_sim::{Entity, FaultConfig, Limits, Sim};
/// let sim = Sim::builder().seed_demo(true).start().await?;
/// assert!(sim.base_url().ends_with("/developer_api/v1"));
/// // Seed data fault-free, then turn faults on.
/// sim.set_limits(Limits::Scaled(10.0));
/// sim.set_faults(FaultConfig::seeded(42).with_drop_after(0.1));
/// let people = sim.records(Entity::Person);
/// assert_eq!(people.len(), sim.record_count(Entity::Person));
/// sim.shutdown().await;
/// # Ok(()) }
/// ```
pub struct SimHandle {
    shared: Arc<Shared>,
    addr: SocketAddr,
    shutdown: watch::Sender<bool>,
    #[allow(clippy::type_complexity)]
    tasks: Mutex<Option<(JoinHandle<()>, JoinHandle<()>)>>,
}

impl std::fmt::Debug for SimHandle {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SimHandle")
            .field("addr", &self.addr)
            .finish_non_exhaustive()
    }
}

impl SimHandle {
    /// `http://127.0.0.1:<port>/developer_api/v1`.
    pub fn base_url(&self) -> String {
        format!("http://{}{API_PREFIX}", self.addr)
    }

    /// The socket address the simulator listens on.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// The port the simulator listens on.
    pub fn port(&self) -> u16 {
        self.addr.port()
    }

    /// Request counts, 429s, injected faults and record counts (also `GET /_sim/stats`).
    pub fn stats(&self) -> Stats {
        self.shared.stats()
    }

    /// Replace the fault settings; the fault sequence restarts at 0.
    pub fn set_faults(&self, faults: FaultConfig) {
        let mut f = self.shared.faults.lock();
        self.shared
            .faults_on
            .store(!faults.is_off(), Ordering::Relaxed);
        f.config = faults;
        f.next_seq = 0;
    }

    /// The current fault settings.
    pub fn faults(&self) -> FaultConfig {
        self.shared.faults.lock().config.clone()
    }

    /// Replace the rate limits; the windows restart empty.
    pub fn set_limits(&self, limits: Limits) {
        let mut current = self.shared.limits.lock();
        self.shared
            .limits_on
            .store(limits != Limits::Off, Ordering::Relaxed);
        *current = limits;
        self.shared.limiter.reset();
    }

    /// The current rate limits.
    pub fn limits(&self) -> Limits {
        *self.shared.limits.lock()
    }

    /// Every fault injected so far, in order.
    pub fn injected(&self) -> Vec<InjectedFault> {
        self.shared.faults.lock().injected.clone()
    }

    /// Every webhook notification attempted so far, in order.
    pub fn deliveries(&self) -> Vec<Delivery> {
        self.shared.deliveries.lock().clone()
    }

    /// The number of stored records of an entity.
    pub fn record_count(&self, entity: Entity) -> usize {
        self.shared.state.read().count(entity)
    }

    /// The exact stored records of an entity, as JSON (records in their richest API shape;
    /// files with their `owner` and upload `key`; relations as `[a, b]` pairs).
    pub fn records(&self, entity: Entity) -> Vec<Value> {
        let st = self.shared.state.read();
        let kind = Kind::ALL.into_iter().find(|k| k.entity() == entity);
        if let Some(kind) = kind {
            let shape = if kind == Kind::Activity {
                Shape::Fetched
            } else {
                Shape::Full
            };
            let v = view(kind, shape);
            return st
                .table(kind)
                .rows
                .values()
                .map(|r| to_value(&st, kind, r, v, false))
                .collect();
        }
        match entity {
            Entity::User => st
                .users
                .values()
                .map(|u| lookups::user_json(u, true))
                .collect(),
            Entity::Pipeline => st
                .pipelines
                .iter()
                .map(|p| lookups::pipeline_json(&st, p))
                .collect(),
            Entity::PipelineStage => st.stages.values().map(lookups::stage_json).collect(),
            Entity::LossReason => st.loss_reasons.iter().map(lookups::named_json).collect(),
            Entity::CustomerSource => st
                .customer_sources
                .iter()
                .map(lookups::named_json)
                .collect(),
            Entity::ContactType => st.contact_types.iter().map(lookups::named_json).collect(),
            Entity::LeadStatus => st
                .lead_statuses
                .iter()
                .map(lookups::lead_status_json)
                .collect(),
            Entity::CustomFieldDefinition => st.cfds.values().map(custom::cfd_json).collect(),
            Entity::CustomActivityType => {
                st.cats.values().map(|c| custom::cat_json(&st, c)).collect()
            }
            Entity::Connection => st
                .links
                .values()
                .map(|l| related::link_json(&st, l))
                .collect(),
            Entity::Relation => st
                .relations
                .iter()
                .filter(|(a, b)| a < b)
                .map(|(a, b)| json!([a, b]))
                .collect(),
            Entity::Webhook => st
                .webhooks
                .values()
                .map(webhook_api::webhook_json)
                .collect(),
            Entity::File => st
                .files
                .values()
                .map(|f| {
                    let mut v = files::file_json(f);
                    v["owner"] = json!(f.owner);
                    v["key"] = json!(f.key);
                    v
                })
                .collect(),
            _ => Vec::new(),
        }
    }

    /// The operation ids the simulator serves.
    pub fn operations(&self) -> Vec<&'static str> {
        crate::routes::operation_ids(&self.shared)
    }

    /// Stop serving: no new connections; open ones get a couple of seconds to finish.
    pub async fn shutdown(self) {
        let _ = self.shutdown.send(true);
        let tasks = self.tasks.lock().take();
        if let Some((server, dispatcher)) = tasks {
            let _ = server.await;
            dispatcher.abort();
        }
    }
}

impl Drop for SimHandle {
    fn drop(&mut self) {
        let _ = self.shutdown.send(true);
        if let Some((_, dispatcher)) = self.tasks.lock().take() {
            dispatcher.abort();
        }
    }
}
