use crate::context::Ctx;
use crate::declare_rule;
use crate::policy::classify::{self, Found};
use crate::rule::Rule;
use crate::rules::shared_vpc::{
    ItemValue, List, az_in_region, creates_vpc, is_region_name, str_list, vpc_of, vpc_what,
};
use tglint_model::diag::Label;
use tglint_model::hcl::Origin;
use tglint_model::unit::Unit;

declare_rule! {
    /// Requires every unit to live in a region its environment allows, and a VPC's availability zones to be in the unit's region.
    ///
    /// ## Why is this bad?
    /// The reference architecture runs prod in us-east-1 (primary) and eu-west-1
    /// (disaster recovery), and dev, staging and uat in us-east-1 only (the multi-region
    /// section and the per-environment layout `environments/{env}/us-east-1/…`). A unit in
    /// another region is infrastructure outside the plan: not peered, not backed up by the
    /// DR design, and billed where nobody looks. The regions of each environment kind are
    /// the policy's `environment` blocks (`regions`; empty allows any).
    ///
    /// The unit's region is its classified region: the policy's `classify { region }`,
    /// else `aws_region` (inputs, then the locals of the unit and of the files it
    /// includes, as `region.hcl` provides it), else the path
    /// (`environments/<env>/<region>/…`). `remote_state.config.region` is the state
    /// bucket's region, not the workload's, and is not checked: one bucket region for
    /// every environment is normal. No region found, or an unknown one, cannot be
    /// verified; a path segment that is not a region name (`_global`) is no region.
    ///
    /// For the VPC module (`terraform-aws-modules/vpc/aws`), each entry of `azs` must be
    /// in the unit's region: a zone name that starts with it (`us-east-1a`, or a Local
    /// Zone `us-east-1-bos-1a`), or a zone ID with the region's prefix (`use1-az1` for
    /// us-east-1, `euw1-az2` for eu-west-1).
    ///
    /// ## Example
    /// ```hcl
    /// # environments/staging/eu-west-1/region.hcl
    /// locals {
    ///   aws_region = "eu-west-1" # staging lives in us-east-1 only
    /// }
    /// ```
    /// Use instead:
    /// ```hcl
    /// # environments/staging/us-east-1/region.hcl
    /// locals {
    ///   aws_region = "us-east-1"
    /// }
    /// ```
    ///
    /// ## Known limitations
    /// The generated provider's `region` (in `generate` contents) is not compared with the
    /// classified region.
    AllowedRegions {
        id: "allowed-regions",
        category: Correctness,
        default_level: Error,
        scope: Unit,
    }
}

/// The unit's region, with where it was found.
struct Region {
    name: String,
    /// Where the name is defined (`None`: it comes from the path).
    origin: Option<Origin>,
    because: String,
}

impl Rule for AllowedRegions {
    fn meta(&self) -> &'static crate::rule::Meta {
        &Self::META
    }

    fn check(&self, u: &Unit, cx: &mut Ctx<'_>) {
        let env = cx
            .environment()
            .filter(|e| !e.regions.is_empty())
            .map(|e| (e.kind.clone(), e.regions.clone(), e.span));
        let is_vpc = vpc_of(cx.module(), u).is_some();
        if env.is_none() && !is_vpc {
            return;
        }
        let Some(region) = region(cx, u) else { return };
        if let Some((kind, regions, span)) = env
            && !regions.contains(&region.name)
        {
            let (primary, mut related) = region_place(u, &region);
            related.push(Label::new(span).with_note(format!(
                "the policy's regions for {kind}: {}",
                regions.join(", ")
            )));
            cx.report(
                primary,
                format!(
                    "{kind} unit is in {}; {kind} units may only be in {}",
                    region.name,
                    regions.join(" or ")
                ),
            )
            .related(related)
            .help(format!(
                "move the unit to a region of {kind} ({}), or add its region to the policy's environment \"{kind}\" regions",
                regions.join(", ")
            ));
        }
        if is_vpc && creates_vpc(cx, u) {
            check_azs(cx, u, &region);
        }
    }
}

/// The unit's region, or `None` after "cannot verify".
fn region(cx: &mut Ctx<'_>, u: &Unit) -> Option<Region> {
    let what = "the unit's region";
    match &u.region {
        Some(c) if c.origin.is_some() || is_region_name(&c.name) => Some(Region {
            name: c.name.clone(),
            origin: c.origin,
            because: c.because.clone(),
        }),
        Some(c) => {
            cx.cannot_verify(
                u,
                "inputs.aws_region",
                what,
                &format!(
                    "{} (`{}`) is not an AWS region name, and no aws_region says which region the unit is in",
                    c.because, c.name
                ),
            )
            .diagnostic
            .primary = unit_start(u);
            None
        }
        None => {
            let found = classify::region(cx.policy, u, &mut Vec::new());
            let reason = match found {
                Found::Unknown(why) => why,
                _ => "no aws_region was found (no inputs.aws_region or locals.aws_region, and the path has no environments/<env>/<region>/ segment)".to_string(),
            };
            let origin = if cx.policy.classify.region.is_none() {
                aws_region_origin(u)
            } else {
                None
            };
            let f = cx.cannot_verify(u, "inputs.aws_region", what, &reason);
            if let Some(o) = origin {
                f.diagnostic.primary = Label::new(o.span);
                f.diagnostic.related = u.chain(&o).into_iter().skip(1).collect();
            }
            None
        }
    }
}

/// Where classification looks for `aws_region`, in its order: the inputs, the unit's
/// locals, then the locals of the included files (the last first).
fn aws_region_origin(u: &Unit) -> Option<Origin> {
    if let Some(o) = u.get("inputs.aws_region").origin() {
        return Some(o);
    }
    if let Some(o) = u.locals.get("aws_region").and_then(|v| v.origin) {
        return Some(o);
    }
    u.layers
        .iter()
        .rev()
        .find_map(|l| l.config.locals.get("aws_region").and_then(|v| v.origin))
}

fn unit_start(u: &Unit) -> Label {
    Label::file_start(u.file.unwrap_or_default())
}

/// Where the region is defined, and the chain that brought it; for a region from the
/// path, the unit file.
fn region_place(u: &Unit, r: &Region) -> (Label, Vec<Label>) {
    match r.origin {
        Some(o) => {
            let related = u.chain(&o).into_iter().skip(1).collect();
            (Label::new(o.span), related)
        }
        None => (
            unit_start(u).with_note(format!("the region comes from {}", r.because)),
            Vec::new(),
        ),
    }
}

/// Every availability zone of the VPC is in the unit's region.
fn check_azs(cx: &mut Ctx<'_>, u: &Unit, region: &Region) {
    let what = vpc_what(cx.env_kind());
    let items = match str_list(u, "azs") {
        List::Items(items) => items,
        List::Unknown(reason) => {
            cx.cannot_verify(
                u,
                "inputs.azs",
                "whether the VPC's availability zones are in the unit's region",
                reason,
            );
            return;
        }
        // Absent or of the wrong type: vpc-layout's finding.
        List::Absent | List::WrongType(_) => return,
    };
    let name = &region.name;
    for (i, item) in items.iter().enumerate() {
        match &item.value {
            ItemValue::Str(az) => match az_in_region(az, name) {
                Some(true) => {}
                Some(false) => {
                    let (label, _) = region_place(u, region);
                    let label = if region.origin.is_some() {
                        label.with_note(format!("the unit's region, {name}"))
                    } else {
                        label
                    };
                    cx.report_value(
                        u,
                        &item.path,
                        format!("{what}: availability zone {az} (azs[{i}]) is not in the unit's region {name}"),
                    )
                    .related([label])
                    .help(format!(
                        "use zones of {name}: names that start with it (\"{name}a\") or zone IDs of the region"
                    ));
                }
                None => {
                    cx.cannot_verify(
                        u,
                        &item.path,
                        &format!("whether availability zone {az} is in {name}"),
                        &format!("the zone-ID prefix of {name} is not known"),
                    );
                }
            },
            ItemValue::Unknown(reason) => {
                cx.cannot_verify(
                    u,
                    &item.path,
                    &format!("whether azs[{i}] is in the unit's region"),
                    reason,
                );
            }
            ItemValue::WrongType(_) => {}
        }
    }
}
