//! CERT009: a private key that does not belong to its certificate.

use crate::diagnostic::{Activation, Diagnostic, Fix, Severity};
use crate::rules::{Context, RuleMeta};

use super::{describe, SSL_TCP_DOCS};

pub static META: RuleMeta = RuleMeta {
    id: "CERT009",
    title: "Private key does not match the certificate",
    severity: Severity::Error,
    item: Some(2),
    docs_url: SSL_TCP_DOCS,
    help: "The server will not start (or not reload its SSL settings): OpenSSL's check of the key against the certificate fails.",
    doc: crate::rule_doc!(r#"Compares the public part of each private key with the certificate it goes with: the
`ssl_key_file` with the first certificate of `ssl_cert_file` when a postgresql.conf is given,
otherwise a key with a certificate in the same file, in a file of the same stem
(`server.key` and `server.crt`), or the only server certificate given.

**Why it matters.** PostgreSQL calls `SSL_CTX_check_private_key` and fails with
"check of private key failed: key values mismatch": at start the server refuses to run, on
reload it keeps the old SSL context and logs "SSL configuration was not reloaded". It
usually happens when a renewed certificate is deployed without its new key.

**Example.** `server.crt` issued for a new key while `server.key` is still the old key.

**Fix.** Deploy the key the certificate was issued for (compare
`openssl x509 -in server.crt -noout -pubkey` with `openssl pkey -in server.key -pubout`), then
reload.

**References.** PostgreSQL documentation, "Secure TCP/IP Connections with SSL" (ssl-tcp);
`src/backend/libpq/be-secure-openssl.c` (`be_tls_init`)."#),
};

pub fn check(cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    let model = &cx.model.certs;
    for key in &model.keys {
        let (Some(cert), Some(_)) = (key.paired_with, &key.key.public) else { continue };
        if key.matching.contains(&cert) {
            continue;
        }
        let entry = &model.certs[cert];
        let mut message = format!(
            "the private key in {} does not match the {}",
            model.file_name(key.key.location.file),
            describe(model, entry)
        );
        if let Some(&other) = key.matching.first() {
            message.push_str(&format!(" (it belongs to \"{}\")", model.certs[other].cert.subject));
        }
        out.push(
            Diagnostic::new(&META, key.key.location, message)
                .related(entry.cert.location, "the certificate the key should match")
                .with_fix(
                    Fix::new("Deploy the key the certificate was issued for")
                        .snippet("openssl x509 -in server.crt -noout -pubkey | cmp - <(openssl pkey -in server.key -pubout) && echo match")
                        .activation(Activation::Reload),
                ),
        );
    }
}

#[cfg(test)]
mod tests {
    use crate::cert::testutil::{audit, ids, Pki};

    #[test]
    fn mismatched_pairs_by_stem() {
        let pki = Pki::new("cert009");
        pki.root("ca", "ec:P-256", "sha256");
        let ext = "basicConstraints=CA:FALSE\nsubjectAltName=DNS:db";
        for (name, spec) in [("server", "rsa:2048"), ("other", "ec:P-256"), ("ed", "ed25519"), ("p384", "ec:P-384")] {
            pki.issue(name, spec, "ca", "sha256", ext, "", "");
        }
        for name in ["server", "ed", "p384"] {
            let a = audit(&pki.inputs(&[&format!("{name}.crt"), &format!("{name}.key"), "ca.crt"]), None);
            assert!(!ids(&a).contains(&"CERT009"), "{name}: {:?}", a.diagnostics);
        }
        std::fs::copy(pki.path("other.key"), pki.path("server.key")).unwrap();
        let a = audit(&pki.inputs(&["server.crt", "server.key", "ca.crt"]), None);
        assert!(ids(&a).contains(&"CERT009"), "{:?}", a.diagnostics);
        // PKCS#1 and SEC1 forms are read too.
        pki.issue("rsa1", "rsa:2048", "ca", "sha256", ext, "", "");
        pki.openssl(&["pkey", "-in", "rsa1.key", "-traditional", "-out", "rsa1.pkcs1.key"]);
        pki.cat("rsa1.pem", &["rsa1.crt", "rsa1.pkcs1.key"]);
        let a = audit(&pki.inputs(&["rsa1.pem", "ca.crt"]), None);
        assert!(!ids(&a).contains(&"CERT009"), "{:?}", a.diagnostics);
        pki.cat("bad.pem", &["rsa1.crt", "other.key"]);
        let a = audit(&pki.inputs(&["bad.pem", "ca.crt"]), None);
        assert!(ids(&a).contains(&"CERT009"), "{:?}", a.diagnostics);
    }
}
