//! Terragrunt's built-in functions (spec §5.1) with tglint's static answers (DESIGN §3.4).
//! They read their parsing context from `CallCtx::ext` (a [`TgCtx`]).
//!
//! Nothing here executes a command, calls a network or cloud API, decrypts, or reads outside
//! the scanned root: what cannot be known statically is an unknown value with a reason.

use crate::diag::{Diagnostic, ids};
use crate::fs::{Kind, clean, relative};
use crate::source::{BodyError, ReadError, Refusal};
use crate::terragrunt::context::{IncludeRef, ParentSearch, TgCtx};
use crate::terragrunt::{ReadConfigError, config_in_dir, read_config_object};
use std::cmp::Ordering;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;
use tglint_hcl::{
    CallCtx, Data, EvalCtx, FnError, FnResult, Functions, NoFiles, Param, Value, Vars, eval,
};

/// Terragrunt's functions, built once.
pub fn terragrunt() -> &'static Functions {
    static CELL: OnceLock<Functions> = OnceLock::new();
    CELL.get_or_init(|| {
        let mut f = Functions::new();
        register(&mut f);
        f
    })
}

/// `MaxFoldersToCheck` (Terragrunt's default).
const MAX_FOLDERS_TO_CHECK: usize = 100;

/// The `root-terragrunt-hcl` strict control's warning (Terragrunt's wording).
pub const ROOT_TERRAGRUNT_HCL_WARNING: &str = "Using `terragrunt.hcl` as the root of Terragrunt configurations is an anti-pattern, and no longer recommended. In a future version of Terragrunt, this will result in an error. You are advised to use a differently named file like `root.hcl` instead. For more information, see https://terragrunt.gruntwork.io/docs/migrate/migrating-from-root-terragrunt-hcl";

const DEFAULT_CONFIG: &str = "terragrunt.hcl";

const COMMANDS_NEED_VARS: &[&str] = &[
    "apply", "console", "destroy", "import", "plan", "push", "refresh",
];
const COMMANDS_NEED_LOCKING: &[&str] = &[
    "apply", "destroy", "import", "plan", "refresh", "taint", "untaint",
];
const COMMANDS_NEED_INPUT: &[&str] = &["apply", "import", "init", "plan", "refresh"];
const COMMANDS_NEED_PARALLELISM: &[&str] = &["apply", "plan", "destroy"];

/// `DefaultRetryableErrors` of `internal/retry/defaults.go`.
const DEFAULT_RETRYABLE_ERRORS: &[&str] = &[
    r"(?s).*Failed to load state.*tcp.*timeout.*",
    r"(?s).*Failed to load backend.*TLS handshake timeout.*",
    r"(?s).*Creating metric alarm failed.*request to update this alarm is in progress.*",
    r"(?s).*Error installing provider.*TLS handshake timeout.*",
    r"(?s).*Error configuring the backend.*TLS handshake timeout.*",
    r"(?s).*Error installing provider.*tcp.*timeout.*",
    r"(?s).*Error installing provider.*tcp.*connection reset by peer.*",
    r"NoSuchBucket: The specified bucket does not exist",
    r"(?s).*Error creating SSM parameter: TooManyUpdates:.*",
    r"(?s).*app.terraform.io.*: 429 Too Many Requests.*",
    r"(?s).*ssh_exchange_identification.*Connection closed by remote host.*",
    r"(?s).*Client\.Timeout exceeded while awaiting headers.*",
    r"(?s).*Could not download module.*The requested URL returned error: 429.*",
    r"(?s).*net/http: TLS.*handshake timeout.*",
    r"(?s).*could not query provider registry.*context deadline exceeded.*",
    r"(?s).*provider.*TLS handshake timeout.*",
    r"(?s).*provider.*tcp.*timeout.*",
    r"(?s).*provider.*tcp.*connection reset by peer.*",
    r"(?s).*provider.*context deadline exceeded.*",
    r"(?s).*registry.*context deadline exceeded.*",
    r"(?s).*Failed to resolve provider.*timeout.*",
    r"(?s).*Failed to resolve provider.*connection reset by peer.*",
    r"(?s).*Failed to resolve provider.*context deadline exceeded.*",
    r"(?s).*could not connect to registry.*timeout.*",
    r"(?s).*could not connect to registry.*connection reset by peer.*",
    r"(?s).*could not connect to registry.*context deadline exceeded.*",
    r"(?s).*failed to request discovery document.*context deadline exceeded.*",
    r"(?s).*Failed to query available provider packages.*timeout.*",
    r"(?s).*Failed to query available provider packages.*connection reset by peer.*",
    r"(?s).*Failed to query available provider packages.*context deadline exceeded.*",
];

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
    let cache = &ctx.shared.cache;
    let why = cache.refusal(path).unwrap_or(Refusal::Outside);
    let msg = format!(
        "{}: {} (see --allow-outside-root)",
        cx.name,
        cache.refusal_message(path, &why)
    );
    ctx.report(Diagnostic::at(ids::UNSUPPORTED, msg.clone(), cx.span));
    Value::unknown(msg)
}

/// Go's `%q` for the strings Terragrunt quotes in its messages.
fn go_quote(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        push_go_escaped(&mut out, c, '"');
    }
    out.push('"');
    out
}

fn push_go_escaped(out: &mut String, c: char, quote: char) {
    match c {
        '\\' => out.push_str("\\\\"),
        '\n' => out.push_str("\\n"),
        '\r' => out.push_str("\\r"),
        '\t' => out.push_str("\\t"),
        '\u{7}' => out.push_str("\\a"),
        '\u{8}' => out.push_str("\\b"),
        '\u{c}' => out.push_str("\\f"),
        '\u{b}' => out.push_str("\\v"),
        c if c == quote => {
            out.push('\\');
            out.push(c);
        }
        c if (c as u32) < 0x20 || c as u32 == 0x7f => {
            out.push_str(&format!("\\x{:02x}", c as u32));
        }
        c => out.push(c),
    }
}

fn string_list(items: &[&str]) -> Value {
    Value::list(items.iter().map(|s| Value::string(*s)).collect())
}

// ---------------------------------------------------------------------------------------
// find_in_parent_folders (spec §4, errata 4, DESIGN §3.4)
// ---------------------------------------------------------------------------------------

fn find_in_parent_folders(cx: &CallCtx<'_>, args: Vec<Value>) -> FnResult {
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
    let key = (start.to_path_buf(), name.to_string());
    let cached = ctx
        .shared
        .parent_search
        .lock()
        .ok()
        .and_then(|m| m.get(&key).cloned());
    let outcome = match cached {
        Some(o) => o,
        None => {
            let o = search_parents(ctx, start, name);
            if let Ok(mut m) = ctx.shared.parent_search.lock() {
                m.insert(key, o.clone());
            }
            o
        }
    };
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

/// The walk of `find_in_parent_folders` from the parent of `start`.
fn search_parents(ctx: &TgCtx, start: &Path, name: &str) -> ParentSearch {
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
fn selected_include<'a>(
    ctx: &'a TgCtx,
    params: &[String],
) -> Result<Option<&'a IncludeRef>, FnError> {
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

fn include_dir(inc: &IncludeRef) -> PathBuf {
    inc.path.parent().unwrap_or(Path::new("/")).to_path_buf()
}

fn path_relative_to_include(cx: &CallCtx<'_>, args: Vec<Value>) -> FnResult {
    let ctx = tg(cx)?;
    let params = strings(&args)?;
    Ok(Value::string(match selected_include(ctx, &params)? {
        None => ".".to_string(),
        Some(inc) => relative(ctx.terragrunt_dir(), &include_dir(inc)),
    }))
}

fn path_relative_from_include(cx: &CallCtx<'_>, args: Vec<Value>) -> FnResult {
    let ctx = tg(cx)?;
    let params = strings(&args)?;
    Ok(Value::string(match selected_include(ctx, &params)? {
        None => ".".to_string(),
        Some(inc) => relative(&include_dir(inc), ctx.terragrunt_dir()),
    }))
}

fn get_parent_terragrunt_dir(cx: &CallCtx<'_>, args: Vec<Value>) -> FnResult {
    let ctx = tg(cx)?;
    let params = strings(&args)?;
    let from = match selected_include(ctx, &params)? {
        None => ".".to_string(),
        Some(inc) => relative(&include_dir(inc), ctx.terragrunt_dir()),
    };
    Ok(Value::string(ps(&go_join(ctx.terragrunt_dir(), &from))))
}

fn get_terragrunt_dir(cx: &CallCtx<'_>, _: Vec<Value>) -> FnResult {
    let ctx = tg(cx)?;
    Ok(Value::string(ps(ctx.terragrunt_dir())))
}

fn get_original_terragrunt_dir(cx: &CallCtx<'_>, _: Vec<Value>) -> FnResult {
    let ctx = tg(cx)?;
    let dir = ctx.original_path.parent().unwrap_or(Path::new("/"));
    Ok(Value::string(ps(dir)))
}

// ---------------------------------------------------------------------------------------
// Environment-dependent functions (DESIGN §3.4)
// ---------------------------------------------------------------------------------------

fn get_working_dir(cx: &CallCtx<'_>, _: Vec<Value>) -> FnResult {
    tg(cx)?;
    Ok(Value::unknown(
        "get_working_dir: the .terragrunt-cache directory Terragrunt would run in is not computed by tglint",
    ))
}

fn get_platform(cx: &CallCtx<'_>, _: Vec<Value>) -> FnResult {
    tg(cx)?;
    Ok(Value::unknown(
        "get_platform: the operating system Terragrunt runs on is not known to tglint",
    ))
}

fn get_aws(cx: &CallCtx<'_>, _: Vec<Value>) -> FnResult {
    tg(cx)?;
    Ok(Value::unknown(format!(
        "{} needs AWS credentials; tglint never calls AWS",
        cx.name
    )))
}

fn get_env(cx: &CallCtx<'_>, args: Vec<Value>) -> FnResult {
    let ctx = tg(cx)?;
    let params = strings(&args)?;
    let (name, default) = match params.as_slice() {
        [name] => (name, None),
        [name, default] => (name, Some(default)),
        _ => {
            return Err(FnError::call(format!(
                "InvalidGetEnvParamsError: Expected one or two parameters (getEnv(\"<NAME>\", \"[DEFAULT]\")) for get_env but got {}.",
                params.len()
            )));
        }
    };
    if name.is_empty() {
        return Err(FnError::call(format!(
            "InvalidEnvParamNameError: Invalid environment variable name - ({name}) "
        )));
    }
    let opts = &ctx.shared.opts;
    if let Some(v) = opts.env.get(name) {
        return Ok(Value::string(v.clone()));
    }
    // `var_os` may panic on a name holding `=` or NUL; no such variable can exist.
    if opts.inherit_env
        && !name.contains(['=', '\0'])
        && let Some(v) = std::env::var_os(name)
    {
        return Ok(Value::string(v.to_string_lossy().into_owned()));
    }
    Ok(match default {
        Some(d) => Value::string(d.clone()),
        None => Value::unknown(format!(
            "get_env: {name} is not set (give it with --set-env {name}=VALUE)"
        )),
    })
}

fn run_cmd(cx: &CallCtx<'_>, args: Vec<Value>) -> FnResult {
    tg(cx)?;
    let mut words: Vec<Option<String>> = Vec::with_capacity(args.len());
    for (i, a) in args.iter().enumerate() {
        match &a.data {
            Data::Unknown(_) => words.push(None),
            Data::Null => return Err(FnError::arg(i, "argument must not be null")),
            _ => words.push(Some(a.to_str_conv().map_err(|m| FnError::arg(i, m))?)),
        }
    }
    let empty =
        || FnError::call("Empty string value is not allowed for parameter to the run_cmd function");
    if words.is_empty() {
        return Err(empty());
    }
    let (mut global_cache, mut no_cache) = (false, false);
    let mut rest: &[Option<String>] = &words;
    while let Some((Some(first), tail)) = rest.split_first() {
        match first.as_str() {
            "--terragrunt-quiet" => {}
            "--terragrunt-global-cache" => global_cache = true,
            "--terragrunt-no-cache" => no_cache = true,
            _ => break,
        }
        if global_cache && no_cache {
            return Err(FnError::call(
                "The --terragrunt-global-cache and --terragrunt-no-cache options cannot be used together. Choose one caching option for run_cmd.",
            ));
        }
        rest = tail;
    }
    if rest.is_empty() {
        return Err(empty());
    }
    let mut line = rest
        .iter()
        .map(|w| w.as_deref().unwrap_or("(unknown)"))
        .collect::<Vec<_>>()
        .join(" ");
    const MAX_SHOWN: usize = 200;
    if let Some((cut, _)) = line.char_indices().nth(MAX_SHOWN) {
        line.truncate(cut);
        line.push('…');
    }
    Ok(Value::unknown(format!(
        "run_cmd is never executed by tglint: {line}"
    )))
}

fn sops_decrypt_file(cx: &CallCtx<'_>, args: Vec<Value>) -> FnResult {
    let ctx = tg(cx)?;
    let params = strings(&args)?;
    let [file] = params.as_slice() else {
        return Err(wrong_params("sops_decrypt_file", "1", params.len()));
    };
    let path = resolve(ctx.terragrunt_dir(), file);
    match ctx.shared.cache.kind(&path) {
        Err(_) => return Ok(outside_root(ctx, cx, &path)),
        Ok(Some(_)) => {}
        Ok(None) => {
            return Err(FnError::call(format!(
                "could not read file {}: no such file or directory",
                go_quote(&ps(&path))
            )));
        }
    }
    Ok(Value::unknown(format!(
        "sops_decrypt_file: tglint never decrypts ({})",
        path.display()
    )))
}

fn get_terraform_command(cx: &CallCtx<'_>, _: Vec<Value>) -> FnResult {
    let ctx = tg(cx)?;
    Ok(match &ctx.shared.opts.terraform_command {
        Some(c) => Value::string(c.clone()),
        None => Value::unknown(
            "get_terraform_command: the command depends on how Terragrunt is run (see --terraform-command)",
        ),
    })
}

fn get_terraform_cli_args(cx: &CallCtx<'_>, _: Vec<Value>) -> FnResult {
    let ctx = tg(cx)?;
    Ok(match &ctx.shared.opts.terraform_command {
        Some(c) => Value::list(vec![Value::string(c.clone())]),
        None => Value::unknown(
            "get_terraform_cli_args: the arguments depend on how Terragrunt is run (see --terraform-command)",
        ),
    })
}

fn get_terragrunt_source_cli_flag(cx: &CallCtx<'_>, _: Vec<Value>) -> FnResult {
    tg(cx)?;
    Ok(Value::string(""))
}

fn static_list(cx: &CallCtx<'_>, _: Vec<Value>) -> FnResult {
    tg(cx)?;
    let items = match cx.name {
        "get_terraform_commands_that_need_vars" => COMMANDS_NEED_VARS,
        "get_terraform_commands_that_need_locking" => COMMANDS_NEED_LOCKING,
        "get_terraform_commands_that_need_input" => COMMANDS_NEED_INPUT,
        "get_terraform_commands_that_need_parallelism" => COMMANDS_NEED_PARALLELISM,
        "get_default_retryable_errors" => DEFAULT_RETRYABLE_ERRORS,
        other => {
            return Err(FnError::call(format!(
                "{other} is not a Terragrunt function"
            )));
        }
    };
    Ok(string_list(items))
}

// ---------------------------------------------------------------------------------------
// Repository root (DESIGN §3.4)
// ---------------------------------------------------------------------------------------

/// The nearest ancestor of the unit's directory (itself included) that holds a `.git`
/// entry, searching no higher than the scanned root; the root when there is none.
fn repo_root(ctx: &TgCtx) -> PathBuf {
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

fn get_repo_root(cx: &CallCtx<'_>, _: Vec<Value>) -> FnResult {
    let ctx = tg(cx)?;
    Ok(Value::string(ps(&repo_root(ctx))))
}

fn get_path_from_repo_root(cx: &CallCtx<'_>, _: Vec<Value>) -> FnResult {
    let ctx = tg(cx)?;
    Ok(Value::string(relative(
        ctx.terragrunt_dir(),
        &repo_root(ctx),
    )))
}

fn get_path_to_repo_root(cx: &CallCtx<'_>, _: Vec<Value>) -> FnResult {
    let ctx = tg(cx)?;
    Ok(Value::string(relative(
        &repo_root(ctx),
        ctx.terragrunt_dir(),
    )))
}

// ---------------------------------------------------------------------------------------
// read_terragrunt_config (spec §3)
// ---------------------------------------------------------------------------------------

fn read_terragrunt_config(cx: &CallCtx<'_>, args: Vec<Value>) -> FnResult {
    let ctx = tg(cx)?;
    if args.len() > 2 {
        return Err(wrong_params("read_terragrunt_config", "1 or 2", args.len()));
    }
    let mut args = args.into_iter();
    let path = match args.next() {
        Some(p) => p.to_str_conv().map_err(|m| FnError::arg(0, m))?,
        None => return Err(wrong_params("read_terragrunt_config", "1 or 2", 0)),
    };
    let default = args.next();
    let joined = resolve(ctx.terragrunt_dir(), &path);
    if !ctx.shared.cache.allows(&joined) {
        return Ok(outside_root(ctx, cx, &joined));
    }
    let target = if ctx.shared.cache.kind(&joined) == Ok(Some(Kind::Dir)) {
        config_in_dir(ctx, &joined)
    } else {
        joined
    };
    match read_config_object(ctx, &target, cx.span) {
        Ok(v) => Ok(v),
        Err(ReadConfigError::NotFound(p)) => match default {
            Some(d) => Ok(d),
            None => Err(FnError::call(format!(
                "You attempted to run terragrunt in a folder that does not contain a terragrunt.hcl file. Please add a terragrunt.hcl file and try again.\n\nPath: {}",
                go_quote(&ps(&p))
            ))),
        },
        Err(ReadConfigError::Failed(m)) => Err(FnError::call(m)),
        Err(ReadConfigError::Budget(e)) => Err(FnError::Budget(e)),
    }
}

// ---------------------------------------------------------------------------------------
// read_tfvars_file
// ---------------------------------------------------------------------------------------

fn read_tfvars_file(cx: &CallCtx<'_>, args: Vec<Value>) -> FnResult {
    let ctx = tg(cx)?;
    let params = strings(&args)?;
    let [file] = params.as_slice() else {
        return Err(wrong_params("read_tfvars_file", "1", params.len()));
    };
    let path = resolve(ctx.terragrunt_dir(), file);
    let shown = ps(&path);
    if !ctx.shared.cache.allows(&path) {
        return Ok(outside_root(ctx, cx, &path));
    }
    let cache = &ctx.shared.cache;
    let sf = cache.file(&path);
    let bytes = match cache.bytes(&sf) {
        Ok(b) => b,
        Err(ReadError::NotFound) => {
            return Err(FnError::call(format!(
                "TFVarFileNotFound: Could not find a {shown}. Cause: ."
            )));
        }
        Err(ReadError::Refused(_)) => return Ok(outside_root(ctx, cx, &path)),
        Err(e) => {
            return Err(FnError::call(format!(
                "could not read file {}: {e}",
                go_quote(&shown)
            )));
        }
    };
    if shown.ends_with("json") {
        // Terragrunt checks the JSON is an object and returns the file's text unchanged.
        json_check_object(&bytes).map_err(|m| {
            FnError::call(format!("could not unmarshal json body of tfvar file: {m}"))
        })?;
        let text = std::str::from_utf8(&bytes).map_err(|e| {
            FnError::call(format!(
                "could not read file {}: the file is not valid UTF-8 (first bad byte at offset {})",
                go_quote(&shown),
                e.valid_up_to()
            ))
        })?;
        return Ok(Value::string(text));
    }
    let body = cache.body(&sf).map_err(|e| match e {
        BodyError::Read(r) => {
            FnError::call(format!("could not read file {}: {r}", go_quote(&shown)))
        }
        BodyError::Parse(p) => {
            FnError::call(format!("{shown}:{},{}: {}", p.line, p.column, p.message))
        }
    })?;
    let vars = Vars::new();
    let dir = path.parent().unwrap_or(Path::new("/"));
    let ecx = EvalCtx {
        file: sf.id,
        base_dir: dir,
        files: &NoFiles,
        functions: &[],
        vars: &vars,
        ext: None,
        budget: Some(&ctx.unit.budget),
    };
    let mut values: BTreeMap<String, Value> = BTreeMap::new();
    for s in body.iter() {
        if let Some(block) = s.as_block() {
            return Err(FnError::call(format!(
                "{shown}: Unexpected \"{}\" block; Blocks are not allowed here.",
                block.ident.as_str()
            )));
        }
        let Some(attr) = s.as_attribute() else {
            continue;
        };
        let key = attr.key.as_str().to_string();
        if values.contains_key(&key) {
            return Err(FnError::call(format!(
                "{shown}: Duplicate argument; The argument \"{key}\" was already set. Each argument may be set only once."
            )));
        }
        let v = eval(&attr.value, &ecx).map_err(|e| FnError::call(format!("{shown}: {e}")))?;
        values.insert(key, v);
    }
    let obj = Value::object(values);
    if !obj.is_wholly_known() {
        return Ok(obj.unknown_like());
    }
    let out = tglint_hcl::json::encode(&obj, &GO_MARSHAL)
        .map_err(|m| FnError::call(format!("could not marshal json body of tfvar file: {m}")))?;
    Ok(Value::string(out))
}

/// `encoding/json.Marshal` of the value as Terragrunt round-trips it (numbers through
/// float64, keys sorted, HTML-safe escapes, `${` in strings escaped to `$${`).
const GO_MARSHAL: tglint_hcl::json::Style = tglint_hcl::json::Style {
    number: |n| go_json_float(n.as_f64()),
    string: |s, out| go_json_string(&escape_interpolation(s), out),
    key: go_json_string,
    unknown: Some("null"),
};

fn go_json_float(f: f64) -> Result<String, String> {
    if !f.is_finite() {
        return Err(format!(
            "json: unsupported value: {}",
            tglint_hcl::Number::Float(f)
        ));
    }
    let abs = f.abs();
    if abs != 0.0 && !(1e-6..1e21).contains(&abs) {
        let s = format!("{f:e}");
        Ok(match s.split_once('e') {
            Some((mant, exp)) if exp.starts_with('-') => format!("{mant}e{exp}"),
            Some((mant, exp)) => format!("{mant}e+{exp}"),
            None => s,
        })
    } else {
        Ok(format!("{f}"))
    }
}

fn go_json_string(s: &str, out: &mut String) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            '<' | '>' | '&' | '\u{2028}' | '\u{2029}' => {
                out.push_str(&format!("\\u{:04x}", c as u32));
            }
            c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
}

/// Terragrunt's `EscapeInterpolationInString`: `${` not already preceded by `$` becomes
/// `$${`.
fn escape_interpolation(s: &str) -> String {
    if !s.contains("${") {
        return s.to_string();
    }
    let mut out = String::with_capacity(s.len() + 4);
    let mut prev: Option<char> = None;
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '$' && chars.peek() == Some(&'{') && prev != Some('$') {
            out.push_str("$$");
        } else {
            out.push(c);
        }
        prev = Some(c);
    }
    out
}

/// Checks `b` is JSON that `json.Unmarshal` accepts into a `map[string]any` (an object or
/// `null`), with Go's error wording.
fn json_check_object(b: &[u8]) -> Result<(), String> {
    let first = json_validate(b)?;
    match first {
        b'{' | b'n' => Ok(()),
        other => {
            let kind = match other {
                b'[' => "array",
                b'"' => "string",
                b't' | b'f' => "bool",
                _ => "number",
            };
            Err(format!(
                "json: cannot unmarshal {kind} into Go value of type map[string]interface {{}}"
            ))
        }
    }
}

fn json_char(c: u8) -> String {
    let ch = char::from(c);
    if c == b'\'' {
        return "'\\''".to_string();
    }
    if c == b'"' {
        return "'\"'".to_string();
    }
    let mut s = String::from("'");
    if c >= 0x80 {
        // A byte of a multi-byte character: Go prints the rune; the byte is close enough.
        s.push_str(&format!("\\x{c:02x}"));
    } else {
        push_go_escaped(&mut s, ch, '\'');
    }
    s.push('\'');
    s
}

const JSON_MAX_DEPTH: usize = 10_000;

/// Validates a JSON text (iteratively: no recursion on nesting) and returns the first byte
/// of its top-level value.
fn json_validate(b: &[u8]) -> Result<u8, String> {
    const EOF: &str = "unexpected end of JSON input";
    let ws = |mut i: usize| {
        while matches!(b.get(i), Some(b' ' | b'\t' | b'\n' | b'\r')) {
            i += 1;
        }
        i
    };
    let bad = |c: u8, ctx: &str| format!("invalid character {} {ctx}", json_char(c));
    let string = |mut i: usize| -> Result<usize, String> {
        i += 1;
        loop {
            match b.get(i) {
                None => return Err(EOF.into()),
                Some(b'"') => return Ok(i + 1),
                Some(b'\\') => match b.get(i + 1) {
                    None => return Err(EOF.into()),
                    Some(b'"' | b'\\' | b'/' | b'b' | b'f' | b'n' | b'r' | b't') => i += 2,
                    Some(b'u') => {
                        for k in 2..6 {
                            match b.get(i + k) {
                                None => return Err(EOF.into()),
                                Some(h) if h.is_ascii_hexdigit() => {}
                                Some(&h) => {
                                    return Err(bad(h, "in \\u hexadecimal character escape"));
                                }
                            }
                        }
                        i += 6;
                    }
                    Some(&c) => return Err(bad(c, "in string escape code")),
                },
                Some(&c) if c < 0x20 => return Err(bad(c, "in string literal")),
                Some(_) => i += 1,
            }
        }
    };
    let digits = |mut i: usize| {
        while b.get(i).is_some_and(u8::is_ascii_digit) {
            i += 1;
        }
        i
    };
    let number = |mut i: usize| -> Result<usize, String> {
        if b.get(i) == Some(&b'-') {
            i += 1;
        }
        match b.get(i) {
            None => return Err(EOF.into()),
            Some(b'0') => i += 1,
            Some(c) if c.is_ascii_digit() => i = digits(i),
            Some(&c) => return Err(bad(c, "in numeric literal")),
        }
        if b.get(i) == Some(&b'.') {
            i += 1;
            match b.get(i) {
                None => return Err(EOF.into()),
                Some(c) if c.is_ascii_digit() => i = digits(i),
                Some(&c) => return Err(bad(c, "after decimal point in numeric literal")),
            }
        }
        if matches!(b.get(i), Some(b'e' | b'E')) {
            i += 1;
            if matches!(b.get(i), Some(b'+' | b'-')) {
                i += 1;
            }
            match b.get(i) {
                None => return Err(EOF.into()),
                Some(c) if c.is_ascii_digit() => i = digits(i),
                Some(&c) => return Err(bad(c, "in exponent of numeric literal")),
            }
        }
        Ok(i)
    };
    let literal = |i: usize, word: &str| -> Result<usize, String> {
        for (k, want) in word.bytes().enumerate().skip(1) {
            match b.get(i + k) {
                None => return Err(EOF.into()),
                Some(&c) if c != want => {
                    return Err(bad(
                        c,
                        &format!("in literal {word} (expecting {})", json_char(want)),
                    ));
                }
                Some(_) => {}
            }
        }
        Ok(i + word.len())
    };
    let key = |i: usize| -> Result<usize, String> {
        let i = ws(i);
        match b.get(i) {
            None => Err(EOF.into()),
            Some(b'"') => {
                let i = ws(string(i)?);
                match b.get(i) {
                    None => Err(EOF.into()),
                    Some(b':') => Ok(i + 1),
                    Some(&c) => Err(bad(c, "after object key")),
                }
            }
            Some(&c) => Err(bad(c, "looking for beginning of object key string")),
        }
    };

    let mut stack: Vec<u8> = Vec::new();
    let mut i = ws(0);
    let first = *b.get(i).ok_or_else(|| EOF.to_string())?;
    'value: loop {
        i = ws(i);
        match b.get(i) {
            None => return Err(EOF.into()),
            Some(b'{') => {
                i = ws(i + 1);
                if b.get(i) == Some(&b'}') {
                    i += 1;
                } else {
                    if stack.len() >= JSON_MAX_DEPTH {
                        return Err("exceeded max depth".into());
                    }
                    stack.push(b'{');
                    i = key(i)?;
                    continue 'value;
                }
            }
            Some(b'[') => {
                i = ws(i + 1);
                if b.get(i) == Some(&b']') {
                    i += 1;
                } else {
                    if stack.len() >= JSON_MAX_DEPTH {
                        return Err("exceeded max depth".into());
                    }
                    stack.push(b'[');
                    continue 'value;
                }
            }
            Some(b'"') => i = string(i)?,
            Some(b't') => i = literal(i, "true")?,
            Some(b'f') => i = literal(i, "false")?,
            Some(b'n') => i = literal(i, "null")?,
            Some(&c) if c == b'-' || c.is_ascii_digit() => i = number(i)?,
            Some(&c) => return Err(bad(c, "looking for beginning of value")),
        }
        loop {
            i = ws(i);
            let Some(&top) = stack.last() else {
                return match b.get(i) {
                    None => Ok(first),
                    Some(&c) => Err(bad(c, "after top-level value")),
                };
            };
            let Some(&c) = b.get(i) else {
                return Err(EOF.into());
            };
            match (top, c) {
                (b'[', b',') => {
                    i += 1;
                    continue 'value;
                }
                (b'[', b']') | (b'{', b'}') => {
                    i += 1;
                    stack.pop();
                }
                (b'[', _) => return Err(bad(c, "after array element")),
                (_, b',') => {
                    i = key(i + 1)?;
                    continue 'value;
                }
                _ => return Err(bad(c, "after object key:value pair")),
            }
        }
    }
}

// ---------------------------------------------------------------------------------------
// mark_as_read, mark_glob_as_read
// ---------------------------------------------------------------------------------------

fn mark_as_read(cx: &CallCtx<'_>, args: Vec<Value>) -> FnResult {
    tg(cx)?;
    let params = strings(&args)?;
    let [path] = params.as_slice() else {
        return Err(wrong_params("mark_as_read", "1", params.len()));
    };
    Ok(match args.into_iter().next() {
        Some(v) if v.as_str().is_some() => v,
        _ => Value::string(path.clone()),
    })
}

/// How many directory entries one `mark_glob_as_read` may look at.
const GLOB_MAX_ENTRIES: usize = 100_000;
/// How deep below its literal prefix a `**` walk goes.
const GLOB_MAX_DEPTH: usize = 64;

fn mark_glob_as_read(cx: &CallCtx<'_>, args: Vec<Value>) -> FnResult {
    let ctx = tg(cx)?;
    let params = strings(&args)?;
    let mut boundary: Option<&str> = None;
    let mut rest: &[String] = &params;
    if let Some((first, tail)) = rest.split_first() {
        if let Some(b) = first.strip_prefix("--terragrunt-boundary=") {
            boundary = Some(b);
            rest = tail;
        } else if first == "--terragrunt-boundary" {
            let Some((b, tail)) = tail.split_first() else {
                return Err(FnError::call(
                    "mark_glob_as_read: --terragrunt-boundary needs a directory",
                ));
            };
            boundary = Some(b);
            rest = tail;
        }
    }
    let [raw] = rest else {
        return Err(wrong_params("mark_glob_as_read", "1", rest.len()));
    };
    let wd = ctx.terragrunt_dir();
    let boundary = match boundary {
        Some("") => {
            return Err(FnError::call(
                "mark_glob_as_read: the --terragrunt-boundary directory cannot be empty",
            ));
        }
        Some(b) => resolve(wd, b),
        None => repo_root(ctx),
    };
    let pattern = if raw.starts_with('/') {
        ps(&clean(Path::new(raw)))
    } else {
        ps(&clean(Path::new(&format!("{}/{raw}", wd.display()))))
    };
    let expand_err =
        |m: &str| FnError::call(format!("could not expand glob {}: {m}", go_quote(raw)));

    // The literal directory the walk starts from.
    let segments: Vec<&str> = pattern.split('/').skip(1).collect();
    let literal_count = segments
        .iter()
        .take_while(|s| !s.contains(['*', '?', '[', '{', '\\']))
        .count();
    let all_literal = literal_count == segments.len();
    let prefix_segments = if all_literal {
        segments.len().saturating_sub(1)
    } else {
        literal_count
    };
    let prefix: String = segments
        .iter()
        .take(prefix_segments)
        .map(|s| format!("/{s}"))
        .collect();
    let start = PathBuf::from(if prefix.is_empty() { "/" } else { &prefix });
    if !start.starts_with(&boundary) {
        return Err(expand_err(&format!(
            "the pattern starts outside the Terragrunt boundary {}",
            go_quote(&ps(&boundary))
        )));
    }
    if !ctx.shared.cache.allows(&start) {
        return Ok(outside_root(ctx, cx, &start));
    }
    let cache = &ctx.shared.cache;
    if all_literal {
        let p = PathBuf::from(&pattern);
        return Ok(Value::list(match cache.kind(&p) {
            Ok(Some(Kind::File)) => vec![Value::string(pattern)],
            Ok(_) => Vec::new(),
            Err(_) => return Ok(outside_root(ctx, cx, &p)),
        }));
    }
    let variants = glob_compile(&pattern).map_err(|m| expand_err(&m))?;
    let skip = prefix.chars().count();
    let max_depth = variants
        .iter()
        .map(|v| {
            let tail = v.get(skip..).unwrap_or(&[]);
            if tail.iter().any(|t| matches!(t, Tok::Globstar)) {
                GLOB_MAX_DEPTH
            } else {
                tail.iter()
                    .filter(|t| matches!(t, Tok::Lit('/')))
                    .count()
                    .min(GLOB_MAX_DEPTH)
            }
        })
        .max()
        .unwrap_or(0);

    let mut found: Vec<String> = Vec::new();
    let mut seen = 0usize;
    let mut stack: Vec<(PathBuf, usize)> = vec![(start, 0)];
    while let Some((dir, depth)) = stack.pop() {
        let entries = match cache.list(&dir) {
            Ok(e) => e,
            Err(ReadError::Refused(_)) => return Ok(outside_root(ctx, cx, &dir)),
            Err(_) => continue,
        };
        for (name, kind) in entries {
            seen += 1;
            if seen > GLOB_MAX_ENTRIES {
                return Ok(Value::unknown(format!(
                    "mark_glob_as_read: more than {GLOB_MAX_ENTRIES} entries under {} to match; not expanded by tglint",
                    dir.display()
                )));
            }
            // A name that is not UTF-8 cannot be returned in an HCL string.
            if name.to_str().is_none() {
                continue;
            }
            let path = dir.join(&name);
            let d = depth + 1;
            let matches = || {
                let text: Vec<char> = ps(&path).chars().collect();
                variants.iter().any(|v| glob_match(v, &text))
            };
            match kind {
                Kind::File if matches() => found.push(ps(&path)),
                Kind::Dir if d < max_depth => stack.push((path, d)),
                // A link out of the root: what it holds cannot be known.
                Kind::Link if d < max_depth || matches() => {
                    return Ok(outside_root(ctx, cx, &path));
                }
                _ => {}
            }
        }
    }
    found.sort();
    found.dedup();
    Ok(Value::list(found.into_iter().map(Value::string).collect()))
}

#[derive(Clone, Debug, PartialEq)]
enum Tok {
    Lit(char),
    /// `?`: one character other than `/`.
    One,
    /// `*`: any run of characters other than `/`.
    Star,
    /// `**`: any run of characters.
    Globstar,
    Class {
        negated: bool,
        ranges: Vec<(char, char)>,
    },
}

#[derive(Clone, Debug)]
enum Node {
    Tok(Tok),
    Alt(Vec<Vec<Node>>),
}

const GLOB_MAX_VARIANTS: usize = 1024;
const GLOB_MAX_NESTING: usize = 16;

/// Compiles a gobwas-style glob (`*`, `**`, `?`, `[...]`, `{a,b}`, `\` escapes, `/` the
/// separator) into flat alternatives. `/**/` between two literal segments also matches a
/// single `/` (Terragrunt's `internal/glob`).
fn glob_compile(pattern: &str) -> Result<Vec<Vec<Tok>>, String> {
    let chars: Vec<char> = pattern.chars().collect();
    let mut i = 0;
    let nodes = glob_seq(&chars, &mut i, 0, false)?;
    if i != chars.len() {
        return Err(format!("unexpected {:?} in the pattern", chars.get(i)));
    }
    let flat = glob_expand(&nodes)?;
    let mut out = Vec::new();
    for v in flat {
        glob_collapse(v, 0, &mut out)?;
    }
    Ok(out)
}

fn glob_seq(cs: &[char], i: &mut usize, depth: usize, in_alt: bool) -> Result<Vec<Node>, String> {
    let mut out = Vec::new();
    while let Some(&c) = cs.get(*i) {
        match c {
            '\\' => {
                let Some(&e) = cs.get(*i + 1) else {
                    return Err("the pattern ends with an escape character".into());
                };
                out.push(Node::Tok(Tok::Lit(e)));
                *i += 2;
            }
            '*' if cs.get(*i + 1) == Some(&'*') => {
                out.push(Node::Tok(Tok::Globstar));
                *i += 2;
            }
            '*' => {
                out.push(Node::Tok(Tok::Star));
                *i += 1;
            }
            '?' => {
                out.push(Node::Tok(Tok::One));
                *i += 1;
            }
            '[' => {
                *i += 1;
                let negated = cs.get(*i) == Some(&'!');
                if negated {
                    *i += 1;
                }
                let mut ranges = Vec::new();
                loop {
                    let lo = match cs.get(*i) {
                        None => return Err("unterminated character class".into()),
                        Some(']') if !ranges.is_empty() => break,
                        Some('\\') => {
                            *i += 1;
                            *cs.get(*i).ok_or("unterminated character class")?
                        }
                        Some(&c) => c,
                    };
                    *i += 1;
                    let hi =
                        if cs.get(*i) == Some(&'-') && cs.get(*i + 1).is_some_and(|c| *c != ']') {
                            let h = *cs.get(*i + 1).ok_or("unterminated character class")?;
                            *i += 2;
                            h
                        } else {
                            lo
                        };
                    ranges.push((lo, hi));
                }
                *i += 1;
                out.push(Node::Tok(Tok::Class { negated, ranges }));
            }
            '{' => {
                if depth >= GLOB_MAX_NESTING {
                    return Err("alternatives nest too deeply".into());
                }
                *i += 1;
                let mut alts = Vec::new();
                loop {
                    alts.push(glob_seq(cs, i, depth + 1, true)?);
                    match cs.get(*i) {
                        Some(',') => *i += 1,
                        Some('}') => {
                            *i += 1;
                            break;
                        }
                        _ => return Err("unterminated alternatives ({...})".into()),
                    }
                }
                out.push(Node::Alt(alts));
            }
            ',' | '}' if in_alt => return Ok(out),
            c => {
                out.push(Node::Tok(Tok::Lit(c)));
                *i += 1;
            }
        }
    }
    Ok(out)
}

fn glob_expand(nodes: &[Node]) -> Result<Vec<Vec<Tok>>, String> {
    let mut acc: Vec<Vec<Tok>> = vec![Vec::new()];
    for n in nodes {
        match n {
            Node::Tok(t) => acc.iter_mut().for_each(|v| v.push(t.clone())),
            Node::Alt(alts) => {
                let mut options = Vec::new();
                for a in alts {
                    options.extend(glob_expand(a)?);
                }
                let mut next = Vec::new();
                for prefix in &acc {
                    for o in &options {
                        if next.len() >= GLOB_MAX_VARIANTS {
                            return Err("the pattern has too many alternatives".into());
                        }
                        let mut v = prefix.clone();
                        v.extend(o.iter().cloned());
                        next.push(v);
                    }
                }
                acc = next;
            }
        }
    }
    Ok(acc)
}

/// Adds `v` and, for each `/**/` between literal segments from `from` on, the variant with
/// it collapsed to `/`.
fn glob_collapse(v: Vec<Tok>, from: usize, out: &mut Vec<Vec<Tok>>) -> Result<(), String> {
    let lit_seg = |seg: &[Tok]| seg.iter().all(|t| matches!(t, Tok::Lit(c) if *c != '/'));
    let mut k = from;
    while k + 2 < v.len() {
        if let (Some(Tok::Lit('/')), Some(Tok::Globstar), Some(Tok::Lit('/'))) =
            (v.get(k), v.get(k + 1), v.get(k + 2))
        {
            let before_start = v
                .get(..k)
                .and_then(|b| b.iter().rposition(|t| *t == Tok::Lit('/')))
                .map(|p| p + 1)
                .unwrap_or(0);
            let after_end = v
                .get(k + 3..)
                .and_then(|a| a.iter().position(|t| *t == Tok::Lit('/')))
                .map(|p| p + k + 3)
                .unwrap_or(v.len());
            let before = v.get(before_start..k).unwrap_or(&[]);
            let after = v.get(k + 3..after_end).unwrap_or(&[]);
            if lit_seg(before) && lit_seg(after) {
                let mut collapsed = v.clone();
                collapsed.drain(k + 1..k + 3);
                glob_collapse(collapsed, k + 1, out)?;
            }
        }
        k += 1;
    }
    if out.len() >= GLOB_MAX_VARIANTS {
        return Err("the pattern has too many alternatives".into());
    }
    out.push(v);
    Ok(())
}

fn glob_match(toks: &[Tok], s: &[char]) -> bool {
    let n = s.len();
    let mut cur = vec![false; n + 1];
    if let Some(c) = cur.first_mut() {
        *c = true;
    }
    for t in toks {
        let mut next = vec![false; n + 1];
        match t {
            Tok::Star | Tok::Globstar => {
                let mut reach = false;
                for k in 0..=n {
                    if cur.get(k) == Some(&true) {
                        reach = true;
                    }
                    if reach && let Some(x) = next.get_mut(k) {
                        *x = true;
                    }
                    if matches!(t, Tok::Star) && s.get(k) == Some(&'/') {
                        reach = false;
                    }
                }
            }
            _ => {
                for k in 0..n {
                    let (Some(true), Some(&c)) = (cur.get(k), s.get(k)) else {
                        continue;
                    };
                    let ok = match t {
                        Tok::Lit(l) => c == *l,
                        Tok::One => c != '/',
                        Tok::Class { negated, ranges } => {
                            c != '/'
                                && ranges.iter().any(|(lo, hi)| (*lo..=*hi).contains(&c))
                                    != *negated
                        }
                        Tok::Star | Tok::Globstar => false,
                    };
                    if ok && let Some(x) = next.get_mut(k + 1) {
                        *x = true;
                    }
                }
            }
        }
        cur = next;
        if !cur.contains(&true) {
            return false;
        }
    }
    cur.get(n) == Some(&true)
}

// ---------------------------------------------------------------------------------------
// constraint_check (hashicorp/go-version)
// ---------------------------------------------------------------------------------------

#[derive(Clone, Debug)]
struct Version {
    /// Padded with zeros to at least three.
    segments: Vec<i64>,
    /// How many segments were written.
    si: usize,
    pre: String,
    meta: String,
}

enum VersionError {
    Malformed,
    Other(String),
}

fn is_ident_byte(c: u8) -> bool {
    c.is_ascii_alphanumeric() || c == b'-' || c == b'~'
}

/// `[0-9A-Za-z-~]+(\.[0-9A-Za-z-~]+)*` at the start of `s`: the length matched.
fn dotted_ident(s: &[u8]) -> Option<usize> {
    let mut i = 0;
    loop {
        let start = i;
        while s.get(i).copied().is_some_and(is_ident_byte) {
            i += 1;
        }
        if i == start {
            return None;
        }
        if s.get(i) == Some(&b'.') && s.get(i + 1).copied().is_some_and(is_ident_byte) {
            i += 1;
        } else {
            return Some(i);
        }
    }
}

/// go-version's `NewVersion` (`semver = false`) and `NewSemver` (`semver = true`).
fn parse_version(v: &str, semver: bool) -> Result<Version, VersionError> {
    let s = v.strip_prefix('v').unwrap_or(v).as_bytes();
    let mut i = 0;
    let mut seg_strs: Vec<&[u8]> = Vec::new();
    loop {
        let start = i;
        while s.get(i).is_some_and(u8::is_ascii_digit) {
            i += 1;
        }
        if i == start {
            return Err(VersionError::Malformed);
        }
        seg_strs.push(s.get(start..i).unwrap_or(&[]));
        if s.get(i) == Some(&b'.') && s.get(i + 1).is_some_and(u8::is_ascii_digit) {
            i += 1;
        } else {
            break;
        }
    }
    let rest = s.get(i..).unwrap_or(&[]);
    let (pre, rest) = match rest.first() {
        Some(b'-') => {
            let body = rest.get(1..).unwrap_or(&[]);
            let n = dotted_ident(body).ok_or(VersionError::Malformed)?;
            (body.get(..n).unwrap_or(&[]), body.get(n..).unwrap_or(&[]))
        }
        Some(c) if !semver && (c.is_ascii_alphabetic() || *c == b'~') => {
            let n = dotted_ident(rest).ok_or(VersionError::Malformed)?;
            (rest.get(..n).unwrap_or(&[]), rest.get(n..).unwrap_or(&[]))
        }
        _ => (&[][..], rest),
    };
    let (meta, rest) = match rest.first() {
        Some(b'+') => {
            let body = rest.get(1..).unwrap_or(&[]);
            let n = dotted_ident(body).ok_or(VersionError::Malformed)?;
            (body.get(..n).unwrap_or(&[]), body.get(n..).unwrap_or(&[]))
        }
        _ => (&[][..], rest),
    };
    if !rest.is_empty() {
        return Err(VersionError::Malformed);
    }
    let mut segments = Vec::with_capacity(seg_strs.len().max(3));
    for seg in &seg_strs {
        let text = String::from_utf8_lossy(seg);
        let n = text.parse::<i64>().map_err(|_| {
            VersionError::Other(format!(
                "error parsing version: strconv.ParseInt: parsing {}: value out of range",
                go_quote(&text)
            ))
        })?;
        segments.push(n);
    }
    while segments.len() < 3 {
        segments.push(0);
    }
    Ok(Version {
        segments,
        si: seg_strs.len(),
        pre: String::from_utf8_lossy(pre).into_owned(),
        meta: String::from_utf8_lossy(meta).into_owned(),
    })
}

fn version_string(v: &Version) -> String {
    let mut s = v
        .segments
        .iter()
        .map(i64::to_string)
        .collect::<Vec<_>>()
        .join(".");
    if !v.pre.is_empty() {
        s.push('-');
        s.push_str(&v.pre);
    }
    if !v.meta.is_empty() {
        s.push('+');
        s.push_str(&v.meta);
    }
    s
}

/// Go's `strconv.ParseInt(s, 10, 64)`: the value (saturated on overflow, as Go returns
/// it) and whether it parsed.
fn go_parse_int(s: &str) -> (i64, bool) {
    match s.parse::<i64>() {
        Ok(n) => (n, true),
        Err(_) => {
            let body = s.strip_prefix(['+', '-']).unwrap_or(s);
            if !body.is_empty() && body.bytes().all(|b| b.is_ascii_digit()) {
                (
                    if s.starts_with('-') {
                        i64::MIN
                    } else {
                        i64::MAX
                    },
                    false,
                )
            } else {
                (0, false)
            }
        }
    }
}

fn compare_part(a: &str, b: &str) -> Ordering {
    if a == b {
        return Ordering::Equal;
    }
    let (ai, an) = go_parse_int(a);
    let (bi, bn) = go_parse_int(b);
    if a.is_empty() {
        return if bn {
            Ordering::Less
        } else {
            Ordering::Greater
        };
    }
    if b.is_empty() {
        return if an {
            Ordering::Greater
        } else {
            Ordering::Less
        };
    }
    match (an, bn) {
        (true, false) => Ordering::Less,
        (false, true) => Ordering::Greater,
        (false, false) if a > b => Ordering::Greater,
        _ if ai > bi => Ordering::Greater,
        _ => Ordering::Less,
    }
}

fn compare_prereleases(a: &str, b: &str) -> Ordering {
    if a == b {
        return Ordering::Equal;
    }
    let pa: Vec<&str> = a.split('.').collect();
    let pb: Vec<&str> = b.split('.').collect();
    for k in 0..pa.len().max(pb.len()) {
        let c = compare_part(
            pa.get(k).copied().unwrap_or(""),
            pb.get(k).copied().unwrap_or(""),
        );
        if c != Ordering::Equal {
            return c;
        }
    }
    Ordering::Equal
}

fn compare_versions(a: &Version, b: &Version) -> Ordering {
    if version_string(a) == version_string(b) {
        return Ordering::Equal;
    }
    if a.segments == b.segments {
        return match (a.pre.is_empty(), b.pre.is_empty()) {
            (true, true) => Ordering::Equal,
            (true, false) => Ordering::Greater,
            (false, true) => Ordering::Less,
            (false, false) => compare_prereleases(&a.pre, &b.pre),
        };
    }
    let (sa, sb) = (&a.segments, &b.segments);
    for k in 0..sa.len().max(sb.len()) {
        match (sa.get(k), sb.get(k)) {
            (None, _) => {
                return if sb.iter().skip(k).all(|x| *x == 0) {
                    Ordering::Equal
                } else {
                    Ordering::Less
                };
            }
            (_, None) => {
                return if sa.iter().skip(k).all(|x| *x == 0) {
                    Ordering::Equal
                } else {
                    Ordering::Greater
                };
            }
            (Some(x), Some(y)) if x != y => return x.cmp(y),
            _ => {}
        }
    }
    Ordering::Equal
}

fn prerelease_check(v: &Version, c: &Version) -> bool {
    match (!c.pre.is_empty(), !v.pre.is_empty()) {
        (true, true) => v.segments == c.segments,
        (false, true) => false,
        _ => true,
    }
}

#[derive(Clone, Copy, Debug, PartialEq)]
enum Op {
    Eq,
    Ne,
    Gt,
    Lt,
    Ge,
    Le,
    Pessimistic,
}

fn go_space(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\n' | '\r' | '\u{c}' | '\u{b}')
}

fn parse_constraint(single: &str) -> Result<(Op, Version), String> {
    let malformed = || format!("Malformed constraint: {single}");
    let t = single.trim_matches(go_space);
    let ops: [(&str, Op); 8] = [
        ("~>", Op::Pessimistic),
        (">=", Op::Ge),
        ("<=", Op::Le),
        ("!=", Op::Ne),
        (">", Op::Gt),
        ("<", Op::Lt),
        ("=", Op::Eq),
        ("", Op::Eq),
    ];
    let (op, rest) = ops
        .iter()
        .find_map(|(s, op)| t.strip_prefix(s).map(|r| (*op, r)))
        .ok_or_else(malformed)?;
    let rest = rest.trim_start_matches(go_space);
    match parse_version(rest, false) {
        Ok(v) => Ok((op, v)),
        Err(VersionError::Malformed) => Err(malformed()),
        Err(VersionError::Other(m)) => Err(m),
    }
}

fn constraint_holds(op: Op, c: &Version, v: &Version) -> bool {
    let ord = compare_versions(v, c);
    match op {
        Op::Eq => ord == Ordering::Equal,
        Op::Ne => ord != Ordering::Equal,
        Op::Gt => prerelease_check(v, c) && ord == Ordering::Greater,
        Op::Lt => prerelease_check(v, c) && ord == Ordering::Less,
        Op::Ge => prerelease_check(v, c) && ord != Ordering::Less,
        Op::Le => prerelease_check(v, c) && ord != Ordering::Greater,
        Op::Pessimistic => {
            if !prerelease_check(v, c) || (!c.pre.is_empty() && v.pre.is_empty()) {
                return false;
            }
            if ord == Ordering::Less {
                return false;
            }
            let cs = c.segments.len();
            if cs > v.segments.len() {
                return false;
            }
            for k in 0..c.si.saturating_sub(1) {
                if v.segments.get(k) != c.segments.get(k) {
                    return false;
                }
            }
            match (
                c.segments.get(cs.wrapping_sub(1)),
                v.segments.get(cs.wrapping_sub(1)),
            ) {
                (Some(cl), Some(vl)) => cl <= vl,
                _ => false,
            }
        }
    }
}

fn constraint_check(cx: &CallCtx<'_>, args: Vec<Value>) -> FnResult {
    tg(cx)?;
    let params = strings(&args)?;
    let [version, constraint] = params.as_slice() else {
        return Err(wrong_params("constraint_check", "2", params.len()));
    };
    let v = parse_version(version, true).map_err(|e| {
        FnError::call(format!(
            "invalid version {version}: {}",
            match e {
                VersionError::Malformed => format!("malformed version: {version}"),
                VersionError::Other(m) => m,
            }
        ))
    })?;
    let mut ok = true;
    for single in constraint.split(',') {
        let (op, c) = parse_constraint(single)
            .map_err(|m| FnError::call(format!("invalid constraint {constraint}: {m}")))?;
        ok &= constraint_holds(op, &c, &v);
    }
    Ok(Value::bool(ok))
}

// ---------------------------------------------------------------------------------------
// String helpers Terragrunt adds, timecmp, deep_merge
// ---------------------------------------------------------------------------------------

fn two_strings(cx: &CallCtx<'_>, args: &[Value]) -> Result<(String, String), FnError> {
    tg(cx)?;
    let params = strings(args)?;
    match params.as_slice() {
        [a, b] => Ok((a.clone(), b.clone())),
        _ => Err(wrong_params(cx.name, "2", params.len())),
    }
}

fn startswith(cx: &CallCtx<'_>, args: Vec<Value>) -> FnResult {
    let (s, p) = two_strings(cx, &args)?;
    Ok(Value::bool(s.starts_with(&p)))
}

fn endswith(cx: &CallCtx<'_>, args: Vec<Value>) -> FnResult {
    let (s, p) = two_strings(cx, &args)?;
    Ok(Value::bool(s.ends_with(&p)))
}

fn strcontains(cx: &CallCtx<'_>, args: Vec<Value>) -> FnResult {
    let (s, p) = two_strings(cx, &args)?;
    Ok(Value::bool(s.contains(&p)))
}

fn timecmp(cx: &CallCtx<'_>, args: Vec<Value>) -> FnResult {
    tg(cx)?;
    let params = strings(&args)?;
    let [a, b] = params.as_slice() else {
        return Err(FnError::call(
            "function can take only two parameters: timestamp_a and timestamp_b",
        ));
    };
    let ta = parse_rfc3339(a).map_err(|m| {
        FnError::call(format!(
            "could not parse first parameter {}: {m}",
            go_quote(a)
        ))
    })?;
    let tb = parse_rfc3339(b).map_err(|m| {
        FnError::call(format!(
            "could not parse second parameter {}: {m}",
            go_quote(b)
        ))
    })?;
    Ok(Value::int(match ta.cmp(&tb) {
        Ordering::Less => -1,
        Ordering::Equal => 0,
        Ordering::Greater => 1,
    }))
}

/// Days since 1970-01-01 of a proleptic Gregorian date.
fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

fn days_in_month(y: i64, m: i64) -> i64 {
    match m {
        2 if (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Go's `time.Parse(time.RFC3339, s)` as an instant `(seconds, nanoseconds)`, with the
/// messages Terragrunt's `ParseTimestamp` gives.
fn parse_rfc3339(s: &str) -> Result<(i64, u32), String> {
    let b = s.as_bytes();
    let mut i = 0usize;
    let rest = |i: usize| String::from_utf8_lossy(b.get(i..).unwrap_or(&[])).into_owned();
    let elem = |i: usize, what: &str| -> String {
        let r = rest(i);
        if r.is_empty() {
            format!("not a valid RFC3339 timestamp: end of string before {what}")
        } else {
            format!(
                "not a valid RFC3339 timestamp: cannot use {} as {what}",
                go_quote(&r)
            )
        }
    };
    let lit = |i: usize, c: u8| -> Result<(), String> {
        if b.get(i) == Some(&c) {
            return Ok(());
        }
        if c == b'T' {
            return Err(
                "not a valid RFC3339 timestamp: missing required time introducer 'T'".into(),
            );
        }
        let r = rest(i);
        let c = char::from(c);
        Err(if r.is_empty() {
            format!("not a valid RFC3339 timestamp: end of string where \"{c}\" is expected")
        } else {
            format!(
                "not a valid RFC3339 timestamp: found {} where \"{c}\" is expected",
                go_quote(&r)
            )
        })
    };
    let digit = |i: usize| {
        b.get(i)
            .filter(|c| c.is_ascii_digit())
            .map(|c| i64::from(c - b'0'))
    };
    // A number of exactly `n` digits (or 1..=2 when `n` is 0).
    let num = |i: &mut usize, n: usize, what: &str| -> Result<i64, String> {
        let want = if n == 0 { 2 } else { n };
        let mut v = 0i64;
        let mut k = 0;
        while k < want {
            match digit(*i + k) {
                Some(d) => v = v * 10 + d,
                None if n == 0 && k == 1 => break,
                None => return Err(elem(*i, what)),
            }
            k += 1;
        }
        *i += k;
        Ok(v)
    };
    let range = |what: &str| format!("not a valid RFC3339 timestamp: {what} out of range");

    let year = num(&mut i, 4, "year")?;
    lit(i, b'-')?;
    i += 1;
    let month = num(&mut i, 2, "month")?;
    if !(1..=12).contains(&month) {
        return Err(range("month"));
    }
    lit(i, b'-')?;
    i += 1;
    let day = num(&mut i, 2, "day of month")?;
    lit(i, b'T')?;
    i += 1;
    let hour = num(&mut i, 0, "hour")?;
    if hour >= 24 {
        return Err(range("hour"));
    }
    lit(i, b':')?;
    i += 1;
    let minute = num(&mut i, 2, "minute")?;
    if minute >= 60 {
        return Err(range("minute"));
    }
    lit(i, b':')?;
    i += 1;
    let second = num(&mut i, 2, "second")?;
    if second >= 60 {
        return Err(range("second"));
    }
    let mut nanos = 0u32;
    if matches!(b.get(i), Some(b'.' | b',')) && digit(i + 1).is_some() {
        i += 1;
        let mut scale = 100_000_000u32;
        while let Some(d) = digit(i) {
            if scale > 0 {
                nanos += u32::try_from(d).unwrap_or(0) * scale;
                scale /= 10;
            }
            i += 1;
        }
    }
    let offset = match b.get(i) {
        Some(b'Z') => {
            i += 1;
            0
        }
        _ => {
            let sign = match b.get(i) {
                Some(b'+') => 1,
                Some(b'-') => -1,
                _ => return Err(elem(i, "UTC offset")),
            };
            let (Some(h1), Some(h2), Some(b':'), Some(m1), Some(m2)) = (
                digit(i + 1),
                digit(i + 2),
                b.get(i + 3),
                digit(i + 4),
                digit(i + 5),
            ) else {
                return Err(elem(i, "UTC offset"));
            };
            let (hh, mm) = (h1 * 10 + h2, m1 * 10 + m2);
            if hh > 24 {
                return Err(range("time zone offset hour"));
            }
            if mm > 60 {
                return Err(range("time zone offset minute"));
            }
            i += 6;
            sign * (hh * 3600 + mm * 60)
        }
    };
    if i < b.len() {
        return Err(format!(
            "not a valid RFC3339 timestamp: extra text: {}",
            go_quote(&rest(i))
        ));
    }
    if day < 1 || day > days_in_month(year, month) {
        return Err("not a valid RFC3339 timestamp: day out of range".into());
    }
    let secs =
        days_from_civil(year, month, day) * 86_400 + hour * 3600 + minute * 60 + second - offset;
    Ok((secs, nanos))
}

fn deep_merge(cx: &CallCtx<'_>, _: Vec<Value>) -> FnResult {
    let ctx = tg(cx)?;
    Err(FnError::call(format!(
        "deep_merge in {} requires the 'deep-merge' experiment to be enabled",
        ctx.config_path.display()
    )))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fs::MemFs;
    use crate::source::SourceCache;
    use crate::terragrunt::context::{Options, Shared, UnitState};
    use std::sync::{Arc, Mutex};
    use tglint_hcl::functions::CallError;
    use tglint_hcl::{FileId, Limits, Span};

    struct T {
        ctx: TgCtx,
    }

    fn tree(fs: MemFs, config: &str) -> T {
        tree_with(fs, "/r", config, Options::default())
    }

    fn tree_with(fs: MemFs, root: &str, config: &str, opts: Options) -> T {
        let cache = Arc::new(SourceCache::new(Arc::new(fs), Path::new(root), false));
        let ctx = TgCtx {
            shared: Arc::new(Shared::new(cache, opts)),
            config_path: PathBuf::from(config),
            original_path: PathBuf::from(config),
            current_file: PathBuf::from(config),
            include_from_child: None,
            includes: Vec::new(),
            read_stack: Vec::new(),
            diags: Arc::new(Mutex::new(Vec::new())),
            unit: Arc::new(UnitState::new(Limits::DEFAULT)),
        };
        T { ctx }
    }

    fn inc(label: &str, path: &str) -> IncludeRef {
        IncludeRef {
            label: label.into(),
            path: PathBuf::from(path),
        }
    }

    impl T {
        fn call(&self, name: &str, args: Vec<Value>) -> Result<Value, CallError> {
            let cx = CallCtx {
                name,
                base_dir: self.ctx.terragrunt_dir(),
                files: &NoFiles,
                span: Span::new(FileId(0), 3..9),
                ext: Some(&self.ctx),
                budget: &self.ctx.unit.budget,
            };
            terragrunt().call(name, &cx, args)
        }
        fn ok(&self, name: &str, args: Vec<Value>) -> Value {
            self.call(name, args)
                .unwrap_or_else(|e| panic!("{name} failed: {e:?}"))
        }
        fn s(&self, name: &str, args: Vec<Value>) -> String {
            let v = self.ok(name, args);
            match v.as_str() {
                Some(s) => s.to_string(),
                None => panic!("{name} returned {v}"),
            }
        }
        fn err(&self, name: &str, args: Vec<Value>, needle: &str) {
            match self.call(name, args) {
                Ok(v) => panic!("{name} returned {v}, an error was expected"),
                Err(e) => {
                    let t = format!("{e:?}");
                    assert!(t.contains(needle), "{name}: {t} lacks {needle:?}");
                }
            }
        }
        fn unknown(&self, name: &str, args: Vec<Value>, needle: &str) {
            let v = self.ok(name, args);
            match &v.data {
                Data::Unknown(u) => {
                    assert!(u.reason.contains(needle), "{name}: reason {:?}", u.reason)
                }
                _ => panic!("{name} returned {v}, unknown expected"),
            }
        }
        fn diags(&self) -> Vec<Diagnostic> {
            self.ctx.diags.lock().unwrap().clone()
        }
    }

    fn s(x: &str) -> Value {
        Value::string(x)
    }

    fn empty() -> T {
        tree(
            MemFs::new().file("/r/a/terragrunt.hcl", ""),
            "/r/a/terragrunt.hcl",
        )
    }

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

    // --- environment ----------------------------------------------------------------

    #[test]
    fn get_env_with_and_without_set_env() {
        let t = empty();
        t.unknown(
            "get_env",
            vec![s("TGLINT_TEST_UNSET")],
            "--set-env TGLINT_TEST_UNSET=VALUE",
        );
        assert_eq!(
            t.s("get_env", vec![s("TGLINT_TEST_UNSET"), s("dflt")]),
            "dflt"
        );
        assert_eq!(t.s("get_env", vec![s("X"), Value::int(42)]), "42");
        t.err("get_env", vec![], "Expected one or two parameters");
        t.err(
            "get_env",
            vec![s("a"), s("b"), s("c")],
            "for get_env but got 3",
        );
        t.err("get_env", vec![s("")], "InvalidEnvParamNameError");
        t.err("get_env", vec![Value::tuple(vec![])], "string required");
        // The process environment is not read without --inherit-env.
        assert!(std::env::var_os("PATH").is_some());
        t.unknown("get_env", vec![s("PATH")], "PATH is not set");

        let mut opts = Options::default();
        opts.env.insert("FOO".into(), "bar".into());
        let t = tree_with(MemFs::new(), "/r", "/r/a/terragrunt.hcl", opts.clone());
        assert_eq!(t.s("get_env", vec![s("FOO")]), "bar");
        assert_eq!(t.s("get_env", vec![s("FOO"), s("dflt")]), "bar");
        t.unknown("get_env", vec![s("PATH")], "not set");
        opts.inherit_env = true;
        let t = tree_with(MemFs::new(), "/r", "/r/a/terragrunt.hcl", opts);
        assert_eq!(
            t.s("get_env", vec![s("PATH")]),
            std::env::var("PATH").unwrap()
        );
        assert_eq!(t.s("get_env", vec![s("FOO")]), "bar");
        t.unknown("get_env", vec![s("A=B\0")], "not set");
    }

    #[test]
    fn run_cmd_never_executes() {
        let marker =
            std::env::temp_dir().join(format!("tglint-should-not-exist-{}", std::process::id()));
        let t = empty();
        t.unknown(
            "run_cmd",
            vec![s("touch"), s(&ps(&marker))],
            "run_cmd is never executed by tglint: touch",
        );
        t.unknown(
            "run_cmd",
            vec![
                s("--terragrunt-quiet"),
                s("sh"),
                s("-c"),
                s(&format!("touch {}", marker.display())),
            ],
            "sh -c touch",
        );
        assert!(!marker.exists());
        t.unknown(
            "run_cmd",
            vec![s("echo"), Value::unknown("x"), Value::int(1)],
            "echo (unknown) 1",
        );
        t.unknown("run_cmd", vec![Value::unknown("x")], "(unknown)");
        t.err(
            "run_cmd",
            vec![],
            "Empty string value is not allowed for parameter to the run_cmd function",
        );
        t.err(
            "run_cmd",
            vec![s("--terragrunt-quiet")],
            "Empty string value",
        );
        t.err(
            "run_cmd",
            vec![
                s("--terragrunt-global-cache"),
                s("--terragrunt-no-cache"),
                s("ls"),
            ],
            "cannot be used together",
        );
        t.err(
            "run_cmd",
            vec![s("echo"), Value::null()],
            "must not be null",
        );
        t.err(
            "run_cmd",
            vec![s("echo"), Value::tuple(vec![])],
            "string required",
        );
    }

    #[test]
    fn unknown_environment_functions() {
        let t = empty();
        t.unknown("get_working_dir", vec![], "get_working_dir");
        t.unknown("get_platform", vec![], "get_platform");
        for f in [
            "get_aws_account_id",
            "get_aws_account_alias",
            "get_aws_caller_identity_arn",
            "get_aws_caller_identity_user_id",
        ] {
            t.unknown(f, vec![], f);
        }
        t.err("get_platform", vec![s("x")], "TooManyArgs");
        assert_eq!(t.s("get_terragrunt_source_cli_flag", vec![]), "");
    }

    #[test]
    fn terraform_command_from_the_options() {
        let opts = Options {
            terraform_command: Some("apply".into()),
            ..Options::default()
        };
        let t = tree_with(MemFs::new(), "/r", "/r/a/terragrunt.hcl", opts);
        assert_eq!(t.s("get_terraform_command", vec![]), "apply");
        assert_eq!(
            t.ok("get_terraform_cli_args", vec![]).to_string(),
            r#"tolist(["apply"])"#
        );
    }

    #[test]
    fn static_lists() {
        let t = empty();
        assert_eq!(
            t.ok("get_terraform_commands_that_need_vars", vec![])
                .to_string(),
            r#"tolist(["apply", "console", "destroy", "import", "plan", "push", "refresh"])"#
        );
        assert_eq!(
            t.ok("get_terraform_commands_that_need_locking", vec![])
                .to_string(),
            r#"tolist(["apply", "destroy", "import", "plan", "refresh", "taint", "untaint"])"#
        );
        assert_eq!(
            t.ok("get_terraform_commands_that_need_input", vec![])
                .to_string(),
            r#"tolist(["apply", "import", "init", "plan", "refresh"])"#
        );
        assert_eq!(
            t.ok("get_terraform_commands_that_need_parallelism", vec![])
                .to_string(),
            r#"tolist(["apply", "plan", "destroy"])"#
        );
        let errs = t.ok("get_default_retryable_errors", vec![]);
        let items = errs.as_seq().unwrap();
        assert_eq!(items.len(), 30);
        assert_eq!(
            items[0].as_str(),
            Some("(?s).*Failed to load state.*tcp.*timeout.*")
        );
        assert_eq!(
            items[11].as_str(),
            Some(r"(?s).*Client\.Timeout exceeded while awaiting headers.*")
        );
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

    // --- read_terragrunt_config -----------------------------------------------------

    #[test]
    fn read_terragrunt_config_missing_file() {
        let t = empty();
        let dflt = Value::object(BTreeMap::from([("x".to_string(), Value::int(1))]));
        let got = t.ok(
            "read_terragrunt_config",
            vec![s("missing.hcl"), dflt.clone()],
        );
        assert!(got.same(&dflt));
        t.err(
            "read_terragrunt_config",
            vec![s("missing.hcl")],
            r#"does not contain a terragrunt.hcl file. Please add a terragrunt.hcl file and try again.\n\nPath: \"/r/a/missing.hcl\""#,
        );
        // A directory means its terragrunt.hcl (or .json) file: here the unit's own, which
        // resolves (reading itself again is reported as a loop inside).
        let own = t.ok("read_terragrunt_config", vec![s("/r/a")]);
        assert!(
            own.as_map().is_some_and(|m| m.contains_key("locals")),
            "{own}"
        );
        t.err("read_terragrunt_config", vec![], "NotEnoughArgs");
        t.err(
            "read_terragrunt_config",
            vec![s("a"), s("b"), s("c")],
            "Expected 1 or 2 params for function read_terragrunt_config, but got 3",
        );
        t.err(
            "read_terragrunt_config",
            vec![s("a"), Value::null()],
            "must not be null",
        );
        t.unknown("read_terragrunt_config", vec![Value::unknown("p")], "p");
        // Outside the root: unknown and an `unsupported` diagnostic, nothing read.
        t.unknown(
            "read_terragrunt_config",
            vec![s("../../etc/x.hcl"), s("d")],
            "outside the scanned root",
        );
        let d = t.diags();
        assert_eq!(d.len(), 1);
        assert_eq!(d[0].rule, ids::UNSUPPORTED);
    }

    // --- read_tfvars_file -----------------------------------------------------------

    #[test]
    fn read_tfvars_file_hcl_and_json() {
        let t = tree(
            MemFs::new()
                .file("/r/a/terragrunt.hcl", "")
                .file(
                    "/r/a/vars.tfvars",
                    "b = 1.5\na = \"x<y & \\\"q\\\"\"\nlist = [1, true, null]\nm = { z = 1, y = \"$${v}\" }\nbig = 1e21\nsmall = 0.0000001\n",
                )
                .file("/r/a/v.tfvars.json", "{\"z\": 1,  \"a\": [true]}\n")
                .file("/r/a/arr.tfvars.json", "[1]")
                .file("/r/a/bad.tfvars.json", "{\"a\": }")
                .file("/r/a/block.tfvars", "x { }\n")
                .file("/r/a/var.tfvars", "x = var.y\n")
                .file("/r/a/empty.tfvars", ""),
            "/r/a/terragrunt.hcl",
        );
        assert_eq!(
            t.s("read_tfvars_file", vec![s("vars.tfvars")]),
            r#"{"a":"x\u003cy \u0026 \"q\"","b":1.5,"big":1e+21,"list":[1,true,null],"m":{"y":"$${v}","z":1},"small":1e-7}"#
        );
        // JSON files come back as they are written.
        assert_eq!(
            t.s("read_tfvars_file", vec![s("/r/a/v.tfvars.json")]),
            "{\"z\": 1,  \"a\": [true]}\n"
        );
        assert_eq!(t.s("read_tfvars_file", vec![s("empty.tfvars")]), "{}");
        t.err(
            "read_tfvars_file",
            vec![s("arr.tfvars.json")],
            "json: cannot unmarshal array into Go value of type map[string]interface {}",
        );
        t.err(
            "read_tfvars_file",
            vec![s("bad.tfvars.json")],
            "invalid character '}' looking for beginning of value",
        );
        t.err(
            "read_tfvars_file",
            vec![s("block.tfvars")],
            "Blocks are not allowed here",
        );
        t.err("read_tfvars_file", vec![s("var.tfvars")], "var.tfvars");
        t.err(
            "read_tfvars_file",
            vec![s("nope.tfvars")],
            "TFVarFileNotFound: Could not find a /r/a/nope.tfvars. Cause: .",
        );
        t.err(
            "read_tfvars_file",
            vec![],
            "Expected 1 params for function read_tfvars_file",
        );
        t.unknown(
            "read_tfvars_file",
            vec![s("/etc/passwd")],
            "outside the scanned root",
        );
    }

    #[test]
    fn json_validation_messages() {
        assert!(json_validate(b" {\"a\": [1, -2.5e3, \"\\u00e9\", {}, []]} ").is_ok());
        assert_eq!(
            json_validate(b"").unwrap_err(),
            "unexpected end of JSON input"
        );
        assert_eq!(
            json_validate(b"{\"a\": [1,").unwrap_err(),
            "unexpected end of JSON input"
        );
        assert_eq!(
            json_validate(b"{} x").unwrap_err(),
            "invalid character 'x' after top-level value"
        );
        assert_eq!(
            json_validate(b"[1 2]").unwrap_err(),
            "invalid character '2' after array element"
        );
        assert_eq!(
            json_validate(b"{\"a\" 1}").unwrap_err(),
            "invalid character '1' after object key"
        );
        assert_eq!(
            json_validate(b"{1:2}").unwrap_err(),
            "invalid character '1' looking for beginning of object key string"
        );
        assert_eq!(
            json_validate(b"tru").unwrap_err(),
            "unexpected end of JSON input"
        );
        assert_eq!(
            json_validate(b"trux").unwrap_err(),
            "invalid character 'x' in literal true (expecting 'e')"
        );
        assert_eq!(
            json_validate(b"01").unwrap_err(),
            "invalid character '1' after top-level value"
        );
        let deep = "[".repeat(20_000);
        assert_eq!(
            json_validate(deep.as_bytes()).unwrap_err(),
            "exceeded max depth"
        );
        assert!(json_check_object(b"null").is_ok());
        assert!(
            json_check_object(b"\"s\"")
                .unwrap_err()
                .contains("unmarshal string")
        );
    }

    #[test]
    fn go_json_numbers() {
        assert_eq!(go_json_float(42.0).unwrap(), "42");
        assert_eq!(go_json_float(-0.5).unwrap(), "-0.5");
        assert_eq!(go_json_float(1e20).unwrap(), "100000000000000000000");
        assert_eq!(go_json_float(1.5e21).unwrap(), "1.5e+21");
        assert_eq!(go_json_float(1.25e-10).unwrap(), "1.25e-10");
        assert_eq!(go_json_float(0.000001).unwrap(), "0.000001");
        assert!(go_json_float(f64::INFINITY).is_err());
        assert_eq!(escape_interpolation("a${b} $${c}"), "a$${b} $${c}");
    }

    // --- sops, mark_as_read, mark_glob_as_read --------------------------------------

    #[test]
    fn sops_decrypt_file_never_decrypts() {
        let t = tree(
            MemFs::new()
                .file("/r/a/terragrunt.hcl", "")
                .file("/r/a/secrets.yaml", "sops: x"),
            "/r/a/terragrunt.hcl",
        );
        t.unknown(
            "sops_decrypt_file",
            vec![s("secrets.yaml")],
            "never decrypts",
        );
        t.err(
            "sops_decrypt_file",
            vec![s("missing.yaml")],
            "no such file or directory",
        );
        t.err(
            "sops_decrypt_file",
            vec![],
            "Expected 1 params for function sops_decrypt_file, but got 0",
        );
        t.unknown(
            "sops_decrypt_file",
            vec![s("/etc/shadow")],
            "outside the scanned root",
        );
    }

    #[test]
    fn mark_as_read_returns_its_argument() {
        let t = empty();
        assert_eq!(t.s("mark_as_read", vec![s("x.yaml")]), "x.yaml");
        assert_eq!(t.s("mark_as_read", vec![Value::bool(true)]), "true");
        t.err(
            "mark_as_read",
            vec![s("a"), s("b")],
            "Expected 1 params for function mark_as_read, but got 2",
        );
    }

    fn globs() -> T {
        tree(
            MemFs::new()
                .file("/r/.git/HEAD", "")
                .file("/r/data/h/a.yaml", "")
                .file("/r/data/h/b.yml", "")
                .file("/r/data/h/deep/c.yaml", "")
                .file("/r/data/top.yaml", "")
                .file("/r/data/x.txt", "")
                .file("/r/unit/terragrunt.hcl", "")
                .file("/r/unit/one.txt", "")
                .file("/r/unit/two.txt", "")
                .file("/r/unit/sub/three.txt", "")
                .special("/r/unit/fifo.txt"),
            "/r/unit/terragrunt.hcl",
        )
    }

    fn list(v: &Value) -> Vec<String> {
        v.as_seq()
            .unwrap()
            .iter()
            .map(|x| x.as_str().unwrap().to_string())
            .collect()
    }

    #[test]
    fn mark_glob_as_read_expands() {
        let t = globs();
        let v = t.ok("mark_glob_as_read", vec![s("*.txt")]);
        assert_eq!(
            v.to_string(),
            r#"tolist(["/r/unit/one.txt", "/r/unit/two.txt"])"#
        );
        assert_eq!(
            list(&t.ok("mark_glob_as_read", vec![s("/r/data/**/*.yaml")])),
            ["/r/data/h/a.yaml", "/r/data/h/deep/c.yaml"]
        );
        assert_eq!(
            list(&t.ok("mark_glob_as_read", vec![s("/r/data/{*.yaml,**/*.yaml}")])),
            [
                "/r/data/h/a.yaml",
                "/r/data/h/deep/c.yaml",
                "/r/data/top.yaml"
            ]
        );
        // `/**/` between literal segments also matches no directory at all.
        assert_eq!(
            list(&t.ok("mark_glob_as_read", vec![s("/r/**/top.yaml")])),
            ["/r/data/top.yaml"]
        );
        assert_eq!(
            list(&t.ok("mark_glob_as_read", vec![s("/r/data/**/x.txt")])),
            ["/r/data/x.txt"]
        );
        assert_eq!(
            list(&t.ok("mark_glob_as_read", vec![s("../data/h/?.y[a-z]ml")])),
            ["/r/data/h/a.yaml"]
        );
        assert_eq!(
            list(&t.ok("mark_glob_as_read", vec![s("../data/h/*.y[!a]l")])),
            ["/r/data/h/b.yml"]
        );
        // A literal path is itself when it is a regular file.
        assert_eq!(
            list(&t.ok("mark_glob_as_read", vec![s("one.txt")])),
            ["/r/unit/one.txt"]
        );
        assert!(list(&t.ok("mark_glob_as_read", vec![s("sub")])).is_empty());
        assert!(list(&t.ok("mark_glob_as_read", vec![s("*.nothing")])).is_empty());
        t.err(
            "mark_glob_as_read",
            vec![s("{a,b")],
            "could not expand glob",
        );
        t.err(
            "mark_glob_as_read",
            vec![],
            "Expected 1 params for function mark_glob_as_read",
        );
    }

    #[test]
    fn mark_glob_as_read_boundaries() {
        let t = globs();
        // The default boundary is the repository root (/r here): starting above it errors.
        t.err(
            "mark_glob_as_read",
            vec![s("/{*.yaml}")],
            "starts outside the Terragrunt boundary",
        );
        t.err(
            "mark_glob_as_read",
            vec![s("--terragrunt-boundary=."), s("../data/*.yaml")],
            "starts outside the Terragrunt boundary \\\"/r/unit\\\"",
        );
        assert_eq!(
            list(&t.ok(
                "mark_glob_as_read",
                vec![
                    s("--terragrunt-boundary"),
                    s("/r/data"),
                    s("/r/data/*.yaml")
                ]
            )),
            ["/r/data/top.yaml"]
        );
        t.err(
            "mark_glob_as_read",
            vec![s("--terragrunt-boundary="), s("*")],
            "cannot be empty",
        );
        // A boundary above the scanned root does not let the walk leave it.
        t.unknown(
            "mark_glob_as_read",
            vec![s("--terragrunt-boundary=/"), s("/{*.yaml}")],
            "outside the scanned root",
        );
    }

    #[test]
    fn glob_matching() {
        let m = |p: &str, s: &str| {
            let chars: Vec<char> = s.chars().collect();
            glob_compile(p)
                .unwrap()
                .iter()
                .any(|v| glob_match(v, &chars))
        };
        assert!(m("/a/*.tf", "/a/b.tf"));
        assert!(!m("/a/*.tf", "/a/x/b.tf"));
        assert!(m("/a/**.tf", "/a/x/b.tf"));
        assert!(!m("/a/**/*.tf", "/a/b.tf"));
        assert!(m("/a/**/b.tf", "/a/b.tf"));
        assert!(m("/a/\\*.tf", "/a/*.tf"));
        assert!(!m("/a/\\*.tf", "/a/x.tf"));
        assert!(m("/a/{x,y/z}.tf", "/a/y/z.tf"));
        assert!(glob_compile("/a/[abc").is_err());
        assert!(glob_compile(&"{a,b}".repeat(20)).is_err());
    }

    // --- constraint_check -----------------------------------------------------------

    #[test]
    fn constraint_check_go_version_semantics() {
        let t = empty();
        let check = |v: &str, c: &str| -> bool {
            t.ok("constraint_check", vec![s(v), s(c)])
                .as_bool()
                .unwrap()
        };
        assert!(check("1.2.3", ">= 1.0"));
        assert!(check("1.2.3", "1.2.3"));
        assert!(check("1.2.3", "= 1.2.3"));
        assert!(!check("1.2.3", "!= 1.2.3"));
        assert!(check("v1.2.3", "> 1.2"));
        assert!(!check("1.2.3", "< 1.2.3"));
        assert!(check("1.2.3", "<= 1.2.3"));
        assert!(check("2.1.0", ">= 2.0.0"));
        assert!(!check("1.9.9", ">= 2.0.0"));
        assert!(check("1.2.3", ">= 1.0, < 2.0"));
        assert!(!check("2.0.0", ">= 1.0, < 2.0"));
        // Pessimistic.
        assert!(check("1.2.9", "~> 1.2.3"));
        assert!(!check("1.3.0", "~> 1.2.3"));
        assert!(check("1.9.0", "~> 1.2"));
        assert!(!check("2.0.0", "~> 1.2"));
        assert!(check("1.0.0", "~> 1"));
        assert!(check("1.9.9", "~> 1"));
        assert!(!check("1.2.2", "~> 1.2.3"));
        // Pre-releases.
        assert!(!check("1.2.3-beta", ">= 1.0"));
        assert!(check("1.2.3-beta", ">= 1.2.3-alpha"));
        assert!(!check("1.2.4-beta", ">= 1.2.3-alpha"));
        assert!(check("1.2.3-beta.2", "> 1.2.3-beta.1"));
        assert!(check("1.2.3-beta.10", "> 1.2.3-beta.9"));
        assert!(check("1.2.3", "> 1.2.3-beta"));
        assert!(!check("1.2.3", "~> 1.2.3-beta"));
        assert!(check("1.2.3-rc1", "~> 1.2.3-beta"));
        // Metadata is ignored.
        assert!(check("1.2.3+build.5", "= 1.2.3"));
        // Four segments.
        assert!(check("1.2.3.4", "> 1.2.3"));
        assert!(check("1.2.3.0", "= 1.2.3"));

        t.err(
            "constraint_check",
            vec![s("1.2")],
            "Expected 2 params for function constraint_check, but got 1",
        );
        t.err(
            "constraint_check",
            vec![s("x"), s(">1")],
            "invalid version x: malformed version: x",
        );
        // NewSemver needs a dash before a pre-release; NewVersion (constraints) does not.
        t.err(
            "constraint_check",
            vec![s("1.2.3beta"), s(">1")],
            "malformed version",
        );
        assert!(check("1.2.3", "> 1.2.3beta"));
        t.err(
            "constraint_check",
            vec![s("1.2.3"), s(">= 1.0, what")],
            "invalid constraint >= 1.0, what: Malformed constraint:  what",
        );
        t.err(
            "constraint_check",
            vec![s("1.2.3"), s("")],
            "Malformed constraint: ",
        );
        t.err(
            "constraint_check",
            vec![s("99999999999999999999.0.0"), s(">1")],
            "value out of range",
        );
    }

    // --- deep_merge, startswith, endswith, strcontains, timecmp ---------------------

    #[test]
    fn deep_merge_needs_the_experiment() {
        let t = empty();
        t.err(
            "deep_merge",
            vec![Value::object(BTreeMap::new()), Value::null()],
            "deep_merge in /r/a/terragrunt.hcl requires the 'deep-merge' experiment to be enabled",
        );
        t.unknown("deep_merge", vec![Value::unknown("m")], "m");
    }

    #[test]
    fn string_predicates() {
        let t = empty();
        let b = |f: &str, a: Value, p: Value| t.ok(f, vec![a, p]).as_bool().unwrap();
        assert!(b("startswith", s("hello world"), s("hello")));
        assert!(!b("startswith", s("hello world"), s("world")));
        assert!(b("endswith", s("hello world"), s("world")));
        assert!(!b("endswith", s("hello world"), s("hello")));
        assert!(b("strcontains", s("hello world"), s("o w")));
        assert!(!b("strcontains", s("hello world"), s("x")));
        assert!(b("startswith", Value::int(123), s("12")));
        assert!(b("startswith", s("x"), s("")));
        t.err(
            "startswith",
            vec![s("x")],
            "Expected 2 params for function startswith, but got 1",
        );
        t.err(
            "strcontains",
            vec![s("x"), s("y"), s("z")],
            "Expected 2 params for function strcontains, but got 3",
        );
        t.err(
            "endswith",
            vec![s("x"), Value::tuple(vec![])],
            "string required",
        );
        t.unknown("endswith", vec![s("x"), Value::unknown("u")], "u");
    }

    #[test]
    fn timecmp_compares_instants() {
        let t = empty();
        let c = |a: &str, b: &str| t.ok("timecmp", vec![s(a), s(b)]).to_string();
        assert_eq!(c("2017-11-22T00:00:00Z", "2017-11-22T00:00:00Z"), "0");
        assert_eq!(c("2017-11-22T00:00:00Z", "2017-11-22T01:00:00Z"), "-1");
        assert_eq!(c("2017-11-22T01:00:00Z", "2017-11-22T00:00:00Z"), "1");
        assert_eq!(c("2017-11-22T01:00:00+01:00", "2017-11-22T00:00:00Z"), "0");
        assert_eq!(c("2017-11-21T23:30:00-00:30", "2017-11-22T00:00:00Z"), "0");
        assert_eq!(c("2017-11-22T00:00:00.5Z", "2017-11-22T00:00:00Z"), "1");
        assert_eq!(
            c("2017-11-22T00:00:00.000000001Z", "2017-11-22T00:00:00Z"),
            "1"
        );
        assert_eq!(c("1969-12-31T23:59:59Z", "1970-01-01T00:00:00Z"), "-1");
        assert_eq!(c("2024-02-29T00:00:00Z", "2024-03-01T00:00:00Z"), "-1");
        t.err(
            "timecmp",
            vec![s("2017-11-22 00:00:00Z"), s("2017-11-22T00:00:00Z")],
            "could not parse first parameter \\\"2017-11-22 00:00:00Z\\\": not a valid RFC3339 timestamp: missing required time introducer 'T'",
        );
        t.err(
            "timecmp",
            vec![s("2017-11-22T00:00:00Z"), s("2017-11-22")],
            "could not parse second parameter",
        );
        t.err(
            "timecmp",
            vec![s("2023-02-29T00:00:00Z"), s("2017-11-22T00:00:00Z")],
            "day out of range",
        );
        t.err(
            "timecmp",
            vec![s("2017-13-22T00:00:00Z"), s("2017-11-22T00:00:00Z")],
            "month out of range",
        );
        t.err(
            "timecmp",
            vec![s("2017-11-22T00:00:00"), s("2017-11-22T00:00:00Z")],
            "end of string before UTC offset",
        );
        t.err(
            "timecmp",
            vec![s("2017-11-22T00:00:00Zx"), s("2017-11-22T00:00:00Z")],
            "extra text",
        );
        t.err(
            "timecmp",
            vec![s("x")],
            "function can take only two parameters: timestamp_a and timestamp_b",
        );
    }
}
