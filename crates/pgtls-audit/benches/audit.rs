//! The whole audit over the benchmark fixtures, natively: the realistic set (a PostgreSQL 18
//! postgresql.conf with TLS filled in, a 1,000-line pg_hba.conf, a 3-certificate chain and 20
//! connection strings) and the large set (ten copies of it). One iteration is what the page
//! does on each edit: read the inputs into sources, audit, and build the report.
//!
//! `cargo xtask bench` runs this and writes docs/performance.md from criterion's estimates.

mod common;

use criterion::{criterion_group, criterion_main, Criterion, Throughput};

fn bench(c: &mut Criterion) {
    let options = common::options();
    let mut group = c.benchmark_group("audit");
    for (set, copies) in common::SETS {
        let files = common::files(copies);
        let bytes = common::total_bytes(&files);
        // What the engine found, for the record next to the timings.
        println!(
            "pgtls-bench {set}: {} files, {bytes} bytes, {} diagnostics",
            files.len(),
            common::analyse(&files, &options)
        );
        group.throughput(Throughput::Bytes(bytes as u64));
        group.bench_function(set, |b| {
            b.iter(|| common::analyse(std::hint::black_box(&files), &options))
        });
    }
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
