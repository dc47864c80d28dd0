use crate::context::Ctx;
use crate::declare_rule;
use crate::rule::Rule;
use crate::rules::common::{Input, bool_input, creates, num_input, str_input};
use crate::rules::shared_nested::{env_among, num};
use tglint_model::unit::Unit;

/// The intervals (seconds) the RDS API accepts for `monitoring_interval`.
const VALID_INTERVALS: &[f64] = &[0.0, 1.0, 5.0, 10.0, 15.0, 30.0, 60.0];

declare_rule! {
    /// Requires RDS enhanced monitoring (`monitoring_interval > 0`, with a monitoring role) in prod.
    ///
    /// ## Why is this bad?
    /// The reference architecture's RDS table asks for enhanced monitoring in prod ("Enhanced
    /// Monitoring: No · No · No · Yes"), and its IAM section lists the "RDS Enhanced
    /// Monitoring Role" it needs. Without it, the OS-level metrics (memory, swap, per-process
    /// CPU) that explain a slow or failing database are missing when they matter. Checked on
    /// `terraform-aws-modules/rds/aws` units of the environments the rule covers (prod):
    ///
    /// - `monitoring_interval` is greater than 0 (module default `0`, which is off);
    /// - with an interval above 0, `create_monitoring_role = true` (default false) or a
    ///   `monitoring_role_arn` (default null) is given: without either the RDS API rejects the
    ///   instance.
    ///
    /// In every environment, a `monitoring_interval` that is switched on is also checked for
    /// being one of the values the API accepts (0, 1, 5, 10, 15, 30, 60) and for having its
    /// role: monitoring switched on in dev is never a finding, a monitoring configuration
    /// that cannot be applied is. A unit with `create_db_instance = false` is not checked.
    ///
    /// ## Example
    /// ```hcl
    /// # environments/prod/us-east-1/02-data/rds/terragrunt.hcl
    /// inputs = {
    ///   monitoring_interval = 0
    /// }
    /// ```
    /// Use instead:
    /// ```hcl
    /// inputs = {
    ///   monitoring_interval    = 60
    ///   create_monitoring_role = true
    /// }
    /// ```
    ///
    /// ## Options
    /// - `environments` (list of environment kinds, default `["prod"]`): where enhanced
    ///   monitoring is required.
    ///
    /// ```hcl
    /// rule "enhanced-monitoring" {
    ///   environments = ["uat", "prod"]
    /// }
    /// ```
    ///
    /// ## Known limitations
    /// Whether the role given in `monitoring_role_arn` exists and trusts
    /// `monitoring.rds.amazonaws.com` is not checkable from the inputs.
    EnhancedMonitoring {
        id: "enhanced-monitoring",
        category: Reliability,
        default_level: Warning,
        scope: Unit,
        options: Options,
    }
}

/// The rule's options.
#[derive(Debug, serde::Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Options {
    /// The environment kinds that require enhanced monitoring.
    pub environments: Vec<String>,
}

impl Default for Options {
    fn default() -> Options {
        Options {
            environments: vec!["prod".to_string()],
        }
    }
}

impl Rule for EnhancedMonitoring {
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
        let required = env_among(cx, &opts.environments).is_some();
        let kind = env.kind.clone();
        let path = "inputs.monitoring_interval";
        let interval = match num_input(u, "monitoring_interval", Some(0.0), "") {
            Input::Set(v, _) => v,
            Input::Default(v) => {
                if required && v <= 0.0 {
                    cx.report_missing(
                        u,
                        format!(
                            "{kind} RDS instance: monitoring_interval is not set; the module default is 0, which turns enhanced monitoring off"
                        ),
                    ).subject(path)
                    .help("set monitoring_interval = 60 (or 1, 5, 10, 15, 30) and create_monitoring_role = true");
                }
                return;
            }
            Input::NoDefault(why) => {
                cx.cannot_verify(u, path, "monitoring_interval", &why);
                return;
            }
            Input::Unknown(reason) => {
                if required {
                    cx.cannot_verify(u, path, "monitoring_interval", reason);
                }
                return;
            }
            Input::WrongType(t, _) => {
                cx.report_value(
                    u,
                    path,
                    format!(
                        "{kind} RDS instance has monitoring_interval set to a {t}, not a number"
                    ),
                )
                .help("set monitoring_interval to one of 1, 5, 10, 15, 30 or 60");
                return;
            }
        };
        if !VALID_INTERVALS.contains(&interval) {
            cx.report_value(
                u,
                path,
                format!(
                    "{kind} RDS instance has monitoring_interval = {}, which RDS does not accept (valid: 0, 1, 5, 10, 15, 30, 60)",
                    num(interval)
                ),
            )
            .help("use one of 1, 5, 10, 15, 30 or 60 seconds");
            return;
        }
        if interval <= 0.0 {
            if required {
                cx.report_value(
                    u,
                    path,
                    format!("{kind} RDS instance has monitoring_interval = 0, which turns enhanced monitoring off"),
                )
                .help("set monitoring_interval = 60 (or 1, 5, 10, 15, 30) and create_monitoring_role = true");
            }
            return;
        }
        self.check_role(u, cx, &kind);
    }
}

impl EnhancedMonitoring {
    /// With monitoring on, the module needs a role: its own (`create_monitoring_role`) or
    /// one given (`monitoring_role_arn`).
    fn check_role(&self, u: &Unit, cx: &mut Ctx<'_>, kind: &str) {
        let help = "set create_monitoring_role = true, or monitoring_role_arn to a role that monitoring.rds.amazonaws.com can assume";
        match bool_input(u, "create_monitoring_role", Some(false), "") {
            Input::Set(true, _) => return,
            Input::Unknown(reason) => {
                cx.cannot_verify(
                    u,
                    "inputs.create_monitoring_role",
                    "the enhanced monitoring role (create_monitoring_role)",
                    reason,
                );
                return;
            }
            _ => {}
        }
        match str_input(u, "monitoring_role_arn", None, "") {
            Input::Set(arn, _) if !arn.trim().is_empty() => {}
            Input::Unknown(reason) => {
                cx.cannot_verify(
                    u,
                    "inputs.monitoring_role_arn",
                    "the enhanced monitoring role (monitoring_role_arn)",
                    reason,
                );
            }
            Input::Set(..) => {
                cx.report_value(
                    u,
                    "inputs.monitoring_role_arn",
                    format!("{kind} RDS instance has enhanced monitoring on but monitoring_role_arn is empty and create_monitoring_role is not true"),
                )
                .help(help);
            }
            _ => {
                cx.report_value(
                    u,
                    "inputs.monitoring_interval",
                    format!("{kind} RDS instance has enhanced monitoring on but no monitoring role: create_monitoring_role is not true and monitoring_role_arn is not set, so RDS rejects the instance"),
                )
                .help(help);
            }
        }
    }
}
