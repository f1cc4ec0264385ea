//! Fidelity to the documentation examples in `tests/fixtures`: every response carries the keys
//! of the doc example of its operation with the same JSON types, and every documented search
//! request body is accepted.

mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;

use common::Api;
use serde_json::{Value, json};

fn fixtures_dir() -> PathBuf {
    PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../../tests/fixtures"))
}

/// Every fixture of a kind (`response`, `request`, ...), by operation.
fn fixtures(kind: &str) -> BTreeMap<String, Vec<(String, Value)>> {
    let mut out: BTreeMap<String, Vec<(String, Value)>> = BTreeMap::new();
    for entry in std::fs::read_dir(fixtures_dir()).expect("fixtures dir") {
        let name = entry.unwrap().file_name().to_string_lossy().to_string();
        let parts: Vec<&str> = name.split('.').collect();
        if parts.len() < 3 || parts[1] != kind || !name.ends_with(".json") {
            continue;
        }
        let text = std::fs::read_to_string(fixtures_dir().join(&name)).unwrap();
        let v: Value = serde_json::from_str(&text).unwrap();
        out.entry(parts[0].to_string()).or_default().push((name, v));
    }
    out
}

/// Fields Copper added after some examples were written; an older example without them still
/// matches a response that has them.
const ADDED_LATER: &[&str] = &[
    "primary_contact_id",
    "pipeline_type",
    "pipeline_is_revenue",
    "headers",
    "custom_field_computed_values",
    "is_filterable",
    "canonical_name",
    "groups",
    "primary_timezone",
    "settings",
];

fn json_type(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "bool",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    }
}

/// The objects of a response to compare: the object itself, or the elements of an array.
fn objects(v: &Value) -> Vec<&serde_json::Map<String, Value>> {
    match v {
        Value::Object(m) => vec![m],
        Value::Array(items) => items.iter().filter_map(Value::as_object).collect(),
        _ => vec![],
    }
}

/// Why `got` does not have the shape of `doc`, or `None` if it does.
fn mismatch(
    got: &serde_json::Map<String, Value>,
    doc: &serde_json::Map<String, Value>,
) -> Option<String> {
    let norm = |keys: BTreeSet<&str>| -> BTreeSet<String> {
        keys.into_iter()
            .filter(|k| !ADDED_LATER.contains(k))
            .map(str::to_string)
            .collect()
    };
    let gk = norm(got.keys().map(String::as_str).collect());
    let dk = norm(doc.keys().map(String::as_str).collect());
    if gk != dk {
        let extra: Vec<_> = gk.difference(&dk).collect();
        let missing: Vec<_> = dk.difference(&gk).collect();
        return Some(format!("extra keys {extra:?}, missing keys {missing:?}"));
    }
    for (k, dv) in doc {
        let gv = &got[k];
        if !dv.is_null() && !gv.is_null() && json_type(dv) != json_type(gv) {
            return Some(format!(
                "{k}: doc has {}, sim has {}",
                json_type(dv),
                json_type(gv)
            ));
        }
    }
    None
}

/// Assert every object of `got` matches the shape of some doc example object of `op`.
#[track_caller]
fn assert_shape(docs: &BTreeMap<String, Vec<(String, Value)>>, op: &str, got: &Value) {
    // A custom field definition's keys depend on its data type, not on the operation, so the
    // examples of all its read/write operations are pooled.
    const CFD_OPS: [&str; 4] = [
        "custom_field_definitions_list",
        "custom_field_definitions_get",
        "custom_field_definitions_create",
        "custom_field_definitions_update",
    ];
    let ops: Vec<&str> = if CFD_OPS.contains(&op) {
        CFD_OPS.to_vec()
    } else {
        vec![op]
    };
    let examples: Vec<(&String, &serde_json::Map<String, Value>)> = ops
        .iter()
        .flat_map(|op| {
            docs.get(*op)
                .unwrap_or_else(|| panic!("no doc example for {op}"))
        })
        .flat_map(|(name, v)| objects(v).into_iter().map(move |o| (name, o)))
        .collect();
    let got_objects = objects(got);
    assert!(!got_objects.is_empty(), "{op}: empty response {got}");
    for g in got_objects {
        let reasons: Vec<String> = examples
            .iter()
            .filter_map(|(name, d)| mismatch(g, d).map(|why| format!("{name}: {why}")))
            .collect();
        assert!(
            reasons.len() < examples.len(),
            "{op}: response matches no doc example:\n{}\n{}",
            reasons.join("\n"),
            Value::Object(g.clone())
        );
    }
}

#[tokio::test]
async fn responses_have_the_shape_of_the_doc_examples() {
    let docs = {
        let mut d = fixtures("response");
        for (op, items) in fixtures("response_item") {
            d.entry(op).or_default().extend(items);
        }
        d
    };
    let api = Api::demo().await;
    let checked = std::cell::RefCell::new(BTreeSet::new());
    let check = |op: &str, v: &Value| {
        assert_shape(&docs, op, v);
        checked.borrow_mut().insert(op.to_string());
    };
    let first = |v: &Value| v[0]["id"].clone();

    check("account_get", &api.get("/account").await.expect(200));
    let me = api.get("/users/me").await.expect(200);
    check("users_get", &me);
    check(
        "users_get",
        &api.get(&format!("/users/{}", me["id"])).await.expect(200),
    );
    check(
        "users_search",
        &api.post("/users/search", json!({})).await.expect(200),
    );
    for (op, path) in [
        ("lead_statuses_list", "/lead_statuses"),
        ("customer_sources_list", "/customer_sources"),
        ("contact_types_list", "/contact_types"),
        ("loss_reasons_list", "/loss_reasons"),
        ("pipelines_list", "/pipelines"),
        ("pipeline_stages_list", "/pipeline_stages"),
        ("activity_types_list", "/activity_types"),
        ("custom_field_definitions_list", "/custom_field_definitions"),
        ("custom_activity_types_list", "/custom_activity_types"),
        ("tags_list", "/tags"),
        ("tags_list", "/tags?tag_names_only=true"),
        ("field_layouts_by_entity", "/field_layouts/by_entity/people"),
    ] {
        let v = api.get(path).await.expect(200);
        if op == "tags_list" && path.contains("names") {
            assert!(v.as_array().unwrap().iter().all(Value::is_string));
            continue;
        }
        check(op, &v);
    }
    let pipelines = api.get("/pipelines").await.expect(200);
    check(
        "pipeline_stages_by_pipeline",
        &api.get(&format!("/pipeline_stages/pipeline/{}", first(&pipelines)))
            .await
            .expect(200),
    );
    let types = api.get("/activity_types").await.expect(200);
    check("activity_types_list", &types);
    for cat in ["user", "system"] {
        let doc_items = &docs["activity_types_list"][0].1[cat];
        assert!(
            mismatch(
                types[cat][0].as_object().unwrap(),
                doc_items[0].as_object().unwrap()
            )
            .is_none()
        );
    }

    // Core records: get, create, update, search, delete.
    let person = api
        .post("/people/search", json!({"name": "Michael Scott"}))
        .await
        .expect(200);
    check("people_search", &person);
    let pid = first(&person);
    check(
        "people_get",
        &api.get(&format!("/people/{pid}")).await.expect(200),
    );
    check(
        "people_update",
        &api.put(&format!("/people/{pid}"), json!({"details": "x"}))
            .await
            .expect(200),
    );
    let email = person[0]["emails"][0]["email"].clone();
    check(
        "people_fetch_by_email",
        &api.post("/people/fetch_by_email", json!({"email": email}))
            .await
            .expect(200),
    );
    let created = api.post("/people", json!({"name": "Doc Shape", "emails": [{"email": "doc@shape.test", "category": "work"}]})).await.expect(200);
    check("people_create", &created);
    check("people_bulk_update", &api.post("/people/bulk_update", json!({"people": [{"id": created["id"], "title": "T"}, {"id": created["id"], "name": null}]})).await.expect(200));
    check(
        "people_activities_list",
        &api.post(&format!("/people/{pid}/activities"), json!({}))
            .await
            .expect(200),
    );
    check(
        "people_delete",
        &api.delete(&format!("/people/{}", created["id"]))
            .await
            .expect(200),
    );

    check(
        "leads_search",
        &api.post("/leads/search", json!({"page_size": 5}))
            .await
            .expect(200),
    );
    let leads = api
        .post("/leads/search", json!({"name": "Kevin Malone"}))
        .await
        .expect(200);
    let lid = first(&leads);
    check(
        "leads_get",
        &api.get(&format!("/leads/{lid}")).await.expect(200),
    );
    check(
        "leads_update",
        &api.put(&format!("/leads/{lid}"), json!({"details": "x"}))
            .await
            .expect(200),
    );
    check("leads_upsert", &api.put("/leads/upsert", json!({"properties": {"name": "Doc Upsert"}, "match": {"field_name": "name", "field_value": "Doc Upsert"}})).await.expect(200));
    let lead = api.post("/leads", json!({"name": "Doc Lead", "company_name": "Doc Co", "email": {"email": "lead@doc.test", "category": "work"}})).await.expect(200);
    check("leads_create", &lead);
    check(
        "leads_bulk_create",
        &api.post(
            "/leads/bulk_create",
            json!({"leads": [{"name": "Bulk Doc"}, {"title": "no name"}]}),
        )
        .await
        .expect(200),
    );
    check(
        "leads_activities_list",
        &api.post(&format!("/leads/{lid}/activities"), json!({}))
            .await
            .expect(200),
    );
    let converted = api
        .post(&format!("/leads/{}/convert", lead["id"]), json!({"details": {"person": {"name": "John Doe"}, "opportunity": {"name": "Demo Project", "monetary_value": 1000}}}))
        .await
        .expect(200);
    let doc = &docs["leads_convert"][0].1;
    for part in ["person", "company", "opportunity"] {
        let why = mismatch(
            converted[part].as_object().unwrap(),
            doc[part].as_object().unwrap(),
        );
        assert!(why.is_none(), "leads_convert.{part}: {why:?}");
    }
    checked.borrow_mut().insert("leads_convert".to_string());
    check(
        "leads_search",
        &api.post(
            "/leads/search",
            json!({"ids": [lead["id"]], "include_converted_leads": true}),
        )
        .await
        .expect(200),
    );
    check(
        "leads_delete",
        &api.delete(&format!("/leads/{lid}")).await.expect(200),
    );

    check(
        "companies_search",
        &api.post("/companies/search", json!({"page_size": 3}))
            .await
            .expect(200),
    );
    let companies = api
        .post("/companies/search", json!({"name": "Dunder Mifflin"}))
        .await
        .expect(200);
    let cid = first(&companies);
    check(
        "companies_get",
        &api.get(&format!("/companies/{cid}")).await.expect(200),
    );
    check(
        "companies_update",
        &api.put(&format!("/companies/{cid}"), json!({"details": "x"}))
            .await
            .expect(200),
    );
    let company = api
        .post("/companies", json!({"name": "Doc Company"}))
        .await
        .expect(200);
    check("companies_create", &company);
    check(
        "companies_activities_list",
        &api.post(&format!("/companies/{cid}/activities"), json!({}))
            .await
            .expect(200),
    );
    check(
        "companies_delete",
        &api.delete(&format!("/companies/{}", company["id"]))
            .await
            .expect(200),
    );

    let opps = api
        .post("/opportunities/search", json!({"page_size": 3}))
        .await
        .expect(200);
    check("opportunities_search", &opps);
    let oid = first(&opps);
    check(
        "opportunities_get",
        &api.get(&format!("/opportunities/{oid}")).await.expect(200),
    );
    check(
        "opportunities_update",
        &api.put(&format!("/opportunities/{oid}"), json!({"details": "x"}))
            .await
            .expect(200),
    );
    let opp = api
        .post(
            "/opportunities",
            json!({"name": "Doc Deal", "primary_contact_id": pid}),
        )
        .await
        .expect(200);
    check("opportunities_create", &opp);
    check("opportunities_bulk_create", &api.post("/opportunities/bulk_create", json!({"opportunities": [{"name": "B", "primary_contact_id": pid}, {"primary_contact_id": pid}]})).await.expect(200));
    check(
        "opportunities_delete",
        &api.delete(&format!("/opportunities/{}", opp["id"]))
            .await
            .expect(200),
    );

    let projects = api.post("/projects/search", json!({})).await.expect(200);
    check("projects_search", &projects);
    let prid = first(&projects);
    check(
        "projects_get",
        &api.get(&format!("/projects/{prid}")).await.expect(200),
    );
    check(
        "projects_update",
        &api.put(&format!("/projects/{prid}"), json!({"details": "x"}))
            .await
            .expect(200),
    );
    let project = api
        .post("/projects", json!({"name": "Doc Project"}))
        .await
        .expect(200);
    check("projects_create", &project);
    check(
        "projects_delete",
        &api.delete(&format!("/projects/{}", project["id"]))
            .await
            .expect(200),
    );

    let tasks = api.post("/tasks/search", json!({})).await.expect(200);
    check("tasks_search", &tasks);
    let tid = first(&tasks);
    check(
        "tasks_get",
        &api.get(&format!("/tasks/{tid}")).await.expect(200),
    );
    check(
        "tasks_update",
        &api.put(&format!("/tasks/{tid}"), json!({"details": "x"}))
            .await
            .expect(200),
    );
    let task = api
        .post("/tasks", json!({"name": "Doc Task"}))
        .await
        .expect(200);
    check("tasks_create", &task);
    check(
        "tasks_delete",
        &api.delete(&format!("/tasks/{}", task["id"]))
            .await
            .expect(200),
    );

    let acts = api.post("/activities/search", json!({})).await.expect(200);
    check("activities_search", &acts);
    let aid = first(&acts);
    check(
        "activities_get",
        &api.get(&format!("/activities/{aid}")).await.expect(200),
    );
    check(
        "activities_update",
        &api.put(&format!("/activities/{aid}"), json!({"details": "x"}))
            .await
            .expect(200),
    );
    let act = api.post("/activities", json!({"parent": {"type": "person", "id": pid}, "type": {"category": "user", "id": 0}, "details": "doc"})).await.expect(200);
    check("activities_create", &act);
    check("activities_bulk_create", &api.post("/activities/bulk_create", json!({"activities": [{"parent": {"type": "person", "id": pid}, "type": {"category": "user", "id": 0}, "details": "b"}, {"details": "x"}]})).await.expect(200));
    check(
        "activities_delete",
        &api.delete(&format!("/activities/{}", act["id"]))
            .await
            .expect(200),
    );

    // Custom fields and activity types.
    let dd = api.post("/custom_field_definitions", json!({"name": "A Dropdown", "data_type": "Dropdown", "available_on": ["lead"], "options": [{"name": "Option1"}, {"name": "Option2"}]})).await.expect(200);
    check("custom_field_definitions_create", &dd);
    check(
        "custom_field_definitions_create",
        &api.post(
            "/custom_field_definitions",
            json!({"name": "My Currency", "data_type": "Currency", "currency": "CAD"}),
        )
        .await
        .expect(200),
    );
    check(
        "custom_field_definitions_create",
        &api.post(
            "/custom_field_definitions",
            json!({"name": "A String", "data_type": "String"}),
        )
        .await
        .expect(200),
    );
    check(
        "custom_field_definitions_get",
        &api.get(&format!("/custom_field_definitions/{}", dd["id"]))
            .await
            .expect(200),
    );
    check(
        "custom_field_definitions_update",
        &api.put(
            &format!("/custom_field_definitions/{}", dd["id"]),
            json!({"options": [{"name": "Option 1"}]}),
        )
        .await
        .expect(200),
    );
    check(
        "custom_field_definitions_delete",
        &api.delete(&format!("/custom_field_definitions/{}", dd["id"]))
            .await
            .expect(200),
    );
    let cat = api
        .post(
            "/custom_activity_types",
            json!({"name": "Doc Type", "icon_type": "Phone"}),
        )
        .await
        .expect(200);
    check("custom_activity_types_create", &cat);
    check(
        "custom_activity_types_get",
        &api.get(&format!("/custom_activity_types/{}", cat["id"]))
            .await
            .expect(200),
    );
    check(
        "custom_activity_types_update",
        &api.put(
            &format!("/custom_activity_types/{}", cat["id"]),
            json!({"name": "Doc Type 2"}),
        )
        .await
        .expect(200),
    );

    // Related items and links.
    check(
        "related_items_add",
        &api.post(
            &format!("/opportunities/{oid}/related"),
            json!({"resource": {"id": prid, "type": "project"}}),
        )
        .await
        .expect(200),
    );
    check(
        "related_items_list",
        &api.get(&format!("/opportunities/{oid}/related"))
            .await
            .expect(200),
    );
    check(
        "related_items_list_by_type",
        &api.get(&format!("/opportunities/{oid}/related/projects"))
            .await
            .expect(200),
    );
    check(
        "related_items_remove",
        &api.call(
            reqwest::Method::DELETE,
            &format!("/opportunities/{oid}/related"),
            Some(json!({"resource": {"id": prid, "type": "project"}})),
        )
        .await
        .expect(200),
    );
    let connect = api.cfd("Referred By").await["id"].clone();
    let link = api.post("/related_links", json!({"custom_field_definition_id": connect, "source": {"id": pid, "entity_type": "people"}, "target": {"id": me["id"], "entity_type": "user"}})).await.expect(200);
    check("related_links_create", &link);
    check(
        "related_links_list",
        &api.get(&format!(
            "/related_links?source_type=people&source_id={pid}"
        ))
        .await
        .expect(200),
    );
    check(
        "related_links_delete",
        &api.delete(&format!("/related_links/{}", link["id"]))
            .await
            .expect(200),
    );

    // Webhooks.
    let hook = api.post("/webhooks", json!({"target": "http://127.0.0.1:9/hook", "type": "lead", "event": "update", "secret": {"secret": "hook_source", "key": "copper_notifications"}})).await.expect(200);
    check("webhooks_create", &hook);
    check(
        "webhooks_get",
        &api.get(&format!("/webhooks/{}", hook["id"]))
            .await
            .expect(200),
    );
    check("webhooks_list", &api.get("/webhooks").await.expect(200));
    check(
        "webhooks_update",
        &api.put(
            &format!("/webhooks/{}", hook["id"]),
            json!({"custom_field_computed_values": true}),
        )
        .await
        .expect(200),
    );
    check(
        "webhooks_delete",
        &api.delete(&format!("/webhooks/{}", hook["id"]))
            .await
            .expect(200),
    );

    let with_examples: BTreeSet<String> = docs
        .keys()
        .filter(|op| !op.starts_with("oauth_"))
        .cloned()
        .collect();
    let checked = checked.into_inner();
    let missed: Vec<_> = with_examples.difference(&checked).collect();
    assert!(
        missed.is_empty(),
        "operations with doc examples not checked: {missed:?}"
    );
}

#[tokio::test]
async fn documented_search_requests_are_accepted() {
    let api = Api::demo().await;
    // The examples filter on definition ids of Copper's demo account; point them at the
    // simulator's demo definitions of the same data type.
    let id_of = |name: &str| {
        let api = &api;
        let name = name.to_string();
        async move { api.cfd(&name).await["id"].clone() }
    };
    let (multi, check_box, date, dropdown) = (
        id_of("Flavors").await,
        id_of("VIP").await,
        id_of("Renewal Date").await,
        id_of("Color").await,
    );
    let mut failures = Vec::new();
    let mut count = 0;
    for (op, bodies) in fixtures("request") {
        let Some(entity) = op.strip_suffix("_search") else {
            continue;
        };
        for (name, mut body) in bodies {
            count += 1;
            if let Some(Value::Array(filters)) = body.get_mut("custom_fields") {
                for f in filters.iter_mut() {
                    let def = if f.get("option").is_some() || name.contains("multiselect") {
                        &multi
                    } else if f.get("value").is_some_and(Value::is_boolean) {
                        &check_box
                    } else if f.get("minimum_value").is_some() || f.get("maximum_value").is_some() {
                        &date
                    } else {
                        &dropdown
                    };
                    f["custom_field_definition_id"] = def.clone();
                }
            }
            let r = api.post(&format!("/{entity}/search"), body.clone()).await;
            if r.status != 200 {
                failures.push(format!("{name}: {} {}", r.status, r.body));
            }
        }
    }
    assert!(count > 100, "{count} documented search bodies");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
