//! CERT002: a certificate expires within 30 days.

use crate::cert::ALERT_DAYS;
use crate::diagnostic::{Diagnostic, Fix, Severity};
use crate::rules::{Context, RuleMeta};

use super::{activation, day, describe, SSL_TCP_DOCS};

pub static META: RuleMeta = RuleMeta {
    id: "CERT002",
    title: "Certificate expires within 30 days",
    severity: Severity::Warning,
    item: Some(6),
    docs_url: SSL_TCP_DOCS,
    help: "The certificate still works, but it will stop working within 30 days; renew it now.",
    doc: crate::rule_doc!(r#"Finds certificates that are valid at the audit's clock (`--now`) but whose not-after date
is 30 days away or less.

**Why it matters.** When it lapses, verifying clients fail with `SSL error: certificate verify
failed`. Thirty days leaves time to renew through a change process; a certificate this close
to expiry usually means renewal is manual or the automation is broken.

**Example.** `server.crt` valid until 2026-06-20, audited on 2026-06-01 (19 days left).

**Fix.** Renew now, replace the file and reload the server (`SELECT pg_reload_conf();`);
then automate renewal (certbot, cert-manager, step-ca) with an alert at 30 days.

**References.** PostgreSQL documentation, "Secure TCP/IP Connections with SSL" (ssl-tcp)."#),
};

pub fn check(cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    let model = &cx.model.certs;
    for entry in &model.certs {
        let c = &entry.cert;
        let left = c.not_after - model.now;
        if model.now >= c.not_before && (0..=ALERT_DAYS * 86_400).contains(&left) {
            out.push(
                Diagnostic::new(
                    &META,
                    c.location,
                    format!("{} expires on {} ({} days left)", describe(model, entry), day(c.not_after), left / 86_400),
                )
                .with_fix(
                    Fix::new(format!("Renew \"{}\" before {}", c.subject, day(c.not_after)))
                        .snippet(format!("openssl x509 -in {} -noout -enddate", model.file_name(c.location.file)))
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
    fn thirty_day_window() {
        let pki = Pki::new("cert002");
        pki.root("ca", "ec:P-256", "sha256");
        let ext = "basicConstraints=CA:FALSE\nsubjectAltName=DNS:db";
        pki.issue("in30", "ec:P-256", "ca", "sha256", ext, "20260101000000Z", "20260701000000Z");
        pki.issue("in31", "ec:P-256", "ca", "sha256", ext, "20260101000000Z", "20260702000001Z");
        let a = audit(&pki.inputs(&["in30.crt", "ca.crt"]), None);
        assert_eq!(ids(&a).iter().filter(|i| **i == "CERT002").count(), 1);
        let a = audit(&pki.inputs(&["in31.crt", "ca.crt"]), None);
        assert!(!ids(&a).contains(&"CERT002"));
    }
}
