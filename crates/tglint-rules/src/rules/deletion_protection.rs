use crate::context::Ctx;
use crate::declare_rule;
use crate::rule::Rule;
use crate::rules::common::{Input, bool_input, creates, require_bool};
use tglint_model::unit::Unit;

declare_rule! {
    /// Requires deletion protection on databases, load balancers, tables and buckets in protected environments (uat and prod).
    ///
    /// ## Why is this bad?
    /// The reference architecture's data-protection table and its RDS table ask for
    /// deletion protection in uat and prod: a `terragrunt destroy`, a refactor that renames
    /// a resource or a mistaken plan must not be able to delete the data there. Checked:
    ///
    /// - RDS (`terraform-aws-modules/rds/aws`): `deletion_protection = true` (module default
    ///   false);
    /// - ALB (`alb/aws`): `enable_deletion_protection = true` (default true from 9.x, false
    ///   before);
    /// - DynamoDB (`dynamodb-table/aws`): `deletion_protection_enabled = true` (default
    ///   null, the provider's false);
    /// - S3 (`s3-bucket/aws`): `force_destroy = false` (default false).
    ///
    /// An environment whose policy block says `protected = false` (dev, staging) requires
    /// nothing, and protection switched on there is never a finding. A module whose create
    /// switch is off (`create_db_instance = false`, …) is not checked.
    ///
    /// ## Example
    /// ```hcl
    /// # environments/prod/us-east-1/02-data/rds/terragrunt.hcl
    /// inputs = {
    ///   deletion_protection = false
    /// }
    /// ```
    /// Use instead:
    /// ```hcl
    /// inputs = {
    ///   deletion_protection = true
    /// }
    /// ```
    DeletionProtection {
        id: "deletion-protection",
        category: Reliability,
        default_level: Error,
        scope: Unit,
    }
}

impl Rule for DeletionProtection {
    fn meta(&self) -> &'static crate::rule::Meta {
        &Self::META
    }

    fn check(&self, u: &Unit, cx: &mut Ctx<'_>) {
        let Some(env) = cx.environment() else { return };
        if !env.protected {
            return;
        }
        let Some(m) = cx.module() else { return };
        let kind = env.kind.clone();
        match m.name {
            "rds" => {
                if creates(cx, u, "create_db_instance") != Some(true) {
                    return;
                }
                let what = format!("{kind} RDS instance");
                require_bool(cx, u, "deletion_protection", true, Some(false), "", &what);
            }
            "alb" => {
                if creates(cx, u, "create") != Some(true) {
                    return;
                }
                let default = m.major().map(|major| major >= 9);
                let why = "the module default changed in 9.0 (false before, true since), and the source pins no version";
                let what = format!("{kind} load balancer");
                require_bool(
                    cx,
                    u,
                    "enable_deletion_protection",
                    true,
                    default,
                    why,
                    &what,
                );
            }
            "dynamodb-table" => {
                if creates(cx, u, "create_table") != Some(true) {
                    return;
                }
                let what = format!("{kind} DynamoDB table");
                require_bool(
                    cx,
                    u,
                    "deletion_protection_enabled",
                    true,
                    Some(false),
                    "",
                    &what,
                );
            }
            "s3-bucket" => {
                if creates(cx, u, "create_bucket") != Some(true) {
                    return;
                }
                // force_destroy = true lets a destroy empty and delete the bucket.
                match bool_input(u, "force_destroy", Some(false), "") {
                    Input::Set(true, _) => {
                        cx.report_value(
                            u,
                            "inputs.force_destroy",
                            format!("{kind} S3 bucket has force_destroy = true"),
                        )
                        .help("set force_destroy = false: a destroy must not empty the bucket");
                    }
                    Input::Unknown(reason) => {
                        cx.cannot_verify(u, "inputs.force_destroy", "force_destroy", reason);
                    }
                    _ => {}
                }
            }
            _ => {}
        }
    }
}
