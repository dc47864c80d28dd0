use crate::context::{Ctx, value_place};
use crate::declare_rule;
use crate::rule::{Level, Rule};
use crate::rules::shared_generated::{TfState, TfValue, incomplete, terraform_files};
use crate::rules::shared_state::{Field, Found, State, state_of, truthy};
use tglint_model::diag::Label;
use tglint_model::unit::{Lookup, Unit};

declare_rule! {
    /// Requires every unit's state in the S3 backend, encrypted (`encrypt = true`) and locked (`dynamodb_table` or `use_lockfile`).
    ///
    /// ## Why is this bad?
    /// The reference architecture's state management keeps Terraform state remote, in an
    /// S3 bucket with SSE-S3 encryption, locked during apply by a DynamoDB table; DESIGN
    /// asks for state encrypted in every environment. State holds every secret a module
    /// outputs (database passwords included), and two applies without a lock corrupt it.
    /// Checked on the `remote_state` that won (Terragrunt replaces it wholesale, never
    /// merges it), or on a `terraform { backend "s3" { … } }` block written by hand in a
    /// `generate` block's contents, in every environment:
    ///
    /// - `backend = "s3"`;
    /// - `config.encrypt` true. Terragrunt decodes the config weakly (mapstructure's
    ///   WeakDecode), so `"true"`, `"1"` and `"T"` count (module-inputs.md §2); a
    ///   generated block follows Terraform's conversion (`true` or `"true"`). Absent means
    ///   the S3 backend's default, false. `kms_key_id` without `encrypt = true` is not
    ///   encryption: the backend uses the key only when `encrypt` is true;
    /// - a lock: `config.dynamodb_table` non-empty, or the deprecated `lock_table`
    ///   (Terragrunt rewrites it to `dynamodb_table`), or `config.use_lockfile` true. The
    ///   architecture prescribes the DynamoDB table, so Terraform 1.11's deprecation of
    ///   `dynamodb_table` is not reported unless the option asks for it.
    ///
    /// Also, at warning at most: `skip_bucket_ssencryption = true` (Terragrunt leaves the
    /// state bucket it creates or updates without default encryption) and
    /// `skip_bucket_versioning = true` (the architecture's state bucket is versioned);
    /// and at info: `use_lockfile` with a `required_version` (or
    /// `terraform_version_constraint`) admitting Terraform older than 1.10, which rejects
    /// the setting.
    ///
    /// A unit with neither `remote_state` nor a generated backend block is a finding: its
    /// state would be local, on one machine, unencrypted and unlocked. It is "cannot
    /// verify" instead when the unit has no `terraform.source` (its own `.tf` files, which
    /// tglint does not read, may declare the backend), when its configuration did not load
    /// completely (a parse or include error), or when a generate block with unknown
    /// contents may write the backend.
    ///
    /// ## Example
    /// ```hcl
    /// # root.hcl
    /// remote_state {
    ///   backend = "s3"
    ///   config = {
    ///     bucket     = "acme-prod-terraform-state"
    ///     key        = "${path_relative_to_include()}/terraform.tfstate"
    ///     region     = "us-east-1"
    ///     kms_key_id = "alias/terraform-state"
    ///   }
    /// }
    /// ```
    /// Use instead:
    /// ```hcl
    /// remote_state {
    ///   backend = "s3"
    ///   config = {
    ///     bucket         = "acme-prod-terraform-state"
    ///     key            = "${path_relative_to_include()}/terraform.tfstate"
    ///     region         = "us-east-1"
    ///     encrypt        = true
    ///     kms_key_id     = "alias/terraform-state"
    ///     dynamodb_table = "acme-prod-terraform-locks"
    ///   }
    /// }
    /// ```
    ///
    /// ## Options
    /// - `backend` (string, default `"s3"`): the backend state must use; the encryption
    ///   and lock checks apply to `"s3"`;
    /// - `warn_dynamodb_table_deprecated` (bool, default `false`): report, at warning, a
    ///   lock through `dynamodb_table` without `use_lockfile` (deprecated since
    ///   Terraform 1.11).
    ///
    /// ## Known limitations
    /// - A generate block whose label or file name says "provider" is not taken to hold
    ///   the backend when its contents are unknown.
    /// - The bucket's own settings (versioning, the 30-day lifecycle, CloudTrail logging,
    ///   replication) live in AWS, not in `remote_state`, and are not checked.
    RemoteState {
        id: "remote-state",
        category: Security,
        default_level: Error,
        scope: Unit,
        options: Options,
    }
}

/// The options of `remote-state`.
#[derive(Debug, serde::Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Options {
    pub backend: String,
    pub warn_dynamodb_table_deprecated: bool,
}

impl Default for Options {
    fn default() -> Options {
        Options {
            backend: "s3".to_string(),
            warn_dynamodb_table_deprecated: false,
        }
    }
}

impl Rule for RemoteState {
    fn meta(&self) -> &'static crate::rule::Meta {
        &Self::META
    }

    fn check(&self, u: &Unit, cx: &mut Ctx<'_>) {
        let o = cx.options::<Options>();
        let state = match state_of(u) {
            Found::State(s) => s,
            Found::Unknown { at, why } => {
                cx.cannot_verify(u, &at, "the unit's state backend", &why);
                return;
            }
            Found::Nothing => {
                let at = Label::file_start(u.file.unwrap_or_default());
                let why = if u
                    .terraform
                    .as_ref()
                    .and_then(|t| t.source.as_ref())
                    .is_none()
                {
                    Some("the unit has no remote_state and no terraform.source: its own .tf files, which tglint does not read, may declare the backend".to_string())
                } else {
                    incomplete(u).map(|why| format!("the unit has no remote_state, but {why}"))
                };
                if let Some(why) = why {
                    let f =
                        cx.cannot_verify(u, "terraform.source", "the unit's state backend", &why);
                    f.diagnostic.primary = at;
                    f.diagnostic.related.clear();
                    return;
                }
                cx.report(
                    at,
                    "the unit has no remote_state, so its state would be local: on one machine, unencrypted and unlocked",
                )
                .help(format!(
                    "include the root.hcl that configures remote_state {{ backend = \"{}\" … }}, or add the block",
                    o.backend
                ));
                return;
            }
        };
        let name = state.name().to_string();

        // The backend.
        let backend = state.backend(u);
        match &backend {
            Field::Known(v) => match v.as_str() {
                Some(b) if b == o.backend => {}
                _ => {
                    let (label, related) = state.place_backend(u);
                    cx.report_for(
                        u,
                        label,
                        format!("{name} uses backend {v}, not \"{}\"", o.backend),
                    )
                    .related(related)
                    .help(format!("store the state with backend = \"{}\"", o.backend));
                    return;
                }
            },
            Field::Missing => {
                let (label, related) = state.place(u, None);
                cx.report_for(u, label, format!("{name} sets no backend"))
                    .related(related)
                    .help(format!("set backend = \"{}\"", o.backend));
                return;
            }
            other => {
                let why = other.unknown_why("backend").unwrap_or_default();
                cx.cannot_verify(u, "remote_state.backend", "the state backend", &why);
                return;
            }
        }
        if o.backend != "s3" {
            return;
        }
        let weak = state.is_remote_state();

        // Encryption.
        let kms = state.field(u, "kms_key_id").nonempty_str();
        let kms_note = if kms.is_some() {
            "; kms_key_id is set, but the S3 backend uses it only with encrypt = true"
        } else {
            ""
        };
        let help =
            "set encrypt = true in the remote_state config (SSE-S3; with kms_key_id, SSE-KMS)";
        match state.field(u, "encrypt") {
            Field::Known(v) => {
                match truthy(&v, weak) {
                    Ok(true) => {}
                    Ok(false) => {
                        let (label, related) = state.place(u, Some("encrypt"));
                        cx.report_for(
                        u,
                        label,
                        format!("{name} has encrypt = {v}: the state is stored unencrypted{kms_note}"),
                    )
                    .related(related)
                    .help(help);
                    }
                    Err(what) => {
                        let (label, related) = state.place(u, Some("encrypt"));
                        cx.report_for(u, label, format!("{name} sets encrypt to {what}{kms_note}"))
                            .related(related)
                            .help(help);
                    }
                }
            }
            Field::Missing => {
                let (label, related) = state.place(u, None);
                cx.report_for(
                    u,
                    label.with_note("config without encrypt"),
                    format!(
                        "{name} does not set encrypt; the S3 backend's default is false, so the state is stored unencrypted{kms_note}"
                    ),
                )
                .related(related)
                .help(help);
            }
            other => {
                let why = other.unknown_why("encrypt").unwrap_or_default();
                let path = state.path(u, Some("encrypt"));
                cx.cannot_verify(u, &path, "that the state is encrypted", &why);
            }
        }

        // The lock.
        let locks = [
            ("dynamodb_table", state.field(u, "dynamodb_table")),
            ("lock_table", state.field(u, "lock_table")),
            ("use_lockfile", state.field(u, "use_lockfile")),
        ];
        let locked_by = |key: &str, f: &Field| match (key, f) {
            ("use_lockfile", Field::Known(v)) => truthy(v, weak).unwrap_or(false),
            (_, f) => f.nonempty_str().is_some(),
        };
        let locked: Vec<&str> = locks
            .iter()
            .filter(|(k, f)| locked_by(k, f))
            .map(|(k, _)| *k)
            .collect();
        if locked.is_empty() {
            match locks
                .iter()
                .find_map(|(k, f)| f.unknown_why(k).map(|w| (*k, w)))
            {
                Some((k, why)) => {
                    let path = state.path(u, Some(k));
                    cx.cannot_verify(u, &path, "that the state is locked", &why);
                }
                None => {
                    let key = locks
                        .iter()
                        .find(|(_, f)| !matches!(f, Field::Missing))
                        .map(|(k, _)| *k);
                    let (label, related) = state.place(u, key);
                    let label = if key.is_some() {
                        label
                    } else {
                        label.with_note("config without a lock")
                    };
                    cx.report_for(
                        u,
                        label,
                        format!(
                            "{name} has no state lock: neither dynamodb_table nor use_lockfile = true is set, so two applies can corrupt the state"
                        ),
                    )
                    .related(related)
                    .help("set dynamodb_table = \"<lock table>\" (as the architecture prescribes), or use_lockfile = true (Terraform ≥ 1.10)");
                }
            }
        }
        if o.warn_dynamodb_table_deprecated
            && locked.contains(&"dynamodb_table")
            && !locked.contains(&"use_lockfile")
        {
            let (label, related) = state.place(u, Some("dynamodb_table"));
            cx.note(
                u,
                Level::Warning,
                label,
                format!("{name} locks with dynamodb_table, which Terraform 1.11 deprecates in favour of use_lockfile"),
            )
            .related(related)
            .help("set use_lockfile = true (Terraform ≥ 1.10), and drop dynamodb_table once every run uses Terraform ≥ 1.11");
        }
        if locked.contains(&"use_lockfile") {
            lockfile_version(cx, u, &state);
        }

        // What Terragrunt does to the bucket it creates or updates.
        if state.is_remote_state() {
            for (key, what) in [
                (
                    "skip_bucket_ssencryption",
                    "Terragrunt leaves the state bucket it creates or updates without default encryption",
                ),
                (
                    "skip_bucket_versioning",
                    "Terragrunt leaves the state bucket it creates or updates unversioned, while the architecture's state bucket is versioned",
                ),
            ] {
                if let Field::Known(v) = state.field(u, key)
                    && truthy(&v, true) == Ok(true)
                {
                    let (label, related) = state.place(u, Some(key));
                    cx.note(
                        u,
                        Level::Warning,
                        label,
                        format!("{name} has {key} = {v}: {what}"),
                    )
                    .related(related)
                    .help(format!("remove {key}"));
                }
            }
        }
    }
}

/// `use_lockfile` needs Terraform ≥ 1.10: an info note when the unit's version
/// constraint admits older versions.
fn lockfile_version(cx: &mut Ctx<'_>, u: &Unit, state: &State) {
    let mut constraints: Vec<(String, String)> = Vec::new();
    if let Lookup::Known(v) = u.get("terraform_version_constraint")
        && let Some(s) = v.as_str()
    {
        constraints.push(("terraform_version_constraint".to_string(), s.to_string()));
    }
    for f in terraform_files(u) {
        if let TfState::Parsed(parsed) = &f.state {
            for t in parsed.body.blocks("terraform", None) {
                if let Some(TfValue::Literal(v)) = t.body.attribute("required_version")
                    && let Some(s) = v.as_str()
                {
                    constraints.push((
                        format!("required_version in {}", f.describe()),
                        s.to_string(),
                    ));
                }
            }
        }
    }
    for (what, c) in constraints {
        let Some(low) = lower_bound(&c) else { continue };
        if low >= (1, 10, 0) {
            continue;
        }
        let (label, related) = state.place(u, Some("use_lockfile"));
        let at = if what == "terraform_version_constraint" {
            let (l, _, _) = value_place(u, "terraform_version_constraint");
            vec![l.with_note("the version constraint")]
        } else {
            Vec::new()
        };
        cx.note(
            u,
            Level::Info,
            label,
            format!(
                "{} sets use_lockfile, which needs Terraform ≥ 1.10 (OpenTofu ≥ 1.10), but {what} = \"{c}\" admits older versions, which reject it",
                state.name()
            ),
        )
        .related(related.into_iter().chain(at))
        .help("raise the constraint to \">= 1.10.0\", or lock with dynamodb_table");
    }
}

/// The least version a constraint (`>= 1.5.0, < 2.0.0`, `~> 1.9`) admits; `None` when it
/// does not parse.
pub fn lower_bound(c: &str) -> Option<(u64, u64, u64)> {
    let mut low = (0, 0, 0);
    for part in c.split(',') {
        let p = part.trim();
        if p.is_empty() {
            continue;
        }
        let (op, v) = match p.find(|ch: char| ch.is_ascii_digit() || ch == 'v') {
            Some(i) => (p[..i].trim(), p[i..].trim()),
            None => return None,
        };
        let v = v.strip_prefix('v').unwrap_or(v);
        let core = v.split(['-', '+']).next().unwrap_or(v);
        let mut nums = core.split('.').map(|n| n.parse::<u64>().ok());
        let major = nums.next().flatten()?;
        let minor = nums.next().flatten().unwrap_or(0);
        let patch = nums.next().flatten().unwrap_or(0);
        let ver = (major, minor, patch);
        match op {
            ">=" | ">" | "=" | "" | "~>" => low = low.max(ver),
            "<" | "<=" | "!=" => {}
            _ => return None,
        }
    }
    Some(low)
}

impl State {
    /// Where to report about the backend type.
    fn place_backend(&self, u: &Unit) -> (Label, Vec<Label>) {
        match self {
            State::RemoteState => {
                let path = if u.get("remote_state.backend").origin().is_some() {
                    "remote_state.backend"
                } else {
                    "remote_state"
                };
                let (l, r, _) = value_place(u, path);
                (l, r)
            }
            State::Generated { .. } => self.place(u, None),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lower_bounds_of_constraints() {
        assert_eq!(lower_bound(">= 1.5.0"), Some((1, 5, 0)));
        assert_eq!(lower_bound(">= 1.10.0, < 2.0.0"), Some((1, 10, 0)));
        assert_eq!(lower_bound("~> 1.9"), Some((1, 9, 0)));
        assert_eq!(lower_bound("< 2.0"), Some((0, 0, 0)));
        assert_eq!(lower_bound("1.11.2"), Some((1, 11, 2)));
        assert_eq!(lower_bound("= v1.10.1"), Some((1, 10, 1)));
        assert_eq!(lower_bound("latest"), None);
    }
}
