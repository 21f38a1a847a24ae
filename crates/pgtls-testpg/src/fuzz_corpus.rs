//! The fuzzers' corpora (fuzz/corpus/TARGET/) and the crashes they found
//! (fuzz/regressions/TARGET/), for the tests that replay them on stable Rust in each crate.

use std::path::Path;

/// Runs `run` on every file of the target's corpus and regressions; returns how many it ran.
/// A missing directory counts as empty, so that the caller decides whether that is an error.
pub fn replay(target: &str, run: impl Fn(&[u8])) -> usize {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fuzz");
    let mut count = 0;
    for dir in ["corpus", "regressions"] {
        let Ok(entries) = std::fs::read_dir(root.join(dir).join(target)) else { continue };
        for entry in entries.flatten() {
            let bytes = std::fs::read(entry.path())
                .unwrap_or_else(|e| panic!("{}: {e}", entry.path().display()));
            run(&bytes);
            count += 1;
        }
    }
    count
}
