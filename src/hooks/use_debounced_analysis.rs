use std::rc::Rc;

use gloo::timers::callback::Timeout;
use yew::prelude::*;

use crate::analysis::{Export, WhoQuery};
use crate::infra::browser::{measured, now_unix};
use crate::infra::worker::AnalysisService;
use crate::service::{Reply, Request};
use crate::state::{Action, AppState};

/// Milliseconds of quiet typing before the inputs are audited again.
pub const DEBOUNCE_MS: u32 = 150;

/// Audits the inputs whenever they change, once typing pauses; there is no button to press.
/// The audit runs in the analysis worker; the page only sends the documents and shows the
/// result. Returns the questions the page can put to the worker.
#[hook]
pub fn use_debounced_analysis(state: UseReducerHandle<AppState>) -> AnalysisRequests {
    let service = {
        let dispatcher = state.dispatcher();
        use_memo((), move |_| AnalysisService::start(move |reply| apply(&dispatcher, reply)))
    };
    let revision = state.revision;
    let first = state.analysed.is_none();
    {
        let service = service.clone();
        let state = state.clone();
        use_effect_with(revision, move |&revision| {
            let documents = state.documents.clone();
            let settings = state.settings.clone();
            // The first analysis is asked for at once, so the page opens with its result.
            let delay = if first { 0 } else { DEBOUNCE_MS };
            let timeout = Timeout::new(delay, move || {
                measured("pgtls-request", || {
                    service.send(&Request::Analyse { revision, documents, settings, now_unix: now_unix() });
                });
            });
            move || drop(timeout)
        });
    }
    let analysed_revision = state.analysed_revision;
    let ask_who = {
        let service = service.clone();
        use_callback(analysed_revision, move |query: WhoQuery, &revision| {
            service.send(&Request::WhoGetsIn { revision, query });
        })
    };
    let export = {
        let service = service.clone();
        use_callback(analysed_revision, move |export: Export, &revision| {
            service.send(&Request::Export { revision, export });
        })
    };
    let more_findings = {
        let service = service.clone();
        use_callback(analysed_revision, move |item: Option<u8>, &revision| {
            service.send(&Request::MoreFindings { revision, item });
        })
    };
    // Reads the inputs when pressed, from the latest render's state: one callback for the
    // page's life, so that the findings it is given to do not re-render on every keystroke.
    let latest = use_mut_ref(|| state.clone());
    *latest.borrow_mut() = state;
    let fix_all = use_callback((), move |(), _| {
        let state = latest.borrow();
        service.send(&Request::FixAll {
            revision: state.revision,
            documents: state.documents.clone(),
            settings: state.settings.clone(),
            now_unix: now_unix(),
        });
    });
    AnalysisRequests { ask_who, fix_all, export, more_findings }
}

/// What the page asks the analysis service besides the audit.
pub struct AnalysisRequests {
    pub ask_who: Callback<WhoQuery>,
    /// Computes every safe fix for review.
    pub fix_all: Callback<()>,
    /// Downloads a file made from the shown result's report.
    pub export: Callback<Export>,
    /// Fetches the findings of a checklist group beyond those the result brought.
    pub more_findings: Callback<Option<u8>>,
}

/// A reply into the state. Sending the documents ("pgtls-request") and rendering the result
/// ("pgtls-apply") is all the page's thread does for an audit; the audit's own time and place
/// are shown as the results' `data-audit-ms` and `data-audit-in` (`worker` or `page`), for the
/// benchmark and the end-to-end tests.
fn apply(dispatcher: &UseReducerDispatcher<AppState>, reply: Reply) {
    match reply {
        Reply::Analysed { revision, result, audit_ms, in_worker } => {
            measured("pgtls-apply", || {
                dispatcher.dispatch(Action::Analysed { revision, result: Rc::new(result), audit_ms, in_worker });
            });
        }
        Reply::WhoGetsIn { revision, query, answer } => {
            dispatcher.dispatch(Action::WhoAnswered { revision, query, answer });
        }
        Reply::MoreFindings { revision, item, findings: Some(findings) } => {
            dispatcher.dispatch(Action::MoreFindings { revision, item, findings });
        }
        // Asked of a result that has been replaced since: the new one is on show.
        Reply::MoreFindings { findings: None, .. } => {}
        Reply::FixAll { revision, outcome } => dispatcher.dispatch(Action::FixAllComputed { revision, outcome }),
        Reply::Exported { file } => crate::infra::browser::download(&file.name, &file.mime, &file.content),
        Reply::Refused { message } => dispatcher.dispatch(Action::Notice(Some(message))),
    }
}
