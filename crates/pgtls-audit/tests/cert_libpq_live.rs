//! Differential test against the real libpq: a PostgreSQL server presents generated
//! certificates, psql connects with sslmode=verify-full to many host names, and the engine must
//! give libpq's verdict and libpq's message for every pair.
#![cfg(not(target_arch = "wasm32"))]

use std::path::{Path, PathBuf};
use std::process::Command;

use pgtls_audit::cert::libpq_verify;
use pgtls_testpg::TestPg;

fn ossl(dir: &Path, args: &[&str]) {
    let out = Command::new("openssl").args(args).current_dir(dir).output().unwrap();
    assert!(out.status.success(), "openssl {args:?}: {}", String::from_utf8_lossy(&out.stderr));
}

fn libpq_major(psql: &Path) -> u32 {
    let out = Command::new(psql).arg("--version").output().unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    text.split_whitespace().nth(2).and_then(|v| v.split('.').next()).and_then(|v| v.parse().ok()).unwrap_or(15)
}

/// psql's verdict: Ok, or the libpq message after "failed: ".
fn connect(psql: &Path, port: u16, host: &str, root: &Path) -> Result<(), String> {
    let conninfo = format!(
        "dbname=postgres user=postgres host='{host}' hostaddr=127.0.0.1 port={port} sslmode=verify-full sslrootcert={} sslcert=invalid sslkey=invalid sslcrl=invalid sslcrldir=invalid",
        root.display()
    );
    let out = Command::new(psql)
        .args(["-X", "-A", "-t", "-c", "select 1", &conninfo])
        .env("PGCONNECT_TIMEOUT", "10")
        .output()
        .unwrap();
    if out.status.success() {
        return Ok(());
    }
    let err = String::from_utf8_lossy(&out.stderr).into_owned();
    Err(err.split_once("failed: ").map_or(err.clone(), |(_, m)| m.trim().to_string()))
}

#[test]
fn engine_matches_libpq_for_every_host_and_certificate() {
    let Some(bin) = pgtls_testpg::bin_dir() else {
        eprintln!("no PostgreSQL installed: skipped");
        return;
    };
    let psql = bin.join("psql");
    let version = libpq_major(&psql);
    let dir: PathBuf = std::env::temp_dir().join(format!("pgtls-live-cert-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("ca.cnf"), "[req]\ndistinguished_name=dn\n[dn]\n[ca]\nbasicConstraints=critical,CA:TRUE\nkeyUsage=critical,keyCertSign,cRLSign\nsubjectKeyIdentifier=hash\nauthorityKeyIdentifier=keyid\n").unwrap();
    ossl(&dir, &["req", "-new", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout", "root.key", "-out", "root.crt", "-subj", "/CN=live root", "-days", "30", "-config", "ca.cnf", "-extensions", "ca"]);
    ossl(&dir, &["req", "-new", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout", "inter.key", "-out", "inter.csr", "-subj", "/CN=live intermediate"]);
    ossl(&dir, &["x509", "-req", "-in", "inter.csr", "-CA", "root.crt", "-CAkey", "root.key", "-days", "20", "-extfile", "ca.cnf", "-extensions", "ca", "-out", "inter.crt"]);

    // (subject, subjectAltName or "")
    let variants = [
        ("/CN=db.test", ""),
        ("/CN=db.test", "DNS:other.test"),
        ("/O=pgtls", "DNS:*.wild.test,DNS:db.test"),
        ("/O=pgtls", "DNS:f*.wild.test"),
        ("/CN=192.0.2.1", ""),
        ("/CN=db.test", "IP:192.0.2.1,IP:2001:db8::1"),
        ("/CN=192.0.2.1", "DNS:db.test,DNS:other.test"),
        ("/O=pgtls", "DNS:192.0.2.1"),
        ("/CN=*.wild.test", ""),
        ("/O=pgtls", ""),
    ];
    let hosts = [
        "db.test", "DB.Test", "other.test", "a.wild.test", "b.a.wild.test", "wild.test", "foo.wild.test",
        "192.0.2.1", "192.000.002.001", "192.0.2.2", "2001:db8::1", "2001:DB8:0:0::1", "::1", "127.0.0.1",
    ];
    let mut pg: Option<TestPg> = None;
    let mut compared = 0;
    for (n, (subject, san)) in variants.iter().enumerate() {
        let leaf = format!("leaf{n}");
        let mut ext = String::from("[req]\ndistinguished_name=dn\n[dn]\n[leaf]\nbasicConstraints=CA:FALSE\n");
        if !san.is_empty() {
            ext.push_str(&format!("subjectAltName={san}\n"));
        }
        std::fs::write(dir.join(format!("{leaf}.cnf")), ext).unwrap();
        ossl(&dir, &["req", "-new", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout", &format!("{leaf}.key"), "-out", &format!("{leaf}.csr"), "-subj", subject]);
        ossl(&dir, &["x509", "-req", "-in", &format!("{leaf}.csr"), "-CA", "inter.crt", "-CAkey", "inter.key", "-days", "10", "-extfile", &format!("{leaf}.cnf"), "-extensions", "leaf", "-out", &format!("{leaf}.crt")]);
        let mut chain = std::fs::read(dir.join(format!("{leaf}.crt"))).unwrap();
        chain.extend(std::fs::read(dir.join("inter.crt")).unwrap());
        let key = std::fs::read(dir.join(format!("{leaf}.key"))).unwrap();
        match &pg {
            None => {
                let started = TestPg::builder()
                    .conf("ssl = on")
                    .file("server.crt", chain.clone(), 0o644)
                    .file("server.key", key, 0o600)
                    .hba("hostssl all all 127.0.0.1/32 trust")
                    .start();
                match started {
                    Ok(p) => pg = Some(p),
                    Err(e) => {
                        eprintln!("could not start PostgreSQL ({e}): skipped");
                        return;
                    }
                }
            }
            Some(p) => {
                p.write_file("server.crt", &chain, 0o644).unwrap();
                p.write_file("server.key", &key, 0o600).unwrap();
                p.restart().unwrap();
            }
        }
        let port = pg.as_ref().unwrap().port();
        let root = std::fs::read(dir.join("root.crt")).unwrap();
        let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_secs() as i64;
        for host in hosts {
            let libpq = connect(&psql, port, host, &dir.join("root.crt"));
            let ours = libpq_verify(&chain, &root, None, Some(host), version, now);
            assert_eq!(ours, libpq, "certificate {subject} {san}, host {host}");
            compared += 1;
        }
        if n == 0 {
            // The intermediate as the only root: libpq needs the root itself.
            let libpq = connect(&psql, port, "db.test", &dir.join("inter.crt"));
            let ours = libpq_verify(&chain, &std::fs::read(dir.join("inter.crt")).unwrap(), None, Some("db.test"), version, now);
            let libpq = libpq.unwrap_err();
            assert!(libpq.contains("certificate verify failed"), "{libpq}");
            assert!(ours.unwrap_err().starts_with("SSL error: certificate verify failed"));
        }
    }
    eprintln!("compared {compared} host/certificate pairs with libpq {version}");
    let _ = std::fs::remove_dir_all(&dir);
}
