//! Hostile inputs: each gives a clear diagnostic, never a panic, a hang or a side effect.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::path::Path;
use std::sync::Arc;
use tglint_model::fs::MemFs;
use tglint_model::load;
use tglint_model::terragrunt::context::Options;

fn tree(fs: MemFs) -> tglint_model::load::Tree {
    load::load(Arc::new(fs), Path::new("/r"), Options::default())
}

fn all_messages(t: &tglint_model::load::Tree) -> Vec<String> {
    t.units
        .iter()
        .flat_map(|u| u.diagnostics.iter())
        .chain(t.diagnostics.iter())
        .map(|d| format!("{} {}", d.rule, d.message))
        .collect()
}

#[test]
fn include_loop_through_read_terragrunt_config() {
    let fs = MemFs::new()
        .file(
            "/r/a.hcl",
            "locals { b = read_terragrunt_config(\"/r/b.hcl\") }\n",
        )
        .file(
            "/r/b.hcl",
            "locals { a = read_terragrunt_config(\"/r/a.hcl\") }\n",
        )
        .file(
            "/r/unit/terragrunt.hcl",
            "locals { a = read_terragrunt_config(\"/r/a.hcl\") }\ninputs = { x = 1 }\n",
        );
    let t = tree(fs);
    let m = all_messages(&t);
    assert!(
        m.iter().any(|x| x.contains("read_terragrunt_config loop")
            && x.contains("/r/a.hcl reads /r/b.hcl reads /r/a.hcl")),
        "{m:?}"
    );
    // The rest of the unit still resolves.
    let u = &t.units[0];
    assert_eq!(
        u.inputs.as_ref().map(|v| v.to_string()),
        Some("{ x = 1 }".into())
    );
}

#[test]
fn non_utf8_and_binary_files() {
    let fs = MemFs::new()
        .file("/r/latin1.hcl", b"x = \"caf\xe9\"\n".as_slice())
        .file("/r/blob.hcl", b"\x00\x01\x02binary".as_slice())
        .file(
            "/r/unit/terragrunt.hcl",
            "include \"root\" { path = \"/r/latin1.hcl\" }\n",
        );
    let t = tree(fs);
    let m = all_messages(&t);
    assert!(
        m.iter()
            .any(|x| x.contains("parse-error") && x.contains("not valid UTF-8")),
        "{m:?}"
    );
    assert!(
        m.iter()
            .any(|x| x.contains("parse-error") && x.contains("blob.hcl") && x.contains("binary")),
        "{m:?}"
    );
}

#[test]
fn unreadable_file_is_reported_not_skipped() {
    let fs = MemFs::new()
        .failing("/r/unit/terragrunt.hcl", "permission denied")
        .file("/r/other/terragrunt.hcl", "inputs = { ok = true }\n");
    let t = tree(fs);
    assert_eq!(t.units.len(), 2, "both units are listed");
    let u = t.unit("unit").expect("unit");
    assert!(u.failed);
    let m: Vec<String> = u.diagnostics.iter().map(|d| d.message.clone()).collect();
    assert!(m.iter().any(|x| x.contains("permission denied")), "{m:?}");
    assert!(!t.unit("other").expect("other").failed);
}

#[test]
fn special_files_are_never_opened() {
    let fs = MemFs::new().special("/r/fifo.hcl").file(
        "/r/u/terragrunt.hcl",
        "locals { x = file(\"/r/fifo.hcl\") }\n",
    );
    let t = tree(fs);
    let m = all_messages(&t);
    assert!(
        m.iter()
            .any(|x| x.contains("fifo.hcl") && x.contains("not a regular file")),
        "{m:?}"
    );
}

#[test]
fn run_cmd_is_never_executed() {
    let marker = std::env::temp_dir().join(format!("tglint-run-cmd-{}", std::process::id()));
    let _ = std::fs::remove_file(&marker);
    let src = format!(
        "locals {{ out = run_cmd(\"touch\", \"{}\") }}\ninputs = {{ out = local.out }}\n",
        marker.display()
    );
    let fs = MemFs::new().file("/r/u/terragrunt.hcl", src);
    let t = tree(fs);
    assert!(!marker.exists(), "run_cmd must never run anything");
    let u = &t.units[0];
    let out = u
        .inputs
        .as_ref()
        .and_then(|i| i.as_map())
        .and_then(|m| m.get("out"))
        .cloned();
    let out = out.expect("inputs.out");
    assert!(!out.is_known(), "run_cmd's result is unknown: {out}");
}

#[test]
fn reads_outside_the_root_are_refused() {
    let fs = MemFs::new().file("/outside/secret.txt", "s3cr3t").file(
        "/r/u/terragrunt.hcl",
        "locals { s = file(\"/outside/secret.txt\") }\ninputs = { s = local.s }\n",
    );
    let t = tree(fs);
    let u = &t.units[0];
    let s = u
        .inputs
        .as_ref()
        .and_then(|i| i.as_map())
        .and_then(|m| m.get("s"))
        .cloned()
        .expect("s");
    assert!(!s.is_known(), "a refused read is unknown, got {s}");
    assert!(
        u.diagnostics
            .iter()
            .any(|d| d.rule == "unsupported" && d.message.contains("outside the scanned root")),
        "{:?}",
        u.diagnostics
    );
    // With --allow-outside-root the file is read.
    let fs = MemFs::new().file("/outside/secret.txt", "s3cr3t").file(
        "/r/u/terragrunt.hcl",
        "inputs = { s = file(\"/outside/secret.txt\") }\n",
    );
    let opts = Options {
        allow_outside_root: true,
        ..Options::default()
    };
    let t = load::load(Arc::new(fs), Path::new("/r"), opts);
    let s = t.units[0]
        .inputs
        .as_ref()
        .and_then(|i| i.as_map())
        .and_then(|m| m.get("s"))
        .cloned()
        .expect("s");
    assert_eq!(s.as_str(), Some("s3cr3t"));
}

#[test]
fn include_outside_the_root_is_refused() {
    let fs = MemFs::new()
        .file("/elsewhere/root.hcl", "inputs = { a = 1 }\n")
        .file(
            "/r/u/terragrunt.hcl",
            "include \"root\" { path = \"/elsewhere/root.hcl\" }\n",
        );
    let t = tree(fs);
    let m = all_messages(&t);
    assert!(
        m.iter()
            .any(|x| x.starts_with("unsupported") && x.contains("outside the scanned root")),
        "{m:?}"
    );
}

#[test]
fn syntax_errors_in_files_nothing_includes_are_reported() {
    let fs = MemFs::new()
        .file("/r/orphan.hcl", "locals {\n  x = \n")
        .file("/r/u/terragrunt.hcl", "inputs = {}\n");
    let t = tree(fs);
    assert!(
        t.diagnostics
            .iter()
            .any(|d| d.rule == "parse-error" && t.rel(d.primary.file) == "orphan.hcl"),
        "{:?}",
        t.diagnostics
    );
}

/// Runs `f` in a rayon pool whose threads have the stack the `tglint` binary gives its
/// own: parsing and evaluating HCL nested to the limit (`MAX_NESTING`) needs more than a
/// test thread's 2 MiB in a debug build.
fn with_big_stacks<T: Send>(f: impl FnOnce() -> T + Send) -> T {
    rayon::ThreadPoolBuilder::new()
        .num_threads(2)
        .stack_size(64 << 20)
        .build()
        .unwrap()
        .install(f)
}

#[test]
fn absurd_nesting_is_a_parse_error() {
    let deep = format!(
        "inputs = {{ x = {}1{} }}\n",
        "[".repeat(5000),
        "]".repeat(5000)
    );
    let fs = MemFs::new().file("/r/u/terragrunt.hcl", deep);
    let t = with_big_stacks(|| tree(fs));
    let u = &t.units[0];
    assert!(u.failed);
    assert!(
        u.diagnostics.iter().any(|d| d.rule == "parse-error"),
        "{:?}",
        u.diagnostics
    );
}

#[test]
fn inputs_nested_at_the_limit_load_and_render_as_hcl_that_parses_again() {
    use tglint_model::hcl::{FileId, MAX_NESTING, parse_body};
    // `inputs`' object is the first level, the innermost `1` the last.
    let n = MAX_NESTING - 1;
    let deep = format!(
        "locals {{\n  d = {}1{}\n}}\ninputs = {{ x = local.d }}\n",
        "[".repeat(n),
        "]".repeat(n)
    );
    let fs = MemFs::new().file("/r/u/terragrunt.hcl", deep);
    with_big_stacks(|| {
        let t = tree(fs);
        let u = &t.units[0];
        assert!(!u.failed, "{:?}", u.diagnostics);
        assert!(u.diagnostics.is_empty(), "{:?}", u.diagnostics);
        let hcl = tglint_model::render_hcl::unit_hcl(&t, u, false);
        assert_eq!(hcl.matches('[').count(), 2 * n, "locals and inputs, whole");
        assert!(!hcl.contains("nested too deeply"), "{hcl}");
        parse_body(FileId(0), &hcl).unwrap_or_else(|e| panic!("{e}"));
    });
    // A value nested deeper than the parser takes (`jsondecode` makes one) is cut where
    // it would pass the limit, so the output still parses.
    let json = format!("{}1{}", "[".repeat(MAX_NESTING), "]".repeat(MAX_NESTING));
    let deeper = format!("inputs = {{ x = jsondecode(\"{json}\") }}\n");
    let fs = MemFs::new().file("/r/u/terragrunt.hcl", deeper);
    with_big_stacks(|| {
        let t = tree(fs);
        let u = &t.units[0];
        assert!(u.diagnostics.is_empty(), "{:?}", u.diagnostics);
        let hcl = tglint_model::render_hcl::unit_hcl(&t, u, false);
        assert!(hcl.contains("nested too deeply to print"), "{hcl}");
        parse_body(FileId(0), &hcl).unwrap_or_else(|e| panic!("{e}"));
    });
}

#[test]
fn stack_files_are_validated_and_json_units_load() {
    let fs = MemFs::new()
        .file("/r/s/terragrunt.stack.hcl", "unit \"a\" {}\n")
        .file("/r/j/terragrunt.hcl.json", "{}")
        .file("/r/u/terragrunt.hcl", "inputs = {}\n");
    let t = tree(fs);
    let n = t
        .diagnostics
        .iter()
        .filter(|d| d.rule == "unsupported")
        .count();
    assert_eq!(n, 0, "nothing is unsupported: {:?}", t.diagnostics);
    let m = all_messages(&t);
    assert!(
        m.iter()
            .any(|x| x.contains("The argument \"source\" is required")),
        "{m:?}"
    );
    // The JSON unit loads; the unit block without source is not generated.
    let dirs: Vec<&str> = t.units.iter().map(|u| u.dir.as_str()).collect();
    assert_eq!(dirs, ["j", "u"]);
}

#[test]
fn cyclic_locals_and_dependency_cycles() {
    let fs = MemFs::new()
        .file("/r/a/terragrunt.hcl", "dependency \"b\" { config_path = \"../b\" }\nlocals {\n  x = local.y\n  y = local.x\n}\n")
        .file("/r/b/terragrunt.hcl", "dependency \"a\" { config_path = \"../a\" }\n");
    let t = tree(fs);
    let m = all_messages(&t);
    assert!(
        m.iter()
            .any(|x| x.contains("Found a dependency cycle between modules: a -> b -> a")),
        "{m:?}"
    );
    assert!(
        m.iter()
            .any(|x| x.contains("Could not evaluate all locals in block: local.x")),
        "{m:?}"
    );
}

#[test]
fn every_file_is_parsed_once() {
    let mut fs = MemFs::new().file(
        "/r/root.hcl",
        "locals { env = \"prod\" }\ninputs = { env = local.env }\n",
    );
    for i in 0..20 {
        fs = fs.file(
            format!("/r/u{i}/terragrunt.hcl"),
            "include \"root\" {\n  path = \"/r/root.hcl\"\n  expose = true\n}\ninputs = { e = include.root.locals.env }\n",
        );
    }
    let t = tree(fs);
    assert_eq!(t.units.len(), 20);
    for f in t.cache.all() {
        assert!(
            f.parse_count() <= 1,
            "{} parsed {} times",
            f.rel,
            f.parse_count()
        );
    }
    let root = t
        .cache
        .all()
        .into_iter()
        .find(|f| f.rel == "root.hcl")
        .expect("root.hcl");
    assert_eq!(root.parse_count(), 1);
}

#[test]
fn load_is_deterministic() {
    let mk = || {
        MemFs::new()
            .file("/r/root.hcl", "inputs = { a = 1 }\n")
            .file(
                "/r/z/terragrunt.hcl",
                "include \"r\" { path = \"/r/root.hcl\" }\n",
            )
            .file(
                "/r/a/terragrunt.hcl",
                "include \"r\" { path = \"/r/nope.hcl\" }\n",
            )
    };
    let render = |t: &tglint_model::load::Tree| common::output(t);
    let a = render(&tree(mk()));
    let b = render(&tree(mk()));
    assert_eq!(a, b);
    assert!(
        a.find("\"unit\":\"a\"") < a.find("\"unit\":\"z\""),
        "units in path order"
    );
    assert!(a.contains("Include configuration not found"), "{a}");
}

#[test]
fn terragrunts_own_rejections_are_reported() {
    let fs = MemFs::new()
        .file("/r/vpc/terragrunt.hcl", "inputs = {}\n")
        .file(
            "/r/app/terragrunt.hcl",
            r#"dependency "vpc" {
  config_path = "../vpc"
}

terraform {
  source = "git::https://example.com/m.git?ref=${dependency.vpc.outputs.ref}"
}

inputs = {
  old = dependency.vpc.inputs.cidr
}

include "a" { path = "/r/p.hcl" }
include "a" { path = "/r/p.hcl" }

generate "x" {
  path     = "x.tf"
  contents = ""
}

nonsense = true
"#,
        )
        .file(
            "/r/p.hcl",
            "include \"b\" {\n  merge_strategy = \"sideways\"\n}\n",
        );
    let t = tree(fs);
    let m = all_messages(&t).join("\n");
    for needle in [
        "TerraformSourceReferencesDependencyError",
        "Reading inputs from dependencies is no longer supported",
        "duplicate include label \"a\"",
        "needs if_exists",
        "An argument named \"nonsense\" is not expected here",
        "Only one level of includes is allowed",
    ] {
        assert!(m.contains(needle), "missing {needle:?} in:\n{m}");
    }
}

#[test]
fn unknown_merge_strategy_and_missing_path() {
    let fs = MemFs::new()
        .file("/r/p.hcl", "inputs = { a = 1 }\n")
        .file(
            "/r/u/terragrunt.hcl",
            "include \"a\" {\n  path = \"/r/p.hcl\"\n  merge_strategy = \"sideways\"\n}\ninclude \"b\" {}\n",
        );
    let t = tree(fs);
    let m = all_messages(&t).join("\n");
    assert!(
        m.contains("Include merge strategy sideways is unknown"),
        "{m}"
    );
    assert!(m.contains("The argument \"path\" is required"), "{m}");
}

#[test]
fn discovery_honours_gitignore_and_skips_caches() {
    let fs = MemFs::new()
        .file("/r/.gitignore", "generated/\n*.tmp.hcl\n!keep.tmp.hcl\n")
        .file("/r/generated/u/terragrunt.hcl", "inputs = {}\n")
        .file("/r/a/scratch.tmp.hcl", "broken {{{\n")
        .file("/r/a/keep.tmp.hcl", "x = 1\n")
        .file("/r/a/terragrunt.hcl", "inputs = {}\n")
        .file("/r/a/.terragrunt-cache/x/terragrunt.hcl", "inputs = {}\n")
        .file("/r/b/.gitignore", "ignored-here/\n")
        .file("/r/b/ignored-here/terragrunt.hcl", "inputs = {}\n")
        .file("/r/c/ignored-here/terragrunt.hcl", "inputs = {}\n");
    let found = load::discover(&fs, Path::new("/r"));
    let units: Vec<String> = found
        .units
        .iter()
        .map(|p| p.display().to_string())
        .collect();
    assert_eq!(
        units,
        ["/r/a/terragrunt.hcl", "/r/c/ignored-here/terragrunt.hcl"]
    );
    let files: Vec<String> = found
        .hcl_files
        .iter()
        .map(|p| p.display().to_string())
        .collect();
    assert!(
        files.contains(&"/r/a/keep.tmp.hcl".to_string()),
        "{files:?}"
    );
    assert!(!files.iter().any(|f| f.contains("scratch")), "{files:?}");
}

#[test]
fn dependency_paths_are_validated() {
    let fs = MemFs::new()
        .file("/r/vpc/terragrunt.hcl", "inputs = {}\n")
        .file(
            "/r/app/terragrunt.hcl",
            r#"dependency "empty" {
  config_path = ""
}
dependency "off" {
  config_path = ""
  enabled     = false
}
dependency "env" {
  config_path = get_env("VPC_DIR")
}
dependencies {
  paths = ["../vpc", "../gone"]
}
"#,
        );
    let t = tree(fs);
    let m = all_messages(&t).join("\n");
    assert!(
        m.contains("dependency \"empty\" has invalid config_path"),
        "{m}"
    );
    assert!(
        !m.contains("dependency \"off\""),
        "a disabled block needs no path: {m}"
    );
    assert!(
        m.contains("cannot resolve dependency \"env\": its config_path is unknown"),
        "{m}"
    );
    assert!(
        m.contains("dependencies.paths names ../gone, which does not exist"),
        "{m}"
    );
    assert!(!m.contains("names ../vpc"), "{m}");
}

#[test]
fn files_over_the_size_cap_are_unsupported_not_read() {
    let cap = tglint_model::fs::MAX_FILE_BYTES as usize;
    assert_eq!(cap, 16 * 1024 * 1024);
    // Just over the cap: a comment, so that it would parse if it were read.
    let mut big = b"# ".to_vec();
    big.resize(cap + 1, b'x');
    let fs = MemFs::new()
        .file("/r/big.hcl", &big)
        .file("/r/data.txt", &big)
        .file(
            "/r/unit/terragrunt.hcl",
            "include \"root\" {\n  path = \"/r/big.hcl\"\n}\nlocals { d = file(\"/r/data.txt\") }\ninputs = { x = 1 }\n",
        );
    let t = tree(fs);
    let m = all_messages(&t);
    for name in ["big.hcl", "data.txt"] {
        assert!(
            m.iter().any(|x| x.starts_with("unsupported ")
                && x.contains(&format!(
                    "{name} is larger than the 16 MiB cap and is not read"
                ))),
            "{name}: {m:?}"
        );
    }
    assert!(!m.iter().any(|x| x.starts_with("parse-error")), "{m:?}");
    let u = t.units.iter().find(|u| u.dir == "unit").unwrap();
    assert_eq!(
        u.inputs.as_ref().map(|v| v.to_string()),
        Some("{ x = 1 }".into())
    );
}

#[test]
fn a_sparse_file_over_the_cap_on_disk_is_not_read() {
    let base = std::env::temp_dir().join(format!("tglint-sparse-{}", std::process::id()));
    std::fs::create_dir_all(&base).unwrap();
    let root = std::fs::canonicalize(&base).unwrap();
    std::fs::create_dir_all(root.join("unit")).unwrap();
    let f = std::fs::File::create(root.join("root.hcl")).unwrap();
    f.set_len(tglint_model::fs::MAX_FILE_BYTES + 1).unwrap();
    std::fs::write(
        root.join("unit/terragrunt.hcl"),
        "include \"root\" {\n  path = find_in_parent_folders(\"root.hcl\")\n}\n",
    )
    .unwrap();
    let t = load::load(
        Arc::new(tglint_model::fs::DiskFs),
        &root,
        Options::default(),
    );
    let m = all_messages(&t);
    std::fs::remove_dir_all(&base).unwrap();
    assert!(
        m.iter().any(|x| x.starts_with("unsupported ")
            && x.contains("root.hcl is larger than the 16 MiB cap")),
        "{m:?}"
    );
}
