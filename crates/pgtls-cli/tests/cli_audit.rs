//! `pgtls audit` as a user runs it: exit codes, formats, and clear errors for bad input.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn pgtls(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_pgtls")).args(args).current_dir(repo()).output().unwrap()
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

const WEAK: [&str; 3] = ["examples/weak/postgresql.conf", "examples/weak/pg_hba.conf", "examples/weak/clients.txt"];
const STRONG: [&str; 3] = ["examples/strong/postgresql.conf", "examples/strong/pg_hba.conf", "examples/strong/clients.txt"];
const NOW: &str = "2026-06-01T00:00:00Z";

fn audit(files: &[&str], extra: &[&str]) -> Output {
    let mut args = vec!["audit", "--now", NOW, "--color", "never"];
    args.extend_from_slice(files);
    args.extend_from_slice(extra);
    pgtls(&args)
}

#[test]
fn weak_set_fails_with_fixes_and_strong_set_passes() {
    let weak = audit(&WEAK, &[]);
    assert_eq!(weak.status.code(), Some(1), "{}", stdout(&weak));
    let text = stdout(&weak);
    for expected in ["error[CONF002]", "error[HBA001]", "fix:", "Score: "] {
        assert!(text.contains(expected), "missing {expected:?} in:\n{text}");
    }
    // The caret sits under the offending value.
    assert!(text.contains("ssl_min_protocol_version = 'TLSv1'"), "{text}");

    let strong = audit(&STRONG, &[]);
    assert_eq!(strong.status.code(), Some(0), "{}", stdout(&strong));
    assert!(stdout(&strong).contains("Score: 100/100 (grade A)"), "{}", stdout(&strong));
}

#[test]
fn fail_on_sets_the_threshold() {
    assert_eq!(audit(&WEAK, &["--fail-on", "never"]).status.code(), Some(0));
    assert_eq!(audit(&WEAK, &["--fail-on", "info"]).status.code(), Some(1));
    assert_eq!(audit(&STRONG, &["--fail-on", "info"]).status.code(), Some(0));
}

#[test]
fn json_follows_the_documented_shape() {
    let out = audit(&WEAK, &["--format", "json"]);
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON report");
    assert_eq!(report["format_version"], 1);
    assert!(report["score"].as_u64().unwrap() <= 100);
    assert_eq!(report["checklist"].as_array().unwrap().len(), 6);
    let f = &report["findings"][0];
    for key in ["rule", "severity", "title", "message", "file", "line", "column", "end_line", "end_column", "help", "docs"] {
        assert!(!f[key].is_null(), "finding lacks {key}: {f}");
    }
    assert_eq!(report["inputs"].as_array().unwrap().len(), 3);
    assert!(report["exposure"].is_object());
}

#[test]
fn sarif_and_markdown() {
    let sarif: serde_json::Value = serde_json::from_slice(&audit(&WEAK, &["--format", "sarif"]).stdout).unwrap();
    assert_eq!(sarif["version"], "2.1.0");
    let results = sarif["runs"][0]["results"].as_array().unwrap();
    assert!(!results.is_empty());
    assert!(results.iter().all(|r| r["locations"][0]["physicalLocation"]["region"]["startLine"].as_u64() >= Some(1)));
    let md = stdout(&audit(&WEAK, &["--format", "markdown"]));
    assert!(md.starts_with("# pgtls report"));
    assert!(md.contains("| 3 | pg_hba.conf requires SSL"));
}

#[test]
fn kind_override_conn_and_stdin() {
    let dir = tempfile::tempdir().unwrap();
    let hba = dir.path().join("rules.txt");
    std::fs::write(&hba, "host all all 0.0.0.0/0 trust\n").unwrap();
    let kind = format!("pg-hba:{}", hba.display());
    let out = pgtls(&["audit", "--now", NOW, "--kind", &kind, "--format", "json"]);
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(report["inputs"][0]["kind"], "pg-hba");
    assert!(report["findings"].as_array().unwrap().iter().any(|f| f["rule"] == "HBA003"));

    let out = pgtls(&["audit", "--now", NOW, "--conn", "host=db sslmode=verify-full sslrootcert=root.crt", "--format", "json"]);
    assert!(out.status.code().is_some_and(|c| c <= 1));
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(report["inputs"][0]["file"], "--conn #1");

    let mut child = Command::new(env!("CARGO_BIN_EXE_pgtls"))
        .args(["audit", "--now", NOW, "--kind", "conf:-", "--format", "json"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    use std::io::Write;
    child.stdin.take().unwrap().write_all(b"ssl = off\n").unwrap();
    let out = child.wait_with_output().unwrap();
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(report["findings"].as_array().unwrap().iter().any(|f| f["rule"] == "CONF001"));
}

#[test]
fn usage_and_unreadable_input_exit_2_with_a_message() {
    for (args, needle) in [
        (vec!["audit"], "nothing to audit"),
        (vec!["audit", "no/such/file.conf"], "cannot read no/such/file.conf"),
        (vec!["audit", "examples"], "is a directory"),
        (vec!["audit", "--now", "yesterday", "examples/weak/pg_hba.conf"], "RFC 3339"),
        (vec!["audit", "--pg-version", "9", "examples/weak/pg_hba.conf"], "--pg-version 9"),
        (vec!["audit", "--kind", "nonsense:x", "examples/weak/pg_hba.conf"], "known kinds"),
    ] {
        let out = pgtls(&args);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains(needle), "{args:?}: {err}");
    }
}

#[test]
fn generate_names_the_option_of_every_bad_value() {
    let out = std::env::temp_dir().join(format!("pgtls-generate-errors-{}", std::process::id()));
    let o = pgtls(&[
        "generate", "--host", "bad host", "--ip", "300.1.1.1", "--ip", "10.0.0.1", "--user", "a b", "--out",
        out.to_str().unwrap(),
    ]);
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(2), "{stderr}");
    let lines: Vec<&str> = stderr.lines().collect();
    assert_eq!(lines.len(), 3, "{stderr}");
    assert!(lines[0].starts_with("pgtls generate: --host \"bad host\": is not a DNS name"), "{stderr}");
    assert_eq!(lines[1], "pgtls generate: --ip \"300.1.1.1\": is not an IPv4 or IPv6 address");
    assert!(lines[2].starts_with("pgtls generate: --user \"a b\": must be letters"), "{stderr}");
    assert!(!out.exists(), "nothing is written when the request is wrong");

    let o = pgtls(&["generate", "--out", out.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("pgtls generate: --host or --ip: name at least one"));
    assert!(!out.exists());
}

#[test]
fn fix_writes_the_safe_fixes() {
    let dir = tempfile::tempdir().unwrap();
    let conf = dir.path().join("postgresql.conf");
    std::fs::copy(repo().join("examples/weak/postgresql.conf"), &conf).unwrap();
    let c = conf.to_str().unwrap();
    let out = pgtls(&["fix", "--now", NOW, c]);
    assert_eq!(out.status.code(), Some(0));
    assert!(stdout(&out).contains("+ssl_min_protocol_version = 'TLSv1.2'"), "{}", stdout(&out));
    assert_eq!(std::fs::read_to_string(&conf).unwrap(), std::fs::read_to_string(repo().join("examples/weak/postgresql.conf")).unwrap());
    assert_eq!(pgtls(&["fix", "--now", NOW, "--write", c]).status.code(), Some(0));
    let after = audit(&[c], &["--fail-on", "warning", "--format", "json"]);
    let report: serde_json::Value = serde_json::from_slice(&after.stdout).unwrap();
    assert!(!report["findings"].as_array().unwrap().iter().any(|f| f["rule"] == "CONF002"), "{report}");
}

#[test]
fn calendar_of_the_test_suite_certificates() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("rotation.ics");
    let status = pgtls(&[
        "calendar",
        "--now",
        NOW,
        "--out",
        out.to_str().unwrap(),
        "crates/pgtls-audit/tests/fixtures/cert/pg-ssl/server-cn-only.crt",
        "crates/pgtls-audit/tests/fixtures/cert/pg-ssl/server-cn-only.crt",
        "crates/pgtls-audit/tests/fixtures/cert/pg-ssl/root_ca.crt",
    ]);
    assert_eq!(status.status.code(), Some(0), "{}", String::from_utf8_lossy(&status.stderr));
    let ics = std::fs::read_to_string(&out).unwrap();
    // Two distinct certificates (one given twice), two events each.
    assert_eq!(ics.matches("BEGIN:VEVENT").count(), 4, "{ics}");
    assert!(ics.contains("DTSTAMP:20260601T000000Z"));
    let none = pgtls(&["calendar", "examples/weak/pg_hba.conf"]);
    assert_eq!(none.status.code(), Some(2));
}
