//! Memoised probes over another file system.

use super::{Fs, FsError, Kind};
use std::ffi::OsString;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::Arc;

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
