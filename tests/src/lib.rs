//! Support for the cross-crate tests: the spec's operation table (generated
//! by `build.rs` from `spec/copper.json`), the doc-example fixtures, and a
//! comparison that finds fields lost in a decode/encode round trip.

use std::path::{Path, PathBuf};

use copper_crm_raw::types;
use serde_json::Value;

/// Decode JSON text into a generated type and encode it back.
pub type Roundtrip = fn(&str) -> Result<Value, String>;

/// One operation of the spec and the generated types of its bodies.
#[derive(Debug)]
pub struct Operation {
    /// The `operationId`.
    pub id: &'static str,
    /// The HTTP method, upper case.
    pub method: &'static str,
    /// The path template.
    pub path: &'static str,
    /// The request body type, if the operation takes one.
    pub request: Option<Roundtrip>,
    /// The 200 response body type.
    pub response: Option<Roundtrip>,
    /// For an array response, the type of one element.
    pub response_item: Option<Roundtrip>,
    /// The 4XX/5XX error body type.
    pub error: Option<Roundtrip>,
}

fn roundtrip<T: serde::de::DeserializeOwned + serde::Serialize>(
    text: &str,
) -> Result<Value, String> {
    let typed: T = serde_json::from_str(text).map_err(|e| e.to_string())?;
    serde_json::to_value(&typed).map_err(|e| e.to_string())
}

include!(concat!(env!("OUT_DIR"), "/operations.rs"));

/// Look up an operation by id.
pub fn operation(id: &str) -> Option<&'static Operation> {
    OPERATIONS.iter().find(|op| op.id == id)
}

/// Look up a component schema's round trip by name.
pub fn schema(name: &str) -> Option<Roundtrip> {
    SCHEMAS.iter().find(|(n, _)| *n == name).map(|(_, f)| *f)
}

/// The workspace root.
pub fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// The fixtures directory.
pub fn fixtures_dir() -> PathBuf {
    workspace_root().join("tests/fixtures")
}

/// What a fixture file holds, from its name `<operation>.<kind>[.<slug>].json`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fixture {
    /// File name.
    pub name: String,
    /// The operation id (or a non-operation name such as `webhook_notification`).
    pub operation: String,
    /// `request`, `response`, `response_item` (one element of an array
    /// response) or `error`.
    pub kind: String,
    /// The file's text.
    pub text: String,
}

/// Every `*.json` fixture, sorted by name.
pub fn fixtures() -> Vec<Fixture> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(fixtures_dir()).expect("tests/fixtures exists") {
        let path = entry.unwrap().path();
        let Some(name) = path
            .file_name()
            .and_then(|n| n.to_str())
            .map(str::to_string)
        else {
            continue;
        };
        let Some(stem) = name.strip_suffix(".json") else {
            continue;
        };
        let mut parts = stem.split('.');
        let operation = parts.next().unwrap_or_default().to_string();
        let kind = parts.next().unwrap_or_default().to_string();
        let text = std::fs::read_to_string(&path).unwrap();
        out.push(Fixture {
            name,
            operation,
            kind,
            text,
        });
    }
    out.sort_by(|a, b| a.name.cmp(&b.name));
    out
}

/// Paths (JSON-pointer style) of values in `original` that are missing or
/// different in `reencoded`. An explicit `null` may come back absent (typify
/// encodes an unset optional field by leaving it out) and numbers compare by
/// value (`2500` and `2500.0` are the same number).
pub fn lost_fields(original: &Value, reencoded: &Value) -> Vec<String> {
    let mut out = Vec::new();
    compare(original, Some(reencoded), &mut String::new(), &mut out);
    out
}

fn compare(a: &Value, b: Option<&Value>, path: &mut String, out: &mut Vec<String>) {
    let here = |path: &str| {
        if path.is_empty() {
            "/".to_string()
        } else {
            path.to_string()
        }
    };
    match (a, b) {
        (Value::Null, None) | (Value::Null, Some(Value::Null)) => {}
        (_, None) => out.push(format!("{} (missing)", here(path))),
        (Value::Object(am), Some(Value::Object(bm))) => {
            for (k, av) in am {
                let len = path.len();
                path.push('/');
                path.push_str(k);
                compare(av, bm.get(k), path, out);
                path.truncate(len);
            }
        }
        (Value::Array(aa), Some(Value::Array(ba))) => {
            if aa.len() != ba.len() {
                out.push(format!(
                    "{} (length {} became {})",
                    here(path),
                    aa.len(),
                    ba.len()
                ));
                return;
            }
            for (i, (av, bv)) in aa.iter().zip(ba).enumerate() {
                let len = path.len();
                path.push_str(&format!("/{i}"));
                compare(av, Some(bv), path, out);
                path.truncate(len);
            }
        }
        (Value::Number(x), Some(Value::Number(y))) => {
            if x.as_f64() != y.as_f64() {
                out.push(format!("{} ({x} became {y})", here(path)));
            }
        }
        (x, Some(y)) => {
            if x != y {
                out.push(format!("{} ({x} became {y})", here(path)));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::lost_fields;
    use serde_json::json;

    #[test]
    fn lost_fields_sees_missing_changed_and_shortened() {
        let a = json!({"a": 1, "b": null, "c": [1, 2], "d": {"e": "x"}, "f": 2500});
        let b = json!({"a": 1, "c": [1], "d": {"e": "y"}, "f": 2500.0});
        assert_eq!(
            lost_fields(&a, &b),
            vec![
                "/c (length 2 became 1)".to_string(),
                "/d/e (\"x\" became \"y\")".to_string()
            ]
        );
        assert_eq!(
            lost_fields(&json!({"z": true}), &json!({})),
            vec!["/z (missing)".to_string()]
        );
        assert!(lost_fields(&a, &a).is_empty());
    }
}
