//! Rules over client connection settings.

mod conn001_no_sslmode;
mod conn002_cleartext_possible;
mod conn003_require_unverified;
mod conn004_verify_ca;
mod conn005_default_root;
mod conn006_verify_full_without_name;
mod conn007_refused_combination;
mod conn008_password_in_string;
mod conn009_verification_disabled;
mod conn010_channel_binding;
mod conn011_unix_socket;
mod conn012_pgbouncer_client_tls;
mod conn013_pgbouncer_server_tls;
mod conn014_unparseable;
mod conn015_pgbouncer_ciphers;

use crate::conn::{Client, Origin, SslMode, Style};
use crate::diagnostic::{Activation, Diagnostic, Fix};
use crate::rules::{Context, Rule};
use crate::source::Location;

pub static RULES: &[Rule] = &[
    Rule { meta: &conn001_no_sslmode::META, check: conn001_no_sslmode::check },
    Rule { meta: &conn002_cleartext_possible::META, check: conn002_cleartext_possible::check },
    Rule { meta: &conn003_require_unverified::META, check: conn003_require_unverified::check },
    Rule { meta: &conn004_verify_ca::META, check: conn004_verify_ca::check },
    Rule { meta: &conn005_default_root::META, check: conn005_default_root::check },
    Rule { meta: &conn006_verify_full_without_name::META, check: conn006_verify_full_without_name::check },
    Rule { meta: &conn007_refused_combination::META, check: conn007_refused_combination::check },
    Rule { meta: &conn008_password_in_string::META, check: conn008_password_in_string::check },
    Rule { meta: &conn009_verification_disabled::META, check: conn009_verification_disabled::check },
    Rule { meta: &conn010_channel_binding::META, check: conn010_channel_binding::check },
    Rule { meta: &conn011_unix_socket::META, check: conn011_unix_socket::check },
    Rule { meta: &conn012_pgbouncer_client_tls::META, check: conn012_pgbouncer_client_tls::check },
    Rule { meta: &conn013_pgbouncer_server_tls::META, check: conn013_pgbouncer_server_tls::check },
    Rule { meta: &conn014_unparseable::META, check: conn014_unparseable::check },
    Rule { meta: &conn015_pgbouncer_ciphers::META, check: conn015_pgbouncer_ciphers::check },
];

/// Clients whose TLS the sslmode rules judge: readable, and not only over Unix sockets
/// (where libpq ignores sslmode).
fn network_clients<'a>(cx: &'a Context<'_>) -> impl Iterator<Item = &'a Client> {
    cx.model.clients.clients.iter().filter(|c| !c.refused && c.refusals.is_empty() && !c.only_unix_sockets())
}

/// Pushes a diagnostic unless the same rule already reported the same place (one environment
/// block applies to many clients).
fn push_once(out: &mut Vec<Diagnostic>, d: Diagnostic) {
    if !out.iter().any(|o| o.rule.id == d.rule.id && o.location == d.location) {
        out.push(d);
    }
}

/// Where a client's effective sslmode is written, or the client itself when it is a default.
fn sslmode_location(c: &Client) -> Location {
    c.get("sslmode").and_then(|v| v.location).unwrap_or(c.location)
}

/// verify-full spelt in the client's dialect.
fn verify_full_word(c: &Client) -> &'static str {
    match c.string.as_ref().map(|s| s.style) {
        Some(Style::Npgsql) if c.get("sslmode").is_some_and(|v| v.origin == Origin::String) => "VerifyFull",
        _ => "verify-full",
    }
}

/// The fix that makes a client verify-full with a root. With a root already configured it
/// is an edit: the written sslmode replaced, or `sslmode=verify-full` appended in the string's
/// own dialect. Without one, which CA to trust is a decision: the fix says what to add and
/// edits nothing.
fn verify_full_fix(c: &Client, summary: &str) -> Fix {
    let fix = Fix::new(summary).activation(Activation::Reconnect);
    let root_given = c.get("sslrootcert").is_some();
    let written = c.get("sslmode").and_then(|v| v.value_location);
    if !root_given {
        let snippet = match &c.string {
            Some(_) => add_keywords(c, written.is_none()),
            None => "PGSSLMODE=verify-full\nPGSSLROOTCERT=/path/to/root.crt".to_string(),
        };
        return fix.snippet(snippet);
    }
    if let Some(loc) = written {
        return fix.edit(loc.file, loc.span, verify_full_word(c));
    }
    match &c.string {
        Some(s) => {
            let text = add_keywords(c, true);
            fix.edit(c.location.file, crate::source::Span::at(s.append_at), text.clone()).snippet(text)
        }
        None => fix.snippet("PGSSLMODE=verify-full"),
    }
}

/// `sslmode=verify-full` (and `sslrootcert=...` when none is set) in the string's dialect,
/// written to be appended at the string's end.
fn add_keywords(c: &Client, with_mode: bool) -> String {
    let root = c.get("sslrootcert").is_none();
    let Some(s) = &c.string else {
        return "PGSSLROOTCERT=/path/to/root.crt".into();
    };
    let mut parts: Vec<(&str, &str)> = Vec::new();
    match s.style {
        Style::Npgsql => {
            if with_mode {
                parts.push(("SSL Mode", "VerifyFull"));
            }
            if root {
                parts.push(("Root Certificate", "/path/to/root.crt"));
            }
            parts.iter().map(|(k, v)| format!(";{k}={v}")).collect()
        }
        Style::KeywordValue => {
            if with_mode {
                parts.push(("sslmode", "verify-full"));
            }
            if root {
                parts.push(("sslrootcert", "/path/to/root.crt"));
            }
            parts.iter().map(|(k, v)| format!(" {k}={v}")).collect()
        }
        Style::Uri | Style::Jdbc => {
            if with_mode {
                parts.push(("sslmode", "verify-full"));
            }
            if root {
                parts.push(("sslrootcert", "/path/to/root.crt"));
            }
            let mut out = String::new();
            let mut first = !s.has_query;
            for (k, v) in parts {
                out.push(if first { '?' } else { '&' });
                first = false;
                out.push_str(&format!("{k}={v}"));
            }
            out
        }
    }
}

/// The effective mode's name and where it came from, for messages.
fn mode_and_origin(c: &Client) -> String {
    let v = c.get("sslmode");
    let origin = v.map_or_else(String::new, |v| v.origin.describe());
    format!("sslmode={} ({origin})", c.sslmode_text())
}

/// Whether the mode is one that may send data in cleartext.
fn may_be_cleartext(m: Option<SslMode>) -> bool {
    matches!(m, Some(SslMode::Disable | SslMode::Allow | SslMode::Prefer))
}
