//! What ssl_ciphers really enables: the suites in OpenSSL's order, as the engine expands the
//! cipher string (OpenSSL 3's table and rules), the weak ones marked with why, and a
//! replacement value that keeps the rest.

use pgtls_audit::cipher::rules::server_cipher_list;
use pgtls_audit::cipher::{Blocked, EnabledSuite};
use pgtls_audit::rules::Context;
use pgtls_audit::source::ColumnUnit;
use yew::prelude::*;

use crate::analysis::Settings;
use crate::state::Analysed;

#[derive(Properties, PartialEq)]
pub struct CipherPanelProps {
    pub analysed: Analysed,
    pub settings: Settings,
    /// Shows a line of a file: (file, 1-based line).
    pub on_reveal_line: Callback<(String, usize)>,
}

fn status(s: &EnabledSuite) -> (&'static str, String) {
    match s.blocked {
        Some(Blocked::NeedsPskOrSrp) => ("blocked", "never negotiated (PSK/SRP: PostgreSQL sets no callback)".to_string()),
        Some(Blocked::SecurityLevel { level }) => ("blocked", format!("kept out by OpenSSL security level {level}")),
        None if s.weaknesses.is_empty() => ("ok", "strong".to_string()),
        None => ("weak", s.weaknesses.iter().map(|w| w.describe()).collect::<Vec<_>>().join("; ")),
    }
}

#[function_component(CipherPanel)]
pub fn cipher_panel(props: &CipherPanelProps) -> Html {
    let a = &props.analysed.0.analysis;
    let options = props.settings.options(crate::infra::browser::now_unix());
    let cx = Context { inputs: &a.inputs, options: &options, model: &a.model };
    let Some(view) = server_cipher_list(&cx) else { return html! {} };

    let file = a.inputs.file(view.location.file);
    let line = file.line_col(view.location.span.start, ColumnUnit::Utf8).line;
    let where_ = if view.is_set { format!("{} line {line}", file.name) } else { format!("not set in {}: the default", file.name) };
    let reveal = {
        let (name, cb) = (file.name.clone(), props.on_reveal_line.clone());
        Callback::from(move |_: MouseEvent| cb.emit((name.clone(), line)))
    };
    let weak = view.list.weak().count();
    let negotiable = view.list.negotiable().count();
    let rows = view.list.suites.iter().enumerate().map(|(i, s)| {
        let (state, why) = status(s);
        html! {
            <tr data-testid="cipher-suite" data-name={s.name} data-state={state}>
                <td>{ i + 1 }</td>
                <td><code>{ s.name }</code><div class="muted iana">{ s.iana }</div></td>
                <td>{ s.protocol.as_str() }</td>
                <td>{ format!("{}/{}", s.kx, s.au) }</td>
                <td>{ s.enc.clone() }</td>
                <td>{ s.mac }</td>
                <td class={classes!("suite-state", state)}>{ why }</td>
            </tr>
        }
    });
    let summary = match &view.list.error {
        Some(e) => format!("OpenSSL rejects this string ({}); PostgreSQL would refuse to start.", e.describe(&view.value)),
        None => format!(
            "{} suite{} listed, {negotiable} negotiable, {weak} weak{}",
            view.list.suites.len(),
            if view.list.suites.len() == 1 { "" } else { "s" },
            if view.unused { " — unused: ssl_min_protocol_version is TLSv1.3, so only TLS 1.3 suites are negotiated" } else { "" }
        ),
    };

    html! {
        <section class="panel" data-testid="cipher-panel" aria-labelledby="cipher-heading">
            <h2 id="cipher-heading">{ "Cipher suites (TLS 1.2 and older)" }</h2>
            <p>
                <code>{ format!("{} = '{}'", view.parameter, view.value) }</code>{ " " }
                <button type="button" class="location" onclick={reveal}>{ where_ }</button>
            </p>
            <p data-testid="cipher-summary" data-weak={weak.to_string()}>{ summary }</p>
            if let Some(replacement) = &view.replacement {
                <div class="fix">
                    <p>{ "Without the weak suites, keeping the rest in its order:" }</p>
                    <pre class="snippet" data-testid="cipher-replacement"><code>{ format!("{} = '{}'", view.parameter, replacement.replace('\'', "''")) }</code></pre>
                </div>
            }
            if !view.list.suites.is_empty() {
                <details open={weak > 0}>
                    <summary>{ format!("The {} suites in OpenSSL's order", view.list.suites.len()) }</summary>
                    <div class="table-scroll" role="region" tabindex="0" aria-label="Cipher suites in OpenSSL's order">
                        <table class="cipher-table">
                            <thead><tr>
                                <th scope="col">{ "#" }</th><th scope="col">{ "Suite" }</th><th scope="col">{ "Since" }</th>
                                <th scope="col">{ "Key exchange/auth" }</th><th scope="col">{ "Encryption" }</th>
                                <th scope="col">{ "MAC" }</th><th scope="col">{ "Verdict" }</th>
                            </tr></thead>
                            <tbody>{ for rows }</tbody>
                        </table>
                    </div>
                </details>
            }
        </section>
    }
}
