//! What the VPC rules share (`cidr-overlap`, `vpc-layout`, `nat-gateway`, `flow-logs`,
//! `default-security-group`, `allowed-regions`): which units deploy the VPC module's root,
//! whether it creates the VPC, its CIDR blocks as the module sees them, lists of strings
//! read element by element, IPv4 CIDR arithmetic, an O(n log n) overlap sweep, and AWS
//! region and availability-zone names.

use crate::context::{Ctx, Module, missing_place, value_place};
use crate::rules::common::{Input, bool_input, creates};
use ipnet::Ipv4Net;
use std::borrow::Cow;
use std::cmp::Reverse;
use std::net::Ipv4Addr;
use tglint_model::diag::Label;
use tglint_model::unit::{Lookup, Typed, Unit};

/// The policy's name for `terraform-aws-modules/vpc/aws`.
pub const VPC: &str = "vpc";

/// The module's `cidr` default from 4.0.0 (`0.0.0.0/0`, which AWS refuses, before).
pub const DEFAULT_CIDR: &str = "10.0.0.0/16";

/// What the rules need to know of a unit's VPC module.
#[derive(Clone, Copy, Debug)]
pub struct Vpc {
    /// The major version the source pins (`5` of `5.17.0`); `None` for a vendored copy
    /// or an unpinned source.
    pub major: Option<u64>,
}

/// The VPC module `u` deploys, when `m` (the unit's module, as the policy names it) is the
/// VPC module's root: its submodules (`//modules/vpc-endpoints`, a vendored
/// `terraform-aws-vpc/modules/…`) take other inputs and are not VPCs.
pub fn vpc_of(m: Option<Module<'_>>, u: &Unit) -> Option<Vpc> {
    let m = m?;
    if m.name != VPC {
        return None;
    }
    let address = &u.module()?.address;
    if is_submodule(address) {
        return None;
    }
    Some(Vpc { major: m.major() })
}

fn is_submodule(address: &str) -> bool {
    address.contains("//")
        || address
            .rsplit_once("terraform-aws-vpc")
            .is_some_and(|(_, tail)| tail.contains("modules/"))
}

/// Whether the module creates the VPC: `create_vpc` and the module's second switch
/// `putin_khuylo` (both default true). False after "cannot verify" when either is
/// unknown.
pub fn creates_vpc(cx: &mut Ctx<'_>, u: &Unit) -> bool {
    creates(cx, u, "create_vpc") == Some(true) && creates(cx, u, "putin_khuylo") == Some(true)
}

/// "prod VPC", or "VPC" when the unit's environment is not classified.
pub fn vpc_what(kind: Option<&str>) -> String {
    match kind {
        Some(k) => format!("{k} VPC"),
        None => "VPC".to_string(),
    }
}

// ----- CIDR blocks -------------------------------------------------------------------

/// An IPv4 CIDR block as the AWS provider accepts one for a VPC or subnet `cidr_block`
/// (`a.b.c.d/n` with no host bits set); otherwise why not, in words for a message.
pub fn parse_cidr(s: &str) -> Result<Ipv4Net, String> {
    let net: Ipv4Net = match s.parse() {
        Ok(n) => n,
        Err(_) if s.parse::<ipnet::Ipv6Net>().is_ok() => {
            return Err(format!("`{s}` is an IPv6 block, not an IPv4 one"));
        }
        Err(_) => return Err(format!("`{s}` is not an IPv4 CIDR block (a.b.c.d/n)")),
    };
    if net.trunc() != net {
        return Err(format!(
            "`{s}` has host bits set (its network is {})",
            net.trunc()
        ));
    }
    Ok(net)
}

/// The first and last address of a block, as numbers (inclusive).
pub fn range(n: Ipv4Net) -> (u32, u32) {
    (u32::from(n.network()), u32::from(n.broadcast()))
}

/// The module's default `cidr` (from 4.0.0) as a block.
pub fn default_cidr() -> Ipv4Net {
    Ipv4Net::new(Ipv4Addr::new(10, 0, 0, 0), 16).unwrap_or_default()
}

/// The VPC's primary CIDR block as the module sees it.
#[derive(Clone, Debug)]
pub enum Primary {
    /// `inputs.cidr`, set to this.
    Set(Ipv4Net),
    /// `cidr` is not set: the module default ([`DEFAULT_CIDR`] from 4.0.0).
    Default(Ipv4Net),
    /// `use_ipam_pool = true`: the module ignores `cidr` and IPAM allocates the block when
    /// the VPC is created.
    Ipam,
    /// The deciding value at `path` is unknown, or the default is (no version): why.
    Unknown { path: &'static str, reason: String },
    /// Not a block AWS accepts: the message, and whether `cidr` is set (else it is the
    /// pre-4.0 default, `0.0.0.0/0`).
    Invalid { message: String, set: bool },
}

/// The primary CIDR block of the VPC a unit deploys (`major`: the module's pinned major).
pub fn primary(u: &Unit, major: Option<u64>) -> Primary {
    match bool_input(u, "use_ipam_pool", Some(false), "") {
        Input::Set(true, _) => return Primary::Ipam,
        Input::Unknown(reason) => {
            return Primary::Unknown {
                path: "inputs.use_ipam_pool",
                reason: reason.to_string(),
            };
        }
        // A use_ipam_pool of the wrong type is Terraform's error to report.
        _ => {}
    }
    match u.get("inputs.cidr").str() {
        Typed::Known { value, .. } => match parse_cidr(&value) {
            Ok(n) => Primary::Set(n),
            Err(e) => Primary::Invalid {
                message: format!("cidr {e}"),
                set: true,
            },
        },
        Typed::Missing | Typed::Null(_) => match major {
            Some(m) if m >= 4 => Primary::Default(default_cidr()),
            Some(_) => Primary::Invalid {
                message: "cidr is not set; the module default before 4.0 is 0.0.0.0/0, which AWS does not accept for a VPC".to_string(),
                set: false,
            },
            None => Primary::Unknown {
                path: "inputs.cidr",
                reason: format!(
                    "cidr is not set, its module default changed in 4.0 (0.0.0.0/0 before, {DEFAULT_CIDR} since), and the source pins no version"
                ),
            },
        },
        Typed::Unknown { reason, .. } => Primary::Unknown {
            path: "inputs.cidr",
            reason: reason.to_string(),
        },
        Typed::WrongType { value, .. } => Primary::Invalid {
            message: format!("cidr is a {}, not a string", value.type_name()),
            set: true,
        },
    }
}

// ----- lists of strings --------------------------------------------------------------

/// A `list(string)` input, element by element.
#[derive(Clone, Debug)]
pub enum List<'a> {
    /// Not set (or null): the module default, `[]`.
    Absent,
    /// Set to a value tglint cannot know: why.
    Unknown(&'a str),
    /// Set to a value that is not a list (its type).
    WrongType(&'static str),
    Items(Vec<Item<'a>>),
}

/// One element of a [`List`], with its path (`inputs.azs[0]`) for reporting.
#[derive(Clone, Debug)]
pub struct Item<'a> {
    pub path: String,
    pub value: ItemValue<'a>,
}

#[derive(Clone, Debug)]
pub enum ItemValue<'a> {
    Str(Cow<'a, str>),
    Unknown(&'a str),
    /// Not a string (its type): Terraform's error.
    WrongType(&'static str),
}

impl List<'_> {
    /// The number of elements, when it is known (an absent list has none).
    pub fn count(&self) -> Option<usize> {
        match self {
            List::Absent => Some(0),
            List::Items(items) => Some(items.len()),
            List::Unknown(_) | List::WrongType(_) => None,
        }
    }
}

/// The `list(string)` input `inputs.<name>`.
pub fn str_list<'a>(u: &'a Unit, name: &str) -> List<'a> {
    let path = format!("inputs.{name}");
    match u.get(&path).list() {
        Typed::Missing | Typed::Null(_) => List::Absent,
        Typed::Unknown { reason, .. } => List::Unknown(reason),
        Typed::WrongType { value, .. } => List::WrongType(value.type_name()),
        Typed::Known { value, .. } => List::Items(
            value
                .iter()
                .enumerate()
                .map(|(i, v)| Item {
                    path: format!("{path}[{i}]"),
                    value: match Lookup::of(v).str() {
                        Typed::Known { value, .. } => ItemValue::Str(value),
                        Typed::Unknown { reason, .. } => ItemValue::Unknown(reason),
                        Typed::WrongType { value, .. } => ItemValue::WrongType(value.type_name()),
                        Typed::Null(_) | Typed::Missing => ItemValue::WrongType("null"),
                    },
                })
                .collect(),
        ),
    }
}

/// Where the value at `path` of `u` was defined (with the chain that carried it, and
/// whether it is a mock), or, for `None` or an absent value, the `inputs` that lack it.
pub fn place(u: &Unit, path: Option<&str>) -> (Label, Vec<Label>, bool) {
    match path {
        Some(p) if !matches!(u.get(p), Lookup::Missing) => value_place(u, p),
        _ => {
            let (label, related) = missing_place(u);
            (label, related, false)
        }
    }
}

/// A message with the mock note `report_value` adds, for findings reported at a
/// [`place`].
pub fn with_mock(message: String, mock: bool) -> String {
    if mock {
        format!("{message} (the value comes from a dependency's mock_outputs)")
    } else {
        message
    }
}

// ----- overlaps ------------------------------------------------------------------------

/// The overlaps among inclusive `ranges`, in O(n log n): sorted by start (the wider first
/// on a tie, then by index), each range that overlaps an earlier one is paired with the
/// earlier one that reaches furthest, so every range that overlaps an earlier one is
/// reported exactly once. Returns `(later, earlier)` index pairs, in sweep order.
pub fn overlaps(ranges: &[(u32, u32)]) -> Vec<(usize, usize)> {
    let mut order: Vec<usize> = (0..ranges.len()).collect();
    order.sort_by_key(|&i| (ranges[i].0, Reverse(ranges[i].1), i));
    let mut out = Vec::new();
    let mut furthest: Option<usize> = None;
    for i in order {
        match furthest {
            Some(f) => {
                if ranges[i].0 <= ranges[f].1 {
                    out.push((i, f));
                }
                if ranges[i].1 > ranges[f].1 {
                    furthest = Some(i);
                }
            }
            None => furthest = Some(i),
        }
    }
    out
}

// ----- regions and availability zones --------------------------------------------------

/// Whether `s` is shaped like an AWS region name (`us-east-1`, `us-gov-west-1`).
pub fn is_region_name(s: &str) -> bool {
    let parts: Vec<&str> = s.split('-').collect();
    parts.len() >= 3
        && parts[..parts.len() - 1]
            .iter()
            .all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_lowercase()))
        && parts[parts.len() - 1].bytes().all(|b| b.is_ascii_digit())
        && !parts[parts.len() - 1].is_empty()
}

/// The prefix of the availability-zone IDs of a region (`use1` for `us-east-1`, `euw1`
/// for `eu-west-1`, `apse2` for `ap-southeast-2`, `usgw1` for `us-gov-west-1`), when the
/// region's words are known.
pub fn az_id_prefix(region: &str) -> Option<String> {
    if !is_region_name(region) {
        return None;
    }
    let parts: Vec<&str> = region.split('-').collect();
    let (last, words) = parts.split_last()?;
    let (area, words) = words.split_first()?;
    let mut out = area.to_string();
    for w in words {
        out.push_str(match *w {
            "gov" => "g",
            "iso" => "i",
            "isob" => "ib",
            "east" => "e",
            "west" => "w",
            "north" => "n",
            "south" => "s",
            "central" => "c",
            "northeast" => "ne",
            "northwest" => "nw",
            "southeast" => "se",
            "southwest" => "sw",
            _ => return None,
        });
    }
    out.push_str(last);
    Some(out)
}

/// Whether an `azs` entry names an availability zone by name (`us-east-1a`) rather than by
/// ID (`use1-az1`), as the module tells them apart (`^[a-z]{2}-`).
pub fn is_az_name(az: &str) -> bool {
    let b = az.as_bytes();
    b.len() > 2 && b[0].is_ascii_lowercase() && b[1].is_ascii_lowercase() && b[2] == b'-'
}

/// Whether an availability zone (a name or an ID) is in `region`: `None` when that cannot
/// be told (an ID of a region whose ID prefix is not known).
pub fn az_in_region(az: &str, region: &str) -> Option<bool> {
    if is_az_name(az) {
        // us-east-1a, or a Local Zone us-east-1-bos-1a.
        let Some(rest) = az.strip_prefix(region) else {
            return Some(false);
        };
        return Some(
            rest.starts_with(|c: char| c.is_ascii_lowercase())
                || (rest.starts_with('-') && rest.len() > 1),
        );
    }
    let prefix = az_id_prefix(region)?;
    Some(
        az.strip_prefix(prefix.as_str())
            .is_some_and(|rest| rest.starts_with('-') && rest.len() > 1),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cidrs_parse_as_the_aws_provider_accepts_them() {
        let n = parse_cidr("10.10.0.0/16").unwrap();
        assert_eq!(range(n), (0x0A0A_0000, 0x0A0A_FFFF));
        assert!(
            parse_cidr("10.10.0.1/16")
                .unwrap_err()
                .contains("10.10.0.0/16")
        );
        assert!(parse_cidr("10.10.0.0").is_err());
        assert!(parse_cidr("10.300.0.0/16").is_err());
        assert!(parse_cidr("10.0.0.0/33").is_err());
        assert!(parse_cidr("fd00::/8").unwrap_err().contains("IPv6"));
        assert_eq!(default_cidr().to_string(), DEFAULT_CIDR);
    }

    #[test]
    fn the_sweep_reports_each_overlapping_range_once() {
        // a: 0-99, b: 10-19 (inside a), c: 50-149 (overlaps a), d: 200-299, e: 200-299.
        let r = [(0, 99), (10, 19), (50, 149), (200, 299), (200, 299)];
        assert_eq!(overlaps(&r), vec![(1, 0), (2, 0), (4, 3)]);
        assert!(overlaps(&[(0, 9), (10, 19), (20, 29)]).is_empty());
        assert!(overlaps(&[]).is_empty());
        // Touching at one address is an overlap (ranges are inclusive).
        assert_eq!(overlaps(&[(0, 10), (10, 20)]), vec![(1, 0)]);
        // The earlier range that reaches furthest is the one paired.
        assert_eq!(overlaps(&[(0, 5), (1, 50), (40, 45)]), vec![(1, 0), (2, 1)]);
    }

    #[test]
    fn regions_and_availability_zones() {
        assert!(is_region_name("us-east-1"));
        assert!(is_region_name("us-gov-west-1"));
        assert!(!is_region_name("_global"));
        assert!(!is_region_name("us-east"));
        assert!(!is_region_name("global"));
        assert_eq!(az_id_prefix("us-east-1").as_deref(), Some("use1"));
        assert_eq!(az_id_prefix("eu-west-1").as_deref(), Some("euw1"));
        assert_eq!(az_id_prefix("ap-southeast-2").as_deref(), Some("apse2"));
        assert_eq!(az_id_prefix("us-gov-west-1").as_deref(), Some("usgw1"));
        assert_eq!(az_id_prefix("xx-weird-1"), None);
        assert_eq!(az_in_region("us-east-1a", "us-east-1"), Some(true));
        assert_eq!(az_in_region("us-east-1-bos-1a", "us-east-1"), Some(true));
        assert_eq!(az_in_region("eu-west-1a", "us-east-1"), Some(false));
        assert_eq!(az_in_region("us-east-1", "us-east-1"), Some(false));
        assert_eq!(az_in_region("us-east-12a", "us-east-1"), Some(false));
        assert_eq!(az_in_region("use1-az1", "us-east-1"), Some(true));
        assert_eq!(az_in_region("euw1-az2", "us-east-1"), Some(false));
        assert_eq!(az_in_region("use1-az1", "xx-weird-1"), None);
        assert!(is_az_name("us-east-1a"));
        assert!(!is_az_name("use1-az1"));
    }
}
