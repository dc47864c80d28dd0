//! The one door through which rules and policy read a unit: `unit.get("inputs.x")`.
//!
//! A path is written as an HCL traversal from one of the unit's parts: `inputs.tags["Name"]`,
//! `locals.env`, `terraform.source`, `remote_state.config.encrypt`,
//! `generate.provider.path`, `dependency.vpc.mock_outputs.vpc_id`, `feature.x.default`,
//! `exclude.if`, or a top-level attribute such as `prevent_destroy`. The answer says
//! whether the value is absent, unknown (with why), or known; the typed helpers then tell
//! a value of the wrong type apart from an absent one, so that every rule handles
//! "cannot verify" the same way.

use tglint_hcl::{Data, Number, Origin, Value};

/// One step of a path.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Step {
    /// `.name` or `["name"]`.
    Key(String),
    /// `[0]`.
    Index(usize),
}

/// Why a path could not be parsed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PathError(pub String);

impl std::fmt::Display for PathError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// Parses `a.b["c d"][0]` into its steps: the first is always a key.
pub fn parse_path(path: &str) -> Result<Vec<Step>, PathError> {
    let bad = |why: &str| PathError(format!("invalid path `{path}`: {why}"));
    let mut steps = Vec::new();
    let b = path.as_bytes();
    let mut i = 0;
    let ident = |i: &mut usize| -> Option<String> {
        let start = *i;
        while *i < b.len() && (b[*i].is_ascii_alphanumeric() || b[*i] == b'_' || b[*i] == b'-') {
            *i += 1;
        }
        (start < *i).then(|| path[start..*i].to_string())
    };
    match ident(&mut i) {
        Some(k) => steps.push(Step::Key(k)),
        None => return Err(bad("it must start with a name")),
    }
    while i < b.len() {
        match b[i] {
            b'.' => {
                i += 1;
                match ident(&mut i) {
                    Some(k) => steps.push(Step::Key(k)),
                    None => return Err(bad("a name must follow `.`")),
                }
            }
            b'[' => {
                i += 1;
                if b.get(i) == Some(&b'"') {
                    // A JSON string literal, which is also how HCL quotes a key.
                    let rest = &path[i..];
                    let mut de = serde_json::Deserializer::from_str(rest).into_iter::<String>();
                    let key = match de.next() {
                        Some(Ok(k)) => k,
                        _ => return Err(bad("unterminated or invalid string in `[...]`")),
                    };
                    i += de.byte_offset();
                    steps.push(Step::Key(key));
                } else {
                    let start = i;
                    while i < b.len() && b[i].is_ascii_digit() {
                        i += 1;
                    }
                    let n = path[start..i]
                        .parse::<usize>()
                        .map_err(|_| bad("`[...]` holds a quoted key or an index"))?;
                    steps.push(Step::Index(n));
                }
                if b.get(i) != Some(&b']') {
                    return Err(bad("missing `]`"));
                }
                i += 1;
            }
            _ => return Err(bad("expected `.` or `[`")),
        }
    }
    Ok(steps)
}

/// What a path leads to.
#[derive(Clone, Copy, Debug)]
pub enum Lookup<'a> {
    /// Nothing is set there: the attribute, key or block is absent (a module default
    /// applies, if there is one).
    Missing,
    /// Something is set there whose value tglint cannot know (`run_cmd`, an unset
    /// `get_env`, a dependency output without mocks): "cannot verify".
    Unknown {
        reason: &'a str,
        origin: Option<Origin>,
    },
    Known(&'a Value),
}

/// What a typed helper found.
#[derive(Clone, Copy, Debug)]
pub enum Typed<'a, T> {
    Missing,
    Unknown {
        reason: &'a str,
        origin: Option<Origin>,
    },
    /// Set to `null` explicitly.
    Null(&'a Value),
    /// Set, but not convertible to the type asked for (Terraform's conversions apply:
    /// `"true"` is a bool, `"3"` a number).
    WrongType {
        expected: &'static str,
        value: &'a Value,
    },
    Known {
        value: T,
        at: &'a Value,
    },
}

impl<'a, T> Typed<'a, T> {
    /// The known value, if any.
    pub fn known(self) -> Option<T> {
        match self {
            Typed::Known { value, .. } => Some(value),
            _ => None,
        }
    }

    pub fn is_missing(&self) -> bool {
        matches!(self, Typed::Missing)
    }
}

impl<'a> Lookup<'a> {
    /// Walks `steps` from `v`: through an unknown, the answer is that unknown; through an
    /// absent key, an index past the end or a value that has no such step, `Missing`.
    pub fn walk(v: &'a Value, steps: &[Step]) -> Lookup<'a> {
        let mut cur = v;
        for s in steps {
            if let Data::Unknown(u) = &cur.data {
                return Lookup::Unknown {
                    reason: &u.reason,
                    origin: cur.origin,
                };
            }
            let next = match (s, &cur.data) {
                (Step::Key(k), Data::Map(_, m)) => m.get(k),
                (Step::Index(i), Data::Seq(_, items)) => items.get(*i),
                _ => None,
            };
            match next {
                Some(n) => cur = n,
                None => return Lookup::Missing,
            }
        }
        Lookup::of(cur)
    }

    /// The lookup answer for a value that is there.
    pub fn of(v: &'a Value) -> Lookup<'a> {
        match &v.data {
            Data::Unknown(u) => Lookup::Unknown {
                reason: &u.reason,
                origin: v.origin,
            },
            _ => Lookup::Known(v),
        }
    }

    pub fn value(self) -> Option<&'a Value> {
        match self {
            Lookup::Known(v) => Some(v),
            _ => None,
        }
    }

    /// Where the value (known or unknown) was defined.
    pub fn origin(self) -> Option<Origin> {
        match self {
            Lookup::Known(v) => v.origin,
            Lookup::Unknown { origin, .. } => origin,
            Lookup::Missing => None,
        }
    }

    fn typed<T>(
        self,
        expected: &'static str,
        conv: impl FnOnce(&'a Value) -> Option<T>,
    ) -> Typed<'a, T> {
        match self {
            Lookup::Missing => Typed::Missing,
            Lookup::Unknown { reason, origin } => Typed::Unknown { reason, origin },
            Lookup::Known(v) if v.is_null() => Typed::Null(v),
            Lookup::Known(v) => match conv(v) {
                Some(value) => Typed::Known { value, at: v },
                None => Typed::WrongType { expected, value: v },
            },
        }
    }

    /// A bool, as Terraform converts one for a `bool` variable (`"true"` counts).
    pub fn bool(self) -> Typed<'a, bool> {
        self.typed("bool", |v| v.to_bool_conv().ok())
    }

    /// A number, as Terraform converts one for a `number` variable (`"3"` counts).
    pub fn num(self) -> Typed<'a, Number> {
        self.typed("number", |v| v.to_number_conv().ok())
    }

    /// A string; numbers and bools convert, as Terraform converts them.
    pub fn str(self) -> Typed<'a, std::borrow::Cow<'a, str>> {
        self.typed("string", |v| match &v.data {
            Data::String(s) => Some(std::borrow::Cow::Borrowed(s.as_str())),
            _ => v.to_str_conv().ok().map(std::borrow::Cow::Owned),
        })
    }

    /// A list, tuple or set (its elements may be unknown).
    pub fn list(self) -> Typed<'a, &'a [Value]> {
        self.typed("list", Value::as_seq)
    }

    /// A map or object (its values may be unknown).
    pub fn map(self) -> Typed<'a, &'a std::collections::BTreeMap<String, Value>> {
        self.typed("map", Value::as_map)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_parse_as_hcl_traversals() {
        assert_eq!(
            parse_path(r#"inputs.tags["kubernetes.io/role"][0].x"#),
            Ok(vec![
                Step::Key("inputs".into()),
                Step::Key("tags".into()),
                Step::Key("kubernetes.io/role".into()),
                Step::Index(0),
                Step::Key("x".into()),
            ])
        );
        assert_eq!(
            parse_path("remote_state.config.encrypt").map(|s| s.len()),
            Ok(3)
        );
        for bad in ["", ".x", "a.", "a[", "a[x]", "a[\"x\"", "a b"] {
            assert!(parse_path(bad).is_err(), "{bad}");
        }
    }
}
