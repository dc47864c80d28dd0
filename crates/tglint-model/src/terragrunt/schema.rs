//! Terragrunt's configuration schema as data: the blocks and attributes a file may hold,
//! and the blocks whose contents are checked. Unknown names are reported with the closest
//! valid one, as HCL suggests it ([`suggest`]).

pub use tglint_hcl::syntax::suggest;

/// What a block (or the file's top level) may hold.
#[derive(Clone, Copy, Debug)]
pub struct Schema {
    /// What the diagnostics call the place ("here", "in an include block").
    pub place: &'static str,
    /// In groups, so that lists kept elsewhere (the scalars) are named once.
    pub attributes: &'static [&'static [&'static str]],
    /// Nested blocks; `None`: any (their contents are not checked here).
    pub blocks: Option<&'static [&'static str]>,
}

impl Schema {
    pub fn allows_attribute(&self, name: &str) -> bool {
        self.attributes().any(|a| a == name)
    }

    /// Every attribute, in order.
    pub fn attributes(&self) -> impl Iterator<Item = &'static str> + '_ {
        self.attributes.iter().flat_map(|g| g.iter().copied())
    }

    pub fn allows_block(&self, name: &str) -> bool {
        self.blocks.is_none_or(|b| b.contains(&name))
    }

    /// "Unsupported argument: …" for an attribute the schema does not have, naming the
    /// closest valid one.
    pub fn unknown_attribute(&self, name: &str) -> String {
        format!(
            "Unsupported argument: An argument named \"{name}\" is not expected {}.{}",
            self.place,
            did_you_mean(name, self.attributes())
        )
    }

    /// "Unsupported block type: …" for a block the schema does not have.
    pub fn unknown_block(&self, name: &str) -> String {
        format!(
            "Unsupported block type: Blocks of type \"{name}\" are not expected {}.{}",
            self.place,
            did_you_mean(name, self.blocks.unwrap_or(&[]).iter().copied())
        )
    }
}

/// ` Did you mean "x"?` when a candidate is close enough, else nothing.
pub fn did_you_mean<'a>(name: &str, candidates: impl IntoIterator<Item = &'a str>) -> String {
    match suggest(name, candidates) {
        Some(s) => format!(" Did you mean \"{s}\"?"),
        None => String::new(),
    }
}

/// The top-level string attributes (evaluated, kept as they are).
pub const STRING_SCALARS: &[&str] = &[
    "terraform_binary",
    "terraform_version_constraint",
    "terragrunt_version_constraint",
    "download_dir",
    "iam_role",
    "iam_assume_role_session_name",
    "iam_web_identity_token",
];

/// The other top-level scalar attributes.
pub const OTHER_SCALARS: &[&str] = &[
    "iam_assume_role_duration",
    "prevent_destroy",
    "skip",
    "retryable_errors",
    "retry_max_attempts",
    "retry_sleep_interval_sec",
];

/// Whether `name` is a top-level scalar attribute.
pub fn is_scalar(name: &str) -> bool {
    STRING_SCALARS.contains(&name) || OTHER_SCALARS.contains(&name)
}

/// A configuration file's top level.
pub const TOP: Schema = Schema {
    place: "here",
    attributes: &[
        &["inputs", "generate", "remote_state"],
        STRING_SCALARS,
        OTHER_SCALARS,
    ],
    blocks: Some(&[
        "include",
        "locals",
        "dependency",
        "dependencies",
        "terraform",
        "remote_state",
        "generate",
        "feature",
        "exclude",
        "errors",
        "engine",
        "catalog",
    ]),
};

/// An `include` block.
pub const INCLUDE: Schema = Schema {
    place: "in an include block",
    attributes: &[&["path", "expose", "merge_strategy"]],
    blocks: Some(&[]),
};

/// A `dependency` block.
pub const DEPENDENCY: Schema = Schema {
    place: "in a dependency block",
    attributes: &[&[
        "config_path",
        "enabled",
        "skip_outputs",
        "mock_outputs",
        "mock_outputs_allowed_terraform_commands",
        "mock_outputs_merge_strategy_with_state",
        "mock_outputs_merge_with_state",
    ]],
    blocks: None,
};

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_top_level_allows_every_scalar() {
        for s in STRING_SCALARS.iter().chain(OTHER_SCALARS) {
            assert!(TOP.allows_attribute(s), "{s}");
            assert!(is_scalar(s));
        }
        assert!(TOP.allows_attribute("inputs") && !is_scalar("inputs"));
        assert!(!TOP.allows_attribute("locals"));
    }

    #[test]
    fn unknown_names_come_with_the_closest_valid_one() {
        assert_eq!(
            TOP.unknown_attribute("input"),
            "Unsupported argument: An argument named \"input\" is not expected here. Did you mean \"inputs\"?"
        );
        assert_eq!(
            INCLUDE.unknown_attribute("merge_stratgy"),
            "Unsupported argument: An argument named \"merge_stratgy\" is not expected in an include block. Did you mean \"merge_strategy\"?"
        );
        assert_eq!(
            TOP.unknown_block("local"),
            "Unsupported block type: Blocks of type \"local\" are not expected here. Did you mean \"locals\"?"
        );
        assert!(
            !TOP.unknown_attribute("completely_else")
                .contains("Did you mean")
        );
    }
}
