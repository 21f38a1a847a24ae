//! Installs what the commands need and is missing, on Debian: system packages through apt-get,
//! the wasm32 target through rustup, trunk and wasm-bindgen-cli through `cargo install`, and
//! wasm-opt from the npm package `binaryen` and the accessibility engine `axe-core` into
//! target/tools/. Each step prints what it installs and is skipped when the tool is already
//! there at the right version.
//!
//! The versions are pinned because trunk downloads wasm-bindgen and wasm-opt from GitHub
//! unless matching ones are on PATH, and CI reaches only crates.io, npm and Debian.

use std::path::{Path, PathBuf};

use crate::process::{prepend_path, version_line, which, Cmd};
use crate::Result;

/// trunk 0.22 needs a newer rustc than the project's toolchain floor; 0.21.14 builds on it.
pub const TRUNK_VERSION: &str = "0.21.14";
/// Debian's binaryen is too old for the wasm current Rust emits; npm has the release we need.
pub const BINARYEN_VERSION: u32 = 132;
pub const WASM_TARGET: &str = "wasm32-unknown-unknown";
/// The accessibility engine the end-to-end tests inject into the page; pinned so that a new
/// release's rules cannot fail a run that changed nothing.
pub const AXE_CORE_VERSION: &str = "4.14.1";

#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Needs {
    /// Building the page: the wasm32 target, trunk, wasm-bindgen, wasm-opt.
    Page,
    /// The page's tools plus headless Chromium and its driver.
    Browser,
    /// Running every test: the browser's tools plus PostgreSQL, openssl, python3 and libpq.
    Test,
}

/// Where the installed tools are, for the commands that start them.
pub struct Tools {
    pub chromium: PathBuf,
    pub chromedriver: PathBuf,
    /// Chromium's capabilities for wasm-bindgen-test-runner (WASM_BINDGEN_TEST_WEBDRIVER_JSON).
    pub webdriver_json: PathBuf,
    /// axe-core's axe.min.js, for the end-to-end accessibility audit; installed for tests only.
    pub axe: Option<PathBuf>,
}

pub fn ensure(root: &Path, needs: Needs) -> Result<Tools> {
    let purpose = match needs {
        Needs::Page => "page",
        Needs::Browser => "page and browser",
        Needs::Test => "tests",
    };
    println!("== set-up: checking tools ({purpose})");
    let dir = root.join("target").join("tools");
    std::fs::create_dir_all(&dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    let wasm_opt_dir = dir.join("binaryen").join("node_modules").join(".bin");
    prepend_path(&[wasm_opt_dir.clone(), cargo_bin_dir()]);

    let wasm_bindgen_version = check_pins(root)?;
    let axe_dir = dir.join("axe-core");
    let want_axe = needs == Needs::Test;
    apt_install(&system_packages(needs, &wasm_opt_dir, want_axe.then_some(axe_dir.as_path())))?;
    ensure_wasm_target()?;
    ensure_trunk()?;
    ensure_wasm_bindgen(&wasm_bindgen_version)?;
    ensure_wasm_opt(&dir)?;
    let axe = if want_axe { Some(ensure_axe(&axe_dir)?) } else { None };
    // Fetch every target's dependencies now, so the builds below can run offline and trunk
    // never reaches for the network.
    Cmd::new("cargo")
        .args(["fetch", "--quiet"])
        .dir(root)
        .run()?;
    let chromium = PathBuf::from("/usr/bin/chromium");
    let webdriver_json = write_webdriver_json(&dir, &chromium)?;
    println!("== set-up: done");
    Ok(Tools {
        chromium,
        chromedriver: PathBuf::from("/usr/bin/chromedriver"),
        webdriver_json,
        axe,
    })
}

/// Keeps headless Chromium off the network and quiet; used by the wasm test runner and the
/// single-file check.
pub const CHROMIUM_QUIET_FLAGS: &[&str] = &[
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-default-apps",
    "--disable-extensions",
    "--no-first-run",
];

/// Chromium's binary and flags for wasm-bindgen-test-runner, which adds headless and
/// no-sandbox itself.
fn write_webdriver_json(dir: &Path, chromium: &Path) -> Result<PathBuf> {
    let args = CHROMIUM_QUIET_FLAGS
        .iter()
        .map(|f| format!("\"{f}\""))
        .collect::<Vec<_>>()
        .join(", ");
    let json = format!(
        "{{\"goog:chromeOptions\": {{\"binary\": \"{}\", \"args\": [{args}]}}}}\n",
        chromium.display()
    );
    let path = dir.join("webdriver.json");
    std::fs::write(&path, json).map_err(|e| format!("cannot write {}: {e}", path.display()))?;
    Ok(path)
}

fn cargo_bin_dir() -> PathBuf {
    let home = std::env::var_os("CARGO_HOME")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            PathBuf::from(std::env::var_os("HOME").unwrap_or_default()).join(".cargo")
        });
    home.join("bin")
}

/// The wasm-bindgen version in Cargo.lock, after checking that Trunk.toml's `[tools]` pins
/// agree with it and with the binaryen release installed here.
pub fn check_pins(root: &Path) -> Result<String> {
    let lock = read(&root.join("Cargo.lock"))?;
    let locked = lock_version(&lock, "wasm-bindgen")
        .ok_or("Cargo.lock has no wasm-bindgen package: is the page's dependency missing?")?;
    let trunk_toml = read(&root.join("Trunk.toml"))?;
    let pinned_bindgen = toml_string(&trunk_toml, "tools", "wasm_bindgen");
    let pinned_opt = toml_string(&trunk_toml, "tools", "wasm_opt");
    let want_opt = format!("version_{BINARYEN_VERSION}");
    let mut problems = Vec::new();
    if pinned_bindgen.as_deref() != Some(locked.as_str()) {
        problems.push(format!(
            "Trunk.toml [tools] wasm_bindgen is {} but Cargo.lock has wasm-bindgen {locked}; \
             set `wasm_bindgen = \"{locked}\"` (the generated glue must match the library exactly)",
            pinned_bindgen.map_or("unset".to_string(), |v| format!("\"{v}\""))
        ));
    }
    if pinned_opt.as_deref() != Some(want_opt.as_str()) {
        problems.push(format!(
            "Trunk.toml [tools] wasm_opt is {} but xtask installs binaryen {BINARYEN_VERSION}; \
             set `wasm_opt = \"{want_opt}\"` (or change BINARYEN_VERSION in xtask/src/setup.rs)",
            pinned_opt.map_or("unset".to_string(), |v| format!("\"{v}\""))
        ));
    }
    if !problems.is_empty() {
        return Err(problems.join("\n"));
    }
    println!("ok: Trunk.toml pins wasm-bindgen {locked} (as Cargo.lock) and wasm-opt {want_opt}");
    Ok(locked)
}

fn read(path: &Path) -> Result<String> {
    std::fs::read_to_string(path).map_err(|e| format!("cannot read {}: {e}", path.display()))
}

/// The version of `name` in a Cargo.lock (the first, if several are locked).
pub fn lock_version(lock: &str, name: &str) -> Option<String> {
    let wanted = format!("name = \"{name}\"");
    let mut lines = lock.lines();
    while let Some(line) = lines.next() {
        if line.trim() == wanted {
            let version = lines
                .next()?
                .trim()
                .strip_prefix("version = \"")?
                .strip_suffix('"')?;
            return Some(version.to_string());
        }
    }
    None
}

/// A `key = "value"` string in a TOML `[table]`: enough for Trunk.toml, whose shape we own.
fn toml_string(text: &str, table: &str, key: &str) -> Option<String> {
    let header = format!("[{table}]");
    let mut in_table = false;
    for line in text.lines() {
        let line = line.split('#').next().unwrap_or("").trim();
        if line.starts_with('[') {
            in_table = line == header;
            continue;
        }
        if !in_table {
            continue;
        }
        if let Some((k, v)) = line.split_once('=') {
            if k.trim() == key {
                return Some(v.trim().trim_matches('"').to_string());
            }
        }
    }
    None
}

/// A Debian package and how to tell it is already there.
struct Package {
    name: &'static str,
    present: bool,
}

fn system_packages(needs: Needs, wasm_opt_dir: &Path, axe_dir: Option<&Path>) -> Vec<Package> {
    let mut packages = Vec::new();
    // npm only to fetch binaryen and axe-core, when they are not there yet.
    if !wasm_opt_dir.join("wasm-opt").exists() || axe_dir.is_some_and(|d| axe_version(d).is_none()) {
        packages.push(Package {
            name: "npm",
            present: which("npm").is_some() && which("node").is_some(),
        });
    }
    if needs >= Needs::Browser {
        packages.extend([
            Package {
                name: "chromium",
                present: Path::new("/usr/bin/chromium").exists(),
            },
            Package {
                name: "chromium-driver",
                present: Path::new("/usr/bin/chromedriver").exists(),
            },
        ]);
    }
    if needs == Needs::Test {
        packages.extend([
            Package {
                name: "postgresql",
                present: postgres_installed(),
            },
            Package {
                name: "libpq5",
                present: libpq_installed(),
            },
            Package {
                name: "openssl",
                present: which("openssl").is_some(),
            },
            Package {
                name: "python3",
                present: which("python3").is_some(),
            },
        ]);
    }
    packages
}

/// crates/pgtls-testpg looks for /usr/lib/postgresql/N/bin, as Debian lays it out.
fn postgres_installed() -> bool {
    std::fs::read_dir("/usr/lib/postgresql")
        .map(|dirs| {
            dirs.flatten()
                .any(|d| d.path().join("bin").join("postgres").exists())
        })
        .unwrap_or(false)
}

fn libpq_installed() -> bool {
    Cmd::new("dpkg-query")
        .args(["-W", "-f=${Status}", "libpq5"])
        .read()
        .is_ok_and(|status| status.contains("install ok installed"))
}

fn apt_install(packages: &[Package]) -> Result<()> {
    for p in packages.iter().filter(|p| p.present) {
        println!("ok: {} is installed", p.name);
    }
    let missing: Vec<&str> = packages
        .iter()
        .filter(|p| !p.present)
        .map(|p| p.name)
        .collect();
    if missing.is_empty() {
        return Ok(());
    }
    println!("installing with apt-get: {}", missing.join(" "));
    let sudo = if is_root() {
        None
    } else if which("sudo").is_some() {
        Some("sudo")
    } else {
        return Err(format!(
            "{} missing and this is not root (and there is no sudo): run `apt-get install {}` as root",
            missing.join(", "),
            missing.join(" ")
        ));
    };
    let apt = |args: &[&str]| {
        let cmd = match sudo {
            Some(s) => Cmd::new(s).arg("apt-get"),
            None => Cmd::new("apt-get"),
        };
        cmd.args(args)
            .env("DEBIAN_FRONTEND", "noninteractive")
            .run()
    };
    apt(&["update"])?;
    let mut install = vec!["install", "-y", "--no-install-recommends"];
    install.extend(&missing);
    apt(&install)
}

/// What the live-check benchmark compares with, besides a PostgreSQL server: openssl's s_client
/// and Debian's testssl.sh. Returns the testssl script.
pub fn ensure_live_bench_tools() -> Result<PathBuf> {
    println!("== set-up: checking tools (live-check benchmark)");
    apt_install(&[
        Package {
            name: "postgresql",
            present: postgres_installed(),
        },
        Package {
            name: "openssl",
            present: which("openssl").is_some(),
        },
        Package {
            name: "testssl.sh",
            present: which("testssl").is_some(),
        },
    ])?;
    which("testssl")
        .ok_or_else(|| "testssl.sh is installed but `testssl` is not on PATH".to_string())
}

fn is_root() -> bool {
    // std has no getuid; the kernel says it in /proc.
    std::fs::read_to_string("/proc/self/status").is_ok_and(|status| {
        status
            .lines()
            .any(|l| l.starts_with("Uid:") && l.split_whitespace().nth(1) == Some("0"))
    })
}

fn ensure_wasm_target() -> Result<()> {
    let installed = Cmd::new("rustup")
        .args(["target", "list", "--installed"])
        .read()
        .map_err(|e| {
            format!("{e}\nrustup is needed to add the {WASM_TARGET} target (https://rustup.rs)")
        })?;
    if installed.lines().any(|l| l.trim() == WASM_TARGET) {
        println!("ok: rust target {WASM_TARGET} is installed");
        return Ok(());
    }
    println!("installing rust target {WASM_TARGET}");
    Cmd::new("rustup")
        .args(["target", "add", WASM_TARGET])
        .run()
}

fn ensure_trunk() -> Result<()> {
    let want = format!("trunk {TRUNK_VERSION}");
    match version_line("trunk") {
        Some(v) if v == want => {
            println!("ok: {v}");
            return Ok(());
        }
        Some(v) => println!("found {v}, want {want}"),
        None => {}
    }
    println!("installing trunk {TRUNK_VERSION} with cargo install (a few minutes)");
    Cmd::new("cargo")
        .args(["install", "--locked", "trunk", "--version", TRUNK_VERSION])
        .run()
}

/// wasm-bindgen-cli must match the library version exactly; its lock file is not used because
/// the pinned one does not build on every toolchain, hence no `--locked`.
fn ensure_wasm_bindgen(version: &str) -> Result<()> {
    let bindgen = version_line("wasm-bindgen");
    let runner = version_line("wasm-bindgen-test-runner");
    let want = |tool: &str, line: &Option<String>| {
        line.as_deref() == Some(format!("{tool} {version}").as_str())
    };
    if want("wasm-bindgen", &bindgen) && want("wasm-bindgen-test-runner", &runner) {
        println!("ok: wasm-bindgen {version} and wasm-bindgen-test-runner {version}");
        return Ok(());
    }
    if let Some(found) = bindgen {
        println!("found {found}, want wasm-bindgen {version}");
    }
    println!("installing wasm-bindgen-cli {version} with cargo install (a few minutes)");
    Cmd::new("cargo")
        .args([
            "install",
            "wasm-bindgen-cli",
            "--version",
            &format!("={version}"),
        ])
        .run()
}

fn ensure_wasm_opt(tools_dir: &Path) -> Result<()> {
    let prefix = tools_dir.join("binaryen");
    let wasm_opt = prefix.join("node_modules").join(".bin").join("wasm-opt");
    let wanted = format!("version {BINARYEN_VERSION}");
    npm_install_pinned(
        &prefix,
        "binaryen",
        &BINARYEN_VERSION.to_string(),
        &wasm_opt.display().to_string(),
        || version_line(&wasm_opt.to_string_lossy()),
        |found| found.contains(&wanted),
    )
}

/// Installs `package@version` from npm into `prefix`, unless `installed` (what the installed
/// copy reports, if any) already satisfies `is_wanted`; checks it again after installing.
fn npm_install_pinned(
    prefix: &Path,
    package: &str,
    version: &str,
    what: &str,
    installed: impl Fn() -> Option<String>,
    is_wanted: impl Fn(&str) -> bool,
) -> Result<()> {
    match installed() {
        Some(found) if is_wanted(&found) => {
            println!("ok: {package} {found} ({what})");
            return Ok(());
        }
        Some(found) => println!("found {package} {found}, want {version}"),
        None => {}
    }
    println!("installing {package}@{version} from npm into {}", prefix.display());
    Cmd::new("npm")
        .args(["install", "--no-audit", "--no-fund", "--save-exact", "--prefix"])
        .arg(prefix)
        .arg(format!("{package}@{version}"))
        .run()?;
    match installed() {
        Some(found) if is_wanted(&found) => {
            println!("ok: {package} {found}");
            Ok(())
        }
        other => Err(format!("{what} reports {other:?} after install, want {package} {version}")),
    }
}

/// axe.min.js inside an npm prefix.
fn axe_script(prefix: &Path) -> PathBuf {
    prefix.join("node_modules").join("axe-core").join("axe.min.js")
}

/// The axe-core version installed under `prefix`, when its script is there too.
fn axe_version(prefix: &Path) -> Option<String> {
    let manifest = std::fs::read_to_string(prefix.join("node_modules/axe-core/package.json")).ok()?;
    let version = manifest
        .lines()
        // The package's own version is indented once; `scripts` has a "version" key too.
        .find_map(|l| l.strip_prefix("  \"version\": \""))?
        .split('"')
        .next()?
        .to_string();
    axe_script(prefix).is_file().then_some(version)
}

/// axe-core from npm into target/tools/axe-core/: the page's accessibility audit runs it.
fn ensure_axe(prefix: &Path) -> Result<PathBuf> {
    let script = axe_script(prefix);
    npm_install_pinned(
        prefix,
        "axe-core",
        AXE_CORE_VERSION,
        &script.display().to_string(),
        || axe_version(prefix),
        |found| found == AXE_CORE_VERSION,
    )?;
    Ok(script)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_a_locked_version() {
        let lock = "[[package]]\nname = \"wasm-bindgen\"\nversion = \"0.2.130\"\n\n[[package]]\nname = \"wasm-bindgen-macro\"\nversion = \"0.2.130\"\n";
        assert_eq!(
            lock_version(lock, "wasm-bindgen").as_deref(),
            Some("0.2.130")
        );
        assert_eq!(lock_version(lock, "wasm-bindgen-shared"), None);
    }

    #[test]
    fn reads_a_table_key() {
        let toml = "[build]\nwasm_opt = \"no\"\n# comment\n[tools]\nwasm_bindgen = \"0.2.130\"  # pinned\nwasm_opt = \"version_132\"\n";
        assert_eq!(
            toml_string(toml, "tools", "wasm_bindgen").as_deref(),
            Some("0.2.130")
        );
        assert_eq!(
            toml_string(toml, "tools", "wasm_opt").as_deref(),
            Some("version_132")
        );
        assert_eq!(toml_string(toml, "build", "wasm_bindgen"), None);
    }

    #[test]
    fn reads_the_installed_axe_version() {
        let prefix = std::env::temp_dir().join(format!("pgtls-axe-{}", std::process::id()));
        let package = prefix.join("node_modules/axe-core");
        std::fs::create_dir_all(&package).unwrap();
        std::fs::write(
            package.join("package.json"),
            "{\n  \"name\": \"axe-core\",\n  \"version\": \"4.14.1\",\n  \"scripts\": {\n    \"version\": \"echo no\"\n  }\n}\n",
        )
        .unwrap();
        // No script yet: not installed.
        assert_eq!(axe_version(&prefix), None);
        std::fs::write(package.join("axe.min.js"), "/*! axe */").unwrap();
        assert_eq!(axe_version(&prefix).as_deref(), Some("4.14.1"));
        std::fs::remove_dir_all(&prefix).unwrap();
    }

    #[test]
    fn the_repository_pins_agree() {
        check_pins(&crate::repo_root()).unwrap();
    }
}
