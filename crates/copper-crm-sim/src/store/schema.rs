//! The fields of every record kind, how requests may write them, and which fields each
//! operation's response carries (its "view").
//!
//! Views follow the doc examples exactly: for each operation the response carries the keys of
//! the newest documented example of that operation, in the same order. Fields Copper added after
//! an example was written (`Company.primary_contact_id`, `Opportunity.pipeline_type` and
//! `pipeline_is_revenue`) are carried everywhere.

use std::sync::LazyLock;

use super::val::ContactKind;
use crate::entity::Kind;

/// What a stored id refers to; checked when a request writes it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Ref {
    User,
    ContactType,
    CustomerSource,
    LeadStatus,
    LossReason,
    Pipeline,
    PipelineStage,
    Person,
    Company,
}

impl Ref {
    pub(crate) fn noun(self) -> &'static str {
        match self {
            Ref::User => "user",
            Ref::ContactType => "contact type",
            Ref::CustomerSource => "customer source",
            Ref::LeadStatus => "lead status",
            Ref::LossReason => "loss reason",
            Ref::Pipeline => "pipeline",
            Ref::PipelineStage => "pipeline stage",
            Ref::Person => "person",
            Ref::Company => "company",
        }
    }
}

/// The JSON type of a field and how it is validated.
#[derive(Clone, Copy, Debug)]
pub(crate) enum Ty {
    /// A required, non-empty string.
    Name,
    /// A string or null.
    Text,
    /// An id of another record, or null. Digit strings are accepted (a documented sample sends one).
    Id(Ref),
    /// A non-null integer counter.
    Count,
    /// A number or null.
    Number,
    /// Unix seconds or null.
    Time,
    /// One of a fixed set of strings (case-insensitive on input); never null.
    Choice(&'static [&'static str]),
    /// One of a fixed set of strings, or null.
    NullableChoice(&'static [&'static str]),
    /// An integer 0..=100.
    Percent,
    /// A list of tag strings.
    Tags,
    /// A list of `{<key>, category}` objects.
    Contacts(ContactKind),
    /// A lead's single `{email, category}` object, or null.
    LeadEmail,
    /// `{street, city, state, postal_code, country}` or null.
    Address,
    /// `{id, type}` of one of `kinds`; `never_null` renders an unset value as `{id:null,type:null}`.
    Related {
        kinds: &'static [Kind],
        never_null: bool,
    },
    /// An opportunity close date string `M/D/YYYY`, or null.
    CloseDate,
    /// An activity's `parent` `{id, type}`.
    ActivityParent,
    /// An activity's `type` `{id, category}`.
    ActivityType,
    /// A lead's status name (resolved against the lead statuses).
    LeadStatusName,
    /// Any JSON.
    Json,
    /// A read-only JSON list, empty by default (`leads_converted_from`).
    List,
}

/// How requests may write a field.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Access {
    /// Create and update.
    Write,
    /// Create only; ignored on update.
    CreateOnly,
    /// Known but read-only: accepted in bodies and ignored (clients round-trip whole records).
    ReadOnly,
    /// Stored for search and sort; never rendered and unknown to requests.
    Internal,
}

/// One stored field.
#[derive(Clone, Copy, Debug)]
pub(crate) struct FieldDef {
    pub name: &'static str,
    pub ty: Ty,
    pub access: Access,
}

const fn w(name: &'static str, ty: Ty) -> FieldDef {
    FieldDef {
        name,
        ty,
        access: Access::Write,
    }
}

const fn co(name: &'static str, ty: Ty) -> FieldDef {
    FieldDef {
        name,
        ty,
        access: Access::CreateOnly,
    }
}

const fn ro(name: &'static str, ty: Ty) -> FieldDef {
    FieldDef {
        name,
        ty,
        access: Access::ReadOnly,
    }
}

const fn internal(name: &'static str, ty: Ty) -> FieldDef {
    FieldDef {
        name,
        ty,
        access: Access::Internal,
    }
}

pub(crate) const OPPORTUNITY_STATUSES: &[&str] = &["Open", "Won", "Lost", "Abandoned"];
pub(crate) const PRIORITIES: &[&str] = &["None", "Low", "Medium", "High"];
pub(crate) const OPEN_COMPLETED: &[&str] = &["Open", "Completed"];
const RELATABLE_BY_PROJECT: &[Kind] = &[Kind::Company, Kind::Person, Kind::Opportunity, Kind::Task];
const RELATABLE_BY_TASK: &[Kind] = &[
    Kind::Company,
    Kind::Person,
    Kind::Opportunity,
    Kind::Lead,
    Kind::Project,
];

const NAME_PARTS: [FieldDef; 6] = [
    w("name", Ty::Name),
    ro("prefix", Ty::Text),
    ro("first_name", Ty::Text),
    ro("middle_name", Ty::Text),
    ro("last_name", Ty::Text),
    ro("suffix", Ty::Text),
];

static PERSON: &[FieldDef] = &[
    NAME_PARTS[0],
    NAME_PARTS[1],
    NAME_PARTS[2],
    NAME_PARTS[3],
    NAME_PARTS[4],
    NAME_PARTS[5],
    w("address", Ty::Address),
    w("assignee_id", Ty::Id(Ref::User)),
    co("company_id", Ty::Id(Ref::Company)),
    w("contact_type_id", Ty::Id(Ref::ContactType)),
    w("details", Ty::Text),
    w("emails", Ty::Contacts(ContactKind::Email)),
    w("phone_numbers", Ty::Contacts(ContactKind::Phone)),
    w("socials", Ty::Contacts(ContactKind::Social)),
    w("tags", Ty::Tags),
    w("title", Ty::Text),
    w("websites", Ty::Contacts(ContactKind::Website)),
    ro("date_last_contacted", Ty::Time),
    ro("interaction_count", Ty::Count),
    ro("leads_converted_from", Ty::List),
    ro("date_lead_created", Ty::Time),
];

static LEAD: &[FieldDef] = &[
    NAME_PARTS[0],
    NAME_PARTS[1],
    NAME_PARTS[2],
    NAME_PARTS[3],
    NAME_PARTS[4],
    NAME_PARTS[5],
    w("address", Ty::Address),
    w("assignee_id", Ty::Id(Ref::User)),
    w("company_name", Ty::Text),
    w("customer_source_id", Ty::Id(Ref::CustomerSource)),
    w("details", Ty::Text),
    w("email", Ty::LeadEmail),
    ro("interaction_count", Ty::Count),
    w("monetary_value", Ty::Number),
    w("socials", Ty::Contacts(ContactKind::Social)),
    w("status", Ty::LeadStatusName),
    w("status_id", Ty::Id(Ref::LeadStatus)),
    w("tags", Ty::Tags),
    w("title", Ty::Text),
    w("websites", Ty::Contacts(ContactKind::Website)),
    w("phone_numbers", Ty::Contacts(ContactKind::Phone)),
    ro("date_last_contacted", Ty::Time),
    ro("converted_opportunity_id", Ty::Time),
    ro("converted_contact_id", Ty::Time),
    ro("converted_at", Ty::Time),
    internal("date_status_changed", Ty::Time),
];

static COMPANY: &[FieldDef] = &[
    w("name", Ty::Name),
    w("address", Ty::Address),
    w("assignee_id", Ty::Id(Ref::User)),
    w("contact_type_id", Ty::Id(Ref::ContactType)),
    w("details", Ty::Text),
    w("email_domain", Ty::Text),
    w("phone_numbers", Ty::Contacts(ContactKind::Phone)),
    w("primary_contact_id", Ty::Id(Ref::Person)),
    w("socials", Ty::Contacts(ContactKind::Social)),
    w("tags", Ty::Tags),
    w("websites", Ty::Contacts(ContactKind::Website)),
    ro("interaction_count", Ty::Count),
    internal("date_last_contacted", Ty::Time),
];

static OPPORTUNITY: &[FieldDef] = &[
    w("name", Ty::Name),
    w("assignee_id", Ty::Id(Ref::User)),
    w("close_date", Ty::CloseDate),
    w("company_id", Ty::Id(Ref::Company)),
    w("customer_source_id", Ty::Id(Ref::CustomerSource)),
    w("details", Ty::Text),
    w("loss_reason_id", Ty::Id(Ref::LossReason)),
    w("pipeline_id", Ty::Id(Ref::Pipeline)),
    w("pipeline_stage_id", Ty::Id(Ref::PipelineStage)),
    w("primary_contact_id", Ty::Id(Ref::Person)),
    w("priority", Ty::NullableChoice(PRIORITIES)),
    w("status", Ty::Choice(OPPORTUNITY_STATUSES)),
    w("tags", Ty::Tags),
    ro("interaction_count", Ty::Count),
    w("monetary_value", Ty::Number),
    ro("converted_unit", Ty::Text),
    ro("converted_value", Ty::Number),
    w("win_probability", Ty::Percent),
    ro("date_stage_changed", Ty::Time),
    ro("date_last_contacted", Ty::Time),
    ro("leads_converted_from", Ty::List),
    ro("date_lead_created", Ty::Time),
];

static PROJECT: &[FieldDef] = &[
    w("name", Ty::Name),
    w(
        "related_resource",
        Ty::Related {
            kinds: RELATABLE_BY_PROJECT,
            never_null: false,
        },
    ),
    w("assignee_id", Ty::Id(Ref::User)),
    w("status", Ty::Choice(OPEN_COMPLETED)),
    w("details", Ty::Text),
    w("tags", Ty::Tags),
];

static TASK: &[FieldDef] = &[
    w("name", Ty::Name),
    w(
        "related_resource",
        Ty::Related {
            kinds: RELATABLE_BY_TASK,
            never_null: true,
        },
    ),
    w("assignee_id", Ty::Id(Ref::User)),
    w("due_date", Ty::Time),
    w("reminder_date", Ty::Time),
    ro("completed_date", Ty::Time),
    w("priority", Ty::Choice(PRIORITIES)),
    w("status", Ty::Choice(OPEN_COMPLETED)),
    w("details", Ty::Text),
    w("tags", Ty::Tags),
    ro("custom_activity_type_id", Ty::Count),
];

static ACTIVITY: &[FieldDef] = &[
    co("parent", Ty::ActivityParent),
    co("type", Ty::ActivityType),
    ro("user_id", Ty::Id(Ref::User)),
    w("details", Ty::Text),
    w("activity_date", Ty::Time),
    ro("old_value", Ty::Json),
    ro("new_value", Ty::Json),
];

/// The fields of one record kind.
#[derive(Debug)]
pub(crate) struct Schema {
    pub kind: Kind,
    pub fields: &'static [FieldDef],
}

impl Schema {
    /// The index of a stored field; panics on a name the schema does not have (a bug).
    pub(crate) fn idx(&self, name: &str) -> usize {
        self.find(name)
            .unwrap_or_else(|| panic!("{} has no field {name}", self.kind.plural()))
    }

    pub(crate) fn find(&self, name: &str) -> Option<usize> {
        self.fields.iter().position(|f| f.name == name)
    }

    /// Whether a request body may name this attribute.
    pub(crate) fn knows(&self, name: &str) -> bool {
        matches!(
            name,
            "id" | "date_created" | "date_modified" | "custom_fields"
        ) || self
            .fields
            .iter()
            .any(|f| f.name == name && f.access != Access::Internal)
            || match self.kind {
                Kind::Person => name == "company_name",
                Kind::Lead => name == "monetary_unit",
                Kind::Opportunity => matches!(
                    name,
                    "company_name" | "pipeline_type" | "pipeline_is_revenue" | "monetary_unit"
                ),
                _ => false,
            }
    }
}

static SCHEMAS: [Schema; 7] = [
    Schema {
        kind: Kind::Lead,
        fields: LEAD,
    },
    Schema {
        kind: Kind::Person,
        fields: PERSON,
    },
    Schema {
        kind: Kind::Company,
        fields: COMPANY,
    },
    Schema {
        kind: Kind::Opportunity,
        fields: OPPORTUNITY,
    },
    Schema {
        kind: Kind::Project,
        fields: PROJECT,
    },
    Schema {
        kind: Kind::Task,
        fields: TASK,
    },
    Schema {
        kind: Kind::Activity,
        fields: ACTIVITY,
    },
];

/// The schema of a kind.
pub(crate) fn schema(kind: Kind) -> &'static Schema {
    &SCHEMAS[kind.index()]
}

/// Where a rendered key's value comes from.
#[derive(Clone, Copy, Debug)]
pub(crate) enum Slot {
    Id,
    Created,
    Modified,
    CustomFields,
    Field(usize),
    /// `company_name` derived from the stored `company_id` (people and opportunities).
    CompanyName(usize),
    /// The opportunity's pipeline `type`.
    PipelineType(usize),
    /// The opportunity's pipeline `is_revenue`.
    PipelineIsRevenue(usize),
    /// The account currency when the stored monetary value (at the index) is set, else null.
    MonetaryUnit(usize),
}

/// The keys of one response shape, in order.
pub(crate) type View = Vec<(&'static str, Slot)>;

/// The response shapes; see [`view_for`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Shape {
    /// The shape of a single create response.
    Created,
    /// The shape of a fetch by id.
    Fetched,
    /// The richest shape (search results and bulk responses).
    Full,
    /// A converted lead in a search with `include_converted_leads`.
    Converted,
}

/// Which operation a record is rendered for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Op {
    Create,
    Get,
    Update,
    Search,
    BulkCreate,
    BulkUpdate,
    Upsert,
    Convert,
    FetchByEmail,
}

/// The response shape of an operation on a kind, matching the doc examples of that operation.
pub(crate) fn view_for(kind: Kind, op: Op) -> &'static View {
    let shape = match (kind, op) {
        (Kind::Person, Op::Create) => Shape::Created,
        (Kind::Person, Op::Get | Op::Update | Op::FetchByEmail | Op::Convert) => Shape::Fetched,
        (Kind::Lead, Op::Get) => Shape::Fetched,
        (Kind::Lead, Op::Create | Op::BulkCreate) => Shape::Created,
        (Kind::Opportunity, Op::Get | Op::Update | Op::Convert) => Shape::Fetched,
        (Kind::Opportunity, Op::Create) => Shape::Created,
        (Kind::Task, Op::Search) => Shape::Full,
        (Kind::Task, _) => Shape::Fetched,
        _ => Shape::Full,
    };
    view(kind, shape)
}

/// The view of a kind and shape.
pub(crate) fn view(kind: Kind, shape: Shape) -> &'static View {
    static VIEWS: LazyLock<Vec<[View; 4]>> = LazyLock::new(|| {
        Kind::ALL
            .iter()
            .map(|&kind| {
                [
                    Shape::Created,
                    Shape::Fetched,
                    Shape::Full,
                    Shape::Converted,
                ]
                .map(|shape| build_view(kind, keys(kind, shape)))
            })
            .collect()
    });
    let i = match shape {
        Shape::Created => 0,
        Shape::Fetched => 1,
        Shape::Full => 2,
        Shape::Converted => 3,
    };
    &VIEWS[kind.index()][i]
}

fn keys(kind: Kind, shape: Shape) -> Vec<&'static str> {
    let split = |s: &'static str| s.split_whitespace().collect::<Vec<_>>();
    match kind {
        Kind::Person => {
            let base = "id name prefix first_name middle_name last_name suffix address assignee_id \
                        company_id company_name contact_type_id details emails phone_numbers socials \
                        tags title websites custom_fields date_created date_modified";
            let mut k = split(base);
            match shape {
                Shape::Created => {}
                Shape::Fetched => k.push("interaction_count"),
                Shape::Full | Shape::Converted => k.extend(split(
                    "date_last_contacted interaction_count leads_converted_from date_lead_created",
                )),
            }
            k
        }
        Kind::Lead => {
            let head = "id name prefix first_name last_name middle_name suffix address assignee_id \
                        company_name customer_source_id details email";
            let tail = "monetary_value socials status status_id tags title websites phone_numbers \
                        custom_fields date_created date_modified";
            let mut k = split(head);
            match shape {
                Shape::Fetched => k.extend(split(tail)),
                Shape::Created => {
                    k.push("interaction_count");
                    k.extend(split(tail));
                    k.push("date_last_contacted");
                }
                Shape::Full => {
                    k.extend(split("interaction_count monetary_unit"));
                    k.extend(split(tail));
                    k.push("date_last_contacted");
                }
                // The only example of a converted lead (leads search "basic") has no
                // monetary_unit.
                Shape::Converted => {
                    k.push("interaction_count");
                    k.extend(split(tail));
                    k.extend(split(
                        "date_last_contacted converted_opportunity_id converted_contact_id converted_at",
                    ));
                }
            }
            k
        }
        Kind::Company => split(
            "id name address assignee_id contact_type_id details email_domain phone_numbers \
             primary_contact_id socials tags websites custom_fields interaction_count date_created \
             date_modified",
        ),
        Kind::Opportunity => {
            let head = "id name assignee_id close_date company_id company_name customer_source_id \
                        details loss_reason_id pipeline_id pipeline_is_revenue pipeline_stage_id \
                        pipeline_type primary_contact_id priority status tags interaction_count";
            let mut k = split(head);
            match shape {
                Shape::Fetched => k.extend(split(
                    "monetary_value win_probability date_created date_modified custom_fields",
                )),
                Shape::Created => k.extend(split(
                    "monetary_value win_probability date_last_contacted leads_converted_from \
                     date_created date_modified custom_fields",
                )),
                Shape::Full | Shape::Converted => k.extend(split(
                    "monetary_unit monetary_value converted_unit converted_value win_probability \
                     date_stage_changed date_last_contacted leads_converted_from date_lead_created \
                     date_created date_modified custom_fields",
                )),
            }
            k
        }
        Kind::Project => split(
            "id name related_resource assignee_id status details tags custom_fields date_created \
             date_modified",
        ),
        Kind::Task => {
            let mut k = split(
                "id name related_resource assignee_id due_date reminder_date completed_date \
                 priority status details tags custom_fields date_created date_modified",
            );
            if matches!(shape, Shape::Full | Shape::Converted) {
                k.push("custom_activity_type_id");
            }
            k
        }
        Kind::Activity => split(
            "id parent type user_id details activity_date old_value new_value date_created \
             date_modified",
        ),
    }
}

fn build_view(kind: Kind, keys: Vec<&'static str>) -> View {
    let s = schema(kind);
    keys.into_iter()
        .map(|key| {
            let slot = match key {
                "id" => Slot::Id,
                "date_created" => Slot::Created,
                "date_modified" => Slot::Modified,
                "custom_fields" => Slot::CustomFields,
                "company_name" if matches!(kind, Kind::Person | Kind::Opportunity) => {
                    Slot::CompanyName(s.idx("company_id"))
                }
                "pipeline_type" => Slot::PipelineType(s.idx("pipeline_id")),
                "pipeline_is_revenue" => Slot::PipelineIsRevenue(s.idx("pipeline_id")),
                "monetary_unit" => Slot::MonetaryUnit(s.idx("monetary_value")),
                other => Slot::Field(s.idx(other)),
            };
            (key, slot)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_view_resolves() {
        for kind in Kind::ALL {
            for shape in [
                Shape::Created,
                Shape::Fetched,
                Shape::Full,
                Shape::Converted,
            ] {
                assert!(!view(kind, shape).is_empty());
            }
        }
    }
}
