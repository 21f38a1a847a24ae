//! The live check: asks the relay on this machine for a handshake check of a server.

use serde_json::Value;
use web_sys::HtmlInputElement;
use yew::prelude::*;

use crate::components::report_section::render_value;
use crate::infra::relay::{self, CheckError, CheckRequest};

#[derive(Properties, PartialEq)]
pub struct LiveCheckProps {
    /// Adds the relay's answer to the inputs, so that its findings join the audit.
    pub on_add_result: Callback<String>,
    /// The host clients connect to, as a default target.
    pub default_host: AttrValue,
}

#[derive(Clone, PartialEq)]
enum Phase {
    Idle,
    Running,
    Done(String),
    Failed(CheckError),
}

fn text_input(label: &str, id: &str, value: &UseStateHandle<String>, placeholder: &str) -> Html {
    let v = value.clone();
    let oninput = Callback::from(move |e: InputEvent| v.set(e.target_unchecked_into::<HtmlInputElement>().value()));
    html! {
        <>
            <label for={id.to_string()}>{ label }</label>
            <input id={id.to_string()} type="text" value={(**value).clone()} placeholder={placeholder.to_string()} {oninput} />
        </>
    }
}

#[function_component(LiveCheck)]
pub fn live_check(props: &LiveCheckProps) -> Html {
    let host = use_state(|| props.default_host.to_string());
    let port = use_state(|| "5432".to_string());
    let user = use_state(String::new);
    let database = use_state(String::new);
    let phase = use_state(|| Phase::Idle);

    let on_submit = {
        let (host, port, user, database, phase) = (host.clone(), port.clone(), user.clone(), database.clone(), phase.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let non_empty = |s: &str| (!s.trim().is_empty()).then(|| s.trim().to_string());
            let request = CheckRequest {
                host: host.trim().to_string(),
                port: port.trim().parse().unwrap_or(5432),
                sni: None,
                user: non_empty(&user),
                database: non_empty(&database),
                root_pem: None,
            };
            if request.host.is_empty() {
                return;
            }
            let phase = phase.clone();
            phase.set(Phase::Running);
            wasm_bindgen_futures::spawn_local(async move {
                phase.set(match relay::check(&request).await {
                    Ok(text) => Phase::Done(text),
                    Err(e) => Phase::Failed(e),
                });
            });
        })
    };

    let result = match &*phase {
        Phase::Idle => html! {},
        Phase::Running => html! { <p role="status">{ "Checking…" }</p> },
        Phase::Failed(CheckError::Unreachable) => html! {
            <div class="notice" role="alert" data-testid="relay-unreachable">
                <p>{ format!("The relay is not running at {}. The page cannot open a TCP connection itself; start the relay on this machine:", relay::RELAY_ORIGIN) }</p>
                <pre><code>{ relay::START_COMMAND }</code></pre>
                <p>{ "(or run pgtls-relay --listen 127.0.0.1:8787 --allow-origin with this page's origin)" }</p>
            </div>
        },
        Phase::Failed(CheckError::Refused(message)) => html! {
            <p class="notice" role="alert">{ format!("The relay refused the check: {message}") }</p>
        },
        Phase::Done(text) => {
            let value: Value = serde_json::from_str(text).unwrap_or(Value::String(text.clone()));
            let on_add = {
                let cb = props.on_add_result.clone();
                let text = text.clone();
                Callback::from(move |_: MouseEvent| cb.emit(text.clone()))
            };
            html! {
                <div class="live-result" data-testid="live-result">
                    { render_value(&value) }
                    <button type="button" onclick={on_add}>{ "Add the result to the inputs" }</button>
                </div>
            }
        }
    };

    html! {
        <section class="panel live" aria-labelledby="live-heading">
            <h2 id="live-heading">{ "Live check" }</h2>
            <p class="hint">{ format!("Checks a running server's TLS through the relay on your machine ({}); nothing else is contacted.", relay::RELAY_ORIGIN) }</p>
            <form class="live-form" onsubmit={on_submit}>
                { text_input("Host", "live-host", &host, "db.example.com") }
                { text_input("Port", "live-port", &port, "5432") }
                { text_input("User (optional)", "live-user", &user, "probe user") }
                { text_input("Database (optional)", "live-db", &database, "probe database") }
                <button type="submit" data-testid="live-check" disabled={*phase == Phase::Running}>{ "Check" }</button>
            </form>
            { result }
        </section>
    }
}
