//! Terragrunt semantics over `tglint-hcl`: the file system and source cache, discovery of
//! units, include resolution and merging, Terragrunt's functions, and the resolved
//! `Unit`/`Tree` model with its JSON view (see `docs/architecture.md`).
#![forbid(unsafe_code)]

pub mod config;
pub mod context;
pub mod diag;
pub mod fs;
pub mod functions;
pub mod load;
pub mod merge;
pub mod module;
pub mod refs;
pub mod render;
pub mod source;

pub use tglint_hcl as hcl;
