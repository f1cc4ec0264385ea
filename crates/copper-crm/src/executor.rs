//! The [`copper_crm_raw::Executor`] every request goes through: rate limiting,
//! retries, error-body normalization and tracing.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use copper_crm_raw::{ExecFuture, Executor, OperationInfo};
use reqwest::header::{CONTENT_TYPE, HeaderValue, RETRY_AFTER};
use reqwest::{Request, Response, StatusCode};

use crate::error::snippet;
use crate::limits::Limiter;
use crate::retry::{RetryPolicy, is_idempotent};

/// Counters of what a client (and its clones) has done.
///
/// ```no_run
/// # async fn run(client: copper_crm::Client) {
/// let stats = client.stats();
/// println!("{} requests, {} answered 429", stats.requests, stats.rate_limited);
/// # }
/// ```
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ClientStats {
    /// Requests sent (every attempt counts).
    pub requests: u64,
    /// Attempts that were retries.
    pub retries: u64,
    /// Answers with status 429.
    pub rate_limited: u64,
    /// Answers with a 5xx status.
    pub server_errors: u64,
    /// Attempts that failed in transport (no complete answer).
    pub transport_errors: u64,
}

#[derive(Debug, Default)]
pub(crate) struct Counters {
    requests: AtomicU64,
    retries: AtomicU64,
    rate_limited: AtomicU64,
    server_errors: AtomicU64,
    transport_errors: AtomicU64,
}

impl Counters {
    pub(crate) fn snapshot(&self) -> ClientStats {
        ClientStats {
            requests: self.requests.load(Ordering::Relaxed),
            retries: self.retries.load(Ordering::Relaxed),
            rate_limited: self.rate_limited.load(Ordering::Relaxed),
            server_errors: self.server_errors.load(Ordering::Relaxed),
            transport_errors: self.transport_errors.load(Ordering::Relaxed),
        }
    }
}

/// Sends requests within the rate limits and retries what is safe to retry.
#[derive(Debug)]
pub(crate) struct RequestExecutor {
    pub(crate) limiter: Limiter,
    pub(crate) retry: RetryPolicy,
    pub(crate) counters: Arc<Counters>,
}

impl Executor for RequestExecutor {
    fn execute<'a>(
        &'a self,
        client: &'a reqwest::Client,
        request: Request,
        info: &'a OperationInfo,
    ) -> ExecFuture<'a> {
        Box::pin(self.run(client, request, info.operation_id))
    }
}

impl RequestExecutor {
    /// Send `request` for `operation`, retrying per the policy.
    pub(crate) async fn run(
        &self,
        client: &reqwest::Client,
        request: Request,
        operation: &'static str,
    ) -> reqwest::Result<Response> {
        let started = Instant::now();
        let idempotent = is_idempotent(operation);
        let mut original = Some(request);
        let mut attempt: u32 = 0;
        loop {
            attempt += 1;
            let Some(current) = original.as_ref() else {
                unreachable!("the original request is kept until its last attempt")
            };
            // A body that cannot be cloned (a stream) gets one attempt.
            let (to_send, last) = match current.try_clone() {
                Some(copy) if attempt < self.retry.max_attempts => (copy, false),
                _ => (
                    original.take().expect("present until the last attempt"),
                    true,
                ),
            };
            let may_retry =
                |after: Duration| !last && started.elapsed() + after < self.retry.max_elapsed;

            self.limiter.acquire(operation).await;
            self.counters.requests.fetch_add(1, Ordering::Relaxed);
            if attempt > 1 {
                self.counters.retries.fetch_add(1, Ordering::Relaxed);
            }
            let method = to_send.method().clone();
            let path = to_send.url().path().to_string();
            match client.execute(to_send).await {
                Ok(response) => {
                    let status = response.status();
                    tracing::debug!(operation, %method, path, attempt, status = status.as_u16(), "copper answered");
                    if status == StatusCode::TOO_MANY_REQUESTS {
                        self.counters.rate_limited.fetch_add(1, Ordering::Relaxed);
                    }
                    if status.is_server_error() {
                        self.counters.server_errors.fetch_add(1, Ordering::Relaxed);
                    }
                    let retryable = status == StatusCode::TOO_MANY_REQUESTS
                        || (status.is_server_error() && idempotent);
                    if retryable {
                        let wait = self.retry.backoff(attempt, retry_after(&response));
                        if may_retry(wait) {
                            tracing::info!(
                                operation,
                                attempt,
                                status = status.as_u16(),
                                wait_ms = wait.as_millis() as u64,
                                "retrying"
                            );
                            drop(response);
                            tokio::time::sleep(wait).await;
                            continue;
                        }
                    }
                    return Ok(normalize_error_body(response).await);
                }
                Err(e) => {
                    self.counters
                        .transport_errors
                        .fetch_add(1, Ordering::Relaxed);
                    tracing::debug!(operation, %method, path, attempt, error = %e, "transport failure");
                    // A refused connection never reached Copper; anything else
                    // may have been processed and is retried only if repeating
                    // it cannot create a duplicate.
                    if e.is_connect() || idempotent {
                        let wait = self.retry.backoff(attempt, None);
                        if may_retry(wait) {
                            tracing::info!(
                                operation,
                                attempt,
                                wait_ms = wait.as_millis() as u64,
                                "retrying after transport failure"
                            );
                            tokio::time::sleep(wait).await;
                            continue;
                        }
                    }
                    return Err(e);
                }
            }
        }
    }
}

/// `Retry-After` in seconds, when Copper sends one.
fn retry_after(response: &Response) -> Option<Duration> {
    let v = response.headers().get(RETRY_AFTER)?.to_str().ok()?;
    v.trim().parse::<u64>().ok().map(Duration::from_secs)
}

/// Error answers whose body is not a JSON object (an empty 429, an HTML 502
/// from a proxy) are given a JSON body `{"error": <the text>, "status": n}` so
/// they decode as Copper's error body and keep their status and text.
async fn normalize_error_body(response: Response) -> Response {
    let status = response.status();
    if !(status.is_client_error() || status.is_server_error()) {
        return response;
    }
    let version = response.version();
    let mut headers = response.headers().clone();
    let body = match response.bytes().await {
        Ok(b) => b,
        Err(e) => {
            bytes::Bytes::from(format!("(the error body could not be read: {e})").into_bytes())
        }
    };
    let is_object = serde_json::from_slice::<serde_json::Value>(&body).is_ok_and(|v| v.is_object());
    let body = if is_object {
        body
    } else {
        let text = if body.is_empty() {
            "(empty body)".to_string()
        } else {
            snippet(&body)
        };
        headers.insert(CONTENT_TYPE, HeaderValue::from_static("application/json"));
        headers.remove(reqwest::header::CONTENT_LENGTH);
        let json = serde_json::json!({ "error": text, "status": status.as_u16() });
        bytes::Bytes::from(serde_json::to_vec(&json).expect("a JSON value serializes"))
    };
    let mut rebuilt = http::Response::new(body);
    *rebuilt.status_mut() = status;
    *rebuilt.version_mut() = version;
    *rebuilt.headers_mut() = headers;
    Response::from(rebuilt)
}
