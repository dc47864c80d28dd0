//! Evaluation errors, worded as Terraform words them.

use crate::budget::Exceeded;
use crate::span::Span;
use std::fmt;

/// An evaluation error: a one-line summary in Terraform's manner ("Invalid function
/// argument", "Unsupported attribute", "Call to unknown function"), a detail sentence,
/// and the span of the offending expression.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EvalError {
    pub summary: String,
    pub detail: String,
    pub span: Span,
    /// Set when the evaluation budget ran out: neither `try` nor `can` catches it, and
    /// callers report only the first one of a unit.
    pub budget: Option<Exceeded>,
}

impl EvalError {
    pub fn new(span: Span, summary: impl Into<String>, detail: impl Into<String>) -> EvalError {
        EvalError {
            summary: summary.into(),
            detail: detail.into(),
            span,
            budget: None,
        }
    }

    /// The evaluation budget ran out at `span`.
    pub fn budget(span: Span, e: Exceeded) -> EvalError {
        EvalError {
            summary: "Evaluation budget exceeded".into(),
            detail: e.to_string(),
            span,
            budget: Some(e),
        }
    }
}

impl fmt::Display for EvalError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.detail.is_empty() {
            f.write_str(&self.summary)
        } else {
            write!(f, "{}: {}", self.summary, self.detail)
        }
    }
}

impl std::error::Error for EvalError {}

/// What a function implementation reports; the evaluator turns it into an [`EvalError`]
/// with the span of the argument or of the whole call.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum FnError {
    /// Argument `index` (0-based, counting variadic arguments) is wrong:
    /// "Invalid function argument: Invalid value for "<param>" parameter: <msg>."
    Arg { index: usize, msg: String },
    /// The call failed as a whole: "Error in function call: Call to function "<name>"
    /// failed: <msg>."
    Call(String),
    /// The evaluation budget ran out while the function worked.
    Budget(Exceeded),
}

impl From<Exceeded> for FnError {
    fn from(e: Exceeded) -> FnError {
        FnError::Budget(e)
    }
}

impl FnError {
    pub fn arg(index: usize, msg: impl Into<String>) -> FnError {
        FnError::Arg {
            index,
            msg: msg.into(),
        }
    }

    pub fn call(msg: impl Into<String>) -> FnError {
        FnError::Call(msg.into())
    }
}

pub type FnResult = Result<crate::value::Value, FnError>;
