//! The account's configuration lists: pipelines and their stages, loss
//! reasons, customer sources, lead statuses, contact types, activity types
//! and field layouts.

use copper_crm_raw::types;
use copper_crm_raw::{
    ClientActivitiesExt, ClientCustomFieldsExt, ClientFieldLayoutsExt, ClientLeadsExt,
    ClientOpportunitiesExt, ClientPeopleExt,
};

use super::RecordType;
use crate::{Client, Error};

/// Generates a handle whose only operation is `list`.
macro_rules! list_handle {
    (
        $(#[$meta:meta])*
        $handle:ident, accessor = $accessor:ident, op = $op:ident, item = $item:ident, what = $what:literal
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy)]
        pub struct $handle<'c> {
            client: &'c Client,
        }

        impl Client {
            #[doc = concat!("The ", $what, " of the account.")]
            ///
            /// ```no_run
            /// # async fn run(client: copper_crm::Client) -> Result<(), copper_crm::Error> {
            #[doc = concat!("let all = client.", stringify!($accessor), "().list().await?;")]
            /// # let _ = all; Ok(()) }
            /// ```
            pub fn $accessor(&self) -> $handle<'_> {
                $handle { client: self }
            }
        }

        impl $handle<'_> {
            #[doc = concat!("List the ", $what, ".")]
            ///
            /// ```no_run
            /// # async fn run(client: copper_crm::Client) -> Result<(), copper_crm::Error> {
            #[doc = concat!("for item in client.", stringify!($accessor), "().list().await? {")]
            ///     println!("{} {}", item.id, item.name);
            /// }
            /// # Ok(()) }
            /// ```
            pub async fn list(&self) -> Result<Vec<types::$item>, Error> {
                Ok(self.client.send(stringify!($op), self.client.raw().$op().send()).await?.0)
            }
        }
    };
}

list_handle! {
    /// Sales pipelines with their stages: `client.pipelines()`.
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
    /// let pipelines = client.pipelines().list().await?;
    /// assert_eq!(pipelines.len(), 1);
    /// assert_eq!(pipelines[0].name, "Sales");
    /// assert_eq!(pipelines[0].stages.len(), 5);
    /// # sim.shutdown().await;
    /// # Ok(()) }
    /// ```
    Pipelines, accessor = pipelines, op = pipelines_list, item = Pipeline, what = "pipelines"
}

list_handle! {
    /// The reasons an opportunity can be lost: `client.loss_reasons()`.
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
    /// let names: Vec<String> = client.loss_reasons().list().await?.into_iter().map(|r| r.name).collect();
    /// assert_eq!(names, ["Lost to Competitor", "Too Expensive", "No Budget"]);
    /// # sim.shutdown().await;
    /// # Ok(()) }
    /// ```
    LossReasons, accessor = loss_reasons, op = loss_reasons_list, item = LossReason, what = "loss reasons"
}

list_handle! {
    /// Where leads and opportunities come from: `client.customer_sources()`.
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
    /// let names: Vec<String> = client.customer_sources().list().await?.into_iter().map(|s| s.name).collect();
    /// assert_eq!(names, ["Email", "Cold Call", "Advertising"]);
    /// # sim.shutdown().await;
    /// # Ok(()) }
    /// ```
    CustomerSources, accessor = customer_sources, op = customer_sources_list, item = CustomerSource,
    what = "customer sources"
}

list_handle! {
    /// The statuses a lead can have: `client.lead_statuses()`.
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
    /// let statuses = client.lead_statuses().list().await?;
    /// let names: Vec<&str> = statuses.iter().map(|s| s.name.as_str()).collect();
    /// assert_eq!(names, ["New", "Open", "Unqualified", "Junk"]);
    /// assert!(statuses[0].is_default);
    /// # sim.shutdown().await;
    /// # Ok(()) }
    /// ```
    LeadStatuses, accessor = lead_statuses, op = lead_statuses_list, item = LeadStatus, what = "lead statuses"
}

list_handle! {
    /// The types a person or company can have: `client.contact_types()`.
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
    /// let names: Vec<String> = client.contact_types().list().await?.into_iter().map(|t| t.name).collect();
    /// assert_eq!(names, ["Potential Customer", "Current Customer", "Uncategorized", "Other"]);
    /// # sim.shutdown().await;
    /// # Ok(()) }
    /// ```
    ContactTypes, accessor = contact_types, op = contact_types_list, item = ContactType, what = "contact types"
}

/// The stages of the sales pipelines: `client.pipeline_stages()`.
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
/// let pipelines = client.pipelines().list().await?;
/// let sales = pipelines.iter().find(|p| p.name == "Sales").unwrap();
/// let stages = client.pipeline_stages().by_pipeline(sales.id).await?;
/// let names: Vec<&str> = stages.iter().map(|s| s.name.as_str()).collect();
/// assert_eq!(names, ["Qualified", "Follow-up", "Presentation", "Contract Sent", "Negotiation"]);
/// assert_eq!(stages[0].win_probability, 10);
/// # sim.shutdown().await;
/// # Ok(()) }
/// ```
#[derive(Debug, Clone, Copy)]
pub struct PipelineStages<'c> {
    client: &'c Client,
}

impl Client {
    /// The pipeline stages of the account.
    ///
    /// ```no_run
    /// # async fn run(client: copper_crm::Client) -> Result<(), copper_crm::Error> {
    /// let stages = client.pipeline_stages().list().await?;
    /// # let _ = stages; Ok(()) }
    /// ```
    pub fn pipeline_stages(&self) -> PipelineStages<'_> {
        PipelineStages { client: self }
    }
}

impl PipelineStages<'_> {
    /// Every stage of every pipeline.
    ///
    /// ```no_run
    /// # async fn run(client: copper_crm::Client) -> Result<(), copper_crm::Error> {
    /// for stage in client.pipeline_stages().list().await? {
    ///     println!("{} ({}%) in pipeline {}", stage.name, stage.win_probability, stage.pipeline_id);
    /// }
    /// # Ok(()) }
    /// ```
    pub async fn list(&self) -> Result<Vec<types::PipelineStage>, Error> {
        Ok(self
            .client
            .send(
                "pipeline_stages_list",
                self.client.raw().pipeline_stages_list().send(),
            )
            .await?
            .0)
    }

    /// The stages of one pipeline.
    ///
    /// ```no_run
    /// # async fn run(client: copper_crm::Client) -> Result<(), copper_crm::Error> {
    /// let stages = client.pipeline_stages().by_pipeline(213214).await?;
    /// # let _ = stages; Ok(()) }
    /// ```
    pub async fn by_pipeline(&self, pipeline_id: i64) -> Result<Vec<types::PipelineStage>, Error> {
        let call = self
            .client
            .raw()
            .pipeline_stages_by_pipeline()
            .pipeline_id(pipeline_id);
        Ok(self
            .client
            .send("pipeline_stages_by_pipeline", call.send())
            .await?
            .0)
    }
}

/// The activity types (system and user-defined): `client.activity_types()`.
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
/// let types = client.activity_types().list().await?;
/// assert!(types.user.iter().any(|t| t.name == "Phone Call"));
/// assert!(types.system.iter().all(|t| t.category == "system"));
/// # sim.shutdown().await;
/// # Ok(()) }
/// ```
#[derive(Debug, Clone, Copy)]
pub struct ActivityTypes<'c> {
    client: &'c Client,
}

impl Client {
    /// The activity types of the account.
    ///
    /// ```no_run
    /// # async fn run(client: copper_crm::Client) -> Result<(), copper_crm::Error> {
    /// let types = client.activity_types().list().await?;
    /// println!("{} user types", types.user.len());
    /// # Ok(()) }
    /// ```
    pub fn activity_types(&self) -> ActivityTypes<'_> {
        ActivityTypes { client: self }
    }
}

impl ActivityTypes<'_> {
    /// The activity types, by category (`user` and `system`).
    ///
    /// ```no_run
    /// # async fn run(client: copper_crm::Client) -> Result<(), copper_crm::Error> {
    /// let types = client.activity_types().list().await?;
    /// for t in types.user.iter().chain(&types.system) {
    ///     println!("{} {} ({})", t.category, t.id, t.name);
    /// }
    /// # Ok(()) }
    /// ```
    pub async fn list(&self) -> Result<types::ActivityTypesByCategory, Error> {
        self.client
            .send(
                "activity_types_list",
                self.client.raw().activity_types_list().send(),
            )
            .await
    }
}

/// Custom activity types: `client.custom_activity_types()`.
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
/// use copper_crm::types::CustomActivityTypeCreate;
///
/// let custom = client.custom_activity_types();
/// let visit = custom
///     .create(CustomActivityTypeCreate { name: "Site visit".into(), icon_type: "Event".into() })
///     .await?;
/// assert_eq!(custom.get(visit.id).await?.name, "Site visit");
/// assert!(custom.list().await?.iter().any(|t| t.id == visit.id));
/// # sim.shutdown().await;
/// # Ok(()) }
/// ```
#[derive(Debug, Clone, Copy)]
pub struct CustomActivityTypes<'c> {
    client: &'c Client,
}

impl Client {
    /// The custom activity types resource.
    ///
    /// ```no_run
    /// # async fn run(client: copper_crm::Client) -> Result<(), copper_crm::Error> {
    /// let all = client.custom_activity_types().list().await?;
    /// # let _ = all; Ok(()) }
    /// ```
    pub fn custom_activity_types(&self) -> CustomActivityTypes<'_> {
        CustomActivityTypes { client: self }
    }
}

impl CustomActivityTypes<'_> {
    /// List the custom activity types.
    ///
    /// ```no_run
    /// # async fn run(client: copper_crm::Client) -> Result<(), copper_crm::Error> {
    /// for t in client.custom_activity_types().list().await? {
    ///     println!("{} {}", t.id, t.name);
    /// }
    /// # Ok(()) }
    /// ```
    pub async fn list(&self) -> Result<Vec<types::CustomActivityType>, Error> {
        Ok(self
            .client
            .send(
                "custom_activity_types_list",
                self.client.raw().custom_activity_types_list().send(),
            )
            .await?
            .0)
    }

    /// Fetch one custom activity type.
    ///
    /// ```no_run
    /// # async fn run(client: copper_crm::Client) -> Result<(), copper_crm::Error> {
    /// let t = client.custom_activity_types().get(215).await?;
    /// # let _ = t; Ok(()) }
    /// ```
    pub async fn get(&self, id: i64) -> Result<types::CustomActivityType, Error> {
        let call = self.client.raw().custom_activity_types_get().id(id);
        self.client
            .send("custom_activity_types_get", call.send())
            .await
    }

    /// Create a custom activity type.
    ///
    /// ```no_run
    /// use copper_crm::types::CustomActivityTypeCreate;
    /// # async fn run(client: copper_crm::Client) -> Result<(), copper_crm::Error> {
    /// let new = CustomActivityTypeCreate { name: "Site visit".into(), icon_type: "Event".into() };
    /// let created = client.custom_activity_types().create(new).await?;
    /// # let _ = created; Ok(()) }
    /// ```
    pub async fn create<T>(&self, activity_type: T) -> Result<types::CustomActivityType, Error>
    where
        T: TryInto<types::CustomActivityTypeCreate>,
        T::Error: std::fmt::Display,
    {
        let body = activity_type
            .try_into()
            .map_err(|e| Error::InvalidInput(format!("custom_activity_types_create: {e}")))?;
        let call = self.client.raw().custom_activity_types_create().body(body);
        self.client
            .send("custom_activity_types_create", call.send())
            .await
    }

    /// Change a custom activity type's name or icon.
    ///
    /// ```no_run
    /// use copper_crm::types::CustomActivityTypeUpdate;
    /// # async fn run(client: copper_crm::Client) -> Result<(), copper_crm::Error> {
    /// let change = CustomActivityTypeUpdate { name: Some("On-site visit".into()), icon_type: None };
    /// let updated = client.custom_activity_types().update(215, change).await?;
    /// # let _ = updated; Ok(()) }
    /// ```
    pub async fn update<T>(&self, id: i64, change: T) -> Result<types::CustomActivityType, Error>
    where
        T: TryInto<types::CustomActivityTypeUpdate>,
        T::Error: std::fmt::Display,
    {
        let body = change
            .try_into()
            .map_err(|e| Error::InvalidInput(format!("custom_activity_types_update: {e}")))?;
        let call = self
            .client
            .raw()
            .custom_activity_types_update()
            .id(id)
            .body(body);
        self.client
            .send("custom_activity_types_update", call.send())
            .await
    }
}

/// The field layouts (fields shown on records, in display order):
/// `client.field_layouts()`.
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
/// use copper_crm::RecordType;
///
/// let fields = client.field_layouts().get(RecordType::Person, None).await?;
/// assert!(fields.iter().any(|f| f.field_label == "Name" && f.required));
/// // The opportunities layout needs its pipeline (checked before sending).
/// let err = client.field_layouts().get(RecordType::Opportunity, None).await.unwrap_err();
/// assert!(err.to_string().contains("pipeline_id"));
/// # sim.shutdown().await;
/// # Ok(()) }
/// ```
#[derive(Debug, Clone, Copy)]
pub struct FieldLayouts<'c> {
    client: &'c Client,
}

impl Client {
    /// The field layouts resource.
    ///
    /// ```no_run
    /// use copper_crm::RecordType;
    /// # async fn run(client: copper_crm::Client) -> Result<(), copper_crm::Error> {
    /// let fields = client.field_layouts().get(RecordType::Person, None).await?;
    /// # let _ = fields; Ok(()) }
    /// ```
    pub fn field_layouts(&self) -> FieldLayouts<'_> {
        FieldLayouts { client: self }
    }
}

impl FieldLayouts<'_> {
    /// The fields of one record type in display order. Opportunities need
    /// the `pipeline_id` whose layout to answer (an error names it when it
    /// is missing); the other types ignore it.
    ///
    /// ```no_run
    /// use copper_crm::RecordType;
    /// # async fn run(client: copper_crm::Client) -> Result<(), copper_crm::Error> {
    /// for field in client.field_layouts().get(RecordType::Opportunity, Some(213214)).await? {
    ///     println!("{} ({}){}", field.field_label, field.field_key, if field.required { " *" } else { "" });
    /// }
    /// # Ok(()) }
    /// ```
    pub async fn get(
        &self,
        record_type: RecordType,
        pipeline_id: Option<i64>,
    ) -> Result<Vec<types::FieldLayoutField>, Error> {
        if record_type == RecordType::Opportunity && pipeline_id.is_none() {
            return Err(Error::InvalidInput(
                "field_layouts_by_entity: the opportunities layout depends on the pipeline; pass its pipeline_id".into(),
            ));
        }
        let mut call = self
            .client
            .raw()
            .field_layouts_by_entity()
            .entity_type(types::FieldLayoutEntityType::from(record_type));
        if let Some(pipeline_id) = pipeline_id {
            call = call.pipeline_id(pipeline_id);
        }
        Ok(self
            .client
            .send("field_layouts_by_entity", call.send())
            .await?
            .0)
    }
}
