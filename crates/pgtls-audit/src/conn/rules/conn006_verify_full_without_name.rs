//! CONN006: verify-full with no host name to check.

use std::net::IpAddr;

use super::{network_clients, push_once};
use crate::conn::SslMode;
use crate::diagnostic::{Activation, Diagnostic, Fix, Severity};
use crate::rules::{Context, RuleMeta};

pub static META: RuleMeta = RuleMeta {
    id: "CONN006",
    title: "verify-full without a host name to check",
    severity: Severity::Warning,
    item: Some(4),
    docs_url: "https://www.postgresql.org/docs/current/libpq-connect.html#LIBPQ-PARAMKEYWORDS",
    help: "verify-full checks the name given in host; with only hostaddr libpq refuses, and with an IP literal the certificate must carry that address.",
    doc: crate::rule_doc!(r#"
Finds a `verify-full` client whose server is named only by address: `hostaddr` without `host`
(libpq refuses: "host name must be specified for a verified SSL connection"), or a `host` that
is an IP literal, which the server certificate must then carry as an IP subjectAltName (libpq
14+ checks iPAddress SANs; a DNS SAN or CN holding the address text is accepted only as a
string match).

**Why it matters.** The connection fails, or works only with a certificate issued for the
address, which CAs rarely issue and which breaks when the address changes.

**Example.** `hostaddr=192.0.2.10 sslmode=verify-full`

**Fix.** Give the name the certificate carries in `host` and keep the address in `hostaddr`
to skip the DNS lookup: `host=db.example.com hostaddr=192.0.2.10 sslmode=verify-full`.

**References.** PostgreSQL documentation §34.1.2 (`host`, `hostaddr`) and §34.19.1;
`src/interfaces/libpq/fe-secure-common.c` (`pq_verify_peer_name_matches_certificate`).
"#),
};

pub fn check(cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    for c in network_clients(cx) {
        if c.sslmode != Some(SslMode::VerifyFull) || c.verification_off.is_some() {
            continue;
        }
        let hosts = c.hosts();
        let fix = Fix::new("Name the server by the host name in its certificate")
            .snippet("host=db.example.com hostaddr=<address>")
            .activation(Activation::Reconnect);
        if hosts.iter().all(|h| h.is_empty()) && c.value("hostaddr").is_some_and(|a| !a.is_empty()) {
            let loc = c.get("hostaddr").and_then(|v| v.location).unwrap_or(c.location);
            let message = format!("{}: verify-full with only hostaddr: libpq refuses with \"host name must be specified for a verified SSL connection\".", c.name);
            push_once(out, Diagnostic::new(&META, loc, message).with_fix(fix));
            continue;
        }
        let literals: Vec<&String> = hosts.iter().filter(|h| h.parse::<IpAddr>().is_ok()).collect();
        if !literals.is_empty() {
            let loc = c.get("host").and_then(|v| v.location).unwrap_or(c.location);
            let list: Vec<&str> = literals.iter().map(|s| s.as_str()).collect();
            let message = format!(
                "{}: verify-full to the IP address {}: the server certificate must carry it as an IP subjectAltName.",
                c.name,
                list.join(", ")
            );
            push_once(out, Diagnostic::new(&META, loc, message).with_fix(fix));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::conn::test_support::run;

    #[test]
    fn hostaddr_only_and_ip_literals_are_reported() {
        let d = run(check, "hostaddr=192.0.2.1 sslmode=verify-full\npostgresql://[2001:db8::1]/app?sslmode=verify-full\n");
        assert_eq!(d.len(), 2);
        assert!(d[0].message.contains("host name must be specified"));
        assert!(d[1].message.contains("2001:db8::1"));
    }

    #[test]
    fn names_pass() {
        assert!(run(check, "host=db.example.com hostaddr=192.0.2.1 sslmode=verify-full\n").is_empty());
    }
}
