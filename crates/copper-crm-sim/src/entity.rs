//! The kinds of records the simulator stores.

use serde::{Deserialize, Serialize};

/// Every type of record the simulator stores, for [`SimHandle::records`](crate::SimHandle::records)
/// and the record counts in [`Stats`](crate::Stats).
///
/// ```
/// use copper_crm_sim::Entity;
/// assert_eq!(Entity::Person.name(), "people");
/// assert_eq!("opportunities".parse::<Entity>().unwrap(), Entity::Opportunity);
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Entity {
    /// Leads (not yet converted; converted leads are only reachable through a lead search with
    /// `include_converted_leads`).
    Lead,
    /// People (contacts).
    Person,
    /// Companies.
    Company,
    /// Opportunities.
    Opportunity,
    /// Projects.
    Project,
    /// Tasks.
    Task,
    /// Activities that are not deleted.
    Activity,
    /// Users of the account.
    User,
    /// Pipelines.
    Pipeline,
    /// Pipeline stages.
    PipelineStage,
    /// Loss reasons.
    LossReason,
    /// Customer sources.
    CustomerSource,
    /// Lead statuses.
    LeadStatus,
    /// Contact types.
    ContactType,
    /// Custom field definitions.
    CustomFieldDefinition,
    /// Custom activity types.
    CustomActivityType,
    /// Connect-field links (`/related_links`), one record per direction.
    Connection,
    /// Related-item relations (`/{entity}/{id}/related`), one record per unordered pair.
    Relation,
    /// Webhook subscriptions.
    Webhook,
    /// File metadata records.
    File,
}

impl Entity {
    /// Every entity, in a stable order.
    ///
    /// ```
    /// assert_eq!(copper_crm_sim::Entity::ALL.len(), 20);
    /// ```
    pub const ALL: [Entity; 20] = [
        Entity::Lead,
        Entity::Person,
        Entity::Company,
        Entity::Opportunity,
        Entity::Project,
        Entity::Task,
        Entity::Activity,
        Entity::User,
        Entity::Pipeline,
        Entity::PipelineStage,
        Entity::LossReason,
        Entity::CustomerSource,
        Entity::LeadStatus,
        Entity::ContactType,
        Entity::CustomFieldDefinition,
        Entity::CustomActivityType,
        Entity::Connection,
        Entity::Relation,
        Entity::Webhook,
        Entity::File,
    ];

    /// The plural snake_case name used in stats and by [`FromStr`](std::str::FromStr).
    ///
    /// ```
    /// assert_eq!(copper_crm_sim::Entity::CustomFieldDefinition.name(), "custom_field_definitions");
    /// ```
    pub fn name(self) -> &'static str {
        match self {
            Entity::Lead => "leads",
            Entity::Person => "people",
            Entity::Company => "companies",
            Entity::Opportunity => "opportunities",
            Entity::Project => "projects",
            Entity::Task => "tasks",
            Entity::Activity => "activities",
            Entity::User => "users",
            Entity::Pipeline => "pipelines",
            Entity::PipelineStage => "pipeline_stages",
            Entity::LossReason => "loss_reasons",
            Entity::CustomerSource => "customer_sources",
            Entity::LeadStatus => "lead_statuses",
            Entity::ContactType => "contact_types",
            Entity::CustomFieldDefinition => "custom_field_definitions",
            Entity::CustomActivityType => "custom_activity_types",
            Entity::Connection => "related_links",
            Entity::Relation => "related_items",
            Entity::Webhook => "webhooks",
            Entity::File => "files",
        }
    }
}

impl std::fmt::Display for Entity {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

/// The error of parsing an [`Entity`] from an unknown name.
///
/// ```
/// assert!("unicorns".parse::<copper_crm_sim::Entity>().is_err());
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UnknownEntity(pub String);

impl std::fmt::Display for UnknownEntity {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "unknown entity {:?}", self.0)
    }
}

impl std::error::Error for UnknownEntity {}

impl std::str::FromStr for Entity {
    type Err = UnknownEntity;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Entity::ALL
            .into_iter()
            .find(|e| e.name() == s)
            .ok_or_else(|| UnknownEntity(s.to_string()))
    }
}

/// The six core record types plus activities: the records with a schema, custom fields and search.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub(crate) enum Kind {
    Lead,
    Person,
    Company,
    Opportunity,
    Project,
    Task,
    Activity,
}

impl Kind {
    /// Every kind, indexable by [`Kind::index`].
    pub(crate) const ALL: [Kind; 7] = [
        Kind::Lead,
        Kind::Person,
        Kind::Company,
        Kind::Opportunity,
        Kind::Project,
        Kind::Task,
        Kind::Activity,
    ];

    /// The six kinds that carry custom fields, tags and related items.
    pub(crate) const CORE: [Kind; 6] = [
        Kind::Lead,
        Kind::Person,
        Kind::Company,
        Kind::Opportunity,
        Kind::Project,
        Kind::Task,
    ];

    pub(crate) fn index(self) -> usize {
        self as usize
    }

    /// The singular type name used in bodies (`resource.type`, `parent.type`, `available_on`).
    pub(crate) fn singular(self) -> &'static str {
        match self {
            Kind::Lead => "lead",
            Kind::Person => "person",
            Kind::Company => "company",
            Kind::Opportunity => "opportunity",
            Kind::Project => "project",
            Kind::Task => "task",
            Kind::Activity => "activity",
        }
    }

    /// The plural path segment.
    pub(crate) fn plural(self) -> &'static str {
        match self {
            Kind::Lead => "leads",
            Kind::Person => "people",
            Kind::Company => "companies",
            Kind::Opportunity => "opportunities",
            Kind::Project => "projects",
            Kind::Task => "tasks",
            Kind::Activity => "activities",
        }
    }

    /// The webhook subscription `type`.
    pub(crate) fn webhook_type(self) -> &'static str {
        match self {
            Kind::Activity => "activity_log",
            other => other.singular(),
        }
    }

    pub(crate) fn from_singular(s: &str) -> Option<Kind> {
        Kind::ALL.into_iter().find(|k| k.singular() == s)
    }

    pub(crate) fn from_plural(s: &str) -> Option<Kind> {
        Kind::ALL.into_iter().find(|k| k.plural() == s)
    }

    pub(crate) fn entity(self) -> Entity {
        match self {
            Kind::Lead => Entity::Lead,
            Kind::Person => Entity::Person,
            Kind::Company => Entity::Company,
            Kind::Opportunity => Entity::Opportunity,
            Kind::Project => Entity::Project,
            Kind::Task => Entity::Task,
            Kind::Activity => Entity::Activity,
        }
    }
}
