//! Replays the fuzzers' corpus (fuzz/corpus/TARGET/*) and the crashes they found
//! (fuzz/regressions/TARGET/*) on stable Rust, so that CI guards what fuzzing found.

use pgtls_audit::fuzzing::{audit_bytes, audit_files, check_invariants_at};
use pgtls_audit::{InputKind, Inputs, SourceFile};
use pgtls_testpg::fuzz_corpus::replay;

#[test]
fn fuzz_corpus_replays_without_panics() {
    let kinds: [(&str, Option<InputKind>, &str); 7] = [
        ("conf", Some(InputKind::PostgresqlConf), "postgresql.conf"),
        ("hba", Some(InputKind::PgHba), "pg_hba.conf"),
        ("conninfo", Some(InputKind::Conninfo), "conn.txt"),
        ("pem", Some(InputKind::Pem), "server.crt"),
        ("der", Some(InputKind::Der), "server.der"),
        ("platform", Some(InputKind::Platform), "manifest.yaml"),
        ("detect", None, "input"),
    ];
    let mut total = 0;
    for (target, kind, name) in kinds {
        let n = replay(target, |b| audit_bytes(kind, name, b));
        println!("fuzz corpus {target}: {n} inputs replayed");
        total += n;
    }
    total += replay("files", audit_files);
    println!("fuzz corpus: {total} inputs replayed");
}

#[test]
fn cipher_string_corpus_replays_without_panics() {
    let n = replay("ciphers", pgtls_audit::fuzzing::cipher_string);
    println!("fuzz corpus ciphers: {n} inputs replayed");
    assert!(n > 0, "fuzz/corpus/ciphers is empty or missing");
}

#[test]
fn hostile_cipher_strings_keep_the_invariants() {
    let long = format!("\u{1}{}", "HIGH:!aNULL:".repeat(100_000));
    let cases: [&[u8]; 10] = [
        b"",
        b"\x05",
        b"\x01HIGH:MEDIUM:+3DES:!aNULL",
        b"\x07ALL:COMPLEMENTOFALL:@SECLEVEL=0",
        b"\x00\xff\xfe:HIGH",
        "\u{1}é+AES:!é:@SECLEVEL=é".as_bytes(),
        b"\x02+!-@:,; ",
        b"\x03DEFAULT:@STRENGTH:+RC4:!eNULL",
        b"\x04TLS_AES_128_GCM_SHA256:X25519:X25519",
        long.as_bytes(),
    ];
    for case in cases {
        pgtls_audit::fuzzing::cipher_string(case);
    }
}

#[test]
fn hostile_inputs_never_panic() {
    let cases: Vec<Vec<u8>> = vec![
        Vec::new(),
        vec![0; 4096],
        (0..=255u8).cycle().take(65536).collect(),
        b"include 'postgresql.conf'\n".to_vec(),
        b"host all all 0.0.0.0/0 \"unterminated\n".to_vec(),
        b"-----BEGIN CERTIFICATE-----\nnot base64\n-----END CERTIFICATE-----\n".to_vec(),
        b"postgresql://%00@host/db?sslmode=%zz".to_vec(),
        "é\u{0}ü\r\n\\\n'".as_bytes().to_vec(),
    ];
    for kind in InputKind::ALL {
        for case in &cases {
            audit_bytes(Some(kind), "input", case);
        }
    }
    for case in &cases {
        audit_bytes(None, "input", case);
        audit_files(case);
    }
}

#[test]
fn ten_megabyte_lines_never_panic() {
    let long_line = "a".repeat(10 * 1024 * 1024);
    let texts = [long_line.clone(), format!("ssl_ciphers = '{long_line}"), format!("host all all {long_line} trust")];
    for kind in InputKind::ALL {
        for text in &texts {
            let mut inputs = Inputs::new();
            inputs.push(SourceFile::from_text("big", kind, text.clone()));
            check_invariants_at(&inputs, &[18]);
        }
    }
}
