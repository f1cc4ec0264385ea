//! Proof: 10,000 leads imported with upsert-by-email through a faulty
//! simulator exist exactly once each, invalid ones are `Rejected` with their
//! reason, and no outcome is `Unknown`. Without the opt-in, ambiguous
//! failures leave leads `Unknown` (never duplicated).

mod bulk_support;

use std::collections::HashMap;

use copper_crm::bulk::BulkOutcome;
use copper_crm::types::{self, LeadEmail};
use copper_crm_sim::{Entity, FaultKind};

use bulk_support::{FAULTS, assert_every_index_once, client, sim};

const N: usize = 10_000;

fn blank_name(i: usize) -> bool {
    i % 83 == 11
}

fn no_name(i: usize) -> bool {
    i % 103 == 3
}

fn email(i: usize) -> String {
    format!("lead{i}@example.org")
}

fn record(i: usize) -> types::builder::LeadCreate {
    let b = types::LeadCreate::builder()
        .email(Some(LeadEmail(Some(types::LeadEmailInner {
            email: email(i),
            category: Some("work".into()),
        }))))
        .company_name(Some(format!("Company {}", i % 50)))
        .monetary_value(Some(i as f64));
    if no_name(i) {
        b
    } else if blank_name(i) {
        b.name(String::new())
    } else {
        b.name(format!("Lead {i}"))
    }
}

fn lead_email(lead: &serde_json::Value) -> Option<String> {
    lead["email"]["email"].as_str().map(str::to_ascii_lowercase)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ten_thousand_leads_upserted_by_email_through_faults_exist_exactly_once() {
    let sim = sim(FAULTS).await;
    let client = client(&sim);

    let report = client
        .leads()
        .bulk_create((0..N).map(record))
        .upsert_by_email(true)
        .execute()
        .await;

    assert_every_index_once(&report.outcomes, N);
    let unknown: Vec<_> = report.unknown().collect();
    assert!(
        unknown.is_empty(),
        "{} unknown, e.g. {:?}",
        unknown.len(),
        unknown.first()
    );
    let injected = sim.injected();
    let on_bulk = |k: FaultKind| {
        injected
            .iter()
            .filter(|f| f.kind == k && f.operation == "leads_bulk_create")
            .count()
    };
    assert!(
        on_bulk(FaultKind::DroppedAfterProcessing) > 2,
        "processed-then-dropped requests happened"
    );
    assert!(on_bulk(FaultKind::ServiceUnavailable) > 10);
    assert!(report.stats.reconciled > 0, "{:?}", report.stats);
    assert!(sim.stats().requests_for("leads_upsert") > 0);

    let stored = sim.records(Entity::Lead);
    let mut by_email: HashMap<String, Vec<&serde_json::Value>> = HashMap::new();
    for l in &stored {
        if let Some(e) = lead_email(l) {
            by_email.entry(e).or_default().push(l);
        }
    }
    assert_eq!(
        stored.len() as u64,
        report.counts.created + report.counts.updated
    );
    assert_eq!(
        report.counts.updated, 0,
        "no lead existed before the import"
    );
    for i in 0..N {
        let outcome = &report.outcomes[i];
        if no_name(i) {
            let BulkOutcome::Rejected {
                errors,
                input: None,
                ..
            } = outcome
            else {
                panic!("#{i} {outcome:?}")
            };
            assert!(errors.to_string().contains("name"), "#{i}: {errors}");
        } else if blank_name(i) {
            let errors = outcome
                .errors()
                .unwrap_or_else(|| panic!("#{i} {outcome:?}"));
            assert!(errors.to_string().contains("name"), "#{i}: {errors}");
            assert!(!by_email.contains_key(&email(i)), "#{i} was not stored");
        } else {
            let BulkOutcome::Created { record, .. } = outcome else {
                panic!("#{i} {outcome:?}")
            };
            let holders = &by_email[&email(i)];
            assert_eq!(holders.len(), 1, "#{i} exists exactly once");
            assert_eq!(holders[0]["id"], record.id);
            assert_eq!(holders[0]["name"], format!("Lead {i}"));
            assert_eq!(holders[0]["monetary_value"].as_f64(), Some(i as f64));
        }
    }
    let invalid = (0..N).filter(|&i| no_name(i) || blank_name(i)).count();
    assert_eq!(report.counts.rejected as usize, invalid);
    println!(
        "{:?}\n{:?}\nclient: {:?}",
        report.counts, report.stats, report.client_stats
    );
    sim.shutdown().await;
}

/// Without upsert-by-email a lead has no unique attribute: the leads of an
/// ambiguous request are `Unknown` (with their input), and are never sent
/// again, so nothing is duplicated.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn without_upsert_ambiguous_leads_are_unknown_and_never_duplicated() {
    let sim = sim("seed=3,503=0.1,drop_after=0.1").await;
    let client = client(&sim);
    let n = 500;
    let report = client
        .leads()
        .bulk_create((0..n).map(|i| record(i).name(format!("Lead {i}"))))
        .execute()
        .await;
    assert_every_index_once(&report.outcomes, n);
    assert!(report.counts.unknown > 0, "{:?}", report.counts);
    assert_eq!(report.counts.rejected, 0);
    let stored = sim.records(Entity::Lead);
    let mut seen = HashMap::new();
    for l in &stored {
        *seen.entry(lead_email(l).unwrap()).or_insert(0) += 1;
    }
    assert!(seen.values().all(|&c| c == 1), "no lead was created twice");
    for o in &report.outcomes {
        match o {
            BulkOutcome::Created { index, record } => {
                assert_eq!(record.name, format!("Lead {index}"));
                assert_eq!(seen.get(&email(*index as usize)), Some(&1));
            }
            BulkOutcome::Unknown {
                index,
                input,
                reason,
            } => {
                assert_eq!(input.name, format!("Lead {index}"), "the input is kept");
                assert!(reason.contains("no unique attribute"), "{reason}");
            }
            other => panic!("{other:?}"),
        }
    }
    // Every stored lead is a Created outcome or an Unknown one whose request
    // was processed before its connection was dropped.
    let unknown_stored = stored.len() as u64 - report.counts.created;
    let dropped_after: usize = sim
        .injected()
        .iter()
        .filter(|f| {
            f.kind == FaultKind::DroppedAfterProcessing && f.operation == "leads_bulk_create"
        })
        .map(|f| f.written.len())
        .sum();
    assert_eq!(unknown_stored as usize, dropped_after);
    sim.shutdown().await;
}
