//! The function registry and Terraform v0.15.3's function library.
//!
//! A function is a parameter list plus a closure that receives a [`CallCtx`] (the calling
//! file's directory, the [`FileAccess`] handle, the call's span) and the argument values.
//! `tglint-model` builds a second registry of Terragrunt's functions as closures over its
//! parsing context and hands both to the evaluator, Terragrunt's first.
//!
//! [`Functions::call`] does what cty does before a function runs: arity, null and
//! unknown checks. A parameter that does not allow unknowns makes the call return unknown
//! when its argument is unknown at the top level; unknowns nested inside a collection are
//! the implementation's business (see [`unknown_in`]).

use crate::budget::{Budget, Exceeded};
use crate::error::{FnError, FnResult};
use crate::files::FileAccess;
use crate::span::{FileId, Span};
use crate::value::Value;
use std::collections::HashMap;
use std::path::Path;
use std::sync::{Arc, OnceLock};

mod collections;
pub(crate) mod conversion;
mod crypto;
mod datetime;
mod encoding;
mod filesystem;
mod format;
mod network;
mod numeric;
mod strings;

pub use datetime::parse_timestamp_message;

/// One parameter of a function.
#[derive(Clone, Copy, Debug)]
pub struct Param {
    pub name: &'static str,
    pub allow_null: bool,
    pub allow_unknown: bool,
}

impl Param {
    pub const fn new(name: &'static str) -> Param {
        Param {
            name,
            allow_null: false,
            allow_unknown: false,
        }
    }
    /// The argument may be null (otherwise null is "argument must not be null").
    pub const fn nullable(mut self) -> Param {
        self.allow_null = true;
        self
    }
    /// The implementation is called even when this argument is unknown.
    pub const fn unknowns(mut self) -> Param {
        self.allow_unknown = true;
        self
    }
}

/// The context a function runs in.
pub struct CallCtx<'a> {
    /// The function's name as called.
    pub name: &'a str,
    /// The directory of the file holding the call: relative paths of Terraform's file
    /// functions resolve against it.
    pub base_dir: &'a Path,
    pub files: &'a dyn FileAccess,
    /// The span of the whole call.
    pub span: Span,
    /// The caller's own context (Terragrunt's parsing context), for registries that need
    /// more than this crate knows. `None` for Terraform's functions.
    pub ext: Option<&'a (dyn std::any::Any + Send + Sync)>,
    /// The evaluation budget the call is charged to (functions that build large results
    /// check it before building them).
    pub budget: &'a Budget,
}

impl<'a> CallCtx<'a> {
    /// A context for calls that read no files (tests, policy expressions).
    pub fn detached(name: &'a str, files: &'a dyn FileAccess) -> CallCtx<'a> {
        CallCtx {
            name,
            base_dir: Path::new("/"),
            files,
            span: Span::new(FileId(0), 0..0),
            ext: None,
            budget: &crate::budget::UNLIMITED,
        }
    }
}

pub type Impl = Arc<dyn Fn(&CallCtx<'_>, Vec<Value>) -> FnResult + Send + Sync>;

/// A callable function: fixed parameters, an optional variadic one, and the closure.
#[derive(Clone)]
pub struct Function {
    pub params: Vec<Param>,
    pub variadic: Option<Param>,
    pub imp: Impl,
}

impl Function {
    pub fn new(
        params: &[Param],
        variadic: Option<Param>,
        imp: impl Fn(&CallCtx<'_>, Vec<Value>) -> FnResult + Send + Sync + 'static,
    ) -> Function {
        Function {
            params: params.to_vec(),
            variadic,
            imp: Arc::new(imp),
        }
    }

    fn param(&self, index: usize) -> Option<&Param> {
        self.params.get(index).or(self.variadic.as_ref())
    }

    /// The parameter name for argument `index`, for messages.
    pub fn param_name(&self, index: usize) -> &'static str {
        self.param(index).map(|p| p.name).unwrap_or("argument")
    }
}

/// Why a call did not produce a value, before it is given a span.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CallError {
    UnknownFunction,
    NotEnoughArgs {
        expected: usize,
        missing: &'static str,
    },
    TooManyArgs {
        expected: usize,
    },
    /// "Invalid value for "<param>" parameter: <msg>."
    Arg {
        index: usize,
        param: &'static str,
        msg: String,
    },
    Call(String),
    /// The evaluation budget ran out.
    Budget(Exceeded),
}

/// A set of functions by name.
#[derive(Clone, Default)]
pub struct Functions {
    map: HashMap<String, Function>,
}

impl Functions {
    pub fn new() -> Functions {
        Functions::default()
    }

    pub fn insert(&mut self, name: impl Into<String>, f: Function) {
        self.map.insert(name.into(), f);
    }

    /// Registers a function from its parameters and closure.
    pub fn add(
        &mut self,
        name: &str,
        params: &[Param],
        variadic: Option<Param>,
        imp: impl Fn(&CallCtx<'_>, Vec<Value>) -> FnResult + Send + Sync + 'static,
    ) {
        self.insert(name, Function::new(params, variadic, imp));
    }

    pub fn get(&self, name: &str) -> Option<&Function> {
        self.map.get(name)
    }

    pub fn contains(&self, name: &str) -> bool {
        self.map.contains_key(name)
    }

    /// Names in sorted order.
    pub fn names(&self) -> Vec<&str> {
        let mut v: Vec<&str> = self.map.keys().map(String::as_str).collect();
        v.sort_unstable();
        v
    }

    /// Calls `name` with cty's checks: arity, null, top-level unknown.
    pub fn call(&self, name: &str, cx: &CallCtx<'_>, args: Vec<Value>) -> Result<Value, CallError> {
        let f = self.get(name).ok_or(CallError::UnknownFunction)?;
        call_function(f, cx, args)
    }
}

/// Runs one function with cty's checks: arity, null, top-level unknown.
pub fn call_function(f: &Function, cx: &CallCtx<'_>, args: Vec<Value>) -> Result<Value, CallError> {
    if args.len() < f.params.len() {
        return Err(CallError::NotEnoughArgs {
            expected: f.params.len(),
            missing: f.params[args.len()].name,
        });
    }
    if f.variadic.is_none() && args.len() > f.params.len() {
        return Err(CallError::TooManyArgs {
            expected: f.params.len(),
        });
    }
    let mut unknown: Option<Value> = None;
    for (i, a) in args.iter().enumerate() {
        let Some(p) = f.param(i) else { continue };
        if a.is_null() && !p.allow_null {
            return Err(CallError::Arg {
                index: i,
                param: p.name,
                msg: "argument must not be null".into(),
            });
        }
        if !a.is_known() && !p.allow_unknown && unknown.is_none() {
            unknown = Some(a.unknown_like());
        }
    }
    if let Some(u) = unknown {
        return Ok(u);
    }
    (f.imp)(cx, args).map_err(|e| match e {
        FnError::Arg { index, msg } => CallError::Arg {
            index,
            param: f.param_name(index),
            msg,
        },
        FnError::Call(m) => CallError::Call(m),
        FnError::Budget(e) => CallError::Budget(e),
    })
}

/// Argument `i` converted to a string as cty converts for a `cty.String` parameter.
pub(crate) fn str_arg(args: &[Value], i: usize) -> Result<String, FnError> {
    match args.get(i) {
        Some(v) => v.to_str_conv().map_err(|m| FnError::arg(i, m)),
        None => Err(FnError::call("missing argument")),
    }
}

/// Lower-case hexadecimal of `bytes`.
pub(crate) fn hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut out = String::with_capacity(bytes.len() * 2);
    for &b in bytes {
        out.push(char::from(DIGITS[usize::from(b >> 4)]));
        out.push(char::from(DIGITS[usize::from(b & 0xf)]));
    }
    out
}

/// If any argument is or contains an unknown, the unknown result to return.
pub fn unknown_in(args: &[Value]) -> Option<Value> {
    args.iter()
        .find(|a| !a.is_wholly_known())
        .map(Value::unknown_like)
}

/// Terraform v0.15.3's functions, as Terragrunt ships them. Built once.
pub fn terraform() -> &'static Functions {
    static CELL: OnceLock<Functions> = OnceLock::new();
    CELL.get_or_init(|| {
        let mut f = Functions::new();
        collections::register(&mut f);
        conversion::register(&mut f);
        crypto::register(&mut f);
        datetime::register(&mut f);
        encoding::register(&mut f);
        filesystem::register(&mut f);
        format::register(&mut f);
        network::register(&mut f);
        numeric::register(&mut f);
        strings::register(&mut f);
        f
    })
}

/// The names of Terraform v0.15.3's function table (`lang/functions.go`), excluding `try`
/// and `can`, which the evaluator handles as special forms.
pub const TERRAFORM_V0_15_3: &[&str] = &[
    "abs",
    "abspath",
    "alltrue",
    "anytrue",
    "basename",
    "base64decode",
    "base64encode",
    "base64gzip",
    "base64sha256",
    "base64sha512",
    "bcrypt",
    "ceil",
    "chomp",
    "cidrhost",
    "cidrnetmask",
    "cidrsubnet",
    "cidrsubnets",
    "coalesce",
    "coalescelist",
    "compact",
    "concat",
    "contains",
    "csvdecode",
    "defaults",
    "dirname",
    "distinct",
    "element",
    "chunklist",
    "file",
    "fileexists",
    "fileset",
    "filebase64",
    "filebase64sha256",
    "filebase64sha512",
    "filemd5",
    "filesha1",
    "filesha256",
    "filesha512",
    "flatten",
    "floor",
    "format",
    "formatdate",
    "formatlist",
    "indent",
    "index",
    "join",
    "jsondecode",
    "jsonencode",
    "keys",
    "length",
    "list",
    "log",
    "lookup",
    "lower",
    "map",
    "matchkeys",
    "max",
    "md5",
    "merge",
    "min",
    "one",
    "parseint",
    "pathexpand",
    "pow",
    "range",
    "regex",
    "regexall",
    "replace",
    "reverse",
    "rsadecrypt",
    "sensitive",
    "nonsensitive",
    "setintersection",
    "setproduct",
    "setsubtract",
    "setunion",
    "sha1",
    "sha256",
    "sha512",
    "signum",
    "slice",
    "sort",
    "split",
    "strrev",
    "substr",
    "sum",
    "templatefile",
    "textdecodebase64",
    "textencodebase64",
    "timestamp",
    "timeadd",
    "title",
    "tostring",
    "tonumber",
    "tobool",
    "toset",
    "tolist",
    "tomap",
    "transpose",
    "trim",
    "trimprefix",
    "trimspace",
    "trimsuffix",
    "upper",
    "urlencode",
    "uuid",
    "uuidv5",
    "values",
    "yamldecode",
    "yamlencode",
    "zipmap",
];

#[cfg(test)]
#[allow(dead_code)]
pub(crate) mod testing {
    //! Helpers for the function tests in this module's children.
    use super::*;
    use crate::files::NoFiles;

    /// Calls a Terraform function with no files around.
    pub fn call(name: &str, args: Vec<Value>) -> Result<Value, CallError> {
        let cx = CallCtx::detached(name, &NoFiles);
        terraform().call(name, &cx, args)
    }

    /// Calls and expects success.
    pub fn ok(name: &str, args: Vec<Value>) -> Value {
        match call(name, args) {
            Ok(v) => v,
            Err(e) => panic!("{name} failed: {e:?}"),
        }
    }

    /// Calls and expects an error whose message contains `needle`.
    pub fn err(name: &str, args: Vec<Value>, needle: &str) {
        match call(name, args) {
            Ok(v) => panic!("{name} returned {v} but an error was expected"),
            Err(e) => {
                let text = format!("{e:?}");
                assert!(
                    text.contains(needle),
                    "{name}: error {text} lacks {needle:?}"
                );
            }
        }
    }

    /// Runs `f` on a thread with the stack the `tglint` binary gives its threads: input
    /// nested to the limit (`crate::parse::MAX_NESTING`) needs more than a test thread's
    /// 2 MiB in a debug build.
    pub fn on_big_stack(f: impl FnOnce() + Send + 'static) {
        std::thread::Builder::new()
            .stack_size(64 << 20)
            .spawn(f)
            .expect("spawn")
            .join()
            .expect("the test thread panicked");
    }

    pub fn s(x: &str) -> Value {
        Value::string(x)
    }
    pub fn n(x: i64) -> Value {
        Value::int(x)
    }
    pub fn tup(items: Vec<Value>) -> Value {
        Value::tuple(items)
    }

    /// An object from `(key, value)` pairs (a `vec![…]` or a `&[…]`).
    pub fn obj(pairs: impl AsRef<[(&'static str, Value)]>) -> Value {
        Value::object(
            pairs
                .as_ref()
                .iter()
                .map(|(k, v)| (k.to_string(), v.clone()))
                .collect(),
        )
    }

    /// Asserts `v` prints as `text` (see `Value`'s `Display`).
    pub fn shows(v: &Value, text: &str) {
        assert_eq!(v.to_string(), text);
    }

    /// The cty type of the value of `expr` (evaluated with Terraform's functions and no
    /// files), as `terraform console`'s `type()` prints it on one line, or `error: …`.
    pub fn type_of(expr: &str) -> String {
        let e = crate::parse_expr(FileId(0), expr).expect("the expression parses");
        let fns = [terraform()];
        let vars = crate::Vars::new();
        let cx = crate::EvalCtx::detached(&fns, &vars);
        match crate::eval(&e, &cx) {
            Ok(v) => conversion::ty_of(&v).to_string(),
            Err(e) => format!("error: {}: {}", e.summary, e.detail),
        }
    }

    /// Asserts the type of each expression, `(expression, type)`, as `terraform console`
    /// (Terraform 1.11) answers `type(expression)`; an expected type `error` stands for
    /// any error.
    pub fn types(cases: &[(&str, &str)]) {
        let wrong: Vec<String> = cases
            .iter()
            .filter_map(|(expr, want)| {
                let got = type_of(expr);
                let agrees = if *want == "error" {
                    got.starts_with("error: ")
                } else {
                    got == *want
                };
                (!agrees).then(|| format!("{expr}: want {want}, got {got}"))
            })
            .collect();
        assert!(wrong.is_empty(), "types differ:\n{}", wrong.join("\n"));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn registry_has_exactly_terraform_v0_15_3() {
        let reg = terraform();
        let missing: Vec<&&str> = TERRAFORM_V0_15_3
            .iter()
            .filter(|n| !reg.contains(n))
            .collect();
        assert!(missing.is_empty(), "not registered: {missing:?}");
        let extra: Vec<&str> = reg
            .names()
            .into_iter()
            .filter(|n| !TERRAFORM_V0_15_3.contains(n))
            .collect();
        assert!(extra.is_empty(), "not in v0.15.3: {extra:?}");
    }
}
