//! `search` on every searchable resource, and the activity lists of leads,
//! people and companies.

use copper_crm_raw::types;
use copper_crm_raw::{ClientCompaniesExt, ClientLeadsExt, ClientPeopleExt};

use super::entities::{Activities, Companies, Leads, Opportunities, People, Projects, Tasks};
use super::lookups::Users;
use crate::Error;
use crate::search::SearchStream;

/// Adds `search(filter)` to a handle.
macro_rules! search_method {
    ($handle:ident, $accessor:ident, $body:ident, $record:ident, $op:ident) => {
        impl $handle<'_> {
            #[doc = concat!("Stream every ", stringify!($record), " matching `filter` (a [`types::", stringify!($body), "`] or its builder).")]
            /// See [`SearchStream`] for the order, the page size and how
            /// searches past Copper's 100,000-record cap are split.
            ///
            /// ```no_run
            /// use futures::TryStreamExt;
            /// # async fn run(client: copper_crm::Client) -> Result<(), copper_crm::Error> {
            #[doc = concat!("let mut found = client.", stringify!($accessor), "().search(copper_crm::types::", stringify!($body), "::default());")]
            /// while let Some(record) = found.try_next().await? {
            ///     println!("{}", record.id);
            /// }
            /// # Ok(()) }
            /// ```
            pub fn search<T>(&self, filter: T) -> SearchStream<types::$body>
            where
                T: TryInto<types::$body>,
                T::Error: std::fmt::Display,
            {
                let query = filter
                    .try_into()
                    .map_err(|e| format!("{}: invalid search body: {e}", stringify!($op)));
                SearchStream::new(self.client, query)
            }
        }
    };
}

search_method!(Leads, leads, LeadSearch, Lead, leads_search);
search_method!(People, people, PersonSearch, Person, people_search);
search_method!(
    Companies,
    companies,
    CompanySearch,
    Company,
    companies_search
);
search_method!(
    Opportunities,
    opportunities,
    OpportunitySearch,
    Opportunity,
    opportunities_search
);
search_method!(Projects, projects, ProjectSearch, Project, projects_search);
search_method!(Tasks, tasks, TaskSearch, Task, tasks_search);
search_method!(
    Activities,
    activities,
    ActivitySearch,
    Activity,
    activities_search
);
search_method!(Users, users, UserSearch, User, users_search);

/// Adds `activities(id, request)` to a handle.
macro_rules! activities_method {
    ($handle:ident, $accessor:ident, $op:ident, $what:literal) => {
        impl $handle<'_> {
            #[doc = concat!("The activities of one ", $what, ", optionally only of some activity types.")]
            /// Copper documents no paging for this call; for large
            /// histories stream `activities().search(..)` with a `parent`
            /// instead.
            ///
            /// ```no_run
            /// # async fn run(client: copper_crm::Client) -> Result<(), copper_crm::Error> {
            #[doc = concat!("let all = client.", stringify!($accessor), "().activities(27140442, copper_crm::types::EntityActivitiesRequest::default()).await?;")]
            /// println!("{} activities", all.len());
            /// # Ok(()) }
            /// ```
            pub async fn activities<T>(&self, id: i64, request: T) -> Result<Vec<types::Activity>, Error>
            where
                T: TryInto<types::EntityActivitiesRequest>,
                T::Error: std::fmt::Display,
            {
                let body: types::EntityActivitiesRequest = request
                    .try_into()
                    .map_err(|e| Error::InvalidInput(format!("{}: {e}", stringify!($op))))?;
                let call = self.client.raw().$op().id(id).body(body);
                Ok(self.client.send(stringify!($op), call.send()).await?.0)
            }
        }
    };
}

activities_method!(Leads, leads, leads_activities_list, "lead");
activities_method!(People, people, people_activities_list, "person");
activities_method!(
    Companies,
    companies,
    companies_activities_list,
    "company (and of its people)"
);
