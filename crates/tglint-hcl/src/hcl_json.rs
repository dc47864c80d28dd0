//! HCL's JSON syntax (hashicorp/hcl `json/spec.md`) as a second front end: a JSON text
//! becomes the same hcl-edit syntax tree the native parser produces, with every span
//! pointing into the JSON text, so the evaluator and everything built on it read a JSON
//! file as they read an HCL one.
//!
//! JSON cannot tell a block from an attribute; the caller's [`BodySchema`] does, as the
//! application's schema does in HCL. A property the schema names as a block becomes blocks
//! (labels from the nested objects, an array for repeated blocks, `null` for none); every
//! other property is an attribute. `"//"` properties of an object that is a body are
//! comments and are skipped. In expressions, strings are templates (`"${x}"` alone yields
//! `x` itself), object keys are templates too, and numbers, booleans, `null`, arrays and
//! objects are literals. Positions inside a template stay exact across JSON escapes: each
//! span of the parsed template is mapped back through the escapes of its string.

use crate::parse::ParseError;
use crate::span::{FileId, LineIndex, Span};
use hcl_edit::expr::{
    Array, BinaryOp, Conditional, Expression, ForCond, ForExpr, ForIntro, FuncArgs, FuncCall, Null,
    Object, ObjectKey, ObjectKeyMut, ObjectValue, Parenthesis, Splat, Traversal, UnaryOp,
};
use hcl_edit::structure::{Attribute, Block, BlockLabel, Body};
use hcl_edit::template::{
    ForDirective, HeredocTemplate, IfDirective, Interpolation, StringTemplate, Template,
};
use hcl_edit::visit_mut::{self, VisitMut};
use hcl_edit::{Decorated, Formatted, Ident, Number, SetSpan, Spanned};
use std::collections::HashMap;
use std::ops::Range;

/// How deep arrays and objects may nest: as deep as native syntax may
/// ([`crate::parse::MAX_NESTING`]).
pub const MAX_JSON_DEPTH: usize = crate::parse::MAX_NESTING;

/// Which properties of a body are blocks, and how the rest is read.
#[derive(Clone, Copy, Debug)]
pub struct BodySchema {
    /// The block types; every other property is an attribute.
    pub blocks: &'static [BlockSchema],
    /// HCL's "dynamic attributes" mode (a `locals` block): every property is an attribute
    /// and the body must be a single object, not an array of objects.
    pub just_attributes: bool,
}

/// A block type of a [`BodySchema`].
#[derive(Clone, Copy, Debug)]
pub struct BlockSchema {
    pub name: &'static str,
    /// How many labels the block takes: as many levels of nested objects.
    pub labels: usize,
    pub body: &'static BodySchema,
    /// For a block whose label may be left out: an object (or a one-element array of one)
    /// holding this property as a string is a block without labels. Terragrunt reads a bare
    /// `"include": {"path": "…"}` so (`updateBareIncludeBlockJSON`).
    pub unlabelled_if: Option<&'static str>,
}

/// A body of attributes only (a block whose contents are all attributes).
pub const ATTRIBUTES: BodySchema = BodySchema {
    blocks: &[],
    just_attributes: false,
};

/// Parses a whole JSON file into a body, telling blocks from attributes by `schema`.
pub fn parse_json_body(file: FileId, text: &str, schema: &BodySchema) -> Result<Body, ParseError> {
    let lines = LineIndex::new(text);
    let fail = |e: Fail| {
        let at = e.at.min(text.len());
        let end = text
            .get(at..)
            .and_then(|r| r.char_indices().nth(1))
            .map_or(at, |(i, _)| at + i);
        let (line, column) = lines.line_col(text, u32::try_from(at).unwrap_or(u32::MAX));
        ParseError {
            span: Span::new(file, at..end),
            line: line as usize,
            column: column as usize,
            message: e.message,
        }
    };
    let value = Parser {
        text,
        bytes: text.as_bytes(),
        pos: 0,
        depth: 0,
    }
    .document()
    .map_err(fail)?;
    let conv = Conv {
        text,
        lines: &lines,
    };
    conv.body(&value, schema).map_err(fail)
}

/// A syntax error at a byte offset.
struct Fail {
    at: usize,
    message: String,
}

fn fail<T>(at: usize, message: impl Into<String>) -> Result<T, Fail> {
    Err(Fail {
        at,
        message: message.into(),
    })
}

// ----- the JSON text, with spans -----

/// A JSON string: its value, where it is (quotes included), and where its escapes are.
#[derive(Debug)]
struct JStr {
    value: String,
    span: Range<usize>,
    /// `(offset in value, offset in the text)` after each escape, from the content's start.
    marks: Vec<(usize, usize)>,
}

impl JStr {
    /// Where an offset of the value lies in the text.
    fn text_offset(&self, at: usize) -> usize {
        let i = self.marks.partition_point(|(v, _)| *v <= at);
        let (v, t) = self.marks[i.saturating_sub(1)];
        (t + (at - v).min(self.span.end.saturating_sub(1).saturating_sub(t))).max(t)
    }
}

#[derive(Debug)]
enum JKind {
    Null,
    Bool(bool),
    Number,
    String(JStr),
    Array(Vec<JVal>),
    Object(Vec<(JStr, JVal)>),
}

#[derive(Debug)]
struct JVal {
    kind: JKind,
    span: Range<usize>,
}

struct Parser<'a> {
    text: &'a str,
    bytes: &'a [u8],
    pos: usize,
    depth: usize,
}

impl Parser<'_> {
    fn document(mut self) -> Result<JVal, Fail> {
        self.ws();
        let v = self.value()?;
        self.ws();
        if self.pos < self.bytes.len() {
            return fail(
                self.pos,
                "unexpected text after the JSON value: a file holds one JSON object",
            );
        }
        Ok(v)
    }

    fn ws(&mut self) {
        while let Some(b' ' | b'\t' | b'\n' | b'\r') = self.bytes.get(self.pos) {
            self.pos += 1;
        }
    }

    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.pos).copied()
    }

    fn value(&mut self) -> Result<JVal, Fail> {
        let start = self.pos;
        let kind = match self.peek() {
            None => return fail(start, "unexpected end of file: expected a JSON value"),
            Some(b'{') => return self.object(),
            Some(b'[') => return self.array(),
            Some(b'"') => JKind::String(self.string()?),
            Some(b'-' | b'0'..=b'9') => {
                self.number()?;
                JKind::Number
            }
            Some(_) => {
                let word: String = self.text[start..]
                    .chars()
                    .take_while(|c| c.is_alphanumeric() || *c == '_')
                    .collect();
                let kind = match word.as_str() {
                    "true" => JKind::Bool(true),
                    "false" => JKind::Bool(false),
                    "null" => JKind::Null,
                    "" => {
                        let c = self.text[start..].chars().next().unwrap_or(' ');
                        return fail(
                            start,
                            format!(
                                "unexpected `{c}`: expected a JSON value (an object, array, string, number, true, false or null)"
                            ),
                        );
                    }
                    w => {
                        return fail(
                            start,
                            format!(
                                "unexpected `{w}`: expected a JSON value; strings are written in double quotes"
                            ),
                        );
                    }
                };
                self.pos += word.len();
                kind
            }
        };
        Ok(JVal {
            kind,
            span: start..self.pos,
        })
    }

    fn enter(&mut self, at: usize) -> Result<(), Fail> {
        self.depth += 1;
        if self.depth > MAX_JSON_DEPTH {
            return fail(
                at,
                format!("arrays and objects nest deeper than {MAX_JSON_DEPTH} levels"),
            );
        }
        Ok(())
    }

    fn object(&mut self) -> Result<JVal, Fail> {
        let start = self.pos;
        self.enter(start)?;
        self.pos += 1;
        let mut props = Vec::new();
        self.ws();
        if self.peek() == Some(b'}') {
            self.pos += 1;
        } else {
            loop {
                self.ws();
                match self.peek() {
                    Some(b'"') => {}
                    None => return fail(start, "unclosed `{`: missing `}`"),
                    Some(_) => {
                        return fail(
                            self.pos,
                            "expected a property name (a string in double quotes)",
                        );
                    }
                }
                let key = self.string()?;
                self.ws();
                match self.peek() {
                    Some(b':') => self.pos += 1,
                    None => return fail(start, "unclosed `{`: missing `}`"),
                    Some(_) => {
                        return fail(self.pos, "expected `:` after the property name");
                    }
                }
                self.ws();
                let v = self.value()?;
                props.push((key, v));
                self.ws();
                match self.peek() {
                    Some(b',') => self.pos += 1,
                    Some(b'}') => {
                        self.pos += 1;
                        break;
                    }
                    None => return fail(start, "unclosed `{`: missing `}`"),
                    Some(_) => {
                        return fail(self.pos, "expected `,` or `}` after the property");
                    }
                }
            }
        }
        self.depth -= 1;
        Ok(JVal {
            kind: JKind::Object(props),
            span: start..self.pos,
        })
    }

    fn array(&mut self) -> Result<JVal, Fail> {
        let start = self.pos;
        self.enter(start)?;
        self.pos += 1;
        let mut items = Vec::new();
        self.ws();
        if self.peek() == Some(b']') {
            self.pos += 1;
        } else {
            loop {
                self.ws();
                if self.peek().is_none() {
                    return fail(start, "unclosed `[`: missing `]`");
                }
                items.push(self.value()?);
                self.ws();
                match self.peek() {
                    Some(b',') => self.pos += 1,
                    Some(b']') => {
                        self.pos += 1;
                        break;
                    }
                    None => return fail(start, "unclosed `[`: missing `]`"),
                    Some(_) => return fail(self.pos, "expected `,` or `]` after the element"),
                }
            }
        }
        self.depth -= 1;
        Ok(JVal {
            kind: JKind::Array(items),
            span: start..self.pos,
        })
    }

    fn number(&mut self) -> Result<(), Fail> {
        let start = self.pos;
        let digits = |p: &mut Self| {
            let s = p.pos;
            while let Some(b'0'..=b'9') = p.peek() {
                p.pos += 1;
            }
            p.pos > s
        };
        if self.peek() == Some(b'-') {
            self.pos += 1;
        }
        let int_start = self.pos;
        if !digits(self) {
            return fail(start, "invalid number: expected a digit");
        }
        if self.bytes[int_start] == b'0' && self.pos - int_start > 1 {
            return fail(
                start,
                "invalid number: leading zeros are not allowed in JSON",
            );
        }
        if self.peek() == Some(b'.') {
            self.pos += 1;
            if !digits(self) {
                return fail(self.pos, "invalid number: expected a digit after `.`");
            }
        }
        if let Some(b'e' | b'E') = self.peek() {
            self.pos += 1;
            if let Some(b'+' | b'-') = self.peek() {
                self.pos += 1;
            }
            if !digits(self) {
                return fail(self.pos, "invalid number: expected a digit in the exponent");
            }
        }
        Ok(())
    }

    fn hex4(&mut self, esc: usize) -> Result<u32, Fail> {
        let h = self
            .text
            .get(self.pos..self.pos + 4)
            .filter(|h| h.bytes().all(|b| b.is_ascii_hexdigit()))
            .and_then(|h| u32::from_str_radix(h, 16).ok());
        match h {
            Some(v) => {
                self.pos += 4;
                Ok(v)
            }
            None => fail(esc, "invalid escape: `\\u` takes four hexadecimal digits"),
        }
    }

    fn string(&mut self) -> Result<JStr, Fail> {
        let start = self.pos;
        self.pos += 1;
        let mut value = String::new();
        let mut marks = vec![(0, self.pos)];
        loop {
            let run = self.pos;
            while let Some(&b) = self.bytes.get(self.pos) {
                if b == b'"' || b == b'\\' || b < 0x20 {
                    break;
                }
                self.pos += 1;
            }
            value.push_str(&self.text[run..self.pos]);
            match self.peek() {
                None => {
                    return fail(
                        start,
                        "unterminated string: missing closing `\"` before the end of the file",
                    );
                }
                Some(b'"') => {
                    self.pos += 1;
                    break;
                }
                Some(b'\\') => {
                    let esc = self.pos;
                    self.pos += 1;
                    let c = match self.peek() {
                        Some(b'"') => '"',
                        Some(b'\\') => '\\',
                        Some(b'/') => '/',
                        Some(b'b') => '\u{8}',
                        Some(b'f') => '\u{c}',
                        Some(b'n') => '\n',
                        Some(b'r') => '\r',
                        Some(b't') => '\t',
                        Some(b'u') => {
                            self.pos += 1;
                            let hi = self.hex4(esc)?;
                            let mut code = hi;
                            if (0xD800..0xDC00).contains(&hi)
                                && self.text[self.pos..].starts_with("\\u")
                            {
                                let save = self.pos;
                                self.pos += 2;
                                let lo = self.hex4(self.pos - 2)?;
                                if (0xDC00..0xE000).contains(&lo) {
                                    code = 0x10000 + ((hi - 0xD800) << 10) + (lo - 0xDC00);
                                } else {
                                    self.pos = save;
                                }
                            }
                            self.pos -= 1;
                            // A lone surrogate is replaced, as Go's decoder does.
                            char::from_u32(code).unwrap_or('\u{FFFD}')
                        }
                        _ => {
                            let shown = self.text[self.pos..].chars().next().unwrap_or(' ');
                            return fail(
                                esc,
                                format!(
                                    "invalid escape `\\{shown}` in a JSON string (valid: \\\" \\\\ \\/ \\b \\f \\n \\r \\t \\uXXXX)"
                                ),
                            );
                        }
                    };
                    self.pos += 1;
                    value.push(c);
                    marks.push((value.len(), self.pos));
                }
                Some(b) => {
                    let hint = if b == b'\n' || b == b'\r' {
                        "unterminated string: missing closing `\"` before the end of the line (a line break inside a JSON string is written `\\n`)".to_string()
                    } else {
                        format!(
                            "control character U+{b:04X} in a JSON string: write it as an escape (`\\u{b:04x}`)"
                        )
                    };
                    let at = if b == b'\n' || b == b'\r' {
                        start
                    } else {
                        self.pos
                    };
                    return fail(at, hint);
                }
            }
        }
        Ok(JStr {
            value,
            span: start..self.pos,
            marks,
        })
    }
}

// ----- JSON to hcl-edit's syntax -----

struct Conv<'a> {
    text: &'a str,
    lines: &'a LineIndex,
}

fn spanned<T: SetSpan>(mut node: T, span: Range<usize>) -> T {
    node.set_span(span);
    node
}

impl Conv<'_> {
    fn line_of(&self, at: usize) -> u32 {
        self.lines
            .line_col(self.text, u32::try_from(at).unwrap_or(u32::MAX))
            .0
    }

    /// The properties of an object, or of each object of an array, in order.
    fn properties<'v>(&self, v: &'v JVal, what: &str) -> Result<Vec<&'v (JStr, JVal)>, Fail> {
        match &v.kind {
            JKind::Object(props) => Ok(props.iter().collect()),
            JKind::Array(items) => {
                let mut out = Vec::new();
                for item in items {
                    match &item.kind {
                        JKind::Object(props) => out.extend(props.iter()),
                        _ => {
                            return fail(
                                item.span.start,
                                format!("expected a JSON object in this array ({what})"),
                            );
                        }
                    }
                }
                Ok(out)
            }
            _ => fail(
                v.span.start,
                format!("expected a JSON object or an array of objects ({what})"),
            ),
        }
    }

    fn body(&self, v: &JVal, schema: &BodySchema) -> Result<Body, Fail> {
        let props: Vec<&(JStr, JVal)> = if schema.just_attributes {
            match &v.kind {
                JKind::Object(props) => props.iter().collect(),
                _ => {
                    return fail(
                        v.span.start,
                        "expected a JSON object here, holding the arguments of this block",
                    );
                }
            }
        } else {
            self.properties(v, "the contents of a body")?
        };
        let mut body = Body::new();
        let mut seen: HashMap<&str, usize> = HashMap::new();
        for (key, val) in props {
            if key.value == "//" {
                continue;
            }
            let block = (!schema.just_attributes)
                .then(|| schema.blocks.iter().find(|b| b.name == key.value))
                .flatten();
            if let Some(b) = block {
                let mut blocks = Vec::new();
                self.blocks(b, key, val, &mut blocks)?;
                for blk in blocks {
                    body.push(blk);
                }
                continue;
            }
            if let Some(first) = seen.get(key.value.as_str()) {
                return fail(
                    key.span.start,
                    format!(
                        "duplicate argument \"{}\": it was already set on line {}",
                        key.value,
                        self.line_of(*first)
                    ),
                );
            }
            seen.insert(&key.value, key.span.start);
            let ident = match Ident::try_new(key.value.as_str()) {
                Ok(i) => i,
                Err(_) if schema.just_attributes => {
                    return fail(
                        key.span.start,
                        format!(
                            "\"{}\" is not a valid name: a name starts with a letter or `_` and holds letters, digits, `_` and `-`",
                            key.value
                        ),
                    );
                }
                Err(_) => Ident::new_unchecked(key.value.as_str()),
            };
            let value = self.expr(val)?;
            let attr = Attribute::new(spanned(Decorated::new(ident), key.span.clone()), value);
            body.push(spanned(attr, key.span.start..val.span.end));
        }
        Ok(spanned(body, v.span.clone()))
    }

    /// The blocks of type `b` a property defines.
    fn blocks(
        &self,
        b: &BlockSchema,
        key: &JStr,
        v: &JVal,
        out: &mut Vec<Block>,
    ) -> Result<(), Fail> {
        if b.labels > 0
            && let Some(attr) = b.unlabelled_if
        {
            let bare = |o: &JVal| match &o.kind {
                JKind::Object(props) => props
                    .iter()
                    .any(|(k, v)| k.value == attr && matches!(v.kind, JKind::String(_))),
                _ => false,
            };
            let single = match &v.kind {
                JKind::Array(items) if items.len() == 1 => items.first().filter(|o| bare(o)),
                _ => Some(v).filter(|o| bare(o)),
            };
            if let Some(o) = single {
                out.push(self.block(b, key, Vec::new(), o)?);
                return Ok(());
            }
        }
        self.unpack(b, key, v, Vec::new(), out)
    }

    fn unpack<'v>(
        &self,
        b: &BlockSchema,
        key: &JStr,
        v: &'v JVal,
        labels: Vec<&'v JStr>,
        out: &mut Vec<Block>,
    ) -> Result<(), Fail> {
        if labels.len() < b.labels {
            let what = format!("the labels of the {} block", b.name);
            let props = self.properties(v, &what)?;
            if props.is_empty() {
                return fail(
                    v.span.start,
                    format!(
                        "missing block label: at least one object property is required, whose name is the {} block's label",
                        b.name
                    ),
                );
            }
            for (k, inner) in props {
                let mut l = labels.clone();
                l.push(k);
                self.unpack(b, key, inner, l, out)?;
            }
            return Ok(());
        }
        match &v.kind {
            JKind::Null => {}
            JKind::Object(_) => out.push(self.block(b, key, labels, v)?),
            JKind::Array(items) => {
                for item in items {
                    out.push(self.block(b, key, labels.clone(), item)?);
                }
            }
            _ => {
                return fail(
                    v.span.start,
                    format!(
                        "expected a JSON object or an array of objects, representing the contents of one or more \"{}\" blocks",
                        b.name
                    ),
                );
            }
        }
        Ok(())
    }

    fn block(
        &self,
        b: &BlockSchema,
        key: &JStr,
        labels: Vec<&JStr>,
        v: &JVal,
    ) -> Result<Block, Fail> {
        let mut blk = Block::new(spanned(
            Decorated::new(Ident::new_unchecked(b.name)),
            key.span.clone(),
        ));
        let start = labels.last().map_or(key.span.start, |l| l.span.start);
        blk.labels = labels
            .iter()
            .map(|l| BlockLabel::String(spanned(Decorated::new(l.value.clone()), l.span.clone())))
            .collect();
        blk.body = self.body(v, b.body)?;
        Ok(spanned(blk, start..v.span.end))
    }

    fn expr(&self, v: &JVal) -> Result<Expression, Fail> {
        let span = v.span.clone();
        Ok(match &v.kind {
            JKind::Null => Expression::Null(spanned(Decorated::new(Null), span)),
            JKind::Bool(b) => Expression::Bool(spanned(Decorated::new(*b), span)),
            JKind::Number => {
                let raw = &self.text[span.clone()];
                let mut n = Formatted::new(number(raw));
                n.set_repr(raw);
                Expression::Number(spanned(n, span))
            }
            JKind::String(s) => self.string_expr(s)?,
            JKind::Array(items) => {
                let mut a = Array::with_capacity(items.len());
                for i in items {
                    a.push(self.expr(i)?);
                }
                Expression::Array(spanned(a, span))
            }
            JKind::Object(props) => {
                let mut o = Object::with_capacity(props.len());
                let mut literal: HashMap<&str, usize> = HashMap::new();
                for (k, val) in props {
                    let key = self.string_expr(k)?;
                    if matches!(key, Expression::String(_)) {
                        if let Some(first) = literal.get(k.value.as_str()) {
                            return fail(
                                k.span.start,
                                format!(
                                    "duplicate object attribute \"{}\": it was already defined on line {}",
                                    k.value,
                                    self.line_of(*first)
                                ),
                            );
                        }
                        literal.insert(&k.value, k.span.start);
                    }
                    o.push_unique(
                        ObjectKey::Expression(key),
                        ObjectValue::new(self.expr(val)?),
                    );
                }
                Expression::Object(spanned(o, span))
            }
        })
    }

    /// A string in expression position: a template when it holds `${` or `%{`, else the
    /// literal string.
    fn string_expr(&self, s: &JStr) -> Result<Expression, Fail> {
        if !(s.value.contains("${") || s.value.contains("%{")) {
            return Ok(Expression::String(spanned(
                Decorated::new(s.value.clone()),
                s.span.clone(),
            )));
        }
        let mut t: Template = hcl_edit::parser::parse_template(&s.value).map_err(|e| Fail {
            at: s.text_offset(e.location().offset().min(s.value.len())),
            message: match e.message() {
                "" => "invalid template in a JSON string".to_string(),
                m => m.to_string(),
            },
        })?;
        Remap { s }.visit_template_mut(&mut t);
        // HCL parses a JSON string as a bare template, line by line: its strip markers apply
        // per line (`template::line_template`), and none are left for the evaluator.
        let t = crate::template::line_template(&t, false);
        Ok(Expression::StringTemplate(spanned(
            StringTemplate::from(t),
            s.span.clone(),
        )))
    }
}

/// The number a JSON number literal stands for: an integer when it is one that fits, else
/// the nearest `f64`, and `±f64::MAX` beyond `f64`'s range (the evaluator reads the literal's
/// text, kept as its repr, to make that `±Inf`, as the native parser's numbers are).
fn number(raw: &str) -> Number {
    if !raw.contains(['.', 'e', 'E']) {
        if let Ok(i) = raw.parse::<i64>() {
            return Number::from(i);
        }
        if let Ok(u) = raw.parse::<u64>() {
            return Number::from(u);
        }
    }
    let f = raw.parse::<f64>().unwrap_or(f64::NAN);
    let f = if f.is_infinite() {
        f64::MAX.copysign(f)
    } else {
        f
    };
    Number::from_f64(f).unwrap_or_else(|| Number::from(0u64))
}

/// Moves every span of a template parsed from a string's value to where it lies in the
/// text. Each span lives on one node; the visits below touch each node once.
struct Remap<'s> {
    s: &'s JStr,
}

impl Remap<'_> {
    fn fix<T: hcl_edit::Span + SetSpan + ?Sized>(&self, node: &mut T) {
        if let Some(r) = node.span() {
            node.set_span(self.s.text_offset(r.start)..self.s.text_offset(r.end));
        }
    }
}

impl VisitMut for Remap<'_> {
    fn visit_ident_mut(&mut self, node: &mut Decorated<Ident>) {
        self.fix(node);
    }
    fn visit_null_mut(&mut self, node: &mut Decorated<Null>) {
        self.fix(node);
    }
    fn visit_bool_mut(&mut self, node: &mut Decorated<bool>) {
        self.fix(node);
    }
    fn visit_u64_mut(&mut self, node: &mut Decorated<u64>) {
        self.fix(node);
    }
    fn visit_number_mut(&mut self, node: &mut Formatted<Number>) {
        self.fix(node);
    }
    fn visit_string_mut(&mut self, node: &mut Decorated<String>) {
        self.fix(node);
    }
    fn visit_splat_mut(&mut self, node: &mut Decorated<Splat>) {
        self.fix(node);
    }
    fn visit_literal_mut(&mut self, node: &mut Spanned<String>) {
        self.fix(node);
    }
    fn visit_unary_operator_mut(&mut self, node: &mut Spanned<hcl_edit::expr::UnaryOperator>) {
        self.fix(node);
    }
    fn visit_binary_operator_mut(&mut self, node: &mut Decorated<hcl_edit::expr::BinaryOperator>) {
        self.fix(node);
    }
    fn visit_array_mut(&mut self, node: &mut Array) {
        self.fix(node);
        visit_mut::visit_array_mut(self, node);
    }
    fn visit_object_mut(&mut self, node: &mut Object) {
        self.fix(node);
        visit_mut::visit_object_mut(self, node);
    }
    fn visit_object_key_mut(&mut self, mut node: ObjectKeyMut) {
        // Only the key's own span: what lies inside a computed key keeps its place
        // relative to the key (keys are immutable through the object's index).
        self.fix(&mut node);
    }
    fn visit_parenthesis_mut(&mut self, node: &mut Parenthesis) {
        self.fix(node);
        visit_mut::visit_parenthesis_mut(self, node);
    }
    fn visit_conditional_mut(&mut self, node: &mut Conditional) {
        self.fix(node);
        visit_mut::visit_conditional_mut(self, node);
    }
    fn visit_unary_op_mut(&mut self, node: &mut UnaryOp) {
        self.fix(node);
        visit_mut::visit_unary_op_mut(self, node);
    }
    fn visit_binary_op_mut(&mut self, node: &mut BinaryOp) {
        self.fix(node);
        visit_mut::visit_binary_op_mut(self, node);
    }
    fn visit_traversal_mut(&mut self, node: &mut Traversal) {
        self.fix(node);
        self.visit_expr_mut(&mut node.expr);
        for op in &mut node.operators {
            self.fix(op);
            self.visit_traversal_operator_mut(op);
        }
    }
    fn visit_func_call_mut(&mut self, node: &mut FuncCall) {
        self.fix(node);
        visit_mut::visit_func_call_mut(self, node);
    }
    fn visit_func_args_mut(&mut self, node: &mut FuncArgs) {
        self.fix(node);
        visit_mut::visit_func_args_mut(self, node);
    }
    fn visit_for_expr_mut(&mut self, node: &mut ForExpr) {
        self.fix(node);
        visit_mut::visit_for_expr_mut(self, node);
    }
    fn visit_for_intro_mut(&mut self, node: &mut ForIntro) {
        self.fix(node);
        visit_mut::visit_for_intro_mut(self, node);
    }
    fn visit_for_cond_mut(&mut self, node: &mut ForCond) {
        self.fix(node);
        visit_mut::visit_for_cond_mut(self, node);
    }
    fn visit_string_template_mut(&mut self, node: &mut StringTemplate) {
        self.fix(node);
        visit_mut::visit_string_template_mut(self, node);
    }
    fn visit_heredoc_template_mut(&mut self, node: &mut HeredocTemplate) {
        self.fix(node);
        visit_mut::visit_heredoc_template_mut(self, node);
    }
    fn visit_template_mut(&mut self, node: &mut Template) {
        self.fix(node);
        visit_mut::visit_template_mut(self, node);
    }
    fn visit_interpolation_mut(&mut self, node: &mut Interpolation) {
        self.fix(node);
        visit_mut::visit_interpolation_mut(self, node);
    }
    fn visit_if_directive_mut(&mut self, node: &mut IfDirective) {
        self.fix(node);
        visit_mut::visit_if_directive_mut(self, node);
    }
    fn visit_for_directive_mut(&mut self, node: &mut ForDirective) {
        self.fix(node);
        visit_mut::visit_for_directive_mut(self, node);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{EvalCtx, NoFiles, Value, Vars, eval};
    use hcl_edit::Span as _;
    use hcl_edit::structure::Structure;

    const LOCALS: BodySchema = BodySchema {
        blocks: &[],
        just_attributes: true,
    };
    const TOP: BodySchema = BodySchema {
        blocks: &[
            BlockSchema {
                name: "include",
                labels: 1,
                body: &ATTRIBUTES,
                unlabelled_if: Some("path"),
            },
            BlockSchema {
                name: "locals",
                labels: 0,
                body: &LOCALS,
                unlabelled_if: None,
            },
            BlockSchema {
                name: "pair",
                labels: 2,
                body: &ATTRIBUTES,
                unlabelled_if: None,
            },
        ],
        just_attributes: false,
    };

    fn parse(text: &str) -> Body {
        parse_json_body(FileId(0), text, &TOP).unwrap_or_else(|e| panic!("{e}"))
    }

    fn err(text: &str) -> ParseError {
        parse_json_body(FileId(0), text, &TOP).expect_err("a syntax error")
    }

    fn attr<'b>(body: &'b Body, name: &str) -> &'b Expression {
        &body.get_attribute(name).expect(name).value
    }

    fn value(text: &str, e: &Expression, vars: &Vars) -> Value {
        let cx = EvalCtx {
            file: FileId(0),
            base_dir: std::path::Path::new("/"),
            files: &NoFiles,
            functions: &[crate::functions::terraform()],
            vars,
            ext: None,
            budget: None,
        };
        eval(e, &cx).unwrap_or_else(|e| panic!("{text}: {e}"))
    }

    fn blocks(body: &Body) -> Vec<(String, Vec<String>)> {
        body.iter()
            .filter_map(Structure::as_block)
            .map(|b| {
                (
                    b.ident.as_str().to_string(),
                    b.labels.iter().map(|l| l.as_str().to_string()).collect(),
                )
            })
            .collect()
    }

    #[test]
    fn blocks_come_from_the_schema_and_labels_from_nesting() {
        let b = parse(
            r#"{"//": "comment", "include": {"": {"path": "a"}, "x": {"path": "b"}},
                "pair": {"a": {"b": {"k": 1}, "c": [{"k": 2}, {"k": 3}]}},
                "locals": [{"a": 1}, {"b": 2}], "other": {"path": "c"}}"#,
        );
        assert_eq!(
            blocks(&b),
            [
                ("include".into(), vec!["".into()]),
                ("include".into(), vec!["x".into()]),
                ("pair".into(), vec!["a".into(), "b".into()]),
                ("pair".into(), vec!["a".into(), "c".into()]),
                ("pair".into(), vec!["a".into(), "c".into()]),
                ("locals".into(), vec![]),
                ("locals".into(), vec![]),
            ]
        );
        // Not in the schema: an attribute, whatever its shape. "//" is skipped.
        assert!(b.get_attribute("other").is_some());
        assert!(b.get_attribute("//").is_none());
    }

    #[test]
    fn a_bare_include_is_a_block_without_labels() {
        for text in [
            r#"{"include": {"path": "../root.hcl"}}"#,
            r#"{"include": [{"path": "../root.hcl", "expose": true}]}"#,
        ] {
            let b = parse(text);
            assert_eq!(blocks(&b), [("include".into(), vec![])], "{text}");
        }
        // A "path" that is no string is a label.
        let b = parse(r#"{"include": {"path": {"path": "x"}}}"#);
        assert_eq!(blocks(&b), [("include".into(), vec!["path".into()])]);
    }

    #[test]
    fn strings_are_templates_and_a_lone_interpolation_is_the_value() {
        let text = r#"{"a": "${x}", "b": "n=${x}", "c": "$${x}", "d": "%{ if true }y%{ endif }",
                       "e": {"${k}": 1, "lit": [true, null, -2.5, 7]}, "f": "a\tb"}"#;
        let b = parse(text);
        let mut vars = Vars::new();
        vars.insert("x".into(), Value::int(3));
        vars.insert("k".into(), Value::string("key"));
        assert!(value(text, attr(&b, "a"), &vars).same(&Value::int(3)));
        assert!(value(text, attr(&b, "b"), &vars).same(&Value::string("n=3")));
        assert!(value(text, attr(&b, "c"), &vars).same(&Value::string("${x}")));
        assert!(value(text, attr(&b, "d"), &vars).same(&Value::string("y")));
        assert!(value(text, attr(&b, "f"), &vars).same(&Value::string("a\tb")));
        // A JSON string is a bare template: `~}` strips the rest of its line only
        // (terraform console on main.tf.json: "a x\n  b").
        let g = r#"{"g": "a ${\"x\" ~}\n\n  b"}"#;
        assert!(value(g, attr(&parse(g), "g"), &vars).same(&Value::string("a x\n  b")));
        let e = value(text, attr(&b, "e"), &vars);
        let m = e.as_map().expect("an object");
        assert!(m.get("key").is_some_and(|v| v.same(&Value::int(1))));
        let lit = m.get("lit").and_then(Value::as_seq).expect("lit");
        assert_eq!(lit.len(), 4);
        assert_eq!(lit[0].as_bool(), Some(true));
        assert!(lit[1].is_null());
        assert!(lit[2].same(&Value::float(-2.5)));
        assert!(lit[3].same(&Value::int(7)));
    }

    #[test]
    fn spans_inside_a_template_point_at_the_json_text_across_escapes() {
        let text = "{\"a\": \"\\\"\\u00e9\\\" ${upper(\\\"x\\\")} ${y}\"}";
        let b = parse(text);
        let Interpolations(elems) = template_parts(attr(&b, "a"));
        // The last interpolation's expression is `y`, wherever the escapes put it.
        let y = elems.last().expect("an element");
        assert_eq!(&text[y.clone()], "y");
        let call = &elems[elems.len() - 2];
        assert_eq!(&text[call.clone()], "upper(\\\"x\\\")");
        // The whole string's span covers its quotes.
        let whole = attr(&b, "a").span().expect("a span");
        assert_eq!(&text[whole.start..whole.start + 1], "\"");
        assert_eq!(whole.end, text.len() - 1);
    }

    struct Interpolations(Vec<Range<usize>>);

    fn template_parts(e: &Expression) -> Interpolations {
        let Expression::StringTemplate(t) = e else {
            panic!("not a template: {e:?}")
        };
        Interpolations(
            t.iter()
                .filter_map(|el| match el {
                    hcl_edit::template::Element::Interpolation(i) => i.expr.span(),
                    _ => None,
                })
                .collect(),
        )
    }

    #[test]
    fn attribute_and_key_spans() {
        let text = "{\n  \"name\": \"x\",\n  \"n\": 12\n}";
        let b = parse(text);
        let a = b.get_attribute("name").expect("name");
        assert_eq!(&text[a.key.span().expect("key")], "\"name\"");
        assert_eq!(&text[a.span().expect("attr")], "\"name\": \"x\"");
        assert_eq!(&text[attr(&b, "n").span().expect("n")], "12");
    }

    #[test]
    fn syntax_errors_name_the_line_and_column() {
        let cases = [
            ("{\n  \"a\": 1\n  \"b\": 2\n}", 3, 3, "expected `,` or `}`"),
            ("{\"a\": tru}", 1, 7, "unexpected `tru`"),
            ("{\"a\": \"x\n\"}", 1, 7, "unterminated string"),
            ("{\"a\": \"\\q\"}", 1, 8, "invalid escape `\\q`"),
            ("{\"a\": 01}", 1, 7, "leading zeros"),
            ("{\"a\": [1,", 1, 7, "unclosed `[`"),
            (
                "{\"a\": 1} x",
                1,
                10,
                "unexpected text after the JSON value",
            ),
            (
                "{\"a\": \"\\\"\\\" ${x\"}",
                1,
                13,
                "unterminated interpolation",
            ),
            ("{\"a\": 1, \"a\": 2}", 1, 10, "duplicate argument \"a\""),
            (
                "{\"a\": {\"k\": 1, \"k\": 2}}",
                1,
                16,
                "duplicate object attribute \"k\"",
            ),
            (
                "{\"locals\": {\"a b\": 1}}",
                1,
                13,
                "\"a b\" is not a valid name",
            ),
            ("{\"locals\": [1]}", 1, 13, "expected a JSON object here"),
            ("{\"pair\": {\"a\": {}}}", 1, 16, "missing block label"),
            (
                "{\"include\": {\"x\": 3}}",
                1,
                19,
                "expected a JSON object or an array",
            ),
            ("[1]", 1, 2, "expected a JSON object in this array"),
        ];
        for (text, line, column, msg) in cases {
            let e = err(text);
            assert!(e.message.contains(msg), "{text:?}: {}", e.message);
            assert_eq!(
                (e.line, e.column),
                (line, column),
                "{text:?}: {}",
                e.message
            );
        }
        // Nesting beyond the limit: tests/nesting.rs (it needs a bigger stack than a test
        // thread's).
    }

    #[test]
    fn numbers_keep_their_text() {
        let text = r#"{"a": 1e400, "b": -1e400, "c": 18446744073709551615, "d": -3}"#;
        let b = parse(text);
        let v = Vars::new();
        assert_eq!(
            value(text, attr(&b, "a"), &v)
                .as_number()
                .map(crate::Number::as_f64),
            Some(f64::INFINITY)
        );
        assert_eq!(
            value(text, attr(&b, "b"), &v)
                .as_number()
                .map(crate::Number::as_f64),
            Some(f64::NEG_INFINITY)
        );
        assert!(value(text, attr(&b, "d"), &v).same(&Value::int(-3)));
        let Expression::Number(n) = attr(&b, "c") else {
            panic!("a number")
        };
        assert_eq!(
            n.as_repr().map(|r| r.to_string()).as_deref(),
            Some("18446744073709551615")
        );
    }
}
