//! `jsondecode` and `jsonencode` as cty's `ctyjson` does them over Go's `encoding/json`.
//!
//! Decoding follows `json.Decoder.Token`'s state machine and scanner so that errors read
//! as Terraform's do ("invalid character 'x' after object key", "unexpected EOF", bare
//! "EOF" when input ends between tokens). Objects become objects (a repeated key keeps its
//! last value), arrays tuples, `null` null; numbers are `i64` where exact, else `f64`.
//!
//! Encoding writes compact JSON with keys in lexical order and Go's escaping, which also
//! escapes `<`, `>`, `&`, U+2028 and U+2029.

use crate::go;
use crate::value::{Number, Value};
use std::collections::BTreeMap;

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum State {
    TopValue,
    ArrayStart,
    ArrayValue,
    ArrayComma,
    ObjectStart,
    ObjectKey,
    ObjectColon,
    ObjectValue,
    ObjectComma,
}

enum Tok {
    Open(u8),
    Close(u8),
    Str(String),
    Num(String),
    Bool(bool),
    Null,
}

fn invalid(c: u8, context: &str) -> String {
    format!("invalid character {} {context}", go::json_quote_char(c))
}

const UNEXPECTED_EOF: &str = "unexpected EOF";

/// How deeply arrays and objects may nest: as deep as HCL expressions may (hcl-edit's
/// parser limit). Go's limit is 10000; ours is lower to keep the recursive walks of the
/// value (conversion, encoding, drop) well inside a worker thread's stack.
pub(super) const MAX_DEPTH: usize = crate::parse::MAX_NESTING;

struct Decoder<'a> {
    b: &'a [u8],
    pos: usize,
    state: State,
    stack: Vec<State>,
}

impl Decoder<'_> {
    fn peek(&mut self) -> Option<u8> {
        while let Some(&c) = self.b.get(self.pos) {
            if matches!(c, b' ' | b'\t' | b'\r' | b'\n') {
                self.pos += 1;
            } else {
                return Some(c);
            }
        }
        None
    }

    fn value_allowed(&self) -> bool {
        matches!(
            self.state,
            State::TopValue | State::ArrayStart | State::ArrayValue | State::ObjectValue
        )
    }

    fn value_end(&mut self) {
        match self.state {
            State::ArrayStart | State::ArrayValue => self.state = State::ArrayComma,
            State::ObjectValue => self.state = State::ObjectComma,
            _ => {}
        }
    }

    fn token_error(&self, c: u8) -> String {
        let context = match self.state {
            State::TopValue | State::ArrayStart | State::ArrayValue | State::ObjectValue => {
                "looking for beginning of value"
            }
            State::ArrayComma => "after array element",
            State::ObjectKey => "looking for beginning of object key string",
            State::ObjectColon => "after object key",
            State::ObjectComma => "after object key:value pair",
            // Go's tokenError has no wording for this state.
            State::ObjectStart => return format!("invalid character {}", go::json_quote_char(c)),
        };
        invalid(c, context)
    }

    fn pop(&mut self) {
        self.state = self.stack.pop().unwrap_or(State::TopValue);
        self.value_end();
    }

    /// `json.Decoder.Token`.
    fn token(&mut self) -> Result<Tok, String> {
        loop {
            let Some(c) = self.peek() else {
                return Err("EOF".into());
            };
            match c {
                b'[' | b'{' => {
                    if !self.value_allowed() {
                        return Err(self.token_error(c));
                    }
                    if self.stack.len() >= MAX_DEPTH {
                        return Err("exceeded max depth".into());
                    }
                    self.pos += 1;
                    self.stack.push(self.state);
                    self.state = if c == b'[' {
                        State::ArrayStart
                    } else {
                        State::ObjectStart
                    };
                    return Ok(Tok::Open(c));
                }
                b']' => {
                    if !matches!(self.state, State::ArrayStart | State::ArrayComma) {
                        return Err(self.token_error(c));
                    }
                    self.pos += 1;
                    self.pop();
                    return Ok(Tok::Close(c));
                }
                b'}' => {
                    if !matches!(self.state, State::ObjectStart | State::ObjectComma) {
                        return Err(self.token_error(c));
                    }
                    self.pos += 1;
                    self.pop();
                    return Ok(Tok::Close(c));
                }
                b':' => {
                    if self.state != State::ObjectColon {
                        return Err(self.token_error(c));
                    }
                    self.pos += 1;
                    self.state = State::ObjectValue;
                }
                b',' => match self.state {
                    State::ArrayComma => {
                        self.pos += 1;
                        self.state = State::ArrayValue;
                    }
                    State::ObjectComma => {
                        self.pos += 1;
                        self.state = State::ObjectKey;
                    }
                    _ => return Err(self.token_error(c)),
                },
                b'"' if matches!(self.state, State::ObjectStart | State::ObjectKey) => {
                    let s = self.scan_string()?;
                    self.state = State::ObjectColon;
                    return Ok(Tok::Str(s));
                }
                _ => {
                    if !self.value_allowed() {
                        return Err(self.token_error(c));
                    }
                    let t = self.scan_scalar()?;
                    self.value_end();
                    return Ok(t);
                }
            }
        }
    }

    /// `json.Decoder.More` after the top-level value.
    fn more(&mut self) -> bool {
        matches!(self.peek(), Some(c) if c != b']' && c != b'}')
    }

    fn next_byte(&mut self) -> Result<u8, String> {
        let c = *self.b.get(self.pos).ok_or(UNEXPECTED_EOF)?;
        self.pos += 1;
        Ok(c)
    }

    fn scan_scalar(&mut self) -> Result<Tok, String> {
        let c = self.b.get(self.pos).copied().ok_or(UNEXPECTED_EOF)?;
        match c {
            b'"' => self.scan_string().map(Tok::Str),
            b'-' | b'0'..=b'9' => self.scan_number().map(Tok::Num),
            b't' => self.scan_literal(b"true", "true").map(|_| Tok::Bool(true)),
            b'f' => self
                .scan_literal(b"false", "false")
                .map(|_| Tok::Bool(false)),
            b'n' => self.scan_literal(b"null", "null").map(|_| Tok::Null),
            _ => Err(invalid(c, "looking for beginning of value")),
        }
    }

    fn scan_literal(&mut self, word: &[u8], name: &str) -> Result<(), String> {
        self.pos += 1;
        for &want in word.iter().skip(1) {
            let c = self.next_byte()?;
            if c != want {
                return Err(invalid(
                    c,
                    &format!(
                        "in literal {name} (expecting {})",
                        go::json_quote_char(want)
                    ),
                ));
            }
        }
        Ok(())
    }

    fn digits(&mut self) -> usize {
        let start = self.pos;
        while self.b.get(self.pos).is_some_and(u8::is_ascii_digit) {
            self.pos += 1;
        }
        self.pos - start
    }

    fn scan_number(&mut self) -> Result<String, String> {
        let start = self.pos;
        if self.b.get(self.pos) == Some(&b'-') {
            self.pos += 1;
            match self.b.get(self.pos) {
                None => return Err(UNEXPECTED_EOF.into()),
                Some(c) if c.is_ascii_digit() => {}
                Some(&c) => return Err(invalid(c, "in numeric literal")),
            }
        }
        if self.b.get(self.pos) == Some(&b'0') {
            self.pos += 1;
        } else {
            self.digits();
        }
        if self.b.get(self.pos) == Some(&b'.') {
            self.pos += 1;
            match self.b.get(self.pos) {
                None => return Err(UNEXPECTED_EOF.into()),
                Some(c) if c.is_ascii_digit() => {}
                Some(&c) => return Err(invalid(c, "after decimal point in numeric literal")),
            }
            self.digits();
        }
        if matches!(self.b.get(self.pos), Some(b'e' | b'E')) {
            self.pos += 1;
            if matches!(self.b.get(self.pos), Some(b'+' | b'-')) {
                self.pos += 1;
            }
            match self.b.get(self.pos) {
                None => return Err(UNEXPECTED_EOF.into()),
                Some(c) if c.is_ascii_digit() => {}
                Some(&c) => return Err(invalid(c, "in exponent of numeric literal")),
            }
            self.digits();
        }
        Ok(String::from_utf8_lossy(self.b.get(start..self.pos).unwrap_or(&[])).into_owned())
    }

    fn hex4(&mut self) -> Result<u32, String> {
        let mut v = 0u32;
        for _ in 0..4 {
            let c = self.next_byte()?;
            let d = char::from(c)
                .to_digit(16)
                .ok_or_else(|| invalid(c, "in \\u hexadecimal character escape"))?;
            v = v * 16 + d;
        }
        Ok(v)
    }

    /// A string literal, validated as Go's scanner does and decoded as its `unquote`
    /// does (lone surrogates become U+FFFD).
    fn scan_string(&mut self) -> Result<String, String> {
        self.pos += 1;
        let mut out: Vec<u8> = Vec::new();
        let mut pending_high: Option<u32> = None;
        let flush_high = |out: &mut Vec<u8>, p: &mut Option<u32>| {
            if p.take().is_some() {
                out.extend_from_slice("\u{FFFD}".as_bytes());
            }
        };
        loop {
            let c = self.next_byte()?;
            match c {
                b'"' => {
                    flush_high(&mut out, &mut pending_high);
                    return Ok(String::from_utf8_lossy(&out).into_owned());
                }
                b'\\' => {
                    let e = self.next_byte()?;
                    let simple = match e {
                        b'"' => Some(b'"'),
                        b'\\' => Some(b'\\'),
                        b'/' => Some(b'/'),
                        b'b' => Some(8),
                        b'f' => Some(12),
                        b'n' => Some(b'\n'),
                        b'r' => Some(b'\r'),
                        b't' => Some(b'\t'),
                        b'u' => None,
                        _ => return Err(invalid(e, "in string escape code")),
                    };
                    if let Some(s) = simple {
                        flush_high(&mut out, &mut pending_high);
                        out.push(s);
                        continue;
                    }
                    let u = self.hex4()?;
                    if (0xDC00..0xE000).contains(&u) {
                        if let Some(h) = pending_high.take() {
                            let cp = 0x10000 + ((h - 0xD800) << 10) + (u - 0xDC00);
                            let ch = char::from_u32(cp).unwrap_or('\u{FFFD}');
                            out.extend_from_slice(ch.to_string().as_bytes());
                        } else {
                            out.extend_from_slice("\u{FFFD}".as_bytes());
                        }
                    } else if (0xD800..0xDC00).contains(&u) {
                        flush_high(&mut out, &mut pending_high);
                        pending_high = Some(u);
                    } else {
                        flush_high(&mut out, &mut pending_high);
                        let ch = char::from_u32(u).unwrap_or('\u{FFFD}');
                        out.extend_from_slice(ch.to_string().as_bytes());
                    }
                }
                c if c < 0x20 => return Err(invalid(c, "in string literal")),
                c => {
                    flush_high(&mut out, &mut pending_high);
                    out.push(c);
                }
            }
        }
    }

    /// cty's implied-type walk, building the value as it goes.
    fn value_for(&mut self, tok: Tok) -> Result<Value, String> {
        match tok {
            Tok::Null => Ok(Value::null()),
            Tok::Bool(b) => Ok(Value::bool(b)),
            Tok::Str(s) => Ok(Value::string(s)),
            Tok::Num(n) => Ok(Value::number(parse_number(&n)?)),
            Tok::Open(b'[') => {
                let mut items = Vec::new();
                loop {
                    match self.token()? {
                        Tok::Close(b']') => return Ok(Value::tuple(items)),
                        t => items.push(self.value_for(t)?),
                    }
                }
            }
            Tok::Open(_) => {
                let mut m = BTreeMap::new();
                loop {
                    let key = match self.token()? {
                        Tok::Close(b'}') => return Ok(Value::object(m)),
                        Tok::Str(k) => k,
                        // Token only yields a key string or '}' in these states.
                        _ => return Err("expected string but found a non-string token".into()),
                    };
                    let t = self.token()?;
                    let v = self.value_for(t)?;
                    m.insert(key, v);
                }
            }
            Tok::Close(c) => Err(format!("unexpected token {}", go::json_quote_char(c))),
        }
    }
}

/// cty parses a JSON number with `ParseNumberVal` (512 bits; `-0` keeps its sign). Only
/// an exponent beyond big.Float's range fails.
fn parse_number(text: &str) -> Result<Number, String> {
    Number::parse(text).ok_or_else(|| format!("invalid number {text}: exponent overflow"))
}

pub(super) fn decode(src: &str) -> Result<Value, String> {
    let mut d = Decoder {
        b: src.as_bytes(),
        pos: 0,
        state: State::TopValue,
        stack: Vec::new(),
    };
    let t = d.token()?;
    let v = d.value_for(t)?;
    if d.more() {
        return Err("extraneous data after JSON object".into());
    }
    Ok(v)
}

pub(super) fn encode(v: &Value) -> Result<String, String> {
    crate::json::encode(v, &crate::json::TERRAFORM)
}

#[cfg(test)]
mod tests {
    use crate::functions::testing::*;
    use crate::value::{Number, Value};

    /// big.Float keeps the sign of zero, so cty's JSON decoder does (checked against
    /// `terraform console`: `jsonencode(jsondecode("-0"))` is `"-0"`).
    #[test]
    fn jsondecode_keeps_negative_zero() {
        for t in ["-0", "-0.0", "-0e5"] {
            shows(&ok("jsondecode", vec![s(t)]), "-0");
            shows(
                &ok("jsonencode", vec![ok("jsondecode", vec![s(t)])]),
                r#""-0""#,
            );
        }
        shows(&ok("jsondecode", vec![s("0")]), "0");
        shows(&ok("jsondecode", vec![s("0.0")]), "0");
    }

    #[test]
    fn jsondecode_documented_examples() {
        shows(
            &ok("jsondecode", vec![s(r#"{"hello": "world"}"#)]),
            r#"{ hello = "world" }"#,
        );
        shows(&ok("jsondecode", vec![s("true")]), "true");
        shows(&ok("jsondecode", vec![s("null")]), "null");
        shows(
            &ok(
                "jsondecode",
                vec![s(r#"[1, 2.5, -3e2, "x", null, {}, []]"#)],
            ),
            r#"[1, 2.5, -300, "x", null, {}, []]"#,
        );
        shows(
            &ok("jsondecode", vec![s(r#"{"a":1,"a":2,"b":{"c":[true]}}"#)]),
            "{ a = 2, b = { c = [true] } }",
        );
        shows(
            &ok("jsondecode", vec![s(r#""\u00e9\ud83d\ude00\ud800x\n\/""#)]),
            "\"é😀\u{fffd}x\\n/\"",
        );
        shows(
            &ok("jsondecode", vec![s("9007199254740993")]),
            "9007199254740993",
        );
        shows(&ok("jsondecode", vec![s("  1  ")]), "1");
        // Go's Decoder.More stops at a closing bracket.
        shows(&ok("jsondecode", vec![s("1 ]")]), "1");
        let big = ok("jsondecode", vec![s("1e400")]);
        assert!(big.as_number().is_some_and(|n| n.as_f64().is_infinite()));
    }

    #[test]
    fn jsondecode_errors_read_like_go() {
        let cases = [
            ("", "EOF"),
            ("   ", "EOF"),
            ("[", "EOF"),
            ("[1,", "EOF"),
            ("{\"a\":", "EOF"),
            ("tru", "unexpected EOF"),
            ("\"abc", "unexpected EOF"),
            ("-", "unexpected EOF"),
            ("x", "invalid character 'x' looking for beginning of value"),
            ("[1 2]", "invalid character '2' after array element"),
            (
                "[1,]",
                "invalid character ']' looking for beginning of value",
            ),
            ("{1:2}", "invalid character '1'\")"),
            ("{\"a\" 1}", "invalid character '1' after object key"),
            (
                "{\"a\":1 \"b\":2}",
                "invalid character '\\\"' after object key:value pair",
            ),
            (
                "{\"a\":1,}",
                "invalid character '}' looking for beginning of object key string",
            ),
            (
                "trux",
                "invalid character 'x' in literal true (expecting 'e')",
            ),
            ("nul", "unexpected EOF"),
            ("\"a\\x\"", "invalid character 'x' in string escape code"),
            (
                "\"\\u12g4\"",
                "invalid character 'g' in \\\\u hexadecimal character escape",
            ),
            ("\"a\tb\"", "invalid character '\\\\t' in string literal"),
            ("-x", "invalid character 'x' in numeric literal"),
            (
                "1.x",
                "invalid character 'x' after decimal point in numeric literal",
            ),
            (
                "1ex",
                "invalid character 'x' in exponent of numeric literal",
            ),
            ("{} {}", "extraneous data after JSON object"),
            ("01", "extraneous data after JSON object"),
            ("]", "invalid character ']' looking for beginning of value"),
            ("é", "invalid character 'Ã' looking for beginning of value"),
        ];
        for (src, want) in cases {
            err("jsondecode", vec![s(src)], want);
        }
        on_big_stack(|| {
            err(
                "jsondecode",
                vec![s(&"[".repeat(1025))],
                "exceeded max depth",
            )
        });
    }

    #[test]
    fn jsonencode_documented_examples() {
        shows(
            &ok("jsonencode", vec![obj(vec![("hello", s("world"))])]),
            r#""{\"hello\":\"world\"}""#,
        );
        let v = ok(
            "jsonencode",
            vec![obj(vec![
                (
                    "b",
                    Value::tuple(vec![
                        n(1),
                        Value::float(2.5),
                        Value::bool(true),
                        Value::null(),
                    ]),
                ),
                ("a", s("<&>\u{2028}\u{1}\t\"\\é")),
            ])],
        );
        assert_eq!(
            v.as_str(),
            Some(r#"{"a":"\u003c\u0026\u003e\u2028\u0001\t\"\\é","b":[1,2.5,true,null]}"#)
        );
        assert_eq!(ok("jsonencode", vec![Value::null()]).as_str(), Some("null"));
        assert_eq!(
            ok("jsonencode", vec![Value::float(1e21)]).as_str(),
            Some("1000000000000000000000")
        );
        assert_eq!(
            ok("jsonencode", vec![Value::float(0.1)]).as_str(),
            Some("0.1")
        );
        assert_eq!(
            ok("jsonencode", vec![Value::set(vec![s("b"), s("a")])]).as_str(),
            Some(r#"["a","b"]"#)
        );
        err(
            "jsonencode",
            vec![Value::number(Number::infinity(false))],
            "cannot serialize infinity as JSON",
        );
        let nested = Value::tuple(vec![n(1), Value::unknown("later")]);
        let r = ok("jsonencode", vec![nested]);
        assert!(!r.is_known());
        assert!(r.to_string().contains("later"));
        assert!(!ok("jsonencode", vec![Value::unknown("u")]).is_known());
    }

    #[test]
    fn json_round_trips() {
        let src = r#"{"a":[1,"two",{"three":3.5}],"b":null,"c":false,"d":"\u003c"}"#;
        let v = ok("jsondecode", vec![s(src)]);
        assert_eq!(ok("jsonencode", vec![v]).as_str(), Some(src));
    }
}
