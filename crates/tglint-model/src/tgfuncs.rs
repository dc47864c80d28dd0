//! Terragrunt's built-in functions (spec §5.1) with tglint's static answers (DESIGN §3.4).
//! They read their parsing context from `CallCtx::ext` (a [`TgCtx`]).

use std::sync::OnceLock;
use tglint_hcl::Functions;

/// Terragrunt's functions, built once.
pub fn terragrunt() -> &'static Functions {
    static CELL: OnceLock<Functions> = OnceLock::new();
    CELL.get_or_init(Functions::new)
}
