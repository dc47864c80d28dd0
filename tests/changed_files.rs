//! Changed-files mode (`tglint check FILE…`, as pre-commit runs it) on copies of the
//! reference tree: which units a changed file affects (root.hcl, env.hcl, a unit file,
//! an `_envcommon` file, a file read by `file()` or `templatefile()`, the policy, a file
//! nothing reads, a deleted file), tree rules reporting only what involves the change,
//! suppressions and baselines in a partial run, and the summary's unit count.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::{Run, Tree, reference_copy, tglint};
use serde_json::Value;

const DEV_RDS: &str = "environments/dev/us-east-1/02-data/rds/terragrunt.hcl";
const PROD_RDS: &str = "environments/prod/us-east-1/02-data/rds/terragrunt.hcl";
const DEV_VPC: &str = "environments/dev/us-east-1/01-infra/network/vpc/terragrunt.hcl";
const STAGING_VPC: &str = "environments/staging/us-east-1/01-infra/network/vpc";

/// `tglint check --format json FILES…` in the tree.
fn check(t: &Tree, files: &[&str]) -> Run {
    let mut args = vec!["check", "--format", "json"];
    args.extend(files);
    tglint(t, &args)
}

fn units(r: &Run) -> u64 {
    r.lines[0]["summary"]["units"].as_u64().unwrap()
}

fn diagnostics(r: &Run) -> Vec<Value> {
    r.lines[0]["diagnostics"]
        .as_array()
        .cloned()
        .unwrap_or_default()
}

/// `rule unit` of each diagnostic (`-` for no unit).
fn found(r: &Run) -> Vec<String> {
    diagnostics(r)
        .iter()
        .map(|d| {
            format!(
                "{} {}",
                d["rule"].as_str().unwrap(),
                d["unit"].as_str().unwrap_or("-")
            )
        })
        .collect()
}

/// Violations in dev, staging and prod, each in one unit's file.
fn with_violations(name: &str) -> Tree {
    let t = reference_copy(name);
    t.edit(
        DEV_RDS,
        "backup_retention_period = 7",
        "backup_retention_period = 3",
    )
    .edit(
        PROD_RDS,
        "monitoring_interval     = 60",
        "monitoring_interval     = 0",
    )
    .edit(
        "environments/staging/us-east-1/02-data/rds/terragrunt.hcl",
        r#""db.t3.small""#,
        r#""db.r6g.large""#,
    );
    t
}

#[test]
fn root_hcl_affects_every_unit() {
    let t = with_violations("changed-root");
    let r = check(&t, &["root.hcl"]);
    assert_eq!(units(&r), 15, "{}", r.stderr);
    assert_eq!(r.code, Some(1));
    let mut f = found(&r);
    f.sort();
    assert_eq!(
        f,
        [
            "backup-retention environments/dev/us-east-1/02-data/rds",
            "enhanced-monitoring environments/prod/us-east-1/02-data/rds",
            "instance-class environments/staging/us-east-1/02-data/rds",
        ]
    );
}

#[test]
fn env_hcl_affects_the_units_of_its_environment() {
    let t = with_violations("changed-env");
    let r = check(&t, &["environments/prod/env.hcl"]);
    assert_eq!(units(&r), 6, "prod has two regions of three units");
    assert_eq!(
        found(&r),
        ["enhanced-monitoring environments/prod/us-east-1/02-data/rds"]
    );
    let r = check(&t, &["environments/staging/us-east-1/region.hcl"]);
    assert_eq!(units(&r), 3);
    assert_eq!(
        found(&r),
        ["instance-class environments/staging/us-east-1/02-data/rds"]
    );
}

#[test]
fn a_unit_file_affects_its_unit() {
    let t = with_violations("changed-unit");
    let r = check(&t, &[DEV_RDS]);
    assert_eq!(units(&r), 1);
    assert_eq!(r.code, Some(1));
    assert_eq!(
        found(&r),
        ["backup-retention environments/dev/us-east-1/02-data/rds"]
    );
    // A clean unit: exit 0, though other units have findings.
    let r = check(&t, &[DEV_VPC]);
    assert_eq!(units(&r), 1);
    assert_eq!(r.code, Some(0));
    assert!(diagnostics(&r).is_empty(), "{:#?}", diagnostics(&r));
    // Several files: the union, each unit once.
    let r = check(&t, &[DEV_RDS, PROD_RDS, DEV_RDS]);
    assert_eq!(units(&r), 2);
    assert_eq!(found(&r).len(), 2, "{:#?}", found(&r));
}

#[test]
fn an_envcommon_file_affects_the_units_that_include_it() {
    let t = with_violations("changed-envcommon");
    let r = check(&t, &["_envcommon/data/rds.hcl"]);
    assert_eq!(units(&r), 5, "one RDS unit per environment and region");
    let mut f = found(&r);
    f.sort();
    assert_eq!(
        f,
        [
            "backup-retention environments/dev/us-east-1/02-data/rds",
            "enhanced-monitoring environments/prod/us-east-1/02-data/rds",
            "instance-class environments/staging/us-east-1/02-data/rds",
        ]
    );
}

#[test]
fn files_read_by_file_functions_affect_their_readers() {
    let t = with_violations("changed-file-fn");
    // A unit reads a JSON file; the ECS clusters' common file renders a template.
    t.file(
        &format!("{STAGING_VPC}/extra.json"),
        "{\"owner\": \"network\"}\n",
    )
    .edit(
        &format!("{STAGING_VPC}/terragrunt.hcl"),
        "inputs = {",
        "locals {\n  extra = jsondecode(file(\"extra.json\"))\n}\n\ninputs = {",
    )
    .file(
        "_envcommon/services/user-data.tpl",
        "#!/bin/sh\necho ${name}\n",
    )
    .edit(
        "_envcommon/services/ecs-cluster.hcl",
        "inputs = {",
        "inputs = {\n  user_data = templatefile(\"user-data.tpl\", { name = \"ecs\" })",
    );
    let clean = check(&t, &["."]);
    assert_eq!(units(&clean), 15);
    assert!(
        found(&clean).iter().all(|f| !f.contains("eval-error")),
        "{:#?}",
        found(&clean)
    );
    let r = check(&t, &[&format!("{STAGING_VPC}/extra.json")]);
    assert_eq!(units(&r), 1, "{:#?}", diagnostics(&r));
    let r = check(&t, &["_envcommon/services/user-data.tpl"]);
    assert_eq!(units(&r), 5);
    // A file no unit reads (a README) affects nothing.
    let r = check(&t, &["README.md"]);
    assert_eq!(units(&r), 0);
    assert_eq!(r.code, Some(0));
    assert!(diagnostics(&r).is_empty());
}

#[test]
fn a_file_nothing_reads_is_parsed_and_its_errors_reported() {
    let t = with_violations("changed-lone");
    t.file("environments/dev/notes.hcl", "locals {\n  x = \n}\n")
        .file("environments/prod/old.hcl", "this is { not hcl\n")
        .file("environments/dev/fine.hcl", "locals {\n  x = 1\n}\n");
    let r = check(&t, &["environments/dev/notes.hcl"]);
    assert_eq!(units(&r), 0, "not a unit");
    assert_eq!(r.code, Some(1));
    let d = diagnostics(&r);
    assert_eq!(d.len(), 1, "only the named file's error: {d:#?}");
    assert_eq!(d[0]["rule"], "parse-error");
    assert_eq!(d[0]["file"], "environments/dev/notes.hcl");
    assert!(d[0]["unit"].is_null());
    // The human summary counts the error, with no unit checked.
    let human = tglint(&t, &["check", "--no-color", "environments/dev/notes.hcl"]);
    assert_eq!(human.code, Some(1));
    assert!(
        human
            .stdout
            .ends_with("1 error, 0 warnings, 0 notes in 0 units\n"),
        "{}",
        human.stdout
    );
    // A lone file that parses: nothing to report.
    let r = check(&t, &["environments/dev/fine.hcl"]);
    assert_eq!((units(&r), r.code), (0, Some(0)));
    assert!(diagnostics(&r).is_empty(), "{:#?}", diagnostics(&r));
    // The whole tree reports both broken files.
    let all = check(&t, &["."]);
    let errors: Vec<Value> = diagnostics(&all)
        .into_iter()
        .filter(|d| d["rule"] == "parse-error")
        .collect();
    assert_eq!(errors.len(), 2, "{errors:#?}");
}

#[test]
fn tree_rules_see_the_whole_tree_and_report_what_involves_the_change() {
    let t = reference_copy("changed-tree-rules");
    // Staging's VPC takes dev's range: one finding, on staging's VPC (the later of the
    // two), pointing at dev's range.
    t.edit(
        "environments/staging/us-east-1/region.hcl",
        r#""10.20.0.0/16""#,
        r#""10.10.0.0/16""#,
    );
    let all = check(&t, &["."]);
    assert_eq!(found(&all), [format!("cidr-overlap {STAGING_VPC}")]);
    // Changing dev's VPC: checked alone, but the overlap involves it.
    let r = check(&t, &[DEV_VPC]);
    assert_eq!(units(&r), 1);
    assert_eq!(found(&r), [format!("cidr-overlap {STAGING_VPC}")]);
    assert_eq!(r.code, Some(1));
    // Dev's range, where the related label points.
    let r = check(&t, &["environments/dev/us-east-1/region.hcl"]);
    assert_eq!(units(&r), 3);
    assert_eq!(found(&r), [format!("cidr-overlap {STAGING_VPC}")]);
    // Staging's range.
    let r = check(&t, &["environments/staging/us-east-1/region.hcl"]);
    assert_eq!(found(&r), [format!("cidr-overlap {STAGING_VPC}")]);
    // A unit the overlap does not involve.
    let r = check(&t, &[PROD_RDS]);
    assert_eq!(units(&r), 1);
    assert!(found(&r).is_empty(), "{:#?}", found(&r));
    assert_eq!(r.code, Some(0));
    // A dependency that points up a layer: reported on the unit that depends; the target
    // changing involves it too.
    let t = reference_copy("changed-dependency-graph");
    t.edit(
        "_envcommon/data/rds.hcl",
        "../../01-infra/network/vpc",
        "../../03-services/ecs-cluster",
    );
    let target = "environments/dev/us-east-1/03-services/ecs-cluster/terragrunt.hcl";
    let r = check(&t, &[target]);
    assert_eq!(units(&r), 1);
    assert_eq!(
        found(&r),
        ["dependency-graph environments/dev/us-east-1/02-data/rds"]
    );
}

#[test]
fn the_policy_file_affects_every_unit() {
    let t = with_violations("changed-policy");
    t.file(
        ".tglint.hcl",
        "rule \"backup-retention\" {\n  severity = \"warning\"\n}\n",
    );
    let r = check(&t, &[".tglint.hcl"]);
    assert_eq!(units(&r), 15);
    assert_eq!(found(&r).len(), 3, "{:#?}", found(&r));
}

#[test]
fn directories_and_files_mix() {
    let t = with_violations("changed-mixed");
    let r = check(&t, &["environments/dev", PROD_RDS]);
    assert_eq!(units(&r), 4);
    let mut f = found(&r);
    f.sort();
    assert_eq!(
        f,
        [
            "backup-retention environments/dev/us-east-1/02-data/rds",
            "enhanced-monitoring environments/prod/us-east-1/02-data/rds",
        ]
    );
}

#[test]
fn a_deleted_file_affects_the_units_that_read_it() {
    let t = with_violations("changed-deleted");
    std::fs::remove_file(t.path("_envcommon/data/rds.hcl")).unwrap();
    let r = check(&t, &["_envcommon/data/rds.hcl"]);
    assert_eq!(units(&r), 5, "{}", r.stderr);
    let includes = found(&r)
        .iter()
        .filter(|f| f.starts_with("include-error"))
        .count();
    assert_eq!(includes, 5, "{:#?}", found(&r));
    // A path that nothing reads and that does not exist: most likely a typing mistake.
    let r = check(
        &t,
        &["environments/dev/us-east-1/02-data/rsd/terragrunt.hcl"],
    );
    assert_eq!(r.code, Some(2));
    assert!(r.stdout.is_empty());
    assert!(
        r.stderr
            .contains("rsd/terragrunt.hcl does not exist, and no unit reads it")
            && r.stderr.contains("--diff-filter=d"),
        "{}",
        r.stderr
    );
}

#[test]
fn a_suppression_used_by_a_unit_left_unchecked_is_not_called_unused() {
    let t = reference_copy("changed-suppression");
    // Encryption is required in protected environments only: the suppression is used by
    // the prod and uat databases, not by dev's.
    t.edit(
        "_envcommon/data/rds.hcl",
        "  storage_encrypted   = true",
        "  # tglint-ignore: encryption -- restored from encrypted snapshots\n  storage_encrypted   = false",
    );
    let all = check(&t, &["."]);
    assert!(
        found(&all).iter().all(|f| !f.starts_with("suppression")),
        "{:#?}",
        found(&all)
    );
    let r = check(&t, &[DEV_RDS]);
    assert_eq!(units(&r), 1);
    assert!(diagnostics(&r).is_empty(), "{:#?}", diagnostics(&r));
    // A suppression nothing uses, in a file a checked unit reads, is still reported.
    t.edit(
        DEV_RDS,
        "inputs = {",
        "inputs = {\n  # tglint-ignore: multi-az -- nothing to cover here\n",
    );
    let r = check(&t, &[DEV_RDS]);
    assert_eq!(found(&r), ["suppression -"], "{:#?}", diagnostics(&r));
}

#[test]
fn a_baseline_in_a_partial_run_knows_only_the_units_checked() {
    let t = with_violations("changed-baseline");
    let w = check(&t, &["--write-baseline", "b.json", "."]);
    assert_eq!(w.code, Some(1));
    // prod's finding is fixed; dev's unit is what changed.
    t.edit(
        PROD_RDS,
        "monitoring_interval     = 0",
        "monitoring_interval     = 60",
    );
    let r = check(&t, &["--baseline", "b.json", DEV_RDS]);
    assert_eq!(r.code, Some(0));
    assert!(diagnostics(&r).is_empty(), "{:#?}", diagnostics(&r));
    assert_eq!(r.lines[0]["summary"]["baselined"], 1);
    // The fixed unit's run says the entry is stale.
    let r = check(&t, &["--baseline", "b.json", PROD_RDS]);
    assert_eq!(found(&r), ["baseline -"]);
    // A partial refresh keeps the entries of the units it did not check.
    let r = check(
        &t,
        &[
            "--baseline",
            "b.json",
            "--write-baseline",
            "b.json",
            PROD_RDS,
        ],
    );
    assert_eq!(r.code, Some(0), "{}", r.stderr);
    let b: Value = serde_json::from_str(&t.read("b.json")).unwrap();
    let rules: Vec<&str> = b["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["rule"].as_str().unwrap())
        .collect();
    assert_eq!(rules, ["backup-retention", "instance-class"]);
}
