//! Changed-files mode (`tglint check FILE…`, what pre-commit runs; docs/baseline.md): the
//! whole tree is loaded, and the units the named files affect are checked.

use std::collections::{BTreeSet, HashSet};
use std::path::{Path, PathBuf};
use tglint_model::load::Tree;
use tglint_rules::engine::Changed;

/// What a changed-files run checks: the units whose resolution read one of `files`
/// (their own `terragrunt.hcl`, an included file, what `read_terragrunt_config`, the file
/// functions, `find_in_parent_folders` and the other path functions looked at, a
/// directory a glob listed), every unit when one of them is the policy file, and the
/// units under `dirs`.
///
/// A named file that no longer exists (deleted; `git diff` without `--diff-filter=d`
/// lists them) affects the units that read it — their include now fails; one that no
/// unit reads is an error, since it is more likely a typing mistake than a deletion.
pub fn scope(
    tree: &Tree,
    files: &[PathBuf],
    dirs: &[PathBuf],
    policy: Option<&Path>,
    exists: impl Fn(&Path) -> bool,
) -> Result<Changed, String> {
    let files: BTreeSet<PathBuf> = files.iter().cloned().collect();
    let missing: Vec<&PathBuf> = files.iter().filter(|p| !exists(p)).collect();
    if !missing.is_empty() {
        let read: HashSet<&Path> = tree.units.iter().flat_map(|u| u.read_files()).collect();
        if let Some(p) = missing.iter().find(|p| !read.contains(p.as_path())) {
            return Err(format!(
                "{} does not exist, and no unit reads it (pass only files that exist: `git diff --name-only --diff-filter=d …`)",
                p.display()
            ));
        }
    }
    let mut units = if policy.is_some_and(|p| files.contains(p)) {
        tree.units.iter().map(|u| u.dir.clone()).collect()
    } else {
        tree.units_reading(&files)
    };
    units.extend(
        tree.units
            .iter()
            .filter(|u| dirs.iter().any(|d| u.path.starts_with(d)))
            .map(|u| u.dir.clone()),
    );
    Ok(Changed {
        units,
        files,
        dirs: dirs.to_vec(),
    })
}
