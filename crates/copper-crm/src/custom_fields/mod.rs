//! Custom fields: a cached registry of definitions, typed values, access by
//! name on every record, writing and filtering by label.
//!
//! Copper stores a custom field value as bare JSON whose meaning depends on
//! the field's definition: a Dropdown holds an option *id*, a Date unix
//! seconds, a MultiSelect a list of option ids. This module turns those into
//! [`CustomFieldValue`]s and back:
//!
//! - [`CustomFieldRegistry`]: the account's definitions, fetched once per
//!   client (shared by its clones) through
//!   [`client.custom_fields().registry()`](CustomFieldsHandle::registry) and
//!   fetched again, once, when a record refers to a definition or option the
//!   registry does not know ([`CustomFieldsHandle::registry_for`]).
//! - [`CustomFields`]: `custom_field(&registry, "Favorite Flavor")` on people,
//!   leads, companies, opportunities, projects and tasks.
//! - [`CustomFieldRegistry::inputs`] / [`CustomFieldRegistry::value`]: write
//!   by label (`"Favorite Flavor" = ["Chocolate"]`); unknown fields, labels,
//!   wrong shapes and fields not available on the record type are refused
//!   before any request is sent.
//! - [`CustomFieldRegistry::filter`]: search filters by label.
//!
//! ```no_run
//! use copper_crm::custom_fields::CustomFields;
//! use copper_crm::RecordType;
//! use copper_crm::types::PersonUpdate;
//!
//! # async fn run(client: copper_crm::Client) -> Result<(), copper_crm::Error> {
//! let person = client.people().get(27140359).await?;
//! let registry = client.custom_fields().registry_for(&person).await?;
//! if let Some(flavor) = person.custom_field(&registry, "Favorite Flavor")? {
//!     println!("likes {flavor}");
//! }
//! let inputs = registry.inputs(RecordType::Person).set("Favorite Flavor", ["Chocolate"]).build()?;
//! client.people().update(person.id, PersonUpdate::builder().custom_fields(Some(inputs))).await?;
//! # Ok(()) }
//! ```

mod date;
mod filter;
mod record;
mod registry;
mod value;
mod write;

use std::collections::HashSet;
use std::sync::atomic::{AtomicU64, Ordering};

use copper_crm_raw::ClientCustomFieldsExt;

pub use date::CustomDate;
pub use filter::CustomFieldFilterBuilder;
pub use record::{CustomFields, DecodedCustomField};
pub use registry::{CustomFieldRegistry, DecodeFrom, FieldRef};
pub use value::{CustomFieldValue, SelectedOption};
pub use write::{CustomFieldInputs, InputValue};

pub(crate) use value::decode as decode_stored;

use crate::{Client, Error};

/// The client's cached registry (filled on first use, shared by clones).
#[derive(Debug, Default)]
pub(crate) struct RegistryCache {
    /// The newest registry fetched.
    current: std::sync::RwLock<Option<CustomFieldRegistry>>,
    /// Held while fetching, so concurrent callers fetch once.
    fetching: tokio::sync::Mutex<()>,
    /// Definition (and option) ids still unknown after a refresh: meeting
    /// them again does not trigger another fetch.
    missing: std::sync::Mutex<HashSet<(i64, Option<i64>)>>,
    /// Counts fetches; each registry remembers the one it came from.
    generation: AtomicU64,
}

impl RegistryCache {
    fn current(&self) -> Option<CustomFieldRegistry> {
        self.current
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
    }

    /// Forget the cached registry (after a definition was created, changed or
    /// deleted through this client), so the next use fetches it again.
    pub(crate) fn invalidate(&self) {
        *self.current.write().unwrap_or_else(|e| e.into_inner()) = None;
        self.missing().clear();
    }

    fn store(&self, registry: &CustomFieldRegistry) {
        *self.current.write().unwrap_or_else(|e| e.into_inner()) = Some(registry.clone());
    }

    fn missing(&self) -> std::sync::MutexGuard<'_, HashSet<(i64, Option<i64>)>> {
        self.missing.lock().unwrap_or_else(|e| e.into_inner())
    }
}

/// Custom field definitions and the cached registry: `client.custom_fields()`.
///
/// ```no_run
/// # async fn run(client: copper_crm::Client) -> Result<(), copper_crm::Error> {
/// let registry = client.custom_fields().registry().await?;
/// for definition in registry.definitions() {
///     println!("{} ({})", definition.name, definition.data_type);
/// }
/// # Ok(()) }
/// ```
#[derive(Debug, Clone, Copy)]
pub struct CustomFieldsHandle<'c> {
    client: &'c Client,
}

impl Client {
    /// Custom fields: the cached registry of definitions.
    ///
    /// ```no_run
    /// # async fn run(client: copper_crm::Client) -> Result<(), copper_crm::Error> {
    /// let registry = client.custom_fields().registry().await?;
    /// # let _ = registry; Ok(()) }
    /// ```
    pub fn custom_fields(&self) -> CustomFieldsHandle<'_> {
        CustomFieldsHandle { client: self }
    }
}

impl CustomFieldsHandle<'_> {
    fn cache(&self) -> &RegistryCache {
        &self.client.inner.registry
    }

    /// The registry: fetched on first use, then served from the cache that
    /// this client and its clones share.
    ///
    /// ```no_run
    /// # async fn run(client: copper_crm::Client) -> Result<(), copper_crm::Error> {
    /// let first = client.custom_fields().registry().await?; // one request
    /// let again = client.clone().custom_fields().registry().await?; // none
    /// assert_eq!(first.definitions().len(), again.definitions().len());
    /// # Ok(()) }
    /// ```
    pub async fn registry(&self) -> Result<CustomFieldRegistry, Error> {
        if let Some(registry) = self.cache().current() {
            return Ok(registry);
        }
        let _guard = self.cache().fetching.lock().await;
        if let Some(registry) = self.cache().current() {
            return Ok(registry);
        }
        self.fetch().await
    }

    /// Fetch the definitions again (e.g. after creating or changing one) and
    /// replace the cached registry.
    ///
    /// ```no_run
    /// # async fn run(client: copper_crm::Client) -> Result<(), copper_crm::Error> {
    /// let registry = client.custom_fields().refresh().await?;
    /// # let _ = registry; Ok(()) }
    /// ```
    pub async fn refresh(&self) -> Result<CustomFieldRegistry, Error> {
        let _guard = self.cache().fetching.lock().await;
        self.fetch().await
    }

    /// The registry, refreshed once if `record` refers to a definition or a
    /// Dropdown/MultiSelect option it does not know. Ids still unknown after
    /// that refresh are remembered and do not cause further fetches.
    ///
    /// ```no_run
    /// use copper_crm::custom_fields::CustomFields;
    /// # async fn run(client: copper_crm::Client) -> Result<(), copper_crm::Error> {
    /// let lead = client.leads().get(27140442).await?;
    /// let registry = client.custom_fields().registry_for(&lead).await?;
    /// for field in lead.custom_fields_decoded(&registry)? {
    ///     println!("{}: {:?}", field.name, field.value);
    /// }
    /// # Ok(()) }
    /// ```
    pub async fn registry_for<R: CustomFields + ?Sized>(
        &self,
        record: &R,
    ) -> Result<CustomFieldRegistry, Error> {
        let current = self.registry().await?;
        let refs = record::references(&current, record.raw_custom_fields());
        self.registry_knowing(refs).await
    }

    /// The registry, refreshed once if it does not know one of the
    /// definition ids (or `(definition id, option id)` pairs) in `refs`.
    ///
    /// ```no_run
    /// # async fn run(client: copper_crm::Client) -> Result<(), copper_crm::Error> {
    /// // A webhook reported a change of custom field 684423.
    /// let registry = client.custom_fields().registry_knowing([(684423, None)]).await?;
    /// println!("{:?}", registry.get(684423).map(|d| &d.name));
    /// # Ok(()) }
    /// ```
    pub async fn registry_knowing(
        &self,
        refs: impl IntoIterator<Item = (i64, Option<i64>)>,
    ) -> Result<CustomFieldRegistry, Error> {
        let current = self.registry().await?;
        let unknown: Vec<(i64, Option<i64>)> = {
            let missing = self.cache().missing();
            refs.into_iter()
                .filter(|r| !current.knows(*r) && !missing.contains(r))
                .collect()
        };
        if unknown.is_empty() {
            return Ok(current);
        }
        let _guard = self.cache().fetching.lock().await;
        // Another task may have refreshed while we waited.
        if let Some(newer) = self.cache().current()
            && newer.generation() != current.generation()
            && unknown.iter().all(|r| newer.knows(*r))
        {
            return Ok(newer);
        }
        tracing::debug!(
            unknown = unknown.len(),
            "custom field registry refresh: unknown definition or option ids"
        );
        let fresh = self.fetch().await?;
        let mut missing = self.cache().missing();
        missing.extend(unknown.into_iter().filter(|r| !fresh.knows(*r)));
        Ok(fresh)
    }

    /// Decode every custom field of `record` (refreshing the registry once
    /// if the record refers to something it does not know).
    ///
    /// ```no_run
    /// # async fn run(client: copper_crm::Client) -> Result<(), copper_crm::Error> {
    /// let person = client.people().get(27140359).await?;
    /// for field in client.custom_fields().decode(&person).await? {
    ///     if let Some(value) = field.value { println!("{}: {value}", field.name); }
    /// }
    /// # Ok(()) }
    /// ```
    pub async fn decode<R: CustomFields + ?Sized>(
        &self,
        record: &R,
    ) -> Result<Vec<DecodedCustomField>, Error> {
        let registry = self.registry_for(record).await?;
        record.custom_fields_decoded(&registry)
    }

    /// Fetch the definitions (the caller holds `fetching`).
    async fn fetch(&self) -> Result<CustomFieldRegistry, Error> {
        let list = self
            .client
            .send(
                "custom_field_definitions_list",
                self.client.raw().custom_field_definitions_list().send(),
            )
            .await?;
        let generation = self.cache().generation.fetch_add(1, Ordering::Relaxed) + 1;
        let registry = CustomFieldRegistry::with_generation(list.0, generation);
        self.cache().store(&registry);
        tracing::debug!(
            definitions = registry.definitions().len(),
            generation,
            "custom field registry fetched"
        );
        Ok(registry)
    }
}
