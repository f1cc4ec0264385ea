//! Writing custom fields by name and label.

use chrono::NaiveDate;
use copper_crm_raw::types::{self, CustomFieldDefinition};
use serde_json::Value;

use super::date::{CustomDate, default_write_offset};
use super::registry::{CustomFieldRegistry, FieldRef};
use super::value::CustomFieldValue;
use crate::Error;
use crate::RecordType;
use crate::enums::CustomFieldDataType;

/// Copper's length limit of a Text Field (`String`).
const TEXT_FIELD_MAX_CHARS: usize = 255;

/// A value to write to a custom field, before it is checked against the
/// field's definition. Usually built with `From`:
///
/// | Rust value | becomes | fits |
/// |---|---|---|
/// | `&str`, `String` | [`Text`](Self::Text) | Text Field, Text Area, URL; one option label of a Dropdown or MultiSelect |
/// | `f64`, `i64`, `i32`, `u32`, `f32` | [`Number`](Self::Number) | Number, Currency, Percentage |
/// | `bool` | [`Bool`](Self::Bool) | Checkbox |
/// | [`NaiveDate`] | [`Date`](Self::Date) | Date (midnight at the account's offset, see [`CustomDate`]) |
/// | [`CustomDate`] | [`Timestamp`](Self::Timestamp) | Date (its exact unix seconds) |
/// | `[&str; N]`, `Vec<&str>`, `Vec<String>`, `&[&str]` | [`Labels`](Self::Labels) | MultiSelect; a Dropdown with exactly one label |
/// | `Option<T>` | `None` is [`Clear`](Self::Clear) | any field |
/// | [`CustomFieldValue`] | its stored shape | a field of that type |
///
/// ```
/// use copper_crm::custom_fields::InputValue;
///
/// assert_eq!(InputValue::from(["Chocolate"]), InputValue::Labels(vec!["Chocolate".into()]));
/// assert_eq!(InputValue::from(None::<bool>), InputValue::Clear);
/// assert_eq!(InputValue::option_ids([3, 4]), InputValue::OptionIds(vec![3, 4]));
/// ```
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum InputValue {
    /// Clear the field (send `null`).
    Clear,
    /// Text, or one option label.
    Text(String),
    /// A number.
    Number(f64),
    /// A checkbox state.
    Bool(bool),
    /// A calendar day.
    Date(NaiveDate),
    /// Exact unix seconds for a Date field.
    Timestamp(CustomDate),
    /// Option labels.
    Labels(Vec<String>),
    /// Option ids (checked against the definition's options).
    OptionIds(Vec<i64>),
    /// JSON sent as is, unchecked (for data types this crate does not know).
    Raw(Value),
}

impl InputValue {
    /// Option ids for a Dropdown (one) or MultiSelect (any).
    ///
    /// ```
    /// # use copper_crm::custom_fields::InputValue;
    /// assert_eq!(InputValue::option_ids(vec![1]), InputValue::OptionIds(vec![1]));
    /// ```
    pub fn option_ids(ids: impl IntoIterator<Item = i64>) -> Self {
        InputValue::OptionIds(ids.into_iter().collect())
    }

    /// What kind of value this is, for error messages.
    fn describe(&self) -> String {
        match self {
            InputValue::Clear => "null".into(),
            InputValue::Text(s) => format!("the text {s:?}"),
            InputValue::Number(x) => format!("the number {x}"),
            InputValue::Bool(b) => format!("the boolean {b}"),
            InputValue::Date(d) => format!("the date {d}"),
            InputValue::Timestamp(d) => format!("the timestamp {}", d.unix_seconds()),
            InputValue::Labels(l) => format!("the labels {l:?}"),
            InputValue::OptionIds(ids) => format!("the option ids {ids:?}"),
            InputValue::Raw(v) => format!("the JSON {v}"),
        }
    }
}

impl From<&str> for InputValue {
    fn from(s: &str) -> Self {
        InputValue::Text(s.to_string())
    }
}
impl From<String> for InputValue {
    fn from(s: String) -> Self {
        InputValue::Text(s)
    }
}
impl From<&String> for InputValue {
    fn from(s: &String) -> Self {
        InputValue::Text(s.clone())
    }
}
impl From<f64> for InputValue {
    fn from(x: f64) -> Self {
        InputValue::Number(x)
    }
}
impl From<f32> for InputValue {
    fn from(x: f32) -> Self {
        InputValue::Number(f64::from(x))
    }
}
impl From<i32> for InputValue {
    fn from(x: i32) -> Self {
        InputValue::Number(f64::from(x))
    }
}
impl From<u32> for InputValue {
    fn from(x: u32) -> Self {
        InputValue::Number(f64::from(x))
    }
}
impl From<i64> for InputValue {
    /// A number (not a date: use [`CustomDate::from_unix`] for unix seconds).
    fn from(x: i64) -> Self {
        InputValue::Number(x as f64)
    }
}
impl From<bool> for InputValue {
    fn from(b: bool) -> Self {
        InputValue::Bool(b)
    }
}
impl From<NaiveDate> for InputValue {
    fn from(d: NaiveDate) -> Self {
        InputValue::Date(d)
    }
}
impl From<CustomDate> for InputValue {
    fn from(d: CustomDate) -> Self {
        InputValue::Timestamp(d)
    }
}
impl<const N: usize> From<[&str; N]> for InputValue {
    fn from(labels: [&str; N]) -> Self {
        InputValue::Labels(labels.iter().map(|s| s.to_string()).collect())
    }
}
impl From<&[&str]> for InputValue {
    fn from(labels: &[&str]) -> Self {
        InputValue::Labels(labels.iter().map(|s| s.to_string()).collect())
    }
}
impl From<Vec<&str>> for InputValue {
    fn from(labels: Vec<&str>) -> Self {
        InputValue::Labels(labels.into_iter().map(str::to_string).collect())
    }
}
impl From<Vec<String>> for InputValue {
    fn from(labels: Vec<String>) -> Self {
        InputValue::Labels(labels)
    }
}
impl From<Value> for InputValue {
    fn from(v: Value) -> Self {
        InputValue::Raw(v)
    }
}
impl From<CustomFieldValue> for InputValue {
    fn from(v: CustomFieldValue) -> Self {
        match v {
            CustomFieldValue::Text(s)
            | CustomFieldValue::TextArea(s)
            | CustomFieldValue::Url(s) => InputValue::Text(s),
            CustomFieldValue::Number(x) | CustomFieldValue::Percentage(x) => InputValue::Number(x),
            CustomFieldValue::Currency { amount, .. } => InputValue::Number(amount),
            CustomFieldValue::Date(d) => InputValue::Timestamp(d),
            CustomFieldValue::Checkbox(b) => InputValue::Bool(b),
            CustomFieldValue::Dropdown(o) => InputValue::OptionIds(vec![o.id]),
            CustomFieldValue::MultiSelect(os) => {
                InputValue::OptionIds(os.into_iter().map(|o| o.id).collect())
            }
            CustomFieldValue::Connect(raw) | CustomFieldValue::Unknown { raw, .. } => {
                InputValue::Raw(raw)
            }
        }
    }
}
impl<T: Into<InputValue>> From<Option<T>> for InputValue {
    fn from(v: Option<T>) -> Self {
        v.map_or(InputValue::Clear, Into::into)
    }
}

impl CustomFieldRegistry {
    /// The [`types::CustomFieldInput`] that writes `value` to `field`,
    /// resolving option labels to ids. Refused (with the field and the
    /// problem named) when the field is unknown, a label is not one of its
    /// options, or the value does not fit the field's type. Use
    /// [`inputs`](Self::inputs) to also check the record type.
    ///
    /// ```
    /// use copper_crm::custom_fields::CustomFieldRegistry;
    ///
    /// let registry = CustomFieldRegistry::new(serde_json::from_value(serde_json::json!([
    ///     {"id": 7, "name": "Favorite Flavor", "data_type": "MultiSelect", "available_on": ["person"],
    ///      "options": [{"id": 70, "name": "Chocolate", "rank": 0}, {"id": 71, "name": "Vanilla", "rank": 1}]}
    /// ])).unwrap());
    /// let input = registry.value("Favorite Flavor", ["Chocolate"]).unwrap();
    /// assert_eq!(input.custom_field_definition_id, 7);
    /// assert_eq!(input.value, Some(serde_json::json!([70])));
    ///
    /// let err = registry.value("Favorite Flavor", ["Pistachio"]).unwrap_err().to_string();
    /// assert!(err.contains("\"Favorite Flavor\" has no option \"Pistachio\""), "{err}");
    /// assert!(registry.value("Favorite Flavor", 3.5).is_err());
    /// ```
    pub fn value(
        &self,
        field: impl Into<FieldRef>,
        value: impl Into<InputValue>,
    ) -> Result<types::CustomFieldInput, Error> {
        let definition = self.lookup(&field.into(), None)?;
        self.encode(definition, value.into())
    }

    /// A builder of the `custom_fields` of a create or update of an `entity`
    /// record. Problems are collected and reported together by
    /// [`build`](CustomFieldInputs::build).
    ///
    /// ```
    /// use chrono::NaiveDate;
    /// use copper_crm::custom_fields::CustomFieldRegistry;
    /// use copper_crm::RecordType;
    ///
    /// let registry = CustomFieldRegistry::new(serde_json::from_value(serde_json::json!([
    ///     {"id": 7, "name": "Favorite Flavor", "data_type": "Dropdown", "available_on": ["person"],
    ///      "options": [{"id": 70, "name": "Chocolate", "rank": 0}]},
    ///     {"id": 8, "name": "Birthday", "data_type": "Date", "available_on": ["person", "lead"]},
    ///     {"id": 9, "name": "Budget", "data_type": "Currency", "currency": "USD", "available_on": ["opportunity"]}
    /// ])).unwrap());
    /// let inputs = registry
    ///     .inputs(RecordType::Person)
    ///     .set("favorite flavor", "Chocolate")
    ///     .set("Birthday", NaiveDate::from_ymd_opt(1990, 5, 17).unwrap())
    ///     .build()
    ///     .unwrap();
    /// assert_eq!(inputs[0].value, Some(serde_json::json!(70)));
    ///
    /// let err = registry.inputs(RecordType::Person).set("Budget", 10).set("Shoe size", 44).build().unwrap_err();
    /// let text = err.to_string();
    /// assert!(text.contains("\"Budget\" (id 9) is not available on person records"), "{text}");
    /// assert!(text.contains("\"Shoe size\""), "{text}");
    /// ```
    pub fn inputs(&self, entity: RecordType) -> CustomFieldInputs<'_> {
        CustomFieldInputs {
            registry: self,
            entity,
            inputs: Vec::new(),
            problems: Vec::new(),
        }
    }

    /// Encode `value` for `definition`.
    pub(crate) fn encode(
        &self,
        definition: &CustomFieldDefinition,
        value: InputValue,
    ) -> Result<types::CustomFieldInput, Error> {
        let json = self.encode_json(definition, value)?;
        Ok(types::CustomFieldInput {
            custom_field_definition_id: definition.id,
            value: Some(json),
        })
    }

    fn encode_json(
        &self,
        definition: &CustomFieldDefinition,
        value: InputValue,
    ) -> Result<Value, Error> {
        let data_type = CustomFieldRegistry::data_type(definition);
        let name = &definition.name;
        let mismatch = |value: &InputValue, wants: &str| {
            Error::InvalidInput(format!(
                "custom field {name:?} is a {} field and takes {wants}, not {}",
                definition.data_type,
                value.describe()
            ))
        };
        if data_type == CustomFieldDataType::Connect {
            return Err(Error::InvalidInput(format!(
                "custom field {name:?} is a Connect field: link records through the related-links endpoints instead"
            )));
        }
        match value {
            InputValue::Clear => return Ok(Value::Null),
            InputValue::Raw(v) => return Ok(v),
            _ => {}
        }
        match data_type {
            CustomFieldDataType::String => match value {
                InputValue::Text(s) if s.chars().count() <= TEXT_FIELD_MAX_CHARS => {
                    Ok(Value::String(s))
                }
                InputValue::Text(s) => Err(Error::InvalidInput(format!(
                    "custom field {name:?} is a Text Field and holds at most {TEXT_FIELD_MAX_CHARS} characters; the value has {} (use a Text Area field for longer text)",
                    s.chars().count()
                ))),
                other => Err(mismatch(&other, "text")),
            },
            CustomFieldDataType::Text | CustomFieldDataType::Url => match value {
                InputValue::Text(s) => Ok(Value::String(s)),
                other => Err(mismatch(&other, "text")),
            },
            CustomFieldDataType::Float
            | CustomFieldDataType::Percentage
            | CustomFieldDataType::Currency => match value {
                InputValue::Number(x) if x.is_finite() => Ok(Value::from(x)),
                other => Err(mismatch(&other, "a finite number")),
            },
            CustomFieldDataType::Checkbox => match value {
                InputValue::Bool(b) => Ok(Value::Bool(b)),
                other => Err(mismatch(&other, "true or false")),
            },
            CustomFieldDataType::Date => match value {
                InputValue::Date(d) => Ok(Value::from(
                    CustomDate::at_midnight(
                        d,
                        self.utc_offset().unwrap_or_else(default_write_offset),
                    )
                    .unix_seconds(),
                )),
                InputValue::Timestamp(d) => Ok(Value::from(d.unix_seconds())),
                other => Err(mismatch(&other, "a chrono::NaiveDate or a CustomDate")),
            },
            CustomFieldDataType::Dropdown => {
                let ids = self.option_ids(definition, value, &mismatch)?;
                match ids.as_slice() {
                    [one] => Ok(Value::from(*one)),
                    _ => Err(Error::InvalidInput(format!(
                        "custom field {name:?} is a Dropdown and takes exactly one option, not {}",
                        ids.len()
                    ))),
                }
            }
            CustomFieldDataType::MultiSelect => {
                let mut ids = self.option_ids(definition, value, &mismatch)?;
                let mut seen = std::collections::HashSet::new();
                ids.retain(|id| seen.insert(*id));
                Ok(Value::from(ids))
            }
            CustomFieldDataType::Connect => unreachable!("handled above"),
            CustomFieldDataType::Unknown(other) => Err(Error::InvalidInput(format!(
                "custom field {name:?} has data type {other:?}, which this crate does not know; write it with InputValue::Raw"
            ))),
        }
    }

    fn option_ids(
        &self,
        definition: &CustomFieldDefinition,
        value: InputValue,
        mismatch: &dyn Fn(&InputValue, &str) -> Error,
    ) -> Result<Vec<i64>, Error> {
        match value {
            InputValue::Text(label) => Ok(vec![
                CustomFieldRegistry::option_by_label(definition, &label)?.id,
            ]),
            InputValue::Labels(labels) => labels
                .iter()
                .map(|l| CustomFieldRegistry::option_by_label(definition, l).map(|o| o.id))
                .collect(),
            InputValue::OptionIds(ids) => {
                for id in &ids {
                    if CustomFieldRegistry::option_by_id(definition, *id).is_none() {
                        return Err(Error::InvalidInput(format!(
                            "custom field {:?} has no option with id {id}",
                            definition.name
                        )));
                    }
                }
                Ok(ids)
            }
            other => Err(mismatch(&other, "option labels (or InputValue::OptionIds)")),
        }
    }
}

/// Builds the `custom_fields` list of a create or update by field name and
/// option label; from [`CustomFieldRegistry::inputs`].
///
/// ```
/// use copper_crm::custom_fields::CustomFieldRegistry;
/// use copper_crm::RecordType;
///
/// let registry = CustomFieldRegistry::new(serde_json::from_value(serde_json::json!([
///     {"id": 1, "name": "Notes", "data_type": "Text", "available_on": ["lead"]}
/// ])).unwrap());
/// let inputs = registry.inputs(RecordType::Lead).clear("Notes").build().unwrap();
/// assert_eq!(serde_json::to_value(&inputs).unwrap(), serde_json::json!([{"custom_field_definition_id": 1, "value": null}]));
/// ```
#[derive(Debug, Clone)]
pub struct CustomFieldInputs<'r> {
    registry: &'r CustomFieldRegistry,
    entity: RecordType,
    inputs: Vec<types::CustomFieldInput>,
    problems: Vec<String>,
}

impl CustomFieldInputs<'_> {
    /// Set `field` (a name or id) to `value`.
    ///
    /// ```
    /// use copper_crm::RecordType;
    /// # let registry = copper_crm::custom_fields::CustomFieldRegistry::new(serde_json::from_value(serde_json::json!([
    /// #     {"id": 1, "name": "Notes", "data_type": "Text", "available_on": ["lead"]},
    /// #     {"id": 2, "name": "Size", "data_type": "Float", "available_on": ["lead"]}
    /// # ])).unwrap());
    /// let inputs = registry.inputs(RecordType::Lead).set("notes", "hello").set(2, 3.5).build().unwrap();
    /// assert_eq!(inputs.len(), 2);
    /// ```
    pub fn set(mut self, field: impl Into<FieldRef>, value: impl Into<InputValue>) -> Self {
        let field = field.into();
        let result = self
            .registry
            .lookup(&field, Some(self.entity))
            .and_then(|definition| {
                if self
                    .inputs
                    .iter()
                    .any(|i| i.custom_field_definition_id == definition.id)
                {
                    return Err(Error::InvalidInput(format!("{field} is set twice")));
                }
                self.registry.encode(definition, value.into())
            });
        match result {
            Ok(input) => self.inputs.push(input),
            Err(Error::InvalidInput(problem)) => self.problems.push(problem),
            Err(other) => self.problems.push(other.to_string()),
        }
        self
    }

    /// Clear `field` (send `null`).
    ///
    /// ```
    /// use copper_crm::RecordType;
    /// # let registry = copper_crm::custom_fields::CustomFieldRegistry::new(serde_json::from_value(serde_json::json!([
    /// #     {"id": 1, "name": "Notes", "data_type": "Text", "available_on": ["lead"]},
    /// #     {"id": 2, "name": "Size", "data_type": "Float", "available_on": ["lead"]}
    /// # ])).unwrap());
    /// let inputs = registry.inputs(RecordType::Lead).clear("Size").build().unwrap();
    /// assert_eq!(inputs[0].value, Some(serde_json::Value::Null));
    /// ```
    pub fn clear(self, field: impl Into<FieldRef>) -> Self {
        self.set(field, InputValue::Clear)
    }

    /// The inputs, or one [`Error::InvalidInput`] listing every problem.
    ///
    /// ```
    /// use copper_crm::RecordType;
    /// # let registry = copper_crm::custom_fields::CustomFieldRegistry::new(serde_json::from_value(serde_json::json!([
    /// #     {"id": 1, "name": "Notes", "data_type": "Text", "available_on": ["lead"]},
    /// #     {"id": 2, "name": "Size", "data_type": "Float", "available_on": ["lead"]}
    /// # ])).unwrap());
    /// let err = registry.inputs(RecordType::Lead).set("Size", "big").set("Color", "red").build().unwrap_err();
    /// assert!(err.to_string().contains("\"Size\"") && err.to_string().contains("\"Color\""));
    /// ```
    pub fn build(self) -> Result<Vec<types::CustomFieldInput>, Error> {
        if self.problems.is_empty() {
            Ok(self.inputs)
        } else {
            Err(Error::InvalidInput(self.problems.join("; ")))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::FixedOffset;
    use serde_json::json;

    fn registry() -> CustomFieldRegistry {
        CustomFieldRegistry::new(
            serde_json::from_value(json!([
                {"id": 1, "name": "Code", "data_type": "String", "available_on": ["person"]},
                {"id": 2, "name": "Flavor", "data_type": "Dropdown", "available_on": ["person"],
                 "options": [{"id": 10, "name": "Chocolate", "rank": 0}, {"id": 11, "name": "Vanilla", "rank": 1}]},
                {"id": 3, "name": "Fruit", "data_type": "MultiSelect", "available_on": ["person"],
                 "options": [{"id": 20, "name": "Apples", "rank": 0}, {"id": 21, "name": "Bananas", "rank": 1}]},
                {"id": 4, "name": "When", "data_type": "Date", "available_on": ["person"]},
                {"id": 5, "name": "Link", "data_type": "Connect", "available_on": ["person"]},
                {"id": 6, "name": "Formula", "data_type": "Formula", "available_on": ["person"]},
                {"id": 7, "name": "Share", "data_type": "Percentage", "available_on": ["person"]},
                {"id": 8, "name": "Done", "data_type": "Checkbox", "available_on": ["person"]}
            ]))
            .unwrap(),
        )
    }

    #[test]
    fn encodes_every_shape() {
        let r = registry();
        let v = |f: &str, x: InputValue| r.value(f, x).map(|i| i.value.unwrap());
        assert_eq!(v("code", "x".into()).unwrap(), json!("x"));
        assert_eq!(v("Flavor", "vanilla".into()).unwrap(), json!(11));
        assert_eq!(
            v("Flavor", InputValue::option_ids([10])).unwrap(),
            json!(10)
        );
        assert_eq!(
            v("Fruit", ["Bananas", "Apples", "bananas"].into()).unwrap(),
            json!([21, 20])
        );
        assert_eq!(v("Fruit", Vec::<String>::new().into()).unwrap(), json!([]));
        assert_eq!(v("Share", 12.5.into()).unwrap(), json!(12.5));
        assert_eq!(v("Done", true.into()).unwrap(), json!(true));
        assert_eq!(v("Done", None::<bool>.into()).unwrap(), Value::Null);
        let day = NaiveDate::from_ymd_opt(2018, 1, 12).unwrap();
        assert_eq!(v("When", day.into()).unwrap(), json!(1_515_744_000));
        let ny = FixedOffset::west_opt(5 * 3600).unwrap();
        let at_ny = r
            .clone()
            .account_utc_offset(ny)
            .value("When", day)
            .unwrap()
            .value
            .unwrap();
        assert_eq!(at_ny, json!(1_515_733_200));
        assert_eq!(
            v("Formula", json!({"a": 1}).into()).unwrap(),
            json!({"a": 1})
        );
    }

    #[test]
    fn refuses_with_the_field_named() {
        let r = registry();
        let e = |f: &str, x: InputValue| r.value(f, x).unwrap_err().to_string();
        assert!(e("Code", "x".repeat(256).into()).contains("at most 255"));
        assert!(e("Flavor", ["Chocolate", "Vanilla"].into()).contains("exactly one option"));
        assert!(e("Flavor", InputValue::option_ids([99])).contains("no option with id 99"));
        assert!(
            e("Fruit", 3.into())
                .contains("\"Fruit\" is a MultiSelect field and takes option labels")
        );
        assert!(e("When", 1_515_744_000i64.into()).contains("NaiveDate"));
        assert!(e("Link", "x".into()).contains("Connect"));
        assert!(e("Formula", "x".into()).contains("InputValue::Raw"));
        assert!(e("Share", f64::NAN.into()).contains("finite"));
        assert!(e("Done", "yes".into()).contains("true or false"));
        let err = r
            .inputs(RecordType::Person)
            .set("Code", "a")
            .set("code", "b")
            .build()
            .unwrap_err();
        assert!(err.to_string().contains("set twice"), "{err}");
    }

    #[test]
    fn decoded_values_write_back_unchanged() {
        let r = registry();
        let stored = types::CustomField {
            custom_field_definition_id: 3,
            value: json!([21, 20]),
            computed_value: None,
        };
        let decoded = super::super::value::decode(&r, r.get(3).unwrap(), &stored)
            .unwrap()
            .unwrap();
        assert_eq!(r.value(3, decoded).unwrap().value, Some(json!([21, 20])));
    }
}
