//! Go's standard library where tglint must behave as it does. The programs tglint mirrors
//! are written in Go: their messages quote with `strconv`, their JSON is `encoding/json`'s,
//! their timestamps go through `time.Parse`. The one copy of each lives here, used by the
//! functions of this crate and by those of `tglint-model`. Only Go's behaviour belongs
//! here, never HCL's, cty's or a tool's own; each item names the Go function it mirrors
//! and, where the Go release matters, which one.
//!
//! - Quoting: [`quote`] and [`quote_bytes`] (`strconv.Quote`), [`quote_rune`]
//!   (`strconv.QuoteRune`), [`json_quote_char`] (`encoding/json`'s `quoteChar`).
//! - JSON strings: [`json_string_go1_16`] and [`json_string_current`] (`encoding/json`'s
//!   string encoder before and after Go 1.22, see [`Release`]).
//! - Time: [`parse_rfc3339`] (`time.Parse(time.RFC3339, …)` of Go 1.16 or of a current
//!   Go), its [`TimeParseError`] (`time.ParseError`), [`time_quote`] (the `time` package's
//!   `quote`), and the proleptic Gregorian calendar behind them.

use std::fmt::Write as _;

/// The Go releases whose behaviour differs where tglint mirrors it: Go 1.16 built
/// Terraform v0.15.3; a current Go (1.22 or later) builds the tools maintained today.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Release {
    Go1_16,
    Current,
}

// ---------------------------------------------------------------------------------------
// Quoting
// ---------------------------------------------------------------------------------------

/// Go's `strconv.Quote`, which `%q` of a string uses: in double quotes, `\a \b \f \n \r \t
/// \v \\ \"` escaped, printable runes (Go's `IsPrint`, approximated) as they are, other
/// runes as `\xNN` (below U+0080), `\uNNNN` or `\UNNNNNNNN`. Every `%q` in a Go message
/// is this.
pub fn quote(s: &str) -> String {
    quote_bytes(s.as_bytes())
}

/// [`quote`] of bytes that need not be UTF-8: each byte that does not start a valid
/// sequence is `\xNN`, as `strconv.Quote` writes it (a Go string may hold any bytes).
pub fn quote_bytes(s: &[u8]) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for chunk in s.utf8_chunks() {
        for c in chunk.valid().chars() {
            push_escaped(&mut out, c, '"');
        }
        for b in chunk.invalid() {
            let _ = write!(out, "\\x{b:02x}");
        }
    }
    out.push('"');
    out
}

/// Go's `strconv.QuoteRune`, which `%q` of a rune uses: [`quote`]'s escapes in single
/// quotes (`'` escaped, `"` not).
pub fn quote_rune(c: char) -> String {
    let mut out = String::from("'");
    push_escaped(&mut out, c, '\'');
    out.push('\'');
    out
}

/// Go's `encoding/json` `quoteChar`: how a byte of JSON input is named in a syntax error.
/// The byte is read as the rune of the same number (Go's `string(c)`), so `0xc3` is `'Ã'`
/// and `0x85` is `'\u0085'`.
pub fn json_quote_char(c: u8) -> String {
    match c {
        b'\'' => "'\\''".into(),
        b'"' => "'\"'".into(),
        _ => {
            let q = quote(&char::from(c).to_string());
            format!("'{}'", q.trim_matches('"'))
        }
    }
}

/// The `time` package's own `quote` (what `time.ParseError` and `time.ParseDuration`
/// messages use): in double quotes, `"` and `\` escaped, and every byte below `0x20` or
/// from `0x80` on as `\xNN`, even those of valid UTF-8.
pub fn time_quote(s: &[u8]) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for &b in s {
        if !(0x20..0x80).contains(&b) {
            let _ = write!(out, "\\x{b:02x}");
        } else {
            if b == b'"' || b == b'\\' {
                out.push('\\');
            }
            out.push(char::from(b));
        }
    }
    out.push('"');
    out
}

/// `strconv`'s `appendEscapedRune` (not ASCII-only, not graphic-only): one rune inside
/// `quote`s.
fn push_escaped(out: &mut String, c: char, quote: char) {
    match c {
        c if c == quote || c == '\\' => {
            out.push('\\');
            out.push(c);
        }
        c if is_print(c) => out.push(c),
        '\u{7}' => out.push_str("\\a"),
        '\u{8}' => out.push_str("\\b"),
        '\u{c}' => out.push_str("\\f"),
        '\n' => out.push_str("\\n"),
        '\r' => out.push_str("\\r"),
        '\t' => out.push_str("\\t"),
        '\u{b}' => out.push_str("\\v"),
        c if (c as u32) < 0x80 => {
            let _ = write!(out, "\\x{:02x}", c as u32);
        }
        c if (c as u32) < 0x10000 => {
            let _ = write!(out, "\\u{:04x}", c as u32);
        }
        c => {
            let _ = write!(out, "\\U{:08x}", c as u32);
        }
    }
}

/// An approximation of Go's `strconv.IsPrint` (`unicode.IsPrint`): letters, marks,
/// numbers, punctuation, symbols and the ASCII space; not controls, other spaces, format
/// or private-use characters. Unassigned code points count as printable here, where Go's
/// tables say they are not.
fn is_print(c: char) -> bool {
    if c.is_ascii() {
        return (' '..='~').contains(&c);
    }
    let u = c as u32;
    !(c.is_control()
        || c.is_whitespace()
        || u == 0xAD
        || (0x200B..=0x200F).contains(&u)
        || (0x202A..=0x202E).contains(&u)
        || (0x2060..=0x206F).contains(&u)
        || u == 0xFEFF
        || (0xFFF9..=0xFFFB).contains(&u)
        || (0xE000..=0xF8FF).contains(&u)
        || u >= 0xF0000)
}

// ---------------------------------------------------------------------------------------
// encoding/json strings
// ---------------------------------------------------------------------------------------

/// `encoding/json.Marshal` of a string as Go 1.16 writes it (Terraform v0.15.3's
/// `jsonencode`): HTML-safe, so `<`, `>`, `&`, U+2028 and U+2029 are `\u00XX`/`\u20XX`, as
/// is every control character other than `\n`, `\r` and `\t`.
pub fn json_string_go1_16(s: &str, out: &mut String) {
    json_string(s, out, Release::Go1_16);
}

/// `encoding/json.Marshal` of a string as a current Go writes it: [`json_string_go1_16`],
/// except that Go 1.22 and later write U+0008 and U+000C as `\b` and `\f`.
pub fn json_string_current(s: &str, out: &mut String) {
    json_string(s, out, Release::Current);
}

fn json_string(s: &str, out: &mut String, go: Release) {
    let short_b_f = go == Release::Current;
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{8}' if short_b_f => out.push_str("\\b"),
            '\u{c}' if short_b_f => out.push_str("\\f"),
            '<' | '>' | '&' | '\u{2028}' | '\u{2029}' => {
                let _ = write!(out, "\\u{:04x}", c as u32);
            }
            c if (c as u32) < 0x20 => {
                let _ = write!(out, "\\u{:04x}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

// ---------------------------------------------------------------------------------------
// time: RFC 3339 and the calendar
// ---------------------------------------------------------------------------------------

/// Go's `time.RFC3339` layout.
pub const RFC3339_LAYOUT: &str = "2006-01-02T15:04:05Z07:00";

const SECS_PER_DAY: i64 = 86_400;

/// What `time.Parse` returns for RFC 3339: an instant and the UTC offset it was written in.
/// The calendar fields and Go's formatting of it that `formatdate` and `timeadd` need are
/// methods in `functions/datetime.rs`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Time {
    /// Seconds since the Unix epoch (UTC).
    pub secs: i64,
    pub nanos: u32,
    /// Offset east of UTC, in seconds.
    pub offset: i64,
}

/// Go's `time.ParseError` for the RFC 3339 layout. Callers may word it their own way (cty
/// names the layout's elements); [`TimeParseError::go_message`] is Go's own.
#[derive(Debug, PartialEq, Eq)]
pub struct TimeParseError {
    /// The whole input.
    pub value: Vec<u8>,
    /// The element of the layout that failed (`"2006"`, `"01"`, `"T"`, `"Z07:00"`…), empty
    /// for errors about the whole value.
    pub layout_elem: &'static str,
    /// The rest of the input where it failed; not always on a character boundary.
    pub value_elem: Vec<u8>,
    /// Go's extra text (`": month out of range"`), with its leading `": "`; empty when the
    /// element simply did not match.
    pub message: String,
}

impl TimeParseError {
    fn new(value: &[u8], layout_elem: &'static str, value_elem: &[u8], message: String) -> Self {
        TimeParseError {
            value: value.to_vec(),
            layout_elem,
            value_elem: value_elem.to_vec(),
            message,
        }
    }

    /// Go's `ParseError.Error()`.
    pub fn go_message(&self) -> String {
        if self.message.is_empty() {
            format!(
                "parsing time {} as {}: cannot parse {} as {}",
                time_quote(&self.value),
                time_quote(RFC3339_LAYOUT.as_bytes()),
                time_quote(&self.value_elem),
                time_quote(self.layout_elem.as_bytes())
            )
        } else {
            format!("parsing time {}{}", time_quote(&self.value), self.message)
        }
    }
}

fn is_digit(s: &[u8], i: usize) -> bool {
    s.get(i).is_some_and(u8::is_ascii_digit)
}

/// Go's `getnum`: one or two digits (exactly two when `fixed`).
fn getnum(s: &[u8], fixed: bool) -> Option<(i64, &[u8])> {
    let d0 = i64::from(*s.first().filter(|b| b.is_ascii_digit())? - b'0');
    match s.get(1).filter(|b| b.is_ascii_digit()) {
        Some(d1) => Some((
            d0 * 10 + i64::from(d1 - b'0'),
            s.get(2..).unwrap_or_default(),
        )),
        None if fixed => None,
        None => Some((d0, s.get(1..).unwrap_or_default())),
    }
}

/// Go's time-package `atoi`: optional sign, then digits (none is zero).
fn go_atoi(s: &[u8]) -> Option<i64> {
    let (neg, digits) = match s.first() {
        Some(b'-') => (true, s.get(1..).unwrap_or_default()),
        Some(b'+') => (false, s.get(1..).unwrap_or_default()),
        _ => (false, s),
    };
    let mut x: i64 = 0;
    for &b in digits {
        if !b.is_ascii_digit() {
            return None;
        }
        x = x.checked_mul(10)?.checked_add(i64::from(b - b'0'))?;
    }
    Some(if neg { -x } else { x })
}

/// Go's `skip`: consumes `prefix` or fails with the remaining value.
fn skip(value: &[u8], prefix: u8) -> Option<&[u8]> {
    match value.split_first() {
        Some((&b, rest)) if b == prefix => Some(rest),
        _ => None,
    }
}

/// Go's `time.Parse(time.RFC3339, input)` as `go` does it, quirks included. The releases
/// differ in corners only:
///
/// - Go 1.16 names what follows a year that is not a number, a current Go the year itself.
/// - Go 1.16 takes a fraction in place of missing seconds (`00:00:.5Z`) and only `.` before
///   it; a current Go needs the seconds and takes `,` too.
/// - Go 1.16 reads the offset's hours and minutes with its signed `atoi` and no range
///   check; a current Go needs two digits each, refuses hours above 24 and minutes above
///   60 (range errors first, the minutes' over the hours'), and names the offset itself
///   when it is malformed.
/// - Text after the offset is shown as it is by Go 1.16, quoted ([`time_quote`]) by a
///   current Go.
pub fn parse_rfc3339(input: &str, go: Release) -> Result<Time, TimeParseError> {
    let current = go == Release::Current;
    let all = input.as_bytes();
    let bad =
        |elem: &'static str, value: &[u8]| TimeParseError::new(all, elem, value, String::new());
    let range = |elem: &'static str, value: &[u8], what: &str| {
        TimeParseError::new(all, elem, value, format!(": {what} out of range"))
    };
    let mut value = all;

    // Year: four bytes, the first a digit, all of them a number.
    if value.len() < 4 || !is_digit(value, 0) {
        return Err(bad("2006", value));
    }
    let (p, rest) = value.split_at(4);
    let year = go_atoi(p).ok_or_else(|| bad("2006", if current { value } else { rest }))?;
    value = rest;

    value = skip(value, b'-').ok_or_else(|| bad("-", value))?;
    let (month, rest) = getnum(value, true).ok_or_else(|| bad("01", value))?;
    value = rest;
    if !(1..=12).contains(&month) {
        return Err(range("01", value, "month"));
    }

    value = skip(value, b'-').ok_or_else(|| bad("-", value))?;
    let (day, rest) = getnum(value, true).ok_or_else(|| bad("02", value))?;
    value = rest;

    value = skip(value, b'T').ok_or_else(|| bad("T", value))?;
    let (hour, rest) = getnum(value, false).ok_or_else(|| bad("15", value))?;
    value = rest;
    if hour >= 24 {
        return Err(range("15", value, "hour"));
    }

    value = skip(value, b':').ok_or_else(|| bad(":", value))?;
    let (minute, rest) = getnum(value, true).ok_or_else(|| bad("04", value))?;
    value = rest;
    if minute >= 60 {
        return Err(range("04", value, "minute"));
    }

    value = skip(value, b':').ok_or_else(|| bad(":", value))?;
    let mut nanos: i64 = 0;
    let second = match getnum(value, true) {
        Some((s, rest)) => {
            value = rest;
            if s >= 60 {
                return Err(range("05", value, "second"));
            }
            Some(s)
        }
        None if current => return Err(bad("05", value)),
        None => None,
    };
    // A fraction the layout does not name is accepted; Go 1.16 even lets it stand in for
    // missing seconds, since parsing it clears the error.
    let fraction_mark = |b: &u8| *b == b'.' || (current && *b == b',');
    if value.len() >= 2 && value.first().is_some_and(fraction_mark) && is_digit(value, 1) {
        let mut n = 2;
        while is_digit(value, n) {
            n += 1;
        }
        let digits = value.get(1..n.min(10)).unwrap_or_default();
        let mut ns = go_atoi(digits).unwrap_or(0);
        for _ in n.min(10)..10 {
            ns *= 10;
        }
        nanos = ns;
        value = value.get(n..).unwrap_or_default();
    } else if second.is_none() {
        return Err(bad("05", value));
    }
    let second = second.unwrap_or(0);

    // Offset: "Z" or ±hh:mm.
    let offset = if value.first() == Some(&b'Z') {
        value = value.get(1..).unwrap_or_default();
        0
    } else {
        if value.len() < 6 || value.get(3) != Some(&b':') {
            return Err(bad("Z07:00", value));
        }
        let hold = value;
        let sign = value.first().copied();
        let hh = value.get(1..3).unwrap_or_default();
        let mm = value.get(4..6).unwrap_or_default();
        value = value.get(6..).unwrap_or_default();
        let (h, m) = if current {
            let two = |s: &[u8]| getnum(s, true).map(|(n, _)| n);
            let h = two(hh);
            let m = h.and_then(|_| two(mm));
            if m.is_some_and(|m| m > 60) {
                return Err(range("Z07:00", value, "time zone offset minute"));
            }
            if h.is_some_and(|h| h > 24) {
                return Err(range("Z07:00", value, "time zone offset hour"));
            }
            match (h, m) {
                (Some(h), Some(m)) => (h, m),
                _ => return Err(bad("Z07:00", hold)),
            }
        } else {
            match (go_atoi(hh), go_atoi(mm)) {
                (Some(h), Some(m)) => (h, m),
                _ => return Err(bad("Z07:00", value)),
            }
        };
        let off = (h * 60 + m) * 60;
        match sign {
            Some(b'+') => off,
            Some(b'-') => -off,
            _ => return Err(bad("Z07:00", if current { hold } else { value })),
        }
    };
    if !value.is_empty() {
        let shown = if current {
            time_quote(value)
        } else {
            String::from_utf8_lossy(value).into_owned()
        };
        return Err(TimeParseError::new(
            all,
            "",
            value,
            format!(": extra text: {shown}"),
        ));
    }
    if day < 1 || day > days_in_month(year, month) {
        return Err(TimeParseError::new(
            all,
            "",
            b"",
            ": day out of range".into(),
        ));
    }

    let days = days_from_civil(year, month, day);
    let local = days * SECS_PER_DAY + hour * 3600 + minute * 60 + second;
    Ok(Time {
        secs: local - offset,
        nanos: u32::try_from(nanos).unwrap_or(0),
        offset,
    })
}

/// Days since 1970-01-01 of a proleptic Gregorian date.
fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = if month > 2 { month - 3 } else { month + 9 };
    let doy = (153 * mp + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The proleptic Gregorian date `(year, month, day)` of a count of days since 1970-01-01.
pub fn civil_from_days(days: i64) -> (i64, i64, i64) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

fn is_leap(year: i64) -> bool {
    year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
}

/// Go's `daysIn`: the days of `month` (1–12) in `year`.
fn days_in_month(year: i64, month: i64) -> i64 {
    match month {
        2 if is_leap(year) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn go_quote_escapes_like_go() {
        assert_eq!(quote("a\"b\\c\n\u{1}é"), "\"a\\\"b\\\\c\\n\\x01é\"");
        assert_eq!(quote("\u{feff}"), "\"\\ufeff\"");
    }

    #[test]
    fn go_quote_keeps_printable_runes() {
        assert_eq!(quote("a\"b\\c\n\u{1}"), r#""a\"b\\c\n\x01""#);
        assert_eq!(quote("é"), "\"é\"");
    }

    /// The copies this replaced differed on runes Go does not print: format.rs's left
    /// U+2065–U+206F and private use unescaped, datetime.rs's escaped controls only, and
    /// tglint-model's nothing beyond ASCII. Go escapes them all.
    #[test]
    fn quote_escapes_the_runes_go_does_not_print() {
        assert_eq!(
            quote("\u{85}\u{a0}\u{ad}\u{2028}\u{2066}\u{e000}\u{f0000}\u{10fffd}"),
            r#""\u0085\u00a0\u00ad\u2028\u2066\ue000\U000f0000\U0010fffd""#
        );
        assert_eq!(
            quote("\u{7f}\u{0}\u{7}\u{8}\u{c}\u{b}\r\t"),
            r#""\x7f\x00\a\b\f\v\r\t""#
        );
        // Printable beyond ASCII: letters, symbols, the replacement character.
        assert_eq!(quote("日本 € 🎉 \u{fffd}"), "\"日本 € 🎉 \u{fffd}\"");
    }

    #[test]
    fn quote_bytes_escapes_bytes_that_are_not_utf8() {
        assert_eq!(quote_bytes(b"a\xffb\xe2\x82"), r#""a\xffb\xe2\x82""#);
        assert_eq!(quote_bytes("é\n".as_bytes()), r#""é\n""#);
    }

    #[test]
    fn quote_rune_escapes_its_own_quote() {
        assert_eq!(quote_rune('\''), r"'\''");
        assert_eq!(quote_rune('"'), "'\"'");
        assert_eq!(quote_rune('\\'), r"'\\'");
        assert_eq!(quote_rune('x'), "'x'");
        assert_eq!(quote_rune('\u{e000}'), r"'\ue000'");
    }

    /// tglint-model's copy wrote a byte from 0x80 on as `'\xNN'`; Go reads it as a rune.
    #[test]
    fn json_quote_char_reads_a_byte_as_a_rune() {
        assert_eq!(json_quote_char(b'x'), "'x'");
        assert_eq!(json_quote_char(b'\''), r"'\''");
        assert_eq!(json_quote_char(b'"'), "'\"'");
        assert_eq!(json_quote_char(b'\\'), r"'\\'");
        assert_eq!(json_quote_char(0x01), r"'\x01'");
        assert_eq!(json_quote_char(0xc3), "'Ã'");
        assert_eq!(json_quote_char(0x85), r"'\u0085'");
        assert_eq!(json_quote_char(0xa0), r"'\u00a0'");
    }

    fn json(f: fn(&str, &mut String), s: &str) -> String {
        let mut out = String::new();
        f(s, &mut out);
        out
    }

    /// The two copies this replaced differed on purpose: Terraform's (Go 1.16) writes
    /// U+0008 and U+000C as `\u0008` and `\u000c`, tglint-model's (a current Go) as `\b` and
    /// `\f`. Everything else is the same.
    #[test]
    fn json_strings_by_go_release() {
        let s = "<a href=\"x\">&\u{2028}\u{2029}\\\n\r\t\u{1}\u{8}\u{c}é</a>";
        assert_eq!(
            json(json_string_go1_16, s),
            r#""\u003ca href=\"x\"\u003e\u0026\u2028\u2029\\\n\r\t\u0001\u0008\u000cé\u003c/a\u003e""#
        );
        assert_eq!(
            json(json_string_current, s),
            r#""\u003ca href=\"x\"\u003e\u0026\u2028\u2029\\\n\r\t\u0001\b\fé\u003c/a\u003e""#
        );
        // DEL is not a control character to encoding/json.
        assert_eq!(json(json_string_go1_16, "\u{7f}"), "\"\u{7f}\"");
        assert_eq!(json(json_string_current, "\u{7f}"), "\"\u{7f}\"");
    }

    #[test]
    fn calendar_round_trips() {
        assert_eq!(days_from_civil(1970, 1, 1), 0);
        assert_eq!(days_from_civil(2000, 3, 1), 11_017);
        assert_eq!(civil_from_days(11_017), (2000, 3, 1));
        assert_eq!(civil_from_days(-1), (1969, 12, 31));
        for d in (-800_000..800_000).step_by(997) {
            let (y, m, dd) = civil_from_days(d);
            assert_eq!(days_from_civil(y, m, dd), d);
        }
    }

    fn parsed(s: &str, go: Release) -> (i64, u32, i64) {
        match parse_rfc3339(s, go) {
            Ok(t) => (t.secs, t.nanos, t.offset),
            Err(e) => panic!("{s}: {}", e.go_message()),
        }
    }

    /// `(layout element, rest of the value, message)` of a timestamp that does not parse.
    fn refused(s: &str, go: Release) -> (&'static str, String, String) {
        match parse_rfc3339(s, go) {
            Ok(t) => panic!("{s} parsed as {t:?}"),
            Err(e) => (
                e.layout_elem,
                String::from_utf8_lossy(&e.value_elem).into_owned(),
                e.message,
            ),
        }
    }

    #[test]
    fn rfc3339_instants_are_the_same_in_both_releases() {
        for go in [Release::Go1_16, Release::Current] {
            assert_eq!(parsed("1970-01-01T00:00:00Z", go), (0, 0, 0));
            assert_eq!(
                parsed("2017-11-22T01:00:00+01:00", go),
                (1_511_308_800, 0, 3600)
            );
            assert_eq!(
                parsed("2017-11-21T23:30:00-00:30", go),
                (1_511_308_800, 0, -1800)
            );
            assert_eq!(
                parsed("2017-11-22T00:00:00.1234567891Z", go),
                (1_511_308_800, 123_456_789, 0)
            );
            assert_eq!(parsed("2017-11-22T1:00:00Z", go).0, 1_511_312_400);
            assert_eq!(refused("2017-02-29T00:00:00Z", go).2, ": day out of range");
            assert_eq!(
                refused("2017-13-01T00:00:00Z", go),
                ("01", "-01T00:00:00Z".into(), ": month out of range".into())
            );
            assert_eq!(refused("2017-01-01", go).0, "T");
        }
    }

    /// The two copies this replaced mirrored different releases (datetime.rs Go 1.16,
    /// tglint-model's `timecmp` a current Go); these are the corners where they differ.
    #[test]
    fn rfc3339_by_go_release() {
        use Release::{Current, Go1_16};
        // A year that is not a number: Go 1.16 names what follows it.
        assert_eq!(refused("2-12-02T00:00:00Z", Go1_16).1, "-02T00:00:00Z");
        assert_eq!(refused("2-12-02T00:00:00Z", Current).1, "2-12-02T00:00:00Z");
        // A fraction in place of the seconds; a comma before the fraction.
        assert_eq!(parsed("2017-01-02T00:00:.5Z", Go1_16).1, 500_000_000);
        assert_eq!(
            refused("2017-01-02T00:00:.5Z", Current),
            ("05", ".5Z".into(), String::new())
        );
        assert_eq!(refused("2017-01-02T00:00:00,5Z", Go1_16).0, "Z07:00");
        assert_eq!(parsed("2017-01-02T00:00:00,5Z", Current).1, 500_000_000);
        // The offset: Go 1.16 reads it with a signed atoi and no range check.
        assert_eq!(parsed("2017-01-02T00:00:00+25:00", Go1_16).2, 90_000);
        assert_eq!(parsed("2017-01-02T00:00:00+-1:00", Go1_16).2, -3600);
        assert_eq!(
            refused("2017-01-02T00:00:00+25:00", Current),
            (
                "Z07:00",
                String::new(),
                ": time zone offset hour out of range".into()
            )
        );
        assert_eq!(
            refused("2017-01-02T00:00:00+-1:00", Current),
            ("Z07:00", "+-1:00".into(), String::new())
        );
        // A current Go checks ranges before the sign, and the minutes after the hours.
        assert_eq!(
            refused("2017-01-02T00:00:00+25:61", Current).2,
            ": time zone offset minute out of range"
        );
        assert_eq!(
            refused("2017-01-02T00:00:00x25:00", Current).2,
            ": time zone offset hour out of range"
        );
        assert_eq!(
            refused("2017-01-02T00:00:00x01:00Z", Go1_16),
            ("Z07:00", "Z".into(), String::new())
        );
        assert_eq!(
            refused("2017-01-02T00:00:00x01:00Z", Current),
            ("Z07:00", "x01:00Z".into(), String::new())
        );
        // Text after the offset: as it is, or quoted by the time package.
        assert_eq!(
            refused("2017-01-02T00:00:00Zé", Go1_16).2,
            ": extra text: é"
        );
        assert_eq!(
            refused("2017-01-02T00:00:00Zé", Current).2,
            r#": extra text: "\xc3\xa9""#
        );
    }

    #[test]
    fn time_errors_in_go_words() {
        let e = parse_rfc3339("2017-11-22", Release::Go1_16).unwrap_err();
        assert_eq!(
            e.go_message(),
            r#"parsing time "2017-11-22" as "2006-01-02T15:04:05Z07:00": cannot parse "" as "T""#
        );
        assert_eq!(
            time_quote("a\"\\\u{7f}\né".as_bytes()),
            "\"a\\\"\\\\\u{7f}\\x0a\\xc3\\xa9\""
        );
    }
}
