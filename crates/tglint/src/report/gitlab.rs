//! GitLab Code Quality (`--format gitlab`): the JSON array GitLab reads from a job's
//! `artifacts:reports:codequality` file, one entry per finding:
//!
//! ```json
//! [{ "description": "…", "check_name": "deletion-protection", "fingerprint": "…",
//!    "severity": "major", "location": { "path": "_envcommon/data/rds.hcl", "lines": { "begin": 5, "end": 5 } } }]
//! ```
//!
//! `description` is the message, with ` (unit: DIR)` when the finding is about a unit;
//! `fingerprint` is the finding's baseline fingerprint (unique in a report: it counts
//! equal findings), so GitLab tells new findings from fixed ones across pipelines.
//! Severities: error → `major`, warning → `minor`, info → `info` (as ESLint's and
//! Code Climate's GitLab reports map theirs; tglint has no level for `critical` or
//! `blocker`).

use serde_json::{Value as J, json};
use std::collections::BTreeSet;
use tglint_model::diag::Severity;
use tglint_model::load::Tree;
use tglint_rules::engine::Outcome;

/// GitLab's severity for a tglint severity.
pub fn severity(s: Severity) -> &'static str {
    match s {
        Severity::Error => "major",
        Severity::Warning => "minor",
        Severity::Info => "info",
    }
}

/// The report as a JSON array.
pub fn render(tree: &Tree, outcome: &Outcome) -> J {
    let mut seen: BTreeSet<String> = BTreeSet::new();
    let entries: Vec<J> = outcome
        .reported
        .iter()
        .map(|r| {
            let d = &r.diagnostic;
            let p = super::place(tree, &d.primary);
            // Fingerprints are unique already; should two ever meet, the later one is
            // numbered, since GitLab drops entries whose fingerprint repeats.
            let mut fingerprint = r.fingerprint.clone();
            let mut n = 1;
            while !seen.insert(fingerprint.clone()) {
                n += 1;
                fingerprint = format!("{}-{n}", r.fingerprint);
            }
            json!({
                "description": super::with_unit(d, r.unit.as_deref()),
                "check_name": d.rule.as_str(),
                "fingerprint": fingerprint,
                "severity": severity(d.severity),
                "location": {
                    "path": p.file,
                    "lines": { "begin": p.line, "end": p.end_line },
                },
            })
        })
        .collect();
    J::Array(entries)
}
