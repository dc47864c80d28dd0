//! `--feature NAME=VALUE` as Terragrunt's `TG_FEATURE` (pkg/config/feature_flag.go,
//! `cliFlagsToCty`): a flag whose default is a bool is parsed with Go's
//! `strconv.ParseBool`; every other value stays the string given (a number default does
//! not make the value a number); a flag no file declares is still bound, as a string.

use super::blocks::{go_bool_error, parse_go_bool};
use crate::unit::Unit;
use std::collections::BTreeMap;
use tglint_hcl::{Data, Value};

/// The value `feature.<name>.value` takes for the override `raw` of a flag whose default
/// is `default` (`None`: no file declares it). `Err` when a bool default meets a value
/// that is no bool.
pub fn typed_override(default: Option<&Value>, raw: &str) -> Result<Value, String> {
    match default.map(|d| &d.data) {
        Some(Data::Bool(_)) => parse_go_bool(raw)
            .map(Value::bool)
            .ok_or_else(|| go_bool_error(raw)),
        _ => Ok(Value::string(raw)),
    }
}

/// What the command line checks about the `--feature` overrides once the tree is loaded.
#[derive(Debug, Default)]
pub struct OverrideCheck {
    /// One line per override that does not convert to the type of a default that a unit
    /// declares (the command exits 2).
    pub errors: Vec<String>,
    /// The overrides no unit declares (bound as strings, as Terragrunt does).
    pub undeclared: Vec<String>,
}

/// Checks each override against the flags the units declare.
pub fn check_overrides(units: &[Unit], overrides: &BTreeMap<String, String>) -> OverrideCheck {
    let mut out = OverrideCheck::default();
    for (name, raw) in overrides {
        let mut declared = false;
        let mut bad: Option<&Unit> = None;
        for u in units {
            let Some(f) = u.features.get(name) else {
                continue;
            };
            declared = true;
            let default = f.as_map().and_then(|m| m.get("default"));
            if bad.is_none() && typed_override(default, raw).is_err() {
                bad = Some(u);
            }
        }
        if let Some(u) = bad {
            out.errors.push(format!(
                "--feature {name}={raw}: feature \"{name}\" has a bool default (in unit {}), and {} is not a bool; give true or false (Go's strconv.ParseBool also takes 1, t, T, TRUE, True, 0, f, F, FALSE, False)",
                u.dir,
                tglint_hcl::go::quote(raw)
            ));
        } else if !declared {
            out.undeclared.push(name.clone());
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_bool_defaults_convert() {
        let b = Value::bool(false);
        assert_eq!(
            typed_override(Some(&b), "T").map(|v| v.to_string()),
            Ok("true".into())
        );
        assert!(typed_override(Some(&b), "yes").is_err_and(|e| e.contains("\"yes\"")));
        let n = Value::from(1);
        assert_eq!(
            typed_override(Some(&n), "5").map(|v| v.to_string()),
            Ok("\"5\"".into())
        );
        assert_eq!(
            typed_override(None, "x").map(|v| v.to_string()),
            Ok("\"x\"".into())
        );
    }
}
