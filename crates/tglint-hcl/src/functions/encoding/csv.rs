//! `csvdecode`: Go's `encoding/csv` reader (comma-separated, RFC 4180 quoting, no lazy
//! quotes, empty lines skipped, CRLF read as LF) as cty's `CSVDecodeFunc` drives it: the
//! first record names the columns, each further record becomes an object of strings.

use crate::value::Value;
use std::collections::BTreeMap;

const ERR_QUOTE: &str = "extraneous or missing \" in quoted-field";
const ERR_BARE_QUOTE: &str = "bare \" in non-quoted-field";
const ERR_FIELD_COUNT: &str = "wrong number of fields";

struct Reader<'a> {
    src: &'a str,
    pos: usize,
    num_line: usize,
}

/// A `csv.ParseError`, reduced to what cty reports: the line and the cause.
struct ParseError {
    line: usize,
    err: &'static str,
}

fn ends_nl(s: &str) -> usize {
    usize::from(s.ends_with('\n'))
}

impl<'a> Reader<'a> {
    /// Go's `readLine`: the next line with its `\n` (CRLF normalised), `None` at the end.
    fn read_line(&mut self) -> Option<String> {
        let rest = self.src.get(self.pos..).unwrap_or("");
        self.num_line += 1;
        if rest.is_empty() {
            return None;
        }
        let (mut line, used) = match rest.find('\n') {
            Some(i) => (rest[..=i].to_string(), i + 1),
            None => {
                let mut l = rest.to_string();
                if l.ends_with('\r') {
                    l.pop();
                }
                (l, rest.len())
            }
        };
        self.pos += used;
        if line.ends_with("\r\n") {
            line.truncate(line.len() - 2);
            line.push('\n');
        }
        Some(line)
    }

    /// Go's `readRecord`: the line the record starts on and its fields, `Ok(None)` at
    /// the end of the input.
    fn read_record(&mut self) -> Result<Option<(usize, Vec<String>)>, ParseError> {
        let mut line = loop {
            match self.read_line() {
                None => return Ok(None),
                Some(l) if l.len() == ends_nl(&l) => continue,
                Some(l) => break l,
            }
        };
        let rec_line = self.num_line;
        let mut fields = Vec::new();
        'field: loop {
            if !line.starts_with('"') {
                let (field, rest) = match line.find(',') {
                    Some(i) => (line[..i].to_string(), Some(line[i + 1..].to_string())),
                    None => (line[..line.len() - ends_nl(&line)].to_string(), None),
                };
                if field.contains('"') {
                    return Err(ParseError {
                        line: self.num_line,
                        err: ERR_BARE_QUOTE,
                    });
                }
                fields.push(field);
                match rest {
                    Some(r) => {
                        line = r;
                        continue 'field;
                    }
                    None => break 'field,
                }
            }
            // A quoted field, possibly over several lines.
            line = line[1..].to_string();
            let mut buf = String::new();
            loop {
                if let Some(i) = line.find('"') {
                    buf.push_str(&line[..i]);
                    line = line[i + 1..].to_string();
                    if line.starts_with('"') {
                        buf.push('"');
                        line = line[1..].to_string();
                    } else if line.starts_with(',') {
                        line = line[1..].to_string();
                        fields.push(buf);
                        continue 'field;
                    } else if line.len() == ends_nl(&line) {
                        fields.push(buf);
                        break 'field;
                    } else {
                        return Err(ParseError {
                            line: self.num_line,
                            err: ERR_QUOTE,
                        });
                    }
                } else if !line.is_empty() {
                    buf.push_str(&line);
                    line = self.read_line().unwrap_or_default();
                } else {
                    return Err(ParseError {
                        line: self.num_line,
                        err: ERR_QUOTE,
                    });
                }
            }
        }
        Ok(Some((rec_line, fields)))
    }
}

fn csv_error(e: ParseError) -> String {
    format!("CSV parse error on line {}: {}", e.line, e.err)
}

pub(super) fn decode(src: &str) -> Result<Value, String> {
    let mut r = Reader {
        src,
        pos: 0,
        num_line: 0,
    };
    let headers = match r.read_record().map_err(csv_error)? {
        Some((_, h)) => h,
        None => return Err("missing header line".into()),
    };
    for (i, h) in headers.iter().enumerate() {
        if headers[..i].contains(h) {
            return Err(format!("duplicate column name {}", crate::go::quote(h)));
        }
    }
    let mut rows = Vec::new();
    while let Some((rec_line, record)) = r.read_record().map_err(csv_error)? {
        if record.len() != headers.len() {
            return Err(csv_error(ParseError {
                line: rec_line,
                err: ERR_FIELD_COUNT,
            }));
        }
        let obj: BTreeMap<String, Value> = headers
            .iter()
            .cloned()
            .zip(record.into_iter().map(Value::string))
            .collect();
        rows.push(Value::object(obj));
    }
    // A list of objects with a string attribute per column, even with no rows.
    let row = crate::types::Ty::Object(
        headers
            .into_iter()
            .map(|h| (crate::value::nfc(h), crate::types::Ty::String))
            .collect(),
    );
    Ok(Value::list_of(&row, rows))
}

#[cfg(test)]
mod tests {
    use crate::functions::testing::*;

    #[test]
    fn csvdecode_documented_example() {
        let v = ok("csvdecode", vec![s("a,b,c\n1,2,3\n4,5,6")]);
        shows(
            &v,
            r#"tolist([{ a = "1", b = "2", c = "3" }, { a = "4", b = "5", c = "6" }])"#,
        );
    }

    #[test]
    fn csvdecode_quoting_and_lines() {
        let v = ok(
            "csvdecode",
            vec![s(
                "name,note\r\n\"x, y\",\"say \"\"hi\"\"\"\r\n\n\nz,\"two\r\nlines\"\n",
            )],
        );
        shows(
            &v,
            r#"tolist([{ name = "x, y", note = "say \"hi\"" }, { name = "z", note = "two\nlines" }])"#,
        );
        shows(&ok("csvdecode", vec![s("a,b\n")]), "tolist([])");
        shows(&ok("csvdecode", vec![s("a\n\n")]), "tolist([])");
        shows(
            &ok("csvdecode", vec![s("a,b\n,\n")]),
            r#"tolist([{ a = "", b = "" }])"#,
        );
        shows(
            &ok("csvdecode", vec![s("a\r\nx\r")]),
            r#"tolist([{ a = "x" }])"#,
        );
        shows(
            &ok("csvdecode", vec![s(" a , b \n 1 , 2 ")]),
            r#"tolist([{ " a " = " 1 ", " b " = " 2 " }])"#,
        );
    }

    #[test]
    fn csvdecode_errors() {
        err("csvdecode", vec![s("")], "missing header line");
        err("csvdecode", vec![s("\n\n")], "missing header line");
        err(
            "csvdecode",
            vec![s("a,b\n1,2\n3")],
            "CSV parse error on line 3: wrong number of fields",
        );
        err(
            "csvdecode",
            vec![s("a,b\n\n\n1,2,3")],
            "CSV parse error on line 4: wrong number of fields",
        );
        err(
            "csvdecode",
            vec![s("a,b\n1,x\"y")],
            r#"CSV parse error on line 2: bare \" in non-quoted-field"#,
        );
        err(
            "csvdecode",
            vec![s("a,b\n\"1\"x,2")],
            r#"CSV parse error on line 2: extraneous or missing \" in quoted-field"#,
        );
        err(
            "csvdecode",
            vec![s("a\n\"open")],
            r#"CSV parse error on line 3: extraneous or missing \" in quoted-field"#,
        );
        err(
            "csvdecode",
            vec![s("a,a\n1,2")],
            r#"duplicate column name \"a\""#,
        );
        err("csvdecode", vec![Value::tuple(vec![])], "string required");
        assert!(!ok("csvdecode", vec![Value::unknown("u")]).is_known());
    }

    use crate::value::Value;

    /// Checked against `terraform console`'s `type()`: no rows, still a list of objects
    /// of the header's columns.
    #[test]
    fn typed_empty_csvdecode() {
        types(&[
            (r#"csvdecode("a")"#, "list(object({a: string}))"),
            (
                r#"csvdecode("a,b")"#,
                "list(object({a: string, b: string}))",
            ),
            (r#"csvdecode("a,b")[*].a"#, "list(string)"),
            (r#"csvdecode("a,b")[*].c"#, "error"),
        ]);
    }
}
