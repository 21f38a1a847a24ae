//! The result of a live check of a server, as data the engine judges like any other input.

pub mod rules;

use serde::{Deserialize, Serialize};

use crate::checklist::Evidence;
use crate::options::AuditOptions;
use crate::source::{Inputs, Location};

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct LiveResult {}

#[derive(Debug, Default)]
pub struct LiveModel {}

impl LiveModel {
    pub fn build(_inputs: &Inputs, _options: &AuditOptions) -> Self {
        LiveModel {}
    }

    pub fn result(&self) -> Option<&LiveResult> {
        None
    }

    /// The DER certificates the server presented, leaf first, each with the place in the live
    /// input that shows it; the certificate area judges them like given files.
    pub fn presented_certificates(&self) -> Vec<(&[u8], Location)> {
        Vec::new()
    }

    pub fn evidence(&self, _evidence: &mut Evidence) {}
}
