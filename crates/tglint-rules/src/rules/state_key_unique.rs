use crate::context::{Ctx, unknown_place};
use crate::declare_rule;
use crate::rule::{Fact, Rule};
use crate::rules::shared_state::{Field, Found, state_of};
use std::collections::BTreeMap;
use tglint_model::diag::Label;
use tglint_model::unit::Unit;

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

/// What the rule remembers of a unit whose state is in S3 ([`Rule::fact`]).
enum StateFact {
    /// The key is unknown: the finding saying so, reported as it is.
    UnknownKey {
        place: (Label, Vec<Label>),
        path: String,
        why: String,
    },
    Keyed {
        key: String,
        bucket: Bucket,
        /// Where the key is set, and the chain that brought it.
        key_place: (Label, Vec<Label>),
    },
}

/// A unit's bucket, as far as the rule needs it.
enum Bucket {
    Known(String),
    /// Missing, or set to something that is no string: no clash to report.
    Absent,
    /// Unknown: reported only when another unit uses the same key.
    Unknown {
        place: (Label, Vec<Label>),
        path: String,
        why: String,
    },
}

fn fact_of(u: &Unit) -> Option<StateFact> {
    let Found::State(state) = state_of(u) else {
        return None;
    };
    match state.backend(u) {
        Field::Known(v) if v.as_str() == Some("s3") => {}
        _ => return None,
    }
    let key = match state.field(u, "key") {
        Field::Known(v) => v.as_str()?.to_string(),
        Field::Missing => return None,
        other => {
            let path = state.path(u, Some("key"));
            return Some(StateFact::UnknownKey {
                place: unknown_place(u, &path),
                path,
                why: other.unknown_why("its key").unwrap_or_default(),
            });
        }
    };
    let bucket = match state.field(u, "bucket") {
        Field::Known(v) => match v.as_str() {
            Some(b) => Bucket::Known(b.to_string()),
            None => Bucket::Absent,
        },
        Field::Missing => Bucket::Absent,
        other => {
            let path = state.path(u, Some("bucket"));
            Bucket::Unknown {
                place: unknown_place(u, &path),
                path,
                why: other.unknown_why("its bucket").unwrap_or_default(),
            }
        }
    };
    Some(StateFact::Keyed {
        key,
        bucket,
        key_place: state.place(u, Some("key")),
    })
}

/// A unit with a known key.
struct Entry<'u> {
    unit: &'u Unit,
    bucket: &'u Bucket,
    key: &'u str,
    key_place: &'u (Label, Vec<Label>),
}

impl Rule for StateKeyUnique {
    fn meta(&self) -> &'static crate::rule::Meta {
        &Self::META
    }

    fn fact(&self, u: &Unit, _cx: &Ctx<'_>) -> Option<Fact> {
        fact_of(u).map(|f| Box::new(f) as Fact)
    }

    /// Units clash only through an equal key (the bucket is compared among those).
    fn links(&self, _u: &Unit, _cx: &Ctx<'_>, fact: Option<&Fact>) -> Option<Vec<String>> {
        Some(match fact.and_then(|f| f.downcast_ref::<StateFact>()) {
            Some(StateFact::Keyed { key, .. }) => vec![format!("key:{key}")],
            Some(StateFact::UnknownKey { .. }) | None => Vec::new(),
        })
    }

    fn check_tree(&self, units: &[&Unit], cx: &mut Ctx<'_>) {
        const WHAT: &str = "that the unit's state key is unique";
        // Units by key (then bucket): sorting, not comparing all pairs.
        let mut by_key: BTreeMap<&str, Vec<Entry<'_>>> = BTreeMap::new();
        for &u in units {
            match cx.fact::<StateFact>(u) {
                None => {}
                Some(StateFact::UnknownKey { place, path, why }) => {
                    cx.cannot_verify_at(u, place.clone(), path, WHAT, why);
                }
                Some(StateFact::Keyed {
                    key,
                    bucket,
                    key_place,
                }) => by_key.entry(key).or_default().push(Entry {
                    unit: u,
                    bucket,
                    key,
                    key_place,
                }),
            }
        }
        for entries in by_key.values().filter(|e| e.len() > 1) {
            let mut by_bucket: BTreeMap<&str, Vec<&Entry<'_>>> = BTreeMap::new();
            for e in entries {
                match e.bucket {
                    Bucket::Known(b) => by_bucket.entry(b).or_default().push(e),
                    Bucket::Absent => {}
                    Bucket::Unknown { place, path, why } => {
                        let others = match entries.len() - 1 {
                            1 => "another unit uses".to_string(),
                            n => format!("{n} other units use"),
                        };
                        let why = format!("{why}, and {others} the same key \"{}\"", e.key);
                        cx.cannot_verify_at(e.unit, place.clone(), path, WHAT, &why);
                    }
                }
            }
            for (bucket, clash) in by_bucket.iter().filter(|(_, c)| c.len() > 1) {
                for e in clash {
                    let others: Vec<&&Entry<'_>> =
                        clash.iter().filter(|o| o.unit.dir != e.unit.dir).collect();
                    let (label, mut related) = e.key_place.clone();
                    let own_place = label.clone();
                    for o in others.iter().take(SHOWN) {
                        let l = o.key_place.0.clone();
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
