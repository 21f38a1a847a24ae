//! The report as SARIF 2.1.0, for code-scanning UIs (GitHub, GitLab, IDEs).

use serde_json::{json, Value};

use crate::diagnostic::Severity;
use crate::report::Report;

fn level(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "note",
    }
}

/// `report` must have been built with [`ColumnUnit::Utf16`](crate::ColumnUnit::Utf16): SARIF
/// counts columns in UTF-16 code units here (`columnKind`).
pub fn render(report: &Report) -> Value {
    let mut rule_ids: Vec<&str> = report.findings.iter().map(|f| f.rule.as_str()).collect();
    crate::sorting::sort(&mut rule_ids);
    rule_ids.dedup();
    let rules: Vec<Value> = rule_ids
        .iter()
        .filter_map(|id| crate::rules::by_id(id))
        .map(|r| {
            let m = r.meta;
            json!({
                "id": m.id,
                "name": m.title,
                "shortDescription": { "text": m.title },
                "fullDescription": { "text": m.help },
                "help": { "text": m.help, "markdown": m.doc },
                "helpUri": m.docs_url,
                "defaultConfiguration": { "level": level(m.severity) },
                "properties": { "checklistItem": m.item },
            })
        })
        .collect();
    let results: Vec<Value> = report
        .findings
        .iter()
        .map(|f| {
            let mut result = json!({
                "ruleId": f.rule,
                "ruleIndex": rule_ids.iter().position(|id| *id == f.rule),
                "level": level(f.severity),
                "message": { "text": f.message },
                "locations": [{
                    "physicalLocation": {
                        "artifactLocation": { "uri": f.file },
                        "region": {
                            "startLine": f.line,
                            "startColumn": f.column,
                            "endLine": f.end_line,
                            "endColumn": f.end_column,
                        }
                    }
                }],
            });
            // SARIF regions are line/column based; a fix is exported when its one edit
            // replaces exactly the finding's range, whose line and column are known.
            if let Some(fix) = f.fix.as_ref() {
                if let [edit] = fix.edits.as_slice() {
                    if edit.file == f.file && edit.start == f.start && edit.end == f.end {
                        result["fixes"] = json!([{
                            "description": { "text": fix.summary },
                            "artifactChanges": [{
                                "artifactLocation": { "uri": f.file },
                                "replacements": [{
                                    "deletedRegion": result["locations"][0]["physicalLocation"]["region"].clone(),
                                    "insertedContent": { "text": edit.replacement },
                                }],
                            }],
                        }]);
                    }
                }
            }
            result
        })
        .collect();
    json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": { "driver": {
                "name": "pgtls",
                "version": env!("CARGO_PKG_VERSION"),
                "informationUri": "https://www.postgresql.org/docs/current/ssl-tcp.html",
                "rules": rules,
            }},
            "columnKind": "utf16CodeUnits",
            "results": results,
            "properties": { "score": report.score, "grade": report.grade },
        }]
    })
}
