//! OAuth 2.0 authorization code flow for Copper apps.
//!
//! 1. Send the user to [`OAuthClient::authorize_url`] with a fresh `state`
//!    ([`OAuthClient::random_state`]).
//! 2. Copper redirects back to your `redirect_uri` with `code` and `state`
//!    (or `error`); read them with [`OAuthClient::parse_redirect`], which
//!    checks the state.
//! 3. [`OAuthClient::exchange_code`] trades the code for an access token
//!    (a form-encoded POST, as Copper requires). Copper's tokens do not
//!    expire and cannot be refreshed.
//! 4. Build a client with it: [`OAuthGrant::client_builder`], i.e.
//!    `Client::builder().oauth_token(token)`.
//!
//! ```no_run
//! use copper_crm::oauth::{OAuthClient, OAuthRedirect};
//!
//! # async fn run(redirect_query: &str, saved_state: &str) -> Result<(), copper_crm::Error> {
//! let oauth = OAuthClient::new("my-client-id", "my-client-secret", "https://example.com/copper/callback")?;
//! let state = OAuthClient::random_state()?;
//! println!("open {}", oauth.authorize_url(&state));
//! // ... later, in the callback handler:
//! match oauth.parse_redirect(redirect_query, saved_state)? {
//!     OAuthRedirect::Code(code) => {
//!         let grant = oauth.exchange_code(code).await?;
//!         let client = grant.client_builder().build()?;
//!         println!("signed in as {}", client.users().me().await?.name);
//!     }
//!     OAuthRedirect::Refused { error, .. } => println!("the user declined: {error}"),
//! }
//! # Ok(()) }
//! ```
//!
//! **Why not the `oauth2` crate?** It is well kept, but its 5.x release
//! brings reqwest 0.12 (this crate uses 0.13, so a second HTTP stack would be
//! compiled) or, without that feature, glue code to plug our client in — plus
//! `rand`, `sha2`, `base64` and a typestate API — for a flow that is three
//! fixed form fields here: Copper has no PKCE, no refresh tokens and no
//! expiry. The code below is the whole flow, with the secret handling this
//! crate needs (nothing sensitive in `Debug`, errors or logs).

use std::fmt;
use std::time::Duration;

use copper_crm_raw::types::{self, ErrorBody};
use secrecy::{ExposeSecret, SecretString};
use subtle::ConstantTimeEq;
use url::Url;

use crate::error::{TransportKind, snippet};
use crate::{ApiErrorBody, ClientBuilder, Credentials, Error};

/// Copper's authorization page.
///
/// ```
/// assert!(copper_crm::oauth::AUTHORIZE_URL.starts_with("https://app.copper.com/"));
/// ```
pub const AUTHORIZE_URL: &str = "https://app.copper.com/oauth/authorize";
/// Copper's token endpoint.
///
/// ```
/// assert!(copper_crm::oauth::TOKEN_URL.ends_with("/oauth/token"));
/// ```
pub const TOKEN_URL: &str = "https://app.copper.com/oauth/token";
/// The only scope Copper grants.
///
/// ```
/// assert_eq!(copper_crm::oauth::SCOPE, "developer/v1/all");
/// ```
pub const SCOPE: &str = "developer/v1/all";

const OPERATION: &str = "oauth_token";

/// An OAuth app registered with Copper: its client id and secret and the
/// redirect URI registered with them.
///
/// ```
/// use copper_crm::oauth::OAuthClient;
///
/// let oauth = OAuthClient::new("id-1", "shh-secret", "https://example.com/cb").unwrap();
/// let url = oauth.authorize_url("xyz");
/// assert_eq!(
///     url.as_str(),
///     "https://app.copper.com/oauth/authorize?response_type=code&client_id=id-1\
///      &redirect_uri=https%3A%2F%2Fexample.com%2Fcb&scope=developer%2Fv1%2Fall&state=xyz"
/// );
/// assert!(!format!("{oauth:?}").contains("shh-secret"));
/// ```
#[derive(Clone)]
pub struct OAuthClient {
    client_id: String,
    client_secret: SecretString,
    redirect_uri: String,
    authorize_endpoint: Url,
    token_endpoint: Url,
    http: reqwest::Client,
}

impl fmt::Debug for OAuthClient {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("OAuthClient")
            .field("client_id", &self.client_id)
            .field("client_secret", &"[REDACTED]")
            .field("redirect_uri", &self.redirect_uri)
            .field("authorize_endpoint", &self.authorize_endpoint.as_str())
            .field("token_endpoint", &self.token_endpoint.as_str())
            .finish()
    }
}

/// An https URL, or http to a loopback host (for tests).
fn endpoint(raw: &str, what: &str) -> Result<Url, Error> {
    let url = Url::parse(raw)
        .map_err(|e| Error::InvalidInput(format!("the OAuth {what} {raw:?} is not a URL: {e}")))?;
    let loopback = match url.host() {
        Some(url::Host::Domain(d)) => d.eq_ignore_ascii_case("localhost"),
        Some(url::Host::Ipv4(ip)) => ip.is_loopback(),
        Some(url::Host::Ipv6(ip)) => ip.is_loopback(),
        None => false,
    };
    match url.scheme() {
        "https" => Ok(url),
        "http" if loopback => Ok(url),
        _ => Err(Error::InvalidInput(format!(
            "the OAuth {what} {raw:?} must use https (plain http only to a loopback host)"
        ))),
    }
}

impl OAuthClient {
    /// An OAuth client for Copper's production endpoints.
    ///
    /// ```
    /// use copper_crm::oauth::OAuthClient;
    /// assert!(OAuthClient::new("id", "secret", "https://example.com/cb").is_ok());
    /// assert!(OAuthClient::new("id", "secret", "not a url").is_err());
    /// assert!(OAuthClient::new("", "secret", "https://example.com/cb").is_err());
    /// ```
    pub fn new(
        client_id: impl Into<String>,
        client_secret: impl Into<String>,
        redirect_uri: impl Into<String>,
    ) -> Result<Self, Error> {
        let client_id = client_id.into();
        let client_secret = SecretString::from(client_secret.into());
        let redirect_uri = redirect_uri.into();
        if client_id.trim().is_empty() {
            return Err(Error::InvalidInput("the OAuth client id is empty".into()));
        }
        if client_secret.expose_secret().trim().is_empty() {
            return Err(Error::InvalidInput(
                "the OAuth client secret is empty".into(),
            ));
        }
        Url::parse(&redirect_uri).map_err(|e| {
            Error::InvalidInput(format!(
                "the OAuth redirect URI {redirect_uri:?} is not a URL: {e}"
            ))
        })?;
        let http = reqwest::Client::builder()
            .timeout(Duration::from_secs(30))
            .connect_timeout(Duration::from_secs(10))
            .user_agent(concat!("copper-crm/", env!("CARGO_PKG_VERSION")))
            .build()
            .map_err(|e| Error::InvalidInput(format!("cannot build the HTTP client: {e}")))?;
        Ok(OAuthClient {
            client_id,
            client_secret,
            redirect_uri,
            authorize_endpoint: endpoint(AUTHORIZE_URL, "authorize endpoint")?,
            token_endpoint: endpoint(TOKEN_URL, "token endpoint")?,
            http,
        })
    }

    /// Use another authorization page (https, or http to a loopback host).
    ///
    /// ```
    /// # use copper_crm::oauth::OAuthClient;
    /// let oauth = OAuthClient::new("id", "s", "https://example.com/cb").unwrap()
    ///     .authorize_endpoint("http://127.0.0.1:9/oauth/authorize").unwrap();
    /// assert!(oauth.authorize_url("s").as_str().starts_with("http://127.0.0.1:9/oauth/authorize?"));
    /// ```
    pub fn authorize_endpoint(mut self, url: &str) -> Result<Self, Error> {
        self.authorize_endpoint = endpoint(url, "authorize endpoint")?;
        Ok(self)
    }

    /// Use another token endpoint (https, or http to a loopback host, e.g.
    /// a test server).
    ///
    /// ```
    /// # use copper_crm::oauth::OAuthClient;
    /// let oauth = OAuthClient::new("id", "s", "https://example.com/cb").unwrap();
    /// assert!(oauth.clone().token_endpoint("http://127.0.0.1:9/oauth/token").is_ok());
    /// assert!(oauth.token_endpoint("http://auth.example.com/oauth/token").is_err());
    /// ```
    pub fn token_endpoint(mut self, url: &str) -> Result<Self, Error> {
        self.token_endpoint = endpoint(url, "token endpoint")?;
        Ok(self)
    }

    /// A random `state` value (32 bytes from the operating system, as hex) to
    /// pass to [`authorize_url`](Self::authorize_url) and keep in the user's
    /// session.
    ///
    /// ```
    /// # use copper_crm::oauth::OAuthClient;
    /// let a = OAuthClient::random_state().unwrap();
    /// assert_eq!(a.len(), 64);
    /// assert_ne!(a, OAuthClient::random_state().unwrap());
    /// ```
    pub fn random_state() -> Result<String, Error> {
        let mut bytes = [0u8; 32];
        getrandom::fill(&mut bytes).map_err(|e| {
            Error::InvalidInput(format!("the operating system gave no random bytes: {e}"))
        })?;
        Ok(bytes.iter().map(|b| format!("{b:02x}")).collect())
    }

    /// The URL to send the user to: Copper's authorization page with
    /// `response_type=code`, `client_id`, `redirect_uri`,
    /// `scope=developer/v1/all` and `state`.
    ///
    /// ```
    /// # use copper_crm::oauth::OAuthClient;
    /// let url = OAuthClient::new("id", "s", "https://example.com/cb").unwrap().authorize_url("abc");
    /// let pairs: Vec<(String, String)> = url.query_pairs().into_owned().collect();
    /// assert!(pairs.contains(&("state".into(), "abc".into())));
    /// assert!(pairs.contains(&("scope".into(), "developer/v1/all".into())));
    /// ```
    pub fn authorize_url(&self, state: &str) -> Url {
        let mut url = self.authorize_endpoint.clone();
        url.query_pairs_mut()
            .append_pair("response_type", "code")
            .append_pair("client_id", &self.client_id)
            .append_pair("redirect_uri", &self.redirect_uri)
            .append_pair("scope", SCOPE)
            .append_pair("state", state);
        url
    }

    /// Read the redirect Copper sends back: the query string (with or
    /// without the leading URL and `?`) or a form-encoded POST body. The
    /// `state` must equal `expected_state` (compared in constant time);
    /// anything else — a missing or different state, neither `code` nor
    /// `error` — is an [`Error::InvalidInput`] that echoes no value.
    ///
    /// ```
    /// use copper_crm::oauth::{OAuthClient, OAuthRedirect};
    /// let oauth = OAuthClient::new("id", "s", "https://example.com/cb").unwrap();
    ///
    /// let ok = oauth.parse_redirect("https://example.com/cb?code=c0de&state=st", "st").unwrap();
    /// assert!(matches!(ok, OAuthRedirect::Code(ref c) if c.secret() == "c0de"));
    ///
    /// let refused = oauth.parse_redirect("error=access_denied&error_description=User+said+no&state=st", "st").unwrap();
    /// assert!(matches!(refused, OAuthRedirect::Refused { ref error, .. } if error == "access_denied"));
    ///
    /// assert!(oauth.parse_redirect("code=c0de&state=forged", "st").is_err());
    /// ```
    pub fn parse_redirect(
        &self,
        query_or_form: &str,
        expected_state: &str,
    ) -> Result<OAuthRedirect, Error> {
        let query = match query_or_form.split_once('?') {
            Some((_, q)) => q,
            None => query_or_form,
        };
        let query = query.split('#').next().unwrap_or_default();
        let mut code = None;
        let mut state = None;
        let mut error = None;
        let mut description = None;
        for (k, v) in url::form_urlencoded::parse(query.as_bytes()) {
            match k.as_ref() {
                "code" => code = Some(v.into_owned()),
                "state" => state = Some(v.into_owned()),
                "error" => error = Some(v.into_owned()),
                "error_description" => description = Some(v.into_owned()),
                _ => {}
            }
        }
        let state =
            state.ok_or_else(|| Error::InvalidInput("the OAuth redirect has no state".into()))?;
        if expected_state.is_empty()
            || !bool::from(state.as_bytes().ct_eq(expected_state.as_bytes()))
        {
            return Err(Error::InvalidInput(
                "the OAuth redirect's state does not match the one sent (a forged or stale redirect)".into(),
            ));
        }
        match (code, error) {
            (_, Some(error)) => Ok(OAuthRedirect::Refused { error, description }),
            (Some(code), None) if !code.is_empty() => {
                Ok(OAuthRedirect::Code(AuthorizationCode::from(code)))
            }
            _ => Err(Error::InvalidInput(
                "the OAuth redirect has neither a code nor an error".into(),
            )),
        }
    }

    /// Exchange an authorization code for an access token: a form-encoded
    /// POST of `grant_type=authorization_code`, `code`, `redirect_uri`,
    /// `client_id` and `client_secret` to the token endpoint.
    ///
    /// An error answer is an [`Error::Api`] (`operation` `oauth_token`)
    /// whose body has the code and the client secret removed; an answer that
    /// is not a token is an [`Error::Decode`] whose snippet hides token
    /// values.
    ///
    /// ```no_run
    /// # use copper_crm::oauth::OAuthClient;
    /// # async fn run(oauth: OAuthClient) -> Result<(), copper_crm::Error> {
    /// let grant = oauth.exchange_code("code-from-the-redirect").await?;
    /// let client = grant.client_builder().build()?;
    /// # let _ = client; Ok(()) }
    /// ```
    pub async fn exchange_code(
        &self,
        code: impl Into<AuthorizationCode>,
    ) -> Result<OAuthGrant, Error> {
        let code = code.into();
        if code.secret().is_empty() {
            return Err(Error::InvalidInput(
                "the OAuth authorization code is empty".into(),
            ));
        }
        let form = [
            ("grant_type", "authorization_code"),
            ("code", code.secret()),
            ("redirect_uri", &self.redirect_uri),
            ("client_id", &self.client_id),
            ("client_secret", self.client_secret.expose_secret()),
        ];
        tracing::debug!(endpoint = %self.token_endpoint, "exchanging an OAuth authorization code");
        let transport = |source: reqwest::Error| Error::Transport {
            operation: OPERATION,
            kind: TransportKind::of(&source),
            source,
        };
        let response = self
            .http
            .post(self.token_endpoint.clone())
            .header(reqwest::header::ACCEPT, "application/json")
            .form(&form)
            .send()
            .await
            .map_err(transport)?;
        let status = response.status();
        let bytes = response.bytes().await.map_err(transport)?;
        if !status.is_success() {
            let text = self.scrub(&String::from_utf8_lossy(&bytes), &code);
            let body: ErrorBody = serde_json::from_str(&text).unwrap_or_else(|_| ErrorBody {
                error: Some(snippet(text.as_bytes())),
                message: None,
                status: None,
                success: None,
            });
            tracing::debug!(
                status = status.as_u16(),
                "the OAuth token endpoint refused the code"
            );
            return Err(Error::Api {
                operation: OPERATION,
                status: status.as_u16(),
                body: ApiErrorBody(body),
            });
        }
        match serde_json::from_slice::<types::OAuthToken>(&bytes) {
            Ok(token) if !token.access_token.is_empty() => Ok(OAuthGrant { token }),
            Ok(_) => Err(Error::Decode {
                operation: OPERATION,
                status: Some(status.as_u16()),
                message: "the token answer has an empty access_token".into(),
                snippet: String::new(),
            }),
            Err(e) => {
                let redacted = crate::redact::redact_json(&bytes, &|k| {
                    k.contains("token") || k.contains("secret")
                });
                Err(Error::Decode {
                    operation: OPERATION,
                    status: Some(status.as_u16()),
                    message: e.to_string(),
                    snippet: snippet(self.scrub(&redacted, &code).as_bytes()),
                })
            }
        }
    }

    /// `text` without the client secret or the code.
    fn scrub(&self, text: &str, code: &AuthorizationCode) -> String {
        let mut out = text.replace(self.client_secret.expose_secret(), "[REDACTED]");
        if !code.secret().is_empty() {
            out = out.replace(code.secret(), "[REDACTED]");
        }
        out
    }
}

/// What a redirect from Copper's authorization page says.
///
/// ```
/// use copper_crm::oauth::OAuthRedirect;
/// let r = OAuthRedirect::Refused { error: "access_denied".into(), description: None };
/// assert!(matches!(r, OAuthRedirect::Refused { .. }));
/// ```
#[derive(Debug, Clone)]
pub enum OAuthRedirect {
    /// The user granted access: exchange the code.
    Code(AuthorizationCode),
    /// The user (or Copper) refused.
    Refused {
        /// The OAuth `error`, e.g. `access_denied`.
        error: String,
        /// The `error_description`, when sent.
        description: Option<String>,
    },
}

/// An authorization code from the redirect. Short-lived, but it grants a
/// token to whoever also has the client secret, so `Debug` hides it.
///
/// ```
/// use copper_crm::oauth::AuthorizationCode;
/// let code = AuthorizationCode::from("c0de");
/// assert_eq!(code.secret(), "c0de");
/// assert_eq!(format!("{code:?}"), "AuthorizationCode([REDACTED])");
/// ```
#[derive(Clone)]
pub struct AuthorizationCode(SecretString);

impl AuthorizationCode {
    /// The code itself.
    ///
    /// ```
    /// assert_eq!(copper_crm::oauth::AuthorizationCode::from("abc").secret(), "abc");
    /// ```
    pub fn secret(&self) -> &str {
        self.0.expose_secret()
    }
}

impl fmt::Debug for AuthorizationCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("AuthorizationCode([REDACTED])")
    }
}

impl From<&str> for AuthorizationCode {
    fn from(code: &str) -> Self {
        AuthorizationCode(SecretString::from(code.to_string()))
    }
}

impl From<String> for AuthorizationCode {
    fn from(code: String) -> Self {
        AuthorizationCode(SecretString::from(code))
    }
}

/// The token Copper granted: the generated [`types::OAuthToken`] behind a
/// `Debug` that hides the access token.
///
/// ```
/// use copper_crm::oauth::OAuthGrant;
/// # let json = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../../tests/fixtures/oauth_token.response.json")).unwrap();
/// let grant = OAuthGrant::from(serde_json::from_str::<copper_crm::types::OAuthToken>(&json).unwrap());
/// assert_eq!(grant.token_type(), "Bearer");
/// assert_eq!(grant.scope(), Some("developer/v1/all"));
/// assert!(!format!("{grant:?}").contains(grant.access_token()));
/// let client = grant.client_builder().build().unwrap();
/// # let _ = client;
/// ```
#[derive(Clone)]
pub struct OAuthGrant {
    token: types::OAuthToken,
}

impl fmt::Debug for OAuthGrant {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("OAuthGrant")
            .field("access_token", &"[REDACTED]")
            .field("token_type", &self.token.token_type)
            .field("scope", &self.token.scope)
            .finish()
    }
}

impl From<types::OAuthToken> for OAuthGrant {
    fn from(token: types::OAuthToken) -> Self {
        OAuthGrant { token }
    }
}

impl OAuthGrant {
    /// The access token (store it like a password).
    ///
    /// ```
    /// # let grant = copper_crm::oauth::OAuthGrant::from(copper_crm::types::OAuthToken {
    /// #     access_token: "t0k".into(), scope: Some("developer/v1/all".into()), token_type: "Bearer".into() });
    /// assert_eq!(grant.access_token(), "t0k");
    /// ```
    pub fn access_token(&self) -> &str {
        &self.token.access_token
    }

    /// The token type (always `Bearer`).
    ///
    /// ```
    /// # let grant = copper_crm::oauth::OAuthGrant::from(copper_crm::types::OAuthToken {
    /// #     access_token: "t0k".into(), scope: Some("developer/v1/all".into()), token_type: "Bearer".into() });
    /// assert_eq!(grant.token_type(), "Bearer");
    /// ```
    pub fn token_type(&self) -> &str {
        &self.token.token_type
    }

    /// The granted scope.
    ///
    /// ```
    /// # let grant = copper_crm::oauth::OAuthGrant::from(copper_crm::types::OAuthToken {
    /// #     access_token: "t0k".into(), scope: Some("developer/v1/all".into()), token_type: "Bearer".into() });
    /// assert_eq!(grant.scope(), Some(copper_crm::oauth::SCOPE));
    /// ```
    pub fn scope(&self) -> Option<&str> {
        self.token.scope.as_deref()
    }

    /// Credentials for [`ClientBuilder::credentials`].
    ///
    /// ```
    /// # let grant = copper_crm::oauth::OAuthGrant::from(copper_crm::types::OAuthToken {
    /// #     access_token: "t0k".into(), scope: Some("developer/v1/all".into()), token_type: "Bearer".into() });
    /// let client = copper_crm::Client::builder().credentials(grant.credentials()).build().unwrap();
    /// # let _ = client;
    /// ```
    pub fn credentials(&self) -> Credentials {
        Credentials::oauth_token(self.token.access_token.clone())
    }

    /// `Client::builder().oauth_token(access_token)`.
    ///
    /// ```
    /// # let grant = copper_crm::oauth::OAuthGrant::from(copper_crm::types::OAuthToken {
    /// #     access_token: "t0k".into(), scope: Some("developer/v1/all".into()), token_type: "Bearer".into() });
    /// let client = grant.client_builder().user_agent("my-app/1.0").build().unwrap();
    /// # let _ = client;
    /// ```
    pub fn client_builder(&self) -> ClientBuilder {
        crate::Client::builder().credentials(self.credentials())
    }

    /// The generated type (its derived `Debug` shows the token).
    ///
    /// ```
    /// # let grant = copper_crm::oauth::OAuthGrant::from(copper_crm::types::OAuthToken {
    /// #     access_token: "t0k".into(), scope: Some("developer/v1/all".into()), token_type: "Bearer".into() });
    /// assert_eq!(grant.into_raw().access_token, "t0k");
    /// ```
    pub fn into_raw(self) -> types::OAuthToken {
        self.token
    }
}
