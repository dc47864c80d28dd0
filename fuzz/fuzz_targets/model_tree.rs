//! A small tree in memory: load it and render every unit (`tglint_fuzz::model_tree`).
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    tglint_fuzz::model_tree(data);
});
