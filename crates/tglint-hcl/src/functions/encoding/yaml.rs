//! `yamldecode` and `yamlencode` as go-cty-yaml v1.0.2 (Terraform v0.15.3's YAML
//! library) does them.
//!
//! Decoding walks `yaml-rust2`'s events and resolves scalars with go-cty-yaml's rules,
//! which are go-yaml v2's YAML 1.1 flavour: `yes`/`no`/`on`/`off`/`y`/`n` are booleans,
//! `~` and the empty scalar null, `0x`/`0o`/`_`-separated integers, `.inf`, timestamps
//! (returned as RFC 3339 strings), `<<` merge keys, anchors and aliases; quoted scalars are
//! strings; a second document is an error. Mappings become objects, sequences tuples.
//!
//! Encoding reproduces libyaml's emitter as go-cty-yaml drives it: block style, keys and
//! strings double-quoted (multi-line strings as literal blocks), lines folded past 80
//! columns, and `...` after a document that ends in a plain scalar.

use super::go_base64_decode;
use crate::go;
use crate::value::{Data, Number, Value};
use std::collections::{BTreeMap, HashMap, HashSet};
use yaml_rust2::parser::{Event, Parser, Tag};
use yaml_rust2::scanner::{Marker, TScalarStyle};

const STR_TAG: &str = "tag:yaml.org,2002:str";
const BINARY_TAG: &str = "tag:yaml.org,2002:binary";
const BOOL_TAG: &str = "tag:yaml.org,2002:bool";
const INT_TAG: &str = "tag:yaml.org,2002:int";
const FLOAT_TAG: &str = "tag:yaml.org,2002:float";
const NULL_TAG: &str = "tag:yaml.org,2002:null";
const TIMESTAMP_TAG: &str = "tag:yaml.org,2002:timestamp";
const MAP_TAG: &str = "tag:yaml.org,2002:map";
const SEQ_TAG: &str = "tag:yaml.org,2002:seq";

/// A resolved scalar: a value, or the merge key `<<`.
enum Scalar {
    Val(Value),
    Merge,
}

fn tag_string(tag: &Option<Tag>) -> String {
    match tag {
        None => String::new(),
        Some(t) if t.handle.is_empty() && t.suffix == "!" => "!".into(),
        Some(t) => format!("{}{}", t.handle, t.suffix),
    }
}

/// go-cty-yaml's `resolveMap`.
fn resolve_map(src: &str) -> Option<Value> {
    Some(match src {
        "y" | "Y" | "yes" | "Yes" | "YES" | "true" | "True" | "TRUE" | "on" | "On" | "ON" => {
            Value::bool(true)
        }
        "n" | "N" | "no" | "No" | "NO" | "false" | "False" | "FALSE" | "off" | "Off" | "OFF" => {
            Value::bool(false)
        }
        "" | "~" | "null" | "Null" | "NULL" => Value::null(),
        ".inf" | ".Inf" | ".INF" | "+.inf" | "+.Inf" | "+.INF" => {
            Value::number(Number::infinity(false))
        }
        "-.inf" | "-.Inf" | "-.INF" => Value::number(Number::infinity(true)),
        _ => return None,
    })
}

fn count_digits(b: &[u8], i: &mut usize) -> usize {
    let start = *i;
    while b.get(*i).is_some_and(u8::is_ascii_digit) {
        *i += 1;
    }
    *i - start
}

/// Go's `strconv.ParseInt(s, 0, 64)` then `ParseUint`: sign, `0x`/`0o`/`0b` or a leading
/// `0` for octal.
fn parse_go_int(s: &str) -> Option<Number> {
    let (neg, body) = match s.strip_prefix('-') {
        Some(r) => (true, r),
        None => (false, s.strip_prefix('+').unwrap_or(s)),
    };
    let lower = body.to_ascii_lowercase();
    let (radix, digits) = if let Some(r) = lower.strip_prefix("0x") {
        (16, r)
    } else if let Some(r) = lower.strip_prefix("0o") {
        (8, r)
    } else if let Some(r) = lower.strip_prefix("0b") {
        (2, r)
    } else if lower.len() > 1 && lower.starts_with('0') {
        (8, &lower[1..])
    } else {
        (10, lower.as_str())
    };
    if digits.is_empty() {
        return None;
    }
    let mag = u64::from_str_radix(digits, radix).ok()?;
    if neg {
        if mag <= 1u64 << 63 {
            return Some(Number::int((mag as i128).wrapping_neg() as i64));
        }
        return None;
    }
    // cty's NumberIntVal, or NumberUIntVal beyond i64: 64 bits either way.
    Some(match i64::try_from(mag) {
        Ok(v) => Number::int(v),
        Err(_) => Number::from_integer(false, mag.into()),
    })
}

/// go-cty-yaml's integer literal pattern: `[-+]?(|0o[0-7_]+|[0-9_]+|0x[0-9a-fA-F_]+)`.
fn is_int_literal(s: &str) -> bool {
    let body = s.strip_prefix(['+', '-']).unwrap_or(s);
    if body.is_empty() {
        return true;
    }
    if let Some(r) = body.strip_prefix("0o")
        && !r.is_empty()
        && r.bytes().all(|c| matches!(c, b'0'..=b'7' | b'_'))
    {
        return true;
    }
    if let Some(r) = body.strip_prefix("0x")
        && !r.is_empty()
        && r.bytes().all(|c| c.is_ascii_hexdigit() || c == b'_')
    {
        return true;
    }
    body.bytes().all(|c| c.is_ascii_digit() || c == b'_')
}

/// go-cty-yaml's float literal pattern:
/// `[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?`.
fn is_float_literal(s: &str) -> bool {
    let b = s.strip_prefix(['+', '-']).unwrap_or(s).as_bytes();
    let mut i = 0;
    if b.first() == Some(&b'.') {
        i = 1;
        if count_digits(b, &mut i) == 0 {
            return false;
        }
    } else {
        if count_digits(b, &mut i) == 0 {
            return false;
        }
        if b.get(i) == Some(&b'.') {
            i += 1;
            count_digits(b, &mut i);
        }
    }
    if matches!(b.get(i), Some(b'e' | b'E')) {
        i += 1;
        if matches!(b.get(i), Some(b'+' | b'-')) {
            i += 1;
        }
        if count_digits(b, &mut i) == 0 {
            return false;
        }
    }
    i == b.len()
}

/// Takes one or two digits, as Go's `getnum(s, false)`.
fn getnum(b: &[u8], i: &mut usize) -> Option<u32> {
    let d0 = *b.get(*i).filter(|c| c.is_ascii_digit())?;
    *i += 1;
    let mut v = u32::from(d0 - b'0');
    if let Some(&d1) = b.get(*i).filter(|c| c.is_ascii_digit()) {
        *i += 1;
        v = v * 10 + u32::from(d1 - b'0');
    }
    Some(v)
}

fn days_in(month: u32, year: u32) -> u32 {
    match month {
        2 if year.is_multiple_of(4) && (!year.is_multiple_of(100) || year.is_multiple_of(400)) => {
            29
        }
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// go-cty-yaml's `parseTimestamp` (Go's `time.Parse` with its four layouts), formatted as
/// RFC 3339 the way Go's `Format(time.RFC3339)` does.
fn parse_timestamp(s: &str) -> Option<String> {
    let b = s.as_bytes();
    if b.len() < 5 || !b[..4].iter().all(u8::is_ascii_digit) || b[4] != b'-' {
        return None;
    }
    let year: u32 = s.get(..4)?.parse().ok()?;
    let mut i = 5;
    let month = getnum(b, &mut i)?;
    if b.get(i) != Some(&b'-') {
        return None;
    }
    i += 1;
    let day = getnum(b, &mut i)?;
    if !(1..=12).contains(&month) || day < 1 || day > days_in(month, year) {
        return None;
    }
    let date = format!("{year:04}-{month:02}-{day:02}");
    let Some(&sep) = b.get(i) else {
        return Some(format!("{date}T00:00:00Z"));
    };
    if !matches!(sep, b'T' | b't' | b' ') {
        return None;
    }
    i += 1;
    let hour = getnum(b, &mut i)?;
    if b.get(i) != Some(&b':') {
        return None;
    }
    i += 1;
    let min = getnum(b, &mut i)?;
    if b.get(i) != Some(&b':') {
        return None;
    }
    i += 1;
    let sec = getnum(b, &mut i)?;
    if hour > 23 || min > 59 || sec > 59 {
        return None;
    }
    if b.get(i) == Some(&b'.') && b.get(i + 1).is_some_and(u8::is_ascii_digit) {
        i += 1;
        let mut n = 0;
        while n < 9 && b.get(i).is_some_and(u8::is_ascii_digit) {
            i += 1;
            n += 1;
        }
    }
    let time = format!("{date}T{hour:02}:{min:02}:{sec:02}");
    if sep == b' ' {
        return (i == b.len()).then(|| format!("{time}Z"));
    }
    match b.get(i..)? {
        b"Z" => Some(format!("{time}Z")),
        [sign @ (b'+' | b'-'), h1, h2, b':', m1, m2] => {
            let digits = [*h1, *h2, *m1, *m2];
            if !digits.iter().all(u8::is_ascii_digit) {
                return None;
            }
            let oh = u32::from(h1 - b'0') * 10 + u32::from(h2 - b'0');
            let om = u32::from(m1 - b'0') * 10 + u32::from(m2 - b'0');
            if oh > 24 || om > 59 {
                return None;
            }
            if oh == 0 && om == 0 {
                return Some(format!("{time}Z"));
            }
            Some(format!("{time}{}{oh:02}:{om:02}", char::from(*sign)))
        }
        _ => None,
    }
}

/// go-cty-yaml's `resolveScalar`.
fn resolve_scalar(tag: &str, src: &str, quoted: bool) -> Result<Scalar, String> {
    let resolvable = matches!(
        tag,
        "" | STR_TAG | BOOL_TAG | INT_TAG | FLOAT_TAG | NULL_TAG | TIMESTAMP_TAG | BINARY_TAG
    );
    if !resolvable {
        return Err(format!("unsupported tag {}", go::quote(tag)));
    }
    let mut tag = tag;
    let hint = match src.as_bytes().first() {
        None => Some('N'),
        Some(b'+' | b'-') => Some('S'),
        Some(b'0'..=b'9') => Some('D'),
        Some(b'y' | b'Y' | b'n' | b'N' | b't' | b'T' | b'f' | b'F' | b'o' | b'O' | b'~') => {
            Some('M')
        }
        Some(b'.') => Some('.'),
        _ => None,
    };
    if let Some(hint) = hint
        && tag != STR_TAG
        && tag != BINARY_TAG
    {
        if quoted {
            return Ok(Scalar::Val(Value::string(src)));
        }
        if let Some(v) = resolve_map(src) {
            return Ok(Scalar::Val(v));
        }
        if tag.is_empty() && matches!(src, ".nan" | ".NaN" | ".NAN") {
            return Err("floating point NaN is not supported".into());
        }
        match hint {
            '.' => {
                if let Some(n) = Number::parse(src) {
                    return Ok(Scalar::Val(Value::number(n)));
                }
            }
            'D' | 'S' => {
                if (tag.is_empty() || tag == TIMESTAMP_TAG)
                    && let Some(t) = parse_timestamp(src)
                {
                    return Ok(Scalar::Val(Value::string(t)));
                }
                if is_int_literal(src) {
                    tag = INT_TAG;
                } else if is_float_literal(src) {
                    tag = FLOAT_TAG;
                }
            }
            _ => {}
        }
    }
    if tag.is_empty() && src == "<<" {
        return Ok(Scalar::Merge);
    }
    let cannot = || format!("cannot parse {} as {tag}", go::quote(src));
    match tag {
        STR_TAG => Ok(Scalar::Val(Value::string(src))),
        BINARY_TAG => {
            if go_base64_decode(src).is_err() {
                return Err(format!("{}: not valid base64", cannot()));
            }
            Ok(Scalar::Val(Value::string(src)))
        }
        BOOL_TAG => match resolve_map(src) {
            Some(v) if v.as_bool().is_some() => Ok(Scalar::Val(v)),
            _ => Err(cannot()),
        },
        INT_TAG | FLOAT_TAG => {
            let plain = src.replace('_', "");
            Number::parse(&plain)
                .or_else(|| parse_go_int(&plain))
                .map(|n| Scalar::Val(Value::number(n)))
                .ok_or_else(cannot)
        }
        TIMESTAMP_TAG => parse_timestamp(src)
            .map(|t| Scalar::Val(Value::string(t)))
            .ok_or_else(cannot),
        NULL_TAG => Ok(Scalar::Val(Value::null())),
        _ => Ok(Scalar::Val(Value::string(src))),
    }
}

/// An error at an event, as go-cty-yaml's `parseEventErrorWrap`: its line is libyaml's
/// zero-based line, and none is given for the first line.
fn at(mark: &Marker, msg: impl std::fmt::Display) -> String {
    let line = mark.line().saturating_sub(1);
    if line == 0 {
        msg.to_string()
    } else {
        format!("on line {line}, column {}: {msg}", mark.col() + 1)
    }
}

/// The friendly name cty gives a value's type in "cannot merge" errors.
fn friendly(v: &Value) -> &'static str {
    match &v.data {
        Data::Null | Data::Unknown(_) => "dynamic",
        Data::Bool(_) => "bool",
        Data::Number(_) => "number",
        Data::String(_) => "string",
        Data::Seq(_, _) => "tuple",
        Data::Map(_, _) => "object",
    }
}

/// A mapping key waiting for its value.
enum Key {
    Name(String),
    Merge(Marker),
}

/// An open collection in the loader's walk.
enum Frame {
    Seq {
        anchor: usize,
        items: Vec<Value>,
    },
    Map {
        anchor: usize,
        entries: BTreeMap<String, Value>,
        key: Option<Key>,
    },
}

struct Loader<'a> {
    src: &'a str,
    parser: Parser<std::str::Chars<'a>>,
    anchors: HashMap<usize, Value>,
    pending: HashSet<usize>,
}

impl<'a> Loader<'a> {
    fn next(&mut self) -> Result<(Event, Marker), String> {
        self.parser.next_token().map_err(|e| {
            let m = e.marker();
            let info = e.info();
            if info.contains("unknown anchor") {
                let name = self.anchor_name(m.index());
                return at(
                    m,
                    format!("reference to undefined anchor {}", go::quote(&name)),
                );
            }
            // The scanner's errors for tabs, worded as libyaml's (vendor/README.md): a
            // scanner error names the line after its mark's, and column 1
            // (go-cty-yaml's `parserErrorWrap`).
            if [
                "found character that cannot start any token",
                "found a tab character that violates indentation",
                "found a tab character where an indentation space is expected",
            ]
            .contains(&info)
            {
                let line = m.line().saturating_sub(1);
                return if line == 0 {
                    info.to_string()
                } else {
                    format!("on line {}, column 1: {info}", line + 1)
                };
            }
            // libyaml reports the problem without yaml-rust2's "while ..." context.
            let problem = match info.strip_prefix("while ") {
                Some(rest) => rest.split_once(", ").map_or(info, |(_, p)| p),
                None => info,
            };
            match problem.strip_prefix("expected ") {
                Some(what) => at(m, format!("did not find expected {what}")),
                None => at(m, problem),
            }
        })
    }

    /// The anchor name written after `*` at a byte offset of the source.
    fn anchor_name(&self, index: usize) -> String {
        let rest = self.src.get(index..).unwrap_or("");
        let rest = rest.strip_prefix('*').unwrap_or(rest);
        rest.chars()
            .take_while(|c| !c.is_whitespace() && !matches!(c, ',' | '[' | ']' | '{' | '}'))
            .collect()
    }

    /// A scalar in value position.
    fn scalar_value(
        &mut self,
        text: &str,
        style: TScalarStyle,
        anchor: usize,
        tag: &Option<Tag>,
        mark: &Marker,
    ) -> Result<Value, String> {
        let t = tag_string(tag);
        let quoted = matches!(
            style,
            TScalarStyle::SingleQuoted | TScalarStyle::DoubleQuoted
        );
        let v = match resolve_scalar(&t, text, quoted).map_err(|e| at(mark, e))? {
            Scalar::Merge => Value::string("<<"),
            // An untagged block scalar is a string even where it resolves to another
            // type (cty converts it back).
            Scalar::Val(v) if t.is_empty() && style != TScalarStyle::Plain => match &v.data {
                Data::Number(n) => Value::string(n.to_string()),
                Data::Bool(b) => Value::string(b.to_string()),
                _ => v,
            },
            Scalar::Val(v) => v,
        };
        self.complete(anchor, &v);
        Ok(v)
    }

    fn alias(&self, id: usize, mark: &Marker) -> Result<Value, String> {
        let name = || go::quote(&self.anchor_name(mark.index()));
        if self.pending.contains(&id) {
            return Err(at(
                mark,
                format!(
                    "cannot refer to anchor {} from inside its own definition",
                    name()
                ),
            ));
        }
        match self.anchors.get(&id) {
            Some(v) => Ok(v.clone()),
            None => Err(at(
                mark,
                format!("reference to undefined anchor {}", name()),
            )),
        }
    }

    /// A mapping key: its text, or the merge key with its position.
    fn key(
        &self,
        text: &str,
        style: TScalarStyle,
        tag: &Option<Tag>,
        mark: &Marker,
    ) -> Result<Key, String> {
        let quoted = matches!(
            style,
            TScalarStyle::SingleQuoted | TScalarStyle::DoubleQuoted
        );
        // go-cty-yaml reports key resolution errors without a position.
        Ok(match resolve_scalar(&tag_string(tag), text, quoted)? {
            Scalar::Merge => Key::Merge(*mark),
            Scalar::Val(k) => Key::Name(match k.data {
                Data::String(s) => s,
                Data::Number(n) => n.to_string(),
                Data::Bool(b) => b.to_string(),
                Data::Null => return Err(at(mark, "mapping key cannot be null")),
                _ => return Err(at(mark, "only strings are allowed as mapping keys")),
            }),
        })
    }

    /// The value starting with `first`, walked with an explicit stack so that deep
    /// nesting cannot exhaust the thread's stack.
    fn value(&mut self, first: (Event, Marker)) -> Result<Value, String> {
        let mut stack: Vec<Frame> = Vec::new();
        let mut next = Some(first);
        loop {
            let (ev, mark) = match next.take() {
                Some(x) => x,
                None => self.next()?,
            };
            let in_key_position = matches!(stack.last(), Some(Frame::Map { key: None, .. }));
            let done: Value = if in_key_position {
                match ev {
                    Event::MappingEnd => match stack.pop() {
                        Some(Frame::Map {
                            anchor, entries, ..
                        }) => {
                            let v = Value::object(entries);
                            self.complete(anchor, &v);
                            v
                        }
                        _ => return Err(at(&mark, "unexpected end of mapping")),
                    },
                    Event::Scalar(text, style, _, tag) => {
                        let k = self.key(&text, style, &tag, &mark)?;
                        if let Some(Frame::Map { key, .. }) = stack.last_mut() {
                            *key = Some(k);
                        }
                        continue;
                    }
                    _ => return Err(at(&mark, "only strings are allowed as mapping keys")),
                }
            } else {
                match ev {
                    Event::Scalar(text, style, anchor, tag) => {
                        self.scalar_value(&text, style, anchor, &tag, &mark)?
                    }
                    Event::Alias(id) => self.alias(id, &mark)?,
                    Event::MappingStart(anchor, tag) => {
                        let t = tag_string(&tag);
                        if !t.is_empty() && t != MAP_TAG {
                            return Err(at(&mark, format!("can't interpret mapping as {t}")));
                        }
                        self.open(anchor, &mark, stack.len())?;
                        stack.push(Frame::Map {
                            anchor,
                            entries: BTreeMap::new(),
                            key: None,
                        });
                        continue;
                    }
                    Event::SequenceStart(anchor, tag) => {
                        let t = tag_string(&tag);
                        if !t.is_empty() && t != SEQ_TAG {
                            return Err(at(&mark, format!("can't interpret sequence as {t}")));
                        }
                        self.open(anchor, &mark, stack.len())?;
                        stack.push(Frame::Seq {
                            anchor,
                            items: Vec::new(),
                        });
                        continue;
                    }
                    Event::SequenceEnd => match stack.pop() {
                        Some(Frame::Seq { anchor, items }) => {
                            let v = Value::tuple(items);
                            self.complete(anchor, &v);
                            v
                        }
                        _ => return Err(at(&mark, "unexpected end of sequence")),
                    },
                    Event::DocumentStart => {
                        return Err(at(&mark, "only a single document is allowed"));
                    }
                    Event::StreamEnd => {
                        return Err(at(&mark, "expecting value but found end of stream"));
                    }
                    other => return Err(at(&mark, format!("unexpected parser event {other:?}"))),
                }
            };
            // Hand the finished value to its parent.
            match stack.last_mut() {
                None => return Ok(done),
                Some(Frame::Seq { items, .. }) => items.push(done),
                Some(Frame::Map { entries, key, .. }) => match key.take() {
                    Some(Key::Name(k)) => {
                        entries.insert(k, done);
                    }
                    Some(Key::Merge(kmark)) => match done.data {
                        Data::Map(_, merged) => {
                            entries.extend(std::sync::Arc::unwrap_or_clone(merged))
                        }
                        _ => {
                            return Err(at(
                                &kmark,
                                format!("cannot merge {} into mapping", friendly(&done)),
                            ));
                        }
                    },
                    None => return Err(at(&mark, "only strings are allowed as mapping keys")),
                },
            }
        }
    }

    fn open(&mut self, anchor: usize, mark: &Marker, depth: usize) -> Result<(), String> {
        if depth >= super::json::MAX_DEPTH {
            return Err(at(mark, "exceeded max depth"));
        }
        if anchor != 0 {
            self.pending.insert(anchor);
        }
        Ok(())
    }

    fn complete(&mut self, anchor: usize, v: &Value) {
        if anchor != 0 {
            self.pending.remove(&anchor);
            self.anchors.insert(anchor, v.clone());
        }
    }
}

pub(super) fn decode(src: &str) -> Result<Value, String> {
    // go-cty-yaml parses an empty buffer as a single newline.
    let text = if src.is_empty() { "\n" } else { src };
    let mut l = Loader {
        src: text,
        parser: Parser::new_from_str(text),
        anchors: HashMap::new(),
        pending: HashSet::new(),
    };
    let (ev, mark) = l.next()?;
    if !matches!(ev, Event::StreamStart) {
        return Err(at(&mark, "missing stream start token"));
    }
    let (ev, mark) = l.next()?;
    if !matches!(ev, Event::DocumentStart) {
        return Err(at(&mark, "missing start of document"));
    }
    let first = l.next()?;
    let v = l.value(first)?;
    let (ev, mark) = l.next()?;
    match ev {
        Event::DocumentEnd => {}
        Event::DocumentStart => return Err(at(&mark, "only a single document is allowed")),
        other => {
            return Err(at(
                &mark,
                format!("unexpected extra content ({other:?}) after value"),
            ));
        }
    }
    let (ev, mark) = l.next()?;
    if !matches!(ev, Event::StreamEnd) {
        return Err(at(&mark, "unexpected extra content after value"));
    }
    Ok(v)
}

// ---------------------------------------------------------------------------------------
// Encoding: libyaml's emitter, for the events go-cty-yaml produces.

#[derive(Clone, Copy, PartialEq, Eq)]
enum Style {
    Plain,
    Single,
    Double,
    Literal,
}

/// The facts libyaml's `yaml_emitter_analyze_scalar` gathers.
struct Analysis {
    multiline: bool,
    flow_plain_allowed: bool,
    block_plain_allowed: bool,
    single_quoted_allowed: bool,
    block_allowed: bool,
}

fn is_break_char(c: char) -> bool {
    matches!(c, '\r' | '\n' | '\u{85}' | '\u{2028}' | '\u{2029}')
}

/// libyaml's `is_printable` for one character.
fn is_printable(c: char) -> bool {
    let u = c as u32;
    u == 0x0A
        || (0x20..=0x7E).contains(&u)
        || (0xA0..=0xD7FF).contains(&u)
        || ((0xE000..=0xFFFD).contains(&u) && u != 0xFEFF)
}

fn analyze(value: &str) -> Analysis {
    if value.is_empty() {
        return Analysis {
            multiline: false,
            flow_plain_allowed: false,
            block_plain_allowed: true,
            single_quoted_allowed: true,
            block_allowed: false,
        };
    }
    let mut block_ind = value.starts_with("---") || value.starts_with("...");
    let mut flow_ind = block_ind;
    let (mut line_breaks, mut special) = (false, false);
    let (mut leading_space, mut leading_break, mut trailing_space, mut trailing_break) =
        (false, false, false, false);
    let (mut break_space, mut space_break) = (false, false);
    let (mut prev_space, mut prev_break) = (false, false);
    let mut preceded_by_ws = true;
    let chars: Vec<char> = value.chars().collect();
    for (i, &c) in chars.iter().enumerate() {
        let next = chars.get(i + 1).copied();
        let followed_by_ws = next.is_none_or(|n| n == ' ' || n == '\t');
        if i == 0 {
            match c {
                '#' | ',' | '[' | ']' | '{' | '}' | '&' | '*' | '!' | '|' | '>' | '\'' | '"'
                | '%' | '@' | '`' => {
                    flow_ind = true;
                    block_ind = true;
                }
                '?' | ':' => {
                    flow_ind = true;
                    if followed_by_ws {
                        block_ind = true;
                    }
                }
                '-' if followed_by_ws => {
                    flow_ind = true;
                    block_ind = true;
                }
                _ => {}
            }
        } else {
            match c {
                ',' | '?' | '[' | ']' | '{' | '}' => flow_ind = true,
                ':' => {
                    flow_ind = true;
                    if followed_by_ws {
                        block_ind = true;
                    }
                }
                '#' if preceded_by_ws => {
                    flow_ind = true;
                    block_ind = true;
                }
                _ => {}
            }
        }
        if !is_printable(c) {
            special = true;
        }
        let last = i + 1 == chars.len();
        if c == ' ' {
            leading_space |= i == 0;
            trailing_space |= last;
            break_space |= prev_break;
            prev_space = true;
            prev_break = false;
        } else if is_break_char(c) {
            line_breaks = true;
            leading_break |= i == 0;
            trailing_break |= last;
            space_break |= prev_space;
            prev_space = false;
            prev_break = true;
        } else {
            prev_space = false;
            prev_break = false;
        }
        preceded_by_ws = matches!(c, ' ' | '\t') || is_break_char(c);
    }
    let mut a = Analysis {
        multiline: line_breaks,
        flow_plain_allowed: true,
        block_plain_allowed: true,
        single_quoted_allowed: true,
        block_allowed: true,
    };
    if leading_space || leading_break || trailing_space || trailing_break {
        a.flow_plain_allowed = false;
        a.block_plain_allowed = false;
    }
    if trailing_space {
        a.block_allowed = false;
    }
    if break_space {
        a.flow_plain_allowed = false;
        a.block_plain_allowed = false;
        a.single_quoted_allowed = false;
    }
    if space_break || special {
        a.flow_plain_allowed = false;
        a.block_plain_allowed = false;
        a.single_quoted_allowed = false;
        a.block_allowed = false;
    }
    if line_breaks {
        a.flow_plain_allowed = false;
        a.block_plain_allowed = false;
    }
    if flow_ind {
        a.flow_plain_allowed = false;
    }
    if block_ind {
        a.block_plain_allowed = false;
    }
    a
}

const BEST_INDENT: i64 = 2;
const BEST_WIDTH: usize = 80;

struct Emitter {
    out: String,
    column: usize,
    indent: i64,
    indents: Vec<i64>,
    whitespace: bool,
    indention: bool,
    open_ended: bool,
    flow_level: usize,
    root: bool,
    mapping: bool,
    simple_key: bool,
}

impl Emitter {
    fn put(&mut self, c: char) {
        self.out.push(c);
        self.column += 1;
    }

    fn put_break(&mut self) {
        self.out.push('\n');
        self.column = 0;
    }

    fn write_indent(&mut self) {
        let indent = self.indent.max(0) as usize;
        if !self.indention || self.column > indent || (self.column == indent && !self.whitespace) {
            self.put_break();
        }
        while self.column < indent {
            self.put(' ');
        }
        self.whitespace = true;
        self.indention = true;
    }

    fn indicator(&mut self, text: &str, need_ws: bool, is_ws: bool, is_indention: bool) {
        if need_ws && !self.whitespace {
            self.put(' ');
        }
        for c in text.chars() {
            self.put(c);
        }
        self.whitespace = is_ws;
        self.indention = self.indention && is_indention;
        self.open_ended = false;
    }

    fn increase_indent(&mut self, flow: bool, indentless: bool) {
        self.indents.push(self.indent);
        if self.indent < 0 {
            self.indent = if flow { BEST_INDENT } else { 0 };
        } else if !indentless {
            self.indent += BEST_INDENT;
        }
    }

    fn pop_indent(&mut self) {
        self.indent = self.indents.pop().unwrap_or(-1);
    }

    fn node(&mut self, v: &Value, root: bool, mapping: bool, simple_key: bool) {
        self.root = root;
        self.mapping = mapping;
        self.simple_key = simple_key;
        match &v.data {
            Data::Null | Data::Unknown(_) => self.scalar("null", Style::Plain),
            Data::Bool(b) => self.scalar(if *b { "true" } else { "false" }, Style::Plain),
            Data::Number(n) => self.scalar(&n.to_string(), Style::Plain),
            Data::String(s) => {
                let style = if s.contains('\n') {
                    Style::Literal
                } else {
                    Style::Double
                };
                self.scalar(s, style)
            }
            Data::Seq(_, items) if items.is_empty() => self.empty_flow("[", "]"),
            Data::Map(_, m) if m.is_empty() => self.empty_flow("{", "}"),
            Data::Seq(_, items) => {
                let indentless = self.mapping && !self.indention;
                self.increase_indent(false, indentless);
                for item in items.iter() {
                    self.write_indent();
                    self.indicator("-", true, false, true);
                    self.node(item, false, false, false);
                }
                self.pop_indent();
            }
            Data::Map(_, m) => {
                self.increase_indent(false, false);
                for (k, item) in m.iter() {
                    self.write_indent();
                    let key_multiline = k.chars().any(is_break_char);
                    let key = Value::string(k.clone());
                    if !key_multiline && k.len() <= 128 {
                        self.node(&key, false, true, true);
                        self.indicator(":", false, false, false);
                    } else {
                        self.indicator("?", true, false, true);
                        self.node(&key, false, true, false);
                        self.write_indent();
                        self.indicator(":", true, false, true);
                    }
                    self.node(item, false, true, false);
                }
                self.pop_indent();
            }
        }
    }

    fn empty_flow(&mut self, open: &str, close: &str) {
        self.indicator(open, true, true, false);
        // libyaml raises the indent and flow level for the (absent) items.
        self.increase_indent(true, false);
        self.pop_indent();
        self.indicator(close, false, false, false);
    }

    fn scalar(&mut self, value: &str, requested: Style) {
        let a = analyze(value);
        let mut style = requested;
        if self.simple_key && a.multiline {
            style = Style::Double;
        }
        if style == Style::Plain {
            let plain_ok = if self.flow_level > 0 {
                a.flow_plain_allowed
            } else {
                a.block_plain_allowed
            };
            if !plain_ok || (value.is_empty() && (self.flow_level > 0 || self.simple_key)) {
                style = Style::Single;
            }
        }
        if style == Style::Single && !a.single_quoted_allowed {
            style = Style::Double;
        }
        if style == Style::Literal && (!a.block_allowed || self.flow_level > 0 || self.simple_key) {
            style = Style::Double;
        }
        self.increase_indent(true, false);
        match style {
            Style::Plain => self.write_plain(value),
            Style::Single => self.write_single(value),
            Style::Double => self.write_double(value, !self.simple_key),
            Style::Literal => self.write_literal(value),
        }
        self.pop_indent();
    }

    fn write_plain(&mut self, value: &str) {
        if !self.whitespace {
            self.put(' ');
        }
        for c in value.chars() {
            self.put(c);
        }
        self.whitespace = false;
        self.indention = false;
        if self.root {
            self.open_ended = true;
        }
    }

    /// Only reached for plain scalars that need quoting; go-cty-yaml's plain scalars are
    /// numbers, booleans and null, which never do.
    fn write_single(&mut self, value: &str) {
        self.indicator("'", true, false, false);
        for c in value.chars() {
            if c == '\'' {
                self.put('\'');
            }
            self.put(c);
        }
        self.indicator("'", false, false, false);
        self.whitespace = false;
        self.indention = false;
    }

    fn write_double(&mut self, value: &str, allow_breaks: bool) {
        self.indicator("\"", true, false, false);
        let starts_with_bom = value.starts_with('\u{FEFF}');
        let chars: Vec<char> = value.chars().collect();
        let mut spaces = false;
        let mut i = 0;
        while let Some(&c) = chars.get(i) {
            if !is_printable(c) || starts_with_bom || is_break_char(c) || c == '"' || c == '\\' {
                self.put('\\');
                match c {
                    '\0' => self.put('0'),
                    '\u{7}' => self.put('a'),
                    '\u{8}' => self.put('b'),
                    '\t' => self.put('t'),
                    '\n' => self.put('n'),
                    '\u{b}' => self.put('v'),
                    '\u{c}' => self.put('f'),
                    '\r' => self.put('r'),
                    '\u{1b}' => self.put('e'),
                    '"' => self.put('"'),
                    '\\' => self.put('\\'),
                    '\u{85}' => self.put('N'),
                    '\u{a0}' => self.put('_'),
                    '\u{2028}' => self.put('L'),
                    '\u{2029}' => self.put('P'),
                    c => {
                        let u = c as u32;
                        let (marker, width) = if u <= 0xFF {
                            ('x', 2)
                        } else if u <= 0xFFFF {
                            ('u', 4)
                        } else {
                            ('U', 8)
                        };
                        self.put(marker);
                        for k in (0..width).rev() {
                            let d = (u >> (k * 4)) & 0xF;
                            self.put(char::from_digit(d, 16).unwrap_or('0').to_ascii_uppercase());
                        }
                    }
                }
                spaces = false;
            } else if c == ' ' {
                if allow_breaks
                    && !spaces
                    && self.column > BEST_WIDTH
                    && i > 0
                    && i + 1 < chars.len()
                {
                    self.write_indent();
                    if chars.get(i + 1) == Some(&' ') {
                        self.put('\\');
                    }
                } else {
                    self.put(c);
                }
                spaces = true;
            } else {
                self.put(c);
                spaces = false;
            }
            i += 1;
        }
        self.indicator("\"", false, false, false);
        self.whitespace = false;
        self.indention = false;
    }

    fn write_literal(&mut self, value: &str) {
        self.indicator("|", true, false, false);
        // Block scalar hints: an indentation indicator for leading space or break, and a
        // chomping indicator from the trailing breaks.
        let first = value.chars().next();
        if first.is_some_and(|c| c == ' ' || is_break_char(c)) {
            self.indicator(&BEST_INDENT.to_string(), false, false, false);
        }
        self.open_ended = false;
        let mut rev = value.chars().rev();
        let chomp = match rev.next() {
            None => Some('-'),
            Some(last) if !is_break_char(last) => Some('-'),
            Some(_) => match rev.next() {
                None => {
                    self.open_ended = true;
                    Some('+')
                }
                Some(prev) if is_break_char(prev) => {
                    self.open_ended = true;
                    Some('+')
                }
                Some(_) => None,
            },
        };
        // libyaml marks a kept (`+`) ending as open-ended, but writing the indicator
        // clears the mark again, so no `...` follows.
        if let Some(h) = chomp {
            self.indicator(&h.to_string(), false, false, false);
        }
        self.put_break();
        self.indention = true;
        self.whitespace = true;
        let mut breaks = true;
        for c in value.chars() {
            if is_break_char(c) {
                if c == '\n' {
                    self.put_break();
                } else {
                    self.out.push(c);
                    self.column = 0;
                }
                self.indention = true;
                breaks = true;
            } else {
                if breaks {
                    self.write_indent();
                }
                self.put(c);
                self.indention = false;
                breaks = false;
            }
        }
    }
}

pub(super) fn encode(v: &Value) -> String {
    let mut e = Emitter {
        out: String::new(),
        column: 0,
        indent: -1,
        indents: Vec::new(),
        whitespace: true,
        indention: true,
        open_ended: false,
        flow_level: 0,
        root: false,
        mapping: false,
        simple_key: false,
    };
    e.node(v, true, false, false);
    // Document end (implicit), then stream end.
    e.write_indent();
    if e.open_ended {
        e.indicator("...", true, false, false);
        e.write_indent();
    }
    e.out
}

#[cfg(test)]
mod tests {
    use crate::functions::testing::*;
    use crate::value::{Number, Value};

    fn yenc(v: Value) -> String {
        ok("yamlencode", vec![v])
            .as_str()
            .unwrap_or("<not a string>")
            .to_string()
    }

    #[test]
    fn yamldecode_documented_examples() {
        shows(
            &ok("yamldecode", vec![s("hello: world")]),
            r#"{ hello = "world" }"#,
        );
        shows(&ok("yamldecode", vec![s("true")]), "true");
        shows(
            &ok("yamldecode", vec![s("{a: &foo [1, 2, 3], b: *foo}")]),
            "{ a = [1, 2, 3], b = [1, 2, 3] }",
        );
        err(
            "yamldecode",
            vec![s("{a: &foo [1, *foo, 3]}")],
            "from inside its own definition",
        );
    }

    #[test]
    fn yamldecode_scalar_resolution() {
        let cases = [
            ("yes", "true"),
            ("Off", "false"),
            ("~", "null"),
            ("null", "null"),
            ("1_000", "1000"),
            ("0x1F", "31"),
            ("0o17", "15"),
            ("017", "17"),
            ("-12", "-12"),
            ("+5", "5"),
            ("1.5", "1.5"),
            (".5", "0.5"),
            ("1e3", "1000"),
            (".inf", "+Inf"),
            ("-.Inf", "-Inf"),
            ("0b101", r#""0b101""#),
            ("2001-12-14", r#""2001-12-14T00:00:00Z""#),
            (
                "2001-12-14t21:59:43.10-05:00",
                r#""2001-12-14T21:59:43-05:00""#,
            ),
            ("2001-12-14 21:59:43.10", r#""2001-12-14T21:59:43Z""#),
            ("2001-02-30", r#""2001-02-30""#),
            ("'yes'", r#""yes""#),
            ("\"1\"", r#""1""#),
            ("!!str 1", r#""1""#),
            ("!!int \"1\"", r#""1""#),
            ("!!float 1", "1"),
            ("!!bool yes", "true"),
            ("!!null whatever", "null"),
            ("!!binary aGk=", r#""aGk=""#),
            ("|\n  123\n", r#""123\n""#),
            ("|-\n  123\n", r#""123""#),
            (">-\n  1e3\n", r#""1000""#),
            ("<<", r#""<<""#),
            ("hello world", r#""hello world""#),
            ("- a\n- b: c\n", r#"["a", { b = "c" }]"#),
            (
                "1: one\ntrue: t\n~x: y",
                r#"{ "1" = "one", true = "t", "~x" = true }"#,
            ),
        ];
        for (src, want) in cases {
            let v = ok("yamldecode", vec![s(src)]);
            assert_eq!(v.to_string(), want, "yamldecode({src:?})");
        }
    }

    #[test]
    fn yamldecode_merge_keys_and_anchors() {
        let src = "base: &b {p: 1, q: 2}\nderived:\n  <<: *b\n  q: 3\n";
        shows(
            &ok("yamldecode", vec![s(src)]),
            "{ base = { p = 1, q = 2 }, derived = { p = 1, q = 3 } }",
        );
        // YAML 1.1 booleans resolve even as keys, as go-cty-yaml does.
        shows(&ok("yamldecode", vec![s("y: 1")]), "{ true = 1 }");
        err(
            "yamldecode",
            vec![s("a: &x [1, *x]")],
            r#"cannot refer to anchor \"x\" from inside its own definition"#,
        );
        err(
            "yamldecode",
            vec![s("a: 1\nb:\n  <<: [1]\n")],
            "on line 2, column 3: cannot merge tuple into mapping",
        );
        err(
            "yamldecode",
            vec![s("a: *nope")],
            r#"reference to undefined anchor \"nope\""#,
        );
    }

    #[test]
    fn yamldecode_errors() {
        err(
            "yamldecode",
            vec![s("a: 1\n---\nb: 2\n")],
            "on line 1, column 1: unexpected extra content after value",
        );
        err(
            "yamldecode",
            vec![s("")],
            "on line 1, column 1: missing start of document",
        );
        err(
            "yamldecode",
            vec![s("a: .nan")],
            "floating point NaN is not supported",
        );
        err(
            "yamldecode",
            vec![s("x: !foo bar")],
            r#"unsupported tag \"!foo\""#,
        );
        err(
            "yamldecode",
            vec![s("!!int abc")],
            r#"cannot parse \"abc\" as tag:yaml.org,2002:int"#,
        );
        err("yamldecode", vec![s("!!binary 'a!'")], "not valid base64");
        err(
            "yamldecode",
            vec![s("x: +")],
            r#"cannot parse \"+\" as tag:yaml.org,2002:int"#,
        );
        err(
            "yamldecode",
            vec![s("? [a]\n: b\n")],
            "only strings are allowed as mapping keys",
        );
        err("yamldecode", vec![s("~: 1")], "mapping key cannot be null");
        err(
            "yamldecode",
            vec![s("{a: !not-supported foo}")],
            r#"unsupported tag \"!not-supported\""#,
        );
        err(
            "yamldecode",
            vec![s("!!map [1]")],
            "can't interpret sequence as tag:yaml.org,2002:map",
        );
        err(
            "yamldecode",
            vec![s("a: [1")],
            "on line 1, column 1: did not find expected ',' or ']'",
        );
        err(
            "yamldecode",
            vec![s("- a\nb: c")],
            "on line 1, column 1: did not find expected '-' indicator",
        );
        err(
            "yamldecode",
            vec![s("a: b: c")],
            "mapping values are not allowed in this context",
        );
        // The walk stops flow and block nesting alike beyond tglint's nesting limit.
        on_big_stack(|| {
            err(
                "yamldecode",
                vec![s(&"[".repeat(1100))],
                "exceeded max depth",
            );
            let deep = format!("{}x", "- ".repeat(1100));
            err("yamldecode", vec![s(&deep)], "exceeded max depth");
        });
        assert!(!ok("yamldecode", vec![Value::unknown("u")]).is_known());
    }

    /// Tabs as go-yaml v2's scanner (libyaml's) takes them: whitespace inside a line, in
    /// flow collections and after a simple key's `:`; an error as indentation, after `-`,
    /// `?` or a complex key's `:` and in a block scalar's indentation. Every case checked
    /// against `terraform console` (`jsonencode(yamldecode(...))`).
    #[test]
    fn yamldecode_tabs_as_go_yaml() {
        let cases: &[(&str, bool, &str)] = &[
            ("a:\tb", true, "{\"a\":\"b\"}"),
            (
                "\ta: 1",
                false,
                "found character that cannot start any token",
            ),
            (
                "a: 1\n\tb: 2",
                false,
                "on line 2, column 1: found a tab character that violates indentation",
            ),
            ("a:\t1\nb:\t\"x\"", true, "{\"a\":1,\"b\":\"x\"}"),
            ("-\ta", false, "found character that cannot start any token"),
            (
                "- a\n-\tb",
                false,
                "on line 2, column 1: found character that cannot start any token",
            ),
            ("{a:\t1}", true, "{\"a\":1}"),
            ("{a: 1,\tb: 2}", true, "{\"a\":1,\"b\":2}"),
            ("[\t1,\t2\t]", true, "[1,2]"),
            ("a: b\t", true, "{\"a\":\"b\"}"),
            ("a: b\t\t", true, "{\"a\":\"b\"}"),
            ("a: b\t# c", true, "{\"a\":\"b\"}"),
            ("a: b \t# c", true, "{\"a\":\"b\"}"),
            ("a: \"x\ty\"", true, "{\"a\":\"x\\ty\"}"),
            ("a: 'x\ty'", true, "{\"a\":\"x\\ty\"}"),
            ("a: x\ty", true, "{\"a\":\"x\\ty\"}"),
            ("a: |\n  x\ty\n", true, "{\"a\":\"x\\ty\\n\"}"),
            (
                "a: |\n  \tx\n",
                false,
                "on line 2, column 1: found a tab character where an indentation space is expected",
            ),
            (
                "a: |\n\tx\n",
                false,
                "on line 2, column 1: found a tab character where an indentation space is expected",
            ),
            ("a: |\t\n  x\n", true, "{\"a\":\"x\\n\"}"),
            ("a: >\n  x\ty\n  z\n", true, "{\"a\":\"x\\ty z\\n\"}"),
            (
                "a:\n\t- 1",
                false,
                "on line 2, column 1: found character that cannot start any token",
            ),
            (
                "a:\n  - 1\n\t",
                false,
                "on line 3, column 1: found a tab character that violates indentation",
            ),
            (
                "a: 1\n\t\nb: 2",
                false,
                "on line 2, column 1: found a tab character that violates indentation",
            ),
            (
                "a: 1\n\t# c\nb: 2",
                false,
                "on line 2, column 1: found a tab character that violates indentation",
            ),
            (
                "\t# c\na: 1",
                false,
                "found character that cannot start any token",
            ),
            ("a: 1\t\nb: 2", true, "{\"a\":1,\"b\":2}"),
            ("a\t: 1", true, "{\"a\":1}"),
            (
                "? a\n:\tb",
                false,
                "on line 2, column 1: found character that cannot start any token",
            ),
            (
                "?\ta\n: b",
                false,
                "found character that cannot start any token",
            ),
            ("a: b\n  \tc", true, "{\"a\":\"b c\"}"),
            (
                "a: b\n\tc",
                false,
                "on line 2, column 1: found a tab character that violates indentation",
            ),
            (
                "a:\n  b\n\tc",
                false,
                "on line 3, column 1: found a tab character that violates indentation",
            ),
            ("a: \"x\n\ty\"", true, "{\"a\":\"x y\"}"),
            ("a: 'x\n\ty'", true, "{\"a\":\"x y\"}"),
            ("\t1", false, "found character that cannot start any token"),
            ("1\t", true, "1"),
            (
                "- \ta",
                false,
                "found character that cannot start any token",
            ),
            ("a: \t b", true, "{\"a\":\"b\"}"),
            ("a:\t\n  b: 1", true, "{\"a\":{\"b\":1}}"),
            (
                "a:\t\n\tb: 1",
                false,
                "on line 2, column 1: found character that cannot start any token",
            ),
            ("a: [1,\n\t2]", true, "{\"a\":[1,2]}"),
            ("a: {b: 1,\n\tc: 2}", true, "{\"a\":{\"b\":1,\"c\":2}}"),
            ("[1,\n\t2]", true, "[1,2]"),
            ("--- \t1", true, "1"),
            ("---\t1", true, "1"),
            ("a: &x\t1\nb: *x", true, "{\"a\":1,\"b\":1}"),
            ("a: !!str\t1", true, "{\"a\":\"1\"}"),
            (
                "a: b\n\n\tc: d",
                false,
                "on line 3, column 1: found a tab character that violates indentation",
            ),
            (
                "key: value\n\t\t",
                false,
                "on line 2, column 1: found a tab character that violates indentation",
            ),
            (
                "- - a\n  -\tb",
                false,
                "on line 2, column 1: found character that cannot start any token",
            ),
            ("a:\n  b:\tc", true, "{\"a\":{\"b\":\"c\"}}"),
            (
                "a:\n  b: c\n\t d: e",
                false,
                "on line 3, column 1: found a tab character that violates indentation",
            ),
            ("a:    b\t\t# comment\n", true, "{\"a\":\"b\"}"),
        ];
        let mut wrong = Vec::new();
        for &(text, good, want) in cases {
            let got = match call("yamldecode", vec![s(text)]) {
                Ok(v) => crate::json::encode(&v, &crate::json::TERRAFORM),
                Err(crate::functions::CallError::Call(msg)) => Err(msg),
                Err(e) => Err(format!("{e:?}")),
            };
            let agrees = match (&got, good) {
                (Ok(j), true) => j == want,
                (Err(e), false) => e == want,
                _ => false,
            };
            if !agrees {
                wrong.push(format!("{text:?}: got {got:?}, want {want}"));
            }
        }
        assert!(wrong.is_empty(), "{}", wrong.join("\n"));
    }

    #[test]
    fn yamlencode_documented_examples() {
        assert_eq!(
            yenc(obj(vec![("a", s("b")), ("c", s("d"))])),
            "\"a\": \"b\"\n\"c\": \"d\"\n"
        );
        assert_eq!(
            yenc(obj(vec![
                ("foo", Value::tuple(vec![n(1), n(2), n(3)])),
                ("bar", s("baz"))
            ])),
            "\"bar\": \"baz\"\n\"foo\":\n- 1\n- 2\n- 3\n"
        );
        assert_eq!(
            yenc(obj(vec![
                (
                    "foo",
                    Value::tuple(vec![n(1), obj(vec![("a", s("b")), ("c", s("d"))]), n(3)])
                ),
                ("bar", s("baz"))
            ])),
            "\"bar\": \"baz\"\n\"foo\":\n- 1\n- \"a\": \"b\"\n  \"c\": \"d\"\n- 3\n"
        );
    }

    #[test]
    fn yamlencode_scalars_and_nesting() {
        assert_eq!(yenc(n(1)), "1\n...\n");
        assert_eq!(yenc(Value::bool(true)), "true\n...\n");
        assert_eq!(yenc(Value::null()), "null\n...\n");
        assert_eq!(yenc(s("hello")), "\"hello\"\n");
        assert_eq!(yenc(s("")), "\"\"\n");
        assert_eq!(yenc(s("a\nb")), "|-\n  a\n  b\n");
        assert_eq!(yenc(s("a\nb\n")), "|\n  a\n  b\n");
        assert_eq!(yenc(s("a\n\n")), "|+\n  a\n\n");
        assert_eq!(yenc(s(" a\nb")), "|2-\n   a\n  b\n");
        assert_eq!(yenc(s("a \nb")), "\"a \\nb\"\n");
        assert_eq!(yenc(s("tab\there")), "\"tab\\there\"\n");
        assert_eq!(yenc(s("é😀\u{1}")), "\"é\\U0001F600\\x01\"\n");
        assert_eq!(yenc(tup(vec![])), "[]\n");
        assert_eq!(yenc(obj(vec![])), "{}\n");
        assert_eq!(
            yenc(obj(vec![("a", Value::tuple(vec![])), ("b", obj(vec![]))])),
            "\"a\": []\n\"b\": {}\n"
        );
        assert_eq!(
            yenc(Value::tuple(vec![
                Value::tuple(vec![n(1), n(2)]),
                obj(vec![("k", obj(vec![("x", Value::float(1.5))]))])
            ])),
            "- - 1\n  - 2\n- \"k\":\n    \"x\": 1.5\n"
        );
        assert_eq!(
            yenc(obj(vec![("k", s("line1\nline2"))])),
            "\"k\": |-\n  line1\n  line2\n"
        );
        assert_eq!(yenc(obj(vec![("a\nb", n(1))])), "? |-\n  a\n  b\n: 1\n");
        assert_eq!(yenc(Value::number(Number::infinity(false))), "+Inf\n...\n");
        let nested = Value::tuple(vec![Value::unknown("later")]);
        assert!(!ok("yamlencode", vec![nested]).is_known());
    }

    #[test]
    fn yamlencode_folds_long_strings() {
        let long = "word ".repeat(30);
        let long = long.trim_end();
        let out = yenc(obj(vec![("k", s(long))]));
        assert!(out.lines().count() > 1, "{out}");
        assert!(out.lines().all(|l| l.len() <= 90), "{out}");
        let back = ok("yamldecode", vec![s(&out)]);
        shows(&back, &format!("{{ k = \"{long}\" }}"));
    }

    #[test]
    fn yaml_round_trips() {
        let v = obj(vec![
            (
                "list",
                Value::tuple(vec![s("a"), n(2), Value::bool(false), Value::null()]),
            ),
            ("text", s("multi\nline\n")),
            ("quoted", s("yes")),
            ("num", s("12")),
        ]);
        let text = yenc(v.clone());
        let back = ok("yamldecode", vec![s(&text)]);
        assert!(back.same(&v), "{text}\n{back}");
    }
}
