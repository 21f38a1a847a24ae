//! Paste an error message: it becomes an input of kind "error message", which the engine
//! recognises and explains, pointing at the lines of the other inputs that cause it.

use web_sys::HtmlTextAreaElement;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct ExplainPanelProps {
    pub on_explain: Callback<String>,
}

#[function_component(ExplainPanel)]
pub fn explain_panel(props: &ExplainPanelProps) -> Html {
    let text = use_state(String::new);
    let on_input = {
        let text = text.clone();
        Callback::from(move |e: InputEvent| text.set(e.target_unchecked_into::<HtmlTextAreaElement>().value()))
    };
    let on_submit = {
        let (text, cb) = (text.clone(), props.on_explain.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            if !text.trim().is_empty() {
                cb.emit((*text).clone());
                text.set(String::new());
            }
        })
    };
    html! {
        <section class="panel explain" aria-labelledby="explain-heading">
            <h2 id="explain-heading">{ "Explain an error message" }</h2>
            <form onsubmit={on_submit}>
                <label for="error-message">{ "The message from psql, libpq, a driver or the server log:" }</label>
                <textarea id="error-message" data-testid="error-message" rows="3" value={(*text).clone()} oninput={on_input}
                    placeholder={"psql: error: connection to server at \"db\" failed: SSL error: tlsv1 alert protocol version"} />
                <button type="submit" disabled={text.trim().is_empty()}>{ "Explain" }</button>
            </form>
        </section>
    }
}
