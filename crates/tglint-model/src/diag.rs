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

/// A rule id: a built-in rule's (`deletion-protection`), a reserved one (`parse-error`),
/// or the name of a user's `check` block. Cheap to clone; built-in and reserved ids are
/// borrowed statics.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct RuleId(std::borrow::Cow<'static, str>);

impl RuleId {
    pub const fn new_static(id: &'static str) -> RuleId {
        RuleId(std::borrow::Cow::Borrowed(id))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl From<&'static str> for RuleId {
    fn from(s: &'static str) -> RuleId {
        RuleId::new_static(s)
    }
}

impl From<String> for RuleId {
    fn from(s: String) -> RuleId {
        RuleId(std::borrow::Cow::Owned(s))
    }
}

impl From<Reserved> for RuleId {
    fn from(r: Reserved) -> RuleId {
        RuleId::new_static(r.id())
    }
}

impl std::fmt::Display for RuleId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl PartialEq<str> for RuleId {
    fn eq(&self, o: &str) -> bool {
        *self.0 == *o
    }
}

impl PartialEq<&str> for RuleId {
    fn eq(&self, o: &&str) -> bool {
        *self.0 == **o
    }
}

impl PartialEq<Reserved> for RuleId {
    fn eq(&self, o: &Reserved) -> bool {
        *self.0 == *o.id()
    }
}

/// The ids reserved for what loading reports (DESIGN §5). Their severities are a default
/// the engine may change from policy (`deprecated` and `unsupported` can be disabled;
/// the others cannot).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Reserved {
    /// A file that cannot be read or parsed, a directory that cannot be listed.
    ParseError,
    /// A missing included file, a nested include, a bad merge strategy.
    IncludeError,
    /// An expression that cannot be evaluated: unknown function, wrong types, cyclic
    /// locals, a spent evaluation budget.
    EvalError,
    /// A policy file that cannot be loaded (`.tglint.hcl`, `--config`).
    PolicyError,
    /// What Terragrunt deprecates (a bare include, …).
    Deprecated,
    /// What tglint does not evaluate, or refuses to read.
    Unsupported,
    /// A unit whose environment cannot be told (its environment-dependent rules are
    /// skipped).
    Unclassified,
    /// A suppression comment that is malformed, expired or unused.
    Suppression,
    /// An entry of the `--baseline` file that no longer matches any finding (stale: the
    /// finding was fixed, or its rule no longer runs), reported at the entry.
    Baseline,
}

impl Reserved {
    pub const ALL: [Reserved; 9] = [
        Reserved::ParseError,
        Reserved::IncludeError,
        Reserved::EvalError,
        Reserved::PolicyError,
        Reserved::Deprecated,
        Reserved::Unsupported,
        Reserved::Unclassified,
        Reserved::Suppression,
        Reserved::Baseline,
    ];

    pub const fn id(self) -> &'static str {
        match self {
            Reserved::ParseError => "parse-error",
            Reserved::IncludeError => "include-error",
            Reserved::EvalError => "eval-error",
            Reserved::PolicyError => "policy-error",
            Reserved::Deprecated => "deprecated",
            Reserved::Unsupported => "unsupported",
            Reserved::Unclassified => "unclassified",
            Reserved::Suppression => "suppression",
            Reserved::Baseline => "baseline",
        }
    }

    pub const fn default_severity(self) -> Severity {
        match self {
            Reserved::Deprecated | Reserved::Suppression => Severity::Warning,
            Reserved::Unsupported | Reserved::Unclassified | Reserved::Baseline => Severity::Info,
            _ => Severity::Error,
        }
    }

    /// Whether policy may disable it or change its severity.
    pub const fn configurable(self) -> bool {
        matches!(
            self,
            Reserved::Deprecated
                | Reserved::Unsupported
                | Reserved::Unclassified
                | Reserved::Suppression
                | Reserved::Baseline
        )
    }

    /// The reserved id named `id`, if it is one.
    pub fn from_id(id: &str) -> Option<Reserved> {
        Reserved::ALL.into_iter().find(|r| r.id() == id)
    }
}

/// The reserved ids by their constant names, as call sites name them.
pub mod ids {
    use super::Reserved;
    pub const PARSE_ERROR: Reserved = Reserved::ParseError;
    pub const INCLUDE_ERROR: Reserved = Reserved::IncludeError;
    pub const EVAL_ERROR: Reserved = Reserved::EvalError;
    pub const POLICY_ERROR: Reserved = Reserved::PolicyError;
    pub const DEPRECATED: Reserved = Reserved::Deprecated;
    pub const UNSUPPORTED: Reserved = Reserved::Unsupported;
    pub const UNCLASSIFIED: Reserved = Reserved::Unclassified;
    pub const SUPPRESSION: Reserved = Reserved::Suppression;
    pub const BASELINE: Reserved = Reserved::Baseline;
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Diagnostic {
    pub rule: RuleId,
    /// Set by whoever reports: the model gives its reserved ids their default, the rule
    /// engine gives each finding the level the policy sets for its rule (and may change
    /// the configurable reserved ones).
    pub severity: Severity,
    pub message: String,
    /// Where the user must edit.
    pub primary: Label,
    /// Why it applies here: the include chain, overrides.
    pub related: Vec<Label>,
    pub help: Option<String>,
}

impl Diagnostic {
    /// A problem found while loading, under a reserved id with its default severity.
    pub fn new(rule: Reserved, message: impl Into<String>, primary: Label) -> Diagnostic {
        Diagnostic::finding(rule.into(), rule.default_severity(), message, primary)
    }

    /// `new` at a span.
    pub fn at(rule: Reserved, message: impl Into<String>, span: Span) -> Diagnostic {
        Diagnostic::new(rule, message, Label::new(span))
    }

    /// A finding of a rule or a check, at the severity the engine decided.
    pub fn finding(
        rule: RuleId,
        severity: Severity,
        message: impl Into<String>,
        primary: Label,
    ) -> Diagnostic {
        Diagnostic {
            rule,
            severity,
            message: message.into(),
            primary,
            related: Vec::new(),
            help: None,
        }
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reserved_ids_are_kebab_case_and_round_trip() {
        for r in Reserved::ALL {
            assert_eq!(Reserved::from_id(r.id()), Some(r));
            assert!(
                r.id()
                    .split('-')
                    .all(|w| !w.is_empty() && w.bytes().all(|b| b.is_ascii_lowercase())),
                "{}",
                r.id()
            );
            assert_eq!(RuleId::from(r), r);
        }
        assert!(!Reserved::EvalError.configurable());
        assert!(Reserved::Unsupported.configurable());
    }

    #[test]
    fn a_check_name_is_a_rule_id() {
        let id = RuleId::from(String::from("rds-storage-floor"));
        let d = Diagnostic::finding(
            id.clone(),
            Severity::Warning,
            "too small",
            Label::file_start(FileId(0)),
        );
        assert_eq!(d.rule, "rds-storage-floor");
        assert_eq!(d.severity, Severity::Warning);
    }
}
