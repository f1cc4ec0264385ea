//! Receiving webhook notifications: typed parsing and a constant-time
//! secret check.
//!
//! Copper POSTs a JSON [`WebhookNotification`] to a subscription's target and
//! merges the subscription's `secret` key/value pairs into its top level. A
//! receiver parses the body and checks those pairs against the
//! [`WebhookSecret`] it configured, in constant time:
//!
//! ```
//! use copper_crm::enums::{WebhookEntityType, WebhookEvent};
//! use copper_crm::webhooks::WebhookSecret;
//!
//! let secret = WebhookSecret::new("secret", "hook_source").and("key", "copper_notifications");
//! let body = br#"{"ids":[27140442],"type":"person","event":"new","subscription_id":17065,
//!                 "secret":"hook_source","key":"copper_notifications",
//!                 "timestamp":"2021-12-13T19:18:22.084Z"}"#;
//! let notification = secret.verify(body).expect("a genuine notification");
//! assert_eq!(notification.entity_type(), WebhookEntityType::Person);
//! assert_eq!(notification.event(), WebhookEvent::New);
//! assert_eq!(notification.ids(), &[27140442]);
//!
//! let forged = br#"{"ids":[1],"type":"person","event":"new","subscription_id":17065,"secret":"guess","key":"copper_notifications"}"#;
//! assert!(secret.verify(forged).is_err());
//! ```
//!
//! Copper fires each notification once and never retries it, so answer
//! quickly (queue the work) and reconcile periodically.

use std::borrow::Cow;
use std::fmt;
use std::str::FromStr;

use chrono::{DateTime, Utc};
use copper_crm_raw::types;
use secrecy::{ExposeSecret, SecretString};
use serde_json::{Map, Value};
use subtle::{Choice, ConstantTimeEq};

use crate::Error;
use crate::custom_fields::{CustomFieldRegistry, CustomFieldValue};
use crate::enums::{CustomFieldDataType, WebhookEntityType, WebhookEvent};

/// The top-level properties Copper defines; every other top-level property
/// of a notification is one of the subscription's secret pairs.
const KNOWN_KEYS: [&str; 6] = [
    "ids",
    "type",
    "event",
    "subscription_id",
    "updated_attributes",
    "timestamp",
];

/// The operation name errors of this module carry.
const OPERATION: &str = "webhook_notification";

/// A webhook notification, parsed.
///
/// `Debug` shows the documented properties and only the *names* of the
/// extra top-level properties (the subscription's secret pairs), never their
/// values.
///
/// ```
/// use copper_crm::webhooks::WebhookNotification;
///
/// let n = WebhookNotification::parse(br#"{"ids":[1,2],"type":"lead","event":"delete","subscription_id":9,"token":"s3cr3t"}"#).unwrap();
/// assert_eq!(n.ids(), &[1, 2]);
/// assert_eq!(n.subscription_id(), 9);
/// assert!(n.timestamp().is_none()); // older notifications have none
/// assert!(!format!("{n:?}").contains("s3cr3t"));
/// ```
#[derive(Clone, PartialEq)]
pub struct WebhookNotification {
    raw: types::WebhookNotification,
}

impl fmt::Debug for WebhookNotification {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("WebhookNotification")
            .field("ids", &self.raw.ids)
            .field("type", &self.raw.type_)
            .field("event", &self.raw.event)
            .field("subscription_id", &self.raw.subscription_id)
            .field("timestamp", &self.raw.timestamp)
            .field("updated_attributes", &self.raw.updated_attributes)
            .field(
                "secret_keys",
                &self
                    .raw
                    .extra
                    .keys()
                    .map(|_| "[REDACTED]")
                    .collect::<Vec<_>>(),
            )
            .finish()
    }
}

impl WebhookNotification {
    /// Parse a notification body. A body that is not a notification is an
    /// [`Error::Decode`] whose snippet has the values of every unknown
    /// property (the secret pairs) replaced by `[REDACTED]`.
    ///
    /// ```
    /// use copper_crm::webhooks::WebhookNotification;
    ///
    /// let err = WebhookNotification::parse(br#"{"ids":"oops","secret":"hunter2"}"#).unwrap_err();
    /// let text = err.to_string();
    /// assert!(text.contains("ids") && !text.contains("hunter2"), "{text}");
    /// ```
    pub fn parse(body: &[u8]) -> Result<Self, Error> {
        match serde_json::from_slice::<types::WebhookNotification>(body) {
            Ok(raw) => Ok(WebhookNotification { raw }),
            Err(e) => Err(Error::Decode {
                operation: OPERATION,
                status: None,
                message: e.to_string(),
                snippet: crate::error::snippet(redact_body(body).as_bytes()),
            }),
        }
    }

    /// Wrap an already decoded notification.
    ///
    /// ```
    /// # use copper_crm::webhooks::WebhookNotification;
    /// let raw: copper_crm::types::WebhookNotification =
    ///     serde_json::from_str(r#"{"ids":[1],"type":"task","event":"new","subscription_id":2}"#).unwrap();
    /// assert_eq!(WebhookNotification::from_raw(raw).ids(), &[1]);
    /// ```
    pub fn from_raw(raw: types::WebhookNotification) -> Self {
        WebhookNotification { raw }
    }

    /// The generated type. Its `extra` map holds the secret pairs and its
    /// derived `Debug` prints them: do not log it.
    ///
    /// ```
    /// # use copper_crm::webhooks::WebhookNotification;
    /// # let n = WebhookNotification::parse(br#"{"ids":[1],"type":"task","event":"new","subscription_id":2}"#).unwrap();
    /// assert_eq!(n.raw().type_, "task");
    /// ```
    pub fn raw(&self) -> &types::WebhookNotification {
        &self.raw
    }

    /// The generated type, by value (see [`raw`](Self::raw)).
    ///
    /// ```
    /// # use copper_crm::webhooks::WebhookNotification;
    /// # let n = WebhookNotification::parse(br#"{"ids":[1],"type":"task","event":"new","subscription_id":2}"#).unwrap();
    /// let raw = n.into_raw();
    /// assert_eq!(raw.subscription_id, 2);
    /// ```
    pub fn into_raw(self) -> types::WebhookNotification {
        self.raw
    }

    /// The ids of the records the event happened to (1 to 30).
    ///
    /// ```
    /// # use copper_crm::webhooks::WebhookNotification;
    /// # let n = WebhookNotification::parse(br#"{"ids":[1,2],"type":"task","event":"new","subscription_id":2}"#).unwrap();
    /// assert_eq!(n.ids().len(), 2);
    /// ```
    pub fn ids(&self) -> &[i64] {
        &self.raw.ids
    }

    /// The id of the subscription that sent it.
    ///
    /// ```
    /// # use copper_crm::webhooks::WebhookNotification;
    /// # let n = WebhookNotification::parse(br#"{"ids":[1],"type":"task","event":"new","subscription_id":2}"#).unwrap();
    /// assert_eq!(n.subscription_id(), 2);
    /// ```
    pub fn subscription_id(&self) -> i64 {
        self.raw.subscription_id
    }

    /// The event.
    ///
    /// ```
    /// # use copper_crm::webhooks::WebhookNotification;
    /// use copper_crm::enums::WebhookEvent;
    /// # let n = WebhookNotification::parse(br#"{"ids":[1],"type":"task","event":"new","subscription_id":2}"#).unwrap();
    /// assert_eq!(n.event(), WebhookEvent::New);
    /// ```
    pub fn event(&self) -> WebhookEvent {
        WebhookEvent::from(self.raw.event.as_str())
    }

    /// The record type.
    ///
    /// ```
    /// # use copper_crm::webhooks::WebhookNotification;
    /// use copper_crm::enums::WebhookEntityType;
    /// # let n = WebhookNotification::parse(br#"{"ids":[1],"type":"task","event":"new","subscription_id":2}"#).unwrap();
    /// assert_eq!(n.entity_type(), WebhookEntityType::Task);
    /// ```
    pub fn entity_type(&self) -> WebhookEntityType {
        WebhookEntityType::from(self.raw.type_.as_str())
    }

    /// When Copper sent it (absent from notifications before 2021-12-13).
    ///
    /// ```
    /// # use copper_crm::webhooks::WebhookNotification;
    /// let n = WebhookNotification::parse(br#"{"ids":[1],"type":"task","event":"new","subscription_id":2,"timestamp":"2021-12-13T19:18:22.084Z"}"#).unwrap();
    /// assert_eq!(n.timestamp().unwrap().timestamp_millis(), 1_639_423_102_084);
    /// ```
    pub fn timestamp(&self) -> Option<DateTime<Utc>> {
        self.raw.timestamp
    }

    /// The changed standard attributes of an `update` (custom fields are in
    /// [`custom_field_changes`](Self::custom_field_changes)), sorted by name.
    ///
    /// ```
    /// # use copper_crm::webhooks::WebhookNotification;
    /// let n = WebhookNotification::parse(br#"{"ids":[1],"type":"person","event":"update","subscription_id":2,
    ///     "updated_attributes":{"title":["CEO","CTO"],"tags":[[],["vip"]]}}"#).unwrap();
    /// let changes: Vec<_> = n.attribute_changes().collect();
    /// assert_eq!(changes[0].name, "tags");
    /// assert_eq!(changes[1].new, &serde_json::json!("CTO"));
    /// ```
    pub fn attribute_changes(&self) -> impl Iterator<Item = AttributeChange<'_>> {
        let mut changes: Vec<AttributeChange<'_>> = self
            .raw
            .updated_attributes
            .iter()
            .flat_map(|u| u.extra.iter())
            .map(|(name, change)| AttributeChange::new(name, change))
            .collect();
        changes.sort_by(|a, b| a.name.cmp(b.name));
        changes.into_iter()
    }

    /// The change of one standard attribute, if it changed.
    ///
    /// ```
    /// # use copper_crm::webhooks::WebhookNotification;
    /// let n = WebhookNotification::parse(br#"{"ids":[1],"type":"person","event":"update","subscription_id":2,
    ///     "updated_attributes":{"title":["CEO","CTO"]}}"#).unwrap();
    /// assert_eq!(n.attribute_change("title").unwrap().old, &serde_json::json!("CEO"));
    /// assert!(n.attribute_change("name").is_none());
    /// ```
    pub fn attribute_change(&self, name: &str) -> Option<AttributeChange<'_>> {
        let u = self.raw.updated_attributes.as_ref()?;
        u.extra
            .get_key_value(name)
            .map(|(name, change)| AttributeChange::new(name, change))
    }

    /// The changed custom fields of an `update`, sorted by definition id.
    ///
    /// ```
    /// # use copper_crm::webhooks::WebhookNotification;
    /// # let body = std::fs::read(concat!(env!("CARGO_MANIFEST_DIR"), "/../../tests/fixtures/webhook_notification.request.non_computed_custom_fields.json")).unwrap();
    /// let n = WebhookNotification::parse(&body).unwrap();
    /// let change = n.custom_field_changes().next().unwrap();
    /// assert_eq!(change.definition_id, Some(1));
    /// assert_eq!(change.new, &serde_json::json!([1, 2]));
    /// ```
    pub fn custom_field_changes(&self) -> impl Iterator<Item = CustomFieldChange<'_>> {
        let mut changes: Vec<CustomFieldChange<'_>> = self
            .raw
            .updated_attributes
            .iter()
            .flat_map(|u| u.custom_fields.iter())
            .map(|(key, change)| CustomFieldChange::new(key, change))
            .collect();
        changes.sort_by(|a, b| (a.definition_id, a.key).cmp(&(b.definition_id, b.key)));
        changes.into_iter()
    }

    /// The change of one custom field, by definition id.
    ///
    /// ```
    /// # use copper_crm::webhooks::WebhookNotification;
    /// # let body = std::fs::read(concat!(env!("CARGO_MANIFEST_DIR"), "/../../tests/fixtures/webhook_notification.request.computed_custom_fields.json")).unwrap();
    /// let n = WebhookNotification::parse(&body).unwrap();
    /// assert_eq!(n.custom_field_change(1).unwrap().old, &serde_json::json!(["Apples"]));
    /// ```
    pub fn custom_field_change(&self, definition_id: i64) -> Option<CustomFieldChange<'_>> {
        self.custom_field_changes()
            .find(|c| c.definition_id == Some(definition_id))
    }

    /// The definition ids of the changed custom fields, in the form
    /// [`CustomFieldsHandle::registry_knowing`](crate::custom_fields::CustomFieldsHandle::registry_knowing)
    /// takes, so the registry is refreshed if one is new.
    ///
    /// ```no_run
    /// # async fn run(client: copper_crm::Client, n: copper_crm::webhooks::WebhookNotification) -> Result<(), copper_crm::Error> {
    /// let registry = client.custom_fields().registry_knowing(n.custom_field_references()).await?;
    /// for change in n.custom_field_changes() {
    ///     let (old, new) = change.decode(&registry)?;
    ///     println!("{:?} -> {:?}", old, new);
    /// }
    /// # Ok(()) }
    /// ```
    pub fn custom_field_references(&self) -> Vec<(i64, Option<i64>)> {
        self.custom_field_changes()
            .filter_map(|c| c.definition_id)
            .map(|id| (id, None))
            .collect()
    }

    /// The names of the extra top-level properties (the subscription's
    /// secret keys).
    ///
    /// ```
    /// # use copper_crm::webhooks::WebhookNotification;
    /// let n = WebhookNotification::parse(br#"{"ids":[1],"type":"task","event":"new","subscription_id":2,"key":"k"}"#).unwrap();
    /// assert_eq!(n.secret_keys().collect::<Vec<_>>(), vec!["key"]);
    /// ```
    pub fn secret_keys(&self) -> impl Iterator<Item = &str> {
        self.raw.extra.keys().map(String::as_str)
    }

    /// Whether the notification carries every key/value pair of `secret`,
    /// compared in constant time (all pairs are always compared). A secret
    /// with no pairs, or with an empty value, never matches.
    ///
    /// ```
    /// use copper_crm::webhooks::{WebhookNotification, WebhookSecret};
    /// let n = WebhookNotification::parse(br#"{"ids":[1],"type":"task","event":"new","subscription_id":2,"key":"k1","secret":"s1"}"#).unwrap();
    /// assert!(n.verify_secret(&WebhookSecret::new("key", "k1").and("secret", "s1")));
    /// assert!(!n.verify_secret(&WebhookSecret::new("key", "k1").and("secret", "s2")));
    /// assert!(!n.verify_secret(&WebhookSecret::new("missing", "k1")));
    /// ```
    pub fn verify_secret(&self, secret: &WebhookSecret) -> bool {
        let mut ok = Choice::from(u8::from(!secret.pairs.is_empty()));
        for (key, expected) in &secret.pairs {
            let expected = expected.expose_secret().as_bytes();
            ok &= Choice::from(u8::from(!expected.is_empty()));
            let got: Option<Cow<'_, str>> = match self.raw.extra.get(key) {
                Some(Value::String(s)) => Some(Cow::Borrowed(s)),
                Some(Value::Null) | None => None,
                // A number or boolean configured as a secret value is compared by its JSON text.
                Some(other) => Some(Cow::Owned(other.to_string())),
            };
            match got {
                Some(got) => ok &= got.as_bytes().ct_eq(expected),
                None => ok &= Choice::from(0),
            }
        }
        ok.into()
    }
}

impl FromStr for WebhookNotification {
    type Err = Error;

    /// [`WebhookNotification::parse`] of a string.
    fn from_str(s: &str) -> Result<Self, Error> {
        WebhookNotification::parse(s.as_bytes())
    }
}

/// One changed standard attribute: Copper's `[old, new]`.
///
/// ```
/// # use copper_crm::webhooks::WebhookNotification;
/// let n = WebhookNotification::parse(br#"{"ids":[1],"type":"lead","event":"update","subscription_id":2,
///     "updated_attributes":{"status":["New","Open"]}}"#).unwrap();
/// let c = n.attribute_change("status").unwrap();
/// assert_eq!((c.old.as_str(), c.new.as_str()), (Some("New"), Some("Open")));
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct AttributeChange<'a> {
    /// The attribute name.
    pub name: &'a str,
    /// The value before (`null` when Copper sent fewer than two items).
    pub old: &'a Value,
    /// The value after (`null` when Copper sent fewer than two items).
    pub new: &'a Value,
    /// Copper's array as sent.
    pub raw: &'a [Value],
}

static NULL: Value = Value::Null;

impl<'a> AttributeChange<'a> {
    fn new(name: &'a str, change: &'a types::WebhookAttributeChange) -> Self {
        AttributeChange {
            name,
            old: change.first().unwrap_or(&NULL),
            new: change.get(1).unwrap_or(&NULL),
            raw: change,
        }
    }
}

/// One changed custom field: Copper's `[old, new]`, keyed by definition id.
/// With a subscription's `custom_field_computed_values`, Dropdown and
/// MultiSelect values are labels instead of option ids;
/// [`decode`](Self::decode) handles both.
///
/// ```
/// # use copper_crm::webhooks::WebhookNotification;
/// # let body = std::fs::read(concat!(env!("CARGO_MANIFEST_DIR"), "/../../tests/fixtures/webhook_notification.request.computed_custom_fields.json")).unwrap();
/// let n = WebhookNotification::parse(&body).unwrap();
/// let c = n.custom_field_change(1).unwrap();
/// assert_eq!(c.new, &serde_json::json!(["Apples", "Bananas"]));
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct CustomFieldChange<'a> {
    /// The key as sent (the definition id as a string).
    pub key: &'a str,
    /// The definition id, when the key is one.
    pub definition_id: Option<i64>,
    /// The value before.
    pub old: &'a Value,
    /// The value after.
    pub new: &'a Value,
}

impl<'a> CustomFieldChange<'a> {
    fn new(key: &'a str, change: &'a types::WebhookAttributeChange) -> Self {
        CustomFieldChange {
            key,
            definition_id: key.trim().parse().ok(),
            old: change.first().unwrap_or(&NULL),
            new: change.get(1).unwrap_or(&NULL),
        }
    }

    /// The old and new values, typed by the field's definition. Option
    /// labels come from the notification when it carries labels, else from
    /// the registry; labels are matched to the registry's option ids.
    ///
    /// ```
    /// use copper_crm::custom_fields::CustomFieldRegistry;
    /// # use copper_crm::webhooks::WebhookNotification;
    /// # let body = std::fs::read(concat!(env!("CARGO_MANIFEST_DIR"), "/../../tests/fixtures/webhook_notification.request.computed_custom_fields.json")).unwrap();
    /// let registry = CustomFieldRegistry::new(serde_json::from_value(serde_json::json!([
    ///     {"id": 1, "name": "Fruit", "data_type": "MultiSelect", "available_on": ["person"],
    ///      "options": [{"id": 1, "name": "Apples", "rank": 0}, {"id": 2, "name": "Bananas", "rank": 1}]}
    /// ])).unwrap());
    /// let n = WebhookNotification::parse(&body).unwrap();
    /// let (old, new) = n.custom_field_change(1).unwrap().decode(&registry).unwrap();
    /// assert_eq!(old.unwrap().labels(), vec!["Apples"]);
    /// assert_eq!(new.unwrap().options().iter().map(|o| o.id).collect::<Vec<_>>(), vec![1, 2]);
    /// ```
    pub fn decode(
        &self,
        registry: &CustomFieldRegistry,
    ) -> Result<(Option<CustomFieldValue>, Option<CustomFieldValue>), Error> {
        let id = self.definition_id.ok_or_else(|| Error::Decode {
            operation: OPERATION,
            status: None,
            message: format!("custom field key {:?} is not a definition id", self.key),
            snippet: crate::error::snippet(self.key.as_bytes()),
        })?;
        let definition = registry.lookup(&crate::custom_fields::FieldRef::Id(id), None)?;
        let registry = registry
            .clone()
            .decode_from(crate::custom_fields::DecodeFrom::Auto);
        let one = |v: &Value| -> Result<Option<CustomFieldValue>, Error> {
            let stored = as_stored(definition, v)?;
            crate::custom_fields::decode_stored(&registry, definition, &stored)
        };
        Ok((one(self.old)?, one(self.new)?))
    }
}

/// A notification value as a record's stored custom field: labels turned
/// back into option ids, with the labels as `computed_value`.
fn as_stored(
    definition: &types::CustomFieldDefinition,
    v: &Value,
) -> Result<types::CustomField, Error> {
    let fail = |message: String| Error::Decode {
        operation: OPERATION,
        status: None,
        message,
        snippet: crate::error::snippet(v.to_string().as_bytes()),
    };
    let id_of = |item: &Value| -> Result<i64, Error> {
        match item {
            Value::String(label) => CustomFieldRegistry::option_by_label(definition, label)
                .map(|o| o.id)
                .map_err(|e| fail(e.to_string())),
            other => other.as_i64().ok_or_else(|| {
                fail(format!(
                    "custom field {:?}: {other} is neither an option id nor a label",
                    definition.name
                ))
            }),
        }
    };
    let stored = |value: Value, computed: Option<Value>| types::CustomField {
        custom_field_definition_id: definition.id,
        value,
        computed_value: computed,
    };
    Ok(
        match (CustomFieldDataType::from(definition.data_type.as_str()), v) {
            (CustomFieldDataType::Dropdown, Value::String(_)) => {
                stored(Value::from(id_of(v)?), Some(v.clone()))
            }
            (CustomFieldDataType::MultiSelect, Value::Array(items))
                if items.iter().any(Value::is_string) =>
            {
                let ids = items
                    .iter()
                    .map(id_of)
                    .collect::<Result<Vec<i64>, Error>>()?;
                stored(Value::from(ids), Some(v.clone()))
            }
            _ => stored(v.clone(), None),
        },
    )
}

/// The subscription secret a receiver expects: one or more key/value pairs
/// that Copper merges into every notification. Values are held as
/// [`SecretString`]s; `Debug` and `Display` show neither keys nor values.
///
/// Create the subscription with [`to_map`](Self::to_map) as its `secret`,
/// and check incoming notifications with [`verify`](Self::verify).
///
/// ```
/// use copper_crm::webhooks::WebhookSecret;
///
/// let secret = WebhookSecret::new("secret", "hook_source").and("key", "copper_notifications");
/// assert_eq!(format!("{secret}"), "[REDACTED webhook secret, 2 pairs]");
/// assert!(!format!("{secret:?}").contains("hook_source"));
/// let map = secret.to_map(); // for WebhookCreate { secret: Some(map), .. }
/// assert_eq!(map["key"], "copper_notifications");
/// ```
#[derive(Clone)]
pub struct WebhookSecret {
    pairs: Vec<(String, SecretString)>,
}

impl fmt::Debug for WebhookSecret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("WebhookSecret")
            .field("pairs", &self.pairs.len())
            .field("values", &"[REDACTED]")
            .finish()
    }
}

impl fmt::Display for WebhookSecret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "[REDACTED webhook secret, {} pair{}]",
            self.pairs.len(),
            if self.pairs.len() == 1 { "" } else { "s" }
        )
    }
}

impl WebhookSecret {
    /// A secret of one key/value pair.
    ///
    /// ```
    /// let secret = copper_crm::webhooks::WebhookSecret::new("token", "s3cr3t");
    /// assert_eq!(secret.keys().collect::<Vec<_>>(), vec!["token"]);
    /// ```
    pub fn new(key: impl Into<String>, value: impl Into<String>) -> Self {
        WebhookSecret {
            pairs: vec![(key.into(), SecretString::from(value.into()))],
        }
    }

    /// Add a pair (replacing the value of an existing key).
    ///
    /// ```
    /// let secret = copper_crm::webhooks::WebhookSecret::new("a", "1").and("b", "2").and("a", "3");
    /// assert_eq!(secret.keys().collect::<Vec<_>>(), vec!["a", "b"]);
    /// ```
    pub fn and(mut self, key: impl Into<String>, value: impl Into<String>) -> Self {
        let key = key.into();
        let value = SecretString::from(value.into());
        match self.pairs.iter_mut().find(|(k, _)| *k == key) {
            Some(pair) => pair.1 = value,
            None => self.pairs.push((key, value)),
        }
        self
    }

    /// The secret of a subscription (its `secret` map, e.g. from
    /// `client.raw().webhooks_get()`). String values are taken as they are,
    /// other values by their JSON text. An empty map is refused.
    ///
    /// ```
    /// let map = serde_json::json!({"secret": "hook_source", "key": "copper_notifications"});
    /// let secret = copper_crm::webhooks::WebhookSecret::from_map(map.as_object().unwrap()).unwrap();
    /// assert_eq!(secret.keys().count(), 2);
    /// assert!(copper_crm::webhooks::WebhookSecret::from_map(&serde_json::Map::new()).is_err());
    /// ```
    pub fn from_map(map: &Map<String, Value>) -> Result<Self, Error> {
        if map.is_empty() {
            return Err(Error::InvalidInput(
                "a webhook secret needs at least one key/value pair".into(),
            ));
        }
        let pairs = map
            .iter()
            .map(|(k, v)| {
                let text = match v {
                    Value::String(s) => s.clone(),
                    other => other.to_string(),
                };
                (k.clone(), SecretString::from(text))
            })
            .collect();
        Ok(WebhookSecret { pairs })
    }

    /// The pairs as the `secret` map of a subscription create or update.
    /// This exposes the values.
    ///
    /// ```
    /// let map = copper_crm::webhooks::WebhookSecret::new("k", "v").to_map();
    /// assert_eq!(serde_json::Value::Object(map), serde_json::json!({"k": "v"}));
    /// ```
    pub fn to_map(&self) -> Map<String, Value> {
        self.pairs
            .iter()
            .map(|(k, v)| (k.clone(), Value::String(v.expose_secret().to_string())))
            .collect()
    }

    /// The keys (not secret in themselves, but not shown by `Debug` either).
    ///
    /// ```
    /// assert_eq!(copper_crm::webhooks::WebhookSecret::new("k", "v").keys().next(), Some("k"));
    /// ```
    pub fn keys(&self) -> impl Iterator<Item = &str> {
        self.pairs.iter().map(|(k, _)| k.as_str())
    }

    /// Parse a notification body and check its secret pairs in constant
    /// time. A mismatch is an [`Error::InvalidInput`] that names neither the
    /// expected nor the received values; a malformed body an
    /// [`Error::Decode`] with a redacted snippet.
    ///
    /// ```
    /// use copper_crm::webhooks::WebhookSecret;
    /// let secret = WebhookSecret::new("token", "s3cr3t");
    /// let ok = secret.verify(br#"{"ids":[1],"type":"lead","event":"new","subscription_id":4,"token":"s3cr3t"}"#);
    /// assert!(ok.is_ok());
    /// let err = secret.verify(br#"{"ids":[1],"type":"lead","event":"new","subscription_id":4,"token":"guess"}"#).unwrap_err();
    /// assert!(!err.to_string().contains("s3cr3t") && !err.to_string().contains("guess"));
    /// ```
    pub fn verify(&self, body: &[u8]) -> Result<WebhookNotification, Error> {
        let notification = WebhookNotification::parse(body).map_err(|e| self.scrub(e))?;
        if notification.verify_secret(self) {
            Ok(notification)
        } else {
            Err(Error::InvalidInput(format!(
                "webhook notification from subscription {} does not carry the expected secret",
                notification.subscription_id()
            )))
        }
    }

    /// Remove this secret's values from an error's snippet (defence in depth
    /// for bodies that are not JSON at all).
    fn scrub(&self, e: Error) -> Error {
        match e {
            Error::Decode {
                operation,
                status,
                message,
                mut snippet,
            } => {
                for (_, v) in &self.pairs {
                    let v = v.expose_secret();
                    if !v.is_empty() {
                        snippet = snippet.replace(v, "[REDACTED]");
                    }
                }
                Error::Decode {
                    operation,
                    status,
                    message,
                    snippet,
                }
            }
            other => other,
        }
    }
}

/// A body for an error snippet with the values of unknown properties (the
/// secret pairs) replaced by `"[REDACTED]"`. Bodies that are not JSON keep
/// only their structure and property names: every value token is masked.
fn redact_body(body: &[u8]) -> String {
    match serde_json::from_slice::<Value>(body) {
        Ok(mut value) => {
            redact_value(&mut value);
            value.to_string()
        }
        Err(_) => crate::redact::mask_values(&String::from_utf8_lossy(body)),
    }
}

fn redact_value(value: &mut Value) {
    match value {
        Value::Object(map) => {
            for (k, v) in map.iter_mut() {
                if !KNOWN_KEYS.contains(&k.as_str()) {
                    *v = Value::String("[REDACTED]".into());
                } else if k != "updated_attributes" {
                    redact_value(v);
                }
            }
        }
        Value::Array(items) => items.iter_mut().for_each(redact_value),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn snippets_never_show_secret_values() {
        let json = br#"{"ids":[1],"type":"lead","subscription_id":"x","token":"T0PSECRET","nested":{"k":"T0PSECRET"}}"#;
        let e = WebhookNotification::parse(json).unwrap_err().to_string();
        assert!(
            !e.contains("T0PSECRET") && e.contains("subscription_id") && e.contains("[REDACTED]"),
            "{e}"
        );

        let broken = br#"{"ids":[1], "token": "T0PSECRET", "n": 12345, "type": "lead" "#;
        let e = WebhookNotification::parse(broken).unwrap_err().to_string();
        assert!(
            !e.contains("T0PSECRET") && !e.contains("12345") && e.contains("token"),
            "{e}"
        );

        let truncated = br#"{"ids":[1],"token":"T0PSEC"#;
        assert!(
            !WebhookNotification::parse(truncated)
                .unwrap_err()
                .to_string()
                .contains("T0PSEC")
        );

        let secret = WebhookSecret::new("token", "T0PSECRET");
        let not_json = b"token=T0PSECRET&x=1";
        assert!(
            !secret
                .verify(not_json)
                .unwrap_err()
                .to_string()
                .contains("T0PSECRET")
        );
    }

    #[test]
    fn secrets_fail_closed() {
        let n = WebhookNotification::parse(
            br#"{"ids":[1],"type":"task","event":"new","subscription_id":2,"key":"","n":5}"#,
        )
        .unwrap();
        assert!(!n.verify_secret(&WebhookSecret::new("key", "")));
        assert!(!n.verify_secret(&WebhookSecret { pairs: vec![] }));
        assert!(n.verify_secret(&WebhookSecret::new("n", "5")));
        assert!(!n.verify_secret(&WebhookSecret::new("n", "5").and("key", "x")));
    }
}
