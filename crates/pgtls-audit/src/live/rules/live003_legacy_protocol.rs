//! LIVE003: the server completed a TLS 1.0 or TLS 1.1 hello.

use crate::diagnostic::{Activation, Diagnostic, Fix, Severity};
use crate::rules::{Context, RuleMeta};

pub static META: RuleMeta = RuleMeta {
    id: "LIVE003",
    title: "Server accepts TLS 1.0 or 1.1",
    severity: Severity::Error,
    item: Some(1),
    docs_url: "https://www.postgresql.org/docs/current/runtime-config-connection.html#GUC-SSL-MIN-PROTOCOL-VERSION",
    help: "TLS 1.0 and 1.1 are deprecated (RFC 8996): they rely on SHA-1 and MD5 and allow CBC padding attacks.",
    doc: crate::rule_doc!(r#"Finds a live check in which the server answered a ClientHello offering only TLS 1.0 (or only
TLS 1.1) with a ServerHello of that version. The probe sends its own hello after SSLRequest,
because common TLS libraries no longer speak these versions.

**Why it matters.** RFC 8996 deprecates TLS 1.0 and 1.1: their handshake signatures use MD5/SHA-1
and their CBC suites are open to padding-oracle and BEAST-style attacks. PostgreSQL 14 and later
default to `ssl_min_protocol_version = 'TLSv1.2'`; a server that still accepts the old versions
has had the floor lowered, or runs an older release.

**Example.** `ssl_min_protocol_version = 'TLSv1'`; the probe reports `"TLSv1": true`.

**Fix.** Raise the floor and reload:

```
ssl_min_protocol_version = 'TLSv1.2'
```

**References.** PostgreSQL documentation, `ssl_min_protocol_version`; RFC 8996;
`src/backend/libpq/be-secure-openssl.c` (`ssl_protocol_version_to_openssl`)."#),
};

pub fn check(cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    for e in &cx.model.live.entries {
        let p = e.result.protocols;
        for (name, accepted) in [("TLSv1", p.tls1_0), ("TLSv1.1", p.tls1_1)] {
            if !accepted {
                continue;
            }
            out.push(
                Diagnostic::new(
                    &META,
                    e.location(&format!("protocols.{name}")),
                    format!("{}:{} completed a {name} handshake hello; the protocol floor is below TLSv1.2", e.result.target.host, e.result.target.port),
                )
                .with_fix(
                    Fix::new("Raise the protocol floor in postgresql.conf, then reload")
                        .snippet("ssl_min_protocol_version = 'TLSv1.2'\n")
                        .activation(Activation::Reload),
                ),
            );
        }
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
    fn each_legacy_version_is_reported_on_its_line() {
        let mut r = LiveResult::default();
        r.protocols.tls1_0 = true;
        r.protocols.tls1_1 = true;
        r.protocols.tls1_2 = true;
        let found = findings(&RULE, &r);
        assert_eq!(found.len(), 2);
        assert_eq!(found[0].1, "\"TLSv1\": true,");
        assert_eq!(found[1].1, "\"TLSv1.1\": true,");
    }

    #[test]
    fn modern_versions_are_silent() {
        let mut r = LiveResult::default();
        r.protocols.tls1_2 = true;
        r.protocols.tls1_3 = true;
        assert!(findings(&RULE, &r).is_empty());
    }
}
