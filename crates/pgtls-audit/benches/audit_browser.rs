//! The same analysis as audit.rs, compiled to wasm32 and run in headless Chromium, as the page
//! runs it: the large set must fit in one frame (16 ms).
//!
//! `cargo xtask bench` runs it with wasm-bindgen-test-runner:
//! `cargo bench --target wasm32-unknown-unknown -p pgtls-audit --bench audit_browser`.
//! Natively this target is empty.

#![cfg(target_arch = "wasm32")]

mod common;

use wasm_bindgen_test::{wasm_bindgen_bench, wasm_bindgen_test_configure, Criterion};

wasm_bindgen_test_configure!(run_in_browser);

#[wasm_bindgen_bench]
fn audit_in_the_browser(c: &mut Criterion) {
    let options = common::options();
    for (set, copies) in common::SETS {
        let files = common::files(copies);
        c.bench_function(&format!("browser/{set}"), |b| {
            b.iter(|| common::analyse(std::hint::black_box(&files), &options))
        });
    }
}
