//! File metadata attached to records (`/{entity_type}/{entity_id}/files`).

use serde_json::{Value, json};

use super::{ApiResult, Sim, body_object, path_id};
use crate::entity::{Entity, Kind};
use crate::error::ApiError;
use crate::shared::Reply;
use crate::store::state::{FileRec, now};
use crate::store::val::RecordRef;

/// The record types files can be attached to (not tasks).
pub(crate) const FILE_KINDS: [Kind; 5] = [
    Kind::Lead,
    Kind::Person,
    Kind::Opportunity,
    Kind::Company,
    Kind::Project,
];

pub(crate) fn file_json(f: &FileRec) -> Value {
    json!({
        "id": f.id,
        "is_deleted": false,
        "file_name": f.file_name,
        "file_size": f.file_size,
        "content_type": f.content_type,
        "creator_id": f.creator_id,
        "date_created": f.date_created,
        "date_modified": f.date_modified,
    })
}

fn owner(sim: &Sim, kind: Kind, id: &str) -> Result<RecordRef, ApiError> {
    let r = RecordRef {
        kind,
        id: path_id(id)?,
    };
    if sim.state.read().exists(r) {
        Ok(r)
    } else {
        Err(ApiError::NotFound)
    }
}

/// `GET /{entity_type}/{entity_id}/files`.
pub(crate) fn list(sim: &Sim, kind: Kind, id: &str) -> ApiResult {
    let r = owner(sim, kind, id)?;
    let st = sim.state.read();
    let v: Vec<Value> = st
        .files
        .values()
        .filter(|f| f.owner == r)
        .map(file_json)
        .collect();
    Ok(Reply::json(&v))
}

/// `GET /{entity_type}/{entity_id}/files/{file_id}`.
pub(crate) fn get(sim: &Sim, kind: Kind, id: &str, file_id: &str) -> ApiResult {
    let r = owner(sim, kind, id)?;
    let fid = path_id(file_id)?;
    let st = sim.state.read();
    st.files
        .get(&fid)
        .filter(|f| f.owner == r)
        .map(|f| Reply::json(&file_json(f)))
        .ok_or(ApiError::NotFound)
}

/// `POST /{entity_type}/{entity_id}/files` `{file_name, key}`: registers the metadata of an
/// uploaded file (the upload itself is not part of the documented API).
pub(crate) fn attach(sim: &Sim, kind: Kind, id: &str, body: &[u8]) -> ApiResult {
    let body = body_object(body)?;
    let unknown: Vec<String> = body
        .keys()
        .filter(|k| !matches!(k.as_str(), "file_name" | "key"))
        .cloned()
        .collect();
    if !unknown.is_empty() {
        return Err(ApiError::Unrecognized(unknown));
    }
    let text = |k: &str| {
        body.get(k)
            .and_then(Value::as_str)
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_string)
            .ok_or_else(|| ApiError::invalid(k, "can't be blank"))
    };
    let file_name = text("file_name")?;
    let key = text("key")?;
    let r = owner(sim, kind, id)?;
    sim.write(|st| {
        if !st.exists(r) {
            return Err(ApiError::NotFound);
        }
        let id = st.next_id(Entity::File);
        let t = now();
        let f = FileRec {
            id,
            owner: r,
            file_name,
            key,
            file_size: 0,
            content_type: "binary/octet-stream".into(),
            creator_id: st.api_user,
            date_created: t,
            date_modified: Some(t),
        };
        let v = file_json(&f);
        st.files.insert(id, f);
        st.wrote(Entity::File, id);
        Ok(Reply::json(&v))
    })
}
