//! Proof: companies imported through a faulty simulator are never
//! duplicated; companies with an `email_domain` are reconciled by it, and
//! every `Unknown` outcome is truly ambiguous — cross-checked against the
//! faults the simulator says it injected.

mod bulk_support;

use std::collections::{HashMap, HashSet};

use copper_crm::bulk::BulkOutcome;
use copper_crm::types;
use copper_crm_sim::{Entity, FaultKind};

use bulk_support::{FAULTS, assert_every_index_once, client, sim};

const N: usize = 4_000;

fn has_domain(i: usize) -> bool {
    i.is_multiple_of(2)
}

fn blank_name(i: usize) -> bool {
    i % 71 == 9
}

/// Companies `i` and `i - 40` share a domain (only one can exist).
fn shares_domain(i: usize) -> bool {
    has_domain(i) && i % 61 == 2 && i >= 40 && !blank_name(i - 40) && !shares_domain(i - 40)
}

fn domain(i: usize) -> String {
    if shares_domain(i) {
        domain(i - 40)
    } else {
        format!("company{i}.example")
    }
}

fn name(i: usize) -> String {
    if blank_name(i) {
        String::new()
    } else {
        format!("Company {i}")
    }
}

fn record(i: usize) -> types::builder::CompanyCreate {
    let b = types::CompanyCreate::builder()
        .name(name(i))
        .details(Some(format!("row {i}")));
    if has_domain(i) {
        b.email_domain(Some(domain(i)))
    } else {
        b
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn companies_through_faults_are_never_duplicated_and_unknowns_are_truly_ambiguous() {
    let sim = sim(FAULTS).await;
    let client = client(&sim);

    let report = client
        .companies()
        .bulk_create((0..N).map(record))
        .execute()
        .await;
    assert_every_index_once(&report.outcomes, N);

    let stored = sim.records(Entity::Company);
    // Zero duplicates: names are unique in the input, domains unique in Copper.
    let mut names = HashSet::new();
    let mut domains = HashSet::new();
    for c in &stored {
        assert!(
            names.insert(c["name"].as_str().unwrap().to_string()),
            "duplicate company {c}"
        );
        if let Some(d) = c["email_domain"].as_str() {
            assert!(domains.insert(d.to_string()), "duplicate domain {d}");
        }
    }
    let by_name: HashMap<&str, &serde_json::Value> = stored
        .iter()
        .map(|c| (c["name"].as_str().unwrap(), c))
        .collect();

    let injected = sim.injected();
    let ambiguous_kinds = [
        FaultKind::InternalServerError,
        FaultKind::BadGateway,
        FaultKind::ServiceUnavailable,
        FaultKind::DroppedBeforeProcessing,
        FaultKind::DroppedAfterProcessing,
    ];
    let ambiguous_bulk_faults = injected
        .iter()
        .filter(|f| f.operation == "companies_bulk_create" && ambiguous_kinds.contains(&f.kind))
        .count();
    let written_by_dropped: HashSet<i64> = injected
        .iter()
        .filter(|f| {
            f.kind == FaultKind::DroppedAfterProcessing && f.operation == "companies_bulk_create"
        })
        .flat_map(|f| {
            f.written
                .iter()
                .filter(|(e, _)| *e == Entity::Company)
                .map(|(_, id)| *id)
        })
        .collect();
    assert!(
        !written_by_dropped.is_empty(),
        "some requests were processed and then dropped"
    );

    let mut unknown_stored = 0u64;
    let mut unknown_not_stored = 0u64;
    for i in 0..N {
        let outcome = &report.outcomes[i];
        match outcome {
            BulkOutcome::Created { record, .. } => {
                assert!(!blank_name(i));
                let c = by_name[name(i).as_str()];
                assert_eq!(c["id"], record.id, "#{i}");
            }
            BulkOutcome::Rejected { errors, .. } => {
                assert!(
                    blank_name(i) && errors.has_field("name") || shares_domain(i) && errors.has_field("email_domain")
                        // the company it shares a domain with won the race
                        || i + 40 < N && shares_domain(i + 40) && errors.has_field("email_domain"),
                    "#{i}: {errors}"
                );
                if !blank_name(i) {
                    assert!(
                        !by_name.contains_key(name(i).as_str()),
                        "#{i} is not stored"
                    );
                }
            }
            BulkOutcome::Unknown { input, reason, .. } => {
                // Only companies without a domain to reconcile by end up here,
                // and only after an ambiguous failure of their request.
                assert!(!has_domain(i), "#{i} had a domain: {reason}");
                assert_eq!(input.name, name(i), "the input is kept");
                assert!(reason.contains("companies_bulk_create"), "#{i}: {reason}");
                match by_name.get(name(i).as_str()) {
                    // Applied: its request was processed and then dropped.
                    Some(c) => {
                        assert!(
                            written_by_dropped.contains(&c["id"].as_i64().unwrap()),
                            "#{i} stored by an answered request"
                        );
                        unknown_stored += 1;
                    }
                    None => unknown_not_stored += 1,
                }
            }
            BulkOutcome::Updated { .. } => panic!("#{i} {outcome:?}"),
        }
    }
    // Every stored company is a Created outcome or an ambiguous Unknown one.
    assert_eq!(stored.len() as u64, report.counts.created + unknown_stored);
    // Each Unknown rides on an injected ambiguous fault (at most 10 per request).
    assert!(report.counts.unknown > 0);
    assert!(
        report.counts.unknown as usize <= 10 * ambiguous_bulk_faults,
        "{:?} vs {ambiguous_bulk_faults}",
        report.counts
    );
    assert_eq!(unknown_not_stored + unknown_stored, report.counts.unknown);
    // Companies with a domain were reconciled, never left unknown.
    assert!(
        report.stats.reconciled > 0 && report.stats.lookups > 0,
        "{:?}",
        report.stats
    );
    println!(
        "{:?}\n{:?}\nunknown: {unknown_stored} applied, {unknown_not_stored} not applied; {ambiguous_bulk_faults} ambiguous faults",
        report.counts, report.stats
    );
    sim.shutdown().await;
}
