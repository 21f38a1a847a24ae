//! pgtls-web: the browser page. Built for wasm32 by trunk; natively it only says how to run it.

/// The same wasm starts the page and, inside the page's analysis worker, the analysis service.
#[cfg(target_arch = "wasm32")]
fn main() {
    if pgtls_web::infra::worker::in_worker() {
        pgtls_web::infra::worker::serve();
    } else {
        yew::Renderer::<pgtls_web::app::App>::new().render();
    }
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    eprintln!("pgtls-web is the browser page: run `cargo xtask serve`.");
}
