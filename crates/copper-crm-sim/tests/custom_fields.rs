//! Custom field definitions, values stored as Copper stores them, computed values, and custom
//! activity types.

mod common;

use common::Api;
use serde_json::{Value, json};

#[tokio::test]
async fn definitions_crud_and_validation() {
    let api = Api::empty().await;
    let dd = api
        .post("/custom_field_definitions", json!({"name": "A Dropdown", "data_type": "Dropdown", "available_on": ["lead", "person", "company"], "options": [{"name": "Option1"}, {"name": "Option2"}]}))
        .await
        .expect(200);
    assert_eq!(dd["canonical_name"], Value::Null);
    assert_eq!(dd["is_filterable"], false);
    assert_eq!(dd["options"][0]["rank"], 0);
    assert_eq!(dd["options"][1]["name"], "Option2");
    assert!(dd.get("currency").is_none());
    let cur = api
        .post("/custom_field_definitions", json!({"name": "My Currency", "data_type": "Currency", "available_on": ["lead", "person"], "currency": "cad", "canonical_name": "My_Currency"}))
        .await
        .expect(200);
    assert_eq!(cur["currency"], "CAD");
    assert_eq!(cur["canonical_name"], "my_currency");
    assert!(cur.get("options").is_none());
    for bad in [
        json!({"data_type": "String"}),
        json!({"name": "x", "data_type": "Connect"}),
        json!({"name": "x", "data_type": "Colour"}),
        json!({"name": "x", "data_type": "MultiSelect", "options": [{"name": "only one"}]}),
        json!({"name": "x", "data_type": "Dropdown"}),
        json!({"name": "x", "data_type": "String", "options": [{"name": "a"}]}),
        json!({"name": "x", "data_type": "String", "available_on": ["planet"]}),
        json!({"name": "A Dropdown", "data_type": "String"}),
    ] {
        let r = api.post("/custom_field_definitions", bad.clone()).await;
        assert_eq!(r.status, 422, "{bad}");
    }
    let id = dd["id"].as_i64().unwrap();
    let opt1 = dd["options"][0]["id"].clone();
    let opt2 = dd["options"][1]["id"].clone();
    let lead = api
        .post("/leads", json!({"name": "L", "custom_fields": [{"custom_field_definition_id": id, "value": opt2}]}))
        .await
        .expect(200);
    // Replacing the options: kept names keep their ids, new ones get new ids, values of removed
    // options are cleared.
    let upd = api
        .put(&format!("/custom_field_definitions/{id}"), json!({"available_on": ["lead", "person", "opportunity"], "options": [{"name": "Option1"}, {"name": "Option 3"}]}))
        .await
        .expect(200);
    assert_eq!(upd["options"][0]["id"], opt1);
    assert_ne!(upd["options"][1]["id"], opt2);
    assert_eq!(
        upd["available_on"],
        json!(["lead", "person", "opportunity"])
    );
    let l = api.get(&format!("/leads/{}", lead["id"])).await.expect(200);
    let v = l["custom_fields"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["custom_field_definition_id"] == id)
        .unwrap();
    assert_eq!(v["value"], Value::Null);
    assert_eq!(
        api.put(
            &format!("/custom_field_definitions/{id}"),
            json!({"data_type": "String"})
        )
        .await
        .status,
        422
    );
    let got = api
        .get(&format!("/custom_field_definitions/{id}"))
        .await
        .expect(200);
    assert_eq!(got, upd);
    assert_eq!(
        api.get("/custom_field_definitions")
            .await
            .expect(200)
            .as_array()
            .unwrap()
            .len(),
        2
    );
    assert_eq!(
        api.delete(&format!("/custom_field_definitions/{id}"))
            .await
            .expect(200),
        json!({"id": id, "is_deleted": true})
    );
    let l = api.get(&format!("/leads/{}", lead["id"])).await.expect(200);
    assert!(
        l["custom_fields"]
            .as_array()
            .unwrap()
            .iter()
            .all(|c| c["custom_field_definition_id"] != id)
    );
}

#[tokio::test]
async fn values_are_stored_as_copper_stores_them() {
    let api = Api::demo().await;
    let def = |name: &'static str| {
        let api = &api;
        async move { api.cfd(name).await["id"].as_i64().unwrap() }
    };
    let (s, dd, ms, url, cb, fl, pct) = (
        def("Account Key").await,
        def("Color").await,
        def("Flavors").await,
        def("Homepage").await,
        def("VIP").await,
        def("Seats").await,
        def("Discount").await,
    );
    let green = api.option("Color", "Green").await;
    let (choc, van) = (
        api.option("Flavors", "Chocolate").await,
        api.option("Flavors", "Vanilla").await,
    );
    let lead = api
        .post(
            "/leads",
            json!({"name": "Typed", "custom_fields": [
                {"custom_field_definition_id": s, "value": "Text fields are 255 chars or less!"},
                {"custom_field_definition_id": dd, "value": green},
                {"custom_field_definition_id": ms, "value": [choc, van]},
                {"custom_field_definition_id": cb, "value": true},
                {"custom_field_definition_id": fl, "value": 42.5},
                {"custom_field_definition_id": pct, "value": 50},
            ]}),
        )
        .await
        .expect(200);
    let value = |rec: &Value, id: i64| {
        rec["custom_fields"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["custom_field_definition_id"] == id)
            .cloned()
            .unwrap()
    };
    assert_eq!(value(&lead, dd)["value"], green);
    assert_eq!(value(&lead, ms)["value"], json!([choc, van]));
    assert_eq!(value(&lead, cb)["value"], true);
    assert_eq!(value(&lead, fl)["value"], 42.5);
    assert!(value(&lead, dd).get("computed_value").is_none());
    // Every definition available on leads appears; URL "Homepage" is not on leads.
    let on_leads = api
        .get("/custom_field_definitions")
        .await
        .expect(200)
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| {
            d["available_on"]
                .as_array()
                .unwrap()
                .contains(&json!("lead"))
                && d["data_type"] != "Connect"
        })
        .count();
    assert_eq!(lead["custom_fields"].as_array().unwrap().len(), on_leads);
    assert!(
        lead["custom_fields"]
            .as_array()
            .unwrap()
            .iter()
            .all(|c| c["custom_field_definition_id"] != url)
    );
    // Partial custom field updates leave the other values alone; null clears one.
    let id = lead["id"].as_i64().unwrap();
    let upd = api
        .put(
            &format!("/leads/{id}"),
            json!({"custom_fields": [{"custom_field_definition_id": dd, "value": null}]}),
        )
        .await
        .expect(200);
    assert_eq!(value(&upd, dd)["value"], Value::Null);
    assert_eq!(value(&upd, ms)["value"], json!([choc, van]));
    let computed = api
        .get(&format!("/leads/{id}?custom_field_computed_values=true"))
        .await
        .expect(200);
    assert_eq!(
        value(&computed, ms)["computed_value"],
        json!(["Chocolate", "Vanilla"])
    );
    assert_eq!(value(&computed, dd)["computed_value"], Value::Null);
    assert_eq!(
        value(&computed, s)["computed_value"],
        "Text fields are 255 chars or less!"
    );
    assert_eq!(value(&computed, fl)["computed_value"], 42.5);
    for (body, why) in [
        (
            json!([{"custom_field_definition_id": dd, "value": 1}]),
            "unknown option",
        ),
        (
            json!([{"custom_field_definition_id": ms, "value": choc}]),
            "multi-select needs a list",
        ),
        (
            json!([{"custom_field_definition_id": s, "value": "x".repeat(256)}]),
            "over 255 chars",
        ),
        (
            json!([{"custom_field_definition_id": cb, "value": "yes"}]),
            "checkbox needs a bool",
        ),
        (
            json!([{"custom_field_definition_id": url, "value": "https://x.example"}]),
            "not available on leads",
        ),
        (
            json!([{"custom_field_definition_id": 1, "value": 1}]),
            "unknown definition",
        ),
        (json!({"custom_field_definition_id": s}), "not a list"),
    ] {
        let r = api
            .put(&format!("/leads/{id}"), json!({"custom_fields": body}))
            .await;
        assert_eq!(r.status, 422, "{why}");
        assert!(
            r.body["message"]
                .as_str()
                .unwrap()
                .contains("custom_fields"),
            "{why}"
        );
    }
}

#[tokio::test]
async fn computed_values_on_every_eligible_endpoint() {
    let api = Api::demo().await;
    let color = api.cfd("Color").await["id"].clone();
    let red = api.option("Color", "Red").await;
    let has_label = |rec: &Value| {
        rec["custom_fields"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|c| c["custom_field_definition_id"] == color)
            .all(|c| c.get("computed_value").is_some())
    };
    let q = "?custom_field_computed_values=true";
    let cf = json!([{"custom_field_definition_id": color, "value": red}]);
    for entity in [
        "leads",
        "people",
        "companies",
        "opportunities",
        "projects",
        "tasks",
    ] {
        let found = api
            .post(&format!("/{entity}/search{q}"), json!({"page_size": 1}))
            .await
            .expect(200);
        assert!(has_label(&found[0]), "{entity} search");
        let id = found[0]["id"].clone();
        assert!(
            has_label(&api.get(&format!("/{entity}/{id}{q}")).await.expect(200)),
            "{entity} get"
        );
        let upd = api
            .put(&format!("/{entity}/{id}{q}"), json!({"custom_fields": cf}))
            .await
            .expect(200);
        assert!(has_label(&upd), "{entity} update");
        let c = upd["custom_fields"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["custom_field_definition_id"] == color)
            .unwrap()
            .clone();
        assert_eq!(c["computed_value"], "Red");
        let plain = api.get(&format!("/{entity}/{id}")).await.expect(200);
        assert!(
            plain["custom_fields"]
                .as_array()
                .unwrap()
                .iter()
                .all(|c| c.get("computed_value").is_none()),
            "{entity} without the parameter"
        );
    }
    let bulk = api
        .post(
            &format!("/people/bulk_create{q}"),
            json!({"people": [{"name": "Bulk", "custom_fields": cf}]}),
        )
        .await
        .expect(200);
    assert!(has_label(&bulk[0]));
    let created = api
        .post(
            &format!("/leads{q}"),
            json!({"name": "C", "custom_fields": cf}),
        )
        .await
        .expect(200);
    assert!(has_label(&created));
    let upserted = api
        .put(&format!("/leads/upsert{q}"), json!({"properties": {"name": "U"}, "match": {"field_name": "name", "field_value": "U"}}))
        .await
        .expect(200);
    assert!(has_label(&upserted));
}

#[tokio::test]
async fn custom_activity_types() {
    let api = Api::empty().await;
    let list = api.get("/custom_activity_types").await.expect(200);
    let todo = list
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["name"] == "To Do")
        .unwrap()
        .clone();
    assert_eq!(todo["is_default_task_type"], true);
    let account = api.get("/account").await.expect(200);
    assert_eq!(todo["company_id"], account["id"]);
    let created = api
        .post(
            "/custom_activity_types",
            json!({"name": "Site Visit", "icon_type": "Room"}),
        )
        .await
        .expect(200);
    assert_eq!(created["is_disabled"], false);
    assert_eq!(created["is_default_task_type"], Value::Null);
    let id = created["id"].clone();
    let upd = api
        .put(
            &format!("/custom_activity_types/{id}"),
            json!({"icon_type": "navigation"}),
        )
        .await
        .expect(200);
    assert_eq!(upd["icon_type"], "Navigation");
    assert_eq!(upd["name"], "Site Visit");
    assert_eq!(
        api.get(&format!("/custom_activity_types/{id}"))
            .await
            .expect(200),
        upd
    );
    assert_eq!(
        api.post(
            "/custom_activity_types",
            json!({"name": "x", "icon_type": "Rocket"})
        )
        .await
        .status,
        422
    );
    assert_eq!(
        api.post("/custom_activity_types", json!({"icon_type": "Room"}))
            .await
            .status,
        422
    );
    // The new type is a user activity type activities can use.
    let types = api.get("/activity_types").await.expect(200);
    assert!(
        types["user"]
            .as_array()
            .unwrap()
            .iter()
            .any(|t| t["id"] == id && t["name"] == "Site Visit")
    );
    assert!(
        types["user"]
            .as_array()
            .unwrap()
            .iter()
            .all(|t| t["name"] != "To Do")
    );
    let p = api.person("Visited", "v@example.com").await;
    api.post("/activities", json!({"parent": {"type": "person", "id": p}, "type": {"category": "user", "id": id}, "details": "went there"}))
        .await
        .expect(200);
}
