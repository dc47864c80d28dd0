//! Every real public tree under `$TGLINT_CORPUS/real/` resolves: no panic, no call to a
//! function tglint lacks, deterministic output. Prints a table of units and diagnostics.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::corpus;
use std::collections::BTreeMap;
use std::sync::Arc;
use tglint_model::fs::DiskFs;
use tglint_model::load;
use tglint_model::terragrunt::context::Options;

#[test]
fn every_real_tree_resolves() {
    let Some(c) = corpus() else { return };
    let real = c.join("real");
    let mut trees: Vec<_> = std::fs::read_dir(&real)
        .expect("corpus/real")
        .filter_map(Result::ok)
        .filter(|e| e.path().is_dir())
        .map(|e| e.path())
        .collect();
    trees.sort();
    assert!(
        trees.len() >= 12,
        "expected the twelve real trees, found {}",
        trees.len()
    );
    let mut unknown_fn = Vec::new();
    let mut not_evaluated = Vec::new();
    let mut empty = Vec::new();
    let mut table = String::from("tree | units | files | diagnostics by rule\n");
    for t in &trees {
        let tree = load::load(Arc::new(DiskFs), t, Options::default());
        let again = load::load(Arc::new(DiskFs), t, Options::default());
        let text = |tr: &load::Tree| common::output(tr);
        assert_eq!(
            text(&tree),
            text(&again),
            "{}: render is not deterministic",
            t.display()
        );
        let mut by_rule: BTreeMap<String, usize> = BTreeMap::new();
        for d in tree
            .units
            .iter()
            .flat_map(|u| u.diagnostics.iter())
            .chain(&tree.diagnostics)
        {
            *by_rule.entry(d.rule.to_string()).or_default() += 1;
            if d.message.contains("Call to unknown function") {
                unknown_fn.push(format!("{}: {}", t.display(), d.message));
            }
            // What issue 10 made evaluated: stacks, HCL-JSON, feature flags, autoinclude.
            // A remote unit or stack source is the one unsupported notice a stack may give
            // (it is not fetched).
            let m = d.message.to_lowercase();
            if d.rule == "unsupported"
                && !m.starts_with("remote unit source")
                && !m.starts_with("remote stack source")
                && ["stack", "json", "feature", "autoinclude", "not evaluated"]
                    .iter()
                    .any(|w| m.contains(w))
            {
                not_evaluated.push(format!("{}: {}", t.display(), d.message));
            }
        }
        let name = t
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        if tree.units.is_empty() {
            empty.push(name.clone());
        }
        table.push_str(&format!(
            "{name} | {} | {} | {:?}\n",
            tree.units.len(),
            tree.hcl_files.len(),
            by_rule
        ));
    }
    println!("{table}");
    assert!(empty.is_empty(), "trees with no unit: {empty:?}");
    assert!(
        not_evaluated.is_empty(),
        "left unevaluated:\n{}",
        not_evaluated.join("\n")
    );
    unknown_fn.sort();
    unknown_fn.dedup();
    assert!(
        unknown_fn.is_empty(),
        "calls to unknown functions:\n{}",
        unknown_fn.join("\n")
    );
}
