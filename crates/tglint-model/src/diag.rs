//! Diagnostics: what loading the model (and later the rules) report.

use tglint_hcl::{FileId, Span};

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    Error,
    Warning,
    Info,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "info",
        }
    }
}

/// A place in a file, with an optional note ("included here as \"root\"").
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Label {
    pub file: FileId,
    pub start: u32,
    pub end: u32,
    pub note: Option<String>,
}

impl Label {
    pub fn new(span: Span) -> Label {
        Label {
            file: span.file,
            start: span.start,
            end: span.end,
            note: None,
        }
    }

    /// The start of a file (for problems with the whole file).
    pub fn file_start(file: FileId) -> Label {
        Label {
            file,
            start: 0,
            end: 0,
            note: None,
        }
    }

    pub fn with_note(mut self, note: impl Into<String>) -> Label {
        self.note = Some(note.into());
        self
    }
}

/// The reserved ids the model emits (DESIGN §5).
pub mod ids {
    pub const PARSE_ERROR: &str = "parse-error";
    pub const INCLUDE_ERROR: &str = "include-error";
    pub const EVAL_ERROR: &str = "eval-error";
    pub const DEPRECATED: &str = "deprecated";
    pub const UNSUPPORTED: &str = "unsupported";
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Diagnostic {
    pub rule: &'static str,
    pub severity: Severity,
    pub message: String,
    /// Where the user must edit.
    pub primary: Label,
    /// Why it applies here: the include chain, overrides.
    pub related: Vec<Label>,
    pub help: Option<String>,
}

impl Diagnostic {
    pub fn new(rule: &'static str, message: impl Into<String>, primary: Label) -> Diagnostic {
        let severity = match rule {
            ids::DEPRECATED => Severity::Warning,
            ids::UNSUPPORTED => Severity::Info,
            _ => Severity::Error,
        };
        Diagnostic {
            rule,
            severity,
            message: message.into(),
            primary,
            related: Vec::new(),
            help: None,
        }
    }

    pub fn at(rule: &'static str, message: impl Into<String>, span: Span) -> Diagnostic {
        Diagnostic::new(rule, message, Label::new(span))
    }

    pub fn with_help(mut self, help: impl Into<String>) -> Diagnostic {
        self.help = Some(help.into());
        self
    }

    pub fn with_related(mut self, related: Vec<Label>) -> Diagnostic {
        self.related = related;
        self
    }
}
