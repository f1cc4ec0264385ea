//! `copper-crm-sim`: run the Copper API simulator until Ctrl-C.

use clap::Parser;
use copper_crm_sim::{FaultConfig, Limits, Sim};

/// A stateful simulator of the Copper CRM Developer API on 127.0.0.1.
#[derive(Parser)]
#[command(name = "copper-crm-sim", version, about)]
struct Args {
    /// Port to listen on (0 picks a free one).
    #[arg(long, default_value_t = 0)]
    port: u16,
    /// Seed demo data (users, pipelines, custom fields of every type, a handful of each record).
    #[arg(long)]
    seed_demo: bool,
    /// Also generate this many people, spread over three years of date_created.
    #[arg(long, default_value_t = 0)]
    records: usize,
    /// Rate limits: real, off or scale=<factor> (windows divided by factor).
    #[arg(long, default_value = "real")]
    limits: Limits,
    /// Faults, e.g. seed=7,429=0.15,503=0.05,500=0.01,502=0.01,drop_before=0.02,drop_after=0.01,delay=0.05:200ms
    #[arg(long, default_value = "")]
    faults: FaultConfig,
    /// API key accepted in X-PW-AccessToken.
    #[arg(long, default_value = copper_crm_sim::DEFAULT_API_KEY)]
    api_key: String,
    /// Email accepted in X-PW-UserEmail.
    #[arg(long, default_value = copper_crm_sim::DEFAULT_EMAIL)]
    email: String,
    /// OAuth token accepted in Authorization: Bearer.
    #[arg(long, default_value = copper_crm_sim::DEFAULT_BEARER_TOKEN)]
    bearer_token: String,
    /// How many matches of a search are reachable by paging.
    #[arg(long, default_value_t = copper_crm_sim::DEFAULT_SEARCH_CAP)]
    search_cap: usize,
}

#[tokio::main]
async fn main() {
    let args = Args::parse();
    let started = std::time::Instant::now();
    let sim = Sim::builder()
        .port(args.port)
        .seed_demo(args.seed_demo)
        .records(args.records)
        .limits(args.limits)
        .faults(args.faults)
        .api_key(&args.api_key)
        .email(&args.email)
        .bearer_token(&args.bearer_token)
        .search_cap(args.search_cap)
        .start()
        .await;
    let sim = match sim {
        Ok(sim) => sim,
        Err(e) => {
            eprintln!("copper-crm-sim: {e}");
            std::process::exit(1);
        }
    };
    println!("{}", sim.base_url());
    eprintln!(
        "copper-crm-sim: ready in {:.0} ms; stats at http://{}/_sim/stats; Ctrl-C to stop",
        started.elapsed().as_secs_f64() * 1000.0,
        sim.addr()
    );
    if let Err(e) = tokio::signal::ctrl_c().await {
        eprintln!("copper-crm-sim: cannot wait for Ctrl-C: {e}");
    }
    sim.shutdown().await;
}
