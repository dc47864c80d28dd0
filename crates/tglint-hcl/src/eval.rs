//! The evaluator over hcl-edit's expressions.
//!
//! It computes what HCL (as Terraform and Terragrunt use it) computes, with two additions:
//! unknown values, which propagate as cty propagates them, and an origin on every value.
//! Variables come from the scope the caller builds ([`EvalCtx::vars`]); functions from the
//! registries it passes, searched in order. `try` and `can` are special forms here, as in
//! HCL.

use crate::budget::{Budget, Exceeded, Resource};
use crate::error::EvalError;
use crate::files::FileAccess;
use crate::functions::conversion;
use crate::functions::{self, CallCtx, CallError, Functions};
use crate::number::NotANumber;
use crate::span::{FileId, LineIndex, Origin, Span};
use crate::types::Ty;
use crate::value::{Data, MapKind, Number, Partial, SeqKind, Unknown, Value, quote};
use hcl_edit::Span as _;
use hcl_edit::expr::{
    BinaryOperator, Conditional, Expression, ForExpr, FuncCall, ObjectKey, Traversal,
    TraversalOperator, UnaryOperator,
};
use hcl_edit::template::{Directive, Element, Template};
use std::collections::BTreeMap;
use std::path::Path;
use std::sync::Arc;

pub type Vars = BTreeMap<String, Value>;

/// The value of a number literal: its text read as cty reads it (`cty.ParseNumberVal`,
/// 512 bits), so `0.1` is exactly what Terraform holds and `1e400` is finite.
fn number_literal(literal: &hcl_edit::Formatted<hcl_edit::Number>) -> Number {
    match literal.as_repr() {
        // hcl-edit folds a minus into the literal: `-`, optional blanks, then the digits.
        Some(r) if r.contains(char::is_whitespace) => {
            let text: String = r.chars().filter(|c| !c.is_whitespace()).collect();
            Number::literal(&text)
        }
        Some(r) => Number::literal(r),
        None => {
            let n = literal.value();
            match n.as_i64() {
                Some(i) => Number::literal(&i.to_string()),
                None => Number::literal(&n.to_string()),
            }
        }
    }
}

/// How deep expressions may nest before evaluation gives up with an error. hcl-edit's
/// parser already refuses deeper nesting than this ([`crate::parse::MAX_NESTING`] levels,
/// some of which take two evaluation levels, a template and its interpolation, or an HCL-JSON
/// string's template inside its JSON nesting); the bound keeps the evaluator safe on
/// syntax trees built by other means.
pub const MAX_DEPTH: u32 = 4 * crate::parse::MAX_NESTING as u32;

/// Everything an expression is evaluated against.
pub struct EvalCtx<'a> {
    pub file: FileId,
    /// The directory of the file being evaluated (Terraform's file functions resolve
    /// relative paths against it).
    pub base_dir: &'a Path,
    pub files: &'a dyn FileAccess,
    /// Searched in order: the first registry holding a name wins.
    pub functions: &'a [&'a Functions],
    pub vars: &'a Vars,
    /// Passed to every function call as [`CallCtx::ext`].
    pub ext: Option<&'a (dyn std::any::Any + Send + Sync)>,
    /// What the evaluation is charged to; `None` gives each [`eval`] call a fresh budget
    /// with the default limits.
    pub budget: Option<&'a Budget>,
}

impl<'a> EvalCtx<'a> {
    /// A context that reads no files and has no caller context (tests, policy
    /// expressions): file 0, base directory `/`.
    pub fn detached(functions: &'a [&'a Functions], vars: &'a Vars) -> EvalCtx<'a> {
        EvalCtx {
            file: FileId(0),
            base_dir: Path::new("/"),
            files: &crate::files::NoFiles,
            functions,
            vars,
            ext: None,
            budget: None,
        }
    }
}

/// Evaluates one expression.
pub fn eval(expr: &Expression, cx: &EvalCtx<'_>) -> Result<Value, EvalError> {
    with_evaluator(cx, |ev| ev.expr(expr))
}

/// Evaluates a parsed template (as a string template would be).
///
/// Its strip markers apply per line, as in HCL's bare templates (`templatefile`).
pub fn eval_template(tpl: &Template, cx: &EvalCtx<'_>) -> Result<Value, EvalError> {
    let lines = crate::template::line_template(tpl, false);
    with_evaluator(cx, |ev| {
        let span = ev.span_of(tpl.span());
        ev.template_value(&lines, span)
    })
}

/// Runs `f` with an evaluator over `cx`, charged to the context's budget (or a fresh one).
fn with_evaluator<T>(cx: &EvalCtx<'_>, f: impl FnOnce(&mut Evaluator<'_, '_>) -> T) -> T {
    let fresh;
    let budget = match cx.budget {
        Some(b) => b,
        None => {
            fresh = Budget::default();
            &fresh
        }
    };
    let _entered = budget.enter();
    f(&mut Evaluator {
        cx,
        scope: Vec::new(),
        depth: 0,
        budget,
    })
}

/// Evaluates the text of a template file (as `templatefile` does) with `vars` and only
/// Terraform's functions. Every value produced gets the call's span as its origin; an
/// error's message names the line and column in the template.
pub fn eval_template_source(
    text: &str,
    vars: &Vars,
    cx: &CallCtx<'_>,
) -> Result<Value, TemplateError> {
    let located = |offset: usize, msg: &str| {
        let idx = LineIndex::new(text);
        let (l, c) = idx.line_col(text, u32::try_from(offset).unwrap_or(u32::MAX));
        format!("{l}:{c}: {msg}")
    };
    let tpl = hcl_edit::parser::parse_template(text)
        .map_err(|e| TemplateError::Other(located(e.location().offset(), e.message())))?;
    let fns = [template_functions(), functions::terraform()];
    let ecx = EvalCtx {
        file: cx.span.file,
        base_dir: cx.base_dir,
        files: cx.files,
        functions: &fns,
        vars,
        ext: None,
        budget: Some(cx.budget),
    };
    let mut v = eval_template(&tpl, &ecx).map_err(|e| match e.budget {
        Some(b) => TemplateError::Budget(b),
        None => TemplateError::Other(located(e.span.start as usize, &e.to_string())),
    })?;
    v.set_origin_deep(Origin::new(cx.span));
    Ok(v)
}

/// Why a template file could not be rendered.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TemplateError {
    Budget(Exceeded),
    /// The message, located in the template ("2:5: ...").
    Other(String),
}

/// The registry searched before Terraform's inside a template: `templatefile` itself is
/// refused there, as Terraform refuses it, so templates cannot recurse.
fn template_functions() -> &'static Functions {
    static CELL: std::sync::OnceLock<Functions> = std::sync::OnceLock::new();
    CELL.get_or_init(|| {
        let mut f = Functions::new();
        let p = [
            functions::Param::new("path").unknowns(),
            functions::Param::new("vars").unknowns(),
        ];
        f.add("templatefile", &p, None, |_, _| {
            Err(crate::error::FnError::call(
                "cannot recursively call templatefile from inside templatefile call",
            ))
        });
        f
    })
}

type R = Result<Value, EvalError>;

struct Evaluator<'c, 'a> {
    cx: &'c EvalCtx<'a>,
    /// Variables bound by `for` expressions and template `for` directives, innermost last.
    scope: Vec<(String, Value)>,
    depth: u32,
    budget: &'c Budget,
}

impl Evaluator<'_, '_> {
    fn span_of(&self, r: Option<std::ops::Range<usize>>) -> Span {
        Span::new(self.cx.file, r.unwrap_or(0..0))
    }

    fn err(&self, span: Span, summary: &str, detail: impl Into<String>) -> EvalError {
        EvalError::new(span, summary, detail)
    }

    /// Charges one step (an expression, an iteration, a call) of the budget.
    fn step(&self, span: Span) -> Result<(), EvalError> {
        self.budget
            .charge(Resource::Steps, 1)
            .map_err(|e| EvalError::budget(span, e))
    }

    /// Charges a value just built to the budget.
    fn built(&self, v: Value, span: Span) -> R {
        self.budget
            .charge_value(&v)
            .map_err(|e| EvalError::budget(span, e))?;
        Ok(v)
    }

    /// Charges an element of a tuple or object literal as a tree, unless its expression
    /// built (and so charged) its value as a tree already: a nested literal or a `for`
    /// expression. Charging those again would make `[[[…]]]` cost the square of its depth.
    fn charge_element(&self, x: &Expression, v: &Value, span: Span) -> Result<(), EvalError> {
        let mut e = x;
        while let Expression::Parenthesis(p) = e {
            e = p.inner();
        }
        if matches!(
            e,
            Expression::Array(_) | Expression::Object(_) | Expression::ForExpr(_)
        ) {
            return Ok(());
        }
        self.budget
            .charge_value(v)
            .map_err(|e| EvalError::budget(span, e))
    }

    /// Charges one collection node of a literal, or the `bytes` of an object key.
    fn charge_node(&self, bytes: u64, span: Span) -> Result<(), EvalError> {
        let r = if bytes == 0 {
            self.budget.charge(Resource::Values, 1)
        } else {
            self.budget.charge(Resource::Bytes, bytes)
        };
        r.map_err(|e| EvalError::budget(span, e))
    }

    /// Runs `f` with a `for` iteration's key and value variables bound.
    fn with_bound<T>(
        &mut self,
        key_var: Option<&str>,
        key: Value,
        value_var: &str,
        value: Value,
        f: impl FnOnce(&mut Self) -> T,
    ) -> T {
        let base = self.scope.len();
        if let Some(kv) = key_var {
            self.scope.push((kv.to_owned(), key));
        }
        self.scope.push((value_var.to_owned(), value));
        let r = f(self);
        self.scope.truncate(base);
        r
    }

    fn lookup(&self, name: &str) -> Option<&Value> {
        self.scope
            .iter()
            .rev()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v)
            .or_else(|| self.cx.vars.get(name))
    }

    fn expr(&mut self, e: &Expression) -> R {
        self.step(self.span_of(e.span()))?;
        self.depth += 1;
        let r = if self.depth > MAX_DEPTH {
            Err(self.err(
                self.span_of(e.span()),
                "Expression too deeply nested",
                format!("expressions may nest at most {MAX_DEPTH} levels deep"),
            ))
        } else {
            self.expr_inner(e)
        };
        self.depth -= 1;
        r
    }

    fn expr_inner(&mut self, e: &Expression) -> R {
        let span = self.span_of(e.span());
        let origin = Some(Origin::new(span));
        let v = match e {
            Expression::Null(_) => Value::null(),
            Expression::Bool(b) => Value::bool(*b.value()),
            Expression::Number(n) => Value::number(number_literal(n)),
            Expression::String(s) => Value::string(s.value().as_str()),
            Expression::Array(a) => {
                let mut items = Vec::with_capacity(a.len());
                for x in a.iter() {
                    let v = self.expr(x)?;
                    self.charge_element(x, &v, span)?;
                    items.push(v);
                }
                self.charge_node(0, span)?;
                Value::tuple(items)
            }
            Expression::Object(o) => {
                let mut map = BTreeMap::new();
                let mut unknown = None;
                for (k, v) in o.iter() {
                    let key = match k {
                        ObjectKey::Ident(id) => crate::value::nfc(id.value().as_str().to_owned()),
                        ObjectKey::Expression(ke) => {
                            let kv = self.object_key(ke)?;
                            match kv {
                                Ok(s) => s,
                                Err(u) => {
                                    unknown.get_or_insert(u);
                                    continue;
                                }
                            }
                        }
                    };
                    let val = self.expr(v.expr())?;
                    self.charge_element(v.expr(), &val, span)?;
                    self.charge_node(key.len() as u64, span)?;
                    map.insert(key, val);
                }
                if let Some(u) = unknown {
                    return Ok(u.with_origin(origin));
                }
                self.charge_node(0, span)?;
                Value::object(map)
            }
            Expression::StringTemplate(t) => {
                // `"${x}"` alone yields x itself, not its string form (HCL's template wrap).
                let elems: Vec<&Element> = t.iter().collect();
                if let [Element::Interpolation(i)] = elems.as_slice() {
                    return self.expr(&i.expr);
                }
                return self.template_elements(&elems, span, true);
            }
            Expression::HeredocTemplate(h) => {
                // A heredoc is scanned line by line: strip markers and `<<-`'s dedent apply
                // to its line tokens (`template::line_template`).
                let lines = crate::template::line_template(&h.template, h.is_flush());
                return self.template_value(&lines, span);
            }
            Expression::Parenthesis(p) => return self.expr(p.inner()),
            Expression::Variable(v) => {
                let name = v.value().as_str();
                return match self.lookup(name) {
                    Some(val) => Ok(val.clone()),
                    None => Err(self.err(
                        span,
                        "Unknown variable",
                        format!("There is no variable named {}.", quote(name)),
                    )),
                };
            }
            Expression::Conditional(c) => return self.conditional(c, span),
            Expression::FuncCall(f) => return self.call(f, span),
            Expression::Traversal(t) => return self.traversal(t),
            Expression::UnaryOp(u) => {
                let v = self.expr(&u.expr)?;
                if !v.is_known() {
                    return Ok(v.unknown_like().with_origin(origin));
                }
                match u.operator.value() {
                    UnaryOperator::Neg => match v.to_number_conv() {
                        Ok(n) => Value::number(n.neg()),
                        Err(m) => return Err(self.err(span, "Invalid operand", operand_msg(&m))),
                    },
                    UnaryOperator::Not => match v.to_bool_conv() {
                        Ok(b) => Value::bool(!b),
                        Err(m) => return Err(self.err(span, "Invalid operand", operand_msg(&m))),
                    },
                }
            }
            Expression::BinaryOp(b) => {
                return self.binary(&b.lhs_expr, *b.operator.value(), &b.rhs_expr, span);
            }
            Expression::ForExpr(f) => return self.for_expr(f, span),
        };
        Ok(v.with_origin(origin))
    }

    /// An object key expression: `Ok(Ok(name))`, or `Ok(Err(unknown))` when the key is
    /// unknown (the whole object is then unknown).
    fn object_key(&mut self, ke: &Expression) -> Result<Result<String, Value>, EvalError> {
        // A bare identifier as key is the literal name (hcl-edit yields Variable for
        // `(x)`-less keys only in unusual spellings).
        let kspan = self.span_of(ke.span());
        let kv = self.expr(ke)?;
        if !kv.is_known() {
            return Ok(Err(kv.unknown_like()));
        }
        match kv.to_str_conv() {
            Ok(s) => Ok(Ok(s)),
            Err(_) if kv.is_null() => Err(self.err(
                kspan,
                "Invalid object key",
                "Key expression result must not be null.",
            )),
            Err(_) => Err(self.err(
                kspan,
                "Incorrect key type",
                format!(
                    "Can't use this value as a key: string required, but got {}.",
                    kv.type_name()
                ),
            )),
        }
    }

    fn conditional(&mut self, c: &Conditional, span: Span) -> R {
        let b = match self.condition(&c.cond_expr, &CONDITIONAL)? {
            Ok(b) => b,
            Err(u) => {
                // HCL checks that the results unify before it looks at the condition, so
                // results of inconsistent types are an error even then.
                let t = self.expr(&c.true_expr);
                let f = self.expr(&c.false_expr);
                for r in [&t, &f] {
                    if let Err(e) = r
                        && e.budget.is_some()
                    {
                        return Err(e.clone());
                    }
                }
                if let (Ok(t), Ok(f)) = (&t, &f)
                    && let Err(why) = conversion::conditional_type(t, f)
                {
                    return Err(self.inconsistent(c, &why));
                }
                return Ok(u.with_origin(Some(Origin::new(span))));
            }
        };
        let (chosen, other) = if b {
            (&c.true_expr, &c.false_expr)
        } else {
            (&c.false_expr, &c.true_expr)
        };
        let v = self.expr(chosen)?;
        // HCL evaluates both results and converts the chosen one to the type they unify to
        // (`convert.UnifyUnsafe`): `c ? 1 : "x"` is a string, `c ? ["a", 1] : ["b"]` a list
        // of strings. Errors in the branch not taken are ignored, as HCL ignores them (its
        // value is then of no known type, so nothing is converted); a spent budget is not.
        let o = match self.expr(other) {
            Ok(o) => o,
            Err(e) if e.budget.is_some() => return Err(e),
            Err(_) => return Ok(v),
        };
        let (t, f) = if b { (&v, &o) } else { (&o, &v) };
        let ty = match conversion::conditional_type(t, f) {
            Ok(Some(ty)) => ty,
            Ok(None) => return Ok(v),
            Err(why) => return Err(self.inconsistent(c, &why)),
        };
        let origin = v.origin;
        match conversion::convert(v, &ty) {
            Ok(mut out) => {
                if out.origin.is_none() {
                    out.origin = origin;
                }
                Ok(out)
            }
            Err(why) => Err(self.err(
                self.span_of(chosen.span()),
                "Inconsistent conditional result types",
                format!(
                    "The {} result value has the wrong type: {why}.",
                    if b { "true" } else { "false" }
                ),
            )),
        }
    }

    /// hcl's error for conditional results whose types do not unify, spanning both.
    fn inconsistent(&self, c: &Conditional, why: &str) -> EvalError {
        let from = self.span_of(c.true_expr.span());
        let to = self.span_of(c.false_expr.span());
        self.err(
            Span::new(from.file, from.start as usize..to.end as usize),
            "Inconsistent conditional result types",
            format!("The true and false result expressions must have consistent types. {why}."),
        )
    }

    /// Evaluates a condition (of `?:`, a `for`'s `if`, a template `%{if}`): `Ok(b)`, or
    /// `Err(unknown)` when it is unknown. Null and non-bool values are errors worded as
    /// HCL words them for that position.
    fn condition(
        &mut self,
        e: &Expression,
        w: &CondWords,
    ) -> Result<Result<bool, Value>, EvalError> {
        let span = self.span_of(e.span());
        let v = self.expr(e)?;
        if v.is_null() {
            return Err(self.err(span, w.null_summary, w.null_detail));
        }
        if !v.is_known() {
            return Ok(Err(v.unknown_like()));
        }
        v.to_bool_conv().map(Ok).map_err(|_| {
            self.err(
                span,
                w.type_summary,
                w.type_detail.replace("{type}", v.type_name()),
            )
        })
    }

    fn binary(&mut self, l: &Expression, op: BinaryOperator, r: &Expression, span: Span) -> R {
        let origin = Some(Origin::new(span));
        let lspan = self.span_of(l.span());
        let rspan = self.span_of(r.span());
        if matches!(op, BinaryOperator::And | BinaryOperator::Or) {
            return self.logic(l, op == BinaryOperator::And, r, span);
        }
        let lv = self.expr(l)?;
        let rv = self.expr(r)?;
        match op {
            BinaryOperator::Eq | BinaryOperator::NotEq => {
                let out = match lv.equals(&rv) {
                    Some(eq) => Value::bool(eq == (op == BinaryOperator::Eq)),
                    None if lv.first_unknown().is_some() => lv.unknown_like(),
                    None => rv.unknown_like(),
                };
                Ok(out.with_origin(origin))
            }
            _ => {
                let a = self.num_operand(&lv, lspan, "left")?;
                let b = self.num_operand(&rv, rspan, "right")?;
                let (a, b) = match (a, b) {
                    (Some(a), Some(b)) => (a, b),
                    _ => {
                        let u = if lv.is_known() {
                            rv.unknown_like()
                        } else {
                            lv.unknown_like()
                        };
                        return Ok(u.with_origin(origin));
                    }
                };
                let out = match op {
                    BinaryOperator::Less => Value::bool(a.cmp_num(&b).is_lt()),
                    BinaryOperator::LessEq => Value::bool(a.cmp_num(&b).is_le()),
                    BinaryOperator::Greater => Value::bool(a.cmp_num(&b).is_gt()),
                    BinaryOperator::GreaterEq => Value::bool(a.cmp_num(&b).is_ge()),
                    BinaryOperator::Plus => {
                        self.arith(a.add(&b), span, "can't compute sum of opposing infinities")?
                    }
                    BinaryOperator::Minus => {
                        self.arith(a.sub(&b), span, "can't subtract infinity from itself")?
                    }
                    BinaryOperator::Mul => {
                        self.arith(a.mul(&b), span, "can't multiply zero by infinity")?
                    }
                    BinaryOperator::Div => self.arith(
                        a.div(&b),
                        span,
                        "can't divide zero by zero or infinity by infinity",
                    )?,
                    BinaryOperator::Mod => {
                        self.arith(a.rem(&b), span, "can't use modulo with zero and infinity")?
                    }
                    _ => Value::null(),
                };
                Ok(out.with_origin(origin))
            }
        }
    }

    /// A result of arithmetic: cty's operations panic with `big.ErrNaN` where IEEE
    /// arithmetic gives NaN, and its functions turn the panic into an error.
    fn arith(&self, n: Result<Number, NotANumber>, span: Span, nan: &str) -> R {
        match n {
            Ok(n) => Ok(Value::number(n)),
            Err(NotANumber) => Err(self.err(
                span,
                "Operation failed",
                format!("Error during operation: {nan}."),
            )),
        }
    }

    /// `&&` and `||` as hcl v2.24 (Terragrunt's) evaluates them: both operands are
    /// evaluated; one that is not convertible to bool is an error; then the operation's
    /// short circuit decides (`OpLogicalAnd.ShortCircuit`): a known controlling operand
    /// (`false` for `&&`, `true` for `||`) gives the result and drops the other operand's
    /// error; an unknown operand facing a non-controlling one gives an unknown, with that
    /// operand's error if it had one; two unknowns are unknown unless the left one failed.
    /// A failed operand is cty's `DynamicVal` there: unknown, of any type.
    fn logic(&mut self, l: &Expression, and: bool, r: &Expression, span: Span) -> R {
        let origin = Some(Origin::new(span));
        let lspan = self.span_of(l.span());
        let rspan = self.span_of(r.span());
        let lv = self.expr(l);
        let rv = self.expr(r);
        for v in [&lv, &rv] {
            if let Err(e) = v
                && e.budget.is_some()
            {
                return Err(e.clone());
            }
        }
        let lo = self.logic_operand(&lv, lspan, "left");
        let ro = self.logic_operand(&rv, rspan, "right");
        let (lo, ro) = match (lo, ro) {
            (Err(e), _) | (_, Err(e)) => return Err(e),
            (Ok(a), Ok(b)) => (a, b),
        };
        let control = !and;
        let unknown = |v: &Result<Value, EvalError>| match v {
            Ok(v) => Ok(v.unknown_like().with_origin(origin)),
            Err(e) => Err(e.clone()),
        };
        match (&lo, &ro) {
            (Operand::Unknown, Operand::Unknown) => {
                return match &lv {
                    Ok(v) => Ok(v.unknown_like().with_origin(origin)),
                    Err(e) => Err(e.clone()),
                };
            }
            (Operand::Known(b), _) | (_, Operand::Known(b)) if *b == control => {
                return Ok(Value::bool(control).with_origin(origin));
            }
            (Operand::Unknown, Operand::Known(_)) => return unknown(&lv),
            (Operand::Known(_), Operand::Unknown) => return unknown(&rv),
            _ => {}
        }
        match (lo, ro) {
            (Operand::Known(a), Operand::Known(b)) => {
                Ok(Value::bool(if and { a && b } else { a || b }).with_origin(origin))
            }
            _ => Err(self.err(
                span,
                "Operation failed",
                "Error during operation: argument must not be null.",
            )),
        }
    }

    /// An operand of `&&`/`||` converted to bool: `Err` only when the conversion fails.
    fn logic_operand(
        &self,
        v: &Result<Value, EvalError>,
        span: Span,
        side: &str,
    ) -> Result<Operand, EvalError> {
        let v = match v {
            Err(_) => return Ok(Operand::Unknown),
            Ok(v) => v,
        };
        if v.is_null() {
            return Ok(Operand::Null);
        }
        if !v.is_known() {
            return Ok(Operand::Unknown);
        }
        v.to_bool_conv().map(Operand::Known).map_err(|m| {
            self.err(
                span,
                "Invalid operand",
                format!("Unsuitable value for {side} operand: {}.", bool_msg(&m)),
            )
        })
    }

    fn num_operand(&self, v: &Value, span: Span, side: &str) -> Result<Option<Number>, EvalError> {
        if !v.is_known() {
            return Ok(None);
        }
        v.to_number_conv().map(Some).map_err(|m| {
            self.err(
                span,
                "Invalid operand",
                format!("Unsuitable value for {side} operand: {m}."),
            )
        })
    }

    fn call(&mut self, f: &FuncCall, span: Span) -> R {
        let name = f.name.name.value().as_str();
        if f.name.is_namespaced() {
            let full: Vec<&str> = f
                .name
                .namespace
                .iter()
                .map(|i| i.value().as_str())
                .chain(std::iter::once(name))
                .collect();
            return Err(self.err(
                span,
                "Call to unknown function",
                format!("There is no function named {}.", quote(&full.join("::"))),
            ));
        }
        match name {
            "try" => return self.try_form(f, span),
            "can" => return self.can_form(f, span),
            _ => {}
        }
        let Some(func) = self.cx.functions.iter().find_map(|r| r.get(name)) else {
            return Err(self.err(
                span,
                "Call to unknown function",
                format!("There is no function named {}.", quote(name)),
            ));
        };
        let mut args = Vec::with_capacity(f.args.len());
        let mut arg_spans = Vec::with_capacity(f.args.len());
        let n = f.args.len();
        for (i, a) in f.args.iter().enumerate() {
            let aspan = self.span_of(a.span());
            let v = self.expr(a)?;
            if i + 1 == n && f.args.expand_final() {
                match &v.data {
                    Data::Seq(_, items) => {
                        for it in items.iter() {
                            args.push(it.clone());
                            arg_spans.push(aspan);
                        }
                    }
                    Data::Unknown(_) => {
                        return Ok(v.unknown_like().with_origin(Some(Origin::new(span))));
                    }
                    Data::Null => {
                        return Err(self.err(
                            aspan,
                            "Invalid expanding argument value",
                            "The expanding argument (indicated by ...) must not be null.",
                        ));
                    }
                    _ => {
                        return Err(self.err(
                            aspan,
                            "Invalid expanding argument value",
                            "The expanding argument (indicated by ...) must be of a tuple, list, or set type.",
                        ));
                    }
                }
            } else {
                args.push(v);
                arg_spans.push(aspan);
            }
        }
        let ccx = CallCtx {
            name,
            base_dir: self.cx.base_dir,
            files: self.cx.files,
            span,
            ext: self.cx.ext,
            budget: self.budget,
        };
        match functions::call_function(func, &ccx, args) {
            Ok(mut v) => {
                v = self.built(v, span)?;
                v.fill_origin(Origin::new(span));
                Ok(v)
            }
            Err(e) => Err(self.call_error(e, name, span, &arg_spans)),
        }
    }

    fn call_error(&self, e: CallError, name: &str, span: Span, arg_spans: &[Span]) -> EvalError {
        match e {
            CallError::UnknownFunction => self.err(
                span,
                "Call to unknown function",
                format!("There is no function named {}.", quote(name)),
            ),
            CallError::NotEnoughArgs { expected, missing } => self.err(
                span,
                "Not enough function arguments",
                format!(
                    "Function {} expects {expected} argument(s). Missing value for {}.",
                    quote(name),
                    quote(missing)
                ),
            ),
            CallError::TooManyArgs { expected } => self.err(
                arg_spans.get(expected).copied().unwrap_or(span),
                "Too many function arguments",
                format!(
                    "Function {} expects only {expected} argument(s).",
                    quote(name)
                ),
            ),
            CallError::Arg { index, param, msg } => self.err(
                arg_spans.get(index).copied().unwrap_or(span),
                "Invalid function argument",
                format!(
                    "Invalid value for {} parameter: {}.",
                    quote(param),
                    trim_dot(&msg)
                ),
            ),
            CallError::Budget(e) => EvalError::budget(span, e),
            CallError::Call(msg) => self.err(
                span,
                "Error in function call",
                format!(
                    "Call to function {} failed: {}.",
                    quote(name),
                    trim_dot(&msg)
                ),
            ),
        }
    }

    fn try_form(&mut self, f: &FuncCall, span: Span) -> R {
        if f.args.is_empty() {
            return Err(self.err(
                span,
                "Not enough function arguments",
                "Function \"try\" expects at least one argument.",
            ));
        }
        let mut errors = Vec::new();
        for a in f.args.iter() {
            match self.expr(a) {
                // hcl's tryfunc: a value that is not wholly known might still fail once it is
                // known, so the result is wholly unknown, not a value built from the known
                // parts (nor a later argument).
                Ok(v) if !v.is_wholly_known() => {
                    return Ok(v.unknown_like().with_origin(Some(Origin::new(span))));
                }
                Ok(v) => return Ok(v),
                Err(e) if e.budget.is_some() => return Err(e),
                Err(e) => errors.push(e),
            }
        }
        let mut detail = String::from("Call to function \"try\" failed: no expression succeeded:");
        for e in &errors {
            detail.push_str("\n- ");
            detail.push_str(&e.to_string());
        }
        detail.push_str("\n\nAt least one expression must produce a successful result.");
        Err(self.err(span, "Error in function call", detail))
    }

    fn can_form(&mut self, f: &FuncCall, span: Span) -> R {
        if f.args.len() != 1 {
            return Err(self.err(
                span,
                if f.args.is_empty() {
                    "Not enough function arguments"
                } else {
                    "Too many function arguments"
                },
                "Function \"can\" expects exactly one argument.",
            ));
        }
        let origin = Some(Origin::new(span));
        let Some(arg) = f.args.iter().next() else {
            return Ok(Value::bool(false).with_origin(origin));
        };
        Ok(match self.expr(arg) {
            Ok(v) if !v.is_wholly_known() => v.unknown_like().with_origin(origin),
            Ok(_) => Value::bool(true).with_origin(origin),
            Err(e) if e.budget.is_some() => return Err(e),
            Err(_) => Value::bool(false).with_origin(origin),
        })
    }

    fn traversal(&mut self, t: &Traversal) -> R {
        let ops: Vec<&TraversalOperator> = t.operators.iter().map(|o| o.value()).collect();
        let op_spans: Vec<Span> = t.operators.iter().map(|o| self.span_of(o.span())).collect();
        let whole = self.span_of(t.span());
        // Walk variables by reference while the steps are static, so `local.big.x` does
        // not copy `local.big`.
        if let Expression::Variable(var) = &t.expr {
            let name = var.value().as_str();
            let base_span = self.span_of(t.expr.span());
            let Some(mut cur) = self.lookup(name) else {
                return Err(self.err(
                    base_span,
                    "Unknown variable",
                    format!("There is no variable named {}.", quote(name)),
                ));
            };
            let mut i = 0;
            while i < ops.len() {
                let key: Option<String> = match ops[i] {
                    TraversalOperator::GetAttr(id) => Some(id.value().as_str().to_owned()),
                    TraversalOperator::LegacyIndex(n) => Some(n.value().to_string()),
                    TraversalOperator::Index(Expression::String(s)) => Some(s.value().to_string()),
                    TraversalOperator::Index(Expression::Number(n)) => {
                        n.value().as_u64().map(|u| u.to_string())
                    }
                    _ => None,
                };
                let Some(key) = key.map(crate::value::nfc) else {
                    break;
                };
                match (&cur.data, ops[i]) {
                    (Data::Map(_, m), TraversalOperator::GetAttr(_))
                    | (Data::Map(_, m), TraversalOperator::Index(Expression::String(_))) => {
                        match m.get(&key) {
                            Some(v) => cur = v,
                            None => break,
                        }
                    }
                    (
                        Data::Seq(SeqKind::List | SeqKind::Tuple, items),
                        TraversalOperator::LegacyIndex(_),
                    )
                    | (
                        Data::Seq(SeqKind::List | SeqKind::Tuple, items),
                        TraversalOperator::Index(Expression::Number(_)),
                    ) => match key.parse::<usize>().ok().and_then(|k| items.get(k)) {
                        Some(v) => cur = v,
                        None => break,
                    },
                    _ => break,
                }
                i += 1;
            }
            let start = cur.clone();
            return self.apply_ops(start, &ops[i..], &op_spans[i..], whole);
        }
        let base = self.expr(&t.expr)?;
        self.apply_ops(base, &ops, &op_spans, whole)
    }

    fn apply_ops(
        &mut self,
        mut cur: Value,
        ops: &[&TraversalOperator],
        spans: &[Span],
        whole: Span,
    ) -> R {
        let mut i = 0;
        while i < ops.len() {
            let span = spans.get(i).copied().unwrap_or(whole);
            match ops[i] {
                TraversalOperator::GetAttr(id) => {
                    cur = self.get_attr(cur, id.value().as_str(), span)?;
                }
                TraversalOperator::LegacyIndex(n) => {
                    let key = Value::int(i64::try_from(*n.value()).unwrap_or(i64::MAX));
                    cur = self.index(cur, &key, span)?;
                }
                TraversalOperator::Index(e) => {
                    let key = self.expr(e)?;
                    cur = self.index(cur, &key, span)?;
                }
                TraversalOperator::AttrSplat(_) | TraversalOperator::FullSplat(_) => {
                    let full = matches!(ops[i], TraversalOperator::FullSplat(_));
                    // An attribute splat applies only the attribute steps that follow; a
                    // full splat applies every following step.
                    let mut j = i + 1;
                    while j < ops.len() && (full || matches!(ops[j], TraversalOperator::GetAttr(_)))
                    {
                        j += 1;
                    }
                    let sub = &ops[i + 1..j];
                    let sub_spans = spans.get(i + 1..j).unwrap_or(&[]);
                    cur = self.splat(cur, sub, sub_spans, span)?;
                    i = j;
                    continue;
                }
            }
            i += 1;
        }
        Ok(cur)
    }

    fn splat(&mut self, cur: Value, ops: &[&TraversalOperator], spans: &[Span], span: Span) -> R {
        let origin = cur.origin.or(Some(Origin::new(span)));
        match cur.data {
            Data::Unknown(_) => Ok(cur),
            Data::Null => Ok(Value::tuple(Vec::new()).with_origin(origin)),
            Data::Seq(kind, items) => {
                // An empty list or set gives an empty list of the type the traversal has on
                // an element (hcl applies it to an unknown of the element type), so
                // `compact([])[*]` is a list of string and `compact([])[*].a` an error.
                if items.is_empty() && kind != SeqKind::Tuple {
                    let ety = conversion::items_elem_ty(&items);
                    let ety = self.splat_ty(ety, ops, spans, span)?;
                    return Ok(Value::list_of(&ety, Vec::new()).with_origin(origin));
                }
                let mut out = Vec::with_capacity(items.len());
                for it in Arc::unwrap_or_clone(items) {
                    out.push(self.apply_ops(it, ops, spans, span)?);
                }
                let kind = if kind == SeqKind::Set {
                    SeqKind::List
                } else {
                    kind
                };
                Ok(self.built(Value::seq(kind, out), span)?.with_origin(origin))
            }
            _ => {
                // A splat on a single value treats it as a one-element tuple.
                let v = self.apply_ops(cur, ops, spans, span)?;
                Ok(Value::tuple(vec![v]).with_origin(origin))
            }
        }
    }

    /// The type of the traversal `ops` applied to an unknown value of type `ty`, with the
    /// errors hcl v2.24 gives for the steps its type rules out (`GetAttr` and `Index` on
    /// unknown values). Anything dynamic stays dynamic.
    fn splat_ty(
        &mut self,
        mut ty: Ty,
        ops: &[&TraversalOperator],
        spans: &[Span],
        whole: Span,
    ) -> Result<Ty, EvalError> {
        let mut i = 0;
        while let Some(op) = ops.get(i) {
            let span = spans.get(i).copied().unwrap_or(whole);
            if ty == Ty::Dynamic {
                return Ok(Ty::Dynamic);
            }
            i += 1;
            ty = match op {
                TraversalOperator::GetAttr(id) => {
                    let name = id.value().as_str();
                    match ty {
                        Ty::Object(mut attrs) => {
                            attrs.remove(&*crate::value::nfc_str(name)).ok_or_else(|| {
                                self.err(
                                    span,
                                    "Unsupported attribute",
                                    format!(
                                        "This object does not have an attribute named {}.",
                                        quote(name)
                                    ),
                                )
                            })?
                        }
                        Ty::Map(e) => *e,
                        Ty::List(_) | Ty::Set(_) | Ty::Tuple(_) => {
                            return Err(self.err(
                                span,
                                "Unsupported attribute",
                                format!(
                                    "This value does not have any attributes; {} has no attribute named {}.",
                                    ty_phrase(&ty),
                                    quote(name)
                                ),
                            ));
                        }
                        t => {
                            return Err(self.err(
                                span,
                                "Unsupported attribute",
                                format!(
                                    "Can't access attributes on a primitive-typed value ({}).",
                                    conversion::friendly(&t)
                                ),
                            ));
                        }
                    }
                }
                TraversalOperator::LegacyIndex(_) | TraversalOperator::Index(_) => {
                    let key = match op {
                        TraversalOperator::Index(e) => self.expr(e)?,
                        TraversalOperator::LegacyIndex(n) => {
                            Value::int(i64::try_from(*n.value()).unwrap_or(i64::MAX))
                        }
                        _ => Value::null(),
                    };
                    if !key.is_known() {
                        return Ok(Ty::Dynamic);
                    }
                    self.index_ty(ty, &key, span)?
                }
                TraversalOperator::AttrSplat(_) | TraversalOperator::FullSplat(_) => {
                    // As `apply_ops` splits a nested splat's steps from the rest.
                    let full = matches!(op, TraversalOperator::FullSplat(_));
                    let mut j = i;
                    while j < ops.len() && (full || matches!(ops[j], TraversalOperator::GetAttr(_)))
                    {
                        j += 1;
                    }
                    let sub = &ops[i..j];
                    let sub_spans = spans.get(i..j).unwrap_or(&[]);
                    i = j;
                    match ty {
                        Ty::List(e) | Ty::Set(e) => {
                            Ty::list(self.splat_ty(*e, sub, sub_spans, span)?)
                        }
                        Ty::Tuple(es) => Ty::Tuple(
                            es.into_iter()
                                .map(|e| self.splat_ty(e, sub, sub_spans, span))
                                .collect::<Result<_, _>>()?,
                        ),
                        // Anything else splats as a one-element tuple, or none if it is
                        // null, which an unknown may be: hcl answers dynamic (after the
                        // steps' own errors).
                        t => {
                            self.splat_ty(t, sub, sub_spans, span)?;
                            Ty::Dynamic
                        }
                    }
                }
            };
        }
        Ok(ty)
    }

    /// The type of indexing an unknown value of type `ty` with the known `key` (hcl's
    /// `Index`; see [`Evaluator::splat_ty`]).
    fn index_ty(&self, ty: Ty, key: &Value, span: Span) -> Result<Ty, EvalError> {
        let invalid = |detail: &str| self.err(span, "Invalid index", detail.to_string());
        if key.is_null() {
            return Err(invalid("Can't use a null value as an indexing key."));
        }
        let number = || {
            key.to_number_conv().map_err(|_| {
                invalid("The given key does not identify an element in this collection value: a number is required.")
            })
        };
        let string = || {
            key.to_str_conv().map_err(|_| {
                invalid("The given key does not identify an element in this collection value: string required.")
            })
        };
        let missing = "The given key does not identify an element in this collection value.";
        match ty {
            Ty::List(e) => {
                number()?;
                Ok(*e)
            }
            Ty::Map(e) => {
                string()?;
                Ok(*e)
            }
            Ty::Tuple(mut es) => {
                let n = number()?;
                let at = n
                    .as_i64()
                    .filter(|_| n.is_whole())
                    .and_then(|i| usize::try_from(i).ok())
                    .filter(|i| *i < es.len())
                    .ok_or_else(|| invalid(missing))?;
                Ok(es.swap_remove(at))
            }
            Ty::Object(mut attrs) => {
                let k = string()?;
                attrs.remove(&k).ok_or_else(|| invalid(missing))
            }
            Ty::Set(_) => Err(invalid(
                "Elements of a set are identified only by their value and don't have any separate index or key to select with, so it's only possible to perform operations across all elements of the set.",
            )),
            Ty::Dynamic => Ok(Ty::Dynamic),
            t => Err(invalid(&format!(
                "This value does not have any indices; {} cannot be indexed.",
                ty_phrase(&t)
            ))),
        }
    }

    fn get_attr(&self, cur: Value, name: &str, span: Span) -> R {
        match cur.data {
            Data::Unknown(_) => Ok(cur),
            Data::Map(kind, m) => match m.get(&*crate::value::nfc_str(name)) {
                Some(v) => Ok(v.clone()),
                None => Err(self.err(
                    span,
                    "Unsupported attribute",
                    if kind == MapKind::Map {
                        format!(
                            "This map does not have an element with the key {}.",
                            quote(name)
                        )
                    } else {
                        format!(
                            "This object does not have an attribute named {}.",
                            quote(name)
                        )
                    },
                )),
            },
            Data::Null => Err(self.err(
                span,
                "Attempt to get attribute from null value",
                "This value is null, so it does not have any attributes.",
            )),
            Data::Seq(..) => Err(self.err(
                span,
                "Unsupported attribute",
                format!(
                    "This value does not have any attributes; {} has no attribute named {}.",
                    cur_type_phrase(&cur.data),
                    quote(name)
                ),
            )),
            _ => Err(self.err(
                span,
                "Unsupported attribute",
                format!(
                    "Can't access attributes on a primitive-typed value ({}).",
                    Value::new(cur.data).type_name()
                ),
            )),
        }
    }

    fn index(&self, cur: Value, key: &Value, span: Span) -> R {
        if !cur.is_known() {
            return Ok(cur);
        }
        if cur.is_null() {
            return Err(self.err(
                span,
                "Attempt to index null value",
                "This value is null, so it does not have any indices.",
            ));
        }
        if !key.is_known() {
            return Ok(key.unknown_like());
        }
        if key.is_null() {
            return Err(self.err(
                span,
                "Invalid index",
                "Can't use a null value as an indexing key.",
            ));
        }
        let invalid = || {
            self.err(
                span,
                "Invalid index",
                "The given key does not identify an element in this collection value.",
            )
        };
        match cur.data {
            Data::Seq(SeqKind::Set, _) => Err(self.err(
                span,
                "Invalid index",
                "Elements of a set are identified only by their value and don't have any separate index or key to select with, so it's only possible to perform operations across all elements of the set.",
            )),
            Data::Seq(_, items) => {
                let n = key.to_number_conv().map_err(|_| {
                    self.err(
                        span,
                        "Invalid index",
                        "The given key does not identify an element in this collection value: a number is required.",
                    )
                })?;
                let idx = n
                    .as_i64()
                    .filter(|_| n.is_whole())
                    .and_then(|i| usize::try_from(i).ok())
                    .filter(|i| *i < items.len())
                    .ok_or_else(invalid)?;
                Ok(items[idx].clone())
            }
            Data::Map(_, m) => {
                let k = key.to_str_conv().map_err(|_| {
                    self.err(
                        span,
                        "Invalid index",
                        "The given key does not identify an element in this collection value: string required.",
                    )
                })?;
                m.get(&k).cloned().ok_or_else(invalid)
            }
            d => Err(self.err(
                span,
                "Invalid index",
                format!(
                    "This value does not have any indices; {} cannot be indexed.",
                    cur_type_phrase(&d)
                ),
            )),
        }
    }

    fn for_expr(&mut self, f: &ForExpr, span: Span) -> R {
        let origin = Some(Origin::new(span));
        let cspan = self.span_of(f.intro.collection_expr.span());
        let coll = self.expr(&f.intro.collection_expr)?;
        let entries = match self.iteration(coll, cspan, "a 'for' expression")? {
            Ok(e) => e,
            Err(u) => return Ok(u.with_origin(origin)),
        };
        let key_var = f
            .intro
            .key_var
            .as_ref()
            .map(|k| k.value().as_str().to_owned());
        let value_var = f.intro.value_var.value().as_str().to_owned();
        let mut list = Vec::new();
        let mut obj: BTreeMap<String, Value> = BTreeMap::new();
        let mut groups: BTreeMap<String, Vec<Value>> = BTreeMap::new();
        let mut unknown: Option<Value> = None;
        for (k, v) in entries {
            self.step(span)?;
            self.with_bound(key_var.as_deref(), k, &value_var, v, |ev| {
                ev.for_body(f, &mut list, &mut obj, &mut groups, &mut unknown)
            })?;
        }
        if let Some(u) = unknown {
            return Ok(u.with_origin(origin));
        }
        let v = if f.key_expr.is_some() {
            if f.grouping {
                Value::object(
                    groups
                        .into_iter()
                        .map(|(k, vs)| (k, Value::tuple(vs).with_origin(origin)))
                        .collect(),
                )
            } else {
                Value::object(obj)
            }
        } else {
            Value::tuple(list)
        };
        Ok(self.built(v, span)?.with_origin(origin))
    }

    fn for_body(
        &mut self,
        f: &ForExpr,
        list: &mut Vec<Value>,
        obj: &mut BTreeMap<String, Value>,
        groups: &mut BTreeMap<String, Vec<Value>>,
        unknown: &mut Option<Value>,
    ) -> Result<(), EvalError> {
        if let Some(c) = &f.cond {
            let keep = match self.condition(&c.expr, &FOR_IF)? {
                Ok(b) => b,
                Err(u) => {
                    unknown.get_or_insert(u);
                    return Ok(());
                }
            };
            if !keep {
                return Ok(());
            }
        }
        match &f.key_expr {
            None => list.push(self.expr(&f.value_expr)?),
            Some(ke) => {
                let kspan = self.span_of(ke.span());
                let kv = self.expr(ke)?;
                let val = self.expr(&f.value_expr)?;
                if !kv.is_known() {
                    unknown.get_or_insert(kv.unknown_like());
                    return Ok(());
                }
                let k = kv.to_str_conv().map_err(|_| {
                    self.err(
                        kspan,
                        "Invalid object key",
                        format!(
                            "The key expression produced an invalid result: string required, but got {}.",
                            kv.type_name()
                        ),
                    )
                })?;
                if f.grouping {
                    groups.entry(k).or_default().push(val);
                    return Ok(());
                }
                match obj.entry(k) {
                    std::collections::btree_map::Entry::Occupied(o) => {
                        return Err(self.err(
                            kspan,
                            "Duplicate object key",
                            format!(
                                "Two different items produced the key {} in this 'for' expression. If duplicates are expected, use the ellipsis (...) after the value expression to enable grouping by key.",
                                quote(o.key())
                            ),
                        ));
                    }
                    std::collections::btree_map::Entry::Vacant(slot) => {
                        slot.insert(val);
                    }
                }
            }
        }
        Ok(())
    }

    /// The (key, value) pairs a `for` iterates, or the unknown result when the collection
    /// is unknown.
    #[allow(clippy::type_complexity)]
    fn iteration(
        &self,
        coll: Value,
        span: Span,
        what: &str,
    ) -> Result<Result<Vec<(Value, Value)>, Value>, EvalError> {
        match coll.data {
            Data::Unknown(_) => Ok(Err(coll)),
            Data::Null => Err(self.err(
                span,
                "Iteration over null value",
                format!("A null value cannot be used as the collection in {what}."),
            )),
            Data::Seq(SeqKind::Set, items) => Ok(Ok(Arc::unwrap_or_clone(items)
                .into_iter()
                .map(|v| (v.clone(), v))
                .collect())),
            Data::Seq(_, items) => Ok(Ok(Arc::unwrap_or_clone(items)
                .into_iter()
                .enumerate()
                .map(|(i, v)| (Value::int(i64::try_from(i).unwrap_or(i64::MAX)), v))
                .collect())),
            Data::Map(_, m) => Ok(Ok(Arc::unwrap_or_clone(m)
                .into_iter()
                .map(|(k, v)| (Value::string(k), v))
                .collect())),
            d => Err(self.err(
                span,
                "Iteration over non-iterable value",
                format!(
                    "A value of type {} cannot be used as the collection in {what}.",
                    Value::new(d).type_name()
                ),
            )),
        }
    }

    // ----- templates -----

    /// A template whose strip markers were already applied ([`crate::template`]).
    fn template_value(&mut self, tpl: &Template, span: Span) -> R {
        let elems: Vec<&Element> = tpl.iter().collect();
        self.template_elements(&elems, span, false)
    }

    /// Renders template elements; `strips`: apply the strip markers to the adjacent
    /// literals (a quoted string, whose literals are one token per run, as in HCL).
    fn template_elements(&mut self, elems: &[&Element], span: Span, strips: bool) -> R {
        let mut out = String::new();
        let mut unknown = Holes::default();
        let mode = Strips {
            on: strips,
            first: false,
            last: false,
        };
        self.render(elems, mode, &mut out, &mut unknown)?;
        let origin = Some(Origin::new(span));
        Ok(match unknown.first {
            Some(mut u) => {
                if !unknown.whole
                    && !unknown.reasons.is_empty()
                    && let Data::Unknown(x) = &mut u.data
                {
                    x.partial = Some(Arc::new(Partial {
                        text: out,
                        holes: unknown.reasons,
                    }));
                }
                u
            }
            None => self.built(Value::string(out), span)?,
        }
        .with_origin(origin))
    }

    fn render(
        &mut self,
        elems: &[&Element],
        mode: Strips,
        out: &mut String,
        unknown: &mut Holes,
    ) -> Result<(), EvalError> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            self.depth -= 1;
            return Err(self.err(
                Span::default(),
                "Template too deeply nested",
                format!("template directives may nest at most {MAX_DEPTH} levels deep"),
            ));
        }
        let r = self.render_inner(elems, mode, out, unknown);
        self.depth -= 1;
        r
    }

    fn render_inner(
        &mut self,
        elems: &[&Element],
        mode: Strips,
        out: &mut String,
        unknown: &mut Holes,
    ) -> Result<(), EvalError> {
        let n = elems.len();
        for (i, el) in elems.iter().enumerate() {
            match el {
                Element::Literal(lit) => {
                    let mut s: &str = lit.value();
                    let strip_start = mode.on
                        && if i == 0 {
                            mode.first
                        } else {
                            strips_after(elems[i - 1])
                        };
                    let strip_end = mode.on
                        && if i + 1 == n {
                            mode.last
                        } else {
                            strips_before(elems[i + 1])
                        };
                    if strip_start {
                        s = s.trim_start();
                    }
                    if strip_end {
                        s = s.trim_end();
                    }
                    out.push_str(s);
                }
                Element::Interpolation(interp) => {
                    let ispan = self.span_of(interp.expr.span());
                    let v = self.expr(&interp.expr)?;
                    match self.interp_string(&v, ispan)? {
                        Some(s) => {
                            // The string so far must fit, or a loop could build it
                            // without bound before it is charged.
                            self.budget
                                .fits(Resource::Bytes, (out.len() + s.len()) as u64)
                                .map_err(|e| EvalError::budget(ispan, e))?;
                            out.push_str(&s)
                        }
                        None => {
                            // A placeholder where the value would be; a partial
                            // template's own text is spliced in.
                            let base = unknown.reasons.len();
                            match &v.data {
                                Data::Unknown(Unknown {
                                    partial: Some(p), ..
                                }) => {
                                    out.push_str(&Partial::renumbered(&p.text, base));
                                    unknown.reasons.extend(p.holes.iter().cloned());
                                }
                                Data::Unknown(u) => {
                                    out.push_str(&Partial::placeholder(base));
                                    unknown.reasons.push(u.reason.clone());
                                }
                                _ => unknown.whole = true,
                            }
                            unknown.first.get_or_insert(v.unknown_like());
                        }
                    }
                }
                Element::Directive(d) => match d.as_ref() {
                    Directive::If(ifd) => {
                        let b = match self.condition(&ifd.if_expr.cond_expr, &TEMPLATE_IF)? {
                            Ok(b) => b,
                            Err(u) => {
                                unknown.whole = true;
                                unknown.first.get_or_insert(u);
                                continue;
                            }
                        };
                        let endif_start = ifd.endif_expr.strip.strip_start();
                        if b {
                            let last = match &ifd.else_expr {
                                Some(e) => e.strip.strip_start(),
                                None => endif_start,
                            };
                            let sub: Vec<&Element> = ifd.if_expr.template.iter().collect();
                            let m = mode.inner(ifd.if_expr.strip.strip_end(), last);
                            self.render(&sub, m, out, unknown)?;
                        } else if let Some(e) = &ifd.else_expr {
                            let sub: Vec<&Element> = e.template.iter().collect();
                            let m = mode.inner(e.strip.strip_end(), endif_start);
                            self.render(&sub, m, out, unknown)?;
                        }
                    }
                    Directive::For(ford) => {
                        let fx = &ford.for_expr;
                        let cspan = self.span_of(fx.collection_expr.span());
                        let coll = self.expr(&fx.collection_expr)?;
                        let entries =
                            match self.iteration(coll, cspan, "a template 'for' directive")? {
                                Ok(e) => e,
                                Err(u) => {
                                    unknown.whole = true;
                                    unknown.first.get_or_insert(u);
                                    continue;
                                }
                            };
                        let sub: Vec<&Element> = fx.template.iter().collect();
                        let key_var = fx.key_var.as_ref().map(|k| k.value().as_str().to_owned());
                        let value_var = fx.value_var.value().as_str().to_owned();
                        for (k, v) in entries {
                            self.step(cspan)?;
                            self.budget
                                .fits(Resource::Bytes, out.len() as u64)
                                .map_err(|e| EvalError::budget(cspan, e))?;
                            self.with_bound(key_var.as_deref(), k, &value_var, v, |ev| {
                                let m = mode.inner(
                                    fx.strip.strip_end(),
                                    ford.endfor_expr.strip.strip_start(),
                                );
                                ev.render(&sub, m, out, unknown)
                            })?;
                        }
                    }
                },
            }
        }
        Ok(())
    }

    /// The string an interpolated value contributes, or `None` when it is unknown.
    fn interp_string(&self, v: &Value, span: Span) -> Result<Option<String>, EvalError> {
        match &v.data {
            Data::Unknown(_) => Ok(None),
            Data::Null => Err(self.err(
                span,
                "Invalid template interpolation value",
                "The expression result is null. Cannot include a null value in a string template.",
            )),
            Data::String(s) => Ok(Some(s.clone())),
            Data::Number(n) => Ok(Some(n.to_string())),
            Data::Bool(b) => Ok(Some(b.to_string())),
            d => Err(self.err(
                span,
                "Invalid template interpolation value",
                format!(
                    "Cannot include the given value in a string template: string required, but got {}.",
                    cur_type_phrase(d)
                ),
            )),
        }
    }
}

/// The unknowns a template met while rendering.
#[derive(Default)]
struct Holes {
    /// The first: the template's value is unknown like it.
    first: Option<Value>,
    /// Why each placeholder written into the text is unknown.
    reasons: Vec<Arc<str>>,
    /// A directive's condition or collection was unknown: no text can be rendered.
    whole: bool,
}

/// Whether a template's strip markers are applied while rendering, and whether the first
/// and last literal of the elements rendered are stripped (by the directive around them).
#[derive(Clone, Copy)]
struct Strips {
    on: bool,
    first: bool,
    last: bool,
}

impl Strips {
    fn inner(self, first: bool, last: bool) -> Strips {
        Strips {
            on: self.on,
            first,
            last,
        }
    }
}

/// How HCL words a bad condition in each position.
struct CondWords {
    null_summary: &'static str,
    null_detail: &'static str,
    type_summary: &'static str,
    /// `{type}` stands for the value's type name.
    type_detail: &'static str,
}

const CONDITIONAL: CondWords = CondWords {
    null_summary: "Null condition",
    null_detail: "The condition value is null. Conditions must either be true or false.",
    type_summary: "Incorrect condition type",
    type_detail: "The condition expression must be of type bool, but got {type}.",
};

const FOR_IF: CondWords = CondWords {
    null_summary: "Condition is null",
    null_detail: "The value of the 'if' clause must not be null.",
    type_summary: "Invalid 'for' condition",
    type_detail: "The 'if' clause value is invalid: bool required, but got {type}.",
};

const TEMPLATE_IF: CondWords = CondWords {
    null_summary: "Invalid if directive condition",
    null_detail: "The condition value is null. Conditions must either be true or false.",
    type_summary: "Invalid if directive condition",
    type_detail: "The condition must be of type bool, but got {type}.",
};

/// Whether the element strips whitespace from the literal that follows it (`~}`).
fn strips_after(e: &Element) -> bool {
    match e {
        Element::Literal(_) => false,
        Element::Interpolation(i) => i.strip.strip_end(),
        Element::Directive(d) => match d.as_ref() {
            Directive::If(i) => i.endif_expr.strip.strip_end(),
            Directive::For(f) => f.endfor_expr.strip.strip_end(),
        },
    }
}

/// Whether the element strips whitespace from the literal before it (`{~`).
fn strips_before(e: &Element) -> bool {
    match e {
        Element::Literal(_) => false,
        Element::Interpolation(i) => i.strip.strip_start(),
        Element::Directive(d) => match d.as_ref() {
            Directive::If(i) => i.if_expr.strip.strip_start(),
            Directive::For(f) => f.for_expr.strip.strip_start(),
        },
    }
}

fn cur_type_phrase(d: &Data) -> &'static str {
    match d {
        Data::Seq(SeqKind::List, _) => "a list",
        Data::Seq(SeqKind::Tuple, _) => "a tuple",
        Data::Seq(SeqKind::Set, _) => "a set",
        Data::Map(MapKind::Map, _) => "a map",
        Data::Map(MapKind::Object, _) => "an object",
        Data::Bool(_) => "a bool",
        Data::Number(_) => "a number",
        Data::String(_) => "a string",
        Data::Null => "null",
        Data::Unknown(_) => "an unknown value",
    }
}

/// [`cur_type_phrase`] for a type.
fn ty_phrase(t: &Ty) -> &'static str {
    match t {
        Ty::List(_) => "a list",
        Ty::Tuple(_) => "a tuple",
        Ty::Set(_) => "a set",
        Ty::Map(_) => "a map",
        Ty::Object(_) => "an object",
        Ty::Number => "a number",
        Ty::Bool => "a bool",
        Ty::String => "a string",
        Ty::Dynamic => "an unknown value",
    }
}

fn operand_msg(m: &str) -> String {
    format!("Unsuitable value for unary operand: {m}.")
}

/// An operand of `&&`/`||` after its conversion to bool.
enum Operand {
    Known(bool),
    Null,
    /// Unknown, or failed to evaluate (cty's `DynamicVal`).
    Unknown,
}

fn bool_msg(m: &str) -> String {
    if m == "a bool is required" {
        "bool required".into()
    } else {
        m.into()
    }
}

fn trim_dot(s: &str) -> &str {
    s.strip_suffix('.').unwrap_or(s)
}

#[cfg(test)]
mod tests {
    use crate::functions::testing::types;

    /// Checked against `terraform console`'s `type()`: hcl types a splat over an empty
    /// list or set by its traversal on an unknown element.
    #[test]
    fn splat_over_typed_empty_lists() {
        types(&[
            ("compact([])[*]", "list(string)"),
            ("range(0)[*]", "list(number)"),
            ("toset(compact([]))[*]", "list(string)"),
            ("tolist([])[*]", "list(dynamic)"),
            ("tolist([])[*].a", "list(dynamic)"),
            ("compact([])[*].a", "error"),
            (r#"compact(["a"])[*].x"#, "error"),
            (
                r#"regexall("(?P<x>a)", "b")[*]"#,
                "list(object({x: string}))",
            ),
            (r#"regexall("(?P<x>a)", "b")[*].x"#, "list(string)"),
            (r#"regexall("(a)", "b")[*][0]"#, "list(string)"),
            (
                "slice(tolist([{a = 1}]), 0, 0)[*]",
                "list(object({a: number}))",
            ),
            ("slice(tolist([{a = 1}]), 0, 0)[*].a", "list(number)"),
            ("tolist([{a = 1}])[*].a", "list(number)"),
            (
                r#"slice(tolist([tomap({a = "x"})]), 0, 0)[*].a"#,
                "list(string)",
            ),
            (r#"slice(tolist([["x", 1]]), 0, 0)[*][1]"#, "list(number)"),
            (r#"slice(tolist([["x", 1]]), 0, 0)[*][2]"#, "error"),
            (
                "slice(tolist([{a = {b = 1}}]), 0, 0)[*].a.b",
                "list(number)",
            ),
            ("slice(tolist([{a = {b = 1}}]), 0, 0)[*].a.c", "error"),
            ("slice(tolist([toset([1])]), 0, 0)[*][0]", "error"),
            ("slice(tolist([{a = 1}]), 0, 0)[*][null]", "error"),
            ("compact([])[*][0]", "error"),
            ("range(0)[*].a", "error"),
            // Nested splats.
            (
                "slice(tolist([{a = [1]}]), 0, 0)[*].a[*]",
                "list(tuple([number]))",
            ),
            (
                "slice(tolist([{a = [{b = 1}]}]), 0, 0)[*].a.*.b",
                "list(tuple([number]))",
            ),
            (
                "slice(tolist([{a = tolist([{b = 1}])}]), 0, 0)[*].a[*].b",
                "list(list(number))",
            ),
            (
                "slice(tolist([{a = {b = 1}}]), 0, 0)[*].a[*].b",
                "list(dynamic)",
            ),
            // hcl v2.24 (Terragrunt's) types an unknown object's index by its attribute;
            // Terraform 1.11's hcl v2.23 answers dynamic (`list(dynamic)`, and no error
            // for a missing one).
            ("slice(tolist([{a = 1}]), 0, 0)[*][\"a\"]", "list(number)"),
            ("slice(tolist([{a = 1}]), 0, 0)[*][\"b\"]", "error"),
            ("transpose({})[*]", "tuple([map(list(string))])"),
            ("[for x in compact([]) : x]", "tuple([])"),
            ("{for x in compact([]) : x => x}", "object({})"),
        ]);
    }
}
