//! CERT006: a certificate signed with MD5 or SHA-1.

use crate::diagnostic::{Diagnostic, Fix, Severity};
use crate::rules::{Context, RuleMeta};

use super::{activation, describe, SSL_TCP_DOCS};

pub static META: RuleMeta = RuleMeta {
    id: "CERT006",
    title: "Weak signature algorithm",
    severity: Severity::Error,
    item: Some(2),
    docs_url: SSL_TCP_DOCS,
    help: "MD5 and SHA-1 signatures can be forged with chosen-prefix collisions, and OpenSSL 3 refuses them at its default security level.",
    doc: crate::rule_doc!(r#"Finds certificates other than self-signed roots whose signature uses MD2, MD5 or SHA-1
(`sha1WithRSAEncryption`, `ecdsa-with-SHA1`, `md5WithRSAEncryption`).

**Why it matters.** Chosen-prefix collisions make such signatures forgeable (SHA-1: SHAttered
and "SHA-1 is a Shambles", 2020), and OpenSSL 3 treats SHA-1 as 63-bit security, below level 1:
verification fails with "ca md too weak". A root's own self-signature is not checked by
anyone, so roots are exempt.

**Example.** An intermediate issued with `openssl x509 -req -sha1`.

**Fix.** Reissue the certificate with SHA-256 or better (`-sha256`), replace the file and
reload the server.

**References.** PostgreSQL documentation, "Secure TCP/IP Connections with SSL" (ssl-tcp);
OpenSSL `X509_V_ERR_CA_MD_TOO_WEAK`."#),
};

pub fn check(cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    let model = &cx.model.certs;
    for entry in &model.certs {
        let c = &entry.cert;
        let Some(hash) = c.sig_alg.hash().filter(|h| h.is_weak()) else { continue };
        if c.is_self_signed() && c.is_ca() {
            continue;
        }
        out.push(
            Diagnostic::new(
                &META,
                c.location,
                format!("{} is signed with {} ({})", describe(model, entry), hash.name(), c.sig_alg.name()),
            )
            .with_fix(
                Fix::new("Reissue the certificate with a SHA-256 signature")
                    .snippet("openssl x509 -req -sha256 -in server.csr -CA ca.crt -CAkey ca.key -out server.crt -days 397")
                    .activation(activation(model, entry)),
            ),
        );
    }
}

#[cfg(test)]
mod tests {
    use crate::cert::testutil::{audit, Pki};

    #[test]
    fn sha1_leaf_but_not_sha1_root() {
        let pki = Pki::new("cert006");
        pki.root("ca", "rsa:2048", "sha1");
        pki.issue("leaf", "rsa:2048", "ca", "sha1", "basicConstraints=CA:FALSE\nsubjectAltName=DNS:db", "", "");
        let a = audit(&pki.inputs(&["leaf.crt", "ca.crt"]), None);
        let hits: Vec<_> = a.diagnostics.iter().filter(|d| d.rule.id == "CERT006").collect();
        assert_eq!(hits.len(), 1, "{:?}", a.diagnostics);
        assert!(hits[0].message.contains("CN=leaf") && hits[0].message.contains("SHA-1"));
    }
}
