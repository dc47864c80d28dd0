//! `--write-baseline` and `--baseline` end to end, on a copy of the reference tree with
//! old debt: the round trip, fingerprints that survive line shifts, reordered blocks,
//! changed values and unrelated edits, stale entries, new findings, refreshing, narrower
//! runs, and bad files.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::{Run, Tree, reference_copy, tglint};
use serde_json::Value;

const BASELINE: &str = "tglint-baseline.json";

/// The reference tree with debt in every shape: values set in the unit, inherited from
/// `env.hcl`, `_envcommon` and `root.hcl`, a module default, a tree rule.
fn debt(name: &str) -> Tree {
    let t = reference_copy(name);
    t.edit(
        "environments/prod/env.hcl",
        "deletion_protection = true",
        "deletion_protection = false",
    )
    .edit(
        "environments/prod/us-east-1/02-data/rds/terragrunt.hcl",
        "monitoring_interval     = 60",
        "monitoring_interval     = 0",
    )
    .edit(
        "environments/prod/us-east-1/02-data/rds/terragrunt.hcl",
        "  backup_retention_period = 30\n",
        "",
    )
    .edit(
        "environments/prod/us-east-1/01-infra/network/vpc/terragrunt.hcl",
        "enable_flow_log                                 = true",
        "enable_flow_log                                 = false",
    )
    .edit(
        "environments/staging/us-east-1/02-data/rds/terragrunt.hcl",
        r#""db.t3.small""#,
        r#""db.r6g.large""#,
    )
    .edit(
        "environments/staging/us-east-1/region.hcl",
        r#""10.20.0.0/16""#,
        r#""10.10.0.0/16""#,
    )
    .edit(
        "root.hcl",
        r#"ManagedBy       = "Terraform""#,
        r#"Owner           = "Terraform""#,
    )
    .edit(
        "_envcommon/networking/vpc.hcl",
        "enable_dns_support   = true",
        "enable_dns_support   = false",
    );
    t
}

fn check(t: &Tree, extra: &[&str]) -> Run {
    let mut args = vec!["check", "--format", "json"];
    args.extend(extra);
    args.push(".");
    tglint(t, &args)
}

fn diagnostics(r: &Run) -> Vec<Value> {
    r.lines[0]["diagnostics"]
        .as_array()
        .cloned()
        .unwrap_or_default()
}

/// `rule unit file:line` of each finding that is not a stale entry.
fn findings(r: &Run) -> Vec<String> {
    diagnostics(r)
        .iter()
        .filter(|d| d["rule"] != "baseline")
        .map(|d| {
            format!(
                "{} {} {}:{}",
                d["rule"].as_str().unwrap(),
                d["unit"].as_str().unwrap_or("-"),
                d["file"].as_str().unwrap(),
                d["line"]
            )
        })
        .collect()
}

fn stale(r: &Run) -> Vec<Value> {
    diagnostics(r)
        .into_iter()
        .filter(|d| d["rule"] == "baseline")
        .collect()
}

fn summary(r: &Run, key: &str) -> u64 {
    r.lines[0]["summary"][key].as_u64().unwrap()
}

fn entries(t: &Tree) -> Vec<Value> {
    let j: Value = serde_json::from_str(&t.read(BASELINE)).unwrap();
    j["findings"].as_array().unwrap().clone()
}

/// Writes the baseline and returns the run that wrote it.
fn write(t: &Tree) -> Run {
    let r = check(t, &["--write-baseline", BASELINE]);
    assert_eq!(r.code, Some(1), "the run's own exit code: {}", r.stderr);
    r
}

#[test]
fn the_round_trip_reports_nothing_new() {
    let t = debt("baseline-round-trip");
    let w = write(&t);
    let recorded = findings(&w);
    assert!(recorded.len() >= 20, "{recorded:#?}");
    assert!(
        w.stderr.contains(&format!(
            "recorded {} findings in {BASELINE}",
            recorded.len()
        )),
        "{}",
        w.stderr
    );

    // The file: a version, the tool, every finding once, sorted by unit and rule.
    let text = t.read(BASELINE);
    let j: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(j["version"], 1);
    assert_eq!(j["tool"], "tglint");
    let es = entries(&t);
    assert_eq!(es.len(), recorded.len());
    let keys: Vec<(String, String)> = es
        .iter()
        .map(|e| {
            (
                e["unit"].as_str().unwrap_or("").to_string(),
                e["rule"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    let mut sorted = keys.clone();
    sorted.sort();
    assert_eq!(keys, sorted);
    for e in &es {
        let fp = e["fingerprint"].as_str().unwrap();
        assert_eq!(fp.len(), 16, "{e}");
        assert!(e["message"].as_str().is_some_and(|m| !m.is_empty()), "{e}");
        assert!(e.get("line").is_none(), "no line numbers: {e}");
    }
    // Subjects where the rule names the value, also for an input left to its default.
    let subject = |rule: &str| {
        es.iter()
            .find(|e| e["rule"] == rule)
            .and_then(|e| e["subject"].as_str())
            .map(str::to_string)
    };
    assert_eq!(
        subject("deletion-protection").as_deref(),
        Some("inputs.deletion_protection")
    );
    assert_eq!(
        subject("backup-retention").as_deref(),
        Some("inputs.backup_retention_period")
    );
    // Writing again gives the same bytes.
    write(&t);
    assert_eq!(t.read(BASELINE), text);

    let r = check(&t, &["--baseline", BASELINE]);
    assert_eq!(r.code, Some(0), "{}{}", r.stdout, r.stderr);
    assert!(diagnostics(&r).is_empty(), "{:#?}", diagnostics(&r));
    assert_eq!(summary(&r, "baselined"), recorded.len() as u64);
    assert_eq!(summary(&r, "errors"), 0);

    let human = tglint(&t, &["check", "--no-color", "--baseline", BASELINE, "."]);
    assert_eq!(human.code, Some(0));
    let last = human.stdout.lines().last().unwrap_or_default();
    assert_eq!(
        last,
        format!(
            "0 errors, 0 warnings, 0 notes in 15 units; {} baselined",
            recorded.len()
        )
    );
}

/// Every line of every `.hcl` file moves down, blocks and attributes change order.
fn shift_and_reorder(t: &Tree) {
    let mut stack = vec![t.dir.clone()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else if p.extension().is_some_and(|x| x == "hcl") {
                let text = std::fs::read_to_string(&p).unwrap();
                std::fs::write(&p, format!("# moved down\n\n\n{text}")).unwrap();
            }
        }
    }
    // root.hcl: the locals block last.
    let root = t.read("root.hcl");
    let start = root.find("locals {").unwrap();
    let end = root[start..].find("\n}\n").unwrap() + start + 3;
    let locals = &root[start..end];
    std::fs::write(
        t.path("root.hcl"),
        format!("{}{}\n{locals}", &root[..start], &root[end..]),
    )
    .unwrap();
    // _envcommon/data/rds.hcl: inputs before the dependency block, attributes reversed.
    let rds = t.read("_envcommon/data/rds.hcl");
    let dep = rds.find("dependency \"vpc\" {").unwrap();
    let inputs = rds.find("inputs = {").unwrap();
    let body: Vec<&str> = rds[inputs..].lines().collect();
    let mut reversed: Vec<&str> = body[1..body.len() - 1].to_vec();
    reversed.reverse();
    let new_inputs = format!("inputs = {{\n{}\n}}\n\n", reversed.join("\n"));
    std::fs::write(
        t.path("_envcommon/data/rds.hcl"),
        format!("{}{new_inputs}{}", &rds[..dep], &rds[dep..inputs]),
    )
    .unwrap();
    // The prod RDS unit: its inputs reversed.
    let unit = "environments/prod/us-east-1/02-data/rds/terragrunt.hcl";
    let text = t.read(unit);
    let inputs = text.find("inputs = {").unwrap();
    let body: Vec<&str> = text[inputs..].lines().collect();
    let mut reversed: Vec<&str> = body[1..body.len() - 1].to_vec();
    reversed.reverse();
    std::fs::write(
        t.path(unit),
        format!(
            "{}inputs = {{\n{}\n}}\n",
            &text[..inputs],
            reversed.join("\n")
        ),
    )
    .unwrap();
}

#[test]
fn shifted_lines_and_reordered_blocks_still_match() {
    let t = debt("baseline-shift");
    let before = findings(&write(&t));
    shift_and_reorder(&t);
    let after = findings(&check(&t, &[]));
    // The same findings, at other lines.
    assert_eq!(after.len(), before.len(), "{after:#?}\n{before:#?}");
    assert_ne!(after, before, "the edits moved the findings");
    let r = check(&t, &["--baseline", BASELINE]);
    assert_eq!(r.code, Some(0), "{:#?}", diagnostics(&r));
    assert!(diagnostics(&r).is_empty(), "{:#?}", diagnostics(&r));
    assert_eq!(summary(&r, "baselined"), before.len() as u64);
}

#[test]
fn changed_values_and_unrelated_edits_still_match() {
    let t = debt("baseline-unrelated");
    let before = findings(&write(&t));
    // Still wrong, with another value.
    t.edit(
        "environments/staging/us-east-1/02-data/rds/terragrunt.hcl",
        r#""db.r6g.large""#,
        r#""db.r6g.xlarge""#,
    )
    .edit(
        "environments/prod/us-east-1/02-data/rds/terragrunt.hcl",
        "monitoring_interval     = 0",
        "monitoring_interval     = -1",
    );
    // Unrelated: a new local and a new input elsewhere.
    t.edit(
        "environments/dev/env.hcl",
        "locals {",
        "locals {\n  owner = \"platform\"",
    )
    .edit(
        "environments/dev/us-east-1/02-data/rds/terragrunt.hcl",
        "inputs = {",
        "inputs = {\n  apply_immediately = true",
    );
    let r = check(&t, &["--baseline", BASELINE]);
    assert_eq!(r.code, Some(0), "{:#?}", diagnostics(&r));
    assert!(findings(&r).is_empty(), "{:#?}", findings(&r));
    assert!(stale(&r).is_empty(), "{:#?}", stale(&r));
    assert_eq!(summary(&r, "baselined"), before.len() as u64);
}

#[test]
fn a_fixed_finding_is_reported_stale_until_the_baseline_is_refreshed() {
    let t = debt("baseline-stale");
    let before = findings(&write(&t));
    t.edit(
        "environments/prod/us-east-1/01-infra/network/vpc/terragrunt.hcl",
        "enable_flow_log                                 = false",
        "enable_flow_log                                 = true",
    );
    let r = check(&t, &["--baseline", BASELINE]);
    assert_eq!(r.code, Some(0), "stale entries are info: {}", r.stdout);
    assert!(findings(&r).is_empty(), "{:#?}", findings(&r));
    let s = stale(&r);
    assert_eq!(s.len(), 1, "{s:#?}");
    let d = &s[0];
    assert_eq!(d["severity"], "info");
    assert_eq!(d["file"], BASELINE);
    assert!(d["unit"].is_null());
    let message = d["message"].as_str().unwrap();
    assert!(
        message.starts_with(
            "stale baseline entry: flow-logs in environments/prod/us-east-1/01-infra/network/vpc"
        ),
        "{message}"
    );
    // At the line of the entry's fingerprint.
    let entry = entries(&t)
        .into_iter()
        .find(|e| e["rule"] == "flow-logs")
        .unwrap();
    let fp = entry["fingerprint"].as_str().unwrap();
    let line = t
        .read(BASELINE)
        .lines()
        .position(|l| l.contains(fp))
        .unwrap()
        + 1;
    assert_eq!(d["line"], line);
    assert_eq!(summary(&r, "baselined"), before.len() as u64 - 1);
    // They fail a run that fails on info.
    let strict = check(&t, &["--baseline", BASELINE, "--fail-on", "info"]);
    assert_eq!(strict.code, Some(1));
    // The policy can make them warnings (or turn them off).
    t.file(
        ".tglint.hcl",
        "rule \"baseline\" {\n  severity = \"warning\"\n}\n",
    );
    let warned = check(&t, &["--baseline", BASELINE]);
    assert_eq!(stale(&warned)[0]["severity"], "warning");
    std::fs::remove_file(t.path(".tglint.hcl")).unwrap();

    // Refreshing drops the entry; the next run has nothing stale.
    let refresh = check(&t, &["--baseline", BASELINE, "--write-baseline", BASELINE]);
    assert_eq!(refresh.code, Some(0), "{}", refresh.stderr);
    // It says what it drops on stderr; the report has no stale entry pointing into a
    // file that no longer holds it.
    assert!(stale(&refresh).is_empty(), "{:#?}", stale(&refresh));
    assert!(
        refresh.stderr.contains("(1 stale entry dropped)"),
        "{}",
        refresh.stderr
    );
    assert_eq!(entries(&t).len(), before.len() - 1);
    assert!(!t.read(BASELINE).contains(fp));
    let r = check(&t, &["--baseline", BASELINE]);
    assert!(diagnostics(&r).is_empty(), "{:#?}", diagnostics(&r));
}

#[test]
fn a_new_violation_is_reported() {
    let t = debt("baseline-new");
    write(&t);
    t.edit(
        "environments/dev/us-east-1/02-data/rds/terragrunt.hcl",
        "backup_retention_period = 7",
        "backup_retention_period = 3",
    );
    let r = check(&t, &["--baseline", BASELINE]);
    assert_eq!(r.code, Some(1), "{}", r.stdout);
    assert_eq!(
        findings(&r),
        [
            "backup-retention environments/dev/us-east-1/02-data/rds environments/dev/us-east-1/02-data/rds/terragrunt.hcl:13"
        ]
    );
    assert!(stale(&r).is_empty());
}

#[test]
fn a_narrower_write_keeps_the_entries_it_could_not_have_found() {
    let t = debt("baseline-narrow");
    write(&t);
    let all = entries(&t);
    let flow: Vec<&Value> = all.iter().filter(|e| e["rule"] == "flow-logs").collect();
    assert_eq!(flow.len(), 1);
    t.edit(
        "environments/prod/us-east-1/01-infra/network/vpc/terragrunt.hcl",
        "enable_flow_log                                 = false",
        "enable_flow_log                                 = true",
    );
    // One rule: only its entries are rewritten.
    let r = check(&t, &["--rule", "flow-logs", "--write-baseline", BASELINE]);
    assert_eq!(r.code, Some(0), "{}", r.stderr);
    let now = entries(&t);
    assert_eq!(now.len(), all.len() - 1);
    assert!(now.iter().all(|e| e["rule"] != "flow-logs"));
    // One rule against the whole baseline: the others are neither stale nor reported.
    let r = check(
        &t,
        &["--rule", "enhanced-monitoring", "--baseline", BASELINE],
    );
    assert!(diagnostics(&r).is_empty(), "{:#?}", diagnostics(&r));
    let monitoring = now
        .iter()
        .filter(|e| e["rule"] == "enhanced-monitoring")
        .count();
    assert!(monitoring > 0);
    assert_eq!(summary(&r, "baselined"), monitoring as u64);
    // One environment: the entries of the others are kept.
    t.edit(
        "environments/staging/us-east-1/02-data/rds/terragrunt.hcl",
        r#""db.r6g.large""#,
        r#""db.t3.small""#,
    );
    let staging = t.path("environments/staging");
    let r = tglint(
        &t,
        &[
            "check",
            "--format",
            "json",
            "--write-baseline",
            BASELINE,
            staging.to_str().unwrap(),
        ],
    );
    assert!(r.code.is_some_and(|c| c < 2), "{}", r.stderr);
    let after = entries(&t);
    assert!(
        after.iter().all(|e| !(e["rule"] == "instance-class"
            && e["unit"] == "environments/staging/us-east-1/02-data/rds")),
        "{after:#?}"
    );
    assert!(
        after.iter().any(|e| e["rule"] == "enhanced-monitoring"),
        "prod kept"
    );
    assert!(
        after
            .iter()
            .any(|e| e["unit"] == "environments/staging/us-east-1/01-infra/network/vpc"),
        "staging's other findings rewritten, not dropped"
    );
}

#[test]
fn a_missing_or_malformed_baseline_is_a_usage_error() {
    let t = debt("baseline-bad");
    let r = check(&t, &["--baseline", "nope.json"]);
    assert_eq!(r.code, Some(2));
    assert!(r.stdout.is_empty());
    assert!(
        r.stderr
            .starts_with("tglint: --baseline nope.json: cannot read it:"),
        "{}",
        r.stderr
    );
    assert!(r.stderr.contains("--write-baseline"), "{}", r.stderr);
    assert_eq!(r.stderr.lines().count(), 1, "{}", r.stderr);
    for (text, why) in [
        ("not json", "invalid JSON"),
        ("{\"version\": 2, \"findings\": []}", "version 2"),
        (
            "{\"version\": 1, \"findings\": [{\"rule\": \"x\"}]}",
            "no \"fingerprint\"",
        ),
    ] {
        t.file("bad.json", text);
        let r = check(&t, &["--baseline", "bad.json"]);
        assert_eq!(r.code, Some(2), "{text}");
        assert!(
            r.stderr
                .starts_with("tglint: --baseline bad.json: not a tglint baseline:"),
            "{}",
            r.stderr
        );
        assert!(r.stderr.contains(why), "{why}: {}", r.stderr);
    }
    // --write-baseline never overwrites a file that is not a baseline.
    let readme = t.read("README.md");
    let r = check(&t, &["--write-baseline", "README.md"]);
    assert_eq!(r.code, Some(2));
    assert!(
        r.stderr
            .starts_with("tglint: --write-baseline README.md: not a tglint baseline"),
        "{}",
        r.stderr
    );
    assert_eq!(t.read("README.md"), readme);
    // Nor writes into a directory that does not exist.
    let r = check(&t, &["--write-baseline", "no/such/dir/b.json"]);
    assert_eq!(r.code, Some(2));
    assert!(
        r.stderr
            .starts_with("tglint: --write-baseline no/such/dir/b.json: cannot write it:"),
        "{}",
        r.stderr
    );
}
