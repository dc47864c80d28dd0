//! JUnit XML (`--format junit`), for CI test reports (GitLab's `artifacts:reports:junit`,
//! Jenkins, Azure Pipelines, test-summary actions):
//!
//! ```xml
//! <?xml version="1.0" encoding="UTF-8"?>
//! <testsuites name="tglint" tests="…" failures="…" errors="…">
//!   <testsuite name="prod" tests="…" failures="…" errors="…" skipped="0">
//!     <testcase classname="environments/prod/us-east-1/02-data/rds" name="deletion-protection" file="…/terragrunt.hcl">
//!       <failure type="error" message="…">…each finding: severity, message, place, chain, help…</failure>
//!     </testcase>
//!   </testsuite>
//! </testsuites>
//! ```
//!
//! One test suite per environment kind (sorted by name), then `(unclassified)` for the
//! units whose environment kind is unknown, then `(no unit)` for findings about no unit
//! (a broken file nothing includes, an unused suppression), one test case per file and
//! rule there. One test case per unit checked × rule that ran (`Outcome::rules_run`:
//! the rules the policy enables and `--rule` picks, then the policy's checks), plus one
//! per reserved id that reported on the unit (`parse-error`, `unclassified`, …). A test
//! case fails (`<failure>`) on findings at or above `--fail-on`; loading problems that
//! stop a unit from being checked (`parse-error`, `include-error`, `eval-error`,
//! `policy-error`) are `<error>`s whatever `--fail-on` says; findings below `--fail-on`
//! are listed in the test case's `<system-out>`.

use super::{xml_escape, xml_text};
use std::collections::{BTreeMap, BTreeSet, HashMap};
use tglint_model::diag::{Reserved, Severity};
use tglint_model::load::Tree;
use tglint_model::unit::Unit;
use tglint_rules::engine::{Outcome, Reported};

/// The suite of units with no environment kind.
pub const UNCLASSIFIED_SUITE: &str = "(unclassified)";
/// The suite of findings about no unit.
pub const NO_UNIT_SUITE: &str = "(no unit)";

/// One test case: what it is named and the findings it holds.
struct Case<'a> {
    classname: String,
    name: String,
    file: Option<String>,
    findings: Vec<&'a Reported>,
}

/// The report as XML. `fail_on`: the lowest severity that fails a test case (`None`:
/// only loading problems do).
pub fn render(tree: &Tree, outcome: &Outcome, fail_on: Option<Severity>) -> String {
    // Findings by unit (or, for no unit, by file) and rule.
    let mut by_unit: BTreeMap<&str, BTreeMap<String, Vec<&Reported>>> = BTreeMap::new();
    let mut no_unit: BTreeMap<(String, String), Vec<&Reported>> = BTreeMap::new();
    for r in &outcome.reported {
        let rule = r.diagnostic.rule.to_string();
        match &r.unit {
            Some(u) => by_unit
                .entry(u.as_str())
                .or_default()
                .entry(rule)
                .or_default()
                .push(r),
            None => no_unit
                .entry((tree.rel(r.diagnostic.primary.file), rule))
                .or_default()
                .push(r),
        }
    }
    // Units by suite, in path order; units that reported without being listed as checked
    // (none, today) are kept too.
    let mut units: BTreeSet<&str> = outcome.units_checked.iter().map(String::as_str).collect();
    units.extend(by_unit.keys().copied());
    let by_dir: HashMap<&str, &Unit> = tree.units.iter().map(|u| (u.dir.as_str(), u)).collect();
    let mut suites: BTreeMap<(u8, String), Vec<Case<'_>>> = BTreeMap::new();
    for dir in units {
        let unit = by_dir.get(dir).copied();
        let kind = unit
            .and_then(|u| u.environment.as_ref())
            .and_then(|c| c.kind.clone());
        let suite = match kind {
            Some(k) => (0, k),
            None => (1, UNCLASSIFIED_SUITE.to_string()),
        };
        let file = unit.and_then(|u| u.file).map(|f| tree.rel(f));
        let mut found = by_unit.remove(dir).unwrap_or_default();
        let cases = suites.entry(suite).or_default();
        for rule in &outcome.rules_run {
            cases.push(Case {
                classname: dir.to_string(),
                name: rule.clone(),
                file: file.clone(),
                findings: found.remove(rule).unwrap_or_default(),
            });
        }
        // Reserved ids (and anything else) that reported on the unit.
        for (rule, findings) in found {
            cases.push(Case {
                classname: dir.to_string(),
                name: rule,
                file: file.clone(),
                findings,
            });
        }
    }
    for ((file, rule), findings) in no_unit {
        suites
            .entry((2, NO_UNIT_SUITE.to_string()))
            .or_default()
            .push(Case {
                classname: file.clone(),
                name: rule,
                file: Some(file),
                findings,
            });
    }

    let mut body = String::new();
    let (mut tests, mut failures, mut errors) = (0, 0, 0);
    for ((_, name), cases) in &suites {
        let mut suite = String::new();
        let (mut f_count, mut e_count) = (0, 0);
        for c in cases {
            let (xml, failed, errored) = case(tree, c, fail_on);
            f_count += usize::from(failed);
            e_count += usize::from(errored);
            suite.push_str(&xml);
        }
        body.push_str(&format!(
            "  <testsuite name=\"{}\" tests=\"{}\" failures=\"{f_count}\" errors=\"{e_count}\" skipped=\"0\">\n{suite}  </testsuite>\n",
            xml_escape(name),
            cases.len()
        ));
        tests += cases.len();
        failures += f_count;
        errors += e_count;
    }
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"tglint\" tests=\"{tests}\" failures=\"{failures}\" errors=\"{errors}\">\n{body}</testsuites>\n"
    )
}

/// Whether a finding means the unit could not be checked.
fn is_error(r: &Reported) -> bool {
    matches!(
        Reserved::from_id(r.diagnostic.rule.as_str()),
        Some(
            Reserved::ParseError
                | Reserved::IncludeError
                | Reserved::EvalError
                | Reserved::PolicyError
        )
    )
}

fn rank(s: Severity) -> u8 {
    match s {
        Severity::Info => 0,
        Severity::Warning => 1,
        Severity::Error => 2,
    }
}

/// A test case as XML, and whether it failed and whether it is an error.
fn case(tree: &Tree, c: &Case<'_>, fail_on: Option<Severity>) -> (String, bool, bool) {
    let fails = |r: &Reported| fail_on.is_some_and(|at| rank(r.diagnostic.severity) >= rank(at));
    let errors: Vec<&Reported> = c.findings.iter().copied().filter(|r| is_error(r)).collect();
    let failures: Vec<&Reported> = c
        .findings
        .iter()
        .copied()
        .filter(|r| !is_error(r) && fails(r))
        .collect();
    let others: Vec<&Reported> = c
        .findings
        .iter()
        .copied()
        .filter(|r| !is_error(r) && !fails(r))
        .collect();
    let mut xml = format!(
        "    <testcase classname=\"{}\" name=\"{}\"",
        xml_escape(&c.classname),
        xml_escape(&c.name)
    );
    if let Some(f) = &c.file {
        xml.push_str(&format!(" file=\"{}\"", xml_escape(f)));
    }
    if c.findings.is_empty() {
        xml.push_str("/>\n");
        return (xml, false, false);
    }
    xml.push_str(">\n");
    for (tag, list) in [("error", &errors), ("failure", &failures)] {
        if list.is_empty() {
            continue;
        }
        let worst = list
            .iter()
            .map(|r| r.diagnostic.severity)
            .max_by_key(|s| rank(*s))
            .unwrap_or(Severity::Error);
        let message = match list.as_slice() {
            [one] => one.diagnostic.message.clone(),
            [first, rest @ ..] => format!(
                "{} (and {} more finding{})",
                first.diagnostic.message,
                rest.len(),
                if rest.len() == 1 { "" } else { "s" }
            ),
            [] => String::new(),
        };
        xml.push_str(&format!(
            "      <{tag} type=\"{}\" message=\"{}\">{}</{tag}>\n",
            worst.as_str(),
            xml_escape(&message),
            xml_text(&details(tree, list))
        ));
    }
    if !others.is_empty() {
        xml.push_str(&format!(
            "      <system-out>{}</system-out>\n",
            xml_text(&details(tree, &others))
        ));
    }
    xml.push_str("    </testcase>\n");
    (xml, !failures.is_empty(), !errors.is_empty())
}

/// The findings as text: severity and message, the place, the include chain, the help.
fn details(tree: &Tree, findings: &[&Reported]) -> String {
    let mut s = String::new();
    for r in findings {
        let d = &r.diagnostic;
        let p = super::place(tree, &d.primary);
        s.push_str(&format!(
            "{}: {}\n  at {}:{}:{}\n",
            d.severity.as_str(),
            d.message,
            p.file,
            p.line,
            p.column
        ));
        for l in &d.related {
            let q = super::place(tree, l);
            s.push_str(&format!(
                "  {}: {}:{}:{}\n",
                l.note.as_deref().unwrap_or("related"),
                q.file,
                q.line,
                q.column
            ));
        }
        if let Some(h) = &d.help {
            s.push_str(&format!("  help: {h}\n"));
        }
    }
    s
}
