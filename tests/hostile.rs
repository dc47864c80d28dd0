//! The hostile-input suite: trees an attacker could put in a pull request, each run
//! through the `tglint` binary. Every run must end (a watchdog kills it after a minute and
//! fails the test), exit cleanly, report the problem as a diagnostic in the JSON, keep the
//! unit in the output, and never let the content of a file outside the root into any
//! output.

use std::io::Read;
use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// A temporary tree under the system's temp directory, removed on drop.
struct Tree {
    dir: PathBuf,
}

impl Tree {
    fn new(name: &str) -> Tree {
        let dir =
            std::env::temp_dir().join(format!("tglint-hostile-{}-{name}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(dir.join(".git")).expect("create the tree");
        Tree { dir }
    }

    fn file(&self, rel: &str, contents: impl AsRef<[u8]>) -> &Tree {
        let p = self.dir.join(rel);
        if let Some(parent) = p.parent() {
            std::fs::create_dir_all(parent).expect("create directories");
        }
        std::fs::write(&p, contents).expect("write a file");
        self
    }
}

impl Drop for Tree {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// What one run printed.
struct Run {
    code: Option<i32>,
    stdout: String,
    stderr: String,
    /// The JSON lines of stdout.
    lines: Vec<serde_json::Value>,
}

impl Run {
    fn unit(&self, name: &str) -> &serde_json::Value {
        self.lines
            .iter()
            .find(|l| l["unit"] == name)
            .unwrap_or_else(|| panic!("unit {name} is missing from the output:\n{}", self.stdout))
    }

    /// `rule message` of every diagnostic in the output, units' and the tree's.
    fn diagnostics(&self) -> Vec<String> {
        self.lines
            .iter()
            .flat_map(|l| l["diagnostics"].as_array().cloned().unwrap_or_default())
            .map(|d| {
                format!(
                    "{} {}:{} {}",
                    d["rule"].as_str().unwrap_or(""),
                    d["file"].as_str().unwrap_or(""),
                    d["line"],
                    d["message"].as_str().unwrap_or("")
                )
            })
            .collect()
    }

    fn has(&self, needle: &str) -> bool {
        self.diagnostics().iter().any(|d| d.contains(needle))
    }
}

const WATCHDOG: Duration = Duration::from_secs(60);

/// Runs `tglint render --all` on the tree; fails the test if it does not end.
fn render_all(tree: &Tree, extra: &[&str]) -> Run {
    let mut child = Command::new(env!("CARGO_BIN_EXE_tglint"))
        .args(["render", "--all"])
        .arg(&tree.dir)
        .arg("--root")
        .arg(&tree.dir)
        .args(extra)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run tglint");
    let mut out = child.stdout.take().expect("stdout");
    let mut err = child.stderr.take().expect("stderr");
    let reader = std::thread::spawn(move || {
        let mut s = Vec::new();
        let _ = out.read_to_end(&mut s);
        s
    });
    let ereader = std::thread::spawn(move || {
        let mut s = Vec::new();
        let _ = err.read_to_end(&mut s);
        s
    });
    let start = Instant::now();
    let status = loop {
        if let Some(s) = child.try_wait().expect("wait") {
            break s;
        }
        if start.elapsed() > WATCHDOG {
            let _ = child.kill();
            panic!(
                "tglint did not end within {WATCHDOG:?} on {}",
                tree.dir.display()
            );
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    let stdout = String::from_utf8_lossy(&reader.join().unwrap_or_default()).into_owned();
    let stderr = String::from_utf8_lossy(&ereader.join().unwrap_or_default()).into_owned();
    let lines = stdout
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("not JSON ({e}): {l:.200}")))
        .collect();
    Run {
        code: status.code(),
        stdout,
        stderr,
        lines,
    }
}

fn assert_clean_exit(r: &Run) {
    assert_eq!(r.code, Some(0), "stderr: {}", r.stderr);
}

fn budget_exceeded(r: &Run, file: &str, line: u32) {
    let want = format!("eval-error {file}:{line} Evaluation budget exceeded");
    assert!(
        r.diagnostics().iter().any(|d| d.starts_with(&want)),
        "expected `{want}` in {:#?}",
        r.diagnostics()
    );
}

// ----- recursion -----

#[test]
fn templatefile_calling_itself_or_each_other_is_refused() {
    let t = Tree::new("tpl-recursion");
    t.file("u/self.tpl", "${templatefile(\"self.tpl\", {})}")
        .file("u/a.tpl", "${templatefile(\"b.tpl\", {})}")
        .file("u/b.tpl", "${templatefile(\"a.tpl\", {})}")
        .file(
            "u/terragrunt.hcl",
            "inputs = {\n  s = templatefile(\"self.tpl\", {})\n}\n",
        )
        .file(
            "v/terragrunt.hcl",
            "locals {\n  m = templatefile(\"../u/a.tpl\", {})\n}\ninputs = { ok = 1 }\n",
        );
    let r = render_all(&t, &[]);
    assert_clean_exit(&r);
    r.unit("u");
    assert_eq!(r.unit("v")["inputs"]["ok"], 1);
    let want = "cannot recursively call templatefile from inside templatefile call";
    assert!(
        r.has("u/terragrunt.hcl:2 Error in function call"),
        "{:#?}",
        r.diagnostics()
    );
    assert_eq!(
        r.diagnostics().iter().filter(|d| d.contains(want)).count(),
        2,
        "{:#?}",
        r.diagnostics()
    );
}

// ----- blow-ups -----

/// `locals` whose `a<i>` is built from two copies of `a<i-1>`, forty times.
fn doubling(first: &str, step: &str) -> String {
    let mut s = format!("locals {{\n  a0 = {first}\n");
    for i in 1..=40 {
        let prev = format!("local.a{}", i - 1);
        s.push_str(&format!("  a{i} = {}\n", step.replace("PREV", &prev)));
    }
    s.push_str("  fine = \"still evaluated\"\n}\ninputs = {\n  fine = local.fine\n}\n");
    s
}

#[test]
fn values_that_double_forty_times_stop_at_the_budget() {
    let t = Tree::new("doubling");
    t.file(
        "list/terragrunt.hcl",
        doubling("[\"x\"]", "concat(PREV, PREV)"),
    )
    .file(
        "string/terragrunt.hcl",
        doubling("\"xx\"", "\"${PREV}${PREV}\""),
    )
    .file(
        "object/terragrunt.hcl",
        doubling("{ k = 1 }", "{ l = PREV, r = PREV }"),
    )
    .file("shared/terragrunt.hcl", doubling("[1]", "[PREV, PREV]"));
    // Lower limits than the defaults keep the test quick in a debug build; the shape of
    // what happens is the same (crates/tglint-hcl/tests/budget.rs uses the defaults).
    let r = render_all(&t, &["--limit", "values=20000", "--limit", "bytes=1000000"]);
    assert_clean_exit(&r);
    for unit in ["list", "string", "object", "shared"] {
        let u = r.unit(unit);
        assert!(
            u["locals"]["a40"]["$unknown"].is_string(),
            "{unit}: {:.200}",
            u["locals"]["a40"]
        );
    }
    // Where each ran out: a<k> is line k + 2. The list holds 2^k elements (over 20,000
    // at k = 15), the object and the shared tuple 3 * 2^k - 1 values (k = 13), the
    // string 2^(k+1) bytes (over 1,000,000 at k = 19).
    budget_exceeded(&r, "list/terragrunt.hcl", 17);
    budget_exceeded(&r, "object/terragrunt.hcl", 15);
    budget_exceeded(&r, "shared/terragrunt.hcl", 15);
    budget_exceeded(&r, "string/terragrunt.hcl", 21);
    // Past a failed concat or template everything is unknown, so the rest of the unit
    // evaluates as usual.
    for unit in ["list", "string"] {
        assert_eq!(r.unit(unit)["inputs"]["fine"], "still evaluated", "{unit}");
    }
    // An object or tuple of unknowns is known, so the doubling starts again from it and
    // runs out the unit's total (four times the limit per expression): the rest of the
    // unit is then not evaluated, and one diagnostic says so.
    for unit in ["object", "shared"] {
        let limit = format!("{unit}/terragrunt.hcl");
        let total: Vec<String> = r
            .diagnostics()
            .into_iter()
            .filter(|d| d.contains(&limit) && d.contains("the limit for one unit"))
            .collect();
        assert_eq!(total.len(), 1, "{unit}: {:#?}", r.diagnostics());
        assert!(r.unit(unit)["inputs"]["$unknown"].is_string(), "{unit}");
    }
}

#[test]
fn nested_loops_stop_at_the_budget() {
    let t = Tree::new("loops");
    t.file(
        "for/terragrunt.hcl",
        "locals {\n  x = [for a in range(1000) : [for b in range(1000) : [for c in range(1000) : c]]]\n}\ninputs = { ok = true }\n",
    )
    .file(
        "template/terragrunt.hcl",
        "locals {\n  x = \"%{for a in range(1000)}%{for b in range(1000)}%{for c in range(1000)}x%{endfor}%{endfor}%{endfor}\"\n}\ninputs = { ok = true }\n",
    );
    let r = render_all(&t, &[]);
    assert_clean_exit(&r);
    for unit in ["for", "template"] {
        assert_eq!(r.unit(unit)["inputs"]["ok"], true);
        budget_exceeded(&r, &format!("{unit}/terragrunt.hcl"), 2);
    }
}

#[test]
fn a_yaml_alias_bomb_stops_at_the_budget() {
    let t = Tree::new("yaml");
    let mut y = String::from(
        "a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n",
    );
    let mut prev = 'a';
    for n in "bcdefghi".chars() {
        let refs = vec![format!("*{prev}"); 9].join(",");
        y.push_str(&format!("{n}: &{n} [{refs}]\n"));
        prev = n;
    }
    t.file("u/bomb.yaml", y).file(
        "u/terragrunt.hcl",
        "locals {\n  x = yamldecode(file(\"bomb.yaml\"))\n}\ninputs = { ok = true }\n",
    );
    let r = render_all(&t, &[]);
    assert_clean_exit(&r);
    assert_eq!(r.unit("u")["inputs"]["ok"], true);
    budget_exceeded(&r, "u/terragrunt.hcl", 2);
}

#[test]
fn a_chain_of_files_each_reading_the_next_twice_ends() {
    let t = Tree::new("read-chain");
    for i in 0..30 {
        let body = if i < 29 {
            let next = format!("c{}.hcl", i + 1);
            format!(
                "locals {{\n  a = read_terragrunt_config(\"{next}\")\n  b = read_terragrunt_config(\"{next}\")\n}}\n"
            )
        } else {
            "locals { v = 1 }\n".to_string()
        };
        t.file(&format!("c{i}.hcl"), body);
    }
    t.file(
        "u/terragrunt.hcl",
        "locals {\n  r = read_terragrunt_config(\"../c0.hcl\")\n}\ninputs = { ok = true }\n",
    );
    let r = render_all(&t, &[]);
    assert_clean_exit(&r);
    assert_eq!(r.unit("u")["inputs"]["ok"], true);
    // Each file is read once per unit, so the time is linear; the value itself doubles
    // per level (2^30 as a tree), and the budget stops it, once, where it ran out.
    let budget: Vec<String> = r
        .diagnostics()
        .into_iter()
        .filter(|d| d.contains("Evaluation budget exceeded"))
        .collect();
    assert_eq!(budget.len(), 1, "{budget:#?}");
}

#[test]
fn a_raised_limit_lets_a_large_genuine_value_through() {
    let t = Tree::new("raised-limit");
    t.file(
        "u/terragrunt.hcl",
        "locals {\n  big = [for i in range(1000) : [for j in range(400) : j]]\n}\ninputs = { n = length(local.big) }\n",
    );
    let r = render_all(&t, &[]);
    assert_clean_exit(&r);
    budget_exceeded(&r, "u/terragrunt.hcl", 2);
    let r = render_all(
        &t,
        &["--limit", "values=5000000", "--limit", "steps=10000000"],
    );
    assert_clean_exit(&r);
    assert_eq!(r.unit("u")["inputs"]["n"], 1000, "{:#?}", r.diagnostics());
}

#[test]
fn a_bad_limit_flag_is_a_usage_error() {
    let t = Tree::new("bad-limit");
    t.file("u/terragrunt.hcl", "inputs = {}\n");
    let r = render_all(&t, &["--limit", "stepz=10"]);
    assert_eq!(r.code, Some(2));
    assert!(
        r.stderr
            .contains("no limit is named `stepz`; the limits are steps, values, bytes, reads"),
        "{}",
        r.stderr
    );
    let r = render_all(&t, &["--limit", "steps=lots"]);
    assert_eq!(r.code, Some(2));
    assert!(r.stderr.contains("positive whole number"), "{}", r.stderr);
}
