//! CONN005: verification on, but no sslrootcert: the default root location is used.

use super::{network_clients, push_once};
use crate::conn::SslMode;
use crate::diagnostic::{Activation, Diagnostic, Fix, Severity};
use crate::rules::{Context, RuleMeta};
use crate::source::Location;

pub static META: RuleMeta = RuleMeta {
    id: "CONN005",
    title: "Verification on, but no sslrootcert: the default roots are used",
    severity: Severity::Info,
    item: Some(4),
    docs_url: "https://www.postgresql.org/docs/current/libpq-ssl.html#LIBPQ-SSL-FILE-USAGE",
    help: "Which CA the client trusts then depends on the machine it runs on (~/.postgresql/root.crt for libpq), not on the configuration you can see.",
    doc: crate::rule_doc!(r#"
Finds a client that verifies the server (`verify-ca` or `verify-full`, or pgbouncer's
`server_tls_sslmode = verify-*`) without naming the root certificate (`sslrootcert`,
`PGSSLROOTCERT`, Npgsql `Root Certificate`, pgbouncer `server_tls_ca_file`).

**Why it matters.** libpq then reads `~/.postgresql/root.crt` (`%APPDATA%\postgresql\root.crt`
on Windows) of whichever user runs the client, and fails with "root certificate file ... does
not exist" when it is missing; Go, Node, Npgsql and sqlx use the system's trusted roots, which
accept any public CA. The trust decision is invisible in the configuration and differs between
machines.

**Example.** `host=db.example.com sslmode=verify-full`

**Fix.** Name the root: `sslrootcert=/etc/ssl/certs/pg-root.crt`, or `sslrootcert=system`
(libpq 16+) when the server certificate comes from a public CA.

**References.** PostgreSQL documentation §34.19.3 "Client File Usage", table "Libpq/Client SSL
File Usage"; `src/interfaces/libpq/fe-secure-openssl.c` (`ROOT_CERT_FILE`).
"#),
};

pub fn check(cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    for c in network_clients(cx) {
        if !matches!(c.sslmode, Some(SslMode::VerifyCa | SslMode::VerifyFull)) || c.verification_off.is_some() {
            continue;
        }
        if c.get("sslrootcert").is_some() {
            continue;
        }
        let message = format!(
            "{}: the server is verified against {} because no sslrootcert is given.",
            c.name,
            c.driver.default_roots()
        );
        let fix = Fix::new("Name the root certificate")
            .snippet(super::add_keywords(c, false))
            .activation(Activation::Reconnect);
        push_once(out, Diagnostic::new(&META, c.location, message).with_fix(fix));
    }
    for p in &cx.model.clients.poolers {
        let Some(mode) = p.get("server_tls_sslmode") else { continue };
        if !mode.value.starts_with("verify-") || p.get("server_tls_ca_file").is_some() {
            continue;
        }
        let message = format!(
            "pgbouncer verifies the servers (server_tls_sslmode = {}) against the system's default CA store, because server_tls_ca_file is not set.",
            mode.value
        );
        let fix = Fix::new("Name the CA of the PostgreSQL servers")
            .snippet("server_tls_ca_file = /etc/pgbouncer/root.crt")
            .activation(Activation::Reload);
        push_once(out, Diagnostic::new(&META, Location::new(p.file, mode.key_span.cover(mode.value_span)), message).with_fix(fix));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::conn::test_support::{run, run_at};
    use crate::detect::InputKind;

    #[test]
    fn verify_full_without_a_root_is_noted() {
        let d = run(check, "host=db sslmode=verify-full\nhost=db sslmode=verify-full sslrootcert=system\n");
        assert_eq!(d.len(), 1);
        assert!(d[0].message.contains("~/.postgresql/root.crt"));
    }

    #[test]
    fn pgbouncer_without_a_ca_file_is_noted() {
        let (_, d) = run_at(check, 16, &[("pgbouncer.ini", InputKind::Pgbouncer, "[pgbouncer]\nserver_tls_sslmode = verify-full\n")]);
        assert_eq!(d.len(), 1);
        assert!(run(check, "host=db sslmode=require\n").is_empty());
    }
}
