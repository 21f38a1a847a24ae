//! The page's two views, audit and generate, as a navigation bar.

use yew::prelude::*;

use crate::share::View;

#[derive(Properties, PartialEq)]
pub struct ViewNavProps {
    pub view: View,
    pub on_view: Callback<View>,
}

#[function_component(ViewNav)]
pub fn view_nav(props: &ViewNavProps) -> Html {
    let item = |view: View, label: &'static str, testid: &'static str| {
        let current = props.view == view;
        let onclick = props.on_view.reform(move |_: MouseEvent| view);
        html! {
            <li>
                <button type="button" class={classes!("view-tab", current.then_some("current"))}
                    aria-current={current.then_some("page")} data-testid={testid} {onclick}>
                    { label }
                </button>
            </li>
        }
    };
    html! {
        <nav class="view-nav" aria-label="Views">
            <ul>
                { item(View::Audit, "Audit", "nav-audit") }
                { item(View::Generate, "Generate a hardened set", "nav-generate") }
            </ul>
        </nav>
    }
}
