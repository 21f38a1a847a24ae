//! Structured fuzzing of the client inputs on stable: thousands of files glued from the tokens
//! connection strings, environment blocks, service files and pgbouncer.ini are made of (and
//! multi-byte characters, NULs, CRs), audited as each client kind with the engine's invariants
//! checked (findings inside their file and on character boundaries, the report serialises).

use pgtls_audit::fuzzing::audit_bytes;
use pgtls_audit::InputKind;

const TOKENS: &[&str] = &[
    "postgresql://", "postgres://", "jdbc:postgresql:", "jdbc:postgresql://", "postgresql+asyncpg://", "pgx: ", "node: ",
    "Host=", "SSL Mode=", ";", "Trust Server Certificate=true", "Root Certificate=", "host=", "hostaddr=", "sslmode=",
    "verify-full", "require", "no-verify", "sslrootcert=", "system", "ssl=true", "sslfactory=org.postgresql.ssl.NonValidatingFactory",
    "service=", "[", "]", "prod", "=", " ", "\t", "'", "\"", "\\", "%", "%2F", "%00", "%e9", "?", "&", "@", ":", ",", "/",
    "\n", "\r\n", "\0", "é", "𝄞", "Οδυσσέας", "export ", "PGSSLMODE=", "PGSSLROOTCERT=", "- name: PGSSLMODE\n  value: ",
    "{\"name\": \"PGHOST\", \"value\": \"", "[pgbouncer]\n", "client_tls_sslmode = ", "server_tls_sslmode = ",
    "server_tls_ca_file = ", "#", "sql.Open(\"postgres\", \"", "rejectUnauthorized: false", "connectionString: '",
    "sslnegotiation=direct", "ssl_min_protocol_version=TLSv1.3 ssl_max_protocol_version=TLSv1.2", "require_auth=scram-sha-256",
];

#[test]
fn token_soup_keeps_the_invariants() {
    let mut r = fastrand::Rng::with_seed(0x51_7cc1_b727_220a);
    let kinds = [InputKind::Conninfo, InputKind::Environment, InputKind::ServiceFile, InputKind::Pgbouncer];
    let mut files = 0;
    for round in 0..1200 {
        let n = 1 + r.usize(..40);
        let text: String = (0..n).map(|_| pick(&mut r, TOKENS)).collect();
        let kind = kinds[round % kinds.len()];
        audit_bytes(Some(kind), "client-input", text.as_bytes());
        if round % 10 == 0 {
            // Invalid UTF-8 around the same text.
            let mut bytes = text.into_bytes();
            bytes.insert(bytes.len() / 2, 0xff);
            bytes.push(0xc3);
            audit_bytes(Some(kind), "client-input", &bytes);
            files += 1;
        }
        files += 1;
    }
    println!("client token soup: {files} files audited at PostgreSQL 12, 15 and 18 without a broken invariant");
}

/// One of `items`, drawn from `rng`.
fn pick<'a>(rng: &mut fastrand::Rng, items: &[&'a str]) -> &'a str {
    items[rng.usize(..items.len())]
}
