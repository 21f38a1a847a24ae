//! Share, embed, export and print.

use yew::prelude::*;

use crate::analysis::Export;
use crate::hooks::use_fragment_sync::{fragment_within, link_fragments};
use crate::infra::browser;
use crate::share;

use crate::state::AppState;

#[derive(Properties, PartialEq)]
pub struct ShareBarProps {
    pub state: UseReducerHandle<AppState>,
    /// Asks for an export of the current result; the analysis service makes the file.
    pub on_export: Callback<Export>,
}

/// The share and embed links (empty when the inputs do not fit in one), made once per change.
struct Links {
    link: AttrValue,
    embed_link: AttrValue,
    omitted: share::Omissions,
}

impl Links {
    fn of(state: &AppState) -> Links {
        let (fragments, omitted) = link_fragments(state, share::LINK_LIMIT);
        let address = browser::page_address();
        match fragments {
            Some((fragment, embed_fragment)) => Links {
                link: format!("{address}#{fragment}").into(),
                embed_link: format!("{address}#{embed_fragment}").into(),
                omitted,
            },
            None => Links { link: AttrValue::default(), embed_link: AttrValue::default(), omitted },
        }
    }
}

#[function_component(ShareBar)]
pub fn share_bar(props: &ShareBarProps) -> Html {
    let copied = use_state(|| false);
    // Encoded when an analysis lands (it follows every change of the inputs once typing
    // pauses) or the view changes, not on every keystroke: it is all the inputs in base64.
    // "Copy link" encodes the inputs of the moment itself.
    let links = {
        let state = props.state.clone();
        use_memo((state.analysed_revision, state.view, state.generate.clone()), move |_| {
            browser::measured("pgtls-link", || Links::of(&state))
        })
    };
    let Links { link, embed_link, omitted } = &*links;
    let fits = !link.is_empty();
    let on_copy = {
        let (copied, state) = (copied.clone(), props.state.clone());
        Callback::from(move |_: MouseEvent| {
            if let (Some(fragment), _) = fragment_within(&state, false, share::LINK_LIMIT) {
                browser::copy_to_clipboard(&format!("{}#{fragment}", browser::page_address()));
                copied.set(true);
            }
        })
    };
    let on_json = props.on_export.reform(|_: MouseEvent| Export::Json);
    let on_markdown = props.on_export.reform(|_: MouseEvent| Export::Markdown);
    let on_print = Callback::from(|_: MouseEvent| browser::print());
    let mut left_out = Vec::new();
    if !fits {
        left_out.push(format!(
            "These inputs are too large for a link: compressed, they take more than the {} KiB a link holds, so there is no link to share and the address bar keeps none.",
            share::LINK_LIMIT / 1024
        ));
    }
    if omitted.private_keys > 0 {
        left_out.push(format!(
            "{} private key{} left out of the link (PEM blocks, and manifest values that hold a key): keys are analysed in this page's memory only and never put in a URL.",
            omitted.private_keys,
            if omitted.private_keys == 1 { " is" } else { "s are" }
        ));
    }
    if omitted.binary_inputs > 0 {
        left_out.push(format!(
            "{} binary (DER) input{} left out of the link; paste the PEM form to share it.",
            omitted.binary_inputs,
            if omitted.binary_inputs == 1 { " is" } else { "s are" }
        ));
    }
    html! {
        <section class="share" aria-labelledby="share-heading">
            <h2 id="share-heading">{ "Share and export" }</h2>
            <p class="hint">{ "The link holds the inputs in its #fragment, which browsers never send to a server." }</p>
            <div class="share-row">
                <label for="share-link" class="visually-hidden">{ "Share link" }</label>
                <input id="share-link" type="text" readonly=true data-testid="share-link" value={link.clone()} disabled={!fits} />
                <button type="button" onclick={on_copy} aria-live="polite" disabled={!fits}>{ if *copied { "Copied" } else { "Copy link" } }</button>
                if fits {
                    <a class="button secondary" href={embed_link.clone()} data-testid="embed-link" target="_blank" rel="noopener">{ "Embed view" }</a>
                }
            </div>
            { for left_out.into_iter().map(|note| html! { <p class="notice" data-testid="share-omitted" role="status">{ note }</p> }) }
            <div class="export-row">
                <button type="button" data-testid="export-json" onclick={on_json}>{ "Download JSON" }</button>
                <button type="button" data-testid="export-markdown" onclick={on_markdown}>{ "Download Markdown" }</button>
                <button type="button" class="secondary" data-testid="print" onclick={on_print}>{ "Print" }</button>
            </div>
        </section>
    }
}
