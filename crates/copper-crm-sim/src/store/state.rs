//! The simulator's in-memory state: every table, lookup list and index.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use serde_json::{Map, Value};

use super::names_index::NameColumn;
use super::schema::{Ref, schema};
use super::val::{RecordRef, Val};
use crate::entity::{Entity, Kind};

/// A hash map with a fast, non-cryptographic hasher (FNV-1a) for the simulator's own indexes.
pub(crate) type FastMap<K, V> = HashMap<K, V, std::hash::BuildHasherDefault<Fnv>>;

/// The FNV-1a hash.
#[derive(Debug)]
pub(crate) struct Fnv(u64);

impl Default for Fnv {
    fn default() -> Fnv {
        Fnv(0xcbf2_9ce4_8422_2325)
    }
}

impl std::hash::Hasher for Fnv {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        for b in bytes {
            self.0 = (self.0 ^ u64::from(*b)).wrapping_mul(0x0100_0000_01b3);
        }
    }
}

/// One stored record of a [`Kind`].
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Record {
    pub id: i64,
    pub created: i64,
    pub modified: i64,
    /// Field values aligned with the kind's schema.
    pub vals: Box<[Val]>,
    /// Custom field values that are set, sorted by definition id.
    pub custom: Vec<(i64, Value)>,
}

impl Record {
    /// A record with every field at its empty default.
    pub(crate) fn blank(kind: Kind, id: i64, now: i64) -> Record {
        let vals = schema(kind)
            .fields
            .iter()
            .map(|f| default_val(f.ty))
            .collect::<Vec<_>>()
            .into_boxed_slice();
        Record {
            id,
            created: now,
            modified: now,
            vals,
            custom: Vec::new(),
        }
    }

    pub(crate) fn get(&self, kind: Kind, name: &str) -> &Val {
        &self.vals[schema(kind).idx(name)]
    }

    pub(crate) fn set(&mut self, kind: Kind, name: &str, val: Val) {
        self.vals[schema(kind).idx(name)] = val;
    }

    pub(crate) fn custom_value(&self, def_id: i64) -> Option<&Value> {
        self.custom
            .binary_search_by_key(&def_id, |(id, _)| *id)
            .ok()
            .map(|i| &self.custom[i].1)
    }

    /// Set (or with `Value::Null`, clear) one custom field value.
    pub(crate) fn set_custom(&mut self, def_id: i64, value: Value) {
        match self.custom.binary_search_by_key(&def_id, |(id, _)| *id) {
            Ok(i) if value.is_null() => {
                self.custom.remove(i);
            }
            Ok(i) => self.custom[i].1 = value,
            Err(_) if value.is_null() => {}
            Err(i) => self.custom.insert(i, (def_id, value)),
        }
    }
}

fn default_val(ty: super::schema::Ty) -> Val {
    use super::schema::Ty;
    match ty {
        Ty::Count => Val::Int(0),
        Ty::Tags => Val::Strs(Box::default()),
        Ty::Contacts(_) => Val::Contacts(Box::default()),
        Ty::List => Val::Strs(Box::default()),
        _ => Val::Null,
    }
}

/// The records of one kind with their date and name indexes.
#[derive(Debug, Default)]
pub(crate) struct Table {
    pub rows: BTreeMap<i64, Record>,
    pub by_created: BTreeSet<(i64, i64)>,
    pub by_modified: BTreeSet<(i64, i64)>,
    /// Lower-cased names, for name searches (kinds with a `name` field).
    pub names: NameColumn,
    /// The index of the `name` field, if the kind has one.
    pub name_field: Option<usize>,
}

impl Table {
    pub(crate) fn get(&self, id: i64) -> Option<&Record> {
        self.rows.get(&id)
    }

    pub(crate) fn contains(&self, id: i64) -> bool {
        self.rows.contains_key(&id)
    }

    pub(crate) fn len(&self) -> usize {
        self.rows.len()
    }

    /// Insert or replace a record, keeping the indexes in step.
    pub(crate) fn put(&mut self, rec: Record) {
        if let Some(old) = self.rows.get(&rec.id) {
            self.by_created.remove(&(old.created, old.id));
            self.by_modified.remove(&(old.modified, old.id));
        }
        self.by_created.insert((rec.created, rec.id));
        self.by_modified.insert((rec.modified, rec.id));
        if let Some(name) = self.name_field.and_then(|i| rec.vals[i].as_str()) {
            self.names.set(rec.id, name);
        }
        self.rows.insert(rec.id, rec);
    }

    /// Add records whose ids are all larger than any stored id, in ascending id order; much
    /// faster than [`Table::put`] one by one.
    pub(crate) fn append_sorted(&mut self, recs: Vec<Record>) {
        let keys: Vec<(i64, i64, i64)> =
            recs.iter().map(|r| (r.id, r.created, r.modified)).collect();
        let (by_created, by_modified) = (&mut self.by_created, &mut self.by_modified);
        std::thread::scope(|scope| {
            // The date indexes on another core; the name column and the rows here.
            scope.spawn(move || {
                let mut created: Vec<(i64, i64)> = keys.iter().map(|k| (k.1, k.0)).collect();
                let mut modified: Vec<(i64, i64)> = keys.iter().map(|k| (k.2, k.0)).collect();
                created.extend(std::mem::take(by_created));
                modified.extend(std::mem::take(by_modified));
                created.sort_unstable();
                modified.sort_unstable();
                *by_created = created.into_iter().collect();
                *by_modified = modified.into_iter().collect();
            });
            if let Some(i) = self.name_field {
                self.names.extend_sorted(
                    recs.iter()
                        .filter_map(|r| r.vals[i].as_str().map(|n| (r.id, n))),
                );
            }
            let old = std::mem::take(&mut self.rows);
            self.rows = old
                .into_iter()
                .chain(recs.into_iter().map(|r| (r.id, r)))
                .collect();
        });
    }

    pub(crate) fn remove(&mut self, id: i64) -> Option<Record> {
        let rec = self.rows.remove(&id)?;
        self.by_created.remove(&(rec.created, rec.id));
        self.by_modified.remove(&(rec.modified, rec.id));
        self.names.remove(id);
        Some(rec)
    }
}

/// The account.
#[derive(Clone, Debug)]
pub(crate) struct AccountRec {
    pub id: i64,
    pub name: String,
    pub primary_timezone: String,
    pub team_permissions_enabled: bool,
    pub enable_leads: bool,
}

/// A user of the account.
#[derive(Clone, Debug)]
pub(crate) struct UserRec {
    pub id: i64,
    pub name: String,
    pub email: String,
    pub groups: Vec<(i64, String)>,
}

/// A `{id, name}` lookup entry (contact types, customer sources, loss reasons).
#[derive(Clone, Debug)]
pub(crate) struct Named {
    pub id: i64,
    pub name: String,
}

/// A lead status.
#[derive(Clone, Debug)]
pub(crate) struct LeadStatusRec {
    pub id: i64,
    pub name: String,
    pub order: i64,
    pub is_default: bool,
}

/// A pipeline; its stages are in [`State::stages`].
#[derive(Clone, Debug)]
pub(crate) struct PipelineRec {
    pub id: i64,
    pub name: String,
    pub kind: String,
    pub is_revenue: bool,
    pub stages: Vec<i64>,
}

/// A pipeline stage.
#[derive(Clone, Debug)]
pub(crate) struct StageRec {
    pub id: i64,
    pub name: String,
    pub pipeline_id: i64,
    pub win_probability: i64,
}

/// A custom field data type.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum DataType {
    String,
    Text,
    Dropdown,
    Date,
    Checkbox,
    Float,
    Url,
    Percentage,
    Currency,
    MultiSelect,
    Connect,
}

impl DataType {
    pub(crate) const ALL: [DataType; 11] = [
        DataType::String,
        DataType::Text,
        DataType::Dropdown,
        DataType::Date,
        DataType::Checkbox,
        DataType::Float,
        DataType::Url,
        DataType::Percentage,
        DataType::Currency,
        DataType::MultiSelect,
        DataType::Connect,
    ];

    pub(crate) fn name(self) -> &'static str {
        match self {
            DataType::String => "String",
            DataType::Text => "Text",
            DataType::Dropdown => "Dropdown",
            DataType::Date => "Date",
            DataType::Checkbox => "Checkbox",
            DataType::Float => "Float",
            DataType::Url => "URL",
            DataType::Percentage => "Percentage",
            DataType::Currency => "Currency",
            DataType::MultiSelect => "MultiSelect",
            DataType::Connect => "Connect",
        }
    }

    pub(crate) fn parse(s: &str) -> Option<DataType> {
        DataType::ALL.into_iter().find(|d| d.name() == s)
    }

    pub(crate) fn has_options(self) -> bool {
        matches!(self, DataType::Dropdown | DataType::MultiSelect)
    }
}

/// A Dropdown or MultiSelect option.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct CfOption {
    pub id: i64,
    pub name: String,
    pub rank: i64,
}

/// A custom field definition.
#[derive(Clone, Debug)]
pub(crate) struct CfdRec {
    pub id: i64,
    pub name: String,
    pub canonical_name: Option<String>,
    pub data_type: DataType,
    pub available_on: Vec<Kind>,
    pub is_filterable: bool,
    pub options: Vec<CfOption>,
    pub currency: Option<String>,
}

impl CfdRec {
    pub(crate) fn option(&self, id: i64) -> Option<&CfOption> {
        self.options.iter().find(|o| o.id == id)
    }

    /// Whether values of this definition appear in `custom_fields` of `kind` records.
    pub(crate) fn shown_on(&self, kind: Kind) -> bool {
        self.data_type != DataType::Connect && self.available_on.contains(&kind)
    }
}

/// A custom activity type (also a user activity type).
#[derive(Clone, Debug)]
pub(crate) struct CatRec {
    pub id: i64,
    pub name: String,
    pub icon_type: String,
    pub is_disabled: bool,
    pub is_interaction: bool,
    pub is_default_task_type: Option<bool>,
}

/// One end of a connect-field link.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum LinkEnd {
    Record(RecordRef),
    User(i64),
}

impl LinkEnd {
    /// The `entity_type` string Copper uses (`people` is plural, the others singular).
    pub(crate) fn entity_type(self) -> &'static str {
        match self {
            LinkEnd::User(_) => "user",
            LinkEnd::Record(r) => match r.kind {
                Kind::Person => "people",
                other => other.singular(),
            },
        }
    }

    pub(crate) fn id(self) -> i64 {
        match self {
            LinkEnd::User(id) => id,
            LinkEnd::Record(r) => r.id,
        }
    }
}

/// A connect-field link (one direction).
#[derive(Clone, Debug)]
pub(crate) struct LinkRec {
    pub id: i64,
    pub cfd_id: i64,
    pub source: LinkEnd,
    pub target: LinkEnd,
    pub reverse: Option<i64>,
}

/// A webhook subscription.
#[derive(Clone, Debug)]
pub(crate) struct WebhookRec {
    pub id: i64,
    pub target: String,
    pub kind: String,
    pub event: String,
    pub secret: Map<String, Value>,
    pub headers: Map<String, Value>,
    pub custom_field_computed_values: bool,
    pub created_at: i64,
}

/// File metadata attached to a record.
#[derive(Clone, Debug)]
pub(crate) struct FileRec {
    pub id: i64,
    pub owner: RecordRef,
    pub file_name: String,
    pub key: String,
    pub file_size: i64,
    pub content_type: String,
    pub creator_id: i64,
    pub date_created: i64,
    pub date_modified: Option<i64>,
}

/// A change to notify webhook subscribers of.
#[derive(Clone, Debug)]
pub(crate) struct ChangeEvent {
    pub kind: Kind,
    pub event: &'static str,
    pub id: i64,
    /// `updated_attributes` with option ids, and with labels, for update events.
    pub updated: Option<(Map<String, Value>, Map<String, Value>)>,
}

/// Everything the simulator stores.
#[derive(Debug)]
pub(crate) struct State {
    pub account: AccountRec,
    /// The user the API credentials belong to.
    pub api_user: i64,
    pub users: BTreeMap<i64, UserRec>,
    pub tables: [Table; 7],
    pub converted_leads: BTreeMap<i64, Record>,
    pub deleted_activities: BTreeSet<i64>,
    pub contact_types: Vec<Named>,
    pub customer_sources: Vec<Named>,
    pub loss_reasons: Vec<Named>,
    pub lead_statuses: Vec<LeadStatusRec>,
    pub pipelines: Vec<PipelineRec>,
    pub stages: BTreeMap<i64, StageRec>,
    pub cfds: BTreeMap<i64, CfdRec>,
    pub cats: BTreeMap<i64, CatRec>,
    pub links: BTreeMap<i64, LinkRec>,
    /// Related-item pairs, stored in both directions.
    pub relations: BTreeSet<(RecordRef, RecordRef)>,
    pub webhooks: BTreeMap<i64, WebhookRec>,
    pub files: BTreeMap<i64, FileRec>,
    /// Lower-cased person email -> person id.
    pub person_emails: FastMap<String, i64>,
    /// Lower-cased company email domain -> company id.
    pub company_domains: FastMap<String, i64>,
    next_ids: [i64; Entity::ALL.len()],
    /// Option ids share one sequence across definitions.
    next_option_id: i64,
    /// Change events of the current request, for webhooks.
    pub events: Vec<ChangeEvent>,
    /// Records written by the current request, for fault reports.
    pub written: Vec<(Entity, i64)>,
}

fn entity_pos(e: Entity) -> usize {
    Entity::ALL.iter().position(|x| *x == e).unwrap_or(0)
}

impl State {
    /// An empty state with id sequences starting at realistic values.
    pub(crate) fn new(account: AccountRec, api_user_name: &str, api_user_email: &str) -> State {
        let mut next_ids = [1; Entity::ALL.len()];
        for (e, base) in [
            (Entity::Lead, 8_894_101),
            (Entity::Person, 27_140_301),
            (Entity::Company, 13_349_301),
            (Entity::Opportunity, 4_417_001),
            (Entity::Project, 144_301),
            (Entity::Task, 3_726_701),
            (Entity::Activity, 3_061_844_401),
            (Entity::User, 159_258),
            (Entity::Pipeline, 213_214),
            (Entity::PipelineStage, 987_790),
            (Entity::LossReason, 1_250_101),
            (Entity::CustomerSource, 331_241),
            (Entity::LeadStatus, 208_231),
            (Entity::ContactType, 451_490),
            (Entity::CustomFieldDefinition, 100_764),
            (Entity::CustomActivityType, 190_711),
            (Entity::Connection, 2_103),
            (Entity::Webhook, 17_065),
            (Entity::File, 2_556_402),
        ] {
            next_ids[entity_pos(e)] = base;
        }
        let mut st = State {
            account,
            api_user: 0,
            users: BTreeMap::new(),
            tables: Kind::ALL.map(|k| Table {
                name_field: schema(k).find("name"),
                ..Table::default()
            }),
            converted_leads: BTreeMap::new(),
            deleted_activities: BTreeSet::new(),
            contact_types: Vec::new(),
            customer_sources: Vec::new(),
            loss_reasons: Vec::new(),
            lead_statuses: Vec::new(),
            pipelines: Vec::new(),
            stages: BTreeMap::new(),
            cfds: BTreeMap::new(),
            cats: BTreeMap::new(),
            links: BTreeMap::new(),
            relations: BTreeSet::new(),
            webhooks: BTreeMap::new(),
            files: BTreeMap::new(),
            person_emails: FastMap::default(),
            company_domains: FastMap::default(),
            next_ids,
            next_option_id: 167_772,
            events: Vec::new(),
            written: Vec::new(),
        };
        let id = st.next_id(Entity::User);
        st.api_user = id;
        st.users.insert(
            id,
            UserRec {
                id,
                name: api_user_name.to_string(),
                email: api_user_email.to_string(),
                groups: vec![(1, "Sales".to_string())],
            },
        );
        st
    }

    /// The next id of an entity.
    pub(crate) fn next_id(&mut self, e: Entity) -> i64 {
        let slot = &mut self.next_ids[entity_pos(e)];
        let id = *slot;
        *slot += 1;
        id
    }

    /// Reserve `n` consecutive ids of an entity; returns the first.
    pub(crate) fn reserve_ids(&mut self, e: Entity, n: usize) -> i64 {
        let slot = &mut self.next_ids[entity_pos(e)];
        let first = *slot;
        *slot += n as i64;
        first
    }

    pub(crate) fn next_option_id(&mut self) -> i64 {
        let id = self.next_option_id;
        self.next_option_id += 1;
        id
    }

    pub(crate) fn table(&self, kind: Kind) -> &Table {
        &self.tables[kind.index()]
    }

    pub(crate) fn table_mut(&mut self, kind: Kind) -> &mut Table {
        &mut self.tables[kind.index()]
    }

    pub(crate) fn record(&self, r: RecordRef) -> Option<&Record> {
        self.table(r.kind).get(r.id)
    }

    pub(crate) fn exists(&self, r: RecordRef) -> bool {
        self.table(r.kind).contains(r.id)
    }

    /// Whether an id of the referenced kind exists.
    pub(crate) fn ref_exists(&self, r: Ref, id: i64) -> bool {
        match r {
            Ref::User => self.users.contains_key(&id),
            Ref::ContactType => self.contact_types.iter().any(|x| x.id == id),
            Ref::CustomerSource => self.customer_sources.iter().any(|x| x.id == id),
            Ref::LeadStatus => self.lead_statuses.iter().any(|x| x.id == id),
            Ref::LossReason => self.loss_reasons.iter().any(|x| x.id == id),
            Ref::Pipeline => self.pipelines.iter().any(|x| x.id == id),
            Ref::PipelineStage => self.stages.contains_key(&id),
            Ref::Person => self.table(Kind::Person).contains(id),
            Ref::Company => self.table(Kind::Company).contains(id),
        }
    }

    /// The name of a record, for connect-field links and sorting.
    pub(crate) fn record_name(&self, r: RecordRef) -> Option<&str> {
        let rec = self.record(r)?;
        match r.kind {
            Kind::Activity => None,
            kind => rec.get(kind, "name").as_str(),
        }
    }

    pub(crate) fn company_name(&self, company_id: i64) -> Option<&str> {
        self.record_name(RecordRef {
            kind: Kind::Company,
            id: company_id,
        })
    }

    pub(crate) fn pipeline(&self, id: i64) -> Option<&PipelineRec> {
        self.pipelines.iter().find(|p| p.id == id)
    }

    pub(crate) fn default_lead_status(&self) -> Option<&LeadStatusRec> {
        self.lead_statuses
            .iter()
            .find(|s| s.is_default)
            .or(self.lead_statuses.first())
    }

    /// The default task type (`is_default_task_type: true`), if any.
    pub(crate) fn default_task_type(&self) -> Option<i64> {
        self.cats
            .values()
            .find(|c| c.is_default_task_type == Some(true))
            .map(|c| c.id)
    }

    /// Records related to `r` (both directions are stored).
    pub(crate) fn related(&self, r: RecordRef) -> Vec<RecordRef> {
        let lo = RecordRef {
            kind: Kind::Lead,
            id: i64::MIN,
        };
        let hi = RecordRef {
            kind: Kind::Activity,
            id: i64::MAX,
        };
        self.relations
            .range((r, lo)..=(r, hi))
            .map(|(_, b)| *b)
            .collect()
    }

    pub(crate) fn relate(&mut self, a: RecordRef, b: RecordRef) -> bool {
        let added = self.relations.insert((a, b));
        self.relations.insert((b, a));
        added
    }

    pub(crate) fn unrelate(&mut self, a: RecordRef, b: RecordRef) -> bool {
        let removed = self.relations.remove(&(a, b));
        self.relations.remove(&(b, a));
        removed
    }

    /// The number of stored records of an entity.
    pub(crate) fn count(&self, e: Entity) -> usize {
        match e {
            Entity::Lead => self.table(Kind::Lead).len(),
            Entity::Person => self.table(Kind::Person).len(),
            Entity::Company => self.table(Kind::Company).len(),
            Entity::Opportunity => self.table(Kind::Opportunity).len(),
            Entity::Project => self.table(Kind::Project).len(),
            Entity::Task => self.table(Kind::Task).len(),
            Entity::Activity => self.table(Kind::Activity).len(),
            Entity::User => self.users.len(),
            Entity::Pipeline => self.pipelines.len(),
            Entity::PipelineStage => self.stages.len(),
            Entity::LossReason => self.loss_reasons.len(),
            Entity::CustomerSource => self.customer_sources.len(),
            Entity::LeadStatus => self.lead_statuses.len(),
            Entity::ContactType => self.contact_types.len(),
            Entity::CustomFieldDefinition => self.cfds.len(),
            Entity::CustomActivityType => self.cats.len(),
            Entity::Connection => self.links.len(),
            Entity::Relation => self.relations.len() / 2,
            Entity::Webhook => self.webhooks.len(),
            Entity::File => self.files.len(),
        }
    }

    /// Note that the current request wrote a record.
    pub(crate) fn wrote(&mut self, e: Entity, id: i64) {
        self.written.push((e, id));
    }

    /// Queue a webhook event for the current request.
    pub(crate) fn emit(&mut self, kind: Kind, event: &'static str, id: i64) {
        self.emit_update(kind, event, id, None);
    }

    pub(crate) fn emit_update(
        &mut self,
        kind: Kind,
        event: &'static str,
        id: i64,
        updated: Option<(Map<String, Value>, Map<String, Value>)>,
    ) {
        if self
            .webhooks
            .values()
            .any(|w| w.kind == kind.webhook_type() && w.event == event)
        {
            self.events.push(ChangeEvent {
                kind,
                event,
                id,
                updated,
            });
        }
    }

    /// Whether any subscription listens to updates of `kind` (diffs are only computed then).
    pub(crate) fn wants_updates(&self, kind: Kind) -> bool {
        self.webhooks
            .values()
            .any(|w| w.kind == kind.webhook_type() && w.event == "update")
    }
}

/// The current time in unix seconds.
pub(crate) fn now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0)
}

/// The current time in unix milliseconds.
pub(crate) fn now_millis() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_millis() as i64)
        .unwrap_or(0)
}
