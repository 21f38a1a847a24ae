//! The engine's curve operations (ECDSA P-256/P-384 and Ed25519 signature checks, a private
//! key's public half) answered by the browser's Web Crypto, in the worker or the page alike.
//! The engine leaves this arithmetic out of the page's wasm (`pgtls_audit::cert::curves`).

use js_sys::{Object, Reflect, Uint8Array};
use pgtls_audit::cert::curves::{private_key_info, Curve, CurveAnswer, CurveOp};
use pgtls_audit::cert::x509::HashAlg;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{CryptoKey, SubtleCrypto};

/// `crypto.subtle`, which exists only in secure contexts (`crypto` itself exists everywhere).
fn subtle() -> Option<SubtleCrypto> {
    let crypto = Reflect::get(&js_sys::global(), &JsValue::from_str("crypto")).ok()?;
    Reflect::get(&crypto, &JsValue::from_str("subtle")).ok()?.dyn_into::<SubtleCrypto>().ok()
}

fn object(fields: &[(&str, &str)]) -> Object {
    let o = Object::new();
    for (k, v) in fields {
        let _ = Reflect::set(&o, &JsValue::from_str(k), &JsValue::from_str(v));
    }
    o
}

/// The algorithm a key is imported with.
fn key_algorithm(curve: Curve) -> Object {
    match curve {
        Curve::Ed25519 => object(&[("name", "Ed25519")]),
        _ => object(&[("name", "ECDSA"), ("namedCurve", curve.web_crypto_name())]),
    }
}

fn hash_name(hash: HashAlg) -> Option<&'static str> {
    match hash {
        HashAlg::Sha1 => Some("SHA-1"),
        HashAlg::Sha256 => Some("SHA-256"),
        HashAlg::Sha384 => Some("SHA-384"),
        HashAlg::Sha512 => Some("SHA-512"),
        // Web Crypto has no SHA-224 (nor MD5 or MD2, which the engine refuses anyway).
        HashAlg::Sha224 | HashAlg::Md2 | HashAlg::Md5 => None,
    }
}

async fn promise(p: Result<js_sys::Promise, JsValue>) -> Result<JsValue, JsValue> {
    JsFuture::from(p?).await
}

fn usages(usage: &str) -> JsValue {
    js_sys::Array::of1(&JsValue::from_str(usage)).into()
}

/// Computes one operation. Web Crypto's errors become answers: a key it will not import is
/// not a point on the curve; a private key it will not import is not valid.
pub async fn answer(op: &CurveOp) -> CurveAnswer {
    let Some(subtle) = subtle() else {
        // Browsers offer Web Crypto only in secure contexts: https, localhost, a file.
        return CurveAnswer::Unavailable(
            "not checked: this page has no Web Crypto for ECDSA and Ed25519 (browsers offer it over https, \
             from localhost or from a file, not over plain http); `pgtls audit` checks it"
                .into(),
        );
    };
    match op {
        CurveOp::Verify { curve, hash, key, message, signature } => {
            let algorithm = match (curve, hash) {
                (Curve::Ed25519, _) => key_algorithm(Curve::Ed25519),
                (_, Some(h)) => match hash_name(*h) {
                    Some(name) => object(&[("name", "ECDSA"), ("hash", name)]),
                    None => {
                        return CurveAnswer::Unavailable(format!(
                            "ECDSA with {} is not checked in the browser (Web Crypto has no {0}); `pgtls audit` checks it",
                            h.name()
                        ))
                    }
                },
                (_, None) => return CurveAnswer::Unavailable("an ECDSA signature without a digest".into()),
            };
            let raw = Uint8Array::from(key.as_slice());
            let imported =
                promise(subtle.import_key_with_object("raw", &raw, &key_algorithm(*curve), false, &usages("verify"))).await;
            let Ok(Ok(key)) = imported.map(|k| k.dyn_into::<CryptoKey>()) else { return CurveAnswer::BadKey };
            match promise(subtle.verify_with_object_and_u8_array_and_u8_array(&algorithm, &key, signature, message)).await {
                Ok(v) if v.as_bool() == Some(true) => CurveAnswer::Valid,
                Ok(_) => CurveAnswer::Invalid,
                Err(e) => CurveAnswer::Unavailable(format!("Web Crypto could not check the signature: {}", describe(&e))),
            }
        }
        CurveOp::PublicKey { curve, private } => {
            let invalid = || CurveAnswer::Unavailable("the private key is not valid for its curve".into());
            let info = Uint8Array::from(private_key_info(*curve, private).as_slice());
            let imported =
                promise(subtle.import_key_with_object("pkcs8", &info, &key_algorithm(*curve), true, &usages("sign"))).await;
            let Ok(Ok(key)) = imported.map(|k| k.dyn_into::<CryptoKey>()) else { return invalid() };
            let Ok(jwk) = promise(subtle.export_key("jwk", &key)).await else { return invalid() };
            let coordinate = |name: &str| {
                Reflect::get(&jwk, &JsValue::from_str(name)).ok()?.as_string().and_then(|b64| {
                    use base64::Engine;
                    base64::engine::general_purpose::URL_SAFE_NO_PAD.decode(b64).ok()
                })
            };
            let public = match curve {
                Curve::Ed25519 => coordinate("x"),
                _ => coordinate("x").zip(coordinate("y")).map(|(x, y)| [&[4u8][..], &x, &y].concat()),
            };
            public.map_or_else(invalid, CurveAnswer::Public)
        }
    }
}

fn describe(e: &JsValue) -> String {
    Reflect::get(e, &JsValue::from_str("message")).ok().and_then(|m| m.as_string()).unwrap_or_else(|| format!("{e:?}"))
}

/// Answers every operation, all at once (Web Crypto works off the calling thread), and hands
/// the answers to the engine.
pub async fn answer_all(ops: Vec<CurveOp>) {
    let answers = futures::future::join_all(ops.iter().map(answer)).await;
    pgtls_audit::cert::curves::remember(ops.into_iter().zip(answers).collect());
}
