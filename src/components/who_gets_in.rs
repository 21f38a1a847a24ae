//! "Who gets in?": a connection described in a form, run through the engine's first-match
//! simulation of the pg_hba.conf being audited. Answers as the server would: the line that
//! matches and its method, the implicit reject, or what the answer turns on. The question goes
//! to the analysis service, which holds the audited model; the answer shown is always the one
//! to the question in the form.

use pgtls_audit::hba::simulate::Verdict;
use web_sys::HtmlInputElement;
use yew::prelude::*;

use crate::analysis::{HbaTarget, WhoAnswer, WhoQuery};

#[derive(Properties, PartialEq)]
pub struct WhoGetsInProps {
    pub target: HbaTarget,
    /// The analysis the questions are about.
    pub revision: u64,
    /// The latest answer: (revision, question, answer).
    pub answer: Option<(u64, WhoQuery, Option<WhoAnswer>)>,
    pub on_ask: Callback<WhoQuery>,
    /// Shows a line of a file: (file, 1-based line).
    pub on_reveal_line: Callback<(String, usize)>,
}

fn field(label: &str, id: &'static str, value: &UseStateHandle<String>, placeholder: &str) -> Html {
    let v = value.clone();
    let oninput = Callback::from(move |e: InputEvent| v.set(e.target_unchecked_into::<HtmlInputElement>().value()));
    html! {
        <div class="field">
            <label for={id}>{ label }</label>
            <input id={id} data-testid={id} type="text" autocomplete="off" spellcheck="false"
                value={(**value).clone()} placeholder={placeholder.to_string()} {oninput} />
        </div>
    }
}

/// A checkbox; `unavailable` (with the reason) shows it cleared and disabled, its state kept
/// for when it applies again.
fn checkbox(label: &str, id: &'static str, value: &UseStateHandle<bool>, unavailable: Option<&str>) -> Html {
    let v = value.clone();
    let onchange = Callback::from(move |e: Event| v.set(e.target_unchecked_into::<HtmlInputElement>().checked()));
    let label = match unavailable {
        Some(why) => format!("{label} ({why})"),
        None => label.to_string(),
    };
    html! {
        <div class="field check">
            <input id={id} data-testid={id} type="checkbox" checked={**value && unavailable.is_none()}
                disabled={unavailable.is_some()} {onchange} />
            <label for={id}>{ label }</label>
        </div>
    }
}

#[function_component(WhoGetsIn)]
pub fn who_gets_in(props: &WhoGetsInProps) -> Html {
    let address = use_state(|| "203.0.113.10".to_string());
    let database = use_state(|| "app".to_string());
    let user = use_state(|| "app_user".to_string());
    let ssl = use_state(|| true);
    let replication = use_state(|| false);

    let query = WhoQuery {
        address: (*address).clone(),
        database: (*database).clone(),
        user: (*user).clone(),
        ssl: *ssl,
        replication: *replication,
    };
    {
        let on_ask = props.on_ask.clone();
        use_effect_with((query.clone(), props.revision), move |(query, _)| on_ask.emit(query.clone()));
    }
    let socket = query.names_socket();
    // Until the answer to the form's question arrives (a moment after typing), the previous one
    // stays in view, marked busy, so that the panel does not flicker; only the answer to the
    // current question carries the `who-answer` test id.
    let fresh = props.answer.as_ref().is_some_and(|(revision, asked, _)| *revision == props.revision && *asked == query);
    let testid = if fresh { "who-answer" } else { "who-answer-previous" };
    let result = match props.answer.as_ref().and_then(|(_, _, answer)| answer.as_ref()) {
        None => html! { <p class="muted" role="status" data-testid="who-pending">{ "Asking…" }</p> },
        Some(Err(problem)) => html! {
            <p class="notice" role="status" data-testid={testid} aria-busy={(!fresh).to_string()} data-verdict="invalid">{ problem.clone() }</p>
        },
        Some(Ok(a)) => {
            let (verdict, label) = match a.verdict {
                Verdict::Accepted => ("accepted", "Let in"),
                Verdict::Rejected => ("rejected", "Rejected"),
                Verdict::Depends => ("depends", "It depends"),
            };
            let line = a.line.clone().map(|l| {
                let onclick = props.on_reveal_line.reform({
                    let (file, n) = (l.file.clone(), l.line);
                    move |_: MouseEvent| (file.clone(), n)
                });
                html! {
                    <p>
                        <button type="button" class="location" {onclick} data-testid="who-line">
                            { format!("{} line {}", l.file, l.line) }
                        </button>
                        { " " }<code>{ l.text }</code>
                    </p>
                }
            });
            html! {
                <div class={classes!("who-answer", verdict, (!fresh).then_some("stale"))} role="status" data-testid={testid}
                    aria-busy={(!fresh).to_string()} data-verdict={verdict} data-line={a.line.as_ref().map(|l| l.line.to_string())}>
                    <p>
                        <strong class={classes!("verdict", verdict)}>{ label }</strong>
                        if let Some(method) = &a.method {
                            { " · method " }<span class={classes!("method", format!("method-{method}"))}>{ method.clone() }</span>
                        }
                    </p>
                    { for line }
                    <pre class="explanation">{ a.explanation.clone() }</pre>
                </div>
            }
        }
    };

    html! {
        <section class="panel" data-testid="who-gets-in" aria-labelledby="who-heading">
            <h2 id="who-heading">{ "Who gets in?" }</h2>
            <p class="hint">{ format!(
                "Describe a connection; the answer is the first-match scan of {} as PostgreSQL {} runs it.",
                props.target.file, props.target.pg_version
            ) }</p>
            <form class="who-form" onsubmit={Callback::from(|e: SubmitEvent| e.prevent_default())}>
                { field("Client address (or local)", "who-address", &address, "203.0.113.10") }
                { field("Database", "who-database", &database, "app") }
                { field("User", "who-user", &user, "app_user") }
                { checkbox("SSL", "who-ssl", &ssl, socket.then_some("never over a Unix socket")) }
                { checkbox("Replication connection", "who-replication", &replication, None) }
            </form>
            { result }
        </section>
    }
}
