//! Whole reports, snapshotted (insta): PostgreSQL's own samples by version, the example sets,
//! and one realistic file of every platform kind. A change in any rule's output shows up here
//! as a reviewable diff (`cargo insta review`, or INSTA_UPDATE=always to accept).

use std::fmt::Write;
use std::path::{Path, PathBuf};

use pgtls_audit::{audit, AuditOptions, ColumnUnit, Inputs};

/// 2026-06-01T00:00:00Z: a fixed clock so that certificate findings do not drift.
const NOW: i64 = 1_780_272_000;

fn manifest() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// A compact rendering: score, checklist, then one line per finding.
fn render(inputs: &Inputs, pg_version: u32, host: Option<&str>) -> String {
    let mut options = AuditOptions::new(NOW);
    options.pg_version = pg_version;
    options.host = host.map(str::to_string);
    let analysis = audit(inputs, &options);
    let report = analysis.report(inputs, ColumnUnit::Utf8);
    let mut out = format!("score {} grade {}\n", report.score, report.grade);
    for e in &report.checklist {
        let _ = writeln!(out, "item {} {}", e.item, e.status.as_str());
    }
    for i in &report.inputs {
        let _ = writeln!(out, "input {} {}", Path::new(&i.file).file_name().unwrap().to_string_lossy(), i.kind);
    }
    for f in &report.findings {
        let file = Path::new(&f.file).file_name().map_or(f.file.clone(), |n| n.to_string_lossy().into_owned());
        let _ = writeln!(out, "{} {} {}:{}:{} {}", f.rule, f.severity, file, f.line, f.column, f.message);
    }
    out
}

/// Inputs named by their file name only, so that no checkout path reaches a snapshot.
fn inputs_of(paths: &[PathBuf]) -> Inputs {
    let mut inputs = Inputs::new();
    for p in paths {
        let name = p.file_name().unwrap().to_string_lossy().into_owned();
        inputs.push_detected(name, std::fs::read(p).unwrap());
    }
    inputs
}

#[test]
fn postgresql_samples_by_version() {
    let corpus = manifest().join("tests/fixtures/corpus/by-version");
    for version in 14..=19 {
        let dir = corpus.join(format!("REL_{version}_STABLE"));
        let conf = std::fs::read_to_string(dir.join("postgresql.conf.sample")).unwrap();
        // initdb fills the pg_hba placeholders; do it as `initdb --auth-local=peer --auth-host=scram-sha-256`.
        let hba = std::fs::read_to_string(dir.join("pg_hba.conf.sample"))
            .unwrap()
            .replace("@authcomment@", "")
            .replace("@authmethodlocal@", "peer")
            .replace("@authmethodhost@", "scram-sha-256")
            .replace("@remove-line-for-nolocal@", "");
        let mut inputs = Inputs::new();
        inputs.push_detected("postgresql.conf", conf);
        inputs.push_detected("pg_hba.conf", hba);
        insta::assert_snapshot!(format!("sample_pg{version}"), render(&inputs, version, None));
    }
}

#[test]
fn example_sets() {
    let examples = manifest().join("../../examples");
    for set in ["weak", "strong"] {
        let files = ["postgresql.conf", "pg_hba.conf", "clients.txt"].map(|f| examples.join(set).join(f));
        insta::assert_snapshot!(format!("example_{set}"), render(&inputs_of(&files), 17, Some("db.example.com")));
    }
}

#[test]
fn platform_fixtures() {
    let dir = manifest().join("tests/fixtures/platform");
    let mut names: Vec<String> =
        std::fs::read_dir(&dir).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
    names.sort();
    for name in names {
        let inputs = inputs_of(&[dir.join(&name)]);
        let snapshot = name.replace(['.', '-'], "_");
        insta::assert_snapshot!(format!("platform_{snapshot}"), render(&inputs, 16, Some("orders-rw.prod.svc")));
    }
}
