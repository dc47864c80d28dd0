use crate::context::Ctx;
use crate::declare_rule;
use crate::rule::{Fact, Rule};
use crate::rules::shared_vpc::{
    DEFAULT_CIDR, ItemValue, List, Primary, creates_vpc, overlaps, parse_cidr, place, primary,
    range, str_list, vpc_of, vpc_what, with_mock,
};
use ipnet::Ipv4Net;
use tglint_model::unit::{Keep, Unit};

declare_rule! {
    /// Requires the CIDR blocks of every VPC, primary and secondary, to be disjoint across all environments and regions.
    ///
    /// ## Why is this bad?
    /// The reference architecture gives every environment and region a /16 of its own (the
    /// VPC section's per-environment table: dev 10.10.0.0/16, staging 10.20.0.0/16, uat
    /// 10.30.0.0/16, prod 10.40.0.0/16 in us-east-1 and 10.50.0.0/16 in eu-west-1; the
    /// multi-region diagram's figures are illustrative) and peers prod's two regions ("VPC
    /// Peering (non-overlapping CIDR)"). Peering, Transit Gateway and VPN routes need
    /// ranges that do not overlap, and a VPC's primary block cannot be changed once it
    /// exists. Checked, for every unit of the VPC module (`terraform-aws-modules/vpc/aws`,
    /// not its submodules) that creates a VPC (`create_vpc`, default true), across the whole
    /// tree:
    ///
    /// - `cidr`; absent, it is the module default `10.0.0.0/16` (from 4.0.0), so two VPCs
    ///   that leave it out overlap. Before 4.0.0 the default is `0.0.0.0/0`, which AWS
    ///   refuses (a finding); a source that pins no version leaves it unknown;
    /// - every entry of `secondary_cidr_blocks` (default `[]`), against every other VPC's
    ///   blocks and against the VPC's own primary block.
    ///
    /// A value that is not an IPv4 network AWS accepts (not `a.b.c.d/n`, or with host bits
    /// set, such as `10.10.0.1/16`) is a finding. With `use_ipam_pool = true` the module
    /// ignores `cidr` and IPAM allocates the block when the VPC is created, so its overlaps
    /// cannot be verified; so too for a block from `run_cmd`, an unset `get_env` or a
    /// dependency output without mocks. A block from `mock_outputs` is checked.
    ///
    /// Each overlap is reported at the line that defines the block that sorts later (by
    /// start address, the narrower block on a tie), with a related label at the other
    /// block's definition.
    ///
    /// ## Example
    /// ```hcl
    /// # environments/staging/env.hcl
    /// locals {
    ///   environment = "staging"
    ///   vpc_cidr    = "10.10.0.0/16" # dev's range
    /// }
    /// ```
    /// Use instead:
    /// ```hcl
    /// locals {
    ///   environment = "staging"
    ///   vpc_cidr    = "10.20.0.0/16"
    /// }
    /// ```
    ///
    /// ## Known limitations
    /// The tree is swept once, sorted by start address (O(n log n)): each block that
    /// overlaps an earlier one is reported once, against the earlier block that reaches
    /// furthest. Three VPCs on one range give two findings, not three pairs. Only the units
    /// of the run are compared: the policy's `exclude` narrows it. IPv6 blocks
    /// (`ipv6_cidr`, Amazon-provided) are not compared.
    CidrOverlap {
        id: "cidr-overlap",
        category: Correctness,
        default_level: Error,
        scope: Tree,
    }
}

/// One VPC CIDR block of the tree.
struct Block<'u> {
    net: Ipv4Net,
    unit: &'u Unit,
    /// The environment kind of the unit, for messages.
    kind: Option<String>,
    /// Where it is set (`inputs.cidr`, `inputs.secondary_cidr_blocks[1]`); `None` for the
    /// module default.
    path: Option<String>,
    /// How messages name it (`cidr`, `secondary_cidr_blocks[1]`).
    what: String,
}

impl Rule for CidrOverlap {
    fn meta(&self) -> &'static crate::rule::Meta {
        &Self::META
    }

    fn keep(&self, u: &Unit, cx: &Ctx<'_>, keep: &mut Keep) {
        if vpc_of(cx.module_of(u), u).is_some() {
            // The module tells the tree pass which units are VPCs.
            keep.terraform = true;
            keep.inputs.extend([
                "cidr",
                "secondary_cidr_blocks",
                "create_vpc",
                "putin_khuylo",
                "use_ipam_pool",
            ]);
        }
    }

    /// Every VPC's blocks are compared with every other VPC's.
    fn links(&self, u: &Unit, cx: &Ctx<'_>, _fact: Option<&Fact>) -> Option<Vec<String>> {
        Some(match vpc_of(cx.module_of(u), u) {
            Some(_) => vec!["vpc".to_string()],
            None => Vec::new(),
        })
    }

    fn check_tree(&self, units: &[&Unit], cx: &mut Ctx<'_>) {
        let mut blocks = Vec::new();
        for &u in units {
            collect(cx, u, &mut blocks);
        }
        let ranges: Vec<(u32, u32)> = blocks.iter().map(|b| range(b.net)).collect();
        for (later, earlier) in overlaps(&ranges) {
            report(cx, &blocks[later], &blocks[earlier]);
        }
    }
}

/// The blocks of `u`'s VPC, reporting what cannot be verified or is not a block.
fn collect<'u>(cx: &mut Ctx<'_>, u: &'u Unit, out: &mut Vec<Block<'u>>) {
    let Some(vpc) = vpc_of(cx.module_of(u), u) else {
        return;
    };
    if !creates_vpc(cx, u) {
        return;
    }
    let kind = cx.environment_of(u).map(|e| e.kind.clone());
    let what = vpc_what(kind.as_deref());
    let help = "set cidr to the environment's own range (the architecture: 10.10.0.0/16 dev, 10.20.0.0/16 staging, 10.30.0.0/16 uat, 10.40.0.0/16 prod us-east-1, 10.50.0.0/16 prod eu-west-1)";
    let block = |net, path: Option<&str>, name: &str| Block {
        net,
        unit: u,
        kind: kind.clone(),
        path: path.map(str::to_string),
        what: name.to_string(),
    };
    match primary(u, vpc.major) {
        Primary::Set(net) => out.push(block(net, Some("inputs.cidr"), "cidr")),
        Primary::Default(net) => out.push(block(net, None, "cidr")),
        Primary::Ipam => {
            cx.cannot_verify(
                u,
                "inputs.use_ipam_pool",
                "whether the VPC's primary CIDR overlaps another",
                "use_ipam_pool = true: IPAM allocates the block when the VPC is created",
            );
        }
        Primary::Unknown { path, reason } => {
            cx.cannot_verify(
                u,
                path,
                "whether the VPC's primary CIDR overlaps another",
                &reason,
            );
        }
        Primary::Invalid { message, set: true } => {
            cx.report_value(u, "inputs.cidr", format!("{what}: {message}"))
                .help(help);
        }
        Primary::Invalid {
            message,
            set: false,
        } => {
            cx.report_missing(u, format!("{what}: {message}"))
                .subject("inputs.cidr")
                .help(help);
        }
    }
    match str_list(u, "secondary_cidr_blocks") {
        List::Absent => {}
        List::Unknown(reason) => {
            cx.cannot_verify(
                u,
                "inputs.secondary_cidr_blocks",
                "whether the VPC's secondary CIDR blocks overlap another",
                reason,
            );
        }
        List::WrongType(t) => {
            cx.report_value(
                u,
                "inputs.secondary_cidr_blocks",
                format!("{what}: secondary_cidr_blocks is a {t}, not a list of CIDR blocks"),
            );
        }
        List::Items(items) => {
            for (i, item) in items.iter().enumerate() {
                let name = format!("secondary_cidr_blocks[{i}]");
                match &item.value {
                    ItemValue::Str(s) => match parse_cidr(s) {
                        Ok(net) => out.push(block(net, Some(&item.path), &name)),
                        Err(e) => {
                            cx.report_value(u, &item.path, format!("{what}: {name} {e}"));
                        }
                    },
                    ItemValue::Unknown(reason) => {
                        cx.cannot_verify(
                            u,
                            &item.path,
                            &format!("whether the VPC's {name} overlaps another block"),
                            reason,
                        );
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

/// How a block is named where it is defined: `cidr 10.10.0.0/16`, or `cidr
/// 10.0.0.0/16 (not set: the module default)`.
fn shown(b: &Block<'_>) -> String {
    match b.path {
        Some(_) => format!("{} {}", b.what, b.net),
        None => format!("{} {} (not set: the module default)", b.what, b.net),
    }
}

fn report(cx: &mut Ctx<'_>, later: &Block<'_>, earlier: &Block<'_>) {
    let (mut primary, mut related, mock) = place(later.unit, later.path.as_deref());
    if later.path.is_none() {
        primary = primary.with_note(format!(
            "cidr is not set in these inputs, so the module default {DEFAULT_CIDR} applies"
        ));
    }
    let same = later.unit.dir == earlier.unit.dir;
    let (mut other, _, _) = place(earlier.unit, earlier.path.as_deref());
    other = other.with_note(if same {
        format!("overlapping {}", shown(earlier))
    } else {
        format!(
            "overlapping {} of {}{}",
            shown(earlier),
            earlier.unit.dir,
            earlier
                .kind
                .as_deref()
                .map(|k| format!(" ({k})"))
                .unwrap_or_default()
        )
    });
    related.push(other);
    let what = vpc_what(later.kind.as_deref());
    let message = if same {
        format!(
            "{what}: {} overlaps the same VPC's {}",
            shown(later),
            shown(earlier)
        )
    } else {
        format!(
            "{what}: {} overlaps {} of {}",
            shown(later),
            shown(earlier),
            earlier.unit.dir
        )
    };
    let help = if same {
        "a secondary block must be disjoint from the VPC's other blocks".to_string()
    } else {
        "give every VPC its own range (the architecture: 10.10.0.0/16 dev, 10.20.0.0/16 staging, 10.30.0.0/16 uat, 10.40.0.0/16 prod us-east-1, 10.50.0.0/16 prod eu-west-1)".to_string()
    };
    cx.report_for(later.unit, primary, with_mock(message, mock))
        .related(related)
        .involving(earlier.unit)
        .help(help);
}
