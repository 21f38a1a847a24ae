//! LIVE005: the server accepts a weak TLS 1.2 suite.

use crate::diagnostic::{Activation, Diagnostic, Fix, Severity};
use crate::live::weak_tls12_suite_reason;
use crate::rules::{Context, RuleMeta};

pub static META: RuleMeta = RuleMeta {
    id: "LIVE005",
    title: "Server accepts a weak TLS 1.2 cipher suite",
    severity: Severity::Warning,
    item: Some(1),
    docs_url: "https://www.postgresql.org/docs/current/runtime-config-connection.html#GUC-SSL-CIPHERS",
    help: "A suite without forward secrecy, with CBC and SHA-1, 3DES, RC4 or NULL encryption lets a client (or an attacker who downgrades it) use protection that no longer holds.",
    doc: crate::rule_doc!(r#"Finds each TLS 1.2 suite the server accepted when a ClientHello offered it alone, and that is
weak: static RSA (or other static) key exchange without forward secrecy, CBC with SHA-1 MACs,
3DES or DES, RC4, NULL encryption, anonymous or export suites.

**Why it matters.** Without forward secrecy, anyone who later obtains the server key can decrypt
recorded sessions. CBC with HMAC-SHA1 is the construction behind Lucky13 and padding oracles;
3DES has 64-bit blocks (Sweet32); RC4 is broken. PostgreSQL's default `ssl_ciphers` is
`HIGH:MEDIUM:+3DES:!aNULL`, which still admits several of these.

**Example.** With the default `ssl_ciphers`, the server accepts
`TLS_RSA_WITH_AES_128_GCM_SHA256` and `TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA`.

**Fix.** Limit TLS 1.2 to forward-secret AEAD suites and reload (TLS 1.3 suites are not affected
by `ssl_ciphers`):

```
ssl_ciphers = 'ECDHE+AESGCM:ECDHE+CHACHA20:DHE+AESGCM:DHE+CHACHA20:!aNULL'
```

**References.** PostgreSQL documentation, `ssl_ciphers`; RFC 7525 (BCP 195), RFC 9325."#),
};

pub fn check(cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    for e in &cx.model.live.entries {
        for (i, suite) in e.result.tls12_ciphers.iter().enumerate() {
            let Some(reason) = weak_tls12_suite_reason(suite) else { continue };
            out.push(
                Diagnostic::new(
                    &META,
                    e.location(&format!("tls12_ciphers[{i}]")),
                    format!("{}:{} accepts {suite}: {reason}", e.result.target.host, e.result.target.port),
                )
                .with_fix(
                    Fix::new("Limit ssl_ciphers to forward-secret AEAD suites in postgresql.conf, then reload")
                        .snippet("ssl_ciphers = 'ECDHE+AESGCM:ECDHE+CHACHA20:DHE+AESGCM:DHE+CHACHA20:!aNULL'\n")
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
    fn each_weak_suite_is_reported_on_its_element() {
        let mut r = LiveResult::default();
        r.tls12_ciphers = vec![
            "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384".into(),
            "TLS_RSA_WITH_AES_128_GCM_SHA256".into(),
            "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA".into(),
        ];
        let found = findings(&RULE, &r);
        assert_eq!(found.len(), 2);
        assert!(found[0].0.contains("forward secrecy"));
        assert_eq!(found[0].1, "\"TLS_RSA_WITH_AES_128_GCM_SHA256\",");
        assert!(found[1].0.contains("CBC with SHA-1"));
    }

    #[test]
    fn strong_suites_are_silent() {
        let mut r = LiveResult::default();
        r.tls12_ciphers = vec!["TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256".into()];
        assert!(findings(&RULE, &r).is_empty());
    }
}
