//! Writing values as JSON. The walk (arrays in order, object keys sorted) is shared; how
//! numbers, strings and unknowns print is the caller's [`Style`]: Terraform's
//! `jsonencode` is [`TERRAFORM`], Terragrunt's Go-side marshalling brings its own.

use crate::go;
use crate::value::{Data, Number, Value};

/// How the scalars of a JSON document print.
pub struct Style {
    pub number: fn(&Number) -> Result<String, String>,
    pub string: fn(&str, &mut String),
    pub key: fn(&str, &mut String),
    /// What an unknown is written as; `None` makes it an error.
    pub unknown: Option<&'static str>,
}

/// Terraform v0.15.3's `jsonencode`: numbers in full, Go 1.16's HTML-safe string escapes,
/// unknowns refused.
pub const TERRAFORM: Style = Style {
    number: terraform_number,
    string: go::json_string_go1_16,
    key: go::json_string_go1_16,
    unknown: None,
};

fn terraform_number(n: &Number) -> Result<String, String> {
    if n.is_infinite() {
        return Err("cannot serialize infinity as JSON".into());
    }
    Ok(n.to_string())
}

/// Writes `v` as compact JSON in `style`.
pub fn write(v: &Value, style: &Style, out: &mut String) -> Result<(), String> {
    match &v.data {
        Data::Null => out.push_str("null"),
        Data::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Data::Number(n) => out.push_str(&(style.number)(n)?),
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
