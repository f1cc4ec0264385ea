//! Searches as streams: every matching record exactly once, past Copper's
//! 100,000-record cap, in flat memory.
//!
//! Copper lists records through `POST /{entity}/search`, one page (at most
//! 200 records) per request, and lets a search reach only its first 100,000
//! matches. A [`SearchStream`] hides both limits:
//!
//! - **Order.** Unless the search body sets its own `sort_by` /
//!   `sort_direction`, the stream sorts by `date_created` ascending (Copper
//!   breaks ties by id). A record created while the stream runs gets the
//!   newest `date_created`, so it lands behind everything already read:
//!   concurrent inserts can never make the stream skip or repeat a record
//!   that existed when it started. Records that appear again at a page
//!   boundary (same second, or shifted behind the stream's position) are
//!   dropped.
//! - **Past the cap.** When a window's `X-PW-TOTAL` exceeds the cap
//!   ([`Client::search_cap`], default [`DEFAULT_SEARCH_CAP`]), the stream
//!   splits its `minimum_/maximum_created_date` window in two halves
//!   (within any window the body already sets) and repeats until every window
//!   is under the cap, then yields the windows in `date_created` order. A
//!   single second holding more than the cap cannot be split:
//!   [`Error::SearchCapExceeded`]. Should a window still reach the cap while
//!   it is read (it grew, or Copper sent no `X-PW-TOTAL`), or end short of
//!   its `X-PW-TOTAL` (Copper's cap is lower than configured), the stream
//!   resumes from the date it has reached.
//! - **Memory.** The stream holds one page at a time plus a few dozen
//!   windows, whatever the number of matches.
//!
//! Special cases:
//!
//! - With a custom `sort_by` (or a descending `sort_direction`) records come
//!   in that order *within each date window*; windows still go oldest first,
//!   and nothing is guaranteed if records are created, changed or deleted
//!   while the stream runs (the sort key of a record may change, moving it
//!   across page boundaries).
//! - Activities cannot be sorted and have no created-date filter: Copper
//!   answers them newest `activity_date` first, so their stream splits by
//!   `minimum_/maximum_activity_date` and runs newest first. An activity
//!   logged while the stream runs with an older `activity_date` than the
//!   stream's position is not read.
//! - Users can only be paged (no filter, no date): a user search over the
//!   cap ends with [`Error::SearchNotSplittable`].
//! - Deleting records that the stream has not reached yet can make it skip
//!   records (Copper's offsets shift); this is inherent to offset paging.
//! - Copper's date filters are taken as inclusive (as documented:
//!   "minimum"/"maximum").
//!
//! ```no_run
//! use futures::TryStreamExt;
//! use copper_crm::{filters, types::PersonSearch};
//!
//! # async fn run(client: copper_crm::Client) -> Result<(), copper_crm::Error> {
//! let vip = PersonSearch::builder().tags(filters::tags_any(["vip"]));
//! let mut people = client.people().search(vip);
//! while let Some(person) = people.try_next().await? {
//!     println!("{}", person.name);
//! }
//! # Ok(()) }
//! ```

pub mod filters;
mod query;
mod walker;

use std::fmt;
use std::num::NonZeroU64;
use std::pin::Pin;
use std::task::{Context, Poll};

use futures::stream::{self, BoxStream, Stream, StreamExt, TryStreamExt};

pub use self::query::SearchQuery;
use self::walker::Walker;
use crate::{Client, Error};

/// The page size a stream asks for unless told otherwise: Copper's maximum.
///
/// ```
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
/// use copper_crm::search::DEFAULT_PAGE_SIZE;
/// use copper_crm::types::PersonSearch;
/// use copper_crm_sim::{Limits, Sim};
///
/// assert_eq!(DEFAULT_PAGE_SIZE, 200);
/// let sim = Sim::builder().records(250).limits(Limits::Off).start().await?;
/// let client = copper_crm::Client::builder()
///     .oauth_token(copper_crm_sim::DEFAULT_BEARER_TOKEN)
///     .base_url(sim.base_url())
///     .build()?;
/// let first = client.people().search(PersonSearch::default()).page(1).await?;
/// assert_eq!(first.records.len() as u64, DEFAULT_PAGE_SIZE);
/// # sim.shutdown().await;
/// # Ok(()) }
/// ```
pub const DEFAULT_PAGE_SIZE: u64 = 200;

/// How many matches of one search Copper lets a client page through: the
/// default of [`ClientBuilder::search_cap`](crate::ClientBuilder::search_cap).
///
/// ```
/// use copper_crm::search::DEFAULT_SEARCH_CAP;
///
/// assert_eq!(DEFAULT_SEARCH_CAP, 100_000);
/// let client = copper_crm::Client::builder().oauth_token("token").build().unwrap();
/// assert_eq!(client.search_cap(), DEFAULT_SEARCH_CAP);
/// ```
pub const DEFAULT_SEARCH_CAP: u64 = 100_000;

/// One page of a search.
///
/// ```no_run
/// use futures::TryStreamExt;
/// # async fn run(client: copper_crm::Client) -> Result<(), copper_crm::Error> {
/// let mut pages = client.companies().search(copper_crm::types::CompanySearch::default()).pages();
/// while let Some(page) = pages.try_next().await? {
///     println!("page {}: {} companies of about {:?}", page.page_number, page.records.len(), page.total_estimate);
/// }
/// # Ok(()) }
/// ```
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct Page<R> {
    /// The page's records (never empty in a stream of pages).
    pub records: Vec<R>,
    /// The page's number: its position in the stream, from 1 (for
    /// [`SearchStream::page`], the page asked for).
    pub page_number: u64,
    /// Copper's `X-PW-TOTAL` for the whole search (an upper bound), when it
    /// sent one.
    pub total_estimate: Option<u64>,
}

/// A search as a [`Stream`] of records: every match exactly once, page by
/// page, past Copper's 100,000-record cap (see the [module](self) for the
/// guarantees).
///
/// Build one with a resource's `search` (`client.people().search(filter)`)
/// or [`Client::search`]; configure it with [`page_size`](Self::page_size)
/// and [`cap`](Self::cap) before polling. Nothing is sent until it is
/// polled. The body's own `page_number` and `page_size` are ignored: the
/// stream sets them.
///
/// ```no_run
/// use futures::TryStreamExt;
/// use copper_crm::types::LeadSearch;
///
/// # async fn run(client: copper_crm::Client) -> Result<(), copper_crm::Error> {
/// let search = client.leads().search(LeadSearch::builder().name("Ada".to_string()));
/// println!("about {} leads", search.total().await?);
/// let leads: Vec<_> = search.page_size(100).try_collect().await?;
/// # let _ = leads; Ok(()) }
/// ```
pub struct SearchStream<Q: SearchQuery> {
    client: Client,
    query: Result<Q, String>,
    page_size: u64,
    cap: u64,
    records: Option<BoxStream<'static, Result<Q::Record, Error>>>,
}

impl<Q: SearchQuery> fmt::Debug for SearchStream<Q> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SearchStream")
            .field("operation", &Q::OPERATION)
            .field("query", &self.query)
            .field("page_size", &self.page_size)
            .field("cap", &self.cap)
            .field("started", &self.records.is_some())
            .finish()
    }
}

impl Client {
    /// Stream the records matching any search body (see [`SearchStream`]).
    /// The resource handles' `search` methods are shortcuts for this that
    /// also take the bodies' builders.
    ///
    /// ```no_run
    /// use futures::TryStreamExt;
    /// use copper_crm::types::{TaskSearch, Task};
    ///
    /// # async fn run(client: copper_crm::Client) -> Result<(), copper_crm::Error> {
    /// let tasks: Vec<Task> = client.search(TaskSearch::default()).try_collect().await?;
    /// # let _ = tasks; Ok(()) }
    /// ```
    pub fn search<Q: SearchQuery>(&self, query: Q) -> SearchStream<Q> {
        SearchStream::new(self, Ok(query))
    }
}

impl<Q: SearchQuery> SearchStream<Q> {
    /// A stream over `query`, or one that fails with the reason the body
    /// could not be built.
    pub(crate) fn new(client: &Client, query: Result<Q, String>) -> Self {
        SearchStream {
            client: client.clone(),
            query,
            page_size: DEFAULT_PAGE_SIZE,
            cap: client.search_cap(),
            records: None,
        }
    }
}

impl<Q: SearchQuery> SearchStream<Q> {
    /// Records per request, 1 to 200 (default [`DEFAULT_PAGE_SIZE`]). Any
    /// other value makes the stream fail with [`Error::InvalidInput`].
    ///
    /// ```no_run
    /// # async fn run(client: copper_crm::Client) {
    /// let people = client.people().search(copper_crm::types::PersonSearch::default()).page_size(50);
    /// # let _ = people; }
    /// ```
    pub fn page_size(mut self, size: u64) -> Self {
        self.page_size = size;
        self.records = None;
        self
    }

    /// How many matches one search can reach (default: the client's
    /// [`search_cap`](Client::search_cap)). Windows are split until each
    /// holds at most this many records. Must be at least 1.
    ///
    /// ```no_run
    /// # async fn run(client: copper_crm::Client) {
    /// let people = client.people().search(copper_crm::types::PersonSearch::default()).cap(50_000);
    /// # let _ = people; }
    /// ```
    pub fn cap(mut self, cap: u64) -> Self {
        self.cap = cap;
        self.records = None;
        self
    }

    /// The query and page size, checked.
    fn checked(&self) -> Result<(Q, NonZeroU64), Error> {
        let query = self.query.clone().map_err(Error::InvalidInput)?;
        let size = NonZeroU64::new(self.page_size)
            .filter(|s| s.get() <= 200)
            .ok_or_else(|| {
                Error::InvalidInput(format!(
                    "{}: page size {} is not between 1 and 200",
                    Q::OPERATION,
                    self.page_size
                ))
            })?;
        if self.cap == 0 {
            return Err(Error::InvalidInput(format!(
                "{}: the search cap must be at least 1",
                Q::OPERATION
            )));
        }
        Ok((query, size))
    }

    /// The stream of pages instead of records. Pages are never empty; their
    /// `page_number` counts from 1 across the whole stream.
    ///
    /// ```no_run
    /// use futures::TryStreamExt;
    /// # async fn run(client: copper_crm::Client) -> Result<(), copper_crm::Error> {
    /// let mut pages = client.tasks().search(copper_crm::types::TaskSearch::default()).pages();
    /// while let Some(page) = pages.try_next().await? {
    ///     println!("{} tasks", page.records.len());
    /// }
    /// # Ok(()) }
    /// ```
    pub fn pages(self) -> BoxStream<'static, Result<Page<Q::Record>, Error>> {
        match self.checked() {
            Err(e) => stream::once(async move { Err(e) }).boxed(),
            Ok((query, size)) => {
                let walker = Walker::new(self.client, query, size, self.cap);
                stream::try_unfold(walker, |mut walker| async move {
                    Ok(walker.next_page().await?.map(|page| (page, walker)))
                })
                .boxed()
            }
        }
    }

    /// Copper's `X-PW-TOTAL` for the search: an estimate (an upper bound) of
    /// the number of matches, counting past the cap. Costs one request of
    /// one record.
    ///
    /// ```no_run
    /// # async fn run(client: copper_crm::Client) -> Result<(), copper_crm::Error> {
    /// let total = client.people().search(copper_crm::types::PersonSearch::default()).total().await?;
    /// println!("about {total} people");
    /// # Ok(()) }
    /// ```
    pub async fn total(&self) -> Result<u64, Error> {
        let (query, _) = self.checked()?;
        let walker = Walker::new(self.client.clone(), query, NonZeroU64::MIN, self.cap);
        let request = walker.first_request(NonZeroU64::MIN, NonZeroU64::MIN);
        let (_, total) = request.send(self.client.clone()).await?;
        total.ok_or_else(|| Error::Decode {
            operation: Q::OPERATION,
            status: Some(200),
            message: "the answer has no numeric X-PW-TOTAL header".into(),
            snippet: String::new(),
        })
    }

    /// One page of the search, as Copper pages it (in the stream's order,
    /// with the stream's page size, no splitting). Page `n` must start
    /// within the cap.
    ///
    /// ```no_run
    /// # async fn run(client: copper_crm::Client) -> Result<(), copper_crm::Error> {
    /// let second = client.people().search(copper_crm::types::PersonSearch::default()).page_size(50).page(2).await?;
    /// println!("{} people on page 2", second.records.len());
    /// # Ok(()) }
    /// ```
    pub async fn page(&self, number: u64) -> Result<Page<Q::Record>, Error> {
        let (query, size) = self.checked()?;
        let page = NonZeroU64::new(number).ok_or_else(|| {
            Error::InvalidInput(format!("{}: pages are numbered from 1", Q::OPERATION))
        })?;
        let first_record = (number - 1).saturating_mul(size.get());
        if first_record >= self.cap {
            return Err(Error::InvalidInput(format!(
                "{}: page {number} starts at match {}, past the {} a search can reach; stream the search to read past the cap",
                Q::OPERATION,
                first_record + 1,
                self.cap
            )));
        }
        let walker = Walker::new(self.client.clone(), query, size, self.cap);
        let (records, total) = walker
            .first_request(page, size)
            .send(self.client.clone())
            .await?;
        Ok(Page {
            records,
            page_number: number,
            total_estimate: total,
        })
    }

    /// Read the whole stream into a `Vec` (for searches known to be small;
    /// prefer streaming for large ones).
    ///
    /// ```no_run
    /// # async fn run(client: copper_crm::Client) -> Result<(), copper_crm::Error> {
    /// let users = client.users().search(copper_crm::types::UserSearch::default()).collect_all().await?;
    /// println!("{} users", users.len());
    /// # Ok(()) }
    /// ```
    pub async fn collect_all(self) -> Result<Vec<Q::Record>, Error> {
        self.try_collect().await
    }
}

impl<Q: SearchQuery> Stream for SearchStream<Q> {
    type Item = Result<Q::Record, Error>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = self.get_mut();
        let records = this.records.get_or_insert_with(|| {
            let pages = SearchStream {
                client: this.client.clone(),
                query: this.query.clone(),
                page_size: this.page_size,
                cap: this.cap,
                records: None,
            }
            .pages();
            pages
                .map_ok(|page| stream::iter(page.records.into_iter().map(Ok)))
                .try_flatten()
                .boxed()
        });
        records.poll_next_unpin(cx)
    }
}
