//! The server-certificate rows of PostgreSQL's `src/test/ssl/t/001_ssltests.pl` (postgres-facts
//! §7a and §7b): every row must give libpq's answer.

use pgtls_audit::cert::libpq_verify;

const NOW: i64 = 1_780_272_000; // 2026-06-01

fn fixture(name: &str) -> Vec<u8> {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/cert/pg-ssl/");
    std::fs::read(format!("{path}{name}")).unwrap_or_else(|e| panic!("{name}: {e}"))
}

/// The outcome for a server sending `cert`, a client with sslrootcert=`root`, and `host`
/// under verify-full (None: verify-ca).
fn check(cert: &str, root: &str, host: Option<&str>, pg: u32) -> Result<(), String> {
    libpq_verify(&fixture(&format!("{cert}.crt")), &fixture(root), None, host, pg, NOW)
}

fn ok(cert: &str, host: &str) {
    assert_eq!(check(cert, "root+server_ca.crt", Some(host), 18), Ok(()), "{cert} host={host}");
}

fn fails(cert: &str, host: &str, message: &str) {
    assert_eq!(check(cert, "root+server_ca.crt", Some(host), 18), Err(message.to_string()), "{cert} host={host}");
}

#[test]
fn chain_rows() {
    // sslrootcert=root+server_ca.crt: OK under verify-ca.
    assert_eq!(check("server-cn-only", "root+server_ca.crt", None, 18), Ok(()));
    // sslrootcert=client_ca.crt: certificate verify failed.
    let e = check("server-cn-only", "client_ca.crt", None, 18).unwrap_err();
    assert!(e.starts_with("SSL error: certificate verify failed"), "{e}");
    // sslrootcert=server_ca.crt (an intermediate only): the file must reach the root.
    let e = check("server-cn-only", "server_ca.crt", None, 18).unwrap_err();
    assert!(e.starts_with("SSL error: certificate verify failed (unable to get issuer certificate"), "{e}");
    // both-cas-1.crt and both-cas-2.crt: OK.
    assert_eq!(check("server-cn-only", "both-cas-1.crt", None, 18), Ok(()));
    assert_eq!(check("server-cn-only", "both-cas-2.crt", None, 18), Ok(()));
    // The server sends the intermediate itself; the client has the root only.
    assert_eq!(check("server-cn-only+server_ca", "root_ca.crt", None, 18), Ok(()));
    let e = check("server-cn-only", "root_ca.crt", None, 18).unwrap_err();
    assert!(e.contains("unable to get local issuer certificate"), "{e}");
}

#[test]
fn host_name_rows() {
    ok("server-cn-only", "common-name.pg-ssltest.test");
    fails(
        "server-cn-only",
        "wronghost.test",
        "server certificate for \"common-name.pg-ssltest.test\" does not match host name \"wronghost.test\"",
    );
    ok("server-ip-cn-only", "192.0.2.1");
    fails(
        "server-ip-cn-only",
        "192.000.002.001",
        "server certificate for \"192.0.2.1\" does not match host name \"192.000.002.001\"",
    );
    ok("server-ip-in-dnsname", "192.0.2.1");
    for host in ["dns1.alt-name.pg-ssltest.test", "dns2.alt-name.pg-ssltest.test", "foo.wildcard.pg-ssltest.test"] {
        ok("server-multiple-alt-names", host);
    }
    for host in ["wronghost.alt-name.pg-ssltest.test", "deep.subdomain.wildcard.pg-ssltest.test"] {
        fails(
            "server-multiple-alt-names",
            host,
            &format!("server certificate for \"dns1.alt-name.pg-ssltest.test\" (and 2 other names) does not match host name \"{host}\""),
        );
    }
    ok("server-single-alt-name", "single.alt-name.pg-ssltest.test");
    for host in ["wronghost.alt-name.pg-ssltest.test", "deep.subdomain.wildcard.pg-ssltest.test"] {
        fails(
            "server-single-alt-name",
            host,
            &format!("server certificate for \"single.alt-name.pg-ssltest.test\" does not match host name \"{host}\""),
        );
    }
    for host in ["192.0.2.1", "192.000.002.001", "2001:DB8::1", "2001:db8:0:0:0:0:0:1", "2001:db8::0.0.0.1"] {
        ok("server-ip-alt-names", host);
    }
    for host in ["192.0.2.2", "::1", "2001:DB8::1/128"] {
        fails(
            "server-ip-alt-names",
            host,
            &format!("server certificate for \"192.0.2.1\" (and 1 other name) does not match host name \"{host}\""),
        );
    }
    ok("server-cn-and-alt-names", "dns1.alt-name.pg-ssltest.test");
    ok("server-cn-and-alt-names", "dns2.alt-name.pg-ssltest.test");
    fails(
        "server-cn-and-alt-names",
        "common-name.pg-ssltest.test",
        "server certificate for \"dns1.alt-name.pg-ssltest.test\" (and 1 other name) does not match host name \"common-name.pg-ssltest.test\"",
    );
    for host in ["common-name.pg-ssltest.test", "192.0.2.1", "2001:db8::1"] {
        ok("server-cn-and-ip-alt-names", host);
    }
    ok("server-ip-cn-and-alt-names", "192.0.2.2");
    ok("server-ip-cn-and-alt-names", "2001:db8::1");
    fails(
        "server-ip-cn-and-alt-names",
        "192.0.2.1",
        "server certificate for \"192.0.2.2\" (and 1 other name) does not match host name \"192.0.2.1\"",
    );
    for host in ["192.0.2.1", "dns1.alt-name.pg-ssltest.test", "dns2.alt-name.pg-ssltest.test"] {
        ok("server-ip-cn-and-dns-alt-names", host);
    }
    assert_eq!(check("server-no-names", "root+server_ca.crt", None, 18), Ok(()));
    fails("server-no-names", "common-name.pg-ssltest.test", "could not get server's host name from server certificate");
    fails(
        "server-cn-only+server_ca",
        "common-name.pg-ssltest.test.bad",
        "server certificate for \"common-name.pg-ssltest.test\" does not match host name \"common-name.pg-ssltest.test.bad\"",
    );
}

#[test]
fn libpq_14_ignores_ip_sans() {
    // Before 15, iPAddress SANs were not read: an IP-only certificate has no usable name.
    let e = check("server-ip-alt-names", "root+server_ca.crt", Some("192.0.2.1"), 14).unwrap_err();
    assert_eq!(e, "could not get server's host name from server certificate");
    // And a DNS SAN disables the CN even for an IP host.
    let e = check("server-ip-cn-and-dns-alt-names", "root+server_ca.crt", Some("192.0.2.1"), 14).unwrap_err();
    assert!(e.starts_with("server certificate for \"dns1.alt-name.pg-ssltest.test\" (and 1 other name)"), "{e}");
    // The IP-in-CN case worked the same before 15.
    assert_eq!(check("server-ip-cn-only", "root+server_ca.crt", Some("192.0.2.1"), 14), Ok(()));
}

fn with_crl(cert: &str, crl: Option<&str>) -> Result<(), String> {
    let crl = crl.map(fixture);
    libpq_verify(&fixture(&format!("{cert}.crt")), &fixture("root+server_ca.crt"), crl.as_deref(), None, 18, NOW)
}

#[test]
fn crl_rows() {
    // sslcrl=invalid: a missing file is ignored.
    assert_eq!(with_crl("server-cn-only", None), Ok(()));
    // sslcrl=client.crl (another CA): OpenSSL needs a CRL for every CA of the chain.
    let e = with_crl("server-cn-only", Some("client.crl")).unwrap_err();
    assert!(e.starts_with("SSL error: certificate verify failed (unable to get certificate CRL"), "{e}");
    assert_eq!(with_crl("server-cn-only", Some("root+server.crl")), Ok(()));
    assert_eq!(with_crl("server-revoked", None), Ok(()));
    let e = with_crl("server-revoked", Some("root+server.crl")).unwrap_err();
    assert!(e.starts_with("SSL error: certificate verify failed (certificate revoked"), "{e}");
}

#[test]
fn the_rsa_pss_certificate_verifies_and_is_expired() {
    let pss = fixture("server-rsapss.crt");
    // Self-signed: trusted when pinned as the root, but expired since 2023-03-15.
    let e = libpq_verify(&pss, &pss, None, None, 18, NOW).unwrap_err();
    assert!(e.contains("certificate has expired"), "{e}");
    let before_expiry = 1_677_628_800; // 2023-03-01
    assert_eq!(libpq_verify(&pss, &pss, None, Some("common-name.pg-ssltest.test"), 18, before_expiry), Ok(()));
}
