//! Project tasks, run as `cargo xtask <command>` (the alias lives in .cargo/config.toml).
//!
//! Every command first installs what it needs and is missing on a Debian machine (see
//! [`setup`]), printing each install, so that a fresh clone works with one command.

mod bench;
mod dist;
mod process;
mod serve;
mod setup;
mod test;

use std::path::{Path, PathBuf};
use std::process::ExitCode;

const USAGE: &str = "\
usage: cargo xtask <command>

commands:
  test     install what is missing, then run every test: native, wasm32 in headless
           Chromium, the page build (dist/ and the single-file page), end-to-end
  serve    install what is missing, then serve the page on http://127.0.0.1:8080 with the
           relay on 127.0.0.1:8787 (Ctrl-C stops both); --release for an optimised page
  dist     build dist/ for static hosting and dist/pgtls.html, one self-contained file
  docs     regenerate docs/rules.md from the rules' own documentation
  bench    run the audit benchmark and write docs/performance.md
  setup    only install what is missing (--browser adds Chromium, PostgreSQL, axe-core)
";

/// An error that ends the command: already explained to the user in its message.
pub type Result<T> = std::result::Result<T, String>;

/// The repository root: xtask/ sits directly under it.
pub fn repo_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("xtask/ has a parent directory")
        .to_path_buf()
}

/// Where cargo puts what it builds: `CARGO_TARGET_DIR` when set, else target/ in the repository.
pub fn target_dir(root: &Path) -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| root.join("target"))
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let Some(command) = args.first() else {
        eprint!("{USAGE}");
        return ExitCode::from(2);
    };
    let rest = &args[1..];
    let root = repo_root();
    let outcome = match command.as_str() {
        "test" => test::run(&root, rest),
        "serve" => serve::run(&root, rest),
        "dist" => dist::run(&root, rest),
        "docs" => docs(&root),
        "bench" => bench::run(&root, rest),
        "setup" => {
            let needs = if rest.iter().any(|a| a == "--browser") {
                setup::Needs::Test
            } else {
                setup::Needs::Page
            };
            setup::ensure(&root, needs).map(|_| ())
        }
        "help" | "--help" | "-h" => {
            print!("{USAGE}");
            Ok(())
        }
        other => Err(format!("unknown command `{other}`\n\n{USAGE}")),
    };
    match outcome {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("\nxtask: error: {message}");
            ExitCode::FAILURE
        }
    }
}

/// docs/rules.md is generated from the rules' docs by a test that rewrites it when blessed.
fn docs(root: &std::path::Path) -> Result<()> {
    process::Cmd::new("cargo")
        .args(["test", "-p", "pgtls-audit", "docs_rules_md"])
        .env("PGTLS_BLESS", "1")
        .dir(root)
        .run()?;
    println!("docs/rules.md regenerated");
    Ok(())
}
