//! The accessibility audit: axe-core, injected into the page under test and run on its
//! current view. `cargo xtask test` installs a pinned axe-core and passes axe.min.js in
//! `PGTLS_E2E_AXE`.

use std::fmt;
use std::path::PathBuf;

use serde_json::Value;

use crate::browser::Browser;

/// axe.min.js, read from `PGTLS_E2E_AXE`: `Ok(None)` when the variable is unset (the tests
/// were started by hand), an error when it names a file that is not there.
pub fn script() -> Result<Option<String>, String> {
    let Some(path) = std::env::var_os("PGTLS_E2E_AXE").filter(|p| !p.is_empty()).map(PathBuf::from) else {
        return Ok(None);
    };
    std::fs::read_to_string(&path).map(Some).map_err(|e| {
        format!(
            "PGTLS_E2E_AXE={} cannot be read ({e}): `cargo xtask setup --browser` installs axe-core into target/tools/axe-core/",
            path.display()
        )
    })
}

/// One rule axe found broken, with the elements that break it.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Violation {
    pub rule: String,
    /// minor, moderate, serious or critical.
    pub impact: String,
    pub help: String,
    /// A CSS selector for each offending element.
    pub targets: Vec<String>,
}

impl Violation {
    /// Whether the audit fails on it: serious and critical violations block, the others are
    /// reported.
    pub fn blocks(&self) -> bool {
        matches!(self.impact.as_str(), "serious" | "critical")
    }
}

impl fmt::Display for Violation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} ({}): {} — {}", self.rule, self.impact, self.help, self.targets.join(", "))
    }
}

const RUN: &str = r#"
    const done = arguments[arguments.length - 1];
    window.axe
        .run(document, { resultTypes: ['violations'] })
        .then(
            r => done({ violations: r.violations.map(v => ({
                rule: v.id,
                impact: v.impact || 'unknown',
                help: v.help,
                targets: v.nodes.map(n => n.target.map(t => Array.isArray(t) ? t.join(' >>> ') : t).join(' ')),
            })) }),
            e => done({ error: String(e && e.stack || e) }),
        );
"#;

/// Runs axe on the page's current state and returns its violations.
pub async fn audit(browser: &Browser, axe_js: &str) -> Result<Vec<Violation>, String> {
    // Each new document needs the script again; WebDriver runs it outside the page's CSP.
    if browser.js("return typeof window.axe", vec![]).await? != "object" {
        browser.js(&format!("{axe_js}\n;return typeof window.axe"), vec![]).await?;
        let kind = browser.js("return typeof window.axe", vec![]).await?;
        if kind != "object" {
            return Err(format!("axe-core did not load into the page (window.axe is {kind})"));
        }
    }
    let result = browser
        .client
        .execute_async(RUN, vec![])
        .await
        .map_err(|e| format!("axe.run failed: {e}"))?;
    if let Some(error) = result["error"].as_str() {
        return Err(format!("axe.run failed: {error}"));
    }
    let text = |v: &Value| v.as_str().unwrap_or_default().to_string();
    let mut found: Vec<Violation> = result["violations"]
        .as_array()
        .ok_or_else(|| format!("axe.run returned {result}"))?
        .iter()
        .map(|v| Violation {
            rule: text(&v["rule"]),
            impact: text(&v["impact"]),
            help: text(&v["help"]),
            targets: v["targets"].as_array().into_iter().flatten().map(text).collect(),
        })
        .collect();
    found.sort();
    Ok(found)
}
