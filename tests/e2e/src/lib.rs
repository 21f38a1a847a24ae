//! Support for the page's end-to-end tests: a static server for the built dist, a headless
//! Chromium driven through chromedriver, and the engine's own report for the same inputs.
//!
//! The tests never build anything: `cargo xtask test` builds dist/ with trunk and passes its
//! path in `PGTLS_E2E_DIST`.

pub mod axe;
pub mod browser;
pub mod keyboard;
pub mod server;

use std::path::PathBuf;

/// The dist directory to test, from `PGTLS_E2E_DIST`.
pub fn dist_dir() -> Result<PathBuf, String> {
    let dir = std::env::var_os("PGTLS_E2E_DIST").ok_or_else(|| {
        "PGTLS_E2E_DIST is not set: these tests drive the built page. Run them through `cargo xtask test`, \
         which builds dist/ with trunk and sets PGTLS_E2E_DIST (or build with `trunk build --release` and \
         set PGTLS_E2E_DIST=dist yourself)."
            .to_string()
    })?;
    let dir = PathBuf::from(dir);
    if !dir.join("index.html").is_file() {
        return Err(format!("PGTLS_E2E_DIST={} has no index.html: build the page first (`cargo xtask test` does)", dir.display()));
    }
    Ok(dir)
}

/// Where screenshots of the main views go: target/e2e-screenshots/.
pub fn screenshot_dir() -> PathBuf {
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../target"));
    target.join("e2e-screenshots")
}
