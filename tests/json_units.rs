//! HCL-JSON units end to end: `check` reads their values and shows the JSON lines in its
//! excerpts, `render DIR` picks `terragrunt.hcl.json` as Terragrunt does, and a changed JSON
//! file names its unit.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::*;

const UNIT: &str = r#"{
  "//": "remote state given in JSON",
  "remote_state": {
    "backend": "s3",
    "config": {
      "bucket": "state",
      "key": "${path_relative_to_include()}/terraform.tfstate",
      "region": "eu-west-1"
    }
  },
  "inputs": {"environment": "dev"}
}
"#;

fn tree(name: &str) -> Tree {
    let t = Tree::new(name);
    t.file("live/app/terragrunt.hcl.json", UNIT);
    t
}

#[test]
fn check_reports_on_json_units_with_json_excerpts() {
    let t = tree("json-check");
    let r = tglint(&t, &["check", "live"]);
    assert_eq!(r.code, Some(1), "{}\n{}", r.stdout, r.stderr);
    // The finding points at the JSON `config` object and quotes its lines.
    assert!(
        r.stdout.contains("remote_state does not set encrypt"),
        "{}",
        r.stdout
    );
    assert!(
        r.stdout.contains("[live/app/terragrunt.hcl.json:5:"),
        "{}",
        r.stdout
    );
    assert!(r.stdout.contains(r#""bucket": "state","#), "{}", r.stdout);
    let j = tglint(&t, &["check", "live", "--format", "json"]);
    let text = j.stdout;
    assert!(
        text.contains(r#""file": "live/app/terragrunt.hcl.json""#),
        "{text}"
    );
    assert!(!text.contains("unsupported"), "{text}");
}

#[test]
fn render_of_a_directory_picks_the_json_unit() {
    let t = tree("json-render");
    t.file(
        "live/app/terragrunt.hcl",
        "inputs = { environment = \"hcl\" }\n",
    );
    let r = tglint(&t, &["render", "live/app"]);
    assert_eq!(r.code, Some(0), "{}", r.stderr);
    let u = &r.lines[0];
    assert_eq!(u["file"], "live/app/terragrunt.hcl.json");
    assert_eq!(u["inputs"]["environment"], "dev");
    // Without an include, path_relative_to_include() is ".".
    assert_eq!(u["remote_state"]["config"]["key"], "./terraform.tfstate");
    // `render --all` lists the directory once, and says the HCL file is not evaluated.
    let r = render_all(&t, &[]);
    assert_eq!(r.units(), ["live/app"]);
    assert!(
        r.has("unsupported live/app/terragrunt.hcl:1 live/app/terragrunt.hcl is not evaluated"),
        "{:?}",
        r.diagnostics()
    );
}

#[test]
fn a_changed_json_unit_file_checks_its_unit() {
    let t = tree("json-changed");
    let r = tglint(
        &t,
        &["check", "live/app/terragrunt.hcl.json", "--format", "json"],
    );
    assert_eq!(r.code, Some(1), "{}\n{}", r.stdout, r.stderr);
    assert!(
        r.stdout.contains("remote_state does not set encrypt"),
        "{}",
        r.stdout
    );
}
