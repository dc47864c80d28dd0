//! Every rule, sorted by id.

use crate::rule::Rule;
use crate::rules;

/// The built-in rules, sorted by id (a test checks it).
pub static RULES: &[&dyn Rule] = &[
    &rules::allowed_regions::AllowedRegions,
    &rules::cidr_overlap::CidrOverlap,
    &rules::default_security_group::DefaultSecurityGroup,
    &rules::deletion_protection::DeletionProtection,
    &rules::flow_logs::FlowLogs,
    &rules::nat_gateway::NatGateway,
    &rules::vpc_layout::VpcLayout,
];

/// The rule with this id.
pub fn rule(id: &str) -> Option<&'static dyn Rule> {
    RULES.iter().copied().find(|r| r.meta().id == id)
}
