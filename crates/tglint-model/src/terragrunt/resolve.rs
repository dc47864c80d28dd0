//! Resolving a top-level configuration (a unit, or a `read_terragrunt_config` target) with
//! its include chain, in Terragrunt's order (spec §2): parents opened, features, locals,
//! exposed parents, dependency blocks merged, everything else, then the merge.

use super::config::{DepBlock, FileConfig, Layer, MergeStrategy, Resolved};
use super::context::TgCtx;
use super::file::{FileEval, blocks_named};
use super::merge;
use super::read_config::config_as_value;
use super::reads::Via;
use crate::diag::{Diagnostic, Label, ids};
use crate::fs::{Kind, clean};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use tglint_hcl::hcl_edit::Span as _;
use tglint_hcl::{Data, Origin, Span, Value};

/// The `dependency` variable built from merged blocks: `dependency.<label>.outputs` is
/// the mock outputs (tagged as mocks) when present, otherwise unknown.
pub fn dependency_var(blocks: &[DepBlock]) -> Value {
    let mut m = BTreeMap::new();
    for b in blocks {
        let mut obj = BTreeMap::new();
        let mocks = b.attr("mock_outputs").filter(|v| !v.is_null()).cloned();
        let skip = b.attr("skip_outputs").and_then(Value::as_bool) == Some(true);
        match mocks {
            Some(mut mv) => {
                mv.mark_mock();
                obj.insert("outputs".to_string(), mv);
            }
            None if !b.enabled() || skip => {}
            None => {
                obj.insert(
                    "outputs".to_string(),
                    Value::unknown(format!(
                        "dependency \"{}\" has no mock_outputs, and tglint never reads real outputs",
                        b.label
                    ))
                    .with_origin(Some(Origin::new(b.span))),
                );
            }
        }
        m.insert(
            b.label.clone(),
            Value::object(obj).with_origin(Some(Origin::new(b.span))),
        );
    }
    Value::object(m)
}

/// Where a dependency's `config_path` leads: the unit's directory joined with it; a
/// directory means the configuration file inside it.
pub fn resolve_config_path(ctx: &TgCtx, v: &Value) -> Option<PathBuf> {
    let s = v.as_str()?;
    if s.is_empty() {
        return None;
    }
    let raw = PathBuf::from(s);
    let p = if raw.is_absolute() {
        clean(&raw)
    } else {
        clean(&ctx.terragrunt_dir().join(raw))
    };
    Some(p)
}

/// The configuration file a directory stands for (Terragrunt's `GetDefaultConfigPath`:
/// `terragrunt.hcl.json` when it exists, else `terragrunt.hcl`).
pub fn config_in_dir(ctx: &TgCtx, dir: &Path) -> PathBuf {
    let json = dir.join("terragrunt.hcl.json");
    // A terragrunt.hcl.json that is itself a link out of the root is chosen, as
    // Terragrunt would choose it, so that reading it is refused visibly.
    let cache = &ctx.shared.cache;
    if match cache.kind(&json) {
        Ok(k) => k == Some(Kind::File),
        Err(why) => cache.is_own_link(&json, &why),
    } {
        json
    } else {
        dir.join("terragrunt.hcl")
    }
}

/// Resolves a top-level configuration file with its include chain (a unit, or a target of
/// `read_terragrunt_config`). Diagnostics go to `ctx`.
pub fn resolve(ctx: TgCtx, path: &Path) -> Resolved {
    let mut unit = match FileEval::open(ctx.clone(), path, None, "configuration") {
        Ok(u) => u,
        Err(()) => {
            return Resolved {
                file: None,
                includes: Vec::new(),
                config: FileConfig::default(),
                own: FileConfig::default(),
                layers: Vec::new(),
                dependencies: Vec::new(),
                failed: true,
            };
        }
    };
    unit.precheck();
    unit.eval_includes();
    unit.ctx.includes = unit.includes.clone();

    // Open every parent (even with no_merge, a broken parent breaks the unit).
    let mut parents: Vec<Option<FileEval>> = Vec::new();
    for inc in unit.includes.clone().iter_mut() {
        unit.ctx.read(inc.span, &inc.path, Via::Include);
        let pctx = TgCtx {
            include_from_child: Some(inc.clone()),
            ..unit.ctx.clone()
        };
        match FileEval::open(pctx, &inc.path, Some(inc.span), "Include configuration") {
            Ok(mut p) => {
                p.precheck();
                // A parent may not include anything: evaluate its include blocks quietly,
                // only to name the grandparent in the error.
                let body = p.body.clone();
                let nested_blocks = blocks_named(&body, "include");
                let sink = std::mem::replace(&mut p.ctx.diags, Arc::new(Default::default()));
                p.eval_includes();
                p.ctx.diags = sink;
                if let Some(block) = nested_blocks.first() {
                    let (nested_path, nested_span) = match p.includes.first() {
                        Some(n) => (n.path.display().to_string(), n.span),
                        None => (
                            "another file".to_string(),
                            Span::new(p.file, block.span().unwrap_or(0..0)),
                        ),
                    };
                    unit.ctx.report(
                        Diagnostic::at(
                            ids::INCLUDE_ERROR,
                            format!(
                                "{} includes {}, which itself includes {}. Only one level of includes is allowed.",
                                unit.ctx.config_path.display(),
                                inc.path.display(),
                                nested_path
                            ),
                            nested_span,
                        )
                        .with_related(vec![Label::new(inc.span).with_note("included here")])
                        .with_help("use read_terragrunt_config() in the parent to read shared values instead of a nested include"),
                    );
                    p.includes.clear();
                }
                p.eval_features();
                parents.push(Some(p));
            }
            Err(()) => parents.push(None),
        }
    }
    for (i, p) in parents.iter().enumerate() {
        if let (Some(p), Some(inc)) = (p, unit.includes.get_mut(i)) {
            inc.file = Some(p.file);
        }
    }

    // Feature flags: parents' (by include strategy), then the unit's, then overrides.
    unit.eval_features();
    let mut features: BTreeMap<String, Value> = BTreeMap::new();
    for (inc, p) in unit.includes.iter().zip(&parents) {
        if let (Some(p), false) = (p, inc.merge == MergeStrategy::NoMerge) {
            for (k, v) in &p.cfg.features {
                features.insert(k.clone(), v.clone());
            }
        }
    }
    for (k, v) in &unit.cfg.features {
        features.insert(k.clone(), v.clone());
    }
    let feature_var = feature_values(&unit.ctx, &features);
    unit.cfg.features = features;
    unit.feature_var = feature_var.clone();

    // Parents' locals and own dependency blocks (they never see the unit's locals).
    for p in parents.iter_mut().flatten() {
        p.feature_var = feature_var.clone();
        p.eval_locals();
        p.eval_dependency_blocks();
    }

    // Exposed parents: parsed alone, with their own dependency blocks.
    let mut exposed: BTreeMap<String, Value> = BTreeMap::new();
    for (inc, p) in unit.includes.iter().zip(&parents) {
        if !inc.expose {
            continue;
        }
        let Some(p) = p else {
            exposed.insert(
                inc.label.clone(),
                Value::failed(format!("include \"{}\" could not be loaded", inc.label)),
            );
            continue;
        };
        let mut alone = FileEval {
            ctx: p.ctx.clone(),
            file: p.file,
            body: p.body.clone(),
            cfg: p.cfg.clone(),
            include_var: p.include_var.clone(),
            feature_var: p.feature_var.clone(),
            includes: Vec::new(),
        };
        let own = dependency_var(&alone.cfg.dependency_blocks);
        alone.eval_rest(&own);
        let deps: Vec<(DepBlock, Option<PathBuf>)> = alone
            .cfg
            .dependency_blocks
            .iter()
            .map(|d| (d.clone(), None))
            .collect();
        exposed.insert(inc.label.clone(), config_as_value(&alone.cfg, &deps, false));
    }
    // A single include labelled "" (bare, or `"": {…}` in JSON) is exposed as `include`
    // itself (Terragrunt's `includeMapAsCtyVal` looks for the "" key).
    unit.include_var = if unit.includes.len() == 1 && unit.includes[0].label.is_empty() {
        exposed
            .remove("")
            .unwrap_or_else(|| Value::object(BTreeMap::new()))
    } else {
        Value::object(exposed)
    };

    unit.eval_locals();
    unit.eval_dependency_blocks();

    // Dependency blocks merged across the chain, before anything reads outputs.
    let mut merged_deps = unit.cfg.dependency_blocks.clone();
    for (inc, p) in unit.includes.iter().zip(&parents).rev() {
        let Some(p) = p else { continue };
        merged_deps = match inc.merge {
            MergeStrategy::NoMerge => merged_deps,
            MergeStrategy::Shallow => merge::deps_shallow(&p.cfg.dependency_blocks, merged_deps),
            MergeStrategy::Deep => merge::deps_deep(&p.cfg.dependency_blocks, merged_deps),
        };
    }
    let dep_var = dependency_var(&merged_deps);
    for d in &merged_deps {
        check_config_path(&unit.ctx, d);
    }

    for p in parents.iter_mut().flatten() {
        p.eval_rest(&dep_var);
    }
    unit.eval_rest(&dep_var);

    let layers: Vec<Layer> = unit
        .includes
        .iter()
        .zip(&parents)
        .filter_map(|(inc, p)| {
            p.as_ref().map(|p| Layer {
                include: inc.clone(),
                config: p.cfg.clone(),
            })
        })
        .collect();
    let own = unit.cfg.clone();

    // Merge: include[0] ⊕ … ⊕ include[n-1] ⊕ unit, folded from the last include.
    let own_locals = unit.cfg.locals.clone();
    let own_exclude = unit.cfg.exclude.clone();
    let mut base = unit.cfg.clone();
    for (inc, p) in unit.includes.iter().zip(&parents).rev() {
        let Some(p) = p else { continue };
        match inc.merge {
            MergeStrategy::NoMerge => {}
            MergeStrategy::Shallow => {
                base = merge::shallow(&unit.ctx, p.cfg.clone(), base, inc);
            }
            MergeStrategy::Deep => {
                base = merge::deep(p.cfg.clone(), base, &p.cfg.dependency_blocks);
            }
        }
    }
    base.locals = own_locals;
    if own_exclude.is_some() {
        base.exclude = own_exclude;
    }
    base.dependency_blocks = merged_deps.clone();
    if let Some(paths) = &base.dependencies_paths {
        check_dependency_paths(&unit.ctx, paths);
    }
    let dependencies = merged_deps
        .iter()
        .map(|d| {
            let target = d
                .attr("config_path")
                .and_then(|v| resolve_config_path(&unit.ctx, v));
            (d.clone(), target)
        })
        .collect();
    Resolved {
        file: Some(unit.file),
        includes: unit.includes.clone(),
        config: base,
        own,
        layers,
        dependencies,
        failed: false,
    }
}

/// An enabled dependency needs a non-empty string `config_path` (Terragrunt's
/// DependencyInvalidConfigPathError); an unknown one cannot be resolved.
fn check_config_path(ctx: &TgCtx, d: &DepBlock) {
    if !d.enabled() {
        return;
    }
    let Some(v) = d.attr("config_path") else {
        return;
    };
    let at = v.origin.map(|o| o.span).unwrap_or(d.span);
    match &v.data {
        Data::String(s) if !s.is_empty() => {}
        // An unknown left by an earlier error was reported there already.
        Data::Unknown(u) if u.failed => {}
        Data::Unknown(u) => ctx.report(Diagnostic::at(
            ids::EVAL_ERROR,
            format!(
                "cannot resolve dependency \"{}\": its config_path is unknown ({})",
                d.label, u.reason
            ),
            at,
        )),
        _ => ctx.report(
            Diagnostic::at(
                ids::EVAL_ERROR,
                format!("dependency \"{}\" has invalid config_path", d.label),
                at,
            )
            .with_help("config_path must be a non-empty path to the unit this one depends on"),
        ),
    }
}

/// `dependencies.paths` must name existing directories (Terragrunt's validateDependencies).
fn check_dependency_paths(ctx: &TgCtx, paths: &Value) {
    for p in paths.as_seq().unwrap_or(&[]) {
        let Some(s) = p.as_str() else { continue };
        let Some(abs) = resolve_config_path(ctx, p) else {
            continue;
        };
        let cache = &ctx.shared.cache;
        if cache.kind(&abs) == Ok(None) {
            let at = p.origin.map(|o| o.span).unwrap_or_default();
            ctx.report(
                Diagnostic::at(
                    ids::EVAL_ERROR,
                    format!(
                        "dependencies.paths names {s}, which does not exist ({})",
                        abs.display()
                    ),
                    at,
                )
                .with_help("point it at the directory of an existing unit, or remove it"),
            );
        }
    }
}

/// `feature.<name>.value`: the default, or the `--feature` override converted to the
/// default's type.
fn feature_values(ctx: &TgCtx, features: &BTreeMap<String, Value>) -> Value {
    let mut m = BTreeMap::new();
    for (name, f) in features {
        let default = f
            .as_map()
            .and_then(|fm| fm.get("default"))
            .cloned()
            .unwrap_or_else(Value::null);
        let value = match ctx.shared.opts.features.get(name) {
            Some(raw) => {
                let typed = match &default.data {
                    Data::Bool(_) => raw.parse::<bool>().ok().map(Value::bool),
                    Data::Number(_) => tglint_hcl::Number::parse(raw).map(Value::number),
                    _ => Some(Value::string(raw.clone())),
                };
                typed.unwrap_or_else(|| Value::string(raw.clone()))
            }
            None => default,
        };
        let mut obj = BTreeMap::new();
        obj.insert("value".to_string(), value);
        m.insert(name.clone(), Value::object(obj));
    }
    Value::object(m)
}
