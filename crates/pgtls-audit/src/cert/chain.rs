//! Chain building as OpenSSL does it for libpq: from the leaf through the certificates the
//! server sends and the trusted file, by name and key identifier, each signature verified, to
//! a self-signed certificate of the trusted file (libpq sets no X509_V_FLAG_PARTIAL_CHAIN, so
//! a trusted intermediate alone is not enough).

use serde::{Deserialize, Serialize};

use super::verify::verify_signature;
use super::x509::{Certificate, Crl};

/// Why a chain does not verify, with OpenSSL's reason in the message.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ChainError {
    /// No issuer of the top certificate among the given ones (a missing intermediate or root).
    MissingIssuer,
    /// The chain reaches a trusted certificate that is not self-signed, and its issuer is absent.
    EndsAtIntermediate,
    /// A self-signed certificate that is not in the trusted set.
    UntrustedSelfSigned,
    BadSignature,
    NotCa,
    TooLong,
}

impl ChainError {
    /// OpenSSL's verify error text, which libpq reports as `SSL error: certificate verify failed`.
    pub fn openssl_text(&self) -> &'static str {
        match self {
            ChainError::MissingIssuer => "unable to get local issuer certificate",
            ChainError::EndsAtIntermediate => "unable to get issuer certificate",
            ChainError::UntrustedSelfSigned => "self-signed certificate in certificate chain",
            ChainError::BadSignature => "certificate signature failure",
            ChainError::NotCa => "invalid CA certificate",
            ChainError::TooLong => "certificate chain too long",
        }
    }
}

/// A built chain: indices into the certificate list, leaf first.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Chain {
    pub path: Vec<usize>,
    /// Whether the last certificate of `path` is from the trusted set.
    pub anchored: bool,
    pub result: Result<(), (ChainError, String)>,
}

impl Chain {
    pub fn verified(&self) -> bool {
        self.result.is_ok()
    }
}

/// Whether `issuer` may sign certificates: CA:TRUE, or a v1/v2 certificate (no extensions, as
/// OpenSSL allows for old self-signed roots), and keyCertSign when key usage is present.
pub fn may_issue(issuer: &Certificate) -> bool {
    let ca = issuer.is_ca() || (issuer.version < 3 && issuer.basic_constraints.is_none());
    ca && issuer.key_cert_sign != Some(false)
}

/// Builds the chain of `leaf` from `untrusted` (what the server sends) and `trusted` (the root
/// file), all indices into `certs`.
pub fn build(certs: &[Certificate], leaf: usize, untrusted: &[usize], trusted: &[usize]) -> Chain {
    let mut path = vec![leaf];
    let mut cur = leaf;
    loop {
        let c = &certs[cur];
        let cur_trusted = trusted.iter().any(|&t| same_cert(&certs[t], c));
        if c.is_self_signed() {
            return if cur_trusted {
                Chain { path, anchored: true, result: Ok(()) }
            } else {
                let text = if cur == leaf { "self-signed certificate" } else { "self-signed certificate in certificate chain" };
                Chain {
                    path,
                    anchored: false,
                    result: Err((
                        ChainError::UntrustedSelfSigned,
                        format!("{text}: \"{}\" is not in the trusted root file", c.subject),
                    )),
                }
            };
        }
        if path.len() > 10 {
            return Chain {
                path,
                anchored: cur_trusted,
                result: Err((ChainError::TooLong, "the chain is longer than 10 certificates".into())),
            };
        }
        // Trusted candidates first, as OpenSSL looks in the store before the untrusted list.
        let candidates: Vec<usize> = trusted
            .iter()
            .chain(untrusted.iter())
            .copied()
            .filter(|&i| i != cur && !path.iter().any(|&p| same_cert(&certs[p], &certs[i])))
            .filter(|&i| c.names_issuer(&certs[i]))
            .collect();
        if candidates.is_empty() {
            let (kind, text) = if cur_trusted {
                (
                    ChainError::EndsAtIntermediate,
                    format!(
                        "unable to get issuer certificate: the trusted file holds \"{}\" but not its issuer \"{}\"; libpq needs the root certificate",
                        c.subject, c.issuer
                    ),
                )
            } else {
                (
                    ChainError::MissingIssuer,
                    format!("unable to get local issuer certificate: no given certificate is the issuer \"{}\" of \"{}\"", c.issuer, c.subject),
                )
            };
            return Chain { path, anchored: false, result: Err((kind, text)) };
        }
        let mut sig_error = None;
        let mut next = None;
        for &i in &candidates {
            match verify_signature(&c.sig_alg, &c.tbs, &c.signature, &certs[i].key) {
                Ok(()) => {
                    next = Some(i);
                    break;
                }
                Err(e) => {
                    sig_error.get_or_insert((i, e));
                }
            }
        }
        let Some(next) = next else {
            let (i, e) = sig_error.unwrap_or((candidates[0], String::new()));
            path.push(i);
            return Chain {
                path,
                anchored: false,
                result: Err((
                    ChainError::BadSignature,
                    format!("certificate signature failure: \"{}\" is not signed by \"{}\": {e}", c.subject, certs[i].subject),
                )),
            };
        };
        path.push(next);
        if !may_issue(&certs[next]) {
            return Chain {
                path,
                anchored: false,
                result: Err((
                    ChainError::NotCa,
                    format!("invalid CA certificate: \"{}\" signs \"{}\" but is not a CA (no CA:TRUE basic constraint or no keyCertSign)", certs[next].subject, c.subject),
                )),
            };
        }
        cur = next;
    }
}

/// The same certificate, given twice (in two files).
pub fn same_cert(a: &Certificate, b: &Certificate) -> bool {
    a.sha256 == b.sha256
}

/// OpenSSL's CRL check with X509_V_FLAG_CRL_CHECK_ALL, which PostgreSQL and libpq set whenever
/// a CRL is loaded: every certificate of the chain, the root included, needs a current CRL from
/// its issuer, and must not be listed in it.
pub fn check_crls(certs: &[Certificate], chain: &Chain, crls: &[&Crl], now: i64) -> Result<(), String> {
    for (pos, &i) in chain.path.iter().enumerate() {
        let cert = &certs[i];
        let issuer = chain.path.get(pos + 1).map_or(cert, |&j| &certs[j]);
        let crl = crls.iter().find(|crl| {
            crl.issued_by(issuer) && verify_signature(&crl.sig_alg, &crl.tbs, &crl.signature, &issuer.key).is_ok()
        });
        let Some(crl) = crl else {
            return Err(format!("unable to get certificate CRL: no CRL from \"{}\" for \"{}\"", issuer.subject, cert.subject));
        };
        if crl.next_update.is_some_and(|t| t < now) {
            return Err(format!("CRL has expired: the CRL of \"{}\"", crl.issuer));
        }
        if crl.this_update > now {
            return Err(format!("CRL is not yet valid: the CRL of \"{}\"", crl.issuer));
        }
        if crl.revokes(cert).is_some() {
            return Err(format!("certificate revoked: \"{}\" (serial {})", cert.subject, cert.serial_hex));
        }
    }
    Ok(())
}
