//! Generates, from `spec/copper.json`, a table from each operation id to the
//! generated request and response types, and from each component schema
//! name to its type, so the fixture tests decode every doc example with the
//! type the spec assigns it — and a new operation is covered automatically.

use std::fmt::Write;
use std::path::PathBuf;

use serde_json::Value;

fn schema_name(doc: &Value, holder: Option<&Value>) -> Option<String> {
    let mut v = holder?;
    // Follow a `$ref` to a reusable response / request body.
    while let Some(r) = v.get("$ref").and_then(Value::as_str) {
        if r.starts_with("#/components/schemas/") {
            break;
        }
        v = doc.pointer(r.strip_prefix('#')?)?;
    }
    let schema = if v.get("$ref").is_some() {
        v
    } else {
        v.get("content")?.get("application/json")?.get("schema")?
    };
    let r = schema.get("$ref")?.as_str()?;
    Some(r.strip_prefix("#/components/schemas/")?.to_string())
}

fn rust_name(name: &str) -> String {
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

fn main() {
    let root = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").unwrap()).join("..");
    let spec_path = root.join("spec/copper.json");
    println!("cargo:rerun-if-changed={}", spec_path.display());
    let doc: Value = serde_json::from_str(&std::fs::read_to_string(&spec_path).unwrap())
        .expect("spec/copper.json is JSON (run `cargo xtask codegen`)");

    let mut ops = String::new();
    for (path, item) in doc["paths"].as_object().unwrap() {
        for (method, op) in item.as_object().unwrap() {
            let Some(id) = op.get("operationId").and_then(Value::as_str) else {
                continue;
            };
            let request = schema_name(&doc, op.get("requestBody"));
            let response = schema_name(&doc, op.pointer("/responses/200"));
            // For an array response, the named schema of one element.
            let response_item = response.as_ref().and_then(|name| {
                let items = doc.pointer(&format!("/components/schemas/{name}/items/$ref"))?;
                Some(
                    items
                        .as_str()?
                        .strip_prefix("#/components/schemas/")?
                        .to_string(),
                )
            });
            let error = schema_name(&doc, op.pointer("/responses/4XX"));
            let f = |n: &Option<String>| match n {
                Some(n) => format!("Some(roundtrip::<types::{}>)", rust_name(n)),
                None => "None".to_string(),
            };
            writeln!(
                ops,
                "    Operation {{ id: {id:?}, method: {m:?}, path: {path:?}, request: {}, response: {}, response_item: {}, error: {} }},",
                f(&request),
                f(&response),
                f(&response_item),
                f(&error),
                m = method.to_uppercase(),
            )
            .unwrap();
        }
    }
    let mut schemas = String::new();
    for name in doc["components"]["schemas"].as_object().unwrap().keys() {
        writeln!(
            schemas,
            "    ({name:?}, roundtrip::<types::{}>),",
            rust_name(name)
        )
        .unwrap();
    }
    let out = format!(
        "/// Every operation of the spec with its body types.\npub static OPERATIONS: &[Operation] = &[\n{ops}];\n\n\
         /// Every component schema with its generated type.\npub static SCHEMAS: &[(&str, Roundtrip)] = &[\n{schemas}];\n"
    );
    let dest = PathBuf::from(std::env::var("OUT_DIR").unwrap()).join("operations.rs");
    std::fs::write(dest, out).unwrap();
}
