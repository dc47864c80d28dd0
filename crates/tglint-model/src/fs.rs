//! The file-system trait every read of the model goes through: the real disk in the CLI,
//! memory in tests. Only regular files are ever opened (a FIFO or device would hang or
//! stream forever).

use std::collections::BTreeMap;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::Arc;

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Kind {
    File,
    Dir,
    /// Anything else: FIFO, socket, device, dangling link.
    Other,
}

pub trait Fs: Send + Sync {
    /// The contents of a regular file. Anything else is an error, never opened.
    fn read(&self, path: &Path) -> io::Result<Vec<u8>>;
    /// What is at `path` (following links), or `None`.
    fn kind(&self, path: &Path) -> Option<Kind>;
    /// Directory entries with their kinds, sorted by name.
    fn read_dir(&self, path: &Path) -> io::Result<Vec<(String, Kind)>>;
}

/// Files larger than this are refused rather than read (a Terragrunt file is kilobytes).
pub const MAX_FILE_BYTES: u64 = 64 * 1024 * 1024;

/// The real disk.
#[derive(Clone, Copy, Debug, Default)]
pub struct DiskFs;

impl Fs for DiskFs {
    fn read(&self, path: &Path) -> io::Result<Vec<u8>> {
        let meta = std::fs::metadata(path)?;
        if !meta.is_file() {
            return Err(io::Error::other(if meta.is_dir() {
                "is a directory"
            } else {
                "is not a regular file"
            }));
        }
        if meta.len() > MAX_FILE_BYTES {
            return Err(io::Error::other(format!(
                "is larger than {} MiB",
                MAX_FILE_BYTES / (1024 * 1024)
            )));
        }
        std::fs::read(path)
    }

    fn kind(&self, path: &Path) -> Option<Kind> {
        let meta = std::fs::metadata(path).ok()?;
        Some(if meta.is_file() {
            Kind::File
        } else if meta.is_dir() {
            Kind::Dir
        } else {
            Kind::Other
        })
    }

    fn read_dir(&self, path: &Path) -> io::Result<Vec<(String, Kind)>> {
        let mut out = Vec::new();
        for entry in std::fs::read_dir(path)? {
            let entry = entry?;
            let name = entry.file_name().to_string_lossy().into_owned();
            // The entry's own type needs no extra system call; only links are followed.
            let kind = match entry.file_type() {
                Ok(t) if t.is_file() => Kind::File,
                Ok(t) if t.is_dir() => Kind::Dir,
                Ok(t) if t.is_symlink() => self.kind(&entry.path()).unwrap_or(Kind::Other),
                _ => Kind::Other,
            };
            out.push((name, kind));
        }
        out.sort();
        Ok(out)
    }
}

/// An in-memory tree for tests. Paths are absolute; directories exist implicitly.
/// Failures can be injected per path.
#[derive(Clone, Debug, Default)]
pub struct MemFs {
    files: BTreeMap<PathBuf, Arc<[u8]>>,
    failing: BTreeMap<PathBuf, String>,
    special: BTreeMap<PathBuf, Kind>,
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
}

impl Fs for MemFs {
    fn read(&self, path: &Path) -> io::Result<Vec<u8>> {
        if let Some(m) = self.failing.get(path) {
            return Err(io::Error::new(io::ErrorKind::PermissionDenied, m.clone()));
        }
        match self.kind(path) {
            Some(Kind::File) => Ok(self.files.get(path).map(|b| b.to_vec()).unwrap_or_default()),
            Some(Kind::Dir) => Err(io::Error::other("is a directory")),
            Some(Kind::Other) => Err(io::Error::other("is not a regular file")),
            None => Err(io::Error::new(io::ErrorKind::NotFound, "no such file")),
        }
    }

    fn kind(&self, path: &Path) -> Option<Kind> {
        if self.files.contains_key(path) {
            return Some(Kind::File);
        }
        if let Some(k) = self.special.get(path) {
            return Some(*k);
        }
        let is_dir = self
            .files
            .keys()
            .chain(self.special.keys())
            .any(|p| p.starts_with(path) && p != path);
        is_dir.then_some(Kind::Dir)
    }

    fn read_dir(&self, path: &Path) -> io::Result<Vec<(String, Kind)>> {
        let mut out: BTreeMap<String, Kind> = BTreeMap::new();
        for p in self.files.keys().chain(self.special.keys()) {
            if let Ok(rest) = p.strip_prefix(path) {
                let mut comps = rest.components();
                if let Some(first) = comps.next() {
                    let name = first.as_os_str().to_string_lossy().into_owned();
                    let kind = if comps.next().is_some() {
                        Kind::Dir
                    } else {
                        self.kind(p).unwrap_or(Kind::Other)
                    };
                    out.insert(name, kind);
                }
            }
        }
        if out.is_empty() && self.kind(path) != Some(Kind::Dir) {
            return Err(io::Error::new(io::ErrorKind::NotFound, "no such directory"));
        }
        Ok(out.into_iter().collect())
    }
}

/// Remembers what `kind` answered per path, so walks up the tree (find_in_parent_folders,
/// repository-root searches) ask the file system once per directory and name per run.
pub struct CachedFs {
    inner: std::sync::Arc<dyn Fs>,
    kinds: std::sync::RwLock<std::collections::HashMap<PathBuf, Option<Kind>>>,
}

impl CachedFs {
    pub fn new(inner: std::sync::Arc<dyn Fs>) -> CachedFs {
        CachedFs {
            inner,
            kinds: Default::default(),
        }
    }
}

impl Fs for CachedFs {
    fn read(&self, path: &Path) -> io::Result<Vec<u8>> {
        self.inner.read(path)
    }

    fn kind(&self, path: &Path) -> Option<Kind> {
        if let Ok(map) = self.kinds.read()
            && let Some(k) = map.get(path)
        {
            return *k;
        }
        let k = self.inner.kind(path);
        if let Ok(mut map) = self.kinds.write() {
            map.insert(path.to_path_buf(), k);
        }
        k
    }

    fn read_dir(&self, path: &Path) -> io::Result<Vec<(String, Kind)>> {
        self.inner.read_dir(path)
    }
}

/// Lexically normalises a path: removes `.`, folds `..` (never above the root).
pub fn clean(path: &Path) -> PathBuf {
    use std::path::Component;
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

/// A path relative to `base`, with `/` separators (`.` for `base` itself; `..` steps when
/// `path` is not below `base`).
pub fn relative(path: &Path, base: &Path) -> String {
    let p: Vec<_> = path.components().collect();
    let b: Vec<_> = base.components().collect();
    let common = p.iter().zip(&b).take_while(|(x, y)| x == y).count();
    let mut parts: Vec<String> = Vec::new();
    for _ in common..b.len() {
        parts.push("..".into());
    }
    for c in &p[common..] {
        parts.push(c.as_os_str().to_string_lossy().into_owned());
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

    #[test]
    fn mem_fs_kinds_and_failures() {
        let fs = MemFs::new()
            .file("/r/a/terragrunt.hcl", "x")
            .failing("/r/locked.hcl", "permission denied")
            .special("/r/fifo");
        assert_eq!(fs.kind(Path::new("/r/a")), Some(Kind::Dir));
        assert_eq!(fs.kind(Path::new("/r/fifo")), Some(Kind::Other));
        assert!(fs.read(Path::new("/r/locked.hcl")).is_err());
        assert!(fs.read(Path::new("/r/fifo")).is_err());
        assert_eq!(
            fs.read_dir(Path::new("/r")).unwrap(),
            vec![
                ("a".to_string(), Kind::Dir),
                ("fifo".to_string(), Kind::Other),
                ("locked.hcl".to_string(), Kind::File)
            ]
        );
    }
}
