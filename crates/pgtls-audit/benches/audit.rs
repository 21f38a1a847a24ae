//! The whole audit over the benchmark fixtures: the realistic set (a PostgreSQL 18
//! postgresql.conf with TLS filled in, a 1,000-line pg_hba.conf, a 3-certificate chain and 20
//! connection strings) and the large set (ten copies of it). One iteration is what the page
//! does on each edit: read the inputs into sources, audit, and build the report.
//!
//! `cargo xtask bench` runs this and writes docs/performance.md from criterion's estimates.

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use pgtls_audit::{audit, AuditOptions, ColumnUnit, InputKind, Inputs, SourceFile};

/// The realistic set, with kinds given rather than detected so that the benchmark measures
/// the same work whatever detection learns.
const REALISTIC: &[(&str, InputKind, &[u8])] = &[
    (
        "postgresql.conf",
        InputKind::PostgresqlConf,
        include_bytes!("fixtures/postgresql.conf"),
    ),
    (
        "pg_hba.conf",
        InputKind::PgHba,
        include_bytes!("fixtures/pg_hba.conf"),
    ),
    (
        "server.crt",
        InputKind::Pem,
        include_bytes!("fixtures/server.crt"),
    ),
    (
        "root.crt",
        InputKind::Pem,
        include_bytes!("fixtures/root.crt"),
    ),
    (
        "connections.txt",
        InputKind::Conninfo,
        include_bytes!("fixtures/connections.txt"),
    ),
];

/// How many copies of the realistic set make the large one.
const LARGE_COPIES: usize = 10;

/// 2026-12-01T00:00:00Z: inside every fixture certificate's validity.
const NOW: i64 = 1_796_083_200;

fn files(copies: usize) -> Vec<(String, InputKind, &'static [u8])> {
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

fn analyse(files: &[(String, InputKind, &'static [u8])], options: &AuditOptions) -> usize {
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

fn bench(c: &mut Criterion) {
    let mut options = AuditOptions::new(NOW);
    options.host = Some("db.example.com".to_string());
    let mut group = c.benchmark_group("audit");
    for (set, copies) in [("realistic", 1), ("large", LARGE_COPIES)] {
        let files = files(copies);
        let bytes: usize = files.iter().map(|(_, _, b)| b.len()).sum();
        // What the engine found, for the record next to the timings.
        println!(
            "pgtls-bench {set}: {} files, {bytes} bytes, {} diagnostics",
            files.len(),
            analyse(&files, &options)
        );
        group.throughput(Throughput::Bytes(bytes as u64));
        group.bench_function(set, |b| {
            b.iter(|| analyse(std::hint::black_box(&files), &options))
        });
    }
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
