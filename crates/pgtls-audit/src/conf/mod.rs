//! postgresql.conf and postgresql.auto.conf: lexer, includes, parameter table, effective settings.

pub mod rules;

use crate::checklist::Evidence;
use crate::detect::InputKind;
use crate::options::AuditOptions;
use crate::source::{Inputs, Location, Span};

/// One effective `name = value` assignment (the last one wins, as in PostgreSQL).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Setting {
    /// Lower-cased name.
    pub name: String,
    /// The value after de-quoting and de-escaping.
    pub value: String,
    /// The whole assignment line.
    pub location: Location,
    pub name_span: Span,
    pub value_span: Span,
}

#[derive(Debug, Default)]
pub struct ConfModel {}

impl ConfModel {
    pub fn build(_inputs: &Inputs, _options: &AuditOptions) -> Self {
        ConfModel {}
    }

    /// Whether any postgresql.conf (or auto.conf) was given.
    pub fn is_present(&self) -> bool {
        false
    }

    /// The effective setting of a parameter, if a given file sets it.
    pub fn effective(&self, _name: &str) -> Option<&Setting> {
        None
    }

    pub fn evidence(&self, _evidence: &mut Evidence) {}
}

/// Content sniffing for files whose name says nothing.
pub fn sniff(_text: &str) -> Option<InputKind> {
    None
}
