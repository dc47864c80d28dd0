//! Evaluation of one Terragrunt configuration file. (Being written.)

use crate::context::TgCtx;
use std::path::{Path, PathBuf};
use tglint_hcl::{Span, Value};

/// Why `read_terragrunt_config` produced no object.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ReadConfigError {
    /// No file at the (already resolved) path: the default applies, if given.
    NotFound(PathBuf),
    /// Anything else, worded for the user.
    Failed(String),
}

/// Parses `target` (absolute, a file) as a top-level configuration in the context of
/// `ctx` and returns the object `read_terragrunt_config` returns (spec §3).
pub fn read_config_object(
    ctx: &TgCtx,
    target: &Path,
    span: Span,
) -> Result<Value, ReadConfigError> {
    let _ = (ctx, span);
    Err(ReadConfigError::NotFound(target.to_path_buf()))
}
