//! The narrow interface through which file functions read. `tglint-hcl` does no IO of its
//! own: the model implements this over its source cache and enforces the scanned root.

use std::path::Path;
use std::sync::Arc;

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum FileError {
    /// No such file or directory.
    NotFound,
    /// The path lies outside the scanned root (as written, or where it leads through a
    /// symbolic link) and reads there are not allowed.
    OutsideRoot,
    /// Exists but is not a regular file (or directory, for listings).
    NotRegular,
    /// Any other failure, with a message naming the cause.
    Other(String),
}

impl std::fmt::Display for FileError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            FileError::NotFound => f.write_str("no file exists at the given path"),
            FileError::OutsideRoot => {
                f.write_str("the path is outside the scanned root (see --allow-outside-root)")
            }
            FileError::NotRegular => f.write_str("the path is not a regular file"),
            FileError::Other(m) => f.write_str(m),
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum EntryKind {
    File,
    Dir,
    Other,
}

pub trait FileAccess: Send + Sync {
    /// The bytes of a regular file.
    fn read(&self, path: &Path) -> Result<Arc<[u8]>, FileError>;
    /// What is at `path`, if anything (`Err(OutsideRoot)` when refused).
    fn kind(&self, path: &Path) -> Result<Option<EntryKind>, FileError>;
    /// The entries of a directory, sorted by name.
    fn list_dir(&self, path: &Path) -> Result<Vec<(String, EntryKind)>, FileError>;
}

/// A `FileAccess` that has no files: every read is `NotFound`.
#[derive(Clone, Copy, Debug, Default)]
pub struct NoFiles;

impl FileAccess for NoFiles {
    fn read(&self, _: &Path) -> Result<Arc<[u8]>, FileError> {
        Err(FileError::NotFound)
    }
    fn kind(&self, _: &Path) -> Result<Option<EntryKind>, FileError> {
        Ok(None)
    }
    fn list_dir(&self, _: &Path) -> Result<Vec<(String, EntryKind)>, FileError> {
        Err(FileError::NotFound)
    }
}

/// An in-memory file set for tests: absolute paths to contents.
#[derive(Clone, Debug, Default)]
pub struct MemFiles {
    pub files: std::collections::BTreeMap<std::path::PathBuf, Arc<[u8]>>,
}

impl MemFiles {
    pub fn new() -> MemFiles {
        MemFiles::default()
    }

    pub fn with(mut self, path: &str, contents: impl AsRef<[u8]>) -> MemFiles {
        self.files
            .insert(path.into(), Arc::from(contents.as_ref().to_vec()));
        self
    }
}

impl FileAccess for MemFiles {
    fn read(&self, path: &Path) -> Result<Arc<[u8]>, FileError> {
        self.files.get(path).cloned().ok_or(FileError::NotFound)
    }
    fn kind(&self, path: &Path) -> Result<Option<EntryKind>, FileError> {
        if self.files.contains_key(path) {
            return Ok(Some(EntryKind::File));
        }
        if self.files.keys().any(|p| p.starts_with(path) && p != path) {
            return Ok(Some(EntryKind::Dir));
        }
        Ok(None)
    }
    fn list_dir(&self, path: &Path) -> Result<Vec<(String, EntryKind)>, FileError> {
        let mut out: std::collections::BTreeMap<String, EntryKind> = Default::default();
        for p in self.files.keys() {
            if let Ok(rest) = p.strip_prefix(path) {
                let mut comps = rest.components();
                if let Some(first) = comps.next() {
                    let name = first.as_os_str().to_string_lossy().into_owned();
                    let kind = if comps.next().is_some() {
                        EntryKind::Dir
                    } else {
                        EntryKind::File
                    };
                    out.insert(name, kind);
                }
            }
        }
        if out.is_empty() {
            return Err(FileError::NotFound);
        }
        Ok(out.into_iter().collect())
    }
}
