//! `cargo xtask test`: set-up, then every test in stages. It stops at the first failing stage
//! and ends with one summary line per stage.

use std::path::{Path, PathBuf};
use std::time::Instant;

use crate::process::Cmd;
use crate::setup::{self, Needs, Tools, WASM_TARGET};
use crate::{dist, Result};

enum Outcome {
    Passed(String),
    Skipped(String),
    Failed(String),
}

struct Stage {
    name: &'static str,
    outcome: Outcome,
    seconds: f64,
}

pub fn run(root: &Path, args: &[String]) -> Result<()> {
    if let Some(unknown) = args.first() {
        return Err(format!(
            "`cargo xtask test` takes no arguments (got `{unknown}`)"
        ));
    }
    let mut stages: Vec<Stage> = Vec::new();
    let mut tools: Option<Tools> = None;

    type StageFn<'a> = Box<dyn FnMut(&Tools) -> Result<Outcome> + 'a>;
    let plan: Vec<(&'static str, StageFn)> = vec![
        ("native tests", Box::new(|_| native(root))),
        ("wasm32 browser tests", Box::new(|t| wasm_browser(root, t))),
        ("page build", Box::new(|t| page(root, t))),
        ("end-to-end", Box::new(|t| end_to_end(root, t))),
    ];

    let started = Instant::now();
    match setup::ensure(root, Needs::Test) {
        Ok(t) => {
            tools = Some(t);
            stages.push(Stage {
                name: "set-up",
                outcome: Outcome::Passed(String::new()),
                seconds: secs(started),
            });
        }
        Err(e) => stages.push(Stage {
            name: "set-up",
            outcome: Outcome::Failed(e),
            seconds: secs(started),
        }),
    }

    let mut failed = tools.is_none();
    for (name, mut stage) in plan {
        if failed {
            stages.push(Stage {
                name,
                outcome: Outcome::Skipped("not run: an earlier stage failed".into()),
                seconds: 0.0,
            });
            continue;
        }
        println!("\n== {name}");
        let started = Instant::now();
        let outcome = stage(tools.as_ref().expect("set-up passed")).unwrap_or_else(Outcome::Failed);
        failed = matches!(outcome, Outcome::Failed(_));
        stages.push(Stage {
            name,
            outcome,
            seconds: secs(started),
        });
    }

    println!("\n== summary");
    for s in &stages {
        let (word, note) = match &s.outcome {
            Outcome::Passed(note) => ("passed", note.as_str()),
            Outcome::Skipped(note) => ("skipped", note.as_str()),
            // The first line says which command failed; the whole message follows the summary.
            Outcome::Failed(why) => ("FAILED", why.lines().next().unwrap_or("")),
        };
        let note = if note.is_empty() {
            String::new()
        } else {
            format!(" ({note})")
        };
        println!("{:<22} {word:<8} {:>6.1}s{note}", s.name, s.seconds);
    }
    match stages
        .iter()
        .find(|s| matches!(s.outcome, Outcome::Failed(_)))
    {
        Some(Stage {
            name,
            outcome: Outcome::Failed(why),
            ..
        }) => Err(format!("stage `{name}` failed: {why}")),
        _ => {
            println!("all stages passed");
            Ok(())
        }
    }
}

fn secs(since: Instant) -> f64 {
    since.elapsed().as_secs_f64()
}

/// The end-to-end package: it needs the built page, so it runs in its own stage.
const E2E_PACKAGE: &str = "pgtls-e2e";

/// Every crate's native tests; cargo's own output, ending with its "test result" lines. All
/// test binaries run even after one fails, so one run shows every failure.
fn native(root: &Path) -> Result<Outcome> {
    let mut cmd = Cmd::new("cargo").args(["test", "--workspace", "--no-fail-fast"]);
    if has_package(root, E2E_PACKAGE)? {
        cmd = cmd.args(["--exclude", E2E_PACKAGE]);
    }
    cmd.dir(root).run()?;
    // The workspace build turns the engine's `curves` feature on (the CLI wants it); the page
    // builds the engine without it, where the host answers curve operations. Its own tests:
    Cmd::new("cargo")
        .args(["test", "-p", "pgtls-audit", "--no-default-features", "--lib", "cert::curves"])
        .dir(root)
        .run()?;
    Ok(Outcome::Passed(String::new()))
}

fn has_package(root: &Path, name: &str) -> Result<bool> {
    let metadata = Cmd::new("cargo")
        .args([
            "metadata",
            "--no-deps",
            "--offline",
            "--format-version",
            "1",
        ])
        .dir(root)
        .read()?;
    Ok(metadata.contains(&format!("\"name\":\"{name}\"")))
}

/// The wasm-bindgen tests, in headless Chromium through chromedriver.
fn wasm_browser(root: &Path, tools: &Tools) -> Result<Outcome> {
    let suites = wasm_test_targets(root)?;
    if suites.is_empty() {
        return Ok(Outcome::Skipped(
            "no wasm-bindgen tests in the workspace".into(),
        ));
    }
    let mut ran = Vec::new();
    for (package, targets) in &suites {
        Cmd::new("cargo")
            .args(["test", "--target", WASM_TARGET, "-p", package])
            .args(targets)
            .env(
                "CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER",
                "wasm-bindgen-test-runner",
            )
            .env("CHROMEDRIVER", &tools.chromedriver)
            .env("WASM_BINDGEN_TEST_WEBDRIVER_JSON", &tools.webdriver_json)
            .env("WASM_BINDGEN_TEST_TIMEOUT", "120")
            .dir(root)
            .run()?;
        ran.push(format!("{package} {}", targets.join(" ")));
    }
    Ok(Outcome::Passed(ran.join("; ")))
}

/// What marks a wasm-bindgen test; spelt in two pieces so that this file does not match.
const WASM_TEST_ATTRIBUTE: &str = concat!("#[", "wasm_bindgen_test");

/// Per workspace member holding wasm-bindgen tests: the cargo target flags that select them.
/// Only those targets are built for wasm32, since the native integration tests use the file
/// system and processes.
fn wasm_test_targets(root: &Path) -> Result<Vec<(String, Vec<String>)>> {
    let mut suites = Vec::new();
    for member in workspace_members(root)? {
        let dir = root.join(&member);
        let Some(package) = package_name(&dir) else {
            continue;
        };
        let mut targets = Vec::new();
        if tree_mentions(&dir.join("src"), WASM_TEST_ATTRIBUTE) {
            if dir.join("src/lib.rs").exists() {
                targets.push("--lib".to_string());
            }
            if dir.join("src/main.rs").exists() || dir.join("src/bin").exists() {
                targets.push("--bins".to_string());
            }
        }
        let mut tests: Vec<String> = rs_files(&dir.join("tests"))
            .into_iter()
            .filter(|f| file_mentions(f, WASM_TEST_ATTRIBUTE))
            .filter_map(|f| f.file_stem().map(|s| s.to_string_lossy().into_owned()))
            .collect();
        tests.sort();
        for t in tests {
            targets.push("--test".into());
            targets.push(t);
        }
        if !targets.is_empty() {
            suites.push((package, targets));
        }
    }
    Ok(suites)
}

/// The `members` of the root Cargo.toml (paths; no globs are used in this workspace).
fn workspace_members(root: &Path) -> Result<Vec<String>> {
    let manifest = std::fs::read_to_string(root.join("Cargo.toml"))
        .map_err(|e| format!("cannot read Cargo.toml: {e}"))?;
    let start = manifest
        .find("members = [")
        .ok_or("Cargo.toml has no workspace members list")?;
    let list = &manifest[start + "members = [".len()..];
    let list = &list[..list
        .find(']')
        .ok_or("unterminated workspace members list")?];
    Ok(list
        .split(',')
        .map(|m| m.trim().trim_matches('"').to_string())
        .filter(|m| !m.is_empty() && !m.starts_with('#'))
        .collect())
}

fn package_name(dir: &Path) -> Option<String> {
    let manifest = std::fs::read_to_string(dir.join("Cargo.toml")).ok()?;
    let package = &manifest[manifest.find("[package]")?..];
    package.lines().find_map(|l| {
        l.trim()
            .strip_prefix("name = \"")
            .and_then(|r| r.strip_suffix('"'))
            .map(str::to_string)
    })
}

/// The .rs files directly in `dir` (integration test targets; subdirectories are modules or
/// other packages).
fn rs_files(dir: &Path) -> Vec<PathBuf> {
    std::fs::read_dir(dir)
        .map(|entries| {
            entries
                .flatten()
                .map(|e| e.path())
                .filter(|p| p.is_file() && p.extension().is_some_and(|x| x == "rs"))
                .collect()
        })
        .unwrap_or_default()
}

fn file_mentions(path: &Path, needle: &str) -> bool {
    std::fs::read_to_string(path).is_ok_and(|text| text.contains(needle))
}

fn tree_mentions(dir: &Path, needle: &str) -> bool {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return false;
    };
    entries.flatten().any(|e| {
        let path = e.path();
        if path.is_dir() {
            tree_mentions(&path, needle)
        } else {
            path.extension().is_some_and(|x| x == "rs") && file_mentions(&path, needle)
        }
    })
}

/// trunk's release build into dist/ and the single-file page. That the single file renders
/// from disk with the network cut is an end-to-end scenario: it waits for the page in real
/// time, where a one-shot `--dump-dom` can only guess how long a busy machine needs to compile
/// the wasm.
fn page(root: &Path, _tools: &Tools) -> Result<Outcome> {
    let built = dist::build(root)?;
    Ok(Outcome::Passed(format!(
        "transfer {} gzip; {} built",
        dist::kib(built.transfer_gzip),
        built
            .single_file
            .file_name()
            .unwrap_or_default()
            .to_string_lossy()
    )))
}

/// The page's end-to-end crate drives the built dist/ through chromedriver.
fn end_to_end(root: &Path, tools: &Tools) -> Result<Outcome> {
    const PACKAGE: &str = E2E_PACKAGE;
    if !has_package(root, PACKAGE)? {
        return Ok(Outcome::Skipped(format!(
            "no {PACKAGE} package in the workspace yet"
        )));
    }
    let dist = root.join("dist");
    let axe = tools
        .axe
        .as_ref()
        .ok_or("set-up installed no axe-core for the accessibility audit")?;
    // One scenario opens the link `pgtls link` writes and compares the page with `pgtls audit`.
    Cmd::new("cargo")
        .args(["build", "-p", "pgtls-cli", "--bin", "pgtls"])
        .dir(root)
        .run()?;
    Cmd::new("cargo")
        .args(["test", "-p", PACKAGE])
        .env("PGTLS_E2E_CLI", crate::target_dir(root).join("debug").join("pgtls"))
        .env("PGTLS_E2E_DIST", &dist)
        .env("PGTLS_E2E_AXE", axe)
        .env("PGTLS_E2E_SINGLE_FILE", dist.join(dist::SINGLE_FILE))
        .env("CHROMEDRIVER", &tools.chromedriver)
        .env("CHROMIUM", &tools.chromium)
        .dir(root)
        .run()?;
    Ok(Outcome::Passed(String::new()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_the_workspace_members() {
        let members = workspace_members(&crate::repo_root()).unwrap();
        assert!(members.contains(&".".to_string()));
        assert!(members.contains(&"crates/pgtls-audit".to_string()));
        assert!(members.contains(&"xtask".to_string()));
    }

    #[test]
    fn reads_package_names() {
        let root = crate::repo_root();
        assert_eq!(package_name(&root).as_deref(), Some("pgtls-web"));
        assert_eq!(
            package_name(&root.join("crates/pgtls-audit")).as_deref(),
            Some("pgtls-audit")
        );
    }
}
