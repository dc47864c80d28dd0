//! The run cache (docs/cache.md): what a run learnt of each unit that a later
//! changed-files run needs to load only some units — the files the unit's resolution
//! read or probed, with their size, times and inode when it was cached; the keys by
//! which the tree rules' findings about it may involve other units ([`Rule::links`]);
//! and the units it depends on. No value, finding or configuration is cached: a
//! changed-files run resolves every unit it reports on, and the units its findings may
//! involve, from the files as they are; the cache only tells it which units those are.
//!
//! [`Rule::links`]: tglint_rules::rule::Rule::links

use crate::changed::Affected;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet, VecDeque};
use std::path::{Path, PathBuf};
use std::time::SystemTime;
use tglint_model::diag::Reserved;
use tglint_model::load::{Discovered, Tree, WalkProblem};
use tglint_model::unit::Unit;
use tglint_rules::rules::dependency_graph::dependency_dirs;

/// What the cache file format is; a file of another version is ignored.
const FORMAT: u32 = 2;

/// A stamp: a hash of a path's length, modification and change times (nanoseconds) and
/// inode; [`ABSENT`] when nothing is there, [`UNKNOWN`] when that could not be told
/// (and no entry naming it is valid).
type Stamp = u64;
const ABSENT: Stamp = 0;
const UNKNOWN: Stamp = u64::MAX;

/// One unit, as a run left it.
#[derive(Clone, Debug, Serialize, Deserialize)]
struct Entry {
    /// The unit's file (an index into [`CacheFile::paths`]).
    file: u32,
    /// What its resolution read or probed (indices into [`CacheFile::paths`]).
    reads: Vec<u32>,
    /// Its directory and those above it below the root: a file added or removed there
    /// (`terragrunt.values.hcl`, a `.git` that moves `get_repo_root`) is a probe no read
    /// records. Stamped, but not what the unit read.
    dirs: Vec<u32>,
    /// Hashes of its tree-rule keys (`engine::link_hash`; `None`: a rule could not say).
    links: Option<Vec<u64>>,
    /// The directories of the units it depends on, relative to the root.
    deps: Vec<String>,
}

#[derive(Debug, Default, Serialize, Deserialize)]
struct CacheFile {
    format: u32,
    /// Everything the entries depend on besides the files they name: tglint's build, the
    /// root, the policy, the options that change resolution, the rules that ran.
    key: String,
    /// Relative to the root, or absolute (outside it).
    paths: Vec<String>,
    /// The stamp of each path when the entries naming it were written.
    stamps: Vec<Stamp>,
    /// By unit directory, relative to the root.
    units: BTreeMap<String, Entry>,
    /// The last walk of the root.
    walk: Option<Walk>,
}

/// What a walk of the root found ([`Discovered`]), by indices into
/// [`CacheFile::paths`].
#[derive(Debug, Default, Serialize, Deserialize)]
struct Walk {
    /// The directories listed and `.gitignore` files read, whose stamps decide.
    walked: Vec<u32>,
    units: Vec<u32>,
    hcl_files: Vec<u32>,
    stacks: Vec<u32>,
    problems: Vec<Problem>,
}

#[derive(Debug, Serialize, Deserialize)]
struct Problem {
    path: u32,
    rule: String,
    message: String,
    help: Option<String>,
}

/// The run cache of one root: the entries still valid when the run started, and where
/// to write it back.
pub struct RunCache {
    file: PathBuf,
    root: PathBuf,
    key: String,
    /// The paths of the cache file (absolute), and their stamps, checked when it was
    /// read (`None`: changed since it was written).
    paths: Vec<PathBuf>,
    stamps: Vec<Option<Stamp>>,
    /// The entries of the cache file, until [`RunCache::validate`] keeps the valid ones.
    entries: BTreeMap<String, Entry>,
    /// The valid entries of the units discovered, by directory (their indices are into
    /// `paths`).
    valid: BTreeMap<String, Entry>,
    /// The cache file's walk of the root.
    walk: Option<Walk>,
    /// When this run started: a file modified since (or in the second before) is not
    /// trusted to be the version the run read, so no entry naming it is written.
    started: SystemTime,
}

/// Where the cache files live: `--cache-dir`, else `$TGLINT_CACHE_DIR`, else
/// `$XDG_CACHE_HOME/tglint`, else `$HOME/.cache/tglint`.
pub fn dir(flag: Option<&Path>) -> Option<PathBuf> {
    if let Some(d) = flag {
        return Some(d.to_path_buf());
    }
    let var = |n: &str| {
        std::env::var_os(n)
            .filter(|v| !v.is_empty())
            .map(PathBuf::from)
    };
    var("TGLINT_CACHE_DIR")
        .or_else(|| var("XDG_CACHE_HOME").map(|d| d.join("tglint")))
        .or_else(|| var("HOME").map(|d| d.join(".cache").join("tglint")))
}

/// The key of a run: what the entries depend on besides the files they name.
pub fn key(root: &Path, policy: Option<&Path>, options: &str, rules: &str) -> String {
    let exe = std::env::current_exe()
        .ok()
        .and_then(|p| std::fs::metadata(p).ok())
        .map(|m| stamp_of(&m))
        .unwrap_or(UNKNOWN);
    let policy = match policy {
        Some(p) => match std::fs::read(p) {
            Ok(bytes) => format!(
                "{} {:016x}",
                p.display(),
                tglint_rules::engine::fnv1a(&bytes)
            ),
            Err(e) => format!("{} unreadable: {e}", p.display()),
        },
        None => "embedded".to_string(),
    };
    // Hashed: the options may hold secrets (`--set-env`), which have no place on disk.
    let all = format!(
        "exe {exe:016x}; root {}; policy {policy}; options {options}; rules {rules}",
        root.display()
    );
    format!(
        "tglint {} {:016x}",
        env!("CARGO_PKG_VERSION"),
        tglint_rules::engine::fnv1a(all.as_bytes())
    )
}

fn stamp_of(m: &std::fs::Metadata) -> Stamp {
    use std::os::unix::fs::MetadataExt;
    let mut b = Vec::with_capacity(48);
    for n in [
        m.len(),
        m.mtime() as u64,
        m.mtime_nsec() as u64,
        m.ctime() as u64,
        m.ctime_nsec() as u64,
        m.ino(),
    ] {
        b.extend_from_slice(&n.to_le_bytes());
    }
    match tglint_rules::engine::fnv1a(&b) {
        ABSENT | UNKNOWN => 1,
        h => h,
    }
}

/// The stamp of `path` now, and its modification time (nanoseconds since the epoch).
fn stamp(path: &Path) -> (Stamp, u128) {
    use std::os::unix::fs::MetadataExt;
    match std::fs::metadata(path) {
        Ok(m) => {
            let mtime = (m.mtime() as i128 * 1_000_000_000 + m.mtime_nsec() as i128).max(0);
            (stamp_of(&m), mtime as u128)
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => (ABSENT, 0),
        // A path through a file (`a.hcl/x`) holds nothing either.
        Err(e) if e.kind() == std::io::ErrorKind::NotADirectory => (ABSENT, 0),
        Err(_) => (UNKNOWN, 0),
    }
}

/// The cache file of `root` in `dir`.
fn file_of(dir: &Path, root: &Path) -> PathBuf {
    let h = tglint_rules::engine::fnv1a(root.as_os_str().as_encoded_bytes());
    dir.join(format!("run-{h:016x}.json"))
}

impl RunCache {
    /// An empty cache of `root` in `dir`.
    fn new(dir: &Path, root: &Path, key: String) -> RunCache {
        RunCache {
            file: file_of(dir, root),
            root: root.to_path_buf(),
            key,
            paths: Vec::new(),
            stamps: Vec::new(),
            entries: BTreeMap::new(),
            valid: BTreeMap::new(),
            walk: None,
            started: SystemTime::now(),
        }
    }

    /// Reads the cache of `root` in `dir` and stamps the paths it names: nothing is valid
    /// yet ([`RunCache::validate`]), but its walk can be reused ([`RunCache::walk`]).
    pub fn read(dir: &Path, root: &Path, key: String) -> RunCache {
        let mut out = RunCache::new(dir, root, key);
        let cached: Option<CacheFile> = std::fs::read(&out.file)
            .ok()
            .and_then(|b| serde_json::from_slice(&b).ok())
            .filter(|c: &CacheFile| {
                c.format == FORMAT && c.key == out.key && c.paths.len() == c.stamps.len()
            });
        let Some(c) = cached else {
            return out;
        };
        use rayon::prelude::*;
        out.paths = c
            .paths
            .iter()
            .map(|p| match p.as_str() {
                "." => root.to_path_buf(),
                p => root.join(p),
            })
            .collect();
        // Each path stamped once, however many entries name it.
        out.stamps = out
            .paths
            .par_iter()
            .zip(&c.stamps)
            .map(|(p, s)| (*s != UNKNOWN && stamp(p).0 == *s).then_some(*s))
            .collect();
        out.entries = c.units;
        out.walk = c.walk;
        out
    }

    fn unchanged(&self, i: u32) -> bool {
        self.stamps.get(i as usize).is_some_and(Option::is_some)
    }

    fn path(&self, i: u32) -> Option<&PathBuf> {
        self.paths.get(i as usize)
    }

    /// What the last walk of the root found, when every directory it listed and every
    /// `.gitignore` it read is as it was: a walk now would find the same.
    pub fn walk(&self) -> Option<Discovered> {
        let w = self.walk.as_ref().filter(|_| self.walk_unchanged())?;
        let paths = |v: &[u32]| -> Option<Vec<PathBuf>> {
            v.iter().map(|&i| self.path(i).cloned()).collect()
        };
        let problems: Option<Vec<WalkProblem>> = w
            .problems
            .iter()
            .map(|p| {
                Some(WalkProblem {
                    path: self.path(p.path)?.clone(),
                    rule: Reserved::from_id(&p.rule)?,
                    message: p.message.clone(),
                    help: p.help.clone(),
                })
            })
            .collect();
        Some(Discovered {
            units: paths(&w.units)?,
            hcl_files: paths(&w.hcl_files)?,
            stacks: paths(&w.stacks)?,
            problems: problems?,
            walked: paths(&w.walked)?,
        })
    }

    /// Whether the cache file has a walk of the root and nothing it listed or read has
    /// changed.
    fn walk_unchanged(&self) -> bool {
        self.walk
            .as_ref()
            .is_some_and(|w| w.walked.iter().all(|&i| self.unchanged(i)))
    }

    /// Keeps the entries of the `units` discovered (their unit files, absolute) that are
    /// still valid: the same unit file, every path they name stamped as it was.
    pub fn validate(&mut self, units: &[PathBuf]) {
        let discovered: HashMap<String, &PathBuf> =
            units.iter().map(|u| (unit_dir(&self.root, u), u)).collect();
        for (dir, e) in std::mem::take(&mut self.entries) {
            let Some(unit_file) = discovered.get(&dir) else {
                continue;
            };
            if self.path(e.file) == Some(*unit_file)
                && self.unchanged(e.file)
                && e.reads.iter().chain(&e.dirs).all(|&r| self.unchanged(r))
            {
                self.valid.insert(dir, e);
            }
        }
    }

    /// Whether the unit in `dir` has a valid entry.
    fn has(&self, dir: &str) -> bool {
        self.valid.contains_key(dir)
    }

    /// What the valid entry of the unit in `dir` says it read, its own file first.
    fn reads(&self, dir: &str) -> Option<Vec<&Path>> {
        let v = self.valid.get(dir)?;
        let path = |i: &u32| self.paths.get(*i as usize).map(PathBuf::as_path);
        std::iter::once(&v.file).chain(&v.reads).map(path).collect()
    }

    /// Everything the units with a valid entry that are not in `loaded` read (their own
    /// files among it), each path once.
    fn reads_but(&self, loaded: &HashSet<&str>) -> HashSet<PathBuf> {
        let mut seen = vec![false; self.paths.len()];
        for (dir, v) in &self.valid {
            if !loaded.contains(dir.as_str()) {
                for &i in std::iter::once(&v.file).chain(&v.reads) {
                    if let Some(s) = seen.get_mut(i as usize) {
                        *s = true;
                    }
                }
            }
        }
        self.paths
            .iter()
            .zip(seen)
            .filter(|(_, s)| *s)
            .map(|(p, _)| p.clone())
            .collect()
    }

    /// How many entries are valid.
    pub fn len(&self) -> usize {
        self.valid.len()
    }

    /// Writes the cache: entries for the units `tree` loaded (what they read, their
    /// `links`, their dependencies), and the valid entries of the units it did not load.
    /// A unit that read a file modified since the run started is left out. A run that
    /// loaded only units with valid entries has nothing new to write. Written to a
    /// temporary file and renamed, so a reader never sees half a file.
    pub fn write(
        &self,
        tree: &Tree,
        links: &HashMap<String, Option<Vec<u64>>>,
        walk: Option<&Discovered>,
    ) -> Result<(), String> {
        if !self.valid.is_empty()
            && self.walk_unchanged()
            && tree
                .units
                .iter()
                .all(|u| u.stack.is_some() || self.has(&u.dir))
        {
            return Ok(());
        }
        let mut out = CacheFile {
            format: FORMAT,
            key: self.key.clone(),
            ..CacheFile::default()
        };
        let root = self.root.as_path();
        // The stamps already known: those of the paths read from the cache file that
        // have not changed.
        let old: HashMap<&[u8], Stamp> = self
            .paths
            .iter()
            .zip(&self.stamps)
            .filter_map(|(p, s)| Some((p.as_os_str().as_encoded_bytes(), (*s)?)))
            .collect();
        let mut paths = Interner {
            root,
            index: HashMap::new(),
            abs: Vec::new(),
            paths: Vec::new(),
        };
        let mut entries: Vec<(String, Entry)> = Vec::new();
        let mut loaded: HashSet<&str> = HashSet::new();
        for u in &tree.units {
            loaded.insert(&u.dir);
            // Stack units are generated each run; a unit with a path that is not UTF-8
            // is not cached.
            if u.stack.is_some() {
                continue;
            }
            let Some(keys) = links.get(&u.dir) else {
                continue;
            };
            let file = paths.intern(&u.path);
            let dirs: Option<Vec<u32>> = u
                .path
                .ancestors()
                .skip(1)
                .take_while(|d| d.starts_with(root) && *d != root)
                .map(|d| paths.intern(d))
                .collect();
            let reads: Option<Vec<u32>> = u.reads.iter().map(|r| paths.intern(&r.target)).collect();
            let (Some(file), Some(mut reads), Some(dirs)) = (file, reads, dirs) else {
                continue;
            };
            reads.sort_unstable();
            reads.dedup();
            reads.retain(|&r| r != file);
            entries.push((
                u.dir.clone(),
                Entry {
                    file,
                    reads,
                    dirs,
                    links: keys.clone(),
                    deps: dependency_dirs(u),
                },
            ));
        }
        for (dir, v) in &self.valid {
            if loaded.contains(dir.as_str()) {
                continue;
            }
            let path = |i: &u32| self.paths.get(*i as usize);
            let file = path(&v.file).and_then(|p| paths.intern(p));
            let mut again = |v: &[u32]| -> Option<Vec<u32>> {
                v.iter()
                    .map(|i| path(i).and_then(|p| paths.intern(p)))
                    .collect()
            };
            if let (Some(file), Some(reads), Some(dirs)) = (file, again(&v.reads), again(&v.dirs)) {
                entries.push((
                    dir.clone(),
                    Entry {
                        file,
                        reads,
                        dirs,
                        ..v.clone()
                    },
                ));
            }
        }
        let walk = walk.and_then(|w| {
            Some(Walk {
                walked: paths.all(&w.walked)?,
                units: paths.all(&w.units)?,
                hcl_files: paths.all(&w.hcl_files)?,
                stacks: paths.all(&w.stacks)?,
                problems: w
                    .problems
                    .iter()
                    .map(|p| {
                        Some(Problem {
                            path: paths.intern(&p.path)?,
                            rule: p.rule.id().to_string(),
                            message: p.message.clone(),
                            help: p.help.clone(),
                        })
                    })
                    .collect::<Option<_>>()?,
            })
        });
        // The others stamped now. Racy: modified after the run started, or in the second
        // before it (file times are coarser than nanoseconds on many file systems).
        let since = self
            .started
            .duration_since(SystemTime::UNIX_EPOCH)
            .map(|d| d.as_nanos().saturating_sub(1_000_000_000))
            .unwrap_or(0);
        use rayon::prelude::*;
        let stamps: Vec<(Stamp, bool)> = paths
            .abs
            .par_iter()
            .map(|p| match old.get(p.as_os_str().as_encoded_bytes()) {
                Some(s) => (*s, false),
                None => {
                    let (s, mtime) = stamp(p);
                    (s, s == UNKNOWN || mtime >= since)
                }
            })
            .collect();
        let is_bad = |i: u32| stamps.get(i as usize).is_none_or(|(_, bad)| *bad);
        for (dir, e) in entries {
            if !is_bad(e.file) && !e.reads.iter().chain(&e.dirs).any(|&r| is_bad(r)) {
                out.units.insert(dir, e);
            }
        }
        out.walk = walk.filter(|w| !w.walked.iter().any(|&i| is_bad(i)));
        out.stamps = stamps.into_iter().map(|(s, _)| s).collect();
        out.paths = paths.paths;
        let dir = self.file.parent().unwrap_or(Path::new("."));
        std::fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
        let tmp = self
            .file
            .with_extension(format!("{}.tmp", std::process::id()));
        let written = std::fs::File::create(&tmp).and_then(|f| {
            let mut w = std::io::BufWriter::new(f);
            serde_json::to_writer(&mut w, &out)?;
            std::io::Write::flush(&mut w)
        });
        if let Err(e) = written {
            let _ = std::fs::remove_file(&tmp);
            return Err(format!("{}: {e}", tmp.display()));
        }
        std::fs::rename(&tmp, &self.file).map_err(|e| {
            let _ = std::fs::remove_file(&tmp);
            format!("{}: {e}", self.file.display())
        })
    }
}

/// The paths of a cache being written, each once, relative to the root where they are
/// inside it (`paths`) and as they are (`abs`).
struct Interner<'a> {
    root: &'a Path,
    index: HashMap<&'a [u8], u32>,
    abs: Vec<&'a Path>,
    paths: Vec<String>,
}

impl<'a> Interner<'a> {
    /// The index of `p`; `None` for a path that is not UTF-8.
    fn intern(&mut self, p: &'a Path) -> Option<u32> {
        let bytes = p.as_os_str().as_encoded_bytes();
        if let Some(&i) = self.index.get(bytes) {
            return Some(i);
        }
        let s = match p.strip_prefix(self.root) {
            Ok(r) if r.as_os_str().is_empty() => ".",
            Ok(r) => r.to_str()?,
            Err(_) => p.to_str()?,
        };
        let i = u32::try_from(self.paths.len()).ok()?;
        self.paths.push(s.to_string());
        self.abs.push(p);
        self.index.insert(bytes, i);
        Some(i)
    }

    fn all(&mut self, v: &'a [PathBuf]) -> Option<Vec<u32>> {
        v.iter().map(|p| self.intern(p)).collect()
    }
}

/// A unit's directory relative to the root, as `Unit::dir` spells it.
pub fn unit_dir(root: &Path, unit_file: &Path) -> String {
    tglint_model::fs::relative(unit_file.parent().unwrap_or(root), root)
}

/// A changed-files run over a cache: the units it loads first (those the named files
/// affect, by what each read last time, and those without a valid entry), then the ones
/// the tree rules may relate to them ([`involved`]).
pub struct Plan<'a> {
    cache: &'a RunCache,
    affected: &'a Affected,
    /// Every unit discovered, by directory.
    all: BTreeMap<String, PathBuf>,
}

impl<'a> Plan<'a> {
    pub fn new(
        cache: &'a RunCache,
        affected: &'a Affected,
        root: &Path,
        units: &[PathBuf],
    ) -> Plan<'a> {
        Plan {
            cache,
            affected,
            all: units
                .iter()
                .map(|p| (unit_dir(root, p), p.clone()))
                .collect(),
        }
    }

    /// The unit files to load first.
    pub fn first(&self) -> Vec<PathBuf> {
        self.all
            .iter()
            .filter(|(dir, file)| {
                self.cache
                    .reads(dir)
                    .is_none_or(|r| self.affected.affects_file(file, r))
            })
            .map(|(_, file)| file.clone())
            .collect()
    }

    /// The unit files to load next, once `units` are loaded and visited (`links`: their
    /// keys, from the pass); every unit when a checked unit's keys are unknown.
    pub fn more(&self, units: &[Unit], links: &HashMap<String, Option<Vec<u64>>>) -> Vec<PathBuf> {
        let loaded = units
            .iter()
            .map(|u| {
                let keys = links.get(&u.dir).cloned().flatten();
                (u.dir.clone(), (keys, dependency_dirs(u)))
            })
            .collect();
        let checked = units
            .iter()
            .filter(|u| self.affected.affects(u))
            .map(|u| u.dir.clone())
            .collect();
        involved(&self.all, self.cache, &loaded, &checked)
            .unwrap_or_else(|| self.all.values().cloned().collect())
    }

    /// What the units `tree` did not load read, by their valid entries.
    pub fn unloaded_reads(&self, tree: &Tree) -> HashSet<PathBuf> {
        self.cache
            .reads_but(&tree.units.iter().map(|u| u.dir.as_str()).collect())
    }
}

/// The units a changed-files run loads after the ones the changed files affect
/// (`checked`, loaded): every unit sharing a tree-rule key with a checked one, every
/// unit a rule could not key, and the whole dependency component of each checked unit
/// (following dependencies both ways), from the loaded units' own keys and dependencies
/// (`loaded`) and the cache's for the others. `all` maps every discovered unit's
/// directory to its unit file; a unit with no valid entry is loaded already (the run
/// loads those first). Returns unit files; `None` when every unit must be loaded (a
/// checked unit's rules could not say).
fn involved(
    all: &BTreeMap<String, PathBuf>,
    cache: &RunCache,
    loaded: &HashMap<String, (Option<Vec<u64>>, Vec<String>)>,
    checked: &BTreeSet<String>,
) -> Option<Vec<PathBuf>> {
    let info = |dir: &str| -> Option<(Option<&Vec<u64>>, &Vec<String>)> {
        match loaded.get(dir) {
            Some((l, d)) => Some((l.as_ref(), d)),
            None => cache.valid.get(dir).map(|v| (v.links.as_ref(), &v.deps)),
        }
    };
    let mut keys: HashSet<u64> = HashSet::new();
    for c in checked {
        let (links, _) = info(c)?;
        keys.extend(links?.iter().copied());
    }
    let mut want: BTreeSet<&str> = BTreeSet::new();
    // Dependencies both ways: the reverse edges of every unit known.
    let mut adjacent: HashMap<&str, Vec<&str>> = HashMap::new();
    // The units discovered, and the loaded ones discovery does not list (stack units).
    let dirs = all
        .keys()
        .chain(loaded.keys().filter(|d| !all.contains_key(*d)));
    for dir in dirs {
        let Some((links, deps)) = info(dir) else {
            continue;
        };
        match links {
            None => {
                want.insert(dir);
            }
            Some(l) if l.iter().any(|k| keys.contains(k)) => {
                want.insert(dir);
            }
            Some(_) => {}
        }
        for d in deps {
            adjacent.entry(dir).or_default().push(d);
            adjacent.entry(d).or_default().push(dir);
        }
    }
    let mut queue: VecDeque<&str> = checked.iter().map(String::as_str).collect();
    let mut seen: HashSet<&str> = queue.iter().copied().collect();
    while let Some(d) = queue.pop_front() {
        want.insert(d);
        for &n in adjacent.get(d).map(Vec::as_slice).unwrap_or(&[]) {
            if seen.insert(n) {
                queue.push_back(n);
            }
        }
    }
    Some(
        want.into_iter()
            .filter(|d| !loaded.contains_key(*d))
            .filter_map(|d| all.get(d).cloned())
            .collect(),
    )
}
