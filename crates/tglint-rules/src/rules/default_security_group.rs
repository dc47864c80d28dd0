use crate::context::Ctx;
use crate::declare_rule;
use crate::rule::Rule;
use crate::rules::common::{Input, bool_input, require_bool};
use crate::rules::shared_vpc::{creates_vpc, vpc_of, vpc_what};
use tglint_model::unit::{Typed, Unit};

declare_rule! {
    /// Requires every VPC's default security group to be managed and locked down, with no ingress or egress rules.
    ///
    /// ## Why is this bad?
    /// The reference architecture's VPC section: "Default Security Group: Locked down (no
    /// ingress/egress)", "Locked" in every environment. AWS creates the default security
    /// group of a VPC allowing all traffic from its own members and all egress; any
    /// resource launched without a security group gets it. The VPC module
    /// (`terraform-aws-modules/vpc/aws`) adopts it as `aws_default_security_group` when
    /// `manage_default_security_group` is true and then keeps exactly the rules of
    /// `default_security_group_ingress` and `default_security_group_egress`, so empty
    /// lists remove every rule. Checked, for every unit of the VPC module that creates a
    /// VPC, in every environment:
    ///
    /// - `manage_default_security_group` is true. Its default is true from 4.0.0 and
    ///   false in 3.x, by the source's pinned major; absent with no pinned version it
    ///   cannot be verified;
    /// - `default_security_group_ingress` and `default_security_group_egress` are empty
    ///   (default `[]`).
    ///
    /// ## Example
    /// ```hcl
    /// inputs = {
    ///   default_security_group_egress = [{ cidr_blocks = "0.0.0.0/0" }]
    /// }
    /// ```
    /// Use instead:
    /// ```hcl
    /// inputs = {
    ///   manage_default_security_group  = true
    ///   default_security_group_ingress = []
    ///   default_security_group_egress  = []
    /// }
    /// ```
    DefaultSecurityGroup {
        id: "default-security-group",
        category: Security,
        default_level: Error,
        scope: Unit,
    }
}

impl Rule for DefaultSecurityGroup {
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
        let what = vpc_what(cx.env_kind());
        let default = vpc.major.map(|m| m >= 4);
        let why = "the module default changed in 4.0 (false before, true since), and the source pins no version";
        let managed = bool_input(u, "manage_default_security_group", default, why);
        require_bool(
            cx,
            u,
            "manage_default_security_group",
            true,
            default,
            why,
            &what,
        );
        // Unmanaged, the rule lists do nothing (that is the finding above).
        if !matches!(managed, Input::Set(true, _) | Input::Default(true)) {
            return;
        }
        for (name, dir) in [
            ("default_security_group_ingress", "ingress"),
            ("default_security_group_egress", "egress"),
        ] {
            let path = format!("inputs.{name}");
            match u.get(&path).list() {
                Typed::Known { value: [], .. } => {}
                Typed::Known { value, .. } => {
                    let n = value.len();
                    cx.report_value(
                        u,
                        &path,
                        format!(
                            "{what}: the default security group has {n} {dir} rule{} in {name}; it must have none",
                            if n == 1 { "" } else { "s" }
                        ),
                    )
                    .help(format!("set {name} = [] and give the resources that need traffic a security group of their own"));
                }
                Typed::Unknown { reason, .. } => {
                    cx.cannot_verify(
                        u,
                        &path,
                        &format!("the default security group's {dir} rules"),
                        reason,
                    );
                }
                Typed::WrongType { value, .. } => {
                    cx.report_value(
                        u,
                        &path,
                        format!(
                            "{what}: {name} is a {}, not a list of rules",
                            value.type_name()
                        ),
                    );
                }
                // Absent or null: the module default, [].
                Typed::Missing | Typed::Null(_) => {}
            }
        }
    }
}
