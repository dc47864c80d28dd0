//! Terragrunt's configuration schema for HCL's JSON syntax (`terragrunt.hcl.json` and any
//! `*.json` configuration): which properties are blocks, with how many labels, as
//! Terragrunt's Go structs tag them (`hcl:"…,block"` against `hcl:"…,attr"` in
//! `pkg/config/config.go` and the block types' files). Where a struct has both an attribute
//! and a block of one name (`remote_state`, `generate`), HCL's JSON decoder takes the
//! attribute, so in JSON they are attributes (`remote_state = {…}`, `generate = {name = {…}}`),
//! which the resolver reads as it reads those forms in HCL.

use tglint_hcl::hcl_json::{ATTRIBUTES, BlockSchema, BodySchema};

const fn block(name: &'static str, labels: usize, body: &'static BodySchema) -> BlockSchema {
    BlockSchema {
        name,
        labels,
        body,
        unlabelled_if: None,
    }
}

/// A `locals` block: every property is a local.
const LOCALS: BodySchema = BodySchema {
    blocks: &[],
    just_attributes: true,
};

/// A `terraform` block: its hooks and extra arguments are labelled blocks.
const TERRAFORM: BodySchema = BodySchema {
    blocks: &[
        block("extra_arguments", 1, &ATTRIBUTES),
        block("before_hook", 1, &ATTRIBUTES),
        block("after_hook", 1, &ATTRIBUTES),
        block("error_hook", 1, &ATTRIBUTES),
    ],
    just_attributes: false,
};

/// A `dependency` block (`Dependency` in `pkg/config/dependency.go`).
const DEPENDENCY: BodySchema = BodySchema {
    blocks: &[block("expansion", 0, &ATTRIBUTES)],
    just_attributes: false,
};

/// An `errors` block (`pkg/config/errors_block.go`).
const ERRORS: BodySchema = BodySchema {
    blocks: &[
        block("retry", 1, &ATTRIBUTES),
        block("ignore", 1, &ATTRIBUTES),
    ],
    just_attributes: false,
};

/// A configuration file's top level (`terragruntConfigFile`).
pub const CONFIG: BodySchema = BodySchema {
    blocks: &[
        // A bare `"include": {"path": …}` (or a one-element array of one) is an include
        // without a label, as Terragrunt's `updateBareIncludeBlockJSON` reads it; otherwise
        // the property names are the labels, `""` included.
        BlockSchema {
            name: "include",
            labels: 1,
            body: &ATTRIBUTES,
            unlabelled_if: Some("path"),
        },
        block("locals", 0, &LOCALS),
        block("dependency", 1, &DEPENDENCY),
        block("dependencies", 0, &ATTRIBUTES),
        block("terraform", 0, &TERRAFORM),
        block("feature", 1, &ATTRIBUTES),
        block("exclude", 0, &ATTRIBUTES),
        block("errors", 0, &ERRORS),
        block("engine", 0, &ATTRIBUTES),
        block("catalog", 0, &ATTRIBUTES),
    ],
    just_attributes: false,
};

/// Whether a configuration file is read as JSON: its name ends in `.json`, as Terragrunt's
/// parser decides (`hclparse` by the file's extension).
pub fn is_json(path: &std::path::Path) -> bool {
    path.extension().is_some_and(|e| e == "json")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::terragrunt::schema::TOP;

    #[test]
    fn every_top_level_block_is_a_json_block_or_an_attribute_that_wins() {
        for name in TOP.blocks.unwrap_or(&[]) {
            let block = CONFIG.blocks.iter().any(|b| b.name == *name);
            let attribute = TOP.allows_attribute(name);
            assert!(
                block != attribute,
                "{name}: block {block}, attribute {attribute}"
            );
        }
        for b in CONFIG.blocks {
            assert!(TOP.allows_block(b.name), "{}", b.name);
        }
    }

    #[test]
    fn json_is_told_by_the_extension() {
        assert!(is_json(std::path::Path::new("/r/terragrunt.hcl.json")));
        assert!(is_json(std::path::Path::new("/r/common.json")));
        assert!(!is_json(std::path::Path::new("/r/terragrunt.hcl")));
        assert!(!is_json(std::path::Path::new("/r/json")));
    }
}
