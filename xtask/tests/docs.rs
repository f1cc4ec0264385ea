//! `cargo xtask docs`: the Redocly CLI version it runs is the one CI installs,
//! and a missing or failing `npx` is a clear error that leaves no stale page.

use std::ffi::OsStr;
use std::path::{Path, PathBuf};

use serde_json::Value;
use xtask::docs::{self, DocsError};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap()
        .to_path_buf()
}

fn json(path: &str) -> Value {
    let text = std::fs::read_to_string(root().join(path)).unwrap();
    serde_json::from_str(&text).unwrap()
}

/// An empty workspace root of its own for one test.
fn scratch_root(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("xtask-docs-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

#[test]
fn the_pinned_redocly_cli_is_the_one_ci_installs() {
    let package = json("tests/typescript/package.json");
    assert_eq!(
        package["devDependencies"]["@redocly/cli"],
        docs::REDOCLY_CLI_VERSION,
        "tests/typescript/package.json and xtask/src/docs.rs must pin the same @redocly/cli"
    );
    let lock = json("tests/typescript/package-lock.json");
    assert_eq!(
        lock["packages"]["node_modules/@redocly/cli"]["version"],
        docs::REDOCLY_CLI_VERSION,
        "tests/typescript/package-lock.json is stale: run `npm install` in tests/typescript"
    );
    let args = docs::npx_args();
    assert!(
        args.contains(&format!("@redocly/cli@{}", docs::REDOCLY_CLI_VERSION)),
        "{args:?}"
    );
}

#[test]
fn the_page_is_self_contained_and_git_ignored() {
    let args = docs::npx_args();
    assert!(
        args.iter().any(|a| a == "--inlineBundle"),
        "without --inlineBundle the page loads Redoc from a CDN: {args:?}"
    );
    let top = docs::OUTPUT_PATH.split('/').next().unwrap();
    let gitignore = std::fs::read_to_string(root().join(".gitignore")).unwrap();
    assert!(
        gitignore.lines().any(|l| l.trim_matches('/') == top),
        "{} is not under a git-ignored directory:\n{gitignore}",
        docs::OUTPUT_PATH
    );
}

#[test]
fn a_missing_npx_is_a_clear_error_and_removes_a_stale_page() {
    let root = scratch_root("missing");
    let stale = root.join(docs::OUTPUT_PATH);
    std::fs::create_dir_all(stale.parent().unwrap()).unwrap();
    std::fs::write(&stale, "<html>an old reference</html>").unwrap();

    let err = docs::build_with(OsStr::new("copper-crm-test-no-such-npx"), &root).unwrap_err();
    assert!(matches!(err, DocsError::NpxMissing), "{err:?}");
    let message = err.to_string();
    assert!(
        message.contains("`npx` was not found") && message.contains("Node.js"),
        "{message}"
    );
    assert!(
        !stale.exists(),
        "a page from an earlier run must not survive a failed build"
    );
    std::fs::remove_dir_all(&root).unwrap();
}

#[test]
fn a_failing_redocly_run_is_reported_with_its_status() {
    let root = scratch_root("failing");
    // `false` stands in for an npx whose build-docs fails.
    let err = docs::build_with(OsStr::new("false"), &root).unwrap_err();
    assert!(matches!(err, DocsError::Failed(_)), "{err:?}");
    assert!(err.to_string().contains("build-docs` failed"), "{err}");
    std::fs::remove_dir_all(&root).unwrap();
}

#[test]
fn a_run_that_writes_no_page_is_an_error() {
    let root = scratch_root("silent");
    // `true` stands in for an npx that succeeds without writing the page.
    let err = docs::build_with(OsStr::new("true"), &root).unwrap_err();
    match err {
        DocsError::NoOutput(path) => assert!(path.ends_with(docs::OUTPUT_PATH), "{path:?}"),
        other => panic!("expected NoOutput, got {other:?}"),
    }
    std::fs::remove_dir_all(&root).unwrap();
}
