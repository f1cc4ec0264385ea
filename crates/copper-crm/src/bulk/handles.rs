//! `bulk_create`, `bulk_create_stream`, `bulk_update` and
//! `bulk_update_stream` on every record handle.

use std::fmt::Display;

use futures::stream::{self, Stream, StreamExt};

use super::endpoint::{self, Action};
use super::intake::{prepare_create, prepare_update};
use super::job::BulkJob;
use crate::resources::{Activities, Companies, Leads, Opportunities, People, Projects, Tasks};
use crate::types;

/// The exact length of an input, when its size hint has one.
fn exact_len((low, high): (usize, Option<usize>)) -> Option<u64> {
    (Some(low) == high).then_some(low as u64)
}

macro_rules! bulk_methods {
    (
        $handle:ident, accessor = $accessor:ident, endpoint = $endpoint:path,
        record = $record:ident, create = $create:ident, update = $update:ident,
        create_how = $create_how:literal, update_how = $update_how:literal
    ) => {
        impl<'c> $handle<'c> {
            #[doc = concat!("Create many ", stringify!($accessor), " ", $create_how)]
            ///
            /// `records` is any iterator of values convertible to the create
            /// type (the type itself or its generated builder); it is pulled
            /// only as fast as records can be sent. A record that does not
            /// convert is reported `Rejected` without being sent. Every input
            /// index gets exactly one [`BulkOutcome`](crate::bulk::BulkOutcome).
            ///
            /// ```no_run
            #[doc = concat!("# async fn run(client: copper_crm::Client, records: Vec<copper_crm::types::", stringify!($create), ">) {")]
            #[doc = concat!("let report = client.", stringify!($accessor), "().bulk_create(records).execute().await;")]
            /// println!("{} created, {} rejected, {} unknown", report.counts.created, report.counts.rejected, report.counts.unknown);
            /// # }
            /// ```
            pub fn bulk_create<'a, It, T>(&self, records: It) -> BulkJob<'a, types::$record, types::$create>
            where
                It: IntoIterator<Item = T>,
                It::IntoIter: Send + 'a,
                T: TryInto<types::$create> + Send + 'a,
                T::Error: Display,
            {
                let records = records.into_iter();
                let total = exact_len(records.size_hint());
                let intake = stream::iter(records).map(prepare_create::<types::$create, T>).boxed();
                BulkJob::new(self.client, &$endpoint, Action::Create, intake, total)
            }

            #[doc = concat!("Like [`bulk_create`](Self::bulk_create), from a `Stream` of records (a file being read, a query being paged).")]
            ///
            /// ```no_run
            /// use futures::StreamExt;
            #[doc = concat!("# async fn run(client: copper_crm::Client, rows: impl futures::Stream<Item = copper_crm::types::", stringify!($create), "> + Send + 'static) {")]
            #[doc = concat!("let mut outcomes = std::pin::pin!(client.", stringify!($accessor), "().bulk_create_stream(rows).stream());")]
            /// while let Some(outcome) = outcomes.next().await {
            ///     println!("{} settled", outcome.index());
            /// }
            /// # }
            /// ```
            pub fn bulk_create_stream<'a, S, T>(&self, records: S) -> BulkJob<'a, types::$record, types::$create>
            where
                S: Stream<Item = T> + Send + 'a,
                T: TryInto<types::$create> + Send + 'a,
                T::Error: Display,
            {
                let total = exact_len(records.size_hint());
                let intake = records.map(prepare_create::<types::$create, T>).boxed();
                BulkJob::new(self.client, &$endpoint, Action::Create, intake, total)
            }

            #[doc = concat!("Update many ", stringify!($accessor), " ", $update_how)]
            ///
            /// `updates` is any iterator of `(id, update)` pairs; only the
            /// attributes set in an update change. Updates are idempotent, so
            /// an ambiguous failure is simply sent again (up to the job's
            /// [`max_ambiguous_rounds`](crate::bulk::BulkJob::max_ambiguous_rounds)).
            ///
            /// ```no_run
            #[doc = concat!("# async fn run(client: copper_crm::Client, changes: Vec<(i64, copper_crm::types::", stringify!($update), ")>) {")]
            #[doc = concat!("let report = client.", stringify!($accessor), "().bulk_update(changes).execute().await;")]
            /// println!("{} updated, {} rejected", report.counts.updated, report.counts.rejected);
            /// # }
            /// ```
            pub fn bulk_update<'a, It, T>(&self, updates: It) -> BulkJob<'a, types::$record, (i64, types::$update)>
            where
                It: IntoIterator<Item = (i64, T)>,
                It::IntoIter: Send + 'a,
                T: TryInto<types::$update> + Send + 'a,
                T::Error: Display,
            {
                let updates = updates.into_iter();
                let total = exact_len(updates.size_hint());
                let intake = stream::iter(updates).map(prepare_update::<types::$update, T>).boxed();
                BulkJob::new(self.client, &$endpoint, Action::Update, intake, total)
            }

            #[doc = concat!("Like [`bulk_update`](Self::bulk_update), from a `Stream` of `(id, update)` pairs.")]
            ///
            /// ```no_run
            #[doc = concat!("# async fn run(client: copper_crm::Client, changes: impl futures::Stream<Item = (i64, copper_crm::types::", stringify!($update), ")> + Send + 'static) {")]
            #[doc = concat!("let report = client.", stringify!($accessor), "().bulk_update_stream(changes).execute().await;")]
            /// # let _ = report; }
            /// ```
            pub fn bulk_update_stream<'a, S, T>(&self, updates: S) -> BulkJob<'a, types::$record, (i64, types::$update)>
            where
                S: Stream<Item = (i64, T)> + Send + 'a,
                T: TryInto<types::$update> + Send + 'a,
                T::Error: Display,
            {
                let total = exact_len(updates.size_hint());
                let intake = updates.map(prepare_update::<types::$update, T>).boxed();
                BulkJob::new(self.client, &$endpoint, Action::Update, intake, total)
            }
        }
    };
}

bulk_methods! {
    People, accessor = people, endpoint = endpoint::PEOPLE,
    record = Person, create = PersonCreate, update = PersonUpdate,
    create_how = "through `POST /people/bulk_create` (10 per request, 3 requests per second). After an ambiguous failure each person is looked up by its (unique) first email: found means created, not found means it is sent again; a person without an email is then `Unknown`.",
    update_how = "through `POST /people/bulk_update`."
}

bulk_methods! {
    Leads, accessor = leads, endpoint = endpoint::LEADS,
    record = Lead, create = LeadCreate, update = LeadUpdate,
    create_how = "through `POST /leads/bulk_create`. Lead emails are not unique, so an ambiguous failure leaves the leads of that request `Unknown`, unless the job opts into [`upsert_by_email`](crate::bulk::BulkJob::upsert_by_email).",
    update_how = "through `POST /leads/bulk_update`."
}

bulk_methods! {
    Companies, accessor = companies, endpoint = endpoint::COMPANIES,
    record = Company, create = CompanyCreate, update = CompanyUpdate,
    create_how = "through `POST /companies/bulk_create` (an endpoint inferred from Copper's changelog; if Copper answers 404 the job switches to single creates). After an ambiguous failure a company with an `email_domain` (unique across companies) is searched by it: found means created, not found means it is sent again; a company without one is then `Unknown`.",
    update_how = "through `POST /companies/bulk_update` (inferred; single updates if Copper answers 404)."
}

bulk_methods! {
    Opportunities, accessor = opportunities, endpoint = endpoint::OPPORTUNITIES,
    record = Opportunity, create = OpportunityCreate, update = OpportunityUpdate,
    create_how = "through `POST /opportunities/bulk_create`. Opportunities have no unique attribute, so an ambiguous failure leaves the opportunities of that request `Unknown`.",
    update_how = "with concurrent single `PUT /opportunities/{id}` requests (Copper has no bulk update for opportunities), within the general rate limit."
}

bulk_methods! {
    Activities, accessor = activities, endpoint = endpoint::ACTIVITIES,
    record = Activity, create = ActivityCreate, update = ActivityUpdate,
    create_how = "through `POST /activities/bulk_create`. Activities have no unique attribute, so an ambiguous failure leaves the activities of that request `Unknown`.",
    update_how = "with concurrent single `PUT /activities/{id}` requests (Copper has no bulk update for activities), within the general rate limit."
}

bulk_methods! {
    Projects, accessor = projects, endpoint = endpoint::PROJECTS,
    record = Project, create = ProjectCreate, update = ProjectUpdate,
    create_how = "with concurrent single `POST /projects` requests (Copper has no bulk endpoint for projects), within the general rate limit. An ambiguous failure leaves that project `Unknown`.",
    update_how = "with concurrent single `PUT /projects/{id}` requests, within the general rate limit."
}

bulk_methods! {
    Tasks, accessor = tasks, endpoint = endpoint::TASKS,
    record = Task, create = TaskCreate, update = TaskUpdate,
    create_how = "with concurrent single `POST /tasks` requests (Copper has no bulk endpoint for tasks), within the general rate limit. An ambiguous failure leaves that task `Unknown`.",
    update_how = "with concurrent single `PUT /tasks/{id}` requests, within the general rate limit."
}

#[cfg(test)]
mod tests {
    use super::exact_len;

    #[test]
    fn only_exact_size_hints_are_totals() {
        assert_eq!(exact_len((3, Some(3))), Some(3));
        assert_eq!(exact_len((0, None)), None);
        assert_eq!(exact_len((1, Some(5))), None);
    }
}
