//! Bad input of every kind gets located messages, never a panic.

use pgtls_audit::{audit, AuditOptions, ColumnUnit, InputKind, Inputs, SourceFile};

fn run(files: &[(&str, InputKind, Vec<u8>)], v: u32) -> Vec<(String, usize, String)> {
    let mut inputs = Inputs::new();
    for (name, kind, bytes) in files {
        inputs.push(SourceFile::new(*name, *kind, bytes.clone()));
    }
    let mut options = AuditOptions::new(0);
    options.pg_version = v;
    let analysis = audit(&inputs, &options);
    let report = analysis.report(&inputs, ColumnUnit::Utf16);
    serde_json::to_string(&report).expect("the report serialises");
    for d in &analysis.diagnostics {
        let f = inputs.file(d.location.file);
        assert!(d.location.span.start <= d.location.span.end && d.location.span.end <= f.text.len(), "{d:?}");
        assert!(f.text.is_char_boundary(d.location.span.start) && f.text.is_char_boundary(d.location.span.end), "{d:?}");
    }
    analysis
        .diagnostics
        .iter()
        .map(|d| (d.rule.id.to_string(), inputs.file(d.location.file).line_col(d.location.span.start, ColumnUnit::Utf8).line, d.message.clone()))
        .collect()
}

fn hba(text: impl Into<Vec<u8>>) -> (&'static str, InputKind, Vec<u8>) {
    ("pg_hba.conf", InputKind::PgHba, text.into())
}

#[test]
fn random_bytes_never_panic() {
    let alphabet: &[u8] = b"hostlcal ssl all \"\",,##\\\n\r\t/+@0123456789.:abcdef=trust md5 reject\x00\xff\xc3\xa9";
    let mut rng = fastrand::Rng::with_seed(0x9e37_79b9_7f4a_7c15);
    for case in 0..400 {
        let len = rng.usize(..600);
        let bytes: Vec<u8> = (0..len)
            .map(|_| if rng.u64(..10) == 0 { rng.u8(..) } else { alphabet[rng.usize(..alphabet.len())] })
            .collect();
        for v in [12, 14, 16, 19] {
            run(&[hba(bytes.clone()), ("pg_ident.conf", InputKind::PgIdent, bytes.clone())], v);
        }
        let _ = case;
    }
}

#[test]
fn a_ten_megabyte_line_is_located() {
    let long = format!("host all {} all trust\n", "u".repeat(10 * 1024 * 1024));
    let at15 = run(&[hba(long.clone())], 15);
    assert!(at15.iter().any(|(id, line, m)| id == "HBA009" && *line == 1 && m == "authentication file token too long"), "{at15:?}");
    let at16 = run(&[hba(long)], 16);
    assert!(!at16.iter().any(|(id, _, _)| id == "HBA009"));
}

#[test]
fn nul_bytes_and_unterminated_quotes_are_located() {
    let found = run(&[hba(b"local all all trust\nhost all\x00 all all trust\nlocal \"all all trust\n".to_vec())], 16);
    assert!(found.iter().any(|(id, line, m)| id == "HBA009" && *line == 2 && m.starts_with("NUL byte")), "{found:?}");
    assert!(found.iter().any(|(id, line, m)| id == "HBA009" && *line == 3 && m == "end-of-line before role specification"), "{found:?}");
}

#[test]
fn include_loops_are_located() {
    let found = run(
        &[
            hba("include a.conf\nlocal all all peer\n"),
            ("a.conf", InputKind::Unknown, b"include b.conf\n".to_vec()),
            ("b.conf", InputKind::Unknown, b"include a.conf\n".to_vec()),
        ],
        16,
    );
    assert!(found.iter().any(|(id, _, m)| id == "HBA009" && m.contains("maximum nesting depth exceeded")), "{found:?}");
    let found = run(&[hba("local @self all peer\n"), ("self", InputKind::Unknown, b"a, @self\n".to_vec())], 16);
    assert!(found.iter().any(|(id, _, m)| id == "HBA009" && m.contains("loop")), "{found:?}");
}

#[test]
fn included_files_are_read_in_place() {
    let found = run(
        &[
            hba("local all all peer\ninclude_if_exists remote.conf\nhostssl all all all scram-sha-256\n"),
            ("conf.d/remote.conf", InputKind::Unknown, b"host all all all trust\n".to_vec()),
        ],
        16,
    );
    // The included line is judged in its own file, and it shadows the hostssl line after it.
    assert!(found.iter().any(|(id, line, _)| id == "HBA003" && *line == 1), "{found:?}");
    assert!(found.iter().any(|(id, line, _)| id == "HBA006" && *line == 3), "{found:?}");
}

#[test]
fn binary_garbage_is_not_a_pg_hba() {
    let garbage: Vec<u8> = (0..4096u32).map(|i| (i.wrapping_mul(2654435761) >> 13) as u8).collect();
    let found = run(&[hba(garbage)], 18);
    assert!(found.iter().any(|(id, _, _)| id == "HBA009"));
}
