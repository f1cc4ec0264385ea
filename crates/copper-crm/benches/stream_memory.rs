//! How much memory does streaming a large search take, and how fast is it?
//!
//! Streams every person of a simulator holding 250,000 of them (limits off,
//! Copper's 100,000 search cap, so the stream has to split the search into
//! date windows) and reports the client process's peak resident set size
//! (`VmHWM` of `/proc/self/status`) against the 64 MB target, and records
//! per second.
//!
//! The simulator runs in a child process (this same binary started with
//! `--serve-sim`), so its 250,000 stored records do not count towards the
//! client's memory.
//!
//! ```sh
//! cargo bench -p copper-crm --bench stream_memory
//! STREAM_RECORDS=50000 cargo bench -p copper-crm --bench stream_memory   # a quicker run
//! ```

mod support;

use std::time::Instant;

use copper_crm::types::PersonSearch;
use copper_crm::{Client, RateLimits};
use futures::TryStreamExt;
use support::{SimProcess, status_kib};

/// The memory target of the issue.
const TARGET_BYTES: f64 = 64.0 * 1024.0 * 1024.0;

fn main() {
    let records: usize = std::env::var("STREAM_RECORDS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(250_000);
    if support::serve_sim_if_child() {
        return;
    }
    let sim = SimProcess::start(records, 1);
    let base_url = sim.base_url.clone();

    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    let baseline = status_kib("VmHWM");
    let cpu_before = cpu_seconds();
    let (streamed, at_tenth, elapsed, requests) = runtime.block_on(async move {
        let client = Client::builder()
            .api_key(
                copper_crm_sim::DEFAULT_API_KEY,
                copper_crm_sim::DEFAULT_EMAIL,
            )
            .base_url(base_url)
            .rate_limits(RateLimits::unlimited())
            .build()
            .unwrap();
        let started = Instant::now();
        let mut stream = client.people().search(PersonSearch::default());
        let mut streamed = 0usize;
        let mut at_tenth = 0;
        let mut last_id = 0i64;
        while let Some(person) = stream.try_next().await.expect("the stream failed") {
            streamed += 1;
            last_id = last_id.max(person.id);
            if streamed == records / 10 {
                at_tenth = status_kib("VmRSS");
            }
        }
        std::hint::black_box(last_id);
        (
            streamed,
            at_tenth,
            started.elapsed(),
            client.stats().requests,
        )
    });
    let at_end = status_kib("VmRSS");
    let peak = status_kib("VmHWM");
    let cpu = cpu_seconds() - cpu_before;
    drop(runtime);
    sim.stop();

    assert_eq!(streamed, records, "every record must be streamed");
    let peak_bytes = peak as f64 * 1024.0;
    let rate = streamed as f64 / elapsed.as_secs_f64();
    println!(
        "streamed {streamed} people in {:.2} s with {requests} requests: {rate:.0} records/s",
        elapsed.as_secs_f64()
    );
    println!(
        "client CPU time {cpu:.2} s ({:.0}% of the wall time; the rest is waiting for the simulator)",
        100.0 * cpu / elapsed.as_secs_f64()
    );
    println!(
        "client RSS: peak {baseline} KiB before streaming, {at_tenth} KiB after 10% of the records, {at_end} KiB at the end"
    );
    println!(
        "client peak RSS (VmHWM) {:.1} MiB = {:.3} x the 64 MiB target",
        peak_bytes / (1024.0 * 1024.0),
        peak_bytes / TARGET_BYTES
    );
}

/// CPU time used so far by this process's live threads, from
/// `/proc/self/task/*/schedstat` (nanoseconds on CPU; 0 without procfs).
fn cpu_seconds() -> f64 {
    let Ok(tasks) = std::fs::read_dir("/proc/self/task") else {
        return 0.0;
    };
    let nanos: u64 = tasks
        .flatten()
        .filter_map(|t| std::fs::read_to_string(t.path().join("schedstat")).ok())
        .filter_map(|s| s.split_whitespace().next()?.parse::<u64>().ok())
        .sum();
    nanos as f64 / 1e9
}
