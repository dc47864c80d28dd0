//! The resolved model of each case under `fixtures/model/` (one semantic point per case,
//! described in its `CASE.md`), snapshotted as `tglint render --all` prints it (each unit
//! pretty-printed, the root redacted; the tree's own diagnostics as `tree:` lines). A
//! case's `ARGS` file adds flags, one per line.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::process::Command;

#[test]
fn model_fixtures() {
    insta::glob!("../fixtures/model", "*/CASE.md", |case_md| {
        let dir =
            std::fs::canonicalize(case_md.parent().unwrap_or(std::path::Path::new("."))).unwrap();
        // A case may pass flags: one per line of its ARGS file, `{ROOT}` the case's directory.
        let extra: Vec<String> = std::fs::read_to_string(dir.join("ARGS"))
            .unwrap_or_default()
            .lines()
            .filter(|l| !l.trim().is_empty())
            .map(|l| l.replace("{ROOT}", &dir.display().to_string()))
            .collect();
        let out = Command::new(env!("CARGO_BIN_EXE_tglint"))
            .args(["render", "--all"])
            .arg(&dir)
            .arg("--root")
            .arg(&dir)
            .args(&extra)
            .output()
            .expect("run tglint");
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let root = dir.display().to_string();
        let mut text = String::new();
        let mut units = 0;
        for line in String::from_utf8_lossy(&out.stdout).lines() {
            let j: serde_json::Value = serde_json::from_str(line).expect("a JSON line");
            if j.get("unit").is_some() {
                units += 1;
                let pretty = serde_json::to_string_pretty(&j).unwrap_or_default();
                text.push_str(&pretty.replace(&root, "<ROOT>"));
                text.push('\n');
            } else {
                for d in j["diagnostics"].as_array().into_iter().flatten() {
                    let line = format!(
                        "tree: {} {}\n",
                        d["rule"].as_str().unwrap_or(""),
                        d["message"].as_str().unwrap_or("")
                    );
                    text.push_str(&line.replace(&root, "<ROOT>"));
                }
            }
        }
        assert!(units > 0, "{}: no units", dir.display());
        insta::assert_snapshot!(text);
    });
}
