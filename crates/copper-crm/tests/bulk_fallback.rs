//! Copper's company bulk endpoints are inferred from its changelog, not
//! documented. If Copper answers 404 for them, a company import falls back to
//! single creates instead of failing. Shown through a proxy in front of the
//! simulator that answers 404 for `/companies/bulk_*` (as Copper would for a
//! route it does not have) and forwards everything else.

mod bulk_support;

use axum::body::{Body, to_bytes};
use axum::extract::{Request, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use copper_crm::types;
use copper_crm::{Client, RetryPolicy};
use copper_crm_sim::Entity;

use bulk_support::{assert_answered, assert_every_index_once, scaled_limits, sim};

#[derive(Clone)]
struct Upstream {
    base: String,
    http: reqwest::Client,
}

async fn forward(State(up): State<Upstream>, request: Request) -> Response {
    let path = request.uri().path().to_string();
    if path.ends_with("/companies/bulk_create") || path.ends_with("/companies/bulk_update") {
        return (
            StatusCode::NOT_FOUND,
            axum::Json(serde_json::json!({"error": "not_found"})),
        )
            .into_response();
    }
    let query = request
        .uri()
        .query()
        .map(|q| format!("?{q}"))
        .unwrap_or_default();
    let suffix = path.strip_prefix("/developer_api/v1").unwrap_or(&path);
    let method = request.method().clone();
    let headers = request.headers().clone();
    let body = to_bytes(request.into_body(), 10 << 20).await.unwrap();
    let mut forwarded = HeaderMap::new();
    for (name, value) in &headers {
        if name != "host" && name != "content-length" {
            forwarded.insert(name.clone(), value.clone());
        }
    }
    let answer = up
        .http
        .request(method, format!("{}{suffix}{query}", up.base))
        .headers(forwarded)
        .body(body)
        .send()
        .await
        .unwrap();
    let status = answer.status();
    let content_type = answer.headers().get("content-type").cloned();
    let bytes = answer.bytes().await.unwrap();
    let mut response = Response::new(Body::from(bytes));
    *response.status_mut() = status;
    if let Some(ct) = content_type {
        response.headers_mut().insert("content-type", ct);
    }
    response
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn companies_fall_back_to_single_creates_when_bulk_is_missing() {
    let sim = sim("").await;
    let upstream = Upstream {
        base: sim.base_url(),
        http: reqwest::Client::new(),
    };
    let app = axum::Router::new().fallback(forward).with_state(upstream);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });

    let client = Client::builder()
        .api_key(
            copper_crm_sim::DEFAULT_API_KEY,
            copper_crm_sim::DEFAULT_EMAIL,
        )
        .base_url(format!("http://{addr}/developer_api/v1"))
        .rate_limits(scaled_limits())
        .retry(RetryPolicy::default().scaled(bulk_support::SCALE))
        .build()
        .unwrap();
    let n = 45;
    let report = client
        .companies()
        .bulk_create((0..n).map(|i| {
            types::CompanyCreate::builder()
                .name(format!("Company {i}"))
                .email_domain(Some(format!("c{i}.example")))
        }))
        .execute()
        .await;
    assert_every_index_once(&report.outcomes, n);
    assert_eq!(
        report.counts.created,
        n as u64,
        "{:?}",
        report.outcomes.iter().find(|o| !o.is_applied())
    );
    assert!(report.stats.single_requests_only);
    assert_eq!(report.stats.single_requests, n as u64);
    // The bulk endpoint was tried by the chunks already in flight, never again.
    assert!(
        report.stats.bulk_requests >= 1
            && report.stats.bulk_requests <= copper_crm::bulk::DEFAULT_CONCURRENCY as u64
    );
    assert_answered(&sim, "companies_create", n as u64);
    assert_eq!(sim.record_count(Entity::Company), n);
    sim.shutdown().await;
}
