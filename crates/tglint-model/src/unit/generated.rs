//! The Terraform files `generate` blocks write, parsed but not evaluated
//! ([`Generate::parsed`](super::Generate::parsed)).
//!
//! Terragrunt evaluates a generate block's `contents` when it reads its configuration, so
//! `${local.environment}` is already interpolated in the string the model holds; what is
//! left are Terraform's own expressions (`var.module_name`, `timestamp()`), which have no
//! value before Terraform runs. So the contents of a `.tf` (`.tofu`) file are parsed as
//! HCL, those of a `.tf.json` (`.tofu.json`) file as Terraform's JSON syntax, and each
//! attribute is recorded as a literal (a constant expression, evaluated with no variables
//! and no functions) or as the Terraform expression it is, with the functions it calls.
//!
//! Contents that are a template over a Terragrunt unknown (`${get_aws_account_id()}`)
//! are parsed from their known text ([`tglint_hcl::Partial`]): each unknown interpolation
//! is a placeholder there, and an attribute, label or object key whose text holds one is
//! [`TfValue::Unknown`] with the interpolation's reason. Lines are lines of the
//! (partial) contents; JSON has none.

use super::Generate;
use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;
use tglint_hcl::hcl_edit::Span as _;
use tglint_hcl::hcl_edit::expr::{Expression, ObjectKey};
use tglint_hcl::hcl_edit::structure::{BlockLabel, Body, Structure};
use tglint_hcl::hcl_edit::template::{Directive, Element, Template};
use tglint_hcl::{Data, EvalCtx, FileId, Partial, Value, Vars, eval};

/// How a generated Terraform file is written.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TfFormat {
    /// `.tf`, `.tofu`: HCL.
    Hcl,
    /// `.tf.json`, `.tofu.json`: Terraform's JSON syntax.
    Json,
}

impl TfFormat {
    /// The format Terraform reads a file named `path` in, when it reads it at all.
    pub fn of_path(path: &str) -> Option<TfFormat> {
        if path.ends_with(".tf.json") || path.ends_with(".tofu.json") {
            Some(TfFormat::Json)
        } else if path.ends_with(".tf") || path.ends_with(".tofu") {
            Some(TfFormat::Hcl)
        } else {
            None
        }
    }

    /// `"hcl"` or `"json"`.
    pub fn as_str(self) -> &'static str {
        match self {
            TfFormat::Hcl => "hcl",
            TfFormat::Json => "json",
        }
    }
}

/// What can be known of a generated Terraform file's contents.
#[derive(Clone, Debug)]
pub enum TfContents {
    /// The contents (or their known text), parsed.
    Parsed(TfFile),
    /// The contents are unknown and nothing of them could be parsed: why.
    Unknown { reason: String },
    /// Known contents that do not parse: Terraform fails on the generated file.
    Invalid {
        format: TfFormat,
        /// The line of the contents the error is at.
        line: usize,
        message: String,
    },
}

/// A parsed generated file.
#[derive(Clone, Debug)]
pub struct TfFile {
    pub format: TfFormat,
    pub body: TfBody,
    /// Why each unknown interpolation of the contents is unknown; empty when the contents
    /// are wholly known.
    pub holes: Vec<String>,
}

/// The attributes and blocks of a body, in the order written (JSON: sorted by key).
#[derive(Clone, Debug, Default)]
pub struct TfBody {
    pub attributes: Vec<TfAttribute>,
    pub blocks: Vec<TfBlock>,
}

/// One attribute.
#[derive(Clone, Debug)]
pub struct TfAttribute {
    pub name: String,
    pub value: TfValue,
    /// The line of the contents it is on (HCL only).
    pub line: Option<usize>,
}

/// One block: `provider "aws" { … }`.
#[derive(Clone, Debug)]
pub struct TfBlock {
    /// The block type (`provider`).
    pub kind: String,
    pub labels: Vec<TfName>,
    pub body: TfBody,
    /// The line of the contents it starts on (HCL only).
    pub line: Option<usize>,
}

/// A block label or an object key.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TfName {
    Known(String),
    /// A Terraform expression (object keys only): its text.
    Expr(String),
    /// Holds an unknown Terragrunt interpolation: why it is unknown.
    Unknown(String),
}

impl TfName {
    /// The name, when known.
    pub fn known(&self) -> Option<&str> {
        match self {
            TfName::Known(s) => Some(s),
            _ => None,
        }
    }
}

/// What an attribute (or an element of an object or tuple constructor) is.
#[derive(Clone, Debug)]
pub enum TfValue {
    /// A constant (strings without interpolation, numbers, bools, null, collections of
    /// them).
    Literal(Value),
    /// An object constructor that is not constant: its entries in order.
    Object(Vec<(TfName, TfValue)>),
    /// A tuple constructor that is not constant.
    Tuple(Vec<TfValue>),
    /// A Terraform expression, known only when Terraform runs: its text and the
    /// functions it calls anywhere (`timestamp`).
    Expr {
        text: String,
        functions: BTreeSet<String>,
    },
    /// Holds an unknown Terragrunt interpolation: why it is unknown.
    Unknown { reason: String },
}

impl TfValue {
    /// The entries of an object (a constant one or a constructor); `None` for others.
    pub fn entries(&self) -> Option<Vec<(TfName, TfValue)>> {
        match self {
            TfValue::Object(e) => Some(e.clone()),
            TfValue::Literal(v) => match &v.data {
                Data::Map(_, m) => Some(
                    m.iter()
                        .map(|(k, v)| (TfName::Known(k.clone()), TfValue::Literal(v.clone())))
                        .collect(),
                ),
                _ => None,
            },
            _ => None,
        }
    }

    /// Whether it calls the function `name` anywhere.
    pub fn calls(&self, name: &str) -> bool {
        match self {
            TfValue::Expr { functions, .. } => functions.contains(name),
            TfValue::Object(e) => e.iter().any(|(_, v)| v.calls(name)),
            TfValue::Tuple(items) => items.iter().any(|v| v.calls(name)),
            _ => false,
        }
    }

    /// How a message shows it: an expression's text, a constant as HCL would write it.
    pub fn text(&self) -> String {
        match self {
            TfValue::Literal(v) => v.to_string(),
            TfValue::Expr { text, .. } => text.clone(),
            TfValue::Object(_) => "an object".to_string(),
            TfValue::Tuple(_) => "a tuple".to_string(),
            TfValue::Unknown { reason } => format!("an unknown value ({reason})"),
        }
    }

    /// As one HCL value for the unit's view: expressions and Terragrunt unknowns are
    /// unknowns naming what they are.
    pub fn to_value(&self) -> Value {
        match self {
            TfValue::Literal(v) => v.clone(),
            TfValue::Object(entries) => {
                let mut m = BTreeMap::new();
                for (k, v) in entries {
                    match k {
                        TfName::Known(k) => {
                            m.insert(k.clone(), v.to_value());
                        }
                        TfName::Expr(e) => {
                            return Value::unknown(format!(
                                "the key `{e}` is a Terraform expression, evaluated only when Terraform runs"
                            ));
                        }
                        TfName::Unknown(r) => return Value::unknown(r.clone()),
                    }
                }
                Value::object(m)
            }
            TfValue::Tuple(items) => Value::tuple(items.iter().map(TfValue::to_value).collect()),
            TfValue::Expr { text, .. } => Value::unknown(format!(
                "the Terraform expression `{text}`, evaluated only when Terraform runs"
            )),
            TfValue::Unknown { reason } => Value::unknown(reason.clone()),
        }
    }
}

impl TfBody {
    /// The blocks of type `kind` whose first label is `label` (any, if `None`).
    pub fn blocks<'b>(&'b self, kind: &str, label: Option<&str>) -> Vec<&'b TfBlock> {
        self.blocks
            .iter()
            .filter(|b| b.kind == kind)
            .filter(|b| label.is_none_or(|l| b.label(0) == Some(l)))
            .collect()
    }

    /// The attribute `name`.
    pub fn attribute(&self, name: &str) -> Option<&TfValue> {
        self.attributes
            .iter()
            .find(|a| a.name == name)
            .map(|a| &a.value)
    }

    fn to_value(&self) -> BTreeMap<String, Value> {
        let attrs = self
            .attributes
            .iter()
            .map(|a| (a.name.clone(), a.value.to_value()))
            .collect();
        let blocks = self.blocks.iter().map(TfBlock::to_value).collect();
        BTreeMap::from([
            ("attributes".to_string(), Value::object(attrs)),
            ("blocks".to_string(), Value::tuple(blocks)),
        ])
    }
}

impl TfBlock {
    /// Label `i`, when known.
    pub fn label(&self, i: usize) -> Option<&str> {
        self.labels.get(i).and_then(TfName::known)
    }

    fn to_value(&self) -> Value {
        let mut m = self.body.to_value();
        m.insert("type".into(), Value::string(self.kind.clone()));
        let labels = self
            .labels
            .iter()
            .map(|l| match l {
                TfName::Known(s) | TfName::Expr(s) => Value::string(s.clone()),
                TfName::Unknown(r) => Value::unknown(r.clone()),
            })
            .collect();
        m.insert("labels".into(), Value::tuple(labels));
        if let Some(l) = self.line {
            m.insert("line".into(), Value::int(l as i64));
        }
        Value::object(m)
    }
}

impl TfContents {
    /// As one HCL value (the `parsed` key of the unit's `generate` entries,
    /// docs/render.md): `{format, attributes, blocks}` with each block `{type, labels,
    /// line, attributes, blocks}`; `{format, error}` for contents that do not parse; an
    /// unknown for unknown contents.
    pub fn to_value(&self) -> Value {
        match self {
            TfContents::Parsed(f) => {
                let mut m = f.body.to_value();
                m.insert("format".into(), Value::string(f.format.as_str()));
                Value::object(m)
            }
            TfContents::Unknown { reason } => Value::unknown(reason.clone()),
            TfContents::Invalid {
                format,
                line,
                message,
            } => Value::object(BTreeMap::from([
                ("format".to_string(), Value::string(format.as_str())),
                (
                    "error".to_string(),
                    Value::string(format!("line {line} of the contents: {message}")),
                ),
            ])),
        }
    }
}

/// The view of `g`'s contents: `None` unless its `path` is a known `.tf`/`.tf.json`
/// (`.tofu`, `.tofu.json`) name and its `contents` a string, known or unknown.
pub(crate) fn parse(g: &Generate) -> Option<TfContents> {
    let format = TfFormat::of_path(g.path.as_ref()?.as_str()?)?;
    let contents = g.contents.as_ref()?;
    let (text, holes) = match &contents.data {
        Data::String(s) => (s.as_str(), Vec::new()),
        Data::Unknown(u) => match &u.partial {
            Some(p) => (p.text.as_str(), p.holes.clone()),
            None => {
                return Some(TfContents::Unknown {
                    reason: u.reason.to_string(),
                });
            }
        },
        _ => return None,
    };
    let cx = Cx {
        text,
        holes: &holes,
    };
    let parsed = match format {
        TfFormat::Hcl => tglint_hcl::parse_body(FileId(0), text)
            .map(|body| cx.body(&body))
            .map_err(|e| (e.line, e.message.clone())),
        TfFormat::Json => serde_json::from_str::<serde_json::Value>(text)
            .map_err(|e| (e.line(), e.to_string()))
            .and_then(|j| match j {
                serde_json::Value::Object(o) => Ok(cx.json_top(&o)),
                _ => Err((
                    1,
                    "the top level of a .tf.json file must be an object".into(),
                )),
            }),
    };
    Some(match parsed {
        Ok(body) => TfContents::Parsed(TfFile {
            format,
            body,
            holes: holes.iter().map(|h| h.to_string()).collect(),
        }),
        // The known text may not parse because of where a placeholder stands.
        Err(_) if !holes.is_empty() => TfContents::Unknown {
            reason: holes[0].to_string(),
        },
        Err((line, message)) => TfContents::Invalid {
            format,
            line: line.max(1),
            message,
        },
    })
}

/// The contents being read, with the reasons of their placeholders.
struct Cx<'a> {
    text: &'a str,
    holes: &'a [Arc<str>],
}

impl Cx<'_> {
    /// Why the first placeholder in `s` is unknown, when `s` holds one.
    fn hole(&self, s: &str) -> Option<String> {
        Partial::holes_in(s).first().map(|&i| {
            self.holes
                .get(i)
                .map(|r| r.to_string())
                .unwrap_or_else(|| "an unknown value".to_string())
        })
    }

    fn line(&self, offset: usize) -> usize {
        self.text
            .get(..offset.min(self.text.len()))
            .map(|s| s.matches('\n').count() + 1)
            .unwrap_or(1)
    }

    fn source(&self, e: &Expression) -> String {
        e.span()
            .and_then(|r| self.text.get(r))
            .map(|s| s.trim().to_string())
            .unwrap_or_default()
    }

    fn name(&self, s: &str) -> TfName {
        match self.hole(s) {
            Some(r) => TfName::Unknown(r),
            None => TfName::Known(s.to_string()),
        }
    }

    // ----- HCL -----

    fn body(&self, body: &Body) -> TfBody {
        let mut out = TfBody::default();
        for s in body.iter() {
            match s {
                Structure::Attribute(a) => out.attributes.push(TfAttribute {
                    name: a.key.value().as_str().to_string(),
                    value: self.expr(&a.value),
                    line: a.span().map(|r| self.line(r.start)),
                }),
                Structure::Block(b) => out.blocks.push(TfBlock {
                    kind: b.ident.value().as_str().to_string(),
                    labels: b
                        .labels
                        .iter()
                        .map(|l| match l {
                            BlockLabel::Ident(i) => self.name(i.value().as_str()),
                            BlockLabel::String(s) => self.name(s.value().as_str()),
                        })
                        .collect(),
                    body: self.body(&b.body),
                    line: b.span().map(|r| self.line(r.start)),
                }),
            }
        }
        out
    }

    fn expr(&self, e: &Expression) -> TfValue {
        if let Expression::Parenthesis(p) = e {
            return self.expr(p.inner());
        }
        let text = self.source(e);
        let unknown = self.hole(&text);
        if unknown.is_none()
            && let Some(v) = constant(e)
        {
            return TfValue::Literal(v);
        }
        match e {
            Expression::Object(o) => TfValue::Object(
                o.iter()
                    .map(|(k, v)| {
                        let key = match k {
                            ObjectKey::Ident(id) => self.name(id.value().as_str()),
                            ObjectKey::Expression(ke) => match self.expr(ke) {
                                TfValue::Literal(v) => match literal_str(&v) {
                                    Some(s) => TfName::Known(s),
                                    None => TfName::Expr(self.source(ke)),
                                },
                                TfValue::Unknown { reason } => TfName::Unknown(reason),
                                _ => TfName::Expr(self.source(ke)),
                            },
                        };
                        (key, self.expr(v.expr()))
                    })
                    .collect(),
            ),
            Expression::Array(a) => TfValue::Tuple(a.iter().map(|x| self.expr(x)).collect()),
            _ => match unknown {
                Some(reason) => TfValue::Unknown { reason },
                None => {
                    let mut functions = BTreeSet::new();
                    calls(e, &mut functions, 0);
                    TfValue::Expr { text, functions }
                }
            },
        }
    }

    // ----- JSON (Terraform's JSON syntax) -----

    /// The top level: each key a block type, nested as its labels say.
    fn json_top(&self, o: &serde_json::Map<String, serde_json::Value>) -> TfBody {
        let mut out = TfBody::default();
        for (k, v) in o {
            if k == "//" {
                continue;
            }
            let labels = match k.as_str() {
                "resource" | "data" | "ephemeral" => 2,
                "provider" | "variable" | "output" | "module" | "check" => 1,
                _ => 0,
            };
            self.json_blocks(k, labels, v, Vec::new(), &mut out.blocks);
        }
        out
    }

    /// The blocks of type `kind` a property's value declares, `labels` labels still to
    /// read from object nesting (each level may be an array of objects).
    fn json_blocks(
        &self,
        kind: &str,
        labels: usize,
        v: &serde_json::Value,
        got: Vec<TfName>,
        out: &mut Vec<TfBlock>,
    ) {
        match v {
            serde_json::Value::Array(items) => {
                for x in items {
                    self.json_blocks(kind, labels, x, got.clone(), out);
                }
            }
            serde_json::Value::Object(o) if labels > 0 => {
                for (k, x) in o {
                    let mut l = got.clone();
                    l.push(self.name(k));
                    self.json_blocks(kind, labels - 1, x, l, out);
                }
            }
            serde_json::Value::Object(o) => out.push(TfBlock {
                kind: kind.to_string(),
                labels: got,
                body: self.json_body(kind, o),
                line: None,
            }),
            // Not a block body: Terraform rejects it; nothing is recorded.
            _ => {}
        }
    }

    /// A block's body: the nested block types Terraform's (and the common providers')
    /// schemas declare for `kind` are blocks, every other property an attribute.
    fn json_body(&self, kind: &str, o: &serde_json::Map<String, serde_json::Value>) -> TfBody {
        let nested: &[(&str, usize)] = match kind {
            "terraform" => &[
                ("backend", 1),
                ("cloud", 0),
                ("required_providers", 0),
                ("provider_meta", 1),
            ],
            "cloud" => &[("workspaces", 0)],
            "provider" => &[
                ("default_tags", 0),
                ("ignore_tags", 0),
                ("assume_role", 0),
                ("assume_role_with_web_identity", 0),
                ("endpoints", 0),
            ],
            "resource" | "data" => &[("lifecycle", 0), ("connection", 0), ("provisioner", 1)],
            "lifecycle" => &[("precondition", 0), ("postcondition", 0)],
            "variable" => &[("validation", 0)],
            "output" => &[("precondition", 0)],
            _ => &[],
        };
        let mut out = TfBody::default();
        for (k, v) in o {
            if k == "//" {
                continue;
            }
            match nested.iter().find(|(n, _)| n == k) {
                Some((_, labels)) => self.json_blocks(k, *labels, v, Vec::new(), &mut out.blocks),
                None => out.attributes.push(TfAttribute {
                    name: k.clone(),
                    value: self.json_value(v),
                    line: None,
                }),
            }
        }
        out
    }

    /// An attribute's value: strings are templates, every other value a literal.
    fn json_value(&self, v: &serde_json::Value) -> TfValue {
        use serde_json::Value as J;
        match v {
            J::Null => TfValue::Literal(Value::null()),
            J::Bool(b) => TfValue::Literal(Value::bool(*b)),
            J::Number(n) => TfValue::Literal(match (n.as_i64(), n.as_f64()) {
                (Some(i), _) => Value::int(i),
                (None, Some(f)) => Value::float(f),
                _ => Value::string(n.to_string()),
            }),
            J::String(s) => self.json_string(s),
            J::Array(items) => {
                let items: Vec<TfValue> = items.iter().map(|x| self.json_value(x)).collect();
                if items.iter().all(|x| matches!(x, TfValue::Literal(_))) {
                    TfValue::Literal(Value::tuple(items.iter().map(TfValue::to_value).collect()))
                } else {
                    TfValue::Tuple(items)
                }
            }
            J::Object(o) => {
                let entries: Vec<(TfName, TfValue)> = o
                    .iter()
                    .map(|(k, x)| {
                        let key = match self.json_string(k) {
                            TfValue::Literal(v) => match literal_str(&v) {
                                Some(s) => TfName::Known(s),
                                None => TfName::Expr(k.clone()),
                            },
                            TfValue::Unknown { reason } => TfName::Unknown(reason),
                            _ => TfName::Expr(k.clone()),
                        };
                        (key, self.json_value(x))
                    })
                    .collect();
                if entries
                    .iter()
                    .all(|(k, x)| k.known().is_some() && matches!(x, TfValue::Literal(_)))
                {
                    TfValue::Literal(TfValue::Object(entries).to_value())
                } else {
                    TfValue::Object(entries)
                }
            }
        }
    }

    /// A JSON string: a template when it interpolates (`${…}`, `%{…}`), else literal text.
    fn json_string(&self, s: &str) -> TfValue {
        if let Some(reason) = self.hole(s) {
            return TfValue::Unknown { reason };
        }
        if !s.contains("${") && !s.contains("%{") {
            return TfValue::Literal(Value::string(s));
        }
        let Ok(tpl) = tglint_hcl::hcl_edit::parser::parse_template(s) else {
            return TfValue::Expr {
                text: s.to_string(),
                functions: BTreeSet::new(),
            };
        };
        let vars = Vars::new();
        let cx = EvalCtx::detached(&[], &vars);
        match tglint_hcl::eval::eval_template(&tpl, &cx) {
            Ok(v) if v.is_wholly_known() => TfValue::Literal(without_origin(&v)),
            _ => {
                let mut functions = BTreeSet::new();
                template_calls(&tpl, &mut functions, 0);
                TfValue::Expr {
                    text: s.to_string(),
                    functions,
                }
            }
        }
    }
}

/// `e` as a constant, when it is one (no variables, no function calls).
fn constant(e: &Expression) -> Option<Value> {
    let vars = Vars::new();
    let cx = EvalCtx::detached(&[], &vars);
    match eval(e, &cx) {
        Ok(v) if v.is_wholly_known() => Some(without_origin(&v)),
        _ => None,
    }
}

/// `v` without origins: spans into the contents string point into no file of the tree.
fn without_origin(v: &Value) -> Value {
    let data = match &v.data {
        Data::Seq(k, items) => Data::Seq(*k, Arc::new(items.iter().map(without_origin).collect())),
        Data::Map(k, m) => Data::Map(
            *k,
            Arc::new(
                m.iter()
                    .map(|(k, x)| (k.clone(), without_origin(x)))
                    .collect(),
            ),
        ),
        d => d.clone(),
    };
    Value::new(data)
}

/// A literal's string form, as an object key converts it (strings, numbers, bools).
fn literal_str(v: &Value) -> Option<String> {
    match &v.data {
        Data::String(s) => Some(s.clone()),
        Data::Number(_) | Data::Bool(_) => v.to_str_conv().ok(),
        _ => None,
    }
}

/// How deep the walks for function calls go (the parser bounds nesting too).
const MAX_WALK: u32 = 256;

/// The functions `e` calls anywhere (in arguments, templates, operators, `for`).
fn calls(e: &Expression, out: &mut BTreeSet<String>, depth: u32) {
    if depth > MAX_WALK {
        return;
    }
    let d = depth + 1;
    match e {
        Expression::FuncCall(f) => {
            let mut name: Vec<&str> = f.name.namespace.iter().map(|n| n.as_str()).collect();
            name.push(f.name.name.value().as_str());
            out.insert(name.join("::"));
            for a in f.args.iter() {
                calls(a, out, d);
            }
        }
        Expression::Parenthesis(p) => calls(p.inner(), out, d),
        Expression::StringTemplate(t) => {
            for el in t.iter() {
                element_calls(el, out, d);
            }
        }
        Expression::HeredocTemplate(h) => template_calls(&h.template, out, d),
        Expression::Array(a) => {
            for x in a.iter() {
                calls(x, out, d);
            }
        }
        Expression::Object(o) => {
            for (k, v) in o.iter() {
                if let ObjectKey::Expression(k) = k {
                    calls(k, out, d);
                }
                calls(v.expr(), out, d);
            }
        }
        Expression::Conditional(c) => {
            calls(&c.cond_expr, out, d);
            calls(&c.true_expr, out, d);
            calls(&c.false_expr, out, d);
        }
        Expression::BinaryOp(b) => {
            calls(&b.lhs_expr, out, d);
            calls(&b.rhs_expr, out, d);
        }
        Expression::UnaryOp(u) => calls(&u.expr, out, d),
        Expression::Traversal(t) => calls(&t.expr, out, d),
        Expression::ForExpr(f) => {
            calls(&f.intro.collection_expr, out, d);
            if let Some(k) = &f.key_expr {
                calls(k, out, d);
            }
            calls(&f.value_expr, out, d);
            if let Some(c) = &f.cond {
                calls(&c.expr, out, d);
            }
        }
        _ => {}
    }
}

fn template_calls(t: &Template, out: &mut BTreeSet<String>, depth: u32) {
    for el in t.iter() {
        element_calls(el, out, depth + 1);
    }
}

fn element_calls(el: &Element, out: &mut BTreeSet<String>, depth: u32) {
    if depth > MAX_WALK {
        return;
    }
    match el {
        Element::Interpolation(i) => calls(&i.expr, out, depth),
        Element::Directive(d) => match d.as_ref() {
            Directive::If(i) => {
                calls(&i.if_expr.cond_expr, out, depth);
                template_calls(&i.if_expr.template, out, depth);
                if let Some(e) = &i.else_expr {
                    template_calls(&e.template, out, depth);
                }
            }
            Directive::For(f) => {
                calls(&f.for_expr.collection_expr, out, depth);
                template_calls(&f.for_expr.template, out, depth);
            }
        },
        Element::Literal(_) => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn generate(path: &str, contents: Value) -> Generate {
        Generate {
            label: "g".into(),
            value: Value::null(),
            path: Some(Value::string(path)),
            if_exists: None,
            contents: Some(contents),
            parsed: std::sync::OnceLock::new(),
        }
    }

    fn partial(text: &str, holes: &[&str]) -> Value {
        Value::new(Data::Unknown(tglint_hcl::Unknown {
            reason: holes.first().copied().unwrap_or("r").into(),
            failed: false,
            partial: Some(Arc::new(Partial {
                text: text.into(),
                holes: holes.iter().map(|h| Arc::from(*h)).collect(),
            })),
        }))
    }

    #[test]
    fn unknown_labels_keys_and_values_carry_their_reason() {
        let g = generate(
            "p.tf",
            partial(
                "provider \"__tglint_unknown_0__\" {\n  tags = { (\"__tglint_unknown_1__\") = 1, a = __tglint_unknown_1__ }\n}\n",
                &["first", "second"],
            ),
        );
        let Some(TfContents::Parsed(f)) = g.parsed() else {
            panic!("{:?}", g.parsed())
        };
        let p = &f.body.blocks[0];
        assert_eq!(p.labels, vec![TfName::Unknown("first".into())]);
        let entries = p.body.attribute("tags").and_then(TfValue::entries);
        let entries = entries.unwrap_or_default();
        assert_eq!(entries[0].0, TfName::Unknown("second".into()));
        assert!(matches!(&entries[1].1, TfValue::Unknown { reason } if reason == "second"));
        assert_eq!(f.holes, vec!["first".to_string(), "second".to_string()]);
    }

    #[test]
    fn known_text_that_does_not_parse_is_unknown_and_known_text_invalid() {
        let g = generate("p.tf", partial("tags = { __tglint_unknown_0__ }", &["why"]));
        assert!(matches!(g.parsed(), Some(TfContents::Unknown { reason }) if reason == "why"));
        let g = generate("p.tf.json", Value::string("[1]"));
        assert!(matches!(
            g.parsed(),
            Some(TfContents::Invalid { line: 1, .. })
        ));
        let g = generate("p.tf", Value::string("a = "));
        assert!(matches!(g.parsed(), Some(TfContents::Invalid { .. })));
        assert!(generate("p.txt", Value::string("a = 1")).parsed().is_none());
    }

    #[test]
    fn json_blocks_nest_their_labels() {
        let g = generate(
            "m.tf.json",
            Value::string(
                r#"{"resource": [{"aws_s3_bucket": {"a": {"bucket": "x"}, "b": [{"bucket": "${var.y}"}]}}],
                   "terraform": {"backend": {"s3": {"key": "k"}}, "required_providers": {"aws": {"source": "hashicorp/aws"}}},
                   "locals": {"n": 1}}"#,
            ),
        );
        let Some(TfContents::Parsed(f)) = g.parsed() else {
            panic!("{:?}", g.parsed())
        };
        let rs = f.body.blocks("resource", Some("aws_s3_bucket"));
        assert_eq!(rs.len(), 2);
        assert_eq!(rs[1].label(1), Some("b"));
        assert!(
            matches!(rs[1].body.attribute("bucket"), Some(TfValue::Expr { text, .. }) if text == "${var.y}")
        );
        let t = f.body.blocks("terraform", None);
        assert_eq!(t[0].body.blocks("backend", Some("s3")).len(), 1);
        assert_eq!(t[0].body.blocks("required_providers", None).len(), 1);
        assert!(matches!(
            f.body.blocks("locals", None)[0].body.attribute("n"),
            Some(TfValue::Literal(v)) if v.to_string() == "1"
        ));
    }
}
