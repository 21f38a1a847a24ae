//! pgtls-audit: the analysis engine of pgtls.
//!
//! Text goes in, a [`Report`] comes out: inputs are detected ([`detect`]), parsed by their area
//! (parsers never fail; they return a model and located parse errors), gathered into one
//! [`Model`], judged by the rules of [`rules`], and summed up by [`checklist`]. The engine does
//! no I/O and reads no clock, so it runs the same natively and in the browser (wasm32).

pub mod cert;
pub mod checklist;
pub mod cipher;
pub mod conf;
pub mod conn;
pub mod detect;
pub mod diagnostic;
pub mod explain;
pub mod fix;
pub mod generate;
pub mod hba;
pub mod live;
pub mod model;
pub mod options;
pub mod render;
pub mod report;
pub mod rules;
pub mod source;

pub use detect::{detect_kind, InputKind};
pub use diagnostic::{Activation, Diagnostic, Fix, Severity, TextEdit};
pub use model::Model;
pub use options::AuditOptions;
pub use report::Report;
pub use source::{ColumnUnit, FileId, Inputs, Location, SourceFile, Span};

/// One audit: the model, the diagnostics, and what they add up to.
#[derive(Debug)]
pub struct Analysis {
    pub model: Model,
    /// Sorted by file, then position, then rule id.
    pub diagnostics: Vec<Diagnostic>,
    pub checklist: Vec<checklist::ChecklistEntry>,
    pub score: u8,
    pub grade: char,
}

/// Audits the inputs.
pub fn audit(inputs: &Inputs, options: &AuditOptions) -> Analysis {
    let model = Model::build(inputs, options);
    let cx = rules::Context { inputs, options, model: &model };
    let mut diagnostics = rules::run(&cx);
    diagnostics.sort_by(|a, b| {
        (a.location.file, a.location.span.start, a.rule.id)
            .cmp(&(b.location.file, b.location.span.start, b.rule.id))
    });
    let evidence = model.evidence();
    let checklist = checklist::checklist(&diagnostics, &evidence);
    let score = checklist::score(&checklist, &diagnostics);
    let grade = checklist::grade(score, &checklist);
    Analysis { model, diagnostics, checklist, score, grade }
}

impl Analysis {
    /// The report, with columns counted in `unit`.
    pub fn report(&self, inputs: &Inputs, unit: ColumnUnit) -> Report {
        report::build(self, inputs, unit)
    }
}
