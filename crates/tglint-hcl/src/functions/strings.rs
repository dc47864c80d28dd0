//! Terraform v0.15.3's string functions: `chomp`, `indent`, `join`, `lower`, `upper`,
//! `regex`, `regexall`, `replace`, `split`, `strrev`, `substr`, `title`, `trim`,
//! `trimprefix`, `trimsuffix`, `trimspace`.
//!
//! Terraform runs these on Go's standard library (through cty); the behaviour kept here is
//! Go's: simple (one character to one character) case mappings, ASCII-only `\d`/`\w`/`\s`/`\b`
//! in regular expressions, `$1`/`${name}` expansion in `replace`, and "character" meaning
//! an extended grapheme cluster for `strrev` and `substr`.

use super::conversion::Ty;
use super::str_arg;
use super::{Functions, Param, unknown_in};
use crate::error::FnError;
use crate::value::{Data, SeqKind, Value};
use regex::{Captures, Regex, RegexBuilder};
use std::collections::BTreeMap;
use std::sync::OnceLock;

/// The largest string these functions build; Terraform has no limit but would allocate
/// without bound, so absurd requests become errors here.
pub(super) const MAX_RESULT_LEN: usize = 64 << 20;

pub(super) fn too_large() -> FnError {
    FnError::call(format!(
        "the result would be larger than {} MiB",
        MAX_RESULT_LEN >> 20
    ))
}

pub(crate) fn register(f: &mut Functions) {
    let str_p = Param::new("str");

    f.add("upper", &[str_p], None, |_, args| {
        let s = str_arg(&args, 0)?;
        Ok(Value::string(
            s.chars().map(simple_upper).collect::<String>(),
        ))
    });
    f.add("lower", &[str_p], None, |_, args| {
        let s = str_arg(&args, 0)?;
        Ok(Value::string(
            s.chars().map(simple_lower).collect::<String>(),
        ))
    });
    f.add("title", &[str_p], None, |_, args| {
        Ok(Value::string(title(&str_arg(&args, 0)?)))
    });
    f.add("strrev", &[str_p], None, |_, args| {
        let s = str_arg(&args, 0)?;
        let mut clusters: Vec<&str> = graphemes(&s).collect();
        clusters.reverse();
        Ok(Value::string(clusters.concat()))
    });
    f.add("chomp", &[str_p], None, |_, args| {
        let s = str_arg(&args, 0)?;
        Ok(Value::string(s.trim_end_matches(['\r', '\n'])))
    });
    f.add("trimspace", &[str_p], None, |_, args| {
        // Go's unicode.IsSpace is the White_Space property, as Rust's `trim` uses.
        Ok(Value::string(str_arg(&args, 0)?.trim()))
    });
    f.add("trim", &[str_p, Param::new("cutset")], None, |_, args| {
        let s = str_arg(&args, 0)?;
        let cutset = str_arg(&args, 1)?;
        Ok(Value::string(s.trim_matches(|c| cutset.contains(c))))
    });
    f.add(
        "trimprefix",
        &[str_p, Param::new("prefix")],
        None,
        |_, args| {
            let s = str_arg(&args, 0)?;
            let prefix = str_arg(&args, 1)?;
            Ok(Value::string(s.strip_prefix(prefix.as_str()).unwrap_or(&s)))
        },
    );
    f.add(
        "trimsuffix",
        &[str_p, Param::new("suffix")],
        None,
        |_, args| {
            let s = str_arg(&args, 0)?;
            let suffix = str_arg(&args, 1)?;
            Ok(Value::string(s.strip_suffix(suffix.as_str()).unwrap_or(&s)))
        },
    );
    f.add("indent", &[Param::new("spaces"), str_p], None, |_, args| {
        let spaces = whole_number(&args, 0)?;
        let s = str_arg(&args, 1)?;
        // Go's strings.Repeat panics on a negative count, and cty reports the panic.
        let spaces = usize::try_from(spaces).map_err(|_| {
            FnError::call("panic in function implementation: strings: negative Repeat count")
        })?;
        let lines = s.matches('\n').count();
        let size = lines
            .checked_mul(spaces)
            .and_then(|n| n.checked_add(s.len()))
            .filter(|&n| n <= MAX_RESULT_LEN)
            .ok_or_else(too_large)?;
        let mut out = String::with_capacity(size);
        for (i, line) in s.split('\n').enumerate() {
            if i > 0 {
                out.push('\n');
                out.extend(std::iter::repeat_n(' ', spaces));
            }
            out.push_str(line);
        }
        Ok(Value::string(out))
    });
    f.add(
        "split",
        &[Param::new("separator"), str_p],
        None,
        |_, args| {
            let sep = str_arg(&args, 0)?;
            let s = str_arg(&args, 1)?;
            // Go's strings.Split: an empty separator splits after each character, and
            // an empty string then gives no elements at all.
            let parts: Vec<Value> = if sep.is_empty() {
                s.chars().map(|c| Value::string(c.to_string())).collect()
            } else {
                s.split(sep.as_str()).map(Value::string).collect()
            };
            Ok(Value::list_of(&Ty::String, parts))
        },
    );
    f.add(
        "substr",
        &[str_p, Param::new("offset"), Param::new("length")],
        None,
        |_, args| {
            let s = str_arg(&args, 0)?;
            let offset = whole_number(&args, 1)?;
            let length = whole_number(&args, 2)?;
            Ok(Value::string(substr(&s, offset, length)))
        },
    );
    f.add(
        "join",
        &[Param::new("separator")],
        Some(Param::new("lists")),
        |_, args| join(&args),
    );
    f.add(
        "replace",
        &[str_p, Param::new("substr"), Param::new("replace")],
        None,
        |_, args| {
            let s = str_arg(&args, 0)?;
            let old = str_arg(&args, 1)?;
            let new = str_arg(&args, 2)?;
            replace(&s, &old, &new).map(Value::string)
        },
    );
    // The string may be unknown: cty checks the pattern (while working out the result
    // type) before it looks at the string.
    let string_p = Param::new("string").unknowns();
    f.add(
        "regex",
        &[Param::new("pattern"), string_p],
        None,
        |_, args| {
            let (re, shape) = pattern_arg(&args)?;
            if !args.get(1).is_some_and(Value::is_known) {
                return Ok(unknown_in(&args).unwrap_or_else(|| Value::unknown("unknown string")));
            }
            let s = str_arg(&args, 1)?;
            match re.captures(&s) {
                Some(caps) => Ok(capture_value(&re, shape, &caps)),
                None => Err(FnError::call(
                    "pattern did not match any part of the given string",
                )),
            }
        },
    );
    f.add(
        "regexall",
        &[Param::new("pattern"), string_p],
        None,
        |_, args| {
            let (re, shape) = pattern_arg(&args)?;
            if !args.get(1).is_some_and(Value::is_known) {
                return Ok(unknown_in(&args).unwrap_or_else(|| Value::unknown("unknown string")));
            }
            let s = str_arg(&args, 1)?;
            let all = re
                .captures_iter(&s)
                .map(|caps| capture_value(&re, shape, &caps))
                .collect();
            // A list of what `regex` would answer, even when nothing matches.
            Ok(Value::list_of(&capture_type(&re, shape), all))
        },
    );
}

/// Argument `i` converted to a Go `int` as cty's gocty does it.
fn whole_number(args: &[Value], i: usize) -> Result<i64, FnError> {
    let v = args
        .get(i)
        .ok_or_else(|| FnError::arg(i, "argument is missing"))?;
    let n = v.to_number_conv().map_err(|m| FnError::arg(i, m))?;
    n.as_i64().ok_or_else(|| {
        FnError::call(format!(
            "value must be a whole number, between {} and {}",
            i64::MIN,
            i64::MAX
        ))
    })
}

// ---- case mapping -------------------------------------------------------------------

/// Go's `unicode.ToUpper`: the simple mapping, leaving characters whose uppercase is
/// several characters (`ß`, `ﬄ`) alone.
pub(super) fn simple_upper(c: char) -> char {
    let cp = c as u32;
    // Greek letters with ypogegrammeni have a one-character simple uppercase (their
    // titlecase form) although their full uppercase is two characters.
    let mapped = match cp {
        0x1F80..=0x1F87 | 0x1F90..=0x1F97 | 0x1FA0..=0x1FA7 => Some(cp + 8),
        0x1FB3 => Some(0x1FBC),
        0x1FC3 => Some(0x1FCC),
        0x1FF3 => Some(0x1FFC),
        _ => None,
    };
    if let Some(m) = mapped.and_then(char::from_u32) {
        return m;
    }
    single(c.to_uppercase()).unwrap_or(c)
}

/// Go's `unicode.ToLower`: the simple mapping.
pub(super) fn simple_lower(c: char) -> char {
    if c == '\u{130}' {
        return 'i';
    }
    single(c.to_lowercase()).unwrap_or(c)
}

/// Go's `unicode.ToTitle`: the uppercase mapping except for the Latin digraphs (which
/// have a distinct titlecase form) and Georgian Mkhedruli (which has none).
fn simple_title(c: char) -> char {
    let cp = c as u32;
    let mapped = match cp {
        0x1C4..=0x1C6 => 0x1C5,
        0x1C7..=0x1C9 => 0x1C8,
        0x1CA..=0x1CC => 0x1CB,
        0x1F1..=0x1F3 => 0x1F2,
        0x10D0..=0x10FA | 0x10FD..=0x10FF => cp,
        _ => return simple_upper(c),
    };
    char::from_u32(mapped).unwrap_or(c)
}

fn single(mut it: impl Iterator<Item = char>) -> Option<char> {
    let first = it.next()?;
    if it.next().is_some() {
        None
    } else {
        Some(first)
    }
}

/// Go's `strings.Title`: the first letter of each word in titlecase, where words are
/// separated by ASCII characters other than letters, digits and `_`, and by Unicode
/// white space.
fn title(s: &str) -> String {
    let is_separator = |c: char| {
        if c.is_ascii() {
            !(c.is_ascii_alphanumeric() || c == '_')
        } else {
            c.is_whitespace()
        }
    };
    let mut prev = ' ';
    s.chars()
        .map(|c| {
            let out = if is_separator(prev) {
                simple_title(c)
            } else {
                c
            };
            prev = c;
            out
        })
        .collect()
}

// ---- grapheme clusters --------------------------------------------------------------

/// The extended grapheme clusters of `s` (UAX #29), in order; they concatenate back to
/// `s`. Terraform's textseg predates Unicode 15.1's conjunct rule, so a few Indic
/// sequences may split differently here.
pub(super) fn graphemes(s: &str) -> unicode_segmentation::Graphemes<'_> {
    unicode_segmentation::UnicodeSegmentation::graphemes(s, true)
}

/// cty's `substr`, quirks included: a negative offset counts from the end (and is
/// clamped to the start), a negative length takes the rest, and a zero length with a
/// negative offset also takes the rest.
fn substr(s: &str, offset: i64, length: i64) -> String {
    let clusters: Vec<&str> = graphemes(s).collect();
    let total = i64::try_from(clusters.len()).unwrap_or(i64::MAX);
    let mut offset = offset;
    if offset < 0 {
        offset = offset.saturating_add(total);
    } else if length == 0 {
        return String::new();
    }
    let start = usize::try_from(offset.max(0)).unwrap_or(usize::MAX);
    let rest = clusters.get(start..).unwrap_or_default();
    if length <= 0 {
        return rest.concat();
    }
    let take = usize::try_from(length).unwrap_or(usize::MAX);
    rest.iter().take(take).copied().collect()
}

// ---- join ---------------------------------------------------------------------------

fn join(args: &[Value]) -> Result<Value, FnError> {
    let sep = str_arg(args, 0)?;
    let lists = args.get(1..).unwrap_or_default();
    // cty converts each argument to list(string) before the function runs.
    let mut converted: Vec<Vec<Option<String>>> = Vec::with_capacity(lists.len());
    let mut unknown = false;
    for (ai, list) in lists.iter().enumerate() {
        let idx = ai + 1;
        let Data::Seq(kind, items) = &list.data else {
            return Err(FnError::arg(idx, "list of string required"));
        };
        // An empty list still has an element type, which must convert to string.
        if items.is_empty()
            && let Err(m) = super::conversion::convert(list.clone(), &Ty::list(Ty::String))
        {
            return Err(FnError::arg(idx, m));
        }
        let mut strs = Vec::with_capacity(items.len());
        for (ei, item) in items.iter().enumerate() {
            match &item.data {
                Data::Null => strs.push(None),
                Data::Unknown(_) => {
                    unknown = true;
                    strs.push(None);
                }
                Data::String(_) | Data::Number(_) | Data::Bool(_) => {
                    strs.push(item.to_str_conv().ok());
                }
                _ => {
                    return Err(FnError::arg(
                        idx,
                        if *kind == SeqKind::Tuple {
                            format!("element {ei}: string required")
                        } else {
                            "list of string required".to_string()
                        },
                    ));
                }
            }
        }
        converted.push(strs);
    }
    if converted.is_empty() {
        return Err(FnError::call("at least one list is required"));
    }
    if unknown {
        return Ok(unknown_in(args).unwrap_or_else(|| Value::unknown("unknown list element")));
    }
    let many = converted.len() > 1;
    let mut items: Vec<String> = Vec::new();
    for (ai, list) in converted.into_iter().enumerate() {
        for (ei, item) in list.into_iter().enumerate() {
            match item {
                Some(s) => items.push(s),
                None if many => {
                    return Err(FnError::arg(
                        ai + 1,
                        format!(
                            "element {ei} of list {} is null; cannot concatenate null values",
                            ai + 1
                        ),
                    ));
                }
                None => {
                    return Err(FnError::arg(
                        ai + 1,
                        format!("element {ei} is null; cannot concatenate null values"),
                    ));
                }
            }
        }
    }
    let size = items
        .iter()
        .map(String::len)
        .try_fold(0usize, |acc, n| acc.checked_add(n))
        .and_then(|n| n.checked_add(sep.len().checked_mul(items.len())?))
        .filter(|&n| n <= MAX_RESULT_LEN)
        .ok_or_else(too_large)?;
    let mut out = String::with_capacity(size);
    for (i, s) in items.iter().enumerate() {
        if i > 0 {
            out.push_str(&sep);
        }
        out.push_str(s);
    }
    Ok(Value::string(out))
}

// ---- regular expressions -------------------------------------------------------------

/// Rewrites an RE2/Go pattern into the `regex` crate's dialect: `\d`, `\w`, `\s`, `\b`
/// (and their negations) are ASCII-only in Go, `\Q...\E` quotes literally, `[` inside a
/// class and a `{` that does not start a repetition are literal, and repetition counts
/// above 1000 are errors.
pub(super) fn translate_go_regex(p: &str) -> Result<String, String> {
    let mut out = String::with_capacity(p.len() + 16);
    let mut in_class = false;
    let mut class_first = false;
    let mut i = 0;
    while let Some(c) = p.get(i..).and_then(|t| t.chars().next()) {
        let next = i + c.len_utf8();
        if c == '\\' {
            let Some(e) = p.get(next..).and_then(|t| t.chars().next()) else {
                out.push('\\');
                break;
            };
            let after = next + e.len_utf8();
            let rep = match (e, in_class) {
                ('d', false) => Some("[0-9]"),
                ('d', true) => Some("0-9"),
                ('D', _) => Some("[^0-9]"),
                ('w', false) => Some("[0-9A-Za-z_]"),
                ('w', true) => Some("0-9A-Za-z_"),
                ('W', _) => Some("[^0-9A-Za-z_]"),
                ('s', false) => Some(r"[\t\n\x0C\r ]"),
                ('s', true) => Some(r"\t\n\x0C\r "),
                ('S', _) => Some(r"[^\t\n\x0C\r ]"),
                ('b', false) => Some(r"(?-u:\b)"),
                ('B', false) => Some(r"(?-u:\B)"),
                _ => None,
            };
            class_first = false;
            if let Some(r) = rep {
                out.push_str(r);
                i = after;
            } else if e == 'Q' && !in_class {
                let rest = p.get(after..).unwrap_or_default();
                let (lit, skip) = match rest.find(r"\E") {
                    Some(end) => (rest.get(..end).unwrap_or_default(), end + 2),
                    None => (rest, rest.len()),
                };
                // Each quoted character is its own literal: a following `*` repeats
                // only the last one.
                out.push_str(&regex::escape(lit));
                i = after + skip;
            } else if matches!(e, 'p' | 'P' | 'x')
                && p.get(after..).is_some_and(|t| t.starts_with('{'))
            {
                // `\p{Greek}`, `\x{263a}`: the braces belong to the escape.
                let rest = p.get(after..).unwrap_or_default();
                let len = rest.find('}').map_or(rest.len(), |end| end + 1);
                out.push('\\');
                out.push(e);
                out.push_str(rest.get(..len).unwrap_or_default());
                i = after + len;
            } else {
                out.push('\\');
                out.push(e);
                i = after;
            }
            continue;
        }
        if in_class {
            match c {
                ']' if class_first => out.push_str(r"\]"),
                ']' => {
                    in_class = false;
                    out.push(']');
                }
                '[' => {
                    // A POSIX class `[:name:]` stays; any other `[` is literal in Go.
                    let rest = p.get(i..).unwrap_or_default();
                    let posix = rest
                        .strip_prefix("[:")
                        .and_then(|r| r.find(":]").map(|end| end + 4))
                        .filter(|&len| {
                            rest.get(2..len - 2).is_some_and(|name| {
                                name.strip_prefix('^')
                                    .unwrap_or(name)
                                    .chars()
                                    .all(|ch| ch.is_ascii_alphabetic())
                            })
                        });
                    match posix.and_then(|len| rest.get(..len)) {
                        Some(class) => {
                            out.push_str(class);
                            i += class.len();
                            class_first = false;
                            continue;
                        }
                        None => out.push_str(r"\["),
                    }
                }
                '&' | '~' => {
                    out.push('\\');
                    out.push(c);
                }
                _ => out.push(c),
            }
            class_first = false;
            i = next;
            continue;
        }
        match c {
            '[' => {
                in_class = true;
                class_first = true;
                out.push('[');
                if p.get(next..).is_some_and(|t| t.starts_with('^')) {
                    out.push('^');
                    i = next + 1;
                    continue;
                }
            }
            '{' => match repeat_len(p.get(i..).unwrap_or_default())? {
                Some(len) => {
                    out.push_str(p.get(i..i + len).unwrap_or_default());
                    i += len;
                    continue;
                }
                None => out.push_str(r"\{"),
            },
            '}' => out.push_str(r"\}"),
            '(' if p.get(i..).is_some_and(|t| t.starts_with("(?P<")) => {
                // Go accepts any word characters as a group name (`(?P<1a>x)`); the
                // `regex` crate wants a letter or `_` first. Such a name is written with
                // a prefix no Go name can hold, and `go_group_name` takes it off.
                let rest = p.get(i + 4..).unwrap_or_default();
                let name = rest.split('>').next().unwrap_or_default();
                if rest.contains('>') && name.starts_with(|ch: char| ch.is_ascii_digit()) {
                    out.push_str("(?P<");
                    out.push_str(GROUP_PREFIX);
                    out.push_str(name);
                    out.push('>');
                    i += 4 + name.len() + 1;
                    continue;
                }
                out.push('(');
            }
            _ => out.push(c),
        }
        i = next;
    }
    Ok(out)
}

/// What `translate_go_regex` puts before a Go group name the `regex` crate refuses: `.`
/// is no word character, so no Go name starts with it.
const GROUP_PREFIX: &str = "_.";

/// A group name as the Go pattern wrote it.
fn go_group_name(name: &str) -> &str {
    name.strip_prefix(GROUP_PREFIX).unwrap_or(name)
}

/// If `s` starts with a Go repetition `{n}`, `{n,}` or `{n,m}`, its length; an error when
/// a count is above Go's limit of 1000.
fn repeat_len(s: &str) -> Result<Option<usize>, String> {
    let b = s.as_bytes();
    let digits = |from: usize| {
        b.iter()
            .skip(from)
            .take_while(|c| c.is_ascii_digit())
            .count()
    };
    let n1 = digits(1);
    if n1 == 0 {
        return Ok(None);
    }
    let mut j = 1 + n1;
    let mut n2 = 0;
    let mut has_comma = false;
    if b.get(j) == Some(&b',') {
        has_comma = true;
        n2 = digits(j + 1);
        j += 1 + n2;
    }
    if b.get(j) != Some(&b'}') {
        return Ok(None);
    }
    let count =
        |from: usize, len: usize| -> Option<u64> { s.get(from..from + len)?.parse::<u64>().ok() };
    let min = count(1, n1);
    let max = if has_comma && n2 > 0 {
        count(2 + n1, n2)
    } else {
        min
    };
    let bad = |v: Option<u64>| v.is_none_or(|v| v > 1000);
    if bad(min) || bad(max) || (has_comma && n2 > 0 && max < min) {
        return Err(format!(
            "invalid repeat count: `{}`",
            s.get(..=j).unwrap_or_default()
        ));
    }
    Ok(Some(j + 1))
}

/// Compiles a Go regular expression, or gives the reason it is invalid.
pub(super) fn compile_go_regex(pattern: &str) -> Result<Regex, String> {
    let translated = translate_go_regex(pattern)?;
    RegexBuilder::new(&translated).build().map_err(|e| match e {
        regex::Error::Syntax(text) => text
            .lines()
            .rev()
            .find_map(|l| l.strip_prefix("error: "))
            .unwrap_or("invalid syntax")
            .to_string(),
        regex::Error::CompiledTooBig(_) => "expression too large".to_string(),
        _ => "invalid syntax".to_string(),
    })
}

/// What `regex` returns for a pattern: the matched string, a tuple of the unnamed
/// groups, or an object of the named groups.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Shape {
    Whole,
    Unnamed,
    Named,
}

fn pattern_arg(args: &[Value]) -> Result<(Regex, Shape), FnError> {
    let pattern = str_arg(args, 0)?;
    let re = compile_go_regex(&pattern)
        .map_err(|m| FnError::arg(0, format!("invalid regexp pattern: {m}")))?;
    let names: Vec<Option<&str>> = re.capture_names().skip(1).collect();
    let named = names.iter().filter(|n| n.is_some()).count();
    let shape = match (named, names.len() - named) {
        (0, 0) => Shape::Whole,
        (0, _) => Shape::Unnamed,
        (_, 0) => Shape::Named,
        _ => {
            return Err(FnError::arg(
                0,
                "invalid regexp pattern: cannot mix both named and unnamed capture groups",
            ));
        }
    };
    Ok((re, shape))
}

/// The cty type of what `regex` answers for a pattern: a string, a tuple of strings (one
/// per group) or an object of strings (one per named group).
fn capture_type(re: &Regex, shape: Shape) -> Ty {
    match shape {
        Shape::Whole => Ty::String,
        Shape::Unnamed => Ty::Tuple(vec![Ty::String; re.captures_len() - 1]),
        Shape::Named => Ty::Object(
            re.capture_names()
                .flatten()
                .map(|name| (go_group_name(name).to_string(), Ty::String))
                .collect(),
        ),
    }
}

fn capture_value(re: &Regex, shape: Shape, caps: &Captures<'_>) -> Value {
    let group = |i: usize| match caps.get(i) {
        Some(m) => Value::string(m.as_str()),
        None => Value::null(),
    };
    match shape {
        Shape::Whole => group(0),
        Shape::Unnamed => Value::tuple((1..caps.len()).map(group).collect()),
        Shape::Named => {
            let mut m = BTreeMap::new();
            for (i, name) in re.capture_names().enumerate().skip(1) {
                if let Some(name) = name {
                    m.insert(go_group_name(name).to_string(), group(i));
                }
            }
            Value::object(m)
        }
    }
}

/// Terraform's `replace`: a regular expression when the search string is wrapped in
/// slashes, otherwise a plain substring.
fn replace(s: &str, old: &str, new: &str) -> Result<String, FnError> {
    if old.len() > 1 && old.starts_with('/') && old.ends_with('/') {
        let inner = old.get(1..old.len() - 1).unwrap_or_default();
        let re = compile_go_regex(inner)
            .map_err(|m| FnError::call(format!("error parsing regexp: {m}: `{inner}`")))?;
        let mut out = String::new();
        let mut last = 0;
        for caps in re.captures_iter(s) {
            let Some(whole) = caps.get(0) else { continue };
            out.push_str(s.get(last..whole.start()).unwrap_or_default());
            expand_go_template(&re, &caps, new, &mut out);
            last = whole.end();
            if out.len() > MAX_RESULT_LEN {
                return Err(too_large());
            }
        }
        out.push_str(s.get(last..).unwrap_or_default());
        if out.len() > MAX_RESULT_LEN {
            return Err(too_large());
        }
        return Ok(out);
    }
    let count = if old.is_empty() {
        s.chars().count() + 1
    } else {
        s.matches(old).count()
    };
    let grow = new.len().saturating_sub(old.len());
    count
        .checked_mul(grow)
        .and_then(|g| g.checked_add(s.len()))
        .filter(|&n| n <= MAX_RESULT_LEN)
        .ok_or_else(too_large)?;
    Ok(s.replace(old, new))
}

/// A run of what Go's `Regexp.Expand` takes as a group name: letters, digits, `_`.
fn name_regex() -> Option<&'static Regex> {
    static RE: OnceLock<Option<Regex>> = OnceLock::new();
    RE.get_or_init(|| Regex::new(r"\A[\p{L}\p{Nd}_]+").ok())
        .as_ref()
}

/// Go's `Regexp.Expand`: `$name` or `${name}` is a group by number or name (the longest
/// run of letters, digits and `_`), an unknown or unmatched group is empty, `$$` is `$`,
/// and a malformed reference is kept as text.
fn expand_go_template(re: &Regex, caps: &Captures<'_>, template: &str, out: &mut String) {
    let mut rest = template;
    while let Some(pos) = rest.find('$') {
        out.push_str(rest.get(..pos).unwrap_or_default());
        rest = rest.get(pos + 1..).unwrap_or_default();
        if let Some(after) = rest.strip_prefix('$') {
            out.push('$');
            rest = after;
            continue;
        }
        let (braced, body) = match rest.strip_prefix('{') {
            Some(b) => (true, b),
            None => (false, rest),
        };
        let name_len = name_regex()
            .and_then(|r| r.find(body))
            .map_or(0, |m| m.end());
        let name = body.get(..name_len).unwrap_or_default();
        let tail = body.get(name_len..).unwrap_or_default();
        let tail = if braced {
            tail.strip_prefix('}')
        } else {
            Some(tail)
        };
        let (true, Some(tail)) = (!name.is_empty(), tail) else {
            out.push('$');
            continue;
        };
        rest = tail;
        let number = if name.bytes().all(|b| b.is_ascii_digit())
            && (name.len() == 1 || !name.starts_with('0'))
        {
            name.parse::<usize>().ok().filter(|&n| n < 100_000_000)
        } else {
            None
        };
        let group = match number {
            Some(n) => caps.get(n),
            None => re
                .capture_names()
                .position(|n| n.map(go_group_name) == Some(name))
                .and_then(|i| caps.get(i)),
        };
        if let Some(m) = group {
            out.push_str(m.as_str());
        }
    }
    out.push_str(rest);
}

#[cfg(test)]
mod tests {
    use crate::functions::testing::*;
    use crate::value::Value;

    fn list(items: &[&str]) -> Value {
        Value::list(items.iter().map(|x| s(x)).collect())
    }

    #[test]
    fn upper_and_lower() {
        shows(&ok("upper", vec![s("hello")]), r#""HELLO""#);
        shows(&ok("upper", vec![s("алло!")]), r#""АЛЛО!""#);
        shows(&ok("lower", vec![s("HELLO")]), r#""hello""#);
        shows(&ok("lower", vec![s("АЛЛО!")]), r#""алло!""#);
        // Go's simple mappings: no expansion of ß or ligatures, no final sigma.
        shows(&ok("upper", vec![s("baﬄe straße")]), r#""BAﬄE STRAßE""#);
        shows(&ok("lower", vec![s("ΟΔΟΣ İ")]), r#""οδοσ i""#);
        shows(&ok("upper", vec![s("ᾳ")]), r#""ᾼ""#);
        shows(&ok("upper", vec![n(12)]), r#""12""#);
        shows(&ok("upper", vec![Value::bool(true)]), r#""TRUE""#);
        err("upper", vec![tup(vec![])], "string required");
        err("upper", vec![Value::null()], "must not be null");
        assert!(!ok("upper", vec![Value::unknown("u")]).is_known());
    }

    #[test]
    fn title_words() {
        shows(&ok("title", vec![s("hello world")]), r#""Hello World""#);
        shows(
            &ok("title", vec![s("hello-world_foo bar.baz 1st ǆemal")]),
            r#""Hello-World_foo Bar.Baz 1st ǅemal""#,
        );
        shows(&ok("title", vec![s("ßa\u{a0}élan")]), "\"ßa\u{a0}Élan\"");
        shows(&ok("title", vec![s("")]), r#""""#);
    }

    #[test]
    fn strrev_by_grapheme() {
        shows(&ok("strrev", vec![s("hello")]), r#""olleh""#);
        shows(&ok("strrev", vec![s("a ☃")]), r#""☃ a""#);
        shows(&ok("strrev", vec![s("")]), r#""""#);
        // Combining marks stay with their base letter (strings are NFC, as in cty:
        // terraform console composes what it can first).
        shows(&ok("strrev", vec![s("noe\u{308}l")]), "\"l\u{eb}on\"");
        shows(
            &ok("strrev", vec![s("we\u{301}\u{301}e\u{301}!")]),
            "\"!\u{e9}\u{e9}\u{301}w\"",
        );
        shows(&ok("strrev", vec![s("😸😾")]), r#""😾😸""#);
        // ZWJ sequences, flags and CRLF are single clusters.
        let family = "👨\u{200d}👩\u{200d}👧";
        shows(
            &ok("strrev", vec![s(&format!("a{family}b"))]),
            &format!("\"b{family}a\""),
        );
        shows(&ok("strrev", vec![s("🇫🇷🇩🇪")]), r#""🇩🇪🇫🇷""#);
        shows(&ok("strrev", vec![s("a\r\nb")]), r#""b\r\na""#);
    }

    #[test]
    fn chomp_and_trims() {
        shows(&ok("chomp", vec![s("hello\n")]), r#""hello""#);
        shows(&ok("chomp", vec![s("hello\r\n")]), r#""hello""#);
        shows(&ok("chomp", vec![s("hello\n\n")]), r#""hello""#);
        shows(&ok("chomp", vec![s("hel\nlo\n\r\r")]), r#""hel\nlo""#);
        shows(&ok("chomp", vec![s("hello \n ")]), r#""hello \n ""#);
        shows(&ok("trimspace", vec![s("  hello\n\n")]), r#""hello""#);
        shows(&ok("trimspace", vec![s("\u{a0}\u{2003}x y\t")]), r#""x y""#);
        shows(&ok("trim", vec![s("?!hello?!"), s("!?")]), r#""hello""#);
        shows(&ok("trim", vec![s("foobar"), s("far")]), r#""oob""#);
        shows(
            &ok("trim", vec![s("   hello! world.!  "), s("! ")]),
            r#""hello! world.""#,
        );
        shows(&ok("trim", vec![s("xx"), s("")]), r#""xx""#);
        shows(
            &ok("trimprefix", vec![s("helloworld"), s("hello")]),
            r#""world""#,
        );
        shows(
            &ok("trimprefix", vec![s("helloworld"), s("cat")]),
            r#""helloworld""#,
        );
        shows(
            &ok("trimprefix", vec![s("hellohello"), s("hello")]),
            r#""hello""#,
        );
        shows(
            &ok("trimsuffix", vec![s("helloworld"), s("world")]),
            r#""hello""#,
        );
        shows(
            &ok("trimsuffix", vec![s("helloworld"), s("cat")]),
            r#""helloworld""#,
        );
        err("trim", vec![s("x"), tup(vec![])], "string required");
    }

    #[test]
    fn indent_lines() {
        shows(
            &ok("indent", vec![n(2), s("[\n  foo,\n  bar,\n]\n")]),
            r#""[\n    foo,\n    bar,\n  ]\n  ""#,
        );
        shows(&ok("indent", vec![n(0), s("a\nb")]), r#""a\nb""#);
        shows(&ok("indent", vec![s("1"), s("a\nb")]), r#""a\n b""#);
        shows(&ok("indent", vec![n(4), s("")]), r#""""#);
        err("indent", vec![n(-1), s("a")], "negative Repeat count");
        err("indent", vec![Value::float(1.5), s("a")], "whole number");
        err("indent", vec![s("x"), s("a")], "number");
        err("indent", vec![n(1 << 40), s("a\nb")], "larger than");
        assert!(!ok("indent", vec![Value::unknown("u"), s("a")]).is_known());
    }

    #[test]
    fn join_lists() {
        shows(
            &ok(
                "join",
                vec![s(", "), tup(vec![s("foo"), s("bar"), s("baz")])],
            ),
            r#""foo, bar, baz""#,
        );
        shows(&ok("join", vec![s(", "), tup(vec![s("foo")])]), r#""foo""#);
        shows(
            &ok(
                "join",
                vec![
                    s("-"),
                    list(&["a", "b"]),
                    tup(vec![n(1), Value::bool(true)]),
                ],
            ),
            r#""a-b-1-true""#,
        );
        shows(&ok("join", vec![s("-"), tup(vec![])]), r#""""#);
        shows(
            &ok("join", vec![s(","), Value::set(vec![s("b"), s("a")])]),
            r#""a,b""#,
        );
        err("join", vec![s(",")], "at least one list is required");
        err("join", vec![s(","), s("abc")], "list of string required");
        err(
            "join",
            vec![s(","), tup(vec![s("a"), tup(vec![])])],
            "element 1: string required",
        );
        err(
            "join",
            vec![s(","), tup(vec![s("a"), Value::null()])],
            "element 1 is null; cannot concatenate null values",
        );
        err(
            "join",
            vec![s(","), tup(vec![]), tup(vec![Value::null()])],
            "element 0 of list 2 is null",
        );
        let u = ok(
            "join",
            vec![s(","), tup(vec![s("a"), Value::unknown("later")])],
        );
        shows(&u, "(unknown: later)");
    }

    #[test]
    fn split_strings() {
        shows(&ok("split", vec![s(","), s("foo")]), r#"tolist(["foo"])"#);
        shows(
            &ok("split", vec![s(","), s("foo,bar,baz")]),
            r#"tolist(["foo", "bar", "baz"])"#,
        );
        shows(&ok("split", vec![s(","), s("")]), r#"tolist([""])"#);
        shows(
            &ok("split", vec![s(","), s(",a,")]),
            r#"tolist(["", "a", ""])"#,
        );
        shows(&ok("split", vec![s(""), s("aé")]), r#"tolist(["a", "é"])"#);
        shows(&ok("split", vec![s(""), s("")]), "tolist([])");
        err("split", vec![s(","), Value::null()], "must not be null");
    }

    #[test]
    fn substr_by_character() {
        let sub = |x: &str, o: i64, l: i64| ok("substr", vec![s(x), n(o), n(l)]).to_string();
        assert_eq!(sub("hello world", 1, 4), r#""ello""#);
        assert_eq!(sub("🤔🤷", 0, 1), r#""🤔""#);
        assert_eq!(sub("hello world", -5, -1), r#""world""#);
        assert_eq!(sub("hello world", 6, 10), r#""world""#);
        assert_eq!(sub("hello", 0, 2), r#""he""#);
        assert_eq!(sub("hello", 1, -10), r#""ello""#);
        assert_eq!(sub("hello", -3, 2), r#""ll""#);
        assert_eq!(sub("hello", 10, 10), r#""""#);
        assert_eq!(sub("hello", 5, -1), r#""""#);
        assert_eq!(sub("hello", 0, 0), r#""""#);
        // cty quirks: an offset before the start is clamped; a zero length after a
        // negative offset takes the rest of the string.
        assert_eq!(sub("hello", -10, 2), r#""he""#);
        assert_eq!(sub("hello", -3, 0), r#""llo""#);
        assert_eq!(
            sub("we\u{301}\u{301}e\u{301}!", 1, 2),
            "\"\u{e9}\u{301}\u{e9}\""
        );
        assert_eq!(sub("noe\u{308}l", -2, -1), "\"\u{eb}l\"");
        assert_eq!(sub("", 1, 1), r#""""#);
        assert_eq!(sub("abc", i64::MIN, i64::MAX), r#""abc""#);
        err(
            "substr",
            vec![s("abc"), Value::float(0.5), n(1)],
            "whole number",
        );
        err("substr", vec![s("abc"), n(0), s("x")], "number");
        shows(&ok("substr", vec![s("abc"), s("1"), s("1")]), r#""b""#);
        assert!(!ok("substr", vec![s("abc"), Value::unknown("u"), n(1)]).is_known());
    }

    #[test]
    fn regex_shapes() {
        shows(
            &ok(
                "regex",
                vec![s("[a-z]+"), s("53453453.345345aaabbbccc23454")],
            ),
            r#""aaabbbccc""#,
        );
        shows(
            &ok(
                "regex",
                vec![s(r"(\d\d\d\d)-(\d\d)-(\d\d)"), s("2019-02-01")],
            ),
            r#"["2019", "02", "01"]"#,
        );
        shows(
            &ok(
                "regex",
                vec![
                    s("^(?:(?P<scheme>[^:/?#]+):)?(?://(?P<authority>[^/?#]*))?"),
                    s("https://terraform.io/docs/"),
                ],
            ),
            r#"{ authority = "terraform.io", scheme = "https" }"#,
        );
        err(
            "regex",
            vec![s("[a-z]+"), s("53453453.34534523454")],
            "pattern did not match any part of the given string",
        );
        // A group that did not take part is null.
        shows(&ok("regex", vec![s("(a)|(b)"), s("b")]), r#"[null, "b"]"#);
        err(
            "regex",
            vec![s("(a)(?P<x>b)"), s("ab")],
            "cannot mix both named and unnamed",
        );
        err("regex", vec![s("(a"), s("a")], "invalid regexp pattern");
        // The pattern is checked even when the string is unknown.
        err(
            "regex",
            vec![s("(a"), Value::unknown("u")],
            "invalid regexp pattern",
        );
        shows(
            &ok("regex", vec![s("a"), Value::unknown("later")]),
            "(unknown: later)",
        );
        assert!(!ok("regex", vec![Value::unknown("u"), s("a")]).is_known());
    }

    #[test]
    fn group_names_starting_with_a_digit_as_in_go() {
        shows(
            &ok("regex", vec![s("(?P<1a>x)(?P<b2>y)"), s("xy")]),
            r#"{ "1a" = "x", b2 = "y" }"#,
        );
        shows(
            &ok("replace", vec![s("xy"), s("/(?P<1a>x)/"), s("[${1a}]")]),
            r#""[x]y""#,
        );
    }

    #[test]
    fn regex_is_re2_flavoured() {
        // \d, \w, \s and \b are ASCII-only, as in Go.
        shows(
            &ok("regexall", vec![s(r"\d+"), s("1٣2")]),
            r#"tolist(["1", "2"])"#,
        );
        shows(&ok("regex", vec![s(r"\w+"), s("éab")]), r#""ab""#);
        shows(
            &ok("regex", vec![s(r"[^\s]+"), s("\u{a0}x y")]),
            "\"\u{a0}x\"",
        );
        shows(&ok("regex", vec![s(r"\bb"), s("éb")]), r#""b""#);
        shows(&ok("regex", vec![s(r"[\d.]+"), s("v1.25")]), r#""1.25""#);
        shows(&ok("regex", vec![s(r"[^\D]+"), s("ab12")]), r#""12""#);
        // \Q...\E quotes, a `{` that is no repetition and a `[` in a class are literal.
        shows(
            &ok("regex", vec![s(r"\Q1.5*\E+"), s("1.5**")]),
            r#""1.5**""#,
        );
        shows(
            &ok("regex", vec![s(r"\$\{([a-z]+)}"), s("x ${name} y")]),
            r#"["name"]"#,
        );
        shows(&ok("regex", vec![s(r"[[a]+"), s("x[a[")]), r#""[a[""#);
        shows(&ok("regex", vec![s(r"[]a]+"), s("x]a]")]), r#""]a]""#);
        shows(
            &ok("regex", vec![s(r"[[:digit:]x]+"), s("ab1x2")]),
            r#""1x2""#,
        );
        shows(&ok("regex", vec![s(r"a{2}"), s("aaa")]), r#""aa""#);
        shows(
            &ok("regex", vec![s(r"\p{Greek}+"), s("abc αβγ")]),
            r#""αβγ""#,
        );
        shows(
            &ok("regex", vec![s(r"[\p{Greek}]\pL"), s("aαb")]),
            r#""αb""#,
        );
        shows(&ok("regex", vec![s(r"\x{263a}|\x41"), s("-A☺")]), r#""A""#);
        shows(&ok("regex", vec![s(r"(?i)ABC"), s("xabc")]), r#""abc""#);
        err("regex", vec![s(r"a{1001}"), s("a")], "invalid repeat count");
    }

    #[test]
    fn regexall_lists() {
        shows(
            &ok("regexall", vec![s("[a-z]+"), s("1234abcd5678efgh9")]),
            r#"tolist(["abcd", "efgh"])"#,
        );
        shows(
            &ok("regexall", vec![s("[a-z]+"), s("123456789")]),
            "tolist([])",
        );
        shows(
            &ok("regexall", vec![s("(\\w)=(\\d)"), s("a=1 b=2")]),
            r#"tolist([["a", "1"], ["b", "2"]])"#,
        );
        shows(
            &ok("regexall", vec![s("(?P<k>\\w)=(?P<v>\\d)"), s("a=1")]),
            r#"tolist([{ k = "a", v = "1" }])"#,
        );
        // Empty matches next to a previous match are skipped, as in Go.
        shows(
            &ok("regexall", vec![s("a*"), s("baaab")]),
            r#"tolist(["", "aaa", ""])"#,
        );
        err("regexall", vec![s("(?P<a>x)(y)"), s("xy")], "cannot mix");
        shows(
            &ok("regexall", vec![s("a"), Value::unknown("r")]),
            "(unknown: r)",
        );
    }

    #[test]
    fn replace_plain_and_regex() {
        shows(
            &ok("replace", vec![s("1 + 2 + 3"), s("+"), s("-")]),
            r#""1 - 2 - 3""#,
        );
        shows(
            &ok(
                "replace",
                vec![s("hello world"), s("/w.*d/"), s("everybody")],
            ),
            r#""hello everybody""#,
        );
        shows(&ok("replace", vec![s("ab"), s(""), s("-")]), r#""-a-b-""#);
        shows(&ok("replace", vec![s("a/b"), s("/"), s("_")]), r#""a_b""#);
        // "//" is an empty regular expression, matching between all characters.
        shows(&ok("replace", vec![s("//"), s("//"), s("x")]), r#""x/x/x""#);
        shows(&ok("replace", vec![s("a/"), s("/"), s("x")]), r#""ax""#);
        shows(
            &ok(
                "replace",
                vec![s("2019-02-01"), s(r"/(\d+)-(\d+)-(\d+)/"), s("$3.$2.$1")],
            ),
            r#""01.02.2019""#,
        );
        shows(
            &ok(
                "replace",
                vec![s("key=val"), s(r"/(?P<k>\w+)=(?P<v>\w+)/"), s("${v}:${k}")],
            ),
            r#""val:key""#,
        );
        // `$1x` names group "1x" (absent: empty); `$$` is a dollar; a bad reference stays.
        shows(
            &ok(
                "replace",
                vec![s("ab"), s("/(a)/"), s("$1x|${1}x|$$|$|${x")],
            ),
            r#""|ax|$|$|${xb""#,
        );
        shows(
            &ok("replace", vec![s("abc"), s("/x*/"), s("-")]),
            r#""-a-b-c-""#,
        );
        shows(
            &ok("replace", vec![s("baaab"), s("/a*/"), s("-")]),
            r#""-b-b-""#,
        );
        err(
            "replace",
            vec![s("a"), s("/(/"), s("b")],
            "error parsing regexp",
        );
        err(
            "replace",
            vec![s("aaaa"), s(""), s(&"x".repeat(1 << 25))],
            "larger than",
        );
        assert!(!ok("replace", vec![s("a"), Value::unknown("u"), s("b")]).is_known());
    }

    /// Checked against `terraform console`'s `type()`.
    #[test]
    fn typed_empty_regexall_split_join() {
        types(&[
            (r#"regexall("a", "b")"#, "list(string)"),
            (r#"regexall("(a)", "b")"#, "list(tuple([string]))"),
            (
                r#"regexall("(a)(b)", "c")"#,
                "list(tuple([string, string]))",
            ),
            (r#"regexall("(?P<x>a)", "b")"#, "list(object({x: string}))"),
            (r#"regexall("(a)(?P<n>b)", "c")"#, "error"),
            (r#"regexall("", "")"#, "list(string)"),
            (r#"split(",", "")"#, "list(string)"),
            (r#"join(",", tolist([]))"#, "string"),
            (r#"join(",", range(0))"#, "string"),
            // An empty list of tuples is still no list of strings.
            (r#"join(",", regexall("(a)", "b"))"#, "error"),
        ]);
    }
}
