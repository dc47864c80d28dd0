//! Conformance with Terragrunt: every case of
//! `$TGLINT_CORPUS/terragrunt-fixtures/EXPECTED.md`, HCL and HCL-JSON (case 8 and the JSON
//! half of case 22), resolved with the fixtures directory as the root, asserting the
//! expected values.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::*;
use serde_json::{Value as J, json};
use std::path::PathBuf;
use std::sync::Arc;
use tglint_model::fs::MemFs;
use tglint_model::terragrunt::context::Options;

/// `<corpus>/terragrunt-fixtures/test/fixtures`, or `None` (skip) without a corpus.
fn fixtures() -> Option<PathBuf> {
    corpus().map(|c| c.join("terragrunt-fixtures/test/fixtures"))
}

fn inline(name: &str) -> Option<String> {
    let c = corpus()?;
    std::fs::read_to_string(c.join("terragrunt-fixtures/_inline").join(name)).ok()
}

fn unk(j: &J) -> bool {
    j.get("$unknown").is_some()
}

/// The inputs every include-multiple case resolves to (EXPECTED case 2).
fn multiple_include_inputs() -> J {
    json!({
        "attribute": "mock",
        "new_attribute": "new val",
        "old_attribute": "old val",
        "list_attr": ["hello", "mock", "foo"],
        "map_attr": { "foo": "bar", "bar": "baz", "test": "new val" },
        "dep_out": {
            "attribute": "mock", "new_attribute": "new val", "old_attribute": "old val",
            "list_attr": ["hello", "mock", "foo"], "map_attr": { "foo": "bar", "bar": "baz" }
        }
    })
}

#[test]
fn case01_include_deep() {
    let Some(f) = fixtures() else { return };
    let j = render_unit(&f, "include-deep/child");
    assert_eq!(
        j["inputs"],
        json!({
            "attribute": "mock", "new_attribute": "new val", "old_attribute": "old val",
            "list_attr": ["hello", "mock"],
            "map_attr": { "foo": "bar", "bar": "baz", "test": "new val" },
            "dep_out": {
                "attribute": "mock", "new_attribute": "new val", "old_attribute": "old val",
                "list_attr": ["hello", "mock"], "map_attr": { "foo": "bar", "bar": "baz" }
            }
        })
    );
    let dep = &j["dependencies"][0];
    assert_eq!(dep["config_path"], "../vpc");
    assert_eq!(dep["target"], "include-deep/vpc");
    // Values from mock outputs are tagged in origins.
    assert_eq!(j["origins"]["inputs.dep_out.attribute"]["mock"], true);
    assert!(diags(&j, "eval-error").is_empty(), "{:?}", j["diagnostics"]);
}

#[test]
fn cases02_to_07_include_multiple() {
    let Some(f) = fixtures() else { return };
    for case in [
        "shallow-merge",
        "deep-merge-nonoverlapping",
        "deep-merge-overlapping",
        "shallow-deep-merge-overlapping",
        "expose",
        "has-bare-include",
    ] {
        let j = render_unit(&f, &format!("include-multiple/{case}/child"));
        assert_eq!(j["inputs"], multiple_include_inputs(), "case {case}");
        assert!(
            diags(&j, "eval-error").is_empty() && diags(&j, "include-error").is_empty(),
            "case {case}: {:?}",
            j["diagnostics"]
        );
    }
    // Case 7: the bare include is deprecated, not an error.
    let j = render_unit(&f, "include-multiple/has-bare-include/child");
    assert!(!diags(&j, "deprecated").is_empty());
}

#[test]
fn case06_get_terragrunt_dir_inside_a_parent_is_the_childs() {
    let Some(f) = fixtures() else { return };
    let j = render_unit(&f, "include-multiple/expose/child");
    let dep = &j["dependencies"][0];
    assert_eq!(dep["target"], "include-multiple/expose/vpc");
}

#[test]
fn case09_exposed_parent_locals() {
    let Some(f) = fixtures() else { return };
    for case in ["single", "single-bare", "multiple", "mixed-with-bare"] {
        let j = render_unit(&f, &format!("include-expose/{case}/child"));
        assert_eq!(j["inputs"]["region"], "us-west-1-test", "case {case}");
    }
}

#[test]
fn case10_exposed_include_with_dependency() {
    let Some(f) = fixtures() else { return };
    for case in ["with-dependency", "with-dependency-reference-input"] {
        let j = render_unit(&f, &format!("include-expose/{case}/child"));
        assert!(unk(&j["inputs"]["region"]), "case {case}: {}", j["inputs"]);
        let dep = j["dependencies"]
            .as_array()
            .and_then(|a| a.iter().find(|d| d["name"] == "dep"))
            .cloned()
            .unwrap_or(J::Null);
        assert_eq!(
            dep["target"],
            format!("include-expose/{case}/dep"),
            "case {case}"
        );
    }
}

#[test]
fn case11_path_functions_inside_a_parent() {
    let Some(f) = fixtures() else { return };
    let j = render_unit(&f, "locals/local-in-include/qa/my-app");
    let base = f.join("locals/local-in-include");
    assert_eq!(
        j["inputs"]["parent_terragrunt_dir"],
        base.display().to_string()
    );
    assert_eq!(
        j["inputs"]["terragrunt_dir"],
        base.join("qa/my-app").display().to_string()
    );
    assert!(unk(&j["inputs"]["terraform_command"]));
    assert!(unk(&j["inputs"]["terraform_cli_args"]));
    // With a command given, both are known.
    let opts = Options {
        terraform_command: Some("apply".into()),
        ..Options::default()
    };
    let j = render_with(
        Arc::new(tglint_model::fs::DiskFs),
        &f,
        "locals/local-in-include/qa/my-app",
        opts,
    );
    assert_eq!(j["inputs"]["terraform_command"], "apply");
}

#[test]
fn case12_locals_and_file_relative_to_the_config() {
    let Some(f) = fixtures() else { return };
    let j = render_unit(&f, "locals/canonical");
    assert_eq!(
        j["inputs"],
        json!({ "data": "Hello world\n", "answer": 42 })
    );
}

/// Evaluates an inline config at a virtual path inside the fixtures.
fn render_inline(name: &str, virtual_path: &str) -> Option<J> {
    let f = fixtures()?;
    let text = inline(name)?;
    let path = f.join(virtual_path);
    let fs = OverlayFs {
        extra: MemFs::new().file(&path, text),
    };
    let rel = virtual_path.to_string();
    Some(render_with(Arc::new(fs), &f, &rel, Options::default()))
}

#[test]
fn case13_locals_ordering_chains_cycles_and_duplicates() {
    let Some(j) = render_inline("LocalsTestConfig.hcl", "_virtual/locals/terragrunt.hcl") else {
        return;
    };
    let l = &j["locals"];
    assert_eq!(l["region"], "us-east-1");
    assert_eq!(l["s3_url"], "com.amazonaws.us-east-1.s3");
    assert_eq!(l["foo"], json!([{ "region": "us-east-1", "foo": "bar" }]));
    assert_eq!(l["bar"], "us-east-1");
    assert_eq!(
        (l["x"].clone(), l["y"].clone(), l["z"].clone()),
        (json!(1), json!(2), json!(3))
    );

    let Some(j) = render_inline(
        "LocalsTestMultiDeepReferenceConfig.hcl",
        "_virtual/deep/terragrunt.hcl",
    ) else {
        return;
    };
    assert_eq!(j["locals"]["a"], "a");
    assert_eq!(j["locals"]["b"], "a/b");
    assert_eq!(j["locals"]["j"], "a/b/c/d/e/f/g/h/i/j");

    let Some(j) = render_inline(
        "LocalsTestImpossibleConfig.hcl",
        "_virtual/impossible/terragrunt.hcl",
    ) else {
        return;
    };
    let errs = diags(&j, "eval-error");
    assert!(
        errs.iter()
            .any(|m| m.contains("Could not evaluate all locals in block")),
        "{errs:?}"
    );
    assert!(unk(&j["locals"]["a"]) && unk(&j["locals"]["b"]));

    let Some(j) = render_inline(
        "MultipleLocalsBlockConfig.hcl",
        "_virtual/multi/terragrunt.hcl",
    ) else {
        return;
    };
    assert!(
        diags(&j, "eval-error")
            .iter()
            .any(|m| m.contains("Multiple locals block"))
    );
}

#[test]
fn case14_undefined_local_is_an_error() {
    let Some(f) = fixtures() else { return };
    for case in ["undefined-local", "undefined-local-but-input"] {
        let j = render_unit(&f, &format!("locals-errors/{case}"));
        assert!(!diags(&j, "eval-error").is_empty(), "case {case}");
    }
}

#[test]
fn case15_read_terragrunt_config_exposes_everything() {
    let Some(f) = fixtures() else { return };
    let j = render_unit(&f, "read-config/full");
    let i = &j["inputs"];
    assert_eq!(i["terraform_binary"], "terragrunt");
    assert_eq!(i["terraform_version_constraint"], "= 0.12.20");
    assert_eq!(i["terragrunt_version_constraint"], "= 0.23.18");
    assert_eq!(i["download_dir"], ".terragrunt-cache");
    assert_eq!(i["iam_role"], "TerragruntIAMRole");
    assert_eq!(i["prevent_destroy"], true);
    assert_eq!(i["localstg"], json!({ "the_answer": 42 }), "{i}");
    assert_eq!(i["inputs"], json!({ "doc": "Emmett Brown" }));
    assert_eq!(i["dependencies"], json!({ "paths": ["../../terragrunt"] }));
    let g = &i["generate"]["provider"];
    assert_eq!(g["path"], "provider.tf");
    assert_eq!(g["if_exists"], "overwrite_terragrunt");
    assert_eq!(g["if_disabled"], "skip");
    assert_eq!(g["comment_prefix"], "# ");
    assert_eq!(g["disable_signature"], false);
    assert_eq!(
        g["contents"],
        "provider \"aws\" {\n  region = \"us-east-1\"\n}\n"
    );
    let rs = &i["remote_state"];
    assert_eq!(rs["backend"], "local");
    assert_eq!(rs["disable_init"], false);
    assert_eq!(rs["config"], json!({ "path": "foo.tfstate" }));
    let tf = &i["terraformtg"];
    assert_eq!(tf["source"], "./delorean");
    assert_eq!(tf["include_in_copy"], json!(["time_machine.*"]));
    assert_eq!(tf["copy_terraform_lock_file"], true);
    let ea = &tf["extra_arguments"]["var-files"];
    assert_eq!(ea["name"], "var-files");
    assert_eq!(ea["commands"], json!(["apply", "plan"]));
    assert_eq!(ea["arguments"], J::Null);
    assert_eq!(ea["required_var_files"], json!(["extra.tfvars"]));
    assert_eq!(
        tf["before_hook"]["before_hook_1"]["execute"],
        json!(["touch", "before.out"])
    );
}

#[test]
fn case16_read_terragrunt_config_default() {
    let Some(f) = fixtures() else { return };
    let j = render_unit(&f, "read-config/with_default");
    assert_eq!(j["inputs"], json!({ "data": "default value" }));
}

#[test]
fn case17_original_terragrunt_dir() {
    let Some(f) = fixtures() else { return };
    let r = f.join("read-config/with_original_terragrunt_dir");
    let s = |p: &str| {
        r.join(p)
            .display()
            .to_string()
            .trim_end_matches("/.")
            .to_string()
    };
    let dep = render_unit(&f, "read-config/with_original_terragrunt_dir/dep");
    assert_eq!(dep["inputs"]["terragrunt_dir"], s("dep"));
    assert_eq!(dep["inputs"]["original_terragrunt_dir"], s("dep"));
    assert_eq!(dep["inputs"]["bar_terragrunt_dir"], s("foo"));
    assert_eq!(dep["inputs"]["bar_original_terragrunt_dir"], s("dep"));
    let root = render_unit(&f, "read-config/with_original_terragrunt_dir");
    assert_eq!(root["inputs"]["terragrunt_dir"], s("foo"));
    assert_eq!(
        root["inputs"]["original_terragrunt_dir"],
        r.display().to_string()
    );
    assert!(unk(&root["inputs"]["dep_terragrunt_dir"]));
}

#[test]
fn case18_read_config_relative_inside_a_dependency_unit() {
    let Some(f) = fixtures() else { return };
    let dep = render_unit(&f, "read-config/from_dependency/dep");
    assert_eq!(dep["inputs"]["foo"], "hello world");
    let root = render_unit(&f, "read-config/from_dependency");
    assert!(unk(&root["inputs"]["bar"]));
}

#[test]
fn case19_type_fidelity_through_read_terragrunt_config() {
    let Some(f) = fixtures() else { return };
    let j = render_unit(&f, "inputs");
    let i = &j["inputs"];
    assert_eq!(i["string"], "string");
    assert_eq!(i["number"], 42);
    assert_eq!(i["bool"], true);
    assert_eq!(i["list_string"], json!(["a", "b", "c"]));
    assert_eq!(i["list_number"], json!([1, 2, 3]));
    assert_eq!(i["map_number"], json!({ "foo": 42, "bar": 12345 }));
    assert_eq!(
        i["object"],
        json!({ "str": "string", "num": 42, "list": [1, 2, 3], "map": { "foo": "bar" } })
    );
    assert_eq!(i["from_env"], "default");
    let wd = render_unit(&f, "read-config/with_dependency");
    assert!(unk(&wd["inputs"]), "{}", wd["inputs"]);
}

#[test]
fn case20_relative_reads_in_a_parent_resolve_against_the_child() {
    let Some(f) = fixtures() else { return };
    let base = render_unit(&f, "get-path/path_relative_from_include/lives/dev/base");
    assert_eq!(
        base["inputs"],
        json!({ "organization_unit": "test", "environment": "dev", "tier": "base" })
    );
    let cl = render_unit(&f, "get-path/path_relative_from_include/lives/dev/cluster");
    assert_eq!(cl["inputs"]["tier"], "cluster");
    assert!(unk(&cl["inputs"]["some_input"]));
    let contents = base["generate"]["provider"]["contents"]
        .as_str()
        .unwrap_or("");
    assert!(contents.contains("path = \"dev-base.state\""), "{contents}");
    assert_eq!(base["terraform"]["source"], "../../../modules//base");
}

#[test]
fn case21_path_relative_to_include_in_the_parent() {
    let Some(f) = fixtures() else { return };
    // The parent's locals are not the unit's; expose the parent (an overlaid copy of the
    // child with `expose = true`) to read what its run_cmd saw.
    let child = f.join("relative-include-cmd/app/terragrunt.hcl");
    let text = std::fs::read_to_string(&child).expect("fixture");
    let exposed = text.replacen("{", "{\n  expose = true", 1)
        + "\ninputs = { path = include.root.locals.path }\n";
    let fs = OverlayFs {
        extra: MemFs::new().file(&child, exposed),
    };
    let j = render_with(
        Arc::new(fs),
        &f,
        "relative-include-cmd/app",
        Options::default(),
    );
    let reason = j["inputs"]["path"]["$unknown"].as_str().unwrap_or("");
    // run_cmd is unknown and never runs; it saw the unit's include-relative path.
    assert!(reason.contains("run_cmd"), "{}", j["inputs"]);
    assert!(reason.contains("path_relative_to_inclue: app"), "{reason}");
}

#[test]
fn case22_include_path_forms_and_overrides() {
    for name in [
        "TestParseTerragruntConfigInclude.hcl",
        "TestParseTerragruntConfigIncludeWithFindInParentFolders.hcl",
    ] {
        let Some(j) = render_inline(
            name,
            "parent-folders/terragrunt-in-root/child/sub-child/sub-sub-child/terragrunt.hcl",
        ) else {
            return;
        };
        assert_eq!(j["terraform"], J::Null, "{name}");
        assert_eq!(j["remote_state"]["backend"], "s3");
        assert_eq!(
            j["remote_state"]["config"],
            json!({ "encrypt": true, "bucket": "my-bucket",
                    "key": "child/sub-child/sub-sub-child/terraform.tfstate", "region": "us-east-1" }),
            "{name}"
        );
    }
    let Some(j) = render_inline(
        "TestParseTerragruntConfigIncludeOverrideAll.hcl",
        "parent-folders/terragrunt-in-root/child/sub-child/sub-sub-child/terragrunt.hcl",
    ) else {
        return;
    };
    assert_eq!(j["terraform"]["source"], "foo");
    assert_eq!(j["remote_state"]["config"]["encrypt"], false);
    assert_eq!(j["remote_state"]["config"]["bucket"], "override");
    assert_eq!(j["dependency_paths"], json!(["override"]));
    let Some(j) = render_inline(
        "TestIncludeFunctionsWorkInChildConfig.hcl",
        "parent-folders/terragrunt-in-root/child/terragrunt.hcl",
    ) else {
        return;
    };
    assert_eq!(j["terraform"]["source"], "child");
}

#[test]
fn case23_nested_include_is_an_error() {
    let Some(f) = fixtures() else { return };
    let j = render_unit(
        &f,
        "parent-folders/multiple-terragrunt-in-parents/child/sub-child/sub-sub-child",
    );
    let errs = diags(&j, "include-error");
    let p = f.join("parent-folders/multiple-terragrunt-in-parents/child/sub-child/root.hcl");
    assert!(
        errs.iter().any(|m| m.contains(&format!(
            "includes {}, which itself includes {}. Only one level of includes is allowed.",
            p.display(),
            p.display()
        ))),
        "{errs:?}"
    );
}

#[test]
fn case25_feature_flags_from_the_parent() {
    let Some(f) = fixtures() else { return };
    let j = render_unit(&f, "feature-flags/include-flag/app");
    assert_eq!(j["inputs"]["string_feature_flag"], "test");
    assert_eq!(j["inputs"]["int_feature_flag"], 666);
    assert_eq!(j["inputs"]["bool_feature_flag"], false);
    let opts = Options {
        features: [("int_feature_flag".to_string(), "7".to_string())].into(),
        ..Options::default()
    };
    let j = render_with(
        Arc::new(tglint_model::fs::DiskFs),
        &f,
        "feature-flags/include-flag/app",
        opts,
    );
    // Terragrunt's cliFlagsToCty converts an override only for a bool default
    // (flagToTypedCtyValue); otherwise the value is the string given (spec §2 step 3 says
    // "converted to the type of its default": the source wins). The Terraform variable
    // (`type = number`) converts it later.
    assert_eq!(j["inputs"]["int_feature_flag"], "7");
}

#[test]
fn case26_read_config_relative_to_original_dir() {
    let Some(f) = fixtures() else { return };
    let j = render_unit(&f, "hcl-validate-original-dir/unit");
    assert_eq!(j["inputs"]["input"], "hello from original terragrunt dir");
}

#[test]
fn case27_generate_blocks_with_the_same_name() {
    let Some(f) = fixtures() else { return };
    for case in ["same_name_includes_error", "same_name_error"] {
        let j = render_unit(&f, &format!("codegen/generate-block/{case}"));
        assert!(
            diags(&j, "eval-error")
                .iter()
                .any(|m| m.contains("Detected generate blocks with the same name: [backend]")),
            "case {case}: {:?}",
            j["diagnostics"]
        );
    }
    let j = render_unit(&f, "codegen/generate-block/nested/child_inherit");
    assert!(
        j["generate"]["backend"]["contents"]
            .as_str()
            .unwrap_or("")
            .contains("foo.tfstate")
    );
    assert!(j["generate"].get("random_file").is_some());
    let j = render_unit(&f, "codegen/generate-block/nested/child_overwrite");
    assert!(
        j["generate"]["backend"]["contents"]
            .as_str()
            .unwrap_or("")
            .contains("bar.tfstate")
    );
    assert!(diags(&j, "eval-error").is_empty(), "{:?}", j["diagnostics"]);
}

#[test]
fn case28_deprecations() {
    let Some(f) = fixtures() else { return };
    let j = render_unit(&f, "strict-bare-include");
    assert!(
        !diags(&j, "deprecated").is_empty(),
        "{:?}",
        j["diagnostics"]
    );
    assert!(diags(&j, "include-error").is_empty());
}

#[test]
fn case29_dependency_declared_in_the_parent() {
    let Some(f) = fixtures() else { return };
    let j = render_unit(&f, "include-parent/app");
    // The parent's run_cmd is unknown (and never ran); the unit still loads.
    assert!(diags(&j, "eval-error").is_empty(), "{:?}", j["diagnostics"]);
    let dep = j["dependencies"]
        .as_array()
        .and_then(|a| a.iter().find(|d| d["name"] == "dependency"))
        .cloned()
        .unwrap_or(J::Null);
    assert_eq!(dep["config_path"], "../dependency");
    assert_eq!(dep["target"], "include-parent/dependency");
    assert_eq!(dep["mock_outputs"], json!({ "mock_key": "mock_value" }));
}

/// Renders `unit` with its terragrunt.hcl replaced by `text` (the same virtual-path
/// technique Terragrunt's own Go tests use for these cases).
fn render_replaced(unit: &str, text: &str) -> Option<J> {
    let f = fixtures()?;
    let path = f.join(unit).join("terragrunt.hcl");
    let fs = OverlayFs {
        extra: MemFs::new().file(&path, text),
    };
    Some(render_with(Arc::new(fs), &f, unit, Options::default()))
}

#[test]
fn case23_24_find_in_parent_folders_on_the_fixtures() {
    let Some(f) = fixtures() else { return };
    let p = |s: &str| f.join(s).display().to_string();
    let probe = |unit: &str, call: &str| -> J {
        let text = format!("inputs = {{ found = {call} }}\n");
        render_replaced(unit, &text)
            .map(|j| j["inputs"]["found"].clone())
            .unwrap_or(J::Null)
    };
    // Case 23: the search never looks in the config's own directory.
    let base = "parent-folders/multiple-terragrunt-in-parents";
    assert_eq!(
        probe(
            &format!("{base}/child"),
            r#"find_in_parent_folders("root.hcl")"#
        ),
        p(&format!("{base}/root.hcl"))
    );
    assert_eq!(
        probe(
            &format!("{base}/child/sub-child"),
            r#"find_in_parent_folders("root.hcl")"#
        ),
        p(&format!("{base}/child/root.hcl"))
    );
    // Case 24: other names, a name with a folder, a directory.
    assert_eq!(
        probe(
            "parent-folders/other-file-names/child",
            r#"find_in_parent_folders("foo.txt")"#
        ),
        p("parent-folders/other-file-names/foo.txt")
    );
    assert_eq!(
        probe(
            "parent-folders/in-another-subfolder/live",
            r#"find_in_parent_folders("common/foo.txt")"#
        ),
        p("parent-folders/in-another-subfolder/common/foo.txt")
    );
    assert_eq!(
        probe(
            "parent-folders/with-params/tfwork/tg",
            r#"find_in_parent_folders("tfwork")"#
        ),
        p("parent-folders/with-params/tfwork")
    );
    // Not found: the fallback verbatim, else an error.
    assert_eq!(
        probe(
            "parent-folders/other-file-names/child",
            r#"find_in_parent_folders("nope.txt", "fallback.txt")"#
        ),
        "fallback.txt"
    );
    let j = render_replaced(
        "parent-folders/other-file-names/child",
        "inputs = { found = find_in_parent_folders(\"nope.txt\") }\n",
    );
    if let Some(j) = j {
        assert!(
            diags(&j, "eval-error")
                .iter()
                .any(|m| m.contains("ParentFileNotFoundError")),
            "{:?}",
            j["diagnostics"]
        );
    }
}

#[test]
fn case28_find_parent_with_a_deprecated_root() {
    let Some(f) = fixtures() else { return };
    let j = render_unit(&f, "find-parent/app");
    assert_eq!(j["includes"][0]["path"], "find-parent/root.hcl");
    assert!(diags(&j, "deprecated").is_empty());
    let j = render_unit(&f, "find-parent-with-deprecated-root/app");
    assert_eq!(
        j["includes"][0]["path"],
        "find-parent-with-deprecated-root/terragrunt.hcl"
    );
    assert!(
        diags(&j, "deprecated")
            .iter()
            .any(|m| m.contains("anti-pattern")),
        "{:?}",
        j["diagnostics"]
    );
}

/// Case 8: a `terragrunt.hcl.json` unit with includes keyed by label (`""` is the bare
/// include), `"${…}"` templates, and `"${dependency.vpc.outputs}"` yielding the object
/// itself. Same values as case 2.
#[test]
fn case08_include_multiple_json() {
    let Some(f) = fixtures() else { return };
    let j = render_unit(&f, "include-multiple/json/child/terragrunt.hcl.json");
    assert_eq!(j["file"], "include-multiple/json/child/terragrunt.hcl.json");
    assert_eq!(j["inputs"], multiple_include_inputs());
    assert_eq!(j["includes"][0]["label"], "");
    assert_eq!(j["includes"][1]["label"], "vpc_dep");
    assert_eq!(j["dependencies"][0]["target"], "include-multiple/json/vpc");
    assert_eq!(j["origins"]["inputs.dep_out.attribute"]["mock"], true);
    // `"": {…}` is a label, not a bare include: nothing is deprecated, nothing fails.
    assert!(
        j["diagnostics"].as_array().is_some_and(Vec::is_empty),
        "{:?}",
        j["diagnostics"]
    );
    // Discovery finds the JSON unit, and nothing in the tree is unsupported.
    let dir = f.join("include-multiple/json");
    let tree =
        tglint_model::load::load(Arc::new(tglint_model::fs::DiskFs), &dir, Options::default());
    let units: Vec<&str> = tree.units.iter().map(|u| u.dir.as_str()).collect();
    assert_eq!(units, ["child", "vpc"]);
    assert!(tree.diagnostics.is_empty(), "{:?}", tree.diagnostics);
}

/// Case 22, the JSON half: `TestParseTerragruntJsonConfigIncludeOverrideAll` (a bare
/// `"include": {"path": …}`, `remote_state` as JSON gives it, which HCL's JSON decoder reads
/// as the attribute form) resolves as the HCL OverrideAll does.
#[test]
fn case22_json_include_override_all() {
    let Some(j) = render_inline(
        "TestParseTerragruntJsonConfigIncludeOverrideAll.hcl.json",
        "parent-folders/terragrunt-in-root/child/sub-child/sub-sub-child/terragrunt.hcl.json",
    ) else {
        return;
    };
    assert_eq!(j["terraform"]["source"], "foo");
    assert_eq!(j["remote_state"]["backend"], "s3");
    assert_eq!(
        j["remote_state"]["config"],
        json!({ "encrypt": false, "bucket": "override", "key": "override", "region": "override" })
    );
    assert_eq!(j["dependency_paths"], json!(["override"]));
    assert_eq!(j["includes"][0]["label"], "");
    assert_eq!(
        j["includes"][0]["path"],
        "parent-folders/terragrunt-in-root/root.hcl"
    );
    // The bare JSON include is deprecated as a bare HCL include is.
    assert!(
        !diags(&j, "deprecated").is_empty(),
        "{:?}",
        j["diagnostics"]
    );
    assert!(diags(&j, "eval-error").is_empty(), "{:?}", j["diagnostics"]);
}
