//! Loading a tree: discovery, resolving every unit (in parallel), the dependency graph and
//! the tree-level diagnostics. Loading never fails: problems are diagnostics.

use crate::config::{self, DepBlock, FileConfig, MergeStrategy, Resolved};
use crate::context::{Options, Shared, TgCtx, UnitState};
use crate::diag::{Diagnostic, Label, ids};
use crate::fs::{Fs, Kind, clean, relative};
use crate::module::{ModuleSource, parse_source};
use crate::source::{BodyError, ReadError, SourceCache};
use ignore::gitignore::{Gitignore, GitignoreBuilder};
use rayon::prelude::*;
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use tglint_hcl::{FileId, Span, Value};

/// Directories discovery never enters.
pub const SKIPPED_DIRS: &[&str] = &[".terragrunt-cache", ".terraform", ".git"];
/// How deep discovery walks (a guard against link loops).
pub const MAX_WALK_DEPTH: usize = 128;

#[derive(Clone, Debug)]
pub struct IncludeInfo {
    pub label: String,
    /// Absolute.
    pub path: PathBuf,
    pub merge_strategy: MergeStrategy,
    pub expose: bool,
    /// The include block in the unit.
    pub span: Span,
    pub file: Option<FileId>,
}

#[derive(Clone, Debug)]
pub struct Dependency {
    pub label: String,
    pub config_path: Value,
    /// The configuration file the block points at (absolute), when its path is known.
    pub target: Option<PathBuf>,
    /// The target unit's directory relative to the root, when it is a unit of the tree.
    pub target_unit: Option<String>,
    pub enabled: bool,
    pub skip_outputs: bool,
    pub mock_outputs: Option<Value>,
    pub span: Span,
}

/// A resolved unit (DESIGN §3.2).
#[derive(Clone, Debug)]
pub struct Unit {
    /// Relative to the root, `/`-separated (`.` for the root itself).
    pub dir: String,
    /// The unit file, absolute.
    pub path: PathBuf,
    pub file: Option<FileId>,
    pub includes: Vec<IncludeInfo>,
    /// The merged configuration (locals are the unit's own).
    pub config: FileConfig,
    pub dependencies: Vec<Dependency>,
    pub module: Option<ModuleSource>,
    /// Whether the unit file itself could not be read or parsed.
    pub failed: bool,
    pub diagnostics: Vec<Diagnostic>,
}

impl Unit {
    /// `dependencies.paths` ∪ the `config_path` of every enabled dependency block.
    pub fn dependency_paths(&self) -> Vec<Value> {
        let mut out: Vec<Value> = self
            .config
            .dependencies_paths
            .as_ref()
            .and_then(|v| v.as_seq().map(|s| s.to_vec()))
            .unwrap_or_default();
        for d in &self.dependencies {
            if d.enabled && !out.iter().any(|x| x.same(&d.config_path)) {
                out.push(d.config_path.clone());
            }
        }
        out
    }
}

pub struct Tree {
    pub root: PathBuf,
    pub cache: Arc<SourceCache>,
    pub units: Vec<Unit>,
    /// Every `.hcl` file discovered, sorted by path.
    pub hcl_files: Vec<PathBuf>,
    /// Problems that belong to no unit (a broken file nothing includes, a stack file).
    pub diagnostics: Vec<Diagnostic>,
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

/// What discovery found.
#[derive(Debug, Default)]
pub struct Discovered {
    /// Unit files (`…/terragrunt.hcl`), sorted.
    pub units: Vec<PathBuf>,
    pub hcl_files: Vec<PathBuf>,
    /// Files tglint does not evaluate yet: `terragrunt.hcl.json`, `terragrunt.stack.hcl`.
    pub unsupported: Vec<PathBuf>,
    /// Directories that could not be listed, with the reason.
    pub unreadable: Vec<(PathBuf, String)>,
}

/// Walks `root` in sorted order, honouring the `.gitignore` files inside it.
pub fn discover(fs: &dyn Fs, root: &Path) -> Discovered {
    let mut out = Discovered::default();
    let mut ignores = Vec::new();
    walk(fs, root, 0, &mut ignores, &mut out);
    out.units.sort();
    out.hcl_files.sort();
    out.unsupported.sort();
    out
}

/// The `.gitignore` of `dir`, read through the file system trait, if there is one.
fn gitignore(fs: &dyn Fs, dir: &Path) -> Option<Gitignore> {
    let path = dir.join(".gitignore");
    if fs.kind(&path) != Some(Kind::File) {
        return None;
    }
    let text = fs.read(&path).ok()?;
    let mut b = GitignoreBuilder::new(dir);
    for line in String::from_utf8_lossy(&text).lines() {
        // A malformed pattern is skipped, as git skips it.
        let _ = b.add_line(Some(path.clone()), line);
    }
    b.build().ok()
}

/// Whether the innermost `.gitignore` with an opinion ignores `path`.
fn ignored(ignores: &[Gitignore], path: &Path, is_dir: bool) -> bool {
    for g in ignores.iter().rev() {
        match g.matched(path, is_dir) {
            ignore::Match::Ignore(_) => return true,
            ignore::Match::Whitelist(_) => return false,
            ignore::Match::None => {}
        }
    }
    false
}

fn walk(fs: &dyn Fs, dir: &Path, depth: usize, ignores: &mut Vec<Gitignore>, out: &mut Discovered) {
    if depth > MAX_WALK_DEPTH {
        out.unreadable.push((
            dir.to_path_buf(),
            format!("deeper than {MAX_WALK_DEPTH} levels (a link loop?)"),
        ));
        return;
    }
    let entries = match fs.read_dir(dir) {
        Ok(e) => e,
        Err(e) => {
            out.unreadable.push((dir.to_path_buf(), e.to_string()));
            return;
        }
    };
    let pushed = match gitignore(fs, dir) {
        Some(g) => {
            ignores.push(g);
            true
        }
        None => false,
    };
    for (name, kind) in entries {
        let p = dir.join(&name);
        if ignored(ignores, &p, kind == Kind::Dir) {
            continue;
        }
        match kind {
            Kind::Dir => {
                if !SKIPPED_DIRS.contains(&name.as_str()) {
                    walk(fs, &p, depth + 1, ignores, out);
                }
            }
            Kind::File | Kind::Other => {
                if name == "terragrunt.hcl.json" || name == "terragrunt.stack.hcl" {
                    out.unsupported.push(p);
                } else if name.ends_with(".hcl") {
                    if name == "terragrunt.hcl" {
                        out.units.push(p.clone());
                    }
                    out.hcl_files.push(p);
                }
            }
        }
    }
    if pushed {
        ignores.pop();
    }
}

/// Loads every unit under `root`.
pub fn load(fs: Arc<dyn Fs>, root: &Path, opts: Options) -> Tree {
    let root = clean(root);
    let found = discover(&*fs, &root);
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
    let shared = Arc::new(Shared::new(cache.clone(), opts));
    let mut units: Vec<Unit> = unit_files
        .par_iter()
        .map(|p| resolve_unit(&shared, p))
        .collect();
    units.sort_by(|a, b| a.dir.cmp(&b.dir));
    report_cycles(&mut units);

    let mut diagnostics = Vec::new();
    // Every .hcl file is parsed, so a broken file nothing includes is still reported.
    let reported: BTreeSet<FileId> = units
        .iter()
        .flat_map(|u| u.diagnostics.iter())
        .filter(|d| d.rule == ids::PARSE_ERROR)
        .map(|d| d.primary.file)
        .collect();
    let files: Vec<_> = found.hcl_files.iter().map(|p| cache.file(p)).collect();
    let results: Vec<_> = files
        .par_iter()
        .map(|f| (f.clone(), cache.body(f)))
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
            Err(BodyError::Read(e)) => diagnostics.push(read_diag(&f.rel, f.id, &e)),
        }
    }
    for p in &found.unsupported {
        let f = cache.file(p);
        let what = if p.ends_with("terragrunt.stack.hcl") {
            "stack files (terragrunt.stack.hcl) are not evaluated by tglint yet"
        } else {
            "HCL-JSON configurations (terragrunt.hcl.json) are not evaluated by tglint yet"
        };
        diagnostics.push(Diagnostic::new(
            ids::UNSUPPORTED,
            what,
            Label::file_start(f.id),
        ));
    }
    for (dir, why) in &found.unreadable {
        let f = cache.file(dir);
        diagnostics.push(Diagnostic::new(
            ids::PARSE_ERROR,
            format!("cannot list directory {}: {why}", f.rel),
            Label::file_start(f.id),
        ));
    }
    sort_diagnostics(&cache, &mut diagnostics);
    Tree {
        root,
        cache,
        units,
        hcl_files: found.hcl_files,
        diagnostics,
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
            d.rule,
            d.message.clone(),
        )
    };
    diags.sort_by_cached_key(key);
    diags.dedup();
}

fn read_diag(rel: &str, id: FileId, e: &ReadError) -> Diagnostic {
    let rule = if *e == ReadError::OutsideRoot {
        ids::UNSUPPORTED
    } else {
        ids::PARSE_ERROR
    };
    Diagnostic::new(rule, format!("{rel}: {e}"), Label::file_start(id))
}

fn resolve_unit(shared: &Arc<Shared>, path: &Path) -> Unit {
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
    };
    let r: Resolved = config::resolve(ctx.clone(), &path);
    let dir_abs = path.parent().unwrap_or(Path::new("/")).to_path_buf();
    let dir = relative(&dir_abs, shared.cache.root());
    let includes = r
        .includes
        .iter()
        .map(|i| IncludeInfo {
            label: i.label.clone(),
            path: i.path.clone(),
            merge_strategy: i.merge,
            expose: i.expose,
            span: i.span,
            file: i.file,
        })
        .collect::<Vec<_>>();
    let dependencies = r
        .dependencies
        .iter()
        .map(|(d, target): &(DepBlock, Option<PathBuf>)| {
            // A directory stands for the configuration file inside it.
            let file = target.as_ref().map(|t| {
                if shared.cache.fs().kind(t) == Some(Kind::Dir) {
                    config::config_in_dir(&ctx, t)
                } else {
                    t.clone()
                }
            });
            let target_unit = file.as_ref().and_then(|f| {
                (shared.cache.allows(f) && shared.cache.fs().kind(f) == Some(Kind::File))
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
            }
        })
        .collect();
    let module = r
        .config
        .terraform
        .as_ref()
        .and_then(|t| t.as_map())
        .and_then(|m| m.get("source"))
        .and_then(Value::as_str)
        .map(parse_source);
    let mut diagnostics = std::mem::take(&mut *diags.lock().unwrap_or_else(|p| p.into_inner()));
    // Related labels: the include chain that carried the problem to this unit.
    for d in &mut diagnostics {
        if Some(d.primary.file) != r.file && d.related.is_empty() {
            for inc in &includes {
                if inc.file == Some(d.primary.file) {
                    d.related.push(Label::new(inc.span).with_note(format!(
                        "included here as \"{}\" (merge_strategy = {})",
                        inc.label,
                        inc.merge_strategy.as_str()
                    )));
                }
            }
        }
    }
    sort_diagnostics(&shared.cache, &mut diagnostics);
    Unit {
        dir,
        path,
        file: r.file,
        includes,
        config: r.config,
        dependencies,
        module,
        failed: r.failed,
        diagnostics,
    }
}

/// Reports dependency cycles (Terragrunt's DependencyCycleError) on every unit in one.
fn report_cycles(units: &mut [Unit]) {
    let index: BTreeMap<String, usize> = units
        .iter()
        .enumerate()
        .map(|(i, u)| (u.dir.clone(), i))
        .collect();
    let edges: Vec<Vec<(usize, Span)>> = units
        .iter()
        .map(|u| {
            u.dependencies
                .iter()
                .filter(|d| d.enabled)
                .filter_map(|d| {
                    d.target_unit
                        .as_ref()
                        .and_then(|t| index.get(t))
                        .map(|i| (*i, d.span))
                })
                .collect()
        })
        .collect();
    // Iterative DFS with colours; each back edge closes a cycle.
    let n = units.len();
    let mut colour = vec![0u8; n];
    let mut found: Vec<(usize, Vec<usize>, Span)> = Vec::new();
    for start in 0..n {
        if colour[start] != 0 {
            continue;
        }
        let mut stack: Vec<(usize, usize)> = vec![(start, 0)];
        let mut path: Vec<usize> = vec![start];
        colour[start] = 1;
        while let Some((node, next)) = stack.last().copied() {
            if next < edges[node].len() {
                if let Some(top) = stack.last_mut() {
                    top.1 += 1;
                }
                let (to, span) = edges[node][next];
                match colour[to] {
                    0 => {
                        colour[to] = 1;
                        stack.push((to, 0));
                        path.push(to);
                    }
                    1 => {
                        if let Some(pos) = path.iter().position(|p| *p == to) {
                            let mut cyc: Vec<usize> = path[pos..].to_vec();
                            cyc.push(to);
                            found.push((node, cyc, span));
                        }
                    }
                    _ => {}
                }
            } else {
                colour[node] = 2;
                stack.pop();
                path.pop();
            }
        }
    }
    for (node, cyc, span) in found {
        let names: Vec<&str> = cyc.iter().map(|i| units[*i].dir.as_str()).collect();
        let msg = format!(
            "Found a dependency cycle between modules: {}",
            names.join(" -> ")
        );
        units[node].diagnostics.push(
            Diagnostic::at(ids::EVAL_ERROR, msg, span)
                .with_help("remove one of the dependency blocks that close the cycle"),
        );
    }
}
