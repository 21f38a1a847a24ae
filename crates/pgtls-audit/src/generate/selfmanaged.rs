//! The set for a server you configure yourself: postgresql.conf block, pg_hba.conf, a script
//! that makes a private CA and the server certificate, client strings, and the steps.

use super::{clients, GeneratedFile, Request, ROOT_CA_DAYS, SERVER_CERT_DAYS, TLS12_CIPHERS};

/// The TLS block to include from postgresql.conf. Every ssl_* parameter is sighup, so a reload
/// applies it; listen_addresses is the one postmaster parameter and needs a restart.
pub fn postgresql_conf(req: &Request) -> String {
    let v = req.pg_version;
    let mut out = format!(
        "# TLS for PostgreSQL {v}: include this file from postgresql.conf\n\
         # (include 'tls.conf') or paste it at the end. Reload to apply the ssl settings:\n\
         #   SELECT pg_reload_conf();\n\
         # listen_addresses needs a restart.\n\n\
         listen_addresses = '*'\n\
         ssl = on\n\
         ssl_cert_file = 'server.crt'\n\
         ssl_key_file = 'server.key'\n\
         ssl_min_protocol_version = 'TLSv1.2'\n"
    );
    if v >= 18 {
        out.push_str(&format!("# TLS 1.2 suites; TLS 1.3 suites come from ssl_tls13_ciphers.\nssl_ciphers = '{TLS12_CIPHERS}'\n"));
    } else {
        out.push_str(&format!("ssl_ciphers = '{TLS12_CIPHERS}'\n"));
    }
    out.push_str("ssl_prefer_server_ciphers = on\npassword_encryption = 'scram-sha-256'\n");
    out
}

/// pg_hba.conf: local peer, SSL with SCRAM for every remote address of both families, and
/// explicit rejects for the same addresses without SSL so clients get a clear error.
pub fn pg_hba_conf(_req: &Request) -> String {
    "# TYPE     DATABASE     USER  ADDRESS      METHOD\n\
     # Unix-socket connections: the operating-system user must match the role.\n\
     local      all          all                peer\n\
     # Without SSL nothing gets in over TCP, over either address family.\n\
     hostnossl  all          all   0.0.0.0/0    reject\n\
     hostnossl  all          all   ::/0         reject\n\
     hostnossl  replication  all   0.0.0.0/0    reject\n\
     hostnossl  replication  all   ::/0         reject\n\
     # With SSL, a SCRAM password (narrow these addresses to your networks).\n\
     hostssl    all          all   0.0.0.0/0    scram-sha-256\n\
     hostssl    all          all   ::/0         scram-sha-256\n\
     hostssl    replication  all   0.0.0.0/0    scram-sha-256\n\
     hostssl    replication  all   ::/0         scram-sha-256\n"
        .to_string()
}

fn subject_alt_names(req: &Request) -> String {
    req.hosts
        .iter()
        .map(|h| format!("DNS:{h}"))
        .chain(req.ips.iter().map(|ip| format!("IP:{ip}")))
        .collect::<Vec<_>>()
        .join(",")
}

/// make-certs.sh: a private root CA and a server certificate signed by it, written beside the
/// script. EC P-256 keys: small, fast, and accepted by every current client.
pub fn make_certs_sh(req: &Request) -> String {
    let cn = req.hosts.first().or(req.ips.first()).cloned().unwrap_or_default();
    let san = subject_alt_names(req);
    format!(
        r#"#!/bin/sh
# Creates, beside this script:
#   root.crt / root.key      a private root CA (keep root.key offline; give root.crt to clients)
#   server.crt / server.key  the server certificate ({SERVER_CERT_DAYS} days) for: {san}
# Run it again to rotate the server certificate; the CA is kept if it exists.
set -eu
cd "$(dirname "$0")"
umask 077

if [ ! -f root.key ]; then
  openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out root.key
  openssl req -new -x509 -sha256 -days {ROOT_CA_DAYS} -key root.key -out root.crt \
    -subj "/CN=PostgreSQL private root CA" \
    -addext "basicConstraints=critical,CA:TRUE" \
    -addext "keyUsage=critical,keyCertSign,cRLSign" \
    -addext "subjectKeyIdentifier=hash"
fi

openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out server.key
openssl req -new -sha256 -key server.key -out server.csr -subj "/CN={cn}"
cat > server.ext <<EXT
basicConstraints=critical,CA:FALSE
keyUsage=critical,digitalSignature
extendedKeyUsage=serverAuth
subjectAltName={san}
subjectKeyIdentifier=hash
authorityKeyIdentifier=keyid
EXT
openssl x509 -req -sha256 -days {SERVER_CERT_DAYS} -in server.csr -CA root.crt -CAkey root.key \
  -CAcreateserial -extfile server.ext -out server.crt
rm -f server.csr server.ext
chmod 600 server.key root.key
chmod 644 server.crt root.crt
openssl verify -CAfile root.crt server.crt
"#
    )
}

fn readme(req: &Request) -> String {
    let v = req.pg_version;
    let host = req.client_host();
    format!(
        r#"# Verified TLS for PostgreSQL {v}

Files in this folder, in the order you use them:

1. `make-certs.sh` creates a private root CA (`root.crt`, `root.key`) and a server certificate
   (`server.crt`, `server.key`, {SERVER_CERT_DAYS} days) for the names clients use. Run it:
   `sh make-certs.sh`. Keep `root.key` somewhere safe and offline.
2. Copy `server.crt` and `server.key` into the data directory (or point `ssl_cert_file` and
   `ssl_key_file` at them). The key must be owned by the database user with mode 0600 (or by
   root with mode 0640), or the server refuses it.
3. `postgresql.conf` here is the TLS block: include it from your postgresql.conf
   (`include 'tls.conf'` after copying it there as tls.conf) or paste it at the end.
4. Replace `pg_hba.conf` with the one here, after narrowing `0.0.0.0/0` and `::/0` to the
   networks your clients are in. It requires SSL for every TCP connection of both address
   families and rejects the rest explicitly.
5. Apply: every ssl_* setting and pg_hba.conf take effect on a reload:
   `SELECT pg_reload_conf();` (or `pg_ctl reload`). `listen_addresses` needs a restart, once.
6. Give `root.crt` to every client and use the strings in `clients.txt`: each connects to
   `{host}` at sslmode=verify-full, which checks both the chain and the host name.
7. Rotation: run `make-certs.sh` again before the server certificate expires (it keeps the CA),
   copy the new pair in, and reload. Automate it (a timer every 60 days) and monitor expiry:
   `pgtls check {host}:{port} --format openmetrics` into a node_exporter textfile directory
   alerts 30 days ahead.

Check the result with `pgtls audit postgresql.conf pg_hba.conf server.crt root.crt --conn '...'`
and live with `pgtls check {host}:{port} --root root.crt`.
"#,
        port = req.port
    )
}

pub fn files(req: &Request) -> Vec<GeneratedFile> {
    vec![
        GeneratedFile::text("README.md", readme(req)),
        GeneratedFile::text("postgresql.conf", postgresql_conf(req)),
        GeneratedFile::text("pg_hba.conf", pg_hba_conf(req)),
        GeneratedFile::script("make-certs.sh", make_certs_sh(req)),
        GeneratedFile::text("clients.txt", clients::clients_txt(req, "root.crt")),
    ]
}
