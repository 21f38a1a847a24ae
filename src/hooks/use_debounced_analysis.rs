use std::rc::Rc;

use gloo::timers::callback::Timeout;
use yew::prelude::*;

use crate::analysis;
use crate::infra::browser::now_unix;
use crate::state::{Action, AppState};

/// Milliseconds of quiet typing before the inputs are audited again.
pub const DEBOUNCE_MS: u32 = 150;

/// Audits the inputs whenever they change, once typing pauses; there is no button to press.
#[hook]
pub fn use_debounced_analysis(state: UseReducerHandle<AppState>) {
    let revision = state.revision;
    let first = state.analysed.is_none();
    use_effect_with(revision, move |&revision| {
        let documents = state.documents.clone();
        let settings = state.settings.clone();
        let dispatcher = state.dispatcher();
        // The first analysis runs at once, so the page opens with its result.
        let delay = if first { 0 } else { DEBOUNCE_MS };
        let timeout = Timeout::new(delay, move || {
            // Each audit is recorded as a performance measure ("pgtls-analysis"), so that
            // devtools and the page benchmark see how long it takes in the browser.
            let performance = gloo::utils::window().performance();
            if let Some(p) = &performance {
                let _ = p.mark("pgtls-analysis-start");
            }
            let outcome = analysis::run(&documents, &settings, now_unix());
            if let Some(p) = &performance {
                let _ = p.measure_with_start_mark("pgtls-analysis", "pgtls-analysis-start");
            }
            dispatcher.dispatch(Action::Analysed { revision, outcome: Rc::new(outcome) });
        });
        move || drop(timeout)
    });
}
