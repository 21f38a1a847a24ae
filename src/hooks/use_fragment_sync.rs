use gloo::events::EventListener;
use gloo::timers::callback::Timeout;
use yew::prelude::*;

use crate::infra::browser;
use crate::share::{self, View};
use crate::state::{Action, AppState};

/// The fragment for the current state (private keys and binary inputs left out), in its
/// shortest form: the share link's, or the embed view's.
pub fn fragment_of(state: &AppState, embed: bool) -> (String, share::Omissions) {
    let (fragment, omitted) = fragment_within(state, embed, usize::MAX);
    (fragment.unwrap_or_default(), omitted)
}

/// The same, when it is at most `limit` bytes long. Compression stops at the limit, so a set
/// too large for it costs no more than one that fits.
pub fn fragment_within(state: &AppState, embed: bool, limit: usize) -> (Option<String>, share::Omissions) {
    let prepared = prepared(state);
    let pairs = pairs_after_inputs(state, embed);
    (prepared.encode_followed_by(&[&pairs], limit).map(|mut f| f.remove(0)), prepared.omitted)
}

/// The share link's fragment and the embed view's, from one encoding of the inputs, when both
/// are at most `limit` bytes long.
pub fn link_fragments(state: &AppState, limit: usize) -> (Option<(String, String)>, share::Omissions) {
    let prepared = prepared(state);
    let (link, embed) = (pairs_after_inputs(state, false), pairs_after_inputs(state, true));
    let fragments = prepared.encode_followed_by(&[&link, &embed], limit).map(|mut f| {
        let embed = f.pop().unwrap_or_default();
        (f.pop().unwrap_or_default(), embed)
    });
    (fragments, prepared.omitted)
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
                browser::measured("pgtls-address", || {
                    let (fragment, _) = fragment_within(&state, state.embed, share::ADDRESS_BAR_LIMIT);
                    browser::replace_fragment(fragment.as_deref().unwrap_or(""));
                })
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
            } else if let Some(notice) = shared.rejection_notice() {
                dispatcher.dispatch(Action::Notice(Some(notice)));
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
