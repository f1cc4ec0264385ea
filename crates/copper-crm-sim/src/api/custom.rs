//! Custom field definitions and custom activity types.

use serde_json::{Map, Value, json};

use super::{ApiResult, Sim, body_object, path_id};
use crate::entity::{Entity, Kind};
use crate::error::{ApiError, FieldErrors};
use crate::shared::Reply;
use crate::store::state::{CatRec, CfOption, CfdRec, DataType, State};

/// The icon types a custom activity type may have.
pub(crate) const ICON_TYPES: &[&str] = &[
    "Message",
    "Phone",
    "Event",
    "Assignment",
    "Assessment",
    "Group",
    "Description",
    "Speaker Notes",
    "Forum",
    "Web",
    "Loyalty",
    "Content Paste",
    "Headset",
    "Share",
    "Navigation",
    "Notification",
    "Voicemail",
    "Room",
    "Edit",
    "Send",
    "Videocam",
    "Play Arrow",
    "Grocery Store",
    "Mic",
    "Camera Mic",
    "Todo",
];

pub(crate) fn cfd_json(d: &CfdRec) -> Value {
    let mut v = json!({
        "id": d.id,
        "name": d.name,
        "canonical_name": d.canonical_name,
        "data_type": d.data_type.name(),
        "available_on": d.available_on.iter().map(|k| k.singular()).collect::<Vec<_>>(),
        "is_filterable": d.is_filterable,
    });
    if d.data_type.has_options() {
        v["options"] = d
            .options
            .iter()
            .map(|o| json!({"id": o.id, "name": o.name, "rank": o.rank}))
            .collect();
    }
    if d.data_type == DataType::Currency {
        v["currency"] = json!(d.currency);
    }
    v
}

pub(crate) fn cat_json(st: &State, c: &CatRec) -> Value {
    json!({
        "id": c.id,
        "company_id": st.account.id,
        "icon_type": c.icon_type,
        "is_disabled": c.is_disabled,
        "is_interaction": c.is_interaction,
        "name": c.name,
        "is_default_task_type": c.is_default_task_type,
    })
}

fn unknown_keys(body: &Map<String, Value>, allowed: &[&str]) -> Result<(), ApiError> {
    let unknown: Vec<String> = body
        .keys()
        .filter(|k| !allowed.contains(&k.as_str()))
        .cloned()
        .collect();
    if unknown.is_empty() {
        Ok(())
    } else {
        Err(ApiError::Unrecognized(unknown))
    }
}

const CFD_KEYS: &[&str] = &[
    "id",
    "name",
    "canonical_name",
    "data_type",
    "available_on",
    "is_filterable",
    "options",
    "currency",
];

/// `GET /custom_field_definitions`.
pub(crate) fn cfd_list(sim: &Sim) -> ApiResult {
    let st = sim.state.read();
    let v: Vec<Value> = st.cfds.values().map(cfd_json).collect();
    Ok(Reply::json(&v))
}

/// `GET /custom_field_definitions/{id}`.
pub(crate) fn cfd_get(sim: &Sim, id: &str) -> ApiResult {
    let id = path_id(id)?;
    let st = sim.state.read();
    st.cfds
        .get(&id)
        .map(|d| Reply::json(&cfd_json(d)))
        .ok_or(ApiError::NotFound)
}

fn parse_available_on(v: &Value, errors: &mut FieldErrors) -> Vec<Kind> {
    let mut out = Vec::new();
    match v {
        Value::Null => {}
        Value::Array(items) => {
            for item in items {
                match item
                    .as_str()
                    .and_then(Kind::from_singular)
                    .filter(|k| *k != Kind::Activity)
                {
                    Some(k) if !out.contains(&k) => out.push(k),
                    Some(_) => {}
                    None => errors.push(
                        "available_on",
                        format!(
                            "has {item}; use lead, person, company, opportunity, project or task"
                        ),
                    ),
                }
            }
        }
        _ => errors.push("available_on", "must be a list of record types"),
    }
    out
}

/// The option names of an `options` input, in order.
fn option_names(v: &Value, errors: &mut FieldErrors) -> Vec<(Option<i64>, String)> {
    let mut out: Vec<(Option<i64>, String)> = Vec::new();
    let Value::Array(items) = v else {
        errors.push("options", "must be a list of {name} objects");
        return out;
    };
    for item in items {
        let name = item.get("name").and_then(Value::as_str).map(str::trim);
        match name {
            Some(n) if !n.is_empty() => {
                if out.iter().any(|(_, x)| x.eq_ignore_ascii_case(n)) {
                    errors.push("options", format!("list {n} twice"));
                } else {
                    out.push((item.get("id").and_then(Value::as_i64), n.to_string()));
                }
            }
            _ => errors.push("options", "entries need a name"),
        }
    }
    out
}

fn check_option_count(data_type: DataType, n: usize, errors: &mut FieldErrors) {
    match data_type {
        DataType::Dropdown if n < 1 => errors.push("options", "a Dropdown needs at least 1 option"),
        DataType::MultiSelect if n < 2 => {
            errors.push("options", "a MultiSelect needs at least 2 options")
        }
        _ => {}
    }
}

fn parse_currency(v: &Value, errors: &mut FieldErrors) -> Option<String> {
    match v.as_str() {
        Some(c) if c.len() == 3 && c.chars().all(|x| x.is_ascii_alphabetic()) => {
            Some(c.to_ascii_uppercase())
        }
        _ => {
            errors.push(
                "currency",
                "must be a 3-letter ISO currency code such as USD",
            );
            None
        }
    }
}

fn name_taken(st: &State, name: &str, except: i64) -> bool {
    st.cfds
        .values()
        .any(|d| d.id != except && d.name.eq_ignore_ascii_case(name))
}

/// `POST /custom_field_definitions`.
pub(crate) fn cfd_create(sim: &Sim, body: &[u8]) -> ApiResult {
    let body = body_object(body)?;
    unknown_keys(&body, CFD_KEYS)?;
    sim.write(|st| {
        let mut errors = FieldErrors::default();
        let name = match body.get("name").and_then(Value::as_str).map(str::trim) {
            Some(n) if !n.is_empty() => n.to_string(),
            _ => {
                errors.push("name", "can't be blank");
                String::new()
            }
        };
        if !name.is_empty() && name_taken(st, &name, 0) {
            errors.push("name", format!("{name} is already taken"));
        }
        let data_type = match body
            .get("data_type")
            .and_then(Value::as_str)
            .and_then(DataType::parse)
        {
            Some(DataType::Connect) => {
                errors.push("data_type", "Connect fields cannot be created through the API");
                None
            }
            Some(d) => Some(d),
            None => {
                errors.push(
                    "data_type",
                    "must be one of Checkbox, Currency, Date, Dropdown, Float, MultiSelect, Percentage, String, Text, URL",
                );
                None
            }
        };
        let available_on = parse_available_on(body.get("available_on").unwrap_or(&Value::Null), &mut errors);
        let is_filterable = match body.get("is_filterable") {
            None | Some(Value::Null) => false,
            Some(Value::Bool(b)) => *b,
            Some(_) => {
                errors.push("is_filterable", "must be true or false");
                false
            }
        };
        let canonical_name = match body.get("canonical_name") {
            None | Some(Value::Null) => None,
            Some(Value::String(s)) => Some(s.trim().to_lowercase()),
            Some(_) => {
                errors.push("canonical_name", "must be a string");
                None
            }
        };
        let mut options = Vec::new();
        let mut currency = None;
        if let Some(dt) = data_type {
            let given = body.get("options").filter(|v| !v.is_null());
            if dt.has_options() {
                let names = given.map(|v| option_names(v, &mut errors)).unwrap_or_default();
                check_option_count(dt, names.len(), &mut errors);
                options = names
                    .into_iter()
                    .enumerate()
                    .map(|(rank, (_, name))| (rank as i64, name))
                    .collect::<Vec<_>>();
            } else if given.is_some_and(|v| v.as_array().is_none_or(|a| !a.is_empty())) {
                errors.push("options", "are only allowed for Dropdown and MultiSelect fields");
            }
            match (dt, body.get("currency").filter(|v| !v.is_null())) {
                (DataType::Currency, Some(c)) => currency = parse_currency(c, &mut errors),
                (DataType::Currency, None) => currency = Some("USD".to_string()),
                (_, Some(_)) => errors.push("currency", "is only allowed for Currency fields"),
                (_, None) => {}
            }
        }
        let data_type = match data_type {
            Some(d) if errors.is_empty() => d,
            _ => return Err(ApiError::Invalid(errors)),
        };
        let options = options
            .into_iter()
            .map(|(rank, name)| CfOption {
                id: st.next_option_id(),
                name,
                rank,
            })
            .collect();
        let id = st.next_id(Entity::CustomFieldDefinition);
        let def = CfdRec {
            id,
            name,
            canonical_name,
            data_type,
            available_on,
            is_filterable,
            options,
            currency,
        };
        let v = cfd_json(&def);
        st.cfds.insert(id, def);
        st.wrote(Entity::CustomFieldDefinition, id);
        Ok(Reply::json(&v))
    })
}

/// `PUT /custom_field_definitions/{id}`: sending `options` replaces the list (options keep
/// their id when sent with it or with an unchanged name); values that refer to removed options,
/// or sit on record types no longer in `available_on`, are cleared.
pub(crate) fn cfd_update(sim: &Sim, id: &str, body: &[u8]) -> ApiResult {
    let id = path_id(id)?;
    let body = body_object(body)?;
    unknown_keys(&body, CFD_KEYS)?;
    sim.write(|st| {
        let mut def = st.cfds.get(&id).cloned().ok_or(ApiError::NotFound)?;
        let mut errors = FieldErrors::default();
        if let Some(v) = body.get("name") {
            match v.as_str().map(str::trim) {
                Some(n) if !n.is_empty() && name_taken(st, n, id) => {
                    errors.push("name", format!("{n} is already taken"))
                }
                Some(n) if !n.is_empty() => def.name = n.to_string(),
                _ => errors.push("name", "can't be blank"),
            }
        }
        if let Some(v) = body.get("data_type").filter(|v| !v.is_null())
            && v.as_str() != Some(def.data_type.name())
        {
            errors.push("data_type", "cannot be changed");
        }
        if let Some(v) = body.get("available_on") {
            def.available_on = parse_available_on(v, &mut errors);
        }
        match body.get("is_filterable") {
            None => {}
            Some(Value::Bool(b)) => def.is_filterable = *b,
            Some(_) => errors.push("is_filterable", "must be true or false"),
        }
        match body.get("canonical_name") {
            None => {}
            Some(Value::Null) => def.canonical_name = None,
            Some(Value::String(s)) => def.canonical_name = Some(s.trim().to_lowercase()),
            Some(_) => errors.push("canonical_name", "must be a string"),
        }
        let mut new_options = None;
        if let Some(v) = body.get("options").filter(|v| !v.is_null()) {
            if def.data_type.has_options() {
                let names = option_names(v, &mut errors);
                check_option_count(def.data_type, names.len(), &mut errors);
                new_options = Some(names);
            } else {
                errors.push(
                    "options",
                    "are only allowed for Dropdown and MultiSelect fields",
                );
            }
        }
        if let Some(v) = body.get("currency").filter(|v| !v.is_null()) {
            if def.data_type == DataType::Currency {
                def.currency = parse_currency(v, &mut errors);
            } else {
                errors.push("currency", "is only allowed for Currency fields");
            }
        }
        if !errors.is_empty() {
            return Err(ApiError::Invalid(errors));
        }
        if let Some(names) = new_options {
            let old = std::mem::take(&mut def.options);
            for (rank, (given_id, name)) in names.into_iter().enumerate() {
                let keep = old
                    .iter()
                    .find(|o| Some(o.id) == given_id)
                    .or_else(|| old.iter().find(|o| o.name.eq_ignore_ascii_case(&name)))
                    .map(|o| o.id)
                    .filter(|oid| !def.options.iter().any(|o| o.id == *oid));
                let oid = match keep {
                    Some(oid) => oid,
                    None => st.next_option_id(),
                };
                def.options.push(CfOption {
                    id: oid,
                    name,
                    rank: rank as i64,
                });
            }
        }
        let v = cfd_json(&def);
        st.cfds.insert(id, def.clone());
        clean_values(st, &def);
        st.wrote(Entity::CustomFieldDefinition, id);
        Ok(Reply::json(&v))
    })
}

/// Clear stored values that no longer fit a definition.
fn clean_values(st: &mut State, def: &CfdRec) {
    for kind in Kind::CORE {
        let shown = def.shown_on(kind);
        for rec in st.tables[kind.index()].rows.values_mut() {
            let Some(v) = rec.custom_value(def.id).cloned() else {
                continue;
            };
            let fixed = if !shown {
                Value::Null
            } else {
                match (def.data_type, v) {
                    (DataType::Dropdown, Value::Number(n)) => {
                        if n.as_i64().and_then(|id| def.option(id)).is_some() {
                            continue;
                        }
                        Value::Null
                    }
                    (DataType::MultiSelect, Value::Array(ids)) => {
                        let kept: Vec<Value> = ids
                            .iter()
                            .filter(|x| x.as_i64().and_then(|id| def.option(id)).is_some())
                            .cloned()
                            .collect();
                        if kept.len() == ids.len() {
                            continue;
                        }
                        Value::Array(kept)
                    }
                    _ => continue,
                }
            };
            rec.set_custom(def.id, fixed);
        }
    }
}

/// `DELETE /custom_field_definitions/{id}`: `{id, is_deleted: true}`; values and connect
/// links of the definition go with it.
pub(crate) fn cfd_delete(sim: &Sim, id: &str) -> ApiResult {
    let id = path_id(id)?;
    sim.write(|st| {
        let def = st.cfds.remove(&id).ok_or(ApiError::NotFound)?;
        for kind in Kind::CORE {
            for rec in st.tables[kind.index()].rows.values_mut() {
                rec.set_custom(def.id, Value::Null);
            }
        }
        st.links.retain(|_, l| l.cfd_id != id);
        st.wrote(Entity::CustomFieldDefinition, id);
        Ok(Reply::json(&json!({"id": id, "is_deleted": true})))
    })
}

/// `GET /custom_activity_types`.
pub(crate) fn cat_list(sim: &Sim) -> ApiResult {
    let st = sim.state.read();
    let v: Vec<Value> = st.cats.values().map(|c| cat_json(&st, c)).collect();
    Ok(Reply::json(&v))
}

/// `GET /custom_activity_types/{id}`.
pub(crate) fn cat_get(sim: &Sim, id: &str) -> ApiResult {
    let id = path_id(id)?;
    let st = sim.state.read();
    st.cats
        .get(&id)
        .map(|c| Reply::json(&cat_json(&st, c)))
        .ok_or(ApiError::NotFound)
}

fn parse_icon(v: &Value) -> Result<String, ApiError> {
    v.as_str()
        .and_then(|s| ICON_TYPES.iter().find(|x| x.eq_ignore_ascii_case(s)))
        .map(|s| s.to_string())
        .ok_or_else(|| {
            ApiError::invalid(
                "icon_type",
                format!("must be one of {}", ICON_TYPES.join(", ")),
            )
        })
}

fn parse_cat_name(v: &Value) -> Result<String, ApiError> {
    v.as_str()
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .ok_or_else(|| ApiError::invalid("name", "can't be blank"))
}

const CAT_KEYS: &[&str] = &[
    "id",
    "name",
    "icon_type",
    "company_id",
    "is_disabled",
    "is_interaction",
    "is_default_task_type",
];

/// `POST /custom_activity_types`.
pub(crate) fn cat_create(sim: &Sim, body: &[u8]) -> ApiResult {
    let body = body_object(body)?;
    unknown_keys(&body, CAT_KEYS)?;
    let name = parse_cat_name(body.get("name").unwrap_or(&Value::Null))?;
    let icon_type = parse_icon(body.get("icon_type").unwrap_or(&Value::Null))?;
    sim.write(|st| {
        let id = st.next_id(Entity::CustomActivityType);
        let c = CatRec {
            id,
            name,
            icon_type,
            is_disabled: false,
            is_interaction: true,
            is_default_task_type: None,
        };
        let v = cat_json(st, &c);
        st.cats.insert(id, c);
        st.wrote(Entity::CustomActivityType, id);
        Ok(Reply::json(&v))
    })
}

/// `PUT /custom_activity_types/{id}`.
pub(crate) fn cat_update(sim: &Sim, id: &str, body: &[u8]) -> ApiResult {
    let id = path_id(id)?;
    let body = body_object(body)?;
    unknown_keys(&body, CAT_KEYS)?;
    let name = body.get("name").map(parse_cat_name).transpose()?;
    let icon = body.get("icon_type").map(parse_icon).transpose()?;
    sim.write(|st| {
        let c = st.cats.get_mut(&id).ok_or(ApiError::NotFound)?;
        if let Some(n) = name {
            c.name = n;
        }
        if let Some(i) = icon {
            c.icon_type = i;
        }
        let c = c.clone();
        st.wrote(Entity::CustomActivityType, id);
        Ok(Reply::json(&cat_json(st, &c)))
    })
}
