//! The handlers of every API operation, grouped by resource.

use std::collections::HashMap;
use std::sync::Arc;

use serde_json::{Map, Value};

use crate::entity::Kind;
use crate::error::ApiError;
use crate::shared::{Reply, Shared};
use crate::store::render::Rendered;
use crate::store::schema::{Op, View, view_for};
use crate::store::state::{Record, State};

pub(crate) mod custom;
pub(crate) mod files;
pub(crate) mod lookups;
pub(crate) mod records;
pub(crate) mod related;
pub(crate) mod special;
pub(crate) mod webhooks;

/// The handlers' state.
pub(crate) type Sim = Arc<Shared>;

/// A handler's result.
pub(crate) type ApiResult = Result<Reply, ApiError>;

/// Query parameters.
pub(crate) type Query = HashMap<String, String>;

/// Parse a request body as a JSON object; an empty body is `{}`.
pub(crate) fn body_object(bytes: &[u8]) -> Result<Map<String, Value>, ApiError> {
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Ok(Map::new());
    }
    match serde_json::from_slice::<Value>(bytes) {
        Ok(Value::Object(map)) => Ok(map),
        Ok(_) => Err(ApiError::BadJson("the body must be a JSON object".into())),
        Err(e) => Err(ApiError::BadJson(e.to_string())),
    }
}

/// Whether `custom_field_computed_values=true` was asked for.
pub(crate) fn computed(q: &Query) -> bool {
    q.get("custom_field_computed_values")
        .is_some_and(|v| v.eq_ignore_ascii_case("true") || v == "1")
}

/// A path id; anything that is not an integer cannot name a record.
pub(crate) fn path_id(s: &str) -> Result<i64, ApiError> {
    s.parse().map_err(|_| ApiError::NotFound)
}

/// Render one record for an operation.
pub(crate) fn one(st: &State, kind: Kind, rec: &Record, op: Op, computed: bool) -> Reply {
    Reply::json(&Rendered {
        st,
        kind,
        rec,
        view: view_for(kind, op),
        computed,
    })
}

/// Render a list of records with the given views.
pub(crate) fn many<'a>(
    st: &'a State,
    kind: Kind,
    recs: impl IntoIterator<Item = (&'a Record, &'static View)>,
    computed: bool,
) -> Vec<Rendered<'a>> {
    recs.into_iter()
        .map(|(rec, view)| Rendered {
            st,
            kind,
            rec,
            view,
            computed,
        })
        .collect()
}
