//! CONF001: SSL is off, explicitly or by default.

use super::{set_value, SSL_DOCS};
use crate::conf::parse_guc_bool;
use crate::diagnostic::{Diagnostic, Severity};
use crate::rules::{Context, RuleMeta};

pub static META: RuleMeta = RuleMeta {
    id: "CONF001",
    title: "SSL is off",
    severity: Severity::Error,
    item: Some(1),
    docs_url: SSL_DOCS,
    help: "With ssl off the server refuses every SSL request, so passwords and data cross the network in clear text.",
    doc: crate::rule_doc!(r#"Finds a server configuration in which `ssl` is `off`, either because a file sets it so or
because no file sets it and the built-in default (`off` in every version) applies.

**Why it matters.** Without `ssl = on` the server answers every SSLRequest with `N`: clients
with `sslmode=prefer` (libpq's default) silently fall back to plaintext, and clients that
require SSL cannot connect at all. `hostssl` lines in pg_hba.conf never match.

**Example.**
```
#ssl = off
```

**Fix.** Set `ssl = on` (with `ssl_cert_file` and `ssl_key_file` naming a certificate and key
the server can read) and reload: `ssl` has context sighup.

**References.** PostgreSQL documentation, "Server Configuration: Connections and
Authentication: SSL" and "Secure TCP/IP Connections with SSL"; `src/backend/utils/misc/guc_tables.c`
(`ssl`, boot value false)."#),
};

pub fn check(cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    let conf = &cx.model.conf;
    if !conf.is_present() {
        return;
    }
    let message = match conf.effective("ssl") {
        Some(s) => match parse_guc_bool(&s.value) {
            Some(false) => format!("ssl = {} turns SSL off: clients cannot use TLS", s.value),
            // Unparsable values are CONF007's.
            _ => return,
        },
        None if conf.has_main_file() => "ssl is not set, and its default is off: clients cannot use TLS".to_string(),
        None => return,
    };
    if let Some((at, fix)) = set_value(cx, "ssl", "on", "Turn SSL on (and make sure ssl_cert_file and ssl_key_file point to the certificate and key)") {
        out.push(Diagnostic::new(&META, at, message).with_fix(fix));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::conf::rules::test_support::{apply, run};
    use crate::diagnostic::Activation;

    #[test]
    fn off_explicitly_is_replaced_in_place() {
        let (inputs, d) = run(check, 16, "ssl = off # no\n", None);
        assert_eq!(d.len(), 1);
        assert_eq!(apply(&inputs, &d[0]), "ssl = on # no\n");
        assert_eq!(d[0].fix.as_ref().unwrap().activation, Some(Activation::Reload));
    }

    #[test]
    fn unset_means_off_and_a_line_is_added() {
        let (inputs, d) = run(check, 16, "port = 5432", None);
        assert_eq!(d.len(), 1);
        assert!(d[0].message.contains("default is off"));
        assert_eq!(apply(&inputs, &d[0]), "port = 5432\nssl = on\n");
    }

    #[test]
    fn on_anywhere_later_passes_and_auto_conf_wins() {
        assert!(run(check, 16, "ssl = off\nssl = true\n", None).1.is_empty());
        assert!(run(check, 16, "ssl = off\n", Some("ssl = 'on'\n")).1.is_empty());
        let (_, d) = run(check, 16, "ssl = on\n", Some("ssl = 'off'\n"));
        assert_eq!(d[0].location.file, 1);
    }

    #[test]
    fn invalid_values_are_left_to_conf007() {
        assert!(run(check, 16, "ssl = maybe\n", None).1.is_empty());
    }
}
