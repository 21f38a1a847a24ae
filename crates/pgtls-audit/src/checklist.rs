//! The six-item hardening checklist and the score, computed in one place from the diagnostics
//! and from which items the inputs could speak to at all.

use std::collections::BTreeSet;

use serde::{Deserialize, Serialize};

use crate::diagnostic::{Diagnostic, Severity};

/// The checklist items, numbered as users know them.
pub const ITEMS: [(u8, &str); 6] = [
    (1, "SSL enabled with strong cipher suites and a TLSv1.2+ protocol floor"),
    (2, "Server certificate signed by a CA the clients trust"),
    (3, "pg_hba.conf requires SSL for every non-local connection"),
    (4, "Clients use sslmode=verify-full with the right sslrootcert"),
    (5, "Certificate rotation automated"),
    (6, "Certificate expiry monitored (nothing expired or within 30 days)"),
];

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    Pass,
    Warn,
    Fail,
    /// The inputs do not say.
    Unknown,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Pass => "pass",
            Status::Warn => "warn",
            Status::Fail => "fail",
            Status::Unknown => "unknown",
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChecklistEntry {
    pub item: u8,
    pub title: String,
    pub status: Status,
    /// Rule ids of the findings against this item, in report order, without repeats.
    pub findings: Vec<String>,
}

/// Which checklist items the inputs let the audit judge. An area adds an item when it had the
/// input that item is about (a postgresql.conf for item 1, a pg_hba.conf for item 3, ...).
pub type Evidence = BTreeSet<u8>;

pub fn checklist(diagnostics: &[Diagnostic], evidence: &Evidence) -> Vec<ChecklistEntry> {
    ITEMS
        .iter()
        .map(|&(item, title)| {
            let mut findings: Vec<String> = Vec::new();
            let mut worst: Option<Severity> = None;
            for d in diagnostics.iter().filter(|d| d.rule.item == Some(item)) {
                if !findings.iter().any(|f| f == d.rule.id) {
                    findings.push(d.rule.id.to_string());
                }
                worst = worst.max(Some(d.severity));
            }
            let status = match worst {
                Some(Severity::Error) => Status::Fail,
                Some(Severity::Warning) => Status::Warn,
                _ if evidence.contains(&item) => Status::Pass,
                Some(Severity::Info) => Status::Pass,
                None => Status::Unknown,
            };
            ChecklistEntry { item, title: title.to_string(), status, findings }
        })
        .collect()
}

/// Points taken off for a finding that belongs to no checklist item (password hashing,
/// syntax errors, ...). Items carry most of the weight; these keep a clean checklist from
/// hiding a server that will not start.
fn penalty(severity: Severity) -> u32 {
    match severity {
        Severity::Error => 10,
        Severity::Warning => 3,
        Severity::Info => 0,
    }
}

/// The score, 0–100: the mean credit of the items the inputs could judge (pass 1, warn ½,
/// fail 0), less the penalties of findings outside the checklist. With no judgeable item the
/// score is 0: nothing was shown to be right.
pub fn score(checklist: &[ChecklistEntry], diagnostics: &[Diagnostic]) -> u8 {
    let judged: Vec<&ChecklistEntry> =
        checklist.iter().filter(|e| e.status != Status::Unknown).collect();
    if judged.is_empty() {
        return 0;
    }
    let credit: u32 = judged
        .iter()
        .map(|e| match e.status {
            Status::Pass => 2,
            Status::Warn => 1,
            _ => 0,
        })
        .sum();
    let base = (credit * 100 + judged.len() as u32) / (2 * judged.len() as u32);
    let penalties: u32 =
        diagnostics.iter().filter(|d| d.rule.item.is_none()).map(|d| penalty(d.severity)).sum();
    base.saturating_sub(penalties).min(100) as u8
}

/// A–F from the score; any failed item caps the grade at C, so that a high mean cannot hide a
/// missing safeguard.
pub fn grade(score: u8, checklist: &[ChecklistEntry]) -> char {
    let by_score = match score {
        90..=100 => 'A',
        80..=89 => 'B',
        70..=79 => 'C',
        60..=69 => 'D',
        _ => 'F',
    };
    if checklist.iter().any(|e| e.status == Status::Fail) {
        by_score.max('C')
    } else {
        by_score
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::RuleMeta;
    use crate::source::{Location, Span};

    static ITEM3_ERROR: RuleMeta = RuleMeta {
        id: "HBA999",
        title: "t",
        severity: Severity::Error,
        item: Some(3),
        docs_url: "https://www.postgresql.org/docs/current/",
        help: "h",
        doc: "d",
    };
    static NO_ITEM_WARNING: RuleMeta = RuleMeta {
        id: "CONF999",
        title: "t",
        severity: Severity::Warning,
        item: None,
        docs_url: "https://www.postgresql.org/docs/current/",
        help: "h",
        doc: "d",
    };

    fn diag(meta: &'static RuleMeta) -> Diagnostic {
        Diagnostic::new(meta, Location::new(0, Span::at(0)), "m")
    }

    #[test]
    fn unknown_without_evidence_pass_with_it() {
        let evidence: Evidence = [1].into();
        let list = checklist(&[], &evidence);
        assert_eq!(list[0].status, Status::Pass);
        assert!(list[1..].iter().all(|e| e.status == Status::Unknown));
        assert_eq!(score(&list, &[]), 100);
        assert_eq!(grade(100, &list), 'A');
    }

    #[test]
    fn errors_fail_their_item_and_cap_the_grade() {
        let evidence: Evidence = [1, 3].into();
        let diags = vec![diag(&ITEM3_ERROR), diag(&ITEM3_ERROR)];
        let list = checklist(&diags, &evidence);
        assert_eq!(list[2].status, Status::Fail);
        assert_eq!(list[2].findings, vec!["HBA999"]);
        assert_eq!(score(&list, &diags), 50);
        assert_eq!(grade(95, &list), 'C');
    }

    #[test]
    fn findings_outside_the_checklist_cost_points() {
        let evidence: Evidence = [1].into();
        let diags = vec![diag(&NO_ITEM_WARNING)];
        let list = checklist(&diags, &evidence);
        assert_eq!(score(&list, &diags), 97);
    }

    #[test]
    fn nothing_judged_scores_zero() {
        let list = checklist(&[], &Evidence::new());
        assert_eq!(score(&list, &[]), 0);
        assert_eq!(grade(0, &list), 'F');
    }
}
