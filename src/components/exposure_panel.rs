//! The pg_hba.conf exposure matrix: for each kind of client, with and without SSL, the lines
//! that let it in and with which method. Read from the report's `exposure` section.

use serde_json::Value;

use crate::analysis::Section;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct ExposurePanelProps {
    pub exposure: Section,
    /// Shows a line of a file: (file, 1-based line).
    pub on_reveal_line: Callback<(String, usize)>,
}

const CLIENTS: [(&str, &str); 4] = [
    ("remote-ipv4", "Remote IPv4"),
    ("remote-ipv6", "Remote IPv6"),
    ("loopback", "Loopback (127.0.0.1, ::1)"),
    ("unix-socket", "Unix socket"),
];

fn cell<'a>(exposure: &'a Value, client: &str, ssl: bool) -> Option<&'a Value> {
    exposure["cells"].as_array()?.iter().find(|c| c["client"] == client && c["ssl"] == ssl)
}

#[function_component(ExposurePanel)]
pub fn exposure_panel(props: &ExposurePanelProps) -> Html {
    let exposure = &props.exposure.value();
    if !exposure["cells"].is_array() {
        return html! {};
    }
    let render_cell = |client: &str, ssl: bool| -> Html {
        let Some(c) = cell(exposure, client, ssl) else { return html! { <td class="muted">{ "—" }</td> } };
        if c["applicable"] == false {
            return html! { <td class="muted" data-testid="exposure-cell" data-client={client.to_string()} data-ssl={ssl.to_string()} data-state="not-applicable">{ "not possible" }</td> };
        }
        let lines = c["lines"].as_array().cloned().unwrap_or_default();
        let remote = client.starts_with("remote");
        let state = if lines.is_empty() { "rejected" } else if !ssl && remote { "exposed" } else { "accepted" };
        let items = lines.iter().map(|l| {
            let file = l["file"].as_str().unwrap_or_default().to_string();
            let line = l["line"].as_u64().unwrap_or(0) as usize;
            let method = l["method"].as_str().unwrap_or_default().to_string();
            let conditional = l["conditional"] == true;
            let onclick = props.on_reveal_line.reform(move |_: MouseEvent| (file.clone(), line));
            html! {
                <li>
                    <button type="button" class="location" {onclick} title={l["text"].as_str().unwrap_or_default().to_string()}>
                        { format!("line {line}") }
                    </button>
                    { " " }<span class={classes!("method", format!("method-{method}"))}>{ method.clone() }</span>
                    if conditional { <span class="muted" title="only under a condition the file cannot show">{ " (conditional)" }</span> }
                </li>
            }
        });
        html! {
            <td class={classes!("exposure", state)} data-testid="exposure-cell" data-client={client.to_string()} data-ssl={ssl.to_string()} data-state={state}>
                if lines.is_empty() { <span>{ "rejected" }</span> } else { <ul class="plain">{ for items }</ul> }
            </td>
        }
    };
    let unknown = exposure["unknown"].as_array().cloned().unwrap_or_default();
    html! {
        <section class="panel" data-testid="exposure-panel" aria-labelledby="exposure-heading">
            <h2 id="exposure-heading">{ format!("Who can connect: {}", exposure["file"].as_str().unwrap_or("pg_hba.conf")) }</h2>
            <div class="table-scroll" role="region" tabindex="0" aria-label="Who can connect, by client and SSL">
                <table class="exposure-matrix">
                    <thead><tr><th scope="col">{ "Client" }</th><th scope="col">{ "With SSL" }</th><th scope="col">{ "Without SSL" }</th></tr></thead>
                    <tbody>
                        { for CLIENTS.iter().map(|(client, label)| html! {
                            <tr><th scope="row">{ *label }</th>{ render_cell(client, true) }{ render_cell(client, false) }</tr>
                        }) }
                    </tbody>
                </table>
            </div>
            if !unknown.is_empty() {
                <p class="notice">{ format!("Not shown (not given): {}", unknown.iter().filter_map(|u| u.as_str()).collect::<Vec<_>>().join(", ")) }</p>
            }
        </section>
    }
}
