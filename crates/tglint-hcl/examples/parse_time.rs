//! Times `parse_body`: on the files named on the command line, or, with `--object N`, on
//! a generated `x = { k0 = 0 … }` literal of N keys, one per line.
//!
//! `cargo run --release -p tglint-hcl --example parse_time -- --object 100000`
#![forbid(unsafe_code)]
#![allow(clippy::expect_used, clippy::panic)] // a developer tool, not the product

use std::time::Instant;
use tglint_hcl::{FileId, parse_body};

fn time(name: &str, text: &str) {
    let start = Instant::now();
    let result = parse_body(FileId(0), text);
    let elapsed = start.elapsed();
    match result {
        Ok(_) => println!("{name}: parsed in {elapsed:?}"),
        Err(e) => println!("{name}: {e} (after {elapsed:?})"),
    }
}

fn main() {
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        if arg == "--object" {
            let n: usize = args
                .next()
                .and_then(|n| n.parse().ok())
                .expect("--object N");
            let mut text = String::from("x = {\n");
            for i in 0..n {
                text.push_str(&format!("  k{i} = {i}\n"));
            }
            text.push_str("}\n");
            time(&format!("object of {n} keys"), &text);
        } else {
            let text = std::fs::read_to_string(&arg).expect("readable file");
            time(&arg, &text);
        }
    }
}
