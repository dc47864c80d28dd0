//! `tglint render --format hcl`: the resolved unit printed as HCL that parses again
//! (`docs/render.md`). A careful writer of its own rather than hcl-edit's printer, so that
//! each value can be followed by a comment: unknowns print as `null # unknown: <reason>`
//! and, with origins, each attribute is followed by `# origin: <file>:<line>`. Object
//! keys are sorted, so the output is deterministic.

use crate::load::Tree;
use crate::unit::Unit;
use std::collections::BTreeMap;
use std::fmt::Write as _;
use tglint_hcl::value::is_identifier;
use tglint_hcl::{Data, Value};

/// How deep the output may nest: as deep as the parser accepts. A collection whose
/// elements would nest deeper is cut (printed as `null # unknown: …`), so the writer is
/// bounded and its output parses again.
const MAX_DEPTH: usize = tglint_hcl::MAX_NESTING;

struct Writer<'a> {
    tree: &'a Tree,
    origins: bool,
    out: String,
}

/// An HCL quoted string: `\`, `"` and control characters escaped, and `${`/`%{` doubled
/// so that they stay literal text.
pub fn quote(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' => out.push_str("\\\\"),
            '"' => out.push_str("\\\""),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '$' | '%' if chars.peek() == Some(&'{') => {
                out.push(c);
                out.push(c);
            }
            c if c.is_control() => {
                let _ = write!(out, "\\u{:04x}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

fn key(k: &str) -> String {
    if is_identifier(k) {
        k.to_string()
    } else {
        quote(k)
    }
}

fn one_line(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

impl Writer<'_> {
    fn origin(&self, v: &Value) -> Option<String> {
        if !self.origins {
            return None;
        }
        let o = v.origin?;
        let f = self.tree.cache.get(o.span.file)?;
        let (line, _) = self.tree.cache.line_col(o.span.file, o.span.start);
        let mock = if o.mock { " (mock_outputs)" } else { "" };
        Some(format!("origin: {}:{line}{mock}", f.rel))
    }

    /// The comment that ends the line of a value: its unknown reason and its origin.
    fn comment(&self, v: &Value, unknown: Option<&str>) -> String {
        let mut parts = Vec::new();
        if let Some(r) = unknown {
            parts.push(format!("unknown: {}", one_line(r)));
        }
        if let Some(o) = self.origin(v) {
            parts.push(o);
        }
        if parts.is_empty() {
            String::new()
        } else {
            format!(" # {}", parts.join("; "))
        }
    }

    fn pad(&mut self, depth: usize) {
        for _ in 0..depth {
            self.out.push_str("  ");
        }
    }

    /// Writes `v` after text already on the line, then `sep` (`,` in a list), the comment
    /// and the newline.
    fn value(&mut self, v: &Value, depth: usize, sep: &str) {
        let elements = match &v.data {
            Data::Seq(_, items) => !items.is_empty(),
            Data::Map(_, m) => !m.is_empty(),
            _ => false,
        };
        if depth + usize::from(elements) > MAX_DEPTH {
            let c = self.comment(v, Some("nested too deeply to print"));
            let _ = writeln!(self.out, "null{sep}{c}");
            return;
        }
        match &v.data {
            Data::Null => {
                let c = self.comment(v, None);
                let _ = writeln!(self.out, "null{sep}{c}");
            }
            Data::Unknown(u) => {
                let c = self.comment(v, Some(&u.reason));
                let _ = writeln!(self.out, "null{sep}{c}");
            }
            Data::Bool(b) => {
                let c = self.comment(v, None);
                let _ = writeln!(self.out, "{b}{sep}{c}");
            }
            Data::Number(n) => {
                let c = self.comment(v, None);
                match n {
                    n if n.is_infinite() => {
                        let c = self.comment(v, Some(&format!("{n} cannot be written in HCL")));
                        let _ = writeln!(self.out, "null{sep}{c}");
                    }
                    _ => {
                        let _ = writeln!(self.out, "{n}{sep}{c}");
                    }
                }
            }
            Data::String(s) => {
                let c = self.comment(v, None);
                let _ = writeln!(self.out, "{}{sep}{c}", quote(s));
            }
            Data::Seq(_, items) => {
                let c = self.comment(v, None);
                if items.is_empty() {
                    let _ = writeln!(self.out, "[]{sep}{c}");
                    return;
                }
                let _ = writeln!(self.out, "[{c}");
                for x in items.iter() {
                    self.pad(depth + 1);
                    self.value(x, depth + 1, ",");
                }
                self.pad(depth);
                let _ = writeln!(self.out, "]{sep}");
            }
            Data::Map(_, m) => {
                let c = self.comment(v, None);
                if m.is_empty() {
                    let _ = writeln!(self.out, "{{}}{sep}{c}");
                    return;
                }
                let _ = writeln!(self.out, "{{{c}");
                for (k, x) in m.iter() {
                    self.pad(depth + 1);
                    let _ = write!(self.out, "{} = ", key(k));
                    self.value(x, depth + 1, "");
                }
                self.pad(depth);
                let _ = writeln!(self.out, "}}{sep}");
            }
        }
    }

    fn attribute(&mut self, name: &str, v: &Value, depth: usize) {
        self.pad(depth);
        let _ = write!(self.out, "{} = ", key(name));
        self.value(v, depth, "");
    }

    /// A block: its attributes, and the entries of `nested` (label → object) as labelled
    /// blocks of that type. A value that is not an object is written as `name = value`.
    fn block(&mut self, name: &str, labels: &[&str], v: &Value, nested: &[&str], depth: usize) {
        let Some(m) = v.as_map() else {
            self.attribute(name, v, depth);
            return;
        };
        self.pad(depth);
        self.out.push_str(name);
        for l in labels {
            self.out.push(' ');
            self.out.push_str(&quote(l));
        }
        let c = self.comment(v, None);
        let _ = writeln!(self.out, " {{{c}");
        for (k, x) in m.iter() {
            if nested.contains(&k.as_str())
                && let Some(inner) = x.as_map()
            {
                for (label, b) in inner {
                    let mut b = b.clone();
                    if let Some(bm) = b.map_mut() {
                        bm.remove("name");
                    }
                    self.block(k, &[label], &b, &[], depth + 1);
                }
            } else {
                self.attribute(k, x, depth + 1);
            }
        }
        self.pad(depth);
        self.out.push_str("}\n");
    }
}

/// The resolved unit as HCL: a header comment (unit, file), then `include` blocks as
/// declared, `locals`, the merged `terraform`, `remote_state`, `generate`, `dependency`,
/// `dependencies`, `feature`, `exclude`, `errors`, `engine` blocks, the top-level
/// attributes and `inputs`.
pub fn unit_hcl(tree: &Tree, u: &Unit, origins: bool) -> String {
    let mut w = Writer {
        tree,
        origins,
        out: String::new(),
    };
    let view = |p: &std::path::Path| match p.strip_prefix(&u.root) {
        Ok(r) => r.display().to_string(),
        Err(_) => p.display().to_string(),
    };
    let _ = writeln!(w.out, "# unit: {}", one_line(&u.dir));
    let _ = writeln!(w.out, "# file: {}", one_line(&view(&u.path)));
    if u.excluded() == Some(true) {
        w.out
            .push_str("# excluded for every action (exclude { if = true, actions = [\"all\"] })\n");
    }
    for i in &u.includes {
        let mut m = BTreeMap::new();
        m.insert("path".to_string(), Value::string(view(&i.path)));
        m.insert(
            "merge_strategy".to_string(),
            Value::string(i.merge.as_str()),
        );
        m.insert("expose".to_string(), Value::bool(i.expose));
        let labels: Vec<&str> = if i.bare {
            vec![]
        } else {
            vec![i.label.as_str()]
        };
        w.block("include", &labels, &Value::object(m), &[], 0);
    }
    if !u.locals.is_empty() {
        w.block("locals", &[], &Value::object(u.locals.clone()), &[], 0);
    }
    if let Some(t) = &u.terraform {
        w.block(
            "terraform",
            &[],
            &t.value,
            &["extra_arguments", "before_hook", "after_hook", "error_hook"],
            0,
        );
    }
    if let Some(r) = &u.remote_state {
        w.block("remote_state", &[], &r.value, &[], 0);
    }
    for g in &u.generate {
        w.block("generate", &[&g.label], &g.value, &[], 0);
    }
    for d in &u.dependencies {
        w.block("dependency", &[&d.label], &d.value, &[], 0);
    }
    if let Some(p) = &u.dependencies_paths {
        let m = BTreeMap::from([("paths".to_string(), p.clone())]);
        w.block("dependencies", &[], &Value::object(m), &[], 0);
    }
    for (name, f) in &u.features {
        let mut f = f.clone();
        if let Some(fm) = f.map_mut() {
            fm.remove("name");
        }
        w.block("feature", &[name], &f, &[], 0);
    }
    for (name, v, nested) in [
        ("exclude", &u.exclude, &[][..]),
        ("errors", &u.errors, &["retry", "ignore"][..]),
        ("engine", &u.engine, &[][..]),
        ("catalog", &u.catalog, &[][..]),
    ] {
        if let Some(v) = v {
            w.block(name, &[], v, nested, 0);
        }
    }
    for (k, v) in &u.attributes {
        w.attribute(k, v, 0);
    }
    if let Some(i) = &u.inputs {
        w.attribute("inputs", i, 0);
    }
    w.out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strings_stay_literal() {
        assert_eq!(quote("a\"b\\c\n${x}%{y}$z"), r#""a\"b\\c\n$${x}%%{y}$z""#);
    }
}
