//! Rendering the spec to one static HTML reference page with Redocly CLI.
//!
//! `cargo xtask docs` runs `npx --yes @redocly/cli@<REDOCLY_CLI_VERSION> build-docs` on
//! `spec/copper.yaml` and writes [`OUTPUT_PATH`]. The Redoc scripts are inlined, so the page opens from
//! disk without a network connection.
//!
//! ```no_run
//! use std::path::Path;
//!
//! match xtask::docs::build(Path::new(".")) {
//!     Ok(page) => println!("open {}", page.display()),
//!     // e.g. "`npx` was not found on PATH; install Node.js 20.19 or newer …"
//!     Err(e) => eprintln!("error: {e}"),
//! }
//! ```

use std::ffi::OsStr;
use std::fmt;
use std::io;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitStatus};

use crate::codegen::SPEC_PATH;

/// The Redocly CLI release used for the HTML reference; the same version is pinned in
/// `tests/typescript/package.json`, which CI installs to lint the spec.
pub const REDOCLY_CLI_VERSION: &str = "2.77.0";

/// Where the page is written, relative to the workspace root (git-ignored, like all of `target/`).
pub const OUTPUT_PATH: &str = "target/spec-docs/index.html";

/// Why the HTML reference could not be built.
#[derive(Debug)]
pub enum DocsError {
    /// `npx` is not on `PATH`.
    NpxMissing,
    /// `npx` exists but could not be started.
    Spawn(io::Error),
    /// The page of an earlier run could not be removed.
    StaleOutput(PathBuf, io::Error),
    /// Redocly CLI ran and failed; its own messages went to the terminal.
    Failed(ExitStatus),
    /// Redocly CLI reported success but the page is not there.
    NoOutput(PathBuf),
}

impl fmt::Display for DocsError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DocsError::NpxMissing => write!(
                f,
                "`npx` was not found on PATH; install Node.js 20.19 or newer (it ships npm and npx) \
                 to build the HTML reference with @redocly/cli@{REDOCLY_CLI_VERSION}"
            ),
            DocsError::Spawn(e) => write!(f, "cannot run `npx`: {e}"),
            DocsError::StaleOutput(path, e) => {
                write!(f, "cannot remove the previous {}: {e}", path.display())
            }
            DocsError::Failed(status) => write!(
                f,
                "`npx @redocly/cli@{REDOCLY_CLI_VERSION} build-docs` failed ({status}); its messages are above"
            ),
            DocsError::NoOutput(path) => write!(
                f,
                "@redocly/cli@{REDOCLY_CLI_VERSION} build-docs succeeded but wrote no {}",
                path.display()
            ),
        }
    }
}

impl std::error::Error for DocsError {}

/// The arguments given to `npx`: the pinned package and its `build-docs` command line.
pub fn npx_args() -> Vec<String> {
    vec![
        "--yes".to_string(),
        format!("@redocly/cli@{REDOCLY_CLI_VERSION}"),
        "build-docs".to_string(),
        SPEC_PATH.to_string(),
        "--output".to_string(),
        OUTPUT_PATH.to_string(),
        "--inlineBundle".to_string(),
    ]
}

/// Build the page under `root` (the workspace root) with the given `npx` program and return its
/// absolute path.
///
/// `npx` is a parameter so that a missing Node.js installation can be tested.
pub fn build_with(npx: &OsStr, root: &Path) -> Result<PathBuf, DocsError> {
    let output = root.join(OUTPUT_PATH);
    // A stale page from an earlier run must not pass for a new one.
    match std::fs::remove_file(&output) {
        Ok(()) => {}
        Err(e) if e.kind() == io::ErrorKind::NotFound => {}
        Err(e) => return Err(DocsError::StaleOutput(output, e)),
    }
    let status = Command::new(npx)
        .args(npx_args())
        .current_dir(root)
        .env("REDOCLY_TELEMETRY", "off")
        .env("REDOCLY_SUPPRESS_UPDATE_NOTICE", "true")
        .status()
        .map_err(|e| match e.kind() {
            io::ErrorKind::NotFound => DocsError::NpxMissing,
            _ => DocsError::Spawn(e),
        })?;
    if !status.success() {
        return Err(DocsError::Failed(status));
    }
    if !output.is_file() {
        return Err(DocsError::NoOutput(output));
    }
    Ok(output.canonicalize().unwrap_or(output))
}

/// Build the page with the `npx` found on `PATH`.
pub fn build(root: &Path) -> Result<PathBuf, DocsError> {
    build_with(OsStr::new("npx"), root)
}
