//! The hostile-input suite: trees an attacker could put in a pull request, each run
//! through the `tglint` binary. Every run must end (a watchdog kills it after a minute and
//! fails the test), exit cleanly, report the problem as a diagnostic in the JSON, keep the
//! unit in the output, and never let the content of a file outside the root into any
//! output. The classes: links out of the root, recursion, blow-ups, loops, deep and huge
//! inputs, and problems of the file system itself (docs/security.md).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::{Run, Tree, render_all, tglint};
use std::process::Command;

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

// ----- links out of the root -----

const CANARY: &str = "CANARY-hostile-5f3a";

/// A work tree whose units reach out through links, and the directory they reach.
#[cfg(unix)]
fn linked_repo(name: &str) -> (Tree, Tree) {
    let outside = Tree::plain(&format!("{name}-outside"));
    outside
        .file("canary.txt", CANARY)
        .file(
            "outside.hcl",
            format!("locals {{ s = \"{CANARY}\" }}\ninputs = {{ s = \"{CANARY}\" }}\n"),
        )
        .file(
            "unit/terragrunt.hcl",
            format!("inputs = {{ s = \"{CANARY}\" }}\n"),
        );
    let repo = Tree::new(name);
    repo.file(
        "u/terragrunt.hcl",
        "locals {\n  x = file(\"${get_terragrunt_dir()}/env.hcl\")\n}\ninputs = { x = local.x }\n",
    )
    .link(outside.path("canary.txt"), "u/env.hcl")
    .file(
        "v/terragrunt.hcl",
        "include \"x\" {\n  path = \"out/outside.hcl\"\n}\nlocals {\n  c = read_terragrunt_config(\"out/outside.hcl\")\n  f = file(\"up/canary.txt\")\n}\n",
    )
    .link(&outside.dir, "v/out")
    .link(format!("../../{}", outside.dir.file_name().and_then(|n| n.to_str()).unwrap_or("")), "v/up")
    .link(outside.path("canary.txt"), "w/terragrunt.hcl")
    .link(outside.path("unit"), "linked-unit")
    .link("u", "also-u");
    (outside, repo)
}

#[cfg(unix)]
#[test]
fn links_out_of_the_root_are_refused_and_their_content_never_shown() {
    let (_outside, repo) = linked_repo("links");
    let r = tglint(&repo, &["render", "--all", "."]);
    assert_clean_exit(&r);
    r.never_shows(CANARY);
    // A file link read by file(); a directory link read by include, read_terragrunt_config
    // and file(); a unit file that is a link; links met by discovery.
    assert_eq!(r.units(), ["u", "v", "w"]);
    assert!(r.unit("u")["inputs"]["x"]["$unknown"].is_string());
    assert!(r.has("u/env.hcl is a symbolic link that resolves outside the scanned root"));
    let v = r.diagnostics();
    let v: Vec<&String> = v.iter().filter(|d| d.contains(" v/")).collect();
    assert!(v.len() >= 2, "{v:#?}");
    assert!(
        v.iter().all(|d| d.starts_with("unsupported ")),
        "every refusal is unsupported: {v:#?}"
    );
    assert_eq!(r.unit("w")["diagnostics"][0]["rule"], "unsupported");
    let last = r.lines.last().expect("the tree's line");
    assert!(last.get("unit").is_none(), "{last}");
    assert!(r.has(
        "linked-unit is a symbolic link that resolves outside the scanned root; tglint never follows it"
    ));
    assert!(r.has(
        "also-u is a symbolic link to the directory u; discovery does not follow directory links"
    ));
    // The stderr lines are kept too.
    assert!(
        r.stderr.contains("linked-unit:1:1: info [unsupported]"),
        "{}",
        r.stderr
    );

    // --follow-links walks links that stay inside the root, never the others.
    let r = tglint(&repo, &["render", "--all", ".", "--follow-links"]);
    assert_clean_exit(&r);
    r.never_shows(CANARY);
    assert_eq!(r.units(), ["also-u", "u", "v", "w"]);

    // --allow-outside-root is the one way to read there.
    let r = tglint(&repo, &["render", "u", "--allow-outside-root"]);
    assert_clean_exit(&r);
    assert_eq!(r.unit("u")["inputs"]["x"], CANARY);
}

#[cfg(unix)]
#[test]
fn a_target_or_a_root_behind_a_link_out_is_a_usage_error() {
    let (outside, repo) = linked_repo("link-targets");
    let targets: [&[&str]; 2] = [
        &["render", "linked-unit"],
        &["render", "--all", "linked-unit"],
    ];
    for args in targets {
        let r = tglint(&repo, args);
        assert_eq!(r.code, Some(2), "{args:?}");
        assert!(
            r.stderr
                .contains("linked-unit is a symbolic link that resolves outside the scanned root"),
            "{}",
            r.stderr
        );
        assert!(r.stdout.is_empty());
    }
    // A unit whose file is a link out renders as a failed unit.
    let r = tglint(&repo, &["render", "w"]);
    assert_clean_exit(&r);
    assert_eq!(r.unit("w")["unit"], "w");
    r.never_shows(CANARY);
    // A link to another work tree is content of this one, not a new root.
    std::fs::create_dir(outside.path(".git")).expect("mkdir");
    repo.link(&outside.dir, "live");
    let r = tglint(&repo, &["render", "--all", "live"]);
    assert_eq!(r.code, Some(2));
    assert!(r.stdout.is_empty());
    assert!(
        r.stderr
            .contains("live is a symbolic link that resolves outside the scanned root"),
        "{}",
        r.stderr
    );
}

#[cfg(unix)]
#[test]
fn link_loops_end() {
    let t = Tree::new("link-loops");
    t.file("a/terragrunt.hcl", "inputs = { a = 1 }\n")
        .link("..", "a/up")
        .link("../c", "a/b")
        .file("c/terragrunt.hcl", "inputs = { c = 1 }\n")
        .link("../a", "c/d")
        .link("/", "slash");
    let r = render_all(&t, &[]);
    assert_clean_exit(&r);
    assert_eq!(r.units(), ["a", "c"]);
    assert!(r.has("a/up is a symbolic link to the directory the scanned root itself"));
    assert!(r.has("slash is a symbolic link that resolves outside the scanned root"));
    // Following links, a directory is walked as itself and through at most one link;
    // links back to a directory above are loops, reported and not followed.
    let r = render_all(&t, &["--follow-links"]);
    assert_clean_exit(&r);
    assert_eq!(r.units(), ["a", "a/b", "c", "c/d"]);
    for looped in [
        "a/up links back to .",
        "a/b/d links back to a",
        "c/d/b links back to c",
    ] {
        assert!(r.has(looped), "{looped}: {:#?}", r.diagnostics());
    }
    assert!(r.has("slash is a symbolic link that resolves outside the scanned root"));
}

// ----- the file system itself -----

#[cfg(unix)]
#[test]
fn file_system_problems_are_in_the_report_and_units_are_not_lost() {
    use std::os::unix::ffi::OsStrExt;
    let t = Tree::new("fs-problems");
    // A unit 300 directories deep: found (there is no depth bound to fall off).
    let deep: Vec<String> = (0..300).map(|i| format!("d{i}")).collect();
    let deep = deep.join("/");
    t.file(
        &format!("{deep}/terragrunt.hcl"),
        "inputs = { deep = true }\n",
    );
    // A directory whose name is not UTF-8.
    let odd = t.dir.join(std::ffi::OsStr::from_bytes(b"caf\xe9"));
    std::fs::create_dir_all(&odd).expect("mkdir");
    std::fs::write(odd.join("terragrunt.hcl"), "inputs = {}\n").expect("write");
    // A FIFO where a parent configuration is expected (made with the mkfifo tool, which
    // std lacks; that part is skipped, visibly, where the tool is missing).
    t.file(
        "f/terragrunt.hcl",
        "include \"env\" {\n  path = \"env.hcl\"\n}\ninputs = { ok = true }\n",
    );
    let fifo = Command::new("mkfifo")
        .arg(t.path("f/env.hcl"))
        .status()
        .is_ok_and(|s| s.success());
    if !fifo {
        eprintln!("SKIP (FIFO part): mkfifo is not available");
    }
    // A file over the size cap (sparse: nothing is written).
    std::fs::create_dir_all(t.path("big")).expect("mkdir");
    let big = std::fs::File::create(t.path("big/terragrunt.hcl")).expect("create");
    big.set_len(17 << 20).expect("sparse file");
    // A unit file that is a socket.
    std::fs::create_dir_all(t.path("s")).expect("mkdir");
    let _socket =
        std::os::unix::net::UnixListener::bind(t.path("s/terragrunt.hcl")).expect("socket");

    let r = render_all(&t, &[]);
    assert_clean_exit(&r);
    assert_eq!(r.unit(&deep)["inputs"]["deep"], true);
    let u = r.unit("caf\\xe9");
    assert!(
        u["diagnostics"][0]["message"]
            .as_str()
            .unwrap_or("")
            .contains("caf\\xe9"),
        "{u}"
    );
    if fifo {
        assert!(
            r.has("env.hcl: cannot read the file: is not a regular file (it is a named pipe)"),
            "{:#?}",
            r.diagnostics()
        );
    }
    assert!(
        r.has("big/terragrunt.hcl is larger than the 16 MiB cap and is not read"),
        "{:#?}",
        r.diagnostics()
    );
    r.unit("big");
    assert_eq!(
        r.unit("s")["diagnostics"][0]["message"],
        "s/terragrunt.hcl: cannot read the file: is not a regular file (it is a socket)"
    );
    // The same unit rendered alone.
    let one = tglint(&t, &["render", "s"]);
    assert_clean_exit(&one);
    assert_eq!(one.unit("s")["diagnostics"][0]["rule"], "parse-error");
}

// ----- deep and huge inputs -----

#[test]
fn deep_and_huge_inputs_are_parsed_or_reported_where_they_are() {
    let t = Tree::new("huge");
    // Nesting far deeper than any real file: a clear error, not a stack overflow.
    let deep = format!(
        "inputs = {{ x = {}1{} }}\n",
        "[".repeat(5000),
        "]".repeat(5000)
    );
    t.file("nested/terragrunt.hcl", deep);
    // 100,000 keys in one object: parsed in linear time.
    let mut keys = String::from("locals {\n  o = {\n");
    for i in 0..100_000 {
        keys.push_str(&format!("    k{i} = {i}\n"));
    }
    keys.push_str("  }\n}\ninputs = { n = length(local.o) }\n");
    t.file("keys/terragrunt.hcl", keys);
    // Number literals beyond f64, and a million digits.
    t.file(
        "numbers/terragrunt.hcl",
        format!(
            "inputs = {{\n  e = 1e999999999\n  d = {}\n}}\n",
            "9".repeat(1_000_000)
        ),
    );
    // An unterminated string is reported where it starts.
    t.file(
        "unterminated/terragrunt.hcl",
        "inputs = {\n  a = 1\n  b = \"abc\n  c = 2\n}\n",
    );

    let r = render_all(&t, &[]);
    assert_clean_exit(&r);
    assert!(r.unit("nested")["inputs"].is_object());
    assert!(
        r.diagnostics()
            .iter()
            .any(|d| d.starts_with("parse-error nested/terragrunt.hcl:1")),
        "{:#?}",
        r.diagnostics()
    );
    assert_eq!(r.unit("keys")["inputs"]["n"], 100_000);
    let n = &r.unit("numbers")["inputs"];
    assert_eq!(n["e"]["$number"], "+Inf", "{n}");
    // A million nines is finite in cty: at 512 bits it is 10^1000000, printed in full.
    let d = n["d"]["$number"].as_str().unwrap_or_default();
    assert_eq!(d.len(), 1_000_001, "{}", &d[..d.len().min(200)]);
    assert!(d.starts_with('1') && d[1..].bytes().all(|c| c == b'0'));
    let bad = r.unit("unterminated");
    let d = &bad["diagnostics"][0];
    assert_eq!(
        (d["line"].as_u64(), d["column"].as_u64()),
        (Some(3), Some(7)),
        "{d}"
    );
    assert!(
        d["message"]
            .as_str()
            .unwrap_or("")
            .starts_with("unterminated string"),
        "{d}"
    );
}

#[test]
fn inputs_nested_at_the_limit_are_checked_and_rendered_and_one_more_level_is_an_error() {
    use tglint_model::hcl::{FileId, MAX_NESTING, parse_body};
    // A debug build (as tests run) needs about 25 MiB of stack for this: the binary's
    // threads have 64 MiB. `inputs`' object is the first level, the innermost `1` the last.
    let nested = |n: usize| format!("{}1{}", "[".repeat(n), "]".repeat(n));
    let t = Tree::new("nested-limit");
    t.file("root.hcl", "");
    t.file(
        "at/terragrunt.hcl",
        format!(
            "locals {{\n  d = {}\n}}\ninputs = {{\n  x = local.d\n  y = jsondecode(jsonencode(local.d))\n}}\n",
            nested(MAX_NESTING - 1)
        ),
    );
    t.file(
        "beyond/terragrunt.hcl",
        format!("inputs = {{\n  a = 1\n  x = {}\n}}\n", nested(MAX_NESTING)),
    );
    let limit = "invalid nesting depth; expected at most 1024 nested levels";

    // `render --all` (JSON lines; serde_json, which the test harness reads them with,
    // stops at 128 levels, so the text is checked as text).
    let out = Command::new(env!("CARGO_BIN_EXE_tglint"))
        .env("TGLINT_CACHE_DIR", common::test_cache_dir())
        .args(["render", "--all", "."])
        .current_dir(&t.dir)
        .output()
        .expect("run tglint");
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8(out.stdout).unwrap();
    let at = text
        .lines()
        .find(|l| l.contains("\"unit\":\"at\""))
        .unwrap();
    let whole = nested(MAX_NESTING - 1);
    assert!(at.contains(&format!("\"x\":{whole}")), "{at:.300}");
    assert!(at.contains(&format!("\"y\":{whole}")), "{at:.300}");
    assert!(at.contains("\"diagnostics\":[]"), "{at:.300}");
    // One level more: a parse error naming the limit, the file and the line.
    let beyond = text
        .lines()
        .find(|l| l.contains("\"unit\":\"beyond\""))
        .unwrap();
    assert!(beyond.contains(limit), "{beyond}");
    assert!(
        beyond.contains("\"file\":\"beyond/terragrunt.hcl\",\"help\""),
        "{beyond}"
    );
    assert!(beyond.contains("\"line\":3"), "{beyond}");

    // `render --format hcl` writes it whole, as HCL that parses again.
    let hcl = tglint(&t, &["render", "--format", "hcl", "at"]);
    assert_clean_exit(&hcl);
    assert!(!hcl.stdout.contains("nested too deeply"));
    assert_eq!(hcl.stdout.matches('[').count(), 3 * (MAX_NESTING - 1));
    let reparse = std::thread::Builder::new()
        .stack_size(64 << 20)
        .spawn(move || parse_body(FileId(0), &hcl.stdout).map(|_| ()))
        .unwrap()
        .join()
        .unwrap();
    reparse.unwrap_or_else(|e| panic!("{e}"));

    // `check` (its own pool of threads) checks both units and reports the deeper one
    // where it is.
    let c = tglint(&t, &["check", "--format", "json", "."]);
    assert_eq!(c.code, Some(1), "stderr: {}", c.stderr);
    assert!(
        c.has(&format!("parse-error beyond/terragrunt.hcl:3 {limit}")),
        "{:#?}",
        c.diagnostics()
    );
    // The unit at the limit gets the rules' findings (notes here), no loading error.
    assert!(
        c.has("remote-state at/terragrunt.hcl:1"),
        "{:#?}",
        c.diagnostics()
    );
    assert!(!c.has("error at/terragrunt.hcl"), "{:#?}", c.diagnostics());
    let human = tglint(&t, &["check", "--format", "human", "beyond"]);
    assert!(human.stdout.contains(limit), "{}", human.stdout);
    assert!(
        human.stdout.contains("beyond/terragrunt.hcl:3:"),
        "{}",
        human.stdout
    );
}

#[test]
fn a_read_terragrunt_config_loop_is_reported_as_a_loop() {
    let t = Tree::new("read-loop");
    t.file(
        "a.hcl",
        "locals { b = read_terragrunt_config(\"b.hcl\") }\n",
    )
    .file(
        "b.hcl",
        "locals { a = read_terragrunt_config(\"a.hcl\") }\n",
    )
    .file(
        "u/terragrunt.hcl",
        "locals { a = read_terragrunt_config(\"../a.hcl\") }\ninputs = { ok = true }\n",
    );
    let r = render_all(&t, &[]);
    assert_clean_exit(&r);
    assert_eq!(r.unit("u")["inputs"]["ok"], true);
    assert!(
        r.has("read_terragrunt_config loop"),
        "{:#?}",
        r.diagnostics()
    );
}
