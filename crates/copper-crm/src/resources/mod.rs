//! Resource handles: one small type per Copper resource, reached from
//! [`Client`](crate::Client) (`client.people()`, `client.leads()`, ...).
//!
//! Every method maps to one operation of the spec, goes through the client's
//! rate limiter and retries, and returns the generated types of
//! `copper-crm-raw` (re-exported as [`crate::types`]).

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
