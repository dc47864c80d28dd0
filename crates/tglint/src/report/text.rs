//! Diagnostics as one line of text each, for the terminal:
//! `file:line:column: severity [rule]: message` (the form editors' problem matchers read).

use tglint_model::diag::Diagnostic;
use tglint_model::load::Tree;

/// One diagnostic as a line.
pub fn line(tree: &Tree, d: &Diagnostic) -> String {
    let file = tree.rel(d.primary.file);
    let (line, col) = tree.cache.line_col(d.primary.file, d.primary.start);
    format!(
        "{file}:{line}:{col}: {} [{}]: {}",
        d.severity.as_str(),
        d.rule,
        d.message
    )
}
