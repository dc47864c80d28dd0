//! An in-memory file system for tests, with links and injected failures.

use super::{Fs, FsError, Kind, Resolved, resolve_below};
use std::collections::BTreeMap;
use std::ffi::OsString;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::Arc;

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
            Kind::File => {
                let bytes = self
                    .files
                    .get(&r.real)
                    .map(|b| b.to_vec())
                    .unwrap_or_default();
                if bytes.len() as u64 > super::MAX_FILE_BYTES {
                    return Err(FsError::TooLarge);
                }
                Ok(bytes)
            }
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

#[cfg(test)]
mod tests {
    use super::*;

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
