//! `cargo xtask codegen --check` compares the committed outputs with what the
//! spec generates; a one-character edit to the spec must be caught.

use std::path::{Path, PathBuf};

use xtask::{codegen, spec};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap()
        .to_path_buf()
}

fn spec_text() -> String {
    std::fs::read_to_string(root().join(codegen::SPEC_PATH)).unwrap()
}

fn stale_after(text: &str) -> Vec<String> {
    let loaded = spec::parse(Path::new(codegen::SPEC_PATH), text).expect("the spec loads");
    let outputs = codegen::outputs(&loaded).expect("the spec generates");
    codegen::stale(&root(), &outputs)
}

#[test]
fn committed_outputs_match_the_spec() {
    let diffs = stale_after(&spec_text());
    assert!(
        diffs.is_empty(),
        "run `cargo xtask codegen`:\n{}",
        diffs.join("\n")
    );
}

#[test]
fn a_one_character_edit_to_a_description_is_caught() {
    let text = spec_text();
    let needle = "summary: Fetch a Person by ID";
    assert!(text.contains(needle));
    let edited = text.replacen(needle, "summary: Fetch a Person by IE", 1);
    assert_eq!(edited.len(), text.len());
    let diffs = stale_after(&edited);
    assert_eq!(diffs.len(), 2, "both generated.rs and copper.json change");
    assert!(
        diffs
            .iter()
            .any(|d| d.contains("+") && d.contains("Fetch a Person by IE")),
        "{diffs:?}"
    );
}

#[test]
fn a_one_character_edit_to_a_type_is_caught() {
    let text = spec_text();
    // The first `format: int64` in the file; int32 changes a generated Rust type.
    let edited = text.replacen("format: int64", "format: int32", 1);
    assert_ne!(edited, text);
    let diffs = stale_after(&edited);
    let rust = diffs
        .iter()
        .find(|d| d.starts_with("crates/copper-crm-raw/src/generated.rs"));
    let rust = rust.expect("generated.rs changes");
    assert!(rust.contains("+") && rust.contains("i32"), "{rust}");
}
