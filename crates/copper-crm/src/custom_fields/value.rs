//! [`CustomFieldValue`]: a custom field value typed by its definition.

use std::fmt;

use copper_crm_raw::types::{self, CustomFieldDefinition};
use serde_json::Value;

use super::date::CustomDate;
use super::registry::{CustomFieldRegistry, DecodeFrom};
use crate::Error;
use crate::enums::CustomFieldDataType;

/// An option of a Dropdown or MultiSelect field: its id and its label.
///
/// ```
/// use copper_crm::custom_fields::SelectedOption;
/// let o = SelectedOption { id: 167776, label: "Yellow".into() };
/// assert_eq!(o.to_string(), "Yellow");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct SelectedOption {
    /// The option id Copper stores.
    pub id: i64,
    /// The option's label.
    pub label: String,
}

impl fmt::Display for SelectedOption {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.label)
    }
}

/// A custom field value, typed by its definition's `data_type`.
///
/// Unset values (`null`, an empty MultiSelect) decode to `None` rather than
/// to a variant; an unchecked Checkbox is `Checkbox(false)`.
///
/// | `data_type` | variant |
/// |---|---|
/// | `String` (Text Field) | [`Text`](Self::Text) |
/// | `Text` (Text Area) | [`TextArea`](Self::TextArea) |
/// | `URL` | [`Url`](Self::Url) |
/// | `Float` (Number Field) | [`Number`](Self::Number) |
/// | `Currency` | [`Currency`](Self::Currency) |
/// | `Percentage` | [`Percentage`](Self::Percentage) |
/// | `Date` | [`Date`](Self::Date) |
/// | `Checkbox` | [`Checkbox`](Self::Checkbox) |
/// | `Dropdown` | [`Dropdown`](Self::Dropdown) |
/// | `MultiSelect` | [`MultiSelect`](Self::MultiSelect) |
/// | `Connect` | [`Connect`](Self::Connect) |
/// | anything newer | [`Unknown`](Self::Unknown) |
///
/// ```
/// use copper_crm::custom_fields::{CustomFieldValue, SelectedOption};
///
/// let v = CustomFieldValue::Dropdown(SelectedOption { id: 3, label: "Chocolate".into() });
/// assert_eq!(v.to_string(), "Chocolate");
/// assert_eq!(v.labels(), vec!["Chocolate"]);
/// assert_eq!(v.to_json(), serde_json::json!(3)); // what Copper stores
/// let amount = CustomFieldValue::Currency { amount: 1000.0, currency: Some("USD".into()) };
/// assert_eq!(amount.to_string(), "1000.00 USD");
/// ```
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum CustomFieldValue {
    /// A Text Field (`String`), at most 255 characters.
    Text(String),
    /// A Text Area (`Text`).
    TextArea(String),
    /// A `URL`.
    Url(String),
    /// A Number Field (`Float`).
    Number(f64),
    /// A `Currency` amount, in the definition's currency (a 3-letter code).
    Currency {
        /// The amount.
        amount: f64,
        /// The definition's currency code, when it has one.
        currency: Option<String>,
    },
    /// A `Percentage` (`50.0` is 50 %).
    Percentage(f64),
    /// A `Date`.
    Date(CustomDate),
    /// A `Checkbox`.
    Checkbox(bool),
    /// A `Dropdown` option.
    Dropdown(SelectedOption),
    /// The options of a `MultiSelect`, in stored order.
    MultiSelect(Vec<SelectedOption>),
    /// A `Connect` field's value as Copper sent it (links are managed
    /// through the related-links endpoints).
    Connect(Value),
    /// A value of a data type this crate does not know.
    Unknown {
        /// The definition's `data_type`.
        data_type: String,
        /// The stored value as Copper sent it.
        raw: Value,
    },
}

impl CustomFieldValue {
    /// The data type this value belongs to.
    ///
    /// ```
    /// use copper_crm::custom_fields::CustomFieldValue;
    /// use copper_crm::enums::CustomFieldDataType;
    /// assert_eq!(CustomFieldValue::TextArea("x".into()).data_type(), CustomFieldDataType::Text);
    /// ```
    pub fn data_type(&self) -> CustomFieldDataType {
        match self {
            CustomFieldValue::Text(_) => CustomFieldDataType::String,
            CustomFieldValue::TextArea(_) => CustomFieldDataType::Text,
            CustomFieldValue::Url(_) => CustomFieldDataType::Url,
            CustomFieldValue::Number(_) => CustomFieldDataType::Float,
            CustomFieldValue::Currency { .. } => CustomFieldDataType::Currency,
            CustomFieldValue::Percentage(_) => CustomFieldDataType::Percentage,
            CustomFieldValue::Date(_) => CustomFieldDataType::Date,
            CustomFieldValue::Checkbox(_) => CustomFieldDataType::Checkbox,
            CustomFieldValue::Dropdown(_) => CustomFieldDataType::Dropdown,
            CustomFieldValue::MultiSelect(_) => CustomFieldDataType::MultiSelect,
            CustomFieldValue::Connect(_) => CustomFieldDataType::Connect,
            CustomFieldValue::Unknown { data_type, .. } => {
                CustomFieldDataType::from(data_type.as_str())
            }
        }
    }

    /// The text of a Text Field, Text Area or URL.
    ///
    /// ```
    /// # use copper_crm::custom_fields::CustomFieldValue;
    /// assert_eq!(CustomFieldValue::Url("https://x.y".into()).as_text(), Some("https://x.y"));
    /// assert_eq!(CustomFieldValue::Checkbox(true).as_text(), None);
    /// ```
    pub fn as_text(&self) -> Option<&str> {
        match self {
            CustomFieldValue::Text(s)
            | CustomFieldValue::TextArea(s)
            | CustomFieldValue::Url(s) => Some(s),
            _ => None,
        }
    }

    /// The number of a Number, Currency or Percentage field.
    ///
    /// ```
    /// # use copper_crm::custom_fields::CustomFieldValue;
    /// assert_eq!(CustomFieldValue::Percentage(12.5).as_f64(), Some(12.5));
    /// ```
    pub fn as_f64(&self) -> Option<f64> {
        match self {
            CustomFieldValue::Number(x) | CustomFieldValue::Percentage(x) => Some(*x),
            CustomFieldValue::Currency { amount, .. } => Some(*amount),
            _ => None,
        }
    }

    /// The state of a Checkbox.
    ///
    /// ```
    /// # use copper_crm::custom_fields::CustomFieldValue;
    /// assert_eq!(CustomFieldValue::Checkbox(false).as_bool(), Some(false));
    /// ```
    pub fn as_bool(&self) -> Option<bool> {
        match self {
            CustomFieldValue::Checkbox(b) => Some(*b),
            _ => None,
        }
    }

    /// The date of a Date field.
    ///
    /// ```
    /// # use copper_crm::custom_fields::{CustomDate, CustomFieldValue};
    /// let d = CustomDate::from_unix(1_515_744_000).unwrap();
    /// assert_eq!(CustomFieldValue::Date(d).as_date(), Some(&d));
    /// ```
    pub fn as_date(&self) -> Option<&CustomDate> {
        match self {
            CustomFieldValue::Date(d) => Some(d),
            _ => None,
        }
    }

    /// The selected options of a Dropdown (one) or MultiSelect (any).
    ///
    /// ```
    /// # use copper_crm::custom_fields::{CustomFieldValue, SelectedOption};
    /// let v = CustomFieldValue::MultiSelect(vec![SelectedOption { id: 1, label: "A".into() }]);
    /// assert_eq!(v.options()[0].id, 1);
    /// ```
    pub fn options(&self) -> &[SelectedOption] {
        match self {
            CustomFieldValue::Dropdown(o) => std::slice::from_ref(o),
            CustomFieldValue::MultiSelect(os) => os,
            _ => &[],
        }
    }

    /// The labels of the selected options (empty for other types).
    ///
    /// ```
    /// # use copper_crm::custom_fields::{CustomFieldValue, SelectedOption};
    /// let v = CustomFieldValue::MultiSelect(vec![
    ///     SelectedOption { id: 1, label: "Apples".into() },
    ///     SelectedOption { id: 2, label: "Bananas".into() },
    /// ]);
    /// assert_eq!(v.labels(), vec!["Apples", "Bananas"]);
    /// ```
    pub fn labels(&self) -> Vec<&str> {
        self.options().iter().map(|o| o.label.as_str()).collect()
    }

    /// The value in the JSON shape Copper stores and accepts on writes
    /// (option ids, unix seconds, ...).
    ///
    /// ```
    /// # use copper_crm::custom_fields::{CustomDate, CustomFieldValue};
    /// let d = CustomFieldValue::Date(CustomDate::from_unix(1_515_744_000).unwrap());
    /// assert_eq!(d.to_json(), serde_json::json!(1_515_744_000));
    /// ```
    pub fn to_json(&self) -> Value {
        match self {
            CustomFieldValue::Text(s)
            | CustomFieldValue::TextArea(s)
            | CustomFieldValue::Url(s) => Value::String(s.clone()),
            CustomFieldValue::Number(x) | CustomFieldValue::Percentage(x) => Value::from(*x),
            CustomFieldValue::Currency { amount, .. } => Value::from(*amount),
            CustomFieldValue::Date(d) => Value::from(d.unix_seconds()),
            CustomFieldValue::Checkbox(b) => Value::Bool(*b),
            CustomFieldValue::Dropdown(o) => Value::from(o.id),
            CustomFieldValue::MultiSelect(os) => {
                Value::from(os.iter().map(|o| o.id).collect::<Vec<_>>())
            }
            CustomFieldValue::Connect(raw) | CustomFieldValue::Unknown { raw, .. } => raw.clone(),
        }
    }
}

impl fmt::Display for CustomFieldValue {
    /// A short human-readable form: the text, the number, `1000.00 USD`,
    /// `12.5%`, `2018-01-12`, `yes`/`no`, the label(s).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CustomFieldValue::Text(s)
            | CustomFieldValue::TextArea(s)
            | CustomFieldValue::Url(s) => f.write_str(s),
            CustomFieldValue::Number(x) => write!(f, "{x}"),
            CustomFieldValue::Currency {
                amount,
                currency: Some(c),
            } => write!(f, "{amount:.2} {c}"),
            CustomFieldValue::Currency {
                amount,
                currency: None,
            } => write!(f, "{amount:.2}"),
            CustomFieldValue::Percentage(x) => write!(f, "{x}%"),
            CustomFieldValue::Date(d) => write!(f, "{d}"),
            CustomFieldValue::Checkbox(b) => f.write_str(if *b { "yes" } else { "no" }),
            CustomFieldValue::Dropdown(o) => f.write_str(&o.label),
            CustomFieldValue::MultiSelect(os) => f.write_str(
                &os.iter()
                    .map(|o| o.label.as_str())
                    .collect::<Vec<_>>()
                    .join(", "),
            ),
            CustomFieldValue::Connect(raw) | CustomFieldValue::Unknown { raw, .. } => {
                write!(f, "{raw}")
            }
        }
    }
}

/// A decoding failure: the value does not have the shape its definition
/// implies.
fn bad(definition: &CustomFieldDefinition, raw: &Value, what: &str) -> Error {
    Error::Decode {
        operation: "custom_field_value",
        status: None,
        message: format!(
            "custom field {:?} (id {}, {}) {what}",
            definition.name, definition.id, definition.data_type
        ),
        snippet: crate::error::snippet(raw.to_string().as_bytes()),
    }
}

fn number(definition: &CustomFieldDefinition, v: &Value) -> Result<f64, Error> {
    v.as_f64()
        .ok_or_else(|| bad(definition, v, "should hold a number"))
}

fn string(definition: &CustomFieldDefinition, v: &Value) -> Result<String, Error> {
    v.as_str()
        .map(str::to_string)
        .ok_or_else(|| bad(definition, v, "should hold a string"))
}

fn option_id(definition: &CustomFieldDefinition, v: &Value) -> Result<i64, Error> {
    match v {
        Value::Number(n) => n.as_i64().or_else(|| {
            n.as_f64()
                .filter(|x| x.fract() == 0.0 && x.abs() < 9.0e15)
                .map(|x| x as i64)
        }),
        // Option ids as strings appear in some integrations' data; accept the digits only.
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
    .ok_or_else(|| bad(definition, v, "should hold an option id"))
}

fn label_from_registry(
    definition: &CustomFieldDefinition,
    id: i64,
    raw: &Value,
) -> Result<SelectedOption, Error> {
    CustomFieldRegistry::option_by_id(definition, id)
        .map(|o| SelectedOption { id, label: o.name.clone() })
        .ok_or_else(|| {
            bad(
                definition,
                raw,
                &format!("refers to option {id}, which the registry does not know (refresh it with client.custom_fields().registry_for(&record))"),
            )
        })
}

/// Decode one stored value against its definition.
pub(crate) fn decode(
    registry: &CustomFieldRegistry,
    definition: &CustomFieldDefinition,
    field: &types::CustomField,
) -> Result<Option<CustomFieldValue>, Error> {
    let v = &field.value;
    let computed = field.computed_value.as_ref();
    if v.is_null() {
        return Ok(None);
    }
    let value = match CustomFieldRegistry::data_type(definition) {
        CustomFieldDataType::String => CustomFieldValue::Text(string(definition, v)?),
        CustomFieldDataType::Text => CustomFieldValue::TextArea(string(definition, v)?),
        CustomFieldDataType::Url => CustomFieldValue::Url(string(definition, v)?),
        CustomFieldDataType::Float => CustomFieldValue::Number(number(definition, v)?),
        CustomFieldDataType::Percentage => CustomFieldValue::Percentage(number(definition, v)?),
        CustomFieldDataType::Currency => CustomFieldValue::Currency {
            amount: number(definition, v)?,
            currency: definition.currency.clone(),
        },
        CustomFieldDataType::Date => {
            let unix = v
                .as_i64()
                .or_else(|| {
                    v.as_f64()
                        .filter(|x| x.fract() == 0.0 && x.abs() < 9.0e15)
                        .map(|x| x as i64)
                })
                .ok_or_else(|| bad(definition, v, "should hold unix seconds"))?;
            CustomFieldValue::Date(CustomDate::decode(unix, registry.utc_offset())?)
        }
        CustomFieldDataType::Checkbox => CustomFieldValue::Checkbox(
            v.as_bool()
                .ok_or_else(|| bad(definition, v, "should hold true or false"))?,
        ),
        CustomFieldDataType::Dropdown => {
            let id = option_id(definition, v)?;
            let server = computed.filter(|c| !c.is_null());
            match (registry.decoding(), server) {
                (DecodeFrom::Server | DecodeFrom::Auto, Some(Value::String(label))) => {
                    CustomFieldValue::Dropdown(SelectedOption {
                        id,
                        label: label.clone(),
                    })
                }
                (DecodeFrom::Server, Some(other)) => {
                    return Err(bad(
                        definition,
                        other,
                        "has a computed_value that is not a label",
                    ));
                }
                (DecodeFrom::Server, None) => return Err(no_computed(definition, v)),
                _ => CustomFieldValue::Dropdown(label_from_registry(definition, id, v)?),
            }
        }
        CustomFieldDataType::MultiSelect => {
            let items = v
                .as_array()
                .ok_or_else(|| bad(definition, v, "should hold a list of option ids"))?;
            if items.is_empty() {
                return Ok(None);
            }
            let ids = items
                .iter()
                .map(|i| option_id(definition, i))
                .collect::<Result<Vec<_>, _>>()?;
            let labels: Option<Vec<&str>> = computed
                .and_then(Value::as_array)
                .and_then(|a| a.iter().map(Value::as_str).collect::<Option<Vec<_>>>())
                .filter(|labels| labels.len() == ids.len());
            match (registry.decoding(), labels) {
                (DecodeFrom::Server | DecodeFrom::Auto, Some(labels)) => {
                    CustomFieldValue::MultiSelect(
                        ids.into_iter()
                            .zip(labels)
                            .map(|(id, label)| SelectedOption {
                                id,
                                label: label.to_string(),
                            })
                            .collect(),
                    )
                }
                (DecodeFrom::Server, None) => {
                    return Err(match computed {
                        None | Some(Value::Null) => no_computed(definition, v),
                        Some(c) => bad(
                            definition,
                            c,
                            "has a computed_value that is not one label per option id",
                        ),
                    });
                }
                _ => CustomFieldValue::MultiSelect(
                    ids.into_iter()
                        .map(|id| label_from_registry(definition, id, v))
                        .collect::<Result<_, _>>()?,
                ),
            }
        }
        CustomFieldDataType::Connect => CustomFieldValue::Connect(v.clone()),
        CustomFieldDataType::Unknown(data_type) => CustomFieldValue::Unknown {
            data_type,
            raw: v.clone(),
        },
    };
    Ok(Some(value))
}

fn no_computed(definition: &CustomFieldDefinition, v: &Value) -> Error {
    bad(
        definition,
        v,
        "has no computed_value to take the label from: fetch records with \
         .computed_custom_field_values(true) on the client builder, or decode with DecodeFrom::Registry or Auto",
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn registry() -> CustomFieldRegistry {
        CustomFieldRegistry::new(
            serde_json::from_value(json!([
                {"id": 1, "name": "T", "data_type": "String", "available_on": ["person"]},
                {"id": 2, "name": "Flavor", "data_type": "Dropdown", "available_on": ["person"],
                 "options": [{"id": 10, "name": "Chocolate", "rank": 0}, {"id": 11, "name": "Vanilla", "rank": 1}]},
                {"id": 3, "name": "Fruit", "data_type": "MultiSelect", "available_on": ["person"],
                 "options": [{"id": 20, "name": "Apples", "rank": 0}, {"id": 21, "name": "Bananas", "rank": 1}]},
                {"id": 4, "name": "Price", "data_type": "Currency", "currency": "CAD", "available_on": ["person"]},
                {"id": 5, "name": "Formula", "data_type": "Formula", "available_on": ["person"]},
                {"id": 6, "name": "When", "data_type": "Date", "available_on": ["person"]},
                {"id": 7, "name": "Link", "data_type": "Connect", "available_on": ["person"]}
            ]))
            .unwrap(),
        )
    }

    fn field(id: i64, value: Value, computed: Option<Value>) -> types::CustomField {
        types::CustomField {
            custom_field_definition_id: id,
            value,
            computed_value: computed,
        }
    }

    fn dec(
        r: &CustomFieldRegistry,
        f: &types::CustomField,
    ) -> Result<Option<CustomFieldValue>, Error> {
        decode(r, r.get(f.custom_field_definition_id).unwrap(), f)
    }

    #[test]
    fn labels_from_server_or_registry() {
        let r = registry();
        let f = field(2, json!(11), Some(json!("Vanilla (server)")));
        let server = dec(&r.clone().decode_from(DecodeFrom::Server), &f)
            .unwrap()
            .unwrap();
        assert_eq!(server.labels(), vec!["Vanilla (server)"]);
        let local = dec(&r.clone().decode_from(DecodeFrom::Registry), &f)
            .unwrap()
            .unwrap();
        assert_eq!(local.labels(), vec!["Vanilla"]);
        assert_eq!(
            dec(&r, &f).unwrap().unwrap().labels(),
            vec!["Vanilla (server)"]
        );

        let plain = field(3, json!([21, 20]), None);
        assert_eq!(
            dec(&r, &plain).unwrap().unwrap().labels(),
            vec!["Bananas", "Apples"]
        );
        let e = dec(&r.clone().decode_from(DecodeFrom::Server), &plain)
            .unwrap_err()
            .to_string();
        assert!(e.contains("computed_custom_field_values"), "{e}");
        // A computed list that does not line up falls back to the registry in Auto mode.
        let odd = field(3, json!([21, 20]), Some(json!(["Bananas"])));
        assert_eq!(
            dec(&r, &odd).unwrap().unwrap().labels(),
            vec!["Bananas", "Apples"]
        );
        assert!(dec(&r.clone().decode_from(DecodeFrom::Server), &odd).is_err());
    }

    #[test]
    fn unset_shapes_and_errors() {
        let r = registry();
        assert_eq!(
            dec(&r, &field(3, json!([]), Some(json!([])))).unwrap(),
            None
        );
        assert_eq!(dec(&r, &field(1, Value::Null, None)).unwrap(), None);
        let e = dec(&r, &field(2, json!(99), None)).unwrap_err();
        assert!(
            matches!(&e, Error::Decode { snippet, .. } if snippet == "99"),
            "{e}"
        );
        assert!(e.to_string().contains("option 99"));
        let e = dec(&r, &field(1, json!(5), None)).unwrap_err().to_string();
        assert!(e.contains("\"T\"") && e.contains("string"), "{e}");
        assert_eq!(
            dec(&r, &field(4, json!(12.5), None)).unwrap().unwrap(),
            CustomFieldValue::Currency {
                amount: 12.5,
                currency: Some("CAD".into())
            }
        );
        assert_eq!(
            dec(&r, &field(5, json!({"x": 1}), None)).unwrap().unwrap(),
            CustomFieldValue::Unknown {
                data_type: "Formula".into(),
                raw: json!({"x": 1})
            }
        );
        let link = json!([{"id": 5, "entity_type": "people"}]);
        let connect = dec(&r, &field(7, link.clone(), None)).unwrap().unwrap();
        assert_eq!(connect, CustomFieldValue::Connect(link.clone()));
        assert_eq!(
            (connect.data_type(), connect.to_json()),
            (CustomFieldDataType::Connect, link)
        );
        let d = dec(&r, &field(6, json!(1_515_744_000), None))
            .unwrap()
            .unwrap();
        assert_eq!(d.to_string(), "2018-01-12");
        assert_eq!(d.to_json(), json!(1_515_744_000));
    }
}
