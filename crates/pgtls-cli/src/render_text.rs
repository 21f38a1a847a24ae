//! The report for a terminal: findings grouped by checklist item, each with its source line and
//! a caret under the range, then the checklist and the score.

use annotate_snippets::{Level, Renderer, Snippet};
use pgtls_audit::checklist::Status;
use pgtls_audit::report::{Finding, Report};
use pgtls_audit::{Activation, Inputs, Severity};

fn level(severity: Severity) -> Level {
    match severity {
        Severity::Error => Level::Error,
        Severity::Warning => Level::Warning,
        Severity::Info => Level::Info,
    }
}

fn status_word(status: Status) -> &'static str {
    match status {
        Status::Pass => "PASS",
        Status::Warn => "WARN",
        Status::Fail => "FAIL",
        Status::Unknown => "UNKNOWN",
    }
}

fn activation_note(activation: Option<Activation>) -> &'static str {
    match activation {
        Some(Activation::Reload) => " (then reload: SELECT pg_reload_conf();)",
        Some(Activation::Restart) => " (then restart the server)",
        Some(Activation::Reconnect) => " (then reconnect the clients)",
        Some(Activation::Deploy) | None => "",
    }
}

/// Moves `offset` back to a character boundary of `text`.
fn floor_boundary(text: &str, mut offset: usize) -> usize {
    offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}

fn render_finding(out: &mut String, renderer: &Renderer, inputs: &Inputs, f: &Finding) {
    let title = format!("{}: {}", f.title, f.message);
    let fix_text = f.fix.as_ref().map(|fix| {
        let mut t = format!("fix: {}{}", fix.summary, activation_note(fix.activation));
        let body = fix
            .snippet
            .clone()
            .or_else(|| (fix.edits.len() == 1).then(|| fix.edits[0].replacement.clone()));
        if let Some(body) = body.filter(|b| !b.trim().is_empty()) {
            for line in body.trim_end().lines() {
                t.push_str("\n    ");
                t.push_str(line);
            }
        }
        t
    });
    let docs = format!("docs: {}", f.docs);
    let help = format!("why: {}", f.help);

    // The snippet is the lines the range covers, so that long files cost nothing.
    let source_file = inputs.files.iter().find(|s| s.name == f.file);
    let rendered = match source_file {
        Some(file) if !file.text.is_empty() => {
            let text = &file.text;
            let start = floor_boundary(text, f.start);
            let end = floor_boundary(text, f.end.max(start));
            let first_line = file.line_index.line_of(start);
            let last_line = file.line_index.line_of(end.saturating_sub(usize::from(end > start)));
            let snippet_start = file.line_index.line_span(text, first_line).start;
            let snippet_end = file.line_index.line_span(text, last_line.max(first_line)).end.max(end.min(text.len()));
            let source = &text[snippet_start..floor_boundary(text, snippet_end)];
            let (mut a, mut b) = (start - snippet_start, end.min(snippet_start + source.len()) - snippet_start);
            if a == b {
                // An empty range (a missing setting) is shown as a caret at the line's start or end.
                if b < source.len() {
                    b = floor_boundary(source, b + source[b..].chars().next().map_or(0, char::len_utf8));
                } else if a > 0 {
                    a = floor_boundary(source, a - 1);
                }
            }
            let message = level(f.severity).title(&title).id(&f.rule).snippet(
                Snippet::source(source)
                    .line_start(first_line + 1)
                    .origin(&f.file)
                    .fold(true)
                    .annotation(level(f.severity).span(a..b)),
            );
            let message = message.footer(Level::Help.title(&help));
            let message = match &fix_text {
                Some(t) => message.footer(Level::Note.title(t)),
                None => message,
            };
            renderer.render(message.footer(Level::Note.title(&docs))).to_string()
        }
        _ => {
            let message = level(f.severity).title(&title).id(&f.rule).footer(Level::Help.title(&help));
            let message = match &fix_text {
                Some(t) => message.footer(Level::Note.title(t)),
                None => message,
            };
            format!("{}\n  --> {}", renderer.render(message.footer(Level::Note.title(&docs))), f.file)
        }
    };
    out.push_str(&rendered);
    out.push_str("\n\n");
}

pub fn render(report: &Report, inputs: &Inputs, color: bool) -> String {
    let renderer = if color { Renderer::styled() } else { Renderer::plain() };
    let mut out = String::new();
    for e in &report.checklist {
        let findings: Vec<&Finding> = report.findings.iter().filter(|f| f.item == Some(e.item)).collect();
        if findings.is_empty() {
            continue;
        }
        out.push_str(&format!("== {}. {} [{}]\n\n", e.item, e.title, status_word(e.status)));
        for f in findings {
            render_finding(&mut out, &renderer, inputs, f);
        }
    }
    let other: Vec<&Finding> = report.findings.iter().filter(|f| f.item.is_none()).collect();
    if !other.is_empty() {
        out.push_str("== Other findings\n\n");
        for f in other {
            render_finding(&mut out, &renderer, inputs, f);
        }
    }
    out.push_str("Checklist:\n");
    for e in &report.checklist {
        out.push_str(&format!("  [{:<7}] {}. {}\n", status_word(e.status), e.item, e.title));
    }
    let count = |s: Severity| report.findings.iter().filter(|f| f.severity == s).count();
    out.push_str(&format!(
        "\nScore: {}/100 (grade {}) — {} error(s), {} warning(s), {} info, from {} input(s)\n",
        report.score,
        report.grade,
        count(Severity::Error),
        count(Severity::Warning),
        count(Severity::Info),
        report.inputs.len()
    ));
    out
}
