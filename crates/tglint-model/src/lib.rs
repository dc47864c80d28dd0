//! Terragrunt semantics over `tglint-hcl`: sources, discovery, include resolution and the
//! resolved `Unit`/`Tree` model. Not built yet (issue 3); this crate only re-exports the core.
#![forbid(unsafe_code)]

pub use tglint_hcl as hcl;
