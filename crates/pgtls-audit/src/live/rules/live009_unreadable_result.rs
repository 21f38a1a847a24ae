//! LIVE009: a live input that is not a live check result.

use crate::diagnostic::Diagnostic;
use crate::diagnostic::Severity;
use crate::rules::{Context, RuleMeta};

pub static META: RuleMeta = RuleMeta {
    id: "LIVE009",
    title: "Live check result cannot be read",
    severity: Severity::Error,
    item: None,
    docs_url: "https://www.postgresql.org/docs/current/ssl-tcp.html",
    help: "An input given as a live check result is not the JSON pgtls check and the relay write, so nothing in it was judged.",
    doc: crate::rule_doc!(r#"Finds an input of kind `live` that is not valid JSON of a live check result (for example a
truncated file or an unknown value such as `"plaintext": "maybe"`), and presented certificates
that are not PEM certificates.

**Why it matters.** The live findings, the presented chain's certificate findings and the
checklist evidence all come from this input; when it cannot be read, none of them are there.

**Example.** A result cut short by a copy and paste: `EOF while parsing an object at line 20`.

**Fix.** Run the check again (`pgtls check HOST --format json`, or the page's live check) and use
its output unchanged.

**References.** docs/report-format.md (the `live` member); PostgreSQL documentation, "Secure
TCP/IP Connections with SSL"."#),
};

pub fn check(cx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    for e in &cx.model.live.errors {
        out.push(Diagnostic::new(&META, e.location, e.message.clone()));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::detect::InputKind;
    use crate::options::AuditOptions;
    use crate::source::{Inputs, SourceFile};

    #[test]
    fn unreadable_results_are_reported_at_the_error() {
        let mut inputs = Inputs::new();
        inputs.push(SourceFile::from_text("live", InputKind::Live, "{\n  \"ssl_request\": 5\n}"));
        let options = AuditOptions::new(0);
        let model = crate::model::Model::build(&inputs, &options);
        let cx = Context { inputs: &inputs, options: &options, model: &model };
        let mut out = Vec::new();
        check(&cx, &mut out);
        assert_eq!(out.len(), 1);
        assert_eq!(inputs.files[0].line_col(out[0].location.span.start, Default::default()).line, 2);
        assert!(out[0].message.contains("not a live check result"));
    }
}
