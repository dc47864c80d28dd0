//! The real disk, opened so that confinement is checked on the opened handle.

use super::{Fs, FsError, Kind, MAX_FILE_BYTES};
use std::ffi::OsString;
use std::io;
use std::path::{Path, PathBuf};

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
        handle::read(path, within)
    }

    fn read_listed(&self, path: &Path, within: Option<&Path>) -> Result<Vec<u8>, FsError> {
        #[cfg(any(target_os = "linux", target_os = "android"))]
        if let Some(w) = within
            && let Some(bytes) = beneath::read(path, w)
        {
            return Ok(bytes);
        }
        handle::read(path, within)
    }

    fn read_dir(
        &self,
        path: &Path,
        within: Option<&Path>,
    ) -> Result<Vec<(OsString, Kind)>, FsError> {
        let mut out = handle::read_dir(path, within)?;
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
        handle::id(&m)
    }

    fn canonicalize(&self, path: &Path) -> Option<PathBuf> {
        std::fs::canonicalize(path).ok()
    }
}

/// The disk's opening methods (see the module documentation).
#[cfg(unix)]
mod handle {
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
        FsError::TooLarge
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

/// Linux's confined open: `openat2(root, relative path, RESOLVE_BENEATH)`, in which the
/// kernel refuses every step that would leave the root (`..`, an absolute link, a link out
/// of it, a magic link), so no `/proc/self/fd` check is needed. It is taken only for files
/// a listing showed as regular (so nothing but a file that was replaced since is opened
/// for reading: O_NONBLOCK and O_NOCTTY keep even that harmless), and it settles only
/// success: every refusal or failure, and anything but a regular file within the size
/// limit, goes to the checked path, whose answer (and message) is the one given. About
/// half the system calls of the checked path (docs/performance.md).
#[cfg(any(target_os = "linux", target_os = "android"))]
mod beneath {
    use super::MAX_FILE_BYTES;
    use rustix::fs::{Mode, OFlags, ResolveFlags, openat2};
    use std::fs::File;
    use std::io::Read;
    use std::os::fd::OwnedFd;
    use std::os::unix::fs::MetadataExt;
    use std::path::{Path, PathBuf};
    use std::sync::{Arc, Mutex};

    /// A root directory held open: its path and identity (device, inode).
    struct Root {
        path: PathBuf,
        id: (u64, u64),
        fd: Arc<OwnedFd>,
    }

    /// The roots opened so far (a process checks one tree, its tests a few): a root whose
    /// path now names another directory is opened again.
    static ROOTS: Mutex<Vec<Root>> = Mutex::new(Vec::new());

    fn root(within: &Path) -> Option<Arc<OwnedFd>> {
        let m = std::fs::metadata(within).ok()?;
        let id = (m.dev(), m.ino());
        let mut roots = ROOTS.lock().ok()?;
        if let Some(r) = roots.iter().find(|r| r.path == within && r.id == id) {
            return Some(r.fd.clone());
        }
        let fd = rustix::fs::open(
            within,
            OFlags::PATH | OFlags::DIRECTORY | OFlags::CLOEXEC,
            Mode::empty(),
        )
        .ok()?;
        // The handle must be the directory just identified, not one swapped in since.
        let st = rustix::fs::fstat(&fd).ok()?;
        if (st.st_dev, st.st_ino) != id {
            return None;
        }
        let fd = Arc::new(fd);
        roots.retain(|r| r.path != within);
        if roots.len() >= 8 {
            roots.remove(0);
        }
        roots.push(Root {
            path: within.to_path_buf(),
            id,
            fd: fd.clone(),
        });
        Some(fd)
    }

    /// The file's bytes, or `None` for the checked path to decide.
    pub fn read(path: &Path, within: &Path) -> Option<Vec<u8>> {
        let rel = path.strip_prefix(within).ok()?;
        if rel.as_os_str().is_empty() {
            return None;
        }
        let dir = root(within)?;
        let fd = openat2(
            &*dir,
            rel,
            OFlags::RDONLY | OFlags::NONBLOCK | OFlags::NOCTTY | OFlags::CLOEXEC,
            Mode::empty(),
            ResolveFlags::BENEATH | ResolveFlags::NO_MAGICLINKS,
        )
        .ok()?;
        let file = File::from(fd);
        let m = file.metadata().ok()?;
        if !m.is_file() || m.len() > MAX_FILE_BYTES {
            return None;
        }
        let mut buf = Vec::with_capacity(m.len() as usize + 1);
        (&file)
            .take(MAX_FILE_BYTES + 1)
            .read_to_end(&mut buf)
            .ok()?;
        (buf.len() as u64 <= MAX_FILE_BYTES).then_some(buf)
    }
}

/// Without Unix, only the portable check: the canonical path must lie under `within`.
#[cfg(not(unix))]
mod handle {
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
            return Err(FsError::TooLarge);
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

#[cfg(test)]
mod tests {
    use super::*;

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
                handle::read_with(&root.join("file-in"), w, proc),
                Ok(b"in".to_vec())
            );
            assert_eq!(
                handle::read_with(&root.join("file-out"), w, proc),
                Err(FsError::Outside)
            );
            assert_eq!(
                handle::read_with(&root.join("dir-out/secret.txt"), w, proc),
                Err(FsError::Outside)
            );
            assert_eq!(
                handle::read_dir_with(&root.join("dir-out"), w, proc),
                Err(FsError::Outside)
            );
            assert_eq!(
                handle::read_with(&root.join("d"), w, proc),
                Err(FsError::Other("is a directory".into()))
            );
            let listed = handle::read_dir_with(&root, w, proc).unwrap();
            assert!(
                listed.contains(&("dir-out".into(), Kind::Link)),
                "{listed:?}"
            );
            assert_eq!(
                handle::read_with(&root.join("file-out"), None, proc),
                Ok(b"secret".to_vec())
            );
        }
        // The confined open settles what is inside and leaves the rest to the checks.
        #[cfg(any(target_os = "linux", target_os = "android"))]
        {
            assert_eq!(
                beneath::read(&root.join("d/in.txt"), &root),
                Some(b"in".to_vec())
            );
            assert_eq!(
                beneath::read(&root.join("file-in"), &root),
                Some(b"in".to_vec())
            );
            for outside in [
                "file-out",
                "dir-out/secret.txt",
                "d",
                "d/../../out/secret.txt",
            ] {
                assert_eq!(beneath::read(&root.join(outside), &root), None, "{outside}");
            }
            assert_eq!(
                DiskFs.read_listed(&root.join("file-out"), Some(&root)),
                Err(FsError::Outside)
            );
            assert_eq!(beneath::read(&out.join("secret.txt"), &root), None);
        }
        let _ = std::fs::remove_dir_all(&base);
    }
}
