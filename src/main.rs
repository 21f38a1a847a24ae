//! pgtls-web: the browser page. Built for wasm32 by trunk; natively it only says how to run it.

#[cfg(target_arch = "wasm32")]
fn main() {
    yew::Renderer::<pgtls_web::app::App>::new().render();
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    eprintln!("pgtls-web is the browser page: run `cargo xtask serve`.");
}
