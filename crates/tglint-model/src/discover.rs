//! Discovery: the walk that finds every unit and `.hcl` file under a directory, honouring
//! the `.gitignore` files inside the root, and reports what it cannot enter or does not
//! follow. It never leaves the root and never fails: problems are `WalkProblem`s.

use crate::diag::{Reserved, ids};
use crate::fs::{Fs, FsError, Kind, clean, relative, resolve_below};
use ignore::gitignore::{Gitignore, GitignoreBuilder};
use std::collections::HashMap;
use std::ffi::OsStr;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// Directories discovery never enters.
pub const SKIPPED_DIRS: &[&str] = &[".terragrunt-cache", ".terraform", ".git"];

/// What discovery found.
#[derive(Debug, Default)]
pub struct Discovered {
    /// Unit files (`…/terragrunt.hcl`, or `…/terragrunt.hcl.json`, which wins), sorted.
    pub units: Vec<PathBuf>,
    /// Every configuration file (`*.hcl`, `*.hcl.json`), sorted.
    pub hcl_files: Vec<PathBuf>,
    /// Stack files (`terragrunt.stack.hcl`), sorted.
    pub stacks: Vec<PathBuf>,
    /// What the walk could not enter or did not follow, each reported on its path.
    pub problems: Vec<WalkProblem>,
    /// The directories the walk listed (or tried to) and the `.gitignore` files it read,
    /// in walk order: what must stay as it is for a walk to find the same (the run
    /// cache keeps their stamps, docs/cache.md).
    pub walked: Vec<PathBuf>,
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
    out.stacks.sort();
    out.problems.sort_by(|a, b| a.path.cmp(&b.path));
    out
}

/// A list shared from its tail, innermost first: each directory of the walk extends its
/// parent's. Dropped iteratively, so however deep the walk went, dropping cannot overflow
/// the stack.
struct Chain<T> {
    item: T,
    up: Option<Arc<Chain<T>>>,
}

impl<T> Chain<T> {
    fn iter(this: &Option<Arc<Chain<T>>>) -> impl Iterator<Item = &T> {
        std::iter::successors(this.as_deref(), |c| c.up.as_deref()).map(|c| &c.item)
    }
}

impl<T> Drop for Chain<T> {
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

/// The `.gitignore` files above a directory of the walk.
type Ignores = Chain<Gitignore>;

/// The directories the walk is inside, by identity (device, inode) with their paths: what
/// link loops are detected by (only with `--follow-links`).
type Ancestors = Chain<((u64, u64), PathBuf)>;

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
    for g in Chain::iter(ignores) {
        match g.matched(path, is_dir) {
            ignore::Match::Ignore(_) => return true,
            ignore::Match::Whitelist(_) => return false,
            ignore::Match::None => {}
        }
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

/// Whether a file of this name is something discovery lists (a configuration file: HCL,
/// or HCL's JSON syntax).
fn is_config_name(name: &OsStr) -> bool {
    let b = name.as_encoded_bytes();
    b.ends_with(b".hcl") || b.ends_with(b".hcl.json")
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
            Some(id) => Some(Arc::new(Chain {
                item: (id, dir.to_path_buf()),
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
        self.out.walked.push(p.dir.clone());
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
            self.out.walked.push(path.clone());
            match self.fs.read(&path, Some(&self.real_root)) {
                Ok(text) => {
                    let mut b = GitignoreBuilder::new(&p.dir);
                    for line in String::from_utf8_lossy(&text).lines() {
                        // A malformed pattern is skipped, as git skips it.
                        let _ = b.add_line(Some(path.clone()), line);
                    }
                    if let Ok(g) = b.build() {
                        ignores = Some(Arc::new(Chain {
                            item: g,
                            up: ignores,
                        }));
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
        if is_named(name, "terragrunt.stack.hcl") {
            self.out.stacks.push(path);
        } else if is_config_name(name) {
            if is_named(name, "terragrunt.hcl") || is_named(name, "terragrunt.hcl.json") {
                self.unit(path.clone());
            }
            self.out.hcl_files.push(path);
        }
    }

    /// A unit file. `terragrunt.hcl.json` wins over `terragrunt.hcl` in the same directory,
    /// as Terragrunt's `GetDefaultConfigPath` chooses (silently); the other one is reported
    /// as not evaluated. A directory's files come one after the other, so the unit of the
    /// same directory, if any, is the last one found.
    fn unit(&mut self, path: PathBuf) {
        let dir = path.parent();
        let (kept, shadowed) = match self.out.units.last_mut() {
            Some(last) if last.parent() == dir => {
                if path.extension().is_some_and(|e| e == "json") {
                    let hcl = std::mem::replace(last, path.clone());
                    (path, hcl)
                } else {
                    (last.clone(), path)
                }
            }
            _ => {
                self.out.units.push(path);
                return;
            }
        };
        let msg = format!(
            "{} is not evaluated: {} in the same directory is the unit's configuration, as Terragrunt chooses it (it does not warn)",
            self.rel(&shadowed),
            kept.file_name().unwrap_or_default().to_string_lossy()
        );
        self.problem(
            &shadowed,
            ids::UNSUPPORTED,
            msg,
            "keep one of terragrunt.hcl and terragrunt.hcl.json in a unit's directory",
        );
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
        if let Some((_, above)) = Chain::iter(&from.ancestors).find(|(a, _)| *a == id) {
            let msg = format!(
                "{} links back to {}, a directory it is inside; following it would loop, so tglint does not",
                self.rel(path),
                self.rel(above)
            );
            self.problem(path, ids::UNSUPPORTED, msg, "");
            return None;
        }
        Some(id)
    }
}
