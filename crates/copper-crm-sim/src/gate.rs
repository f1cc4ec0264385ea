//! What happens to every API request before and after its handler: counting, fault injection,
//! authentication and rate limiting.

use std::sync::Arc;
use std::time::Instant;

use axum::extract::{Request, State};
use axum::http::HeaderMap;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use crate::catch_panic::CatchPanic;
use crate::config::FaultKind;
use crate::error::ApiError;
use crate::faults::{InjectedFault, plan};
use crate::server::ConnControl;
use crate::shared::{Shared, Written};

/// The operation a route serves.
#[derive(Clone, Debug)]
pub(crate) struct OpInfo {
    pub id: &'static str,
    pub bulk: bool,
    pub counter: Arc<std::sync::atomic::AtomicU64>,
}

/// The credential a request authenticated with (the rate-limit key), if any.
fn authenticate(sim: &Shared, headers: &HeaderMap) -> Option<&'static str> {
    let header = |name: &str| headers.get(name).and_then(|v| v.to_str().ok());
    if let Some(auth) = header("authorization") {
        let mut parts = auth.splitn(2, ' ');
        if let (Some(scheme), Some(token)) = (parts.next(), parts.next())
            && scheme.eq_ignore_ascii_case("bearer")
            && token.trim() == sim.credentials.bearer_token
        {
            return Some("oauth");
        }
    }
    let key_ok = header("x-pw-accesstoken") == Some(sim.credentials.api_key.as_str());
    let app_ok = header("x-pw-application") == Some("developer_api");
    let email_ok = header("x-pw-useremail")
        .is_some_and(|e| e.trim().eq_ignore_ascii_case(&sim.credentials.email));
    (key_ok && app_ok && email_ok).then_some("api_key")
}

fn record(
    sim: &Shared,
    sequence: u64,
    op: &'static str,
    kind: FaultKind,
    written: Vec<(crate::Entity, i64)>,
) {
    sim.count_fault(kind);
    sim.faults.lock().injected.push(InjectedFault {
        sequence,
        operation: op.to_string(),
        kind,
        written,
    });
}

/// The middleware around every API route.
pub(crate) async fn gate(
    State((sim, op)): State<(Arc<Shared>, OpInfo)>,
    req: Request,
    next: Next,
) -> Response {
    sim.count_request(&op.counter);
    let conn = req.extensions().get::<Arc<ConnControl>>().cloned();
    let (sequence, plan) = if !sim.faults_on.load(std::sync::atomic::Ordering::Relaxed) {
        (0, None)
    } else {
        let mut f = sim.faults.lock();
        if f.config.is_off() {
            (0, None)
        } else {
            let seq = f.next_seq;
            f.next_seq += 1;
            (seq, Some(plan(&f.config, seq)))
        }
    };
    let fault = plan.and_then(|p| p.fault);
    if let Some(delay) = plan.and_then(|p| p.delay) {
        record(&sim, sequence, op.id, FaultKind::Delayed, Vec::new());
        tokio::time::sleep(delay).await;
    }
    match fault {
        Some(kind) if kind.status().is_some() => {
            record(&sim, sequence, op.id, kind, Vec::new());
            let status = kind.status().unwrap_or(500);
            let reason = axum::http::StatusCode::from_u16(status)
                .ok()
                .and_then(|s| s.canonical_reason())
                .unwrap_or("Error");
            return ApiError::Status(status, format!("{reason} (injected fault)")).into_response();
        }
        Some(FaultKind::DroppedBeforeProcessing) => {
            if let Some(c) = &conn {
                record(
                    &sim,
                    sequence,
                    op.id,
                    FaultKind::DroppedBeforeProcessing,
                    Vec::new(),
                );
                c.kill();
                return ApiError::Status(503, "dropped".into()).into_response();
            }
        }
        _ => {}
    }
    let Some(credential) = authenticate(&sim, req.headers()) else {
        sim.counters
            .unauthorized
            .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        return ApiError::Unauthorized.into_response();
    };
    let limits = *sim.limits.lock();
    if let Err(hit) = sim
        .limiter
        .check(limits, credential, op.bulk, Instant::now())
    {
        sim.counters
            .limited
            .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let (count, what) = if hit.bulk {
            (crate::config::BULK_LIMIT, "bulk requests")
        } else {
            (crate::config::GENERAL_LIMIT, "requests")
        };
        let message = format!(
            "Too Many Requests: more than {count} {what} per rolling {:.3} s",
            hit.window.as_secs_f64()
        );
        let retry_after = sim
            .retry_after
            .then(|| hit.retry_after.as_secs() + u64::from(hit.retry_after.subsec_nanos() > 0));
        return ApiError::RateLimited {
            message,
            retry_after,
        }
        .into_response();
    }
    let resp = match CatchPanic::new(next.run(req)).await {
        Ok(resp) => resp,
        Err(message) => {
            return ApiError::Status(
                500,
                format!(
                    "Internal Server Error (simulator bug in {}: {message})",
                    op.id
                ),
            )
            .into_response();
        }
    };
    if fault == Some(FaultKind::DroppedAfterProcessing)
        && let Some(c) = &conn
    {
        let written = resp
            .extensions()
            .get::<Written>()
            .map(|w| w.0.clone())
            .unwrap_or_default();
        record(
            &sim,
            sequence,
            op.id,
            FaultKind::DroppedAfterProcessing,
            written,
        );
        c.kill();
    }
    resp
}
