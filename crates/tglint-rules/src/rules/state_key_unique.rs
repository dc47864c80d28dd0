use crate::context::Ctx;
use crate::declare_rule;
use crate::rule::Rule;
use crate::rules::shared_state::{Field, Found, State, state_of};
use std::collections::BTreeMap;
use tglint_model::diag::Label;
use tglint_model::unit::{Keep, Unit};

declare_rule! {
    /// Forbids two units sharing one remote state object (the same S3 `bucket` and `key`).
    ///
    /// ## Why is this bad?
    /// Each unit is its own Terraform state (the reference architecture's state management:
    /// one bucket, a key per unit, locked during apply). Two units writing the same bucket
    /// and key overwrite each other's state: the second apply plans to destroy everything
    /// the first created. The usual cause is a `key` in `root.hcl` that does not include
    /// `path_relative_to_include()`, or a unit that copies another's `remote_state`.
    ///
    /// Checked across the whole tree, every environment and region: the pair
    /// (`config.bucket`, `config.key`) of each unit's S3 `remote_state` (or of a
    /// `backend "s3"` block written in generated contents) must be unique. Each unit of a
    /// clash is reported, at the line that sets its key, with the other units as related
    /// labels. Units are grouped by key first, so an unknown bucket (a name built with
    /// `get_aws_account_id()`) matters only when the keys are equal; an unknown key cannot
    /// be verified. `workspace_key_prefix` only affects non-default workspaces and is not
    /// considered. Units whose backend is not S3 are left to `remote-state`.
    ///
    /// ## Example
    /// ```hcl
    /// # root.hcl
    /// remote_state {
    ///   backend = "s3"
    ///   config = {
    ///     bucket = "acme-terraform-state"
    ///     key    = "terraform.tfstate"
    ///   }
    /// }
    /// ```
    /// Use instead:
    /// ```hcl
    /// remote_state {
    ///   backend = "s3"
    ///   config = {
    ///     bucket = "acme-terraform-state"
    ///     key    = "${path_relative_to_include()}/terraform.tfstate"
    ///   }
    /// }
    /// ```
    StateKeyUnique {
        id: "state-key-unique",
        category: Correctness,
        default_level: Error,
        scope: Tree,
    }
}

/// Related labels listed per finding before "and N more".
const SHOWN: usize = 5;

struct Entry<'u> {
    unit: &'u Unit,
    state: State,
    bucket: Field,
    key: String,
}

impl Rule for StateKeyUnique {
    fn meta(&self) -> &'static crate::rule::Meta {
        &Self::META
    }

    fn keep(&self, u: &Unit, _cx: &Ctx<'_>, keep: &mut Keep) {
        keep.remote_state = true;
        // Without remote_state, the backend is looked for in the generated files.
        if u.remote_state.is_none() {
            keep.generate = true;
        }
    }

    fn check_tree(&self, units: &[&Unit], cx: &mut Ctx<'_>) {
        // Units by key (then bucket): sorting, not comparing all pairs.
        let mut by_key: BTreeMap<String, Vec<Entry<'_>>> = BTreeMap::new();
        for u in units {
            let Found::State(state) = state_of(u) else {
                continue;
            };
            match state.backend(u) {
                Field::Known(v) if v.as_str() == Some("s3") => {}
                _ => continue,
            }
            let key = state.field(u, "key");
            let key = match key {
                Field::Known(v) => match v.as_str() {
                    Some(k) => k.to_string(),
                    None => continue,
                },
                Field::Missing => continue,
                other => {
                    let why = other.unknown_why("its key").unwrap_or_default();
                    let path = state.path(u, Some("key"));
                    cx.cannot_verify(u, &path, "that the unit's state key is unique", &why);
                    continue;
                }
            };
            let bucket = state.field(u, "bucket");
            by_key.entry(key.clone()).or_default().push(Entry {
                unit: u,
                state,
                bucket,
                key,
            });
        }
        for entries in by_key.values().filter(|e| e.len() > 1) {
            let mut by_bucket: BTreeMap<String, Vec<&Entry<'_>>> = BTreeMap::new();
            for e in entries {
                match &e.bucket {
                    Field::Known(v) => {
                        if let Some(b) = v.as_str() {
                            by_bucket.entry(b.to_string()).or_default().push(e);
                        }
                    }
                    Field::Missing => {}
                    other => {
                        let others = match entries.len() - 1 {
                            1 => "another unit uses".to_string(),
                            n => format!("{n} other units use"),
                        };
                        let why = format!(
                            "{}, and {others} the same key \"{}\"",
                            other.unknown_why("its bucket").unwrap_or_default(),
                            e.key
                        );
                        let path = e.state.path(e.unit, Some("bucket"));
                        cx.cannot_verify(
                            e.unit,
                            &path,
                            "that the unit's state key is unique",
                            &why,
                        );
                    }
                }
            }
            for (bucket, clash) in by_bucket.iter().filter(|(_, c)| c.len() > 1) {
                for e in clash {
                    let others: Vec<&&Entry<'_>> =
                        clash.iter().filter(|o| o.unit.dir != e.unit.dir).collect();
                    let (label, mut related) = e.state.place(e.unit, Some("key"));
                    let own_place = label.clone();
                    for o in others.iter().take(SHOWN) {
                        let (l, _) = o.state.place(o.unit, Some("key"));
                        let l = if l.file == own_place.file && l.start == own_place.start {
                            Label::file_start(o.unit.file.unwrap_or_default())
                        } else {
                            l
                        };
                        related.push(l.with_note(format!("also the state of {}", o.unit.dir)));
                    }
                    let names: Vec<&str> = others.iter().map(|o| o.unit.dir.as_str()).collect();
                    let more = if names.len() > SHOWN {
                        format!(" and {} more", names.len() - SHOWN)
                    } else {
                        String::new()
                    };
                    let f = cx.report_for(
                        e.unit,
                        label,
                        format!(
                            "{} shares its state (bucket \"{bucket}\", key \"{}\") with {}{more}",
                            e.unit.dir,
                            e.key,
                            names
                                .iter()
                                .take(SHOWN)
                                .copied()
                                .collect::<Vec<_>>()
                                .join(", ")
                        ),
                    )
                    .related(related)
                    .help("make the key unique per unit: key = \"${path_relative_to_include()}/terraform.tfstate\"");
                    for o in &others {
                        f.involving(o.unit);
                    }
                }
            }
        }
    }
}
