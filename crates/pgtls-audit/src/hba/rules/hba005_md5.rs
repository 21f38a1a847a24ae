//! HBA005: the md5 method.

use crate::diagnostic::{Diagnostic, Severity};
use crate::hba::shadowing_line;
use crate::hba::{AuthMethod, HbaEntry};
use crate::rules::{Context, RuleMeta};

use super::{files, record_text, token_advice};

pub static META: RuleMeta = RuleMeta {
    id: "HBA005",
    title: "md5 authentication (prefer scram-sha-256)",
    severity: Severity::Warning,
    item: None,
    docs_url: "https://www.postgresql.org/docs/current/auth-password.html",
    help: "md5 lets roles keep MD5 password hashes, which are weak and replayable once stolen; MD5 passwords are deprecated from PostgreSQL 18.",
    doc: crate::rule_doc!(r#"
**What it finds.** A reachable line with the `md5` method.

**Why it matters.** With `md5`, a role whose stored password is an MD5 hash logs in with the MD5
challenge, and the hash itself is enough to log in (it is password-equivalent). A role with a
SCRAM secret is already switched to SCRAM automatically, so `md5` only helps the weak case.
PostgreSQL 18 warns when MD5 passwords are set and 19 when they are used.

**Example.**
```
hostssl all all 0.0.0.0/0 md5
```

**Fix.** Set `password_encryption = scram-sha-256`, have every role set its password again
(`\password`), check `SELECT rolname FROM pg_authid WHERE rolpassword LIKE 'md5%'` is empty,
then change the method and reload:
```
hostssl all all 0.0.0.0/0 scram-sha-256
```

**References.** PostgreSQL documentation, "Password Authentication"; `CheckPWChallengeAuth` in
`src/backend/libpq/auth.c`.
"#),
};

pub fn check(cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    for file in files(cx) {
        for (i, e) in file.entries.iter().enumerate() {
            let HbaEntry::Record(r) = e else { continue };
            if r.method != AuthMethod::Md5 || shadowing_line(file, i).is_some() {
                continue;
            }
            let fix = token_advice(
                cx.inputs,
                r,
                r.method_token.location.span,
                "scram-sha-256",
                format!(
                    "Use scram-sha-256 on line {} once every role that uses it has a SCRAM password (password_encryption = scram-sha-256, then set the password again)",
                    r.line_number
                ),
            );
            out.push(
                Diagnostic::new(&META, r.location(), format!("line {} ({}) uses md5; prefer scram-sha-256", r.line_number, record_text(cx.inputs, r)))
                    .with_fix(fix),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::reported_lines;

    #[test]
    fn md5_lines() {
        let hba = "local all all md5\nhostssl all all all scram-sha-256\nhostssl all all all md5\n";
        assert_eq!(reported_lines(&[("pg_hba.conf", hba)], "HBA005"), vec![1]);
    }
}
