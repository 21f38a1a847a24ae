//! The accessibility audit: axe-core, injected into the page under test and run on its
//! current view. `cargo xtask test` installs a pinned axe-core and passes axe.min.js in
//! `PGTLS_E2E_AXE`.

use std::fmt;
use std::path::PathBuf;

use serde_json::{json, Value};

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

/// Runs axe with the options in `arguments[0]`; with `arguments[1]` true, the sideways
/// scrolling boxes are unclipped for the run (through the CSSOM, which the page's CSP allows),
/// so that axe can read the colours of the cells they hide instead of leaving them undecided.
const RUN: &str = r#"
    const [options, unclip] = arguments;
    const done = arguments[arguments.length - 1];
    const boxes = unclip ? [...document.querySelectorAll('.table-scroll')] : [];
    boxes.forEach(b => b.style.overflow = 'visible');
    const restore = () => boxes.forEach(b => b.style.overflow = '');
    window.axe
        .run(document, options)
        .then(
            r => {
                restore();
                done({
                    violations: r.violations.map(v => ({
                        rule: v.id,
                        impact: v.impact || 'unknown',
                        help: v.help,
                        targets: v.nodes.map(n => n.target.map(t => Array.isArray(t) ? t.join(' >>> ') : t).join(' ')),
                    })),
                    // Per rule and the reason axe gives, how many elements it left undecided.
                    incomplete: r.incomplete.flatMap(v => {
                        const reasons = {};
                        for (const n of v.nodes) {
                            const why = [...n.any, ...n.all, ...n.none].map(c => c.data && c.data.messageKey).find(Boolean) || 'no reason given';
                            reasons[why] = (reasons[why] || 0) + 1;
                        }
                        return Object.entries(reasons).map(([why, count]) => [`${v.id}: ${why}`, count]);
                    }),
                });
            },
            e => { restore(); done({ error: String(e && e.stack || e) }); },
        );
"#;

/// What axe says of one state of the page.
pub struct Findings {
    pub violations: Vec<Violation>,
    /// Per rule and reason, how many elements axe could not decide (text over an image or
    /// partly covered by another box, say): left for a person to review.
    pub undecided: Vec<(String, usize)>,
}

/// Runs axe on the page's current state: every rule, then colour contrast again with the
/// scrolling tables unclipped.
pub async fn audit(browser: &Browser, axe_js: &str) -> Result<Findings, String> {
    // Each new document needs the script again; WebDriver runs it outside the page's CSP.
    if browser.js("return typeof window.axe", vec![]).await? != "object" {
        browser.js(&format!("{axe_js}\n;return typeof window.axe"), vec![]).await?;
        let kind = browser.js("return typeof window.axe", vec![]).await?;
        if kind != "object" {
            return Err(format!("axe-core did not load into the page (window.axe is {kind})"));
        }
    }
    // axe's default rule set, plus WCAG 2.2's target size (2.5.8, level AA), which axe ships
    // switched off.
    let all = run(browser, json!({ "resultTypes": ["violations", "incomplete"], "rules": { "target-size": { "enabled": true } } }), false).await?;
    let contrast = run(browser, json!({ "runOnly": ["color-contrast"], "resultTypes": ["violations", "incomplete"] }), true).await?;
    let mut violations = all.violations;
    violations.extend(contrast.violations);
    violations.sort();
    violations.dedup();
    // Contrast is judged by the unclipped run; the first one's doubts about it are resolved.
    let mut undecided: Vec<_> = all.undecided.into_iter().filter(|(rule, _)| !rule.starts_with("color-contrast:")).collect();
    undecided.extend(contrast.undecided);
    Ok(Findings { violations, undecided })
}

async fn run(browser: &Browser, options: Value, unclip: bool) -> Result<Findings, String> {
    let result = browser
        .client
        .execute_async(RUN, vec![options, Value::Bool(unclip)])
        .await
        .map_err(|e| format!("axe.run failed: {e}"))?;
    if let Some(error) = result["error"].as_str() {
        return Err(format!("axe.run failed: {error}"));
    }
    let text = |v: &Value| v.as_str().unwrap_or_default().to_string();
    let violations = result["violations"]
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
    let undecided = result["incomplete"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|pair| (text(&pair[0]), pair[1].as_u64().unwrap_or(0) as usize))
        .collect();
    Ok(Findings { violations, undecided })
}
