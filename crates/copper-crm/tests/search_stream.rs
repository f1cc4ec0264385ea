//! Search streams against the simulator over loopback HTTP: every record
//! exactly once past the search cap, with date ranges, page sizes and
//! concurrent inserts; pages, totals and the errors of unsplittable searches.

use std::collections::{BTreeSet, HashSet};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

use copper_crm::types::{ActivitySearch, PersonCreate, PersonSearch, SortDirection, UserSearch};
use copper_crm::{Client, Error, RateLimits};
use copper_crm_raw::ClientPeopleExt;
use copper_crm_sim::{Entity, Limits, Sim, SimHandle};
use futures::{StreamExt, TryStreamExt};
use serde_json::Value;

const CAP: u64 = 1_000;

async fn sim(records: usize, cap: usize, demo: bool) -> SimHandle {
    Sim::builder()
        .records(records)
        .search_cap(cap)
        .seed_demo(demo)
        .limits(Limits::Off)
        .start()
        .await
        .unwrap()
}

fn client(sim: &SimHandle, cap: u64) -> Client {
    Client::builder()
        .api_key(
            copper_crm_sim::DEFAULT_API_KEY,
            copper_crm_sim::DEFAULT_EMAIL,
        )
        .base_url(sim.base_url())
        .rate_limits(RateLimits::unlimited())
        .search_cap(cap)
        .build()
        .unwrap()
}

fn id(v: &Value) -> i64 {
    v["id"].as_i64().unwrap()
}

/// The sim's people as (date_created, id).
fn stored_people(sim: &SimHandle) -> Vec<(i64, i64)> {
    let mut all: Vec<(i64, i64)> = sim
        .records(Entity::Person)
        .iter()
        .map(|p| (p["date_created"].as_i64().unwrap(), id(p)))
        .collect();
    all.sort();
    all
}

/// Asserts the streamed `people` are every person the simulator stores, each once.
fn assert_every_stored_person_once(sim: &SimHandle, people: &[copper_crm::types::Person]) {
    assert_exactly_once(
        &people.iter().map(|p| p.id).collect::<Vec<_>>(),
        stored_people(sim).iter().map(|p| p.1),
    );
}

/// Asserts `got` holds each id once and, as a set, equals `want`.
fn assert_exactly_once(got: &[i64], want: impl IntoIterator<Item = i64>) {
    let unique: HashSet<i64> = got.iter().copied().collect();
    assert_eq!(
        unique.len(),
        got.len(),
        "{} records were yielded more than once",
        got.len() - unique.len()
    );
    let want: BTreeSet<i64> = want.into_iter().collect();
    let got: BTreeSet<i64> = unique.into_iter().collect();
    let missing: Vec<_> = want.difference(&got).take(5).collect();
    let extra: Vec<_> = got.difference(&want).take(5).collect();
    assert!(
        missing.is_empty() && extra.is_empty(),
        "missing {missing:?}, unexpected {extra:?}"
    );
}

#[tokio::test]
async fn streams_every_person_exactly_once_past_the_cap() {
    let sim = sim(5_200, CAP as usize, false).await;
    let client = client(&sim, CAP);
    let search = client.people().search(PersonSearch::default());
    assert_eq!(
        search.total().await.unwrap(),
        5_200,
        "X-PW-TOTAL counts past the cap"
    );
    let people: Vec<_> = search.try_collect().await.unwrap();
    let ids: Vec<i64> = people.iter().map(|p| p.id).collect();
    let stored = stored_people(&sim);
    assert_exactly_once(&ids, stored.iter().map(|(_, id)| *id));
    // In date_created order, ties by id: exactly the sim's order.
    let order: Vec<(i64, i64)> = people.iter().map(|p| (p.date_created, p.id)).collect();
    assert_eq!(order, stored);
    // One for the total, 26 pages of records, and the first pages (plus one
    // newest-date lookup each) of the windows that had to be split.
    let requests = client.stats().requests;
    assert!((35..60).contains(&requests), "{requests} requests");
    sim.shutdown().await;
}

#[tokio::test]
async fn respects_a_created_date_range_given_by_the_caller() {
    let sim = sim(5_200, CAP as usize, false).await;
    let client = client(&sim, CAP);
    let stored = stored_people(&sim);
    // A range of about 3,000 records that starts and ends inside a second
    // shared by two records.
    let (from, to) = (stored[1_001].0, stored[4_100].0);
    let want: Vec<i64> = stored
        .iter()
        .filter(|(c, _)| (from..=to).contains(c))
        .map(|(_, id)| *id)
        .collect();
    assert!(
        want.len() > 3 * CAP as usize,
        "the range must need splitting"
    );
    let body = PersonSearch::builder()
        .minimum_created_date(from)
        .maximum_created_date(to);
    let people: Vec<_> = client.people().search(body).try_collect().await.unwrap();
    assert!(people.iter().all(|p| (from..=to).contains(&p.date_created)));
    assert_exactly_once(&people.iter().map(|p| p.id).collect::<Vec<_>>(), want);
    sim.shutdown().await;
}

#[tokio::test]
async fn a_non_default_page_size_reads_the_same_records() {
    let sim = sim(5_100, CAP as usize, false).await;
    let client = client(&sim, CAP);
    let before = client.stats().requests;
    let people: Vec<_> = client
        .people()
        .search(PersonSearch::default())
        .page_size(137)
        .try_collect()
        .await
        .unwrap();
    assert_every_stored_person_once(&sim, &people);
    // 5,100 / 137 = 38 full pages at least.
    assert!(client.stats().requests - before >= 38);
    sim.shutdown().await;
}

#[tokio::test]
async fn a_cap_set_on_the_stream_overrides_the_clients() {
    let sim = sim(2_500, 500, false).await;
    // The client believes Copper's 100,000; the stream is told the sim's 500.
    let client = client(&sim, 100_000);
    let people: Vec<_> = client
        .people()
        .search(PersonSearch::default())
        .cap(500)
        .try_collect()
        .await
        .unwrap();
    assert_every_stored_person_once(&sim, &people);
    sim.shutdown().await;
}

#[tokio::test]
async fn a_cap_the_client_does_not_know_about_is_paged_past_from_the_last_date() {
    // The client thinks it can reach 100,000 matches, the server only 700:
    // the window reaches the server's cap with full pages and the stream
    // resumes from the date it reached.
    let sim = sim(2_000, 700, false).await;
    let client = client(&sim, 100_000);
    let people: Vec<_> = client
        .people()
        .search(PersonSearch::default())
        .page_size(100)
        .try_collect()
        .await
        .unwrap();
    assert_every_stored_person_once(&sim, &people);
    sim.shutdown().await;
}

#[tokio::test]
async fn concurrent_inserts_neither_skip_nor_repeat_existing_records() {
    let sim = sim(5_000, CAP as usize, false).await;
    let client = client(&sim, CAP);
    let at_start: Vec<i64> = stored_people(&sim).iter().map(|p| p.1).collect();

    let writer = client.clone();
    let done = Arc::new(AtomicBool::new(false));
    let stop = done.clone();
    let inserted = Arc::new(AtomicUsize::new(0));
    let counter = inserted.clone();
    let inserts = tokio::spawn(async move {
        let mut created = Vec::new();
        for i in 0..400 {
            if stop.load(Ordering::Relaxed) {
                break;
            }
            let person = PersonCreate::builder().name(format!("Inserted Meanwhile {i}"));
            created.push(writer.people().create(person).await.unwrap().id);
            counter.fetch_add(1, Ordering::Relaxed);
            tokio::time::sleep(std::time::Duration::from_millis(1)).await;
        }
        created
    });

    let mut seen = Vec::new();
    let mut stream = client
        .people()
        .search(PersonSearch::default())
        .page_size(50);
    while let Some(person) = stream.next().await {
        seen.push(person.unwrap().id);
    }
    let during = inserted.load(Ordering::Relaxed);
    done.store(true, Ordering::Relaxed);
    let created = inserts.await.unwrap();
    assert!(
        during >= 20,
        "only {during} people were created while the stream ran"
    );

    let unique: HashSet<i64> = seen.iter().copied().collect();
    assert_eq!(unique.len(), seen.len(), "no record may be yielded twice");
    let existing: Vec<i64> = seen
        .iter()
        .copied()
        .filter(|id| !created.contains(id))
        .collect();
    assert_exactly_once(&existing, at_start);
    sim.shutdown().await;
}

#[tokio::test]
async fn more_records_in_one_second_than_the_cap_is_an_error() {
    let sim = sim(0, 3, false).await;
    let client = client(&sim, 3);
    // Ten people in one bulk request: at most two distinct seconds, so one
    // second holds at least five, more than the cap of three.
    let people: Vec<PersonCreate> = (0..10)
        .map(|i| {
            PersonCreate::builder()
                .name(format!("Same Second {i}"))
                .try_into()
                .unwrap()
        })
        .collect();
    let answer = client
        .raw()
        .people_bulk_create()
        .body(copper_crm::types::PersonBulkCreate { people })
        .send()
        .await;
    assert_eq!(answer.unwrap().into_inner().0.len(), 10);

    let search = client.people().search(PersonSearch::default());
    assert_eq!(search.total().await.unwrap(), 10);
    let err = search.try_collect::<Vec<_>>().await.unwrap_err();
    match &err {
        Error::SearchCapExceeded {
            operation,
            total,
            cap,
            second,
        } => {
            assert_eq!(*operation, "people_search");
            assert_eq!(*cap, 3);
            assert!(*total > 3, "{total}");
            let in_second = stored_people(&sim)
                .iter()
                .filter(|(created, _)| created == second)
                .count() as u64;
            assert_eq!(in_second, *total);
        }
        other => panic!("expected SearchCapExceeded, got {other:?}"),
    }
    assert!(err.to_string().contains("narrow the filter"), "{err}");
    assert!(!err.is_retryable());
    sim.shutdown().await;
}

#[tokio::test]
async fn pages_total_and_single_pages() {
    let sim = sim(450, CAP as usize, false).await;
    let client = client(&sim, CAP);
    let search = client.people().search(PersonSearch::default());
    assert_eq!(search.total().await.unwrap(), 450);

    let pages: Vec<_> = client
        .people()
        .search(PersonSearch::default())
        .pages()
        .try_collect()
        .await
        .unwrap();
    let shape: Vec<(u64, usize, Option<u64>)> = pages
        .iter()
        .map(|p| (p.page_number, p.records.len(), p.total_estimate))
        .collect();
    assert_eq!(
        shape,
        vec![(1, 200, Some(450)), (2, 200, Some(450)), (3, 50, Some(450))]
    );

    let second = search.page(2).await.unwrap();
    assert_eq!(second.page_number, 2);
    assert_eq!(second.total_estimate, Some(450));
    assert_eq!(second.records, pages[1].records);

    let small = client.people().search(PersonSearch::default()).page_size(7);
    let third = small.page(3).await.unwrap();
    let stored = stored_people(&sim);
    assert_eq!(
        third.records.iter().map(|p| p.id).collect::<Vec<_>>(),
        stored[14..21].iter().map(|p| p.1).collect::<Vec<_>>()
    );

    // A page past the cap, page 0 and a bad page size are refused before any request.
    let requests = client.stats().requests;
    let err = client
        .people()
        .search(PersonSearch::default())
        .page_size(200)
        .page(6)
        .await
        .unwrap_err();
    assert!(
        matches!(err, Error::InvalidInput(ref m) if m.contains("past the 1000")),
        "{err}"
    );
    assert!(matches!(search.page(0).await, Err(Error::InvalidInput(_))));
    let err = client
        .people()
        .search(PersonSearch::default())
        .page_size(201)
        .try_collect::<Vec<_>>()
        .await
        .unwrap_err();
    assert!(
        matches!(err, Error::InvalidInput(ref m) if m.contains("201")),
        "{err}"
    );
    assert_eq!(client.stats().requests, requests);
    sim.shutdown().await;
}

#[tokio::test]
async fn an_invalid_body_is_an_error_before_any_request() {
    let sim = sim(0, CAP as usize, false).await;
    let client = client(&sim, CAP);
    // page_size 0 does not fit the body's NonZeroU64.
    let bad = PersonSearch::builder().page_size(0u64);
    let err = client
        .people()
        .search(bad)
        .try_collect::<Vec<_>>()
        .await
        .unwrap_err();
    assert!(
        matches!(err, Error::InvalidInput(ref m) if m.contains("people_search")),
        "{err}"
    );
    assert_eq!(client.stats().requests, 0);
    sim.shutdown().await;
}

#[tokio::test]
async fn a_custom_sort_is_kept_within_each_window() {
    let sim = sim(2_300, 500, false).await;
    let client = client(&sim, 500);
    let body = PersonSearch::builder()
        .sort_by("last_name".to_string())
        .sort_direction(SortDirection::Desc);
    let pages: Vec<_> = client
        .people()
        .search(body)
        .page_size(100)
        .pages()
        .try_collect()
        .await
        .unwrap();
    let ids: Vec<i64> = pages
        .iter()
        .flat_map(|p| p.records.iter().map(|r| r.id))
        .collect();
    assert_exactly_once(&ids, stored_people(&sim).iter().map(|p| p.1));
    // A page never spans two windows, and within a window the order is the caller's.
    for page in &pages {
        let names: Vec<String> = page
            .records
            .iter()
            .map(|p| p.last_name.clone().unwrap_or_default().to_lowercase())
            .collect();
        assert!(
            names.windows(2).all(|w| w[0] >= w[1]),
            "last names descending within a page: {names:?}"
        );
    }
    sim.shutdown().await;
}

#[tokio::test]
async fn activities_split_by_activity_date_newest_first() {
    // The demo data has a dozen activities on distinct dates; a cap of 3
    // forces splitting by activity date.
    let sim = sim(0, 3, true).await;
    let client = client(&sim, 3);
    let activities: Vec<_> = client
        .activities()
        .search(ActivitySearch::default())
        .try_collect()
        .await
        .unwrap();
    let stored = sim.records(Entity::Activity);
    assert!(stored.len() > 6);
    assert_exactly_once(
        &activities.iter().map(|a| a.id).collect::<Vec<_>>(),
        stored.iter().map(id),
    );
    assert!(
        activities
            .windows(2)
            .all(|w| w[0].activity_date >= w[1].activity_date),
        "newest first"
    );
    sim.shutdown().await;
}

#[tokio::test]
async fn users_over_the_cap_cannot_be_split() {
    let sim = sim(0, 100, true).await;
    let client = client(&sim, 2);
    let err = client
        .users()
        .search(UserSearch::default())
        .collect_all()
        .await
        .unwrap_err();
    assert!(
        matches!(
            err,
            Error::SearchNotSplittable {
                operation: "users_search",
                total: Some(4),
                cap: 2,
                ..
            }
        ),
        "{err:?}"
    );
    // Under the cap they stream like everything else.
    let users = client
        .users()
        .search(UserSearch::default())
        .cap(10)
        .collect_all()
        .await
        .unwrap();
    assert_eq!(users.len(), 4);
    sim.shutdown().await;
}
