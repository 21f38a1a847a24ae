//! "Generate": a hardened set for a version, the names clients use, their drivers and the
//! platform, from the engine's generator (`pgtls generate` makes the same files). Each file is
//! previewed; the README's steps are shown first; the whole set downloads as one .zip.

use std::rc::Rc;

use pgtls_audit::generate::{Driver, GeneratedFile, Platform, RequestError};
use wasm_bindgen::JsCast;
use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

use crate::archive::{self, Entry};
use crate::generate_form::{driver_label, field_id, field_message, platform_label, FormEdit, GenerateForm, Generated};
use crate::infra::browser;

#[derive(Properties, PartialEq)]
pub struct GenerateViewProps {
    pub form: GenerateForm,
    /// The generator's answer, once the user asked for one.
    pub generated: Option<Rc<Generated>>,
    pub on_edit: Callback<FormEdit>,
    pub on_generate: Callback<()>,
}

/// The messages for one field, and the attributes its control carries because of them.
fn errors_at<'a>(errors: &'a [RequestError], id: &str) -> Vec<&'a RequestError> {
    errors.iter().filter(|e| field_id(e.field) == id).collect()
}

fn field_errors(errors: &[&RequestError], id: &str) -> Html {
    if errors.is_empty() {
        return html! {};
    }
    html! {
        <ul class="field-errors" id={format!("{id}-error")}>
            { for errors.iter().map(|e| html! {
                <li class="field-error" data-testid="gen-error" data-field={id.to_string()}>{ field_message(e) }</li>
            }) }
        </ul>
    }
}

/// `aria-describedby` for a control: its hint, and its errors when there are any.
fn described_by(id: &str, hint: bool, has_errors: bool) -> Option<String> {
    let mut ids = Vec::new();
    if hint {
        ids.push(format!("{id}-hint"));
    }
    if has_errors {
        ids.push(format!("{id}-error"));
    }
    (!ids.is_empty()).then(|| ids.join(" "))
}

/// A free-text list field (host names, addresses) with its hint and its problems.
struct ListField<'a> {
    id: &'static str,
    label: &'static str,
    placeholder: &'static str,
    hint: &'static str,
    value: &'a str,
    oninput: Callback<InputEvent>,
    errors: &'a [&'a RequestError],
}

fn list_field(f: ListField<'_>) -> Html {
    html! {
        <div class="field">
            <label for={f.id}>{ f.label }</label>
            <input id={f.id} type="text" data-testid={f.id} autocomplete="off" spellcheck="false"
                placeholder={f.placeholder} value={f.value.to_string()} oninput={f.oninput}
                aria-invalid={(!f.errors.is_empty()).then_some("true")}
                aria-describedby={described_by(f.id, true, !f.errors.is_empty())} />
            <p class="hint" id={format!("{}-hint", f.id)}>{ f.hint }</p>
            { field_errors(f.errors, f.id) }
        </div>
    }
}

fn zip_name(form: &GenerateForm) -> String {
    format!("pgtls-{}-pg{}.zip", form.platform.as_str(), form.pg_version)
}

fn file_card(file: &GeneratedFile) -> Html {
    let lines = file.contents.lines().count();
    html! {
        <li class="gen-file" data-testid="gen-file" data-name={file.name.clone()}>
            <details>
                <summary>
                    <code>{ &file.name }</code>
                    <span class="muted">{ format!(" · {lines} line{}", if lines == 1 { "" } else { "s" }) }</span>
                    if file.executable { <span class="muted">{ " · script" }</span> }
                </summary>
                <pre class="file-preview" role="region" tabindex="0" aria-label={format!("Contents of {}", file.name)}><code>{ &file.contents }</code></pre>
            </details>
        </li>
    }
}

#[function_component(GenerateView)]
pub fn generate_view(props: &GenerateViewProps) -> Html {
    let download_error = use_state(|| None::<String>);
    let form = &props.form;
    let no_errors: Vec<RequestError> = Vec::new();
    let errors: &[RequestError] = match props.generated.as_deref() {
        Some(Err(errors)) => errors,
        _ => &no_errors,
    };

    let on_version = props.on_edit.reform(|e: Event| {
        let value = e.target_unchecked_into::<HtmlSelectElement>().value();
        FormEdit::PgVersion(value.parse().unwrap_or(pgtls_audit::options::DEFAULT_PG_VERSION))
    });
    let on_hosts =
        props.on_edit.reform(|e: InputEvent| FormEdit::Hosts(e.target_unchecked_into::<HtmlInputElement>().value()));
    let on_ips = props.on_edit.reform(|e: InputEvent| FormEdit::Ips(e.target_unchecked_into::<HtmlInputElement>().value()));
    // After a click on Generate that finds problems, the focus goes to the first field at fault
    // (not while typing: live answers never move the focus).
    let submissions = use_state(|| 0u32);
    {
        let first = match props.generated.as_deref() {
            Some(Err(errors)) => errors.first().map(|e| field_id(e.field)),
            _ => None,
        };
        use_effect_with(*submissions, move |count| {
            if *count > 0 {
                if let Some(id) = first {
                    // A group of boxes takes the focus on its first box.
                    let element = gloo::utils::document().get_element_by_id(id).and_then(|e| {
                        if e.tag_name() == "FIELDSET" { e.query_selector("input").ok().flatten() } else { Some(e) }
                    });
                    if let Some(element) = element.and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok()) {
                        let _ = element.focus();
                    }
                }
            }
        });
    }
    let on_submit = {
        let (cb, submissions) = (props.on_generate.clone(), submissions.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            cb.emit(());
            submissions.set(*submissions + 1);
        })
    };

    let version_errors = errors_at(errors, "gen-pg-version");
    let host_errors = errors_at(errors, "gen-hosts");
    let ip_errors = errors_at(errors, "gen-ips");
    let driver_errors = errors_at(errors, "gen-drivers");
    let other_errors = errors_at(errors, "gen-form");

    let versions = pgtls_audit::options::KNOWN_PG_VERSIONS.rev().map(|v| {
        html! { <option value={v.to_string()} selected={v == form.pg_version}>{ format!("PostgreSQL {v}") }</option> }
    });
    let drivers = Driver::ALL.into_iter().map(|driver| {
        let id = format!("gen-driver-{}", driver.as_str());
        let onchange = props
            .on_edit
            .reform(move |e: Event| FormEdit::Driver(driver, e.target_unchecked_into::<HtmlInputElement>().checked()));
        html! {
            <div class="field check">
                <input id={id.clone()} type="checkbox" data-testid="gen-driver" data-driver={driver.as_str()}
                    checked={form.drivers.contains(&driver)} {onchange} />
                <label for={id}>{ driver_label(driver) }</label>
            </div>
        }
    });
    let platforms = Platform::ALL.into_iter().map(|platform| {
        let id = format!("gen-platform-{}", platform.as_str());
        let onchange = props.on_edit.reform(move |_: Event| FormEdit::Platform(platform));
        html! {
            <div class="field check">
                <input id={id.clone()} type="radio" name="gen-platform" value={platform.as_str()}
                    data-testid="gen-platform" checked={form.platform == platform} {onchange} />
                <label for={id}>{ platform_label(platform) }</label>
            </div>
        }
    });

    let output = match props.generated.as_deref() {
        None => html! {},
        Some(Err(errors)) => html! {
            <p class="notice" role="alert" data-testid="gen-problems">
                { format!("Nothing generated: {} problem{} to correct, marked at the field{}.",
                    errors.len(), if errors.len() == 1 { "" } else { "s" }, if errors.len() == 1 { "" } else { "s" }) }
            </p>
        },
        Some(Ok(files)) => {
            let readme = files.iter().find(|f| f.name == "README.md");
            let on_download = {
                let (files, name, failed) = (files.clone(), zip_name(form), download_error.clone());
                Callback::from(move |_: MouseEvent| {
                    let entries: Vec<Entry> = files
                        .iter()
                        .map(|f| Entry { name: &f.name, bytes: f.contents.as_bytes(), executable: f.executable })
                        .collect();
                    match archive::zip(&entries, browser::now_unix()) {
                        Ok(bytes) => {
                            failed.set(None);
                            browser::download_bytes(&name, "application/zip", &bytes);
                        }
                        Err(e) => failed.set(Some(e.to_string())),
                    }
                })
            };
            html! {
                <section class="gen-output" aria-labelledby="gen-output-heading" data-testid="gen-output">
                    <div class="findings-head">
                        <h3 id="gen-output-heading">{ format!("{} files for PostgreSQL {} · {}", files.len(), form.pg_version, platform_label(form.platform)) }</h3>
                        <button type="button" data-testid="gen-download" onclick={on_download}>
                            { format!("Download all ({})", zip_name(form)) }
                        </button>
                    </div>
                    if let Some(message) = &*download_error {
                        <p class="notice" role="alert">{ message }</p>
                    }
                    if let Some(readme) = readme {
                        <h4 class="gen-subhead">{ "Steps (README.md)" }</h4>
                        <pre class="file-preview readme" data-testid="gen-readme" role="region" tabindex="0" aria-label="The steps, from README.md"><code>{ &readme.contents }</code></pre>
                    }
                    <h4 class="gen-subhead">{ "Files" }</h4>
                    <ul class="gen-files">{ for files.iter().map(file_card) }</ul>
                </section>
            }
        }
    };

    html! {
        <main class="generate-layout" id="results" tabindex="-1">
            <section class="panel generate" data-testid="generate-view" aria-labelledby="generate-heading">
                <h2 id="generate-heading">{ "Generate a hardened set" }</h2>
                <p class="hint">{ "Server settings, pg_hba.conf, a certificate script, client strings at verify-full and the steps, for the names your clients use. Made in this page, like the audit: nothing is sent anywhere." }</p>
                <form id="gen-form" class="gen-form" onsubmit={on_submit} novalidate=true>
                    { field_errors(&other_errors, "gen-form") }
                    <div class="field">
                        <label for="gen-pg-version">{ "PostgreSQL major version" }</label>
                        <select id="gen-pg-version" data-testid="gen-pg-version" onchange={on_version}
                            aria-invalid={(!version_errors.is_empty()).then_some("true")}
                            aria-describedby={described_by("gen-pg-version", false, !version_errors.is_empty())}>
                            { for versions }
                        </select>
                        { field_errors(&version_errors, "gen-pg-version") }
                    </div>
                    { list_field(ListField {
                        id: "gen-hosts",
                        label: "Host names clients connect to",
                        placeholder: "db.example.com, db-replica.example.com",
                        hint: "Separated by commas or spaces. The first is the one the client strings use; all go into the certificate.",
                        value: &form.hosts,
                        oninput: on_hosts,
                        errors: &host_errors,
                    }) }
                    { list_field(ListField {
                        id: "gen-ips",
                        label: "IP addresses clients connect to",
                        placeholder: "10.0.0.5, 2001:db8::5",
                        hint: "Optional, IPv4 or IPv6; they go into the certificate too.",
                        value: &form.ips,
                        oninput: on_ips,
                        errors: &ip_errors,
                    }) }
                    <fieldset id="gen-drivers" class="gen-choices"
                        aria-describedby={described_by("gen-drivers", false, !driver_errors.is_empty())}>
                        <legend>{ "Client drivers" }</legend>
                        { for drivers }
                        { field_errors(&driver_errors, "gen-drivers") }
                    </fieldset>
                    <fieldset class="gen-choices">
                        <legend>{ "Where PostgreSQL runs" }</legend>
                        { for platforms }
                    </fieldset>
                    <div>
                        <button type="submit" data-testid="gen-submit">{ "Generate" }</button>
                    </div>
                </form>
                { output }
            </section>
        </main>
    }
}
