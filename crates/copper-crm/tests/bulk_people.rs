//! Proof: 10,000 people imported through a faulty simulator (15% 429, 5% 503,
//! 2% dropped before processing, 1% processed then dropped) end up in Copper
//! exactly once each, invalid ones are `Rejected` with their reason, and no
//! outcome is `Unknown`.

mod bulk_support;

use std::collections::{HashMap, HashSet};

use copper_crm::bulk::BulkOutcome;
use copper_crm::types::{self, EmailAddress};
use copper_crm_sim::{Entity, FaultKind};

use bulk_support::{FAULTS, assert_every_index_once, client, emails_of, sim};

const N: usize = 10_000;

/// What record `i` of the input is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Valid,
    /// Sent with an empty name: Copper refuses it.
    BlankName,
    /// Built without a name: refused before sending.
    NoName,
    /// Same email as the (valid) record `i - 50`, another name: only one of
    /// the two can exist.
    DuplicateOf(usize),
}

fn kind(i: usize) -> Kind {
    if i % 97 == 13 {
        Kind::BlankName
    } else if i % 101 == 7 {
        Kind::NoName
    } else if i % 89 == 5 && i >= 100 && kind(i - 50) == Kind::Valid {
        Kind::DuplicateOf(i - 50)
    } else {
        Kind::Valid
    }
}

fn email(i: usize) -> String {
    match kind(i) {
        Kind::DuplicateOf(j) => email(j),
        _ => format!("person{i}@example.com"),
    }
}

fn name(i: usize) -> String {
    match kind(i) {
        Kind::BlankName => String::new(),
        Kind::DuplicateOf(_) => format!("Duplicate {i}"),
        _ => format!("Person {i}"),
    }
}

fn record(i: usize) -> types::builder::PersonCreate {
    let b = types::PersonCreate::builder()
        .emails(Some(vec![EmailAddress {
            email: email(i),
            category: Some("work".into()),
        }]))
        .title(Some(format!("Title {i}")));
    if kind(i) == Kind::NoName {
        b
    } else {
        b.name(name(i))
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ten_thousand_people_through_faults_exist_exactly_once() {
    let sim = sim(FAULTS).await;
    let client = client(&sim);

    let report = client
        .people()
        .bulk_create((0..N).map(record))
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

    // The faults really happened, and some created people were only known
    // through reconciliation.
    let injected = sim.injected();
    let on_bulk = |k: FaultKind| {
        injected
            .iter()
            .filter(|f| f.kind == k && f.operation == "people_bulk_create")
            .count()
    };
    assert!(on_bulk(FaultKind::RateLimited) > 50, "{injected:?}");
    assert!(on_bulk(FaultKind::ServiceUnavailable) > 10);
    assert!(on_bulk(FaultKind::DroppedBeforeProcessing) > 2);
    assert!(on_bulk(FaultKind::DroppedAfterProcessing) > 2);
    assert!(report.stats.reconciled > 0, "{:?}", report.stats);
    assert!(report.stats.ambiguous_failures >= on_bulk(FaultKind::ServiceUnavailable) as u64);

    // The simulator's state: email -> stored people.
    let stored = sim.records(Entity::Person);
    let mut by_email: HashMap<String, Vec<&serde_json::Value>> = HashMap::new();
    for p in &stored {
        for e in emails_of(p) {
            by_email.entry(e).or_default().push(p);
        }
    }
    let created = report.counts.created as usize;
    assert_eq!(
        stored.len(),
        created,
        "every stored person is one Created outcome"
    );

    let duplicate_targets: HashSet<usize> = (0..N)
        .filter_map(|d| match kind(d) {
            Kind::DuplicateOf(j) => Some(j),
            _ => None,
        })
        .collect();
    let mut duplicate_groups = 0;
    for i in 0..N {
        let outcome = &report.outcomes[i];
        match kind(i) {
            Kind::Valid if duplicate_targets.contains(&i) => {} // checked with its duplicate
            Kind::Valid => {
                let BulkOutcome::Created { record, .. } = outcome else {
                    panic!("#{i} {outcome:?}")
                };
                let holders = &by_email[&email(i)];
                assert_eq!(holders.len(), 1, "#{i} exists exactly once");
                assert_eq!(holders[0]["id"], record.id, "#{i}");
                assert_eq!(holders[0]["name"], name(i));
            }
            Kind::BlankName => {
                let errors = outcome
                    .errors()
                    .unwrap_or_else(|| panic!("#{i} {outcome:?}"));
                assert!(errors.has_field("name"), "#{i}: {errors}");
                assert!(!by_email.contains_key(&email(i)), "#{i} was not stored");
            }
            Kind::NoName => {
                let BulkOutcome::Rejected {
                    errors,
                    input: None,
                    ..
                } = outcome
                else {
                    panic!("#{i} {outcome:?}")
                };
                assert!(errors.to_string().contains("name"), "#{i}: {errors}");
            }
            Kind::DuplicateOf(j) => {
                duplicate_groups += 1;
                let holders = &by_email[&email(i)];
                assert_eq!(holders.len(), 1, "one person holds {}", email(i));
                // Exactly one of the two was created, and it is the one stored.
                let (winner, loser) = match (&report.outcomes[j], outcome) {
                    (BulkOutcome::Created { .. }, BulkOutcome::Rejected { .. }) => (j, i),
                    (BulkOutcome::Rejected { .. }, BulkOutcome::Created { .. }) => (i, j),
                    other => panic!("#{j}/#{i}: {other:?}"),
                };
                assert_eq!(
                    report.outcomes[winner].record().unwrap().id,
                    holders[0]["id"]
                );
                assert_eq!(holders[0]["name"], name(winner));
                let errors = report.outcomes[loser].errors().unwrap();
                assert!(errors.has_field("emails"), "#{loser}: {errors}");
            }
        }
    }
    assert!(duplicate_groups > 50);
    let expected_rejected = (0..N).filter(|&i| kind(i) != Kind::Valid).count();
    assert_eq!(report.counts.rejected as usize, expected_rejected);
    assert_eq!(report.counts.created as usize, N - expected_rejected);
    println!(
        "{:?}\n{:?}\nclient: {:?}",
        report.counts, report.stats, report.client_stats
    );
    sim.shutdown().await;
}
