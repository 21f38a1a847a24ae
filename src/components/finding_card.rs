//! One finding: where, what, why it matters, the fix and the documentation.

use pgtls_audit::report::{Finding, FixOut};
use pgtls_audit::Activation;
use yew::prelude::*;

use crate::infra::browser::copy_to_clipboard;

#[derive(Properties, PartialEq)]
pub struct FindingCardProps {
    pub finding: Finding,
    /// The finding's source line, when its file is among the inputs.
    pub excerpt: Option<String>,
    /// Whether its file has an editor to jump to (not in the embed view).
    pub can_reveal: bool,
    pub on_reveal: Callback<(String, usize, usize)>,
    /// `None` where fixes cannot be applied (the read-only embed view).
    pub on_apply: Option<Callback<FixOut>>,
}

fn activation_text(activation: Activation) -> &'static str {
    match activation {
        Activation::Reload => "takes effect on reload: SELECT pg_reload_conf();",
        Activation::Restart => "needs a server restart",
        Activation::Reconnect => "takes effect when the client reconnects",
        Activation::Deploy => "takes effect once the new file is deployed",
    }
}

#[function_component(FindingCard)]
pub fn finding_card(props: &FindingCardProps) -> Html {
    let f = &props.finding;
    let copied = use_state(|| false);
    let location = format!("{}:{}:{}", f.file, f.line, f.column);
    let on_reveal = {
        let cb = props.on_reveal.clone();
        let target = (f.file.clone(), f.start, f.end);
        Callback::from(move |_: MouseEvent| cb.emit(target.clone()))
    };
    let fix = f.fix.as_ref().map(|fix| {
        let snippet = fix.snippet.clone().or_else(|| {
            // Show what an edit writes when there is no separate snippet.
            let text: Vec<&str> = fix.edits.iter().map(|e| e.replacement.as_str()).filter(|r| !r.is_empty()).collect();
            (!text.is_empty()).then(|| text.join("\n"))
        });
        let on_copy = {
            let copied = copied.clone();
            let snippet = snippet.clone().unwrap_or_default();
            Callback::from(move |_: MouseEvent| {
                copy_to_clipboard(&snippet);
                copied.set(true);
            })
        };
        let apply = match (&props.on_apply, fix.edits.is_empty()) {
            (Some(cb), false) => {
                let cb = cb.clone();
                let fix_out = fix.clone();
                html! { <button type="button" data-testid="apply-fix" onclick={Callback::from(move |_: MouseEvent| cb.emit(fix_out.clone()))}>{ "Apply fix" }</button> }
            }
            _ => html! {},
        };
        html! {
            <div class="fix">
                <p><strong>{ "Fix: " }</strong>{ &fix.summary }
                    if let Some(a) = fix.activation { <span class="activation">{ format!(" — {}", activation_text(a)) }</span> }
                </p>
                if let Some(snippet) = snippet {
                    <pre class="snippet" data-testid="fix-snippet"><code>{ snippet }</code></pre>
                    <button type="button" class="secondary" onclick={on_copy} aria-live="polite">{ if *copied { "Copied" } else { "Copy" } }</button>
                }
                { apply }
            </div>
        }
    });
    let related = f.related.iter().map(|r| {
        html! { <li>{ format!("{}:{}:{} — {}", r.file, r.line, r.column, r.message) }</li> }
    });
    html! {
        <article class={classes!("finding", format!("severity-{}", f.severity))} data-testid="finding" data-rule={f.rule.clone()} data-severity={f.severity.as_str()}>
            <header>
                <span class="severity">{ f.severity.as_str() }</span>
                <span class="rule-id">{ &f.rule }</span>
                <h4>{ &f.title }</h4>
            </header>
            <p class="message">{ &f.message }</p>
            if props.can_reveal {
                <button type="button" class="location" data-testid="finding-location" onclick={on_reveal} aria-label={format!("Show {location} in the editor")}>{ &location }</button>
            } else {
                <span class="location">{ &location }</span>
            }
            if let Some(line) = &props.excerpt {
                <pre class="excerpt"><span class="excerpt-line">{ f.line }</span>{ line }</pre>
            }
            <details>
                <summary>{ "Why it matters" }</summary>
                <p>{ &f.help }</p>
            </details>
            if !f.related.is_empty() { <ul class="related">{ for related }</ul> }
            { for fix }
            <a class="docs" href={f.docs.clone()} target="_blank" rel="noopener noreferrer">{ "PostgreSQL documentation" }</a>
        </article>
    }
}
