//! pg_hba.conf (and pg_ident.conf): tokenizer, records, first-match simulator, exposure matrix.

pub mod rules;

use serde::{Deserialize, Serialize};

use crate::checklist::Evidence;
use crate::detect::InputKind;
use crate::options::AuditOptions;
use crate::source::Inputs;

#[derive(Debug, Default)]
pub struct HbaModel {}

/// For each kind of client (remote IPv4/IPv6, loopback, Unix socket) with and without SSL,
/// which lines can accept and with which methods.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExposureMatrix {}

impl HbaModel {
    pub fn build(_inputs: &Inputs, _options: &AuditOptions) -> Self {
        HbaModel {}
    }

    pub fn exposure(&self) -> Option<ExposureMatrix> {
        None
    }

    pub fn evidence(&self, _evidence: &mut Evidence) {}
}

pub fn sniff(_text: &str) -> Option<InputKind> {
    None
}
