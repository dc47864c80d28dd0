//! Changed-files mode (`tglint check FILE…`, what pre-commit runs; docs/baseline.md): the
//! whole tree is loaded, and the units the named files affect are checked.

use std::collections::{BTreeSet, HashSet};
use std::path::{Path, PathBuf};
use tglint_model::load::Tree;
use tglint_model::unit::Unit;
use tglint_rules::engine::Changed;

/// The units the named files and directories affect: a unit whose resolution read one of
/// `files` (its own `terragrunt.hcl`, an included file, what `read_terragrunt_config`,
/// the file functions, `find_in_parent_folders` and the other path functions looked at,
/// a directory a glob listed), every unit when one of them is the policy file, and the
/// units under `dirs`. One predicate, for the pass that checks units while they load
/// and for [`scope`] once they are loaded.
pub struct Affected {
    files: BTreeSet<PathBuf>,
    /// The directories holding `files`: a unit that listed one (`fileset`,
    /// `mark_glob_as_read`) would list a file added there too.
    parents: BTreeSet<PathBuf>,
    dirs: Vec<PathBuf>,
    every_unit: bool,
}

impl Affected {
    pub fn new(files: &[PathBuf], dirs: &[PathBuf], policy: Option<&Path>) -> Affected {
        let files: BTreeSet<PathBuf> = files.iter().cloned().collect();
        Affected {
            parents: files
                .iter()
                .filter_map(|p| p.parent())
                .map(Path::to_path_buf)
                .collect(),
            every_unit: policy.is_some_and(|p| files.contains(p)),
            files,
            dirs: dirs.to_vec(),
        }
    }

    pub fn affects(&self, u: &Unit) -> bool {
        self.affects_file(&u.path, u.reads.iter().map(|r| &*r.target))
    }

    /// Whether a unit is affected, known by its file and what it read (its reads as
    /// resolved, or as the run cache recorded them): it is, or reads, a named file, lists
    /// a directory holding one, or lies under a named directory.
    pub fn affects_file<'p>(
        &self,
        unit_file: &Path,
        reads: impl IntoIterator<Item = &'p Path>,
    ) -> bool {
        let hit = |f: &Path| self.files.contains(f) || self.parents.contains(f);
        self.every_unit
            || hit(unit_file)
            || reads.into_iter().any(hit)
            || self.dirs.iter().any(|d| unit_file.starts_with(d))
    }
}

/// What a changed-files run checks: the units `affected` names.
///
/// A named file that no longer exists (deleted; `git diff` without `--diff-filter=d`
/// lists them) affects the units that read it — their include now fails; one that no
/// unit reads is an error, since it is more likely a typing mistake than a deletion.
///
/// `unloaded_reads`: what the units the run did not load read (the run cache's word,
/// docs/cache.md).
pub fn scope(
    tree: &Tree,
    affected: &Affected,
    exists: impl Fn(&Path) -> bool,
    unloaded_reads: HashSet<PathBuf>,
) -> Result<Changed, String> {
    let missing: Vec<&PathBuf> = affected.files.iter().filter(|p| !exists(p)).collect();
    if !missing.is_empty() {
        let read: HashSet<&Path> = tree
            .units
            .iter()
            .flat_map(|u| u.read_files())
            .chain(unloaded_reads.iter().map(PathBuf::as_path))
            .collect();
        if let Some(p) = missing.iter().find(|p| !read.contains(p.as_path())) {
            return Err(format!(
                "{} does not exist, and no unit reads it (pass only files that exist: `git diff --name-only --diff-filter=d …`)",
                p.display()
            ));
        }
    }
    let units = tree
        .units
        .iter()
        .filter(|u| affected.affects(u))
        .map(|u| u.dir.clone())
        .collect();
    Ok(Changed {
        units,
        files: affected.files.clone(),
        dirs: affected.dirs.clone(),
        unloaded_reads,
    })
}
