//! Evaluation of Terragrunt configuration files (spec §1–§3, §6): the phases of one file,
//! the include chain of a unit with its merge strategies, `expose`, dependency blocks and
//! `read_terragrunt_config`.

use crate::context::{IncludeRef, TgCtx};
use crate::diag::{Diagnostic, Label, ids};
use crate::fs::{Kind, clean};
use crate::functions;
use crate::merge;
use crate::refs::refs;
use crate::source::{BodyError, CacheAccess, ReadError};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::Ordering;
use tglint_hcl::hcl_edit::Span as _;
use tglint_hcl::hcl_edit::expr::{Expression, TraversalOperator};
use tglint_hcl::hcl_edit::structure::{Block, Body, Structure};
use tglint_hcl::{
    Data, EvalCtx, Exceeded, FileId, Functions, Origin, Resource, Span, Value, Vars, eval,
};

/// Why `read_terragrunt_config` produced no object.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ReadConfigError {
    /// No file at the (already resolved) path: the default applies, if given.
    NotFound(PathBuf),
    /// Anything else, worded for the user.
    Failed(String),
    /// The unit's evaluation budget for reads is spent.
    Budget(Exceeded),
}

/// How deep `read_terragrunt_config` may nest before tglint reports a loop or runaway.
pub const MAX_READ_DEPTH: usize = 32;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MergeStrategy {
    NoMerge,
    Shallow,
    Deep,
}

impl MergeStrategy {
    pub fn as_str(self) -> &'static str {
        match self {
            MergeStrategy::NoMerge => "no_merge",
            MergeStrategy::Shallow => "shallow",
            MergeStrategy::Deep => "deep",
        }
    }
}

/// An include block as declared.
#[derive(Clone, Debug)]
pub struct IncludeDecl {
    /// `""` for a bare include.
    pub label: String,
    pub bare: bool,
    /// Absolute, cleaned.
    pub path: PathBuf,
    pub expose: bool,
    pub merge: MergeStrategy,
    /// The include block.
    pub span: Span,
    /// The file the included path refers to, once opened.
    pub file: Option<FileId>,
}

/// A `dependency` block, evaluated.
#[derive(Clone, Debug)]
pub struct DepBlock {
    pub label: String,
    pub span: Span,
    /// `config_path`, `enabled`, `skip_outputs`, `mock_outputs`, … as written.
    pub attrs: BTreeMap<String, Value>,
}

impl DepBlock {
    pub fn attr(&self, name: &str) -> Option<&Value> {
        self.attrs.get(name)
    }

    pub fn enabled(&self) -> bool {
        self.attr("enabled").and_then(Value::as_bool) != Some(false)
    }
}

/// One file's configuration (before or after merging with its parents).
#[derive(Clone, Debug, Default)]
pub struct FileConfig {
    pub locals: BTreeMap<String, Value>,
    pub inputs: Option<Value>,
    pub terraform: Option<Value>,
    pub remote_state: Option<Value>,
    /// label → object, in label order.
    pub generate: BTreeMap<String, Value>,
    pub dependency_blocks: Vec<DepBlock>,
    pub dependencies_paths: Option<Value>,
    pub features: BTreeMap<String, Value>,
    pub exclude: Option<Value>,
    pub errors: Option<Value>,
    pub engine: Option<Value>,
    pub catalog: Option<Value>,
    /// The scalar top-level attributes (`iam_role`, `prevent_destroy`, …).
    pub scalars: BTreeMap<String, Value>,
}

const STRING_SCALARS: &[&str] = &[
    "terraform_binary",
    "terraform_version_constraint",
    "terragrunt_version_constraint",
    "download_dir",
    "iam_role",
    "iam_assume_role_session_name",
    "iam_web_identity_token",
];
const OTHER_SCALARS: &[&str] = &[
    "iam_assume_role_duration",
    "prevent_destroy",
    "skip",
    "retryable_errors",
    "retry_max_attempts",
    "retry_sleep_interval_sec",
];
const KNOWN_BLOCKS: &[&str] = &[
    "include",
    "locals",
    "dependency",
    "dependencies",
    "terraform",
    "remote_state",
    "generate",
    "feature",
    "exclude",
    "errors",
    "engine",
    "catalog",
];

/// The outcome of resolving one top-level configuration (a unit, or a
/// `read_terragrunt_config` target).
pub struct Resolved {
    pub file: Option<FileId>,
    pub includes: Vec<IncludeDecl>,
    pub config: FileConfig,
    /// The merged dependency blocks with their resolved target paths.
    pub dependencies: Vec<(DepBlock, Option<PathBuf>)>,
    /// Whether loading failed badly enough that values are missing (parse error…).
    pub failed: bool,
}

fn functions() -> [&'static Functions; 2] {
    [functions::terragrunt(), tglint_hcl::functions::terraform()]
}

/// One file being evaluated: its syntax, its context, and what has been computed so far.
struct FileEval {
    ctx: TgCtx,
    file: FileId,
    body: Arc<Body>,
    cfg: FileConfig,
    /// The value bound as `include` (exposed parents).
    include_var: Value,
    feature_var: Value,
    includes: Vec<IncludeDecl>,
}

impl FileEval {
    /// Opens and parses `path`; reports read and parse errors at `from` (the place that
    /// referred to the file) or at the file itself.
    fn open(ctx: TgCtx, path: &Path, from: Option<Span>, what: &str) -> Result<FileEval, ()> {
        let cache = ctx.shared.cache.clone();
        let sf = cache.file(path);
        match cache.body(&sf) {
            Ok(body) => Ok(FileEval {
                ctx: TgCtx {
                    current_file: sf.path.clone(),
                    ..ctx
                },
                file: sf.id,
                body,
                cfg: FileConfig::default(),
                include_var: Value::object(BTreeMap::new()),
                feature_var: Value::object(BTreeMap::new()),
                includes: Vec::new(),
            }),
            Err(BodyError::Parse(e)) => {
                ctx.report(
                    Diagnostic::at(ids::PARSE_ERROR, e.message.clone(), e.span).with_help(
                        "fix the syntax error; tglint reports the first one in each file",
                    ),
                );
                Err(())
            }
            Err(BodyError::Read(ReadError::NotFound)) => {
                let msg = format!("{what} not found: {}", sf.path.display());
                let d = match from {
                    Some(s) => Diagnostic::at(ids::INCLUDE_ERROR, msg, s),
                    None => Diagnostic::new(ids::INCLUDE_ERROR, msg, Label::file_start(sf.id)),
                };
                ctx.report(d);
                Err(())
            }
            Err(BodyError::Read(ReadError::Refused(why))) => {
                let msg = ctx.shared.cache.refusal_message(&sf.path, &why);
                let d = match from {
                    Some(s) => Diagnostic::at(ids::UNSUPPORTED, msg, s),
                    None => Diagnostic::new(ids::UNSUPPORTED, msg, Label::file_start(sf.id)),
                };
                ctx.report(d.with_help(why.help()));
                Err(())
            }
            Err(BodyError::Read(e)) => {
                let d = Diagnostic::new(
                    ids::PARSE_ERROR,
                    format!("{}: {e}", sf.rel),
                    Label::file_start(sf.id),
                );
                let d = match from {
                    Some(s) => d.with_related(vec![Label::new(s).with_note("referenced here")]),
                    None => d,
                };
                ctx.report(d);
                Err(())
            }
        }
    }

    fn span(&self, r: Option<std::ops::Range<usize>>) -> Span {
        Span::new(self.file, r.unwrap_or(0..0))
    }

    fn eval(&self, e: &Expression, vars: &Vars) -> Option<Value> {
        let fns = functions();
        let access = CacheAccess::new(&self.ctx.shared.cache);
        let base = self.ctx.current_file.parent().unwrap_or(Path::new("/"));
        let cx = EvalCtx {
            file: self.file,
            base_dir: base,
            files: &access,
            functions: &fns,
            vars,
            ext: Some(&self.ctx),
            budget: Some(&self.ctx.unit.budget),
        };
        let r = eval(e, &cx);
        for (p, why) in access.take_refused() {
            let msg = self.ctx.shared.cache.refusal_message(&p, &why);
            self.ctx.report(
                Diagnostic::at(
                    ids::UNSUPPORTED,
                    format!("{msg}; its value is unknown"),
                    self.span(e.span()),
                )
                .with_help(why.help()),
            );
        }
        match r {
            Ok(v) => Some(v),
            Err(err) => {
                // A spent budget is reported where it ran out, not again by every
                // expression that fails because of it.
                let report = match &err.budget {
                    Some(b) => self.ctx.unit.budget.first_report(b),
                    None => true,
                };
                if report {
                    let mut d = Diagnostic::at(ids::EVAL_ERROR, err.to_string(), err.span);
                    if err.budget.is_some() {
                        d = d.with_help(
                            "this input would take tglint without bound; simplify the \
                             expression, or raise the limit with --limit if it is genuine",
                        );
                    }
                    self.ctx.report(d);
                }
                None
            }
        }
    }

    /// Evaluates or substitutes an unknown that names the failure.
    fn eval_or_unknown(&self, e: &Expression, vars: &Vars, what: &str) -> Value {
        self.eval(e, vars).unwrap_or_else(|| {
            Value::failed(format!("{what} could not be evaluated"))
                .with_origin(Some(Origin::new(self.span(e.span()))))
        })
    }

    // ----- phase 0: checks on the syntax -----

    fn precheck(&self) {
        for s in self.body.iter() {
            match s {
                Structure::Attribute(a) => {
                    self.check_no_dependency_inputs(&a.value);
                    let key = a.key.value().as_str();
                    if key != "inputs"
                        && key != "generate"
                        && key != "remote_state"
                        && !STRING_SCALARS.contains(&key)
                        && !OTHER_SCALARS.contains(&key)
                    {
                        self.ctx.report(
                            Diagnostic::at(
                                ids::EVAL_ERROR,
                                format!(
                                    "Unsupported argument: An argument named \"{key}\" is not expected here."
                                ),
                                self.span(a.key.span()),
                            )
                            .with_help("remove it, or move it into `inputs` or `locals`"),
                        );
                    }
                }
                Structure::Block(b) => {
                    let name = b.ident.value().as_str();
                    if !KNOWN_BLOCKS.contains(&name) {
                        self.ctx.report(Diagnostic::at(
                            ids::EVAL_ERROR,
                            format!(
                                "Unsupported block type: Blocks of type \"{name}\" are not expected here."
                            ),
                            self.span(b.ident.span()),
                        ));
                    }
                    if name == "terraform"
                        && let Some(src) = b.body.get_attribute("source")
                        && refs(&src.value).iter().any(|r| r.root == "dependency")
                    {
                        self.ctx.report(Diagnostic::at(
                                ids::EVAL_ERROR,
                                "terraform.source may not reference dependency outputs (TerraformSourceReferencesDependencyError): the source must be known before dependencies are read",
                                self.span(src.value.span()),
                            ));
                    }
                }
            }
        }
    }

    fn check_no_dependency_inputs(&self, e: &Expression) {
        walk_traversals(e, &mut |root, ops, span| {
            if root != "dependency" {
                return;
            }
            let second = match ops.get(1) {
                Some(TraversalOperator::GetAttr(id)) => Some(id.value().as_str()),
                _ => None,
            };
            if second == Some("inputs") {
                self.ctx.report(
                    Diagnostic::at(
                        ids::EVAL_ERROR,
                        "Reading inputs from dependencies is no longer supported. To acquire values from dependencies, use outputs.",
                        self.span(span),
                    )
                    .with_help("read `dependency.<name>.outputs.<output>` instead"),
                );
            }
        });
    }

    // ----- phase 1: include blocks -----

    fn eval_includes(&mut self) {
        let empty = Vars::new();
        let mut out = Vec::new();
        let mut bare_count = 0;
        let body = self.body.clone();
        let blocks: Vec<&Block> = blocks_named(&body, "include");
        for b in &blocks {
            let span = self.span(b.span());
            let (label, bare) = match b.labels.as_slice() {
                [] => (String::new(), true),
                [l] => (l.as_str().to_string(), false),
                _ => {
                    self.ctx.report(Diagnostic::at(
                        ids::INCLUDE_ERROR,
                        "an include block takes at most one label",
                        span,
                    ));
                    continue;
                }
            };
            if bare {
                bare_count += 1;
                self.ctx.report(
                    Diagnostic::at(
                        ids::DEPRECATED,
                        "a bare include block (without a label) is deprecated (strict control `bare-include`)",
                        span,
                    )
                    .with_help("give the include a label, e.g. `include \"root\" { … }`"),
                );
            }
            if !bare && out.iter().any(|i: &IncludeDecl| i.label == label) {
                self.ctx.report(Diagnostic::at(
                    ids::INCLUDE_ERROR,
                    format!("duplicate include label \"{label}\""),
                    span,
                ));
                continue;
            }
            for s in b.body.iter() {
                if let Structure::Attribute(a) = s {
                    let k = a.key.value().as_str();
                    if !matches!(k, "path" | "expose" | "merge_strategy") {
                        self.ctx.report(Diagnostic::at(
                            ids::INCLUDE_ERROR,
                            format!("Unsupported argument: An argument named \"{k}\" is not expected in an include block."),
                            self.span(a.key.span()),
                        ));
                    }
                } else if let Structure::Block(ib) = s {
                    self.ctx.report(Diagnostic::at(
                        ids::INCLUDE_ERROR,
                        format!("Unsupported block type: Blocks of type \"{}\" are not expected in an include block.", ib.ident.value().as_str()),
                        self.span(ib.ident.span()),
                    ));
                }
            }
            let Some(pattr) = b.body.get_attribute("path") else {
                self.ctx.report(
                    Diagnostic::at(
                        ids::INCLUDE_ERROR,
                        "Missing required argument: The argument \"path\" is required, but no definition was found.",
                        span,
                    )
                    .with_help("add `path = find_in_parent_folders(\"root.hcl\")`"),
                );
                continue;
            };
            let pspan = self.span(pattr.value.span());
            let Some(pv) = self.eval(&pattr.value, &empty) else {
                continue;
            };
            let path_str = match &pv.data {
                Data::String(s) => s.clone(),
                Data::Unknown(u) => {
                    self.ctx.report(Diagnostic::at(
                        ids::INCLUDE_ERROR,
                        format!(
                            "cannot resolve the include path: it is unknown ({})",
                            u.reason
                        ),
                        pspan,
                    ));
                    continue;
                }
                _ => {
                    self.ctx.report(Diagnostic::at(
                        ids::INCLUDE_ERROR,
                        format!("the include path must be a string, not {}", pv.type_name()),
                        pspan,
                    ));
                    continue;
                }
            };
            if path_str.is_empty() {
                self.ctx.report(Diagnostic::at(
                    ids::INCLUDE_ERROR,
                    format!(
                        "The include configuration in {} must specify a 'path' parameter",
                        self.ctx.current_file.display()
                    ),
                    pspan,
                ));
                continue;
            }
            let raw = PathBuf::from(&path_str);
            let path = if raw.is_absolute() {
                clean(&raw)
            } else {
                clean(&self.ctx.terragrunt_dir().join(raw))
            };
            let expose = match b.body.get_attribute("expose") {
                None => false,
                Some(a) => match self.eval(&a.value, &empty) {
                    Some(v) => match v.to_bool_conv() {
                        Ok(x) => x,
                        Err(_) => {
                            self.ctx.report(Diagnostic::at(
                                ids::INCLUDE_ERROR,
                                "expose must be a bool",
                                self.span(a.value.span()),
                            ));
                            false
                        }
                    },
                    None => false,
                },
            };
            let merge = match b.body.get_attribute("merge_strategy") {
                None => MergeStrategy::Shallow,
                Some(a) => {
                    let v = self.eval(&a.value, &empty);
                    match v.as_ref().and_then(Value::as_str) {
                        Some("no_merge") => MergeStrategy::NoMerge,
                        Some("shallow") | Some("") => MergeStrategy::Shallow,
                        Some("deep") => MergeStrategy::Deep,
                        other => {
                            if v.is_some() {
                                self.ctx.report(
                                    Diagnostic::at(
                                        ids::INCLUDE_ERROR,
                                        format!(
                                            "Include merge strategy {} is unknown. Valid strategies are: no_merge, shallow, deep (InvalidMergeStrategyTypeError)",
                                            other.unwrap_or("(not a string)")
                                        ),
                                        self.span(a.value.span()),
                                    )
                                    .with_help("use \"no_merge\", \"shallow\" or \"deep\""),
                                );
                            }
                            MergeStrategy::Shallow
                        }
                    }
                }
            };
            out.push(IncludeDecl {
                label,
                bare,
                path,
                expose,
                merge,
                span,
                file: None,
            });
        }
        if bare_count > 1 {
            self.ctx.report(Diagnostic::at(
                ids::INCLUDE_ERROR,
                "Multiple bare include blocks (include blocks without label) is not supported.",
                out.iter()
                    .find(|i| i.bare)
                    .map(|i| i.span)
                    .unwrap_or_default(),
            ));
        }
        self.includes = out;
    }

    // ----- phase 2: feature blocks -----

    fn eval_features(&mut self) {
        let empty = Vars::new();
        let body = self.body.clone();
        let blocks: Vec<&Block> = blocks_named(&body, "feature");
        for b in &blocks {
            let Some(name) = b.labels.first().map(|l| l.as_str().to_string()) else {
                self.ctx.report(Diagnostic::at(
                    ids::EVAL_ERROR,
                    "a feature block needs a name label",
                    self.span(b.span()),
                ));
                continue;
            };
            let Some(d) = b.body.get_attribute("default") else {
                self.ctx.report(Diagnostic::at(
                    ids::EVAL_ERROR,
                    format!(
                        "feature flag {name} does not have a default value in {}",
                        self.ctx.current_file.display()
                    ),
                    self.span(b.span()),
                ));
                continue;
            };
            let v = self.eval_or_unknown(&d.value, &empty, &format!("feature {name}"));
            let mut obj = BTreeMap::new();
            obj.insert("name".to_string(), Value::string(name.clone()));
            obj.insert("default".to_string(), v);
            self.cfg.features.insert(
                name,
                Value::object(obj).with_origin(Some(Origin::new(self.span(b.span())))),
            );
        }
    }

    // ----- phase 3: locals -----

    fn eval_locals(&mut self) {
        let body = self.body.clone();
        let blocks: Vec<&Block> = blocks_named(&body, "locals");
        for extra in blocks.iter().skip(1) {
            self.ctx.report(
                Diagnostic::at(
                    ids::EVAL_ERROR,
                    "Multiple locals block",
                    self.span(extra.span()),
                )
                .with_help("merge the locals blocks into one"),
            );
        }
        let Some(block) = blocks.first() else { return };
        let mut attrs: Vec<(String, Expression, Span)> = Vec::new();
        for s in block.body.iter() {
            match s {
                Structure::Attribute(a) => attrs.push((
                    a.key.value().as_str().to_string(),
                    a.value.clone(),
                    self.span(a.span()),
                )),
                Structure::Block(b) => self.ctx.report(Diagnostic::at(
                    ids::EVAL_ERROR,
                    "Unexpected block: blocks are not allowed in locals",
                    self.span(b.span()),
                )),
            }
        }
        let names: Vec<String> = attrs.iter().map(|(n, _, _)| n.clone()).collect();
        // `vars` holds the evaluated locals as `local`; each pass adds to it in place.
        let mut vars = self.vars_for_locals(&BTreeMap::new());
        let mut done: BTreeMap<String, Value> = BTreeMap::new();
        let mut remaining: Vec<usize> = (0..attrs.len()).collect();
        let deps: Vec<Vec<crate::refs::Ref>> = attrs.iter().map(|(_, e, _)| refs(e)).collect();
        for _pass in 0..1000 {
            let mut progress = false;
            let mut next = Vec::new();
            for &i in &remaining {
                let ready = deps[i].iter().all(|r| match r.root.as_str() {
                    "include" | "feature" | "values" => true,
                    "local" => r.attr.as_ref().is_some_and(|a| done.contains_key(a)),
                    _ => false,
                });
                if !ready {
                    next.push(i);
                    continue;
                }
                let (name, e, _) = &attrs[i];
                let v = self.eval_or_unknown(e, &vars, &format!("local.{name}"));
                if let Some(m) = vars.get_mut("local").and_then(Value::map_mut) {
                    m.insert(name.clone(), v.clone());
                }
                done.insert(name.clone(), v);
                progress = true;
            }
            remaining = next;
            if !progress || remaining.is_empty() {
                break;
            }
        }
        if !remaining.is_empty() {
            let mut failed = Vec::new();
            for &i in &remaining {
                let (name, _, span) = &attrs[i];
                let why = deps[i]
                    .iter()
                    .find_map(|r| match r.root.as_str() {
                        "include" | "feature" | "values" => None,
                        "local" => match &r.attr {
                            None => Some("This local var name can not be determined.".to_string()),
                            Some(a) if !names.contains(a) => {
                                Some(format!("There is no local named \"{a}\" in this block."))
                            }
                            Some(a) if !done.contains_key(a) => Some(format!(
                                "It depends on local.{a}, which could not be evaluated (a cycle?)."
                            )),
                            _ => None,
                        },
                        "dependency" => Some("Locals cannot reference dependency blocks: you can only reference other local variables, include and feature here.".to_string()),
                        other => Some(format!(
                            "You can only reference to other local variables here, but it looks like you're referencing something else ({other} is not defined)"
                        )),
                    })
                    .unwrap_or_else(|| "It cannot be evaluated.".to_string());
                self.ctx.report(
                    Diagnostic::at(
                        ids::EVAL_ERROR,
                        format!("Could not evaluate all locals in block: local.{name}: {why}"),
                        *span,
                    )
                    .with_help("locals may reference only other locals, include.<label>.locals (with expose = true) and feature flags"),
                );
                failed.push((name.clone(), *span));
            }
            for (name, span) in failed {
                done.insert(
                    name.clone(),
                    Value::failed(format!("local.{name} could not be evaluated"))
                        .with_origin(Some(Origin::new(span))),
                );
            }
        }
        self.cfg.locals = done;
    }

    fn vars_for_locals(&self, locals: &BTreeMap<String, Value>) -> Vars {
        let mut v = Vars::new();
        v.insert("local".into(), Value::object(locals.clone()));
        v.insert("include".into(), self.include_var.clone());
        v.insert("feature".into(), self.feature_var.clone());
        v
    }

    fn base_vars(&self) -> Vars {
        self.vars_for_locals(&self.cfg.locals)
    }

    // ----- phase 4: dependency blocks -----

    fn eval_dependency_blocks(&mut self) {
        let vars = self.base_vars();
        let body = self.body.clone();
        let blocks: Vec<&Block> = blocks_named(&body, "dependency");
        let mut out: Vec<DepBlock> = Vec::new();
        for b in &blocks {
            let span = self.span(b.span());
            let Some(label) = b.labels.first().map(|l| l.as_str().to_string()) else {
                self.ctx.report(Diagnostic::at(
                    ids::EVAL_ERROR,
                    "a dependency block needs a name label",
                    span,
                ));
                continue;
            };
            if out.iter().any(|d| d.label == label) {
                self.ctx.report(Diagnostic::at(
                    ids::EVAL_ERROR,
                    format!("duplicate dependency block \"{label}\""),
                    span,
                ));
                continue;
            }
            let mut attrs = BTreeMap::new();
            for s in b.body.iter() {
                match s {
                    Structure::Attribute(a) => {
                        let k = a.key.value().as_str();
                        if !matches!(
                            k,
                            "config_path"
                                | "enabled"
                                | "skip_outputs"
                                | "mock_outputs"
                                | "mock_outputs_allowed_terraform_commands"
                                | "mock_outputs_merge_strategy_with_state"
                                | "mock_outputs_merge_with_state"
                        ) {
                            self.ctx.report(Diagnostic::at(
                                ids::EVAL_ERROR,
                                format!("Unsupported argument: An argument named \"{k}\" is not expected in a dependency block."),
                                self.span(a.key.span()),
                            ));
                            continue;
                        }
                        let v = self.eval_or_unknown(
                            &a.value,
                            &vars,
                            &format!("dependency.{label}.{k}"),
                        );
                        attrs.insert(k.to_string(), v);
                    }
                    Structure::Block(ib) => self.ctx.report(Diagnostic::at(
                        ids::UNSUPPORTED,
                        format!(
                            "the \"{}\" block inside a dependency block is not evaluated by tglint",
                            ib.ident.value().as_str()
                        ),
                        self.span(ib.span()),
                    )),
                }
            }
            if !attrs.contains_key("config_path") {
                self.ctx.report(Diagnostic::at(
                    ids::EVAL_ERROR,
                    format!(
                        "Missing required argument: dependency \"{label}\" needs a config_path."
                    ),
                    span,
                ));
            }
            out.push(DepBlock { label, span, attrs });
        }
        self.cfg.dependency_blocks = out;
    }

    // ----- phase 5: everything else -----

    fn eval_rest(&mut self, dependency_var: &Value) {
        let mut vars = self.base_vars();
        vars.insert("dependency".into(), dependency_var.clone());
        let body = self.body.clone();
        let items: Vec<&Structure> = body.iter().collect();
        let mut seen_generate: BTreeMap<String, Span> = BTreeMap::new();
        for s in &items {
            match s {
                Structure::Attribute(a) => {
                    let key = a.key.value().as_str();
                    let span = self.span(a.span());
                    match key {
                        "inputs" => {
                            let v = self.eval_or_unknown(&a.value, &vars, "inputs");
                            if v.is_known() && v.as_map().is_none() {
                                self.ctx.report(Diagnostic::at(
                                    ids::EVAL_ERROR,
                                    format!("inputs must be an object, not {}", v.type_name()),
                                    self.span(a.value.span()),
                                ));
                            } else {
                                self.cfg.inputs = Some(v);
                            }
                        }
                        "remote_state" => {
                            let v = self.eval_or_unknown(&a.value, &vars, "remote_state");
                            self.cfg.remote_state = Some(fill_remote_state(v));
                        }
                        "generate" => {
                            let v = self.eval_or_unknown(&a.value, &vars, "generate");
                            if let Some(m) = v.as_map() {
                                for (label, g) in m {
                                    let g = fill_generate(g.clone());
                                    self.add_generate(label.clone(), g, span, &mut seen_generate);
                                }
                            }
                        }
                        k if STRING_SCALARS.contains(&k) || OTHER_SCALARS.contains(&k) => {
                            let v = self.eval_or_unknown(&a.value, &vars, k);
                            self.cfg.scalars.insert(k.to_string(), v);
                        }
                        _ => {}
                    }
                }
                Structure::Block(b) => {
                    let name = b.ident.value().as_str();
                    let span = self.span(b.span());
                    match name {
                        "terraform" => {
                            let v = self.block_object(
                                b,
                                &vars,
                                &["extra_arguments", "before_hook", "after_hook", "error_hook"],
                            );
                            self.cfg.terraform = Some(fill_terraform(v));
                        }
                        "remote_state" => {
                            let v = self.block_object(b, &vars, &[]);
                            self.cfg.remote_state = Some(fill_remote_state(v));
                        }
                        "generate" => {
                            let Some(label) = b.labels.first().map(|l| l.as_str().to_string())
                            else {
                                self.ctx.report(Diagnostic::at(
                                    ids::EVAL_ERROR,
                                    "a generate block needs a name label",
                                    span,
                                ));
                                continue;
                            };
                            if b.body.get_attribute("if_exists").is_none() {
                                self.ctx.report(
                                    Diagnostic::at(
                                        ids::EVAL_ERROR,
                                        format!("Missing required argument: generate block \"{label}\" needs if_exists."),
                                        span,
                                    )
                                    .with_help("add `if_exists = \"overwrite_terragrunt\"`"),
                                );
                            }
                            let v = self.block_object(b, &vars, &[]);
                            let g = fill_generate(v);
                            self.add_generate(label, g, span, &mut seen_generate);
                        }
                        "dependencies" => {
                            let v = self.block_object(b, &vars, &[]);
                            let paths = v
                                .as_map()
                                .and_then(|m| m.get("paths").cloned())
                                .unwrap_or_else(|| Value::list(Vec::new()));
                            self.cfg.dependencies_paths = Some(paths);
                        }
                        "exclude" => self.cfg.exclude = Some(self.block_object(b, &vars, &[])),
                        "errors" => {
                            self.cfg.errors =
                                Some(self.block_object(b, &vars, &["retry", "ignore"]))
                        }
                        "engine" => self.cfg.engine = Some(self.block_object(b, &vars, &[])),
                        "catalog" => self.cfg.catalog = Some(self.block_object(b, &vars, &[])),
                        _ => {}
                    }
                }
            }
        }
    }

    fn add_generate(
        &mut self,
        label: String,
        g: Value,
        span: Span,
        seen: &mut BTreeMap<String, Span>,
    ) {
        if let Some(first) = seen.get(&label) {
            self.ctx.report(
                Diagnostic::at(
                    ids::EVAL_ERROR,
                    format!("Detected generate blocks with the same name: [{label}] (DuplicatedGenerateBlocksError)"),
                    span,
                )
                .with_related(vec![Label::new(*first).with_note("first defined here")]),
            );
            return;
        }
        seen.insert(label.clone(), span);
        self.cfg.generate.insert(label, g);
    }

    /// A block as an object: attributes evaluated; nested blocks of the `labelled` types
    /// become maps keyed by label (each with its `name`), other nested blocks objects.
    fn block_object(&self, b: &Block, vars: &Vars, labelled: &[&str]) -> Value {
        let mut m: BTreeMap<String, Value> = BTreeMap::new();
        for s in b.body.iter() {
            match s {
                Structure::Attribute(a) => {
                    let k = a.key.value().as_str().to_string();
                    let what = format!("{}.{k}", b.ident.value().as_str());
                    m.insert(k, self.eval_or_unknown(&a.value, vars, &what));
                }
                Structure::Block(nb) => {
                    let name = nb.ident.value().as_str().to_string();
                    let inner = self.block_object(nb, vars, &[]);
                    if labelled.contains(&name.as_str()) || !nb.labels.is_empty() {
                        let label = nb
                            .labels
                            .first()
                            .map(|l| l.as_str().to_string())
                            .unwrap_or_default();
                        let mut inner = inner;
                        if let Some(im) = inner.map_mut() {
                            im.insert("name".into(), Value::string(label.clone()));
                        }
                        let entry = m
                            .entry(name)
                            .or_insert_with(|| Value::object(BTreeMap::new()));
                        if let Some(em) = entry.map_mut() {
                            em.insert(label, inner);
                        }
                    } else {
                        m.insert(name, inner);
                    }
                }
            }
        }
        Value::object(m).with_origin(Some(Origin::new(self.span(b.span()))))
    }
}

fn blocks_named<'b>(body: &'b Body, name: &str) -> Vec<&'b Block> {
    body.iter()
        .filter_map(|s| match s {
            Structure::Block(b) if b.ident.value().as_str() == name => Some(b),
            _ => None,
        })
        .collect()
}

fn set_default(m: &mut BTreeMap<String, Value>, k: &str, v: Value) {
    m.entry(k.to_string()).or_insert(v);
}

fn fill_generate(mut v: Value) -> Value {
    if let Some(m) = v.map_mut() {
        set_default(m, "if_disabled", Value::string("skip"));
        set_default(m, "comment_prefix", Value::string("# "));
        set_default(m, "disable_signature", Value::bool(false));
        set_default(m, "disable", Value::bool(false));
        set_default(m, "hcl_fmt", Value::null());
        set_default(m, "mutable", Value::null());
        m.remove("name");
    }
    v
}

fn fill_remote_state(mut v: Value) -> Value {
    if let Some(m) = v.map_mut() {
        set_default(m, "disable_init", Value::bool(false));
        set_default(m, "disable_dependency_optimization", Value::bool(false));
    }
    v
}

fn fill_terraform(mut v: Value) -> Value {
    if let Some(m) = v.map_mut() {
        for (kind, defaults) in [
            (
                "extra_arguments",
                &[
                    "arguments",
                    "required_var_files",
                    "optional_var_files",
                    "env_vars",
                ][..],
            ),
            ("before_hook", &["working_dir", "if", "suppress_stdout"][..]),
            ("after_hook", &["working_dir", "if", "suppress_stdout"][..]),
            ("error_hook", &["working_dir", "if", "suppress_stdout"][..]),
        ] {
            if let Some(hooks) = m.get_mut(kind).and_then(Value::map_mut) {
                for h in hooks.values_mut() {
                    if let Some(hm) = h.map_mut() {
                        for d in defaults {
                            set_default(hm, d, Value::null());
                        }
                        if kind != "extra_arguments" {
                            set_default(hm, "run_on_error", Value::bool(false));
                        }
                    }
                }
            }
        }
    }
    v
}

type TraversalVisitor<'f> =
    dyn FnMut(&str, &[&TraversalOperator], Option<std::ops::Range<usize>>) + 'f;

/// Calls `f(root, operators, span)` for every traversal rooted at a variable.
fn walk_traversals(e: &Expression, f: &mut TraversalVisitor<'_>) {
    fn go(e: &Expression, f: &mut TraversalVisitor<'_>, depth: u32) {
        if depth > 256 {
            return;
        }
        let d = depth + 1;
        match e {
            Expression::Traversal(t) => {
                if let Expression::Variable(v) = &t.expr {
                    let ops: Vec<&TraversalOperator> =
                        t.operators.iter().map(|o| o.value()).collect();
                    f(v.value().as_str(), &ops, t.span());
                } else {
                    go(&t.expr, f, d);
                }
                for op in &t.operators {
                    if let TraversalOperator::Index(ix) = op.value() {
                        go(ix, f, d);
                    }
                }
            }
            Expression::Array(a) => a.iter().for_each(|x| go(x, f, d)),
            Expression::Object(o) => o.iter().for_each(|(_, v)| go(v.expr(), f, d)),
            Expression::Parenthesis(p) => go(p.inner(), f, d),
            Expression::Conditional(c) => {
                go(&c.cond_expr, f, d);
                go(&c.true_expr, f, d);
                go(&c.false_expr, f, d);
            }
            Expression::FuncCall(c) => c.args.iter().for_each(|a| go(a, f, d)),
            Expression::UnaryOp(u) => go(&u.expr, f, d),
            Expression::BinaryOp(b) => {
                go(&b.lhs_expr, f, d);
                go(&b.rhs_expr, f, d);
            }
            Expression::ForExpr(fe) => {
                go(&fe.intro.collection_expr, f, d);
                go(&fe.value_expr, f, d);
                if let Some(k) = &fe.key_expr {
                    go(k, f, d);
                }
            }
            Expression::StringTemplate(t) => {
                for el in t.iter() {
                    if let tglint_hcl::hcl_edit::template::Element::Interpolation(i) = el {
                        go(&i.expr, f, d);
                    }
                }
            }
            _ => {}
        }
    }
    go(e, f, 0)
}

/// The `dependency` variable built from merged blocks: `dependency.<label>.outputs` is
/// the mock outputs (tagged as mocks) when present, otherwise unknown.
pub fn dependency_var(blocks: &[DepBlock]) -> Value {
    let mut m = BTreeMap::new();
    for b in blocks {
        let mut obj = BTreeMap::new();
        let mocks = b.attr("mock_outputs").filter(|v| !v.is_null()).cloned();
        let skip = b.attr("skip_outputs").and_then(Value::as_bool) == Some(true);
        match mocks {
            Some(mut mv) => {
                mv.mark_mock();
                obj.insert("outputs".to_string(), mv);
            }
            None if !b.enabled() || skip => {}
            None => {
                obj.insert(
                    "outputs".to_string(),
                    Value::unknown(format!(
                        "dependency \"{}\" has no mock_outputs, and tglint never reads real outputs",
                        b.label
                    ))
                    .with_origin(Some(Origin::new(b.span))),
                );
            }
        }
        m.insert(
            b.label.clone(),
            Value::object(obj).with_origin(Some(Origin::new(b.span))),
        );
    }
    Value::object(m)
}

/// Where a dependency's `config_path` leads: the unit's directory joined with it; a
/// directory means the configuration file inside it.
pub fn resolve_config_path(ctx: &TgCtx, v: &Value) -> Option<PathBuf> {
    let s = v.as_str()?;
    if s.is_empty() {
        return None;
    }
    let raw = PathBuf::from(s);
    let p = if raw.is_absolute() {
        clean(&raw)
    } else {
        clean(&ctx.terragrunt_dir().join(raw))
    };
    Some(p)
}

/// The configuration file a directory stands for (Terragrunt's `GetDefaultConfigPath`:
/// `terragrunt.hcl.json` when it exists, else `terragrunt.hcl`).
pub fn config_in_dir(ctx: &TgCtx, dir: &Path) -> PathBuf {
    let json = dir.join("terragrunt.hcl.json");
    // A terragrunt.hcl.json that is itself a link out of the root is chosen, as
    // Terragrunt would choose it, so that reading it is refused visibly.
    let cache = &ctx.shared.cache;
    if match cache.kind(&json) {
        Ok(k) => k == Some(Kind::File),
        Err(why) => cache.is_own_link(&json, &why),
    } {
        json
    } else {
        dir.join("terragrunt.hcl")
    }
}

/// Resolves a top-level configuration file with its include chain (a unit, or a target of
/// `read_terragrunt_config`). Diagnostics go to `ctx`.
pub fn resolve(ctx: TgCtx, path: &Path) -> Resolved {
    let mut unit = match FileEval::open(ctx.clone(), path, None, "configuration") {
        Ok(u) => u,
        Err(()) => {
            return Resolved {
                file: None,
                includes: Vec::new(),
                config: FileConfig::default(),
                dependencies: Vec::new(),
                failed: true,
            };
        }
    };
    unit.precheck();
    unit.eval_includes();
    let include_refs: Vec<IncludeRef> = unit
        .includes
        .iter()
        .map(|i| IncludeRef {
            label: i.label.clone(),
            path: i.path.clone(),
        })
        .collect();
    unit.ctx.includes = include_refs;

    // Open every parent (even with no_merge, a broken parent breaks the unit).
    let mut parents: Vec<Option<FileEval>> = Vec::new();
    for inc in unit.includes.clone().iter_mut() {
        let pctx = TgCtx {
            include_from_child: Some(IncludeRef {
                label: inc.label.clone(),
                path: inc.path.clone(),
            }),
            ..unit.ctx.clone()
        };
        match FileEval::open(pctx, &inc.path, Some(inc.span), "Include configuration") {
            Ok(mut p) => {
                p.precheck();
                // A parent may not include anything: evaluate its include blocks quietly,
                // only to name the grandparent in the error.
                let body = p.body.clone();
                let nested_blocks = blocks_named(&body, "include");
                let sink = std::mem::replace(&mut p.ctx.diags, Arc::new(Default::default()));
                p.eval_includes();
                p.ctx.diags = sink;
                if let Some(block) = nested_blocks.first() {
                    let (nested_path, nested_span) = match p.includes.first() {
                        Some(n) => (n.path.display().to_string(), n.span),
                        None => (
                            "another file".to_string(),
                            Span::new(p.file, block.span().unwrap_or(0..0)),
                        ),
                    };
                    unit.ctx.report(
                        Diagnostic::at(
                            ids::INCLUDE_ERROR,
                            format!(
                                "{} includes {}, which itself includes {}. Only one level of includes is allowed.",
                                unit.ctx.config_path.display(),
                                inc.path.display(),
                                nested_path
                            ),
                            nested_span,
                        )
                        .with_related(vec![Label::new(inc.span).with_note("included here")])
                        .with_help("use read_terragrunt_config() in the parent to read shared values instead of a nested include"),
                    );
                    p.includes.clear();
                }
                p.eval_features();
                parents.push(Some(p));
            }
            Err(()) => parents.push(None),
        }
    }
    for (i, p) in parents.iter().enumerate() {
        if let (Some(p), Some(inc)) = (p, unit.includes.get_mut(i)) {
            inc.file = Some(p.file);
        }
    }

    // Feature flags: parents' (by include strategy), then the unit's, then overrides.
    unit.eval_features();
    let mut features: BTreeMap<String, Value> = BTreeMap::new();
    for (inc, p) in unit.includes.iter().zip(&parents) {
        if let (Some(p), false) = (p, inc.merge == MergeStrategy::NoMerge) {
            for (k, v) in &p.cfg.features {
                features.insert(k.clone(), v.clone());
            }
        }
    }
    for (k, v) in &unit.cfg.features {
        features.insert(k.clone(), v.clone());
    }
    let feature_var = feature_values(&unit.ctx, &features);
    unit.cfg.features = features;
    unit.feature_var = feature_var.clone();

    // Parents' locals and own dependency blocks (they never see the unit's locals).
    for p in parents.iter_mut().flatten() {
        p.feature_var = feature_var.clone();
        p.eval_locals();
        p.eval_dependency_blocks();
    }

    // Exposed parents: parsed alone, with their own dependency blocks.
    let mut exposed: BTreeMap<String, Value> = BTreeMap::new();
    for (inc, p) in unit.includes.iter().zip(&parents) {
        if !inc.expose {
            continue;
        }
        let Some(p) = p else {
            exposed.insert(
                inc.label.clone(),
                Value::failed(format!("include \"{}\" could not be loaded", inc.label)),
            );
            continue;
        };
        let mut alone = FileEval {
            ctx: p.ctx.clone(),
            file: p.file,
            body: p.body.clone(),
            cfg: p.cfg.clone(),
            include_var: p.include_var.clone(),
            feature_var: p.feature_var.clone(),
            includes: Vec::new(),
        };
        let own = dependency_var(&alone.cfg.dependency_blocks);
        alone.eval_rest(&own);
        let deps: Vec<(DepBlock, Option<PathBuf>)> = alone
            .cfg
            .dependency_blocks
            .iter()
            .map(|d| (d.clone(), None))
            .collect();
        exposed.insert(inc.label.clone(), config_as_value(&alone.cfg, &deps, false));
    }
    unit.include_var = if unit.includes.len() == 1 && unit.includes[0].bare {
        exposed
            .remove("")
            .unwrap_or_else(|| Value::object(BTreeMap::new()))
    } else {
        Value::object(exposed)
    };

    unit.eval_locals();
    unit.eval_dependency_blocks();

    // Dependency blocks merged across the chain, before anything reads outputs.
    let mut merged_deps = unit.cfg.dependency_blocks.clone();
    for (inc, p) in unit.includes.iter().zip(&parents).rev() {
        let Some(p) = p else { continue };
        merged_deps = match inc.merge {
            MergeStrategy::NoMerge => merged_deps,
            MergeStrategy::Shallow => merge::deps_shallow(&p.cfg.dependency_blocks, merged_deps),
            MergeStrategy::Deep => merge::deps_deep(&p.cfg.dependency_blocks, merged_deps),
        };
    }
    let dep_var = dependency_var(&merged_deps);
    for d in &merged_deps {
        check_config_path(&unit.ctx, d);
    }

    for p in parents.iter_mut().flatten() {
        p.eval_rest(&dep_var);
    }
    unit.eval_rest(&dep_var);

    // Merge: include[0] ⊕ … ⊕ include[n-1] ⊕ unit, folded from the last include.
    let own_locals = unit.cfg.locals.clone();
    let own_exclude = unit.cfg.exclude.clone();
    let mut base = unit.cfg.clone();
    for (inc, p) in unit.includes.iter().zip(&parents).rev() {
        let Some(p) = p else { continue };
        match inc.merge {
            MergeStrategy::NoMerge => {}
            MergeStrategy::Shallow => {
                base = merge::shallow(&unit.ctx, p.cfg.clone(), base, inc);
            }
            MergeStrategy::Deep => {
                base = merge::deep(p.cfg.clone(), base, &p.cfg.dependency_blocks);
            }
        }
    }
    base.locals = own_locals;
    if own_exclude.is_some() {
        base.exclude = own_exclude;
    }
    base.dependency_blocks = merged_deps.clone();
    if let Some(paths) = &base.dependencies_paths {
        check_dependency_paths(&unit.ctx, paths);
    }
    let dependencies = merged_deps
        .iter()
        .map(|d| {
            let target = d
                .attr("config_path")
                .and_then(|v| resolve_config_path(&unit.ctx, v));
            (d.clone(), target)
        })
        .collect();
    Resolved {
        file: Some(unit.file),
        includes: unit.includes.clone(),
        config: base,
        dependencies,
        failed: false,
    }
}

/// An enabled dependency needs a non-empty string `config_path` (Terragrunt's
/// DependencyInvalidConfigPathError); an unknown one cannot be resolved.
fn check_config_path(ctx: &TgCtx, d: &DepBlock) {
    if !d.enabled() {
        return;
    }
    let Some(v) = d.attr("config_path") else {
        return;
    };
    let at = v.origin.map(|o| o.span).unwrap_or(d.span);
    match &v.data {
        Data::String(s) if !s.is_empty() => {}
        // An unknown left by an earlier error was reported there already.
        Data::Unknown(u) if u.failed => {}
        Data::Unknown(u) => ctx.report(Diagnostic::at(
            ids::EVAL_ERROR,
            format!(
                "cannot resolve dependency \"{}\": its config_path is unknown ({})",
                d.label, u.reason
            ),
            at,
        )),
        _ => ctx.report(
            Diagnostic::at(
                ids::EVAL_ERROR,
                format!("dependency \"{}\" has invalid config_path", d.label),
                at,
            )
            .with_help("config_path must be a non-empty path to the unit this one depends on"),
        ),
    }
}

/// `dependencies.paths` must name existing directories (Terragrunt's validateDependencies).
fn check_dependency_paths(ctx: &TgCtx, paths: &Value) {
    for p in paths.as_seq().unwrap_or(&[]) {
        let Some(s) = p.as_str() else { continue };
        let Some(abs) = resolve_config_path(ctx, p) else {
            continue;
        };
        let cache = &ctx.shared.cache;
        if cache.kind(&abs) == Ok(None) {
            let at = p.origin.map(|o| o.span).unwrap_or_default();
            ctx.report(
                Diagnostic::at(
                    ids::EVAL_ERROR,
                    format!(
                        "dependencies.paths names {s}, which does not exist ({})",
                        abs.display()
                    ),
                    at,
                )
                .with_help("point it at the directory of an existing unit, or remove it"),
            );
        }
    }
}

/// `feature.<name>.value`: the default, or the `--feature` override converted to the
/// default's type.
fn feature_values(ctx: &TgCtx, features: &BTreeMap<String, Value>) -> Value {
    let mut m = BTreeMap::new();
    for (name, f) in features {
        let default = f
            .as_map()
            .and_then(|fm| fm.get("default"))
            .cloned()
            .unwrap_or_else(Value::null);
        let value = match ctx.shared.opts.features.get(name) {
            Some(raw) => {
                let typed = match &default.data {
                    Data::Bool(_) => raw.parse::<bool>().ok().map(Value::bool),
                    Data::Number(_) => tglint_hcl::Number::parse(raw).map(Value::number),
                    _ => Some(Value::string(raw.clone())),
                };
                typed.unwrap_or_else(|| Value::string(raw.clone()))
            }
            None => default,
        };
        let mut obj = BTreeMap::new();
        obj.insert("value".to_string(), value);
        m.insert(name.clone(), Value::object(obj));
    }
    Value::object(m)
}

/// A configuration as the object `read_terragrunt_config` and exposed includes yield
/// (spec §2.3). `with_outputs` adds `dependency.<n>.outputs`.
pub fn config_as_value(
    cfg: &FileConfig,
    deps: &[(DepBlock, Option<PathBuf>)],
    with_outputs: bool,
) -> Value {
    let mut m: BTreeMap<String, Value> = BTreeMap::new();
    for k in STRING_SCALARS {
        m.insert(
            (*k).to_string(),
            cfg.scalars
                .get(*k)
                .cloned()
                .unwrap_or_else(|| Value::string("")),
        );
    }
    for (k, v) in &cfg.scalars {
        m.entry(k.clone()).or_insert_with(|| v.clone());
    }
    m.insert("locals".into(), Value::object(cfg.locals.clone()));
    if let Some(v) = &cfg.inputs {
        m.insert("inputs".into(), v.clone());
    }
    if let Some(v) = &cfg.terraform {
        m.insert("terraform".into(), v.clone());
    }
    if let Some(v) = &cfg.remote_state {
        m.insert("remote_state".into(), v.clone());
    }
    if !cfg.generate.is_empty() {
        m.insert("generate".into(), Value::object(cfg.generate.clone()));
    }
    if let Some(p) = &cfg.dependencies_paths {
        let mut d = BTreeMap::new();
        d.insert("paths".to_string(), p.clone());
        m.insert("dependencies".into(), Value::object(d));
    }
    if !deps.is_empty() {
        let dv = dependency_var(&deps.iter().map(|(d, _)| d.clone()).collect::<Vec<_>>());
        let mut dm = BTreeMap::new();
        for (d, _) in deps {
            let mut o = BTreeMap::new();
            o.insert("name".to_string(), Value::string(d.label.clone()));
            for (src, dst) in [
                ("config_path", "config_path"),
                ("enabled", "enabled"),
                ("skip_outputs", "skip"),
                ("mock_outputs", "mock_outputs"),
                (
                    "mock_outputs_allowed_terraform_commands",
                    "mock_outputs_allowed_terraform_commands",
                ),
                (
                    "mock_outputs_merge_with_state",
                    "mock_outputs_merge_with_state",
                ),
                (
                    "mock_outputs_merge_strategy_with_state",
                    "mock_outputs_merge_strategy_with_state",
                ),
            ] {
                if let Some(v) = d.attr(src) {
                    o.insert(dst.to_string(), v.clone());
                }
            }
            if with_outputs
                && let Some(out) = dv
                    .as_map()
                    .and_then(|x| x.get(&d.label))
                    .and_then(|x| x.as_map())
                    .and_then(|x| x.get("outputs"))
            {
                o.insert("outputs".into(), out.clone());
            }
            dm.insert(
                d.label.clone(),
                Value::object(o).with_origin(Some(Origin::new(d.span))),
            );
        }
        m.insert("dependency".into(), Value::object(dm));
    }
    if !cfg.features.is_empty() {
        m.insert("feature".into(), Value::object(cfg.features.clone()));
    }
    for (k, v) in [
        ("exclude", &cfg.exclude),
        ("errors", &cfg.errors),
        ("engine", &cfg.engine),
        ("catalog", &cfg.catalog),
    ] {
        if let Some(v) = v {
            m.insert(k.into(), v.clone());
        }
    }
    Value::object(m)
}

/// Parses `target` (absolute, a file) as a top-level configuration in the context of
/// `ctx` and returns the object `read_terragrunt_config` returns (spec §3).
pub fn read_config_object(
    ctx: &TgCtx,
    target: &Path,
    span: Span,
) -> Result<Value, ReadConfigError> {
    let target = clean(target);
    let cache = &ctx.shared.cache;
    match cache.kind(&target) {
        Ok(None) => return Err(ReadConfigError::NotFound(target)),
        Ok(Some(Kind::Dir)) => {
            return Err(ReadConfigError::Failed(format!(
                "{} is a directory without a Terragrunt configuration",
                target.display()
            )));
        }
        _ => {}
    }
    if let Some(pos) = ctx.read_stack.iter().position(|p| *p == target) {
        ctx.unit.loops.fetch_add(1, Ordering::Relaxed);
        let mut chain: Vec<String> = ctx.read_stack[pos..]
            .iter()
            .map(|p| p.display().to_string())
            .collect();
        chain.push(target.display().to_string());
        return Err(ReadConfigError::Failed(format!(
            "read_terragrunt_config loop: {} (Terragrunt would recurse until its maximum parse depth)",
            chain.join(" reads ")
        )));
    }
    if ctx.read_stack.len() >= MAX_READ_DEPTH {
        // Depends on where the read started, like a loop: nothing on the way is memoised.
        ctx.unit.loops.fetch_add(1, Ordering::Relaxed);
        return Err(ReadConfigError::Failed(format!(
            "read_terragrunt_config nests more than {MAX_READ_DEPTH} levels deep"
        )));
    }
    if let Some((v, diags)) = lock(&ctx.unit.reads).get(&target).cloned() {
        for d in diags {
            ctx.report(d);
        }
        return Ok(v);
    }
    // A target that reads nothing further, includes nothing and never asks for the
    // original directory resolves the same for every caller: resolve it once per run.
    let cacheable = is_self_contained(ctx, &target);
    if cacheable && let Some((v, diags)) = lock(&ctx.shared.read_cache).get(&target).cloned() {
        for d in diags {
            ctx.report(d);
        }
        return Ok(v);
    }
    ctx.unit
        .budget
        .charge(Resource::Reads, 1)
        .map_err(ReadConfigError::Budget)?;
    let loops_before = ctx.unit.loops.load(Ordering::Relaxed);
    let mut stack = ctx.read_stack.clone();
    if stack.is_empty() {
        stack.push(ctx.config_path.clone());
    }
    stack.push(target.clone());
    let diags = Arc::new(std::sync::Mutex::new(Vec::new()));
    let sub = TgCtx {
        shared: ctx.shared.clone(),
        config_path: target.clone(),
        original_path: ctx.original_path.clone(),
        current_file: target.clone(),
        include_from_child: None,
        includes: Vec::new(),
        read_stack: stack,
        diags: diags.clone(),
        unit: ctx.unit.clone(),
    };
    let r = resolve(sub, &target);
    let v = if r.failed {
        Value::failed(format!("{} could not be loaded", target.display()))
            .with_origin(Some(Origin::new(span)))
    } else {
        config_as_value(&r.config, &r.dependencies, true)
    };
    let produced: Vec<Diagnostic> = std::mem::take(&mut *lock(&diags));
    for d in &produced {
        ctx.report(d.clone());
    }
    if cacheable {
        lock(&ctx.shared.read_cache).insert(target.clone(), (v.clone(), produced.clone()));
    }
    if ctx.unit.loops.load(Ordering::Relaxed) == loops_before {
        lock(&ctx.unit.reads).insert(target, (v.clone(), produced));
    }
    Ok(v)
}

fn lock<T>(m: &std::sync::Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|p| p.into_inner())
}

/// Whether the file at `target` can only resolve one way: it has no include blocks and
/// does not mention `read_terragrunt_config` or `get_original_terragrunt_dir`.
fn is_self_contained(ctx: &TgCtx, target: &Path) -> bool {
    let cache = &ctx.shared.cache;
    let f = cache.file(target);
    let Ok((text, _)) = cache.text(&f) else {
        return false;
    };
    !text.contains("read_terragrunt_config")
        && !text.contains("get_original_terragrunt_dir")
        && !text.contains("include")
}
