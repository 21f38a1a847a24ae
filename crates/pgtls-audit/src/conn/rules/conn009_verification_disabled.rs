//! CONN009: a driver option that switches certificate verification off.

use super::{push_once, verify_full_fix};
use crate::diagnostic::{Diagnostic, Severity};
use crate::rules::{Context, RuleMeta};

pub static META: RuleMeta = RuleMeta {
    id: "CONN009",
    title: "Certificate verification switched off by a driver option",
    severity: Severity::Error,
    item: Some(4),
    docs_url: "https://www.postgresql.org/docs/current/libpq-ssl.html#LIBPQ-SSL-PROTECTION",
    help: "The connection is encrypted, but the driver accepts any certificate: anyone in the path can impersonate the server.",
    doc: crate::rule_doc!(r#"
Finds the driver options that accept any server certificate whatever the sslmode says:

* pgjdbc `sslfactory=org.postgresql.ssl.NonValidatingFactory`;
* Npgsql `Trust Server Certificate=true`;
* node-postgres `ssl: { rejectUnauthorized: false }` and `sslmode=no-verify` in its URLs.

**Why it matters.** These options were made to silence certificate errors. They turn TLS into
encryption with an unauthenticated peer: an attacker who can intercept the connection presents
any certificate, reads the password exchange and every query.

**Example.** `jdbc:postgresql://db/app?sslmode=require&sslfactory=org.postgresql.ssl.NonValidatingFactory`

**Fix.** Remove the option, give the CA that signed the server certificate (pgjdbc
`sslrootcert=`, Npgsql `Root Certificate=`, node-postgres `ssl: { ca: fs.readFileSync(...) }`)
and ask for `verify-full`.

**References.** pgjdbc documentation "Using SSL"; Npgsql documentation "Security and
Encryption"; node-postgres documentation "SSL"; PostgreSQL documentation §34.19.1.
"#),
};

pub fn check(cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    for c in cx.model.clients.clients.iter().filter(|c| !c.refused) {
        let Some((why, loc)) = &c.verification_off else { continue };
        let message = format!(
            "{}: {why} makes {} accept any server certificate, whatever sslmode says. {}.",
            c.name,
            c.driver.name(),
            c.driver.semantics()
        );
        let mut fix = verify_full_fix(c, "Remove the option and verify the server (verify-full with a root)");
        fix.edits.retain(|e| e.span != loc.span);
        // Removing the switch is safe only where a root is configured; otherwise the client
        // would fail until someone decides which CA to trust.
        let root_given = c.get("sslrootcert").is_some();
        if root_given && !(why.starts_with("sslmode=") || why.starts_with("rejectUnauthorized")) {
            fix = fix.edit(loc.file, loc.span, "");
        }
        push_once(out, Diagnostic::new(&META, *loc, message).with_fix(fix));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::conn::test_support::run;

    #[test]
    fn every_driver_switch_is_found() {
        let d = run(
            check,
            "jdbc:postgresql://db/app?sslmode=verify-full&sslfactory=org.postgresql.ssl.NonValidatingFactory\n\
             Host=db;SSL Mode=Require;Trust Server Certificate=true\n\
             postgres://db/app?sslmode=no-verify\n\
             const pool = new Pool({ connectionString: process.env.X ?? 'postgres://db/app', ssl: { rejectUnauthorized: false } })\n",
        );
        assert_eq!(d.len(), 4, "{d:#?}");
        assert!(d[0].message.contains("NonValidatingFactory"));
        assert!(d[1].message.contains("Trust Server Certificate=true"));
        assert!(d[2].message.contains("sslmode=no-verify"));
        assert!(d[3].message.contains("rejectUnauthorized: false"));
    }

    #[test]
    fn validating_settings_pass() {
        assert!(run(check, "Host=db;SSL Mode=VerifyFull;Trust Server Certificate=false\n").is_empty());
    }
}
