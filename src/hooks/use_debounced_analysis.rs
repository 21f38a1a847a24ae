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
            let outcome = analysis::run(&documents, &settings, now_unix());
            dispatcher.dispatch(Action::Analysed { revision, outcome: Rc::new(outcome) });
        });
        move || drop(timeout)
    });
}
