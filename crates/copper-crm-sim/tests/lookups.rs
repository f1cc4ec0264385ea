//! Account, users, lookup lists, pipelines, tags and field layouts.

mod common;

use common::Api;
use serde_json::json;

#[tokio::test]
async fn account_and_users() {
    let api = Api::demo().await;
    let account = api.get("/account").await.expect(200);
    assert_eq!(account["primary_timezone"], "America/New_York");
    assert!(account["settings"]["setting_enable_leads"].is_boolean());
    let me = api.get("/users/me").await.expect(200);
    assert_eq!(me["email"], "sim@example.com");
    assert!(me["groups"].is_array());
    assert_eq!(
        api.get("/users/me").await.expect(200),
        api.get(&format!("/users/{}", me["id"])).await.expect(200)
    );
    let r = api.post("/users/search", json!({"page_size": 2})).await;
    assert_eq!(r.total, Some(4));
    let users = r.expect(200);
    assert_eq!(users.as_array().unwrap().len(), 2);
    assert!(
        users[0].get("groups").is_none(),
        "the users/search example has no groups"
    );
    let page2 = api
        .post("/users/search", json!({"page_size": 2, "page_number": 2}))
        .await
        .expect(200);
    assert_ne!(users[0]["id"], page2[0]["id"]);
    assert_eq!(
        api.post("/users/search", json!({"page_size": 500}))
            .await
            .status,
        422
    );
}

#[tokio::test]
async fn lookup_lists() {
    let api = Api::empty().await;
    let statuses = api.get("/lead_statuses").await.expect(200);
    let names: Vec<&str> = statuses
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["New", "Open", "Unqualified", "Junk"]);
    assert_eq!(statuses[0]["is_default"], true);
    assert_eq!(statuses[0]["order"], 1);
    for path in ["/contact_types", "/customer_sources", "/loss_reasons"] {
        let list = api.get(path).await.expect(200);
        assert!(!list.as_array().unwrap().is_empty(), "{path}");
        assert!(
            list.as_array()
                .unwrap()
                .iter()
                .all(|x| x["id"].is_i64() && x["name"].is_string())
        );
    }
    let pipelines = api.get("/pipelines").await.expect(200);
    let p = &pipelines[0];
    assert_eq!(p["type"], "opportunity");
    assert_eq!(p["is_revenue"], true);
    assert!(
        p["stages"][0].get("pipeline_id").is_none(),
        "embedded stages have no pipeline_id"
    );
    let stages = api.get("/pipeline_stages").await.expect(200);
    assert_eq!(
        stages.as_array().unwrap().len(),
        p["stages"].as_array().unwrap().len()
    );
    assert_eq!(stages[0]["pipeline_id"], p["id"]);
    let by = api
        .get(&format!("/pipeline_stages/pipeline/{}", p["id"]))
        .await
        .expect(200);
    assert_eq!(by, stages);
    let types = api.get("/activity_types").await.expect(200);
    assert!(
        types.is_object(),
        "activity_types is an object keyed by category"
    );
    assert!(types["user"].is_array() && types["system"].is_array());
    assert_eq!(types["system"].as_array().unwrap().len(), 2);
}

#[tokio::test]
async fn tags_are_aggregated_from_records() {
    let api = Api::empty().await;
    api.post(
        "/people",
        json!({"name": "P", "tags": ["Apples", "Bananas"]}),
    )
    .await
    .expect(200);
    api.post("/leads", json!({"name": "L", "tags": ["Apples"]}))
        .await
        .expect(200);
    api.post(
        "/companies",
        json!({"name": "C", "tags": ["Apples", "cherries"]}),
    )
    .await
    .expect(200);
    api.post("/tasks", json!({"name": "T", "tags": ["Bananas"]}))
        .await
        .expect(200);
    let tags = api.get("/tags").await.expect(200);
    assert_eq!(
        tags[0],
        json!({"name": "Apples", "count": 3, "count_people": 1, "count_leads": 1, "count_companies": 1,
               "count_opportunities": 0, "count_projects": 0, "count_tasks": 0})
    );
    let names: Vec<&str> = tags
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["Apples", "Bananas", "cherries"]);
    let by_count = api.get("/tags?sort_by=count").await.expect(200);
    assert_eq!(by_count[0]["name"], "Apples");
    assert_eq!(by_count[1]["name"], "Bananas");
    assert_eq!(
        api.get("/tags?tag_names_only=true").await.expect(200),
        json!(["Apples", "Bananas", "cherries"])
    );
    assert_eq!(
        api.get("/tags?tag_names_only=true&last_tag_value=Apples")
            .await
            .expect(200),
        json!(["Bananas", "cherries"])
    );
    assert_eq!(api.get("/tags?sort_by=size").await.status, 422);
}

#[tokio::test]
async fn field_layouts() {
    let api = Api::demo().await;
    let people = api.get("/field_layouts/by_entity/people").await.expect(200);
    assert_eq!(people[0]["field_key"], "full_name");
    let color = api.cfd("Color").await["id"].clone();
    let cf = people
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["field_type"] == "custom_field" && f["field_id"] == color)
        .unwrap();
    assert_eq!(cf["field_key"], format!("cf_{color}"));
    assert_eq!(cf["field_label"], "Color");
    let r = api.get("/field_layouts/by_entity/opportunities").await;
    assert_eq!(r.status, 422, "pipeline_id is required for opportunities");
    let pipelines = api.get("/pipelines").await.expect(200);
    let opp = api
        .get(&format!(
            "/field_layouts/by_entity/opportunities?pipeline_id={}",
            pipelines[0]["id"]
        ))
        .await
        .expect(200);
    assert!(
        opp.as_array()
            .unwrap()
            .iter()
            .any(|f| f["field_key"] == "deal_date")
    );
    assert_eq!(
        api.get("/field_layouts/by_entity/opportunities?pipeline_id=1")
            .await
            .status,
        422
    );
    for e in ["leads", "companies", "projects", "tasks"] {
        api.get(&format!("/field_layouts/by_entity/{e}"))
            .await
            .expect(200);
    }
    assert_eq!(
        api.get("/field_layouts/by_entity/planets").await.status,
        404
    );
}
