//! Helpers shared by the integration tests: a simulator plus an authenticated HTTP client.
#![allow(dead_code)]

use copper_crm_sim::{Limits, Sim, SimBuilder, SimHandle};
use reqwest::Method;
use reqwest::header::{HeaderMap, HeaderValue};
use serde_json::Value;

/// A response: status, `X-PW-TOTAL`, headers and the JSON body (`Value::Null` if not JSON).
#[derive(Debug)]
pub struct Resp {
    pub status: u16,
    pub total: Option<usize>,
    pub headers: HeaderMap,
    pub body: Value,
}

impl Resp {
    /// Assert the status, showing the body on failure.
    #[track_caller]
    pub fn expect(self, status: u16) -> Value {
        assert_eq!(
            self.status, status,
            "unexpected status; body: {}",
            self.body
        );
        self.body
    }
}

/// A running simulator and a client that sends the API-key headers.
pub struct Api {
    pub sim: SimHandle,
    pub client: reqwest::Client,
    pub base: String,
}

/// The API-key headers of the default credentials.
pub fn auth_headers() -> HeaderMap {
    let mut h = HeaderMap::new();
    h.insert("X-PW-AccessToken", HeaderValue::from_static("sim-api-key"));
    h.insert(
        "X-PW-Application",
        HeaderValue::from_static("developer_api"),
    );
    h.insert(
        "X-PW-UserEmail",
        HeaderValue::from_static("sim@example.com"),
    );
    h
}

impl Api {
    /// Demo data, no limits.
    pub async fn demo() -> Api {
        Api::start(Sim::builder().seed_demo(true).limits(Limits::Off)).await
    }

    /// No demo data, no limits.
    pub async fn empty() -> Api {
        Api::start(Sim::builder().limits(Limits::Off)).await
    }

    pub async fn start(builder: SimBuilder) -> Api {
        let sim = builder.start().await.expect("sim starts");
        let client = reqwest::Client::builder()
            .default_headers(auth_headers())
            .build()
            .expect("client");
        let base = sim.base_url();
        Api { sim, client, base }
    }

    pub async fn call(&self, method: Method, path: &str, body: Option<Value>) -> Resp {
        let mut req = self.client.request(method, format!("{}{path}", self.base));
        if let Some(b) = body {
            req = req.json(&b);
        }
        let resp = req.send().await.expect("request reaches the sim");
        to_resp(resp).await
    }

    pub async fn get(&self, path: &str) -> Resp {
        self.call(Method::GET, path, None).await
    }

    pub async fn post(&self, path: &str, body: Value) -> Resp {
        self.call(Method::POST, path, Some(body)).await
    }

    pub async fn put(&self, path: &str, body: Value) -> Resp {
        self.call(Method::PUT, path, Some(body)).await
    }

    pub async fn delete(&self, path: &str) -> Resp {
        self.call(Method::DELETE, path, None).await
    }

    /// Send a raw body.
    pub async fn raw(&self, method: Method, path: &str, body: &str) -> Resp {
        let resp = self
            .client
            .request(method, format!("{}{path}", self.base))
            .header("Content-Type", "application/json")
            .body(body.to_string())
            .send()
            .await
            .expect("request reaches the sim");
        to_resp(resp).await
    }

    /// The id of the custom field definition with this name.
    pub async fn cfd(&self, name: &str) -> Value {
        let defs = self.get("/custom_field_definitions").await.expect(200);
        defs.as_array()
            .unwrap()
            .iter()
            .find(|d| d["name"] == name)
            .cloned()
            .unwrap_or_else(|| panic!("no definition {name}"))
    }

    /// The option id of a Dropdown/MultiSelect definition.
    pub async fn option(&self, def: &str, option: &str) -> i64 {
        let d = self.cfd(def).await;
        d["options"]
            .as_array()
            .unwrap()
            .iter()
            .find(|o| o["name"] == option)
            .and_then(|o| o["id"].as_i64())
            .unwrap()
    }

    /// Create a person and return its id.
    pub async fn person(&self, name: &str, email: &str) -> i64 {
        self.post(
            "/people",
            serde_json::json!({"name": name, "emails": [{"email": email, "category": "work"}]}),
        )
        .await
        .expect(200)["id"]
            .as_i64()
            .unwrap()
    }
}

pub async fn to_resp(resp: reqwest::Response) -> Resp {
    let status = resp.status().as_u16();
    let headers = resp.headers().clone();
    let total = headers
        .get("X-PW-TOTAL")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse().ok());
    let text = resp.text().await.expect("body");
    let body = serde_json::from_str(&text).unwrap_or(Value::Null);
    Resp {
        status,
        total,
        headers,
        body,
    }
}

/// Ids of a JSON array of records.
pub fn ids(v: &Value) -> Vec<i64> {
    v.as_array()
        .expect("array")
        .iter()
        .map(|r| r["id"].as_i64().expect("id"))
        .collect()
}

/// Assert an error body decodes as `{error?: string, success?: bool, status?: int, message?: any}`.
#[track_caller]
pub fn assert_error_shape(v: &Value) {
    let obj = v.as_object().expect("error body is an object");
    assert!(!obj.is_empty());
    for (k, x) in obj {
        match k.as_str() {
            "error" => assert!(x.is_string(), "error must be a string: {v}"),
            "success" => assert!(x.is_boolean(), "success must be a bool: {v}"),
            "status" => assert!(x.is_i64(), "status must be an int: {v}"),
            "message" => {}
            other => panic!("unexpected key {other} in error body {v}"),
        }
    }
}
