//! Writing values as JSON. The walk (arrays in order, object keys sorted) is shared; how
//! numbers, strings and unknowns print is the caller's [`Style`]: Terraform's
//! `jsonencode` is [`TERRAFORM`], Terragrunt's Go-side marshalling brings its own.

use crate::value::{Data, Number, Value};

/// How the scalars of a JSON document print.
pub struct Style {
    pub number: fn(Number) -> Result<String, String>,
    pub string: fn(&str, &mut String),
    pub key: fn(&str, &mut String),
    /// What an unknown is written as; `None` makes it an error.
    pub unknown: Option<&'static str>,
}

/// Terraform v0.15.3's `jsonencode`: numbers in full, Go 1.16's HTML-safe string escapes,
/// unknowns refused.
pub const TERRAFORM: Style = Style {
    number: terraform_number,
    string: html_safe_string,
    key: html_safe_string,
    unknown: None,
};

fn terraform_number(n: Number) -> Result<String, String> {
    if n.as_f64().is_infinite() {
        return Err("cannot serialize infinity as JSON".into());
    }
    Ok(n.to_string())
}

/// Go 1.16's `json.Marshal` of a string: HTML characters, U+2028/U+2029 and control
/// characters other than `\n`, `\r`, `\t` as `\u00XX`.
pub fn html_safe_string(s: &str, out: &mut String) {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{2028}' => out.push_str("\\u2028"),
            '\u{2029}' => out.push_str("\\u2029"),
            c if (c as u32) < 0x20 || c == '<' || c == '>' || c == '&' => {
                let b = c as u32;
                out.push_str("\\u00");
                out.push(char::from(HEX[(b >> 4) as usize & 0xF]));
                out.push(char::from(HEX[b as usize & 0xF]));
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

/// Writes `v` as compact JSON in `style`.
pub fn write(v: &Value, style: &Style, out: &mut String) -> Result<(), String> {
    match &v.data {
        Data::Null => out.push_str("null"),
        Data::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Data::Number(n) => out.push_str(&(style.number)(*n)?),
        Data::String(s) => (style.string)(s, out),
        Data::Seq(_, items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write(item, style, out)?;
            }
            out.push(']');
        }
        Data::Map(_, m) => {
            out.push('{');
            for (i, (k, item)) in m.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                (style.key)(k, out);
                out.push(':');
                write(item, style, out)?;
            }
            out.push('}');
        }
        Data::Unknown(_) => match style.unknown {
            Some(text) => out.push_str(text),
            None => return Err("cannot serialize unknown value as JSON".into()),
        },
    }
    Ok(())
}

/// `v` as compact JSON in `style`.
pub fn encode(v: &Value, style: &Style) -> Result<String, String> {
    let mut out = String::new();
    write(v, style, &mut out)?;
    Ok(out)
}
