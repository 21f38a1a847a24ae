//! libpq's own URI test vectors as a conformance suite: every vector of the uri-regress test
//! (regress.in + expected.out, PostgreSQL 14 era) and of `t/001_uri.pl` (master) must print
//! exactly libpq's line. Each set runs at the version it comes from.

use std::path::PathBuf;

use pgtls_audit::conn::libpq::regress_line;

fn corpus() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/conn/libpq-uri")
}

fn read(name: &str) -> String {
    let path = corpus().join(name);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("libpq URI corpus {}: {e}", path.display()))
}

fn no_env(_: &str) -> Option<String> {
    None
}

#[test]
fn regress_in_matches_expected_out_at_14() {
    let expected = read("expected.out");
    let mut blocks = expected.split("trying ").filter(|b| !b.trim().is_empty());
    let mut passed = 0;
    let mut failures = Vec::new();
    for uri in read("regress.in").lines() {
        let block = blocks.next().expect("expected.out has a block for every line of regress.in");
        let mut lines = block.lines();
        assert_eq!(lines.next(), Some(uri), "expected.out is out of step with regress.in");
        let want = lines.next().unwrap_or("").trim_end();
        let got = regress_line(uri, 14, &no_env);
        if got.trim_end() == want {
            passed += 1;
        } else {
            failures.push(format!("{uri}\n  want {want}\n  got  {got}"));
        }
    }
    let total = read("regress.in").lines().count();
    println!("libpq uri-regress vectors (regress.in, PG14): {passed}/{total} pass");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    assert!(total >= 57);
}

/// None of regress.in's vectors has spaces or a version-specific keyword, so every version
/// the engine knows must print the same lines.
#[test]
fn regress_in_is_the_same_at_every_known_version() {
    let expected = read("expected.out");
    let wanted: Vec<&str> = expected
        .split("trying ")
        .filter(|b| !b.trim().is_empty())
        .map(|b| b.lines().nth(1).unwrap_or("").trim_end())
        .collect();
    let mut runs = 0;
    for version in pgtls_audit::options::KNOWN_PG_VERSIONS {
        for (uri, want) in read("regress.in").lines().zip(&wanted) {
            assert_eq!(regress_line(uri, version, &no_env).trim_end(), *want, "{uri} at {version}");
            runs += 1;
        }
    }
    println!("regress.in at PostgreSQL 12..=19: {runs}/{runs} pass");
}

#[test]
fn uri_vectors_tsv_match_at_19() {
    let tsv = read("001_uri_vectors.tsv");
    let mut passed = 0;
    let mut total = 0;
    let mut failures = Vec::new();
    for row in tsv.lines().skip(1) {
        let cols: Vec<&str> = row.split('\t').collect();
        let (uri, stdout, stderr, env) = (cols[0], cols[1], cols[2], cols.get(3).copied().unwrap_or(""));
        total += 1;
        let env: Vec<(String, String)> = env
            .split_whitespace()
            .filter_map(|kv| kv.split_once('=').map(|(k, v)| (k.to_string(), v.to_string())))
            .collect();
        let lookup = |name: &str| env.iter().find(|(k, _)| k == name).map(|(_, v)| v.clone());
        let got = regress_line(uri, 19, &lookup);
        let want = if stderr.is_empty() {
            stdout.trim_end().to_string()
        } else {
            format!("uri-regress: {}", stderr.trim_start_matches("libpq_uri_regress: ").trim_end())
        };
        if got.trim_end() == want {
            passed += 1;
        } else {
            failures.push(format!("{uri:?}\n  want {want}\n  got  {got}"));
        }
    }
    println!("libpq t/001_uri.pl vectors (master, run as PG19): {passed}/{total} pass");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    assert!(total >= 63);
}
