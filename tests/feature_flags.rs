//! `--feature NAME=VALUE` typed as Terragrunt types `TG_FEATURE` values: a bool default
//! parses the value with Go's `strconv.ParseBool` (a value that is no bool is exit 2,
//! naming the flag and the type); anything else stays a string; a flag no unit declares is
//! bound as a string and said on stderr.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::{Tree, render_all, tglint};

fn tree(name: &str) -> Tree {
    let t = Tree::new(name);
    t.file(
        "root.hcl",
        "feature \"enabled\" {\n  default = false\n}\nfeature \"size\" {\n  default = 1\n}\n",
    )
    .file(
        "app/terragrunt.hcl",
        r#"include "root" {
  path = find_in_parent_folders("root.hcl")
}
inputs = {
  enabled = feature.enabled.value
  size    = feature.size.value
  extra   = try(feature.extra.value, "none")
}
exclude {
  if      = feature.enabled.value
  actions = ["all"]
}
"#,
    );
    t
}

#[test]
fn defaults_apply_without_overrides() {
    let t = tree("ff-defaults");
    let r = render_all(&t, &[]);
    assert_eq!(r.code, Some(0), "{}", r.stderr);
    let u = r.unit("app");
    assert_eq!(u["inputs"]["enabled"], false);
    assert_eq!(u["inputs"]["size"], 1);
    assert_eq!(u["inputs"]["extra"], "none");
    assert_eq!(u["excluded"], false);
}

#[test]
fn overrides_are_typed_as_terragrunt_types_them() {
    let t = tree("ff-typed");
    let r = render_all(
        &t,
        &[
            "--feature",
            "enabled=TRUE",
            "--feature",
            "size=5",
            "--feature",
            "extra=x",
        ],
    );
    assert_eq!(r.code, Some(0), "{}", r.stderr);
    let u = r.unit("app");
    // strconv.ParseBool takes TRUE; the excluded unit is still shown.
    assert_eq!(u["inputs"]["enabled"], true);
    assert_eq!(u["excluded"], true);
    // A number default does not make the value a number: Terragrunt keeps the string.
    assert_eq!(u["inputs"]["size"], "5");
    // A flag no unit declares is bound all the same, as a string, and said on stderr.
    assert_eq!(u["inputs"]["extra"], "x");
    assert!(
        r.stderr
            .contains("--feature extra: no unit declares feature \"extra\""),
        "{}",
        r.stderr
    );
}

#[test]
fn a_value_that_is_no_bool_is_a_usage_error() {
    let t = tree("ff-bad");
    for args in [
        vec!["render", "--all", ".", "--feature", "enabled=maybe"],
        vec!["render", "app", "--feature", "enabled=maybe"],
        vec!["check", ".", "--feature", "enabled=maybe"],
    ] {
        let r = tglint(&t, &args);
        assert_eq!(r.code, Some(2), "{args:?}: {}", r.stderr);
        assert!(
            r.stderr
                .contains("--feature enabled=maybe: feature \"enabled\" has a bool default")
                && r.stderr.contains("give true or false"),
            "{args:?}: {}",
            r.stderr
        );
    }
}
