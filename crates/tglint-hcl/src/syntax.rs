//! The one walk over an expression's syntax tree: which variables it refers to. Every
//! position is visited — object keys and values, heredocs and string templates with their
//! interpolations and directives (`%{if}` conditions, `%{for}` collections), `for`
//! collections, keys, values and conditions, function arguments, index expressions — and
//! names bound by `for` expressions and template `for` directives are not free.

use hcl_edit::expr::{Expression, TraversalOperator};
use hcl_edit::template::{Directive, Element, Template};
use hcl_edit::{Span as _, expr::ObjectKey};

/// One free reference: `local.foo.bar` is root `local` with steps `["foo", "bar"]`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Ref {
    pub root: String,
    /// The attribute steps right after the root, up to the first step that is not an
    /// attribute (`local["name"]` has none: Terragrunt cannot tell which local it names).
    pub steps: Vec<String>,
    /// Byte range of the reference.
    pub range: std::ops::Range<usize>,
}

impl Ref {
    /// The first step after the root, when it is an attribute.
    pub fn attr(&self) -> Option<&str> {
        self.steps.first().map(String::as_str)
    }
}

/// All free references in `e`, in source order.
pub fn refs(e: &Expression) -> Vec<Ref> {
    let mut w = Walker {
        bound: Vec::new(),
        out: Vec::new(),
        depth: 0,
    };
    w.expr(e);
    w.out
}

struct Walker {
    bound: Vec<String>,
    out: Vec<Ref>,
    depth: u32,
}

impl Walker {
    fn free(&mut self, name: &str, steps: Vec<String>, range: std::ops::Range<usize>) {
        if !self.bound.iter().any(|b| b == name) {
            self.out.push(Ref {
                root: name.to_string(),
                steps,
                range,
            });
        }
    }

    fn expr(&mut self, e: &Expression) {
        self.depth += 1;
        if self.depth < 512 {
            self.expr_inner(e);
        }
        self.depth -= 1;
    }

    fn expr_inner(&mut self, e: &Expression) {
        match e {
            Expression::Null(_)
            | Expression::Bool(_)
            | Expression::Number(_)
            | Expression::String(_) => {}
            Expression::Array(a) => a.iter().for_each(|x| self.expr(x)),
            Expression::Object(o) => {
                for (k, v) in o.iter() {
                    if let ObjectKey::Expression(ke) = k {
                        self.expr(ke);
                    }
                    self.expr(v.expr());
                }
            }
            Expression::StringTemplate(t) => {
                for el in t.iter() {
                    self.element(el);
                }
            }
            Expression::HeredocTemplate(h) => self.template(&h.template),
            Expression::Parenthesis(p) => self.expr(p.inner()),
            Expression::Variable(v) => {
                self.free(v.value().as_str(), Vec::new(), v.span().unwrap_or(0..0));
            }
            Expression::Conditional(c) => {
                self.expr(&c.cond_expr);
                self.expr(&c.true_expr);
                self.expr(&c.false_expr);
            }
            Expression::FuncCall(f) => f.args.iter().for_each(|a| self.expr(a)),
            Expression::Traversal(t) => {
                if let Expression::Variable(v) = &t.expr {
                    // Only `root.name` names an attribute; `local["name"]` does not (Terragrunt:
                    // "This local var name can not be determined.").
                    let steps = t
                        .operators
                        .iter()
                        .map_while(|op| match op.value() {
                            TraversalOperator::GetAttr(id) => Some(id.value().as_str().to_string()),
                            _ => None,
                        })
                        .collect();
                    self.free(v.value().as_str(), steps, t.span().unwrap_or(0..0));
                } else {
                    self.expr(&t.expr);
                }
                for op in &t.operators {
                    if let TraversalOperator::Index(ix) = op.value() {
                        self.expr(ix);
                    }
                }
            }
            Expression::UnaryOp(u) => self.expr(&u.expr),
            Expression::BinaryOp(b) => {
                self.expr(&b.lhs_expr);
                self.expr(&b.rhs_expr);
            }
            Expression::ForExpr(f) => {
                self.expr(&f.intro.collection_expr);
                let base = self.bound.len();
                if let Some(k) = &f.intro.key_var {
                    self.bound.push(k.value().as_str().to_string());
                }
                self.bound
                    .push(f.intro.value_var.value().as_str().to_string());
                if let Some(k) = &f.key_expr {
                    self.expr(k);
                }
                self.expr(&f.value_expr);
                if let Some(c) = &f.cond {
                    self.expr(&c.expr);
                }
                self.bound.truncate(base);
            }
        }
    }

    fn template(&mut self, t: &Template) {
        for el in t.iter() {
            self.element(el);
        }
    }

    fn element(&mut self, el: &Element) {
        match el {
            Element::Literal(_) => {}
            Element::Interpolation(i) => self.expr(&i.expr),
            Element::Directive(d) => match d.as_ref() {
                Directive::If(i) => {
                    self.expr(&i.if_expr.cond_expr);
                    self.template(&i.if_expr.template);
                    if let Some(e) = &i.else_expr {
                        self.template(&e.template);
                    }
                }
                Directive::For(f) => {
                    let fx = &f.for_expr;
                    self.expr(&fx.collection_expr);
                    let base = self.bound.len();
                    if let Some(k) = &fx.key_var {
                        self.bound.push(k.value().as_str().to_string());
                    }
                    self.bound.push(fx.value_var.value().as_str().to_string());
                    self.template(&fx.template);
                    self.bound.truncate(base);
                }
            },
        }
    }
}

/// The candidate closest to `name`, as HCL suggests one ("Did you mean …?"): the first
/// whose Levenshtein distance from `name` is under 3.
pub fn suggest<'a>(name: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    candidates.into_iter().find(|c| levenshtein(name, c) < 3)
}

/// Edit distance in characters, with one row of memory.
fn levenshtein(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut prev = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let cur = row[j + 1];
            row[j + 1] = if ca == *cb {
                prev
            } else {
                1 + prev.min(cur).min(row[j])
            };
            prev = cur;
        }
    }
    row[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{FileId, parse_expr};

    fn roots(src: &str) -> Vec<(String, Option<String>)> {
        refs(&parse_expr(FileId(0), src).unwrap())
            .into_iter()
            .map(|r| (r.root.clone(), r.attr().map(str::to_string)))
            .collect()
    }

    #[test]
    fn finds_free_roots_and_first_attribute() {
        assert_eq!(
            roots(r#""${local.a.b}-${include.root.locals.x}""#),
            vec![
                ("local".into(), Some("a".into())),
                ("include".into(), Some("root".into()))
            ]
        );
        assert_eq!(
            roots("[for x in local.list : x.name if x != dependency.d]"),
            vec![
                ("local".into(), Some("list".into())),
                ("dependency".into(), Some("d".into()))
            ]
        );
        assert_eq!(roots(r#"local["a"]"#), vec![("local".into(), None)]);
        assert_eq!(roots("upper(foo)"), vec![("foo".into(), None)]);
    }

    #[test]
    fn suggestions_are_within_two_edits() {
        assert_eq!(levenshtein("kitten", "sitting"), 3);
        assert_eq!(levenshtein("", "ab"), 2);
        assert_eq!(
            suggest("deletion_protecton", ["multi_az", "deletion_protection"]),
            Some("deletion_protection")
        );
        assert_eq!(suggest("zzz", ["inputs"]), None);
    }

    #[test]
    fn every_position_is_visited() {
        let src = r#"{
  (local.key) = <<-EOT
    %{ if dependency.a.inputs.x }${local.y}%{ endif }
    %{ for i in local.list }${i}${dependency.b.outputs.z}%{ endfor }
  EOT
  w = [for k, v in local.m : v if v != dependency.c.inputs]
  d = local.arr[local.idx]
}"#;
        let all: Vec<(String, Vec<String>)> = refs(&parse_expr(FileId(0), src).unwrap())
            .into_iter()
            .map(|r| (r.root, r.steps))
            .collect();
        let want: Vec<(&str, Vec<&str>)> = vec![
            ("local", vec!["key"]),
            ("dependency", vec!["a", "inputs", "x"]),
            ("local", vec!["y"]),
            ("local", vec!["list"]),
            ("dependency", vec!["b", "outputs", "z"]),
            ("local", vec!["m"]),
            ("dependency", vec!["c", "inputs"]),
            ("local", vec!["arr"]),
            ("local", vec!["idx"]),
        ];
        let want: Vec<(String, Vec<String>)> = want
            .into_iter()
            .map(|(r, s)| (r.to_string(), s.into_iter().map(String::from).collect()))
            .collect();
        assert_eq!(all, want);
    }
}
