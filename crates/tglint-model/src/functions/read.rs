//! The functions that read files: `read_terragrunt_config` (the function around
//! `config::read_config_object`), `read_tfvars_file`, `mark_as_read`, `mark_glob_as_read`.

use super::glob::{Tok, glob_compile, glob_match};
use super::json_check::json_check_object;
use super::paths::repo_root;
use super::{outside_root, ps, resolve, strings, tg, wrong_params};
use crate::fs::{Kind, clean};
use crate::source::{BodyError, ReadError};
use crate::terragrunt::Via;
use crate::terragrunt::{ReadConfigError, config_in_dir, read_config_object};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use tglint_hcl::go;
use tglint_hcl::{CallCtx, EvalCtx, FnError, FnResult, NoFiles, Value, Vars, eval};

// ---------------------------------------------------------------------------------------
// read_terragrunt_config (spec §3)
// ---------------------------------------------------------------------------------------

pub(super) fn read_terragrunt_config(cx: &CallCtx<'_>, args: Vec<Value>) -> FnResult {
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
                go::quote(&ps(&p))
            ))),
        },
        Err(ReadConfigError::Failed(m)) => Err(FnError::call(m)),
        Err(ReadConfigError::Budget(e)) => Err(FnError::Budget(e)),
    }
}

// ---------------------------------------------------------------------------------------
// read_tfvars_file
// ---------------------------------------------------------------------------------------

pub(super) fn read_tfvars_file(cx: &CallCtx<'_>, args: Vec<Value>) -> FnResult {
    let ctx = tg(cx)?;
    let params = strings(&args)?;
    let [file] = params.as_slice() else {
        return Err(wrong_params("read_tfvars_file", "1", params.len()));
    };
    let path = resolve(ctx.terragrunt_dir(), file);
    ctx.read(cx.span, &path, Via::ReadTfvarsFile);
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
        Err(ReadError::Refused(why)) => return Ok(super::refused(ctx, cx, &path, &why)),
        Err(e) => {
            return Err(FnError::call(format!(
                "could not read file {}: {e}",
                go::quote(&shown)
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
                go::quote(&shown),
                e.valid_up_to()
            ))
        })?;
        return Ok(Value::string(text));
    }
    let body = cache.body(&sf).map_err(|e| match e {
        BodyError::Read(r) => {
            FnError::call(format!("could not read file {}: {r}", go::quote(&shown)))
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
/// float64, keys sorted, a current Go's HTML-safe escapes, `${` in strings escaped to
/// `$${`).
const GO_MARSHAL: tglint_hcl::json::Style = tglint_hcl::json::Style {
    number: |n| go_json_float(n.as_f64()),
    string: |s, out| go::json_string_current(&escape_interpolation(s), out),
    key: go::json_string_current,
    unknown: Some("null"),
};

fn go_json_float(f: f64) -> Result<String, String> {
    if !f.is_finite() {
        let inf = if f > 0.0 { "+Inf" } else { "-Inf" };
        return Err(format!("json: unsupported value: {inf}"));
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

// ---------------------------------------------------------------------------------------
// mark_as_read, mark_glob_as_read
// ---------------------------------------------------------------------------------------

pub(super) fn mark_as_read(cx: &CallCtx<'_>, args: Vec<Value>) -> FnResult {
    let params = strings(&args)?;
    let [path] = params.as_slice() else {
        return Err(wrong_params("mark_as_read", "1", params.len()));
    };
    // What the function is for: the unit counts as reading the file (Terragrunt's
    // `--queue-include-units-reading`; tglint's changed-files mode).
    let ctx = tg(cx)?;
    ctx.read(cx.span, &resolve(ctx.terragrunt_dir(), path), Via::Probe);
    Ok(match args.into_iter().next() {
        Some(v) if v.as_str().is_some() => v,
        _ => Value::string(path.clone()),
    })
}

/// How many directory entries one `mark_glob_as_read` may look at.
const GLOB_MAX_ENTRIES: usize = 100_000;
/// How deep below its literal prefix a `**` walk goes.
const GLOB_MAX_DEPTH: usize = 64;

pub(super) fn mark_glob_as_read(cx: &CallCtx<'_>, args: Vec<Value>) -> FnResult {
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
        |m: &str| FnError::call(format!("could not expand glob {}: {m}", go::quote(raw)));

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
            go::quote(&ps(&boundary))
        )));
    }
    if !ctx.shared.cache.allows(&start) {
        return Ok(outside_root(ctx, cx, &start));
    }
    let cache = &ctx.shared.cache;
    if all_literal {
        let p = PathBuf::from(&pattern);
        ctx.read(cx.span, &p, Via::Probe);
        return Ok(Value::string_list(match cache.kind(&p) {
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
        // A file added to a directory the glob looked into changes the result.
        ctx.read(cx.span, &dir, Via::Probe);
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
    for f in &found {
        ctx.read(cx.span, Path::new(f), Via::Probe);
    }
    Ok(Value::string_list(
        found.into_iter().map(Value::string).collect(),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diag::ids;
    use crate::fs::MemFs;
    use crate::functions::test_support::*;

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
}
