//! Signature verification inside wasm32, in a headless browser: one RSA chain (the PostgreSQL
//! SSL test suite's) and one ECDSA chain (P-256 leaf and intermediate under a P-384 root).
//!
//! Run with `CHROMEDRIVER=/usr/bin/chromedriver CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER=wasm-bindgen-test-runner
//! cargo test -p pgtls-audit --target wasm32-unknown-unknown --test wasm_cert_chains`.
#![cfg(target_arch = "wasm32")]

use pgtls_audit::cert::libpq_verify;
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};

wasm_bindgen_test_configure!(run_in_browser);

const NOW: i64 = 1_893_456_000; // 2030-01-01, after the generated chain was made

const RSA_CHAIN: &[u8] = include_bytes!("fixtures/cert/pg-ssl/server-cn-only+server_ca.crt");
const RSA_ROOT: &[u8] = include_bytes!("fixtures/cert/pg-ssl/root_ca.crt");
const RSA_OTHER_ROOT: &[u8] = include_bytes!("fixtures/cert/pg-ssl/client_ca.crt");
const EC_CHAIN: &[u8] = include_bytes!("fixtures/cert/gen/ec-chain.crt");
const EC_ROOT: &[u8] = include_bytes!("fixtures/cert/gen/ec-root.crt");

#[wasm_bindgen_test]
fn rsa_chain_verifies_in_the_browser() {
    assert_eq!(libpq_verify(RSA_CHAIN, RSA_ROOT, None, Some("common-name.pg-ssltest.test"), 18, NOW), Ok(()));
    assert!(libpq_verify(RSA_CHAIN, RSA_OTHER_ROOT, None, None, 18, NOW).is_err());
}

#[wasm_bindgen_test]
fn ecdsa_chain_verifies_in_the_browser() {
    assert_eq!(libpq_verify(EC_CHAIN, EC_ROOT, None, Some("db.example.test"), 18, NOW), Ok(()));
    // A flipped bit in the leaf's signature must fail.
    let mut tampered = EC_CHAIN.to_vec();
    let text = String::from_utf8(tampered.clone()).unwrap();
    let end = text.find("-----END CERTIFICATE-----").unwrap();
    let pos = end - 10;
    tampered[pos] = if tampered[pos] == b'A' { b'B' } else { b'A' };
    assert!(libpq_verify(&tampered, EC_ROOT, None, None, 18, NOW).is_err());
}
