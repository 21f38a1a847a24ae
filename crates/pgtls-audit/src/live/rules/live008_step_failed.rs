//! LIVE008: a step of the live check could not be completed.

use crate::diagnostic::{Diagnostic, Fix, Severity};
use crate::rules::{Context, RuleMeta};

pub static META: RuleMeta = RuleMeta {
    id: "LIVE008",
    title: "Cannot connect, timeout, or handshake failure",
    severity: Severity::Error,
    item: None,
    docs_url: "https://www.postgresql.org/docs/current/ssl-tcp.html",
    help: "A step of the live check failed (name resolution, connection, SSLRequest, handshake); the reason says which and why, and the results of that step are unknown.",
    doc: crate::rule_doc!(r#"Finds each step of a live check that could not be completed: the host did not resolve, the
connection was refused or timed out, the server closed the connection or never answered
SSLRequest, or the TLS handshake after `S` failed (with the alert or the library's reason).

**Why it matters.** A failing step means clients meet the same failure: an unreachable port, a
firewall that drops packets (a timeout rather than a refusal), a server certificate or key the
server cannot use, or an ALPN or protocol-version mismatch. The findings of the steps that
failed are missing from the report, so the score is based on less.

**Example.** `pgtls check db.example.com:5433` against a closed port:
`connect: Connection refused (os error 111)`.

**Fix.** Follow the reason: check the host and port, `listen_addresses`, firewalls and security
groups; for handshake failures, the server log (`log_min_messages = debug1` shows OpenSSL's
reason) and `ssl_min_protocol_version`/`ssl_ciphers`.

**References.** PostgreSQL documentation, "Secure TCP/IP Connections with SSL",
`listen_addresses`, and "Message Flow: SSL Session Encryption"."#),
};

pub fn check(cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    for e in &cx.model.live.entries {
        for (i, f) in e.result.failures.iter().enumerate() {
            out.push(
                Diagnostic::new(
                    &META,
                    e.location(&format!("failures[{i}].reason")),
                    format!("{}: {}", f.step, f.reason),
                )
                .with_fix(Fix::new(match f.step.as_str() {
                    "resolve" => "Check the host name and DNS",
                    "connect" => "Check host, port, listen_addresses and firewalls between here and the server",
                    "handshake" | "direct-tls" => "Read the server log for the TLS error; check the certificate, key, ssl_min_protocol_version and ssl_ciphers",
                    _ => "Check that the server (not a proxy) answers on this port, and the server log",
                })),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::live::tests::findings;
    use crate::live::{LiveResult, StepFailure};
    use crate::rules::Rule;

    const RULE: Rule = Rule { meta: &META, check };

    #[test]
    fn every_failed_step_is_reported_with_its_reason() {
        let mut r = LiveResult::default();
        r.failures = vec![
            StepFailure { step: "connect".into(), reason: "Connection refused (os error 111)".into() },
            StepFailure { step: "handshake".into(), reason: "timed out after 5s".into() },
        ];
        let found = findings(&RULE, &r);
        assert_eq!(found.len(), 2);
        assert!(found[0].0.contains("connect: Connection refused"));
        assert_eq!(found[1].1, "\"reason\": \"timed out after 5s\"");
        r.failures.clear();
        assert!(findings(&RULE, &r).is_empty());
    }
}
