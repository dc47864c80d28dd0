//! Reporters: how diagnostics leave tglint. Each format is a module, and all of them read
//! the same sorted diagnostics.

pub mod human;
pub mod json;
pub mod text;
