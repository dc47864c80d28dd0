//! Merging a parent's configuration under its child (spec §2.4): `shallow` and `deep`.
//! The child always wins; merged values keep the origin of the side that won.

use crate::diag::{Diagnostic, Label, ids};
use crate::terragrunt::context::TgCtx;
use crate::terragrunt::{DepBlock, FileConfig, Include};
use std::sync::Arc;
use tglint_hcl::{Data, SeqKind, Value};

/// Deep merge of two values: objects and maps recursively, lists and tuples concatenated
/// parent first, anything else the child's.
pub fn deep_value(parent: &Value, child: &Value) -> Value {
    match (&parent.data, &child.data) {
        (Data::Map(_, pm), Data::Map(ck, cm)) => {
            let mut out = pm.as_ref().clone();
            for (k, cv) in cm.iter() {
                let merged = match pm.get(k) {
                    Some(pv) => deep_value(pv, cv),
                    None => cv.clone(),
                };
                out.insert(k.clone(), merged);
            }
            Value::new(Data::Map(*ck, Arc::new(out))).with_origin(child.origin)
        }
        (Data::Seq(pk, pv), Data::Seq(ck, cv)) if *pk != SeqKind::Set && *ck != SeqKind::Set => {
            let mut items = pv.as_ref().clone();
            items.extend(cv.iter().cloned());
            let kind = if *pk == SeqKind::List && *ck == SeqKind::List {
                SeqKind::List
            } else {
                SeqKind::Tuple
            };
            Value::seq(kind, items.into_vec()).with_origin(child.origin)
        }
        _ => child.clone(),
    }
}

/// Shallow merge of two objects: union of keys, the child's value wins per key.
fn shallow_map(parent: &Value, child: &Value) -> Value {
    match (&parent.data, &child.data) {
        (Data::Map(_, pm), Data::Map(ck, cm)) => {
            let mut out = pm.as_ref().clone();
            for (k, v) in cm.iter() {
                out.insert(k.clone(), v.clone());
            }
            Value::new(Data::Map(*ck, Arc::new(out))).with_origin(child.origin)
        }
        _ => child.clone(),
    }
}

fn is_set(v: Option<&Value>) -> bool {
    match v {
        None => false,
        Some(v) => match &v.data {
            Data::Null => false,
            Data::String(s) => !s.is_empty(),
            _ => true,
        },
    }
}

/// Dependency blocks, shallow: a block of the same label in the child replaces the
/// parent's entirely; other blocks are kept, parent's first.
pub fn deps_shallow(parent: &[DepBlock], child: Vec<DepBlock>) -> Vec<DepBlock> {
    let mut out: Vec<DepBlock> = Vec::new();
    for p in parent {
        match child.iter().find(|c| c.label == p.label) {
            Some(c) => out.push(c.clone()),
            None => out.push(p.clone()),
        }
    }
    for c in child {
        if !out.iter().any(|o| o.label == c.label) {
            out.push(c);
        }
    }
    out
}

/// Dependency blocks, deep: same-label blocks merge attribute by attribute.
pub fn deps_deep(parent: &[DepBlock], child: Vec<DepBlock>) -> Vec<DepBlock> {
    let mut out: Vec<DepBlock> = Vec::new();
    for p in parent {
        match child.iter().find(|c| c.label == p.label) {
            Some(c) => out.push(dep_block_deep(p, c)),
            None => out.push(p.clone()),
        }
    }
    for c in child {
        if !out.iter().any(|o| o.label == c.label) {
            out.push(c);
        }
    }
    out
}

fn dep_block_deep(p: &DepBlock, c: &DepBlock) -> DepBlock {
    let mut attrs = p.attrs.clone();
    for (k, cv) in &c.attrs {
        match k.as_str() {
            "config_path" => {
                if is_set(Some(cv)) {
                    attrs.insert(k.clone(), cv.clone());
                }
            }
            "mock_outputs" => {
                let merged = match p.attrs.get(k) {
                    Some(pv) => deep_value(pv, cv),
                    None => cv.clone(),
                };
                attrs.insert(k.clone(), merged);
            }
            "mock_outputs_allowed_terraform_commands" => {
                let merged = match p.attrs.get(k) {
                    Some(pv) => deep_value(pv, cv),
                    None => cv.clone(),
                };
                attrs.insert(k.clone(), merged);
            }
            _ => {
                if !cv.is_null() {
                    attrs.insert(k.clone(), cv.clone());
                }
            }
        }
    }
    DepBlock {
        label: c.label.clone(),
        span: c.span,
        attrs,
    }
}

fn merge_scalars(parent: &mut FileConfig, child: &FileConfig) {
    for (k, v) in &child.scalars {
        if is_set(Some(v)) || matches!(v.data, Data::Bool(_)) {
            parent.scalars.insert(k.clone(), v.clone());
        }
    }
}

/// `terraform` blocks: child attributes win when set; hooks and extra arguments merge by
/// label; `include_in_copy`/`exclude_from_copy` of the child are dropped (shallow) or
/// put before the parent's (deep).
fn merge_terraform(parent: Option<Value>, child: Option<Value>, deep: bool) -> Option<Value> {
    let (p, c) = match (parent, child) {
        (None, c) => return c,
        (p, None) => return p,
        (Some(p), Some(c)) => (p, c),
    };
    let (Some(pm), Some(cm)) = (p.as_map(), c.as_map()) else {
        return Some(c);
    };
    let mut out = pm.clone();
    for (k, cv) in cm {
        match k.as_str() {
            "extra_arguments" | "before_hook" | "after_hook" | "error_hook" => {
                let merged = match pm.get(k) {
                    Some(pv) => shallow_map(pv, cv),
                    None => cv.clone(),
                };
                out.insert(k.clone(), merged);
            }
            "include_in_copy" | "exclude_from_copy" => {
                if deep {
                    let merged = match pm.get(k) {
                        Some(pv) => deep_value(cv, pv),
                        None => cv.clone(),
                    };
                    out.insert(k.clone(), merged);
                }
            }
            _ => {
                if is_set(Some(cv)) || matches!(cv.data, Data::Bool(_)) {
                    out.insert(k.clone(), cv.clone());
                }
            }
        }
    }
    Some(Value::object(out).with_origin(c.origin))
}

/// `dependencies { paths }`, shallow: parent paths first, the child's appended unless
/// already present.
fn paths_shallow(parent: Option<Value>, child: Option<Value>) -> Option<Value> {
    let (p, c) = match (parent, child) {
        (None, c) => return c,
        (p, None) => return p,
        (Some(p), Some(c)) => (p, c),
    };
    let mut items: Vec<Value> = p.as_seq().map(|s| s.to_vec()).unwrap_or_default();
    for v in c.as_seq().unwrap_or(&[]) {
        if !items.iter().any(|x| x.same(v)) {
            items.push(v.clone());
        }
    }
    Some(Value::list(items).with_origin(c.origin))
}

/// `dependencies { paths }`, deep (errata 2): only when the child has the block: the
/// `config_path`s of the parent's dependency blocks whose labels the child does not use
/// (sorted), then the parent's paths that are no such `config_path`, then the child's.
fn paths_deep(
    parent: Option<Value>,
    child: Option<Value>,
    parent_deps: &[DepBlock],
    child_deps: &[DepBlock],
) -> Option<Value> {
    let c = match child {
        None => return parent,
        Some(c) => c,
    };
    let mut dep_paths: Vec<Value> = parent_deps
        .iter()
        .filter(|d| !child_deps.iter().any(|cd| cd.label == d.label))
        .filter_map(|d| d.attr("config_path").cloned())
        .collect();
    dep_paths.sort_by(tglint_hcl::value::canonical_cmp);
    let all_parent_dep_paths: Vec<&Value> = parent_deps
        .iter()
        .filter_map(|d| d.attr("config_path"))
        .collect();
    let mut items = dep_paths;
    if let Some(p) = &parent {
        for v in p.as_seq().unwrap_or(&[]) {
            if !all_parent_dep_paths.iter().any(|x| x.same(v)) {
                items.push(v.clone());
            }
        }
    }
    items.extend(c.as_seq().unwrap_or(&[]).iter().cloned());
    Some(Value::list(items).with_origin(c.origin))
}

/// `parent ⊕ child` with the shallow strategy.
pub fn shallow(ctx: &TgCtx, parent: FileConfig, child: FileConfig, inc: &Include) -> FileConfig {
    let mut out = parent;
    merge_scalars(&mut out, &child);
    out.inputs = match (out.inputs.take(), child.inputs) {
        (Some(p), Some(c)) => Some(shallow_map(&p, &c)),
        (p, c) => c.or(p),
    };
    if child.remote_state.is_some() {
        out.remote_state = child.remote_state;
    }
    out.terraform = merge_terraform(out.terraform.take(), child.terraform, false);
    for (label, g) in child.generate {
        if let Some(existing) = out.generate.get(&label) {
            let mut related =
                vec![Label::new(inc.span).with_note("included here (merge_strategy = shallow)")];
            if let Some(o) = existing.origin {
                related.push(Label::new(o.span).with_note("also defined here"));
            }
            let at = g.origin.map(|o| o.span).unwrap_or(inc.span);
            ctx.report(
                Diagnostic::at(
                    ids::EVAL_ERROR,
                    format!(
                        "Detected generate blocks with the same name: [{label}] (DuplicatedGenerateBlocksError)"
                    ),
                    at,
                )
                .with_related(related)
                .with_help("rename one of the blocks, or include with merge_strategy = \"deep\" to override"),
            );
        }
        out.generate.insert(label, g);
    }
    out.dependencies_paths = paths_shallow(out.dependencies_paths.take(), child.dependencies_paths);
    for (k, v) in child.features {
        out.features.insert(k, v);
    }
    for (dst, src) in [
        (&mut out.exclude, child.exclude),
        (&mut out.errors, child.errors),
        (&mut out.engine, child.engine),
    ] {
        if src.is_some() {
            *dst = src;
        }
    }
    out.dependency_blocks = deps_shallow(&out.dependency_blocks, child.dependency_blocks);
    out.locals = child.locals;
    out
}

/// `parent ⊕ child` with the deep strategy. `parent_deps` are the parent's own dependency
/// blocks (for the `dependencies` rule of errata 2).
pub fn deep(parent: FileConfig, child: FileConfig, parent_deps: &[DepBlock]) -> FileConfig {
    let mut out = parent;
    merge_scalars(&mut out, &child);
    out.inputs = match (out.inputs.take(), child.inputs) {
        (Some(p), Some(c)) => Some(deep_value(&p, &c)),
        (p, c) => c.or(p),
    };
    if child.remote_state.is_some() {
        out.remote_state = child.remote_state;
    }
    out.terraform = merge_terraform(out.terraform.take(), child.terraform, true);
    for (label, g) in child.generate {
        out.generate.insert(label, g);
    }
    out.dependencies_paths = paths_deep(
        out.dependencies_paths.take(),
        child.dependencies_paths,
        parent_deps,
        &child.dependency_blocks,
    );
    for (k, v) in child.features {
        out.features.insert(k, v);
    }
    out.exclude = super::blocks::exclude_deep(out.exclude.take(), child.exclude);
    out.errors = super::blocks::errors_deep(out.errors.take(), child.errors);
    out.engine = super::blocks::engine_deep(out.engine.take(), child.engine);
    out.dependency_blocks = deps_deep(&out.dependency_blocks, child.dependency_blocks);
    out.locals = child.locals;
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn obj(pairs: Vec<(&str, Value)>) -> Value {
        Value::object(pairs.into_iter().map(|(k, v)| (k.to_string(), v)).collect())
    }

    #[test]
    fn deep_merge_concatenates_lists_parent_first() {
        let p = obj(vec![
            ("list", Value::tuple(vec!["hello".into()])),
            ("map", obj(vec![("foo", "bar".into()), ("x", "old".into())])),
            ("keep", "p".into()),
        ]);
        let c = obj(vec![
            ("list", Value::tuple(vec!["mock".into()])),
            ("map", obj(vec![("x", "new".into())])),
        ]);
        assert_eq!(
            deep_value(&p, &c).to_string(),
            r#"{ keep = "p", list = ["hello", "mock"], map = { foo = "bar", x = "new" } }"#
        );
        assert_eq!(
            shallow_map(&p, &c).to_string(),
            r#"{ keep = "p", list = ["mock"], map = { x = "new" } }"#
        );
    }
}
