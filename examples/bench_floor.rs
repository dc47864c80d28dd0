//! The floor of `bench/run`: what any tool that reads a Terragrunt tree must do at least —
//! discover the tree (tglint's own walk), then read and parse every `.hcl` file once, in
//! parallel, with tglint's parser. Prints the file count, bytes and parse errors.
//!
//! `cargo run --release --example bench_floor -- DIR`

use rayon::prelude::*;
use std::path::Path;
use tglint_model::fs::DiskFs;
use tglint_model::hcl::parse::parse_body;
use tglint_model::hcl::span::FileId;

fn main() {
    let Some(dir) = std::env::args().nth(1) else {
        eprintln!("usage: bench_floor DIR");
        std::process::exit(2);
    };
    let root = Path::new(&dir);
    let found = tglint_model::discover::discover(&DiskFs, root);
    let (bytes, errors) = found
        .hcl_files
        .par_iter()
        .enumerate()
        .map(|(i, path)| match std::fs::read_to_string(path) {
            Ok(text) => {
                let id = FileId(u32::try_from(i).unwrap_or(u32::MAX));
                let failed = usize::from(parse_body(id, &text).is_err());
                (text.len(), failed)
            }
            Err(_) => (0, 1),
        })
        .reduce(|| (0, 0), |a, b| (a.0 + b.0, a.1 + b.1));
    println!(
        "{} files, {bytes} bytes, {errors} errors",
        found.hcl_files.len()
    );
}
