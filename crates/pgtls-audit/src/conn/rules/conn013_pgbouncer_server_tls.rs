//! CONN013: pgbouncer does not verify the PostgreSQL servers it connects to.

use super::push_once;
use crate::diagnostic::{Activation, Diagnostic, Fix, Severity};
use crate::rules::{Context, RuleMeta};
use crate::source::Location;

pub static META: RuleMeta = RuleMeta {
    id: "CONN013",
    title: "pgbouncer server_tls_sslmode below verify-full",
    severity: Severity::Error,
    item: Some(4),
    docs_url: "https://www.postgresql.org/docs/current/libpq-ssl.html#LIBPQ-SSL-PROTECTION",
    help: "pgbouncer is a client of PostgreSQL; below verify-full it does not check that it talks to the real server (its default, prefer, may even fall back to plaintext).",
    doc: crate::rule_doc!(r#"
Finds a pgbouncer.ini whose `server_tls_sslmode` (pgbouncer as a client of PostgreSQL) is below
`verify-full`; its default is `prefer`.

**Why it matters.** Every client's traffic is forwarded over these connections. With
`disable`, `allow` or `prefer` it may travel in plaintext; with `require` any certificate is
accepted; with `verify-ca` any certificate of the same CA. The pooler's server connections are
as exposed as a client with the same sslmode.

**Example.** `server_tls_sslmode = require`

**Fix.**
```ini
server_tls_sslmode = verify-full
server_tls_ca_file = /etc/pgbouncer/root.crt
```
and use host names in `[databases]` that the server certificates carry.

**References.** pgbouncer configuration reference (`server_tls_sslmode`, `server_tls_ca_file`);
PostgreSQL documentation §34.19.1.
"#),
};

pub fn check(cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    for p in &cx.model.clients.poolers {
        let setting = p.get("server_tls_sslmode");
        let value = setting.map_or("prefer", |e| e.value.as_str());
        if value == "verify-full" {
            continue;
        }
        let meaning = crate::conn::SslMode::parse(value).map_or("an sslmode pgbouncer does not know", |m| m.wire());
        let (loc, message) = match setting {
            Some(e) => (
                Location::new(p.file, e.key_span.cover(e.value_span)),
                format!("pgbouncer connects to PostgreSQL with server_tls_sslmode = {value}: {meaning}."),
            ),
            None => (
                Location::new(p.file, p.section),
                format!("pgbouncer connects to PostgreSQL with the default server_tls_sslmode = prefer: {meaning}."),
            ),
        };
        let mut snippet = String::from("server_tls_sslmode = verify-full");
        if p.get("server_tls_ca_file").is_none() {
            snippet.push_str("\nserver_tls_ca_file = /etc/pgbouncer/root.crt");
        }
        let mut fix = Fix::new("Verify the PostgreSQL servers").snippet(snippet).activation(Activation::Reload);
        // With a CA file the edit is safe; without one, which CA to trust is a decision.
        if let Some(e) = setting.filter(|_| p.get("server_tls_ca_file").is_some()) {
            fix = fix.edit(p.file, e.value_span, "verify-full");
        }
        push_once(out, Diagnostic::new(&META, loc, message).with_fix(fix));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::conn::test_support::run_at;
    use crate::detect::InputKind;

    fn ini(text: &str) -> Vec<Diagnostic> {
        run_at(check, 16, &[("pgbouncer.ini", InputKind::Pgbouncer, text)]).1
    }

    #[test]
    fn default_prefer_and_verify_ca_fail() {
        assert!(ini("[pgbouncer]\n")[0].message.contains("default server_tls_sslmode = prefer"));
        assert_eq!(ini("[pgbouncer]\nserver_tls_sslmode = verify-ca\n").len(), 1);
    }

    #[test]
    fn verify_full_passes() {
        assert!(ini("[pgbouncer]\nserver_tls_sslmode = verify-full\nserver_tls_ca_file = /ca\n").is_empty());
    }
}
