//! The editor's line numbers, lines with findings marked. Its own component so that typing
//! within a line (the common keystroke) does not rebuild a thousand numbers.

use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct GutterProps {
    pub line_count: usize,
    /// 1-based, sorted.
    pub marked_lines: Vec<usize>,
    pub node_ref: NodeRef,
}

#[function_component(Gutter)]
pub fn gutter(props: &GutterProps) -> Html {
    let lines = (1..=props.line_count).map(|n| {
        let marked = props.marked_lines.binary_search(&n).is_ok();
        html! { <span class={classes!("ln", marked.then_some("marked"))}>{ n }{ "\n" }</span> }
    });
    html! { <pre class="gutter" aria-hidden="true" ref={props.node_ref.clone()}>{ for lines }</pre> }
}
