//! CERT001: a certificate is past its not-after date.

use crate::diagnostic::{Diagnostic, Fix, Severity};
use crate::rules::{Context, RuleMeta};

use super::{activation, day, describe, SSL_TCP_DOCS};

pub static META: RuleMeta = RuleMeta {
    id: "CERT001",
    title: "Certificate expired",
    severity: Severity::Error,
    item: Some(6),
    docs_url: SSL_TCP_DOCS,
    help: "An expired certificate fails verification: clients with sslmode=verify-ca or verify-full refuse the server, and the server refuses expired client certificates.",
    doc: crate::rule_doc!(r#"Finds certificates whose validity ended before the audit's clock (`--now`).

**Why it matters.** OpenSSL rejects an expired certificate anywhere in a chain with
"certificate has expired", so libpq reports `SSL error: certificate verify failed` under
`sslmode=verify-ca`/`verify-full` (and under `require` when a root file exists). An expired
server certificate therefore takes every verifying client down at once.

**Example.** `server.crt` with `Not After : Jan  1 00:00:00 2026 GMT`, audited on 2026-06-01.

**Fix.** Issue a new certificate (same key or a new one), replace the file, and reload the
server (`SELECT pg_reload_conf();`): PostgreSQL re-reads `ssl_cert_file` on reload. Automate
renewal so that it happens well before expiry.

**References.** PostgreSQL documentation, "Secure TCP/IP Connections with SSL" (ssl-tcp);
OpenSSL `X509_V_ERR_CERT_HAS_EXPIRED`."#),
};

pub fn check(cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    let model = &cx.model.certs;
    for entry in &model.certs {
        let c = &entry.cert;
        if model.now > c.not_after {
            let days = (model.now - c.not_after) / 86_400;
            out.push(
                Diagnostic::new(
                    &META,
                    c.location,
                    format!("{} expired on {} ({days} days ago)", describe(model, entry), day(c.not_after)),
                )
                .with_fix(
                    Fix::new(format!("Issue a new certificate for \"{}\" and replace the file", c.subject))
                        .snippet(format!("openssl x509 -in NEW.crt -noout -subject -enddate   # check, then replace {}", model.file_name(c.location.file)))
                        .activation(activation(model, entry)),
                ),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::cert::testutil::{audit, ids, Pki};

    #[test]
    fn expired_and_boundary() {
        let pki = Pki::new("cert001");
        pki.root("ca", "ec:P-256", "sha256");
        pki.issue("old", "ec:P-256", "ca", "sha256", "basicConstraints=CA:FALSE\nsubjectAltName=DNS:db", "20250101000000Z", "20260531235959Z");
        // Valid until exactly the audit clock: not expired yet.
        pki.issue("edge", "ec:P-256", "ca", "sha256", "basicConstraints=CA:FALSE\nsubjectAltName=DNS:db", "20250101000000Z", "20260601000000Z");
        let a = audit(&pki.inputs(&["old.crt", "ca.crt"]), None);
        assert_eq!(ids(&a).iter().filter(|i| **i == "CERT001").count(), 1, "{:?}", a.diagnostics);
        assert!(a.diagnostics[0].message.contains("expired on 2026-05-31"));
        let a = audit(&pki.inputs(&["edge.crt", "ca.crt"]), None);
        assert!(!ids(&a).contains(&"CERT001"));
    }
}
