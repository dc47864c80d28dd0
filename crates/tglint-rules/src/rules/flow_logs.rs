use crate::context::Ctx;
use crate::declare_rule;
use crate::rule::Rule;
use crate::rules::common::{Input, bool_input, num_input, present, require_bool, str_input};
use crate::rules::shared_vpc::{creates_vpc, vpc_of, vpc_what};
use tglint_model::unit::Unit;

declare_rule! {
    /// Requires VPC flow logs in prod, delivered to a destination that exists and, for CloudWatch, kept at least 30 days.
    ///
    /// ## Why is this bad?
    /// The reference architecture's VPC table has flow logs "Enabled" in prod (disabled
    /// elsewhere), and its logging table sends "VPC Flow Logs" to CloudWatch with a
    /// retention of "30 days (prod)", for network traffic analysis. Without them there is
    /// no record of what reached or left the production network. Checked, for every unit
    /// of the VPC module (`terraform-aws-modules/vpc/aws`) that creates a VPC, in the
    /// environment kinds of `environments`:
    ///
    /// - `enable_flow_log` is true (default false);
    /// - `flow_log_destination_type` (default `cloud-watch-logs`) is one of
    ///   `destination_types`;
    /// - the flow log has a destination, or `aws_flow_log` gets none and the apply fails:
    ///   for CloudWatch, `create_flow_log_cloudwatch_log_group = true` or a
    ///   `flow_log_destination_arn`, and `create_flow_log_cloudwatch_iam_role = true` or a
    ///   `flow_log_cloudwatch_iam_role_arn` (all default false or `""`); for S3 and
    ///   Kinesis Data Firehose, a `flow_log_destination_arn`;
    /// - when the module creates the log group,
    ///   `flow_log_cloudwatch_log_group_retention_in_days` is at least
    ///   `min_retention_days`. Absent (`null`) or `0`, the log group never expires, which
    ///   keeps more than the floor and passes. A log group given by ARN is not the
    ///   module's, and its retention is not checked.
    ///
    /// Other environments require nothing, and flow logs switched on there are never a
    /// finding.
    ///
    /// ## Example
    /// ```hcl
    /// # environments/prod/us-east-1/01-infra/network/vpc/terragrunt.hcl
    /// inputs = {
    ///   enable_flow_log = true # no destination: the apply fails
    /// }
    /// ```
    /// Use instead:
    /// ```hcl
    /// inputs = {
    ///   enable_flow_log                                 = true
    ///   create_flow_log_cloudwatch_log_group            = true
    ///   create_flow_log_cloudwatch_iam_role             = true
    ///   flow_log_cloudwatch_log_group_retention_in_days = 30
    /// }
    /// ```
    ///
    /// ## Options
    /// - `environments` (default `["prod"]`): the environment kinds that need flow logs.
    /// - `destination_types` (default `["cloud-watch-logs"]`): the destination types
    ///   allowed (`cloud-watch-logs`, `s3`, `kinesis-data-firehose`).
    /// - `min_retention_days` (default `30`): the least retention of a log group the
    ///   module creates; `0` does not check it.
    FlowLogs {
        id: "flow-logs",
        category: Security,
        default_level: Error,
        scope: Unit,
        options: Options,
    }
}

#[derive(Debug, serde::Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Options {
    /// The environment kinds that need flow logs.
    pub environments: Vec<String>,
    /// The destination types allowed.
    pub destination_types: Vec<String>,
    /// The least retention of a log group the module creates (0: not checked).
    pub min_retention_days: u32,
}

impl Default for Options {
    fn default() -> Options {
        Options {
            environments: vec!["prod".to_string()],
            destination_types: vec!["cloud-watch-logs".to_string()],
            min_retention_days: 30,
        }
    }
}

const CLOUDWATCH: &str = "cloud-watch-logs";

impl Rule for FlowLogs {
    fn meta(&self) -> &'static crate::rule::Meta {
        &Self::META
    }

    fn check(&self, u: &Unit, cx: &mut Ctx<'_>) {
        let Some(kind) = cx.env_kind() else { return };
        let o = cx.options::<Options>();
        if !o.environments.iter().any(|e| e == kind) {
            return;
        }
        if vpc_of(cx.module(), u).is_none() || !creates_vpc(cx, u) {
            return;
        }
        let what = vpc_what(Some(kind));
        match bool_input(u, "enable_flow_log", Some(false), "") {
            Input::Set(true, _) => {}
            _ => {
                require_bool(cx, u, "enable_flow_log", true, Some(false), "", &what);
                return;
            }
        }
        let ty = match str_input(u, "flow_log_destination_type", Some(CLOUDWATCH), "") {
            Input::Set(t, _) | Input::Default(t) => t,
            Input::Unknown(reason) => {
                cx.cannot_verify(
                    u,
                    "inputs.flow_log_destination_type",
                    "the flow log's destination",
                    reason,
                );
                return;
            }
            Input::NoDefault(_) | Input::WrongType(..) => return,
        };
        if !o.destination_types.contains(&ty) {
            let message = format!(
                "{what} sends its flow log to {ty}; the architecture sends it to {}",
                o.destination_types.join(" or ")
            );
            let help = format!(
                "set flow_log_destination_type = \"{}\"",
                o.destination_types
                    .first()
                    .map(String::as_str)
                    .unwrap_or(CLOUDWATCH)
            );
            if present(u, "inputs.flow_log_destination_type") {
                cx.report_value(u, "inputs.flow_log_destination_type", message)
                    .help(help);
            } else {
                cx.report_missing(u, format!("{message} (flow_log_destination_type is not set; the module default is {CLOUDWATCH})")).subject("inputs.flow_log_destination_type")
                    .help(help);
            }
        }
        if ty == CLOUDWATCH {
            let creates_group = destination(
                cx,
                u,
                "create_flow_log_cloudwatch_log_group",
                "flow_log_destination_arn",
                &format!("{what} flow log has no destination"),
                "set create_flow_log_cloudwatch_log_group = true, or flow_log_destination_arn to an existing log group",
            );
            destination(
                cx,
                u,
                "create_flow_log_cloudwatch_iam_role",
                "flow_log_cloudwatch_iam_role_arn",
                &format!("{what} flow log has no IAM role to deliver to CloudWatch"),
                "set create_flow_log_cloudwatch_iam_role = true, or flow_log_cloudwatch_iam_role_arn to a role the flow log service can assume",
            );
            if creates_group == Some(true) && o.min_retention_days > 0 {
                check_retention(cx, u, o.min_retention_days, &what);
            }
        } else {
            arn(
                cx,
                u,
                "flow_log_destination_arn",
                &format!("{what} flow log to {ty} has no destination"),
                "set flow_log_destination_arn to the bucket or delivery stream",
            );
        }
    }
}

/// Whether `create_<x>` is true or `<x>_arn` is non-empty, reporting otherwise at the
/// one the user set (the switch when neither is). `Some(true)` when the module creates
/// it, `Some(false)` when an ARN is given, `None` otherwise.
fn destination(
    cx: &mut Ctx<'_>,
    u: &Unit,
    switch: &str,
    arn_input: &str,
    missing: &str,
    help: &str,
) -> Option<bool> {
    match bool_input(u, switch, Some(false), "") {
        Input::Set(true, _) => return Some(true),
        Input::Unknown(reason) => {
            cx.cannot_verify(
                u,
                &format!("inputs.{switch}"),
                &format!("whether the flow log has a destination ({switch})"),
                reason,
            );
            return None;
        }
        _ => {}
    }
    match str_input(u, arn_input, Some(""), "") {
        Input::Set(a, _) if !a.is_empty() => Some(false),
        Input::Unknown(reason) => {
            cx.cannot_verify(
                u,
                &format!("inputs.{arn_input}"),
                &format!("whether the flow log has a destination ({arn_input})"),
                reason,
            );
            None
        }
        _ => {
            let message = format!("{missing}: {switch} is false and {arn_input} is empty");
            if present(u, &format!("inputs.{switch}")) {
                cx.report_value(u, &format!("inputs.{switch}"), message)
                    .help(help);
            } else if present(u, &format!("inputs.{arn_input}")) {
                cx.report_value(u, &format!("inputs.{arn_input}"), message)
                    .help(help);
            } else {
                cx.report_missing(
                    u,
                    format!("{missing}: neither {switch} nor {arn_input} is set (module defaults false and \"\")"),
                ).subject(format!("inputs.{switch}"))
                .help(help);
            }
            None
        }
    }
}

/// A non-empty `<arn_input>`.
fn arn(cx: &mut Ctx<'_>, u: &Unit, arn_input: &str, missing: &str, help: &str) {
    let path = format!("inputs.{arn_input}");
    match str_input(u, arn_input, Some(""), "") {
        Input::Set(a, _) if !a.is_empty() => {}
        Input::Unknown(reason) => {
            cx.cannot_verify(u, &path, "the flow log's destination", reason);
        }
        Input::Set(..) | Input::WrongType(..) => {
            cx.report_value(u, &path, format!("{missing}: {arn_input} is empty"))
                .help(help);
        }
        Input::Default(_) | Input::NoDefault(_) => {
            cx.report_missing(
                u,
                format!("{missing}: {arn_input} is not set (module default \"\")"),
            )
            .subject(&path)
            .help(help);
        }
    }
}

/// The retention of the log group the module creates is at least `min` days (absent or
/// 0: never expires).
fn check_retention(cx: &mut Ctx<'_>, u: &Unit, min: u32, what: &str) {
    let name = "flow_log_cloudwatch_log_group_retention_in_days";
    let path = format!("inputs.{name}");
    match num_input(u, name, None, "") {
        Input::Set(days, _) if days == 0.0 || days >= f64::from(min) => {}
        Input::Set(days, _) => {
            cx.report_value(
                u,
                &path,
                format!("{what} keeps its flow log {days} days; the architecture keeps it {min}"),
            )
            .help(format!("set {name} = {min}"));
        }
        Input::Unknown(reason) => {
            cx.cannot_verify(u, &path, "the flow log's retention", reason);
        }
        Input::WrongType(t, _) => {
            cx.report_value(u, &path, format!("{what}: {name} is a {t}, not a number"));
        }
        // Not set: null, the log group never expires.
        Input::Default(_) | Input::NoDefault(_) => {}
    }
}
