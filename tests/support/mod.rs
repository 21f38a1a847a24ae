//! Mounting components into a fresh root for the component tests.

use wasm_bindgen::JsCast;
use web_sys::{Element, HtmlElement};
use yew::{BaseComponent, Renderer};

/// A fresh element in the document body to render into.
pub fn fresh_root() -> Element {
    let document = gloo::utils::document();
    let root = document.create_element("div").unwrap();
    document.body().unwrap().append_child(&root).unwrap();
    root
}

/// Renders `props` into a fresh root and lets the scheduler run.
pub async fn mount<C: BaseComponent>(props: C::Properties) -> Element {
    let root = fresh_root();
    Renderer::<C>::with_root_and_props(root.clone(), props).render();
    settle(0).await;
    root
}

/// Lets timers of up to `ms` fire and the scheduler flush.
pub async fn settle(ms: u32) {
    gloo::timers::future::TimeoutFuture::new(ms).await;
    yew::scheduler::flush().await;
}

pub fn all(root: &Element, selector: &str) -> Vec<Element> {
    let list = root.query_selector_all(selector).unwrap();
    (0..list.length()).map(|i| list.item(i).unwrap().unchecked_into()).collect()
}

pub fn one(root: &Element, selector: &str) -> Element {
    root.query_selector(selector).unwrap().unwrap_or_else(|| panic!("no {selector}"))
}

pub fn click(root: &Element, selector: &str) {
    one(root, selector).unchecked_into::<HtmlElement>().click();
}
