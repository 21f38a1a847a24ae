//! Certificates, CRLs and requests decoded into owned data the rules can read.

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use x509_parser::extensions::{GeneralName, ParsedExtension};
use x509_parser::prelude::{FromDer, X509Certificate};
use x509_parser::public_key::RSAPublicKey;
use x509_parser::x509::{AlgorithmIdentifier, SubjectPublicKeyInfo};

use crate::source::Location;

/// A digest named by a signature algorithm.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum HashAlg {
    Md2,
    Md5,
    Sha1,
    Sha224,
    Sha256,
    Sha384,
    Sha512,
}

impl HashAlg {
    pub fn name(self) -> &'static str {
        match self {
            HashAlg::Md2 => "MD2",
            HashAlg::Md5 => "MD5",
            HashAlg::Sha1 => "SHA-1",
            HashAlg::Sha224 => "SHA-224",
            HashAlg::Sha256 => "SHA-256",
            HashAlg::Sha384 => "SHA-384",
            HashAlg::Sha512 => "SHA-512",
        }
    }

    /// MD2, MD5 and SHA-1 are broken for signatures (collisions are practical).
    pub fn is_weak(self) -> bool {
        matches!(self, HashAlg::Md2 | HashAlg::Md5 | HashAlg::Sha1)
    }

    fn from_oid(oid: &str) -> Option<HashAlg> {
        Some(match oid {
            "1.2.840.113549.2.2" => HashAlg::Md2,
            "1.2.840.113549.2.5" => HashAlg::Md5,
            "1.3.14.3.2.26" => HashAlg::Sha1,
            "2.16.840.1.101.3.4.2.4" => HashAlg::Sha224,
            "2.16.840.1.101.3.4.2.1" => HashAlg::Sha256,
            "2.16.840.1.101.3.4.2.2" => HashAlg::Sha384,
            "2.16.840.1.101.3.4.2.3" => HashAlg::Sha512,
            _ => return None,
        })
    }
}

/// A signature algorithm with the parameters verification needs.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SigAlg {
    RsaPkcs1(HashAlg),
    RsaPss { hash: HashAlg, mgf_hash: HashAlg, salt_len: usize },
    Ecdsa(HashAlg),
    Dsa(HashAlg),
    Ed25519,
    Ed448,
    Unknown(String),
}

impl SigAlg {
    pub fn from_identifier(alg: &AlgorithmIdentifier<'_>) -> SigAlg {
        let oid = alg.algorithm.to_id_string();
        match oid.as_str() {
            "1.2.840.113549.1.1.2" => SigAlg::RsaPkcs1(HashAlg::Md2),
            "1.2.840.113549.1.1.4" => SigAlg::RsaPkcs1(HashAlg::Md5),
            "1.2.840.113549.1.1.5" | "1.3.14.3.2.29" => SigAlg::RsaPkcs1(HashAlg::Sha1),
            "1.2.840.113549.1.1.14" => SigAlg::RsaPkcs1(HashAlg::Sha224),
            "1.2.840.113549.1.1.11" => SigAlg::RsaPkcs1(HashAlg::Sha256),
            "1.2.840.113549.1.1.12" => SigAlg::RsaPkcs1(HashAlg::Sha384),
            "1.2.840.113549.1.1.13" => SigAlg::RsaPkcs1(HashAlg::Sha512),
            "1.2.840.113549.1.1.10" => {
                pss_params(alg.parameters.as_ref())
                    .unwrap_or_else(|| SigAlg::Unknown("RSASSA-PSS with unreadable parameters".into()))
            }
            "1.2.840.10045.4.1" => SigAlg::Ecdsa(HashAlg::Sha1),
            "1.2.840.10045.4.3.1" => SigAlg::Ecdsa(HashAlg::Sha224),
            "1.2.840.10045.4.3.2" => SigAlg::Ecdsa(HashAlg::Sha256),
            "1.2.840.10045.4.3.3" => SigAlg::Ecdsa(HashAlg::Sha384),
            "1.2.840.10045.4.3.4" => SigAlg::Ecdsa(HashAlg::Sha512),
            "1.2.840.10040.4.3" => SigAlg::Dsa(HashAlg::Sha1),
            "2.16.840.1.101.3.4.3.1" => SigAlg::Dsa(HashAlg::Sha224),
            "2.16.840.1.101.3.4.3.2" => SigAlg::Dsa(HashAlg::Sha256),
            "1.3.101.112" => SigAlg::Ed25519,
            "1.3.101.113" => SigAlg::Ed448,
            other => SigAlg::Unknown(other.to_string()),
        }
    }

    pub fn hash(&self) -> Option<HashAlg> {
        match self {
            SigAlg::RsaPkcs1(h) | SigAlg::Ecdsa(h) | SigAlg::Dsa(h) => Some(*h),
            SigAlg::RsaPss { hash, .. } => Some(*hash),
            _ => None,
        }
    }

    /// OpenSSL's long names, as `openssl x509 -text` prints them.
    pub fn name(&self) -> String {
        let h = |h: &HashAlg| h.name().replace('-', "").to_ascii_lowercase();
        match self {
            SigAlg::RsaPkcs1(hash) => format!("{}WithRSAEncryption", h(hash)),
            SigAlg::RsaPss { hash, salt_len, .. } => format!("rsassaPss ({}, salt {salt_len})", hash.name()),
            SigAlg::Ecdsa(hash) => format!("ecdsa-with-{}", hash.name().replace('-', "")),
            SigAlg::Dsa(hash) => format!("dsa_with_{}", hash.name().replace('-', "")),
            SigAlg::Ed25519 => "ED25519".into(),
            SigAlg::Ed448 => "ED448".into(),
            SigAlg::Unknown(oid) => oid.clone(),
        }
    }
}

/// RSASSA-PSS-params (RFC 4055): every field has a default (SHA-1, MGF1-SHA-1, salt 20).
fn pss_params(params: Option<&x509_parser::der_parser::asn1_rs::Any<'_>>) -> Option<SigAlg> {
    use der_parser::ber::BerObjectContent;
    let default = SigAlg::RsaPss { hash: HashAlg::Sha1, mgf_hash: HashAlg::Sha1, salt_len: 20 };
    let Some(params) = params else { return Some(default) };
    if params.tag() == x509_parser::der_parser::asn1_rs::Tag::Null {
        return Some(default);
    }
    let mut hash = HashAlg::Sha1;
    let mut mgf_hash = HashAlg::Sha1;
    let mut salt_len = 20usize;
    let mut rest = params.as_bytes();
    while !rest.is_empty() {
        let (next, obj) = der_parser::der::parse_der(rest).ok()?;
        rest = next;
        let inner = match &obj.content {
            BerObjectContent::Unknown(any) => any.data,
            _ => return None,
        };
        match obj.header.tag().0 {
            0 => {
                let (_, alg) = AlgorithmIdentifier::from_der(inner).ok()?;
                hash = HashAlg::from_oid(&alg.algorithm.to_id_string())?;
            }
            1 => {
                let (_, alg) = AlgorithmIdentifier::from_der(inner).ok()?;
                if alg.algorithm.to_id_string() != "1.2.840.113549.1.1.8" {
                    return None;
                }
                // MGF1's parameter is the AlgorithmIdentifier of its hash; `Any` keeps only
                // the content, so the SEQUENCE header is put back before decoding.
                let content = alg.parameters.as_ref()?.as_bytes();
                let mut seq = vec![0x30];
                push_len(&mut seq, content.len());
                seq.extend_from_slice(content);
                let (_, h) = AlgorithmIdentifier::from_der(&seq).ok()?;
                mgf_hash = HashAlg::from_oid(&h.algorithm.to_id_string())?;
            }
            2 => {
                let (_, n) = der_parser::der::parse_der_integer(inner).ok()?;
                salt_len = n.as_u32().ok()? as usize;
            }
            _ => {}
        }
    }
    Some(SigAlg::RsaPss { hash, mgf_hash, salt_len })
}

fn push_len(out: &mut Vec<u8>, len: usize) {
    if len < 0x80 {
        out.push(len as u8);
    } else {
        let bytes = (len as u32).to_be_bytes();
        let skip = bytes.iter().take_while(|b| **b == 0).count();
        out.push(0x80 | (4 - skip) as u8);
        out.extend_from_slice(&bytes[skip..]);
    }
}

/// The public-key algorithm of a key.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum KeyAlg {
    Rsa,
    RsaPss,
    Ec,
    Ed25519,
    Ed448,
    Dsa,
    Other,
}

/// A subject public key: algorithm, size, curve and the key bytes verification needs.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PublicKeyInfo {
    pub alg: KeyAlg,
    /// Modulus bits for RSA and DSA, field bits for EC and EdDSA.
    pub bits: u32,
    /// The named curve of an EC key (OpenSSL's name, e.g. `prime256v1`).
    pub curve: Option<String>,
    /// RSA: the modulus and exponent, big-endian, without leading zeros.
    pub rsa: Option<(Vec<u8>, Vec<u8>)>,
    /// EC: the SEC1 point; EdDSA: the raw key.
    pub point: Vec<u8>,
    /// The DER SubjectPublicKeyInfo.
    pub spki: Vec<u8>,
}

fn strip_zeros(bytes: &[u8]) -> Vec<u8> {
    let skip = bytes.iter().take_while(|b| **b == 0).count();
    bytes[skip..].to_vec()
}

fn bit_len(bytes: &[u8]) -> u32 {
    let bytes = &bytes[bytes.iter().take_while(|b| **b == 0).count()..];
    match bytes.first() {
        None => 0,
        Some(first) => (bytes.len() as u32 - 1) * 8 + (8 - first.leading_zeros()),
    }
}

pub fn curve_name(oid: &str) -> Option<(&'static str, u32)> {
    Some(match oid {
        "1.2.840.10045.3.1.7" => ("prime256v1", 256),
        "1.3.132.0.34" => ("secp384r1", 384),
        "1.3.132.0.35" => ("secp521r1", 521),
        "1.3.132.0.33" => ("secp224r1", 224),
        "1.2.840.10045.3.1.1" => ("prime192v1", 192),
        "1.3.132.0.10" => ("secp256k1", 256),
        "1.3.132.0.8" => ("secp160r1", 160),
        "1.3.36.3.3.2.8.1.1.7" => ("brainpoolP256r1", 256),
        "1.3.36.3.3.2.8.1.1.11" => ("brainpoolP384r1", 384),
        "1.3.36.3.3.2.8.1.1.13" => ("brainpoolP512r1", 512),
        _ => return None,
    })
}

impl PublicKeyInfo {
    pub fn from_spki(spki: &SubjectPublicKeyInfo<'_>) -> PublicKeyInfo {
        let oid = spki.algorithm.algorithm.to_id_string();
        let key_bytes = spki.subject_public_key.data.to_vec();
        let mut info = PublicKeyInfo {
            alg: KeyAlg::Other,
            bits: 0,
            curve: None,
            rsa: None,
            point: key_bytes.clone(),
            spki: spki.raw.to_vec(),
        };
        match oid.as_str() {
            "1.2.840.113549.1.1.1" | "1.2.840.113549.1.1.10" => {
                info.alg = if oid.ends_with(".10") { KeyAlg::RsaPss } else { KeyAlg::Rsa };
                // Parsed directly: x509-parser only decodes rsaEncryption keys, not RSASSA-PSS ones.
                if let Ok((_, rsa)) = RSAPublicKey::from_der(&spki.subject_public_key.data) {
                    info.bits = bit_len(rsa.modulus);
                    info.rsa = Some((strip_zeros(rsa.modulus), strip_zeros(rsa.exponent)));
                }
            }
            "1.2.840.10045.2.1" => {
                info.alg = KeyAlg::Ec;
                let curve = spki
                    .algorithm
                    .parameters
                    .as_ref()
                    .and_then(|p| p.as_oid().ok())
                    .map(|o| o.to_id_string());
                match curve.as_deref().and_then(curve_name) {
                    Some((name, bits)) => {
                        info.curve = Some(name.to_string());
                        info.bits = bits;
                    }
                    None => {
                        info.curve = curve;
                        info.bits = (key_bytes.len().saturating_sub(1) / 2 * 8) as u32;
                    }
                }
            }
            "1.3.101.112" => {
                info.alg = KeyAlg::Ed25519;
                info.bits = 256;
            }
            "1.3.101.113" => {
                info.alg = KeyAlg::Ed448;
                info.bits = 456;
            }
            "1.2.840.10040.4.1" => {
                info.alg = KeyAlg::Dsa;
                // DSA-Parms ::= SEQUENCE { p, q, g }: the size is p's.
                if let Some(p) = spki.algorithm.parameters.as_ref() {
                    if let Ok((_, pint)) = der_parser::der::parse_der_integer(p.as_bytes()) {
                        if let Ok(b) = pint.as_slice() {
                            info.bits = bit_len(b);
                        }
                    }
                }
            }
            _ => {}
        }
        info
    }

    /// "RSA 2048", "EC P-256 (prime256v1)", "Ed25519".
    pub fn describe(&self) -> String {
        match self.alg {
            KeyAlg::Rsa => format!("RSA {} bits", self.bits),
            KeyAlg::RsaPss => format!("RSA-PSS {} bits", self.bits),
            KeyAlg::Ec => format!("EC {} ({} bits)", self.curve.as_deref().unwrap_or("unknown curve"), self.bits),
            KeyAlg::Ed25519 => "Ed25519".into(),
            KeyAlg::Ed448 => "Ed448".into(),
            KeyAlg::Dsa => format!("DSA {} bits", self.bits),
            KeyAlg::Other => "unknown key type".into(),
        }
    }

    /// RSA and DSA below 2048 bits, EC below 256 bits: below the 112-bit security floor.
    pub fn weakness(&self) -> Option<String> {
        match self.alg {
            KeyAlg::Rsa | KeyAlg::RsaPss | KeyAlg::Dsa if self.bits < 2048 => {
                Some(format!("{} key of {} bits (at least 2048 are needed)", self.type_name(), self.bits))
            }
            KeyAlg::Ec if self.bits < 256 => Some(format!(
                "EC key on {} ({} bits; P-256 or larger is needed)",
                self.curve.as_deref().unwrap_or("an unknown curve"),
                self.bits
            )),
            _ => None,
        }
    }

    pub fn type_name(&self) -> &'static str {
        match self.alg {
            KeyAlg::Rsa => "RSA",
            KeyAlg::RsaPss => "RSA-PSS",
            KeyAlg::Ec => "EC",
            KeyAlg::Ed25519 => "Ed25519",
            KeyAlg::Ed448 => "Ed448",
            KeyAlg::Dsa => "DSA",
            KeyAlg::Other => "unknown",
        }
    }

    /// Two keys are the same when their public parts are.
    pub fn same_key(&self, other: &PublicKeyInfo) -> bool {
        match (&self.rsa, &other.rsa) {
            (Some(a), Some(b)) => a == b,
            (None, None) => self.alg == other.alg && ec_points_equal(&self.point, &other.point),
            _ => false,
        }
    }
}

/// Compares EC points in compressed or uncompressed form by their x coordinate and parity.
fn ec_points_equal(a: &[u8], b: &[u8]) -> bool {
    if a == b {
        return true;
    }
    let norm = |p: &[u8]| -> Option<(Vec<u8>, u8)> {
        match p.first()? {
            0x04 if p.len() % 2 == 1 => {
                let n = (p.len() - 1) / 2;
                Some((p[1..1 + n].to_vec(), 2 + (p[p.len() - 1] & 1)))
            }
            t @ (0x02 | 0x03) => Some((p[1..].to_vec(), *t)),
            _ => None,
        }
    };
    matches!((norm(a), norm(b)), (Some(x), Some(y)) if x == y)
}

/// A subjectAltName entry.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum San {
    Dns(String),
    Ip(Vec<u8>),
    Other(String),
}

impl San {
    pub fn display(&self) -> String {
        match self {
            San::Dns(d) => format!("DNS:{d}"),
            San::Ip(ip) => format!("IP:{}", super::hostname::ip_to_string(ip)),
            San::Other(o) => o.clone(),
        }
    }
}

/// One X.509 certificate, decoded.
#[derive(Clone, Debug)]
pub struct Certificate {
    /// The PEM block (or the DER file) that holds it.
    pub location: Location,
    /// Position among the certificates of its file (0 = first).
    pub index_in_file: usize,
    pub der: Vec<u8>,
    pub version: u32,
    pub subject: String,
    pub issuer: String,
    pub subject_raw: Vec<u8>,
    pub issuer_raw: Vec<u8>,
    /// Raw value bytes of the subject's commonName attributes, in encoded order.
    pub common_names: Vec<Vec<u8>>,
    pub serial: Vec<u8>,
    pub serial_hex: String,
    pub not_before: i64,
    pub not_after: i64,
    pub key: PublicKeyInfo,
    pub sig_alg: SigAlg,
    pub tbs: Vec<u8>,
    pub signature: Vec<u8>,
    pub sans: Vec<San>,
    pub has_san_extension: bool,
    /// (CA, path length), when the extension is present.
    pub basic_constraints: Option<(bool, Option<u32>)>,
    pub key_usage: Option<Vec<&'static str>>,
    pub key_cert_sign: Option<bool>,
    pub extended_key_usage: Option<Vec<String>>,
    pub server_auth: Option<bool>,
    pub client_auth: Option<bool>,
    pub ski: Option<Vec<u8>>,
    pub aki: Option<Vec<u8>>,
    pub sha256: [u8; 32],
    /// Whether it verifies with its own key, once asked: a dozen places ask it of a root, and
    /// each asking was a full RSA or ECDSA verification.
    self_signed: std::sync::OnceLock<bool>,
}

impl Certificate {
    /// Decodes one DER certificate; trailing bytes (OpenSSL's TRUSTED CERTIFICATE aux data) are
    /// ignored.
    pub fn parse(der: &[u8], location: Location, index_in_file: usize) -> Result<Certificate, String> {
        let (rest, x) = X509Certificate::from_der(der).map_err(|e| format!("not a valid X.509 certificate: {e}"))?;
        let der = &der[..der.len() - rest.len()];
        let sans = match x.subject_alternative_name() {
            Ok(Some(ext)) => ext.value.general_names.iter().map(san_of).collect(),
            Ok(None) => Vec::new(),
            Err(e) => return Err(format!("unreadable subjectAltName: {e}")),
        };
        let has_san_extension = matches!(x.subject_alternative_name(), Ok(Some(_)));
        let basic_constraints = match x.basic_constraints() {
            Ok(Some(bc)) => Some((bc.value.ca, bc.value.path_len_constraint)),
            _ => None,
        };
        let ku = x.key_usage().ok().flatten().map(|k| *k.value);
        let key_usage = ku.map(|k| {
            let names = [
                (k.digital_signature(), "Digital Signature"),
                (k.non_repudiation(), "Non Repudiation"),
                (k.key_encipherment(), "Key Encipherment"),
                (k.data_encipherment(), "Data Encipherment"),
                (k.key_agreement(), "Key Agreement"),
                (k.key_cert_sign(), "Certificate Sign"),
                (k.crl_sign(), "CRL Sign"),
                (k.encipher_only(), "Encipher Only"),
                (k.decipher_only(), "Decipher Only"),
            ];
            names.iter().filter(|(on, _)| *on).map(|(_, n)| *n).collect::<Vec<_>>()
        });
        let eku = x.extended_key_usage().ok().flatten().map(|e| e.value.clone());
        let extended_key_usage = eku.as_ref().map(|e| {
            let mut v = Vec::new();
            for (on, name) in [
                (e.any, "Any Extended Key Usage"),
                (e.server_auth, "TLS Web Server Authentication"),
                (e.client_auth, "TLS Web Client Authentication"),
                (e.code_signing, "Code Signing"),
                (e.email_protection, "E-mail Protection"),
                (e.time_stamping, "Time Stamping"),
                (e.ocsp_signing, "OCSP Signing"),
            ] {
                if on {
                    v.push(name.to_string());
                }
            }
            v.extend(e.other.iter().map(|o| o.to_id_string()));
            v
        });
        let mut ski = None;
        let mut aki = None;
        for ext in x.extensions() {
            match ext.parsed_extension() {
                ParsedExtension::SubjectKeyIdentifier(k) => ski = Some(k.0.to_vec()),
                ParsedExtension::AuthorityKeyIdentifier(a) => {
                    aki = a.key_identifier.as_ref().map(|k| k.0.to_vec())
                }
                _ => {}
            }
        }
        let sha256: [u8; 32] = Sha256::digest(der).into();
        Ok(Certificate {
            location,
            index_in_file,
            der: der.to_vec(),
            version: x.version().0 + 1,
            subject: super::dn::name_text(x.subject()),
            issuer: super::dn::name_text(x.issuer()),
            subject_raw: x.subject().as_raw().to_vec(),
            issuer_raw: x.issuer().as_raw().to_vec(),
            common_names: x.subject().iter_common_name().map(|a| a.as_slice().to_vec()).collect(),
            serial: x.raw_serial().to_vec(),
            serial_hex: hex(x.raw_serial(), ":"),
            not_before: x.validity().not_before.timestamp(),
            not_after: x.validity().not_after.timestamp(),
            key: PublicKeyInfo::from_spki(x.public_key()),
            sig_alg: SigAlg::from_identifier(&x.signature_algorithm),
            tbs: x.tbs_certificate.as_ref().to_vec(),
            signature: x.signature_value.data.to_vec(),
            sans,
            has_san_extension,
            basic_constraints,
            key_usage,
            key_cert_sign: ku.map(|k| k.key_cert_sign()),
            extended_key_usage,
            server_auth: eku.as_ref().map(|e| e.server_auth || e.any),
            client_auth: eku.as_ref().map(|e| e.client_auth || e.any),
            ski,
            aki,
            sha256,
            self_signed: std::sync::OnceLock::new(),
        })
    }

    pub fn is_ca(&self) -> bool {
        matches!(self.basic_constraints, Some((true, _)))
    }

    /// Subject and issuer are the same name.
    pub fn is_self_issued(&self) -> bool {
        self.subject_raw == self.issuer_raw || names_equal(&self.subject, &self.issuer)
    }

    /// Self-issued and signed by its own key.
    pub fn is_self_signed(&self) -> bool {
        *self.self_signed.get_or_init(|| {
            self.is_self_issued()
                && super::verify::verify_signature(&self.sig_alg, &self.tbs, &self.signature, &self.key).is_ok()
        })
    }

    /// Could `issuer` have issued this certificate, by name and key identifier?
    pub fn names_issuer(&self, issuer: &Certificate) -> bool {
        let by_name = self.issuer_raw == issuer.subject_raw || names_equal(&self.issuer, &issuer.subject);
        let by_key = match (&self.aki, &issuer.ski) {
            (Some(a), Some(s)) => a == s,
            _ => true,
        };
        by_name && by_key
    }

    pub fn fingerprint(&self) -> String {
        hex(&self.sha256, ":")
    }

    /// The first commonName as text, for display.
    pub fn common_name(&self) -> Option<String> {
        self.common_names.first().map(|cn| String::from_utf8_lossy(cn).into_owned())
    }
}

/// OpenSSL compares names after canonical encoding (case and space folding); comparing the
/// printed forms case-insensitively covers the encodings that differ only in string type.
fn names_equal(a: &str, b: &str) -> bool {
    let norm = |s: &str| s.split_whitespace().collect::<Vec<_>>().join(" ").to_ascii_lowercase();
    !a.is_empty() && norm(a) == norm(b)
}

/// A subjectAltName entry, named as in OpenSSL's configuration syntax (`DNS:`, `IP:`, `email:`,
/// `URI:`, `dirName:`, `RID:`, `otherName:`). A directory name is written like subjects are
/// ([`super::dn::name_text`]): x509-parser's own `Display` for names would bring its whole OID
/// registry into the page.
fn san_of(name: &GeneralName<'_>) -> San {
    match name {
        GeneralName::DNSName(d) => San::Dns(d.to_string()),
        GeneralName::IPAddress(ip) => San::Ip(ip.to_vec()),
        GeneralName::RFC822Name(m) => San::Other(format!("email:{m}")),
        GeneralName::URI(u) => San::Other(format!("URI:{u}")),
        GeneralName::DirectoryName(n) => San::Other(format!("dirName:{}", super::dn::name_text(n))),
        GeneralName::RegisteredID(oid) => San::Other(format!("RID:{}", oid.to_id_string())),
        GeneralName::OtherName(oid, _) => San::Other(format!("otherName:{}", oid.to_id_string())),
        GeneralName::X400Address(_) => San::Other("x400Name".to_string()),
        GeneralName::EDIPartyName(_) => San::Other("ediPartyName".to_string()),
    }
}

pub fn hex(bytes: &[u8], sep: &str) -> String {
    bytes.iter().map(|b| format!("{b:02X}")).collect::<Vec<_>>().join(sep)
}

/// One revoked entry of a CRL.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Revoked {
    pub serial: Vec<u8>,
    pub date: i64,
}

/// A certificate revocation list.
#[derive(Clone, Debug)]
pub struct Crl {
    pub location: Location,
    pub issuer: String,
    pub issuer_raw: Vec<u8>,
    pub aki: Option<Vec<u8>>,
    pub this_update: i64,
    pub next_update: Option<i64>,
    pub revoked: Vec<Revoked>,
    pub sig_alg: SigAlg,
    pub tbs: Vec<u8>,
    pub signature: Vec<u8>,
}

impl Crl {
    pub fn parse(der: &[u8], location: Location) -> Result<Crl, String> {
        let (_, crl) = x509_parser::revocation_list::CertificateRevocationList::from_der(der)
            .map_err(|e| format!("not a valid CRL: {e}"))?;
        let mut aki = None;
        for ext in crl.extensions() {
            if let ParsedExtension::AuthorityKeyIdentifier(a) = ext.parsed_extension() {
                aki = a.key_identifier.as_ref().map(|k| k.0.to_vec());
            }
        }
        Ok(Crl {
            location,
            issuer: super::dn::name_text(crl.issuer()),
            issuer_raw: crl.issuer().as_raw().to_vec(),
            aki,
            this_update: crl.last_update().timestamp(),
            next_update: crl.next_update().map(|t| t.timestamp()),
            revoked: crl
                .iter_revoked_certificates()
                .map(|r| Revoked { serial: strip_zeros(r.raw_serial()), date: r.revocation_date.timestamp() })
                .collect(),
            sig_alg: SigAlg::from_identifier(&crl.signature_algorithm),
            tbs: crl.tbs_cert_list.as_ref().to_vec(),
            signature: crl.signature_value.data.to_vec(),
        })
    }

    pub fn issued_by(&self, ca: &Certificate) -> bool {
        let by_name = self.issuer_raw == ca.subject_raw || names_equal(&self.issuer, &ca.subject);
        let by_key = match (&self.aki, &ca.ski) {
            (Some(a), Some(s)) => a == s,
            _ => true,
        };
        by_name && by_key
    }

    pub fn revokes(&self, cert: &Certificate) -> Option<&Revoked> {
        let serial = strip_zeros(&cert.serial);
        self.revoked.iter().find(|r| r.serial == serial)
    }
}

/// A PKCS#10 certificate request: only what a dump shows.
#[derive(Clone, Debug)]
pub struct CertRequest {
    pub location: Location,
    pub subject: String,
    pub key: PublicKeyInfo,
}

impl CertRequest {
    pub fn parse(der: &[u8], location: Location) -> Result<CertRequest, String> {
        let (_, csr) = x509_parser::certification_request::X509CertificationRequest::from_der(der)
            .map_err(|e| format!("not a valid certificate request: {e}"))?;
        Ok(CertRequest {
            location,
            subject: super::dn::name_text(&csr.certification_request_info.subject),
            key: PublicKeyInfo::from_spki(&csr.certification_request_info.subject_pki),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cert::testutil::Pki;

    #[test]
    fn every_kind_of_subject_alt_name_is_named() {
        let pki = Pki::new("san-kinds");
        pki.key("leaf", "ec:P-256");
        pki.write(
            "leaf.cnf",
            b"[req]\ndistinguished_name=dn\n[dn]\n[v3]\nsubjectAltName=@alt\n[alt]\nDNS.1=db.example.com\nIP.1=10.0.0.5\nIP.2=2001:db8::1\n\
email.1=dba@example.com\nURI.1=https://example.com/db\ndirName.1=dir\nRID.1=1.2.3.4\notherName.1=1.3.6.1.4.1.311.20.2.3;UTF8:dba@example.com\n\
[dir]\nC=NL\nO=Example\nCN=Directory\n",
        );
        pki.openssl(&["req", "-new", "-x509", "-key", "leaf.key", "-out", "leaf.crt", "-subj", "/CN=leaf", "-days", "30", "-config", "leaf.cnf", "-extensions", "v3", "-outform", "DER"]);
        let der = pki.read("leaf.crt");
        let cert = Certificate::parse(&der, Location::new(0, crate::source::Span::new(0, der.len())), 0).unwrap();
        let names: Vec<String> = cert.sans.iter().map(San::display).collect();
        assert_eq!(
            names,
            [
                "DNS:db.example.com",
                "IP:10.0.0.5",
                "IP:2001:db8::1",
                "email:dba@example.com",
                "URI:https://example.com/db",
                "dirName:C=NL, O=Example, CN=Directory",
                "RID:1.2.3.4",
                "otherName:1.3.6.1.4.1.311.20.2.3",
            ]
        );
    }
}
