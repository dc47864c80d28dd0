//! Terraform's encoding functions: `base64decode`, `base64encode`, `base64gzip`,
//! `csvdecode`, `jsondecode`, `jsonencode`, `textdecodebase64`, `textencodebase64`,
//! `urlencode`, `yamldecode` and `yamlencode`.
//!
//! The formats follow the Go code Terraform v0.15.3 runs: `encoding/base64`'s standard
//! decoder (padding required, CR/LF ignored), `encoding/csv`, cty's JSON decoding over
//! `encoding/json`'s tokenizer (and its error wording), and go-cty-yaml v1.0.2, a fork of
//! go-yaml v2 with its own scalar resolution and libyaml's emitter.

mod csv;
mod json;
mod text;
mod yaml;

use super::str_arg;
use super::{Functions, Param, unknown_in};

/// cty's JSON encoding of a wholly known value (what `jsonencode` and `format("%#v")`
/// print): compact, keys sorted, HTML-safe escapes.
pub(super) fn json_text(v: &Value) -> Result<String, String> {
    json::encode(v)
}
use crate::error::FnError;
use crate::value::Value;
use base64::Engine as _;
use std::io::Write as _;

/// Standard base64 with padding, as Go's `base64.StdEncoding.EncodeToString`.
pub(super) fn base64_encode(bytes: &[u8]) -> String {
    base64::engine::general_purpose::STANDARD.encode(bytes)
}

fn b64_value(c: u8) -> Option<u8> {
    match c {
        b'A'..=b'Z' => Some(c - b'A'),
        b'a'..=b'z' => Some(c - b'a' + 26),
        b'0'..=b'9' => Some(c - b'0' + 52),
        b'+' => Some(62),
        b'/' => Some(63),
        _ => None,
    }
}

/// Go's `base64.StdEncoding.DecodeString`: the standard alphabet, padding required, CR
/// and LF skipped anywhere, non-zero trailing bits accepted. An error carries the byte
/// offset Go's `CorruptInputError` reports.
pub(super) fn go_base64_decode(s: &str) -> Result<Vec<u8>, usize> {
    let src = s.as_bytes();
    let is_nl = |c: u8| c == b'\n' || c == b'\r';
    let mut out = Vec::with_capacity(src.len() / 4 * 3 + 3);
    let mut si = 0usize;
    loop {
        let mut dbuf = [0u8; 4];
        let mut dlen = 4;
        let mut j = 0;
        let mut trailing: Option<usize> = None;
        while j < 4 {
            let Some(&c) = src.get(si) else {
                if j == 0 {
                    return Ok(out);
                }
                return Err(si - j);
            };
            si += 1;
            if let Some(v) = b64_value(c) {
                dbuf[j] = v;
                j += 1;
                continue;
            }
            if is_nl(c) {
                continue;
            }
            if c != b'=' {
                return Err(si - 1);
            }
            match j {
                0 | 1 => return Err(si - 1),
                2 => {
                    while src.get(si).is_some_and(|&c| is_nl(c)) {
                        si += 1;
                    }
                    match src.get(si) {
                        None => return Err(src.len()),
                        Some(&b'=') => si += 1,
                        Some(_) => return Err(si - 1),
                    }
                }
                _ => {}
            }
            while src.get(si).is_some_and(|&c| is_nl(c)) {
                si += 1;
            }
            if si < src.len() {
                trailing = Some(si);
            }
            dlen = j;
            break;
        }
        let val = u32::from(dbuf[0]) << 18
            | u32::from(dbuf[1]) << 12
            | u32::from(dbuf[2]) << 6
            | u32::from(dbuf[3]);
        let bytes = val.to_be_bytes();
        let take = dlen.saturating_sub(1);
        out.extend_from_slice(bytes.get(1..1 + take).unwrap_or(&[]));
        if let Some(e) = trailing {
            return Err(e);
        }
    }
}

/// Go's `url.QueryEscape`: unreserved characters kept, space as `+`, every other byte
/// of the UTF-8 encoding as `%XX`.
fn query_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for &b in s.as_bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                out.push(char::from(b))
            }
            b' ' => out.push('+'),
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

/// gzip as Go's `gzip.NewWriter` writes it (no name, zero mtime, OS "unknown", default
/// level) after Terraform's `Flush` and `Close`: the data, a sync-flush marker, then an
/// empty final stored block (Go's `Close`), CRC-32 and length.
fn gzip(data: &[u8]) -> std::io::Result<Vec<u8>> {
    let mut out = vec![0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 0xff];
    let mut enc = flate2::write::DeflateEncoder::new(Vec::new(), flate2::Compression::default());
    enc.write_all(data)?;
    enc.flush()?;
    out.extend_from_slice(enc.get_ref());
    out.extend_from_slice(&[0x01, 0x00, 0x00, 0xff, 0xff]);
    let mut crc = flate2::Crc::new();
    crc.update(data);
    out.extend_from_slice(&crc.sum().to_le_bytes());
    // ISIZE is the length modulo 2^32.
    out.extend_from_slice(&((data.len() & 0xFFFF_FFFF) as u32).to_le_bytes());
    Ok(out)
}

pub(crate) fn register(f: &mut Functions) {
    f.add("base64encode", &[Param::new("str")], None, |_, args| {
        let s = str_arg(&args, 0)?;
        Ok(Value::string(base64_encode(s.as_bytes())))
    });

    f.add("base64decode", &[Param::new("str")], None, |_, args| {
        let s = str_arg(&args, 0)?;
        let bytes = go_base64_decode(&s)
            .map_err(|_| FnError::call(format!("failed to decode base64 data '{s}'")))?;
        String::from_utf8(bytes).map(Value::string).map_err(|_| {
            FnError::call("the result of decoding the provided string is not valid UTF-8")
        })
    });

    f.add("base64gzip", &[Param::new("str")], None, |_, args| {
        let s = str_arg(&args, 0)?;
        let z = gzip(s.as_bytes())
            .map_err(|e| FnError::call(format!("failed to write gzip raw data: {e}")))?;
        Ok(Value::string(base64_encode(&z)))
    });

    f.add("urlencode", &[Param::new("str")], None, |_, args| {
        let s = str_arg(&args, 0)?;
        Ok(Value::string(query_escape(&s)))
    });

    f.add(
        "textencodebase64",
        &[Param::new("string"), Param::new("encoding")],
        None,
        |_, args| {
            let s = str_arg(&args, 0)?;
            let name = str_arg(&args, 1)?;
            let cs = text::Charset::lookup(&name).map_err(|m| FnError::arg(1, m))?;
            match cs.encode(&s).map_err(|m| FnError::arg(0, m))? {
                text::Outcome::Done(bytes) => Ok(Value::string(base64_encode(&bytes))),
                text::Outcome::Unknown(u) => Ok(u),
            }
        },
    );

    f.add(
        "textdecodebase64",
        &[Param::new("source"), Param::new("encoding")],
        None,
        |_, args| {
            let s = str_arg(&args, 0)?;
            let name = str_arg(&args, 1)?;
            let cs = text::Charset::lookup(&name).map_err(|m| FnError::arg(1, m))?;
            let bytes = go_base64_decode(&s).map_err(|at| {
                FnError::arg(
                    0,
                    format!("the given value is has an invalid base64 symbol at offset {at}"),
                )
            })?;
            match cs.decode(&bytes).map_err(|m| FnError::arg(0, m))? {
                text::Outcome::Done(s) => Ok(Value::string(s)),
                text::Outcome::Unknown(u) => Ok(u),
            }
        },
    );

    f.add("csvdecode", &[Param::new("str")], None, |_, args| {
        let s = str_arg(&args, 0)?;
        csv::decode(&s).map_err(FnError::call)
    });

    f.add("jsondecode", &[Param::new("str")], None, |_, args| {
        let s = str_arg(&args, 0)?;
        json::decode(&s).map_err(FnError::call)
    });

    f.add(
        "jsonencode",
        &[Param::new("val").nullable()],
        None,
        |_, args| {
            if let Some(u) = unknown_in(&args) {
                return Ok(u);
            }
            let v = args
                .first()
                .ok_or_else(|| FnError::call("missing argument"))?;
            json::encode(v).map(Value::string).map_err(FnError::call)
        },
    );

    f.add("yamldecode", &[Param::new("src")], None, |_, args| {
        let s = str_arg(&args, 0)?;
        yaml::decode(&s).map_err(FnError::call)
    });

    f.add(
        "yamlencode",
        &[Param::new("value").nullable()],
        None,
        |_, args| {
            if let Some(u) = unknown_in(&args) {
                return Ok(u);
            }
            let v = args
                .first()
                .ok_or_else(|| FnError::call("missing argument"))?;
            Ok(Value::string(yaml::encode(v)))
        },
    );
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::functions::testing::*;

    fn gunzip(b64: &str) -> Vec<u8> {
        use std::io::Read as _;
        let z = match go_base64_decode(b64) {
            Ok(z) => z,
            Err(at) => panic!("bad base64 at {at}"),
        };
        let mut out = Vec::new();
        if let Err(e) = flate2::read::GzDecoder::new(&z[..]).read_to_end(&mut out) {
            panic!("{e}");
        }
        out
    }

    #[test]
    fn base64_documented_examples() {
        shows(
            &ok("base64encode", vec![s("Hello World")]),
            r#""SGVsbG8gV29ybGQ=""#,
        );
        shows(
            &ok("base64decode", vec![s("SGVsbG8gV29ybGQ=")]),
            r#""Hello World""#,
        );
        shows(&ok("base64encode", vec![s("")]), r#""""#);
        shows(&ok("base64decode", vec![s("")]), r#""""#);
        shows(&ok("base64decode", vec![s("4pyT")]), r#""✓""#);
        // Go skips CR and LF anywhere.
        shows(&ok("base64decode", vec![s("SGVs\r\nbG8=\n")]), r#""Hello""#);
        err(
            "base64decode",
            vec![s("SGVsbG8")],
            "failed to decode base64 data 'SGVsbG8'",
        );
        err(
            "base64decode",
            vec![s("SGVsbG8=x")],
            "failed to decode base64 data",
        );
        err(
            "base64decode",
            vec![s("SGVs bG8=")],
            "failed to decode base64 data",
        );
        err("base64decode", vec![s("/w==")], "not valid UTF-8");
        err(
            "base64encode",
            vec![Value::tuple(vec![])],
            "string required",
        );
        assert!(!ok("base64decode", vec![Value::unknown("u")]).is_known());
    }

    #[test]
    fn go_base64_offsets() {
        assert_eq!(go_base64_decode("<invalid base64>"), Err(0));
        assert_eq!(go_base64_decode("YWJj!"), Err(4));
        assert_eq!(go_base64_decode("YWI"), Err(0));
        assert_eq!(go_base64_decode("YWJjZA="), Err(7));
        assert_eq!(go_base64_decode("YWJjZA==YQ=="), Err(8));
        assert_eq!(go_base64_decode("YQ==").as_deref(), Ok(&b"a"[..]));
        assert_eq!(go_base64_decode("YR==").as_deref(), Ok(&b"a"[..]));
        assert_eq!(go_base64_decode("=").map(|_| ()), Err(0));
    }

    #[test]
    fn base64gzip_round_trips() {
        // Byte for byte what Go's compress/gzip writes (checked against Go).
        shows(
            &ok("base64gzip", vec![s("Hello World")]),
            r#""H4sIAAAAAAAA//JIzcnJVwjPL8pJAQAAAP//AQAA//9WsRdKCwAAAA==""#,
        );
        shows(
            &ok("base64gzip", vec![s("")]),
            r#""H4sIAAAAAAAA/wAAAP//AQAA//8AAAAAAAAAAA==""#,
        );
        let v = ok("base64gzip", vec![s("test")]);
        let text = v.as_str().unwrap_or("").to_string();
        assert_eq!(gunzip(&text), b"test");
        let long = "abc ".repeat(1000);
        let v = ok("base64gzip", vec![s(&long)]);
        assert_eq!(gunzip(v.as_str().unwrap_or("")), long.as_bytes());
        assert_eq!(
            gunzip(ok("base64gzip", vec![s("")]).as_str().unwrap_or("")),
            b""
        );
    }

    #[test]
    fn urlencode_documented_examples() {
        shows(
            &ok("urlencode", vec![s("Hello World!")]),
            r#""Hello+World%21""#,
        );
        shows(&ok("urlencode", vec![s("☃")]), r#""%E2%98%83""#);
        shows(
            &ok("urlencode", vec![s("foo:bar@localhost?foo=bar&bar=baz")]),
            r#""foo%3Abar%40localhost%3Ffoo%3Dbar%26bar%3Dbaz""#,
        );
        shows(
            &ok("urlencode", vec![s("a-b_c.d~e/f")]),
            r#""a-b_c.d~e%2Ff""#,
        );
        shows(&ok("urlencode", vec![n(12)]), r#""12""#);
    }

    #[test]
    fn textencodebase64_documented_examples() {
        shows(
            &ok("textencodebase64", vec![s("Hello World"), s("UTF-16LE")]),
            r#""SABlAGwAbABvACAAVwBvAHIAbABkAA==""#,
        );
        shows(
            &ok(
                "textdecodebase64",
                vec![s("SABlAGwAbABvACAAVwBvAHIAbABkAA=="), s("UTF-16LE")],
            ),
            r#""Hello World""#,
        );
        shows(
            &ok(
                "textdecodebase64",
                vec![
                    s("YQBiAGMAMQAyADMAIQA/ACQAKgAmACgAKQAnAC0APQBAAH4A"),
                    s("UTF-16LE"),
                ],
            ),
            r#""abc123!?$*&()'-=@~""#,
        );
        shows(
            &ok(
                "textdecodebase64",
                vec![s("YWJjMTIzIT8kKiYoKSctPUB+"), s("UTF-8")],
            ),
            r#""abc123!?$*&()'-=@~""#,
        );
        shows(
            &ok(
                "textdecodebase64",
                vec![s("YWJjMTIzIT8kKiYoKSctPUB+"), s("CP936")],
            ),
            r#""abc123!?$*&()'-=@~""#,
        );
        err(
            "textdecodebase64",
            vec![s("doesn't matter"), s("NOT-EXISTS")],
            r#"\"NOT-EXISTS\" is not a supported IANA encoding name or alias in this Terraform version"#,
        );
        err(
            "textdecodebase64",
            vec![s("<invalid base64>"), s("windows-1252")],
            "the given value is has an invalid base64 symbol at offset 0",
        );
        err(
            "textdecodebase64",
            vec![s("gQ=="), s("windows-1250")],
            "the given string contains symbols that are not defined for windows-1250",
        );
        err(
            "textencodebase64",
            vec![s("☃"), s("windows-1252")],
            "the given string contains characters that cannot be represented in windows-1252",
        );
        assert!(!ok("textencodebase64", vec![s("a"), Value::unknown("u")]).is_known());
    }
}
