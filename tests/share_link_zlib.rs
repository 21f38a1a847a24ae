//! The share link's compressed form against zlib, through Python's `zlib` module: what the page
//! writes must inflate, by another implementation, to the payload docs/url-format.md describes,
//! and payloads compressed by zlib at every level (as a documentation author would make them)
//! must open in the page with the same inputs.
#![cfg(not(target_arch = "wasm32"))]

use std::io::Write;
use std::process::{Command, Stdio};

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use pgtls_audit::InputKind;
use pgtls_web::document::default_name;
use pgtls_web::share::{self, Outgoing, Prepared};
use serde_json::{json, Value};

/// Reads one JSON request from stdin: `inflate` (base64url raw DEFLATE → text) and `deflate`
/// (text → base64url raw DEFLATE, at a level, its text percent-encoded by `urllib` first when
/// asked), answering each in order.
const ZLIB: &str = r#"
import base64, json, sys, urllib.parse, zlib
def b64(b): return base64.urlsafe_b64encode(b).decode().rstrip("=")
def unb64(s): return base64.urlsafe_b64decode(s + "=" * (-len(s) % 4))
out = []
for task in json.load(sys.stdin):
    if task["op"] == "inflate":
        d = zlib.decompressobj(-15)
        out.append(d.decompress(unb64(task["data"])).decode("utf-8") + ("" if d.eof else "<unfinished>"))
    else:
        c = zlib.compressobj(task["level"], zlib.DEFLATED, -15, 9, task["strategy"])
        out.append(b64(c.compress(task["data"].encode("utf-8")) + c.flush()))
json.dump(out, sys.stdout)
"#;

fn zlib(tasks: &[Value]) -> Vec<String> {
    let mut child = Command::new("python3")
        .args(["-c", ZLIB])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("python3 runs (it is on every machine this project builds on)");
    child
        .stdin
        .take()
        .unwrap()
        .write_all(serde_json::to_string(tasks).unwrap().as_bytes())
        .unwrap();
    let output = child.wait_with_output().unwrap();
    assert!(output.status.success(), "python3 failed");
    serde_json::from_slice(&output.stdout).unwrap()
}

fn pick<'a, T>(rng: &mut fastrand::Rng, items: &'a [T]) -> &'a T {
    &items[rng.usize(..items.len())]
}

/// Pieces of text chosen to collide with the format: separators, escapes, look-alike pairs,
/// and configuration lines that repeat, as real files do.
const PIECES: &[&str] = &[
    "ssl = on\n",
    "hostssl all all 0.0.0.0/0 scram-sha-256\n",
    "&",
    "~",
    "%",
    "%41",
    "%zz",
    "=",
    "#",
    "z=",
    "&conf=",
    ":",
    "::1/128",
    "%3A",
    " ",
    "\r\n",
    "é",
    "🔒",
    "\t",
    "host=db.example.com sslmode=verify-full\n",
    "%7E",
    "\u{0}",
];

struct Case {
    inputs: Vec<(String, InputKind, String)>,
    host: String,
    pg: Option<u32>,
}

fn generate(rng: &mut fastrand::Rng) -> Case {
    let kinds = [
        InputKind::PostgresqlConf,
        InputKind::PgHba,
        InputKind::Conninfo,
        InputKind::Pem,
        InputKind::ErrorMessage,
    ];
    let inputs = (0..rng.usize(1..4))
        .map(|_| {
            let kind = *pick(rng, &kinds);
            let name = pick(rng, &[default_name(kind), "odd ~&%=: name.conf", "ünï code.conf", "a"]).to_string();
            let pieces = rng.usize(..400);
            let text: String = (0..pieces).map(|_| *pick(rng, PIECES)).collect();
            (name, kind, text)
        })
        .collect();
    let host = pick(rng, &["", "db.example.com", "h%st&x~y"]).to_string();
    let pg = *pick(rng, &[None, Some(15), Some(17)]);
    Case { inputs, host, pg }
}

/// The payload as docs/url-format.md describes it, written here apart from the page's encoder.
fn documented_payload(case: &Case) -> String {
    let mut pairs: Vec<String> = case
        .inputs
        .iter()
        .map(|(name, kind, text)| {
            let text = text
                .replace('%', "%25")
                .replace('&', "%26")
                .replace(':', "%3A");
            let key = share::key_of(*kind);
            if name == default_name(*kind) {
                format!("{key}={text}")
            } else {
                format!("{key}={}:{text}", share::percent_encode(name))
            }
        })
        .collect();
    if !case.host.is_empty() {
        pairs.push(format!("host={}", share::percent_encode(&case.host)));
    }
    if let Some(pg) = case.pg {
        pairs.push(format!("pg={pg}"));
    }
    pairs.join("&")
}

fn prepared(case: &Case) -> Prepared {
    let inputs = case.inputs.iter().map(|(name, kind, text)| Outgoing {
        name,
        kind: *kind,
        text: Some(text),
    });
    Prepared::new(inputs, &case.host, case.pg)
}

fn assert_opens_as(case: &Case, fragment: &str, how: &str) {
    let shared = share::decode(fragment);
    assert!(shared.rejected.is_empty(), "{how}: {:?}", shared.rejected);
    let opened: Vec<_> = shared
        .inputs
        .iter()
        .map(|i| {
            (
                i.name.clone(),
                i.kind,
                String::from_utf8(i.bytes.clone()).unwrap(),
            )
        })
        .collect();
    assert_eq!(opened, case.inputs, "{how}");
    assert_eq!(shared.host.unwrap_or_default(), case.host, "{how}");
    assert_eq!(shared.pg_version, case.pg, "{how}");
}

#[test]
fn the_page_and_zlib_read_each_others_compressed_links() {
    let mut rng = fastrand::Rng::with_seed(0x5DEE_CE66_D1CE_4E5B);
    let cases: Vec<Case> = (0..300).map(|_| generate(&mut rng)).collect();
    let mut tasks = Vec::new();
    let mut compressed = 0;
    for case in &cases {
        let fragment = prepared(case).encode_within(share::LINK_LIMIT).unwrap();
        assert_opens_as(case, &fragment, "the page's own link");
        match fragment.strip_prefix("z=") {
            Some(data) => {
                compressed += 1;
                tasks.push(json!({"op": "inflate", "data": data}));
            }
            None => tasks.push(json!({"op": "inflate", "data": ""})),
        }
        let payload = documented_payload(case);
        for (level, strategy) in [(0, 0), (1, 0), (6, 0), (9, 0), (9, 1), (9, 2), (9, 3)] {
            tasks.push(
                json!({"op": "deflate", "level": level, "strategy": strategy, "data": payload}),
            );
        }
    }
    assert!(
        (100..300).contains(&compressed),
        "both forms are exercised ({compressed} of 300 compressed)"
    );
    let answers = zlib(&tasks);
    let mut answers = answers.iter();
    for (i, case) in cases.iter().enumerate() {
        let fragment = prepared(case).encode_within(share::LINK_LIMIT).unwrap();
        let inflated = answers.next().unwrap();
        if fragment.starts_with("z=") {
            assert_eq!(
                inflated,
                &documented_payload(case),
                "case {i}: zlib reads the page's link as documented"
            );
        }
        for how in [
            "level 0",
            "level 1",
            "level 6",
            "level 9",
            "filtered",
            "huffman only",
            "run lengths",
        ] {
            let link = format!("z={}", answers.next().unwrap());
            assert_opens_as(case, &link, &format!("case {i}, zlib {how}"));
        }
    }
}

#[test]
fn links_written_by_a_documentation_author_open() {
    // What docs/url-format.md shows: Python's zlib at its default level, over a payload whose
    // text is percent-encoded by `urllib.parse.quote`, which escapes far more than it must.
    let case = Case {
        inputs: vec![
            (
                "postgresql.conf".into(),
                InputKind::PostgresqlConf,
                "ssl = on\nssl_min_protocol_version = 'TLSv1.2'\n".repeat(30),
            ),
            (
                "main hba.conf".into(),
                InputKind::PgHba,
                "hostssl all all 0.0.0.0/0 scram-sha-256 # ~ & % :\n".repeat(30),
            ),
        ],
        host: "db.example.com".into(),
        pg: None,
    };
    let quoted: Vec<Value> = case.inputs.iter().map(|(_, _, text)| json!(text)).collect();
    let script = "import json,sys,urllib.parse; print(json.dumps([urllib.parse.quote(t, safe='') for t in json.load(sys.stdin)]))";
    let mut child = Command::new("python3")
        .args(["-c", script])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(Value::Array(quoted).to_string().as_bytes())
        .unwrap();
    let quoted: Vec<String> =
        serde_json::from_slice(&child.wait_with_output().unwrap().stdout).unwrap();
    let payload = format!(
        "conf={}&hba=main%20hba.conf:{}&host=db.example.com",
        quoted[0], quoted[1]
    );
    let link =
        zlib(&[json!({"op": "deflate", "level": 6, "strategy": 0, "data": payload})]).remove(0);
    assert_opens_as(&case, &format!("#z={link}&embed=1"), "a hand-made link");
    assert!(share::decode(&format!("z={link}&embed=1")).embed);
    // The plain form of the same inputs, for comparison: the compressed link is far shorter.
    let plain = prepared(&case).fragment();
    assert!(
        link.len() * 5 < plain.len(),
        "{} against {}",
        link.len(),
        plain.len()
    );
    assert_eq!(
        URL_SAFE_NO_PAD
            .decode(plain.split('&').next().unwrap().trim_start_matches("conf="))
            .unwrap(),
        case.inputs[0].2.as_bytes()
    );
}
