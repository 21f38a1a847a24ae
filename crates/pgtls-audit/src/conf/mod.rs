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

/// PostgreSQL's boolean syntax (`parse_bool_with_len` in utils/adt/bool.c): on/off, true/false,
/// yes/no, 1/0, and unique prefixes of the words, case-insensitively, surrounding blanks ignored.
pub fn parse_bool(value: &str) -> Option<bool> {
    let v = value.trim().to_ascii_lowercase();
    let prefix_of = |word: &str, min: usize| v.len() >= min && word.starts_with(v.as_str());
    match v.as_str() {
        "1" => Some(true),
        "0" => Some(false),
        _ if prefix_of("true", 1) || prefix_of("yes", 1) || prefix_of("on", 2) => Some(true),
        _ if prefix_of("false", 1) || prefix_of("no", 1) || prefix_of("off", 2) => Some(false),
        _ => None,
    }
}

/// Content sniffing for files whose name says nothing.
pub fn sniff(_text: &str) -> Option<InputKind> {
    None
}

#[cfg(test)]
mod tests {
    use super::parse_bool;

    #[test]
    fn booleans_as_postgresql_reads_them() {
        for t in ["on", "ON", "true", "t", "tr", "yes", "y", "1", " on "] {
            assert_eq!(parse_bool(t), Some(true), "{t}");
        }
        for f in ["off", "of", "false", "f", "no", "n", "0"] {
            assert_eq!(parse_bool(f), Some(false), "{f}");
        }
        for bad in ["o", "", "2", "onn", "enable"] {
            assert_eq!(parse_bool(bad), None, "{bad}");
        }
    }
}
