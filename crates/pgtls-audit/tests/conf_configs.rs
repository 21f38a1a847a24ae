//! Realistic postgresql.conf files, weak and strong, through the whole audit.

use pgtls_audit::checklist::Status;
use pgtls_audit::{audit, AuditOptions, Analysis, InputKind, Inputs, SourceFile};

fn fixture(name: &str) -> Vec<u8> {
    let path = format!("{}/tests/fixtures/conf/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn audit_files(version: u32, files: &[(&str, &str)]) -> (Inputs, Analysis) {
    let mut inputs = Inputs::new();
    for (name, fixture_name) in files {
        inputs.push_detected(*name, fixture(fixture_name));
    }
    let mut options = AuditOptions::new(0);
    options.pg_version = version;
    let analysis = audit(&inputs, &options);
    (inputs, analysis)
}

fn conf_ids(a: &Analysis) -> Vec<&'static str> {
    let mut ids: Vec<&str> = a.diagnostics.iter().map(|d| d.rule.id).filter(|id| id.starts_with("CONF")).collect();
    ids.sort();
    ids.dedup();
    ids
}

#[test]
fn weak_pg12_server() {
    let (inputs, a) = audit_files(12, &[("postgresql.conf", "weak-pg12.conf")]);
    assert_eq!(inputs.files[0].kind, InputKind::PostgresqlConf);
    // TLSv1 by default in 12, a TLSv1.2 ceiling, a passphrase that blocks reloads, md5 by default.
    for id in ["CONF002", "CONF003", "CONF005", "CONF006"] {
        assert!(conf_ids(&a).contains(&id), "{id} missing: {:?}", conf_ids(&a));
    }
    assert!(!conf_ids(&a).contains(&"CONF001") && !conf_ids(&a).contains(&"CONF007"), "{:?}", conf_ids(&a));
    let conf002 = a.diagnostics.iter().find(|d| d.rule.id == "CONF002").unwrap();
    assert!(conf002.message.contains("default TLSv1"), "{}", conf002.message);
    let item1 = a.checklist.iter().find(|e| e.item == 1).unwrap();
    assert_eq!(item1.status, Status::Fail);
    let item5 = a.checklist.iter().find(|e| e.item == 5).unwrap();
    assert_eq!(item5.status, Status::Warn);
}

#[test]
fn weak_pg17_with_a_pasted_pg18_block() {
    let (_, a) = audit_files(17, &[("postgresql.conf", "weak-pg17-copied-from-18.conf")]);
    let ids = conf_ids(&a);
    for id in ["CONF001", "CONF006", "CONF007", "CONF008", "CONF009"] {
        assert!(ids.contains(&id), "{id} missing: {ids:?}");
    }
    let messages: Vec<&str> = a.diagnostics.iter().filter(|d| matches!(d.rule.id, "CONF007" | "CONF008")).map(|d| d.message.as_str()).collect();
    assert_eq!(messages.len(), 5, "{messages:#?}");
    assert!(messages[0].contains("near token \"server.crt\""));
    assert!(messages.iter().any(|m| m.starts_with("ssl_groups is not available in PostgreSQL 17: it exists from PostgreSQL 18")));
    assert!(messages.iter().any(|m| m.starts_with("ssl_tls13_ciphers is not available")));
    assert!(messages.iter().any(|m| m.starts_with("db_user_namespace is not available in PostgreSQL 17: it was removed in PostgreSQL 17")));
    assert!(messages.iter().any(|m| m.contains("\"512mb\"")));
    // The same file on 18: ssl_groups and ssl_tls13_ciphers are fine there.
    let (_, a18) = audit_files(18, &[("postgresql.conf", "weak-pg17-copied-from-18.conf")]);
    let n18 = a18.diagnostics.iter().filter(|d| d.rule.id == "CONF008").count();
    assert_eq!(n18, 1, "only db_user_namespace");
}

#[test]
fn strong_pg16_server_with_include_and_auto_conf() {
    let (inputs, a) = audit_files(
        16,
        &[
            ("/etc/postgresql/16/main/postgresql.conf", "strong-pg16.conf"),
            ("/etc/postgresql/16/main/tls.conf", "tls.conf"),
            ("/var/lib/postgresql/16/main/postgresql.auto.conf", "strong-pg16.auto.conf"),
        ],
    );
    assert_eq!(inputs.files[1].kind, InputKind::PostgresqlConf, "tls.conf recognised by its content");
    assert!(conf_ids(&a).is_empty(), "{:#?}", a.diagnostics.iter().map(|d| (&d.rule.id, &d.message)).collect::<Vec<_>>());
    let conf = &a.model.conf;
    assert_eq!(conf.files.len(), 3);
    assert_eq!(conf.effective("ssl").unwrap().location.file, 1);
    // auto.conf is applied last.
    let min = conf.effective("SSL_MIN_PROTOCOL_VERSION").unwrap();
    assert_eq!((min.value.as_str(), min.location.file), ("TLSv1.3", 2));
    assert_eq!(a.checklist.iter().find(|e| e.item == 1).unwrap().status, Status::Pass);
    // Rotation (item 5) is judged from certificates or a renewing platform, not a config alone.
    assert_eq!(a.checklist.iter().find(|e| e.item == 5).unwrap().status, Status::Unknown);
}

#[test]
fn fixes_make_the_weak_server_pass() {
    // Apply every CONF fix edit of the PG12 file and audit again: nothing left but the
    // passphrase note's companion and the md5 default, which the fixes also set.
    let (inputs, a) = audit_files(12, &[("postgresql.conf", "weak-pg12.conf")]);
    let mut text = inputs.files[0].text.clone();
    let mut edits: Vec<_> = a
        .diagnostics
        .iter()
        .filter(|d| d.rule.id.starts_with("CONF"))
        .filter_map(|d| d.fix.as_ref())
        .flat_map(|f| f.edits.iter())
        .collect();
    edits.sort_by_key(|e| std::cmp::Reverse((e.span.start, e.span.end)));
    for e in edits {
        text.replace_range(e.span.start..e.span.end, &e.replacement);
    }
    let mut inputs = Inputs::new();
    inputs.push(SourceFile::from_text("postgresql.conf", InputKind::PostgresqlConf, text.clone()));
    let mut options = AuditOptions::new(0);
    options.pg_version = 12;
    let again = audit(&inputs, &options);
    assert!(conf_ids(&again).is_empty(), "{text}\n{:?}", conf_ids(&again));
}
