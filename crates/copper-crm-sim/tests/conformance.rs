//! Conformance: every one of the 87 operations, called through the generated client of
//! `copper-crm-raw`, succeeds against the simulator and decodes into the generated types.

mod common;

use copper_crm_raw::types;
use copper_crm_raw::*;
use copper_crm_sim::{Entity, Limits, Sim};
use serde::de::DeserializeOwned;
use serde_json::{Value, json};

/// A generated body type from JSON.
fn body<T: DeserializeOwned>(v: Value) -> T {
    serde_json::from_value(v.clone())
        .unwrap_or_else(|e| panic!("{v} does not fit {}: {e}", std::any::type_name::<T>()))
}

/// Unwrap a generated call, naming the operation on failure.
macro_rules! ok {
    ($op:literal, $call:expr) => {{
        let r = $call.send().await;
        match r {
            Ok(v) => {
                CALLED.with(|c| c.borrow_mut().push($op));
                v.into_inner()
            }
            Err(e) => panic!("{} failed: {e:?}", $op),
        }
    }};
}

thread_local! {
    static CALLED: std::cell::RefCell<Vec<&'static str>> = const { std::cell::RefCell::new(Vec::new()) };
}

fn option_id(defs: &[types::CustomFieldDefinition], def: &str, option: &str) -> (i64, i64) {
    let d = defs.iter().find(|d| d.name == def).expect("definition");
    let o = d
        .options
        .iter()
        .flatten()
        .find(|o| o.name == option)
        .expect("option");
    (d.id, o.id)
}

#[tokio::test]
async fn every_operation_through_the_generated_client() {
    let sim = Sim::builder()
        .seed_demo(true)
        .limits(Limits::Off)
        .start()
        .await
        .unwrap();
    let http = reqwest::Client::builder()
        .default_headers(common::auth_headers())
        .build()
        .unwrap();
    let c = Client::new_with_client(&sim.base_url(), http, Hooks::default());

    // Account and users.
    let account = ok!("account_get", c.account_get());
    assert_eq!(
        account.primary_timezone.as_deref(),
        Some("America/New_York")
    );
    let me = ok!("users_me", c.users_me());
    assert_eq!(me.email, "sim@example.com");
    assert_eq!(ok!("users_get", c.users_get().id(me.id)).id, me.id);
    let users = ok!(
        "users_search",
        c.users_search()
            .body(body::<types::UserSearch>(json!({"page_size": 200})))
    );
    assert_eq!(users.len(), 4);

    // Lookups.
    let statuses = ok!("lead_statuses_list", c.lead_statuses_list());
    assert!(statuses.iter().any(|s| s.is_default));
    assert!(!ok!("customer_sources_list", c.customer_sources_list()).is_empty());
    assert!(!ok!("contact_types_list", c.contact_types_list()).is_empty());
    assert!(!ok!("loss_reasons_list", c.loss_reasons_list()).is_empty());
    let pipelines = ok!("pipelines_list", c.pipelines_list());
    let pipeline = &pipelines[0];
    let stages = ok!("pipeline_stages_list", c.pipeline_stages_list());
    assert!(stages.iter().any(|s| s.pipeline_id == pipeline.id));
    let by = ok!(
        "pipeline_stages_by_pipeline",
        c.pipeline_stages_by_pipeline().pipeline_id(pipeline.id)
    );
    assert_eq!(by.len(), pipeline.stages.len());
    let types_ = ok!("activity_types_list", c.activity_types_list());
    assert_eq!(types_.user[0].id, 0);
    assert_eq!(types_.system.len(), 2);
    let tags = ok!("tags_list", c.tags_list());
    assert!(
        tags.iter()
            .any(|t| matches!(t, types::TagListItem::Tag(t) if t.name == "demo"))
    );
    let names = ok!(
        "tags_list",
        c.tags_list().tag_names_only(true).last_tag_value("d")
    );
    assert!(
        names
            .iter()
            .all(|t| matches!(t, types::TagListItem::String(_)))
    );
    let layout = ok!(
        "field_layouts_by_entity",
        c.field_layouts_by_entity()
            .entity_type(types::FieldLayoutEntityType::Opportunities)
            .pipeline_id(pipeline.id)
    );
    assert!(layout.iter().any(|f| f.field_key == "deal_date"));

    // Custom field definitions and activity types.
    let defs = ok!(
        "custom_field_definitions_list",
        c.custom_field_definitions_list()
    );
    assert!(defs.len() >= 11);
    let (color, red) = option_id(&defs, "Color", "Red");
    let new_def = ok!(
        "custom_field_definitions_create",
        c.custom_field_definitions_create().body(body::<types::CustomFieldDefinitionCreate>(json!({
            "name": "Conformance Size", "data_type": "MultiSelect", "available_on": ["person", "lead"],
            "options": [{"name": "S"}, {"name": "M"}, {"name": "L"}]
        })))
    );
    assert_eq!(new_def.options.as_ref().map(Vec::len), Some(3));
    assert_eq!(
        ok!(
            "custom_field_definitions_get",
            c.custom_field_definitions_get().id(new_def.id)
        )
        .name,
        "Conformance Size"
    );
    let upd_def = ok!(
        "custom_field_definitions_update",
        c.custom_field_definitions_update()
            .id(new_def.id)
            .body(body::<types::CustomFieldDefinitionUpdate>(
                json!({"name": "Conformance Sizes", "is_filterable": true})
            ))
    );
    assert_eq!(upd_def.is_filterable, Some(true));
    let cats = ok!("custom_activity_types_list", c.custom_activity_types_list());
    assert!(cats.iter().any(|c| c.is_default_task_type == Some(true)));
    let cat = ok!(
        "custom_activity_types_create",
        c.custom_activity_types_create()
            .body(body::<types::CustomActivityTypeCreate>(
                json!({"name": "Conformance Call", "icon_type": "Phone"})
            ))
    );
    assert_eq!(
        ok!(
            "custom_activity_types_get",
            c.custom_activity_types_get().id(cat.id)
        )
        .name,
        "Conformance Call"
    );
    let cat =
        ok!(
            "custom_activity_types_update",
            c.custom_activity_types_update().id(cat.id).body(
                body::<types::CustomActivityTypeUpdate>(json!({"name": "Conformance Calls"}))
            )
        );
    assert_eq!(cat.name, "Conformance Calls");

    // People.
    let person = ok!(
        "people_create",
        c.people_create().custom_field_computed_values(true).body(body::<types::PersonCreate>(json!({
            "name": "Conformance Person", "emails": [{"email": "conformance@example.com", "category": "work"}],
            "custom_fields": [{"custom_field_definition_id": color, "value": red}]
        })))
    );
    assert_eq!(person.first_name.as_deref(), Some("Conformance"));
    let cf = person
        .custom_fields
        .iter()
        .find(|c| c.custom_field_definition_id == color)
        .unwrap();
    assert_eq!(cf.computed_value, Some(json!("Red")));
    assert_eq!(
        ok!("people_get", c.people_get().id(person.id)).id,
        person.id
    );
    let p = ok!(
        "people_update",
        c.people_update()
            .id(person.id)
            .body(body::<types::PersonUpdate>(
                json!({"title": "Tester", "details": null})
            ))
    );
    assert_eq!(p.title.as_deref(), Some("Tester"));
    let p = ok!(
        "people_fetch_by_email",
        c.people_fetch_by_email().body(body::<types::FetchByEmail>(
            json!({"email": "conformance@example.com"})
        ))
    );
    assert_eq!(p.id, person.id);
    let found = ok!(
        "people_search",
        c.people_search().body(body::<types::PersonSearch>(
            json!({"ids": [person.id], "sort_by": "date_created"})
        ))
    );
    assert_eq!(found[0].id, person.id);
    let bulk = ok!(
        "people_bulk_create",
        c.people_bulk_create().body(body::<types::PersonBulkCreate>(
            json!({"people": [{"name": "Bulk One"}, {"name": "Bulk Two"}]})
        ))
    );
    let bulk_ids: Vec<i64> = bulk
        .iter()
        .map(|o| match o {
            types::PersonBulkOutcome::Person(p) => p.id,
            types::PersonBulkOutcome::BulkItemFailure(f) => panic!("bulk failure {f:?}"),
        })
        .collect();
    let bulk = ok!(
        "people_bulk_update",
        c.people_bulk_update().body(body::<types::PersonBulkUpdate>(
            json!({"people": [{"id": bulk_ids[0], "title": "B"}, {"id": 1, "title": "ghost"}]})
        ))
    );
    assert!(
        matches!(&bulk[0], types::PersonBulkOutcome::Person(p) if p.title.as_deref() == Some("B"))
    );
    assert!(
        matches!(&bulk[1], types::PersonBulkOutcome::BulkItemFailure(f) if f.id == Some(1) && !f.success)
    );

    // Companies.
    let company = ok!(
        "companies_create",
        c.companies_create().body(body::<types::CompanyCreate>(
            json!({"name": "Conformance Co", "email_domain": "conformance.example"})
        ))
    );
    assert_eq!(
        ok!("companies_get", c.companies_get().id(company.id)).name,
        "Conformance Co"
    );
    let co = ok!(
        "companies_update",
        c.companies_update()
            .id(company.id)
            .body(body::<types::CompanyUpdate>(json!({"details": "updated"})))
    );
    assert_eq!(co.details.as_deref(), Some("updated"));
    let found = ok!(
        "companies_search",
        c.companies_search()
            .body(body::<types::CompanySearch>(json!({"name": "Conformance"})))
    );
    assert_eq!(found.len(), 1);
    let bulk = ok!(
        "companies_bulk_create",
        c.companies_bulk_create()
            .body(body::<types::CompanyBulkCreate>(
                json!({"companies": [{"name": "Bulk Co"}]})
            ))
    );
    let bulk_company = match &bulk[0] {
        types::CompanyBulkOutcome::Company(c) => c.id,
        other => panic!("{other:?}"),
    };
    let bulk = ok!(
        "companies_bulk_update",
        c.companies_bulk_update()
            .body(body::<types::CompanyBulkUpdate>(
                json!({"companies": [{"id": bulk_company, "details": "b"}]})
            ))
    );
    assert!(matches!(&bulk[0], types::CompanyBulkOutcome::Company(_)));

    // Related items.
    let added = ok!(
        "related_items_add",
        c.related_items_add()
            .entity(types::RelatedItemsAddEntity::People)
            .id(person.id)
            .body(body::<types::RelatedItemRequest>(
                json!({"resource": {"id": company.id, "type": "company"}})
            ))
    );
    assert!(added.added);
    let rel = ok!(
        "related_items_list",
        c.related_items_list()
            .entity(types::RelatedItemsListEntity::Companies)
            .id(company.id)
    );
    assert_eq!(rel[0].id, person.id);
    let rel = ok!(
        "related_items_list_by_type",
        c.related_items_list_by_type()
            .entity(types::RelatedItemsListByTypeEntity::People)
            .id(person.id)
            .related_entity(types::RelatedItemsListByTypeRelatedEntity::Companies)
    );
    assert_eq!(rel.len(), 1);
    assert_eq!(
        ok!("people_get", c.people_get().id(person.id)).company_id,
        Some(company.id)
    );

    // Leads.
    let lead = ok!(
        "leads_create",
        c.leads_create().body(body::<types::LeadCreate>(json!({"name": "Conformance Lead", "email": {"email": "lead@conformance.example", "category": "work"}, "company_name": "Lead Co"})))
    );
    assert_eq!(lead.status, "New");
    assert_eq!(ok!("leads_get", c.leads_get().id(lead.id)).id, lead.id);
    let l = ok!(
        "leads_update",
        c.leads_update()
            .id(lead.id)
            .body(body::<types::LeadUpdate>(json!({"status": "Open"})))
    );
    assert_eq!(l.status, "Open");
    let l = ok!(
        "leads_upsert",
        c.leads_upsert().body(body::<types::LeadUpsert>(json!({"properties": {"title": "Upserted"}, "match": {"field_name": "email", "field_value": "lead@conformance.example"}})))
    );
    assert_eq!(l.id, lead.id);
    let found = ok!(
        "leads_search",
        c.leads_search()
            .body(body::<types::LeadSearch>(json!({"ids": [lead.id]})))
    );
    assert_eq!(found[0].title.as_deref(), Some("Upserted"));
    let bulk = ok!(
        "leads_bulk_create",
        c.leads_bulk_create().body(body::<types::LeadBulkCreate>(
            json!({"leads": [{"name": "Bulk Lead"}, {"name": "Bad Status", "status": "Hot"}]})
        ))
    );
    let bulk_lead = match &bulk[0] {
        types::LeadBulkOutcome::Lead(l) => l.id,
        other => panic!("{other:?}"),
    };
    assert!(matches!(&bulk[1], types::LeadBulkOutcome::BulkItemFailure(f) if f.id.is_none()));
    let bulk = ok!(
        "leads_bulk_update",
        c.leads_bulk_update().body(body::<types::LeadBulkUpdate>(
            json!({"leads": [{"id": bulk_lead, "details": "x"}]})
        ))
    );
    assert!(matches!(&bulk[0], types::LeadBulkOutcome::Lead(_)));

    // Opportunities.
    let opp = ok!(
        "opportunities_create",
        c.opportunities_create().body(body::<types::OpportunityCreate>(json!({"name": "Conformance Deal", "primary_contact_id": person.id, "close_date": "1/23/2027"})))
    );
    assert_eq!(opp.company_id, Some(company.id));
    assert_eq!(
        ok!("opportunities_get", c.opportunities_get().id(opp.id)).pipeline_id,
        pipeline.id
    );
    let o = ok!(
        "opportunities_update",
        c.opportunities_update()
            .id(opp.id)
            .body(body::<types::OpportunityUpdate>(
                json!({"monetary_value": 2500.0, "status": "Won"})
            ))
    );
    assert_eq!(o.monetary_value, Some(2500.0));
    let found = ok!(
        "opportunities_search",
        c.opportunities_search()
            .body(body::<types::OpportunitySearch>(
                json!({"statuses": ["Won"], "page_size": 200})
            ))
    );
    assert!(found.iter().any(|o| o.id == opp.id));
    let bulk = ok!(
        "opportunities_bulk_create",
        c.opportunities_bulk_create()
            .body(body::<types::OpportunityBulkCreate>(
                json!({"opportunities": [{"name": "Bulk Deal", "primary_contact_id": person.id}]})
            ))
    );
    assert!(matches!(
        &bulk[0],
        types::OpportunityBulkOutcome::Opportunity(_)
    ));

    // Projects and tasks.
    let project = ok!(
        "projects_create",
        c.projects_create().body(body::<types::ProjectCreate>(
            json!({"name": "Conformance Project"})
        ))
    );
    assert_eq!(project.status, "Open");
    assert_eq!(
        ok!("projects_get", c.projects_get().id(project.id)).id,
        project.id
    );
    let pr = ok!(
        "projects_update",
        c.projects_update()
            .id(project.id)
            .body(body::<types::ProjectUpdate>(json!({"status": "Completed"})))
    );
    assert_eq!(pr.status, "Completed");
    assert!(
        !ok!(
            "projects_search",
            c.projects_search()
                .body(body::<types::ProjectSearch>(json!({})))
        )
        .is_empty()
    );
    let task = ok!(
        "tasks_create",
        c.tasks_create().body(body::<types::TaskCreate>(json!({"name": "Conformance Task", "related_resource": {"id": opp.id, "type": "opportunity"}})))
    );
    assert_eq!(task.assignee_id, Some(me.id));
    assert_eq!(ok!("tasks_get", c.tasks_get().id(task.id)).id, task.id);
    let t = ok!(
        "tasks_update",
        c.tasks_update()
            .id(task.id)
            .body(body::<types::TaskUpdate>(json!({"status": "Completed"})))
    );
    assert!(t.completed_date.is_some());
    let found = ok!(
        "tasks_search",
        c.tasks_search().body(body::<types::TaskSearch>(
            json!({"opportunity_ids": [opp.id]})
        ))
    );
    assert_eq!(found[0].id, task.id);
    assert!(found[0].custom_activity_type_id.is_some());

    // Activities.
    let act = ok!(
        "activities_create",
        c.activities_create().body(body::<types::ActivityCreate>(json!({"parent": {"type": "person", "id": person.id}, "type": {"category": "user", "id": cat.id}, "details": "called"})))
    );
    assert!(act.id > i64::from(i32::MAX));
    assert!(matches!(
        ok!("activities_get", c.activities_get().id(act.id)),
        types::ActivityOrStub::Activity(_)
    ));
    let a = ok!(
        "activities_update",
        c.activities_update()
            .id(act.id)
            .body(body::<types::ActivityUpdate>(
                json!({"details": "called twice"})
            ))
    );
    assert_eq!(a.details.as_deref(), Some("called twice"));
    let found = ok!(
        "activities_search",
        c.activities_search().body(body::<types::ActivitySearch>(
            json!({"parent": {"id": person.id, "type": "person"}})
        ))
    );
    assert_eq!(found.len(), 1);
    let bulk = ok!(
        "activities_bulk_create",
        c.activities_bulk_create().body(body::<types::ActivityBulkCreate>(json!({"activities": [{"parent": {"type": "lead", "id": lead.id}, "type": {"category": "user", "id": 0}, "details": "note"}]})))
    );
    assert!(matches!(&bulk[0], types::ActivityBulkOutcome::Activity(_)));
    let acts = ok!(
        "people_activities_list",
        c.people_activities_list()
            .id(person.id)
            .body(body::<types::EntityActivitiesRequest>(json!({})))
    );
    assert_eq!(acts.len(), 1);
    let acts = ok!(
        "leads_activities_list",
        c.leads_activities_list()
            .id(lead.id)
            .body(body::<types::EntityActivitiesRequest>(
                json!({"activity_types": [{"id": 0, "category": "user"}]})
            ))
    );
    assert_eq!(acts.len(), 1);
    let acts = ok!(
        "companies_activities_list",
        c.companies_activities_list()
            .id(company.id)
            .body(body::<types::EntityActivitiesRequest>(json!({})))
    );
    assert_eq!(acts.len(), 1, "the company's person's call");
    let del = ok!("activities_delete", c.activities_delete().id(act.id));
    assert_eq!(del.is_deleted, Some(true));
    assert!(
        matches!(ok!("activities_get", c.activities_get().id(act.id)), types::ActivityOrStub::DeletedActivity(d) if d.is_deleted)
    );

    // Connect fields and files.
    let (referred, _) = defs
        .iter()
        .find(|d| d.name == "Referred By")
        .map(|d| (d.id, 0))
        .unwrap();
    let link = ok!(
        "related_links_create",
        c.related_links_create().body(body::<types::ConnectionCreate>(json!({"custom_field_definition_id": referred, "source": {"id": person.id, "entity_type": "people"}, "target": {"id": company.id, "entity_type": "company"}})))
    );
    assert_eq!(link.target.name.as_deref(), Some("Conformance Co"));
    let links = ok!(
        "related_links_list",
        c.related_links_list()
            .source_type("people")
            .source_id(person.id)
            .custom_field_definition_id(referred)
    );
    assert_eq!(links.len(), 1);
    let del = ok!("related_links_delete", c.related_links_delete().id(link.id));
    assert_eq!(del.ids.len(), 2);
    let file = ok!(
        "files_attach",
        c.files_attach()
            .entity_type(types::FileEntityType::People)
            .entity_id(person.id)
            .body(body::<types::FileAttach>(
                json!({"file_name": "cat.jpeg", "key": "temp_uploads/a/b"})
            ))
    );
    assert_eq!(
        ok!(
            "files_list",
            c.files_list()
                .entity_type(types::FileEntityType::People)
                .entity_id(person.id)
        )
        .len(),
        1
    );
    assert_eq!(
        ok!(
            "files_get",
            c.files_get()
                .entity_type(types::FileEntityType::People)
                .entity_id(person.id)
                .file_id(file.id)
        )
        .file_name,
        "cat.jpeg"
    );

    // Webhooks.
    let hook = ok!(
        "webhooks_create",
        c.webhooks_create().body(body::<types::WebhookCreate>(json!({"target": "http://127.0.0.1:9/hook", "type": "person", "event": "new", "secret": {"k": "v"}})))
    );
    assert_eq!(
        ok!("webhooks_get", c.webhooks_get().id(hook.id)).target,
        "http://127.0.0.1:9/hook"
    );
    assert_eq!(ok!("webhooks_list", c.webhooks_list()).len(), 1);
    let h = ok!(
        "webhooks_update",
        c.webhooks_update()
            .id(hook.id)
            .body(body::<types::WebhookUpdate>(
                json!({"custom_field_computed_values": true})
            ))
    );
    assert_eq!(h.custom_field_computed_values, Some(true));
    assert_eq!(
        ok!("webhooks_delete", c.webhooks_delete().id(hook.id)).id,
        hook.id
    );

    // Convert, relation removal and deletes.
    let conv = ok!(
        "leads_convert",
        c.leads_convert()
            .id(lead.id)
            .body(body::<types::LeadConvert>(
                json!({"details": {"opportunity": {"name": "From Lead"}}})
            ))
    );
    assert_eq!(conv.person.name, "Conformance Lead");
    assert_eq!(
        conv.company.as_ref().map(|c| c.name.as_str()),
        Some("Lead Co")
    );
    assert_eq!(
        conv.opportunity.as_ref().map(|o| o.primary_contact_id),
        Some(Some(conv.person.id))
    );
    let removed = ok!(
        "related_items_remove",
        c.related_items_remove()
            .entity(types::RelatedItemsRemoveEntity::People)
            .id(person.id)
            .body(body::<types::RelatedItemRequest>(
                json!({"resource": {"id": company.id, "type": "company"}})
            ))
    );
    assert!(removed.removed);
    for (op, res) in [
        ("leads_delete", c.leads_delete().id(bulk_lead).send().await),
        ("tasks_delete", c.tasks_delete().id(task.id).send().await),
        (
            "projects_delete",
            c.projects_delete().id(project.id).send().await,
        ),
        (
            "opportunities_delete",
            c.opportunities_delete().id(opp.id).send().await,
        ),
        (
            "companies_delete",
            c.companies_delete().id(company.id).send().await,
        ),
        (
            "people_delete",
            c.people_delete().id(person.id).send().await,
        ),
        (
            "custom_field_definitions_delete",
            c.custom_field_definitions_delete()
                .id(new_def.id)
                .send()
                .await,
        ),
    ] {
        let r = res.unwrap_or_else(|e| panic!("{op}: {e:?}")).into_inner();
        assert_eq!(r.is_deleted, Some(true), "{op}");
        CALLED.with(|c| c.borrow_mut().push(op));
    }
    assert_eq!(
        sim.record_count(Entity::Person),
        sim.records(Entity::Person).len()
    );

    // Errors decode into the generated error body.
    match c.people_get().id(person.id).send().await {
        Err(Error::ErrorResponse(e)) => {
            assert_eq!(e.status().as_u16(), 404);
            assert_eq!(e.error.as_deref(), Some("not_found"));
        }
        other => panic!("expected a 404 error body, got {other:?}"),
    }
    match c
        .webhooks_create()
        .body(body::<types::WebhookCreate>(
            json!({"target": "https://your.endpoint.here", "type": "lead", "event": "new"}),
        ))
        .send()
        .await
    {
        Err(Error::ErrorResponse(e)) => {
            assert_eq!(e.status().as_u16(), 422);
            assert_eq!(e.success, Some(false));
            assert_eq!(e.status, Some(422));
        }
        other => panic!("expected a 422 error body, got {other:?}"),
    }

    let mut called: Vec<&str> = CALLED.with(|c| c.borrow().clone());
    called.sort();
    called.dedup();
    let mut served = sim.operations();
    served.sort();
    assert_eq!(called, served, "every operation was called");
}
