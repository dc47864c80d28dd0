//! Go's standard library where tglint must behave as it does. Terraform and Terragrunt are
//! Go programs: their messages quote with `strconv`, their JSON is `encoding/json`'s, their
//! timestamps go through `time.Parse`. The one copy of each lives here, used by the
//! Terraform functions of this crate and by Terragrunt's functions in `tglint-model`. Only
//! Go's behaviour belongs here, never HCL's or Terragrunt's; each item names the Go
//! function it mirrors and, where the Go release matters, which one.
//!
//! - Quoting: [`quote`] and [`quote_bytes`] (`strconv.Quote`), [`quote_rune`]
//!   (`strconv.QuoteRune`), [`json_quote_char`] (`encoding/json`'s `quoteChar`).
//! - JSON strings: [`json_string_go1_16`] and [`json_string_current`] (`encoding/json`'s
//!   string encoder before and after Go 1.22, see [`Release`]).

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
/// \v \\ \"` escaped, printable runes (Go's `IsPrint`, approximated) as they are, other runes as
/// `\xNN` (below U+0080), `\uNNNN` or `\UNNNNNNNN`. The messages of Terraform's functions
/// (cty) and of Terragrunt quote with it.
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

/// `encoding/json.Marshal` of a string as a current Go writes it (Terragrunt's
/// marshalling): [`json_string_go1_16`], except that Go 1.22 and later write U+0008 and
/// U+000C as `\b` and `\f`.
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
    /// U+0008 and U+000C as `\u0008` and `\u000c`, Terragrunt's (a current Go) as `\b` and
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
}
