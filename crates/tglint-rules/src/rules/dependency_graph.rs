use crate::context::{Ctx, value_place};
use crate::declare_rule;
use crate::policy::Policy;
use crate::rule::{Fact, Rule};
use std::collections::HashMap;
use std::path::Path;
use tglint_model::hcl::Data;
use tglint_model::unit::Unit;

declare_rule! {
    /// Requires every dependency to resolve to a unit of the tree, to point to the same or a lower layer, and to stay inside its environment.
    ///
    /// ## Why is this bad?
    /// The reference architecture deploys in layers: the VPC (`01-infra`), then the data
    /// stores (`02-data`), then the services (`03-services`), each layer using the outputs
    /// of the ones below it, and each environment on its own. A dependency that points to
    /// no unit fails `plan` (or silently runs on mock outputs forever); one that points
    /// upwards inverts the deployment order, so a `run --all` applies a layer before what
    /// it needs; one across environments lets a dev unit read, or wait on, prod. Checked
    /// over the whole tree, for every enabled `dependency` block:
    ///
    /// - its `config_path` leads to a unit of the tree (a directory holding
    ///   `terragrunt.hcl`); an unknown `config_path` cannot be verified (loading reports it
    ///   too, as an `eval-error`);
    /// - layers only depend downwards: the first path segment of each unit that starts
    ///   with a number and a dash (`01-infra`, `02-data`, `3-apps`) is its layer, and a
    ///   unit may depend on units of the same or a lower number (module-inputs.md §3.8:
    ///   names are free, `02-compute` is as good as `02-data`). Units without such a
    ///   segment are not ranked;
    /// - no dependency across environments: both units' environment names (`prod`,
    ///   `prod-eu`) must be equal. A unit whose environment is unclassified is skipped.
    ///   Regions are free: the eu-west-1 DR replica may depend on the us-east-1 database.
    ///
    /// The paths of `dependencies { paths = [...] }` are checked for layer and environment
    /// when they lead to a unit; a path that does not exist is already reported by loading.
    ///
    /// Dependency cycles are not reported here: loading reports each one, as Terragrunt's
    /// `DependencyCycleError`, with the `eval-error` id, and this rule does not report
    /// them twice.
    ///
    /// ## Example
    /// ```hcl
    /// # environments/dev/us-east-1/01-infra/network/vpc/terragrunt.hcl
    /// dependency "rds" {
    ///   config_path = "../../../02-data/rds"
    /// }
    /// ```
    /// Use instead:
    /// ```hcl
    /// # environments/dev/us-east-1/02-data/rds/terragrunt.hcl
    /// dependency "vpc" {
    ///   config_path = "../../01-infra/network/vpc"
    /// }
    /// ```
    ///
    /// ## Known limitations
    /// - A dependency on a unit the run does not check (excluded by the policy's
    ///   `exclude`) is checked for its layer only.
    DependencyGraph {
        id: "dependency-graph",
        category: Correctness,
        default_level: Error,
        scope: Tree,
    }
}

/// The layer of a unit directory: its first segment shaped `NN-name`, with its number.
pub fn layer(dir: &str) -> Option<(u64, &str)> {
    dir.split('/').find_map(|seg| {
        let digits = seg.bytes().take_while(u8::is_ascii_digit).count();
        if digits == 0 || seg.as_bytes().get(digits) != Some(&b'-') || seg.len() == digits + 1 {
            return None;
        }
        seg[..digits].parse().ok().map(|n| (n, seg))
    })
}

/// `base` joined with the relative `path` (`..` and `.` resolved); `None` when it leaves
/// the root.
fn join(base: &str, path: &str) -> Option<String> {
    let mut parts: Vec<&str> = if base == "." {
        Vec::new()
    } else {
        base.split('/').collect()
    };
    for seg in path.split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            s => parts.push(s),
        }
    }
    Some(if parts.is_empty() {
        ".".to_string()
    } else {
        parts.join("/")
    })
}

/// Where a dependency leads: the directory of a unit's configuration file
/// (`terragrunt.hcl`, `terragrunt.hcl.json`), any other path as it is.
fn config_dir(p: &Path) -> &Path {
    let config = p
        .file_name()
        .and_then(|n| n.to_str())
        .is_some_and(|n| n == "terragrunt.hcl" || n == "terragrunt.hcl.json");
    match p.parent() {
        Some(d) if config => d,
        _ => p,
    }
}

/// The directory, relative to the root, a `dependencies.paths` entry of `u` names;
/// `None` when it leaves the root.
fn path_dir(u: &Unit, s: &str) -> Option<String> {
    let p = std::path::Path::new(s);
    if p.is_absolute() {
        match p.strip_prefix(&*u.root) {
            Ok(r) => r.to_str().and_then(|r| join(".", r)),
            Err(_) => None,
        }
    } else {
        join(&u.dir, s)
    }
}

/// The directories of the units `u` may depend on, relative to the root: its enabled
/// `dependency` blocks' units (or, where no unit is there, the directory the block points
/// at, where one may be added) and its `dependencies.paths` entries. What a
/// changed-files run follows to load a checked unit's dependency component whole
/// (docs/cache.md): every edge the rule and the cycle search judge is among them.
pub fn dependency_dirs(u: &Unit) -> Vec<String> {
    let mut out: Vec<String> = u
        .dependencies
        .iter()
        .filter(|d| d.enabled)
        .filter_map(|d| match &d.target_unit {
            Some(t) => Some(t.clone()),
            None => {
                let rel = config_dir(d.target.as_deref()?.strip_prefix(&*u.root).ok()?);
                join(".", rel.to_str()?)
            }
        })
        .collect();
    let paths = u
        .dependencies_paths
        .as_ref()
        .and_then(|v| v.as_seq())
        .unwrap_or(&[]);
    out.extend(
        paths
            .iter()
            .filter_map(|p| p.as_str())
            .filter_map(|s| path_dir(u, s)),
    );
    out.sort();
    out.dedup();
    out
}

/// One dependency of a unit, as the rule judges it: an enabled `dependency` block, or a
/// `dependencies.paths` entry that leads to a unit of the tree. `tglint graph` draws
/// these, so the picture and the rule share one definition of a bad edge.
#[derive(Clone, Debug)]
pub struct Edge<'u> {
    /// The unit that depends.
    pub from: &'u Unit,
    /// The block's label (`vpc`), or `dependencies.paths[<i>]`.
    pub name: String,
    /// How messages name it: `dependency "vpc"`, `dependencies.paths entry ../vpc`.
    pub what: String,
    /// The value's path in `from` (`dependency["vpc"].config_path`), where findings point.
    pub path: String,
    pub target: Target,
}

/// Where an edge leads, and what is wrong with it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Target {
    /// A unit of the tree (its directory relative to the root). It need not be among the
    /// units judged (the policy may exclude it): then only its layer is checked.
    Unit {
        /// The target's directory.
        dir: String,
        /// Set when the edge points to a higher layer.
        upward: Option<Upward>,
        /// Set when both units are classified and their environment names differ.
        cross_environment: Option<CrossEnvironment>,
    },
    /// No unit of the tree: `shown` is where it leads (relative to the root when inside
    /// it, else as written).
    Missing {
        /// Where it leads.
        shown: String,
    },
    /// Where it leads is unknown (`reason`); `failed` when loading already reported the
    /// failure that made it so.
    Unknown {
        /// Why it is unknown.
        reason: String,
        /// Loading already reported it.
        failed: bool,
    },
}

/// An edge from a lower layer to a higher one.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Upward {
    /// The depending unit's layer segment (`01-infra`).
    pub from_layer: String,
    /// The target's (`03-services`).
    pub to_layer: String,
}

/// An edge between environments.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CrossEnvironment {
    /// The depending unit's environment name.
    pub from: String,
    /// The target's.
    pub to: String,
}

impl Target {
    /// Whether the rule reports the edge (a missing unit, an upward or cross-environment
    /// edge); an unknown target is "cannot verify", not a violation.
    pub fn is_violation(&self) -> bool {
        match self {
            Target::Unit {
                upward,
                cross_environment,
                ..
            } => upward.is_some() || cross_environment.is_some(),
            Target::Missing { .. } => true,
            Target::Unknown { .. } => false,
        }
    }
}

/// Every edge of `units` (in path order, each unit's dependency blocks then its
/// `dependencies.paths`), judged as the rule judges them: the units of the run, classified
/// by `policy`.
pub fn edges<'u>(units: &[&'u Unit], policy: &Policy) -> Vec<Edge<'u>> {
    let by_dir: HashMap<&str, &Unit> = units.iter().map(|u| (u.dir.as_str(), *u)).collect();
    let classified = |u: &Unit| {
        u.environment
            .as_ref()
            .and_then(|e| e.kind.as_deref())
            .and_then(|k| policy.environment(k))
            .is_some()
    };
    let judge = |u: &Unit, to: &str| {
        let upward = match (layer(&u.dir), layer(to)) {
            (Some((from_n, from_layer)), Some((to_n, to_layer))) if to_n > from_n => Some(Upward {
                from_layer: from_layer.to_string(),
                to_layer: to_layer.to_string(),
            }),
            _ => None,
        };
        let cross_environment = by_dir
            .get(to)
            .filter(|t| classified(u) && classified(t))
            .and_then(|t| match (&u.environment, &t.environment) {
                (Some(a), Some(b)) if a.name != b.name => Some(CrossEnvironment {
                    from: a.name.clone(),
                    to: b.name.clone(),
                }),
                _ => None,
            });
        Target::Unit {
            dir: to.to_string(),
            upward,
            cross_environment,
        }
    };
    let mut out = Vec::new();
    for u in units {
        for d in u.dependencies.iter().filter(|d| d.enabled) {
            let quoted = serde_json::to_string(&d.label).unwrap_or_default();
            let path = format!("dependency[{quoted}].config_path");
            let what = format!("dependency \"{}\"", d.label);
            let written = match &d.config_path.data {
                Data::Unknown(unk) => {
                    out.push(Edge {
                        from: u,
                        name: d.label.clone(),
                        what,
                        path,
                        target: Target::Unknown {
                            reason: unk.reason.to_string(),
                            failed: unk.failed,
                        },
                    });
                    continue;
                }
                Data::String(s) if !s.is_empty() => s.clone(),
                // Loading reports an invalid config_path.
                _ => continue,
            };
            let target = match d.target_unit.as_deref() {
                Some(t) if !t.starts_with("..") => judge(u, t),
                _ => {
                    // Where it leads, relative to the root when it is inside it.
                    let shown = d
                        .target
                        .as_ref()
                        .and_then(|t| t.strip_prefix(&*u.root).ok())
                        .map(|r| config_dir(r).display().to_string())
                        .filter(|r| !r.is_empty())
                        .unwrap_or(written);
                    Target::Missing { shown }
                }
            };
            out.push(Edge {
                from: u,
                name: d.label.clone(),
                what,
                path,
                target,
            });
        }
        let paths = u
            .dependencies_paths
            .as_ref()
            .and_then(|v| v.as_seq())
            .unwrap_or(&[]);
        for (i, p) in paths.iter().enumerate() {
            let Some(s) = p.as_str() else { continue };
            let rel = path_dir(u, s);
            // A path that leads to no unit is already reported by loading.
            let Some(rel) = rel.filter(|r| by_dir.contains_key(r.as_str())) else {
                continue;
            };
            out.push(Edge {
                from: u,
                name: format!("dependencies.paths[{i}]"),
                what: format!("dependencies.paths entry {s}"),
                path: format!("dependencies.paths[{i}]"),
                target: judge(u, &rel),
            });
        }
    }
    out
}

impl Rule for DependencyGraph {
    fn meta(&self) -> &'static crate::rule::Meta {
        &Self::META
    }

    /// A finding relates a unit only to the one its dependency leads to: both lie in one
    /// dependency component, which a changed-files run loads whole.
    fn links(&self, _u: &Unit, _cx: &Ctx<'_>, _fact: Option<&Fact>) -> Option<Vec<String>> {
        Some(Vec::new())
    }

    fn check_tree(&self, units: &[&Unit], cx: &mut Ctx<'_>) {
        for e in edges(units, cx.policy) {
            let u = e.from;
            match &e.target {
                Target::Unknown { reason, failed } => {
                    if !failed {
                        cx.cannot_verify(
                            u,
                            &e.path,
                            &format!("where dependency \"{}\" leads", e.name),
                            reason,
                        );
                    }
                }
                Target::Missing { shown } => {
                    let (label, related, _) = value_place(u, &e.path);
                    cx.report_for(
                        u,
                        label,
                        format!(
                            "{} of {} points to {shown}, which is not a unit of the tree",
                            e.what, u.dir
                        ),
                    )
                    .related(related)
                    .help("point config_path at the directory of the unit this one depends on (one holding terragrunt.hcl)");
                }
                Target::Unit {
                    dir,
                    upward,
                    cross_environment,
                } => {
                    if let Some(up) = upward {
                        let (label, related, _) = value_place(u, &e.path);
                        cx.report_for(
                            u,
                            label,
                            format!(
                                "{} of {} (layer {}) points up to {dir} (layer {}): a unit depends only on its own or a lower layer",
                                e.what, u.dir, up.from_layer, up.to_layer
                            ),
                        )
                        .related(related)
                        .involving_dir(dir)
                        .help("move the shared resource to a lower layer, or invert the dependency");
                    }
                    if let Some(x) = cross_environment {
                        let (label, related, _) = value_place(u, &e.path);
                        cx.report_for(
                            u,
                            label,
                            format!(
                                "{} of {} (environment \"{}\") points to {dir}, of environment \"{}\"",
                                e.what, u.dir, x.from, x.to
                            ),
                        )
                        .related(related)
                        .involving_dir(dir)
                        .help("depend on the unit of the same environment; share values across environments through the policy or a read-only data source, not a dependency");
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn layers_come_from_the_first_numbered_segment() {
        assert_eq!(
            layer("environments/prod/us-east-1/01-infra/network/vpc"),
            Some((1, "01-infra"))
        );
        assert_eq!(
            layer("environments/prod/us-east-1/02-data/rds"),
            Some((2, "02-data"))
        );
        assert_eq!(layer("live/3-apps/api"), Some((3, "3-apps")));
        assert_eq!(layer("live/apps/api"), None);
        assert_eq!(layer("live/01-/api"), None);
        assert_eq!(layer("live/2024archive/x"), None);
    }

    #[test]
    fn paths_join_relative_to_the_unit() {
        assert_eq!(join("a/b/c", "../d"), Some("a/b/d".into()));
        assert_eq!(join("a/b", "./../../x"), Some("x".into()));
        assert_eq!(join("a", "../.."), None);
        assert_eq!(join(".", "a/b"), Some("a/b".into()));
    }
}
