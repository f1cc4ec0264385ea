//! Deterministic fault decisions and the record of injected faults.

use std::time::Duration;

use serde::{Deserialize, Serialize};

use crate::config::{FaultConfig, FaultKind};
use crate::entity::Entity;

/// One fault the simulator injected.
///
/// ```
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
/// use copper_crm_sim::{FaultConfig, FaultKind, Limits, Sim};
/// let sim = Sim::builder().limits(Limits::Off).start().await?;
/// sim.set_faults(FaultConfig::seeded(1).with_service_unavailable(1.0));
/// let client = reqwest::Client::new();
/// let resp = client
///     .get(format!("{}/account", sim.base_url()))
///     .header("X-PW-AccessToken", "sim-api-key")
///     .header("X-PW-Application", "developer_api")
///     .header("X-PW-UserEmail", "sim@example.com")
///     .send()
///     .await?;
/// assert_eq!(resp.status(), 503);
/// let faults = sim.injected();
/// assert_eq!(faults[0].kind, FaultKind::ServiceUnavailable);
/// assert_eq!(faults[0].operation, "account_get");
/// # Ok(()) }
/// ```
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct InjectedFault {
    /// The position of the request in the fault sequence (0 for the first API request after
    /// the faults were set).
    pub sequence: u64,
    /// The operation id of the request (e.g. `people_create`).
    pub operation: String,
    /// What was injected.
    #[serde(with = "fault_kind_key")]
    pub kind: FaultKind,
    /// For [`FaultKind::DroppedAfterProcessing`]: the records the request wrote (created,
    /// updated or deleted) before its connection was dropped.
    pub written: Vec<(Entity, i64)>,
}

mod fault_kind_key {
    use super::FaultKind;
    use serde::{Deserialize, Deserializer, Serializer};

    pub(super) fn serialize<S: Serializer>(k: &FaultKind, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(k.key())
    }

    pub(super) fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<FaultKind, D::Error> {
        let key = String::deserialize(d)?;
        FaultKind::ALL
            .into_iter()
            .find(|k| k.key() == key)
            .ok_or_else(|| serde::de::Error::custom(format!("unknown fault kind {key}")))
    }
}

/// What to do with one request.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) struct Plan {
    pub delay: Option<Duration>,
    pub fault: Option<FaultKind>,
}

fn splitmix64(mut x: u64) -> u64 {
    x = x.wrapping_add(0x9E37_79B9_7F4A_7C15);
    x = (x ^ (x >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    x = (x ^ (x >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    x ^ (x >> 31)
}

fn unit(x: u64) -> f64 {
    (x >> 11) as f64 / (1u64 << 53) as f64
}

/// The plan for the `seq`-th request: a pure function of the seed and the position.
pub(crate) fn plan(cfg: &FaultConfig, seq: u64) -> Plan {
    if cfg.is_off() {
        return Plan {
            delay: None,
            fault: None,
        };
    }
    let base = splitmix64(cfg.seed ^ splitmix64(seq));
    let pick = unit(splitmix64(base ^ 1));
    let late = unit(splitmix64(base ^ 2));
    let mut acc = 0.0;
    let mut fault = None;
    for (kind, p) in cfg.exclusive() {
        acc += p;
        if pick < acc {
            fault = Some(kind);
            break;
        }
    }
    let delay = (late < cfg.delay).then_some(cfg.delay_duration);
    Plan { delay, fault }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shares_are_roughly_honoured_and_deterministic() {
        let cfg: FaultConfig = "seed=7,429=0.2,drop_after=0.1,delay=0.3:1ms"
            .parse()
            .unwrap();
        let plans: Vec<Plan> = (0..10_000).map(|i| plan(&cfg, i)).collect();
        let again: Vec<Plan> = (0..10_000).map(|i| plan(&cfg, i)).collect();
        assert_eq!(plans, again);
        let count = |k| plans.iter().filter(|p| p.fault == Some(k)).count();
        assert!((1800..2200).contains(&count(FaultKind::RateLimited)));
        assert!((850..1150).contains(&count(FaultKind::DroppedAfterProcessing)));
        assert_eq!(count(FaultKind::BadGateway), 0);
        let delayed = plans.iter().filter(|p| p.delay.is_some()).count();
        assert!((2700..3300).contains(&delayed));
        let other: FaultConfig = "seed=8,429=0.2,drop_after=0.1,delay=0.3:1ms"
            .parse()
            .unwrap();
        let differ = (0..1000)
            .filter(|i| plan(&other, *i) != plans[*i as usize])
            .count();
        assert!(differ > 100);
    }
}
