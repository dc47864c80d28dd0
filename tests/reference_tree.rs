//! The reference architecture's tree (`fixtures/reference-architecture/`) passes the
//! embedded policy with no error or warning; a copy of it with one violation per rule
//! flags exactly that rule, at the line that defines the offending value, with the chain
//! that carried it to the unit.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::{reference_copy as copy, tglint};

#[test]
fn the_reference_tree_is_clean() {
    let t = copy("clean");
    let r = tglint(&t, &["check", "--format", "json", "."]);
    assert_eq!(r.code, Some(0), "{}{}", r.stdout, r.stderr);
    let report = &r.lines[0];
    assert_eq!(report["summary"]["units"], 15);
    let loud: Vec<&serde_json::Value> = report["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["severity"] != "info")
        .collect();
    assert!(loud.is_empty(), "{loud:#?}");
}

/// One violation: in `file`, `from` becomes `to`; `rule` must then report at
/// `at` (file:line), on `units` units, with a chain when `chained`.
struct Violation {
    rule: &'static str,
    file: &'static str,
    from: &'static str,
    to: &'static str,
    at: &'static str,
    units: usize,
    chained: bool,
}

const VIOLATIONS: &[Violation] = &[
    Violation {
        rule: "allowed-regions",
        file: "environments/prod/eu-west-1/region.hcl",
        from: r#""eu-west-1a", "eu-west-1b", "eu-west-1c""#,
        to: r#""eu-west-1a", "eu-west-1b", "us-east-1c""#,
        at: "environments/prod/eu-west-1/region.hcl:4",
        units: 1,
        chained: true,
    },
    Violation {
        rule: "backup-retention",
        file: "environments/dev/us-east-1/02-data/rds/terragrunt.hcl",
        from: "backup_retention_period = 7",
        to: "backup_retention_period = 3",
        at: "environments/dev/us-east-1/02-data/rds/terragrunt.hcl:13",
        units: 1,
        chained: false,
    },
    Violation {
        rule: "cidr-overlap",
        file: "environments/staging/us-east-1/region.hcl",
        from: r#""10.20.0.0/16""#,
        to: r#""10.10.0.0/16""#,
        at: "environments/staging/us-east-1/region.hcl:5",
        units: 1,
        chained: true,
    },
    Violation {
        rule: "container-insights",
        file: "_envcommon/services/ecs-cluster.hcl",
        from: r#"? "enabled" : "disabled""#,
        to: r#"? "disabled" : "disabled""#,
        at: "_envcommon/services/ecs-cluster.hcl:23",
        units: 2,
        chained: true,
    },
    Violation {
        rule: "default-security-group",
        file: "_envcommon/networking/vpc.hcl",
        from: "manage_default_security_group  = true",
        to: "manage_default_security_group  = false",
        at: "_envcommon/networking/vpc.hcl:26",
        units: 5,
        chained: true,
    },
    Violation {
        rule: "deletion-protection",
        file: "environments/prod/env.hcl",
        from: "deletion_protection = true",
        to: "deletion_protection = false",
        at: "environments/prod/env.hcl:5",
        units: 2,
        chained: true,
    },
    Violation {
        rule: "dependency-graph",
        file: "_envcommon/data/rds.hcl",
        from: "../../01-infra/network/vpc",
        to: "../../03-services/ecs-cluster",
        at: "_envcommon/data/rds.hcl:12",
        units: 5,
        chained: true,
    },
    Violation {
        rule: "encryption",
        file: "_envcommon/data/rds.hcl",
        from: "storage_encrypted   = true",
        to: "storage_encrypted   = false",
        at: "_envcommon/data/rds.hcl:27",
        units: 3,
        chained: true,
    },
    Violation {
        rule: "enhanced-monitoring",
        file: "environments/prod/us-east-1/02-data/rds/terragrunt.hcl",
        from: "monitoring_interval     = 60",
        to: "monitoring_interval     = 0",
        at: "environments/prod/us-east-1/02-data/rds/terragrunt.hcl:15",
        units: 1,
        chained: false,
    },
    Violation {
        rule: "flow-logs",
        file: "environments/prod/us-east-1/01-infra/network/vpc/terragrunt.hcl",
        from: "enable_flow_log                                 = true",
        to: "enable_flow_log                                 = false",
        at: "environments/prod/us-east-1/01-infra/network/vpc/terragrunt.hcl:15",
        units: 1,
        chained: false,
    },
    Violation {
        rule: "instance-class",
        file: "environments/staging/us-east-1/02-data/rds/terragrunt.hcl",
        from: r#""db.t3.small""#,
        to: r#""db.r6g.large""#,
        at: "environments/staging/us-east-1/02-data/rds/terragrunt.hcl:11",
        units: 1,
        chained: false,
    },
    Violation {
        rule: "module-pinned",
        file: "_envcommon/services/ecs-cluster.hcl",
        from: "?version=5.12.1",
        to: "",
        at: "_envcommon/services/ecs-cluster.hcl:7",
        units: 5,
        chained: true,
    },
    Violation {
        rule: "multi-az",
        file: "environments/prod/us-east-1/02-data/rds/terragrunt.hcl",
        from: "multi_az                = true",
        to: "multi_az                = false",
        at: "environments/prod/us-east-1/02-data/rds/terragrunt.hcl:14",
        units: 1,
        chained: false,
    },
    Violation {
        rule: "nat-gateway",
        file: "environments/staging/us-east-1/01-infra/network/vpc/terragrunt.hcl",
        from: "single_nat_gateway = true",
        to: "single_nat_gateway = false",
        at: "environments/staging/us-east-1/01-infra/network/vpc/terragrunt.hcl:12",
        units: 1,
        chained: false,
    },
    Violation {
        rule: "remote-state",
        file: "root.hcl",
        from: "encrypt        = true",
        to: "encrypt        = false",
        at: "root.hcl:19",
        units: 15,
        chained: true,
    },
    Violation {
        rule: "required-tags",
        file: "root.hcl",
        from: r#"ManagedBy       = "Terraform""#,
        to: r#"Owner           = "Terraform""#,
        at: "root.hcl:31",
        units: 15,
        chained: true,
    },
    Violation {
        rule: "state-key-unique",
        file: "root.hcl",
        from: r#""${path_relative_to_include()}/terraform.tfstate""#,
        to: r#""terraform.tfstate""#,
        at: "root.hcl:17",
        units: 15,
        chained: true,
    },
    Violation {
        rule: "vpc-layout",
        file: "_envcommon/networking/vpc.hcl",
        from: "enable_dns_support   = true",
        to: "enable_dns_support   = false",
        at: "_envcommon/networking/vpc.hcl:21",
        units: 5,
        chained: true,
    },
];

#[test]
fn one_violation_per_rule_flags_exactly_that_rule_at_the_defining_line() {
    for v in VIOLATIONS {
        let t = copy(&format!("violation-{}", v.rule));
        let path = t.path(v.file);
        let text = std::fs::read_to_string(&path).unwrap();
        assert!(
            text.contains(v.from),
            "{}: `{}` not in {}",
            v.rule,
            v.from,
            v.file
        );
        std::fs::write(&path, text.replacen(v.from, v.to, 1)).unwrap();
        // `--fail-on warning`: the warning-level rules fail the run too.
        let r = tglint(
            &t,
            &["check", "--format", "json", "--fail-on", "warning", "."],
        );
        assert_eq!(r.code, Some(1), "{}: {}{}", v.rule, r.stdout, r.stderr);
        let found: Vec<&serde_json::Value> = r.lines[0]["diagnostics"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|d| d["severity"] != "info")
            .collect();
        let rules: std::collections::BTreeSet<&str> =
            found.iter().map(|d| d["rule"].as_str().unwrap()).collect();
        assert_eq!(
            rules.into_iter().collect::<Vec<_>>(),
            [v.rule],
            "{found:#?}"
        );
        assert_eq!(found.len(), v.units, "{}: {found:#?}", v.rule);
        for d in &found {
            assert_eq!(
                format!("{}:{}", d["file"].as_str().unwrap(), d["line"]),
                v.at,
                "{}",
                v.rule
            );
            let related = d["related"].as_array().unwrap();
            assert_eq!(!related.is_empty(), v.chained, "{}: {d:#}", v.rule);
        }
    }
}

#[test]
fn every_built_in_rule_has_one_violation_above() {
    let table: Vec<&str> = VIOLATIONS.iter().map(|v| v.rule).collect();
    let rules: Vec<&str> = tglint_rules::registry::RULES
        .iter()
        .map(|r| r.meta().id)
        .collect();
    assert_eq!(table, rules);
}
