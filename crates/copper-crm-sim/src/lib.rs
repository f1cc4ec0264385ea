//! A stateful simulator of the [Copper CRM Developer API], to develop and test against without
//! touching a real CRM.
//!
//! It serves every operation of the API under `/developer_api/v1` over real loopback HTTP with
//! Copper's documented behaviour: partial updates where `null` clears, the three delete shapes,
//! unique person emails and company domains, lead upsert and convert, related items, connect
//! fields, files metadata, webhooks (delivered to loopback targets), custom fields with computed
//! values, search with paging, sorting, `X-PW-TOTAL` and the 100,000-record cap, bulk endpoints,
//! Copper's rate limits (optionally time-scaled) and deterministic fault injection.
//!
//! ```
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> Result<(), Box<dyn std::error::Error>> {
//! use copper_crm_sim::{Entity, Limits, Sim};
//!
//! let sim = Sim::builder().seed_demo(true).limits(Limits::Off).start().await?;
//! let person: serde_json::Value = reqwest::Client::new()
//!     .post(format!("{}/people", sim.base_url()))
//!     .header("X-PW-AccessToken", "sim-api-key")
//!     .header("X-PW-Application", "developer_api")
//!     .header("X-PW-UserEmail", "sim@example.com")
//!     .json(&serde_json::json!({"name": "Ada Lovelace"}))
//!     .send()
//!     .await?
//!     .json()
//!     .await?;
//! assert_eq!(person["first_name"], "Ada");
//! assert!(sim.records(Entity::Person).iter().any(|p| p["id"] == person["id"]));
//! sim.shutdown().await;
//! # Ok(()) }
//! ```
//!
//! The crate is organised as:
//! - [`Sim`], [`SimBuilder`] and [`SimHandle`]: start, inspect and stop a simulator;
//! - [`Limits`], [`FaultConfig`] and [`FaultKind`]: rate limits and fault injection;
//! - [`Stats`], [`InjectedFault`], [`Delivery`] and [`Entity`]: what the handle reports;
//! - internally, `store` (records, rules, search), `api` (the operations), `routes`, `gate`
//!   (auth, limits, faults) and `server` (connections).
//!
//! [Copper CRM Developer API]: https://developer.copper.com/

mod api;
mod catch_panic;
mod config;
mod entity;
mod error;
mod faults;
mod gate;
mod ratelimit;
mod routes;
mod server;
mod shared;
mod sim;
mod store;
mod webhooks;

pub use config::{ConfigError, FaultConfig, FaultKind, Limits};
pub use entity::{Entity, UnknownEntity};
pub use error::SimError;
pub use faults::InjectedFault;
pub use shared::Stats;
pub use sim::{
    DEFAULT_API_KEY, DEFAULT_BEARER_TOKEN, DEFAULT_EMAIL, DEFAULT_SEARCH_CAP, Sim, SimBuilder,
    SimHandle,
};
pub use webhooks::Delivery;
