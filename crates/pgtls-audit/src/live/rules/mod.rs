//! Rules over a live check's result (LIVE001–LIVE009).

use crate::rules::Rule;

pub mod live001_plaintext_accepted;
pub mod live002_ssl_refused;
pub mod live003_legacy_protocol;
pub mod live004_no_tls13;
pub mod live005_weak_tls12_suite;
pub mod live006_bytes_after_s;
pub mod live007_no_direct_tls;
pub mod live008_step_failed;
pub mod live009_unreadable_result;

pub static RULES: &[Rule] = &[
    Rule { meta: &live001_plaintext_accepted::META, check: live001_plaintext_accepted::check },
    Rule { meta: &live002_ssl_refused::META, check: live002_ssl_refused::check },
    Rule { meta: &live003_legacy_protocol::META, check: live003_legacy_protocol::check },
    Rule { meta: &live004_no_tls13::META, check: live004_no_tls13::check },
    Rule { meta: &live005_weak_tls12_suite::META, check: live005_weak_tls12_suite::check },
    Rule { meta: &live006_bytes_after_s::META, check: live006_bytes_after_s::check },
    Rule { meta: &live007_no_direct_tls::META, check: live007_no_direct_tls::check },
    Rule { meta: &live008_step_failed::META, check: live008_step_failed::check },
    Rule { meta: &live009_unreadable_result::META, check: live009_unreadable_result::check },
];
