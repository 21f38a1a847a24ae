//! LIVE004: the server speaks TLS but not TLS 1.3.

use crate::diagnostic::{Activation, Diagnostic, Fix, Severity};
use crate::rules::{Context, RuleMeta};

pub static META: RuleMeta = RuleMeta {
    id: "LIVE004",
    title: "TLS 1.3 not offered",
    severity: Severity::Warning,
    item: Some(1),
    docs_url: "https://www.postgresql.org/docs/current/runtime-config-connection.html#GUC-SSL-MAX-PROTOCOL-VERSION",
    help: "TLS 1.3 has only forward-secret AEAD suites, a faster handshake and an encrypted certificate; a server capped at TLS 1.2 forgoes them.",
    doc: crate::rule_doc!(r#"Finds a live check in which the server completed a TLS handshake at some version but refused a
ClientHello offering only TLS 1.3.

**Why it matters.** TLS 1.3 removes static RSA key exchange, CBC and SHA-1 suites, encrypts the
certificate, and saves a round trip. A PostgreSQL server built with OpenSSL 1.1.1 or later offers
it unless `ssl_max_protocol_version` caps the version below it.

**Example.** `ssl_max_protocol_version = 'TLSv1.2'`; the probe reports `"TLSv1.3": false` while
`"TLSv1.2": true`.

**Fix.** Remove the cap (the empty string means no limit) and reload; if the server's OpenSSL is
older than 1.1.1, upgrade it:

```
ssl_max_protocol_version = ''
```

**References.** PostgreSQL documentation, `ssl_max_protocol_version`; RFC 8446."#),
};

pub fn check(cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    for e in &cx.model.live.entries {
        let p = e.result.protocols;
        let speaks_tls = p.tls1_0 || p.tls1_1 || p.tls1_2 || e.result.tls.is_some();
        if !speaks_tls || p.tls1_3 {
            continue;
        }
        out.push(
            Diagnostic::new(
                &META,
                e.location("protocols.TLSv1.3"),
                format!("{}:{} speaks TLS but refused a TLS 1.3 hello", e.result.target.host, e.result.target.port),
            )
            .with_fix(
                Fix::new("Lift the protocol cap in postgresql.conf (and use OpenSSL 1.1.1 or later), then reload")
                    .snippet("ssl_max_protocol_version = ''\n")
                    .activation(Activation::Reload),
            ),
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
    fn tls12_without_tls13_is_reported() {
        let mut r = LiveResult::default();
        r.protocols.tls1_2 = true;
        let found = findings(&RULE, &r);
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].1, "\"TLSv1.3\": false");
    }

    #[test]
    fn no_tls_at_all_or_tls13_is_silent() {
        let mut r = LiveResult::default();
        assert!(findings(&RULE, &r).is_empty());
        r.protocols.tls1_2 = true;
        r.protocols.tls1_3 = true;
        assert!(findings(&RULE, &r).is_empty());
    }
}
