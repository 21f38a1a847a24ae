//! CONF007: what PostgreSQL would refuse when it reads the configuration.

use super::line_start;
use crate::conf::lexer::{Lexer, TokenKind};
use crate::conf::params::{self, ParamContext};
use crate::diagnostic::{Activation, Diagnostic, Fix, Severity};
use crate::rules::{Context, RuleMeta};
use crate::source::{Location, Span};

pub static META: RuleMeta = RuleMeta {
    id: "CONF007",
    title: "Configuration PostgreSQL refuses",
    severity: Severity::Error,
    item: None,
    docs_url: "https://www.postgresql.org/docs/current/config-setting.html#CONFIG-SETTING-CONFIGURATION-FILE",
    help: "PostgreSQL does not start with this file (FATAL: configuration file contains errors), and a reload applies none of it.",
    doc: crate::rule_doc!(r#"Finds what PostgreSQL itself rejects when it reads postgresql.conf, its includes and
postgresql.auto.conf, quoting PostgreSQL's message:

* syntax errors, read as PostgreSQL's lexer reads them: a value that is not a single word,
  number or quoted string (`ssl_cert_file = server.crt`, `listen_addresses = *`,
  `shared_buffers = 128 MB`, `ssl_ciphers = HIGH:+3DES`), an unterminated quote, a line with
  no value;
* include problems: recursion, nesting deeper than 10, an empty file name; an `include` whose
  file was not given to the audit is reported as a warning, since PostgreSQL's verdict depends
  on the server's disk;
* unknown parameter names ("unrecognized configuration parameter"), except names with a dot,
  which PostgreSQL accepts as extension placeholders; names that other major versions know are
  CONF008's;
* values PostgreSQL cannot parse: booleans ("requires a Boolean value"), enum values (with the
  list of available values), numbers, units (case-sensitive: `MB`, not `mb`) and ranges;
* read-only parameters ("parameter cannot be changed").

**Why it matters.** At start any of these is fatal ("configuration file "…" contains errors");
on a reload the file is not applied.

**Example.**
```
ssl_cert_file = /etc/ssl/server.crt
shared_buffers = 128mb
```

**Fix.** Quote values that are not a single word or number (`'/etc/ssl/server.crt'`), use the
units and values PostgreSQL lists, correct the name.

**References.** `src/backend/utils/misc/guc-file.l` (lexer and `ParseConfigFp`), `guc.c`
(`parse_int`, `parse_real`, `parse_and_validate_value`, `ProcessConfigFileInternal`);
PostgreSQL documentation, "Setting Parameters"."#),
};

pub fn check(cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    let conf = &cx.model.conf;
    for e in &conf.errors {
        let mut d = Diagnostic::new(&META, e.error.location, e.error.message.clone());
        if e.unresolved_include {
            d = d.severity(Severity::Warning).with_fix(Fix::new(
                "Add the included file to the audit (or make sure it exists on the server)",
            ));
        } else if let Some(fix) =
            e.error.message.starts_with("syntax error").then(|| quoting_fix(cx, e.error.location)).flatten()
        {
            d = d.with_fix(fix);
        }
        out.push(d);
    }
    for a in &conf.assignments {
        let s = &a.setting;
        let file = cx.inputs.file(s.location.file);
        let written = a.written_name.to_ascii_lowercase();
        let Some(def) = params::lookup(&written, conf.version) else {
            if params::is_custom_name(&written) || params::is_known_anywhere(&written) {
                continue;
            }
            let mut d = Diagnostic::new(
                &META,
                Location::new(s.location.file, s.name_span),
                format!(
                    "unrecognized configuration parameter \"{}\" in file \"{}\" line {}",
                    a.written_name, file.name, a.line
                ),
            );
            d = d.with_fix(match closest_name(&written, conf.version) {
                Some(near) => Fix::new(format!("Did you mean {near}?"))
                    .edit(s.location.file, s.name_span, near)
                    .activation(conf.activation(near)),
                None => Fix::new("No PostgreSQL version 12-19 knows this name: correct it or comment the line out")
                    .edit(s.location.file, line_start(cx, s.location), "# ")
                    .activation(Activation::Reload),
            });
            out.push(d);
            continue;
        };
        if a.overridden {
            // PostgreSQL skips the value of an assignment a later one overrides.
            continue;
        }
        let value_at = Location::new(s.location.file, s.value_span);
        if def.context == ParamContext::Internal {
            out.push(
                Diagnostic::new(&META, value_at, format!("parameter \"{}\" cannot be changed", a.written_name))
                    .with_fix(
                        Fix::new(format!("{} is read-only: remove the line", def.name)).edit(
                            s.location.file,
                            line_start(cx, s.location),
                            "# ",
                        ),
                    ),
            );
            continue;
        }
        if let Err(e) = params::validate(def, &s.value) {
            let message = match &e.hint {
                Some(h) => format!("{} ({h})", e.message.replacen(def.name, &a.written_name, 1)),
                None => e.message.replacen(def.name, &a.written_name, 1),
            };
            let fix = Fix::new(match def.ty {
                params::ParamType::Enum => format!("Use one of: {}", def.visible_enum_values().join(", ")),
                params::ParamType::Bool => "Use on or off".to_string(),
                _ => match (def.min, def.max) {
                    (Some(min), Some(max)) => format!(
                        "Use a value from {min} to {max}{}",
                        if def.unit.label().is_empty() { String::new() } else { format!(" (in {})", def.unit.label()) }
                    ),
                    _ => "Use a number, with one of the listed units if any".to_string(),
                },
            })
            .activation(conf.activation(def.name));
            out.push(Diagnostic::new(&META, value_at, message).with_fix(fix));
        }
    }
}

/// For a syntax error on a line `name [=] words`: the same words in quotes, which is what
/// PostgreSQL wanted, when the words hold no quote or backslash that quoting would change.
fn quoting_fix(cx: &Context<'_>, at: Location) -> Option<Fix> {
    let file = cx.inputs.file(at.file);
    let line_index = file.line_index.line_of(at.span.start.min(file.text.len()));
    let line = file.line_index.line_span(&file.text, line_index);
    let text = &file.text[line.start..line.end];
    if text.len() > 4096 {
        // Nobody wants a 10 MB value quoted back at them; the message says what is wrong.
        return None;
    }
    let mut lexer = Lexer::new(text);
    let name = lexer.next_token();
    if !matches!(name.kind, TokenKind::Id | TokenKind::QualifiedId) {
        return None;
    }
    let mut value_start = name.span.end;
    let mut t = lexer.next_token();
    if t.kind == TokenKind::Equals {
        value_start = t.span.end;
        t = lexer.next_token();
    }
    if matches!(t.kind, TokenKind::Eol | TokenKind::Eof | TokenKind::String) {
        return None;
    }
    let rest = &text[value_start..];
    let words = rest.split('#').next().unwrap_or("").trim();
    if words.is_empty() || words.contains(['\'', '\\']) || text[value_start..].contains('#') && rest.contains('\'') {
        return None;
    }
    let offset = value_start + (rest.len() - rest.trim_start().len());
    let span = Span::new(line.start + offset, line.start + offset + words.len());
    let name_text = &text[name.span.start..name.span.end];
    Some(
        Fix::new(format!("Quote the value: {name_text} = '{words}'"))
            .edit(at.file, span, format!("'{words}'"))
            .activation(cx.model.conf.activation(name_text)),
    )
}

/// A parameter of the version whose name is within two edits of `name`.
fn closest_name(name: &str, version: u32) -> Option<&'static str> {
    params::all_names()
        .filter(|n| params::lookup(n, version).is_some())
        .map(|n| (edit_distance(name, n), n))
        .filter(|(d, _)| *d <= 2)
        .min()
        .map(|(_, n)| n)
}

fn edit_distance(a: &str, b: &str) -> usize {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    if a.len().abs_diff(b.len()) > 2 || a.len() > 64 {
        return usize::MAX;
    }
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for i in 1..=a.len() {
        let mut cur = vec![i; b.len() + 1];
        for j in 1..=b.len() {
            cur[j] = (prev[j] + 1).min(cur[j - 1] + 1).min(prev[j - 1] + usize::from(a[i - 1] != b[j - 1]));
        }
        prev = cur;
    }
    prev[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::conf::rules::test_support::{apply, run};

    fn messages(version: u32, conf: &str) -> Vec<String> {
        run(check, version, conf, None).1.into_iter().map(|d| d.message).collect()
    }

    #[test]
    fn syntax_errors_get_a_quoting_fix() {
        let (inputs, d) = run(check, 16, "ssl_cert_file = server.crt # leaf\n", None);
        assert_eq!(d.len(), 1);
        assert_eq!(d[0].message, "syntax error in file \"postgresql.conf\" line 1, near token \"server.crt\"");
        assert_eq!(apply(&inputs, &d[0]), "ssl_cert_file = 'server.crt' # leaf\n");
        let (inputs, d) = run(check, 16, "listen_addresses = *\n", None);
        assert_eq!(apply(&inputs, &d[0]), "listen_addresses = '*'\n");
    }

    #[test]
    fn unknown_names_and_custom_placeholders() {
        assert_eq!(
            messages(16, "ssl_cipher = 'HIGH'\n"),
            vec!["unrecognized configuration parameter \"ssl_cipher\" in file \"postgresql.conf\" line 1"]
        );
        let (inputs, d) = run(check, 16, "SSL_Cipher = 'HIGH'\n", None);
        assert_eq!(apply(&inputs, &d[0]), "ssl_ciphers = 'HIGH'\n");
        assert!(messages(16, "pg_stat_statements.max = 10000\nmyext.x = 'y'\n").is_empty());
        let (inputs, d) = run(check, 16, "completely_unknown = 1\n", None);
        assert_eq!(apply(&inputs, &d[0]), "# completely_unknown = 1\n");
        // Known to other versions: CONF008's.
        assert!(messages(17, "ssl_groups = 'X25519'\n").is_empty());
    }

    #[test]
    fn bad_values_in_postgresql_words() {
        assert_eq!(messages(16, "ssl = maybe\n"), vec!["parameter \"ssl\" requires a Boolean value"]);
        assert_eq!(
            messages(16, "ssl_min_protocol_version = 'TLSv1.4'\n"),
            vec!["invalid value for parameter \"ssl_min_protocol_version\": \"TLSv1.4\" (Available values: TLSv1, TLSv1.1, TLSv1.2, TLSv1.3.)"]
        );
        assert_eq!(
            messages(16, "shared_buffers = 128mb\n"),
            vec!["invalid value for parameter \"shared_buffers\": \"128mb\" (Valid units for this parameter are \"B\", \"kB\", \"MB\", \"GB\", and \"TB\".)"]
        );
        assert_eq!(messages(16, "port = 0\n"), vec!["0 is outside the valid range for parameter \"port\" (1 .. 65535)"]);
        assert_eq!(messages(16, "ssl_library = 'LibreSSL'\n"), vec!["parameter \"ssl_library\" cannot be changed"]);
        assert!(messages(16, "shared_buffers = 128MB\nport = 0x1538\nssl = TRUE\nwork_mem = '4 MB'\n").is_empty());
    }

    #[test]
    fn overridden_values_are_not_checked_but_case_variants_are() {
        assert!(messages(16, "port = bogus\nport = 5432\n").is_empty());
        assert_eq!(messages(16, "PORT = bogus\nport = 5432\n").len(), 1);
    }
}
