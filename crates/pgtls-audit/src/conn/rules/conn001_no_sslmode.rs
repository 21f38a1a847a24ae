//! CONN001: no sslmode anywhere, so the driver's default decides.

use super::{network_clients, push_once, verify_full_fix};
use crate::conn::{Origin, SslMode};
use crate::diagnostic::{Diagnostic, Severity};
use crate::rules::{Context, RuleMeta};

pub static META: RuleMeta = RuleMeta {
    id: "CONN001",
    title: "No sslmode given: the driver's default applies",
    severity: Severity::Error,
    item: Some(4),
    docs_url: "https://www.postgresql.org/docs/current/libpq-ssl.html#LIBPQ-SSL-PROTECTION",
    help: "Without sslmode the client uses its driver's default, which for libpq is prefer: SSL if the server offers it, plaintext otherwise, and the certificate is never checked.",
    doc: crate::rule_doc!(r#"
Finds a client for which no sslmode is set anywhere: not in the connection string, not in the
service file section it uses, not in `PGSSLMODE`/`PGREQUIRESSL`, and not implied (pgjdbc's
`ssl=true`, libpq 16's `sslrootcert=system`).

**Why it matters.** The driver's default then decides. libpq, psycopg, pgx, Npgsql, pgjdbc, sqlx
and tokio-postgres default to `prefer`: SSL when the server offers it, but a refusal (or an
attacker stripping the SSLRequest) silently falls back to plaintext, and the certificate is
never checked. node-postgres uses no TLS at all unless told to. Go's lib/pq defaults to
`require` (encrypted but unverified), reported here as a warning.

**Example.** `host=db.example.com dbname=app user=app`

**Fix.** Add `sslmode=verify-full` and `sslrootcert=` naming the CA that signed the server
certificate (or `sslrootcert=system` on libpq 16+ for a public CA); in Npgsql
`SSL Mode=VerifyFull;Root Certificate=...`.

**References.** PostgreSQL documentation §34.19.1 "Protection Provided in Different Modes";
`src/interfaces/libpq/fe-connect.c` (`DefaultSSLMode`).
"#),
};

pub fn check(cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    for c in network_clients(cx) {
        let Some(v) = c.get("sslmode") else { continue };
        if v.origin != Origin::DriverDefault || c.verification_off.is_some() {
            continue;
        }
        let mode = c.driver.default_mode();
        let severity = if mode >= SslMode::Require { Severity::Warning } else { Severity::Error };
        let message = format!(
            "{}: no sslmode is given, so {}'s default applies ({}): {}. {}.",
            c.name,
            c.driver.name(),
            if c.driver == crate::conn::Driver::NodePostgres { "no TLS".to_string() } else { format!("sslmode={}", mode.as_str()) },
            mode.wire(),
            c.driver.semantics()
        );
        let fix = verify_full_fix(c, "Ask for verify-full with a root certificate");
        push_once(out, Diagnostic::new(&META, c.location, message).severity(severity).with_fix(fix));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::conn::test_support::run;

    #[test]
    fn a_string_without_sslmode_relies_on_prefer() {
        let d = run(check, "host=db.example.com dbname=app\n");
        assert_eq!(d.len(), 1);
        assert!(d[0].message.contains("libpq's default applies (sslmode=prefer)"));
        let fix = d[0].fix.as_ref().unwrap();
        assert!(fix.edits.is_empty(), "which CA to trust is a decision");
        assert_eq!(fix.snippet.as_deref(), Some(" sslmode=verify-full sslrootcert=/path/to/root.crt"));
    }

    #[test]
    fn lib_pq_default_require_is_a_warning_and_node_default_is_plaintext() {
        let d = run(check, "lib/pq: host=db\nnode: postgres://db/app\n");
        assert_eq!(d[0].severity, Severity::Warning);
        assert!(d[1].message.contains("no TLS"));
        assert_eq!(d[1].severity, Severity::Error);
    }

    #[test]
    fn given_or_implied_modes_and_sockets_are_not_reported() {
        assert!(run(check, "host=db sslmode=disable\njdbc:postgresql://db/app?ssl=true\nhost=/tmp\n").is_empty());
        let d = run(check, "postgresql://db/app?connect_timeout=1&sslrootcert=/ca.crt\n");
        assert_eq!(d[0].fix.as_ref().unwrap().edits[0].replacement, "&sslmode=verify-full");
    }
}
