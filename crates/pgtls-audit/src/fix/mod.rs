//! Fix all: apply every fix that is safe to apply automatically, show each changed file as a
//! unified diff, and audit the result again. Fixes that need a person's decision (which
//! addresses to allow, which CA to trust) carry no edits; they are listed, never guessed.

use serde::{Deserialize, Serialize};

use crate::diagnostic::{Diagnostic, TextEdit};
use crate::options::AuditOptions;
use crate::source::{FileId, Inputs, SourceFile};

/// One file after the automatic fixes.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FixedFile {
    pub file: FileId,
    pub name: String,
    pub before: String,
    pub after: String,
    /// A unified diff from `before` to `after`, with `a/NAME` and `b/NAME` headers.
    pub diff: String,
}

/// A finding that was fixed, or one left for a person.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FixNote {
    pub rule: String,
    pub file: String,
    pub line: usize,
    pub message: String,
    pub fix: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FixOutcome {
    pub files: Vec<FixedFile>,
    pub applied: Vec<FixNote>,
    /// Findings whose fix needs a decision, or that have no fix; still present after fixing.
    pub manual: Vec<FixNote>,
    pub score_before: u8,
    pub score_after: u8,
}

/// How many audit-and-fix rounds to run: a fix can reveal another (a syntax error hid a
/// weak value), but never endlessly.
const MAX_ROUNDS: usize = 4;

fn note(inputs: &Inputs, d: &Diagnostic) -> FixNote {
    let file = inputs.file(d.location.file);
    FixNote {
        rule: d.rule.id.to_string(),
        file: file.name.clone(),
        line: file.line_col(d.location.span.start, crate::ColumnUnit::Utf8).line,
        message: d.message.clone(),
        fix: d.fix.as_ref().map_or_else(String::new, |f| f.summary.clone()),
    }
}

/// Chooses non-overlapping edits, first come first served in report order; an edit that
/// overlaps one already chosen waits for the next round, when its finding is recomputed
/// against the changed text.
fn choose_edits(diagnostics: &[Diagnostic]) -> (Vec<&TextEdit>, Vec<&Diagnostic>) {
    let mut chosen: Vec<&TextEdit> = Vec::new();
    let mut fixed = Vec::new();
    for d in diagnostics {
        let Some(fix) = &d.fix else { continue };
        if fix.edits.is_empty() {
            continue;
        }
        let overlaps = |e: &TextEdit| {
            chosen.iter().any(|c| {
                c.file == e.file
                    && !(c.span == e.span && c.replacement == e.replacement)
                    && (e.span.start < c.span.end && c.span.start < e.span.end
                        || e.span.is_empty() && c.span.is_empty() && e.span.start == c.span.start)
            })
        };
        if fix.edits.iter().any(overlaps) {
            continue;
        }
        for e in &fix.edits {
            if !chosen.iter().any(|c| c.file == e.file && c.span == e.span && c.replacement == e.replacement) {
                chosen.push(e);
            }
        }
        fixed.push(d);
    }
    (chosen, fixed)
}

fn apply(text: &str, edits: &mut Vec<&TextEdit>) -> String {
    crate::sorting::sort_by_key(edits, |e| (e.span.start, e.span.end));
    let mut out = String::with_capacity(text.len());
    let mut at = 0;
    for e in edits.iter() {
        let (start, end) = (e.span.start.min(text.len()), e.span.end.min(text.len()));
        if start < at || !text.is_char_boundary(start) || !text.is_char_boundary(end) {
            continue;
        }
        out.push_str(&text[at..start]);
        out.push_str(&e.replacement);
        at = end;
    }
    out.push_str(&text[at..]);
    out
}

/// A unified diff with three lines of context.
pub fn unified_diff(name: &str, before: &str, after: &str) -> String {
    similar::TextDiff::from_lines(before, after)
        .unified_diff()
        .context_radius(3)
        .header(&format!("a/{name}"), &format!("b/{name}"))
        .to_string()
}

/// Applies every automatic fix, re-auditing between rounds.
pub fn fix_all(inputs: &Inputs, options: &AuditOptions) -> FixOutcome {
    let first = crate::audit(inputs, options);
    let mut current = inputs.clone();
    let mut applied = Vec::new();
    let mut analysis = first;
    let score_before = analysis.score;
    for _ in 0..MAX_ROUNDS {
        let (edits, fixed) = choose_edits(&analysis.diagnostics);
        if edits.is_empty() {
            break;
        }
        applied.extend(fixed.iter().map(|d| note(&current, d)));
        let mut next = current.clone();
        for (id, file) in current.files.iter().enumerate() {
            let mut mine: Vec<&TextEdit> = edits.iter().copied().filter(|e| e.file == id).collect();
            if mine.is_empty() {
                continue;
            }
            let text = apply(&file.text, &mut mine);
            next.files[id] = SourceFile::from_text(file.name.clone(), file.kind, text);
        }
        if next.files.iter().zip(&current.files).all(|(a, b)| a.text == b.text) {
            break;
        }
        current = next;
        analysis = crate::audit(&current, options);
    }
    let files = inputs
        .files
        .iter()
        .zip(&current.files)
        .enumerate()
        .filter(|(_, (a, b))| a.text != b.text)
        .map(|(id, (a, b))| FixedFile {
            file: id,
            name: a.name.clone(),
            before: a.text.clone(),
            after: b.text.clone(),
            diff: unified_diff(&a.name, &a.text, &b.text),
        })
        .collect();
    let manual = analysis.diagnostics.iter().map(|d| note(&current, d)).collect();
    FixOutcome { files, applied, manual, score_before, score_after: analysis.score }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::Span;

    fn edit(file: FileId, start: usize, end: usize, r: &str) -> TextEdit {
        TextEdit { file, span: Span::new(start, end), replacement: r.into() }
    }

    #[test]
    fn edits_apply_back_to_front_and_skip_bad_spans() {
        let a = edit(0, 0, 3, "ssl");
        let b = edit(0, 6, 9, "on");
        let bad = edit(0, 99, 100, "x");
        assert_eq!(apply("SSL = off\n", &mut vec![&b, &a, &bad]), "ssl = on\nx");
        let inside_char = edit(0, 1, 2, "x");
        assert_eq!(apply("é", &mut vec![&inside_char]), "é");
    }

    #[test]
    fn diff_has_headers_and_hunks() {
        let d = unified_diff("postgresql.conf", "ssl = off\nport = 5432\n", "ssl = on\nport = 5432\n");
        assert!(d.starts_with("--- a/postgresql.conf\n+++ b/postgresql.conf\n"), "{d}");
        assert!(d.contains("-ssl = off\n+ssl = on\n"), "{d}");
    }
}
