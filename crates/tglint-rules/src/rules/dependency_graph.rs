use crate::context::{Ctx, value_place};
use crate::declare_rule;
use crate::rule::Rule;
use std::collections::HashMap;
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

impl Rule for DependencyGraph {
    fn meta(&self) -> &'static crate::rule::Meta {
        &Self::META
    }

    fn check_tree(&self, units: &[&Unit], cx: &mut Ctx<'_>) {
        let by_dir: HashMap<&str, &Unit> = units.iter().map(|u| (u.dir.as_str(), *u)).collect();
        for u in units {
            for d in u.dependencies.iter().filter(|d| d.enabled) {
                let quoted = serde_json::to_string(&d.label).unwrap_or_default();
                let path = format!("dependency[{quoted}].config_path");
                let written = match &d.config_path.data {
                    Data::Unknown(unk) => {
                        if !unk.failed {
                            cx.cannot_verify(
                                u,
                                &path,
                                &format!("where dependency \"{}\" leads", d.label),
                                &unk.reason,
                            );
                        }
                        continue;
                    }
                    Data::String(s) if !s.is_empty() => s.clone(),
                    // Loading reports an invalid config_path.
                    _ => continue,
                };
                let what = format!("dependency \"{}\"", d.label);
                // Where it leads, relative to the root when it is inside it.
                let shown =
                    d.target
                        .as_ref()
                        .and_then(|t| t.strip_prefix(&*u.root).ok())
                        .map(|r| {
                            let config = r.file_name().and_then(|n| n.to_str()).is_some_and(|n| {
                                n == "terragrunt.hcl" || n == "terragrunt.hcl.json"
                            });
                            match r.parent() {
                                Some(p) if config => p.display().to_string(),
                                _ => r.display().to_string(),
                            }
                        })
                        .filter(|r| !r.is_empty())
                        .unwrap_or(written);
                match d.target_unit.as_deref() {
                    Some(t) if !t.starts_with("..") => {
                        edge(cx, u, &by_dir, t, &what, &path);
                    }
                    _ => {
                        let (label, related, _) = value_place(u, &path);
                        cx.report_for(
                            u,
                            label,
                            format!(
                                "{what} of {} points to {shown}, which is not a unit of the tree",
                                u.dir
                            ),
                        )
                        .related(related)
                        .help("point config_path at the directory of the unit this one depends on (one holding terragrunt.hcl)");
                    }
                }
            }
            let paths = u
                .dependencies_paths
                .as_ref()
                .and_then(|v| v.as_seq())
                .unwrap_or(&[]);
            for (i, p) in paths.iter().enumerate() {
                let Some(s) = p.as_str() else { continue };
                let rel = if std::path::Path::new(s).is_absolute() {
                    match std::path::Path::new(s).strip_prefix(&*u.root) {
                        Ok(r) => r.to_str().and_then(|r| join(".", r)),
                        Err(_) => None,
                    }
                } else {
                    join(&u.dir, s)
                };
                let Some(rel) = rel else { continue };
                if by_dir.contains_key(rel.as_str()) {
                    let what = format!("dependencies.paths entry {s}");
                    edge(
                        cx,
                        u,
                        &by_dir,
                        &rel,
                        &what,
                        &format!("dependencies.paths[{i}]"),
                    );
                }
            }
        }
    }
}

/// Checks one edge from `u` to the unit directory `to`, reported at `path` of `u`.
fn edge(
    cx: &mut Ctx<'_>,
    u: &Unit,
    by_dir: &HashMap<&str, &Unit>,
    to: &str,
    what: &str,
    path: &str,
) {
    let target = by_dir.get(to).copied();
    if let (Some((from_n, from_layer)), Some((to_n, to_layer))) = (layer(&u.dir), layer(to))
        && to_n > from_n
    {
        let (label, related, _) = value_place(u, path);
        let f = cx.report_for(
            u,
            label,
            format!(
                "{what} of {} (layer {from_layer}) points up to {to} (layer {to_layer}): a unit depends only on its own or a lower layer",
                u.dir
            ),
        )
        .related(related)
        .help("move the shared resource to a lower layer, or invert the dependency");
        if let Some(t) = target {
            f.involving(t);
        }
    }
    let Some(target) = target else { return };
    if cx.environment_of(u).is_none() || cx.environment_of(target).is_none() {
        return;
    }
    let (Some(from_env), Some(to_env)) = (&u.environment, &target.environment) else {
        return;
    };
    if from_env.name != to_env.name {
        let (label, related, _) = value_place(u, path);
        cx.report_for(
            u,
            label,
            format!(
                "{what} of {} (environment \"{}\") points to {to}, of environment \"{}\"",
                u.dir, from_env.name, to_env.name
            ),
        )
        .related(related)
        .involving(target)
        .help("depend on the unit of the same environment; share values across environments through the policy or a read-only data source, not a dependency");
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
