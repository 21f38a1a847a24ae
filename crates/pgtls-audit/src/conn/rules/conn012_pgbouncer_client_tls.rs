//! CONN012: pgbouncer lets clients reach it in cleartext.

use super::push_once;
use crate::diagnostic::{Activation, Diagnostic, Fix, Severity};
use crate::rules::{Context, RuleMeta};
use crate::source::Location;

pub static META: RuleMeta = RuleMeta {
    id: "CONN012",
    title: "pgbouncer client_tls_sslmode below require",
    severity: Severity::Error,
    item: Some(3),
    docs_url: "https://www.postgresql.org/docs/current/ssl-tcp.html",
    help: "Clients reach the pooler in cleartext: pgbouncer's client side is the server side of the connection, and its default is disable.",
    doc: crate::rule_doc!(r#"
Finds a pgbouncer.ini whose `client_tls_sslmode` is `disable` (the default), `allow` or
`prefer`.

**Why it matters.** pgbouncer sits where the PostgreSQL server would: clients connect to it,
and it decides whether TLS is required. Below `require` it accepts plaintext clients, so
passwords and data cross the network in clear no matter how well the server's own
pg_hba.conf is set up.

**Example.** `[pgbouncer]` without `client_tls_sslmode`, or `client_tls_sslmode = prefer`.

**Fix.**
```ini
client_tls_sslmode = require
client_tls_key_file = /etc/pgbouncer/server.key
client_tls_cert_file = /etc/pgbouncer/server.crt
```
(`verify-ca`/`verify-full` additionally require client certificates.)

**References.** pgbouncer configuration reference (`client_tls_sslmode`); PostgreSQL
documentation §19.9 "Secure TCP/IP Connections with SSL".
"#),
};

pub fn check(cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    for p in &cx.model.clients.poolers {
        let setting = p.get("client_tls_sslmode");
        let value = setting.map_or("disable", |e| e.value.as_str());
        if matches!(value, "require" | "verify-ca" | "verify-full") {
            continue;
        }
        let (loc, message) = match setting {
            Some(e) => (
                Location::new(p.file, e.key_span.cover(e.value_span)),
                format!("pgbouncer accepts clients in cleartext: client_tls_sslmode = {value}."),
            ),
            None => (
                Location::new(p.file, p.section),
                "pgbouncer accepts clients in cleartext: client_tls_sslmode is not set and defaults to disable.".into(),
            ),
        };
        let mut fix = Fix::new("Require TLS from clients")
            .snippet("client_tls_sslmode = require\nclient_tls_key_file = /etc/pgbouncer/server.key\nclient_tls_cert_file = /etc/pgbouncer/server.crt")
            .activation(Activation::Reload);
        // Requiring TLS needs the key and certificate files; only then is the edit safe.
        let has_files = p.get("client_tls_key_file").is_some() && p.get("client_tls_cert_file").is_some();
        if let Some(e) = setting.filter(|_| has_files) {
            fix = fix.edit(p.file, e.value_span, "require");
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
    fn default_and_weak_modes_fail() {
        assert_eq!(ini("[pgbouncer]\nlisten_port = 6432\n").len(), 1);
        let d = ini("[pgbouncer]\nclient_tls_sslmode = prefer\nclient_tls_key_file = k\nclient_tls_cert_file = c\n");
        assert_eq!(d[0].fix.as_ref().unwrap().edits[0].replacement, "require");
        let d = ini("[pgbouncer]\nclient_tls_sslmode = prefer\n");
        assert!(d[0].fix.as_ref().unwrap().edits.is_empty());
    }

    #[test]
    fn require_passes() {
        assert!(ini("[pgbouncer]\nclient_tls_sslmode = require\n").is_empty());
    }
}
