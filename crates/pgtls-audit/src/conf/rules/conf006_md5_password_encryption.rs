//! CONF006: new passwords are stored as MD5 hashes.

use super::set_value;
use crate::diagnostic::{Diagnostic, Severity};
use crate::rules::{Context, RuleMeta};

pub static META: RuleMeta = RuleMeta {
    id: "CONF006",
    title: "Passwords are hashed with MD5",
    severity: Severity::Warning,
    item: None,
    docs_url: "https://www.postgresql.org/docs/current/runtime-config-connection.html#GUC-PASSWORD-ENCRYPTION",
    help: "MD5 password hashes are replayable secrets and MD5 authentication is deprecated; SCRAM-SHA-256 is the safe choice.",
    doc: crate::rule_doc!(r#"Finds `password_encryption` set to `md5`, its aliases `on`, `true`, `yes` and `1` (accepted up to
PostgreSQL 13), or left unset on PostgreSQL 12 and 13, where the default is `md5`.

**Why it matters.** An MD5 hash stored by PostgreSQL is enough to log in over MD5
authentication (it works like the password itself), it is salted only with the user name, and
MD5 password support is deprecated (PostgreSQL 18 warns when one is set). With SCRAM-SHA-256 a
stolen hash cannot be replayed, and the server proves it knows the password too.

**Example.**
```
password_encryption = md5
```

**Fix.** `password_encryption = 'scram-sha-256'`, reload, then set each password again (`\password`
in psql) so that it is stored as SCRAM; afterwards use `scram-sha-256` in pg_hba.conf.

**References.** PostgreSQL documentation, "Password Authentication" and
"Connections and Authentication: Authentication" (`password_encryption`)."#),
};

pub fn check(cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    let conf = &cx.model.conf;
    if !conf.is_present() {
        return;
    }
    let set = conf.effective("password_encryption");
    if set.is_none() && !conf.has_main_file() {
        return;
    }
    let Some(value) = conf.value_or_default("password_encryption") else { return };
    let lower = value.to_ascii_lowercase();
    let md5 = lower == "md5" || (conf.version <= 13 && matches!(lower.as_str(), "on" | "true" | "yes" | "1"));
    if !md5 {
        return;
    }
    let message = match set {
        Some(_) if lower == "md5" => "password_encryption = md5 stores new passwords as MD5 hashes".to_string(),
        Some(_) => format!("password_encryption = {value} means md5 in PostgreSQL {}: new passwords are stored as MD5 hashes", conf.version),
        None => format!("password_encryption is not set, and PostgreSQL {}'s default is md5: new passwords are stored as MD5 hashes", conf.version),
    };
    if let Some((at, fix)) = set_value(
        cx,
        "password_encryption",
        "'scram-sha-256'",
        "Hash new passwords with SCRAM-SHA-256, then set existing passwords again",
    ) {
        out.push(Diagnostic::new(&META, at, message).with_fix(fix));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::conf::rules::test_support::{apply, run};

    #[test]
    fn md5_and_its_old_aliases() {
        let (inputs, d) = run(check, 16, "password_encryption = MD5\n", None);
        assert_eq!(apply(&inputs, &d[0]), "password_encryption = 'scram-sha-256'\n");
        assert_eq!(run(check, 13, "password_encryption = on\n", None).1.len(), 1);
        // From 14 "on" is no longer accepted at all: CONF007's business, not this rule's.
        assert!(run(check, 14, "password_encryption = on\n", None).1.is_empty());
    }

    #[test]
    fn the_default_is_md5_up_to_13() {
        assert_eq!(run(check, 12, "ssl = on\n", None).1.len(), 1);
        assert_eq!(run(check, 13, "ssl = on\n", None).1.len(), 1);
        assert!(run(check, 14, "ssl = on\n", None).1.is_empty());
        assert!(run(check, 13, "password_encryption = 'scram-sha-256'\n", None).1.is_empty());
    }
}
