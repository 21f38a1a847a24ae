//! `pgtls link` as a documentation author or a CI job runs it. The link is read back by
//! Python's `base64`, `zlib` and `urllib` (an independent reader of docs/url-format.md), and the
//! inputs it carries must audit exactly as `pgtls audit` audits the files.

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use pgtls_audit::{AuditOptions, ColumnUnit, Inputs, SourceFile};
use serde_json::Value;

const NOW: &str = "2026-06-01T00:00:00Z";

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn pgtls(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_pgtls")).args(args).current_dir(dir).output().unwrap()
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// A server's files as an operator has them: the strong example's configuration, the
/// certificates its script makes (real ones, by openssl), a packaged postgresql.conf.sample
/// (long and commented, so the link is compressed), and a PEM holding a certificate and its key.
fn server_files() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let etc = dir.path().join("etc");
    std::fs::create_dir_all(etc.join("conf.d")).unwrap();
    for name in ["postgresql.conf", "pg_hba.conf", "clients.txt", "make-certs.sh"] {
        std::fs::copy(repo().join("examples/strong").join(name), etc.join(name)).unwrap();
    }
    let sample = repo().join("crates/pgtls-audit/tests/fixtures/corpus/postgresql.conf.sample");
    std::fs::copy(sample, etc.join("conf.d/sample.conf")).unwrap();
    let made = Command::new("sh").arg(etc.join("make-certs.sh")).stdout(Stdio::null()).output().unwrap();
    assert!(made.status.success(), "make-certs.sh: {}", text(&made.stderr));
    let with_key = [std::fs::read_to_string(etc.join("server.crt")).unwrap(), std::fs::read_to_string(etc.join("server.key")).unwrap()].concat();
    std::fs::write(etc.join("server-and-key.pem"), with_key).unwrap();
    // The same pair as a Kubernetes TLS Secret, the key in base64 where no PEM search finds it.
    let b64 = |name: &str| {
        let out = Command::new("base64").args(["-w0", name]).current_dir(&etc).output().unwrap();
        String::from_utf8(out.stdout).unwrap()
    };
    let secret = format!(
        "apiVersion: v1\nkind: Secret\nmetadata:\n  name: pg-tls\ntype: kubernetes.io/tls\ndata:\n  tls.crt: {}\n  tls.key: {}\n",
        b64("server.crt"),
        b64("server.key")
    );
    std::fs::write(etc.join("secret.yaml"), secret).unwrap();
    let der = Command::new("openssl")
        .args(["x509", "-in", "root.crt", "-outform", "der", "-out", "root.der"])
        .current_dir(&etc)
        .output()
        .unwrap();
    assert!(der.status.success(), "openssl x509: {}", text(&der.stderr));
    dir
}

/// What Python reads from a link: each input's key, name and text, and the other pairs.
#[derive(Debug, serde::Deserialize)]
struct Decoded {
    inputs: Vec<(String, Option<String>, String)>,
    settings: Vec<(String, String)>,
    compressed: bool,
}

/// Reads a link with Python's standard library only, the way docs/url-format.md describes it.
fn python_decode(link: &str) -> Decoded {
    const SCRIPT: &str = r##"
import base64, json, sys, urllib.parse, zlib
INPUT_KEYS = {"conf", "auto", "hba", "ident", "conn", "env", "service", "pgbouncer", "pem", "der", "error", "platform", "live", "text"}
link = sys.stdin.read().strip()
fragment = link.split("#", 1)[1]
out = {"inputs": [], "settings": [], "compressed": False}
def b64(v):
    return base64.urlsafe_b64decode(v + "=" * (-len(v) % 4))
def read(pairs, compressed):
    for pair in pairs.split("&"):
        if not pair:
            continue
        key, _, value = pair.partition("=")
        if key == "z" and not compressed:
            out["compressed"] = True
            read(zlib.decompressobj(-15).decompress(b64(value)).decode("utf-8"), True)
        elif key in INPUT_KEYS:
            sep = ":" if compressed else "~"
            name, found, payload = value.partition(sep)
            if not found:
                name, payload = None, value
            else:
                name = urllib.parse.unquote(name)
            data = urllib.parse.unquote_to_bytes(payload) if compressed else b64(payload)
            out["inputs"].append([key, name, data.decode("utf-8")])
        else:
            out["settings"].append([key, urllib.parse.unquote(value)])
read(fragment, False)
json.dump(out, sys.stdout)
"##;
    let mut child = Command::new("python3")
        .args(["-c", SCRIPT])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("python3");
    use std::io::Write;
    child.stdin.take().unwrap().write_all(link.as_bytes()).unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success(), "python could not read the link: {}", text(&out.stderr));
    serde_json::from_slice(&out.stdout).unwrap()
}

/// The score, the checklist and each finding (rule, file's base name, line) of a JSON report.
fn outcome(report: &Value) -> (u64, Vec<String>, Vec<(String, String, u64)>) {
    let statuses = report["checklist"].as_array().unwrap().iter().map(|i| i["status"].as_str().unwrap().to_string()).collect();
    let mut findings: Vec<_> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            let file = f["file"].as_str().unwrap_or("");
            let base = file.rsplit('/').next().unwrap().to_string();
            (f["rule"].as_str().unwrap().to_string(), base, f["line"].as_u64().unwrap_or(0))
        })
        .collect();
    findings.sort();
    (report["score"].as_u64().unwrap(), statuses, findings)
}

#[test]
fn a_link_carries_the_files_and_audits_as_the_files_do() {
    let dir = server_files();
    let files = ["etc/postgresql.conf", "etc/pg_hba.conf", "etc/clients.txt", "etc/server.crt", "etc/root.crt", "etc/conf.d/sample.conf"];
    let mut args = vec!["link", "--host", "db.example.com", "--pg-version", "17", "--base", "https://docs.example.com/pgtls/"];
    args.extend(files);
    let out = pgtls(dir.path(), &args);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert_eq!(text(&out.stderr), "", "nothing was left out");
    let link = text(&out.stdout);
    assert!(link.starts_with("https://docs.example.com/pgtls/#z=") && link.ends_with('\n'), "{link:.80}");

    let decoded = python_decode(&link);
    assert!(decoded.compressed);
    let expected: Vec<(String, Option<String>, String)> = [
        ("conf", None),
        ("hba", None),
        ("conn", Some("clients.txt")),
        ("pem", Some("server.crt")),
        ("pem", Some("root.crt")),
        ("conf", Some("sample.conf")),
    ]
    .iter()
    .zip(files)
    .map(|((key, name), file)| (key.to_string(), name.map(str::to_string), std::fs::read_to_string(dir.path().join(file)).unwrap()))
    .collect();
    assert_eq!(decoded.inputs, expected);
    assert_eq!(decoded.settings, [("host".to_string(), "db.example.com".to_string()), ("pg".to_string(), "17".to_string())]);

    // The inputs the link carries, audited here, against `pgtls audit` on the files.
    let mut inputs = Inputs::new();
    for (key, name, text) in &decoded.inputs {
        let kind = pgtls_audit::link::kind_of(key).unwrap();
        let name = name.clone().unwrap_or_else(|| pgtls_audit::link::default_name(kind).to_string());
        inputs.push(SourceFile::from_text(name, kind, text.clone()));
    }
    let mut options = AuditOptions::new(time::OffsetDateTime::parse(NOW, &time::format_description::well_known::Rfc3339).unwrap().unix_timestamp());
    options.pg_version = 17;
    options.host = Some("db.example.com".to_string());
    let from_link = pgtls_audit::audit(&inputs, &options).report(&inputs, ColumnUnit::Utf8);
    let from_link: Value = serde_json::to_value(&from_link).unwrap();
    let mut audit_args = vec!["audit", "--format", "json", "--now", NOW, "--host", "db.example.com", "--pg-version", "17"];
    audit_args.extend(files);
    let audited = pgtls(dir.path(), &audit_args);
    let from_files: Value = serde_json::from_slice(&audited.stdout).expect("a JSON report");
    let (score, statuses, findings) = outcome(&from_files);
    assert!(findings.iter().any(|(rule, ..)| rule.starts_with("CERT")), "the certificates take part: {findings:?}");
    assert_eq!(outcome(&from_link), (score, statuses, findings));
}

#[test]
fn keys_binary_inputs_and_clashing_names_are_left_out_and_said() {
    let dir = server_files();
    let out = Command::new(env!("CARGO_BIN_EXE_pgtls"))
        .args(["link", "etc/server-and-key.pem", "etc/root.der", "etc/server.key", "etc/secret.yaml", "etc/pg_hba.conf", "--kind", "pg-hba:-", "--embed"])
        .args(["--conn", "host=db.example.com sslmode=verify-full", "--conn", "postgresql://db.example.com/app?sslmode=require"])
        .current_dir(dir.path())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .and_then(|mut child| {
            use std::io::Write;
            child.stdin.take().unwrap().write_all(b"hostssl all all 0.0.0.0/0 scram-sha-256\n")?;
            child.wait_with_output()
        })
        .unwrap();
    let (link, said) = (text(&out.stdout), text(&out.stderr));
    assert_eq!(out.status.code(), Some(0), "{said}");
    assert!(said.contains("left out 3 private key(s)"), "{said}");
    assert!(said.contains("left out etc/root.der: binary (DER) inputs are never put in a link"), "{said}");
    assert!(link.trim_end().ends_with("&embed=1"), "{link}");
    let decoded = python_decode(&link);
    // Read back, not searched in the link: a compressed link would hide a key from a search,
    // and the Secret's values are searched decoded.
    for (key, name, text) in &decoded.inputs {
        let kind = pgtls_audit::link::kind_of(key).unwrap();
        assert_eq!(pgtls_audit::link::without_private_keys(kind, text).1, 0, "{name:?} holds a key:\n{text}");
    }
    let secret = &decoded.inputs[1].2;
    assert!(secret.contains("  tls.key: \n") && secret.contains("  tls.crt: LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0t"), "{secret}");
    let inputs: Vec<(&str, Option<&str>)> = decoded.inputs.iter().map(|(k, n, _)| (k.as_str(), n.as_deref())).collect();
    // The key-only file is gone; standard input goes by its kind's default name, the --conn
    // strings as one connections.txt.
    assert_eq!(inputs, [("pem", Some("server-and-key.pem")), ("platform", Some("secret.yaml")), ("hba", None), ("hba", None), ("conn", None)]);
    assert!(said.contains("-") && said.contains("same file name as an earlier input"), "{said}");
    assert!(decoded.inputs[0].2.starts_with("-----BEGIN CERTIFICATE-----") && !decoded.inputs[0].2.contains("KEY"));
    assert_eq!(decoded.inputs[4].2, "host=db.example.com sslmode=verify-full\npostgresql://db.example.com/app?sslmode=require\n");
    assert_eq!(decoded.settings, [("embed".to_string(), "1".to_string())]);
}

#[test]
fn plain_form_on_request_and_too_large_inputs_refused() {
    let dir = server_files();
    let plain = pgtls(dir.path(), &["link", "--plain", "etc/conf.d/sample.conf"]);
    assert_eq!(plain.status.code(), Some(0), "{}", text(&plain.stderr));
    let link = text(&plain.stdout);
    assert!(link.starts_with("#conf=sample.conf~"), "{link:.60}");
    let decoded = python_decode(&format!("x{link}"));
    assert!(!decoded.compressed);
    assert_eq!(decoded.inputs[0].2, std::fs::read_to_string(dir.path().join("etc/conf.d/sample.conf")).unwrap());

    // A plain fragment of exactly 256 KiB fits; with `&embed=1` after it, it does not.
    let edge = dir.path().join("edge");
    std::fs::create_dir_all(&edge).unwrap();
    std::fs::write(edge.join("postgresql.conf"), "#".repeat(196_604)).unwrap();
    let fits = pgtls(&edge, &["link", "--plain", "postgresql.conf"]);
    assert_eq!((fits.status.code(), text(&fits.stdout).trim_end().len()), (Some(0), 1 + 256 * 1024), "{}", text(&fits.stderr));
    let embedded = pgtls(&edge, &["link", "--plain", "--embed", "postgresql.conf"]);
    assert_eq!(embedded.status.code(), Some(2), "{}", text(&embedded.stdout).len());

    // 600 KiB of hex: over a link's 256 KiB as plain text, and still over it compressed.
    let mut rng = fastrand::Rng::with_seed(7);
    let big: String = (0..600 * 1024 / 19).map(|_| format!("# {:016x}\n", rng.u64(..))).collect();
    std::fs::write(dir.path().join("big.conf"), big).unwrap();
    let out = pgtls(dir.path(), &["link", "big.conf"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("too large for a link: their plain form is 800 KiB, and a link holds at most 256 KiB even compressed"), "{}", text(&out.stderr));
    assert_eq!(text(&out.stdout), "");
}

#[test]
fn usage_errors_exit_2_with_a_message() {
    let dir = server_files();
    let cases: [(&[&str], &str); 5] = [
        (&["link"], "name the files to link"),
        (&["link", "etc/pg_hba.conf", "--base", "https://x.example/#old"], "already has a fragment"),
        (&["link", "etc/pg_hba.conf", "--pg-version", "9"], "--pg-version 9 is not known"),
        (&["link", "etc/server.key"], "nothing is left to put in the link"),
        (&["link", "etc/nonesuch.conf"], "cannot read etc/nonesuch.conf"),
    ];
    for (args, message) in cases {
        let out = pgtls(dir.path(), args);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        assert!(text(&out.stderr).contains(message), "{args:?}: {}", text(&out.stderr));
        assert_eq!(text(&out.stdout), "", "{args:?}");
    }
}
