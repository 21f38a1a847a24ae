//! Differential test of how settings are merged, against the real libpq: the same keyword is set
//! (or not) in the string, in a pg_service.conf section and in the environment, and libpq's
//! `PQconninfo` on a started connection (python3 + ctypes) must report the same effective
//! values as our client model at that libpq's major version (15 on the reference machine).
//!
//! Needs python3 and libpq.so.5 (Debian: `python3`, `libpq5`); without them the test says so
//! loudly and passes.

use std::io::{BufRead, BufReader, Write};
use std::process::{Command, Stdio};

use pgtls_audit::{AuditOptions, InputKind, Inputs, Model, SourceFile};

/// The keywords compared, each with the values tried and its environment variable.
const KEYWORDS: &[(&str, &str, &[&str])] = &[
    ("host", "PGHOST", &["db.example.com", "a.example.com,b.example.com", "replica"]),
    ("sslmode", "PGSSLMODE", &["disable", "prefer", "require", "verify-ca", "verify-full"]),
    ("sslrootcert", "PGSSLROOTCERT", &["/etc/ca.crt", "system", "root.crt"]),
    ("sslcert", "PGSSLCERT", &["/c.crt"]),
    ("sslcrl", "PGSSLCRL", &["/r.crl"]),
    ("channel_binding", "PGCHANNELBINDING", &["require", "disable"]),
];

struct Case {
    conninfo: String,
    env: Vec<(String, String)>,
    service_file: String,
}

fn cases() -> Vec<Case> {
    let mut r = fastrand::Rng::with_seed(0x2545_f491_4f6c_dd1d);
    let mut out = Vec::new();
    for _ in 0..600 {
        let mut conninfo = String::from("hostaddr=127.0.0.1 port=1 connect_timeout=1 gssencmode=disable");
        let mut env = Vec::new();
        let mut sections = [String::from("[other]\nsslmode=disable\n"), String::from("[svc]\n")];
        for (kw, var, values) in KEYWORDS {
            if r.u64(..3) == 0 {
                conninfo.push_str(&format!(" {kw}={}", pick(&mut r, values)));
            }
            if r.u64(..3) == 0 {
                sections[1].push_str(&format!("{kw}={}\n", pick(&mut r, values)));
                if r.u64(..4) == 0 {
                    // libpq keeps the first value of a keyword in a section.
                    sections[1].push_str(&format!("{kw}={}\n", pick(&mut r, values)));
                }
            }
            if r.u64(..3) == 0 {
                env.push((var.to_string(), pick(&mut r, values).to_string()));
            }
        }
        if r.u64(..8) == 0 {
            conninfo.push_str(&format!(" requiressl={}", pick(&mut r, &["0", "1"])));
        }
        if r.u64(..6) == 0 {
            env.push(("PGREQUIRESSL".into(), pick(&mut r, &["0", "1"]).into()));
        }
        match r.u64(..4) {
            0 => conninfo.push_str(" service=svc"),
            1 => env.push(("PGSERVICE".into(), "svc".into())),
            2 => env.push(("PGSERVICE".into(), "other".into())),
            _ => {}
        }
        if r.u64(..2) == 0 {
            sections.reverse();
        }
        out.push(Case { conninfo, env, service_file: sections.join("\n") });
    }
    out
}

fn json_string(s: &str) -> String {
    serde_json::to_string(s).unwrap()
}

#[test]
fn merging_agrees_with_libpq() {
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/conn/pq_effective_options.py");
    let child = Command::new("python3").arg(script).stdin(Stdio::piped()).stdout(Stdio::piped()).stderr(Stdio::piped()).spawn();
    let mut child = match child {
        Ok(c) => c,
        Err(e) => {
            eprintln!("\n*** SKIPPED: libpq merge differential test needs python3 ({e}); install python3 and libpq5 ***\n");
            return;
        }
    };
    let cases = cases();
    let mut stdin = child.stdin.take().unwrap();
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let Some(Ok(header)) = lines.next() else {
        let out = child.wait_with_output().unwrap();
        eprintln!("\n*** SKIPPED: could not load libpq.so.5 (install libpq5): {} ***\n", String::from_utf8_lossy(&out.stderr));
        return;
    };
    // Compare at the major version of the libpq that was loaded (15 on the reference machine).
    let lib_version = serde_json::from_str::<serde_json::Value>(&header).unwrap()["version"].as_u64().unwrap();
    let major = (lib_version / 10000) as u32;
    assert!(major >= 12, "libpq {lib_version} is older than any version the engine knows");
    let mut agree = 0;
    let mut failures = Vec::new();
    for case in &cases {
        let env: Vec<String> = case.env.iter().map(|(k, v)| format!("{}: {}", json_string(k), json_string(v))).collect();
        writeln!(
            stdin,
            "{{\"conninfo\": {}, \"env\": {{{}}}, \"service_file\": {}}}",
            json_string(&case.conninfo),
            env.join(", "),
            json_string(&case.service_file)
        )
        .unwrap();
        stdin.flush().unwrap();
        let answer: serde_json::Value = serde_json::from_str(&lines.next().unwrap().unwrap()).unwrap();

        let mut inputs = Inputs::new();
        inputs.push(SourceFile::from_text("conn", InputKind::Conninfo, case.conninfo.clone()));
        inputs.push(SourceFile::from_text("pg_service.conf", InputKind::ServiceFile, case.service_file.clone()));
        let block: String = case.env.iter().map(|(k, v)| format!("{k}={v}\n")).collect();
        inputs.push(SourceFile::from_text(".env", InputKind::Environment, block));
        let mut options = AuditOptions::new(0);
        options.pg_version = major;
        let model = Model::build(&inputs, &options);
        let client = model.clients.clients.iter().find(|c| c.string.is_some()).expect("the string is a client");
        let mut mismatches = Vec::new();
        for (kw, _, _) in KEYWORDS {
            let theirs = answer.get(*kw).and_then(|v| v.as_str());
            let ours = client.value(kw);
            // libpq fills in compiled defaults; ours carries only sslmode's (channel_binding's
            // "prefer" default is not a setting anyone made).
            let theirs = if *kw == "channel_binding" && ours.is_none() && theirs == Some("prefer") { None } else { theirs };
            if theirs != ours {
                mismatches.push(format!("{kw}: libpq {theirs:?}, ours {ours:?}"));
            }
        }
        if mismatches.is_empty() {
            agree += 1;
        } else if failures.len() < 10 {
            failures.push(format!("{}\n  env {:?}\n  service file {:?}\n  {}", case.conninfo, case.env, case.service_file, mismatches.join("; ")));
        }
    }
    drop(stdin);
    child.wait().unwrap();
    println!("libpq {major} merge differential (string > service file > environment > default): {agree}/{} cases agree", cases.len());
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// One of `items`, drawn from `rng`.
fn pick<'a>(rng: &mut fastrand::Rng, items: &[&'a str]) -> &'a str {
    items[rng.usize(..items.len())]
}
