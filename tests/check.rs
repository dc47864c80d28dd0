//! `tglint check` end to end: the default command, exit codes, the JSON contract, the
//! policy file, user checks, suppressions and `--explain-env`.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::{Run, Tree, tglint};

const ROOT: &str = r#"locals {
  env = read_terragrunt_config(find_in_parent_folders("env.hcl"))
}
"#;

const RDS_COMMON: &str = r#"terraform {
  source = "tfr:///terraform-aws-modules/rds/aws?version=6.13.1"
}
inputs = {
  # tglint-ignore: deletion-protection -- restored from snapshots every night
  deletion_protection = false
  allocated_storage   = 20
}
"#;

const UNIT: &str = r#"include "root" {
  path = find_in_parent_folders("root.hcl")
}
include "envcommon" {
  path           = "${dirname(find_in_parent_folders("root.hcl"))}/_envcommon/data/rds.hcl"
  merge_strategy = "deep"
}
"#;

/// Two prod RDS units and a uat one, all inheriting `deletion_protection = false` from
/// `_envcommon`.
fn tree(name: &str, rds_common: &str) -> Tree {
    let t = Tree::new(name);
    t.file("root.hcl", ROOT)
        .file(
            "environments/prod/env.hcl",
            "locals {\n  environment = \"prod\"\n}\n",
        )
        .file(
            "environments/uat/env.hcl",
            "locals {\n  environment = \"uat\"\n}\n",
        )
        .file("_envcommon/data/rds.hcl", rds_common)
        .file(
            "environments/prod/us-east-1/02-data/orders/terragrunt.hcl",
            UNIT,
        )
        .file(
            "environments/prod/us-east-1/02-data/users/terragrunt.hcl",
            UNIT,
        )
        .file(
            "environments/uat/us-east-1/02-data/orders/terragrunt.hcl",
            UNIT,
        );
    t
}

fn unsuppressed() -> String {
    RDS_COMMON.replace(
        "  # tglint-ignore: deletion-protection -- restored from snapshots every night\n",
        "",
    )
}

fn json(t: &Tree, extra: &[&str]) -> Run {
    let mut args = vec![
        "check",
        "--format",
        "json",
        "--rule",
        "deletion-protection",
        ".",
    ];
    args.extend(extra);
    tglint(t, &args)
}

fn diags(r: &Run) -> Vec<serde_json::Value> {
    r.lines[0]["diagnostics"]
        .as_array()
        .cloned()
        .unwrap_or_default()
}

#[test]
fn tglint_alone_checks_the_current_tree_and_exits_1_on_findings() {
    let t = tree("default-command", &unsuppressed());
    let r = tglint(&t, &["--no-color"]);
    assert_eq!(r.code, Some(1), "{}{}", r.stdout, r.stderr);
    assert!(
        r.stdout
            .contains("× prod RDS instance has deletion_protection = false"),
        "{}",
        r.stdout
    );
    // One finding under the defining line, for the three units that inherit it.
    assert_eq!(
        r.stdout.matches("has deletion_protection = false").count(),
        2,
        "{}",
        r.stdout
    );
    assert!(r.stdout.contains("units: environments/prod/us-east-1/02-data/orders, environments/prod/us-east-1/02-data/users"), "{}", r.stdout);
    // The summary counts findings per unit: a grouped heading counts once for each unit.
    let headings = r
        .stdout
        .lines()
        .filter(|l| l.trim_start().starts_with("× "))
        .count();
    let summary = r.stdout.lines().last().unwrap_or_default();
    let errors: usize = summary
        .split(" errors")
        .next()
        .and_then(|n| n.parse().ok())
        .unwrap_or(0);
    assert!(errors >= headings && headings >= 2, "{}", r.stdout);
    assert!(summary.ends_with(" in 3 units"), "{}", r.stdout);
}

#[test]
fn the_json_report_is_the_contract_of_design_6_1() {
    let t = tree("json", &unsuppressed());
    let r = json(&t, &[]);
    assert_eq!(r.code, Some(1));
    let report = &r.lines[0];
    assert_eq!(report["version"], 1);
    let s = &report["summary"];
    assert_eq!(s["units"], 3);
    assert_eq!(s["errors"], 3);
    assert_eq!(s["warnings"], 0);
    assert_eq!(s["suppressed"], 0);
    assert!(s["files"].as_u64().unwrap() >= 5);
    let d = diags(&r);
    assert_eq!(d.len(), 3);
    let units: Vec<&str> = d.iter().map(|x| x["unit"].as_str().unwrap()).collect();
    assert_eq!(
        units,
        [
            "environments/prod/us-east-1/02-data/orders",
            "environments/prod/us-east-1/02-data/users",
            "environments/uat/us-east-1/02-data/orders"
        ],
        "sorted by file, line, column, rule, unit"
    );
    let first = &d[0];
    for (k, v) in [
        ("rule", "deletion-protection"),
        ("severity", "error"),
        ("file", "_envcommon/data/rds.hcl"),
        ("environment", "prod"),
        (
            "message",
            "prod RDS instance has deletion_protection = false",
        ),
    ] {
        assert_eq!(first[k], v, "{k}: {first}");
    }
    assert_eq!(
        (first["line"].as_u64(), first["column"].as_u64()),
        (Some(5), Some(25))
    );
    assert_eq!(
        (first["end_line"].as_u64(), first["end_column"].as_u64()),
        (Some(5), Some(30))
    );
    assert_eq!(
        first["related"][0]["file"],
        "environments/prod/us-east-1/02-data/orders/terragrunt.hcl"
    );
    assert_eq!(first["related"][0]["line"], 4);
    assert_eq!(
        first["related"][0]["message"],
        "included here as \"envcommon\" (merge_strategy = deep)"
    );
    assert!(
        first["help"]
            .as_str()
            .unwrap()
            .contains("deletion_protection = true")
    );
}

#[test]
fn fail_on_and_unknown_set_what_fails_a_run() {
    let t = tree(
        "fail-on",
        &unsuppressed().replace("false", "get_env(\"DP\")"),
    );
    // Only cannot-verify findings (info by default): exit 0.
    let r = json(&t, &[]);
    assert_eq!(r.code, Some(0));
    assert!(diags(&r).iter().all(|d| {
        d["severity"] == "info"
            && d["message"]
                .as_str()
                .unwrap()
                .starts_with("cannot verify deletion_protection because")
    }));
    assert_eq!(json(&t, &["--fail-on", "info"]).code, Some(1));
    assert_eq!(json(&t, &["--unknown", "error"]).code, Some(1));
    let r = json(&t, &["--unknown", "ignore"]);
    assert_eq!((r.code, diags(&r).len()), (Some(0), 0));
    let t = tree("fail-on-never", &unsuppressed());
    assert_eq!(json(&t, &["--fail-on", "never"]).code, Some(0));
}

#[test]
fn a_suppression_above_an_inherited_line_covers_every_unit_inheriting_it() {
    let t = tree("suppressed", RDS_COMMON);
    let r = json(&t, &[]);
    assert_eq!(r.code, Some(0), "{}", r.stdout);
    assert!(diags(&r).is_empty(), "{:#?}", diags(&r));
    assert_eq!(r.lines[0]["summary"]["suppressed"], 3);
}

#[test]
fn an_expired_suppression_lapses_and_says_so() {
    let t = tree(
        "expired",
        &RDS_COMMON.replace("every night", "every night expires=2020-01-31"),
    );
    let r = json(&t, &[]);
    assert_eq!(r.code, Some(1));
    let d = diags(&r);
    assert_eq!(
        d.iter()
            .filter(|x| x["rule"] == "deletion-protection")
            .count(),
        3
    );
    let lapse: Vec<&serde_json::Value> = d.iter().filter(|x| x["rule"] == "suppression").collect();
    assert_eq!(lapse.len(), 1, "{d:#?}");
    assert_eq!(lapse[0]["severity"], "warning");
    assert_eq!(lapse[0]["line"], 5);
    assert!(
        lapse[0]["message"]
            .as_str()
            .unwrap()
            .contains("expired on 2020-01-31")
    );
}

#[test]
fn an_unused_or_reasonless_suppression_is_reported() {
    let t = tree(
        "unused",
        &RDS_COMMON
            .replace("deletion_protection = false", "deletion_protection = true")
            .replace(
                "allocated_storage   = 20",
                "# tglint-ignore: deletion-protection\n  allocated_storage = 20",
            ),
    );
    let r = tglint(
        &t,
        &["check", "--format", "json", "--fail-on", "never", "."],
    );
    let d = diags(&r);
    let msgs: Vec<String> = d
        .iter()
        .filter(|x| x["rule"] == "suppression")
        .map(|x| {
            format!(
                "{}:{} {}",
                x["severity"].as_str().unwrap(),
                x["line"],
                x["message"].as_str().unwrap()
            )
        })
        .collect();
    assert!(
        msgs.contains(
            &"info:5 this suppression of deletion-protection matches no finding".to_string()
        ),
        "{msgs:#?}"
    );
    assert!(
        msgs.contains(&"warning:7 the suppression of deletion-protection gives no reason, so it is not applied".to_string()),
        "{msgs:#?}"
    );
}

#[test]
fn a_file_wide_suppression_covers_the_file() {
    let t = tree(
        "file-wide",
        &format!(
            "# tglint-ignore-file: deletion-protection -- a legacy database\n{}",
            unsuppressed()
        ),
    );
    let r = json(&t, &[]);
    assert_eq!((r.code, diags(&r).len()), (Some(0), 0), "{}", r.stdout);
}

#[test]
fn a_policy_error_is_exit_2_naming_the_line_and_the_fix() {
    let t = tree("policy-error", &unsuppressed());
    t.file(
        ".tglint.hcl",
        "rule \"deletion-protecton\" {\n  severity = \"warning\"\n}\n",
    );
    let r = tglint(&t, &["check", "."]);
    assert_eq!(r.code, Some(2));
    assert!(r.stdout.is_empty());
    assert!(
        r.stderr.contains(".tglint.hcl:1:6: error [policy-error]: unknown rule `deletion-protecton`. Did you mean \"deletion-protection\"?"),
        "{}",
        r.stderr
    );
    let r = tglint(
        &t,
        &[
            "check",
            "--rule",
            "deletion-protecton",
            "--config",
            "/dev/null",
            ".",
        ],
    );
    assert_eq!(r.code, Some(2));
    assert!(
        r.stderr.contains(
            "no rule is named `deletion-protecton` (did you mean `deletion-protection`?)"
        ),
        "{}",
        r.stderr
    );
}

#[test]
fn the_policy_at_the_root_changes_severities_and_environments() {
    let t = tree("policy-override", &unsuppressed());
    t.file(
        ".tglint.hcl",
        "rule \"deletion-protection\" {\n  severity = \"warning\"\n}\nenvironment \"uat\" {\n  protected = false\n}\n",
    );
    let r = json(&t, &[]);
    assert_eq!(r.code, Some(0), "warnings do not fail by default");
    let d = diags(&r);
    assert_eq!(d.len(), 2, "uat is no longer protected: {d:#?}");
    assert!(d.iter().all(|x| x["severity"] == "warning"));
}

#[test]
fn user_checks_report_at_the_value_and_cannot_verify_unknowns() {
    let t = tree("checks", &unsuppressed());
    t.file(
        ".tglint.hcl",
        r#"check "rds-storage-floor" {
  when          = unit.module == "terraform-aws-modules/rds/aws"
  condition     = unit.inputs.allocated_storage >= lookup({ prod = 100 }, unit.environment, 20)
  error_message = "RDS storage ${unit.inputs.allocated_storage} GB is below the floor for ${unit.environment}"
  severity      = "warning"
}
check "no-unknown-secrets" {
  condition = unit.inputs.allocated_storage != get_env_is_not_a_function
}
"#,
    );
    let r = tglint(
        &t,
        &["check", "--format", "json", "--fail-on", "never", "."],
    );
    let d = diags(&r);
    let floor: Vec<&serde_json::Value> = d
        .iter()
        .filter(|x| x["rule"] == "rds-storage-floor")
        .collect();
    assert_eq!(floor.len(), 2, "the two prod units: {d:#?}");
    assert_eq!(floor[0]["severity"], "warning");
    assert_eq!(
        floor[0]["message"],
        "RDS storage 20 GB is below the floor for prod"
    );
    assert_eq!(
        (floor[0]["file"].as_str(), floor[0]["line"].as_u64()),
        (Some("_envcommon/data/rds.hcl"), Some(6))
    );
    let broken: Vec<&serde_json::Value> =
        d.iter().filter(|x| x["rule"] == "policy-error").collect();
    assert!(!broken.is_empty(), "{d:#?}");
    assert_eq!(broken[0]["file"], ".tglint.hcl");
    assert_eq!(broken[0]["line"], 8);
    assert_eq!(
        r.code,
        Some(2),
        "an error in a check's expression is a policy error"
    );
}

#[test]
fn explain_env_shows_how_a_unit_was_classified() {
    let t = tree("explain", &unsuppressed());
    let r = tglint(
        &t,
        &[
            "check",
            "--explain-env",
            "environments/prod/us-east-1/02-data/orders",
            ".",
        ],
    );
    assert_eq!(r.code, Some(0), "{}", r.stderr);
    assert_eq!(
        r.stdout,
        "environments/prod/us-east-1/02-data/orders\n  environment: prod (from the path segment environments/prod)\n  kind: prod\n  region: us-east-1 (from the path segment environments/prod/us-east-1)\n"
    );
}

#[test]
fn the_json_report_snapshot() {
    let t = tree("json-snapshot", &unsuppressed());
    // The uat unit's value is unknown: a cannot-verify finding beside the two violations.
    t.file(
        "environments/uat/us-east-1/02-data/orders/terragrunt.hcl",
        format!("{UNIT}inputs = {{\n  deletion_protection = get_env(\"DP\")\n}}\n"),
    );
    let r = json(&t, &["--fail-on", "never"]);
    assert_eq!(r.code, Some(0), "{}", r.stderr);
    insta::assert_snapshot!("check_json_report", r.stdout);
}

#[test]
fn env_narrows_the_run_to_a_kind_or_a_name_and_a_typo_is_exit_2() {
    let t = tree("env-flag", &unsuppressed());
    let r = json(&t, &["--env", "uat"]);
    assert_eq!(r.lines[0]["summary"]["units"], 1, "{}", r.stdout);
    assert!(diags(&r).iter().all(|d| d["environment"] == "uat"));
    let r = json(&t, &["--env", "uat,prod"]);
    assert_eq!(r.lines[0]["summary"]["units"], 3);
    let r = tglint(&t, &["check", "--env", "prd", "."]);
    assert_eq!(r.code, Some(2));
    assert!(
        r.stderr
            .contains("no environment kind or unit environment is named `prd`")
            && r.stderr.contains("did you mean `prod`?"),
        "{}",
        r.stderr
    );
}

#[test]
fn the_policy_defaults_block_sets_flags_and_the_command_line_wins() {
    let t = tree("defaults-block", &unsuppressed());
    t.file(
        ".tglint.hcl",
        "defaults {\n  fail_on = \"never\"\n  env     = [\"prod\"]\n  rules   = [\"deletion-protection\"]\n  jobs    = 1\n}\n",
    );
    let r = tglint(&t, &["check", "--format", "json", "."]);
    assert_eq!(r.code, Some(0), "fail_on = never: {}", r.stderr);
    let report = &r.lines[0];
    assert_eq!(report["summary"]["units"], 2, "env = [prod]");
    assert_eq!(report["summary"]["errors"], 2, "{}", r.stdout);
    let r = tglint(
        &t,
        &[
            "check",
            "--format",
            "json",
            "--fail-on",
            "error",
            "--env",
            "uat",
            ".",
        ],
    );
    assert_eq!(r.code, Some(1), "the flag wins: {}", r.stderr);
    assert_eq!(r.lines[0]["summary"]["units"], 1);
}

#[test]
fn a_bad_defaults_value_is_a_policy_error_naming_the_closest_value() {
    let t = tree("defaults-bad", &unsuppressed());
    t.file(
        ".tglint.hcl",
        "defaults {\n  fail_on = \"warn\"\n  jobs    = 0\n  rules   = [\"multi-a\"]\n  colour  = true\n}\n",
    );
    let r = tglint(&t, &["check", "."]);
    assert_eq!(r.code, Some(2), "{}", r.stderr);
    for want in [
        ".tglint.hcl:2:13: error [policy-error]: `fail_on` must be one of error, warning, info, never, not \"warn\". Did you mean \"warning\"?",
        ".tglint.hcl:3:13: error [policy-error]: `jobs` must be a whole number from 1 to 1024",
        "no rule is named `multi-a`. Did you mean \"multi-az\"?",
        "unknown attribute `colour` in a defaults block.",
    ] {
        assert!(
            r.stderr.contains(want),
            "missing {want:?} in:\n{}",
            r.stderr
        );
    }
}

#[test]
fn jobs_changes_nothing_but_the_threads_and_timings_name_every_phase() {
    let t = tree("jobs", &unsuppressed());
    let one = json(&t, &["--jobs", "1"]);
    let two = json(&t, &["--jobs", "2"]);
    assert_eq!(one.stdout, two.stdout);
    let r = tglint(&t, &["check", "--timings", "--no-color", "."]);
    let line = r
        .stderr
        .lines()
        .find(|l| l.starts_with("timings: "))
        .unwrap_or_else(|| panic!("no timings line: {}", r.stderr));
    for phase in ["discover", "parse", "resolve", "rules", "report", "total"] {
        assert!(line.contains(&format!("{phase} ")), "{line}");
    }
    let r = tglint(&t, &["check", "--jobs", "0", "."]);
    assert_eq!(r.code, Some(2));
}

#[test]
fn a_tree_without_units_says_so_in_one_line() {
    let t = Tree::new("no-units");
    t.file("modules/vpc/main.hcl", "locals {}\n");
    let r = tglint(&t, &["check", "."]);
    assert_eq!(r.code, Some(0), "{}", r.stderr);
    assert_eq!(
        r.stdout,
        "no Terragrunt units under .: nothing to check (a unit is a directory holding terragrunt.hcl)\n"
    );
}

#[test]
fn quiet_shows_only_what_fails_the_run_and_nothing_when_it_passes() {
    let t = tree("quiet", &unsuppressed());
    let loud = tglint(&t, &["check", "--no-color", "."]);
    assert!(
        loud.stdout.contains("⚠ "),
        "the tree has warnings: {}",
        loud.stdout
    );
    let r = tglint(&t, &["check", "--no-color", "--quiet", "."]);
    assert_eq!(r.code, Some(1));
    assert!(
        r.stdout
            .contains("× prod RDS instance has deletion_protection = false")
    );
    assert!(
        !r.stdout.contains("⚠ ") && !r.stdout.contains("ℹ "),
        "{}",
        r.stdout
    );
    let r = tglint(
        &t,
        &["check", "--no-color", "-q", "--fail-on", "never", "."],
    );
    assert_eq!((r.code, r.stdout.as_str()), (Some(0), ""));
}

#[test]
fn a_unit_whose_file_does_not_parse_gets_its_parse_error_and_no_rule_findings() {
    let t = tree("broken-unit", &unsuppressed());
    t.file(
        "environments/prod/us-east-1/02-data/broken/terragrunt.hcl",
        // A repeated attribute (a repeated key of an object is no error in HCL).
        "inputs = {\n  a = 1\n}\ninputs = {}\n",
    );
    let r = tglint(&t, &["check", "--format", "json", "."]);
    let about: Vec<&serde_json::Value> = r.lines[0]["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["unit"] == "environments/prod/us-east-1/02-data/broken")
        .collect();
    assert_eq!(about.len(), 1, "{about:#?}");
    assert_eq!(about[0]["rule"], "parse-error");
    assert_eq!(
        about[0]["file"],
        "environments/prod/us-east-1/02-data/broken/terragrunt.hcl"
    );
}
