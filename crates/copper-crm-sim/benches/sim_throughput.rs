//! Throughput and search latency of the simulator (run with `cargo bench -p copper-crm-sim`).
//!
//! 1. Start-up time with 250,000 generated people.
//! 2. Simple requests per second (`GET /account`, `GET /people/{id}`) over N concurrent
//!    keep-alive connections, limits off; target >= 20,000 req/s.
//! 3. Latency of a date-window search (sorted by date_created) and of a name search over the
//!    250,000 people; target: milliseconds.
//!
//! With `COPPER_SIM_BENCH_WRITE=1` the "copper-crm-sim" section of BENCHMARKS.md is replaced by
//! this run's results.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::{Duration, Instant};

use bytes::Bytes;
use copper_crm_sim::{Limits, Sim, SimHandle};
use http_body_util::{BodyExt, Full};
use hyper::Request;
use hyper::client::conn::http1;
use hyper_util::rt::TokioIo;
use serde_json::{Value, json};

const CONNECTIONS: usize = 32;
const THROUGHPUT_SECS: u64 = 5;
const RECORDS: usize = 250_000;
const SEARCH_RUNS: usize = 200;
const TARGET_RPS: f64 = 20_000.0;
const TARGET_SEARCH_MS: f64 = 10.0;
const TARGET_STARTUP_MS: f64 = 1_000.0;

type Sender = http1::SendRequest<Full<Bytes>>;

/// A minimal keep-alive HTTP/1.1 client (like wrk): writes a prepared request and reads one
/// response, so the load generator spends as little of the shared CPU as possible.
struct RawConn {
    stream: tokio::net::TcpStream,
    buf: Vec<u8>,
}

impl RawConn {
    async fn open(sim: &SimHandle) -> RawConn {
        let stream = tokio::net::TcpStream::connect(sim.addr())
            .await
            .expect("connect");
        stream.set_nodelay(true).expect("nodelay");
        RawConn {
            stream,
            buf: Vec::with_capacity(16 * 1024),
        }
    }

    /// Send `request` and return the response status.
    async fn roundtrip(&mut self, request: &[u8]) -> u16 {
        use tokio::io::{AsyncReadExt, AsyncWriteExt};
        self.stream.write_all(request).await.expect("write");
        self.buf.clear();
        let mut chunk = [0u8; 16 * 1024];
        loop {
            let n = self.stream.read(&mut chunk).await.expect("read");
            assert!(n > 0, "connection closed");
            self.buf.extend_from_slice(&chunk[..n]);
            let Some(end) = self.buf.windows(4).position(|w| w == b"\r\n\r\n") else {
                continue;
            };
            let head = std::str::from_utf8(&self.buf[..end]).expect("utf-8 head");
            let status: u16 = head[9..12].parse().expect("status");
            let length: usize = head
                .lines()
                .find_map(|l| {
                    let (k, v) = l.split_once(':')?;
                    k.eq_ignore_ascii_case("content-length")
                        .then(|| v.trim().parse().ok())
                        .flatten()
                })
                .expect("content-length");
            while self.buf.len() < end + 4 + length {
                let n = self.stream.read(&mut chunk).await.expect("read");
                assert!(n > 0, "connection closed");
                self.buf.extend_from_slice(&chunk[..n]);
            }
            return status;
        }
    }
}

fn raw_get(sim: &SimHandle, path: &str) -> Vec<u8> {
    format!(
        "GET /developer_api/v1{path} HTTP/1.1\r\nHost: {}\r\nX-PW-AccessToken: sim-api-key\r\n\
         X-PW-Application: developer_api\r\nX-PW-UserEmail: sim@example.com\r\n\r\n",
        sim.addr()
    )
    .into_bytes()
}

async fn connect(sim: &SimHandle) -> Sender {
    let stream = tokio::net::TcpStream::connect(sim.addr())
        .await
        .expect("connect");
    stream.set_nodelay(true).expect("nodelay");
    let (sender, conn) = http1::handshake(TokioIo::new(stream))
        .await
        .expect("handshake");
    tokio::spawn(conn);
    sender
}

fn request(
    sim: &SimHandle,
    method: &str,
    path: &str,
    body: Option<&Value>,
) -> Request<Full<Bytes>> {
    let bytes = body
        .map(|b| serde_json::to_vec(b).expect("json"))
        .unwrap_or_default();
    Request::builder()
        .method(method)
        .uri(format!("{}{path}", sim.base_url()))
        .header("host", sim.addr().to_string())
        .header("X-PW-AccessToken", "sim-api-key")
        .header("X-PW-Application", "developer_api")
        .header("X-PW-UserEmail", "sim@example.com")
        .header("content-type", "application/json")
        .body(Full::new(Bytes::from(bytes)))
        .expect("request")
}

async fn send(sender: &mut Sender, req: Request<Full<Bytes>>) -> (u16, Bytes) {
    sender.ready().await.expect("ready");
    let resp = sender.send_request(req).await.expect("response");
    let status = resp.status().as_u16();
    let body = resp.into_body().collect().await.expect("body").to_bytes();
    (status, body)
}

struct Results {
    startup_ms: f64,
    rps: f64,
    requests: u64,
    window: (f64, f64, usize, usize),
    name: (f64, f64, usize, usize),
    full_sort: f64,
}

fn percentile(sorted: &[f64], p: f64) -> f64 {
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i.min(sorted.len() - 1)]
}

/// Median and p95 latency (ms) of a search, with its page length and X-PW-TOTAL.
async fn search_latency(sim: &SimHandle, body: &Value) -> (f64, f64, usize, usize) {
    let mut sender = connect(sim).await;
    let mut times = Vec::with_capacity(SEARCH_RUNS);
    let mut shape = (0, 0);
    for _ in 0..SEARCH_RUNS {
        let req = request(sim, "POST", "/people/search", Some(body));
        let started = Instant::now();
        sender.ready().await.expect("ready");
        let resp = sender.send_request(req).await.expect("response");
        let total = resp
            .headers()
            .get("X-PW-TOTAL")
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.parse().ok())
            .unwrap_or(0);
        let bytes = resp.into_body().collect().await.expect("body").to_bytes();
        times.push(started.elapsed().as_secs_f64() * 1000.0);
        let page: Value = serde_json::from_slice(&bytes).expect("json page");
        shape = (page.as_array().map_or(0, Vec::len), total);
    }
    times.sort_by(f64::total_cmp);
    (
        percentile(&times, 0.5),
        percentile(&times, 0.95),
        shape.0,
        shape.1,
    )
}

async fn run() -> Results {
    // Start-up with 250,000 people.
    let started = Instant::now();
    let big = Sim::builder()
        .seed_demo(true)
        .records(RECORDS)
        .limits(Limits::Off)
        .start()
        .await
        .expect("sim starts");
    let startup_ms = started.elapsed().as_secs_f64() * 1000.0;

    // Throughput with simple requests against the same simulator.
    let person_id = {
        let mut s = connect(&big).await;
        let (_, body) = send(
            &mut s,
            request(
                &big,
                "POST",
                "/people/search",
                Some(&json!({"page_size": 1})),
            ),
        )
        .await;
        let v: Value = serde_json::from_slice(&body).expect("json");
        v[0]["id"].as_i64().expect("a person")
    };
    let big = Arc::new(big);
    let requests_to_send = [
        raw_get(&big, "/account"),
        raw_get(&big, &format!("/people/{person_id}")),
    ];
    let requests_to_send = Arc::new(requests_to_send);
    let stop = Arc::new(AtomicBool::new(false));
    let count = Arc::new(AtomicU64::new(0));
    let mut tasks = Vec::new();
    for c in 0..CONNECTIONS {
        let (sim, stop, count, reqs) = (
            big.clone(),
            stop.clone(),
            count.clone(),
            requests_to_send.clone(),
        );
        tasks.push(tokio::spawn(async move {
            let mut conn = RawConn::open(&sim).await;
            let mut i = c;
            while !stop.load(Ordering::Relaxed) {
                let status = conn.roundtrip(&reqs[i % 2]).await;
                assert_eq!(status, 200);
                count.fetch_add(1, Ordering::Relaxed);
                i += 1;
            }
        }));
    }
    tokio::time::sleep(Duration::from_millis(500)).await;
    let before = count.load(Ordering::Relaxed);
    let t0 = Instant::now();
    tokio::time::sleep(Duration::from_secs(THROUGHPUT_SECS)).await;
    let requests = count.load(Ordering::Relaxed) - before;
    let rps = requests as f64 / t0.elapsed().as_secs_f64();
    stop.store(true, Ordering::Relaxed);
    for t in tasks {
        t.await.expect("client task");
    }

    // Search latency over 250,000 people.
    // The middle of the date_created span, from the oldest and newest records.
    let mid = {
        let mut s = connect(&big).await;
        let mut dates = Vec::new();
        for dir in ["asc", "desc"] {
            let body = json!({"sort_by": "date_created", "sort_direction": dir, "page_size": 1});
            let (_, body) =
                send(&mut s, request(&big, "POST", "/people/search", Some(&body))).await;
            let v: Value = serde_json::from_slice(&body).expect("json");
            dates.push(v[0]["date_created"].as_i64().expect("a record"));
        }
        (dates[0] + dates[1]) / 2
    };
    let window = json!({
        "minimum_created_date": mid,
        "maximum_created_date": mid + 7 * 86_400,
        "sort_by": "date_created",
        "sort_direction": "asc",
        "page_size": 200
    });
    let window = search_latency(&big, &window).await;
    let name = search_latency(&big, &json!({"name": "ada lovelace", "page_size": 200})).await;
    let full = search_latency(
        &big,
        &json!({"sort_by": "date_modified", "sort_direction": "desc", "page_size": 200}),
    )
    .await;
    Results {
        startup_ms,
        rps,
        requests,
        window,
        name,
        full_sort: full.0,
    }
}

fn machine() -> String {
    let cpu = std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("model name"))
                .and_then(|l| l.split(':').nth(1))
                .map(|m| m.trim().to_string())
        })
        .unwrap_or_else(|| "unknown CPU".into());
    let cores = std::thread::available_parallelism().map_or(0, |n| n.get());
    format!("{cores} cores, {cpu}, {}", std::env::consts::OS)
}

fn report(r: &Results, load: &str) -> String {
    let ratio = |got: f64, target: f64| got / target;
    format!(
        "## copper-crm-sim\n\n\
Measured in one run of `COPPER_SIM_BENCH_WRITE=1 cargo bench -p copper-crm-sim` (release, `benches/sim_throughput.rs`) on {machine}; load average before the run {load} (above 2 means other jobs were sharing the two cores).\n\
The load generator (a minimal keep-alive HTTP/1.1 client, like wrk) runs in the same process and shares the cores with the simulator.\n\n\
| Measure | Result | Target | Ratio |\n\
|---|---|---|---|\n\
| Start-up with demo data + {records} generated people | {startup:.0} ms | < {tstart:.0} ms | {rstart:.2}x faster than needed |\n\
| Simple requests (`GET /account`, `GET /people/{{id}}`), {conns} keep-alive connections, {secs} s, limits off | {rps:.0} req/s ({requests} requests) | >= {trps:.0} req/s | {rrps:.2}x the target |\n\
| Date-window search over {records} people (7 days, sort date_created, page_size 200; {wn} of {wt}) | median {wm:.2} ms, p95 {wp:.2} ms | milliseconds (< {tsearch:.0} ms) | {rw:.1}x under the bound (p95) |\n\
| Name search over {records} people (`ada lovelace`, page_size 200; {nn} of {nt}) | median {nm:.2} ms, p95 {np:.2} ms | milliseconds (< {tsearch:.0} ms) | {rn:.1}x under the bound (p95) |\n\
| Unfiltered search sorted by date_modified desc (index path), page_size 200 | median {fs:.2} ms | (information) | |\n",
        machine = machine(),
        load = load,
        records = RECORDS,
        startup = r.startup_ms,
        tstart = TARGET_STARTUP_MS,
        rstart = TARGET_STARTUP_MS / r.startup_ms,
        conns = CONNECTIONS,
        secs = THROUGHPUT_SECS,
        rps = r.rps,
        requests = r.requests,
        trps = TARGET_RPS,
        rrps = ratio(r.rps, TARGET_RPS),
        wm = r.window.0,
        wp = r.window.1,
        wn = r.window.2,
        wt = r.window.3,
        rw = TARGET_SEARCH_MS / r.window.1,
        nm = r.name.0,
        np = r.name.1,
        nn = r.name.2,
        nt = r.name.3,
        rn = TARGET_SEARCH_MS / r.name.1,
        tsearch = TARGET_SEARCH_MS,
        fs = r.full_sort,
    )
}

/// Replace (or append) the "## copper-crm-sim" section of BENCHMARKS.md.
fn write_section(section: &str) {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../BENCHMARKS.md");
    let old = std::fs::read_to_string(path).unwrap_or_else(|_| "# Benchmarks\n".into());
    let new = match old.find("## copper-crm-sim\n") {
        Some(start) => {
            let rest = &old[start + 3..];
            let end = rest.find("\n## ").map_or(old.len(), |i| start + 3 + i + 1);
            let rest = &old[end..];
            let gap = if rest.is_empty() { "" } else { "\n" };
            format!("{}{}{gap}{}", &old[..start], section, rest)
        }
        None => format!(
            "{}\n{}",
            old.trim_end_matches('\n').to_string() + "\n",
            section
        ),
    };
    std::fs::write(path, new).expect("write BENCHMARKS.md");
    eprintln!("updated {path}");
}

fn main() {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("runtime");
    let load = std::fs::read_to_string("/proc/loadavg")
        .map(|l| l.split_whitespace().take(3).collect::<Vec<_>>().join(" "))
        .unwrap_or_else(|_| "unknown".into());
    let results = rt.block_on(run());
    let section = report(&results, &load);
    println!("{section}");
    if std::env::var("COPPER_SIM_BENCH_WRITE").is_ok_and(|v| v == "1") {
        write_section(&section);
    }
}
