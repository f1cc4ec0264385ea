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
///
/// ```
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
/// use copper_crm_sim::{DEFAULT_API_KEY, DEFAULT_EMAIL, Limits, Sim};
/// assert_eq!(DEFAULT_API_KEY, "sim-api-key");
/// // A simulator built with the defaults accepts it, with `DEFAULT_EMAIL`.
/// let sim = Sim::builder().limits(Limits::Off).start().await?;
/// let resp = reqwest::Client::new()
///     .get(format!("{}/account", sim.base_url()))
///     .header("X-PW-AccessToken", DEFAULT_API_KEY)
///     .header("X-PW-Application", "developer_api")
///     .header("X-PW-UserEmail", DEFAULT_EMAIL)
///     .send()
///     .await?;
/// assert_eq!(resp.status(), 200);
/// # Ok(()) }
/// ```
pub const DEFAULT_API_KEY: &str = "sim-api-key";
/// The default user email the simulator accepts.
///
/// ```
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
/// use copper_crm_sim::{DEFAULT_EMAIL, Entity, Sim};
/// assert_eq!(DEFAULT_EMAIL, "sim@example.com");
/// // It is also the email of the API user.
/// let sim = Sim::builder().start().await?;
/// assert!(sim.records(Entity::User).iter().any(|u| u["email"] == DEFAULT_EMAIL));
/// # Ok(()) }
/// ```
pub const DEFAULT_EMAIL: &str = "sim@example.com";
/// The default OAuth bearer token the simulator accepts.
///
/// ```
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
/// use copper_crm_sim::{DEFAULT_BEARER_TOKEN, Limits, Sim};
/// assert_eq!(DEFAULT_BEARER_TOKEN, "sim-oauth-token");
/// let sim = Sim::builder().limits(Limits::Off).start().await?;
/// let resp = reqwest::Client::new()
///     .get(format!("{}/users/me", sim.base_url()))
///     .bearer_auth(DEFAULT_BEARER_TOKEN)
///     .send()
///     .await?;
/// assert_eq!(resp.status(), 200);
/// # Ok(()) }
/// ```
pub const DEFAULT_BEARER_TOKEN: &str = "sim-oauth-token";
/// The default number of search matches reachable by paging (Copper's documented cap).
///
/// ```
/// use copper_crm_sim::DEFAULT_SEARCH_CAP;
/// assert_eq!(DEFAULT_SEARCH_CAP, 100_000);
/// ```
pub const DEFAULT_SEARCH_CAP: usize = 100_000;

/// The entry point: `Sim::builder()…start().await`.
///
/// ```
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
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
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// use copper_crm_sim::{Entity, Limits, Sim};
    /// let sim = Sim::builder().start().await?;
    /// assert_eq!(sim.limits(), Limits::Real);
    /// assert!(sim.faults().is_off());
    /// assert_eq!(sim.record_count(Entity::Person), 0);
    /// assert_ne!(sim.port(), 0);
    /// # Ok(()) }
    /// ```
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
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// use copper_crm_sim::{Limits, Sim};
    /// let sim = Sim::builder().api_key("my-key").limits(Limits::Off).start().await?;
    /// let client = reqwest::Client::new();
    /// let account = |key: &str| {
    ///     client
    ///         .get(format!("{}/account", sim.base_url()))
    ///         .header("X-PW-AccessToken", key)
    ///         .header("X-PW-Application", "developer_api")
    ///         .header("X-PW-UserEmail", "sim@example.com")
    ///         .send()
    /// };
    /// assert_eq!(account("my-key").await?.status(), 200);
    /// assert_eq!(account("sim-api-key").await?.status(), 401);
    /// # Ok(()) }
    /// ```
    pub fn api_key(mut self, key: &str) -> Self {
        self.api_key = key.into();
        self
    }

    /// The email accepted in `X-PW-UserEmail` (also the API user's email).
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// use copper_crm_sim::{Limits, Sim};
    /// let sim = Sim::builder().email("me@example.com").limits(Limits::Off).start().await?;
    /// let client = reqwest::Client::new();
    /// let me = |email: &str| {
    ///     client
    ///         .get(format!("{}/users/me", sim.base_url()))
    ///         .header("X-PW-AccessToken", "sim-api-key")
    ///         .header("X-PW-Application", "developer_api")
    ///         .header("X-PW-UserEmail", email)
    ///         .send()
    /// };
    /// assert_eq!(me("sim@example.com").await?.status(), 401);
    /// let user: serde_json::Value = me("me@example.com").await?.json().await?;
    /// assert_eq!(user["email"], "me@example.com");
    /// # Ok(()) }
    /// ```
    pub fn email(mut self, email: &str) -> Self {
        self.email = email.into();
        self
    }

    /// The OAuth token accepted in `Authorization: Bearer`.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// use copper_crm_sim::{Limits, Sim};
    /// let sim = Sim::builder().bearer_token("my-token").limits(Limits::Off).start().await?;
    /// let client = reqwest::Client::new();
    /// let url = format!("{}/users/me", sim.base_url());
    /// assert_eq!(client.get(&url).bearer_auth("my-token").send().await?.status(), 200);
    /// assert_eq!(client.get(&url).bearer_auth("sim-oauth-token").send().await?.status(), 401);
    /// # Ok(()) }
    /// ```
    pub fn bearer_token(mut self, token: &str) -> Self {
        self.bearer_token = token.into();
        self
    }

    /// Seed demo data: users, pipelines and stages, lookups, custom field definitions of every
    /// data type (with Dropdown and MultiSelect options) and a handful of every record type with
    /// custom field values, relations, a connect link and a file.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// use copper_crm_sim::{Entity, Sim};
    /// let demo = Sim::builder().seed_demo(true).start().await?;
    /// let empty = Sim::builder().start().await?;
    /// let seeded = [Entity::Person, Entity::Company, Entity::CustomFieldDefinition, Entity::File];
    /// for entity in seeded {
    ///     assert!(demo.record_count(entity) > 0, "no demo {entity:?}");
    ///     assert_eq!(empty.record_count(entity), 0);
    /// }
    /// // Without demo data there are still Copper's defaults, like the Sales pipeline.
    /// assert_eq!(empty.record_count(Entity::Pipeline), 1);
    /// # Ok(()) }
    /// ```
    pub fn seed_demo(mut self, on: bool) -> Self {
        self.seed_demo = on;
        self
    }

    /// Also generate `n` people spread evenly over the last three years of `date_created`.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// use copper_crm_sim::{Entity, Sim};
    /// use std::time::{SystemTime, UNIX_EPOCH};
    /// let sim = Sim::builder().records(25).start().await?;
    /// assert_eq!(sim.record_count(Entity::Person), 25);
    /// let now = SystemTime::now().duration_since(UNIX_EPOCH)?.as_secs() as i64;
    /// let created: Vec<i64> = sim
    ///     .records(Entity::Person)
    ///     .iter()
    ///     .map(|p| p["date_created"].as_i64().unwrap())
    ///     .collect();
    /// let three_years = 3 * 366 * 24 * 3600;
    /// assert!(created.iter().all(|&t| now - three_years <= t && t <= now));
    /// assert!(created.iter().max().unwrap() - created.iter().min().unwrap() > three_years / 2);
    /// # Ok(()) }
    /// ```
    pub fn records(mut self, n: usize) -> Self {
        self.records = n;
        self
    }

    /// The rate limits to enforce (default [`Limits::Real`]).
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// use copper_crm_sim::{Limits, Sim};
    /// let sim = Sim::builder().limits(Limits::Off).start().await?;
    /// assert_eq!(sim.limits(), Limits::Off);
    /// // Copper allows 3 bulk requests per second; with limits off a 4th one goes through too.
    /// let client = reqwest::Client::new();
    /// for _ in 0..4 {
    ///     let resp = client
    ///         .post(format!("{}/people/bulk_create", sim.base_url()))
    ///         .header("X-PW-AccessToken", "sim-api-key")
    ///         .header("X-PW-Application", "developer_api")
    ///         .header("X-PW-UserEmail", "sim@example.com")
    ///         .json(&serde_json::json!({"people": []}))
    ///         .send()
    ///         .await?;
    ///     assert_eq!(resp.status(), 200);
    /// }
    /// # Ok(()) }
    /// ```
    pub fn limits(mut self, limits: Limits) -> Self {
        self.limits = limits;
        self
    }

    /// The faults to inject from the start (default none).
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// use copper_crm_sim::{FaultConfig, FaultKind, Limits, Sim};
    /// let sim = Sim::builder()
    ///     .limits(Limits::Off)
    ///     .faults(FaultConfig::seeded(1).with_internal_server_error(1.0))
    ///     .start()
    ///     .await?;
    /// let resp = reqwest::Client::new()
    ///     .get(format!("{}/account", sim.base_url()))
    ///     .header("X-PW-AccessToken", "sim-api-key")
    ///     .header("X-PW-Application", "developer_api")
    ///     .header("X-PW-UserEmail", "sim@example.com")
    ///     .send()
    ///     .await?;
    /// assert_eq!(resp.status(), 500);
    /// assert_eq!(sim.injected()[0].kind, FaultKind::InternalServerError);
    /// # Ok(()) }
    /// ```
    pub fn faults(mut self, faults: FaultConfig) -> Self {
        self.faults = faults;
        self
    }

    /// How many matches of a search are reachable by paging (default 100,000, like Copper).
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// use copper_crm_sim::{Limits, Sim};
    /// let sim = Sim::builder().records(5).search_cap(2).limits(Limits::Off).start().await?;
    /// let resp = reqwest::Client::new()
    ///     .post(format!("{}/people/search", sim.base_url()))
    ///     .header("X-PW-AccessToken", "sim-api-key")
    ///     .header("X-PW-Application", "developer_api")
    ///     .header("X-PW-UserEmail", "sim@example.com")
    ///     .json(&serde_json::json!({"page_size": 10}))
    ///     .send()
    ///     .await?;
    /// // All 5 match, but only the first 2 are reachable.
    /// assert_eq!(resp.headers()["x-pw-total"], "5");
    /// let page: Vec<serde_json::Value> = resp.json().await?;
    /// assert_eq!(page.len(), 2);
    /// # Ok(()) }
    /// ```
    pub fn search_cap(mut self, cap: usize) -> Self {
        self.search_cap = cap;
        self
    }

    /// The port to listen on at 127.0.0.1 (default 0: any free port).
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// use copper_crm_sim::{Sim, SimError};
    /// let first = Sim::builder().start().await?;
    /// let port = first.port();
    /// // The port must be free...
    /// let taken = Sim::builder().port(port).start().await;
    /// assert!(matches!(taken, Err(SimError::Bind { port: p, .. }) if p == port));
    /// // ...and once it is, the simulator listens on it.
    /// first.shutdown().await;
    /// let second = Sim::builder().port(port).start().await?;
    /// assert_eq!(second.port(), port);
    /// # Ok(()) }
    /// ```
    pub fn port(mut self, port: u16) -> Self {
        self.port = port;
        self
    }

    /// Send `Retry-After` on rate-limit 429s (Copper documents none; default off).
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// use copper_crm_sim::{Limits, Sim};
    /// // Windows 100 times longer than Copper's: 3 bulk requests per 100 s.
    /// let sim = Sim::builder()
    ///     .limits(Limits::Scaled(0.01))
    ///     .retry_after_header(true)
    ///     .start()
    ///     .await?;
    /// let client = reqwest::Client::new();
    /// let bulk = || {
    ///     client
    ///         .post(format!("{}/people/bulk_create", sim.base_url()))
    ///         .header("X-PW-AccessToken", "sim-api-key")
    ///         .header("X-PW-Application", "developer_api")
    ///         .header("X-PW-UserEmail", "sim@example.com")
    ///         .json(&serde_json::json!({"people": []}))
    ///         .send()
    /// };
    /// for _ in 0..3 {
    ///     assert_eq!(bulk().await?.status(), 200);
    /// }
    /// let limited = bulk().await?;
    /// assert_eq!(limited.status(), 429);
    /// let secs: u64 = limited.headers()["retry-after"].to_str()?.parse()?;
    /// assert!((1..=100).contains(&secs));
    /// # Ok(()) }
    /// ```
    pub fn retry_after_header(mut self, on: bool) -> Self {
        self.retry_after = on;
        self
    }

    /// Build the data, bind `127.0.0.1:<port>` and start serving. Must be called inside a
    /// tokio runtime.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// use copper_crm_sim::{Sim, SimError};
    /// let sim = Sim::builder().start().await?;
    /// let resp = reqwest::get(format!("http://{}/_sim/stats", sim.addr())).await?;
    /// assert_eq!(resp.status(), 200);
    /// // Invalid settings are refused before anything is bound.
    /// let err = Sim::builder().search_cap(0).start().await.unwrap_err();
    /// assert!(matches!(err, SimError::Config(_)));
    /// # Ok(()) }
    /// ```
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
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
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
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// use copper_crm_sim::{Limits, Sim};
    /// let sim = Sim::builder().limits(Limits::Off).start().await?;
    /// let url = sim.base_url();
    /// assert_eq!(url, format!("http://127.0.0.1:{}/developer_api/v1", sim.port()));
    /// let resp = reqwest::Client::new()
    ///     .get(format!("{url}/account"))
    ///     .header("X-PW-AccessToken", "sim-api-key")
    ///     .header("X-PW-Application", "developer_api")
    ///     .header("X-PW-UserEmail", "sim@example.com")
    ///     .send()
    ///     .await?;
    /// assert_eq!(resp.status(), 200);
    /// # Ok(()) }
    /// ```
    pub fn base_url(&self) -> String {
        format!("http://{}{API_PREFIX}", self.addr)
    }

    /// The socket address the simulator listens on.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// use copper_crm_sim::Sim;
    /// let sim = Sim::builder().start().await?;
    /// let addr = sim.addr();
    /// assert!(addr.ip().is_loopback());
    /// let stats: serde_json::Value = reqwest::get(format!("http://{addr}/_sim/stats"))
    ///     .await?
    ///     .json()
    ///     .await?;
    /// assert_eq!(stats["total_requests"], 0);
    /// # Ok(()) }
    /// ```
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// The port the simulator listens on.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// use copper_crm_sim::Sim;
    /// // The default `port(0)` picks any free port; this is the one picked.
    /// let sim = Sim::builder().start().await?;
    /// assert_ne!(sim.port(), 0);
    /// assert_eq!(sim.port(), sim.addr().port());
    /// assert!(sim.base_url().contains(&format!(":{}/", sim.port())));
    /// # Ok(()) }
    /// ```
    pub fn port(&self) -> u16 {
        self.addr.port()
    }

    /// Request counts, 429s, injected faults and record counts (also `GET /_sim/stats`).
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// use copper_crm_sim::{Limits, Sim};
    /// let sim = Sim::builder().limits(Limits::Off).start().await?;
    /// let client = reqwest::Client::new();
    /// let url = format!("{}/account", sim.base_url());
    /// let ok = client
    ///     .get(&url)
    ///     .header("X-PW-AccessToken", "sim-api-key")
    ///     .header("X-PW-Application", "developer_api")
    ///     .header("X-PW-UserEmail", "sim@example.com")
    ///     .send()
    ///     .await?;
    /// assert_eq!(ok.status(), 200);
    /// assert_eq!(client.get(&url).send().await?.status(), 401);
    /// let stats = sim.stats();
    /// assert_eq!(stats.total_requests, 2);
    /// assert_eq!(stats.requests_for("account_get"), 2);
    /// assert_eq!(stats.unauthorized, 1);
    /// # Ok(()) }
    /// ```
    pub fn stats(&self) -> Stats {
        self.shared.stats()
    }

    /// Replace the fault settings; the fault sequence restarts at 0.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// use copper_crm_sim::{FaultConfig, Limits, Sim};
    /// let sim = Sim::builder().limits(Limits::Off).start().await?;
    /// let client = reqwest::Client::new();
    /// let account = || {
    ///     client
    ///         .get(format!("{}/account", sim.base_url()))
    ///         .header("X-PW-AccessToken", "sim-api-key")
    ///         .header("X-PW-Application", "developer_api")
    ///         .header("X-PW-UserEmail", "sim@example.com")
    ///         .send()
    /// };
    /// assert_eq!(account().await?.status(), 200);
    /// sim.set_faults(FaultConfig::seeded(1).with_bad_gateway(1.0));
    /// assert_eq!(account().await?.status(), 502);
    /// assert_eq!(account().await?.status(), 502);
    /// // Setting faults again restarts the sequence.
    /// sim.set_faults(FaultConfig::seeded(1).with_bad_gateway(1.0));
    /// assert_eq!(account().await?.status(), 502);
    /// let sequence: Vec<u64> = sim.injected().iter().map(|f| f.sequence).collect();
    /// assert_eq!(sequence, [0, 1, 0]);
    /// sim.set_faults(FaultConfig::default());
    /// assert_eq!(account().await?.status(), 200);
    /// # Ok(()) }
    /// ```
    pub fn set_faults(&self, faults: FaultConfig) {
        let mut f = self.shared.faults.lock();
        self.shared
            .faults_on
            .store(!faults.is_off(), Ordering::Relaxed);
        f.config = faults;
        f.next_seq = 0;
    }

    /// The current fault settings.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// use copper_crm_sim::{FaultConfig, Sim};
    /// let config = FaultConfig::seeded(7).with_service_unavailable(0.1);
    /// let sim = Sim::builder().faults(config.clone()).start().await?;
    /// assert_eq!(sim.faults(), config);
    /// sim.set_faults(FaultConfig::default());
    /// assert!(sim.faults().is_off());
    /// # Ok(()) }
    /// ```
    pub fn faults(&self) -> FaultConfig {
        self.shared.faults.lock().config.clone()
    }

    /// Replace the rate limits; the windows restart empty.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// use copper_crm_sim::{Limits, Sim};
    /// let sim = Sim::builder().limits(Limits::Off).start().await?;
    /// let client = reqwest::Client::new();
    /// let bulk = || {
    ///     client
    ///         .post(format!("{}/people/bulk_create", sim.base_url()))
    ///         .header("X-PW-AccessToken", "sim-api-key")
    ///         .header("X-PW-Application", "developer_api")
    ///         .header("X-PW-UserEmail", "sim@example.com")
    ///         .json(&serde_json::json!({"people": []}))
    ///         .send()
    /// };
    /// // Windows 100 times longer than Copper's: 3 bulk requests per 100 s.
    /// sim.set_limits(Limits::Scaled(0.01));
    /// for _ in 0..3 {
    ///     assert_eq!(bulk().await?.status(), 200);
    /// }
    /// assert_eq!(bulk().await?.status(), 429);
    /// sim.set_limits(Limits::Off);
    /// assert_eq!(bulk().await?.status(), 200);
    /// # Ok(()) }
    /// ```
    pub fn set_limits(&self, limits: Limits) {
        let mut current = self.shared.limits.lock();
        self.shared
            .limits_on
            .store(limits != Limits::Off, Ordering::Relaxed);
        *current = limits;
        self.shared.limiter.reset();
    }

    /// The current rate limits.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// use copper_crm_sim::{Limits, Sim};
    /// let sim = Sim::builder().limits(Limits::Scaled(60.0)).start().await?;
    /// assert_eq!(sim.limits(), Limits::Scaled(60.0));
    /// sim.set_limits(Limits::Off);
    /// assert_eq!(sim.limits(), Limits::Off);
    /// # Ok(()) }
    /// ```
    pub fn limits(&self) -> Limits {
        *self.shared.limits.lock()
    }

    /// Every fault injected so far, in order.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// use copper_crm_sim::{Entity, FaultConfig, FaultKind, Limits, Sim};
    /// let sim = Sim::builder().limits(Limits::Off).start().await?;
    /// assert!(sim.injected().is_empty());
    /// sim.set_faults(FaultConfig::seeded(1).with_drop_after(1.0));
    /// let sent = reqwest::Client::new()
    ///     .post(format!("{}/people", sim.base_url()))
    ///     .header("X-PW-AccessToken", "sim-api-key")
    ///     .header("X-PW-Application", "developer_api")
    ///     .header("X-PW-UserEmail", "sim@example.com")
    ///     .json(&serde_json::json!({"name": "Ada Lovelace"}))
    ///     .send()
    ///     .await;
    /// assert!(sent.is_err()); // no answer...
    /// let injected = sim.injected();
    /// assert_eq!(injected.len(), 1);
    /// assert_eq!(injected[0].kind, FaultKind::DroppedAfterProcessing);
    /// assert_eq!(injected[0].operation, "people_create");
    /// // ...but the person was created.
    /// let (entity, id) = injected[0].written[0];
    /// assert_eq!(entity, Entity::Person);
    /// assert!(sim.records(Entity::Person).iter().any(|p| p["id"] == id));
    /// # Ok(()) }
    /// ```
    pub fn injected(&self) -> Vec<InjectedFault> {
        self.shared.faults.lock().injected.clone()
    }

    /// Every webhook notification attempted so far, in order.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// use copper_crm_sim::{Limits, Sim};
    /// use serde_json::{Value, json};
    /// let sim = Sim::builder().limits(Limits::Off).start().await?;
    /// let client = reqwest::Client::new();
    /// let post = |path: &str, body: Value| {
    ///     client
    ///         .post(format!("{}{path}", sim.base_url()))
    ///         .header("X-PW-AccessToken", "sim-api-key")
    ///         .header("X-PW-Application", "developer_api")
    ///         .header("X-PW-UserEmail", "sim@example.com")
    ///         .json(&body)
    ///         .send()
    /// };
    /// // Subscribe a loopback target: here the simulator itself, which answers 404 at /hook.
    /// let target = format!("http://{}/hook", sim.addr());
    /// let hook = json!({"target": target, "type": "person", "event": "new"});
    /// post("/webhooks", hook).await?.error_for_status()?;
    /// let person: Value = post("/people", json!({"name": "Ada Lovelace"})).await?.json().await?;
    /// // Notifications are delivered in the background.
    /// let deliveries = tokio::time::timeout(std::time::Duration::from_secs(5), async {
    ///     loop {
    ///         let d = sim.deliveries();
    ///         if !d.is_empty() {
    ///             break d;
    ///         }
    ///         tokio::time::sleep(std::time::Duration::from_millis(10)).await;
    ///     }
    /// })
    /// .await?;
    /// assert_eq!(deliveries[0].target, target);
    /// assert_eq!(deliveries[0].payload["ids"], json!([person["id"]]));
    /// assert_eq!(deliveries[0].status, Some(404));
    /// # Ok(()) }
    /// ```
    pub fn deliveries(&self) -> Vec<Delivery> {
        self.shared.deliveries.lock().clone()
    }

    /// The number of stored records of an entity.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// use copper_crm_sim::{Entity, Limits, Sim};
    /// let sim = Sim::builder().limits(Limits::Off).start().await?;
    /// assert_eq!(sim.record_count(Entity::Company), 0);
    /// reqwest::Client::new()
    ///     .post(format!("{}/companies", sim.base_url()))
    ///     .header("X-PW-AccessToken", "sim-api-key")
    ///     .header("X-PW-Application", "developer_api")
    ///     .header("X-PW-UserEmail", "sim@example.com")
    ///     .json(&serde_json::json!({"name": "Acme"}))
    ///     .send()
    ///     .await?
    ///     .error_for_status()?;
    /// assert_eq!(sim.record_count(Entity::Company), 1);
    /// # Ok(()) }
    /// ```
    pub fn record_count(&self, entity: Entity) -> usize {
        self.shared.state.read().count(entity)
    }

    /// The exact stored records of an entity, as JSON (records in their richest API shape;
    /// files with their `owner` and upload `key`; relations as `[a, b]` pairs).
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// use copper_crm_sim::{Entity, Limits, Sim};
    /// let sim = Sim::builder().limits(Limits::Off).start().await?;
    /// reqwest::Client::new()
    ///     .post(format!("{}/people", sim.base_url()))
    ///     .header("X-PW-AccessToken", "sim-api-key")
    ///     .header("X-PW-Application", "developer_api")
    ///     .header("X-PW-UserEmail", "sim@example.com")
    ///     .json(&serde_json::json!({
    ///         "name": "Ada Lovelace",
    ///         "emails": [{"email": "ada@example.com", "category": "work"}]
    ///     }))
    ///     .send()
    ///     .await?
    ///     .error_for_status()?;
    /// let people = sim.records(Entity::Person);
    /// assert_eq!(people.len(), 1);
    /// assert_eq!(people[0]["first_name"], "Ada");
    /// assert_eq!(people[0]["emails"][0]["email"], "ada@example.com");
    /// # Ok(()) }
    /// ```
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
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// use copper_crm_sim::Sim;
    /// let sim = Sim::builder().start().await?;
    /// let operations = sim.operations();
    /// assert!(operations.contains(&"people_create"));
    /// assert!(operations.contains(&"leads_upsert"));
    /// assert!(!operations.contains(&"people_upsert"));
    /// # Ok(()) }
    /// ```
    pub fn operations(&self) -> Vec<&'static str> {
        crate::routes::operation_ids(&self.shared)
    }

    /// Stop serving: no new connections; open ones get a couple of seconds to finish.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// use copper_crm_sim::Sim;
    /// let sim = Sim::builder().start().await?;
    /// let url = format!("http://{}/_sim/stats", sim.addr());
    /// assert_eq!(reqwest::get(&url).await?.status(), 200);
    /// sim.shutdown().await;
    /// assert!(reqwest::get(&url).await.is_err());
    /// # Ok(()) }
    /// ```
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
