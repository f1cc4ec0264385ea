//! Custom fields: the cached registry of definitions and typed values.

use std::sync::Arc;

use copper_crm_raw::types;

/// The client's cached custom field definitions (filled on first use).
#[derive(Debug, Default)]
#[allow(dead_code)] // filled by the custom-field registry
pub(crate) struct RegistryCache {
    pub(crate) definitions: tokio::sync::RwLock<Option<Arc<Vec<types::CustomFieldDefinition>>>>,
}
