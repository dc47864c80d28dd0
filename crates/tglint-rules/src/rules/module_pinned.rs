use crate::context::{Ctx, value_place};
use crate::declare_rule;
use crate::rule::{Level, Rule};
use tglint_model::module::{ModuleSource, SourceKind};
use tglint_model::unit::{Lookup, Unit};

declare_rule! {
    /// Requires every `terraform.source` to pin a version, and a module the policy pins (vpc 5.17.0) to pin exactly that version.
    ///
    /// ## Why is this bad?
    /// The reference architecture names its modules by version ("terraform-aws-modules/vpc/aws
    /// v5.17.0"): a source that follows a branch or the latest release can change what
    /// `plan` does with no change in this repository, and module defaults differ between
    /// majors (the ALB's `enable_deletion_protection` is false in 8.x and true in 9.x), so
    /// an unpinned source also leaves the other rules guessing. Checked:
    ///
    /// - a registry source (`tfr:///terraform-aws-modules/vpc/aws`) needs `?version=`;
    /// - a git source (`git::https://…`, `git@…`, `github.com/…`) needs `?ref=` naming a
    ///   tag or a commit, not a branch. A ref is a pin when it is a commit SHA (7 to 40
    ///   hex digits) or a version (`v5.17.0`, `5.17`, `1.2.3-rc1`); it is a branch when it
    ///   is one of the `branches` option (`main`, `master`, `develop`, …); any other name
    ///   (`release-candidate`, `feature/x`) may be either, which tglint cannot tell without
    ///   the repository: "cannot verify";
    /// - a module whose policy `module` block has a `version` (the embedded pack pins
    ///   `vpc = 5.17.0`) must pin exactly that version (a leading `v` is ignored); a commit
    ///   SHA there cannot be compared: "cannot verify";
    /// - a local path (a vendored copy such as
    ///   `${dirname(find_in_parent_folders("account.hcl"))}/modules/terraform-aws-rds`) is
    ///   pinned by the repository itself: reported at info ("local"), never a failure;
    /// - other sources (`s3::`, `https://…zip`) with neither `?version=` nor `?ref=`:
    ///   "cannot verify" (the archive's name may carry the version).
    ///
    /// A unit without `terraform.source` (its own `.tf` files) has nothing to pin; an
    /// unknown source ("cannot verify") is reported at the `--unknown` level.
    ///
    /// ## Example
    /// ```hcl
    /// # _envcommon/networking/vpc.hcl
    /// terraform {
    ///   source = "git::https://github.com/terraform-aws-modules/terraform-aws-vpc.git?ref=master"
    /// }
    /// ```
    /// Use instead:
    /// ```hcl
    /// terraform {
    ///   source = "tfr:///terraform-aws-modules/vpc/aws?version=5.17.0"
    /// }
    /// ```
    ///
    /// ## Options
    /// - `branches` (list of strings, default `["main", "master", "develop", "development",
    ///   "dev", "trunk", "HEAD", "staging", "stage", "production", "prod", "release",
    ///   "stable", "latest", "next", "default"]`): refs that are branch names, never pins.
    ///
    /// The versions modules must pin are the policy's `module "<name>" { version = "…" }`.
    ///
    /// ## Known limitations
    /// - Whether a git ref is a tag or a branch is decided by its name: a branch named
    ///   `v2` would pass, and a tag named `stable` needs the `branches` option changed.
    ModulePinned {
        id: "module-pinned",
        category: Reliability,
        default_level: Error,
        scope: Unit,
        options: Options,
    }
}

/// The options of `module-pinned`.
#[derive(Debug, serde::Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Options {
    pub branches: Vec<String>,
}

impl Default for Options {
    fn default() -> Options {
        Options {
            branches: [
                "main",
                "master",
                "develop",
                "development",
                "dev",
                "trunk",
                "HEAD",
                "staging",
                "stage",
                "production",
                "prod",
                "release",
                "stable",
                "latest",
                "next",
                "default",
            ]
            .map(String::from)
            .to_vec(),
        }
    }
}

/// What a git ref is, by its name.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RefKind {
    Commit,
    Version,
    Branch,
    /// A name that may be a tag or a branch.
    Unclear,
}

/// Whether `r` is a commit SHA, a version tag, a branch name (one of `branches`), or
/// unclear.
pub fn ref_kind(r: &str, branches: &[String]) -> RefKind {
    if branches.iter().any(|b| b == r) {
        return RefKind::Branch;
    }
    if (7..=40).contains(&r.len()) && r.bytes().all(|b| b.is_ascii_hexdigit()) {
        return RefKind::Commit;
    }
    if is_version(r) {
        return RefKind::Version;
    }
    RefKind::Unclear
}

/// `v1`, `5.17.0`, `1.2.3-rc.1`, `1.2.3+build`: digits and dots, then an optional
/// pre-release or build suffix.
fn is_version(r: &str) -> bool {
    let r = r.strip_prefix('v').unwrap_or(r);
    let core_end = r
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .unwrap_or(r.len());
    let (core, rest) = r.split_at(core_end);
    let core_ok = !core.is_empty()
        && core.starts_with(|c: char| c.is_ascii_digit())
        && !core.ends_with('.')
        && !core.contains("..");
    let rest_ok = rest.is_empty()
        || ((rest.starts_with('-') || rest.starts_with('+'))
            && rest.len() > 1
            && rest[1..]
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'.' || b == b'-' || b == b'+'));
    core_ok && rest_ok
}

/// Versions equal up to a leading `v`.
fn same_version(a: &str, b: &str) -> bool {
    let strip = |s: &str| s.trim().trim_start_matches('v').to_string();
    strip(a) == strip(b)
}

impl Rule for ModulePinned {
    fn meta(&self) -> &'static crate::rule::Meta {
        &Self::META
    }

    fn check(&self, u: &Unit, cx: &mut Ctx<'_>) {
        const PATH: &str = "terraform.source";
        match u.get(PATH) {
            Lookup::Missing => return,
            Lookup::Unknown { reason, .. } => {
                cx.cannot_verify(u, PATH, "that the module source pins a version", reason);
                return;
            }
            Lookup::Known(v) if v.is_null() => return,
            Lookup::Known(_) => {}
        }
        let Some(src) = u.module() else {
            // Known, but not a string: Terragrunt's error, reported by loading.
            return;
        };
        let o = cx.options::<Options>();
        let policy = cx.module().map(|m| (m.name, m.spec.version.clone()));
        let pinned_by_policy = policy
            .as_ref()
            .and_then(|(n, v)| v.as_ref().map(|v| (n.to_string(), v.clone())));
        match src.kind {
            SourceKind::Local => {
                let (label, related, _) = value_place(u, PATH);
                let shown = local_path(u, &src.address);
                let msg = match &pinned_by_policy {
                    Some((name, want)) => format!(
                        "module source {shown} is local (pinned by the repo); the policy's {name} version {want} cannot be checked against it"
                    ),
                    None => format!("module source {shown} is local (pinned by the repo)"),
                };
                cx.note(u, Level::Info, label, msg).related(related);
            }
            SourceKind::Registry => match nonempty(&src.version) {
                None => {
                    cx.report_value(
                        u,
                        PATH,
                        format!("registry module {} pins no version", src.address),
                    )
                    .help(format!(
                        "append ?version=<x.y.z> to the source{}",
                        suggestion(&pinned_by_policy)
                    ));
                }
                Some(v) => compare(cx, u, src, v, &pinned_by_policy),
            },
            SourceKind::Git => match nonempty(&src.version) {
                None => {
                    cx.report_value(u, PATH, format!("git module {} pins no ref", src.address))
                        .help(format!(
                            "append ?ref=<tag or commit SHA> to the source{}",
                            suggestion(&pinned_by_policy)
                        ));
                }
                Some(r) => match ref_kind(r, &o.branches) {
                    RefKind::Branch => {
                        cx.report_value(
                            u,
                            PATH,
                            format!(
                                "git module {} follows the branch {r} (ref={r}), which is not a pin",
                                src.address
                            ),
                        )
                        .help("set ref= to a release tag (v5.17.0) or a commit SHA");
                    }
                    RefKind::Unclear => {
                        let why = format!(
                            "ref={r} may name a tag or a branch, and tglint does not look into the repository (a version tag or a commit SHA is a pin; the rule's `branches` option lists branch names)"
                        );
                        cx.cannot_verify(
                            u,
                            PATH,
                            &format!("that git module {} is pinned", src.address),
                            &why,
                        );
                    }
                    RefKind::Commit => {
                        if let Some((name, want)) = &pinned_by_policy {
                            let why = format!(
                                "ref={r} is a commit SHA, which cannot be compared with a version without the repository"
                            );
                            cx.cannot_verify(
                                u,
                                PATH,
                                &format!("that the {name} module is version {want}"),
                                &why,
                            );
                        }
                    }
                    RefKind::Version => compare(cx, u, src, r, &pinned_by_policy),
                },
            },
            SourceKind::Other => match nonempty(&src.version) {
                Some(v) => compare(cx, u, src, v, &pinned_by_policy),
                None => {
                    let why = "it has neither ?version= nor ?ref=, and the archive or bucket path may carry the version";
                    cx.cannot_verify(
                        u,
                        PATH,
                        &format!("that module source {} is pinned", src.raw),
                        why,
                    );
                }
            },
        }
    }
}

/// A local source as messages show it: relative to the root when it is inside it (a
/// vendored path built with `find_in_parent_folders` is absolute).
fn local_path(u: &Unit, address: &str) -> String {
    let p = std::path::Path::new(address);
    match p.strip_prefix(&*u.root) {
        Ok(rel) => rel.display().to_string(),
        Err(_) => address.to_string(),
    }
}

fn nonempty(v: &Option<String>) -> Option<&str> {
    v.as_deref().map(str::trim).filter(|s| !s.is_empty())
}

fn suggestion(pinned: &Option<(String, String)>) -> String {
    match pinned {
        Some((_, v)) => format!(" (the policy pins {v})"),
        None => String::new(),
    }
}

/// A pinned version against the policy's.
fn compare(
    cx: &mut Ctx<'_>,
    u: &Unit,
    src: &ModuleSource,
    have: &str,
    pinned: &Option<(String, String)>,
) {
    let Some((name, want)) = pinned else { return };
    if same_version(have, want) {
        return;
    }
    cx.report_value(
        u,
        "terraform.source",
        format!(
            "{name} module {} is pinned to {have}, but the policy pins {want}",
            src.address
        ),
    )
    .help(format!(
        "pin {want} in the source, or change the policy's module \"{name}\" version"
    ));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refs_are_told_apart_by_name() {
        let b = Options::default().branches;
        for (r, k) in [
            ("main", RefKind::Branch),
            ("master", RefKind::Branch),
            ("HEAD", RefKind::Branch),
            ("5.17.0", RefKind::Version),
            ("v5.17.0", RefKind::Version),
            ("v1", RefKind::Version),
            ("1.2.3-rc.1", RefKind::Version),
            ("1.2.3+build.5", RefKind::Version),
            ("a1b2c3d", RefKind::Commit),
            ("0123456789abcdef0123456789abcdef01234567", RefKind::Commit),
            ("release-candidate", RefKind::Unclear),
            ("feature/x", RefKind::Unclear),
            ("1.2.", RefKind::Unclear),
            ("1..2", RefKind::Unclear),
            ("v", RefKind::Unclear),
            ("1.2-", RefKind::Unclear),
        ] {
            assert_eq!(ref_kind(r, &b), k, "{r}");
        }
    }

    #[test]
    fn versions_compare_without_the_v() {
        assert!(same_version("v5.17.0", "5.17.0"));
        assert!(!same_version("5.17.1", "5.17.0"));
    }
}
