//! Terragrunt's parsing context (spec §0): what Terragrunt's functions see while a file is
//! evaluated. It travels to them as `CallCtx::ext`.

use super::config::Include;
use super::reads::{Read, Via};
use super::stack::StackAutoinclude;
use crate::diag::Diagnostic;
use crate::source::SourceCache;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use tglint_hcl::{Budget, Limits, Span, Value};

/// What the user told tglint about the invocation (DESIGN §3.4, §6).
#[derive(Clone, Debug, Default)]
pub struct Options {
    /// `--set-env NAME=VALUE`: what `get_env` sees.
    pub env: BTreeMap<String, String>,
    /// `--inherit-env`: let `get_env` read the process environment too.
    pub inherit_env: bool,
    /// `--terraform-command CMD`: what `get_terraform_command()` returns.
    pub terraform_command: Option<String>,
    /// `--feature NAME=VALUE`: feature flag overrides.
    pub features: BTreeMap<String, String>,
    /// `--allow-outside-root`.
    pub allow_outside_root: bool,
    /// The evaluation budget of each unit (`--limit NAME=N`; docs/security.md).
    pub limits: Limits,
    /// `--follow-links`: discovery walks directory links that stay inside the root.
    pub follow_links: bool,
    /// `--source-map SOURCE=PATH`: a remote source (the part before `//`, without its
    /// query) and the local directory (absolute) that stands for it.
    pub source_map: BTreeMap<String, PathBuf>,
}

/// State shared by every evaluation of one run.
pub struct Shared {
    pub cache: Arc<SourceCache>,
    pub opts: Options,
    /// `read_terragrunt_config` results that do not depend on the caller (see
    /// `config::read_config_object`), with the diagnostics reading them produced.
    /// Each entry also keeps what reading the target read, so that a unit finding it here
    /// still records those reads.
    pub read_cache: Mutex<BTreeMap<PathBuf, CachedRead>>,
    /// `find_in_parent_folders` walks, by (the directory the walk starts from: the parent
    /// of the unit's, the name, whether the unit lies inside the root): the same for the
    /// units of sibling directories, so each is walked once per run.
    /// With the candidates each walk looked at (recorded as reads of every unit).
    pub parent_search: Mutex<std::collections::HashMap<(PathBuf, String, bool), ParentWalk>>,
    /// The `autoinclude` blocks of stack units, by the unit's generated directory: what
    /// generation would write there as `terragrunt.autoinclude.hcl`.
    pub stack_autoincludes: Mutex<std::collections::HashMap<PathBuf, StackAutoinclude>>,
}

/// A `find_in_parent_folders` walk: where it ended, and every candidate it looked at.
pub type ParentWalk = (ParentSearch, Arc<[Arc<crate::source::SourceFile>]>);

/// Where a `find_in_parent_folders` walk ended.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ParentSearch {
    /// Found at this path.
    Found(PathBuf),
    /// The next candidate lies outside the scanned root.
    Outside(PathBuf),
    /// Reached the top (the scanned root) without finding it.
    Top,
    /// Gave up after the folder limit.
    Limit,
}

impl Shared {
    pub fn new(cache: Arc<SourceCache>, opts: Options) -> Shared {
        Shared {
            cache,
            opts,
            read_cache: Mutex::new(BTreeMap::new()),
            parent_search: Mutex::new(Default::default()),
            stack_autoincludes: Mutex::new(Default::default()),
        }
    }
}

/// A cached `read_terragrunt_config` result: the object, the diagnostics reading it
/// produced, and the reads it made.
pub type CachedRead = (Value, Vec<Diagnostic>, Vec<Read>);

/// The parsing context of one evaluation.
#[derive(Clone)]
pub struct TgCtx {
    pub shared: Arc<Shared>,
    /// `TerragruntConfigPath`: the unit's file, also while its parents are evaluated; the
    /// target inside `read_terragrunt_config` and dependency parsing.
    pub config_path: PathBuf,
    /// `OriginalTerragruntConfigPath`: the unit being run (reset only for dependencies).
    pub original_path: PathBuf,
    /// The file whose expressions are being evaluated right now.
    pub current_file: PathBuf,
    /// When a parent is being evaluated: the include block of the child that pulled it in.
    pub include_from_child: Option<Include>,
    /// The include blocks of the file at `config_path` (the child).
    pub includes: Vec<Include>,
    /// Files being read through `read_terragrunt_config`, outermost first (cycle check).
    pub read_stack: Vec<PathBuf>,
    /// Where functions report what they cannot do (deprecations, refused reads).
    pub diags: Arc<Mutex<Vec<Diagnostic>>>,
    /// The budget and memo of the unit being resolved.
    pub unit: Arc<UnitState>,
    /// What the unit file sees as `values` (its directory's `terragrunt.values.hcl`, or
    /// the `values` of the stack `unit` block it is generated from); taken by the unit
    /// file, so its parents and what it reads never see it (Terragrunt reads the values
    /// file beside the file being parsed).
    pub values: Option<Value>,
}

/// What one unit's resolution keeps for itself: its evaluation budget, and the
/// configurations it has read with `read_terragrunt_config` (within one unit, a file
/// read resolves the same wherever it is read from, so a file read twice is resolved
/// once, and a chain of files that each read the next twice stays linear).
pub struct UnitState {
    pub budget: Budget,
    pub read_memo: Mutex<std::collections::HashMap<PathBuf, (Value, Vec<Diagnostic>)>>,
    /// Every file the resolution read or probed, from where, in order.
    pub edges: Mutex<Vec<Read>>,
    /// How many `read_terragrunt_config` loops were found so far; a read during which
    /// one was found depends on where it was read from and is not remembered.
    pub loops: std::sync::atomic::AtomicUsize,
}

impl UnitState {
    pub fn new(limits: Limits) -> UnitState {
        UnitState {
            budget: Budget::new(limits),
            read_memo: Mutex::new(Default::default()),
            edges: Mutex::new(Vec::new()),
            loops: Default::default(),
        }
    }
}

impl TgCtx {
    /// The directory of `TerragruntConfigPath` (Terragrunt's `get_terragrunt_dir()` and
    /// the working directory for relative paths of Terragrunt's functions).
    pub fn terragrunt_dir(&self) -> &Path {
        self.config_path.parent().unwrap_or(Path::new("/"))
    }

    /// Records that the expression at `from` read or probed `target`.
    pub fn read(&self, from: Span, target: &Path, via: Via) {
        let f = self.shared.cache.file(&crate::fs::clean(target));
        self.read_entry(from, &f, via);
    }

    /// [`TgCtx::read`] of a file whose source cache entry is at hand.
    pub fn read_entry(&self, from: Span, f: &crate::source::SourceFile, via: Via) {
        let (target, target_file) = (f.path.clone(), f.id);
        self.unit
            .edges
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .push(Read {
                from,
                target,
                target_file,
                via,
            });
    }

    pub fn root(&self) -> &Path {
        self.shared.cache.root()
    }

    pub fn report(&self, d: Diagnostic) {
        self.diags.lock().unwrap_or_else(|p| p.into_inner()).push(d);
    }
}
