//! The registry and the rules' documentation: ids unique, valid and sorted; every rule
//! with its fixtures; each doc comment with the sections of CONVENTIONS §5; and
//! `docs/rules/` generated from the doc comments (rewritten with `TGLINT_UPDATE_DOCS=1`).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::{Path, PathBuf};
use tglint_rules::RULES;

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn valid_id(id: &str) -> bool {
    id.starts_with(|c: char| c.is_ascii_lowercase())
        && id.split('-').all(|w| {
            !w.is_empty()
                && w.bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
        })
}

#[test]
fn ids_are_unique_valid_and_sorted() {
    let ids: Vec<&str> = RULES.iter().map(|r| r.meta().id).collect();
    for id in &ids {
        assert!(valid_id(id), "{id} is not kebab-case");
        assert!(
            tglint_model::diag::Reserved::from_id(id).is_none(),
            "{id} is a reserved id"
        );
    }
    let mut sorted = ids.clone();
    sorted.sort();
    sorted.dedup();
    assert_eq!(
        ids, sorted,
        "RULES must be sorted by id, without duplicates"
    );
}

#[test]
fn every_rule_has_pass_and_fail_fixtures_and_nothing_else_does() {
    let base = workspace().join("fixtures/rules");
    let mut dirs: Vec<String> = std::fs::read_dir(&base)
        .expect("fixtures/rules")
        .filter_map(|e| e.ok())
        .filter(|e| e.path().is_dir())
        .filter_map(|e| e.file_name().to_str().map(str::to_string))
        .collect();
    dirs.sort();
    let ids: Vec<String> = RULES.iter().map(|r| r.meta().id.to_string()).collect();
    assert_eq!(
        dirs, ids,
        "fixtures/rules/<id> and the rules must match one to one"
    );
    for id in &ids {
        let cases: Vec<String> = std::fs::read_dir(base.join(id))
            .unwrap()
            .filter_map(|e| e.ok())
            .filter_map(|e| e.file_name().to_str().map(str::to_string))
            .collect();
        assert!(
            cases.iter().any(|c| c.starts_with("pass-")),
            "{id}: no pass- case"
        );
        assert!(
            cases.iter().any(|c| c.starts_with("fail-")),
            "{id}: no fail- case"
        );
    }
}

#[test]
fn docs_have_the_required_sections() {
    for r in RULES {
        let m = r.meta();
        let docs = m.docs_text();
        let first = docs.lines().next().unwrap_or("");
        assert!(
            first.ends_with('.') && !first.starts_with('#'),
            "{}: the first line is a one-sentence summary",
            m.id
        );
        for section in ["## Why is this bad?", "## Example", "Use instead:"] {
            assert!(docs.contains(section), "{}: missing `{section}`", m.id);
        }
    }
}

#[test]
fn docs_rules_are_generated_from_the_doc_comments() {
    let dir = workspace().join("docs/rules");
    let update = std::env::var("TGLINT_UPDATE_DOCS").is_ok_and(|v| v == "1");
    let mut want: Vec<(PathBuf, String)> = RULES
        .iter()
        .map(|r| {
            (
                dir.join(format!("{}.md", r.meta().id)),
                tglint_rules::docs::page(r.meta()),
            )
        })
        .collect();
    want.push((dir.join("README.md"), tglint_rules::docs::index(RULES)));
    let mut stale = Vec::new();
    for (path, text) in &want {
        let now = std::fs::read_to_string(path).unwrap_or_default();
        if now != *text {
            if update {
                std::fs::create_dir_all(&dir).unwrap();
                std::fs::write(path, text).unwrap();
            } else {
                stale.push(path.display().to_string());
            }
        }
    }
    // Pages of rules that no longer exist.
    for e in std::fs::read_dir(&dir).into_iter().flatten().flatten() {
        let p = e.path();
        if !want.iter().any(|(w, _)| *w == p) {
            if update {
                std::fs::remove_file(&p).unwrap();
            } else {
                stale.push(format!("{} (no such rule)", p.display()));
            }
        }
    }
    assert!(
        stale.is_empty(),
        "docs/rules is stale; run `TGLINT_UPDATE_DOCS=1 cargo test -p tglint-rules`: {stale:#?}"
    );
}
