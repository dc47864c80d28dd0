//! Which environment and region a unit belongs to.
//!
//! The environment *name* comes from, in order: the policy's `classify { environment }`
//! expression; the resolved `inputs.environment`, then `locals.environment` of the unit or
//! of any file it includes; then the `environments/<name>/<region>/` segments of its path.
//! The name's *kind* is the first `environment` block whose globs match it. The region
//! likewise: `classify { region }`, `aws_region`, then the path. A name that is unknown
//! (`get_env` without a value) stops the search: the unit is unclassified rather than
//! guessed from a later source.

use super::Policy;
use tglint_model::hcl::hcl_edit::Span as _;
use tglint_model::hcl::{EvalCtx, FileId, Origin, Span, Vars, eval, functions};
use tglint_model::unit::{Classified, Lookup, Unit};

/// What the search found for one of the two names.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Found {
    Name(Classified),
    /// A source had the name but its value is unknown: why.
    Unknown(String),
    Nothing,
}

/// An error in the policy's `classify` expression (a policy error at that line).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ClassifyError {
    pub span: Span,
    pub message: String,
}

/// The environment name of `u`.
pub fn environment(policy: &Policy, u: &Unit, errors: &mut Vec<ClassifyError>) -> Found {
    find(policy, u, "environment", errors).map_kind(policy)
}

/// The region name of `u`.
pub fn region(policy: &Policy, u: &Unit, errors: &mut Vec<ClassifyError>) -> Found {
    find(policy, u, "aws_region", errors)
}

impl Found {
    fn map_kind(self, policy: &Policy) -> Found {
        match self {
            Found::Name(mut c) => {
                if let Some(e) = policy.kind_of(&c.name) {
                    c.kind = Some(e.kind.clone());
                }
                Found::Name(c)
            }
            other => other,
        }
    }
}

fn find(policy: &Policy, u: &Unit, key: &str, errors: &mut Vec<ClassifyError>) -> Found {
    let expr = if key == "environment" {
        &policy.classify.environment
    } else {
        &policy.classify.region
    };
    if let Some((file, e)) = expr {
        return from_expression(u, *file, e, key, errors);
    }
    // inputs.<key>, then locals.<key> of the unit, then of each included file (the last
    // included first: it is the most specific).
    let own_inputs = u.get(&format!("inputs.{key}"));
    if let Some(f) = from_lookup(own_inputs, &format!("inputs.{key}")) {
        return f;
    }
    if let Some(v) = u.locals.get(key)
        && let Some(f) = from_lookup(Lookup::of(v), &format!("locals.{key}"))
    {
        return f;
    }
    for layer in u.layers.iter().rev() {
        if let Some(v) = layer.config.locals.get(key)
            && let Some(f) = from_lookup(
                Lookup::of(v),
                &format!("locals.{key} of include \"{}\"", layer.include.label),
            )
        {
            return f;
        }
    }
    from_path(u, key)
}

fn from_lookup(l: Lookup<'_>, what: &str) -> Option<Found> {
    match l {
        Lookup::Missing => None,
        Lookup::Unknown { reason, .. } => {
            Some(Found::Unknown(format!("{what} is unknown ({reason})")))
        }
        Lookup::Known(v) => match v.as_str() {
            Some(s) if !s.is_empty() => Some(Found::Name(Classified {
                name: s.to_string(),
                kind: None,
                because: what.to_string(),
                origin: v.origin,
            })),
            _ => None,
        },
    }
}

fn from_path(u: &Unit, key: &str) -> Found {
    let parts: Vec<&str> = u.dir.split('/').collect();
    let Some(i) = parts.iter().position(|p| *p == "environments") else {
        return Found::Nothing;
    };
    let at = if key == "environment" { i + 1 } else { i + 2 };
    // Each segment must be a directory the unit is inside, not the unit itself.
    match parts.get(at) {
        Some(name) if at + 1 < parts.len() => Found::Name(Classified {
            name: name.to_string(),
            kind: None,
            because: format!(
                "the path segment environments/{}",
                parts[i + 1..=at].join("/")
            ),
            origin: None,
        }),
        _ => Found::Nothing,
    }
}

fn from_expression(
    u: &Unit,
    file: FileId,
    e: &tglint_model::hcl::hcl_edit::expr::Expression,
    key: &str,
    errors: &mut Vec<ClassifyError>,
) -> Found {
    let mut vars = Vars::new();
    vars.insert("unit".into(), u.to_value());
    let fns = [functions::terraform()];
    let mut cx = EvalCtx::detached(&fns, &vars);
    cx.file = file;
    let what = format!(
        "the policy's classify {{ {} }}",
        if key == "environment" {
            "environment"
        } else {
            "region"
        }
    );
    match eval(e, &cx) {
        Ok(v) if v.is_null() => Found::Nothing,
        Ok(v) => match (&v.data, v.as_str()) {
            (_, Some(s)) if !s.is_empty() => Found::Name(Classified {
                name: s.to_string(),
                kind: None,
                because: what,
                origin: v
                    .origin
                    .or(Some(Origin::new(Span::new(file, e.span().unwrap_or(0..0))))),
            }),
            (tglint_model::hcl::Data::Unknown(u), _) => {
                Found::Unknown(format!("{what} is unknown ({})", u.reason))
            }
            _ => {
                errors.push(ClassifyError {
                    span: Span::new(file, e.span().unwrap_or(0..0)),
                    message: format!("{what} must give a string, not {}", v.type_name()),
                });
                Found::Nothing
            }
        },
        Err(err) => {
            // An attribute a unit does not have is "nothing here", not a policy error.
            if err.summary == "Unsupported attribute" {
                return Found::Nothing;
            }
            errors.push(ClassifyError {
                span: err.span,
                message: format!("{what}: {err}"),
            });
            Found::Nothing
        }
    }
}
