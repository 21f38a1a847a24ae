//! The rule registry: every rule of every area, in one table.
//!
//! A rule is one small unit in its own file beside its area's parser: a `META` (id, title,
//! default severity, checklist item, documentation) and a `check` function that reads the model
//! and pushes diagnostics. Ids are stable and never reused; retired ids are listed in
//! [`RETIRED_IDS`] so that a new rule cannot take one.

/// A rule's full documentation (`RuleMeta::doc`). Without the `rule-docs` feature it is left
/// out: the page shows each rule's `help` and links the manual, and the whole text of every
/// rule would add about 25 KB of gzipped wasm to it. The CLI, docs/rules.md and SARIF keep it.
#[cfg(feature = "rule-docs")]
#[doc(hidden)]
#[macro_export]
macro_rules! rule_doc {
    ($text:literal) => {
        $text
    };
}

/// See the `rule-docs` variant above.
#[cfg(not(feature = "rule-docs"))]
#[doc(hidden)]
#[macro_export]
macro_rules! rule_doc {
    ($text:literal) => {
        ""
    };
}

use crate::diagnostic::{Diagnostic, Severity};
use crate::model::Model;
use crate::options::AuditOptions;
use crate::source::Inputs;

/// What a rule is, for reports and for docs/rules.md.
#[derive(Debug, PartialEq, Eq)]
pub struct RuleMeta {
    /// Stable id, e.g. `HBA001`.
    pub id: &'static str,
    /// A short title, e.g. "Remote connection accepted without SSL".
    pub title: &'static str,
    pub severity: Severity,
    /// The checklist item (1–6) this rule is evidence for, if any.
    pub item: Option<u8>,
    /// The PostgreSQL documentation section the rule rests on.
    pub docs_url: &'static str,
    /// Why it matters, in plain words, for the report and the page.
    pub help: &'static str,
    /// The full documentation (Markdown): what it finds, why, an example, the fix, references.
    pub doc: &'static str,
}

/// Everything a rule may read.
pub struct Context<'a> {
    pub inputs: &'a Inputs,
    pub options: &'a AuditOptions,
    pub model: &'a Model,
}

pub type CheckFn = fn(&Context<'_>, &mut Vec<Diagnostic>);

pub struct Rule {
    pub meta: &'static RuleMeta,
    pub check: CheckFn,
}

/// Ids that were used once and must never be given to another rule.
pub const RETIRED_IDS: &[&str] = &[];

/// Every registered rule, area by area.
pub fn all() -> impl Iterator<Item = &'static Rule> {
    crate::conf::rules::RULES
        .iter()
        .chain(crate::cipher::rules::RULES)
        .chain(crate::hba::rules::RULES)
        .chain(crate::cert::rules::RULES)
        .chain(crate::conn::rules::RULES)
        .chain(crate::live::rules::RULES)
        .chain(crate::platform::rules::RULES)
}

pub fn by_id(id: &str) -> Option<&'static Rule> {
    all().find(|r| r.meta.id == id)
}

/// Runs every rule over the model.
pub fn run(cx: &Context<'_>) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for rule in all() {
        (rule.check)(cx, &mut out);
    }
    out
}

/// docs/rules.md, generated from the rules' own documentation.
#[cfg(feature = "rule-docs")]
pub fn rules_markdown() -> String {
    let mut rules: Vec<&Rule> = all().collect();
    crate::sorting::sort_by_key(&mut rules, |r| r.meta.id);
    let mut md = String::from(
        "# Rules\n\nGenerated from the rules' own documentation by `cargo xtask docs` \
         (a test fails when this file is out of date). Ids are stable and never reused.\n\n\
         | id | severity | checklist item | title |\n|---|---|---|---|\n",
    );
    for r in &rules {
        let m = r.meta;
        md.push_str(&format!(
            "| [{}](#{}) | {} | {} | {} |\n",
            m.id,
            m.id.to_ascii_lowercase(),
            m.severity,
            m.item.map_or("–".to_string(), |i| i.to_string()),
            m.title
        ));
    }
    for r in &rules {
        let m = r.meta;
        md.push_str(&format!("\n## {}\n\n**{}** · {} · ", m.id, m.title, m.severity));
        match m.item {
            Some(i) => md.push_str(&format!("checklist item {i}")),
            None => md.push_str("no checklist item"),
        }
        md.push_str(&format!(" · [PostgreSQL documentation]({})\n\n", m.docs_url));
        md.push_str(m.doc.trim());
        md.push('\n');
    }
    md
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeSet;

    #[test]
    fn rule_ids_are_unique_well_formed_and_documented() {
        let mut seen = BTreeSet::new();
        for rule in all() {
            let m = rule.meta;
            assert!(seen.insert(m.id), "duplicate rule id {}", m.id);
            assert!(!RETIRED_IDS.contains(&m.id), "{} is retired and may not be reused", m.id);
            let (prefix, digits) = m.id.split_at(m.id.len() - 3);
            assert!(
                ["CONF", "HBA", "CERT", "CONN", "LIVE", "MGD"].contains(&prefix)
                    && digits.chars().all(|c| c.is_ascii_digit()),
                "malformed rule id {}",
                m.id
            );
            assert!(!m.title.is_empty() && !m.help.is_empty(), "{} lacks a title or help", m.id);
            assert!(!cfg!(feature = "rule-docs") || m.doc.trim().len() > 80, "{} lacks documentation", m.id);
            assert!(m.docs_url.starts_with("https://www.postgresql.org/docs/"), "{} docs link", m.id);
            assert!(m.item.map_or(true, |i| (1..=6).contains(&i)), "{} item out of range", m.id);
            for leftover in ["TODO", "FIXME", "XXX", "lorem"] {
                assert!(!m.doc.contains(leftover), "{} doc has a leftover {leftover}", m.id);
            }
        }
    }

    #[cfg(feature = "rule-docs")]
    #[test]
    fn docs_rules_md_is_in_sync() {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../docs/rules.md");
        let generated = rules_markdown();
        if std::env::var_os("PGTLS_BLESS").is_some() {
            std::fs::write(path, &generated).unwrap();
        }
        let on_disk = std::fs::read_to_string(path).unwrap_or_default();
        assert!(
            on_disk == generated,
            "docs/rules.md is out of date: run `PGTLS_BLESS=1 cargo test -p pgtls-audit docs_rules_md` (or `cargo xtask docs`)"
        );
    }
}
