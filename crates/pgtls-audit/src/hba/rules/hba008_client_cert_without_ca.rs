//! HBA008: client certificates asked for while no CA file is configured.

use crate::diagnostic::{Activation, Diagnostic, Fix, Severity};
use crate::hba::record::ClientCert;
use crate::hba::AuthMethod;
use crate::rules::{Context, RuleMeta};

use super::record_text;

pub static META: RuleMeta = RuleMeta {
    id: "HBA008",
    title: "Client certificates required but ssl_ca_file is empty",
    severity: Severity::Error,
    item: None,
    docs_url: "https://www.postgresql.org/docs/current/ssl-tcp.html#SSL-CLIENT-CERTIFICATES",
    help: "Without ssl_ca_file the server cannot check client certificates, so every connection meeting this line fails.",
    doc: crate::rule_doc!(r#"
**What it finds.** A pg_hba.conf line with the `cert` method or a `clientcert` option, while the
given postgresql.conf leaves `ssl_ca_file` empty (its default). Reported only when a
postgresql.conf was given.

**Why it matters.** The server asks for and verifies client certificates only against the CAs
in `ssl_ca_file`. Without it, connections meeting the line fail with "client certificates can
only be checked if a root certificate store is available".

**Example.**
```
hostssl all all 0.0.0.0/0 cert
```
with no `ssl_ca_file` in postgresql.conf.

**Fix.** Point `ssl_ca_file` at the CA (or bundle) that issued the client certificates, and
reload:
```
ssl_ca_file = 'root.crt'
```

**References.** PostgreSQL documentation, "Using Client Certificates";
`ClientAuthentication` in `src/backend/libpq/auth.c`.
"#),
};

pub fn check(cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    if !cx.model.conf.is_present() {
        return;
    }
    let setting = cx.model.conf.effective("ssl_ca_file");
    if setting.is_some_and(|s| !s.value.trim().is_empty()) {
        return;
    }
    for (_, _, r) in cx.model.hba.records() {
        let asks = r.method == AuthMethod::Cert || r.option("clientcert").is_some() && r.clientcert != ClientCert::Off;
        if !asks {
            continue;
        }
        let what = if r.method == AuthMethod::Cert { "the cert method".to_string() } else { format!("clientcert={}", r.option("clientcert").map_or("", |o| o.value.as_str())) };
        // Which CA to trust is a decision, so the fix is a snippet to adapt.
        let fix = Fix::new("Set ssl_ca_file to the CA certificate(s) that issued the client certificates, then reload")
            .snippet("ssl_ca_file = 'root.crt'")
            .activation(Activation::Reload);
        out.push(
            Diagnostic::new(
                &META,
                r.location(),
                format!(
                    "line {} ({}) uses {what}, but ssl_ca_file is empty: client certificates can only be checked if a root certificate store is available",
                    r.line_number,
                    record_text(cx.inputs, r)
                ),
            )
            .with_fix(fix),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::super::audit_of;

    fn count(files: &[(&str, &str)]) -> usize {
        let (_, a) = audit_of(files, 16);
        a.diagnostics.iter().filter(|d| d.rule.id == "HBA008").count()
    }

    const HBA: &str = "hostssl all all all cert\nhostssl all all all scram-sha-256 clientcert=verify-ca\nhostssl all all all scram-sha-256\n";

    #[test]
    fn no_postgresql_conf_no_finding() {
        assert_eq!(count(&[("pg_hba.conf", HBA)]), 0);
    }

    #[test]
    fn a_ca_file_satisfies_it() {
        assert_eq!(count(&[("pg_hba.conf", HBA), ("postgresql.conf", "ssl = on\nssl_ca_file = 'root.crt'\n")]), 0);
    }

    #[test]
    fn empty_or_unset_ca_file_is_reported() {
        assert_eq!(count(&[("pg_hba.conf", HBA), ("postgresql.conf", "ssl = on\n")]), 2);
        assert_eq!(count(&[("pg_hba.conf", HBA), ("postgresql.conf", "ssl = on\nssl_ca_file = ''\n")]), 2);
    }
}
