//! Every rule's fixture cases (`fixtures/rules/<id>/<case>/`, each a real tree with a
//! `.tglint.hcl`), run through the binary with only that rule: a `pass-` case reports
//! nothing, a `fail-` case reports something, and its human report is snapshotted as
//! `tests/snapshots/rule_fixtures__<id>__<case>.snap`. Every case runs and the failures are
//! listed together; `TGLINT_CASE=<id>/<case>` runs one. `tglint check --root <case> --rule
//! <id> <case>` reproduces any of them.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::{Path, PathBuf};
use std::process::Command;

fn run(case: &Path, rule: &str, format: &str) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_tglint"))
        // The run cache of changed-files runs: the test process's own, not the user's.
        .env(
            "TGLINT_CACHE_DIR",
            std::env::temp_dir().join(format!("tglint-test-cache-{}", std::process::id())),
        )
        .args([
            "check",
            "--no-color",
            "--format",
            format,
            "--rule",
            rule,
            "--root",
        ])
        .arg(case)
        .arg(case)
        .env("NO_COLOR", "1")
        .output()
        .expect("run tglint")
}

/// Every case directory, sorted: `(rule id, case name, path)`.
pub fn cases() -> Vec<(String, String, PathBuf)> {
    let base = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/rules");
    let mut out = Vec::new();
    for rule in std::fs::read_dir(&base).expect("fixtures/rules") {
        let rule = rule.expect("entry").path();
        if !rule.is_dir() {
            continue;
        }
        for case in std::fs::read_dir(&rule).expect("a rule's cases") {
            let case = case.expect("entry").path();
            if case.join(".tglint.hcl").is_file() {
                let name = |p: &Path| {
                    p.file_name()
                        .and_then(|n| n.to_str())
                        .unwrap_or("")
                        .to_string()
                };
                out.push((name(&rule), name(&case), case));
            }
        }
    }
    out.sort();
    out
}

fn check_case(rule: &str, name: &str, case: &Path) {
    let json = run(case, rule, "json");
    let report: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap_or_else(|e| {
        panic!(
            "not JSON ({e}): {}{}",
            String::from_utf8_lossy(&json.stdout),
            String::from_utf8_lossy(&json.stderr)
        )
    });
    let found = report["diagnostics"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    assert!(
        report["summary"]["units"].as_u64().unwrap_or(0) > 0,
        "no units"
    );
    if name.starts_with("pass-") {
        assert!(
            found.is_empty(),
            "a pass case reports nothing, but: {found:#?}"
        );
        return;
    }
    assert!(
        name.starts_with("fail-"),
        "cases are named pass-… or fail-…"
    );
    assert!(!found.is_empty(), "a fail case reports something");
    let human = run(case, rule, "human");
    let mut settings = insta::Settings::clone_current();
    settings.set_input_file(case.join(".tglint.hcl"));
    settings.set_prepend_module_to_snapshot(false);
    settings.bind(|| {
        insta::assert_snapshot!(
            format!("rule_fixtures__{rule}__{name}"),
            String::from_utf8_lossy(&human.stdout)
        );
    });
}

#[test]
fn rule_fixtures() {
    let only = std::env::var("TGLINT_CASE").ok();
    let mut failed = Vec::new();
    for (rule, name, case) in cases() {
        if only
            .as_deref()
            .is_some_and(|o| o != format!("{rule}/{name}"))
        {
            continue;
        }
        let r = std::panic::catch_unwind(|| check_case(&rule, &name, &case));
        if r.is_err() {
            failed.push(format!("{rule}/{name}"));
        }
    }
    assert!(failed.is_empty(), "failing cases: {failed:#?}");
}
