//! CONN002: sslmode disable, allow or prefer.

use super::{may_be_cleartext, mode_and_origin, network_clients, push_once, sslmode_location, verify_full_fix};
use crate::conn::Origin;
use crate::diagnostic::{Diagnostic, Severity};
use crate::rules::{Context, RuleMeta};

pub static META: RuleMeta = RuleMeta {
    id: "CONN002",
    title: "sslmode lets traffic go in cleartext",
    severity: Severity::Error,
    item: Some(4),
    docs_url: "https://www.postgresql.org/docs/current/libpq-ssl.html#LIBPQ-SSL-SSLMODE-STATEMENTS",
    help: "disable never encrypts; allow and prefer fall back to (or start with) plaintext, and none of them checks the server's certificate.",
    doc: crate::rule_doc!(r#"
Finds a client whose sslmode (written in the string, a service file or `PGSSLMODE`) is
`disable`, `allow` or `prefer`.

**Why it matters.** `disable` never asks for SSL. `allow` connects in plaintext and only uses
SSL if the server insists. `prefer` asks for SSL but falls back to plaintext when the server
(or anyone in the path) refuses it, and accepts any certificate. Passwords sent with
`password` or `md5` authentication, and every query and row, can then be read or changed.

**Example.** `postgresql://app@db.example.com/app?sslmode=prefer`

**Fix.** `sslmode=verify-full` with `sslrootcert` naming the CA of the server certificate.
The fix edits the value where it is written (string, service file or environment block).

**References.** PostgreSQL documentation §34.19.1, table "SSL Mode Descriptions";
`src/interfaces/libpq/fe-connect.c` (`init_allowed_encryption_methods`).
"#),
};

pub fn check(cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    for c in network_clients(cx) {
        let Some(v) = c.get("sslmode") else { continue };
        if v.origin == Origin::DriverDefault || !may_be_cleartext(c.sslmode) {
            continue;
        }
        let message = format!(
            "{}: {}: {}. {}.",
            c.name,
            mode_and_origin(c),
            c.sslmode.map_or("", |m| m.wire()),
            c.driver.semantics()
        );
        let fix = verify_full_fix(c, "Use sslmode=verify-full");
        push_once(out, Diagnostic::new(&META, sslmode_location(c), message).with_fix(fix));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::conn::test_support::{run, run_at};
    use crate::detect::InputKind;

    #[test]
    fn prefer_in_a_uri_is_replaced_in_place() {
        let text = "postgresql://db/app?sslmode=prefer&sslrootcert=/ca.crt\n";
        let d = run(check, text);
        assert_eq!(d.len(), 1);
        let edit = &d[0].fix.as_ref().unwrap().edits[0];
        assert_eq!(&text[edit.span.start..edit.span.end], "prefer");
        assert_eq!(edit.replacement, "verify-full");
    }

    #[test]
    fn an_environment_disable_is_reported_once_at_the_variable() {
        let (_, d) = run_at(check, 16, &[
            ("conn", InputKind::Conninfo, "host=a\nhost=b\n"),
            (".env", InputKind::Environment, "PGSSLMODE=disable\n"),
        ]);
        assert_eq!(d.len(), 1);
        assert_eq!(d[0].location.file, 1);
        assert!(d[0].message.contains("environment PGSSLMODE"));
    }

    #[test]
    fn node_prefer_means_verify_full_and_npgsql_is_spelt_its_way() {
        assert!(run(check, "postgres://db/app?sslmode=prefer&uselibpqcompat=false\n").is_empty());
        let d = run(check, "Host=db;SSL Mode=Prefer;Root Certificate=/ca.crt\n");
        assert_eq!(d[0].fix.as_ref().unwrap().edits[0].replacement, "VerifyFull");
        let d = run(check, "Host=db;SSL Mode=Prefer\n");
        let fix = d[0].fix.as_ref().unwrap();
        assert!(fix.edits.is_empty());
        assert_eq!(fix.snippet.as_deref(), Some(";Root Certificate=/path/to/root.crt"));
    }
}
