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

use std::ffi::{OsStr, OsString};
use std::fmt;
use std::io;
use std::path::{Component, Path, PathBuf};

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
    /// The file is larger than [`MAX_FILE_BYTES`]; it was not read.
    TooLarge,
    /// Anything else, worded to follow "cannot read the file: " (`is a directory`, …).
    Other(String),
}

impl fmt::Display for FsError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            FsError::NotFound => f.write_str("no such file or directory"),
            FsError::Outside => f.write_str("it resolves outside the scanned root"),
            FsError::TooLarge => write!(f, "is larger than {} MiB", MAX_FILE_BYTES / (1024 * 1024)),
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
    /// [`Fs::read`] of a file that a listing made through this `Fs` showed as a regular
    /// file (not a link): an implementation may take a cheaper path that keeps the same
    /// confinement. Whatever the cheaper path cannot settle goes to [`Fs::read`], so the
    /// answer is `read`'s.
    fn read_listed(&self, path: &Path, within: Option<&Path>) -> Result<Vec<u8>, FsError> {
        self.read(path, within)
    }
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
    /// Whether this is a [`CachedFs`], which a source cache need not wrap again.
    fn is_cached(&self) -> bool {
        false
    }
}

/// The disk, its probes remembered and its listings kept ([`CachedFs`]): what the
/// commands run on, so that discovery's listings answer the probes of resolution.
pub fn disk() -> std::sync::Arc<dyn Fs> {
    std::sync::Arc::new(CachedFs::new(std::sync::Arc::new(DiskFs)))
}

/// Files larger than this are refused rather than read (a Terragrunt file is kilobytes):
/// 16 MiB, documented in docs/security.md. Every `Fs` answers [`FsError::TooLarge`].
pub const MAX_FILE_BYTES: u64 = 16 * 1024 * 1024;

/// How many symbolic links one resolution follows (Linux's own limit).
pub const MAX_LINKS: usize = 40;

mod cached;
mod disk;
mod mem;
mod resolve;

pub use cached::CachedFs;
pub use disk::DiskFs;
pub use mem::MemFs;
pub use resolve::{Resolved, resolve_below};

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
}
