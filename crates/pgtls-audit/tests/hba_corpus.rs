//! PostgreSQL's own sample files, with initdb's placeholders filled as initdb fills them, read
//! at their versions: no line may be refused.

use pgtls_audit::{audit, AuditOptions, Inputs};

const CORPUS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/corpus");

/// initdb's substitutions for a Unix build run with `--auth-local=peer --auth-host=scram-sha-256`.
fn fill(sample: &str) -> String {
    sample
        .replace("@authcomment@", "")
        .replace("@remove-line-for-nolocal@", "")
        .replace("@authmethodlocal@", "peer")
        .replace("@authmethodhost@", "scram-sha-256")
}

fn samples() -> Vec<(u32, String, String)> {
    let mut out = Vec::new();
    for v in 14..=19 {
        let dir = format!("{CORPUS}/by-version/REL_{v}_STABLE");
        if let (Ok(hba), Ok(ident)) =
            (std::fs::read_to_string(format!("{dir}/pg_hba.conf.sample")), std::fs::read_to_string(format!("{dir}/pg_ident.conf.sample")))
        {
            out.push((v, hba, ident));
        }
    }
    if let (Ok(hba), Ok(ident)) =
        (std::fs::read_to_string(format!("{CORPUS}/pg_hba.conf.sample")), std::fs::read_to_string(format!("{CORPUS}/pg_ident.conf.sample")))
    {
        // master is 20devel; 19 is the newest version the engine knows.
        out.push((19, hba, ident));
    }
    out
}

#[test]
fn samples_have_no_refused_lines_at_their_versions() {
    let samples = samples();
    if samples.is_empty() {
        eprintln!("skipped: no corpus at {CORPUS}");
        return;
    }
    assert_eq!(samples.len(), 7, "expected the 14–19 samples and master's");
    for (v, hba, ident) in samples {
        let mut inputs = Inputs::new();
        inputs.push_detected("pg_hba.conf", fill(&hba).into_bytes());
        inputs.push_detected("pg_ident.conf", ident.into_bytes());
        let mut options = AuditOptions::new(0);
        options.pg_version = v;
        let analysis = audit(&inputs, &options);
        let refused: Vec<_> = analysis.diagnostics.iter().filter(|d| d.rule.id == "HBA009").map(|d| d.message.clone()).collect();
        assert!(refused.is_empty(), "PostgreSQL {v}: {refused:?}");
        let hba_model = &analysis.model.hba;
        assert_eq!(hba_model.records().count(), 6, "PostgreSQL {v}: six records in the sample");
        // initdb's loopback lines (two for databases, two for replication) are not remote.
        let m = hba_model.exposure().unwrap();
        assert!(m.cell(pgtls_audit::hba::ClientKind::RemoteIpv4, false).unwrap().lines.is_empty());
        assert_eq!(m.cell(pgtls_audit::hba::ClientKind::Loopback, false).unwrap().lines.len(), 4);
    }
}

#[test]
fn the_unfilled_sample_is_refused_for_its_placeholders() {
    let Ok(hba) = std::fs::read_to_string(format!("{CORPUS}/pg_hba.conf.sample")) else { return };
    let mut inputs = Inputs::new();
    inputs.push_detected("pg_hba.conf", hba.into_bytes());
    let analysis = audit(&inputs, &AuditOptions::new(0));
    // An unquoted token starting with @ names a file, so hba.c tries to open "authmethodlocal@".
    assert!(analysis.diagnostics.iter().any(|d| d.rule.id == "HBA009"
        && d.severity == pgtls_audit::Severity::Error
        && d.message.starts_with("could not open secondary authentication file \"@authmethodlocal@\"")));
}

#[test]
fn fixtures_give_the_expected_findings() {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/hba");
    let ids = |name: &str| -> Vec<(String, usize)> {
        let text = std::fs::read(format!("{dir}/{name}")).unwrap();
        let mut inputs = Inputs::new();
        inputs.push(pgtls_audit::SourceFile::new("pg_hba.conf", pgtls_audit::InputKind::PgHba, text));
        let a = audit(&inputs, &AuditOptions::new(0));
        a.diagnostics
            .iter()
            .map(|d| (d.rule.id.to_string(), inputs.file(0).line_col(d.location.span.start, pgtls_audit::ColumnUnit::Utf8).line))
            .collect()
    };
    assert_eq!(ids("hardened.conf"), vec![]);
    let open = ids("open.conf");
    let expect = [
        ("HBA003", 3),
        ("HBA005", 5),
        ("HBA002", 6),
        ("HBA001", 6),
        ("HBA004", 6),
        ("HBA009", 8),
        ("HBA010", 5),
        // host 0.0.0.0/0 on line 5 takes SSL clients from 10/8 before the cert line.
        ("HBA006", 7),
    ];
    for (id, line) in expect {
        assert!(open.contains(&(id.to_string(), line)), "{id} at line {line} missing from {open:?}");
    }
    // Line 5 is behind the hostnossl reject on line 4 for plain connections.
    assert!(!open.contains(&("HBA001".to_string(), 5)), "{open:?}");
    assert_eq!(open.len(), expect.len(), "{open:?}");
}
