use gloo::events::EventListener;
use gloo::timers::callback::Timeout;
use yew::prelude::*;

use crate::infra::browser;
use crate::share::{self, View};
use crate::state::{Action, AppState};

/// The fragment for the current state (private keys and binary inputs left out): the share
/// link's, or the embed view's.
pub fn fragment_of(state: &AppState, embed: bool) -> (String, share::Omissions) {
    let (fragment, omitted) = fragment_within(state, embed, usize::MAX);
    (fragment.unwrap_or_default(), omitted)
}

/// The same, when it is at most `limit` bytes long; its length otherwise, worked out without
/// base64-encoding the inputs (a large set is megabytes of it, on every change).
pub fn fragment_within(state: &AppState, embed: bool, limit: usize) -> (Result<String, usize>, share::Omissions) {
    let inputs = state.documents.iter().map(|d| share::Outgoing {
        name: &d.name,
        kind: d.kind,
        text: (!d.is_binary()).then_some(d.text.as_str()),
    });
    let pg = (state.settings.pg_version != pgtls_audit::options::DEFAULT_PG_VERSION).then_some(state.settings.pg_version);
    let prepared = share::Prepared::new(inputs, &state.settings.host, pg);
    let tail = if embed { share::embedded(String::new()) } else { with_view(state, String::new()) };
    let joined = !prepared.is_empty() && !tail.is_empty();
    let len = prepared.len() + usize::from(joined) + tail.len();
    let fragment = if len > limit {
        Err(len)
    } else {
        let mut fragment = prepared.fragment();
        if joined {
            fragment.push('&');
        }
        fragment.push_str(&tail);
        Ok(fragment)
    };
    (fragment, prepared.omitted)
}

/// The view (and the generator's form, when it is open) after the inputs.
fn with_view(state: &AppState, mut fragment: String) -> String {
    if let Some(pair) = state.view.fragment_pair() {
        if !fragment.is_empty() {
            fragment.push('&');
        }
        fragment.push_str(pair);
        if state.view == View::Generate {
            fragment.push('&');
            fragment.push_str(&share::encode_generate_form(&state.generate));
        }
    }
    fragment
}

/// Keeps the URL fragment equal to the state, so that the address bar is always a share link,
/// and loads a fragment the user pastes into the address bar of an open page.
#[hook]
pub fn use_fragment_sync(state: UseReducerHandle<AppState>) {
    {
        let state = state.clone();
        use_effect_with((state.revision, state.view, state.generate.clone()), move |_| {
            // Encoded when typing pauses, not on every keystroke: a large set is megabytes of
            // base64. Inputs too large for the address bar leave it without a fragment rather
            // than with an older one; the share bar still offers their link.
            let timeout = Timeout::new(300, move || {
                let (fragment, _) = fragment_within(&state, state.embed, share::ADDRESS_BAR_LIMIT);
                browser::replace_fragment(fragment.as_deref().unwrap_or(""));
            });
            move || drop(timeout)
        });
    }
    let dispatcher = state.dispatcher();
    use_effect_with((), move |_| {
        let listener = EventListener::new(&gloo::utils::window(), "hashchange", move |_| {
            let shared = share::decode(&browser::fragment());
            let view = shared.view;
            let generate = shared.generate.clone();
            if !shared.is_empty() {
                dispatcher.dispatch(Action::LoadShared(shared));
            }
            if let Some(view) = view {
                dispatcher.dispatch(Action::SetView(view));
            }
            if !generate.is_empty() {
                dispatcher.dispatch(Action::LoadGenerateForm(generate));
            }
        });
        move || drop(listener)
    });
}
