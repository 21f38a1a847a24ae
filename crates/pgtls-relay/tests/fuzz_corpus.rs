//! Replays the `relay_request` fuzz target's corpus (fuzz/corpus/relay_request/) and the crashes
//! it found (fuzz/regressions/relay_request/) on stable Rust, so that CI guards what fuzzing found.

use std::path::Path;

fn replay(target: &str, run: impl Fn(&[u8])) -> usize {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fuzz");
    let mut count = 0;
    for dir in ["corpus", "regressions"] {
        let Ok(entries) = std::fs::read_dir(root.join(dir).join(target)) else { continue };
        for entry in entries.flatten() {
            let bytes = std::fs::read(entry.path()).unwrap();
            run(&bytes);
            count += 1;
        }
    }
    count
}

#[test]
fn relay_request_corpus_replays_without_panics() {
    let n = replay("relay_request", pgtls_relay::fuzzing::request);
    println!("fuzz corpus relay_request: {n} inputs replayed");
    assert!(n > 0, "fuzz/corpus/relay_request is empty or missing");
}
