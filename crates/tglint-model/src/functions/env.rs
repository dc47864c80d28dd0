//! The functions whose answer depends on where and how Terragrunt runs (DESIGN §3.4):
//! known from tglint's options, or unknown with the reason; nothing is ever run.

use super::{outside_root, ps, resolve, strings, tg, wrong_params};
use crate::terragrunt::Via;
use tglint_hcl::go;
use tglint_hcl::{CallCtx, Data, FnError, FnResult, Value};

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

fn string_list(items: &[&str]) -> Value {
    Value::string_list(items.iter().map(|s| Value::string(*s)).collect())
}

// ---------------------------------------------------------------------------------------
// Environment-dependent functions (DESIGN §3.4)
// ---------------------------------------------------------------------------------------

pub(super) fn get_working_dir(cx: &CallCtx<'_>, _: Vec<Value>) -> FnResult {
    tg(cx)?;
    Ok(Value::unknown(
        "get_working_dir: the .terragrunt-cache directory Terragrunt would run in is not computed by tglint",
    ))
}

pub(super) fn get_platform(cx: &CallCtx<'_>, _: Vec<Value>) -> FnResult {
    tg(cx)?;
    Ok(Value::unknown(
        "get_platform: the operating system Terragrunt runs on is not known to tglint",
    ))
}

pub(super) fn get_aws(cx: &CallCtx<'_>, _: Vec<Value>) -> FnResult {
    tg(cx)?;
    Ok(Value::unknown(format!(
        "{} needs AWS credentials; tglint never calls AWS",
        cx.name
    )))
}

pub(super) fn get_env(cx: &CallCtx<'_>, args: Vec<Value>) -> FnResult {
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

pub(super) fn run_cmd(cx: &CallCtx<'_>, args: Vec<Value>) -> FnResult {
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

pub(super) fn sops_decrypt_file(cx: &CallCtx<'_>, args: Vec<Value>) -> FnResult {
    let ctx = tg(cx)?;
    let params = strings(&args)?;
    let [file] = params.as_slice() else {
        return Err(wrong_params("sops_decrypt_file", "1", params.len()));
    };
    let path = resolve(ctx.terragrunt_dir(), file);
    // Never decrypted, but whether it exists decides the result.
    ctx.read(cx.span, &path, Via::Probe);
    match ctx.shared.cache.kind(&path) {
        Err(_) => return Ok(outside_root(ctx, cx, &path)),
        Ok(Some(_)) => {}
        Ok(None) => {
            return Err(FnError::call(format!(
                "could not read file {}: no such file or directory",
                go::quote(&ps(&path))
            )));
        }
    }
    Ok(Value::unknown(format!(
        "sops_decrypt_file: tglint never decrypts ({})",
        path.display()
    )))
}

pub(super) fn get_terraform_command(cx: &CallCtx<'_>, _: Vec<Value>) -> FnResult {
    let ctx = tg(cx)?;
    Ok(match &ctx.shared.opts.terraform_command {
        Some(c) => Value::string(c.clone()),
        None => Value::unknown(
            "get_terraform_command: the command depends on how Terragrunt is run (see --terraform-command)",
        ),
    })
}

pub(super) fn get_terraform_cli_args(cx: &CallCtx<'_>, _: Vec<Value>) -> FnResult {
    let ctx = tg(cx)?;
    Ok(match &ctx.shared.opts.terraform_command {
        Some(c) => Value::string_list(vec![Value::string(c.clone())]),
        None => Value::unknown(
            "get_terraform_cli_args: the arguments depend on how Terragrunt is run (see --terraform-command)",
        ),
    })
}

pub(super) fn get_terragrunt_source_cli_flag(cx: &CallCtx<'_>, _: Vec<Value>) -> FnResult {
    tg(cx)?;
    Ok(Value::string(""))
}

pub(super) fn static_list(cx: &CallCtx<'_>, _: Vec<Value>) -> FnResult {
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fs::MemFs;
    use crate::functions::test_support::*;
    use crate::terragrunt::context::Options;

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

    /// Paths in messages are quoted as Go's `%q` quotes them: runes Go does not print are
    /// escaped (this copy used to leave everything beyond ASCII as it was).
    #[test]
    fn messages_quote_paths_as_go_does() {
        let t = empty();
        t.err(
            "sops_decrypt_file",
            vec![s("a\u{a0}b\u{feff}é.yaml")],
            r#"could not read file \"/r/a/a\\u00a0b\\ufeffé.yaml\": no such file"#,
        );
    }
}
