//! Webhook notifications: building Copper's payload and delivering it to loopback targets.

use std::net::IpAddr;
use std::sync::Arc;
use std::time::Duration;

use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use hyper_util::client::legacy::Client;
use hyper_util::rt::TokioExecutor;
use parking_lot::Mutex;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use tokio::sync::mpsc;

use crate::store::dates::iso8601_millis;
use crate::store::state::{ChangeEvent, State, now_millis};

/// The most ids one notification carries.
const IDS_PER_NOTIFICATION: usize = 30;

/// One notification the simulator tried to deliver.
///
/// ```
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
/// use copper_crm_sim::{Limits, Sim};
/// let sim = Sim::builder().limits(Limits::Off).start().await?;
/// let client = reqwest::Client::new();
/// let post = |path: &str, body: serde_json::Value| {
///     client
///         .post(format!("{}{path}", sim.base_url()))
///         .header("X-PW-AccessToken", "sim-api-key")
///         .header("X-PW-Application", "developer_api")
///         .header("X-PW-UserEmail", "sim@example.com")
///         .json(&body)
///         .send()
/// };
/// // Subscribe a loopback target (the simulator itself, which answers 404 there).
/// let target = format!("http://{}/notifications", sim.addr());
/// post("/webhooks", serde_json::json!({"target": target, "type": "person", "event": "new"})).await?;
/// post("/people", serde_json::json!({"name": "Ada Lovelace"})).await?;
/// let mut deliveries = sim.deliveries();
/// for _ in 0..100 {
///     if !deliveries.is_empty() { break; }
///     tokio::time::sleep(std::time::Duration::from_millis(50)).await;
///     deliveries = sim.deliveries();
/// }
/// let d = &deliveries[0];
/// assert_eq!(d.target, target);
/// assert_eq!(d.status, Some(404));
/// assert_eq!(d.payload["event"], "new");
/// assert_eq!(d.payload["subscription_id"], d.subscription_id);
/// # Ok(()) }
/// ```
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Delivery {
    /// The subscription id.
    pub subscription_id: i64,
    /// The target URL.
    pub target: String,
    /// The JSON body that was POSTed.
    pub payload: Value,
    /// The status the target answered, or `None` when delivery failed.
    pub status: Option<u16>,
    /// Why delivery failed.
    pub error: Option<String>,
}

/// A notification waiting to be delivered.
#[derive(Clone, Debug)]
pub(crate) struct Outgoing {
    pub subscription_id: i64,
    pub target: String,
    pub headers: Vec<(String, String)>,
    pub payload: Value,
}

/// Whether the simulator may call a target: http(s) on a loopback host only.
pub(crate) fn is_loopback_target(target: &str) -> bool {
    let Ok(uri) = target.parse::<http::Uri>() else {
        return false;
    };
    if !matches!(uri.scheme_str(), Some("http" | "https")) {
        return false;
    }
    let Some(host) = uri.host() else {
        return false;
    };
    let host = host.trim_start_matches('[').trim_end_matches(']');
    host.eq_ignore_ascii_case("localhost")
        || host.parse::<IpAddr>().is_ok_and(|ip| ip.is_loopback())
}

/// Group a request's change events into notifications for the matching subscriptions.
/// `new` and `delete` events of one type are batched (at most 30 ids each); every update is
/// sent on its own with its `updated_attributes`.
pub(crate) fn notifications(st: &State, events: Vec<ChangeEvent>) -> Vec<Outgoing> {
    let mut groups: Vec<(ChangeEvent, Vec<i64>)> = Vec::new();
    for e in events {
        match groups.last_mut() {
            Some((last, ids))
                if e.event != "update" && last.event == e.event && last.kind == e.kind =>
            {
                ids.push(e.id)
            }
            _ => {
                let id = e.id;
                groups.push((e, vec![id]));
            }
        }
    }
    let timestamp = iso8601_millis(now_millis());
    let mut out = Vec::new();
    for (event, ids) in groups {
        let ty = event.kind.webhook_type();
        // Copper's support article: activity subscriptions only fire on "new".
        if ty == "activity_log" && event.event != "new" {
            continue;
        }
        for sub in st
            .webhooks
            .values()
            .filter(|w| w.kind == ty && w.event == event.event)
        {
            for chunk in ids.chunks(IDS_PER_NOTIFICATION) {
                let mut p = Map::new();
                for (k, v) in &sub.secret {
                    p.insert(k.clone(), v.clone());
                }
                p.insert("ids".into(), Value::from(chunk.to_vec()));
                p.insert("type".into(), Value::from(ty));
                p.insert("event".into(), Value::from(event.event));
                p.insert("subscription_id".into(), Value::from(sub.id));
                if let Some((plain, labels)) = &event.updated {
                    let attrs = if sub.custom_field_computed_values {
                        labels
                    } else {
                        plain
                    };
                    p.insert("updated_attributes".into(), Value::Object(attrs.clone()));
                }
                p.insert("timestamp".into(), Value::from(timestamp.clone()));
                out.push(Outgoing {
                    subscription_id: sub.id,
                    target: sub.target.clone(),
                    headers: sub
                        .headers
                        .iter()
                        .filter_map(|(k, v)| v.as_str().map(|v| (k.clone(), v.to_string())))
                        .collect(),
                    payload: Value::Object(p),
                });
            }
        }
    }
    out
}

/// Deliver notifications in order until the channel closes.
pub(crate) async fn dispatch(
    mut rx: mpsc::UnboundedReceiver<Outgoing>,
    log: Arc<Mutex<Vec<Delivery>>>,
) {
    let client: Client<_, Full<Bytes>> = Client::builder(TokioExecutor::new()).build_http();
    while let Some(o) = rx.recv().await {
        let result = deliver(&client, &o).await;
        let (status, error) = match result {
            Ok(s) => (Some(s), None),
            Err(e) => (None, Some(e)),
        };
        log.lock().push(Delivery {
            subscription_id: o.subscription_id,
            target: o.target,
            payload: o.payload,
            status,
            error,
        });
    }
}

async fn deliver(
    client: &Client<hyper_util::client::legacy::connect::HttpConnector, Full<Bytes>>,
    o: &Outgoing,
) -> Result<u16, String> {
    if !is_loopback_target(&o.target) {
        return Err("the simulator only calls loopback targets".into());
    }
    if o.target.starts_with("https:") {
        return Err("the simulator cannot deliver to https targets (no TLS); use an http:// loopback target".into());
    }
    let body = serde_json::to_vec(&o.payload).map_err(|e| e.to_string())?;
    let mut req = http::Request::post(&o.target)
        .header(http::header::CONTENT_TYPE, "application/json")
        .header(http::header::USER_AGENT, "copper-crm-sim webhooks");
    for (k, v) in &o.headers {
        req = req.header(k.as_str(), v.as_str());
    }
    let req = req
        .body(Full::new(Bytes::from(body)))
        .map_err(|e| e.to_string())?;
    let resp = tokio::time::timeout(Duration::from_secs(10), client.request(req))
        .await
        .map_err(|_| "timed out after 10 s".to_string())?
        .map_err(|e| e.to_string())?;
    let status = resp.status().as_u16();
    // Drain the answer so the connection can be reused; its content is ignored like Copper does.
    let _ = resp.into_body().collect().await;
    Ok(status)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_loopback_targets() {
        assert!(is_loopback_target("http://127.0.0.1:8080/hook"));
        assert!(is_loopback_target("http://localhost/hook"));
        assert!(is_loopback_target("https://[::1]:9/x"));
        assert!(is_loopback_target("http://127.1.2.3/x"));
        assert!(!is_loopback_target("https://your.endpoint.here"));
        assert!(!is_loopback_target("http://10.0.0.1/x"));
        assert!(!is_loopback_target("ftp://127.0.0.1/x"));
        assert!(!is_loopback_target("not a url"));
    }
}
