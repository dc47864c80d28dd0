//! The root bounds what tglint reads, wherever a path really leads: symbolic links never
//! lead a read, a probe or the walk out of it. And every problem met on the way is in the
//! report. In memory (`MemFs::link`) and on the real disk.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::path::{Path, PathBuf};
use std::sync::Arc;
use tglint_model::fs::{DiskFs, MemFs};
use tglint_model::load::{self, Tree, WalkOptions};
use tglint_model::terragrunt::context::Options;

const CANARY: &str = "CANARY-7f3a";

fn load_mem(fs: MemFs, opts: Options) -> Tree {
    load::load(Arc::new(fs), Path::new("/r"), opts)
}

/// Everything `render --all` would print: every unit and the tree's diagnostics.
fn output(t: &Tree) -> String {
    common::output(t)
}

fn assert_no_canary(t: &Tree) {
    let out = output(t);
    assert!(!out.contains(CANARY), "the canary leaked:\n{out}");
    for d in t
        .units
        .iter()
        .flat_map(|u| &u.diagnostics)
        .chain(&t.diagnostics)
    {
        assert!(!d.message.contains(CANARY), "{}", d.message);
    }
}

/// `(rule, file, message)` of a unit's diagnostics.
fn unit_diags(t: &Tree, dir: &str) -> Vec<(String, String, String)> {
    let u = t.unit(dir).unwrap_or_else(|| panic!("no unit {dir}"));
    u.diagnostics
        .iter()
        .map(|d| (d.rule.to_string(), t.rel(d.primary.file), d.message.clone()))
        .collect()
}

/// `(rule, file, message)`.
type Diag = (String, String, String);

fn tree_diags(t: &Tree) -> Vec<(String, String, String)> {
    t.diagnostics
        .iter()
        .map(|d| (d.rule.to_string(), t.rel(d.primary.file), d.message.clone()))
        .collect()
}

fn local(t: &Tree, dir: &str, name: &str) -> tglint_hcl::Value {
    t.unit(dir)
        .and_then(|u| u.locals.get(name).cloned())
        .unwrap_or_else(|| panic!("no local {name} in {dir}"))
}

fn has(diags: &[(String, String, String)], rule: &str, needle: &str) -> bool {
    diags
        .iter()
        .any(|(r, _, m)| r == rule && m.contains(needle))
}

#[test]
fn a_file_link_out_of_the_root_is_refused_at_the_expression() {
    let fs = MemFs::new()
        .file("/outside/canary.txt", CANARY)
        .link("/r/u/env.hcl", "/outside/canary.txt")
        .file(
            "/r/u/terragrunt.hcl",
            "locals {\n  x = file(\"${get_terragrunt_dir()}/env.hcl\")\n}\ninputs = { x = local.x }\n",
        );
    let t = load_mem(fs, Options::default());
    assert_no_canary(&t);
    assert!(!local(&t, "u", "x").is_known());
    let d = unit_diags(&t, "u");
    assert!(
        d.iter().any(|(r, f, m)| r == "unsupported"
            && f == "u/terragrunt.hcl"
            && m == "u/env.hcl is a symbolic link that resolves outside the scanned root and is not read; its value is unknown"),
        "{d:?}"
    );
    let u = t.unit("u").expect("u");
    let help = u.diagnostics[0].help.clone().unwrap_or_default();
    assert!(help.contains("--allow-outside-root"), "{help}");
    // The link itself is reported on the tree too (nothing parses it as HCL).
    assert!(has(
        &tree_diags(&t),
        "unsupported",
        "u/env.hcl is a symbolic link"
    ));

    // With --allow-outside-root the link is followed.
    let fs = MemFs::new()
        .file("/outside/canary.txt", CANARY)
        .link("/r/u/env.hcl", "/outside/canary.txt")
        .file(
            "/r/u/terragrunt.hcl",
            "locals {\n  x = file(\"env.hcl\")\n}\n",
        );
    let opts = Options {
        allow_outside_root: true,
        ..Options::default()
    };
    let t = load_mem(fs, opts);
    assert_eq!(local(&t, "u", "x").as_str(), Some(CANARY));
}

/// `v/link -> ../..` leads from `/r/v` to `/`: every way of reading or probing through it
/// is refused, naming the link.
#[test]
fn a_directory_link_out_of_the_root_refuses_every_function() {
    let fs = MemFs::new()
        .file("/outside.hcl", format!("locals {{ s = \"{CANARY}\" }}\n"))
        .file("/outside/unit/terragrunt.hcl", "inputs = {}\n")
        .link("/r/v/link", "../..")
        .file(
            "/r/v/terragrunt.hcl",
            r#"include "x" {
  path = "link/outside.hcl"
}
locals {
  file     = file("link/outside.hcl")
  exists   = fileexists("link/outside.hcl")
  missing  = fileexists("link/nothing.hcl")
  set      = fileset(get_terragrunt_dir(), "**/*.hcl")
  setlink  = fileset("${get_terragrunt_dir()}/link", "*.hcl")
  template = templatefile("link/outside.hcl", {})
  b64      = filebase64("link/outside.hcl")
  md5      = filemd5("link/outside.hcl")
  rtc      = read_terragrunt_config("link/outside.hcl")
  tfvars   = read_tfvars_file("link/outside.hcl")
  sops     = sops_decrypt_file("link/outside.hcl")
}
dependency "out" {
  config_path = "link/outside/unit"
}
inputs = { file = local.file }
"#,
        );
    let t = load_mem(fs, Options::default());
    assert_no_canary(&t);
    for name in [
        "file", "exists", "missing", "set", "setlink", "template", "b64", "md5", "rtc", "tfvars",
        "sops",
    ] {
        assert!(
            !local(&t, "v", name).is_known(),
            "{name} = {}",
            local(&t, "v", name)
        );
    }
    let d = unit_diags(&t, "v");
    let through = d
        .iter()
        .filter(|(r, _, m)| {
            r == "unsupported"
                && m.contains("v/link")
                && m.contains("resolves outside the scanned root")
        })
        .count();
    // include, file, fileexists ×2, fileset ×2, templatefile, filebase64, filemd5,
    // read_terragrunt_config, read_tfvars_file, sops_decrypt_file.
    assert!(through >= 12, "{through}: {d:#?}");
    assert!(
        has(
            &d,
            "unsupported",
            "v/link/outside.hcl resolves outside the scanned root through the symbolic link v/link and is not read"
        ),
        "{d:#?}"
    );
    assert!(
        d.iter()
            .any(|(r, _, m)| r == "unsupported" && m.contains("v/link/outside.hcl")),
        "{d:?}"
    );
    // The dependency's target is not looked at: not a unit of the tree.
    let u = t.unit("v").expect("v");
    assert_eq!(u.dependencies[0].target_unit, None);
    assert!(
        has(
            &d,
            "unsupported",
            "dependency \"out\": v/link/outside/unit resolves outside the scanned root through the symbolic link v/link"
        ),
        "{d:#?}"
    );
    // The walk does not follow the link, and says so.
    assert_eq!(t.units.len(), 1);
    assert!(
        has(
            &tree_diags(&t),
            "unsupported",
            "v/link is a symbolic link that resolves outside the scanned root; tglint never follows it"
        ),
        "{:?}",
        tree_diags(&t)
    );
}

#[test]
fn probes_treat_a_dangling_link_out_of_the_root_as_refused_not_missing() {
    let fs = MemFs::new()
        .link("/r/gone.hcl", "/outside/nothing.hcl")
        .link("/r/u/gone.txt", "../../elsewhere/nothing.txt")
        .file(
            "/r/u/terragrunt.hcl",
            r#"locals {
  exists = fileexists("gone.txt")
  parent = find_in_parent_folders("gone.hcl")
}
"#,
        );
    let t = load_mem(fs, Options::default());
    assert!(!local(&t, "u", "exists").is_known());
    assert!(!local(&t, "u", "parent").is_known());
    let d = unit_diags(&t, "u");
    assert!(
        has(
            &d,
            "unsupported",
            "u/gone.txt is a symbolic link that resolves outside"
        ),
        "{d:?}"
    );
    assert!(
        has(
            &d,
            "unsupported",
            "find_in_parent_folders: gone.hcl is a symbolic link that resolves outside"
        ),
        "{d:?}"
    );
}

#[test]
fn a_unit_file_linked_out_of_the_root_is_a_failed_unit() {
    let fs = MemFs::new()
        .file("/etc/passwd", format!("root:x:0:0:{CANARY}\n"))
        .link("/r/w/terragrunt.hcl", "/etc/passwd");
    let t = load_mem(fs, Options::default());
    assert_no_canary(&t);
    let u = t.unit("w").expect("the unit is listed");
    assert!(u.failed);
    assert_eq!(
        unit_diags(&t, "w"),
        [(
            "unsupported".to_string(),
            "w/terragrunt.hcl".to_string(),
            "w/terragrunt.hcl is a symbolic link that resolves outside the scanned root and is not read".to_string()
        )]
    );
    // Reported once: the unit's file is the unit's problem.
    assert!(tree_diags(&t).is_empty(), "{:?}", tree_diags(&t));
}

#[test]
fn links_that_stay_inside_the_root_work_as_before() {
    let fs = MemFs::new()
        .file("/r/common/env.hcl", "locals { env = \"prod\" }\n")
        .file("/r/common/root.hcl", "inputs = { from_root = true }\n")
        .file("/r/common/data.txt", "hello")
        .link("/r/u/env.hcl", "../common/env.hcl")
        .link("/r/u/shared", "../common")
        .file(
            "/r/u/terragrunt.hcl",
            r#"include "root" {
  path = "shared/root.hcl"
}
locals {
  env  = read_terragrunt_config("env.hcl").locals.env
  data = file("shared/data.txt")
  here = fileexists("shared/data.txt")
  dir  = get_terragrunt_dir()
}
"#,
        );
    let t = load_mem(fs, Options::default());
    assert_eq!(local(&t, "u", "env").as_str(), Some("prod"));
    assert_eq!(local(&t, "u", "data").as_str(), Some("hello"));
    assert_eq!(local(&t, "u", "here").as_bool(), Some(true));
    // Logical paths stay what the model shows.
    assert_eq!(local(&t, "u", "dir").as_str(), Some("/r/u"));
    let u = t.unit("u").expect("u");
    assert_eq!(u.includes[0].path, PathBuf::from("/r/u/shared/root.hcl"));
    let j = common::view(&t, u);
    assert_eq!(j["includes"][0]["path"], "u/shared/root.hcl");
    assert_eq!(j["inputs"]["from_root"], true);
    assert!(unit_diags(&t, "u").is_empty(), "{:?}", unit_diags(&t, "u"));
}

#[test]
fn the_root_may_be_reached_through_a_link() {
    let fs = MemFs::new()
        .link("/work/checkout", "/data/repo")
        .file("/data/repo/env.hcl", "locals { env = \"dev\" }\n")
        .file(
            "/data/repo/u/terragrunt.hcl",
            "locals {\n  env = read_terragrunt_config(find_in_parent_folders(\"env.hcl\")).locals.env\n}\n",
        );
    let t = load::load(
        Arc::new(fs),
        Path::new("/work/checkout"),
        Options::default(),
    );
    assert_eq!(t.units.len(), 1);
    assert_eq!(local(&t, "u", "env").as_str(), Some("dev"));
    assert_eq!(
        t.units[0].path,
        PathBuf::from("/work/checkout/u/terragrunt.hcl")
    );
    assert!(t.diagnostics.is_empty(), "{:?}", tree_diags(&t));
}

#[test]
fn fileset_never_lists_through_a_link_out_of_the_root() {
    let fs = MemFs::new()
        .file("/outside/secret.hcl", CANARY)
        .link("/r/u/out", "/outside")
        .file("/r/u/a.hcl", "")
        .file(
            "/r/u/terragrunt.hcl",
            "locals {\n  all = fileset(get_terragrunt_dir(), \"**\")\n  top = fileset(get_terragrunt_dir(), \"*.hcl\")\n}\n",
        );
    let t = load_mem(fs, Options::default());
    assert_no_canary(&t);
    assert!(!local(&t, "u", "all").is_known());
    // A pattern the link cannot match is answered.
    assert_eq!(
        local(&t, "u", "top").to_string(),
        "toset([\"a.hcl\", \"terragrunt.hcl\"])"
    );
    assert!(has(
        &unit_diags(&t, "u"),
        "unsupported",
        "u/out is a symbolic link"
    ));
}

#[test]
fn discovery_reports_directory_links_and_follows_them_only_when_asked() {
    let fs = || {
        MemFs::new()
            .file("/r/live/prod/app/terragrunt.hcl", "inputs = {}\n")
            .file(
                "/outside/x/terragrunt.hcl",
                format!("inputs = {{ s = \"{CANARY}\" }}\n"),
            )
            .link("/r/live/current", "prod")
            .link("/r/live/prod/loop", "..")
            .link("/r/live/out", "/outside")
            .link("/r/other", "/r/live/prod")
    };
    let t = load_mem(fs(), Options::default());
    assert_no_canary(&t);
    let units: Vec<&str> = t.units.iter().map(|u| u.dir.as_str()).collect();
    assert_eq!(units, ["live/prod/app"]);
    let d = tree_diags(&t);
    assert!(
        d.contains(&(
            "unsupported".into(),
            "live/current".into(),
            "live/current is a symbolic link to the directory live/prod; discovery does not follow directory links".into()
        )),
        "{d:#?}"
    );
    let help = t.diagnostics[0].help.clone().unwrap_or_default();
    assert!(help.contains("--follow-links"), "{help}");
    assert!(has(
        &d,
        "unsupported",
        "live/out is a symbolic link that resolves outside the scanned root; tglint never follows it"
    ));
    assert!(has(
        &d,
        "unsupported",
        "live/prod/loop is a symbolic link to the directory live"
    ));

    let opts = Options {
        follow_links: true,
        ..Options::default()
    };
    let t = load_mem(fs(), opts);
    assert_no_canary(&t);
    let units: Vec<&str> = t.units.iter().map(|u| u.dir.as_str()).collect();
    // live/current is walked (first in name order); other leads to the same directory.
    assert_eq!(units, ["live/current/app", "live/prod/app"]);
    let d = tree_diags(&t);
    assert!(
        has(
            &d,
            "unsupported",
            "live/prod/loop links back to live, a directory it is inside"
        ),
        "{d:#?}"
    );
    assert!(
        has(
            &d,
            "unsupported",
            "other leads to live/prod, which the walk already entered through live/current"
        ),
        "{d:#?}"
    );
    assert!(has(
        &d,
        "unsupported",
        "live/out is a symbolic link that resolves outside the scanned root; tglint never follows it"
    ));
    // The unit found through the link keeps its path as written.
    assert_eq!(
        t.unit("live/current/app").map(|u| u.path.clone()),
        Some(PathBuf::from("/r/live/current/app/terragrunt.hcl"))
    );
}

#[test]
fn a_link_loop_under_follow_links_ends() {
    let fs = MemFs::new()
        .file("/r/a/terragrunt.hcl", "inputs = {}\n")
        .link("/r/a/b/c", "../..")
        .link("/r/a/self", ".")
        .link("/r/x", "y")
        .link("/r/y", "x");
    let found = load::discover_in(
        &fs,
        Path::new("/r"),
        Path::new("/r"),
        WalkOptions { follow_links: true },
    );
    assert_eq!(found.units, [PathBuf::from("/r/a/terragrunt.hcl")]);
    let msgs: Vec<&str> = found.problems.iter().map(|p| p.message.as_str()).collect();
    assert!(
        msgs.iter().any(|m| m.starts_with("a/b/c links back to .")),
        "{msgs:?}"
    );
    assert!(
        msgs.iter().any(|m| m.starts_with("a/self links back to a")),
        "{msgs:?}"
    );
}

#[test]
fn an_absurdly_deep_tree_is_walked_without_a_depth_limit() {
    // Deeper than the old bound of 128, and deep enough to overflow a recursive walk's
    // stack in a debug build.
    let mut dir = String::from("/r");
    let mut fs = MemFs::new();
    for i in 0..600 {
        dir.push_str("/d");
        if i % 10 == 0 {
            fs = fs.file(format!("{dir}/.gitignore"), "ignored/\n");
        }
    }
    let fs = fs.file(
        format!("{dir}/terragrunt.hcl"),
        "inputs = { deep = true }\n",
    );
    // Loading it resolves every directory on the way, iteratively too.
    let tree = load_mem(fs.clone(), Options::default());
    assert_eq!(tree.units.len(), 1);
    assert!(
        !tree.units[0].failed,
        "{:?}",
        unit_diags(&tree, &tree.units[0].dir)
    );
    let t = std::thread::Builder::new()
        .stack_size(64 * 1024)
        .spawn(move || {
            let found = load::discover(&fs, Path::new("/r"));
            (found.units.len(), found.problems.len())
        })
        .expect("spawn")
        .join()
        .expect("the walk does not overflow a small stack");
    assert_eq!(t, (1, 0));
}

#[test]
fn an_unreadable_directory_is_reported() {
    let fs = MemFs::new()
        .file("/r/ok/terragrunt.hcl", "inputs = {}\n")
        .file("/r/locked/u/terragrunt.hcl", "inputs = {}\n")
        .failing_dir("/r/locked", "permission denied");
    let t = load_mem(fs, Options::default());
    assert_eq!(t.units.len(), 1);
    let d = tree_diags(&t);
    assert_eq!(
        d,
        [(
            "parse-error".to_string(),
            "locked".to_string(),
            "cannot list directory locked: permission denied; the units below it are not checked"
                .to_string()
        )]
    );
    assert!(t.diagnostics[0].help.is_some());
}

#[test]
fn a_fifo_where_a_configuration_is_expected_is_reported() {
    let fs = MemFs::new()
        .special("/r/f/terragrunt.hcl")
        .special("/r/g/env.hcl")
        .file(
            "/r/g/terragrunt.hcl",
            "locals {\n  e = read_terragrunt_config(\"env.hcl\")\n}\n",
        );
    let t = load_mem(fs, Options::default());
    let f = t.unit("f").expect("the FIFO unit is listed");
    assert!(f.failed);
    assert!(has(
        &unit_diags(&t, "f"),
        "parse-error",
        "f/terragrunt.hcl: cannot read the file: is not a regular file"
    ));
    let d = unit_diags(&t, "g");
    assert!(
        d.iter().any(|(r, file, m)| r == "parse-error"
            && file == "g/env.hcl"
            && m.contains("g/env.hcl: cannot read the file: is not a regular file")),
        "{d:?}"
    );
    // The unit reports its file's problem; the tree does not repeat it.
    assert!(tree_diags(&t).is_empty(), "{:?}", tree_diags(&t));
}

#[cfg(unix)]
#[test]
fn a_unit_whose_path_is_not_utf8_is_listed_failed_and_escaped() {
    use std::ffi::OsStr;
    use std::os::unix::ffi::OsStrExt;
    let dir = Path::new("/r").join(OsStr::from_bytes(b"caf\xe9"));
    let fs = MemFs::new()
        .file(dir.join("terragrunt.hcl"), "inputs = {}\n")
        .file(dir.join("broken.hcl"), "x = {\n");
    let t = load_mem(fs, Options::default());
    let u = t
        .unit("caf\\xe9")
        .expect("the unit is listed under its escaped name");
    assert!(u.failed);
    let j = common::view(&t, u);
    assert_eq!(j["file"], "caf\\xe9/terragrunt.hcl");
    let d = unit_diags(&t, "caf\\xe9");
    assert!(
        has(
            &d,
            "unsupported",
            "caf\\xe9/terragrunt.hcl: the path is not valid UTF-8, so tglint does not evaluate this unit"
        ),
        "{d:?}"
    );
    // Other files there are still parsed and reported under the escaped name.
    assert!(
        tree_diags(&t)
            .iter()
            .any(|(r, f, _)| r == "parse-error" && f == "caf\\xe9/broken.hcl"),
        "{:?}",
        tree_diags(&t)
    );
}

#[test]
fn a_gitignore_linked_out_of_the_root_is_not_read() {
    let fs = MemFs::new()
        .file("/outside/ignore", "*\n")
        .link("/r/.gitignore", "/outside/ignore")
        .file("/r/u/terragrunt.hcl", "inputs = {}\n");
    let t = load_mem(fs, Options::default());
    assert_eq!(t.units.len(), 1, "the outside patterns are not applied");
    assert!(has(
        &tree_diags(&t),
        "unsupported",
        ".gitignore is a symbolic link that resolves outside the scanned root; its patterns are not read"
    ));
}

// ---------------------------------------------------------------------------------------
// On the real disk
// ---------------------------------------------------------------------------------------

/// A fresh directory under the system's temporary directory, removed on drop.
struct Temp(PathBuf);

impl Temp {
    fn new(tag: &str) -> Temp {
        use std::sync::atomic::{AtomicUsize, Ordering};
        static N: AtomicUsize = AtomicUsize::new(0);
        let p = std::env::temp_dir().join(format!(
            "tglint-{tag}-{}-{}",
            std::process::id(),
            N.fetch_add(1, Ordering::Relaxed)
        ));
        let _ = std::fs::remove_dir_all(&p);
        std::fs::create_dir_all(&p).expect("create temp dir");
        // The canonical path, so the tests compare like with like.
        Temp(std::fs::canonicalize(&p).expect("canonical temp dir"))
    }

    fn write(&self, rel: &str, text: &str) -> PathBuf {
        let p = self.0.join(rel);
        if let Some(d) = p.parent() {
            std::fs::create_dir_all(d).expect("create dirs");
        }
        std::fs::write(&p, text).expect("write");
        p
    }
}

impl Drop for Temp {
    fn drop(&mut self) {
        #[cfg(unix)]
        restore_permissions(&self.0);
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

#[cfg(unix)]
fn restore_permissions(p: &Path) {
    use std::os::unix::fs::PermissionsExt;
    let mut stack = vec![p.to_path_buf()];
    while let Some(d) = stack.pop() {
        let _ = std::fs::set_permissions(&d, std::fs::Permissions::from_mode(0o755));
        if let Ok(rd) = std::fs::read_dir(&d) {
            for e in rd.flatten() {
                if e.file_type().is_ok_and(|t| t.is_dir()) {
                    stack.push(e.path());
                }
            }
        }
    }
}

#[cfg(unix)]
fn symlink(target: impl AsRef<Path>, link: impl AsRef<Path>) {
    std::os::unix::fs::symlink(target, link).expect("symlink");
}

#[cfg(unix)]
#[test]
fn on_disk_links_out_of_the_root_are_refused_and_the_canary_never_read() {
    let outside = Temp::new("outside");
    outside.write("canary.txt", CANARY);
    outside.write(
        "outside.hcl",
        &format!("locals {{ s = \"{CANARY}\" }}\ninputs = {{ s = \"{CANARY}\" }}\n"),
    );
    outside.write(
        "unit/terragrunt.hcl",
        &format!("inputs = {{ s = \"{CANARY}\" }}\n"),
    );
    let repo = Temp::new("repo");
    let r = &repo.0;
    std::fs::create_dir_all(r.join("u")).expect("mkdir");
    symlink(outside.0.join("canary.txt"), r.join("u/env.hcl"));
    repo.write(
        "u/terragrunt.hcl",
        "locals {\n  x = file(\"${get_terragrunt_dir()}/env.hcl\")\n}\ninputs = { x = local.x }\n",
    );
    std::fs::create_dir_all(r.join("v")).expect("mkdir");
    symlink("..", r.join("v/up"));
    symlink(&outside.0, r.join("v/out"));
    repo.write(
        "v/terragrunt.hcl",
        r#"include "x" {
  path = "out/outside.hcl"
}
locals {
  f = file("out/canary.txt")
  e = fileexists("out/canary.txt")
  s = fileset("${get_terragrunt_dir()}/out", "*")
  c = read_terragrunt_config("out/outside.hcl")
  t = templatefile("out/canary.txt", {})
}
"#,
    );
    std::fs::create_dir_all(r.join("w")).expect("mkdir");
    symlink(outside.0.join("canary.txt"), r.join("w/terragrunt.hcl"));
    symlink(outside.0.join("unit"), r.join("linked-unit"));

    let t = load::load(Arc::new(DiskFs), r, Options::default());
    assert_no_canary(&t);
    let units: Vec<&str> = t.units.iter().map(|u| u.dir.as_str()).collect();
    assert_eq!(
        units,
        ["u", "v", "w"],
        "nothing is found through a link out"
    );
    assert!(has(
        &unit_diags(&t, "u"),
        "unsupported",
        "u/env.hcl is a symbolic link that resolves outside the scanned root"
    ));
    let v = unit_diags(&t, "v");
    let n = v
        .iter()
        .filter(|(r, _, m)| r == "unsupported" && m.contains("through the symbolic link v/out"))
        .count();
    assert!(n >= 5, "{v:#?}");
    assert!(t.unit("w").expect("w").failed);
    let d = tree_diags(&t);
    assert!(
        has(
            &d,
            "unsupported",
            "linked-unit is a symbolic link that resolves outside the scanned root; tglint never follows it"
        ),
        "{d:#?}"
    );
    assert!(
        has(
            &d,
            "unsupported",
            "v/up is a symbolic link to the directory the scanned root itself"
        ),
        "{d:#?}"
    );

    // The scanned root itself may be reached through a link.
    let via = Temp::new("via");
    symlink(r, via.0.join("checkout"));
    let t2 = load::load(
        Arc::new(DiskFs),
        &via.0.join("checkout"),
        Options::default(),
    );
    assert_no_canary(&t2);
    assert_eq!(t2.units.len(), 3);
    assert_eq!(
        output(&t2).replace(&via.0.join("checkout").display().to_string(), "<R>"),
        output(&t).replace(&r.display().to_string(), "<R>")
    );
}

#[cfg(unix)]
#[test]
fn on_disk_links_inside_the_root_work() {
    let repo = Temp::new("inside");
    let r = &repo.0;
    repo.write("common/env.hcl", "locals { env = \"prod\" }\n");
    repo.write("common/data.txt", "hello");
    std::fs::create_dir_all(r.join("u")).expect("mkdir");
    symlink("../common/env.hcl", r.join("u/env.hcl"));
    symlink("../common", r.join("u/shared"));
    repo.write(
        "u/terragrunt.hcl",
        "locals {\n  env  = read_terragrunt_config(\"env.hcl\").locals.env\n  data = file(\"shared/data.txt\")\n}\n",
    );
    let t = load::load(Arc::new(DiskFs), r, Options::default());
    assert_eq!(local(&t, "u", "env").as_str(), Some("prod"));
    assert_eq!(local(&t, "u", "data").as_str(), Some("hello"));
    assert!(unit_diags(&t, "u").is_empty(), "{:?}", unit_diags(&t, "u"));
}

/// A FIFO never blocks tglint (it is never opened for reading), nor does a socket.
#[cfg(unix)]
#[test]
fn on_disk_fifos_and_sockets_are_reported_without_blocking() {
    let repo = Temp::new("fifo");
    let r = repo.0.clone();
    std::fs::create_dir_all(r.join("f")).expect("mkdir");
    std::fs::create_dir_all(r.join("g")).expect("mkdir");
    std::fs::create_dir_all(r.join("s")).expect("mkdir");
    repo.write(
        "g/terragrunt.hcl",
        "locals {\n  e = read_terragrunt_config(\"env.hcl\")\n  x = file(\"env.hcl\")\n}\n",
    );
    // std cannot make a FIFO; the mkfifo tool can (skipped, visibly, where it is missing).
    let fifo = std::process::Command::new("mkfifo")
        .arg(r.join("f/terragrunt.hcl"))
        .arg(r.join("g/env.hcl"))
        .status()
        .is_ok_and(|s| s.success());
    if !fifo {
        eprintln!("SKIP (FIFO part): mkfifo is not available");
    }
    let _socket =
        std::os::unix::net::UnixListener::bind(r.join("s/terragrunt.hcl")).expect("socket");
    let (tx, rx) = std::sync::mpsc::channel();
    let root = r.clone();
    std::thread::spawn(move || {
        let t = load::load(Arc::new(DiskFs), &root, Options::default());
        let out: Vec<(String, bool, Vec<Diag>)> = t
            .units
            .iter()
            .map(|u| (u.dir.clone(), u.failed, unit_diags(&t, &u.dir)))
            .collect();
        let _ = tx.send(out);
    });
    let units = rx
        .recv_timeout(std::time::Duration::from_secs(60))
        .expect("loading never blocks on a FIFO");
    let find = |dir: &str| units.iter().find(|u| u.0 == dir).cloned();
    let s = find("s").expect("the socket unit is listed");
    assert!(s.1, "failed");
    assert!(
        has(
            &s.2,
            "parse-error",
            "s/terragrunt.hcl: cannot read the file: is not a regular file (it is a socket)"
        ),
        "{:?}",
        s.2
    );
    if fifo {
        let f = find("f").expect("the FIFO unit is listed");
        assert!(f.1);
        assert!(
            has(
                &f.2,
                "parse-error",
                "f/terragrunt.hcl: cannot read the file: is not a regular file (it is a named pipe)"
            ),
            "{:?}",
            f.2
        );
        let g = find("g").expect("g");
        assert!(
            g.2.iter().any(|(r, file, m)| r == "parse-error"
                && file == "g/env.hcl"
                && m.contains("named pipe")),
            "{:?}",
            g.2
        );
    }
}

#[cfg(unix)]
#[test]
fn on_disk_an_unreadable_directory_is_reported() {
    use std::os::unix::fs::PermissionsExt;
    let repo = Temp::new("locked");
    let r = &repo.0;
    repo.write("ok/terragrunt.hcl", "inputs = {}\n");
    repo.write("locked/u/terragrunt.hcl", "inputs = {}\n");
    std::fs::set_permissions(r.join("locked"), std::fs::Permissions::from_mode(0o000))
        .expect("chmod");
    if std::fs::read_dir(r.join("locked")).is_ok() {
        // Root (or CAP_DAC_OVERRIDE) ignores permissions: nothing to observe on disk here;
        // `an_unreadable_directory_is_reported` covers it with MemFs's failure injection.
        eprintln!("SKIP: running with privileges that ignore directory permissions");
        return;
    }
    let t = load::load(Arc::new(DiskFs), r, Options::default());
    assert_eq!(t.units.len(), 1);
    assert!(
        has(
            &tree_diags(&t),
            "parse-error",
            "cannot list directory locked: permission denied"
        ),
        "{:?}",
        tree_diags(&t)
    );
}

/// Below PATH_MAX nothing can be opened by path: the directory where that starts is
/// reported, and what lies below it is said not to be checked.
#[cfg(unix)]
#[test]
fn on_disk_a_path_longer_than_path_max_is_reported() {
    let repo = Temp::new("deep");
    let scratch = Temp::new("deep-scratch");
    let name = "d".repeat(200);
    // Creating the tree needs short paths: a link in the scratch directory jumps to the
    // current bottom whenever the path grows long.
    let mut short = repo.0.clone();
    let mut full_len = repo.0.as_os_str().len();
    let mut hop = 0;
    while full_len < 4400 {
        short = short.join(&name);
        std::fs::create_dir(&short).expect("mkdir");
        full_len += name.len() + 1;
        if short.as_os_str().len() > 3000 {
            let link = scratch.0.join(format!("h{hop}"));
            hop += 1;
            symlink(&short, &link);
            short = link;
        }
    }
    std::fs::write(short.join("terragrunt.hcl"), "inputs = {}\n").expect("write");
    repo.write("ok/terragrunt.hcl", "inputs = {}\n");
    let t = load::load(Arc::new(DiskFs), &repo.0, Options::default());
    assert_eq!(t.units.len(), 1, "only the unit that can be reached");
    let d = tree_diags(&t);
    assert!(
        d.iter().any(|(r, _, m)| r == "parse-error"
            && m.starts_with("cannot list directory ")
            && m.contains("longer than the operating system allows (PATH_MAX)")
            && m.contains("the units below it are not checked")),
        "{d:?}"
    );
}

#[cfg(unix)]
#[test]
fn on_disk_a_directory_name_that_is_not_utf8_is_shown_escaped() {
    use std::ffi::OsStr;
    use std::os::unix::ffi::OsStrExt;
    let repo = Temp::new("latin1");
    let dir = repo.0.join(OsStr::from_bytes(b"caf\xe9"));
    if std::fs::create_dir(&dir).is_err() {
        eprintln!("SKIP: this file system refuses names that are not UTF-8");
        return;
    }
    std::fs::write(dir.join("terragrunt.hcl"), "inputs = {}\n").expect("write");
    repo.write("ok/terragrunt.hcl", "inputs = {}\n");
    let t = load::load(Arc::new(DiskFs), &repo.0, Options::default());
    let units: Vec<&str> = t.units.iter().map(|u| u.dir.as_str()).collect();
    assert_eq!(units, ["caf\\xe9", "ok"]);
    assert!(t.unit("caf\\xe9").expect("listed").failed);
    assert!(
        t.diagnostics.is_empty(),
        "no wrong 'cannot list' error: {:?}",
        tree_diags(&t)
    );
}

/// The check is made on the opened handle, not on the path: a link swapped back and forth
/// between a file inside the root and one outside never lets the outside one be read.
#[cfg(unix)]
#[test]
fn on_disk_a_link_swapped_during_reads_never_leaks() {
    use std::sync::atomic::{AtomicBool, Ordering};
    use tglint_model::fs::{Fs, FsError};
    let outside = Temp::new("race-out");
    let canary = outside.write("canary.txt", CANARY);
    let repo = Temp::new("race");
    let inside = repo.write("inside.txt", "inside");
    let link = repo.0.join("link.txt");
    symlink(&inside, &link);
    let stop = Arc::new(AtomicBool::new(false));
    let swapper = {
        let (stop, link, tmp) = (stop.clone(), link.clone(), repo.0.join("tmp-link"));
        std::thread::spawn(move || {
            let mut n = 0u64;
            while !stop.load(Ordering::Relaxed) {
                let target = if n.is_multiple_of(2) {
                    &canary
                } else {
                    &inside
                };
                let _ = std::fs::remove_file(&tmp);
                if std::os::unix::fs::symlink(target, &tmp).is_ok() {
                    let _ = std::fs::rename(&tmp, &link);
                }
                n += 1;
            }
        })
    };
    let (mut read_inside, mut refused) = (0, 0);
    let deadline = std::time::Instant::now() + std::time::Duration::from_millis(1500);
    while std::time::Instant::now() < deadline {
        match DiskFs.read(&link, Some(&repo.0)) {
            Ok(b) => {
                assert_eq!(b, b"inside", "only the file inside the root is ever read");
                read_inside += 1;
            }
            Err(FsError::Outside) => refused += 1,
            Err(_) => {}
        }
    }
    stop.store(true, Ordering::Relaxed);
    swapper.join().expect("swapper");
    assert!(refused > 0, "the outside target was seen and refused");
    eprintln!("race: {read_inside} reads inside, {refused} refused");
    // A directory listing is checked the same way.
    assert_eq!(
        DiskFs.read_dir(&repo.0, Some(&outside.0)),
        Err(FsError::Outside)
    );
}
