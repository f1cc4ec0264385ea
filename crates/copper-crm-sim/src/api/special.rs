//! Lead upsert and convert, and fetching a person by email.

use serde_json::{Map, Value, json};

use super::{ApiResult, Query, Sim, body_object, computed, one, path_id};
use crate::entity::{Entity, Kind};
use crate::error::{ApiError, FieldErrors};
use crate::shared::Reply;
use crate::store::render::to_value;
use crate::store::schema::{Op, view_for};
use crate::store::state::{State, now};
use crate::store::val::Val;
use crate::store::write::{WriteError, check_custom_value, id_of};

/// More matches than this and the upsert error no longer lists them.
const UPSERT_LIST_LIMIT: usize = 30;

fn only_keys(map: &Map<String, Value>, allowed: &[&str]) -> Result<(), ApiError> {
    let unknown: Vec<String> = map
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

fn object<'a>(
    map: &'a Map<String, Value>,
    key: &str,
) -> Result<Option<&'a Map<String, Value>>, ApiError> {
    match map.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::Object(m)) => Ok(Some(m)),
        Some(_) => Err(ApiError::invalid(key, "must be an object")),
    }
}

/// How an upsert finds its lead.
enum MatchBy {
    Name(String),
    Email(String),
    Custom(i64, Value),
}

fn parse_match(st: &State, m: &Map<String, Value>) -> Result<MatchBy, ApiError> {
    only_keys(m, &["field_name", "field_value"])?;
    let value = m
        .get("field_value")
        .filter(|v| !v.is_null())
        .ok_or_else(|| ApiError::invalid("match.field_value", "can't be blank"))?;
    let text = || {
        value
            .as_str()
            .map(|s| s.trim().to_lowercase())
            .filter(|s| !s.is_empty())
            .ok_or_else(|| ApiError::invalid("match.field_value", "must be a non-empty string"))
    };
    match m.get("field_name").and_then(Value::as_str) {
        Some("name") => Ok(MatchBy::Name(text()?)),
        Some("email") => Ok(MatchBy::Email(text()?)),
        Some("custom") => {
            let cv = value.as_object().ok_or_else(|| {
                ApiError::invalid(
                    "match.field_value",
                    "must be {custom_field_definition_id, value} for field_name custom",
                )
            })?;
            let def_id = cv
                .get("custom_field_definition_id")
                .and_then(id_of)
                .ok_or_else(|| {
                    ApiError::invalid(
                        "match.field_value.custom_field_definition_id",
                        "must be an integer",
                    )
                })?;
            let def = st.cfds.get(&def_id).ok_or_else(|| {
                ApiError::invalid(
                    "match.field_value.custom_field_definition_id",
                    format!("refers to an unknown custom field definition {def_id}"),
                )
            })?;
            if !def.shown_on(Kind::Lead) || !def.is_filterable {
                return Err(ApiError::invalid(
                    "match.field_value.custom_field_definition_id",
                    format!(
                        "custom field definition {def_id} ({}) must be available on leads and included in filters (is_filterable) to match on it",
                        def.name
                    ),
                ));
            }
            let wanted = check_custom_value(def, cv.get("value").unwrap_or(&Value::Null))
                .map_err(|m| ApiError::invalid("match.field_value.value", m))?;
            Ok(MatchBy::Custom(def_id, normalize(wanted)))
        }
        _ => Err(ApiError::invalid(
            "match.field_name",
            "must be name, email or custom",
        )),
    }
}

fn normalize(v: Value) -> Value {
    match v {
        Value::Array(mut items) => {
            items.sort_by_key(|x| x.as_i64());
            Value::Array(items)
        }
        other => other,
    }
}

/// `PUT /leads/upsert`: 0 matches create, 1 updates, more are a 422.
pub(crate) fn upsert(sim: &Sim, body: &[u8], q: &Query) -> ApiResult {
    let body = body_object(body)?;
    only_keys(&body, &["properties", "match"])?;
    let props = object(&body, "properties")?
        .ok_or_else(|| ApiError::invalid("properties", "can't be blank"))?
        .clone();
    let m = object(&body, "match")?
        .ok_or_else(|| ApiError::invalid("match", "can't be blank"))?
        .clone();
    sim.write(|st| {
        let by = parse_match(st, &m)?;
        const K: Kind = Kind::Lead;
        let matches: Vec<i64> = st
            .table(K)
            .rows
            .values()
            .filter(|r| match &by {
                MatchBy::Name(n) => r.get(K, "name").as_str().is_some_and(|x| x.to_lowercase() == *n),
                MatchBy::Email(e) => r
                    .get(K, "email")
                    .contacts()
                    .iter()
                    .any(|c| c.value.to_lowercase() == *e),
                MatchBy::Custom(id, want) => {
                    r.custom_value(*id).cloned().map(normalize).as_ref() == Some(want)
                }
            })
            .map(|r| r.id)
            .collect();
        let id = match matches.len() {
            0 => st.create(K, &props)?,
            1 => {
                st.update(K, matches[0], &props)?;
                matches[0]
            }
            n if n > UPSERT_LIST_LIMIT => {
                return Err(ApiError::Status(
                    422,
                    format!("Invalid input: {n} leads match; more than {UPSERT_LIST_LIMIT} matching leads found"),
                ));
            }
            _ => {
                let ids: Vec<String> = matches.iter().map(i64::to_string).collect();
                return Err(ApiError::Status(
                    422,
                    format!(
                        "Invalid input: more than one lead matches: {}",
                        ids.join(", ")
                    ),
                ));
            }
        };
        let rec = st.table(K).get(id).ok_or(ApiError::NotFound)?;
        Ok(one(st, K, rec, Op::Upsert, computed(q)))
    })
}

/// `POST /people/fetch_by_email`.
pub(crate) fn fetch_by_email(sim: &Sim, body: &[u8], q: &Query) -> ApiResult {
    let body = body_object(body)?;
    only_keys(&body, &["email"])?;
    let email = body
        .get("email")
        .and_then(Value::as_str)
        .filter(|e| !e.trim().is_empty())
        .ok_or_else(|| ApiError::invalid("email", "can't be blank"))?
        .trim()
        .to_ascii_lowercase();
    let st = sim.state.read();
    let id = *st.person_emails.get(&email).ok_or(ApiError::NotFound)?;
    let rec = st.table(Kind::Person).get(id).ok_or(ApiError::NotFound)?;
    Ok(one(&st, Kind::Person, rec, Op::FetchByEmail, computed(q)))
}

fn prefixed(prefix: &str, e: WriteError) -> ApiError {
    match e {
        WriteError::Unrecognized(names) => {
            ApiError::Unrecognized(names.into_iter().map(|n| format!("{prefix}.{n}")).collect())
        }
        WriteError::Invalid(errors) => ApiError::Invalid(FieldErrors(
            errors
                .0
                .into_iter()
                .map(|(f, m)| (format!("{prefix}.{f}"), m))
                .collect(),
        )),
    }
}

/// Lead custom field values for the definitions shown on `kind`.
fn carried_custom_fields(st: &State, lead: &crate::store::state::Record, kind: Kind) -> Value {
    Value::Array(
        lead.custom
            .iter()
            .filter(|(id, _)| st.cfds.get(id).is_some_and(|d| d.shown_on(kind)))
            .map(|(id, v)| json!({"custom_field_definition_id": id, "value": v}))
            .collect(),
    )
}

/// `POST /leads/{id}/convert`: create a person (and optionally a company and an
/// opportunity) from the lead, then remove the lead.
pub(crate) fn convert(sim: &Sim, id: &str, body: &[u8], q: &Query) -> ApiResult {
    let id = path_id(id)?;
    let body = body_object(body)?;
    only_keys(&body, &["details"])?;
    let details = object(&body, "details")?.cloned().unwrap_or_default();
    only_keys(&details, &["person", "company", "opportunity"])?;
    let person_in = object(&details, "person")?.cloned().unwrap_or_default();
    only_keys(&person_in, &["name", "contact_type_id", "assignee_id"])
        .map_err(|e| prefix_unrecognized("details.person", e))?;
    let company_in = object(&details, "company")?.cloned();
    if let Some(c) = &company_in {
        only_keys(c, &["id", "name", "exact_match"])
            .map_err(|e| prefix_unrecognized("details.company", e))?;
        if c.get("id").is_some_and(|v| !v.is_null()) && c.get("name").is_some_and(|v| !v.is_null())
        {
            return Err(ApiError::invalid(
                "details.company",
                "id and name are mutually exclusive",
            ));
        }
    }
    let opp_in = object(&details, "opportunity")?.cloned();
    if let Some(o) = &opp_in {
        only_keys(
            o,
            &[
                "name",
                "pipeline_id",
                "pipeline_stage_id",
                "monetary_value",
                "assignee_id",
            ],
        )
        .map_err(|e| prefix_unrecognized("details.opportunity", e))?;
    }
    sim.write(|st| {
        const L: Kind = Kind::Lead;
        let lead = st.table(L).get(id).cloned().ok_or(ApiError::NotFound)?;
        let marks = (st.events.len(), st.written.len());
        let mut created: Vec<(Kind, i64)> = Vec::new();
        let result = convert_in(
            st,
            &lead,
            &person_in,
            company_in.as_ref(),
            opp_in.as_ref(),
            &mut created,
        );
        let (person, company, opportunity) = match result {
            Ok(ids) => ids,
            Err(e) => {
                for (kind, cid) in created.into_iter().rev() {
                    st.delete(kind, cid);
                }
                st.events.truncate(marks.0);
                st.written.truncate(marks.1);
                return Err(e);
            }
        };
        let at = now();
        let from = json!([{"lead_id": lead.id, "converted_timestamp": at}]);
        let mut converted = st.table_mut(L).remove(lead.id).ok_or(ApiError::NotFound)?;
        converted.set(L, "converted_contact_id", Val::Int(person));
        converted.set(L, "converted_opportunity_id", Val::opt_int(opportunity));
        converted.set(L, "converted_at", Val::Int(at));
        st.converted_leads.insert(lead.id, converted);
        st.wrote(Entity::Lead, lead.id);
        st.emit(L, "delete", lead.id);
        for (kind, rid) in [
            (Kind::Person, Some(person)),
            (Kind::Opportunity, opportunity),
        ] {
            if let Some(rec) = rid.and_then(|rid| st.table_mut(kind).rows.get_mut(&rid)) {
                rec.set(
                    kind,
                    "leads_converted_from",
                    Val::Json(Box::new(from.clone())),
                );
                rec.set(kind, "date_lead_created", Val::Int(lead.created));
            }
        }
        let computed = computed(q);
        let render = |kind: Kind, rid: Option<i64>| {
            rid.and_then(|rid| st.table(kind).get(rid))
                .map(|r| to_value(st, kind, r, view_for(kind, Op::Convert), computed))
                .unwrap_or(Value::Null)
        };
        Ok(Reply::json(&json!({
            "person": render(Kind::Person, Some(person)),
            "company": render(Kind::Company, company),
            "opportunity": render(Kind::Opportunity, opportunity),
        })))
    })
}

fn prefix_unrecognized(prefix: &str, e: ApiError) -> ApiError {
    match e {
        ApiError::Unrecognized(names) => {
            ApiError::Unrecognized(names.into_iter().map(|n| format!("{prefix}.{n}")).collect())
        }
        other => other,
    }
}

type Converted = (i64, Option<i64>, Option<i64>);

fn convert_in(
    st: &mut State,
    lead: &crate::store::state::Record,
    person_in: &Map<String, Value>,
    company_in: Option<&Map<String, Value>>,
    opp_in: Option<&Map<String, Value>>,
    created: &mut Vec<(Kind, i64)>,
) -> Result<Converted, ApiError> {
    const L: Kind = Kind::Lead;
    let lead_email = lead.get(L, "email").contacts().first().cloned();
    // The company: an existing id, an existing or new name, or none.
    let company_name = match company_in {
        Some(c) => match (c.get("id").and_then(id_of), c.get("name")) {
            (Some(cid), _) => {
                if !st.table(Kind::Company).contains(cid) {
                    return Err(ApiError::invalid(
                        "details.company.id",
                        format!("refers to an unknown company {cid}"),
                    ));
                }
                Err(cid)
            }
            (None, Some(Value::String(n))) => Ok(n.trim().to_string()),
            (None, None | Some(Value::Null)) => Ok(String::new()),
            (None, Some(_)) => {
                return Err(ApiError::invalid(
                    "details.company.name",
                    "must be a string",
                ));
            }
        },
        None => Ok(lead
            .get(L, "company_name")
            .as_str()
            .unwrap_or_default()
            .trim()
            .to_string()),
    };
    let company = match company_name {
        Err(cid) => Some(cid),
        Ok(name) if name.is_empty() => None,
        Ok(name) => {
            let existing = st
                .table(Kind::Company)
                .rows
                .values()
                .find(|c| {
                    c.get(Kind::Company, "name")
                        .as_str()
                        .is_some_and(|n| n.eq_ignore_ascii_case(&name))
                })
                .map(|c| c.id);
            match existing {
                Some(cid) => Some(cid),
                None => {
                    let mut body = Map::new();
                    body.insert("name".into(), Value::from(name));
                    if let Some(domain) = lead_email
                        .as_ref()
                        .and_then(|e| e.value.split('@').nth(1).map(str::to_ascii_lowercase))
                        .filter(|d| !st.company_domains.contains_key(d))
                    {
                        body.insert("email_domain".into(), Value::from(domain));
                    }
                    body.insert(
                        "custom_fields".into(),
                        carried_custom_fields(st, lead, Kind::Company),
                    );
                    let cid = st
                        .create(Kind::Company, &body)
                        .map_err(|e| prefixed("details.company", e))?;
                    created.push((Kind::Company, cid));
                    Some(cid)
                }
            }
        }
    };
    // The person.
    let mut body = Map::new();
    let copy = |body: &mut Map<String, Value>, from: &str, to: &str| {
        let v = lead.get(L, from).to_json();
        if !v.is_null() {
            body.insert(to.into(), v);
        }
    };
    body.insert(
        "name".into(),
        person_in
            .get("name")
            .filter(|v| !v.is_null())
            .cloned()
            .unwrap_or_else(|| lead.get(L, "name").to_json()),
    );
    if let Some(e) = &lead_email {
        body.insert(
            "emails".into(),
            json!([{"email": &*e.value, "category": e.category}]),
        );
    }
    for f in [
        "address",
        "phone_numbers",
        "socials",
        "websites",
        "title",
        "details",
        "tags",
    ] {
        copy(&mut body, f, f);
    }
    copy(&mut body, "assignee_id", "assignee_id");
    for f in ["contact_type_id", "assignee_id"] {
        if let Some(v) = person_in.get(f) {
            body.insert(f.into(), v.clone());
        }
    }
    if let Some(cid) = company {
        body.insert("company_id".into(), Value::from(cid));
    }
    body.insert(
        "custom_fields".into(),
        carried_custom_fields(st, lead, Kind::Person),
    );
    let person = st
        .create(Kind::Person, &body)
        .map_err(|e| prefixed("details.person", e))?;
    created.push((Kind::Person, person));
    // The opportunity.
    let opportunity = match opp_in {
        None => None,
        Some(o) => {
            let mut body = Map::new();
            body.insert(
                "name".into(),
                o.get("name")
                    .filter(|v| !v.is_null())
                    .cloned()
                    .unwrap_or_else(|| lead.get(L, "name").to_json()),
            );
            body.insert("primary_contact_id".into(), Value::from(person));
            body.insert(
                "company_id".into(),
                company.map_or(Value::Null, Value::from),
            );
            body.insert("details".into(), Value::from(""));
            body.insert("priority".into(), Value::Null);
            copy(&mut body, "customer_source_id", "customer_source_id");
            copy(&mut body, "monetary_value", "monetary_value");
            copy(&mut body, "assignee_id", "assignee_id");
            for f in [
                "pipeline_id",
                "pipeline_stage_id",
                "monetary_value",
                "assignee_id",
            ] {
                if let Some(v) = o.get(f) {
                    body.insert(f.into(), v.clone());
                }
            }
            if body.get("pipeline_stage_id").is_some_and(Value::is_null) {
                body.remove("pipeline_stage_id");
            }
            body.insert(
                "custom_fields".into(),
                carried_custom_fields(st, lead, Kind::Opportunity),
            );
            let oid = st
                .create(Kind::Opportunity, &body)
                .map_err(|e| prefixed("details.opportunity", e))?;
            created.push((Kind::Opportunity, oid));
            Some(oid)
        }
    };
    Ok((person, company, opportunity))
}
