//! The in-memory data model: stored values, schemas, records, rules, rendering and search.

pub(crate) mod dates;
pub(crate) mod names;
pub(crate) mod names_index;
pub(crate) mod render;
pub(crate) mod rules;
pub(crate) mod schema;
pub(crate) mod search;
pub(crate) mod seed;
pub(crate) mod state;
pub(crate) mod val;
pub(crate) mod write;
