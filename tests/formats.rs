//! Every `--format` of `tglint check` on `fixtures/workspaces/formats` (findings of every
//! kind: an inherited error shared by two units, a user check's warning whose message
//! holds Markdown and XML, a cannot-verify note after non-ASCII text, an unclassified
//! unit, an unused suppression that belongs to no unit): a snapshot of each report and a
//! structural check of it (XML parses, JSON has its shape), GitHub escaping on hostile
//! file names, `--format`/`--output` pairs, and SARIF validation with Microsoft's
//! validator when it is installed (docs/formats.md).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::{Run, Tree, run_in};
use serde_json::Value as J;
use std::ffi::OsStr;
use std::path::{Path, PathBuf};

fn fixture() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/workspaces/formats")
}

/// `tglint check --root FIXTURE FIXTURE ARGS`, run in `cwd`.
fn check_in(cwd: &Path, args: &[&str]) -> Run {
    let f = fixture();
    let mut all: Vec<&OsStr> = vec!["check".as_ref(), "--root".as_ref(), f.as_os_str()];
    all.push(f.as_os_str());
    all.extend(args.iter().map(OsStr::new));
    run_in(cwd, &all)
}

fn check(args: &[&str]) -> Run {
    check_in(&fixture(), args)
}

/// The report in `format` on stdout, after checking the run's exit code.
fn report(format: &str) -> String {
    let r = check(&["--format", format]);
    assert_eq!(r.code, Some(1), "{format}: {}{}", r.stdout, r.stderr);
    assert!(r.stderr.is_empty(), "{format}: {}", r.stderr);
    r.stdout
}

fn json_report(format: &str) -> J {
    serde_json::from_str(&report(format)).unwrap()
}

/// The findings of the JSON report: (rule, file, line, unit, fingerprint).
fn findings() -> Vec<J> {
    json_report("json")["diagnostics"]
        .as_array()
        .unwrap()
        .clone()
}

const PROD_ORDERS: &str = "environments/prod/us-east-1/02-data/orders";
const UAT_ORDERS: &str = "environments/uat/us-east-1/02-data/orders";

#[test]
fn compact_is_one_line_per_finding_matching_the_documented_pattern() {
    let out = report("compact");
    insta::assert_snapshot!("compact", out);
    // The pattern of docs/formats.md and report/compact.rs.
    let re = regex::Regex::new(
        r"^(?<file>.+?):(?<line>\d+):(?<column>\d+): (?<severity>error|warning|info)\[(?<rule>[^\]]+)\] (?<message>.*)$",
    )
    .unwrap();
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), findings().len());
    for l in &lines {
        assert!(re.is_match(l), "not matched: {l}");
    }
    let c = re.captures(lines[0]).unwrap();
    assert_eq!(&c["file"], "_envcommon/data/rds.hcl");
    assert_eq!((&c["line"], &c["column"]), ("6", "25"));
    assert_eq!(&c["severity"], "error");
    assert_eq!(&c["rule"], "deletion-protection");
    assert!(c["message"].ends_with(&format!("(unit: {PROD_ORDERS})")));
}

#[test]
fn sarif_has_every_rule_and_each_result_points_at_its_rule_and_place() {
    let s = json_report("sarif");
    assert_eq!(s["version"], "2.1.0");
    assert!(s["$schema"].as_str().unwrap().contains("sarif-2.1.0"));
    let run = &s["runs"][0];
    let driver = &run["tool"]["driver"];
    assert_eq!(driver["name"], "tglint");
    assert_eq!(driver["version"], env!("CARGO_PKG_VERSION"));
    let rules = driver["rules"].as_array().unwrap();
    let ids: Vec<&str> = rules.iter().map(|r| r["id"].as_str().unwrap()).collect();
    for r in tglint_rules::RULES {
        let m = r.meta();
        let d = &rules[ids.iter().position(|i| *i == m.id).unwrap()];
        assert_eq!(d["shortDescription"]["text"], m.summary());
        assert!(
            d["help"]["markdown"]
                .as_str()
                .unwrap()
                .contains("## Why is this bad?")
        );
        assert!(d["defaultConfiguration"].is_object());
    }
    for r in tglint_model::diag::Reserved::ALL {
        assert!(ids.contains(&r.id()), "{}", r.id());
    }
    // The user's check reported, so it is a rule too.
    assert!(ids.contains(&"rds-storage-floor"));
    assert_eq!(
        ids.len(),
        tglint_rules::RULES.len() + tglint_model::diag::Reserved::ALL.len() + 1
    );

    let results = run["results"].as_array().unwrap();
    let json = findings();
    assert_eq!(results.len(), json.len());
    for (res, f) in results.iter().zip(&json) {
        let i = res["ruleIndex"].as_u64().unwrap() as usize;
        assert_eq!(rules[i]["id"], res["ruleId"]);
        assert_eq!(res["ruleId"], f["rule"]);
        let level = res["level"].as_str().unwrap();
        let want = match f["severity"].as_str().unwrap() {
            "error" => "error",
            "warning" => "warning",
            _ => "note",
        };
        assert_eq!(level, want);
        let loc = &res["locations"][0]["physicalLocation"];
        assert_eq!(loc["artifactLocation"]["uri"], f["file"]);
        assert_eq!(loc["artifactLocation"]["uriBaseId"], "%SRCROOT%");
        assert_eq!(loc["region"]["startLine"], f["line"]);
        assert_eq!(res["partialFingerprints"]["tglint/v1"], f["fingerprint"]);
        assert_eq!(res["properties"]["unit"], f["unit"]);
        assert!(res["message"]["text"].as_str().unwrap().ends_with('.'));
    }
    // The include chain as related locations, with their notes.
    let related = &results[0]["relatedLocations"][0];
    assert_eq!(
        related["physicalLocation"]["artifactLocation"]["uri"],
        format!("{PROD_ORDERS}/terragrunt.hcl")
    );
    assert!(
        related["message"]["text"]
            .as_str()
            .unwrap()
            .contains("envcommon")
    );
    // A cannot-verify finding after `naïve 😀` on its line: the JSON report counts 51
    // characters before it, SARIF 52 UTF-16 code units (the emoji is two).
    let cv = results
        .iter()
        .find(|r| r["properties"]["cannotVerify"] == true)
        .unwrap();
    assert_eq!(cv["properties"]["unit"], UAT_ORDERS);
    assert_eq!(cv["properties"]["environment"], "uat");
    let cvj = json.iter().find(|f| f["unit"] == UAT_ORDERS).unwrap();
    assert_eq!(cvj["column"], 52);
    let region = &cv["locations"][0]["physicalLocation"]["region"];
    assert_eq!(region["startColumn"], 53);
    assert_eq!(
        region["endColumn"].as_u64().unwrap() - 53,
        cvj["end_column"].as_u64().unwrap() - 52
    );

    // The results as a snapshot (the descriptors carry the rules' docs, checked above).
    insta::assert_snapshot!(
        "sarif_results",
        serde_json::to_string_pretty(&run["results"]).unwrap()
    );
    insta::assert_snapshot!("sarif_rule_ids", ids.join("\n"));
}

#[test]
fn github_annotations_group_units_and_escape_their_values() {
    let out = report("github");
    insta::assert_snapshot!("github", out);
    let lines: Vec<&str> = out.lines().collect();
    // The error shared by two prod units is one annotation naming both.
    assert!(lines[0].starts_with(
        "::error file=_envcommon/data/rds.hcl,line=6,col=25,endLine=6,endColumn=30,title=deletion-protection::prod RDS"
    ));
    assert!(lines[0].contains("%0Aunits (2): environments/prod/us-east-1/02-data/orders, environments/prod/us-east-1/02-data/users"));
    assert!(lines.iter().any(|l| l.starts_with("::warning ")));
    assert!(lines.iter().any(|l| l.starts_with("::notice ")));
    assert_eq!(lines.len(), 5);
}

#[test]
fn github_escapes_hostile_file_names_and_messages() {
    let t = Tree::new("formats-hostile");
    t.file(
        ".tglint.hcl",
        "check \"odd\" {\n  condition     = false\n  error_message = \"100% wrong\\nsecond line: a, b\\r\"\n}\n",
    )
    .file(
        "environments/prod/odd,dir:1%/terragrunt.hcl",
        "inputs = {\n  x = 1\n}\n",
    );
    let r = common::tglint(
        &t,
        &["check", "--format", "github", "--fail-on", "never", "."],
    );
    assert_eq!(r.code, Some(0), "{}", r.stderr);
    let line = r
        .stdout
        .lines()
        .find(|l| l.contains("title=odd"))
        .unwrap_or_else(|| panic!("{}", r.stdout));
    assert!(
        line.starts_with("::error file=environments/prod/odd%2Cdir%3A1%25/terragrunt.hcl,line="),
        "{line}"
    );
    assert!(
        line.ends_with(
            "::100%25 wrong%0Asecond line: a, b%0D%0Aunit: environments/prod/odd,dir:1%25"
        ),
        "{line}"
    );
    // Everything else in the report is a line of its own too.
    assert!(
        r.stdout.lines().all(|l| l.starts_with("::")),
        "{}",
        r.stdout
    );

    // The same tree in XML and Markdown: escaped, still well formed.
    let x = common::tglint(
        &t,
        &["check", "--format", "junit", "--fail-on", "never", "."],
    );
    let doc = roxmltree::Document::parse(&x.stdout).unwrap();
    assert!(
        doc.descendants()
            .any(|n| n.attribute("classname") == Some("environments/prod/odd,dir:1%"))
    );
    let m = common::tglint(
        &t,
        &["check", "--format", "markdown", "--fail-on", "never", "."],
    );
    assert!(
        m.stdout.contains("100% wrong<br>second line: a, b"),
        "{}",
        m.stdout
    );
}

#[test]
fn junit_has_a_suite_per_environment_and_a_case_per_unit_and_rule() {
    let out = report("junit");
    insta::assert_snapshot!("junit", out);
    let doc = roxmltree::Document::parse(&out).unwrap();
    let root = doc.root_element();
    assert_eq!(root.tag_name().name(), "testsuites");
    let suites: Vec<roxmltree::Node> = root.children().filter(|n| n.is_element()).collect();
    let names: Vec<&str> = suites
        .iter()
        .map(|s| s.attribute("name").unwrap())
        .collect();
    assert_eq!(names, ["prod", "uat", "(unclassified)", "(no unit)"]);
    let cases = |s: &roxmltree::Node| -> Vec<(String, String, bool)> {
        s.children()
            .filter(|n| n.has_tag_name("testcase"))
            .map(|c| {
                (
                    c.attribute("classname").unwrap().to_string(),
                    c.attribute("name").unwrap().to_string(),
                    c.children().any(|f| f.has_tag_name("failure")),
                )
            })
            .collect()
    };
    // Two prod units × (deletion-protection, the user's check); the check's warnings are
    // below --fail-on (error), so only deletion-protection fails.
    let prod = cases(&suites[0]);
    assert_eq!(prod.len(), 4);
    assert_eq!(
        prod.iter()
            .filter(|c| c.2)
            .map(|c| c.1.as_str())
            .collect::<Vec<_>>(),
        ["deletion-protection", "deletion-protection"]
    );
    assert_eq!(suites[0].attribute("tests"), Some("4"));
    assert_eq!(suites[0].attribute("failures"), Some("2"));
    assert_eq!(root.attribute("failures"), Some("2"));
    // The unclassified unit: the two rules that ran, and the `unclassified` note.
    let unclassified = cases(&suites[2]);
    assert_eq!(
        unclassified
            .iter()
            .map(|c| c.1.as_str())
            .collect::<Vec<_>>(),
        ["deletion-protection", "rds-storage-floor", "unclassified"]
    );
    // No unit: one case per file and rule.
    let none = cases(&suites[3]);
    assert_eq!(
        none,
        [("root.hcl".to_string(), "suppression".to_string(), false)]
    );
    let failure = doc
        .descendants()
        .find(|n| n.has_tag_name("failure"))
        .unwrap();
    assert_eq!(failure.attribute("type"), Some("error"));
    let text = failure.text().unwrap();
    assert!(text.contains("at _envcommon/data/rds.hcl:6:25"), "{text}");
    assert!(text.contains("help: "), "{text}");

    // With --fail-on warning the check's warnings fail their cases too.
    let r = check(&["--format", "junit", "--fail-on", "warning"]);
    let doc = roxmltree::Document::parse(&r.stdout).unwrap();
    assert_eq!(doc.root_element().attribute("failures"), Some("4"));
}

#[test]
fn checkstyle_has_a_file_element_per_file_with_findings() {
    let out = report("checkstyle");
    insta::assert_snapshot!("checkstyle", out);
    let doc = roxmltree::Document::parse(&out).unwrap();
    let root = doc.root_element();
    assert_eq!(root.tag_name().name(), "checkstyle");
    assert_eq!(root.attribute("version"), Some("4.3"));
    let files: Vec<&str> = root
        .children()
        .filter(|n| n.has_tag_name("file"))
        .map(|n| n.attribute("name").unwrap())
        .collect();
    let mut sorted = files.clone();
    sorted.sort();
    sorted.dedup();
    assert_eq!(files, sorted, "each file once, in path order");
    let errors: Vec<roxmltree::Node> = doc
        .descendants()
        .filter(|n| n.has_tag_name("error"))
        .collect();
    assert_eq!(errors.len(), findings().len());
    for e in &errors {
        assert!(e.attribute("source").unwrap().starts_with("tglint."));
        assert!(["error", "warning", "info"].contains(&e.attribute("severity").unwrap()));
        e.attribute("line").unwrap().parse::<u32>().unwrap();
        e.attribute("column").unwrap().parse::<u32>().unwrap();
    }
    // The check's message holds `<`, `&` and quotes: escaped in the file, intact when read.
    assert!(errors.iter().any(|e| {
        e.attribute("message")
            .unwrap()
            .contains("the <100 GB> floor | see *sizing* & \"tiers\"")
    }));
}

#[test]
fn gitlab_code_quality_entries_have_unique_fingerprints() {
    let out = report("gitlab");
    insta::assert_snapshot!("gitlab", out);
    let g: J = serde_json::from_str(&out).unwrap();
    let entries = g.as_array().unwrap();
    let json = findings();
    assert_eq!(entries.len(), json.len());
    let mut seen = std::collections::BTreeSet::new();
    for (e, f) in entries.iter().zip(&json) {
        assert!(seen.insert(e["fingerprint"].as_str().unwrap().to_string()));
        assert_eq!(e["fingerprint"], f["fingerprint"]);
        assert_eq!(e["check_name"], f["rule"]);
        assert_eq!(e["location"]["path"], f["file"]);
        assert_eq!(e["location"]["lines"]["begin"], f["line"]);
        let want = match f["severity"].as_str().unwrap() {
            "error" => "major",
            "warning" => "minor",
            _ => "info",
        };
        assert_eq!(e["severity"], want);
        assert!(e["description"].as_str().is_some_and(|d| !d.is_empty()));
    }
}

#[test]
fn markdown_has_the_summary_table_then_the_findings() {
    let out = report("markdown");
    insta::assert_snapshot!("markdown", out);
    assert!(
        out.contains("| prod | deletion-protection | 2 | 0 | 0 | 0 |"),
        "{out}"
    );
    assert!(
        out.contains("| uat | deletion-protection | 0 | 0 | 1 | 1 |"),
        "{out}"
    );
    assert!(
        out.contains("| (no unit) | suppression | 0 | 0 | 1 | 0 |"),
        "{out}"
    );
    assert!(out.contains("| **Total** |  | 2 | 2 | 3 | 1 |"), "{out}");
    // The check's message cannot break the table or add markup.
    assert!(
        out.contains("\\<100 GB\\> floor \\| see \\*sizing\\* &amp; \"tiers\""),
        "{out}"
    );
    // Every table row has the same number of cells as its header.
    for block in out.split("\n\n") {
        let rows: Vec<&str> = block.lines().filter(|l| l.starts_with('|')).collect();
        if let Some(head) = rows.first() {
            let n = head.matches(" | ").count();
            for r in &rows[2..] {
                assert_eq!(r.replace("\\|", "").matches(" | ").count(), n, "{r}");
            }
        }
    }
}

#[test]
fn markdown_says_so_when_there_is_nothing_to_report() {
    let t = Tree::new("formats-clean");
    t.file("environments/dev/app/terragrunt.hcl", "inputs = {}\n");
    let r = common::tglint(
        &t,
        &[
            "check",
            "--format",
            "markdown",
            "--rule",
            "deletion-protection",
            ".",
        ],
    );
    assert_eq!(r.code, Some(0), "{}", r.stderr);
    assert_eq!(
        r.stdout,
        "## tglint\n\n**0 errors, 0 warnings, 0 notes in 1 unit**\n\nNo findings: 1 unit checked, nothing to report.\n"
    );
}

#[test]
fn several_format_output_pairs_in_one_run() {
    let dir = Tree::plain("formats-pairs");
    let r = check_in(
        &dir.dir,
        &[
            "--format",
            "sarif",
            "--output",
            "tglint.sarif",
            "--format",
            "github",
            "--format",
            "junit",
            "--output",
            "reports/junit.xml",
        ],
    );
    assert_eq!(r.code, Some(1), "{}", r.stderr);
    // github had no --output: stdout.
    assert_eq!(r.stdout, report("github"));
    let sarif: J =
        serde_json::from_str(&std::fs::read_to_string(dir.path("tglint.sarif")).unwrap()).unwrap();
    assert_eq!(sarif, json_report("sarif"));
    assert_eq!(
        std::fs::read_to_string(dir.path("reports/junit.xml")).unwrap(),
        report("junit")
    );

    // Every report to a file: the summary line on stdout.
    let r = check_in(
        &dir.dir,
        &[
            "--format",
            "gitlab",
            "--output",
            "gl.json",
            "--format",
            "markdown",
            "--output",
            "summary.md",
        ],
    );
    assert_eq!(r.code, Some(1));
    assert_eq!(r.stdout, "2 errors, 2 warnings, 3 notes in 4 units\n");
    assert_eq!(
        std::fs::read_to_string(dir.path("summary.md")).unwrap(),
        report("markdown")
    );
    assert!(dir.path("gl.json").is_file());

    // --output alone: the human report (no colour) to the file.
    let r = check_in(&dir.dir, &["--output", "human.txt"]);
    assert_eq!(r.stdout, "2 errors, 2 warnings, 3 notes in 4 units\n");
    let human = std::fs::read_to_string(dir.path("human.txt")).unwrap();
    assert!(human.contains("prod RDS instance has deletion_protection = false"));
    assert!(!human.contains('\u{1b}'), "no colour in a file");
}

#[test]
fn format_and_output_mistakes_are_usage_errors() {
    let dir = Tree::plain("formats-mistakes");
    // A directory for the report cannot be made under a file (missing directories are
    // made: the test of --output pairs writes into one).
    dir.file("a-file", "");
    let cases: [(&[&str], &str); 5] = [
        (
            &["--format", "sarif", "--output", "a-file/x/tglint.sarif"],
            "--output a-file/x/tglint.sarif: cannot write the report:",
        ),
        (
            &["--format", "json", "--format", "github"],
            "--format json, --format github: only one report can go to stdout",
        ),
        (
            &["--output", "a.txt", "--format", "json", "--format", "sarif"],
            "--output a.txt: it comes before every --format",
        ),
        (
            &[
                "--format", "json", "--output", "a.json", "--output", "b.json",
            ],
            "--format json has two --output files (a.json and b.json)",
        ),
        (
            &[
                "--format", "json", "--output", "a.json", "--format", "sarif", "--output",
                "./a.json",
            ],
            "--output ./a.json is named twice",
        ),
    ];
    for (args, want) in cases {
        let r = check_in(&dir.dir, args);
        assert_eq!(r.code, Some(2), "{args:?}: {}", r.stderr);
        assert!(
            r.stderr.starts_with(&format!("tglint: {want}")),
            "{args:?}: {}",
            r.stderr
        );
        assert_eq!(r.stderr.lines().count(), 1, "{}", r.stderr);
        assert!(r.stdout.is_empty(), "{}", r.stdout);
    }
    // An unknown format: clap names the valid ones.
    let r = check_in(&dir.dir, &["--format", "xml"]);
    assert_eq!(r.code, Some(2));
    assert!(r.stderr.contains("possible values: human, json, sarif, github, junit, compact, checkstyle, gitlab, markdown"), "{}", r.stderr);
}

/// Microsoft's SARIF validator: `$TGLINT_SARIF_MULTITOOL`, else the copy `.ci/run`
/// installs under `target/sarif-tool`, else `sarif-multitool` on PATH.
fn validator() -> Option<PathBuf> {
    if let Some(p) = std::env::var_os("TGLINT_SARIF_MULTITOOL") {
        return Some(PathBuf::from(p));
    }
    let local = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/sarif-tool/node_modules");
    for p in [
        local.join("@microsoft/sarif-multitool-linux/Sarif.Multitool"),
        local.join(".bin/sarif-multitool"),
    ] {
        if p.exists() {
            return Some(p);
        }
    }
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .map(|d| d.join("sarif-multitool"))
        .find(|p| p.is_file())
}

/// The errors the validator finds in `sarif`, as its lines of output.
fn validate(tool: &Path, sarif: &Path) -> Vec<String> {
    let log = sarif.with_extension("validation.sarif");
    let mut cmd = std::process::Command::new(tool);
    cmd.arg("validate")
        .arg(sarif)
        .arg("--output")
        .arg(&log)
        .args(["--log", "ForceOverwrite"])
        // .NET without ICU.
        .env("DOTNET_SYSTEM_GLOBALIZATION_INVARIANT", "1");
    // GitHub's ingestion rules too, where no shell stands between (the npm wrapper runs
    // the tool through one, which would split the `;`).
    if tool.file_name().is_some_and(|n| n == "Sarif.Multitool") {
        cmd.args(["--rule-kind", "Sarif;Gh"]);
    }
    let out = cmd.output().unwrap();
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(
        out.status.success(),
        "the validator failed: {text}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let report: J = serde_json::from_str(&std::fs::read_to_string(&log).unwrap()).unwrap();
    let mut errors: Vec<String> = report["runs"][0]["results"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|r| r["level"] == "error")
        .map(|r| format!("{} {}", r["ruleId"], r["message"]))
        .collect();
    errors.extend(
        text.lines()
            .filter(|l| l.contains(": error "))
            .map(str::to_string),
    );
    errors
}

#[test]
fn sarif_passes_microsofts_validator() {
    let Some(tool) = validator() else {
        if std::env::var_os("TGLINT_REQUIRE_SARIF_VALIDATOR").is_some() {
            panic!("TGLINT_REQUIRE_SARIF_VALIDATOR is set but no sarif-multitool was found");
        }
        eprintln!(
            "skipped: sarif-multitool not found (set TGLINT_SARIF_MULTITOOL, or let .ci/run install it into target/sarif-tool)"
        );
        return;
    };
    let dir = Tree::plain("formats-sarif");
    let file = dir.path("fixture.sarif");
    let r = check_in(
        &dir.dir,
        &["--format", "sarif", "--output", file.to_str().unwrap()],
    );
    assert_eq!(r.code, Some(1), "{}", r.stderr);
    let errors = validate(&tool, &file);
    assert!(errors.is_empty(), "{errors:#?}");

    // A real tree of the corpus, when it is there (hundreds of findings of every kind).
    if let Some(corpus) = std::env::var_os("TGLINT_CORPUS") {
        let tree = Path::new(&corpus).join("real/timesnavin__terragrunt-logscale-multicloud");
        if tree.is_dir() {
            let file = dir.path("corpus.sarif");
            let out = std::process::Command::new(env!("CARGO_BIN_EXE_tglint"))
                .env("TGLINT_CACHE_DIR", common::test_cache_dir())
                .args([
                    "check",
                    "--fail-on",
                    "never",
                    "--format",
                    "sarif",
                    "--output",
                ])
                .arg(&file)
                .arg("--root")
                .arg(&tree)
                .arg(&tree)
                .output()
                .unwrap();
            assert_eq!(
                out.status.code(),
                Some(0),
                "{}",
                String::from_utf8_lossy(&out.stderr)
            );
            let errors = validate(&tool, &file);
            assert!(errors.is_empty(), "{errors:#?}");
        }
    }

    // The check can fail: a relative helpUri is an error to the validator (SARIF1005).
    let mut bad: J = serde_json::from_str(&std::fs::read_to_string(&file).unwrap()).unwrap();
    bad["runs"][0]["tool"]["driver"]["rules"][0]["helpUri"] = J::from("docs/rules/x.md");
    let file = dir.path("bad.sarif");
    std::fs::write(&file, bad.to_string()).unwrap();
    let errors = validate(&tool, &file);
    assert!(
        errors.iter().any(|e| e.contains("SARIF1005")),
        "{errors:#?}"
    );
}
