//! CERT012: a server certificate without subjectAltName.

use crate::cert::x509::San;
use crate::cert::Role;
use crate::diagnostic::{Activation, Diagnostic, Fix, Severity};
use crate::rules::{Context, RuleMeta};

use super::{describe, SSL_TCP_DOCS};

pub static META: RuleMeta = RuleMeta {
    id: "CERT012",
    title: "Server certificate without subjectAltName",
    severity: Severity::Warning,
    item: Some(2),
    docs_url: SSL_TCP_DOCS,
    help: "libpq falls back to the CN, but many other clients (JDBC with hostname checks, Go, Rust, browsers' tools) ignore the CN and refuse the certificate.",
    doc: crate::rule_doc!(r#"Finds server certificates with no DNS or IP subjectAltName, which name the host only in
the subject's common name.

**Why it matters.** libpq checks the CN when there is no SAN of the host's type, so
`verify-full` works from psql; but RFC 6125 deprecates CN matching and many TLS stacks
(Go's crypto/tls since 1.15, rustls, recent Java and .NET) refuse such certificates, so
the same server fails for other clients and poolers.

**Example.** A certificate made with `-subj "/CN=db.example.com"` and no `-addext`.

**Fix.** Reissue the certificate with `subjectAltName = DNS:db.example.com` (and
`IP:192.0.2.10` if clients connect by address), then reload the server.

**References.** PostgreSQL documentation, "Secure TCP/IP Connections with SSL" (ssl-tcp) and
libpq "SSL Support", section on host-name verification (libpq-ssl)."#),
};

pub fn check(cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    let model = &cx.model.certs;
    for entry in model.certs.iter().filter(|e| e.role == Role::Server) {
        let c = &entry.cert;
        if c.sans.iter().any(|s| matches!(s, San::Dns(_) | San::Ip(_))) {
            continue;
        }
        let name = c.common_name().unwrap_or_else(|| "db.example.com".into());
        out.push(
            Diagnostic::new(&META, c.location, format!("{} has no DNS or IP subjectAltName", describe(model, entry))).with_fix(
                Fix::new(format!("Reissue the certificate with subjectAltName = DNS:{name}"))
                    .snippet(format!("openssl req -new -key server.key -subj \"/CN={name}\" -addext \"subjectAltName=DNS:{name}\" -out server.csr"))
                    .activation(Activation::Reload),
            ),
        );
    }
}

#[cfg(test)]
mod tests {
    use crate::cert::testutil::{audit, ids};
    use crate::source::Inputs;

    fn run(name: &str) -> Vec<&'static str> {
        let mut inputs = Inputs::new();
        let path = format!("{}/tests/fixtures/cert/pg-ssl/", env!("CARGO_MANIFEST_DIR"));
        inputs.push_detected(name, std::fs::read(format!("{path}{name}")).unwrap());
        inputs.push_detected("root+server_ca.crt", std::fs::read(format!("{path}root+server_ca.crt")).unwrap());
        ids(&audit(&inputs, None))
    }

    #[test]
    fn cn_only_versus_san() {
        assert!(run("server-cn-only.crt").contains(&"CERT012"));
        assert!(!run("server-single-alt-name.crt").contains(&"CERT012"));
        assert!(!run("server-ip-alt-names.crt").contains(&"CERT012"));
    }
}
