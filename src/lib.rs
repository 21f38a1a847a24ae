//! pgtls-web: the page. Everything is analysed in the browser by the engine compiled to wasm32.
//!
//! The modules without a browser dependency (the input documents, examples, the share-link
//! format, the Markdown export, fix application, reading the relay's answers, the zip writer,
//! the generator's form, the analysis service) compile natively too, so that they are unit tested with
//! `cargo test -p pgtls-web` and the end-to-end tests can reuse the same examples.

pub mod analysis;
pub mod archive;
pub mod document;
pub mod examples;
pub mod fixes;
pub mod generate_form;
pub mod relay_reply;
pub mod service;
pub mod share;

#[cfg(not(target_arch = "wasm32"))]
pub mod fuzzing;

#[cfg(target_arch = "wasm32")]
pub mod app;
#[cfg(target_arch = "wasm32")]
pub mod components;
#[cfg(target_arch = "wasm32")]
pub mod hooks;
#[cfg(target_arch = "wasm32")]
pub mod infra;
#[cfg(target_arch = "wasm32")]
pub mod state;
