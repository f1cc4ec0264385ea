//! What happened to each input record: [`BulkOutcome`], [`ItemErrors`].

use std::fmt;

use serde_json::Value;

use crate::ApiErrorBody;

/// What happened to one input record of a bulk job. Every input index
/// appears in exactly one outcome.
///
/// `R` is the record type Copper answers with (e.g. [`types::Person`](crate::types::Person)),
/// `I` the input type (e.g. [`types::PersonCreate`](crate::types::PersonCreate), or
/// `(id, PersonUpdate)` for updates).
///
/// ```
/// use copper_crm::bulk::BulkOutcome;
/// use copper_crm::types::{Person, PersonCreate};
///
/// fn describe(outcome: &BulkOutcome<Person, PersonCreate>) -> String {
///     match outcome {
///         BulkOutcome::Created { index, record } => format!("#{index}: created {}", record.id),
///         BulkOutcome::Updated { index, record } => format!("#{index}: updated {}", record.id),
///         BulkOutcome::Rejected { index, errors, .. } => format!("#{index}: rejected ({errors})"),
///         BulkOutcome::Unknown { index, reason, .. } => format!("#{index}: check by hand ({reason})"),
///     }
/// }
/// # let _ = describe;
/// ```
#[derive(Debug, Clone, PartialEq)]
pub enum BulkOutcome<R, I> {
    /// Copper created the record (possibly confirmed by reconciliation after
    /// an ambiguous failure).
    Created {
        /// The position of the record in the input (0-based).
        index: u64,
        /// The record as Copper stored it.
        record: R,
    },
    /// Copper updated the record (or, for a lead upsert, matched an existing
    /// lead and updated it).
    Updated {
        /// The position of the record in the input (0-based).
        index: u64,
        /// The record as Copper stored it.
        record: R,
    },
    /// The record was not applied: Copper refused it (per-field messages in
    /// `errors`), or it was refused before sending (invalid input), or the run
    /// gave up on it for a reason that proves it was not applied (e.g. rate
    /// limited for longer than the patience).
    Rejected {
        /// The position of the record in the input (0-based).
        index: u64,
        /// Why.
        errors: ItemErrors,
        /// The input, so it can be fixed and sent again (`None` when the
        /// input could not even be converted to the request type).
        input: Option<I>,
    },
    /// Copper may or may not have applied the record: a request failed
    /// ambiguously (5xx, timeout, connection dropped after sending) and the
    /// record could not be reconciled. Check it by hand; the input is kept.
    Unknown {
        /// The position of the record in the input (0-based).
        index: u64,
        /// The input, so nothing is lost.
        input: I,
        /// What failed and why it could not be reconciled.
        reason: String,
    },
}

impl<R, I> BulkOutcome<R, I> {
    /// The input index this outcome is for.
    ///
    /// ```
    /// use copper_crm::bulk::{BulkOutcome, ItemErrors};
    /// let o: BulkOutcome<(), ()> = BulkOutcome::Rejected { index: 7, errors: ItemErrors::message("bad"), input: None };
    /// assert_eq!(o.index(), 7);
    /// ```
    pub fn index(&self) -> u64 {
        match self {
            BulkOutcome::Created { index, .. }
            | BulkOutcome::Updated { index, .. }
            | BulkOutcome::Rejected { index, .. }
            | BulkOutcome::Unknown { index, .. } => *index,
        }
    }

    /// The stored record, for `Created` and `Updated`.
    ///
    /// ```
    /// use copper_crm::bulk::BulkOutcome;
    /// let o: BulkOutcome<&str, ()> = BulkOutcome::Created { index: 0, record: "stored" };
    /// assert_eq!(o.record(), Some(&"stored"));
    /// ```
    pub fn record(&self) -> Option<&R> {
        match self {
            BulkOutcome::Created { record, .. } | BulkOutcome::Updated { record, .. } => {
                Some(record)
            }
            _ => None,
        }
    }

    /// Whether the record was applied (`Created` or `Updated`).
    ///
    /// ```
    /// use copper_crm::bulk::BulkOutcome;
    /// let o: BulkOutcome<(), ()> = BulkOutcome::Updated { index: 0, record: () };
    /// assert!(o.is_applied());
    /// ```
    pub fn is_applied(&self) -> bool {
        matches!(
            self,
            BulkOutcome::Created { .. } | BulkOutcome::Updated { .. }
        )
    }

    /// Whether the outcome is `Unknown`.
    ///
    /// ```
    /// use copper_crm::bulk::BulkOutcome;
    /// let o: BulkOutcome<(), u8> = BulkOutcome::Unknown { index: 0, input: 1, reason: "503".into() };
    /// assert!(o.is_unknown());
    /// ```
    pub fn is_unknown(&self) -> bool {
        matches!(self, BulkOutcome::Unknown { .. })
    }

    /// The errors of a `Rejected` outcome.
    ///
    /// ```
    /// use copper_crm::bulk::{BulkOutcome, ItemErrors};
    /// let o: BulkOutcome<(), ()> = BulkOutcome::Rejected { index: 0, errors: ItemErrors::message("no"), input: None };
    /// assert_eq!(o.errors().unwrap().to_string(), "no");
    /// ```
    pub fn errors(&self) -> Option<&ItemErrors> {
        match self {
            BulkOutcome::Rejected { errors, .. } => Some(errors),
            _ => None,
        }
    }
}

/// One message Copper attached to one attribute of a refused record, e.g.
/// `name`: `can't be blank`.
///
/// ```
/// let e = copper_crm::bulk::FieldError { field: "name".into(), message: "can't be blank".into() };
/// assert_eq!(e.to_string(), "name: can't be blank");
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldError {
    /// The attribute (`name`, `emails`, ...).
    pub field: String,
    /// Copper's message for it.
    pub message: String,
}

impl fmt::Display for FieldError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.field, self.message)
    }
}

/// Why a record was rejected: Copper's per-field messages, and/or a message
/// about the whole request (with its HTTP status when Copper refused the
/// whole request).
///
/// ```
/// use copper_crm::bulk::ItemErrors;
///
/// // A failed item of a bulk answer:
/// let failure = serde_json::json!({"success": false, "message": {"name": [{"error": "can't be blank"}]}});
/// let errors = ItemErrors::from_bulk_failure(&failure);
/// assert_eq!(errors.for_field("name").collect::<Vec<_>>(), ["can't be blank"]);
/// assert_eq!(errors.to_string(), "name: can't be blank");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ItemErrors {
    /// Copper's messages per attribute, sorted by attribute.
    pub fields: Vec<FieldError>,
    /// A message about the whole record or request, when there is one.
    pub message: Option<String>,
    /// The HTTP status, when Copper refused the whole request the record was
    /// in (not for a per-item failure of a bulk answer).
    pub status: Option<u16>,
}

impl ItemErrors {
    /// Errors with only a message.
    ///
    /// ```
    /// assert_eq!(copper_crm::bulk::ItemErrors::message("invalid input").to_string(), "invalid input");
    /// ```
    pub fn message(message: impl Into<String>) -> Self {
        ItemErrors {
            fields: Vec::new(),
            message: Some(message.into()),
            status: None,
        }
    }

    /// Read a failed item of a bulk answer:
    /// `{"success": false, "message": {"<field>": [{"error": "..."}]}, "id"?}`.
    /// A `message` that is a string (or anything else) is kept as the message.
    ///
    /// ```
    /// use copper_crm::bulk::ItemErrors;
    /// let e = ItemErrors::from_bulk_failure(&serde_json::json!({"success": false, "message": "nope"}));
    /// assert_eq!(e.message.as_deref(), Some("nope"));
    /// ```
    pub fn from_bulk_failure(item: &Value) -> Self {
        let mut errors = ItemErrors::default();
        errors.absorb(item.get("message").unwrap_or(&Value::Null));
        if errors.fields.is_empty() && errors.message.is_none() {
            errors.message = Some(format!(
                "Copper refused the item without a message: {}",
                crate::error::snippet(item.to_string().as_bytes())
            ));
        }
        errors
    }

    /// Errors from a refused request: its status and Copper's error body,
    /// whose `message` may be a per-field object or a sentence.
    ///
    /// ```
    /// use copper_crm::{ApiErrorBody, bulk::ItemErrors};
    /// let body: copper_crm::types::ErrorBody =
    ///     serde_json::from_value(serde_json::json!({"success": false, "status": 422, "message": "Invalid input: name can't be blank"})).unwrap();
    /// let e = ItemErrors::from_api(422, &ApiErrorBody(body));
    /// assert_eq!(e.status, Some(422));
    /// assert!(e.to_string().contains("name can't be blank"));
    /// ```
    pub fn from_api(status: u16, body: &ApiErrorBody) -> Self {
        let mut errors = ItemErrors {
            status: Some(status),
            ..ItemErrors::default()
        };
        if let Some(message) = &body.0.message {
            errors.absorb(message);
        }
        if let Some(error) = &body.0.error {
            errors.message = Some(match errors.message.take() {
                Some(m) => format!("{error}: {m}"),
                None => error.clone(),
            });
        }
        if errors.fields.is_empty() && errors.message.is_none() {
            errors.message = Some(format!("Copper answered {status} without an error text"));
        }
        errors
    }

    /// The messages for one attribute.
    ///
    /// ```
    /// let e = copper_crm::bulk::ItemErrors::message("x");
    /// assert_eq!(e.for_field("name").count(), 0);
    /// ```
    pub fn for_field<'a>(&'a self, field: &'a str) -> impl Iterator<Item = &'a str> + 'a {
        self.fields
            .iter()
            .filter(move |e| e.field == field)
            .map(|e| e.message.as_str())
    }

    /// Whether any message concerns `field`.
    ///
    /// ```
    /// let e = copper_crm::bulk::ItemErrors::message("x");
    /// assert!(!e.has_field("emails"));
    /// ```
    pub fn has_field(&self, field: &str) -> bool {
        self.fields.iter().any(|e| e.field == field)
    }

    fn absorb(&mut self, message: &Value) {
        match message {
            Value::Object(map) => {
                for (field, list) in map {
                    let texts: Vec<String> = match list {
                        Value::Array(items) => items
                            .iter()
                            .map(|e| match e.get("error") {
                                Some(Value::String(s)) => s.clone(),
                                Some(other) => other.to_string(),
                                None => match e {
                                    Value::String(s) => s.clone(),
                                    other => other.to_string(),
                                },
                            })
                            .collect(),
                        Value::String(s) => vec![s.clone()],
                        other => vec![other.to_string()],
                    };
                    for text in texts {
                        self.fields.push(FieldError {
                            field: field.clone(),
                            message: text,
                        });
                    }
                }
                self.fields.sort_by(|a, b| a.field.cmp(&b.field));
            }
            Value::String(s) => self.message = Some(s.clone()),
            Value::Null => {}
            other => self.message = Some(other.to_string()),
        }
    }
}

impl fmt::Display for ItemErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut first = true;
        if let Some(status) = self.status {
            write!(f, "{status}")?;
            first = false;
        }
        if let Some(m) = &self.message {
            if !first {
                f.write_str(" ")?;
            }
            f.write_str(m)?;
            first = false;
        }
        for e in &self.fields {
            if !first {
                f.write_str("; ")?;
            }
            write!(f, "{e}")?;
            first = false;
        }
        Ok(())
    }
}

/// How many outcomes of each kind.
///
/// ```
/// let c = copper_crm::bulk::BulkCounts { created: 8, updated: 0, rejected: 1, unknown: 1 };
/// assert_eq!(c.total(), 10);
/// ```
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct BulkCounts {
    /// `Created` outcomes.
    pub created: u64,
    /// `Updated` outcomes.
    pub updated: u64,
    /// `Rejected` outcomes.
    pub rejected: u64,
    /// `Unknown` outcomes.
    pub unknown: u64,
}

impl BulkCounts {
    /// All outcomes.
    ///
    /// ```
    /// assert_eq!(copper_crm::bulk::BulkCounts::default().total(), 0);
    /// ```
    pub fn total(&self) -> u64 {
        self.created + self.updated + self.rejected + self.unknown
    }

    /// Count one more outcome.
    ///
    /// ```
    /// use copper_crm::bulk::{BulkCounts, BulkOutcome};
    /// let mut c = BulkCounts::default();
    /// c.add(&BulkOutcome::<(), ()>::Created { index: 0, record: () });
    /// assert_eq!(c.created, 1);
    /// ```
    pub fn add<R, I>(&mut self, outcome: &BulkOutcome<R, I>) {
        match outcome {
            BulkOutcome::Created { .. } => self.created += 1,
            BulkOutcome::Updated { .. } => self.updated += 1,
            BulkOutcome::Rejected { .. } => self.rejected += 1,
            BulkOutcome::Unknown { .. } => self.unknown += 1,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bulk_failures_are_read_per_field_in_field_order() {
        let item = serde_json::json!({
            "success": false,
            "message": {"name": [{"error": "invalid"}], "emails": [{"error": "a@b.c is taken"}, {"error": "twice"}]},
            "id": 5
        });
        let e = ItemErrors::from_bulk_failure(&item);
        assert_eq!(e.fields.len(), 3);
        assert_eq!(e.fields[0].field, "emails");
        assert_eq!(
            e.for_field("emails").collect::<Vec<_>>(),
            ["a@b.c is taken", "twice"]
        );
        assert_eq!(
            e.to_string(),
            "emails: a@b.c is taken; emails: twice; name: invalid"
        );
        let bare = ItemErrors::from_bulk_failure(&serde_json::json!({"success": false}));
        assert!(bare.message.unwrap().contains("without a message"));
    }

    #[test]
    fn api_errors_keep_status_and_both_body_shapes() {
        let obj: copper_crm_raw::types::ErrorBody = serde_json::from_value(serde_json::json!({
            "success": false, "status": 422, "message": {"name": ["can't be blank"]}
        }))
        .unwrap();
        let e = ItemErrors::from_api(422, &ApiErrorBody(obj));
        assert_eq!(e.for_field("name").collect::<Vec<_>>(), ["can't be blank"]);
        assert_eq!(e.to_string(), "422; name: can't be blank");
        let plain: copper_crm_raw::types::ErrorBody =
            serde_json::from_value(serde_json::json!({"error": "not_found"})).unwrap();
        assert_eq!(
            ItemErrors::from_api(404, &ApiErrorBody(plain)).to_string(),
            "404 not_found"
        );
        let empty = ItemErrors::from_api(400, &ApiErrorBody(Default::default()));
        assert!(empty.to_string().contains("without an error text"));
    }
}
