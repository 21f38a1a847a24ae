//! Private keys: PKCS#8 (plain and encrypted), PKCS#1 RSA and SEC1 EC, read far enough to know
//! the public key (to match it with a certificate) and whether a passphrase protects it.

use der_parser::ber::{BerObject, BerObjectContent};
use serde::{Deserialize, Serialize};

use super::curves::{Curve, CurveAnswer, CurveOp};
use super::x509::{curve_name, KeyAlg, PublicKeyInfo};
use crate::source::Location;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum KeyFormat {
    Pkcs8,
    EncryptedPkcs8,
    Pkcs1,
    Sec1,
    /// A PKCS#1 or SEC1 PEM block with `Proc-Type: 4,ENCRYPTED` headers.
    LegacyEncrypted,
}

impl KeyFormat {
    pub fn name(self) -> &'static str {
        match self {
            KeyFormat::Pkcs8 => "PKCS#8",
            KeyFormat::EncryptedPkcs8 => "encrypted PKCS#8",
            KeyFormat::Pkcs1 => "PKCS#1 RSA",
            KeyFormat::Sec1 => "SEC1 EC",
            KeyFormat::LegacyEncrypted => "encrypted traditional PEM",
        }
    }
}

/// A private key; `public` is None when it is encrypted or its algorithm is unknown.
#[derive(Clone, Debug)]
pub struct PrivateKey {
    pub location: Location,
    pub format: KeyFormat,
    pub encrypted: bool,
    pub public: Option<PublicKeyInfo>,
}

fn seq<'a, 'b>(obj: &'b BerObject<'a>) -> Option<&'b Vec<BerObject<'a>>> {
    match &obj.content {
        BerObjectContent::Sequence(items) => Some(items),
        _ => None,
    }
}

fn strip(bytes: &[u8]) -> Vec<u8> {
    bytes[bytes.iter().take_while(|b| **b == 0).count()..].to_vec()
}

fn int_bytes(obj: &BerObject<'_>) -> Option<Vec<u8>> {
    match &obj.content {
        BerObjectContent::Integer(b) => Some(strip(b)),
        _ => None,
    }
}

fn rsa_public(n: Vec<u8>, e: Vec<u8>, alg: KeyAlg) -> PublicKeyInfo {
    let bits = n.first().map_or(0, |f| (n.len() as u32 - 1) * 8 + (8 - f.leading_zeros()));
    PublicKeyInfo { alg, bits, curve: None, rsa: Some((n, e)), point: Vec::new(), spki: Vec::new() }
}

/// RSAPrivateKey ::= SEQUENCE { version, modulus, publicExponent, privateExponent, ... }
pub fn parse_pkcs1(der: &[u8]) -> Option<PublicKeyInfo> {
    let (rest, obj) = der_parser::der::parse_der(der).ok()?;
    if !rest.is_empty() {
        return None;
    }
    let items = seq(&obj)?;
    if items.len() < 9 {
        return None;
    }
    let n = int_bytes(&items[1])?;
    let e = int_bytes(&items[2])?;
    int_bytes(&items[3])?;
    Some(rsa_public(n, e, KeyAlg::Rsa))
}

/// The public key of a private key, computed where [`super::curves`] says.
fn public_from_private(curve: Curve, private: &[u8]) -> Option<Vec<u8>> {
    match super::curves::answer(&CurveOp::PublicKey { curve, private: private.to_vec() })? {
        CurveAnswer::Public(point) => Some(point),
        _ => None,
    }
}

/// ECPrivateKey ::= SEQUENCE { version 1, privateKey OCTET STRING, [0] curve OPTIONAL,
/// [1] publicKey BIT STRING OPTIONAL }; the curve may come from PKCS#8 instead.
pub fn parse_sec1(der: &[u8], outer_curve: Option<String>) -> Option<PublicKeyInfo> {
    let (_, obj) = der_parser::der::parse_der(der).ok()?;
    let items = seq(&obj)?;
    if items.len() < 2 || int_bytes(&items[0])? != [1] {
        return None;
    }
    let scalar = match &items[1].content {
        BerObjectContent::OctetString(s) => s.to_vec(),
        _ => return None,
    };
    let mut curve_oid = outer_curve;
    let mut point = None;
    for item in &items[2..] {
        let BerObjectContent::Unknown(any) = &item.content else { continue };
        match item.header.tag().0 {
            0 => {
                if let Ok((_, o)) = der_parser::der::parse_der_oid(any.data) {
                    curve_oid = o.as_oid().ok().map(|o| o.to_id_string());
                }
            }
            1 => {
                if let Ok((_, b)) = der_parser::der::parse_der_bitstring(any.data) {
                    if let BerObjectContent::BitString(_, bits) = &b.content {
                        point = Some(bits.data.to_vec());
                    }
                }
            }
            _ => {}
        }
    }
    let (name, bits) = curve_oid.as_deref().and_then(curve_name).map_or((None, 0), |(n, b)| (Some(n.to_string()), b));
    let point = point.or_else(|| public_from_private(name.as_deref().and_then(Curve::from_openssl_name)?, &scalar))?;
    Some(PublicKeyInfo { alg: KeyAlg::Ec, bits, curve: name.or(curve_oid), rsa: None, point, spki: Vec::new() })
}

/// PrivateKeyInfo ::= SEQUENCE { version, AlgorithmIdentifier, privateKey OCTET STRING, ... }
/// Returns None when it is not PKCS#8, Some(None) for an algorithm this reader does not know.
pub fn parse_pkcs8(der: &[u8]) -> Option<Option<PublicKeyInfo>> {
    let (rest, obj) = der_parser::der::parse_der(der).ok()?;
    if !rest.is_empty() {
        return None;
    }
    let items = seq(&obj)?;
    if items.len() < 3 || int_bytes(&items[0])?.len() > 1 {
        return None;
    }
    let alg = seq(&items[1])?;
    let oid = alg.first()?.as_oid().ok()?.to_id_string();
    let param_oid = alg.get(1).and_then(|p| p.as_oid().ok()).map(|o| o.to_id_string());
    let inner = match &items[2].content {
        BerObjectContent::OctetString(s) => s.to_vec(),
        _ => return None,
    };
    Some(match oid.as_str() {
        "1.2.840.113549.1.1.1" => parse_pkcs1(&inner),
        "1.2.840.113549.1.1.10" => parse_pkcs1(&inner).map(|mut k| {
            k.alg = KeyAlg::RsaPss;
            k
        }),
        "1.2.840.10045.2.1" => {
            parse_sec1(&inner, param_oid)
        }
        "1.3.101.112" => {
            // CurvePrivateKey ::= OCTET STRING (the 32-byte seed).
            let (_, seed) = der_parser::der::parse_der_octetstring(&inner).ok()?;
            let seed: [u8; 32] = seed.as_slice().ok()?.try_into().ok()?;
            public_from_private(Curve::Ed25519, &seed).map(|public| PublicKeyInfo {
                alg: KeyAlg::Ed25519,
                bits: 256,
                curve: None,
                rsa: None,
                point: public,
                spki: Vec::new(),
            })
        }
        _ => None,
    })
}

/// EncryptedPrivateKeyInfo ::= SEQUENCE { AlgorithmIdentifier, encryptedData OCTET STRING }
pub fn is_encrypted_pkcs8(der: &[u8]) -> bool {
    let Ok((rest, obj)) = der_parser::der::parse_der(der) else { return false };
    let Some(items) = seq(&obj) else { return false };
    rest.is_empty()
        && items.len() == 2
        && matches!(items[0].content, BerObjectContent::Sequence(_))
        && matches!(items[1].content, BerObjectContent::OctetString(_))
}

/// Reads a key from a PEM block of the given label.
pub fn from_pem(label: &str, der: &[u8], legacy_encrypted: bool, location: Location) -> Result<PrivateKey, String> {
    let key = |format, encrypted, public| PrivateKey { location, format, encrypted, public };
    if legacy_encrypted {
        return Ok(key(KeyFormat::LegacyEncrypted, true, None));
    }
    match label {
        "PRIVATE KEY" => match parse_pkcs8(der) {
            Some(public) => Ok(key(KeyFormat::Pkcs8, false, public)),
            None => Err("not a valid PKCS#8 private key".into()),
        },
        "ENCRYPTED PRIVATE KEY" => {
            if is_encrypted_pkcs8(der) {
                Ok(key(KeyFormat::EncryptedPkcs8, true, None))
            } else {
                Err("not a valid encrypted PKCS#8 private key".into())
            }
        }
        "RSA PRIVATE KEY" => match parse_pkcs1(der) {
            Some(public) => Ok(key(KeyFormat::Pkcs1, false, Some(public))),
            None => Err("not a valid PKCS#1 RSA private key".into()),
        },
        _ => match parse_sec1(der, None) {
            Some(public) => Ok(key(KeyFormat::Sec1, false, Some(public))),
            None => Err("not a valid SEC1 EC private key".into()),
        },
    }
}

/// Reads a DER key of any supported format.
pub fn from_der(der: &[u8], location: Location) -> Option<PrivateKey> {
    let key = |format, encrypted, public| Some(PrivateKey { location, format, encrypted, public });
    if let Some(public) = parse_pkcs8(der) {
        return key(KeyFormat::Pkcs8, false, public);
    }
    if let Some(public) = parse_pkcs1(der) {
        return key(KeyFormat::Pkcs1, false, Some(public));
    }
    if let Some(public) = parse_sec1(der, None) {
        return key(KeyFormat::Sec1, false, Some(public));
    }
    if is_encrypted_pkcs8(der) {
        return key(KeyFormat::EncryptedPkcs8, true, None);
    }
    None
}
