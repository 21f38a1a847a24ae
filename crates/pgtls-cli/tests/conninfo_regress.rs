//! `pgtls conninfo --regress` against libpq's uri-regress expectations, through the binary,
//! and the explanation of one string.

use assert_cmd::Command;

const FIXTURES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../pgtls-audit/tests/fixtures/conn/libpq-uri");

#[test]
fn regress_lines_match_expected_out() {
    let regress = std::fs::read_to_string(format!("{FIXTURES}/regress.in")).unwrap();
    let expected = std::fs::read_to_string(format!("{FIXTURES}/expected.out")).unwrap();
    let mut blocks = expected.split("trying ").filter(|b| !b.trim().is_empty());
    let mut passed = 0;
    for uri in regress.lines() {
        let want = blocks.next().unwrap().lines().nth(1).unwrap_or("").trim_end().to_string();
        let out = Command::cargo_bin("pgtls")
            .unwrap()
            .env_clear()
            .args(["conninfo", "--regress", "--pg-version", "14", "--", uri])
            .output()
            .unwrap();
        let got = if out.status.success() {
            String::from_utf8_lossy(&out.stdout).trim_end().to_string()
        } else {
            assert_eq!(out.status.code(), Some(1));
            String::from_utf8_lossy(&out.stderr).trim_end().to_string()
        };
        assert_eq!(got, want, "{uri}");
        passed += 1;
    }
    println!("pgtls conninfo --regress: {passed}/{} uri-regress vectors", regress.lines().count());
}

#[test]
fn explains_where_values_come_from() {
    let dir = tempfile::tempdir().unwrap();
    let env = dir.path().join(".env");
    std::fs::write(&env, "PGSSLMODE=verify-full\nPGSSLROOTCERT=/etc/ssl/pg-root.crt\n").unwrap();
    let out = Command::cargo_bin("pgtls")
        .unwrap()
        .args(["conninfo", "host=db.example.com dbname=app", "--env"])
        .arg(&env)
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{text}");
    assert!(text.contains("effective sslmode: verify-full (environment PGSSLMODE)"), "{text}");
    assert!(text.contains("verifies the host name: yes"), "{text}");
    let host_row = text.lines().find(|l| l.trim_start().starts_with("host ")).unwrap();
    assert!(host_row.contains("db.example.com") && host_row.trim_end().ends_with("string"), "{text}");
    let root_row = text.lines().find(|l| l.trim_start().starts_with("sslrootcert ")).unwrap();
    assert!(root_row.trim_end().ends_with("environment PGSSLROOTCERT"), "{text}");

    let out = Command::cargo_bin("pgtls")
        .unwrap()
        .args(["conninfo", "--format", "json", "Host=db;SSL Mode=Require;Trust Server Certificate=true"])
        .output()
        .unwrap();
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["clients"][0]["driver"], "Npgsql");
    let rules: Vec<&str> = json["findings"].as_array().unwrap().iter().map(|f| f["rule"].as_str().unwrap()).collect();
    assert!(rules.contains(&"CONN009"), "{rules:?}");
}

#[test]
fn unparseable_strings_exit_1_with_a_located_message() {
    let out = Command::cargo_bin("pgtls").unwrap().args(["conninfo", "host='db"]).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("conninfo:1:6: error CONN014: unterminated quoted string in connection info string"), "{text}");
}
