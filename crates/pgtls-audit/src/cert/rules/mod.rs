//! Rules over certificates, keys and CRLs.

use crate::rules::Rule;

pub static RULES: &[Rule] = &[];
