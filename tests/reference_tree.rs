//! The reference architecture's tree (`fixtures/reference-architecture/`) passes the
//! embedded policy with no error or warning; a copy of it with one violation per rule
//! flags exactly that rule, at the line that defines the offending value, with the chain
//! that carried it to the unit.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::{Tree, tglint};
use std::path::Path;

fn reference() -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/reference-architecture")
}

/// A copy of the reference tree in a temporary directory.
fn copy(name: &str) -> Tree {
    let t = Tree::new(name);
    let src = reference();
    let mut stack = vec![src.clone()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else {
                let rel = p.strip_prefix(&src).unwrap().to_str().unwrap().to_string();
                t.file(&rel, std::fs::read(&p).unwrap());
            }
        }
    }
    t
}

#[test]
fn the_reference_tree_is_clean() {
    let t = copy("clean");
    let r = tglint(&t, &["check", "--format", "json", "."]);
    assert_eq!(r.code, Some(0), "{}{}", r.stdout, r.stderr);
    let report = &r.lines[0];
    assert_eq!(report["summary"]["units"], 15);
    let loud: Vec<&serde_json::Value> = report["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["severity"] != "info")
        .collect();
    assert!(loud.is_empty(), "{loud:#?}");
}

/// One violation: in `file`, `from` becomes `to`; `rule` must then report at
/// `at` (file:line), on `units` units, with a chain when `chained`.
struct Violation {
    rule: &'static str,
    file: &'static str,
    from: &'static str,
    to: &'static str,
    at: &'static str,
    units: usize,
    chained: bool,
}

const VIOLATIONS: &[Violation] = &[Violation {
    rule: "deletion-protection",
    file: "environments/prod/env.hcl",
    from: "deletion_protection = true",
    to: "deletion_protection = false",
    at: "environments/prod/env.hcl:5",
    units: 2,
    chained: true,
}];

#[test]
fn one_violation_per_rule_flags_exactly_that_rule_at_the_defining_line() {
    for v in VIOLATIONS {
        let t = copy(&format!("violation-{}", v.rule));
        let path = t.path(v.file);
        let text = std::fs::read_to_string(&path).unwrap();
        assert!(
            text.contains(v.from),
            "{}: `{}` not in {}",
            v.rule,
            v.from,
            v.file
        );
        std::fs::write(&path, text.replacen(v.from, v.to, 1)).unwrap();
        let r = tglint(&t, &["check", "--format", "json", "."]);
        assert_eq!(r.code, Some(1), "{}: {}{}", v.rule, r.stdout, r.stderr);
        let found: Vec<&serde_json::Value> = r.lines[0]["diagnostics"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|d| d["severity"] != "info")
            .collect();
        let rules: std::collections::BTreeSet<&str> =
            found.iter().map(|d| d["rule"].as_str().unwrap()).collect();
        assert_eq!(
            rules.into_iter().collect::<Vec<_>>(),
            [v.rule],
            "{found:#?}"
        );
        assert_eq!(found.len(), v.units, "{}: {found:#?}", v.rule);
        for d in &found {
            assert_eq!(
                format!("{}:{}", d["file"].as_str().unwrap(), d["line"]),
                v.at,
                "{}",
                v.rule
            );
            let related = d["related"].as_array().unwrap();
            assert_eq!(!related.is_empty(), v.chained, "{}: {d:#}", v.rule);
        }
    }
}
