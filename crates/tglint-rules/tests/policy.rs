//! Loading policy: the embedded pack loads clean; a user file extends and overrides it
//! attribute by attribute; every unknown block, attribute, rule id, option or value is a
//! `policy-error` at its line naming the closest valid one.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::Path;
use std::sync::Arc;
use tglint_model::fs::MemFs;
use tglint_model::source::SourceCache;
use tglint_rules::policy::{self, Policy};
use tglint_rules::{Level, RULES};

fn cache() -> SourceCache {
    SourceCache::new(Arc::new(MemFs::new()), Path::new("/r"), false)
}

/// Loads the embedded pack and `user`; the policy and `line: message` of each error.
fn load(user: &str) -> (Policy, Vec<String>) {
    let c = cache();
    let (p, diags) = policy::load_files(&c, Some((Path::new("/r/.tglint.hcl"), user)), RULES);
    let errors = diags
        .iter()
        .map(|d| {
            assert_eq!(d.rule, "policy-error");
            let (line, _) = c.line_col(d.primary.file, d.primary.start);
            format!(
                "{}:{line}: {}",
                c.get(d.primary.file).unwrap().rel,
                d.message
            )
        })
        .collect();
    (p, errors)
}

#[test]
fn the_embedded_pack_loads_clean() {
    let (p, errors) = load("");
    assert!(errors.is_empty(), "{errors:#?}");
    let kinds: Vec<&str> = p.environments.iter().map(|e| e.kind.as_str()).collect();
    assert_eq!(kinds, ["dev", "staging", "uat", "prod"]);
    assert_eq!(
        p.kind_of("prod-0003").map(|e| e.kind.as_str()),
        Some("prod")
    );
    assert_eq!(
        p.kind_of("production").map(|e| e.kind.as_str()),
        Some("prod")
    );
    assert_eq!(p.kind_of("stage").map(|e| e.kind.as_str()), Some("staging"));
    assert_eq!(
        p.kind_of("development").map(|e| e.kind.as_str()),
        Some("dev")
    );
    assert!(p.kind_of("sandbox").is_none());
    assert!(p.environment("prod").unwrap().protected);
    assert!(!p.environment("dev").unwrap().protected);
    assert_eq!(p.modules["vpc"].version.as_deref(), Some("5.17.0"));
}

#[test]
fn a_user_file_extends_and_overrides() {
    let (p, errors) = load(
        r#"
environment "prod" {
  regions = ["us-east-1"]
}
environment "sandbox" {
  match = ["sbx-*"]
}
rule "deletion-protection" {
  severity = "warning"
}
module "vpc" {
  version = "6.6.0"
}
exclude = ["legacy/**"]
"#,
    );
    assert!(errors.is_empty(), "{errors:#?}");
    let prod = p.environment("prod").unwrap();
    assert_eq!(prod.regions, ["us-east-1"]);
    // What the user did not set stays as the pack set it.
    assert!(prod.protected);
    assert!(prod.matches("prod-eu"));
    assert_eq!(
        p.kind_of("sbx-42").map(|e| e.kind.as_str()),
        Some("sandbox")
    );
    let dp = tglint_rules::registry::rule("deletion-protection").unwrap();
    assert_eq!(p.level(dp), Level::Warning);
    assert_eq!(p.modules["vpc"].version.as_deref(), Some("6.6.0"));
    assert_eq!(p.modules["vpc"].address, "terraform-aws-modules/vpc/aws");
    assert!(p.excluded("legacy/old/unit"));
    assert!(!p.excluded("environments/prod/us-east-1/vpc"));
}

#[test]
fn unknown_names_are_errors_with_the_closest_valid_one() {
    let (_, errors) = load(
        r#"
enviroment "prod" {}
environment "prod" {
  protect = true
}
rule "deletion-protecton" {}
rule "deletion-protection" {
  severity = "eror"
  extra    = 1
}
module "rds" {
  adress = "x"
}
excludes = []
check "x" {
  conditon = true
}
"#,
    );
    let want = [
        ".tglint.hcl:2: unknown block `enviroment` in a policy file. Did you mean \"environment\"?",
        ".tglint.hcl:4: unknown attribute `protect` in an environment block. Did you mean \"protected\"?",
        ".tglint.hcl:6: unknown rule `deletion-protecton`. Did you mean \"deletion-protection\"?",
        ".tglint.hcl:8: severity `eror` is not one of error, warning, info, off. Did you mean \"error\"?",
        ".tglint.hcl:12: unknown attribute `adress` in a module block. Did you mean \"address\"?",
        ".tglint.hcl:14: unknown attribute `excludes` at the top of a policy file. Did you mean \"exclude\"?",
        ".tglint.hcl:16: unknown attribute `conditon` in a check block. Did you mean \"condition\"?",
        ".tglint.hcl:15: check \"x\" needs a `condition`",
        ".tglint.hcl:7: rule \"deletion-protection\": unknown option `extra`: the rule takes no options",
    ];
    for w in want {
        assert!(
            errors.iter().any(|e| e == w),
            "missing `{w}` in {errors:#?}"
        );
    }
}

#[test]
fn values_must_be_constants_of_the_right_type() {
    let (_, errors) = load(
        r#"
environment "prod" {
  protected = "yes"
  regions   = "us-east-1"
  match     = ["[bad"]
}
rule "deletion-protection" {
  enabled = get_env("X")
}
check "dup" {
  condition = true
}
check "dup" {
  condition = true
}
check "deletion-protection" {
  condition = true
}
"#,
    );
    for w in [
        ".tglint.hcl:3: `protected` must be a bool, not string",
        ".tglint.hcl:4: `regions` must be a list of strings",
        ".tglint.hcl:13: a check named \"dup\" is already defined",
        ".tglint.hcl:16: a check may not take the name of a rule (`deletion-protection`)",
    ] {
        assert!(
            errors.iter().any(|e| e == w),
            "missing `{w}` in {errors:#?}"
        );
    }
    assert!(
        errors
            .iter()
            .any(|e| e.starts_with(".tglint.hcl:5: `match`: invalid glob `[bad`")),
        "{errors:#?}"
    );
    // get_env is not a Terraform function: policy values are evaluated without Terragrunt.
    assert!(
        errors
            .iter()
            .any(|e| e.starts_with(".tglint.hcl:8: `enabled`:")),
        "{errors:#?}"
    );
}

#[test]
fn a_syntax_error_in_the_policy_is_a_policy_error_at_its_place() {
    let (_, errors) = load("rule \"deletion-protection\" {\n  severity = \"error\n}\n");
    assert_eq!(errors.len(), 1, "{errors:#?}");
    assert!(
        errors[0].starts_with(".tglint.hcl:2: unterminated string"),
        "{errors:#?}"
    );
}
