//! CERT011: basicConstraints that contradict the certificate's use.

use crate::cert::chain::may_issue;
use crate::cert::verify::verify_signature;
use crate::cert::Role;
use crate::diagnostic::{Diagnostic, Fix, Severity};
use crate::rules::{Context, RuleMeta};

use super::{activation, describe, SSL_TCP_DOCS};

pub static META: RuleMeta = RuleMeta {
    id: "CERT011",
    title: "CA flag does not fit the certificate's use",
    severity: Severity::Warning,
    item: Some(2),
    docs_url: SSL_TCP_DOCS,
    help: "A certificate that signs others must say CA:TRUE; a server certificate should say CA:FALSE.",
    doc: crate::rule_doc!(r#"Finds certificates that issued another given certificate but lack `CA:TRUE` in
basicConstraints (or lack keyCertSign in keyUsage), and server certificates that carry
`CA:TRUE`.

**Why it matters.** OpenSSL refuses an issuer without the CA flag ("invalid CA certificate"),
so chains through it fail. A server certificate with `CA:TRUE` can sign certificates that
clients trusting it as a root would accept for any host; it is also the default of
`openssl req -x509` and a sign of an ad-hoc set-up.

**Example.** A server certificate made with `openssl req -new -x509` (basicConstraints
`critical, CA:TRUE`).

**Fix.** Reissue CA certificates with `basicConstraints = critical, CA:TRUE` and
`keyUsage = keyCertSign, cRLSign`; reissue server certificates with
`basicConstraints = CA:FALSE` and `extendedKeyUsage = serverAuth`.

**References.** PostgreSQL documentation, "Secure TCP/IP Connections with SSL", section
"Creating Certificates" (ssl-tcp); RFC 5280 §4.2.1.9."#),
};

pub fn check(cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    let model = &cx.model.certs;
    for (i, entry) in model.certs.iter().enumerate() {
        let c = &entry.cert;
        if entry.role == Role::Server && c.is_ca() {
            out.push(
                Diagnostic::new(&META, c.location, format!("{} has CA:TRUE", describe(model, entry))).with_fix(
                    Fix::new("Reissue the server certificate with basicConstraints = CA:FALSE")
                        .snippet("basicConstraints = CA:FALSE\nkeyUsage = digitalSignature, keyEncipherment\nextendedKeyUsage = serverAuth")
                        .activation(activation(model, entry)),
                ),
            );
            continue;
        }
        if may_issue(c) {
            continue;
        }
        let issued = model.certs.iter().enumerate().find(|(j, other)| {
            *j != i && other.cert.names_issuer(c) && verify_signature(&other.cert.sig_alg, &other.cert.tbs, &other.cert.signature, &c.key).is_ok()
        });
        if let Some((_, child)) = issued {
            out.push(
                Diagnostic::new(
                    &META,
                    c.location,
                    format!("{} signs \"{}\" but is not a CA (no CA:TRUE, or no keyCertSign)", describe(model, entry), child.cert.subject),
                )
                .related(child.cert.location, "a certificate it signed")
                .with_fix(
                    Fix::new("Reissue the CA certificate with the CA flag")
                        .snippet("basicConstraints = critical, CA:TRUE\nkeyUsage = critical, keyCertSign, cRLSign")
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
    fn issuer_without_ca_flag() {
        let pki = Pki::new("cert011");
        pki.root("root", "ec:P-256", "sha256");
        pki.issue("notca", "ec:P-256", "root", "sha256", "basicConstraints=CA:FALSE", "", "");
        pki.issue("leaf", "ec:P-256", "notca", "sha256", "basicConstraints=CA:FALSE\nsubjectAltName=DNS:db", "", "");
        pki.cat("chain.crt", &["leaf.crt", "notca.crt"]);
        let a = audit(&pki.inputs(&["chain.crt", "root.crt"]), None);
        assert!(a.diagnostics.iter().any(|d| d.rule.id == "CERT011" && d.message.contains("CN=notca")), "{:?}", a.diagnostics);
        assert!(pki.openssl_verify("root.crt", Some("chain.crt"), "leaf.crt").is_err());
        assert!(ids(&a).contains(&"CERT008"));
    }
}
