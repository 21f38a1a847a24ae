//! The Markdown export: the report as a page a reviewer can read in a ticket or a wiki.

use pgtls_audit::checklist::Status;
use pgtls_audit::report::Finding;
use pgtls_audit::Report;

fn status_mark(status: Status) -> &'static str {
    match status {
        Status::Pass => "✅ pass",
        Status::Warn => "⚠️ warn",
        Status::Fail => "❌ fail",
        Status::Unknown => "❔ unknown",
    }
}

/// Escapes the characters that would break a Markdown table cell.
fn cell(s: &str) -> String {
    s.replace('|', "\\|").replace('\n', " ")
}

pub fn render(report: &Report) -> String {
    let mut md = String::new();
    md.push_str("# pgtls audit\n\n");
    md.push_str(&format!("**Score {} / 100 · grade {}**\n\n", report.score, report.grade));
    md.push_str("## Checklist\n\n| # | item | status | findings |\n|---|---|---|---|\n");
    for entry in &report.checklist {
        md.push_str(&format!(
            "| {} | {} | {} | {} |\n",
            entry.item,
            cell(&entry.title),
            status_mark(entry.status),
            entry.findings.join(", ")
        ));
    }
    md.push_str("\n## Findings\n");
    if report.findings.is_empty() {
        md.push_str("\nNo findings.\n");
    }
    let groups: Vec<(Option<u8>, String)> = report
        .checklist
        .iter()
        .map(|e| (Some(e.item), format!("{}. {}", e.item, e.title)))
        .chain(std::iter::once((None, "Outside the checklist".to_string())))
        .collect();
    for (item, heading) in groups {
        let findings: Vec<&Finding> = report.findings.iter().filter(|f| f.item == item).collect();
        if findings.is_empty() {
            continue;
        }
        md.push_str(&format!("\n### {heading}\n"));
        for f in findings {
            md.push_str(&format!(
                "\n- **{}** ({}) {} — `{}:{}:{}`\n  {}\n",
                f.rule, f.severity, f.title, f.file, f.line, f.column, f.message
            ));
            md.push_str(&format!("  *Why it matters:* {}\n", f.help));
            if let Some(fix) = &f.fix {
                md.push_str(&format!("  *Fix:* {}", fix.summary));
                if let Some(activation) = fix.activation {
                    let when = serde_json::to_value(activation).ok().and_then(|v| v.as_str().map(str::to_string));
                    md.push_str(&format!(" (takes effect after: {})", when.unwrap_or_default()));
                }
                md.push('\n');
                if let Some(snippet) = &fix.snippet {
                    md.push_str("\n  ```\n");
                    for line in snippet.lines() {
                        md.push_str(&format!("  {line}\n"));
                    }
                    md.push_str("  ```\n");
                }
            }
            md.push_str(&format!("  [PostgreSQL documentation]({})\n", f.docs));
        }
    }
    md.push_str("\n## Inputs\n\n");
    for input in &report.inputs {
        md.push_str(&format!("- `{}` ({})\n", input.file, input.kind));
    }
    md
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::{run, Settings};
    use crate::document::Document;
    use pgtls_audit::InputKind;

    #[test]
    fn renders_score_checklist_and_inputs() {
        let docs = vec![Document::text(1, "postgresql.conf", InputKind::PostgresqlConf, "ssl = on\n")];
        let out = run(&docs, &Settings::default(), 1_700_000_000);
        let md = render(&out.report);
        assert!(md.contains(&format!("**Score {} / 100", out.report.score)));
        assert_eq!(md.matches("\n| ").count(), 6 + 1, "header and six items");
        assert!(md.contains("- `postgresql.conf` (postgresql-conf)"));
    }
}
