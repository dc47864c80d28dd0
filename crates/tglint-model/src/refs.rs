//! Which variables an expression refers to: the free roots (`local`, `include`,
//! `dependency`, …) and, for each, the first attribute step (`local.foo.bar` → `foo`).
//! Names bound by `for` expressions and template `for` directives are not free.

use tglint_hcl::hcl_edit::expr::{Expression, TraversalOperator};
use tglint_hcl::hcl_edit::template::{Directive, Element, Template};
use tglint_hcl::hcl_edit::{Span as _, expr::ObjectKey};

/// One free reference.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Ref {
    pub root: String,
    /// The first step after the root when it is an attribute.
    pub attr: Option<String>,
    /// Byte range of the reference.
    pub range: std::ops::Range<usize>,
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
    fn free(&mut self, name: &str, attr: Option<String>, range: std::ops::Range<usize>) {
        if !self.bound.iter().any(|b| b == name) {
            self.out.push(Ref {
                root: name.to_string(),
                attr,
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
                self.free(v.value().as_str(), None, v.span().unwrap_or(0..0));
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
                    let attr = t.operators.first().and_then(|op| match op.value() {
                        TraversalOperator::GetAttr(id) => Some(id.value().as_str().to_string()),
                        _ => None,
                    });
                    self.free(v.value().as_str(), attr, t.span().unwrap_or(0..0));
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

#[cfg(test)]
mod tests {
    use super::*;
    use tglint_hcl::{FileId, parse_expr};

    fn roots(src: &str) -> Vec<(String, Option<String>)> {
        refs(&parse_expr(FileId(0), src).unwrap())
            .into_iter()
            .map(|r| (r.root, r.attr))
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
}
