//! Memoised probes over another file system.

use super::{Fs, FsError, Kind};
use std::ffi::OsString;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// Remembers the answers of `kind`, `lkind` and `read_link` per path, so walks up the
/// tree (find_in_parent_folders, repository-root searches) and link resolution ask the
/// file system once per path per run. Opening methods are never cached.
///
/// It also keeps every directory listing it has made (discovery lists each directory of
/// the tree through it): a probe of a name in a listed directory is answered from the
/// listing, with no system call and no memo entry of its own. Most probes of a run are
/// misses (`find_in_parent_folders` climbing, `terragrunt.values.hcl` beside each unit),
/// one path per unit each, which would otherwise each cost a `statx` and an entry.
pub struct CachedFs {
    inner: Arc<dyn Fs>,
    // Keyed by the path's bytes (hashing a `Path` walks its components): a path spelt
    // another way is another key, and only a miss.
    listings: std::sync::RwLock<std::collections::HashMap<OsString, Listing>>,
    kinds: std::sync::RwLock<std::collections::HashMap<OsString, Option<Kind>>>,
    lkinds: std::sync::RwLock<std::collections::HashMap<OsString, Result<Kind, io::ErrorKind>>>,
    links: std::sync::RwLock<std::collections::HashMap<OsString, Option<PathBuf>>>,
}

impl CachedFs {
    pub fn new(inner: Arc<dyn Fs>) -> CachedFs {
        CachedFs {
            inner,
            listings: Default::default(),
            kinds: Default::default(),
            lkinds: Default::default(),
            links: Default::default(),
        }
    }

    /// What the listing of `path`'s directory says is at `path` itself (links not
    /// followed): `Some(None)` when it is known not to exist, `None` when the directory was
    /// not listed, the listing cannot tell, or `path` does not end in a plain name (a
    /// trailing `/` or `.` would follow a final link).
    fn listed(&self, path: &Path) -> Option<Option<Kind>> {
        let bytes = path.as_os_str().as_encoded_bytes();
        if bytes.ends_with(b"/") || bytes.ends_with(b"/.") {
            return None;
        }
        let Some(std::path::Component::Normal(name)) = path.components().next_back() else {
            return None;
        };
        let parent = path.parent()?;
        let listings = self.listings.read().ok()?;
        listings.get(parent.as_os_str())?.get(name)
    }
}

fn memo<V: Clone>(
    map: &std::sync::RwLock<std::collections::HashMap<OsString, V>>,
    key: &Path,
    compute: impl FnOnce() -> V,
) -> V {
    if let Ok(m) = map.read()
        && let Some(v) = m.get(key.as_os_str())
    {
        return v.clone();
    }
    let v = compute();
    if let Ok(mut m) = map.write() {
        m.insert(key.as_os_str().to_os_string(), v.clone());
    }
    v
}

/// A directory's entries, sorted by name, each with its own kind (links not followed).
struct Listing {
    entries: Box<[(OsString, Kind)]>,
    /// The names in ASCII lower case, sorted, when every name is ASCII: a name that is not
    /// in the listing is known to be absent only if no name matches it but for case (on a
    /// case-insensitive file system, macOS's by default, it would be found). With a
    /// non-ASCII name (Unicode folding, normalisation) nothing absent is known.
    folded: Option<Box<[Vec<u8>]>>,
}

impl Listing {
    fn new(mut entries: Vec<(OsString, Kind)>) -> Listing {
        entries.sort_by(|a, b| a.0.cmp(&b.0));
        entries.dedup_by(|a, b| a.0 == b.0);
        let folded = entries
            .iter()
            .map(|(n, _)| {
                let b = n.as_encoded_bytes();
                b.is_ascii().then(|| b.to_ascii_lowercase())
            })
            .collect::<Option<Vec<_>>>()
            .map(|mut f| {
                f.sort();
                f.into_boxed_slice()
            });
        Listing {
            entries: entries.into_boxed_slice(),
            folded,
        }
    }

    /// `Some(kind)` of the entry `name`; `Some(None)` when it is known not to exist;
    /// `None` when the listing cannot tell.
    fn get(&self, name: &std::ffi::OsStr) -> Option<Option<Kind>> {
        if let Ok(i) = self
            .entries
            .binary_search_by(|(n, _)| n.as_os_str().cmp(name))
        {
            return match self.entries[i].1 {
                // Another kind could be what a listing cannot type: ask the system.
                Kind::Other => None,
                k => Some(Some(k)),
            };
        }
        let b = name.as_encoded_bytes();
        let folded = self.folded.as_ref()?;
        if !b.is_ascii() || folded.binary_search(&b.to_ascii_lowercase()).is_ok() {
            return None;
        }
        Some(None)
    }
}

impl Fs for CachedFs {
    fn read(&self, path: &Path, within: Option<&Path>) -> Result<Vec<u8>, FsError> {
        if self.listed(path) == Some(Some(Kind::File)) {
            return self.inner.read_listed(path, within);
        }
        self.inner.read(path, within)
    }

    fn read_listed(&self, path: &Path, within: Option<&Path>) -> Result<Vec<u8>, FsError> {
        self.inner.read_listed(path, within)
    }

    fn read_dir(
        &self,
        path: &Path,
        within: Option<&Path>,
    ) -> Result<Vec<(OsString, Kind)>, FsError> {
        let entries = self.inner.read_dir(path, within)?;
        let listing = Listing::new(entries.clone());
        if let Ok(mut m) = self.listings.write() {
            m.insert(path.as_os_str().to_os_string(), listing);
        }
        Ok(entries)
    }

    fn kind(&self, path: &Path) -> Option<Kind> {
        match self.listed(path) {
            Some(None) => return None,
            Some(Some(k @ (Kind::File | Kind::Dir))) => return Some(k),
            // A link is followed by asking the system.
            _ => {}
        }
        memo(&self.kinds, path, || self.inner.kind(path))
    }

    fn lkind(&self, path: &Path) -> io::Result<Kind> {
        if let Some(listed) = self.listed(path) {
            return listed.ok_or_else(|| io::Error::from(io::ErrorKind::NotFound));
        }
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

    fn is_cached(&self) -> bool {
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fs::MemFs;
    use std::sync::atomic::{AtomicUsize, Ordering};

    /// MemFs, counting the probes that reach it.
    struct Counting(MemFs, AtomicUsize);

    impl Fs for Counting {
        fn read(&self, path: &Path, within: Option<&Path>) -> Result<Vec<u8>, FsError> {
            self.0.read(path, within)
        }
        fn read_dir(
            &self,
            path: &Path,
            within: Option<&Path>,
        ) -> Result<Vec<(OsString, Kind)>, FsError> {
            self.0.read_dir(path, within)
        }
        fn kind(&self, path: &Path) -> Option<Kind> {
            self.1.fetch_add(1, Ordering::SeqCst);
            self.0.kind(path)
        }
        fn lkind(&self, path: &Path) -> io::Result<Kind> {
            self.1.fetch_add(1, Ordering::SeqCst);
            self.0.lkind(path)
        }
        fn read_link(&self, path: &Path) -> io::Result<PathBuf> {
            self.0.read_link(path)
        }
        fn dir_id(&self, path: &Path) -> Option<(u64, u64)> {
            self.0.dir_id(path)
        }
        fn canonicalize(&self, path: &Path) -> Option<PathBuf> {
            self.0.canonicalize(path)
        }
    }

    fn cached(fs: MemFs) -> (Arc<Counting>, CachedFs) {
        let inner = Arc::new(Counting(fs, AtomicUsize::new(0)));
        (inner.clone(), CachedFs::new(inner))
    }

    #[test]
    fn a_listed_directory_answers_probes_without_asking_the_system() {
        let (inner, fs) = cached(
            MemFs::new()
                .file("/r/env.hcl", "x")
                .file("/r/a/terragrunt.hcl", "x")
                .link("/r/up", ".."),
        );
        let asked = || inner.1.load(Ordering::SeqCst);
        fs.read_dir(Path::new("/r"), None).unwrap();
        assert_eq!(fs.lkind(Path::new("/r/env.hcl")).unwrap(), Kind::File);
        assert_eq!(fs.kind(Path::new("/r/a")), Some(Kind::Dir));
        assert_eq!(fs.lkind(Path::new("/r/up")).unwrap(), Kind::Link);
        let miss = fs.lkind(Path::new("/r/region.hcl")).unwrap_err();
        assert_eq!(miss.kind(), io::ErrorKind::NotFound);
        assert_eq!(fs.kind(Path::new("/r/region.hcl")), None);
        assert_eq!(asked(), 0, "every answer came from the listing");
        // A link is followed by the system; an unlisted directory is asked.
        assert_eq!(fs.kind(Path::new("/r/up")), Some(Kind::Dir));
        assert_eq!(asked(), 1);
        assert_eq!(fs.kind(Path::new("/r/a/terragrunt.hcl")), Some(Kind::File));
        assert_eq!(asked(), 2);
    }

    #[test]
    fn what_a_listing_cannot_tell_is_asked() {
        let (inner, fs) = cached(
            MemFs::new()
                .file("/r/env.hcl", "x")
                .file("/r/x/caf\u{e9}.hcl", "x"),
        );
        let asked = || inner.1.load(Ordering::SeqCst);
        fs.read_dir(Path::new("/r"), None).unwrap();
        fs.read_dir(Path::new("/r/x"), None).unwrap();
        // A name that differs only in case could be the same file on a case-insensitive
        // file system.
        assert!(fs.lkind(Path::new("/r/ENV.hcl")).is_err());
        assert_eq!(asked(), 1);
        // Not a plain last name: a trailing slash follows a final link, `..` leaves.
        let _ = fs.lkind(Path::new("/r/env.hcl/"));
        let _ = fs.lkind(Path::new("/r/x/.."));
        assert_eq!(asked(), 3);
        // A directory with a non-ASCII name knows what it holds, not what it lacks.
        assert_eq!(
            fs.lkind(Path::new("/r/x/caf\u{e9}.hcl")).unwrap(),
            Kind::File
        );
        assert_eq!(asked(), 3);
        assert!(fs.lkind(Path::new("/r/x/other.hcl")).is_err());
        assert_eq!(asked(), 4);
    }
}
