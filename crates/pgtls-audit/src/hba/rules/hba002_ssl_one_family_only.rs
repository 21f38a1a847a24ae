//! HBA002: SSL enforced for remote IPv4 clients but not IPv6 ones, or the other way round.

use crate::diagnostic::{Activation, Diagnostic, Fix, Severity};
use crate::hba::{exposure_lines, ClientClass, HbaEntry};
use crate::rules::{Context, RuleMeta};
use crate::source::Span;

use super::{files, record_text, HBA_DOCS};

pub static META: RuleMeta = RuleMeta {
    id: "HBA002",
    title: "SSL required for one address family only",
    severity: Severity::Error,
    item: Some(3),
    docs_url: HBA_DOCS,
    help: "Remote clients of one address family must use SSL while those of the other may connect in the clear: the guard is bypassed by connecting over the other family.",
    doc: crate::rule_doc!(r#"
**What it finds.** Remote IPv4 clients can connect only with SSL, but some line lets remote IPv6
clients in without it (or the reverse). Typically `hostnossl all all 0.0.0.0/0 reject` was added
and `::/0` forgotten.

**Why it matters.** A host name with both A and AAAA records reaches the server over IPv6 first
on most systems, so the guarded family gives a false sense of safety.

**Example.**
```
hostnossl all all 0.0.0.0/0 reject
host      all all 0.0.0.0/0 scram-sha-256
host      all all ::/0      scram-sha-256
```

**Fix.** Add the missing reject line for the other family before the open line:
```
hostnossl all all ::/0 reject
```
and reload.

**References.** PostgreSQL documentation, "The pg_hba.conf File": an IPv4 entry never matches an
IPv6 client, not even an IPv4-mapped one (`check_ip` in `src/backend/libpq/hba.c`).
"#),
};

pub fn check(cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    for file in files(cx) {
        let plain4 = exposure_lines(file, ClientClass::RemoteIpv4, false);
        let plain6 = exposure_lines(file, ClientClass::RemoteIpv6, false);
        let ssl4 = exposure_lines(file, ClientClass::RemoteIpv4, true);
        let ssl6 = exposure_lines(file, ClientClass::RemoteIpv6, true);
        let cases = [
            (plain4.is_empty() && !ssl4.is_empty(), &plain6, "IPv4", "IPv6", "::/0"),
            (plain6.is_empty() && !ssl6.is_empty(), &plain4, "IPv6", "IPv4", "0.0.0.0/0"),
        ];
        for (guarded, open, guarded_family, open_family, all_addresses) in cases {
            let Some((i, r)) = open.first().filter(|_| guarded) else { continue };
            let _ = i;
            let line = format!("hostnossl all,replication all {all_addresses} reject\n");
            let at = Span::at(r.span.start);
            let fix = Fix::new(format!(
                "Reject plain {open_family} connections before line {} as {guarded_family} ones already are",
                r.line_number
            ))
            .edit(r.file, at, line.clone())
            .snippet(line)
            .activation(Activation::Reload);
            let others: Vec<String> = open.iter().skip(1).map(|(_, o)| o.line_number.to_string()).collect();
            let also = if others.is_empty() { String::new() } else { format!(" (also line {})", others.join(", ")) };
            let mut d = Diagnostic::new(
                &META,
                r.location(),
                format!(
                    "remote {guarded_family} clients must use SSL, but line {} ({}) lets remote {open_family} clients in without it{also}",
                    r.line_number,
                    record_text(cx.inputs, r)
                ),
            )
            .with_fix(fix);
            let guard = file.entries.iter().find_map(|e| match e {
                HbaEntry::Record(g)
                    if g.method == crate::hba::AuthMethod::Reject
                        && g.conn_type == crate::hba::ConnType::HostNoSsl =>
                {
                    Some(g.location())
                }
                _ => None,
            });
            if let Some(g) = guard {
                d = d.related(g, format!("plain {guarded_family} connections are rejected here"));
            }
            out.push(d);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::reported_lines;

    #[test]
    fn ipv4_guarded_ipv6_open() {
        let hba = "hostnossl all all 0.0.0.0/0 reject\nhost all all 0.0.0.0/0 scram-sha-256\nhost all all ::/0 scram-sha-256\n";
        assert_eq!(reported_lines(&[("pg_hba.conf", hba)], "HBA002"), vec![3]);
    }

    #[test]
    fn both_guarded_or_both_open_is_not_this_rule() {
        let both = "hostnossl all all 0.0.0.0/0 reject\nhostnossl all all ::/0 reject\nhost all all all scram-sha-256\n";
        assert_eq!(reported_lines(&[("pg_hba.conf", both)], "HBA002"), Vec::<usize>::new());
        let open = "host all all all scram-sha-256\n";
        assert_eq!(reported_lines(&[("pg_hba.conf", open)], "HBA002"), Vec::<usize>::new());
    }
}
