use crate::context::Ctx;
use crate::declare_rule;
use crate::rule::Rule;
use crate::rules::common::{Input, bool_input, creates, num_input, str_input};
use crate::rules::shared_nested::{
    Members, OneOrMany, PerEnv, attr, field_str, full, is_empty, lookup, members, num,
};
use tglint_model::unit::{Lookup, Unit};

declare_rule! {
    /// Requires RDS instance classes, RDS storage, ECS host instance types and ECS host counts to match the environment's sizing matrix.
    ///
    /// ## Why is this bad?
    /// The reference architecture sizes each environment (its RDS table and vertical
    /// scaling section, its ECS table and horizontal scaling section): an oversized dev
    /// database wastes money, an undersized prod one fails under load. Where the document
    /// contradicts itself (uat is "t3.medium" in the overview and "t3.small" in the RDS
    /// table), each module keeps its own matrix:
    ///
    /// | | dev | staging | uat | prod |
    /// |---|---|---|---|---|
    /// | RDS `instance_class` | db.t3.micro | db.t3.small | db.t3.small | db.r6g.large |
    /// | RDS `allocated_storage` (GB, at least) | 20 | 30 | 50 | 100 |
    /// | ECS host `instance_type` (autoscaling) | t3.micro | t3.small | t3.medium | m6g.large |
    /// | ECS host `min_size` (at least) | 1 | 2 | 2 | 3 |
    /// | ECS host `max_size` (at most) | 3 | – | – | 10 |
    /// | ECS host `desired_capacity` (if set) | 1–2 | 2 | 2–3 | ≥ 3 |
    ///
    /// Checked on `terraform-aws-modules/rds/aws` units (`instance_class`, whose `db.`
    /// prefix may be left out, and `allocated_storage`; both default to null, which the RDS
    /// API rejects, so an absent one is reported) and on `terraform-aws-modules/autoscaling/aws`
    /// units, which in this architecture are the ECS container hosts: `instance_type` (or the
    /// `mixed_instances_policy.override[*].instance_type` when `use_mixed_instances_policy`
    /// is true) and the group's bounds (the architecture's "Instance Count" read as the
    /// steady state: `min_size`, `max_size`, `desired_capacity`, and `max_size >= min_size`).
    ///
    /// An ECS cluster unit holds no instance type (its EC2 capacity is an autoscaling unit,
    /// and a Fargate-only cluster has none), so ECS units are not checked. An RDS read
    /// replica or snapshot restore inherits its storage, so `allocated_storage` is not
    /// required there. A module whose create switch is off is not checked.
    ///
    /// ## Example
    /// ```hcl
    /// # environments/dev/us-east-1/02-data/rds/terragrunt.hcl
    /// inputs = {
    ///   instance_class    = "db.r6g.large"
    ///   allocated_storage = 20
    /// }
    /// ```
    /// Use instead:
    /// ```hcl
    /// inputs = {
    ///   instance_class    = "db.t3.micro"
    ///   allocated_storage = 20
    /// }
    /// ```
    ///
    /// ## Options
    /// Each is keyed by environment kind; a kind without an entry is not checked. Instance
    /// classes and types may be one string or a list of allowed ones.
    ///
    /// - `rds_instance_class` (default `{ dev = "db.t3.micro", staging = "db.t3.small", uat = "db.t3.small", prod = "db.r6g.large" }`);
    /// - `rds_allocated_storage` (GB floors, default `{ dev = 20, staging = 30, uat = 50, prod = 100 }`);
    /// - `autoscaling_instance_type` (default `{ dev = "t3.micro", staging = "t3.small", uat = "t3.medium", prod = "m6g.large" }`);
    /// - `autoscaling_min_size` (floors, default `{ dev = 1, staging = 2, uat = 2, prod = 3 }`);
    /// - `autoscaling_max_size` (ceilings, default `{ dev = 3, prod = 10 }`);
    /// - `autoscaling_desired_capacity` (ranges `{ min, max }`, either optional, default
    ///   `{ dev = { min = 1, max = 2 }, staging = { min = 2, max = 2 }, uat = { min = 2, max = 3 }, prod = { min = 3 } }`).
    ///
    /// ```hcl
    /// rule "instance-class" {
    ///   rds_instance_class = { prod = ["db.r6g.large", "db.r6g.xlarge"] }
    /// }
    /// ```
    ///
    /// ## Known limitations
    /// Every autoscaling unit is taken for an ECS host. Instance types chosen by
    /// `instance_requirements`, or by a launch template the module does not create
    /// (`create_launch_template = false`), are reported as "cannot verify". A prod
    /// `min_size` below 3 is also a `multi-az` finding (three AZs need three hosts).
    InstanceClass {
        id: "instance-class",
        category: Cost,
        default_level: Warning,
        scope: Unit,
        options: Options,
    }
}

/// A range of counts.
#[derive(Clone, Debug, Default, serde::Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Range {
    pub min: Option<f64>,
    pub max: Option<f64>,
}

/// The rule's options.
#[derive(Debug, serde::Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Options {
    pub rds_instance_class: PerEnv<OneOrMany>,
    pub rds_allocated_storage: PerEnv<f64>,
    pub autoscaling_instance_type: PerEnv<OneOrMany>,
    pub autoscaling_min_size: PerEnv<f64>,
    pub autoscaling_max_size: PerEnv<f64>,
    pub autoscaling_desired_capacity: PerEnv<Range>,
}

fn per_env<T>(items: &[(&str, T)]) -> PerEnv<T>
where
    T: Clone,
{
    items
        .iter()
        .map(|(k, v)| (k.to_string(), v.clone()))
        .collect()
}

impl Default for Options {
    fn default() -> Options {
        let one = |s: &str| OneOrMany::One(s.to_string());
        let range = |min: Option<f64>, max: Option<f64>| Range { min, max };
        Options {
            rds_instance_class: per_env(&[
                ("dev", one("db.t3.micro")),
                ("staging", one("db.t3.small")),
                ("uat", one("db.t3.small")),
                ("prod", one("db.r6g.large")),
            ]),
            rds_allocated_storage: per_env(&[
                ("dev", 20.0),
                ("staging", 30.0),
                ("uat", 50.0),
                ("prod", 100.0),
            ]),
            autoscaling_instance_type: per_env(&[
                ("dev", one("t3.micro")),
                ("staging", one("t3.small")),
                ("uat", one("t3.medium")),
                ("prod", one("m6g.large")),
            ]),
            autoscaling_min_size: per_env(&[
                ("dev", 1.0),
                ("staging", 2.0),
                ("uat", 2.0),
                ("prod", 3.0),
            ]),
            autoscaling_max_size: per_env(&[("dev", 3.0), ("prod", 10.0)]),
            autoscaling_desired_capacity: per_env(&[
                ("dev", range(Some(1.0), Some(2.0))),
                ("staging", range(Some(2.0), Some(2.0))),
                ("uat", range(Some(2.0), Some(3.0))),
                ("prod", range(Some(3.0), None)),
            ]),
        }
    }
}

/// An RDS instance class as the API names it: lower case, with the `db.` prefix.
pub fn normalise_db_class(s: &str) -> String {
    let s = s.trim().to_ascii_lowercase();
    if s.starts_with("db.") {
        s
    } else {
        format!("db.{s}")
    }
}

impl Rule for InstanceClass {
    fn meta(&self) -> &'static crate::rule::Meta {
        &Self::META
    }

    fn check(&self, u: &Unit, cx: &mut Ctx<'_>) {
        let Some(env) = cx.environment() else { return };
        let Some(m) = cx.module() else { return };
        let opts = cx.options::<Options>();
        let kind = env.kind.clone();
        match m.name {
            "rds" => {
                if creates(cx, u, "create_db_instance") != Some(true) {
                    return;
                }
                rds_class(u, cx, &opts, &kind);
                rds_storage(u, cx, &opts, &kind);
            }
            "autoscaling" => {
                if creates(cx, u, "create") != Some(true) {
                    return;
                }
                asg_types(u, cx, &opts, &kind);
                asg_counts(u, cx, &opts, &kind);
            }
            _ => {}
        }
    }
}

fn rds_class(u: &Unit, cx: &mut Ctx<'_>, opts: &Options, kind: &str) {
    let Some(want) = opts.rds_instance_class.get(kind) else {
        return;
    };
    let allowed: Vec<String> = want.values().into_iter().map(normalise_db_class).collect();
    let describe = OneOrMany::Many(allowed.clone()).describe();
    let help = format!("use {describe} for {kind}");
    let path = "inputs.instance_class";
    match str_input(u, "instance_class", None, "") {
        Input::Set(class, _) => {
            if !allowed.contains(&normalise_db_class(&class)) {
                cx.report_value(
                    u,
                    path,
                    format!("{kind} RDS instance has instance_class = \"{class}\"; {kind} uses {describe}"),
                )
                .help(help);
            }
        }
        Input::Default(_) | Input::NoDefault(_) => {
            cx.report_missing(
                u,
                format!("{kind} RDS instance: instance_class is not set; the module default is null, which RDS rejects ({kind} uses {describe})"),
            ).subject(path)
            .help(help);
        }
        Input::Unknown(reason) => {
            cx.cannot_verify(u, path, "instance_class", reason);
        }
        Input::WrongType(t, _) => {
            cx.report_value(
                u,
                path,
                format!("{kind} RDS instance has instance_class set to a {t}, not a string"),
            )
            .help(help);
        }
    }
}

fn rds_storage(u: &Unit, cx: &mut Ctx<'_>, opts: &Options, kind: &str) {
    let Some(&floor) = opts.rds_allocated_storage.get(kind) else {
        return;
    };
    let help = format!(
        "set allocated_storage to at least {} (GB) for {kind}",
        num(floor)
    );
    let path = "inputs.allocated_storage";
    match num_input(u, "allocated_storage", None, "") {
        Input::Set(gb, _) => {
            if gb < floor {
                cx.report_value(
                    u,
                    path,
                    format!(
                        "{kind} RDS instance has allocated_storage = {}, below the {kind} floor of {} GB",
                        num(gb),
                        num(floor)
                    ),
                )
                .help(help);
            }
        }
        Input::Default(_) | Input::NoDefault(_) => {
            // A replica or a snapshot restore takes its storage from its source.
            for inherits in ["replicate_source_db", "snapshot_identifier"] {
                match lookup(u, inherits) {
                    Lookup::Known(v) if !v.is_null() => return,
                    Lookup::Unknown { .. } => return,
                    _ => {}
                }
            }
            cx.report_missing(
                u,
                format!(
                    "{kind} RDS instance: allocated_storage is not set; the module default is null, which RDS rejects ({kind} needs at least {} GB)",
                    num(floor)
                ),
            ).subject(path)
            .help(help);
        }
        Input::Unknown(reason) => {
            cx.cannot_verify(u, path, "allocated_storage", reason);
        }
        Input::WrongType(t, _) => {
            cx.report_value(
                u,
                path,
                format!("{kind} RDS instance has allocated_storage set to a {t}, not a number"),
            )
            .help(help);
        }
    }
}

fn asg_types(u: &Unit, cx: &mut Ctx<'_>, opts: &Options, kind: &str) {
    let Some(want) = opts.autoscaling_instance_type.get(kind) else {
        return;
    };
    let allowed: Vec<String> = want
        .values()
        .into_iter()
        .map(|s| s.trim().to_ascii_lowercase())
        .collect();
    let describe = want.describe();
    let help = format!("use {describe} for the {kind} ECS hosts");
    let check_one = |cx: &mut Ctx<'_>, path: &str, t: &str| {
        if !allowed.contains(&t.trim().to_ascii_lowercase()) {
            cx.report_value(
                u,
                path,
                format!("{kind} ECS host autoscaling group has instance_type = \"{t}\"; {kind} uses {describe}"),
            )
            .help(help.clone());
        }
    };

    // A mixed instances policy's overrides replace the launch template's type.
    match bool_input(u, "use_mixed_instances_policy", Some(false), "") {
        Input::Set(true, _) => {
            let overrides = attr("mixed_instances_policy", "override");
            match members(u, &overrides) {
                Members::Known(items) if !items.is_empty() => {
                    for (rel, item) in items {
                        let tpath = full(&attr(&rel, "instance_type"));
                        match field_str(item, "instance_type") {
                            Ok(Some(t)) => check_one(cx, &tpath, &t),
                            Ok(None) => {
                                if item
                                    .as_map()
                                    .is_some_and(|m| m.contains_key("instance_requirements"))
                                {
                                    cx.cannot_verify(
                                        u,
                                        &full(&rel),
                                        "the ECS host instance type",
                                        "the override chooses instance types by instance_requirements",
                                    );
                                }
                            }
                            Err(reason) => {
                                cx.cannot_verify(u, &tpath, "the ECS host instance type", reason);
                            }
                        }
                    }
                    return;
                }
                Members::Unknown(reason) => {
                    cx.cannot_verify(
                        u,
                        &full(&overrides),
                        "the ECS host instance types (mixed_instances_policy.override)",
                        reason,
                    );
                    return;
                }
                _ => {}
            }
        }
        Input::Unknown(reason) => {
            cx.cannot_verify(
                u,
                "inputs.use_mixed_instances_policy",
                "the ECS host instance type (use_mixed_instances_policy)",
                reason,
            );
            return;
        }
        _ => {}
    }

    match bool_input(u, "create_launch_template", Some(true), "") {
        Input::Set(false, _) => {
            cx.cannot_verify(
                u,
                "inputs.create_launch_template",
                "the ECS host instance type",
                "the launch template is not created by this module (create_launch_template = false)",
            );
            return;
        }
        Input::Unknown(reason) => {
            cx.cannot_verify(
                u,
                "inputs.create_launch_template",
                "the ECS host instance type (create_launch_template)",
                reason,
            );
            return;
        }
        _ => {}
    }

    let path = "inputs.instance_type";
    match str_input(u, "instance_type", None, "") {
        Input::Set(t, _) => check_one(cx, path, &t),
        Input::Default(_) | Input::NoDefault(_) => {
            let by_requirements = match lookup(u, "instance_requirements") {
                Lookup::Missing => false,
                Lookup::Known(v) => !is_empty(v),
                Lookup::Unknown { .. } => true,
            };
            if by_requirements {
                cx.cannot_verify(
                    u,
                    "inputs.instance_requirements",
                    "the ECS host instance type",
                    "instance types are chosen by instance_requirements",
                );
                return;
            }
            cx.report_missing(
                u,
                format!("{kind} ECS host autoscaling group: instance_type is not set; the module default is null ({kind} uses {describe})"),
            ).subject(path)
            .help(help);
        }
        Input::Unknown(reason) => {
            cx.cannot_verify(u, path, "the ECS host instance type", reason);
        }
        Input::WrongType(t, _) => {
            cx.report_value(
                u,
                path,
                format!(
                    "{kind} ECS host autoscaling group has instance_type set to a {t}, not a string"
                ),
            )
            .help(help);
        }
    }
}

/// A count input: `Some(n)` when known, `None` after reporting what was to report.
fn count(u: &Unit, cx: &mut Ctx<'_>, name: &str, kind: &str) -> Option<f64> {
    let path = format!("inputs.{name}");
    match num_input(u, name, None, "") {
        Input::Set(n, _) => Some(n),
        Input::Unknown(reason) => {
            cx.cannot_verify(u, &path, name, reason);
            None
        }
        Input::WrongType(t, _) => {
            cx.report_value(
                u,
                &path,
                format!("{kind} ECS host autoscaling group has {name} set to a {t}, not a number"),
            );
            None
        }
        Input::Default(_) | Input::NoDefault(_) => None,
    }
}

fn asg_counts(u: &Unit, cx: &mut Ctx<'_>, opts: &Options, kind: &str) {
    let what = format!("{kind} ECS host autoscaling group");
    let min = count(u, cx, "min_size", kind);
    let max = count(u, cx, "max_size", kind);
    if let Some(&floor) = opts.autoscaling_min_size.get(kind) {
        match min {
            Some(n) if n < floor => {
                cx.report_value(
                    u,
                    "inputs.min_size",
                    format!(
                        "{what} has min_size = {}, below the {kind} floor of {}",
                        num(n),
                        num(floor)
                    ),
                )
                .help(format!("set min_size to at least {}", num(floor)));
            }
            None if !crate::rules::common::present(u, "inputs.min_size") => {
                cx.report_missing(
                    u,
                    format!("{what}: min_size is not set; the module default is null, which the autoscaling group rejects ({kind} needs at least {})", num(floor)),
                ).subject("inputs.min_size")
                .help(format!("set min_size to at least {}", num(floor)));
            }
            _ => {}
        }
    }
    if let Some(&ceiling) = opts.autoscaling_max_size.get(kind) {
        match max {
            Some(n) if n > ceiling => {
                cx.report_value(
                    u,
                    "inputs.max_size",
                    format!(
                        "{what} has max_size = {}, above the {kind} ceiling of {}",
                        num(n),
                        num(ceiling)
                    ),
                )
                .help(format!("set max_size to at most {}", num(ceiling)));
            }
            None if !crate::rules::common::present(u, "inputs.max_size") => {
                cx.report_missing(
                    u,
                    format!("{what}: max_size is not set; the module default is null, which the autoscaling group rejects ({kind} allows at most {})", num(ceiling)),
                ).subject("inputs.max_size")
                .help(format!("set max_size to at most {}", num(ceiling)));
            }
            _ => {}
        }
    }
    if let (Some(lo), Some(hi)) = (min, max)
        && hi < lo
    {
        cx.report_value(
            u,
            "inputs.max_size",
            format!(
                "{what} has max_size = {} below min_size = {}",
                num(hi),
                num(lo)
            ),
        )
        .help("set max_size to at least min_size");
    }
    if let Some(range) = opts.autoscaling_desired_capacity.get(kind) {
        let Some(d) = count(u, cx, "desired_capacity", kind) else {
            return;
        };
        let low = range.min.is_some_and(|m| d < m);
        let high = range.max.is_some_and(|m| d > m);
        if low || high {
            let bounds = match (range.min, range.max) {
                (Some(a), Some(b)) if a == b => num(a),
                (Some(a), Some(b)) => format!("{} to {}", num(a), num(b)),
                (Some(a), None) => format!("at least {}", num(a)),
                (None, Some(b)) => format!("at most {}", num(b)),
                (None, None) => String::new(),
            };
            cx.report_value(
                u,
                "inputs.desired_capacity",
                format!(
                    "{what} has desired_capacity = {}; {kind} runs {bounds} hosts",
                    num(d)
                ),
            )
            .help(format!(
                "set desired_capacity to {bounds}, or leave it unset"
            ));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn db_classes_get_their_prefix() {
        assert_eq!(normalise_db_class("t3.micro"), "db.t3.micro");
        assert_eq!(normalise_db_class(" DB.R6G.Large "), "db.r6g.large");
        assert_eq!(normalise_db_class("db.t3.small"), "db.t3.small");
    }
}
