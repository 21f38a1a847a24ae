//! LIVE001: the server let a plaintext StartupMessage through to authentication.

use crate::diagnostic::{Activation, Diagnostic, Fix, Severity};
use crate::live::PlaintextOutcome;
use crate::rules::{Context, RuleMeta};

pub static META: RuleMeta = RuleMeta {
    id: "LIVE001",
    title: "Server accepts a plaintext connection",
    severity: Severity::Error,
    item: Some(3),
    docs_url: "https://www.postgresql.org/docs/current/auth-pg-hba-conf.html",
    help: "A StartupMessage sent without SSL got an authentication request: a client with sslmode=disable/allow/prefer (or a downgrading attacker) can talk to this server unencrypted.",
    doc: crate::rule_doc!(r#"Finds a live check whose plaintext probe (a StartupMessage sent without SSLRequest, for the
probe user and database) was answered with an authentication request rather than the
ErrorResponse 28000 ("... no encryption") that pg_hba.conf gives when no non-SSL line matches.

**Why it matters.** PostgreSQL cannot force TLS at the protocol level; only pg_hba.conf can, by
matching remote connections with `hostssl` lines and nothing else. When a `host` (or `hostnossl`)
line matches, passwords, queries and results travel in clear text for every client whose
`sslmode` is below `require`, and an active attacker can strip SSL from `prefer` clients.

**Example.** `host all all 0.0.0.0/0 scram-sha-256` lets a plaintext connection reach SCRAM; the
probe sees `AuthenticationSASL` and reports `"plaintext": "accepted"`.

**Fix.** Use `hostssl` for remote lines and put an explicit reject for everything else at the top
of pg_hba.conf, then reload:

```
hostnossl all all 0.0.0.0/0 reject
hostnossl all all ::/0      reject
```

The probe's answer holds for the probed user and database only; a line naming a particular role
or database may still let that one in.

**References.** PostgreSQL documentation, "The pg_hba.conf File" (`hostssl`, `hostnossl`);
`src/backend/libpq/hba.c` (`check_hba`), `src/backend/libpq/auth.c` (`ClientAuthentication`)."#),
};

pub fn check(cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    for e in &cx.model.live.entries {
        if e.result.plaintext != PlaintextOutcome::Accepted {
            continue;
        }
        let t = &e.result.target;
        let detail = e.result.plaintext_detail.as_deref().unwrap_or("the server answered with an authentication request");
        out.push(
            Diagnostic::new(
                &META,
                e.location("plaintext"),
                format!(
                    "{}:{} accepts a connection without SSL for user \"{}\", database \"{}\": {detail}",
                    t.host, t.port, t.user, t.database
                ),
            )
            .with_fix(
                Fix::new("Reject non-SSL connections in pg_hba.conf (first lines) and use hostssl for remote lines, then reload")
                    .snippet("hostnossl all all 0.0.0.0/0 reject\nhostnossl all all ::/0      reject\n")
                    .activation(Activation::Reload),
            ),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::live::tests::findings;
    use crate::live::LiveResult;
    use crate::rules::Rule;

    const RULE: Rule = Rule { meta: &META, check };

    #[test]
    fn accepted_plaintext_is_reported_on_its_line() {
        let mut r = LiveResult::default();
        r.plaintext = PlaintextOutcome::Accepted;
        r.plaintext_detail = Some("AuthenticationOk (trust)".into());
        let found = findings(&RULE, &r);
        assert_eq!(found.len(), 1);
        assert!(found[0].0.contains("AuthenticationOk (trust)"));
        assert_eq!(found[0].1, "\"plaintext\": \"accepted\",");
    }

    #[test]
    fn rejected_or_unknown_is_silent() {
        let mut r = LiveResult::default();
        assert!(findings(&RULE, &r).is_empty());
        r.plaintext = PlaintextOutcome::Rejected;
        assert!(findings(&RULE, &r).is_empty());
    }
}
