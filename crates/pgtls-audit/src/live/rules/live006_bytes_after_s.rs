//! LIVE006: bytes arrived after `S` and before the TLS handshake.

use crate::diagnostic::{Diagnostic, Fix, Severity};
use crate::rules::{Context, RuleMeta};

pub static META: RuleMeta = RuleMeta {
    id: "LIVE006",
    title: "Unencrypted bytes after the SSL response",
    severity: Severity::Error,
    item: None,
    docs_url: "https://www.postgresql.org/docs/current/protocol-flow.html#PROTOCOL-FLOW-SSL",
    help: "Bytes that follow the S before the handshake did not come from a PostgreSQL server: something on the path is injecting data (CVE-2021-23222).",
    doc: crate::rule_doc!(r#"Finds a live check in which more bytes arrived right after the server's `S` answer to
SSLRequest, before the client sent its ClientHello.

**Why it matters.** A PostgreSQL server sends exactly one byte and then waits for the handshake.
Extra bytes are what a man-in-the-middle sends to have a client treat injected, unencrypted data
as if it had come over TLS (CVE-2021-23222; libpq since 14.1/13.5 reports "received unencrypted
data after SSL response"). A proxy or load balancer in front of the server that speaks the
protocol wrongly produces the same sign.

**Example.** A fake server answers `S` followed by a forged `R` message; the probe reports
`"bytes_after_ssl_response": 9`.

**Fix.** Find what sits between the client and the server (proxies, port forwarders, a
compromised host) and remove it; make clients use `sslmode=verify-full` with a current libpq
(13.5, 14.1 or later) so that injected data is refused.

**References.** PostgreSQL documentation, "Message Flow: SSL Session Encryption"; CVE-2021-23222;
`src/interfaces/libpq/fe-connect.c` (the check after reading `S`)."#),
};

pub fn check(cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    for e in &cx.model.live.entries {
        let n = e.result.bytes_after_ssl_response;
        if n == 0 {
            continue;
        }
        out.push(
            Diagnostic::new(
                &META,
                e.location("bytes_after_ssl_response"),
                format!(
                    "{}:{} sent {n} byte(s) after S and before the TLS handshake: a man-in-the-middle sign (CVE-2021-23222)",
                    e.result.target.host, e.result.target.port
                ),
            )
            .with_fix(Fix::new(
                "Find and remove what injects data between client and server; use sslmode=verify-full with libpq 13.5/14.1 or later",
            )),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::live::tests::findings;
    use crate::live::LiveResult;
    use crate::rules::Rule;

    const RULE: Rule = Rule { meta: &META, check };

    #[test]
    fn injected_bytes_are_reported() {
        let mut r = LiveResult::default();
        r.bytes_after_ssl_response = 9;
        let found = findings(&RULE, &r);
        assert_eq!(found.len(), 1);
        assert!(found[0].0.contains("9 byte(s)"));
        assert_eq!(found[0].1, "\"bytes_after_ssl_response\": 9,");
        r.bytes_after_ssl_response = 0;
        assert!(findings(&RULE, &r).is_empty());
    }
}
