//! What `required-tags` and `remote-state` share: the Terraform files a unit's `generate`
//! blocks write, parsed as HCL but not evaluated.
//!
//! Terragrunt evaluates a generate block's `contents` when it reads its configuration, so
//! `${local.environment}` is already interpolated in the string the model holds; what is
//! left are Terraform's own expressions (`var.module_name`, `timestamp()`), which have no
//! value before Terraform runs. So the contents are parsed, and each attribute is read as
//! a literal (a constant expression, evaluated with no variables and no functions) or
//! kept as the Terraform expression it is.
//!
//! Spans in the parsed contents are offsets into the contents string, not into the file
//! that holds the `generate` block: findings are reported at the contents value's origin
//! (the heredoc), naming the line of the contents in the message.

use tglint_model::hcl::hcl_edit::Span as _;
use tglint_model::hcl::hcl_edit::expr::{Expression, ObjectKey};
use tglint_model::hcl::hcl_edit::structure::{Block, BlockLabel, Body, Structure};
use tglint_model::hcl::hcl_edit::template::Element;
use tglint_model::hcl::{Data, EvalCtx, FileId, Value, Vars, eval, parse_body};
use tglint_model::unit::{Generate, Lookup, Unit};

/// A `generate` block that writes (or may write) a Terraform file.
pub struct TfFile<'a> {
    pub block: &'a Generate,
    /// The file it writes, when known (`provider.tf`).
    pub file: Option<String>,
    pub state: TfState<'a>,
}

/// What can be known of a generated Terraform file.
pub enum TfState<'a> {
    /// The contents, parsed.
    Parsed { text: &'a str, body: Body },
    /// A value that decides what is written is unknown: the lookup path of that value,
    /// what it is (`contents`, `path`, `disable`) and why it is unknown.
    Unknown {
        at: String,
        attr: &'static str,
        reason: String,
    },
    /// The contents are a known string that is not HCL (Terraform's error to report).
    Invalid { message: String },
}

impl TfFile<'_> {
    /// Why what the block writes is unknown, naming the block (`the contents of generate
    /// "provider" (provider.tf) are unknown (…)`); `None` unless it is unknown.
    pub fn unknown_why(&self) -> Option<String> {
        let TfState::Unknown { attr, reason, .. } = &self.state else {
            return None;
        };
        let block = self.describe();
        Some(match *attr {
            "disable" => format!("whether {block} is disabled is unknown ({reason})"),
            "path" => format!("the file {block} writes is unknown ({reason})"),
            _ => format!("the contents of {block} are unknown ({reason})"),
        })
    }

    /// The lookup path of the block's contents (`generate["provider"].contents`).
    pub fn contents_path(&self) -> String {
        generate_path(&self.block.label, "contents")
    }

    /// How messages name the block: `generate "provider" (provider.tf)`.
    pub fn describe(&self) -> String {
        match &self.file {
            Some(f) => format!("generate \"{}\" ({f})", self.block.label),
            None => format!("generate \"{}\"", self.block.label),
        }
    }

    /// Whether the block's label or file name says it holds a provider (to decide whether
    /// unknown contents are worth a "cannot verify" when a provider is found elsewhere).
    pub fn looks_like_provider(&self) -> bool {
        self.block.label.contains("provider")
            || self.file.as_deref().is_some_and(|f| f.contains("provider"))
    }
}

/// The lookup path of attribute `attr` of generate block `label`.
pub fn generate_path(label: &str, attr: &str) -> String {
    let quoted = serde_json::to_string(label).unwrap_or_else(|_| format!("\"{label}\""));
    format!("generate[{quoted}].{attr}")
}

/// Whether a generated file is one Terraform (or OpenTofu) reads as HCL.
fn is_tf(path: &str) -> bool {
    path.ends_with(".tf") || path.ends_with(".tofu")
}

/// Every `generate` block of `u` that writes, or may write, a Terraform file: disabled
/// blocks and blocks writing other files (`.tf.json`, `.md`, …) are left out.
pub fn terraform_files(u: &Unit) -> Vec<TfFile<'_>> {
    let mut out = Vec::new();
    for g in &u.generate {
        let unknown = |attr: &'static str, reason: &str| TfState::Unknown {
            at: generate_path(&g.label, attr),
            attr,
            reason: reason.to_string(),
        };
        let disabled = u.get(&generate_path(&g.label, "disable"));
        let mut state = None;
        match disabled.bool() {
            tglint_model::unit::Typed::Known { value: true, .. } => continue,
            tglint_model::unit::Typed::Unknown { reason, .. } => {
                state = Some(unknown("disable", reason));
            }
            _ => {}
        }
        let file = match g.path.as_ref().map(Lookup::of) {
            Some(Lookup::Known(v)) => match v.as_str() {
                Some(p) if is_tf(p) => Some(p.to_string()),
                _ => continue,
            },
            Some(Lookup::Unknown { reason, .. }) => {
                state.get_or_insert(unknown("path", reason));
                None
            }
            _ => continue,
        };
        let state = match state {
            Some(s) => s,
            None => match g.contents.as_ref().map(Lookup::of) {
                Some(Lookup::Known(v)) => match v.as_str() {
                    Some(text) => match parse_body(FileId(0), text) {
                        Ok(body) => TfState::Parsed { text, body },
                        Err(e) => TfState::Invalid {
                            message: format!("line {} of the contents: {}", e.line, e.message),
                        },
                    },
                    None => continue,
                },
                Some(Lookup::Unknown { reason, .. }) => unknown("contents", reason),
                _ => continue,
            },
        };
        out.push(TfFile {
            block: g,
            file,
            state,
        });
    }
    out
}

/// Why the unit's configuration may be incomplete (a parse or include error while
/// loading it), so that the absence of a block proves nothing.
pub fn incomplete(u: &Unit) -> Option<String> {
    use tglint_model::diag::Reserved;
    if u.failed {
        return Some("its configuration could not be loaded".to_string());
    }
    u.diagnostics
        .iter()
        .find(|d| d.rule == Reserved::ParseError || d.rule == Reserved::IncludeError)
        .map(|d| {
            format!(
                "its configuration did not load completely (see its {})",
                d.rule
            )
        })
}

/// A block label as a string.
pub fn label_str(l: &BlockLabel) -> &str {
    match l {
        BlockLabel::Ident(i) => i.value().as_str(),
        BlockLabel::String(s) => s.value().as_str(),
    }
}

/// The top-level blocks `ident` of `body` whose first label is `label` (any, if `None`).
pub fn blocks<'b>(body: &'b Body, ident: &str, label: Option<&str>) -> Vec<&'b Block> {
    body.iter()
        .filter_map(|s| match s {
            Structure::Block(b) if b.ident.value().as_str() == ident => Some(b),
            _ => None,
        })
        .filter(|b| label.is_none_or(|l| b.labels.first().map(label_str) == Some(l)))
        .collect()
}

/// The 1-based line of byte `offset` in `text`.
pub fn line_of(text: &str, offset: usize) -> usize {
    text.get(..offset.min(text.len()))
        .map(|s| s.matches('\n').count() + 1)
        .unwrap_or(1)
}

/// The line of the contents where `b` starts.
pub fn block_line(text: &str, b: &Block) -> usize {
    line_of(text, b.span().map(|r| r.start).unwrap_or(0))
}

/// What an attribute of generated contents is.
#[derive(Clone, Debug)]
pub enum Lit {
    /// A constant: its value.
    Value(Value),
    /// A Terraform expression, known only when Terraform runs: its source text.
    Expr(String),
}

/// The source text of `e` in `text`.
pub fn source_of(e: &Expression, text: &str) -> String {
    e.span()
        .and_then(|r| text.get(r))
        .map(|s| s.trim().to_string())
        .unwrap_or_else(|| "an expression".to_string())
}

/// `e` as a constant, when it is one (no variables, no function calls).
pub fn literal(e: &Expression, text: &str) -> Lit {
    let vars = Vars::new();
    let cx = EvalCtx::detached(&[], &vars);
    match eval(e, &cx) {
        Ok(v) if v.is_wholly_known() => Lit::Value(v),
        _ => Lit::Expr(source_of(e, text)),
    }
}

/// The attribute `key` of `body`, read as a literal or an expression; `None` when absent.
pub fn attribute(body: &Body, key: &str, text: &str) -> Option<Lit> {
    body.get_attribute(key).map(|a| literal(&a.value, text))
}

/// A literal's string form (strings, numbers and bools, as Terraform converts them).
pub fn lit_str(v: &Value) -> Option<String> {
    match &v.data {
        Data::String(s) => Some(s.clone()),
        Data::Number(_) | Data::Bool(_) => v.to_str_conv().ok(),
        _ => None,
    }
}

/// An object's entries: `(key, value)`, with `None` for a key that is an expression
/// (known only when Terraform runs).
pub fn object_entries<'e>(
    e: &'e Expression,
    text: &str,
) -> Option<Vec<(Option<String>, &'e Expression)>> {
    let o = match e {
        Expression::Object(o) => o,
        Expression::Parenthesis(p) => return object_entries(p.inner(), text),
        _ => return None,
    };
    let mut out = Vec::new();
    for (k, v) in o.iter() {
        let key = match k {
            ObjectKey::Ident(id) => Some(id.value().as_str().to_string()),
            ObjectKey::Expression(ke) => match literal(ke, text) {
                Lit::Value(v) => lit_str(&v),
                Lit::Expr(_) => None,
            },
        };
        out.push((key, v.expr()));
    }
    Some(out)
}

/// Whether `e` calls the function `name` anywhere (in arguments, templates, operators).
pub fn calls(e: &Expression, name: &str) -> bool {
    let in_element = |el: &Element| match el {
        Element::Interpolation(i) => calls(&i.expr, name),
        _ => false,
    };
    match e {
        Expression::FuncCall(f) => {
            (f.name.namespace.is_empty() && f.name.name.value().as_str() == name)
                || f.args.iter().any(|a| calls(a, name))
        }
        Expression::Parenthesis(p) => calls(p.inner(), name),
        Expression::StringTemplate(t) => t.iter().any(in_element),
        Expression::HeredocTemplate(h) => h.template.iter().any(in_element),
        Expression::Array(a) => a.iter().any(|x| calls(x, name)),
        Expression::Object(o) => o.iter().any(|(_, v)| calls(v.expr(), name)),
        Expression::Conditional(c) => {
            calls(&c.cond_expr, name) || calls(&c.true_expr, name) || calls(&c.false_expr, name)
        }
        Expression::BinaryOp(b) => calls(&b.lhs_expr, name) || calls(&b.rhs_expr, name),
        Expression::UnaryOp(u) => calls(&u.expr, name),
        Expression::Traversal(t) => calls(&t.expr, name),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn body(text: &str) -> Body {
        parse_body(FileId(0), text).unwrap_or_else(|e| panic!("{e}"))
    }

    #[test]
    fn literals_and_expressions_are_told_apart() {
        let text =
            "a = \"x\"\nb = var.x\nc = \"p-${var.y}\"\nd = timestamp()\ne = 3\nf = \"a${\"b\"}\"\n";
        let b = body(text);
        let v = |k: &str| attribute(&b, k, text);
        assert!(matches!(v("a"), Some(Lit::Value(x)) if x.as_str() == Some("x")));
        assert!(matches!(v("b"), Some(Lit::Expr(s)) if s == "var.x"));
        assert!(matches!(v("c"), Some(Lit::Expr(_))));
        assert!(matches!(v("d"), Some(Lit::Expr(s)) if s == "timestamp()"));
        assert!(matches!(v("e"), Some(Lit::Value(x)) if lit_str(&x).as_deref() == Some("3")));
        assert!(matches!(v("f"), Some(Lit::Value(x)) if x.as_str() == Some("ab")));
        assert!(v("g").is_none());
    }

    #[test]
    fn timestamp_calls_are_found_anywhere() {
        let text = "a = timestamp()\nb = formatdate(\"YYYY\", timestamp())\nc = \"${timestamp()}\"\nd = \"timestamp()\"\n";
        let b = body(text);
        let has = |k: &str| {
            b.get_attribute(k)
                .is_some_and(|a| calls(&a.value, "timestamp"))
        };
        assert!(has("a") && has("b") && has("c"));
        assert!(!has("d"));
    }

    #[test]
    fn object_keys_and_lines() {
        let text = "provider \"aws\" {\n  default_tags {\n    tags = {\n      Project = \"p\"\n      \"Cost\" = \"c\"\n      (var.k) = \"v\"\n    }\n  }\n}\n";
        let b = body(text);
        let p = blocks(&b, "provider", Some("aws"));
        assert_eq!(p.len(), 1);
        assert_eq!(block_line(text, p[0]), 1);
        let dt = blocks(&p[0].body, "default_tags", None);
        let tags = dt[0].body.get_attribute("tags").map(|a| &a.value);
        let entries = tags
            .and_then(|t| object_entries(t, text))
            .unwrap_or_default();
        let keys: Vec<Option<String>> = entries.into_iter().map(|(k, _)| k).collect();
        assert_eq!(
            keys,
            vec![Some("Project".into()), Some("Cost".into()), None]
        );
        assert_eq!(line_of(text, 0), 1);
        assert_eq!(line_of(text, text.find("Project").unwrap_or(0)), 4);
    }
}
