//! What ssl_ciphers really enables: the suites in OpenSSL's order, as the engine expands the
//! cipher string (OpenSSL 3's table and rules), the weak ones marked with why, and a
//! replacement value that keeps the rest.

use yew::prelude::*;

use crate::analysis::CipherView;

#[derive(Properties, PartialEq)]
pub struct CipherPanelProps {
    pub view: CipherView,
    /// Shows a line of a file: (file, 1-based line).
    pub on_reveal_line: Callback<(String, usize)>,
}

#[function_component(CipherPanel)]
pub fn cipher_panel(props: &CipherPanelProps) -> Html {
    let view = &props.view;
    let line = view.line;
    let where_ = if view.is_set { format!("{} line {line}", view.file) } else { format!("not set in {}: the default", view.file) };
    let reveal = {
        let (name, cb) = (view.file.clone(), props.on_reveal_line.clone());
        Callback::from(move |_: MouseEvent| cb.emit((name.clone(), line)))
    };
    let (weak, negotiable) = (view.weak, view.negotiable);
    let rows = view.suites.iter().enumerate().map(|(i, s)| {
        html! {
            <tr data-testid="cipher-suite" data-name={s.name.clone()} data-state={s.state.clone()}>
                <td>{ i + 1 }</td>
                <td><code>{ s.name.clone() }</code><div class="muted iana">{ s.iana.clone() }</div></td>
                <td>{ s.protocol.clone() }</td>
                <td>{ format!("{}/{}", s.kx, s.au) }</td>
                <td>{ s.enc.clone() }</td>
                <td>{ s.mac.clone() }</td>
                <td class={classes!("suite-state", s.state.clone())}>{ s.why.clone() }</td>
            </tr>
        }
    });
    let summary = match &view.error {
        Some(e) => format!("OpenSSL rejects this string ({e}); PostgreSQL would refuse to start."),
        None => format!(
            "{} suite{} listed, {negotiable} negotiable, {weak} weak{}",
            view.suites.len(),
            if view.suites.len() == 1 { "" } else { "s" },
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
            if !view.suites.is_empty() {
                <details open={weak > 0}>
                    <summary>{ format!("The {} suites in OpenSSL's order", view.suites.len()) }</summary>
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
