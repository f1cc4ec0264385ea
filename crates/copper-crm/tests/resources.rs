//! Every resource method added for searches, lookups, custom field
//! definitions, relations, connections, files, tags and webhooks, against the
//! simulator's demo data over loopback HTTP.

use std::collections::BTreeSet;

use copper_crm::filters::{self, custom_field};
use copper_crm::resources::TagSort;
use copper_crm::types::{
    self, ActivitySearch, CompanySearch, ConnectionCreate, ConnectionEndpointRef,
    CustomActivityTypeCreate, CustomActivityTypeUpdate, CustomFieldDefinitionCreate,
    CustomFieldDefinitionUpdate, CustomFieldOptionInput, EntityActivitiesRequest, FileAttach,
    LeadSearch, OpportunitySearch, PersonSearch, PersonUpdate, ProjectSearch, TaskSearch,
    UserSearch, WebhookCreate, WebhookUpdate,
};
use copper_crm::{Client, Error, RateLimits, RecordType};
use copper_crm_sim::{Entity, Limits, Sim, SimHandle};
use futures::TryStreamExt;
use serde_json::Value;

async fn demo() -> (SimHandle, Client) {
    let sim = Sim::builder()
        .seed_demo(true)
        .limits(Limits::Off)
        .start()
        .await
        .unwrap();
    let client = Client::builder()
        .api_key(
            copper_crm_sim::DEFAULT_API_KEY,
            copper_crm_sim::DEFAULT_EMAIL,
        )
        .base_url(sim.base_url())
        .rate_limits(RateLimits::unlimited())
        .build()
        .unwrap();
    (sim, client)
}

/// The id of the sim's record of `entity` named `name`.
fn find(sim: &SimHandle, entity: Entity, name: &str) -> i64 {
    sim.records(entity)
        .iter()
        .find(|r| r["name"] == name)
        .and_then(|r| r["id"].as_i64())
        .unwrap_or_else(|| panic!("no {entity} named {name}"))
}

fn ids(records: &[Value]) -> BTreeSet<i64> {
    records.iter().filter_map(|r| r["id"].as_i64()).collect()
}

fn names(records: &[Value]) -> BTreeSet<String> {
    records
        .iter()
        .filter_map(|r| r["name"].as_str().map(str::to_string))
        .collect()
}

#[tokio::test]
async fn lookup_lists_match_the_simulator() {
    let (sim, client) = demo().await;

    let pipelines = client.pipelines().list().await.unwrap();
    assert_eq!(
        pipelines.iter().map(|p| p.id).collect::<BTreeSet<_>>(),
        ids(&sim.records(Entity::Pipeline))
    );
    let sales = pipelines
        .iter()
        .find(|p| p.name == "Sales")
        .expect("the Sales pipeline");
    assert_eq!(sales.stages.len(), 5);

    let stages = client.pipeline_stages().list().await.unwrap();
    assert_eq!(
        stages.iter().map(|s| s.id).collect::<BTreeSet<_>>(),
        ids(&sim.records(Entity::PipelineStage))
    );
    let of_sales = client
        .pipeline_stages()
        .by_pipeline(sales.id)
        .await
        .unwrap();
    assert_eq!(of_sales.len(), 5);
    assert!(of_sales.iter().all(|s| s.pipeline_id == sales.id));
    assert_eq!(
        of_sales
            .iter()
            .find(|s| s.name == "Negotiation")
            .unwrap()
            .win_probability,
        90
    );

    let loss = client.loss_reasons().list().await.unwrap();
    assert_eq!(
        loss.iter().map(|l| l.name.clone()).collect::<BTreeSet<_>>(),
        names(&sim.records(Entity::LossReason))
    );
    assert!(loss.iter().any(|l| l.name == "Too Expensive"));

    let sources = client.customer_sources().list().await.unwrap();
    assert_eq!(sources.len(), sim.record_count(Entity::CustomerSource));
    assert!(sources.iter().any(|s| s.name == "Referral"));

    let statuses = client.lead_statuses().list().await.unwrap();
    assert_eq!(
        statuses.iter().map(|s| s.name.as_str()).collect::<Vec<_>>(),
        ["New", "Open", "Unqualified", "Junk"]
    );
    assert!(statuses[0].is_default && !statuses[1].is_default);

    let contact_types = client.contact_types().list().await.unwrap();
    assert_eq!(
        contact_types.iter().map(|c| c.id).collect::<BTreeSet<_>>(),
        ids(&sim.records(Entity::ContactType))
    );
    assert!(contact_types.iter().any(|c| c.name == "Potential Customer"));

    let activity_types = client.activity_types().list().await.unwrap();
    assert!(
        activity_types
            .user
            .iter()
            .any(|t| t.name == "Phone Call" && t.category == "user")
    );
    assert!(!activity_types.system.is_empty());
    assert!(activity_types.system.iter().all(|t| t.category == "system"));
    sim.shutdown().await;
}

#[tokio::test]
async fn custom_activity_types_list_get_create_update() {
    let (sim, client) = demo().await;
    let handle = client.custom_activity_types();
    let all = handle.list().await.unwrap();
    assert_eq!(all.len(), sim.record_count(Entity::CustomActivityType));
    let demo_call = all
        .iter()
        .find(|t| t.name == "Demo call")
        .expect("the demo's custom type");
    assert_eq!(handle.get(demo_call.id).await.unwrap().icon_type, "Headset");

    let created = handle
        .create(CustomActivityTypeCreate {
            name: "Site visit".into(),
            icon_type: "Event".into(),
        })
        .await
        .unwrap();
    assert_eq!(
        (created.name.as_str(), created.icon_type.as_str()),
        ("Site visit", "Event")
    );
    let renamed = handle
        .update(
            created.id,
            CustomActivityTypeUpdate {
                name: Some("On-site visit".into()),
                icon_type: None,
            },
        )
        .await
        .unwrap();
    assert_eq!(
        (renamed.name.as_str(), renamed.icon_type.as_str()),
        ("On-site visit", "Event")
    );
    assert_eq!(handle.list().await.unwrap().len(), all.len() + 1);
    sim.shutdown().await;
}

#[tokio::test]
async fn custom_field_definitions_crud() {
    let (sim, client) = demo().await;
    let defs = client.custom_field_definitions();
    let all = defs.list().await.unwrap();
    assert_eq!(
        all.iter().map(|d| d.id).collect::<BTreeSet<_>>(),
        ids(&sim.records(Entity::CustomFieldDefinition))
    );
    let color = all.iter().find(|d| d.name == "Color").unwrap();
    let fetched = defs.get(color.id).await.unwrap();
    assert_eq!(fetched.data_type, "Dropdown");
    let options: Vec<&str> = fetched
        .options
        .as_deref()
        .unwrap_or_default()
        .iter()
        .map(|o| o.name.as_str())
        .collect();
    assert_eq!(options, ["Red", "Green", "Blue"]);

    let created = defs
        .create(
            CustomFieldDefinitionCreate::builder()
                .name("Favorite Flavor".to_string())
                .data_type("Dropdown".to_string())
                .available_on(vec!["person".to_string(), "lead".to_string()])
                .options(vec![
                    CustomFieldOptionInput {
                        name: "Chocolate".into(),
                    },
                    CustomFieldOptionInput {
                        name: "Vanilla".into(),
                    },
                ]),
        )
        .await
        .unwrap();
    assert_eq!(created.name, "Favorite Flavor");
    assert_eq!(created.options.as_ref().map(Vec::len), Some(2));
    assert!(created.available_on.contains(&"person".to_string()));

    let renamed = defs
        .update(
            created.id,
            CustomFieldDefinitionUpdate::builder().name(Some("Flavor".to_string())),
        )
        .await
        .unwrap();
    assert_eq!(renamed.name, "Flavor");
    assert_eq!(
        renamed.options.as_ref().map(Vec::len),
        Some(2),
        "options not sent are kept"
    );

    let gone = defs.delete(created.id).await.unwrap();
    assert_eq!(gone.id, created.id);
    assert_eq!(gone.is_deleted, Some(true));
    let err = defs.get(created.id).await.unwrap_err();
    assert_eq!(err.status(), Some(404), "{err}");
    assert_eq!(defs.list().await.unwrap().len(), all.len());
    sim.shutdown().await;
}

#[tokio::test]
async fn field_layouts_by_record_type() {
    let (sim, client) = demo().await;
    let people = client
        .field_layouts()
        .get(RecordType::Person, None)
        .await
        .unwrap();
    assert!(
        people
            .iter()
            .any(|f| f.field_key == "full_name" && f.field_type == "static_field" && f.required)
    );
    // Exactly the custom fields available on people (Connect fields are not laid out).
    let defs = sim.records(Entity::CustomFieldDefinition);
    let on = |kind: &str| -> BTreeSet<i64> {
        defs.iter()
            .filter(|d| {
                d["data_type"] != "Connect"
                    && d["available_on"]
                        .as_array()
                        .unwrap()
                        .iter()
                        .any(|k| k == kind)
            })
            .filter_map(|d| d["id"].as_i64())
            .collect()
    };
    let custom = |layout: &[types::FieldLayoutField]| -> BTreeSet<i64> {
        layout
            .iter()
            .filter(|f| f.field_type == "custom_field")
            .map(|f| f.field_id)
            .collect()
    };
    assert_eq!(custom(&people), on("person"));
    assert!(
        people
            .iter()
            .filter(|f| f.field_type == "custom_field")
            .all(|f| f.field_key == format!("cf_{}", f.field_id))
    );

    let requests = client.stats().requests;
    let err = client
        .field_layouts()
        .get(RecordType::Opportunity, None)
        .await
        .unwrap_err();
    assert!(
        matches!(err, Error::InvalidInput(ref m) if m.contains("pipeline_id")),
        "{err}"
    );
    assert_eq!(
        client.stats().requests,
        requests,
        "refused before any request"
    );
    let sales = find(&sim, Entity::Pipeline, "Sales");
    let deals = client
        .field_layouts()
        .get(RecordType::Opportunity, Some(sales))
        .await
        .unwrap();
    assert_eq!(custom(&deals), on("opportunity"));
    assert_ne!(
        on("opportunity"),
        on("person"),
        "the layouts differ by record type"
    );
    sim.shutdown().await;
}

#[tokio::test]
async fn tags_with_counts_and_every_name_across_pages() {
    let (sim, client) = demo().await;
    let by_name = client.tags().list(TagSort::Name).await.unwrap();
    let names: Vec<String> = by_name.iter().map(|t| t.name.to_lowercase()).collect();
    assert!(names.windows(2).all(|w| w[0] <= w[1]), "{names:?}");
    let demo_tag = by_name
        .iter()
        .find(|t| t.name == "demo")
        .expect("the demo tag");
    assert!(
        demo_tag.count_people >= 6 && demo_tag.count_companies == 5,
        "{demo_tag:?}"
    );
    let by_count = client.tags().list(TagSort::Count).await.unwrap();
    assert!(by_count.windows(2).all(|w| w[0].count >= w[1].count));
    assert_eq!(by_count.len(), by_name.len());

    // More tags than one names-only page (10,000) holds: the stream pages
    // with last_tag_value.
    let michael = find(&sim, Entity::Person, "Michael Scott");
    let many: Vec<String> = (0..10_050).map(|i| format!("bulk-tag-{i:05}")).collect();
    client
        .people()
        .update(michael, PersonUpdate::builder().tags(many.clone()))
        .await
        .unwrap();
    let streamed: Vec<String> = client.tags().names().try_collect().await.unwrap();
    let unique: BTreeSet<&String> = streamed.iter().collect();
    assert_eq!(unique.len(), streamed.len(), "no name twice");
    assert!(
        many.iter().all(|t| unique.contains(t)),
        "every tag name streamed"
    );
    assert!(
        streamed.iter().any(|t| t == "inbound"),
        "the other records' tags too"
    );
    sim.shutdown().await;
}

#[tokio::test]
async fn related_items_list_add_remove() {
    let (sim, client) = demo().await;
    let dwight = find(&sim, Entity::Person, "Dwight Schrute");
    let paper_deal = find(
        &sim,
        Entity::Opportunity,
        "Paper for Scranton Business Park",
    );
    let related = client.related(RecordType::Person, dwight);
    let all = related.list().await.unwrap();
    assert!(
        all.iter()
            .any(|i| i.id == paper_deal && i.type_ == "opportunity"),
        "{all:?}"
    );
    let deals = related.list_by_type(RecordType::Opportunity).await.unwrap();
    assert_eq!(deals.iter().map(|i| i.id).collect::<Vec<_>>(), [paper_deal]);

    let chore = find(&sim, Entity::Task, "Clean up the CRM");
    let added = related.add(RecordType::Task, chore).await.unwrap();
    assert!(added.added);
    assert_eq!(
        (added.resource.id, added.resource.type_.as_str()),
        (chore, "task")
    );
    let tasks = related.list_by_type(RecordType::Task).await.unwrap();
    assert!(tasks.iter().any(|t| t.id == chore));
    // Relations go both ways.
    let back = client
        .related(RecordType::Task, chore)
        .list_by_type(RecordType::Person)
        .await
        .unwrap();
    assert_eq!(back.iter().map(|i| i.id).collect::<Vec<_>>(), [dwight]);

    let removed = related.remove(RecordType::Task, chore).await.unwrap();
    assert!(removed.removed);
    assert!(
        !related
            .list()
            .await
            .unwrap()
            .iter()
            .any(|i| i.id == chore && i.type_ == "task")
    );
    sim.shutdown().await;
}

#[tokio::test]
async fn connections_list_create_delete() {
    let (sim, client) = demo().await;
    let bob = find(&sim, Entity::Person, "Bob Vance");
    let michael = find(&sim, Entity::Person, "Michael Scott");
    let referred = find(&sim, Entity::CustomFieldDefinition, "Referred By");
    let links = client
        .connections()
        .list(RecordType::Person.connect_type(), bob, None)
        .await
        .unwrap();
    assert_eq!(links.len(), 1);
    assert_eq!(
        (links[0].target.id, links[0].target.entity_type.as_str()),
        (michael, "people")
    );
    assert_eq!(links[0].custom_field_definition_id, referred);
    let color = find(&sim, Entity::CustomFieldDefinition, "Color");
    assert!(
        client
            .connections()
            .list("people", bob, Some(color))
            .await
            .unwrap()
            .is_empty()
    );

    let kevin = find(&sim, Entity::Lead, "Kevin Malone");
    let link = client
        .connections()
        .create(ConnectionCreate {
            custom_field_definition_id: referred,
            source: ConnectionEndpointRef {
                entity_type: RecordType::Lead.connect_type().into(),
                id: kevin,
            },
            target: ConnectionEndpointRef {
                entity_type: RecordType::Person.connect_type().into(),
                id: bob,
            },
        })
        .await
        .unwrap();
    assert_eq!((link.source.id, link.target.id), (kevin, bob));
    assert_eq!(link.target.name.as_deref(), Some("Bob Vance"));
    let from_kevin = client
        .connections()
        .list("lead", kevin, Some(referred))
        .await
        .unwrap();
    assert_eq!(
        from_kevin.iter().map(|l| l.id).collect::<Vec<_>>(),
        [link.id]
    );

    let gone = client.connections().delete(link.id).await.unwrap();
    assert!(gone.is_deleted);
    assert_eq!(
        gone.ids.len(),
        2,
        "the link and its reverse: {:?}",
        gone.ids
    );
    assert!(gone.ids.contains(&link.id));
    assert!(
        client
            .connections()
            .list("lead", kevin, None)
            .await
            .unwrap()
            .is_empty()
    );
    sim.shutdown().await;
}

#[tokio::test]
async fn files_list_get_attach() {
    let (sim, client) = demo().await;
    let dunder = find(&sim, Entity::Company, "Dunder Mifflin");
    let files = client.files(RecordType::Company, dunder);
    let listed = files.list().await.unwrap();
    assert_eq!(listed.len(), 1);
    assert_eq!(
        (listed[0].file_name.as_str(), listed[0].file_size),
        ("price-list.pdf", 48_213)
    );
    let fetched = files.get(listed[0].id).await.unwrap();
    assert_eq!(fetched, listed[0]);

    let attached = files
        .attach(FileAttach {
            file_name: "cat.jpeg".into(),
            key: "temp_uploads/abc/def".into(),
        })
        .await
        .unwrap();
    assert_eq!(attached.file_name, "cat.jpeg");
    assert!(!attached.is_deleted);
    assert_eq!(files.list().await.unwrap().len(), 2);
    assert_eq!(sim.record_count(Entity::File), 2);

    let requests = client.stats().requests;
    let err = client.files(RecordType::Task, 1).list().await.unwrap_err();
    assert!(
        matches!(err, Error::InvalidInput(ref m) if m.contains("tasks")),
        "{err}"
    );
    assert_eq!(client.stats().requests, requests);
    sim.shutdown().await;
}

#[tokio::test]
async fn webhooks_crud() {
    let (sim, client) = demo().await;
    let hooks = client.webhooks();
    assert!(hooks.list().await.unwrap().is_empty());
    let created = hooks
        .create(
            WebhookCreate::builder()
                .target("https://127.0.0.1:9/copper".to_string())
                .type_("person".to_string())
                .event("new".to_string()),
        )
        .await
        .unwrap();
    assert_eq!(
        (created.type_.as_str(), created.event.as_str()),
        ("person", "new")
    );
    assert_eq!(
        hooks.get(created.id).await.unwrap().target,
        "https://127.0.0.1:9/copper"
    );
    assert_eq!(
        hooks
            .list()
            .await
            .unwrap()
            .iter()
            .map(|h| h.id)
            .collect::<Vec<_>>(),
        [created.id]
    );

    let moved = hooks
        .update(
            created.id,
            WebhookUpdate::builder().target(Some("https://127.0.0.1:9/v2".to_string())),
        )
        .await
        .unwrap();
    assert_eq!(moved.target, "https://127.0.0.1:9/v2");
    assert_eq!(moved.event, "new");

    let err = hooks
        .create(
            WebhookCreate::builder()
                .target("ftp://nowhere".to_string())
                .type_("person".to_string())
                .event("new".to_string()),
        )
        .await
        .unwrap_err();
    assert_eq!(err.status(), Some(422), "{err}");

    assert_eq!(hooks.delete(created.id).await.unwrap().id, created.id);
    assert_eq!(hooks.get(created.id).await.unwrap_err().status(), Some(404));
    assert_eq!(sim.record_count(Entity::Webhook), 0);
    sim.shutdown().await;
}

#[tokio::test]
async fn activity_lists_of_leads_people_and_companies() {
    let (sim, client) = demo().await;
    let activities = sim.records(Entity::Activity);
    let of = |kind: &str, id: i64| -> BTreeSet<i64> {
        activities
            .iter()
            .filter(|a| a["parent"]["type"] == kind && a["parent"]["id"] == id)
            .filter_map(|a| a["id"].as_i64())
            .collect()
    };

    let michael = find(&sim, Entity::Person, "Michael Scott");
    let got = client
        .people()
        .activities(michael, EntityActivitiesRequest::default())
        .await
        .unwrap();
    assert!(!got.is_empty());
    assert_eq!(
        got.iter().map(|a| a.id).collect::<BTreeSet<_>>(),
        of("person", michael)
    );

    let kevin = find(&sim, Entity::Lead, "Kevin Malone");
    let got = client
        .leads()
        .activities(kevin, EntityActivitiesRequest::default())
        .await
        .unwrap();
    assert_eq!(
        got.iter().map(|a| a.id).collect::<BTreeSet<_>>(),
        of("lead", kevin)
    );
    // Only the system activity of the lead, when asked by type.
    let system: Vec<types::ActivityTypeRef> =
        vec![serde_json::from_value(serde_json::json!({"category": "system", "id": 1})).unwrap()];
    let only_system = client
        .leads()
        .activities(
            kevin,
            EntityActivitiesRequest {
                activity_types: Some(system),
            },
        )
        .await
        .unwrap();
    assert!(!only_system.is_empty());
    assert!(only_system.iter().all(|a| a.type_.category == "system"));

    // A company's list also holds its people's activities.
    let dunder = find(&sim, Entity::Company, "Dunder Mifflin");
    let got: BTreeSet<i64> = client
        .companies()
        .activities(dunder, EntityActivitiesRequest::default())
        .await
        .unwrap()
        .iter()
        .map(|a| a.id)
        .collect();
    assert!(of("company", dunder).is_subset(&got));
    assert!(of("person", michael).is_subset(&got));
    sim.shutdown().await;
}

/// The custom field value of a record (as the sim stores it).
fn cf(record: &Value, definition: i64) -> Value {
    record["custom_fields"]
        .as_array()
        .and_then(|fields| {
            fields
                .iter()
                .find(|f| f["custom_field_definition_id"] == definition)
        })
        .map_or(Value::Null, |f| f["value"].clone())
}

fn has_tag(record: &Value, tag: &str) -> bool {
    record["tags"]
        .as_array()
        .is_some_and(|tags| tags.iter().any(|t| t == tag))
}

fn option_ids(v: &Value) -> Vec<i64> {
    v.as_array()
        .map(|a| a.iter().filter_map(Value::as_i64).collect())
        .unwrap_or_default()
}

#[tokio::test]
async fn every_resource_searches_with_typed_filters() {
    let (sim, client) = demo().await;
    let defs = client.custom_field_definitions().list().await.unwrap();
    let def = |name: &str| defs.iter().find(|d| d.name == name).unwrap();
    let option = |name: &str, option: &str| {
        def(name)
            .options
            .as_deref()
            .unwrap_or_default()
            .iter()
            .find(|o| o.name == option)
            .unwrap()
            .id
    };
    let people = sim.records(Entity::Person);
    let want = |keep: &dyn Fn(&Value) -> bool| -> BTreeSet<i64> {
        people
            .iter()
            .filter(|p| keep(p))
            .filter_map(|p| p["id"].as_i64())
            .collect()
    };
    let got = |found: Vec<types::Person>| -> BTreeSet<i64> { found.iter().map(|p| p.id).collect() };
    let search = |body: types::builder::PersonSearch| client.people().search(body).collect_all();

    // Tags.
    let paper = got(
        search(PersonSearch::builder().tags(filters::tags_any(["paper"])))
            .await
            .unwrap(),
    );
    assert_eq!(paper, want(&|p| has_tag(p, "paper")));
    assert!(!paper.is_empty() && paper.len() < people.len());
    let not_paper = got(
        search(PersonSearch::builder().tags(filters::tags_none(["paper"])))
            .await
            .unwrap(),
    );
    assert_eq!(not_paper, want(&|p| !has_tag(p, "paper")));
    let both = got(
        search(PersonSearch::builder().tags(filters::tags_all(["paper", "demo"])))
            .await
            .unwrap(),
    );
    assert_eq!(both, want(&|p| has_tag(p, "paper") && has_tag(p, "demo")));
    let tasks = sim.records(Entity::Task);
    let task_ids = |keep: &dyn Fn(&Value) -> bool| -> BTreeSet<i64> {
        tasks
            .iter()
            .filter(|t| keep(t))
            .filter_map(|t| t["id"].as_i64())
            .collect()
    };
    let untagged = |t: &Value| t["tags"].as_array().is_none_or(Vec::is_empty);
    let found = client
        .tasks()
        .search(TaskSearch::builder().tags(filters::tags_empty()))
        .collect_all()
        .await
        .unwrap();
    assert_eq!(
        found.iter().map(|t| t.id).collect::<BTreeSet<_>>(),
        task_ids(&untagged)
    );
    assert!(!found.is_empty());
    let found = client
        .tasks()
        .search(TaskSearch::builder().tags(filters::or_untagged(filters::tags_any(["urgent"]))))
        .collect_all()
        .await
        .unwrap();
    assert_eq!(
        found.iter().map(|t| t.id).collect::<BTreeSet<_>>(),
        task_ids(&|t| untagged(t) || has_tag(t, "urgent"))
    );

    // -2: people nobody owns.
    let unowned = got(
        search(PersonSearch::builder().assignee_ids(vec![filters::NO_VALUE]))
            .await
            .unwrap(),
    );
    assert_eq!(unowned, want(&|p| p["assignee_id"].is_null()));
    assert!(!unowned.is_empty());

    // Text, phone, dates.
    let city = |p: &Value| p["address"]["city"].as_str().unwrap_or("").to_string();
    let austin = got(
        search(PersonSearch::builder().city(filters::text_or_empty("Austin")))
            .await
            .unwrap(),
    );
    assert_eq!(austin, want(&|p| city(p) == "Austin" || city(p).is_empty()));
    assert!(!austin.is_empty());
    let stateless = got(search(PersonSearch::builder().state(filters::text_empty()))
        .await
        .unwrap());
    assert_eq!(
        stateless,
        want(&|p| p["address"]["state"].as_str().unwrap_or("").is_empty())
    );
    let michael = find(&sim, Entity::Person, "Michael Scott");
    let number: String =
        people.iter().find(|p| p["id"] == michael).unwrap()["phone_numbers"][0]["number"]
            .as_str()
            .unwrap()
            .to_string();
    let last_seven: String = number
        .chars()
        .filter(char::is_ascii_digit)
        .rev()
        .take(7)
        .collect::<Vec<_>>()
        .into_iter()
        .rev()
        .collect();
    let by_phone = got(search(
        PersonSearch::builder().phone_number(filters::phone_partial(last_seven)),
    )
    .await
    .unwrap());
    assert!(by_phone.contains(&michael), "{number}");
    let future = chrono::Utc::now() + chrono::Duration::days(1);
    let none_yet =
        search(PersonSearch::builder().minimum_created_date(filters::unix_seconds(future)))
            .await
            .unwrap();
    assert!(none_yet.is_empty());

    // Custom fields: Dropdown, MultiSelect (any/all/none/empty), Date range.
    let color = def("Color").id;
    let red = option("Color", "Red");
    let found = got(search(
        PersonSearch::builder()
            .custom_fields(filters::custom_fields([custom_field(color).any_of([red])])),
    )
    .await
    .unwrap());
    assert_eq!(found, want(&|p| cf(p, color) == red));
    assert!(!found.is_empty());
    let flavors = def("Flavors").id;
    let (choc, van, straw) = (
        option("Flavors", "Chocolate"),
        option("Flavors", "Vanilla"),
        option("Flavors", "Strawberry"),
    );
    let by_flavor = |cond: filters::CustomFieldCondition| {
        search(PersonSearch::builder().custom_fields(filters::custom_fields([cond])))
    };
    let has = |p: &Value, id: i64| option_ids(&cf(p, flavors)).contains(&id);
    let all = got(by_flavor(custom_field(flavors).all_of([choc, van]))
        .await
        .unwrap());
    assert_eq!(all, want(&|p| has(p, choc) && has(p, van)));
    assert!(!all.is_empty());
    let none = got(by_flavor(custom_field(flavors).none_of([choc]))
        .await
        .unwrap());
    assert_eq!(none, want(&|p| !has(p, choc)));
    let any = got(by_flavor(custom_field(flavors).any_of([straw]))
        .await
        .unwrap());
    assert_eq!(any, want(&|p| has(p, straw)));
    let any_or_empty = got(
        by_flavor(custom_field(flavors).any_of([straw]).allow_empty())
            .await
            .unwrap(),
    );
    assert_eq!(
        any_or_empty,
        want(&|p| has(p, straw) || option_ids(&cf(p, flavors)).is_empty())
    );
    assert!(any_or_empty.len() > any.len());
    let renewal = def("Renewal Date").id;
    let dates: BTreeSet<i64> = people
        .iter()
        .filter_map(|p| cf(p, renewal).as_i64())
        .collect();
    let (lo, hi) = (*dates.iter().next().unwrap(), *dates.iter().nth(2).unwrap());
    let in_range = got(
        by_flavor(custom_field(renewal).between(lo as f64, hi as f64))
            .await
            .unwrap(),
    );
    assert_eq!(
        in_range,
        want(&|p| cf(p, renewal)
            .as_i64()
            .is_some_and(|d| (lo..=hi).contains(&d)))
    );
    assert!(in_range.len() >= 3);

    // The other resources.
    let leads = sim.records(Entity::Lead);
    let inbound = client
        .leads()
        .search(LeadSearch::builder().tags(filters::tags_any(["inbound"])))
        .collect_all()
        .await
        .unwrap();
    assert_eq!(
        inbound.len(),
        leads.iter().filter(|l| has_tag(l, "inbound")).count()
    );
    assert!(!inbound.is_empty());
    let vip = def("VIP").id;
    let vip_leads = client
        .leads()
        .search(
            LeadSearch::builder()
                .custom_fields(filters::custom_fields([custom_field(vip).equals(true)])),
        )
        .collect_all()
        .await
        .unwrap();
    assert_eq!(
        vip_leads.len(),
        leads.iter().filter(|l| cf(l, vip) == true).count()
    );
    assert!(!vip_leads.is_empty());
    let initech = client
        .companies()
        .search(CompanySearch::builder().name("Initech".to_string()))
        .collect_all()
        .await
        .unwrap();
    assert_eq!(
        initech.iter().map(|c| c.name.as_str()).collect::<Vec<_>>(),
        ["Initech"]
    );
    let deals = sim.records(Entity::Opportunity);
    let big_deals = client
        .opportunities()
        .search(OpportunitySearch::builder().minimum_monetary_value(40_000.0))
        .collect_all()
        .await
        .unwrap();
    assert_eq!(
        big_deals.len(),
        deals
            .iter()
            .filter(|d| d["monetary_value"].as_f64().unwrap_or(0.0) >= 40_000.0)
            .count()
    );
    assert!(!big_deals.is_empty() && big_deals.len() < deals.len());
    let projects = client
        .projects()
        .search(ProjectSearch::default())
        .collect_all()
        .await
        .unwrap();
    assert_eq!(
        projects.iter().map(|p| p.id).collect::<BTreeSet<_>>(),
        ids(&sim.records(Entity::Project))
    );
    let all_tasks = client
        .tasks()
        .search(TaskSearch::default())
        .collect_all()
        .await
        .unwrap();
    assert_eq!(
        all_tasks.iter().map(|t| t.id).collect::<BTreeSet<_>>(),
        ids(&tasks)
    );
    let users = client
        .users()
        .search(UserSearch::default())
        .collect_all()
        .await
        .unwrap();
    assert_eq!(
        users.iter().map(|u| u.id).collect::<BTreeSet<_>>(),
        ids(&sim.records(Entity::User))
    );
    let dunder = find(&sim, Entity::Company, "Dunder Mifflin");
    let company_activities = client
        .activities()
        .search(
            ActivitySearch::builder().parent(Some(types::ActivityParent {
                id: dunder,
                type_: "company".into(),
            })),
        )
        .collect_all()
        .await
        .unwrap();
    let expected: BTreeSet<i64> = sim
        .records(Entity::Activity)
        .iter()
        .filter(|a| a["parent"]["type"] == "company" && a["parent"]["id"] == dunder)
        .filter_map(|a| a["id"].as_i64())
        .collect();
    assert_eq!(
        company_activities
            .iter()
            .map(|a| a.id)
            .collect::<BTreeSet<_>>(),
        expected
    );
    assert!(!expected.is_empty());
    sim.shutdown().await;
}
