//! For generated text of every input kind, every diagnostic lies inside its file and on
//! character boundaries, and the report serialises (`fuzzing::check_invariants_at`). The text
//! is built from fragments of every format the engine reads (so that parsers get past their
//! first line), cut and joined with multi-byte characters, CRLF, lone CR, NUL and tabs.

// proptest is a native-only dev-dependency (its randomness source does not build for wasm32).
#![cfg(not(target_arch = "wasm32"))]

use proptest::prelude::*;

use pgtls_audit::fuzzing::check_invariants_at;
use pgtls_audit::{InputKind, Inputs, SourceFile};

const FRAGMENTS: &[&str] = &[
    // postgresql.conf
    "ssl = on", "ssl = off", "ssl_min_protocol_version = 'TLSv1'", "ssl_ciphers = 'HIGH:!aNULL:+3DES'",
    "ssl_cert_file = 'server.crt'", "ssl_key_file = server.key", "include 'other.conf'", "ssl_passphrase_command = 'x'",
    "password_encryption = md5", "listen_addresses = '*'", "ssl_max_protocol_version = 'TLSv1.1'", "ssl = 'unterminated",
    // pg_hba.conf
    "hostssl all all 0.0.0.0/0 scram-sha-256", "host all all ::/0 trust", "local all all peer", "host all all all md5",
    "hostnossl all all 10.0.0.0 255.0.0.0 password", "hostssl all all samenet cert clientcert=verify-full",
    "host @users +admins 192.168.0.1/33 ldap ldapserver=x", "include_dir conf.d", "host \"all\" all é.example.com reject",
    // client strings and environments
    "host=db.example.com sslmode=verify-full sslrootcert=/etc/ssl/root.crt",
    "postgresql://user:pa%20ss@db.example.com:5432/app?sslmode=require&sslrootcert=system",
    "postgres://[::1]:5432,h2:5433/db?target_session_attrs=any&sslmode=disable",
    "jdbc:postgresql://db:5432/app?ssl=true&sslmode=verify-ca&sslfactory=org.postgresql.ssl.NonValidatingFactory",
    "Host=db;Port=5432;SSL Mode=Require;Trust Server Certificate=true", "sslmode='verify-full' sslcert = 'a b'",
    "PGSSLMODE=prefer", "export PGSSLROOTCERT=\"/x y\"", "- name: PGSSLMODE\n  value: disable",
    "[service]\nhost=db\nsslmode=allow", "[pgbouncer]\nclient_tls_sslmode = require\nserver_tls_sslmode = prefer",
    // PEM
    "-----BEGIN CERTIFICATE-----", "-----END CERTIFICATE-----", "-----BEGIN PRIVATE KEY-----", "-----END PRIVATE KEY-----",
    "-----BEGIN X509 CRL-----", "MIIBszCCAVmgAwIBAgIUQ", "Proc-Type: 4,ENCRYPTED", "-----BEGIN ENCRYPTED PRIVATE KEY-----",
    // platform manifests
    "apiVersion: v1\nkind: Secret\ndata:\n  tls.crt: LS0t", "kind: Cluster\nspec:\n  postgresql:\n    parameters:\n      ssl: 'off'",
    "services:\n  db:\n    image: postgres:15\n    command: -c ssl=on", "docker run -e POSTGRES_HOST_AUTH_METHOD=trust postgres",
    "{\"Parameters\": [{\"ParameterName\": \"rds.force_ssl\", \"ParameterValue\": \"0\"}]}",
    "postgresql:\n  pg_hba:\n    - host all all 0.0.0.0/0 md5", "  - { a: [1, 2", "key: &a [*a]",
    // error messages and live output
    "FATAL:  no pg_hba.conf entry for host \"1.2.3.4\", user \"x\", database \"y\", no encryption",
    "psql: error: SSL error: certificate verify failed", "server does not support SSL, but SSL was required",
    "SSL connection (protocol: TLSv1.3, cipher: TLS_AES_256_GCM_SHA384, compression: off)",
];

fn piece() -> impl Strategy<Value = String> {
    prop_oneof![
        6 => prop::sample::select(FRAGMENTS).prop_map(str::to_string),
        // A fragment cut at a character boundary.
        2 => (prop::sample::select(FRAGMENTS), any::<prop::sample::Index>()).prop_map(|(f, i)| {
            let cut = (0..=f.len()).filter(|&k| f.is_char_boundary(k)).nth(i.index(f.len() + 1)).unwrap_or(0);
            f[..cut].to_string()
        }),
        2 => "[a-zA-Z0-9=:/.,'\"#@+\\\\ -]{0,12}",
        1 => "[é日😀\u{301}\u{feff}\u{2028}\u{85}\u{0}\t\r]{1,4}",
        1 => "[A-Za-z0-9+/=]{4,64}",
    ]
}

fn text() -> impl Strategy<Value = String> {
    prop::collection::vec(
        (piece(), prop::sample::select(vec!["\n", "\n", "\r\n", " ", "\t", "\r", "", "\\\n", "\u{0}"])),
        0..16,
    )
    .prop_map(|parts| parts.into_iter().map(|(p, sep)| p + sep).collect())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 1000, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn diagnostics_lie_inside_their_file_on_character_boundaries(
        kind in prop::sample::select(InputKind::ALL.to_vec()),
        text in text(),
    ) {
        let mut inputs = Inputs::new();
        inputs.push(SourceFile::from_text("input", kind, text));
        check_invariants_at(&inputs, &[15]);
    }

    #[test]
    fn detected_file_sets_keep_the_invariants(
        texts in prop::collection::vec(text(), 1..4),
        names in prop::collection::vec(prop::sample::select(vec![
            "postgresql.conf", "postgresql.auto.conf", "other.conf", "conf.d/a.conf", "pg_hba.conf", "pg_ident.conf",
            "server.crt", "root.crt", "server.key", "pgbouncer.ini", "pg_service.conf", ".env", "compose.yaml", "notes.txt",
        ]), 4),
    ) {
        let mut inputs = Inputs::new();
        for (text, name) in texts.into_iter().zip(names) {
            inputs.push_detected(name, text.into_bytes());
        }
        check_invariants_at(&inputs, &[13, 18]);
    }

    #[test]
    fn arbitrary_bytes_keep_the_invariants(
        kind in prop::sample::select(InputKind::ALL.to_vec()),
        bytes in prop::collection::vec(any::<u8>(), 0..512),
    ) {
        let mut inputs = Inputs::new();
        inputs.push(SourceFile::new("input", kind, bytes));
        check_invariants_at(&inputs, &[15]);
    }
}
