//! Certificates, keys and CRLs: PEM/DER decoding, chains, signatures, libpq host-name rules.

pub mod rules;

use serde::{Deserialize, Serialize};

use crate::checklist::Evidence;
use crate::conf::ConfModel;
use crate::conn::ClientModel;
use crate::live::LiveModel;
use crate::options::AuditOptions;
use crate::source::Inputs;

#[derive(Debug, Default)]
pub struct CertModel {}

/// The public-key algorithm of the server certificate, which decides the TLS 1.2 suites a
/// server can negotiate (aRSA suites need an RSA key, aECDSA suites an EC key).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ServerKeyKind {
    Rsa,
    Ecdsa,
    Ed25519,
    Ed448,
    Other,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CertificateSummary {}

impl CertModel {
    pub fn build(
        _inputs: &Inputs,
        _options: &AuditOptions,
        _conf: &ConfModel,
        _clients: &ClientModel,
        _live: &LiveModel,
    ) -> Self {
        CertModel {}
    }

    /// The key algorithm of the server's leaf certificate, when the audit has it.
    pub fn server_key_kind(&self) -> Option<ServerKeyKind> {
        None
    }

    pub fn summaries(&self) -> Vec<CertificateSummary> {
        Vec::new()
    }

    pub fn evidence(&self, _evidence: &mut Evidence) {}
}
