//! Custom hooks: the debounced analysis and the URL fragment kept in step with the state.

mod use_debounced_analysis;
pub mod use_fragment_sync;

pub use use_debounced_analysis::use_debounced_analysis;
pub use use_fragment_sync::use_fragment_sync;
