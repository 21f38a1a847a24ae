//! Rules over postgresql.conf.

use crate::rules::Rule;

pub static RULES: &[Rule] = &[];
