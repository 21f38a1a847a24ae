//! What the audit assumes beside the files: the host name clients use and the server version.

use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

use crate::analysis::Settings;

#[derive(Properties, PartialEq)]
pub struct SettingsBarProps {
    pub settings: Settings,
    pub on_host: Callback<String>,
    pub on_pg_version: Callback<u32>,
}

#[function_component(SettingsBar)]
pub fn settings_bar(props: &SettingsBarProps) -> Html {
    let on_host = {
        let cb = props.on_host.clone();
        Callback::from(move |e: InputEvent| cb.emit(e.target_unchecked_into::<HtmlInputElement>().value()))
    };
    let on_version = {
        let cb = props.on_pg_version.clone();
        Callback::from(move |e: Event| {
            if let Ok(v) = e.target_unchecked_into::<HtmlSelectElement>().value().parse() {
                cb.emit(v);
            }
        })
    };
    let versions = pgtls_audit::options::KNOWN_PG_VERSIONS.rev().map(|v| {
        html! { <option value={v.to_string()} selected={v == props.settings.pg_version}>{ format!("PostgreSQL {v}") }</option> }
    });
    html! {
        <div class="settings">
            <label for="host-name">{ "Clients connect to host" }</label>
            <input id="host-name" type="text" data-testid="host" placeholder="db.example.com" value={props.settings.host.clone()} oninput={on_host} />
            <label for="pg-version">{ "Server version" }</label>
            <select id="pg-version" data-testid="pg-version" onchange={on_version}>{ for versions }</select>
        </div>
    }
}
