//! The report for people (`--format human`): each finding with the source excerpt of the
//! line to edit, the way the value came to the unit, and what to do. A finding shared by
//! many units (an inherited value) is shown once, under the defining line, naming a few
//! units and then "and N more".

use miette::{
    Diagnostic as MietteDiagnostic, GraphicalReportHandler, GraphicalTheme, LabeledSpan,
    NamedSource, SourceCode,
};
use std::collections::BTreeMap;
use std::fmt;
use std::sync::Arc;
use tglint_model::diag::{Diagnostic, Label, Severity};
use tglint_model::load::Tree;
use tglint_rules::engine::{Outcome, Reported};

/// Units named under a shared finding before "and N more".
const UNITS_SHOWN: usize = 3;

/// The whole report: the findings, then one summary line.
pub fn render(tree: &Tree, outcome: &Outcome, colour: bool) -> String {
    let theme = if colour {
        GraphicalTheme::unicode()
    } else {
        GraphicalTheme::unicode_nocolor()
    };
    let handler = GraphicalReportHandler::new_themed(theme)
        .with_links(false)
        .with_width(100)
        .with_wrap_lines(false);
    let mut out = String::new();
    for (d, units) in group(&outcome.reported) {
        let shown = Shown::new(tree, d, &units);
        if handler.render_report(&mut out, &shown).is_err() {
            out.push_str(&super::text::line(&tree.cache, d));
            out.push('\n');
        }
    }
    out.push_str(&summary(outcome));
    out.push('\n');
    out
}

/// The findings grouped by what they say and where (the units differ).
fn group(reported: &[Reported]) -> Vec<(&Diagnostic, Vec<&str>)> {
    let mut groups: BTreeMap<usize, (&Diagnostic, Vec<&str>)> = BTreeMap::new();
    let mut index: BTreeMap<(String, &str, u32, u32, u32, &str), usize> = BTreeMap::new();
    for (i, r) in reported.iter().enumerate() {
        let d = &r.diagnostic;
        let key = (
            d.rule.to_string(),
            d.severity.as_str(),
            d.primary.file.0,
            d.primary.start,
            d.primary.end,
            d.message.as_str(),
        );
        let at = *index.entry(key).or_insert(i);
        let g = groups.entry(at).or_insert((d, Vec::new()));
        if let Some(u) = &r.unit {
            g.1.push(u);
        }
    }
    groups.into_values().collect()
}

/// The last line of the report: counts of errors, warnings and notes, and of units.
pub fn summary(o: &Outcome) -> String {
    let plural =
        |n: usize, one: &str, many: &str| format!("{n} {}", if n == 1 { one } else { many });
    let mut s = format!(
        "{}, {}, {} in {}",
        plural(o.count(Severity::Error), "error", "errors"),
        plural(o.count(Severity::Warning), "warning", "warnings"),
        plural(o.count(Severity::Info), "note", "notes"),
        plural(o.units(), "unit", "units"),
    );
    if o.suppressed > 0 {
        s.push_str(&format!("; {} suppressed", o.suppressed));
    }
    if o.baselined > 0 {
        s.push_str(&format!("; {} baselined", o.baselined));
    }
    if o.units() == 0 && o.reported.is_empty() {
        s = "no units found: nothing to check".to_string();
    }
    s
}

/// A finding in miette's terms.
struct Shown {
    message: String,
    code: String,
    severity: miette::Severity,
    help: Option<String>,
    source: Option<NamedSource<Arc<str>>>,
    labels: Vec<LabeledSpan>,
}

impl Shown {
    fn new(tree: &Tree, d: &Diagnostic, units: &[&str]) -> Shown {
        let text = |file| {
            tree.cache
                .get(file)
                .and_then(|f| tree.cache.text(&f).ok())
                .map(|(t, _)| t)
        };
        let place = |l: &Label| {
            let (line, col) = tree.cache.line_col(l.file, l.start);
            format!("{}:{line}:{col}", tree.rel(l.file))
        };
        let source = text(d.primary.file).map(|t| NamedSource::new(tree.rel(d.primary.file), t));
        let mut labels = Vec::new();
        let len = |l: &Label| (l.end.saturating_sub(l.start)) as usize;
        if source.is_some() {
            labels.push(LabeledSpan::new_primary_with_span(
                d.primary.note.clone().or(Some("here".into())),
                (d.primary.start as usize, len(&d.primary)),
            ));
        }
        // Related labels in the same file are drawn; the others are listed.
        let mut notes: Vec<String> = Vec::new();
        for r in &d.related {
            if r.file == d.primary.file && source.is_some() {
                labels.push(LabeledSpan::new_with_span(
                    r.note.clone(),
                    (r.start as usize, len(r)),
                ));
            } else {
                notes.push(format!(
                    "{}: {}",
                    r.note.as_deref().unwrap_or("related"),
                    place(r)
                ));
            }
        }
        if source.is_none() {
            notes.insert(0, format!("at {}", place(&d.primary)));
        }
        match units {
            [] => {}
            [one] => notes.push(format!("unit: {one}")),
            many => {
                let shown: Vec<&str> = many.iter().take(UNITS_SHOWN).copied().collect();
                let more = many.len().saturating_sub(UNITS_SHOWN);
                let mut s = format!("units: {}", shown.join(", "));
                if more > 0 {
                    s.push_str(&format!(
                        " and {more} more unit{}",
                        if more == 1 { "" } else { "s" }
                    ));
                }
                notes.push(s);
            }
        }
        let mut help = d.help.clone().unwrap_or_default();
        for n in notes {
            if !help.is_empty() {
                help.push('\n');
            }
            help.push_str(&n);
        }
        Shown {
            message: d.message.clone(),
            code: d.rule.to_string(),
            severity: match d.severity {
                Severity::Error => miette::Severity::Error,
                Severity::Warning => miette::Severity::Warning,
                Severity::Info => miette::Severity::Advice,
            },
            help: (!help.is_empty()).then_some(help),
            source,
            labels,
        }
    }
}

impl fmt::Debug for Shown {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl fmt::Display for Shown {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Shown {}

impl MietteDiagnostic for Shown {
    fn code<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        Some(Box::new(&self.code))
    }

    fn severity(&self) -> Option<miette::Severity> {
        Some(self.severity)
    }

    fn help<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        self.help
            .as_ref()
            .map(|h| Box::new(h) as Box<dyn fmt::Display + 'a>)
    }

    fn source_code(&self) -> Option<&dyn SourceCode> {
        self.source.as_ref().map(|s| s as &dyn SourceCode)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        if self.labels.is_empty() {
            return None;
        }
        Some(Box::new(self.labels.iter().cloned()))
    }
}
