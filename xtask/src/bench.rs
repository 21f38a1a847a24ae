//! `cargo xtask bench`: placeholder until the benchmark lands.
use std::path::Path;
use crate::Result;
pub fn run(_root: &Path, _args: &[String]) -> Result<()> {
    Err("not yet".into())
}
