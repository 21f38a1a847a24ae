//! HBA004: a method that sends the password in clear text, reachable without SSL.

use crate::diagnostic::{Activation, Diagnostic, Fix, Severity};
use crate::hba::{exposure_lines, AuthMethod, ClientClass, HbaEntry};
use crate::rules::{Context, RuleMeta};

use super::{files, record_text, record_with};

pub static META: RuleMeta = RuleMeta {
    id: "HBA004",
    title: "Cleartext password without SSL",
    severity: Severity::Error,
    item: Some(3),
    docs_url: "https://www.postgresql.org/docs/current/auth-password.html",
    help: "The client sends its password in clear text; without SSL anyone on the network path can read it.",
    doc: crate::rule_doc!(r#"
**What it finds.** A line whose method makes the client send the password itself (`password`,
and `ldap`, `pam`, `bsd`, `radius`, which need the cleartext password to check it elsewhere),
that remote clients can reach without SSL according to the first-match scan.

**Why it matters.** Unlike `scram-sha-256`, these methods put the password on the wire. Without
SSL it is readable by anyone who can see the traffic, and reusable.

**Example.**
```
host all all 10.0.0.0/8 password
```

**Fix.** Require SSL for the line, and for `password` prefer SCRAM:
```
hostssl all all 10.0.0.0/8 scram-sha-256
```
then reload.

**References.** PostgreSQL documentation, "Password Authentication", "LDAP Authentication",
"RADIUS Authentication", "PAM Authentication".
"#),
};

pub fn check(cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    for file in files(cx) {
        let mut seen = Vec::new();
        for class in [ClientClass::RemoteIpv4, ClientClass::RemoteIpv6] {
            for (i, r) in exposure_lines(file, class, false) {
                if r.method.sends_cleartext_password() && !seen.contains(&i) {
                    seen.push(i);
                }
            }
        }
        crate::sorting::sort(&mut seen);
        for i in seen {
            let HbaEntry::Record(r) = &file.entries[i] else { continue };
            let type_span = r.conn_type_token.location.span;
            let mut fix = Fix::new(format!("Require SSL on line {} (hostssl){}", r.line_number, if r.method == AuthMethod::Password { ", and use scram-sha-256 instead of password" } else { "" }))
                .edit(r.file, type_span, "hostssl")
                .activation(Activation::Reload);
            let mut line = record_with(cx.inputs, r, type_span, "hostssl");
            if r.method == AuthMethod::Password {
                fix = fix.edit(r.file, r.method_token.location.span, "scram-sha-256");
                line = line.replacen(" password", " scram-sha-256", 1);
            }
            out.push(
                Diagnostic::new(
                    &META,
                    r.location(),
                    format!(
                        "line {} ({}) uses {}, which sends the password in clear text, and remote clients reach it without SSL",
                        r.line_number,
                        record_text(cx.inputs, r),
                        r.method.as_str()
                    ),
                )
                .with_fix(fix.snippet(line)),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::reported_lines;

    #[test]
    fn cleartext_methods_without_ssl() {
        let hba = "host all all 10.0.0.0/8 password\nhostssl all all 0.0.0.0/0 password\nhost all all ::/0 ldap ldapserver=x ldapprefix=cn=\nhost all all 127.0.0.1/32 password\n";
        assert_eq!(reported_lines(&[("pg_hba.conf", hba)], "HBA004"), vec![1, 3]);
    }

    #[test]
    fn scram_is_not_cleartext() {
        assert_eq!(reported_lines(&[("pg_hba.conf", "host all all all scram-sha-256\n")], "HBA004"), Vec::<usize>::new());
    }
}
