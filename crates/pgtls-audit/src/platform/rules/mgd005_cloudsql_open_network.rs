use crate::diagnostic::{Activation, Diagnostic, Fix};
use crate::rules::{Context, RuleMeta};

pub static META: RuleMeta = RuleMeta {
    id: "MGD005",
    title: "Cloud SQL public IP open to the whole internet",
    severity: crate::Severity::Warning,
    item: Some(3),
    docs_url: "https://www.postgresql.org/docs/current/auth-pg-hba-conf.html",
    help: "An authorized network of 0.0.0.0/0 on a public IP lets anyone on the internet reach the \
           server's login; only TLS and the password stand between them and the data.",
    doc: crate::rule_doc!(r#"
**What it finds.** A Cloud SQL instance with a public IPv4 address (`ipv4Enabled` true or unset)
and `0.0.0.0/0` among its `authorizedNetworks`.

**Why it matters.** Authorized networks are Cloud SQL's address filter, the part of pg_hba.conf's
ADDRESS column you control. Opening it to the world invites password guessing and exposes any
plaintext path.

**Example.** `authorizedNetworks: [{value: 0.0.0.0/0}]`

**Fix.** List the client networks instead, or use private IP / the Cloud SQL Auth Proxy:
`gcloud sql instances patch INSTANCE --authorized-networks=203.0.113.0/24`.

**References.** PostgreSQL "The pg_hba.conf File"; Google Cloud "Authorize with authorized networks".
"#),
};

pub fn check(cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    for sql in &cx.model.platform.cloud_sql {
        if sql.ipv4_enabled.as_ref().is_some_and(|v| !v.value) {
            continue;
        }
        for net in sql.authorized_networks.iter().filter(|n| n.value == "0.0.0.0/0" || n.value == "0.0.0.0/0.0.0.0") {
            out.push(
                Diagnostic::new(&META, net.location, "authorized network 0.0.0.0/0: the public IP accepts connections from anywhere")
                    .with_fix(
                        Fix::new("authorize only the networks your clients are in")
                            .snippet("gcloud sql instances patch INSTANCE --authorized-networks=CLIENT_CIDR")
                            .activation(Activation::Reload),
                    ),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::platform::rules::testing::findings;

    #[test]
    fn open_world_warns_private_does_not() {
        let doc = |ipv4: &str| format!("databaseVersion: POSTGRES_16\nsettings:\n  ipConfiguration:\n    sslMode: ENCRYPTED_ONLY\n    ipv4Enabled: {ipv4}\n    authorizedNetworks:\n    - value: 0.0.0.0/0\n");
        assert_eq!(findings("MGD005", "i.yaml", &doc("true"), 0, 16).len(), 1);
        assert!(findings("MGD005", "i.yaml", &doc("false"), 0, 16).is_empty());
    }
}
