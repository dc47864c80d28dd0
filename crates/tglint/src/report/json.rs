//! Diagnostics as JSON: the shape of DESIGN §6.1, the command line's output contract. The
//! render view (`tglint_model::render`) shows a unit's values; this module adds what was
//! found.

use serde_json::{Map, Value as J};
use tglint_model::diag::{Diagnostic, Label};
use tglint_model::load::Tree;
use tglint_model::render;
use tglint_model::unit::Unit;

fn label_json(tree: &Tree, l: &Label) -> Map<String, J> {
    let mut m = Map::new();
    let file = tree.rel(l.file);
    let (line, column) = tree.cache.line_col(l.file, l.start);
    let (end_line, end_column) = tree.cache.line_col(l.file, l.end);
    m.insert("file".into(), J::String(file));
    m.insert("line".into(), J::from(line));
    m.insert("column".into(), J::from(column));
    m.insert("end_line".into(), J::from(end_line));
    m.insert("end_column".into(), J::from(end_column));
    m
}

/// One diagnostic as JSON (the shape of DESIGN §6.1).
pub fn diagnostic(tree: &Tree, d: &Diagnostic, unit: Option<&str>) -> J {
    let mut m = Map::new();
    m.insert("rule".into(), J::String(d.rule.to_string()));
    m.insert(
        "severity".into(),
        J::String(d.severity.as_str().to_string()),
    );
    m.insert("message".into(), J::String(d.message.clone()));
    if let Some(u) = unit {
        m.insert("unit".into(), J::String(u.to_string()));
    }
    m.extend(label_json(tree, &d.primary));
    let related: Vec<J> = d
        .related
        .iter()
        .map(|l| {
            let mut r = label_json(tree, l);
            r.remove("end_line");
            r.remove("end_column");
            if let Some(n) = &l.note {
                r.insert("message".into(), J::String(n.clone()));
            }
            J::Object(r)
        })
        .collect();
    m.insert("related".into(), J::Array(related));
    m.insert(
        "help".into(),
        d.help.clone().map(J::String).unwrap_or(J::Null),
    );
    J::Object(m)
}

/// A unit's diagnostics as a JSON array.
pub fn diagnostics(tree: &Tree, u: &Unit) -> J {
    J::Array(
        u.diagnostics
            .iter()
            .map(|d| diagnostic(tree, d, None))
            .collect(),
    )
}

/// The render view of a unit with its diagnostics: one line of `tglint render`.
pub fn render_unit(tree: &Tree, u: &Unit) -> J {
    let mut j = render::unit_json(tree, u);
    if let J::Object(m) = &mut j {
        m.insert("diagnostics".into(), diagnostics(tree, u));
    }
    j
}

/// The last line of `render --all` when the tree has problems that belong to no unit (a
/// directory that cannot be listed, a link not followed, a broken file nothing includes):
/// `{"version": 1, "diagnostics": [...]}`, with no `unit` key. `None` when there are none.
pub fn tree_line(tree: &Tree) -> Option<J> {
    if tree.diagnostics.is_empty() {
        return None;
    }
    let diagnostics: Vec<J> = tree
        .diagnostics
        .iter()
        .map(|d| diagnostic(tree, d, None))
        .collect();
    let mut m = Map::new();
    m.insert("version".into(), J::from(render::RENDER_VERSION));
    m.insert("diagnostics".into(), J::Array(diagnostics));
    Some(J::Object(m))
}

/// The report of `tglint check --format json` (DESIGN §6.1): a summary and every
/// diagnostic, sorted by (file, line, column, rule, unit).
pub fn check(tree: &Tree, outcome: &tglint_rules::engine::Outcome) -> J {
    use tglint_model::diag::Severity;
    let mut summary = Map::new();
    summary.insert("units".into(), J::from(outcome.units()));
    summary.insert("files".into(), J::from(outcome.files));
    summary.insert("errors".into(), J::from(outcome.count(Severity::Error)));
    summary.insert("warnings".into(), J::from(outcome.count(Severity::Warning)));
    summary.insert("infos".into(), J::from(outcome.count(Severity::Info)));
    summary.insert("suppressed".into(), J::from(outcome.suppressed));
    summary.insert("baselined".into(), J::from(outcome.baselined));
    let diagnostics: Vec<J> = outcome
        .reported
        .iter()
        .map(|r| {
            let mut j = diagnostic(tree, &r.diagnostic, r.unit.as_deref());
            if let J::Object(m) = &mut j {
                m.insert(
                    "environment".into(),
                    r.environment.clone().map(J::String).unwrap_or(J::Null),
                );
                if !m.contains_key("unit") {
                    m.insert("unit".into(), J::Null);
                }
                m.insert("fingerprint".into(), J::String(r.fingerprint.clone()));
            }
            j
        })
        .collect();
    let mut m = Map::new();
    m.insert("version".into(), J::from(1));
    m.insert("summary".into(), J::Object(summary));
    m.insert("diagnostics".into(), J::Array(diagnostics));
    J::Object(m)
}
