//! CONF002: the server accepts TLS versions older than 1.2.

use super::{set_value, tls_rank, SSL_DOCS};
use crate::diagnostic::{Diagnostic, Severity};
use crate::rules::{Context, RuleMeta};

pub static META: RuleMeta = RuleMeta {
    id: "CONF002",
    title: "TLS versions older than 1.2 are accepted",
    severity: Severity::Error,
    item: Some(1),
    docs_url: SSL_DOCS,
    help: "TLS 1.0 and 1.1 are deprecated (RFC 8996); a protocol floor of TLSv1.2 keeps clients off them.",
    doc: crate::rule_doc!(r#"Finds an effective `ssl_min_protocol_version` below `TLSv1.2`: set to `TLSv1` or `TLSv1.1`,
or left unset on PostgreSQL 12, whose default is `TLSv1` (13 and later default to `TLSv1.2`).

**Why it matters.** TLS 1.0 and 1.1 rely on SHA-1 and CBC constructions with known attacks and
are deprecated by RFC 8996. A server that accepts them lets a downgraded or outdated client
negotiate them.

**Example.**
```
ssl_min_protocol_version = 'TLSv1'
```

**Fix.** `ssl_min_protocol_version = 'TLSv1.2'` (or `'TLSv1.3'` when every client supports it),
then reload.

**References.** PostgreSQL documentation, "Connections and Authentication: SSL"
(`ssl_min_protocol_version`); release notes of PostgreSQL 13 (default raised to TLSv1.2)."#),
};

pub fn check(cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    let conf = &cx.model.conf;
    if !conf.is_present() || conf.param("ssl_min_protocol_version").is_none() {
        return;
    }
    let set = conf.effective("ssl_min_protocol_version");
    if set.is_none() && !conf.has_main_file() {
        return;
    }
    let Some(value) = conf.value_or_default("ssl_min_protocol_version") else { return };
    if tls_rank(&value).is_none_or(|r| r >= 2) {
        return;
    }
    let message = match set {
        Some(_) => format!("ssl_min_protocol_version = {value} lets clients use TLS versions older than 1.2"),
        None => format!(
            "ssl_min_protocol_version is not set, and PostgreSQL {}'s default {value} lets clients use TLS versions older than 1.2",
            conf.version
        ),
    };
    if let Some((at, fix)) =
        set_value(cx, "ssl_min_protocol_version", "'TLSv1.2'", "Raise the protocol floor to TLSv1.2")
    {
        out.push(Diagnostic::new(&META, at, message).with_fix(fix));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::conf::rules::test_support::{apply, run};

    #[test]
    fn old_floors_are_raised() {
        let (inputs, d) = run(check, 16, "ssl = on\nssl_min_protocol_version = tlsv1.1\n", None);
        assert_eq!(d.len(), 1);
        assert_eq!(apply(&inputs, &d[0]), "ssl = on\nssl_min_protocol_version = 'TLSv1.2'\n");
    }

    #[test]
    fn the_pg12_default_is_tlsv1() {
        let (inputs, d) = run(check, 12, "ssl = on\n", None);
        assert_eq!(d.len(), 1);
        assert!(d[0].message.contains("default TLSv1 "), "{}", d[0].message);
        assert_eq!(apply(&inputs, &d[0]), "ssl = on\nssl_min_protocol_version = 'TLSv1.2'\n");
        assert!(run(check, 13, "ssl = on\n", None).1.is_empty());
    }

    #[test]
    fn modern_floors_pass() {
        assert!(run(check, 12, "ssl_min_protocol_version = 'TLSv1.2'\n", None).1.is_empty());
        assert!(run(check, 17, "ssl_min_protocol_version = TLSv1.3\n", None).1.is_empty());
        assert!(run(check, 17, "ssl_min_protocol_version = 'TLSv1'\n", Some("ssl_min_protocol_version = 'TLSv1.3'\n")).1.is_empty());
    }
}
