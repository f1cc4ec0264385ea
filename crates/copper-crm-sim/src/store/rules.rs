//! Creating, updating and deleting records with Copper's rules: defaults, derived name parts,
//! unique emails and domains, pipelines and stages, task completion, interactions, relations and
//! cascades on delete.

use serde_json::{Map, Value};

use super::names::split_name;
use super::render::{computed_value, stored_or_default, to_value};
use super::schema::{Shape, view};
use super::state::{Record, State, now};
use super::val::{RecordRef, Val};
use super::write::{Applied, Mode, WriteError, apply};
use crate::entity::Kind;
use crate::error::{ApiError, FieldErrors};

/// Why an update failed.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum UpdateError {
    NotFound,
    Write(WriteError),
}

impl From<UpdateError> for ApiError {
    fn from(e: UpdateError) -> ApiError {
        match e {
            UpdateError::NotFound => ApiError::NotFound,
            UpdateError::Write(w) => w.into(),
        }
    }
}

impl From<FieldErrors> for UpdateError {
    fn from(e: FieldErrors) -> UpdateError {
        UpdateError::Write(WriteError::Invalid(e))
    }
}

impl From<WriteError> for UpdateError {
    fn from(e: WriteError) -> UpdateError {
        UpdateError::Write(e)
    }
}

impl State {
    /// Create a record from a request body; returns its id.
    pub(crate) fn create(
        &mut self,
        kind: Kind,
        body: &Map<String, Value>,
    ) -> Result<i64, WriteError> {
        let mut rec = Record::blank(kind, 0, now());
        let applied = apply(self, kind, &mut rec, body, Mode::Create)?;
        self.prepare(kind, &mut rec, &applied, None)?;
        let id = self.next_id(kind.entity());
        rec.id = id;
        self.insert(kind, rec);
        self.emit(kind, "new", id);
        Ok(id)
    }

    /// Insert a prepared record and apply its side effects (indexes, relations, interactions).
    pub(crate) fn insert(&mut self, kind: Kind, rec: Record) {
        let id = rec.id;
        self.after_write(kind, None, &rec);
        self.table_mut(kind).put(rec);
        self.wrote(kind.entity(), id);
    }

    /// Apply a partial update; returns whether anything changed.
    pub(crate) fn update(
        &mut self,
        kind: Kind,
        id: i64,
        body: &Map<String, Value>,
    ) -> Result<bool, UpdateError> {
        let old = self
            .table(kind)
            .get(id)
            .ok_or(UpdateError::NotFound)?
            .clone();
        let mut rec = old.clone();
        let applied = apply(self, kind, &mut rec, body, Mode::Update)?;
        self.prepare(kind, &mut rec, &applied, Some(&old))?;
        if rec.vals == old.vals && rec.custom == old.custom {
            return Ok(false);
        }
        rec.modified = now().max(old.modified);
        let updated = self
            .wants_updates(kind)
            .then(|| self.diff(kind, &old, &rec));
        self.after_write(kind, Some(&old), &rec);
        self.table_mut(kind).put(rec);
        self.wrote(kind.entity(), id);
        self.emit_update(kind, "update", id, updated);
        Ok(true)
    }

    /// Entity rules applied after the body: defaults, derived fields and cross-record checks.
    fn prepare(
        &self,
        kind: Kind,
        rec: &mut Record,
        applied: &Applied,
        old: Option<&Record>,
    ) -> Result<(), FieldErrors> {
        let creating = old.is_none();
        let mut errors = FieldErrors::default();
        if matches!(kind, Kind::Lead | Kind::Person) && (creating || applied.has("name")) {
            if rec.get(kind, "name").is_null() {
                errors.push("name", "can't be blank");
            } else {
                let full = rec
                    .get(kind, "name")
                    .as_str()
                    .unwrap_or_default()
                    .to_string();
                let parts = split_name(&full);
                rec.set(kind, "prefix", Val::opt_str(parts.prefix.as_deref()));
                rec.set(kind, "first_name", Val::opt_str(parts.first.as_deref()));
                rec.set(kind, "middle_name", Val::opt_str(parts.middle.as_deref()));
                rec.set(kind, "last_name", Val::opt_str(parts.last.as_deref()));
                rec.set(kind, "suffix", Val::opt_str(parts.suffix.as_deref()));
            }
        } else if kind != Kind::Activity && creating && rec.get(kind, "name").is_null() {
            errors.push("name", "can't be blank");
        }
        match kind {
            Kind::Person => self.prepare_person(rec, applied, creating, &mut errors),
            Kind::Lead => self.prepare_lead(rec, applied, old, &mut errors),
            Kind::Company => self.prepare_company(rec, &mut errors),
            Kind::Opportunity => self.prepare_opportunity(rec, applied, old, &mut errors),
            Kind::Project => {
                if creating && rec.get(kind, "status").is_null() {
                    rec.set(kind, "status", Val::str("Open"));
                }
            }
            Kind::Task => self.prepare_task(rec, applied, old, &mut errors),
            Kind::Activity => self.prepare_activity(rec, applied, creating, &mut errors),
        }
        if errors.is_empty() {
            Ok(())
        } else {
            Err(errors)
        }
    }

    fn prepare_person(
        &self,
        rec: &mut Record,
        applied: &Applied,
        creating: bool,
        errors: &mut FieldErrors,
    ) {
        const K: Kind = Kind::Person;
        if creating && !applied.has("contact_type_id") {
            let default = self
                .contact_types
                .iter()
                .find(|c| c.name == "Uncategorized")
                .or(self.contact_types.first());
            rec.set(K, "contact_type_id", Val::opt_int(default.map(|c| c.id)));
        }
        let mut seen: Vec<String> = Vec::new();
        for c in rec.get(K, "emails").contacts() {
            let key = c.value.to_ascii_lowercase();
            if seen.contains(&key) {
                errors.push("emails", format!("lists {} twice", c.value));
            } else if let Some(other) = self.person_emails.get(&key).filter(|o| **o != rec.id) {
                errors.push(
                    "emails",
                    format!("{} is already the email of person {other}", c.value),
                );
            }
            seen.push(key);
        }
    }

    fn prepare_lead(
        &self,
        rec: &mut Record,
        applied: &Applied,
        old: Option<&Record>,
        errors: &mut FieldErrors,
    ) {
        const K: Kind = Kind::Lead;
        let by_name = applied.has("status").then(|| {
            let name = rec.get(K, "status").as_str().unwrap_or_default();
            self.lead_statuses.iter().find(|s| s.name == name)
        });
        let by_id = applied.has("status_id").then(|| {
            rec.get(K, "status_id")
                .as_int()
                .and_then(|id| self.lead_statuses.iter().find(|s| s.id == id))
        });
        let status = match (by_name, by_id) {
            (Some(Some(a)), Some(Some(b))) if a.id != b.id => {
                errors.push(
                    "status",
                    format!("{} does not match status_id {}", a.name, b.id),
                );
                return;
            }
            (Some(s), _) | (None, Some(s)) => s,
            (None, None) if old.is_none() => self.default_lead_status(),
            (None, None) => return,
        };
        let Some(status) = status else {
            errors.push("status_id", "can't be blank");
            return;
        };
        let changed = old.is_none_or(|o| o.get(K, "status_id").as_int() != Some(status.id));
        rec.set(K, "status", Val::str(&status.name));
        rec.set(K, "status_id", Val::Int(status.id));
        if changed {
            rec.set(K, "date_status_changed", Val::Int(now()));
        }
    }

    fn prepare_company(&self, rec: &mut Record, errors: &mut FieldErrors) {
        const K: Kind = Kind::Company;
        let domain = rec
            .get(K, "email_domain")
            .as_str()
            .map(|d| d.trim().to_ascii_lowercase());
        match domain {
            Some(d) if d.is_empty() => rec.set(K, "email_domain", Val::Null),
            Some(d) => {
                if let Some(other) = self.company_domains.get(&d).filter(|o| **o != rec.id) {
                    errors.push(
                        "email_domain",
                        format!("{d} is already the email domain of company {other}"),
                    );
                }
            }
            None => {}
        }
    }

    fn prepare_opportunity(
        &self,
        rec: &mut Record,
        applied: &Applied,
        old: Option<&Record>,
        errors: &mut FieldErrors,
    ) {
        const K: Kind = Kind::Opportunity;
        let creating = old.is_none();
        if creating {
            if rec.get(K, "primary_contact_id").is_null() {
                errors.push("primary_contact_id", "can't be blank");
            }
            if rec.get(K, "status").is_null() {
                rec.set(K, "status", Val::str("Open"));
            }
            if !applied.has("priority") {
                rec.set(K, "priority", Val::str("None"));
            }
            if !applied.has("company_id") {
                let company = rec
                    .get(K, "primary_contact_id")
                    .as_int()
                    .and_then(|pid| self.table(Kind::Person).get(pid))
                    .and_then(|p| p.get(Kind::Person, "company_id").as_int());
                rec.set(K, "company_id", Val::opt_int(company));
            }
        }
        let pipeline_id = match rec.get(K, "pipeline_id").as_int() {
            Some(id) => id,
            None if creating => match self.pipelines.iter().find(|p| p.kind == "opportunity") {
                Some(p) => p.id,
                None => {
                    errors.push(
                        "pipeline_id",
                        "can't be blank (the account has no pipeline)",
                    );
                    return;
                }
            },
            None => {
                errors.push("pipeline_id", "can't be blank");
                return;
            }
        };
        rec.set(K, "pipeline_id", Val::Int(pipeline_id));
        let Some(pipeline) = self.pipeline(pipeline_id) else {
            return;
        };
        let pipeline_changed =
            old.is_some_and(|o| o.get(K, "pipeline_id").as_int() != Some(pipeline_id));
        let stage_id = match rec.get(K, "pipeline_stage_id").as_int() {
            Some(s) if applied.has("pipeline_stage_id") || !pipeline_changed => Some(s),
            _ => pipeline.stages.first().copied(),
        };
        match stage_id {
            Some(s) if !pipeline.stages.contains(&s) => {
                errors.push(
                    "pipeline_stage_id",
                    format!("{s} is not a stage of pipeline {pipeline_id}"),
                );
                return;
            }
            _ => {}
        }
        rec.set(K, "pipeline_stage_id", Val::opt_int(stage_id));
        let stage_changed = old.is_none_or(|o| o.get(K, "pipeline_stage_id").as_int() != stage_id);
        if stage_changed {
            rec.set(K, "date_stage_changed", Val::Int(now()));
            if !applied.has("win_probability") {
                let p = stage_id
                    .and_then(|s| self.stages.get(&s))
                    .map_or(0, |s| s.win_probability);
                rec.set(K, "win_probability", Val::Int(p));
            }
        }
        if rec.get(K, "win_probability").is_null() {
            rec.set(K, "win_probability", Val::Int(0));
        }
    }

    fn prepare_task(
        &self,
        rec: &mut Record,
        applied: &Applied,
        old: Option<&Record>,
        errors: &mut FieldErrors,
    ) {
        const K: Kind = Kind::Task;
        let _ = errors;
        if old.is_none() {
            if rec.get(K, "status").is_null() {
                rec.set(K, "status", Val::str("Open"));
            }
            if rec.get(K, "priority").is_null() {
                rec.set(K, "priority", Val::str("None"));
            }
            if !applied.has("assignee_id") {
                rec.set(K, "assignee_id", Val::Int(self.api_user));
            }
            rec.set(
                K,
                "custom_activity_type_id",
                Val::opt_int(self.default_task_type()),
            );
        }
        let status = rec.get(K, "status").as_str().unwrap_or("Open").to_string();
        let was = old.and_then(|o| o.get(K, "status").as_str().map(str::to_string));
        if was.as_deref() != Some(status.as_str()) {
            let completed = (status == "Completed").then(now);
            rec.set(K, "completed_date", Val::opt_int(completed));
        }
    }

    fn prepare_activity(
        &self,
        rec: &mut Record,
        applied: &Applied,
        creating: bool,
        errors: &mut FieldErrors,
    ) {
        const K: Kind = Kind::Activity;
        if !creating {
            return;
        }
        for field in ["parent", "type"] {
            if rec.get(K, field).is_null() {
                errors.push(field, "can't be blank");
            }
        }
        if rec.get(K, "details").is_null() {
            errors.push("details", "can't be blank");
        }
        if !applied.has("activity_date") || rec.get(K, "activity_date").is_null() {
            rec.set(K, "activity_date", Val::Int(now()));
        }
        rec.set(K, "user_id", Val::Int(self.api_user));
    }

    /// Keep indexes, relations and interaction counts in step with a written record.
    fn after_write(&mut self, kind: Kind, old: Option<&Record>, new: &Record) {
        let me = RecordRef { kind, id: new.id };
        match kind {
            Kind::Person => {
                if let Some(old) = old {
                    for c in old.get(kind, "emails").contacts() {
                        self.person_emails.remove(&c.value.to_ascii_lowercase());
                    }
                } else if let Some(cid) = new.get(kind, "company_id").as_int() {
                    self.relate(
                        me,
                        RecordRef {
                            kind: Kind::Company,
                            id: cid,
                        },
                    );
                }
                for c in new.get(kind, "emails").contacts() {
                    self.person_emails
                        .insert(c.value.to_ascii_lowercase(), new.id);
                }
            }
            Kind::Company => {
                if let Some(d) = old.and_then(|o| o.get(kind, "email_domain").as_str()) {
                    self.company_domains.remove(&d.to_ascii_lowercase());
                }
                if let Some(d) = new.get(kind, "email_domain").as_str() {
                    self.company_domains.insert(d.to_ascii_lowercase(), new.id);
                }
            }
            Kind::Task | Kind::Project => {
                let before = old.and_then(|o| o.get(kind, "related_resource").as_ref_());
                let after = new.get(kind, "related_resource").as_ref_();
                if before != after {
                    if let Some(b) = before {
                        self.unrelate(me, b);
                    }
                    if let Some(a) = after {
                        self.relate(me, a);
                    }
                }
            }
            Kind::Activity if old.is_none() => {
                let parent = new.get(kind, "parent").as_ref_();
                let date = new.get(kind, "activity_date").as_int();
                if let (Some(p), Some(date), true) = (parent, date, self.counts_as_interaction(new))
                {
                    self.bump_interactions(p, 1, Some(date));
                }
            }
            _ => {}
        }
    }

    /// Whether an activity's type counts as an interaction.
    pub(crate) fn counts_as_interaction(&self, activity: &Record) -> bool {
        match activity.get(Kind::Activity, "type") {
            Val::TypeRef(id, super::val::Category::User) => {
                self.cats.get(id).is_some_and(|c| c.is_interaction)
            }
            _ => false,
        }
    }

    fn bump_interactions(&mut self, parent: RecordRef, delta: i64, date: Option<i64>) {
        let kind = parent.kind;
        let s = super::schema::schema(kind);
        let (Some(count_i), Some(date_i)) =
            (s.find("interaction_count"), s.find("date_last_contacted"))
        else {
            return;
        };
        let Some(rec) = self.table_mut(kind).rows.get_mut(&parent.id) else {
            return;
        };
        let count = rec.vals[count_i].as_int().unwrap_or(0) + delta;
        rec.vals[count_i] = Val::Int(count.max(0));
        if let Some(date) = date {
            let last = rec.vals[date_i].as_int().unwrap_or(i64::MIN);
            if date > last {
                rec.vals[date_i] = Val::Int(date);
            }
        }
    }

    /// Delete a record and everything hanging off it; returns whether it existed.
    pub(crate) fn delete(&mut self, kind: Kind, id: i64) -> bool {
        let Some(rec) = self.table_mut(kind).remove(id) else {
            return false;
        };
        let me = RecordRef { kind, id };
        self.wrote(kind.entity(), id);
        match kind {
            Kind::Person => {
                for c in rec.get(kind, "emails").contacts() {
                    self.person_emails.remove(&c.value.to_ascii_lowercase());
                }
                self.clear_refs(Kind::Company, "primary_contact_id", id);
                self.clear_refs(Kind::Opportunity, "primary_contact_id", id);
            }
            Kind::Company => {
                if let Some(d) = rec.get(kind, "email_domain").as_str() {
                    self.company_domains.remove(&d.to_ascii_lowercase());
                }
                self.clear_refs(Kind::Person, "company_id", id);
                self.clear_refs(Kind::Opportunity, "company_id", id);
            }
            Kind::Activity => {
                self.deleted_activities.insert(id);
                if let Some(p) = rec.get(kind, "parent").as_ref_()
                    && self.counts_as_interaction(&rec)
                {
                    self.bump_interactions(p, -1, None);
                }
                self.emit(kind, "delete", id);
                return true;
            }
            _ => {}
        }
        for other in self.related(me) {
            self.unlink_records(me, other);
        }
        let link_ids: Vec<i64> = self
            .links
            .values()
            .filter(|l| {
                [l.source, l.target]
                    .iter()
                    .any(|e| matches!(e, super::state::LinkEnd::Record(r) if *r == me))
            })
            .map(|l| l.id)
            .collect();
        for l in link_ids {
            self.links.remove(&l);
        }
        self.files.retain(|_, f| f.owner != me);
        let activity_ids: Vec<i64> = self
            .table(Kind::Activity)
            .rows
            .values()
            .filter(|a| a.get(Kind::Activity, "parent").as_ref_() == Some(me))
            .map(|a| a.id)
            .collect();
        for a in activity_ids {
            self.table_mut(Kind::Activity).remove(a);
            self.deleted_activities.insert(a);
        }
        self.emit(kind, "delete", id);
        true
    }

    /// Null out `field` on every `kind` record that points at `id`.
    fn clear_refs(&mut self, kind: Kind, field: &str, id: i64) {
        let i = super::schema::schema(kind).idx(field);
        for rec in self.table_mut(kind).rows.values_mut() {
            if rec.vals[i].as_int() == Some(id) {
                rec.vals[i] = Val::Null;
            }
        }
    }

    /// Remove the relation between two records and the fields that mirror it.
    pub(crate) fn unlink_records(&mut self, a: RecordRef, b: RecordRef) -> bool {
        let removed = self.unrelate(a, b);
        for (x, y) in [(a, b), (b, a)] {
            let Some(rec) = self.table_mut(x.kind).rows.get_mut(&x.id) else {
                continue;
            };
            match (x.kind, y.kind) {
                (Kind::Person, Kind::Company)
                    if rec.get(Kind::Person, "company_id").as_int() == Some(y.id) =>
                {
                    rec.set(Kind::Person, "company_id", Val::Null);
                }
                (Kind::Task | Kind::Project, _)
                    if rec.get(x.kind, "related_resource").as_ref_() == Some(y) =>
                {
                    rec.set(x.kind, "related_resource", Val::Null);
                }
                _ => {}
            }
        }
        removed
    }

    /// Relate two records (both must exist and the pair must be allowed), updating the fields
    /// that mirror one-to-one relations.
    pub(crate) fn link_records(&mut self, a: RecordRef, b: RecordRef) -> Result<bool, ApiError> {
        if !allowed_pair(a.kind, b.kind) {
            return Err(ApiError::invalid(
                "resource",
                format!(
                    "a {} cannot be related to a {}",
                    a.kind.singular(),
                    b.kind.singular()
                ),
            ));
        }
        if self.relations.contains(&(a, b)) {
            return Ok(false);
        }
        for (x, y) in [(a, b), (b, a)] {
            let rec = self.record(x).ok_or(ApiError::NotFound)?;
            match (x.kind, y.kind) {
                (Kind::Person, Kind::Company) => {
                    if let Some(current) = rec.get(Kind::Person, "company_id").as_int() {
                        return Err(ApiError::invalid(
                            "resource",
                            format!(
                                "person {} already belongs to company {current}; remove that relation first",
                                x.id
                            ),
                        ));
                    }
                }
                (Kind::Task, _) => {
                    if let Some(current) = rec.get(Kind::Task, "related_resource").as_ref_() {
                        return Err(ApiError::invalid(
                            "resource",
                            format!(
                                "task {} is already related to {} {}; a task has at most one relation",
                                x.id,
                                current.kind.singular(),
                                current.id
                            ),
                        ));
                    }
                }
                _ => {}
            }
        }
        for (x, y) in [(a, b), (b, a)] {
            if let Some(rec) = self.table_mut(x.kind).rows.get_mut(&x.id) {
                match (x.kind, y.kind) {
                    (Kind::Person, Kind::Company) => {
                        rec.set(Kind::Person, "company_id", Val::Int(y.id))
                    }
                    (Kind::Task, _) => rec.set(Kind::Task, "related_resource", Val::Ref(y)),
                    _ => {}
                }
            }
        }
        Ok(self.relate(a, b))
    }

    /// `updated_attributes` of an update: `{field: [old, new]}` with custom fields nested under
    /// `custom_fields` by definition id; once with option ids and once with labels.
    fn diff(
        &self,
        kind: Kind,
        old: &Record,
        new: &Record,
    ) -> (Map<String, Value>, Map<String, Value>) {
        let v = view(kind, Shape::Full);
        let before = to_value(self, kind, old, v, false);
        let after = to_value(self, kind, new, v, false);
        let mut plain = Map::new();
        if let (Value::Object(b), Value::Object(a)) = (&before, &after) {
            for (k, new_v) in a {
                if matches!(k.as_str(), "custom_fields" | "date_modified") {
                    continue;
                }
                let old_v = b.get(k).cloned().unwrap_or(Value::Null);
                if &old_v != new_v {
                    plain.insert(k.clone(), Value::Array(vec![old_v, new_v.clone()]));
                }
            }
        }
        let mut labels = plain.clone();
        let mut cf_plain = Map::new();
        let mut cf_labels = Map::new();
        for def in self.cfds.values().filter(|d| d.shown_on(kind)) {
            let o = stored_or_default(def, old.custom_value(def.id));
            let n = stored_or_default(def, new.custom_value(def.id));
            if o != n {
                let key = def.id.to_string();
                cf_labels.insert(
                    key.clone(),
                    Value::Array(vec![computed_value(def, &o), computed_value(def, &n)]),
                );
                cf_plain.insert(key, Value::Array(vec![o, n]));
            }
        }
        if !cf_plain.is_empty() {
            plain.insert("custom_fields".into(), Value::Object(cf_plain));
            labels.insert("custom_fields".into(), Value::Object(cf_labels));
        }
        (plain, labels)
    }
}

/// Whether two kinds may be related (Related Items pair rules; symmetric).
pub(crate) fn allowed_pair(a: Kind, b: Kind) -> bool {
    use Kind::*;
    let allowed: &[Kind] = match a {
        Lead => &[Task],
        Person => &[Company, Opportunity, Task, Project],
        Company => &[Opportunity, Person, Task, Project],
        Opportunity => &[Company, Person, Task, Project],
        Project => &[Company, Person, Opportunity, Task],
        Task => &[Company, Person, Opportunity, Lead, Project],
        Activity => &[],
    };
    allowed.contains(&b)
}
