//! Rules over pg_hba.conf.

use crate::rules::Rule;

pub static RULES: &[Rule] = &[];
