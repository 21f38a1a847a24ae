//! Roles from the context: postgresql.conf's ssl_* settings and a client's sslrootcert decide
//! what a given file is. These checks need the conf and client areas' models; until those
//! areas are in the build, the audit has no context and each test says so and stops.

use pgtls_audit::{audit, AuditOptions, Inputs};

const NOW: i64 = 1_780_272_000; // 2026-06-01

fn fixture(n: &str) -> Vec<u8> {
    std::fs::read(format!("{}/tests/fixtures/cert/pg-ssl/{n}", env!("CARGO_MANIFEST_DIR"))).unwrap()
}

fn ids(a: &pgtls_audit::Analysis) -> Vec<&'static str> {
    a.diagnostics.iter().map(|d| d.rule.id).collect()
}

#[test]
fn ssl_cert_file_is_what_the_server_sends() {
    let mut inputs = Inputs::new();
    inputs.push_detected("postgresql.conf", "ssl = on\nssl_cert_file = '/etc/pg/server-cn-only.crt'\n");
    inputs.push_detected("server-cn-only.crt", fixture("server-cn-only.crt"));
    inputs.push_detected("server_ca.crt", fixture("server_ca.crt"));
    inputs.push_detected("root_ca.crt", fixture("root_ca.crt"));
    let a = audit(&inputs, &AuditOptions::new(NOW));
    if !a.model.conf.is_present() {
        eprintln!("the conf area is not in this build: no context to test");
        return;
    }
    let leaf = &a.model.certs.certs[0];
    assert_eq!(leaf.role_source, "ssl_cert_file");
    // The intermediate is given, but not in ssl_cert_file: the server never sends it.
    let d = a.diagnostics.iter().find(|d| d.rule.id == "CERT008").expect("CERT008");
    assert!(d.message.contains("never sent"), "{}", d.message);
}

#[test]
fn without_context_every_given_intermediate_is_used() {
    let mut inputs = Inputs::new();
    inputs.push_detected("server-cn-only.crt", fixture("server-cn-only.crt"));
    inputs.push_detected("server_ca.crt", fixture("server_ca.crt"));
    inputs.push_detected("root_ca.crt", fixture("root_ca.crt"));
    let a = audit(&inputs, &AuditOptions::new(NOW));
    assert!(!ids(&a).contains(&"CERT008"), "{:?}", a.diagnostics);
    assert_eq!(a.model.certs.certs[0].role_source, "certificate");
}

#[test]
fn passphrase_command_settings() {
    let dir = std::env::temp_dir().join(format!("pgtls-ctx-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let run = |args: &[&str]| assert!(std::process::Command::new("openssl").args(args).current_dir(&dir).status().unwrap().success());
    run(&["req", "-new", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-subj", "/CN=db", "-keyout", "plain.key", "-out", "server.crt", "-days", "10"]);
    run(&["pkey", "-in", "plain.key", "-aes256", "-passout", "pass:x", "-out", "server.key"]);
    let audit_with = |conf: &str| {
        let mut inputs = Inputs::new();
        inputs.push_detected("postgresql.conf", conf.to_string());
        inputs.push_detected("server.crt", std::fs::read(dir.join("server.crt")).unwrap());
        inputs.push_detected("server.key", std::fs::read(dir.join("server.key")).unwrap());
        audit(&inputs, &AuditOptions::new(NOW))
    };
    let a = audit_with("ssl = on\n");
    assert!(ids(&a).contains(&"CERT010"));
    if !a.model.conf.is_present() {
        eprintln!("the conf area is not in this build: no context to test");
        let _ = std::fs::remove_dir_all(&dir);
        return;
    }
    // ssl_key_file defaults to server.key, so the key is the server's by context.
    assert!(a.model.certs.keys[0].server_key);
    let a = audit_with("ssl = on\nssl_passphrase_command = 'cat /run/pass'\n");
    let d = a.diagnostics.iter().find(|d| d.rule.id == "CERT010").expect("CERT010 without reload");
    assert!(d.message.contains("supports_reload is off"), "{}", d.message);
    let a = audit_with("ssl = on\nssl_passphrase_command = 'cat /run/pass'\nssl_passphrase_command_supports_reload = on\n");
    assert!(!ids(&a).contains(&"CERT010"), "{:?}", a.diagnostics);
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn sslrootcert_is_the_only_trusted_file() {
    let mut inputs = Inputs::new();
    inputs.push_detected("conn.txt", "host=common-name.pg-ssltest.test sslmode=verify-full sslrootcert=server_ca.crt\n");
    inputs.push_detected("server-cn-only+server_ca.crt", fixture("server-cn-only+server_ca.crt"));
    inputs.push_detected("server_ca.crt", fixture("server_ca.crt"));
    inputs.push_detected("root_ca.crt", fixture("root_ca.crt"));
    let a = audit(&inputs, &AuditOptions::new(NOW));
    if a.model.clients.root_cert_references().is_empty() {
        eprintln!("the client area is not in this build: no context to test");
        return;
    }
    // root_ca.crt is given but is not the client's sslrootcert, which stops at the intermediate.
    let d = a.diagnostics.iter().find(|d| d.rule.id == "CERT008").expect("CERT008");
    // Without ssl_cert_file the server may send any given certificate, so the chain may reach
    // the root through the untrusted pool; either way the root is not trusted.
    assert!(d.message.contains("libpq needs the root") || d.message.contains("is not in the trusted root file"), "{}", d.message);
    // The same files without the client's sslrootcert verify: root_ca.crt is then trusted.
    let mut inputs = Inputs::new();
    inputs.push_detected("server-cn-only+server_ca.crt", fixture("server-cn-only+server_ca.crt"));
    inputs.push_detected("root_ca.crt", fixture("root_ca.crt"));
    assert!(!ids(&audit(&inputs, &AuditOptions::new(NOW))).contains(&"CERT008"));
}
