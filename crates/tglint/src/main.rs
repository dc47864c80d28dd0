//! The `tglint` command line. The `check` and `render` commands come with the model
//! (issue 3); today the binary only reports its version.
#![forbid(unsafe_code)]

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.first().map(String::as_str) {
        Some("--version") | Some("-V") => println!("tglint {}", env!("CARGO_PKG_VERSION")),
        _ => {
            eprintln!(
                "tglint {}: the linter is not built yet; only --version works",
                env!("CARGO_PKG_VERSION")
            );
            std::process::exit(2);
        }
    }
}
