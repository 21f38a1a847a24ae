//! CERT005: a certificate or key below 112-bit strength.

use crate::diagnostic::{Diagnostic, Fix, Severity};
use crate::rules::{Context, RuleMeta};

use super::{activation, describe, SSL_TCP_DOCS};

pub static META: RuleMeta = RuleMeta {
    id: "CERT005",
    title: "Weak key",
    severity: Severity::Error,
    item: Some(2),
    docs_url: SSL_TCP_DOCS,
    help: "Keys below 2048-bit RSA or 256-bit EC can be broken or are refused by OpenSSL's default security level.",
    doc: crate::rule_doc!(r#"Finds certificates and private keys with RSA (or DSA) keys shorter than 2048 bits, or EC
keys on curves smaller than P-256 (P-192, P-224, secp160r1).

**Why it matters.** Such keys are below the 112-bit security floor of NIST SP 800-57, and
OpenSSL 3 at its default security level (1 in upstream, 2 on Debian and Ubuntu) refuses RSA
keys under 2048 bits with "ee key too small" or "ca key too small", so the handshake fails
as well as being weak.

**Example.** A server certificate made with `openssl req -newkey rsa:1024`.

**Fix.** Generate a new key (`openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256`
or `-algorithm RSA -pkeyopt rsa_keygen_bits:3072`), get a new certificate for it, replace
`ssl_cert_file` and `ssl_key_file`, and reload.

**References.** PostgreSQL documentation, "Secure TCP/IP Connections with SSL" (ssl-tcp);
OpenSSL `SSL_CTX_set_security_level(3)`."#),
};

pub fn check(cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    let model = &cx.model.certs;
    for entry in &model.certs {
        if let Some(weak) = entry.cert.key.weakness() {
            out.push(
                Diagnostic::new(&META, entry.cert.location, format!("{} has a weak {weak}", describe(model, entry))).with_fix(
                    Fix::new("Generate a P-256 (or RSA 3072) key and reissue the certificate")
                        .snippet("openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out server.key")
                        .activation(activation(model, entry)),
                ),
            );
        }
    }
    // Keys whose certificate is given are reported with it.
    for key in model.keys.iter().filter(|k| k.matching.is_empty()) {
        if let Some(weak) = key.key.public.as_ref().and_then(|p| p.weakness()) {
            out.push(
                Diagnostic::new(&META, key.key.location, format!("private key in {} is a weak {weak}", model.file_name(key.key.location.file)))
                    .with_fix(
                        Fix::new("Replace the key with a P-256 or RSA 3072 key, and reissue its certificate")
                            .snippet("openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out server.key")
                            .activation(crate::diagnostic::Activation::Reload),
                    ),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::cert::testutil::{audit, ids, Pki};

    #[test]
    fn rsa_1024_and_p224_are_weak() {
        let pki = Pki::new("cert005");
        pki.root("ca", "rsa:2048", "sha256");
        let ext = "basicConstraints=CA:FALSE\nsubjectAltName=DNS:db";
        pki.issue("small", "rsa:1024", "ca", "sha256", ext, "", "");
        pki.issue("ok", "rsa:2048", "ca", "sha256", ext, "", "");
        pki.key("p224", "ec:P-224");
        let a = audit(&pki.inputs(&["small.crt", "ca.crt"]), None);
        assert!(a.diagnostics.iter().any(|d| d.rule.id == "CERT005" && d.message.contains("1024 bits")), "{:?}", a.diagnostics);
        assert!(!ids(&audit(&pki.inputs(&["ok.crt", "ca.crt"]), None)).contains(&"CERT005"));
        let a = audit(&pki.inputs(&["p224.key"]), None);
        assert!(a.diagnostics.iter().any(|d| d.rule.id == "CERT005" && d.message.contains("secp224r1")), "{:?}", a.diagnostics);
    }
}
