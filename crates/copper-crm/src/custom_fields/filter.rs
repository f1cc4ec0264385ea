//! Search filters on custom fields, by name and label.

use chrono::NaiveDate;
use copper_crm_raw::types::{self, CustomFieldDefinition, MatchOption};
use serde_json::Value;

use super::date::day_bounds;
use super::registry::{CustomFieldRegistry, FieldRef};
use crate::Error;
use crate::RecordType;
use crate::enums::CustomFieldDataType;

/// Builds a [`types::CustomFieldFilter`] by field name and option label; from
/// [`CustomFieldRegistry::filter`] or [`CustomFieldRegistry::filter_on`].
///
/// What each data type accepts (as Copper documents it):
///
/// | data type | methods |
/// |---|---|
/// | Dropdown | [`any_of`](Self::any_of), [`allow_empty`](Self::allow_empty), [`empty`](Self::empty) |
/// | MultiSelect | [`any_of`](Self::any_of), [`all_of`](Self::all_of), [`none_of`](Self::none_of), [`allow_empty`](Self::allow_empty), [`empty`](Self::empty) |
/// | Checkbox | [`equals`](Self::equals) |
/// | Float, Percentage, Currency | [`at_least`](Self::at_least), [`at_most`](Self::at_most), [`between`](Self::between) |
/// | Date | [`on_or_after`](Self::on_or_after), [`on_or_before`](Self::on_or_before), [`dates_between`](Self::dates_between), or unix seconds through the number methods |
///
/// Text Field, Text Area, URL and Connect fields cannot be searched. Any
/// misuse — an unknown field or label, a method the data type does not take,
/// a filter with no condition — is an [`Error::InvalidInput`] from
/// [`build`](Self::build), before any request.
///
/// ```
/// use copper_crm::custom_fields::CustomFieldRegistry;
///
/// let registry = CustomFieldRegistry::new(serde_json::from_value(serde_json::json!([
///     {"id": 12, "name": "Fruit", "data_type": "MultiSelect", "available_on": ["lead"],
///      "options": [{"id": 8, "name": "Apples", "rank": 0}, {"id": 9, "name": "Bananas", "rank": 1}]},
///     {"id": 9, "name": "Budget", "data_type": "Currency", "available_on": ["lead"]}
/// ])).unwrap());
/// let fruit = registry.filter("Fruit").any_of(["Apples"]).build().unwrap();
/// assert_eq!(
///     serde_json::to_value(&fruit).unwrap(),
///     serde_json::json!({"custom_field_definition_id": 12, "value": [8], "option": "ANY"})
/// );
/// let budget = registry.filter("budget").between(500.0, 2000.0).build().unwrap();
/// assert_eq!(budget.minimum_value, Some(500.0));
/// assert!(registry.filter("Budget").any_of(["Apples"]).build().is_err());
/// ```
#[derive(Debug, Clone)]
#[must_use = "call .build() to get the filter"]
pub struct CustomFieldFilterBuilder<'r> {
    registry: &'r CustomFieldRegistry,
    definition: Result<&'r CustomFieldDefinition, String>,
    filter: Option<types::CustomFieldFilter>,
    labels: Vec<String>,
    problems: Vec<String>,
}

impl CustomFieldRegistry {
    /// A filter on the field `field` (a name, case-insensitive, or an id).
    ///
    /// ```
    /// # let registry = copper_crm::custom_fields::CustomFieldRegistry::new(serde_json::from_value(serde_json::json!([
    /// #     {"id": 5, "name": "VIP", "data_type": "Checkbox", "available_on": ["person"]}])).unwrap());
    /// let vip = registry.filter("VIP").equals(true).build().unwrap();
    /// assert_eq!(vip.value, Some(serde_json::json!(true)));
    /// ```
    pub fn filter(&self, field: impl Into<FieldRef>) -> CustomFieldFilterBuilder<'_> {
        self.filter_builder(field.into(), None)
    }

    /// A filter on the field `field` of `entity` records (refused if the
    /// field is not available on them).
    ///
    /// ```
    /// use copper_crm::RecordType;
    /// # let registry = copper_crm::custom_fields::CustomFieldRegistry::new(serde_json::from_value(serde_json::json!([
    /// #     {"id": 5, "name": "VIP", "data_type": "Checkbox", "available_on": ["person"]}])).unwrap());
    /// let err = registry.filter_on(RecordType::Lead, "VIP").equals(true).build().unwrap_err();
    /// assert!(err.to_string().contains("not available on lead records"));
    /// ```
    pub fn filter_on(
        &self,
        entity: RecordType,
        field: impl Into<FieldRef>,
    ) -> CustomFieldFilterBuilder<'_> {
        self.filter_builder(field.into(), Some(entity))
    }

    fn filter_builder(
        &self,
        field: FieldRef,
        entity: Option<RecordType>,
    ) -> CustomFieldFilterBuilder<'_> {
        let definition = self.lookup(&field, entity).map_err(|e| match e {
            Error::InvalidInput(m) => m,
            other => other.to_string(),
        });
        let filter = definition.as_ref().ok().map(|d| types::CustomFieldFilter {
            allow_empty: None,
            custom_field_definition_id: d.id,
            maximum_value: None,
            minimum_value: None,
            option: None,
            value: None,
        });
        CustomFieldFilterBuilder {
            registry: self,
            definition,
            filter,
            labels: Vec::new(),
            problems: Vec::new(),
        }
    }
}

impl CustomFieldFilterBuilder<'_> {
    fn data_type(&self) -> Option<CustomFieldDataType> {
        self.definition
            .as_ref()
            .ok()
            .map(|d| CustomFieldRegistry::data_type(d))
    }

    /// Record a problem unless the data type is one of `allowed`.
    fn require(&mut self, method: &str, allowed: &[CustomFieldDataType]) -> bool {
        match (&self.definition, self.data_type()) {
            (Ok(_), Some(t)) if allowed.contains(&t) => true,
            (Ok(d), Some(_)) => {
                self.problems.push(format!(
                    "custom field {:?} is a {} field; .{method}() filters {} fields",
                    d.name,
                    d.data_type,
                    allowed
                        .iter()
                        .map(|t| t.as_str())
                        .collect::<Vec<_>>()
                        .join(" or ")
                ));
                false
            }
            _ => false,
        }
    }

    fn options(
        mut self,
        method: &str,
        labels: Vec<String>,
        option: Option<MatchOption>,
        allowed: &[CustomFieldDataType],
    ) -> Self {
        if self.require(method, allowed) {
            if let Some(f) = self.filter.as_mut() {
                if f.value.is_some() {
                    self.problems
                        .push("only one of any_of / all_of / none_of can be used".into());
                }
                f.value = Some(Value::Array(Vec::new()));
                f.option = option;
            }
            self.labels = labels;
        }
        self
    }

    /// Records with any of these options (Dropdown, MultiSelect).
    ///
    /// ```
    /// # let registry = copper_crm::custom_fields::CustomFieldRegistry::new(serde_json::from_value(serde_json::json!([
    /// #     {"id": 10, "name": "Fruit", "data_type": "MultiSelect", "available_on": ["lead"],
    /// #      "options": [{"id": 3, "name": "Apples", "rank": 0}, {"id": 4, "name": "Pears", "rank": 1}]},
    /// #     {"id": 11, "name": "Size", "data_type": "Float", "available_on": ["lead"]},
    /// #     {"id": 12, "name": "Due", "data_type": "Date", "available_on": ["lead"]},
    /// #     {"id": 13, "name": "VIP", "data_type": "Checkbox", "available_on": ["lead"]}
    /// # ])).unwrap());
    /// let f = registry.filter("Fruit").any_of(["Apples", "Pears"]).build().unwrap();
    /// assert_eq!(f.value, Some(serde_json::json!([3, 4])));
    /// ```
    pub fn any_of<L: Into<String>>(self, labels: impl IntoIterator<Item = L>) -> Self {
        let labels = labels.into_iter().map(Into::into).collect();
        let multi = self.data_type() == Some(CustomFieldDataType::MultiSelect);
        self.options(
            "any_of",
            labels,
            multi.then_some(MatchOption::Any),
            &[
                CustomFieldDataType::Dropdown,
                CustomFieldDataType::MultiSelect,
            ],
        )
    }

    /// Records with all of these options (MultiSelect).
    ///
    /// ```
    /// # let registry = copper_crm::custom_fields::CustomFieldRegistry::new(serde_json::from_value(serde_json::json!([
    /// #     {"id": 10, "name": "Fruit", "data_type": "MultiSelect", "available_on": ["lead"],
    /// #      "options": [{"id": 3, "name": "Apples", "rank": 0}, {"id": 4, "name": "Pears", "rank": 1}]},
    /// #     {"id": 11, "name": "Size", "data_type": "Float", "available_on": ["lead"]},
    /// #     {"id": 12, "name": "Due", "data_type": "Date", "available_on": ["lead"]},
    /// #     {"id": 13, "name": "VIP", "data_type": "Checkbox", "available_on": ["lead"]}
    /// # ])).unwrap());
    /// let f = registry.filter("Fruit").all_of(["Apples", "Pears"]).build().unwrap();
    /// assert_eq!(f.option, Some(copper_crm::types::MatchOption::All));
    /// ```
    pub fn all_of<L: Into<String>>(self, labels: impl IntoIterator<Item = L>) -> Self {
        let labels = labels.into_iter().map(Into::into).collect();
        self.options(
            "all_of",
            labels,
            Some(MatchOption::All),
            &[CustomFieldDataType::MultiSelect],
        )
    }

    /// Records with none of these options (MultiSelect).
    ///
    /// ```
    /// # let registry = copper_crm::custom_fields::CustomFieldRegistry::new(serde_json::from_value(serde_json::json!([
    /// #     {"id": 10, "name": "Fruit", "data_type": "MultiSelect", "available_on": ["lead"],
    /// #      "options": [{"id": 3, "name": "Apples", "rank": 0}, {"id": 4, "name": "Pears", "rank": 1}]},
    /// #     {"id": 11, "name": "Size", "data_type": "Float", "available_on": ["lead"]},
    /// #     {"id": 12, "name": "Due", "data_type": "Date", "available_on": ["lead"]},
    /// #     {"id": 13, "name": "VIP", "data_type": "Checkbox", "available_on": ["lead"]}
    /// # ])).unwrap());
    /// let f = registry.filter("Fruit").none_of(["Pears"]).build().unwrap();
    /// assert_eq!(f.option, Some(copper_crm::types::MatchOption::None));
    /// ```
    pub fn none_of<L: Into<String>>(self, labels: impl IntoIterator<Item = L>) -> Self {
        let labels = labels.into_iter().map(Into::into).collect();
        self.options(
            "none_of",
            labels,
            Some(MatchOption::None),
            &[CustomFieldDataType::MultiSelect],
        )
    }

    /// Also match records where the field is empty (Dropdown, MultiSelect).
    ///
    /// ```
    /// # let registry = copper_crm::custom_fields::CustomFieldRegistry::new(serde_json::from_value(serde_json::json!([
    /// #     {"id": 10, "name": "Fruit", "data_type": "MultiSelect", "available_on": ["lead"],
    /// #      "options": [{"id": 3, "name": "Apples", "rank": 0}, {"id": 4, "name": "Pears", "rank": 1}]},
    /// #     {"id": 11, "name": "Size", "data_type": "Float", "available_on": ["lead"]},
    /// #     {"id": 12, "name": "Due", "data_type": "Date", "available_on": ["lead"]},
    /// #     {"id": 13, "name": "VIP", "data_type": "Checkbox", "available_on": ["lead"]}
    /// # ])).unwrap());
    /// let f = registry.filter("Fruit").any_of(["Apples"]).allow_empty().build().unwrap();
    /// assert_eq!(f.allow_empty, Some(true));
    /// ```
    pub fn allow_empty(mut self) -> Self {
        if self.require(
            "allow_empty",
            &[
                CustomFieldDataType::Dropdown,
                CustomFieldDataType::MultiSelect,
            ],
        ) && let Some(f) = self.filter.as_mut()
        {
            f.allow_empty = Some(true);
        }
        self
    }

    /// Only records where the field is empty (Dropdown, MultiSelect): Copper's
    /// `allow_empty` without a `value`.
    ///
    /// ```
    /// # let registry = copper_crm::custom_fields::CustomFieldRegistry::new(serde_json::from_value(serde_json::json!([
    /// #     {"id": 10, "name": "Fruit", "data_type": "MultiSelect", "available_on": ["lead"],
    /// #      "options": [{"id": 3, "name": "Apples", "rank": 0}, {"id": 4, "name": "Pears", "rank": 1}]},
    /// #     {"id": 11, "name": "Size", "data_type": "Float", "available_on": ["lead"]},
    /// #     {"id": 12, "name": "Due", "data_type": "Date", "available_on": ["lead"]},
    /// #     {"id": 13, "name": "VIP", "data_type": "Checkbox", "available_on": ["lead"]}
    /// # ])).unwrap());
    /// let f = registry.filter("Fruit").empty().build().unwrap();
    /// assert_eq!((f.allow_empty, f.value), (Some(true), None));
    /// ```
    pub fn empty(self) -> Self {
        self.allow_empty()
    }

    /// Records whose Checkbox is (`true`) or is not (`false`) checked.
    ///
    /// ```
    /// # let registry = copper_crm::custom_fields::CustomFieldRegistry::new(serde_json::from_value(serde_json::json!([
    /// #     {"id": 10, "name": "Fruit", "data_type": "MultiSelect", "available_on": ["lead"],
    /// #      "options": [{"id": 3, "name": "Apples", "rank": 0}, {"id": 4, "name": "Pears", "rank": 1}]},
    /// #     {"id": 11, "name": "Size", "data_type": "Float", "available_on": ["lead"]},
    /// #     {"id": 12, "name": "Due", "data_type": "Date", "available_on": ["lead"]},
    /// #     {"id": 13, "name": "VIP", "data_type": "Checkbox", "available_on": ["lead"]}
    /// # ])).unwrap());
    /// let f = registry.filter("VIP").equals(false).build().unwrap();
    /// assert_eq!(f.value, Some(serde_json::json!(false)));
    /// ```
    pub fn equals(mut self, checked: bool) -> Self {
        if self.require("equals", &[CustomFieldDataType::Checkbox])
            && let Some(f) = self.filter.as_mut()
        {
            f.value = Some(Value::Bool(checked));
        }
        self
    }

    const RANGED: [CustomFieldDataType; 4] = [
        CustomFieldDataType::Float,
        CustomFieldDataType::Percentage,
        CustomFieldDataType::Currency,
        CustomFieldDataType::Date,
    ];

    fn bound(
        mut self,
        method: &str,
        min: Option<f64>,
        max: Option<f64>,
        allowed: &[CustomFieldDataType],
    ) -> Self {
        if [min, max].iter().flatten().any(|x| !x.is_finite()) {
            self.problems
                .push(format!(".{method}() needs finite numbers"));
            return self;
        }
        if self.require(method, allowed)
            && let Some(f) = self.filter.as_mut()
        {
            if min.is_some() {
                f.minimum_value = min;
            }
            if max.is_some() {
                f.maximum_value = max;
            }
        }
        self
    }

    /// Values at least `min` (inclusive). For a Date field, unix seconds.
    ///
    /// ```
    /// # let registry = copper_crm::custom_fields::CustomFieldRegistry::new(serde_json::from_value(serde_json::json!([
    /// #     {"id": 10, "name": "Fruit", "data_type": "MultiSelect", "available_on": ["lead"],
    /// #      "options": [{"id": 3, "name": "Apples", "rank": 0}, {"id": 4, "name": "Pears", "rank": 1}]},
    /// #     {"id": 11, "name": "Size", "data_type": "Float", "available_on": ["lead"]},
    /// #     {"id": 12, "name": "Due", "data_type": "Date", "available_on": ["lead"]},
    /// #     {"id": 13, "name": "VIP", "data_type": "Checkbox", "available_on": ["lead"]}
    /// # ])).unwrap());
    /// let f = registry.filter("Size").at_least(40.0).build().unwrap();
    /// assert_eq!((f.minimum_value, f.maximum_value), (Some(40.0), None));
    /// ```
    pub fn at_least(self, min: f64) -> Self {
        self.bound("at_least", Some(min), None, &Self::RANGED)
    }

    /// Values at most `max` (inclusive). For a Date field, unix seconds.
    ///
    /// ```
    /// # let registry = copper_crm::custom_fields::CustomFieldRegistry::new(serde_json::from_value(serde_json::json!([
    /// #     {"id": 10, "name": "Fruit", "data_type": "MultiSelect", "available_on": ["lead"],
    /// #      "options": [{"id": 3, "name": "Apples", "rank": 0}, {"id": 4, "name": "Pears", "rank": 1}]},
    /// #     {"id": 11, "name": "Size", "data_type": "Float", "available_on": ["lead"]},
    /// #     {"id": 12, "name": "Due", "data_type": "Date", "available_on": ["lead"]},
    /// #     {"id": 13, "name": "VIP", "data_type": "Checkbox", "available_on": ["lead"]}
    /// # ])).unwrap());
    /// let f = registry.filter("Size").at_most(50.0).build().unwrap();
    /// assert_eq!(f.maximum_value, Some(50.0));
    /// ```
    pub fn at_most(self, max: f64) -> Self {
        self.bound("at_most", None, Some(max), &Self::RANGED)
    }

    /// Values between `min` and `max` (inclusive).
    ///
    /// ```
    /// # let registry = copper_crm::custom_fields::CustomFieldRegistry::new(serde_json::from_value(serde_json::json!([
    /// #     {"id": 10, "name": "Fruit", "data_type": "MultiSelect", "available_on": ["lead"],
    /// #      "options": [{"id": 3, "name": "Apples", "rank": 0}, {"id": 4, "name": "Pears", "rank": 1}]},
    /// #     {"id": 11, "name": "Size", "data_type": "Float", "available_on": ["lead"]},
    /// #     {"id": 12, "name": "Due", "data_type": "Date", "available_on": ["lead"]},
    /// #     {"id": 13, "name": "VIP", "data_type": "Checkbox", "available_on": ["lead"]}
    /// # ])).unwrap());
    /// let f = registry.filter("Due").between(1_518_595_200.0, 1_518_596_200.0).build().unwrap();
    /// assert_eq!(f.minimum_value, Some(1_518_595_200.0));
    /// ```
    pub fn between(self, min: f64, max: f64) -> Self {
        self.bound("between", Some(min), Some(max), &Self::RANGED)
    }

    /// Dates on or after `day` (Date).
    ///
    /// ```
    /// # let registry = copper_crm::custom_fields::CustomFieldRegistry::new(serde_json::from_value(serde_json::json!([
    /// #     {"id": 10, "name": "Fruit", "data_type": "MultiSelect", "available_on": ["lead"],
    /// #      "options": [{"id": 3, "name": "Apples", "rank": 0}, {"id": 4, "name": "Pears", "rank": 1}]},
    /// #     {"id": 11, "name": "Size", "data_type": "Float", "available_on": ["lead"]},
    /// #     {"id": 12, "name": "Due", "data_type": "Date", "available_on": ["lead"]},
    /// #     {"id": 13, "name": "VIP", "data_type": "Checkbox", "available_on": ["lead"]}
    /// # ])).unwrap());
    /// let day = chrono::NaiveDate::from_ymd_opt(2018, 2, 14).unwrap();
    /// let f = registry.filter("Due").on_or_after(day).build().unwrap();
    /// assert!(f.minimum_value.unwrap() <= 1_518_595_200.0); // 2018-02-14 08:00 UTC
    /// ```
    pub fn on_or_after(self, day: NaiveDate) -> Self {
        let (start, _) = day_bounds(day, self.registry.utc_offset());
        self.bound(
            "on_or_after",
            Some(start as f64),
            None,
            &[CustomFieldDataType::Date],
        )
    }

    /// Dates on or before `day` (Date).
    ///
    /// ```
    /// # let registry = copper_crm::custom_fields::CustomFieldRegistry::new(serde_json::from_value(serde_json::json!([
    /// #     {"id": 10, "name": "Fruit", "data_type": "MultiSelect", "available_on": ["lead"],
    /// #      "options": [{"id": 3, "name": "Apples", "rank": 0}, {"id": 4, "name": "Pears", "rank": 1}]},
    /// #     {"id": 11, "name": "Size", "data_type": "Float", "available_on": ["lead"]},
    /// #     {"id": 12, "name": "Due", "data_type": "Date", "available_on": ["lead"]},
    /// #     {"id": 13, "name": "VIP", "data_type": "Checkbox", "available_on": ["lead"]}
    /// # ])).unwrap());
    /// let day = chrono::NaiveDate::from_ymd_opt(2018, 2, 14).unwrap();
    /// let f = registry.filter("Due").on_or_before(day).build().unwrap();
    /// assert!(f.maximum_value.unwrap() >= 1_518_595_200.0);
    /// ```
    pub fn on_or_before(self, day: NaiveDate) -> Self {
        let (_, end) = day_bounds(day, self.registry.utc_offset());
        self.bound(
            "on_or_before",
            None,
            Some(end as f64),
            &[CustomFieldDataType::Date],
        )
    }

    /// Dates from `first` to `last`, both included (Date). A day covers the
    /// unix seconds [`CustomDate`](super::CustomDate) reads as that day.
    ///
    /// ```
    /// # let registry = copper_crm::custom_fields::CustomFieldRegistry::new(serde_json::from_value(serde_json::json!([
    /// #     {"id": 10, "name": "Fruit", "data_type": "MultiSelect", "available_on": ["lead"],
    /// #      "options": [{"id": 3, "name": "Apples", "rank": 0}, {"id": 4, "name": "Pears", "rank": 1}]},
    /// #     {"id": 11, "name": "Size", "data_type": "Float", "available_on": ["lead"]},
    /// #     {"id": 12, "name": "Due", "data_type": "Date", "available_on": ["lead"]},
    /// #     {"id": 13, "name": "VIP", "data_type": "Checkbox", "available_on": ["lead"]}
    /// # ])).unwrap());
    /// let (from, to) = (chrono::NaiveDate::from_ymd_opt(2018, 1, 1).unwrap(), chrono::NaiveDate::from_ymd_opt(2018, 12, 31).unwrap());
    /// let f = registry.filter("Due").dates_between(from, to).build().unwrap();
    /// assert!(f.minimum_value < f.maximum_value);
    /// ```
    pub fn dates_between(self, first: NaiveDate, last: NaiveDate) -> Self {
        self.on_or_after(first).on_or_before(last)
    }

    /// The filter, or an [`Error::InvalidInput`] naming every problem.
    ///
    /// ```
    /// # let registry = copper_crm::custom_fields::CustomFieldRegistry::new(serde_json::from_value(serde_json::json!([
    /// #     {"id": 10, "name": "Fruit", "data_type": "MultiSelect", "available_on": ["lead"],
    /// #      "options": [{"id": 3, "name": "Apples", "rank": 0}, {"id": 4, "name": "Pears", "rank": 1}]},
    /// #     {"id": 11, "name": "Size", "data_type": "Float", "available_on": ["lead"]},
    /// #     {"id": 12, "name": "Due", "data_type": "Date", "available_on": ["lead"]},
    /// #     {"id": 13, "name": "VIP", "data_type": "Checkbox", "available_on": ["lead"]}
    /// # ])).unwrap());
    /// let err = registry.filter("Size").any_of(["Big"]).build().unwrap_err().to_string();
    /// assert!(err.contains("\"Size\" is a Float field"), "{err}");
    /// ```
    pub fn build(self) -> Result<types::CustomFieldFilter, Error> {
        let mut problems = self.problems;
        let definition = match self.definition {
            Ok(d) => d,
            Err(problem) => {
                problems.insert(0, problem);
                return Err(Error::InvalidInput(problems.join("; ")));
            }
        };
        let mut filter = self
            .filter
            .expect("a filter exists when the definition is known");
        if filter.value.as_ref().is_some_and(Value::is_array) {
            let mut ids = Vec::with_capacity(self.labels.len());
            for label in &self.labels {
                match CustomFieldRegistry::option_by_label(definition, label) {
                    Ok(o) => ids.push(Value::from(o.id)),
                    Err(Error::InvalidInput(m)) => problems.push(m),
                    Err(other) => problems.push(other.to_string()),
                }
            }
            if self.labels.is_empty() {
                problems.push(format!(
                    "custom field {:?}: give at least one option label",
                    definition.name
                ));
            }
            filter.value = Some(Value::Array(ids));
        }
        let data_type = CustomFieldRegistry::data_type(definition);
        if matches!(
            data_type,
            CustomFieldDataType::String
                | CustomFieldDataType::Text
                | CustomFieldDataType::Url
                | CustomFieldDataType::Connect
        ) {
            problems.push(format!(
                "custom field {:?} is a {} field, which Copper cannot search",
                definition.name, definition.data_type
            ));
        }
        if let (Some(min), Some(max)) = (filter.minimum_value, filter.maximum_value)
            && min > max
        {
            problems.push(format!(
                "custom field {:?}: the minimum {min} is above the maximum {max}",
                definition.name
            ));
        }
        let has_condition = filter.value.is_some()
            || filter.allow_empty.is_some()
            || filter.minimum_value.is_some()
            || filter.maximum_value.is_some();
        if !has_condition && problems.is_empty() {
            problems.push(format!(
                "the filter on custom field {:?} has no condition",
                definition.name
            ));
        }
        if problems.is_empty() {
            Ok(filter)
        } else {
            Err(Error::InvalidInput(problems.join("; ")))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn registry() -> CustomFieldRegistry {
        CustomFieldRegistry::new(
            serde_json::from_value(json!([
                {"id": 3, "name": "Flavor", "data_type": "Dropdown", "available_on": ["lead"],
                 "options": [{"id": 1, "name": "Chocolate", "rank": 0}]},
                {"id": 4, "name": "When", "data_type": "Date", "available_on": ["lead"]},
                {"id": 10, "name": "Fruit", "data_type": "MultiSelect", "available_on": ["lead"],
                 "options": [{"id": 3, "name": "Apples", "rank": 0}]},
                {"id": 11, "name": "Code", "data_type": "String", "available_on": ["lead"]}
            ]))
            .unwrap(),
        )
    }

    fn fixture(name: &str) -> types::CustomFieldFilter {
        let path = format!("{}/../../tests/fixtures/{name}", env!("CARGO_MANIFEST_DIR"));
        let body = serde_json::from_str::<Value>(&std::fs::read_to_string(path).unwrap()).unwrap();
        serde_json::from_value(body["custom_fields"][0].clone()).unwrap()
    }

    #[test]
    fn reproduces_the_documented_filters() {
        let r = registry();
        let j = |f: types::CustomFieldFilter| serde_json::to_value(f).unwrap();
        assert_eq!(
            r.filter("Flavor").any_of(["Chocolate"]).build().unwrap(),
            fixture("leads_search.request.cf_dropdown.json")
        );
        assert_eq!(
            r.filter("Flavor").empty().build().unwrap(),
            fixture("leads_search.request.cf_dropdown_empty.json")
        );
        assert_eq!(
            j(r.filter("Fruit")
                .any_of(["Apples"])
                .allow_empty()
                .build()
                .unwrap()),
            json!({"custom_field_definition_id": 10, "value": [3], "allow_empty": true, "option": "ANY"})
        );
        assert_eq!(
            r.filter("When")
                .between(1_518_595_200.0, 1_518_596_200.0)
                .build()
                .unwrap(),
            fixture("leads_search.request.cf_date.json")
        );
        let day = NaiveDate::from_ymd_opt(2018, 2, 14).unwrap();
        let f = r.filter("When").dates_between(day, day).build().unwrap();
        assert!(
            f.minimum_value.unwrap() <= 1_518_595_200.0
                && 1_518_595_200.0 <= f.maximum_value.unwrap()
        );
    }

    #[test]
    fn misuse_is_refused() {
        let r = registry();
        let e = |b: CustomFieldFilterBuilder<'_>| b.build().unwrap_err().to_string();
        assert!(
            e(r.filter("Flavor").all_of(["Chocolate"])).contains(".all_of() filters MultiSelect")
        );
        assert!(e(r.filter("Flavor").any_of(["Mint"])).contains("no option \"Mint\""));
        assert!(e(r.filter("Code").equals(true)).contains("cannot search"));
        assert!(e(r.filter("When")).contains("no condition"));
        assert!(e(r.filter("When").between(2.0, 1.0)).contains("above the maximum"));
        assert!(e(r.filter("Nope").equals(true)).contains("\"Nope\""));
        assert!(e(r.filter("Fruit").any_of(Vec::<String>::new())).contains("at least one"));
    }
}
