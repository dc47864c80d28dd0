//! Terragrunt's built-in functions (spec §5.1) with tglint's static answers (DESIGN §3.4).
//! They read their parsing context from `CallCtx::ext` (a [`TgCtx`]).
//!
//! Nothing here executes a command, calls a network or cloud API, decrypts, or reads outside
//! the scanned root: what cannot be known statically is an unknown value with a reason.
//!
//! This file is the registry ([`terragrunt`]) and the helpers every function uses (its
//! context, string parameters, Terragrunt's wrong-arity error, path arguments, refusals
//! outside the root). Each family of functions has its own file:
//!
//! - `paths.rs`: `find_in_parent_folders`, `path_relative_to_include`,
//!   `path_relative_from_include`, `get_terragrunt_dir`, `get_original_terragrunt_dir`,
//!   `get_parent_terragrunt_dir` and the repository-root functions.
//! - `env.rs`: what depends on where and how Terragrunt runs: `get_env`, `get_platform`,
//!   `get_working_dir`, `get_aws_*`, `run_cmd`, `sops_decrypt_file`,
//!   `get_terraform_command`, `get_terraform_cli_args`, and the static lists
//!   (`get_terraform_commands_that_need_*`, `get_default_retryable_errors`).
//! - `read.rs`: `read_terragrunt_config` (the function; reading the file is `config.rs`),
//!   `read_tfvars_file` with Terragrunt's Go-side JSON, `mark_as_read`,
//!   `mark_glob_as_read` (the walk).
//! - `json_check.rs`: the JSON validator of `read_tfvars_file` (`json.Unmarshal`'s errors).
//! - `glob.rs`: the patterns of `mark_glob_as_read` (gobwas-style, as Terragrunt's
//!   `internal/glob`): compiling and matching.
//! - `version.rs`: `constraint_check` with hashicorp/go-version's parsing and ordering.
//! - `string_predicates.rs`: `startswith`, `endswith`, `strcontains`.
//! - `time.rs`: `timecmp`.
//! - `experiments.rs`: `deep_merge`, which needs an experiment tglint does not enable.
//! - `test_support.rs` (tests only): the `TgCtx` over a `MemFs` the tests call through.

mod env;
mod experiments;
mod glob;
mod json_check;
mod paths;
mod read;
mod string_predicates;
#[cfg(test)]
mod test_support;
mod time;
mod version;

pub use paths::ROOT_TERRAGRUNT_HCL_WARNING;

use crate::diag::{Diagnostic, ids};
use crate::fs::clean;
use crate::source::Refusal;
use crate::terragrunt::context::TgCtx;
use env::{
    get_aws, get_env, get_platform, get_terraform_cli_args, get_terraform_command,
    get_terragrunt_source_cli_flag, get_working_dir, run_cmd, sops_decrypt_file, static_list,
};
use experiments::deep_merge;
use paths::{
    find_in_parent_folders, get_original_terragrunt_dir, get_parent_terragrunt_dir,
    get_path_from_repo_root, get_path_to_repo_root, get_repo_root, get_terragrunt_dir,
    path_relative_from_include, path_relative_to_include,
};
use read::{mark_as_read, mark_glob_as_read, read_terragrunt_config, read_tfvars_file};
use std::path::{Path, PathBuf};
use std::sync::OnceLock;
use string_predicates::{endswith, startswith, strcontains};
use tglint_hcl::{CallCtx, FnError, FnResult, Functions, Param, Value};
use time::timecmp;
use version::constraint_check;

/// Terragrunt's functions, built once.
pub fn terragrunt() -> &'static Functions {
    static CELL: OnceLock<Functions> = OnceLock::new();
    CELL.get_or_init(|| {
        let mut f = Functions::new();
        register(&mut f);
        f
    })
}

type Imp = fn(&CallCtx<'_>, Vec<Value>) -> FnResult;

fn register(f: &mut Functions) {
    // Terragrunt's wrappers take a variadic string parameter (numbers and bools convert,
    // null is an error, an unknown argument makes the result unknown without a call).
    let strs = Some(Param::new("args"));
    let variadic: &[(&str, Imp)] = &[
        ("find_in_parent_folders", find_in_parent_folders),
        ("path_relative_to_include", path_relative_to_include),
        ("path_relative_from_include", path_relative_from_include),
        ("get_parent_terragrunt_dir", get_parent_terragrunt_dir),
        ("get_env", get_env),
        ("read_tfvars_file", read_tfvars_file),
        ("sops_decrypt_file", sops_decrypt_file),
        ("mark_as_read", mark_as_read),
        ("mark_glob_as_read", mark_glob_as_read),
        ("constraint_check", constraint_check),
        ("startswith", startswith),
        ("endswith", endswith),
        ("strcontains", strcontains),
        ("timecmp", timecmp),
    ];
    for (name, imp) in variadic {
        f.add(name, &[], strs, *imp);
    }
    let nullary: &[(&str, Imp)] = &[
        ("get_terragrunt_dir", get_terragrunt_dir),
        ("get_original_terragrunt_dir", get_original_terragrunt_dir),
        ("get_working_dir", get_working_dir),
        ("get_platform", get_platform),
        ("get_repo_root", get_repo_root),
        ("get_path_from_repo_root", get_path_from_repo_root),
        ("get_path_to_repo_root", get_path_to_repo_root),
        ("get_terraform_command", get_terraform_command),
        ("get_terraform_cli_args", get_terraform_cli_args),
        (
            "get_terragrunt_source_cli_flag",
            get_terragrunt_source_cli_flag,
        ),
        ("get_aws_account_id", get_aws),
        ("get_aws_account_alias", get_aws),
        ("get_aws_caller_identity_arn", get_aws),
        ("get_aws_caller_identity_user_id", get_aws),
        ("get_terraform_commands_that_need_vars", static_list),
        ("get_terraform_commands_that_need_locking", static_list),
        ("get_terraform_commands_that_need_input", static_list),
        ("get_terraform_commands_that_need_parallelism", static_list),
        ("get_default_retryable_errors", static_list),
    ];
    for (name, imp) in nullary {
        f.add(name, &[], None, *imp);
    }
    // run_cmd sees every argument, even unknown ones, so that its reason can name the
    // command; it never runs anything.
    f.add(
        "run_cmd",
        &[],
        Some(Param::new("args").unknowns().nullable()),
        run_cmd,
    );
    f.add(
        "read_terragrunt_config",
        &[Param::new("config_path")],
        Some(Param::new("default")),
        read_terragrunt_config,
    );
    f.add(
        "deep_merge",
        &[],
        Some(Param::new("maps").nullable()),
        deep_merge,
    );
}

// ---------------------------------------------------------------------------------------
// Shared helpers
// ---------------------------------------------------------------------------------------

fn tg<'a>(cx: &CallCtx<'a>) -> Result<&'a TgCtx, FnError> {
    cx.ext
        .and_then(|e| e.downcast_ref::<TgCtx>())
        .ok_or_else(|| {
            FnError::call(format!(
                "{} is only available in Terragrunt configuration files",
                cx.name
            ))
        })
}

/// Terragrunt's string parameters: numbers and bools convert, collections do not.
fn strings(args: &[Value]) -> Result<Vec<String>, FnError> {
    args.iter()
        .enumerate()
        .map(|(i, a)| a.to_str_conv().map_err(|m| FnError::arg(i, m)))
        .collect()
}

/// Terragrunt's `WrongNumberOfParamsError`.
fn wrong_params(func: &str, expected: &str, actual: usize) -> FnError {
    FnError::call(format!(
        "Expected {expected} params for function {func}, but got {actual}"
    ))
}

fn ps(p: &Path) -> String {
    p.to_string_lossy().into_owned()
}

/// Go's `filepath.Join(base, name)`: concatenated (an absolute `name` does not replace
/// `base`), then cleaned.
fn go_join(base: &Path, name: &str) -> PathBuf {
    if name.is_empty() {
        return clean(base);
    }
    clean(Path::new(&format!("{}/{}", base.display(), name)))
}

/// A path argument: absolute as given, relative joined to `base`; cleaned.
fn resolve(base: &Path, p: &str) -> PathBuf {
    if Path::new(p).is_absolute() {
        clean(Path::new(p))
    } else {
        go_join(base, p)
    }
}

/// Reports a path outside the scanned root and returns the unknown standing for its value.
fn outside_root(ctx: &TgCtx, cx: &CallCtx<'_>, path: &Path) -> Value {
    let why = ctx.shared.cache.refusal(path).unwrap_or(Refusal::Outside);
    refused(ctx, cx, path, &why)
}

/// Reports a refused read (outside the root, or a file over the size cap) and returns the
/// unknown standing for its value.
fn refused(ctx: &TgCtx, cx: &CallCtx<'_>, path: &Path, why: &Refusal) -> Value {
    let cache = &ctx.shared.cache;
    let see = match why {
        Refusal::TooLarge => "see docs/security.md",
        _ => "see --allow-outside-root",
    };
    let msg = format!("{}: {} ({see})", cx.name, cache.refusal_message(path, why));
    ctx.report(Diagnostic::at(ids::UNSUPPORTED, msg.clone(), cx.span));
    Value::unknown(msg)
}

#[cfg(test)]
mod tests {
    use super::*;
    use tglint_hcl::NoFiles;

    #[test]
    fn outside_terragrunt_the_functions_refuse() {
        let cx = CallCtx::detached("get_terragrunt_dir", &NoFiles);
        let e = terragrunt()
            .call("get_terragrunt_dir", &cx, vec![])
            .unwrap_err();
        assert!(format!("{e:?}").contains("only available in Terragrunt configuration files"));
    }

    #[test]
    fn every_spec_function_is_registered() {
        let names = [
            "find_in_parent_folders",
            "path_relative_to_include",
            "path_relative_from_include",
            "get_parent_terragrunt_dir",
            "get_terragrunt_dir",
            "get_original_terragrunt_dir",
            "get_working_dir",
            "get_env",
            "run_cmd",
            "read_terragrunt_config",
            "read_tfvars_file",
            "sops_decrypt_file",
            "get_platform",
            "get_repo_root",
            "get_path_from_repo_root",
            "get_path_to_repo_root",
            "get_terraform_command",
            "get_terraform_cli_args",
            "get_terragrunt_source_cli_flag",
            "get_aws_account_id",
            "get_aws_account_alias",
            "get_aws_caller_identity_arn",
            "get_aws_caller_identity_user_id",
            "get_terraform_commands_that_need_vars",
            "get_terraform_commands_that_need_locking",
            "get_terraform_commands_that_need_input",
            "get_terraform_commands_that_need_parallelism",
            "get_default_retryable_errors",
            "mark_as_read",
            "mark_glob_as_read",
            "constraint_check",
            "deep_merge",
            "startswith",
            "endswith",
            "strcontains",
            "timecmp",
        ];
        let mut got = terragrunt().names();
        got.sort_unstable();
        let mut want = names.to_vec();
        want.sort_unstable();
        assert_eq!(got, want);
    }
}
