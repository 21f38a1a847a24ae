//! The compact read-only view for iframes in documentation pages (`embed=1`).

use yew::prelude::*;

use crate::components::findings::Findings;
use crate::components::scorecard::Scorecard;
use crate::infra::browser;
use crate::state::AppState;

#[derive(Properties, PartialEq)]
pub struct EmbedViewProps {
    pub state: UseReducerHandle<AppState>,
    /// Asks for the rest of a group of findings.
    pub on_more: Callback<Option<u8>>,
}

#[function_component(EmbedView)]
pub fn embed_view(props: &EmbedViewProps) -> Html {
    let state = &props.state;
    // Made once per change of the inputs, not on every render: it compresses all of them.
    let full = {
        let state = state.clone();
        use_memo(state.revision, move |_| {
            let (fragment, _) = crate::hooks::use_fragment_sync::fragment_of(&state, false);
            AttrValue::from(format!("{}#{}", browser::page_address(), fragment))
        })
    };
    html! {
        <main class="embed" data-testid="embed-view">
            <header class="embed-header">
                <h1>{ "pgtls" }</h1>
                <a href={(*full).clone()} target="_blank" rel="noopener">{ "Open in pgtls to edit" }</a>
            </header>
            if let Some(analysed) = &state.analysed {
                <Scorecard report={analysed.result.report.clone()} />
                <Findings
                    report={analysed.result.report.clone()}
                    sources={analysed.sources.clone()}
                    more={analysed.more.clone()}
                    on_more={props.on_more.clone()}
                    on_reveal={Callback::noop()}
                    on_apply={None::<Callback<_>>}
                    can_reveal={false}
                />
            } else {
                <p role="status">{ "Analysing…" }</p>
            }
        </main>
    }
}
