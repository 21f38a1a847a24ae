use crate::diagnostic::{Activation, Diagnostic, Fix};
use crate::rules::{Context, RuleMeta};

pub static META: RuleMeta = RuleMeta {
    id: "MGD002",
    title: "Cloud SQL allows unencrypted connections",
    severity: crate::Severity::Error,
    item: Some(3),
    docs_url: "https://www.postgresql.org/docs/current/ssl-tcp.html",
    help: "Cloud SQL's sslMode decides whether a connection without SSL is accepted. \
           ALLOW_UNENCRYPTED_AND_ENCRYPTED (or the older requireSsl: false) lets cleartext in.",
    doc: crate::rule_doc!(r#"
**What it finds.** A `gcloud sql instances describe` document whose
`settings.ipConfiguration.sslMode` is `ALLOW_UNENCRYPTED_AND_ENCRYPTED`, or, without sslMode, whose
older `requireSsl` is false or absent.

**Why it matters.** Cloud SQL manages pg_hba.conf; sslMode is the managed equivalent of requiring
`hostssl`. With unencrypted connections allowed, any client on sslmode=prefer or disable may send
queries and passwords in cleartext.

**Example.** `sslMode: ALLOW_UNENCRYPTED_AND_ENCRYPTED`

**Fix.** `gcloud sql instances patch INSTANCE --ssl-mode=ENCRYPTED_ONLY` (or
`TRUSTED_CLIENT_CERTIFICATE_REQUIRED` to also require client certificates).

**References.** Google Cloud: "Configure SSL/TLS certificates" for Cloud SQL for PostgreSQL.
"#),
};

pub fn check(cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    let fix = || {
        Fix::new("require encrypted connections")
            .snippet("gcloud sql instances patch INSTANCE --ssl-mode=ENCRYPTED_ONLY")
            .activation(Activation::Reload)
    };
    for sql in &cx.model.platform.cloud_sql {
        match (&sql.ssl_mode, &sql.require_ssl) {
            (Some(mode), _) if mode.value == "ALLOW_UNENCRYPTED_AND_ENCRYPTED" => out.push(
                Diagnostic::new(&META, mode.location, "sslMode ALLOW_UNENCRYPTED_AND_ENCRYPTED accepts connections without SSL")
                    .with_fix(fix()),
            ),
            (Some(_), _) => {}
            (None, Some(req)) if !req.value => out.push(
                Diagnostic::new(&META, req.location, "requireSsl is false: connections without SSL are accepted").with_fix(fix()),
            ),
            (None, Some(_)) => {}
            (None, None) => {
                if let Some(doc) = sql.document {
                    out.push(
                        Diagnostic::new(&META, doc, "neither sslMode nor requireSsl is set: Cloud SQL's default accepts connections without SSL")
                            .with_fix(fix()),
                    );
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::platform::rules::testing::findings;

    #[test]
    fn modes() {
        let doc = |ip: &str| format!("databaseVersion: POSTGRES_16\nsettings:\n  ipConfiguration:\n{ip}");
        assert_eq!(findings("MGD002", "i.yaml", &doc("    sslMode: ALLOW_UNENCRYPTED_AND_ENCRYPTED\n"), 0, 16).len(), 1);
        assert_eq!(findings("MGD002", "i.yaml", &doc("    requireSsl: false\n"), 0, 16).len(), 1);
        assert_eq!(findings("MGD002", "i.yaml", &doc("    ipv4Enabled: false\n"), 0, 16).len(), 1);
        assert!(findings("MGD002", "i.yaml", &doc("    sslMode: ENCRYPTED_ONLY\n"), 0, 16).is_empty());
        assert!(findings("MGD002", "i.yaml", &doc("    requireSsl: true\n"), 0, 16).is_empty());
    }
}
