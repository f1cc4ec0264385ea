//! The bulk engine: import or update any number of records at Copper's rate
//! limit ceiling, and account for every one.
//!
//! Every record handle has `bulk_create`, `bulk_create_stream`, `bulk_update`
//! and `bulk_update_stream`. They use Copper's bulk endpoints where they
//! exist (people, leads and companies create/update; opportunities and
//! activities create: 10 records per request, 3 requests per second) and
//! concurrent single requests elsewhere (projects, tasks, opportunity and
//! activity updates), so callers never need to care which.
//!
//! Each input record gets exactly one [`BulkOutcome`]:
//! - `Created`/`Updated` with the stored record;
//! - `Rejected` with Copper's per-field messages ([`ItemErrors`]);
//! - `Unknown` with the input, when a request failed ambiguously and the
//!   record could not be reconciled.
//!
//! How failures are handled:
//! - **429** (and a refused connection): Copper did not process the request;
//!   the same records go out again after a backoff, for as long as the job's
//!   [patience](BulkJob::rate_limit_patience) allows. A 429 streak never makes
//!   a record `Unknown`.
//! - **422 "Request size too large, limit is N"**: the batch is split and
//!   resent, and later batches use the smaller size.
//! - **5xx, timeouts, dropped connections** after sending: never resent
//!   blindly. People are looked up by email, companies by email domain
//!   (found: `Created`; not found: sent again); leads can opt into an
//!   idempotent [upsert by email](BulkJob::upsert_by_email); other creates are
//!   `Unknown`. Updates are idempotent and are sent again. A record refused
//!   because its email or domain is taken, after an ambiguous attempt, is
//!   reconciled the same way rather than reported `Rejected`.
//! - **401/403**: the job stops sending; the remaining records are
//!   `Rejected` with that error.
//!
//! ```no_run
//! use copper_crm::bulk::BulkOutcome;
//! use copper_crm::types::{EmailAddress, PersonCreate};
//!
//! # async fn run(client: copper_crm::Client) {
//! let rows = vec![("Ada Lovelace", "ada@example.com"), ("Alan Turing", "alan@example.com")];
//! let people = rows.into_iter().map(|(name, email)| {
//!     PersonCreate::builder()
//!         .name(name.to_string())
//!         .emails(Some(vec![EmailAddress { email: email.to_string(), category: Some("work".into()) }]))
//! });
//! let report = client.people().bulk_create(people).execute().await;
//! for outcome in &report.outcomes {
//!     match outcome {
//!         BulkOutcome::Created { index, record } => println!("row {index} is person {}", record.id),
//!         BulkOutcome::Rejected { index, errors, .. } => println!("row {index} refused: {errors}"),
//!         BulkOutcome::Unknown { index, reason, .. } => println!("row {index}: check by hand ({reason})"),
//!         BulkOutcome::Updated { .. } => unreachable!("creates are never updates without upsert"),
//!     }
//! }
//! # }
//! ```

mod endpoint;
mod engine;
mod handles;
mod intake;
mod job;
mod outcome;
mod progress;
mod reconcile;
mod report;

pub use job::{BulkJob, DEFAULT_BATCH_SIZE, DEFAULT_CONCURRENCY, DEFAULT_MAX_AMBIGUOUS_ROUNDS};
pub use outcome::{BulkCounts, BulkOutcome, FieldError, ItemErrors};
pub use progress::BulkProgress;
pub use report::{BulkReport, BulkStats};
