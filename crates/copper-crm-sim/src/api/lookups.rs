//! Account, users and the account's lookup lists: pipelines and stages, lead statuses,
//! customer sources, contact types, loss reasons, activity types, tags and field layouts.

use std::collections::BTreeMap;

use serde_json::{Value, json};

use super::{ApiResult, Query, Sim, body_object, path_id};
use crate::entity::Kind;
use crate::error::ApiError;
use crate::shared::Reply;
use crate::store::schema::schema;
use crate::store::search::{page_range, paging};
use crate::store::state::{
    AccountRec, LeadStatusRec, Named, PipelineRec, StageRec, State, UserRec,
};

#[derive(serde::Serialize)]
struct AccountOut<'a> {
    id: i64,
    name: &'a str,
    primary_timezone: &'a str,
    settings: AccountSettingsOut,
}

#[derive(serde::Serialize)]
struct AccountSettingsOut {
    setting_team_permissions_enabled: bool,
    setting_enable_leads: bool,
}

fn account_out(a: &AccountRec) -> AccountOut<'_> {
    AccountOut {
        id: a.id,
        name: &a.name,
        primary_timezone: &a.primary_timezone,
        settings: AccountSettingsOut {
            setting_team_permissions_enabled: a.team_permissions_enabled,
            setting_enable_leads: a.enable_leads,
        },
    }
}

/// A user; the users/search example carries no `groups`.
pub(crate) fn user_json(u: &UserRec, groups: bool) -> Value {
    let mut v = json!({"id": u.id, "name": u.name, "email": u.email});
    if groups {
        v["groups"] = u
            .groups
            .iter()
            .map(|(id, name)| json!({"id": id, "name": name}))
            .collect();
    }
    v
}

pub(crate) fn named_json(n: &Named) -> Value {
    json!({"id": n.id, "name": n.name})
}

pub(crate) fn lead_status_json(s: &LeadStatusRec) -> Value {
    json!({"id": s.id, "name": s.name, "order": s.order, "is_default": s.is_default})
}

pub(crate) fn pipeline_json(st: &State, p: &PipelineRec) -> Value {
    let stages: Vec<Value> = p
        .stages
        .iter()
        .filter_map(|id| st.stages.get(id))
        .map(|s| json!({"id": s.id, "name": s.name, "win_probability": s.win_probability}))
        .collect();
    json!({"id": p.id, "name": p.name, "stages": stages, "type": p.kind, "is_revenue": p.is_revenue})
}

pub(crate) fn stage_json(s: &StageRec) -> Value {
    json!({"id": s.id, "name": s.name, "pipeline_id": s.pipeline_id, "win_probability": s.win_probability})
}

/// `GET /account`.
pub(crate) fn account(sim: &Sim) -> ApiResult {
    Ok(Reply::json(&account_out(&sim.state.read().account)))
}

/// `GET /users/{id}` (`me` is the API user) and `GET /users/me`.
pub(crate) fn user(sim: &Sim, id: &str) -> ApiResult {
    let st = sim.state.read();
    let id = if id == "me" {
        st.api_user
    } else {
        path_id(id)?
    };
    let u = st.users.get(&id).ok_or(ApiError::NotFound)?;
    Ok(Reply::json(&user_json(u, true)))
}

/// `POST /users/search`: paging only.
pub(crate) fn users_search(sim: &Sim, body: &[u8]) -> ApiResult {
    let body = body_object(body)?;
    let p = paging(&body)?;
    let st = sim.state.read();
    let all: Vec<&UserRec> = st.users.values().collect();
    let range = page_range(p, all.len(), sim.search_cap);
    let page: Vec<Value> = all[range].iter().map(|u| user_json(u, false)).collect();
    Ok(Reply::json(&page).with_total(all.len()))
}

/// The simple lookup lists.
#[derive(Clone, Copy, Debug)]
pub(crate) enum Lookup {
    LeadStatuses,
    CustomerSources,
    ContactTypes,
    LossReasons,
    Pipelines,
    PipelineStages,
}

pub(crate) fn list(sim: &Sim, which: Lookup) -> ApiResult {
    let st = sim.state.read();
    let v: Vec<Value> = match which {
        Lookup::LeadStatuses => st.lead_statuses.iter().map(lead_status_json).collect(),
        Lookup::CustomerSources => st.customer_sources.iter().map(named_json).collect(),
        Lookup::ContactTypes => st.contact_types.iter().map(named_json).collect(),
        Lookup::LossReasons => st.loss_reasons.iter().map(named_json).collect(),
        Lookup::Pipelines => st.pipelines.iter().map(|p| pipeline_json(&st, p)).collect(),
        Lookup::PipelineStages => st
            .pipelines
            .iter()
            .flat_map(|p| p.stages.iter())
            .filter_map(|id| st.stages.get(id))
            .map(stage_json)
            .collect(),
    };
    Ok(Reply::json(&v))
}

/// `GET /pipeline_stages/pipeline/{pipeline_id}`.
pub(crate) fn stages_of(sim: &Sim, pipeline_id: &str) -> ApiResult {
    let id = path_id(pipeline_id)?;
    let st = sim.state.read();
    let p = st.pipeline(id).ok_or(ApiError::NotFound)?;
    let v: Vec<Value> = p
        .stages
        .iter()
        .filter_map(|s| st.stages.get(s))
        .map(stage_json)
        .collect();
    Ok(Reply::json(&v))
}

/// `GET /activity_types`: `{user: [...], system: [...]}`; Note is id 0 and the custom
/// activity types that are not task types are the other user types.
pub(crate) fn activity_types(sim: &Sim) -> ApiResult {
    let st = sim.state.read();
    let mut user = vec![json!({
        "id": 0, "category": "user", "name": "Note", "is_disabled": false, "count_as_interaction": false
    })];
    user.extend(
        st.cats
            .values()
            .filter(|c| c.is_default_task_type != Some(true))
            .map(|c| {
                json!({
                    "id": c.id, "category": "user", "name": c.name,
                    "is_disabled": c.is_disabled, "count_as_interaction": c.is_interaction
                })
            }),
    );
    let system = vec![
        json!({"id": 1, "category": "system", "name": "Property Changed", "is_disabled": false, "count_as_interaction": false}),
        json!({"id": 3, "category": "system", "name": "Pipeline Stage Changed", "is_disabled": false, "count_as_interaction": false}),
    ];
    Ok(Reply::json(&json!({"user": user, "system": system})))
}

/// The most tag names one names-only call returns.
const TAG_NAMES_PAGE: usize = 10_000;

/// `GET /tags`: tags aggregated from every record, with counts or names only.
pub(crate) fn tags(sim: &Sim, q: &Query) -> ApiResult {
    let names_only = match q.get("tag_names_only").map(String::as_str) {
        None | Some("false") => false,
        Some("true") => true,
        Some(_) => return Err(ApiError::invalid("tag_names_only", "must be true or false")),
    };
    let sort_by_count = match q.get("sort_by").map(String::as_str) {
        None | Some("name") => false,
        Some("count") => true,
        Some(_) => return Err(ApiError::invalid("sort_by", "must be name or count")),
    };
    let st = sim.state.read();
    // name -> counts per core kind
    let mut counts: BTreeMap<String, [u64; 6]> = BTreeMap::new();
    for (k, kind) in Kind::CORE.iter().enumerate() {
        let i = schema(*kind).idx("tags");
        for rec in st.table(*kind).rows.values() {
            for t in rec.vals[i].strs() {
                counts.entry(t.to_string()).or_default()[k] += 1;
            }
        }
    }
    if names_only {
        let mut names: Vec<&String> = counts.keys().collect();
        names.sort_by(|a, b| a.to_lowercase().cmp(&b.to_lowercase()).then(a.cmp(b)));
        if let Some(last) = q.get("last_tag_value") {
            let last = last.to_lowercase();
            names.retain(|n| n.to_lowercase() > last);
        }
        names.truncate(TAG_NAMES_PAGE);
        return Ok(Reply::json(&names));
    }
    let mut tags: Vec<(&String, &[u64; 6])> = counts.iter().collect();
    tags.sort_by(|a, b| {
        let by_name =
            a.0.to_lowercase()
                .cmp(&b.0.to_lowercase())
                .then(a.0.cmp(b.0));
        if sort_by_count {
            let (ca, cb): (u64, u64) = (a.1.iter().sum(), b.1.iter().sum());
            cb.cmp(&ca).then(by_name)
        } else {
            by_name
        }
    });
    let v: Vec<Value> = tags
        .into_iter()
        .map(|(name, c)| {
            json!({
                "name": name,
                "count": c.iter().sum::<u64>(),
                "count_people": c[1],
                "count_leads": c[0],
                "count_companies": c[2],
                "count_opportunities": c[3],
                "count_projects": c[4],
                "count_tasks": c[5],
            })
        })
        .collect();
    Ok(Reply::json(&v))
}

/// `(field_key, field_label, required)` of the static fields of each entity's layout.
fn static_fields(kind: Kind) -> &'static [(&'static str, &'static str, bool)] {
    match kind {
        Kind::Person => &[
            ("full_name", "Name", true),
            ("title", "Title", false),
            ("primary_organization", "Company", false),
            ("contact_group_id", "Contact Type", false),
            ("assignee", "Owner", false),
            ("emails", "Emails", false),
            ("phones", "Phones", false),
            ("websites", "Websites", false),
            ("socials", "Social Media Accounts", false),
            ("address", "Address", false),
            ("visibility", "Visibility", false),
            ("details", "Description", false),
            ("tags", "Tags", false),
        ],
        Kind::Opportunity => &[
            ("name", "Name", true),
            ("related_contact", "Primary Contact", true),
            ("deal_date", "Close Date", false),
            ("related_organization", "Company", false),
            ("status", "Status", false),
            ("pipeline_id", "Pipeline", false),
            ("assignee", "Owner", false),
            ("stage_id", "Stage", false),
            ("customer_source_id", "Source", false),
            ("created_date", "Created", false),
            ("monetary_value", "Value", false),
            ("priority", "Priority", false),
            ("win_probability", "Win Percentage", false),
            ("loss_reason_id", "Loss Reason", false),
            ("visibility", "Visibility", false),
            ("details", "Description", false),
            ("tags", "Tags", false),
        ],
        Kind::Lead => &[
            ("full_name", "Name", true),
            ("title", "Title", false),
            ("company_name", "Company", false),
            ("status", "Status", false),
            ("customer_source_id", "Source", false),
            ("monetary_value", "Value", false),
            ("assignee", "Owner", false),
            ("email", "Email", false),
            ("phones", "Phones", false),
            ("websites", "Websites", false),
            ("socials", "Social Media Accounts", false),
            ("address", "Address", false),
            ("visibility", "Visibility", false),
            ("details", "Description", false),
            ("tags", "Tags", false),
        ],
        Kind::Company => &[
            ("name", "Name", true),
            ("email_domain", "Email Domain", false),
            ("contact_group_id", "Contact Type", false),
            ("assignee", "Owner", false),
            ("phones", "Phones", false),
            ("websites", "Websites", false),
            ("socials", "Social Media Accounts", false),
            ("address", "Address", false),
            ("visibility", "Visibility", false),
            ("details", "Description", false),
            ("tags", "Tags", false),
        ],
        Kind::Project => &[
            ("name", "Name", true),
            ("related_to", "Related To", false),
            ("status", "Status", false),
            ("assignee", "Owner", false),
            ("visibility", "Visibility", false),
            ("details", "Description", false),
            ("tags", "Tags", false),
        ],
        Kind::Task => &[
            ("name", "Name", true),
            ("related_to", "Related To", false),
            ("assignee", "Owner", false),
            ("due_date", "Due Date", false),
            ("reminder_date", "Reminder", false),
            ("priority", "Priority", false),
            ("status", "Status", false),
            ("details", "Description", false),
            ("tags", "Tags", false),
        ],
        Kind::Activity => &[],
    }
}

/// `GET /field_layouts/by_entity/{entity_type}[?pipeline_id=]`.
pub(crate) fn field_layout(sim: &Sim, entity_type: &str, q: &Query) -> ApiResult {
    let kind = Kind::from_plural(entity_type)
        .filter(|k| *k != Kind::Activity)
        .ok_or(ApiError::NotFound)?;
    let st = sim.state.read();
    if kind == Kind::Opportunity {
        let pid = q
            .get("pipeline_id")
            .ok_or_else(|| ApiError::invalid("pipeline_id", "is required for opportunities"))?;
        let pid: i64 = pid
            .parse()
            .map_err(|_| ApiError::invalid("pipeline_id", "must be an integer"))?;
        if st.pipeline(pid).is_none() {
            return Err(ApiError::invalid(
                "pipeline_id",
                format!("refers to an unknown pipeline {pid}"),
            ));
        }
    }
    let mut out: Vec<Value> = static_fields(kind)
        .iter()
        .enumerate()
        .map(|(i, (key, label, required))| {
            json!({
                "field_id": i, "field_label": label, "field_key": key, "field_type": "static_field",
                "enabled": true, "required": required, "required_editable": !required || *key != "name"
            })
        })
        .collect();
    out.extend(st.cfds.values().filter(|d| d.shown_on(kind)).map(|d| {
        json!({
            "field_id": d.id, "field_label": d.name, "field_key": format!("cf_{}", d.id),
            "field_type": "custom_field", "enabled": true, "required": false, "required_editable": true
        })
    }));
    Ok(Reply::json(&out))
}
