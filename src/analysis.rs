//! One audit of the page's documents: the engine's `audit` and its report, as the CLI runs them.

use pgtls_audit::{audit, Analysis, AuditOptions, ColumnUnit, Inputs, Report};

use crate::document::Document;

/// What the user sets beside the documents.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Settings {
    pub pg_version: u32,
    /// The host name clients connect to (verify-full checks).
    pub host: String,
}

impl Default for Settings {
    fn default() -> Self {
        Settings { pg_version: pgtls_audit::options::DEFAULT_PG_VERSION, host: String::new() }
    }
}

impl Settings {
    pub fn options(&self, now_unix: i64) -> AuditOptions {
        let mut options = AuditOptions::new(now_unix);
        options.pg_version = self.pg_version;
        let host = self.host.trim();
        options.host = (!host.is_empty()).then(|| host.to_string());
        options
    }
}

/// The engine's inputs for the documents, in their order (finding files are these names).
pub fn inputs(documents: &[Document]) -> Inputs {
    Inputs { files: documents.iter().map(Document::source_file).collect() }
}

/// Everything one run produces; the inputs are kept so that panels can read files by id.
pub struct Outcome {
    pub inputs: Inputs,
    pub analysis: Analysis,
    pub report: Report,
}

/// Audits the documents. Columns are UTF-16 code units, as JavaScript strings count them.
pub fn run(documents: &[Document], settings: &Settings, now_unix: i64) -> Outcome {
    let inputs = inputs(documents);
    let analysis = audit(&inputs, &settings.options(now_unix));
    let report = analysis.report(&inputs, ColumnUnit::Utf16);
    Outcome { inputs, analysis, report }
}

/// The JSON export: the report exactly as `pgtls audit --format json` prints it.
pub fn report_json(report: &Report) -> String {
    serde_json::to_string_pretty(report).unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}"))
}
