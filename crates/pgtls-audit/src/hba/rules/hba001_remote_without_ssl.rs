//! HBA001: a non-local line that accepts remote clients without SSL.

use crate::diagnostic::{Activation, Diagnostic, Fix, Severity};
use crate::hba::{exposure_lines, ClientClass, ConnType};
use crate::rules::{Context, RuleMeta};

use super::{files, record_text, record_with, HBA_DOCS};

pub static META: RuleMeta = RuleMeta {
    id: "HBA001",
    title: "Remote connection accepted without SSL",
    severity: Severity::Error,
    item: Some(3),
    docs_url: HBA_DOCS,
    help: "A host or hostnossl line lets remote clients in over an unencrypted connection: passwords, queries and results cross the network in the clear.",
    doc: crate::rule_doc!(r#"
**What it finds.** A `host` or `hostnossl` line, with a method other than `reject`, that a
remote client (an IPv4 address outside 127.0.0.0/8 or an IPv6 address other than ::1) can reach
over a plain connection. The first-match scan decides, not the keyword: a `host` line that an
earlier `hostnossl ... reject` line already takes for the same addresses is not reported.

**Why it matters.** `host` matches SSL and non-SSL connections alike, so a client that does
not ask for SSL (`sslmode=prefer` falls back, `disable` never tries) is let in unencrypted.

**Example.**
```
host    all  all  0.0.0.0/0  scram-sha-256
```

**Fix.** Make the line `hostssl`, and reject plain remote connections first:
```
hostnossl all all 0.0.0.0/0 reject
hostnossl all all ::/0      reject
hostssl   all all 0.0.0.0/0 scram-sha-256
```
Then reload (`SELECT pg_reload_conf()`).

**References.** PostgreSQL documentation, "The pg_hba.conf File" (client-auth.sgml);
`check_hba` in `src/backend/libpq/hba.c`.
"#),
};

pub fn check(cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    for file in files(cx) {
        let mut seen: Vec<(usize, Vec<&str>)> = Vec::new();
        for (class, family) in [(ClientClass::RemoteIpv4, "IPv4"), (ClientClass::RemoteIpv6, "IPv6")] {
            for (i, r) in exposure_lines(file, class, false) {
                if r.conn_type == ConnType::Local {
                    continue;
                }
                if let Some(entry) = seen.iter_mut().find(|(j, _)| *j == i) {
                    entry.1.push(family);
                    continue;
                }
                seen.push((i, vec![family]));
            }
        }
        for (i, families) in seen {
            let crate::hba::HbaEntry::Record(r) = &file.entries[i] else { continue };
            let text = record_text(cx.inputs, r);
            let span = r.conn_type_token.location.span;
            let replacement = record_with(cx.inputs, r, span, "hostssl");
            let fix = Fix::new(format!(
                "Require SSL on line {}: make it hostssl, so that plain connections from these addresses no longer match it",
                r.line_number
            ))
            .edit(r.file, span, "hostssl")
            .snippet(replacement)
            .activation(Activation::Reload);
            out.push(
                Diagnostic::new(
                    &META,
                    r.location(),
                    format!(
                        "line {} ({text}) accepts remote {} clients without SSL, with method {}",
                        r.line_number,
                        families.join(" and "),
                        r.method.as_str()
                    ),
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
    fn host_lines_open_to_remote_clients() {
        assert_eq!(reported_lines(&[("pg_hba.conf", "host all all 0.0.0.0/0 scram-sha-256\n")], "HBA001"), vec![1]);
        assert_eq!(reported_lines(&[("pg_hba.conf", "hostnossl all all ::/0 md5\n")], "HBA001"), vec![1]);
    }

    #[test]
    fn guarded_loopback_local_and_reject_lines_are_fine() {
        let hba = "hostnossl all all 0.0.0.0/0 reject\nhostnossl all all ::/0 reject\nhost all all 0.0.0.0/0 scram-sha-256\nhost all all ::/0 scram-sha-256\nhost all all 127.0.0.1/32 trust\nlocal all all peer\nhost all all 10.0.0.0/8 reject\n";
        assert_eq!(reported_lines(&[("pg_hba.conf", hba)], "HBA001"), Vec::<usize>::new());
    }

    #[test]
    fn a_narrow_reject_guards_only_its_own_scope() {
        let hba = "hostnossl all all 10.0.0.0/8 reject\nhost all all 10.1.0.0/16 md5\nhost all all 192.168.0.0/16 md5\n";
        assert_eq!(reported_lines(&[("pg_hba.conf", hba)], "HBA001"), vec![3]);
    }
}
