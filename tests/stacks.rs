//! Stack files end to end: the two stack trees of the shared corpus yield one unit per
//! `unit` block, `--source-map` from the command line, the root rule for mapped paths,
//! and the files a stack unit and an autoinclude add to a unit's reads (changed-files
//! mode).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::{Tree, corpus, render_all, run_in, tglint};
use std::path::Path;

/// The `unit "<name>"` blocks of every stack file under `dir`, counted from the text.
fn unit_blocks(dir: &Path) -> usize {
    let mut n = 0;
    let mut todo = vec![dir.to_path_buf()];
    while let Some(d) = todo.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                todo.push(p);
            } else if p.file_name().is_some_and(|f| f == "terragrunt.stack.hcl") {
                let text = std::fs::read_to_string(&p).unwrap();
                n += text
                    .lines()
                    .filter(|l| l.starts_with("unit \"") && l.trim_end().ends_with('{'))
                    .count();
            }
        }
    }
    n
}

#[test]
fn the_stack_trees_of_the_corpus_yield_every_unit() {
    let Some(c) = corpus() else { return };
    for name in [
        "gruntwork-io__terragrunt-infrastructure-live-stacks-example",
        "ConsciousML__terragrunt-template-live-eks",
    ] {
        let dir = c.join("real").join(name);
        let expected = unit_blocks(&dir);
        assert!(expected > 0, "{name}: no unit blocks counted");
        let args: Vec<&std::ffi::OsStr> = vec![
            "render".as_ref(),
            "--all".as_ref(),
            dir.as_os_str(),
            "--root".as_ref(),
            dir.as_os_str(),
        ];
        let r = run_in(&dir, &args);
        assert_eq!(r.code, Some(0), "{name}: {}", r.stderr);
        let units: Vec<&serde_json::Value> =
            r.lines.iter().filter(|l| l.get("unit").is_some()).collect();
        let from_stacks = units.iter().filter(|u| u["stack"].is_object()).count();
        assert_eq!(units.len(), expected, "{name}: one line per unit block");
        assert_eq!(
            from_stacks, expected,
            "{name}: every unit comes from a stack"
        );
        assert!(
            !r.stdout.contains("are not evaluated by tglint yet"),
            "{name}: {}",
            r.stdout
        );
        // Every unit says which block it comes from, and carries its values.
        for u in &units {
            let s = &u["stack"];
            assert!(
                s["file"]
                    .as_str()
                    .unwrap()
                    .ends_with("terragrunt.stack.hcl")
            );
            assert!(s["line"].as_u64().unwrap() > 0);
            assert!(s["unit"].is_string());
            assert!(
                u["unit"].as_str().unwrap().contains("/.terragrunt-stack/"),
                "{u}"
            );
        }
        // check works on them: remote units cannot be verified, nothing fails.
        let r = run_in(
            &dir,
            &[
                "check".as_ref(),
                "--format".as_ref(),
                "json".as_ref(),
                "--root".as_ref(),
                dir.as_os_str(),
                dir.as_os_str(),
            ],
        );
        assert_eq!(r.code, Some(0), "{name}: {}", r.stdout);
        let j: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
        assert_eq!(j["summary"]["units"], expected as u64, "{}", j["summary"]);
        assert_eq!(j["summary"]["errors"], 0, "{}", j["summary"]);
        assert_eq!(j["summary"]["warnings"], 0, "{}", j["summary"]);
    }
}

fn remote_tree(name: &str) -> Tree {
    let t = Tree::new(name);
    t.file(
        "live/terragrunt.stack.hcl",
        "unit \"vpc\" {\n  source = \"git::https://example.com/acme/catalog.git//units/vpc?ref=v1\"\n  path   = \"vpc\"\n  values = { name = \"main\" }\n}\n",
    );
    t
}

#[test]
fn source_map_reads_a_local_checkout() {
    let t = remote_tree("stack-map");
    t.file(
        "checkout/units/vpc/terragrunt.hcl",
        "inputs = { name = values.name }\n",
    );
    let r = render_all(&t, &[]);
    let u = r.unit("live/.terragrunt-stack/vpc");
    assert!(u["inputs"]["$unknown"].is_string(), "{u}");
    assert!(r.has("remote unit source, not fetched"));

    let map = format!(
        "git::https://example.com/acme/catalog.git={}",
        t.path("checkout").display()
    );
    let r = render_all(&t, &["--source-map", &map]);
    let u = r.unit("live/.terragrunt-stack/vpc");
    assert_eq!(u["inputs"]["name"], "main", "{u}");
    assert_eq!(u["values"]["name"], "main");
    assert!(!r.has("remote unit source"), "{:?}", r.diagnostics());

    // A relative PATH is taken from the current directory.
    let map = "git::https://example.com/acme/catalog.git=checkout";
    let r = render_all(&t, &["--source-map", map]);
    assert_eq!(
        r.unit("live/.terragrunt-stack/vpc")["inputs"]["name"],
        "main"
    );
}

#[test]
fn a_mapped_checkout_outside_the_root_follows_the_root_rule() {
    let t = remote_tree("stack-map-out");
    let out = Tree::plain("stack-map-outside");
    out.file(
        "units/vpc/terragrunt.hcl",
        "inputs = { name = values.name }\n",
    );
    let map = format!(
        "git::https://example.com/acme/catalog.git={}",
        out.dir.display()
    );
    let r = render_all(&t, &["--source-map", &map]);
    let u = r.unit("live/.terragrunt-stack/vpc");
    assert!(u["inputs"]["$unknown"].is_string(), "{u}");
    assert!(
        r.has("outside the scanned root and is not read"),
        "{:?}",
        r.diagnostics()
    );
    let r = render_all(&t, &["--source-map", &map, "--allow-outside-root"]);
    assert_eq!(
        r.unit("live/.terragrunt-stack/vpc")["inputs"]["name"],
        "main"
    );
}

#[test]
fn a_bad_source_map_is_a_usage_error() {
    let t = remote_tree("stack-map-bad");
    for bad in ["no-equals-sign", "=x", "github.com/acme/x="] {
        let r = tglint(&t, &["render", "--all", ".", "--source-map", bad]);
        assert_eq!(r.code, Some(2), "{bad}: {}", r.stderr);
        assert!(r.stderr.contains("--source-map"), "{bad}: {}", r.stderr);
    }
}

#[test]
fn stack_and_autoinclude_files_count_in_the_units_reads() {
    let t = Tree::new("stack-reads");
    t.file(
        "live/terragrunt.stack.hcl",
        "unit \"app\" {\n  source = \"../units/app\"\n  path   = \"app\"\n  values = { name = \"a\" }\n}\n",
    )
    .file("units/app/terragrunt.hcl", "inputs = { name = values.name }\n")
    .file("plain/terragrunt.hcl", "inputs = { a = 1 }\n")
    .file("plain/terragrunt.autoinclude.hcl", "inputs = { a = 2 }\n");
    let changed = |file: &str| -> Vec<String> {
        let r = tglint(&t, &["check", "--format", "json", file]);
        let j: serde_json::Value = serde_json::from_str(&r.stdout)
            .unwrap_or_else(|e| panic!("{e}: {} {}", r.stdout, r.stderr));
        // The units checked: each gets at least the remote-state info here.
        let mut v: Vec<String> = j["diagnostics"]
            .as_array()
            .unwrap()
            .iter()
            .filter_map(|d| d["unit"].as_str().map(str::to_string))
            .collect();
        v.dedup();
        v.sort();
        v
    };
    let a = changed("plain/terragrunt.autoinclude.hcl");
    assert!(a.contains(&"plain".to_string()), "{a:?}");
    let s = changed("live/terragrunt.stack.hcl");
    assert!(
        s.contains(&"live/.terragrunt-stack/app".to_string()),
        "{s:?}"
    );
    let u = changed("units/app/terragrunt.hcl");
    assert!(
        u.contains(&"live/.terragrunt-stack/app".to_string()),
        "{u:?}"
    );
    let r = render_all(&t, &[]);
    assert_eq!(r.unit("plain")["inputs"]["a"], 2);
}

/// `render DIR` of a unit a stack generates, before `terragrunt stack generate` made it
/// exist: the stack is evaluated and that unit printed; a directory it does not generate
/// names the ones it does.
#[test]
fn render_of_a_generated_unit_directory_evaluates_its_stack() {
    let fixture = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/model/stack-local-values");
    let root = ["--root", fixture.to_str().unwrap()];
    let unit = fixture.join("live/prod/.terragrunt-stack/services/app");
    let mut args: Vec<&std::ffi::OsStr> = vec!["render".as_ref(), unit.as_os_str()];
    args.extend(root.iter().map(|a| std::ffi::OsStr::new(*a)));
    let r = run_in(&fixture, &args);
    assert_eq!(r.code, Some(0), "{}", r.stderr);
    let j = &r.lines[0];
    assert_eq!(j["unit"], "live/prod/.terragrunt-stack/services/app");
    assert_eq!(j["values"]["environment"], "prod", "{j:#}");
    assert_eq!(j["stack"]["unit"], "app");

    let missing = fixture.join("live/prod/.terragrunt-stack/nope");
    let mut args: Vec<&std::ffi::OsStr> = vec!["render".as_ref(), missing.as_os_str()];
    args.extend(root.iter().map(|a| std::ffi::OsStr::new(*a)));
    let r = run_in(&fixture, &args);
    assert_eq!(r.code, Some(2));
    assert!(
        r.stderr.contains("generates no unit there")
            && r.stderr
                .contains("live/prod/.terragrunt-stack/services/app"),
        "{}",
        r.stderr
    );
}
