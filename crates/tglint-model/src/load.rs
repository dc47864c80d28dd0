//! Loading a tree: every unit discovered (`discover`) resolved in parallel, dependency
//! cycles from the graph, and the tree-level diagnostics (every `.hcl` file is parsed, so
//! a broken file nothing includes is still reported). Loading never fails: problems are
//! diagnostics.

use crate::diag::{Diagnostic, Label, ids};
pub use crate::discover::{
    Discovered, SKIPPED_DIRS, WalkOptions, WalkProblem, discover, discover_in,
};
use crate::fs::{Fs, Kind, clean, relative};
use crate::graph::Graph;
use crate::source::{BodyError, ReadError, Refusal, SourceCache, SourceFile};
use crate::terragrunt::context::{Options, Shared, TgCtx, UnitState};
use crate::terragrunt::{self, DepBlock, FileConfig, Resolved, stack};
use crate::unit::{Dependency, Unit};
use rayon::prelude::*;
use std::collections::{BTreeSet, HashSet};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use tglint_hcl::{FileId, Origin, Span, Value};

pub struct Tree {
    pub root: PathBuf,
    pub cache: Arc<SourceCache>,
    pub units: Vec<Unit>,
    /// Every `.hcl` file discovered, sorted by path.
    pub hcl_files: Vec<PathBuf>,
    /// Problems that belong to no unit (a broken file nothing includes, a stack file).
    pub diagnostics: Vec<Diagnostic>,
    /// How long loading took, by phase (`tglint check --timings`).
    pub timings: LoadTimings,
}

/// The phases of loading: every discovered `.hcl` file parsed once, in parallel, then the
/// units resolved (which reuse those parses, and parse what lies outside the discovered
/// files).
#[derive(Clone, Copy, Debug, Default)]
pub struct LoadTimings {
    pub parse: std::time::Duration,
    pub resolve: std::time::Duration,
}

impl Tree {
    pub fn unit(&self, dir: &str) -> Option<&Unit> {
        self.units.iter().find(|u| u.dir == dir)
    }

    pub fn rel(&self, id: FileId) -> String {
        self.cache
            .get(id)
            .map(|f| f.rel.clone())
            .unwrap_or_default()
    }
}

/// Loads every unit under `root`.
pub fn load(fs: Arc<dyn Fs>, root: &Path, opts: Options) -> Tree {
    let root = clean(root);
    let walk = WalkOptions {
        follow_links: opts.follow_links,
    };
    let found = discover_in(&*fs, &root, &root, walk);
    let units = found.units.clone();
    load_units(fs, &root, opts, &units, found)
}

/// Loads the given unit files (absolute) of the tree at `root`.
pub fn load_units(
    fs: Arc<dyn Fs>,
    root: &Path,
    opts: Options,
    unit_files: &[PathBuf],
    found: Discovered,
) -> Tree {
    let root = clean(root);
    let cache = Arc::new(SourceCache::new(fs, &root, opts.allow_outside_root));
    load_units_in(cache, opts, unit_files, found)
}

/// `load_units` through a source cache the caller made (the policy was read through it
/// first: `tglint check` loads the policy before the tree).
pub fn load_units_in(
    cache: Arc<SourceCache>,
    opts: Options,
    unit_files: &[PathBuf],
    found: Discovered,
) -> Tree {
    load_units_with(cache, opts, unit_files, found, &|_: &mut Unit| {})
}

/// `load_units_in`, handing each unit to `visit` as soon as it is resolved (on the
/// thread that resolved it, in no particular order), before the next is: a streamed
/// check runs the per-unit rules there and cuts the unit down ([`Unit::project`]), so a
/// run never holds the evaluated configuration of every unit at once. The dependency
/// cycles are found after every unit was visited; their diagnostics are added to the
/// units then.
pub fn load_units_with(
    cache: Arc<SourceCache>,
    opts: Options,
    unit_files: &[PathBuf],
    found: Discovered,
    visit: &(dyn Fn(&mut Unit) + Sync),
) -> Tree {
    load_units_then(cache, opts, unit_files, found, visit, &|_: &[Unit]| {
        Vec::new()
    })
}

/// `load_units_with`, then the unit files `more` names once the first ones (and the
/// stack units) are resolved and visited, and so on until it names no file not loaded:
/// a changed-files run loads the units the changed files affect, then the ones their
/// tree findings may involve (docs/cache.md). The dependency cycles are searched among
/// the units loaded.
pub fn load_units_then(
    cache: Arc<SourceCache>,
    opts: Options,
    unit_files: &[PathBuf],
    mut found: Discovered,
    visit: &(dyn Fn(&mut Unit) + Sync),
    more: &(dyn Fn(&[Unit]) -> Vec<PathBuf> + Sync),
) -> Tree {
    let root = cache.root().to_path_buf();
    // What the walk listed is the run cache's business, not loading's.
    found.walked = Vec::new();
    let shared = Arc::new(Shared::new(cache.clone(), opts));
    // Every .hcl file but the units' own is parsed first, in parallel, so a broken file
    // nothing includes is still reported, and the units find the files they include
    // parsed. A unit's own file is parsed when the unit resolves, and its syntax tree
    // dropped after (`SourceCache::body_once`): kept, the trees of 11,000 units are
    // hundreds of megabytes (docs/performance.md).
    let started = std::time::Instant::now();
    // (Discovered units a changed-files run does not load are not parsed either: what
    // such a run reports of their files, a unit it loads reports — docs/cache.md.)
    let own: HashSet<PathBuf> = unit_files
        .iter()
        .chain(&found.units)
        .map(|p| clean(p))
        .collect();
    let files: Vec<_> = found
        .hcl_files
        .iter()
        .filter(|p| !own.contains(&clean(p)))
        .map(|p| cache.file(p))
        .collect();
    let results: Vec<_> = files
        .par_iter()
        .map(|f| (f.clone(), cache.body(f)))
        .collect();
    let parse = started.elapsed();
    let started = std::time::Instant::now();
    // Stack files first: their units' generated directories are overlaid before any
    // unit resolves (a unit may depend on a stack unit).
    let on_disk: BTreeSet<PathBuf> = found
        .units
        .iter()
        .chain(unit_files)
        .chain(&found.stacks)
        .map(|p| clean(p))
        .collect();
    let stacks = stack::eval_stacks(&shared, &found.stacks, &on_disk);
    let resolve_all = |files: &[PathBuf]| -> Vec<Unit> {
        files
            .par_iter()
            .map(|p| {
                if p.to_str().is_some() {
                    let mut sink = Vec::new();
                    let dir = clean(p.parent().unwrap_or(Path::new("/")));
                    let values = stack::read_values(&shared, &dir, &mut sink);
                    let mut u = resolve_unit(&shared, p, values.clone());
                    u.values = values;
                    u.diagnostics.extend(sink);
                    visit(&mut u);
                    u
                } else {
                    let mut u = unrepresentable_unit(&shared, p);
                    visit(&mut u);
                    u
                }
            })
            .collect()
    };
    let mut units = resolve_all(unit_files);
    let generated: Vec<Unit> = stacks
        .units
        .par_iter()
        .map(|su| {
            let mut u = stack_unit(&shared, su);
            visit(&mut u);
            u
        })
        .collect();
    units.extend(generated);
    // (Built only when `more` names something: a full run keeps no second set of paths.)
    let mut loaded: Option<HashSet<PathBuf>> = None;
    loop {
        let named = more(&units);
        if named.is_empty() {
            break;
        }
        let loaded = loaded.get_or_insert_with(|| unit_files.iter().map(|p| clean(p)).collect());
        let next: Vec<PathBuf> = named
            .into_iter()
            .filter(|p| loaded.insert(clean(p)))
            .collect();
        if next.is_empty() {
            break;
        }
        units.extend(resolve_all(&next));
    }
    // Unstable: no buffer of half the units (directories are unique).
    units.sort_unstable_by(|a, b| a.dir.cmp(&b.dir));
    report_cycles(&mut units);
    let resolve = started.elapsed();

    let mut diagnostics = stacks.diagnostics;
    // What a unit opened (its file, its includes) it reports itself.
    let reported: BTreeSet<FileId> = units
        .iter()
        .flat_map(|u| u.diagnostics.iter())
        .filter(|d| d.rule == ids::PARSE_ERROR)
        .map(|d| d.primary.file)
        .chain(units.iter().filter_map(|u| u.file))
        .chain(found.stacks.iter().map(|p| cache.file(p).id))
        .chain(
            units
                .iter()
                .flat_map(|u| u.includes.iter().map(|i| cache.file(&i.path).id)),
        )
        .collect();
    for (f, r) in results {
        if reported.contains(&f.id) {
            continue;
        }
        match r {
            Ok(_) => {}
            Err(BodyError::Parse(e)) => {
                diagnostics.push(Diagnostic::at(ids::PARSE_ERROR, e.message.clone(), e.span))
            }
            Err(BodyError::Read(e)) => diagnostics.push(read_diag(&cache, &f, &e)),
        }
    }
    for p in &found.problems {
        let f = cache.file(&p.path);
        let d = Diagnostic::new(p.rule, p.message.clone(), Label::file_start(f.id));
        diagnostics.push(match &p.help {
            Some(h) => d.with_help(h.clone()),
            None => d,
        });
    }
    sort_diagnostics(&cache, &mut diagnostics);
    Tree {
        root,
        cache,
        units,
        hcl_files: found.hcl_files,
        diagnostics,
        timings: LoadTimings { parse, resolve },
    }
}

/// Sorts by (file path, offset, rule, message) and drops exact duplicates. File ids depend
/// on the order parallel units first touched a file, so paths, not ids, decide.
pub fn sort_diagnostics(cache: &SourceCache, diags: &mut Vec<Diagnostic>) {
    let key = |d: &Diagnostic| {
        (
            cache
                .get(d.primary.file)
                .map(|f| f.rel.clone())
                .unwrap_or_default(),
            d.primary.start,
            d.primary.end,
            d.rule.clone(),
            d.message.clone(),
        )
    };
    diags.sort_by_cached_key(key);
    diags.dedup();
}

fn read_diag(cache: &SourceCache, f: &SourceFile, e: &ReadError) -> Diagnostic {
    match e {
        ReadError::Refused(why) => Diagnostic::new(
            ids::UNSUPPORTED,
            cache.refusal_message(&f.path, why),
            Label::file_start(f.id),
        )
        .with_help(why.help()),
        _ => Diagnostic::new(
            ids::PARSE_ERROR,
            format!("{}: {e}", f.rel),
            Label::file_start(f.id),
        ),
    }
}

/// A unit whose path is not UTF-8: listed, failed, and not evaluated, since Terragrunt's
/// functions hand paths to HCL as strings, which must be UTF-8.
fn unrepresentable_unit(shared: &Arc<Shared>, path: &Path) -> Unit {
    let path = clean(path);
    let f = shared.cache.file(&path);
    let dir_abs = path.parent().unwrap_or(Path::new("/")).to_path_buf();
    let diagnostics = vec![
        Diagnostic::new(
            ids::UNSUPPORTED,
            format!(
                "{}: the path is not valid UTF-8, so tglint does not evaluate this unit (Terragrunt's functions give paths to HCL as strings, which must be UTF-8)",
                f.rel
            ),
            Label::file_start(f.id),
        )
        .with_help("rename the directory to a UTF-8 name to have it checked"),
    ];
    Unit::new(
        Arc::from(shared.cache.root()),
        relative(&dir_abs, shared.cache.root()),
        path,
        None,
        Vec::new(),
        Vec::new(),
        FileConfig::default(),
        FileConfig::default(),
        Vec::new(),
        Vec::new(),
        true,
        diagnostics,
    )
}

/// A unit a stack file declares, at its generated directory: a local source resolved
/// there (the directory is overlaid with the source), a remote one with its
/// configuration unknown. It carries where it was declared and its `values`.
fn stack_unit(shared: &Arc<Shared>, su: &stack::StackUnit) -> Unit {
    let path = su.dir.join("terragrunt.hcl");
    let origin = Origin::new(su.origin.span);
    let mut unit = match &su.config {
        stack::UnitSource::Local(_) => resolve_unit(shared, &path, su.values.clone()),
        stack::UnitSource::Unknown(reason) => {
            let mut u = Unit::new(
                Arc::from(shared.cache.root()),
                relative(&su.dir, shared.cache.root()),
                path.clone(),
                Some(su.origin.file),
                Vec::new(),
                Vec::new(),
                FileConfig::default(),
                FileConfig::default(),
                Vec::new(),
                Vec::new(),
                false,
                Vec::new(),
            );
            u.set_unknown(reason, Some(origin));
            u
        }
    };
    // The stack files that declared it are among what it read.
    for f in &su.stack_files {
        let sf = shared.cache.file(f);
        unit.reads.push(crate::terragrunt::Read {
            from: su.origin.span,
            target: sf.path.clone(),
            target_file: sf.id,
            via: crate::terragrunt::Via::Include,
        });
    }
    if let stack::UnitSource::Local(_) = &su.config {
        let physical = shared.cache.physical(&path);
        unit.reads.push(crate::terragrunt::Read {
            from: su.origin.span,
            target: Arc::from(physical.as_path()),
            target_file: unit.file.unwrap_or(su.origin.file),
            via: crate::terragrunt::Via::Include,
        });
    }
    unit.stack = Some(su.origin.clone());
    unit.values = su.values.clone();
    unit.diagnostics.extend(su.diagnostics.iter().cloned());
    sort_diagnostics(&shared.cache, &mut unit.diagnostics);
    unit
}

fn resolve_unit(shared: &Arc<Shared>, path: &Path, values: Option<Value>) -> Unit {
    let path = clean(path);
    let diags = Arc::new(Mutex::new(Vec::new()));
    let ctx = TgCtx {
        shared: shared.clone(),
        config_path: path.clone(),
        original_path: path.clone(),
        current_file: path.clone(),
        include_from_child: None,
        includes: Vec::new(),
        read_stack: Vec::new(),
        diags: diags.clone(),
        unit: Arc::new(UnitState::new(shared.opts.limits)),
        values,
    };
    let r: Resolved = terragrunt::resolve(ctx.clone(), &path);
    let dir_abs = path.parent().unwrap_or(Path::new("/")).to_path_buf();
    let dir = relative(&dir_abs, shared.cache.root());
    let mut refused_targets = Vec::new();
    let dependencies = r
        .dependencies
        .iter()
        .map(|(d, target): &(DepBlock, Option<PathBuf>)| {
            // A directory stands for the configuration file inside it.
            let file = target.as_ref().map(|t| match shared.cache.kind(t) {
                Ok(Some(Kind::Dir)) => terragrunt::config_in_dir(&ctx, t),
                // Leading out of the root through a link: not looked at, and said so.
                Err(why @ Refusal::Link(_)) => {
                    let at = d
                        .attr("config_path")
                        .and_then(|v| v.origin)
                        .map(|o| o.span)
                        .unwrap_or(d.span);
                    let msg = shared.cache.refusal_message(t, &why);
                    refused_targets.push(
                        Diagnostic::at(
                            ids::UNSUPPORTED,
                            format!("dependency \"{}\": {msg}", d.label),
                            at,
                        )
                        .with_help(why.help()),
                    );
                    t.clone()
                }
                _ => t.clone(),
            });
            let target_unit = file.as_ref().and_then(|f| {
                (shared.cache.kind(f) == Ok(Some(Kind::File)))
                    .then(|| relative(f.parent().unwrap_or(Path::new("/")), shared.cache.root()))
            });
            Dependency {
                label: d.label.clone(),
                config_path: d.attr("config_path").cloned().unwrap_or_else(Value::null),
                target: file,
                target_unit,
                enabled: d.enabled(),
                skip_outputs: d.attr("skip_outputs").and_then(Value::as_bool) == Some(true),
                mock_outputs: d.attr("mock_outputs").cloned(),
                span: d.span,
                value: Value::object(d.attrs.clone()).with_origin(Some(Origin::new(d.span))),
            }
        })
        .collect();
    let mut diagnostics = std::mem::take(&mut *diags.lock().unwrap_or_else(|p| p.into_inner()));
    diagnostics.extend(refused_targets);
    let reads = std::mem::take(&mut *ctx.unit.edges.lock().unwrap_or_else(|p| p.into_inner()));
    // A unit whose file could not be parsed still has a file: findings about the unit
    // point at its first line.
    let file = r.file.or_else(|| Some(shared.cache.file(&path).id));
    let mut unit = Unit::new(
        Arc::from(shared.cache.root()),
        dir,
        path,
        file,
        r.includes,
        r.layers,
        r.own,
        r.config,
        dependencies,
        reads,
        r.failed,
        Vec::new(),
    );
    diagnostics.extend(unit.generated_diagnostics());
    // Related labels: the chain of files that carried the problem to this unit.
    for d in &mut diagnostics {
        if Some(d.primary.file) != unit.file && d.related.is_empty() {
            let at = Origin::new(Span::new(
                d.primary.file,
                d.primary.start as usize..d.primary.end as usize,
            ));
            d.related = unit.chain(&at).into_iter().skip(1).collect();
        }
    }
    sort_diagnostics(&shared.cache, &mut diagnostics);
    unit.diagnostics = diagnostics;
    unit
}

/// Reports dependency cycles (Terragrunt's DependencyCycleError) on every unit in one.
fn report_cycles(units: &mut [Unit]) {
    for c in Graph::of(units).cycles() {
        let names: Vec<&str> = c.nodes.iter().map(|i| units[*i].dir.as_str()).collect();
        let msg = format!(
            "Found a dependency cycle between modules: {}",
            names.join(" -> ")
        );
        units[c.closing.from].diagnostics.push(
            Diagnostic::at(ids::EVAL_ERROR, msg, c.closing.span)
                .with_help("remove one of the dependency blocks that close the cycle"),
        );
    }
}
