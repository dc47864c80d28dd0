//! One file per rule; the file name is the rule id with `-` as `_`. Shared helpers for the
//! rules live in `common`, and those of the VPC rules in `shared_vpc`.

pub mod allowed_regions;
pub mod cidr_overlap;
pub mod common;
pub mod default_security_group;
pub mod deletion_protection;
pub mod flow_logs;
pub mod nat_gateway;
pub mod shared_vpc;
pub mod vpc_layout;
