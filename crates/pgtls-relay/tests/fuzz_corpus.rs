//! Replays the `relay_request` fuzz target's corpus (fuzz/corpus/relay_request/) and the crashes
//! it found (fuzz/regressions/relay_request/) on stable Rust, so that CI guards what fuzzing found.

use pgtls_testpg::fuzz_corpus::replay;

#[test]
fn relay_request_corpus_replays_without_panics() {
    let n = replay("relay_request", pgtls_relay::fuzzing::request);
    println!("fuzz corpus relay_request: {n} inputs replayed");
    assert!(n > 0, "fuzz/corpus/relay_request is empty or missing");
}
