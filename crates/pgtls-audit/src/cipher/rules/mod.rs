//! Rules over ssl_ciphers, ssl_tls13_ciphers and ssl_groups (CONF004, CONF010, CONF011).

use crate::rules::Rule;

pub static RULES: &[Rule] = &[];
