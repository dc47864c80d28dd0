//! Diagnostics as one line of text each, for the terminal:
//! `file:line:column: severity [rule]: message` (the form editors' problem matchers read).

use tglint_model::diag::Diagnostic;
use tglint_model::source::SourceCache;

/// One diagnostic as a line.
pub fn line(cache: &SourceCache, d: &Diagnostic) -> String {
    let file = cache
        .get(d.primary.file)
        .map(|f| f.rel.clone())
        .unwrap_or_default();
    let (line, col) = cache.line_col(d.primary.file, d.primary.start);
    format!(
        "{file}:{line}:{col}: {} [{}]: {}",
        d.severity.as_str(),
        d.rule,
        d.message
    )
}
