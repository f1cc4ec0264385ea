//! Search: paging, sorting, X-PW-TOTAL, the result cap and every filter family.

mod common;

use std::collections::BTreeSet;

use common::{Api, ids};
use copper_crm_sim::{Limits, Sim};
use serde_json::{Value, json};

async fn search(api: &Api, entity: &str, body: Value) -> (Vec<i64>, usize) {
    let r = api.post(&format!("/{entity}/search"), body.clone()).await;
    let total = r.total.expect("X-PW-TOTAL on every search");
    let v = r.expect(200);
    (ids(&v), total)
}

#[tokio::test]
async fn paging_and_total() {
    let api = Api::start(Sim::builder().records(95).limits(Limits::Off)).await;
    let (first, total) = search(&api, "people", json!({})).await;
    assert_eq!(total, 95);
    assert_eq!(first.len(), 20, "page_size defaults to 20");
    let mut seen = Vec::new();
    for page in 1..=5 {
        let (ids, total) = search(
            &api,
            "people",
            json!({"page_number": page, "page_size": 20, "sort_by": "date_created"}),
        )
        .await;
        assert_eq!(total, 95);
        assert_eq!(ids.len(), if page == 5 { 15 } else { 20 });
        seen.extend(ids);
    }
    assert_eq!(
        seen.iter().collect::<BTreeSet<_>>().len(),
        95,
        "every record exactly once"
    );
    let (beyond, _) = search(&api, "people", json!({"page_number": 6, "page_size": 20})).await;
    assert!(beyond.is_empty());
    let (all, _) = search(&api, "people", json!({"page_size": 200})).await;
    assert_eq!(all.len(), 95);
    for bad in [
        json!({"page_size": 0}),
        json!({"page_size": 201}),
        json!({"page_size": "20"}),
        json!({"page_number": 0}),
        json!({"page_number": -1}),
    ] {
        let r = api.post("/people/search", bad.clone()).await;
        assert_eq!(r.status, 422, "{bad}");
        common::assert_error_shape(&r.body);
    }
}

#[tokio::test]
async fn sorting_is_deterministic_with_id_tie_breaks() {
    let api = Api::start(Sim::builder().records(40).limits(Limits::Off)).await;
    let people = api.sim.records(copper_crm_sim::Entity::Person);
    let mut expected: Vec<(i64, i64)> = people
        .iter()
        .map(|p| {
            (
                p["date_created"].as_i64().unwrap(),
                p["id"].as_i64().unwrap(),
            )
        })
        .collect();
    expected.sort();
    let ties = expected.windows(2).filter(|w| w[0].0 == w[1].0).count();
    assert!(ties > 0, "generated records share timestamps");
    let (asc, _) = search(
        &api,
        "people",
        json!({"sort_by": "date_created", "page_size": 200}),
    )
    .await;
    assert_eq!(asc, expected.iter().map(|x| x.1).collect::<Vec<_>>());
    let (desc, _) = search(
        &api,
        "people",
        json!({"sort_by": "date_created", "sort_direction": "desc", "page_size": 200}),
    )
    .await;
    assert_eq!(desc, asc.iter().rev().copied().collect::<Vec<_>>());
    // The same search twice gives the same order, whatever the key.
    for key in [
        "name",
        "first_name",
        "last_name",
        "email",
        "phone",
        "city",
        "date_modified",
        "title",
        "zip",
    ] {
        let body = json!({"sort_by": key, "page_size": 200});
        let (a, _) = search(&api, "people", body.clone()).await;
        let (b, _) = search(&api, "people", body).await;
        assert_eq!(a, b, "{key}");
        assert_eq!(a.len(), 40);
    }
    let (by_name, _) = search(&api, "people", json!({"sort_by": "name", "page_size": 200})).await;
    let names: Vec<String> = by_name
        .iter()
        .map(|id| {
            people.iter().find(|p| p["id"] == *id).unwrap()["name"]
                .as_str()
                .unwrap()
                .to_lowercase()
        })
        .collect();
    let mut sorted = names.clone();
    sorted.sort();
    assert_eq!(names, sorted);
    let r = api
        .post("/people/search", json!({"sort_by": "shoe_size"}))
        .await;
    assert_eq!(r.status, 422);
    assert!(r.body["message"].as_str().unwrap().contains("first_name"));
    assert_eq!(
        api.post("/people/search", json!({"sort_direction": "up"}))
            .await
            .status,
        422
    );
    for (entity, key) in [
        ("leads", "inactive_days"),
        ("companies", "primary_website"),
        ("opportunities", "stage"),
        ("projects", "related_to"),
        ("tasks", "completed_date"),
    ] {
        api.post(&format!("/{entity}/search"), json!({"sort_by": key}))
            .await
            .expect(200);
    }
}

#[tokio::test]
async fn the_cap_hides_matches_beyond_it_and_date_windows_reach_them() {
    let api = Api::start(
        Sim::builder()
            .records(120)
            .search_cap(50)
            .limits(Limits::Off),
    )
    .await;
    let mut reached = Vec::new();
    for page in 1.. {
        let (ids, total) = search(
            &api,
            "people",
            json!({"page_number": page, "page_size": 20, "sort_by": "date_created"}),
        )
        .await;
        assert_eq!(total, 120, "X-PW-TOTAL reports every match");
        if ids.is_empty() {
            break;
        }
        reached.extend(ids);
    }
    assert_eq!(
        reached.len(),
        50,
        "only the first search_cap matches are reachable"
    );
    // Split by date_created windows under the cap: every record exactly once.
    let people = api.sim.records(copper_crm_sim::Entity::Person);
    let mut dates: Vec<i64> = people
        .iter()
        .map(|p| p["date_created"].as_i64().unwrap())
        .collect();
    dates.sort();
    let (lo, hi) = (dates[0], *dates.last().unwrap());
    let (a, b) = (dates[40], dates[80]);
    assert!(
        dates[39] < a && dates[79] < b,
        "windows split between timestamps"
    );
    let mut all = Vec::new();
    for (min, max) in [(lo, a - 1), (a, b - 1), (b, hi)] {
        let body = json!({"minimum_created_date": min, "maximum_created_date": max, "sort_by": "date_created", "page_size": 200});
        let (ids, total) = search(&api, "people", body).await;
        assert_eq!(ids.len(), total, "each window is under the cap");
        all.extend(ids);
    }
    assert_eq!(all.len(), 120);
    assert_eq!(all.iter().collect::<BTreeSet<_>>().len(), 120);
}

/// A sim with a few hand-made people, leads and companies for the filter tests.
async fn filter_fixture() -> (Api, Vec<i64>) {
    let api = Api::empty().await;
    let users = api.post("/users/search", json!({})).await.expect(200);
    let me = users[0]["id"].clone();
    let company = api
        .post(
            "/companies",
            json!({"name": "Initech", "email_domain": "initech.com"}),
        )
        .await
        .expect(200)["id"]
        .clone();
    let specs = [
        json!({"name": "Ada Lovelace", "emails": [{"email": "ada@example.com"}], "phone_numbers": [{"number": "+1 (408) 555-1234"}],
               "tags": ["math", "vip"], "address": {"city": "London", "state": "LDN", "postal_code": "N1", "country": "GB"}, "assignee_id": me,
               "socials": [{"url": "https://twitter.com/ada", "category": "twitter"}]}),
        json!({"name": "Alan Turing", "emails": [{"email": "alan@example.com"}], "phone_numbers": [{"number": "510-555-1234"}],
               "tags": ["math"], "address": {"city": "Manchester", "country": "GB"}, "company_id": company}),
        json!({"name": "Grace Hopper", "emails": [{"email": "grace@navy.example"}], "phone_numbers": [{"number": "555-9999"}],
               "tags": [], "address": {"city": "", "country": "US"}, "assignee_id": me, "company_id": company}),
        json!({"name": "Barbara Liskov", "emails": [{"email": "barbara@mit.example"}], "tags": ["vip"]}),
    ];
    let mut people = Vec::new();
    for s in specs {
        people.push(
            api.post("/people", s).await.expect(200)["id"]
                .as_i64()
                .unwrap(),
        );
    }
    (api, people)
}

#[tokio::test]
async fn text_id_and_tag_filters() {
    let (api, p) = filter_fixture().await;
    let (ada, alan, grace, barbara) = (p[0], p[1], p[2], p[3]);
    let set = |v: Vec<i64>| v.into_iter().collect::<BTreeSet<_>>();
    let check = |body: Value, want: Vec<i64>| {
        let api = &api;
        async move {
            let (got, total) = search(api, "people", body.clone()).await;
            assert_eq!(set(got), set(want.clone()), "{body}");
            assert_eq!(total, want.len(), "{body}");
        }
    };
    check(json!({"ids": [ada, grace, 1]}), vec![ada, grace]).await;
    check(json!({"name": "a l"}), vec![ada, barbara]).await;
    check(json!({"name": "zz"}), vec![]).await;
    check(json!({"name": "LOVELACE"}), vec![ada]).await;
    check(json!({"name": "a"}), vec![ada, alan, grace, barbara]).await;
    check(
        json!({"emails": ["ADA@example.com", "grace@navy.example"]}),
        vec![ada, grace],
    )
    .await;
    // Phone: partial = ends with the digits; fuzzy (7+ digits, the default) also strips leading digits.
    check(json!({"phone_number": "4085551234"}), vec![ada, alan]).await;
    check(
        json!({"phone_number": {"value": "4085551234", "match": "partial"}}),
        vec![ada],
    )
    .await;
    check(
        json!({"phone_number": {"value": "5551234", "match": "partial"}}),
        vec![ada, alan],
    )
    .await;
    check(json!({"phone_number": "9999"}), vec![grace]).await;
    // Tags: plain list, {option, value}, ALL, NONE and allow_empty.
    check(json!({"tags": ["vip"]}), vec![ada, barbara]).await;
    check(
        json!({"tags": {"option": "ANY", "value": ["vip", "math"]}}),
        vec![ada, alan, barbara],
    )
    .await;
    check(
        json!({"tags": {"option": "ALL", "value": ["vip", "math"]}}),
        vec![ada],
    )
    .await;
    check(
        json!({"tags": {"option": "NONE", "value": ["vip"]}}),
        vec![alan, grace],
    )
    .await;
    check(
        json!({"tags": {"value": ["math"], "allow_empty": true}}),
        vec![ada, alan, grace],
    )
    .await;
    // Id arrays, with -2 meaning "empty".
    let me = api.get("/users/me").await.expect(200)["id"]
        .as_i64()
        .unwrap();
    check(json!({"assignee_ids": [me]}), vec![ada, grace]).await;
    check(json!({"assignee_ids": [-2]}), vec![alan, barbara]).await;
    check(
        json!({"assignee_ids": [me, -2]}),
        vec![ada, alan, grace, barbara],
    )
    .await;
    let company = api.get(&format!("/people/{alan}")).await.expect(200)["company_id"]
        .as_i64()
        .unwrap();
    check(json!({"company_ids": [company]}), vec![alan, grace]).await;
    check(json!({"company_ids": [-2]}), vec![ada, barbara]).await;
    check(json!({"company_id": company}), vec![alan, grace]).await;
    // Address parts, with allow_empty.
    check(json!({"city": "london"}), vec![ada]).await;
    check(
        json!({"city": {"value": "Manchester", "allow_empty": true}}),
        vec![alan, grace, barbara],
    )
    .await;
    check(json!({"city": {"allow_empty": true}}), vec![grace, barbara]).await;
    check(json!({"state": "LDN", "postal_code": "N1"}), vec![ada]).await;
    check(json!({"country": "GB"}), vec![ada, alan]).await;
    check(json!({"socials": ["https://twitter.com/ada"]}), vec![ada]).await;
    check(json!({"followed": 1}), vec![]).await;
    check(json!({"followed": 2}), vec![ada, alan, grace, barbara]).await;
    check(json!({"age": 3600}), vec![ada, alan, grace, barbara]).await;
    // Filters combine with AND; unknown keys are ignored like Copper does.
    check(
        json!({"tags": ["math"], "country": "GB", "assignee_ids": [-2], "whatever": 1}),
        vec![alan],
    )
    .await;
    assert_eq!(
        api.post(
            "/people/search",
            json!({"tags": {"option": "SOME", "value": ["x"]}})
        )
        .await
        .status,
        422
    );
    assert_eq!(
        api.post("/people/search", json!({"assignee_ids": ["me"]}))
            .await
            .status,
        422
    );
}

#[tokio::test]
async fn date_and_count_ranges() {
    let api = Api::start(Sim::builder().records(30).limits(Limits::Off)).await;
    let people = api.sim.records(copper_crm_sim::Entity::Person);
    let mut created: Vec<i64> = people
        .iter()
        .map(|p| p["date_created"].as_i64().unwrap())
        .collect();
    created.sort();
    let (min, max) = (created[10], created[19]);
    let want = created.iter().filter(|c| **c >= min && **c <= max).count();
    let (got, total) = search(
        &api,
        "people",
        json!({"minimum_created_date": min, "maximum_created_date": max, "page_size": 200}),
    )
    .await;
    assert_eq!((got.len(), total), (want, want));
    let mut modified: Vec<i64> = people
        .iter()
        .map(|p| p["date_modified"].as_i64().unwrap())
        .collect();
    modified.sort();
    let cut = modified[15];
    let want = modified.iter().filter(|m| **m >= cut).count();
    let (got, _) = search(
        &api,
        "people",
        json!({"minimum_modified_date": cut, "page_size": 200, "sort_by": "date_modified"}),
    )
    .await;
    assert_eq!(got.len(), want);
    let (got, _) = search(&api, "people", json!({"minimum_interaction_count": 1})).await;
    assert!(got.is_empty());
    let (got, _) = search(
        &api,
        "people",
        json!({"maximum_interaction_count": 0, "page_size": 200}),
    )
    .await;
    assert_eq!(got.len(), 30);
    // Leads' monetary value range.
    for (name, value) in [("a", 10), ("b", 100), ("c", 1000)] {
        api.post("/leads", json!({"name": name, "monetary_value": value}))
            .await
            .expect(200);
    }
    let (got, _) = search(
        &api,
        "leads",
        json!({"minimum_monetary_value": 50, "maximum_monetary_value": 500}),
    )
    .await;
    assert_eq!(got.len(), 1);
}

#[tokio::test]
async fn custom_field_filters() {
    let api = Api::demo().await;
    let color = api.cfd("Color").await["id"].as_i64().unwrap();
    let flavors = api.cfd("Flavors").await["id"].as_i64().unwrap();
    let vip = api.cfd("VIP").await["id"].as_i64().unwrap();
    let renewal = api.cfd("Renewal Date").await["id"].as_i64().unwrap();
    let key = api.cfd("Account Key").await["id"].as_i64().unwrap();
    let (red, blue) = (
        api.option("Color", "Red").await,
        api.option("Color", "Blue").await,
    );
    let (choc, van) = (
        api.option("Flavors", "Chocolate").await,
        api.option("Flavors", "Vanilla").await,
    );
    let people = api.sim.records(copper_crm_sim::Entity::Person);
    let value = |p: &Value, def: i64| {
        p["custom_fields"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["custom_field_definition_id"] == def)
            .unwrap()["value"]
            .clone()
    };
    let expect = |pred: &dyn Fn(&Value) -> bool| -> BTreeSet<i64> {
        people
            .iter()
            .filter(|p| pred(p))
            .map(|p| p["id"].as_i64().unwrap())
            .collect()
    };
    let run = |filter: Value| {
        let api = &api;
        async move {
            let (got, _) = search(
                api,
                "people",
                json!({"custom_fields": [filter], "page_size": 200}),
            )
            .await;
            got.into_iter().collect::<BTreeSet<_>>()
        }
    };
    let want = expect(&|p| value(p, color) == json!(red) || value(p, color) == json!(blue));
    assert!(!want.is_empty());
    assert_eq!(
        run(json!({"custom_field_definition_id": color, "value": [red, blue]})).await,
        want
    );
    // Make one person's Color empty, then allow_empty finds it.
    let target = people[0]["id"].as_i64().unwrap();
    api.put(
        &format!("/people/{target}"),
        json!({"custom_fields": [{"custom_field_definition_id": color, "value": null}]}),
    )
    .await
    .expect(200);
    let got =
        run(json!({"custom_field_definition_id": color, "value": [red], "allow_empty": true}))
            .await;
    assert!(got.contains(&target));
    let has = |p: &Value, id: i64| {
        value(p, flavors)
            .as_array()
            .is_some_and(|a| a.contains(&json!(id)))
    };
    assert_eq!(
        run(json!({"custom_field_definition_id": flavors, "value": [choc, van], "option": "ANY"}))
            .await,
        expect(&|p| has(p, choc) || has(p, van))
    );
    assert_eq!(
        run(json!({"custom_field_definition_id": flavors, "value": [choc, van], "option": "ALL"}))
            .await,
        expect(&|p| has(p, choc) && has(p, van))
    );
    assert_eq!(
        run(json!({"custom_field_definition_id": flavors, "value": [choc], "option": "NONE"}))
            .await,
        expect(&|p| !has(p, choc))
    );
    assert_eq!(
        run(json!({"custom_field_definition_id": flavors, "allow_empty": true})).await,
        expect(&|p| value(p, flavors).as_array().is_none_or(|a| a.is_empty()))
    );
    let dates: Vec<i64> = people
        .iter()
        .filter_map(|p| value(p, renewal).as_i64())
        .collect();
    let lo = *dates.iter().min().unwrap() + 1;
    assert_eq!(
        run(json!({"custom_field_definition_id": renewal, "minimum_value": lo})).await,
        expect(&|p| value(p, renewal).as_i64().is_some_and(|d| d >= lo))
    );
    api.put(
        &format!("/people/{target}"),
        json!({"custom_fields": [{"custom_field_definition_id": vip, "value": true}]}),
    )
    .await
    .expect(200);
    assert_eq!(
        run(json!({"custom_field_definition_id": vip, "value": true})).await,
        BTreeSet::from([target])
    );
    assert_eq!(
        run(json!({"custom_field_definition_id": vip, "value": false}))
            .await
            .len(),
        people.len() - 1
    );
    let r = api
        .post(
            "/people/search",
            json!({"custom_fields": [{"custom_field_definition_id": key, "value": "P-0001"}]}),
        )
        .await;
    assert_eq!(r.status, 422, "String fields are not searchable");
    let r = api
        .post(
            "/people/search",
            json!({"custom_fields": [{"custom_field_definition_id": 42}]}),
        )
        .await;
    assert_eq!(r.status, 422);
    // Combined custom field filters are ANDed.
    let both = run(json!({"custom_field_definition_id": color, "value": [red]})).await;
    let (got, _) = search(
        &api,
        "people",
        json!({"custom_fields": [
        {"custom_field_definition_id": color, "value": [red]},
        {"custom_field_definition_id": flavors, "value": [choc]}
    ], "page_size": 200}),
    )
    .await;
    assert!(got.iter().all(|id| both.contains(id)));
}

#[tokio::test]
async fn opportunity_project_and_task_filters() {
    let api = Api::demo().await;
    let opps = api.sim.records(copper_crm_sim::Entity::Opportunity);
    let count = |pred: &dyn Fn(&Value) -> bool| opps.iter().filter(|o| pred(o)).count();
    let n = |body: Value| {
        let api = &api;
        async move { search(api, "opportunities", body).await.1 }
    };
    assert_eq!(
        n(json!({"statuses": ["Open"]})).await,
        count(&|o| o["status"] == "Open")
    );
    assert_eq!(
        n(json!({"status_ids": [1, 2]})).await,
        count(&|o| o["status"] == "Won" || o["status"] == "Lost")
    );
    assert_eq!(
        n(json!({"priorities": ["High", "none"]})).await,
        count(&|o| o["priority"] == "High" || o["priority"] == "None")
    );
    assert_eq!(
        n(json!({"priority_ids": [3]})).await,
        count(&|o| o["priority"] == "High")
    );
    let pid = opps[0]["pipeline_id"].clone();
    assert_eq!(
        n(json!({"pipeline_ids": [pid]})).await,
        count(&|o| o["pipeline_id"] == pid)
    );
    assert_eq!(
        n(json!({"loss_reason_ids": [-2]})).await,
        count(&|o| o["loss_reason_id"].is_null())
    );
    assert_eq!(
        n(json!({"name": "rocket skates"})).await,
        1,
        "opportunity names match exactly (case-insensitive)"
    );
    assert_eq!(n(json!({"name": "rocket"})).await, 0);
    assert_eq!(
        n(json!({"minimum_close_date": 1_735_689_600, "maximum_close_date": 1_738_368_000})).await,
        1,
        "1/10/2025 only"
    );
    assert_eq!(
        n(json!({"primary_contact_ids": [opps[0]["primary_contact_id"]]})).await,
        1
    );
    let projects = api
        .post("/projects/search", json!({"statuses": ["Completed"]}))
        .await
        .expect(200);
    assert_eq!(projects.as_array().unwrap().len(), 1);
    assert_eq!(
        api.post("/projects/search", json!({"status_ids": [1]}))
            .await
            .expect(200),
        projects
    );
    let tasks = api.sim.records(copper_crm_sim::Entity::Task);
    let no_project = tasks
        .iter()
        .filter(|t| t["related_resource"]["type"] != "project")
        .count();
    let (got, _) = search(&api, "tasks", json!({"project_ids": [-2]})).await;
    assert_eq!(got.len(), no_project);
    let opp_task = tasks
        .iter()
        .find(|t| t["related_resource"]["type"] == "opportunity")
        .unwrap();
    let (got, _) = search(
        &api,
        "tasks",
        json!({"opportunity_ids": [opp_task["related_resource"]["id"]]}),
    )
    .await;
    assert_eq!(got, vec![opp_task["id"].as_i64().unwrap()]);
    let (got, _) = search(&api, "tasks", json!({"statuses": ["Completed"]})).await;
    assert_eq!(
        got.len(),
        tasks.iter().filter(|t| t["status"] == "Completed").count()
    );
    // Task search results carry custom_activity_type_id; task fetches do not.
    let found = api
        .post("/tasks/search", json!({"page_size": 1}))
        .await
        .expect(200);
    assert!(found[0]["custom_activity_type_id"].is_i64());
    assert!(
        api.get(&format!("/tasks/{}", found[0]["id"]))
            .await
            .expect(200)
            .get("custom_activity_type_id")
            .is_none()
    );
}

#[tokio::test]
async fn activity_search_by_parent_type_and_date() {
    let api = Api::demo().await;
    let all = api.sim.records(copper_crm_sim::Entity::Activity);
    let parent = all[0]["parent"].clone();
    let r = api
        .post(
            "/activities/search",
            json!({"parent": parent, "page_size": 200}),
        )
        .await;
    assert!(r.total.is_some());
    let got = r.expect(200);
    let want = all.iter().filter(|a| a["parent"] == parent).count();
    assert_eq!(got.as_array().unwrap().len(), want);
    let dates: Vec<i64> = got
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["activity_date"].as_i64().unwrap())
        .collect();
    assert!(dates.windows(2).all(|w| w[0] >= w[1]), "newest first");
    let system = api
        .post(
            "/activities/search",
            json!({"activity_types": [{"id": 1, "category": "system"}]}),
        )
        .await
        .expect(200);
    assert!(!system.as_array().unwrap().is_empty());
    assert!(
        system
            .as_array()
            .unwrap()
            .iter()
            .all(|a| a["type"] == json!({"id": 1, "category": "system"}))
    );
    let notes = api
        .post(
            "/activities/search",
            json!({"activity_types": [{"id": 0, "category": "user"}], "page_size": 200}),
        )
        .await
        .expect(200);
    assert_eq!(
        notes.as_array().unwrap().len(),
        all.iter().filter(|a| a["type"]["id"] == 0).count()
    );
    let mid = all
        .iter()
        .map(|a| a["activity_date"].as_i64().unwrap())
        .min()
        .unwrap()
        + 86_400 * 3;
    let later = api
        .post(
            "/activities/search",
            json!({"minimum_activity_date": mid, "page_size": 200}),
        )
        .await
        .expect(200);
    assert_eq!(
        later.as_array().unwrap().len(),
        all.iter()
            .filter(|a| a["activity_date"].as_i64().unwrap() >= mid)
            .count()
    );
    assert_eq!(
        api.post(
            "/activities/search",
            json!({"parent": {"id": 1, "type": "planet"}})
        )
        .await
        .status,
        422
    );
}

/// A date window whose minimum is after its maximum matches nothing, on every search path (the sorted date
/// index, the unsorted scan and a filter beside the window), and the simulator keeps serving. Schemathesis
/// found the first of these answering with a dropped connection.
#[tokio::test]
async fn inverted_date_windows_match_nothing() {
    let api = Api::start(Sim::builder().records(30).limits(Limits::Off)).await;
    let (all, _) = search(&api, "people", json!({"page_size": 200})).await;
    assert_eq!(all.len(), 30);
    for body in [
        json!({"minimum_created_date": 1, "maximum_created_date": 0}),
        json!({"minimum_created_date": 1, "maximum_created_date": 0, "sort_by": "date_created"}),
        json!({"minimum_modified_date": 1, "maximum_modified_date": 0, "sort_by": "date_modified"}),
        json!({"minimum_created_date": 1, "maximum_created_date": 0, "sort_by": "name"}),
        json!({"minimum_modified_date": 1, "maximum_modified_date": 0, "sort_by": "name"}),
        json!({"minimum_created_date": 1, "maximum_created_date": 0, "sort_by": "date_created", "tags": ["x"]}),
    ] {
        let (ids, total) = search(&api, "people", body.clone()).await;
        assert_eq!((ids.len(), total), (0, 0), "{body}");
    }
    for entity in ["tasks", "leads", "companies", "opportunities", "projects"] {
        let (ids, total) = search(
            &api,
            entity,
            json!({"minimum_created_date": 1, "maximum_created_date": 0}),
        )
        .await;
        assert_eq!((ids.len(), total), (0, 0), "{entity}");
    }
    let (again, _) = search(&api, "people", json!({"page_size": 200})).await;
    assert_eq!(again.len(), 30, "the simulator still answers");
}
