//! The benchmark fixtures and the analysis one iteration runs, shared by the native benchmark
//! (audit.rs) and the in-browser one (audit_browser.rs).

use pgtls_audit::{audit, AuditOptions, ColumnUnit, InputKind, Inputs, SourceFile};

/// The realistic set, with kinds given rather than detected so that the benchmark measures
/// the same work whatever detection learns.
pub const REALISTIC: &[(&str, InputKind, &[u8])] = &[
    (
        "postgresql.conf",
        InputKind::PostgresqlConf,
        include_bytes!("../fixtures/postgresql.conf"),
    ),
    (
        "pg_hba.conf",
        InputKind::PgHba,
        include_bytes!("../fixtures/pg_hba.conf"),
    ),
    (
        "server.crt",
        InputKind::Pem,
        include_bytes!("../fixtures/server.crt"),
    ),
    (
        "root.crt",
        InputKind::Pem,
        include_bytes!("../fixtures/root.crt"),
    ),
    (
        "connections.txt",
        InputKind::Conninfo,
        include_bytes!("../fixtures/connections.txt"),
    ),
];

/// The two sets and how many copies of the realistic set each holds.
pub const SETS: [(&str, usize); 2] = [("realistic", 1), ("large", 10)];

/// 2026-12-01T00:00:00Z: inside every fixture certificate's validity.
pub const NOW: i64 = 1_796_083_200;

pub type Files = Vec<(String, InputKind, &'static [u8])>;

pub fn files(copies: usize) -> Files {
    (0..copies)
        .flat_map(|copy| {
            REALISTIC.iter().map(move |&(name, kind, bytes)| {
                let name = if copies == 1 {
                    name.to_string()
                } else {
                    format!("set{copy:02}/{name}")
                };
                (name, kind, bytes)
            })
        })
        .collect()
}

// Only the native benchmark reports throughput.
#[cfg_attr(target_arch = "wasm32", allow(dead_code))]
pub fn total_bytes(files: &Files) -> usize {
    files.iter().map(|(_, _, b)| b.len()).sum()
}

pub fn options() -> AuditOptions {
    let mut options = AuditOptions::new(NOW);
    options.host = Some("db.example.com".to_string());
    options
}

/// What the page does on each edit: read the inputs into sources, audit, build the report.
/// Returns the number of diagnostics.
pub fn analyse(files: &Files, options: &AuditOptions) -> usize {
    let mut inputs = Inputs::new();
    for (name, kind, bytes) in files {
        inputs.push(SourceFile::new(name.clone(), *kind, bytes.to_vec()));
    }
    let analysis = audit(&inputs, options);
    let report = analysis.report(&inputs, ColumnUnit::Utf16);
    // Keep the report alive to the end so that building it is measured.
    std::hint::black_box(&report);
    analysis.diagnostics.len()
}
