//! The rules of tglint: the `Rule` trait and registry (one file per rule under `rules/`),
//! the policy (`policy`: the embedded reference-architecture pack and the user's
//! `.tglint.hcl`, environment classification), the user's `check` blocks, suppression
//! comments, the engine that runs them over a loaded tree, and the rules' documentation
//! pages (`docs`). See `docs/architecture.md`.
#![forbid(unsafe_code)]

pub mod checks;
pub mod context;
pub mod docs;
pub mod engine;
pub mod options;
pub mod policy;
pub mod registry;
pub mod rule;
pub mod rules;
pub mod suppress;

pub use context::Ctx;
pub use registry::RULES;
pub use rule::{Category, Level, Meta, Rule, Scope};
pub use tglint_model as model;
