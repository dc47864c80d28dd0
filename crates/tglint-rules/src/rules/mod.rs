//! One file per rule; the file name is the rule id with `-` as `_`. Shared helpers for the
//! rules live in `common`.

pub mod backup_retention;
pub mod common;
pub mod container_insights;
pub mod deletion_protection;
pub mod encryption;
pub mod enhanced_monitoring;
pub mod instance_class;
pub mod multi_az;
pub mod shared_nested;
