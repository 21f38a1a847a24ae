//! CONF010: ssl_ciphers (or ssl_tls13_ciphers) enables no suite, so the server will not start.

use super::{server_value, ssl_enabled};
use crate::cipher::{evaluate, parse_tls13, DEFAULT_SECLEVEL, MOZILLA_INTERMEDIATE, POSTGRES_DEFAULT_CIPHERS};
use crate::cipher::tls13::DEFAULT_TLS13_CIPHERSUITES;
use crate::diagnostic::{Diagnostic, Severity};
use crate::rules::{Context, RuleMeta};

pub static META: RuleMeta = RuleMeta {
    id: "CONF010",
    title: "No valid cipher suite: the server refuses to start",
    severity: Severity::Error,
    item: Some(1),
    docs_url: "https://www.postgresql.org/docs/current/runtime-config-connection.html#GUC-SSL-CIPHERS",
    help: "OpenSSL rejects the cipher list, so PostgreSQL stops at start-up (or keeps the old SSL settings on reload) with \"no valid ciphers available\".",
    doc: crate::rule_doc!(r#"
**What it finds.** An `ssl_ciphers` value that OpenSSL 3.0 rejects: one that enables no TLS 1.2
suite at all (`MEDIUM` alone, `!ALL`, only unknown words, an empty string), or one with a
character OpenSSL cannot parse (`HIGH(`, a trailing `+`) or a bad command (`@SECLEVEL=9`).
On PostgreSQL 18 and later it also finds an `ssl_tls13_ciphers` value in which OpenSSL
recognises no suite name (names are case-sensitive, separated by `:` only).

**Why it matters.** With `ssl = on`, PostgreSQL builds its SSL context at start-up and stops:
`FATAL: could not set the cipher list (no valid ciphers available)` (PostgreSQL 12–17),
`could not set the TLSv1.2 cipher list (no valid ciphers available)` and `could not set the
TLSv1.3 cipher suites (no valid ciphers available)` (18+). On a reload the error is logged,
"SSL configuration was not reloaded", and the old settings stay until the next restart, when
the server fails to come up. With `ssl = off` the value is not read yet; the finding is a
warning then.

**Example.**
```
ssl = on
ssl_ciphers = 'MEDIUM:!aNULL'   # OpenSSL 3.0 has no MEDIUM suites
```

**Fix.** Use a list that enables suites, such as Mozilla's intermediate list, and reload:
```
ssl_ciphers = 'ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256:...'
```
For `ssl_tls13_ciphers`, use names such as `TLS_AES_256_GCM_SHA384:TLS_AES_128_GCM_SHA256`, or
leave it empty for OpenSSL's default.

**References.** `src/backend/libpq/be-secure-openssl.c` (`be_tls_init`); OpenSSL
`SSL_CTX_set_cipher_list(3)` and `SSL_CTX_set_ciphersuites(3)`.
"#),
};

pub fn check(cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    let Some(value) = server_value(cx, "ssl_ciphers", POSTGRES_DEFAULT_CIPHERS) else { return };
    let on = ssl_enabled(cx);
    let severity = if on { Severity::Error } else { Severity::Warning };
    let consequence = if on {
        "PostgreSQL refuses to start"
    } else {
        "PostgreSQL will refuse to start once ssl is turned on"
    };
    let list = evaluate(&value.value, DEFAULT_SECLEVEL);
    if let Some(error) = &list.error {
        let server_message = if cx.options.pg_version >= 18 {
            "could not set the TLSv1.2 cipher list (no valid ciphers available)"
        } else {
            "could not set the cipher list (no valid ciphers available)"
        };
        out.push(
            Diagnostic::new(
                &META,
                value.location,
                format!("{}: {}, so {consequence} with \"{server_message}\"", value.describe(), error.describe(&value.value)),
            )
            .severity(severity)
            .with_fix(value.fix(cx, "Use a cipher list that enables forward-secret AEAD suites (Mozilla's intermediate list)", MOZILLA_INTERMEDIATE)),
        );
    }
    if cx.options.pg_version >= 18 {
        if let Some(tls13) = server_value(cx, "ssl_tls13_ciphers", "") {
            if tls13.setting.is_some() && !tls13.value.is_empty() && !parse_tls13(&tls13.value).accepted {
                out.push(
                    Diagnostic::new(
                        &META,
                        tls13.location,
                        format!(
                            "{}: OpenSSL recognises no TLS 1.3 suite in it (names are case-sensitive and separated by ':'), so {consequence} with \"could not set the TLSv1.3 cipher suites (no valid ciphers available)\"",
                            tls13.describe()
                        ),
                    )
                    .severity(severity)
                    .with_fix(tls13.fix(cx, "Name TLS 1.3 suites as OpenSSL spells them (or leave the setting empty for OpenSSL's default)", DEFAULT_TLS13_CIPHERSUITES)),
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::testing::{conf, with_rule};
    use crate::Severity;

    #[test]
    fn no_suite_stops_the_server_with_the_versions_message() {
        let (_, diags) = conf("ssl = on\nssl_ciphers = 'MEDIUM:!aNULL'\n", 16);
        let d = with_rule(&diags, "CONF010");
        assert_eq!(d.len(), 1);
        assert_eq!(d[0].severity, Severity::Error);
        assert!(d[0].message.contains("\"could not set the cipher list (no valid ciphers available)\""), "{}", d[0].message);
        let (_, diags) = conf("ssl = on\nssl_ciphers = 'HIGH('\n", 18);
        let d = with_rule(&diags, "CONF010");
        assert!(d[0].message.contains("character '('"), "{}", d[0].message);
        assert!(d[0].message.contains("TLSv1.2 cipher list"));
    }

    #[test]
    fn tls13_list_without_a_known_suite() {
        let (_, diags) = conf("ssl = on\nssl_tls13_ciphers = 'tls_aes_128_gcm_sha256'\n", 18);
        let d = with_rule(&diags, "CONF010");
        assert_eq!(d.len(), 1);
        assert!(d[0].message.contains("TLSv1.3 cipher suites"));
        let (_, diags) = conf("ssl = on\nssl_tls13_ciphers = 'TLS_AES_128_GCM_SHA256:bogus'\n", 18);
        assert!(with_rule(&diags, "CONF010").is_empty());
    }

    #[test]
    fn only_a_warning_while_ssl_is_off() {
        let (_, diags) = conf("ssl_ciphers = '!ALL'\n", 16);
        let d = with_rule(&diags, "CONF010");
        assert_eq!(d[0].severity, Severity::Warning);
        assert!(d[0].message.contains("once ssl is turned on"));
    }

    #[test]
    fn the_default_is_fine() {
        assert!(with_rule(&conf("ssl = on\n", 16).1, "CONF010").is_empty());
    }
}
