//! LIVE007: the server does not take direct TLS (PostgreSQL 17+).

use crate::diagnostic::{Diagnostic, Fix, Severity};
use crate::live::{DirectTlsOutcome, SslRequestOutcome};
use crate::rules::{Context, RuleMeta};

pub static META: RuleMeta = RuleMeta {
    id: "LIVE007",
    title: "Direct TLS (PostgreSQL 17+) not supported",
    severity: Severity::Info,
    item: None,
    docs_url: "https://www.postgresql.org/docs/current/libpq-connect.html#LIBPQ-CONNECT-SSLNEGOTIATION",
    help: "Clients cannot use sslnegotiation=direct, which saves a round trip and lets TLS-terminating proxies and ALPN routing handle PostgreSQL.",
    doc: crate::rule_doc!(r#"Finds a live check in which the server does TLS after SSLRequest but did not complete a
handshake begun directly with a ClientHello carrying ALPN `postgresql`.

**Why it matters.** PostgreSQL 17 accepts TLS straight away (`sslnegotiation=direct` in libpq
17), saving the SSLRequest round trip and letting standard TLS proxies and ALPN-based routing
front the server. Servers before 17 read the ClientHello as a startup packet of invalid length
and close the connection. Nothing is wrong with such a server; clients must simply keep the
default `sslnegotiation=postgres`.

**Example.** A PostgreSQL 15 server: `"direct_tls": "unsupported"`.

**Fix.** Upgrade to PostgreSQL 17 or later to offer direct TLS; until then, leave clients on
`sslnegotiation=postgres`.

**References.** PostgreSQL documentation, libpq `sslnegotiation` and "Message Flow: SSL Session
Encryption"; `src/backend/tcop/backend_startup.c` (`ProcessSSLStartup`)."#),
};

pub fn check(cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    for e in &cx.model.live.entries {
        if e.result.ssl_request != SslRequestOutcome::Accepted || e.result.direct_tls != DirectTlsOutcome::Unsupported {
            continue;
        }
        let how = e.result.direct_tls_detail.as_deref().unwrap_or("the server did not answer the ClientHello in TLS");
        out.push(
            Diagnostic::new(
                &META,
                e.location("direct_tls"),
                format!("{}:{} does not take direct TLS: {how}", e.result.target.host, e.result.target.port),
            )
            .with_fix(Fix::new("Upgrade to PostgreSQL 17 or later to offer direct TLS; keep clients on sslnegotiation=postgres until then")),
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
    fn unsupported_direct_tls_is_noted_when_ssl_works() {
        let mut r = LiveResult::default();
        r.ssl_request = SslRequestOutcome::Accepted;
        r.direct_tls = DirectTlsOutcome::Unsupported;
        r.direct_tls_detail = Some("the server closed the connection".into());
        let found = findings(&RULE, &r);
        assert_eq!(found.len(), 1);
        assert!(found[0].0.contains("closed"));
        assert_eq!(found[0].1, "\"direct_tls\": \"unsupported\",");
    }

    #[test]
    fn silent_without_ssl_or_with_direct_tls() {
        let mut r = LiveResult::default();
        r.direct_tls = DirectTlsOutcome::Unsupported;
        r.ssl_request = SslRequestOutcome::Refused;
        assert!(findings(&RULE, &r).is_empty());
        r.ssl_request = SslRequestOutcome::Accepted;
        r.direct_tls = DirectTlsOutcome::Supported;
        assert!(findings(&RULE, &r).is_empty());
    }
}
