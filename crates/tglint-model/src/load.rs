//! Loading a tree: discovery, resolving every unit (in parallel), the dependency graph and
//! the tree-level diagnostics. Loading never fails: problems are diagnostics.

use crate::diag::{Diagnostic, Label, Reserved, ids};
use crate::fs::{Fs, FsError, Kind, clean, relative, resolve_below};
use crate::graph::Graph;
use crate::source::{BodyError, ReadError, Refusal, SourceCache, SourceFile};
use crate::terragrunt::context::{Options, Shared, TgCtx, UnitState};
use crate::terragrunt::{self, DepBlock, FileConfig, Resolved};
use crate::unit::{Dependency, Unit};
use ignore::gitignore::{Gitignore, GitignoreBuilder};
use rayon::prelude::*;
use std::collections::{BTreeSet, HashMap};
use std::ffi::OsStr;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use tglint_hcl::{FileId, Origin, Span, Value};

/// Directories discovery never enters.
pub const SKIPPED_DIRS: &[&str] = &[".terragrunt-cache", ".terraform", ".git"];

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
    /// What the walk could not enter or did not follow, each reported on its path.
    pub problems: Vec<WalkProblem>,
}

/// A problem met while walking: a directory that cannot be listed, a link not followed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WalkProblem {
    /// Absolute, as written (below the root).
    pub path: PathBuf,
    pub rule: Reserved,
    pub message: String,
    pub help: Option<String>,
}

/// How discovery walks.
#[derive(Clone, Copy, Debug, Default)]
pub struct WalkOptions {
    /// Walk directory links whose target lies inside the root (`--follow-links`).
    pub follow_links: bool,
}

/// Walks `root` in sorted order, honouring the `.gitignore` files inside it.
pub fn discover(fs: &dyn Fs, root: &Path) -> Discovered {
    discover_in(fs, root, root, WalkOptions::default())
}

/// Walks `dir`, a directory inside `root`, honouring the `.gitignore` files inside `dir`.
/// Nothing outside the root is listed or followed: the walk is iterative (however deep the
/// tree, it cannot overflow the stack), directory links are reported and not followed
/// unless `opts.follow_links`, and then only inside the root, each real directory at most
/// once through links and never into a directory the walk is already inside.
pub fn discover_in(fs: &dyn Fs, root: &Path, dir: &Path, opts: WalkOptions) -> Discovered {
    let root = clean(root);
    let dir = clean(dir);
    let mut w = Walker {
        fs,
        real_root: fs.canonicalize(&root).unwrap_or_else(|| root.clone()),
        root,
        opts,
        out: Discovered::default(),
        through_links: HashMap::new(),
    };
    w.run(dir);
    let mut out = w.out;
    out.units.sort();
    out.hcl_files.sort();
    out.unsupported.sort();
    out.problems.sort_by(|a, b| a.path.cmp(&b.path));
    out
}

/// The `.gitignore` files above a directory of the walk, innermost first. A linked list,
/// so every directory shares its parent's chain; dropped iteratively.
struct Ignores {
    g: Gitignore,
    up: Option<Arc<Ignores>>,
}

impl Drop for Ignores {
    fn drop(&mut self) {
        let mut up = self.up.take();
        while let Some(node) = up {
            match Arc::try_unwrap(node) {
                Ok(mut n) => up = n.up.take(),
                Err(_) => break,
            }
        }
    }
}

/// The directories the walk is inside, innermost first, by identity: what link loops are
/// detected by (only with `--follow-links`).
struct Ancestors {
    id: (u64, u64),
    path: PathBuf,
    up: Option<Arc<Ancestors>>,
}

impl Drop for Ancestors {
    fn drop(&mut self) {
        let mut up = self.up.take();
        while let Some(node) = up {
            match Arc::try_unwrap(node) {
                Ok(mut n) => up = n.up.take(),
                Err(_) => break,
            }
        }
    }
}

/// A directory waiting to be listed.
struct Pending {
    /// As written (what the model shows).
    dir: PathBuf,
    /// Where it really is.
    real: PathBuf,
    ignores: Option<Arc<Ignores>>,
    ancestors: Option<Arc<Ancestors>>,
    /// The directory's identity when it is entered through a link.
    via_link: Option<(u64, u64)>,
}

struct Walker<'a> {
    fs: &'a dyn Fs,
    root: PathBuf,
    real_root: PathBuf,
    opts: WalkOptions,
    out: Discovered,
    /// Directories entered through a link, by identity, with the first link.
    through_links: HashMap<(u64, u64), PathBuf>,
}

/// Whether the innermost `.gitignore` with an opinion ignores `path`.
fn ignored(ignores: &Option<Arc<Ignores>>, path: &Path, is_dir: bool) -> bool {
    let mut cur = ignores.as_deref();
    while let Some(node) = cur {
        match node.g.matched(path, is_dir) {
            ignore::Match::Ignore(_) => return true,
            ignore::Match::Whitelist(_) => return false,
            ignore::Match::None => {}
        }
        cur = node.up.as_deref();
    }
    false
}

/// A directory's real location for messages: relative to the real root.
fn target_name(real: &Path, real_root: &Path) -> String {
    match relative(real, real_root) {
        t if t == "." => "the scanned root itself".to_string(),
        t => t,
    }
}

fn is_named(name: &OsStr, s: &str) -> bool {
    name == OsStr::new(s)
}

/// Whether a file of this name is something discovery lists (a configuration file).
fn is_config_name(name: &OsStr) -> bool {
    name.as_encoded_bytes().ends_with(b".hcl") || is_named(name, "terragrunt.hcl.json")
}

impl Walker<'_> {
    fn rel(&self, p: &Path) -> String {
        relative(p, &self.root)
    }

    fn problem(&mut self, path: &Path, rule: Reserved, message: String, help: &str) {
        self.out.problems.push(WalkProblem {
            path: path.to_path_buf(),
            rule,
            message,
            help: (!help.is_empty()).then(|| help.to_string()),
        });
    }

    fn ancestors(
        &self,
        up: &Option<Arc<Ancestors>>,
        dir: &Path,
        real: &Path,
    ) -> Option<Arc<Ancestors>> {
        if !self.opts.follow_links {
            return None;
        }
        match self.fs.dir_id(real) {
            Some(id) => Some(Arc::new(Ancestors {
                id,
                path: dir.to_path_buf(),
                up: up.clone(),
            })),
            None => up.clone(),
        }
    }

    fn run(&mut self, start: PathBuf) {
        let rest = start.strip_prefix(&self.root).unwrap_or(Path::new(""));
        let r = resolve_below(self.fs, &self.real_root, rest);
        if !r.real.starts_with(&self.real_root) {
            let msg = format!(
                "{} resolves outside the scanned root through a symbolic link; tglint does not walk it",
                self.rel(&start)
            );
            self.problem(
                &start,
                ids::UNSUPPORTED,
                msg,
                "point the link inside the root",
            );
            return;
        }
        let ancestors = self.ancestors(&None, &start, &r.real);
        let mut stack = vec![Pending {
            dir: start,
            real: r.real,
            ignores: None,
            ancestors,
            via_link: None,
        }];
        while let Some(p) = stack.pop() {
            self.visit(p, &mut stack);
        }
    }

    fn visit(&mut self, p: Pending, stack: &mut Vec<Pending>) {
        // Each directory is walked at most once through links (in path order), so links
        // between directories cannot multiply the walk.
        if let Some(id) = p.via_link {
            if let Some(first) = self.through_links.get(&id) {
                let msg = format!(
                    "{} leads to {}, which the walk already entered through {}; it is walked once",
                    self.rel(&p.dir),
                    target_name(&p.real, &self.real_root),
                    self.rel(first)
                );
                self.problem(&p.dir, ids::UNSUPPORTED, msg, "");
                return;
            }
            self.through_links.insert(id, p.dir.clone());
        }
        let entries = match self.fs.read_dir(&p.dir, Some(&self.real_root)) {
            Ok(e) => e,
            Err(FsError::Outside) => {
                let msg = format!(
                    "{} resolves outside the scanned root through a symbolic link; tglint does not walk it",
                    self.rel(&p.dir)
                );
                self.problem(
                    &p.dir,
                    ids::UNSUPPORTED,
                    msg,
                    "point the link inside the root",
                );
                return;
            }
            Err(e) => {
                let msg = format!(
                    "cannot list directory {}: {e}; the units below it are not checked",
                    self.rel(&p.dir)
                );
                self.problem(
                    &p.dir,
                    ids::PARSE_ERROR,
                    msg,
                    "make the directory readable, or list it in a .gitignore if tglint should skip it",
                );
                return;
            }
        };
        let mut ignores = p.ignores.clone();
        if entries
            .iter()
            .any(|(n, k)| is_named(n, ".gitignore") && *k != Kind::Dir)
        {
            let path = p.dir.join(".gitignore");
            match self.fs.read(&path, Some(&self.real_root)) {
                Ok(text) => {
                    let mut b = GitignoreBuilder::new(&p.dir);
                    for line in String::from_utf8_lossy(&text).lines() {
                        // A malformed pattern is skipped, as git skips it.
                        let _ = b.add_line(Some(path.clone()), line);
                    }
                    if let Ok(g) = b.build() {
                        ignores = Some(Arc::new(Ignores { g, up: ignores }));
                    }
                }
                Err(FsError::NotFound) => {}
                Err(FsError::Outside) => {
                    let msg = format!(
                        "{} is a symbolic link that resolves outside the scanned root; its patterns are not read",
                        self.rel(&path)
                    );
                    self.problem(
                        &path,
                        ids::UNSUPPORTED,
                        msg,
                        "point the link inside the root",
                    );
                }
                Err(e) => {
                    let msg = format!(
                        "cannot read {}: {e}; its patterns are not applied",
                        self.rel(&path)
                    );
                    self.problem(&path, ids::PARSE_ERROR, msg, "make it a readable file");
                }
            }
        }
        // Children are pushed so that they are listed in name order.
        let mut children = Vec::new();
        for (name, kind) in entries {
            let path = p.dir.join(&name);
            let through_link = kind == Kind::Link;
            let (kind, real) = if through_link {
                let r = resolve_below(self.fs, &p.real, Path::new(&name));
                if !r.real.starts_with(&self.real_root) {
                    self.link_out(&ignores, path, &name);
                    continue;
                }
                match r.kind {
                    Some(k) => (k, r.real),
                    // A dangling link: a configuration file's name is still listed, so
                    // that reading it reports it.
                    None => (Kind::Other, r.real),
                }
            } else {
                (kind, p.real.join(&name))
            };
            if ignored(&ignores, &path, kind == Kind::Dir) {
                continue;
            }
            match kind {
                Kind::Dir => {
                    if SKIPPED_DIRS.iter().any(|d| is_named(&name, d)) {
                        continue;
                    }
                    let via_link = if through_link {
                        match self.enter_link(&p, &path, &real) {
                            Some(id) => Some(id),
                            None => continue,
                        }
                    } else {
                        None
                    };
                    let ancestors = self.ancestors(&p.ancestors, &path, &real);
                    children.push(Pending {
                        dir: path,
                        real,
                        ignores: ignores.clone(),
                        ancestors,
                        via_link,
                    });
                }
                Kind::File | Kind::Other | Kind::Link => self.file(path, &name),
            }
        }
        stack.extend(children.into_iter().rev());
    }

    fn file(&mut self, path: PathBuf, name: &OsStr) {
        if is_named(name, "terragrunt.hcl.json") || is_named(name, "terragrunt.stack.hcl") {
            self.out.unsupported.push(path);
        } else if name.as_encoded_bytes().ends_with(b".hcl") {
            if is_named(name, "terragrunt.hcl") {
                self.out.units.push(path.clone());
            }
            self.out.hcl_files.push(path);
        }
    }

    /// A link whose target lies outside the root. A configuration file is listed (reading
    /// it is refused, visibly); anything else is reported, never followed, and what it
    /// points at is not looked at (not even whether it is a directory).
    fn link_out(&mut self, ignores: &Option<Arc<Ignores>>, path: PathBuf, name: &OsStr) {
        // A .gitignore that leads out is reported where its patterns are read.
        if ignored(ignores, &path, false) || is_named(name, ".gitignore") {
            return;
        }
        if is_config_name(name) || is_named(name, "terragrunt.stack.hcl") {
            self.file(path, name);
            return;
        }
        let msg = format!(
            "{} is a symbolic link that resolves outside the scanned root; tglint never follows it",
            self.rel(&path)
        );
        self.problem(
            &path,
            ids::UNSUPPORTED,
            msg,
            "nothing outside the root is read; point the link inside the root if tglint should check what it holds",
        );
    }

    /// Whether to walk the directory link at `path` (really `real`, inside the root): the
    /// directory's identity when so.
    fn enter_link(&mut self, from: &Pending, path: &Path, real: &Path) -> Option<(u64, u64)> {
        if !self.opts.follow_links {
            let msg = format!(
                "{} is a symbolic link to the directory {}; discovery does not follow directory links",
                self.rel(path),
                target_name(real, &self.real_root)
            );
            self.problem(
                path,
                ids::UNSUPPORTED,
                msg,
                "pass --follow-links to walk it",
            );
            return None;
        }
        let id = self.fs.dir_id(real)?;
        let mut cur = from.ancestors.as_deref();
        while let Some(a) = cur {
            if a.id == id {
                let msg = format!(
                    "{} links back to {}, a directory it is inside; following it would loop, so tglint does not",
                    self.rel(path),
                    self.rel(&a.path)
                );
                self.problem(path, ids::UNSUPPORTED, msg, "");
                return None;
            }
            cur = a.up.as_deref();
        }
        Some(id)
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
    let shared = Arc::new(Shared::new(cache.clone(), opts));
    let mut units: Vec<Unit> = unit_files
        .par_iter()
        .map(|p| {
            if p.to_str().is_some() {
                resolve_unit(&shared, p)
            } else {
                unrepresentable_unit(&shared, p)
            }
        })
        .collect();
    units.sort_by(|a, b| a.dir.cmp(&b.dir));
    report_cycles(&mut units);

    let mut diagnostics = Vec::new();
    // Every .hcl file is parsed, so a broken file nothing includes is still reported. What
    // a unit opened (its file, its includes) it reports itself.
    let reported: BTreeSet<FileId> = units
        .iter()
        .flat_map(|u| u.diagnostics.iter())
        .filter(|d| d.rule == ids::PARSE_ERROR)
        .map(|d| d.primary.file)
        .chain(units.iter().map(|u| cache.file(&u.path).id))
        .chain(
            units
                .iter()
                .flat_map(|u| u.includes.iter().map(|i| cache.file(&i.path).id)),
        )
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
            Err(BodyError::Read(e)) => diagnostics.push(read_diag(&cache, &f, &e)),
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
    let mut unit = Unit::new(
        Arc::from(shared.cache.root()),
        dir,
        path,
        r.file,
        r.includes,
        r.layers,
        r.own,
        r.config,
        dependencies,
        reads,
        r.failed,
        Vec::new(),
    );
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
