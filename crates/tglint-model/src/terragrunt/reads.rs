//! What a unit's resolution read: every file it opened or probed, and from where.

use std::path::Path;
use std::sync::Arc;
use tglint_hcl::{FileId, Span};

/// How a file came into a unit's resolution.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Via {
    /// An `include` block.
    Include,
    /// `read_terragrunt_config(…)`.
    ReadTerragruntConfig,
    /// One of Terraform's file functions (`file`, `templatefile`, `fileexists`,
    /// `fileset`, `filebase64`, …).
    FileFunction,
    /// A candidate `find_in_parent_folders` looked at (found or not).
    FindInParentFolders,
    /// `read_tfvars_file(…)`.
    ReadTfvarsFile,
    /// Any other Terragrunt function that looks at a path (`get_repo_root`'s search for
    /// `.git`, `mark_as_read`, …).
    Probe,
}

impl Via {
    /// How the edge is named in a label ("read here with read_terragrunt_config").
    pub fn describe(self) -> &'static str {
        match self {
            Via::Include => "include",
            Via::ReadTerragruntConfig => "read_terragrunt_config",
            Via::FileFunction => "a file function",
            Via::FindInParentFolders => "find_in_parent_folders",
            Via::ReadTfvarsFile => "read_tfvars_file",
            Via::Probe => "a path function",
        }
    }

    /// Whether values of the target's configuration can reach the reader through this
    /// edge (an include, or the object `read_terragrunt_config` returns).
    pub fn carries_config(self) -> bool {
        matches!(self, Via::Include | Via::ReadTerragruntConfig)
    }
}

/// One edge: the expression at `from` (in the file `from.file`) read or probed `target`.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Read {
    pub from: Span,
    /// Absolute and cleaned, as written (not through links); the source cache's path of
    /// the file, shared.
    pub target: Arc<Path>,
    /// The target's id in the source cache.
    pub target_file: FileId,
    pub via: Via,
}
