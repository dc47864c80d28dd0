//! The functions that answer with paths: `find_in_parent_folders`, the include-relative
//! paths, the unit's directories and the repository root.

use super::{go_join, outside_root, ps, strings, tg, wrong_params};
use crate::diag::{Diagnostic, ids};
use crate::fs::relative;
use crate::terragrunt::Include;
use crate::terragrunt::Via;
use crate::terragrunt::config_in_dir;
use crate::terragrunt::context::{ParentSearch, ParentWalk, TgCtx};
use std::path::{Path, PathBuf};
use tglint_hcl::{CallCtx, FnError, FnResult, Value};

/// `MaxFoldersToCheck` (Terragrunt's default).
const MAX_FOLDERS_TO_CHECK: usize = 100;

/// The `root-terragrunt-hcl` strict control's warning (Terragrunt's wording).
pub const ROOT_TERRAGRUNT_HCL_WARNING: &str = "Using `terragrunt.hcl` as the root of Terragrunt configurations is an anti-pattern, and no longer recommended. In a future version of Terragrunt, this will result in an error. You are advised to use a differently named file like `root.hcl` instead. For more information, see https://terragrunt.gruntwork.io/docs/migrate/migrating-from-root-terragrunt-hcl";

const DEFAULT_CONFIG: &str = "terragrunt.hcl";

// ---------------------------------------------------------------------------------------
// find_in_parent_folders (spec §4, errata 4, DESIGN §3.4)
// ---------------------------------------------------------------------------------------

pub(super) fn find_in_parent_folders(cx: &CallCtx<'_>, args: Vec<Value>) -> FnResult {
    let ctx = tg(cx)?;
    let params = strings(&args)?;
    if params.len() > 2 {
        return Err(wrong_params(
            "find_in_parent_folders",
            "0, 1, or 2",
            params.len(),
        ));
    }
    let name = params.first().map(String::as_str).unwrap_or("");
    let fallback = params.get(1);
    if name.is_empty() || name == DEFAULT_CONFIG {
        ctx.report(Diagnostic::at(
            ids::DEPRECATED,
            ROOT_TERRAGRUNT_HCL_WARNING,
            cx.span,
        ));
    }
    let shown = if name.is_empty() {
        DEFAULT_CONFIG
    } else {
        name
    };
    let start = ctx.terragrunt_dir();
    // The walk starts at the parent of `start`: the units of one directory share it (the
    // key says whether `start` lies inside the root, which decides where the walk stops).
    let inside = start.starts_with(ctx.root());
    let key = (
        start.parent().unwrap_or(start).to_path_buf(),
        name.to_string(),
        inside,
    );
    let cached = ctx
        .shared
        .parent_search
        .lock()
        .ok()
        .and_then(|m| m.get(&key).cloned());
    let (outcome, looked_at) = match cached {
        Some(o) => o,
        None => {
            let o = search_parents(ctx, start, name);
            if let Ok(mut m) = ctx.shared.parent_search.lock() {
                m.insert(key, o.clone());
            }
            o
        }
    };
    // Every candidate looked at, found or not: a file created at one of them later would
    // change this unit.
    for f in looked_at.iter() {
        ctx.read_entry(cx.span, f, Via::FindInParentFolders);
    }
    match outcome {
        ParentSearch::Found(p) => Ok(Value::string(ps(&p))),
        ParentSearch::Outside(p) => Ok(outside_root(ctx, cx, &p)),
        ParentSearch::Top => match fallback {
            Some(fb) => Ok(Value::string(fb.clone())),
            None => Err(parent_not_found(
                ctx,
                shown,
                "Traversed all the way to the root",
            )),
        },
        ParentSearch::Limit => Err(parent_not_found(
            ctx,
            shown,
            &format!("Exceeded maximum folders to check ({MAX_FOLDERS_TO_CHECK})"),
        )),
    }
}

/// The walk of `find_in_parent_folders` from the parent of `start`, with the candidates it
/// looked at.
fn search_parents(ctx: &TgCtx, start: &Path, name: &str) -> ParentWalk {
    let mut looked_at = Vec::new();
    let outcome = walk_parents(ctx, start, name, &mut looked_at);
    // The source cache's entries, found once here rather than per unit recording them.
    let cache = &ctx.shared.cache;
    let entries = looked_at.iter().map(|p| cache.file(p)).collect();
    (outcome, entries)
}

fn walk_parents(
    ctx: &TgCtx,
    start: &Path,
    name: &str,
    looked_at: &mut Vec<PathBuf>,
) -> ParentSearch {
    let cache = &ctx.shared.cache;
    let root = ctx.root();
    // The scanned root stands for the filesystem root; a unit outside it (only with
    // --allow-outside-root) searches up to the real root.
    let top = start.starts_with(root).then_some(root);
    let mut previous = start.to_path_buf();
    for _ in 0..MAX_FOLDERS_TO_CHECK {
        let current = match previous.parent() {
            Some(p) if Some(previous.as_path()) != top => p.to_path_buf(),
            _ => return ParentSearch::Top,
        };
        let candidate = if name.is_empty() {
            config_in_dir(ctx, &current)
        } else {
            go_join(&current, name)
        };
        looked_at.push(candidate.clone());
        match cache.kind(&candidate) {
            Err(_) => return ParentSearch::Outside(candidate),
            Ok(Some(_)) => return ParentSearch::Found(candidate),
            Ok(None) => {}
        }
        previous = current;
    }
    ParentSearch::Limit
}

fn parent_not_found(ctx: &TgCtx, file: &str, cause: &str) -> FnError {
    FnError::call(format!(
        "ParentFileNotFoundError: Could not find a {file} in any of the parent folders of {}. Cause: {cause}.",
        ctx.config_path.display()
    ))
}

// ---------------------------------------------------------------------------------------
// Include-relative paths
// ---------------------------------------------------------------------------------------

/// Terragrunt's `getSelectedIncludeBlock`: in a parent, the include that pulled it in; in
/// the child, its only include, or the one named by the label when there are several.
fn selected_include<'a>(ctx: &'a TgCtx, params: &[String]) -> Result<Option<&'a Include>, FnError> {
    if let Some(inc) = &ctx.include_from_child {
        return Ok(Some(inc));
    }
    match ctx.includes.as_slice() {
        [] => Ok(None),
        [only] => Ok(Some(only)),
        all => {
            let [label] = params else {
                // Terragrunt names this function whichever one was called.
                return Err(wrong_params(
                    "path_relative_from_include",
                    "1",
                    params.len(),
                ));
            };
            all.iter()
                .find(|i| &i.label == label)
                .map(Some)
                .ok_or_else(|| {
                    FnError::call(format!(
                        "There is no include block in the current config with the label '{label}'"
                    ))
                })
        }
    }
}

fn include_dir(inc: &Include) -> PathBuf {
    inc.path.parent().unwrap_or(Path::new("/")).to_path_buf()
}

pub(super) fn path_relative_to_include(cx: &CallCtx<'_>, args: Vec<Value>) -> FnResult {
    let ctx = tg(cx)?;
    let params = strings(&args)?;
    Ok(Value::string(match selected_include(ctx, &params)? {
        None => ".".to_string(),
        Some(inc) => relative(ctx.terragrunt_dir(), &include_dir(inc)),
    }))
}

pub(super) fn path_relative_from_include(cx: &CallCtx<'_>, args: Vec<Value>) -> FnResult {
    let ctx = tg(cx)?;
    let params = strings(&args)?;
    Ok(Value::string(match selected_include(ctx, &params)? {
        None => ".".to_string(),
        Some(inc) => relative(&include_dir(inc), ctx.terragrunt_dir()),
    }))
}

pub(super) fn get_parent_terragrunt_dir(cx: &CallCtx<'_>, args: Vec<Value>) -> FnResult {
    let ctx = tg(cx)?;
    let params = strings(&args)?;
    let from = match selected_include(ctx, &params)? {
        None => ".".to_string(),
        Some(inc) => relative(&include_dir(inc), ctx.terragrunt_dir()),
    };
    Ok(Value::string(ps(&go_join(ctx.terragrunt_dir(), &from))))
}

pub(super) fn get_terragrunt_dir(cx: &CallCtx<'_>, _: Vec<Value>) -> FnResult {
    let ctx = tg(cx)?;
    Ok(Value::string(ps(ctx.terragrunt_dir())))
}

pub(super) fn get_original_terragrunt_dir(cx: &CallCtx<'_>, _: Vec<Value>) -> FnResult {
    let ctx = tg(cx)?;
    let dir = ctx.original_path.parent().unwrap_or(Path::new("/"));
    Ok(Value::string(ps(dir)))
}

// ---------------------------------------------------------------------------------------
// Repository root (DESIGN §3.4)
// ---------------------------------------------------------------------------------------

/// The nearest ancestor of the unit's directory (itself included) that holds a `.git`
/// entry, searching no higher than the scanned root; the root when there is none.
pub(super) fn repo_root(ctx: &TgCtx) -> PathBuf {
    let cache = &ctx.shared.cache;
    let root = ctx.root();
    let mut cur = Some(ctx.terragrunt_dir());
    while let Some(dir) = cur {
        if !cache.allows(dir) {
            break;
        }
        // A `.git` that is a link out of the root still marks the repository: whether
        // its target exists outside is not looked at.
        if !matches!(cache.kind(&dir.join(".git")), Ok(None)) {
            return dir.to_path_buf();
        }
        if dir == root {
            break;
        }
        cur = dir.parent();
    }
    root.to_path_buf()
}

pub(super) fn get_repo_root(cx: &CallCtx<'_>, _: Vec<Value>) -> FnResult {
    let ctx = tg(cx)?;
    Ok(Value::string(ps(&repo_root(ctx))))
}

pub(super) fn get_path_from_repo_root(cx: &CallCtx<'_>, _: Vec<Value>) -> FnResult {
    let ctx = tg(cx)?;
    Ok(Value::string(relative(
        ctx.terragrunt_dir(),
        &repo_root(ctx),
    )))
}

pub(super) fn get_path_to_repo_root(cx: &CallCtx<'_>, _: Vec<Value>) -> FnResult {
    let ctx = tg(cx)?;
    Ok(Value::string(relative(
        &repo_root(ctx),
        ctx.terragrunt_dir(),
    )))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fs::MemFs;
    use crate::functions::test_support::*;
    use crate::terragrunt::context::Options;

    // --- find_in_parent_folders -----------------------------------------------------

    /// EXPECTED §23: multiple-terragrunt-in-parents.
    fn multiple_in_parents(config: &str) -> T {
        tree(
            MemFs::new()
                .file("/r/root.hcl", "")
                .file("/r/child/root.hcl", "")
                .file("/r/child/terragrunt.hcl", "")
                .file("/r/child/sub-child/root.hcl", "")
                .file("/r/child/sub-child/terragrunt.hcl", "")
                .file("/r/child/sub-child/sub-sub-child/terragrunt.hcl", ""),
            config,
        )
    }

    #[test]
    fn find_in_parent_folders_skips_the_own_directory() {
        let t = multiple_in_parents("/r/child/terragrunt.hcl");
        assert_eq!(
            t.s("find_in_parent_folders", vec![s("root.hcl")]),
            "/r/root.hcl"
        );
        let t = multiple_in_parents("/r/child/sub-child/terragrunt.hcl");
        assert_eq!(
            t.s("find_in_parent_folders", vec![s("root.hcl")]),
            "/r/child/root.hcl"
        );
        let t = multiple_in_parents("/r/child/sub-child/sub-sub-child/terragrunt.hcl");
        assert_eq!(
            t.s("find_in_parent_folders", vec![s("root.hcl")]),
            "/r/child/sub-child/root.hcl"
        );
        assert!(t.diags().is_empty());
    }

    #[test]
    fn find_in_parent_folders_inside_a_parent_searches_from_the_unit() {
        // EXPECTED §23: evaluating child/sub-child/root.hcl as the parent of
        // sub-sub-child finds child/sub-child/root.hcl again (the unit's path counts).
        let mut t = multiple_in_parents("/r/child/sub-child/sub-sub-child/terragrunt.hcl");
        t.ctx.current_file = PathBuf::from("/r/child/sub-child/root.hcl");
        t.ctx.include_from_child = Some(inc("", "/r/child/sub-child/root.hcl"));
        assert_eq!(
            t.s("find_in_parent_folders", vec![s("root.hcl")]),
            "/r/child/sub-child/root.hcl"
        );
    }

    /// EXPECTED §24.
    #[test]
    fn find_in_parent_folders_other_names_subfolders_directories() {
        let t = tree(
            MemFs::new()
                .file("/r/other-file-names/foo.txt", "x")
                .file("/r/other-file-names/child/terragrunt.hcl", ""),
            "/r/other-file-names/child/terragrunt.hcl",
        );
        assert_eq!(
            t.s("find_in_parent_folders", vec![s("foo.txt")]),
            "/r/other-file-names/foo.txt"
        );
        let t = tree(
            MemFs::new()
                .file("/r/in-another-subfolder/common/foo.txt", "x")
                .file("/r/in-another-subfolder/live/terragrunt.hcl", ""),
            "/r/in-another-subfolder/live/terragrunt.hcl",
        );
        assert_eq!(
            t.s("find_in_parent_folders", vec![s("common/foo.txt")]),
            "/r/in-another-subfolder/common/foo.txt"
        );
        let t = tree(
            MemFs::new()
                .file("/r/with-params/tfwork/tg/terragrunt.hcl", "")
                .file("/r/with-params/tfwork/test-var/providers.tf", ""),
            "/r/with-params/tfwork/tg/terragrunt.hcl",
        );
        assert_eq!(
            t.s("find_in_parent_folders", vec![s("tfwork")]),
            "/r/with-params/tfwork"
        );
    }

    #[test]
    fn find_in_parent_folders_not_found_and_fallback() {
        // The scanned root is the filesystem root here, as in Terragrunt's tests.
        let t = tree_with(
            MemFs::new().file("/fake/path/terragrunt.hcl", ""),
            "/",
            "/fake/path/terragrunt.hcl",
            Options::default(),
        );
        t.err(
            "find_in_parent_folders",
            vec![],
            "ParentFileNotFoundError: Could not find a terragrunt.hcl in any of the parent folders of /fake/path/terragrunt.hcl. Cause: Traversed all the way to the root.",
        );
        assert_eq!(
            t.s(
                "find_in_parent_folders",
                vec![s("foo.txt"), s("fallback.txt")]
            ),
            "fallback.txt"
        );
        t.err(
            "find_in_parent_folders",
            vec![s("foo.txt")],
            "Could not find a foo.txt in any of the parent folders",
        );
        t.err(
            "find_in_parent_folders",
            vec![s("a"), s("b"), s("c")],
            "Expected 0, 1, or 2 params for function find_in_parent_folders, but got 3",
        );
    }

    #[test]
    fn find_in_parent_folders_stops_at_the_scanned_root() {
        // A file above the root is never seen; the fallback applies at the root.
        let t = tree_with(
            MemFs::new()
                .file("/top/root.hcl", "")
                .file("/top/r/a/terragrunt.hcl", ""),
            "/top/r",
            "/top/r/a/terragrunt.hcl",
            Options::default(),
        );
        assert_eq!(
            t.s("find_in_parent_folders", vec![s("root.hcl"), s("fb")]),
            "fb"
        );
        t.err(
            "find_in_parent_folders",
            vec![s("root.hcl")],
            "Traversed all the way to the root",
        );
        // The root itself is searched.
        let t = tree(
            MemFs::new()
                .file("/r/root.hcl", "")
                .file("/r/a/terragrunt.hcl", ""),
            "/r/a/terragrunt.hcl",
        );
        assert_eq!(
            t.s("find_in_parent_folders", vec![s("root.hcl")]),
            "/r/root.hcl"
        );
        // A unit at the root has no parent folder to search.
        let t = tree(
            MemFs::new()
                .file("/r/terragrunt.hcl", "")
                .file("/r/root.hcl", ""),
            "/r/terragrunt.hcl",
        );
        t.err(
            "find_in_parent_folders",
            vec![s("root.hcl")],
            "ParentFileNotFoundError",
        );
    }

    #[test]
    fn find_in_parent_folders_folder_limit_is_an_error_even_with_fallback() {
        let deep: String = (0..105).map(|i| format!("/d{i}")).collect();
        let config = format!("/r{deep}/terragrunt.hcl");
        let t = tree(MemFs::new().file(config.clone(), ""), &config);
        t.err(
            "find_in_parent_folders",
            vec![s("root.hcl"), s("fallback")],
            "Cause: Exceeded maximum folders to check (100).",
        );
    }

    #[test]
    fn find_in_parent_folders_default_name_probes_json_first_and_is_deprecated() {
        let t = tree(
            MemFs::new()
                .file("/r/terragrunt.hcl", "")
                .file("/r/terragrunt.hcl.json", "{}")
                .file("/r/x/terragrunt.hcl", "")
                .file("/r/x/y/terragrunt.hcl", ""),
            "/r/x/y/terragrunt.hcl",
        );
        assert_eq!(t.s("find_in_parent_folders", vec![]), "/r/x/terragrunt.hcl");
        let t = tree(
            MemFs::new()
                .file("/r/terragrunt.hcl", "")
                .file("/r/terragrunt.hcl.json", "{}")
                .file("/r/x/terragrunt.hcl", ""),
            "/r/x/terragrunt.hcl",
        );
        assert_eq!(
            t.s("find_in_parent_folders", vec![s("")]),
            "/r/terragrunt.hcl.json"
        );
        // An explicit "terragrunt.hcl" probes only that name, and is deprecated too.
        assert_eq!(
            t.s("find_in_parent_folders", vec![s("terragrunt.hcl")]),
            "/r/terragrunt.hcl"
        );
        let d = t.diags();
        assert_eq!(d.len(), 2);
        assert!(d.iter().all(|d| d.rule == ids::DEPRECATED
            && d.severity == crate::diag::Severity::Warning
            && d.message.starts_with(
                "Using `terragrunt.hcl` as the root of Terragrunt configurations is an anti-pattern"
            )
            && d.primary.start == 3
            && d.primary.end == 9));
        // Other names are not deprecated.
        t.ok("find_in_parent_folders", vec![s("terragrunt.hcl.json")]);
        assert_eq!(t.diags().len(), 2);
    }

    #[test]
    fn find_in_parent_folders_arguments() {
        let t = tree(
            MemFs::new()
                .file("/r/42", "")
                .file("/r/a/terragrunt.hcl", ""),
            "/r/a/terragrunt.hcl",
        );
        // Numbers convert to strings; lists do not; unknown gives unknown; null errors.
        assert_eq!(t.s("find_in_parent_folders", vec![Value::int(42)]), "/r/42");
        t.err(
            "find_in_parent_folders",
            vec![Value::tuple(vec![s("x")])],
            "string required",
        );
        t.unknown("find_in_parent_folders", vec![Value::unknown("u")], "u");
        t.err(
            "find_in_parent_folders",
            vec![Value::null()],
            "must not be null",
        );
        // A name climbing out of the root is not probed.
        t.unknown(
            "find_in_parent_folders",
            vec![s("../../etc/passwd")],
            "outside the scanned root",
        );
        assert!(t.diags().iter().any(|d| d.rule == ids::UNSUPPORTED));
    }

    // --- include-relative paths -----------------------------------------------------

    #[test]
    fn path_functions_without_includes() {
        let t = empty();
        assert_eq!(t.s("path_relative_to_include", vec![]), ".");
        assert_eq!(t.s("path_relative_from_include", vec![s("any")]), ".");
        assert_eq!(t.s("get_parent_terragrunt_dir", vec![]), "/r/a");
        assert_eq!(t.s("get_terragrunt_dir", vec![]), "/r/a");
        assert_eq!(t.s("get_original_terragrunt_dir", vec![]), "/r/a");
    }

    #[test]
    fn path_functions_in_the_child() {
        let mut t = tree(MemFs::new(), "/r/prod/vpc/terragrunt.hcl");
        t.ctx.includes = vec![inc("root", "/r/root.hcl")];
        assert_eq!(t.s("path_relative_to_include", vec![]), "prod/vpc");
        assert_eq!(
            t.s("path_relative_to_include", vec![s("whatever")]),
            "prod/vpc"
        );
        assert_eq!(t.s("path_relative_from_include", vec![]), "../..");
        assert_eq!(t.s("get_parent_terragrunt_dir", vec![]), "/r");

        t.ctx.includes = vec![inc("root", "/r/root.hcl"), inc("env", "/r/prod/env.hcl")];
        assert_eq!(t.s("path_relative_to_include", vec![s("env")]), "vpc");
        assert_eq!(t.s("path_relative_from_include", vec![s("env")]), "..");
        assert_eq!(t.s("get_parent_terragrunt_dir", vec![s("env")]), "/r/prod");
        assert_eq!(t.s("get_parent_terragrunt_dir", vec![s("root")]), "/r");
        t.err(
            "path_relative_to_include",
            vec![s("nope")],
            "There is no include block in the current config with the label 'nope'",
        );
        t.err(
            "path_relative_to_include",
            vec![],
            "Expected 1 params for function path_relative_from_include, but got 0",
        );
        t.err("get_parent_terragrunt_dir", vec![s("nope")], "label 'nope'");
    }

    /// EXPECTED §11: functions in a parent see the unit's directory, except
    /// get_parent_terragrunt_dir.
    #[test]
    fn path_functions_in_a_parent() {
        let mut t = tree(
            MemFs::new()
                .file("/r/root.hcl", "")
                .file("/r/qa/my-app/terragrunt.hcl", ""),
            "/r/qa/my-app/terragrunt.hcl",
        );
        t.ctx.current_file = PathBuf::from("/r/root.hcl");
        t.ctx.include_from_child = Some(inc("", "/r/root.hcl"));
        t.ctx.includes = vec![inc("", "/r/root.hcl")];
        assert_eq!(t.s("get_parent_terragrunt_dir", vec![]), "/r");
        assert_eq!(t.s("get_terragrunt_dir", vec![]), "/r/qa/my-app");
        // In a parent the label is ignored.
        assert_eq!(
            t.s("path_relative_to_include", vec![s("nope")]),
            "qa/my-app"
        );
        assert_eq!(t.s("path_relative_from_include", vec![]), "../..");
        t.unknown("get_terraform_command", vec![], "--terraform-command");
        t.unknown("get_terraform_cli_args", vec![], "--terraform-command");
    }

    /// EXPECTED §21: path_relative_to_include() evaluated in the parent is "app", and the
    /// run_cmd around it is unknown with a known argument list.
    #[test]
    fn relative_include_cmd() {
        let mut t = tree(
            MemFs::new()
                .file("/r/terragrunt-test.hcl", "")
                .file("/r/app/terragrunt.hcl", ""),
            "/r/app/terragrunt.hcl",
        );
        t.ctx.includes = vec![inc("root", "/r/terragrunt-test.hcl")];
        t.ctx.include_from_child = Some(inc("root", "/r/terragrunt-test.hcl"));
        t.ctx.current_file = PathBuf::from("/r/terragrunt-test.hcl");
        let rel = t.ok("path_relative_to_include", vec![]);
        assert_eq!(rel.as_str(), Some("app"));
        t.unknown(
            "run_cmd",
            vec![s("echo"), s("path_relative_to_inclue:"), rel],
            "run_cmd is never executed by tglint: echo path_relative_to_inclue: app",
        );
        // EXPECTED §22 (IncludeFunctionsWorkInChildConfig): the same call in the child.
        t.ctx.include_from_child = None;
        assert_eq!(t.s("path_relative_to_include", vec![]), "app");
    }

    #[test]
    fn original_dir_differs_inside_read_targets() {
        let mut t = tree(MemFs::new(), "/r/common/common.hcl");
        t.ctx.original_path = PathBuf::from("/r/unit/terragrunt.hcl");
        assert_eq!(t.s("get_terragrunt_dir", vec![]), "/r/common");
        assert_eq!(t.s("get_original_terragrunt_dir", vec![]), "/r/unit");
    }

    // --- repository root ------------------------------------------------------------

    #[test]
    fn repo_root_is_the_nearest_git_or_the_root() {
        let t = tree(
            MemFs::new()
                .file("/r/repo/.git/HEAD", "ref")
                .file("/r/repo/live/prod/app/terragrunt.hcl", ""),
            "/r/repo/live/prod/app/terragrunt.hcl",
        );
        assert_eq!(t.s("get_repo_root", vec![]), "/r/repo");
        assert_eq!(t.s("get_path_from_repo_root", vec![]), "live/prod/app");
        assert_eq!(t.s("get_path_to_repo_root", vec![]), "../../..");
        // A `.git` file (worktree) counts too; the unit's own directory is checked.
        let t = tree(
            MemFs::new()
                .file("/r/w/.git", "gitdir: x")
                .file("/r/w/terragrunt.hcl", ""),
            "/r/w/terragrunt.hcl",
        );
        assert_eq!(t.s("get_repo_root", vec![]), "/r/w");
        assert_eq!(t.s("get_path_from_repo_root", vec![]), ".");
        assert_eq!(t.s("get_path_to_repo_root", vec![]), ".");
        // None below the root: the root, never above it.
        let t = tree_with(
            MemFs::new()
                .file("/top/.git/HEAD", "")
                .file("/top/r/a/b/terragrunt.hcl", ""),
            "/top/r",
            "/top/r/a/b/terragrunt.hcl",
            Options::default(),
        );
        assert_eq!(t.s("get_repo_root", vec![]), "/top/r");
        assert_eq!(t.s("get_path_from_repo_root", vec![]), "a/b");
        assert_eq!(t.s("get_path_to_repo_root", vec![]), "../..");
    }
}
