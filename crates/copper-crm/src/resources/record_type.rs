//! [`RecordType`]: the six core record types, and how Copper names them in
//! each place.

use std::fmt;

use copper_crm_raw::types;

use crate::Error;

/// One of Copper's six core record types (the ones with custom fields,
/// related items, files and field layouts).
///
/// Copper spells them differently in different places: plural path segments
/// (`people`), singular body values (`person`), and the connect-field
/// source types (`people` but `company`). The methods below give each.
///
/// ```
/// use copper_crm::RecordType;
/// assert_eq!(RecordType::Person.plural(), "people");
/// assert_eq!(RecordType::Person.singular(), "person");
/// assert_eq!("opportunity".parse::<RecordType>().unwrap(), RecordType::Opportunity);
/// assert_eq!("companies".parse::<RecordType>().unwrap(), RecordType::Company);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum RecordType {
    /// Leads.
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
}

impl RecordType {
    /// Every record type.
    ///
    /// ```
    /// assert_eq!(copper_crm::RecordType::ALL.len(), 6);
    /// ```
    pub const ALL: [RecordType; 6] = [
        RecordType::Lead,
        RecordType::Person,
        RecordType::Company,
        RecordType::Opportunity,
        RecordType::Project,
        RecordType::Task,
    ];

    /// The plural path segment, e.g. `people`.
    ///
    /// ```
    /// assert_eq!(copper_crm::RecordType::Company.plural(), "companies");
    /// ```
    pub fn plural(self) -> &'static str {
        match self {
            RecordType::Lead => "leads",
            RecordType::Person => "people",
            RecordType::Company => "companies",
            RecordType::Opportunity => "opportunities",
            RecordType::Project => "projects",
            RecordType::Task => "tasks",
        }
    }

    /// The singular name used in bodies (`resource.type`, `parent.type`),
    /// e.g. `person`.
    ///
    /// ```
    /// assert_eq!(copper_crm::RecordType::Opportunity.singular(), "opportunity");
    /// ```
    pub fn singular(self) -> &'static str {
        match self {
            RecordType::Lead => "lead",
            RecordType::Person => "person",
            RecordType::Company => "company",
            RecordType::Opportunity => "opportunity",
            RecordType::Project => "project",
            RecordType::Task => "task",
        }
    }

    /// The name a Connect field uses for this type (`source_type`,
    /// `entity_type`): `people` for people (plural), singular otherwise.
    /// Tasks cannot be connected.
    ///
    /// ```
    /// use copper_crm::RecordType;
    /// assert_eq!(RecordType::Person.connect_type(), "people");
    /// assert_eq!(RecordType::Lead.connect_type(), "lead");
    /// ```
    pub fn connect_type(self) -> &'static str {
        match self {
            RecordType::Person => "people",
            other => other.singular(),
        }
    }

    /// A reference to record `id` of this type, as related items take it.
    ///
    /// ```
    /// let item = copper_crm::RecordType::Task.item(7);
    /// assert_eq!((item.id, item.type_.as_str()), (7, "task"));
    /// ```
    pub fn item(self, id: i64) -> types::RelatedItem {
        types::RelatedItem {
            id,
            type_: self.singular().to_string(),
        }
    }

    /// The path segment of the files endpoints (tasks have no files).
    pub(crate) fn file_entity(self) -> Result<types::FileEntityType, Error> {
        Ok(match self {
            RecordType::Lead => types::FileEntityType::Leads,
            RecordType::Person => types::FileEntityType::People,
            RecordType::Company => types::FileEntityType::Companies,
            RecordType::Opportunity => types::FileEntityType::Opportunities,
            RecordType::Project => types::FileEntityType::Projects,
            RecordType::Task => {
                return Err(Error::InvalidInput(
                    "files: tasks cannot have files attached".into(),
                ));
            }
        })
    }
}

impl fmt::Display for RecordType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.singular())
    }
}

impl std::str::FromStr for RecordType {
    type Err = Error;

    /// Parse a singular or plural name (`person`, `people`, ...).
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        RecordType::ALL.into_iter().find(|t| t.singular() == s || t.plural() == s).ok_or_else(|| {
            Error::InvalidInput(format!(
                "unknown record type {s:?}: use lead, person, company, opportunity, project or task"
            ))
        })
    }
}

/// Converts a [`RecordType`] into each generated path-segment enum (they
/// all have the same six plural values).
macro_rules! plural_path_enum {
    ($($target:ident),*) => {$(
        impl From<RecordType> for types::$target {
            fn from(t: RecordType) -> Self {
                match t {
                    RecordType::Lead => types::$target::Leads,
                    RecordType::Person => types::$target::People,
                    RecordType::Company => types::$target::Companies,
                    RecordType::Opportunity => types::$target::Opportunities,
                    RecordType::Project => types::$target::Projects,
                    RecordType::Task => types::$target::Tasks,
                }
            }
        }
    )*};
}

plural_path_enum!(
    RelatedItemsListEntity,
    RelatedItemsAddEntity,
    RelatedItemsRemoveEntity,
    RelatedItemsListByTypeEntity,
    RelatedItemsListByTypeRelatedEntity,
    FieldLayoutEntityType
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip() {
        for t in RecordType::ALL {
            assert_eq!(t.plural().parse::<RecordType>().unwrap(), t);
            assert_eq!(t.singular().parse::<RecordType>().unwrap(), t);
            let path = serde_json::to_value(types::RelatedItemsListEntity::from(t)).unwrap();
            assert_eq!(path, t.plural());
            let layout = serde_json::to_value(types::FieldLayoutEntityType::from(t)).unwrap();
            assert_eq!(layout, t.plural());
        }
        assert!(
            "unicorn"
                .parse::<RecordType>()
                .unwrap_err()
                .to_string()
                .contains("unicorn")
        );
        assert!(RecordType::Task.file_entity().is_err());
        assert_eq!(
            serde_json::to_value(RecordType::Company.file_entity().unwrap()).unwrap(),
            "companies"
        );
    }
}
