//! CERT003: a certificate's validity has not started.

use crate::diagnostic::{Diagnostic, Fix, Severity};
use crate::rules::{Context, RuleMeta};

use super::{activation, day, describe, SSL_TCP_DOCS};

pub static META: RuleMeta = RuleMeta {
    id: "CERT003",
    title: "Certificate not yet valid",
    severity: Severity::Error,
    item: Some(6),
    docs_url: SSL_TCP_DOCS,
    help: "A certificate whose not-before date is in the future fails verification until that date.",
    doc: crate::rule_doc!(r#"Finds certificates whose not-before date is later than the audit's clock (`--now`).

**Why it matters.** OpenSSL rejects such a certificate with "certificate is not yet valid", so
verifying libpq clients fail with `SSL error: certificate verify failed`. It usually means a
clock is wrong (on the issuing machine or the audited one), or that a certificate was
deployed before its start date.

**Example.** A certificate with `Not Before: Jul  1 00:00:00 2026 GMT` audited on 2026-06-01.

**Fix.** Check the clocks (NTP) of the CA and the servers; reissue the certificate with a
start date in the past, or wait for the date before deploying it.

**References.** PostgreSQL documentation, "Secure TCP/IP Connections with SSL" (ssl-tcp);
OpenSSL `X509_V_ERR_CERT_NOT_YET_VALID`."#),
};

pub fn check(cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    let model = &cx.model.certs;
    for entry in &model.certs {
        let c = &entry.cert;
        if model.now < c.not_before {
            out.push(
                Diagnostic::new(
                    &META,
                    c.location,
                    format!("{} is not valid before {}", describe(model, entry), day(c.not_before)),
                )
                .with_fix(
                    Fix::new("Check the clocks, and reissue the certificate with a not-before date in the past")
                        .activation(activation(model, entry)),
                ),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::cert::testutil::{audit, Pki};

    #[test]
    fn future_start() {
        let pki = Pki::new("cert003");
        pki.root("ca", "ec:P-256", "sha256");
        let ext = "basicConstraints=CA:FALSE\nsubjectAltName=DNS:db";
        pki.issue("later", "ec:P-256", "ca", "sha256", ext, "20260601000001Z", "20270101000000Z");
        pki.issue("now", "ec:P-256", "ca", "sha256", ext, "20260601000000Z", "20270101000000Z");
        // The CA is made with the machine's clock, which may be later than the test clock, so
        // only the leaves' findings are looked at.
        let about = |leaf: &str| {
            let a = audit(&pki.inputs(&[&format!("{leaf}.crt"), "ca.crt"]), None);
            a.diagnostics.iter().any(|d| d.rule.id == "CERT003" && d.message.contains(&format!("CN={leaf}")))
        };
        assert!(about("later"));
        assert!(!about("now"));
    }
}
