//! CONN004: verify-ca checks the chain but not the host name.

use super::{mode_and_origin, network_clients, push_once, sslmode_location, verify_full_fix};
use crate::conn::SslMode;
use crate::diagnostic::{Diagnostic, Severity};
use crate::rules::{Context, RuleMeta};

pub static META: RuleMeta = RuleMeta {
    id: "CONN004",
    title: "sslmode=verify-ca: the chain is checked, the host name is not",
    severity: Severity::Warning,
    item: Some(4),
    docs_url: "https://www.postgresql.org/docs/current/libpq-ssl.html#LIBPQ-SSL-CERTIFICATES",
    help: "verify-ca accepts any certificate the CA signed, including one issued for another server or a client.",
    doc: crate::rule_doc!(r#"
Finds a client whose effective sslmode is `verify-ca`.

**Why it matters.** The server's certificate must chain to the root, but it may name any host.
Every other certificate the same CA signed (other database servers, other services, and with a
shared CA even client certificates) can impersonate this server. That is only safe when the CA
signs nothing but this server's certificates.

**Example.** `host=db.example.com sslmode=verify-ca sslrootcert=/etc/ssl/pg-ca.crt`

**Fix.** `sslmode=verify-full`, and make sure the server certificate carries the host name the
client connects to in its subjectAltName (or CN when there is no DNS SAN).

**References.** PostgreSQL documentation §34.19.1 and §34.19.2 "Client Verification of Server
Certificates"; `src/interfaces/libpq/fe-secure-common.c` (`pq_verify_peer_name_matches_certificate`).
"#),
};

pub fn check(cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    for c in network_clients(cx) {
        if c.sslmode != Some(SslMode::VerifyCa) || c.verification_off.is_some() {
            continue;
        }
        let message = format!(
            "{}: {}: the chain is checked but the host name is not, so any certificate from the same CA is accepted.",
            c.name,
            mode_and_origin(c)
        );
        let fix = verify_full_fix(c, "Use sslmode=verify-full");
        push_once(out, Diagnostic::new(&META, sslmode_location(c), message).with_fix(fix));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::conn::test_support::run;

    #[test]
    fn verify_ca_is_reported_and_verify_full_is_not() {
        let d = run(check, "host=db sslmode=verify-ca sslrootcert=/ca\nhost=db sslmode=verify-full sslrootcert=/ca\n");
        assert_eq!(d.len(), 1);
        assert_eq!(d[0].fix.as_ref().unwrap().edits[0].replacement, "verify-full");
    }

    #[test]
    fn npgsql_verify_ca_is_read() {
        assert_eq!(run(check, "Server=db;SslMode=VerifyCA\n").len(), 1);
    }
}
