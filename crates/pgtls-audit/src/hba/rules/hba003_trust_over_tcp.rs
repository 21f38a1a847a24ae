//! HBA003: `trust` on a TCP line.

use crate::diagnostic::{Diagnostic, Severity};
use crate::hba::record::ClientCert;
use crate::hba::shadowing_line;
use crate::hba::{AuthMethod, ConnType, HbaEntry};
use crate::rules::{Context, RuleMeta};

use super::{files, record_text, token_advice};

pub static META: RuleMeta = RuleMeta {
    id: "HBA003",
    title: "trust authentication over TCP",
    severity: Severity::Error,
    item: Some(3),
    docs_url: "https://www.postgresql.org/docs/current/auth-trust.html",
    help: "trust lets anyone who can reach the address connect as any role they name, superusers included, with no password.",
    doc: crate::rule_doc!(r#"
**What it finds.** A `host`, `hostssl`, `hostnossl`, `hostgssenc` or `hostnogssenc` line whose
method is `trust` and that some connection can reach (lines wholly taken by earlier lines are
left to HBA006). A `hostssl` line with `trust clientcert=verify-full` is not reported: the
client certificate's name must then match the role, which is certificate authentication.

**Why it matters.** With `trust`, PostgreSQL believes the role name the client sends. Over TCP
any local user or program, and for non-loopback addresses any host that can reach the port, can
log in as `postgres`. initdb writes `trust` lines for 127.0.0.1 and ::1 unless `-A` or
`--auth-host` is given.

**Example.**
```
host all all 127.0.0.1/32 trust
```

**Fix.** Use a password method (or certificates):
```
host all all 127.0.0.1/32 scram-sha-256
```
and reload. Roles need a SCRAM password (`\password` in psql) before they can log in this way.

**References.** PostgreSQL documentation, "Trust Authentication" and "The pg_hba.conf File";
`src/bin/initdb/initdb.c` for the defaults.
"#),
};

pub fn check(cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    for file in files(cx) {
        for (i, e) in file.entries.iter().enumerate() {
            let HbaEntry::Record(r) = e else { continue };
            if r.conn_type == ConnType::Local || r.method != AuthMethod::Trust {
                continue;
            }
            if r.conn_type == ConnType::HostSsl && r.clientcert == ClientCert::VerifyFull {
                continue;
            }
            if shadowing_line(file, i).is_some() {
                continue;
            }
            let fix = token_advice(
                cx.inputs,
                r,
                r.method_token.location.span,
                "scram-sha-256",
                format!(
                    "Ask for a password on line {}: give the roles SCRAM passwords (\\password in psql), then replace trust with scram-sha-256",
                    r.line_number
                ),
            );
            out.push(
                Diagnostic::new(
                    &META,
                    r.location(),
                    format!("line {} ({}) trusts TCP connections: any role name the client gives is accepted without a password", r.line_number, record_text(cx.inputs, r)),
                )
                .with_fix(fix),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::reported_lines;

    #[test]
    fn trust_over_tcp_is_reported_local_is_not() {
        let hba = "local all all trust\nhost all all 127.0.0.1/32 trust\nhostssl all all all trust clientcert=verify-ca\nhostssl all all 10.0.0.0/8 trust clientcert=verify-full\n";
        assert_eq!(reported_lines(&[("pg_hba.conf", hba)], "HBA003"), vec![2, 3]);
    }

    #[test]
    fn the_fix_replaces_the_method() {
        let (_, a) = super::super::audit_of(&[("pg_hba.conf", "host all all 127.0.0.1/32 trust\n")], 16);
        let d = a.diagnostics.iter().find(|d| d.rule.id == "HBA003").unwrap();
        let fix = d.fix.as_ref().unwrap();
        // Roles need passwords first, so the change is advice, not an automatic edit.
        assert!(fix.edits.is_empty());
        assert_eq!(fix.snippet.as_deref(), Some("host all all 127.0.0.1/32 scram-sha-256"));
    }
}
