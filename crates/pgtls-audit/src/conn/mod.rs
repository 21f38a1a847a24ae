//! Client connection settings: libpq strings and URIs, other drivers, environment blocks,
//! service files and pgbouncer.ini, all read into one model of effective TLS behaviour.

pub mod libpq;
pub mod rules;

use serde::{Deserialize, Serialize};

use crate::checklist::Evidence;
use crate::detect::InputKind;
use crate::options::AuditOptions;
use crate::source::{Inputs, Location};

#[derive(Debug, Default)]
pub struct ClientModel {}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClientSummary {}

impl ClientModel {
    pub fn build(_inputs: &Inputs, _options: &AuditOptions) -> Self {
        ClientModel {}
    }

    /// Every sslrootcert (and sslcert/sslcrl) file a client names, with where it names it; the
    /// certificate area matches given files to these by name.
    pub fn root_cert_references(&self) -> Vec<(&str, Location)> {
        Vec::new()
    }

    pub fn summaries(&self) -> Vec<ClientSummary> {
        Vec::new()
    }

    pub fn evidence(&self, _evidence: &mut Evidence) {}
}

pub fn sniff(_text: &str) -> Option<InputKind> {
    None
}
