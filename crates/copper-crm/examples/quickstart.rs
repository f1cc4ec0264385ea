//! The quickstart: `cargo run -p copper-crm --example quickstart`.
//!
//! Without credentials it starts the embedded Copper simulator with demo
//! data and walks through the main job: list people through the search
//! stream, create and update a person, upsert a lead, and read custom fields
//! by name. With `COPPER_API_KEY` and `COPPER_USER_EMAIL` set it runs
//! read-only against the real Copper API instead (no record is written);
//! `COPPER_BASE_URL` points that mode at another server, e.g. a simulator.

use chrono::NaiveDate;
use copper_crm::custom_fields::{CustomFieldRegistry, CustomFields};
use copper_crm::types::{Lead, LeadUpsert, Person, PersonCreate, PersonSearch, PersonUpdate};
use copper_crm::{Client, RecordType};
use futures::TryStreamExt;
use serde_json::json;

/// The custom fields the demo account defines (see the simulator's demo data).
const FIELDS: [&str; 4] = ["Color", "Flavors", "Renewal Date", "Account Key"];

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    match (
        std::env::var("COPPER_API_KEY"),
        std::env::var("COPPER_USER_EMAIL"),
    ) {
        (Ok(key), Ok(email)) => {
            let mut builder = Client::builder().api_key(key, email);
            // For trying the read-only path against a simulator started with `cargo run -p copper-crm-sim`.
            if let Ok(base) = std::env::var("COPPER_BASE_URL") {
                builder = builder.base_url(base);
            }
            read_only(builder.build()?).await
        }
        _ => simulated().await,
    }
}

/// A one-line description of a person with the custom fields asked for.
fn describe(
    person: &Person,
    registry: &CustomFieldRegistry,
    fields: &[&str],
) -> Result<String, copper_crm::Error> {
    let mut parts = vec![person.name.clone()];
    if let Some(title) = &person.title {
        parts.push(title.clone());
    }
    for name in fields {
        if let Some(value) = person.custom_field(registry, *name)? {
            parts.push(format!("{name}: {value}"));
        }
    }
    Ok(parts.join(" | "))
}

async fn simulated() -> Result<(), Box<dyn std::error::Error>> {
    println!(
        "No COPPER_API_KEY/COPPER_USER_EMAIL set: starting the Copper simulator with demo data.\n"
    );
    let sim = copper_crm_sim::Sim::builder()
        .seed_demo(true)
        .start()
        .await?;
    let client = Client::builder()
        .api_key(
            copper_crm_sim::DEFAULT_API_KEY,
            copper_crm_sim::DEFAULT_EMAIL,
        )
        .base_url(sim.base_url())
        .computed_custom_field_values(true)
        .build()?;

    let me = client.users().me().await?;
    let registry = client.custom_fields().registry().await?;
    println!(
        "Signed in as {} <{}>; the account has {} custom fields.",
        me.name,
        me.email,
        registry.definitions().len()
    );

    // 1. Every person, through the search stream (pages of 200, past the 100k cap if need be).
    println!("\nPeople:");
    let mut people = client.people().search(PersonSearch::default());
    let mut listed = 0;
    while let Some(person) = people.try_next().await? {
        listed += 1;
        if listed <= 5 {
            println!("  {}", describe(&person, &registry, &FIELDS[..2])?);
        }
    }
    if listed > 5 {
        println!("  … and {} more", listed - 5);
    }

    // 2. Create a person, custom fields written by name and label.
    let fields = registry
        .inputs(RecordType::Person)
        .set("Color", "Green")
        .set("Flavors", ["Chocolate"])
        .set(
            "Renewal Date",
            NaiveDate::from_ymd_opt(2026, 6, 30).ok_or("bad date")?,
        )
        .set("Account Key", "P-ADA")
        .build()?;
    let ada = client
        .people()
        .create(
            PersonCreate::builder()
                .name("Ada Lovelace".to_string())
                .emails(vec![serde_json::from_value(
                    json!({"email": "ada@example.com", "category": "work"}),
                )?])
                .custom_fields(Some(fields)),
        )
        .await?;
    println!("\nCreated   {}", describe(&ada, &registry, &FIELDS)?);

    // 3. Update it: a title and one more flavor.
    let fields = registry
        .inputs(RecordType::Person)
        .set("Flavors", ["Chocolate", "Vanilla"])
        .build()?;
    let ada = client
        .people()
        .update(
            ada.id,
            PersonUpdate::builder()
                .title(Some("Analyst".to_string()))
                .custom_fields(Some(fields)),
        )
        .await?;
    println!("Updated   {}", describe(&ada, &registry, &FIELDS)?);

    // 4. Upsert a lead by email: the first call creates it, the second updates the same lead.
    let upsert = |status: &str| -> Result<LeadUpsert, Box<dyn std::error::Error>> {
        let flavors = registry
            .inputs(RecordType::Lead)
            .set("Flavors", ["Strawberry"])
            .build()?;
        Ok(serde_json::from_value(json!({
            "properties": {"name": "Charles Babbage", "email": {"email": "charles@example.com", "category": "work"},
                           "status": status, "custom_fields": flavors},
            "match": {"field_name": "email", "field_value": "charles@example.com"}
        }))?)
    };
    let first: Lead = client.leads().upsert(upsert("New")?).await?;
    let second: Lead = client.leads().upsert(upsert("Open")?).await?;
    let flavors = second
        .custom_field(&registry, "Flavors")?
        .map(|v| v.to_string())
        .unwrap_or_default();
    let outcome = if first.id == second.id {
        "created, then updated in place"
    } else {
        "matched two different leads"
    };
    println!(
        "Upserted  lead {} ({}): {outcome}; status {} -> {} | Flavors: {flavors}",
        second.id, second.name, first.status, second.status,
    );

    // 5. Every custom field of the new person, decoded by its definition.
    println!("\nCustom fields of {}:", ada.name);
    for field in client.custom_fields().decode(&ada).await? {
        let value = field
            .value
            .map(|v| v.to_string())
            .unwrap_or_else(|| "—".into());
        println!("  {:<16} {:<12} {value}", field.name, field.data_type);
    }

    let stats = client.stats();
    println!(
        "\nSummary: {listed} people listed, 1 person created and updated, 1 lead upserted; \
         {} requests sent, {} answered 429, {} retried.",
        stats.requests, stats.rate_limited, stats.retries
    );
    sim.shutdown().await;
    Ok(())
}

/// The same reads against the real API; nothing is written.
async fn read_only(client: Client) -> Result<(), Box<dyn std::error::Error>> {
    println!(
        "COPPER_API_KEY is set: reading from {} (read-only).\n",
        client.base_url()
    );
    let me = client.users().me().await?;
    let account = client.account().get().await?;
    let registry = client.custom_fields().registry().await?;
    println!(
        "Signed in as {} <{}> on account {:?}; {} custom fields.",
        me.name,
        me.email,
        account.name,
        registry.definitions().len()
    );
    let person_fields: Vec<&str> = registry
        .definitions()
        .iter()
        .filter(|d| d.available_on.iter().any(|a| a == "person") && d.data_type != "Connect")
        .map(|d| d.name.as_str())
        .take(4)
        .collect();

    let people = client
        .people()
        .search(PersonSearch::default())
        .page_size(10);
    let total = people.total().await?;
    println!("\nThe first people of about {total}:");
    let mut people = people.pages();
    let mut listed = 0;
    if let Some(page) = people.try_next().await? {
        for person in &page.records {
            listed += 1;
            println!("  {}", describe(person, &registry, &person_fields)?);
        }
    }
    println!(
        "\nSummary: {listed} of about {total} people read; {} requests sent; nothing written.",
        client.stats().requests
    );
    Ok(())
}
