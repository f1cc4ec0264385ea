//! Webhook subscriptions CRUD.

use serde_json::{Map, Value, json};

use super::{ApiResult, Sim, body_object, path_id};
use crate::entity::Entity;
use crate::error::ApiError;
use crate::shared::Reply;
use crate::store::state::{WebhookRec, now};
use crate::webhooks::is_loopback_target;

/// The most active subscriptions an account may have.
const MAX_SUBSCRIPTIONS: usize = 100;
const TYPES: &[&str] = &[
    "lead",
    "person",
    "company",
    "opportunity",
    "project",
    "task",
    "activity_log",
];
const EVENTS: &[&str] = &["new", "update", "delete"];

pub(crate) fn webhook_json(w: &WebhookRec) -> Value {
    json!({
        "id": w.id,
        "target": w.target,
        "type": w.kind,
        "event": w.event,
        "secret": w.secret,
        "headers": w.headers,
        "custom_field_computed_values": w.custom_field_computed_values,
        "created_at": w.created_at,
    })
}

fn check_keys(body: &Map<String, Value>) -> Result<(), ApiError> {
    let unknown: Vec<String> = body
        .keys()
        .filter(|k| {
            !matches!(
                k.as_str(),
                "id" | "target"
                    | "type"
                    | "event"
                    | "secret"
                    | "headers"
                    | "custom_field_computed_values"
                    | "created_at"
            )
        })
        .cloned()
        .collect();
    if unknown.is_empty() {
        Ok(())
    } else {
        Err(ApiError::Unrecognized(unknown))
    }
}

fn target(v: &Value) -> Result<String, ApiError> {
    match v.as_str() {
        Some(t) if is_loopback_target(t) => Ok(t.to_string()),
        _ => Err(ApiError::InvalidTarget),
    }
}

fn object(key: &str, v: &Value) -> Result<Map<String, Value>, ApiError> {
    match v {
        Value::Null => Ok(Map::new()),
        Value::Object(m) => Ok(m.clone()),
        _ => Err(ApiError::invalid(key, "must be an object")),
    }
}

fn headers(v: &Value) -> Result<Map<String, Value>, ApiError> {
    let m = object("headers", v)?;
    for (k, val) in &m {
        let ok_name = http::HeaderName::from_bytes(k.as_bytes()).is_ok();
        let ok_value = val
            .as_str()
            .is_some_and(|s| http::HeaderValue::from_str(s).is_ok());
        if !ok_name || !ok_value {
            return Err(ApiError::invalid(
                "headers",
                format!("{k} must be a valid HTTP header name with a string value"),
            ));
        }
    }
    Ok(m)
}

fn flag(v: &Value) -> Result<bool, ApiError> {
    match v {
        Value::Null => Ok(false),
        Value::Bool(b) => Ok(*b),
        _ => Err(ApiError::invalid(
            "custom_field_computed_values",
            "must be true or false",
        )),
    }
}

fn one_of(key: &str, v: Option<&Value>, set: &[&str]) -> Result<String, ApiError> {
    v.and_then(Value::as_str)
        .filter(|s| set.contains(s))
        .map(str::to_string)
        .ok_or_else(|| ApiError::invalid(key, format!("must be one of {}", set.join(", "))))
}

/// `POST /webhooks`.
pub(crate) fn create(sim: &Sim, body: &[u8]) -> ApiResult {
    let body = body_object(body)?;
    check_keys(&body)?;
    let target = target(body.get("target").unwrap_or(&Value::Null))?;
    let kind = one_of("type", body.get("type"), TYPES)?;
    let event = one_of("event", body.get("event"), EVENTS)?;
    let secret = object("secret", body.get("secret").unwrap_or(&Value::Null))?;
    let headers = headers(body.get("headers").unwrap_or(&Value::Null))?;
    let computed = flag(
        body.get("custom_field_computed_values")
            .unwrap_or(&Value::Null),
    )?;
    sim.write(|st| {
        if st.webhooks.len() >= MAX_SUBSCRIPTIONS {
            return Err(ApiError::invalid(
                "webhooks",
                format!("an account may have at most {MAX_SUBSCRIPTIONS} active subscriptions"),
            ));
        }
        let id = st.next_id(Entity::Webhook);
        let w = WebhookRec {
            id,
            target,
            kind,
            event,
            secret,
            headers,
            custom_field_computed_values: computed,
            created_at: now(),
        };
        let v = webhook_json(&w);
        st.webhooks.insert(id, w);
        st.wrote(Entity::Webhook, id);
        Ok(Reply::json(&v))
    })
}

/// `GET /webhooks`.
pub(crate) fn list(sim: &Sim) -> ApiResult {
    let st = sim.state.read();
    let v: Vec<Value> = st.webhooks.values().map(webhook_json).collect();
    Ok(Reply::json(&v))
}

/// `GET /webhooks/{id}`.
pub(crate) fn get(sim: &Sim, id: &str) -> ApiResult {
    let id = path_id(id)?;
    let st = sim.state.read();
    st.webhooks
        .get(&id)
        .map(|w| Reply::json(&webhook_json(w)))
        .ok_or(ApiError::NotFound)
}

/// `PUT /webhooks/{id}`: `target`, `secret`, `headers` and `custom_field_computed_values`
/// can change; `type` and `event` are fixed at creation and ignored here.
pub(crate) fn update(sim: &Sim, id: &str, body: &[u8]) -> ApiResult {
    let id = path_id(id)?;
    let body = body_object(body)?;
    check_keys(&body)?;
    let target = body.get("target").map(target).transpose()?;
    let secret = body
        .get("secret")
        .map(|v| object("secret", v))
        .transpose()?;
    let headers = body.get("headers").map(headers).transpose()?;
    let computed = body
        .get("custom_field_computed_values")
        .map(flag)
        .transpose()?;
    sim.write(|st| {
        let w = st.webhooks.get_mut(&id).ok_or(ApiError::NotFound)?;
        if let Some(t) = target {
            w.target = t;
        }
        if let Some(s) = secret {
            w.secret = s;
        }
        if let Some(h) = headers {
            w.headers = h;
        }
        if let Some(c) = computed {
            w.custom_field_computed_values = c;
        }
        let v = webhook_json(w);
        st.wrote(Entity::Webhook, id);
        Ok(Reply::json(&v))
    })
}

/// `DELETE /webhooks/{id}`: `{id}` only.
pub(crate) fn delete(sim: &Sim, id: &str) -> ApiResult {
    let id = path_id(id)?;
    sim.write(|st| {
        st.webhooks.remove(&id).ok_or(ApiError::NotFound)?;
        st.wrote(Entity::Webhook, id);
        Ok(Reply::json(&json!({"id": id})))
    })
}
