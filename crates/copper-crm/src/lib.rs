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
//!   `client.leads()`, ...) and every other resource ([`resources`]:
//!   lookups, tags, relations, connections, files, webhook subscriptions,
//!   custom field definitions).
//! - [`search`]: every search as a [`SearchStream`] of records that yields
//!   each match exactly once, past Copper's 100,000-record cap, in flat
//!   memory; [`filters`] builds the documented search filters.
//! - [`custom_fields`]: a cached registry of definitions, typed values read
//!   by field name on every record, writes and search filters by label.
//! - [`bulk`]: `bulk_create`/`bulk_update` on every record handle: imports
//!   at the rate-limit ceiling, from iterators or streams in flat memory, with
//!   one outcome per record (created, updated, rejected, or unknown after an
//!   ambiguous failure that could not be reconciled).
//! - [`webhooks`]: notification parsing and a constant-time secret check.
//! - [`oauth`]: the authorization-code flow for Copper apps.
//! - [`enums`]: open enums (with `Unknown(String)`) for Copper's documented
//!   string values, and typed accessors on the generated types.
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
pub mod bulk;
mod client;
pub mod custom_fields;
pub mod enums;
mod error;
mod executor;
mod limits;
pub mod oauth;
mod redact;
pub mod resources;
pub mod retry;
pub mod search;
pub mod webhooks;

pub use auth::Credentials;
pub use client::{Client, ClientBuilder, DEFAULT_BASE_URL};
pub use error::{ApiErrorBody, Error, TransportKind};
pub use executor::ClientStats;
pub use limits::{RateLimits, Window};
pub use resources::Patch;
pub use resources::RecordType;
pub use retry::RetryPolicy;
pub use search::{Page, SearchStream, filters};

/// The request and response types, generated from the OpenAPI spec.
pub use copper_crm_raw::types;

/// The README's examples, compiled as doc tests so they stay true.
#[cfg(doctest)]
#[doc = include_str!("../../../README.md")]
pub struct ReadmeDoctests;
