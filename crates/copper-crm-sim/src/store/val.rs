//! Compact stored values and their JSON form.

use serde::ser::{Serialize, SerializeMap, SerializeSeq, Serializer};

use crate::entity::Kind;

/// A stored string: owned, or a `'static` one (generated records share their words without
/// allocating).
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Text {
    Static(&'static str),
    Owned(Box<str>),
}

impl std::ops::Deref for Text {
    type Target = str;

    fn deref(&self) -> &str {
        match self {
            Text::Static(s) => s,
            Text::Owned(s) => s,
        }
    }
}

impl std::fmt::Display for Text {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self)
    }
}

impl From<&str> for Text {
    fn from(s: &str) -> Text {
        Text::Owned(s.into())
    }
}

impl From<String> for Text {
    fn from(s: String) -> Text {
        Text::Owned(s.into_boxed_str())
    }
}

impl Serialize for Text {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self)
    }
}

/// The kind of a contact entry: which key holds its value and which categories are allowed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum ContactKind {
    Email,
    Phone,
    Social,
    Website,
}

impl ContactKind {
    /// The JSON key of the value (`email`, `number` or `url`).
    pub(crate) fn key(self) -> &'static str {
        match self {
            ContactKind::Email => "email",
            ContactKind::Phone => "number",
            ContactKind::Social | ContactKind::Website => "url",
        }
    }

    /// The documented category values (GitBook appendix).
    pub(crate) fn categories(self) -> &'static [&'static str] {
        match self {
            ContactKind::Email => &["work", "personal", "other"],
            ContactKind::Phone => &["mobile", "work", "home", "other"],
            ContactKind::Social => &[
                "linkedin",
                "twitter",
                "googleplus",
                "facebook",
                "youtube",
                "quora",
                "foursquare",
                "klout",
                "gravatar",
                "other",
            ],
            ContactKind::Website => &["work", "personal", "other"],
        }
    }

    /// The category stored when a request omits it.
    pub(crate) fn default_category(self) -> &'static str {
        match self {
            ContactKind::Social => "other",
            _ => "work",
        }
    }
}

/// One email address, phone number, social profile or website.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Contact {
    pub kind: ContactKind,
    pub value: Text,
    pub category: &'static str,
}

impl Serialize for Contact {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut m = s.serialize_map(Some(2))?;
        m.serialize_entry(self.kind.key(), &*self.value)?;
        m.serialize_entry("category", self.category)?;
        m.end()
    }
}

/// A postal address; every part may be null.
#[derive(Clone, Debug, PartialEq, Default)]
pub(crate) struct Address {
    pub street: Option<Text>,
    pub city: Option<Text>,
    pub state: Option<Text>,
    pub postal_code: Option<Text>,
    pub country: Option<Text>,
}

impl Address {
    pub(crate) const PARTS: [&'static str; 5] =
        ["street", "city", "state", "postal_code", "country"];

    pub(crate) fn part(&self, name: &str) -> Option<&str> {
        match name {
            "street" => self.street.as_deref(),
            "city" => self.city.as_deref(),
            "state" => self.state.as_deref(),
            "postal_code" => self.postal_code.as_deref(),
            "country" => self.country.as_deref(),
            _ => None,
        }
    }

    pub(crate) fn part_mut(&mut self, name: &str) -> Option<&mut Option<Text>> {
        match name {
            "street" => Some(&mut self.street),
            "city" => Some(&mut self.city),
            "state" => Some(&mut self.state),
            "postal_code" => Some(&mut self.postal_code),
            "country" => Some(&mut self.country),
            _ => None,
        }
    }
}

impl Serialize for Address {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut m = s.serialize_map(Some(5))?;
        for part in Address::PARTS {
            m.serialize_entry(part, &self.part(part))?;
        }
        m.end()
    }
}

/// A reference to a record: `{"id": .., "type": "person"}`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub(crate) struct RecordRef {
    pub kind: Kind,
    pub id: i64,
}

impl Serialize for RecordRef {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut m = s.serialize_map(Some(2))?;
        m.serialize_entry("id", &self.id)?;
        m.serialize_entry("type", self.kind.singular())?;
        m.end()
    }
}

/// An activity type category.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Category {
    User,
    System,
}

impl Category {
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            Category::User => "user",
            Category::System => "system",
        }
    }
}

/// One stored field value (24 bytes: records of 250,000 people stay compact).
#[derive(Clone, Debug)]
pub(crate) enum Val {
    Null,
    Int(i64),
    Num(serde_json::Number),
    Str(Box<str>),
    /// A string shared by generated records.
    Static(&'static str),
    Strs(Box<[Text]>),
    Contacts(Box<[Contact]>),
    Contact(Box<Contact>),
    Address(Box<Address>),
    Ref(RecordRef),
    /// An activity type reference `{id, category}`.
    TypeRef(i64, Category),
    Json(Box<serde_json::Value>),
}

const _: () = assert!(std::mem::size_of::<Val>() == 24);

impl PartialEq for Val {
    fn eq(&self, other: &Val) -> bool {
        match (self, other) {
            (Val::Null, Val::Null) => true,
            (Val::Int(a), Val::Int(b)) => a == b,
            (Val::Num(a), Val::Num(b)) => a == b,
            (Val::Str(_) | Val::Static(_), Val::Str(_) | Val::Static(_)) => {
                self.as_str() == other.as_str()
            }
            (Val::Strs(a), Val::Strs(b)) => a == b,
            (Val::Contacts(a), Val::Contacts(b)) => a == b,
            (Val::Contact(a), Val::Contact(b)) => a == b,
            (Val::Address(a), Val::Address(b)) => a == b,
            (Val::Ref(a), Val::Ref(b)) => a == b,
            (Val::TypeRef(a, x), Val::TypeRef(b, y)) => a == b && x == y,
            (Val::Json(a), Val::Json(b)) => a == b,
            _ => false,
        }
    }
}

impl Val {
    pub(crate) fn str(s: &str) -> Val {
        Val::Str(s.into())
    }

    pub(crate) fn opt_str(s: Option<&str>) -> Val {
        s.map_or(Val::Null, Val::str)
    }

    pub(crate) fn opt_int(i: Option<i64>) -> Val {
        i.map_or(Val::Null, Val::Int)
    }

    pub(crate) fn is_null(&self) -> bool {
        matches!(self, Val::Null)
    }

    pub(crate) fn as_int(&self) -> Option<i64> {
        match self {
            Val::Int(i) => Some(*i),
            _ => None,
        }
    }

    pub(crate) fn as_str(&self) -> Option<&str> {
        match self {
            Val::Str(s) => Some(s),
            Val::Static(s) => Some(s),
            _ => None,
        }
    }

    pub(crate) fn as_f64(&self) -> Option<f64> {
        match self {
            Val::Int(i) => Some(*i as f64),
            Val::Num(n) => n.as_f64(),
            _ => None,
        }
    }

    pub(crate) fn as_ref_(&self) -> Option<RecordRef> {
        match self {
            Val::Ref(r) => Some(*r),
            _ => None,
        }
    }

    pub(crate) fn strs(&self) -> &[Text] {
        match self {
            Val::Strs(v) => v,
            _ => &[],
        }
    }

    pub(crate) fn contacts(&self) -> &[Contact] {
        match self {
            Val::Contacts(v) => v,
            Val::Contact(c) => std::slice::from_ref(&**c),
            _ => &[],
        }
    }

    pub(crate) fn address(&self) -> Option<&Address> {
        match self {
            Val::Address(a) => Some(a),
            _ => None,
        }
    }

    pub(crate) fn to_json(&self) -> serde_json::Value {
        serde_json::to_value(self).unwrap_or(serde_json::Value::Null)
    }
}

impl Serialize for Val {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            Val::Null => s.serialize_none(),
            Val::Int(i) => s.serialize_i64(*i),
            Val::Num(n) => n.serialize(s),
            Val::Str(v) => s.serialize_str(v),
            Val::Static(v) => s.serialize_str(v),
            Val::Strs(v) => {
                let mut seq = s.serialize_seq(Some(v.len()))?;
                for item in v {
                    seq.serialize_element(&**item)?;
                }
                seq.end()
            }
            Val::Contacts(v) => v.serialize(s),
            Val::Contact(c) => c.serialize(s),
            Val::Address(a) => a.serialize(s),
            Val::Ref(r) => r.serialize(s),
            Val::TypeRef(id, category) => {
                let mut m = s.serialize_map(Some(2))?;
                m.serialize_entry("id", id)?;
                m.serialize_entry("category", category.as_str())?;
                m.end()
            }
            Val::Json(v) => v.serialize(s),
        }
    }
}
