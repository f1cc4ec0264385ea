//! Updates that clear attributes.

use serde::Serialize;
use serde_json::Value;

use crate::Error;

/// An update that may also clear attributes.
///
/// Copper's `PUT` changes only the attributes sent and clears an attribute
/// sent as an explicit `null`. The generated update types leave unset fields
/// out, so they cannot say "clear"; a `Patch` adds the explicit nulls.
///
/// ```
/// use copper_crm::Patch;
/// use copper_crm::types::PersonUpdate;
///
/// let patch = Patch::<PersonUpdate>::new(PersonUpdate::builder().title(Some("CTO".to_string())))
///     .unwrap()
///     .clear("details")
///     .clear("assignee_id");
/// let json = patch.to_json().unwrap();
/// assert_eq!(json["title"], "CTO");
/// assert!(json["details"].is_null() && json.get("details").is_some());
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct Patch<U> {
    update: U,
    clear: Vec<String>,
}

impl<U: Serialize> Patch<U> {
    /// A patch that sets what `update` sets (a value or a generated builder).
    ///
    /// ```
    /// use copper_crm::Patch;
    /// use copper_crm::types::PersonUpdate;
    ///
    /// let from_builder = Patch::<PersonUpdate>::new(PersonUpdate::builder().title(Some("CTO".to_string()))).unwrap();
    /// let from_value = Patch::<PersonUpdate>::new(PersonUpdate { title: Some("CTO".into()), ..Default::default() }).unwrap();
    /// assert_eq!(from_builder, from_value);
    /// assert!(!from_value.clears_anything());
    /// ```
    pub fn new<T>(update: T) -> Result<Self, Error>
    where
        T: TryInto<U>,
        T::Error: std::fmt::Display,
    {
        let update = update
            .try_into()
            .map_err(|e| Error::InvalidInput(format!("invalid update: {e}")))?;
        Ok(Patch {
            update,
            clear: Vec::new(),
        })
    }

    /// Also clear `attribute` (send it as `null`).
    ///
    /// ```
    /// use copper_crm::Patch;
    /// use copper_crm::types::PersonUpdate;
    ///
    /// let patch = Patch::<PersonUpdate>::new(PersonUpdate::default()).unwrap().clear("title").clear("details");
    /// assert_eq!(patch.to_json().unwrap(), serde_json::json!({"title": null, "details": null}));
    /// ```
    pub fn clear(mut self, attribute: impl Into<String>) -> Self {
        self.clear.push(attribute.into());
        self
    }

    /// Whether the patch clears anything.
    ///
    /// ```
    /// use copper_crm::Patch;
    /// use copper_crm::types::PersonUpdate;
    ///
    /// let patch = Patch::<PersonUpdate>::new(PersonUpdate::default()).unwrap();
    /// assert!(!patch.clears_anything());
    /// assert!(patch.clear("title").clears_anything());
    /// ```
    pub fn clears_anything(&self) -> bool {
        !self.clear.is_empty()
    }

    /// The update part.
    ///
    /// ```
    /// use copper_crm::Patch;
    /// use copper_crm::types::PersonUpdate;
    ///
    /// let patch = Patch::<PersonUpdate>::new(PersonUpdate::builder().title(Some("CTO".to_string())))
    ///     .unwrap()
    ///     .clear("details");
    /// assert_eq!(patch.update().title.as_deref(), Some("CTO"));
    /// assert_eq!(patch.update().details, None); // cleared only in the JSON body
    /// ```
    pub fn update(&self) -> &U {
        &self.update
    }

    /// The JSON body: the update's attributes plus an explicit `null` for
    /// each cleared attribute. Setting and clearing the same attribute is an
    /// error.
    ///
    /// ```
    /// use copper_crm::Patch;
    /// use copper_crm::types::PersonUpdate;
    ///
    /// let title = |t: &str| PersonUpdate { title: Some(t.into()), ..Default::default() };
    /// let json = Patch::<PersonUpdate>::new(title("CTO")).unwrap().clear("details").to_json().unwrap();
    /// assert_eq!(json, serde_json::json!({"title": "CTO", "details": null}));
    /// let err = Patch::<PersonUpdate>::new(title("CTO")).unwrap().clear("title").to_json().unwrap_err();
    /// assert!(err.to_string().contains("both set and cleared"));
    /// ```
    pub fn to_json(&self) -> Result<Value, Error> {
        let mut json = serde_json::to_value(&self.update)
            .map_err(|e| Error::InvalidInput(format!("the update does not serialize: {e}")))?;
        let map = json.as_object_mut().ok_or_else(|| {
            Error::InvalidInput("an update must serialize to a JSON object".into())
        })?;
        for attribute in &self.clear {
            if map.get(attribute).is_some_and(|v| !v.is_null()) {
                return Err(Error::InvalidInput(format!(
                    "attribute {attribute:?} is both set and cleared"
                )));
            }
            map.insert(attribute.clone(), Value::Null);
        }
        Ok(json)
    }
}
