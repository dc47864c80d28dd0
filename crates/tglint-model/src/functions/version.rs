//! `constraint_check` with hashicorp/go-version's semantics: versions, constraints and
//! their ordering, with go-version's error wording.

use super::{strings, tg, wrong_params};
use std::cmp::Ordering;
use tglint_hcl::go;
use tglint_hcl::{CallCtx, FnError, FnResult, Value};

// ---------------------------------------------------------------------------------------
// constraint_check (hashicorp/go-version)
// ---------------------------------------------------------------------------------------

#[derive(Clone, Debug)]
struct Version {
    /// Padded with zeros to at least three.
    segments: Vec<i64>,
    /// How many segments were written.
    si: usize,
    pre: String,
    meta: String,
}

enum VersionError {
    Malformed,
    Other(String),
}

fn is_ident_byte(c: u8) -> bool {
    c.is_ascii_alphanumeric() || c == b'-' || c == b'~'
}

/// `[0-9A-Za-z-~]+(\.[0-9A-Za-z-~]+)*` at the start of `s`: the length matched.
fn dotted_ident(s: &[u8]) -> Option<usize> {
    let mut i = 0;
    loop {
        let start = i;
        while s.get(i).copied().is_some_and(is_ident_byte) {
            i += 1;
        }
        if i == start {
            return None;
        }
        if s.get(i) == Some(&b'.') && s.get(i + 1).copied().is_some_and(is_ident_byte) {
            i += 1;
        } else {
            return Some(i);
        }
    }
}

/// go-version's `NewVersion` (`semver = false`) and `NewSemver` (`semver = true`).
fn parse_version(v: &str, semver: bool) -> Result<Version, VersionError> {
    let s = v.strip_prefix('v').unwrap_or(v).as_bytes();
    let mut i = 0;
    let mut seg_strs: Vec<&[u8]> = Vec::new();
    loop {
        let start = i;
        while s.get(i).is_some_and(u8::is_ascii_digit) {
            i += 1;
        }
        if i == start {
            return Err(VersionError::Malformed);
        }
        seg_strs.push(s.get(start..i).unwrap_or(&[]));
        if s.get(i) == Some(&b'.') && s.get(i + 1).is_some_and(u8::is_ascii_digit) {
            i += 1;
        } else {
            break;
        }
    }
    let rest = s.get(i..).unwrap_or(&[]);
    let (pre, rest) = match rest.first() {
        Some(b'-') => {
            let body = rest.get(1..).unwrap_or(&[]);
            let n = dotted_ident(body).ok_or(VersionError::Malformed)?;
            (body.get(..n).unwrap_or(&[]), body.get(n..).unwrap_or(&[]))
        }
        Some(c) if !semver && (c.is_ascii_alphabetic() || *c == b'~') => {
            let n = dotted_ident(rest).ok_or(VersionError::Malformed)?;
            (rest.get(..n).unwrap_or(&[]), rest.get(n..).unwrap_or(&[]))
        }
        _ => (&[][..], rest),
    };
    let (meta, rest) = match rest.first() {
        Some(b'+') => {
            let body = rest.get(1..).unwrap_or(&[]);
            let n = dotted_ident(body).ok_or(VersionError::Malformed)?;
            (body.get(..n).unwrap_or(&[]), body.get(n..).unwrap_or(&[]))
        }
        _ => (&[][..], rest),
    };
    if !rest.is_empty() {
        return Err(VersionError::Malformed);
    }
    let mut segments = Vec::with_capacity(seg_strs.len().max(3));
    for seg in &seg_strs {
        let text = String::from_utf8_lossy(seg);
        let n = text.parse::<i64>().map_err(|_| {
            VersionError::Other(format!(
                "error parsing version: strconv.ParseInt: parsing {}: value out of range",
                go::quote(&text)
            ))
        })?;
        segments.push(n);
    }
    while segments.len() < 3 {
        segments.push(0);
    }
    Ok(Version {
        segments,
        si: seg_strs.len(),
        pre: String::from_utf8_lossy(pre).into_owned(),
        meta: String::from_utf8_lossy(meta).into_owned(),
    })
}

fn version_string(v: &Version) -> String {
    let mut s = v
        .segments
        .iter()
        .map(i64::to_string)
        .collect::<Vec<_>>()
        .join(".");
    if !v.pre.is_empty() {
        s.push('-');
        s.push_str(&v.pre);
    }
    if !v.meta.is_empty() {
        s.push('+');
        s.push_str(&v.meta);
    }
    s
}

/// Go's `strconv.ParseInt(s, 10, 64)`: the value (saturated on overflow, as Go returns
/// it) and whether it parsed.
fn go_parse_int(s: &str) -> (i64, bool) {
    match s.parse::<i64>() {
        Ok(n) => (n, true),
        Err(_) => {
            let body = s.strip_prefix(['+', '-']).unwrap_or(s);
            if !body.is_empty() && body.bytes().all(|b| b.is_ascii_digit()) {
                (
                    if s.starts_with('-') {
                        i64::MIN
                    } else {
                        i64::MAX
                    },
                    false,
                )
            } else {
                (0, false)
            }
        }
    }
}

fn compare_part(a: &str, b: &str) -> Ordering {
    if a == b {
        return Ordering::Equal;
    }
    let (ai, an) = go_parse_int(a);
    let (bi, bn) = go_parse_int(b);
    if a.is_empty() {
        return if bn {
            Ordering::Less
        } else {
            Ordering::Greater
        };
    }
    if b.is_empty() {
        return if an {
            Ordering::Greater
        } else {
            Ordering::Less
        };
    }
    match (an, bn) {
        (true, false) => Ordering::Less,
        (false, true) => Ordering::Greater,
        (false, false) if a > b => Ordering::Greater,
        _ if ai > bi => Ordering::Greater,
        _ => Ordering::Less,
    }
}

fn compare_prereleases(a: &str, b: &str) -> Ordering {
    if a == b {
        return Ordering::Equal;
    }
    let pa: Vec<&str> = a.split('.').collect();
    let pb: Vec<&str> = b.split('.').collect();
    for k in 0..pa.len().max(pb.len()) {
        let c = compare_part(
            pa.get(k).copied().unwrap_or(""),
            pb.get(k).copied().unwrap_or(""),
        );
        if c != Ordering::Equal {
            return c;
        }
    }
    Ordering::Equal
}

fn compare_versions(a: &Version, b: &Version) -> Ordering {
    if version_string(a) == version_string(b) {
        return Ordering::Equal;
    }
    if a.segments == b.segments {
        return match (a.pre.is_empty(), b.pre.is_empty()) {
            (true, true) => Ordering::Equal,
            (true, false) => Ordering::Greater,
            (false, true) => Ordering::Less,
            (false, false) => compare_prereleases(&a.pre, &b.pre),
        };
    }
    let (sa, sb) = (&a.segments, &b.segments);
    for k in 0..sa.len().max(sb.len()) {
        match (sa.get(k), sb.get(k)) {
            (None, _) => {
                return if sb.iter().skip(k).all(|x| *x == 0) {
                    Ordering::Equal
                } else {
                    Ordering::Less
                };
            }
            (_, None) => {
                return if sa.iter().skip(k).all(|x| *x == 0) {
                    Ordering::Equal
                } else {
                    Ordering::Greater
                };
            }
            (Some(x), Some(y)) if x != y => return x.cmp(y),
            _ => {}
        }
    }
    Ordering::Equal
}

fn prerelease_check(v: &Version, c: &Version) -> bool {
    match (!c.pre.is_empty(), !v.pre.is_empty()) {
        (true, true) => v.segments == c.segments,
        (false, true) => false,
        _ => true,
    }
}

#[derive(Clone, Copy, Debug, PartialEq)]
enum Op {
    Eq,
    Ne,
    Gt,
    Lt,
    Ge,
    Le,
    Pessimistic,
}

fn go_space(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\n' | '\r' | '\u{c}' | '\u{b}')
}

fn parse_constraint(single: &str) -> Result<(Op, Version), String> {
    let malformed = || format!("Malformed constraint: {single}");
    let t = single.trim_matches(go_space);
    let ops: [(&str, Op); 8] = [
        ("~>", Op::Pessimistic),
        (">=", Op::Ge),
        ("<=", Op::Le),
        ("!=", Op::Ne),
        (">", Op::Gt),
        ("<", Op::Lt),
        ("=", Op::Eq),
        ("", Op::Eq),
    ];
    let (op, rest) = ops
        .iter()
        .find_map(|(s, op)| t.strip_prefix(s).map(|r| (*op, r)))
        .ok_or_else(malformed)?;
    let rest = rest.trim_start_matches(go_space);
    match parse_version(rest, false) {
        Ok(v) => Ok((op, v)),
        Err(VersionError::Malformed) => Err(malformed()),
        Err(VersionError::Other(m)) => Err(m),
    }
}

fn constraint_holds(op: Op, c: &Version, v: &Version) -> bool {
    let ord = compare_versions(v, c);
    match op {
        Op::Eq => ord == Ordering::Equal,
        Op::Ne => ord != Ordering::Equal,
        Op::Gt => prerelease_check(v, c) && ord == Ordering::Greater,
        Op::Lt => prerelease_check(v, c) && ord == Ordering::Less,
        Op::Ge => prerelease_check(v, c) && ord != Ordering::Less,
        Op::Le => prerelease_check(v, c) && ord != Ordering::Greater,
        Op::Pessimistic => {
            if !prerelease_check(v, c) || (!c.pre.is_empty() && v.pre.is_empty()) {
                return false;
            }
            if ord == Ordering::Less {
                return false;
            }
            let cs = c.segments.len();
            if cs > v.segments.len() {
                return false;
            }
            for k in 0..c.si.saturating_sub(1) {
                if v.segments.get(k) != c.segments.get(k) {
                    return false;
                }
            }
            match (
                c.segments.get(cs.wrapping_sub(1)),
                v.segments.get(cs.wrapping_sub(1)),
            ) {
                (Some(cl), Some(vl)) => cl <= vl,
                _ => false,
            }
        }
    }
}

pub(super) fn constraint_check(cx: &CallCtx<'_>, args: Vec<Value>) -> FnResult {
    tg(cx)?;
    let params = strings(&args)?;
    let [version, constraint] = params.as_slice() else {
        return Err(wrong_params("constraint_check", "2", params.len()));
    };
    let v = parse_version(version, true).map_err(|e| {
        FnError::call(format!(
            "invalid version {version}: {}",
            match e {
                VersionError::Malformed => format!("malformed version: {version}"),
                VersionError::Other(m) => m,
            }
        ))
    })?;
    let mut ok = true;
    for single in constraint.split(',') {
        let (op, c) = parse_constraint(single)
            .map_err(|m| FnError::call(format!("invalid constraint {constraint}: {m}")))?;
        ok &= constraint_holds(op, &c, &v);
    }
    Ok(Value::bool(ok))
}

#[cfg(test)]
mod tests {
    use crate::functions::test_support::*;

    // --- constraint_check -----------------------------------------------------------

    #[test]
    fn constraint_check_go_version_semantics() {
        let t = empty();
        let check = |v: &str, c: &str| -> bool {
            t.ok("constraint_check", vec![s(v), s(c)])
                .as_bool()
                .unwrap()
        };
        assert!(check("1.2.3", ">= 1.0"));
        assert!(check("1.2.3", "1.2.3"));
        assert!(check("1.2.3", "= 1.2.3"));
        assert!(!check("1.2.3", "!= 1.2.3"));
        assert!(check("v1.2.3", "> 1.2"));
        assert!(!check("1.2.3", "< 1.2.3"));
        assert!(check("1.2.3", "<= 1.2.3"));
        assert!(check("2.1.0", ">= 2.0.0"));
        assert!(!check("1.9.9", ">= 2.0.0"));
        assert!(check("1.2.3", ">= 1.0, < 2.0"));
        assert!(!check("2.0.0", ">= 1.0, < 2.0"));
        // Pessimistic.
        assert!(check("1.2.9", "~> 1.2.3"));
        assert!(!check("1.3.0", "~> 1.2.3"));
        assert!(check("1.9.0", "~> 1.2"));
        assert!(!check("2.0.0", "~> 1.2"));
        assert!(check("1.0.0", "~> 1"));
        assert!(check("1.9.9", "~> 1"));
        assert!(!check("1.2.2", "~> 1.2.3"));
        // Pre-releases.
        assert!(!check("1.2.3-beta", ">= 1.0"));
        assert!(check("1.2.3-beta", ">= 1.2.3-alpha"));
        assert!(!check("1.2.4-beta", ">= 1.2.3-alpha"));
        assert!(check("1.2.3-beta.2", "> 1.2.3-beta.1"));
        assert!(check("1.2.3-beta.10", "> 1.2.3-beta.9"));
        assert!(check("1.2.3", "> 1.2.3-beta"));
        assert!(!check("1.2.3", "~> 1.2.3-beta"));
        assert!(check("1.2.3-rc1", "~> 1.2.3-beta"));
        // Metadata is ignored.
        assert!(check("1.2.3+build.5", "= 1.2.3"));
        // Four segments.
        assert!(check("1.2.3.4", "> 1.2.3"));
        assert!(check("1.2.3.0", "= 1.2.3"));

        t.err(
            "constraint_check",
            vec![s("1.2")],
            "Expected 2 params for function constraint_check, but got 1",
        );
        t.err(
            "constraint_check",
            vec![s("x"), s(">1")],
            "invalid version x: malformed version: x",
        );
        // NewSemver needs a dash before a pre-release; NewVersion (constraints) does not.
        t.err(
            "constraint_check",
            vec![s("1.2.3beta"), s(">1")],
            "malformed version",
        );
        assert!(check("1.2.3", "> 1.2.3beta"));
        t.err(
            "constraint_check",
            vec![s("1.2.3"), s(">= 1.0, what")],
            "invalid constraint >= 1.0, what: Malformed constraint:  what",
        );
        t.err(
            "constraint_check",
            vec![s("1.2.3"), s("")],
            "Malformed constraint: ",
        );
        t.err(
            "constraint_check",
            vec![s("99999999999999999999.0.0"), s(">1")],
            "value out of range",
        );
    }
}
