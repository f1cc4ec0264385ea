//! [`CustomFieldRegistry`]: the account's custom field definitions, indexed
//! by id and by name.

use std::collections::HashMap;
use std::fmt;
use std::sync::Arc;

use chrono::FixedOffset;
use copper_crm_raw::types::{self, CustomFieldDefinition};

use crate::Error;
use crate::RecordType;
use crate::enums::CustomFieldDataType;

/// Where the labels of Dropdown and MultiSelect values come from when a
/// value is decoded.
///
/// ```
/// use copper_crm::custom_fields::{CustomFieldRegistry, DecodeFrom};
///
/// let registry = CustomFieldRegistry::new(vec![]).decode_from(DecodeFrom::Server);
/// assert_eq!(registry.decoding(), DecodeFrom::Server);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum DecodeFrom {
    /// From the record's `computed_value`, which Copper adds when the record
    /// was fetched with `custom_field_computed_values=true`
    /// ([`ClientBuilder::computed_custom_field_values`](crate::ClientBuilder::computed_custom_field_values)).
    /// Decoding a Dropdown or MultiSelect value without it is an error.
    Server,
    /// From the registry's option lists, ignoring any `computed_value`.
    Registry,
    /// From `computed_value` when the record has it, else from the registry.
    #[default]
    Auto,
}

/// A custom field named by its definition's id or its name (matched
/// case-insensitively).
///
/// ```
/// use copper_crm::custom_fields::FieldRef;
///
/// assert_eq!(FieldRef::from("Favorite Flavor"), FieldRef::Name("Favorite Flavor".into()));
/// assert_eq!(FieldRef::from(684423), FieldRef::Id(684423));
/// assert_eq!(FieldRef::Id(7).to_string(), "custom field definition 7");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum FieldRef {
    /// The definition id.
    Id(i64),
    /// The definition name (case-insensitive).
    Name(String),
}

impl From<i64> for FieldRef {
    fn from(id: i64) -> Self {
        FieldRef::Id(id)
    }
}

impl From<&str> for FieldRef {
    fn from(name: &str) -> Self {
        FieldRef::Name(name.to_string())
    }
}

impl From<String> for FieldRef {
    fn from(name: String) -> Self {
        FieldRef::Name(name)
    }
}

impl From<&String> for FieldRef {
    fn from(name: &String) -> Self {
        FieldRef::Name(name.clone())
    }
}

impl From<&CustomFieldDefinition> for FieldRef {
    fn from(definition: &CustomFieldDefinition) -> Self {
        FieldRef::Id(definition.id)
    }
}

impl fmt::Display for FieldRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            FieldRef::Id(id) => write!(f, "custom field definition {id}"),
            FieldRef::Name(name) => write!(f, "custom field {name:?}"),
        }
    }
}

/// The account's custom field definitions, indexed by id and by name.
///
/// Get the client's cached one with
/// [`client.custom_fields().registry()`](super::CustomFieldsHandle::registry),
/// or build one from definitions you already have. Cloning is cheap.
///
/// Two settings change how values are read and written (each returns a
/// copy; the cached registry is not affected):
/// - [`decode_from`](Self::decode_from): where option labels come from.
/// - [`account_utc_offset`](Self::account_utc_offset): how Date values map
///   to calendar days; see [`CustomDate`](super::CustomDate).
///
/// ```
/// use copper_crm::custom_fields::CustomFieldRegistry;
///
/// # let json = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../../tests/fixtures/custom_field_definitions_list.response.json")).unwrap();
/// let definitions = serde_json::from_str(&json).unwrap();
/// let registry = CustomFieldRegistry::new(definitions);
/// let color = registry.definition("color OPTION").unwrap(); // names are case-insensitive
/// assert_eq!(color.id, 126240);
/// assert!(registry.definition("Colour").unwrap_err().to_string().contains("no custom field named \"Colour\""));
/// ```
#[derive(Clone)]
pub struct CustomFieldRegistry {
    data: Arc<RegistryData>,
    decode_from: DecodeFrom,
    offset: Option<FixedOffset>,
}

struct RegistryData {
    definitions: Vec<CustomFieldDefinition>,
    by_id: HashMap<i64, usize>,
    by_name: HashMap<String, Vec<usize>>,
    generation: u64,
}

impl fmt::Debug for CustomFieldRegistry {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CustomFieldRegistry")
            .field("definitions", &self.data.definitions.len())
            .field("generation", &self.data.generation)
            .field("decode_from", &self.decode_from)
            .field("account_utc_offset", &self.offset)
            .finish()
    }
}

/// How names are compared: trimmed, lower-cased.
pub(crate) fn normalize(name: &str) -> String {
    name.trim().to_lowercase()
}

impl CustomFieldRegistry {
    /// A registry of these definitions (e.g. loaded from your own cache).
    ///
    /// ```
    /// let registry = copper_crm::custom_fields::CustomFieldRegistry::new(vec![]);
    /// assert!(registry.definitions().is_empty());
    /// ```
    pub fn new(definitions: Vec<CustomFieldDefinition>) -> Self {
        Self::with_generation(definitions, 0)
    }

    pub(crate) fn with_generation(
        definitions: Vec<CustomFieldDefinition>,
        generation: u64,
    ) -> Self {
        let mut by_id = HashMap::with_capacity(definitions.len());
        let mut by_name: HashMap<String, Vec<usize>> = HashMap::with_capacity(definitions.len());
        for (i, d) in definitions.iter().enumerate() {
            by_id.insert(d.id, i);
            by_name.entry(normalize(&d.name)).or_default().push(i);
        }
        CustomFieldRegistry {
            data: Arc::new(RegistryData {
                definitions,
                by_id,
                by_name,
                generation,
            }),
            decode_from: DecodeFrom::Auto,
            offset: None,
        }
    }

    pub(crate) fn generation(&self) -> u64 {
        self.data.generation
    }

    /// A copy that takes option labels from `from` when decoding.
    ///
    /// ```
    /// use copper_crm::custom_fields::{CustomFieldRegistry, DecodeFrom};
    /// let registry = CustomFieldRegistry::new(vec![]).decode_from(DecodeFrom::Registry);
    /// assert_eq!(registry.decoding(), DecodeFrom::Registry);
    /// ```
    pub fn decode_from(mut self, from: DecodeFrom) -> Self {
        self.decode_from = from;
        self
    }

    /// Where option labels come from when decoding (default
    /// [`DecodeFrom::Auto`]).
    ///
    /// ```
    /// use copper_crm::custom_fields::{CustomFieldRegistry, DecodeFrom};
    /// assert_eq!(CustomFieldRegistry::new(vec![]).decoding(), DecodeFrom::Auto);
    /// ```
    pub fn decoding(&self) -> DecodeFrom {
        self.decode_from
    }

    /// A copy that knows the account's UTC offset, so Date values are read
    /// and written as midnight at that offset (see
    /// [`CustomDate`](super::CustomDate) for what happens without it).
    ///
    /// ```
    /// use chrono::FixedOffset;
    /// use copper_crm::custom_fields::CustomFieldRegistry;
    ///
    /// let new_york = FixedOffset::west_opt(5 * 3600).unwrap();
    /// let registry = CustomFieldRegistry::new(vec![]).account_utc_offset(new_york);
    /// assert_eq!(registry.utc_offset(), Some(new_york));
    /// ```
    pub fn account_utc_offset(mut self, offset: FixedOffset) -> Self {
        self.offset = Some(offset);
        self
    }

    /// The account's UTC offset, if set with
    /// [`account_utc_offset`](Self::account_utc_offset).
    ///
    /// ```
    /// assert_eq!(copper_crm::custom_fields::CustomFieldRegistry::new(vec![]).utc_offset(), None);
    /// ```
    pub fn utc_offset(&self) -> Option<FixedOffset> {
        self.offset
    }

    /// Every definition, in the order Copper listed them.
    ///
    /// ```
    /// let registry = copper_crm::custom_fields::CustomFieldRegistry::new(vec![]);
    /// assert_eq!(registry.definitions().len(), 0);
    /// ```
    pub fn definitions(&self) -> &[CustomFieldDefinition] {
        &self.data.definitions
    }

    /// The definition with this id.
    ///
    /// ```
    /// # let json = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../../tests/fixtures/custom_field_definitions_list.response.json")).unwrap();
    /// let registry = copper_crm::custom_fields::CustomFieldRegistry::new(serde_json::from_str(&json).unwrap());
    /// assert_eq!(registry.get(100764).unwrap().name, "A Text Field");
    /// assert!(registry.get(1).is_none());
    /// ```
    pub fn get(&self, id: i64) -> Option<&CustomFieldDefinition> {
        self.data.by_id.get(&id).map(|&i| &self.data.definitions[i])
    }

    /// Whether the registry knows the definition (and, with `Some(option)`,
    /// that option of it).
    pub(crate) fn knows(&self, (id, option): (i64, Option<i64>)) -> bool {
        match (self.get(id), option) {
            (None, _) => false,
            (Some(_), None) => true,
            (Some(d), Some(o)) => d.options.iter().flatten().any(|opt| opt.id == o),
        }
    }

    /// The definition a [`FieldRef`] names, on any record type. A name
    /// shared by several definitions is an error; use the id, or
    /// [`definition_on`](Self::definition_on) to narrow by record type.
    ///
    /// ```
    /// # let json = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../../tests/fixtures/custom_field_definitions_list.response.json")).unwrap();
    /// let registry = copper_crm::custom_fields::CustomFieldRegistry::new(serde_json::from_str(&json).unwrap());
    /// assert_eq!(registry.definition("a text area field").unwrap().id, 103481);
    /// assert_eq!(registry.definition(103481).unwrap().name, "A Text Area Field");
    /// assert!(registry.definition(1).is_err());
    /// ```
    pub fn definition(&self, field: impl Into<FieldRef>) -> Result<&CustomFieldDefinition, Error> {
        self.lookup(&field.into(), None)
    }

    /// The definition a [`FieldRef`] names among those available on
    /// `entity` records. A field that exists but is not available on
    /// `entity` is an error that says where it is available.
    ///
    /// ```
    /// use copper_crm::RecordType;
    /// # let json = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../../tests/fixtures/custom_field_definitions_list.response.json")).unwrap();
    /// let registry = copper_crm::custom_fields::CustomFieldRegistry::new(serde_json::from_str(&json).unwrap());
    /// assert!(registry.definition_on(RecordType::Project, "Color option").is_ok());
    /// let err = registry.definition_on(RecordType::Person, "Color option").unwrap_err();
    /// assert!(err.to_string().contains("not available on person records"), "{err}");
    /// ```
    pub fn definition_on(
        &self,
        entity: RecordType,
        field: impl Into<FieldRef>,
    ) -> Result<&CustomFieldDefinition, Error> {
        self.lookup(&field.into(), Some(entity))
    }

    pub(crate) fn lookup(
        &self,
        field: &FieldRef,
        entity: Option<RecordType>,
    ) -> Result<&CustomFieldDefinition, Error> {
        let candidates: Vec<&CustomFieldDefinition> = match field {
            FieldRef::Id(id) => match self.get(*id) {
                Some(d) => vec![d],
                None => {
                    return Err(Error::InvalidInput(format!(
                        "unknown custom field definition id {id} (the registry has {} definitions; \
                         if it was created since, refresh it with client.custom_fields().refresh())",
                        self.data.definitions.len()
                    )));
                }
            },
            FieldRef::Name(name) => match self.data.by_name.get(&normalize(name)) {
                Some(idx) => idx.iter().map(|&i| &self.data.definitions[i]).collect(),
                None => return Err(self.unknown_name(name, entity)),
            },
        };
        let available: Vec<&CustomFieldDefinition> = match entity {
            Some(e) => candidates
                .iter()
                .copied()
                .filter(|d| d.available_on.iter().any(|a| a == e.singular()))
                .collect(),
            None => candidates.clone(),
        };
        match available.as_slice() {
            [one] => Ok(one),
            [] => {
                let d = candidates[0];
                Err(Error::InvalidInput(format!(
                    "{field} (id {}) is not available on {} records (it is available on: {})",
                    d.id,
                    entity.map(RecordType::singular).unwrap_or("these"),
                    if d.available_on.is_empty() {
                        "nothing".to_string()
                    } else {
                        d.available_on.join(", ")
                    }
                )))
            }
            several => Err(Error::InvalidInput(format!(
                "{field} is ambiguous: definitions {} share that name{}; refer to the field by id",
                several
                    .iter()
                    .map(|d| d.id.to_string())
                    .collect::<Vec<_>>()
                    .join(", "),
                entity
                    .map(|e| format!(" on {e} records"))
                    .unwrap_or_default()
            ))),
        }
    }

    fn unknown_name(&self, name: &str, entity: Option<RecordType>) -> Error {
        let mut known: Vec<&str> = self
            .data
            .definitions
            .iter()
            .filter(|d| entity.is_none_or(|e| d.available_on.iter().any(|a| a == e.singular())))
            .map(|d| d.name.as_str())
            .collect();
        known.sort_unstable();
        let total = known.len();
        known.truncate(20);
        let more = if total > known.len() {
            format!(", … ({} more)", total - known.len())
        } else {
            String::new()
        };
        Error::InvalidInput(format!(
            "no custom field named {name:?}{}; known: {}{more}",
            entity
                .map(|e| format!(" on {e} records"))
                .unwrap_or_default(),
            if known.is_empty() {
                "none".to_string()
            } else {
                known.join(", ")
            },
        ))
    }

    /// The data type of a definition.
    pub(crate) fn data_type(definition: &CustomFieldDefinition) -> CustomFieldDataType {
        CustomFieldDataType::from(definition.data_type.as_str())
    }

    /// The option with this label (exact match first, then a unique
    /// case-insensitive match).
    pub(crate) fn option_by_label<'d>(
        definition: &'d CustomFieldDefinition,
        label: &str,
    ) -> Result<&'d types::CustomFieldOption, Error> {
        let options = definition.options.as_deref().unwrap_or_default();
        if let Some(o) = options.iter().find(|o| o.name == label) {
            return Ok(o);
        }
        let wanted = normalize(label);
        let matches: Vec<&types::CustomFieldOption> = options
            .iter()
            .filter(|o| normalize(&o.name) == wanted)
            .collect();
        match matches.as_slice() {
            [one] => Ok(one),
            [] => {
                let mut sorted: Vec<&types::CustomFieldOption> = options.iter().collect();
                sorted.sort_by_key(|o| o.rank);
                Err(Error::InvalidInput(format!(
                    "custom field {:?} has no option {label:?}; its options are: {}",
                    definition.name,
                    if sorted.is_empty() {
                        "none".to_string()
                    } else {
                        sorted
                            .iter()
                            .map(|o| format!("{:?}", o.name))
                            .collect::<Vec<_>>()
                            .join(", ")
                    }
                )))
            }
            _ => Err(Error::InvalidInput(format!(
                "custom field {:?} has several options matching {label:?} when case is ignored; use the exact label",
                definition.name
            ))),
        }
    }

    /// The option with this id.
    pub(crate) fn option_by_id(
        definition: &CustomFieldDefinition,
        id: i64,
    ) -> Option<&types::CustomFieldOption> {
        definition.options.iter().flatten().find(|o| o.id == id)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn def(id: i64, name: &str, data_type: &str, on: &[&str]) -> CustomFieldDefinition {
        serde_json::from_value(serde_json::json!({
            "id": id, "name": name, "data_type": data_type, "available_on": on
        }))
        .unwrap()
    }

    #[test]
    fn names_are_case_insensitive_and_ambiguity_is_an_error() {
        let r = CustomFieldRegistry::new(vec![
            def(1, "Region", "String", &["person"]),
            def(2, "region", "String", &["company"]),
            def(3, "Size", "Float", &["company", "lead"]),
        ]);
        assert_eq!(r.definition_on(RecordType::Person, "REGION").unwrap().id, 1);
        assert_eq!(
            r.definition_on(RecordType::Company, " region ").unwrap().id,
            2
        );
        let e = r.definition("Region").unwrap_err().to_string();
        assert!(e.contains("ambiguous") && e.contains("1, 2"), "{e}");
        let e = r
            .definition_on(RecordType::Task, "size")
            .unwrap_err()
            .to_string();
        assert!(
            e.contains("not available on task records") && e.contains("company, lead"),
            "{e}"
        );
        let e = r
            .definition_on(RecordType::Lead, "Colour")
            .unwrap_err()
            .to_string();
        assert!(
            e.contains("\"Colour\"") && e.contains("on lead records") && e.contains("Size"),
            "{e}"
        );
        assert!(r.definition(99).unwrap_err().to_string().contains("99"));
    }

    #[test]
    fn option_labels_exact_then_case_insensitive() {
        let d: CustomFieldDefinition = serde_json::from_value(serde_json::json!({
            "id": 1, "name": "Flavor", "data_type": "Dropdown", "available_on": ["person"],
            "options": [{"id": 10, "name": "Mint", "rank": 1}, {"id": 11, "name": "mint", "rank": 2},
                        {"id": 12, "name": "Chocolate", "rank": 0}]
        }))
        .unwrap();
        assert_eq!(
            CustomFieldRegistry::option_by_label(&d, "mint").unwrap().id,
            11
        );
        assert_eq!(
            CustomFieldRegistry::option_by_label(&d, "chocolate")
                .unwrap()
                .id,
            12
        );
        assert!(
            CustomFieldRegistry::option_by_label(&d, "MINT")
                .unwrap_err()
                .to_string()
                .contains("several")
        );
        let e = CustomFieldRegistry::option_by_label(&d, "Vanilla")
            .unwrap_err()
            .to_string();
        assert!(
            e.contains("\"Vanilla\"") && e.contains("\"Chocolate\", \"Mint\", \"mint\""),
            "{e}"
        );
    }
}
