//! Conformance of the cipher-string algebra with OpenSSL 3.0.
//!
//! `fixtures/ciphers/corpus.txt` holds the strings; `fixtures/ciphers/openssl-3.0.json` the
//! lists `openssl ciphers -ciphersuites '' STRING` and `openssl ciphers -s -tls1_2
//! -ciphersuites '' STRING` printed for them on OpenSSL 3.0 (null where OpenSSL rejects the
//! string). The first test needs no openssl binary; the second re-runs the local openssl
//! when it is 3.0 (and rewrites the record with PGTLS_BLESS=1), and also compares a few
//! hundred generated strings.

use std::process::Command;

use pgtls_audit::cipher::{evaluate, CipherList};

const CORPUS: &str = include_str!("fixtures/ciphers/corpus.txt");
const RECORD_PATH: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/ciphers/openssl-3.0.json");

/// The level the record was made at: Debian's openssl.cnf default. Levels 1 and 2 admit the
/// same OpenSSL 3.0 suites.
const RECORD_SECLEVEL: u8 = 2;

#[derive(Debug, PartialEq, serde::Serialize, serde::Deserialize)]
struct Expected {
    string: String,
    list: Option<Vec<String>>,
    supported: Option<Vec<String>>,
}

fn corpus() -> Vec<&'static str> {
    CORPUS.lines().filter(|l| !l.is_empty() && !l.starts_with("# ")).collect()
}

fn ours(string: &str) -> Expected {
    let l: CipherList = evaluate(string, RECORD_SECLEVEL);
    let accepted = l.accepted();
    Expected {
        string: string.to_string(),
        list: accepted.then(|| l.suites.iter().map(|s| s.name.to_string()).collect()),
        supported: accepted.then(|| l.negotiable().map(|s| s.name.to_string()).collect()),
    }
}

fn openssl_list(string: &str, supported: bool) -> Option<Vec<String>> {
    let mut cmd = Command::new("openssl");
    cmd.arg("ciphers");
    if supported {
        cmd.args(["-s", "-tls1_2"]);
    }
    let out = cmd.args(["-ciphersuites", "", "--", string]).output().ok()?;
    if !out.status.success() {
        return None;
    }
    let text = String::from_utf8_lossy(&out.stdout);
    Some(text.trim().split(':').filter(|s| !s.is_empty()).map(str::to_string).collect())
}

fn theirs(string: &str) -> Expected {
    Expected {
        string: string.to_string(),
        list: openssl_list(string, false),
        supported: openssl_list(string, true),
    }
}

fn local_openssl_is_3_0() -> bool {
    Command::new("openssl")
        .arg("version")
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).starts_with("OpenSSL 3.0"))
        .unwrap_or(false)
}

fn compare(expected: &[Expected]) -> (usize, Vec<String>) {
    let mut agree = 0;
    let mut disagreements = Vec::new();
    for e in expected {
        let o = ours(&e.string);
        if &o == e {
            agree += 1;
        } else {
            disagreements.push(format!(
                "{:?}\n  openssl: {:?} / {:?}\n  ours:    {:?} / {:?}",
                e.string, e.list, e.supported, o.list, o.supported
            ));
        }
    }
    (agree, disagreements)
}

#[test]
fn recorded_openssl_output_agrees() {
    let record = std::fs::read_to_string(RECORD_PATH).expect("the recorded OpenSSL output");
    let expected: Vec<Expected> = serde_json::from_str(&record).unwrap();
    let strings = corpus();
    assert!(strings.len() >= 60, "the corpus has {} strings", strings.len());
    assert_eq!(
        expected.iter().map(|e| e.string.as_str()).collect::<Vec<_>>(),
        strings,
        "the record is out of date with corpus.txt: rerun with PGTLS_BLESS=1 where openssl 3.0 is installed"
    );
    let (agree, disagreements) = compare(&expected);
    println!("{agree} of {} cipher strings agree with the recorded OpenSSL 3.0 output", expected.len());
    assert!(disagreements.is_empty(), "{}", disagreements.join("\n"));
}

#[test]
fn local_openssl_agrees() {
    if !local_openssl_is_3_0() {
        eprintln!("no OpenSSL 3.0 binary here: skipped");
        return;
    }
    let fresh: Vec<Expected> = corpus().into_iter().map(theirs).collect();
    if std::env::var_os("PGTLS_BLESS").is_some() {
        std::fs::write(RECORD_PATH, serde_json::to_string_pretty(&fresh).unwrap() + "\n").unwrap();
    }
    let (agree, disagreements) = compare(&fresh);
    println!("{agree} of {} corpus strings agree with the local openssl", fresh.len());
    assert!(disagreements.is_empty(), "{}", disagreements.join("\n"));

    let generated: Vec<Expected> = generated_strings(400).iter().map(|s| theirs(s)).collect();
    let (agree, disagreements) = compare(&generated);
    println!("{agree} of {} generated strings agree with the local openssl", generated.len());
    assert!(disagreements.is_empty(), "{}", disagreements.join("\n"));
}

/// Random strings over OpenSSL's vocabulary: aliases, suite names, operators, `+` chains,
/// separators, commands and the odd unknown word.
fn generated_strings(n: usize) -> Vec<String> {
    const WORDS: &[&str] = &[
        "ALL", "COMPLEMENTOFALL", "COMPLEMENTOFDEFAULT", "HIGH", "MEDIUM", "LOW", "FIPS", "aNULL",
        "eNULL", "NULL", "kRSA", "RSA", "kECDHE", "ECDHE", "EECDH", "kDHE", "DHE", "EDH", "ADH",
        "AECDH", "aRSA", "aECDSA", "aDSS", "PSK", "kPSK", "SRP", "AES", "AES128", "AES256",
        "AESGCM", "AESCCM", "AESCCM8", "CHACHA20", "CAMELLIA", "ARIA", "CBC", "3DES", "RC4",
        "SHA1", "SHA256", "SHA384", "MD5", "TLSv1", "TLSv1.2", "SSLv3", "ECDHE-RSA-AES128-GCM-SHA256",
        "AES128-SHA", "DHE-RSA-AES256-SHA256", "NULL-SHA256", "TLS_RSA_WITH_AES_256_CBC_SHA",
        "BOGUS", "AEAD",
    ];
    const PREFIXES: &[&str] = &["", "", "", "!", "-", "+"];
    const SEPARATORS: &[&str] = &[":", ":", ",", " ", ";"];
    let mut state: u64 = 0x9E37_79B9_7F4A_7C15;
    let mut next = move |m: usize| {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        (state % m as u64) as usize
    };
    (0..n)
        .map(|_| {
            let mut s = String::new();
            if next(6) == 0 {
                s.push_str("DEFAULT:");
            }
            for t in 0..1 + next(6) {
                if t > 0 {
                    s.push_str(SEPARATORS[next(SEPARATORS.len())]);
                }
                match next(12) {
                    0 => s.push_str("@STRENGTH"),
                    1 => s.push_str(&format!("@SECLEVEL={}", next(6))),
                    _ => {
                        s.push_str(PREFIXES[next(PREFIXES.len())]);
                        for k in 0..1 + next(3) / 2 + next(2) {
                            if k > 0 {
                                s.push('+');
                            }
                            s.push_str(WORDS[next(WORDS.len())]);
                        }
                    }
                }
            }
            s
        })
        .collect()
}
