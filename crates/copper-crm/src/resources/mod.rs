//! Resource handles: one small type per Copper resource, reached from
//! [`Client`](crate::Client) (`client.people()`, `client.leads()`, ...).
//!
//! Every method maps to one operation of the spec, goes through the client's
//! rate limiter and retries, and returns the generated types of
//! `copper-crm-raw` (re-exported as [`crate::types`]).

mod entities;
mod lookups;
mod patch;

pub use entities::{Activities, Companies, Leads, Opportunities, People, Projects, Tasks};
pub use lookups::{Account, Users};
pub use patch::Patch;
