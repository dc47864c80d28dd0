//! The evaluated configuration of one file, before or after merging with its parents:
//! the data every phase fills in and the merge folds together.

use std::collections::BTreeMap;
use std::path::PathBuf;
use tglint_hcl::{FileId, Span, Value};

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

/// An include block: as declared (label, path, strategy, `expose`, where), and which file
/// it opened. The one include type: the unit keeps its includes, each layer its own, and
/// the parsing context hands them to Terragrunt's functions (`path_relative_to_include`,
/// `get_parent_terragrunt_dir`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Include {
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

impl FileConfig {
    /// Whether the file sets nothing.
    pub fn is_empty(&self) -> bool {
        self.locals.is_empty()
            && self.inputs.is_none()
            && self.terraform.is_none()
            && self.remote_state.is_none()
            && self.generate.is_empty()
            && self.dependency_blocks.is_empty()
            && self.dependencies_paths.is_none()
            && self.features.is_empty()
            && self.exclude.is_none()
            && self.errors.is_none()
            && self.engine.is_none()
            && self.catalog.is_none()
            && self.scalars.is_empty()
    }
}

/// One included file's own evaluated configuration, as the unit's merge saw it.
#[derive(Clone, Debug)]
pub struct Layer {
    pub include: Include,
    pub config: FileConfig,
}

/// The outcome of resolving one top-level configuration (a unit, or a
/// `read_terragrunt_config` target).
pub struct Resolved {
    pub file: Option<FileId>,
    pub includes: Vec<Include>,
    /// The merged configuration (locals are the file's own).
    pub config: FileConfig,
    /// The file's own configuration, before the merge.
    pub own: FileConfig,
    /// The included files that could be opened, each with its own configuration.
    pub layers: Vec<Layer>,
    /// The merged dependency blocks with their resolved target paths.
    pub dependencies: Vec<(DepBlock, Option<PathBuf>)>,
    /// Whether loading failed badly enough that values are missing (parse error…).
    pub failed: bool,
}
