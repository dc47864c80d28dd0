//! Rule options: the attributes of a policy's `rule "<id>" { … }` block other than
//! `enabled` and `severity`, decoded with serde into the rule's own options struct
//! (`#[serde(deny_unknown_fields)]`, so a misspelt option is a policy error).

use serde::de::DeserializeOwned;

/// Options for a rule that takes none.
#[derive(Debug, Default, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NoOptions {}

/// Whether `options` decode into `T` (a rule's [`crate::rule::Meta::validate_options`]).
pub fn validate<T: DeserializeOwned>(options: &serde_json::Value) -> Result<(), String> {
    parse::<T>(options).map(drop)
}

/// Decodes `options` (an object) into `T`; an empty or absent object gives `T`'s default.
pub fn parse<T: DeserializeOwned>(options: &serde_json::Value) -> Result<T, String> {
    let empty;
    let v = if options.is_null() {
        empty = serde_json::Value::Object(Default::default());
        &empty
    } else {
        options
    };
    T::deserialize(v).map_err(|e| e.to_string())
}
