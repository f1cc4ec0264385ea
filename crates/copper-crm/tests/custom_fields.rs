//! Custom fields against the simulator over loopback HTTP: the cached
//! registry and its refresh on unknown ids, decoding every data type from
//! computed values and from the registry, writing and filtering by label,
//! and refusing bad input before any request.

use std::collections::BTreeSet;

use chrono::NaiveDate;
use copper_crm::custom_fields::{
    CustomDate, CustomFieldValue, CustomFields, DecodeFrom, InputValue,
};
use copper_crm::enums::CustomFieldDataType;
use copper_crm::types::{
    CompanySearch, CustomField, CustomFieldDefinitionCreate, CustomFieldDefinitionUpdate,
    CustomFieldOptionInput, LeadCreate, OpportunityUpdate, PersonSearch, PersonUpdate,
};
use copper_crm::{Client, Error, RateLimits, RecordType};
use copper_crm_sim::{DEFAULT_API_KEY, DEFAULT_EMAIL, Entity, Limits, Sim, SimHandle};
use futures::TryStreamExt;
use serde_json::{Value, json};

const LIST: &str = "custom_field_definitions_list";

async fn sim() -> SimHandle {
    Sim::builder()
        .seed_demo(true)
        .limits(Limits::Off)
        .start()
        .await
        .unwrap()
}

fn client(sim: &SimHandle, computed: bool) -> Client {
    Client::builder()
        .api_key(DEFAULT_API_KEY, DEFAULT_EMAIL)
        .base_url(sim.base_url())
        .rate_limits(RateLimits::unlimited())
        .computed_custom_field_values(computed)
        .build()
        .unwrap()
}

fn ids(sim: &SimHandle, entity: Entity) -> Vec<i64> {
    sim.records(entity)
        .iter()
        .map(|r| r["id"].as_i64().unwrap())
        .collect()
}

fn person_named(sim: &SimHandle, name: &str) -> i64 {
    sim.records(Entity::Person)
        .iter()
        .find(|p| p["name"] == name)
        .unwrap()["id"]
        .as_i64()
        .unwrap()
}

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

#[tokio::test]
async fn the_registry_is_fetched_once_and_shared_by_clones() {
    let sim = sim().await;
    let client = client(&sim, false);
    let tasks: Vec<_> = (0..8)
        .map(|_| {
            let c = client.clone();
            tokio::spawn(async move { c.custom_fields().registry().await.unwrap() })
        })
        .collect();
    for t in tasks {
        t.await.unwrap();
    }
    let registry = client.clone().custom_fields().registry().await.unwrap();
    assert_eq!(
        sim.stats().requests_for(LIST),
        1,
        "eight concurrent callers and a clone share one fetch"
    );

    let names: BTreeSet<&str> = registry
        .definitions()
        .iter()
        .map(|d| d.name.as_str())
        .collect();
    for name in [
        "Account Key",
        "Notes",
        "Color",
        "Renewal Date",
        "VIP",
        "Seats",
        "Homepage",
        "Discount",
        "Contract Value",
        "Flavors",
        "Referred By",
    ] {
        assert!(names.contains(name), "{name} missing from {names:?}");
    }
    // A separate client has its own cache.
    client_for_other_account(&sim)
        .custom_fields()
        .registry()
        .await
        .unwrap();
    assert_eq!(sim.stats().requests_for(LIST), 2);
    // refresh() always fetches.
    client.custom_fields().refresh().await.unwrap();
    assert_eq!(sim.stats().requests_for(LIST), 3);
    client.custom_fields().registry().await.unwrap();
    assert_eq!(sim.stats().requests_for(LIST), 3);
}

#[tokio::test]
async fn changing_a_definition_through_the_client_refetches_the_registry() {
    use copper_crm::types::{CustomFieldDefinitionCreate, CustomFieldDefinitionUpdate};

    let sim = sim().await;
    let client = client(&sim, false);
    let before = client.custom_fields().registry().await.unwrap();
    assert_eq!(sim.stats().requests_for(LIST), 1);

    let created = client
        .custom_field_definitions()
        .create(
            CustomFieldDefinitionCreate::builder()
                .name("Shoe Size".to_string())
                .data_type("Float".to_string())
                .available_on(Some(vec!["person".to_string()])),
        )
        .await
        .unwrap();
    let after = client.custom_fields().registry().await.unwrap();
    assert_eq!(
        sim.stats().requests_for(LIST),
        2,
        "a create invalidates the cache"
    );
    assert_eq!(after.definitions().len(), before.definitions().len() + 1);
    assert!(after.definitions().iter().any(|d| d.name == "Shoe Size"));

    client
        .custom_field_definitions()
        .update(
            created.id,
            CustomFieldDefinitionUpdate::builder().name(Some("Boot Size".to_string())),
        )
        .await
        .unwrap();
    let renamed = client.custom_fields().registry().await.unwrap();
    assert_eq!(
        sim.stats().requests_for(LIST),
        3,
        "an update invalidates the cache"
    );
    assert!(renamed.definitions().iter().any(|d| d.name == "Boot Size"));

    client
        .custom_field_definitions()
        .delete(created.id)
        .await
        .unwrap();
    let gone = client.clone().custom_fields().registry().await.unwrap();
    assert_eq!(
        sim.stats().requests_for(LIST),
        4,
        "a delete invalidates the cache, for clones too"
    );
    assert_eq!(gone.definitions().len(), before.definitions().len());
}

fn client_for_other_account(sim: &SimHandle) -> Client {
    client(sim, false)
}

/// Replaces the options of definition `id` with `names` (in that order), through `writer`.
async fn set_options<'a>(writer: &Client, id: i64, names: impl IntoIterator<Item = &'a str>) {
    let options = names
        .into_iter()
        .map(|name| CustomFieldOptionInput { name: name.into() })
        .collect();
    writer
        .custom_field_definitions()
        .update(
            id,
            CustomFieldDefinitionUpdate {
                options: Some(options),
                ..Default::default()
            },
        )
        .await
        .unwrap();
}

#[tokio::test]
async fn unknown_definitions_and_options_refresh_the_registry_once() {
    let sim = sim().await;
    let reader = client(&sim, false);
    let writer = client(&sim, false);
    let stale = reader.custom_fields().registry().await.unwrap();
    let michael = person_named(&sim, "Michael Scott");

    // A new definition, and a new option of an existing one, written by another client.
    let shoe = writer
        .custom_field_definitions()
        .create(CustomFieldDefinitionCreate {
            available_on: Some(vec!["person".into()]),
            canonical_name: None,
            currency: None,
            data_type: "Float".into(),
            is_filterable: true,
            name: "Shoe Size".into(),
            options: None,
        })
        .await
        .unwrap();
    let color = stale.definition("Color").unwrap().clone();
    let options = color.options.iter().flatten().map(|o| o.name.as_str());
    set_options(&writer, color.id, options.chain(["Teal"])).await;
    let fresh = writer.custom_fields().registry().await.unwrap();
    let inputs = fresh
        .inputs(RecordType::Person)
        .set("shoe size", 44.5)
        .set("Color", "Teal")
        .build()
        .unwrap();
    writer
        .people()
        .update(michael, PersonUpdate::builder().custom_fields(Some(inputs)))
        .await
        .unwrap();

    let person = reader.people().get(michael).await.unwrap();
    let err = person.custom_field(&stale, "Shoe Size").unwrap_err();
    assert!(
        matches!(&err, Error::InvalidInput(m) if m.contains("\"Shoe Size\"")),
        "{err}"
    );
    assert!(person.custom_field_by_id(&stale, shoe.id).is_err());
    assert!(person.custom_fields_decoded(&stale).is_err());

    let before = sim.stats().requests_for(LIST);
    let registry = reader.custom_fields().registry_for(&person).await.unwrap();
    assert_eq!(sim.stats().requests_for(LIST), before + 1, "one refresh");
    assert_eq!(
        person.custom_field(&registry, "Shoe Size").unwrap(),
        Some(CustomFieldValue::Number(44.5))
    );
    assert_eq!(
        person
            .custom_field(&registry, "color")
            .unwrap()
            .unwrap()
            .labels(),
        vec!["Teal"]
    );
    // The refreshed registry is now the cached one: no further fetch.
    reader.custom_fields().registry_for(&person).await.unwrap();
    reader.custom_fields().decode(&person).await.unwrap();
    assert_eq!(sim.stats().requests_for(LIST), before + 1);

    // Only an option unknown to the cache (the definition is known) also refreshes.
    let mut newer = registry
        .definition("Color")
        .unwrap()
        .options
        .clone()
        .unwrap();
    newer.retain(|o| o.name != "Red");
    let names = newer.iter().map(|o| o.name.as_str());
    set_options(&writer, color.id, names.chain(["Magenta"])).await;
    let fresh = writer.custom_fields().refresh().await.unwrap();
    let inputs = fresh
        .inputs(RecordType::Person)
        .set("Color", "Magenta")
        .build()
        .unwrap();
    writer
        .people()
        .update(michael, PersonUpdate::builder().custom_fields(Some(inputs)))
        .await
        .unwrap();
    let person = reader.people().get(michael).await.unwrap();
    let decoded = reader.custom_fields().decode(&person).await.unwrap();
    // One fetch by the writer's refresh, one by the reader.
    assert_eq!(sim.stats().requests_for(LIST), before + 3);
    let color_now = decoded.iter().find(|f| f.name == "Color").unwrap();
    assert_eq!(color_now.value.as_ref().unwrap().labels(), vec!["Magenta"]);

    // An id still unknown after a refresh is remembered: one fetch, not one per call.
    let mut odd = person.clone();
    odd.custom_fields.push(CustomField {
        custom_field_definition_id: 987_654_321,
        value: json!(1),
        computed_value: None,
    });
    let registry = reader.custom_fields().registry_for(&odd).await.unwrap();
    assert_eq!(sim.stats().requests_for(LIST), before + 4);
    for _ in 0..3 {
        reader.custom_fields().registry_for(&odd).await.unwrap();
    }
    assert_eq!(sim.stats().requests_for(LIST), before + 4);
    let err = odd.custom_fields_decoded(&registry).unwrap_err();
    assert!(
        matches!(&err, Error::InvalidInput(m) if m.contains("987654321")),
        "{err}"
    );
}

/// Decode every custom field of every demo record of the six record types.
#[tokio::test]
async fn every_data_type_decodes_the_same_from_computed_values_and_from_the_registry() {
    let sim = sim().await;
    let computed = client(&sim, true);
    let plain = client(&sim, false);
    let registry = computed.custom_fields().registry().await.unwrap();
    let from_server = registry.clone().decode_from(DecodeFrom::Server);
    let from_registry = registry.clone().decode_from(DecodeFrom::Registry);

    let mut seen: BTreeSet<String> = BTreeSet::new();
    let mut compared = 0;
    macro_rules! check {
        ($entity:expr, $handle:ident) => {
            for id in ids(&sim, $entity) {
                let with_labels = computed.$handle().get(id).await.unwrap();
                assert!(
                    with_labels
                        .custom_fields
                        .iter()
                        .all(|f| f.computed_value.is_some() || f.value.is_null())
                );
                let server = with_labels.custom_fields_decoded(&from_server).unwrap();
                let local = with_labels.custom_fields_decoded(&from_registry).unwrap();
                assert_eq!(server, local, "{} {id}", stringify!($handle));
                assert_eq!(with_labels.custom_fields_decoded(&registry).unwrap(), local);

                let without = plain.$handle().get(id).await.unwrap();
                assert!(
                    without
                        .custom_fields
                        .iter()
                        .all(|f| f.computed_value.is_none())
                );
                assert_eq!(
                    without.custom_fields_decoded(&registry).unwrap(),
                    local,
                    "Auto falls back to the registry"
                );
                if without.custom_fields.iter().any(|f| {
                    let d = registry.get(f.custom_field_definition_id).unwrap();
                    matches!(d.data_type.as_str(), "Dropdown" | "MultiSelect")
                        && !f.value.is_null()
                        && f.value != json!([])
                }) {
                    let err = without.custom_fields_decoded(&from_server).unwrap_err();
                    assert!(
                        err.to_string().contains("computed_custom_field_values"),
                        "{err}"
                    );
                }
                for field in &local {
                    let value = field.value.as_ref();
                    if let Some(v) = value {
                        assert_eq!(v.data_type(), field.data_type);
                        seen.insert(field.data_type.to_string());
                    }
                    // By name and by id give the same answer.
                    let by_id = with_labels.custom_field_by_id(&registry, field.id).unwrap();
                    assert_eq!(by_id.as_ref(), value);
                    let by_name = with_labels
                        .custom_field(&registry, field.name.to_uppercase().as_str())
                        .unwrap();
                    assert_eq!(by_name.as_ref(), value);
                    compared += 1;
                }
            }
        };
    }
    check!(Entity::Person, people);
    check!(Entity::Lead, leads);
    check!(Entity::Company, companies);
    check!(Entity::Opportunity, opportunities);
    check!(Entity::Project, projects);
    check!(Entity::Task, tasks);
    assert!(compared > 100, "{compared}");
    let expected: BTreeSet<String> = [
        "String",
        "Text",
        "Dropdown",
        "Date",
        "Checkbox",
        "Float",
        "URL",
        "Percentage",
        "Currency",
        "MultiSelect",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    assert_eq!(
        seen, expected,
        "every data type the sim puts on records was decoded"
    );

    // Spot checks against what the demo stores.
    let dunder = sim
        .records(Entity::Company)
        .iter()
        .find(|c| c["name"] == "Dunder Mifflin")
        .unwrap()["id"]
        .as_i64()
        .unwrap();
    let company = computed.companies().get(dunder).await.unwrap();
    assert_eq!(
        company.custom_field(&registry, "Contract Value").unwrap(),
        Some(CustomFieldValue::Currency {
            amount: 25_000.0,
            currency: Some("CAD".into())
        })
    );
    assert_eq!(
        company.custom_field(&registry, "VIP").unwrap(),
        Some(CustomFieldValue::Checkbox(true))
    );
    let renewal = company
        .custom_field(&registry, "Renewal Date")
        .unwrap()
        .unwrap();
    assert_eq!(renewal.as_date().unwrap().date(), day(2025, 1, 1));
    assert_eq!(renewal.as_date().unwrap().unix_seconds(), 1_735_718_400);
    assert_eq!(
        company.custom_field(&registry, "Homepage").unwrap(),
        Some(CustomFieldValue::Url("https://dundermifflin.com".into()))
    );
    let err = company.custom_field(&registry, "Discount").unwrap_err();
    assert!(
        err.to_string().contains("not available on company records"),
        "{err}"
    );
}

#[tokio::test]
async fn writing_by_label_round_trips() {
    let sim = sim().await;
    let client = client(&sim, true);
    let registry = client.custom_fields().registry().await.unwrap();
    let pam = person_named(&sim, "Pam Beesly");

    let inputs = registry
        .inputs(RecordType::Person)
        .set("Color", "Blue")
        .set("flavors", ["Strawberry", "Vanilla"])
        .set("Renewal Date", day(2026, 3, 15))
        .set("Account Key", "P-9999")
        .set("Homepage", "https://pam.example.com")
        .set("Notes", "Art school\nin New York")
        .build()
        .unwrap();
    let updated = client
        .people()
        .update(pam, PersonUpdate::builder().custom_fields(Some(inputs)))
        .await
        .unwrap();
    let fetched = client.people().get(pam).await.unwrap();
    for record in [&updated, &fetched] {
        let get = |name: &str| record.custom_field(&registry, name).unwrap().unwrap();
        assert_eq!(get("Color").labels(), vec!["Blue"]);
        assert_eq!(get("Flavors").labels(), vec!["Strawberry", "Vanilla"]);
        assert_eq!(
            get("Renewal Date").as_date().unwrap().date(),
            day(2026, 3, 15)
        );
        assert_eq!(get("Account Key"), CustomFieldValue::Text("P-9999".into()));
        assert_eq!(
            get("Homepage"),
            CustomFieldValue::Url("https://pam.example.com".into())
        );
        assert_eq!(
            get("Notes"),
            CustomFieldValue::TextArea("Art school\nin New York".into())
        );
    }
    // The stored shapes are Copper's: option ids and unix seconds at 08:00 UTC.
    let stored = sim
        .records(Entity::Person)
        .into_iter()
        .find(|p| p["id"] == pam)
        .unwrap();
    let raw = |name: &str| -> Value {
        let id = registry.definition(name).unwrap().id;
        stored["custom_fields"]
            .as_array()
            .unwrap()
            .iter()
            .find(|f| f["custom_field_definition_id"] == id)
            .unwrap()["value"]
            .clone()
    };
    let flavors = registry.definition("Flavors").unwrap();
    let option = |label: &str| {
        flavors
            .options
            .iter()
            .flatten()
            .find(|o| o.name == label)
            .unwrap()
            .id
    };
    assert_eq!(
        raw("Flavors"),
        json!([option("Strawberry"), option("Vanilla")])
    );
    assert_eq!(
        raw("Renewal Date"),
        json!(
            CustomDate::at_midnight(
                day(2026, 3, 15),
                chrono::FixedOffset::west_opt(8 * 3600).unwrap()
            )
            .unix_seconds()
        )
    );

    // Clearing and copying a decoded value back.
    let flavors_now = fetched.custom_field(&registry, "Flavors").unwrap().unwrap();
    let inputs = registry
        .inputs(RecordType::Person)
        .clear("Color")
        .set("Flavors", InputValue::Clear)
        .build()
        .unwrap();
    let cleared = client
        .people()
        .update(pam, PersonUpdate::builder().custom_fields(Some(inputs)))
        .await
        .unwrap();
    assert_eq!(cleared.custom_field(&registry, "Color").unwrap(), None);
    assert_eq!(cleared.custom_field(&registry, "Flavors").unwrap(), None);
    let inputs = registry
        .inputs(RecordType::Person)
        .set("Flavors", flavors_now.clone())
        .build()
        .unwrap();
    let restored = client
        .people()
        .update(pam, PersonUpdate::builder().custom_fields(Some(inputs)))
        .await
        .unwrap();
    assert_eq!(
        restored.custom_field(&registry, "Flavors").unwrap(),
        Some(flavors_now)
    );

    // Numbers, percentages, currency and checkboxes on an opportunity and a new lead.
    let opp = ids(&sim, Entity::Opportunity)[0];
    let inputs = registry
        .inputs(RecordType::Opportunity)
        .set("Seats", 12)
        .set("Discount", 7.5)
        .set("Contract Value", 1234.5)
        .build()
        .unwrap();
    let opp = client
        .opportunities()
        .update(
            opp,
            OpportunityUpdate::builder().custom_fields(Some(inputs)),
        )
        .await
        .unwrap();
    assert_eq!(
        opp.custom_field(&registry, "Seats").unwrap(),
        Some(CustomFieldValue::Number(12.0))
    );
    assert_eq!(
        opp.custom_field(&registry, "Discount").unwrap(),
        Some(CustomFieldValue::Percentage(7.5))
    );
    assert_eq!(
        opp.custom_field(&registry, "Contract Value")
            .unwrap()
            .unwrap()
            .to_string(),
        "1234.50 CAD"
    );
    let inputs = registry
        .inputs(RecordType::Lead)
        .set("VIP", true)
        .set("Flavors", ["chocolate"])
        .build()
        .unwrap();
    let lead = client
        .leads()
        .create(
            LeadCreate::builder()
                .name("Creed Bratton".to_string())
                .custom_fields(Some(inputs)),
        )
        .await
        .unwrap();
    assert_eq!(
        lead.custom_field(&registry, "VIP").unwrap(),
        Some(CustomFieldValue::Checkbox(true))
    );
    assert_eq!(
        lead.custom_field(&registry, "Flavors")
            .unwrap()
            .unwrap()
            .labels(),
        vec!["Chocolate"]
    );
}

#[tokio::test]
async fn bad_input_is_refused_before_any_request() {
    let sim = sim().await;
    let client = client(&sim, false);
    let registry = client.custom_fields().registry().await.unwrap();
    let pam = person_named(&sim, "Pam Beesly");
    let before = sim.stats().total_requests;

    /// Fields to set, the record type, and what the error must say.
    type Attempt<'a> = (Vec<(&'a str, InputValue)>, RecordType, &'a [&'a str]);
    let attempts: Vec<Attempt> = vec![
        (
            vec![("Shoe Size", 44.into())],
            RecordType::Person,
            &["\"Shoe Size\"", "on person records"],
        ),
        (
            vec![("Flavors", ["Pistachio"].into())],
            RecordType::Person,
            &["\"Flavors\"", "\"Pistachio\"", "\"Chocolate\""],
        ),
        (
            vec![("Color", ["Red", "Blue"].into())],
            RecordType::Person,
            &["\"Color\"", "exactly one"],
        ),
        (
            vec![("Contract Value", 10.into())],
            RecordType::Person,
            &["\"Contract Value\"", "not available on person records"],
        ),
        (
            vec![("Discount", "many".into())],
            RecordType::Lead,
            &["\"Discount\"", "number", "\"many\""],
        ),
        (
            vec![("Renewal Date", 1_735_718_400i64.into())],
            RecordType::Person,
            &["\"Renewal Date\"", "NaiveDate"],
        ),
        (
            vec![("VIP", "yes".into())],
            RecordType::Person,
            &["\"VIP\"", "true or false"],
        ),
        (
            vec![("Account Key", "x".repeat(300).into())],
            RecordType::Person,
            &["\"Account Key\"", "255"],
        ),
        (
            vec![("Referred By", "Michael".into())],
            RecordType::Person,
            &["\"Referred By\"", "Connect"],
        ),
        (
            vec![("Notes", "a".into()), ("notes", "b".into())],
            RecordType::Person,
            &["set twice"],
        ),
        (
            vec![("Shoe Size", 44.into()), ("Flavors", ["Pistachio"].into())],
            RecordType::Person,
            &["\"Shoe Size\"", "\"Pistachio\""],
        ),
    ];
    for (sets, entity, expected) in attempts {
        let result = async {
            let mut builder = registry.inputs(entity);
            for (name, value) in sets.clone() {
                builder = builder.set(name, value);
            }
            let inputs = builder.build()?;
            client
                .people()
                .update(pam, PersonUpdate::builder().custom_fields(Some(inputs)))
                .await
        }
        .await;
        let err = result.unwrap_err();
        assert!(matches!(err, Error::InvalidInput(_)), "{err:?}");
        let text = err.to_string();
        for e in expected {
            assert!(text.contains(e), "{sets:?}: {text:?} lacks {e:?}");
        }
    }
    for (filter, expected) in [
        (
            registry
                .filter_on(RecordType::Person, "Discount")
                .between(1.0, 2.0),
            "not available on person records",
        ),
        (
            registry.filter("Notes").equals(true),
            ".equals() filters Checkbox",
        ),
        (
            registry.filter("Account Key").allow_empty(),
            "cannot search",
        ),
        (
            registry.filter("Flavors").any_of(["Mint"]),
            "no option \"Mint\"",
        ),
        (
            registry.filter("Color").none_of(["Red"]),
            ".none_of() filters MultiSelect",
        ),
    ] {
        let err = filter.build().unwrap_err().to_string();
        assert!(err.contains(expected), "{err:?} lacks {expected:?}");
    }
    assert_eq!(sim.stats().total_requests, before, "nothing was sent");
    assert_eq!(client.stats().requests, 1, "only the registry fetch");
}

#[tokio::test]
async fn filters_by_label_find_the_right_records() {
    let sim = sim().await;
    let client = client(&sim, true);
    let registry = client.custom_fields().registry().await.unwrap();

    let chocolate = registry
        .filter_on(RecordType::Person, "Flavors")
        .any_of(["Chocolate"])
        .build()
        .unwrap();
    let found: Vec<_> = client
        .people()
        .search(PersonSearch::builder().custom_fields(Some(vec![chocolate])))
        .try_collect()
        .await
        .unwrap();
    let everyone: Vec<_> = client
        .people()
        .search(PersonSearch::default())
        .try_collect()
        .await
        .unwrap();
    let expected: BTreeSet<i64> = everyone
        .iter()
        .filter(|p| {
            p.custom_field(&registry, "Flavors")
                .unwrap()
                .is_some_and(|v| v.labels().contains(&"Chocolate"))
        })
        .map(|p| p.id)
        .collect();
    assert!(!expected.is_empty());
    assert_eq!(
        found.iter().map(|p| p.id).collect::<BTreeSet<_>>(),
        expected
    );

    let both = registry
        .filter("Flavors")
        .all_of(["Chocolate", "Vanilla"])
        .build()
        .unwrap();
    let found: Vec<_> = client
        .people()
        .search(PersonSearch::builder().custom_fields(Some(vec![both])))
        .try_collect()
        .await
        .unwrap();
    assert!(!found.is_empty());
    for p in &found {
        let labels = p.custom_field(&registry, "Flavors").unwrap().unwrap();
        assert!(labels.labels().contains(&"Chocolate") && labels.labels().contains(&"Vanilla"));
    }

    let vip = registry
        .filter_on(RecordType::Company, "VIP")
        .equals(true)
        .build()
        .unwrap();
    let first_days = registry
        .filter("Renewal Date")
        .dates_between(day(2025, 1, 1), day(2025, 1, 31))
        .build()
        .unwrap();
    let found: Vec<_> = client
        .companies()
        .search(CompanySearch::builder().custom_fields(Some(vec![vip, first_days])))
        .try_collect()
        .await
        .unwrap();
    let names: BTreeSet<&str> = found.iter().map(|c| c.name.as_str()).collect();
    // The demo's companies 0, 2, 4 are VIPs; company i renews on 2025-01-01 + 30 i days, so
    // Vance Refrigeration (2025-01-31) is in the date range but no VIP.
    assert_eq!(names, BTreeSet::from(["Dunder Mifflin"]));
    for c in &found {
        let renewal = c.custom_field(&registry, "Renewal Date").unwrap().unwrap();
        assert!(renewal.as_date().unwrap().date() <= day(2025, 1, 31));
        assert_eq!(renewal.data_type(), CustomFieldDataType::Date);
    }
}
