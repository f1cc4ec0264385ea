//! Typed helpers for the documented search filters, on top of the generated
//! search bodies (`types::PersonSearch::builder()`, ...).
//!
//! The bodies already take every filter; these helpers build the values
//! whose JSON shape is easy to get wrong: tag matching (`ANY`/`ALL`/`NONE`,
//! untagged records), `-2` for "no value", text that may be empty, phone
//! matching, dates as unix seconds, and custom field filters.
//!
//! ```
//! use chrono::{TimeZone, Utc};
//! use copper_crm::filters::{self, custom_field};
//! use copper_crm::types::PersonSearch;
//!
//! let since = Utc.with_ymd_and_hms(2024, 1, 1, 0, 0, 0).unwrap();
//! let search: PersonSearch = PersonSearch::builder()
//!     .tags(filters::tags_all(["vip", "newsletter"]))
//!     .assignee_ids(vec![filters::NO_VALUE])
//!     .city(filters::text_or_empty("Philadelphia"))
//!     .minimum_created_date(filters::unix_seconds(since))
//!     .custom_fields(filters::custom_fields([
//!         custom_field(10).any_of([3, 4]).allow_empty(),
//!         custom_field(11).equals(true),
//!     ]))
//!     .try_into()
//!     .unwrap();
//! let json = serde_json::to_value(&search).unwrap();
//! assert_eq!(json["tags"]["option"], "ALL");
//! assert_eq!(json["assignee_ids"][0], -2);
//! assert_eq!(json["minimum_created_date"], 1704067200);
//! assert_eq!(json["custom_fields"][0]["allow_empty"], true);
//! ```

use chrono::{DateTime, Utc};
use copper_crm_raw::types::{
    CustomFieldFilter, MatchOption, PhoneNumberFilter, PhoneNumberMatch, PhoneNumberMatchMatch,
    TagsFilter, TagsMatch, TextFilter, TextMatch,
};

/// The id that matches records with *no* value in an id filter
/// (`assignee_ids`, `company_ids`, `customer_source_ids`,
/// `primary_contact_ids`, `loss_reason_ids`, ...): Copper's `-2`.
///
/// ```
/// use copper_crm::{filters, types::PersonSearch};
/// // People nobody owns, or owned by user 42:
/// let search = PersonSearch::builder().assignee_ids(vec![42, filters::NO_VALUE]);
/// # let _ = search;
/// ```
pub const NO_VALUE: i64 = -2;

fn tags(
    option: Option<MatchOption>,
    tags: impl IntoIterator<Item = impl Into<String>>,
) -> TagsFilter {
    TagsFilter::TagsMatch(TagsMatch {
        allow_empty: None,
        option,
        value: tags.into_iter().map(Into::into).collect(),
    })
}

/// Records with at least one of these tags.
///
/// ```
/// let f = copper_crm::filters::tags_any(["vip", "partner"]);
/// assert_eq!(serde_json::to_value(&f).unwrap(), serde_json::json!({"option": "ANY", "value": ["vip", "partner"]}));
/// ```
pub fn tags_any(tags: impl IntoIterator<Item = impl Into<String>>) -> TagsFilter {
    self::tags(Some(MatchOption::Any), tags)
}

/// Records with every one of these tags.
///
/// ```
/// let f = copper_crm::filters::tags_all(["vip", "partner"]);
/// assert_eq!(serde_json::to_value(&f).unwrap()["option"], "ALL");
/// ```
pub fn tags_all(tags: impl IntoIterator<Item = impl Into<String>>) -> TagsFilter {
    self::tags(Some(MatchOption::All), tags)
}

/// Records with none of these tags.
///
/// ```
/// let f = copper_crm::filters::tags_none(["churned"]);
/// assert_eq!(serde_json::to_value(&f).unwrap()["option"], "NONE");
/// ```
pub fn tags_none(tags: impl IntoIterator<Item = impl Into<String>>) -> TagsFilter {
    self::tags(Some(MatchOption::None), tags)
}

/// Records without any tag.
///
/// ```
/// let f = copper_crm::filters::tags_empty();
/// assert_eq!(serde_json::to_value(&f).unwrap(), serde_json::json!({"value": [], "allow_empty": true}));
/// ```
pub fn tags_empty() -> TagsFilter {
    TagsFilter::TagsMatch(TagsMatch {
        allow_empty: Some(true),
        option: None,
        value: Vec::new(),
    })
}

/// The same tag filter, also matching records without any tag.
///
/// ```
/// use copper_crm::filters::{or_untagged, tags_any};
/// let f = or_untagged(tags_any(["vip"]));
/// assert_eq!(serde_json::to_value(&f).unwrap()["allow_empty"], true);
/// ```
pub fn or_untagged(filter: TagsFilter) -> TagsFilter {
    let mut m = match filter {
        TagsFilter::Array(value) => TagsMatch {
            allow_empty: None,
            option: Some(MatchOption::Any),
            value,
        },
        TagsFilter::TagsMatch(m) => m,
    };
    m.allow_empty = Some(true);
    TagsFilter::TagsMatch(m)
}

/// A text filter (`city`, `state`, `postal_code`) that also matches records
/// where the field is empty.
///
/// ```
/// let f = copper_crm::filters::text_or_empty("Philadelphia");
/// assert_eq!(serde_json::to_value(&f).unwrap(), serde_json::json!({"value": "Philadelphia", "allow_empty": true}));
/// ```
pub fn text_or_empty(value: impl Into<String>) -> TextFilter {
    TextFilter::TextMatch(TextMatch {
        allow_empty: Some(true),
        value: Some(value.into()),
    })
}

/// A text filter matching only records where the field is empty.
///
/// ```
/// let f = copper_crm::filters::text_empty();
/// assert_eq!(serde_json::to_value(&f).unwrap(), serde_json::json!({"allow_empty": true}));
/// ```
pub fn text_empty() -> TextFilter {
    TextFilter::TextMatch(TextMatch {
        allow_empty: Some(true),
        value: None,
    })
}

/// Phone numbers ending with these digits (non-digits are ignored).
///
/// ```
/// let f = copper_crm::filters::phone_partial("555-1234");
/// assert_eq!(serde_json::to_value(&f).unwrap(), serde_json::json!({"value": "555-1234", "match": "partial"}));
/// ```
pub fn phone_partial(number: impl Into<String>) -> PhoneNumberFilter {
    PhoneNumberFilter::PhoneNumberMatch(PhoneNumberMatch {
        match_: Some(PhoneNumberMatchMatch::Partial),
        value: number.into(),
    })
}

/// Phone numbers matching fuzzily: up to six leading digits (country and
/// area codes) may differ.
///
/// ```
/// let f = copper_crm::filters::phone_fuzzy("+1 415 355 4776");
/// assert_eq!(serde_json::to_value(&f).unwrap()["match"], "fuzzy");
/// ```
pub fn phone_fuzzy(number: impl Into<String>) -> PhoneNumberFilter {
    PhoneNumberFilter::PhoneNumberMatch(PhoneNumberMatch {
        match_: Some(PhoneNumberMatchMatch::Fuzzy),
        value: number.into(),
    })
}

/// A time as the unix seconds every date filter takes
/// (`minimum_created_date`, `maximum_interaction_date`, ...).
///
/// ```
/// use chrono::{TimeZone, Utc};
/// let t = Utc.with_ymd_and_hms(2017, 1, 18, 0, 0, 0).unwrap();
/// assert_eq!(copper_crm::filters::unix_seconds(t), 1484697600);
/// ```
pub fn unix_seconds(at: DateTime<Utc>) -> i64 {
    at.timestamp()
}

/// A filter on one custom field, by its definition id: finish it with
/// [`any_of`](CustomFieldCondition::any_of), [`all_of`](CustomFieldCondition::all_of),
/// [`none_of`](CustomFieldCondition::none_of) (Dropdown, MultiSelect),
/// [`equals`](CustomFieldCondition::equals) (Checkbox), [`between`](CustomFieldCondition::between),
/// [`at_least`](CustomFieldCondition::at_least), [`at_most`](CustomFieldCondition::at_most) (Float,
/// Percentage, Currency) or [`dates_between`](CustomFieldCondition::dates_between) (Date),
/// optionally with [`allow_empty`](CustomFieldCondition::allow_empty). String, Text and URL
/// fields cannot be searched.
///
/// ```
/// use copper_crm::filters::custom_field;
/// let f: copper_crm::types::CustomFieldFilter = custom_field(10).none_of([3]).into();
/// assert_eq!(serde_json::to_value(&f).unwrap(),
///     serde_json::json!({"custom_field_definition_id": 10, "option": "NONE", "value": [3]}));
/// ```
pub fn custom_field(definition_id: i64) -> CustomFieldCondition {
    CustomFieldCondition(CustomFieldFilter {
        allow_empty: None,
        custom_field_definition_id: definition_id,
        maximum_value: None,
        minimum_value: None,
        option: None,
        value: None,
    })
}

/// Collect custom field conditions (or generated filters) into the
/// `custom_fields` of a search body (all must hold).
///
/// ```
/// use copper_crm::filters::{custom_field, custom_fields};
/// let body = copper_crm::types::OpportunitySearch::builder()
///     .custom_fields(custom_fields([custom_field(7).at_least(1000.0), custom_field(8).equals(false)]));
/// # let _ = body;
/// ```
pub fn custom_fields(
    conditions: impl IntoIterator<Item = impl Into<CustomFieldFilter>>,
) -> Vec<CustomFieldFilter> {
    conditions.into_iter().map(Into::into).collect()
}

/// A custom field filter under construction; see [`custom_field`].
///
/// ```
/// use copper_crm::filters::custom_field;
/// let cond = custom_field(12).between(10.0, 20.0);
/// let filter = cond.into_filter();
/// assert_eq!((filter.minimum_value, filter.maximum_value), (Some(10.0), Some(20.0)));
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct CustomFieldCondition(CustomFieldFilter);

impl CustomFieldCondition {
    fn ids(mut self, option: Option<MatchOption>, ids: impl IntoIterator<Item = i64>) -> Self {
        self.0.option = option;
        self.0.value = Some(ids.into_iter().collect::<Vec<_>>().into());
        self
    }

    /// Records whose Dropdown value is one of these option ids, or whose
    /// MultiSelect values include at least one of them.
    ///
    /// ```
    /// let f = copper_crm::filters::custom_field(10).any_of([3, 4]).into_filter();
    /// assert_eq!(f.value, Some(serde_json::json!([3, 4])));
    /// ```
    pub fn any_of(self, option_ids: impl IntoIterator<Item = i64>) -> Self {
        self.ids(None, option_ids)
    }

    /// Records whose MultiSelect values include all of these option ids.
    ///
    /// ```
    /// let f = copper_crm::filters::custom_field(10).all_of([3, 4]).into_filter();
    /// assert_eq!(f.option, Some(copper_crm::types::MatchOption::All));
    /// ```
    pub fn all_of(self, option_ids: impl IntoIterator<Item = i64>) -> Self {
        self.ids(Some(MatchOption::All), option_ids)
    }

    /// Records whose MultiSelect values include none of these option ids.
    ///
    /// ```
    /// let f = copper_crm::filters::custom_field(10).none_of([3]).into_filter();
    /// assert_eq!(f.option, Some(copper_crm::types::MatchOption::None));
    /// ```
    pub fn none_of(self, option_ids: impl IntoIterator<Item = i64>) -> Self {
        self.ids(Some(MatchOption::None), option_ids)
    }

    /// Records whose Checkbox is `checked` (an unset checkbox is unchecked).
    ///
    /// ```
    /// let f = copper_crm::filters::custom_field(11).equals(true).into_filter();
    /// assert_eq!(f.value, Some(serde_json::json!(true)));
    /// ```
    pub fn equals(mut self, checked: bool) -> Self {
        self.0.value = Some(checked.into());
        self
    }

    /// Records whose number (Float, Percentage, Currency) or date (unix
    /// seconds) lies in `min..=max`.
    ///
    /// ```
    /// let f = copper_crm::filters::custom_field(12).between(1.5, 3.0).into_filter();
    /// assert_eq!(f.maximum_value, Some(3.0));
    /// ```
    pub fn between(mut self, min: f64, max: f64) -> Self {
        self.0.minimum_value = Some(min);
        self.0.maximum_value = Some(max);
        self
    }

    /// Records whose number or date is at least `min`.
    ///
    /// ```
    /// let f = copper_crm::filters::custom_field(12).at_least(100.0).into_filter();
    /// assert_eq!((f.minimum_value, f.maximum_value), (Some(100.0), None));
    /// ```
    pub fn at_least(mut self, min: f64) -> Self {
        self.0.minimum_value = Some(min);
        self
    }

    /// Records whose number or date is at most `max`.
    ///
    /// ```
    /// let f = copper_crm::filters::custom_field(12).at_most(100.0).into_filter();
    /// assert_eq!((f.minimum_value, f.maximum_value), (None, Some(100.0)));
    /// ```
    pub fn at_most(mut self, max: f64) -> Self {
        self.0.maximum_value = Some(max);
        self
    }

    /// Records whose Date field lies between two times (inclusive).
    ///
    /// ```
    /// use chrono::{TimeZone, Utc};
    /// let from = Utc.with_ymd_and_hms(2024, 1, 1, 0, 0, 0).unwrap();
    /// let to = Utc.with_ymd_and_hms(2024, 12, 31, 23, 59, 59).unwrap();
    /// let f = copper_crm::filters::custom_field(13).dates_between(from, to).into_filter();
    /// assert_eq!(f.minimum_value, Some(1704067200.0));
    /// ```
    pub fn dates_between(self, from: DateTime<Utc>, to: DateTime<Utc>) -> Self {
        self.between(from.timestamp() as f64, to.timestamp() as f64)
    }

    /// Also match records where the field is empty (Dropdown, MultiSelect).
    ///
    /// ```
    /// let f = copper_crm::filters::custom_field(10).any_of([3]).allow_empty().into_filter();
    /// assert_eq!(f.allow_empty, Some(true));
    /// ```
    pub fn allow_empty(mut self) -> Self {
        self.0.allow_empty = Some(true);
        self
    }

    /// The generated filter type.
    ///
    /// ```
    /// let f = copper_crm::filters::custom_field(10).into_filter();
    /// assert_eq!(f.custom_field_definition_id, 10);
    /// ```
    pub fn into_filter(self) -> CustomFieldFilter {
        self.0
    }
}

impl From<CustomFieldCondition> for CustomFieldFilter {
    fn from(condition: CustomFieldCondition) -> Self {
        condition.0
    }
}
