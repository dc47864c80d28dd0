//! The `exclude`, `errors` and `engine` blocks: their schemas checked as Terragrunt decodes
//! them (gohcl: a non-pointer field is a required attribute), their values normalised, and
//! their deep merge (`ExcludeConfig.Merge`, `ErrorsConfig.Merge`, `EngineConfig.Merge` in
//! Terragrunt's `pkg/config`). The shallow merge replaces each block wholesale.

use super::file::FileEval;
use super::schema::Schema;
use crate::diag::{Diagnostic, Label, ids};
use std::collections::BTreeMap;
use tglint_hcl::hcl_edit::Span as _;
use tglint_hcl::hcl_edit::structure::{Block, Structure};
use tglint_hcl::{Data, Span, Value};

const EXCLUDE: Schema = Schema {
    place: "in an exclude block",
    attributes: &[&["if", "actions", "exclude_dependencies", "no_run"]],
    blocks: Some(&[]),
};
const ERRORS: Schema = Schema {
    place: "in an errors block",
    attributes: &[],
    blocks: Some(&["retry", "ignore"]),
};
const RETRY: Schema = Schema {
    place: "in a retry block",
    attributes: &[&["retryable_errors", "max_attempts", "sleep_interval_sec"]],
    blocks: Some(&[]),
};
const IGNORE: Schema = Schema {
    place: "in an ignore block",
    attributes: &[&["ignorable_errors", "message", "signals"]],
    blocks: Some(&[]),
};
const ENGINE: Schema = Schema {
    place: "in an engine block",
    attributes: &[&["source", "version", "type", "meta"]],
    blocks: Some(&[]),
};

/// The types the blocks' attributes decode to.
#[derive(Clone, Copy)]
enum Ty {
    Bool,
    Int,
    String,
    StringList,
    Map,
    Any,
}

impl Ty {
    fn name(self) -> &'static str {
        match self {
            Ty::Bool => "bool",
            Ty::Int => "number",
            Ty::String => "string",
            Ty::StringList => "list of string",
            Ty::Map => "map",
            Ty::Any => "any",
        }
    }
}

/// Drops what the schema does not have (reported by `check_shape`), keeping `name`.
fn keep_known(v: &mut Value, schema: &Schema) {
    if let Some(m) = v.map_mut() {
        m.retain(|k, _| k == "name" || schema.allows_attribute(k) || schema.allows_block(k));
    }
}

/// What Go's `strconv.ParseBool` says of a string it refuses.
pub fn go_bool_error(s: &str) -> String {
    format!(
        "strconv.ParseBool: parsing {}: invalid syntax",
        tglint_hcl::go::quote(s)
    )
}

/// Go's `strconv.ParseBool`.
pub fn parse_go_bool(s: &str) -> Option<bool> {
    match s {
        "1" | "t" | "T" | "TRUE" | "true" | "True" => Some(true),
        "0" | "f" | "F" | "FALSE" | "false" | "False" => Some(false),
        _ => None,
    }
}

impl FileEval {
    fn block_span(&self, b: &Block) -> Span {
        self.span(b.ident.span())
    }

    /// Unknown attributes and blocks, missing required attributes, and labels: the
    /// checks gohcl makes on the syntax. `labels` is how many labels the block takes.
    fn check_shape(&self, b: &Block, schema: &Schema, required: &[&str], labels: usize) {
        let name = b.ident.value().as_str();
        if b.labels.len() != labels {
            let msg = if labels == 0 {
                format!("Extraneous label for {name}: No labels are expected for {name} blocks.")
            } else {
                format!(
                    "Missing name for {name}: All {name} blocks must have {labels} labels (name)."
                )
            };
            self.ctx
                .report(Diagnostic::at(ids::EVAL_ERROR, msg, self.block_span(b)));
        }
        for s in b.body.iter() {
            match s {
                Structure::Attribute(a) => {
                    let k = a.key.value().as_str();
                    if !schema.allows_attribute(k) {
                        self.ctx.report(Diagnostic::at(
                            ids::EVAL_ERROR,
                            schema.unknown_attribute(k),
                            self.span(a.key.span()),
                        ));
                    }
                }
                Structure::Block(nb) => {
                    let k = nb.ident.value().as_str();
                    if !schema.allows_block(k) {
                        self.ctx.report(Diagnostic::at(
                            ids::EVAL_ERROR,
                            schema.unknown_block(k),
                            self.span(nb.ident.span()),
                        ));
                    }
                }
            }
        }
        for r in required {
            if b.body.get_attribute(r).is_none() {
                let what = match b.labels.first() {
                    Some(l) => format!("{name} \"{}\"", l.as_str()),
                    None => name.to_string(),
                };
                self.ctx.report(Diagnostic::at(
                    ids::EVAL_ERROR,
                    format!(
                        "Missing required argument: The argument \"{r}\" is required, but no definition was found ({what} block)."
                    ),
                    self.span(b.span()),
                ));
            }
        }
    }

    /// Checks `v` (an attribute's value) against `ty`; a known value of another type is
    /// reported and replaced by an unknown naming the failure. Null is "not set".
    fn typed(&self, what: &str, v: &Value, ty: Ty, at: Span) -> Value {
        let ok = match (&v.data, ty) {
            (Data::Unknown(_) | Data::Null, _) | (_, Ty::Any) => true,
            (Data::Bool(_), Ty::Bool) => true,
            (Data::String(s), Ty::Bool) => s == "true" || s == "false",
            (Data::Number(n), Ty::Int) => n.as_i64().is_some(),
            (Data::String(s), Ty::Int) => s.parse::<i64>().is_ok(),
            (Data::String(_), Ty::String) => true,
            (Data::Bool(_) | Data::Number(_), Ty::String) => true,
            (Data::Seq(..), Ty::StringList) => v.as_seq().unwrap_or(&[]).iter().all(|x| {
                matches!(
                    x.data,
                    Data::String(_) | Data::Unknown(_) | Data::Number(_) | Data::Bool(_)
                )
            }),
            (Data::Map(..), Ty::Map) => true,
            _ => false,
        };
        if ok {
            return v.clone();
        }
        let at = v.origin.map(|o| o.span).unwrap_or(at);
        self.ctx.report(Diagnostic::at(
            ids::EVAL_ERROR,
            format!(
                "Unsuitable value type: {what}: Unsuitable value: {} required, not {}",
                ty.name(),
                v.type_name()
            ),
            at,
        ));
        Value::failed(format!("{what} has the wrong type")).with_origin(v.origin)
    }

    fn check_attrs(&self, prefix: &str, v: &mut Value, types: &[(&str, Ty)], at: Span) {
        let Some(m) = v.map_mut() else { return };
        for (k, ty) in types {
            if let Some(x) = m.get(*k) {
                let t = self.typed(&format!("{prefix}.{k}"), x, *ty, at);
                m.insert((*k).to_string(), t);
            }
        }
    }

    /// `exclude { if, actions, exclude_dependencies, no_run }`: `if` and `actions` are
    /// required (gohcl), the flags are bools, and a string flag is read as Go's
    /// `strconv.ParseBool` reads it (as Terragrunt's exclude evaluation does).
    pub(super) fn check_exclude(&self, b: &Block, mut v: Value) -> Value {
        self.check_shape(b, &EXCLUDE, &["if", "actions"], 0);
        keep_known(&mut v, &EXCLUDE);
        let at = self.block_span(b);
        if let Some(m) = v.map_mut() {
            for flag in ["if", "exclude_dependencies", "no_run"] {
                let Some(x) = m.get(flag) else { continue };
                if let Data::String(s) = &x.data {
                    let origin = x.origin;
                    match parse_go_bool(s) {
                        Some(b) => {
                            m.insert(flag.into(), Value::bool(b).with_origin(origin));
                        }
                        None => {
                            self.ctx.report(Diagnostic::at(
                                ids::EVAL_ERROR,
                                format!("exclude.{flag}: {}", go_bool_error(s)),
                                origin.map(|o| o.span).unwrap_or(at),
                            ));
                            m.insert(
                                flag.into(),
                                Value::failed(format!("exclude.{flag} is not a bool"))
                                    .with_origin(origin),
                            );
                        }
                    }
                }
            }
        }
        self.check_attrs(
            "exclude",
            &mut v,
            &[
                ("if", Ty::Bool),
                ("actions", Ty::StringList),
                ("exclude_dependencies", Ty::Bool),
                ("no_run", Ty::Bool),
            ],
            at,
        );
        v
    }

    /// `errors { retry "<name>" { … } ignore "<name>" { … } }`: required attributes and
    /// types as gohcl decodes them, `max_attempts >= 1`, `sleep_interval_sec >= 0`, and
    /// every pattern a regular expression that compiles once a leading `!` (negation) is
    /// taken off — Terragrunt's `ErrorsConfig()` checks, with its wording.
    pub(super) fn check_errors(&self, b: &Block, mut v: Value) -> Value {
        self.check_shape(b, &ERRORS, &[], 0);
        for nb in b.body.blocks() {
            match nb.ident.value().as_str() {
                "retry" => self.check_shape(
                    nb,
                    &RETRY,
                    &["retryable_errors", "max_attempts", "sleep_interval_sec"],
                    1,
                ),
                "ignore" => self.check_shape(nb, &IGNORE, &["ignorable_errors"], 1),
                _ => {}
            }
        }
        keep_known(&mut v, &ERRORS);
        let at = self.block_span(b);
        let Some(m) = v.map_mut() else { return v };
        for (kind, list, types) in [
            (
                "retry",
                "retryable_errors",
                &[
                    ("retryable_errors", Ty::StringList),
                    ("max_attempts", Ty::Int),
                    ("sleep_interval_sec", Ty::Int),
                ][..],
            ),
            (
                "ignore",
                "ignorable_errors",
                &[
                    ("ignorable_errors", Ty::StringList),
                    ("message", Ty::String),
                    ("signals", Ty::Map),
                ][..],
            ),
        ] {
            let Some(blocks) = m.get_mut(kind).and_then(Value::map_mut) else {
                continue;
            };
            for (label, blk) in blocks.iter_mut() {
                keep_known(blk, if kind == "retry" { &RETRY } else { &IGNORE });
                let prefix = format!("errors.{kind}.{label}");
                self.check_attrs(&prefix, blk, types, at);
                let Some(bm) = blk.as_map() else { continue };
                let Some(patterns) = bm.get(list).and_then(Value::as_seq) else {
                    continue;
                };
                let list_at = bm.get(list).and_then(|x| x.origin).map(|o| o.span);
                for p in patterns {
                    let Some(s) = p.as_str() else { continue };
                    if let Err(e) = compile_pattern(s) {
                        let pat_at = p.origin.map(|o| o.span).or(list_at).unwrap_or(at);
                        self.ctx.report(
                            Diagnostic::at(
                                ids::EVAL_ERROR,
                                format!(
                                    "invalid {kind} pattern {} in block {}: error parsing regexp: {e}",
                                    tglint_hcl::go::quote(s),
                                    tglint_hcl::go::quote(label)
                                ),
                                pat_at,
                            )
                            .with_help(
                                "patterns are Go regular expressions (RE2 syntax); a leading `!` negates one",
                            ),
                        );
                    }
                }
            }
        }
        v
    }
}

/// The checks Terragrunt's `ErrorsConfig()` makes on the merged configuration: each retry
/// block's `max_attempts >= 1` and `sleep_interval_sec >= 0` (a child's `0` under a deep
/// merge keeps the parent's number, so only the merged value counts).
pub(super) fn check_merged_errors(ctx: &super::TgCtx, errors: Option<&Value>, at: Span) {
    let Some(retry) = errors
        .and_then(Value::as_map)
        .and_then(|m| m.get("retry"))
        .and_then(Value::as_map)
    else {
        return;
    };
    for (label, blk) in retry {
        if let Some(bm) = blk.as_map() {
            check_retry_numbers(ctx, label, bm, at);
        }
    }
}

fn check_retry_numbers(ctx: &super::TgCtx, label: &str, bm: &BTreeMap<String, Value>, at: Span) {
    let num = |k: &str| {
        bm.get(k).and_then(|x| match &x.data {
            Data::Number(n) => n.as_i64().map(|i| (i, x.origin)),
            Data::String(s) => s.parse::<i64>().ok().map(|i| (i, x.origin)),
            _ => None,
        })
    };
    let q = tglint_hcl::go::quote(label);
    if let Some((n, o)) = num("max_attempts")
        && n < 1
    {
        ctx.report(Diagnostic::at(
            ids::EVAL_ERROR,
            format!("cannot have less than 1 max retry in errors.retry {q}, but you specified {n}"),
            o.map(|o| o.span).unwrap_or(at),
        ));
    }
    if let Some((n, o)) = num("sleep_interval_sec")
        && n < 0
    {
        ctx.report(Diagnostic::at(
            ids::EVAL_ERROR,
            format!(
                "cannot sleep for less than 0 seconds in errors.retry {q}, but you specified {n}"
            ),
            o.map(|o| o.span).unwrap_or(at),
        ));
    }
}

impl FileEval {
    /// `engine { source, version, type, meta }`: `source` is required (a string), the
    /// others optional strings and `meta` any value.
    pub(super) fn check_engine(&self, b: &Block, mut v: Value) -> Value {
        self.check_shape(b, &ENGINE, &["source"], 0);
        keep_known(&mut v, &ENGINE);
        let at = self.block_span(b);
        self.check_attrs(
            "engine",
            &mut v,
            &[
                ("source", Ty::String),
                ("version", Ty::String),
                ("type", Ty::String),
                ("meta", Ty::Any),
            ],
            at,
        );
        v
    }

    /// A second `exclude`, `errors` or `engine` block in one file.
    pub(super) fn duplicate_block(&self, b: &Block, first: Span) {
        let name = b.ident.value().as_str();
        self.ctx.report(
            Diagnostic::at(
                ids::EVAL_ERROR,
                format!(
                    "Duplicate {name} block: Only one {name} block is allowed in a file; the first one is kept."
                ),
                self.block_span(b),
            )
            .with_related(vec![Label::new(first).with_note("first defined here")]),
        );
    }
}

/// Compiles an `errors` pattern as Terragrunt's `errorsPattern` does: a leading `!`
/// negates, the rest is a regular expression. The message is the regex crate's reason.
pub fn compile_pattern(p: &str) -> Result<(bool, regex::Regex), String> {
    let (neg, body) = match p.strip_prefix('!') {
        Some(rest) => (true, rest),
        None => (false, p),
    };
    match regex::Regex::new(body) {
        Ok(r) => Ok((neg, r)),
        Err(regex::Error::Syntax(s)) => Err(s
            .lines()
            .rev()
            .find(|l| l.starts_with("error: "))
            .map(|l| l.trim_start_matches("error: ").to_string())
            .unwrap_or(s)),
        Err(e) => Err(e.to_string()),
    }
}

// ----- the deep merge -----

fn map_of(v: &Value) -> Option<&BTreeMap<String, Value>> {
    v.as_map()
}

fn set(v: Option<&Value>) -> bool {
    v.is_some_and(|x| !x.is_null())
}

/// `ExcludeConfig.Merge`: `if`, `exclude_dependencies` and `no_run` are the child's
/// (absent ones too), `actions` the child's when it has any, else the parent's.
pub fn exclude_deep(parent: Option<Value>, child: Option<Value>) -> Option<Value> {
    let (p, c) = match (parent, child) {
        (p, None) => return p,
        (None, c) => return c,
        (Some(p), Some(c)) => (p, c),
    };
    let (Some(pm), Some(cm)) = (map_of(&p), map_of(&c)) else {
        return Some(c);
    };
    let mut out = cm.clone();
    let child_actions = cm
        .get("actions")
        .is_some_and(|a| !a.as_seq().is_some_and(<[Value]>::is_empty) && !a.is_null());
    if !child_actions && let Some(pa) = pm.get("actions") {
        out.insert("actions".into(), pa.clone());
    }
    Some(Value::object(out).with_origin(c.origin))
}

/// `EngineConfig.Merge`: each attribute the child sets (a non-empty `source`) wins.
pub fn engine_deep(parent: Option<Value>, child: Option<Value>) -> Option<Value> {
    let (p, c) = match (parent, child) {
        (p, None) => return p,
        (None, c) => return c,
        (Some(p), Some(c)) => (p, c),
    };
    let (Some(pm), Some(cm)) = (map_of(&p), map_of(&c)) else {
        return Some(c);
    };
    let mut out = pm.clone();
    for (k, v) in cm {
        let wins = match k.as_str() {
            "source" => v.as_str() != Some(""),
            _ => !v.is_null(),
        };
        if wins {
            out.insert(k.clone(), v.clone());
        }
    }
    Some(Value::object(out).with_origin(c.origin))
}

/// `ErrorsConfig.Merge`: retry and ignore blocks by label; a label in both gets the
/// union of the patterns (sorted, without duplicates, as Go's `util.MergeSlices`), the
/// child's `max_attempts`/`sleep_interval_sec` when positive, the child's `message` when
/// non-empty, and the signals of both (the child's winning per key).
pub fn errors_deep(parent: Option<Value>, child: Option<Value>) -> Option<Value> {
    let (p, c) = match (parent, child) {
        (p, None) => return p,
        (None, c) => return c,
        (Some(p), Some(c)) => (p, c),
    };
    let (Some(pm), Some(cm)) = (map_of(&p), map_of(&c)) else {
        return Some(c);
    };
    let mut out = pm.clone();
    for kind in ["retry", "ignore"] {
        let Some(cblocks) = cm.get(kind).and_then(Value::as_map) else {
            continue;
        };
        let mut blocks = out
            .get(kind)
            .and_then(Value::as_map)
            .cloned()
            .unwrap_or_default();
        for (label, cb) in cblocks {
            let merged = match blocks.get(label) {
                Some(pb) => merge_error_block(kind, pb, cb),
                None => cb.clone(),
            };
            blocks.insert(label.clone(), merged);
        }
        out.insert(kind.into(), Value::object(blocks));
    }
    Some(Value::object(out).with_origin(c.origin))
}

fn merge_error_block(kind: &str, pb: &Value, cb: &Value) -> Value {
    let (Some(pm), Some(cm)) = (pb.as_map(), cb.as_map()) else {
        return cb.clone();
    };
    let mut out = pm.clone();
    let list = if kind == "retry" {
        "retryable_errors"
    } else {
        "ignorable_errors"
    };
    match (pm.get(list), cm.get(list)) {
        (Some(pl), Some(cl)) => match (pl.as_seq(), cl.as_seq()) {
            (Some(a), Some(b)) if a.iter().chain(b).all(|x| x.as_str().is_some()) => {
                let mut items: Vec<Value> = a.iter().chain(b).cloned().collect();
                items.sort_by(|x, y| x.as_str().cmp(&y.as_str()));
                items.dedup_by(|x, y| x.as_str() == y.as_str());
                out.insert(list.into(), Value::tuple(items).with_origin(cl.origin));
            }
            _ => {
                out.insert(
                    list.into(),
                    Value::unknown(format!(
                        "errors.{kind}.{list} merges lists that are not all known"
                    )),
                );
            }
        },
        (None, Some(cl)) => {
            out.insert(list.into(), cl.clone());
        }
        _ => {}
    }
    for (k, v) in cm {
        if k == list || k == "name" {
            continue;
        }
        let wins = match k.as_str() {
            "max_attempts" | "sleep_interval_sec" => match &v.data {
                Data::Number(n) => n.as_i64().is_some_and(|i| i > 0),
                Data::Unknown(_) => true,
                _ => false,
            },
            "message" => v.as_str() != Some("") && !v.is_null(),
            "signals" => {
                let merged = match (pm.get(k).and_then(Value::as_map), v.as_map()) {
                    (Some(a), Some(b)) => {
                        let mut s = a.clone();
                        s.extend(b.iter().map(|(k, v)| (k.clone(), v.clone())));
                        Value::object(s).with_origin(v.origin)
                    }
                    _ => v.clone(),
                };
                if set(Some(v)) {
                    out.insert(k.clone(), merged);
                }
                false
            }
            _ => !v.is_null(),
        };
        if wins {
            out.insert(k.clone(), v.clone());
        }
    }
    Value::object(out).with_origin(cb.origin)
}

/// Whether the unit is excluded for every action: `exclude { if = true, actions = [… "all"
/// …] }`. `Some(false)` without an exclude block or when `if` is false or the actions
/// lack `"all"`; `None` when an unknown decides.
pub fn excluded(exclude: Option<&Value>) -> Option<bool> {
    let Some(v) = exclude else {
        return Some(false);
    };
    let m = match &v.data {
        Data::Null => return Some(false),
        Data::Map(..) => v.as_map()?,
        _ => return None,
    };
    let cond = match m.get("if").map(|v| &v.data) {
        None | Some(Data::Null) => false,
        Some(Data::Bool(b)) => *b,
        Some(Data::String(s)) => parse_go_bool(s)?,
        _ => return None,
    };
    if !cond {
        return Some(false);
    }
    let actions = m.get("actions")?;
    if actions.is_null() {
        return Some(false);
    }
    let items = actions.as_seq()?;
    let mut unknown = false;
    for a in items {
        match &a.data {
            Data::String(s) if s == "all" => return Some(true),
            Data::Unknown(_) => unknown = true,
            _ => {}
        }
    }
    if unknown { None } else { Some(false) }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn obj(pairs: Vec<(&str, Value)>) -> Value {
        Value::object(pairs.into_iter().map(|(k, v)| (k.to_string(), v)).collect())
    }

    #[test]
    fn excluded_for_all_actions() {
        let ex = |cond: Value, actions: Vec<Value>| {
            excluded(Some(&obj(vec![
                ("if", cond),
                ("actions", Value::tuple(actions)),
            ])))
        };
        assert_eq!(excluded(None), Some(false));
        assert_eq!(ex(Value::bool(true), vec!["all".into()]), Some(true));
        assert_eq!(ex(Value::bool(true), vec!["plan".into()]), Some(false));
        assert_eq!(
            ex(Value::bool(true), vec!["all_except_output".into()]),
            Some(false)
        );
        assert_eq!(ex(Value::bool(false), vec!["all".into()]), Some(false));
        assert_eq!(ex(Value::unknown("x"), vec!["all".into()]), None);
        assert_eq!(ex(Value::bool(true), vec![Value::unknown("x")]), None);
    }

    #[test]
    fn patterns_compile_with_negation() {
        assert!(compile_pattern("!.*timeout.*").is_ok_and(|(n, _)| n));
        assert!(compile_pattern("(.*").is_err_and(|e| e == "unclosed group"));
    }

    #[test]
    fn errors_merge_by_label() {
        let retry = |errs: Vec<&str>, max: i64| {
            obj(vec![
                (
                    "retryable_errors",
                    Value::tuple(errs.into_iter().map(Value::from).collect()),
                ),
                ("max_attempts", Value::from(max)),
                ("sleep_interval_sec", Value::from(0)),
            ])
        };
        let p = obj(vec![(
            "retry",
            obj(vec![
                ("a", retry(vec!["z", "x"], 3)),
                ("b", retry(vec!["b"], 2)),
            ]),
        )]);
        let c = obj(vec![(
            "retry",
            obj(vec![
                ("a", retry(vec!["x", "y"], 0)),
                ("c", retry(vec!["c"], 1)),
            ]),
        )]);
        let m = errors_deep(Some(p), Some(c)).map(|v| v.to_string());
        assert_eq!(
            m.as_deref(),
            Some(
                r#"{ retry = { a = { max_attempts = 3, retryable_errors = ["x", "y", "z"], sleep_interval_sec = 0 }, b = { max_attempts = 2, retryable_errors = ["b"], sleep_interval_sec = 0 }, c = { max_attempts = 1, retryable_errors = ["c"], sleep_interval_sec = 0 } } }"#
            )
        );
    }

    #[test]
    fn exclude_and_engine_deep() {
        let p = obj(vec![
            ("if", Value::bool(true)),
            ("actions", Value::tuple(vec!["plan".into()])),
            ("no_run", Value::bool(true)),
        ]);
        let c = obj(vec![
            ("if", Value::bool(false)),
            ("actions", Value::tuple(vec![])),
        ]);
        assert_eq!(
            exclude_deep(Some(p), Some(c))
                .map(|v| v.to_string())
                .as_deref(),
            Some(r#"{ actions = ["plan"], if = false }"#)
        );
        let p = obj(vec![("source", "a".into()), ("version", "v1".into())]);
        let c = obj(vec![("source", "".into()), ("type", "rpc".into())]);
        assert_eq!(
            engine_deep(Some(p), Some(c))
                .map(|v| v.to_string())
                .as_deref(),
            Some(r#"{ source = "a", type = "rpc", version = "v1" }"#)
        );
    }
}
