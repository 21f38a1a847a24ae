//! CERT004: the server certificate does not match `--host` under libpq's verify-full rules.

use crate::cert::hostname::is_ip_address;
use crate::diagnostic::{Activation, Diagnostic, Fix, Severity};
use crate::rules::{Context, RuleMeta};

use super::{describe, LIBPQ_SSL_DOCS};

pub static META: RuleMeta = RuleMeta {
    id: "CERT004",
    title: "Server certificate does not match the host name",
    severity: Severity::Error,
    item: Some(2),
    docs_url: LIBPQ_SSL_DOCS,
    help: "Clients with sslmode=verify-full will refuse the connection: the names in the certificate do not cover the host name they connect to.",
    doc: crate::rule_doc!(r#"Checks the server certificate against the host name given with `--host`, exactly as
libpq does under `sslmode=verify-full` for the libpq version given with `--pg-version`, and
quotes libpq's error.

**Rules (libpq 15 and later).** The host is an IP address when `inet_aton` or
`inet_pton(AF_INET6)` accepts it (so `192.000.002.001` is one). dNSName SANs are compared as
text, even for an IP host; iPAddress SANs are compared byte-wise. A wildcard counts only as the
whole leftmost label (`*.example.com`) and matches exactly one label; comparison ignores
case. The CN is checked only when no SAN of the host's type exists (for an IP host, even if DNS
SANs exist). Before 15, iPAddress SANs were ignored and any dNSName SAN disabled the CN.

**Example.** A certificate for `DNS:db1.example.com` checked against `--host db.example.com`:
libpq says `server certificate for "db1.example.com" does not match host name "db.example.com"`.

**Fix.** Reissue the certificate with a subjectAltName that covers the name clients use
(`DNS:db.example.com`, or `IP:192.0.2.10` for an address), or make clients connect with a name
the certificate has.

**References.** PostgreSQL documentation, libpq "SSL Support" (libpq-ssl, verify-full);
`src/interfaces/libpq/fe-secure-common.c` and `fe-secure-openssl.c`."#),
};

pub fn check(cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    let model = &cx.model.certs;
    let Some(host) = &model.host else { return };
    for (i, result) in &model.host_checks {
        let Err(libpq_error) = result else { continue };
        let entry = &model.certs[*i];
        let san = if is_ip_address(host) { format!("IP:{host}") } else { format!("DNS:{host}") };
        out.push(
            Diagnostic::new(
                &META,
                entry.cert.location,
                format!(
                    "libpq verify-full to \"{host}\" fails for the {}: {libpq_error}",
                    describe(model, entry)
                ),
            )
            .with_fix(
                Fix::new(format!("Reissue the server certificate with subjectAltName {san}"))
                    .snippet(format!("openssl req -new -key server.key -subj \"/CN={host}\" -addext \"subjectAltName={san}\" -out server.csr"))
                    .activation(Activation::Reload),
            ),
        );
    }
}

#[cfg(test)]
mod tests {
    use crate::cert::testutil::{audit, ids};
    use crate::source::Inputs;

    fn inputs(names: &[&str]) -> Inputs {
        let mut inputs = Inputs::new();
        for n in names {
            let bytes = std::fs::read(format!("{}/tests/fixtures/cert/pg-ssl/{n}", env!("CARGO_MANIFEST_DIR"))).unwrap();
            inputs.push_detected(*n, bytes);
        }
        inputs
    }

    #[test]
    fn quotes_libpq() {
        let a = audit(&inputs(&["server-multiple-alt-names.crt", "root+server_ca.crt"]), Some("deep.subdomain.wildcard.pg-ssltest.test"));
        let d = a.diagnostics.iter().find(|d| d.rule.id == "CERT004").expect("CERT004");
        assert!(d.message.ends_with("server certificate for \"dns1.alt-name.pg-ssltest.test\" (and 2 other names) does not match host name \"deep.subdomain.wildcard.pg-ssltest.test\""), "{}", d.message);
        let a = audit(&inputs(&["server-multiple-alt-names.crt", "root+server_ca.crt"]), Some("foo.wildcard.pg-ssltest.test"));
        assert!(!ids(&a).contains(&"CERT004"));
        // Without --host there is nothing to check.
        let a = audit(&inputs(&["server-multiple-alt-names.crt", "root+server_ca.crt"]), None);
        assert!(!ids(&a).contains(&"CERT004"));
    }
}
