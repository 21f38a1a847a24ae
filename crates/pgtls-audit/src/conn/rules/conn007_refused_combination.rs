//! CONN007: settings the driver refuses before connecting.

use super::push_once;
use crate::conn::{Client, Driver, Origin, SslMode};
use crate::diagnostic::{Activation, Diagnostic, Fix, Severity};
use crate::rules::{Context, RuleMeta};

pub static META: RuleMeta = RuleMeta {
    id: "CONN007",
    title: "A combination of TLS settings the driver refuses",
    severity: Severity::Error,
    item: Some(4),
    docs_url: "https://www.postgresql.org/docs/current/libpq-connect.html#LIBPQ-CONNECT-SSLMODE",
    help: "The client will not connect at all with these settings: the error appears only when the application starts.",
    doc: r#"
Finds TLS settings that the client library rejects before it connects:

* an sslmode the driver does not know (libpq: "invalid sslmode value"), or does not support
  (lib/pq has no `allow`/`prefer`; tokio-postgres has no `verify-ca`/`verify-full`);
* `sslrootcert=system` with an sslmode other than `verify-full` (libpq 16+: "weak sslmode
  "require" may not be used with sslrootcert=system (use "verify-full")");
* `sslnegotiation=direct` with `disable`, `allow` or `prefer` (libpq 17+);
* `ssl_min_protocol_version` above `ssl_max_protocol_version` ("invalid SSL protocol version
  range") or an unknown protocol name;
* an unknown `channel_binding` value, or `channel_binding=require` without SSL.

**Why it matters.** Nothing connects; the error surfaces at deploy time.

**Example.** `host=db sslmode=require sslrootcert=system`

**Fix.** Use `sslmode=verify-full` (which these settings were meant to reach), or correct the
value as the message says.

**References.** `src/interfaces/libpq/fe-connect.c` (`pqConnectOptions2`); PostgreSQL
documentation §34.1.2.
"#,
};

const PROTOCOLS: &[&str] = &["tlsv1", "tlsv1.1", "tlsv1.2", "tlsv1.3"];

fn refuse(out: &mut Vec<Diagnostic>, c: &Client, keyword: &str, message: String, replacement: Option<&str>) {
    let loc = c.get(keyword).and_then(|v| v.location).unwrap_or(c.location);
    let mut fix = Fix::new("Correct the setting so that the client can connect").activation(Activation::Reconnect);
    if let (Some(r), Some(vl)) = (replacement, c.get(keyword).and_then(|v| v.value_location)) {
        fix = fix.edit(vl.file, vl.span, r);
    }
    push_once(out, Diagnostic::new(&META, loc, format!("{}: {message}", c.name)).with_fix(fix));
}

pub fn check(cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    let version = cx.options.pg_version;
    for c in cx.model.clients.clients.iter().filter(|c| !c.refused) {
        let mode_text = c.sslmode_text();
        if c.sslmode.is_none() {
            let message = match c.driver {
                Driver::GoLibPq => format!("lib/pq: unsupported sslmode \"{mode_text}\"; only \"require\" (default), \"verify-full\", \"verify-ca\", and \"disable\" supported"),
                Driver::TokioPostgres => format!("tokio-postgres: invalid value for option `sslmode` (\"{mode_text}\"); it knows disable, prefer and require, and verifies through the TLS connector"),
                _ => format!("invalid sslmode value: \"{mode_text}\""),
            };
            refuse(out, c, "sslmode", message, Some("verify-full"));
            continue;
        }
        let libpq_family = matches!(c.driver, Driver::Libpq | Driver::Psycopg);
        let explicit_mode = c.get("sslmode").is_some_and(|v| !matches!(v.origin, Origin::DriverDefault | Origin::Implied(_)));
        if libpq_family && version >= 16 && c.value("sslrootcert") == Some("system") && explicit_mode && c.sslmode != Some(SslMode::VerifyFull) {
            refuse(out, c, "sslmode", format!("weak sslmode \"{mode_text}\" may not be used with sslrootcert=system (use \"verify-full\")"), Some("verify-full"));
        }
        if libpq_family && version >= 17 && c.value("sslnegotiation") == Some("direct") && c.sslmode.is_some_and(|m| m < SslMode::Require) {
            refuse(out, c, "sslmode", format!("weak sslmode \"{mode_text}\" may not be used with sslnegotiation=direct (use \"require\", \"verify-ca\", or \"verify-full\")"), Some("verify-full"));
        }
        if let Some(neg) = c.value("sslnegotiation").filter(|_| libpq_family && version >= 17) {
            if neg != "postgres" && neg != "direct" {
                refuse(out, c, "sslnegotiation", format!("invalid sslnegotiation value: \"{neg}\""), Some("postgres"));
            }
        }
        let mut range = [None, None];
        for (i, key) in ["ssl_min_protocol_version", "ssl_max_protocol_version"].iter().enumerate() {
            if let Some(v) = c.value(key).filter(|v| !v.is_empty()) {
                match PROTOCOLS.iter().position(|p| p.eq_ignore_ascii_case(v)) {
                    Some(p) => range[i] = Some(p),
                    None => refuse(out, c, key, format!("invalid {key} value: \"{v}\""), Some("TLSv1.2")),
                }
            }
        }
        if let [Some(min), Some(max)] = range {
            if min > max {
                refuse(out, c, "ssl_max_protocol_version", "invalid SSL protocol version range".into(), None);
            }
        }
        if let Some(cb) = c.value("channel_binding") {
            if !matches!(cb, "disable" | "prefer" | "require") {
                refuse(out, c, "channel_binding", format!("invalid channel_binding value: \"{cb}\""), Some("require"));
            } else if cb == "require" && c.sslmode == Some(SslMode::Disable) && !c.only_unix_sockets() {
                refuse(out, c, "channel_binding", "channel_binding=require with sslmode=disable: authentication fails with \"channel binding required, but SSL not in use\"".into(), None);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::conn::test_support::{run, run_at};
    use crate::detect::InputKind;

    #[test]
    fn libpq_refusals_carry_libpq_messages() {
        let d = run(check, "host=db sslmode=require sslrootcert=system\nhost=db sslmode=Require\nhost=db ssl_min_protocol_version=TLSv1.3 ssl_max_protocol_version=TLSv1.2\n");
        assert_eq!(d.len(), 3);
        assert!(d[0].message.contains("weak sslmode \"require\" may not be used with sslrootcert=system"));
        assert!(d[1].message.contains("invalid sslmode value: \"Require\""));
        assert!(d[2].message.contains("invalid SSL protocol version range"));
    }

    #[test]
    fn version_matters() {
        let (_, d) = run_at(check, 17, &[("c", InputKind::Conninfo, "host=db sslmode=prefer sslnegotiation=direct\n")]);
        assert_eq!(d.len(), 1);
        let (_, d) = run_at(check, 15, &[("c", InputKind::Conninfo, "host=db sslmode=require sslrootcert=system\n")]);
        assert!(d.is_empty(), "before 16 system is a file name");
    }

    #[test]
    fn drivers_refuse_their_own_way() {
        let d = run(check, "lib/pq: host=db sslmode=prefer\ntokio-postgres: postgres://db/app?sslmode=verify-full\n");
        assert_eq!(d.len(), 2);
        assert!(d[0].message.contains("unsupported sslmode"));
    }
}
