//! Elliptic-curve and Ed25519 operations: checking a signature, and computing the public half
//! of a private key.
//!
//! With the `curves` feature (the CLI, the relay, the tests) the RustCrypto crates compute them
//! here. The page builds without it: their arithmetic is about a tenth of its wasm (P-384's
//! alone is 87 KB), and the browser's Web Crypto does the same work natively. Web Crypto is
//! asynchronous and the audit is not, so without the feature an operation is answered from
//! what the host supplied ([`remember`]); one that is not known yet is recorded
//! ([`take_unanswered`]) and answered as not checked. The host computes the recorded
//! operations and runs the audit again; [`CertModel::build`](super::CertModel::build) asks for
//! every signature a chain could need before it builds one, so that a second run has them all.

use super::x509::HashAlg;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Curve {
    P256,
    P384,
    Ed25519,
}

impl Curve {
    /// The curve of an EC key by OpenSSL's name; Ed25519 keys have their own algorithm.
    pub fn from_openssl_name(name: &str) -> Option<Curve> {
        match name {
            "prime256v1" => Some(Curve::P256),
            "secp384r1" => Some(Curve::P384),
            _ => None,
        }
    }

    /// Web Crypto's name (`namedCurve` for ECDSA, the algorithm name for Ed25519).
    pub fn web_crypto_name(self) -> &'static str {
        match self {
            Curve::P256 => "P-256",
            Curve::P384 => "P-384",
            Curve::Ed25519 => "Ed25519",
        }
    }

    /// Bytes of a scalar (and of r and s in an ECDSA signature).
    pub fn scalar_len(self) -> usize {
        match self {
            Curve::P256 | Curve::Ed25519 => 32,
            Curve::P384 => 48,
        }
    }

    /// The order n of the base point, big-endian (ECDSA's r and s lie in 1..n).
    fn order(self) -> &'static [u8] {
        match self {
            Curve::P256 => &[
                0xff, 0xff, 0xff, 0xff, 0x00, 0x00, 0x00, 0x00, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xbc, 0xe6,
                0xfa, 0xad, 0xa7, 0x17, 0x9e, 0x84, 0xf3, 0xb9, 0xca, 0xc2, 0xfc, 0x63, 0x25, 0x51,
            ],
            Curve::P384 => &[
                0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
                0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xc7, 0x63, 0x4d, 0x81, 0xf4, 0x37, 0x2d, 0xdf, 0x58, 0x1a, 0x0d, 0xb2,
                0x48, 0xb0, 0xa7, 0x7a, 0xec, 0xec, 0x19, 0x6a, 0xcc, 0xc5, 0x29, 0x73,
            ],
            Curve::Ed25519 => &[
                0x10, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x14, 0xde,
                0xf9, 0xde, 0xa2, 0xf7, 0x9c, 0xd6, 0x58, 0x12, 0x63, 0x1a, 0x5c, 0xf5, 0xd3, 0xed,
            ],
        }
    }
}

/// An operation on a curve the audit needs the answer to.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum CurveOp {
    /// Does `signature` over `message` verify with the public `key`? `key` is the SEC1 point
    /// (the raw 32 bytes for Ed25519); an ECDSA `signature` is r‖s, each `scalar_len` bytes,
    /// over the `hash` of the message (Ed25519 has none).
    Verify { curve: Curve, hash: Option<HashAlg>, key: Vec<u8>, message: Vec<u8>, signature: Vec<u8> },
    /// The public key of a private key: the EC scalar or the Ed25519 seed, big-endian as the
    /// key file holds it ([`private_key_info`] wraps it for hosts that want PKCS#8).
    PublicKey { curve: Curve, private: Vec<u8> },
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CurveAnswer {
    Valid,
    Invalid,
    /// The public key of a [`CurveOp::Verify`] is not a point on its curve.
    BadKey,
    /// The public key of a [`CurveOp::PublicKey`]: an uncompressed SEC1 point, or 32 bytes for
    /// Ed25519.
    Public(Vec<u8>),
    /// Not computed, and why (an invalid private key, a digest the host does not have).
    Unavailable(String),
}

/// ECDSA-Sig-Value ::= SEQUENCE { r INTEGER, s INTEGER } in strict DER, as r‖s of the curve's
/// scalar size; None when it is malformed or r or s is outside 1..n. This is the check the
/// RustCrypto `ecdsa` crate makes before it verifies (a test holds the two equal), so that a
/// signature is called malformed alike wherever the arithmetic runs.
pub fn ecdsa_signature_to_fixed(curve: Curve, der_signature: &[u8]) -> Option<Vec<u8>> {
    use der::asn1::UintRef;
    use der::{Decode, Reader, SliceReader};

    let mut reader = SliceReader::new(der_signature).ok()?;
    let header = der::Header::decode(&mut reader).ok()?;
    header.tag.assert_eq(der::Tag::Sequence).ok()?;
    let (r, s) = reader
        .read_nested(header.length, |inner| Ok((UintRef::decode(inner)?, UintRef::decode(inner)?)))
        .ok()?;
    reader.finish(()).ok()?;
    let size = curve.scalar_len();
    let mut fixed = Vec::with_capacity(2 * size);
    for int in [r, s] {
        let bytes = int.as_bytes();
        if bytes.len() > size || bytes.iter().all(|b| *b == 0) {
            return None;
        }
        let mut padded = vec![0u8; size - bytes.len()];
        padded.extend_from_slice(bytes);
        if padded.as_slice() >= curve.order() {
            return None;
        }
        fixed.extend_from_slice(&padded);
    }
    Some(fixed)
}

/// The answer to `op`; None when it is not known yet (only without the `curves` feature).
pub fn answer(op: &CurveOp) -> Option<CurveAnswer> {
    #[cfg(feature = "curves")]
    {
        Some(native::answer(op))
    }
    #[cfg(not(feature = "curves"))]
    {
        supplied::answer(op)
    }
}

/// The operations asked for and not answered since the last call.
pub fn take_unanswered() -> Vec<CurveOp> {
    #[cfg(feature = "curves")]
    {
        Vec::new()
    }
    #[cfg(not(feature = "curves"))]
    {
        supplied::take_unanswered()
    }
}

/// Keeps the host's answers for later audits.
pub fn remember(answers: Vec<(CurveOp, CurveAnswer)>) {
    #[cfg(feature = "curves")]
    {
        let _ = answers;
    }
    #[cfg(not(feature = "curves"))]
    {
        supplied::remember(answers);
    }
}

#[cfg(not(feature = "curves"))]
mod supplied {
    //! The host's answers. An answer depends on nothing but its operation, so keeping them
    //! between audits is a cache, not state: edits that leave the certificates alone need no
    //! new round trip to the host.

    use std::cell::RefCell;
    use std::collections::{HashMap, HashSet};

    use super::{CurveAnswer, CurveOp};

    /// Answers kept from earlier batches; a batch that would pass it starts the cache over,
    /// and is kept whole, so that the audit that asked for it finds every answer.
    const KEPT: usize = 4096;

    thread_local! {
        static ANSWERS: RefCell<HashMap<CurveOp, CurveAnswer>> = RefCell::new(HashMap::new());
        static UNANSWERED: RefCell<HashSet<CurveOp>> = RefCell::new(HashSet::new());
    }

    pub fn answer(op: &CurveOp) -> Option<CurveAnswer> {
        let known = ANSWERS.with(|a| a.borrow().get(op).cloned());
        if known.is_none() {
            UNANSWERED.with(|u| {
                let mut u = u.borrow_mut();
                if !u.contains(op) {
                    u.insert(op.clone());
                }
            });
        }
        known
    }

    pub fn take_unanswered() -> Vec<CurveOp> {
        UNANSWERED.with(|u| u.borrow_mut().drain().collect())
    }

    pub fn remember(answers: Vec<(CurveOp, CurveAnswer)>) {
        ANSWERS.with(|a| {
            let mut a = a.borrow_mut();
            if a.len() + answers.len() > KEPT {
                a.clear();
            }
            a.extend(answers);
        });
    }
}

#[cfg(feature = "curves")]
mod native {
    use super::{Curve, CurveAnswer, CurveOp};
    use crate::cert::verify::digest;

    fn verified(ok: bool) -> CurveAnswer {
        if ok {
            CurveAnswer::Valid
        } else {
            CurveAnswer::Invalid
        }
    }

    pub fn answer(op: &CurveOp) -> CurveAnswer {
        use p256::ecdsa::signature::hazmat::PrehashVerifier;
        use p256::elliptic_curve::sec1::ToEncodedPoint;
        match op {
            CurveOp::Verify { curve: Curve::Ed25519, key, message, signature, .. } => {
                use ed25519_dalek::Verifier;
                let Ok(bytes) = <[u8; 32]>::try_from(key.as_slice()) else { return CurveAnswer::BadKey };
                let Ok(key) = ed25519_dalek::VerifyingKey::from_bytes(&bytes) else { return CurveAnswer::BadKey };
                let Ok(signature) = ed25519_dalek::Signature::from_slice(signature) else { return CurveAnswer::Invalid };
                verified(key.verify(message, &signature).is_ok())
            }
            CurveOp::Verify { curve, hash, key, message, signature } => {
                let Some(hashed) = hash.and_then(|h| digest(h, message)) else {
                    return CurveAnswer::Unavailable("unsupported ECDSA digest".into());
                };
                if *curve == Curve::P256 {
                    let Ok(key) = p256::ecdsa::VerifyingKey::from_sec1_bytes(key) else { return CurveAnswer::BadKey };
                    let Ok(signature) = p256::ecdsa::Signature::from_slice(signature) else { return CurveAnswer::Invalid };
                    verified(key.verify_prehash(&hashed, &signature).is_ok())
                } else {
                    let Ok(key) = p384::ecdsa::VerifyingKey::from_sec1_bytes(key) else { return CurveAnswer::BadKey };
                    let Ok(signature) = p384::ecdsa::Signature::from_slice(signature) else { return CurveAnswer::Invalid };
                    verified(key.verify_prehash(&hashed, &signature).is_ok())
                }
            }
            CurveOp::PublicKey { curve, private } => {
                let invalid = || CurveAnswer::Unavailable("the private key is not valid for its curve".into());
                match curve {
                    Curve::P256 => p256::SecretKey::from_slice(private)
                        .map_or_else(|_| invalid(), |k| CurveAnswer::Public(k.public_key().to_encoded_point(false).as_bytes().to_vec())),
                    Curve::P384 => p384::SecretKey::from_slice(private)
                        .map_or_else(|_| invalid(), |k| CurveAnswer::Public(k.public_key().to_encoded_point(false).as_bytes().to_vec())),
                    Curve::Ed25519 => match <[u8; 32]>::try_from(private.as_slice()) {
                        Ok(seed) => CurveAnswer::Public(ed25519_dalek::SigningKey::from_bytes(&seed).verifying_key().to_bytes().to_vec()),
                        Err(_) => invalid(),
                    },
                }
            }
        }
    }
}

/// A PrivateKeyInfo (PKCS#8) holding `private` for `curve`, the form in which Web Crypto
/// imports private keys: for EC an ECPrivateKey with only its scalar (RFC 5915) under an
/// algorithm naming the curve, for Ed25519 the seed (RFC 8410).
pub fn private_key_info(curve: Curve, private: &[u8]) -> Vec<u8> {
    const EC_PUBLIC_KEY: &[u8] = &[0x06, 0x07, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x02, 0x01];
    const ED25519: &[u8] = &[0x06, 0x03, 0x2b, 0x65, 0x70];
    let (algorithm, key) = match curve {
        Curve::Ed25519 => (ED25519.to_vec(), der_tlv(0x04, private)),
        Curve::P256 | Curve::P384 => {
            let curve_oid: &[u8] = if curve == Curve::P256 {
                &[0x2a, 0x86, 0x48, 0xce, 0x3d, 0x03, 0x01, 0x07]
            } else {
                &[0x2b, 0x81, 0x04, 0x00, 0x22]
            };
            let mut algorithm = EC_PUBLIC_KEY.to_vec();
            algorithm.extend(der_tlv(0x06, curve_oid));
            // The scalar at the curve's full size, as RFC 5915 asks.
            let mut scalar = vec![0u8; curve.scalar_len().saturating_sub(private.len())];
            scalar.extend_from_slice(private);
            let mut ec = der_tlv(0x02, &[1]);
            ec.extend(der_tlv(0x04, &scalar));
            (algorithm, der_tlv(0x30, &ec))
        }
    };
    let mut body = der_tlv(0x02, &[0]);
    body.extend(der_tlv(0x30, &algorithm));
    body.extend(der_tlv(0x04, &key));
    der_tlv(0x30, &body)
}

fn der_tlv(tag: u8, content: &[u8]) -> Vec<u8> {
    let mut out = vec![tag];
    let len = content.len();
    if len < 0x80 {
        out.push(len as u8);
    } else {
        let bytes: Vec<u8> = len.to_be_bytes().into_iter().skip_while(|b| *b == 0).collect();
        out.push(0x80 | bytes.len() as u8);
        out.extend(bytes);
    }
    out.extend_from_slice(content);
    out
}

#[cfg(all(test, feature = "curves"))]
mod tests {
    use super::*;

    /// The strict-DER reading and range check agree with the `ecdsa` crate's own
    /// `Signature::from_der` on valid, padded, truncated, negative and out-of-range inputs.
    #[test]
    fn signature_conversion_agrees_with_the_ecdsa_crate() {
        let mut seed = 0x2545_f491_4f6c_dd1du64;
        let mut next = || {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed
        };
        let ints: Vec<Vec<u8>> = {
            let mut v: Vec<Vec<u8>> = vec![vec![0], vec![1], vec![0x00, 0x80], vec![0x80], vec![0x00, 0x01], vec![]];
            for curve in [Curve::P256, Curve::P384] {
                let n = curve.order().to_vec();
                let mut below = n.clone();
                *below.last_mut().unwrap() -= 1;
                for x in [n.clone(), below] {
                    v.push(x.clone());
                    let mut padded = vec![0];
                    padded.extend(&x);
                    v.push(padded);
                }
                v.push(vec![0xff; curve.scalar_len() + 1]);
            }
            for _ in 0..40 {
                let len = (next() % 50) as usize;
                v.push((0..len).map(|_| next() as u8).collect());
            }
            v
        };
        let mut checked = 0;
        for r in &ints {
            for s in ints.iter().step_by(3) {
                let mut body = der_tlv(0x02, r);
                body.extend(der_tlv(0x02, s));
                let mut variants = vec![der_tlv(0x30, &body)];
                let mut trailing = der_tlv(0x30, &body);
                trailing.push(0);
                variants.push(trailing);
                let mut long_form = vec![0x30, 0x81, body.len() as u8];
                long_form.extend(&body);
                variants.push(long_form);
                for der in variants {
                    let p256 = p256::ecdsa::Signature::from_der(&der).ok().map(|s| s.to_bytes().to_vec());
                    assert_eq!(ecdsa_signature_to_fixed(Curve::P256, &der), p256, "P-256 {der:02x?}");
                    let p384 = p384::ecdsa::Signature::from_der(&der).ok().map(|s| s.to_bytes().to_vec());
                    assert_eq!(ecdsa_signature_to_fixed(Curve::P384, &der), p384, "P-384 {der:02x?}");
                    checked += 1;
                }
            }
        }
        assert!(checked > 1000);
    }

    #[test]
    fn wraps_private_keys_as_the_rustcrypto_readers_expect() {
        use p256::pkcs8::DecodePrivateKey;
        let scalar: Vec<u8> = (1..=32).collect();
        let from_info = p256::SecretKey::from_pkcs8_der(&private_key_info(Curve::P256, &scalar)).unwrap();
        assert_eq!(from_info.to_bytes().to_vec(), scalar);
        let scalar: Vec<u8> = (1..=48).collect();
        let from_info = p384::SecretKey::from_pkcs8_der(&private_key_info(Curve::P384, &scalar)).unwrap();
        assert_eq!(from_info.to_bytes().to_vec(), scalar);
        // A short scalar (leading zero bytes dropped by a writer) is padded to the field size.
        let short: Vec<u8> = (1..=31).collect();
        let from_info = p256::SecretKey::from_pkcs8_der(&private_key_info(Curve::P256, &short)).unwrap();
        assert_eq!(from_info.to_bytes()[1..].to_vec(), short);
        // Ed25519: OpenSSL writes `openssl genpkey -algorithm ed25519` keys in exactly this form.
        let seed = [7u8; 32];
        let info = private_key_info(Curve::Ed25519, &seed);
        assert_eq!(&info[..16], &[0x30, 0x2e, 0x02, 0x01, 0x00, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x04, 0x22, 0x04, 0x20]);
        assert_eq!(&info[16..], &seed);
    }
}

/// The engine as the page builds it: answers come from the host.
#[cfg(all(test, not(feature = "curves")))]
mod host_answer_tests {
    use super::*;
    use crate::{audit, AuditOptions, InputKind, Inputs, SourceFile};

    fn op(n: u8) -> CurveOp {
        CurveOp::PublicKey { curve: Curve::P256, private: vec![n; 32] }
    }

    #[test]
    fn an_operation_is_asked_for_once_until_answered() {
        assert_eq!(answer(&op(1)), None);
        assert_eq!(answer(&op(1)), None);
        assert_eq!(take_unanswered(), vec![op(1)]);
        assert!(take_unanswered().is_empty());
        remember(vec![(op(1), CurveAnswer::Public(vec![4; 65]))]);
        assert_eq!(answer(&op(1)), Some(CurveAnswer::Public(vec![4; 65])));
        assert!(take_unanswered().is_empty());
    }

    #[test]
    fn a_batch_larger_than_the_cache_is_kept_whole() {
        let batch: Vec<(CurveOp, CurveAnswer)> = (0..5000u32)
            .map(|i| (CurveOp::PublicKey { curve: Curve::P384, private: i.to_be_bytes().to_vec() }, CurveAnswer::Invalid))
            .collect();
        remember(batch.clone());
        assert!(batch.iter().all(|(op, a)| answer(op).as_ref() == Some(a)));
        assert!(take_unanswered().is_empty());
    }

    /// One round of answers is enough for a whole set: the model asks for every signature its
    /// chains could need before it builds them, and the keys' public halves as it reads them.
    #[test]
    fn one_round_of_answers_completes_an_audit() {
        let file = |name: &str, text: &str| SourceFile::from_text(name, InputKind::Pem, text);
        let gen = |name: &str| std::fs::read_to_string(format!("{}/tests/fixtures/cert/gen/{name}", env!("CARGO_MANIFEST_DIR"))).unwrap();
        let inputs = Inputs {
            files: vec![
                SourceFile::from_text(
                    "postgresql.conf",
                    InputKind::PostgresqlConf,
                    "ssl = on\nssl_cert_file = 'server.crt'\nssl_key_file = 'server.key'\nssl_ca_file = 'root.crt'\n",
                ),
                file("server.crt", &gen("ed-leaf.crt")),
                file("server.key", &gen("ed-leaf.key")),
                file("root.crt", &(gen("ed-root.crt") + &gen("ec-root.crt"))),
                file("client.crt", &gen("ec-chain.crt")),
                file("client.key", &gen("p384-nopublic.key")),
                file("other.crt", &gen("p384-self.crt")),
            ],
        };
        let mut options = AuditOptions::new(1_893_456_000);
        options.host = Some("db.example.test".into());
        let _ = take_unanswered();
        audit(&inputs, &options);
        let asked = take_unanswered();
        let verifications = asked.iter().filter(|op| matches!(op, CurveOp::Verify { .. })).count();
        let keys = asked.len() - verifications;
        // Leaf and intermediate of the EC chain, the Ed25519 leaf, the three self-signed
        // certificates; the two keys stored without their public half.
        assert!(verifications >= 6, "{asked:#?}");
        assert_eq!(keys, 2, "{asked:#?}");
        // Whatever the answers (a host that says "valid" to everything will do here), the
        // audit that follows asks for nothing new.
        remember(
            asked
                .into_iter()
                .map(|op| {
                    let answer = match &op {
                        CurveOp::Verify { .. } => CurveAnswer::Valid,
                        CurveOp::PublicKey { curve, .. } => CurveAnswer::Public(vec![4; 1 + 2 * curve.scalar_len()]),
                    };
                    (op, answer)
                })
                .collect(),
        );
        audit(&inputs, &options);
        assert!(take_unanswered().is_empty());
    }
}
