//! Parsing through hcl-edit, with errors that carry a span.

use crate::span::{FileId, Span};
use hcl_edit::expr::Expression;
use hcl_edit::structure::Body;
use std::fmt;

/// How deep expressions, templates and blocks may nest: hcl-edit's `MAX_NESTING_DEPTH`
/// (the patched copy in `vendor/`; a test checks that the two agree). HCL itself has no
/// limit; deeper input is a parse error naming it, never a stack overflow. Parsing and
/// evaluating input at the limit needs about 25 MiB of stack in a debug build (the
/// `tglint` binary gives its threads 64 MiB).
pub const MAX_NESTING: usize = 1024;

/// A syntax error: hcl-edit reports the first one per file, with its position. For a
/// construct that is never closed (a string, heredoc, interpolation, directive, comment,
/// or a bracket open at the end of the file) the position is where it starts; otherwise it
/// is where parsing stopped (the patched hcl-edit in `vendor/`, see `vendor/README.md`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ParseError {
    pub span: Span,
    /// 1-based line and column, as hcl-edit computes them.
    pub line: usize,
    pub column: usize,
    pub message: String,
}

impl fmt::Display for ParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}: {}", self.line, self.column, self.message)
    }
}

impl std::error::Error for ParseError {}

fn convert(file: FileId, text: &str, e: hcl_edit::parser::Error) -> ParseError {
    let loc = e.location();
    let off = loc.offset().min(text.len());
    let end = text
        .get(off..)
        .unwrap_or("")
        .char_indices()
        .nth(1)
        .map(|(i, _)| off + i)
        .unwrap_or(off);
    let mut message = e.message().to_string();
    if message.is_empty() {
        message = "invalid HCL syntax".into();
    }
    ParseError {
        span: Span::new(file, off..end),
        line: loc.line(),
        column: loc.column(),
        message,
    }
}

/// Parses a whole file.
pub fn parse_body(file: FileId, text: &str) -> Result<Body, ParseError> {
    hcl_edit::parser::parse_body(text).map_err(|e| convert(file, text, e))
}

/// Parses a single expression.
pub fn parse_expr(file: FileId, text: &str) -> Result<Expression, ParseError> {
    hcl_edit::parser::parse_expr(text).map_err(|e| convert(file, text, e))
}
