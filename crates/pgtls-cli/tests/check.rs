//! `pgtls check` against a real PostgreSQL and against nothing.

#[path = "../../pgtls-probe/tests/common/mod.rs"]
mod common;

use assert_cmd::Command;

fn pgtls() -> Command {
    Command::cargo_bin("pgtls").unwrap()
}

#[test]
fn json_text_and_openmetrics_of_a_real_server() {
    let pg = common::ssl_server(&["ssl = on"], "hostnossl all all 127.0.0.1/32 reject\nhostssl all all 127.0.0.1/32 trust\n");
    let target = format!("127.0.0.1:{}", pg.port());

    let out = pgtls().args(["check", &target, "--format", "json"]).output().unwrap();
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON report");
    let live = &report["live"];
    assert_eq!(live["ssl_request"], "accepted");
    assert_eq!(live["plaintext"], "rejected");
    assert_eq!(live["protocols"]["TLSv1.3"], true);
    assert_eq!(live["tls"]["version"], "TLSv1.3");
    assert!(live["certificates"][0].as_str().unwrap().starts_with("-----BEGIN CERTIFICATE-----"));
    assert!(live["timings_ms"]["total"].as_u64().is_some());
    assert!(report["score"].as_u64().is_some() && report["checklist"].is_array());
    let rules: Vec<&str> = report["findings"].as_array().unwrap().iter().map(|f| f["rule"].as_str().unwrap()).collect();
    assert!(rules.contains(&"LIVE005") && rules.contains(&"LIVE007"), "{rules:?}");
    // Without the root clients trust, the presented chain cannot be verified: an error that
    // says which file to add.
    let errors: Vec<&serde_json::Value> =
        report["findings"].as_array().unwrap().iter().filter(|f| f["severity"] == "error").collect();
    assert!(
        errors.len() == 1 && errors[0]["rule"] == "CERT008" && errors[0]["message"].as_str().unwrap().contains("sslrootcert"),
        "{errors:#?}"
    );
    assert_eq!(out.status.code(), Some(1));
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("root.crt");
    std::fs::write(&root, &common::certs().ca_crt).unwrap();
    let root = root.to_str().unwrap();
    let out = pgtls().args(["check", &target, "--root", root, "--host", "localhost", "--format", "json"]).output().unwrap();
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON report");
    assert_eq!(report["checklist"][1]["status"], "pass", "the chain verifies to the given root: {}", report["checklist"][1]);
    let item3 = &report["checklist"][2];
    assert_eq!(item3["status"], "pass", "plaintext rejected is evidence for item 3: {item3}");
    // Warnings and infos only: exit 0 at the default fail level, 1 at warning.
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    let strict = pgtls().args(["check", &target, "--root", root, "--fail-on", "warning", "--format", "json"]).output().unwrap();
    assert_eq!(strict.status.code(), Some(1));

    let text = pgtls().args(["check", &target, "--color", "never"]).output().unwrap();
    let text = String::from_utf8_lossy(&text.stdout);
    assert!(text.contains("SSLRequest:   accepted") && text.contains("LIVE005"), "{text}");

    let metrics = pgtls().args(["check", &target, "--format", "openmetrics"]).output().unwrap();
    let metrics = String::from_utf8_lossy(&metrics.stdout);
    let expiry = metrics.lines().find(|l| l.starts_with("pgtls_certificate_expiry_days{")).expect("an expiry line");
    let days: f64 = expiry.rsplit(' ').next().unwrap().parse().unwrap();
    assert!((59.0..=60.01).contains(&days), "the test certificate is valid for 60 days: {expiry}");
    assert!(expiry.contains("subject=\"CN=localhost\""), "{expiry}");
    assert!(metrics.contains(&format!("pgtls_protocol_supported{{target=\"{target}\",version=\"TLSv1.1\"}} 0")), "{metrics}");
    assert!(metrics.contains(&format!("pgtls_plaintext_accepted{{target=\"{target}\"}} 0")), "{metrics}");
    assert!(metrics.ends_with("# EOF\n"));
    // The alert rules of `pgtls monitoring` rely on these names.
    for name in pgtls_audit::generate::monitoring::METRICS {
        assert!(metrics.contains(&format!("\n{name}{{")), "pgtls monitoring's rules use {name}, which check does not write");
    }
}

#[test]
fn unreachable_server_exits_1_and_bad_usage_exits_2() {
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let out = pgtls().args(["check", &format!("127.0.0.1:{port}"), "--format", "json"]).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(report["findings"][0]["rule"], "LIVE008");
    assert_eq!(report["live"]["failures"][0]["step"], "connect");

    let bad = pgtls().args(["check", "db:notaport"]).output().unwrap();
    assert_eq!(bad.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&bad.stderr).contains("bad port"));
    let missing = pgtls().args(["check", "127.0.0.1", "--root", "/nonexistent/ca.crt"]).output().unwrap();
    assert_eq!(missing.status.code(), Some(2));
}
