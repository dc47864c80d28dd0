//! Stack files (`terragrunt.stack.hcl`, Terragrunt's `pkg/config/stack.go`): what
//! `terragrunt stack generate` would produce, without writing anything. Each file's
//! `locals` are evaluated in its directory with Terragrunt's functions, its `include`
//! files add their `unit` and `stack` blocks, and the blocks are validated as
//! `ValidateStackConfig` does. Every enabled `unit` becomes a [`StackUnit`] at the
//! directory generation would write (`<stack dir>/.terragrunt-stack/<path>`, or
//! `<stack dir>/<path>` with `no_dot_terragrunt_stack`): a local source is overlaid there
//! in the source cache ([`SourceCache::overlay`](crate::source::SourceCache::overlay)),
//! so the unit resolves as it would after generation; a remote source is not fetched
//! unless `--source-map` maps it to a local directory. Nested `stack` blocks with local
//! sources recurse, bounded by [`MAX_STACK_DEPTH`].

use super::config::Include;
use super::context::{Shared, TgCtx, UnitState};
use super::file::{FileEval, blocks_named};
use super::reads::Via;
use crate::diag::{Diagnostic, Label, ids};
use crate::fs::{Kind, clean, relative};
use crate::source::SourceFile;
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use tglint_hcl::hcl_edit::Span as _;
use tglint_hcl::hcl_edit::structure::{Block, Body, Structure};
use tglint_hcl::{Data, FileId, Origin, Span, Value, Vars};

/// The stack file's name.
pub const STACK_FILE: &str = "terragrunt.stack.hcl";
/// The directory generation writes units and stacks into.
pub const STACK_DIR: &str = ".terragrunt-stack";
/// The values file generation writes beside a generated unit or stack.
pub const VALUES_FILE: &str = "terragrunt.values.hcl";
/// The autoinclude file merged over a unit file.
pub const AUTOINCLUDE_FILE: &str = "terragrunt.autoinclude.hcl";
/// How deep nested `stack` blocks are followed.
pub const MAX_STACK_DEPTH: usize = 16;

/// Where a unit generated from a stack file was declared.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StackOrigin {
    /// The stack file that holds the `unit` block (absolute, where it is read from).
    pub path: PathBuf,
    /// Its id in the source cache.
    pub file: FileId,
    /// The `unit` block.
    pub span: Span,
    /// The block's name.
    pub unit: String,
}

/// How a stack unit's configuration is found.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum UnitSource {
    /// A local directory (after `--source-map`), overlaid at the generated directory.
    Local(PathBuf),
    /// Remote, not fetched: the configuration is unknown, for this reason.
    Unknown(String),
}

/// A `unit` block of a stack file, placed where generation would put it.
#[derive(Clone, Debug)]
pub struct StackUnit {
    /// The generated directory (absolute; not on disk).
    pub dir: PathBuf,
    pub origin: StackOrigin,
    /// `source` as evaluated.
    pub source: Value,
    /// `values` as evaluated (what `terragrunt.values.hcl` would hold).
    pub values: Option<Value>,
    pub config: UnitSource,
    /// The stack files that led here (outermost first), for the unit's reads.
    pub stack_files: Vec<PathBuf>,
    /// Problems that belong to this unit (a remote source not fetched).
    pub diagnostics: Vec<Diagnostic>,
}

/// A stack unit's `autoinclude { … }` block: the file generation would write beside the
/// unit, as a file of the source cache that holds the block's text at its own offsets
/// (the rest blanked), with the stack file's variables.
#[derive(Clone)]
pub struct StackAutoinclude {
    pub file: Arc<SourceFile>,
    pub vars: Vars,
}

/// What the stack files of a tree declare.
#[derive(Default)]
pub struct Stacks {
    pub units: Vec<StackUnit>,
    /// Problems of the stack files themselves (validation, locals, includes).
    pub diagnostics: Vec<Diagnostic>,
}

/// Evaluates every stack file in `files` (absolute, discovered). A generated unit or
/// stack whose directory already holds a discovered `terragrunt.hcl` or
/// `terragrunt.stack.hcl` (`terragrunt stack generate` was run) is left to that file.
pub fn eval_stacks(shared: &Arc<Shared>, files: &[PathBuf], on_disk: &BTreeSet<PathBuf>) -> Stacks {
    let mut out = Stacks::default();
    for f in files {
        let values = read_values(
            shared,
            f.parent().unwrap_or(Path::new("/")),
            &mut out.diagnostics,
        );
        let mut chain = Vec::new();
        eval_file(shared, f, values, None, &mut chain, on_disk, &mut out);
    }
    out.units.sort_by(|a, b| a.dir.cmp(&b.dir));
    out
}

/// `terragrunt.values.hcl` in `dir` as an object (Terragrunt's `ReadValues`: plain
/// attributes, evaluated with functions only), or `None` when there is none.
pub fn read_values(shared: &Arc<Shared>, dir: &Path, diags: &mut Vec<Diagnostic>) -> Option<Value> {
    let path = dir.join(VALUES_FILE);
    if shared.cache.kind(&path) != Ok(Some(Kind::File)) {
        return None;
    }
    let sink = Arc::new(Mutex::new(Vec::new()));
    let ctx = file_ctx(shared, &path, sink.clone());
    let fe = FileEval::open(ctx, &path, None, "Values file").ok()?;
    let mut m = BTreeMap::new();
    let empty = Vars::new();
    for s in fe.body.iter() {
        match s {
            Structure::Attribute(a) => {
                let k = a.key.value().as_str().to_string();
                let v = fe.eval_or_unknown(&a.value, &empty, &format!("values.{k}"));
                m.insert(k, v);
            }
            Structure::Block(b) => fe.ctx.report(Diagnostic::at(
                ids::EVAL_ERROR,
                format!(
                    "Unexpected \"{}\" block; Blocks are not allowed here.",
                    b.ident.value().as_str()
                ),
                fe.span(b.span()),
            )),
        }
    }
    diags.extend(take(&sink));
    Some(Value::object(m).with_origin(Some(Origin::new(Span::new(fe.file, 0..0)))))
}

fn take(sink: &Arc<Mutex<Vec<Diagnostic>>>) -> Vec<Diagnostic> {
    std::mem::take(&mut *sink.lock().unwrap_or_else(|p| p.into_inner()))
}

/// A parsing context whose `TerragruntConfigPath` is `path` (a stack or values file).
fn file_ctx(shared: &Arc<Shared>, path: &Path, diags: Arc<Mutex<Vec<Diagnostic>>>) -> TgCtx {
    TgCtx {
        shared: shared.clone(),
        config_path: path.to_path_buf(),
        original_path: path.to_path_buf(),
        current_file: path.to_path_buf(),
        include_from_child: None,
        includes: Vec::<Include>::new(),
        read_stack: Vec::new(),
        diags,
        unit: Arc::new(UnitState::new(shared.opts.limits)),
        values: None,
    }
}

/// One `unit` or `stack` block, its attributes evaluated.
struct Component {
    kind: &'static str,
    name: String,
    /// The file the block is in (the stack file or one it includes) and the block.
    fe: usize,
    span: Span,
    source: Option<(Value, Span)>,
    path: Option<(String, Span)>,
    no_stack: bool,
    no_validation: bool,
    enabled: bool,
    values: Option<Value>,
    autoinclude: Option<Span>,
}

impl Component {
    fn generated(&self, stack_dir: &Path) -> Option<PathBuf> {
        let (p, _) = self.path.as_ref()?;
        Some(if self.no_stack {
            clean(&stack_dir.join(p))
        } else {
            clean(&stack_dir.join(STACK_DIR).join(p))
        })
    }
}

/// Evaluates one stack file (at `path`, which may be a generated location) with
/// `values`, adding its units to `out` and recursing into nested local stacks.
fn eval_file(
    shared: &Arc<Shared>,
    path: &Path,
    values: Option<Value>,
    from: Option<Span>,
    chain: &mut Vec<PathBuf>,
    on_disk: &BTreeSet<PathBuf>,
    out: &mut Stacks,
) {
    let sink = Arc::new(Mutex::new(Vec::new()));
    let ctx = file_ctx(shared, path, sink.clone());
    let Ok(mut fe) = FileEval::open(ctx, path, from, "Stack configuration") else {
        out.diagnostics.extend(take(&sink));
        return;
    };
    let physical = shared.cache.physical(path);
    chain.push(physical);
    let stack_dir = path.parent().unwrap_or(Path::new("/")).to_path_buf();
    if let Some(v) = values.clone() {
        fe.extra_vars.insert("values".into(), v);
    }
    check_top(&fe, true);
    fe.eval_locals();
    let mut vars = fe.base_vars();

    // The file and its includes: each block is evaluated with the stack file's variables.
    let mut files: Vec<FileEval> = Vec::new();
    let body = fe.body.clone();
    for inc in blocks_named(&body, "include") {
        if let Some(i) = open_include(&fe, inc, &vars) {
            files.push(i);
        }
    }
    files.insert(0, fe);

    let mut comps: Vec<Component> = Vec::new();
    for (i, f) in files.iter().enumerate() {
        let body = f.body.clone();
        for (kind, b) in blocks_named(&body, "unit")
            .into_iter()
            .map(|b| ("unit", b))
            .chain(
                blocks_named(&body, "stack")
                    .into_iter()
                    .map(|b| ("stack", b)),
            )
        {
            if let Some(c) = component(f, i, kind, b, &vars) {
                comps.push(c);
            }
        }
    }
    comps.sort_by_key(|c| (c.fe, c.span.start));

    // unit.<name>.path and stack.<name>.path: where sibling components generate to.
    for kind in ["unit", "stack"] {
        let refs: BTreeMap<String, Value> = comps
            .iter()
            .filter(|c| c.kind == kind)
            .filter_map(|c| {
                let g = c.generated(&stack_dir)?;
                let obj =
                    BTreeMap::from([("path".to_string(), Value::string(g.display().to_string()))]);
                Some((c.name.clone(), Value::object(obj)))
            })
            .collect();
        vars.insert(kind.into(), Value::object(refs));
    }
    for c in comps.iter_mut() {
        let f = &files[c.fe];
        let b = find_block(&f.body, c.span);
        if let Some(a) = b.and_then(|b| b.body.get_attribute("values")) {
            let v = f.eval_or_unknown(
                &a.value,
                &vars,
                &format!("{} \"{}\" values", c.kind, c.name),
            );
            c.values = Some(v);
        }
    }

    let keep = validate(&files[0], &files, &comps, &stack_dir);
    let stack_file = files[0].file;
    let stack_path = files[0].ctx.current_file.clone();
    let stack_vars = vars.clone();
    let mut generated_here = Vec::new();
    for (c, ok) in comps.iter().zip(keep) {
        if !ok || !c.enabled {
            continue;
        }
        let Some(dir) = c.generated(&stack_dir) else {
            continue;
        };
        let f = &files[c.fe];
        let Some((source, source_span)) = c.source.clone() else {
            continue;
        };
        let expected = if c.kind == "unit" {
            "terragrunt.hcl"
        } else {
            STACK_FILE
        };
        // Generated already: the file on disk is discovered and wins.
        if on_disk.contains(&dir.join(expected)) {
            continue;
        }
        let config = match source_dir(shared, &stack_dir, &source) {
            Resolved::Local(src) => {
                if !generated_here.contains(&dir) {
                    shared.cache.overlay(&dir, &src);
                    generated_here.push(dir.clone());
                }
                let has = shared.cache.kind(&src.join(expected)) == Ok(Some(Kind::File))
                    || (c.kind == "unit"
                        && shared.cache.kind(&src.join("terragrunt.hcl.json"))
                            == Ok(Some(Kind::File)));
                if !has {
                    if !c.no_validation && !c.no_stack {
                        f.ctx.report(Diagnostic::at(
                            ids::EVAL_ERROR,
                            format!(
                                "validation failed for {k} {n} at path {t}: expected {k} to generate with {expected} file at root of generated directory",
                                k = c.kind,
                                n = c.name,
                                t = relative(&stack_dir.join(STACK_DIR), shared.cache.root()),
                            ),
                            source_span,
                        ).with_help(format!("point source at a directory that holds {expected}, or set no_validation = true")));
                    }
                    continue;
                }
                UnitSource::Local(src)
            }
            Resolved::Missing(p) => {
                f.ctx.report(
                    Diagnostic::at(
                        ids::EVAL_ERROR,
                        format!(
                            "failed to fetch {} {}: the local source {} does not exist",
                            c.kind,
                            c.name,
                            relative(&p, shared.cache.root())
                        ),
                        source_span,
                    )
                    .with_help("a relative source is resolved from the stack file's directory"),
                );
                continue;
            }
            Resolved::Refused(p, why) => {
                f.ctx.report(
                    Diagnostic::at(
                        ids::UNSUPPORTED,
                        shared.cache.refusal_message(&p, &why),
                        source_span,
                    )
                    .with_help(why.help()),
                );
                UnitSource::Unknown(format!("{} {} could not be read", c.kind, c.name))
            }
            Resolved::Remote => {
                let what = if c.kind == "unit" { "unit" } else { "stack" };
                let d = Diagnostic::at(
                    ids::UNSUPPORTED,
                    format!("remote {what} source, not fetched; map it to a local checkout with --source-map"),
                    source_span,
                )
                .with_help("--source-map SOURCE=PATH, where SOURCE is the source up to `//` without `?ref=`");
                if c.kind == "stack" {
                    f.ctx.report(d);
                    continue;
                }
                let reason = format!(
                    "unit \"{}\" comes from the remote source {}, which tglint does not fetch",
                    c.name,
                    source.as_str().unwrap_or("?")
                );
                out.units.push(StackUnit {
                    dir,
                    origin: StackOrigin {
                        path: stack_path.clone(),
                        file: stack_file,
                        span: c.span,
                        unit: c.name.clone(),
                    },
                    source,
                    values: c.values.clone(),
                    config: UnitSource::Unknown(reason),
                    stack_files: chain.clone(),
                    diagnostics: vec![d],
                });
                continue;
            }
            Resolved::Unknown(reason) => UnitSource::Unknown(reason),
        };
        if c.kind == "stack" {
            let UnitSource::Local(_) = config else {
                continue;
            };
            let nested = dir.join(STACK_FILE);
            let physical = shared.cache.physical(&nested);
            if chain.contains(&physical) || chain.len() >= MAX_STACK_DEPTH {
                let msg = if chain.contains(&physical) {
                    format!(
                        "stack \"{}\" generates {}, which is already being generated: the stacks form a cycle",
                        c.name,
                        relative(&physical, shared.cache.root())
                    )
                } else {
                    format!(
                        "stack \"{}\" is nested more than {MAX_STACK_DEPTH} levels deep",
                        c.name
                    )
                };
                f.ctx
                    .report(Diagnostic::at(ids::EVAL_ERROR, msg, source_span));
                continue;
            }
            f.ctx.read(source_span, &nested, Via::Include);
            eval_file(
                shared,
                &nested,
                c.values.clone(),
                Some(source_span),
                chain,
                on_disk,
                out,
            );
            continue;
        }
        let auto = c
            .autoinclude
            .and_then(|s| autoinclude_file(shared, f, c, s, &stack_vars));
        if let Some(a) = auto
            && let Ok(mut m) = shared.stack_autoincludes.lock()
        {
            m.insert(dir.clone(), a);
        }
        out.units.push(StackUnit {
            dir,
            origin: StackOrigin {
                path: stack_path.clone(),
                file: stack_file,
                span: c.span,
                unit: c.name.clone(),
            },
            source,
            values: c.values.clone(),
            config,
            stack_files: chain.clone(),
            diagnostics: Vec::new(),
        });
    }
    out.diagnostics.extend(take(&sink));
    chain.pop();
}

/// The block of `body` at `span`.
fn find_block(body: &Body, span: Span) -> Option<&Block> {
    body.iter().find_map(|s| match s {
        Structure::Block(b) if b.span().is_some_and(|r| r.start == span.start as usize) => Some(b),
        _ => None,
    })
}

/// A stack file holds `locals`, `include`, `unit` and `stack` blocks and no attributes;
/// an included file no `locals` and no `include`.
fn check_top(fe: &FileEval, top: bool) {
    for s in fe.body.iter() {
        match s {
            Structure::Attribute(a) => fe.ctx.report(Diagnostic::at(
                ids::EVAL_ERROR,
                format!(
                    "Unsupported argument; An argument named \"{}\" is not expected here.",
                    a.key.value().as_str()
                ),
                fe.span(a.key.span()),
            )),
            Structure::Block(b) => {
                let name = b.ident.value().as_str();
                let allowed = matches!(name, "unit" | "stack")
                    || (top && matches!(name, "locals" | "include"));
                if !allowed && !matches!(name, "locals" | "include") {
                    fe.ctx.report(Diagnostic::at(
                        ids::EVAL_ERROR,
                        format!("Unsupported block type; Blocks of type \"{name}\" are not expected here."),
                        fe.span(b.ident.span()),
                    ));
                }
            }
        }
    }
}

/// An `include "<label>" { path = … }` of a stack file, opened.
fn open_include(fe: &FileEval, b: &Block, vars: &Vars) -> Option<FileEval> {
    let span = fe.span(b.span());
    let label = b
        .labels
        .first()
        .map(|l| l.as_str().to_string())
        .unwrap_or_default();
    let Some(pa) = b.body.get_attribute("path") else {
        fe.ctx.report(Diagnostic::at(
            ids::INCLUDE_ERROR,
            "Missing required argument: The argument \"path\" is required, but no definition was found.",
            span,
        ));
        return None;
    };
    let pspan = fe.span(pa.value.span());
    let v = fe.eval(&pa.value, vars)?;
    let Some(p) = v.as_str().filter(|p| !p.is_empty()) else {
        fe.ctx.report(Diagnostic::at(
            ids::INCLUDE_ERROR,
            format!("failed to read include {label:?}: the path must be a non-empty string"),
            pspan,
        ));
        return None;
    };
    let dir = fe.ctx.terragrunt_dir().to_path_buf();
    let path = clean(&dir.join(p));
    fe.ctx.read(pspan, &path, Via::Include);
    let mut inc = FileEval::open(fe.ctx.clone(), &path, Some(pspan), "Stack include").ok()?;
    // The included file's blocks are evaluated in the stack file's context.
    inc.ctx.current_file = fe.ctx.current_file.clone();
    for (what, msg) in [
        ("locals", "must not define locals"),
        ("include", "must not define nested includes"),
    ] {
        if let Some(x) = blocks_named(&inc.body, what).first() {
            fe.ctx.report(Diagnostic::at(
                ids::INCLUDE_ERROR,
                format!("included stack file {label:?} {msg}"),
                inc.span(x.span()),
            ));
        }
    }
    check_top(&inc, false);
    Some(inc)
}

/// Reads a `unit`/`stack` block's attributes (all but `values`).
fn component(
    f: &FileEval,
    i: usize,
    kind: &'static str,
    b: &Block,
    vars: &Vars,
) -> Option<Component> {
    let span = f.span(b.span());
    let name = b
        .labels
        .first()
        .map(|l| l.as_str().to_string())
        .unwrap_or_default();
    let mut c = Component {
        kind,
        name,
        fe: i,
        span,
        source: None,
        path: None,
        no_stack: false,
        no_validation: false,
        enabled: true,
        values: None,
        autoinclude: None,
    };
    let what = |k: &str| format!("{kind} \"{}\" {k}", c.name);
    for s in b.body.iter() {
        match s {
            Structure::Attribute(a) => {
                let k = a.key.value().as_str();
                let at = f.span(a.value.span());
                match k {
                    "source" => c.source = Some((f.eval_or_unknown(&a.value, vars, &what(k)), at)),
                    "path" => {
                        let v = f.eval_or_unknown(&a.value, vars, &what(k));
                        match &v.data {
                            Data::String(p) => c.path = Some((p.clone(), at)),
                            Data::Unknown(u) => {
                                if !u.failed {
                                    f.ctx.report(Diagnostic::at(
                                        ids::EVAL_ERROR,
                                        format!("cannot place {kind} \"{}\": its path is unknown ({})", c.name, u.reason),
                                        at,
                                    ));
                                }
                                return None;
                            }
                            _ => {
                                f.ctx.report(Diagnostic::at(
                                    ids::EVAL_ERROR,
                                    format!("Incorrect attribute value type; Inappropriate value for attribute \"path\": string required, not {}.", v.type_name()),
                                    at,
                                ));
                                return None;
                            }
                        }
                    }
                    "no_dot_terragrunt_stack" | "no_validation" | "enabled" => {
                        let v = f.eval_or_unknown(&a.value, vars, &what(k));
                        let b = match v.to_bool_conv() {
                            Ok(b) => b,
                            Err(_) if !v.is_known() => k == "enabled",
                            Err(_) => {
                                f.ctx.report(Diagnostic::at(
                                    ids::EVAL_ERROR,
                                    format!("Incorrect attribute value type; Inappropriate value for attribute \"{k}\": bool required, not {}.", v.type_name()),
                                    at,
                                ));
                                k == "enabled"
                            }
                        };
                        match k {
                            "no_dot_terragrunt_stack" => c.no_stack = b,
                            "no_validation" => c.no_validation = b,
                            _ => c.enabled = b,
                        }
                    }
                    // Evaluated once the sibling paths are known.
                    "values" => {}
                    // What only generation or the content store use.
                    _ => {}
                }
            }
            Structure::Block(ib) => match ib.ident.value().as_str() {
                "autoinclude" if kind == "unit" => c.autoinclude = Some(f.span(ib.span())),
                "expansion" => f.ctx.report(Diagnostic::at(
                    ids::UNSUPPORTED,
                    format!("the expansion block of {kind} \"{}\" (count/for_each) is not evaluated by tglint; the block is skipped", c.name),
                    f.span(ib.span()),
                )),
                _ => {}
            },
        }
    }
    // An expanded block stands for several components tglint does not compute.
    let expanded = b
        .body
        .iter()
        .any(|s| matches!(s, Structure::Block(ib) if ib.ident.value().as_str() == "expansion"));
    (!expanded).then_some(c)
}

/// `ValidateStackConfig` and the include merge's checks. Returns, per component, whether
/// it may be generated (the second of two with one name or path is not).
fn validate(
    top: &FileEval,
    files: &[FileEval],
    comps: &[Component],
    stack_dir: &Path,
) -> Vec<bool> {
    let mut keep = vec![true; comps.len()];
    if comps.is_empty() {
        top.ctx.report(Diagnostic::new(
            ids::EVAL_ERROR,
            "stack config must contain at least one unit or stack",
            Label::file_start(top.file),
        ));
        return keep;
    }
    let mut names: BTreeMap<(&str, &str), usize> = BTreeMap::new();
    let mut paths: BTreeMap<(&str, String), usize> = BTreeMap::new();
    let mut unit_dirs: BTreeMap<PathBuf, usize> = BTreeMap::new();
    for (i, c) in comps.iter().enumerate() {
        let f = &files[c.fe];
        let report = |msg: String, at: Span, first: Option<usize>| {
            let mut d = Diagnostic::at(ids::EVAL_ERROR, msg, at);
            if let Some(j) = first {
                d = d.with_related(vec![
                    Label::new(comps[j].span).with_note("first declared here"),
                ]);
            }
            f.ctx.report(d);
        };
        let name = c.name.trim();
        if name.is_empty() {
            report(
                format!("{} at index {i} has empty name", c.kind),
                c.span,
                None,
            );
        } else if let Some(&j) = names.get(&(c.kind, name)) {
            report(
                format!("duplicate {} name {:?} after include merge", c.kind, c.name),
                c.span,
                Some(j),
            );
            keep[i] = false;
        } else {
            names.insert((c.kind, name), i);
        }
        match &c.source {
            None => {
                report(
                    "Missing required argument; The argument \"source\" is required, but no definition was found.".into(),
                    c.span,
                    None,
                );
                keep[i] = false;
            }
            Some((v, at)) if v.as_str().is_some_and(|s| s.trim().is_empty()) => {
                report(
                    format!("{} '{}' has empty source", c.kind, c.name),
                    *at,
                    None,
                );
                keep[i] = false;
            }
            Some((v, at)) if v.is_known() && v.as_str().is_none() => {
                report(
                    format!(
                        "Incorrect attribute value type; Inappropriate value for attribute \"source\": string required, not {}.",
                        v.type_name()
                    ),
                    *at,
                    None,
                );
                keep[i] = false;
            }
            _ => {}
        }
        match &c.path {
            None => {
                let b = find_block(&f.body, c.span);
                if b.is_some_and(|b| b.body.get_attribute("path").is_none()) {
                    report(
                        "Missing required argument; The argument \"path\" is required, but no definition was found.".into(),
                        c.span,
                        None,
                    );
                }
                keep[i] = false;
            }
            Some((p, at)) => {
                let p = p.trim();
                if p.is_empty() {
                    report(format!("{} '{}' has empty path", c.kind, c.name), *at, None);
                    keep[i] = false;
                } else if let Some(&j) = paths.get(&(c.kind, p.to_string())) {
                    report(
                        format!("duplicate {} path found: '{p}'", c.kind),
                        *at,
                        Some(j),
                    );
                    keep[i] = false;
                } else {
                    paths.insert((c.kind, p.to_string()), i);
                    let base = if c.no_stack {
                        stack_dir.to_path_buf()
                    } else {
                        stack_dir.join(STACK_DIR)
                    };
                    let dest = clean(&base.join(p));
                    if Path::new(p).is_absolute() {
                        report(format!("path {p} must be relative"), *at, None);
                        keep[i] = false;
                    } else if !dest.starts_with(&base) {
                        report(
                            format!(
                                "{} destination path '{}' is outside of the stack directory '{}'",
                                c.name,
                                relative(&dest, top.ctx.root()),
                                relative(&base, top.ctx.root())
                            ),
                            *at,
                            None,
                        );
                        keep[i] = false;
                    } else if c.kind == "unit" {
                        unit_dirs.insert(dest, i);
                    } else if let Some(&j) = unit_dirs.get(&dest) {
                        report(
                            format!(
                                "duplicate path found across unit and stack: '{}'",
                                relative(&dest, top.ctx.root())
                            ),
                            *at,
                            Some(j),
                        );
                        keep[i] = false;
                    }
                }
            }
        }
        if let Some(v) = &c.values
            && v.is_known()
            && !v.is_null()
            && v.as_map().is_none()
        {
            let at = v.origin.map(|o| o.span).unwrap_or(c.span);
            report(
                format!("writeValues: expected object or map, got {}", v.type_name()),
                at,
                None,
            );
            keep[i] = false;
        }
    }
    keep
}

/// Where a source leads.
enum Resolved {
    Local(PathBuf),
    Missing(PathBuf),
    Refused(PathBuf, crate::source::Refusal),
    Remote,
    Unknown(String),
}

/// Resolves a component's `source` as `stack generate` does: `--source-map` first
/// (Terragrunt's `adjustSourceWithMap`), then local when the path exists as written or
/// from the stack file's directory, or starts with `file://` (`isLocal`); otherwise
/// remote. A relative path that does not exist and starts with `.` or `/` is reported as
/// a missing local source rather than "remote".
fn source_dir(shared: &Arc<Shared>, stack_dir: &Path, source: &Value) -> Resolved {
    let s = match &source.data {
        Data::String(s) => s.clone(),
        Data::Unknown(u) => {
            return Resolved::Unknown(format!("its source is unknown ({})", u.reason));
        }
        _ => return Resolved::Unknown("its source is not a string".into()),
    };
    let s = map_source(&shared.opts.source_map, &s).unwrap_or(s);
    let stripped = s.strip_prefix("file://");
    let raw = stripped.unwrap_or(&s);
    let candidate = if Path::new(raw).is_absolute() {
        clean(Path::new(raw))
    } else {
        clean(&stack_dir.join(raw))
    };
    match shared.cache.kind(&candidate) {
        Ok(Some(Kind::Dir)) => Resolved::Local(candidate),
        Err(why) => {
            if stripped.is_some() || looks_local(raw) {
                Resolved::Refused(candidate, why)
            } else {
                Resolved::Remote
            }
        }
        Ok(_) if stripped.is_some() || looks_local(raw) => Resolved::Missing(candidate),
        Ok(_) => Resolved::Remote,
    }
}

fn looks_local(s: &str) -> bool {
    s.starts_with("./") || s.starts_with("../") || s.starts_with('/') || s == "." || s == ".."
}

/// go-getter's `SourceDirSubdir`: the source split at the `//` that starts its
/// subdirectory (not the one of a `scheme://`), the subdirectory's query moved to the URL.
pub fn source_dir_subdir(src: &str) -> (String, String) {
    let stop = src.find('?').unwrap_or(src.len());
    let offset = src[..stop].find("://").map(|i| i + 3).unwrap_or(0);
    let Some(idx) = src[offset..stop].find("//").map(|i| i + offset) else {
        return (src.to_string(), String::new());
    };
    let mut url = src[..idx].to_string();
    let mut sub = src[idx + 2..].to_string();
    if let Some(q) = sub.find('?') {
        url.push_str(&sub[q..]);
        sub.truncate(q);
    }
    (url, sub)
}

/// Terragrunt's `adjustSourceWithMap`: when the source's URL part (before `//`, without
/// its query) is a key of the map, the mapped directory joined with the subdirectory (or,
/// with none, the URL's last path element, as `getModulePathFromSourceURL` takes it).
pub fn map_source(map: &BTreeMap<String, PathBuf>, source: &str) -> Option<String> {
    if map.is_empty() {
        return None;
    }
    let (url, sub) = source_dir_subdir(source);
    if url.is_empty() {
        return None;
    }
    let key = match url.find('?') {
        Some(q) => {
            let frag = url[q..].find('#').map(|f| &url[q + f..]).unwrap_or("");
            format!("{}{frag}", &url[..q])
        }
        None => url.clone(),
    };
    let dir = map.get(&key)?;
    let sub = if sub.is_empty() {
        let no_query = key.split('?').next().unwrap_or("");
        let last = no_query.rsplit('/').next().unwrap_or("");
        last.split('.').next().unwrap_or("").to_string()
    } else {
        sub
    };
    let base = dir.display().to_string();
    let base = base.trim_end_matches(['/', '\\']);
    let sub = sub.trim_start_matches(['/', '\\']);
    Some(if sub.is_empty() {
        base.to_string()
    } else {
        format!("{base}//{sub}")
    })
}

/// A unit's `autoinclude { … }` block as the file generation would write: the stack
/// file's text with everything but the block's body blanked (newlines kept, so offsets
/// and lines are the stack file's), registered under a name of its own. A `locals` block
/// in it is Terragrunt's AutoIncludeLocalsBlockError.
fn autoinclude_file(
    shared: &Arc<Shared>,
    f: &FileEval,
    c: &Component,
    at: Span,
    vars: &Vars,
) -> Option<StackAutoinclude> {
    let sf = shared.cache.get(f.file)?;
    let text = sf.text_if_read()?;
    let (start, end) = (at.start as usize, at.end as usize);
    let block = text.get(start..end)?;
    let open = start + block.find('{')? + 1;
    let close = start + block.rfind('}')?;
    // Blanked byte for byte, so every offset stays the stack file's.
    let mut blanked = String::with_capacity(text.len());
    for (i, ch) in text.char_indices() {
        if (open..close).contains(&i) || ch == '\n' {
            blanked.push(ch);
        } else {
            blanked.extend(std::iter::repeat_n(' ', ch.len_utf8()));
        }
    }
    let key = PathBuf::from(format!("{}#autoinclude.{}", sf.path.display(), c.name));
    let file = shared.cache.add_text(&key, &sf.rel, &blanked);
    if let Ok(body) = shared.cache.body(&file)
        && let Some(l) = blocks_named(&body, "locals").first()
    {
        f.ctx.report(
            Diagnostic::at(
                ids::EVAL_ERROR,
                format!(
                    "autoinclude for unit {:?} defines a locals block, which is not allowed; declare locals at the stack level in terragrunt.stack.hcl so they resolve uniformly at generate time",
                    c.name
                ),
                Span::new(f.file, l.span().unwrap_or(0..0)),
            )
            .with_help("move these locals into the stack file's locals block"),
        );
        return None;
    }
    let mut v = Vars::new();
    for k in ["local", "values", "unit", "stack"] {
        if let Some(x) = vars.get(k) {
            v.insert(k.to_string(), x.clone());
        }
    }
    Some(StackAutoinclude { file, vars: v })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn subdir_is_split_as_go_getter_does() {
        let s = |x: &str| source_dir_subdir(x);
        assert_eq!(
            s("github.com/acme/cat//units/vpc?ref=v1"),
            ("github.com/acme/cat?ref=v1".into(), "units/vpc".into())
        );
        assert_eq!(
            s("git::https://example.com/a.git//m"),
            ("git::https://example.com/a.git".into(), "m".into())
        );
        assert_eq!(
            s("https://example.com/x"),
            ("https://example.com/x".into(), String::new())
        );
    }

    #[test]
    fn source_map_matches_the_url_without_its_query() {
        let map = BTreeMap::from([
            ("github.com/acme/cat".to_string(), PathBuf::from("/co/cat/")),
            (
                "git::git@github.com:acme/mod.git".to_string(),
                PathBuf::from("/co/mod"),
            ),
        ]);
        assert_eq!(
            map_source(&map, "github.com/acme/cat//units/vpc?ref=v1").as_deref(),
            Some("/co/cat//units/vpc")
        );
        // No `//`: the URL's last element, as getModulePathFromSourceURL takes it.
        assert_eq!(
            map_source(&map, "git::git@github.com:acme/mod.git?ref=v2").as_deref(),
            Some("/co/mod//mod")
        );
        assert_eq!(map_source(&map, "github.com/acme/other//x"), None);
        assert_eq!(map_source(&BTreeMap::new(), "github.com/acme/cat//x"), None);
    }
}
