//! `read_terragrunt_config` (spec §3): a configuration as the object the function returns,
//! resolved once per unit (and once per run when it cannot depend on the caller).

use super::config::{DepBlock, FileConfig};
use super::context::TgCtx;
use super::reads::{Read, Via};
use super::resolve::{dependency_var, resolve};
use super::schema::STRING_SCALARS;
use crate::diag::Diagnostic;
use crate::fs::{Kind, clean};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::Ordering;
use tglint_hcl::{Exceeded, Origin, Resource, Span, Value};

/// Why `read_terragrunt_config` produced no object.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ReadConfigError {
    /// No file at the (already resolved) path: the default applies, if given.
    NotFound(PathBuf),
    /// Anything else, worded for the user.
    Failed(String),
    /// The unit's evaluation budget for reads is spent.
    Budget(Exceeded),
}

/// How deep `read_terragrunt_config` may nest before tglint reports a loop or runaway.
pub const MAX_READ_DEPTH: usize = 32;

/// A configuration as the object `read_terragrunt_config` and exposed includes yield
/// (spec §2.3). `with_outputs` adds `dependency.<n>.outputs`.
pub fn config_as_value(
    cfg: &FileConfig,
    deps: &[(DepBlock, Option<PathBuf>)],
    with_outputs: bool,
) -> Value {
    let mut m: BTreeMap<String, Value> = BTreeMap::new();
    for k in STRING_SCALARS {
        m.insert(
            (*k).to_string(),
            cfg.scalars
                .get(*k)
                .cloned()
                .unwrap_or_else(|| Value::string("")),
        );
    }
    for (k, v) in &cfg.scalars {
        m.entry(k.clone()).or_insert_with(|| v.clone());
    }
    m.insert("locals".into(), Value::object(cfg.locals.clone()));
    if let Some(v) = &cfg.inputs {
        m.insert("inputs".into(), v.clone());
    }
    if let Some(v) = &cfg.terraform {
        m.insert("terraform".into(), v.clone());
    }
    if let Some(v) = &cfg.remote_state {
        m.insert("remote_state".into(), v.clone());
    }
    if !cfg.generate.is_empty() {
        m.insert("generate".into(), Value::object(cfg.generate.clone()));
    }
    if let Some(p) = &cfg.dependencies_paths {
        let mut d = BTreeMap::new();
        d.insert("paths".to_string(), p.clone());
        m.insert("dependencies".into(), Value::object(d));
    }
    if !deps.is_empty() {
        let dv = dependency_var(&deps.iter().map(|(d, _)| d.clone()).collect::<Vec<_>>());
        let mut dm = BTreeMap::new();
        for (d, _) in deps {
            let mut o = BTreeMap::new();
            o.insert("name".to_string(), Value::string(d.label.clone()));
            for (src, dst) in [
                ("config_path", "config_path"),
                ("enabled", "enabled"),
                ("skip_outputs", "skip"),
                ("mock_outputs", "mock_outputs"),
                (
                    "mock_outputs_allowed_terraform_commands",
                    "mock_outputs_allowed_terraform_commands",
                ),
                (
                    "mock_outputs_merge_with_state",
                    "mock_outputs_merge_with_state",
                ),
                (
                    "mock_outputs_merge_strategy_with_state",
                    "mock_outputs_merge_strategy_with_state",
                ),
            ] {
                if let Some(v) = d.attr(src) {
                    o.insert(dst.to_string(), v.clone());
                }
            }
            if with_outputs
                && let Some(out) = dv
                    .as_map()
                    .and_then(|x| x.get(&d.label))
                    .and_then(|x| x.as_map())
                    .and_then(|x| x.get("outputs"))
            {
                o.insert("outputs".into(), out.clone());
            }
            dm.insert(
                d.label.clone(),
                Value::object(o).with_origin(Some(Origin::new(d.span))),
            );
        }
        m.insert("dependency".into(), Value::object(dm));
    }
    if !cfg.features.is_empty() {
        m.insert("feature".into(), Value::object(cfg.features.clone()));
    }
    for (k, v) in [
        ("exclude", &cfg.exclude),
        ("errors", &cfg.errors),
        ("engine", &cfg.engine),
        ("catalog", &cfg.catalog),
    ] {
        if let Some(v) = v {
            m.insert(k.into(), v.clone());
        }
    }
    Value::object(m)
}

/// Parses `target` (absolute, a file) as a top-level configuration in the context of
/// `ctx` and returns the object `read_terragrunt_config` returns (spec §3).
pub fn read_config_object(
    ctx: &TgCtx,
    target: &Path,
    span: Span,
) -> Result<Value, ReadConfigError> {
    let target = clean(target);
    ctx.read(span, &target, Via::ReadTerragruntConfig);
    let cache = &ctx.shared.cache;
    match cache.kind(&target) {
        Ok(None) => return Err(ReadConfigError::NotFound(target)),
        Ok(Some(Kind::Dir)) => {
            return Err(ReadConfigError::Failed(format!(
                "{} is a directory without a Terragrunt configuration",
                target.display()
            )));
        }
        _ => {}
    }
    // A values file is read as Terragrunt's `ReadValues` reads it: the object of its
    // attributes, not a configuration (`config_helpers.go` checks the name's suffix, and
    // then reads the directory's terragrunt.values.hcl).
    if target
        .to_str()
        .is_some_and(|t| t.ends_with(super::stack::VALUES_FILE))
    {
        let dir = target.parent().unwrap_or(Path::new("/"));
        let mut diags = Vec::new();
        let v = super::stack::read_values(&ctx.shared, dir, &mut diags);
        for d in diags {
            ctx.report(d);
        }
        return v.ok_or_else(|| {
            ReadConfigError::Failed(format!(
                "{} is read as a values file, but {} has no {}",
                target.display(),
                dir.display(),
                super::stack::VALUES_FILE
            ))
        });
    }
    if let Some(pos) = ctx.read_stack.iter().position(|p| *p == target) {
        ctx.unit.loops.fetch_add(1, Ordering::Relaxed);
        let mut chain: Vec<String> = ctx.read_stack[pos..]
            .iter()
            .map(|p| p.display().to_string())
            .collect();
        chain.push(target.display().to_string());
        return Err(ReadConfigError::Failed(format!(
            "read_terragrunt_config loop: {} (Terragrunt would recurse until its maximum parse depth)",
            chain.join(" reads ")
        )));
    }
    if ctx.read_stack.len() >= MAX_READ_DEPTH {
        // Depends on where the read started, like a loop: nothing on the way is memoised.
        ctx.unit.loops.fetch_add(1, Ordering::Relaxed);
        return Err(ReadConfigError::Failed(format!(
            "read_terragrunt_config nests more than {MAX_READ_DEPTH} levels deep"
        )));
    }
    if let Some((v, diags)) = lock(&ctx.unit.read_memo).get(&target).cloned() {
        for d in diags {
            ctx.report(d);
        }
        return Ok(v);
    }
    // A target that reads nothing further, includes nothing and never asks for the
    // original directory resolves the same for every caller: resolve it once per run.
    let cacheable = is_self_contained(ctx, &target);
    if cacheable && let Some((v, diags, reads)) = lock(&ctx.shared.read_cache).get(&target).cloned()
    {
        for d in diags {
            ctx.report(d);
        }
        lock(&ctx.unit.edges).extend(reads);
        return Ok(v);
    }
    ctx.unit
        .budget
        .charge(Resource::Reads, 1)
        .map_err(ReadConfigError::Budget)?;
    let loops_before = ctx.unit.loops.load(Ordering::Relaxed);
    let edges_before = lock(&ctx.unit.edges).len();
    let mut stack = ctx.read_stack.clone();
    if stack.is_empty() {
        stack.push(ctx.config_path.clone());
    }
    stack.push(target.clone());
    let diags = Arc::new(std::sync::Mutex::new(Vec::new()));
    let sub = TgCtx {
        shared: ctx.shared.clone(),
        config_path: target.clone(),
        original_path: ctx.original_path.clone(),
        current_file: target.clone(),
        include_from_child: None,
        includes: Vec::new(),
        read_stack: stack,
        diags: diags.clone(),
        unit: ctx.unit.clone(),
        values: None,
    };
    let r = resolve(sub, &target);
    let v = if r.failed {
        Value::failed(format!("{} could not be loaded", target.display()))
            .with_origin(Some(Origin::new(span)))
    } else {
        config_as_value(&r.config, &r.dependencies, true)
    };
    let produced: Vec<Diagnostic> = std::mem::take(&mut *lock(&diags));
    for d in &produced {
        ctx.report(d.clone());
    }
    if cacheable {
        // What the target itself read, for the next unit that finds it in the cache.
        let reads = lock(&ctx.unit.edges)
            .get(edges_before..)
            .map(<[Read]>::to_vec)
            .unwrap_or_default();
        lock(&ctx.shared.read_cache).insert(target.clone(), (v.clone(), produced.clone(), reads));
    }
    if ctx.unit.loops.load(Ordering::Relaxed) == loops_before {
        lock(&ctx.unit.read_memo).insert(target, (v.clone(), produced));
    }
    Ok(v)
}

fn lock<T>(m: &std::sync::Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|p| p.into_inner())
}

/// Whether the file at `target` can only resolve one way: it has no include blocks and
/// does not mention `read_terragrunt_config` or `get_original_terragrunt_dir`.
fn is_self_contained(ctx: &TgCtx, target: &Path) -> bool {
    let cache = &ctx.shared.cache;
    let f = cache.file(target);
    let Ok((text, _)) = cache.text(&f) else {
        return false;
    };
    !text.contains("read_terragrunt_config")
        && !text.contains("get_original_terragrunt_dir")
        && !text.contains("include")
}
