//! Rules over client connection settings.

use crate::rules::Rule;

pub static RULES: &[Rule] = &[];
