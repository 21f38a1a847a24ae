//! Replays the `share_link` fuzzer's corpus (fuzz/corpus/share_link) and the crashes it found
//! (fuzz/regressions/share_link) on stable Rust, so that CI guards what fuzzing found.
#![cfg(not(target_arch = "wasm32"))]

#[test]
fn share_link_corpus_replays_with_its_invariants() {
    let n = pgtls_testpg::fuzz_corpus::replay("share_link", pgtls_web::fuzzing::share_link);
    println!("fuzz corpus share_link: {n} inputs replayed");
    assert!(n > 0, "fuzz/corpus/share_link is empty or missing");
}
