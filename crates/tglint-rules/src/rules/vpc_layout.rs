use crate::context::Ctx;
use crate::declare_rule;
use crate::rule::Rule;
use crate::rules::common::{Input, bool_input, require_bool};
use crate::rules::shared_vpc::{
    DEFAULT_CIDR, ItemValue, List, Primary, creates_vpc, overlaps, parse_cidr, place, primary,
    range, str_list, vpc_of, vpc_what,
};
use ipnet::Ipv4Net;
use tglint_model::unit::Unit;

declare_rule! {
    /// Requires the VPC layout of the architecture: three distinct availability zones, subnets inside the VPC's CIDR blocks that do not overlap, and DNS support and hostnames on.
    ///
    /// ## Why is this bad?
    /// The reference architecture's VPC section ("Layer 1: Networking") gives every
    /// environment the same layout: 3 AZs; 3 public, 3 private and 3 database /24 subnets,
    /// one per AZ, computed with `cidrsubnet()` from the VPC CIDR; DNS hostnames and
    /// support enabled; an internet gateway; a database subnet group. A subnet outside the
    /// VPC's blocks or overlapping another fails at apply time, after part of the VPC has
    /// been created; a missing AZ leaves a tier without redundancy; without DNS support
    /// and hostnames, RDS endpoints and VPC endpoints with private DNS do not resolve.
    /// Checked, for every unit of the VPC module (`terraform-aws-modules/vpc/aws`) that
    /// creates a VPC, in every environment:
    ///
    /// - `azs` (default `[]`): exactly `az_count` entries, all distinct;
    /// - `public_subnets`, `private_subnets`, `database_subnets`, `elasticache_subnets`,
    ///   `redshift_subnets`, `intra_subnets` and `outpost_subnets` (each default `[]`):
    ///   every entry a valid IPv4 network, inside one of the VPC's blocks (`cidr`, default
    ///   `10.0.0.0/16` from 4.0.0, and `secondary_cidr_blocks`), and no two overlapping,
    ///   within a list or across lists; each list of `required_subnets` set, with one
    ///   subnet per AZ (`az_count` entries);
    /// - `enable_dns_support` (default true) and `enable_dns_hostnames` (default true from
    ///   4.0.0, false in 3.x) are true;
    /// - `create_igw` (default true) is not false when `public_subnets` is required, and
    ///   `create_database_subnet_group` (default true) is not false when
    ///   `database_subnets` is;
    /// - the module's trap: with `one_nat_gateway_per_az = true` and fewer public subnets
    ///   than `azs`, the module creates no public subnet at all.
    ///
    /// Subnets computed with `cidrsubnet()` are checked as the values they evaluate to.
    /// When the VPC's block is unknown (`use_ipam_pool = true`, `run_cmd`, …) whether the
    /// subnets lie inside it cannot be verified; the overlaps between subnets still are.
    ///
    /// ## Example
    /// ```hcl
    /// inputs = {
    ///   cidr            = "10.10.0.0/16"
    ///   azs             = ["us-east-1a", "us-east-1b"]
    ///   public_subnets  = ["10.10.1.0/24", "10.10.2.0/24"]
    ///   private_subnets = ["10.10.2.0/24", "10.20.12.0/24"]
    /// }
    /// ```
    /// Use instead:
    /// ```hcl
    /// inputs = {
    ///   cidr             = "10.10.0.0/16"
    ///   azs              = ["us-east-1a", "us-east-1b", "us-east-1c"]
    ///   public_subnets   = [for n in [1, 2, 3] : cidrsubnet("10.10.0.0/16", 8, n)]
    ///   private_subnets  = [for n in [11, 12, 13] : cidrsubnet("10.10.0.0/16", 8, n)]
    ///   database_subnets = [for n in [21, 22, 23] : cidrsubnet("10.10.0.0/16", 8, n)]
    /// }
    /// ```
    ///
    /// ## Options
    /// - `az_count` (default `3`): how many distinct availability zones `azs` lists, and
    ///   how many subnets each required list has (one per AZ).
    /// - `required_subnets` (default `["public_subnets", "private_subnets",
    ///   "database_subnets"]`): the subnet lists the layout needs. `[]` checks only the
    ///   lists that are set.
    ///
    /// ## Known limitations
    /// The architecture's subnet size (/24) and offsets (+1..3 public, +11..13 private,
    /// +21..23 database) are a numbering convention, not an invariant: any layout inside
    /// the VPC without overlaps passes. An AZ given by name and the same AZ given by ID
    /// (`us-east-1a`, `use1-az1`) are not known to be the same. A `cidr` that is not a
    /// valid block is `cidr-overlap`'s finding; the subnets of such a VPC are not checked
    /// against it. IPv6 prefixes are not checked.
    VpcLayout {
        id: "vpc-layout",
        category: Correctness,
        default_level: Error,
        scope: Unit,
        options: Options,
        validate: validate,
    }
}

/// The module's IPv4 subnet lists, with how messages name their subnets.
const SUBNET_LISTS: &[(&str, &str)] = &[
    ("public_subnets", "public"),
    ("private_subnets", "private"),
    ("database_subnets", "database"),
    ("elasticache_subnets", "elasticache"),
    ("redshift_subnets", "redshift"),
    ("intra_subnets", "intra"),
    ("outpost_subnets", "outpost"),
];

#[derive(Debug, serde::Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Options {
    /// How many distinct availability zones `azs` lists (and subnets a required list has).
    pub az_count: usize,
    /// The subnet lists the layout needs.
    pub required_subnets: Vec<String>,
}

impl Default for Options {
    fn default() -> Options {
        Options {
            az_count: 3,
            required_subnets: vec![
                "public_subnets".to_string(),
                "private_subnets".to_string(),
                "database_subnets".to_string(),
            ],
        }
    }
}

impl Options {
    fn requires(&self, list: &str) -> bool {
        self.required_subnets.iter().any(|l| l == list)
    }
}

/// One subnet of the VPC.
struct Subnet {
    net: Ipv4Net,
    path: String,
    /// `public_subnets[0]`.
    name: String,
    /// `public`.
    tier: &'static str,
}

/// The VPC's own blocks, as far as they are known.
struct Blocks {
    /// Each block with where it is set (`None`: the module default).
    known: Vec<(Ipv4Net, Option<String>)>,
    /// A block that is unknown: the path that decides it and why.
    unknown: Option<(String, String)>,
    /// The primary block is not valid (`cidr-overlap` reports it).
    invalid: bool,
}

/// The options decode, and name the module's subnet lists and at least one AZ.
fn validate(o: &serde_json::Value) -> Result<(), String> {
    let o = crate::options::parse::<Options>(o)?;
    for l in &o.required_subnets {
        if !SUBNET_LISTS.iter().any(|(name, _)| name == l) {
            let names: Vec<&str> = SUBNET_LISTS.iter().map(|(n, _)| *n).collect();
            return Err(format!(
                "required_subnets: `{l}` is not one of the module's subnet lists ({})",
                names.join(", ")
            ));
        }
    }
    if o.az_count == 0 {
        return Err("az_count must be at least 1".to_string());
    }
    Ok(())
}

impl Rule for VpcLayout {
    fn meta(&self) -> &'static crate::rule::Meta {
        &Self::META
    }

    fn check(&self, u: &Unit, cx: &mut Ctx<'_>) {
        let Some(vpc) = vpc_of(cx.module(), u) else {
            return;
        };
        if !creates_vpc(cx, u) {
            return;
        }
        let o = cx.options::<Options>();
        let what = vpc_what(cx.env_kind());
        check_azs(cx, u, &o, &what);
        let blocks = blocks(u, vpc.major);
        let subnets = subnets(cx, u, &o, &what);
        check_inside(cx, u, &blocks, &subnets, &what);
        check_overlaps(cx, u, &subnets, &what);
        require_bool(cx, u, "enable_dns_support", true, Some(true), "", &what);
        require_bool(
            cx,
            u,
            "enable_dns_hostnames",
            true,
            vpc.major.map(|m| m >= 4),
            "the module default changed in 4.0 (false before, true since), and the source pins no version",
            &what,
        );
        if o.requires("public_subnets") {
            require_bool(cx, u, "create_igw", true, Some(true), "", &what);
        }
        if o.requires("database_subnets") {
            require_bool(
                cx,
                u,
                "create_database_subnet_group",
                true,
                Some(true),
                "",
                &what,
            );
        }
        check_nat_per_az_trap(cx, u, &what);
    }
}

fn check_azs(cx: &mut Ctx<'_>, u: &Unit, o: &Options, what: &str) {
    let n = o.az_count;
    let help = format!("set azs to {n} distinct availability zones of the unit's region");
    match str_list(u, "azs") {
        List::Absent => {
            cx.report_missing(
                u,
                format!("{what}: azs is not set; the module default is [], which spans no availability zone"),
            ).subject("inputs.azs")
            .help(help);
        }
        List::Unknown(reason) => {
            cx.cannot_verify(u, "inputs.azs", "the VPC's availability zones", reason);
        }
        List::WrongType(t) => {
            cx.report_value(
                u,
                "inputs.azs",
                format!("{what}: azs is a {t}, not a list of availability zones"),
            )
            .help(help);
        }
        List::Items(items) => {
            if items.len() != n {
                cx.report_value(
                    u,
                    "inputs.azs",
                    format!(
                        "{what} spans {} availability zone{} in azs; the architecture uses {n}",
                        items.len(),
                        if items.len() == 1 { "" } else { "s" }
                    ),
                )
                .help(help.clone());
            }
            let mut seen: Vec<&str> = Vec::new();
            for (i, item) in items.iter().enumerate() {
                match &item.value {
                    ItemValue::Str(s) => {
                        if seen.contains(&s.as_ref()) {
                            cx.report_value(
                                u,
                                &item.path,
                                format!("{what}: azs lists {s} twice (azs[{i}])"),
                            )
                            .help(help.clone());
                        } else {
                            seen.push(s);
                        }
                    }
                    ItemValue::Unknown(reason) => {
                        cx.cannot_verify(
                            u,
                            &item.path,
                            &format!(
                                "whether the VPC's availability zones are distinct (azs[{i}])"
                            ),
                            reason,
                        );
                    }
                    ItemValue::WrongType(t) => {
                        cx.report_value(
                            u,
                            &item.path,
                            format!("{what}: azs[{i}] is a {t}, not an availability zone"),
                        );
                    }
                }
            }
        }
    }
}

/// The VPC's blocks: `cidr` (or its default) and `secondary_cidr_blocks`. Entries that
/// are not valid blocks are `cidr-overlap`'s findings and are left out here.
fn blocks(u: &Unit, major: Option<u64>) -> Blocks {
    let mut b = Blocks {
        known: Vec::new(),
        unknown: None,
        invalid: false,
    };
    match primary(u, major) {
        Primary::Set(n) => b.known.push((n, Some("inputs.cidr".to_string()))),
        Primary::Default(n) => b.known.push((n, None)),
        Primary::Ipam => {
            b.unknown = Some((
                "inputs.use_ipam_pool".to_string(),
                "use_ipam_pool = true: IPAM allocates the VPC's primary block when it is created"
                    .to_string(),
            ));
        }
        Primary::Unknown { path, reason } => b.unknown = Some((path.to_string(), reason)),
        Primary::Invalid { .. } => b.invalid = true,
    }
    match str_list(u, "secondary_cidr_blocks") {
        List::Items(items) => {
            for item in items {
                match item.value {
                    ItemValue::Str(s) => {
                        if let Ok(n) = parse_cidr(&s) {
                            b.known.push((n, Some(item.path)));
                        }
                    }
                    ItemValue::Unknown(reason) => {
                        b.unknown.get_or_insert((item.path, reason.to_string()));
                    }
                    ItemValue::WrongType(_) => {}
                }
            }
        }
        List::Unknown(reason) => {
            b.unknown.get_or_insert((
                "inputs.secondary_cidr_blocks".to_string(),
                reason.to_string(),
            ));
        }
        List::Absent | List::WrongType(_) => {}
    }
    b
}

/// Every subnet of the module's lists, reporting the lists the layout needs and entries
/// that are not valid blocks.
fn subnets(cx: &mut Ctx<'_>, u: &Unit, o: &Options, what: &str) -> Vec<Subnet> {
    let n = o.az_count;
    let mut out = Vec::new();
    for &(list, tier) in SUBNET_LISTS {
        let required = o.requires(list);
        let path = format!("inputs.{list}");
        let help = format!(
            "give {list} one subnet per availability zone, inside the VPC's range (e.g. computed with cidrsubnet(cidr, 8, n))"
        );
        match str_list(u, list) {
            List::Absent => {
                if required {
                    cx.report_missing(
                        u,
                        format!("{what}: {list} is not set; the module default is [], so the VPC has no {tier} subnets"),
                    ).subject(&path)
                    .help(help);
                }
            }
            List::Unknown(reason) => {
                cx.cannot_verify(u, &path, &format!("the VPC's {list}"), reason);
            }
            List::WrongType(t) => {
                cx.report_value(
                    u,
                    &path,
                    format!("{what}: {list} is a {t}, not a list of CIDR blocks"),
                );
            }
            List::Items(items) => {
                if required && items.len() != n {
                    cx.report_value(
                        u,
                        &path,
                        format!(
                            "{what} has {} {tier} subnet{}; the layout has {n}, one per availability zone",
                            items.len(),
                            if items.len() == 1 { "" } else { "s" }
                        ),
                    )
                    .help(help);
                }
                for (i, item) in items.into_iter().enumerate() {
                    let name = format!("{list}[{i}]");
                    match item.value {
                        ItemValue::Str(s) => match parse_cidr(&s) {
                            Ok(net) => out.push(Subnet {
                                net,
                                path: item.path,
                                name,
                                tier,
                            }),
                            Err(e) => {
                                cx.report_value(u, &item.path, format!("{what}: {name} {e}"));
                            }
                        },
                        ItemValue::Unknown(reason) => {
                            cx.cannot_verify(u, &item.path, &format!("the VPC's {name}"), reason);
                        }
                        ItemValue::WrongType(t) => {
                            cx.report_value(
                                u,
                                &item.path,
                                format!("{what}: {name} is a {t}, not a CIDR block"),
                            );
                        }
                    }
                }
            }
        }
    }
    out
}

/// Every subnet lies inside one of the VPC's blocks.
fn check_inside(cx: &mut Ctx<'_>, u: &Unit, blocks: &Blocks, subnets: &[Subnet], what: &str) {
    if blocks.invalid {
        return;
    }
    let outside: Vec<&Subnet> = subnets
        .iter()
        .filter(|s| !blocks.known.iter().any(|(b, _)| b.contains(&s.net)))
        .collect();
    if outside.is_empty() {
        return;
    }
    if let Some((path, reason)) = &blocks.unknown {
        let n = outside.len();
        cx.cannot_verify(
            u,
            path,
            &format!("whether {n} of the VPC's subnets lie inside its CIDR blocks"),
            reason,
        );
        return;
    }
    let shown: Vec<String> = blocks.known.iter().map(|(b, _)| b.to_string()).collect();
    for s in outside {
        let related: Vec<_> = blocks
            .known
            .iter()
            .map(|(b, path)| {
                let (label, _, _) = place(u, path.as_deref());
                label.with_note(match path {
                    Some(_) => format!("the VPC's block {b}"),
                    None => format!(
                        "cidr is not set here: the VPC's block is the module default {DEFAULT_CIDR}"
                    ),
                })
            })
            .collect();
        cx.report_value(
            u,
            &s.path,
            format!(
                "{what}: {} subnet {} ({}) lies outside the VPC's CIDR blocks ({})",
                s.tier,
                s.net,
                s.name,
                shown.join(", ")
            ),
        )
        .related(related)
        .help("choose subnets inside the VPC's range, e.g. cidrsubnet(cidr, 8, n)");
    }
}

/// No two subnets overlap, within a list or across lists.
fn check_overlaps(cx: &mut Ctx<'_>, u: &Unit, subnets: &[Subnet], what: &str) {
    let ranges: Vec<(u32, u32)> = subnets.iter().map(|s| range(s.net)).collect();
    for (later, earlier) in overlaps(&ranges) {
        let (a, b) = (&subnets[later], &subnets[earlier]);
        let (label, _, _) = place(u, Some(&b.path));
        cx.report_value(
            u,
            &a.path,
            format!(
                "{what}: {} subnet {} ({}) overlaps {} subnet {} ({})",
                a.tier, a.net, a.name, b.tier, b.net, b.name
            ),
        )
        .related([label.with_note(format!("overlapping {} {}", b.name, b.net))])
        .help("give every subnet its own range; the architecture uses cidrsubnet(cidr, 8, n) with n = 1..3 public, 11..13 private, 21..23 database");
    }
}

/// `one_nat_gateway_per_az = true` with fewer public subnets than AZs: the module's
/// public subnets' `count` is then 0 (main.tf:99 at 5.17.0).
fn check_nat_per_az_trap(cx: &mut Ctx<'_>, u: &Unit, what: &str) {
    let Input::Set(true, _) = bool_input(u, "one_nat_gateway_per_az", Some(false), "") else {
        return;
    };
    // The module counts max(length(public_subnets), length(public_subnet_ipv6_prefixes)).
    let ipv6 = match u.get("inputs.public_subnet_ipv6_prefixes").list() {
        tglint_model::unit::Typed::Known { value, .. } => Some(value.len()),
        tglint_model::unit::Typed::Missing | tglint_model::unit::Typed::Null(_) => Some(0),
        _ => None,
    };
    let (Some(public), Some(ipv6), Some(azs)) = (
        str_list(u, "public_subnets").count(),
        ipv6,
        str_list(u, "azs").count(),
    ) else {
        return;
    };
    let public = public.max(ipv6);
    if public == 0 || public >= azs {
        return;
    }
    let (label, _, _) = place(u, Some("inputs.public_subnets"));
    cx.report_value(
        u,
        "inputs.one_nat_gateway_per_az",
        format!(
            "{what}: one_nat_gateway_per_az = true with {public} public subnet{} for {azs} availability zones: the module then creates no public subnet at all",
            if public == 1 { "" } else { "s" }
        ),
    )
    .related([label.with_note(format!("{public} public subnet{}", if public == 1 { "" } else { "s" }))])
    .help("give public_subnets one subnet per availability zone, or set one_nat_gateway_per_az = false");
}
