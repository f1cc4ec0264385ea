//! [`SearchQuery`]: what the stream needs to know about each search body.

use std::num::NonZeroU64;

use copper_crm_raw::types::{self, SortDirection};
use copper_crm_raw::{
    ClientActivitiesExt, ClientCompaniesExt, ClientLeadsExt, ClientOpportunitiesExt,
    ClientPeopleExt, ClientProjectsExt, ClientTasksExt, ClientUsersExt,
};
use futures::future::BoxFuture;
use reqwest::header::HeaderMap;

use crate::{Client, Error};

/// The answer to one search request: the page's records and Copper's
/// `X-PW-TOTAL` (when it sent a readable one).
pub(crate) type RawPage<R> = (Vec<R>, Option<u64>);

mod sealed {
    /// Only this crate implements [`SearchQuery`](super::SearchQuery).
    pub trait Sealed {}

    /// The date a search can be split by.
    #[derive(Debug, Clone, Copy, PartialEq, Eq)]
    pub enum SplitField {
        /// `minimum_created_date` / `maximum_created_date`, sortable by
        /// `date_created`.
        Created,
        /// `minimum_activity_date` / `maximum_activity_date`; activities
        /// cannot be sorted and come newest first.
        ActivityDate,
    }
}

pub(crate) use sealed::SplitField;

/// A search body the [`SearchStream`](super::SearchStream) can page through:
/// every `types::*Search` of the API ([`types::PersonSearch`],
/// [`types::LeadSearch`], [`types::CompanySearch`],
/// [`types::OpportunitySearch`], [`types::ProjectSearch`],
/// [`types::TaskSearch`], [`types::ActivitySearch`], [`types::UserSearch`]).
///
/// The trait is sealed: its hidden methods tell the stream how to set the
/// page, the sort and the date window of the body, and which operation
/// sends it.
///
/// ```
/// use copper_crm::search::SearchQuery;
/// use copper_crm::types::{Person, PersonSearch};
///
/// fn operation<Q: SearchQuery>() -> &'static str { Q::OPERATION }
/// assert_eq!(operation::<PersonSearch>(), "people_search");
/// let _: Option<<PersonSearch as SearchQuery>::Record> = None::<Person>;
/// ```
pub trait SearchQuery:
    Clone + Send + Sync + Unpin + std::fmt::Debug + 'static + sealed::Sealed
{
    /// The record type the search answers.
    ///
    /// ```
    /// use copper_crm::search::SearchQuery;
    /// use copper_crm::types::{Lead, LeadSearch};
    ///
    /// fn first<Q: SearchQuery>(records: Vec<Q::Record>) -> Option<Q::Record> {
    ///     records.into_iter().next()
    /// }
    /// let lead: Option<Lead> = first::<LeadSearch>(Vec::new());
    /// assert!(lead.is_none());
    /// ```
    type Record: Send + Unpin + 'static;

    /// The operation id (as in the OpenAPI spec), e.g. `people_search`.
    ///
    /// ```
    /// use copper_crm::search::SearchQuery;
    /// use copper_crm::types::{ActivitySearch, UserSearch};
    ///
    /// assert_eq!(ActivitySearch::OPERATION, "activities_search");
    /// assert_eq!(UserSearch::OPERATION, "users_search");
    /// ```
    const OPERATION: &'static str;

    #[doc(hidden)]
    const SPLIT: Option<SplitField>;

    #[doc(hidden)]
    fn set_page(&mut self, number: NonZeroU64, size: NonZeroU64);

    /// The body's `sort_by` and `sort_direction` (`None` for bodies without
    /// sorting).
    #[doc(hidden)]
    fn sort(&self) -> (Option<&str>, Option<SortDirection>);

    #[doc(hidden)]
    fn set_sort(&mut self, by: &str, direction: SortDirection);

    /// The body's date window (inclusive unix seconds) of [`Self::SPLIT`].
    #[doc(hidden)]
    fn window(&self) -> (Option<i64>, Option<i64>);

    #[doc(hidden)]
    fn set_window(&mut self, from: Option<i64>, to: Option<i64>);

    #[doc(hidden)]
    fn record_id(record: &Self::Record) -> i64;

    /// The record's value of [`Self::SPLIT`].
    #[doc(hidden)]
    fn record_date(record: &Self::Record) -> Option<i64>;

    #[doc(hidden)]
    fn send(self, client: Client) -> BoxFuture<'static, Result<RawPage<Self::Record>, Error>>;
}

/// Copper's `X-PW-TOTAL` header, when present and a number.
pub(crate) fn total_header(headers: &HeaderMap) -> Option<u64> {
    headers
        .get("X-PW-TOTAL")?
        .to_str()
        .ok()?
        .trim()
        .parse()
        .ok()
}

/// Implements [`SearchQuery`] for a search body with `sort_by`,
/// `sort_direction` and `minimum_/maximum_created_date`.
macro_rules! created_date_search {
    ($body:ident, $record:ident, $op:ident) => {
        impl sealed::Sealed for types::$body {}

        impl SearchQuery for types::$body {
            type Record = types::$record;
            const OPERATION: &'static str = stringify!($op);
            const SPLIT: Option<SplitField> = Some(SplitField::Created);

            fn set_page(&mut self, number: NonZeroU64, size: NonZeroU64) {
                self.page_number = number;
                self.page_size = size;
            }

            fn sort(&self) -> (Option<&str>, Option<SortDirection>) {
                (self.sort_by.as_deref(), self.sort_direction)
            }

            fn set_sort(&mut self, by: &str, direction: SortDirection) {
                self.sort_by = Some(by.to_string());
                self.sort_direction = Some(direction);
            }

            fn window(&self) -> (Option<i64>, Option<i64>) {
                (self.minimum_created_date, self.maximum_created_date)
            }

            fn set_window(&mut self, from: Option<i64>, to: Option<i64>) {
                self.minimum_created_date = from;
                self.maximum_created_date = to;
            }

            fn record_id(record: &Self::Record) -> i64 {
                record.id
            }

            fn record_date(record: &Self::Record) -> Option<i64> {
                Some(record.date_created)
            }

            fn send(
                self,
                client: Client,
            ) -> BoxFuture<'static, Result<RawPage<Self::Record>, Error>> {
                Box::pin(async move {
                    let call = client
                        .raw()
                        .$op()
                        .custom_field_computed_values(client.computed_values())
                        .body(self);
                    let answer = client.call(stringify!($op), call.send()).await?;
                    let total = total_header(answer.headers());
                    Ok((answer.into_inner().0, total))
                })
            }
        }
    };
}

created_date_search!(PersonSearch, Person, people_search);
created_date_search!(LeadSearch, Lead, leads_search);
created_date_search!(CompanySearch, Company, companies_search);
created_date_search!(OpportunitySearch, Opportunity, opportunities_search);
created_date_search!(ProjectSearch, Project, projects_search);
created_date_search!(TaskSearch, Task, tasks_search);

impl sealed::Sealed for types::ActivitySearch {}

/// Activities have no created-date filter and no sort: Copper answers them
/// newest `activity_date` first, so they are split by
/// `minimum_/maximum_activity_date` and streamed newest first.
impl SearchQuery for types::ActivitySearch {
    type Record = types::Activity;
    const OPERATION: &'static str = "activities_search";
    const SPLIT: Option<SplitField> = Some(SplitField::ActivityDate);

    fn set_page(&mut self, number: NonZeroU64, size: NonZeroU64) {
        self.page_number = number;
        self.page_size = size;
    }

    fn sort(&self) -> (Option<&str>, Option<SortDirection>) {
        (None, None)
    }

    fn set_sort(&mut self, _by: &str, _direction: SortDirection) {}

    fn window(&self) -> (Option<i64>, Option<i64>) {
        (self.minimum_activity_date, self.maximum_activity_date)
    }

    fn set_window(&mut self, from: Option<i64>, to: Option<i64>) {
        self.minimum_activity_date = from;
        self.maximum_activity_date = to;
    }

    fn record_id(record: &Self::Record) -> i64 {
        record.id
    }

    fn record_date(record: &Self::Record) -> Option<i64> {
        Some(record.activity_date)
    }

    fn send(self, client: Client) -> BoxFuture<'static, Result<RawPage<Self::Record>, Error>> {
        Box::pin(async move {
            let call = client.raw().activities_search().body(self);
            let answer = client.call("activities_search", call.send()).await?;
            let total = total_header(answer.headers());
            Ok((answer.into_inner().0, total))
        })
    }
}

impl sealed::Sealed for types::UserSearch {}

/// Users can only be paged: no filter, no sort, no date to split by.
impl SearchQuery for types::UserSearch {
    type Record = types::User;
    const OPERATION: &'static str = "users_search";
    const SPLIT: Option<SplitField> = None;

    fn set_page(&mut self, number: NonZeroU64, size: NonZeroU64) {
        self.page_number = number;
        self.page_size = size;
    }

    fn sort(&self) -> (Option<&str>, Option<SortDirection>) {
        (None, None)
    }

    fn set_sort(&mut self, _by: &str, _direction: SortDirection) {}

    fn window(&self) -> (Option<i64>, Option<i64>) {
        (None, None)
    }

    fn set_window(&mut self, _from: Option<i64>, _to: Option<i64>) {}

    fn record_id(record: &Self::Record) -> i64 {
        record.id
    }

    fn record_date(_record: &Self::Record) -> Option<i64> {
        None
    }

    fn send(self, client: Client) -> BoxFuture<'static, Result<RawPage<Self::Record>, Error>> {
        Box::pin(async move {
            let call = client.raw().users_search().body(self);
            let answer = client.call("users_search", call.send()).await?;
            let total = total_header(answer.headers());
            Ok((answer.into_inner().0, total))
        })
    }
}
