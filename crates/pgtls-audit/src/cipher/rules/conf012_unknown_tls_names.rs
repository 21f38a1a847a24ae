//! CONF012: a TLS setting names a cipher, suite or group that OpenSSL does not know.

use super::{server_value, ssl_enabled, tls13_enabled};
use crate::cipher::{
    check_ecdh_curve, evaluate, parse_groups, parse_tls13, CurveError, WordStatus, DEFAULT_SECLEVEL,
    POSTGRES_DEFAULT_CIPHERS,
};
use crate::diagnostic::{Diagnostic, Severity};
use crate::rules::{Context, RuleMeta};

pub static META: RuleMeta = RuleMeta {
    id: "CONF012",
    title: "Unknown name in ssl_ciphers, ssl_tls13_ciphers, ssl_groups or ssl_ecdh_curve",
    severity: Severity::Error,
    item: Some(1),
    docs_url: "https://www.postgresql.org/docs/current/runtime-config-connection.html#GUC-SSL-GROUPS",
    help: "OpenSSL silently ignores unknown words in cipher lists (so a misspelt `!` exclusion excludes nothing) and refuses unknown group names, which stops the server.",
    doc: crate::rule_doc!(r#"
**What it finds.** Names OpenSSL 3.0 does not know, setting by setting:

* `ssl_ciphers`: a word that is no suite name or alias (`!aNUL`, `EXPORT`, `TLSv1.3`, `AEAD`, an
  IANA name, which OpenSSL 3.0 accepts only from 3.2 on), or a `+` conjunction that can match
  nothing (`AES128+AES256`). OpenSSL drops the whole term without a word, so a misspelt exclusion
  leaves in what it was meant to take out. Warning.
* `ssl_tls13_ciphers` (18+): names that are skipped (unknown, or wrong case), and a list of TLS 1.2
  suite names only, which OpenSSL accepts but which leaves TLS 1.3 with no suite. Warning (a list
  with no name at all is CONF010).
* `ssl_groups` (18+, and `ssl_ecdh_curve`, its old name, which 18+ still accepts): an unknown group,
  a group named twice (also under two of its names, such as `P-256` and `prime256v1`), or an empty
  element. PostgreSQL stops: `could not set group names specified in ssl_groups`. Error.
* `ssl_ecdh_curve` (12–17): a name that is not an OpenSSL curve short name (`secp256r1` and `P-256`
  are not; `prime256v1` is): `ECDH: unrecognized curve name`; or `X25519`, which is no EC curve:
  `ECDH: could not create key`. Error.

Errors are warnings while `ssl = off`, since the settings are read only when SSL is enabled.

**Example.**
```
ssl_ciphers = 'HIGH:!aNUL:!MD5'
ssl_ecdh_curve = 'secp256r1'      # PostgreSQL 16
```

**Fix.** Spell the names as OpenSSL does: `!aNULL`; `prime256v1`; on 18+ `ssl_groups = 'X25519:prime256v1'`.
Reload.

**References.** `src/backend/libpq/be-secure-openssl.c` (`initialize_ecdh`); OpenSSL
`SSL_CTX_set1_groups_list(3)`, `ciphers(1)`.
"#),
};

pub fn check(cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    let Some(ciphers) = server_value(cx, "ssl_ciphers", POSTGRES_DEFAULT_CIPHERS) else { return };
    let severe = if ssl_enabled(cx) { Severity::Error } else { Severity::Warning };
    let v18 = cx.options.pg_version >= 18;

    let list = evaluate(&ciphers.value, DEFAULT_SECLEVEL);
    if list.accepted() {
        for w in list.ignored_words() {
            let why = match w.status {
                WordStatus::Unknown => format!("OpenSSL knows no cipher or alias \"{}\"", w.text),
                _ => format!("\"{}\" cannot be combined with the words before it in one `+` term", w.text),
            };
            out.push(
                Diagnostic::new(
                    &META,
                    ciphers.locate(cx, w.span),
                    format!("{why}, so OpenSSL silently ignores that whole term of {}", ciphers.describe()),
                )
                .severity(Severity::Warning),
            );
        }
    }

    if v18 {
        if let Some(tls13) = server_value(cx, "ssl_tls13_ciphers", "") {
            let parsed = parse_tls13(&tls13.value);
            if tls13.setting.is_some() && parsed.accepted {
                for (name, span) in &parsed.unknown {
                    out.push(
                        Diagnostic::new(
                            &META,
                            tls13.locate(cx, *span),
                            format!("OpenSSL knows no TLS 1.3 suite \"{name}\" and skips it in {}", tls13.describe()),
                        )
                        .severity(Severity::Warning),
                    );
                }
                if parsed.tls13_suites().next().is_none() && tls13_enabled(cx) {
                    out.push(
                        Diagnostic::new(
                            &META,
                            tls13.location,
                            format!("{} names only TLS 1.2 suites: OpenSSL accepts them, but TLS 1.3 handshakes then have no suite and fail", tls13.describe()),
                        )
                        .severity(Severity::Warning)
                        .with_fix(tls13.fix(cx, "Name TLS 1.3 suites", crate::cipher::tls13::DEFAULT_TLS13_CIPHERSUITES)),
                    );
                }
            }
        }
    }

    let groups_setting = cx.model.conf.effective("ssl_groups").filter(|_| v18).map(|_| "ssl_groups");
    let curve_setting = cx.model.conf.effective("ssl_ecdh_curve").map(|_| "ssl_ecdh_curve");
    if v18 {
        // 18+ reads ssl_ecdh_curve as another name of ssl_groups; a conf model that resolves
        // the old name returns the same assignment for both, which is judged once.
        let mut seen = Vec::new();
        for name in [groups_setting, curve_setting].into_iter().flatten() {
            let Some(value) = server_value(cx, name, "X25519:prime256v1") else { continue };
            if seen.contains(&value.location) {
                continue;
            }
            seen.push(value.location);
            if let Err(e) = parse_groups(&value.value) {
                out.push(
                    Diagnostic::new(
                        &META,
                        value.locate(cx, e.span()),
                        format!(
                            "{}: {}, so PostgreSQL {} with \"could not set group names specified in ssl_groups\"",
                            value.describe(),
                            e.describe(),
                            if severe == Severity::Error { "refuses to start" } else { "will refuse to start once ssl is on" }
                        ),
                    )
                    .severity(severe)
                    .with_fix(value.fix(cx, "Name groups as OpenSSL does", "X25519:prime256v1")),
                );
            }
        }
    } else if let Some(name) = curve_setting {
        let Some(value) = server_value(cx, name, "prime256v1") else { return };
        if let Err(e) = check_ecdh_curve(value.value.as_str()) {
            let server_message = match e {
                CurveError::Unrecognized => format!("ECDH: unrecognized curve name: {}", value.value),
                CurveError::NotAnEcCurve => "ECDH: could not create key".to_string(),
            };
            let why = match e {
                CurveError::Unrecognized => "is not an OpenSSL curve short name (prime256v1, secp384r1, secp521r1, ...)",
                CurveError::NotAnEcCurve => "is no elliptic curve for ECDH before PostgreSQL 18, which added ssl_groups",
            };
            out.push(
                Diagnostic::new(&META, value.location, format!("{} {why}, so PostgreSQL {} with \"{server_message}\"", value.describe(), if severe == Severity::Error { "refuses to start" } else { "will refuse to start once ssl is on" }))
                    .severity(severe)
                    .with_fix(value.fix(cx, "Name a curve as OpenSSL does", "prime256v1")),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::testing::{conf, with_rule};
    use crate::Severity;

    #[test]
    fn misspelt_exclusion_is_pointed_at() {
        let text = "ssl = on\nssl_ciphers = 'HIGH:!aNUL:!MD5'\n";
        let (inputs, diags) = conf(text, 16);
        let d = with_rule(&diags, "CONF012");
        assert_eq!(d.len(), 1, "{diags:?}");
        assert_eq!(d[0].severity, Severity::Warning);
        assert_eq!(inputs.files[0].slice(d[0].location.span), "aNUL");
    }

    #[test]
    fn groups_and_curves_by_version() {
        let (_, diags) = conf("ssl = on\nssl_groups = 'X25519:P-256:prime256v1'\n", 18);
        let d = with_rule(&diags, "CONF012");
        assert_eq!(d.len(), 1);
        assert_eq!(d[0].severity, Severity::Error);
        assert!(d[0].message.contains("named twice"));
        let (_, diags) = conf("ssl = on\nssl_ecdh_curve = 'secp256r1'\n", 16);
        let d = with_rule(&diags, "CONF012");
        assert!(d[0].message.contains("ECDH: unrecognized curve name: secp256r1"), "{}", d[0].message);
        let (_, diags) = conf("ssl = on\nssl_ecdh_curve = 'secp256r1'\n", 18);
        assert!(with_rule(&diags, "CONF012").is_empty(), "18+ reads it as a group list");
        let (_, diags) = conf("ssl = on\nssl_ecdh_curve = 'prime256v1'\nssl_tls13_ciphers = 'TLS_AES_128_GCM_SHA256:TLS_AES_999'\n", 18);
        let d = with_rule(&diags, "CONF012");
        assert_eq!(d.len(), 1);
        assert!(d[0].message.contains("TLS_AES_999"));
    }

    #[test]
    fn defaults_are_clean() {
        assert!(with_rule(&conf("ssl = on\n", 16).1, "CONF012").is_empty());
        assert!(with_rule(&conf("ssl = on\n", 18).1, "CONF012").is_empty());
    }
}
