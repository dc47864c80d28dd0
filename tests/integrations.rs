//! The integrations at the repository root: `action/run.sh` (the check step of
//! `action.yml`) run as GitHub Actions runs it, and the shape of `action.yml` and
//! `.pre-commit-hooks.yaml` (the pre-commit hook itself is tested end to end by
//! `.ci/pre-commit-e2e`).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::{Tree, reference_copy};
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::Command;
use yaml_rust2::{Yaml, YamlLoader};

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// What one run of `action/run.sh` left behind.
struct Step {
    code: Option<i32>,
    stdout: String,
    stderr: String,
    /// `$GITHUB_OUTPUT`, as `name=value` lines.
    outputs: String,
    /// `$GITHUB_STEP_SUMMARY`.
    summary: String,
}

impl Step {
    fn output(&self, name: &str) -> Option<&str> {
        self.outputs
            .lines()
            .find_map(|l| l.strip_prefix(name)?.strip_prefix('='))
    }
}

/// Runs `action/run.sh` in `t` with the environment GitHub gives a composite step:
/// the action's inputs as `TGLINT_*`, `GITHUB_OUTPUT` and `GITHUB_STEP_SUMMARY` files,
/// `RUNNER_TEMP`, and the built tglint on the `PATH`.
fn run_step(t: &Tree, inputs: &[(&str, &str)]) -> Step {
    let scratch = t.path(".runner");
    std::fs::create_dir_all(&scratch).unwrap();
    let outputs = scratch.join("output");
    let summary = scratch.join("summary.md");
    std::fs::write(&summary, "# earlier step\n").unwrap();
    let _ = std::fs::remove_file(&outputs);
    let bin = Path::new(env!("CARGO_BIN_EXE_tglint")).parent().unwrap();
    let path = format!(
        "{}:{}",
        bin.display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let mut cmd = Command::new("bash");
    cmd.arg(repo().join("action/run.sh"))
        .current_dir(&t.dir)
        .env("PATH", path)
        .env("GITHUB_OUTPUT", &outputs)
        .env("GITHUB_STEP_SUMMARY", &summary)
        .env("RUNNER_TEMP", &scratch)
        .env_remove("NO_COLOR");
    for (k, v) in inputs {
        cmd.env(k, v);
    }
    let out = cmd.output().expect("run bash");
    Step {
        code: out.status.code(),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        outputs: std::fs::read_to_string(&outputs).unwrap_or_default(),
        summary: std::fs::read_to_string(&summary).unwrap_or_default(),
    }
}

/// The reference tree with prod's RDS deletion protection turned off (one error,
/// defined in prod's env.hcl).
fn violating(name: &str) -> Tree {
    let t = reference_copy(name);
    t.edit(
        "environments/prod/env.hcl",
        "deletion_protection = true",
        "deletion_protection = false",
    );
    t
}

#[test]
fn the_check_step_writes_sarif_annotations_and_the_summary_and_hands_on_the_exit_code() {
    let t = violating("action-violating");
    let s = run_step(&t, &[("TGLINT_SARIF", "out/tglint.sarif")]);
    // The step itself succeeds: the action's last step exits with tglint's code, after
    // the SARIF upload.
    assert_eq!(s.code, Some(0), "{}\n{}", s.stdout, s.stderr);
    assert_eq!(s.output("exit-code"), Some("1"), "{}", s.outputs);
    assert_eq!(s.output("sarif-file"), Some("out/tglint.sarif"));

    let sarif: Value =
        serde_json::from_str(&std::fs::read_to_string(t.path("out/tglint.sarif")).unwrap())
            .unwrap();
    assert_eq!(sarif["version"], "2.1.0");
    let results = sarif["runs"][0]["results"].as_array().unwrap();
    let hit = results
        .iter()
        .find(|r| r["ruleId"] == "deletion-protection" && r["level"] == "error")
        .unwrap_or_else(|| panic!("no deletion-protection error in {results:#?}"));
    assert_eq!(
        hit["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
        "environments/prod/env.hcl"
    );

    // Annotations on stdout, at the line to edit.
    let annotations: Vec<&str> = s.stdout.lines().filter(|l| l.starts_with("::")).collect();
    assert!(
        annotations.iter().any(|l| l.starts_with("::error ")
            && l.contains("file=environments/prod/env.hcl,line=5")
            && l.contains("title=deletion-protection")),
        "{annotations:#?}"
    );
    // The summary is appended, after what earlier steps wrote.
    assert!(s.summary.starts_with("# earlier step\n"), "{}", s.summary);
    assert!(s.summary.contains("deletion-protection"), "{}", s.summary);
    assert!(
        s.summary.contains("| "),
        "no table in the summary:\n{}",
        s.summary
    );
}

#[test]
fn annotations_off_a_clean_tree_and_the_inputs_reach_tglint() {
    let t = violating("action-inputs");
    // annotations: false prints none; fail-on never makes the exit code 0.
    let s = run_step(
        &t,
        &[("TGLINT_ANNOTATIONS", "false"), ("TGLINT_FAIL_ON", "never")],
    );
    assert_eq!(s.code, Some(0), "{}", s.stderr);
    assert!(
        !s.stdout.lines().any(|l| l.starts_with("::")),
        "{}",
        s.stdout
    );
    assert_eq!(s.output("exit-code"), Some("0"), "{}", s.outputs);
    assert!(t.path("tglint.sarif").is_file(), "the default SARIF path");

    // A baseline of the findings: nothing new, exit 0.
    let w = common::run_in(
        &t.dir,
        &[
            "check".as_ref(),
            "--write-baseline".as_ref(),
            "debt.json".as_ref(),
            "--fail-on".as_ref(),
            "never".as_ref(),
        ],
    );
    assert_eq!(w.code, Some(0), "{}", w.stderr);
    let s = run_step(&t, &[("TGLINT_BASELINE", "debt.json")]);
    assert_eq!(
        s.output("exit-code"),
        Some("0"),
        "{}\n{}",
        s.stdout,
        s.stderr
    );

    // A config that does not exist is tglint's usage error, passed on.
    let s = run_step(&t, &[("TGLINT_CONFIG", "missing.hcl")]);
    assert_eq!(s.output("exit-code"), Some("2"), "{}", s.stderr);
    assert!(s.stderr.contains("missing.hcl"), "{}", s.stderr);

    // Paths narrow the check: dev alone is clean.
    let s = run_step(&t, &[("TGLINT_PATHS", "environments/dev")]);
    assert_eq!(s.output("exit-code"), Some("0"), "{}", s.stdout);
}

fn yaml(path: &str) -> Yaml {
    let text = std::fs::read_to_string(repo().join(path)).unwrap();
    let mut docs = YamlLoader::load_from_str(&text).unwrap_or_else(|e| panic!("{path}: {e}"));
    assert_eq!(docs.len(), 1, "{path}: one document");
    docs.remove(0)
}

#[test]
fn action_yml_is_a_composite_action_whose_check_step_gets_every_input() {
    let a = yaml("action.yml");
    assert_eq!(a["runs"]["using"].as_str(), Some("composite"));
    let inputs = a["inputs"].as_hash().unwrap();
    for name in ["path", "config", "fail-on", "baseline"] {
        assert!(
            inputs.contains_key(&Yaml::String(name.into())),
            "input {name} is missing"
        );
    }
    let steps = a["runs"]["steps"].as_vec().unwrap();
    for s in steps {
        // A composite step that runs a command must name its shell.
        if !s["run"].is_badvalue() {
            assert_eq!(s["shell"].as_str(), Some("bash"), "{s:?}");
        }
    }
    let script = std::fs::read_to_string(repo().join("action/run.sh")).unwrap();
    let check = steps
        .iter()
        .find(|s| s["id"].as_str() == Some("check"))
        .expect("a step with id check");
    assert!(check["run"].as_str().unwrap().contains("action/run.sh"));
    let env = check["env"].as_hash().unwrap();
    // Every input reaches the script, under a name it reads.
    for (k, v) in env {
        let k = k.as_str().unwrap();
        let v = v.as_str().unwrap();
        assert!(script.contains(k), "run.sh never reads {k}");
        let input = v
            .strip_prefix("${{ inputs.")
            .and_then(|r| r.strip_suffix(" }}"))
            .unwrap_or_else(|| panic!("{k} is not an input: {v}"));
        assert!(
            inputs.contains_key(&Yaml::String(input.into())),
            "{k} names no input: {input}"
        );
    }
    for input in inputs.keys() {
        let input = input.as_str().unwrap();
        let used = env
            .values()
            .any(|v| v.as_str() == Some(&format!("${{{{ inputs.{input} }}}}")))
            || steps
                .iter()
                .any(|s| format!("{s:?}").contains(&format!("inputs.{input}")));
        assert!(used, "input {input} is used by no step");
    }
    // The build is cached by the lock file, and the last step exits with tglint's code.
    let cache_key = format!("{:?}", steps[0]);
    assert!(cache_key.contains("Cargo.lock"), "{cache_key}");
    let last = steps.last().unwrap();
    assert!(last["run"].as_str().unwrap().contains("exit"), "{last:?}");
}

#[test]
fn the_pre_commit_hook_is_declared_as_pre_commit_reads_it() {
    let hooks = yaml(".pre-commit-hooks.yaml");
    let hooks = hooks.as_vec().expect("a list of hooks");
    assert_eq!(hooks.len(), 1);
    let h = &hooks[0];
    assert_eq!(h["id"].as_str(), Some("tglint"));
    assert_eq!(h["entry"].as_str(), Some("tglint check"));
    assert_eq!(h["language"].as_str(), Some("rust"));
    assert_eq!(h["require_serial"].as_bool(), Some(true));
    assert_ne!(h["pass_filenames"].as_bool(), Some(false));
    let files = regex::Regex::new(h["files"].as_str().unwrap()).unwrap();
    assert!(files.is_match("environments/prod/env.hcl"));
    assert!(files.is_match("live/vpc/terragrunt.hcl"));
    assert!(!files.is_match("main.tf"));
    assert!(!files.is_match("notes.hcl.md"));
}
