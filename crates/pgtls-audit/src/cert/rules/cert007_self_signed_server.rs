//! CERT007: the server certificate is self-signed.

use crate::cert::Role;
use crate::diagnostic::{Activation, Diagnostic, Fix, Severity};
use crate::rules::{Context, RuleMeta};

use super::{describe, SSL_TCP_DOCS};

pub static META: RuleMeta = RuleMeta {
    id: "CERT007",
    title: "Self-signed server certificate",
    severity: Severity::Warning,
    item: Some(2),
    docs_url: SSL_TCP_DOCS,
    help: "Clients can only verify a self-signed server certificate by pinning that very certificate as their sslrootcert, and must be updated on every renewal.",
    doc: crate::rule_doc!(r#"Finds server certificates that are signed by their own key.

**Why it matters.** No CA vouches for the server: a client using `sslmode=verify-ca` or
`verify-full` must have this exact certificate as its `sslrootcert`, and every renewal
breaks every client until they get the new file. Most deployments then fall back to
`sslmode=require`, which does not authenticate the server at all.

**Example.** The quick set-up from the PostgreSQL documentation,
`openssl req -new -x509 -days 365 -nodes -text -out server.crt -keyout server.key`.

**Fix.** Create a small private CA (a root kept offline, or an intermediate), issue the
server certificate from it, give clients the CA certificate as `sslrootcert`, and reload the
server.

**References.** PostgreSQL documentation, "Secure TCP/IP Connections with SSL", section
"Creating Certificates" (ssl-tcp)."#),
};

pub fn check(cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    let model = &cx.model.certs;
    for entry in model.certs.iter().filter(|e| e.role == Role::Server) {
        if entry.cert.is_self_signed() {
            out.push(
                Diagnostic::new(&META, entry.cert.location, format!("{} is self-signed", describe(model, entry))).with_fix(
                    Fix::new("Issue the server certificate from a CA and give clients the CA certificate as sslrootcert")
                        .snippet(
                            "openssl req -new -x509 -days 3650 -nodes -subj \"/CN=Database CA\" -keyout ca.key -out ca.crt\n\
                             openssl req -new -nodes -subj \"/CN=db.example.com\" -addext \"subjectAltName=DNS:db.example.com\" -keyout server.key -out server.csr\n\
                             openssl x509 -req -in server.csr -CA ca.crt -CAkey ca.key -copy_extensions copy -days 397 -out server.crt",
                        )
                        .activation(Activation::Reload),
                ),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::cert::testutil::{audit, ids, Pki};

    #[test]
    fn the_documentation_recipe_is_self_signed() {
        let pki = Pki::new("cert007");
        pki.openssl(&["req", "-new", "-x509", "-days", "365", "-nodes", "-subj", "/CN=db", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-keyout", "server.key", "-out", "server.crt"]);
        let a = audit(&pki.inputs(&["server.crt", "server.key"]), None);
        assert!(ids(&a).contains(&"CERT007"), "{:?}", a.diagnostics);
        pki.root("ca", "ec:P-256", "sha256");
        pki.issue("leaf", "ec:P-256", "ca", "sha256", "basicConstraints=CA:FALSE\nsubjectAltName=DNS:db", "", "");
        assert!(!ids(&audit(&pki.inputs(&["leaf.crt", "ca.crt"]), None)).contains(&"CERT007"));
    }
}
