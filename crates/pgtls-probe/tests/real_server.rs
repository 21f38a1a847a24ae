//! Live checks of a real PostgreSQL server in the set-ups users run.

mod common;

use std::time::Duration;

use pgtls_audit::live::{DirectTlsOutcome, LiveResult, PlaintextOutcome, SslRequestOutcome};
use pgtls_audit::AuditOptions;
use pgtls_probe::CheckOptions;

fn check(port: u16) -> LiveResult {
    let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    let mut opts = CheckOptions::new("127.0.0.1", port);
    opts.timeout = Duration::from_secs(5);
    rt.block_on(pgtls_probe::check(&opts))
}

fn rule_ids(result: &LiveResult) -> Vec<String> {
    let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_secs() as i64;
    let (inputs, analysis) = pgtls_probe::audit(result, Vec::new(), &AuditOptions::new(now));
    let report = analysis.report(&inputs, Default::default());
    report.findings.iter().map(|f| f.rule.clone()).collect()
}

#[test]
fn hostssl_with_hostnossl_reject() {
    let pg = common::ssl_server(
        &["ssl = on", "ssl_ca_file = 'ca.crt'"],
        "hostnossl all all 127.0.0.1/32 reject\nhostssl all all 127.0.0.1/32 trust\n",
    );
    let r = check(pg.port());
    assert!(r.failures.is_empty(), "{:#?}", r.failures);
    assert_eq!(r.ssl_request, SslRequestOutcome::Accepted);
    assert_eq!(r.bytes_after_ssl_response, 0);
    let tls = r.tls.as_ref().expect("a TLS session");
    assert_eq!(tls.version, "TLSv1.3");
    assert!(tls.cipher.starts_with("TLS_AES_") || tls.cipher.starts_with("TLS_CHACHA20"), "{}", tls.cipher);
    assert!(tls.client_cert_requested, "ssl_ca_file makes the server ask for a client certificate");
    assert_eq!(tls.alpn, None, "PostgreSQL 15 does not select ALPN");
    // OpenSSL completes the chain from ssl_ca_file's store when the certificate file has only
    // the leaf, so the server sends the CA too.
    assert_eq!(r.certificates.len(), 2);
    assert_eq!(r.target.sni, None, "no SNI for an address literal");
    assert_eq!(r.target.addresses, vec!["127.0.0.1"]);
    assert_eq!(r.plaintext, PlaintextOutcome::Rejected, "{:?}", r.plaintext_detail);
    assert!(r.plaintext_detail.as_deref().unwrap().contains("rejects connection"), "{:?}", r.plaintext_detail);
    assert_eq!(r.direct_tls, DirectTlsOutcome::Unsupported, "{:?}", r.direct_tls_detail);
    assert!(!r.protocols.tls1_0 && !r.protocols.tls1_1, "{:?}", r.protocols);
    assert!(r.protocols.tls1_2 && r.protocols.tls1_3, "{:?}", r.protocols);
    assert!(r.tls12_ciphers.contains(&"TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384".to_string()), "{:?}", r.tls12_ciphers);
    assert!(!r.tls12_ciphers.iter().any(|c| c.contains("ECDSA")), "an RSA key cannot do ECDSA suites: {:?}", r.tls12_ciphers);
    let ids = rule_ids(&r);
    assert!(!ids.iter().any(|id| ["LIVE001", "LIVE002", "LIVE003", "LIVE004", "LIVE006", "LIVE008"].contains(&id.as_str())), "{ids:?}");
    assert!(ids.contains(&"LIVE007".to_string()), "{ids:?}");
    assert!(ids.contains(&"LIVE005".to_string()), "the default ssl_ciphers admits kRSA and SHA-1 CBC suites: {ids:?}");
    assert!(r.timings_ms["total"] < 5_000, "{:?}", r.timings_ms);
}

#[test]
fn host_trust_accepts_plaintext() {
    let pg = common::ssl_server(&["ssl = on"], "host all all 127.0.0.1/32 trust\n");
    let r = check(pg.port());
    assert_eq!(r.ssl_request, SslRequestOutcome::Accepted);
    assert!(!r.tls.as_ref().unwrap().client_cert_requested);
    assert_eq!(r.certificates.len(), 1, "without ssl_ca_file only the leaf is sent");
    assert_eq!(r.plaintext, PlaintextOutcome::Accepted);
    assert!(r.plaintext_detail.as_deref().unwrap().contains("AuthenticationOk"), "{:?}", r.plaintext_detail);
    assert!(rule_ids(&r).contains(&"LIVE001".to_string()));
}

#[test]
fn tls12_cap_hides_tls13() {
    let pg = common::ssl_server(&["ssl = on", "ssl_max_protocol_version = 'TLSv1.2'"], "hostssl all all 127.0.0.1/32 scram-sha-256\n");
    let r = check(pg.port());
    assert!(r.failures.is_empty(), "{:#?}", r.failures);
    assert_eq!(r.tls.as_ref().unwrap().version, "TLSv1.2");
    assert!(r.protocols.tls1_2 && !r.protocols.tls1_3, "{:?}", r.protocols);
    assert_eq!(r.plaintext, PlaintextOutcome::Rejected, "{:?}", r.plaintext_detail);
    assert!(r.plaintext_detail.as_deref().unwrap().contains("no pg_hba.conf entry"), "{:?}", r.plaintext_detail);
    let ids = rule_ids(&r);
    assert!(ids.contains(&"LIVE004".to_string()), "{ids:?}");
    assert!(!ids.contains(&"LIVE001".to_string()), "{ids:?}");
}

#[test]
fn ssl_off_refuses() {
    let pg = pgtls_testpg::TestPg::builder().conf("ssl = off").hba("host all all 127.0.0.1/32 scram-sha-256\n").start().unwrap();
    let r = check(pg.port());
    assert_eq!(r.ssl_request, SslRequestOutcome::Refused);
    assert!(r.tls.is_none() && r.certificates.is_empty());
    assert_eq!(r.direct_tls, DirectTlsOutcome::Unsupported, "{:?}", r.direct_tls_detail);
    assert_eq!(r.plaintext, PlaintextOutcome::Accepted);
    assert!(r.plaintext_detail.as_deref().unwrap().contains("SASL"), "{:?}", r.plaintext_detail);
    let ids = rule_ids(&r);
    assert!(ids.contains(&"LIVE002".to_string()) && ids.contains(&"LIVE001".to_string()), "{ids:?}");
    assert!(!ids.contains(&"LIVE004".to_string()), "{ids:?}");
}

/// The OpenSSL name of each IANA suite name this openssl knows.
fn openssl_names() -> std::collections::HashMap<String, String> {
    let out = std::process::Command::new("openssl")
        .args(["ciphers", "-stdname", "ALL:COMPLEMENTOFALL:@SECLEVEL=0"])
        .output()
        .expect("openssl runs");
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .filter_map(|l| {
            let mut f = l.split_whitespace();
            let iana = f.next()?;
            f.next()?;
            Some((iana.to_string(), f.next()?.to_string()))
        })
        .collect()
}

/// Does `openssl s_client` complete a handshake with `args` against the server?
fn s_client_accepts(port: u16, args: &[&str]) -> bool {
    let out = std::process::Command::new("openssl")
        .args(["s_client", "-starttls", "postgres", "-connect", &format!("127.0.0.1:{port}")])
        .args(args)
        .stdin(std::process::Stdio::null())
        .output()
        .expect("openssl runs");
    let text = String::from_utf8_lossy(&out.stdout);
    out.status.success() && text.contains("Cipher is ") && !text.contains("Cipher is (NONE)")
}

/// Differential: the suites and versions the probe finds are exactly those `openssl s_client`
/// can negotiate, for the default ssl_ciphers and for a server opened up to everything.
#[test]
fn suites_and_versions_match_openssl_s_client() {
    let names = openssl_names();
    for conf in [
        vec!["ssl = on"],
        vec!["ssl = on", "ssl_ciphers = 'ALL:@SECLEVEL=0'", "ssl_min_protocol_version = 'TLSv1'"],
    ] {
        let pg = common::ssl_server(&conf, "hostssl all all 127.0.0.1/32 trust\n");
        let r = check(pg.port());
        assert!(r.failures.is_empty(), "{conf:?}: {:#?}", r.failures);
        let mut compared = 0;
        for (_, iana) in pgtls_probe::hello::TLS12_SUITES {
            let Some(ossl) = names.get(*iana) else { continue };
            let cipher = format!("{ossl}:@SECLEVEL=0");
            let expected = s_client_accepts(pg.port(), &["-tls1_2", "-cipher", &cipher]);
            let found = r.tls12_ciphers.iter().any(|c| c == iana);
            assert_eq!(found, expected, "{conf:?}: {iana} ({ossl}): probe says {found}, s_client says {expected}");
            compared += 1;
        }
        assert!(compared > 30, "only {compared} suites known to openssl");
        for (flag, probed) in [("-tls1", r.protocols.tls1_0), ("-tls1_1", r.protocols.tls1_1), ("-tls1_2", r.protocols.tls1_2), ("-tls1_3", r.protocols.tls1_3)] {
            let expected = s_client_accepts(pg.port(), &[flag, "-cipher", "ALL:@SECLEVEL=0"]);
            assert_eq!(probed, expected, "{conf:?}: {flag}: probe says {probed}, s_client says {expected}");
        }
        if conf.len() > 1 {
            assert!(r.protocols.tls1_0 && r.protocols.tls1_1, "the opened-up server takes TLS 1.0/1.1: {:?}", r.protocols);
            assert!(rule_ids(&r).contains(&"LIVE003".to_string()));
        }
    }
}
