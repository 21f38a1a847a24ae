//! A text editor with line numbers and a highlighted range: a plain textarea over a backdrop
//! that draws the highlight, so that editing stays the browser's own (undo, IME, accessibility).

use web_sys::{HtmlElement, HtmlTextAreaElement};
use yew::prelude::*;

use crate::components::gutter::Gutter;
use crate::document::Document;
use crate::fixes::utf16_offset;
use crate::state::Highlight;

/// Must match `.editor` line-height in static/style.css: scrolling to a line relies on it.
const LINE_HEIGHT_PX: i32 = 21;

#[derive(Properties, PartialEq)]
pub struct EditorProps {
    pub document: Document,
    /// Shown when it is in this document.
    pub highlight: Option<Highlight>,
    pub on_edit: Callback<String>,
    /// 1-based lines that have findings, marked in the gutter.
    #[prop_or_default]
    pub marked_lines: Vec<usize>,
}

/// The highlighted byte range, widened to its whole line when it is empty (a missing setting
/// is reported at an insertion point).
fn visible_range(text: &str, start: usize, end: usize) -> (usize, usize) {
    let clamp = |mut i: usize| {
        i = i.min(text.len());
        while !text.is_char_boundary(i) {
            i -= 1;
        }
        i
    };
    let (start, end) = (clamp(start), clamp(end.max(start)));
    if start < end {
        return (start, end);
    }
    let line_start = text[..start].rfind('\n').map_or(0, |i| i + 1);
    let line_end = text[start..].find('\n').map_or(text.len(), |i| start + i);
    (line_start, line_end)
}

#[function_component(Editor)]
pub fn editor(props: &EditorProps) -> Html {
    let textarea = use_node_ref();
    let gutter = use_node_ref();
    let backdrop = use_node_ref();
    let doc = &props.document;
    let highlight = props.highlight.filter(|h| h.document == doc.id);

    // Jump to the highlighted range: select it, scroll it into the middle, and focus the editor.
    {
        let textarea = textarea.clone();
        let text = doc.text.clone();
        use_effect_with(highlight, move |highlight| {
            if let (Some(h), Some(area)) = (highlight, textarea.cast::<HtmlTextAreaElement>()) {
                let (start, end) = visible_range(&text, h.start, h.end);
                let line = text[..start].matches('\n').count() as i32;
                let _ = area.focus();
                let _ = area.set_selection_range(utf16_offset(&text, start), utf16_offset(&text, end));
                area.set_scroll_top(((line - 3).max(0)) * LINE_HEIGHT_PX);
                let options = web_sys::ScrollIntoViewOptions::new();
                options.set_block(web_sys::ScrollLogicalPosition::Nearest);
                area.scroll_into_view_with_scroll_into_view_options(&options);
            }
        });
    }

    let on_scroll = {
        let (textarea, gutter, backdrop) = (textarea.clone(), gutter.clone(), backdrop.clone());
        Callback::from(move |_: Event| {
            if let Some(area) = textarea.cast::<HtmlElement>() {
                if let Some(g) = gutter.cast::<HtmlElement>() {
                    g.set_scroll_top(area.scroll_top());
                }
                if let Some(b) = backdrop.cast::<HtmlElement>() {
                    b.set_scroll_top(area.scroll_top());
                    b.set_scroll_left(area.scroll_left());
                }
            }
        })
    };
    let on_input = {
        let on_edit = props.on_edit.clone();
        Callback::from(move |e: InputEvent| {
            let area: HtmlTextAreaElement = e.target_unchecked_into();
            on_edit.emit(area.value());
        })
    };

    if let Some(bytes) = &doc.binary {
        return html! {
            <div class="editor binary" data-testid="editor">
                <p>{ format!("{} bytes of binary data (read-only). Paste the PEM form to edit it.", bytes.len()) }</p>
            </div>
        };
    }

    let line_count = doc.text.matches('\n').count() + 1;
    // The backdrop's text is transparent: it is there to place the highlight, and without one
    // it is left empty rather than rewritten (and laid out again) on every keystroke.
    let backdrop_content = match highlight {
        Some(h) => {
            let (start, end) = visible_range(&doc.text, h.start, h.end);
            html! {
                <>
                    { &doc.text[..start] }
                    <mark data-testid="editor-highlight">{ &doc.text[start..end] }</mark>
                    { &doc.text[end..] }
                </>
            }
        }
        None => html! {},
    };
    let label = format!("Contents of {}", doc.name);
    html! {
        <div class="editor" data-testid="editor" data-document={doc.name.clone()}>
            <Gutter {line_count} marked_lines={props.marked_lines.clone()} node_ref={gutter} />
            <div class="editor-body">
                <pre class="backdrop" aria-hidden="true" ref={backdrop}>{ backdrop_content }{ "\n" }</pre>
                <textarea
                    ref={textarea}
                    aria-label={label}
                    spellcheck="false"
                    autocomplete="off"
                    autocapitalize="off"
                    wrap="off"
                    value={doc.text.clone()}
                    oninput={on_input}
                    onscroll={on_scroll}
                />
            </div>
        </div>
    }
}
