//! The commands around `check`, end to end: `rules` (both formats, levels from the
//! policy), `explain` (the docs pages' very text, reserved ids, unknown ids), `graph`
//! (dot, mermaid and JSON on the dependency-graph fixtures, red edges exactly where the
//! rule reports), `init` (on a copy of the reference tree and on a tree the pack does not
//! know, the file loading and checking without a policy error, never overwritten), and an
//! `Examples:` section in every command's `--help`.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::{Run, Tree, run_in, tglint};
use std::ffi::OsStr;
use std::path::{Path, PathBuf};

fn workspace() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// `tglint ARGS` in the workspace.
fn here(args: &[&str]) -> Run {
    let args: Vec<&OsStr> = args.iter().map(OsStr::new).collect();
    run_in(&workspace(), &args)
}

fn json(r: &Run) -> serde_json::Value {
    serde_json::from_str(&r.stdout).unwrap_or_else(|e| panic!("not JSON ({e}):\n{}", r.stdout))
}

// ----- rules ------------------------------------------------------------------------------

#[test]
fn rules_lists_every_rule_and_reserved_id_as_a_table() {
    let r = here(&["rules"]);
    assert_eq!(r.code, Some(0), "{}", r.stderr);
    for rule in tglint_rules::RULES {
        let id = rule.meta().id;
        assert!(
            r.stdout.lines().any(|l| l.starts_with(&format!("{id} "))),
            "{id} is not listed:\n{}",
            r.stdout
        );
    }
    assert!(r.stdout.contains("unclassified"), "{}", r.stdout);
    // Aligned: every row of the rules table starts its CATEGORY column at the same place.
    let col = |l: &str| {
        l.find("  ")
            .map(|i| i + l[i..].find(|c| c != ' ').unwrap_or(0))
    };
    let rows: Vec<&str> = r
        .stdout
        .lines()
        .skip_while(|l| !l.starts_with("RULE "))
        .take_while(|l| !l.is_empty())
        .collect();
    assert_eq!(rows.len(), tglint_rules::RULES.len() + 1);
    let first = col(rows[0]);
    assert!(rows.iter().all(|l| col(l) == first), "{rows:#?}");
    insta::assert_snapshot!("rules_human", r.stdout);
}

#[test]
fn rules_json_has_every_rule_and_reserved_id() {
    let r = here(&["rules", "--format", "json"]);
    assert_eq!(r.code, Some(0), "{}", r.stderr);
    let v = json(&r);
    let ids: Vec<&str> = v["rules"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["id"].as_str().unwrap())
        .collect();
    let want: Vec<&str> = tglint_rules::RULES.iter().map(|r| r.meta().id).collect();
    assert_eq!(ids, want);
    for rule in v["rules"].as_array().unwrap() {
        for key in ["category", "scope", "default_severity", "level", "summary"] {
            assert!(rule[key].is_string(), "{key} of {rule}");
        }
        assert_eq!(rule["level"], rule["default_severity"], "{rule}");
    }
    let reserved = v["reserved"].as_array().unwrap();
    assert_eq!(reserved.len(), tglint_model::diag::Reserved::ALL.len());
    let policy_error = reserved.iter().find(|r| r["id"] == "policy-error").unwrap();
    assert_eq!(policy_error["configurable"], false);
    assert_eq!(policy_error["default_severity"], "error");
    insta::assert_snapshot!("rules_json", r.stdout);
}

#[test]
fn rules_shows_the_levels_the_policy_sets() {
    let t = Tree::new("rules-policy");
    t.file(
        ".tglint.hcl",
        "rule \"instance-class\" {\n  enabled = false\n}\nrule \"deletion-protection\" {\n  severity = \"warning\"\n}\nrule \"unclassified\" {\n  severity = \"error\"\n}\n",
    );
    let r = tglint(&t, &["rules", "--format", "json"]);
    assert_eq!(r.code, Some(0), "{}", r.stderr);
    let v = json(&r);
    let level = |list: &str, id: &str| {
        v[list]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["id"] == id)
            .map(|r| (r["default_severity"].clone(), r["level"].clone()))
            .unwrap()
    };
    assert_eq!(
        level("rules", "instance-class"),
        ("warning".into(), "off".into())
    );
    assert_eq!(
        level("rules", "deletion-protection"),
        ("error".into(), "warning".into())
    );
    assert_eq!(
        level("reserved", "unclassified"),
        ("info".into(), "error".into())
    );
    assert_eq!(v["policy"][1], ".tglint.hcl");
    // A broken policy: exit 2, with the policy error on stderr.
    t.file(".tglint.hcl", "rule \"deletion-protecton\" {}\n");
    let r = tglint(&t, &["rules"]);
    assert_eq!(r.code, Some(2), "{}", r.stdout);
    assert!(r.stderr.contains("deletion-protection"), "{}", r.stderr);
}

// ----- explain ----------------------------------------------------------------------------

#[test]
fn explain_prints_each_rules_docs_page() {
    for rule in tglint_rules::RULES {
        let id = rule.meta().id;
        let r = here(&["explain", id]);
        assert_eq!(r.code, Some(0), "{id}: {}", r.stderr);
        let page =
            std::fs::read_to_string(workspace().join(format!("docs/rules/{id}.md"))).unwrap();
        // The page is the generator's comment line, then exactly what explain prints.
        let (comment, body) = page.split_once('\n').unwrap();
        assert!(comment.starts_with("<!--"), "{id}: {comment}");
        assert_eq!(
            r.stdout, body,
            "{id}: explain and docs/rules/{id}.md differ"
        );
    }
    let r = here(&["explain", "deletion-protection"]);
    insta::assert_snapshot!("explain_deletion_protection", r.stdout);
}

#[test]
fn explain_answers_for_reserved_ids() {
    for reserved in tglint_model::diag::Reserved::ALL {
        let r = here(&["explain", reserved.id()]);
        assert_eq!(r.code, Some(0), "{}", r.stderr);
        assert!(
            r.stdout
                .starts_with(&format!("# `{}` (reserved)", reserved.id())),
            "{}",
            r.stdout
        );
    }
    let r = here(&["explain", "unclassified"]);
    insta::assert_snapshot!("explain_unclassified", r.stdout);
}

#[test]
fn explain_of_an_unknown_id_is_a_usage_error_with_a_suggestion() {
    let r = here(&["explain", "deletion-protecton"]);
    assert_eq!(r.code, Some(2));
    assert!(r.stdout.is_empty(), "{}", r.stdout);
    assert_eq!(r.stderr.lines().count(), 1, "one line: {}", r.stderr);
    assert!(
        r.stderr.contains("did you mean `deletion-protection`?"),
        "{}",
        r.stderr
    );
    insta::assert_snapshot!("explain_unknown_id", r.stderr);
    // Reserved ids are candidates too; a name close to nothing gets no suggestion.
    let r = here(&["explain", "parse-eror"]);
    assert!(r.stderr.contains("`parse-error`"), "{}", r.stderr);
    let r = here(&["explain", "zzzzzzzz"]);
    assert_eq!(r.code, Some(2));
    assert!(!r.stderr.contains("did you mean"), "{}", r.stderr);
}

// ----- graph ------------------------------------------------------------------------------

fn case(name: &str) -> PathBuf {
    workspace()
        .join("fixtures/rules/dependency-graph")
        .join(name)
}

/// `tglint graph --format FORMAT` of a fixture, the fixture as root.
fn graph(dir: &Path, format: &str) -> Run {
    let d = dir.as_os_str();
    let args: Vec<&OsStr> = vec![
        "graph".as_ref(),
        "--format".as_ref(),
        format.as_ref(),
        "--root".as_ref(),
        d,
        d,
    ];
    let r = run_in(&workspace(), &args);
    assert_eq!(r.code, Some(0), "{}", r.stderr);
    r
}

/// The dependency-graph rule's findings on a fixture that are violations (not "cannot
/// verify"), by unit.
fn rule_findings(dir: &Path) -> Vec<String> {
    let d = dir.to_str().unwrap();
    let r = here(&[
        "check",
        "--format",
        "json",
        "--rule",
        "dependency-graph",
        "--unknown",
        "ignore",
        "--root",
        d,
        d,
    ]);
    let mut out: Vec<String> = json(&r)["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["rule"] == "dependency-graph")
        .map(|d| d["unit"].as_str().unwrap_or("").to_string())
        .collect();
    out.sort();
    out
}

#[test]
fn graph_red_edges_are_the_rules_findings_on_every_fixture() {
    let mut cases: Vec<PathBuf> =
        std::fs::read_dir(workspace().join("fixtures/rules/dependency-graph"))
            .unwrap()
            .map(|e| e.unwrap().path())
            .collect();
    cases.push(workspace().join("fixtures/reference-architecture"));
    cases.sort();
    for dir in &cases {
        let v = json(&graph(dir, "json"));
        // One finding per broken invariant: an edge both upward and across environments
        // is two.
        let mut red: Vec<String> = Vec::new();
        for e in v["edges"].as_array().unwrap() {
            let verdict = e["verdict"].as_str().unwrap();
            if verdict != "ok" && verdict != "unknown" {
                for _ in verdict.split('+') {
                    red.push(e["from"].as_str().unwrap().to_string());
                }
            }
        }
        red.sort();
        assert_eq!(
            red,
            rule_findings(dir),
            "{}: the graph's red edges and the rule's findings differ",
            dir.display()
        );
        // dot and mermaid draw as many red edges as the JSON has bad ones.
        let bad = v["edges"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|e| e["verdict"] != "ok" && e["verdict"] != "unknown")
            .count();
        let dot = graph(dir, "dot").stdout;
        let red_dot = dot
            .lines()
            .filter(|l| l.contains(" -> ") && l.contains("color=red"))
            .count();
        assert_eq!(red_dot, bad, "{}:\n{dot}", dir.display());
        let mermaid = graph(dir, "mermaid").stdout;
        let styled: usize = mermaid
            .lines()
            .filter_map(|l| l.trim().strip_prefix("linkStyle "))
            .map(|l| l.split_whitespace().next().unwrap().split(',').count())
            .sum();
        assert_eq!(styled, bad, "{}:\n{mermaid}", dir.display());
    }
}

/// The ids a Mermaid flowchart defines or links, and the links in order.
fn mermaid_structure(text: &str) -> (Vec<String>, Vec<(String, String)>) {
    let mut ids = Vec::new();
    let mut links = Vec::new();
    for line in text.lines().map(str::trim) {
        if line.starts_with("%%")
            || line.starts_with("flowchart")
            || line == "end"
            || line.starts_with("linkStyle")
            || line.starts_with("classDef")
            || line.starts_with("class ")
        {
            continue;
        }
        if let Some(rest) = line.strip_prefix("subgraph ") {
            ids.push(rest.split(' ').next().unwrap().to_string());
        } else if line.contains("-->|") || line.contains("-.->|") {
            let parts: Vec<&str> = line.split(' ').collect();
            links.push((parts[0].to_string(), parts[parts.len() - 1].to_string()));
        } else {
            let end = line.find(['[', '(']).unwrap_or(line.len());
            ids.push(line[..end].to_string());
        }
    }
    (ids, links)
}

#[test]
fn graph_of_a_fixture_with_bad_edges_in_three_formats() {
    let dir = case("fail-set-in-unit");
    let dot = graph(&dir, "dot").stdout;
    let mermaid = graph(&dir, "mermaid").stdout;
    let v = json(&graph(&dir, "json"));

    // JSON: four units, five edges: one up the layers, one to a unit that does not exist.
    assert_eq!(v["nodes"].as_array().unwrap().len(), 4);
    let verdicts: Vec<&str> = v["edges"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["verdict"].as_str().unwrap())
        .collect();
    assert_eq!(verdicts, ["upward", "missing", "ok", "ok", "ok"]);
    let node = &v["nodes"][0];
    assert_eq!(node["environment"], "dev");
    assert_eq!(node["region"], "us-east-1");
    assert_eq!(node["layer"], "01-infra");

    // dot: a cluster per environment and region, the missing unit a dashed placeholder.
    assert!(dot.contains("subgraph \"cluster_dev\""), "{dot}");
    assert!(dot.contains("subgraph \"cluster_dev/us-east-1\""), "{dot}");
    assert_eq!(dot.lines().filter(|l| l.contains(" -> ")).count(), 5);
    assert!(
        dot.lines().any(|l| l
            .contains("\"missing:environments/dev/us-east-1/02-data/log-bucket\" [label=")
            && l.contains("style=dashed")),
        "{dot}"
    );

    // mermaid: valid ids (letters, digits, `_`), every link between defined ids, red
    // links by index.
    let (ids, links) = mermaid_structure(&mermaid);
    for id in &ids {
        assert!(
            id.starts_with(|c: char| c.is_ascii_alphabetic())
                && id.chars().all(|c| c.is_ascii_alphanumeric() || c == '_'),
            "not a Mermaid id: {id:?}"
        );
    }
    let unique: std::collections::BTreeSet<&String> = ids.iter().collect();
    assert_eq!(unique.len(), ids.len(), "ids repeat: {ids:?}");
    assert_eq!(links.len(), 5);
    for (a, b) in &links {
        assert!(ids.contains(a) && ids.contains(b), "{a} -> {b}:\n{mermaid}");
    }
    assert!(
        mermaid.contains("  linkStyle 0,1 stroke:red,color:red\n"),
        "{mermaid}"
    );

    insta::assert_snapshot!("graph_dot", dot);
    insta::assert_snapshot!("graph_mermaid", mermaid);
    insta::assert_snapshot!("graph_json", serde_json::to_string_pretty(&v).unwrap());
}

#[test]
fn graph_across_environments_clusters_each_and_reddens_the_crossing() {
    let dir = case("fail-cross-environment");
    let mermaid = graph(&dir, "mermaid").stdout;
    assert!(mermaid.contains("subgraph env_dev [\"dev\"]"), "{mermaid}");
    assert!(
        mermaid.contains("subgraph env_prod [\"prod\"]"),
        "{mermaid}"
    );
    let v = json(&graph(&dir, "json"));
    let crossing: Vec<&serde_json::Value> = v["edges"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["verdict"] != "ok")
        .collect();
    assert_eq!(crossing.len(), 1, "{v:#}");
    assert_eq!(crossing[0]["verdict"], "cross-environment");
    assert_eq!(crossing[0]["name"], "prod_rds");
    insta::assert_snapshot!("graph_cross_environment_mermaid", mermaid);
}

#[test]
fn graph_dot_is_accepted_by_graphviz_when_installed() {
    let probe = std::process::Command::new("dot").arg("-V").output();
    if !probe.is_ok_and(|o| o.status.success()) {
        eprintln!("skipped: Graphviz's `dot` is not installed");
        return;
    }
    for name in [
        "fail-set-in-unit",
        "fail-cross-environment",
        "fail-unknown-is-cannot-verify",
    ] {
        let text = graph(&case(name), "dot").stdout;
        let mut child = std::process::Command::new("dot")
            .arg("-Tsvg")
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        use std::io::Write;
        child
            .stdin
            .take()
            .unwrap()
            .write_all(text.as_bytes())
            .unwrap();
        let out = child.wait_with_output().unwrap();
        assert!(
            out.status.success(),
            "{name}: dot rejects it: {}\n{text}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(String::from_utf8_lossy(&out.stdout).contains("<svg"));
    }
}

#[test]
fn graph_of_no_units_and_bad_arguments() {
    let t = Tree::new("graph-empty");
    t.file("README.md", "nothing here\n");
    let r = tglint(&t, &["graph", "--format", "json"]);
    assert_eq!(r.code, Some(0), "{}", r.stderr);
    let v = json(&r);
    assert_eq!(v["nodes"], serde_json::json!([]));
    assert_eq!(v["edges"], serde_json::json!([]));
    let r = tglint(&t, &["graph", "--format", "svg"]);
    assert_eq!(r.code, Some(2));
    assert!(r.stderr.contains("dot"), "{}", r.stderr);
    let r = tglint(&t, &["graph", "missing-dir"]);
    assert_eq!(r.code, Some(2));
    assert!(r.stderr.contains("does not exist"), "{}", r.stderr);
}

// ----- init -------------------------------------------------------------------------------

fn copy_dir(from: &Path, to: &Path) {
    for e in std::fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        let target = to.join(e.file_name());
        if e.file_type().unwrap().is_dir() {
            std::fs::create_dir_all(&target).unwrap();
            copy_dir(&e.path(), &target);
        } else {
            std::fs::copy(e.path(), &target).unwrap();
        }
    }
}

/// The starter with every commented-out setting uncommented.
fn uncommented(starter: &str) -> String {
    let mut out = String::new();
    for line in starter.lines() {
        let code = ["# environment \"", "# module \"", "# rule \"", "# check \""]
            .iter()
            .any(|p| line.starts_with(p))
            || line.starts_with("# exclude ")
            || line.starts_with("# classify ")
            || line.starts_with("#   ")
            || line == "# }";
        out.push_str(if code { &line[2..] } else { line });
        out.push('\n');
    }
    out
}

#[test]
fn init_on_the_reference_tree_writes_a_policy_that_checks_clean() {
    let t = Tree::new("init-reference");
    copy_dir(&workspace().join("fixtures/reference-architecture"), &t.dir);
    let r = tglint(&t, &["init"]);
    assert_eq!(r.code, Some(0), "{}", r.stderr);
    assert!(r.stdout.is_empty(), "{}", r.stdout);
    assert!(r.stderr.contains("wrote .tglint.hcl"), "{}", r.stderr);
    let written = std::fs::read_to_string(t.path(".tglint.hcl")).unwrap();
    // Every environment of the tree is one the pack knows, in its regions: nothing is
    // set, everything is a comment.
    assert!(
        written.lines().all(|l| l.is_empty() || l.starts_with('#')),
        "{written}"
    );
    for env in [
        "\"dev\" (3 units",
        "\"prod\" (6 units: eu-west-1 and us-east-1)",
    ] {
        assert!(written.contains(env), "{env}:\n{written}");
    }
    // The file loads and the tree stays clean under it.
    let check = tglint(&t, &["check"]);
    assert_eq!(check.code, Some(0), "{}{}", check.stdout, check.stderr);
    // --stdout prints the same starter.
    let printed = tglint(&t, &["init", "--stdout"]);
    assert_eq!(printed.code, Some(0), "{}", printed.stderr);
    assert_eq!(printed.stdout, written);
    // Every commented-out setting, uncommented, loads too.
    t.file("uncommented.hcl", uncommented(&written));
    let r = tglint(&t, &["rules", "--config", "uncommented.hcl"]);
    assert_eq!(r.code, Some(0), "{}", r.stderr);
    insta::assert_snapshot!("init_reference_tree", written);
}

#[test]
fn init_refuses_to_overwrite_unless_forced() {
    let t = Tree::new("init-exists");
    copy_dir(&workspace().join("fixtures/reference-architecture"), &t.dir);
    t.file(".tglint.hcl", "# mine\n");
    let r = tglint(&t, &["init"]);
    assert_eq!(r.code, Some(2));
    assert_eq!(r.stderr.lines().count(), 1, "{}", r.stderr);
    assert!(
        r.stderr.contains(".tglint.hcl already exists"),
        "{}",
        r.stderr
    );
    assert!(r.stderr.contains("--force"), "{}", r.stderr);
    assert_eq!(
        std::fs::read_to_string(t.path(".tglint.hcl")).unwrap(),
        "# mine\n"
    );
    insta::assert_snapshot!("init_refuses", r.stderr);
    // From a subdirectory, the file is still the root's.
    let sub = t.path("environments/prod");
    let args: Vec<&OsStr> = vec!["init".as_ref()];
    let r = run_in(&sub, &args);
    assert_eq!(r.code, Some(2), "{}", r.stderr);
    assert_eq!(
        std::fs::read_to_string(t.path(".tglint.hcl")).unwrap(),
        "# mine\n"
    );
    // --stdout writes nothing; --force replaces the file.
    let r = tglint(&t, &["init", "--stdout"]);
    assert_eq!(r.code, Some(0));
    assert_eq!(
        std::fs::read_to_string(t.path(".tglint.hcl")).unwrap(),
        "# mine\n"
    );
    let r = tglint(&t, &["init", "--force"]);
    assert_eq!(r.code, Some(0), "{}", r.stderr);
    assert!(
        std::fs::read_to_string(t.path(".tglint.hcl"))
            .unwrap()
            .starts_with("# .tglint.hcl: tglint's policy"),
    );
}

#[cfg(unix)]
#[test]
fn init_never_writes_through_a_link() {
    let t = Tree::new("init-link");
    let outside = Tree::plain("init-link-outside");
    outside.file("target.hcl", "# outside\n");
    t.link(outside.path("target.hcl"), ".tglint.hcl");
    let r = tglint(&t, &["init"]);
    assert_eq!(r.code, Some(2));
    let r = tglint(&t, &["init", "--force"]);
    assert_eq!(r.code, Some(2), "{}", r.stderr);
    assert!(r.stderr.contains("not a regular file"), "{}", r.stderr);
    assert_eq!(
        std::fs::read_to_string(outside.path("target.hcl")).unwrap(),
        "# outside\n"
    );
}

const UNIT: &str = "include \"root\" {\n  path = find_in_parent_folders(\"root.hcl\")\n}\n\nterraform {\n  source = \"SOURCE\"\n}\n";

#[test]
fn init_on_a_tree_the_pack_does_not_know() {
    let t = Tree::new("init-unknown");
    t.file(
        "root.hcl",
        "locals {\n  env = read_terragrunt_config(find_in_parent_folders(\"env.hcl\"))\n}\n",
    );
    for env in ["qa", "prd", "prod"] {
        t.file(
            &format!("environments/{env}/env.hcl"),
            format!("locals {{\n  environment = \"{env}\"\n}}\n"),
        );
    }
    let unit = |dir: &str, source: &str| {
        t.file(
            &format!("{dir}/terragrunt.hcl"),
            UNIT.replace("SOURCE", source),
        );
    };
    unit(
        "environments/qa/us-west-2/01-infra/vpc",
        "tfr:///terraform-aws-modules/vpc/aws?version=5.16.0",
    );
    unit(
        "environments/prd/us-east-1/01-infra/vpc",
        "git::https://github.com/acme/infra-modules.git//vpc?ref=v1.2.0",
    );
    unit(
        "environments/prod/us-west-2/03-services/dns",
        "tfr:///terraform-aws-modules/route53/aws?version=5.0.0",
    );
    unit(
        "environments/prod/us-east-1/03-services/app",
        "../../../../../modules/app",
    );
    t.file(
        "live/misc/terragrunt.hcl",
        "terraform {\n  source = \"tfr:///terraform-aws-modules/s3-bucket/aws\"\n}\n",
    );
    let r = tglint(&t, &["init"]);
    assert_eq!(r.code, Some(0), "{}", r.stderr);
    let written = std::fs::read_to_string(t.path(".tglint.hcl")).unwrap();
    // Names no kind covers become kinds; prod gains the region the tree uses.
    assert!(written.contains("\nenvironment \"qa\" {\n"), "{written}");
    assert!(written.contains("\nenvironment \"prd\" {\n"), "{written}");
    assert!(
        written.contains("regions = [\"us-east-1\", \"eu-west-1\", \"us-west-2\"]"),
        "{written}"
    );
    let prose = written.replace("\n# ", " ");
    assert!(
        prose.contains("add \"prd\" to the match of the \"prod\" kind"),
        "{written}"
    );
    assert!(written.contains("# module \"route53\" {"), "{written}");
    // The policy loads; every unit with an environment name is classified by it.
    let check = tglint(&t, &["check", "--format", "json"]);
    assert_ne!(check.code, Some(2), "{}", check.stderr);
    let v = json(&check);
    let unclassified: Vec<&str> = v["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["rule"] == "unclassified" || d["rule"] == "policy-error")
        .map(|d| d["unit"].as_str().unwrap_or(""))
        .collect();
    assert_eq!(unclassified, ["live/misc"], "{v:#}");
    let regions = v["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["rule"] == "allowed-regions")
        .count();
    assert_eq!(regions, 0, "{v:#}");
    t.file("uncommented.hcl", uncommented(&written));
    let r = tglint(&t, &["rules", "--config", "uncommented.hcl"]);
    assert_eq!(r.code, Some(0), "{}", r.stderr);
    insta::assert_snapshot!("init_unknown_tree", written);
}

// ----- help -------------------------------------------------------------------------------

#[test]
fn every_commands_help_has_examples() {
    for cmd in ["check", "render", "rules", "explain", "graph", "init"] {
        for flag in ["--help", "-h"] {
            let r = here(&[cmd, flag]);
            assert_eq!(r.code, Some(0), "{cmd} {flag}: {}", r.stderr);
            let examples: Vec<&str> = r
                .stdout
                .lines()
                .skip_while(|l| *l != "Examples:")
                .skip(1)
                .take_while(|l| l.starts_with("  "))
                .collect();
            assert!(
                !examples.is_empty()
                    && examples
                        .iter()
                        .all(|l| l.starts_with(&format!("  tglint {cmd}"))),
                "{cmd} {flag} has no Examples: section of `tglint {cmd}` lines:\n{}",
                r.stdout
            );
        }
    }
    let r = here(&["--help"]);
    assert!(r.stdout.contains("Examples:\n  tglint\n"), "{}", r.stdout);
}

#[test]
fn command_names_are_commands_not_paths() {
    // `tglint rules` is the command even where a directory of that name exists.
    let t = Tree::new("names");
    t.file("rules/README.md", "x\n");
    let r = tglint(&t, &["rules", "--format", "json"]);
    assert_eq!(r.code, Some(0), "{}", r.stderr);
    assert!(json(&r)["rules"].is_array());
}
