//! HBA009: lines PostgreSQL refuses (and what it logs or the audit cannot see).

use crate::diagnostic::{Activation, Diagnostic, Fix, Severity};
use crate::hba::token::{Problem, ProblemKind};
use crate::hba::AuthMethod;
use crate::rules::{Context, RuleMeta};

use crate::source::Span;

use super::HBA_DOCS;

pub static META: RuleMeta = RuleMeta {
    id: "HBA009",
    title: "pg_hba.conf or pg_ident.conf line PostgreSQL refuses",
    severity: Severity::Error,
    item: None,
    docs_url: HBA_DOCS,
    help: "One bad line makes the whole file fail to load: at startup the server refuses to start, and a reload keeps the old rules.",
    doc: crate::rule_doc!(r#"
**What it finds.** Every line PostgreSQL's `hba.c` would refuse for the target version, with its
own message (as `pg_hba_file_rules.error` shows it): unknown connection types or methods (they
are case-sensitive), methods not in this version (`oauth` before 18, `radius` from 19), options
not in `name=value` form or not valid for the method, `clientcert` outside `hostssl` or with a
value the version does not accept, `cert` outside `hostssl`, `peer` outside `local`, bad
addresses, masks and CIDR lengths, missing fields, tokens longer than the version allows,
include records before 16, and pg_ident.conf lines without three single-valued fields. Problems
PostgreSQL only logs, and `@file` or include targets that were not given, are reported as
warnings.

**Why it matters.** PostgreSQL loads pg_hba.conf all or nothing. With an error the server does
not start ("could not load pg_hba.conf"), and `pg_reload_conf()` logs "pg_hba.conf was not
reloaded" and keeps the old rules, so the edit silently does not apply.

**Example.**
```
host all all 0.0.0.0/0 scram-sha-256 clientcert=verify-full
```
gives "clientcert can only be configured for "hostssl" rows".

**Fix.** Correct the line as the message says, then check with
`SELECT line_number, error FROM pg_hba_file_rules WHERE error IS NOT NULL` before reloading.

**References.** `parse_hba_line`, `parse_hba_auth_opt` and `next_token` in
`src/backend/libpq/hba.c`; PostgreSQL documentation, "The pg_hba.conf File" and
"User Name Maps".
"#),
};

pub fn check(cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    let hba = &cx.model.hba;
    let problems = hba.files.iter().flat_map(|f| f.problems.iter()).chain(hba.idents.iter().flat_map(|f| f.problems.iter()));
    let mut seen: Vec<&Problem> = Vec::new();
    for p in problems {
        if seen.contains(&p) {
            continue;
        }
        seen.push(p);
        let severity = match p.kind {
            ProblemKind::Refused => Severity::Error,
            ProblemKind::Logged | ProblemKind::NotGiven => Severity::Warning,
        };
        let mut d = Diagnostic::new(&META, p.location, p.message.clone()).severity(severity);
        if let Some(fix) = fix_for(cx, p) {
            d = d.with_fix(fix);
        }
        out.push(d);
    }
}

/// The fix for a problem: an edit where the right one is clear (a keyword in the wrong case, a
/// connection type that must be hostssl, a clientcert value, a stray token), advice otherwise.
fn fix_for(cx: &Context<'_>, p: &Problem) -> Option<Fix> {
    let file = cx.inputs.files.get(p.location.file)?;
    let word = file.slice(p.location.span);
    let m = p.message.as_str();
    let reload = |f: Fix| f.activation(Activation::Reload);
    if p.kind == ProblemKind::NotGiven {
        return Some(Fix::new("Give the named file to the audit as well, so that the lines using it can be judged"));
    }
    let lower = word.to_ascii_lowercase();
    let known_type = ["local", "host", "hostssl", "hostnossl", "hostgssenc", "hostnogssenc"].contains(&lower.as_str());
    let known_method = AuthMethod::from_name(&lower, cx.options.pg_version).is_some();
    if ((m.starts_with("invalid connection type") && known_type) || (m.starts_with("invalid authentication method") && known_method))
        && lower != word
    {
        return Some(reload(Fix::new(format!("Keywords are case-sensitive: write {lower}")).edit(p.location.file, p.location.span, lower)));
    }
    if m.starts_with("cert authentication is only supported on hostssl")
        || m.starts_with("clientcert can only be configured for")
        || m.starts_with("clientname can only be configured for")
    {
        // The connection type is the first word of the record's first line.
        let line = file.line_index.line_span(&file.text, file.line_index.line_of(p.location.span.start));
        let text = file.slice(line);
        let start = line.start + (text.len() - text.trim_start().len());
        let end = start + file.text[start..].find([' ', '\t']).unwrap_or(0);
        if end > start {
            return Some(reload(
                Fix::new("Client certificates exist only on SSL connections: make the line hostssl").edit(p.location.file, Span::new(start, end), "hostssl"),
            ));
        }
    }
    if m.starts_with("invalid value for clientcert") || m.starts_with("clientcert can only be set to") || m.starts_with("clientcert only accepts") {
        return Some(reload(
            Fix::new("Use clientcert=verify-full (the certificate's name must match the role) or, except with cert, clientcert=verify-ca")
                .edit(p.location.file, p.location.span, "clientcert=verify-full"),
        ));
    }
    if m.starts_with("authentication option not in name=value format") {
        return Some(reload(Fix::new(format!("Remove \"{word}\" or write it as name=value")).edit(p.location.file, p.location.span, "")));
    }
    let advice = if m.starts_with("peer authentication is only supported on local sockets") {
        "peer works only for local lines: use ident (with an ident server) or scram-sha-256 on host lines"
    } else if m.starts_with("invalid authentication method") {
        "Use a method this version knows: scram-sha-256, cert, md5, password, trust, reject, peer, ident, gss, sspi, pam, bsd, ldap, radius (up to 18), oauth (18+)"
    } else if m.starts_with("invalid connection type") {
        "The first field is local, host, hostssl, hostnossl, hostgssenc or hostnogssenc (include records need PostgreSQL 16)"
    } else {
        "Correct the line as the message says, or remove it; then check pg_hba_file_rules for errors before reloading"
    };
    Some(reload(Fix::new(advice)))
}

#[cfg(test)]
mod tests {
    use super::super::audit_of;
    use crate::Severity;

    fn found(text: &str, v: u32) -> Vec<(String, Severity)> {
        let (_, a) = audit_of(&[("pg_hba.conf", text)], v);
        a.diagnostics.iter().filter(|d| d.rule.id == "HBA009").map(|d| (d.message.clone(), d.severity)).collect()
    }

    #[test]
    fn refused_lines_quote_hba_c() {
        assert_eq!(
            found("host all all 0.0.0.0/0 scram-sha-256 clientcert=verify-full\n", 16),
            vec![("clientcert can only be configured for \"hostssl\" rows".to_string(), Severity::Error)]
        );
        assert_eq!(found("host all all 0.0.0.0/0 scram-sha-256\n", 16), vec![]);
    }

    #[test]
    fn case_is_fixed() {
        let (_, a) = audit_of(&[("pg_hba.conf", "HOST all all 0.0.0.0/0 Trust\n")], 16);
        let d = a.diagnostics.iter().find(|d| d.rule.id == "HBA009").unwrap();
        assert_eq!(d.fix.as_ref().unwrap().edits[0].replacement, "host");
    }

    #[test]
    fn client_certificates_need_hostssl() {
        let (inputs, a) = audit_of(&[("pg_hba.conf", "  host all all 0.0.0.0/0 cert\n")], 16);
        let d = a.diagnostics.iter().find(|d| d.rule.id == "HBA009").unwrap();
        let e = &d.fix.as_ref().unwrap().edits[0];
        assert_eq!((inputs.file(0).slice(e.span), e.replacement.as_str()), ("host", "hostssl"));
    }

    #[test]
    fn files_not_given_are_warnings() {
        let f = found("host all @admins 0.0.0.0/0 scram-sha-256\n", 16);
        assert_eq!(f.len(), 1);
        assert_eq!(f[0].1, Severity::Warning);
    }

    #[test]
    fn ident_lines_are_checked() {
        let (_, a) = audit_of(&[("pg_hba.conf", "local all all peer map=m\n"), ("pg_ident.conf", "m alice\n")], 16);
        assert!(a.diagnostics.iter().any(|d| d.rule.id == "HBA009" && d.message == "missing entry at end of line"));
    }
}
