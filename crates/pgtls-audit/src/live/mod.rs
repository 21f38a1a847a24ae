//! The result of a live check of a server, as data the engine judges like any other input.

pub mod rules;

use serde::{Deserialize, Serialize};

use crate::checklist::Evidence;
use crate::options::AuditOptions;
use crate::source::Inputs;

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

    pub fn evidence(&self, _evidence: &mut Evidence) {}
}
