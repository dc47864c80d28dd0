//! Terraform v0.15.3's `format` and `formatlist` (cty's `FormatFunc`/`FormatListFunc`).
//!
//! The specification is scanned as cty's state machine scans it:
//! `%` flags(`0#-+ `)* width([1-9][0-9]*)? (`.` [0-9]*)? (`[` n `]`)? letter.
//! There is no `*` width. Strings are padded and truncated by cty itself, counting
//! grapheme clusters; numbers go through Go's `fmt` with `*big.Int`/`*big.Float`, whose
//! output (rounding half to even on the exact value, `%g` switching to an exponent,
//! `%!(NOVERB)` for absurd widths) is reproduced here.

use super::strings::{MAX_RESULT_LEN, graphemes, too_large};
use super::{Functions, Param, unknown_in};
use crate::error::FnError;
use crate::go;
use crate::value::{Data, Number, Value};
use std::fmt::Write as _;

pub(crate) fn register(f: &mut Functions) {
    f.add(
        "format",
        &[Param::new("format")],
        Some(Param::new("args").nullable()),
        |_, args| {
            let spec = format_arg(&args)?;
            let vals: Vec<&Value> = args.iter().skip(1).collect();
            if let Some(u) = unknown_in(args.get(1..).unwrap_or_default()) {
                // Only wholly known values can be printed (collections print as JSON).
                return Ok(u);
            }
            match format_values(&spec, &vals) {
                Ok(s) => Ok(Value::string(s)),
                Err(Fail::Arg(i, m)) => Err(FnError::arg(i, m)),
                Err(Fail::Call(m)) => Err(FnError::call(m)),
            }
        },
    );
    f.add(
        "formatlist",
        &[Param::new("format")],
        Some(Param::new("args").nullable().unknowns()),
        |_, args| formatlist(&args),
    );
}

fn format_arg(args: &[Value]) -> Result<String, FnError> {
    args.first()
        .ok_or_else(|| FnError::arg(0, "argument is missing"))?
        .to_str_conv()
        .map_err(|m| FnError::arg(0, m))
}

fn formatlist(args: &[Value]) -> Result<Value, FnError> {
    let spec = format_arg(args)?;
    let vals = args.get(1..).unwrap_or_default();
    if vals.is_empty() {
        // The same as `format` with no values, in a one-element list.
        return match format_values(&spec, &[]) {
            Ok(s) => Ok(Value::list(vec![Value::string(s)])),
            Err(Fail::Arg(i, m)) => Err(FnError::arg(i, m)),
            Err(Fail::Call(m)) => Err(FnError::call(m)),
        };
    }
    // Lists, sets and tuples are iterated together; everything else repeats.
    let mut iter_len: Option<(usize, usize)> = None;
    let mut unknown: Option<Value> = None;
    for (i, v) in vals.iter().enumerate() {
        match &v.data {
            Data::Seq(_, items) => match iter_len {
                None => iter_len = Some((items.len(), i)),
                Some((len, chooser)) if len != items.len() => {
                    return Err(FnError::arg(
                        i + 1,
                        format!(
                            "argument {} has length {}, which is inconsistent with argument {} of length {}",
                            i + 1,
                            items.len(),
                            chooser + 1,
                            len
                        ),
                    ));
                }
                Some(_) => {}
            },
            // An unknown here has no known type: it may be a list, whose length would
            // decide the result's, so the whole result is unknown.
            Data::Unknown(_) if unknown.is_none() => unknown = Some(v.unknown_like()),
            _ => {}
        }
    }
    if let Some(u) = unknown {
        return Ok(u);
    }
    let count = iter_len.map_or(1, |(len, _)| len);
    let mut out = Vec::with_capacity(count);
    let mut total = 0usize;
    for k in 0..count {
        let mut call_args: Vec<&Value> = Vec::with_capacity(vals.len());
        for v in vals {
            match &v.data {
                Data::Seq(_, items) => match items.get(k) {
                    Some(item) => call_args.push(item),
                    None => return Err(FnError::call("inconsistent argument lengths")),
                },
                _ => call_args.push(v),
            }
        }
        if let Some(u) = call_args.iter().find(|a| !a.is_wholly_known()) {
            out.push(u.unknown_like());
            continue;
        }
        let s = format_values(&spec, &call_args).map_err(|e| {
            let m = match e {
                Fail::Arg(_, m) | Fail::Call(m) => m,
            };
            FnError::call(format!("error on format iteration {k}: {m}"))
        })?;
        total = total.saturating_add(s.len());
        if total > MAX_RESULT_LEN {
            return Err(too_large());
        }
        out.push(Value::string(s));
    }
    Ok(Value::list_of(&super::conversion::Ty::String, out))
}

/// A formatting failure: about one value argument (index counting the format string as
/// 0), or about the call.
enum Fail {
    Arg(usize, String),
    Call(String),
}

#[derive(Default)]
struct Verb<'a> {
    raw: &'a str,
    offset: usize,
    arg_num: usize,
    mode: char,
    zero: bool,
    sharp: bool,
    plus: bool,
    minus: bool,
    space: bool,
    width: Option<usize>,
    prec: Option<usize>,
    /// Go's `fmt` gives up on a width or precision above about ten million.
    go_overflow: bool,
}

/// Reads a run of ASCII digits from `b[*p..]`: the value (saturating) and whether Go's
/// `fmt` would reject it as too large.
fn digits(b: &[u8], p: &mut usize) -> (usize, bool) {
    let mut value = 0usize;
    let mut go_num = 0u64;
    let mut overflow = false;
    while let Some(&c) = b.get(*p).filter(|c| c.is_ascii_digit()) {
        let d = usize::from(c - b'0');
        value = value.saturating_mul(10).saturating_add(d);
        if go_num > 1_000_000 {
            overflow = true;
        } else {
            go_num = go_num * 10 + d as u64;
        }
        *p += 1;
    }
    (value, overflow)
}

fn format_values(spec: &str, a: &[&Value]) -> Result<String, Fail> {
    let b = spec.as_bytes();
    let mut out = String::with_capacity(spec.len());
    let mut p = 0;
    let mut next_arg = 1usize;
    let mut highest = 0usize;
    let unexpected_end = || {
        Fail::Call(format!(
            "invalid format string starting at offset {}",
            b.len()
        ))
    };
    let bad_char = |p: usize| {
        let c = spec
            .get(p..)
            .and_then(|t| t.chars().next())
            .unwrap_or('\u{fffd}');
        Fail::Call(format!(
            "unrecognized format character {} at offset {p}",
            go::quote_rune(c)
        ))
    };
    while p < b.len() {
        if b.get(p) != Some(&b'%') {
            let end = spec
                .get(p..)
                .and_then(|t| t.find('%'))
                .map_or(b.len(), |i| p + i);
            out.push_str(spec.get(p..end).unwrap_or_default());
            p = end;
            continue;
        }
        let start = p;
        p += 1;
        match b.get(p) {
            None => return Err(unexpected_end()),
            Some(b'%') => {
                out.push('%');
                p += 1;
                continue;
            }
            Some(_) => {}
        }
        let mut verb = Verb {
            offset: start,
            arg_num: next_arg,
            ..Verb::default()
        };
        while let Some(&c) = b.get(p) {
            match c {
                b'0' => verb.zero = true,
                b'#' => verb.sharp = true,
                b'-' => verb.minus = true,
                b'+' => verb.plus = true,
                b' ' => verb.space = true,
                _ => break,
            }
            p += 1;
        }
        if matches!(b.get(p), Some(b'1'..=b'9')) {
            let (w, overflow) = digits(b, &mut p);
            verb.width = Some(w);
            verb.go_overflow |= overflow;
        }
        if b.get(p) == Some(&b'.') {
            p += 1;
            let (pr, overflow) = digits(b, &mut p);
            verb.prec = Some(pr);
            verb.go_overflow |= overflow;
        }
        if b.get(p) == Some(&b'[') {
            p += 1;
            match b.get(p) {
                None => return Err(unexpected_end()),
                Some(b'1'..=b'9') => {}
                Some(_) => return Err(bad_char(p)),
            }
            verb.arg_num = digits(b, &mut p).0;
            match b.get(p) {
                None => return Err(unexpected_end()),
                Some(b']') => p += 1,
                Some(_) => return Err(bad_char(p)),
            }
        }
        match b.get(p) {
            None => return Err(unexpected_end()),
            Some(c) if c.is_ascii_alphabetic() => verb.mode = char::from(*c),
            Some(_) => return Err(bad_char(p)),
        }
        p += 1;
        verb.raw = spec.get(start..p).unwrap_or_default();
        highest = highest.max(verb.arg_num);
        format_one(&verb, &mut out, a)?;
        if out.len() > MAX_RESULT_LEN {
            return Err(Fail::Call(too_large_msg()));
        }
        next_arg = verb.arg_num.saturating_add(1);
    }
    if highest < a.len() {
        let first_bad = highest + 1;
        return Err(Fail::Arg(
            first_bad,
            if highest == 0 {
                "too many arguments; no verbs in format string".to_string()
            } else {
                format!("too many arguments; only {highest} used by format string")
            },
        ));
    }
    Ok(out)
}

fn too_large_msg() -> String {
    match too_large() {
        FnError::Call(m) | FnError::Arg { msg: m, .. } => m,
        FnError::Budget(e) => e.to_string(),
    }
}

fn format_one(verb: &Verb<'_>, out: &mut String, a: &[&Value]) -> Result<(), Fail> {
    let raw = go::quote(verb.raw);
    let off = verb.offset;
    let Some(arg) = verb.arg_num.checked_sub(1).and_then(|i| a.get(i)) else {
        return Err(Fail::Call(format!(
            "not enough arguments for {raw} at {off}: need index {} but have {} total",
            verb.arg_num,
            a.len()
        )));
    };
    let unsupported = |m: &str| Fail::Call(format!("unsupported value for {raw} at {off}: {m}"));
    if verb.mode != 'v' && arg.is_null() {
        return Err(unsupported("null value cannot be formatted"));
    }
    match verb.mode {
        'v' => {
            let text = match &arg.data {
                Data::String(s) if !verb.sharp => s.clone(),
                Data::Number(n) if !verb.sharp => n.text(b'g', -1),
                _ => super::encoding::json_text(arg).map_err(|m| unsupported(&m))?,
            };
            pad_width(verb, &text, out)
        }
        't' => {
            let b = match &arg.data {
                Data::Bool(b) => *b,
                Data::String(s) if s == "true" || s == "1" => true,
                Data::String(s) if s == "false" || s == "0" => false,
                Data::String(_) => return Err(unsupported("a bool is required")),
                _ => return Err(unsupported("bool required")),
            };
            out.push_str(if b { "true" } else { "false" });
            Ok(())
        }
        'b' | 'd' | 'o' | 'x' | 'X' | 'e' | 'E' | 'f' | 'g' | 'G' => {
            let n = match &arg.data {
                Data::Number(n) => n.clone(),
                Data::String(s) => {
                    Number::parse(s).ok_or_else(|| unsupported("a number is required"))?
                }
                _ => return Err(unsupported("number required")),
            };
            if matches!(verb.mode, 'b' | 'd' | 'o' | 'x' | 'X') {
                let Some((neg, digits)) = int_digits(&n, verb.mode) else {
                    return Err(unsupported("an integer is required"));
                };
                if verb.go_overflow {
                    let _ = write!(
                        out,
                        "%!(NOVERB)%!(EXTRA *big.Int={}{})",
                        if neg { "-" } else { "" },
                        int_digits(&n, 'd').map(|d| d.1).unwrap_or_default()
                    );
                    return Ok(());
                }
                go_format_int(verb, neg, digits, out);
            } else if verb.go_overflow {
                let _ = write!(out, "%!(NOVERB)%!(EXTRA *big.Float={})", n.text(b'g', -1));
            } else {
                go_format_float(verb, &n, out);
            }
            Ok(())
        }
        's' | 'q' => {
            let s = match &arg.data {
                Data::String(s) => s.clone(),
                Data::Number(n) => n.text(b'f', -1),
                Data::Bool(b) => b.to_string(),
                _ => return Err(unsupported("string required")),
            };
            // A precision of zero means none, as in cty.
            let s = match verb.prec {
                Some(p) if p > 0 => graphemes(&s).take(p).collect::<String>(),
                _ => s,
            };
            if verb.mode == 's' {
                pad_width(verb, &s, out)
            } else {
                let q =
                    super::encoding::json_text(&Value::string(s)).map_err(|m| unsupported(&m))?;
                pad_width(verb, &q, out)
            }
        }
        m => Err(Fail::Call(format!(
            "unsupported format verb {} in {raw} at offset {off}",
            go::quote_rune(m)
        ))),
    }
}

/// cty's `formatPadWidth`: pads to the width in grapheme clusters, with `0` when the zero
/// flag is given (even on the right).
fn pad_width(verb: &Verb<'_>, text: &str, out: &mut String) -> Result<(), Fail> {
    let Some(width) = verb.width else {
        out.push_str(text);
        return Ok(());
    };
    let have = graphemes(text).count();
    if have >= width {
        out.push_str(text);
        return Ok(());
    }
    let pad_len = width - have;
    if pad_len > MAX_RESULT_LEN {
        return Err(Fail::Call(too_large_msg()));
    }
    let pad = if verb.zero { '0' } else { ' ' };
    if verb.minus {
        out.push_str(text);
        out.extend(std::iter::repeat_n(pad, pad_len));
    } else {
        out.extend(std::iter::repeat_n(pad, pad_len));
        out.push_str(text);
    }
    Ok(())
}

// ---- integers -----------------------------------------------------------------------

/// The sign and digits of a whole number in the base of `mode` (`b`, `o`, `d`, `x`/`X`),
/// or `None` if it is not a whole number.
fn int_digits(n: &Number, mode: char) -> Option<(bool, String)> {
    let (neg, mag) = n.whole()?;
    let mut digits = match mode {
        'b' => mag.to_str_radix(2),
        'o' => mag.to_str_radix(8),
        'x' | 'X' => mag.to_str_radix(16),
        _ => mag.to_str_radix(10),
    };
    if mode == 'X' {
        digits.make_ascii_uppercase();
    }
    Some((neg, digits))
}

/// Go's `(*big.Int).Format`.
fn go_format_int(verb: &Verb<'_>, neg: bool, digits: String, out: &mut String) {
    let sign = if neg {
        "-"
    } else if verb.plus {
        "+"
    } else if verb.space {
        " "
    } else {
        ""
    };
    let prefix = match (verb.sharp, verb.mode) {
        (true, 'b') => "0b",
        (true, 'o') => "0",
        (true, 'x') => "0x",
        (true, 'X') => "0X",
        _ => "",
    };
    let mut zeros = 0;
    if let Some(p) = verb.prec {
        if digits.len() < p {
            zeros = p - digits.len();
        } else if digits == "0" && p == 0 {
            return;
        }
    }
    let length = sign.len() + prefix.len() + zeros + digits.len();
    let (mut left, mut right) = (0, 0);
    if let Some(w) = verb.width.filter(|&w| length < w) {
        let d = w - length;
        if verb.minus {
            right = d;
        } else if verb.zero && verb.prec.is_none() {
            zeros = d;
        } else {
            left = d;
        }
    }
    out.extend(std::iter::repeat_n(' ', left));
    out.push_str(sign);
    out.push_str(prefix);
    out.extend(std::iter::repeat_n('0', zeros));
    out.push_str(&digits);
    out.extend(std::iter::repeat_n(' ', right));
}

// ---- floating point ---------------------------------------------------------------------

/// Go's `(*big.Float).Format`: default precision 6 for `e`/`f`, shortest for `g`; sign
/// flags, then padding (zeros after the sign unless infinite).
fn go_format_float(verb: &Verb<'_>, n: &Number, out: &mut String) {
    let fmt = u8::try_from(verb.mode).unwrap_or(b'g');
    let prec = match (verb.prec, fmt) {
        (Some(p), _) => i64::try_from(p).unwrap_or(i64::MAX),
        (None, b'g' | b'G') => -1,
        (None, _) => 6,
    };
    let text = n.text(fmt, prec);
    let (sign, body) = if let Some(rest) = text.strip_prefix('-') {
        ("-", rest)
    } else if let Some(rest) = text.strip_prefix('+') {
        (if verb.space { " " } else { "+" }, rest)
    } else if verb.plus {
        ("+", text.as_str())
    } else if verb.space {
        (" ", text.as_str())
    } else {
        ("", text.as_str())
    };
    let padding = verb
        .width
        .map_or(0, |w| w.saturating_sub(sign.len() + body.len()));
    let infinite = n.is_infinite();
    if verb.zero && !verb.minus && !infinite {
        out.push_str(sign);
        out.extend(std::iter::repeat_n('0', padding));
        out.push_str(body);
    } else if verb.minus {
        out.push_str(sign);
        out.push_str(body);
        out.extend(std::iter::repeat_n(' ', padding));
    } else {
        out.extend(std::iter::repeat_n(' ', padding));
        out.push_str(sign);
        out.push_str(body);
    }
}

#[cfg(test)]
mod tests {
    use crate::functions::testing::*;
    use crate::value::Value;
    use std::collections::BTreeMap;

    fn fmt(spec: &str, args: Vec<Value>) -> String {
        let mut all = vec![s(spec)];
        all.extend(args);
        match ok("format", all).as_str() {
            Some(x) => x.to_string(),
            None => panic!("format did not return a string"),
        }
    }

    fn fmt_err(spec: &str, args: Vec<Value>, needle: &str) {
        let mut all = vec![s(spec)];
        all.extend(args);
        err("format", all, needle);
    }

    #[test]
    fn documented_examples() {
        assert_eq!(fmt("Hello, %s!", vec![s("Ander")]), "Hello, Ander!");
        assert_eq!(fmt("There are %d lights", vec![n(4)]), "There are 4 lights");
        assert_eq!(fmt("%f", vec![Value::float(1.23456)]), "1.234560");
        assert_eq!(fmt("%9f", vec![Value::float(1.23456)]), " 1.234560");
        assert_eq!(fmt("%.2f", vec![Value::float(1.23456)]), "1.23");
        assert_eq!(fmt("%9.2f", vec![Value::float(1.23456)]), "     1.23");
        assert_eq!(fmt("%%", vec![]), "%");
        assert_eq!(fmt("100%% of %s", vec![s("it")]), "100% of it");
    }

    #[test]
    fn v_and_json() {
        assert_eq!(fmt("%v", vec![s("a")]), "a");
        assert_eq!(fmt("%v", vec![n(12)]), "12");
        assert_eq!(fmt("%v", vec![Value::float(1.5)]), "1.5");
        // %v of a number is Go's shortest %g: an exponent from 1e6 up.
        assert_eq!(fmt("%v", vec![n(123456)]), "123456");
        assert_eq!(fmt("%v", vec![n(1000000)]), "1e+06");
        assert_eq!(fmt("%v", vec![n(1234567)]), "1.234567e+06");
        assert_eq!(fmt("%v", vec![Value::float(0.0001)]), "0.0001");
        assert_eq!(fmt("%v", vec![Value::float(0.00001)]), "1e-05");
        assert_eq!(fmt("%v", vec![Value::bool(true)]), "true");
        assert_eq!(fmt("%v", vec![Value::null()]), "null");
        assert_eq!(fmt("%#v", vec![Value::null()]), "null");
        assert_eq!(fmt("%#v", vec![s("a\"<b>\n")]), r#""a\"\u003cb\u003e\n""#);
        assert_eq!(fmt("%#v", vec![n(1)]), "1");
        assert_eq!(
            fmt("%#v", vec![Value::float(1e21)]),
            "1000000000000000000000"
        );
        let mut m = BTreeMap::new();
        m.insert(
            "b".to_string(),
            tup(vec![n(1), Value::bool(false), Value::null()]),
        );
        m.insert("a".to_string(), s("x"));
        assert_eq!(
            fmt("%v", vec![Value::object(m)]),
            r#"{"a":"x","b":[1,false,null]}"#
        );
        assert_eq!(
            fmt("%v", vec![Value::set(vec![s("b"), s("a")])]),
            r#"["a","b"]"#
        );
        assert_eq!(
            fmt("%5v|%-5v|%05v", vec![s("ab"), n(1), n(-1)]),
            "   ab|1    |000-1"
        );
    }

    #[test]
    fn strings_and_quotes() {
        assert_eq!(fmt("%s", vec![n(5)]), "5");
        assert_eq!(fmt("%s", vec![Value::float(0.5)]), "0.5");
        assert_eq!(fmt("%s", vec![Value::bool(false)]), "false");
        assert_eq!(fmt("%q", vec![s("hi \"x\"")]), r#""hi \"x\"""#);
        assert_eq!(fmt("%8q", vec![s("a")]), r#"     "a""#);
        assert_eq!(fmt("%.3s|", vec![s("abcdef")]), "abc|");
        // Precision zero is no precision at all.
        assert_eq!(fmt("%.0s|%.s", vec![s("abc"), s("de")]), "abc|de");
        // Widths and precisions count grapheme clusters (of the NFC string, as cty makes
        // it: terraform console gives "  \u{e9}e|" and "\u{e9}").
        assert_eq!(fmt("%4s|", vec![s("e\u{301}e")]), "  \u{e9}e|");
        assert_eq!(fmt("%.1s", vec![s("e\u{301}e")]), "\u{e9}");
        assert_eq!(fmt("%4s|", vec![s("\u{e9}\u{301}e")]), "  \u{e9}\u{301}e|");
        assert_eq!(fmt("%-4s|", vec![s("ab")]), "ab  |");
        // cty pads with zeros on the right too.
        assert_eq!(fmt("%-04s|%04s", vec![s("ab"), s("cd")]), "ab00|00cd");
        fmt_err(
            "%s",
            vec![tup(vec![])],
            "unsupported value for \\\"%s\\\" at 0: string required",
        );
    }

    #[test]
    fn integers() {
        assert_eq!(fmt("%d", vec![n(-42)]), "-42");
        assert_eq!(fmt("%d", vec![s("42")]), "42");
        assert_eq!(fmt("%d", vec![Value::float(3.0)]), "3");
        assert_eq!(
            fmt("%b|%o|%x|%X", vec![n(10), n(10), n(255), n(255)]),
            "1010|12|ff|FF"
        );
        assert_eq!(
            fmt(
                "%#b|%#o|%#x|%#X|%#d",
                vec![n(5), n(8), n(255), n(255), n(3)]
            ),
            "0b101|010|0xff|0XFF|3"
        );
        assert_eq!(fmt("%x", vec![n(-255)]), "-ff");
        assert_eq!(fmt("%+d|% d|%+ d", vec![n(5), n(5), n(5)]), "+5| 5|+5");
        assert_eq!(
            fmt("%5d|%-5d|%05d", vec![n(42), n(42), n(-42)]),
            "   42|42   |-0042"
        );
        assert_eq!(
            fmt("%.4d|%6.4d|%06.4d", vec![n(7), n(-7), n(7)]),
            "0007| -0007|  0007"
        );
        assert_eq!(fmt("%-05d|", vec![n(1)]), "1    |");
        // A zero precision prints nothing for zero, not even padding.
        assert_eq!(fmt("[%5.0d]", vec![n(0)]), "[]");
        assert_eq!(fmt("%d", vec![Value::float(1e20)]), "100000000000000000000");
        assert_eq!(fmt("%x", vec![Value::float(1e20)]), "56bc75e2d63100000");
        assert_eq!(
            fmt("%x", vec![Value::float(2f64.powi(130))]),
            format!("4{}", "0".repeat(32))
        );
        assert_eq!(
            fmt("%o", vec![Value::float(2f64.powi(130))]),
            format!("2{}", "0".repeat(43))
        );
        assert_eq!(fmt("%d", vec![n(i64::MIN)]), "-9223372036854775808");
        fmt_err("%d", vec![Value::float(1.5)], "an integer is required");
        fmt_err(
            "%d",
            vec![Value::float(f64::INFINITY)],
            "an integer is required",
        );
        fmt_err("%d", vec![s("x")], "a number is required");
        fmt_err("%d", vec![Value::bool(true)], "number required");
        fmt_err("%d", vec![Value::null()], "null value cannot be formatted");
    }

    #[test]
    fn floats() {
        assert_eq!(
            fmt("%e|%E", vec![n(1234), Value::float(-0.000123)]),
            "1.234000e+03|-1.230000E-04"
        );
        assert_eq!(fmt("%.2e", vec![Value::float(1e100)]), "1.00e+100");
        assert_eq!(fmt("%.0e|%.0f", vec![n(5), n(5)]), "5e+00|5");
        assert_eq!(
            fmt("%g|%G", vec![Value::float(1e-7), Value::float(1e21)]),
            "1e-07|1E+21"
        );
        assert_eq!(fmt("%g", vec![Value::float(100000.0)]), "100000");
        assert_eq!(
            fmt(
                "%.3g|%.3g|%.10g",
                vec![Value::float(1.23456), n(1234), Value::float(0.5)]
            ),
            "1.23|1.23e+03|0.5"
        );
        assert_eq!(fmt("%.0g|%.0g", vec![n(25), n(35)]), "2e+01|4e+01");
        // Exact ties round half to even, on the exact binary value.
        assert_eq!(
            fmt(
                "%.1f|%.1f|%.0f|%.0f|%.0f",
                vec![
                    Value::float(0.25),
                    Value::float(0.35),
                    Value::float(0.5),
                    Value::float(1.5),
                    Value::float(2.5)
                ]
            ),
            "0.2|0.3|0|2|2"
        );
        assert_eq!(fmt("%.2f", vec![Value::float(0.125)]), "0.12");
        assert_eq!(fmt("%.1f", vec![Value::float(0.96)]), "1.0");
        assert_eq!(fmt("%.3f", vec![Value::float(0.0004)]), "0.000");
        assert_eq!(fmt("%.1f", vec![Value::float(-0.04)]), "-0.0");
        assert_eq!(
            fmt("%f", vec![Value::float(1e20)]),
            "100000000000000000000.000000"
        );
        assert_eq!(
            fmt("%+.1f|% .1f|%+.1f", vec![n(1), n(1), n(-1)]),
            "+1.0| 1.0|-1.0"
        );
        assert_eq!(
            fmt(
                "%08.2f|%-8.2f|%8.2f",
                vec![Value::float(-1.23456), n(3), n(3)]
            ),
            "-0001.23|3.00    |    3.00"
        );
        assert_eq!(
            fmt(
                "%f|%5.1f|%05f",
                vec![
                    Value::float(f64::INFINITY),
                    Value::float(f64::NEG_INFINITY),
                    Value::float(f64::INFINITY)
                ]
            ),
            "+Inf| -Inf| +Inf"
        );
        assert_eq!(fmt("% f", vec![Value::float(f64::INFINITY)]), " Inf");
        assert_eq!(fmt("%.2f", vec![s("2.5")]), "2.50");
    }

    #[test]
    fn flags_bool_and_indexes() {
        assert_eq!(
            fmt("%t|%t|%t", vec![Value::bool(true), s("false"), s("1")]),
            "true|false|true"
        );
        assert_eq!(fmt("%5t", vec![Value::bool(true)]), "true");
        fmt_err("%t", vec![n(1)], "bool required");
        fmt_err("%t", vec![s("yes")], "a bool is required");
        assert_eq!(fmt("%[2]s %[1]s", vec![s("a"), s("b")]), "b a");
        assert_eq!(fmt("%[2]s %s %[1]s", vec![s("a"), s("b"), s("c")]), "b c a");
        assert_eq!(fmt("%6.2[1]f|%[1]d", vec![n(3)]), "  3.00|3");
        // Go's fmt gives up on widths above about ten million.
        assert_eq!(
            fmt("%100000000d", vec![n(5)]),
            "%!(NOVERB)%!(EXTRA *big.Int=5)"
        );
        assert_eq!(
            fmt("%.100000000f", vec![Value::float(0.5)]),
            "%!(NOVERB)%!(EXTRA *big.Float=0.5)"
        );
    }

    #[test]
    fn errors() {
        fmt_err(
            "%s %s",
            vec![s("a")],
            "not enough arguments for \\\"%s\\\" at 3: need index 2 but have 1 total",
        );
        fmt_err("%[3]d", vec![n(1)], "need index 3 but have 1 total");
        fmt_err(
            "%s",
            vec![s("a"), s("b")],
            "too many arguments; only 1 used by format string",
        );
        fmt_err(
            "hello",
            vec![s("b")],
            "too many arguments; no verbs in format string",
        );
        match call("format", vec![s("x"), s("b")]) {
            Err(crate::functions::CallError::Arg { index, param, .. }) => {
                assert_eq!((index, param), (1, "args"));
            }
            other => panic!("unexpected {other:?}"),
        }
        fmt_err(
            "%z",
            vec![n(1)],
            "unsupported format verb 'z' in \\\"%z\\\" at offset 0",
        );
        fmt_err("ab%", vec![], "invalid format string starting at offset 3");
        fmt_err(
            "%5",
            vec![n(1)],
            "invalid format string starting at offset 2",
        );
        fmt_err(
            "%*d",
            vec![n(1), n(2)],
            "unrecognized format character '*' at offset 1",
        );
        fmt_err(
            "% %",
            vec![],
            "unrecognized format character '%' at offset 2",
        );
        fmt_err(
            "%[0]d",
            vec![n(1)],
            "unrecognized format character '0' at offset 2",
        );
        fmt_err(
            "%[1]5d",
            vec![n(1)],
            "unrecognized format character '5' at offset 4",
        );
        fmt_err(
            "%é",
            vec![n(1)],
            "unrecognized format character 'é' at offset 1",
        );
        fmt_err("%999999999999999s", vec![s("a")], "larger than");
        err("format", vec![tup(vec![])], "string required");
        err("format", vec![Value::null()], "must not be null");
    }

    #[test]
    fn unknowns() {
        shows(
            &ok("format", vec![s("%s"), Value::unknown("later")]),
            "(unknown: later)",
        );
        shows(
            &ok("format", vec![s("%z"), tup(vec![Value::unknown("in")])]),
            "(unknown: in)",
        );
        assert!(!ok("format", vec![Value::unknown("f"), s("a")]).is_known());
    }

    #[test]
    fn formatlist_examples() {
        let names = tup(vec![s("Valentina"), s("Ander"), s("Olivia"), s("Sam")]);
        shows(
            &ok("formatlist", vec![s("Hello, %s!"), names.clone()]),
            r#"tolist(["Hello, Valentina!", "Hello, Ander!", "Hello, Olivia!", "Hello, Sam!"])"#,
        );
        shows(
            &ok("formatlist", vec![s("%s, %s!"), s("Salutations"), names]),
            r#"tolist(["Salutations, Valentina!", "Salutations, Ander!", "Salutations, Olivia!", "Salutations, Sam!"])"#,
        );
        shows(
            &ok(
                "formatlist",
                vec![
                    s("%s=%d"),
                    Value::list(vec![s("a"), s("b")]),
                    tup(vec![n(1), n(2)]),
                ],
            ),
            r#"tolist(["a=1", "b=2"])"#,
        );
        shows(
            &ok(
                "formatlist",
                vec![s("%s"), Value::set(vec![s("y"), s("x")])],
            ),
            r#"tolist(["x", "y"])"#,
        );
        shows(&ok("formatlist", vec![s("x")]), r#"tolist(["x"])"#);
        shows(
            &ok("formatlist", vec![s("%s"), s("only")]),
            r#"tolist(["only"])"#,
        );
        shows(&ok("formatlist", vec![s("%s"), tup(vec![])]), "tolist([])");
        shows(
            &ok("formatlist", vec![s("%v"), Value::null()]),
            r#"tolist(["null"])"#,
        );
    }

    #[test]
    fn formatlist_errors_and_unknowns() {
        err(
            "formatlist",
            vec![s("%s %s"), tup(vec![s("a"), s("b")]), tup(vec![s("c")])],
            "argument 2 has length 1, which is inconsistent with argument 1 of length 2",
        );
        err(
            "formatlist",
            vec![s("%d"), tup(vec![n(1), s("x")])],
            "error on format iteration 1: unsupported value for \\\"%d\\\" at 0: a number is required",
        );
        err(
            "formatlist",
            vec![s("%s"), tup(vec![s("a")]), s("b")],
            "error on format iteration 0: too many arguments",
        );
        err("formatlist", vec![s("%s")], "not enough arguments");
        // An unknown element makes only its own result unknown.
        let v = ok(
            "formatlist",
            vec![s("%s"), tup(vec![s("a"), Value::unknown("u")])],
        );
        shows(&v, r#"tolist(["a", (unknown: u)])"#);
        // An unknown argument may be a list: the whole result is unknown.
        let v = ok(
            "formatlist",
            vec![s("%s%s"), tup(vec![s("a")]), Value::unknown("w")],
        );
        shows(&v, "(unknown: w)");
        // Length errors are still found first.
        err(
            "formatlist",
            vec![
                s("%s%s%s"),
                tup(vec![s("a")]),
                Value::unknown("w"),
                tup(vec![]),
            ],
            "inconsistent",
        );
    }

    /// Checked against `terraform console`'s `type()`.
    #[test]
    fn typed_empty_formatlist() {
        types(&[
            (r#"formatlist("%s", [])"#, "list(string)"),
            (r#"formatlist("%s", compact([]))"#, "list(string)"),
            (r#"formatlist("%s-%s", [], [])"#, "list(string)"),
            (r#"formatlist("%s", regexall("(a)", "b"))"#, "list(string)"),
        ]);
    }
}
