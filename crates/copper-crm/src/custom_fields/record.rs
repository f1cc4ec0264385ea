//! [`CustomFields`]: custom field access on the six record types that carry
//! custom fields.

use copper_crm_raw::types;

use super::registry::{CustomFieldRegistry, FieldRef};
use super::value::{self, CustomFieldValue};
use crate::Error;
use crate::RecordType;
use crate::enums::CustomFieldDataType;

/// One decoded custom field of a record.
///
/// ```no_run
/// use copper_crm::custom_fields::CustomFields;
/// # async fn run(client: copper_crm::Client) -> Result<(), copper_crm::Error> {
/// let person = client.people().get(27140359).await?;
/// let registry = client.custom_fields().registry_for(&person).await?;
/// for field in person.custom_fields_decoded(&registry)? {
///     match &field.value {
///         Some(value) => println!("{} = {value}", field.name),
///         None => println!("{} is not set", field.name),
///     }
/// }
/// # Ok(()) }
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct DecodedCustomField {
    /// The definition id.
    pub id: i64,
    /// The definition name.
    pub name: String,
    /// The definition's data type.
    pub data_type: CustomFieldDataType,
    /// The value; `None` when unset.
    pub value: Option<CustomFieldValue>,
}

/// Custom field access on people, leads, companies, opportunities, projects
/// and tasks.
///
/// Lookups by name are case-insensitive and only consider definitions
/// available on the record's type. A name or id the registry does not know
/// is an [`Error::InvalidInput`]; a stored value that does not fit its
/// definition is an [`Error::Decode`] with the value as snippet.
///
/// ```
/// use copper_crm::custom_fields::{CustomFieldRegistry, CustomFieldValue, CustomFields};
/// use copper_crm::types::Person;
///
/// let registry = CustomFieldRegistry::new(serde_json::from_value(serde_json::json!([
///     {"id": 7, "name": "Favorite Flavor", "data_type": "Dropdown", "available_on": ["person"],
///      "options": [{"id": 70, "name": "Chocolate", "rank": 0}]}
/// ])).unwrap());
/// let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../../tests/fixtures/");
/// let mut person: Person = serde_json::from_str(&std::fs::read_to_string(format!("{dir}people_get.response.json")).unwrap()).unwrap();
/// person.custom_fields = serde_json::from_value(serde_json::json!([{"custom_field_definition_id": 7, "value": 70}])).unwrap();
///
/// let flavor = person.custom_field(&registry, "favorite flavor").unwrap().unwrap();
/// assert_eq!(flavor.labels(), vec!["Chocolate"]);
/// assert_eq!(person.custom_field_by_id(&registry, 7).unwrap(), Some(flavor));
/// assert!(person.custom_field(&registry, "Favourite Flavour").is_err());
/// ```
pub trait CustomFields {
    /// The record's type.
    ///
    /// ```
    /// # use copper_crm::custom_fields::{CustomFieldRegistry, CustomFields};
    /// # let registry = CustomFieldRegistry::new(serde_json::from_value(serde_json::json!([
    /// #     {"id": 7, "name": "Seats", "data_type": "Float", "available_on": ["company"]}])).unwrap());
    /// # let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../../tests/fixtures/");
    /// # let mut company: copper_crm::types::Company = serde_json::from_str(&std::fs::read_to_string(format!("{dir}companies_get.response.json")).unwrap()).unwrap();
    /// # company.custom_fields = serde_json::from_value(serde_json::json!([{"custom_field_definition_id": 7, "value": 12.0}])).unwrap();
    /// assert_eq!(company.record_type(), copper_crm::RecordType::Company);
    /// ```
    fn record_type(&self) -> RecordType;

    /// The record's custom fields as Copper sent them.
    ///
    /// ```
    /// # use copper_crm::custom_fields::{CustomFieldRegistry, CustomFields};
    /// # let registry = CustomFieldRegistry::new(serde_json::from_value(serde_json::json!([
    /// #     {"id": 7, "name": "Seats", "data_type": "Float", "available_on": ["company"]}])).unwrap());
    /// # let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../../tests/fixtures/");
    /// # let mut company: copper_crm::types::Company = serde_json::from_str(&std::fs::read_to_string(format!("{dir}companies_get.response.json")).unwrap()).unwrap();
    /// # company.custom_fields = serde_json::from_value(serde_json::json!([{"custom_field_definition_id": 7, "value": 12.0}])).unwrap();
    /// assert_eq!(company.raw_custom_fields().len(), 1);
    /// ```
    fn raw_custom_fields(&self) -> &[types::CustomField];

    /// The stored value of one definition, as Copper sent it.
    ///
    /// ```
    /// # use copper_crm::custom_fields::{CustomFieldRegistry, CustomFields};
    /// # let registry = CustomFieldRegistry::new(serde_json::from_value(serde_json::json!([
    /// #     {"id": 7, "name": "Seats", "data_type": "Float", "available_on": ["company"]}])).unwrap());
    /// # let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../../tests/fixtures/");
    /// # let mut company: copper_crm::types::Company = serde_json::from_str(&std::fs::read_to_string(format!("{dir}companies_get.response.json")).unwrap()).unwrap();
    /// # company.custom_fields = serde_json::from_value(serde_json::json!([{"custom_field_definition_id": 7, "value": 12.0}])).unwrap();
    /// assert_eq!(company.raw_custom_field(7).unwrap().value, serde_json::json!(12.0));
    /// ```
    fn raw_custom_field(&self, definition_id: i64) -> Option<&types::CustomField> {
        self.raw_custom_fields()
            .iter()
            .find(|f| f.custom_field_definition_id == definition_id)
    }

    /// The value of the field named `field` (a name, case-insensitive, or an
    /// id); `Ok(None)` when unset.
    ///
    /// ```
    /// # use copper_crm::custom_fields::{CustomFieldRegistry, CustomFields};
    /// # let registry = CustomFieldRegistry::new(serde_json::from_value(serde_json::json!([
    /// #     {"id": 7, "name": "Seats", "data_type": "Float", "available_on": ["company"]}])).unwrap());
    /// # let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../../tests/fixtures/");
    /// # let mut company: copper_crm::types::Company = serde_json::from_str(&std::fs::read_to_string(format!("{dir}companies_get.response.json")).unwrap()).unwrap();
    /// # company.custom_fields = serde_json::from_value(serde_json::json!([{"custom_field_definition_id": 7, "value": 12.0}])).unwrap();
    /// assert_eq!(company.custom_field(&registry, "seats").unwrap().unwrap().as_f64(), Some(12.0));
    /// ```
    fn custom_field(
        &self,
        registry: &CustomFieldRegistry,
        field: impl Into<FieldRef>,
    ) -> Result<Option<CustomFieldValue>, Error>
    where
        Self: Sized,
    {
        let entity = self.record_type();
        let definition = registry.lookup(&field.into(), Some(entity))?;
        match self.raw_custom_field(definition.id) {
            Some(stored) => value::decode(registry, definition, stored),
            None => Ok(None),
        }
    }

    /// The value of the field with this definition id; `Ok(None)` when
    /// unset.
    ///
    /// ```
    /// # use copper_crm::custom_fields::{CustomFieldRegistry, CustomFields};
    /// # let registry = CustomFieldRegistry::new(serde_json::from_value(serde_json::json!([
    /// #     {"id": 7, "name": "Seats", "data_type": "Float", "available_on": ["company"]}])).unwrap());
    /// # let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../../tests/fixtures/");
    /// # let mut company: copper_crm::types::Company = serde_json::from_str(&std::fs::read_to_string(format!("{dir}companies_get.response.json")).unwrap()).unwrap();
    /// # company.custom_fields = serde_json::from_value(serde_json::json!([{"custom_field_definition_id": 7, "value": 12.0}])).unwrap();
    /// assert!(company.custom_field_by_id(&registry, 7).unwrap().is_some());
    /// assert!(company.custom_field_by_id(&registry, 8).is_err()); // not in the registry
    /// ```
    fn custom_field_by_id(
        &self,
        registry: &CustomFieldRegistry,
        definition_id: i64,
    ) -> Result<Option<CustomFieldValue>, Error>
    where
        Self: Sized,
    {
        self.custom_field(registry, FieldRef::Id(definition_id))
    }

    /// Every custom field of the record, decoded, in the record's order.
    ///
    /// ```
    /// # use copper_crm::custom_fields::{CustomFieldRegistry, CustomFields};
    /// # let registry = CustomFieldRegistry::new(serde_json::from_value(serde_json::json!([
    /// #     {"id": 7, "name": "Seats", "data_type": "Float", "available_on": ["company"]}])).unwrap());
    /// # let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../../tests/fixtures/");
    /// # let mut company: copper_crm::types::Company = serde_json::from_str(&std::fs::read_to_string(format!("{dir}companies_get.response.json")).unwrap()).unwrap();
    /// # company.custom_fields = serde_json::from_value(serde_json::json!([{"custom_field_definition_id": 7, "value": 12.0}])).unwrap();
    /// let fields = company.custom_fields_decoded(&registry).unwrap();
    /// assert_eq!(fields[0].name, "Seats");
    /// ```
    fn custom_fields_decoded(
        &self,
        registry: &CustomFieldRegistry,
    ) -> Result<Vec<DecodedCustomField>, Error> {
        self.raw_custom_fields()
            .iter()
            .map(|stored| {
                let definition =
                    registry.lookup(&FieldRef::Id(stored.custom_field_definition_id), None)?;
                Ok(DecodedCustomField {
                    id: definition.id,
                    name: definition.name.clone(),
                    data_type: CustomFieldDataType::from(definition.data_type.as_str()),
                    value: value::decode(registry, definition, stored)?,
                })
            })
            .collect()
    }
}

macro_rules! custom_fields_on {
    ($($ty:ty => $entity:ident),+ $(,)?) => {$(
        impl CustomFields for $ty {
            fn record_type(&self) -> RecordType {
                RecordType::$entity
            }
            fn raw_custom_fields(&self) -> &[types::CustomField] {
                &self.custom_fields
            }
        }
    )+};
}

custom_fields_on! {
    types::Person => Person,
    types::Lead => Lead,
    types::Company => Company,
    types::Opportunity => Opportunity,
    types::Project => Project,
    types::Task => Task,
}

/// The definitions and options a record refers to, for refreshing a stale
/// registry: `(definition id, None)` for each field, plus `(definition id,
/// Some(option id))` for each option id in the value of a field `registry`
/// knows as a Dropdown or MultiSelect.
pub(crate) fn references(
    registry: &CustomFieldRegistry,
    fields: &[types::CustomField],
) -> Vec<(i64, Option<i64>)> {
    let mut out = Vec::with_capacity(fields.len());
    for f in fields {
        let id = f.custom_field_definition_id;
        out.push((id, None));
        let Some(definition) = registry.get(id) else {
            continue;
        };
        match (CustomFieldRegistry::data_type(definition), &f.value) {
            (CustomFieldDataType::Dropdown, serde_json::Value::Number(n)) => {
                out.extend(n.as_i64().map(|o| (id, Some(o))))
            }
            (CustomFieldDataType::MultiSelect, serde_json::Value::Array(items)) => out.extend(
                items
                    .iter()
                    .filter_map(serde_json::Value::as_i64)
                    .map(|o| (id, Some(o))),
            ),
            _ => {}
        }
    }
    out
}
