//! The generated self-managed set works for real: its script makes the certificates, a
//! PostgreSQL server starts with its postgresql.conf and pg_hba.conf, and psql connects with its
//! libpq string at verify-full.

use std::process::Command;

use pgtls_testpg::TestPg;

fn pgtls() -> Command {
    Command::new(env!("CARGO_BIN_EXE_pgtls"))
}

#[test]
fn generated_set_serves_verify_full_connections() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("set");
    let status = pgtls()
        .args(["generate", "--pg-version", "15", "--host", "localhost", "--ip", "127.0.0.1", "--out"])
        .arg(&out)
        .status()
        .unwrap();
    assert!(status.success());
    let script = Command::new("sh").arg(out.join("make-certs.sh")).output().unwrap();
    assert!(script.status.success(), "make-certs.sh failed: {}", String::from_utf8_lossy(&script.stderr));

    let read = |name: &str| std::fs::read(out.join(name)).unwrap();
    let pg = TestPg::builder()
        .file("tls.conf", read("postgresql.conf"), 0o644)
        .file("server.crt", read("server.crt"), 0o644)
        .file("server.key", read("server.key"), 0o600)
        // The generated block listens everywhere; the test server stays on loopback.
        .conf("include 'tls.conf'")
        .conf("listen_addresses = '127.0.0.1'")
        .hba(String::from_utf8(read("pg_hba.conf")).unwrap())
        .start()
        .unwrap_or_else(|e| panic!("server did not start with the generated set: {e}"));
    pg.query("CREATE ROLE app LOGIN PASSWORD 'generated-set-test'", "|").unwrap();

    let clients = String::from_utf8(read("clients.txt")).unwrap();
    let libpq = clients
        .lines()
        .find(|l| l.starts_with("host="))
        .expect("clients.txt has a libpq string")
        .replace("port=5432", &format!("port={}", pg.port()))
        .replace("sslrootcert=root.crt", &format!("sslrootcert={}", out.join("root.crt").display()));
    assert!(libpq.contains("sslmode=verify-full"));
    let psql = Command::new("psql")
        .args(["-X", "-A", "-t", "-c", "SELECT ssl, version FROM pg_stat_ssl WHERE pid = pg_backend_pid()"])
        .arg(&libpq)
        .env("PGPASSWORD", "generated-set-test")
        .env_remove("PGSSLMODE")
        .output()
        .unwrap();
    assert!(
        psql.status.success(),
        "psql failed: {}\nserver log:\n{}",
        String::from_utf8_lossy(&psql.stderr),
        pg.log()
    );
    let row = String::from_utf8_lossy(&psql.stdout);
    assert!(row.starts_with("t|TLSv1."), "not a TLS connection: {row}");

    // And plaintext is refused with the explicit reject.
    let plain = Command::new("psql")
        .args(["-X", "-c", "SELECT 1"])
        .arg(format!("host=127.0.0.1 port={} dbname=postgres user=app sslmode=disable", pg.port()))
        .env("PGPASSWORD", "generated-set-test")
        .output()
        .unwrap();
    assert!(!plain.status.success());
    assert!(String::from_utf8_lossy(&plain.stderr).contains("pg_hba.conf rejects connection"));
}
