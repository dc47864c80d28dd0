//! The resolved unit: what rules, policy and the render view stand on (DESIGN §3.2).
//!
//! A [`Unit`] is one `terragrunt.hcl` resolved with its include chain: typed parts
//! (`terraform`, `remote_state`, `generate`, `dependencies`, …) that keep their values with
//! the origin of each, the layers it merged (each included file's own evaluated
//! configuration), and the files its resolution read. Three doors lead in:
//!
//! - [`Unit::get`]: a value by path (`inputs.tags["Name"]`), answered as missing, unknown
//!   (with why) or known ([`Lookup`], with typed helpers);
//! - [`Unit::chain`]: why a value applies here — where it was set, which file read it with
//!   `read_terragrunt_config`, which include carried it to the unit — as labels for a
//!   diagnostic; [`Unit::overridden`] names the definitions a later one replaced;
//! - [`Unit::to_value`]: the unit as one HCL object, for the render view and for policy
//!   `check` blocks (`unit.inputs.x`).

mod generated;
mod lookup;
mod value;

pub use generated::{TfAttribute, TfBlock, TfBody, TfContents, TfFile, TfFormat, TfName, TfValue};

pub use crate::terragrunt::{Read, Via};
pub use lookup::{Lookup, PathError, Step, Typed, parse_path};

use crate::diag::{Diagnostic, Label};
use crate::module::ModuleSource;
pub use crate::terragrunt::Include;
pub use crate::terragrunt::stack::StackOrigin;
use crate::terragrunt::{FileConfig, Layer, MergeStrategy};
use std::collections::{BTreeMap, BTreeSet, HashMap, VecDeque};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use tglint_hcl::{FileId, Origin, Span, Value};

/// How a unit was placed in an environment or a region (filled in by the policy's
/// classification; `None` until then).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Classified {
    /// The name found (`prod-eu`, `us-east-1`).
    pub name: String,
    /// The policy's kind it matched (`prod`), if any.
    pub kind: Option<String>,
    /// How it was found, for `--explain-env` ("locals.environment in env.hcl").
    pub because: String,
    pub origin: Option<Origin>,
}

/// The merged `terraform` block.
#[derive(Clone, Debug)]
pub struct Terraform {
    /// The whole block as an object (hooks and `extra_arguments` keyed by label).
    pub value: Value,
    pub source: Option<Value>,
    /// `source` as a module address and version, when it is a known string.
    pub module: Option<ModuleSource>,
}

/// The winning `remote_state` (never merged).
#[derive(Clone, Debug)]
pub struct RemoteState {
    pub value: Value,
    pub backend: Option<Value>,
    pub config: Option<Value>,
    pub generate: Option<Value>,
}

/// One `generate` block, with Terragrunt's defaults filled in.
#[derive(Clone, Debug)]
pub struct Generate {
    pub label: String,
    pub value: Value,
    pub path: Option<Value>,
    pub if_exists: Option<Value>,
    pub contents: Option<Value>,
    /// The contents parsed, computed once (`parsed`) with its view as a value.
    parsed: std::sync::OnceLock<Option<(TfContents, Value)>>,
}

impl Generate {
    /// The contents parsed as the Terraform file the block writes (`generated.rs`):
    /// `None` unless `path` is a known `.tf`/`.tf.json` (`.tofu`, `.tofu.json`) name and
    /// `contents` a string, known or unknown. Computed on first use.
    pub fn parsed(&self) -> Option<&TfContents> {
        self.parsed_pair().map(|(c, _)| c)
    }

    /// [`Generate::parsed`] as one HCL value ([`TfContents::to_value`]), what
    /// `generate.<label>.parsed` reads.
    pub fn parsed_value(&self) -> Option<&Value> {
        self.parsed_pair().map(|(_, v)| v)
    }

    fn parsed_pair(&self) -> Option<&(TfContents, Value)> {
        self.parsed
            .get_or_init(|| {
                generated::parse(self).map(|c| {
                    let v = c.to_value();
                    (c, v)
                })
            })
            .as_ref()
    }

    /// The block as the unit's view shows it: its attributes, plus `parsed` when the
    /// contents are parsed.
    pub fn view(&self) -> Value {
        let mut v = self.value.clone();
        if let Some(p) = self.parsed_value()
            && let Some(m) = v.map_mut()
        {
            m.insert("parsed".into(), p.clone());
        }
        v
    }
}

/// One merged `dependency` block.
#[derive(Clone, Debug)]
pub struct Dependency {
    pub label: String,
    pub config_path: Value,
    /// The configuration file the block points at (absolute), when its path is known.
    pub target: Option<PathBuf>,
    /// The target unit's directory relative to the root, when it is a unit of the tree.
    pub target_unit: Option<String>,
    pub enabled: bool,
    pub skip_outputs: bool,
    pub mock_outputs: Option<Value>,
    /// The block.
    pub span: Span,
    /// The block's attributes as written (`config_path`, `mock_outputs`, …).
    pub value: Value,
}

/// A resolved unit.
#[derive(Clone, Debug)]
pub struct Unit {
    /// The scanned root (absolute), which the unit's relative paths are relative to.
    pub root: Arc<Path>,
    /// Relative to the root, `/`-separated (`.` for the root itself).
    pub dir: String,
    /// The unit file, absolute.
    pub path: PathBuf,
    pub file: Option<FileId>,
    pub environment: Option<Classified>,
    pub region: Option<Classified>,
    pub includes: Vec<Include>,
    /// Each included file's own evaluated configuration, in include order (only the
    /// files that could be opened).
    pub layers: Vec<Layer>,
    /// The unit file's own configuration, before the merge.
    pub own: FileConfig,
    /// The unit file's own locals (locals never merge).
    pub locals: BTreeMap<String, Value>,
    /// The merged inputs; `None` when no file sets `inputs`.
    pub inputs: Option<Value>,
    pub terraform: Option<Terraform>,
    pub remote_state: Option<RemoteState>,
    /// In label order.
    pub generate: Vec<Generate>,
    pub dependencies: Vec<Dependency>,
    /// `dependencies.paths`, when set.
    pub dependencies_paths: Option<Value>,
    /// Feature flag name → the `feature` block as an object (`default`, …).
    pub features: BTreeMap<String, Value>,
    pub exclude: Option<Value>,
    pub errors: Option<Value>,
    pub engine: Option<Value>,
    pub catalog: Option<Value>,
    /// The top-level attributes (`iam_role`, `prevent_destroy`, …).
    pub attributes: BTreeMap<String, Value>,
    /// What the resolution read or probed, in the order it did.
    pub reads: Vec<Read>,
    /// Whether the unit file itself could not be read or parsed.
    pub failed: bool,
    pub diagnostics: Vec<Diagnostic>,
    /// For a unit generated from a stack file: the `unit` block it comes from.
    pub stack: Option<StackOrigin>,
    /// What the unit sees as `values`: the stack `unit` block's `values`, or the unit
    /// directory's `terragrunt.values.hcl`.
    pub values: Option<Value>,
    /// When the unit's configuration was not read (a remote stack source not fetched):
    /// an unknown that stands for every part of it, so lookups answer unknown, never
    /// missing.
    pub unknown: Option<Value>,
    /// Whether [`Unit::project`] cut the unit down to what the tree rules read: what it
    /// dropped then answers missing.
    pub projected: bool,
}

/// Cuts `v`, when it is a map, down to the keys `keep` accepts, and says whether it did.
/// The cut map is a new one holding only those entries (their values shared, not copied):
/// neither is the whole map copied first nor are the nodes the other keys took kept.
fn retain_keys(v: &mut Value, keep: impl Fn(&str) -> bool) -> bool {
    let tglint_hcl::value::Data::Map(kind, m) = &v.data else {
        return false;
    };
    if m.keys().all(|k| keep(k)) {
        return false;
    }
    let kept: BTreeMap<String, Value> = m
        .iter()
        .filter(|(k, _)| keep(k))
        .map(|(k, x)| (k.clone(), x.clone()))
        .collect();
    v.data = tglint_hcl::value::Data::Map(*kind, Arc::new(tglint_hcl::value::Entries::new(kept)));
    true
}

/// What a projected unit keeps of its configuration ([`Unit::project`]), besides what
/// every unit keeps: its identity (directory, file, environment and region), includes,
/// reads, diagnostics, dependencies (of the block as written, its `config_path` only),
/// `dependencies.paths`, feature flags, `exclude`, `errors`, `engine` and `catalog`.
/// The tree rules say what they read (`Rule::keep` of tglint-rules); what they need of
/// the rest (`remote_state`, the generated files) they take as facts of the whole unit
/// (`Rule::fact`).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Keep {
    /// `inputs.<key>` for these keys (`inputs` stays, empty, where it was set).
    pub inputs: BTreeSet<&'static str>,
    /// The merged `terraform` block (what [`Unit::module`] reads).
    pub terraform: bool,
}

impl Keep {
    /// A layer's (or the unit's own) configuration: what `chain_at` needs for the kept
    /// paths. A layer's `terraform` goes (the unit keeps the merged one, if it is kept).
    fn file_config(&self, c: &mut FileConfig, layer: bool) {
        c.locals = BTreeMap::new();
        self.inputs(&mut c.inputs);
        // A file's inputs left with no kept key can be the origin of none: they go, and
        // a layer left with nothing else goes with them.
        if c.inputs
            .as_ref()
            .and_then(Value::as_map)
            .is_some_and(|m| m.is_empty())
        {
            c.inputs = None;
        }
        if layer || !self.terraform {
            c.terraform = None;
        }
        c.remote_state = None;
        c.generate = BTreeMap::new();
        c.dependency_blocks = Vec::new();
        c.scalars = BTreeMap::new();
    }

    fn inputs(&self, inputs: &mut Option<Value>) {
        if let Some(v) = inputs {
            retain_keys(v, |k| self.inputs.contains(k));
        }
    }
}

impl Unit {
    /// Assembles a unit from its merged configuration.
    #[allow(clippy::too_many_arguments)]
    pub(crate) fn new(
        root: Arc<Path>,
        dir: String,
        path: PathBuf,
        file: Option<FileId>,
        includes: Vec<Include>,
        layers: Vec<Layer>,
        own: FileConfig,
        merged: FileConfig,
        dependencies: Vec<Dependency>,
        reads: Vec<Read>,
        failed: bool,
        diagnostics: Vec<Diagnostic>,
    ) -> Unit {
        let FileConfig {
            locals,
            inputs,
            terraform,
            remote_state,
            generate,
            dependency_blocks: _,
            dependencies_paths,
            features,
            exclude,
            errors,
            engine,
            catalog,
            scalars,
        } = merged;
        let field = |v: &Value, k: &str| v.as_map().and_then(|m| m.get(k)).cloned();
        let terraform = terraform.map(|value| {
            let source = field(&value, "source");
            let module = source
                .as_ref()
                .and_then(Value::as_str)
                .map(crate::module::parse_source);
            Terraform {
                source,
                module,
                value,
            }
        });
        let remote_state = remote_state.map(|value| RemoteState {
            backend: field(&value, "backend"),
            config: field(&value, "config"),
            generate: field(&value, "generate"),
            value,
        });
        let generate = generate
            .into_iter()
            .map(|(label, value)| Generate {
                label,
                path: field(&value, "path"),
                if_exists: field(&value, "if_exists"),
                contents: field(&value, "contents"),
                value,
                parsed: std::sync::OnceLock::new(),
            })
            .collect();
        Unit {
            root,
            dir,
            path,
            file,
            environment: None,
            region: None,
            includes,
            layers,
            own,
            locals,
            inputs,
            terraform,
            remote_state,
            generate,
            dependencies,
            dependencies_paths,
            features,
            exclude,
            errors,
            engine,
            catalog,
            attributes: scalars,
            reads,
            failed,
            diagnostics,
            stack: None,
            values: None,
            unknown: None,
            projected: false,
        }
    }

    /// Cuts the unit down to what `keep` names (and what every unit keeps, [`Keep`]):
    /// what a streamed run keeps of a unit once its per-unit rules have run, so that the
    /// memory of a run does not grow with the evaluated configuration of every unit.
    /// Lookups of anything dropped answer missing; [`Unit::projected`] says so.
    pub fn project(&mut self, keep: &Keep) {
        self.projected = true;
        self.locals = BTreeMap::new();
        keep.inputs(&mut self.inputs);
        self.remote_state = None;
        self.generate = Vec::new();
        if !keep.terraform {
            self.terraform = None;
        }
        self.attributes = BTreeMap::new();
        self.values = None;
        keep.file_config(&mut self.own, false);
        for l in &mut self.layers {
            keep.file_config(&mut l.config, true);
        }
        // A layer left with nothing carries no value to the unit (`chain_at` finds none).
        self.layers.retain(|l| !l.config.is_empty());
        for d in &mut self.dependencies {
            // Of the block as written, the `config_path` the dependency rules point at
            // stays, as the field (`part` looks it up there); the mocks and the rest go.
            d.mock_outputs = None;
            d.value = Value::null().with_origin(d.value.origin);
        }
        self.layers.shrink_to_fit();
        self.reads.shrink_to_fit();
        self.diagnostics.shrink_to_fit();
        self.dependencies.shrink_to_fit();
        self.includes.shrink_to_fit();
    }

    /// The loading diagnostics of the generated Terraform files: contents of a `.tf` or
    /// `.tf.json` file that do not parse are an `eval-error` at the contents (Terraform
    /// fails on the file Terragrunt writes).
    pub(crate) fn generated_diagnostics(&self) -> Vec<Diagnostic> {
        let mut diagnostics = Vec::new();
        for g in &self.generate {
            if let Some(TfContents::Invalid {
                format,
                line,
                message,
            }) = g.parsed()
            {
                let at = g.contents.as_ref().and_then(|c| c.origin);
                let primary = match at {
                    Some(o) => Label::new(o.span),
                    None => Label::file_start(self.file.unwrap_or_default()),
                };
                let lang = match format {
                    TfFormat::Hcl => "HCL",
                    TfFormat::Json => "JSON",
                };
                diagnostics.push(
                    Diagnostic::new(
                        crate::diag::Reserved::EvalError,
                        format!(
                            "the contents of generate \"{}\" do not parse as Terraform {lang} (line {line} of the contents: {message}); Terraform will fail on the generated file",
                            g.label
                        ),
                        primary,
                    )
                    .with_help("fix the contents, or give the file a name Terraform does not read"),
                );
            }
        }
        diagnostics
    }

    /// Marks the unit's configuration as unknown (`reason`): every part a rule reads
    /// answers unknown.
    pub(crate) fn set_unknown(&mut self, reason: &str, origin: Option<Origin>) {
        let u = Value::unknown(reason.to_string()).with_origin(origin);
        self.inputs = Some(u.clone());
        self.terraform = Some(Terraform {
            value: u.clone(),
            source: Some(u.clone()),
            module: None,
        });
        self.remote_state = Some(RemoteState {
            value: u.clone(),
            backend: Some(u.clone()),
            config: Some(u.clone()),
            generate: Some(u.clone()),
        });
        self.unknown = Some(u);
    }

    /// Whether the unit is excluded for every action (`exclude { if = true, actions =
    /// ["all"] }`, Terragrunt's `"all"`; `"all_except_output"` is not every action):
    /// `Some(false)` without such a block, `None` when an unknown value decides. The unit
    /// is resolved and shown all the same, so that policy can decide.
    pub fn excluded(&self) -> Option<bool> {
        crate::terragrunt::blocks::excluded(self.exclude.as_ref())
    }

    /// The module `terraform.source` names, when it is known.
    pub fn module(&self) -> Option<&ModuleSource> {
        self.terraform.as_ref().and_then(|t| t.module.as_ref())
    }

    /// `dependencies.paths` ∪ the `config_path` of every enabled dependency block.
    pub fn dependency_paths(&self) -> Vec<Value> {
        let mut out: Vec<Value> = self
            .dependencies_paths
            .as_ref()
            .and_then(|v| v.as_seq().map(|s| s.to_vec()))
            .unwrap_or_default();
        for d in &self.dependencies {
            if d.enabled && !out.iter().any(|x| x.same(&d.config_path)) {
                out.push(d.config_path.clone());
            }
        }
        out
    }

    /// Every file the resolution read or probed (including the paths
    /// `find_in_parent_folders` looked at and did not find), and the unit file itself:
    /// what a change to the tree must touch to change this unit.
    pub fn read_files(&self) -> BTreeSet<&Path> {
        let mut out: BTreeSet<&Path> = self.reads.iter().map(|r| &*r.target).collect();
        out.insert(&self.path);
        out
    }

    /// The value at `path` (see [`lookup`](self::Lookup)); a path that does not parse is
    /// `Missing` (rules name their paths as literals; [`parse_path`] reports errors).
    pub fn get(&self, path: &str) -> Lookup<'_> {
        match parse_path(path) {
            Ok(steps) => self.get_steps(&steps),
            Err(_) => Lookup::Missing,
        }
    }

    /// `get` with a parsed path.
    pub fn get_steps(&self, steps: &[Step]) -> Lookup<'_> {
        let Some((Step::Key(root), rest)) = steps.split_first() else {
            return Lookup::Missing;
        };
        match self.part(root, rest) {
            Some((v, rest)) => Lookup::walk(v, rest),
            None => Lookup::Missing,
        }
    }

    /// The value a path's first step (or first two, for labelled parts) names, with the
    /// steps still to walk.
    fn part<'s, 'p>(&'s self, root: &str, rest: &'p [Step]) -> Option<(&'s Value, &'p [Step])> {
        let labelled = |rest: &'p [Step]| match rest.split_first() {
            Some((Step::Key(l), more)) => Some((l.clone(), more)),
            _ => None,
        };
        if root == "values" {
            return self.values.as_ref().map(|v| (v, rest));
        }
        if let Some(u) = &self.unknown {
            return Some((u, &[]));
        }
        match root {
            "inputs" => self.inputs.as_ref().map(|v| (v, rest)),
            "locals" | "local" => {
                let (name, more) = labelled(rest)?;
                self.locals.get(&name).map(|v| (v, more))
            }
            "terraform" => self.terraform.as_ref().map(|t| (&t.value, rest)),
            "remote_state" => self.remote_state.as_ref().map(|r| (&r.value, rest)),
            "generate" => {
                let (label, more) = labelled(rest)?;
                let g = self.generate.iter().find(|g| g.label == label)?;
                match more.split_first() {
                    Some((Step::Key(k), after)) if k == "parsed" => {
                        g.parsed_value().map(|v| (v, after))
                    }
                    _ => Some((&g.value, more)),
                }
            }
            "dependency" => {
                let (label, more) = labelled(rest)?;
                let d = self.dependencies.iter().find(|d| d.label == label)?;
                match more.split_first() {
                    // A projected unit keeps the block's `config_path` only, as the field.
                    Some((Step::Key(k), after)) if self.projected && k == "config_path" => {
                        Some((&d.config_path, after))
                    }
                    _ => Some((&d.value, more)),
                }
            }
            "feature" => {
                let (name, more) = labelled(rest)?;
                self.features.get(&name).map(|v| (v, more))
            }
            "exclude" => self.exclude.as_ref().map(|v| (v, rest)),
            "errors" => self.errors.as_ref().map(|v| (v, rest)),
            "engine" => self.engine.as_ref().map(|v| (v, rest)),
            "catalog" => self.catalog.as_ref().map(|v| (v, rest)),
            "dependencies" => match rest.split_first() {
                Some((Step::Key(k), more)) if k == "paths" => {
                    self.dependencies_paths.as_ref().map(|v| (v, more))
                }
                _ => None,
            },
            name => self.attributes.get(name).map(|v| (v, rest)),
        }
    }

    /// Why a value defined at `origin` applies to this unit: `set here` at the origin,
    /// then each file that carried it on — read with `read_terragrunt_config`, included
    /// by the unit (with its label and merge strategy) — ending in the unit file. When
    /// several ways lead to the origin's file, this is the shortest (the first in reading
    /// order among equals); [`Unit::chain_at`] knows which include the merge took the
    /// value from. Empty when the origin is in no file this unit's resolution reached.
    pub fn chain(&self, origin: &Origin) -> Vec<Label> {
        match self.file {
            Some(unit) => self.chain_from(unit, origin),
            None => Vec::new(),
        }
    }

    /// The chain of the value at `path`, through the file the merge took it from: the
    /// unit's own configuration, or the last included file that set it to this value.
    pub fn chain_at(&self, path: &str) -> Vec<Label> {
        let Ok(steps) = parse_path(path) else {
            return Vec::new();
        };
        let Some(origin) = self.get_steps(&steps).origin() else {
            return Vec::new();
        };
        let merged_from_own = layer_lookup(&self.own, &steps).and_then(Lookup::origin);
        if merged_from_own == Some(origin) {
            return self.chain(&origin);
        }
        let carrier = self.layers.iter().rev().find(|l| {
            l.include.merge != MergeStrategy::NoMerge
                && layer_lookup(&l.config, &steps).and_then(Lookup::origin) == Some(origin)
        });
        match carrier.and_then(|l| l.include.file.map(|f| (l, f))) {
            Some((layer, file)) => {
                let mut out = self.chain_from(file, &origin);
                if !out.is_empty()
                    && let Some(edge) = self
                        .reads
                        .iter()
                        .find(|r| r.via == Via::Include && r.from == layer.include.span)
                {
                    out.push(self.edge_label(edge));
                }
                out
            }
            None => self.chain(&origin),
        }
    }

    /// The chain from the file `start` to the origin's file, ending with the edges that
    /// lead from `start`.
    fn chain_from(&self, start: FileId, origin: &Origin) -> Vec<Label> {
        let mut out = vec![Label::new(origin.span).with_note(if origin.mock {
            "set here, in mock_outputs"
        } else {
            "set here"
        })];
        let target = origin.span.file;
        if target == start {
            return out;
        }
        // Breadth first from `start` over the edges that carry configuration.
        let mut came_by: HashMap<FileId, &Read> = HashMap::new();
        let mut queue = VecDeque::from([start]);
        let mut seen = BTreeSet::from([start]);
        while let Some(f) = queue.pop_front() {
            if f == target {
                break;
            }
            for r in self
                .reads
                .iter()
                .filter(|r| r.via.carries_config() && r.from.file == f)
            {
                if seen.insert(r.target_file) {
                    came_by.insert(r.target_file, r);
                    queue.push_back(r.target_file);
                }
            }
        }
        if !came_by.contains_key(&target) {
            return Vec::new();
        }
        let mut at = target;
        while let Some(r) = came_by.get(&at) {
            out.push(self.edge_label(r));
            at = r.from.file;
        }
        out
    }

    fn edge_label(&self, r: &Read) -> Label {
        let note = match r.via {
            Via::Include => match self.includes.iter().find(|i| i.span == r.from) {
                Some(i) => format!(
                    "included here as \"{}\" (merge_strategy = {})",
                    i.label,
                    i.merge.as_str()
                ),
                None => "included here".to_string(),
            },
            via => format!("read here with {}", via.describe()),
        };
        Label::new(r.from).with_note(note)
    }

    /// The definitions of `path` that the merge replaced: for each included file whose
    /// own configuration sets the path to another value than the one that won, a label
    /// there ("overridden by …"). Empty when only one file sets it.
    pub fn overridden(&self, path: &str) -> Vec<Label> {
        let Ok(steps) = parse_path(path) else {
            return Vec::new();
        };
        let winner = self.get_steps(&steps).origin();
        // Every file that took part in the merge, in merge order: the included files
        // (no_merge ones contribute nothing), then the unit's own.
        let files = self
            .layers
            .iter()
            .filter(|l| l.include.merge != MergeStrategy::NoMerge)
            .map(|l| (&l.config, Some(&l.include)))
            .chain(std::iter::once((&self.own, None)));
        let mut out = Vec::new();
        for (cfg, include) in files {
            let Some(found) = layer_lookup(cfg, &steps).and_then(Lookup::origin) else {
                continue;
            };
            if Some(found) == winner {
                continue;
            }
            let note = match include {
                Some(i) => format!(
                    "overridden: this value, from include \"{}\" (merge_strategy = {}), is replaced",
                    i.label,
                    i.merge.as_str()
                ),
                None => "overridden: this value is replaced by an included file's".to_string(),
            };
            out.push(Label::new(found.span).with_note(note));
        }
        out
    }
}

/// A path in one file's own configuration (a layer, or the unit's `own`).
fn layer_lookup<'a>(cfg: &'a FileConfig, steps: &[Step]) -> Option<Lookup<'a>> {
    let (Step::Key(root), rest) = steps.split_first()? else {
        return None;
    };
    let labelled = |rest: &[Step]| match rest.split_first() {
        Some((Step::Key(l), more)) => Some((l.clone(), more.len())),
        _ => None,
    };
    let (v, rest) = match root.as_str() {
        "inputs" => (cfg.inputs.as_ref()?, rest),
        "terraform" => (cfg.terraform.as_ref()?, rest),
        "remote_state" => (cfg.remote_state.as_ref()?, rest),
        "exclude" => (cfg.exclude.as_ref()?, rest),
        "generate" => {
            let (label, n) = labelled(rest)?;
            (cfg.generate.get(&label)?, &rest[rest.len() - n..])
        }
        name => (cfg.scalars.get(name)?, rest),
    };
    Some(Lookup::walk(v, rest))
}
