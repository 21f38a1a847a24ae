//! CONF003: a protocol ceiling keeps TLS 1.3 away.

use super::{set_value, tls_rank, SSL_DOCS};
use crate::diagnostic::{Diagnostic, Severity};
use crate::rules::{Context, RuleMeta};

pub static META: RuleMeta = RuleMeta {
    id: "CONF003",
    title: "TLS 1.3 is disabled by ssl_max_protocol_version",
    severity: Severity::Warning,
    item: Some(1),
    docs_url: SSL_DOCS,
    help: "A ceiling below TLSv1.3 denies clients the newest protocol, its faster handshake and its forward-secret suites.",
    doc: crate::rule_doc!(r#"Finds `ssl_max_protocol_version` set to a version below `TLSv1.3` (`TLSv1`, `TLSv1.1` or
`TLSv1.2`). The default, an empty string, allows every version the TLS library supports.

**Why it matters.** TLS 1.3 removes the weak cipher suites and key exchanges of earlier
versions and always provides forward secrecy. A ceiling is meant for testing; left in place it
keeps every client on an older protocol.

**Example.**
```
ssl_max_protocol_version = 'TLSv1.2'
```

**Fix.** Remove the ceiling: `ssl_max_protocol_version = ''`, then reload.

**References.** PostgreSQL documentation, "Connections and Authentication: SSL"
(`ssl_max_protocol_version`: "the default is to allow any version"; "mainly useful for testing")."#),
};

pub fn check(cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    let conf = &cx.model.conf;
    let Some(set) = conf.effective("ssl_max_protocol_version") else { return };
    if tls_rank(&set.value).is_none_or(|r| r >= 3) {
        return;
    }
    let message = format!("ssl_max_protocol_version = {} keeps clients from using TLS 1.3", set.value);
    if let Some((at, fix)) = set_value(cx, "ssl_max_protocol_version", "''", "Remove the protocol ceiling") {
        out.push(Diagnostic::new(&META, at, message).with_fix(fix));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::conf::rules::test_support::{apply, run};

    #[test]
    fn ceilings_below_tls13_are_removed() {
        let (inputs, d) = run(check, 16, "ssl_max_protocol_version = 'TLSv1.2'\n", None);
        assert_eq!(d.len(), 1);
        assert_eq!(apply(&inputs, &d[0]), "ssl_max_protocol_version = ''\n");
    }

    #[test]
    fn no_ceiling_or_tls13_passes() {
        assert!(run(check, 16, "ssl = on\n", None).1.is_empty());
        assert!(run(check, 16, "ssl_max_protocol_version = ''\n", None).1.is_empty());
        assert!(run(check, 16, "ssl_max_protocol_version = TLSv1.3\n", None).1.is_empty());
    }
}
