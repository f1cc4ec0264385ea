//! Project automation: `cargo xtask codegen [--check]` and `cargo xtask docs`.
//!
//! `codegen` reads `spec/copper.yaml`, checks it, generates the raw crate's
//! `generated.rs` with progenitor, formats it with prettyplease and writes it
//! together with `spec/copper.json`. `codegen --check` does the same in memory
//! and fails with a unified diff when a committed file differs.
//!
//! `docs` renders `spec/copper.yaml` to one static HTML page,
//! `target/spec-docs/index.html`, with Redocly CLI (run through `npx`).

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use xtask::{codegen, docs, spec};

const USAGE: &str =
    "usage: cargo xtask codegen [--check | --dry-run] [--spec <file>]\n       cargo xtask docs";

fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("xtask lives one level below the workspace root")
        .to_path_buf()
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let Some((cmd, rest)) = args.split_first() else {
        eprintln!("{USAGE}");
        return ExitCode::from(2);
    };
    match cmd.as_str() {
        "codegen" => run_codegen(rest),
        "docs" => run_docs(rest),
        other => {
            eprintln!("unknown command {other:?}\n{USAGE}");
            ExitCode::from(2)
        }
    }
}

fn run_codegen(args: &[String]) -> ExitCode {
    let root = workspace_root();
    let mut check = false;
    let mut dry_run = false;
    let mut spec_file = root.join(codegen::SPEC_PATH);
    let mut it = args.iter();
    while let Some(a) = it.next() {
        match a.as_str() {
            "--check" => check = true,
            "--dry-run" => dry_run = true,
            "--spec" => match it.next() {
                Some(f) => spec_file = PathBuf::from(f),
                None => {
                    eprintln!("--spec needs a file\n{USAGE}");
                    return ExitCode::from(2);
                }
            },
            other => {
                eprintln!("unknown argument {other:?}\n{USAGE}");
                return ExitCode::from(2);
            }
        }
    }

    let display_name = spec_file
        .strip_prefix(&root)
        .map(Path::to_path_buf)
        .unwrap_or_else(|_| spec_file.clone());
    let loaded = match spec::load(&spec_file) {
        Ok(s) => s,
        Err(errors) => {
            for e in errors {
                eprintln!("error: {}", with_name(&e, &display_name));
            }
            return ExitCode::FAILURE;
        }
    };
    let outputs = match codegen::outputs(&loaded) {
        Ok(o) => o,
        Err(e) => {
            eprintln!("error: {}", with_name(&e, &display_name));
            return ExitCode::FAILURE;
        }
    };

    if dry_run {
        println!("{} generates cleanly", display_name.display());
        return ExitCode::SUCCESS;
    }
    if check {
        let diffs = codegen::stale(&root, &outputs);
        if !diffs.is_empty() {
            for d in diffs {
                eprint!("{d}");
            }
            eprintln!("run `cargo xtask codegen` and commit the result");
            return ExitCode::FAILURE;
        }
        println!("generated files are up to date");
    } else {
        for o in &outputs {
            if let Err(e) = std::fs::write(root.join(o.path), &o.content) {
                eprintln!("error: cannot write {}: {e}", o.path);
                return ExitCode::FAILURE;
            }
            println!("wrote {}", o.path);
        }
    }
    ExitCode::SUCCESS
}

fn run_docs(args: &[String]) -> ExitCode {
    if let Some(a) = args.first() {
        eprintln!("unknown argument {a:?}\n{USAGE}");
        return ExitCode::from(2);
    }
    match docs::build(&workspace_root()) {
        Ok(page) => {
            println!("wrote {}", page.display());
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}

fn with_name(e: &spec::SpecError, name: &Path) -> String {
    spec::SpecError {
        file: name.to_path_buf(),
        ..e.clone()
    }
    .to_string()
}
