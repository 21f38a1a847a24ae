//! Replays the `probe_reply` fuzz target's corpus (fuzz/corpus/probe_reply/) and the crashes it
//! found (fuzz/regressions/probe_reply/) on stable Rust, so that CI guards what fuzzing found.

use pgtls_testpg::fuzz_corpus::replay;

#[test]
fn probe_reply_corpus_replays_without_panics() {
    let n = replay("probe_reply", pgtls_probe::fuzzing::server_bytes);
    println!("fuzz corpus probe_reply: {n} inputs replayed");
    assert!(n > 0, "fuzz/corpus/probe_reply is empty or missing");
}

#[test]
fn hostile_server_bytes_keep_the_invariants() {
    let cases: Vec<Vec<u8>> = vec![
        Vec::new(),
        b"E".to_vec(),
        b"E\xff\xff\xff\xff".to_vec(),
        b"E\0\0\0\0\0".to_vec(),
        [b"E\0\x01\0\0".as_slice(), &vec![b'M'; 70_000]].concat(),
        b"\x16\x03\x03\xff\xff\x02".to_vec(),
        b"\x16\x03\x03\x00\x2a\x02\0\0\x26\x03\x03".to_vec(),
        b"\x15\x03\x01\0\0".to_vec(),
        (0..=255u8).collect(),
        vec![0; 4096],
    ];
    for case in &cases {
        pgtls_probe::fuzzing::server_bytes(case);
    }
}
