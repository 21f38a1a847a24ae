use crate::diagnostic::Diagnostic;
use crate::rules::{Context, RuleMeta};

pub static META: RuleMeta = RuleMeta {
    id: "MGD008",
    title: "Unreadable cloud, Kubernetes or container input",
    severity: crate::Severity::Error,
    item: None,
    docs_url: "https://www.postgresql.org/docs/current/runtime-config-connection.html",
    help: "Part of this input could not be read, so what it configures was not checked.",
    doc: crate::rule_doc!(r#"
**What it finds.** A cloud export, Kubernetes manifest, Patroni file or compose file that is not
valid JSON or YAML, a document of a kind pgtls does not know, a Secret whose certificate is not
valid base64, or a cert-manager duration that cert-manager itself could not read.

**Why it matters.** Whatever the unreadable part configures (TLS settings, pg_hba entries,
certificates) is not audited; a silent pass would be wrong, and the tool that applies the file
would refuse it too.

**Example.** `services: [db` (an unterminated flow sequence).

**Fix.** Correct the syntax at the position shown; `kubectl apply --dry-run=client -f FILE` or
`docker compose config` report the same problems.

**References.** YAML 1.2; the Kubernetes and cert-manager API references.
"#),
};

pub fn check(cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    for e in &cx.model.platform.parse_errors {
        out.push(Diagnostic::new(&META, e.location, e.message.clone()));
    }
}

#[cfg(test)]
mod tests {
    use crate::platform::rules::testing::findings;

    #[test]
    fn malformed_documents_are_located() {
        let d = findings("MGD008", "compose.yaml", "services:\n  db: [image\n", 0, 16);
        assert_eq!(d.len(), 1);
        let d = findings("MGD008", "x.json", "{\"DBInstances\": [}", 0, 16);
        assert_eq!(d.len(), 1);
    }
}
