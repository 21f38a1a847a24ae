//! A test CA and server certificate made with the openssl command line at test time.

#![allow(dead_code)]

use std::path::PathBuf;
use std::process::Command;
use std::sync::OnceLock;

pub struct TestCerts {
    pub ca_crt: Vec<u8>,
    pub server_crt: Vec<u8>,
    pub server_key: Vec<u8>,
}

fn openssl(dir: &PathBuf, args: &[&str]) {
    let out = Command::new("openssl").args(args).current_dir(dir).output().expect("openssl runs");
    assert!(out.status.success(), "openssl {args:?}: {}", String::from_utf8_lossy(&out.stderr));
}

/// An RSA CA and a server certificate for localhost and 127.0.0.1 (RSA, so that the server can
/// negotiate the aRSA TLS 1.2 suites the probe enumerates).
pub fn certs() -> &'static TestCerts {
    static CERTS: OnceLock<TestCerts> = OnceLock::new();
    CERTS.get_or_init(|| {
        let dir = std::env::temp_dir().join(format!("pgtls-probe-certs-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        openssl(&dir, &["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "ca.key", "-out", "ca.crt", "-days", "90", "-subj", "/CN=pgtls test CA"]);
        openssl(&dir, &["req", "-newkey", "rsa:2048", "-nodes", "-keyout", "server.key", "-out", "server.csr", "-subj", "/CN=localhost"]);
        std::fs::write(dir.join("ext.cnf"), "subjectAltName=DNS:localhost,IP:127.0.0.1\n").unwrap();
        openssl(&dir, &["x509", "-req", "-in", "server.csr", "-CA", "ca.crt", "-CAkey", "ca.key", "-CAcreateserial", "-out", "server.crt", "-days", "60", "-extfile", "ext.cnf"]);
        let read = |n: &str| std::fs::read(dir.join(n)).unwrap();
        let certs = TestCerts { ca_crt: read("ca.crt"), server_crt: read("server.crt"), server_key: read("server.key") };
        let _ = std::fs::remove_dir_all(&dir);
        certs
    })
}

/// A server with SSL on and the test certificate, plus `conf` lines and `hba`.
pub fn ssl_server(conf: &[&str], hba: &str) -> pgtls_testpg::TestPg {
    let c = certs();
    let mut b = pgtls_testpg::TestPg::builder()
        .file("server.crt", c.server_crt.clone(), 0o644)
        .file("server.key", c.server_key.clone(), 0o600)
        .file("ca.crt", c.ca_crt.clone(), 0o644)
        .conf("ssl_cert_file = 'server.crt'")
        .conf("ssl_key_file = 'server.key'")
        .hba(hba);
    for line in conf {
        b = b.conf(*line);
    }
    b.start().expect("the test server starts")
}
