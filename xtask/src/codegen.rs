//! Turning a checked spec into formatted Rust with progenitor.

use std::panic::{self, AssertUnwindSafe};
use std::sync::Mutex;

use progenitor::{GenerationSettings, Generator, HooksMode, InterfaceStyle, TagStyle};
use serde_json::Value;

use crate::spec::{self, LoadedSpec, SpecError};

/// The spec path as written in the generated file's header line.
pub const SPEC_PATH: &str = "spec/copper.yaml";

fn settings() -> GenerationSettings {
    let mut settings = GenerationSettings::new();
    settings
        .with_interface(InterfaceStyle::Builder)
        .with_tag(TagStyle::Separate)
        .with_hooks(HooksMode::Expected)
        .with_inner_type("crate::Hooks".parse().expect("a valid Rust path"))
        .with_derive("PartialEq");
    settings
}

static PANIC_MESSAGE: Mutex<Option<String>> = Mutex::new(None);

/// Run `f`, turning a panic into its message instead of a backtrace on stderr.
fn quietly<T>(f: impl FnOnce() -> T) -> Result<T, String> {
    let previous = panic::take_hook();
    panic::set_hook(Box::new(|info| {
        let payload = info.payload();
        let msg = payload
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| payload.downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "unknown panic".to_string());
        let at = info
            .location()
            .map(|l| format!(" (in {}:{})", l.file(), l.line()))
            .unwrap_or_default();
        *PANIC_MESSAGE.lock().unwrap_or_else(|e| e.into_inner()) = Some(format!("{msg}{at}"));
    }));
    let result = panic::catch_unwind(AssertUnwindSafe(f));
    panic::set_hook(previous);
    result.map_err(|_| {
        PANIC_MESSAGE
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .take()
            .unwrap_or_else(|| "unknown panic".to_string())
    })
}

/// Either progenitor's own error or a caught panic.
enum Failure {
    Error(String),
    Panic(String),
}

impl Failure {
    fn describe(&self) -> String {
        match self {
            Failure::Error(e) => format!("progenitor cannot generate this: {}", first_line(e)),
            Failure::Panic(p) => format!("progenitor panicked generating this: {}", first_line(p)),
        }
    }
}

/// progenitor sometimes appends a `Debug` dump of the offending object; keep
/// the sentence that says what is wrong.
fn first_line(s: &str) -> String {
    let line = s.lines().next().unwrap_or_default();
    let line = line.split(" Cookie {").next().unwrap_or(line).trim_end();
    if line.chars().count() > 300 {
        let cut: String = line.chars().take(300).collect();
        format!("{cut}…")
    } else {
        line.to_string()
    }
}

fn try_generate(openapi: &openapiv3::OpenAPI) -> Result<proc_macro2::TokenStream, Failure> {
    match quietly(|| Generator::new(&settings()).generate_tokens(openapi)) {
        Ok(Ok(tokens)) => Ok(tokens),
        Ok(Err(e)) => Err(Failure::Error(e.to_string())),
        Err(p) => Err(Failure::Panic(p)),
    }
}

/// Find the first operation that progenitor cannot generate on its own, by
/// generating each operation in a copy of the document that holds only it.
fn localize(spec: &LoadedSpec) -> Option<(String, Failure)> {
    let paths = spec.json.get("paths")?.as_object()?;
    for (path, item) in paths {
        for method in spec::METHODS {
            let Some(op) = item.get(method) else { continue };
            let mut single = spec.json.clone();
            let mut only = serde_json::Map::new();
            let mut item_copy = serde_json::Map::new();
            if let Some(params) = item.get("parameters") {
                item_copy.insert("parameters".into(), params.clone());
            }
            item_copy.insert(method.into(), op.clone());
            only.insert(path.clone(), Value::Object(item_copy));
            single["paths"] = Value::Object(only);
            let Ok(openapi) = serde_json::from_value::<openapiv3::OpenAPI>(single) else {
                continue;
            };
            if let Err(f) = try_generate(&openapi) {
                return Some((spec::pointer(["paths", path, method]), f));
            }
        }
    }
    None
}

/// Generate the raw crate's `generated.rs` from a checked spec.
pub fn generate(spec: &LoadedSpec) -> Result<String, SpecError> {
    let tokens = match try_generate(&spec.openapi) {
        Ok(tokens) => tokens,
        Err(whole) => {
            return Err(match localize(spec) {
                Some((ptr, f)) => spec.error_at(ptr, f.describe()),
                // Nothing fails alone: the problem is in shared components.
                None => spec.error_at("/components/schemas", whole.describe()),
            });
        }
    };
    let file: syn::File = syn::parse2(tokens).map_err(|e| {
        spec.error_at(
            "",
            format!("progenitor produced code that does not parse: {e}"),
        )
    })?;
    let body = prettyplease::unparse(&file);
    Ok(format!(
        "// This file is generated by `cargo xtask codegen` from {SPEC_PATH}. Do not edit it by hand:\n\
         // change the spec and regenerate.\n\n{body}"
    ))
}

/// One generated file: its path relative to the workspace root and contents.
pub struct Output {
    /// Path relative to the workspace root.
    pub path: &'static str,
    /// What the file must contain.
    pub content: String,
}

/// Everything `cargo xtask codegen` writes, generated from `spec`.
pub fn outputs(spec: &LoadedSpec) -> Result<Vec<Output>, SpecError> {
    Ok(vec![
        Output {
            path: "crates/copper-crm-raw/src/generated.rs",
            content: generate(spec)?,
        },
        Output {
            path: "spec/copper.json",
            content: spec_json(spec),
        },
    ])
}

/// A unified diff for every output that differs from the file under `root`.
pub fn stale(root: &std::path::Path, outputs: &[Output]) -> Vec<String> {
    outputs
        .iter()
        .filter_map(|o| {
            let have = std::fs::read_to_string(root.join(o.path)).unwrap_or_default();
            if have == o.content {
                return None;
            }
            let diff = similar::TextDiff::from_lines(have.as_str(), o.content.as_str());
            Some(format!(
                "{} is out of date with the spec:\n{}",
                o.path,
                diff.unified_diff().context_radius(3).header(
                    &format!("a/{} (committed)", o.path),
                    &format!("b/{} (generated)", o.path)
                )
            ))
        })
        .collect()
}

/// The spec rendered as pretty JSON, for tools that want JSON.
pub fn spec_json(spec: &LoadedSpec) -> String {
    // From the YAML value, so keys keep the order they are written in.
    let mut s = serde_json::to_string_pretty(&spec.yaml)
        .expect("a checked spec has only string and number keys, so it serializes");
    s.push('\n');
    s
}
