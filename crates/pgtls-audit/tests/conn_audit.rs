//! Whole audits over client inputs: how strings, environment blocks, service files and
//! pgbouncer.ini combine, what checklist item 4 says, and malformed inputs of every kind.

use pgtls_audit::checklist::Status;
use pgtls_audit::{audit, detect_kind, Analysis, AuditOptions, InputKind, Inputs, SourceFile};

const SETUP: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/conn/setup");

fn fixture(name: &str) -> String {
    std::fs::read_to_string(format!("{SETUP}/{name}")).unwrap()
}

fn run(files: &[(&str, InputKind, String)]) -> (Inputs, Analysis) {
    let mut inputs = Inputs::new();
    for (name, kind, text) in files {
        inputs.push(SourceFile::from_text(*name, *kind, text.clone()));
    }
    let mut options = AuditOptions::new(0);
    options.pg_version = 16;
    let analysis = audit(&inputs, &options);
    (inputs, analysis)
}

fn item4(a: &Analysis) -> Status {
    a.checklist.iter().find(|e| e.item == 4).unwrap().status
}

fn conn_rules(a: &Analysis) -> Vec<&'static str> {
    a.diagnostics.iter().map(|d| d.rule.id).filter(|id| id.starts_with("CONN")).collect()
}

#[test]
fn item_4_passes_when_every_client_is_verify_full_with_a_root() {
    let (_, a) = run(&[
        ("clients.txt", InputKind::Conninfo, fixture("clients.txt")),
        ("pg_service.conf", InputKind::ServiceFile, "[prod]\nhost=db.example.com\nsslmode=verify-full\nsslrootcert=/etc/ssl/pg-root.crt\n".into()),
        ("pgbouncer.ini", InputKind::Pgbouncer, fixture("pgbouncer.ini")),
    ]);
    assert_eq!(conn_rules(&a), Vec::<&str>::new(), "{:#?}", a.diagnostics);
    assert_eq!(item4(&a), Status::Pass);
    let summaries = a.model.clients.summaries();
    assert_eq!(summaries.len(), 3);
    assert_eq!(summaries[2].driver, "pgbouncer");
    assert_eq!(summaries[2].root_cert.as_deref(), Some("/etc/pgbouncer/root.crt"));
    assert!(summaries.iter().all(|s| s.verifies_host_name && s.root_cert.is_some()));
    assert_eq!(summaries[0].sslmode_origin, "service file [prod]");
}

#[test]
fn one_weak_client_fails_item_4_at_the_line_that_weakens_it() {
    let (inputs, a) = run(&[
        ("clients.txt", InputKind::Conninfo, fixture("clients.txt")),
        ("pg_service.conf", InputKind::ServiceFile, fixture("pg_service.conf")),
        ("app.env", InputKind::Environment, fixture("app.env")),
    ]);
    assert_eq!(item4(&a), Status::Warn, "{:#?}", a.diagnostics);
    // [reporting] is named by nobody but is still a way to connect; its require is a warning.
    let conn003 = a.diagnostics.iter().find(|d| d.rule.id == "CONN003").expect("reporting service");
    assert_eq!(inputs.file(conn003.location.file).name, "pg_service.conf");
    // PGSSLMODE=prefer loses to the service file and the strings, so nothing points at it.
    assert!(!a.diagnostics.iter().any(|d| d.rule.id == "CONN002"), "{:#?}", a.diagnostics);
    // DATABASE_URL is a client of its own.
    assert!(a.model.clients.clients.iter().any(|c| c.name.contains("DATABASE_URL")));
}

#[test]
fn environment_applies_where_the_string_is_silent() {
    let (inputs, a) = run(&[
        ("clients.txt", InputKind::Conninfo, "host=db.example.com dbname=app\njdbc:postgresql://db.example.com/app\n".into()),
        ("deployment-env.yaml", InputKind::Environment, fixture("deployment-env.yaml")),
    ]);
    let rules = conn_rules(&a);
    // libpq reads PGSSLMODE=require; pgjdbc does not read the environment at all.
    assert!(rules.contains(&"CONN003") && rules.contains(&"CONN001"), "{rules:?}");
    let conn003 = a.diagnostics.iter().find(|d| d.rule.id == "CONN003").unwrap();
    assert_eq!(inputs.file(conn003.location.file).name, "deployment-env.yaml");
    let edit = &conn003.fix.as_ref().unwrap().edits[0];
    assert_eq!(inputs.file(edit.file).slice(edit.span), "require");
    assert_eq!(item4(&a), Status::Fail);
}

#[test]
fn an_environment_block_alone_is_a_client() {
    let (_, a) = run(&[("k8s.env", InputKind::Environment, fixture("deployment-env.yaml"))]);
    assert_eq!(a.model.clients.clients.len(), 1);
    assert_eq!(conn_rules(&a), vec!["CONN003"]);
    assert_eq!(item4(&a), Status::Warn);
}

#[test]
fn pgbouncer_defaults_fail_items_3_and_4() {
    let (_, a) = run(&[("pgbouncer.ini", InputKind::Pgbouncer, "[pgbouncer]\nlisten_port = 6432\n".into())]);
    // CONN015: pgbouncer's default cipher list keeps CBC suites with SHA-1 MACs.
    assert_eq!(conn_rules(&a), vec!["CONN012", "CONN013", "CONN015"]);
    assert_eq!(item4(&a), Status::Fail);
    assert_eq!(a.checklist.iter().find(|e| e.item == 3).unwrap().status, Status::Fail);
}

#[test]
fn root_references_cover_strings_services_environment_and_pgbouncer() {
    let (inputs, a) = run(&[
        ("clients.txt", InputKind::Conninfo, fixture("clients.txt")),
        ("pg_service.conf", InputKind::ServiceFile, fixture("pg_service.conf")),
        ("pgbouncer.ini", InputKind::Pgbouncer, fixture("pgbouncer.ini")),
    ]);
    let refs = a.model.clients.root_cert_references();
    let names: Vec<(&str, &str)> = refs.iter().map(|(p, l)| (*p, inputs.file(l.file).name.as_str())).collect();
    assert!(names.contains(&("/etc/ssl/pg-root.crt", "pg_service.conf")), "{names:?}");
    assert!(names.contains(&("/etc/ssl/pg-root.crt", "clients.txt")), "{names:?}");
    assert!(names.contains(&("/etc/pgbouncer/root.crt", "pgbouncer.ini")), "{names:?}");
    for (path, loc) in &refs {
        assert_eq!(inputs.file(loc.file).slice(loc.span).replace("%2F", "/"), *path);
    }
}

#[test]
fn client_inputs_are_detected_by_name_and_content() {
    assert_eq!(detect_kind("pg_service.conf", b""), InputKind::ServiceFile);
    assert_eq!(detect_kind("pgbouncer.ini", b""), InputKind::Pgbouncer);
    assert_eq!(detect_kind("strings.txt", b"postgresql://db/app?sslmode=require\nhost=db sslmode=verify-full\n"), InputKind::Conninfo);
    assert_eq!(detect_kind("vars", b"export PGSSLMODE=require\nexport PGHOST=db\n"), InputKind::Environment);
    assert_eq!(detect_kind("pooler", fixture("pgbouncer.ini").as_bytes()), InputKind::Pgbouncer);
}

#[test]
fn malformed_inputs_get_located_errors_and_never_panic() {
    let cases: Vec<(&str, String, &str)> = vec![
        ("unterminated quote", "host=db password='oops\n".into(), "unterminated quoted string in connection info string"),
        ("bad percent-escape", "postgresql://db/app?sslmode=%zz\n".into(), "invalid percent-encoded token: \"%zz\""),
        ("%00", "postgresql://db/a%00b\n".into(), "forbidden value %00 in percent-encoded value: \"a%00b\""),
        ("missing =", "host db\n".into(), "missing \"=\" after \"host\" in connection info string"),
        ("unknown keyword", "host=db sslmdoe=require\n".into(), "invalid connection option \"sslmdoe\""),
        ("unclosed IPv6", "postgresql://[::1/app\n".into(), "end of string reached when looking for matching \"]\" in IPv6 host address in URI: \"postgresql://[::1/app\""),
        ("64 KB value", format!("host=db dbname='{}\n", "x".repeat(65536)), "unterminated quoted string in connection info string"),
        ("NUL byte", "host=db\0sslmode=disable\n".into(), "NUL byte in the connection string: libpq stops reading here and ignores the rest"),
        ("npgsql quote", "Host=db;Password=\"x\n".into(), "Npgsql: unterminated quoted value"),
    ];
    for (what, text, message) in cases {
        let (inputs, a) = run(&[("bad.txt", InputKind::Conninfo, text.clone())]);
        let d = a.diagnostics.iter().find(|d| d.rule.id == "CONN014").unwrap_or_else(|| panic!("{what}: no CONN014"));
        assert_eq!(d.message, message, "{what}");
        assert!(d.location.span.end <= inputs.file(0).text.len() && !d.location.span.is_empty(), "{what}: {:?}", d.location);
    }
    // Binary garbage and a 10 MB line: no panic, every finding located inside the text.
    let mut garbage: Vec<u8> = (0..4096u32).map(|i| (i.wrapping_mul(2654435761) >> 24) as u8).collect();
    garbage.extend(b"\npostgresql://");
    garbage.extend(std::iter::repeat_n(b'%', 10));
    let huge = format!("host={}\n", "y".repeat(10 * 1024 * 1024));
    for bytes in [garbage, huge.into_bytes()] {
        let mut inputs = Inputs::new();
        inputs.push(SourceFile::new("junk", InputKind::Conninfo, bytes));
        let a = audit(&inputs, &AuditOptions::new(0));
        for d in &a.diagnostics {
            assert!(d.location.span.end <= inputs.file(0).text.len());
            assert!(d.message.len() < 400);
        }
    }
    // The same for service files and pgbouncer.ini.
    let (_, a) = run(&[
        ("pg_service.conf", InputKind::ServiceFile, "[a]\nhost\nservice=b\nsslmode = require\n".into()),
        ("pgbouncer.ini", InputKind::Pgbouncer, "[pgbouncer\nx\n".into()),
    ]);
    let messages: Vec<&str> = a.diagnostics.iter().filter(|d| d.rule.id == "CONN014").map(|d| d.message.as_str()).collect();
    assert!(messages.contains(&"syntax error in service file \"pg_service.conf\", line 2"), "{messages:?}");
    assert!(messages.contains(&"nested service specifications not supported in service file \"pg_service.conf\", line 3"), "{messages:?}");
    assert!(messages.contains(&"syntax error in service file \"pg_service.conf\", line 4"), "{messages:?}");
    assert_eq!(messages.len(), 5, "{messages:?}");
}
