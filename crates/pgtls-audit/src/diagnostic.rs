//! Diagnostics: what a rule found, where, and how to fix it. Plain data; renderers live elsewhere.

use serde::{Deserialize, Serialize};

use crate::rules::RuleMeta;
use crate::source::{FileId, Location, Span};

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Info,
    Warning,
    Error,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }
}

impl std::fmt::Display for Severity {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// What it takes for a fix to take effect.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Activation {
    /// `SELECT pg_reload_conf()` (or `pg_ctl reload`) is enough: sighup parameters, pg_hba.conf.
    Reload,
    /// The server must be restarted: postmaster parameters.
    Restart,
    /// The client must reconnect with the new settings.
    Reconnect,
    /// Nothing on the server: a file to replace, a certificate to reissue.
    Deploy,
}

/// One replacement of a span of one file.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TextEdit {
    pub file: FileId,
    pub span: Span,
    pub replacement: String,
}

/// How to repair a finding. `edits` are safe to apply automatically; `snippet` is text for a
/// human to place (lines to add, a command to run) when the right edit needs a decision.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Fix {
    pub summary: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub edits: Vec<TextEdit>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub snippet: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub activation: Option<Activation>,
}

impl Fix {
    pub fn new(summary: impl Into<String>) -> Self {
        Fix { summary: summary.into(), edits: Vec::new(), snippet: None, activation: None }
    }

    pub fn edit(mut self, file: FileId, span: Span, replacement: impl Into<String>) -> Self {
        self.edits.push(TextEdit { file, span, replacement: replacement.into() });
        self
    }

    pub fn snippet(mut self, snippet: impl Into<String>) -> Self {
        self.snippet = Some(snippet.into());
        self
    }

    pub fn activation(mut self, activation: Activation) -> Self {
        self.activation = Some(activation);
        self
    }
}

/// A secondary place that explains the finding (the earlier pg_hba line that shadows this one).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Related {
    pub location: Location,
    pub message: String,
}

/// A finding: which rule, how bad, where, what, and the fix.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Diagnostic {
    pub rule: &'static RuleMeta,
    pub severity: Severity,
    pub location: Location,
    pub message: String,
    pub related: Vec<Related>,
    pub fix: Option<Fix>,
}

impl Diagnostic {
    /// A finding at the rule's default severity.
    pub fn new(rule: &'static RuleMeta, location: Location, message: impl Into<String>) -> Self {
        Diagnostic {
            rule,
            severity: rule.severity,
            location,
            message: message.into(),
            related: Vec::new(),
            fix: None,
        }
    }

    pub fn severity(mut self, severity: Severity) -> Self {
        self.severity = severity;
        self
    }

    pub fn with_fix(mut self, fix: Fix) -> Self {
        self.fix = Some(fix);
        self
    }

    pub fn related(mut self, location: Location, message: impl Into<String>) -> Self {
        self.related.push(Related { location, message: message.into() });
        self
    }
}

/// A located problem a parser met. Parsers never fail: they return their model and these, and
/// the parse-error rule of their area (CONF007, HBA009, CONN014, CERT015) reports them.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ParseError {
    pub location: Location,
    pub message: String,
}

impl ParseError {
    pub fn new(file: FileId, span: Span, message: impl Into<String>) -> Self {
        ParseError { location: Location::new(file, span), message: message.into() }
    }
}
