//! [`Client`] and its builder.

use std::fmt;
use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

use copper_crm_raw::types::ErrorBody;
use copper_crm_raw::{ClientInfo, Executor, Hooks};
use progenitor_client::ResponseValue;
use reqwest::header::{HeaderValue, USER_AGENT};
use url::Url;

use crate::Error;
use crate::auth::Credentials;
use crate::executor::{ClientStats, Counters, RequestExecutor};
use crate::limits::{Limiter, RateLimits};
use crate::retry::RetryPolicy;

/// Copper's production base URL: where a client sends requests unless
/// [`ClientBuilder::base_url`] says otherwise.
///
/// ```
/// use copper_crm::{Client, DEFAULT_BASE_URL};
///
/// assert_eq!(DEFAULT_BASE_URL, "https://api.copper.com/developer_api/v1");
/// let client = Client::builder().oauth_token("token").build().unwrap();
/// assert_eq!(client.base_url(), DEFAULT_BASE_URL);
/// ```
pub const DEFAULT_BASE_URL: &str = "https://api.copper.com/developer_api/v1";

/// A Copper API client. Cheap to clone: clones share one connection pool, one
/// rate limiter and one custom-field registry.
///
/// ```no_run
/// use copper_crm::Client;
///
/// # async fn run() -> Result<(), copper_crm::Error> {
/// let client = Client::builder()
///     .api_key(std::env::var("COPPER_API_KEY").unwrap(), std::env::var("COPPER_USER_EMAIL").unwrap())
///     .build()?;
/// let me = client.users().me().await?;
/// println!("signed in as {}", me.name);
/// # Ok(()) }
/// ```
#[derive(Clone)]
pub struct Client {
    pub(crate) inner: Arc<Inner>,
}

pub(crate) struct Inner {
    pub(crate) raw: copper_crm_raw::Client,
    pub(crate) base_url: String,
    pub(crate) executor: Arc<RequestExecutor>,
    pub(crate) limits: RateLimits,
    pub(crate) computed_values: bool,
    pub(crate) search_cap: u64,
    pub(crate) registry: crate::custom_fields::RegistryCache,
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client")
            .field("base_url", &self.inner.base_url)
            .field("credentials", &"[REDACTED]")
            .field("limits", &self.inner.limits)
            .field("retry", &self.inner.executor.retry)
            .finish()
    }
}

impl Client {
    /// Start building a client.
    ///
    /// ```
    /// let client = copper_crm::Client::builder().oauth_token("token").build().unwrap();
    /// assert!(client.base_url().starts_with("https://api.copper.com"));
    /// ```
    pub fn builder() -> ClientBuilder {
        ClientBuilder::default()
    }

    /// The generated client, for anything this crate does not wrap. Its
    /// requests go through the same rate limiter and retries.
    ///
    /// ```no_run
    /// use copper_crm_raw::ClientAccountExt;
    /// # async fn run(client: copper_crm::Client) -> Result<(), Box<dyn std::error::Error>> {
    /// let account = client.raw().account_get().send().await?.into_inner();
    /// println!("{}", account.name);
    /// # Ok(()) }
    /// ```
    pub fn raw(&self) -> &copper_crm_raw::Client {
        &self.inner.raw
    }

    /// The base URL requests go to.
    ///
    /// ```
    /// let c = copper_crm::Client::builder().oauth_token("t").base_url("http://127.0.0.1:8080/developer_api/v1/").build().unwrap();
    /// assert_eq!(c.base_url(), "http://127.0.0.1:8080/developer_api/v1");
    /// ```
    pub fn base_url(&self) -> &str {
        &self.inner.base_url
    }

    /// What this client and its clones have sent so far.
    ///
    /// ```
    /// let c = copper_crm::Client::builder().oauth_token("t").build().unwrap();
    /// assert_eq!(c.stats().requests, 0);
    /// ```
    pub fn stats(&self) -> ClientStats {
        self.inner.executor.counters.snapshot()
    }

    /// The rate limits this client keeps to.
    ///
    /// ```
    /// let c = copper_crm::Client::builder().oauth_token("t").build().unwrap();
    /// assert_eq!(c.rate_limits(), &copper_crm::RateLimits::copper());
    /// ```
    pub fn rate_limits(&self) -> &RateLimits {
        &self.inner.limits
    }

    /// How many matches of one search Copper lets a client page through
    /// (default [`DEFAULT_SEARCH_CAP`](crate::search::DEFAULT_SEARCH_CAP));
    /// searches that match more are split into date windows.
    ///
    /// ```
    /// let c = copper_crm::Client::builder().oauth_token("t").search_cap(1_000).build().unwrap();
    /// assert_eq!(c.search_cap(), 1_000);
    /// ```
    pub fn search_cap(&self) -> u64 {
        self.inner.search_cap
    }

    /// Whether entity requests ask Copper for computed custom field values.
    pub(crate) fn computed_values(&self) -> bool {
        self.inner.computed_values
    }

    /// Await a generated call and map its error.
    pub(crate) async fn call<T>(
        &self,
        operation: &'static str,
        fut: impl Future<Output = Result<ResponseValue<T>, progenitor_client::Error<ErrorBody>>>,
    ) -> Result<ResponseValue<T>, Error> {
        match fut.await {
            Ok(v) => Ok(v),
            Err(e) => Err(Error::from_raw(operation, e).await),
        }
    }

    /// Await a generated call and keep only the body.
    pub(crate) async fn send<T>(
        &self,
        operation: &'static str,
        fut: impl Future<Output = Result<ResponseValue<T>, progenitor_client::Error<ErrorBody>>>,
    ) -> Result<T, Error> {
        self.call(operation, fut)
            .await
            .map(ResponseValue::into_inner)
    }

    /// Send a JSON body the generated types cannot express (an explicit
    /// `null` that clears a field) through the same executor, and decode the
    /// answer as `T`.
    pub(crate) async fn send_json<T: serde::de::DeserializeOwned>(
        &self,
        operation: &'static str,
        method: reqwest::Method,
        path: &str,
        query: &[(&str, String)],
        body: &serde_json::Value,
    ) -> Result<T, Error> {
        let url = format!("{}{}", self.inner.base_url, path);
        let request = self
            .inner
            .raw
            .client()
            .request(method, url)
            .header(
                reqwest::header::ACCEPT,
                HeaderValue::from_static("application/json"),
            )
            .header(
                "api-version",
                HeaderValue::from_static(<copper_crm_raw::Client as copper_crm_raw::ClientInfo<
                    Hooks,
                >>::api_version()),
            )
            .query(query)
            .json(body)
            .build()
            .map_err(|e| Error::InvalidInput(format!("{operation}: {e}")))?;
        let response = self
            .inner
            .executor
            .run(self.inner.raw.client(), request, operation)
            .await
            .map_err(|source| Error::Transport {
                operation,
                kind: crate::error::TransportKind::of(&source),
                source,
            })?;
        let status = response.status();
        let bytes = response.bytes().await.map_err(|source| Error::Transport {
            operation,
            kind: crate::error::TransportKind::of(&source),
            source,
        })?;
        if status.is_success() {
            serde_json::from_slice(&bytes).map_err(|e| Error::Decode {
                operation,
                status: Some(status.as_u16()),
                message: e.to_string(),
                snippet: crate::error::snippet(&bytes),
            })
        } else {
            let body: ErrorBody = serde_json::from_slice(&bytes).unwrap_or_default();
            let body = crate::ApiErrorBody(body);
            Err(if status.as_u16() == 429 {
                Error::RateLimited { operation, body }
            } else {
                Error::Api {
                    operation,
                    status: status.as_u16(),
                    body,
                }
            })
        }
    }
}

/// Builds a [`Client`].
///
/// ```
/// use std::time::Duration;
/// use copper_crm::{Client, RateLimits, RetryPolicy};
///
/// let client = Client::builder()
///     .api_key("key", "me@example.com")
///     .user_agent("my-sync-job/1.0")
///     .timeout(Duration::from_secs(20))
///     .rate_limits(RateLimits::copper())
///     .retry(RetryPolicy::default())
///     .build()
///     .unwrap();
/// # let _ = client;
/// ```
#[derive(Debug, Default)]
pub struct ClientBuilder {
    credentials: Option<Credentials>,
    base_url: Option<String>,
    user_agent: Option<String>,
    timeout: Option<Duration>,
    limits: Option<RateLimits>,
    retry: Option<RetryPolicy>,
    computed_values: bool,
    search_cap: Option<u64>,
}

impl ClientBuilder {
    /// Authenticate with an API key and the email of the user who owns it.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// use copper_crm_sim::{Limits, Sim};
    ///
    /// let sim = Sim::builder().limits(Limits::Off).start().await?;
    /// let client = copper_crm::Client::builder()
    ///     .api_key(copper_crm_sim::DEFAULT_API_KEY, copper_crm_sim::DEFAULT_EMAIL)
    ///     .base_url(sim.base_url())
    ///     .build()?;
    /// // The key and the email are sent as headers, and never shown.
    /// assert_eq!(client.users().me().await?.email, copper_crm_sim::DEFAULT_EMAIL);
    /// assert!(!format!("{client:?}").contains(copper_crm_sim::DEFAULT_API_KEY));
    /// # sim.shutdown().await;
    /// # Ok(()) }
    /// ```
    pub fn api_key(mut self, key: impl Into<String>, email: impl Into<String>) -> Self {
        self.credentials = Some(Credentials::api_key(key, email));
        self
    }

    /// Authenticate with an OAuth 2.0 access token.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// use copper_crm_sim::{Limits, Sim};
    ///
    /// let sim = Sim::builder().limits(Limits::Off).start().await?;
    /// let client = copper_crm::Client::builder()
    ///     .oauth_token(copper_crm_sim::DEFAULT_BEARER_TOKEN)
    ///     .base_url(sim.base_url())
    ///     .build()?;
    /// assert!(client.users().me().await.is_ok());
    ///
    /// let stranger = copper_crm::Client::builder()
    ///     .oauth_token("not-the-token")
    ///     .base_url(sim.base_url())
    ///     .build()?;
    /// assert_eq!(stranger.users().me().await.unwrap_err().status(), Some(401));
    /// # sim.shutdown().await;
    /// # Ok(()) }
    /// ```
    pub fn oauth_token(mut self, token: impl Into<String>) -> Self {
        self.credentials = Some(Credentials::oauth_token(token));
        self
    }

    /// Authenticate with prepared [`Credentials`].
    ///
    /// ```
    /// use copper_crm::{Client, Credentials};
    ///
    /// let credentials = Credentials::api_key("my-key", "me@example.com");
    /// let client = Client::builder().credentials(credentials.clone()).build().unwrap();
    /// assert!(!format!("{client:?}").contains("my-key"));
    /// // The credentials are checked when the client is built.
    /// let err = Client::builder().credentials(Credentials::oauth_token(" ")).build().unwrap_err();
    /// assert!(err.to_string().contains("OAuth token is empty"));
    /// ```
    pub fn credentials(mut self, credentials: Credentials) -> Self {
        self.credentials = Some(credentials);
        self
    }

    /// The API base URL (default [`DEFAULT_BASE_URL`]). Plain `http://` is
    /// refused unless the host is loopback (e.g. the simulator).
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// use copper_crm_sim::{Limits, Sim};
    ///
    /// let sim = Sim::builder().limits(Limits::Off).start().await?;
    /// let client = copper_crm::Client::builder()
    ///     .oauth_token(copper_crm_sim::DEFAULT_BEARER_TOKEN)
    ///     .base_url(format!("{}/", sim.base_url()))
    ///     .build()?;
    /// assert_eq!(client.base_url(), sim.base_url()); // without the trailing slash
    /// client.account().get().await?;
    /// assert_eq!(sim.stats().requests_for("account_get"), 1);
    /// # sim.shutdown().await;
    /// # Ok(()) }
    /// ```
    pub fn base_url(mut self, url: impl Into<String>) -> Self {
        self.base_url = Some(url.into());
        self
    }

    /// The `User-Agent` header (default `copper-crm/<version>`).
    ///
    /// ```
    /// use copper_crm::Client;
    ///
    /// let builder = Client::builder().oauth_token("token").user_agent("my-sync-job/1.0");
    /// assert!(format!("{builder:?}").contains(r#"user_agent: Some("my-sync-job/1.0")"#));
    /// assert!(builder.build().is_ok());
    /// // It must be a valid header value.
    /// let err = Client::builder().oauth_token("token").user_agent("two\nlines").build().unwrap_err();
    /// assert!(err.to_string().contains("user agent"));
    /// ```
    pub fn user_agent(mut self, agent: impl Into<String>) -> Self {
        self.user_agent = Some(agent.into());
        self
    }

    /// The timeout of one attempt (default 30 s).
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// use std::time::Duration;
    /// use copper_crm::{Error, RetryPolicy, TransportKind};
    /// use copper_crm_sim::{FaultConfig, Limits, Sim};
    ///
    /// // Every answer of this simulator takes 5 s.
    /// let slow = FaultConfig::seeded(1).with_delay(1.0, Duration::from_secs(5));
    /// let sim = Sim::builder().limits(Limits::Off).faults(slow).start().await?;
    /// let client = copper_crm::Client::builder()
    ///     .oauth_token(copper_crm_sim::DEFAULT_BEARER_TOKEN)
    ///     .base_url(sim.base_url())
    ///     .timeout(Duration::from_millis(100))
    ///     .retry(RetryPolicy::none())
    ///     .build()?;
    /// let err = client.users().me().await.unwrap_err();
    /// assert!(matches!(err, Error::Transport { kind: TransportKind::Timeout, .. }), "{err}");
    /// # Ok(()) }
    /// ```
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = Some(timeout);
        self
    }

    /// The rate limits to keep to (default [`RateLimits::copper`]).
    ///
    /// ```
    /// use copper_crm::{Client, RateLimits};
    ///
    /// // Against the simulator started with `--limits scale=10`:
    /// let client = Client::builder()
    ///     .oauth_token("token")
    ///     .rate_limits(RateLimits::copper().scaled(10.0))
    ///     .build()
    ///     .unwrap();
    /// assert_eq!(client.rate_limits(), &RateLimits::copper().scaled(10.0));
    /// ```
    pub fn rate_limits(mut self, limits: RateLimits) -> Self {
        self.limits = Some(limits);
        self
    }

    /// The retry policy (default [`RetryPolicy::default`]).
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// use std::time::Duration;
    /// use copper_crm::RetryPolicy;
    /// use copper_crm_sim::{FaultConfig, Limits, Sim};
    ///
    /// // Every answer of this simulator is a 503.
    /// let down = FaultConfig::seeded(1).with_service_unavailable(1.0);
    /// let sim = Sim::builder().limits(Limits::Off).faults(down).start().await?;
    /// let client = copper_crm::Client::builder()
    ///     .oauth_token(copper_crm_sim::DEFAULT_BEARER_TOKEN)
    ///     .base_url(sim.base_url())
    ///     .retry(RetryPolicy {
    ///         max_attempts: 3,
    ///         initial_backoff: Duration::from_millis(1),
    ///         ..RetryPolicy::default()
    ///     })
    /// #   .rate_limits(copper_crm::RateLimits::unlimited())
    ///     .build()?;
    /// assert_eq!(client.users().me().await.unwrap_err().status(), Some(503));
    /// assert_eq!(sim.stats().requests_for("users_me"), 3);
    /// assert_eq!(client.stats().retries, 2);
    /// # sim.shutdown().await;
    /// # Ok(()) }
    /// ```
    pub fn retry(mut self, retry: RetryPolicy) -> Self {
        self.retry = Some(retry);
        self
    }

    /// Ask Copper for computed custom field values (labels) on every entity
    /// request (`custom_field_computed_values=true`). Default off.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// use copper_crm_sim::{Limits, Sim};
    ///
    /// let sim = Sim::builder().seed_demo(true).limits(Limits::Off).start().await?;
    /// let client = |computed: bool| {
    ///     copper_crm::Client::builder()
    ///         .oauth_token(copper_crm_sim::DEFAULT_BEARER_TOKEN)
    ///         .base_url(sim.base_url())
    ///         .computed_custom_field_values(computed)
    ///         .build()
    /// };
    /// let email = "michael@dundermifflin.com";
    /// let plain = client(false)?.people().fetch_by_email(email).await?;
    /// assert!(plain.custom_fields.iter().all(|f| f.computed_value.is_none()));
    /// // With labels: his "Color" dropdown holds an option id; its label is "Red".
    /// let labelled = client(true)?.people().fetch_by_email(email).await?;
    /// assert!(labelled.custom_fields.iter().any(|f| f.computed_value == Some("Red".into())));
    /// # sim.shutdown().await;
    /// # Ok(()) }
    /// ```
    pub fn computed_custom_field_values(mut self, on: bool) -> Self {
        self.computed_values = on;
        self
    }

    /// How many matches of one search Copper lets a client page through
    /// (default [`DEFAULT_SEARCH_CAP`](crate::search::DEFAULT_SEARCH_CAP),
    /// Copper's documented 100,000). Searches that match more are split
    /// into date windows of at most this many records (see
    /// [`SearchStream`](crate::search::SearchStream)). Must be at least 1.
    ///
    /// ```
    /// use copper_crm::Client;
    ///
    /// let client = Client::builder().oauth_token("token").search_cap(10_000).build().unwrap();
    /// assert_eq!(client.search_cap(), 10_000);
    /// assert!(Client::builder().oauth_token("token").search_cap(0).build().is_err());
    /// ```
    pub fn search_cap(mut self, cap: u64) -> Self {
        self.search_cap = Some(cap);
        self
    }

    /// Build the client.
    ///
    /// ```
    /// let err = copper_crm::Client::builder().build().unwrap_err();
    /// assert!(err.to_string().contains("credentials"));
    /// let err = copper_crm::Client::builder().oauth_token("t").base_url("http://example.com").build().unwrap_err();
    /// assert!(err.to_string().contains("https"));
    /// ```
    pub fn build(self) -> Result<Client, Error> {
        let credentials = self.credentials.ok_or_else(|| {
            Error::InvalidInput(
                "no credentials: call .api_key(key, email) or .oauth_token(token)".into(),
            )
        })?;
        let base_url = validate_base_url(self.base_url.as_deref().unwrap_or(DEFAULT_BASE_URL))?;
        let mut headers = credentials.headers()?;
        let agent = self
            .user_agent
            .unwrap_or_else(|| format!("copper-crm/{}", env!("CARGO_PKG_VERSION")));
        headers.insert(
            USER_AGENT,
            HeaderValue::from_str(&agent).map_err(|_| {
                Error::InvalidInput("the user agent is not a valid header value".into())
            })?,
        );
        let http = reqwest::Client::builder()
            .default_headers(headers)
            .timeout(self.timeout.unwrap_or(Duration::from_secs(30)))
            .connect_timeout(Duration::from_secs(10))
            .build()
            .map_err(|e| Error::InvalidInput(format!("cannot build the HTTP client: {e}")))?;
        let search_cap = self.search_cap.unwrap_or(crate::search::DEFAULT_SEARCH_CAP);
        if search_cap == 0 {
            return Err(Error::InvalidInput(
                "the search cap must be at least 1".into(),
            ));
        }
        let limits = self.limits.unwrap_or_default();
        let executor = Arc::new(RequestExecutor {
            limiter: Limiter::new(&limits),
            retry: self.retry.unwrap_or_default(),
            counters: Arc::new(Counters::default()),
        });
        let hooks = Hooks::new(executor.clone() as Arc<dyn Executor>);
        let raw = copper_crm_raw::Client::new_with_client(&base_url, http, hooks);
        Ok(Client {
            inner: Arc::new(Inner {
                raw,
                base_url,
                executor,
                limits,
                computed_values: self.computed_values,
                search_cap,
                registry: Default::default(),
            }),
        })
    }
}

fn validate_base_url(raw: &str) -> Result<String, Error> {
    let url = Url::parse(raw)
        .map_err(|e| Error::InvalidInput(format!("base URL {raw:?} is not a URL: {e}")))?;
    match url.scheme() {
        "https" => {}
        "http" => {
            let loopback = match url.host() {
                Some(url::Host::Domain(d)) => d.eq_ignore_ascii_case("localhost"),
                Some(url::Host::Ipv4(ip)) => ip.is_loopback(),
                Some(url::Host::Ipv6(ip)) => ip.is_loopback(),
                None => false,
            };
            if !loopback {
                return Err(Error::InvalidInput(format!(
                    "base URL {raw:?} uses plain http to a non-loopback host; Copper requires https (TLS 1.2+)"
                )));
            }
        }
        other => {
            return Err(Error::InvalidInput(format!(
                "base URL {raw:?} has scheme {other:?}; use https"
            )));
        }
    }
    if url.query().is_some() || url.fragment().is_some() {
        return Err(Error::InvalidInput(format!(
            "base URL {raw:?} must not have a query or fragment"
        )));
    }
    Ok(url.as_str().trim_end_matches('/').to_string())
}

#[cfg(test)]
mod tests {
    use super::validate_base_url;

    #[test]
    fn base_urls() {
        assert!(validate_base_url("https://api.copper.com/developer_api/v1").is_ok());
        assert!(validate_base_url("http://127.0.0.1:9000/developer_api/v1").is_ok());
        assert!(validate_base_url("http://[::1]:9000/x").is_ok());
        assert!(validate_base_url("http://localhost/x").is_ok());
        assert!(validate_base_url("http://10.0.0.1/x").is_err());
        assert!(validate_base_url("ftp://127.0.0.1/x").is_err());
        assert!(validate_base_url("not a url").is_err());
        assert_eq!(validate_base_url("https://h/x/").unwrap(), "https://h/x");
    }
}
