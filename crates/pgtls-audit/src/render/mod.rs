//! Renderers that need no terminal: Markdown (the CLI's `--format markdown` and the page's
//! export) and SARIF 2.1.0 (code-scanning UIs). Both read only the [`Report`](crate::Report).

pub mod markdown;
pub mod sarif;
