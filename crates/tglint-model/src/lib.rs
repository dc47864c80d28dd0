//! Terragrunt semantics over `tglint-hcl`: the file system and source cache, discovery of
//! units, include resolution and merging, Terragrunt's functions, and the resolved
//! `Unit`/`Tree` model with its JSON view (see `docs/architecture.md`).
#![forbid(unsafe_code)]

pub mod diag;
pub mod discover;
pub mod fs;
pub mod functions;
pub mod graph;
pub mod load;
pub mod module;
pub mod render;
pub mod render_hcl;
pub mod source;
pub mod terragrunt;
pub mod unit;

pub use tglint_hcl as hcl;
