//! Entry points for the fuzz targets (fuzz/) and for the tests that replay their corpus on
//! stable Rust: each audits arbitrary bytes as one kind of input and checks the engine's
//! invariants, panicking (so the fuzzer records a crash) when one is broken.

use crate::detect::InputKind;
use crate::source::{Inputs, SourceFile};
use crate::{AuditOptions, ColumnUnit};

/// A fixed clock, so that a crash reproduces.
const NOW: i64 = 1_767_225_600;

/// Audits `bytes` as one input of `kind` (or detects the kind when `None`) and checks the
/// invariants: every finding lies inside its file, on character boundaries, and the report
/// serialises.
pub fn audit_bytes(kind: Option<InputKind>, name: &str, bytes: &[u8]) {
    let mut inputs = Inputs::new();
    match kind {
        Some(kind) => {
            inputs.push(SourceFile::new(name, kind, bytes.to_vec()));
        }
        None => {
            inputs.push_detected(name, bytes.to_vec());
        }
    }
    check_invariants(&inputs);
}

/// Audits several inputs at once (the fuzzer splits its data into files at NUL bytes), so that
/// includes, references between files and certificate roles are exercised.
pub fn audit_files(data: &[u8]) {
    let mut inputs = Inputs::new();
    let names = ["postgresql.conf", "pg_hba.conf", "server.crt", "conn.txt", "compose.yaml", "extra.conf"];
    for (i, part) in data.split(|b| *b == 0).take(names.len()).enumerate() {
        inputs.push_detected(names[i], part.to_vec());
    }
    check_invariants(&inputs);
}

pub fn check_invariants(inputs: &Inputs) {
    check_invariants_at(inputs, &[12, 15, 18]);
}

/// [`check_invariants`] for the given target versions only (large inputs in tests).
pub fn check_invariants_at(inputs: &Inputs, versions: &[u32]) {
    for &version in versions {
        let mut options = AuditOptions::new(NOW);
        options.pg_version = version;
        options.host = Some("db.example.com".into());
        let analysis = crate::audit(inputs, &options);
        for d in &analysis.diagnostics {
            let file = analysis.inputs.files.get(d.location.file).expect("finding in a known file");
            let span = d.location.span;
            assert!(span.start <= span.end && span.end <= file.text.len(), "{} span {span:?} outside {}", d.rule.id, file.name);
            assert!(
                file.text.is_char_boundary(span.start) && file.text.is_char_boundary(span.end),
                "{} span {span:?} splits a character",
                d.rule.id
            );
            assert!(!d.message.is_empty(), "{} has an empty message", d.rule.id);
        }
        for unit in [ColumnUnit::Utf8, ColumnUnit::Utf16] {
            let report = analysis.report(inputs, unit);
            serde_json::to_string(&report).expect("the report serialises");
            assert!(report.score <= 100);
        }
    }
}

/// Evaluates arbitrary bytes as cipher strings: the first byte picks the security level the
/// server runs at (its low three bits, so 0 to 7, of which OpenSSL knows 0 to 5), the rest is
/// the string. The same text goes through the OpenSSL 1.2 algebra, pgbouncer's keywords, the
/// TLS 1.3 suite list and the groups list, each checked for its invariants:
///
/// - spans lie inside the string, on character boundaries, and describe non-empty words;
/// - an accepted string enables at least one suite, each at most once, and a rejected one none;
/// - the level in force is at most 5, and suites it blocks are not among the negotiable ones;
/// - `openssl_v` has one line per suite;
/// - the suggested replacement of a string with weak suites is accepted and enables no weak
///   suite.
pub fn cipher_string(data: &[u8]) {
    let Some((&level, rest)) = data.split_first() else { return };
    let level = level & 7;
    let text = String::from_utf8_lossy(rest);
    let text = text.as_ref();

    for list in [crate::cipher::evaluate(text, level), crate::cipher::evaluate_pgbouncer(text, level)] {
        check_cipher_list(&list);
    }
    let tls13 = crate::cipher::parse_tls13(text);
    assert_eq!(tls13.accepted, !tls13.entries.is_empty(), "TLS 1.3 list accepted without entries");
    for (name, span) in &tls13.unknown {
        assert_span(text, *span, "unknown TLS 1.3 name");
        assert_eq!(&text[span.start..span.end], name, "TLS 1.3 unknown name and its span differ");
    }
    match crate::cipher::parse_groups(text) {
        Ok(names) => assert!(names.iter().all(|n| !n.is_empty()), "an empty group name accepted"),
        Err(e) => {
            assert_span(text, e.span(), "group error");
            assert!(!e.describe().is_empty());
        }
    }
    let _ = crate::cipher::check_ecdh_curve(text);
}

fn assert_span(text: &str, span: crate::Span, what: &str) {
    assert!(span.start <= span.end && span.end <= text.len(), "{what} span {span:?} outside the string");
    assert!(text.is_char_boundary(span.start) && text.is_char_boundary(span.end), "{what} span {span:?} splits a character");
}

fn check_cipher_list(list: &crate::cipher::CipherList) {
    let text = list.string.as_str();
    assert!(list.seclevel <= 5, "security level {} in force", list.seclevel);
    for w in &list.words {
        assert_span(text, w.span, "cipher word");
        assert_eq!(&text[w.span.start..w.span.end], w.text, "cipher word and its span differ");
    }
    match &list.error {
        Some(e) => {
            assert!(list.suites.is_empty(), "a rejected string enables suites");
            assert!(!e.describe(text).is_empty());
            if let crate::cipher::StringError::InvalidCommand { span, .. } = e {
                assert_span(text, *span, "invalid command");
            }
        }
        None => assert!(!list.suites.is_empty(), "an accepted string enables no suite"),
    }
    let mut names: Vec<&str> = list.suites.iter().map(|s| s.name).collect();
    crate::sorting::sort(&mut names);
    let before = names.len();
    names.dedup();
    assert_eq!(before, names.len(), "a suite enabled twice");
    assert_eq!(list.openssl_v().lines().count(), list.suites.len(), "openssl_v lines and suites differ");
    for s in list.negotiable() {
        assert!(s.blocked.is_none());
    }
    if list.accepted() && list.weak().next().is_some() {
        let fixed = list.without_weak_suites().expect("a replacement for a list with weak suites");
        let check = crate::cipher::evaluate(&fixed, list.seclevel);
        assert!(check.accepted(), "the replacement {fixed:?} is rejected");
        assert!(check.weak().next().is_none(), "the replacement {fixed:?} still enables weak suites");
    }
}
