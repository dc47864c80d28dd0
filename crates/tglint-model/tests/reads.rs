//! What a unit's resolution records as read (`Unit::reads`, `Unit::read_files`): every
//! function that looks at a file records it, so that changed-files mode (`tglint check
//! FILE…`) checks every unit a changed file can change.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::Path;
use std::sync::Arc;
use tglint_model::fs::MemFs;
use tglint_model::load::{self, Tree};
use tglint_model::terragrunt::context::Options;
use tglint_model::unit::{Unit, Via};

const UNIT: &str = "live/app";

fn tree(unit_hcl: &str) -> Tree {
    let fs = MemFs::new()
        .file("/r/.git/HEAD", "ref: refs/heads/main\n")
        .file(format!("/r/{UNIT}/terragrunt.hcl"), unit_hcl)
        .file("/r/live/common.hcl", "locals {\n  x = 1\n}\n")
        .file("/r/live/vars.tfvars", "a = 1\n")
        .file("/r/live/app/policy.tpl", "${name}\n")
        .file("/r/live/app/plain.txt", "x\n")
        .file("/r/live/app/data/one.yaml", "a: 1\n")
        .file("/r/live/app/data/two.yaml", "a: 2\n")
        .file("/r/live/app/secrets.enc.yaml", "sops: {}\n")
        .file("/r/live/app/marked.yaml", "a: 1\n")
        .file("/r/live/app/globbed/g.yaml", "a: 1\n");
    load::load(Arc::new(fs), Path::new("/r"), Options::default())
}

fn unit(t: &Tree) -> &Unit {
    let u = t.unit(UNIT).expect("the unit");
    assert!(u.diagnostics.is_empty(), "{:#?}", u.diagnostics);
    u
}

fn read(u: &Unit, path: &str) -> bool {
    u.read_files().contains(Path::new(path))
}

#[test]
fn terraform_file_functions_record_what_they_read() {
    let t = tree(
        r#"locals {
  a = file("plain.txt")
  b = templatefile("policy.tpl", { name = "x" })
  c = fileexists("missing.txt")
  d = fileset("data", "*.yaml")
}
"#,
    );
    let u = unit(&t);
    for p in [
        "/r/live/app/plain.txt",
        "/r/live/app/policy.tpl",
        "/r/live/app/missing.txt",
    ] {
        assert!(read(u, p), "{p} not in {:#?}", u.read_files());
    }
    // fileset lists the directory: a file added to it changes the unit.
    assert!(read(u, "/r/live/app/data"), "{:#?}", u.read_files());
    assert!(
        u.reads
            .iter()
            .filter(|r| r.target.ends_with("plain.txt"))
            .all(|r| r.via == Via::FileFunction)
    );
}

#[test]
fn terragrunt_functions_record_what_they_read() {
    let t = tree(
        r#"locals {
  common  = read_terragrunt_config("../common.hcl")
  vars    = read_tfvars_file("../vars.tfvars")
  secret  = sops_decrypt_file("secrets.enc.yaml")
  marked  = mark_as_read("marked.yaml")
  globbed = mark_glob_as_read("globbed/*.yaml")
}
"#,
    );
    let u = unit(&t);
    let via = |p: &str| {
        u.reads
            .iter()
            .find(|r| &*r.target == Path::new(p))
            .map(|r| r.via)
    };
    assert_eq!(via("/r/live/common.hcl"), Some(Via::ReadTerragruntConfig));
    assert_eq!(via("/r/live/vars.tfvars"), Some(Via::ReadTfvarsFile));
    assert_eq!(via("/r/live/app/secrets.enc.yaml"), Some(Via::Probe));
    assert_eq!(via("/r/live/app/marked.yaml"), Some(Via::Probe));
    assert_eq!(via("/r/live/app/globbed/g.yaml"), Some(Via::Probe));
    // The glob's directory was listed: a file added to it changes the unit.
    assert_eq!(via("/r/live/app/globbed"), Some(Via::Probe));
}

#[test]
fn a_self_contained_read_shared_by_units_is_recorded_for_each() {
    let unit_hcl = "locals {\n  common = read_terragrunt_config(\"../common.hcl\")\n}\n";
    let fs = MemFs::new()
        .file("/r/live/common.hcl", "locals {\n  x = 1\n}\n")
        .file("/r/live/a/terragrunt.hcl", unit_hcl)
        .file("/r/live/b/terragrunt.hcl", unit_hcl)
        .file("/r/live/c/terragrunt.hcl", unit_hcl);
    let t = load::load(Arc::new(fs), Path::new("/r"), Options::default());
    assert_eq!(t.units.len(), 3);
    for u in &t.units {
        assert!(
            u.read_files().contains(Path::new("/r/live/common.hcl")),
            "{}: {:#?}",
            u.dir,
            u.read_files()
        );
    }
}
