//! `POST /{entity}/search`: paging, sorting, the result cap and every documented filter.

use std::cmp::Ordering;
use std::collections::{BTreeSet, HashSet, btree_set};

use serde_json::{Map, Value};

use super::dates::close_date_unix;
use super::schema::{OPEN_COMPLETED, OPPORTUNITY_STATUSES, PRIORITIES, schema};
use super::state::{DataType, Record, State, now};
use super::val::{RecordRef, Val};
use super::write::id_of;
use crate::entity::Kind;
use crate::error::ApiError;

/// Paging of a search body.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Paging {
    pub number: usize,
    pub size: usize,
}

/// Parse `page_number` (from 1, default 1) and `page_size` (1..=200, default 20).
pub(crate) fn paging(body: &Map<String, Value>) -> Result<Paging, ApiError> {
    let number = match body.get("page_number") {
        None | Some(Value::Null) => 1,
        Some(v) => match v.as_u64() {
            Some(n) if n >= 1 => n as usize,
            _ => {
                return Err(ApiError::invalid(
                    "page_number",
                    "must be an integer of at least 1",
                ));
            }
        },
    };
    let size = match body.get("page_size") {
        None | Some(Value::Null) => 20,
        Some(v) => match v.as_u64() {
            Some(n) if (1..=200).contains(&n) => n as usize,
            _ => {
                return Err(ApiError::invalid(
                    "page_size",
                    "must be an integer from 1 to 200",
                ));
            }
        },
    };
    Ok(Paging { number, size })
}

/// The page of `total` matches (of which only the first `cap` are reachable).
pub(crate) fn page_range(p: Paging, total: usize, cap: usize) -> std::ops::Range<usize> {
    let reachable = total.min(cap);
    let start = (p.number - 1).saturating_mul(p.size).min(reachable);
    let end = start.saturating_add(p.size).min(reachable);
    start..end
}

/// What a range filter compares.
#[derive(Clone, Copy, Debug)]
enum Target {
    Created,
    Modified,
    Field(usize),
    CloseDate(usize),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Match {
    Any,
    All,
    None,
}

/// One compiled filter.
#[derive(Debug)]
enum Pred {
    IdIn {
        i: usize,
        ids: Vec<i64>,
        none: bool,
    },
    Name {
        i: usize,
        needle: String,
        exact: bool,
    },
    Phone {
        i: usize,
        suffixes: Vec<String>,
    },
    Emails {
        i: usize,
        emails: Vec<String>,
    },
    Domains {
        i: usize,
        domains: Vec<String>,
    },
    Tags {
        i: usize,
        mode: Match,
        values: Vec<String>,
        allow_empty: bool,
    },
    Text {
        i: usize,
        part: &'static str,
        value: Option<String>,
        allow_empty: bool,
    },
    Socials {
        i: usize,
        urls: Vec<String>,
    },
    Range {
        target: Target,
        min: Option<f64>,
        max: Option<f64>,
    },
    Choices {
        i: usize,
        values: Vec<String>,
    },
    IdSet {
        set: HashSet<i64>,
        or_not_in: Option<HashSet<i64>>,
    },
    Nothing,
    Custom(CustomPred),
}

#[derive(Debug)]
struct CustomPred {
    def_id: i64,
    data_type: DataType,
    ids: Option<Vec<i64>>,
    mode: Match,
    flag: Option<bool>,
    allow_empty: bool,
    min: Option<f64>,
    max: Option<f64>,
}

/// A compiled search over one kind.
#[derive(Debug)]
pub(crate) struct Search {
    kind: Kind,
    pub paging: Paging,
    sort: SortBy,
    desc: bool,
    preds: Vec<Pred>,
    ids: Option<Vec<i64>>,
    created: (Option<i64>, Option<i64>),
    modified: (Option<i64>, Option<i64>),
    pub include_converted: bool,
}

/// The matches of a search: the page's records and the total number of matches.
pub(crate) struct Found<'a> {
    pub page: Vec<&'a Record>,
    pub total: usize,
}

fn bad(key: &str, msg: &str) -> ApiError {
    ApiError::invalid(key.to_string(), msg.to_string())
}

fn num(key: &str, v: &Value) -> Result<f64, ApiError> {
    v.as_f64().ok_or_else(|| bad(key, "must be a number"))
}

fn id_list(key: &str, v: &Value) -> Result<Vec<i64>, ApiError> {
    match v {
        Value::Array(items) => items
            .iter()
            .map(|x| id_of(x).ok_or_else(|| bad(key, "must be a list of integer ids")))
            .collect(),
        other => id_of(other)
            .map(|id| vec![id])
            .ok_or_else(|| bad(key, "must be a list of integer ids")),
    }
}

fn str_list(key: &str, v: &Value) -> Result<Vec<String>, ApiError> {
    match v {
        Value::String(s) => Ok(vec![s.to_ascii_lowercase()]),
        Value::Array(items) => items
            .iter()
            .map(|x| {
                x.as_str()
                    .map(str::to_ascii_lowercase)
                    .ok_or_else(|| bad(key, "must be a list of strings"))
            })
            .collect(),
        _ => Err(bad(key, "must be a string or a list of strings")),
    }
}

fn match_option(key: &str, v: Option<&Value>) -> Result<Match, ApiError> {
    match v
        .and_then(Value::as_str)
        .map(str::to_ascii_uppercase)
        .as_deref()
    {
        None => Ok(Match::Any),
        Some("ANY") => Ok(Match::Any),
        Some("ALL") => Ok(Match::All),
        Some("NONE") => Ok(Match::None),
        Some(_) => Err(bad(key, "option must be ANY, ALL or NONE")),
    }
}

fn digits(s: &str) -> String {
    s.chars().filter(char::is_ascii_digit).collect()
}

/// The suffixes a phone search matches: partial = the input; fuzzy = the input with 1..=6
/// leading digits stripped as long as 6 or more digits remain.
fn phone_suffixes(key: &str, v: &Value) -> Result<Vec<String>, ApiError> {
    let (raw, mode) = match v {
        Value::String(s) => (s.as_str(), None),
        Value::Object(m) => (
            m.get("value")
                .and_then(Value::as_str)
                .ok_or_else(|| bad(key, "value must be a string"))?,
            m.get("match").and_then(Value::as_str),
        ),
        _ => return Err(bad(key, "must be a string or {value, match}")),
    };
    let d = digits(raw);
    if d.is_empty() {
        return Err(bad(key, "must contain digits"));
    }
    let fuzzy = match mode {
        Some("partial") => false,
        Some("fuzzy") => d.len() > 6,
        Some(_) => return Err(bad(key, "match must be partial or fuzzy")),
        None => d.len() > 6,
    };
    let mut out = vec![d.clone()];
    if fuzzy {
        for k in 1..=6 {
            if d.len() - k >= 6 {
                out.push(d[k..].to_string());
            }
        }
    }
    Ok(out)
}

#[derive(Clone, Copy, Debug)]
enum Filter {
    Ids,
    IdIn(&'static str, bool),
    Name(bool),
    Phone,
    Emails,
    Domains,
    Tags,
    Text(&'static str),
    Country,
    Socials,
    Followed,
    Age,
    Range(RangeOf, bool),
    ChoiceIds(&'static str, &'static [&'static str]),
    Choices(&'static str),
    Related(Kind, bool),
    Custom,
    IncludeConverted,
}

#[derive(Clone, Copy, Debug)]
enum RangeOf {
    Created,
    Modified,
    Field(&'static str),
    CloseDate,
}

fn filter_for(kind: Kind, key: &str) -> Option<Filter> {
    use Filter::*;
    use Kind::*;
    let range = |key: &str| -> Option<(&'static str, bool)> {
        let (min, rest) = if let Some(r) = key.strip_prefix("minimum_") {
            (true, r)
        } else {
            (false, key.strip_prefix("maximum_")?)
        };
        Some((
            match rest {
                "created_date" => "created",
                "modified_date" => "modified",
                "interaction_count" => "interaction_count",
                "interaction_date" => "date_last_contacted",
                "monetary_value" => "monetary_value",
                "status_change_date" => "date_status_changed",
                "stage_change_date" => "date_stage_changed",
                "close_date" => "close_date",
                "due_date" => "due_date",
                _ => return None,
            },
            min,
        ))
    };
    if let Some((field, min)) = range(key) {
        let of = match (kind, field) {
            (_, "created") => RangeOf::Created,
            (_, "modified") => RangeOf::Modified,
            (
                Person | Lead | Company | Opportunity,
                "interaction_count" | "date_last_contacted",
            ) => RangeOf::Field(field),
            (Lead | Opportunity, "monetary_value") => RangeOf::Field(field),
            (Lead, "date_status_changed") => RangeOf::Field(field),
            (Opportunity, "date_stage_changed") => RangeOf::Field(field),
            (Opportunity, "close_date") => RangeOf::CloseDate,
            (Task, "due_date") => RangeOf::Field(field),
            _ => return None,
        };
        return Some(Range(of, min));
    }
    Some(match (kind, key) {
        (_, "ids") => Ids,
        (_, "tags") => Tags,
        (_, "custom_fields") => Custom,
        (_, "followed") => Followed,
        (_, "assignee_ids") => IdIn("assignee_id", true),
        (Opportunity, "name") => Name(true),
        (_, "name") => Name(false),
        (Person | Lead | Company, "phone_number") => Phone,
        (Person | Lead, "emails") => Emails,
        (Company, "email_domains") => Domains,
        (Person | Lead | Company, "city") => Text("city"),
        (Person | Lead | Company, "state") => Text("state"),
        (Person | Lead | Company, "postal_code") => Text("postal_code"),
        (Person | Lead | Company, "country") => Country,
        (Person | Lead | Company, "socials") => Socials,
        (Person | Lead | Company, "age") => Age,
        (Person | Company, "contact_type_ids") => IdIn("contact_type_id", false),
        (Person, "company_ids" | "company_id") => IdIn("company_id", true),
        (Person, "opportunity_ids") => Related(Opportunity, false),
        (Lead, "status_ids") => IdIn("status_id", false),
        (Lead | Opportunity, "customer_source_ids") => IdIn("customer_source_id", true),
        (Lead, "include_converted_leads") => IncludeConverted,
        (Opportunity, "status_ids") => ChoiceIds("status", OPPORTUNITY_STATUSES),
        (Opportunity, "statuses") => Choices("status"),
        (Opportunity, "priority_ids") => ChoiceIds("priority", PRIORITIES),
        (Opportunity, "priorities") => Choices("priority"),
        (Opportunity, "pipeline_ids") => IdIn("pipeline_id", false),
        (Opportunity, "pipeline_stage_ids") => IdIn("pipeline_stage_id", false),
        (Opportunity, "primary_contact_ids") => IdIn("primary_contact_id", true),
        (Opportunity, "loss_reason_ids") => IdIn("loss_reason_id", true),
        (Opportunity, "company_ids") => IdIn("company_id", true),
        (Project, "status_ids") => ChoiceIds("status", OPEN_COMPLETED),
        (Project | Task, "statuses") => Choices("status"),
        (Task, "opportunity_ids") => Related(Opportunity, false),
        (Task, "project_ids") => Related(Project, true),
        _ => return None,
    })
}

/// How results are ordered.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum SortBy {
    Field(usize),
    Created,
    Modified,
    FirstContact(usize),
    Addr(usize, &'static str),
    UserName(usize),
    ContactTypeName(usize),
    SourceName(usize),
    CompanyName(usize),
    PersonName(usize, u8),
    StageRank(usize),
    PriorityRank(usize),
    CloseDate(usize),
    NewestFirst(usize),
    RelatedName(usize),
}

fn sort_for(kind: Kind, key: &str) -> Option<SortBy> {
    use Kind::*;
    use SortBy::*;
    let s = schema(kind);
    let f = |name: &str| s.idx(name);
    let addr = |part| Addr(f("address"), part);
    Some(match (kind, key) {
        (_, "date_created") => Created,
        (_, "date_modified") => Modified,
        (Person | Lead | Company | Opportunity | Project | Task, "name") => Field(f("name")),
        (Person | Lead, "first_name" | "last_name" | "title") => Field(f(key)),
        (Person, "email") => FirstContact(f("emails")),
        (Lead, "email") => FirstContact(f("email")),
        (Person | Lead | Company, "phone") => FirstContact(f("phone_numbers")),
        (Person | Lead | Company, "city" | "state" | "country") => addr(match key {
            "city" => "city",
            "state" => "state",
            _ => "country",
        }),
        (Person | Lead | Company, "zip") => addr("postal_code"),
        (Lead, "company_name") => Field(f("company_name")),
        (Lead | Opportunity, "value") => Field(f("monetary_value")),
        (Lead, "inactive_days") => NewestFirst(f("date_last_contacted")),
        (Company, "contact") => PersonName(f("primary_contact_id"), 0),
        (Company, "contact_first_name") => PersonName(f("primary_contact_id"), 1),
        (Company, "contact_last_name") => PersonName(f("primary_contact_id"), 2),
        (Company, "email_domain") => Field(f("email_domain")),
        (Company | Opportunity, "assignee") => UserName(f("assignee_id")),
        (Company, "contact_group") => ContactTypeName(f("contact_type_id")),
        (Company | Opportunity, "last_interaction") => Field(f("date_last_contacted")),
        (Company | Opportunity, "interaction_count") => Field(f("interaction_count")),
        (Company, "primary_website") => FirstContact(f("websites")),
        (Opportunity, "account" | "company_name") => CompanyName(f("company_id")),
        (Opportunity, "customer_source_id") => Field(f("customer_source_id")),
        (Opportunity, "source") => SourceName(f("customer_source_id")),
        (Opportunity, "contact") => PersonName(f("primary_contact_id"), 0),
        (Opportunity, "stage") => StageRank(f("pipeline_stage_id")),
        (Opportunity | Project | Task, "status") => Field(f("status")),
        (Opportunity, "close_date") => CloseDate(f("close_date")),
        (Opportunity | Task, "priority") => PriorityRank(f("priority")),
        (Opportunity, "deal_last_stage") => Field(f("date_stage_changed")),
        (Opportunity, "win_probability") => Field(f("win_probability")),
        (Project | Task, "assigned_to") => UserName(f("assignee_id")),
        (Project | Task, "related_to") => RelatedName(f("related_resource")),
        (Task, "due_date" | "reminder_date" | "completed_date") => Field(f(key)),
        _ => return None,
    })
}

fn sort_options(kind: Kind) -> &'static str {
    match kind {
        Kind::Person => {
            "name, first_name, last_name, title, email, phone, date_modified, date_created, city, state, country, zip"
        }
        Kind::Lead => {
            "name, first_name, last_name, company_name, title, value, email, phone, date_modified, date_created, city, state, country, zip, inactive_days"
        }
        Kind::Company => {
            "name, phone, contact, contact_first_name, contact_last_name, date_modified, date_created, email_domain, city, state, country, zip, assignee, contact_group, last_interaction, interaction_count, primary_website"
        }
        Kind::Opportunity => {
            "name, account, company_name, value, assignee, customer_source_id, date_modified, date_created, contact, stage, status, close_date, source, priority, last_interaction, interaction_count, deal_last_stage, win_probability"
        }
        Kind::Project => "name, assigned_to, related_to, status, date_modified, date_created",
        Kind::Task => {
            "name, assigned_to, related_to, status, priority, due_date, reminder_date, completed_date, date_created, date_modified"
        }
        Kind::Activity => "",
    }
}

fn default_sort(kind: Kind) -> &'static str {
    match kind {
        Kind::Person => "first_name",
        Kind::Company => "date_modified",
        Kind::Task => "due_date",
        _ => "name",
    }
}

/// A sort key value: numbers and strings sort naturally, nulls after both.
#[derive(Clone, Debug, PartialEq)]
enum Key {
    Num(f64),
    Str(String),
    Null,
}

fn cmp_keys(a: &Key, b: &Key) -> Ordering {
    match (a, b) {
        (Key::Num(x), Key::Num(y)) => x.total_cmp(y),
        (Key::Str(x), Key::Str(y)) => x.cmp(y),
        (Key::Null, Key::Null) => Ordering::Equal,
        (Key::Null, _) => Ordering::Greater,
        (_, Key::Null) => Ordering::Less,
        (Key::Num(_), Key::Str(_)) => Ordering::Less,
        (Key::Str(_), Key::Num(_)) => Ordering::Greater,
    }
}

fn str_key(s: Option<&str>) -> Key {
    s.map_or(Key::Null, |s| Key::Str(s.to_lowercase()))
}

impl Search {
    /// Compile a search body for `kind`.
    pub(crate) fn parse(
        st: &State,
        kind: Kind,
        body: &Map<String, Value>,
    ) -> Result<Search, ApiError> {
        let s = schema(kind);
        let paging = paging(body)?;
        let sort_key = match body.get("sort_by") {
            None | Some(Value::Null) => default_sort(kind),
            Some(Value::String(k)) => k.as_str(),
            Some(_) => return Err(bad("sort_by", "must be a string")),
        };
        let sort = sort_for(kind, sort_key)
            .ok_or_else(|| bad("sort_by", &format!("must be one of {}", sort_options(kind))))?;
        let desc = match body.get("sort_direction") {
            None | Some(Value::Null) => false,
            Some(Value::String(d)) if d.eq_ignore_ascii_case("asc") => false,
            Some(Value::String(d)) if d.eq_ignore_ascii_case("desc") => true,
            Some(_) => return Err(bad("sort_direction", "must be asc or desc")),
        };
        let mut search = Search {
            kind,
            paging,
            sort,
            desc,
            preds: Vec::new(),
            ids: None,
            created: (None, None),
            modified: (None, None),
            include_converted: false,
        };
        for (key, v) in body {
            if v.is_null() {
                continue;
            }
            let Some(filter) = filter_for(kind, key) else {
                continue;
            };
            let pred = match filter {
                Filter::Ids => {
                    search.ids = Some(id_list(key, v)?);
                    continue;
                }
                Filter::IdIn(field, minus2) => {
                    let mut ids = id_list(key, v)?;
                    if ids.is_empty() {
                        continue;
                    }
                    let none = minus2 && ids.contains(&-2);
                    ids.retain(|x| *x != -2);
                    Pred::IdIn {
                        i: s.idx(field),
                        ids,
                        none,
                    }
                }
                Filter::Name(exact) => {
                    let needle = v
                        .as_str()
                        .ok_or_else(|| bad(key, "must be a string"))?
                        .trim()
                        .to_lowercase();
                    if needle.is_empty() {
                        continue;
                    }
                    Pred::Name {
                        i: s.idx("name"),
                        needle,
                        exact,
                    }
                }
                Filter::Phone => Pred::Phone {
                    i: s.idx("phone_numbers"),
                    suffixes: phone_suffixes(key, v)?,
                },
                Filter::Emails => Pred::Emails {
                    i: s.find("emails").unwrap_or_else(|| s.idx("email")),
                    emails: str_list(key, v)?,
                },
                Filter::Domains => Pred::Domains {
                    i: s.idx("email_domain"),
                    domains: str_list(key, v)?,
                },
                Filter::Tags => {
                    let (values, mode, allow_empty) = match v {
                        Value::Object(m) => (
                            match m.get("value") {
                                None | Some(Value::Null) => Vec::new(),
                                Some(x) => str_list(key, x)?,
                            },
                            match_option(key, m.get("option"))?,
                            m.get("allow_empty")
                                .and_then(Value::as_bool)
                                .unwrap_or(false),
                        ),
                        other => (str_list(key, other)?, Match::Any, false),
                    };
                    if values.is_empty() && !allow_empty {
                        continue;
                    }
                    Pred::Tags {
                        i: s.idx("tags"),
                        mode,
                        values,
                        allow_empty,
                    }
                }
                Filter::Text(part) => {
                    let (value, allow_empty) = match v {
                        Value::String(x) => (Some(x.to_lowercase()), false),
                        Value::Object(m) => (
                            m.get("value")
                                .and_then(Value::as_str)
                                .map(str::to_lowercase),
                            m.get("allow_empty")
                                .and_then(Value::as_bool)
                                .unwrap_or(false),
                        ),
                        _ => return Err(bad(key, "must be a string or {value, allow_empty}")),
                    };
                    Pred::Text {
                        i: s.idx("address"),
                        part,
                        value,
                        allow_empty,
                    }
                }
                Filter::Country => Pred::Text {
                    i: s.idx("address"),
                    part: "country",
                    value: Some(
                        v.as_str()
                            .ok_or_else(|| bad(key, "must be a string"))?
                            .to_lowercase(),
                    ),
                    allow_empty: false,
                },
                Filter::Socials => Pred::Socials {
                    i: s.idx("socials"),
                    urls: str_list(key, v)?,
                },
                Filter::Followed => match v.as_i64() {
                    // The API cannot follow records, so nothing is followed.
                    Some(1) => Pred::Nothing,
                    Some(2) => continue,
                    _ => return Err(bad(key, "must be 1 (followed) or 2 (not followed)")),
                },
                Filter::Age => {
                    let age = v
                        .as_i64()
                        .filter(|a| *a >= 0)
                        .ok_or_else(|| bad(key, "must be a number of seconds"))?;
                    let from = now() - age;
                    search.created.0 = Some(search.created.0.map_or(from, |x| x.max(from)));
                    Pred::Range {
                        target: Target::Created,
                        min: Some(from as f64),
                        max: None,
                    }
                }
                Filter::Range(of, is_min) => {
                    let x = num(key, v)?;
                    let target = match of {
                        RangeOf::Created => {
                            let slot = if is_min {
                                &mut search.created.0
                            } else {
                                &mut search.created.1
                            };
                            *slot = Some(x as i64);
                            Target::Created
                        }
                        RangeOf::Modified => {
                            let slot = if is_min {
                                &mut search.modified.0
                            } else {
                                &mut search.modified.1
                            };
                            *slot = Some(x as i64);
                            Target::Modified
                        }
                        RangeOf::Field(f) => Target::Field(s.idx(f)),
                        RangeOf::CloseDate => Target::CloseDate(s.idx("close_date")),
                    };
                    let (min, max) = if is_min {
                        (Some(x), None)
                    } else {
                        (None, Some(x))
                    };
                    Pred::Range { target, min, max }
                }
                Filter::ChoiceIds(field, set) => {
                    let ids = id_list(key, v)?;
                    let mut values = Vec::new();
                    for id in ids {
                        let name = usize::try_from(id)
                            .ok()
                            .and_then(|i| set.get(i))
                            .ok_or_else(|| {
                                bad(
                                    key,
                                    &format!(
                                        "must be ids 0..{} ({})",
                                        set.len() - 1,
                                        set.join(", ")
                                    ),
                                )
                            })?;
                        values.push(name.to_ascii_lowercase());
                    }
                    if values.is_empty() {
                        continue;
                    }
                    Pred::Choices {
                        i: s.idx(field),
                        values,
                    }
                }
                Filter::Choices(field) => {
                    let values = str_list(key, v)?;
                    if values.is_empty() {
                        continue;
                    }
                    Pred::Choices {
                        i: s.idx(field),
                        values,
                    }
                }
                Filter::Related(other, minus2) => {
                    let mut ids = id_list(key, v)?;
                    if ids.is_empty() {
                        continue;
                    }
                    let none = minus2 && ids.contains(&-2);
                    ids.retain(|x| *x != -2);
                    related_pred(st, kind, other, &ids, none)
                }
                Filter::Custom => {
                    let Value::Array(items) = v else {
                        return Err(bad(key, "must be a list of custom field filters"));
                    };
                    for item in items {
                        search
                            .preds
                            .push(Pred::Custom(custom_pred(st, kind, item)?));
                    }
                    continue;
                }
                Filter::IncludeConverted => {
                    search.include_converted = v
                        .as_bool()
                        .ok_or_else(|| bad(key, "must be true or false"))?;
                    continue;
                }
            };
            search.preds.push(pred);
        }
        Ok(search)
    }

    /// Run the search; only the first `cap` matches are reachable.
    pub(crate) fn run<'a>(&self, st: &'a State, cap: usize) -> Found<'a> {
        let table = st.table(self.kind);
        let matches = |r: &Record| self.preds.iter().all(|p| p.eval(r));
        let name = self.preds.iter().find_map(|p| match p {
            Pred::Name { needle, exact, .. } => Some((needle.as_str(), *exact)),
            _ => None,
        });
        // Fast path: candidates come from a date index already in the requested order.
        let plain = self.ids.is_none() && !self.include_converted && name.is_none();
        let ordered_index = match self.sort {
            SortBy::Created if plain => Some((&table.by_created, self.created, true)),
            SortBy::Modified if plain => Some((&table.by_modified, self.modified, false)),
            _ => None,
        };
        if let Some((index, (lo, hi), by_created)) = ordered_index {
            let range = date_window(index, lo, hi);
            // The index range already applies its own date bounds.
            let rest: Vec<&Pred> = self
                .preds
                .iter()
                .filter(|p| {
                    !matches!(
                        (p, by_created),
                        (
                            Pred::Range {
                                target: Target::Created,
                                ..
                            },
                            true
                        ) | (
                            Pred::Range {
                                target: Target::Modified,
                                ..
                            },
                            false
                        )
                    )
                })
                .collect();
            if rest.is_empty() {
                let total = range.clone().count();
                let wanted = page_range(self.paging, total, cap);
                let ids: Box<dyn Iterator<Item = &(i64, i64)>> = if self.desc {
                    Box::new(range.rev())
                } else {
                    Box::new(range)
                };
                let page = ids
                    .skip(wanted.start)
                    .take(wanted.len())
                    .filter_map(|(_, id)| table.rows.get(id))
                    .collect();
                return Found { page, total };
            }
            let wanted = page_range(self.paging, usize::MAX, cap);
            let mut total = 0;
            let mut page = Vec::with_capacity(wanted.len());
            let mut visit = |id: i64| {
                if let Some(r) = table.rows.get(&id)
                    && rest.iter().all(|p| p.eval(r))
                {
                    if total >= wanted.start && total < wanted.end {
                        page.push(r);
                    }
                    total += 1;
                }
            };
            if self.desc {
                range.rev().for_each(|(_, id)| visit(*id));
            } else {
                range.for_each(|(_, id)| visit(*id));
            }
            return Found { page, total };
        }
        let mut found: Vec<&Record> = Vec::new();
        match (&self.ids, self.created, self.modified) {
            (None, _, _) if name.is_some() => {
                let (needle, exact) = name.unwrap_or_default();
                for id in table.names.matching(needle, exact) {
                    if let Some(r) = table.rows.get(&id)
                        && matches(r)
                    {
                        found.push(r);
                    }
                }
            }
            (Some(ids), _, _) => {
                let mut seen = HashSet::new();
                for id in ids {
                    if let Some(r) = table.rows.get(id)
                        && seen.insert(*id)
                        && matches(r)
                    {
                        found.push(r);
                    }
                }
            }
            (None, (lo, hi), _) if lo.is_some() || hi.is_some() => {
                for (_, id) in date_window(&table.by_created, lo, hi) {
                    if let Some(r) = table.rows.get(id)
                        && matches(r)
                    {
                        found.push(r);
                    }
                }
            }
            (None, _, (lo, hi)) if lo.is_some() || hi.is_some() => {
                for (_, id) in date_window(&table.by_modified, lo, hi) {
                    if let Some(r) = table.rows.get(id)
                        && matches(r)
                    {
                        found.push(r);
                    }
                }
            }
            _ => found.extend(table.rows.values().filter(|r| matches(r))),
        }
        if self.include_converted {
            let extra = st.converted_leads.values().filter(|r| matches(r));
            match &self.ids {
                Some(ids) => found.extend(extra.filter(|r| ids.contains(&r.id))),
                None => found.extend(extra),
            }
        }
        let total = found.len();
        let mut keyed: Vec<(Key, &Record)> =
            found.into_iter().map(|r| (self.key(st, r), r)).collect();
        keyed.sort_unstable_by(|a, b| cmp_keys(&a.0, &b.0).then(a.1.id.cmp(&b.1.id)));
        if self.desc {
            keyed.reverse();
        }
        let range = page_range(self.paging, total, cap);
        Found {
            page: keyed[range].iter().map(|(_, r)| *r).collect(),
            total,
        }
    }

    fn key(&self, st: &State, r: &Record) -> Key {
        let val = |i: usize| &r.vals[i];
        match self.sort {
            SortBy::Created => Key::Num(r.created as f64),
            SortBy::Modified => Key::Num(r.modified as f64),
            SortBy::Field(i) => match val(i) {
                Val::Str(_) | Val::Static(_) => str_key(val(i).as_str()),
                other => other.as_f64().map_or(Key::Null, Key::Num),
            },
            SortBy::FirstContact(i) => str_key(val(i).contacts().first().map(|c| &*c.value)),
            SortBy::Addr(i, part) => str_key(val(i).address().and_then(|a| a.part(part))),
            SortBy::UserName(i) => str_key(
                val(i)
                    .as_int()
                    .and_then(|id| st.users.get(&id))
                    .map(|u| u.name.as_str()),
            ),
            SortBy::ContactTypeName(i) => str_key(val(i).as_int().and_then(|id| {
                st.contact_types
                    .iter()
                    .find(|c| c.id == id)
                    .map(|c| c.name.as_str())
            })),
            SortBy::SourceName(i) => str_key(val(i).as_int().and_then(|id| {
                st.customer_sources
                    .iter()
                    .find(|c| c.id == id)
                    .map(|c| c.name.as_str())
            })),
            SortBy::CompanyName(i) => str_key(val(i).as_int().and_then(|id| st.company_name(id))),
            SortBy::PersonName(i, part) => {
                let person = val(i)
                    .as_int()
                    .and_then(|id| st.table(Kind::Person).get(id));
                let field = ["name", "first_name", "last_name"][usize::from(part)];
                str_key(person.and_then(|p| p.get(Kind::Person, field).as_str()))
            }
            SortBy::StageRank(i) => val(i)
                .as_int()
                .and_then(|id| st.stages.get(&id))
                .and_then(|s| {
                    let p = st.pipeline(s.pipeline_id)?;
                    let pos = p.stages.iter().position(|x| *x == s.id)?;
                    Some(Key::Num(pos as f64))
                })
                .unwrap_or(Key::Null),
            SortBy::PriorityRank(i) => val(i)
                .as_str()
                .and_then(|p| PRIORITIES.iter().position(|x| *x == p))
                .map_or(Key::Null, |p| Key::Num(p as f64)),
            SortBy::CloseDate(i) => val(i)
                .as_str()
                .and_then(close_date_unix)
                .map_or(Key::Null, |t| Key::Num(t as f64)),
            SortBy::NewestFirst(i) => val(i).as_f64().map_or(Key::Null, |t| Key::Num(-t)),
            SortBy::RelatedName(i) => str_key(val(i).as_ref_().and_then(|r| st.record_name(r))),
        }
    }
}

fn related_pred(st: &State, kind: Kind, other: Kind, ids: &[i64], none: bool) -> Pred {
    let mut set = HashSet::new();
    for id in ids {
        let node = RecordRef {
            kind: other,
            id: *id,
        };
        for r in st.related(node) {
            if r.kind == kind {
                set.insert(r.id);
            }
        }
        if kind == Kind::Person
            && other == Kind::Opportunity
            && let Some(pid) = st
                .record(node)
                .and_then(|o| o.get(Kind::Opportunity, "primary_contact_id").as_int())
        {
            set.insert(pid);
        }
    }
    let or_not_in = none.then(|| {
        st.relations
            .iter()
            .filter(|(a, b)| a.kind == kind && b.kind == other)
            .map(|(a, _)| a.id)
            .collect()
    });
    Pred::IdSet { set, or_not_in }
}

fn custom_pred(st: &State, kind: Kind, item: &Value) -> Result<CustomPred, ApiError> {
    const KEY: &str = "custom_fields";
    let m = item
        .as_object()
        .ok_or_else(|| bad(KEY, "entries must be objects"))?;
    let def_id = m
        .get("custom_field_definition_id")
        .and_then(id_of)
        .ok_or_else(|| bad(KEY, "entries need an integer custom_field_definition_id"))?;
    let def = st
        .cfds
        .get(&def_id)
        .filter(|d| d.shown_on(kind))
        .ok_or_else(|| {
            bad(
                KEY,
                &format!(
                    "refer to custom field definition {def_id}, which is not available on {}",
                    kind.plural()
                ),
            )
        })?;
    let allow_empty = m
        .get("allow_empty")
        .and_then(Value::as_bool)
        .unwrap_or(false);
    let bound = |k: &str| -> Result<Option<f64>, ApiError> {
        match m.get(k) {
            None | Some(Value::Null) => Ok(None),
            Some(v) => num(KEY, v).map(Some),
        }
    };
    let mut p = CustomPred {
        def_id,
        data_type: def.data_type,
        ids: None,
        mode: match_option(KEY, m.get("option"))?,
        flag: None,
        allow_empty,
        min: None,
        max: None,
    };
    match def.data_type {
        DataType::Dropdown | DataType::MultiSelect => {
            if let Some(v) = m.get("value").filter(|v| !v.is_null()) {
                p.ids = Some(id_list(KEY, v)?);
            }
        }
        DataType::Checkbox => {
            p.flag = Some(
                m.get("value")
                    .and_then(Value::as_bool)
                    .ok_or_else(|| bad(KEY, "value of a Checkbox filter must be true or false"))?,
            );
        }
        DataType::Date | DataType::Float | DataType::Percentage | DataType::Currency => {
            p.min = bound("minimum_value")?;
            p.max = bound("maximum_value")?;
        }
        DataType::String | DataType::Text | DataType::Url | DataType::Connect => {
            return Err(bad(
                KEY,
                &format!(
                    "{} fields ({}) are not searchable",
                    def.data_type.name(),
                    def.name
                ),
            ));
        }
    }
    Ok(p)
}

impl Pred {
    fn eval(&self, r: &Record) -> bool {
        match self {
            Pred::IdIn { i, ids, none } => match r.vals[*i].as_int() {
                Some(v) => ids.contains(&v),
                None => *none,
            },
            Pred::Name { i, needle, exact } => r.vals[*i].as_str().is_some_and(|n| {
                let n = n.to_lowercase();
                if *exact {
                    n == *needle
                } else {
                    n.contains(needle.as_str())
                }
            }),
            Pred::Phone { i, suffixes } => r.vals[*i].contacts().iter().any(|c| {
                let d = digits(&c.value);
                suffixes.iter().any(|s| d.ends_with(s.as_str()))
            }),
            Pred::Emails { i, emails } => r.vals[*i]
                .contacts()
                .iter()
                .any(|c| emails.iter().any(|e| c.value.eq_ignore_ascii_case(e))),
            Pred::Domains { i, domains } => r.vals[*i]
                .as_str()
                .is_some_and(|d| domains.iter().any(|x| d.eq_ignore_ascii_case(x))),
            Pred::Tags {
                i,
                mode,
                values,
                allow_empty,
            } => {
                let tags = r.vals[*i].strs();
                if tags.is_empty() && *allow_empty {
                    return true;
                }
                let has = |v: &String| tags.iter().any(|t| t.eq_ignore_ascii_case(v));
                match mode {
                    Match::Any => values.iter().any(has),
                    Match::All => !values.is_empty() && values.iter().all(has),
                    Match::None => !values.iter().any(has),
                }
            }
            Pred::Text {
                i,
                part,
                value,
                allow_empty,
            } => {
                let got = r.vals[*i]
                    .address()
                    .and_then(|a| a.part(part))
                    .filter(|s| !s.is_empty());
                match got {
                    None => *allow_empty,
                    Some(g) => value.as_ref().is_some_and(|v| g.to_lowercase() == *v),
                }
            }
            Pred::Socials { i, urls } => r.vals[*i]
                .contacts()
                .iter()
                .any(|c| urls.iter().any(|u| c.value.eq_ignore_ascii_case(u))),
            Pred::Range { target, min, max } => {
                let v = match target {
                    Target::Created => Some(r.created as f64),
                    Target::Modified => Some(r.modified as f64),
                    Target::Field(i) => r.vals[*i].as_f64(),
                    Target::CloseDate(i) => r.vals[*i]
                        .as_str()
                        .and_then(close_date_unix)
                        .map(|t| t as f64),
                };
                v.is_some_and(|v| min.is_none_or(|m| v >= m) && max.is_none_or(|m| v <= m))
            }
            Pred::Choices { i, values } => r.vals[*i]
                .as_str()
                .is_some_and(|v| values.iter().any(|x| v.eq_ignore_ascii_case(x))),
            Pred::IdSet { set, or_not_in } => {
                set.contains(&r.id) || or_not_in.as_ref().is_some_and(|s| !s.contains(&r.id))
            }
            Pred::Nothing => false,
            Pred::Custom(c) => c.eval(r),
        }
    }
}

impl CustomPred {
    fn eval(&self, r: &Record) -> bool {
        let v = r.custom_value(self.def_id);
        match self.data_type {
            DataType::Dropdown => match v.and_then(Value::as_i64) {
                None => self.allow_empty,
                Some(id) => self.ids.as_ref().is_some_and(|ids| ids.contains(&id)),
            },
            DataType::MultiSelect => {
                let have: Vec<i64> = v
                    .and_then(Value::as_array)
                    .map(|a| a.iter().filter_map(Value::as_i64).collect())
                    .unwrap_or_default();
                if have.is_empty() && self.allow_empty {
                    return true;
                }
                let Some(ids) = &self.ids else {
                    return false;
                };
                match self.mode {
                    Match::Any => ids.iter().any(|id| have.contains(id)),
                    Match::All => !ids.is_empty() && ids.iter().all(|id| have.contains(id)),
                    Match::None => !ids.iter().any(|id| have.contains(id)),
                }
            }
            DataType::Checkbox => {
                let got = v.and_then(Value::as_bool).unwrap_or(false);
                self.flag == Some(got)
            }
            _ => v.and_then(Value::as_f64).is_some_and(|x| {
                self.min.is_none_or(|m| x >= m) && self.max.is_none_or(|m| x <= m)
            }),
        }
    }
}

/// Activities search: `parent`, `activity_types`, activity date range; newest first.
pub(crate) fn activities<'a>(
    st: &'a State,
    body: &Map<String, Value>,
    parents: Option<&HashSet<RecordRef>>,
    cap: usize,
) -> Result<Found<'a>, ApiError> {
    const K: Kind = Kind::Activity;
    let paging = paging(body)?;
    let parent = match body.get("parent") {
        None | Some(Value::Null) => None,
        Some(Value::Object(m)) => {
            let kind = m
                .get("type")
                .and_then(Value::as_str)
                .and_then(Kind::from_singular)
                .filter(|k| *k != K)
                .ok_or_else(|| {
                    bad(
                        "parent",
                        "type must be one of lead, person, company, opportunity, project, task",
                    )
                })?;
            let id = m
                .get("id")
                .and_then(id_of)
                .ok_or_else(|| bad("parent", "id must be an integer"))?;
            Some(RecordRef { kind, id })
        }
        Some(_) => return Err(bad("parent", "must be an {id, type} object")),
    };
    let types: Option<Vec<(i64, String)>> = match body.get("activity_types") {
        None | Some(Value::Null) => None,
        Some(Value::Array(items)) => Some(
            items
                .iter()
                .map(|t| {
                    let id = t.get("id").and_then(id_of);
                    let cat = t.get("category").and_then(Value::as_str);
                    match (id, cat) {
                        (Some(id), Some(cat @ ("user" | "system"))) => Ok((id, cat.to_string())),
                        _ => Err(bad(
                            "activity_types",
                            "entries must be {id, category: user|system}",
                        )),
                    }
                })
                .collect::<Result<_, _>>()?,
        ),
        Some(_) => return Err(bad("activity_types", "must be a list of {id, category}")),
    };
    let bound = |k: &str| -> Result<Option<i64>, ApiError> {
        match body.get(k) {
            None | Some(Value::Null) => Ok(None),
            Some(v) => v
                .as_i64()
                .map(Some)
                .ok_or_else(|| bad(k, "must be a unix timestamp in seconds")),
        }
    };
    let (min, max) = (
        bound("minimum_activity_date")?,
        bound("maximum_activity_date")?,
    );
    let s = schema(K);
    let (pi, ti, di) = (s.idx("parent"), s.idx("type"), s.idx("activity_date"));
    let mut found: Vec<&Record> = st
        .table(K)
        .rows
        .values()
        .filter(|r| {
            let p = r.vals[pi].as_ref_();
            parent.is_none_or(|want| p == Some(want))
                && parents.is_none_or(|set| p.is_some_and(|p| set.contains(&p)))
                && types.as_ref().is_none_or(|ts| match &r.vals[ti] {
                    Val::TypeRef(id, cat) => {
                        ts.iter().any(|(tid, tc)| tid == id && tc == cat.as_str())
                    }
                    _ => false,
                })
                && r.vals[di]
                    .as_int()
                    .is_some_and(|d| min.is_none_or(|m| d >= m) && max.is_none_or(|m| d <= m))
        })
        .collect();
    found.sort_unstable_by(|a, b| {
        let da = a.vals[di].as_int().unwrap_or(0);
        let db = b.vals[di].as_int().unwrap_or(0);
        db.cmp(&da).then(b.id.cmp(&a.id))
    });
    let total = found.len();
    let range = page_range(paging, total, cap);
    Ok(Found {
        page: found[range].to_vec(),
        total,
    })
}

/// The `(date, id)` entries of a date index from `lo` to `hi`, both inclusive, in date order. A window whose
/// minimum is after its maximum matches nothing, as no date lies in it (and must not reach
/// `BTreeSet::range`, which panics on an inverted range).
fn date_window(
    index: &BTreeSet<(i64, i64)>,
    lo: Option<i64>,
    hi: Option<i64>,
) -> btree_set::Range<'_, (i64, i64)> {
    let lo = lo.unwrap_or(i64::MIN);
    let hi = hi.unwrap_or(i64::MAX);
    if lo > hi {
        return index.range((lo, i64::MIN)..(lo, i64::MIN));
    }
    index.range((lo, i64::MIN)..=(hi, i64::MAX))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fuzzy_phone_suffixes_follow_the_readme() {
        let s = phone_suffixes("phone_number", &Value::from("408-555-1234")).unwrap();
        assert_eq!(
            s,
            vec!["4085551234", "085551234", "85551234", "5551234", "551234"]
        );
        let s = phone_suffixes(
            "phone_number",
            &serde_json::json!({"value": "5551234", "match": "partial"}),
        )
        .unwrap();
        assert_eq!(s, vec!["5551234"]);
    }

    #[test]
    fn page_ranges_respect_the_cap() {
        let p = Paging {
            number: 3,
            size: 10,
        };
        assert_eq!(page_range(p, 100, 25), 20..25);
        assert_eq!(page_range(p, 100, 20), 20..20);
        assert_eq!(page_range(p, 5, 1000), 5..5);
    }
}
