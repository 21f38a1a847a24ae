use crate::diagnostic::{Activation, Diagnostic, Fix};
use crate::rules::{Context, RuleMeta};

pub static META: RuleMeta = RuleMeta {
    id: "MGD006",
    title: "Container accepts connections without TLS",
    severity: crate::Severity::Error,
    item: Some(3),
    docs_url: "https://www.postgresql.org/docs/current/auth-pg-hba-conf.html",
    help: "The official postgres image writes `host all all all METHOD` into pg_hba.conf and never \
           turns SSL on, so every client on the network connects in cleartext, and with \
           POSTGRES_HOST_AUTH_METHOD=trust without any password at all.",
    doc: crate::rule_doc!(r#"
**What it finds.** A compose service or `docker run` line using the official `postgres` image with
`POSTGRES_HOST_AUTH_METHOD=trust`, or with the image's default `host all all all METHOD` line and
no pg_hba.conf of its own that requires SSL.

**Why it matters.** The image's entrypoint appends that line after initdb's loopback rules; it
matches every address with or without SSL. `trust` admits anyone who can reach the port as any
role, including the superuser.

**Example.**
```yaml
services:
  db:
    image: postgres:16
    environment:
      POSTGRES_HOST_AUTH_METHOD: trust
```

**Fix.** Remove POSTGRES_HOST_AUTH_METHOD=trust, set a password, turn SSL on with mounted
certificates (`command: -c ssl=on -c ssl_cert_file=/certs/server.crt -c
ssl_key_file=/certs/server.key`) and mount a pg_hba.conf with `hostssl` lines and `hostnossl ...
reject` (`-c hba_file=/etc/postgresql/pg_hba.conf`).

**References.** PostgreSQL "The pg_hba.conf File"; the postgres image's docker-entrypoint.sh.
"#),
};

pub fn check(cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    for c in &cx.model.platform.containers {
        let fix = Fix::new("turn SSL on with mounted certificates and mount a pg_hba.conf that requires it")
            .snippet(
                "command: >-\n  -c ssl=on -c ssl_cert_file=/certs/server.crt -c ssl_key_file=/certs/server.key\n  -c hba_file=/etc/postgresql/pg_hba.conf\n# pg_hba.conf:\n# local all all peer\n# hostnossl all all 0.0.0.0/0 reject\n# hostnossl all all ::/0 reject\n# hostssl all all 0.0.0.0/0 scram-sha-256\n# hostssl all all ::/0 scram-sha-256",
            )
            .activation(Activation::Restart);
        if let Some(auth) = c.host_auth_method.as_ref().filter(|a| a.value == "trust") {
            out.push(
                Diagnostic::new(&META, auth.location, format!("{}: POSTGRES_HOST_AUTH_METHOD=trust lets anyone who reaches the port in as any role, without a password or TLS", c.name))
                    .with_fix(fix),
            );
        } else if !c.mounts_own_hba {
            let at = c.host_auth_method.as_ref().map_or(c.location, |a| a.location);
            let tls = if c.configures_tls { "SSL is on but not required" } else { "SSL is never turned on" };
            out.push(
                Diagnostic::new(
                    &META,
                    at,
                    format!("{}: the image's pg_hba.conf ends in `host all all all {}`; {tls}, so clients connect in cleartext", c.name, c.effective_method),
                )
                .with_fix(fix),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::platform::rules::testing::findings;

    #[test]
    fn trust_and_default_lines() {
        let trust = "services:\n  db:\n    image: postgres:16\n    environment:\n      POSTGRES_HOST_AUTH_METHOD: trust\n";
        let d = findings("MGD006", "compose.yaml", trust, 0, 16);
        assert_eq!(d.len(), 1);
        assert!(d[0].message.contains("trust"));
        let default = "services:\n  db:\n    image: postgres:16\n    environment:\n      POSTGRES_PASSWORD: x\n";
        assert!(findings("MGD006", "compose.yaml", default, 0, 16)[0].message.contains("scram-sha-256"));
        let own = "services:\n  db:\n    image: postgres:16\n    volumes:\n      - ./pg_hba.conf:/etc/postgresql/pg_hba.conf\n    command: postgres -c hba_file=/etc/postgresql/pg_hba.conf -c ssl=on\n";
        assert!(findings("MGD006", "compose.yaml", own, 0, 16).is_empty());
    }
}
