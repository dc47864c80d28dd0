//! The JSON validator of `read_tfvars_file`: Go's `json.Unmarshal` into a map, as far as
//! accepting or refusing the text and the wording of its errors go.

use tglint_hcl::go;

/// Checks `b` is JSON that `json.Unmarshal` accepts into a `map[string]any` (an object or
/// `null`), with Go's error wording.
pub(super) fn json_check_object(b: &[u8]) -> Result<(), String> {
    let first = json_validate(b)?;
    match first {
        b'{' | b'n' => Ok(()),
        other => {
            let kind = match other {
                b'[' => "array",
                b'"' => "string",
                b't' | b'f' => "bool",
                _ => "number",
            };
            Err(format!(
                "json: cannot unmarshal {kind} into Go value of type map[string]interface {{}}"
            ))
        }
    }
}

const JSON_MAX_DEPTH: usize = 10_000;

/// Validates a JSON text (iteratively: no recursion on nesting) and returns the first byte
/// of its top-level value.
fn json_validate(b: &[u8]) -> Result<u8, String> {
    const EOF: &str = "unexpected end of JSON input";
    let ws = |mut i: usize| {
        while matches!(b.get(i), Some(b' ' | b'\t' | b'\n' | b'\r')) {
            i += 1;
        }
        i
    };
    let bad = |c: u8, ctx: &str| format!("invalid character {} {ctx}", go::json_quote_char(c));
    let string = |mut i: usize| -> Result<usize, String> {
        i += 1;
        loop {
            match b.get(i) {
                None => return Err(EOF.into()),
                Some(b'"') => return Ok(i + 1),
                Some(b'\\') => match b.get(i + 1) {
                    None => return Err(EOF.into()),
                    Some(b'"' | b'\\' | b'/' | b'b' | b'f' | b'n' | b'r' | b't') => i += 2,
                    Some(b'u') => {
                        for k in 2..6 {
                            match b.get(i + k) {
                                None => return Err(EOF.into()),
                                Some(h) if h.is_ascii_hexdigit() => {}
                                Some(&h) => {
                                    return Err(bad(h, "in \\u hexadecimal character escape"));
                                }
                            }
                        }
                        i += 6;
                    }
                    Some(&c) => return Err(bad(c, "in string escape code")),
                },
                Some(&c) if c < 0x20 => return Err(bad(c, "in string literal")),
                Some(_) => i += 1,
            }
        }
    };
    let digits = |mut i: usize| {
        while b.get(i).is_some_and(u8::is_ascii_digit) {
            i += 1;
        }
        i
    };
    let number = |mut i: usize| -> Result<usize, String> {
        if b.get(i) == Some(&b'-') {
            i += 1;
        }
        match b.get(i) {
            None => return Err(EOF.into()),
            Some(b'0') => i += 1,
            Some(c) if c.is_ascii_digit() => i = digits(i),
            Some(&c) => return Err(bad(c, "in numeric literal")),
        }
        if b.get(i) == Some(&b'.') {
            i += 1;
            match b.get(i) {
                None => return Err(EOF.into()),
                Some(c) if c.is_ascii_digit() => i = digits(i),
                Some(&c) => return Err(bad(c, "after decimal point in numeric literal")),
            }
        }
        if matches!(b.get(i), Some(b'e' | b'E')) {
            i += 1;
            if matches!(b.get(i), Some(b'+' | b'-')) {
                i += 1;
            }
            match b.get(i) {
                None => return Err(EOF.into()),
                Some(c) if c.is_ascii_digit() => i = digits(i),
                Some(&c) => return Err(bad(c, "in exponent of numeric literal")),
            }
        }
        Ok(i)
    };
    let literal = |i: usize, word: &str| -> Result<usize, String> {
        for (k, want) in word.bytes().enumerate().skip(1) {
            match b.get(i + k) {
                None => return Err(EOF.into()),
                Some(&c) if c != want => {
                    return Err(bad(
                        c,
                        &format!(
                            "in literal {word} (expecting {})",
                            go::json_quote_char(want)
                        ),
                    ));
                }
                Some(_) => {}
            }
        }
        Ok(i + word.len())
    };
    let key = |i: usize| -> Result<usize, String> {
        let i = ws(i);
        match b.get(i) {
            None => Err(EOF.into()),
            Some(b'"') => {
                let i = ws(string(i)?);
                match b.get(i) {
                    None => Err(EOF.into()),
                    Some(b':') => Ok(i + 1),
                    Some(&c) => Err(bad(c, "after object key")),
                }
            }
            Some(&c) => Err(bad(c, "looking for beginning of object key string")),
        }
    };

    let mut stack: Vec<u8> = Vec::new();
    let mut i = ws(0);
    let first = *b.get(i).ok_or_else(|| EOF.to_string())?;
    'value: loop {
        i = ws(i);
        match b.get(i) {
            None => return Err(EOF.into()),
            Some(b'{') => {
                i = ws(i + 1);
                if b.get(i) == Some(&b'}') {
                    i += 1;
                } else {
                    if stack.len() >= JSON_MAX_DEPTH {
                        return Err("exceeded max depth".into());
                    }
                    stack.push(b'{');
                    i = key(i)?;
                    continue 'value;
                }
            }
            Some(b'[') => {
                i = ws(i + 1);
                if b.get(i) == Some(&b']') {
                    i += 1;
                } else {
                    if stack.len() >= JSON_MAX_DEPTH {
                        return Err("exceeded max depth".into());
                    }
                    stack.push(b'[');
                    continue 'value;
                }
            }
            Some(b'"') => i = string(i)?,
            Some(b't') => i = literal(i, "true")?,
            Some(b'f') => i = literal(i, "false")?,
            Some(b'n') => i = literal(i, "null")?,
            Some(&c) if c == b'-' || c.is_ascii_digit() => i = number(i)?,
            Some(&c) => return Err(bad(c, "looking for beginning of value")),
        }
        loop {
            i = ws(i);
            let Some(&top) = stack.last() else {
                return match b.get(i) {
                    None => Ok(first),
                    Some(&c) => Err(bad(c, "after top-level value")),
                };
            };
            let Some(&c) = b.get(i) else {
                return Err(EOF.into());
            };
            match (top, c) {
                (b'[', b',') => {
                    i += 1;
                    continue 'value;
                }
                (b'[', b']') | (b'{', b'}') => {
                    i += 1;
                    stack.pop();
                }
                (b'[', _) => return Err(bad(c, "after array element")),
                (_, b',') => {
                    i = key(i + 1)?;
                    continue 'value;
                }
                _ => return Err(bad(c, "after object key:value pair")),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_validation_messages() {
        assert!(json_validate(b" {\"a\": [1, -2.5e3, \"\\u00e9\", {}, []]} ").is_ok());
        assert_eq!(
            json_validate(b"").unwrap_err(),
            "unexpected end of JSON input"
        );
        assert_eq!(
            json_validate(b"{\"a\": [1,").unwrap_err(),
            "unexpected end of JSON input"
        );
        assert_eq!(
            json_validate(b"{} x").unwrap_err(),
            "invalid character 'x' after top-level value"
        );
        assert_eq!(
            json_validate(b"[1 2]").unwrap_err(),
            "invalid character '2' after array element"
        );
        assert_eq!(
            json_validate(b"{\"a\" 1}").unwrap_err(),
            "invalid character '1' after object key"
        );
        assert_eq!(
            json_validate(b"{1:2}").unwrap_err(),
            "invalid character '1' looking for beginning of object key string"
        );
        assert_eq!(
            json_validate(b"tru").unwrap_err(),
            "unexpected end of JSON input"
        );
        assert_eq!(
            json_validate(b"trux").unwrap_err(),
            "invalid character 'x' in literal true (expecting 'e')"
        );
        assert_eq!(
            json_validate(b"01").unwrap_err(),
            "invalid character '1' after top-level value"
        );
        let deep = "[".repeat(20_000);
        assert_eq!(
            json_validate(deep.as_bytes()).unwrap_err(),
            "exceeded max depth"
        );
        assert!(json_check_object(b"null").is_ok());
        assert!(
            json_check_object(b"\"s\"")
                .unwrap_err()
                .contains("unmarshal string")
        );
    }

    /// A byte from 0x80 on is named as Go's `quoteChar` names it: read as the rune of the
    /// same number (this copy used to write `'\xc3'`).
    #[test]
    fn json_validation_names_bytes_as_go_does() {
        assert_eq!(
            json_validate("{é}".as_bytes()).unwrap_err(),
            "invalid character 'Ã' looking for beginning of object key string"
        );
        assert_eq!(
            json_validate(b"[\x85]").unwrap_err(),
            "invalid character '\\u0085' looking for beginning of value"
        );
    }
}
