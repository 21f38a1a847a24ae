//! HBA007: hostssl lines while postgresql.conf leaves SSL off.

use crate::conf::parse_bool;
use crate::diagnostic::{Activation, Diagnostic, Fix, Severity};
use crate::hba::ConnType;
use crate::rules::{Context, RuleMeta};

use super::record_text;

pub static META: RuleMeta = RuleMeta {
    id: "HBA007",
    title: "hostssl lines while SSL is off",
    severity: Severity::Error,
    item: Some(1),
    docs_url: "https://www.postgresql.org/docs/current/ssl-tcp.html",
    help: "With ssl = off no connection uses SSL, so hostssl lines never match and the clients they were written for are rejected.",
    doc: crate::rule_doc!(r#"
**What it finds.** `hostssl` lines in pg_hba.conf when the given postgresql.conf leaves `ssl`
off (it is off unless set). Reported only when a postgresql.conf was given.

**Why it matters.** PostgreSQL logs "hostssl record cannot match because SSL is disabled" and
keeps the line, but no connection can use it: the clients it was meant for fall through to
later lines, often a plain `host` line or the implicit reject.

**Example.**
```
# postgresql.conf
ssl = off
# pg_hba.conf
hostssl all all 0.0.0.0/0 scram-sha-256
```

**Fix.** Turn SSL on (with a server certificate and key in place) and reload:
```
ssl = on
```

**References.** PostgreSQL documentation, "Secure TCP/IP Connections with SSL";
`parse_hba_line` in `src/backend/libpq/hba.c`.
"#),
};

pub fn check(cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    if !cx.model.conf.is_present() {
        return;
    }
    let setting = cx.model.conf.effective("ssl");
    let on = setting.and_then(|s| parse_bool(&s.value)).unwrap_or(false);
    if on {
        return;
    }
    for (_, _, r) in cx.model.hba.records() {
        if r.conn_type != ConnType::HostSsl {
            continue;
        }
        // Advice, not an edit: with ssl = on and no certificate and key in place the server
        // keeps its old SSL state on reload and refuses to start on restart.
        let fix = Fix::new("Put the server certificate and key in place (ssl_cert_file, ssl_key_file), set ssl = on in postgresql.conf, then reload")
            .snippet("ssl = on")
            .activation(Activation::Reload);
        let mut d = Diagnostic::new(
            &META,
            r.conn_type_token.location,
            format!(
                "line {} ({}) cannot match: hostssl record cannot match because SSL is disabled",
                r.line_number,
                record_text(cx.inputs, r)
            ),
        )
        .with_fix(fix);
        if let Some(s) = setting {
            d = d.related(s.location, "SSL is turned off here");
        }
        out.push(d);
    }
}

#[cfg(test)]
mod tests {
    use super::super::audit_of;

    fn count(files: &[(&str, &str)]) -> usize {
        let (_, a) = audit_of(files, 16);
        a.diagnostics.iter().filter(|d| d.rule.id == "HBA007").count()
    }

    const HBA: &str = "hostssl all all all scram-sha-256\nhost all all 127.0.0.1/32 scram-sha-256\n";

    #[test]
    fn no_postgresql_conf_no_finding() {
        assert_eq!(count(&[("pg_hba.conf", HBA)]), 0);
    }

    #[test]
    fn ssl_on_no_finding() {
        assert_eq!(count(&[("pg_hba.conf", HBA), ("postgresql.conf", "ssl = on\n")]), 0);
    }

    #[test]
    fn the_finding_points_at_the_setting() {
        let (inputs, a) = audit_of(&[("pg_hba.conf", HBA), ("postgresql.conf", "port = 5432\nssl = off\n")], 16);
        let d = a.diagnostics.iter().find(|d| d.rule.id == "HBA007").unwrap();
        assert_eq!(d.fix.as_ref().unwrap().snippet.as_deref(), Some("ssl = on"));
        let at = d.related[0].location;
        assert_eq!(inputs.file(at.file).line_col(at.span.start, crate::ColumnUnit::Utf8).line, 2);
    }

    #[test]
    fn ssl_off_or_unset_is_reported() {
        assert_eq!(count(&[("pg_hba.conf", HBA), ("postgresql.conf", "ssl = off\n")]), 1);
        assert_eq!(count(&[("pg_hba.conf", HBA), ("postgresql.conf", "port = 5432\n")]), 1);
    }
}
