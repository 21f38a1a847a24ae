//! CONF009: the protocol floor is above the ceiling.

use super::{set_value, tls_rank, SSL_DOCS};
use crate::diagnostic::{Diagnostic, Severity};
use crate::rules::{Context, RuleMeta};
use crate::source::Location;

pub static META: RuleMeta = RuleMeta {
    id: "CONF009",
    title: "Minimum TLS version above the maximum",
    severity: Severity::Error,
    item: Some(1),
    docs_url: SSL_DOCS,
    help: "When ssl_min_protocol_version is above ssl_max_protocol_version no protocol is left and SSL cannot start.",
    doc: crate::rule_doc!(r#"Finds an effective `ssl_min_protocol_version` (set, or its default) that is higher than a
non-empty `ssl_max_protocol_version`.

**Why it matters.** PostgreSQL refuses the combination when it builds the SSL context: at start
it is FATAL "could not set SSL protocol version range" with DETAIL ""ssl_min_protocol_version"
cannot be higher than "ssl_max_protocol_version"", and on a reload the new SSL settings are
not applied.

**Example.**
```
ssl_min_protocol_version = 'TLSv1.3'
ssl_max_protocol_version = 'TLSv1.2'
```

**Fix.** Remove the ceiling (`ssl_max_protocol_version = ''`) or lower the floor, then reload.

**References.** `src/backend/libpq/be-secure-openssl.c` (`be_tls_init`); PostgreSQL
documentation, "Connections and Authentication: SSL"."#),
};

pub fn check(cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    let conf = &cx.model.conf;
    let Some(max) = conf.effective("ssl_max_protocol_version") else { return };
    let Some(max_rank) = tls_rank(&max.value) else { return };
    let Some(min_value) = conf.value_or_default("ssl_min_protocol_version") else { return };
    let Some(min_rank) = tls_rank(&min_value) else { return };
    if min_rank <= max_rank {
        return;
    }
    let Some((at, fix)) = set_value(cx, "ssl_max_protocol_version", "''", "Remove the protocol ceiling") else { return };
    let mut d = Diagnostic::new(
        &META,
        at,
        format!(
            "ssl_min_protocol_version {min_value} is higher than ssl_max_protocol_version {}: PostgreSQL stops with FATAL \"could not set SSL protocol version range\"",
            max.value
        ),
    )
    .with_fix(fix);
    if let Some(min) = conf.effective("ssl_min_protocol_version") {
        d = d.related(Location::new(min.location.file, min.value_span), "the protocol floor is set here");
    }
    out.push(d);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::conf::rules::test_support::{apply, run};

    #[test]
    fn floor_above_ceiling() {
        let (inputs, d) = run(check, 16, "ssl_min_protocol_version = 'TLSv1.3'\nssl_max_protocol_version = 'TLSv1.2'\n", None);
        assert_eq!(d.len(), 1);
        assert_eq!(d[0].related.len(), 1);
        assert!(apply(&inputs, &d[0]).ends_with("ssl_max_protocol_version = ''\n"));
    }

    #[test]
    fn the_default_floor_counts() {
        // 13+: the default floor TLSv1.2 is above a TLSv1.1 ceiling; 12's TLSv1 is not.
        assert_eq!(run(check, 13, "ssl_max_protocol_version = 'TLSv1.1'\n", None).1.len(), 1);
        assert!(run(check, 12, "ssl_max_protocol_version = 'TLSv1.1'\n", None).1.is_empty());
    }

    #[test]
    fn a_valid_range_passes() {
        assert!(run(check, 16, "ssl_min_protocol_version = 'TLSv1.2'\nssl_max_protocol_version = 'TLSv1.2'\n", None).1.is_empty());
        assert!(run(check, 16, "ssl_min_protocol_version = 'TLSv1.3'\nssl_max_protocol_version = ''\n", None).1.is_empty());
    }
}
