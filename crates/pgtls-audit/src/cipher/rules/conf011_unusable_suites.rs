//! CONF011: no suite in ssl_ciphers fits the server's key type for an ordinary client.

use super::{server_value, tls12_disabled, tls13_enabled};
use crate::cert::ServerKeyKind;
use crate::cipher::table::au;
use crate::cipher::{evaluate, DEFAULT_SECLEVEL, MOZILLA_INTERMEDIATE, POSTGRES_DEFAULT_CIPHERS};
use crate::diagnostic::{Diagnostic, Severity};
use crate::rules::{Context, RuleMeta};

pub static META: RuleMeta = RuleMeta {
    id: "CONF011",
    title: "No cipher suite clients can use with the server's key",
    severity: Severity::Error,
    item: Some(1),
    docs_url: "https://www.postgresql.org/docs/current/ssl-tcp.html#SSL-SERVER-FILES",
    help: "Every TLS 1.2 suite the list enables needs a different kind of server key, or is one that ordinary clients never offer, so TLS 1.2 handshakes fail.",
    doc: crate::rule_doc!(r#"
**What it finds.** A TLS 1.2 suite names the kind of certificate key that signs the handshake:
`aRSA` suites need an RSA key, `aECDSA` suites an EC (or Ed25519/Ed448) key, `aDSS` suites a DSA
key. The rule takes the effective `ssl_ciphers`, keeps the suites the server can negotiate
(the security level allows them; not PSK or SRP), and checks that at least one both fits the key
of the given server certificate and is offered by an ordinary client: libpq and most drivers
send OpenSSL's `DEFAULT` list, which leaves out anonymous, DSS, CCM, ARIA and Camellia suites.

**Why it matters.** With no such suite, every TLS 1.2 handshake ends in a `handshake failure`
alert (libpq: `SSL error: sslv3 alert handshake failure`, or `no shared cipher` in the server
log). The server starts, so the mistake surfaces only when clients connect. TLS 1.3 suites do
not depend on the key type, so clients that speak TLS 1.3 still connect unless
`ssl_max_protocol_version` stops them.

**Example.** An RSA certificate with
```
ssl_ciphers = 'ECDHE-ECDSA-AES256-GCM-SHA384:ECDHE-ECDSA-CHACHA20-POLY1305'
```

**Fix.** Enable suites for the key you have, for example Mozilla's intermediate list, which
covers both RSA and ECDSA keys, or issue a certificate with the matching key type. Reload.

**References.** PostgreSQL documentation "Secure TCP/IP Connections with SSL"; RFC 5246 §7.4.2
(server certificate and cipher suite); OpenSSL `ciphers(1)` (`aRSA`, `aECDSA`).
"#),
};

pub fn check(cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    let Some(key) = cx.model.certs.server_key_kind() else { return };
    let Some(value) = server_value(cx, "ssl_ciphers", POSTGRES_DEFAULT_CIPHERS) else { return };
    if tls12_disabled(cx) {
        return;
    }
    let (auth, key_name) = match key {
        ServerKeyKind::Rsa => (au::RSA, "an RSA"),
        ServerKeyKind::Ecdsa => (au::ECDSA, "an ECDSA"),
        ServerKeyKind::Ed25519 => (au::ECDSA, "an Ed25519"),
        ServerKeyKind::Ed448 => (au::ECDSA, "an Ed448"),
        ServerKeyKind::Other => return,
    };
    let list = evaluate(&value.value, DEFAULT_SECLEVEL);
    if !list.accepted() {
        return; // CONF010
    }
    let client_offer = evaluate("DEFAULT", DEFAULT_SECLEVEL);
    let offered = |name: &str| client_offer.suites.iter().any(|s| s.name == name);
    let fitting: Vec<_> = list.negotiable().filter(|s| s.suite.au == auth).collect();
    if fitting.iter().any(|s| offered(s.name)) {
        return;
    }
    let mut message = if fitting.is_empty() {
        let kinds: Vec<&str> = {
            let mut k: Vec<&str> = list.negotiable().map(|s| s.au).collect();
            crate::sorting::sort(&mut k);
            k.dedup();
            k
        };
        format!(
            "{} enables no suite for {key_name} key, the key of the server certificate (its negotiable suites authenticate with: {})",
            value.describe(),
            if kinds.is_empty() { "none".to_string() } else { kinds.join(", ") }
        )
    } else {
        format!(
            "{} enables suites for {key_name} key, but none an ordinary client offers (libpq and most drivers send OpenSSL's DEFAULT list): {}",
            value.describe(),
            super::name_list(fitting.iter().map(|s| s.name), 4)
        )
    };
    message.push_str(if tls13_enabled(cx) {
        ", so TLS 1.2 handshakes fail; only clients that speak TLS 1.3 can connect"
    } else {
        ", so every handshake fails (ssl_max_protocol_version rules out TLS 1.3)"
    });
    out.push(
        Diagnostic::new(&META, value.location, message)
            .with_fix(value.fix(cx, "Enable forward-secret AEAD suites for both RSA and ECDSA keys (Mozilla's intermediate list)", MOZILLA_INTERMEDIATE)),
    );
}

#[cfg(test)]
mod tests {
    use super::super::testing::{audit, with_rule};
    use crate::detect::InputKind;

    const RSA_CERT: &str = include_str!("../../../tests/fixtures/ciphers/rsa-server.crt");

    fn run(conf: &str) -> Vec<crate::Diagnostic> {
        audit(
            &[("postgresql.conf", InputKind::PostgresqlConf, conf), ("server.crt", InputKind::Pem, RSA_CERT)],
            16,
        )
        .1
    }

    #[test]
    fn ecdsa_only_with_an_rsa_key() {
        let diags = run("ssl = on\nssl_ciphers = 'ECDHE-ECDSA-AES256-GCM-SHA384:ECDHE-ECDSA-CHACHA20-POLY1305'\n");
        let d = with_rule(&diags, "CONF011");
        assert_eq!(d.len(), 1, "{diags:?}");
        assert!(d[0].message.contains("no suite for an RSA key"), "{}", d[0].message);
        assert!(d[0].message.contains("only clients that speak TLS 1.3"));
    }

    #[test]
    fn suites_no_client_offers() {
        let diags = run("ssl = on\nssl_ciphers = 'ARIA:CAMELLIA'\nssl_max_protocol_version = 'TLSv1.2'\n");
        let d = with_rule(&diags, "CONF011");
        assert_eq!(d.len(), 1, "{diags:?}");
        assert!(d[0].message.contains("none an ordinary client offers"));
        assert!(d[0].message.contains("every handshake fails"));
    }

    #[test]
    fn a_fitting_suite_passes() {
        assert!(with_rule(&run("ssl = on\nssl_ciphers = 'ECDHE-RSA-AES128-GCM-SHA256'\n"), "CONF011").is_empty());
        assert!(with_rule(&run("ssl = on\n"), "CONF011").is_empty());
    }

    #[test]
    fn silent_without_a_certificate() {
        let (_, diags) = audit(&[("postgresql.conf", InputKind::PostgresqlConf, "ssl_ciphers = 'aECDSA'\n")], 16);
        assert!(with_rule(&diags, "CONF011").is_empty());
    }
}
