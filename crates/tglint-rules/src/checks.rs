//! The user's `check` blocks: `when`, `condition` and `error_message` evaluated over
//! `unit` (`Unit::to_value`) with the same evaluator as Terragrunt files.

use crate::context::{Finding, Kind, missing_place, value_place};
use crate::policy::Check;
use tglint_model::diag::{Diagnostic, Label, RuleId, Severity, ids};
use tglint_model::hcl::hcl_edit::expr::Expression;
use tglint_model::hcl::syntax::refs;
use tglint_model::hcl::{Data, EvalCtx, EvalError, Value, Vars, eval, functions};
use tglint_model::unit::Unit;

/// The findings of every check on `u`, and the errors in the checks' expressions (policy
/// errors at the policy file's lines).
pub fn run(checks: &[Check], u: &Unit) -> (Vec<Finding>, Vec<Diagnostic>) {
    // The unit's view is built for the checks to read: not at all when there are none.
    if checks.is_empty() {
        return (Vec::new(), Vec::new());
    }
    let mut vars = Vars::new();
    vars.insert("unit".into(), u.to_value());
    let fns = [functions::terraform()];
    let mut findings = Vec::new();
    let mut errors = Vec::new();
    for c in checks {
        let mut cx = EvalCtx::detached(&fns, &vars);
        cx.file = c.file;
        let ev = |e: &Expression| eval(e, &cx);
        let policy_error = |e: EvalError, what: &str| {
            Diagnostic::at(
                ids::POLICY_ERROR,
                format!("check \"{}\": `{what}`: {e}", c.name),
                e.span,
            )
        };
        if let Some(w) = &c.when {
            match ev(w) {
                Ok(v) => match truth(&v) {
                    Truth::True => {}
                    Truth::False => continue,
                    Truth::Unknown(reason) => {
                        findings.push(cannot_verify(c, u, w, &reason));
                        continue;
                    }
                    Truth::NotBool(t) => {
                        errors.push(not_bool(c, "when", t));
                        continue;
                    }
                },
                Err(e) => {
                    errors.push(policy_error(e, "when"));
                    continue;
                }
            }
        }
        match ev(&c.condition) {
            Ok(v) => match truth(&v) {
                Truth::True => {}
                Truth::False => {
                    let message = c
                        .error_message
                        .as_ref()
                        .and_then(|m| ev(m).ok())
                        .and_then(|v| v.as_str().map(str::to_string))
                        .unwrap_or_else(|| format!("check \"{}\" does not hold", c.name));
                    let (primary, related) = place(u, &c.condition);
                    let mut d = Diagnostic::finding(
                        RuleId::from(c.name.clone()),
                        c.severity.severity().unwrap_or(Severity::Error),
                        message,
                        primary,
                    );
                    d.related = related;
                    let mut f = Finding::new(d, Kind::Violation, Some(u.dir.clone()));
                    // The message may quote values; the check is the same finding.
                    f.subject(format!("check.{}", c.name));
                    findings.push(f);
                }
                Truth::Unknown(reason) => findings.push(cannot_verify(c, u, &c.condition, &reason)),
                Truth::NotBool(t) => errors.push(not_bool(c, "condition", t)),
            },
            Err(e) => errors.push(policy_error(e, "condition")),
        }
    }
    (findings, errors)
}

enum Truth {
    True,
    False,
    Unknown(String),
    NotBool(&'static str),
}

fn truth(v: &Value) -> Truth {
    match &v.data {
        Data::Bool(true) => Truth::True,
        Data::Bool(false) => Truth::False,
        Data::Unknown(u) => Truth::Unknown(u.reason.to_string()),
        _ => Truth::NotBool(v.type_name()),
    }
}

fn not_bool(c: &Check, what: &str, t: &str) -> Diagnostic {
    Diagnostic::new(
        ids::POLICY_ERROR,
        format!("check \"{}\": `{what}` must be a bool, not {t}", c.name),
        Label::new(c.span),
    )
}

fn cannot_verify(c: &Check, u: &Unit, e: &Expression, reason: &str) -> Finding {
    let (primary, related) = place(u, e);
    let mut d = Diagnostic::finding(
        RuleId::from(c.name.clone()),
        Severity::Info,
        format!("cannot verify check \"{}\" because {reason}", c.name),
        primary,
    );
    d.related = related;
    let mut f = Finding::new(d, Kind::CannotVerify, Some(u.dir.clone()));
    f.subject(format!("check.{}", c.name));
    f
}

/// Where a check's finding points: the first value of the unit its expression reads
/// (`unit.inputs.allocated_storage` → where that was set), else where inputs go.
fn place(u: &Unit, e: &Expression) -> (Label, Vec<Label>) {
    for r in refs(e) {
        if r.root != "unit" || r.steps.len() < 2 {
            continue;
        }
        let path = r.steps.join(".");
        if u.get(&path).origin().is_some() {
            let (p, rel, _) = value_place(u, &path);
            return (p, rel);
        }
    }
    missing_place(u)
}
