//! CERT013: a leaf certificate valid for more than 398 days.

use crate::diagnostic::{Diagnostic, Fix, Severity};
use crate::rules::{Context, RuleMeta};

use super::{describe, SSL_TCP_DOCS};

pub static META: RuleMeta = RuleMeta {
    id: "CERT013",
    title: "Validity period longer than 398 days",
    severity: Severity::Info,
    item: Some(5),
    docs_url: SSL_TCP_DOCS,
    help: "Long-lived leaf certificates are usually renewed by hand, rarely, and forgotten; short lifetimes force automated rotation.",
    doc: crate::rule_doc!(r#"Finds server and client certificates whose validity period (not-after minus not-before)
exceeds 398 days, the CA/Browser Forum limit for public TLS certificates. CA certificates
are not concerned.

**Why it matters.** A certificate that lasts years is renewed by hand, by someone who may
have left, when it expires and takes the service down. Short lifetimes (90 days or less)
only work with automated renewal, which is what checklist item 5 asks for.

**Example.** A server certificate issued with `-days 3650`.

**Fix.** Issue certificates for at most 397 days from an automated process (cert-manager,
certbot with a DNS challenge, step-ca, HashiCorp Vault PKI) and reload PostgreSQL after each
renewal (`SELECT pg_reload_conf();`).

**References.** PostgreSQL documentation, "Secure TCP/IP Connections with SSL" (ssl-tcp);
CA/Browser Forum Baseline Requirements §6.3.2."#),
};

pub fn check(cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    let model = &cx.model.certs;
    for entry in model.certs.iter().filter(|e| e.role.is_leaf()) {
        let c = &entry.cert;
        let days = (c.not_after - c.not_before) / 86_400;
        if c.not_after - c.not_before > 398 * 86_400 {
            out.push(
                Diagnostic::new(&META, c.location, format!("{} is valid for {days} days", describe(model, entry)))
                    .with_fix(Fix::new("Issue certificates for at most 397 days from an automated renewal process")),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::cert::testutil::{audit, ids, Pki};

    #[test]
    fn long_leaf_not_long_root() {
        let pki = Pki::new("cert013");
        pki.root("ca", "ec:P-256", "sha256");
        let ext = "basicConstraints=CA:FALSE\nsubjectAltName=DNS:db";
        pki.issue("long", "ec:P-256", "ca", "sha256", ext, "20260101000000Z", "20270203000001Z");
        pki.issue("short", "ec:P-256", "ca", "sha256", ext, "20260101000000Z", "20270203000000Z");
        let a = audit(&pki.inputs(&["long.crt", "ca.crt"]), None);
        assert_eq!(ids(&a).iter().filter(|i| **i == "CERT013").count(), 1, "{:?}", a.diagnostics);
        assert!(!ids(&audit(&pki.inputs(&["short.crt", "ca.crt"]), None)).contains(&"CERT013"));
    }
}
