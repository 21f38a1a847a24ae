//! `pgtls cert` end to end.

use assert_cmd::Command;

fn fixture(n: &str) -> String {
    format!("{}/../pgtls-audit/tests/fixtures/cert/pg-ssl/{n}", env!("CARGO_MANIFEST_DIR"))
}

#[test]
fn dump_chain_and_host_check() {
    let out = Command::cargo_bin("pgtls")
        .unwrap()
        .args(["cert", &fixture("server-multiple-alt-names.crt"), &fixture("root+server_ca.crt")])
        .args(["--host", "foo.wildcard.pg-ssltest.test", "--now", "2026-06-01T00:00:00Z"])
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert_eq!(out.status.code(), Some(0), "{text}");
    assert!(text.contains("SAN:       DNS:dns1.alt-name.pg-ssltest.test, DNS:dns2.alt-name.pg-ssltest.test, DNS:*.wildcard.pg-ssltest.test"), "{text}");
    assert!(text.contains("Chain:     verified"), "{text}");
    assert!(text.contains("\"foo.wildcard.pg-ssltest.test\" matches (libpq verify-full)"), "{text}");
}

#[test]
fn mismatch_exits_one_with_libpq_text() {
    let out = Command::cargo_bin("pgtls")
        .unwrap()
        .args(["cert", &fixture("server-cn-only.crt"), &fixture("root+server_ca.crt"), "--host", "wronghost.test", "--now", "2026-06-01T00:00:00Z"])
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(text.contains("server certificate for \"common-name.pg-ssltest.test\" does not match host name \"wronghost.test\""), "{text}");
}

#[test]
fn json_and_usage_errors() {
    let out = Command::cargo_bin("pgtls")
        .unwrap()
        .args(["cert", "--json", &fixture("server-ip-alt-names.crt"), "--now", "2026-06-01T00:00:00Z"])
        .output()
        .unwrap();
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["certificates"][0]["subject_alt_names"][1], "IP:2001:db8::1");
    let out = Command::cargo_bin("pgtls").unwrap().args(["cert", "/nonexistent.crt"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let out = Command::cargo_bin("pgtls").unwrap().args(["cert", &fixture("root_ca.crt"), "--now", "yesterday"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
}
