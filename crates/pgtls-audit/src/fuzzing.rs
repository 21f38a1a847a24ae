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
