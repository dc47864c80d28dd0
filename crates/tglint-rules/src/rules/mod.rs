//! One file per rule; the file name is the rule id with `-` as `_`. Shared helpers for the
//! rules live in `common`.

pub mod backup_retention;
pub mod common;
pub mod container_insights;
pub mod deletion_protection;
pub mod dependency_graph;
pub mod encryption;
pub mod enhanced_monitoring;
pub mod instance_class;
pub mod module_pinned;
pub mod multi_az;
pub mod remote_state;
pub mod required_tags;
pub mod shared_generated;
pub mod shared_nested;
pub mod shared_state;
pub mod state_key_unique;
