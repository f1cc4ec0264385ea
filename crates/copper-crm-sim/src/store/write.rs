//! Applying a create or update body to a record: unknown attributes, type checks, reference
//! checks and custom field values. Entity-specific rules live in [`crate::store::rules`].

use serde_json::{Map, Value};

use super::dates::{format_close_date, parse_close_date};
use super::schema::{Access, FieldDef, Ty, schema};
use super::state::{DataType, Record, State};
use super::val::{Address, Category, Contact, ContactKind, RecordRef, Val};
use crate::entity::Kind;
use crate::error::{ApiError, FieldErrors};

/// Whether a body creates a record or updates one.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Mode {
    Create,
    Update,
}

/// Why a body could not be applied.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum WriteError {
    Unrecognized(Vec<String>),
    Invalid(FieldErrors),
}

impl From<WriteError> for ApiError {
    fn from(e: WriteError) -> ApiError {
        match e {
            WriteError::Unrecognized(names) => ApiError::Unrecognized(names),
            WriteError::Invalid(errors) => ApiError::Invalid(errors),
        }
    }
}

impl From<FieldErrors> for WriteError {
    fn from(e: FieldErrors) -> WriteError {
        WriteError::Invalid(e)
    }
}

impl WriteError {
    /// The bulk-item `message` object.
    pub(crate) fn by_field(&self) -> Map<String, Value> {
        match self {
            WriteError::Invalid(errors) => errors.by_field(),
            WriteError::Unrecognized(names) => {
                let mut errors = FieldErrors::default();
                for name in names {
                    errors.push(name.clone(), "unrecognized attribute");
                }
                errors.by_field()
            }
        }
    }
}

/// Which fields a body wrote.
#[derive(Clone, Debug, Default)]
pub(crate) struct Applied {
    pub touched: Vec<&'static str>,
    pub custom_touched: bool,
}

impl Applied {
    pub(crate) fn has(&self, name: &str) -> bool {
        self.touched.contains(&name)
    }
}

/// Apply `body` to `rec`: every writable attribute present is replaced (`null` clears), the rest
/// is left alone. Nothing is applied when anything fails.
pub(crate) fn apply(
    st: &State,
    kind: Kind,
    rec: &mut Record,
    body: &Map<String, Value>,
    mode: Mode,
) -> Result<Applied, WriteError> {
    let s = schema(kind);
    let unknown: Vec<String> = body.keys().filter(|k| !s.knows(k)).cloned().collect();
    if !unknown.is_empty() {
        return Err(WriteError::Unrecognized(unknown));
    }
    let mut errors = FieldErrors::default();
    let mut applied = Applied::default();
    let mut next = rec.clone();
    for (key, value) in body {
        if key == "custom_fields" {
            match parse_custom_fields(st, kind, value) {
                Ok(values) => {
                    for (def_id, v) in values {
                        next.set_custom(def_id, v);
                    }
                    applied.custom_touched = true;
                }
                Err(e) => errors.0.extend(e.0),
            }
            continue;
        }
        let Some(i) = s.find(key) else { continue };
        let field = &s.fields[i];
        let writable = match field.access {
            Access::Write => true,
            Access::CreateOnly => mode == Mode::Create,
            Access::ReadOnly | Access::Internal => false,
        };
        if !writable {
            continue;
        }
        match parse_value(st, field, value) {
            Ok(v) => {
                next.vals[i] = v;
                applied.touched.push(field.name);
            }
            Err(msg) => errors.push(key.clone(), msg),
        }
    }
    if !errors.is_empty() {
        return Err(WriteError::Invalid(errors));
    }
    *rec = next;
    Ok(applied)
}

fn int_of(v: &Value) -> Option<i64> {
    match v {
        Value::Number(n) => n
            .as_i64()
            .or_else(|| n.as_f64().filter(|f| f.fract() == 0.0).map(|f| f as i64)),
        _ => None,
    }
}

/// An integer id, also from a string of digits (the company create sample sends one).
pub(crate) fn id_of(v: &Value) -> Option<i64> {
    match v {
        Value::String(s) if !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit()) => {
            s.parse().ok()
        }
        other => int_of(other),
    }
}

/// Parse one attribute value for a field.
pub(crate) fn parse_value(st: &State, field: &FieldDef, v: &Value) -> Result<Val, String> {
    match field.ty {
        Ty::Name => match v {
            Value::String(s) if !s.trim().is_empty() => Ok(Val::str(s.trim())),
            Value::String(_) | Value::Null => Err("can't be blank".into()),
            _ => Err("must be a string".into()),
        },
        Ty::Text => match v {
            Value::Null => Ok(Val::Null),
            Value::String(s) => Ok(Val::str(s)),
            _ => Err("must be a string or null".into()),
        },
        Ty::Id(r) => match v {
            Value::Null => Ok(Val::Null),
            other => {
                let id = id_of(other).ok_or("must be an integer id or null")?;
                if st.ref_exists(r, id) {
                    Ok(Val::Int(id))
                } else {
                    Err(format!("refers to an unknown {} {id}", r.noun()))
                }
            }
        },
        Ty::Count => int_of(v)
            .map(Val::Int)
            .ok_or_else(|| "must be an integer".into()),
        Ty::Number => match v {
            Value::Null => Ok(Val::Null),
            Value::Number(n) => Ok(Val::Num(n.clone())),
            _ => Err("must be a number or null".into()),
        },
        Ty::Time => match v {
            Value::Null => Ok(Val::Null),
            other => int_of(other)
                .map(Val::Int)
                .ok_or_else(|| "must be a unix timestamp in seconds or null".into()),
        },
        Ty::Choice(set) | Ty::NullableChoice(set) => match v {
            Value::Null if matches!(field.ty, Ty::NullableChoice(_)) => Ok(Val::Null),
            Value::Null => Err("can't be blank".into()),
            Value::String(s) => set
                .iter()
                .find(|c| c.eq_ignore_ascii_case(s))
                .map(|c| Val::str(c))
                .ok_or_else(|| format!("must be one of {}", set.join(", "))),
            _ => Err(format!("must be one of {}", set.join(", "))),
        },
        Ty::Percent => match int_of(v) {
            Some(p) if (0..=100).contains(&p) => Ok(Val::Int(p)),
            _ => Err("must be an integer from 0 to 100".into()),
        },
        Ty::Tags => match v {
            Value::Null => Ok(Val::Strs(Box::default())),
            Value::Array(items) => {
                let mut tags: Vec<super::val::Text> = Vec::with_capacity(items.len());
                for item in items {
                    let Value::String(s) = item else {
                        return Err("must be a list of strings".into());
                    };
                    let t = s.trim();
                    if !t.is_empty() && !tags.iter().any(|x| &**x == t) {
                        tags.push(t.into());
                    }
                }
                Ok(Val::Strs(tags.into()))
            }
            _ => Err("must be a list of strings".into()),
        },
        Ty::Contacts(kind) => match v {
            Value::Null => Ok(Val::Contacts(Box::default())),
            Value::Array(items) => items
                .iter()
                .map(|item| parse_contact(kind, item))
                .collect::<Result<Vec<_>, _>>()
                .map(|c| Val::Contacts(c.into())),
            _ => Err(format!(
                "must be a list of {{{}, category}} objects",
                kind.key()
            )),
        },
        Ty::LeadEmail => match v {
            Value::Null => Ok(Val::Null),
            other => parse_contact(ContactKind::Email, other).map(|c| Val::Contact(Box::new(c))),
        },
        Ty::Address => match v {
            Value::Null => Ok(Val::Null),
            Value::Object(map) => {
                let mut a = Address::default();
                for (k, part) in map {
                    let slot = a
                        .part_mut(k)
                        .ok_or_else(|| format!("has an unknown attribute {k}"))?;
                    *slot = match part {
                        Value::Null => None,
                        Value::String(s) => Some(s.as_str().into()),
                        _ => return Err(format!("{k} must be a string or null")),
                    };
                }
                Ok(Val::Address(Box::new(a)))
            }
            _ => Err("must be an address object or null".into()),
        },
        Ty::Related { kinds, .. } => match v {
            Value::Null => Ok(Val::Null),
            Value::Object(map) => {
                let id = map.get("id").unwrap_or(&Value::Null);
                let ty = map.get("type").unwrap_or(&Value::Null);
                if id.is_null() && ty.is_null() {
                    return Ok(Val::Null);
                }
                let allowed = || {
                    kinds
                        .iter()
                        .map(|k| k.singular())
                        .collect::<Vec<_>>()
                        .join(", ")
                };
                let kind = ty
                    .as_str()
                    .and_then(Kind::from_singular)
                    .filter(|k| kinds.contains(k))
                    .ok_or_else(|| format!("type must be one of {}", allowed()))?;
                let id = id_of(id).ok_or("id must be an integer")?;
                let r = RecordRef { kind, id };
                if st.exists(r) {
                    Ok(Val::Ref(r))
                } else {
                    Err(format!("refers to an unknown {} {id}", kind.singular()))
                }
            }
            _ => Err("must be an {id, type} object or null".into()),
        },
        Ty::CloseDate => match v {
            Value::Null => Ok(Val::Null),
            Value::String(s) => parse_close_date(s)
                .map(|d| Val::Str(format_close_date(d).into()))
                .ok_or_else(|| "must be a date string like 1/23/2017 (M/D/YYYY)".into()),
            _ => Err("must be a date string like 1/23/2017 (M/D/YYYY) or null".into()),
        },
        Ty::ActivityParent => {
            let Value::Object(map) = v else {
                return Err("must be an {id, type} object".into());
            };
            let kind = map
                .get("type")
                .and_then(Value::as_str)
                .and_then(Kind::from_singular)
                .filter(|k| *k != Kind::Activity)
                .ok_or("type must be one of lead, person, company, opportunity, project, task")?;
            let id = map
                .get("id")
                .and_then(id_of)
                .ok_or("id must be an integer")?;
            let r = RecordRef { kind, id };
            if st.exists(r) {
                Ok(Val::Ref(r))
            } else {
                Err(format!("refers to an unknown {} {id}", kind.singular()))
            }
        }
        Ty::ActivityType => {
            let Value::Object(map) = v else {
                return Err("must be an {id, category} object".into());
            };
            let id = map
                .get("id")
                .and_then(id_of)
                .ok_or("id must be an integer")?;
            match map.get("category").and_then(Value::as_str) {
                Some("user") => {}
                Some("system") => return Err("only user activity types can be written".into()),
                _ => return Err("category must be user".into()),
            }
            if id == 0 {
                return Ok(Val::TypeRef(0, Category::User));
            }
            match st.cats.get(&id) {
                Some(c) if c.is_disabled => Err(format!("activity type {id} is disabled")),
                Some(_) => Ok(Val::TypeRef(id, Category::User)),
                None => Err(format!("refers to an unknown activity type {id}")),
            }
        }
        Ty::LeadStatusName => match v {
            Value::String(s) => st
                .lead_statuses
                .iter()
                .find(|x| x.name.eq_ignore_ascii_case(s))
                .map(|x| Val::str(&x.name))
                .ok_or_else(|| {
                    let names: Vec<&str> =
                        st.lead_statuses.iter().map(|x| x.name.as_str()).collect();
                    format!("must be one of {}", names.join(", "))
                }),
            Value::Null => Err("can't be blank".into()),
            _ => Err("must be a lead status name".into()),
        },
        Ty::List => match v {
            Value::Array(_) => Ok(Val::Json(Box::new(v.clone()))),
            _ => Err("must be a list".into()),
        },
        Ty::Json => Ok(if v.is_null() {
            Val::Null
        } else {
            Val::Json(Box::new(v.clone()))
        }),
    }
}

fn valid_email(s: &str) -> bool {
    let mut parts = s.split('@');
    match (parts.next(), parts.next(), parts.next()) {
        (Some(local), Some(domain), None) => {
            !local.is_empty()
                && domain.contains('.')
                && !domain.starts_with('.')
                && !domain.ends_with('.')
                && !s.chars().any(char::is_whitespace)
        }
        _ => false,
    }
}

fn parse_contact(kind: ContactKind, v: &Value) -> Result<Contact, String> {
    let key = kind.key();
    let Value::Object(map) = v else {
        return Err(format!("entries must be {{{key}, category}} objects"));
    };
    if let Some(extra) = map.keys().find(|k| *k != key && *k != "category") {
        return Err(format!("entries have an unknown attribute {extra}"));
    }
    let value = match map.get(key) {
        Some(Value::String(s)) if !s.trim().is_empty() => s.trim(),
        _ => return Err(format!("{key} can't be blank")),
    };
    if kind == ContactKind::Email && !valid_email(value) {
        return Err(format!("{value:?} is not a valid email address"));
    }
    let category = match map.get("category") {
        None | Some(Value::Null) => kind.default_category(),
        Some(Value::String(c)) => kind
            .categories()
            .iter()
            .find(|x| x.eq_ignore_ascii_case(c))
            .copied()
            .ok_or_else(|| format!("category must be one of {}", kind.categories().join(", ")))?,
        Some(_) => return Err("category must be a string".into()),
    };
    Ok(Contact {
        kind,
        value: value.into(),
        category,
    })
}

/// Parse a `custom_fields` input list into `(definition id, value)` pairs (`Null` clears).
pub(crate) fn parse_custom_fields(
    st: &State,
    kind: Kind,
    v: &Value,
) -> Result<Vec<(i64, Value)>, FieldErrors> {
    const FIELD: &str = "custom_fields";
    let Value::Array(items) = v else {
        return Err(FieldErrors::one(
            FIELD,
            "must be a list of {custom_field_definition_id, value} objects",
        ));
    };
    let mut errors = FieldErrors::default();
    let mut out = Vec::with_capacity(items.len());
    for item in items {
        let Some(map) = item.as_object() else {
            errors.push(
                FIELD,
                "entries must be {custom_field_definition_id, value} objects",
            );
            continue;
        };
        let Some(def_id) = map.get("custom_field_definition_id").and_then(id_of) else {
            errors.push(FIELD, "entries need an integer custom_field_definition_id");
            continue;
        };
        let Some(def) = st.cfds.get(&def_id) else {
            errors.push(
                FIELD,
                format!("refer to an unknown custom field definition {def_id}"),
            );
            continue;
        };
        if !def.shown_on(kind) {
            let why = if def.data_type == DataType::Connect {
                "is a Connect field; use /related_links"
            } else {
                "is not available on this record type"
            };
            errors.push(
                FIELD,
                format!("custom field definition {def_id} ({}) {why}", def.name),
            );
            continue;
        }
        let value = map.get("value").unwrap_or(&Value::Null);
        match check_custom_value(def, value) {
            Ok(v) => out.push((def_id, v)),
            Err(msg) => errors.push(FIELD, format!("value of {def_id} ({}) {msg}", def.name)),
        }
    }
    if errors.is_empty() {
        Ok(out)
    } else {
        Err(errors)
    }
}

/// Check a custom field value against its definition; returns the value to store.
pub(crate) fn check_custom_value(
    def: &super::state::CfdRec,
    value: &Value,
) -> Result<Value, String> {
    if value.is_null() {
        return Ok(Value::Null);
    }
    match def.data_type {
        DataType::String => match value {
            Value::String(s) if s.chars().count() <= 255 => Ok(value.clone()),
            Value::String(_) => Err("must be at most 255 characters".into()),
            _ => Err("must be a string".into()),
        },
        DataType::Text | DataType::Url => match value {
            Value::String(_) => Ok(value.clone()),
            _ => Err("must be a string".into()),
        },
        DataType::Dropdown => {
            let id = id_of(value).ok_or("must be an option id")?;
            if def.option(id).is_some() {
                Ok(Value::from(id))
            } else {
                Err(format!("has no option {id}"))
            }
        }
        DataType::MultiSelect => {
            let Value::Array(items) = value else {
                return Err("must be a list of option ids".into());
            };
            let mut ids: Vec<i64> = Vec::with_capacity(items.len());
            for item in items {
                let id = id_of(item).ok_or("must be a list of option ids")?;
                if def.option(id).is_none() {
                    return Err(format!("has no option {id}"));
                }
                if !ids.contains(&id) {
                    ids.push(id);
                }
            }
            Ok(Value::from(ids))
        }
        DataType::Date => int_of(value)
            .map(Value::from)
            .ok_or_else(|| "must be a unix timestamp in seconds".into()),
        DataType::Checkbox => match value {
            Value::Bool(_) => Ok(value.clone()),
            _ => Err("must be true or false".into()),
        },
        DataType::Float | DataType::Percentage | DataType::Currency => match value {
            Value::Number(_) => Ok(value.clone()),
            _ => Err("must be a number".into()),
        },
        DataType::Connect => Err("is a Connect field; use /related_links".into()),
    }
}
