//! The one error type of the crate.

use std::fmt;

use copper_crm_raw::types::ErrorBody;
use progenitor_client::ResponseValue;

/// How many bytes of a body an error carries for diagnosis.
const SNIPPET_LEN: usize = 512;

/// Everything that can go wrong talking to Copper.
///
/// ```
/// use copper_crm::Error;
///
/// fn describe(e: &Error) -> String {
///     match e {
///         Error::Api { status, body, .. } if *status == 404 => format!("not found: {body}"),
///         Error::RateLimited { .. } => "slow down".into(),
///         other if other.is_retryable() => format!("try again later: {other}"),
///         other => other.to_string(),
///     }
/// }
/// # let _ = describe;
/// ```
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// Copper answered with an error status and its error body.
    #[error("Copper answered {operation} with {status}: {body}")]
    Api {
        /// The operation id (as in the OpenAPI spec), e.g. `people_get`.
        operation: &'static str,
        /// The HTTP status.
        status: u16,
        /// Copper's error body, in either of its two shapes.
        body: ApiErrorBody,
    },
    /// Copper answered 429 and the retry budget ran out.
    #[error("Copper rate-limited {operation} (429) and the retry budget ran out: {body}")]
    RateLimited {
        /// The operation id.
        operation: &'static str,
        /// The error body Copper sent (often empty).
        body: ApiErrorBody,
    },
    /// The request never got a complete answer: connection refused or
    /// dropped, timeout, TLS failure.
    #[error("{operation} failed before Copper answered ({kind}): {source}")]
    Transport {
        /// The operation id.
        operation: &'static str,
        /// What kind of failure.
        kind: TransportKind,
        /// The underlying error.
        #[source]
        source: reqwest::Error,
    },
    /// Copper answered, but not with what the API describes.
    #[error("Copper's answer to {operation} could not be decoded ({}): {message}; body starts {snippet:?}", .status.map(|s| s.to_string()).unwrap_or_else(|| "no status".into()))]
    Decode {
        /// The operation id.
        operation: &'static str,
        /// The HTTP status, when known.
        status: Option<u16>,
        /// What did not match.
        message: String,
        /// The start of the body.
        snippet: String,
    },
    /// The caller's input was refused before any request was sent.
    #[error("invalid input: {0}")]
    InvalidInput(String),
    /// A search matches more records created within one second than Copper
    /// lets a search reach, so splitting by creation date cannot get them all.
    #[error(
        "{operation} matches about {total} records created at unix second {second}, more than the {cap} a search can reach; narrow the filter"
    )]
    SearchCapExceeded {
        /// The search operation id.
        operation: &'static str,
        /// Copper's `X-PW-TOTAL` for that one-second window.
        total: u64,
        /// The search cap in force.
        cap: u64,
        /// The unix second that holds too many records.
        second: i64,
    },
    /// A search matches more records than Copper lets a search reach, and
    /// the search cannot be split into date windows (users have no date
    /// filter; a search with a custom `sort_by` that grew past the cap while
    /// it was read cannot be resumed in order).
    #[error(
        "{operation} matches {} records, more than the {cap} a search can reach, and cannot be split ({reason}); narrow the filter",
        .total.map(|t| format!("about {t}")).unwrap_or_else(|| "an unknown number of".into())
    )]
    SearchNotSplittable {
        /// The search operation id.
        operation: &'static str,
        /// Copper's `X-PW-TOTAL`, when it sent one.
        total: Option<u64>,
        /// The search cap in force.
        cap: u64,
        /// Why the search cannot be split.
        reason: &'static str,
    },
}

/// The kind of a [`Error::Transport`].
///
/// ```
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() {
/// use copper_crm::{Client, Error, RetryPolicy, TransportKind};
///
/// // A loopback port nothing listens on.
/// let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
/// let client = Client::builder()
///     .oauth_token("token")
///     .base_url(format!("http://127.0.0.1:{port}/developer_api/v1"))
///     .retry(RetryPolicy::none())
///     .build()
///     .unwrap();
/// match client.users().me().await {
///     Err(err @ Error::Transport { kind, .. }) => {
///         assert_eq!(kind, TransportKind::Connect);
///         assert_eq!(kind.to_string(), "could not connect");
///         assert!(err.never_reached_server());
///     }
///     other => panic!("expected a transport error, got {other:?}"),
/// }
/// # }
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum TransportKind {
    /// The connection could not be made: the request never reached Copper.
    Connect,
    /// No answer in time: the request may or may not have been processed.
    Timeout,
    /// Anything else (connection dropped mid-request, broken body...): the
    /// request may or may not have been processed.
    Other,
}

impl fmt::Display for TransportKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            TransportKind::Connect => "could not connect",
            TransportKind::Timeout => "timed out",
            TransportKind::Other => "connection failed",
        })
    }
}

impl TransportKind {
    pub(crate) fn of(e: &reqwest::Error) -> Self {
        if e.is_connect() {
            TransportKind::Connect
        } else if e.is_timeout() {
            TransportKind::Timeout
        } else {
            TransportKind::Other
        }
    }
}

impl Error {
    /// Whether trying the same request again later may succeed: rate limits,
    /// 5xx answers and transport failures. (Whether a retry is *safe* is a
    /// separate question: a create that timed out may have been applied.)
    ///
    /// ```
    /// let e = copper_crm::Error::InvalidInput("no name".into());
    /// assert!(!e.is_retryable());
    /// ```
    pub fn is_retryable(&self) -> bool {
        match self {
            Error::RateLimited { .. } | Error::Transport { .. } => true,
            Error::Api { status, .. } => *status == 429 || *status >= 500,
            Error::Decode { status, .. } => status.is_some_and(|s| s >= 500),
            Error::InvalidInput(_)
            | Error::SearchCapExceeded { .. }
            | Error::SearchNotSplittable { .. } => false,
        }
    }

    /// The HTTP status Copper answered with, if it answered.
    ///
    /// ```
    /// assert_eq!(copper_crm::Error::InvalidInput("x".into()).status(), None);
    /// ```
    pub fn status(&self) -> Option<u16> {
        match self {
            Error::Api { status, .. } => Some(*status),
            Error::RateLimited { .. } => Some(429),
            Error::Decode { status, .. } => *status,
            _ => None,
        }
    }

    /// Copper's error body, for API errors.
    ///
    /// ```
    /// assert!(copper_crm::Error::InvalidInput("x".into()).api_body().is_none());
    /// ```
    pub fn api_body(&self) -> Option<&ApiErrorBody> {
        match self {
            Error::Api { body, .. } | Error::RateLimited { body, .. } => Some(body),
            _ => None,
        }
    }

    /// Whether the request provably did not reach Copper (so it had no
    /// effect): a refused connection, or input refused before sending.
    ///
    /// ```
    /// assert!(copper_crm::Error::InvalidInput("x".into()).never_reached_server());
    /// ```
    pub fn never_reached_server(&self) -> bool {
        matches!(
            self,
            Error::Transport {
                kind: TransportKind::Connect,
                ..
            } | Error::InvalidInput(_)
        )
    }

    /// Whether the outcome is unknown: the request may or may not have been
    /// applied (a timeout, a dropped connection, a 5xx answer).
    ///
    /// ```
    /// assert!(!copper_crm::Error::InvalidInput("x".into()).is_ambiguous());
    /// ```
    pub fn is_ambiguous(&self) -> bool {
        match self {
            Error::Transport { kind, .. } => *kind != TransportKind::Connect,
            Error::Api { status, .. } => *status >= 500,
            Error::Decode { status, .. } => status.is_none_or(|s| s >= 500),
            _ => false,
        }
    }

    /// Turn an error of the generated client into ours.
    pub(crate) async fn from_raw(
        operation: &'static str,
        e: progenitor_client::Error<ErrorBody>,
    ) -> Self {
        use progenitor_client::Error as Raw;
        match e {
            Raw::ErrorResponse(rv) => Self::from_error_response(operation, rv),
            Raw::CommunicationError(source)
            | Raw::ResponseBodyError(source)
            | Raw::InvalidUpgrade(source) => Error::Transport {
                operation,
                kind: TransportKind::of(&source),
                source,
            },
            Raw::InvalidResponsePayload(bytes, err) => Error::Decode {
                operation,
                status: None,
                message: err.to_string(),
                snippet: snippet(&bytes),
            },
            Raw::UnexpectedResponse(resp) => {
                let status = resp.status().as_u16();
                let body = resp.bytes().await.unwrap_or_default();
                Error::Decode {
                    operation,
                    status: Some(status),
                    message: format!("status {status} is not an answer the API describes"),
                    snippet: snippet(&body),
                }
            }
            Raw::InvalidRequest(message) => Error::InvalidInput(format!("{operation}: {message}")),
            Raw::Custom(message) => Error::InvalidInput(format!("{operation}: {message}")),
        }
    }

    fn from_error_response(operation: &'static str, rv: ResponseValue<ErrorBody>) -> Self {
        let status = rv.status().as_u16();
        let body = ApiErrorBody(rv.into_inner());
        if status == 429 {
            Error::RateLimited { operation, body }
        } else {
            Error::Api {
                operation,
                status,
                body,
            }
        }
    }
}

/// The start of a body as text, for diagnostics.
pub(crate) fn snippet(bytes: &[u8]) -> String {
    let text = String::from_utf8_lossy(&bytes[..bytes.len().min(SNIPPET_LEN)]);
    let mut s = text.into_owned();
    if bytes.len() > SNIPPET_LEN {
        s.push('…');
    }
    s
}

/// Copper's error body in either of its shapes: `{"error": "..."}` or
/// `{"success": false, "status": 422, "message": ...}`.
///
/// ```
/// use copper_crm::ApiErrorBody;
/// use copper_crm_raw::types::ErrorBody;
///
/// let body = ApiErrorBody(serde_json::from_str::<ErrorBody>(r#"{"error":"not_found"}"#).unwrap());
/// assert_eq!(body.text(), "not_found");
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct ApiErrorBody(pub ErrorBody);

impl ApiErrorBody {
    /// The error text: `error`, else `message` (a string, or an object shown
    /// as JSON), else an empty string.
    ///
    /// ```
    /// use copper_crm::ApiErrorBody;
    ///
    /// let text = |json: &str| ApiErrorBody(serde_json::from_str(json).unwrap()).text();
    /// assert_eq!(text(r#"{"error":"Resource not found"}"#), "Resource not found");
    /// assert_eq!(text(r#"{"success":false,"status":422,"message":"Invalid input"}"#), "Invalid input");
    /// assert_eq!(text(r#"{"message":{"name":["can't be blank"]}}"#), r#"{"name":["can't be blank"]}"#);
    /// assert_eq!(text("{}"), "");
    /// ```
    pub fn text(&self) -> String {
        if let Some(e) = &self.0.error {
            return e.clone();
        }
        match &self.0.message {
            Some(serde_json::Value::String(s)) => s.clone(),
            Some(other) => other.to_string(),
            None => String::new(),
        }
    }
}

impl fmt::Display for ApiErrorBody {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let text = self.text();
        if text.is_empty() {
            f.write_str("(no error text)")
        } else {
            f.write_str(&text)
        }
    }
}
