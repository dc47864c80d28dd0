use crate::context::Ctx;
use crate::declare_rule;
use crate::rule::{Level, Rule};
use crate::rules::common::{
    Input, bool_input, creates, num_input, present, require_bool, str_input,
};
use crate::rules::shared_nested::{
    EcsPart, Members, attr, ecs_part, env_among, field_str, full, key, lookup, members, note_at,
    num, report_missing_in,
};
use std::collections::BTreeSet;
use tglint_model::hcl::Data;
use tglint_model::unit::{Lookup, Unit};

declare_rule! {
    /// Requires prod to be spread over three availability zones: RDS Multi-AZ, a VPC over 3 AZs with one NAT gateway per AZ, ECS tasks spread across AZs and at least 3 ECS hosts.
    ///
    /// ## Why is this bad?
    /// The reference architecture's prod environment is "Multi-AZ: Enabled": its RDS table
    /// asks for `Multi-AZ: Yes` in prod (the eu-west-1 DR replica included), its VPC spans
    /// 3 AZs with "NAT: 3 per-AZ", and its ECS table asks for "Placement Strategy: Spread
    /// (AZ diversity)" with "3+" instances. One AZ failing must not take the database, the
    /// egress or the services down. Checked in the environments the rule covers (prod):
    ///
    /// - RDS (`terraform-aws-modules/rds/aws`): `multi_az = true` (module default false);
    /// - VPC (`vpc/aws`): `azs` lists exactly 3 distinct AZs (default `[]`); entries may be
    ///   names (`us-east-1a`) or IDs (`use1-az1`), told apart as the module does (`^[a-z]{2}-`);
    ///   a list mixing both cannot be proven distinct (the name-to-ID mapping differs per
    ///   account) and is "cannot verify";
    /// - VPC NAT: when `enable_nat_gateway` is true, `single_nat_gateway` is not true (it
    ///   takes precedence over `one_nat_gateway_per_az`) and `one_nat_gateway_per_az = true`.
    ///   With both false the module creates one NAT gateway per subnet index: when that
    ///   equals the number of AZs (3 subnets per list) it is one per AZ, reported as info
    ///   only; otherwise it is a finding. A VPC without NAT gateways is left to `nat-gateway`;
    /// - ECS services (`ecs/aws//modules/service`, or each of the root module's `services`)
    ///   that run on EC2 (`launch_type = "EC2"`, or a `capacity_provider_strategy` naming a
    ///   provider other than `FARGATE`/`FARGATE_SPOT`): an `ordered_placement_strategy` entry
    ///   `{ type = "spread", field = "attribute:ecs.availability-zone" }` (default none).
    ///   Fargate services (the module default) spread across AZs by themselves, and `DAEMON`
    ///   services run on every host: not applicable;
    /// - ECS hosts (`autoscaling/aws`): `min_size >= 3` (default null), and a known
    ///   `vpc_zone_identifier` lists at least 3 subnets.
    ///
    /// Subnet IDs usually come from dependency outputs: which AZ a subnet is in cannot be
    /// known from the inputs, so only their number is checked, and an output without
    /// `mock_outputs` is "cannot verify". Values from `mock_outputs` are checked. uat's
    /// "Multi-AZ: Disabled" is not required: nothing is reported outside the rule's
    /// environments. A module whose create switch is off is not checked.
    ///
    /// ## Example
    /// ```hcl
    /// # environments/prod/us-east-1/01-infra/network/vpc/terragrunt.hcl
    /// inputs = {
    ///   azs                = ["us-east-1a", "us-east-1b", "us-east-1c"]
    ///   enable_nat_gateway = true
    ///   single_nat_gateway = true
    /// }
    /// ```
    /// Use instead:
    /// ```hcl
    /// inputs = {
    ///   azs                    = ["us-east-1a", "us-east-1b", "us-east-1c"]
    ///   enable_nat_gateway     = true
    ///   single_nat_gateway     = false
    ///   one_nat_gateway_per_az = true
    /// }
    /// ```
    ///
    /// ## Options
    /// - `environments` (list of environment kinds, default `["prod"]`): where Multi-AZ is
    ///   required.
    /// - `az_count` (number, default `3`): how many AZs a VPC spans there, exactly.
    /// - `autoscaling_min_size` (number, default `3`): the least `min_size` of an ECS host
    ///   group there.
    ///
    /// ```hcl
    /// rule "multi-az" {
    ///   environments = ["prod", "uat"]
    /// }
    /// ```
    ///
    /// ## Known limitations
    /// Whether the subnets given to RDS (`db_subnet_group_name`), ECS services and
    /// autoscaling groups lie in 3 different AZs is not checkable from the inputs.
    MultiAz {
        id: "multi-az",
        category: Reliability,
        default_level: Error,
        scope: Unit,
        options: Options,
    }
}

/// The rule's options.
#[derive(Debug, serde::Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Options {
    pub environments: Vec<String>,
    pub az_count: usize,
    pub autoscaling_min_size: f64,
}

impl Default for Options {
    fn default() -> Options {
        Options {
            environments: vec!["prod".to_string()],
            az_count: 3,
            autoscaling_min_size: 3.0,
        }
    }
}

/// Whether an `azs` entry is an AZ name (`us-east-1a`) rather than an AZ ID
/// (`use1-az1`): the module's own test, `^[a-z]{2}-`.
pub fn is_az_name(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() >= 3 && b[0].is_ascii_lowercase() && b[1].is_ascii_lowercase() && b[2] == b'-'
}

impl Rule for MultiAz {
    fn meta(&self) -> &'static crate::rule::Meta {
        &Self::META
    }

    fn check(&self, u: &Unit, cx: &mut Ctx<'_>) {
        let opts = cx.options::<Options>();
        let Some(env) = env_among(cx, &opts.environments) else {
            return;
        };
        let Some(m) = cx.module() else { return };
        let kind = env.kind.clone();
        match m.name {
            "rds" => {
                if creates(cx, u, "create_db_instance") != Some(true) {
                    return;
                }
                require_bool(
                    cx,
                    u,
                    "multi_az",
                    true,
                    Some(false),
                    "",
                    &format!("{kind} RDS instance"),
                );
            }
            "vpc" => {
                if creates(cx, u, "create_vpc") != Some(true) {
                    return;
                }
                let what = format!("{kind} VPC");
                let n = azs(u, cx, &opts, &what);
                nat(u, cx, &what, n);
            }
            "ecs" => match ecs_part(u) {
                EcsPart::Service => {
                    for switch in ["create", "create_service"] {
                        if creates(cx, u, switch) != Some(true) {
                            return;
                        }
                    }
                    service(u, cx, "", &format!("{kind} ECS service"));
                }
                EcsPart::Root => {
                    if creates(cx, u, "create") != Some(true) {
                        return;
                    }
                    match lookup(u, "services") {
                        Lookup::Known(v) => {
                            let names: Vec<&String> =
                                v.as_map().map(|m| m.keys().collect()).unwrap_or_default();
                            for name in names {
                                let rel = key("services", name);
                                if nested_creates(u, cx, &rel) {
                                    let what = format!("{kind} ECS service \"{name}\"");
                                    service(u, cx, &rel, &what);
                                }
                            }
                        }
                        Lookup::Unknown { reason, .. } => {
                            cx.cannot_verify(
                                u,
                                "inputs.services",
                                "the ECS services' placement",
                                reason,
                            );
                        }
                        Lookup::Missing => {}
                    }
                }
                EcsPart::Cluster | EcsPart::Other => {}
            },
            "autoscaling" => {
                if creates(cx, u, "create") != Some(true) {
                    return;
                }
                hosts(u, cx, &opts, &format!("{kind} ECS host autoscaling group"));
            }
            _ => {}
        }
    }
}

/// Checks `azs`; the number of entries when it is known (for the NAT count).
fn azs(u: &Unit, cx: &mut Ctx<'_>, opts: &Options, what: &str) -> Option<usize> {
    let want = opts.az_count;
    let path = "inputs.azs";
    let help = format!(
        "list {want} AZs of the region, e.g. azs = [\"us-east-1a\", \"us-east-1b\", \"us-east-1c\"]"
    );
    let items = match lookup(u, "azs") {
        Lookup::Missing => {
            cx.report_missing(
                u,
                format!(
                    "{what}: azs is not set; the module default is [] (no AZs), and it needs {want}"
                ),
            )
            .subject(path)
            .help(help);
            return None;
        }
        Lookup::Known(v) if v.is_null() => {
            cx.report_value(
                u,
                path,
                format!("{what} has azs = null; it needs {want} AZs"),
            )
            .help(help);
            return None;
        }
        Lookup::Unknown { reason, .. } => {
            cx.cannot_verify(u, path, "the VPC's AZs", reason);
            return None;
        }
        Lookup::Known(v) => match v.as_seq() {
            Some(items) => items,
            None => {
                cx.report_value(
                    u,
                    path,
                    format!("{what} has azs set to a {}, not a list", v.type_name()),
                )
                .help(help);
                return None;
            }
        },
    };
    let len = items.len();
    if len < want {
        cx.report_value(
            u,
            path,
            format!(
                "{what} spans {len} AZ{} in azs; it needs {want}",
                if len == 1 { "" } else { "s" }
            ),
        )
        .help(help);
        return None;
    }
    let mut names = BTreeSet::new();
    let mut ids = BTreeSet::new();
    for x in items {
        match &x.data {
            Data::Unknown(unk) => {
                cx.cannot_verify(u, path, "the VPC's AZs", &unk.reason);
                return None;
            }
            Data::String(s) if is_az_name(s) => {
                names.insert(s.as_str());
            }
            Data::String(s) => {
                ids.insert(s.as_str());
            }
            _ => {
                cx.report_value(
                    u,
                    path,
                    format!(
                        "{what} has an azs entry that is a {}, not a string",
                        x.type_name()
                    ),
                )
                .help(help);
                return None;
            }
        }
    }
    let distinct = names.len() + ids.len();
    if distinct < want {
        cx.report_value(
            u,
            path,
            format!(
                "{what} lists {len} AZs in azs but only {distinct} distinct ones; it needs {want}"
            ),
        )
        .help(help);
        return None;
    }
    if !names.is_empty() && !ids.is_empty() {
        cx.cannot_verify(
            u,
            path,
            "that the VPC's AZs are distinct",
            "azs mixes AZ names and AZ IDs, and which name is which ID differs per account",
        )
        .help("list only AZ names, or only AZ IDs");
        return Some(len);
    }
    if len > want {
        cx.report_value(
            u,
            path,
            format!("{what} spans {len} AZs in azs; the architecture uses exactly {want}"),
        )
        .help(help);
    }
    Some(len)
}

/// The length of the list at `inputs.<rel>` (0 when absent); `Err` with why when unknown.
fn list_len<'a>(u: &'a Unit, rel: &str) -> Result<usize, &'a str> {
    match lookup(u, rel) {
        Lookup::Missing => Ok(0),
        Lookup::Unknown { reason, .. } => Err(reason),
        Lookup::Known(v) => Ok(v.as_seq().map(<[_]>::len).unwrap_or(0)),
    }
}

/// One NAT gateway per AZ, when NAT gateways are created.
fn nat(u: &Unit, cx: &mut Ctx<'_>, what: &str, azs: Option<usize>) {
    let help = "set single_nat_gateway = false and one_nat_gateway_per_az = true";
    match bool_input(u, "enable_nat_gateway", Some(false), "") {
        Input::Set(true, _) => {}
        Input::Unknown(reason) => {
            cx.cannot_verify(
                u,
                "inputs.enable_nat_gateway",
                "whether the VPC has one NAT gateway per AZ (enable_nat_gateway)",
                reason,
            );
            return;
        }
        // No NAT gateways: nothing to spread (NAT being on is `nat-gateway`'s).
        _ => return,
    }
    match bool_input(u, "single_nat_gateway", Some(false), "") {
        Input::Set(true, _) => {
            let also = matches!(
                bool_input(u, "one_nat_gateway_per_az", Some(false), ""),
                Input::Set(true, _)
            );
            let msg = if also {
                format!(
                    "{what} has single_nat_gateway = true: one NAT gateway serves every AZ, even with one_nat_gateway_per_az = true (single_nat_gateway takes precedence)"
                )
            } else {
                format!("{what} has single_nat_gateway = true: one NAT gateway serves every AZ")
            };
            cx.report_value(u, "inputs.single_nat_gateway", msg)
                .help(help);
            return;
        }
        Input::Unknown(reason) => {
            cx.cannot_verify(
                u,
                "inputs.single_nat_gateway",
                "whether the VPC has one NAT gateway per AZ (single_nat_gateway)",
                reason,
            );
            return;
        }
        Input::WrongType(..) => return,
        _ => {}
    }
    match bool_input(u, "one_nat_gateway_per_az", Some(false), "") {
        Input::Set(true, _) => return,
        Input::Unknown(reason) => {
            cx.cannot_verify(
                u,
                "inputs.one_nat_gateway_per_az",
                "whether the VPC has one NAT gateway per AZ (one_nat_gateway_per_az)",
                reason,
            );
            return;
        }
        Input::WrongType(..) => return,
        _ => {}
    }
    // Neither flag: one NAT gateway per subnet index (the longest of these lists).
    let mut longest = 0;
    for kind in ["private", "public", "elasticache", "database", "redshift"] {
        for rel in [
            format!("{kind}_subnets"),
            format!("{kind}_subnet_ipv6_prefixes"),
        ] {
            match list_len(u, &rel) {
                Ok(n) => longest = longest.max(n),
                Err(reason) => {
                    cx.cannot_verify(
                        u,
                        &full(&rel),
                        "the number of NAT gateways (one per subnet index, as one_nat_gateway_per_az is not true)",
                        reason,
                    );
                    return;
                }
            }
        }
    }
    let Some(n) = azs else { return };
    let per_az = "one_nat_gateway_per_az";
    if longest == n && n > 0 {
        note_at(
            cx,
            u,
            Level::Info,
            per_az,
            format!("{what}: one_nat_gateway_per_az is not true, so the module creates one NAT gateway per subnet index: {longest}, which is one per AZ for these {n} AZs"),
        )
        .help("set one_nat_gateway_per_az = true, so that the NAT count follows the AZs and not the subnet lists");
        return;
    }
    let msg = format!(
        "{what}: one_nat_gateway_per_az is not true, so the module creates one NAT gateway per subnet index: {longest} for {n} AZs, not one per AZ"
    );
    if present(u, &full(per_az)) {
        cx.report_value(u, &full(per_az), msg).help(help);
    } else {
        cx.report_missing(u, msg).subject(full(per_az)).help(help);
    }
}

/// The create switches of one of the ECS root module's `services` (`create`,
/// `create_service`; default true).
fn nested_creates(u: &Unit, cx: &mut Ctx<'_>, base: &str) -> bool {
    for switch in ["create", "create_service"] {
        let rel = attr(base, switch);
        match bool_input(u, &rel, Some(true), "") {
            Input::Set(false, _) => return false,
            Input::Unknown(reason) => {
                cx.cannot_verify(
                    u,
                    &full(&rel),
                    &format!("whether the service is created ({switch})"),
                    reason,
                );
                return false;
            }
            _ => {}
        }
    }
    true
}

/// The capacity providers that run tasks on Fargate.
const FARGATE_PROVIDERS: &[&str] = &["FARGATE", "FARGATE_SPOT"];

/// An ECS service at `base` (relative to `inputs`; empty for the service submodule): on
/// EC2, its tasks are spread across AZs.
fn service(u: &Unit, cx: &mut Ctx<'_>, base: &str, what: &str) {
    let strategy_rel = attr(base, "scheduling_strategy");
    match str_input(u, &strategy_rel, None, "") {
        Input::Set(s, _) if s.eq_ignore_ascii_case("DAEMON") => return,
        Input::Unknown(reason) => {
            cx.cannot_verify(
                u,
                &full(&strategy_rel),
                &format!("the placement of {what} (scheduling_strategy)"),
                reason,
            );
            return;
        }
        _ => {}
    }
    // EC2 or Fargate: a capacity provider strategy replaces the launch type.
    let cps_rel = attr(base, "capacity_provider_strategy");
    match members(u, &cps_rel) {
        Members::Known(items) if !items.is_empty() => {
            let mut ec2 = false;
            let mut unknown = None;
            for (rel, item) in &items {
                match field_str(item, "capacity_provider") {
                    Ok(Some(p)) if FARGATE_PROVIDERS.contains(&p.as_str()) => {}
                    Ok(Some(_)) => ec2 = true,
                    Ok(None) => {}
                    Err(reason) => {
                        unknown.get_or_insert((attr(rel, "capacity_provider"), reason));
                    }
                }
            }
            if !ec2 {
                if let Some((rel, reason)) = unknown {
                    cx.cannot_verify(
                        u,
                        &full(&rel),
                        &format!("whether {what} runs on EC2 (its capacity provider)"),
                        reason,
                    );
                }
                return;
            }
        }
        Members::Unknown(reason) => {
            cx.cannot_verify(
                u,
                &full(&cps_rel),
                &format!("whether {what} runs on EC2 (capacity_provider_strategy)"),
                reason,
            );
            return;
        }
        _ => {
            let lt_rel = attr(base, "launch_type");
            match str_input(u, &lt_rel, Some("FARGATE"), "") {
                Input::Set(t, _) | Input::Default(t) if t.eq_ignore_ascii_case("EC2") => {}
                Input::Unknown(reason) => {
                    cx.cannot_verify(
                        u,
                        &full(&lt_rel),
                        &format!("whether {what} runs on EC2 (launch_type)"),
                        reason,
                    );
                    return;
                }
                // Fargate (the module default) or EXTERNAL: no placement strategies.
                _ => return,
            }
        }
    }
    let ops_rel = attr(base, "ordered_placement_strategy");
    let help = "add ordered_placement_strategy = [{ type = \"spread\", field = \"attribute:ecs.availability-zone\" }]";
    match members(u, &ops_rel) {
        Members::Absent => {
            report_missing_in(
                cx,
                u,
                base,
                format!("{what} runs on EC2 but ordered_placement_strategy is not set (the module default is none), so its tasks are not spread across AZs"),
            ).subject(full(&ops_rel))
            .help(help);
        }
        Members::Unknown(reason) => {
            cx.cannot_verify(
                u,
                &full(&ops_rel),
                &format!("the placement of {what}"),
                reason,
            );
        }
        Members::WrongType(t) => {
            cx.report_value(
                u,
                &full(&ops_rel),
                format!("{what} has ordered_placement_strategy set to a {t}, not a map or list"),
            )
            .help(help);
        }
        Members::Known(items) => {
            let mut unknown = None;
            for (rel, item) in &items {
                let t = field_str(item, "type");
                let f = field_str(item, "field");
                match (t, f) {
                    (Ok(Some(t)), Ok(Some(f)))
                        if t.eq_ignore_ascii_case("spread")
                            && f == "attribute:ecs.availability-zone" =>
                    {
                        return;
                    }
                    (Err(reason), _) | (_, Err(reason)) => {
                        unknown.get_or_insert((rel.clone(), reason));
                    }
                    _ => {}
                }
            }
            if let Some((rel, reason)) = unknown {
                cx.cannot_verify(u, &full(&rel), &format!("the placement of {what}"), reason);
                return;
            }
            cx.report_value(
                u,
                &full(&ops_rel),
                format!("{what} runs on EC2 but its ordered_placement_strategy does not spread tasks over attribute:ecs.availability-zone"),
            )
            .help(help);
        }
    }
}

/// An ECS host group: at least `autoscaling_min_size` hosts, on enough subnets.
fn hosts(u: &Unit, cx: &mut Ctx<'_>, opts: &Options, what: &str) {
    let want = opts.autoscaling_min_size;
    let help = format!("set min_size to at least {}, one host per AZ", num(want));
    match num_input(u, "min_size", None, "") {
        Input::Set(n, _) if n < want => {
            cx.report_value(
                u,
                "inputs.min_size",
                format!(
                    "{what} has min_size = {}: fewer than {} hosts cannot cover {} AZs",
                    num(n),
                    num(want),
                    num(want)
                ),
            )
            .help(help);
        }
        Input::Set(..) => {}
        Input::Default(_) | Input::NoDefault(_) => {
            cx.report_missing(
                u,
                format!("{what}: min_size is not set; the module default is null, and it needs at least {} hosts, one per AZ", num(want)),
            ).subject("inputs.min_size")
            .help(help);
        }
        Input::Unknown(reason) => {
            cx.cannot_verify(
                u,
                "inputs.min_size",
                "the ECS host count (min_size)",
                reason,
            );
        }
        Input::WrongType(t, _) => {
            cx.report_value(
                u,
                "inputs.min_size",
                format!("{what} has min_size set to a {t}, not a number"),
            )
            .help(help);
        }
    }
    let path = "inputs.vpc_zone_identifier";
    match lookup(u, "vpc_zone_identifier") {
        Lookup::Missing => {}
        Lookup::Known(v) if v.is_null() => {}
        Lookup::Unknown { reason, .. } => {
            cx.cannot_verify(
                u,
                path,
                "the ECS hosts' subnets (vpc_zone_identifier)",
                reason,
            );
        }
        Lookup::Known(v) => {
            let Some(items) = v.as_seq() else { return };
            let mut distinct = BTreeSet::new();
            for x in items {
                match &x.data {
                    Data::Unknown(unk) => {
                        cx.cannot_verify(
                            u,
                            path,
                            "the ECS hosts' subnets (vpc_zone_identifier)",
                            &unk.reason,
                        );
                        return;
                    }
                    _ => {
                        distinct.insert(x.to_str_conv().unwrap_or_default());
                    }
                }
            }
            let need = opts.az_count;
            if distinct.len() < need {
                cx.report_value(
                    u,
                    path,
                    format!(
                        "{what} has {} subnet{} in vpc_zone_identifier; {need} AZs need one subnet in each",
                        distinct.len(),
                        if distinct.len() == 1 { "" } else { "s" }
                    ),
                )
                .help("give the group the private subnets of all three AZs");
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn az_names_and_ids_are_told_apart_as_the_module_does() {
        assert!(is_az_name("us-east-1a"));
        assert!(is_az_name("eu-west-1c"));
        assert!(!is_az_name("use1-az1"));
        assert!(!is_az_name("euw1-az2"));
        assert!(!is_az_name("US-east-1a"));
    }
}
