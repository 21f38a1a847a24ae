//! CERT008: a chain that does not verify: a missing intermediate or root, a root file that
//! stops at an intermediate, a bad signature, or a server chain file out of order.

use crate::cert::chain::ChainError;
use crate::cert::Role;
use crate::diagnostic::{Activation, Diagnostic, Fix, Severity};
use crate::rules::{Context, RuleMeta};

use super::{describe, LIBPQ_SSL_DOCS};

pub static META: RuleMeta = RuleMeta {
    id: "CERT008",
    title: "Certificate chain does not verify",
    severity: Severity::Error,
    item: Some(2),
    docs_url: LIBPQ_SSL_DOCS,
    help: "libpq could not build a verified chain from the certificate to a trusted root: clients with sslmode=verify-ca or verify-full fail with \"certificate verify failed\".",
    doc: crate::rule_doc!(r#"Builds each leaf certificate's chain the way OpenSSL does for libpq: from the leaf,
through the certificates the server sends (the rest of `ssl_cert_file`) and the trusted file
(`sslrootcert`; without context, the CA certificates given), matching issuer names and key
identifiers and verifying every signature (RSA PKCS#1 v1.5 and PSS, ECDSA P-256/P-384,
Ed25519), up to a self-signed root of the trusted file. It reports:

* a missing intermediate or root ("unable to get local issuer certificate"), and an
  intermediate that is given but not in `ssl_cert_file`, so the server never sends it;
* a trusted file that holds only an intermediate: libpq sets no partial-chain flag, so the
  root itself must be in `sslrootcert` ("unable to get issuer certificate");
* a signature that does not verify, or an issuer that is not a CA;
* a server chain file whose first certificate is not the server's own (the server then
  fails with "check of private key failed"), and intermediates out of issuing order
  (a warning: OpenSSL reorders, other TLS clients may not);
* a server certificate without any root to check it against, so that checklist item 2
  cannot pass unproven.

**Example.** `ssl_cert_file` holds the leaf only, and clients have `sslrootcert=root.crt`:
the intermediate is missing and verify-ca fails.

**Fix.** Put the leaf first in `ssl_cert_file`, followed by each intermediate in issuing order
(`cat server.crt intermediate.crt > server-chain.crt`), give clients the root CA as
`sslrootcert`, and reload the server.

**References.** PostgreSQL documentation, libpq "SSL Support" (libpq-ssl) and "Secure TCP/IP
Connections with SSL", section "Using Client Certificates" (ssl-tcp); `src/test/ssl/t/001_ssltests.pl`."#),
};

pub fn check(cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    let model = &cx.model.certs;
    for problem in &model.order_problems {
        let d = Diagnostic::new(&META, problem.location, problem.message.clone()).with_fix(
            Fix::new("Order the file as the leaf first, then each certificate's issuer")
                .snippet("cat server.crt intermediate.crt > server-chain.crt")
                .activation(Activation::Reload),
        );
        out.push(if problem.leaf_not_first { d } else { d.severity(Severity::Warning) });
    }
    for lc in &model.chains {
        let entry = &model.certs[lc.leaf];
        let Err((kind, reason)) = &lc.chain.result else { continue };
        let self_signed_leaf = *kind == ChainError::UntrustedSelfSigned && lc.chain.path.len() == 1;
        if self_signed_leaf && !lc.trusted_from_context {
            continue; // CERT007 reports a self-signed server certificate.
        }
        let trusted_given = model.certs.iter().any(|e| matches!(e.role, Role::Root | Role::Intermediate));
        if entry.role == Role::Client && !lc.trusted_from_context && !trusted_given {
            continue; // A client certificate alone: nothing to judge it against.
        }
        let mut message = format!("the chain of the {} does not verify: {reason}", describe(model, entry));
        let mut fix = Fix::new("Complete the chain: the leaf, then its intermediates, up to a root in the trusted file");
        match kind {
            ChainError::MissingIssuer if !lc.not_sent.is_empty() => {
                let names: Vec<String> = lc
                    .not_sent
                    .iter()
                    .map(|&i| format!("\"{}\" ({})", model.certs[i].cert.subject, model.file_name(model.certs[i].cert.location.file)))
                    .collect();
                message.push_str(&format!(
                    "; {} is given but not in {}, so it is never sent",
                    names.join(", "),
                    model.file_name(entry.cert.location.file)
                ));
                fix = Fix::new("Append the intermediate certificate to the server chain file, after the server certificate")
                    .snippet(format!("cat {} {} > server-chain.crt", model.file_name(entry.cert.location.file), model.file_name(model.certs[lc.not_sent[0]].cert.location.file)));
            }
            ChainError::MissingIssuer if model.certs.iter().all(|e| e.role.is_leaf()) => {
                message.push_str("; no CA certificate was given: add the root file clients use as sslrootcert");
                fix = Fix::new("Give the CA certificates clients trust (their sslrootcert) to the audit, or add them");
            }
            ChainError::EndsAtIntermediate if !lc.trusted_from_context => {
                message.push_str("; no root certificate was given: give the audit the clients' sslrootcert, which must hold the root");
                fix = Fix::new("Give clients (and the audit) the root CA certificate as sslrootcert; an intermediate alone is not enough")
                    .snippet("cat intermediate.crt root.crt > root.crt.new");
            }
            ChainError::EndsAtIntermediate => {
                fix = Fix::new("Add the root CA certificate to the trusted file (sslrootcert); an intermediate alone is not enough")
                    .snippet("cat intermediate.crt root.crt > root.crt.new");
            }
            _ => {}
        }
        let activation = if entry.role == Role::Server { Activation::Reload } else { Activation::Reconnect };
        let mut d = Diagnostic::new(&META, entry.cert.location, message).with_fix(fix.activation(activation));
        if let Some(&top) = lc.chain.path.last() {
            if top != lc.leaf {
                let c = &model.certs[top].cert;
                d = d.related(c.location, format!("the chain stops at \"{}\"", c.subject));
            }
        }
        out.push(d);
    }
}

#[cfg(test)]
mod tests {
    use crate::cert::testutil::{audit, ids, Pki};

    #[test]
    fn missing_and_present_intermediate_against_openssl_verify() {
        let pki = Pki::new("cert008");
        pki.root("root", "rsa:2048", "sha256");
        pki.issue("inter", "ec:P-384", "root", "sha384", "basicConstraints=critical,CA:TRUE\nkeyUsage=keyCertSign,cRLSign", "", "");
        pki.issue("leaf", "ec:P-256", "inter", "sha256", "basicConstraints=CA:FALSE\nsubjectAltName=DNS:db", "", "");
        // Leaf alone, root given: openssl verify fails, and so do we.
        assert!(pki.openssl_verify("root.crt", None, "leaf.crt").is_err());
        let a = audit(&pki.inputs(&["leaf.crt", "root.crt"]), None);
        assert!(ids(&a).contains(&"CERT008"), "{:?}", a.diagnostics);
        // Leaf with its intermediate: both pass.
        pki.cat("chain.crt", &["leaf.crt", "inter.crt"]);
        assert!(pki.openssl_verify("root.crt", Some("chain.crt"), "leaf.crt").is_ok());
        let a = audit(&pki.inputs(&["chain.crt", "root.crt"]), None);
        assert!(!ids(&a).contains(&"CERT008"), "{:?}", a.diagnostics);
        // Wrong order: the intermediate first.
        pki.cat("wrong.crt", &["inter.crt", "leaf.crt"]);
        let a = audit(&pki.inputs(&["wrong.crt", "root.crt"]), None);
        let d = a.diagnostics.iter().find(|d| d.rule.id == "CERT008").expect("order finding");
        assert!(d.message.contains("not the first certificate"), "{}", d.message);
        // A server certificate with no CA at all cannot pass item 2 silently.
        let a = audit(&pki.inputs(&["leaf.crt"]), None);
        assert!(ids(&a).contains(&"CERT008"));
    }
}
