//! Paste an error message: it becomes an input of kind "error message", which the engine
//! recognises and explains, pointing at the lines of the other inputs that cause it.

use pgtls_audit::explain::Explanation;
use web_sys::HtmlTextAreaElement;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct ExplainPanelProps {
    pub on_explain: Callback<String>,
    /// The engine's explanations of each pasted message: (input name, explanations).
    #[prop_or_default]
    pub explanations: Vec<(String, Vec<Explanation>)>,
    /// Shows a line of a file: (file, 1-based line).
    pub on_reveal_line: Callback<(String, usize)>,
}

fn list(items: &[String]) -> Html {
    html! { <ul>{ for items.iter().map(|i| html! { <li>{ i.clone() }</li> }) }</ul> }
}

fn explanation(e: &Explanation, on_reveal_line: &Callback<(String, usize)>) -> Html {
    let side = match e.side {
        pgtls_audit::explain::Side::Client => "client (libpq)",
        pgtls_audit::explain::Side::Server => "server",
    };
    let pointers = e.pointers.iter().map(|p| {
        let (file, line) = (p.file.clone(), p.line);
        let onclick = on_reveal_line.reform(move |_: MouseEvent| (file.clone(), line));
        html! {
            <li>
                <button type="button" class="location" {onclick}>{ format!("{}:{}", p.file, p.line) }</button>
                { " " }<code>{ p.text.clone() }</code>{ format!(" — {}", p.note) }
            </li>
        }
    });
    html! {
        <article class="explanation" data-testid="explanation" data-id={e.id}>
            <h3>{ e.title }</h3>
            <p class="muted">{ format!("Written by the {side}. Recognised: ") }<code>{ e.matched.clone() }</code></p>
            <p>{ e.meaning.clone() }</p>
            if !e.causes.is_empty() { <h4>{ "Likely causes" }</h4>{ list(&e.causes) } }
            if !e.fix.is_empty() { <h4>{ "Fix" }</h4>{ list(&e.fix) } }
            if let Some(v) = &e.versions { <p class="muted">{ v.clone() }</p> }
            if let Some(v) = &e.version_hint { <p class="muted">{ v.clone() }</p> }
            if !e.pointers.is_empty() { <h4>{ "In your inputs" }</h4><ul class="plain">{ for pointers }</ul> }
        </article>
    }
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
            { for props.explanations.iter().map(|(file, found)| html! {
                <div class="explained" data-testid="explained-message" data-file={file.clone()}>
                    if found.is_empty() {
                        <p class="notice">{ format!("{file}: no known message recognised.") }</p>
                    } else {
                        { for found.iter().map(|e| explanation(e, &props.on_reveal_line)) }
                    }
                </div>
            }) }
        </section>
    }
}
