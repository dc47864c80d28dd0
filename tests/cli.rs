//! End-to-end tests of the `tglint` binary on `fixtures/workspaces/*`.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

fn tglint() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_tglint"));
    // The run cache of changed-files runs: the test process's own, not the user's.
    c.env(
        "TGLINT_CACHE_DIR",
        std::env::temp_dir().join(format!("tglint-test-cache-{}", std::process::id())),
    );
    c
}

fn workspace(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures/workspaces")
        .join(name)
}

#[test]
fn render_all_prints_one_unit_per_line_in_path_order() {
    let ws = workspace("minimal");
    let out = tglint()
        .args(["render", "--all"])
        .arg(&ws)
        .arg("--root")
        .arg(&ws)
        .output()
        .expect("run tglint");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8_lossy(&out.stdout);
    let lines: Vec<serde_json::Value> = text
        .lines()
        .map(|l| serde_json::from_str(l).expect("each line is JSON"))
        .collect();
    let units: Vec<&str> = lines.iter().filter_map(|j| j["unit"].as_str()).collect();
    assert_eq!(units, ["live/prod/app", "live/prod/vpc"]);
    let app = &lines[0];
    assert_eq!(app["inputs"]["vpc_id"], "vpc-12345");
    assert_eq!(app["origins"]["inputs.vpc_id"]["mock"], true);
    assert!(
        app["inputs"]["commit"]["$unknown"]
            .as_str()
            .unwrap_or("")
            .contains("run_cmd")
    );
    let vpc = &lines[1];
    assert_eq!(
        vpc["remote_state"]["config"]["key"],
        "live/prod/vpc/terraform.tfstate"
    );
    assert_eq!(vpc["remote_state"]["config"]["bucket"], "acme-state-prod");
    assert_eq!(
        vpc["origins"]["remote_state.config.bucket"]["file"],
        "root.hcl"
    );
}

#[test]
fn render_one_unit_is_pretty_json() {
    let ws = workspace("minimal");
    let out = tglint()
        .arg("render")
        .arg(ws.join("live/prod/vpc"))
        .arg("--root")
        .arg(&ws)
        .output()
        .expect("run tglint");
    assert!(out.status.success());
    let j: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
    assert_eq!(j["unit"], "live/prod/vpc");
    assert_eq!(j["includes"][0]["path"], "root.hcl");
    assert_eq!(j["version"], 1);
}

#[test]
fn usage_errors_exit_2_with_a_message() {
    let out = tglint()
        .args(["render", "/definitely/not/here"])
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("does not exist"));
    let out = tglint().args(["render"]).output().expect("run");
    assert_eq!(out.status.code(), Some(2));
    let out = tglint()
        .args(["render", "--all", ".", "--set-env", "NOEQUALS"])
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("NAME=VALUE"));
}

#[test]
fn a_closed_pipe_is_not_an_error() {
    let ws = workspace("minimal");
    let mut child = tglint()
        .args(["render", "--all"])
        .arg(&ws)
        .arg("--root")
        .arg(&ws)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn");
    // Close the reading end at once, as `| head -0` would.
    drop(child.stdout.take());
    let out = child.wait_with_output().expect("wait");
    assert!(
        out.status.success(),
        "{:?} {}",
        out.status,
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        out.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn help_teaches() {
    let out = tglint().args(["render", "--help"]).output().expect("run");
    assert!(out.status.success());
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("--all") && text.contains("--set-env") && text.contains("--root"));
}

#[test]
fn all_takes_its_directory_from_the_positional_argument_wherever_flags_stand() {
    let ws = workspace("minimal");
    for args in [
        vec!["render", "--all", "--set-env", "AWS_REGION=us-east-1", "."],
        vec!["render", ".", "--all"],
        vec!["render", "--all"],
    ] {
        let out = tglint().args(&args).current_dir(&ws).output().expect("run");
        assert!(
            out.status.success(),
            "{args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert_eq!(
            String::from_utf8_lossy(&out.stdout).lines().count(),
            2,
            "{args:?}"
        );
    }
}

#[test]
fn workspaces_without_tree_problems_print_units_only() {
    let ws = workspace("minimal");
    let out = tglint()
        .args(["render", "--all"])
        .arg(&ws)
        .arg("--root")
        .arg(&ws)
        .output()
        .expect("run");
    assert!(out.status.success());
    // Every line is a unit: the tree's own line appears only when it has problems.
    assert!(
        String::from_utf8_lossy(&out.stdout)
            .lines()
            .map(|l| serde_json::from_str::<serde_json::Value>(l).expect("JSON"))
            .all(|j| j["unit"].is_string())
    );
}
