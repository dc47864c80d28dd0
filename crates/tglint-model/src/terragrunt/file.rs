//! One file being evaluated (spec §1): its phases — checks on the syntax, include blocks,
//! feature flags, the locals fixed point, dependency blocks, everything else — each filling
//! the file's [`FileConfig`].

use super::config::{DepBlock, FileConfig, Include, MergeStrategy};
use super::context::TgCtx;
use super::reads::Via;
use super::schema::{self, DEPENDENCY, INCLUDE, TOP};
use crate::diag::{Diagnostic, Label, ids};
use crate::fs::clean;
use crate::functions;
use crate::source::{BodyError, CacheAccess, ReadError};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use tglint_hcl::hcl_edit::Span as _;
use tglint_hcl::hcl_edit::expr::{Expression, ObjectKey};
use tglint_hcl::hcl_edit::structure::{Block, Body, Structure};
use tglint_hcl::syntax::{Ref, refs};
use tglint_hcl::{Data, EvalCtx, FileId, Functions, Origin, Span, Value, Vars, eval};

pub(super) fn functions() -> [&'static Functions; 2] {
    [functions::terragrunt(), tglint_hcl::functions::terraform()]
}

/// One file being evaluated: its syntax, its context, and what has been computed so far.
pub(super) struct FileEval {
    pub(super) ctx: TgCtx,
    pub(super) file: FileId,
    pub(super) body: Arc<Body>,
    pub(super) cfg: FileConfig,
    /// The value bound as `include` (exposed parents).
    pub(super) include_var: Value,
    pub(super) feature_var: Value,
    pub(super) includes: Vec<Include>,
    /// Variables bound on top of the file's own (`values`; for a stack unit's
    /// `autoinclude` block, the stack file's `local`, `values`, `unit` and `stack`).
    pub(super) extra_vars: Vars,
}

impl FileEval {
    /// Opens and parses `path`; reports read and parse errors at `from` (the place that
    /// referred to the file) or at the file itself.
    pub(super) fn open(
        ctx: TgCtx,
        path: &Path,
        from: Option<Span>,
        what: &str,
    ) -> Result<FileEval, ()> {
        Self::open_with(ctx, path, from, what, false)
    }

    /// [`FileEval::open`] for a unit's own file: its syntax tree is not kept in the cache
    /// ([`SourceCache::body_once`](crate::source::SourceCache::body_once)).
    pub(super) fn open_unit(ctx: TgCtx, path: &Path, what: &str) -> Result<FileEval, ()> {
        Self::open_with(ctx, path, None, what, true)
    }

    fn open_with(
        ctx: TgCtx,
        path: &Path,
        from: Option<Span>,
        what: &str,
        once: bool,
    ) -> Result<FileEval, ()> {
        let cache = ctx.shared.cache.clone();
        let sf = cache.file(path);
        let body = if once {
            cache.body_once(&sf)
        } else {
            cache.body(&sf)
        };
        match body {
            Ok(body) => Ok(FileEval {
                ctx: TgCtx {
                    current_file: sf.path.to_path_buf(),
                    ..ctx
                },
                file: sf.id,
                body,
                cfg: FileConfig::default(),
                include_var: Value::object(BTreeMap::new()),
                feature_var: Value::object(BTreeMap::new()),
                includes: Vec::new(),
                extra_vars: Vars::new(),
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

    pub(super) fn span(&self, r: Option<std::ops::Range<usize>>) -> Span {
        Span::new(self.file, r.unwrap_or(0..0))
    }

    pub(super) fn eval(&self, e: &Expression, vars: &Vars) -> Option<Value> {
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
        let at = self.span(e.span());
        for p in access.take_touched() {
            self.ctx.read(at, &p, Via::FileFunction);
        }
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
    pub(super) fn eval_or_unknown(&self, e: &Expression, vars: &Vars, what: &str) -> Value {
        self.eval(e, vars).unwrap_or_else(|| {
            Value::failed(format!("{what} could not be evaluated"))
                .with_origin(Some(Origin::new(self.span(e.span()))))
        })
    }

    /// `inputs`: an object constructor whose keys are names or literal strings is evaluated
    /// key by key, so one input that fails (its error reported) is unknown on its own and
    /// the others keep their values; a repeated key's last item wins, as in HCL. Any other
    /// expression is evaluated whole.
    fn eval_inputs(&self, e: &Expression, vars: &Vars) -> Value {
        let Expression::Object(o) = e else {
            return self.eval_or_unknown(e, vars, "inputs");
        };
        let mut items = Vec::with_capacity(o.len());
        for (k, v) in o.iter() {
            let key = match k {
                ObjectKey::Ident(id) => tglint_hcl::value::nfc(id.value().as_str().to_owned()),
                ObjectKey::Expression(Expression::String(s)) => {
                    tglint_hcl::value::nfc(s.value().as_str().to_owned())
                }
                ObjectKey::Expression(_) => return self.eval_or_unknown(e, vars, "inputs"),
            };
            items.push((key, v.expr()));
        }
        let mut map = BTreeMap::new();
        for (key, ve) in items {
            let value = self.eval(ve, vars).unwrap_or_else(|| {
                Value::failed(format!("inputs.{key} could not be evaluated"))
                    .with_origin(Some(Origin::new(self.span(ve.span()))))
            });
            map.insert(key, value);
        }
        let span = self.span(e.span());
        let inputs = Value::object(map).with_origin(Some(Origin::new(span)));
        // The object is charged as the evaluator charges one it builds, so a spent budget
        // leaves the inputs unknown as it leaves every later expression.
        let budget = &self.ctx.unit.budget;
        let _entered = budget.enter();
        if let Err(b) = budget.charge_value(&inputs) {
            if budget.first_report(&b) {
                self.ctx.report(
                    Diagnostic::at(
                        ids::EVAL_ERROR,
                        tglint_hcl::EvalError::budget(span, b).to_string(),
                        span,
                    )
                    .with_help(
                        "this input would take tglint without bound; simplify the \
                         expression, or raise the limit with --limit if it is genuine",
                    ),
                );
            }
            return Value::failed("inputs could not be evaluated")
                .with_origin(Some(Origin::new(span)));
        }
        inputs
    }

    // ----- phase 0: checks on the syntax -----

    pub(super) fn precheck(&self) {
        for s in self.body.iter() {
            match s {
                Structure::Attribute(a) => {
                    self.check_no_dependency_inputs(&a.value);
                    let key = a.key.value().as_str();
                    if !TOP.allows_attribute(key) {
                        self.ctx.report(
                            Diagnostic::at(
                                ids::EVAL_ERROR,
                                TOP.unknown_attribute(key),
                                self.span(a.key.span()),
                            )
                            .with_help("remove it, or move it into `inputs` or `locals`"),
                        );
                    }
                }
                Structure::Block(b) => {
                    let name = b.ident.value().as_str();
                    if !TOP.allows_block(name) {
                        self.ctx.report(Diagnostic::at(
                            ids::EVAL_ERROR,
                            TOP.unknown_block(name),
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
        for r in refs(e) {
            if r.root == "dependency" && r.steps.get(1).is_some_and(|s| s == "inputs") {
                self.ctx.report(
                    Diagnostic::at(
                        ids::EVAL_ERROR,
                        "Reading inputs from dependencies is no longer supported. To acquire values from dependencies, use outputs.",
                        self.span(Some(r.range)),
                    )
                    .with_help("read `dependency.<name>.outputs.<output>` instead"),
                );
            }
        }
    }

    // ----- phase 1: include blocks -----

    pub(super) fn eval_includes(&mut self) {
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
            if !bare && out.iter().any(|i: &Include| i.label == label) {
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
                    if !INCLUDE.allows_attribute(k) {
                        self.ctx.report(Diagnostic::at(
                            ids::INCLUDE_ERROR,
                            INCLUDE.unknown_attribute(k),
                            self.span(a.key.span()),
                        ));
                    }
                } else if let Structure::Block(ib) = s {
                    self.ctx.report(Diagnostic::at(
                        ids::INCLUDE_ERROR,
                        INCLUDE.unknown_block(ib.ident.value().as_str()),
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
            out.push(Include {
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

    pub(super) fn eval_features(&mut self) {
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

    pub(super) fn eval_locals(&mut self) {
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
        let mut attrs: Vec<(String, &Expression, Span)> = Vec::new();
        for s in block.body.iter() {
            match s {
                Structure::Attribute(a) => attrs.push((
                    a.key.value().as_str().to_string(),
                    &a.value,
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
        let deps: Vec<Vec<Ref>> = attrs.iter().map(|(_, e, _)| refs(e)).collect();
        for _pass in 0..1000 {
            let mut progress = false;
            let mut next = Vec::new();
            for &i in &remaining {
                let ready = deps[i].iter().all(|r| match r.root.as_str() {
                    "include" | "feature" | "values" => true,
                    "local" => r.attr().is_some_and(|a| done.contains_key(a)),
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
                        "local" => match r.attr() {
                            None => Some("This local var name can not be determined.".to_string()),
                            Some(a) if !names.iter().any(|n| n == a) => {
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
        for (k, x) in &self.extra_vars {
            v.insert(k.clone(), x.clone());
        }
        v
    }

    pub(super) fn base_vars(&self) -> Vars {
        self.vars_for_locals(&self.cfg.locals)
    }

    // ----- phase 4: dependency blocks -----

    pub(super) fn eval_dependency_blocks(&mut self) {
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
                        if !DEPENDENCY.allows_attribute(k) {
                            self.ctx.report(Diagnostic::at(
                                ids::EVAL_ERROR,
                                DEPENDENCY.unknown_attribute(k),
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

    pub(super) fn eval_rest(&mut self, dependency_var: &Value) {
        let mut vars = self.base_vars();
        vars.insert("dependency".into(), dependency_var.clone());
        let body = self.body.clone();
        let items: Vec<&Structure> = body.iter().collect();
        let mut seen_generate: BTreeMap<String, Span> = BTreeMap::new();
        let mut seen_single: BTreeMap<String, Span> = BTreeMap::new();
        for s in &items {
            match s {
                Structure::Attribute(a) => {
                    let key = a.key.value().as_str();
                    let span = self.span(a.span());
                    match key {
                        "inputs" => {
                            let v = self.eval_inputs(&a.value, &vars);
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
                            let v = weak_remote_state(v, |msg| {
                                self.ctx.report(Diagnostic::at(
                                    ids::EVAL_ERROR,
                                    msg,
                                    self.span(a.value.span()),
                                ))
                            });
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
                        k if schema::is_scalar(k) => {
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
                        "exclude" | "errors" | "engine" => {
                            if let Some(first) = seen_single.get(name) {
                                self.duplicate_block(b, *first);
                                continue;
                            }
                            seen_single.insert(name.to_string(), self.span(b.ident.span()));
                            let v = self.block_object(b, &vars, &["retry", "ignore"]);
                            match name {
                                "exclude" => self.cfg.exclude = Some(self.check_exclude(b, v)),
                                "errors" => self.cfg.errors = Some(self.check_errors(b, v)),
                                _ => self.cfg.engine = Some(self.check_engine(b, v)),
                            }
                        }
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

pub(super) fn blocks_named<'b>(body: &'b Body, name: &str) -> Vec<&'b Block> {
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

/// The attribute form of `remote_state` as Terragrunt decodes it: the object through
/// JSON into a Go map, then `mapstructure.WeakDecode` into `remotestate.Config`, so
/// `disable_init = "true"` is the bool `true`, `backend = 1` the string `"1"`; `config`
/// and `encryption` are maps and stay as written. A value that does not convert is
/// reported through `report` (in mapstructure's words) and left as written.
fn weak_remote_state(mut v: Value, mut report: impl FnMut(String)) -> Value {
    use tglint_hcl::Data;
    let Some(m) = v.map_mut() else { return v };
    for key in ["disable_init", "disable_dependency_optimization"] {
        let Some(x) = m.get_mut(key) else { continue };
        let weak = match &x.data {
            Data::Bool(_) | Data::Null | Data::Unknown(_) => continue,
            Data::Number(n) => Some(n.as_f64() != 0.0),
            Data::String(s) if s.is_empty() => Some(false),
            Data::String(s) => super::blocks::parse_go_bool(s),
            _ => None,
        };
        match weak {
            Some(b) => *x = Value::bool(b).with_origin(x.origin),
            None => report(format!(
                "1 error(s) decoding:\n\n* cannot parse '{key}' as bool: {}",
                match &x.data {
                    Data::String(s) => super::blocks::go_bool_error(s),
                    _ => format!("'{key}' expected type 'bool', got {}", x.type_name()),
                }
            )),
        }
    }
    let weak_string = |x: &mut Value| {
        let s = match &x.data {
            Data::Bool(b) => Some(if *b { "1" } else { "0" }.to_string()),
            // JSON numbers arrive as float64; strconv formats them without an exponent.
            Data::Number(n) => Some(match n.as_i64() {
                Some(i) => i.to_string(),
                None => format!("{}", n.as_f64()),
            }),
            _ => None,
        };
        if let Some(s) = s {
            *x = Value::string(s).with_origin(x.origin);
        }
    };
    if let Some(x) = m.get_mut("backend") {
        weak_string(x);
    }
    if let Some(g) = m.get_mut("generate").and_then(Value::map_mut) {
        for key in ["path", "if_exists"] {
            if let Some(x) = g.get_mut(key) {
                weak_string(x);
            }
        }
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
