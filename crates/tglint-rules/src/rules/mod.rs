//! One file per rule; the file name is the rule id with `-` as `_`. Shared helpers for the
//! rules live in `common`.

pub mod common;
pub mod deletion_protection;
pub mod dependency_graph;
pub mod module_pinned;
pub mod remote_state;
pub mod required_tags;
pub mod shared_generated;
pub mod shared_state;
pub mod state_key_unique;
