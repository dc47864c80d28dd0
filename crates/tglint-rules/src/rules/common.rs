//! What several rules share: reading an input with its module default, the modules' create
//! switches, and options keyed by environment kind.

use crate::context::{Ctx, Module};
use tglint_model::hcl::Value;
use tglint_model::unit::{Lookup, Typed, Unit};

/// An input of `inputs`, with what its absence means.
#[derive(Clone, Debug)]
pub enum Input<'a, T> {
    /// Set, to this (after Terraform's conversions: `"true"` is a bool).
    Set(T, &'a Value),
    /// Not set (or `null`): the module's default applies, which is this.
    Default(T),
    /// Not set, and the module's default is not known (it changed between majors and the
    /// source pins none): why.
    NoDefault(String),
    /// Set, to a value tglint cannot know: why.
    Unknown(&'a str),
    /// Set, to a value of the wrong type (its type).
    WrongType(&'static str, &'a Value),
}

/// The bool input `inputs.<name>`; `default` is the module default (`None`: unknown,
/// with the reason in `why`).
pub fn bool_input<'a>(
    u: &'a Unit,
    name: &str,
    default: Option<bool>,
    why: &str,
) -> Input<'a, bool> {
    let path = format!("inputs.{name}");
    match u.get(&path).bool() {
        Typed::Known { value, at } => Input::Set(value, at),
        Typed::Missing | Typed::Null(_) => match default {
            Some(d) => Input::Default(d),
            None => Input::NoDefault(why.to_string()),
        },
        Typed::Unknown { reason, .. } => Input::Unknown(reason),
        Typed::WrongType { value, .. } => Input::WrongType(value.type_name(), value),
    }
}

/// The number input `inputs.<name>` as `f64`.
pub fn num_input<'a>(u: &'a Unit, name: &str, default: Option<f64>, why: &str) -> Input<'a, f64> {
    let path = format!("inputs.{name}");
    match u.get(&path).num() {
        Typed::Known { value, at } => Input::Set(value.as_f64(), at),
        Typed::Missing | Typed::Null(_) => match default {
            Some(d) => Input::Default(d),
            None => Input::NoDefault(why.to_string()),
        },
        Typed::Unknown { reason, .. } => Input::Unknown(reason),
        Typed::WrongType { value, .. } => Input::WrongType(value.type_name(), value),
    }
}

/// The string input `inputs.<name>`.
pub fn str_input<'a>(
    u: &'a Unit,
    name: &str,
    default: Option<&str>,
    why: &str,
) -> Input<'a, String> {
    let path = format!("inputs.{name}");
    match u.get(&path).str() {
        Typed::Known { value, at } => Input::Set(value.into_owned(), at),
        Typed::Missing | Typed::Null(_) => match default {
            Some(d) => Input::Default(d.to_string()),
            None => Input::NoDefault(why.to_string()),
        },
        Typed::Unknown { reason, .. } => Input::Unknown(reason),
        Typed::WrongType { value, .. } => Input::WrongType(value.type_name(), value),
    }
}

/// Requires `inputs.<name>` to be `want`, reporting a violation (`what` names it in the
/// message, e.g. "prod RDS instance"), "cannot verify", or nothing. `default` is the
/// module's default when it is absent.
pub fn require_bool(
    cx: &mut Ctx<'_>,
    u: &Unit,
    name: &str,
    want: bool,
    default: Option<bool>,
    why_no_default: &str,
    what: &str,
) {
    let path = format!("inputs.{name}");
    let help =
        format!("set {name} = {want} in the unit, or in the file that sets it for the environment");
    match bool_input(u, name, default, why_no_default) {
        Input::Set(v, _) if v == want => {}
        Input::Set(v, _) => {
            cx.report_value(u, &path, format!("{what} has {name} = {v}"))
                .help(help);
        }
        Input::Default(d) if d == want => {}
        Input::Default(d) => {
            cx.report_missing(
                u,
                format!("{what}: {name} is not set; the module default is {d}"),
            )
            .subject(&path)
            .help(help);
        }
        Input::NoDefault(why) => {
            cx.cannot_verify(u, &path, name, &why);
        }
        Input::Unknown(reason) => {
            cx.cannot_verify(u, &path, name, reason);
        }
        Input::WrongType(t, _) => {
            cx.report_value(
                u,
                &path,
                format!("{what} has {name} set to a {t}, not a bool"),
            )
            .help(help);
        }
    }
}

/// Whether the module creates anything, by its create switch (`create_db_instance`,
/// `create`, …; default true). `None` after reporting "cannot verify" when the switch is
/// unknown.
pub fn creates(cx: &mut Ctx<'_>, u: &Unit, switch: &str) -> Option<bool> {
    match bool_input(u, switch, Some(true), "") {
        Input::Set(b, _) | Input::Default(b) => Some(b),
        Input::Unknown(reason) => {
            cx.cannot_verify(
                u,
                &format!("inputs.{switch}"),
                &format!("whether the module creates anything ({switch})"),
                reason,
            );
            None
        }
        // A create switch of the wrong type is Terraform's error to report.
        Input::NoDefault(_) | Input::WrongType(..) => Some(true),
    }
}

/// The module of the unit when it is one of `names` (the policy's module names).
pub fn module_among<'a>(cx: &Ctx<'a>, names: &[&str]) -> Option<Module<'a>> {
    cx.module().filter(|m| names.contains(&m.name))
}

/// A per-environment option (`{ dev = 7, prod = 30 }`) for the unit's environment kind.
pub fn for_env<'m, T>(m: &'m std::collections::BTreeMap<String, T>, kind: &str) -> Option<&'m T> {
    m.get(kind)
}

/// Whether `u`'s input at `path` is present (known, unknown or null).
pub fn present(u: &Unit, path: &str) -> bool {
    !matches!(u.get(path), Lookup::Missing)
}
