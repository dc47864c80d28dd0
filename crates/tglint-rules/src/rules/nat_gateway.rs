use crate::context::Ctx;
use crate::declare_rule;
use crate::rule::{Level, Rule};
use crate::rules::common::{Input, bool_input, present};
use crate::rules::shared_vpc::{List, creates_vpc, place, str_list, vpc_of, vpc_what};
use std::collections::BTreeMap;
use tglint_model::unit::Unit;

declare_rule! {
    /// Requires each environment's NAT gateway mode: none in dev, a single one in staging and uat, one per availability zone in prod.
    ///
    /// ## Why is this bad?
    /// The reference architecture's VPC table: NAT gateway "Disabled" in dev, "Enabled" in
    /// staging and uat (the configuration's "single_nat_gateway mode"), "Enabled (per-AZ)"
    /// in prod (with "NAT: 3 per-AZ" in the multi-region diagram; module-inputs.md §3.2
    /// resolves the contradiction this way). A NAT gateway costs by the hour: a dev VPC
    /// with one, or a staging VPC with three, costs money the architecture does not plan
    /// for; a prod VPC with a single NAT gateway loses outbound traffic from every AZ when
    /// that AZ fails. The mode follows the module's own precedence
    /// (`terraform-aws-modules/vpc/aws` main.tf, `nat_gateway_count`):
    ///
    /// - `enable_nat_gateway` (default false) false: no NAT gateway;
    /// - else `single_nat_gateway` (default false) true: a single one, **whatever
    ///   `one_nat_gateway_per_az` says**, so prod must set it to false explicitly;
    /// - else `one_nat_gateway_per_az` (default false) true: one per entry of `azs`;
    /// - else one per subnet index (the longest of the public, private, database,
    ///   elasticache and redshift lists). Where the architecture wants one per AZ and this
    ///   count equals the number of AZs, that is reported as info only.
    ///
    /// With `reuse_nat_ips = true`, `external_nat_ip_ids` must hold an Elastic IP for
    /// every NAT gateway. Units of other modules, and VPCs with `create_vpc = false`, are
    /// not checked; an environment kind the option does not name requires nothing.
    ///
    /// ## Example
    /// ```hcl
    /// # environments/prod/us-east-1/01-infra/network/vpc/terragrunt.hcl
    /// inputs = {
    ///   enable_nat_gateway     = true
    ///   single_nat_gateway     = true # wins over one_nat_gateway_per_az
    ///   one_nat_gateway_per_az = true
    /// }
    /// ```
    /// Use instead:
    /// ```hcl
    /// inputs = {
    ///   enable_nat_gateway     = true
    ///   single_nat_gateway     = false
    ///   one_nat_gateway_per_az = true
    /// }
    /// ```
    ///
    /// ## Options
    /// - `mode` (default `{ dev = "none", staging = "single", uat = "single", prod =
    ///   "per-az" }`): the NAT gateway mode of each environment kind, one of `none`,
    ///   `single`, `per-az` and `per-subnet`. A kind it does not name is not checked.
    NatGateway {
        id: "nat-gateway",
        category: Reliability,
        default_level: Warning,
        scope: Unit,
        options: Options,
    }
}

/// A VPC's NAT gateway mode.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Mode {
    None,
    Single,
    PerAz,
    PerSubnet,
}

impl Mode {
    fn describe(self) -> &'static str {
        match self {
            Mode::None => "no NAT gateway",
            Mode::Single => "a single NAT gateway",
            Mode::PerAz => "one NAT gateway per availability zone",
            Mode::PerSubnet => "one NAT gateway per subnet index",
        }
    }

    fn help(self) -> &'static str {
        match self {
            Mode::None => "set enable_nat_gateway = false",
            Mode::Single => "set enable_nat_gateway = true and single_nat_gateway = true",
            Mode::PerAz => {
                "set enable_nat_gateway = true, single_nat_gateway = false and one_nat_gateway_per_az = true"
            }
            Mode::PerSubnet => {
                "set enable_nat_gateway = true, and single_nat_gateway and one_nat_gateway_per_az to false"
            }
        }
    }
}

#[derive(Debug, serde::Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Options {
    /// The mode of each environment kind.
    pub mode: BTreeMap<String, Mode>,
}

impl Default for Options {
    fn default() -> Options {
        Options {
            mode: BTreeMap::from([
                ("dev".to_string(), Mode::None),
                ("staging".to_string(), Mode::Single),
                ("uat".to_string(), Mode::Single),
                ("prod".to_string(), Mode::PerAz),
            ]),
        }
    }
}

/// The three switches, as far as they decide the mode.
struct Switches {
    mode: Mode,
    /// `one_nat_gateway_per_az = true` was overridden by `single_nat_gateway = true`.
    per_az_ignored: bool,
}

const SWITCHES: [&str; 3] = [
    "enable_nat_gateway",
    "single_nat_gateway",
    "one_nat_gateway_per_az",
];

impl Rule for NatGateway {
    fn meta(&self) -> &'static crate::rule::Meta {
        &Self::META
    }

    fn check(&self, u: &Unit, cx: &mut Ctx<'_>) {
        if vpc_of(cx.module(), u).is_none() || !creates_vpc(cx, u) {
            return;
        }
        let Some(s) = switches(cx, u) else { return };
        if s.mode != Mode::None {
            check_reused_ips(cx, u, s.mode);
        }
        let Some(env) = cx.environment() else { return };
        let kind = env.kind.clone();
        let o = cx.options::<Options>();
        let Some(&want) = o.mode.get(&kind) else {
            return;
        };
        if want == s.mode {
            return;
        }
        let what = vpc_what(Some(&kind));
        let got = s.mode;
        // The switch to change.
        let at = match (want, got) {
            (_, Mode::None) | (Mode::None, _) => "enable_nat_gateway",
            (Mode::Single, _) | (Mode::PerAz, Mode::Single) | (Mode::PerSubnet, Mode::Single) => {
                "single_nat_gateway"
            }
            _ => "one_nat_gateway_per_az",
        };
        let because = match got {
            Mode::Single if s.per_az_ignored => {
                " (single_nat_gateway = true takes precedence over one_nat_gateway_per_az = true)"
            }
            Mode::PerSubnet => " (single_nat_gateway and one_nat_gateway_per_az are both false)",
            _ => "",
        };
        if want == Mode::PerAz && got == Mode::PerSubnet {
            per_subnet_for_per_az(cx, u, &what);
            return;
        }
        let mut message = format!(
            "{what} has {}{because}; the architecture has {} in {kind}",
            got.describe(),
            want.describe()
        );
        if !present(u, &format!("inputs.{at}")) {
            message.push_str(&format!(" ({at} is not set; the module default is false)"));
            cx.report_missing(u, message)
                .subject(format!("inputs.{at}"))
                .help(want.help());
        } else {
            cx.report_value(u, &format!("inputs.{at}"), message)
                .help(want.help());
        }
    }
}

/// The mode the switches give, or `None` after "cannot verify".
fn switches(cx: &mut Ctx<'_>, u: &Unit) -> Option<Switches> {
    let mut on = [false; 3];
    for (i, name) in SWITCHES.iter().enumerate() {
        on[i] = match bool_input(u, name, Some(false), "") {
            Input::Set(b, _) | Input::Default(b) => b,
            Input::Unknown(reason) => {
                cx.cannot_verify(
                    u,
                    &format!("inputs.{name}"),
                    "the VPC's NAT gateway mode",
                    reason,
                );
                return None;
            }
            // A switch of the wrong type is Terraform's error to report.
            Input::NoDefault(_) | Input::WrongType(..) => false,
        };
        // The module's precedence: a deciding switch makes the later ones irrelevant.
        let decided = match i {
            0 => !on[0],
            1 => on[1],
            _ => true,
        };
        if decided {
            break;
        }
    }
    let per_az_ignored = on[1]
        && matches!(
            bool_input(u, "one_nat_gateway_per_az", Some(false), ""),
            Input::Set(true, _)
        );
    let mode = match on {
        [false, _, _] => Mode::None,
        [true, true, _] => Mode::Single,
        [true, false, true] => Mode::PerAz,
        [true, false, false] => Mode::PerSubnet,
    };
    Some(Switches {
        mode,
        per_az_ignored,
    })
}

/// The module's `max_subnet_length`: the longest of the public, private, database,
/// elasticache and redshift lists (the IPv6 prefix lists count too).
fn max_subnet_length(u: &Unit) -> Option<usize> {
    let mut max = 0;
    for tier in ["public", "private", "database", "elasticache", "redshift"] {
        for list in [
            format!("{tier}_subnets"),
            format!("{tier}_subnet_ipv6_prefixes"),
        ] {
            max = max.max(str_list(u, &list).count()?);
        }
    }
    Some(max)
}

/// One NAT gateway per subnet index where one per AZ is wanted: the same count when every
/// list has one subnet per AZ, which is only worth a note.
fn per_subnet_for_per_az(cx: &mut Ctx<'_>, u: &Unit, what: &str) {
    let azs = str_list(u, "azs").count();
    let (Some(azs), Some(count)) = (azs, max_subnet_length(u)) else {
        cx.cannot_verify(
            u,
            "inputs.one_nat_gateway_per_az",
            "whether one NAT gateway per subnet index is one per availability zone",
            "the number of availability zones or of subnets is unknown",
        );
        return;
    };
    let path = "inputs.one_nat_gateway_per_az";
    if count == azs {
        let (mut label, related, _) = place(u, Some(path));
        if !present(u, path) {
            label = label.with_note("one_nat_gateway_per_az is not set in these inputs");
        }
        cx.note(
            u,
            Level::Info,
            label,
            format!(
                "{what}: one_nat_gateway_per_az is not true and single_nat_gateway is false, so the module creates one NAT gateway per subnet index ({count}), which here is one per availability zone"
            ),
        )
        .related(related)
        .help("set one_nat_gateway_per_az = true to say so: the count would change with the subnet lists");
        return;
    }
    let message = format!(
        "{what} has {count} NAT gateway{}, one per subnet index (single_nat_gateway and one_nat_gateway_per_az are both false), not one per availability zone ({azs})",
        if count == 1 { "" } else { "s" }
    );
    if present(u, path) {
        cx.report_value(u, path, message).help(Mode::PerAz.help());
    } else {
        cx.report_missing(u, message)
            .subject(path)
            .help(Mode::PerAz.help());
    }
}

/// `reuse_nat_ips = true` needs an Elastic IP in `external_nat_ip_ids` for every NAT
/// gateway (the module picks them with `element`, so too few reuse one twice and the
/// apply fails).
fn check_reused_ips(cx: &mut Ctx<'_>, u: &Unit, mode: Mode) {
    let Input::Set(true, _) = bool_input(u, "reuse_nat_ips", Some(false), "") else {
        return;
    };
    let count = match mode {
        Mode::None => return,
        Mode::Single => Some(1),
        Mode::PerAz => str_list(u, "azs").count(),
        Mode::PerSubnet => max_subnet_length(u),
    };
    let ids = str_list(u, "external_nat_ip_ids");
    let (Some(count), Some(have)) = (count, ids.count()) else {
        if let List::Unknown(reason) = ids {
            cx.cannot_verify(
                u,
                "inputs.external_nat_ip_ids",
                "whether external_nat_ip_ids has an Elastic IP per NAT gateway",
                reason,
            );
        }
        return;
    };
    if have >= count {
        return;
    }
    let message = format!(
        "{}: reuse_nat_ips = true with {have} external_nat_ip_ids for {count} NAT gateway{}",
        vpc_what(cx.env_kind()),
        if count == 1 { "" } else { "s" }
    );
    let help = "give external_nat_ip_ids one Elastic IP allocation per NAT gateway";
    if present(u, "inputs.external_nat_ip_ids") {
        cx.report_value(u, "inputs.external_nat_ip_ids", message)
            .help(help);
    } else {
        cx.report_value(u, "inputs.reuse_nat_ips", message)
            .help(help);
    }
}
