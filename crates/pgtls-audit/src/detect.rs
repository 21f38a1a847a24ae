//! What kind of input a file is: by its name first, then by its content.

use serde::{Deserialize, Serialize};

use crate::source::base_name;

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum InputKind {
    /// postgresql.conf or a file it includes.
    PostgresqlConf,
    /// postgresql.auto.conf (ALTER SYSTEM), applied after postgresql.conf.
    PostgresqlAutoConf,
    PgHba,
    PgIdent,
    /// Client connection strings, one a line: libpq keyword/value or URI, JDBC, Npgsql, ...
    Conninfo,
    /// Environment blocks: `PGSSLMODE=...`, `export ...`, Kubernetes env entries.
    Environment,
    /// pg_service.conf.
    ServiceFile,
    /// pgbouncer.ini.
    Pgbouncer,
    /// PEM text: certificates, keys, CRLs, requests.
    Pem,
    /// A DER-encoded certificate, key or CRL.
    Der,
    /// An error message a user met, to be explained.
    ErrorMessage,
    /// Where PostgreSQL runs: cloud parameter exports, Kubernetes manifests, Patroni, compose
    /// files and `docker run` lines.
    Platform,
    /// The result of a live check, rendered as text so that findings can point at its lines.
    Live,
    Unknown,
}

impl InputKind {
    pub const ALL: [InputKind; 14] = [
        InputKind::PostgresqlConf,
        InputKind::PostgresqlAutoConf,
        InputKind::PgHba,
        InputKind::PgIdent,
        InputKind::Conninfo,
        InputKind::Environment,
        InputKind::ServiceFile,
        InputKind::Pgbouncer,
        InputKind::Pem,
        InputKind::Der,
        InputKind::ErrorMessage,
        InputKind::Platform,
        InputKind::Live,
        InputKind::Unknown,
    ];

    /// The name used on the command line (`--kind pg-hba:FILE`) and in JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            InputKind::PostgresqlConf => "postgresql-conf",
            InputKind::PostgresqlAutoConf => "postgresql-auto-conf",
            InputKind::PgHba => "pg-hba",
            InputKind::PgIdent => "pg-ident",
            InputKind::Conninfo => "conninfo",
            InputKind::Environment => "environment",
            InputKind::ServiceFile => "service-file",
            InputKind::Pgbouncer => "pgbouncer",
            InputKind::Pem => "pem",
            InputKind::Der => "der",
            InputKind::ErrorMessage => "error-message",
            InputKind::Platform => "platform",
            InputKind::Live => "live",
            InputKind::Unknown => "unknown",
        }
    }

    pub fn parse(s: &str) -> Option<InputKind> {
        let s = s.trim().to_ascii_lowercase().replace('_', "-");
        let alias = match s.as_str() {
            "conf" | "postgresql.conf" => "postgresql-conf",
            "auto-conf" | "postgresql.auto.conf" => "postgresql-auto-conf",
            "hba" | "pg-hba.conf" => "pg-hba",
            "ident" => "pg-ident",
            "conn" | "connection" | "connection-strings" => "conninfo",
            "env" => "environment",
            "service" | "pg-service" => "service-file",
            "pgbouncer.ini" => "pgbouncer",
            "cert" | "crt" | "key" | "crl" => "pem",
            "error" | "message" => "error-message",
            "cloud" | "kubernetes" | "k8s" | "manifest" | "compose" | "docker" | "patroni" => "platform",
            other => other,
        };
        InputKind::ALL.into_iter().find(|k| k.as_str() == alias)
    }
}

/// Detects the kind of an input: a known file name decides, then the content.
pub fn detect_kind(name: &str, bytes: &[u8]) -> InputKind {
    by_name(name).unwrap_or_else(|| by_content(name, bytes))
}

fn by_name(name: &str) -> Option<InputKind> {
    let base = base_name(name).to_ascii_lowercase();
    let kind = match base.as_str() {
        "postgresql.conf" => InputKind::PostgresqlConf,
        "postgresql.auto.conf" => InputKind::PostgresqlAutoConf,
        "pg_hba.conf" => InputKind::PgHba,
        "pg_ident.conf" => InputKind::PgIdent,
        "pg_service.conf" | ".pg_service.conf" => InputKind::ServiceFile,
        "pgbouncer.ini" => InputKind::Pgbouncer,
        ".env" => InputKind::Environment,
        _ => return None,
    };
    Some(kind)
}

fn by_content(name: &str, bytes: &[u8]) -> InputKind {
    let base = base_name(name).to_ascii_lowercase();
    let ext = base.rsplit_once('.').map(|(_, e)| e).unwrap_or("");
    let text = String::from_utf8_lossy(bytes);
    if text.contains("-----BEGIN ") {
        return InputKind::Pem;
    }
    if bytes.first() == Some(&0x30) && matches!(ext, "der" | "crt" | "cer" | "key" | "crl" | "") {
        return InputKind::Der;
    }
    if let Some(kind) = crate::platform::sniff(&text)
        .or_else(|| crate::hba::sniff(&text))
        .or_else(|| crate::conn::sniff(&text))
        .or_else(|| crate::conf::sniff(&text))
        .or_else(|| crate::explain::sniff(&text))
    {
        return kind;
    }
    match ext {
        "crt" | "pem" | "key" | "crl" | "cer" | "csr" => InputKind::Pem,
        "yaml" | "yml" | "json" => InputKind::Platform,
        "env" => InputKind::Environment,
        "conf" => InputKind::PostgresqlConf,
        _ => InputKind::Unknown,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_decide_first() {
        assert_eq!(detect_kind("/etc/postgresql/16/main/pg_hba.conf", b""), InputKind::PgHba);
        assert_eq!(detect_kind("postgresql.auto.conf", b"ssl = on"), InputKind::PostgresqlAutoConf);
        assert_eq!(detect_kind("PG_HBA.CONF", b""), InputKind::PgHba);
    }

    #[test]
    fn pem_and_der_by_content() {
        assert_eq!(detect_kind("x.txt", b"junk\n-----BEGIN CERTIFICATE-----\n"), InputKind::Pem);
        assert_eq!(detect_kind("server.der", &[0x30, 0x82, 0x01]), InputKind::Der);
    }

    #[test]
    fn kind_names_round_trip() {
        for kind in InputKind::ALL {
            assert_eq!(InputKind::parse(kind.as_str()), Some(kind));
        }
        assert_eq!(InputKind::parse("hba"), Some(InputKind::PgHba));
    }
}
