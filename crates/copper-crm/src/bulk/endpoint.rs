//! Which operations a bulk job of each record type uses.

/// Create or update.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Action {
    Create,
    Update,
}

/// The attribute that identifies a record of this type, used to find out
/// whether an ambiguous create was applied.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum NaturalKey {
    /// No unique attribute: an ambiguous create stays `Unknown`.
    None,
    /// People: every email is unique across people (`people_fetch_by_email`).
    PersonEmail,
    /// Leads: the email, if the caller opts into upsert-by-email.
    LeadEmail,
    /// Companies: `email_domain` is unique across companies (`companies_search`).
    CompanyDomain,
}

impl NaturalKey {
    /// The attribute a uniqueness conflict is reported on.
    pub(crate) fn field(self) -> Option<&'static str> {
        match self {
            NaturalKey::PersonEmail => Some("emails"),
            NaturalKey::CompanyDomain => Some("email_domain"),
            NaturalKey::LeadEmail | NaturalKey::None => None,
        }
    }
}

/// The operations of one record type.
#[derive(Debug)]
pub(crate) struct Endpoint {
    /// The path segment (`people`), also the key of the list in bulk bodies.
    pub(crate) path: &'static str,
    pub(crate) bulk_create: Option<&'static str>,
    pub(crate) bulk_update: Option<&'static str>,
    pub(crate) create: &'static str,
    pub(crate) update: &'static str,
    /// Whether the operations take `custom_field_computed_values`.
    pub(crate) computed: bool,
    pub(crate) key: NaturalKey,
}

impl Endpoint {
    /// The bulk operation for `action`, if Copper has one.
    pub(crate) fn bulk_operation(&self, action: Action) -> Option<&'static str> {
        match action {
            Action::Create => self.bulk_create,
            Action::Update => self.bulk_update,
        }
    }

    /// The single-record operation for `action`.
    pub(crate) fn single_operation(&self, action: Action) -> &'static str {
        match action {
            Action::Create => self.create,
            Action::Update => self.update,
        }
    }
}

pub(crate) static PEOPLE: Endpoint = Endpoint {
    path: "people",
    bulk_create: Some("people_bulk_create"),
    bulk_update: Some("people_bulk_update"),
    create: "people_create",
    update: "people_update",
    computed: true,
    key: NaturalKey::PersonEmail,
};

pub(crate) static LEADS: Endpoint = Endpoint {
    path: "leads",
    bulk_create: Some("leads_bulk_create"),
    bulk_update: Some("leads_bulk_update"),
    create: "leads_create",
    update: "leads_update",
    computed: true,
    key: NaturalKey::LeadEmail,
};

/// Companies' bulk endpoints are inferred from Copper's changelog (see the
/// spec); if Copper answers 404/405 the job falls back to single requests.
pub(crate) static COMPANIES: Endpoint = Endpoint {
    path: "companies",
    bulk_create: Some("companies_bulk_create"),
    bulk_update: Some("companies_bulk_update"),
    create: "companies_create",
    update: "companies_update",
    computed: true,
    key: NaturalKey::CompanyDomain,
};

pub(crate) static OPPORTUNITIES: Endpoint = Endpoint {
    path: "opportunities",
    bulk_create: Some("opportunities_bulk_create"),
    bulk_update: None,
    create: "opportunities_create",
    update: "opportunities_update",
    computed: true,
    key: NaturalKey::None,
};

pub(crate) static ACTIVITIES: Endpoint = Endpoint {
    path: "activities",
    bulk_create: Some("activities_bulk_create"),
    bulk_update: None,
    create: "activities_create",
    update: "activities_update",
    computed: false,
    key: NaturalKey::None,
};

pub(crate) static PROJECTS: Endpoint = Endpoint {
    path: "projects",
    bulk_create: None,
    bulk_update: None,
    create: "projects_create",
    update: "projects_update",
    computed: true,
    key: NaturalKey::None,
};

pub(crate) static TASKS: Endpoint = Endpoint {
    path: "tasks",
    bulk_create: None,
    bulk_update: None,
    create: "tasks_create",
    update: "tasks_update",
    computed: true,
    key: NaturalKey::None,
};

#[cfg(test)]
mod tests {
    use super::*;

    /// Every bulk operation of the spec has an endpoint here, and every
    /// operation named here exists in the generated client.
    #[test]
    fn every_bulk_operation_of_the_spec_is_covered() {
        let spec = include_str!("../../../../spec/copper.yaml");
        let mut in_spec: Vec<&str> = spec
            .lines()
            .filter_map(|l| l.trim().strip_prefix("operationId: "))
            .filter(|op| op.contains("_bulk_"))
            .collect();
        in_spec.sort();
        let all = [
            &PEOPLE,
            &LEADS,
            &COMPANIES,
            &OPPORTUNITIES,
            &ACTIVITIES,
            &PROJECTS,
            &TASKS,
        ];
        let mut covered: Vec<&str> = all
            .iter()
            .flat_map(|e| [e.bulk_create, e.bulk_update])
            .flatten()
            .collect();
        covered.sort();
        assert_eq!(in_spec, covered);
        for e in all {
            for op in [e.create, e.update]
                .into_iter()
                .chain(e.bulk_create)
                .chain(e.bulk_update)
            {
                assert!(
                    spec.contains(&format!("operationId: {op}\n")),
                    "{op} is not in the spec"
                );
                assert!(op.starts_with(e.path), "{op} is not a {} operation", e.path);
            }
            for (op, suffix) in [
                (e.bulk_create, "bulk_create"),
                (e.bulk_update, "bulk_update"),
            ] {
                if op.is_some() {
                    assert!(
                        spec.contains(&format!("\n  /{}/{suffix}:\n", e.path)),
                        "no path /{}/{suffix}",
                        e.path
                    );
                }
            }
        }
    }
}
