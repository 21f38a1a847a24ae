//! CONN010: channel binding not required where the server authenticates with SCRAM over TLS.

use super::{network_clients, push_once};
use crate::conn::{Client, Driver, SslMode};
use crate::diagnostic::{Activation, Diagnostic, Fix, Severity};
use crate::rules::{Context, RuleMeta};

pub static META: RuleMeta = RuleMeta {
    id: "CONN010",
    title: "channel_binding not required although SCRAM runs over TLS",
    severity: Severity::Info,
    item: Some(4),
    docs_url: "https://www.postgresql.org/docs/current/libpq-connect.html#LIBPQ-CONNECT-CHANNEL-BINDING",
    help: "channel_binding=require ties SCRAM authentication to the TLS channel, so a man in the middle cannot relay the login even with a certificate the client accepts.",
    doc: crate::rule_doc!(r#"
Finds a client that connects over TLS and authenticates with SCRAM-SHA-256 but leaves
`channel_binding` at `prefer` (the default) or `disable`. The rule fires when SCRAM over TLS is
known: the client insists on it (`require_auth=scram-sha-256`), or the pg_hba.conf given to the
same audit has a `host` or `hostssl` line with `scram-sha-256` (and no postgresql.conf given
with it turns `ssl` off).

**Why it matters.** With `prefer`, a man in the middle that terminates TLS (with a certificate
the client accepts, or against a client that does not verify) can downgrade to SCRAM without
channel binding, or to another method, and relay the login. `channel_binding=require` makes the
client refuse any authentication that is not bound to the TLS channel it sees.

**Example.** `host=db sslmode=verify-full require_auth=scram-sha-256`

**Fix.** Add `channel_binding=require` (libpq 13+; pgjdbc `channelBinding=require`; Npgsql
`Channel Binding=Require`). The server needs SCRAM passwords and OpenSSL with
`tls-server-end-point` support (every supported version has it).

**References.** PostgreSQL documentation §34.1.2 (`channel_binding`) and §21.5 "Password
Authentication"; `src/interfaces/libpq/fe-auth.c` (`check_expected_areq`).
"#),
};

/// Whether the client itself requires SCRAM (`require_auth` lists scram-sha-256 and is not a
/// negated list).
fn client_requires_scram(c: &Client) -> bool {
    c.value("require_auth").is_some_and(|v| !v.starts_with('!') && v.split(',').any(|m| m.trim() == "scram-sha-256"))
}

pub fn check(cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    let server_scram_over_tls = crate::conn::server_uses_scram_over_tls(cx);
    for c in network_clients(cx) {
        if !matches!(c.driver, Driver::Libpq | Driver::Psycopg | Driver::Pgjdbc | Driver::Npgsql) {
            continue;
        }
        if cx.options.pg_version < 13 || c.sslmode.is_none_or(|m| m < SslMode::Require) {
            continue;
        }
        if c.value("channel_binding") == Some("require") {
            continue;
        }
        let why = if client_requires_scram(c) {
            "the client requires SCRAM (require_auth=scram-sha-256)"
        } else if server_scram_over_tls {
            "the server authenticates hostssl connections with scram-sha-256"
        } else {
            continue;
        };
        let current = c.value("channel_binding").unwrap_or("prefer");
        let spelling = match c.driver {
            Driver::Pgjdbc => "channelBinding=require",
            Driver::Npgsql => "Channel Binding=Require",
            _ => "channel_binding=require",
        };
        let fix = Fix::new(format!("Add {spelling}")).snippet(spelling).activation(Activation::Reconnect);
        let message = format!("{}: channel_binding is {current} although {why}; a relayed login is not detected.", c.name);
        push_once(out, Diagnostic::new(&META, c.location, message).with_fix(fix));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::conn::test_support::run;

    #[test]
    fn scram_without_channel_binding_is_noted() {
        let d = run(check, "host=db sslmode=verify-full require_auth=scram-sha-256\n");
        assert_eq!(d.len(), 1);
        assert!(d[0].message.contains("channel_binding is prefer"));
    }

    #[test]
    fn a_pg_hba_conf_with_scram_over_ssl_is_enough() {
        use crate::conn::test_support::run_at;
        use crate::detect::InputKind;
        let clients = ("conn", InputKind::Conninfo, "host=db sslmode=verify-full sslrootcert=/ca\n");
        let (_, d) = run_at(check, 16, &[clients, ("pg_hba.conf", InputKind::PgHba, "hostssl all all 0.0.0.0/0 scram-sha-256\n")]);
        assert_eq!(d.len(), 1);
        assert!(d[0].message.contains("the server authenticates hostssl connections with scram-sha-256"));
        let (_, d) = run_at(check, 16, &[clients, ("pg_hba.conf", InputKind::PgHba, "hostssl all all 0.0.0.0/0 cert\n")]);
        assert!(d.is_empty());
        let (_, d) = run_at(check, 16, &[
            clients,
            ("pg_hba.conf", InputKind::PgHba, "host all all 0.0.0.0/0 scram-sha-256\n"),
            ("postgresql.conf", InputKind::PostgresqlConf, "ssl = off\n"),
        ]);
        assert!(d.is_empty(), "no TLS on the server, nothing to bind to");
    }

    #[test]
    fn required_binding_or_unknown_server_passes() {
        assert!(run(check, "host=db sslmode=verify-full require_auth=scram-sha-256 channel_binding=require\n").is_empty());
        assert!(run(check, "host=db sslmode=verify-full\n").is_empty());
        assert!(run(check, "host=db sslmode=prefer require_auth=scram-sha-256\n").is_empty());
    }
}
