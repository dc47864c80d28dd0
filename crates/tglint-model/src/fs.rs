//! The file-system trait every read of the model goes through: the real disk in the CLI,
//! memory in tests.
//!
//! Confinement lives at two levels. [`resolve_below`] follows symbolic links the way the
//! operating system does, through the trait's `lkind` and `read_link`, so the source cache
//! can tell where a path really leads before it reads or probes anything (and say which
//! link leads out). The opening methods, `read` and `read_dir`, then check the *opened
//! handle* against `within`, so a link swapped between that check and the open cannot
//! lead a read out of the root: on Linux the handle is opened with `O_PATH` (which opens
//! no device and never blocks), its real location is read from `/proc/self/fd/<fd>`, and
//! only then is it reopened for reading through that same descriptor. Only regular files
//! are ever read (a FIFO or device would hang or stream forever).

use std::collections::BTreeMap;
use std::ffi::{OsStr, OsString};
use std::fmt;
use std::io;
use std::path::{Component, Path, PathBuf};
use std::sync::Arc;

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Kind {
    File,
    Dir,
    /// A symbolic link, not followed. Only `lkind` and `read_dir` answer it.
    Link,
    /// Anything else: FIFO, socket, device (and a link loop, when following).
    Other,
}

/// Why a file or directory could not be opened.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum FsError {
    NotFound,
    /// The opened handle really lies outside the directory it had to stay in.
    Outside,
    /// Anything else, worded to follow "cannot read the file: " (`is a directory`, …).
    Other(String),
}

impl fmt::Display for FsError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            FsError::NotFound => f.write_str("no such file or directory"),
            FsError::Outside => f.write_str("it resolves outside the scanned root"),
            FsError::Other(m) => f.write_str(m),
        }
    }
}

impl From<io::Error> for FsError {
    fn from(e: io::Error) -> FsError {
        match e.kind() {
            io::ErrorKind::NotFound | io::ErrorKind::NotADirectory => FsError::NotFound,
            io::ErrorKind::PermissionDenied => FsError::Other("permission denied".into()),
            io::ErrorKind::InvalidFilename => FsError::Other(
                "its path is longer than the operating system allows (PATH_MAX)".into(),
            ),
            _ if is_loop(&e) => {
                FsError::Other("too many levels of symbolic links (a link loop)".into())
            }
            _ => FsError::Other(e.to_string()),
        }
    }
}

#[cfg(unix)]
fn is_loop(e: &io::Error) -> bool {
    e.raw_os_error() == Some(libc::ELOOP)
}

#[cfg(not(unix))]
fn is_loop(_: &io::Error) -> bool {
    false
}

/// The file system. Paths are absolute. `within`, when given, is a real (canonical)
/// directory the opened file or directory must lie under; the answer is
/// `Err(FsError::Outside)` otherwise, decided on the opened handle, not the path.
pub trait Fs: Send + Sync {
    /// The contents of the regular file at `path` (links followed), read through the one
    /// handle whose location was checked. Anything but a regular file is an error, never
    /// read; so is a file larger than [`MAX_FILE_BYTES`].
    fn read(&self, path: &Path, within: Option<&Path>) -> Result<Vec<u8>, FsError>;
    /// The entries of the directory at `path` (links followed), sorted by name, each with
    /// its own kind: a symbolic link is [`Kind::Link`], not followed.
    fn read_dir(
        &self,
        path: &Path,
        within: Option<&Path>,
    ) -> Result<Vec<(OsString, Kind)>, FsError>;
    /// What is at `path`, following links; `None` when nothing is (or a link dangles).
    fn kind(&self, path: &Path) -> Option<Kind>;
    /// What is at `path` itself: a final symbolic link is not followed.
    fn lkind(&self, path: &Path) -> io::Result<Kind>;
    /// The target of the symbolic link at `path`, as written in the link.
    fn read_link(&self, path: &Path) -> io::Result<PathBuf>;
    /// The identity (device, inode) of the directory at `path`, links followed: what
    /// `--follow-links` detects loops by.
    fn dir_id(&self, path: &Path) -> Option<(u64, u64)>;
    /// `path` with every link resolved, when it exists (the root is canonicalised so).
    fn canonicalize(&self, path: &Path) -> Option<PathBuf>;
}

/// Files larger than this are refused rather than read (a Terragrunt file is kilobytes).
pub const MAX_FILE_BYTES: u64 = 64 * 1024 * 1024;

/// How many symbolic links one resolution follows (Linux's own limit).
pub const MAX_LINKS: usize = 40;

/// Where a path leads (see [`resolve_below`]).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Resolved {
    /// The path with every link followed. When something on the way is missing, the
    /// missing rest is appended as written: where the path *would* lead, so a dangling
    /// link that points out of the root is still seen to point out.
    pub real: PathBuf,
    /// What is there, following links: `None` when nothing is; `Other` for a link loop.
    pub kind: Option<Kind>,
    /// How many leading components of `rest` lead to the first symbolic link met in it
    /// (`Some(1)`: the first component is a link).
    pub first_link: Option<usize>,
}

/// Follows `rest` (relative, cleaned) from `base`, a directory's real location,
/// resolving symbolic links component by component as the operating system does: a
/// link's target is read and walked from the link's real directory (or from `/`), and
/// `..` in a target steps up from the real location. Iterative; at most [`MAX_LINKS`]
/// links are followed.
pub fn resolve_below(fs: &dyn Fs, base: &Path, rest: &Path) -> Resolved {
    let mut cur = base.to_path_buf();
    // What is still to walk, as a stack (next on top), each with its position in `rest`
    // when it comes from `rest` rather than from a link's target.
    let mut todo: Vec<(OsString, Option<usize>)> = Vec::new();
    let mut n = 0;
    for c in rest.components() {
        match c {
            Component::Normal(s) => {
                n += 1;
                todo.push((s.to_os_string(), Some(n)));
            }
            Component::ParentDir => {
                n += 1;
                todo.push(("..".into(), Some(n)));
            }
            _ => {}
        }
    }
    if todo.is_empty() {
        // `base` is a real location: no link to follow there.
        return Resolved {
            kind: fs.lkind(base).ok(),
            real: cur,
            first_link: None,
        };
    }
    todo.reverse();
    let mut kind = Some(Kind::Dir);
    let mut hops = 0;
    let mut first_link = None;
    while let Some((name, from)) = todo.pop() {
        if name == ".." {
            // Only a directory has a parent entry; below anything else nothing exists.
            if kind != Some(Kind::Dir) {
                kind = None;
            }
            cur.pop();
            continue;
        }
        if kind != Some(Kind::Dir) {
            kind = None;
            cur.push(&name);
            continue;
        }
        let next = cur.join(&name);
        match fs.lkind(&next) {
            Ok(Kind::Link) => {
                if first_link.is_none() {
                    first_link = from;
                }
                hops += 1;
                let target = match fs.read_link(&next) {
                    Ok(t) if hops <= MAX_LINKS => t,
                    Ok(_) => {
                        cur = next;
                        kind = Some(Kind::Other);
                        for (rest, _) in todo.into_iter().rev() {
                            cur.push(rest);
                        }
                        return Resolved {
                            real: cur,
                            kind,
                            first_link,
                        };
                    }
                    Err(_) => {
                        cur = next;
                        kind = None;
                        continue;
                    }
                };
                if target.is_absolute() {
                    cur = PathBuf::from("/");
                }
                for c in target.components().rev() {
                    match c {
                        Component::Normal(s) => todo.push((s.to_os_string(), None)),
                        Component::ParentDir => todo.push(("..".into(), None)),
                        _ => {}
                    }
                }
            }
            Ok(k) => {
                cur = next;
                kind = Some(k);
            }
            Err(_) => {
                cur = next;
                kind = None;
            }
        }
    }
    Resolved {
        real: cur,
        kind,
        first_link,
    }
}

/// The real disk.
#[derive(Clone, Copy, Debug, Default)]
pub struct DiskFs;

fn kind_of(t: std::fs::FileType) -> Kind {
    if t.is_symlink() {
        Kind::Link
    } else if t.is_file() {
        Kind::File
    } else if t.is_dir() {
        Kind::Dir
    } else {
        Kind::Other
    }
}

impl Fs for DiskFs {
    fn read(&self, path: &Path, within: Option<&Path>) -> Result<Vec<u8>, FsError> {
        disk::read(path, within)
    }

    fn read_dir(
        &self,
        path: &Path,
        within: Option<&Path>,
    ) -> Result<Vec<(OsString, Kind)>, FsError> {
        let mut out = disk::read_dir(path, within)?;
        out.sort();
        Ok(out)
    }

    fn kind(&self, path: &Path) -> Option<Kind> {
        std::fs::metadata(path).ok().map(|m| kind_of(m.file_type()))
    }

    fn lkind(&self, path: &Path) -> io::Result<Kind> {
        std::fs::symlink_metadata(path).map(|m| kind_of(m.file_type()))
    }

    fn read_link(&self, path: &Path) -> io::Result<PathBuf> {
        std::fs::read_link(path)
    }

    fn dir_id(&self, path: &Path) -> Option<(u64, u64)> {
        let m = std::fs::metadata(path).ok()?;
        if !m.is_dir() {
            return None;
        }
        disk::id(&m)
    }

    fn canonicalize(&self, path: &Path) -> Option<PathBuf> {
        std::fs::canonicalize(path).ok()
    }
}

/// The disk's opening methods (see the module documentation).
#[cfg(unix)]
mod disk {
    use super::{FsError, Kind, MAX_FILE_BYTES, kind_of};
    use std::ffi::OsString;
    use std::fs::{File, Metadata, OpenOptions};
    use std::io::Read;
    use std::os::fd::AsRawFd;
    use std::os::unix::fs::{FileTypeExt, MetadataExt, OpenOptionsExt};
    use std::path::{Path, PathBuf};

    pub fn id(m: &Metadata) -> Option<(u64, u64)> {
        Some((m.dev(), m.ino()))
    }

    fn same(a: &Metadata, b: &Metadata) -> bool {
        a.dev() == b.dev() && a.ino() == b.ino()
    }

    /// Opens `path` for looking at, not reading: `O_PATH` on Linux (no device is opened,
    /// nothing blocks, no read permission is needed); elsewhere a non-blocking read-only
    /// open that never takes a controlling terminal.
    fn open_probe(path: &Path) -> Result<File, FsError> {
        let mut o = OpenOptions::new();
        o.read(true);
        #[cfg(any(target_os = "linux", target_os = "android"))]
        o.custom_flags(libc::O_PATH);
        #[cfg(not(any(target_os = "linux", target_os = "android")))]
        o.custom_flags(libc::O_NONBLOCK | libc::O_NOCTTY);
        Ok(o.open(path)?)
    }

    /// `/proc/self/fd/<fd>` of an open handle, when procfs can say where it is.
    fn fd_link(f: &File) -> Option<(PathBuf, PathBuf)> {
        if !cfg!(any(target_os = "linux", target_os = "android")) {
            return None;
        }
        let link = PathBuf::from(format!("/proc/self/fd/{}", f.as_raw_fd()));
        let real = std::fs::read_link(&link).ok()?;
        real.is_absolute().then_some((link, real))
    }

    /// Checks that the handle `f` (opened from `path`, with metadata `m`) lies under
    /// `within`. With procfs: the kernel's own record of the handle's path. Without: the
    /// canonical path must lie under `within` and be the very file the handle holds.
    fn check_within(
        path: &Path,
        m: &Metadata,
        within: &Path,
        fd: &Option<(PathBuf, PathBuf)>,
    ) -> Result<(), FsError> {
        if let Some((_, real)) = fd {
            return if real.starts_with(within) {
                Ok(())
            } else {
                Err(FsError::Outside)
            };
        }
        let canonical = std::fs::canonicalize(path)?;
        if !canonical.starts_with(within) {
            return Err(FsError::Outside);
        }
        let there = std::fs::metadata(&canonical)?;
        if same(&there, m) {
            Ok(())
        } else {
            Err(FsError::Outside)
        }
    }

    fn not_regular(m: &Metadata) -> FsError {
        let t = m.file_type();
        if t.is_dir() {
            return FsError::Other("is a directory".into());
        }
        let what = if t.is_fifo() {
            "a named pipe"
        } else if t.is_socket() {
            "a socket"
        } else if t.is_block_device() || t.is_char_device() {
            "a device"
        } else {
            "not a file or directory"
        };
        FsError::Other(format!("is not a regular file (it is {what})"))
    }

    fn too_large() -> FsError {
        FsError::Other(format!(
            "is larger than {} MiB",
            MAX_FILE_BYTES / (1024 * 1024)
        ))
    }

    pub fn read(path: &Path, within: Option<&Path>) -> Result<Vec<u8>, FsError> {
        read_with(path, within, true)
    }

    /// `read`, with `use_proc = false` standing for a system without procfs.
    pub(super) fn read_with(
        path: &Path,
        within: Option<&Path>,
        use_proc: bool,
    ) -> Result<Vec<u8>, FsError> {
        let probe = open_probe(path)?;
        let fd = fd_link(&probe).filter(|_| use_proc);
        let m = probe.metadata()?;
        // Where it is comes first: outside the root, not even its kind is told.
        if let Some(w) = within {
            check_within(path, &m, w, &fd)?;
        }
        if !m.is_file() {
            return Err(not_regular(&m));
        }
        if m.len() > MAX_FILE_BYTES {
            return Err(too_large());
        }
        // Linux: reopen the checked handle itself for reading. Elsewhere the probe is
        // already open for reading.
        let file = if cfg!(any(target_os = "linux", target_os = "android")) {
            let open = |from: &Path| {
                OpenOptions::new()
                    .read(true)
                    .custom_flags(libc::O_NONBLOCK | libc::O_NOCTTY)
                    .open(from)
            };
            match &fd {
                // The magic link opens the checked inode itself.
                Some((link, _)) => open(link)?,
                // No procfs: reopen by path and make sure it is still the checked file.
                None => {
                    let f = open(path)?;
                    let again = f.metadata()?;
                    if !same(&again, &m) {
                        return Err(FsError::Outside);
                    }
                    f
                }
            }
        } else {
            probe
        };
        // Room for the whole file and one byte more, so a file that grew is noticed and
        // the read needs no probing.
        let mut buf = Vec::with_capacity(m.len() as usize + 1);
        (&file).take(MAX_FILE_BYTES + 1).read_to_end(&mut buf)?;
        if buf.len() as u64 > MAX_FILE_BYTES {
            return Err(too_large());
        }
        Ok(buf)
    }

    pub fn read_dir(path: &Path, within: Option<&Path>) -> Result<Vec<(OsString, Kind)>, FsError> {
        read_dir_with(path, within, true)
    }

    /// `read_dir`, with `use_proc = false` standing for a system without procfs.
    pub(super) fn read_dir_with(
        path: &Path,
        within: Option<&Path>,
        use_proc: bool,
    ) -> Result<Vec<(OsString, Kind)>, FsError> {
        let probe = open_probe(path)?;
        let fd = fd_link(&probe).filter(|_| use_proc);
        let m = probe.metadata()?;
        if let Some(w) = within {
            check_within(path, &m, w, &fd)?;
        }
        if !m.is_dir() {
            return Err(FsError::Other("is not a directory".into()));
        }
        // With procfs the listing goes through the checked handle; without, through the
        // path, checked again afterwards.
        let from = match &fd {
            Some((link, _)) => link.clone(),
            None => path.to_path_buf(),
        };
        let mut out = Vec::new();
        for entry in std::fs::read_dir(&from)? {
            let entry = entry?;
            let kind = entry.file_type().map(kind_of).unwrap_or(Kind::Other);
            out.push((entry.file_name(), kind));
        }
        if fd.is_none() {
            let after = std::fs::metadata(path)?;
            if !same(&after, &m) {
                return Err(FsError::Outside);
            }
            if let Some(w) = within {
                check_within(path, &after, w, &fd)?;
            }
        }
        Ok(out)
    }
}

/// Without Unix, only the portable check: the canonical path must lie under `within`.
#[cfg(not(unix))]
mod disk {
    use super::{FsError, Kind, MAX_FILE_BYTES, kind_of};
    use std::ffi::OsString;
    use std::io::Read;
    use std::path::Path;

    pub fn id(_: &std::fs::Metadata) -> Option<(u64, u64)> {
        None
    }

    fn check(path: &Path, within: Option<&Path>) -> Result<(), FsError> {
        if let Some(w) = within {
            let c = std::fs::canonicalize(path)?;
            if !c.starts_with(w) {
                return Err(FsError::Outside);
            }
        }
        Ok(())
    }

    pub fn read(path: &Path, within: Option<&Path>) -> Result<Vec<u8>, FsError> {
        check(path, within)?;
        let f = std::fs::File::open(path)?;
        let m = f.metadata()?;
        if m.is_dir() {
            return Err(FsError::Other("is a directory".into()));
        }
        if !m.is_file() {
            return Err(FsError::Other("is not a regular file".into()));
        }
        let mut buf = Vec::new();
        (&f).take(MAX_FILE_BYTES + 1).read_to_end(&mut buf)?;
        if buf.len() as u64 > MAX_FILE_BYTES {
            return Err(FsError::Other(format!(
                "is larger than {} MiB",
                MAX_FILE_BYTES / (1024 * 1024)
            )));
        }
        Ok(buf)
    }

    pub fn read_dir(path: &Path, within: Option<&Path>) -> Result<Vec<(OsString, Kind)>, FsError> {
        check(path, within)?;
        let mut out = Vec::new();
        for entry in std::fs::read_dir(path)? {
            let entry = entry?;
            let kind = entry.file_type().map(kind_of).unwrap_or(Kind::Other);
            out.push((entry.file_name(), kind));
        }
        Ok(out)
    }
}

/// An in-memory tree for tests. Paths are absolute; directories exist implicitly.
/// Symbolic links (`link`) resolve as on disk; failures can be injected per path.
#[derive(Clone, Debug, Default)]
pub struct MemFs {
    files: BTreeMap<PathBuf, Arc<[u8]>>,
    failing: BTreeMap<PathBuf, String>,
    special: BTreeMap<PathBuf, Kind>,
    links: BTreeMap<PathBuf, PathBuf>,
    failing_dirs: BTreeMap<PathBuf, String>,
}

impl MemFs {
    pub fn new() -> MemFs {
        MemFs::default()
    }

    /// Adds a file.
    pub fn file(mut self, path: impl Into<PathBuf>, contents: impl AsRef<[u8]>) -> MemFs {
        self.files
            .insert(path.into(), Arc::from(contents.as_ref().to_vec()));
        self
    }

    /// Adds a file whose reads fail with `message` (an unreadable file).
    pub fn failing(mut self, path: impl Into<PathBuf>, message: &str) -> MemFs {
        let p = path.into();
        self.files.insert(p.clone(), Arc::from(Vec::new()));
        self.failing.insert(p, message.to_string());
        self
    }

    /// Adds something that is neither file nor directory (a FIFO, say).
    pub fn special(mut self, path: impl Into<PathBuf>) -> MemFs {
        self.special.insert(path.into(), Kind::Other);
        self
    }

    /// Adds a symbolic link at `path` to `target` (absolute, or relative to the link's
    /// directory; it need not exist).
    pub fn link(mut self, path: impl Into<PathBuf>, target: impl Into<PathBuf>) -> MemFs {
        self.links.insert(path.into(), target.into());
        self
    }

    /// Adds a directory that cannot be listed (as `chmod 000` does to a non-root user).
    pub fn failing_dir(mut self, path: impl Into<PathBuf>, message: &str) -> MemFs {
        self.failing_dirs.insert(path.into(), message.to_string());
        self
    }

    fn keys(&self) -> impl Iterator<Item = &PathBuf> {
        self.files
            .keys()
            .chain(self.special.keys())
            .chain(self.links.keys())
            .chain(self.failing_dirs.keys())
    }

    fn has_below<V>(map: &BTreeMap<PathBuf, V>, path: &Path) -> bool {
        use std::ops::Bound;
        // Descendants sort right after their ancestor (paths compare by component).
        map.range::<Path, _>((Bound::Excluded(path), Bound::Unbounded))
            .next()
            .is_some_and(|(k, _)| k.starts_with(path))
    }

    fn resolve(&self, path: &Path) -> Option<Resolved> {
        let rest = path.strip_prefix("/").ok()?;
        Some(resolve_below(self, Path::new("/"), rest))
    }
}

impl Fs for MemFs {
    fn read(&self, path: &Path, within: Option<&Path>) -> Result<Vec<u8>, FsError> {
        let r = self.resolve(path).ok_or(FsError::NotFound)?;
        let Some(kind) = r.kind else {
            return Err(FsError::NotFound);
        };
        if within.is_some_and(|w| !r.real.starts_with(w)) {
            return Err(FsError::Outside);
        }
        if let Some(m) = self.failing.get(&r.real) {
            return Err(FsError::Other(m.clone()));
        }
        match kind {
            Kind::File => Ok(self
                .files
                .get(&r.real)
                .map(|b| b.to_vec())
                .unwrap_or_default()),
            Kind::Dir => Err(FsError::Other("is a directory".into())),
            Kind::Other | Kind::Link => Err(FsError::Other("is not a regular file".into())),
        }
    }

    fn read_dir(
        &self,
        path: &Path,
        within: Option<&Path>,
    ) -> Result<Vec<(OsString, Kind)>, FsError> {
        let r = self.resolve(path).ok_or(FsError::NotFound)?;
        let Some(kind) = r.kind else {
            return Err(FsError::NotFound);
        };
        if within.is_some_and(|w| !r.real.starts_with(w)) {
            return Err(FsError::Outside);
        }
        if kind != Kind::Dir {
            return Err(FsError::Other("is not a directory".into()));
        }
        if let Some(m) = self.failing_dirs.get(&r.real) {
            return Err(FsError::Other(m.clone()));
        }
        let mut out: BTreeMap<OsString, Kind> = BTreeMap::new();
        for p in self.keys() {
            if let Ok(rest) = p.strip_prefix(&r.real) {
                let mut comps = rest.components();
                if let Some(first) = comps.next() {
                    let name = first.as_os_str().to_os_string();
                    let kind = if comps.next().is_some() {
                        Kind::Dir
                    } else {
                        self.lkind(p).unwrap_or(Kind::Other)
                    };
                    out.insert(name, kind);
                }
            }
        }
        Ok(out.into_iter().collect())
    }

    fn kind(&self, path: &Path) -> Option<Kind> {
        self.resolve(path)?.kind
    }

    fn lkind(&self, path: &Path) -> io::Result<Kind> {
        if self.files.contains_key(path) {
            return Ok(Kind::File);
        }
        if self.links.contains_key(path) {
            return Ok(Kind::Link);
        }
        if let Some(k) = self.special.get(path) {
            return Ok(*k);
        }
        if path == Path::new("/")
            || self.failing_dirs.contains_key(path)
            || MemFs::has_below(&self.files, path)
            || MemFs::has_below(&self.special, path)
            || MemFs::has_below(&self.links, path)
            || MemFs::has_below(&self.failing_dirs, path)
        {
            return Ok(Kind::Dir);
        }
        Err(io::Error::new(io::ErrorKind::NotFound, "no such file"))
    }

    fn read_link(&self, path: &Path) -> io::Result<PathBuf> {
        self.links
            .get(path)
            .cloned()
            .ok_or_else(|| io::Error::new(io::ErrorKind::InvalidInput, "not a symbolic link"))
    }

    fn dir_id(&self, path: &Path) -> Option<(u64, u64)> {
        use std::hash::{Hash, Hasher};
        let r = self.resolve(path)?;
        if r.kind != Some(Kind::Dir) {
            return None;
        }
        let mut h = std::collections::hash_map::DefaultHasher::new();
        r.real.hash(&mut h);
        Some((0, h.finish()))
    }

    fn canonicalize(&self, path: &Path) -> Option<PathBuf> {
        let r = self.resolve(path)?;
        r.kind.map(|_| r.real)
    }
}

/// Remembers the answers of `kind`, `lkind` and `read_link` per path, so walks up the
/// tree (find_in_parent_folders, repository-root searches) and link resolution ask the
/// file system once per path per run. Opening methods are never cached.
pub struct CachedFs {
    inner: Arc<dyn Fs>,
    kinds: std::sync::RwLock<std::collections::HashMap<PathBuf, Option<Kind>>>,
    lkinds: std::sync::RwLock<std::collections::HashMap<PathBuf, Result<Kind, io::ErrorKind>>>,
    links: std::sync::RwLock<std::collections::HashMap<PathBuf, Option<PathBuf>>>,
}

impl CachedFs {
    pub fn new(inner: Arc<dyn Fs>) -> CachedFs {
        CachedFs {
            inner,
            kinds: Default::default(),
            lkinds: Default::default(),
            links: Default::default(),
        }
    }
}

fn memo<V: Clone>(
    map: &std::sync::RwLock<std::collections::HashMap<PathBuf, V>>,
    key: &Path,
    compute: impl FnOnce() -> V,
) -> V {
    if let Ok(m) = map.read()
        && let Some(v) = m.get(key)
    {
        return v.clone();
    }
    let v = compute();
    if let Ok(mut m) = map.write() {
        m.insert(key.to_path_buf(), v.clone());
    }
    v
}

impl Fs for CachedFs {
    fn read(&self, path: &Path, within: Option<&Path>) -> Result<Vec<u8>, FsError> {
        self.inner.read(path, within)
    }

    fn read_dir(
        &self,
        path: &Path,
        within: Option<&Path>,
    ) -> Result<Vec<(OsString, Kind)>, FsError> {
        self.inner.read_dir(path, within)
    }

    fn kind(&self, path: &Path) -> Option<Kind> {
        memo(&self.kinds, path, || self.inner.kind(path))
    }

    fn lkind(&self, path: &Path) -> io::Result<Kind> {
        memo(&self.lkinds, path, || {
            self.inner.lkind(path).map_err(|e| e.kind())
        })
        .map_err(io::Error::from)
    }

    fn read_link(&self, path: &Path) -> io::Result<PathBuf> {
        memo(&self.links, path, || self.inner.read_link(path).ok())
            .ok_or_else(|| io::Error::new(io::ErrorKind::InvalidInput, "not a symbolic link"))
    }

    fn dir_id(&self, path: &Path) -> Option<(u64, u64)> {
        self.inner.dir_id(path)
    }

    fn canonicalize(&self, path: &Path) -> Option<PathBuf> {
        self.inner.canonicalize(path)
    }
}

/// Lexically normalises a path: removes `.`, folds `..` (never above the root).
pub fn clean(path: &Path) -> PathBuf {
    // Fast path: an absolute path with no `.`/`..` segments, doubled or trailing slash.
    if let Some(s) = path.to_str()
        && s.starts_with('/')
        && !s.contains("/.")
        && !s.contains("//")
        && (s.len() == 1 || !s.ends_with('/'))
    {
        return path.to_path_buf();
    }
    let mut out = PathBuf::new();
    for c in path.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir => {
                if !out.pop() && !path.is_absolute() {
                    out.push("..");
                }
            }
            other => out.push(other.as_os_str()),
        }
    }
    if out.as_os_str().is_empty() {
        out.push(".");
    }
    out
}

/// A name for messages and structural output: UTF-8 as is, any other byte as `\xNN`
/// (`caf\xe9`), so a name that is not UTF-8 is shown, never mangled.
pub fn display_name(s: &OsStr) -> String {
    if let Some(s) = s.to_str() {
        return s.to_string();
    }
    #[cfg(unix)]
    {
        use std::fmt::Write;
        use std::os::unix::ffi::OsStrExt;
        let mut out = String::new();
        for chunk in s.as_bytes().utf8_chunks() {
            out.push_str(chunk.valid());
            for b in chunk.invalid() {
                let _ = write!(out, "\\x{b:02x}");
            }
        }
        out
    }
    #[cfg(not(unix))]
    {
        s.to_string_lossy().into_owned()
    }
}

/// A path relative to `base`, with `/` separators (`.` for `base` itself; `..` steps when
/// `path` is not below `base`). Names that are not UTF-8 are escaped ([`display_name`]).
pub fn relative(path: &Path, base: &Path) -> String {
    let p: Vec<_> = path.components().collect();
    let b: Vec<_> = base.components().collect();
    let common = p.iter().zip(&b).take_while(|(x, y)| x == y).count();
    let mut parts: Vec<String> = Vec::new();
    for _ in common..b.len() {
        parts.push("..".into());
    }
    for c in &p[common..] {
        parts.push(display_name(c.as_os_str()));
    }
    if parts.is_empty() {
        ".".into()
    } else {
        parts.join("/")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clean_and_relative() {
        assert_eq!(clean(Path::new("/a/b")), PathBuf::from("/a/b"));
        assert_eq!(clean(Path::new("/a/b/")), PathBuf::from("/a/b"));
        assert_eq!(clean(Path::new("/a//b")), PathBuf::from("/a/b"));
        assert_eq!(clean(Path::new("/a/.hidden/../b")), PathBuf::from("/a/b"));
        assert_eq!(clean(Path::new("/")), PathBuf::from("/"));
        assert_eq!(clean(Path::new("/a/b/../c/./d")), PathBuf::from("/a/c/d"));
        assert_eq!(clean(Path::new("/..")), PathBuf::from("/"));
        assert_eq!(relative(Path::new("/a/b/c"), Path::new("/a")), "b/c");
        assert_eq!(relative(Path::new("/a"), Path::new("/a/b/c")), "../..");
        assert_eq!(relative(Path::new("/a/x"), Path::new("/a/y")), "../x");
        assert_eq!(relative(Path::new("/a"), Path::new("/a")), ".");
    }

    #[cfg(unix)]
    #[test]
    fn names_that_are_not_utf8_are_escaped() {
        use std::os::unix::ffi::OsStrExt;
        let name = OsStr::from_bytes(b"caf\xe9");
        assert_eq!(display_name(name), "caf\\xe9");
        let p = Path::new("/r").join(name).join("terragrunt.hcl");
        assert_eq!(relative(&p, Path::new("/r")), "caf\\xe9/terragrunt.hcl");
    }

    /// The checks without procfs (canonical path and device/inode) refuse what the procfs
    /// checks refuse.
    #[cfg(unix)]
    #[test]
    fn disk_checks_agree_with_and_without_procfs() {
        let base = std::env::temp_dir().join(format!("tglint-fs-unit-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&base);
        let (root, out) = (base.join("root"), base.join("out"));
        std::fs::create_dir_all(root.join("d")).unwrap();
        std::fs::create_dir_all(&out).unwrap();
        std::fs::write(root.join("d/in.txt"), "in").unwrap();
        std::fs::write(out.join("secret.txt"), "secret").unwrap();
        std::os::unix::fs::symlink(out.join("secret.txt"), root.join("file-out")).unwrap();
        std::os::unix::fs::symlink(&out, root.join("dir-out")).unwrap();
        std::os::unix::fs::symlink("d/in.txt", root.join("file-in")).unwrap();
        let root = std::fs::canonicalize(&root).unwrap();
        for proc in [true, false] {
            let w = Some(root.as_path());
            assert_eq!(
                disk::read_with(&root.join("file-in"), w, proc),
                Ok(b"in".to_vec())
            );
            assert_eq!(
                disk::read_with(&root.join("file-out"), w, proc),
                Err(FsError::Outside)
            );
            assert_eq!(
                disk::read_with(&root.join("dir-out/secret.txt"), w, proc),
                Err(FsError::Outside)
            );
            assert_eq!(
                disk::read_dir_with(&root.join("dir-out"), w, proc),
                Err(FsError::Outside)
            );
            assert_eq!(
                disk::read_with(&root.join("d"), w, proc),
                Err(FsError::Other("is a directory".into()))
            );
            let listed = disk::read_dir_with(&root, w, proc).unwrap();
            assert!(
                listed.contains(&("dir-out".into(), Kind::Link)),
                "{listed:?}"
            );
            assert_eq!(
                disk::read_with(&root.join("file-out"), None, proc),
                Ok(b"secret".to_vec())
            );
        }
        let _ = std::fs::remove_dir_all(&base);
    }

    #[test]
    fn mem_fs_kinds_and_failures() {
        let fs = MemFs::new()
            .file("/r/a/terragrunt.hcl", "x")
            .failing("/r/locked.hcl", "permission denied")
            .special("/r/fifo");
        assert_eq!(fs.kind(Path::new("/r/a")), Some(Kind::Dir));
        assert_eq!(fs.kind(Path::new("/r/fifo")), Some(Kind::Other));
        assert!(fs.read(Path::new("/r/locked.hcl"), None).is_err());
        assert!(fs.read(Path::new("/r/fifo"), None).is_err());
        assert_eq!(
            fs.read_dir(Path::new("/r"), None).unwrap(),
            vec![
                ("a".into(), Kind::Dir),
                ("fifo".into(), Kind::Other),
                ("locked.hcl".into(), Kind::File)
            ]
        );
    }

    #[test]
    fn mem_fs_links_resolve_like_the_disk() {
        let fs = MemFs::new()
            .file("/r/a/x.hcl", "x")
            .file("/outside/secret", "s")
            .link("/r/up", "..")
            .link("/r/a/rel", "x.hcl")
            .link("/r/a/abs", "/outside/secret")
            .link("/r/a/chain", "rel")
            .link("/r/dangling", "/outside/nothing")
            .link("/r/loop1", "loop2")
            .link("/r/loop2", "loop1");
        let r = |p: &str| resolve_below(&fs, Path::new("/"), Path::new(p));
        assert_eq!(r("r/a/rel").real, PathBuf::from("/r/a/x.hcl"));
        assert_eq!(r("r/a/chain").real, PathBuf::from("/r/a/x.hcl"));
        assert_eq!(r("r/a/chain").kind, Some(Kind::File));
        assert_eq!(r("r/a/abs").real, PathBuf::from("/outside/secret"));
        assert_eq!(
            r("r/up/outside/secret").real,
            PathBuf::from("/outside/secret")
        );
        assert_eq!(r("r/up/outside/secret").first_link, Some(2));
        // A dangling link still shows where it points.
        let d = r("r/dangling/x");
        assert_eq!(
            (d.real, d.kind),
            (PathBuf::from("/outside/nothing/x"), None)
        );
        assert_eq!(r("r/loop1").kind, Some(Kind::Other));
        // Confined opens: the handle's real place decides.
        let within = Some(Path::new("/r"));
        assert_eq!(
            fs.read(Path::new("/r/a/abs"), within),
            Err(FsError::Outside)
        );
        assert_eq!(fs.read(Path::new("/r/a/chain"), within), Ok(b"x".to_vec()));
        assert_eq!(
            fs.read_dir(Path::new("/r/up"), within),
            Err(FsError::Outside)
        );
        assert_eq!(
            fs.lkind(Path::new("/r/up")).ok(),
            Some(Kind::Link),
            "links are listed as links"
        );
    }
}
