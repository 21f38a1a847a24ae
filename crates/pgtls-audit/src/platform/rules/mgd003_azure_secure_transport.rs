use crate::diagnostic::{Activation, Diagnostic, Fix};
use crate::rules::{Context, RuleMeta};

pub static META: RuleMeta = RuleMeta {
    id: "MGD003",
    title: "Azure does not require secure transport",
    severity: crate::Severity::Error,
    item: Some(3),
    docs_url: "https://www.postgresql.org/docs/current/ssl-tcp.html",
    help: "On Azure Database for PostgreSQL flexible server, require_secure_transport = off lets \
           clients connect without TLS.",
    doc: crate::rule_doc!(r#"
**What it finds.** An `az postgres flexible-server parameter list` export in which
`require_secure_transport` is `off`.

**Why it matters.** Azure manages pg_hba.conf; this server parameter is how TLS is required for
every connection. Off, a client on sslmode=prefer or disable sends everything in cleartext.

**Example.** `{"name": "require_secure_transport", "value": "off"}`

**Fix.** `az postgres flexible-server parameter set -g GROUP -s SERVER --name require_secure_transport --value on`
(dynamic: no restart).

**References.** Azure: "Networking overview: TLS and SSL" for flexible server.
"#),
};

pub fn check(cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    for az in &cx.model.platform.azure {
        if let Some(p) = &az.require_secure_transport {
            if crate::conf::parse_bool(&p.value) == Some(false) {
                out.push(
                    Diagnostic::new(&META, p.location, format!("require_secure_transport = {}: connections without TLS are accepted", p.value))
                        .with_fix(
                            Fix::new("turn require_secure_transport on")
                                .snippet("az postgres flexible-server parameter set -g GROUP -s SERVER --name require_secure_transport --value on")
                                .activation(Activation::Reload),
                        ),
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::platform::rules::testing::findings;

    #[test]
    fn off_fails_on_passes() {
        let doc = |v: &str| format!(r#"[{{"name": "require_secure_transport", "value": "{v}"}}]"#);
        assert_eq!(findings("MGD003", "a.json", &doc("off"), 0, 16).len(), 1);
        assert!(findings("MGD003", "a.json", &doc("on"), 0, 16).is_empty());
    }
}
