//! Rules over pg_hba.conf.

pub mod hba001_remote_without_ssl;
pub mod hba002_ssl_one_family_only;
pub mod hba003_trust_over_tcp;
pub mod hba004_cleartext_password_without_ssl;
pub mod hba005_md5;
pub mod hba006_shadowed_line;
pub mod hba007_hostssl_with_ssl_off;
pub mod hba008_client_cert_without_ca;
pub mod hba009_refused_line;
pub mod hba010_no_hostnossl_reject;

use crate::diagnostic::{Activation, Fix};
use crate::hba::{HbaFile, HbaRecord};
use crate::rules::{Context, Rule};
use crate::source::{Inputs, Span};

pub static RULES: &[Rule] = &[
    Rule { meta: &hba001_remote_without_ssl::META, check: hba001_remote_without_ssl::check },
    Rule { meta: &hba002_ssl_one_family_only::META, check: hba002_ssl_one_family_only::check },
    Rule { meta: &hba003_trust_over_tcp::META, check: hba003_trust_over_tcp::check },
    Rule { meta: &hba004_cleartext_password_without_ssl::META, check: hba004_cleartext_password_without_ssl::check },
    Rule { meta: &hba005_md5::META, check: hba005_md5::check },
    Rule { meta: &hba006_shadowed_line::META, check: hba006_shadowed_line::check },
    Rule { meta: &hba007_hostssl_with_ssl_off::META, check: hba007_hostssl_with_ssl_off::check },
    Rule { meta: &hba008_client_cert_without_ca::META, check: hba008_client_cert_without_ca::check },
    Rule { meta: &hba009_refused_line::META, check: hba009_refused_line::check },
    Rule { meta: &hba010_no_hostnossl_reject::META, check: hba010_no_hostnossl_reject::check },
];

/// The documentation section every pg_hba.conf rule rests on.
pub const HBA_DOCS: &str = "https://www.postgresql.org/docs/current/auth-pg-hba-conf.html";

/// The record's text as written, continuations joined, for messages.
pub(crate) fn record_text(inputs: &Inputs, r: &HbaRecord) -> String {
    crate::hba::short_text(inputs.file(r.file).slice(r.span))
}

/// The record as it would read with one token replaced.
pub(crate) fn record_with(inputs: &Inputs, r: &HbaRecord, span: Span, replacement: &str) -> String {
    let text = inputs.file(r.file).slice(r.span);
    if span.start < r.span.start || span.end > r.span.end {
        return text.to_string();
    }
    let (a, b) = (span.start - r.span.start, span.end - r.span.start);
    format!("{}{}{}", &text[..a], replacement, &text[b..])
}

/// Advice to replace one token, with the resulting line to place by hand: for changes that
/// need a decision first (roles must have SCRAM passwords before md5 or trust can go).
pub(crate) fn token_advice(inputs: &Inputs, r: &HbaRecord, span: Span, replacement: &str, summary: String) -> Fix {
    Fix::new(summary).snippet(record_with(inputs, r, span, replacement)).activation(Activation::Reload)
}

/// pg_hba.conf files the rules judge, with the context.
pub(crate) fn files<'a>(cx: &'a Context<'_>) -> impl Iterator<Item = &'a HbaFile> {
    cx.model.hba.files.iter()
}

/// Test support: an audit of the given files (name, text).
#[cfg(test)]
pub(crate) fn audit_of(files: &[(&str, &str)], pg_version: u32) -> (Inputs, crate::Analysis) {
    let mut inputs = Inputs::new();
    for (name, text) in files {
        inputs.push_detected(*name, text.as_bytes().to_vec());
    }
    let mut options = crate::AuditOptions::new(0);
    options.pg_version = pg_version;
    let analysis = crate::audit(&inputs, &options);
    (inputs, analysis)
}

/// Test support: the 1-based lines a rule reported, in order.
#[cfg(test)]
pub(crate) fn reported_lines(files: &[(&str, &str)], rule: &str) -> Vec<usize> {
    let (inputs, analysis) = audit_of(files, 16);
    analysis
        .diagnostics
        .iter()
        .filter(|d| d.rule.id == rule)
        .map(|d| inputs.file(d.location.file).line_col(d.location.span.start, crate::ColumnUnit::Utf8).line)
        .collect()
}
