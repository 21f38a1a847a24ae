//! CERT015: a PEM block or DER file that cannot be decoded.

use crate::diagnostic::{Diagnostic, Fix, Severity};
use crate::rules::{Context, RuleMeta};

use super::SSL_TCP_DOCS;

pub static META: RuleMeta = RuleMeta {
    id: "CERT015",
    title: "Undecodable certificate, key or CRL",
    severity: Severity::Error,
    item: None,
    docs_url: SSL_TCP_DOCS,
    help: "PostgreSQL and libpq cannot load this file either: the server refuses to start, or clients fail to read their certificate files.",
    doc: crate::rule_doc!(r#"Reports PEM blocks and DER files that do not decode: a truncated block (no END line),
invalid base64, or DER that is not a valid certificate, private key, CRL or request. The
finding points at the block's BEGIN line.

**Why it matters.** The server fails with "could not load server certificate file" or
"could not load private key file" and does not start (or keeps its old SSL context on
reload); libpq fails with "could not read root certificate file". A block damaged in a copy
and paste is the usual cause.

**Example.** A certificate pasted without its last lines, so that `-----END CERTIFICATE-----`
is missing.

**Fix.** Copy the file again from its source (or re-export it with
`openssl x509 -in cert.crt -out cert.pem`) and check it with
`openssl x509 -in cert.pem -noout -text`.

**References.** PostgreSQL documentation, "Secure TCP/IP Connections with SSL" (ssl-tcp);
RFC 7468 (textual encodings)."#),
};

pub fn check(cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    for e in &cx.model.certs.errors {
        out.push(
            Diagnostic::new(&META, e.location, e.message.clone())
                .with_fix(Fix::new("Copy the file again from its source and check it with `openssl x509 -noout -text`")),
        );
    }
}

#[cfg(test)]
mod tests {
    use crate::cert::testutil::audit;
    use crate::source::Inputs;

    #[test]
    fn truncated_block_is_located() {
        let pem = std::fs::read_to_string(format!("{}/tests/fixtures/cert/pg-ssl/root_ca.crt", env!("CARGO_MANIFEST_DIR"))).unwrap();
        let cut = &pem[..pem.len() / 2];
        let mut inputs = Inputs::new();
        inputs.push_detected("root.crt", format!("garbage line\n{cut}"));
        let a = audit(&inputs, None);
        let d = a.diagnostics.iter().find(|d| d.rule.id == "CERT015").expect("CERT015");
        assert_eq!(d.location.span.start, "garbage line\n".len());
        assert!(d.message.contains("truncated"));
    }

    #[test]
    fn a_crt_without_pem_armour() {
        let mut inputs = Inputs::new();
        inputs.push_detected("server.crt", "this is not a certificate\n");
        let a = audit(&inputs, None);
        assert!(a.diagnostics.iter().any(|d| d.rule.id == "CERT015" && d.message.contains("no PEM block")), "{:?}", a.diagnostics);
        let mut inputs = Inputs::new();
        inputs.push_detected("empty.crt", "");
        assert!(audit(&inputs, None).diagnostics.is_empty());
    }
}
