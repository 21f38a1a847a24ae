//! Rules over postgresql.conf.

mod conf001_ssl_off;
mod conf002_min_protocol_below_tls12;
mod conf003_max_protocol_below_tls13;
mod conf005_passphrase_not_reloadable;
mod conf006_md5_password_encryption;
mod conf007_refused_at_start;
mod conf008_not_in_version;
mod conf009_protocol_range_empty;

use super::ConfModel;
use crate::diagnostic::Fix;
use crate::rules::{Context, Rule};
use crate::source::{Location, Span};

pub use conf001_ssl_off::META as CONF001;
pub use conf002_min_protocol_below_tls12::META as CONF002;
pub use conf003_max_protocol_below_tls13::META as CONF003;
pub use conf005_passphrase_not_reloadable::META as CONF005;
pub use conf006_md5_password_encryption::META as CONF006;
pub use conf007_refused_at_start::META as CONF007;
pub use conf008_not_in_version::META as CONF008;
pub use conf009_protocol_range_empty::META as CONF009;

pub static RULES: &[Rule] = &[
    Rule { meta: &conf001_ssl_off::META, check: conf001_ssl_off::check },
    Rule { meta: &conf002_min_protocol_below_tls12::META, check: conf002_min_protocol_below_tls12::check },
    Rule { meta: &conf003_max_protocol_below_tls13::META, check: conf003_max_protocol_below_tls13::check },
    Rule { meta: &conf005_passphrase_not_reloadable::META, check: conf005_passphrase_not_reloadable::check },
    Rule { meta: &conf006_md5_password_encryption::META, check: conf006_md5_password_encryption::check },
    Rule { meta: &conf007_refused_at_start::META, check: conf007_refused_at_start::check },
    Rule { meta: &conf008_not_in_version::META, check: conf008_not_in_version::check },
    Rule { meta: &conf009_protocol_range_empty::META, check: conf009_protocol_range_empty::check },
];

/// The SSL section of the server configuration chapter.
pub(crate) const SSL_DOCS: &str =
    "https://www.postgresql.org/docs/current/runtime-config-connection.html#RUNTIME-CONFIG-CONNECTION-SSL";

/// TLS protocol versions in order, as `ssl_min_protocol_version` and `ssl_max_protocol_version`
/// spell them (case-insensitively).
pub(crate) fn tls_rank(value: &str) -> Option<u8> {
    ["tlsv1", "tlsv1.1", "tlsv1.2", "tlsv1.3"].iter().position(|v| v.eq_ignore_ascii_case(value)).map(|i| i as u8)
}

/// Where a finding about a parameter points, and a fix that gives it `literal` (written as it
/// should appear in the file, quotes included): the value is replaced where the parameter is
/// set, and a line is added to the end of postgresql.conf where it is not. None when the
/// parameter is unset and no postgresql.conf was given.
pub(crate) fn set_value(cx: &Context<'_>, name: &str, literal: &str, summary: &str) -> Option<(Location, Fix)> {
    let conf: &ConfModel = &cx.model.conf;
    let activation = conf.activation(name);
    match conf.effective(name) {
        Some(s) => {
            let at = Location::new(s.location.file, s.value_span);
            Some((at, Fix::new(summary).edit(at.file, s.value_span, literal).activation(activation)))
        }
        None => {
            let at = conf.insertion_point(cx.inputs)?;
            let line = format!("{name} = {literal}");
            let text = conf.insertion_text(cx.inputs, &line);
            Some((at, Fix::new(summary).edit(at.file, at.span, text).snippet(line).activation(activation)))
        }
    }
}

/// The start of the line holding a span, where `#` comments the line out.
pub(crate) fn line_start(cx: &Context<'_>, at: Location) -> Span {
    let f = cx.inputs.file(at.file);
    let line = f.line_index.line_of(at.span.start.min(f.text.len()));
    Span::at(f.line_index.line_span(&f.text, line).start)
}

#[cfg(test)]
pub(crate) mod test_support {
    use crate::diagnostic::Diagnostic;
    use crate::model::Model;
    use crate::options::AuditOptions;
    use crate::rules::{CheckFn, Context};
    use crate::source::{Inputs, SourceFile};
    use crate::InputKind;

    /// Runs one rule over a postgresql.conf (and an optional auto.conf) for a version.
    pub fn run(check: CheckFn, version: u32, conf: &str, auto: Option<&str>) -> (Inputs, Vec<Diagnostic>) {
        let mut inputs = Inputs::new();
        inputs.push(SourceFile::from_text("postgresql.conf", InputKind::PostgresqlConf, conf));
        if let Some(auto) = auto {
            inputs.push(SourceFile::from_text("postgresql.auto.conf", InputKind::PostgresqlAutoConf, auto));
        }
        let mut options = AuditOptions::new(0);
        options.pg_version = version;
        let model = Model::build(&inputs, &options);
        let cx = Context { inputs: &inputs, options: &options, model: &model };
        let mut out = Vec::new();
        check(&cx, &mut out);
        (inputs, out)
    }

    /// The file text after applying the first fix's edits.
    pub fn apply(inputs: &Inputs, d: &Diagnostic) -> String {
        let fix = d.fix.as_ref().expect("a fix");
        let edit = &fix.edits[0];
        let mut text = inputs.file(edit.file).text.clone();
        text.replace_range(edit.span.start..edit.span.end, &edit.replacement);
        text
    }
}
