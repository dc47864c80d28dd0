//! Every rule, sorted by id.

use crate::rule::Rule;
use crate::rules;

/// The built-in rules, sorted by id (a test checks it).
pub static RULES: &[&dyn Rule] = &[
    &rules::allowed_regions::AllowedRegions,
    &rules::backup_retention::BackupRetention,
    &rules::cidr_overlap::CidrOverlap,
    &rules::container_insights::ContainerInsights,
    &rules::default_security_group::DefaultSecurityGroup,
    &rules::deletion_protection::DeletionProtection,
    &rules::dependency_graph::DependencyGraph,
    &rules::encryption::Encryption,
    &rules::enhanced_monitoring::EnhancedMonitoring,
    &rules::flow_logs::FlowLogs,
    &rules::instance_class::InstanceClass,
    &rules::module_pinned::ModulePinned,
    &rules::multi_az::MultiAz,
    &rules::nat_gateway::NatGateway,
    &rules::remote_state::RemoteState,
    &rules::required_tags::RequiredTags,
    &rules::state_key_unique::StateKeyUnique,
    &rules::vpc_layout::VpcLayout,
];

/// The rule with this id.
pub fn rule(id: &str) -> Option<&'static dyn Rule> {
    RULES.iter().copied().find(|r| r.meta().id == id)
}
