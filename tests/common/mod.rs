//! Shared by the end-to-end tests: temporary trees and runs of the binary under a
//! watchdog.
#![allow(dead_code)]

use std::io::Read;
use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// A temporary directory under the system's temp directory (canonical, so the root is
/// never reached through a link by accident), removed on drop.
pub struct Tree {
    pub dir: PathBuf,
}

impl Tree {
    /// A tree that is a git work tree (so it is its own root).
    pub fn new(name: &str) -> Tree {
        let t = Tree::plain(name);
        std::fs::create_dir_all(t.dir.join(".git")).expect("create .git");
        t
    }

    /// A directory that is not a work tree (stands for what lies outside the root).
    pub fn plain(name: &str) -> Tree {
        let dir =
            std::env::temp_dir().join(format!("tglint-hostile-{}-{name}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).expect("create the tree");
        Tree {
            dir: std::fs::canonicalize(&dir).expect("canonical"),
        }
    }

    pub fn file(&self, rel: &str, contents: impl AsRef<[u8]>) -> &Tree {
        let p = self.path(rel);
        if let Some(parent) = p.parent() {
            std::fs::create_dir_all(parent).expect("create directories");
        }
        std::fs::write(&p, contents).expect("write a file");
        self
    }

    pub fn path(&self, rel: &str) -> PathBuf {
        self.dir.join(rel)
    }

    /// A symbolic link at `rel` pointing at `target` (written as given).
    #[cfg(unix)]
    pub fn link(&self, target: impl AsRef<std::path::Path>, rel: &str) -> &Tree {
        let p = self.path(rel);
        if let Some(parent) = p.parent() {
            std::fs::create_dir_all(parent).expect("create directories");
        }
        std::os::unix::fs::symlink(target, p).expect("symlink");
        self
    }
}

/// `fixtures/reference-architecture/`, the clean tree in the reference layout.
pub fn reference() -> PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/reference-architecture")
}

/// A copy of the reference tree in a temporary directory (a work tree of its own).
pub fn reference_copy(name: &str) -> Tree {
    let t = Tree::new(name);
    let src = reference();
    let mut stack = vec![src.clone()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).expect("list the reference tree") {
            let p = e.expect("an entry").path();
            if p.is_dir() {
                stack.push(p);
            } else {
                let rel = p
                    .strip_prefix(&src)
                    .expect("inside")
                    .to_str()
                    .expect("UTF-8")
                    .to_string();
                t.file(&rel, std::fs::read(&p).expect("read"));
            }
        }
    }
    t
}

impl Tree {
    /// Replaces the first `from` in the file at `rel` with `to`; fails when `from` is not
    /// there (so an edit meant to change something always does).
    pub fn edit(&self, rel: &str, from: &str, to: &str) -> &Tree {
        let p = self.path(rel);
        let text = std::fs::read_to_string(&p).expect("read a file to edit");
        assert!(text.contains(from), "`{from}` is not in {rel}:\n{text}");
        std::fs::write(&p, text.replacen(from, to, 1)).expect("write");
        self
    }

    pub fn read(&self, rel: &str) -> String {
        std::fs::read_to_string(self.path(rel)).expect("read")
    }
}

impl Drop for Tree {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// What one run printed.
pub struct Run {
    pub code: Option<i32>,
    pub stdout: String,
    pub stderr: String,
    /// The JSON values of stdout: one per line, or one pretty-printed object.
    pub lines: Vec<serde_json::Value>,
}

impl Run {
    pub fn unit(&self, name: &str) -> &serde_json::Value {
        self.lines
            .iter()
            .find(|l| l["unit"] == name)
            .unwrap_or_else(|| panic!("unit {name} is missing from the output:\n{}", self.stdout))
    }

    pub fn units(&self) -> Vec<&str> {
        self.lines
            .iter()
            .filter_map(|l| l["unit"].as_str())
            .collect()
    }

    /// `rule file:line message` of every diagnostic in the output, units' and the tree's.
    pub fn diagnostics(&self) -> Vec<String> {
        self.lines
            .iter()
            .flat_map(|l| l["diagnostics"].as_array().cloned().unwrap_or_default())
            .map(|d| {
                format!(
                    "{} {}:{} {}",
                    d["rule"].as_str().unwrap_or(""),
                    d["file"].as_str().unwrap_or(""),
                    d["line"],
                    d["message"].as_str().unwrap_or("")
                )
            })
            .collect()
    }

    pub fn has(&self, needle: &str) -> bool {
        self.diagnostics().iter().any(|d| d.contains(needle))
    }

    /// Asserts that `text` appears in no output at all.
    pub fn never_shows(&self, text: &str) {
        assert!(
            !self.stdout.contains(text),
            "stdout shows {text}:\n{}",
            self.stdout
        );
        assert!(
            !self.stderr.contains(text),
            "stderr shows {text}:\n{}",
            self.stderr
        );
    }
}

const WATCHDOG: Duration = Duration::from_secs(60);

/// Runs `tglint ARGS` in `cwd`; fails the test if it does not end.
pub fn run_in(cwd: &std::path::Path, args: &[&std::ffi::OsStr]) -> Run {
    let mut child = Command::new(env!("CARGO_BIN_EXE_tglint"))
        .args(args)
        .current_dir(cwd)
        // The run cache of changed-files runs (docs/cache.md): the test process's own,
        // not the user's.
        .env("TGLINT_CACHE_DIR", test_cache_dir())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run tglint");
    let mut out = child.stdout.take().expect("stdout");
    let mut err = child.stderr.take().expect("stderr");
    let reader = std::thread::spawn(move || {
        let mut s = Vec::new();
        let _ = out.read_to_end(&mut s);
        s
    });
    let ereader = std::thread::spawn(move || {
        let mut s = Vec::new();
        let _ = err.read_to_end(&mut s);
        s
    });
    let start = Instant::now();
    let status = loop {
        if let Some(s) = child.try_wait().expect("wait") {
            break s;
        }
        if start.elapsed() > WATCHDOG {
            let _ = child.kill();
            panic!("tglint {args:?} did not end within {WATCHDOG:?}");
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    let stdout = String::from_utf8_lossy(&reader.join().unwrap_or_default()).into_owned();
    let stderr = String::from_utf8_lossy(&ereader.join().unwrap_or_default()).into_owned();
    let lines = if stdout.starts_with("{\n") {
        vec![serde_json::from_str(&stdout).expect("one JSON object")]
    } else if !stdout.starts_with('{') {
        // Not JSON (a human report).
        Vec::new()
    } else {
        stdout
            .lines()
            .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("not JSON ({e}): {l:.200}")))
            .collect()
    };
    Run {
        code: status.code(),
        stdout,
        stderr,
        lines,
    }
}

/// Where the runs of this test process keep their run cache.
pub fn test_cache_dir() -> PathBuf {
    std::env::temp_dir().join(format!("tglint-test-cache-{}", std::process::id()))
}

/// `tglint render --all` on the whole tree, the tree as root, plus `extra`.
pub fn render_all(tree: &Tree, extra: &[&str]) -> Run {
    let mut args: Vec<&std::ffi::OsStr> = vec!["render".as_ref(), "--all".as_ref()];
    args.push(tree.dir.as_os_str());
    args.push("--root".as_ref());
    args.push(tree.dir.as_os_str());
    args.extend(extra.iter().map(|a| std::ffi::OsStr::new(*a)));
    run_in(&tree.dir, &args)
}

/// `tglint ARGS` in the tree's directory (the root found as a user's would be).
pub fn tglint(tree: &Tree, args: &[&str]) -> Run {
    let args: Vec<&std::ffi::OsStr> = args.iter().map(|a| std::ffi::OsStr::new(*a)).collect();
    run_in(&tree.dir, &args)
}

/// The twelve real trees of the corpus (`real/`), in path order; `None` where the corpus
/// is skipped ([`corpus`]).
pub fn real_trees() -> Option<Vec<PathBuf>> {
    let c = corpus()?;
    let mut trees: Vec<PathBuf> = std::fs::read_dir(c.join("real"))
        .expect("list the real trees")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.is_dir())
        .collect();
    trees.sort();
    assert_eq!(trees.len(), 12, "the corpus has twelve real trees");
    Some(trees)
}

/// The shared corpus (`$TGLINT_CORPUS`, absolute or relative to the workspace, else
/// `../shared/corpus`), canonical. A missing corpus fails the test unless
/// `TGLINT_SKIP_CORPUS=1`, which makes it say it skipped.
pub fn corpus() -> Option<std::path::PathBuf> {
    let ws = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let p = match std::env::var_os("TGLINT_CORPUS") {
        Some(v) => {
            let p = std::path::PathBuf::from(v);
            if p.is_absolute() { p } else { ws.join(p) }
        }
        None => ws.join("../shared/corpus"),
    };
    if p.is_dir() {
        return Some(std::fs::canonicalize(&p).unwrap_or(p));
    }
    if std::env::var_os("TGLINT_SKIP_CORPUS").is_some_and(|v| v == "1") {
        eprintln!(
            "SKIP (TGLINT_SKIP_CORPUS=1): corpus not found at {}",
            p.display()
        );
        return None;
    }
    panic!(
        "the corpus is missing at {}: set TGLINT_CORPUS, or TGLINT_SKIP_CORPUS=1",
        p.display()
    );
}
