//! The data a simulator starts with: Copper's default account configuration, optional demo
//! data covering every record type and custom field type, and optional generated people.

use serde_json::{Map, Value, json};

use super::schema::schema;
use super::state::{
    AccountRec, CatRec, CfOption, CfdRec, DataType, FileRec, LeadStatusRec, LinkEnd, LinkRec,
    Named, PipelineRec, Record, StageRec, State, UserRec, now,
};
use super::val::{Address, Contact, ContactKind, RecordRef, Text, Val};
use crate::entity::{Entity, Kind};

/// Build the starting state.
pub(crate) fn build(api_email: &str, demo: bool, generated: usize) -> State {
    let account = AccountRec {
        id: 1,
        name: "Copper Sim Account".into(),
        primary_timezone: "America/New_York".into(),
        team_permissions_enabled: false,
        enable_leads: true,
    };
    let mut st = State::new(account, "Sim API User", api_email);
    defaults(&mut st);
    if demo {
        demo_config(&mut st);
        demo_records(&mut st);
    }
    generate_people(&mut st, generated);
    st.events.clear();
    st.written.clear();
    st
}

fn named(st: &mut State, e: Entity, names: &[&str]) -> Vec<Named> {
    names
        .iter()
        .map(|n| Named {
            id: st.next_id(e),
            name: n.to_string(),
        })
        .collect()
}

fn pipeline(st: &mut State, name: &str, kind: &str, is_revenue: bool, stages: &[(&str, i64)]) {
    let id = st.next_id(Entity::Pipeline);
    let mut ids = Vec::new();
    for (stage, p) in stages {
        let sid = st.next_id(Entity::PipelineStage);
        st.stages.insert(
            sid,
            StageRec {
                id: sid,
                name: stage.to_string(),
                pipeline_id: id,
                win_probability: *p,
            },
        );
        ids.push(sid);
    }
    st.pipelines.push(PipelineRec {
        id,
        name: name.into(),
        kind: kind.into(),
        is_revenue,
        stages: ids,
    });
}

fn cat(st: &mut State, name: &str, icon: &str, interaction: bool, task_type: Option<bool>) {
    let id = st.next_id(Entity::CustomActivityType);
    st.cats.insert(
        id,
        CatRec {
            id,
            name: name.into(),
            icon_type: icon.into(),
            is_disabled: false,
            is_interaction: interaction,
            is_default_task_type: task_type,
        },
    );
}

/// What every Copper account has: lead statuses, contact types, sources, loss reasons, a sales
/// pipeline and the default activity types.
fn defaults(st: &mut State) {
    st.lead_statuses = ["New", "Open", "Unqualified", "Junk"]
        .iter()
        .enumerate()
        .map(|(i, n)| LeadStatusRec {
            id: 0,
            name: n.to_string(),
            order: i as i64 + 1,
            is_default: i == 0,
        })
        .collect();
    for i in 0..st.lead_statuses.len() {
        st.lead_statuses[i].id = st.next_id(Entity::LeadStatus);
    }
    st.contact_types = named(
        st,
        Entity::ContactType,
        &[
            "Potential Customer",
            "Current Customer",
            "Uncategorized",
            "Other",
        ],
    );
    st.customer_sources = named(
        st,
        Entity::CustomerSource,
        &["Email", "Cold Call", "Advertising"],
    );
    st.loss_reasons = named(
        st,
        Entity::LossReason,
        &["Lost to Competitor", "Too Expensive", "No Budget"],
    );
    pipeline(
        st,
        "Sales",
        "opportunity",
        true,
        &[
            ("Qualified", 10),
            ("Follow-up", 25),
            ("Presentation", 50),
            ("Contract Sent", 75),
            ("Negotiation", 90),
        ],
    );
    cat(st, "Phone Call", "Phone", true, None);
    cat(st, "Meeting", "Event", true, None);
    cat(st, "To Do", "Todo", false, Some(true));
}

fn cfd(
    st: &mut State,
    name: &str,
    data_type: DataType,
    on: &[Kind],
    filterable: bool,
    options: &[&str],
) -> i64 {
    let id = st.next_id(Entity::CustomFieldDefinition);
    let options = options
        .iter()
        .enumerate()
        .map(|(rank, n)| CfOption {
            id: st.next_option_id(),
            name: n.to_string(),
            rank: rank as i64,
        })
        .collect();
    st.cfds.insert(
        id,
        CfdRec {
            id,
            name: name.into(),
            canonical_name: None,
            data_type,
            available_on: on.to_vec(),
            is_filterable: filterable,
            options,
            currency: (data_type == DataType::Currency).then(|| "CAD".to_string()),
        },
    );
    id
}

fn demo_config(st: &mut State) {
    for (name, email, group) in [
        ("Dana Whitfield", "dana@example.com", "Sales"),
        ("Omar Castillo", "omar@example.com", "Support"),
        ("Priya Raman", "priya@example.com", "Sales"),
    ] {
        let id = st.next_id(Entity::User);
        let gid = if group == "Sales" { 1 } else { 2 };
        st.users.insert(
            id,
            UserRec {
                id,
                name: name.into(),
                email: email.into(),
                groups: vec![(gid, group.into())],
            },
        );
    }
    let extra = named(st, Entity::CustomerSource, &["Referral", "Website"]);
    st.customer_sources.extend(extra);
    pipeline(
        st,
        "Business Development",
        "opportunity",
        false,
        &[("Intro", 5), ("Discovery", 30), ("Proposal", 60)],
    );
    pipeline(
        st,
        "Onboarding",
        "project",
        false,
        &[("Kickoff", 0), ("Setup", 50), ("Live", 100)],
    );
    cat(st, "Demo call", "Headset", true, None);
    let all = Kind::CORE;
    use DataType::*;
    use Kind::*;
    cfd(st, "Account Key", String, &all, true, &[]);
    cfd(st, "Notes", Text, &[Lead, Person, Company], false, &[]);
    cfd(st, "Color", Dropdown, &all, true, &["Red", "Green", "Blue"]);
    cfd(st, "Renewal Date", Date, &all, true, &[]);
    cfd(st, "VIP", Checkbox, &all, true, &[]);
    cfd(st, "Seats", Float, &all, true, &[]);
    cfd(st, "Homepage", Url, &[Person, Company], false, &[]);
    cfd(st, "Discount", Percentage, &[Lead, Opportunity], true, &[]);
    cfd(
        st,
        "Contract Value",
        Currency,
        &[Company, Opportunity],
        true,
        &[],
    );
    cfd(
        st,
        "Flavors",
        MultiSelect,
        &all,
        true,
        &["Chocolate", "Vanilla", "Strawberry"],
    );
    cfd(
        st,
        "Referred By",
        Connect,
        &[Lead, Person, Company, Opportunity, Project],
        false,
        &[],
    );
}

fn def_id(st: &State, name: &str) -> i64 {
    st.cfds
        .values()
        .find(|d| d.name == name)
        .map_or(0, |d| d.id)
}

fn option_id(st: &State, def: &str, option: &str) -> i64 {
    st.cfds
        .values()
        .find(|d| d.name == def)
        .and_then(|d| d.options.iter().find(|o| o.name == option))
        .map_or(0, |o| o.id)
}

fn create(st: &mut State, kind: Kind, body: Value) -> i64 {
    let map: Map<String, Value> = match body {
        Value::Object(m) => m,
        _ => Map::new(),
    };
    match st.create(kind, &map) {
        Ok(id) => id,
        Err(e) => panic!("demo {} is invalid: {e:?}", kind.singular()),
    }
}

fn demo_records(st: &mut State) {
    let users: Vec<i64> = st.users.keys().copied().collect();
    let color = def_id(st, "Color");
    let (red, green, blue) = (
        option_id(st, "Color", "Red"),
        option_id(st, "Color", "Green"),
        option_id(st, "Color", "Blue"),
    );
    let flavors = def_id(st, "Flavors");
    let (choc, van, straw) = (
        option_id(st, "Flavors", "Chocolate"),
        option_id(st, "Flavors", "Vanilla"),
        option_id(st, "Flavors", "Strawberry"),
    );
    let key = def_id(st, "Account Key");
    let notes = def_id(st, "Notes");
    let renewal = def_id(st, "Renewal Date");
    let vip = def_id(st, "VIP");
    let seats = def_id(st, "Seats");
    let homepage = def_id(st, "Homepage");
    let discount = def_id(st, "Discount");
    let contract = def_id(st, "Contract Value");
    let colors = [red, green, blue];
    let flavor_sets: [Vec<i64>; 6] = [
        vec![choc],
        vec![choc, van],
        vec![straw],
        vec![],
        vec![choc, van, straw],
        vec![van, straw],
    ];
    let cf = |id: i64, v: Value| json!({"custom_field_definition_id": id, "value": v});

    let companies: Vec<i64> = [
        ("Dunder Mifflin", "dundermifflin.com", "Scranton", "PA", "Paper"),
        ("Vance Refrigeration", "vancerefrigeration.com", "Scranton", "PA", "HVAC"),
        ("Initech", "initech.com", "Austin", "TX", "Software"),
        ("Globex", "globex.com", "Springfield", "OR", "Energy"),
        ("Acme Corp", "acme.com", "Phoenix", "AZ", "Manufacturing"),
    ]
    .iter()
    .enumerate()
    .map(|(i, (name, domain, city, state_, tag))| {
        create(
            st,
            Kind::Company,
            json!({
                "name": name,
                "email_domain": domain,
                "address": {"street": format!("{} Main Street", 100 + i), "city": city, "state": state_, "postal_code": format!("{:05}", 18500 + i), "country": "US"},
                "assignee_id": users[i % users.len()],
                "phone_numbers": [{"number": format!("570-555-01{i:02}"), "category": "work"}],
                "websites": [{"url": format!("https://www.{domain}"), "category": "work"}],
                "tags": [tag, "demo"],
                "details": format!("{name} is a demo company."),
                "custom_fields": [
                    cf(color, json!(colors[i % 3])),
                    cf(seats, json!(10.0 * (i as f64 + 1.0))),
                    cf(contract, json!(25_000.0 * (i as f64 + 1.0))),
                    cf(vip, json!(i % 2 == 0)),
                    cf(homepage, json!(format!("https://{domain}"))),
                    cf(renewal, json!(1_735_718_400 + 86_400 * 30 * i as i64)),
                ],
            }),
        )
    })
    .collect();

    let people_src = [
        (
            "Michael Scott",
            "michael@dundermifflin.com",
            0,
            "Regional Manager",
            "Scranton",
        ),
        (
            "Dwight Schrute",
            "dwight@dundermifflin.com",
            0,
            "Assistant to the Regional Manager",
            "Scranton",
        ),
        (
            "Jim Halpert",
            "jim@dundermifflin.com",
            0,
            "Sales Representative",
            "Scranton",
        ),
        (
            "Pam Beesly",
            "pam@dundermifflin.com",
            0,
            "Office Administrator",
            "Scranton",
        ),
        (
            "Bob Vance",
            "bob@vancerefrigeration.com",
            1,
            "Owner",
            "Scranton",
        ),
        (
            "Peter Gibbons",
            "peter@initech.com",
            2,
            "Programmer",
            "Austin",
        ),
        (
            "Bill Lumbergh",
            "bill@initech.com",
            2,
            "Division VP",
            "Austin",
        ),
        ("Hank Scorpio", "hank@globex.com", 3, "CEO", "Springfield"),
        ("Wile E. Coyote", "wile@acme.com", 4, "Customer", "Phoenix"),
        (
            "Dr. Jane Q Public Jr.",
            "jane.public@example.com",
            4,
            "Consultant",
            "Phoenix",
        ),
    ];
    let people: Vec<i64> = people_src
        .iter()
        .enumerate()
        .map(|(i, (name, email, company, title, city))| {
            create(
                st,
                Kind::Person,
                json!({
                    "name": name,
                    "emails": [{"email": email, "category": "work"}],
                    "phone_numbers": [{"number": format!("(570) 555-02{i:02}"), "category": if i % 2 == 0 { "work" } else { "mobile" }}],
                    "title": title,
                    "company_id": companies[*company],
                    "assignee_id": if i % 3 == 0 { Value::Null } else { json!(users[i % users.len()]) },
                    "address": {"street": null, "city": city, "state": null, "postal_code": null, "country": "US"},
                    "socials": if i == 2 { json!([{"url": "https://www.linkedin.com/in/jimhalpert", "category": "linkedin"}]) } else { json!([]) },
                    "tags": if i < 4 { json!(["paper", "demo"]) } else { json!(["demo"]) },
                    "custom_fields": [
                        cf(key, json!(format!("P-{:04}", i + 1))),
                        cf(color, json!(colors[i % 3])),
                        cf(flavors, json!(flavor_sets[i % 4])),
                        cf(notes, json!(format!("Met {name} at the demo."))),
                        cf(renewal, json!(1_735_718_400 + 86_400 * i as i64)),
                    ],
                }),
            )
        })
        .collect();

    let leads_src = [
        ("Kevin Malone", "kevin@example.com", "New", "Cornell"),
        ("Ryan Howard", "ryan@wuphf.com", "Open", "WUPHF.com"),
        (
            "Jan Levinson",
            "jan@serenitybycandles.com",
            "Open",
            "Serenity by Jan",
        ),
        ("Todd Packer", "todd@example.com", "Unqualified", ""),
        ("Holly Flax", "holly@example.com", "New", "Nashua Branch"),
        ("Cher", "cher@example.com", "Junk", ""),
    ];
    for (i, (name, email, status, company)) in leads_src.iter().enumerate() {
        create(
            st,
            Kind::Lead,
            json!({
                "name": name,
                "email": {"email": email, "category": "work"},
                "status": status,
                "company_name": if company.is_empty() { Value::Null } else { json!(company) },
                "monetary_value": 1000 * (i as i64 + 1),
                "customer_source_id": st.customer_sources[i % st.customer_sources.len()].id,
                "assignee_id": users[i % users.len()],
                "phone_numbers": [{"number": format!("415-555-03{i:02}"), "category": "mobile"}],
                "address": {"city": (["San Francisco", "New York", "Nashua"][i % 3]), "state": (["CA", "NY", "NH"][i % 3]), "country": "US"},
                "tags": if i % 2 == 0 { json!(["inbound"]) } else { json!(["outbound", "demo"]) },
                "custom_fields": [
                    cf(key, json!(format!("L-{:04}", i + 1))),
                    cf(color, json!(colors[i % 3])),
                    cf(flavors, json!(flavor_sets[i % 6])),
                    cf(vip, json!(i == 1)),
                    cf(discount, json!(5 * i)),
                    cf(seats, json!(i as f64 * 2.5)),
                ],
            }),
        );
    }

    let pipelines: Vec<(i64, Vec<i64>)> = st
        .pipelines
        .iter()
        .filter(|p| p.kind == "opportunity")
        .map(|p| (p.id, p.stages.clone()))
        .collect();
    let opps_src = [
        (
            "Paper for Scranton Business Park",
            0,
            0,
            "Open",
            12_000.0,
            "High",
        ),
        ("Refrigeration Upgrade", 4, 1, "Won", 48_000.0, "Medium"),
        ("TPS Report Automation", 5, 2, "Open", 30_000.0, "Low"),
        (
            "Doomsday Device Maintenance",
            7,
            3,
            "Lost",
            1_000_000.0,
            "None",
        ),
        ("Rocket Skates", 8, 4, "Abandoned", 450.0, "None"),
    ];
    let opps: Vec<i64> = opps_src
        .iter()
        .enumerate()
        .map(|(i, (name, person, _company, status, value, priority))| {
            let (pid, stages) = &pipelines[i % pipelines.len()];
            create(
                st,
                Kind::Opportunity,
                json!({
                    "name": name,
                    "primary_contact_id": people[*person],
                    "pipeline_id": pid,
                    "pipeline_stage_id": stages[i % stages.len()],
                    "status": status,
                    "monetary_value": value,
                    "priority": priority,
                    "close_date": format!("{}/{}/2025", i + 1, 10 + i),
                    "customer_source_id": st.customer_sources[i % st.customer_sources.len()].id,
                    "loss_reason_id": if *status == "Lost" { json!(st.loss_reasons[0].id) } else { Value::Null },
                    "assignee_id": users[i % users.len()],
                    "tags": if i % 2 == 0 { json!(["q3"]) } else { json!(["q4", "demo"]) },
                    "custom_fields": [
                        cf(color, json!(colors[i % 3])),
                        cf(discount, json!(10 * i)),
                        cf(contract, json!(value * 0.9)),
                        cf(flavors, json!(flavor_sets[(i + 2) % 6])),
                        cf(renewal, json!(1_767_225_600 + 86_400 * i as i64)),
                    ],
                }),
            )
        })
        .collect();

    let projects: Vec<i64> = [
        (
            "Customize Your New CRM",
            Some(RecordRef {
                kind: Kind::Company,
                id: companies[0],
            }),
            "Open",
        ),
        (
            "Data Migration",
            Some(RecordRef {
                kind: Kind::Opportunity,
                id: opps[1],
            }),
            "Completed",
        ),
        ("Quarterly Review", None, "Open"),
    ]
    .iter()
    .enumerate()
    .map(|(i, (name, related, status))| {
        create(
            st,
            Kind::Project,
            json!({
                "name": name,
                "related_resource": related.map_or(Value::Null, |r| json!(r)),
                "status": status,
                "assignee_id": users[i % users.len()],
                "details": format!("{name}: a demo project."),
                "tags": ["demo"],
                "custom_fields": [cf(color, json!(colors[i % 3])), cf(flavors, json!([choc]))],
            }),
        )
    })
    .collect();

    let day = 86_400;
    let t = now();
    let tasks_src: [(&str, Option<RecordRef>, &str, &str); 6] = [
        (
            "Call Michael about paper",
            Some(RecordRef {
                kind: Kind::Person,
                id: people[0],
            }),
            "Open",
            "High",
        ),
        (
            "Send proposal",
            Some(RecordRef {
                kind: Kind::Opportunity,
                id: opps[0],
            }),
            "Open",
            "Medium",
        ),
        (
            "Follow up with Kevin",
            Some(RecordRef {
                kind: Kind::Lead,
                id: 0,
            }),
            "Completed",
            "Low",
        ),
        (
            "Plan migration",
            Some(RecordRef {
                kind: Kind::Project,
                id: projects[1],
            }),
            "Open",
            "None",
        ),
        (
            "Renew Initech contract",
            Some(RecordRef {
                kind: Kind::Company,
                id: companies[2],
            }),
            "Open",
            "High",
        ),
        ("Clean up the CRM", None, "Open", "None"),
    ];
    let first_lead = st
        .table(Kind::Lead)
        .rows
        .keys()
        .next()
        .copied()
        .unwrap_or(0);
    for (i, (name, related, status, priority)) in tasks_src.iter().enumerate() {
        let related = related.map(|r| {
            if r.kind == Kind::Lead {
                RecordRef {
                    kind: Kind::Lead,
                    id: first_lead,
                }
            } else {
                r
            }
        });
        create(
            st,
            Kind::Task,
            json!({
                "name": name,
                "related_resource": related.map_or(Value::Null, |r| json!(r)),
                "status": status,
                "priority": priority,
                "due_date": t + day * (i as i64 + 1),
                "reminder_date": if i % 2 == 0 { json!(t + day * i as i64) } else { Value::Null },
                "tags": if i < 2 { json!(["urgent"]) } else { json!([]) },
                "custom_fields": [cf(color, json!(colors[i % 3]))],
            }),
        );
    }

    st.link_records(
        RecordRef {
            kind: Kind::Opportunity,
            id: opps[0],
        },
        RecordRef {
            kind: Kind::Person,
            id: people[1],
        },
    )
    .ok();
    st.link_records(
        RecordRef {
            kind: Kind::Project,
            id: projects[0],
        },
        RecordRef {
            kind: Kind::Person,
            id: people[3],
        },
    )
    .ok();

    let phone = st
        .cats
        .values()
        .find(|c| c.name == "Phone Call")
        .map_or(0, |c| c.id);
    let meeting = st
        .cats
        .values()
        .find(|c| c.name == "Meeting")
        .map_or(0, |c| c.id);
    let parents = [
        RecordRef {
            kind: Kind::Person,
            id: people[0],
        },
        RecordRef {
            kind: Kind::Person,
            id: people[2],
        },
        RecordRef {
            kind: Kind::Company,
            id: companies[0],
        },
        RecordRef {
            kind: Kind::Lead,
            id: first_lead,
        },
        RecordRef {
            kind: Kind::Opportunity,
            id: opps[0],
        },
        RecordRef {
            kind: Kind::Project,
            id: projects[0],
        },
    ];
    for (i, p) in parents.iter().enumerate() {
        for (j, (ty, details)) in [
            (0, "Demo note"),
            (phone, "Demo phone call"),
            (meeting, "Demo meeting"),
        ]
        .iter()
        .enumerate()
        {
            if (i + j) % 2 == 1 && j != 0 {
                continue;
            }
            create(
                st,
                Kind::Activity,
                json!({
                    "parent": p,
                    "type": {"category": "user", "id": ty},
                    "details": format!("{details} ({})", i + 1),
                    "activity_date": t - day * (10 - i as i64) - 3600 * j as i64,
                }),
            );
        }
    }
    // A system activity, as Copper writes when a property changes.
    let id = st.next_id(Entity::Activity);
    let mut sys = Record::blank(Kind::Activity, id, t - day);
    sys.set(
        Kind::Activity,
        "parent",
        Val::Ref(RecordRef {
            kind: Kind::Lead,
            id: first_lead,
        }),
    );
    sys.set(
        Kind::Activity,
        "type",
        Val::TypeRef(1, super::val::Category::System),
    );
    sys.set(Kind::Activity, "user_id", Val::Int(st.api_user));
    sys.set(Kind::Activity, "activity_date", Val::Int(t - day));
    st.insert(Kind::Activity, sys);

    let referred = def_id(st, "Referred By");
    let source = RecordRef {
        kind: Kind::Person,
        id: people[4],
    };
    let target = RecordRef {
        kind: Kind::Person,
        id: people[0],
    };
    let a = st.next_id(Entity::Connection);
    let b = st.next_id(Entity::Connection);
    st.links.insert(
        a,
        LinkRec {
            id: a,
            cfd_id: referred,
            source: LinkEnd::Record(source),
            target: LinkEnd::Record(target),
            reverse: Some(b),
        },
    );
    st.links.insert(
        b,
        LinkRec {
            id: b,
            cfd_id: referred,
            source: LinkEnd::Record(target),
            target: LinkEnd::Record(source),
            reverse: Some(a),
        },
    );
    let fid = st.next_id(Entity::File);
    st.files.insert(
        fid,
        FileRec {
            id: fid,
            owner: RecordRef {
                kind: Kind::Company,
                id: companies[0],
            },
            file_name: "price-list.pdf".into(),
            key: "temp_uploads/demo/price-list.pdf".into(),
            file_size: 48_213,
            content_type: "binary/octet-stream".into(),
            creator_id: st.api_user,
            date_created: t - day,
            date_modified: Some(t - day),
        },
    );
}

const FIRST: &[&str] = &[
    "Ada",
    "Alan",
    "Barbara",
    "Claude",
    "Dennis",
    "Edsger",
    "Frances",
    "Grace",
    "Hedy",
    "Ivan",
    "John",
    "Katherine",
    "Linus",
    "Margaret",
    "Niklaus",
    "Radia",
    "Shafi",
    "Tim",
    "Vint",
    "Whitfield",
];
const LAST: &[&str] = &[
    "Lovelace",
    "Turing",
    "Liskov",
    "Shannon",
    "Ritchie",
    "Dijkstra",
    "Allen",
    "Hopper",
    "Lamarr",
    "Sutherland",
    "McCarthy",
    "Johnson",
    "Torvalds",
    "Hamilton",
    "Wirth",
    "Perlman",
    "Goldwasser",
    "Berners-Lee",
    "Cerf",
    "Diffie",
    "Knuth",
    "Kay",
    "Backus",
    "Codd",
    "Hoare",
];
/// `FIRST` and `LAST` lower-cased, for generated emails.
const FIRST_LOWER: &[&str] = &[
    "ada",
    "alan",
    "barbara",
    "claude",
    "dennis",
    "edsger",
    "frances",
    "grace",
    "hedy",
    "ivan",
    "john",
    "katherine",
    "linus",
    "margaret",
    "niklaus",
    "radia",
    "shafi",
    "tim",
    "vint",
    "whitfield",
];
const LAST_LOWER: &[&str] = &[
    "lovelace",
    "turing",
    "liskov",
    "shannon",
    "ritchie",
    "dijkstra",
    "allen",
    "hopper",
    "lamarr",
    "sutherland",
    "mccarthy",
    "johnson",
    "torvalds",
    "hamilton",
    "wirth",
    "perlman",
    "goldwasser",
    "berners-lee",
    "cerf",
    "diffie",
    "knuth",
    "kay",
    "backus",
    "codd",
    "hoare",
];
/// Every "First Last" combination, shared by the generated records without allocating.
static FULL_NAMES: std::sync::LazyLock<Vec<String>> = std::sync::LazyLock::new(|| {
    LAST.iter()
        .flat_map(|l| FIRST.iter().map(move |f| format!("{f} {l}")))
        .collect()
});
/// Generated phone numbers.
static PHONES: std::sync::LazyLock<Vec<String>> =
    std::sync::LazyLock::new(|| (0..10_000).map(|i| format!("415-555-{i:04}")).collect());
const CITIES: &[(&str, &str, &str)] = &[
    ("San Francisco", "CA", "94105"),
    ("New York", "NY", "10001"),
    ("Austin", "TX", "73301"),
    ("Chicago", "IL", "60601"),
    ("Denver", "CO", "80202"),
    ("Toronto", "ON", "M5H 2N2"),
];
const TAGS: &[&str] = &["customer", "prospect", "partner", "newsletter", "vip"];

/// Add `n` people spread evenly over the last three years of `date_created`; consecutive pairs
/// share a timestamp so that date windows and tie-breaking by id both matter. Records are built
/// on all cores and bulk-loaded into the tables.
fn generate_people(st: &mut State, n: usize) {
    if n == 0 {
        return;
    }
    let users: Vec<i64> = st.users.keys().copied().collect();
    let contact_types: Vec<i64> = st.contact_types.iter().map(|c| c.id).collect();
    let color = st
        .cfds
        .values()
        .find(|d| d.name == "Color" && d.shown_on(Kind::Person))
        .map(|d| (d.id, d.options.iter().map(|o| o.id).collect::<Vec<_>>()));
    let first_id = st.reserve_ids(Entity::Person, n);
    let end = now() - 3600;
    let span: i64 = 3 * 365 * 86_400;
    let pairs = (n as i64 + 1) / 2;
    let step = (span / pairs).max(1);
    let plan = Generation {
        first_id,
        start: end - step * pairs,
        end,
        step,
        users,
        contact_types,
        color,
    };
    let threads = std::thread::available_parallelism()
        .map_or(1, |t| t.get())
        .clamp(1, 8);
    let chunk = n.div_ceil(threads);
    let parts: Vec<Vec<(Record, String)>> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..threads)
            .map(|t| {
                let plan = &plan;
                scope.spawn(move || {
                    (t * chunk..((t + 1) * chunk).min(n))
                        .map(|i| plan.person(i))
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().unwrap_or_default())
            .collect()
    });
    let (emails, table) = (&mut st.person_emails, &mut st.tables[Kind::Person.index()]);
    let mut recs = Vec::with_capacity(n);
    let mut keys = Vec::with_capacity(n);
    for (rec, email) in parts.into_iter().flatten() {
        keys.push((email, rec.id));
        recs.push(rec);
    }
    std::thread::scope(|scope| {
        scope.spawn(move || {
            emails.reserve(keys.len());
            emails.extend(keys);
        });
        table.append_sorted(recs);
    });
}

/// Everything needed to build generated person number `i`.
struct Generation {
    first_id: i64,
    start: i64,
    end: i64,
    step: i64,
    users: Vec<i64>,
    contact_types: Vec<i64>,
    color: Option<(i64, Vec<i64>)>,
}

impl Generation {
    fn person(&self, i: usize) -> (Record, String) {
        const K: Kind = Kind::Person;
        static FIELDS: std::sync::LazyLock<[usize; 10]> = std::sync::LazyLock::new(|| {
            let s = schema(Kind::Person);
            [
                "name",
                "first_name",
                "last_name",
                "emails",
                "phone_numbers",
                "address",
                "tags",
                "title",
                "assignee_id",
                "contact_type_id",
            ]
            .map(|f| s.idx(f))
        });
        let [
            i_name,
            i_first,
            i_last,
            i_emails,
            i_phones,
            i_addr,
            i_tags,
            i_title,
            i_assignee,
            i_ct,
        ] = *FIELDS;
        let id = self.first_id + i as i64;
        let (fi, li) = (i % FIRST.len(), (i / FIRST.len()) % LAST.len());
        let (first, last) = (FIRST[fi], LAST[li]);
        let created = self.start + (i as i64 / 2) * self.step;
        let modified = (created + (i as i64 % 7) * 3600).min(self.end);
        let email = format!("{}.{}.{i}@example.com", FIRST_LOWER[fi], LAST_LOWER[li]);
        let mut rec = Record::blank(K, id, created);
        rec.modified = modified;
        rec.vals[i_name] = Val::Static(&FULL_NAMES[li * FIRST.len() + fi]);
        rec.vals[i_first] = Val::Static(first);
        rec.vals[i_last] = Val::Static(last);
        rec.vals[i_emails] = Val::Contacts(Box::new([Contact {
            kind: ContactKind::Email,
            value: email.as_str().into(),
            category: "work",
        }]));
        if i.is_multiple_of(3) {
            rec.vals[i_phones] = Val::Contacts(Box::new([Contact {
                kind: ContactKind::Phone,
                value: Text::Static(&PHONES[i % PHONES.len()]),
                category: "work",
            }]));
        }
        if i.is_multiple_of(4) {
            let (city, state, zip) = CITIES[(i / 4) % CITIES.len()];
            rec.vals[i_addr] = Val::Address(Box::new(Address {
                street: None,
                city: Some(Text::Static(city)),
                state: Some(Text::Static(state)),
                postal_code: Some(Text::Static(zip)),
                country: Some(Text::Static(if state == "ON" { "CA" } else { "US" })),
            }));
        }
        if i % 5 < 2 {
            rec.vals[i_tags] = Val::Strs(Box::new([Text::Static(TAGS[i % TAGS.len()])]));
        }
        if i.is_multiple_of(6) {
            rec.vals[i_title] = Val::Static("Engineer");
        }
        rec.vals[i_assignee] = Val::Int(self.users[i % self.users.len()]);
        rec.vals[i_ct] = Val::opt_int(
            self.contact_types
                .get(i % self.contact_types.len().max(1))
                .copied(),
        );
        if let Some((def, options)) = &self.color
            && i % 3 != 2
            && !options.is_empty()
        {
            rec.custom = vec![(*def, Value::from(options[i % options.len()]))];
        }
        (rec, email)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lower_case_name_lists_match() {
        assert_eq!(FIRST.len(), FIRST_LOWER.len());
        assert_eq!(LAST.len(), LAST_LOWER.len());
        for (a, b) in FIRST
            .iter()
            .zip(FIRST_LOWER)
            .chain(LAST.iter().zip(LAST_LOWER))
        {
            assert_eq!(a.to_lowercase(), *b);
        }
    }
}
