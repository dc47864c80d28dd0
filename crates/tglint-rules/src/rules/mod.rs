//! One file per rule; the file name is the rule id with `-` as `_`. Shared helpers for the
//! rules live in `common`; those of one family of rules in `shared_*` (`shared_vpc`,
//! `shared_nested`, `shared_generated`, `shared_state`).

pub mod allowed_regions;
pub mod backup_retention;
pub mod cidr_overlap;
pub mod common;
pub mod container_insights;
pub mod default_security_group;
pub mod deletion_protection;
pub mod dependency_graph;
pub mod encryption;
pub mod enhanced_monitoring;
pub mod flow_logs;
pub mod instance_class;
pub mod module_pinned;
pub mod multi_az;
pub mod nat_gateway;
pub mod remote_state;
pub mod required_tags;
pub mod shared_generated;
pub mod shared_nested;
pub mod shared_state;
pub mod shared_vpc;
pub mod state_key_unique;
pub mod vpc_layout;
