use crate::context::Ctx;
use crate::declare_rule;
use crate::rule::Rule;
use crate::rules::common::{Input, bool_input, creates, present};
use crate::rules::shared_nested::{
    EcsPart, attr, ecs_part, env_among, field_str, flattened, full, is_empty, lookup,
};
use tglint_model::unit::{Lookup, Unit};

declare_rule! {
    /// Requires ECS Container Insights on the prod ECS clusters.
    ///
    /// ## Why is this bad?
    /// The reference architecture's ECS table turns Container Insights on in prod ("Container
    /// Insights: Disabled · Disabled · Disabled · Enabled", and the logging line "Container
    /// Insights (prod only)"): without it the per-task CPU, memory and network metrics that
    /// explain a failing service are not collected. Checked on the clusters of
    /// `terraform-aws-modules/ecs/aws` (the root module, and `//modules/cluster`) in the
    /// environments the rule covers (prod): the cluster's `containerInsights` setting is one
    /// of `enabled` or `enhanced`. The input depends on the module's major version:
    ///
    /// | major | input | module default |
    /// |---|---|---|
    /// | ≤ 3 | `container_insights` (bool) | `false` |
    /// | 4, 5 | `cluster_settings`: one `{ name, value }` map or a list of them | `containerInsights = enabled` |
    /// | ≥ 6 | `cluster_setting` (root) / `setting` (`//modules/cluster`): a list | `containerInsights = enabled` |
    ///
    /// An absent input means the module default, so from 4.0 an ECS cluster that does not
    /// mention the setting passes. A setting list without `containerInsights`
    /// (`cluster_settings = []`) leaves it to the account's default setting, which the
    /// inputs cannot show: "cannot verify". A source that pins no version cannot tell which
    /// input or default applies: a value that would fail under one of them is "cannot
    /// verify". The architecture's "Disabled" outside prod is not required (the module
    /// default is on; insights switched on is never a finding). An ECS unit with
    /// `create = false` (`create_ecs` up to 3.x), or of `//modules/service`, is not checked.
    ///
    /// ## Example
    /// ```hcl
    /// # environments/prod/us-east-1/03-services/ecs-cluster/terragrunt.hcl
    /// inputs = {
    ///   cluster_settings = [{ name = "containerInsights", value = "disabled" }]
    /// }
    /// ```
    /// Use instead:
    /// ```hcl
    /// inputs = {
    ///   cluster_settings = [{ name = "containerInsights", value = "enabled" }]
    /// }
    /// ```
    ///
    /// ## Options
    /// - `environments` (list of environment kinds, default `["prod"]`): where Container
    ///   Insights is required.
    /// - `values` (list, default `["enabled", "enhanced"]`): the accepted values of the
    ///   `containerInsights` setting.
    ///
    /// ```hcl
    /// rule "container-insights" {
    ///   environments = ["uat", "prod"]
    ///   values       = ["enhanced"]
    /// }
    /// ```
    ContainerInsights {
        id: "container-insights",
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
    pub environments: Vec<String>,
    pub values: Vec<String>,
}

impl Default for Options {
    fn default() -> Options {
        Options {
            environments: vec!["prod".to_string()],
            values: vec!["enabled".to_string(), "enhanced".to_string()],
        }
    }
}

/// How one major version of the module takes the setting.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Shape {
    /// `container_insights` (bool, default false): majors up to 3.
    Bool,
    /// A list (or one map) of `{ name, value }` under this input; the default enables it.
    Settings(&'static str),
}

/// What one shape says about the unit.
#[derive(Debug)]
enum Verdict {
    Pass,
    /// Off, at this path (relative to `inputs`; empty: the input is absent), with a
    /// message.
    Fail(String, String),
    /// Unknown: the path (relative to `inputs`) and why.
    Unknown(String, String),
}

fn shapes(major: Option<u64>, submodule: bool) -> Vec<Shape> {
    let settings6 = if submodule {
        "setting"
    } else {
        "cluster_setting"
    };
    match major {
        Some(m) if m <= 3 => vec![Shape::Bool],
        Some(4 | 5) => vec![Shape::Settings("cluster_settings")],
        Some(_) => vec![Shape::Settings(settings6)],
        None if submodule => vec![
            Shape::Settings("cluster_settings"),
            Shape::Settings(settings6),
        ],
        None => vec![
            Shape::Bool,
            Shape::Settings("cluster_settings"),
            Shape::Settings(settings6),
        ],
    }
}

impl ContainerInsights {
    fn judge(&self, u: &Unit, shape: Shape, opts: &Options, what: &str) -> Verdict {
        match shape {
            Shape::Bool => match bool_input(u, "container_insights", Some(false), "") {
                Input::Set(true, _) | Input::Default(true) => Verdict::Pass,
                Input::Set(false, _) => Verdict::Fail(
                    "container_insights".into(),
                    format!("{what} has container_insights = false"),
                ),
                Input::Default(_) | Input::NoDefault(_) => Verdict::Fail(
                    String::new(),
                    format!(
                        "{what}: container_insights is not set; the module default (before 4.0) is false"
                    ),
                ),
                Input::Unknown(reason) => {
                    Verdict::Unknown("container_insights".into(), reason.to_string())
                }
                Input::WrongType(t, _) => Verdict::Fail(
                    "container_insights".into(),
                    format!("{what} has container_insights set to a {t}, not a bool"),
                ),
            },
            Shape::Settings(name) => {
                match lookup(u, name) {
                    Lookup::Missing => return Verdict::Pass,
                    Lookup::Known(v) if v.is_null() => return Verdict::Pass,
                    _ => {}
                }
                let items = match flattened(u, name) {
                    Ok(items) => items,
                    Err(reason) => return Verdict::Unknown(name.to_string(), reason.to_string()),
                };
                let mut unknown: Option<(String, String)> = None;
                let mut found = false;
                for (rel, item) in &items {
                    let n = match field_str(item, "name") {
                        Ok(n) => n,
                        Err(reason) => {
                            unknown.get_or_insert((attr(rel, "name"), reason.to_string()));
                            continue;
                        }
                    };
                    if n.as_deref() != Some("containerInsights") {
                        continue;
                    }
                    found = true;
                    let vrel = attr(rel, "value");
                    match field_str(item, "value") {
                        Ok(Some(v)) if opts.values.contains(&v) => {}
                        Ok(Some(v)) => {
                            return Verdict::Fail(
                                vrel,
                                format!("{what} has Container Insights set to \"{v}\" in {name}"),
                            );
                        }
                        Ok(None) => {
                            return Verdict::Fail(
                                rel.clone(),
                                format!(
                                    "{what} has a containerInsights setting without a value in {name}"
                                ),
                            );
                        }
                        Err(reason) => {
                            unknown.get_or_insert((vrel, reason.to_string()));
                        }
                    }
                }
                if let Some((rel, reason)) = unknown {
                    return Verdict::Unknown(rel, reason);
                }
                if found {
                    return Verdict::Pass;
                }
                let why = if items.iter().all(|(_, v)| is_empty(v)) {
                    format!("{name} is empty")
                } else {
                    format!("{name} has no containerInsights setting")
                };
                Verdict::Unknown(
                    name.to_string(),
                    format!(
                        "{why}, so the account's default setting for Container Insights applies, which the inputs cannot show"
                    ),
                )
            }
        }
    }
}

impl Rule for ContainerInsights {
    fn meta(&self) -> &'static crate::rule::Meta {
        &Self::META
    }

    fn check(&self, u: &Unit, cx: &mut Ctx<'_>) {
        let opts = cx.options::<Options>();
        let Some(env) = env_among(cx, &opts.environments) else {
            return;
        };
        let Some(m) = cx.module() else { return };
        if m.name != "ecs" {
            return;
        }
        let submodule = match ecs_part(u) {
            EcsPart::Root => false,
            EcsPart::Cluster => true,
            EcsPart::Service | EcsPart::Other => return,
        };
        // The create switch: `create_ecs` up to 3.x, `create` since; unpinned, either.
        let major = m.major();
        let switches: &[&str] = match major {
            Some(m) if m <= 3 => &["create_ecs"],
            Some(_) => &["create"],
            None => &["create", "create_ecs"],
        };
        for s in switches {
            if creates(cx, u, s) != Some(true) {
                return;
            }
        }
        let what = format!("{} ECS cluster", env.kind);
        let verdicts: Vec<(Shape, Verdict)> = shapes(major, submodule)
            .into_iter()
            .map(|s| (s, self.judge(u, s, &opts, &what)))
            .collect();
        let help = match major {
            Some(m) if m <= 3 => "set container_insights = true".to_string(),
            Some(4 | 5) => {
                "set cluster_settings = [{ name = \"containerInsights\", value = \"enabled\" }], or leave it out (the module default enables it)".to_string()
            }
            Some(_) => format!(
                "set {} = [{{ name = \"containerInsights\", value = \"enabled\" }}], or leave it out (the module default enables it)",
                if submodule { "setting" } else { "cluster_setting" }
            ),
            None => "pin the module version, and enable the containerInsights setting".to_string(),
        };
        if major.is_none() {
            // Which input and which default apply is unknown: anything short of a pass
            // under every shape cannot be verified.
            if verdicts.iter().all(|(_, v)| matches!(v, Verdict::Pass)) {
                return;
            }
            let at = verdicts
                .iter()
                .find_map(|(_, v)| match v {
                    Verdict::Fail(p, _) | Verdict::Unknown(p, _) if !p.is_empty() => Some(full(p)),
                    _ => None,
                })
                .unwrap_or_else(|| "inputs.cluster_settings".to_string());
            cx.cannot_verify(
                u,
                &at,
                "Container Insights",
                "the source pins no module version, and the input and its default changed between majors (container_insights = false before 4.0; cluster_settings enabled in 4.x and 5.x; setting / cluster_setting from 6.0)",
            )
            .help(help);
            return;
        }
        for (_, v) in verdicts {
            match v {
                Verdict::Pass => {}
                Verdict::Fail(rel, msg) if rel.is_empty() || !present(u, &full(&rel)) => {
                    let f = cx.report_missing(u, msg).help(help.clone());
                    if !rel.is_empty() {
                        f.subject(full(&rel));
                    }
                }
                Verdict::Fail(rel, msg) => {
                    cx.report_value(u, &full(&rel), msg).help(help.clone());
                }
                Verdict::Unknown(rel, reason) => {
                    cx.cannot_verify(u, &full(&rel), "Container Insights", &reason)
                        .help(help.clone());
                }
            }
        }
    }
}
