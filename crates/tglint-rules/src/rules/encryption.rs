use crate::context::Ctx;
use crate::declare_rule;
use crate::rule::Rule;
use crate::rules::common::{Input, bool_input, creates, require_bool, str_input};
use crate::rules::shared_nested::{
    Members, attr, field_str, flattened, full, is_empty, key, lookup, members,
};
use tglint_model::hcl::Data;
use tglint_model::unit::{Lookup, Unit};

declare_rule! {
    /// Requires encryption at rest and HTTPS-only traffic in protected environments (uat and prod).
    ///
    /// ## Why is this bad?
    /// The reference architecture's data-protection table asks for encryption at rest,
    /// database and backup encryption, and "HTTPS only" in transit in uat and prod. Checked
    /// in environments whose policy block says `protected = true`:
    ///
    /// - RDS (`terraform-aws-modules/rds/aws`): `storage_encrypted` is true. The module
    ///   default is true from 4.0 (false before), so an absent one passes; automated backups
    ///   and snapshots inherit the instance's encryption (there is no separate backup
    ///   input).
    /// - S3 (`s3-bucket/aws`): `server_side_encryption_configuration` names an
    ///   `sse_algorithm` among `AES256`, `aws:kms`, `aws:kms:dsse`. When it is empty (the
    ///   module default `{}`) the module configures nothing and S3's own default applies:
    ///   SSE-S3 for every bucket since January 2023, which the inputs cannot show, so that is
    ///   "cannot verify". And `attach_deny_insecure_transport_policy = true` (default
    ///   false), the bucket policy that refuses plain HTTP.
    /// - ALB (`alb/aws`): every listener is `HTTPS` (or `TLS`), or `HTTP` with a default
    ///   `redirect` whose `protocol = "HTTPS"`, no forwarding default action and no rule that
    ///   forwards. 9.x takes `listeners` (a listener without `protocol` uses
    ///   `default_protocol`, default `HTTP`); 8.x takes `http_tcp_listeners`, whose
    ///   `action_type` defaults to `forward`, and `http_tcp_listener_rules`. A `TCP`/`UDP`
    ///   listener passes bytes through: "cannot verify".
    /// - ECS hosts (`autoscaling/aws`): every `block_device_mappings[*].ebs` has
    ///   `encrypted = true`. Without mappings, or without `encrypted`, the volume follows the
    ///   AMI's snapshot and the account's EBS encryption-by-default setting: "cannot verify".
    /// - DynamoDB (`dynamodb-table/aws`): DynamoDB always encrypts tables at rest; with
    ///   `server_side_encryption_enabled = false` (the module default) it uses an AWS-owned
    ///   key. That satisfies "encryption at rest", so nothing is required unless the
    ///   `dynamodb_require_kms` option asks for a KMS key (`server_side_encryption_enabled = true`).
    ///
    /// The data-protection table's "No" for dev and staging means not required (resolution
    /// 7 of module-inputs.md): nothing is checked there, and encryption switched on is never
    /// a finding. Remote state encryption (`remote_state` `encrypt`) is the `remote-state`
    /// rule's. A module whose create switch is off is not checked.
    ///
    /// ## Example
    /// ```hcl
    /// # environments/prod/us-east-1/03-services/alb/terragrunt.hcl
    /// inputs = {
    ///   listeners = {
    ///     http = { port = 80, protocol = "HTTP", forward = { target_group_key = "app" } }
    ///   }
    /// }
    /// ```
    /// Use instead:
    /// ```hcl
    /// inputs = {
    ///   listeners = {
    ///     http  = { port = 80, protocol = "HTTP", redirect = { port = "443", protocol = "HTTPS", status_code = "HTTP_301" } }
    ///     https = { port = 443, protocol = "HTTPS", certificate_arn = dependency.acm.outputs.arn, forward = { target_group_key = "app" } }
    ///   }
    /// }
    /// ```
    ///
    /// ## Options
    /// - `s3_sse_algorithms` (list, default `["AES256", "aws:kms", "aws:kms:dsse"]`): the
    ///   accepted S3 default-encryption algorithms.
    /// - `dynamodb_require_kms` (bool, default `false`): require
    ///   `server_side_encryption_enabled = true` on DynamoDB tables (a KMS key rather than
    ///   DynamoDB's AWS-owned key).
    ///
    /// ```hcl
    /// rule "encryption" {
    ///   s3_sse_algorithms    = ["aws:kms", "aws:kms:dsse"]
    ///   dynamodb_require_kms = true
    /// }
    /// ```
    ///
    /// ## Known limitations
    /// A certificate's validity, TLS between the load balancer and its targets, and RDS
    /// in-transit enforcement (`rds.force_ssl`) are not checked. An encrypted cross-region
    /// read replica also needs `kms_key_id` in the destination region; that is not checked.
    Encryption {
        id: "encryption",
        category: Security,
        default_level: Error,
        scope: Unit,
        options: Options,
    }
}

/// The rule's options.
#[derive(Debug, serde::Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Options {
    pub s3_sse_algorithms: Vec<String>,
    pub dynamodb_require_kms: bool,
}

impl Default for Options {
    fn default() -> Options {
        Options {
            s3_sse_algorithms: ["AES256", "aws:kms", "aws:kms:dsse"]
                .into_iter()
                .map(str::to_string)
                .collect(),
            dynamodb_require_kms: false,
        }
    }
}

impl Rule for Encryption {
    fn meta(&self) -> &'static crate::rule::Meta {
        &Self::META
    }

    fn check(&self, u: &Unit, cx: &mut Ctx<'_>) {
        let Some(env) = cx.environment() else { return };
        if !env.protected {
            return;
        }
        let Some(m) = cx.module() else { return };
        let opts = cx.options::<Options>();
        let kind = env.kind.clone();
        match m.name {
            "rds" => {
                if creates(cx, u, "create_db_instance") != Some(true) {
                    return;
                }
                let default = m.major().map(|major| major >= 4);
                let why = "the module default changed in 4.0 (false before, true since), and the source pins no version";
                require_bool(
                    cx,
                    u,
                    "storage_encrypted",
                    true,
                    default,
                    why,
                    &format!("{kind} RDS instance"),
                );
            }
            "dynamodb-table" => {
                if !opts.dynamodb_require_kms || creates(cx, u, "create_table") != Some(true) {
                    return;
                }
                require_bool(
                    cx,
                    u,
                    "server_side_encryption_enabled",
                    true,
                    Some(false),
                    "",
                    &format!("{kind} DynamoDB table"),
                );
            }
            "s3-bucket" => {
                if creates(cx, u, "create_bucket") != Some(true) {
                    return;
                }
                let what = format!("{kind} S3 bucket");
                s3_sse(u, cx, &opts, &what);
                require_bool(
                    cx,
                    u,
                    "attach_deny_insecure_transport_policy",
                    true,
                    Some(false),
                    "",
                    &what,
                );
            }
            "alb" => alb(u, cx, m.major(), &format!("{kind} load balancer")),
            "autoscaling" => {
                if creates(cx, u, "create") != Some(true) {
                    return;
                }
                ebs(u, cx, &format!("{kind} ECS host autoscaling group"));
            }
            _ => {}
        }
    }
}

fn s3_sse(u: &Unit, cx: &mut Ctx<'_>, opts: &Options, what: &str) {
    let rel = "server_side_encryption_configuration";
    let path = full(rel);
    let allowed = opts.s3_sse_algorithms.join(", ");
    let help = "set server_side_encryption_configuration = { rule = { apply_server_side_encryption_by_default = { sse_algorithm = \"aws:kms\" } } }";
    let s3_default = "the module configures no default encryption, so S3's own default applies (SSE-S3 for every bucket since January 2023), which the inputs cannot show";
    match lookup(u, rel) {
        Lookup::Unknown { reason, .. } => {
            cx.cannot_verify(u, &path, "the bucket's encryption at rest", reason);
            return;
        }
        Lookup::Known(v) if !is_empty(v) && v.as_map().is_none() => {
            cx.report_value(
                u,
                &path,
                format!(
                    "{what} has server_side_encryption_configuration set to a {}, not a map",
                    v.type_name()
                ),
            )
            .help(help);
            return;
        }
        Lookup::Known(v) if !is_empty(v) => {}
        _ => {
            cx.cannot_verify(
                u,
                &path,
                "the bucket's encryption at rest",
                &format!("server_side_encryption_configuration is empty: {s3_default}"),
            )
            .help(help);
            return;
        }
    }
    let rules = match flattened(u, &attr(rel, "rule")) {
        Ok(r) => r,
        Err(reason) => {
            cx.cannot_verify(
                u,
                &full(&attr(rel, "rule")),
                "the bucket's encryption at rest",
                reason,
            );
            return;
        }
    };
    let mut algorithms = 0;
    for (rule_rel, _) in &rules {
        let by_default = attr(rule_rel, "apply_server_side_encryption_by_default");
        let alg_rel = attr(&by_default, "sse_algorithm");
        match str_input(u, &alg_rel, None, "") {
            Input::Set(alg, _) => {
                algorithms += 1;
                if !opts.s3_sse_algorithms.contains(&alg) {
                    cx.report_value(
                        u,
                        &full(&alg_rel),
                        format!("{what} has sse_algorithm = \"{alg}\", not one of {allowed}"),
                    )
                    .help(format!("set sse_algorithm to one of {allowed}"));
                }
            }
            Input::Unknown(reason) => {
                algorithms += 1;
                cx.cannot_verify(
                    u,
                    &full(&alg_rel),
                    "the bucket's encryption algorithm",
                    reason,
                );
            }
            _ => {}
        }
    }
    if algorithms == 0 {
        cx.cannot_verify(
            u,
            &path,
            "the bucket's encryption at rest",
            &format!("server_side_encryption_configuration names no sse_algorithm: {s3_default}"),
        )
        .help(help);
    }
}

/// A problem one reading of the ALB inputs finds.
enum Issue {
    /// A violation at `inputs.<rel>`.
    Fail(String, String),
    /// Unknown at `inputs.<rel>`: what, and why.
    Unknown(String, String, String),
}

const HTTPS_HELP: &str = "make the listener HTTPS, or give the HTTP listener only a redirect = { port = \"443\", protocol = \"HTTPS\", status_code = \"HTTP_301\" }";

/// The default actions that serve a request rather than redirect it.
const SERVING_ACTIONS: &[&str] = &[
    "forward",
    "weighted_forward",
    "fixed_response",
    "authenticate_cognito",
    "authenticate_oidc",
];

fn alb(u: &Unit, cx: &mut Ctx<'_>, major: Option<u64>, what: &str) {
    let switches: &[&str] = match major {
        Some(m) if m >= 9 => &["create"],
        Some(_) => &["create_lb"],
        None => &["create", "create_lb"],
    };
    for s in switches {
        if creates(cx, u, s) != Some(true) {
            return;
        }
    }
    let issues = match major {
        Some(m) if m >= 9 => alb_v9(u, what),
        Some(_) => alb_v8(u, what),
        None => {
            let mut all = alb_v9(u, what);
            all.extend(alb_v8(u, what));
            if let Some(first) = all.first() {
                let rel = match first {
                    Issue::Fail(rel, _) | Issue::Unknown(rel, _, _) => rel.clone(),
                };
                cx.cannot_verify(
                    u,
                    &full(&rel),
                    "that the load balancer accepts HTTPS only",
                    "the source pins no module version, and the listener inputs changed in 9.0 (http_tcp_listeners and https_listeners before, listeners since)",
                )
                .help("pin the module version");
            }
            return;
        }
    };
    for i in issues {
        match i {
            Issue::Fail(rel, msg) => {
                cx.report_value(u, &full(&rel), msg).help(HTTPS_HELP);
            }
            Issue::Unknown(rel, what, why) => {
                cx.cannot_verify(u, &full(&rel), &what, &why);
            }
        }
    }
}

/// What a listener of this protocol needs: `None` when it carries TLS (or is not a
/// client-facing protocol), else the issue for a pass-through one. HTTP is handled by
/// the caller.
fn pass_through(rel: &str, name: &str, protocol: &str) -> Option<Issue> {
    match protocol {
        "TCP" | "UDP" | "TCP_UDP" => Some(Issue::Unknown(
            rel.to_string(),
            format!("that listener {name} carries only TLS"),
            format!(
                "a {protocol} listener passes connections through, and whether they are TLS is the target's business"
            ),
        )),
        _ => None,
    }
}

/// The redirect of an HTTP listener (a map at `inputs.<rel>`): to HTTPS, or an issue.
fn redirect_issue(u: &Unit, rel: &str, name: &str, what: &str) -> Option<Issue> {
    let proto_rel = attr(rel, "protocol");
    match str_input(u, &proto_rel, None, "") {
        Input::Set(p, _) if p.eq_ignore_ascii_case("HTTPS") => None,
        Input::Set(p, _) => Some(Issue::Fail(
            proto_rel,
            format!("{what}: HTTP listener {name} redirects to {p}, not HTTPS"),
        )),
        Input::Unknown(reason) => Some(Issue::Unknown(
            proto_rel,
            format!("that HTTP listener {name} redirects to HTTPS"),
            reason.to_string(),
        )),
        _ => Some(Issue::Fail(
            rel.to_string(),
            format!(
                "{what}: HTTP listener {name} redirects without a protocol, which keeps the request's HTTP"
            ),
        )),
    }
}

/// Rules (`inputs.<rel>`, a map or list of `{ actions = [...] }`) of an HTTP listener
/// that forward.
fn forwarding_rules(u: &Unit, rel: &str, name: &str, what: &str, out: &mut Vec<Issue>) {
    let items = match members(u, rel) {
        Members::Known(items) => items,
        Members::Unknown(reason) => {
            out.push(Issue::Unknown(
                rel.to_string(),
                format!("that the rules of HTTP listener {name} do not forward"),
                reason.to_string(),
            ));
            return;
        }
        _ => return,
    };
    for (rule_rel, _) in items {
        let actions = attr(&rule_rel, "actions");
        let acts = match members(u, &actions) {
            Members::Known(a) => a,
            Members::Unknown(reason) => {
                out.push(Issue::Unknown(
                    actions,
                    format!("that the rules of HTTP listener {name} do not forward"),
                    reason.to_string(),
                ));
                continue;
            }
            _ => continue,
        };
        for (act_rel, act) in acts {
            match field_str(act, "type") {
                Ok(Some(t)) if t == "forward" || t == "weighted-forward" => {
                    out.push(Issue::Fail(
                        act_rel,
                        format!("{what}: a rule of HTTP listener {name} forwards plain HTTP ({t})"),
                    ));
                }
                Err(reason) => out.push(Issue::Unknown(
                    act_rel,
                    format!("that the rules of HTTP listener {name} do not forward"),
                    reason.to_string(),
                )),
                _ => {}
            }
        }
    }
}

/// alb 9.x: `listeners`.
fn alb_v9(u: &Unit, what: &str) -> Vec<Issue> {
    let mut out = Vec::new();
    let default_protocol = match str_input(u, "default_protocol", Some("HTTP"), "") {
        Input::Set(p, _) | Input::Default(p) => Ok(p),
        Input::Unknown(reason) => Err(reason.to_string()),
        _ => Ok("HTTP".to_string()),
    };
    let items = match lookup(u, "listeners") {
        Lookup::Known(v) => match v.as_map() {
            Some(m) => m.iter().map(|(k, x)| (k.clone(), x)).collect::<Vec<_>>(),
            None => return out,
        },
        Lookup::Unknown { reason, .. } => {
            out.push(Issue::Unknown(
                "listeners".into(),
                "that the load balancer accepts HTTPS only".into(),
                reason.to_string(),
            ));
            return out;
        }
        Lookup::Missing => return out,
    };
    for (name, item) in items {
        let rel = key("listeners", &name);
        let name = format!("\"{name}\"");
        let protocol = match field_str(item, "protocol") {
            Ok(Some(p)) => p,
            Ok(None) => match &default_protocol {
                Ok(p) => p.clone(),
                Err(reason) => {
                    out.push(Issue::Unknown(
                        "default_protocol".into(),
                        format!("the protocol of listener {name}"),
                        reason.clone(),
                    ));
                    continue;
                }
            },
            Err(reason) => {
                out.push(Issue::Unknown(
                    attr(&rel, "protocol"),
                    format!("the protocol of listener {name}"),
                    reason.to_string(),
                ));
                continue;
            }
        };
        let protocol = protocol.to_ascii_uppercase();
        if protocol != "HTTP" {
            out.extend(pass_through(&rel, &name, &protocol));
            continue;
        }
        let map = item.as_map();
        let has = |k: &str| map.is_some_and(|m| m.get(k).is_some_and(|v| !v.is_null()));
        if has("redirect") {
            if let Some(i) = redirect_issue(u, &attr(&rel, "redirect"), &name, what) {
                out.push(i);
            }
        } else {
            out.push(Issue::Fail(
                rel.clone(),
                format!("{what}: listener {name} is HTTP and does not redirect to HTTPS"),
            ));
            continue;
        }
        if let Some(action) = SERVING_ACTIONS.iter().find(|a| has(a)) {
            out.push(Issue::Fail(
                attr(&rel, action),
                format!("{what}: HTTP listener {name} also has a {action} default action, which serves plain HTTP"),
            ));
        }
        forwarding_rules(u, &attr(&rel, "rules"), &name, what, &mut out);
    }
    out
}

/// alb 8.x: `http_tcp_listeners` (and `http_tcp_listener_rules`); `https_listeners` are
/// HTTPS.
fn alb_v8(u: &Unit, what: &str) -> Vec<Issue> {
    let mut out = Vec::new();
    let mut http = Vec::new();
    match members(u, "http_tcp_listeners") {
        Members::Known(items) => {
            for (i, (rel, item)) in items.into_iter().enumerate() {
                let name = format!("{i}");
                let protocol = match field_str(item, "protocol") {
                    Ok(Some(p)) => p.to_ascii_uppercase(),
                    Ok(None) => continue,
                    Err(reason) => {
                        out.push(Issue::Unknown(
                            attr(&rel, "protocol"),
                            format!("the protocol of listener {name}"),
                            reason.to_string(),
                        ));
                        continue;
                    }
                };
                if protocol != "HTTP" {
                    out.extend(pass_through(&rel, &name, &protocol));
                    continue;
                }
                http.push(i);
                match field_str(item, "action_type") {
                    Ok(Some(t)) if t == "redirect" => {
                        if let Some(issue) = redirect_issue(u, &attr(&rel, "redirect"), &name, what)
                        {
                            out.push(issue);
                        }
                    }
                    Ok(t) => {
                        let t = t.unwrap_or_else(|| "forward".to_string());
                        out.push(Issue::Fail(
                            rel.clone(),
                            format!("{what}: http_tcp_listeners[{i}] is HTTP with action_type = \"{t}\", not a redirect to HTTPS"),
                        ));
                    }
                    Err(reason) => out.push(Issue::Unknown(
                        attr(&rel, "action_type"),
                        format!("that HTTP listener {name} redirects to HTTPS"),
                        reason.to_string(),
                    )),
                }
            }
        }
        Members::Unknown(reason) => out.push(Issue::Unknown(
            "http_tcp_listeners".into(),
            "that the load balancer accepts HTTPS only".into(),
            reason.to_string(),
        )),
        _ => {}
    }
    if let Members::Known(rules) = members(u, "http_tcp_listener_rules") {
        for (j, (rel, item)) in rules.into_iter().enumerate() {
            let index = item
                .as_map()
                .and_then(|m| m.get("http_tcp_listener_index"))
                .and_then(|v| v.to_number_conv().ok())
                .and_then(|n| n.as_i64())
                .map(|n| n as usize)
                .unwrap_or(j);
            if !http.contains(&index) {
                continue;
            }
            let acts = match members(u, &attr(&rel, "actions")) {
                Members::Known(a) => a,
                _ => continue,
            };
            for (act_rel, act) in acts {
                if let Ok(Some(t)) = field_str(act, "type")
                    && (t == "forward" || t == "weighted-forward")
                {
                    out.push(Issue::Fail(
                        act_rel,
                        format!("{what}: a rule of HTTP listener http_tcp_listeners[{index}] forwards plain HTTP ({t})"),
                    ));
                }
            }
        }
    }
    out
}

fn ebs(u: &Unit, cx: &mut Ctx<'_>, what: &str) {
    let subject = "the encryption of the ECS hosts' EBS volumes";
    let help = "set encrypted = true in each block_device_mappings[*].ebs";
    match bool_input(u, "create_launch_template", Some(true), "") {
        Input::Set(false, _) => {
            cx.cannot_verify(
                u,
                "inputs.create_launch_template",
                subject,
                "the launch template is not created by this module (create_launch_template = false)",
            );
            return;
        }
        Input::Unknown(reason) => {
            cx.cannot_verify(u, "inputs.create_launch_template", subject, reason);
            return;
        }
        _ => {}
    }
    let account_default = "the account's EBS encryption-by-default setting (or the snapshot's encryption) applies, which the inputs cannot show";
    let items = match members(u, "block_device_mappings") {
        Members::Known(items) if !items.is_empty() => items,
        Members::Unknown(reason) => {
            cx.cannot_verify(u, "inputs.block_device_mappings", subject, reason);
            return;
        }
        Members::WrongType(_) => return,
        _ => {
            cx.cannot_verify(
                u,
                "inputs.block_device_mappings",
                subject,
                &format!("block_device_mappings is empty, so the root volume follows the AMI and {account_default}"),
            )
            .help(help);
            return;
        }
    };
    for (rel, item) in items {
        let device = field_str(item, "device_name")
            .ok()
            .flatten()
            .map(|d| format!(" {d}"))
            .unwrap_or_default();
        let ebs_rel = attr(&rel, "ebs");
        let volumes = match flattened(u, &ebs_rel) {
            Ok(v) => v,
            Err(reason) => {
                cx.cannot_verify(u, &full(&ebs_rel), subject, reason);
                continue;
            }
        };
        for (vrel, v) in volumes {
            if !matches!(v.data, Data::Map(..)) {
                continue;
            }
            let enc = attr(&vrel, "encrypted");
            match bool_input(u, &enc, None, "") {
                Input::Set(true, _) => {}
                Input::Set(false, _) => {
                    cx.report_value(
                        u,
                        &full(&enc),
                        format!("{what}: EBS volume{device} has encrypted = false"),
                    )
                    .help(help);
                }
                Input::Unknown(reason) => {
                    cx.cannot_verify(u, &full(&enc), subject, reason);
                }
                Input::WrongType(t, _) => {
                    cx.report_value(
                        u,
                        &full(&enc),
                        format!(
                            "{what}: EBS volume{device} has encrypted set to a {t}, not a bool"
                        ),
                    )
                    .help(help);
                }
                Input::Default(_) | Input::NoDefault(_) => {
                    cx.cannot_verify(
                        u,
                        &full(&vrel),
                        subject,
                        &format!("EBS volume{device} does not set encrypted, so {account_default}"),
                    )
                    .help(help);
                }
            }
        }
    }
}
