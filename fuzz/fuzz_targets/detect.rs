#![no_main]

use libfuzzer_sys::fuzz_target;
#[allow(unused_imports)]
use pgtls_audit::InputKind;

fuzz_target!(|data: &[u8]| {
    pgtls_audit::fuzzing::audit_bytes(None, "input", data);
});
