//! Rules over a live check's result (LIVE001–LIVE008).

use crate::rules::Rule;

pub static RULES: &[Rule] = &[];
