//! Certificates: one card each, the chain as a path, the host-name check, and the rotation
//! timeline in SVG. Read from the report's `certificates` section.

use serde_json::Value;

use crate::analysis::Section;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct CertificatesPanelProps {
    pub certificates: Section,
    pub host: AttrValue,
    pub on_host: Callback<String>,
    /// Downloads the rotation calendar (.ics); absent where nothing may be downloaded.
    #[prop_or_default]
    pub on_download_calendar: Option<Callback<()>>,
}

const DAY: i64 = 86_400;

fn s(v: &Value) -> String {
    v.as_str().unwrap_or_default().to_string()
}

fn days_class(days: i64) -> &'static str {
    if days < 0 {
        "expired"
    } else if days <= 30 {
        "expiring"
    } else {
        "valid"
    }
}

fn chain_path(cert: &Value) -> Html {
    let links = cert["chain"].as_array().cloned().unwrap_or_default();
    if links.is_empty() {
        return html! {};
    }
    let n = links.len();
    let items = links.iter().enumerate().map(|(i, link)| {
        let verified = link["verified"] == true;
        let role = if i == 0 { "leaf" } else if i + 1 == n { "root" } else { "intermediate" };
        html! {
            <>
                <li class={classes!("chain-node", if link["trusted"] == true { "trusted" } else { "" })}>
                    <span class="chain-role">{ role }</span>
                    <span class="chain-subject">{ s(&link["subject"]) }</span>
                    <span class="chain-file muted">{ s(&link["file"]) }</span>
                    if let Some(problem) = link["problem"].as_str() { <span class="no">{ problem }</span> }
                </li>
                <li class={classes!("chain-link", if verified { "yes" } else { "no" })} aria-label={if verified { "signature verified" } else { "signature not verified" }}>
                    { if verified { "✓ signed by" } else { "✗ not verified" } }
                </li>
            </>
        }
    });
    let verdict = match cert["chain_verified"].as_bool() {
        Some(true) => html! { <p class="yes">{ "Chain verified to a trusted root." }</p> },
        Some(false) => html! { <p class="no">{ format!("Chain not verified{}", cert["chain_error"].as_str().map(|e| format!(": {e}")).unwrap_or_default()) }</p> },
        None => html! {},
    };
    html! {
        <div class="chain">
            <ol class="chain-path" aria-label="Certificate chain, leaf first">{ for items }</ol>
            { verdict }
        </div>
    }
}

fn card(cert: &Value) -> Html {
    let days = cert["days_left"].as_i64().unwrap_or(0);
    let sans = cert["subject_alt_names"].as_array().cloned().unwrap_or_default();
    let key = format!(
        "{} {}{}",
        s(&cert["key_type"]),
        cert["key_bits"].as_u64().map(|b| format!("{b} bits")).unwrap_or_default(),
        cert["key_curve"].as_str().map(|c| format!(" ({c})")).unwrap_or_default()
    );
    let host = &cert["host_check"];
    html! {
        <article class="cert-card" data-testid="certificate" data-role={s(&cert["role"])}>
            <h3>{ s(&cert["subject"]) }</h3>
            <p class="muted">{ format!("{} · {} #{}", s(&cert["role"]), s(&cert["file"]), cert["index_in_file"].as_u64().unwrap_or(0) + 1) }</p>
            <dl>
                <dt>{ "Issuer" }</dt><dd>{ s(&cert["issuer"]) }</dd>
                <dt>{ "Names" }</dt><dd>{ if sans.is_empty() { "no subjectAltName".to_string() } else { sans.iter().map(s).collect::<Vec<_>>().join(", ") } }</dd>
                <dt>{ "Key" }</dt><dd>{ key }</dd>
                <dt>{ "Signature" }</dt><dd>{ s(&cert["signature_algorithm"]) }</dd>
                <dt>{ "Valid" }</dt>
                <dd>
                    { format!("{} → {} ", s(&cert["not_before"]).get(..10).unwrap_or_default(), s(&cert["not_after"]).get(..10).unwrap_or_default()) }
                    <span class={classes!("days", days_class(days))}>{ if days < 0 { format!("expired {} days ago", -days) } else { format!("{days} days left") } }</span>
                </dd>
                <dt>{ "SHA-256" }</dt><dd class="fingerprint">{ s(&cert["sha256_fingerprint"]) }</dd>
            </dl>
            if host.is_object() {
                <p class={if host["matches"] == true { "yes" } else { "no" }} data-testid="host-check">
                    { if host["matches"] == true { format!("✓ matches host {}", s(&host["host"])) } else { format!("✗ {}", host["libpq_error"].as_str().map(str::to_string).unwrap_or_else(|| format!("does not match host {}", s(&host["host"])))) } }
                </p>
            }
            { chain_path(cert) }
        </article>
    }
}

/// Each certificate's validity as a bar on one time axis, with today and each 30-day alert.
fn timeline(certs: &[Value]) -> Html {
    let spans: Vec<(String, i64, i64, i64)> = certs
        .iter()
        .filter_map(|c| {
            let t = &c["timeline"];
            Some((s(&c["subject"]), t["not_before"].as_i64()?, t["not_after"].as_i64()?, t["today"].as_i64()?))
        })
        .collect();
    if spans.is_empty() {
        return html! {};
    }
    let today = spans[0].3;
    let start = spans.iter().map(|s| s.1).min().unwrap_or(today).min(today - 30 * DAY);
    let end = spans.iter().map(|s| s.2).max().unwrap_or(today).max(today + 30 * DAY);
    let (left, width, row) = (190.0, 580.0, 26.0);
    let x = |t: i64| left + width * (t - start) as f64 / (end - start).max(1) as f64;
    let height = row * spans.len() as f64 + 30.0;
    let year = pgtls_audit::civil::date;
    let bars = spans.iter().enumerate().map(|(i, (subject, nb, na, _))| {
        let y = 10.0 + row * i as f64;
        let class = days_class((na - today).div_euclid(DAY));
        let label: String = subject.chars().take(28).collect();
        html! {
            <g>
                <text x="0" y={format!("{:.1}", y + 14.0)} class="tl-label">{ label }</text>
                <rect x={format!("{:.1}", x(*nb))} y={format!("{y:.1}")} width={format!("{:.1}", (x(*na) - x(*nb)).max(2.0))} height="16" rx="3" class={classes!("tl-bar", class)}>
                    <title>{ format!("{subject}: valid until {}", year(*na)) }</title>
                </rect>
                <line x1={format!("{:.1}", x(na - 30 * DAY))} x2={format!("{:.1}", x(na - 30 * DAY))} y1={format!("{y:.1}")} y2={format!("{:.1}", y + 16.0)} class="tl-alert" />
            </g>
        }
    });
    html! {
        <figure class="timeline" data-testid="rotation-timeline">
            <svg viewBox={format!("0 0 780 {height:.0}")} role="img" aria-label="Validity of each certificate, with today and the 30-day alert line">
                { for bars }
                <line x1={format!("{:.1}", x(today))} x2={format!("{:.1}", x(today))} y1="0" y2={format!("{:.0}", height - 16.0)} class="tl-today" />
                <text x={format!("{:.1}", x(today))} y={format!("{:.0}", height - 2.0)} class="tl-axis" text-anchor="middle">{ "today" }</text>
                <text x={format!("{left:.0}")} y={format!("{:.0}", height - 2.0)} class="tl-axis">{ year(start) }</text>
                <text x={format!("{:.0}", left + width)} y={format!("{:.0}", height - 2.0)} class="tl-axis" text-anchor="end">{ year(end) }</text>
            </svg>
            <figcaption class="muted">{ "Bars: validity. Thin marks: 30 days before expiry, when monitoring should alert. Vertical line: today." }</figcaption>
        </figure>
    }
}

#[function_component(CertificatesPanel)]
pub fn certificates_panel(props: &CertificatesPanelProps) -> Html {
    let certs = match props.certificates.value() {
        Value::Array(certs) => certs,
        _ => Vec::new(),
    };
    if certs.is_empty() {
        return html! {};
    }
    let on_host = {
        let cb = props.on_host.clone();
        Callback::from(move |e: InputEvent| cb.emit(e.target_unchecked_into::<web_sys::HtmlInputElement>().value()))
    };
    html! {
        <section class="panel" data-testid="certificates-panel" aria-labelledby="certs-heading">
            <h2 id="certs-heading">{ "Certificates" }</h2>
            <div class="host-check-row">
                <label for="cert-host">{ "Check the server certificate against host name:" }</label>
                <input id="cert-host" type="text" value={props.host.clone()} oninput={on_host} placeholder="db.example.com" />
            </div>
            { timeline(&certs) }
            if let Some(cb) = &props.on_download_calendar {
                <p class="export-row">
                    <button type="button" data-testid="calendar-download" onclick={cb.reform(|_: MouseEvent| ())}>{ "Download calendar (.ics)" }</button>
                    <span class="hint">{ "An event 30 days before each certificate expires, and one on the day." }</span>
                </p>
            }
            <div class="cert-cards">{ for certs.iter().map(card) }</div>
        </section>
    }
}
