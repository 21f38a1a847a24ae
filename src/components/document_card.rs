//! One input: its name, its kind (both changeable) and its editor.

use pgtls_audit::InputKind;
use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

use crate::components::editor::Editor;
use crate::document::{kind_label, Document};
use crate::state::Highlight;

#[derive(Properties, PartialEq)]
pub struct DocumentCardProps {
    pub document: Document,
    pub highlight: Option<Highlight>,
    pub marked_lines: Vec<usize>,
    pub on_edit: Callback<String>,
    pub on_rename: Callback<String>,
    pub on_kind: Callback<InputKind>,
    pub on_remove: Callback<()>,
}

#[function_component(DocumentCard)]
pub fn document_card(props: &DocumentCardProps) -> Html {
    let doc = &props.document;
    let name_id = format!("doc-name-{}", doc.id);
    let kind_id = format!("doc-kind-{}", doc.id);
    let on_rename = {
        let cb = props.on_rename.clone();
        Callback::from(move |e: Event| cb.emit(e.target_unchecked_into::<HtmlInputElement>().value()))
    };
    let on_kind = {
        let cb = props.on_kind.clone();
        Callback::from(move |e: Event| {
            let value = e.target_unchecked_into::<HtmlSelectElement>().value();
            if let Some(kind) = InputKind::parse(&value) {
                cb.emit(kind);
            }
        })
    };
    let on_remove = props.on_remove.reform(|_: MouseEvent| ());
    let options = InputKind::ALL.iter().map(|kind| {
        html! { <option value={kind.as_str()} selected={*kind == doc.kind}>{ kind_label(*kind) }</option> }
    });
    html! {
        <div class="document-card" data-testid="document-card" data-kind={doc.kind.as_str()}>
            <div class="document-meta">
                <label for={name_id.clone()}>{ "Name" }</label>
                <input id={name_id} type="text" data-testid="document-name" value={doc.name.clone()} onchange={on_rename} />
                <label for={kind_id.clone()}>{ "Kind" }</label>
                <select id={kind_id} data-testid="document-kind" onchange={on_kind}>{ for options }</select>
                <button type="button" class="secondary" onclick={on_remove} aria-label={format!("Remove {}", doc.name)}>{ "Remove" }</button>
            </div>
            <Editor
                document={doc.clone()}
                highlight={props.highlight}
                marked_lines={props.marked_lines.clone()}
                on_edit={props.on_edit.clone()}
            />
        </div>
    }
}
