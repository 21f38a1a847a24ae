//! Rules over ssl_ciphers, ssl_tls13_ciphers, ssl_groups and ssl_ecdh_curve (CONF004, CONF010,
//! CONF011, CONF012), and what they share: the effective value of a setting (the given one or
//! the version's default), where to point, and how to write a replacement value.

pub mod conf004_weak_ciphers;
pub mod conf010_no_ciphers;
pub mod conf011_unusable_suites;
pub mod conf012_unknown_tls_names;

use crate::conf::{parse_bool, Setting};
use crate::detect::InputKind;
use crate::diagnostic::{Activation, Fix};
use crate::rules::{Context, Rule};
use crate::source::{Location, Span};

pub static RULES: &[Rule] = &[
    Rule { meta: &conf004_weak_ciphers::META, check: conf004_weak_ciphers::check },
    Rule { meta: &conf010_no_ciphers::META, check: conf010_no_ciphers::check },
    Rule { meta: &conf011_unusable_suites::META, check: conf011_unusable_suites::check },
    Rule { meta: &conf012_unknown_tls_names::META, check: conf012_unknown_tls_names::check },
];

/// A server TLS setting as the rules see it: set in a given file, or the default.
pub(crate) struct ServerValue<'a> {
    pub name: &'static str,
    pub value: String,
    pub setting: Option<&'a Setting>,
    /// The assignment, or (for a default) the start of the first postgresql.conf.
    pub location: Location,
}

impl ServerValue<'_> {
    /// "ssl_ciphers 'X'" or "the default ssl_ciphers 'X'", for messages.
    pub fn describe(&self) -> String {
        match self.setting {
            Some(_) => format!("{} '{}'", self.name, self.value),
            None => format!("the default {} '{}'", self.name, self.value),
        }
    }

    /// Maps a byte span of the value to the file, when the value appears there verbatim (no
    /// escapes); otherwise the whole assignment.
    pub fn locate(&self, cx: &Context<'_>, span: Span) -> Location {
        let Some(s) = self.setting else { return self.location };
        let file = cx.inputs.file(s.location.file);
        let raw = file.slice(s.value_span);
        let inner = if raw.starts_with('\'') { s.value_span.start + 1 } else { s.value_span.start };
        let candidate = Span::new(inner + span.start, inner + span.end);
        if candidate.end <= file.text.len() && file.slice(candidate) == self.value.get(span.start..span.end).unwrap_or("\u{0}") {
            Location::new(s.location.file, candidate)
        } else {
            s.location
        }
    }

    /// A fix that sets the parameter to `new_value`: an edit of the value when it is set, or a
    /// line appended to the postgresql.conf when the default is in force. ssl_* parameters
    /// are reloadable (sighup) in every version.
    pub fn fix(&self, cx: &Context<'_>, summary: impl Into<String>, new_value: &str) -> Fix {
        let line = format!("{} = '{}'", self.name, new_value.replace('\'', "''"));
        let fix = Fix::new(summary).snippet(line.clone()).activation(Activation::Reload);
        match self.setting {
            Some(s) => {
                let file = cx.inputs.file(s.location.file);
                let raw = file.slice(s.value_span);
                let quoted_outside = s.value_span.start > 0
                    && file.text.as_bytes().get(s.value_span.start - 1) == Some(&b'\'')
                    && !raw.starts_with('\'');
                let replacement = if quoted_outside {
                    new_value.replace('\'', "''")
                } else {
                    format!("'{}'", new_value.replace('\'', "''"))
                };
                fix.edit(s.location.file, s.value_span, replacement)
            }
            None => {
                let file = cx.inputs.file(self.location.file);
                let sep = if file.text.is_empty() || file.text.ends_with('\n') { "" } else { "\n" };
                fix.edit(self.location.file, file.end_span(), format!("{sep}{line}\n"))
            }
        }
    }
}

/// The postgresql.conf the audit was given, if any: where a default is reported.
fn conf_anchor(cx: &Context<'_>) -> Option<Location> {
    if !cx.model.conf.is_present() {
        return None;
    }
    cx.inputs
        .of_kind(InputKind::PostgresqlConf)
        .chain(cx.inputs.of_kind(InputKind::PostgresqlAutoConf))
        .next()
        .map(|(id, _)| Location::new(id, Span::at(0)))
}

/// The effective value of `name`, with `default` when no given file sets it. None when no
/// postgresql.conf was given (nothing to judge).
pub(crate) fn server_value<'a>(cx: &Context<'a>, name: &'static str, default: &str) -> Option<ServerValue<'a>> {
    let anchor = conf_anchor(cx)?;
    Some(match cx.model.conf.effective(name) {
        Some(s) => ServerValue { name, value: s.value.clone(), setting: Some(s), location: s.location },
        None if provider_defaults_only(cx) => return None,
        None => ServerValue { name, value: default.to_string(), setting: None, location: anchor },
    })
}

/// Whether every server configuration comes from a managed provider's export (RDS, Cloud SQL,
/// Azure), whose own defaults, not PostgreSQL's, apply to what the export leaves out.
fn provider_defaults_only(cx: &Context<'_>) -> bool {
    let mut confs = cx
        .inputs
        .files
        .iter()
        .filter(|f| matches!(f.kind, InputKind::PostgresqlConf | InputKind::PostgresqlAutoConf))
        .peekable();
    confs.peek().is_some() && confs.all(|f| f.origin.as_ref().is_some_and(|o| o.provider_defaults))
}

/// Whether the server loads its SSL context at all (`ssl = on`).
pub(crate) fn ssl_enabled(cx: &Context<'_>) -> bool {
    cx.model.conf.effective("ssl").and_then(|s| parse_bool(&s.value)).unwrap_or(false)
}

/// Whether TLS 1.2 and older are out of play (`ssl_min_protocol_version = 'TLSv1.3'`), so that
/// ssl_ciphers is never consulted in a handshake.
pub(crate) fn tls12_disabled(cx: &Context<'_>) -> bool {
    cx.model
        .conf
        .effective("ssl_min_protocol_version")
        .is_some_and(|s| s.value.trim().eq_ignore_ascii_case("TLSv1.3"))
}

/// Whether TLS 1.3 can be negotiated (`ssl_max_protocol_version` empty or TLSv1.3).
pub(crate) fn tls13_enabled(cx: &Context<'_>) -> bool {
    cx.model.conf.effective("ssl_max_protocol_version").is_none_or(|s| {
        let v = s.value.trim();
        v.is_empty() || v.eq_ignore_ascii_case("TLSv1.3")
    })
}

/// The server's ssl_ciphers as OpenSSL expands it, for views that list the suites (the page
/// shows it under the setting): the effective value (or the default), where it is set, the
/// ordered list, and a replacement without the weak suites when there are any.
pub struct ServerCipherList {
    pub parameter: &'static str,
    pub value: String,
    /// Set in a given file (else PostgreSQL's default is in force).
    pub is_set: bool,
    /// The assignment, or the start of the postgresql.conf for a default.
    pub location: Location,
    pub list: crate::cipher::CipherList,
    /// The value [`CipherList::without_weak_suites`](crate::cipher::CipherList::without_weak_suites) proposes.
    pub replacement: Option<String>,
    /// `ssl_min_protocol_version = 'TLSv1.3'`: the list is never consulted.
    pub unused: bool,
}

/// See [`ServerCipherList`]; none when no postgresql.conf was given or a provider's defaults
/// apply.
pub fn server_cipher_list(cx: &Context<'_>) -> Option<ServerCipherList> {
    let value = server_value(cx, "ssl_ciphers", crate::cipher::POSTGRES_DEFAULT_CIPHERS)?;
    let list = crate::cipher::evaluate(&value.value, crate::cipher::DEFAULT_SECLEVEL);
    let replacement = if list.accepted() { list.without_weak_suites() } else { None };
    Some(ServerCipherList {
        parameter: value.name,
        is_set: value.setting.is_some(),
        location: value.location,
        value: value.value,
        list,
        replacement,
        unused: tls12_disabled(cx),
    })
}

/// Names joined for a message, at most `max` of them.
pub(crate) fn name_list<'a>(names: impl IntoIterator<Item = &'a str>, max: usize) -> String {
    let names: Vec<&str> = names.into_iter().collect();
    let mut s = names.iter().take(max).copied().collect::<Vec<_>>().join(", ");
    if names.len() > max {
        s.push_str(&format!(" and {} more", names.len() - max));
    }
    s
}

/// Test support: audits the given files at a PostgreSQL version.
#[cfg(test)]
pub(crate) mod testing {
    use crate::detect::InputKind;
    use crate::source::{Inputs, SourceFile};
    use crate::{AuditOptions, Diagnostic};

    pub fn audit(files: &[(&str, InputKind, &str)], pg_version: u32) -> (Inputs, Vec<Diagnostic>) {
        let mut inputs = Inputs::new();
        for (name, kind, text) in files {
            inputs.push(SourceFile::from_text(*name, *kind, *text));
        }
        let mut options = AuditOptions::new(1_798_761_600);
        options.pg_version = pg_version;
        let analysis = crate::audit(&inputs, &options);
        (inputs, analysis.diagnostics)
    }

    pub fn conf(text: &str, pg_version: u32) -> (Inputs, Vec<Diagnostic>) {
        audit(&[("postgresql.conf", InputKind::PostgresqlConf, text)], pg_version)
    }

    pub fn with_rule<'a>(diags: &'a [Diagnostic], id: &str) -> Vec<&'a Diagnostic> {
        diags.iter().filter(|d| d.rule.id == id).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Model;
    use crate::source::{Inputs, SourceFile};
    use crate::AuditOptions;

    fn list_for(text: &str) -> Option<ServerCipherList> {
        let mut inputs = Inputs::new();
        inputs.push(SourceFile::from_text("postgresql.conf", InputKind::PostgresqlConf, text));
        let options = AuditOptions::new(1_798_761_600);
        let model = Model::build(&inputs, &options);
        server_cipher_list(&Context { inputs: &inputs, options: &options, model: &model })
    }

    #[test]
    fn the_default_list_is_expanded_with_its_weak_suites_and_a_replacement() {
        let l = list_for("ssl = on\n").expect("a postgresql.conf was given");
        assert!(!l.is_set);
        assert_eq!(l.value, crate::cipher::POSTGRES_DEFAULT_CIPHERS);
        assert!(l.list.suites.len() > 20, "HIGH:MEDIUM enables dozens of suites");
        assert!(l.list.weak().any(|s| s.name == "AES128-SHA"), "static RSA with CBC-SHA1 is in the default");
        let fixed = l.replacement.expect("the default has weak suites");
        assert!(crate::cipher::evaluate(&fixed, 1).weak().next().is_none());
        assert!(!l.unused);
    }

    #[test]
    fn a_set_value_points_at_its_line_and_strong_lists_need_no_replacement() {
        let l = list_for("ssl = on\nssl_ciphers = 'ECDHE+AESGCM'\nssl_min_protocol_version = 'TLSv1.3'\n").unwrap();
        assert!(l.is_set && l.unused);
        assert_eq!(l.location.span.start, 9);
        assert!(l.list.suites.iter().all(|s| s.name.starts_with("ECDHE-")));
        assert_eq!(l.replacement, None);
    }

    #[test]
    fn nothing_without_a_postgresql_conf() {
        let mut inputs = Inputs::new();
        inputs.push(SourceFile::from_text("pg_hba.conf", InputKind::PgHba, "local all all peer\n"));
        let options = AuditOptions::new(0);
        let model = Model::build(&inputs, &options);
        assert!(server_cipher_list(&Context { inputs: &inputs, options: &options, model: &model }).is_none());
    }
}
