//! The run cache of changed-files runs (docs/cache.md): a run that loads only the units
//! the changes affect and those their findings may involve reports what a run without
//! the cache (`--no-cache`, which loads every unit) reports — on the reference tree, on
//! it with violations, on the twelve real trees of the corpus, and after edits the cache
//! did not see: a changed value that makes a finding with a unit the run did not need
//! before (a CIDR overlap, a shared state key), a file added where `find_in_parent_folders`
//! looks, a unit removed that another depends on, a unit added.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::{Run, Tree, real_trees, reference, tglint};
use serde_json::Value;
use std::path::Path;
use std::time::{Duration, SystemTime};

const DEV_VPC: &str = "environments/dev/us-east-1/01-infra/network/vpc/terragrunt.hcl";
const DEV_CLUSTER: &str = "environments/dev/us-east-1/03-services/ecs-cluster/terragrunt.hcl";
const PROD_EU_RDS: &str = "environments/prod/eu-west-1/02-data/rds/terragrunt.hcl";
const PROD_EU_RDS_KEY: &str = "environments/prod/eu-west-1/02-data/rds/key.txt";

/// A copy of `src` (a work tree of its own), its files and directories dated an hour ago:
/// the run cache keeps nothing that changed in the second before a run (it could be
/// changing still), and a copy made now would be all that.
fn copy(src: &Path, name: &str) -> Tree {
    let t = Tree::new(name);
    let mut stack = vec![src.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            let rel = p.strip_prefix(src).unwrap().to_str().unwrap().to_string();
            let m = std::fs::symlink_metadata(&p).unwrap();
            if m.is_symlink() {
                t.link(std::fs::read_link(&p).unwrap(), &rel);
            } else if m.is_dir() {
                std::fs::create_dir_all(t.path(&rel)).unwrap();
                stack.push(p);
            } else {
                t.file(&rel, std::fs::read(&p).unwrap());
            }
        }
    }
    backdate(&t);
    t
}

/// Dates every file and directory of the tree an hour ago (links are left alone).
fn backdate(t: &Tree) {
    let then = SystemTime::now() - Duration::from_secs(3600);
    let mut stack = vec![t.dir.clone()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            let m = std::fs::symlink_metadata(&p).unwrap();
            if m.is_symlink() {
                continue;
            }
            if m.is_dir() {
                stack.push(p.clone());
            }
            std::fs::File::open(&p).unwrap().set_modified(then).unwrap();
        }
        std::fs::File::open(&d).unwrap().set_modified(then).unwrap();
    }
}

/// `tglint check --format json FILE… --root TREE --fail-on never`, plus `extra`.
fn check(t: &Tree, files: &[&str], extra: &[&str]) -> Run {
    let root = t.dir.to_str().unwrap();
    let mut args = vec![
        "check",
        "--format",
        "json",
        "--fail-on",
        "never",
        "--root",
        root,
    ];
    args.extend(files);
    args.extend(extra);
    tglint(t, &args)
}

/// The report without the number of files read (a run that loads fewer units reads
/// fewer files; that is the point).
fn report(r: &Run) -> Value {
    assert_eq!(r.code, Some(0), "{}", r.stderr);
    let mut v = r.lines[0].clone();
    v["summary"].as_object_mut().unwrap().remove("files");
    v
}

/// The words of `--timings`' line before `marker` (" units loaded", " valid entries").
fn timings_before<'r>(r: &'r Run, marker: &str) -> Vec<&'r str> {
    let line = r
        .stderr
        .lines()
        .find(|l| l.starts_with("timings:"))
        .unwrap_or_else(|| panic!("no timings in {}", r.stderr));
    let at = line
        .find(marker)
        .unwrap_or_else(|| panic!("no run cache in {line}"));
    line[..at].split_whitespace().collect()
}

/// "K of N units loaded" from `--timings`.
fn loaded(r: &Run) -> (usize, usize) {
    let words = timings_before(r, " units loaded");
    let n = words.len();
    (words[n - 3].parse().unwrap(), words[n - 1].parse().unwrap())
}

/// "N valid entries" from `--timings`.
fn valid(r: &Run) -> usize {
    timings_before(r, " valid entries")
        .last()
        .unwrap()
        .parse()
        .unwrap()
}

/// The same report with the cache as without it, for `files`.
fn same_as_uncached(t: &Tree, files: &[&str]) -> Value {
    let cached = check(t, files, &["--timings"]);
    let uncached = check(t, files, &["--no-cache"]);
    let (a, b) = (report(&cached), report(&uncached));
    assert_eq!(
        a,
        b,
        "{files:?} in {}: the cached run differs\ncached:\n{a:#}\nuncached:\n{b:#}",
        t.dir.display()
    );
    a
}

/// A `remote_state` block in S3 with `bucket` and the key expression `key` (HCL).
fn remote_state(bucket: &str, key: &str) -> String {
    format!(
        "\nremote_state {{\n  backend = \"s3\"\n  config = {{\n    bucket = \"{bucket}\"\n    key    = {key}\n    region = \"us-east-1\"\n  }}\n}}\n"
    )
}

/// The unit files of the tree, in path order.
fn unit_files(t: &Tree) -> Vec<String> {
    let mut out = Vec::new();
    let mut stack = vec![t.dir.clone()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            let name = p.file_name().unwrap().to_str().unwrap_or("").to_string();
            if p.is_dir() && !p.is_symlink() && !name.starts_with('.') {
                stack.push(p);
            } else if name == "terragrunt.hcl" {
                out.push(rel(t, &p));
            }
        }
    }
    out.sort();
    out
}

fn rel(t: &Tree, p: &Path) -> String {
    p.strip_prefix(&t.dir)
        .unwrap()
        .to_str()
        .unwrap()
        .to_string()
}

/// Up to `n` of `items`, spread over them.
fn spread(items: &[String], n: usize) -> Vec<String> {
    if items.len() <= n {
        return items.to_vec();
    }
    (0..n).map(|i| items[i * items.len() / n].clone()).collect()
}

/// Primes the cache with a changed-files run (which loads every unit the first time),
/// then compares cached and uncached runs for each of `files`.
fn compare_all(t: &Tree, files: &[String]) {
    let Some(first) = files.first() else { return };
    let prime = check(t, &[first], &["--timings"]);
    assert_eq!(prime.code, Some(0), "{}", prime.stderr);
    for f in files {
        same_as_uncached(t, &[f]);
    }
}

#[test]
fn the_reference_tree_reports_the_same_and_loads_less() {
    let t = copy(&reference(), "cache-reference");
    let units = unit_files(&t);
    let mut files = units.clone();
    files.extend(
        [
            "environments/dev/env.hcl",
            "environments/prod/eu-west-1/region.hcl",
            "_envcommon/data/rds.hcl",
        ]
        .map(String::from),
    );
    compare_all(&t, &files);
    // A service unit of dev loads its dependency component (its region's VPC, RDS and
    // cluster), not the other environments.
    let r = check(&t, &[DEV_CLUSTER], &["--timings"]);
    let (k, n) = loaded(&r);
    assert_eq!(n, units.len());
    assert!(k < n, "{k} of {n} loaded:\n{}", r.stderr);
    // A VPC loads every VPC (their CIDRs are compared) and its component.
    let r = check(&t, &[DEV_VPC], &["--timings"]);
    let (k, _) = loaded(&r);
    assert!(k >= 5 && k < n, "{k} of {n} loaded:\n{}", r.stderr);
}

#[test]
fn violations_and_findings_across_units_are_the_same() {
    let t = copy(&reference(), "cache-violations");
    compare_all(&t, &[DEV_VPC.to_string()]);
    // dev's VPC takes staging's range: an overlap with a VPC the cached run loads only
    // because VPCs share a key.
    std::fs::write(
        t.path(DEV_VPC),
        t.read(DEV_VPC) + "\ninputs = {\n  cidr = \"10.20.0.0/16\"\n}\n",
    )
    .unwrap();
    let r = same_as_uncached(&t, &[DEV_VPC]);
    let text = r.to_string();
    assert!(
        text.contains("cidr-overlap") && text.contains("environments/staging/us-east-1"),
        "{r:#}"
    );
    // dev's cluster keeps its state where prod eu-west-1's RDS does: another environment
    // and dependency component, found through the state key.
    std::fs::write(
        t.path(DEV_CLUSTER),
        t.read(DEV_CLUSTER)
            + &remote_state(
                "terragrunt-starter-prod-terraform-state",
                r#""environments/prod/eu-west-1/02-data/rds/terraform.tfstate""#,
            ),
    )
    .unwrap();
    let r = same_as_uncached(&t, &[DEV_CLUSTER]);
    let text = r.to_string();
    assert!(
        text.contains("state-key-unique") && text.contains("02-data/rds"),
        "{r:#}"
    );
    // And from the other side: prod eu-west-1's RDS, unchanged, finds the clash.
    let r = same_as_uncached(&t, &[PROD_EU_RDS]);
    assert!(r.to_string().contains("state-key-unique"), "{r:#}");
}

#[test]
fn files_added_and_units_removed_are_seen() {
    let t = copy(&reference(), "cache-edits");
    compare_all(&t, &[DEV_CLUSTER.to_string()]);
    // An env.hcl nearer the units than dev's: find_in_parent_folders finds it now.
    let near = "environments/dev/us-east-1/env.hcl";
    std::fs::write(
        t.path(near),
        t.read("environments/dev/env.hcl")
            .replace("\"dev\"", "\"prod\""),
    )
    .unwrap();
    same_as_uncached(&t, &[near]);
    same_as_uncached(&t, &[DEV_CLUSTER]);
    // The VPC the cluster and the RDS depend on goes: their dependencies lead nowhere.
    std::fs::remove_dir_all(t.path("environments/staging/us-east-1/01-infra")).unwrap();
    let r = same_as_uncached(
        &t,
        &["environments/staging/us-east-1/03-services/ecs-cluster/terragrunt.hcl"],
    );
    assert!(r.to_string().contains("dependency-graph"), "{r:#}");
    // A unit added beside the others, with prod's RDS state key.
    let added = "environments/uat/us-east-1/02-data/rds-copy/terragrunt.hcl";
    t.file(
        added,
        t.read("environments/uat/us-east-1/02-data/rds/terragrunt.hcl")
            + &remote_state(
                "terragrunt-starter-prod-terraform-state",
                r#""environments/prod/us-east-1/02-data/rds/terraform.tfstate""#,
            ),
    );
    let r = same_as_uncached(&t, &[added]);
    assert!(r.to_string().contains("state-key-unique"), "{r:#}");
    same_as_uncached(
        &t,
        &["environments/prod/us-east-1/02-data/rds/terragrunt.hcl"],
    );
}

#[test]
fn units_that_depend_on_a_checked_unit_are_loaded() {
    let t = copy(&reference(), "cache-dependents");
    // prod eu-west-1's VPC depends on dev's cluster: upwards and across environments, a
    // finding about the VPC that involves the cluster. Nothing the cluster reads or
    // depends on leads to the VPC: only the dependency followed backwards does.
    let vpc = "environments/prod/eu-west-1/01-infra/network/vpc/terragrunt.hcl";
    std::fs::write(
        t.path(vpc),
        t.read(vpc)
            + "\ndependency \"cluster\" {\n  config_path = \"../../../../../dev/us-east-1/03-services/ecs-cluster\"\n  mock_outputs = { arn = \"x\" }\n}\n",
    )
    .unwrap();
    backdate(&t);
    compare_all(&t, &[vpc.to_string()]);
    let r = same_as_uncached(&t, &[DEV_CLUSTER]);
    let text = r.to_string();
    assert!(
        text.contains("dependency-graph") && text.contains("eu-west-1"),
        "{r:#}"
    );
}

#[test]
fn changes_to_files_nobody_named_are_seen() {
    let t = copy(&reference(), "cache-unnamed");
    // prod eu-west-1's RDS keeps its state under a key read from a file beside it.
    t.file(
        PROD_EU_RDS_KEY,
        "environments/prod/eu-west-1/02-data/rds/terraform.tfstate\n",
    );
    std::fs::write(
        t.path(PROD_EU_RDS),
        t.read(PROD_EU_RDS)
            + &remote_state(
                "terragrunt-starter-dev-terraform-state",
                r#"trimspace(file("${get_terragrunt_dir()}/key.txt"))"#,
            ),
    )
    .unwrap();
    backdate(&t);
    compare_all(&t, &[DEV_CLUSTER.to_string()]);
    // The file now names dev's cluster's key: the RDS, whose cached keys are stale, is
    // loaded because what it read changed, and the clash is found.
    t.file(
        PROD_EU_RDS_KEY,
        "environments/dev/us-east-1/03-services/ecs-cluster/terraform.tfstate\n",
    );
    let r = same_as_uncached(&t, &[DEV_CLUSTER]);
    assert!(r.to_string().contains("state-key-unique"), "{r:#}");
    // A unit added that nobody names, with prod us-east-1's RDS state: a walk of the
    // cache's would not find it; the changed directory makes the run walk again.
    t.file(
        "environments/uat/us-east-1/02-data/rds-copy/terragrunt.hcl",
        t.read("environments/uat/us-east-1/02-data/rds/terragrunt.hcl")
            + &remote_state(
                "terragrunt-starter-prod-terraform-state",
                r#""environments/prod/us-east-1/02-data/rds/terraform.tfstate""#,
            ),
    );
    let r = same_as_uncached(
        &t,
        &["environments/prod/us-east-1/02-data/rds/terragrunt.hcl"],
    );
    assert!(r.to_string().contains("rds-copy"), "{r:#}");
    let (k, n) = loaded(&check(&t, &[DEV_CLUSTER], &["--timings"]));
    assert!(k < n, "{k} of {n} loaded");
}

#[test]
fn a_file_added_beside_a_unit_makes_its_entry_stale() {
    let t = copy(&reference(), "cache-beside");
    let n = unit_files(&t).len();
    compare_all(&t, &[DEV_CLUSTER.to_string()]);
    assert_eq!(valid(&check(&t, &[DEV_CLUSTER], &["--timings"])), n);
    // No read of the cluster's records this file (it is not one the unit looked for by
    // name): its directory's stamp is what tells.
    t.file(
        "environments/prod/eu-west-1/03-services/ecs-cluster/terragrunt.values.hcl",
        "size = 1\n",
    );
    assert_eq!(valid(&check(&t, &[DEV_CLUSTER], &["--timings"])), n - 1);
}

#[test]
fn every_real_tree_reports_the_same() {
    let Some(trees) = real_trees() else { return };
    for (i, src) in trees.iter().enumerate() {
        let t = copy(src, &format!("cache-real-{i}"));
        let units = unit_files(&t);
        let mut files = spread(&units, 8);
        // And a shared file, where there is one.
        for shared in ["root.hcl", "terragrunt.hcl", "common.hcl", "account.hcl"] {
            if t.path(shared).is_file() && !files.contains(&shared.to_string()) {
                files.push(shared.to_string());
                break;
            }
        }
        compare_all(&t, &files);
    }
}

#[test]
fn no_cache_and_an_unwritable_cache_leave_the_report_alone() {
    let t = copy(&reference(), "cache-unwritable");
    let blocker = t.dir.with_extension("not-a-dir");
    std::fs::write(&blocker, "a file where the cache directory would be").unwrap();
    let dir = blocker.join("cache");
    let r = check(&t, &[DEV_VPC], &["--cache-dir", dir.to_str().unwrap()]);
    assert!(
        r.stderr.contains("the run cache was not written"),
        "{}",
        r.stderr
    );
    let plain = check(&t, &[DEV_VPC], &["--no-cache", "--timings"]);
    assert!(plain.stderr.contains("no run cache"), "{}", plain.stderr);
    assert_eq!(report(&r), report(&plain));
    let _ = std::fs::remove_file(&blocker);
}
