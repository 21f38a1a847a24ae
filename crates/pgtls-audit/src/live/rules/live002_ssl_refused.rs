//! LIVE002: the server answered SSLRequest with `N`.

use crate::diagnostic::{Activation, Diagnostic, Fix, Severity};
use crate::live::SslRequestOutcome;
use crate::rules::{Context, RuleMeta};

pub static META: RuleMeta = RuleMeta {
    id: "LIVE002",
    title: "Server refuses SSL",
    severity: Severity::Error,
    item: Some(1),
    docs_url: "https://www.postgresql.org/docs/current/ssl-tcp.html",
    help: "The server answered SSLRequest with N: it has no TLS at all, so every connection is plaintext and clients with sslmode=require fail.",
    doc: crate::rule_doc!(r#"Finds a live check in which the server answered the SSLRequest packet (code 80877103) with
the single byte `N`.

**Why it matters.** The server sends `N` when SSL is not loaded (`ssl = off`, or it failed to load
the certificate and key at start-up). Every connection is then plaintext: passwords (except SCRAM
exchanges), queries and results can be read and altered on the network. libpq with
`sslmode=require` or stronger reports "server does not support SSL, but SSL was required".

**Example.** A server with `ssl = off` in postgresql.conf; the probe reports
`"ssl_request": "refused"`.

**Fix.** Install a certificate and key and turn SSL on, then reload (`ssl` is a sighup parameter
since PostgreSQL 10):

```
ssl = on
ssl_cert_file = 'server.crt'
ssl_key_file = 'server.key'
```

**References.** PostgreSQL documentation, "Secure TCP/IP Connections with SSL" and "Message
Flow: SSL Session Encryption"; `src/backend/tcop/backend_startup.c` (`ProcessSSLStartup`)."#),
};

pub fn check(cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    for e in &cx.model.live.entries {
        if e.result.ssl_request != SslRequestOutcome::Refused {
            continue;
        }
        let t = &e.result.target;
        out.push(
            Diagnostic::new(
                &META,
                e.location("ssl_request"),
                format!("{}:{} answered SSLRequest with N: the server has SSL turned off or could not load its certificate", t.host, t.port),
            )
            .with_fix(
                Fix::new("Turn SSL on with a certificate and key in postgresql.conf, then reload")
                    .snippet("ssl = on\nssl_cert_file = 'server.crt'\nssl_key_file = 'server.key'\n")
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
    fn refusal_is_reported_on_the_ssl_request_line() {
        let mut r = LiveResult::default();
        r.ssl_request = SslRequestOutcome::Refused;
        let found = findings(&RULE, &r);
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].1, "\"ssl_request\": \"refused\",");
    }

    #[test]
    fn other_answers_are_silent() {
        let mut r = LiveResult::default();
        for outcome in [SslRequestOutcome::Accepted, SslRequestOutcome::ErrorResponse, SslRequestOutcome::NotTried] {
            r.ssl_request = outcome;
            assert!(findings(&RULE, &r).is_empty());
        }
    }
}
