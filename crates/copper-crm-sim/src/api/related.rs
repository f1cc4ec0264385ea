//! Related items (`/{entity}/{id}/related`) and connect-field links (`/related_links`).

use serde_json::{Map, Value, json};

use super::{ApiResult, Query, Sim, body_object, path_id};
use crate::entity::{Entity, Kind};
use crate::error::ApiError;
use crate::shared::Reply;
use crate::store::state::{DataType, LinkEnd, LinkRec, State};
use crate::store::val::RecordRef;
use crate::store::write::id_of;

fn me(st: &State, kind: Kind, id: &str) -> Result<RecordRef, ApiError> {
    let r = RecordRef {
        kind,
        id: path_id(id)?,
    };
    if st.exists(r) {
        Ok(r)
    } else {
        Err(ApiError::NotFound)
    }
}

fn refs_json(refs: &[RecordRef]) -> Value {
    Value::Array(refs.iter().map(|r| json!(r)).collect())
}

/// `GET /{entity}/{id}/related`.
pub(crate) fn list(sim: &Sim, kind: Kind, id: &str) -> ApiResult {
    let st = sim.state.read();
    let r = me(&st, kind, id)?;
    Ok(Reply::json(&refs_json(&st.related(r))))
}

/// `GET /{entity}/{id}/related/{related_entity}`.
pub(crate) fn list_by_type(sim: &Sim, kind: Kind, id: &str, related: &str) -> ApiResult {
    let other = Kind::from_plural(related)
        .filter(|k| *k != Kind::Activity)
        .ok_or(ApiError::NotFound)?;
    let st = sim.state.read();
    let r = me(&st, kind, id)?;
    let refs: Vec<RecordRef> = st
        .related(r)
        .into_iter()
        .filter(|x| x.kind == other)
        .collect();
    Ok(Reply::json(&refs_json(&refs)))
}

fn resource(st: &State, body: &Map<String, Value>) -> Result<RecordRef, ApiError> {
    let unknown: Vec<String> = body.keys().filter(|k| *k != "resource").cloned().collect();
    if !unknown.is_empty() {
        return Err(ApiError::Unrecognized(unknown));
    }
    let res = body
        .get("resource")
        .and_then(Value::as_object)
        .ok_or_else(|| ApiError::invalid("resource", "must be an {id, type} object"))?;
    let kind = res
        .get("type")
        .and_then(Value::as_str)
        .and_then(Kind::from_singular)
        .filter(|k| *k != Kind::Activity)
        .ok_or_else(|| {
            ApiError::invalid(
                "resource.type",
                "must be one of lead, person, company, opportunity, project, task",
            )
        })?;
    let id = res
        .get("id")
        .and_then(id_of)
        .ok_or_else(|| ApiError::invalid("resource.id", "must be an integer"))?;
    let r = RecordRef { kind, id };
    if st.exists(r) {
        Ok(r)
    } else {
        Err(ApiError::invalid(
            "resource",
            format!("refers to an unknown {} {id}", kind.singular()),
        ))
    }
}

/// `POST /{entity}/{id}/related`.
pub(crate) fn add(sim: &Sim, kind: Kind, id: &str, body: &[u8]) -> ApiResult {
    let body = body_object(body)?;
    sim.write(|st| {
        let a = me(st, kind, id)?;
        let b = resource(st, &body)?;
        st.link_records(a, b)?;
        st.wrote(Entity::Relation, a.id);
        Ok(Reply::json(&json!({"added": true, "resource": b})))
    })
}

/// `DELETE /{entity}/{id}/related` with a JSON body.
pub(crate) fn remove(sim: &Sim, kind: Kind, id: &str, body: &[u8]) -> ApiResult {
    let body = body_object(body)?;
    sim.write(|st| {
        let a = me(st, kind, id)?;
        let b = resource(st, &body)?;
        if !st.unlink_records(a, b) {
            return Err(ApiError::NotFound);
        }
        st.wrote(Entity::Relation, a.id);
        Ok(Reply::json(&json!({"removed": true, "resource": b})))
    })
}

/// The name shown for a link end: the record's or user's name, else the id as a string.
fn end_name(st: &State, e: LinkEnd) -> String {
    let name = match e {
        LinkEnd::User(id) => st.users.get(&id).map(|u| u.name.clone()),
        LinkEnd::Record(r) => st.record_name(r).map(str::to_string),
    };
    name.unwrap_or_else(|| e.id().to_string())
}

pub(crate) fn link_json(st: &State, l: &LinkRec) -> Value {
    let end =
        |e: LinkEnd| json!({"id": e.id(), "entity_type": e.entity_type(), "name": end_name(st, e)});
    json!({
        "id": l.id,
        "custom_field_definition_id": l.cfd_id,
        "source": end(l.source),
        "target": end(l.target),
    })
}

/// Parse an `entity_type` of a connect link (`organization` is the GitBook's `company`).
fn end_kind(s: &str) -> Option<Option<Kind>> {
    Some(match s {
        "people" | "person" => Some(Kind::Person),
        "company" | "organization" => Some(Kind::Company),
        "lead" => Some(Kind::Lead),
        "opportunity" => Some(Kind::Opportunity),
        "project" => Some(Kind::Project),
        "user" => None,
        _ => return None,
    })
}

fn link_end(
    st: &State,
    field: &str,
    ty: Option<&str>,
    id: Option<i64>,
) -> Result<LinkEnd, ApiError> {
    let kind = ty.and_then(end_kind).ok_or_else(|| {
        ApiError::invalid(
            format!("{field}.entity_type"),
            "must be one of people, company, lead, opportunity, project, user",
        )
    })?;
    let id = id.ok_or_else(|| ApiError::invalid(format!("{field}.id"), "must be an integer"))?;
    let end = match kind {
        None => LinkEnd::User(id),
        Some(kind) => LinkEnd::Record(RecordRef { kind, id }),
    };
    let exists = match end {
        LinkEnd::User(id) => st.users.contains_key(&id),
        LinkEnd::Record(r) => st.exists(r),
    };
    if exists {
        Ok(end)
    } else {
        Err(ApiError::invalid(
            field,
            format!("refers to an unknown {} {id}", end.entity_type()),
        ))
    }
}

/// `GET /related_links?source_type=&source_id=[&custom_field_definition_id=]`.
pub(crate) fn links_list(sim: &Sim, q: &Query) -> ApiResult {
    let st = sim.state.read();
    let ty = q
        .get("source_type")
        .ok_or_else(|| ApiError::invalid("source_type", "is required"))?;
    let id = q
        .get("source_id")
        .and_then(|s| s.parse::<i64>().ok())
        .ok_or_else(|| ApiError::invalid("source_id", "is required and must be an integer"))?;
    let kind = end_kind(ty).ok_or_else(|| {
        ApiError::invalid(
            "source_type",
            "must be one of people, company, lead, opportunity, project, user",
        )
    })?;
    let source = match kind {
        None => LinkEnd::User(id),
        Some(kind) => LinkEnd::Record(RecordRef { kind, id }),
    };
    let def =
        match q.get("custom_field_definition_id") {
            None => None,
            Some(s) => Some(s.parse::<i64>().map_err(|_| {
                ApiError::invalid("custom_field_definition_id", "must be an integer")
            })?),
        };
    let v: Vec<Value> = st
        .links
        .values()
        .filter(|l| l.source == source && def.is_none_or(|d| l.cfd_id == d))
        .map(|l| link_json(&st, l))
        .collect();
    Ok(Reply::json(&v))
}

/// `POST /related_links`: link two records through a Connect field (both directions unless
/// one end is a user).
pub(crate) fn links_create(sim: &Sim, body: &[u8]) -> ApiResult {
    let body = body_object(body)?;
    let unknown: Vec<String> = body
        .keys()
        .filter(|k| {
            !matches!(
                k.as_str(),
                "custom_field_definition_id" | "source" | "target"
            )
        })
        .cloned()
        .collect();
    if !unknown.is_empty() {
        return Err(ApiError::Unrecognized(unknown));
    }
    sim.write(|st| {
        let cfd_id = body
            .get("custom_field_definition_id")
            .and_then(id_of)
            .ok_or_else(|| ApiError::invalid("custom_field_definition_id", "must be an integer"))?;
        let def = st.cfds.get(&cfd_id).ok_or_else(|| {
            ApiError::invalid(
                "custom_field_definition_id",
                format!("refers to an unknown custom field definition {cfd_id}"),
            )
        })?;
        if def.data_type != DataType::Connect {
            return Err(ApiError::invalid(
                "custom_field_definition_id",
                format!("{cfd_id} ({}) is not a Connect field", def.name),
            ));
        }
        let end = |field: &str| {
            let o = body.get(field).and_then(Value::as_object);
            link_end(
                st,
                field,
                o.and_then(|o| o.get("entity_type")).and_then(Value::as_str),
                o.and_then(|o| o.get("id")).and_then(id_of),
            )
        };
        let source = end("source")?;
        let target = end("target")?;
        if let LinkEnd::Record(r) = source
            && !def.available_on.contains(&r.kind)
        {
            return Err(ApiError::invalid(
                "source",
                format!(
                    "{} ({}) is not available on {}",
                    cfd_id,
                    def.name,
                    r.kind.plural()
                ),
            ));
        }
        if st
            .links
            .values()
            .any(|l| l.cfd_id == cfd_id && l.source == source && l.target == target)
        {
            return Err(ApiError::invalid(
                "target",
                "is already connected to the source",
            ));
        }
        let id = st.next_id(Entity::Connection);
        let two_way = !matches!(source, LinkEnd::User(_)) && !matches!(target, LinkEnd::User(_));
        let reverse = two_way.then(|| st.next_id(Entity::Connection));
        let link = LinkRec {
            id,
            cfd_id,
            source,
            target,
            reverse,
        };
        if let Some(rid) = reverse {
            st.links.insert(
                rid,
                LinkRec {
                    id: rid,
                    cfd_id,
                    source: target,
                    target: source,
                    reverse: Some(id),
                },
            );
            st.wrote(Entity::Connection, rid);
        }
        let v = link_json(st, &link);
        st.links.insert(id, link);
        st.wrote(Entity::Connection, id);
        Ok(Reply::json(&v))
    })
}

/// `DELETE /related_links/{id}`: `{ids: [..both directions..], is_deleted: true}`.
pub(crate) fn links_delete(sim: &Sim, id: &str) -> ApiResult {
    let id = path_id(id)?;
    sim.write(|st| {
        let link = st.links.remove(&id).ok_or(ApiError::NotFound)?;
        let mut ids = vec![id];
        if let Some(rid) = link.reverse
            && st.links.remove(&rid).is_some()
        {
            ids.push(rid);
        }
        for i in &ids {
            st.wrote(Entity::Connection, *i);
        }
        Ok(Reply::json(&json!({"ids": ids, "is_deleted": true})))
    })
}
