//! The inputs: a drop zone, the file and folder pickers, a paste box, and one tab per document.

use pgtls_audit::InputKind;
use wasm_bindgen::JsCast;
use web_sys::{HtmlInputElement, HtmlTextAreaElement};
use yew::prelude::*;

use crate::components::document_card::DocumentCard;
use crate::infra::files::read_all;
use crate::state::{Action, AppState};

#[derive(Properties, PartialEq)]
pub struct InputPanelProps {
    pub state: UseReducerHandle<AppState>,
}

fn add_files(list: Option<web_sys::FileList>, dispatcher: UseReducerDispatcher<AppState>) {
    let Some(list) = list else { return };
    wasm_bindgen_futures::spawn_local(async move {
        let (read, failed) = read_all(list).await;
        dispatcher.dispatch(Action::AddFiles(read));
        if !failed.is_empty() {
            dispatcher.dispatch(Action::Notice(Some(format!(
                "Could not read {} (a folder? use “Add a folder”).",
                failed.join(", ")
            ))));
        }
    });
}

#[function_component(InputPanel)]
pub fn input_panel(props: &InputPanelProps) -> Html {
    let state = &props.state;
    let dragging = use_state(|| false);
    let paste_text = use_state(String::new);

    let on_drag_over = {
        let dragging = dragging.clone();
        Callback::from(move |e: DragEvent| {
            e.prevent_default();
            dragging.set(true);
        })
    };
    let on_drag_leave = {
        let dragging = dragging.clone();
        Callback::from(move |_: DragEvent| dragging.set(false))
    };
    let on_drop = {
        let dragging = dragging.clone();
        let dispatcher = state.dispatcher();
        Callback::from(move |e: DragEvent| {
            e.prevent_default();
            dragging.set(false);
            let transfer = e.data_transfer();
            let files = transfer.as_ref().and_then(|t| t.files()).filter(|f| f.length() > 0);
            match files {
                Some(files) => add_files(Some(files), dispatcher.clone()),
                None => {
                    // Dropped text (a selection from another window) becomes a pasted input.
                    let text = transfer.and_then(|t| t.get_data("text/plain").ok()).unwrap_or_default();
                    if !text.trim().is_empty() {
                        dispatcher.dispatch(Action::AddPasted(text));
                    }
                }
            }
        })
    };
    let on_pick = {
        let dispatcher = state.dispatcher();
        Callback::from(move |e: Event| {
            let input: HtmlInputElement = e.target_unchecked_into();
            add_files(input.files(), dispatcher.clone());
            input.set_value("");
        })
    };
    let on_paste = {
        let dispatcher = state.dispatcher();
        let paste_text = paste_text.clone();
        Callback::from(move |e: Event| {
            let Ok(e) = e.dyn_into::<web_sys::ClipboardEvent>() else { return };
            let text = e.clipboard_data().and_then(|d| d.get_data("text/plain").ok()).unwrap_or_default();
            if !text.trim().is_empty() {
                e.prevent_default();
                paste_text.set(String::new());
                dispatcher.dispatch(Action::AddPasted(text));
            }
        })
    };
    let on_paste_input = {
        let paste_text = paste_text.clone();
        Callback::from(move |e: InputEvent| paste_text.set(e.target_unchecked_into::<HtmlTextAreaElement>().value()))
    };
    let on_paste_add = {
        let dispatcher = state.dispatcher();
        let paste_text = paste_text.clone();
        Callback::from(move |_: MouseEvent| {
            if !paste_text.trim().is_empty() {
                dispatcher.dispatch(Action::AddPasted((*paste_text).clone()));
                paste_text.set(String::new());
            }
        })
    };
    let on_new = {
        let dispatcher = state.dispatcher();
        Callback::from(move |_: MouseEvent| dispatcher.dispatch(Action::AddEmpty(InputKind::PostgresqlConf)))
    };
    let on_clear = {
        let dispatcher = state.dispatcher();
        Callback::from(move |_: MouseEvent| dispatcher.dispatch(Action::ClearAll))
    };

    let selected = state.selected_document().map(|d| d.id);
    // Each file's finding count and lines, as the result gives them (tabs and gutters).
    let findings_of = |name: &str| state.analysed.as_ref().and_then(|a| a.result.report.findings.file(name));
    let tabs = state.documents.iter().map(|d| {
        let is_selected = Some(d.id) == selected;
        let count = findings_of(&d.name).map_or(0, |f| f.count);
        let onclick = {
            let dispatcher = state.dispatcher();
            let id = d.id;
            Callback::from(move |_: MouseEvent| dispatcher.dispatch(Action::Select(id)))
        };
        html! {
            <button
                type="button"
                role="tab"
                id={format!("tab-{}", d.id)}
                class="tab"
                data-testid="document-tab"
                aria-selected={is_selected.to_string()}
                aria-controls="document-panel"
                tabindex={if is_selected { "0" } else { "-1" }}
                {onclick}
            >
                <span class="tab-name">{ &d.name }</span>
                <span class="tab-kind">{ d.kind.as_str() }</span>
                if count > 0 { <span class="tab-count" aria-label={format!("{count} findings")}>{ count }</span> }
            </button>
        }
    });
    // Arrow keys move between tabs, as in the WAI-ARIA tabs pattern.
    let on_tab_key = {
        let dispatcher = state.dispatcher();
        let ids: Vec<u32> = state.documents.iter().map(|d| d.id).collect();
        Callback::from(move |e: KeyboardEvent| {
            let Some(current) = selected.and_then(|s| ids.iter().position(|&i| i == s)) else { return };
            let next = match e.key().as_str() {
                "ArrowRight" => (current + 1) % ids.len(),
                "ArrowLeft" => (current + ids.len() - 1) % ids.len(),
                "Home" => 0,
                "End" => ids.len() - 1,
                _ => return,
            };
            e.prevent_default();
            dispatcher.dispatch(Action::Select(ids[next]));
            if let Some(tab) = gloo::utils::document().get_element_by_id(&format!("tab-{}", ids[next])) {
                let _ = tab.unchecked_into::<web_sys::HtmlElement>().focus();
            }
        })
    };

    let card = state.selected_document().map(|d| {
        let id = d.id;
        let dispatcher = state.dispatcher();
        let d2 = dispatcher.clone();
        let d3 = dispatcher.clone();
        let d4 = dispatcher.clone();
        let marked_lines = findings_of(&d.name).map(|f| f.lines.clone()).unwrap_or_default();
        html! {
            <div id="document-panel" role="tabpanel" aria-labelledby={format!("tab-{id}")}>
                <DocumentCard
                    key={id}
                    document={d.clone()}
                    highlight={state.highlight}
                    {marked_lines}
                    on_edit={Callback::from(move |text| dispatcher.dispatch(Action::Edit { id, text }))}
                    on_rename={Callback::from(move |name| d2.dispatch(Action::Rename { id, name }))}
                    on_kind={Callback::from(move |kind| d3.dispatch(Action::SetKind { id, kind }))}
                    on_remove={Callback::from(move |_| d4.dispatch(Action::Remove(id)))}
                />
            </div>
        }
    });

    html! {
        <section class="inputs" aria-labelledby="inputs-heading">
            <h2 id="inputs-heading">{ "Inputs" }</h2>
            <div
                class={classes!("drop-zone", dragging.then_some("dragging"))}
                data-testid="drop-zone"
                ondragover={on_drag_over}
                ondragleave={on_drag_leave}
                ondrop={on_drop}
            >
                <p>{ "Drop postgresql.conf, pg_hba.conf, certificates, connection strings or a folder here. Nothing is uploaded: everything is analysed in this page." }</p>
                <div class="pickers">
                    <label class="button">
                        { "Add files…" }
                        <input type="file" multiple=true class="visually-hidden" data-testid="file-picker" onchange={on_pick.clone()} />
                    </label>
                    <label class="button secondary">
                        { "Add a folder…" }
                        <input type="file" multiple=true webkitdirectory=true class="visually-hidden" onchange={on_pick} />
                    </label>
                    <button type="button" class="secondary" onclick={on_new}>{ "New empty input" }</button>
                    <button type="button" class="secondary" onclick={on_clear} disabled={state.documents.is_empty()}>{ "Remove all" }</button>
                </div>
                <label for="paste-box" class="paste-label">{ "Or paste text (its kind is detected):" }</label>
                <textarea
                    id="paste-box"
                    class="paste-box"
                    data-testid="paste-box"
                    rows="2"
                    placeholder="Paste a config, connection strings, a PEM certificate or an error message"
                    value={(*paste_text).clone()}
                    onpaste={on_paste}
                    oninput={on_paste_input}
                />
                <button type="button" data-testid="paste-add" onclick={on_paste_add} disabled={paste_text.trim().is_empty()}>{ "Add as input" }</button>
            </div>
            if state.documents.is_empty() {
                <p class="empty">{ "No inputs yet: drop or paste some, or load an example." }</p>
            } else {
                <div class="tabs" role="tablist" aria-label="Input files" onkeydown={on_tab_key}>{ for tabs }</div>
                { for card }
            }
        </section>
    }
}
