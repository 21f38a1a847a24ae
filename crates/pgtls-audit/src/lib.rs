//! pgtls-audit: the analysis engine of pgtls.
//!
//! Text goes in, a [`Report`] comes out: inputs are detected ([`detect`]), parsed by their area
//! (parsers never fail; they return a model and located parse errors), gathered into one
//! [`Model`], judged by the rules of [`rules`], and summed up by [`checklist`]. The engine does
//! no I/O and reads no clock, so it runs the same natively and in the browser (wasm32).

pub mod calendar;
pub mod cert;
pub mod checklist;
pub mod civil;
pub mod cipher;
pub mod conf;
pub mod conn;
pub mod detect;
pub mod diagnostic;
pub mod explain;
pub mod fix;
#[doc(hidden)]
pub mod fuzzing;
pub mod generate;
pub mod hba;
pub mod link;
pub mod live;
pub mod model;
pub mod options;
pub mod platform;
pub mod render;
pub mod report;
pub mod rules;
pub mod sorting;
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
    /// The inputs as audited: the given files first (same ids), then the files derived from
    /// platform inputs (cloud exports, manifests, compose files).
    pub inputs: Inputs,
    pub model: Model,
    /// Sorted by file, then position, then rule id.
    pub diagnostics: Vec<Diagnostic>,
    pub checklist: Vec<checklist::ChecklistEntry>,
    pub score: u8,
    pub grade: char,
}

/// Audits the inputs.
pub fn audit(inputs: &Inputs, options: &AuditOptions) -> Analysis {
    let (inputs, platform) = platform::expand(inputs);
    let mut model = Model::build(&inputs, options);
    model.platform = platform;
    let cx = rules::Context { inputs: &inputs, options, model: &model };
    let mut diagnostics = rules::run(&cx);
    locate_in_originals(&inputs, &mut diagnostics);
    crate::sorting::sort_by(&mut diagnostics, |a, b| {
        (a.location.file, a.location.span.start, a.rule.id)
            .cmp(&(b.location.file, b.location.span.start, b.rule.id))
    });
    let evidence = model.evidence();
    let checklist = checklist::checklist(&diagnostics, &evidence);
    let score = checklist::score(&checklist, &diagnostics);
    let grade = checklist::grade(score, &checklist);
    Analysis { inputs, model, diagnostics, checklist, score, grade }
}

/// Moves findings about derived files to the manifest lines they came from. Edits of a derived
/// file cannot be applied to the manifest, so such a fix keeps only its advice.
fn locate_in_originals(inputs: &Inputs, diagnostics: &mut [Diagnostic]) {
    let origin_of = |file: FileId| inputs.files.get(file).and_then(|f| f.origin.as_ref());
    for d in diagnostics.iter_mut() {
        if let Some(origin) = origin_of(d.location.file) {
            d.location = origin.map(d.location.span);
        }
        for r in &mut d.related {
            if let Some(origin) = origin_of(r.location.file) {
                r.location = origin.map(r.location.span);
            }
        }
        if let Some(fix) = &mut d.fix {
            fix.edits.retain(|e| origin_of(e.file).is_none());
        }
    }
}

impl Analysis {
    /// The report, with columns counted in `unit`. `inputs` are the inputs given to [`audit`];
    /// the analysis itself holds the files derived from them.
    pub fn report(&self, inputs: &Inputs, unit: ColumnUnit) -> Report {
        debug_assert!(inputs.files.len() <= self.inputs.files.len());
        report::build(self, unit)
    }
}
