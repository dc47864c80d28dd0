//! The per-field merge rules of spec §2.4 and errata 2, on in-memory trees.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use serde_json::{Value as J, json};
use std::path::Path;
use std::sync::Arc;
use tglint_model::fs::MemFs;
use tglint_model::load;
use tglint_model::terragrunt::context::Options;

const PARENT: &str = r#"
terraform {
  source          = "parent-source"
  include_in_copy = ["parent.*"]
  before_hook "fmt" {
    commands = ["plan"]
    execute  = ["echo", "parent"]
  }
  before_hook "lint" {
    commands = ["plan"]
    execute  = ["echo", "lint"]
  }
}

remote_state {
  backend = "s3"
  config = {
    bucket  = "parent"
    encrypt = true
  }
}

dependency "shared" {
  config_path = "../shared"
}

dependencies {
  paths = ["../shared", "../extra"]
}

generate "provider" {
  path      = "provider.tf"
  if_exists = "overwrite"
  contents  = "// parent"
}
"#;

const CHILD: &str = r#"
terraform {
  include_in_copy = ["child.*"]
  before_hook "fmt" {
    commands = ["apply"]
    execute  = ["echo", "child"]
  }
}

remote_state {
  backend = "gcs"
  config = {
    bucket = "child"
  }
}

dependencies {
  paths = ["../own"]
}

generate "provider" {
  path      = "provider.tf"
  if_exists = "overwrite"
  contents  = "// child"
}
"#;

fn render_with(strategy: &str) -> J {
    let unit = format!(
        "include \"p\" {{\n  path = \"../parent.hcl\"\n  merge_strategy = \"{strategy}\"\n}}\n{CHILD}"
    );
    let fs = MemFs::new()
        .file("/r/parent.hcl", PARENT)
        .file("/r/u/terragrunt.hcl", unit)
        .file("/r/shared/terragrunt.hcl", "")
        .file("/r/extra/terragrunt.hcl", "")
        .file("/r/own/terragrunt.hcl", "");
    let tree = load::load(Arc::new(fs), Path::new("/r"), Options::default());
    let u = tree.unit("u").expect("unit u");
    common::view(&tree, u)
}

#[test]
fn shallow_merge_per_field() {
    let j = render_with("shallow");
    // remote_state: the child's, whole.
    assert_eq!(j["remote_state"]["backend"], "gcs");
    assert_eq!(j["remote_state"]["config"], json!({ "bucket": "child" }));
    // terraform: the parent's source stays; hooks merge by label (child wins "fmt");
    // the child's include_in_copy is dropped when both have a terraform block.
    let tf = &j["terraform"];
    assert_eq!(tf["source"], "parent-source");
    assert_eq!(
        tf["before_hook"]["fmt"]["execute"],
        json!(["echo", "child"])
    );
    assert_eq!(
        tf["before_hook"]["lint"]["execute"],
        json!(["echo", "lint"])
    );
    assert_eq!(tf["include_in_copy"], json!(["parent.*"]));
    // dependencies.paths: the parent's first, then the child's.
    assert_eq!(
        j["dependency_paths"],
        json!(["../shared", "../extra", "../own"])
    );
    // The same generate label on both sides is an error under shallow merge.
    let dup = j["diagnostics"]
        .as_array()
        .map(|d| {
            d.iter().any(|x| {
                x["message"]
                    .as_str()
                    .unwrap_or("")
                    .contains("Detected generate blocks with the same name: [provider]")
            })
        })
        .unwrap_or(false);
    assert!(dup, "{}", j["diagnostics"]);
}

#[test]
fn deep_merge_per_field() {
    let j = render_with("deep");
    // remote_state is never deep-merged.
    assert_eq!(j["remote_state"]["config"], json!({ "bucket": "child" }));
    // include_in_copy: the child's first, then the parent's.
    assert_eq!(
        j["terraform"]["include_in_copy"],
        json!(["child.*", "parent.*"])
    );
    // generate: the child's block replaces the parent's, no error.
    assert_eq!(j["generate"]["provider"]["contents"], "// child");
    assert!(
        j["diagnostics"].as_array().is_some_and(|d| d.is_empty()),
        "{}",
        j["diagnostics"]
    );
    // dependencies.paths (errata 2): config_paths of parent dependency blocks the child
    // does not redeclare, the parent's other paths, then the child's.
    assert_eq!(
        j["dependency_paths"],
        json!(["../shared", "../extra", "../own"])
    );
}

#[test]
fn no_merge_keeps_only_the_unit() {
    let j = render_with("no_merge");
    assert_eq!(j["remote_state"]["backend"], "gcs");
    assert_eq!(j["terraform"]["source"], J::Null);
    assert_eq!(j["dependencies"], json!([]));
    assert_eq!(j["dependency_paths"], json!(["../own"]));
    assert_eq!(j["generate"]["provider"]["contents"], "// child");
}
