use gloo::events::EventListener;
use gloo::timers::callback::Timeout;
use yew::prelude::*;

use crate::infra::browser;
use crate::share::{self, View};
use crate::state::{Action, AppState};

/// The fragment for the current state (private keys and binary inputs left out): the share
/// link's, or the embed view's.
pub fn fragment_of(state: &AppState, embed: bool) -> (String, share::Omissions) {
    let prepared = prepared(state);
    (prepared.fragment_with(&pairs_after_inputs(state, embed)), prepared.omitted)
}

/// The same, when it is at most `limit` bytes long; its length otherwise, worked out without
/// base64-encoding the inputs (a large set is megabytes of it, on every change).
pub fn fragment_within(state: &AppState, embed: bool, limit: usize) -> (Result<String, usize>, share::Omissions) {
    let prepared = prepared(state);
    let pairs = pairs_after_inputs(state, embed);
    let len = prepared.len_with(&pairs);
    ((len <= limit).then(|| prepared.fragment_with(&pairs)).ok_or(len), prepared.omitted)
}

/// The share link's fragment and the embed view's, from one encoding of the inputs, when both
/// are at most `limit` bytes long; the longer one's length otherwise.
pub fn link_fragments(state: &AppState, limit: usize) -> (Result<(String, String), usize>, share::Omissions) {
    let prepared = prepared(state);
    let (link, embed) = (pairs_after_inputs(state, false), pairs_after_inputs(state, true));
    let longest = prepared.len_with(&link).max(prepared.len_with(&embed));
    if longest > limit {
        return (Err(longest), prepared.omitted);
    }
    let mut link_fragment = prepared.fragment();
    let mut embed_fragment = link_fragment.clone();
    share::append_pairs(&mut link_fragment, &link);
    share::append_pairs(&mut embed_fragment, &embed);
    (Ok((link_fragment, embed_fragment)), prepared.omitted)
}

/// The inputs and settings, ready for a fragment.
fn prepared(state: &AppState) -> share::Prepared {
    let inputs = state.documents.iter().map(|d| share::Outgoing {
        name: &d.name,
        kind: d.kind,
        text: (!d.is_binary()).then_some(d.text.as_str()),
    });
    let pg = (state.settings.pg_version != pgtls_audit::options::DEFAULT_PG_VERSION).then_some(state.settings.pg_version);
    share::Prepared::new(inputs, &state.settings.host, pg)
}

/// What follows the inputs: `embed=1` for the embed view; otherwise the view, and the
/// generator's form when it is open.
fn pairs_after_inputs(state: &AppState, embed: bool) -> Vec<String> {
    if embed {
        return vec![share::EMBED_PAIR.to_string()];
    }
    let mut pairs = Vec::new();
    if let Some(pair) = state.view.fragment_pair() {
        pairs.push(pair.to_string());
        if state.view == View::Generate {
            pairs.push(share::encode_generate_form(&state.generate));
        }
    }
    pairs
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
