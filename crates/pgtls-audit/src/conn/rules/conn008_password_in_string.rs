//! CONN008: a password written in the connection string.

use super::push_once;
use crate::conn::Origin;
use crate::diagnostic::{Activation, Diagnostic, Fix, Severity};
use crate::rules::{Context, RuleMeta};

pub static META: RuleMeta = RuleMeta {
    id: "CONN008",
    title: "Password inside the connection string",
    severity: Severity::Warning,
    item: None,
    docs_url: "https://www.postgresql.org/docs/current/libpq-pgpass.html",
    help: "A password in a connection string ends up in configuration repositories, process listings, logs and error messages.",
    doc: crate::rule_doc!(r#"
Finds a password written in a connection string: libpq `password=`, a URI's `user:password@`,
pgjdbc `password=`, Npgsql `Password=`/`Pwd=`.

**Why it matters.** Connection strings are copied into repositories, shell history, process
listings (`ps` shows command-line arguments), application logs and error reports. Anyone who
reads one of them can log in.

**Example.** `postgresql://app:s3cret@db.example.com/app`

**Fix.** Remove the password and keep it in a password file (`~/.pgpass`, or the file named by
`passfile`/`PGPASSFILE`, mode 0600), in `PGPASSWORD` set by a secret store, or use certificate
authentication (`sslcert`/`sslkey` with `cert` in pg_hba.conf).

**References.** PostgreSQL documentation §34.16 "The Password File" and §34.15 "Environment
Variables" (`PGPASSWORD` "use of this environment variable is not recommended for security
reasons").
"#),
};

pub fn check(cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    for c in &cx.model.clients.clients {
        let Some(v) = c.get("password") else { continue };
        if v.origin != Origin::String || v.value.is_empty() {
            continue;
        }
        let loc = v.location.unwrap_or(c.location);
        // Removing the password breaks the login until the password file exists: a decision,
        // so the fix says what to do and edits nothing.
        let fix = Fix::new("Move the password to ~/.pgpass (or PGPASSFILE) and remove it from the string")
            .snippet("# ~/.pgpass, mode 0600\nhostname:port:database:username:password")
            .activation(Activation::Reconnect);
        push_once(out, Diagnostic::new(&META, loc, format!("{}: the password is written in the connection string.", c.name)).with_fix(fix));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::conn::test_support::run;

    #[test]
    fn passwords_in_every_dialect() {
        let d = run(check, "host=db password=x\npostgresql://u:secret@db/app\nHost=db;Password=x\njdbc:postgresql://db/app?password=x\n");
        assert_eq!(d.len(), 4);
        assert!(d.iter().all(|d| d.fix.as_ref().unwrap().edits.is_empty()));
    }

    #[test]
    fn no_password_no_finding() {
        assert!(run(check, "postgresql://u@db/app\nhost=db passfile=/p\n").is_empty());
    }
}
