//! An ergonomic Rust client for the [Copper CRM Developer API](https://developer.copper.com/).
//!
//! Built on the generated bindings of [`copper_crm_raw`] (whose types are
//! re-exported as [`types`]), it adds what every Copper integration needs:
//!
//! - [`Client`]: API-key or OAuth authentication sent as sensitive headers,
//!   Copper's rate limits kept client-side ([`RateLimits`]), retries that never
//!   repeat a create that may have been applied ([`RetryPolicy`]), and one
//!   [`Error`] type.
//! - Resource handles for every record type (`client.people()`,
//!   `client.leads()`, ...).
//!
//! ```no_run
//! use copper_crm::Client;
//!
//! # async fn run() -> Result<(), copper_crm::Error> {
//! let client = Client::builder()
//!     .api_key(std::env::var("COPPER_API_KEY").unwrap(), std::env::var("COPPER_USER_EMAIL").unwrap())
//!     .build()?;
//! let person = client.people().fetch_by_email("jim@example.com").await?;
//! println!("{} works at {:?}", person.name, person.company_name);
//! # Ok(()) }
//! ```
#![deny(missing_docs)]

mod auth;
mod client;
mod custom_fields;
mod error;
mod executor;
mod limits;
pub mod resources;
pub mod retry;

pub use auth::Credentials;
pub use client::{Client, ClientBuilder, DEFAULT_BASE_URL};
pub use error::{ApiErrorBody, Error, TransportKind};
pub use executor::ClientStats;
pub use limits::{RateLimits, Window};
pub use resources::Patch;
pub use retry::RetryPolicy;

/// The request and response types, generated from the OpenAPI spec.
pub use copper_crm_raw::types;
