//! The source cache: every file is read once and parsed once, however many units include
//! it, and every read and probe is checked against the scanned root: where the path is
//! written (no `../` out of the root) and where it really leads (no symbolic link out of
//! it). The opened handle is checked again by the file system (`Fs::read`), so a link
//! swapped after the check cannot lead a read out either.

use crate::fs::{Fs, FsError, Kind, clean, relative, resolve_below};
use std::collections::HashMap;
use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, OnceLock, RwLock};
use tglint_hcl::hcl_edit::structure::Body;
use tglint_hcl::{EntryKind, FileAccess, FileError, FileId, LineIndex, ParseError, parse_body};

/// Why a path is not read (nor probed).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Refusal {
    /// The path, as written, lies outside the root.
    Outside,
    /// The path is inside the root as written but resolves outside it through the
    /// symbolic link `link` (relative to the root); `None` when the link changed while
    /// tglint read it.
    Link(Option<String>),
    /// The file is larger than [`crate::fs::MAX_FILE_BYTES`] (16 MiB): not read.
    TooLarge,
}

impl Refusal {
    /// What to do about it.
    pub fn help(&self) -> &'static str {
        match self {
            Refusal::Outside => "pass --allow-outside-root to read it",
            Refusal::Link(_) => {
                "point the link at a file inside the root, or pass --allow-outside-root to read it"
            }
            Refusal::TooLarge => {
                "tglint reads no file larger than 16 MiB (docs/security.md); make the file smaller"
            }
        }
    }
}

/// Why a file's text could not be had.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ReadError {
    NotFound,
    /// Outside the root (as written, or through a link).
    Refused(Refusal),
    Io(String),
    Binary,
    NotUtf8 {
        offset: usize,
    },
}

impl std::fmt::Display for ReadError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ReadError::NotFound => f.write_str("file not found"),
            ReadError::Refused(Refusal::Outside) => f.write_str(
                "the file is outside the scanned root and is not read (see --allow-outside-root)",
            ),
            ReadError::Refused(Refusal::Link(Some(l))) => write!(
                f,
                "the file resolves outside the scanned root through the symbolic link {l} and is not read (see --allow-outside-root)"
            ),
            ReadError::Refused(Refusal::Link(None)) => f.write_str(
                "the file resolves outside the scanned root through a symbolic link and is not read (see --allow-outside-root)",
            ),
            ReadError::Refused(Refusal::TooLarge) => write!(
                f,
                "the file is larger than the {} MiB cap and is not read",
                crate::fs::MAX_FILE_BYTES / (1024 * 1024)
            ),
            ReadError::Io(m) => write!(f, "cannot read the file: {m}"),
            ReadError::Binary => f.write_str("the file is binary (it contains NUL bytes), not HCL"),
            ReadError::NotUtf8 { offset } => {
                write!(
                    f,
                    "the file is not valid UTF-8 (first bad byte at offset {offset})"
                )
            }
        }
    }
}

/// A file's text with its line index.
type Text = (Arc<str>, Arc<LineIndex>);

/// One file of the tree.
pub struct SourceFile {
    pub id: FileId,
    /// Absolute and cleaned; shared with the reads that name the file.
    pub path: Arc<Path>,
    /// Relative to the root, with `/` separators.
    pub rel: String,
    bytes: OnceLock<Result<Arc<[u8]>, ReadError>>,
    text: OnceLock<Result<Text, ReadError>>,
    body: OnceLock<Result<Arc<Body>, ParseError>>,
    parses: AtomicUsize,
    /// Whether the text left out a byte-order mark the bytes begin with.
    bom: AtomicBool,
}

impl SourceFile {
    /// How many times the file was parsed (at most once; tests assert it).
    pub fn parse_count(&self) -> usize {
        self.parses.load(Ordering::Relaxed)
    }

    /// The text, if it has been read successfully.
    pub fn text_if_read(&self) -> Option<&str> {
        match self.text.get() {
            Some(Ok((t, _))) => Some(t),
            _ => None,
        }
    }

    pub fn lines(&self) -> Option<&LineIndex> {
        match self.text.get() {
            Some(Ok((_, l))) => Some(l),
            _ => None,
        }
    }
}

pub struct SourceCache {
    fs: Arc<dyn Fs>,
    root: PathBuf,
    /// The root with every link resolved: where reads must really lead.
    real_root: PathBuf,
    allow_outside: bool,
    /// By the path's bytes (paths here are cleaned; hashing a `Path` walks components).
    by_path: RwLock<HashMap<OsString, FileId>>,
    files: RwLock<Vec<Arc<SourceFile>>>,
    /// Where paths below the root really lead, by their path as written.
    resolved: RwLock<HashMap<OsString, Arc<Real>>>,
    /// Directories a stack would generate (`<stack>/.terragrunt-stack/<path>`), each
    /// standing for the local source directory generation would copy there: reads and
    /// probes below one go to its source (see [`SourceCache::physical`]).
    overlays: RwLock<Vec<(PathBuf, PathBuf)>>,
}

/// Where a path below the root really leads.
#[derive(Clone, Debug)]
struct Real {
    real: PathBuf,
    kind: Option<Kind>,
    /// The first symbolic link below the root on the way, as written.
    link: Option<PathBuf>,
}

impl SourceCache {
    pub fn new(fs: Arc<dyn Fs>, root: &Path, allow_outside: bool) -> SourceCache {
        let root = clean(root);
        let real_root = fs.canonicalize(&root).unwrap_or_else(|| root.clone());
        SourceCache {
            fs: if fs.is_cached() {
                fs
            } else {
                Arc::new(crate::fs::CachedFs::new(fs))
            },
            root,
            real_root,
            allow_outside,
            by_path: RwLock::new(HashMap::new()),
            files: RwLock::new(Vec::new()),
            resolved: RwLock::new(HashMap::new()),
            overlays: RwLock::new(Vec::new()),
        }
    }

    /// Makes the directory `generated` (absolute, not on disk) stand for `source`: what
    /// `terragrunt stack generate` would copy there. Nothing is written.
    pub fn overlay(&self, generated: &Path, source: &Path) {
        if let Ok(mut o) = self.overlays.write() {
            o.push((clean(generated), clean(source)));
            // Longest first, so the innermost generated directory wins.
            o.sort_by_key(|(g, _)| std::cmp::Reverse(g.as_os_str().len()));
        }
    }

    /// Where `path` (absolute) is really read from: below a generated directory (see
    /// [`SourceCache::overlay`]), the same place in its source; elsewhere, `path`.
    pub fn physical(&self, path: &Path) -> PathBuf {
        let mut p = clean(path);
        let Ok(o) = self.overlays.read() else {
            return p;
        };
        if o.is_empty() {
            return p;
        }
        // A source may itself lie below a generated directory (a nested stack's unit):
        // map again, a bounded number of times.
        for _ in 0..16 {
            let Some((g, s)) = o.iter().find(|(g, _)| p.starts_with(g)) else {
                break;
            };
            let rest = p.strip_prefix(g).unwrap_or(Path::new("")).to_path_buf();
            p = clean(&s.join(rest));
        }
        p
    }

    pub fn root(&self) -> &Path {
        &self.root
    }

    /// The root with every link resolved.
    pub fn real_root(&self) -> &Path {
        &self.real_root
    }

    /// Whether `path` may be read: inside the root as written and where it leads.
    pub fn allows(&self, path: &Path) -> bool {
        self.refusal(path).is_none()
    }

    /// Why `path` may not be read or probed, if it may not.
    pub fn refusal(&self, path: &Path) -> Option<Refusal> {
        if self.allow_outside {
            return None;
        }
        let p = self.physical(path);
        if !p.starts_with(&self.root) {
            return Some(Refusal::Outside);
        }
        let r = self.resolve(&p);
        (!r.real.starts_with(&self.real_root)).then(|| self.link_refusal(&r))
    }

    fn link_refusal(&self, r: &Real) -> Refusal {
        Refusal::Link(r.link.as_ref().map(|l| relative(l, &self.root)))
    }

    /// Whether `why` refuses `path` because `path` itself is the link that leads out.
    pub fn is_own_link(&self, path: &Path, why: &Refusal) -> bool {
        matches!(why, Refusal::Link(Some(l)) if *l == relative(&clean(path), &self.root))
    }

    /// The message for a refused `path`: "… is outside the scanned root and is not read",
    /// or, for a link, which link leads out.
    pub fn refusal_message(&self, path: &Path, why: &Refusal) -> String {
        match why {
            Refusal::Outside => format!(
                "{} is outside the scanned root and is not read",
                path.display()
            ),
            Refusal::TooLarge => format!(
                "{} is larger than the {} MiB cap and is not read",
                relative(&clean(path), &self.root),
                crate::fs::MAX_FILE_BYTES / (1024 * 1024)
            ),
            Refusal::Link(link) => {
                let shown = relative(&clean(path), &self.root);
                match link {
                    Some(l) if *l == shown => format!(
                        "{shown} is a symbolic link that resolves outside the scanned root and is not read"
                    ),
                    Some(l) => format!(
                        "{shown} resolves outside the scanned root through the symbolic link {l} and is not read"
                    ),
                    None => format!(
                        "{shown} resolves outside the scanned root through a symbolic link and is not read"
                    ),
                }
            }
        }
    }

    /// What is at `path` (links followed), checked like a read: a path outside the root,
    /// or leading out of it through a link, is refused, never answered with the kind of
    /// what lies outside.
    pub fn kind(&self, path: &Path) -> Result<Option<Kind>, Refusal> {
        let p = self.physical(path);
        if self.allow_outside {
            return Ok(self.fs.kind(&p));
        }
        if !p.starts_with(&self.root) {
            return Err(Refusal::Outside);
        }
        let r = self.resolve(&p);
        if !r.real.starts_with(&self.real_root) {
            return Err(self.link_refusal(&r));
        }
        Ok(r.kind)
    }

    /// The entries of a directory, sorted, with their kinds links followed: a link that
    /// leads out of the root (or whose target cannot be resolved) is [`Kind::Link`], "not
    /// followed"; a dangling link inside the root is [`Kind::Other`].
    pub fn list(&self, path: &Path) -> Result<Vec<(OsString, Kind)>, ReadError> {
        let p = self.physical(path);
        if let Some(why) = self.refusal(&p) {
            return Err(ReadError::Refused(why));
        }
        let within = (!self.allow_outside).then_some(self.real_root.as_path());
        let entries = self.fs.read_dir(&p, within).map_err(|e| match e {
            FsError::NotFound => ReadError::NotFound,
            FsError::Outside => ReadError::Refused(Refusal::Link(None)),
            FsError::TooLarge => ReadError::Refused(Refusal::TooLarge),
            FsError::Other(m) => ReadError::Io(m),
        })?;
        Ok(entries
            .into_iter()
            .map(|(name, kind)| {
                let kind = match kind {
                    Kind::Link => match self.kind(&p.join(&name)) {
                        Ok(Some(k)) => k,
                        Ok(None) => Kind::Other,
                        Err(_) => Kind::Link,
                    },
                    k => k,
                };
                (name, kind)
            })
            .collect())
    }

    /// Where `p` (cleaned, below the root) really leads, resolved once per path: each
    /// directory from its parent's real place (iteratively, however deep).
    fn resolve(&self, p: &Path) -> Arc<Real> {
        let memo = |q: &Path| {
            self.resolved
                .read()
                .ok()
                .and_then(|m| m.get(q.as_os_str()).cloned())
        };
        if let Some(r) = memo(p) {
            return r;
        }
        // `p` and its ancestors below the root not resolved yet, deepest first.
        let mut todo: Vec<&Path> = Vec::new();
        let mut cur = Some(p);
        let mut base = None;
        while let Some(q) = cur {
            if q == self.root || !q.starts_with(&self.root) {
                break;
            }
            if let Some(r) = memo(q) {
                base = Some(r);
                break;
            }
            todo.push(q);
            cur = q.parent();
        }
        let mut base = base.unwrap_or_else(|| {
            Arc::new(Real {
                real: self.real_root.clone(),
                kind: Some(Kind::Dir),
                link: None,
            })
        });
        for q in todo.into_iter().rev() {
            let name = q.file_name().unwrap_or_default();
            let next = if base.kind != Some(Kind::Dir) {
                Real {
                    real: base.real.join(name),
                    kind: None,
                    link: base.link.clone(),
                }
            } else {
                let r = resolve_below(&*self.fs, &base.real, Path::new(name));
                Real {
                    real: r.real,
                    kind: r.kind,
                    link: base
                        .link
                        .clone()
                        .or_else(|| r.first_link.map(|_| q.to_path_buf())),
                }
            };
            base = Arc::new(next);
            // What does not exist is not remembered: most probes are misses, a path per
            // unit each, and asking again costs a listing lookup (`CachedFs`).
            if base.kind.is_none() && q == p {
                break;
            }
            if let Ok(mut m) = self.resolved.write() {
                m.insert(q.as_os_str().to_os_string(), base.clone());
            }
        }
        base
    }

    /// The entry for `path` (absolute), created on first use. Reading happens later.
    pub fn file(&self, path: &Path) -> Arc<SourceFile> {
        self.entry(&self.physical(path), |path| {
            (relative(path, &self.root), None)
        })
    }

    /// A file that is not on any file system (the policy embedded in the binary): its
    /// text is given, and `rel` is how reports name it.
    pub fn add_text(&self, path: &Path, rel: &str, text: &str) -> Arc<SourceFile> {
        self.entry(path, |_| (rel.to_string(), Some(text)))
    }

    /// The entry for `path`, or a new one named and (optionally) filled by `make`.
    fn entry<'t>(
        &self,
        path: &Path,
        make: impl FnOnce(&Path) -> (String, Option<&'t str>),
    ) -> Arc<SourceFile> {
        let path = clean(path);
        // Most calls find the entry: under read locks, which threads share.
        {
            let by_path = read(&self.by_path);
            if let Some(id) = by_path.get(path.as_os_str())
                && let Some(f) = read(&self.files).get(id.0 as usize)
            {
                return f.clone();
            }
        }
        let mut by_path = write(&self.by_path);
        let mut files = write(&self.files);
        if let Some(id) = by_path.get(path.as_os_str())
            && let Some(f) = files.get(id.0 as usize)
        {
            return f.clone();
        }
        let id = FileId(u32::try_from(files.len()).unwrap_or(u32::MAX));
        let (rel, text) = make(&path);
        let (bytes, text) = match text {
            Some(t) => {
                let shared: Arc<str> = Arc::from(t);
                let lines = Arc::new(LineIndex::new(&shared));
                (
                    OnceLock::from(Ok(Arc::from(t.as_bytes()))),
                    OnceLock::from(Ok((shared, lines))),
                )
            }
            None => (OnceLock::new(), OnceLock::new()),
        };
        let f = Arc::new(SourceFile {
            id,
            path: Arc::from(path.as_path()),
            rel,
            bytes,
            text,
            body: OnceLock::new(),
            parses: AtomicUsize::new(0),
            bom: AtomicBool::new(false),
        });
        files.push(f.clone());
        by_path.insert(path.into_os_string(), id);
        f
    }

    pub fn get(&self, id: FileId) -> Option<Arc<SourceFile>> {
        read(&self.files).get(id.0 as usize).cloned()
    }

    /// Every file known so far, in id order.
    pub fn all(&self) -> Vec<Arc<SourceFile>> {
        read(&self.files).clone()
    }

    /// The file's bytes, read once. A file read as text first keeps only its text: its
    /// bytes are made from it when asked for (a byte-order mark the text left out
    /// restored), so the run holds each file once.
    pub fn bytes(&self, f: &SourceFile) -> Result<Arc<[u8]>, ReadError> {
        f.bytes
            .get_or_init(|| match f.text.get() {
                Some(Ok((text, _))) if f.bom.load(Ordering::Relaxed) => {
                    let mut b = "\u{feff}".as_bytes().to_vec();
                    b.extend_from_slice(text.as_bytes());
                    Ok(Arc::from(b))
                }
                Some(Ok((text, _))) => Ok(Arc::from(text.as_bytes())),
                _ => self.read_fs(f).map(Arc::from),
            })
            .clone()
    }

    fn read_fs(&self, f: &SourceFile) -> Result<Vec<u8>, ReadError> {
        // The check names the link that leads out; the file system checks the opened
        // handle again, so a link swapped in between is caught too.
        if let Some(why) = self.refusal(&f.path) {
            return Err(ReadError::Refused(why));
        }
        let within = (!self.allow_outside).then_some(self.real_root.as_path());
        self.fs.read(&f.path, within).map_err(|e| match e {
            FsError::NotFound => ReadError::NotFound,
            FsError::Outside => ReadError::Refused(Refusal::Link(None)),
            FsError::TooLarge => ReadError::Refused(Refusal::TooLarge),
            FsError::Other(m) => ReadError::Io(m),
        })
    }

    pub fn text(&self, f: &SourceFile) -> Result<Text, ReadError> {
        f.text
            .get_or_init(|| {
                let owned;
                let bytes: &[u8] = match f.bytes.get() {
                    Some(b) => b.as_ref().map_err(Clone::clone)?,
                    None => match self.read_fs(f) {
                        Ok(b) => {
                            owned = b;
                            &owned
                        }
                        Err(e) => {
                            // The bytes' outcome too: the file is read once.
                            let _ = f.bytes.set(Err(e.clone()));
                            return Err(e);
                        }
                    },
                };
                let checked = if bytes.contains(&0) {
                    Err(ReadError::Binary)
                } else {
                    std::str::from_utf8(bytes).map_err(|e| ReadError::NotUtf8 {
                        offset: e.valid_up_to(),
                    })
                };
                let s = match checked {
                    Ok(s) => s,
                    Err(e) => {
                        // Not text: the bytes are kept for whoever reads them as bytes.
                        if f.bytes.get().is_none() {
                            let _ = f.bytes.set(Ok(Arc::from(bytes)));
                        }
                        return Err(e);
                    }
                };
                let stripped = s.strip_prefix('\u{feff}');
                f.bom.store(stripped.is_some(), Ordering::Relaxed);
                let s: Arc<str> = Arc::from(stripped.unwrap_or(s));
                let lines = Arc::new(LineIndex::new(&s));
                Ok((s, lines))
            })
            .clone()
    }

    /// The parsed body (HCL, or HCL's JSON syntax for a `.json` file); `Err(Read)` when the
    /// text could not be read.
    pub fn body(&self, f: &SourceFile) -> Result<Arc<Body>, BodyError> {
        let (text, _) = self.text(f).map_err(BodyError::Read)?;
        f.body
            .get_or_init(|| Self::parse(f, &text))
            .clone()
            .map_err(BodyError::Parse)
    }

    /// [`SourceCache::body`] without keeping it: the parsed body if it is cached already,
    /// else parsed for the caller alone. A unit's own file is read by that unit only, and
    /// its syntax tree (tens of times its text) is dropped once the unit is resolved; the
    /// text and its line index stay for the reports.
    pub fn body_once(&self, f: &SourceFile) -> Result<Arc<Body>, BodyError> {
        if let Some(b) = f.body.get() {
            return b.clone().map_err(BodyError::Parse);
        }
        let (text, _) = self.text(f).map_err(BodyError::Read)?;
        Self::parse(f, &text).map_err(BodyError::Parse)
    }

    fn parse(f: &SourceFile, text: &str) -> Result<Arc<Body>, ParseError> {
        f.parses.fetch_add(1, Ordering::Relaxed);
        // The front end by the file's name: `.json` is HCL's JSON syntax.
        if crate::terragrunt::json_schema::is_json(&f.path) {
            let schema = &crate::terragrunt::json_schema::CONFIG;
            tglint_hcl::parse_json_body(f.id, text, schema).map(Arc::new)
        } else {
            parse_body(f.id, text).map(Arc::new)
        }
    }

    /// `(line, column)`, 1-based, of an offset in a file that has been read.
    pub fn line_col(&self, id: FileId, offset: u32) -> (u32, u32) {
        match self.get(id) {
            Some(f) => match (f.text_if_read(), f.lines()) {
                (Some(t), Some(l)) => l.line_col(t, offset),
                _ => (1, 1),
            },
            None => (1, 1),
        }
    }
}

#[derive(Clone, Debug)]
pub enum BodyError {
    Read(ReadError),
    Parse(ParseError),
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|p| p.into_inner())
}

fn read<T>(m: &RwLock<T>) -> std::sync::RwLockReadGuard<'_, T> {
    m.read().unwrap_or_else(|p| p.into_inner())
}

fn write<T>(m: &RwLock<T>) -> std::sync::RwLockWriteGuard<'_, T> {
    m.write().unwrap_or_else(|p| p.into_inner())
}

/// The `FileAccess` that Terraform's file functions read through: the cache, with the root
/// enforced. Refused paths are remembered, with the reason, so the unit can report them.
pub struct CacheAccess<'a> {
    pub cache: &'a SourceCache,
    pub refused: Mutex<Vec<(PathBuf, Refusal)>>,
    /// Every path read, probed or listed (refused ones too), in order: what the unit's
    /// resolution depends on.
    pub touched: Mutex<Vec<PathBuf>>,
}

impl<'a> CacheAccess<'a> {
    pub fn new(cache: &'a SourceCache) -> CacheAccess<'a> {
        CacheAccess {
            cache,
            refused: Mutex::new(Vec::new()),
            touched: Mutex::new(Vec::new()),
        }
    }

    fn touch(&self, path: &Path) -> PathBuf {
        let p = clean(path);
        lock(&self.touched).push(p.clone());
        p
    }

    pub fn take_touched(&self) -> Vec<PathBuf> {
        std::mem::take(&mut *lock(&self.touched))
    }

    fn refuse(&self, path: PathBuf, why: Refusal) -> FileError {
        lock(&self.refused).push((path, why));
        FileError::OutsideRoot
    }

    pub fn take_refused(&self) -> Vec<(PathBuf, Refusal)> {
        std::mem::take(&mut *lock(&self.refused))
    }
}

fn entry_kind(k: Kind) -> EntryKind {
    match k {
        Kind::File => EntryKind::File,
        Kind::Dir => EntryKind::Dir,
        Kind::Link | Kind::Other => EntryKind::Other,
    }
}

impl FileAccess for CacheAccess<'_> {
    fn read(&self, path: &Path) -> Result<Arc<[u8]>, FileError> {
        let p = self.touch(path);
        if let Some(why) = self.cache.refusal(&p) {
            return Err(self.refuse(p, why));
        }
        let f = self.cache.file(&p);
        self.cache.bytes(&f).map_err(|e| match e {
            ReadError::NotFound => FileError::NotFound,
            ReadError::Refused(why) => self.refuse(p, why),
            other => FileError::Other(other.to_string()),
        })
    }

    fn kind(&self, path: &Path) -> Result<Option<EntryKind>, FileError> {
        let p = self.touch(path);
        match self.cache.kind(&p) {
            Ok(k) => Ok(k.map(entry_kind)),
            Err(why) => Err(self.refuse(p, why)),
        }
    }

    /// Entries whose names are not UTF-8 are left out: HCL strings cannot hold them. A
    /// link out of the root is listed as "other", so a function that needs to know what
    /// it is asks `kind` and is refused.
    fn list_dir(&self, path: &Path) -> Result<Vec<(String, EntryKind)>, FileError> {
        let p = self.touch(path);
        match self.cache.list(&p) {
            Ok(v) => Ok(v
                .into_iter()
                .filter_map(|(n, k)| n.into_string().ok().map(|n| (n, entry_kind(k))))
                .collect()),
            Err(ReadError::NotFound) => Err(FileError::NotFound),
            Err(ReadError::Refused(why)) => Err(self.refuse(p, why)),
            Err(e) => Err(FileError::Other(e.to_string())),
        }
    }
}
