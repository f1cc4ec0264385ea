//! Errors: the HTTP error responses the simulator sends, and the error of starting it.

use axum::http::{HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use serde_json::json;

/// The error of starting a simulator.
///
/// ```
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() {
/// use copper_crm_sim::{Sim, SimError};
/// let first = Sim::builder().start().await.unwrap();
/// let port = first.port();
/// // A second simulator cannot bind the same port.
/// let second = Sim::builder().port(port).start().await;
/// let err = second.unwrap_err();
/// assert!(matches!(err, SimError::Bind { port: p, .. } if p == port));
/// assert!(err.to_string().contains(&port.to_string()), "{err}");
/// # }
/// ```
#[derive(Debug)]
pub enum SimError {
    /// Binding the listening socket failed.
    Bind {
        /// The port that was asked for (0 for any).
        port: u16,
        /// The underlying error.
        source: std::io::Error,
    },
    /// The configuration is invalid (e.g. a scale factor that is not positive).
    Config(String),
}

impl std::fmt::Display for SimError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            SimError::Bind { port, source } => {
                write!(f, "cannot listen on 127.0.0.1:{port}: {source}")
            }
            SimError::Config(msg) => write!(f, "invalid simulator configuration: {msg}"),
        }
    }
}

impl std::error::Error for SimError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            SimError::Bind { source, .. } => Some(source),
            SimError::Config(_) => None,
        }
    }
}

/// Validation failures keyed by field, in the order found.
#[derive(Clone, Debug, Default, PartialEq)]
pub(crate) struct FieldErrors(pub Vec<(String, String)>);

impl FieldErrors {
    pub(crate) fn one(field: impl Into<String>, msg: impl Into<String>) -> FieldErrors {
        FieldErrors(vec![(field.into(), msg.into())])
    }

    pub(crate) fn push(&mut self, field: impl Into<String>, msg: impl Into<String>) {
        self.0.push((field.into(), msg.into()));
    }

    pub(crate) fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// `Invalid input: name can't be blank; emails ...`
    pub(crate) fn sentence(&self) -> String {
        let parts: Vec<String> = self.0.iter().map(|(f, m)| format!("{f} {m}")).collect();
        format!("Invalid input: {}", parts.join("; "))
    }

    /// The bulk-item form: `{field: [{error: msg}, ...]}`.
    pub(crate) fn by_field(&self) -> serde_json::Map<String, serde_json::Value> {
        let mut map = serde_json::Map::new();
        for (field, msg) in &self.0 {
            let entry = map
                .entry(field.clone())
                .or_insert_with(|| serde_json::Value::Array(Vec::new()));
            if let serde_json::Value::Array(list) = entry {
                list.push(json!({ "error": msg }));
            }
        }
        map
    }
}

/// An error response of the API.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum ApiError {
    /// 401: missing or wrong credentials.
    Unauthorized,
    /// 400: the body is not valid JSON (or not an object).
    BadJson(String),
    /// 404 `{"error":"not_found"}`.
    NotFound,
    /// 422 `{"error":"Unrecognized attributes specified: a, b"}`.
    Unrecognized(Vec<String>),
    /// 422 validation failures.
    Invalid(FieldErrors),
    /// 422 `{"error":"Request size too large, limit is 10"}`.
    TooLarge,
    /// 422 for a webhook target the simulator will not call.
    InvalidTarget,
    /// Any other status with `{"success":false,"status":..,"message":..}`.
    Status(u16, String),
    /// 429 from the rate limiter.
    RateLimited {
        message: String,
        retry_after: Option<u64>,
    },
}

impl ApiError {
    pub(crate) fn invalid(field: impl Into<String>, msg: impl Into<String>) -> ApiError {
        ApiError::Invalid(FieldErrors::one(field, msg))
    }

    pub(crate) fn status(&self) -> StatusCode {
        match self {
            ApiError::Unauthorized => StatusCode::UNAUTHORIZED,
            ApiError::BadJson(_) => StatusCode::BAD_REQUEST,
            ApiError::NotFound => StatusCode::NOT_FOUND,
            ApiError::Unrecognized(_)
            | ApiError::Invalid(_)
            | ApiError::TooLarge
            | ApiError::InvalidTarget => StatusCode::UNPROCESSABLE_ENTITY,
            ApiError::Status(code, _) => {
                StatusCode::from_u16(*code).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR)
            }
            ApiError::RateLimited { .. } => StatusCode::TOO_MANY_REQUESTS,
        }
    }

    pub(crate) fn body(&self) -> serde_json::Value {
        let status = self.status().as_u16();
        let failure =
            |message: String| json!({"success": false, "status": status, "message": message});
        match self {
            ApiError::Unauthorized => failure(
                "Unauthorized: send X-PW-AccessToken, X-PW-Application: developer_api and \
                 X-PW-UserEmail, or Authorization: Bearer <token>, with valid credentials"
                    .to_string(),
            ),
            ApiError::BadJson(detail) => failure(format!("Malformed JSON body: {detail}")),
            ApiError::NotFound => json!({"error": "not_found"}),
            ApiError::Unrecognized(names) => {
                json!({"error": format!("Unrecognized attributes specified: {}", names.join(", "))})
            }
            ApiError::Invalid(errors) => failure(errors.sentence()),
            ApiError::TooLarge => json!({"error": "Request size too large, limit is 10"}),
            ApiError::InvalidTarget => {
                failure("Invalid input: Invalid URI For External Request".to_string())
            }
            ApiError::Status(_, message) => failure(message.clone()),
            ApiError::RateLimited { message, .. } => failure(message.clone()),
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let body = serde_json::to_vec(&self.body()).unwrap_or_default();
        let mut resp = (self.status(), body).into_response();
        resp.headers_mut().insert(
            axum::http::header::CONTENT_TYPE,
            HeaderValue::from_static("application/json"),
        );
        if let ApiError::RateLimited {
            retry_after: Some(secs),
            ..
        } = self
            && let Ok(v) = HeaderValue::from_str(&secs.to_string())
        {
            resp.headers_mut()
                .insert(axum::http::header::RETRY_AFTER, v);
        }
        resp
    }
}
