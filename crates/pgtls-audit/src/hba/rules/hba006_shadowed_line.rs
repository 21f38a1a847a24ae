//! HBA006: a line no connection can reach, because earlier lines take all of its connections.

use crate::diagnostic::{Activation, Diagnostic, Fix, Severity};
use crate::hba::shadowing_line;
use crate::hba::HbaEntry;
use crate::rules::{Context, RuleMeta};
use crate::source::Span;

use super::{files, record_text, HBA_DOCS};

pub static META: RuleMeta = RuleMeta {
    id: "HBA006",
    title: "Line can never match",
    severity: Severity::Warning,
    item: None,
    docs_url: HBA_DOCS,
    help: "The first matching line decides: an earlier line takes every connection this one could match, so it never applies.",
    doc: crate::rule_doc!(r#"
**What it finds.** A line such that an earlier line matches every connection it could match:
the earlier type is as wide (`host` covers `hostssl`; `hostnossl` covers `hostgssenc`), its
address range contains this one (or is `all`), its databases include this line's (`all` covers
every name but not `replication`), and its users include this line's (`all` covers everyone).

**Why it matters.** pg_hba.conf has no fall-through: the first line whose type, address,
database and user match decides, even if its authentication then fails. A stricter line placed
after a broader one is dead, and the broader one applies instead.

**Example.**
```
host    all all 0.0.0.0/0 scram-sha-256
hostssl all all 0.0.0.0/0 cert
```
The second line never matches: SSL clients meet the first line first.

**Fix.** Move the line above the broader one if it was meant to apply, or delete it. Reload
after editing.

**References.** PostgreSQL documentation, "The pg_hba.conf File" (the records are examined in
order; there is no fall-through); `check_hba` in `src/backend/libpq/hba.c`.
"#),
};

pub fn check(cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    for file in files(cx) {
        for (i, e) in file.entries.iter().enumerate() {
            let HbaEntry::Record(r) = e else { continue };
            let Some(by) = shadowing_line(file, i) else { continue };
            let HbaEntry::Record(earlier) = &file.entries[by] else { continue };
            let text = cx.inputs.file(r.file).text.as_str();
            let mut end = r.span.end;
            if text.as_bytes().get(end) == Some(&b'\r') {
                end += 1;
            }
            if text.as_bytes().get(end) == Some(&b'\n') {
                end += 1;
            }
            let fix = Fix::new(format!(
                "Delete line {}, or move it above line {} if it was meant to apply",
                r.line_number, earlier.line_number
            ))
            .edit(r.file, Span::new(r.span.start, end), "")
            .activation(Activation::Reload);
            out.push(
                Diagnostic::new(
                    &META,
                    r.location(),
                    format!(
                        "line {} ({}) can never match: line {} ({}) comes first and takes every connection it could match",
                        r.line_number,
                        record_text(cx.inputs, r),
                        earlier.line_number,
                        record_text(cx.inputs, earlier)
                    ),
                )
                .related(earlier.location(), "this earlier line matches first")
                .with_fix(fix),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::reported_lines;

    #[test]
    fn broader_earlier_lines_shadow() {
        let hba = "host all all 0.0.0.0/0 scram-sha-256\nhostssl all all 10.0.0.0/8 cert\nhost replication all 0.0.0.0/0 md5\nhost app alice 10.0.0.0/8 md5\n";
        assert_eq!(reported_lines(&[("pg_hba.conf", hba)], "HBA006"), vec![2, 4]);
    }

    #[test]
    fn narrower_or_different_lines_do_not() {
        let hba = "hostssl all all 10.0.0.0/8 cert\nhost all all 0.0.0.0/0 scram-sha-256\nhost app +admins ::/0 md5\nhost app alice ::/0 md5\n";
        assert_eq!(reported_lines(&[("pg_hba.conf", hba)], "HBA006"), Vec::<usize>::new());
    }
}
