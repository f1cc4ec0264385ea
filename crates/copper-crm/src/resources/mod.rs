//! Resource handles: one small type per Copper resource, reached from
//! [`Client`](crate::Client) (`client.people()`, `client.leads()`, ...).
//!
//! Every method maps to one operation of the spec, goes through the client's
//! rate limiter and retries, and returns the generated types of
//! `copper-crm-raw` (re-exported as [`crate::types`]).
//!
//! Handles borrow the client and are free to make. Here against the
//! simulator (`copper-crm-sim`), which serves the same API on loopback:
//!
//! ```
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> Result<(), Box<dyn std::error::Error>> {
//! use copper_crm::{Client, RecordType};
//! use copper_crm_sim::{DEFAULT_API_KEY, DEFAULT_EMAIL, Limits, Sim};
//!
//! let sim = Sim::builder().seed_demo(true).limits(Limits::Off).start().await?;
//! let client = Client::builder()
//!     .api_key(DEFAULT_API_KEY, DEFAULT_EMAIL)
//!     .base_url(sim.base_url())
//! #   .rate_limits(copper_crm::RateLimits::unlimited())
//!     .build()?;
//!
//! let pam = client.people().fetch_by_email("pam@dundermifflin.com").await?;
//! let company_id = pam.company_id.unwrap();
//! assert_eq!(client.companies().get(company_id).await?.name, "Dunder Mifflin");
//! let files = client.files(RecordType::Company, company_id).list().await?;
//! assert_eq!(files[0].file_name, "price-list.pdf");
//! # sim.shutdown().await;
//! # Ok(()) }
//! ```

mod catalog;
mod custom_field_definitions;
mod entities;
mod files;
mod lookups;
mod patch;
mod record_type;
mod related;
mod searches;
mod tags;
mod webhooks;

pub use catalog::{
    ActivityTypes, ContactTypes, CustomActivityTypes, CustomerSources, FieldLayouts, LeadStatuses,
    LossReasons, PipelineStages, Pipelines,
};
pub use custom_field_definitions::CustomFieldDefinitions;
pub use entities::{Activities, Companies, Leads, Opportunities, People, Projects, Tasks};
pub use files::Files;
pub use lookups::{Account, Users};
pub use patch::Patch;
pub use record_type::RecordType;
pub use related::{Connections, Related};
pub use tags::{TagSort, Tags};
pub use webhooks::Webhooks;
