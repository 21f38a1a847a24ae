//! CONN007: settings the driver refuses before connecting.

use super::push_once;
use crate::diagnostic::{Activation, Diagnostic, Fix, Severity};
use crate::rules::{Context, RuleMeta};

pub static META: RuleMeta = RuleMeta {
    id: "CONN007",
    title: "A combination of TLS settings the driver refuses",
    severity: Severity::Error,
    item: Some(4),
    docs_url: "https://www.postgresql.org/docs/current/libpq-connect.html#LIBPQ-CONNECT-SSLMODE",
    help: "The client will not connect at all with these settings: the error appears only when the application starts.",
    doc: crate::rule_doc!(r#"
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
"#),
};

pub fn check(cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    for c in cx.model.clients.clients.iter().filter(|c| !c.refused) {
        for r in &c.refusals {
            let loc = c.get(&r.keyword).and_then(|v| v.location).unwrap_or(c.location);
            let mut fix = Fix::new("Correct the setting so that the client can connect").activation(Activation::Reconnect);
            if let (Some(rep), Some(vl)) = (r.replacement.as_deref(), c.get(&r.keyword).and_then(|v| v.value_location)) {
                fix = fix.edit(vl.file, vl.span, rep);
            }
            push_once(out, Diagnostic::new(&META, loc, format!("{}: {}", c.name, r.message)).with_fix(fix));
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
        assert_eq!(d[1].fix.as_ref().unwrap().edits[0].replacement, "require");
        assert_eq!(d[0].fix.as_ref().unwrap().edits[0].replacement, "verify-full");
        assert!(d[2].fix.as_ref().unwrap().edits.is_empty());
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
