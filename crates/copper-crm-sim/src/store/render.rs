//! Rendering records as Copper's JSON, straight to the serializer.

use serde::ser::{Serialize, SerializeMap, SerializeSeq, Serializer};
use serde_json::Value;

use super::schema::{Slot, Ty, View, schema};
use super::state::{CfdRec, DataType, Record, State};
use super::val::Val;
use crate::entity::Kind;

/// The account currency reported as `monetary_unit`.
pub(crate) const ACCOUNT_CURRENCY: &str = "USD";

/// One record rendered with a view.
pub(crate) struct Rendered<'a> {
    pub st: &'a State,
    pub kind: Kind,
    pub rec: &'a Record,
    pub view: &'a View,
    /// Add `computed_value` to each custom field.
    pub computed: bool,
}

impl Serialize for Rendered<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let fields = schema(self.kind).fields;
        let mut m = s.serialize_map(Some(self.view.len()))?;
        for (key, slot) in self.view {
            match *slot {
                Slot::Id => m.serialize_entry(key, &self.rec.id)?,
                Slot::Created => m.serialize_entry(key, &self.rec.created)?,
                Slot::Modified => m.serialize_entry(key, &self.rec.modified)?,
                Slot::CustomFields => m.serialize_entry(
                    key,
                    &CustomFields {
                        st: self.st,
                        kind: self.kind,
                        rec: self.rec,
                        computed: self.computed,
                    },
                )?,
                Slot::Field(i) => {
                    let val = &self.rec.vals[i];
                    match (fields[i].ty, val) {
                        (
                            Ty::Related {
                                never_null: true, ..
                            },
                            Val::Null,
                        ) => m.serialize_entry(key, &NullRef)?,
                        _ => m.serialize_entry(key, val)?,
                    }
                }
                Slot::CompanyName(i) => {
                    let name = self.rec.vals[i]
                        .as_int()
                        .and_then(|cid| self.st.company_name(cid));
                    m.serialize_entry(key, &name)?
                }
                Slot::PipelineType(i) => {
                    let p = self.rec.vals[i]
                        .as_int()
                        .and_then(|id| self.st.pipeline(id));
                    m.serialize_entry(key, &p.map(|p| p.kind.as_str()))?
                }
                Slot::PipelineIsRevenue(i) => {
                    let p = self.rec.vals[i]
                        .as_int()
                        .and_then(|id| self.st.pipeline(id));
                    m.serialize_entry(key, &p.map(|p| p.is_revenue))?
                }
                Slot::MonetaryUnit(i) => {
                    let unit = (!self.rec.vals[i].is_null()).then_some(ACCOUNT_CURRENCY);
                    m.serialize_entry(key, &unit)?
                }
            }
        }
        m.end()
    }
}

struct NullRef;

impl Serialize for NullRef {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut m = s.serialize_map(Some(2))?;
        m.serialize_entry("id", &())?;
        m.serialize_entry("type", &())?;
        m.end()
    }
}

struct CustomFields<'a> {
    st: &'a State,
    kind: Kind,
    rec: &'a Record,
    computed: bool,
}

impl Serialize for CustomFields<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut seq = s.serialize_seq(None)?;
        for def in self.st.cfds.values().filter(|d| d.shown_on(self.kind)) {
            let value = stored_or_default(def, self.rec.custom_value(def.id));
            seq.serialize_element(&CustomFieldOut {
                def,
                value: &value,
                computed: self.computed,
            })?;
        }
        seq.end()
    }
}

/// The value a record shows for a definition: the stored value, or `false` for an unset
/// Checkbox, or null.
pub(crate) fn stored_or_default(def: &CfdRec, stored: Option<&Value>) -> Value {
    match stored {
        Some(v) => v.clone(),
        None if def.data_type == DataType::Checkbox => Value::Bool(false),
        None => Value::Null,
    }
}

struct CustomFieldOut<'a> {
    def: &'a CfdRec,
    value: &'a Value,
    computed: bool,
}

impl Serialize for CustomFieldOut<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut m = s.serialize_map(Some(if self.computed { 3 } else { 2 }))?;
        m.serialize_entry("custom_field_definition_id", &self.def.id)?;
        m.serialize_entry("value", self.value)?;
        if self.computed {
            m.serialize_entry("computed_value", &computed_value(self.def, self.value))?;
        }
        m.end()
    }
}

/// The label form of a value: option names for Dropdown and MultiSelect, the value otherwise.
pub(crate) fn computed_value(def: &CfdRec, value: &Value) -> Value {
    match (def.data_type, value) {
        (DataType::Dropdown, Value::Number(n)) => n
            .as_i64()
            .and_then(|id| def.option(id))
            .map_or(Value::Null, |o| Value::String(o.name.clone())),
        (DataType::MultiSelect, Value::Array(ids)) => Value::Array(
            ids.iter()
                .filter_map(|v| v.as_i64().and_then(|id| def.option(id)))
                .map(|o| Value::String(o.name.clone()))
                .collect(),
        ),
        _ => value.clone(),
    }
}

/// Render one record to a JSON value.
pub(crate) fn to_value(st: &State, kind: Kind, rec: &Record, view: &View, computed: bool) -> Value {
    serde_json::to_value(Rendered {
        st,
        kind,
        rec,
        view,
        computed,
    })
    .unwrap_or(Value::Null)
}
