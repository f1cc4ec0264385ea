//! The bulk engine's mechanics against the simulator: the 422 size limit,
//! record types without bulk endpoints, updates, progress events,
//! backpressure, 429 streaks and refused credentials.

mod bulk_support;

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use copper_crm::bulk::{BulkCounts, BulkOutcome, BulkProgress};
use copper_crm::types::{self, EmailAddress};
use copper_crm_raw::ClientActivitiesExt;
use copper_crm_sim::{Entity, FaultConfig, FaultKind, Sim};
use futures::StreamExt;

use bulk_support::{
    assert_answered, assert_every_index_once, client, client_with_key, emails_of, sim,
};

fn person(i: usize) -> types::builder::PersonCreate {
    types::PersonCreate::builder()
        .name(format!("Person {i}"))
        .emails(Some(vec![EmailAddress {
            email: format!("p{i}@example.net"),
            category: None,
        }]))
}

/// Batches of 12 against Copper's limit of 10: the first request answers
/// 422 "Request size too large, limit is 10"; it is split, resent, and every
/// later batch uses 10. Nothing fails.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn oversized_batches_are_split_not_failed() {
    let sim = sim("").await;
    let client = client(&sim);
    let report = client
        .people()
        .bulk_create((0..120).map(person))
        .batch_size(12)
        .concurrency(1)
        .execute()
        .await;
    assert_every_index_once(&report.outcomes, 120);
    assert_eq!(
        report.counts,
        BulkCounts {
            created: 120,
            ..BulkCounts::default()
        }
    );
    assert_eq!(report.stats.batch_limit, 10, "the limit was learned");
    assert_eq!(report.stats.splits, 1);
    // 12 (422) + 10 + 2, then 108 records in batches of 10 (11 requests);
    // the simulator also counts any 429 its limiter answered (retried).
    assert_eq!(report.stats.bulk_requests, 14);
    let stats = sim.stats();
    assert_eq!(
        stats.requests_for("people_bulk_create") - stats.rate_limited,
        14
    );
    assert_eq!(sim.record_count(Entity::Person), 120);
    sim.shutdown().await;
}

/// Projects and tasks have no bulk endpoint: the same API sends concurrent
/// single requests. Updates are idempotent, so 503s are simply retried.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn record_types_without_bulk_endpoints_use_single_requests() {
    let sim = sim("").await;
    let client = client(&sim);
    let n = 60;
    let projects = client
        .projects()
        .bulk_create((0..n).map(|i| types::ProjectCreate::builder().name(format!("Project {i}"))))
        .concurrency(6)
        .execute()
        .await;
    assert_every_index_once(&projects.outcomes, n);
    assert_eq!(projects.counts.created, n as u64);
    assert!(projects.stats.single_requests_only);
    assert_answered(&sim, "projects_create", n as u64);
    assert_eq!(projects.stats.single_requests, n as u64);
    assert_eq!(sim.record_count(Entity::Project), n);

    // Updates through 20% 503s and 5% processed-then-dropped: all applied.
    sim.set_faults("seed=11,503=0.2,drop_after=0.05".parse().unwrap());
    let updates = projects.outcomes.iter().map(|o| {
        let p = o.record().unwrap();
        (
            p.id,
            types::ProjectUpdate::builder().details(Some(format!("updated {}", p.name))),
        )
    });
    let updated = client.projects().bulk_update(updates).execute().await;
    assert_eq!(
        updated.counts,
        BulkCounts {
            updated: n as u64,
            ..BulkCounts::default()
        }
    );
    for p in sim.records(Entity::Project) {
        assert_eq!(
            p["details"],
            format!("updated {}", p["name"].as_str().unwrap())
        );
    }

    // Task creates through 503s: a task has no unique attribute, so a task
    // whose request failed ambiguously is Unknown — and truly not applied
    // here, since the simulator's 503s are never processed.
    sim.set_faults("seed=5,503=0.25".parse().unwrap());
    let tasks = client
        .tasks()
        .bulk_create((0..n).map(|i| types::TaskCreate::builder().name(format!("Task {i}"))))
        .execute()
        .await;
    assert_every_index_once(&tasks.outcomes, n);
    assert!(tasks.counts.unknown > 0, "{:?}", tasks.counts);
    assert_eq!(tasks.counts.created + tasks.counts.unknown, n as u64);
    let stored: Vec<String> = sim
        .records(Entity::Task)
        .iter()
        .map(|t| t["name"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(stored.len() as u64, tasks.counts.created);
    for o in &tasks.outcomes {
        if let BulkOutcome::Unknown { input, reason, .. } = o {
            assert!(!stored.contains(&input.name));
            assert!(
                reason.contains("503") && reason.contains("tasks_create"),
                "{reason}"
            );
        }
    }
    sim.shutdown().await;
}

/// Opportunities: bulk create, single updates. Activities: bulk create.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn opportunities_and_activities() {
    let sim = Sim::builder()
        .seed_demo(true)
        .limits(copper_crm_sim::Limits::Scaled(bulk_support::SCALE))
        .start()
        .await
        .unwrap();
    let client = client(&sim);
    let contact = client.people().create(person(0)).await.unwrap();
    let n = 25;
    let opportunities = client
        .opportunities()
        .bulk_create((0..n).map(|i| {
            types::OpportunityCreate::builder()
                .name(format!("Deal {i}"))
                .primary_contact_id(contact.id)
        }))
        .execute()
        .await;
    assert_eq!(
        opportunities.counts.created,
        n as u64,
        "{:?}",
        opportunities.outcomes.iter().find(|o| !o.is_applied())
    );
    assert_answered(&sim, "opportunities_bulk_create", 3);
    assert_eq!(opportunities.stats.bulk_requests, 3);
    let changes = opportunities.outcomes.iter().map(|o| {
        (
            o.record().unwrap().id,
            types::OpportunityUpdate::builder()
                .monetary_value(Some(1000.0))
                .name(Some("Won".into())),
        )
    });
    let updated = client.opportunities().bulk_update(changes).execute().await;
    assert_eq!(updated.counts.updated, n as u64);
    assert_answered(&sim, "opportunities_update", n as u64);
    assert!(
        updated
            .outcomes
            .iter()
            .all(|o| o.record().unwrap().name == "Won")
    );

    let kinds = client
        .raw()
        .activity_types_list()
        .send()
        .await
        .unwrap()
        .into_inner();
    let note = kinds
        .user
        .first()
        .expect("the demo data has user activity types");
    let activities = client
        .activities()
        .bulk_create((0..n).map(|i| types::ActivityCreate {
            activity_date: None,
            details: format!("call {i}"),
            parent: types::ActivityParent {
                id: contact.id,
                type_: "person".into(),
            },
            type_: types::ActivityTypeRef {
                category: note.category.clone(),
                id: note.id,
            },
        }))
        .execute()
        .await;
    assert_eq!(
        activities.counts.created,
        n as u64,
        "{:?}",
        activities.outcomes.iter().find(|o| !o.is_applied())
    );
    assert_answered(&sim, "activities_bulk_create", 3);
    assert_eq!(activities.stats.bulk_requests, 3);
    sim.shutdown().await;
}

/// People bulk updates through faults: idempotent, so every one is applied.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn people_updates_through_faults_are_all_applied() {
    let sim = sim("").await;
    let client = client(&sim);
    let created = client
        .people()
        .bulk_create((0..500).map(person))
        .execute()
        .await;
    assert_eq!(created.counts.created, 500);
    sim.set_faults(
        "seed=7,429=0.15,503=0.1,drop_before=0.05,drop_after=0.1"
            .parse()
            .unwrap(),
    );
    let changes: Vec<_> = created
        .outcomes
        .iter()
        .map(|o| {
            let p = o.record().unwrap();
            (
                p.id,
                types::PersonUpdate::builder().title(Some(format!("title of {}", p.id))),
            )
        })
        .chain([(
            999_999_999,
            types::PersonUpdate::builder().title(Some("nobody".into())),
        )])
        .collect();
    let report = client.people().bulk_update(changes).execute().await;
    assert_every_index_once(&report.outcomes, 501);
    assert_eq!(
        report.counts.updated,
        500,
        "{:?}",
        report.outcomes.iter().find(|o| !o.is_applied())
    );
    // Id 999999999 does not exist: Copper's per-item failure names it.
    let errors = report.outcomes[500]
        .errors()
        .expect("the unknown id is rejected");
    assert!(errors.has_field("id"), "{errors}");
    for p in sim.records(Entity::Person) {
        assert_eq!(p["title"], format!("title of {}", p["id"]));
    }
    assert!(sim.injected().iter().any(
        |f| f.operation == "people_bulk_update" && f.kind == FaultKind::DroppedAfterProcessing
    ));
    sim.shutdown().await;
}

/// Progress events: done grows to the total, with a rate and an ETA; the
/// channel sees the last one.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn progress_events_count_up_to_the_total() {
    let sim = sim("").await;
    let client = client(&sim);
    let events: Arc<Mutex<Vec<BulkProgress>>> = Arc::default();
    let sink = events.clone();
    let (tx, rx) = tokio::sync::watch::channel(BulkProgress {
        done: 0,
        total: None,
        counts: BulkCounts::default(),
        elapsed: Duration::ZERO,
        records_per_second: 0.0,
        eta: None,
    });
    let report = client
        .people()
        .bulk_create((0..300usize).map(|i| {
            if i.is_multiple_of(30) {
                person(i).name(String::new())
            } else {
                person(i)
            }
        }))
        .on_progress(move |p| sink.lock().unwrap().push(p.clone()))
        .progress_channel(tx)
        .execute()
        .await;
    let events = events.lock().unwrap().clone();
    assert_eq!(events.len(), 30, "one event per settled batch of 10");
    assert!(
        events
            .windows(2)
            .all(|w| w[0].done < w[1].done && w[0].elapsed <= w[1].elapsed)
    );
    assert!(events.iter().all(|p| p.total == Some(300)));
    let last = events.last().unwrap();
    assert_eq!(last.done, 300);
    assert_eq!(last.counts, report.counts);
    assert_eq!(last.counts.rejected, 10);
    assert_eq!(last.eta, Some(Duration::ZERO));
    assert!(events.iter().skip(1).all(|p| p.records_per_second > 0.0));
    assert!(events[5].eta.unwrap() > Duration::ZERO);
    assert_eq!(*rx.borrow(), *last);
    sim.shutdown().await;
}

/// A stream of records is pulled only as fast as it is sent: at most
/// `concurrency × batch size` records are in flight at any time.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn streamed_input_is_pulled_with_backpressure() {
    let sim = sim("").await;
    let client = client(&sim);
    let pulled = Arc::new(AtomicU64::new(0));
    let counter = pulled.clone();
    let n = 2_000u64;
    let input = futures::stream::iter(0..n).map(move |i| {
        counter.fetch_add(1, Ordering::SeqCst);
        person(i as usize)
    });
    let concurrency = 3u64;
    let mut outcomes = std::pin::pin!(
        client
            .people()
            .bulk_create_stream(input)
            .concurrency(concurrency as usize)
            .stream()
    );
    let mut settled = 0u64;
    let mut most_in_flight = 0u64;
    let mut seen = vec![false; n as usize];
    while let Some(o) = outcomes.next().await {
        settled += 1;
        assert!(o.is_applied());
        assert!(
            !std::mem::replace(&mut seen[o.index() as usize], true),
            "index {} twice",
            o.index()
        );
        most_in_flight = most_in_flight.max(pulled.load(Ordering::SeqCst) - settled);
    }
    assert_eq!(settled, n);
    assert!(seen.iter().all(|s| *s));
    // The chunks being sent plus the one being filled.
    assert!(
        most_in_flight <= (concurrency + 1) * 10,
        "{most_in_flight} records held at once"
    );
    assert_eq!(sim.record_count(Entity::Person), n as usize);
    sim.shutdown().await;
}

/// A long streak of 429s (longer than the client's own retry budget) makes
/// records wait, never `Unknown` or `Rejected`.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_long_429_streak_only_delays() {
    let sim = sim("seed=1,429=1.0").await;
    let client = client(&sim);
    let handle = Arc::new(sim);
    let lifter = handle.clone();
    tokio::spawn(async move {
        // Longer than RetryPolicy::default().scaled(SCALE).max_elapsed (120 s / SCALE).
        tokio::time::sleep(Duration::from_secs(3)).await;
        lifter.set_faults(FaultConfig::default());
    });
    let report = client
        .people()
        .bulk_create((0..200).map(person))
        .execute()
        .await;
    assert_eq!(
        report.counts,
        BulkCounts {
            created: 200,
            ..BulkCounts::default()
        }
    );
    assert!(
        report.stats.throttled > 0,
        "the client's retry budget ran out and the engine waited: {:?}",
        report.stats
    );
    assert!(report.client_stats.rate_limited > 20);
    assert_eq!(handle.record_count(Entity::Person), 200);
    for p in handle.records(Entity::Person) {
        assert_eq!(emails_of(&p).len(), 1);
    }
}

/// Refused credentials stop the job after the first answers: every record is
/// `Rejected` with the 401, and the rest are not even sent.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn refused_credentials_stop_the_job() {
    let sim = sim("").await;
    let client = client_with_key(&sim, "wrong-key");
    let report = client
        .people()
        .bulk_create((0..1_000).map(person))
        .execute()
        .await;
    assert_every_index_once(&report.outcomes, 1_000);
    assert_eq!(report.counts.rejected, 1_000);
    assert!(
        report
            .outcomes
            .iter()
            .all(|o| o.errors().unwrap().status == Some(401))
    );
    let sent = sim.stats().unauthorized;
    assert!(sent <= 4, "{sent} requests sent with refused credentials");
    assert_eq!(sim.record_count(Entity::Person), 0);
    sim.shutdown().await;
}
