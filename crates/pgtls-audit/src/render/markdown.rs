//! The report as Markdown.

use crate::checklist::Status;
use crate::report::{Finding, Report};

fn status_mark(status: Status) -> &'static str {
    match status {
        Status::Pass => "✅ pass",
        Status::Warn => "⚠️ warn",
        Status::Fail => "❌ fail",
        Status::Unknown => "❔ unknown",
    }
}

/// Code fences long enough that the fenced text cannot close them.
fn fence(text: &str) -> String {
    let longest = text
        .split(|c| c != '`')
        .map(str::len)
        .max()
        .unwrap_or(0);
    "`".repeat(longest.max(2) + 1)
}

fn escape_cell(text: &str) -> String {
    text.replace('|', "\\|").replace('\n', " ")
}

fn finding_md(out: &mut String, f: &Finding) {
    out.push_str(&format!(
        "#### {} {} ({})\n\n`{}:{}:{}` — {}\n\n",
        f.rule, f.title, f.severity, f.file, f.line, f.column, f.message
    ));
    out.push_str(&format!("{}\n\n", f.help));
    if let Some(fix) = &f.fix {
        out.push_str(&format!("**Fix:** {}", fix.summary));
        if let Some(act) = fix.activation {
            let how = match act {
                crate::Activation::Reload => "a reload (`SELECT pg_reload_conf();`) applies it",
                crate::Activation::Restart => "a server restart applies it",
                crate::Activation::Reconnect => "clients apply it when they reconnect",
                crate::Activation::Deploy => "applies once the new file is in place",
            };
            out.push_str(&format!(" ({how})"));
        }
        out.push_str("\n\n");
        let text = fix
            .snippet
            .clone()
            .or_else(|| (fix.edits.len() == 1).then(|| fix.edits[0].replacement.clone()));
        if let Some(text) = text.filter(|t| !t.trim().is_empty()) {
            let f = fence(&text);
            out.push_str(&format!("{f}\n{}\n{f}\n\n", text.trim_end()));
        }
    }
    out.push_str(&format!("[PostgreSQL documentation]({})\n\n", f.docs));
}

pub fn render(report: &Report) -> String {
    let mut out = format!(
        "# pgtls report\n\n**Score: {}/100 (grade {})**\n\n| # | checklist item | status | findings |\n|---|---|---|---|\n",
        report.score, report.grade
    );
    for e in &report.checklist {
        out.push_str(&format!(
            "| {} | {} | {} | {} |\n",
            e.item,
            escape_cell(&e.title),
            status_mark(e.status),
            e.findings.join(", ")
        ));
    }
    out.push('\n');
    for e in &report.checklist {
        let findings: Vec<&Finding> = report.findings.iter().filter(|f| f.item == Some(e.item)).collect();
        if findings.is_empty() {
            continue;
        }
        out.push_str(&format!("## {}. {}\n\n", e.item, e.title));
        for f in findings {
            finding_md(&mut out, f);
        }
    }
    let other: Vec<&Finding> = report.findings.iter().filter(|f| f.item.is_none()).collect();
    if !other.is_empty() {
        out.push_str("## Other findings\n\n");
        for f in other {
            finding_md(&mut out, f);
        }
    }
    out.push_str("## Inputs\n\n");
    for i in &report.inputs {
        out.push_str(&format!("- `{}` ({})\n", i.file, i.kind));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fences_outgrow_the_text() {
        assert_eq!(fence("plain"), "```");
        assert_eq!(fence("a ```` b"), "`````");
    }
}
