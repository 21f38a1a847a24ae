//! Differential test against the real libpq (15 on the reference machine): thousands of generated connection strings
//! (quoting, escapes, percent-escapes, `%00`, IPv6 brackets, host lists, unknown keywords,
//! missing `=`, unterminated quotes, long strings) go through libpq's `PQconninfoParse` (via
//! python3 + ctypes and libpq.so.5) and through our parser at that libpq's version; accept/reject, the
//! message and every keyword's value must agree.
//!
//! Needs python3 and libpq.so.5 (Debian: `python3`, `libpq5`). Without them the test says so
//! loudly and passes, so that machines without libpq can still run the rest of the suite.

use std::io::{BufRead, BufReader, Write};
use std::process::{Command, Stdio};

use pgtls_audit::conn::libpq::{options, parse};

const KEYS: &[&str] = &[
    "host", "hostaddr", "port", "dbname", "user", "password", "sslmode", "sslrootcert", "sslcert",
    "sslkey", "sslcrl", "sslcrldir", "sslsni", "channel_binding", "gssencmode", "requiressl",
    "ssl", "sslnegotiation", "sslcertmode", "require_auth", "service", "application_name",
    "ssl_min_protocol_version", "ssl_max_protocol_version", "options", "hots", "SSLMODE", "",
];
const VALUES: &[&str] = &[
    "a", "db.example.com", "verify-full", "require", "1", "0", "true", "/tmp", "::1", "a b",
    "it's", "x\\y", "", "é", "5432", "h1,h2", "%41", "%zz", "%00", "%", "%4", "a%20b", "+",
    "[::1]", "=", "&", "?", "@", "/", ",", ":",
];
const PIECES: &[&str] = &[
    "postgresql://", "postgres://", "postgre://", "host", "=", " ", "  ", "\t", "'", "\\", "\\'",
    "a", "b", "%", "%2", "%2F", "%41", "%00", "%zz", "%e9", "[", "]", "::1", ":", "/", "?", "&",
    ",", "@", "5432", "sslmode", "ssl", "true", "requiressl", "dbname", "user", "x y", "\n", "é",
    "\0",
];

fn kv_string(r: &mut fastrand::Rng) -> String {
    let mut s = String::new();
    for _ in 0..1 + r.usize(..5) {
        s.push_str(pick(r, &["", " ", "  ", "\t", "\n"]));
        s.push_str(pick(r, KEYS));
        s.push_str(pick(r, &["=", " = ", "= ", " =", "", " "]));
        let v = pick(r, VALUES);
        match r.usize(..4) {
            0 => s.push_str(&format!("'{}'", v.replace('\\', "\\\\").replace('\'', "\\'"))),
            1 => s.push_str(&format!("'{v}")),
            2 => s.push_str(&v.replace(' ', "\\ ")),
            _ => s.push_str(v),
        }
        s.push_str(pick(r, &[" ", "", "  "]));
    }
    s
}

fn uri_string(r: &mut fastrand::Rng) -> String {
    let mut s = String::from(pick(r, &["postgresql://", "postgres://"]));
    if r.usize(..3) == 0 {
        s.push_str(pick(r, &["u", "u%40x", "", "a b", "%zz"]));
        if r.usize(..2) == 0 {
            s.push(':');
            s.push_str(pick(r, &["secret", "", "p%3Aw", "p@ss"]));
        }
        s.push('@');
    }
    for i in 0..1 + r.usize(..3) {
        if i > 0 {
            s.push(',');
        }
        s.push_str(pick(r, &["host", "", "[::1]", "[2001:db8::1]", "[", "[]", "[::1]x", "%2Ftmp", "h%zz", "10.0.0.1", "a%00b"]));
        if r.usize(..2) == 0 {
            s.push(':');
            s.push_str(pick(r, &["5432", "", "x", "1%32"]));
        }
    }
    if r.usize(..2) == 0 {
        s.push('/');
        s.push_str(pick(r, &["db", "", "d%20b", "a/b", "%"]));
    }
    if r.usize(..2) == 0 {
        s.push('?');
        for i in 0..r.usize(..4) {
            if i > 0 {
                s.push('&');
            }
            s.push_str(pick(r, KEYS));
            s.push_str(pick(r, &["=", "", "==", "=x="]));
            s.push_str(pick(r, VALUES));
        }
    }
    s
}

fn soup(r: &mut fastrand::Rng) -> String {
    (0..1 + r.usize(..12)).map(|_| pick(r, PIECES)).collect()
}

fn generated() -> Vec<String> {
    let mut r = fastrand::Rng::with_seed(0x9e37_79b9_7f4a_7c15);
    let mut all = Vec::new();
    for _ in 0..2500 {
        all.push(kv_string(&mut r));
        all.push(uri_string(&mut r));
        all.push(soup(&mut r));
    }
    // libpq's own vectors too, including master's whitespace ones, which libpq 15 refuses
    // differently from 18.
    for line in include_str!("fixtures/conn/libpq-uri/001_uri_vectors.tsv").lines().skip(1) {
        all.push(line.split('\t').next().unwrap().to_string());
    }
    all.extend(include_str!("fixtures/conn/libpq-uri/regress.in").lines().map(str::to_string));
    all.push(format!("host={}", "a".repeat(65536)));
    all.push(format!("postgresql://{}/db", "h".repeat(65536)));
    all.push(format!("dbname='{}", "x".repeat(65536)));
    all.push(format!("postgresql://h?dbname={}", "%41".repeat(20000)));
    all
}

#[test]
fn agrees_with_libpq_pqconninfoparse() {
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/conn/pq_conninfo_parse.py");
    let child = Command::new("python3")
        .arg(script)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn();
    let mut child = match child {
        Ok(c) => c,
        Err(e) => {
            eprintln!("\n*** SKIPPED: libpq differential test needs python3 ({e}); install python3 and libpq5 ***\n");
            return;
        }
    };
    let inputs = generated();
    let mut stdin = child.stdin.take().unwrap();
    let feed: Vec<String> = inputs.iter().map(|s| hex(s.as_bytes())).collect();
    let writer = std::thread::spawn(move || {
        for line in feed {
            if writeln!(stdin, "{line}").is_err() {
                break;
            }
        }
    });
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let Some(Ok(header)) = lines.next() else {
        let out = child.wait_with_output().unwrap();
        eprintln!(
            "\n*** SKIPPED: libpq differential test could not load libpq.so.5 (install libpq5): {} ***\n",
            String::from_utf8_lossy(&out.stderr)
        );
        return;
    };
    // Compare at the major version of the libpq that was loaded (15 on the reference machine).
    let lib_version = serde_json::from_str::<serde_json::Value>(&header).unwrap()["version"].as_u64().unwrap();
    let major = (lib_version / 10000) as u32;
    assert!(major >= 12, "libpq {lib_version} is older than any version the engine knows");
    let mut agree = 0;
    let mut accepted = 0;
    let mut disagreements = Vec::new();
    for input in &inputs {
        let line = lines.next().expect("one answer per string").unwrap();
        let answer: serde_json::Value = serde_json::from_str(&line).unwrap();
        let ours = match parse(input, major) {
            Ok(params) => serde_json::json!({ "ok": options(&params, major) }),
            Err(e) => serde_json::json!({ "err": e.message }),
        };
        if ours == answer {
            agree += 1;
            accepted += usize::from(answer.get("ok").is_some());
        } else if disagreements.len() < 20 {
            let shown: String = input.chars().take(200).collect();
            disagreements.push(format!("{shown:?}\n  libpq {answer}\n  ours  {ours}"));
        }
    }
    writer.join().unwrap();
    child.wait().unwrap();
    println!(
        "libpq {major} PQconninfoParse differential: {agree}/{} strings agree ({accepted} accepted, {} refused by both)",
        inputs.len(),
        agree - accepted
    );
    // A generator that only produced refusals (or only acceptances) would prove little.
    assert!(accepted > inputs.len() / 10 && agree - accepted > inputs.len() / 10);
    assert!(disagreements.is_empty(), "{}", disagreements.join("\n"));
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// One of `items`, drawn from `rng`.
fn pick<'a>(rng: &mut fastrand::Rng, items: &[&'a str]) -> &'a str {
    items[rng.usize(..items.len())]
}
