//! `tglint check` on the twelve real public trees of the shared corpus (`$TGLINT_CORPUS/real`)
//! end to end: no crash, no internal error, and each tree's findings recorded as a snapshot
//! (`tests/snapshots/real_trees_check__<tree>.snap`), so that a change in what tglint
//! finds in real trees is reviewed. A missing corpus fails the test unless
//! `TGLINT_SKIP_CORPUS=1`.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::real_trees;
use std::process::Command;

#[test]
fn every_real_tree_is_checked_and_its_findings_recorded() {
    let Some(trees) = real_trees() else { return };
    for t in trees {
        let name = t.file_name().unwrap().to_str().unwrap().to_string();
        let out = Command::new(env!("CARGO_BIN_EXE_tglint"))
            .args(["check", "--format", "json", "--fail-on", "never", "--root"])
            .arg(&t)
            .arg(&t)
            .output()
            .unwrap();
        assert_eq!(
            out.status.code(),
            Some(0),
            "{name}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        // One line per finding: what a reviewer reads when the snapshot changes.
        let mut text = format!("{}\n", report["summary"]);
        for d in report["diagnostics"].as_array().unwrap() {
            let line = format!(
                "{} {} {}:{} [{}] {}\n",
                d["severity"].as_str().unwrap_or(""),
                d["rule"].as_str().unwrap_or(""),
                d["file"].as_str().unwrap_or(""),
                d["line"],
                d["unit"].as_str().unwrap_or("-"),
                d["message"].as_str().unwrap_or(""),
            );
            // Paths of the machine the corpus sits on are not part of the finding.
            text.push_str(&line.replace(&t.display().to_string(), "<TREE>"));
        }
        let mut settings = insta::Settings::clone_current();
        settings.set_prepend_module_to_snapshot(false);
        settings.bind(|| insta::assert_snapshot!(format!("real_trees_check__{name}"), text));
    }
}
