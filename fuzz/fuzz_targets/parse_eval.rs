//! One HCL file: parse it and evaluate every attribute (`tglint_fuzz::parse_eval`).
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    tglint_fuzz::parse_eval(data);
});
