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

    pub fn summaries(&self) -> Vec<CertificateSummary> {
        Vec::new()
    }

    pub fn evidence(&self, _evidence: &mut Evidence) {}
}
