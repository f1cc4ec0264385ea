//! Rate-limit and fault-injection settings, parseable from the command line.

use std::fmt;
use std::str::FromStr;
use std::time::Duration;

/// The error of parsing [`Limits`] or [`FaultConfig`] from a string.
///
/// ```
/// use copper_crm_sim::Limits;
/// let err = "scale=-1".parse::<Limits>().unwrap_err();
/// assert!(err.to_string().contains("scale"));
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ConfigError(pub String);

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for ConfigError {}

/// Which rate limits the simulator enforces.
///
/// Copper allows 180 requests per rolling 60 seconds per credential, plus 3 requests per rolling
/// second on the bulk endpoints; both answer 429 when exceeded. `Scaled(f)` keeps the counts and
/// divides every window by `f`, so `Scaled(60.0)` allows 180 requests per second and 3 bulk
/// requests per 1/60 s.
///
/// ```
/// use copper_crm_sim::Limits;
/// assert_eq!("real".parse::<Limits>().unwrap(), Limits::Real);
/// assert_eq!("off".parse::<Limits>().unwrap(), Limits::Off);
/// assert_eq!("scale=10".parse::<Limits>().unwrap(), Limits::Scaled(10.0));
/// assert_eq!(Limits::Scaled(10.0).to_string(), "scale=10");
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Default)]
pub enum Limits {
    /// No rate limits.
    Off,
    /// Copper's documented limits.
    #[default]
    Real,
    /// Copper's limits with every window divided by the factor.
    Scaled(f64),
}

/// Requests allowed per general window.
pub(crate) const GENERAL_LIMIT: usize = 180;
/// Requests allowed per bulk window.
pub(crate) const BULK_LIMIT: usize = 3;

impl Limits {
    /// The general and bulk windows, or `None` when limits are off.
    ///
    /// ```
    /// use copper_crm_sim::Limits;
    /// use std::time::Duration;
    /// assert_eq!(
    ///     Limits::Scaled(10.0).windows(),
    ///     Some((Duration::from_secs(6), Duration::from_millis(100)))
    /// );
    /// assert_eq!(Limits::Off.windows(), None);
    /// ```
    pub fn windows(&self) -> Option<(Duration, Duration)> {
        let factor = match *self {
            Limits::Off => return None,
            Limits::Real => 1.0,
            Limits::Scaled(f) => f,
        };
        Some((
            Duration::from_secs_f64(60.0 / factor),
            Duration::from_secs_f64(1.0 / factor),
        ))
    }

    pub(crate) fn validate(&self) -> Result<(), ConfigError> {
        match *self {
            Limits::Scaled(f) if !(f.is_finite() && f > 0.0) => Err(ConfigError(format!(
                "limits scale must be a positive number, got {f}"
            ))),
            _ => Ok(()),
        }
    }
}

impl fmt::Display for Limits {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Limits::Off => f.write_str("off"),
            Limits::Real => f.write_str("real"),
            Limits::Scaled(x) => write!(f, "scale={x}"),
        }
    }
}

impl FromStr for Limits {
    type Err = ConfigError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let limits = match s.trim() {
            "off" => Limits::Off,
            "real" => Limits::Real,
            other => {
                let factor = other.strip_prefix("scale=").ok_or_else(|| {
                    ConfigError(format!(
                        "limits must be real, off or scale=<factor>, got {other:?}"
                    ))
                })?;
                Limits::Scaled(factor.parse().map_err(|_| {
                    ConfigError(format!("limits scale must be a number, got {factor:?}"))
                })?)
            }
        };
        limits.validate()?;
        Ok(limits)
    }
}

/// A kind of injected fault.
///
/// ```
/// use copper_crm_sim::FaultKind;
/// assert_eq!(FaultKind::DroppedAfterProcessing.key(), "drop_after");
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum FaultKind {
    /// Answered 429 without processing.
    RateLimited,
    /// Answered 500 without processing.
    InternalServerError,
    /// Answered 502 without processing.
    BadGateway,
    /// Answered 503 without processing.
    ServiceUnavailable,
    /// The connection was closed before processing: the request had no effect.
    DroppedBeforeProcessing,
    /// The request was processed (writes happened) and the connection was closed before any
    /// response byte was sent.
    DroppedAfterProcessing,
    /// The request was delayed, then handled normally (possibly with another fault).
    Delayed,
}

impl FaultKind {
    /// Every kind, in a stable order.
    ///
    /// ```
    /// use copper_crm_sim::FaultKind;
    /// let keys: Vec<&str> = FaultKind::ALL.iter().map(|k| k.key()).collect();
    /// assert_eq!(keys, ["429", "500", "502", "503", "drop_before", "drop_after", "delay"]);
    /// ```
    pub const ALL: [FaultKind; 7] = [
        FaultKind::RateLimited,
        FaultKind::InternalServerError,
        FaultKind::BadGateway,
        FaultKind::ServiceUnavailable,
        FaultKind::DroppedBeforeProcessing,
        FaultKind::DroppedAfterProcessing,
        FaultKind::Delayed,
    ];

    /// The key of this kind in a fault spec and in stats (`429`, `500`, `502`, `503`,
    /// `drop_before`, `drop_after`, `delay`).
    ///
    /// ```
    /// use copper_crm_sim::{FaultConfig, FaultKind};
    /// assert_eq!(FaultKind::BadGateway.key(), "502");
    /// let spec = format!("seed=1,{}=0.25", FaultKind::BadGateway.key());
    /// assert_eq!(spec.parse::<FaultConfig>().unwrap().bad_gateway, 0.25);
    /// ```
    pub fn key(self) -> &'static str {
        match self {
            FaultKind::RateLimited => "429",
            FaultKind::InternalServerError => "500",
            FaultKind::BadGateway => "502",
            FaultKind::ServiceUnavailable => "503",
            FaultKind::DroppedBeforeProcessing => "drop_before",
            FaultKind::DroppedAfterProcessing => "drop_after",
            FaultKind::Delayed => "delay",
        }
    }

    /// The HTTP status of a status fault.
    pub(crate) fn status(self) -> Option<u16> {
        match self {
            FaultKind::RateLimited => Some(429),
            FaultKind::InternalServerError => Some(500),
            FaultKind::BadGateway => Some(502),
            FaultKind::ServiceUnavailable => Some(503),
            _ => None,
        }
    }
}

impl fmt::Display for FaultKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.key())
    }
}

/// Which share of API requests get which fault, deterministically from `seed`: the n-th API
/// request after the faults were set always gets the same fault for the same seed.
///
/// Each request gets at most one of 429, 500, 502, 503, drop-before and drop-after (their
/// probabilities must add up to at most 1); independently, `delay` of them are delayed by
/// `delay_duration` first. Faults apply only to `/developer_api/v1/*`.
///
/// ```
/// use copper_crm_sim::FaultConfig;
/// use std::time::Duration;
/// let f: FaultConfig = "seed=7,429=0.15,503=0.05,500=0.01,502=0.01,drop_before=0.02,drop_after=0.01,delay=0.05:200ms"
///     .parse()
///     .unwrap();
/// assert_eq!(f.seed, 7);
/// assert_eq!(f.rate_limited, 0.15);
/// assert_eq!(f.delay_duration, Duration::from_millis(200));
/// assert_eq!(f.to_string().parse::<FaultConfig>().unwrap(), f);
///
/// let g = FaultConfig::seeded(3).with_drop_after(0.5);
/// assert_eq!(g.drop_after, 0.5);
/// assert!(FaultConfig::default().is_off());
/// ```
#[derive(Clone, Debug, PartialEq, Default)]
#[non_exhaustive]
pub struct FaultConfig {
    /// The seed of the fault sequence.
    pub seed: u64,
    /// Share answered 429.
    pub rate_limited: f64,
    /// Share answered 500.
    pub internal_server_error: f64,
    /// Share answered 502.
    pub bad_gateway: f64,
    /// Share answered 503.
    pub service_unavailable: f64,
    /// Share whose connection is closed before processing.
    pub drop_before: f64,
    /// Share processed and then closed without an answer.
    pub drop_after: f64,
    /// Share delayed by `delay_duration`.
    pub delay: f64,
    /// How long delayed requests wait.
    pub delay_duration: Duration,
}

impl FaultConfig {
    /// No faults, with a seed.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// use copper_crm_sim::{FaultConfig, Limits, Sim};
    /// let config = FaultConfig::seeded(7).with_service_unavailable(0.5);
    /// assert_eq!(config.seed, 7);
    /// let sim = Sim::builder().limits(Limits::Off).start().await?;
    /// let client = reqwest::Client::new();
    /// let mut runs = Vec::new();
    /// for _ in 0..2 {
    ///     sim.set_faults(config.clone()); // restarts the fault sequence
    ///     let mut statuses = Vec::new();
    ///     for _ in 0..8 {
    ///         let resp = client
    ///             .get(format!("{}/account", sim.base_url()))
    ///             .header("X-PW-AccessToken", "sim-api-key")
    ///             .header("X-PW-Application", "developer_api")
    ///             .header("X-PW-UserEmail", "sim@example.com")
    ///             .send()
    ///             .await?;
    ///         statuses.push(resp.status().as_u16());
    ///     }
    ///     runs.push(statuses);
    /// }
    /// // The same seed injects the same faults, request for request.
    /// assert_eq!(runs[0], runs[1]);
    /// assert!(runs[0].contains(&503) && runs[0].contains(&200));
    /// # Ok(()) }
    /// ```
    pub fn seeded(seed: u64) -> FaultConfig {
        FaultConfig {
            seed,
            ..FaultConfig::default()
        }
    }

    /// Set the share answered 429.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// use copper_crm_sim::{FaultConfig, Limits, Sim};
    /// let sim = Sim::builder()
    ///     .limits(Limits::Off)
    ///     .faults(FaultConfig::seeded(1).with_rate_limited(1.0))
    ///     .start()
    ///     .await?;
    /// let resp = reqwest::Client::new()
    ///     .get(format!("{}/account", sim.base_url()))
    ///     .header("X-PW-AccessToken", "sim-api-key")
    ///     .header("X-PW-Application", "developer_api")
    ///     .header("X-PW-UserEmail", "sim@example.com")
    ///     .send()
    ///     .await?;
    /// assert_eq!(resp.status(), 429);
    /// // Counted apart from the 429s of the rate limits.
    /// let stats = sim.stats();
    /// assert_eq!((stats.injected_429, stats.rate_limited), (1, 0));
    /// # Ok(()) }
    /// ```
    pub fn with_rate_limited(mut self, p: f64) -> Self {
        self.rate_limited = p;
        self
    }

    /// Set the share answered 500.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// use copper_crm_sim::{FaultConfig, Limits, Sim};
    /// let sim = Sim::builder()
    ///     .limits(Limits::Off)
    ///     .faults(FaultConfig::seeded(1).with_internal_server_error(1.0))
    ///     .start()
    ///     .await?;
    /// let resp = reqwest::Client::new()
    ///     .get(format!("{}/account", sim.base_url()))
    ///     .header("X-PW-AccessToken", "sim-api-key")
    ///     .header("X-PW-Application", "developer_api")
    ///     .header("X-PW-UserEmail", "sim@example.com")
    ///     .send()
    ///     .await?;
    /// assert_eq!(resp.status(), 500);
    /// let body: serde_json::Value = resp.json().await?;
    /// assert_eq!(body["message"], "Internal Server Error (injected fault)");
    /// # Ok(()) }
    /// ```
    pub fn with_internal_server_error(mut self, p: f64) -> Self {
        self.internal_server_error = p;
        self
    }

    /// Set the share answered 502.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// use copper_crm_sim::{FaultConfig, Limits, Sim};
    /// let sim = Sim::builder()
    ///     .limits(Limits::Off)
    ///     .faults(FaultConfig::seeded(1).with_bad_gateway(1.0))
    ///     .start()
    ///     .await?;
    /// let resp = reqwest::Client::new()
    ///     .get(format!("{}/account", sim.base_url()))
    ///     .header("X-PW-AccessToken", "sim-api-key")
    ///     .header("X-PW-Application", "developer_api")
    ///     .header("X-PW-UserEmail", "sim@example.com")
    ///     .send()
    ///     .await?;
    /// assert_eq!(resp.status(), 502);
    /// assert_eq!(sim.injected()[0].kind, copper_crm_sim::FaultKind::BadGateway);
    /// # Ok(()) }
    /// ```
    pub fn with_bad_gateway(mut self, p: f64) -> Self {
        self.bad_gateway = p;
        self
    }

    /// Set the share answered 503.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// use copper_crm_sim::{FaultConfig, Limits, Sim};
    /// let sim = Sim::builder()
    ///     .limits(Limits::Off)
    ///     .faults(FaultConfig::seeded(1).with_service_unavailable(1.0))
    ///     .start()
    ///     .await?;
    /// let resp = reqwest::Client::new()
    ///     .get(format!("{}/account", sim.base_url()))
    ///     .header("X-PW-AccessToken", "sim-api-key")
    ///     .header("X-PW-Application", "developer_api")
    ///     .header("X-PW-UserEmail", "sim@example.com")
    ///     .send()
    ///     .await?;
    /// assert_eq!(resp.status(), 503);
    /// assert_eq!(sim.stats().faults["503"], 1);
    /// # Ok(()) }
    /// ```
    pub fn with_service_unavailable(mut self, p: f64) -> Self {
        self.service_unavailable = p;
        self
    }

    /// Set the share dropped before processing.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// use copper_crm_sim::{Entity, FaultConfig, Limits, Sim};
    /// let sim = Sim::builder()
    ///     .limits(Limits::Off)
    ///     .faults(FaultConfig::seeded(1).with_drop_before(1.0))
    ///     .start()
    ///     .await?;
    /// let sent = reqwest::Client::new()
    ///     .post(format!("{}/people", sim.base_url()))
    ///     .header("X-PW-AccessToken", "sim-api-key")
    ///     .header("X-PW-Application", "developer_api")
    ///     .header("X-PW-UserEmail", "sim@example.com")
    ///     .json(&serde_json::json!({"name": "Ada Lovelace"}))
    ///     .send()
    ///     .await;
    /// assert!(sent.is_err()); // the connection closed without an answer
    /// // The request had no effect.
    /// assert_eq!(sim.record_count(Entity::Person), 0);
    /// # Ok(()) }
    /// ```
    pub fn with_drop_before(mut self, p: f64) -> Self {
        self.drop_before = p;
        self
    }

    /// Set the share processed and then dropped.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// use copper_crm_sim::{Entity, FaultConfig, Limits, Sim};
    /// let sim = Sim::builder()
    ///     .limits(Limits::Off)
    ///     .faults(FaultConfig::seeded(1).with_drop_after(1.0))
    ///     .start()
    ///     .await?;
    /// let sent = reqwest::Client::new()
    ///     .post(format!("{}/people", sim.base_url()))
    ///     .header("X-PW-AccessToken", "sim-api-key")
    ///     .header("X-PW-Application", "developer_api")
    ///     .header("X-PW-UserEmail", "sim@example.com")
    ///     .json(&serde_json::json!({"name": "Ada Lovelace"}))
    ///     .send()
    ///     .await;
    /// assert!(sent.is_err()); // the connection closed without an answer
    /// // The person was created all the same.
    /// assert_eq!(sim.record_count(Entity::Person), 1);
    /// # Ok(()) }
    /// ```
    pub fn with_drop_after(mut self, p: f64) -> Self {
        self.drop_after = p;
        self
    }

    /// Delay a share of requests by `by`.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// use copper_crm_sim::{FaultConfig, FaultKind, Limits, Sim};
    /// use std::time::{Duration, Instant};
    /// let sim = Sim::builder()
    ///     .limits(Limits::Off)
    ///     .faults(FaultConfig::seeded(1).with_delay(1.0, Duration::from_millis(50)))
    ///     .start()
    ///     .await?;
    /// let started = Instant::now();
    /// let resp = reqwest::Client::new()
    ///     .get(format!("{}/account", sim.base_url()))
    ///     .header("X-PW-AccessToken", "sim-api-key")
    ///     .header("X-PW-Application", "developer_api")
    ///     .header("X-PW-UserEmail", "sim@example.com")
    ///     .send()
    ///     .await?;
    /// assert!(started.elapsed() >= Duration::from_millis(50));
    /// assert_eq!(resp.status(), 200); // delayed, then handled normally
    /// assert_eq!(sim.injected()[0].kind, FaultKind::Delayed);
    /// # Ok(()) }
    /// ```
    pub fn with_delay(mut self, p: f64, by: Duration) -> Self {
        self.delay = p;
        self.delay_duration = by;
        self
    }

    /// Whether no fault can happen.
    ///
    /// ```
    /// use copper_crm_sim::FaultConfig;
    /// use std::time::Duration;
    /// assert!(FaultConfig::default().is_off());
    /// assert!(FaultConfig::seeded(9).is_off());
    /// assert!(!FaultConfig::seeded(9).with_drop_before(0.01).is_off());
    /// assert!(!FaultConfig::seeded(9).with_delay(0.01, Duration::from_millis(5)).is_off());
    /// ```
    pub fn is_off(&self) -> bool {
        self.exclusive().iter().all(|(_, p)| *p == 0.0) && self.delay == 0.0
    }

    pub(crate) fn exclusive(&self) -> [(FaultKind, f64); 6] {
        [
            (FaultKind::RateLimited, self.rate_limited),
            (FaultKind::InternalServerError, self.internal_server_error),
            (FaultKind::BadGateway, self.bad_gateway),
            (FaultKind::ServiceUnavailable, self.service_unavailable),
            (FaultKind::DroppedBeforeProcessing, self.drop_before),
            (FaultKind::DroppedAfterProcessing, self.drop_after),
        ]
    }

    pub(crate) fn validate(&self) -> Result<(), ConfigError> {
        for (kind, p) in self
            .exclusive()
            .into_iter()
            .chain([(FaultKind::Delayed, self.delay)])
        {
            if !(0.0..=1.0).contains(&p) {
                return Err(ConfigError(format!(
                    "fault share {}={p} must be between 0 and 1",
                    kind.key()
                )));
            }
        }
        let sum: f64 = self.exclusive().iter().map(|(_, p)| p).sum();
        if sum > 1.0 + 1e-9 {
            return Err(ConfigError(format!(
                "fault shares 429+500+502+503+drop_before+drop_after add up to {sum}, more than 1"
            )));
        }
        Ok(())
    }
}

fn format_duration(d: Duration) -> String {
    if d.subsec_nanos().is_multiple_of(1_000_000) {
        format!("{}ms", d.as_millis())
    } else {
        format!("{}us", d.as_micros())
    }
}

fn parse_duration(s: &str) -> Result<Duration, ConfigError> {
    let err = || ConfigError(format!("bad duration {s:?}: use e.g. 200ms, 1.5s or 500us"));
    let (number, unit) = if let Some(n) = s.strip_suffix("ms") {
        (n, 1e-3)
    } else if let Some(n) = s.strip_suffix("us") {
        (n, 1e-6)
    } else if let Some(n) = s.strip_suffix('s') {
        (n, 1.0)
    } else {
        return Err(err());
    };
    let value: f64 = number.trim().parse().map_err(|_| err())?;
    if !(value.is_finite() && value >= 0.0) {
        return Err(err());
    }
    Ok(Duration::from_secs_f64(value * unit))
}

impl fmt::Display for FaultConfig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "seed={}", self.seed)?;
        for (kind, p) in self.exclusive() {
            if p > 0.0 {
                write!(f, ",{}={p}", kind.key())?;
            }
        }
        if self.delay > 0.0 {
            write!(
                f,
                ",delay={}:{}",
                self.delay,
                format_duration(self.delay_duration)
            )?;
        }
        Ok(())
    }
}

impl FromStr for FaultConfig {
    type Err = ConfigError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let mut cfg = FaultConfig::default();
        for item in s.split(',').map(str::trim).filter(|x| !x.is_empty()) {
            if item == "none" || item == "off" {
                continue;
            }
            let (key, value) = item
                .split_once('=')
                .ok_or_else(|| ConfigError(format!("fault item {item:?} is not key=value")))?;
            let share = |v: &str| {
                v.trim()
                    .parse::<f64>()
                    .map_err(|_| ConfigError(format!("fault share {key}={v:?} is not a number")))
            };
            match key.trim() {
                "seed" => {
                    cfg.seed = value
                        .trim()
                        .parse()
                        .map_err(|_| ConfigError(format!("seed {value:?} is not an integer")))?
                }
                "429" => cfg.rate_limited = share(value)?,
                "500" => cfg.internal_server_error = share(value)?,
                "502" => cfg.bad_gateway = share(value)?,
                "503" => cfg.service_unavailable = share(value)?,
                "drop_before" => cfg.drop_before = share(value)?,
                "drop_after" => cfg.drop_after = share(value)?,
                "delay" => {
                    let (p, d) = value.split_once(':').ok_or_else(|| {
                        ConfigError(format!(
                            "delay {value:?} must be <share>:<duration>, e.g. 0.05:200ms"
                        ))
                    })?;
                    cfg.delay = share(p)?;
                    cfg.delay_duration = parse_duration(d.trim())?;
                }
                other => {
                    return Err(ConfigError(format!(
                        "unknown fault {other:?}: use seed, 429, 500, 502, 503, drop_before, drop_after or delay"
                    )));
                }
            }
        }
        cfg.validate()?;
        Ok(cfg)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rejects_bad_specs() {
        assert!("429=2".parse::<FaultConfig>().is_err());
        assert!("429=0.6,500=0.6".parse::<FaultConfig>().is_err());
        assert!("delay=0.1".parse::<FaultConfig>().is_err());
        assert!("teapot=0.1".parse::<FaultConfig>().is_err());
        assert!("scale=0".parse::<Limits>().is_err());
        assert!("fast".parse::<Limits>().is_err());
    }
}
