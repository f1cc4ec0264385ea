//! Get, create, update, delete, search and bulk operations of leads, people, companies,
//! opportunities, projects, tasks and activities.

use std::collections::HashSet;

use serde_json::{Map, Value, json};

use super::{ApiResult, Query, Sim, body_object, computed, many, one, path_id};
use crate::entity::Kind;
use crate::error::ApiError;
use crate::shared::Reply;
use crate::store::schema::{Op, Shape, view, view_for};
use crate::store::search::{self, Search};
use crate::store::state::State;
use crate::store::val::RecordRef;
use crate::store::write::id_of;

/// The largest bulk request.
pub(crate) const BULK_LIMIT: usize = 10;

/// `GET /{kind}/{id}`.
pub(crate) fn get(sim: &Sim, kind: Kind, id: &str, q: &Query) -> ApiResult {
    let id = path_id(id)?;
    let st = sim.state.read();
    match st.table(kind).get(id) {
        Some(rec) => Ok(one(&st, kind, rec, Op::Get, computed(q))),
        None if kind == Kind::Activity && st.deleted_activities.contains(&id) => {
            Ok(Reply::json(&json!({"id": id, "is_deleted": true})))
        }
        None => Err(ApiError::NotFound),
    }
}

/// `POST /{kind}`.
pub(crate) fn create(sim: &Sim, kind: Kind, body: &[u8], q: &Query) -> ApiResult {
    let body = body_object(body)?;
    sim.write(|st| {
        let id = st.create(kind, &body)?;
        Ok(render_id(st, kind, id, Op::Create, computed(q)))
    })
}

fn render_id(st: &State, kind: Kind, id: i64, op: Op, computed: bool) -> Reply {
    match st.table(kind).get(id) {
        Some(rec) => one(st, kind, rec, op, computed),
        None => Reply::json(&Value::Null),
    }
}

/// `PUT /{kind}/{id}`: only the attributes present change; `null` clears.
pub(crate) fn update(sim: &Sim, kind: Kind, id: &str, body: &[u8], q: &Query) -> ApiResult {
    let id = path_id(id)?;
    let body = body_object(body)?;
    sim.write(|st| {
        st.update(kind, id, &body)?;
        Ok(render_id(st, kind, id, Op::Update, computed(q)))
    })
}

/// `DELETE /{kind}/{id}`: `{id, is_deleted: true}`.
pub(crate) fn delete(sim: &Sim, kind: Kind, id: &str) -> ApiResult {
    let id = path_id(id)?;
    sim.write(|st| {
        if st.delete(kind, id) {
            Ok(Reply::json(&json!({"id": id, "is_deleted": true})))
        } else {
            Err(ApiError::NotFound)
        }
    })
}

/// `POST /{kind}/search`.
pub(crate) fn search(sim: &Sim, kind: Kind, body: &[u8], q: &Query) -> ApiResult {
    let body = body_object(body)?;
    let st = sim.state.read();
    if kind == Kind::Activity {
        let found = search::activities(&st, &body, None, sim.search_cap)?;
        let v = view_for(kind, Op::Search);
        let out = many(&st, kind, found.page.into_iter().map(|r| (r, v)), false);
        return Ok(Reply::json(&out).with_total(found.total));
    }
    let s = Search::parse(&st, kind, &body)?;
    let found = s.run(&st, sim.search_cap);
    let full = view_for(kind, Op::Search);
    let converted = view(kind, Shape::Converted);
    let out = many(
        &st,
        kind,
        found.page.into_iter().map(|r| {
            let v = if kind == Kind::Lead && st.converted_leads.contains_key(&r.id) {
                converted
            } else {
                full
            };
            (r, v)
        }),
        computed(q),
    );
    Ok(Reply::json(&out).with_total(found.total))
}

/// The key of the record list in a bulk body.
pub(crate) fn bulk_key(kind: Kind) -> &'static str {
    kind.plural()
}

fn bulk_items(kind: Kind, body: &Map<String, Value>) -> Result<Vec<Value>, ApiError> {
    let key = bulk_key(kind);
    match body.get(key) {
        Some(Value::Array(items)) if items.len() > BULK_LIMIT => Err(ApiError::TooLarge),
        Some(Value::Array(items)) => Ok(items.clone()),
        _ => Err(ApiError::invalid(key, "must be a list of records")),
    }
}

fn failure(id: Option<i64>, message: Map<String, Value>) -> Value {
    let mut m = Map::new();
    m.insert("success".into(), Value::Bool(false));
    m.insert("message".into(), Value::Object(message));
    if let Some(id) = id {
        m.insert("id".into(), Value::from(id));
    }
    Value::Object(m)
}

fn one_error(field: &str, msg: &str) -> Map<String, Value> {
    let mut m = Map::new();
    m.insert(field.into(), json!([{ "error": msg }]));
    m
}

/// `POST /{kind}/bulk_create`: at most 10 items; 200 with results in request order.
pub(crate) fn bulk_create(sim: &Sim, kind: Kind, body: &[u8], q: &Query) -> ApiResult {
    let body = body_object(body)?;
    let items = bulk_items(kind, &body)?;
    let computed = computed(q) && kind != Kind::Activity;
    sim.write(|st| {
        let mut out = Vec::with_capacity(items.len());
        for item in &items {
            let Some(map) = item.as_object() else {
                out.push(failure(None, one_error("record", "must be an object")));
                continue;
            };
            match st.create(kind, map) {
                Ok(id) => out.push(rendered_value(st, kind, id, Op::BulkCreate, computed)),
                Err(e) => out.push(failure(None, e.by_field())),
            }
        }
        Ok(Reply::json(&out))
    })
}

fn rendered_value(st: &State, kind: Kind, id: i64, op: Op, computed: bool) -> Value {
    st.table(kind)
        .get(id)
        .map(|rec| crate::store::render::to_value(st, kind, rec, view_for(kind, op), computed))
        .unwrap_or(Value::Null)
}

/// `POST /{kind}/bulk_update`: like bulk create; failures carry the item's `id`.
pub(crate) fn bulk_update(sim: &Sim, kind: Kind, body: &[u8], q: &Query) -> ApiResult {
    let body = body_object(body)?;
    let items = bulk_items(kind, &body)?;
    let computed = computed(q);
    sim.write(|st| {
        let mut out = Vec::with_capacity(items.len());
        for item in &items {
            let Some(map) = item.as_object() else {
                out.push(failure(None, one_error("record", "must be an object")));
                continue;
            };
            let Some(id) = map.get("id").and_then(id_of) else {
                out.push(failure(None, one_error("id", "can't be blank")));
                continue;
            };
            match st.update(kind, id, map) {
                Ok(_) => out.push(rendered_value(st, kind, id, Op::BulkUpdate, computed)),
                Err(crate::store::rules::UpdateError::NotFound) => {
                    out.push(failure(Some(id), one_error("id", "not_found")))
                }
                Err(crate::store::rules::UpdateError::Write(e)) => {
                    out.push(failure(Some(id), e.by_field()))
                }
            }
        }
        Ok(Reply::json(&out))
    })
}

/// `POST /{leads|people|companies}/{id}/activities`: the record's activities (for a company
/// also those of its people), newest first.
pub(crate) fn activities_of(sim: &Sim, kind: Kind, id: &str, body: &[u8]) -> ApiResult {
    let id = path_id(id)?;
    let body = body_object(body)?;
    let st = sim.state.read();
    if !st.table(kind).contains(id) {
        return Err(ApiError::NotFound);
    }
    let me = RecordRef { kind, id };
    let mut parents: HashSet<RecordRef> = HashSet::from([me]);
    if kind == Kind::Company {
        let ci = crate::store::schema::schema(Kind::Person).idx("company_id");
        for p in st.table(Kind::Person).rows.values() {
            if p.vals[ci].as_int() == Some(id) {
                parents.insert(RecordRef {
                    kind: Kind::Person,
                    id: p.id,
                });
            }
        }
    }
    let mut filters = body.clone();
    filters.remove("parent");
    let found = search::activities(&st, &filters, Some(&parents), sim.search_cap)?;
    let v = view_for(Kind::Activity, Op::Get);
    let out = many(
        &st,
        Kind::Activity,
        found.page.into_iter().map(|r| (r, v)),
        false,
    );
    Ok(Reply::json(&out).with_total(found.total))
}
