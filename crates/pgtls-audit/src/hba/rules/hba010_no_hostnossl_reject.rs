//! HBA010: no explicit `hostnossl ... reject` for remote addresses.

use crate::diagnostic::{Activation, Diagnostic, Fix, Severity};
use crate::hba::simulate::ClientClass;
use crate::hba::{exposure_lines, AuthMethod, ConnType, HbaAddress, HbaFile};
use crate::rules::{Context, RuleMeta};
use crate::source::{Location, Span};

use super::{files, HBA_DOCS};

pub static META: RuleMeta = RuleMeta {
    id: "HBA010",
    title: "No explicit hostnossl reject for remote addresses",
    severity: Severity::Info,
    item: Some(3),
    docs_url: HBA_DOCS,
    help: "An explicit hostnossl reject line for all remote addresses keeps plain connections out even when a later edit adds a host line.",
    doc: crate::rule_doc!(r#"
**What it finds.** A pg_hba.conf without `hostnossl` `reject` lines for all databases and users
from every IPv4 and IPv6 address (`all`, or `0.0.0.0/0` and `::/0`).

**Why it matters.** Requiring SSL only by writing `hostssl` everywhere holds until someone adds a
`host` line. A reject line for plain connections placed before the remote lines states the
policy once, and the server's log then shows "pg_hba.conf rejects connection ... no encryption"
for clients that forgot SSL instead of a misleading authentication failure.

**Example.** A file with only `hostssl` lines for remote clients.

**Fix.** Add, before the first line for remote clients (after the loopback lines, if plain
loopback connections are wanted):
```
hostnossl all,replication all 0.0.0.0/0 reject
hostnossl all,replication all ::/0      reject
```
and reload.

**References.** PostgreSQL documentation, "The pg_hba.conf File" (`hostnossl`, `reject`).
"#),
};

const REJECT_LINES: &str = "hostnossl all,replication all 0.0.0.0/0 reject\nhostnossl all,replication all ::/0 reject\n";

fn guards(file: &HbaFile) -> (bool, bool) {
    let (mut v4, mut v6) = (false, false);
    for r in file.records() {
        if r.conn_type != ConnType::HostNoSsl || r.method != AuthMethod::Reject {
            continue;
        }
        if !r.databases.tokens.iter().any(|t| t.is_keyword("all")) || !r.users.tokens.iter().any(|t| t.is_keyword("all")) {
            continue;
        }
        match &r.address {
            Some(HbaAddress::All) => (v4, v6) = (true, true),
            Some(HbaAddress::Ip { addr, mask }) if mask.is_unspecified() => {
                if addr.is_ipv4() {
                    v4 = true
                } else {
                    v6 = true
                }
            }
            _ => {}
        }
    }
    (v4, v6)
}

pub fn check(cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    for file in files(cx) {
        let (v4, v6) = guards(file);
        if v4 && v6 {
            continue;
        }
        let missing = match (v4, v6) {
            (true, false) => "IPv6 (::/0)",
            (false, true) => "IPv4 (0.0.0.0/0)",
            _ => "remote addresses",
        };
        // Before the first line that remote clients can reach, or at the end.
        let first_remote = [ClientClass::RemoteIpv4, ClientClass::RemoteIpv6]
            .into_iter()
            .flat_map(|c| [false, true].into_iter().flat_map(move |ssl| exposure_lines(file, c, ssl)))
            .map(|(_, r)| (r.file, r.span.start, r.line_number))
            .filter(|(f, _, _)| *f == file.root)
            .min_by_key(|(_, start, _)| *start);
        let text = &cx.inputs.file(file.root).text;
        let (at, where_) = match first_remote {
            Some((_, start, line)) => (Span::at(start), format!("before line {line}")),
            None => (Span::at(text.len()), "at the end of the file".to_string()),
        };
        let insert = if at.start == text.len() && !text.is_empty() && !text.ends_with('\n') {
            format!("\n{REJECT_LINES}")
        } else {
            REJECT_LINES.to_string()
        };
        let fix = Fix::new(format!("Reject plain remote connections explicitly: add these lines {where_}"))
            .edit(file.root, at, insert)
            .snippet(REJECT_LINES.trim_end())
            .activation(Activation::Reload);
        out.push(
            Diagnostic::new(
                &META,
                Location::new(file.root, at),
                format!("no hostnossl reject line for {missing}: plain remote connections are kept out only by the absence of host lines"),
            )
            .with_fix(fix),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::super::audit_of;

    fn count(text: &str) -> usize {
        let (_, a) = audit_of(&[("pg_hba.conf", text)], 16);
        a.diagnostics.iter().filter(|d| d.rule.id == "HBA010").count()
    }

    #[test]
    fn reported_without_reject_lines() {
        assert_eq!(count("hostssl all all 0.0.0.0/0 scram-sha-256\n"), 1);
        assert_eq!(count("hostnossl all all 0.0.0.0/0 reject\nhostssl all all all scram-sha-256\n"), 1);
    }

    #[test]
    fn both_families_or_all_satisfy_it() {
        assert_eq!(count("hostnossl all all 0.0.0.0/0 reject\nhostnossl all all ::/0 reject\n"), 0);
        assert_eq!(count("hostnossl all all all reject\n"), 0);
    }

    #[test]
    fn the_fix_goes_before_the_first_remote_line() {
        let (_, a) = audit_of(&[("pg_hba.conf", "host all all 127.0.0.1/32 scram-sha-256\nhostssl all all 0.0.0.0/0 scram-sha-256\n")], 16);
        let d = a.diagnostics.iter().find(|d| d.rule.id == "HBA010").unwrap();
        assert_eq!(d.fix.as_ref().unwrap().edits[0].span.start, 40);
    }
}
