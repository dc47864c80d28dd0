//! Shared helpers for the model's integration tests.
#![allow(dead_code)]

use serde_json::Value as J;
use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use tglint_model::diag::Diagnostic;
use tglint_model::fs::{DiskFs, Fs, FsError, Kind, MemFs};
use tglint_model::load::{self, Discovered, Tree};
use tglint_model::render;
use tglint_model::terragrunt::context::Options;
use tglint_model::unit::Unit;

/// The shared corpus: `$TGLINT_CORPUS` (a relative path is taken from the workspace root),
/// else `<workspace>/../shared/corpus`. A missing corpus fails the test — a test that
/// returns early would count as a pass — unless `TGLINT_SKIP_CORPUS=1` says to skip it,
/// which the test then prints.
pub fn corpus() -> Option<PathBuf> {
    let ws = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let p = match std::env::var_os("TGLINT_CORPUS") {
        Some(v) => {
            let p = PathBuf::from(v);
            if p.is_absolute() { p } else { ws.join(p) }
        }
        None => ws.join("../shared/corpus"),
    };
    if p.is_dir() {
        // Canonical: the tests lay in-memory files over the disk at paths below it, and
        // tglint checks paths by where they really lead (the corpus may sit behind a link).
        return Some(std::fs::canonicalize(&p).unwrap_or_else(|_| tglint_model::fs::clean(&p)));
    }
    if std::env::var_os("TGLINT_SKIP_CORPUS").is_some_and(|v| v == "1") {
        eprintln!(
            "SKIP (TGLINT_SKIP_CORPUS=1): corpus not found at {}",
            p.display()
        );
        return None;
    }
    panic!(
        "the corpus is missing at {}: set TGLINT_CORPUS to its absolute path, or \
         TGLINT_SKIP_CORPUS=1 to skip the tests that need it",
        p.display()
    );
}

/// The disk, with extra in-memory files laid over it (for Terragrunt's inline test configs
/// evaluated at virtual paths).
pub struct OverlayFs {
    pub extra: MemFs,
}

impl Fs for OverlayFs {
    fn read(&self, path: &Path, within: Option<&Path>) -> Result<Vec<u8>, FsError> {
        match self.extra.kind(path) {
            Some(Kind::File) => self.extra.read(path, within),
            _ => DiskFs.read(path, within),
        }
    }
    fn read_dir(
        &self,
        path: &Path,
        within: Option<&Path>,
    ) -> Result<Vec<(OsString, Kind)>, FsError> {
        let mut v = DiskFs.read_dir(path, within).unwrap_or_default();
        if let Ok(extra) = self.extra.read_dir(path, within) {
            for e in extra {
                if !v.iter().any(|x| x.0 == e.0) {
                    v.push(e);
                }
            }
        }
        v.sort();
        Ok(v)
    }
    fn kind(&self, path: &Path) -> Option<Kind> {
        self.extra.kind(path).or_else(|| DiskFs.kind(path))
    }
    fn lkind(&self, path: &Path) -> std::io::Result<Kind> {
        self.extra.lkind(path).or_else(|_| DiskFs.lkind(path))
    }
    fn read_link(&self, path: &Path) -> std::io::Result<PathBuf> {
        self.extra
            .read_link(path)
            .or_else(|_| DiskFs.read_link(path))
    }
    fn dir_id(&self, path: &Path) -> Option<(u64, u64)> {
        DiskFs.dir_id(path).or_else(|| self.extra.dir_id(path))
    }
    fn canonicalize(&self, path: &Path) -> Option<PathBuf> {
        DiskFs
            .canonicalize(path)
            .or_else(|| self.extra.canonicalize(path))
    }
}

/// Loads the given units (relative to `root`) and returns the tree.
pub fn load_with(fs: Arc<dyn Fs>, root: &Path, units: &[&str], opts: Options) -> Tree {
    let files: Vec<PathBuf> = units
        .iter()
        .map(|u| {
            let p = root.join(u);
            if p.extension().is_some() {
                p
            } else {
                p.join("terragrunt.hcl")
            }
        })
        .collect();
    load::load_units(fs, root, opts, &files, Discovered::default())
}

/// Renders one unit (directory or file relative to `root`) from disk.
pub fn render_unit(root: &Path, unit: &str) -> J {
    render_with(Arc::new(DiskFs), root, unit, Options::default())
}

pub fn render_with(fs: Arc<dyn Fs>, root: &Path, unit: &str, opts: Options) -> J {
    let tree = load_with(fs, root, &[unit], opts);
    let u = tree.units.first().expect("one unit");
    view(&tree, u)
}

/// The render view of a unit with its diagnostics summarised under `diagnostics` (rule,
/// severity, message, file, line, column, help, related). The command line's reporters
/// own the diagnostics' output shape; the model's tests look at the model's data.
pub fn view(tree: &Tree, u: &Unit) -> J {
    let mut j = render::unit_json(tree, u);
    if let J::Object(m) = &mut j {
        m.insert("diagnostics".into(), diagnostics(tree, &u.diagnostics));
    }
    j
}

/// `diagnostics` as JSON, as the model's tests read them.
pub fn diagnostics(tree: &Tree, ds: &[Diagnostic]) -> J {
    let at = |file, offset| {
        let (line, column) = tree.cache.line_col(file, offset);
        (tree.rel(file), line, column)
    };
    J::Array(
        ds.iter()
            .map(|d| {
                let (file, line, column) = at(d.primary.file, d.primary.start);
                let related: Vec<J> = d
                    .related
                    .iter()
                    .map(|l| {
                        let (file, line, _) = at(l.file, l.start);
                        serde_json::json!({ "file": file, "line": line, "message": l.note })
                    })
                    .collect();
                serde_json::json!({
                    "rule": d.rule.to_string(),
                    "severity": d.severity.as_str(),
                    "message": d.message,
                    "file": file,
                    "line": line,
                    "column": column,
                    "help": d.help,
                    "related": related,
                })
            })
            .collect(),
    )
}

/// Every unit's view and the tree's own diagnostics, one JSON per line: everything the
/// model would have a reporter print.
pub fn output(tree: &Tree) -> String {
    let mut lines: Vec<String> = tree
        .units
        .iter()
        .map(|u| view(tree, u).to_string())
        .collect();
    lines.push(diagnostics(tree, &tree.diagnostics).to_string());
    lines.join("\n")
}

/// Messages of the unit's diagnostics with the given rule.
pub fn diags(j: &J, rule: &str) -> Vec<String> {
    j["diagnostics"]
        .as_array()
        .map(|a| {
            a.iter()
                .filter(|d| d["rule"] == rule)
                .map(|d| d["message"].as_str().unwrap_or("").to_string())
                .collect()
        })
        .unwrap_or_default()
}

/// Replaces the root's absolute path with `<ROOT>` everywhere in the JSON text.
pub fn redact(j: &J, root: &Path) -> String {
    let text = serde_json::to_string_pretty(j).unwrap_or_default();
    text.replace(&root.display().to_string(), "<ROOT>")
}
