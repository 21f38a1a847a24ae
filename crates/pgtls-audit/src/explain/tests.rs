//! Every message family, with messages as libpq 15/psql and PostgreSQL print them (those marked
//! "captured" were captured from psql 15 against a PostgreSQL 15 server; the others are built
//! from the format strings in postgres-facts §8 for other versions).

use super::*;
use crate::source::SourceFile;

fn options(pg_version: u32) -> AuditOptions {
    let mut o = AuditOptions::new(0);
    o.pg_version = pg_version;
    o
}

fn ids(message: &str) -> Vec<&'static str> {
    explain_message(message, &options(16)).iter().map(|e| e.id).collect()
}

fn one(message: &str) -> Explanation {
    let mut all = explain_message(message, &options(16));
    assert_eq!(all.len(), 1, "{message}: {:?}", all.iter().map(|e| e.id).collect::<Vec<_>>());
    all.remove(0)
}

#[test]
fn every_catalog_pattern_compiles_and_ids_are_unique() {
    assert_eq!(compiled().len(), CATALOG.len());
    let mut seen = std::collections::BTreeSet::new();
    for e in CATALOG {
        assert!(seen.insert(e.id), "{}", e.id);
        assert!(!e.causes.is_empty() && !e.fix.is_empty(), "{}", e.id);
    }
}

#[test]
fn hostname_mismatch_pulls_out_both_names() {
    let e = one(r#"psql: error: connection to server at "127.0.0.1", port 5432 failed: server certificate for "common-name.pg-ssltest.test" does not match host name "wronghost.test""#);
    assert_eq!(e.id, "hostname-mismatch");
    assert_eq!(e.captures["cert_name"], "common-name.pg-ssltest.test");
    assert_eq!(e.captures["host"], "wronghost.test");
    assert!(e.meaning.contains("names \"common-name.pg-ssltest.test\", and none of them is \"wronghost.test\""), "{}", e.meaning);
    let e = one(r#"server certificate for "dns1.alt-name.pg-ssltest.test" (and 2 other names) does not match host name "wronghost.alt-name.pg-ssltest.test""#);
    assert_eq!(e.captures["others"], "2");
    assert!(e.meaning.contains("and 2 other names"));
    let e = one(r#"server certificate for "192.0.2.1" (and 1 other name) does not match host name "192.0.2.2""#);
    assert!(e.meaning.contains("and 1 other name,"));
}

#[test]
fn no_hba_entry_in_both_versions_wording() {
    let e = one(r#"FATAL:  no pg_hba.conf entry for host "10.0.0.5", user "app", database "appdb", no encryption"#);
    assert_eq!((e.captures["host"].as_str(), e.captures["user"].as_str(), e.captures["database"].as_str()), ("10.0.0.5", "app", "appdb"));
    assert_eq!(e.version_hint.as_deref(), Some("written by a PostgreSQL 14 or later server"));
    assert!(e.fix.iter().any(|f| f.contains("hostssl appdb app 10.0.0.5/32 scram-sha-256")));
    assert!(e.causes[0].contains("connected without SSL"));
    assert!(!e.causes.iter().any(|c| c.contains("connected with SSL")));
    let e = one(r#"FATAL:  no pg_hba.conf entry for host "10.0.0.5", user "app", database "appdb", SSL off"#);
    assert_eq!(e.captures["encryption"], "SSL off");
    assert!(e.version_hint.unwrap().contains("12 or 13"));
    let e = one(r#"FATAL:  no pg_hba.conf entry for replication connection from host "10.0.0.7", user "replicator", SSL encryption"#);
    assert_eq!(e.id, "no-hba-entry-replication");
    assert_eq!(ids(r#"FATAL:  pg_hba.conf rejects connection for host "10.1.1.1", user "u", database "d", no encryption"#), ["hba-reject"]);
}

#[test]
fn root_certificate_in_both_versions_wording() {
    // libpq 15 (captured form).
    let e = one("connection to server at \"127.0.0.1\", port 5432 failed: root certificate file \"/nonexistent/root.crt\" does not exist\nEither provide the file or change sslmode to disable server certificate verification.");
    assert_eq!(e.captures["file"], "/nonexistent/root.crt");
    assert_eq!(e.version_hint.as_deref(), Some("written by libpq 15 or older"));
    let e = one("root certificate file \"/home/u/.postgresql/root.crt\" does not exist\nEither provide the file, use the system's trusted roots with sslrootcert=system, or change sslmode to disable server certificate verification.");
    assert_eq!(e.version_hint.as_deref(), Some("written by libpq 16 or later"));
}

#[test]
fn protocol_version_with_and_without_the_range_hint() {
    let e = one("connection to server at \"db\" (10.0.0.1), port 5432 failed: SSL error: tlsv1 alert protocol version\nThis may indicate that the server does not support any SSL protocol version between TLSv1 and TLSv1.1.");
    assert_eq!(e.id, "protocol-version");
    assert_eq!(e.captures["min"], "TLSv1");
    assert_eq!(e.captures["max"], "TLSv1.1");
    assert!(e.version_hint.unwrap().contains("14 or later"));
    assert_eq!(ids("SSL error: unsupported protocol"), ["protocol-version"]);
    assert_eq!(ids("SSL error: wrong version number"), ["protocol-version"]);
}

#[test]
fn every_family_is_recognised() {
    let cases: &[(&str, &str)] = &[
        ("could not get server's host name from server certificate", "no-name-in-certificate"),
        ("host name must be specified for a verified SSL connection", "host-name-required"),
        ("could not read root certificate file \"root.crt\": no certificate or crl found", "root-cert-unreadable"),
        ("SSL error: certificate verify failed", "certificate-verify-failed"),
        ("SSL error: tlsv1 alert unknown ca", "unknown-ca"),
        ("SSL error: sslv3 alert certificate revoked", "certificate-revoked"),
        ("SSL error: sslv3 alert handshake failure", "handshake-failure"),
        ("server does not support SSL, but SSL was required", "server-without-ssl"),
        (r#"weak sslmode "verify-ca" may not be used with sslrootcert=system (use "verify-full")"#, "weak-sslmode-system"),
        (r#"weak sslmode "prefer" may not be used with sslnegotiation=direct (use "require", "verify-ca", or "verify-full")"#, "weak-sslmode-direct"),
        ("channel binding required, but SSL not in use", "channel-binding-no-ssl"),
        ("channel binding is required, but server did not offer an authentication method that supports channel binding", "channel-binding-unsupported"),
        ("channel binding required but not supported by server's authentication request", "channel-binding-unsupported"),
        ("channel binding required, but server authenticated client without channel binding", "channel-binding-not-used"),
        (r#"private key file "/home/u/.postgresql/postgresql.key" has group or world access; file must have permissions u=rw (0600) or less if owned by the current user, or permissions u=rw,g=r (0640) or less if owned by root"#, "key-permissions"),
        (r#"FATAL:  private key file "server.key" must be owned by the database user or root"#, "key-permissions"),
        (r#"certificate present, but not private key file "/home/u/.postgresql/postgresql.key""#, "certificate-without-key"),
        (r#"private key file "ssl/client-encrypted-pem.key": bad decrypt"#, "key-bad-decrypt"),
        ("FATAL:  connection requires a valid client certificate", "client-cert-required"),
        (r#"FATAL:  certificate authentication failed for user "anotheruser""#, "certificate-auth-failed"),
        (r#"FATAL:  "trust" authentication failed for user "anotheruser""#, "certificate-auth-failed"),
        (r#"FATAL:  password authentication failed for user "app""#, "password-auth-failed"),
        ("FATAL:  client certificates can only be checked if a root certificate store is available", "no-root-store"),
        ("server accepted connection without a valid SSL certificate", "sslcertmode-require"),
        ("FATAL:  could not set the cipher list (no valid ciphers available)", "cipher-list"),
        ("FATAL:  could not set the TLSv1.3 cipher suites (no valid ciphers available)", "cipher-list"),
        ("FATAL:  ECDH: unrecognized curve name: secp256r1", "groups"),
        ("LOG:  hostssl record cannot match because SSL is disabled", "hostssl-without-ssl"),
        (r#"invalid sslmode value: "verify_full""#, "invalid-client-value"),
        (r#"invalid "ssl_min_protocol_version" value: "incorrect_tls""#, "invalid-client-value"),
        ("invalid SSL protocol version range", "protocol-range"),
        ("direct SSL connection was established without ALPN protocol negotiation extension", "alpn"),
        ("received unencrypted data after SSL response", "unencrypted-after-ssl"),
        ("server sent an error response during SSL exchange", "error-during-ssl-exchange"),
        (r#"FATAL:  could not load server certificate file "server.crt": No such file or directory"#, "server-files"),
        ("FATAL:  check of private key failed: key values mismatch", "server-files"),
        ("LOG:  invalid length of startup packet", "invalid-startup-packet"),
        (r#"authentication method requirement "scram-sha-256" failed: server requested a cleartext password"#, "require-auth"),
        ("LOG:  SSL configuration was not reloaded", "ssl-not-reloaded"),
        ("SSL SYSCALL error: EOF detected", "ssl-connection-closed"),
    ];
    for (message, id) in cases {
        assert_eq!(ids(message), [*id], "{message}");
        assert_eq!(sniff(message), Some(InputKind::ErrorMessage), "{message}");
    }
    assert!(explain_message("everything is fine", &options(16)).is_empty());
    assert_eq!(sniff("ssl = on\n"), None);
}

#[test]
fn a_pasted_session_yields_each_message_in_order() {
    let session = "psql: error: connection to server at \"db\" (10.0.0.1), port 5432 failed: FATAL:  no pg_hba.conf entry for host \"10.0.0.9\", user \"app\", database \"app\", no encryption\nconnection to server at \"db\" (10.0.0.1), port 5432 failed: server does not support SSL, but SSL was required";
    assert_eq!(ids(session), ["no-hba-entry", "server-without-ssl"]);
}

fn inputs(files: &[(&str, InputKind, &str)]) -> Inputs {
    let mut i = Inputs::new();
    for (n, k, t) in files {
        i.push(SourceFile::from_text(*n, *k, *t));
    }
    i
}

#[test]
fn points_at_the_hostssl_line_and_the_clients_sslmode() {
    let hba = "# TYPE DATABASE USER ADDRESS METHOD\nlocal all all peer\nhostssl all app 10.0.0.0/8 scram-sha-256\nhost all all 192.168.0.0/16 scram-sha-256\n";
    let conn = "host=db.example.com dbname=app user=app sslmode=prefer\n";
    let inputs = inputs(&[("pg_hba.conf", InputKind::PgHba, hba), ("conn.txt", InputKind::Conninfo, conn)]);
    let o = options(16);
    let model = Model::build(&inputs, &o);
    let e = explain(r#"FATAL:  no pg_hba.conf entry for host "10.0.0.5", user "app", database "appdb", no encryption"#, &inputs, &model, &o);
    let p = &e[0].pointers;
    assert_eq!(p.len(), 2, "{p:?}");
    assert_eq!((p[0].file.as_str(), p[0].line), ("pg_hba.conf", 3));
    assert!(p[0].note.contains("over SSL would match this line, method scram-sha-256"), "{}", p[0].note);
    assert_eq!((p[1].file.as_str(), p[1].line), ("conn.txt", 1));
    // A client the file does not cover at all.
    let e = explain(r#"no pg_hba.conf entry for host "172.16.0.1", user "bob", database "x", SSL encryption"#, &inputs, &model, &o);
    assert_eq!(e[0].pointers.len(), 1);
    assert!(e[0].pointers[0].note.contains("no line in this file lets"), "{:?}", e[0].pointers);
}

#[test]
fn points_at_the_servers_settings() {
    let conf = "ssl = off\nssl_max_protocol_version = 'TLSv1.2'\nssl_ciphers = 'MEDIUM'\n";
    let inputs = inputs(&[("postgresql.conf", InputKind::PostgresqlConf, conf)]);
    let o = options(16);
    let model = Model::build(&inputs, &o);
    let e = explain("server does not support SSL, but SSL was required", &inputs, &model, &o);
    assert_eq!(e[0].pointers[0].line, 1);
    assert!(e[0].pointers[0].note.contains("ssl is off"));
    let e = explain("SSL error: tlsv1 alert protocol version", &inputs, &model, &o);
    assert!(e[0].pointers.iter().any(|p| p.line == 2 && p.note.contains("up to TLSv1.2")), "{:?}", e[0].pointers);
    let e = explain("FATAL:  could not set the cipher list (no valid ciphers available)", &inputs, &model, &o);
    assert!(e[0].pointers[0].note.contains("enables no cipher suite"), "{:?}", e[0].pointers);
}

#[test]
fn replays_rejects_and_stale_files_through_the_simulator() {
    let hba = "hostnossl all all 0.0.0.0/0 reject\nhostssl all all 0.0.0.0/0 scram-sha-256\n";
    let inputs = inputs(&[("pg_hba.conf", InputKind::PgHba, hba)]);
    let o = options(16);
    let model = Model::build(&inputs, &o);
    let e = explain(r#"FATAL:  pg_hba.conf rejects connection for host "10.2.3.4", user "app", database "app", no encryption"#, &inputs, &model, &o);
    assert_eq!(e[0].pointers[0].line, 1, "{:?}", e[0].pointers);
    assert!(e[0].pointers[0].note.contains("rejects"));
    // The message says no line matched, but in the given file one does: a stale server.
    let e = explain(r#"FATAL:  no pg_hba.conf entry for host "10.2.3.4", user "app", database "app", SSL encryption"#, &inputs, &model, &o);
    assert_eq!(e[0].pointers[0].line, 2);
    assert!(e[0].pointers[0].note.contains("not reloaded"), "{:?}", e[0].pointers);
    // A host name cannot be replayed: the light reading still points somewhere useful.
    let e = explain(r#"FATAL:  no pg_hba.conf entry for host "client.example.com", user "app", database "app", no encryption"#, &inputs, &model, &o);
    assert_eq!(e[0].pointers[0].line, 2, "{:?}", e[0].pointers);
}
