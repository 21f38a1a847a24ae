//! The report: one serde type that the CLI's JSON, the page's export and the relay's answer all
//! serialise, so that they cannot drift apart. Its format is documented in docs/report-format.md.

use serde::{Deserialize, Serialize};

use crate::checklist::ChecklistEntry;
use crate::diagnostic::{Activation, Severity};
use crate::source::ColumnUnit;
use crate::{cert, conn, hba, live, Analysis};

/// Bumped when a field changes meaning or disappears; adding a field does not bump it.
pub const REPORT_FORMAT_VERSION: u32 = 1;

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Report {
    pub format_version: u32,
    pub score: u8,
    pub grade: String,
    pub checklist: Vec<ChecklistEntry>,
    pub findings: Vec<Finding>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub exposure: Option<hba::ExposureMatrix>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub certificates: Vec<cert::CertificateSummary>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub clients: Vec<conn::ClientSummary>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub live: Option<live::LiveResult>,
    pub inputs: Vec<InputSummary>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct InputSummary {
    pub file: String,
    pub kind: String,
}

/// A diagnostic as the outside world sees it: located by line and column as well as by byte.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Finding {
    pub rule: String,
    pub severity: Severity,
    pub title: String,
    pub message: String,
    pub file: String,
    pub line: usize,
    pub column: usize,
    pub end_line: usize,
    pub end_column: usize,
    /// Byte offsets into the file's text.
    pub start: usize,
    pub end: usize,
    pub help: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fix: Option<FixOut>,
    pub docs: String,
    pub item: Option<u8>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub related: Vec<RelatedOut>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FixOut {
    pub summary: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub edits: Vec<EditOut>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub snippet: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub activation: Option<Activation>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct EditOut {
    pub file: String,
    pub start: usize,
    pub end: usize,
    pub replacement: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RelatedOut {
    pub file: String,
    pub line: usize,
    pub column: usize,
    pub message: String,
}

pub(crate) fn build(analysis: &Analysis, unit: ColumnUnit) -> Report {
    let inputs = &analysis.inputs;
    let name = |id: usize| inputs.files.get(id).map_or_else(String::new, |f| f.name.clone());
    let findings = analysis
        .diagnostics
        .iter()
        .map(|d| {
            let file = inputs.file(d.location.file);
            let start = file.line_col(d.location.span.start, unit);
            let end = file.line_col(d.location.span.end, unit);
            Finding {
                rule: d.rule.id.to_string(),
                severity: d.severity,
                title: d.rule.title.to_string(),
                message: d.message.clone(),
                file: file.name.clone(),
                line: start.line,
                column: start.column,
                end_line: end.line,
                end_column: end.column,
                start: d.location.span.start,
                end: d.location.span.end,
                help: d.rule.help.to_string(),
                fix: d.fix.as_ref().map(|f| FixOut {
                    summary: f.summary.clone(),
                    edits: f
                        .edits
                        .iter()
                        .map(|e| EditOut {
                            file: name(e.file),
                            start: e.span.start,
                            end: e.span.end,
                            replacement: e.replacement.clone(),
                        })
                        .collect(),
                    snippet: f.snippet.clone(),
                    activation: f.activation,
                }),
                docs: d.rule.docs_url.to_string(),
                item: d.rule.item,
                related: d
                    .related
                    .iter()
                    .map(|r| {
                        let at = inputs.file(r.location.file).line_col(r.location.span.start, unit);
                        RelatedOut {
                            file: name(r.location.file),
                            line: at.line,
                            column: at.column,
                            message: r.message.clone(),
                        }
                    })
                    .collect(),
            }
        })
        .collect();
    Report {
        format_version: REPORT_FORMAT_VERSION,
        score: analysis.score,
        grade: analysis.grade.to_string(),
        checklist: analysis.checklist.clone(),
        findings,
        exposure: analysis.model.hba.exposure(),
        certificates: analysis.model.certs.summaries(),
        clients: analysis.model.clients.summaries(),
        live: analysis.model.live.result().cloned(),
        inputs: inputs
            .files
            .iter()
            .filter(|f| f.origin.is_none())
            .map(|f| InputSummary { file: f.name.clone(), kind: f.kind.as_str().to_string() })
            .collect(),
    }
}
