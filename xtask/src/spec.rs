//! Loading and checking the OpenAPI document before progenitor sees it.
//!
//! Every problem is reported as a [`SpecError`] naming the file, a location
//! (a `line:column` for YAML syntax errors, a JSON pointer for everything
//! else) and what is wrong, so that a bad edit to `spec/` never surfaces as a
//! bare panic or an anonymous serde message.

use std::collections::BTreeMap;
use std::fmt;
use std::path::{Path, PathBuf};

use serde_json::Value;

/// Where in the document a problem is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Location {
    /// A position in the YAML text (1-based).
    Line { line: usize, column: usize },
    /// A JSON pointer (RFC 6901) into the parsed document.
    Pointer(String),
    /// The document as a whole.
    Document,
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Location::Line { line, column } => write!(f, "{line}:{column}"),
            Location::Pointer(p) => write!(f, "#{p}"),
            Location::Document => Ok(()),
        }
    }
}

/// A problem with the OpenAPI document, located precisely.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SpecError {
    /// The file the document was read from.
    pub file: PathBuf,
    /// Where in that file.
    pub location: Location,
    /// What is wrong, in words.
    pub message: String,
}

impl fmt::Display for SpecError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.location {
            Location::Document => write!(f, "{}: {}", self.file.display(), self.message),
            Location::Line { .. } => {
                write!(
                    f,
                    "{}:{}: {}",
                    self.file.display(),
                    self.location,
                    self.message
                )
            }
            Location::Pointer(_) => {
                write!(
                    f,
                    "{}{}: {}",
                    self.file.display(),
                    self.location,
                    self.message
                )
            }
        }
    }
}

impl std::error::Error for SpecError {}

/// Escape one JSON-pointer reference token (RFC 6901).
pub fn escape_token(token: &str) -> String {
    token.replace('~', "~0").replace('/', "~1")
}

/// Build a JSON pointer from tokens.
pub fn pointer<I, S>(tokens: I) -> String
where
    I: IntoIterator<Item = S>,
    S: AsRef<str>,
{
    tokens
        .into_iter()
        .map(|t| format!("/{}", escape_token(t.as_ref())))
        .collect()
}

/// The HTTP methods an OpenAPI path item may hold operations under.
pub const METHODS: [&str; 8] = [
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

/// A document that parsed and passed our structural checks.
#[derive(Debug, Clone)]
pub struct LoadedSpec {
    /// Where it came from.
    pub file: PathBuf,
    /// The document as JSON (keys sorted), for checks and pointers.
    pub json: Value,
    /// The document as parsed from YAML, keys in their written order.
    pub yaml: serde_yaml_ng::Value,
    /// The typed document progenitor consumes.
    pub openapi: openapiv3::OpenAPI,
}

impl LoadedSpec {
    /// Make an error located at `pointer` in this spec.
    pub fn error_at(&self, pointer: impl Into<String>, message: impl Into<String>) -> SpecError {
        SpecError {
            file: self.file.clone(),
            location: Location::Pointer(pointer.into()),
            message: message.into(),
        }
    }
}

/// Read and check a spec file.
pub fn load(file: &Path) -> Result<LoadedSpec, Vec<SpecError>> {
    let text = std::fs::read_to_string(file).map_err(|e| {
        vec![SpecError {
            file: file.to_path_buf(),
            location: Location::Document,
            message: format!("cannot read the file: {e}"),
        }]
    })?;
    parse(file, &text)
}

/// Parse and check spec text that claims to come from `file`.
pub fn parse(file: &Path, text: &str) -> Result<LoadedSpec, Vec<SpecError>> {
    let (yaml, json) = parse_yaml(file, text).map_err(|e| vec![e])?;
    let errors = check(file, &json);
    if !errors.is_empty() {
        return Err(errors);
    }
    let openapi = to_openapi(file, &json).map_err(|e| vec![e])?;
    Ok(LoadedSpec {
        file: file.to_path_buf(),
        json,
        yaml,
        openapi,
    })
}

fn parse_yaml(file: &Path, text: &str) -> Result<(serde_yaml_ng::Value, Value), SpecError> {
    let yaml: serde_yaml_ng::Value = serde_yaml_ng::from_str(text).map_err(|e| {
        let location = match e.location() {
            Some(l) => Location::Line {
                line: l.line(),
                column: l.column(),
            },
            None => Location::Document,
        };
        SpecError {
            file: file.to_path_buf(),
            location,
            message: format!("YAML syntax error: {e}"),
        }
    })?;
    let json = yaml_to_json(&yaml, &mut Vec::new()).map_err(|(ptr, message)| SpecError {
        file: file.to_path_buf(),
        location: Location::Pointer(ptr),
        message,
    })?;
    Ok((yaml, json))
}

fn yaml_to_json(
    v: &serde_yaml_ng::Value,
    path: &mut Vec<String>,
) -> Result<Value, (String, String)> {
    use serde_yaml_ng::Value as Y;
    Ok(match v {
        Y::Null => Value::Null,
        Y::Bool(b) => Value::Bool(*b),
        Y::Number(n) => {
            if let Some(i) = n.as_i64() {
                Value::from(i)
            } else if let Some(u) = n.as_u64() {
                Value::from(u)
            } else {
                let f = n.as_f64().unwrap_or(f64::NAN);
                serde_json::Number::from_f64(f)
                    .map(Value::Number)
                    .ok_or_else(|| {
                        (
                            pointer(path.iter()),
                            format!("number {f} cannot be represented in JSON"),
                        )
                    })?
            }
        }
        Y::String(s) => Value::String(s.clone()),
        Y::Sequence(items) => {
            let mut out = Vec::with_capacity(items.len());
            for (i, item) in items.iter().enumerate() {
                path.push(i.to_string());
                out.push(yaml_to_json(item, path)?);
                path.pop();
            }
            Value::Array(out)
        }
        Y::Mapping(map) => {
            let mut out = serde_json::Map::new();
            for (k, val) in map {
                let key = match k {
                    Y::String(s) => s.clone(),
                    Y::Number(n) => n.to_string(),
                    Y::Bool(b) => b.to_string(),
                    other => {
                        return Err((
                            pointer(path.iter()),
                            format!("mapping key {other:?} is not a string"),
                        ));
                    }
                };
                path.push(key.clone());
                let converted = yaml_to_json(val, path)?;
                path.pop();
                out.insert(key, converted);
            }
            Value::Object(out)
        }
        Y::Tagged(t) => {
            return Err((
                pointer(path.iter()),
                format!("YAML tag {} is not allowed in an OpenAPI document", t.tag),
            ));
        }
    })
}

/// Structural checks on the JSON form: version, `$ref`s, operation ids, and
/// the response shapes progenitor 0.15.1 can generate.
pub fn check(file: &Path, doc: &Value) -> Vec<SpecError> {
    let mut errors = Vec::new();
    let mut err = |ptr: String, message: String| {
        errors.push(SpecError {
            file: file.to_path_buf(),
            location: Location::Pointer(ptr),
            message,
        })
    };

    match doc.get("openapi").and_then(Value::as_str) {
        Some(v) if v.starts_with("3.0.") => {}
        Some(v) => err(
            "/openapi".into(),
            format!("OpenAPI version {v:?} is not supported: progenitor reads 3.0.x only"),
        ),
        None => err(
            "/openapi".into(),
            "missing the `openapi` version field".into(),
        ),
    }

    // Every $ref must be local, resolve, and point at the right kind of thing.
    let mut refs = Vec::new();
    collect_refs(doc, &mut Vec::new(), &mut refs);
    for (at, target) in refs {
        match target.strip_prefix('#') {
            Some(ptr) => {
                if doc.pointer(ptr).is_none() {
                    err(
                        at,
                        format!("unknown $ref {target:?}: nothing exists at that pointer"),
                    );
                } else if let Some(kind) = expected_ref_kind(&at) {
                    let want = format!("/components/{kind}/");
                    let name = ptr.strip_prefix(&want);
                    if name.is_none_or(|n| n.contains('/')) {
                        err(
                            at,
                            format!(
                                "$ref {target:?} must name an entry of #/components/{kind} here (progenitor resolves nothing deeper)"
                            ),
                        );
                    }
                }
            }
            None => err(
                at,
                format!("external $ref {target:?} is not supported: keep the spec in one document"),
            ),
        }
    }

    // Schema names must stay distinct once turned into Rust type names.
    if let Some(schemas) = doc
        .pointer("/components/schemas")
        .and_then(Value::as_object)
    {
        let mut rust_names: BTreeMap<String, &str> = BTreeMap::new();
        for name in schemas.keys() {
            let rust = rust_type_name(name);
            if let Some(first) = rust_names.get(&rust) {
                err(
                    pointer(["components", "schemas", name]),
                    format!(
                        "schema {name:?} becomes the Rust type `{rust}`, like schema {first:?}"
                    ),
                );
            } else {
                rust_names.insert(rust, name);
            }
        }
    }

    // Operation ids: present and unique; responses progenitor can handle.
    let mut seen: BTreeMap<String, String> = BTreeMap::new();
    if let Some(paths) = doc.get("paths").and_then(Value::as_object) {
        for (path, item) in paths {
            let Some(item) = item.as_object() else {
                err(
                    pointer(["paths", path]),
                    "path item is not an object".into(),
                );
                continue;
            };
            if item.contains_key("$ref") {
                err(
                    pointer(["paths", path, "$ref"]),
                    "path items given by $ref are not supported by progenitor".into(),
                );
            }
            for method in METHODS {
                let Some(op) = item.get(method) else { continue };
                let op_ptr = pointer(["paths", path, method]);
                match op.get("operationId").and_then(Value::as_str) {
                    None => err(
                        op_ptr.clone(),
                        format!("{} {path} has no operationId", method.to_uppercase()),
                    ),
                    Some(id) => {
                        if let Some(first) = seen.get(id) {
                            err(
                                format!("{op_ptr}/operationId"),
                                format!("duplicate operationId {id:?} (first used at #{first})"),
                            );
                        } else {
                            seen.insert(id.to_string(), op_ptr.clone());
                        }
                    }
                }
                check_responses(doc, op, &op_ptr, &mut err);
                check_path_params(doc, path, item.get("parameters"), op, &op_ptr, &mut err);
            }
        }
    } else {
        err("/paths".into(), "missing `paths`".into());
    }
    errors
}

fn check_responses(doc: &Value, op: &Value, op_ptr: &str, err: &mut impl FnMut(String, String)) {
    let Some(responses) = op.get("responses").and_then(Value::as_object) else {
        err(
            format!("{op_ptr}/responses"),
            "operation has no responses".into(),
        );
        return;
    };
    let is_success = |code: &str| code.starts_with('2');
    let has_success = responses.keys().any(|c| is_success(c));
    if has_success && responses.contains_key("default") {
        err(
            format!("{op_ptr}/responses/default"),
            "a `default` response beside a 2xx response makes progenitor 0.15.1 panic; declare errors as `4XX`/`5XX`".into(),
        );
    }
    for (code, _) in responses {
        let valid = code == "default"
            || matches!(code.as_str(), "1XX" | "2XX" | "3XX" | "4XX" | "5XX")
            || (code.len() == 3 && code.chars().all(|c| c.is_ascii_digit()));
        if !valid {
            err(
                format!("{op_ptr}/responses/{}", escape_token(code)),
                format!("{code:?} is not an HTTP status code or range"),
            );
        }
    }
    // progenitor generates one success type and one error type.
    for (label, pred) in [
        (
            "success",
            &(|c: &str| c.starts_with('2')) as &dyn Fn(&str) -> bool,
        ),
        (
            "error",
            &(|c: &str| c.starts_with('4') || c.starts_with('5') || c == "default"),
        ),
    ] {
        let mut schemas: Vec<(String, Option<Value>)> = Vec::new();
        for (code, resp) in responses {
            if !pred(code) {
                continue;
            }
            let resp = resolve(doc, resp).unwrap_or(resp);
            let schema = resp
                .get("content")
                .and_then(|c| c.get("application/json"))
                .and_then(|m| m.get("schema"))
                .cloned();
            schemas.push((code.clone(), schema));
        }
        if let Some((first_code, first)) = schemas.first() {
            for (code, schema) in &schemas[1..] {
                if schema != first {
                    err(
                        format!("{op_ptr}/responses/{}", escape_token(code)),
                        format!(
                            "{label} response {code} has a different body schema than {first_code}; progenitor needs one {label} type per operation"
                        ),
                    );
                }
            }
        }
    }
}

/// The path template variables and the declared path parameters must agree.
fn check_path_params(
    doc: &Value,
    path: &str,
    item_params: Option<&Value>,
    op: &Value,
    op_ptr: &str,
    err: &mut impl FnMut(String, String),
) {
    let in_template: Vec<&str> = path
        .split('{')
        .skip(1)
        .filter_map(|rest| rest.split_once('}').map(|(name, _)| name))
        .collect();
    let mut declared = Vec::new();
    for params in [item_params, op.get("parameters")].into_iter().flatten() {
        for p in params.as_array().into_iter().flatten() {
            let p = resolve(doc, p).unwrap_or(p);
            if p.get("in").and_then(Value::as_str) == Some("path")
                && let Some(name) = p.get("name").and_then(Value::as_str)
            {
                declared.push(name.to_string());
            }
        }
    }
    for name in &in_template {
        if !declared.iter().any(|d| d == name) {
            err(
                format!("{op_ptr}/parameters"),
                format!("path variable {{{name}}} of {path} has no `in: path` parameter"),
            );
        }
    }
    for name in &declared {
        if !in_template.contains(&name.as_str()) {
            err(
                format!("{op_ptr}/parameters"),
                format!("path parameter {name:?} does not appear in the path {path}"),
            );
        }
    }
}

/// What a `$ref` at `site` (a JSON pointer) must point to, judged by where it
/// stands: a schema, a parameter, a response or a header.
fn expected_ref_kind(site: &str) -> Option<&'static str> {
    let tokens: Vec<&str> = site.split('/').skip(1).collect();
    let n = tokens.len();
    // tokens[n-1] is "$ref"; look at what holds the reference object.
    let parent = tokens.get(n.checked_sub(2)?).copied()?;
    let grandparent = n.checked_sub(3).and_then(|i| tokens.get(i)).copied();
    let schema_words = ["schema", "items", "not", "additionalProperties"];
    let schema_lists = ["allOf", "oneOf", "anyOf"];
    if schema_words.contains(&parent)
        || grandparent
            .is_some_and(|g| g == "properties" || g == "schemas" || schema_lists.contains(&g))
    {
        return Some("schemas");
    }
    if grandparent == Some("parameters") {
        return Some("parameters");
    }
    if grandparent == Some("responses") {
        return Some("responses");
    }
    if grandparent == Some("headers") {
        return Some("headers");
    }
    if parent == "requestBody" {
        return Some("requestBodies");
    }
    None
}

/// The Rust type name typify gives a component schema (PascalCase).
pub fn rust_type_name(name: &str) -> String {
    let mut out = String::new();
    let mut upper = true;
    for c in name.chars() {
        if c.is_ascii_alphanumeric() {
            if upper {
                out.extend(c.to_uppercase());
            } else {
                out.push(c);
            }
            upper = false;
        } else {
            upper = true;
        }
    }
    out
}

/// Follow one level of `$ref` if `v` is a reference object.
pub fn resolve<'a>(doc: &'a Value, v: &'a Value) -> Option<&'a Value> {
    let r = v.get("$ref")?.as_str()?;
    doc.pointer(r.strip_prefix('#')?)
}

fn collect_refs(v: &Value, path: &mut Vec<String>, out: &mut Vec<(String, String)>) {
    match v {
        Value::Object(map) => {
            // `example`/`examples` values are data, not schema: a key called
            // `$ref` inside them is not a reference.
            for (k, child) in map {
                if k == "$ref" {
                    if let Some(s) = child.as_str() {
                        path.push(k.clone());
                        out.push((pointer(path.iter()), s.to_string()));
                        path.pop();
                    }
                    continue;
                }
                if k == "example" {
                    continue;
                }
                path.push(k.clone());
                collect_refs(child, path, out);
                path.pop();
            }
        }
        Value::Array(items) => {
            for (i, child) in items.iter().enumerate() {
                path.push(i.to_string());
                collect_refs(child, path, out);
                path.pop();
            }
        }
        _ => {}
    }
}

fn to_openapi(file: &Path, json: &Value) -> Result<openapiv3::OpenAPI, SpecError> {
    serde_path_to_error::deserialize(json).map_err(|e| {
        // openapiv3 uses untagged enums, so serde's path often stops at
        // `/paths` or `/components`; find the deepest piece that fails alone.
        let (ptr, message) = locate_invalid(json)
            .unwrap_or_else(|| (path_to_pointer(e.path()), e.inner().to_string()));
        SpecError {
            file: file.to_path_buf(),
            location: Location::Pointer(ptr),
            message: format!("not a valid OpenAPI 3.0 object here: {message}"),
        }
    })
}

/// Try `T` on the value at `ptr`; on failure, the pointer (extended by
/// serde's own path where it has one) and the message.
fn try_as<T: serde::de::DeserializeOwned>(doc: &Value, ptr: &str) -> Option<(String, String)> {
    let v = doc.pointer(ptr)?;
    match serde_path_to_error::deserialize::<_, T>(v) {
        Ok(_) => None,
        Err(e) => Some((
            format!("{ptr}{}", path_to_pointer(e.path())),
            e.inner().to_string(),
        )),
    }
}

fn locate_invalid(doc: &Value) -> Option<(String, String)> {
    use openapiv3::{Operation, Parameter, PathItem, ReferenceOr, RequestBody, Response, Schema};
    let keys = |ptr: &str| -> Vec<String> {
        doc.pointer(ptr)
            .and_then(Value::as_object)
            .map(|m| m.keys().cloned().collect())
            .unwrap_or_default()
    };
    for name in keys("/components/schemas") {
        let ptr = pointer(["components", "schemas", &name]);
        if let Some(found) = try_as::<ReferenceOr<Schema>>(doc, &ptr) {
            return Some(found);
        }
    }
    for name in keys("/components/parameters") {
        let ptr = pointer(["components", "parameters", &name]);
        if let Some(found) = try_as::<ReferenceOr<Parameter>>(doc, &ptr) {
            return Some(found);
        }
    }
    for name in keys("/components/responses") {
        let ptr = pointer(["components", "responses", &name]);
        if let Some(found) = try_as::<ReferenceOr<Response>>(doc, &ptr) {
            return Some(found);
        }
    }
    for path in keys("/paths") {
        let item_ptr = pointer(["paths", &path]);
        let Some(item_err) = try_as::<PathItem>(doc, &item_ptr) else {
            continue;
        };
        for method in METHODS {
            let op_ptr = pointer(["paths", &path, method]);
            if doc.pointer(&op_ptr).is_none() || try_as::<Operation>(doc, &op_ptr).is_none() {
                continue;
            }
            let count = |key: &str| {
                doc.pointer(&format!("{op_ptr}/{key}"))
                    .and_then(Value::as_array)
                    .map_or(0, Vec::len)
            };
            for i in 0..count("parameters") {
                let p = format!("{op_ptr}/parameters/{i}");
                if let Some(found) = try_as::<ReferenceOr<Parameter>>(doc, &p) {
                    return Some(found);
                }
            }
            if let Some(found) =
                try_as::<ReferenceOr<RequestBody>>(doc, &format!("{op_ptr}/requestBody"))
            {
                return Some(found);
            }
            for code in keys(&format!("{op_ptr}/responses")) {
                let p = format!("{op_ptr}/responses/{}", escape_token(&code));
                if let Some(found) = try_as::<ReferenceOr<Response>>(doc, &p) {
                    return Some(found);
                }
            }
            return try_as::<Operation>(doc, &op_ptr);
        }
        return Some(item_err);
    }
    None
}

fn path_to_pointer(path: &serde_path_to_error::Path) -> String {
    use serde_path_to_error::Segment;
    let tokens: Vec<String> = path
        .iter()
        .filter_map(|seg| match seg {
            Segment::Seq { index } => Some(index.to_string()),
            Segment::Map { key } => Some(key.clone()),
            Segment::Enum { variant } => Some(variant.clone()),
            Segment::Unknown => None,
        })
        .collect();
    pointer(tokens)
}
