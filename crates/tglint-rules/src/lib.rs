//! The `Rule` trait, the registry and the policy. Not built yet; see `docs/architecture.md`.
#![forbid(unsafe_code)]

pub use tglint_model as model;
