//! The resolved model of each case under `fixtures/model/` (one semantic point per case,
//! described in its `CASE.md`), snapshotted as `render` output with the root redacted.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::sync::Arc;
use tglint_model::fs::{DiskFs, clean};
use tglint_model::load;
use tglint_model::render;
use tglint_model::terragrunt::context::Options;

#[test]
fn model_fixtures() {
    insta::glob!("../../../fixtures/model", "*/CASE.md", |case_md| {
        let dir = clean(case_md.parent().unwrap_or(std::path::Path::new(".")));
        let tree = load::load(Arc::new(DiskFs), &dir, Options::default());
        assert!(!tree.units.is_empty(), "{}: no units", dir.display());
        let mut out = String::new();
        for u in &tree.units {
            out.push_str(&common::redact(&render::unit_json(&tree, u), &dir));
            out.push('\n');
        }
        for d in &tree.diagnostics {
            out.push_str(&format!("tree: {} {}\n", d.rule, d.message));
        }
        insta::assert_snapshot!(out);
    });
}
