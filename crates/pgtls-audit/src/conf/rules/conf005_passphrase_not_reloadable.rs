//! CONF005: a passphrase-protected key that cannot be reloaded.

use super::{set_value, SSL_DOCS};
use crate::conf::parse_guc_bool;
use crate::diagnostic::{Diagnostic, Severity};
use crate::rules::{Context, RuleMeta};

pub static META: RuleMeta = RuleMeta {
    id: "CONF005",
    title: "Passphrase command blocks certificate reloads",
    severity: Severity::Warning,
    item: Some(5),
    docs_url: SSL_DOCS,
    help: "Without ssl_passphrase_command_supports_reload a rotated key needs a server restart, which defeats automated rotation.",
    doc: crate::rule_doc!(r#"Finds `ssl_passphrase_command` set while `ssl_passphrase_command_supports_reload` is off (its
default).

**Why it matters.** On a reload PostgreSQL does not run the passphrase command unless
`ssl_passphrase_command_supports_reload` is on. A passphrase-protected key then fails to load
("private key file "%s" cannot be reloaded because it requires a passphrase"), the old SSL
context stays, and a rotated certificate only takes effect after a restart. Automated
certificate rotation depends on reloads.

**Example.**
```
ssl_passphrase_command = '/usr/local/bin/get-key-pass %p'
```

**Fix.** `ssl_passphrase_command_supports_reload = on`, provided the command can run without a
terminal (it is run at every reload), then reload.

**References.** PostgreSQL documentation, "Connections and Authentication: SSL"
(`ssl_passphrase_command_supports_reload`); `src/backend/libpq/be-secure-openssl.c`."#),
};

pub fn check(cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    let conf = &cx.model.conf;
    let Some(command) = conf.effective("ssl_passphrase_command") else { return };
    if command.value.is_empty() {
        return;
    }
    if conf.effective("ssl_passphrase_command_supports_reload").is_some_and(|s| parse_guc_bool(&s.value) == Some(true)) {
        return;
    }
    let Some((_, fix)) = set_value(
        cx,
        "ssl_passphrase_command_supports_reload",
        "on",
        "Let reloads run the passphrase command (it must work without a terminal)",
    ) else {
        return;
    };
    out.push(
        Diagnostic::new(
            &META,
            command.location,
            "ssl_passphrase_command is set but ssl_passphrase_command_supports_reload is off: a rotated key or certificate is not picked up by a reload",
        )
        .with_fix(fix),
    );
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::conf::rules::test_support::{apply, run};

    #[test]
    fn command_without_reload_support() {
        let (inputs, d) = run(check, 16, "ssl_passphrase_command = 'echo secret'\n", None);
        assert_eq!(d.len(), 1);
        assert_eq!(
            apply(&inputs, &d[0]),
            "ssl_passphrase_command = 'echo secret'\nssl_passphrase_command_supports_reload = on\n"
        );
        let (inputs, d) = run(check, 16, "ssl_passphrase_command = 'x'\nssl_passphrase_command_supports_reload = off\n", None);
        assert!(apply(&inputs, &d[0]).ends_with("supports_reload = on\n"));
    }

    #[test]
    fn reloadable_or_no_command_passes() {
        assert!(run(check, 16, "ssl_passphrase_command = 'x'\nssl_passphrase_command_supports_reload = yes\n", None).1.is_empty());
        assert!(run(check, 16, "ssl_passphrase_command = ''\n", None).1.is_empty());
        assert!(run(check, 16, "ssl = on\n", None).1.is_empty());
    }
}
