//! `docs/policy.md` stays true: every `hcl` example in it loads as a policy without an
//! error, and its last section is the embedded pack itself (rewritten with
//! `TGLINT_UPDATE_DOCS=1`).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::Path;
use std::sync::Arc;
use tglint_model::fs::MemFs;
use tglint_model::source::SourceCache;
use tglint_rules::{RULES, policy};

const START: &str = "<!-- embedded-pack: generated from rules/reference-architecture.hcl by `TGLINT_UPDATE_DOCS=1 cargo test -p tglint-rules`; do not edit. -->";
const END: &str = "<!-- end of embedded-pack -->";

fn doc_path() -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../docs/policy.md")
}

/// The ```hcl blocks of the document, with the line each starts at.
fn examples(doc: &str) -> Vec<(usize, String)> {
    let mut out = Vec::new();
    let mut current: Option<(usize, String)> = None;
    for (i, line) in doc.lines().enumerate() {
        match &mut current {
            None if line.trim() == "```hcl" => current = Some((i + 1, String::new())),
            Some(_) if line.trim() == "```" => out.extend(current.take()),
            Some((_, text)) => {
                text.push_str(line);
                text.push('\n');
            }
            None => {}
        }
    }
    out
}

#[test]
fn every_example_is_a_policy_that_loads() {
    let doc = std::fs::read_to_string(doc_path()).unwrap();
    let ex = examples(&doc);
    assert!(ex.len() >= 6, "the examples were not found");
    for (line, text) in ex {
        // The suppression example is a Terragrunt file, not a policy.
        if text.contains("tglint-ignore") {
            continue;
        }
        let cache = SourceCache::new(Arc::new(MemFs::new()), Path::new("/r"), false);
        let (_, diags) =
            policy::load_files(&cache, Some((Path::new("/r/.tglint.hcl"), &text)), RULES);
        assert!(
            diags.is_empty(),
            "docs/policy.md:{line}: the example does not load: {:#?}",
            diags.iter().map(|d| &d.message).collect::<Vec<_>>()
        );
    }
}

#[test]
fn the_embedded_pack_section_is_the_pack() {
    let path = doc_path();
    let doc = std::fs::read_to_string(&path).unwrap();
    let (Some(a), Some(b)) = (doc.find(START), doc.find(END)) else {
        panic!("docs/policy.md lost its embedded-pack markers");
    };
    let section = format!("{START}\n```hcl\n{}```\n", policy::EMBEDDED);
    let want = format!("{}{section}{}", &doc[..a], &doc[b..]);
    if want != doc {
        if std::env::var("TGLINT_UPDATE_DOCS").is_ok_and(|v| v == "1") {
            std::fs::write(&path, want).unwrap();
        } else {
            panic!(
                "docs/policy.md is stale; run `TGLINT_UPDATE_DOCS=1 cargo test -p tglint-rules`"
            );
        }
    }
}
