//! Helpers shared by `multi-az`, `encryption`, `backup-retention`, `instance-class`,
//! `enhanced-monitoring` and `container-insights`: paths into nested inputs (a service of
//! the ECS root module's `services` map, a listener of an ALB, a block device mapping),
//! the elements of a collection that the module iterates with `for_each`, reporting an
//! absent key at the map that lacks it, a note at a value, and option types.
//!
//! Paths here are relative to `inputs` (`services["web"].launch_type`), so that they can
//! be handed to [`crate::rules::common`]'s `bool_input`, `num_input` and `str_input`.

use crate::context::{Ctx, Finding, missing_place, value_place};
use crate::policy::Environment;
use crate::rule::Level;
use std::collections::BTreeMap;
use tglint_model::hcl::{Data, Value};
use tglint_model::unit::{Lookup, Unit};

/// `base["key"]`: a map key appended to a path relative to `inputs`.
pub fn key(base: &str, k: &str) -> String {
    let quoted = serde_json::to_string(k).unwrap_or_else(|_| format!("\"{k}\""));
    format!("{base}[{quoted}]")
}

/// `base.name`: an attribute appended to a path relative to `inputs`.
pub fn attr(base: &str, name: &str) -> String {
    if base.is_empty() {
        name.to_string()
    } else {
        format!("{base}.{name}")
    }
}

/// The full path of an input path (`inputs.<rel>`).
pub fn full(rel: &str) -> String {
    format!("inputs.{rel}")
}

/// What is at `inputs.<rel>`.
pub fn lookup<'a>(u: &'a Unit, rel: &str) -> Lookup<'a> {
    u.get(&full(rel))
}

/// A collection as the module's `for_each` sees it.
pub enum Members<'a> {
    /// Absent or null: the module default applies.
    Absent,
    /// Unknown (why).
    Unknown(&'a str),
    /// Neither a map nor a list (its type).
    WrongType(&'static str),
    /// The elements with their paths (relative to `inputs`), in order.
    Known(Vec<(String, &'a Value)>),
}

/// The elements of the map or list at `inputs.<rel>`: a map's values (keyed paths) or a
/// list's elements (indexed paths).
pub fn members<'a>(u: &'a Unit, rel: &str) -> Members<'a> {
    match lookup(u, rel) {
        Lookup::Missing => Members::Absent,
        Lookup::Unknown { reason, .. } => Members::Unknown(reason),
        Lookup::Known(v) if v.is_null() => Members::Absent,
        Lookup::Known(v) => match &v.data {
            Data::Map(_, m) => Members::Known(m.iter().map(|(k, x)| (key(rel, k), x)).collect()),
            Data::Seq(_, items) => Members::Known(
                items
                    .iter()
                    .enumerate()
                    .map(|(i, x)| (format!("{rel}[{i}]"), x))
                    .collect(),
            ),
            _ => Members::WrongType(v.type_name()),
        },
    }
}

/// `flatten([v])` as Terraform computes it for the value at `inputs.<rel>`: a single map
/// is one element, nested lists are flattened. `Err` with the reason when an element
/// that decides the shape is unknown.
pub fn flattened<'a>(u: &'a Unit, rel: &str) -> Result<Vec<(String, &'a Value)>, &'a str> {
    fn walk<'a>(
        path: String,
        v: &'a Value,
        out: &mut Vec<(String, &'a Value)>,
    ) -> Result<(), &'a str> {
        match &v.data {
            Data::Unknown(x) => Err(&x.reason),
            Data::Seq(_, items) => {
                for (i, x) in items.iter().enumerate() {
                    walk(format!("{path}[{i}]"), x, out)?;
                }
                Ok(())
            }
            _ => {
                out.push((path, v));
                Ok(())
            }
        }
    }
    let mut out = Vec::new();
    match lookup(u, rel) {
        Lookup::Missing => {}
        Lookup::Unknown { reason, .. } => return Err(reason),
        Lookup::Known(v) => walk(rel.to_string(), v, &mut out)?,
    }
    Ok(out)
}

/// A string field of a map value, as Terraform converts it; `Err` with the reason when
/// it is unknown, `Ok(None)` when absent or null.
pub fn field_str<'a>(v: &'a Value, name: &str) -> Result<Option<String>, &'a str> {
    match v.as_map().and_then(|m| m.get(name)) {
        None => Ok(None),
        Some(x) => match &x.data {
            Data::Unknown(u) => Err(&u.reason),
            Data::Null => Ok(None),
            _ => Ok(x.to_str_conv().ok()),
        },
    }
}

/// Whether the value is absent or an empty collection (`{}`, `[]`, `null`).
pub fn is_empty(v: &Value) -> bool {
    match &v.data {
        Data::Null => true,
        Data::Map(_, m) => m.is_empty(),
        Data::Seq(_, items) => items.is_empty(),
        _ => false,
    }
}

/// A violation about a key that the map at `inputs.<parent>` lacks: reported at that map
/// (where the key would be added), with the chain that carried the map. An absent or
/// origin-less parent falls back to the unit's `inputs`.
pub fn report_missing_in<'c>(
    cx: &'c mut Ctx<'_>,
    u: &Unit,
    parent: &str,
    message: impl Into<String>,
) -> &'c mut Finding {
    if parent.is_empty() || lookup(u, parent).origin().is_none() {
        return cx.report_missing(u, message);
    }
    let path = full(parent);
    let (primary, related, _) = value_place(u, &path);
    let f = cx.report(primary.with_note("without it"), message);
    f.related(related);
    f
}

/// A note (at most `level`) at the value at `inputs.<rel>`, or where it would be added
/// when it is absent.
pub fn note_at<'c>(
    cx: &'c mut Ctx<'_>,
    u: &Unit,
    level: Level,
    rel: &str,
    message: impl Into<String>,
) -> &'c mut Finding {
    let path = full(rel);
    let (primary, related) = if lookup(u, rel).origin().is_some() {
        let (p, r, _) = value_place(u, &path);
        (p, r)
    } else {
        missing_place(u)
    };
    let f = cx.note(u, level, primary, message);
    f.related(related);
    f
}

/// A string option that may also be a list of strings (`"db.t3.micro"` or
/// `["db.r6g.large", "db.r6g.xlarge"]`).
#[derive(Clone, Debug, serde::Deserialize)]
#[serde(untagged)]
pub enum OneOrMany {
    One(String),
    Many(Vec<String>),
}

impl OneOrMany {
    pub fn values(&self) -> Vec<&str> {
        match self {
            OneOrMany::One(s) => vec![s.as_str()],
            OneOrMany::Many(v) => v.iter().map(String::as_str).collect(),
        }
    }

    /// The values joined for a message: `a`, `a or b`, `a, b or c`.
    pub fn describe(&self) -> String {
        let v = self.values();
        match v.split_last() {
            None => String::new(),
            Some((last, [])) => (*last).to_string(),
            Some((last, rest)) => format!("{} or {last}", rest.join(", ")),
        }
    }
}

/// A per-environment-kind option map.
pub type PerEnv<T> = BTreeMap<String, T>;

/// The unit's environment when its kind is one of `kinds`.
pub fn env_among<'a>(cx: &Ctx<'a>, kinds: &[String]) -> Option<&'a Environment> {
    cx.environment().filter(|e| kinds.contains(&e.kind))
}

/// A number as a message prints it (`30`, `2.5`).
pub fn num(n: f64) -> String {
    if n.fract() == 0.0 && n.abs() < 1e15 {
        format!("{}", n as i64)
    } else {
        format!("{n}")
    }
}

/// Which part of `terraform-aws-modules/ecs/aws` a unit deploys.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum EcsPart {
    /// The root module (a cluster and its `services`).
    Root,
    /// `//modules/cluster`.
    Cluster,
    /// `//modules/service`.
    Service,
    /// Another submodule (`//modules/container-definition`).
    Other,
}

/// The part of the ECS module `u`'s source names, by the subdirectory after `//` (or, for
/// a vendored local copy, the path after its `terraform-aws-ecs` directory).
pub fn ecs_part(u: &Unit) -> EcsPart {
    let address = u.module().map(|s| s.address.as_str()).unwrap_or("");
    ecs_part_of(address)
}

fn ecs_part_of(address: &str) -> EcsPart {
    let tail = match address.split_once("//") {
        Some((_, sub)) => sub,
        None => match address.rfind("terraform-aws-ecs") {
            Some(i) => &address[i + "terraform-aws-ecs".len()..],
            None => "",
        },
    };
    match tail.trim_matches('/') {
        "" => EcsPart::Root,
        "modules/cluster" => EcsPart::Cluster,
        "modules/service" => EcsPart::Service,
        _ => EcsPart::Other,
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn ecs_parts_by_subdirectory() {
        assert_eq!(ecs_part_of("terraform-aws-modules/ecs/aws"), EcsPart::Root);
        assert_eq!(
            ecs_part_of("terraform-aws-modules/ecs/aws//modules/cluster"),
            EcsPart::Cluster
        );
        assert_eq!(
            ecs_part_of("terraform-aws-modules/ecs/aws//modules/service/"),
            EcsPart::Service
        );
        assert_eq!(
            ecs_part_of("../../vendor/terraform-aws-ecs/modules/cluster"),
            EcsPart::Cluster
        );
        assert_eq!(ecs_part_of("../../vendor/terraform-aws-ecs"), EcsPart::Root);
        assert_eq!(
            ecs_part_of("terraform-aws-modules/ecs/aws//modules/container-definition"),
            EcsPart::Other
        );
    }

    use super::*;

    #[test]
    fn keys_are_quoted_as_hcl_and_json_quote_them() {
        assert_eq!(key("services", "web"), r#"services["web"]"#);
        assert_eq!(key("x", "a\"b"), r#"x["a\"b"]"#);
        assert_eq!(attr("", "a"), "a");
        assert_eq!(attr("s[\"w\"]", "a"), "s[\"w\"].a");
    }

    #[test]
    fn one_or_many_describes_itself() {
        assert_eq!(OneOrMany::One("a".into()).describe(), "a");
        let m = OneOrMany::Many(vec!["a".into(), "b".into(), "c".into()]);
        assert_eq!(m.describe(), "a, b or c");
    }

    #[test]
    fn numbers_print_plainly() {
        assert_eq!(num(30.0), "30");
        assert_eq!(num(2.5), "2.5");
    }
}
