//! How certificates feed the checklist: item 2 passes only with a verified chain to a given
//! root and a matching host name; item 6 with more than 30 days left everywhere; the report
//! carries each certificate's summary and timeline.

use pgtls_audit::checklist::Status;
use pgtls_audit::{audit, AuditOptions, ColumnUnit, Inputs};

const NOW: i64 = 1_780_272_000; // 2026-06-01

fn inputs(names: &[&str]) -> Inputs {
    let mut inputs = Inputs::new();
    for n in names {
        let bytes = std::fs::read(format!("{}/tests/fixtures/cert/pg-ssl/{n}", env!("CARGO_MANIFEST_DIR"))).unwrap();
        inputs.push_detected(*n, bytes);
    }
    inputs
}

fn status(names: &[&str], host: Option<&str>, now: i64, item: u8) -> Status {
    let mut options = AuditOptions::new(now);
    options.host = host.map(String::from);
    let a = audit(&inputs(names), &options);
    a.checklist.iter().find(|e| e.item == item).unwrap().status
}

#[test]
fn item_2_needs_a_verified_chain_and_the_name() {
    let good = ["server-single-alt-name.crt", "root+server_ca.crt"];
    assert_eq!(status(&good, Some("single.alt-name.pg-ssltest.test"), NOW, 2), Status::Pass);
    assert_eq!(status(&good, None, NOW, 2), Status::Pass);
    assert_eq!(status(&good, Some("wronghost.test"), NOW, 2), Status::Fail);
    // The intermediate alone: libpq needs the root.
    assert_eq!(status(&["server-single-alt-name.crt", "server_ca.crt"], None, NOW, 2), Status::Fail);
    // No CA at all: nothing shows the chain is trusted.
    assert_eq!(status(&["server-single-alt-name.crt"], None, NOW, 2), Status::Fail);
    // The client CA instead of the server CA.
    assert_eq!(status(&["server-single-alt-name.crt", "root+client_ca.crt"], None, NOW, 2), Status::Fail);
    // No certificate: the item is not judged here.
    assert_eq!(status(&["root_ca.crt"], None, NOW, 2), Status::Unknown);
}

#[test]
fn item_6_follows_the_nearest_expiry() {
    let names = ["server-single-alt-name.crt", "root+server_ca.crt"];
    assert_eq!(status(&names, None, NOW, 6), Status::Pass);
    // root_ca.crt expires on 2048-07-19: 20 days before, the item warns; after, it fails.
    let expiry = 2_478_809_527; // 2048-07-19T22:12:07Z
    assert_eq!(status(&names, None, expiry - 20 * 86_400, 6), Status::Warn);
    assert_eq!(status(&names, None, expiry + 1, 6), Status::Fail);
    assert_eq!(status(&[], None, NOW, 6), Status::Unknown);
}

#[test]
fn report_carries_summaries_and_timeline() {
    let inputs = inputs(&["server-cn-and-alt-names.crt", "root+server_ca.crt"]);
    let mut options = AuditOptions::new(NOW);
    options.host = Some("dns2.alt-name.pg-ssltest.test".into());
    let report = audit(&inputs, &options).report(&inputs, ColumnUnit::Utf8);
    assert_eq!(report.certificates.len(), 3);
    let leaf = &report.certificates[0];
    assert_eq!(leaf.role, pgtls_audit::cert::Role::Server);
    assert_eq!(leaf.file, "server-cn-and-alt-names.crt");
    assert_eq!(leaf.subject_alt_names, vec!["DNS:dns1.alt-name.pg-ssltest.test", "DNS:dns2.alt-name.pg-ssltest.test"]);
    assert_eq!(leaf.key_type, "RSA");
    assert_eq!(leaf.key_bits, 2048);
    assert_eq!(leaf.signature_algorithm, "sha256WithRSAEncryption");
    assert_eq!(leaf.chain.len(), 3);
    assert_eq!(leaf.chain_verified, Some(true));
    assert!(leaf.chain[2].trusted);
    assert!(leaf.host_check.as_ref().unwrap().matches);
    assert_eq!(leaf.timeline.today, NOW);
    assert_eq!(leaf.timeline.alert_line, leaf.timeline.not_after - 30 * 86_400);
    assert!(leaf.not_after.ends_with('Z') && leaf.not_after.starts_with("2050-"));
    assert_eq!(leaf.sha256_fingerprint.len(), 32 * 3 - 1);
    let json = serde_json::to_value(&report).unwrap();
    assert_eq!(json["certificates"][0]["role"], "server");
    assert_eq!(json["certificates"][0]["host_check"]["matches"], true);
    let back: pgtls_audit::Report = serde_json::from_value(json).unwrap();
    assert_eq!(back.certificates, report.certificates);
}

#[test]
fn der_inputs_and_text_around_pem() {
    let pem = std::fs::read_to_string(format!("{}/tests/fixtures/cert/pg-ssl/server-ip-alt-names.crt", env!("CARGO_MANIFEST_DIR"))).unwrap();
    let with_dump = format!("Certificate:\n    Data:\n        Version: 3 (0x2)\n{pem}\nsome trailing notes\n");
    let mut inputs = inputs(&["root+server_ca.crt"]);
    inputs.push_detected("dumped.pem", with_dump.into_bytes());
    let der = pgtls_audit::cert::read_certificates(pem.as_bytes())[0].der.clone();
    inputs.push_detected("server.der", der);
    let mut options = AuditOptions::new(NOW);
    options.host = Some("2001:db8::1".into());
    let a = audit(&inputs, &options);
    assert!(a.diagnostics.iter().all(|d| d.rule.id != "CERT015" && d.rule.id != "CERT004" && d.rule.id != "CERT008"), "{:?}", a.diagnostics);
    assert_eq!(a.model.certs.certs.len(), 4);
    assert_eq!(a.model.certs.server_key_kind(), Some(pgtls_audit::cert::ServerKeyKind::Rsa));
}
