//! The page's state and the reducer that is the only place it changes.

use std::collections::HashMap;
use std::rc::Rc;

use pgtls_audit::fix::FixOutcome;
use pgtls_audit::report::{Finding, FixOut};
use pgtls_audit::InputKind;
use yew::Reducible;

use crate::analysis::{PageResult, Settings, WhoAnswer, WhoQuery};
use crate::document::{default_name, unique_name, Document};
use crate::examples::Example;
use crate::generate_form::{FormEdit, GenerateForm, Generated};
use crate::share::{SharedState, View};

/// A range to show in an editor: a finding's location. `seq` changes on every request, so that
/// clicking the same finding twice scrolls to it twice.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Highlight {
    pub document: u32,
    pub start: usize,
    pub end: usize,
    pub seq: u64,
}

/// The latest analysis, compared by identity (a new run is a new value).
#[derive(Clone)]
pub struct Analysed {
    pub result: Rc<PageResult>,
    /// Each shown finding's place among the inputs, in the order of `report.findings.shown`.
    pub sources: Rc<[FindingSource]>,
    /// The rest of the groups the user opened in full, as the analysis service sent them.
    pub more: Rc<Vec<MoreFindings>>,
}

impl PartialEq for Analysed {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.result, &other.result) && Rc::ptr_eq(&self.more, &other.more)
    }
}

/// The findings of one checklist group beyond those the result brought, with their places.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MoreFindings {
    pub item: Option<u8>,
    pub findings: Vec<Finding>,
    pub sources: Rc<[FindingSource]>,
}

/// A finding's file among the inputs the analysis read: whether there is an editor to show it
/// in, and the text of its line. Taken once when the result arrives, so that the findings do
/// not depend on the documents while the user types on (they describe the analysed text).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct FindingSource {
    pub in_inputs: bool,
    pub line: Option<String>,
}

impl FindingSource {
    pub fn of_all(findings: &[Finding], documents: &[Document]) -> Rc<[FindingSource]> {
        let mut lines: HashMap<&str, Vec<&str>> = HashMap::new();
        for d in documents {
            lines.entry(d.name.as_str()).or_insert_with(|| if d.is_binary() { Vec::new() } else { d.text.lines().collect() });
        }
        findings
            .iter()
            .map(|f| match lines.get(f.file.as_str()) {
                None => FindingSource::default(),
                Some(l) => FindingSource {
                    in_inputs: true,
                    line: l.get(f.line.saturating_sub(1)).map(|s| s.to_string()),
                },
            })
            .collect()
    }
}

/// "Fix all" computed and waiting for the user: apply, download or cancel.
#[derive(Clone, Debug, PartialEq)]
pub struct FixReview {
    pub outcome: FixOutcome,
    /// The revision of the inputs it was computed from; it applies only to those.
    pub revision: u64,
}

#[derive(Clone, PartialEq)]
pub struct AppState {
    pub documents: Vec<Document>,
    next_id: u32,
    /// The document shown in the editor.
    pub selected: Option<u32>,
    pub settings: Settings,
    /// The compact read-only view for iframes (`embed=1`).
    pub embed: bool,
    /// Bumped on every change of the inputs or settings; the analysis follows it.
    pub revision: u64,
    pub analysed: Option<Analysed>,
    /// The revision `analysed` was computed from.
    pub analysed_revision: u64,
    /// The latest who-gets-in answer: the analysis revision and the question it answers.
    pub who: Option<(u64, WhoQuery, Option<WhoAnswer>)>,
    /// How long the latest audit took where it ran (the worker), in milliseconds.
    pub audit_ms: f64,
    pub audit_in_worker: bool,
    pub highlight: Option<Highlight>,
    /// A message for the user about the last thing that happened (a link that was partly
    /// unreadable, a file that could not be read).
    pub notice: Option<String>,
    /// The example last loaded, while the inputs are still exactly that example.
    pub example: Option<&'static str>,
    /// The audit or the generator.
    pub view: View,
    /// The generator's form, kept while the user switches views.
    pub generate: GenerateForm,
    /// The generator's last answer; once there is one, it follows every edit of the form.
    pub generated: Option<Rc<Generated>>,
    /// "Fix all" awaiting a decision; dropped when the inputs change under it.
    pub fix_review: Option<Rc<FixReview>>,
}

impl Default for AppState {
    fn default() -> Self {
        AppState {
            documents: Vec::new(),
            next_id: 1,
            selected: None,
            settings: Settings::default(),
            embed: false,
            revision: 0,
            analysed: None,
            analysed_revision: 0,
            who: None,
            audit_ms: 0.0,
            audit_in_worker: false,
            highlight: None,
            notice: None,
            example: None,
            view: View::Audit,
            generate: GenerateForm::default(),
            generated: None,
            fix_review: None,
        }
    }
}

pub enum Action {
    LoadExample(&'static Example),
    LoadShared(SharedState),
    /// Files read from a drop or the file picker: name and bytes.
    AddFiles(Vec<(String, Vec<u8>)>),
    /// Pasted text: a new document whose kind is detected from the content.
    AddPasted(String),
    AddEmpty(InputKind),
    Edit { id: u32, text: String },
    Rename { id: u32, name: String },
    SetKind { id: u32, kind: InputKind },
    Remove(u32),
    Select(u32),
    ClearAll,
    SetHost(String),
    SetPgVersion(u32),
    Analysed { revision: u64, result: Rc<PageResult>, audit_ms: f64, in_worker: bool },
    /// The rest of a checklist group's findings, for the analysis of `revision`.
    MoreFindings { revision: u64, item: Option<u8>, findings: Vec<Finding> },
    WhoAnswered { revision: u64, query: WhoQuery, answer: Option<WhoAnswer> },
    /// Show a byte range of the document named `file`.
    Reveal { file: String, start: usize, end: usize },
    /// Show a 1-based line of the document named `file`.
    RevealLine { file: String, line: usize },
    ApplyFix(FixOut),
    /// Every automatic fix, computed in rounds as `pgtls fix` does, by the analysis service for
    /// the inputs of `revision`, for review.
    FixAllComputed { revision: u64, outcome: FixOutcome },
    /// Replaces the inputs with the reviewed fixed text.
    ApplyFixReview,
    CancelFixReview,
    Notice(Option<String>),
    SetView(View),
    EditGenerate(FormEdit),
    /// A link's `gen-*` values, applied to the generator's form after its view opened.
    LoadGenerateForm(Vec<FormEdit>),
    Generate,
}

impl AppState {
    pub fn document(&self, id: u32) -> Option<&Document> {
        self.documents.iter().find(|d| d.id == id)
    }

    pub fn selected_document(&self) -> Option<&Document> {
        self.selected.and_then(|id| self.document(id)).or_else(|| self.documents.first())
    }

    /// Whether the shown analysis lags behind the inputs (typing, debounce pending).
    pub fn is_stale(&self) -> bool {
        self.analysed_revision != self.revision
    }

    fn push(&mut self, name: &str, make: impl FnOnce(u32, String) -> Document) -> u32 {
        let taken: Vec<&str> = self.documents.iter().map(|d| d.name.as_str()).collect();
        let name = unique_name(name, &taken);
        let id = self.next_id;
        self.next_id += 1;
        self.documents.push(make(id, name));
        id
    }

    fn changed(&mut self) {
        self.revision += 1;
        self.example = None;
        self.fix_review = None;
    }

    fn replace_all(&mut self) {
        self.documents.clear();
        self.selected = None;
        self.highlight = None;
        self.notice = None;
    }

    fn load_example(&mut self, example: &'static Example) {
        for file in example.files {
            self.push(file.name, |id, name| Document::text(id, name, file.kind, file.text));
        }
        self.settings.host = example.host.to_string();
    }
}

impl Reducible for AppState {
    type Action = Action;

    fn reduce(self: Rc<Self>, action: Action) -> Rc<Self> {
        let mut s = (*self).clone();
        match action {
            Action::LoadExample(example) => {
                s.replace_all();
                s.load_example(example);
                s.changed();
                s.example = Some(example.id);
                s.selected = s.documents.first().map(|d| d.id);
            }
            Action::LoadShared(shared) => {
                s.replace_all();
                let notice = shared.rejection_notice();
                let example = shared.example.as_deref().and_then(crate::examples::by_id);
                if let Some(example) = example {
                    s.load_example(example);
                }
                for input in shared.inputs {
                    let text = String::from_utf8_lossy(&input.bytes).into_owned();
                    let kind = input.kind;
                    let bytes = input.bytes;
                    s.push(&input.name, |id, name| {
                        if kind == InputKind::Der {
                            Document { id, name, kind, text: String::new(), binary: Some(bytes) }
                        } else {
                            Document::text(id, name, kind, text)
                        }
                    });
                }
                if let Some(host) = shared.host {
                    s.settings.host = host;
                }
                if let Some(v) = shared.pg_version {
                    s.settings.pg_version = v;
                }
                s.embed = shared.embed;
                s.notice = notice;
                s.changed();
                s.selected = s.documents.first().map(|d| d.id);
            }
            Action::AddFiles(files) => {
                let mut last = None;
                for (name, bytes) in files {
                    last = Some(s.push(&name, |id, name| Document::from_bytes(id, name, bytes)));
                }
                if last.is_some() {
                    s.selected = last;
                    s.changed();
                }
            }
            Action::AddPasted(text) => {
                let kind = pgtls_audit::detect_kind("", text.as_bytes());
                let id = s.push(default_name(kind), |id, name| Document::text(id, name, kind, text));
                s.selected = Some(id);
                s.changed();
            }
            Action::AddEmpty(kind) => {
                let id = s.push(default_name(kind), |id, name| Document::text(id, name, kind, ""));
                s.selected = Some(id);
                s.changed();
            }
            Action::Edit { id, text } => {
                if let Some(d) = s.documents.iter_mut().find(|d| d.id == id && d.binary.is_none()) {
                    if d.text != text {
                        d.text = text;
                        s.changed();
                    }
                }
            }
            Action::Rename { id, name } => {
                let name = name.trim().to_string();
                let taken: Vec<String> =
                    s.documents.iter().filter(|d| d.id != id).map(|d| d.name.clone()).collect();
                let taken: Vec<&str> = taken.iter().map(String::as_str).collect();
                if let Some(d) = s.documents.iter_mut().find(|d| d.id == id) {
                    let wanted = if name.is_empty() { default_name(d.kind).to_string() } else { name };
                    let name = unique_name(&wanted, &taken);
                    if d.name != name {
                        d.name = name;
                        s.changed();
                    }
                }
            }
            Action::SetKind { id, kind } => {
                if let Some(d) = s.documents.iter_mut().find(|d| d.id == id) {
                    if d.kind != kind {
                        d.kind = kind;
                        s.changed();
                    }
                }
            }
            Action::Remove(id) => {
                let at = s.documents.iter().position(|d| d.id == id);
                if let Some(at) = at {
                    s.documents.remove(at);
                    if s.selected == Some(id) {
                        s.selected = s.documents.get(at.min(s.documents.len().saturating_sub(1))).map(|d| d.id);
                    }
                    if s.highlight.is_some_and(|h| h.document == id) {
                        s.highlight = None;
                    }
                    s.changed();
                }
            }
            Action::Select(id) => s.selected = Some(id),
            Action::ClearAll => {
                s.replace_all();
                s.changed();
            }
            Action::SetHost(host) => {
                if s.settings.host != host {
                    s.settings.host = host;
                    s.changed();
                }
            }
            Action::SetPgVersion(v) => {
                if s.settings.pg_version != v {
                    s.settings.pg_version = v;
                    s.changed();
                }
            }
            Action::Analysed { revision, result, audit_ms, in_worker } => {
                // A late result of an older revision must not replace a newer one.
                if revision >= s.analysed_revision {
                    let sources = FindingSource::of_all(&result.report.findings.shown, &s.documents);
                    s.analysed = Some(Analysed { result, sources, more: Rc::default() });
                    s.audit_ms = audit_ms;
                    s.audit_in_worker = in_worker;
                    s.analysed_revision = revision;
                }
            }
            Action::MoreFindings { revision, item, findings } => {
                // Once per group, and only for the result on show.
                let on_show = s.analysed.as_mut().filter(|a| revision == s.analysed_revision && a.more.iter().all(|m| m.item != item));
                if let Some(analysed) = on_show {
                    let sources = FindingSource::of_all(&findings, &s.documents);
                    let mut more = (*analysed.more).clone();
                    more.push(MoreFindings { item, findings, sources });
                    analysed.more = Rc::new(more);
                }
            }
            Action::WhoAnswered { revision, query, answer } => {
                if revision == s.analysed_revision {
                    s.who = Some((revision, query, answer));
                }
            }
            Action::Reveal { file, start, end } => {
                if let Some(d) = s.documents.iter().find(|d| d.name == file) {
                    let seq = s.highlight.map_or(1, |h| h.seq + 1);
                    s.highlight = Some(Highlight { document: d.id, start, end, seq });
                    s.selected = Some(d.id);
                }
            }
            Action::RevealLine { file, line } => {
                if let Some(d) = s.documents.iter().find(|d| d.name == file) {
                    let start = d.text.split_inclusive('\n').take(line.saturating_sub(1)).map(str::len).sum::<usize>();
                    let end = d.text[start.min(d.text.len())..].find('\n').map_or(d.text.len(), |i| start + i);
                    let seq = s.highlight.map_or(1, |h| h.seq + 1);
                    s.highlight = Some(Highlight { document: d.id, start: start.min(d.text.len()), end, seq });
                    s.selected = Some(d.id);
                }
            }
            Action::ApplyFix(fix) => {
                let changes = crate::fixes::apply(&s.documents, &fix);
                if changes.is_empty() {
                    s.notice = Some("The fix no longer fits the text (it was edited since); nothing changed.".into());
                } else {
                    for (id, text) in changes {
                        if let Some(d) = s.documents.iter_mut().find(|d| d.id == id) {
                            d.text = text;
                        }
                    }
                    s.highlight = None;
                    s.notice = Some(format!("Applied: {}", fix.summary));
                    s.changed();
                }
            }
            // Fixes computed for inputs that have changed since would not apply: dropped.
            Action::FixAllComputed { revision, outcome } if revision == s.revision => {
                if outcome.files.is_empty() {
                    s.notice = Some("No finding has a fix that is safe to apply automatically.".to_string());
                    s.fix_review = None;
                } else {
                    s.notice = None;
                    s.fix_review = Some(Rc::new(FixReview { outcome, revision }));
                }
            }
            Action::FixAllComputed { .. } => {}
            Action::ApplyFixReview => {
                let Some(review) = s.fix_review.take() else { return Rc::new(s) };
                if review.revision != s.revision {
                    s.notice = Some("The inputs changed since the fixes were computed; nothing changed.".into());
                    return Rc::new(s);
                }
                let outcome = &review.outcome;
                let mut changed = 0;
                for file in &outcome.files {
                    let doc = s.documents.get_mut(file.file).filter(|d| !d.is_binary() && d.name == file.name);
                    if let Some(d) = doc {
                        d.text = file.after.clone();
                        changed += 1;
                    }
                }
                if changed > 0 {
                    s.notice = Some(format!(
                        "Applied {} fix{} in {} file{}: score {} → {}. The remaining findings need a decision.",
                        outcome.applied.len(),
                        if outcome.applied.len() == 1 { "" } else { "es" },
                        changed,
                        if changed == 1 { "" } else { "s" },
                        outcome.score_before,
                        outcome.score_after
                    ));
                    s.highlight = None;
                    s.changed();
                }
            }
            Action::CancelFixReview => s.fix_review = None,
            Action::Notice(notice) => s.notice = notice,
            Action::SetView(view) => {
                // An untouched generator starts from what the audit knows: version and host name.
                if view == View::Generate && s.generate.hosts.trim().is_empty() && s.generated.is_none() {
                    s.generate.hosts = s.settings.host.trim().to_string();
                    s.generate.pg_version = s.settings.pg_version;
                }
                s.view = view;
            }
            Action::EditGenerate(edit) => {
                s.generate.apply(edit);
                if s.generated.is_some() {
                    s.generated = Some(Rc::new(s.generate.generate()));
                }
            }
            Action::LoadGenerateForm(edits) => {
                for edit in edits {
                    s.generate.apply(edit);
                }
                s.generated = None;
            }
            Action::Generate => s.generated = Some(Rc::new(s.generate.generate())),
        }
        Rc::new(s)
    }
}
