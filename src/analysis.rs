//! One audit of the page's documents: the engine's `audit` and its report, as the CLI runs them,
//! and what the page shows of it besides the report (the explanations of pasted messages, the
//! cipher suites, the who-gets-in answers). Everything the page shows is plain data that reads
//! back from JSON, so that the audit can run in a web worker (src/service.rs) and send it over.

use pgtls_audit::cipher::rules::server_cipher_list;
use pgtls_audit::cipher::Blocked;
use pgtls_audit::explain::{explain_inputs, Explanation};
use pgtls_audit::hba::simulate::{answer, Answer};
use pgtls_audit::hba::Connection;
use pgtls_audit::rules::Context;
use pgtls_audit::source::ColumnUnit;
use pgtls_audit::checklist::ChecklistEntry;
use pgtls_audit::report::Finding;
use pgtls_audit::{audit, Analysis, AuditOptions, Inputs, Report};
use serde::{Deserialize, Serialize};
use std::rc::Rc;

use crate::document::Document;

/// What the user sets beside the documents.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
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

/// Everything one run produces, kept where the engine runs so that who-gets-in questions and
/// exports are answered from the same model.
pub struct Outcome {
    pub analysis: Analysis,
    pub report: Report,
}

/// Audits the documents. Columns are UTF-16 code units, as JavaScript strings count them.
pub fn run(documents: &[Document], settings: &Settings, now_unix: i64) -> Outcome {
    let inputs = inputs(documents);
    let analysis = audit(&inputs, &settings.options(now_unix));
    let report = analysis.report(&inputs, ColumnUnit::Utf16);
    Outcome { analysis, report }
}

/// The report as the page reads it: the score, the checklist and the findings it draws typed,
/// which the page works with; the sections it only draws (the exposure matrix, certificates,
/// clients, the live result) as the report's own JSON ([`Section`]). Reading those sections typed
/// would put deserialisers for their whole type trees into the page (about 15 KB gzipped) only to
/// write them out as JSON values again for the panels. The exports, which need the whole typed
/// report, are made where the audit ran ([`Export`]).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PageReport {
    pub score: u8,
    pub grade: String,
    pub checklist: Vec<ChecklistEntry>,
    pub findings: PageFindings,
    pub exposure: Section,
    pub certificates: Section,
    pub clients: Section,
    pub live: Section,
}

/// Findings drawn per checklist group until the user asks for the rest.
pub const GROUP_LIMIT: usize = 100;

/// The report's findings as the page first gets them: those it draws, and what it needs to know
/// of the rest. Fifty files can have thousands of findings (3,681 in the large benchmark set,
/// 3 MB of JSON); reading them all from the worker on every result held the page's thread
/// for tens of milliseconds, to draw the first hundred of each group. The rest of a group comes
/// when the user asks for it ([`crate::service::Request::MoreFindings`]).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PageFindings {
    /// Of each checklist group (and of the findings outside the checklist), the first
    /// [`GROUP_LIMIT`], in the report's order.
    pub shown: Vec<Finding>,
    /// How many findings the report has.
    pub total: usize,
    /// The groups that have findings beyond `shown`: the group's item and how many.
    pub left_out: Vec<(Option<u8>, usize)>,
    /// Every finding's file: how many findings it has and on which lines.
    pub files: Vec<(String, FileFindings)>,
    /// Whether any finding has an automatic fix ("Fix all" is offered).
    pub fixable: bool,
}

/// The findings of one file: how many, and the sorted 1-based lines they are on, for the tabs
/// and the editor's gutter.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FileFindings {
    pub count: usize,
    pub lines: Vec<usize>,
}

impl PageFindings {
    pub fn of(all: &[Finding]) -> PageFindings {
        let mut per_group: Vec<(Option<u8>, usize)> = Vec::new();
        let mut files: Vec<(String, FileFindings)> = Vec::new();
        let mut shown = Vec::new();
        for f in all {
            let in_group = entry(&mut per_group, |item| *item == f.item, || f.item);
            *in_group += 1;
            if *in_group <= GROUP_LIMIT {
                shown.push(f.clone());
            }
            let file = entry(&mut files, |name| *name == f.file, || f.file.clone());
            file.count += 1;
            file.lines.push(f.line);
        }
        for (_, file) in &mut files {
            pgtls_audit::sorting::sort(&mut file.lines);
            file.lines.dedup();
        }
        let left_out = per_group.into_iter().filter(|&(_, n)| n > GROUP_LIMIT).map(|(item, n)| (item, n - GROUP_LIMIT)).collect();
        let fixable = all.iter().any(|f| f.fix.as_ref().is_some_and(|x| !x.edits.is_empty()));
        PageFindings { shown, total: all.len(), left_out, files, fixable }
    }

    /// The findings of the file named `name`, if it has any.
    pub fn file(&self, name: &str) -> Option<&FileFindings> {
        self.files.iter().find(|(file, _)| file == name).map(|(_, findings)| findings)
    }

    /// How many findings of the group of `item` are not in `shown`.
    pub fn left_out(&self, item: Option<u8>) -> usize {
        self.left_out.iter().find(|(i, _)| *i == item).map_or(0, |&(_, n)| n)
    }

    /// The findings of the group of `item` that [`PageFindings::of`] leaves out, in order.
    pub fn rest(all: &[Finding], item: Option<u8>) -> Vec<Finding> {
        all.iter().filter(|f| f.item == item).skip(GROUP_LIMIT).cloned().collect()
    }
}

/// The value kept for a key in a short list of (key, value) pairs in first-seen order, added
/// if missing (a handful of groups, a few dozen files: a scan beats a map's code in the page).
fn entry<K, V: Default>(entries: &mut Vec<(K, V)>, is_key: impl Fn(&K) -> bool, key: impl FnOnce() -> K) -> &mut V {
    let at = match entries.iter().position(|(k, _)| is_key(k)) {
        Some(at) => at,
        None => {
            entries.push((key(), V::default()));
            entries.len() - 1
        }
    };
    &mut entries[at].1
}

/// One section of the report as the JSON text the engine's report serialises to. Kept as text
/// from the worker's answer to the panel that draws it: comparing two results' sections is
/// comparing two strings (a result whose exposure matrix did not change draws none of it
/// again), and the text is read into a value only when its panel draws.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Section(Rc<serde_json::value::RawValue>);

impl Section {
    /// The section for a part of the report (`null` if it could not be written, which the
    /// report's types never cause).
    pub fn of<T: Serialize + ?Sized>(part: &T) -> Section {
        let raw = serde_json::value::to_raw_value(part).unwrap_or_else(|_| serde_json::value::RawValue::NULL.to_owned());
        Section(Rc::from(raw))
    }

    pub fn json(&self) -> &str {
        self.0.get()
    }

    /// The section read into a value, as the panels draw it.
    pub fn value(&self) -> serde_json::Value {
        serde_json::from_str(self.json()).unwrap_or_default()
    }
}

impl Default for Section {
    fn default() -> Self {
        Section(Rc::from(serde_json::value::RawValue::NULL.to_owned()))
    }
}

impl PartialEq for Section {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.0, &other.0) || self.json() == other.json()
    }
}

impl Eq for Section {}

impl PageReport {
    pub fn of(report: &Report) -> PageReport {
        PageReport {
            score: report.score,
            grade: report.grade.clone(),
            checklist: report.checklist.clone(),
            findings: PageFindings::of(&report.findings),
            exposure: Section::of(&report.exposure),
            certificates: Section::of(&report.certificates),
            clients: Section::of(&report.clients),
            live: Section::of(&report.live),
        }
    }
}

/// A file made from the whole report, by the service that holds it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Export {
    /// The report exactly as `pgtls audit --format json` prints it.
    Json,
    Markdown,
    /// The rotation calendar (.ics) of the certificates, with events from `now_unix` on.
    Calendar { now_unix: i64 },
}

/// An export's file: name, media type and contents.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExportFile {
    pub name: String,
    pub mime: String,
    pub content: String,
}

impl Export {
    pub fn of(self, report: &Report) -> ExportFile {
        let file = |name: &str, mime: &str, content: String| ExportFile { name: name.into(), mime: mime.into(), content };
        match self {
            Export::Json => file("pgtls-report.json", "application/json", report_json(report)),
            Export::Markdown => file("pgtls-report.md", "text/markdown", pgtls_audit::render::markdown::render(report)),
            Export::Calendar { now_unix } => {
                use pgtls_audit::calendar;
                file("pgtls-rotation.ics", "text/calendar", calendar::ics(&calendar::entries(report), now_unix))
            }
        }
    }
}

/// What the page shows of one run.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PageResult {
    pub report: Rc<PageReport>,
    /// The engine's explanations of each pasted message: (input name, explanations).
    pub explanations: Vec<(String, Vec<Explanation>)>,
    /// The server's cipher list, when a postgresql.conf is among the inputs.
    pub ciphers: Option<CipherView>,
    /// The pg_hba.conf the who-gets-in form asks about, when there is one.
    pub hba: Option<HbaTarget>,
}

/// The pg_hba.conf that who-gets-in questions are put to.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct HbaTarget {
    pub file: String,
    pub pg_version: u32,
}

impl PageResult {
    pub fn of(outcome: &Outcome, settings: &Settings, now_unix: i64) -> PageResult {
        let a = &outcome.analysis;
        let options = settings.options(now_unix);
        let explanations = explain_inputs(&a.inputs, &a.model, &options)
            .into_iter()
            .map(|(id, found)| (a.inputs.file(id).name.clone(), found))
            .collect();
        let hba = a.model.hba.files.first().map(|file| HbaTarget {
            file: a.inputs.file(file.root).name.clone(),
            pg_version: a.model.hba.pg_version,
        });
        PageResult {
            report: Rc::new(PageReport::of(&outcome.report)),
            explanations,
            ciphers: CipherView::of(a, &options),
            hba,
        }
    }
}

/// The suites ssl_ciphers enables, in OpenSSL's order, as the cipher panel lists them.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CipherView {
    pub parameter: String,
    pub value: String,
    /// The file that sets it (or would) and the 1-based line.
    pub file: String,
    pub line: usize,
    pub is_set: bool,
    /// OpenSSL's complaint when it rejects the string.
    pub error: Option<String>,
    /// Only TLS 1.3 is allowed, so the list is never used.
    pub unused: bool,
    pub negotiable: usize,
    pub weak: usize,
    /// The value without the weak suites, the rest in their order.
    pub replacement: Option<String>,
    pub suites: Vec<SuiteRow>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SuiteRow {
    pub name: String,
    pub iana: String,
    pub protocol: String,
    pub kx: String,
    pub au: String,
    pub enc: String,
    pub mac: String,
    /// `ok`, `weak` or `blocked`.
    pub state: String,
    pub why: String,
}

impl CipherView {
    fn of(a: &Analysis, options: &AuditOptions) -> Option<CipherView> {
        let cx = Context { inputs: &a.inputs, options, model: &a.model };
        let view = server_cipher_list(&cx)?;
        let file = a.inputs.file(view.location.file);
        let line = file.line_col(view.location.span.start, ColumnUnit::Utf8).line;
        let suites = view
            .list
            .suites
            .iter()
            .map(|s| {
                let (state, why) = match s.blocked {
                    Some(Blocked::NeedsPskOrSrp) => ("blocked", "never negotiated (PSK/SRP: PostgreSQL sets no callback)".to_string()),
                    Some(Blocked::SecurityLevel { level }) => ("blocked", format!("kept out by OpenSSL security level {level}")),
                    None if s.weaknesses.is_empty() => ("ok", "strong".to_string()),
                    None => ("weak", s.weaknesses.iter().map(|w| w.describe()).collect::<Vec<_>>().join("; ")),
                };
                SuiteRow {
                    name: s.name.to_string(),
                    iana: s.iana.to_string(),
                    protocol: s.protocol.as_str().to_string(),
                    kx: s.kx.to_string(),
                    au: s.au.to_string(),
                    enc: s.enc.to_string(),
                    mac: s.mac.to_string(),
                    state: state.to_string(),
                    why,
                }
            })
            .collect();
        Some(CipherView {
            parameter: view.parameter.to_string(),
            error: view.list.error.as_ref().map(|e| e.describe(&view.value)),
            negotiable: view.list.negotiable().count(),
            weak: view.list.weak().count(),
            file: file.name.clone(),
            line,
            is_set: view.is_set,
            unused: view.unused,
            replacement: view.replacement.clone(),
            value: view.value.clone(),
            suites,
        })
    }
}

/// A connection described in the who-gets-in form, as typed.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct WhoQuery {
    pub address: String,
    pub database: String,
    pub user: String,
    pub ssl: bool,
    pub replication: bool,
}

impl WhoQuery {
    /// A Unix-socket connection never uses SSL, so the box does not apply to `local`.
    pub fn names_socket(&self) -> bool {
        Connection::names_socket(&self.address)
    }
}

/// The first-match answer, or what is wrong with the form.
pub type WhoAnswer = Result<Answer, String>;

/// Runs the form's connection through the first-match simulation of the audited pg_hba.conf.
pub fn who_gets_in(outcome: &Outcome, query: &WhoQuery) -> Option<WhoAnswer> {
    let a = &outcome.analysis;
    let file = a.model.hba.files.first()?;
    let ssl = query.ssl && !query.names_socket();
    Some(
        Connection::from_fields(&query.address, &query.database, &query.user, ssl, query.replication)
            .map(|cx| answer(&a.inputs, file, &cx, a.model.hba.pg_version)),
    )
}

/// The JSON export: the report exactly as `pgtls audit --format json` prints it.
pub fn report_json(report: &Report) -> String {
    serde_json::to_string_pretty(report).unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sections_cross_json_as_text_and_compare_as_text() {
        let exposure = serde_json::json!({ "file": "pg_hba.conf", "cells": [{ "client": "loopback", "ssl": true, "lines": [] }] });
        let section = Section::of(&exposure);
        let wire = serde_json::to_string(&section).unwrap();
        assert_eq!(wire, serde_json::to_string(&exposure).unwrap());
        let read: Section = serde_json::from_str(&wire).unwrap();
        assert_eq!(read, section);
        assert_eq!(read.value(), exposure);
        assert_ne!(Section::of(&serde_json::json!({ "file": "other.conf" })), section);
        assert_eq!(Section::default().value(), serde_json::Value::Null);
        // Inside a result, as the worker sends it.
        let report = PageReport {
            score: 0,
            grade: "F".into(),
            checklist: vec![],
            findings: PageFindings::default(),
            exposure: section.clone(),
            certificates: Section::of(&Vec::<u8>::new()),
            clients: Section::default(),
            live: Section::default(),
        };
        let back: PageReport = serde_json::from_str(&serde_json::to_string(&report).unwrap()).unwrap();
        assert_eq!(back, report);
        assert_eq!(back.certificates.json(), "[]");
    }
}
