//! Side effects, kept apart from the components: the clock, the URL, files, downloads, the
//! clipboard, printing and the relay.

pub mod browser;
pub mod files;
pub mod relay;
