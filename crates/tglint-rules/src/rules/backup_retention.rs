use crate::context::Ctx;
use crate::declare_rule;
use crate::rule::{Level, Rule};
use crate::rules::common::{Input, creates, num_input, present};
use crate::rules::shared_nested::{PerEnv, lookup, note_at, num};
use tglint_model::unit::{Lookup, Unit};

declare_rule! {
    /// Requires RDS automated backups to be kept at least 7/14/14/30 days (dev/staging/uat/prod) and at most 35.
    ///
    /// ## Why is this bad?
    /// The reference architecture's RDS table and its backup strategy keep automated
    /// backups 7 days in dev, 14 in staging and uat and 30 in prod; point-in-time restore
    /// reaches back only as far as the retention period. Checked on
    /// `terraform-aws-modules/rds/aws` units: `backup_retention_period` is at least the
    /// environment's minimum and at most 35 days, the most RDS allows (the architecture's
    /// "PITR within 35 days" is that ceiling; the floor stays 30).
    ///
    /// The module default is `null`, which leaves the retention to the RDS API's own
    /// default of **1 day**: an RDS unit that does not set `backup_retention_period` is a
    /// finding in every environment. `0` turns automated backups off.
    ///
    /// A read replica (`replicate_source_db` set) takes its retention from replica rules
    /// that depend on the engine (MySQL and MariaDB replicas keep no backups by default), so
    /// by default a replica below the floor is reported as "cannot verify" (see the
    /// `read_replicas` option); a replica that sets a retention within the bounds passes. A
    /// unit with `create_db_instance = false` is not checked.
    ///
    /// ## Example
    /// ```hcl
    /// # environments/prod/us-east-1/02-data/rds/terragrunt.hcl
    /// inputs = {
    ///   backup_retention_period = 7
    /// }
    /// ```
    /// Use instead:
    /// ```hcl
    /// inputs = {
    ///   backup_retention_period = 30
    /// }
    /// ```
    ///
    /// ## Options
    /// - `min_days` (map of environment kind to days, default
    ///   `{ dev = 7, staging = 14, uat = 14, prod = 30 }`): the floor per environment kind; a
    ///   kind without an entry has none.
    /// - `max_days` (number, default `35`): the ceiling, in every environment.
    /// - `read_replicas` (`"cannot-verify"`, `"info"`, `"check"` or `"ignore"`; default
    ///   `"cannot-verify"`): what a read replica below the floor (or without a retention)
    ///   reports: "cannot verify" at the `--unknown` level, an info note, a finding like any
    ///   instance, or nothing.
    ///
    /// ```hcl
    /// rule "backup-retention" {
    ///   min_days      = { dev = 7, staging = 14, uat = 14, prod = 30 }
    ///   max_days      = 35
    ///   read_replicas = "check"
    /// }
    /// ```
    BackupRetention {
        id: "backup-retention",
        category: Reliability,
        default_level: Error,
        scope: Unit,
        options: Options,
    }
}

/// What a read replica below the floor reports.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Replicas {
    CannotVerify,
    Info,
    Check,
    Ignore,
}

/// The rule's options.
#[derive(Debug, serde::Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Options {
    pub min_days: PerEnv<f64>,
    pub max_days: f64,
    pub read_replicas: Replicas,
}

impl Default for Options {
    fn default() -> Options {
        Options {
            min_days: [
                ("dev", 7.0),
                ("staging", 14.0),
                ("uat", 14.0),
                ("prod", 30.0),
            ]
            .into_iter()
            .map(|(k, v)| (k.to_string(), v))
            .collect(),
            max_days: 35.0,
            read_replicas: Replicas::CannotVerify,
        }
    }
}

/// Whether the instance is a read replica.
enum Replica<'a> {
    No,
    Yes,
    Unknown(&'a str),
}

fn replica(u: &Unit) -> Replica<'_> {
    match lookup(u, "replicate_source_db") {
        Lookup::Missing => Replica::No,
        Lookup::Unknown { reason, .. } => Replica::Unknown(reason),
        Lookup::Known(v) if v.is_null() => Replica::No,
        Lookup::Known(v) => match v.as_str() {
            Some(s) if s.trim().is_empty() => Replica::No,
            _ => Replica::Yes,
        },
    }
}

impl Rule for BackupRetention {
    fn meta(&self) -> &'static crate::rule::Meta {
        &Self::META
    }

    fn check(&self, u: &Unit, cx: &mut Ctx<'_>) {
        let Some(env) = cx.environment() else { return };
        if cx.module().map(|m| m.name) != Some("rds") {
            return;
        }
        if creates(cx, u, "create_db_instance") != Some(true) {
            return;
        }
        let opts = cx.options::<Options>();
        let kind = env.kind.clone();
        let min = opts.min_days.get(&kind).copied();
        let max = opts.max_days;
        let path = "inputs.backup_retention_period";
        let help = match min {
            Some(m) => format!(
                "set backup_retention_period to between {} and {} days for {kind}",
                num(m),
                num(max)
            ),
            None => format!("set backup_retention_period to at most {} days", num(max)),
        };
        let is_replica = replica(u);
        let (days, set) = match num_input(u, "backup_retention_period", None, "") {
            Input::Set(d, _) => (d, true),
            // The module default is null: the RDS API keeps backups 1 day.
            Input::Default(_) | Input::NoDefault(_) => (1.0, false),
            Input::Unknown(reason) => {
                cx.cannot_verify(u, path, "backup_retention_period", reason);
                return;
            }
            Input::WrongType(t, _) => {
                cx.report_value(
                    u,
                    path,
                    format!(
                        "{kind} RDS instance has backup_retention_period set to a {t}, not a number"
                    ),
                )
                .help(help);
                return;
            }
        };
        if set && days > max {
            cx.report_value(
                u,
                path,
                format!(
                    "{kind} RDS instance has backup_retention_period = {}, above the maximum of {} days",
                    num(days),
                    num(max)
                ),
            )
            .help(help);
            return;
        }
        let Some(min) = min else { return };
        if days >= min {
            return;
        }
        let what = if !set {
            format!(
                "{kind} RDS instance: backup_retention_period is not set; the module default is null, so RDS keeps automated backups 1 day (the {kind} minimum is {} days)",
                num(min)
            )
        } else if days <= 0.0 {
            format!(
                "{kind} RDS instance has backup_retention_period = {}, which turns automated backups off (the {kind} minimum is {} days)",
                num(days),
                num(min)
            )
        } else {
            format!(
                "{kind} RDS instance has backup_retention_period = {}, below the {kind} minimum of {} days",
                num(days),
                num(min)
            )
        };
        match is_replica {
            Replica::No => {}
            Replica::Unknown(reason) => {
                // Below the floor, unless it is a replica: which it is, is unknown.
                cx.cannot_verify(
                    u,
                    "inputs.replicate_source_db",
                    "backup_retention_period (whether the instance is a read replica)",
                    reason,
                );
                return;
            }
            Replica::Yes => {
                let why = "it is a read replica (replicate_source_db is set), whose retention depends on the engine's replica rules";
                match opts.read_replicas {
                    Replicas::Check => {}
                    Replicas::Ignore => return,
                    Replicas::CannotVerify => {
                        cx.cannot_verify(u, path, "backup_retention_period", why)
                            .help(help);
                        return;
                    }
                    Replicas::Info => {
                        let rel = if present(u, path) {
                            "backup_retention_period"
                        } else {
                            "replicate_source_db"
                        };
                        note_at(cx, u, Level::Info, rel, format!("{what}; {why}")).help(help);
                        return;
                    }
                }
            }
        }
        if set {
            cx.report_value(u, path, what).help(help);
        } else {
            cx.report_missing(u, what).subject(path).help(help);
        }
    }
}
