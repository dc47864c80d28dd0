//! The model's stable JSON view of a unit (`tglint render`, DESIGN §3.5, `docs/render.md`).
//! Internal types do not derive `Serialize`; this module builds the public shape.

use crate::load::Tree;
use crate::unit::Unit;
use serde_json::{Map, Value as J, json};
use std::collections::BTreeMap;
use tglint_hcl::value::is_identifier;
use tglint_hcl::{Data, Number, Value};

pub const RENDER_VERSION: u64 = 1;

/// A number as JSON: an integer in `i64` range as one; another number as the JSON number
/// a reader gets the same value back from; else (infinities, numbers a float64 cannot
/// carry, such as `1/3` at 512 bits) as `{"$number": "<exact decimal>"}`.
fn number_json(n: &Number) -> J {
    let negative_zero = n.is_zero() && n.is_sign_negative();
    if let Some(i) = n.as_i64().filter(|_| !negative_zero) {
        return J::from(i);
    }
    let text = n.to_string();
    if let Some(j) = text
        .parse::<f64>()
        .ok()
        .and_then(serde_json::Number::from_f64)
        && Number::parse(&j.to_string())
            .is_some_and(|m| m.cmp_num(n).is_eq() && m.is_sign_negative() == n.is_sign_negative())
    {
        return J::Number(j);
    }
    json!({ "$number": text })
}

/// A value as JSON: unknowns as `{"$unknown": reason}`, numbers as [`number_json`] writes
/// them, and a real key starting with `$` escaped as `$$…`.
pub fn value_json(v: &Value) -> J {
    match &v.data {
        Data::Null => J::Null,
        Data::Bool(b) => J::Bool(*b),
        Data::Number(n) => number_json(n),
        Data::String(s) => J::String(s.clone()),
        Data::Seq(_, items) => J::Array(items.iter().map(value_json).collect()),
        Data::Map(_, m) => {
            let mut o = Map::new();
            for (k, x) in m.iter() {
                let key = if k.starts_with('$') {
                    format!("${k}")
                } else {
                    k.clone()
                };
                o.insert(key, value_json(x));
            }
            J::Object(o)
        }
        Data::Unknown(u) => json!({ "$unknown": u.reason.to_string() }),
    }
}

/// `path` extended by a key, in HCL traversal syntax.
fn step_key(path: &str, k: &str) -> String {
    if is_identifier(k) {
        format!("{path}.{k}")
    } else {
        format!("{path}[{}]", serde_json::to_string(k).unwrap_or_default())
    }
}

struct Origins<'a> {
    tree: &'a Tree,
    out: BTreeMap<String, J>,
}

impl Origins<'_> {
    fn leaf(&mut self, path: String, v: &Value) {
        let Some(o) = v.origin else { return };
        let Some(f) = self.tree.cache.get(o.span.file) else {
            return;
        };
        let (line, column) = self.tree.cache.line_col(o.span.file, o.span.start);
        let mut e = Map::new();
        e.insert("file".into(), J::String(f.rel.clone()));
        e.insert("line".into(), J::from(line));
        e.insert("column".into(), J::from(column));
        if o.mock {
            e.insert("mock".into(), J::Bool(true));
        }
        self.out.insert(path, J::Object(e));
    }

    fn walk(&mut self, path: String, v: &Value, depth: u32) {
        if depth > 64 {
            return;
        }
        match &v.data {
            Data::Seq(_, items) if !items.is_empty() => {
                for (i, x) in items.iter().enumerate() {
                    self.walk(format!("{path}[{i}]"), x, depth + 1);
                }
            }
            Data::Map(_, m) if !m.is_empty() => {
                for (k, x) in m.iter() {
                    self.walk(step_key(&path, k), x, depth + 1);
                }
            }
            _ => self.leaf(path, v),
        }
    }
}

/// The render view of one unit: the keys of [`Unit::to_value`] that the view shows
/// (`path` shown as `unit`), with `version` and `origins`. The unit's diagnostics are
/// added by the command line's reporters, which own the diagnostics' JSON shape.
pub fn unit_json(tree: &Tree, u: &Unit) -> J {
    let view = u.to_value();
    let part = |k: &str| {
        view.as_map()
            .and_then(|m| m.get(k))
            .map(value_json)
            .unwrap_or(J::Null)
    };
    let mut origins = Origins {
        tree,
        out: BTreeMap::new(),
    };
    origins.walk("locals".into(), &Value::object(u.locals.clone()), 0);
    if let Some(v) = &u.inputs {
        origins.walk("inputs".into(), v, 0);
    }
    if let Some(t) = &u.terraform {
        origins.walk("terraform".into(), &t.value, 0);
    }
    if let Some(r) = &u.remote_state {
        origins.walk("remote_state".into(), &r.value, 0);
    }
    let generate = Value::object(
        u.generate
            .iter()
            .map(|g| (g.label.clone(), g.value.clone()))
            .collect(),
    );
    origins.walk("generate".into(), &generate, 0);
    for d in &u.dependencies {
        if let Some(m) = &d.mock_outputs {
            origins.walk(
                step_key(&step_key("dependency", &d.label), "mock_outputs"),
                m,
                0,
            );
        }
    }
    for (k, v) in [
        ("exclude", &u.exclude),
        ("errors", &u.errors),
        ("engine", &u.engine),
    ] {
        if let Some(v) = v {
            origins.walk(k.into(), v, 0);
        }
    }
    if let Some(v) = &u.values {
        origins.walk("values".into(), v, 0);
    }
    let mut m = Map::new();
    m.insert("version".into(), J::from(RENDER_VERSION));
    m.insert("unit".into(), part("path"));
    for k in [
        "file",
        "includes",
        "locals",
        "inputs",
        "terraform",
        "remote_state",
        "generate",
        "dependencies",
        "dependency_paths",
        "features",
        "exclude",
        "excluded",
        "errors",
        "engine",
    ] {
        m.insert(k.into(), part(k));
    }
    // A unit generated from a stack file says where; one with values shows them.
    if let Some(o) = &u.stack {
        let (line, _) = tree.cache.line_col(o.file, o.span.start);
        m.insert(
            "stack".into(),
            json!({ "file": u.view_path(&o.path), "line": line, "unit": o.unit }),
        );
    }
    if u.values.is_some() {
        m.insert("values".into(), part("values"));
    }
    m.insert(
        "origins".into(),
        J::Object(origins.out.into_iter().collect()),
    );
    J::Object(m)
}
