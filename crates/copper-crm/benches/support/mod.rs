//! Shared by the benchmarks: the simulator in a child process (so its stored
//! records do not count towards the measured client's memory), and this
//! process's memory from procfs.
//!
//! A bench's `main` starts with [`serve_sim_if_child`]; the parent then calls
//! [`SimProcess::start`], which runs the same bench binary again with
//! `--serve-sim`.

use std::io::{BufRead, BufReader, Read};
use std::process::{Child, Command, Stdio};

use copper_crm_sim::{Limits, Sim};

/// How many generated people the child simulator holds.
const RECORDS_ENV: &str = "COPPER_BENCH_SIM_RECORDS";
/// How many tokio worker threads the child simulator runs on.
const WORKERS_ENV: &str = "COPPER_BENCH_SIM_WORKERS";

/// The simulator (limits off) in a child process; stopped by [`SimProcess::stop`].
pub struct SimProcess {
    child: Child,
    /// The simulator's base URL, `http://127.0.0.1:<port>/developer_api/v1`.
    pub base_url: String,
}

impl SimProcess {
    /// Start this bench binary as a simulator holding `records` generated
    /// people, served by `workers` tokio worker threads.
    pub fn start(records: usize, workers: usize) -> Self {
        let exe = std::env::current_exe().expect("the bench binary's path");
        let mut child = Command::new(exe)
            .arg("--serve-sim")
            .env(RECORDS_ENV, records.to_string())
            .env(WORKERS_ENV, workers.to_string())
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .spawn()
            .expect("start the simulator process");
        let mut line = String::new();
        BufReader::new(child.stdout.take().expect("piped stdout"))
            .read_line(&mut line)
            .expect("read the base URL");
        assert!(
            line.starts_with("http://"),
            "the simulator did not start: {line:?}"
        );
        SimProcess {
            child,
            base_url: line.trim().to_string(),
        }
    }

    /// Stop the simulator and wait for it.
    pub fn stop(mut self) {
        // Closing its stdin tells the simulator to stop.
        drop(self.child.stdin.take());
        let _ = self.child.wait();
    }
}

/// When this process is a [`SimProcess`] child (`--serve-sim`), serve until
/// stdin closes and return `true`; otherwise return `false` at once.
pub fn serve_sim_if_child() -> bool {
    if !std::env::args().any(|a| a == "--serve-sim") {
        return false;
    }
    let number = |key: &str, default: usize| {
        std::env::var(key)
            .ok()
            .and_then(|v| v.parse().ok())
            .unwrap_or(default)
    };
    let records = number(RECORDS_ENV, 0);
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(number(WORKERS_ENV, 2).max(1))
        .enable_all()
        .build()
        .expect("a tokio runtime for the simulator");
    runtime.block_on(async move {
        let sim = Sim::builder()
            .records(records)
            .limits(Limits::Off)
            .start()
            .await
            .expect("start the simulator");
        println!("{}", sim.base_url());
        tokio::task::spawn_blocking(|| {
            let mut sink = Vec::new();
            let _ = std::io::stdin().read_to_end(&mut sink);
        })
        .await
        .ok();
        sim.shutdown().await;
    });
    true
}

/// A kB value of `/proc/self/status`, e.g. `VmHWM` (peak RSS) or `VmRSS`
/// (0 where there is no procfs).
pub fn status_kib(key: &str) -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find_map(|l| {
            l.strip_prefix(key)?
                .strip_prefix(':')?
                .trim()
                .strip_suffix("kB")?
                .trim()
                .parse()
                .ok()
        })
        .unwrap_or(0)
}
