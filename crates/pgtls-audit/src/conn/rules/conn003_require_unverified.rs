//! CONN003: sslmode require: encrypted, server not verified.

use super::{mode_and_origin, network_clients, push_once, sslmode_location, verify_full_fix};
use crate::conn::{Origin, SslMode};
use crate::diagnostic::{Diagnostic, Severity};
use crate::rules::{Context, RuleMeta};

pub static META: RuleMeta = RuleMeta {
    id: "CONN003",
    title: "sslmode=require: encrypted, but the server is not verified",
    severity: Severity::Warning,
    item: Some(4),
    docs_url: "https://www.postgresql.org/docs/current/libpq-ssl.html#LIBPQ-SSL-PROTECTION",
    help: "require encrypts but accepts any certificate, so anyone who can intercept the connection can present their own and read everything.",
    doc: crate::rule_doc!(r#"
Finds a client whose effective sslmode is `require` (given explicitly, from a service file or
the environment).

**Why it matters.** The connection is always encrypted, but any certificate is accepted: an
attacker in the path (ARP or DNS spoofing, a rogue proxy) presents their own and reads or
changes everything, including passwords. libpq has one quirk: with `require` it checks the
chain as in `verify-ca` *if a root certificate file exists* (`sslrootcert`, or
`~/.postgresql/root.crt`), so the same string verifies on one machine and not on another.
pgjdbc and Npgsql never check the certificate with `require`.

**Example.** `host=db.example.com sslmode=require`

**Fix.** `sslmode=verify-full sslrootcert=/path/to/root.crt`.

**References.** PostgreSQL documentation §34.19.1; `src/interfaces/libpq/fe-secure-openssl.c`
(`initialize_SSL`: "If the root cert file exists, load it so we can perform certificate
verification").
"#),
};

pub fn check(cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    for c in network_clients(cx) {
        let Some(v) = c.get("sslmode") else { continue };
        if v.origin == Origin::DriverDefault || c.sslmode != Some(SslMode::Require) || c.verification_off.is_some() {
            continue;
        }
        let detail = if c.verifies_chain() {
            "because sslrootcert is set, the chain is checked as in verify-ca, but the host name is not".to_string()
        } else if c.driver.require_verifies_with_root() {
            "the certificate is checked only if a root file happens to exist (~/.postgresql/root.crt)".to_string()
        } else {
            format!("{} never checks the certificate with require", c.driver.name())
        };
        let message = format!("{}: {}: encrypted, but {detail}. {}.", c.name, mode_and_origin(c), c.driver.semantics());
        let fix = verify_full_fix(c, "Use sslmode=verify-full");
        push_once(out, Diagnostic::new(&META, sslmode_location(c), message).with_fix(fix));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::conn::test_support::run;

    #[test]
    fn require_is_reported_with_the_root_file_quirk() {
        let d = run(check, "host=db sslmode=require\nhost=db sslmode=require sslrootcert=/ca.crt\n");
        assert_eq!(d.len(), 2);
        assert!(d[0].message.contains("only if a root file happens to exist"));
        assert!(d[1].message.contains("as in verify-ca"));
    }

    #[test]
    fn pgjdbc_require_never_verifies_and_uri_ssl_true_is_require() {
        let d = run(check, "jdbc:postgresql://db/app?sslmode=require\npostgresql://db/app?ssl=true\n");
        assert!(d[0].message.contains("pgjdbc never checks"));
        assert_eq!(d.len(), 2);
    }

    #[test]
    fn verify_full_and_lib_pq_default_are_not_reported_here() {
        assert!(run(check, "host=db sslmode=verify-full\nlib/pq: host=db\n").is_empty());
    }
}
