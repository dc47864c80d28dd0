//! Fuzz inputs as ordinary tests: every file under `fuzz/seeds/<target>/` (a small
//! hand-picked seed set) and `fuzz/regressions/<target>/` (crashes found by the fuzzer and
//! fixed) goes through the same driver the fuzz target runs, and must return, without a
//! panic, within a time bound. See docs/fuzzing.md.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

// The fuzz crate's driver file itself, compiled here as a module: the root workspace does
// not depend on the fuzz workspace (nor on libFuzzer), yet runs exactly its logic.
#[path = "../fuzz/src/lib.rs"]
mod driver;

use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::time::{Duration, Instant};

/// Per input, in a debug build on a loaded two-core machine; the fuzzer's own timeout for a
/// release build is 10 s (docs/fuzzing.md).
const LIMIT: Duration = Duration::from_secs(60);
/// libFuzzer runs inputs on the main thread, which has 8 MiB of stack; test threads get
/// 2 MiB unless told otherwise. (The drivers themselves run the work in a pool with the
/// binary's 64 MiB stacks.)
const STACK: usize = 8 << 20;

fn inputs(target: &str) -> Vec<PathBuf> {
    let fuzz = Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz");
    let mut out = Vec::new();
    for kind in ["seeds", "regressions"] {
        let Ok(rd) = std::fs::read_dir(fuzz.join(kind).join(target)) else {
            continue;
        };
        for e in rd {
            let p = e.expect("directory entry").path();
            if p.is_file() && p.extension().is_none_or(|x| x != "md") {
                out.push(p);
            }
        }
    }
    out.sort();
    out
}

/// Runs every input of `target` through `run` on its own thread; returns `run`'s results.
fn replay(target: &str, run: fn(&[u8]) -> usize) -> Vec<usize> {
    let files = inputs(target);
    assert!(!files.is_empty(), "no inputs for {target}");
    let mut results = Vec::new();
    for p in files {
        let data = std::fs::read(&p).expect("read input");
        let (tx, rx) = mpsc::channel();
        let start = Instant::now();
        std::thread::Builder::new()
            .name(format!("{target}: {}", p.display()))
            .stack_size(STACK)
            .spawn(move || {
                let _ = tx.send(run(&data));
            })
            .expect("spawn");
        match rx.recv_timeout(LIMIT) {
            Ok(n) => results.push(n),
            Err(mpsc::RecvTimeoutError::Timeout) => {
                panic!("{} did not finish within {LIMIT:?}", p.display())
            }
            // The sender was dropped without sending: `run` panicked (its message is above).
            Err(mpsc::RecvTimeoutError::Disconnected) => {
                panic!("{} panicked after {:?}", p.display(), start.elapsed())
            }
        }
    }
    results
}

#[test]
fn parse_eval_inputs_return() {
    let evaluated = replay("parse_eval", driver::parse_eval);
    // The seeds are there to reach the evaluator, not only the parser.
    assert!(evaluated.iter().any(|&n| n > 0), "{evaluated:?}");
}

#[test]
fn model_tree_inputs_return() {
    let units = replay("model_tree", driver::model_tree);
    assert!(units.iter().any(|&n| n > 1), "{units:?}");
}

#[test]
fn model_tree_inputs_split_as_documented() {
    use driver::{Entry, ROOT, split_tree};
    let data = b"inputs = {}\n%%file root.hcl\nlocals {}\n\n%%fail /outside/x\n%%special live/p\n%%file ../up\nx = 1";
    let got: Vec<(Entry, String, String)> = split_tree(data)
        .into_iter()
        .map(|(k, p, c)| {
            (
                k,
                p.display().to_string(),
                String::from_utf8_lossy(c).into(),
            )
        })
        .collect();
    let want = [
        (
            Entry::File,
            format!("{ROOT}/live/a/terragrunt.hcl"),
            "inputs = {}",
        ),
        (Entry::File, format!("{ROOT}/root.hcl"), "locals {}\n"),
        (Entry::Fail, "/outside/x".to_string(), ""),
        (Entry::Special, format!("{ROOT}/live/p"), ""),
        // `..` is refused: the slot for the fifth file.
        (
            Entry::File,
            format!("{ROOT}/live/b/terragrunt.hcl"),
            "x = 1",
        ),
    ];
    let want: Vec<(Entry, String, String)> = want
        .into_iter()
        .map(|(k, p, c)| (k, p, c.to_string()))
        .collect();
    assert_eq!(got, want);
    // A header on the first line: no empty file before it.
    assert_eq!(split_tree(b"%%file a.hcl\nx").len(), 1);
    // At most MAX_FILES files, whatever the input.
    let many = "%%file a\n".repeat(3 * driver::MAX_FILES);
    assert_eq!(split_tree(many.as_bytes()).len(), driver::MAX_FILES);
}
