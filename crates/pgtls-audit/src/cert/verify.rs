//! Signature verification: RSA with the pure-Rust RustCrypto verifier (it runs in wasm32 as it
//! is), ECDSA and Ed25519 through [`super::curves`].

use rsa::{BigUint, Pkcs1v15Sign, Pss, RsaPublicKey};
use sha1::Sha1;
use sha2::{Digest, Sha224, Sha256, Sha384, Sha512};

use super::curves::{ecdsa_signature_to_fixed, Curve, CurveAnswer, CurveOp};
use super::x509::{HashAlg, KeyAlg, PublicKeyInfo, SigAlg};

const BAD: &str = "the signature does not verify with the issuer's key";

fn verify_on_curve(curve: Curve, hash: Option<HashAlg>, key: &[u8], message: &[u8], signature: Vec<u8>) -> Result<(), String> {
    let op = CurveOp::Verify { curve, hash, key: key.to_vec(), message: message.to_vec(), signature };
    match super::curves::answer(&op) {
        Some(CurveAnswer::Valid) => Ok(()),
        Some(CurveAnswer::Invalid) => Err(BAD.into()),
        Some(CurveAnswer::BadKey) => Err(format!("the issuer's {} key is not a valid point", curve.web_crypto_name())),
        Some(CurveAnswer::Unavailable(why)) => Err(why),
        Some(CurveAnswer::Public(_)) | None => Err("the signature has not been checked yet".into()),
    }
}

pub(super) fn digest(hash: HashAlg, data: &[u8]) -> Option<Vec<u8>> {
    Some(match hash {
        HashAlg::Sha1 => Sha1::digest(data).to_vec(),
        HashAlg::Sha224 => Sha224::digest(data).to_vec(),
        HashAlg::Sha256 => Sha256::digest(data).to_vec(),
        HashAlg::Sha384 => Sha384::digest(data).to_vec(),
        HashAlg::Sha512 => Sha512::digest(data).to_vec(),
        HashAlg::Md2 | HashAlg::Md5 => return None,
    })
}

fn rsa_key(key: &PublicKeyInfo) -> Result<RsaPublicKey, String> {
    let (n, e) = key.rsa.as_ref().ok_or("the issuer's RSA key is unreadable")?;
    // OpenSSL accepts moduli up to 16384 bits; the crate's default cap is 4096.
    RsaPublicKey::new_with_max_size(BigUint::from_bytes_be(n), BigUint::from_bytes_be(e), 16384)
        .map_err(|e| format!("the issuer's RSA key is unusable: {e}"))
}

/// Verifies `signature` over `signed` (a TBS structure) with `key`.
pub fn verify_signature(alg: &SigAlg, signed: &[u8], signature: &[u8], key: &PublicKeyInfo) -> Result<(), String> {
    match alg {
        SigAlg::RsaPkcs1(hash) => {
            if !matches!(key.alg, KeyAlg::Rsa) {
                return Err(format!("an RSA signature, but the issuer has a {} key", key.type_name()));
            }
            let hashed = digest(*hash, signed)
                .ok_or_else(|| format!("{} signatures are not verified (OpenSSL refuses them too)", hash.name()))?;
            let scheme = match hash {
                HashAlg::Sha1 => Pkcs1v15Sign::new::<Sha1>(),
                HashAlg::Sha224 => Pkcs1v15Sign::new::<Sha224>(),
                HashAlg::Sha256 => Pkcs1v15Sign::new::<Sha256>(),
                HashAlg::Sha384 => Pkcs1v15Sign::new::<Sha384>(),
                _ => Pkcs1v15Sign::new::<Sha512>(),
            };
            rsa_key(key)?.verify(scheme, &hashed, signature).map_err(|_| BAD.to_string())
        }
        SigAlg::RsaPss { hash, mgf_hash, salt_len } => {
            if !matches!(key.alg, KeyAlg::Rsa | KeyAlg::RsaPss) {
                return Err(format!("an RSA-PSS signature, but the issuer has a {} key", key.type_name()));
            }
            if hash != mgf_hash {
                return Err(format!(
                    "RSA-PSS with {} and MGF1-{} is not supported by this verifier",
                    hash.name(),
                    mgf_hash.name()
                ));
            }
            let hashed = digest(*hash, signed).ok_or("unsupported RSA-PSS digest")?;
            let scheme = match hash {
                HashAlg::Sha1 => Pss::new_with_salt::<Sha1>(*salt_len),
                HashAlg::Sha224 => Pss::new_with_salt::<Sha224>(*salt_len),
                HashAlg::Sha256 => Pss::new_with_salt::<Sha256>(*salt_len),
                HashAlg::Sha384 => Pss::new_with_salt::<Sha384>(*salt_len),
                _ => Pss::new_with_salt::<Sha512>(*salt_len),
            };
            rsa_key(key)?.verify(scheme, &hashed, signature).map_err(|_| BAD.to_string())
        }
        SigAlg::Ecdsa(hash) => {
            if key.alg != KeyAlg::Ec {
                return Err(format!("an ECDSA signature, but the issuer has a {} key", key.type_name()));
            }
            if matches!(hash, HashAlg::Md2 | HashAlg::Md5) {
                return Err("unsupported ECDSA digest".into());
            }
            let Some(curve) = key.curve.as_deref().and_then(Curve::from_openssl_name) else {
                return Err(format!(
                    "ECDSA on {} is not verified here (P-256 and P-384 are)",
                    key.curve.as_deref().unwrap_or("an unknown curve")
                ));
            };
            let signature =
                ecdsa_signature_to_fixed(curve, signature).ok_or_else(|| "the ECDSA signature is malformed".to_string())?;
            verify_on_curve(curve, Some(*hash), &key.point, signed, signature)
        }
        SigAlg::Ed25519 => {
            if key.alg != KeyAlg::Ed25519 {
                return Err(format!("an Ed25519 signature, but the issuer has a {} key", key.type_name()));
            }
            if key.point.len() != 32 {
                return Err("the issuer's Ed25519 key is not 32 bytes".into());
            }
            if signature.len() != 64 {
                return Err("the Ed25519 signature is malformed".into());
            }
            verify_on_curve(Curve::Ed25519, None, &key.point, signed, signature.to_vec())
        }
        SigAlg::Ed448 => Err("Ed448 signatures are not verified here".into()),
        SigAlg::Dsa(_) => Err("DSA signatures are not verified here".into()),
        SigAlg::Unknown(oid) => Err(format!("unknown signature algorithm {oid}")),
    }
}
