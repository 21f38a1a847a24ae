//! Bad input of every kind gets located messages and never a panic: binary garbage, NUL
//! bytes, a 10 MB line, unterminated quotes, include loops and include bombs.

use std::time::{Duration, Instant};

use pgtls_audit::{audit, AuditOptions, InputKind, Inputs, SourceFile};

fn run(files: Vec<(&str, InputKind, Vec<u8>)>) -> pgtls_audit::Analysis {
    let mut inputs = Inputs::new();
    for (name, kind, bytes) in files {
        inputs.push(SourceFile::new(name, kind, bytes));
    }
    let mut options = AuditOptions::new(0);
    options.pg_version = 17;
    audit(&inputs, &options)
}

fn conf(bytes: impl Into<Vec<u8>>) -> pgtls_audit::Analysis {
    run(vec![("postgresql.conf", InputKind::PostgresqlConf, bytes.into())])
}

fn conf007(a: &pgtls_audit::Analysis) -> Vec<&str> {
    a.diagnostics.iter().filter(|d| d.rule.id == "CONF007").map(|d| d.message.as_str()).collect()
}

#[test]
fn binary_garbage_never_panics() {
    let mut rng = fastrand::Rng::with_seed(7);
    for round in 0..300 {
        let len = rng.usize(..4000);
        let bytes: Vec<u8> = (0..len)
            .map(|_| match rng.u64(..10) {
                // Enough structure to reach the parser's deeper paths.
                0 => b'\n',
                1 => b'\'',
                2 => b'=',
                3 => b'\\',
                4 => b'#',
                _ => rng.u8(..),
            })
            .collect();
        let a = conf(bytes.clone());
        for d in &a.diagnostics {
            let text = String::from_utf8_lossy(&bytes);
            assert!(d.location.span.end <= text.len(), "round {round}: span past the end");
            assert!(text.is_char_boundary(d.location.span.start) && text.is_char_boundary(d.location.span.end), "round {round}: span inside a character");
        }
    }
}

#[test]
fn a_10_mb_line_is_read_quickly_and_reported_briefly() {
    let started = Instant::now();
    let mut line = b"ssl_ciphers = ".to_vec();
    line.extend(std::iter::repeat_n(b'A', 10 << 20));
    line.extend(b" junk\n");
    let a = conf(line);
    let errors = conf007(&a);
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert!(errors[0].contains("near token \"junk\""));
    let quoted = format!("ssl_ciphers = '{}\n", "B".repeat(10 << 20));
    let a = conf(quoted);
    let errors = conf007(&a);
    assert_eq!(errors.len(), 1);
    assert!(errors[0].len() < 200, "the message quotes a short token: {}", errors[0].len());
    println!("conf_robustness: two 10 MB lines audited in {:?}", started.elapsed());
    assert!(started.elapsed() < Duration::from_secs(20), "took {:?}", started.elapsed());
}

#[test]
fn nul_bytes_and_control_characters() {
    let a = conf(b"ssl = on\0\nssl_ciphers = 'a\0b'\n\x01 = 2\n".to_vec());
    let errors = conf007(&a);
    assert_eq!(errors.len(), 2, "{errors:?}");
    assert!(errors[0].contains("line 1"));
    assert!(errors[1].contains("line 3"));
    // The quoted NUL ends the value, as in C.
    assert_eq!(a.model.conf.effective("ssl_ciphers").unwrap().value, "a");
}

#[test]
fn unterminated_quotes_are_located() {
    let a = conf("ssl = on\nssl_cert_file = 'server.crt\nssl_key_file = 'server.key'\n");
    let d = a.diagnostics.iter().find(|d| d.rule.id == "CONF007").unwrap();
    assert_eq!(d.message, "syntax error in file \"postgresql.conf\" line 2, near token \"'\"");
    assert_eq!(d.location.span.start, "ssl = on\nssl_cert_file = ".len());
    assert_eq!(a.model.conf.effective("ssl_key_file").unwrap().value, "server.key");
}

#[test]
fn include_loops_stop_at_postgresqls_depth_limit() {
    let a = run(vec![
        ("postgresql.conf", InputKind::PostgresqlConf, b"include 'a.conf'\n".to_vec()),
        ("a.conf", InputKind::PostgresqlConf, b"include 'b.conf'\nssl = on\n".to_vec()),
        ("b.conf", InputKind::PostgresqlConf, b"include 'a.conf'\n".to_vec()),
    ]);
    let errors = conf007(&a);
    assert_eq!(errors, vec!["could not open configuration file \"a.conf\": maximum nesting depth exceeded"]);
    let a = run(vec![("postgresql.conf", InputKind::PostgresqlConf, b"include 'postgresql.conf'\n".to_vec())]);
    assert_eq!(conf007(&a), vec!["configuration file recursion in \"postgresql.conf\""]);
}

#[test]
fn include_bombs_are_bounded() {
    // Each file includes the next one 50 times: 50^10 lines if followed blindly.
    let mut files = vec![("postgresql.conf".to_string(), "include 'f1.conf'\n".repeat(50))];
    for i in 1..=12 {
        files.push((format!("f{i}.conf"), format!("include 'f{}.conf'\nwork_mem = '4MB'\n", i + 1).repeat(50)));
    }
    let started = Instant::now();
    let a = run(files.iter().map(|(n, t)| (n.as_str(), InputKind::PostgresqlConf, t.clone().into_bytes())).collect());
    assert!(started.elapsed() < Duration::from_secs(20), "took {:?}", started.elapsed());
    assert!(conf007(&a).iter().any(|m| m.contains("the rest was not read")), "{:?}", conf007(&a).first());
}

#[test]
fn too_many_syntax_errors_abandon_the_file() {
    let a = conf("!\n".repeat(1000));
    let errors = conf007(&a);
    assert_eq!(errors.len(), 101);
    assert_eq!(errors[100], "too many syntax errors found, abandoning file \"postgresql.conf\"");
}

