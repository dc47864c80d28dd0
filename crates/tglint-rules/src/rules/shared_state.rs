//! What `remote-state` and `state-key-unique` share: a unit's state backend, whether it
//! comes from Terragrunt's `remote_state` (the block that won: it is never merged) or
//! from a `terraform { backend "<type>" { … } }` block written by hand in a `generate`
//! block's contents, with each setting and the place to report it.

use crate::context::value_place;
use crate::rules::shared_generated::{TfState, TfValue, at_line, terraform_files};
use std::collections::BTreeMap;
use tglint_model::diag::Label;
use tglint_model::hcl::{Data, Value};
use tglint_model::unit::{Lookup, Unit};

/// One setting of a backend.
#[derive(Clone, Debug)]
pub enum Field {
    /// Not set (or `null`).
    Missing,
    /// Set to a value tglint cannot know: why.
    Unknown(String),
    Known(Value),
    /// A Terraform expression in a generated backend block (its source text).
    Expr(String),
}

impl Field {
    fn of(l: Lookup<'_>) -> Field {
        match l {
            Lookup::Missing => Field::Missing,
            Lookup::Unknown { reason, .. } => Field::Unknown(reason.to_string()),
            Lookup::Known(v) if v.is_null() => Field::Missing,
            Lookup::Known(v) => Field::Known(v.clone()),
        }
    }

    fn of_tf(l: Option<&TfValue>) -> Field {
        match l {
            None => Field::Missing,
            Some(TfValue::Literal(v)) if v.is_null() => Field::Missing,
            Some(TfValue::Literal(v)) => Field::Known(v.clone()),
            Some(TfValue::Unknown { reason }) => Field::Unknown(reason.clone()),
            Some(e) => Field::Expr(e.text()),
        }
    }

    /// Why the value cannot be known, for a "cannot verify".
    pub fn unknown_why(&self, key: &str) -> Option<String> {
        match self {
            Field::Unknown(r) => Some(format!("{key} is unknown ({r})")),
            Field::Expr(e) => Some(format!(
                "{key} is the expression `{e}`, which Terraform does not allow in a backend block"
            )),
            _ => None,
        }
    }

    /// A known, non-empty string.
    pub fn nonempty_str(&self) -> Option<String> {
        match self {
            Field::Known(v) => match &v.data {
                Data::String(s) if !s.trim().is_empty() => Some(s.clone()),
                _ => None,
            },
            _ => None,
        }
    }
}

/// Where a unit's state backend is configured.
#[derive(Clone, Debug)]
pub enum State {
    /// Terragrunt's `remote_state`.
    RemoteState,
    /// A `backend` block in generated contents.
    Generated {
        /// The lookup path of the contents (`generate["backend"].contents`).
        contents: String,
        /// How messages name it.
        name: String,
        backend: String,
        attrs: BTreeMap<String, Field>,
    },
}

/// What is known of a unit's state backend.
pub enum Found {
    State(State),
    /// A generate block that may write the backend is unknown: the lookup path, and why.
    Unknown {
        at: String,
        why: String,
    },
    /// Neither `remote_state` nor a generated backend block.
    Nothing,
}

/// The unit's state backend: its `remote_state`, else the first `backend` block of its
/// generated Terraform files.
pub fn state_of(u: &Unit) -> Found {
    if u.remote_state.is_some() {
        return Found::State(State::RemoteState);
    }
    let mut unknown = None;
    for f in terraform_files(u) {
        match &f.state {
            TfState::Parsed(parsed) => {
                for t in parsed.body.blocks("terraform", None) {
                    for b in t.body.blocks("backend", None) {
                        let Some(kind) = b.label(0) else {
                            continue;
                        };
                        let attrs = b
                            .body
                            .attributes
                            .iter()
                            .map(|a| (a.name.clone(), Field::of_tf(Some(&a.value))))
                            .collect();
                        return Found::State(State::Generated {
                            contents: f.contents_path(),
                            name: format!(
                                "backend \"{kind}\" in generate \"{}\"{}",
                                f.block.label,
                                at_line(b.line)
                            ),
                            backend: kind.to_string(),
                            attrs,
                        });
                    }
                }
            }
            // A provider file with unknown contents is not taken to hold the backend.
            TfState::Unknown { at, .. } if !f.looks_like_provider() => {
                let why = f.unknown_why().unwrap_or_default();
                unknown.get_or_insert((at.clone(), why));
            }
            TfState::Unknown { .. } => {}
            TfState::Invalid { message } => {
                unknown.get_or_insert((
                    f.contents_path(),
                    format!("the contents of {} do not parse ({message})", f.describe()),
                ));
            }
        }
    }
    match unknown {
        Some((at, why)) => Found::Unknown { at, why },
        None => Found::Nothing,
    }
}

impl State {
    /// How messages name it: `remote_state`, or the generated backend block.
    pub fn name(&self) -> &str {
        match self {
            State::RemoteState => "remote_state",
            State::Generated { name, .. } => name,
        }
    }

    /// Whether it is Terragrunt's `remote_state`, whose settings Terragrunt decodes
    /// weakly (`"1"` is true).
    pub fn is_remote_state(&self) -> bool {
        matches!(self, State::RemoteState)
    }

    pub fn backend(&self, u: &Unit) -> Field {
        match self {
            State::RemoteState => Field::of(u.get("remote_state.backend")),
            State::Generated { backend, .. } => Field::Known(Value::string(backend.clone())),
        }
    }

    /// The setting `key` of the backend's configuration.
    pub fn field(&self, u: &Unit, key: &str) -> Field {
        match self {
            State::RemoteState => Field::of(u.get(&format!("remote_state.config.{key}"))),
            State::Generated { attrs, .. } => attrs.get(key).cloned().unwrap_or(Field::Missing),
        }
    }

    /// The lookup path to report about `key` at (or about the block, for `None` or an
    /// absent key): where it is set, else the configuration that lacks it.
    pub fn path(&self, u: &Unit, key: Option<&str>) -> String {
        match self {
            State::RemoteState => {
                let candidates = [
                    key.map(|k| format!("remote_state.config.{k}")),
                    Some("remote_state.config".to_string()),
                ];
                candidates
                    .into_iter()
                    .flatten()
                    .find(|p| u.get(p).origin().is_some())
                    .unwrap_or_else(|| "remote_state".to_string())
            }
            State::Generated { contents, .. } => contents.clone(),
        }
    }

    /// Where to report about `key` (see [`State::path`]), with the chain that brought it.
    pub fn place(&self, u: &Unit, key: Option<&str>) -> (Label, Vec<Label>) {
        let path = self.path(u, key);
        let (label, related, _) = value_place(u, &path);
        (label, related)
    }
}

/// A bool setting, decoded as Terragrunt decodes `remote_state.config` (mapstructure's
/// WeakDecode: `true`, `"true"`, `"1"`, `"T"`, a non-zero number, and `""` is false) when
/// `weak`, else as Terraform converts a `bool` (`true` or `"true"`). `Err` names what it is.
pub fn truthy(v: &Value, weak: bool) -> Result<bool, String> {
    match (&v.data, weak) {
        (Data::Bool(b), _) => Ok(*b),
        (Data::Null, _) => Ok(false),
        (Data::Number(n), true) => Ok(n.as_f64() != 0.0),
        (Data::String(s), true) => match s.as_str() {
            "1" | "t" | "T" | "TRUE" | "true" | "True" => Ok(true),
            "0" | "f" | "F" | "FALSE" | "false" | "False" | "" => Ok(false),
            _ => Err(format!("the string \"{s}\", which is not a bool")),
        },
        (_, false) => v
            .to_bool_conv()
            .map_err(|_| format!("{}, which is not a bool", describe(v))),
        _ => Err(format!("{}, which is not a bool", describe(v))),
    }
}

fn describe(v: &Value) -> String {
    match &v.data {
        Data::String(s) => format!("the string \"{s}\""),
        _ => format!("a {}", v.type_name()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn weak_decoding_follows_mapstructure() {
        for (v, want) in [
            (Value::bool(true), Ok::<bool, ()>(true)),
            (Value::string("true"), Ok(true)),
            (Value::string("1"), Ok(true)),
            (Value::string("T"), Ok(true)),
            (Value::string("False"), Ok(false)),
            (Value::string(""), Ok(false)),
            (Value::int(2), Ok(true)),
            (Value::int(0), Ok(false)),
        ] {
            assert_eq!(truthy(&v, true).is_ok(), want.is_ok(), "{v}");
            assert_eq!(truthy(&v, true).ok(), want.ok(), "{v}");
        }
        assert!(truthy(&Value::string("yes"), true).is_err());
        // Terraform's own conversion is stricter.
        assert_eq!(truthy(&Value::string("true"), false), Ok(true));
        assert!(truthy(&Value::string("1"), false).is_err());
        assert!(truthy(&Value::int(1), false).is_err());
    }
}
