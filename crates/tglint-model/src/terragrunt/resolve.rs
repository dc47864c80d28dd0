//! Resolving a top-level configuration (a unit, or a `read_terragrunt_config` target) with
//! its include chain, in Terragrunt's order (spec §2): parents opened, features, locals,
//! exposed parents, dependency blocks merged, everything else, then the merge.

use super::config::{DepBlock, FileConfig, Include, Layer, MergeStrategy, Resolved};
use super::context::TgCtx;
use super::file::{FileEval, blocks_named};
use super::merge;
use super::read_config::config_as_value;
use super::reads::Via;
use super::stack::AUTOINCLUDE_FILE;
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
    let mut unit = match FileEval::open_unit(ctx.clone(), path, "configuration") {
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
    // `values` belongs to the unit file alone (not its parents, not what it reads).
    if let Some(v) = unit.ctx.values.take() {
        unit.extra_vars.insert("values".into(), v);
    }
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

    // Parents' locals and own dependency blocks (they never see the unit's locals). A
    // parent sees its own feature flags only (with the --feature overrides): Terragrunt
    // parses it with `DecodeBaseBlocks` of its own file, whose include list is empty, so
    // neither the unit's flags nor the unit's redeclared defaults reach it.
    for p in parents.iter_mut().flatten() {
        p.feature_var = feature_values(&p.ctx, &p.cfg.features);
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
            extra_vars: p.extra_vars.clone(),
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

    // The sibling terragrunt.autoinclude.hcl (or a stack unit's autoinclude block),
    // with its own locals and dependency blocks.
    let mut auto = open_autoinclude(&unit);
    if let Some(a) = auto.as_mut() {
        a.feature_var = feature_var.clone();
        a.eval_locals();
        a.eval_dependency_blocks();
    }

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
    if let Some(a) = &auto {
        merged_deps = merge::deps_shallow(&merged_deps, a.cfg.dependency_blocks.clone());
    }
    let dep_var = dependency_var(&merged_deps);
    for d in &merged_deps {
        check_config_path(&unit.ctx, d);
    }

    for p in parents.iter_mut().flatten() {
        p.eval_rest(&dep_var);
    }
    unit.eval_rest(&dep_var);
    // Merged over the unit file, winning, before the include chain (Terragrunt's
    // mergeAutoIncludeIfPresent: a shallow merge); the unit keeps its own locals.
    if let Some(a) = auto.as_mut() {
        a.eval_rest(&dep_var);
        let inc = Include {
            label: "autoinclude".into(),
            bare: false,
            path: a.ctx.current_file.clone(),
            expose: false,
            merge: MergeStrategy::Shallow,
            span: Span::new(a.file, 0..0),
            file: Some(a.file),
        };
        let locals = unit.cfg.locals.clone();
        unit.cfg = merge::shallow(&unit.ctx, unit.cfg.clone(), a.cfg.clone(), &inc);
        unit.cfg.locals = locals;
    }

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
    super::blocks::check_merged_errors(&unit.ctx, base.errors.as_ref(), unit.span(None));
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

/// The autoinclude of the configuration `unit` is (a unit, or a `read_terragrunt_config`
/// target): the stack unit's `autoinclude` block registered for its directory, else a
/// `terragrunt.autoinclude.hcl` beside it. Counted in the unit's reads.
fn open_autoinclude(unit: &FileEval) -> Option<FileEval> {
    if unit.ctx.current_file.file_name() == Some(std::ffi::OsStr::new(AUTOINCLUDE_FILE)) {
        return None;
    }
    let dir = unit.ctx.terragrunt_dir().to_path_buf();
    let cache = &unit.ctx.shared.cache;
    let registered = unit
        .ctx
        .shared
        .stack_autoincludes
        .lock()
        .ok()
        .and_then(|m| m.get(&dir).cloned());
    let (path, extra) = match registered {
        Some(a) => (a.file.path.to_path_buf(), a.vars),
        None => {
            let p = dir.join(AUTOINCLUDE_FILE);
            if cache.kind(&p) != Ok(Some(Kind::File)) {
                return None;
            }
            // Parsed in the unit's directory: it sees the unit's values.
            let mut v = tglint_hcl::Vars::new();
            if let Some(x) = unit.extra_vars.get("values") {
                v.insert("values".into(), x.clone());
            }
            (p, v)
        }
    };
    unit.ctx
        .read(Span::new(unit.file, 0..0), &path, Via::Include);
    let actx = TgCtx {
        include_from_child: None,
        ..unit.ctx.clone()
    };
    let mut a = FileEval::open(actx, &path, None, "Autoinclude configuration").ok()?;
    a.extra_vars = extra;
    a.precheck();
    Some(a)
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

/// `feature.<name>.value`: the default, or the `--feature` override typed as Terragrunt
/// types it (`feature_flags::typed_override`); an override no file declares is bound as a
/// string, as Terragrunt binds it. An override that does not convert is unknown here (the
/// command line exits 2 on it).
fn feature_values(ctx: &TgCtx, features: &BTreeMap<String, Value>) -> Value {
    let mut m = BTreeMap::new();
    let entry = |value: Value| {
        let mut obj = BTreeMap::new();
        obj.insert("value".to_string(), value);
        Value::object(obj)
    };
    for (name, f) in features {
        let default = f
            .as_map()
            .and_then(|fm| fm.get("default"))
            .cloned()
            .unwrap_or_else(Value::null);
        let value = match ctx.shared.opts.features.get(name) {
            Some(raw) => super::feature_flags::typed_override(Some(&default), raw)
                .unwrap_or_else(|e| Value::failed(format!("--feature {name}={raw}: {e}"))),
            None => default,
        };
        m.insert(name.clone(), entry(value));
    }
    for (name, raw) in &ctx.shared.opts.features {
        if !m.contains_key(name) {
            m.insert(name.clone(), entry(Value::string(raw.clone())));
        }
    }
    Value::object(m)
}
