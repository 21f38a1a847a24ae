//! The engine's curve operations answered by the browser's Web Crypto, as the page does it:
//! ECDSA and Ed25519 chains verify (and a tampered one does not), and the public half of
//! private keys stored without it is computed. Run in headless Chromium by `cargo xtask test`.
#![cfg(target_arch = "wasm32")]

use pgtls_audit::cert::{curves, keys, libpq_verify, pem, read_certificates};
use pgtls_audit::source::{Location, Span};
use pgtls_web::infra::web_crypto;
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};

wasm_bindgen_test_configure!(run_in_browser);

const NOW: i64 = 1_893_456_000; // 2030-01-01

macro_rules! fixture {
    ($name:literal) => {
        include_bytes!(concat!("../crates/pgtls-audit/tests/fixtures/cert/gen/", $name))
    };
}

const EC_CHAIN: &[u8] = fixture!("ec-chain.crt");
const EC_ROOT: &[u8] = fixture!("ec-root.crt");
const ED_LEAF: &[u8] = fixture!("ed-leaf.crt");
const ED_ROOT: &[u8] = fixture!("ed-root.crt");
const ED_LEAF_KEY: &[u8] = fixture!("ed-leaf.key");
const P384_KEY: &[u8] = fixture!("p384-nopublic.key");
const P384_CERT: &[u8] = fixture!("p384-self.crt");

/// Runs `check` until the engine asks for nothing more, answering it with Web Crypto between
/// runs, as the page's service does.
async fn with_web_crypto<T>(check: impl Fn() -> T) -> T {
    for _ in 0..8 {
        let result = check();
        let ops = curves::take_unanswered();
        if ops.is_empty() {
            return result;
        }
        web_crypto::answer_all(ops).await;
    }
    panic!("the engine kept asking for curve operations");
}

fn tampered(pem_text: &[u8]) -> Vec<u8> {
    let mut bytes = pem_text.to_vec();
    let end = String::from_utf8_lossy(pem_text).find("-----END CERTIFICATE-----").unwrap();
    let pos = end - 10;
    bytes[pos] = if bytes[pos] == b'A' { b'B' } else { b'A' };
    bytes
}

fn public_point_of_key(pem_text: &[u8]) -> Option<Vec<u8>> {
    let (blocks, errors) = pem::scan(0, std::str::from_utf8(pem_text).unwrap());
    assert!(errors.is_empty(), "{errors:?}");
    let block = &blocks[0];
    // Until the engine has the answer, a SEC1 key without its public half does not read.
    let key = keys::from_pem(&block.label, &block.der, false, Location::new(0, Span::at(0))).ok()?;
    key.public.map(|p| p.point)
}

#[wasm_bindgen_test]
async fn ecdsa_chain_verifies_with_web_crypto() {
    let verdict = with_web_crypto(|| libpq_verify(EC_CHAIN, EC_ROOT, None, Some("db.example.test"), 18, NOW)).await;
    assert_eq!(verdict, Ok(()));
    let broken = tampered(EC_CHAIN);
    let verdict = with_web_crypto(|| libpq_verify(&broken, EC_ROOT, None, None, 18, NOW)).await;
    let message = verdict.unwrap_err();
    assert!(message.contains("signature"), "{message}");
    assert!(!message.contains("not been checked"), "{message}");
}

#[wasm_bindgen_test]
async fn ed25519_chain_verifies_with_web_crypto() {
    let verdict = with_web_crypto(|| libpq_verify(ED_LEAF, ED_ROOT, None, Some("db.example.test"), 18, NOW)).await;
    assert_eq!(verdict, Ok(()));
    let broken = tampered(ED_LEAF);
    assert!(with_web_crypto(|| libpq_verify(&broken, ED_ROOT, None, None, 18, NOW)).await.is_err());
    // Another root of another algorithm is no issuer of it.
    assert!(with_web_crypto(|| libpq_verify(ED_LEAF, EC_ROOT, None, None, 18, NOW)).await.is_err());
}

#[wasm_bindgen_test]
async fn keys_without_their_public_half_get_it_from_web_crypto() {
    let ed = with_web_crypto(|| public_point_of_key(ED_LEAF_KEY)).await;
    assert_eq!(ed, Some(read_certificates(ED_LEAF)[0].key.point.clone()));
    let p384 = with_web_crypto(|| public_point_of_key(P384_KEY)).await;
    assert_eq!(p384, Some(read_certificates(P384_CERT)[0].key.point.clone()));
}
