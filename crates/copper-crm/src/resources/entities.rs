//! Handles for the seven record types with get/create/update/delete.

use copper_crm_raw::types;
use copper_crm_raw::{
    ClientActivitiesExt, ClientCompaniesExt, ClientLeadsExt, ClientOpportunitiesExt,
    ClientPeopleExt, ClientProjectsExt, ClientTasksExt,
};

use super::Patch;
use crate::{Client, Error};

/// Generates a handle with `get`, `create`, `update`, `patch` and `delete`.
/// `computed` says whether the operations take
/// `custom_field_computed_values` (every entity but activities).
macro_rules! entity_handle {
    (
        $(#[$meta:meta])*
        $handle:ident, accessor = $accessor:ident, path = $path:literal,
        record = $record:ty, create = $create:ty, update = $update:ty,
        ops = ($get:ident, $create_op:ident, $update_op:ident, $delete_op:ident),
        get_returns = $get_ret:ty,
        computed = $computed:tt
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy)]
        pub struct $handle<'c> {
            pub(crate) client: &'c Client,
        }

        impl Client {
            #[doc = concat!("The ", stringify!($accessor), " resource.")]
            ///
            /// ```no_run
            /// # async fn run(client: copper_crm::Client) -> Result<(), copper_crm::Error> {
            #[doc = concat!("let record = client.", stringify!($accessor), "().get(42).await?;")]
            /// # let _ = record; Ok(()) }
            /// ```
            pub fn $accessor(&self) -> $handle<'_> {
                $handle { client: self }
            }
        }

        impl<'c> $handle<'c> {
            /// Fetch one record by id.
            ///
            /// ```no_run
            /// # async fn run(client: copper_crm::Client) -> Result<(), copper_crm::Error> {
            #[doc = concat!("let record = client.", stringify!($accessor), "().get(27140442).await?;")]
            /// # let _ = record; Ok(()) }
            /// ```
            pub async fn get(&self, id: i64) -> Result<$get_ret, Error> {
                let call = entity_handle!(@computed $computed, self.client, self.client.raw().$get().id(id));
                self.client.send(stringify!($get), call.send()).await
            }

            /// Create a record.
            ///
            /// ```no_run
            #[doc = concat!("# async fn run(client: copper_crm::Client, new_record: copper_crm::", stringify!($create), ") -> Result<(), copper_crm::Error> {")]
            #[doc = concat!("let created = client.", stringify!($accessor), "().create(new_record).await?;")]
            /// println!("created {}", created.id);
            /// # Ok(()) }
            /// ```
            pub async fn create<T>(&self, record: T) -> Result<$record, Error>
            where
                T: TryInto<$create>,
                T::Error: std::fmt::Display,
            {
                let body: $create = record
                    .try_into()
                    .map_err(|e| Error::InvalidInput(format!("{}: {e}", stringify!($create_op))))?;
                let call = entity_handle!(@computed $computed, self.client, self.client.raw().$create_op().body(body));
                self.client.send(stringify!($create_op), call.send()).await
            }

            /// Update a record: only the attributes set in `update` change.
            /// Use [`patch`](Self::patch) to clear attributes.
            ///
            /// ```no_run
            #[doc = concat!("# async fn run(client: copper_crm::Client, change: copper_crm::", stringify!($update), ") -> Result<(), copper_crm::Error> {")]
            #[doc = concat!("let updated = client.", stringify!($accessor), "().update(27140442, change).await?;")]
            /// # let _ = updated; Ok(()) }
            /// ```
            pub async fn update<T>(&self, id: i64, update: T) -> Result<$record, Error>
            where
                T: TryInto<$update>,
                T::Error: std::fmt::Display,
            {
                let body: $update = update
                    .try_into()
                    .map_err(|e| Error::InvalidInput(format!("{}: {e}", stringify!($update_op))))?;
                let call = entity_handle!(@computed $computed, self.client, self.client.raw().$update_op().id(id).body(body));
                self.client.send(stringify!($update_op), call.send()).await
            }

            /// Update a record and clear the attributes the patch names
            /// (sent as explicit `null`s).
            ///
            /// ```no_run
            #[doc = concat!("# async fn run(client: copper_crm::Client, change: copper_crm::", stringify!($update), ") -> Result<(), copper_crm::Error> {")]
            #[doc = concat!("let patch = copper_crm::Patch::<copper_crm::", stringify!($update), ">::new(change)?.clear(\"details\");")]
            #[doc = concat!("let updated = client.", stringify!($accessor), "().patch(27140442, patch).await?;")]
            /// # let _ = updated; Ok(()) }
            /// ```
            pub async fn patch(&self, id: i64, patch: Patch<$update>) -> Result<$record, Error> {
                if !patch.clears_anything() {
                    return self.update(id, patch.update().clone()).await;
                }
                let body = patch.to_json()?;
                let query = entity_handle!(@query $computed, self.client);
                self.client
                    .send_json(stringify!($update_op), reqwest::Method::PUT, &format!(concat!("/", $path, "/{}"), id), &query, &body)
                    .await
            }

            /// Delete a record.
            ///
            /// ```no_run
            /// # async fn run(client: copper_crm::Client) -> Result<(), copper_crm::Error> {
            #[doc = concat!("let gone = client.", stringify!($accessor), "().delete(27140442).await?;")]
            /// assert_eq!(gone.id, 27140442);
            /// # Ok(()) }
            /// ```
            pub async fn delete(&self, id: i64) -> Result<types::DeleteResult, Error> {
                let call = self.client.raw().$delete_op().id(id);
                self.client.send(stringify!($delete_op), call.send()).await
            }
        }
    };
    (@computed true, $client:expr, $builder:expr) => {
        $builder.custom_field_computed_values($client.computed_values())
    };
    (@computed false, $client:expr, $builder:expr) => {
        $builder
    };
    (@query true, $client:expr) => {
        vec![("custom_field_computed_values", $client.computed_values().to_string())]
    };
    (@query false, $client:expr) => {
        Vec::<(&str, String)>::new()
    };
}

entity_handle! {
    /// Leads: `client.leads()`. Also [`upsert`](Leads::upsert) and
    /// [`convert`](Leads::convert).
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// # let sim = copper_crm_sim::Sim::builder().limits(copper_crm_sim::Limits::Off).start().await?;
    /// # let client = copper_crm::Client::builder()
    /// #     .api_key(copper_crm_sim::DEFAULT_API_KEY, copper_crm_sim::DEFAULT_EMAIL)
    /// #     .base_url(sim.base_url())
    /// #     .rate_limits(copper_crm::RateLimits::unlimited())
    /// #     .build()?;
    /// use copper_crm::types::LeadCreate;
    ///
    /// let leads = client.leads();
    /// let lead = leads.create(LeadCreate::builder().name("Ada Lovelace".to_string())).await?;
    /// assert_eq!(leads.get(lead.id).await?.name, "Ada Lovelace");
    /// # sim.shutdown().await;
    /// # Ok(()) }
    /// ```
    Leads, accessor = leads, path = "leads",
    record = types::Lead, create = types::LeadCreate, update = types::LeadUpdate,
    ops = (leads_get, leads_create, leads_update, leads_delete),
    get_returns = types::Lead,
    computed = true
}

entity_handle! {
    /// People: `client.people()`. Also
    /// [`fetch_by_email`](People::fetch_by_email).
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// # let sim = copper_crm_sim::Sim::builder().limits(copper_crm_sim::Limits::Off).start().await?;
    /// # let client = copper_crm::Client::builder()
    /// #     .api_key(copper_crm_sim::DEFAULT_API_KEY, copper_crm_sim::DEFAULT_EMAIL)
    /// #     .base_url(sim.base_url())
    /// #     .rate_limits(copper_crm::RateLimits::unlimited())
    /// #     .build()?;
    /// use copper_crm::types::PersonCreate;
    ///
    /// let people = client.people();
    /// let ada = people.create(PersonCreate::builder().name("Ada Lovelace".to_string())).await?;
    /// assert_eq!(people.get(ada.id).await?.first_name.as_deref(), Some("Ada"));
    /// assert_eq!(people.delete(ada.id).await?.id, ada.id);
    /// assert_eq!(people.get(ada.id).await.unwrap_err().status(), Some(404));
    /// # sim.shutdown().await;
    /// # Ok(()) }
    /// ```
    People, accessor = people, path = "people",
    record = types::Person, create = types::PersonCreate, update = types::PersonUpdate,
    ops = (people_get, people_create, people_update, people_delete),
    get_returns = types::Person,
    computed = true
}

entity_handle! {
    /// Companies: `client.companies()`.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// # let sim = copper_crm_sim::Sim::builder().limits(copper_crm_sim::Limits::Off).start().await?;
    /// # let client = copper_crm::Client::builder()
    /// #     .api_key(copper_crm_sim::DEFAULT_API_KEY, copper_crm_sim::DEFAULT_EMAIL)
    /// #     .base_url(sim.base_url())
    /// #     .rate_limits(copper_crm::RateLimits::unlimited())
    /// #     .build()?;
    /// use copper_crm::types::{CompanyCreate, CompanyUpdate};
    ///
    /// let companies = client.companies();
    /// let company = companies.create(CompanyCreate::builder().name("Analytical Engines".to_string())).await?;
    /// let change = CompanyUpdate::builder().details(Some("Makers of difference engines".to_string()));
    /// let updated = companies.update(company.id, change).await?;
    /// assert_eq!(updated.name, "Analytical Engines");
    /// assert_eq!(updated.details.as_deref(), Some("Makers of difference engines"));
    /// # sim.shutdown().await;
    /// # Ok(()) }
    /// ```
    Companies, accessor = companies, path = "companies",
    record = types::Company, create = types::CompanyCreate, update = types::CompanyUpdate,
    ops = (companies_get, companies_create, companies_update, companies_delete),
    get_returns = types::Company,
    computed = true
}

entity_handle! {
    /// Opportunities: `client.opportunities()`.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// # let sim = copper_crm_sim::Sim::builder().limits(copper_crm_sim::Limits::Off).start().await?;
    /// # let client = copper_crm::Client::builder()
    /// #     .api_key(copper_crm_sim::DEFAULT_API_KEY, copper_crm_sim::DEFAULT_EMAIL)
    /// #     .base_url(sim.base_url())
    /// #     .rate_limits(copper_crm::RateLimits::unlimited())
    /// #     .build()?;
    /// use copper_crm::types::{OpportunityCreate, PersonCreate};
    ///
    /// let ada = client.people().create(PersonCreate::builder().name("Ada Lovelace".to_string())).await?;
    /// let opportunities = client.opportunities();
    /// let deal = opportunities
    ///     .create(OpportunityCreate::builder().name("Engine No. 2".to_string()).primary_contact_id(ada.id))
    ///     .await?;
    /// assert_eq!(opportunities.get(deal.id).await?.name, "Engine No. 2");
    /// # sim.shutdown().await;
    /// # Ok(()) }
    /// ```
    Opportunities, accessor = opportunities, path = "opportunities",
    record = types::Opportunity, create = types::OpportunityCreate, update = types::OpportunityUpdate,
    ops = (opportunities_get, opportunities_create, opportunities_update, opportunities_delete),
    get_returns = types::Opportunity,
    computed = true
}

entity_handle! {
    /// Projects: `client.projects()`.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// # let sim = copper_crm_sim::Sim::builder().limits(copper_crm_sim::Limits::Off).start().await?;
    /// # let client = copper_crm::Client::builder()
    /// #     .api_key(copper_crm_sim::DEFAULT_API_KEY, copper_crm_sim::DEFAULT_EMAIL)
    /// #     .base_url(sim.base_url())
    /// #     .rate_limits(copper_crm::RateLimits::unlimited())
    /// #     .build()?;
    /// use copper_crm::Patch;
    /// use copper_crm::types::{ProjectCreate, ProjectUpdate};
    ///
    /// let projects = client.projects();
    /// let project = projects
    ///     .create(ProjectCreate::builder().name("Migration".to_string()).details(Some("Move the data".to_string())))
    ///     .await?;
    /// let patch = Patch::<ProjectUpdate>::new(ProjectUpdate::default())?.clear("details");
    /// assert_eq!(projects.patch(project.id, patch).await?.details, None);
    /// # sim.shutdown().await;
    /// # Ok(()) }
    /// ```
    Projects, accessor = projects, path = "projects",
    record = types::Project, create = types::ProjectCreate, update = types::ProjectUpdate,
    ops = (projects_get, projects_create, projects_update, projects_delete),
    get_returns = types::Project,
    computed = true
}

entity_handle! {
    /// Tasks: `client.tasks()`.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// # let sim = copper_crm_sim::Sim::builder().limits(copper_crm_sim::Limits::Off).start().await?;
    /// # let client = copper_crm::Client::builder()
    /// #     .api_key(copper_crm_sim::DEFAULT_API_KEY, copper_crm_sim::DEFAULT_EMAIL)
    /// #     .base_url(sim.base_url())
    /// #     .rate_limits(copper_crm::RateLimits::unlimited())
    /// #     .build()?;
    /// use copper_crm::types::TaskCreate;
    ///
    /// let tasks = client.tasks();
    /// let task = tasks.create(TaskCreate::builder().name("Send the proposal".to_string())).await?;
    /// assert_eq!(tasks.get(task.id).await?.name, "Send the proposal");
    /// # sim.shutdown().await;
    /// # Ok(()) }
    /// ```
    Tasks, accessor = tasks, path = "tasks",
    record = types::Task, create = types::TaskCreate, update = types::TaskUpdate,
    ops = (tasks_get, tasks_create, tasks_update, tasks_delete),
    get_returns = types::Task,
    computed = true
}

entity_handle! {
    /// Activities: `client.activities()`. A deleted activity stays fetchable
    /// as a stub, so [`get`](Activities::get) answers
    /// [`types::ActivityOrStub`].
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// # let sim = copper_crm_sim::Sim::builder().limits(copper_crm_sim::Limits::Off).start().await?;
    /// # let client = copper_crm::Client::builder()
    /// #     .api_key(copper_crm_sim::DEFAULT_API_KEY, copper_crm_sim::DEFAULT_EMAIL)
    /// #     .base_url(sim.base_url())
    /// #     .rate_limits(copper_crm::RateLimits::unlimited())
    /// #     .build()?;
    /// use copper_crm::types::{ActivityCreate, ActivityOrStub, ActivityParent, ActivityTypeRef, PersonCreate};
    ///
    /// let ada = client.people().create(PersonCreate::builder().name("Ada Lovelace".to_string())).await?;
    /// let note = client
    ///     .activities()
    ///     .create(ActivityCreate {
    ///         parent: ActivityParent { id: ada.id, type_: "person".into() },
    ///         type_: ActivityTypeRef { category: "user".into(), id: 0 },
    ///         details: "Met at the Analytical Society".into(),
    ///         activity_date: None,
    ///     })
    ///     .await?;
    /// client.activities().delete(note.id).await?;
    /// assert!(matches!(client.activities().get(note.id).await?, ActivityOrStub::DeletedActivity(_)));
    /// # sim.shutdown().await;
    /// # Ok(()) }
    /// ```
    Activities, accessor = activities, path = "activities",
    record = types::Activity, create = types::ActivityCreate, update = types::ActivityUpdate,
    ops = (activities_get, activities_create, activities_update, activities_delete),
    get_returns = types::ActivityOrStub,
    computed = false
}

impl People<'_> {
    /// Fetch the person with this email (emails are unique across people).
    ///
    /// ```no_run
    /// # async fn run(client: copper_crm::Client) -> Result<(), copper_crm::Error> {
    /// let jim = client.people().fetch_by_email("jim@example.com").await?;
    /// # let _ = jim; Ok(()) }
    /// ```
    pub async fn fetch_by_email(&self, email: &str) -> Result<types::Person, Error> {
        let call = self
            .client
            .raw()
            .people_fetch_by_email()
            .custom_field_computed_values(self.client.computed_values())
            .body(types::FetchByEmail {
                email: email.to_string(),
            });
        self.client.send("people_fetch_by_email", call.send()).await
    }
}

impl Leads<'_> {
    /// Create or update a lead matched by email, name or a custom field
    /// (0 matches: create; 1: update; more: a 422 error).
    ///
    /// ```no_run
    /// use copper_crm::types::{LeadUpdate, LeadUpsert, LeadUpsertMatch};
    /// # async fn run(client: copper_crm::Client) -> Result<(), copper_crm::Error> {
    /// let upsert: LeadUpsert = serde_json::from_value(serde_json::json!({
    ///     "properties": {"name": "Ada Lovelace", "email": {"email": "ada@example.com", "category": "work"}},
    ///     "match": {"field_name": "email", "field_value": "ada@example.com"}
    /// })).unwrap();
    /// let lead = client.leads().upsert(upsert).await?;
    /// # let _ = lead; Ok(()) }
    /// ```
    pub async fn upsert<T>(&self, upsert: T) -> Result<types::Lead, Error>
    where
        T: TryInto<types::LeadUpsert>,
        T::Error: std::fmt::Display,
    {
        let body: types::LeadUpsert = upsert
            .try_into()
            .map_err(|e| Error::InvalidInput(format!("leads_upsert: {e}")))?;
        let call = self
            .client
            .raw()
            .leads_upsert()
            .custom_field_computed_values(self.client.computed_values())
            .body(body);
        self.client.send("leads_upsert", call.send()).await
    }

    /// Convert a lead into a person (and optionally a company and an
    /// opportunity); the lead is removed.
    ///
    /// ```no_run
    /// # async fn run(client: copper_crm::Client) -> Result<(), copper_crm::Error> {
    /// let convert: copper_crm::types::LeadConvert =
    ///     serde_json::from_value(serde_json::json!({"details": {"person": {"name": "Ada Lovelace"}}})).unwrap();
    /// let result = client.leads().convert(27140442, convert).await?;
    /// println!("person {}", result.person.id);
    /// # Ok(()) }
    /// ```
    pub async fn convert<T>(&self, id: i64, convert: T) -> Result<types::LeadConversion, Error>
    where
        T: TryInto<types::LeadConvert>,
        T::Error: std::fmt::Display,
    {
        let body: types::LeadConvert = convert
            .try_into()
            .map_err(|e| Error::InvalidInput(format!("leads_convert: {e}")))?;
        let call = self
            .client
            .raw()
            .leads_convert()
            .id(id)
            .custom_field_computed_values(self.client.computed_values())
            .body(body);
        self.client.send("leads_convert", call.send()).await
    }
}
