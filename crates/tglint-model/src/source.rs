//! The source cache: every file is read once and parsed once, however many units include
//! it, and every read is checked against the scanned root.

use crate::fs::{Fs, Kind, clean, relative};
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, OnceLock};
use tglint_hcl::hcl_edit::structure::Body;
use tglint_hcl::{EntryKind, FileAccess, FileError, FileId, LineIndex, ParseError, parse_body};

/// Why a file's text could not be had.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ReadError {
    NotFound,
    OutsideRoot,
    Io(String),
    Binary,
    NotUtf8 { offset: usize },
}

impl std::fmt::Display for ReadError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ReadError::NotFound => f.write_str("file not found"),
            ReadError::OutsideRoot => f.write_str(
                "the file is outside the scanned root and is not read (see --allow-outside-root)",
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
    /// Absolute and cleaned.
    pub path: PathBuf,
    /// Relative to the root, with `/` separators.
    pub rel: String,
    bytes: OnceLock<Result<Arc<[u8]>, ReadError>>,
    text: OnceLock<Result<Text, ReadError>>,
    body: OnceLock<Result<Arc<Body>, ParseError>>,
    parses: AtomicUsize,
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
    allow_outside: bool,
    by_path: Mutex<HashMap<PathBuf, FileId>>,
    files: Mutex<Vec<Arc<SourceFile>>>,
}

impl SourceCache {
    pub fn new(fs: Arc<dyn Fs>, root: &Path, allow_outside: bool) -> SourceCache {
        SourceCache {
            fs: Arc::new(crate::fs::CachedFs::new(fs)),
            root: clean(root),
            allow_outside,
            by_path: Mutex::new(HashMap::new()),
            files: Mutex::new(Vec::new()),
        }
    }

    pub fn root(&self) -> &Path {
        &self.root
    }

    pub fn fs(&self) -> &dyn Fs {
        &*self.fs
    }

    pub fn allows(&self, path: &Path) -> bool {
        self.allow_outside || path.starts_with(&self.root)
    }

    /// The entry for `path` (absolute), created on first use. Reading happens later.
    pub fn file(&self, path: &Path) -> Arc<SourceFile> {
        let path = clean(path);
        let mut by_path = lock(&self.by_path);
        let mut files = lock(&self.files);
        if let Some(id) = by_path.get(&path)
            && let Some(f) = files.get(id.0 as usize)
        {
            return f.clone();
        }
        let id = FileId(u32::try_from(files.len()).unwrap_or(u32::MAX));
        let rel = relative(&path, &self.root);
        let f = Arc::new(SourceFile {
            id,
            path: path.clone(),
            rel,
            bytes: OnceLock::new(),
            text: OnceLock::new(),
            body: OnceLock::new(),
            parses: AtomicUsize::new(0),
        });
        files.push(f.clone());
        by_path.insert(path, id);
        f
    }

    pub fn get(&self, id: FileId) -> Option<Arc<SourceFile>> {
        lock(&self.files).get(id.0 as usize).cloned()
    }

    /// Every file known so far, in id order.
    pub fn all(&self) -> Vec<Arc<SourceFile>> {
        lock(&self.files).clone()
    }

    pub fn bytes(&self, f: &SourceFile) -> Result<Arc<[u8]>, ReadError> {
        f.bytes
            .get_or_init(|| {
                if !self.allows(&f.path) {
                    return Err(ReadError::OutsideRoot);
                }
                match self.fs.kind(&f.path) {
                    None => return Err(ReadError::NotFound),
                    Some(Kind::Dir) => return Err(ReadError::Io("is a directory".into())),
                    Some(Kind::Other) => {
                        return Err(ReadError::Io("is not a regular file".into()));
                    }
                    Some(Kind::File) => {}
                }
                self.fs
                    .read(&f.path)
                    .map(Arc::from)
                    .map_err(|e| ReadError::Io(e.to_string()))
            })
            .clone()
    }

    pub fn text(&self, f: &SourceFile) -> Result<Text, ReadError> {
        f.text
            .get_or_init(|| {
                let bytes = self.bytes(f)?;
                if bytes.contains(&0) {
                    return Err(ReadError::Binary);
                }
                let s = std::str::from_utf8(&bytes).map_err(|e| ReadError::NotUtf8 {
                    offset: e.valid_up_to(),
                })?;
                let s: Arc<str> = Arc::from(s.strip_prefix('\u{feff}').unwrap_or(s));
                let lines = Arc::new(LineIndex::new(&s));
                Ok((s, lines))
            })
            .clone()
    }

    /// The parsed body; `Err(None)` when the text could not be read.
    pub fn body(&self, f: &SourceFile) -> Result<Arc<Body>, BodyError> {
        let (text, _) = self.text(f).map_err(BodyError::Read)?;
        f.body
            .get_or_init(|| {
                f.parses.fetch_add(1, Ordering::Relaxed);
                parse_body(f.id, &text).map(Arc::new)
            })
            .clone()
            .map_err(BodyError::Parse)
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

/// The `FileAccess` that Terraform's file functions read through: the cache, with the root
/// enforced. Refused paths are remembered so the unit can report them.
pub struct CacheAccess<'a> {
    pub cache: &'a SourceCache,
    pub refused: Mutex<Vec<PathBuf>>,
}

impl<'a> CacheAccess<'a> {
    pub fn new(cache: &'a SourceCache) -> CacheAccess<'a> {
        CacheAccess {
            cache,
            refused: Mutex::new(Vec::new()),
        }
    }

    fn check(&self, path: &Path) -> Result<PathBuf, FileError> {
        let p = clean(path);
        if !self.cache.allows(&p) {
            lock(&self.refused).push(p);
            return Err(FileError::OutsideRoot);
        }
        Ok(p)
    }

    pub fn take_refused(&self) -> Vec<PathBuf> {
        std::mem::take(&mut *lock(&self.refused))
    }
}

impl FileAccess for CacheAccess<'_> {
    fn read(&self, path: &Path) -> Result<Arc<[u8]>, FileError> {
        let p = self.check(path)?;
        let f = self.cache.file(&p);
        self.cache.bytes(&f).map_err(|e| match e {
            ReadError::NotFound => FileError::NotFound,
            ReadError::OutsideRoot => FileError::OutsideRoot,
            other => FileError::Other(other.to_string()),
        })
    }

    fn kind(&self, path: &Path) -> Result<Option<EntryKind>, FileError> {
        let p = self.check(path)?;
        Ok(self.cache.fs.kind(&p).map(|k| match k {
            Kind::File => EntryKind::File,
            Kind::Dir => EntryKind::Dir,
            Kind::Other => EntryKind::Other,
        }))
    }

    fn list_dir(&self, path: &Path) -> Result<Vec<(String, EntryKind)>, FileError> {
        let p = self.check(path)?;
        self.cache
            .fs
            .read_dir(&p)
            .map(|v| {
                v.into_iter()
                    .map(|(n, k)| {
                        (
                            n,
                            match k {
                                Kind::File => EntryKind::File,
                                Kind::Dir => EntryKind::Dir,
                                Kind::Other => EntryKind::Other,
                            },
                        )
                    })
                    .collect()
            })
            .map_err(|e| {
                if e.kind() == std::io::ErrorKind::NotFound {
                    FileError::NotFound
                } else {
                    FileError::Other(e.to_string())
                }
            })
    }
}
