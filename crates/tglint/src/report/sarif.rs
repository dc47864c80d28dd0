//! SARIF 2.1.0 (`--format sarif`), for GitHub code scanning (`upload-sarif`) and other
//! SARIF viewers. One run; `tool.driver.rules` lists every built-in rule, then every
//! reserved id (`parse-error`, …, `suppression`), then the policy's checks that reported;
//! each result has its rule's id and index, a level, the message (with the help), the
//! line to edit as its location (a path relative to `%SRCROOT%`, columns in UTF-16 code
//! units), the include chain as related locations, the baseline fingerprint under
//! `partialFingerprints["tglint/v1"]`, and the unit, environment, subject and
//! cannot-verify flag in `properties`. docs/formats.md lists the fields.
//!
//! Written with `serde_json` directly rather than `serde-sarif`: the report uses a small
//! part of the schema, the typed crate brings a build-time code generator, and
//! Microsoft's validator (`.ci/run`) checks the output against the schema either way.

use serde_json::{Map, Value as J, json};
use std::collections::BTreeMap;
use tglint_model::diag::{Label, Reserved, Severity};
use tglint_model::load::Tree;
use tglint_rules::engine::{Outcome, Reported};
use tglint_rules::{Level, RULES};

/// The schema the report names in `$schema`.
pub const SCHEMA: &str = "https://json.schemastore.org/sarif-2.1.0.json";

/// The key of tglint's fingerprint in `partialFingerprints`.
pub const FINGERPRINT_KEY: &str = "tglint/v1";

/// The SARIF log of a run.
pub fn render(tree: &Tree, outcome: &Outcome) -> J {
    let (rules, index) = descriptors(outcome);
    let results: Vec<J> = outcome
        .reported
        .iter()
        .map(|r| result(tree, r, &index))
        .collect();
    let mut driver = Map::new();
    driver.insert("name".into(), json!("tglint"));
    driver.insert("version".into(), json!(env!("CARGO_PKG_VERSION")));
    driver.insert("semanticVersion".into(), json!(env!("CARGO_PKG_VERSION")));
    let repo = env!("CARGO_PKG_REPOSITORY");
    if !repo.is_empty() {
        driver.insert("informationUri".into(), json!(repo));
    }
    driver.insert("rules".into(), J::Array(rules));
    json!({
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": [{
            "tool": { "driver": J::Object(driver) },
            "columnKind": "utf16CodeUnits",
            "results": results,
        }],
    })
}

/// The rule descriptors, and each id's index among them.
fn descriptors(outcome: &Outcome) -> (Vec<J>, BTreeMap<String, usize>) {
    let mut rules = Vec::new();
    for r in RULES {
        let m = r.meta();
        let docs = m.docs_text();
        let mut props = Map::new();
        props.insert("category".into(), json!(m.category.as_str()));
        props.insert("tags".into(), json!([m.category.as_str()]));
        rules.push(json!({
            "id": m.id,
            "shortDescription": { "text": m.summary() },
            "fullDescription": { "text": description(&docs) },
            "help": { "text": docs.trim_end(), "markdown": docs.trim_end() },
            "defaultConfiguration": configuration(m.default_level),
            "properties": J::Object(props),
        }));
    }
    for r in Reserved::ALL {
        let (short, help) = (
            tglint_rules::docs::reserved_summary(r),
            tglint_rules::docs::reserved_what_to_do(r),
        );
        rules.push(json!({
            "id": r.id(),
            "shortDescription": { "text": short },
            "fullDescription": { "text": format!("{short} {help}") },
            "help": { "text": help, "markdown": help },
            "defaultConfiguration": configuration(level_of(r.default_severity())),
            "properties": { "category": "loading", "tags": ["loading"] },
        }));
    }
    let mut index: BTreeMap<String, usize> = BTreeMap::new();
    for (i, r) in rules.iter().enumerate() {
        if let Some(id) = r["id"].as_str() {
            index.insert(id.to_string(), i);
        }
    }
    // The policy's checks, as they reported (their severity is their default level).
    let mut checks: BTreeMap<String, Severity> = BTreeMap::new();
    for r in &outcome.reported {
        let id = r.diagnostic.rule.to_string();
        if !index.contains_key(&id) {
            checks.entry(id).or_insert(r.diagnostic.severity);
        }
    }
    for (id, sev) in checks {
        let short = format!("The policy's check \"{id}\".");
        index.insert(id.clone(), rules.len());
        rules.push(json!({
            "id": id,
            "shortDescription": { "text": short },
            "fullDescription": { "text": format!("{short} Its condition and message are in the policy file (.tglint.hcl or --config).") },
            "help": { "text": "See the check block of this name in the policy file.", "markdown": "See the `check` block of this name in the policy file." },
            "defaultConfiguration": { "level": level_name(sev) },
            "properties": { "category": "policy", "tags": ["policy"] },
        }));
    }
    (rules, index)
}

/// A rule's description: its documentation before the first example or option list,
/// without headings.
fn description(docs: &str) -> String {
    let mut out: Vec<&str> = Vec::new();
    for line in docs.lines() {
        let t = line.trim_start();
        if t.starts_with("## ") {
            if t.starts_with("## Why") {
                continue;
            }
            break;
        }
        out.push(line);
    }
    let text = out.join("\n");
    text.trim().to_string()
}

/// `defaultConfiguration` for a level.
fn configuration(level: Level) -> J {
    match level.severity() {
        Some(s) => json!({ "level": level_name(s) }),
        None => json!({ "enabled": false }),
    }
}

fn level_of(s: Severity) -> Level {
    match s {
        Severity::Error => Level::Error,
        Severity::Warning => Level::Warning,
        Severity::Info => Level::Info,
    }
}

/// SARIF's name for a severity.
pub fn level_name(s: Severity) -> &'static str {
    match s {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "note",
    }
}

/// One result.
fn result(tree: &Tree, r: &Reported, index: &BTreeMap<String, usize>) -> J {
    let d = &r.diagnostic;
    let id = d.rule.to_string();
    let mut m = Map::new();
    m.insert("ruleId".into(), json!(id));
    if let Some(i) = index.get(&id) {
        m.insert("ruleIndex".into(), json!(i));
    }
    m.insert("level".into(), json!(level_name(d.severity)));
    let mut text = sentence(&d.message);
    if let Some(h) = &d.help {
        text.push_str(&format!("\nHelp: {}", sentence(h)));
    }
    m.insert("message".into(), json!({ "text": text }));
    m.insert(
        "locations".into(),
        json!([{ "physicalLocation": physical(tree, &d.primary) }]),
    );
    if !d.related.is_empty() {
        let related: Vec<J> = d
            .related
            .iter()
            .enumerate()
            .map(|(i, l)| {
                let mut loc = Map::new();
                loc.insert("id".into(), json!(i));
                loc.insert("physicalLocation".into(), physical(tree, l));
                if let Some(n) = &l.note {
                    loc.insert("message".into(), json!({ "text": sentence(n) }));
                }
                J::Object(loc)
            })
            .collect();
        m.insert("relatedLocations".into(), J::Array(related));
    }
    m.insert(
        "partialFingerprints".into(),
        json!({ FINGERPRINT_KEY: r.fingerprint }),
    );
    let mut props = Map::new();
    if let Some(u) = &r.unit {
        props.insert("unit".into(), json!(u));
    }
    if let Some(e) = &r.environment {
        props.insert("environment".into(), json!(e));
    }
    if let Some(s) = &r.subject {
        props.insert("subject".into(), json!(s));
    }
    props.insert("cannotVerify".into(), json!(r.cannot_verify));
    m.insert("properties".into(), J::Object(props));
    J::Object(m)
}

/// A message as a sentence: SARIF asks that messages end with a period (tglint's own
/// messages have none).
fn sentence(s: &str) -> String {
    let t = s.trim_end();
    if t.ends_with(['.', '!', '?']) {
        t.to_string()
    } else {
        format!("{t}.")
    }
}

/// A label as a physical location with a region.
fn physical(tree: &Tree, l: &Label) -> J {
    let p = super::place_utf16(tree, l);
    let artifact = if p.file.starts_with('/') {
        // A policy file outside the root (`--config`): an absolute file URI.
        json!({ "uri": format!("file://{}", encode_path(&p.file)) })
    } else {
        json!({ "uri": encode_path(&p.file), "uriBaseId": "%SRCROOT%" })
    };
    json!({
        "artifactLocation": artifact,
        "region": {
            "startLine": p.line,
            "startColumn": p.column,
            "endLine": p.end_line,
            "endColumn": p.end_column,
        },
    })
}

/// A `/`-separated path as a URI reference: unreserved characters, `/` and the
/// sub-delimiters as they are, everything else (`%`, space, `:`, `#`, `?`, non-ASCII)
/// percent-encoded as UTF-8. `:` is encoded so that a first segment is never read as a
/// scheme.
pub fn encode_path(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for b in path.bytes() {
        let keep = b.is_ascii_alphanumeric()
            || matches!(
                b,
                b'-' | b'.'
                    | b'_'
                    | b'~'
                    | b'/'
                    | b'!'
                    | b'$'
                    | b'&'
                    | b'\''
                    | b'('
                    | b')'
                    | b'*'
                    | b'+'
                    | b','
                    | b';'
                    | b'='
                    | b'@'
            );
        if keep {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_are_percent_encoded() {
        assert_eq!(encode_path("live/prod/rds.hcl"), "live/prod/rds.hcl");
        assert_eq!(
            encode_path("a b/100%/c:d#e?é.hcl"),
            "a%20b/100%25/c%3Ad%23e%3F%C3%A9.hcl"
        );
    }

    #[test]
    fn messages_end_with_a_period() {
        assert_eq!(sentence("x is false"), "x is false.");
        assert_eq!(sentence("done."), "done.");
    }

    #[test]
    fn every_rule_and_reserved_id_has_a_descriptor() {
        let (rules, index) = descriptors(&Outcome::default());
        assert_eq!(rules.len(), RULES.len() + Reserved::ALL.len());
        for r in RULES {
            let d = &rules[index[r.meta().id]];
            assert!(
                !d["shortDescription"]["text"]
                    .as_str()
                    .unwrap_or("")
                    .is_empty()
            );
            let full = d["fullDescription"]["text"].as_str().unwrap_or("");
            assert!(!full.contains("## "), "{full}");
            assert!(full.len() > d["shortDescription"]["text"].as_str().unwrap_or("").len());
        }
        for r in Reserved::ALL {
            assert!(index.contains_key(r.id()));
        }
    }
}
