//! The unit API rules stand on: `Unit::get` with its typed helpers, `Unit::chain` and
//! `chain_at` on the shapes a rule meets, `overridden`, `read_files` and `to_value`, on a
//! tree in the reference layout held in memory.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::Path;
use std::sync::Arc;
use tglint_model::diag::Label;
use tglint_model::fs::MemFs;
use tglint_model::load::{self, Tree};
use tglint_model::terragrunt::context::Options;
use tglint_model::unit::{Lookup, Typed, Unit, Via};

const ROOT_HCL: &str = r#"locals {
  env = read_terragrunt_config(find_in_parent_folders("env.hcl"))
}
remote_state {
  backend = "s3"
  config = {
    bucket  = "state-${local.env.locals.environment}"
    key     = "${path_relative_to_include()}/terraform.tfstate"
    encrypt = true
  }
}
inputs = {
  region = "us-east-1"
  tags   = { Owner = "platform" }
}
"#;

const ENV_HCL: &str = r#"locals {
  environment         = "prod"
  deletion_protection = false
}
"#;

const RDS_HCL: &str = r#"locals {
  env = read_terragrunt_config(find_in_parent_folders("env.hcl"))
}
terraform {
  source = "tfr:///terraform-aws-modules/rds/aws?version=6.1.0"
}
inputs = {
  deletion_protection = local.env.locals.deletion_protection
  multi_az            = "true"
  instance_class      = "db.t3.micro"
  tags                = { Team = "data" }
}
"#;

const UNIT_HCL: &str = r#"include "root" {
  path = find_in_parent_folders("root.hcl")
}
include "envcommon" {
  path           = "${dirname(find_in_parent_folders("root.hcl"))}/_envcommon/data/rds.hcl"
  merge_strategy = "deep"
}
locals {
  policy = file("policy.json")
}
dependency "vpc" {
  config_path  = "../vpc"
  mock_outputs = { vpc_id = "vpc-123" }
}
inputs = {
  instance_class = "db.r6g.large"
  vpc_id         = dependency.vpc.outputs.vpc_id
  secret         = run_cmd("cat", "secret.txt")
  storage        = 100
  tags           = { Name = "orders-db" }
}
"#;

const UNIT: &str = "environments/prod/us-east-1/rds";

fn tree() -> Tree {
    let fs = MemFs::new()
        .file("/r/root.hcl", ROOT_HCL)
        .file("/r/environments/prod/env.hcl", ENV_HCL)
        .file("/r/_envcommon/data/rds.hcl", RDS_HCL)
        .file(format!("/r/{UNIT}/terragrunt.hcl"), UNIT_HCL)
        .file(format!("/r/{UNIT}/policy.json"), "{}")
        .file(
            "/r/environments/prod/us-east-1/vpc/terragrunt.hcl",
            "inputs = {}\n",
        );
    load::load(Arc::new(fs), Path::new("/r"), Options::default())
}

fn unit(t: &Tree) -> &Unit {
    let u = t.unit(UNIT).expect("the rds unit");
    assert!(u.diagnostics.is_empty(), "{:#?}", u.diagnostics);
    u
}

/// `file:line note` of each label.
fn labels(t: &Tree, ls: &[Label]) -> Vec<String> {
    ls.iter()
        .map(|l| {
            let (line, _) = t.cache.line_col(l.file, l.start);
            format!(
                "{}:{line} {}",
                t.rel(l.file),
                l.note.clone().unwrap_or_default()
            )
        })
        .collect()
}

fn at(t: &Tree, l: Lookup<'_>) -> String {
    let o = l.origin().expect("an origin");
    let (line, _) = t.cache.line_col(o.span.file, o.span.start);
    format!("{}:{line}", t.rel(o.span.file))
}

#[test]
fn get_tells_missing_unknown_known_and_wrong_types_apart() {
    let t = tree();
    let u = unit(&t);
    assert!(matches!(u.get("inputs.nope"), Lookup::Missing));
    assert!(matches!(u.get("inputs.tags.nope"), Lookup::Missing));
    assert!(matches!(u.get("inputs.storage.deeper"), Lookup::Missing));
    assert!(matches!(u.get("nothing.at.all"), Lookup::Missing));
    assert!(matches!(u.get("not a path"), Lookup::Missing));
    match u.get("inputs.secret") {
        Lookup::Unknown { reason, origin } => {
            assert!(reason.contains("run_cmd"), "{reason}");
            assert!(origin.is_some());
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(
        u.get("inputs.storage").num().known().map(|n| n.to_string()),
        Some("100".into())
    );
    match u.get("inputs.storage").bool() {
        Typed::WrongType { expected, value } => {
            assert_eq!(expected, "bool");
            assert_eq!(value.to_string(), "100");
        }
        other => panic!("{other:?}"),
    }
    // Terraform's conversions: "true" is a bool for a bool variable.
    assert_eq!(u.get("inputs.multi_az").bool().known(), Some(true));
    assert_eq!(
        u.get("inputs.multi_az").str().known().as_deref(),
        Some("true")
    );
    assert!(u.get("inputs.nope").bool().is_missing());
    assert!(matches!(u.get("inputs.tags").map(), Typed::Known { .. }));
    assert!(matches!(
        u.get("inputs.region").list(),
        Typed::WrongType { .. }
    ));
}

#[test]
fn get_reads_through_a_deep_merge_and_read_terragrunt_config() {
    let t = tree();
    let u = unit(&t);
    // Deep merge (envcommon): the tags of _envcommon and of the unit together; then the
    // shallow merge of root.hcl's inputs, whose `tags` the merged ones replace whole.
    assert_eq!(
        u.get(r#"inputs.tags["Name"]"#).str().known().as_deref(),
        Some("orders-db")
    );
    assert_eq!(
        at(&t, u.get("inputs.tags.Team")),
        "_envcommon/data/rds.hcl:11"
    );
    assert!(matches!(u.get(r#"inputs.tags["Owner"]"#), Lookup::Missing));
    // Read from env.hcl by _envcommon through read_terragrunt_config: defined in env.hcl.
    assert_eq!(
        u.get("inputs.deletion_protection").bool().known(),
        Some(false)
    );
    assert_eq!(
        at(&t, u.get("inputs.deletion_protection")),
        "environments/prod/env.hcl:3"
    );
    assert_eq!(
        u.get("remote_state.config.bucket").str().known().as_deref(),
        Some("state-prod")
    );
    assert_eq!(
        u.get("remote_state.config.encrypt").bool().known(),
        Some(true)
    );
    assert_eq!(
        u.get("dependency.vpc.config_path").str().known().as_deref(),
        Some("../vpc")
    );
    assert_eq!(
        u.module()
            .map(|m| (m.address.as_str(), m.version.as_deref())),
        Some(("terraform-aws-modules/rds/aws", Some("6.1.0")))
    );
    assert_eq!(
        u.get("terraform.source").str().known().as_deref(),
        Some("tfr:///terraform-aws-modules/rds/aws?version=6.1.0")
    );
}

#[test]
fn chain_on_the_shapes_a_rule_meets() {
    let t = tree();
    let u = unit(&t);
    // Set in the unit itself.
    assert_eq!(
        labels(&t, &u.chain_at("inputs.storage")),
        [format!("{UNIT}/terragrunt.hcl:19 set here")]
    );
    // Inherited from _envcommon with a deep merge.
    assert_eq!(
        labels(&t, &u.chain_at("inputs.tags.Team")),
        [
            "_envcommon/data/rds.hcl:11 set here".to_string(),
            format!(
                "{UNIT}/terragrunt.hcl:4 included here as \"envcommon\" (merge_strategy = deep)"
            ),
        ]
    );
    // Read from env.hcl through read_terragrunt_config by the _envcommon file (root.hcl
    // reads env.hcl too, but the value came through _envcommon).
    assert_eq!(
        labels(&t, &u.chain_at("inputs.deletion_protection")),
        [
            "environments/prod/env.hcl:3 set here".to_string(),
            "_envcommon/data/rds.hcl:2 read here with read_terragrunt_config".to_string(),
            format!(
                "{UNIT}/terragrunt.hcl:4 included here as \"envcommon\" (merge_strategy = deep)"
            ),
        ]
    );
    // The shortest way, when only the origin is known: through root.hcl, included first.
    let o = u.get("inputs.deletion_protection").origin().unwrap();
    assert_eq!(
        labels(&t, &u.chain(&o)),
        [
            "environments/prod/env.hcl:3 set here".to_string(),
            "root.hcl:2 read here with read_terragrunt_config".to_string(),
            format!("{UNIT}/terragrunt.hcl:1 included here as \"root\" (merge_strategy = shallow)"),
        ]
    );
    // From mock_outputs.
    assert_eq!(
        labels(&t, &u.chain_at("inputs.vpc_id")),
        [format!(
            "{UNIT}/terragrunt.hcl:13 set here, in mock_outputs"
        )]
    );
    assert!(u.get("inputs.vpc_id").origin().is_some_and(|o| o.mock));
    // A value of root.hcl.
    assert_eq!(
        labels(&t, &u.chain_at("remote_state.config.encrypt")),
        [
            "root.hcl:9 set here".to_string(),
            format!("{UNIT}/terragrunt.hcl:1 included here as \"root\" (merge_strategy = shallow)"),
        ]
    );
    // Missing: no chain.
    assert!(u.chain_at("inputs.nope").is_empty());
}

#[test]
fn overridden_names_the_parent_value_the_unit_replaced() {
    let t = tree();
    let u = unit(&t);
    assert_eq!(
        u.get("inputs.instance_class").str().known().as_deref(),
        Some("db.r6g.large")
    );
    assert_eq!(
        labels(&t, &u.overridden("inputs.instance_class")),
        [
            "_envcommon/data/rds.hcl:10 overridden: this value, from include \"envcommon\" (merge_strategy = deep), is replaced"
        ]
    );
    // A shallow merge replaces a parent's map whole.
    assert_eq!(
        labels(&t, &u.overridden(r#"inputs.tags["Owner"]"#)),
        [
            "root.hcl:14 overridden: this value, from include \"root\" (merge_strategy = shallow), is replaced"
        ]
    );
    assert!(u.overridden("inputs.storage").is_empty());
}

#[test]
fn read_files_lists_what_the_resolution_read() {
    let t = tree();
    let u = unit(&t);
    let files: Vec<String> = u
        .read_files()
        .into_iter()
        .map(|p| p.display().to_string())
        .collect();
    for want in [
        "/r/root.hcl",
        "/r/environments/prod/env.hcl",
        "/r/_envcommon/data/rds.hcl",
        "/r/environments/prod/us-east-1/rds/terragrunt.hcl",
        "/r/environments/prod/us-east-1/rds/policy.json",
    ] {
        assert!(files.iter().any(|f| f == want), "{want} not in {files:#?}");
    }
    // find_in_parent_folders("env.hcl") looked in us-east-1/ first, where there is none:
    // a file created there would change the unit, so it counts.
    assert!(
        files
            .iter()
            .any(|f| f == "/r/environments/prod/us-east-1/env.hcl"),
        "{files:#?}"
    );
    let probes: Vec<&str> = u
        .reads
        .iter()
        .filter(|r| r.via == Via::FindInParentFolders)
        .filter_map(|r| r.target.to_str())
        .collect();
    assert!(
        probes.contains(&"/r/environments/prod/us-east-1/root.hcl"),
        "{probes:#?}"
    );
    assert!(probes.contains(&"/r/environments/root.hcl"), "{probes:#?}");
    let vpc = t.unit("environments/prod/us-east-1/vpc").unwrap();
    assert_eq!(vpc.read_files().len(), 1, "{:?}", vpc.read_files());
}

#[test]
fn to_value_is_the_object_policy_checks_see() {
    let t = tree();
    let u = unit(&t);
    let v = u.to_value();
    let m = v.as_map().unwrap();
    assert_eq!(m["path"].as_str(), Some(UNIT));
    assert_eq!(
        m["file"].as_str(),
        Some(format!("{UNIT}/terragrunt.hcl").as_str())
    );
    assert_eq!(m["module"].as_str(), Some("terraform-aws-modules/rds/aws"));
    assert_eq!(m["version"].as_str(), Some("6.1.0"));
    assert!(m["environment"].is_null());
    let inputs = m["inputs"].as_map().unwrap();
    assert_eq!(inputs["storage"].to_string(), "100");
    let deps = m["dependencies"].as_seq().unwrap();
    assert_eq!(
        deps[0].as_map().unwrap()["target"].as_str(),
        Some("environments/prod/us-east-1/vpc")
    );
    let includes = m["includes"].as_seq().unwrap();
    assert_eq!(
        includes[1].as_map().unwrap()["merge_strategy"].as_str(),
        Some("deep")
    );
}

/// A rule written the way every rule will be: look up, match on the answer, report at the
/// origin with the chain. It touches no `Value` internals and no strings of the model.
fn deletion_protection(u: &Unit) -> Vec<tglint_model::diag::Diagnostic> {
    use tglint_model::diag::{Diagnostic, Label, RuleId, Severity};
    let rule = RuleId::new_static("deletion-protection");
    let path = "inputs.deletion_protection";
    let at_inputs = || {
        u.inputs
            .as_ref()
            .and_then(|v| v.origin)
            .map(|o| Label::new(o.span))
    };
    match u.get(path).bool() {
        Typed::Known { value: true, .. } => Vec::new(),
        Typed::Known { value: false, at } => {
            let o = at.origin.expect("an origin");
            vec![
                Diagnostic::finding(
                    rule,
                    Severity::Error,
                    "deletion_protection = false",
                    Label::new(o.span),
                )
                .with_related(u.chain_at(path).into_iter().skip(1).collect()),
            ]
        }
        Typed::Unknown { reason, origin } => vec![Diagnostic::finding(
            rule,
            Severity::Info,
            format!("cannot verify deletion_protection because {reason}"),
            origin
                .map(|o| Label::new(o.span))
                .or_else(at_inputs)
                .expect("a place"),
        )],
        Typed::Missing | Typed::Null(_) => vec![Diagnostic::finding(
            rule,
            Severity::Error,
            "deletion_protection is not set; the module default is false",
            at_inputs().expect("inputs"),
        )],
        Typed::WrongType { value, .. } => vec![Diagnostic::finding(
            rule,
            Severity::Error,
            "deletion_protection must be a bool",
            Label::new(value.origin.expect("an origin").span),
        )],
    }
}

#[test]
fn a_rule_stands_on_the_api_alone() {
    let t = tree();
    let found = deletion_protection(unit(&t));
    assert_eq!(found.len(), 1);
    let d = &found[0];
    assert_eq!(d.rule, "deletion-protection");
    // Reported where the value was defined, with the way it came to the unit.
    assert_eq!(
        labels(&t, std::slice::from_ref(&d.primary)),
        ["environments/prod/env.hcl:3 "]
    );
    assert_eq!(
        labels(&t, &d.related),
        [
            "_envcommon/data/rds.hcl:2 read here with read_terragrunt_config".to_string(),
            format!(
                "{UNIT}/terragrunt.hcl:4 included here as \"envcommon\" (merge_strategy = deep)"
            ),
        ]
    );
    // A unit that does not set it: the module default, at the inputs that lack it.
    let vpc = t.unit("environments/prod/us-east-1/vpc").unwrap();
    let found = deletion_protection(vpc);
    assert_eq!(
        found[0].message,
        "deletion_protection is not set; the module default is false"
    );
    assert_eq!(
        labels(&t, std::slice::from_ref(&found[0].primary)),
        ["environments/prod/us-east-1/vpc/terragrunt.hcl:1 "]
    );
}
