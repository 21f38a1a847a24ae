//! Named example sets that load in one click.

use yew::prelude::*;

use crate::examples::{Example, EXAMPLES};

#[derive(Properties, PartialEq)]
pub struct ExamplesGalleryProps {
    /// The example the inputs still are, if any.
    pub active: Option<&'static str>,
    pub on_load: Callback<&'static Example>,
}

#[function_component(ExamplesGallery)]
pub fn examples_gallery(props: &ExamplesGalleryProps) -> Html {
    let cards = EXAMPLES.iter().map(|example| {
        let onclick = props.on_load.reform(move |_: MouseEvent| example);
        let active = props.active == Some(example.id);
        html! {
            <li>
                <button type="button" class={classes!("example", active.then_some("active"))} data-testid="example" data-example={example.id} aria-pressed={active.to_string()} {onclick}>
                    <span class="example-title">{ example.title }</span>
                    <span class="example-summary">{ example.summary }</span>
                </button>
            </li>
        }
    });
    html! {
        <nav class="examples" aria-labelledby="examples-heading">
            <h2 id="examples-heading">{ "Examples" }</h2>
            <ul>{ for cards }</ul>
        </nav>
    }
}
