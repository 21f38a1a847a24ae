//! Side effects, kept apart from the components: the clock, the URL, files, downloads, the
//! clipboard, printing, the relay and the analysis worker.

pub mod browser;
pub mod files;
pub mod relay;
pub mod web_crypto;
pub mod worker;
