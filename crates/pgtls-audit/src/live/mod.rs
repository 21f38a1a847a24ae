//! The result of a live check of a server, as data the engine judges like any other input.
//!
//! The probe writes a [`LiveResult`]; the caller adds it to the inputs as pretty JSON of kind
//! [`InputKind::Live`]. [`LiveModel::build`] reads it back, keeping where each member sits so
//! that a finding points at the line that shows it (`"plaintext": "accepted"`), and decodes the
//! presented chain for the certificate area.

pub mod result;
pub mod rules;
pub mod spans;

use base64::Engine as _;

pub use result::{
    weak_tls12_suite_reason, DirectTlsOutcome, LiveResult, PlaintextOutcome, Protocols, SslRequestOutcome,
    StepFailure, Target, TlsSession,
};

use crate::checklist::Evidence;
use crate::detect::InputKind;
use crate::diagnostic::ParseError;
use crate::options::AuditOptions;
use crate::source::{FileId, Inputs, Location, SourceFile, Span};

/// One live input, read.
#[derive(Debug)]
pub struct LiveEntry {
    pub file: FileId,
    pub result: LiveResult,
    spans: spans::SpanMap,
    /// The presented certificates as DER, leaf first, each with its index in `certificates`.
    chain: Vec<(usize, Vec<u8>)>,
}

impl LiveEntry {
    /// Where the member at `path` (`plaintext`, `protocols.TLSv1.3`, `failures[0]`) is shown;
    /// the nearest recorded parent when the member is missing, the file's start at worst.
    pub fn location(&self, path: &str) -> Location {
        let mut p = path;
        loop {
            if let Some(span) = self.spans.get(p) {
                return Location::new(self.file, *span);
            }
            match p.rfind(['.', '[']) {
                Some(cut) => p = &p[..cut],
                None => return Location::new(self.file, Span::at(0)),
            }
        }
    }
}

#[derive(Debug, Default)]
pub struct LiveModel {
    pub entries: Vec<LiveEntry>,
    /// Live inputs that could not be read (LIVE009).
    pub errors: Vec<ParseError>,
}

impl LiveModel {
    pub fn build(inputs: &Inputs, _options: &AuditOptions) -> Self {
        let mut model = LiveModel::default();
        for (id, file) in inputs.of_kind(InputKind::Live) {
            match serde_json::from_str::<LiveResult>(&file.text) {
                Ok(result) => {
                    let spans = spans::locate(&file.text);
                    let mut chain = Vec::new();
                    for (i, pem) in result.certificates.iter().enumerate() {
                        match pem_certificate_der(pem) {
                            Some(der) => chain.push((i, der)),
                            None => {
                                let span = spans.get(&format!("certificates[{i}]")).copied().unwrap_or(Span::at(0));
                                model.errors.push(ParseError::new(
                                    id,
                                    span,
                                    format!("certificates[{i}] is not a PEM certificate (BEGIN CERTIFICATE with base64)"),
                                ));
                            }
                        }
                    }
                    model.entries.push(LiveEntry { file: id, result, spans, chain });
                }
                Err(e) => model.errors.push(json_error(id, file, &e)),
            }
        }
        model
    }

    /// The first live result, for the report.
    pub fn result(&self) -> Option<&LiveResult> {
        self.entries.first().map(|e| &e.result)
    }

    /// The DER certificates the server presented, leaf first, each with the place in the live
    /// input that shows it; the certificate area judges them like given files.
    pub fn presented_certificates(&self) -> Vec<(&[u8], Location)> {
        self.entries
            .iter()
            .flat_map(|e| e.chain.iter().map(move |(i, der)| (der.as_slice(), e.location(&format!("certificates[{i}]")))))
            .collect()
    }

    /// Item 1 when the server answered SSLRequest (its TLS could be judged), item 3 when the
    /// plaintext probe got a clear answer.
    pub fn evidence(&self, evidence: &mut Evidence) {
        for e in &self.entries {
            if matches!(e.result.ssl_request, SslRequestOutcome::Accepted | SslRequestOutcome::Refused) {
                evidence.insert(1);
            }
            if matches!(e.result.plaintext, PlaintextOutcome::Accepted | PlaintextOutcome::Rejected) {
                evidence.insert(3);
            }
        }
    }
}

/// The DER inside one PEM certificate block; None when it is not one.
fn pem_certificate_der(pem: &str) -> Option<Vec<u8>> {
    let begin = "-----BEGIN CERTIFICATE-----";
    let end = "-----END CERTIFICATE-----";
    let start = pem.find(begin)? + begin.len();
    let stop = start + pem[start..].find(end)?;
    let body: String = pem[start..stop].chars().filter(|c| !c.is_ascii_whitespace()).collect();
    let der = base64::engine::general_purpose::STANDARD.decode(body).ok()?;
    (!der.is_empty()).then_some(der)
}

/// A serde_json error as a located parse error: serde_json counts 1-based lines and columns
/// (line 0 when the error has no position).
fn json_error(id: FileId, file: &SourceFile, e: &serde_json::Error) -> ParseError {
    let offset = if e.line() == 0 {
        0
    } else {
        let line = (e.line() - 1).min(file.line_index.line_count() - 1);
        let line_span = file.line_index.line_span(&file.text, line);
        let mut at = (line_span.start + e.column().saturating_sub(1)).min(line_span.end);
        while !file.text.is_char_boundary(at) {
            at -= 1;
        }
        at
    };
    let line_end = file.line_index.line_span(&file.text, file.line_index.line_of(offset)).end;
    ParseError::new(id, Span::new(offset, line_end.max(offset)), format!("not a live check result: {e}"))
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// Inputs holding `result` as the probe hands it over.
    pub(crate) fn inputs_with(result: &LiveResult) -> Inputs {
        let mut inputs = Inputs::new();
        inputs.push(SourceFile::from_text(
            "live:db.example.com:5432",
            InputKind::Live,
            serde_json::to_string_pretty(result).unwrap(),
        ));
        inputs
    }

    /// The findings of `rule` over `result`, each as (message, text of its line).
    pub(crate) fn findings(rule: &crate::rules::Rule, result: &LiveResult) -> Vec<(String, String)> {
        let inputs = inputs_with(result);
        let options = AuditOptions::new(1_800_000_000);
        let model = crate::model::Model::build(&inputs, &options);
        let cx = crate::rules::Context { inputs: &inputs, options: &options, model: &model };
        let mut out = Vec::new();
        (rule.check)(&cx, &mut out);
        out.into_iter()
            .map(|d| {
                let f = inputs.file(d.location.file);
                (d.message, f.line_text_at(d.location.span.start).trim().to_string())
            })
            .collect()
    }

    const LEAF: &str = "-----BEGIN CERTIFICATE-----\nMIIBszCCAVmgAwIBAgIUQ0VSVA==\n-----END CERTIFICATE-----\n";

    #[test]
    fn presented_chain_is_decoded_and_located() {
        let mut r = LiveResult::default();
        r.certificates = vec![LEAF.to_string(), "junk".to_string()];
        let inputs = inputs_with(&r);
        let model = LiveModel::build(&inputs, &AuditOptions::new(0));
        let chain = model.presented_certificates();
        assert_eq!(chain.len(), 1);
        assert_eq!(chain[0].0[0], 0x30);
        let text = &inputs.files[0].text;
        assert!(text[chain[0].1.span.start..].starts_with("\"-----BEGIN CERTIFICATE-----"));
        assert_eq!(model.errors.len(), 1);
        assert!(model.errors[0].message.contains("certificates[1]"));
    }

    #[test]
    fn malformed_json_is_a_located_error() {
        let mut inputs = Inputs::new();
        inputs.push(SourceFile::from_text("live", InputKind::Live, "{\n  \"plaintext\": \"maybe\"\n}"));
        inputs.push(SourceFile::from_text("live2", InputKind::Live, "\u{0}\u{1}garbage"));
        inputs.push(SourceFile::from_text("live3", InputKind::Live, ""));
        let model = LiveModel::build(&inputs, &AuditOptions::new(0));
        assert!(model.entries.is_empty());
        assert_eq!(model.errors.len(), 3);
        let first = &model.errors[0];
        assert_eq!(inputs.files[0].line_col(first.location.span.start, Default::default()).line, 2);
        assert!(first.message.contains("unknown variant"), "{}", first.message);
    }

    #[test]
    fn evidence_follows_clear_answers() {
        let mut r = LiveResult::default();
        let mut ev = Evidence::new();
        LiveModel::build(&inputs_with(&r), &AuditOptions::new(0)).evidence(&mut ev);
        assert!(ev.is_empty());
        r.ssl_request = SslRequestOutcome::Accepted;
        r.plaintext = PlaintextOutcome::Rejected;
        LiveModel::build(&inputs_with(&r), &AuditOptions::new(0)).evidence(&mut ev);
        assert_eq!(ev, [1, 3].into());
    }
}
