//! `timecmp`: two RFC 3339 timestamps compared as instants.

use super::{strings, tg};
use std::cmp::Ordering;
use tglint_hcl::go;
use tglint_hcl::{CallCtx, FnError, FnResult, Value};

pub(super) fn timecmp(cx: &CallCtx<'_>, args: Vec<Value>) -> FnResult {
    tg(cx)?;
    let params = strings(&args)?;
    let [a, b] = params.as_slice() else {
        return Err(FnError::call(
            "function can take only two parameters: timestamp_a and timestamp_b",
        ));
    };
    let ta = parse_rfc3339(a).map_err(|m| {
        FnError::call(format!(
            "could not parse first parameter {}: {m}",
            go::quote(a)
        ))
    })?;
    let tb = parse_rfc3339(b).map_err(|m| {
        FnError::call(format!(
            "could not parse second parameter {}: {m}",
            go::quote(b)
        ))
    })?;
    Ok(Value::int(match ta.cmp(&tb) {
        Ordering::Less => -1,
        Ordering::Equal => 0,
        Ordering::Greater => 1,
    }))
}

/// Days since 1970-01-01 of a proleptic Gregorian date.
fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

fn days_in_month(y: i64, m: i64) -> i64 {
    match m {
        2 if (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Go's `time.Parse(time.RFC3339, s)` as an instant `(seconds, nanoseconds)`, with the
/// messages Terragrunt's `ParseTimestamp` gives.
fn parse_rfc3339(s: &str) -> Result<(i64, u32), String> {
    let b = s.as_bytes();
    let mut i = 0usize;
    let rest = |i: usize| String::from_utf8_lossy(b.get(i..).unwrap_or(&[])).into_owned();
    let elem = |i: usize, what: &str| -> String {
        let r = rest(i);
        if r.is_empty() {
            format!("not a valid RFC3339 timestamp: end of string before {what}")
        } else {
            format!(
                "not a valid RFC3339 timestamp: cannot use {} as {what}",
                go::quote(&r)
            )
        }
    };
    let lit = |i: usize, c: u8| -> Result<(), String> {
        if b.get(i) == Some(&c) {
            return Ok(());
        }
        if c == b'T' {
            return Err(
                "not a valid RFC3339 timestamp: missing required time introducer 'T'".into(),
            );
        }
        let r = rest(i);
        let c = char::from(c);
        Err(if r.is_empty() {
            format!("not a valid RFC3339 timestamp: end of string where \"{c}\" is expected")
        } else {
            format!(
                "not a valid RFC3339 timestamp: found {} where \"{c}\" is expected",
                go::quote(&r)
            )
        })
    };
    let digit = |i: usize| {
        b.get(i)
            .filter(|c| c.is_ascii_digit())
            .map(|c| i64::from(c - b'0'))
    };
    // A number of exactly `n` digits (or 1..=2 when `n` is 0).
    let num = |i: &mut usize, n: usize, what: &str| -> Result<i64, String> {
        let want = if n == 0 { 2 } else { n };
        let mut v = 0i64;
        let mut k = 0;
        while k < want {
            match digit(*i + k) {
                Some(d) => v = v * 10 + d,
                None if n == 0 && k == 1 => break,
                None => return Err(elem(*i, what)),
            }
            k += 1;
        }
        *i += k;
        Ok(v)
    };
    let range = |what: &str| format!("not a valid RFC3339 timestamp: {what} out of range");

    let year = num(&mut i, 4, "year")?;
    lit(i, b'-')?;
    i += 1;
    let month = num(&mut i, 2, "month")?;
    if !(1..=12).contains(&month) {
        return Err(range("month"));
    }
    lit(i, b'-')?;
    i += 1;
    let day = num(&mut i, 2, "day of month")?;
    lit(i, b'T')?;
    i += 1;
    let hour = num(&mut i, 0, "hour")?;
    if hour >= 24 {
        return Err(range("hour"));
    }
    lit(i, b':')?;
    i += 1;
    let minute = num(&mut i, 2, "minute")?;
    if minute >= 60 {
        return Err(range("minute"));
    }
    lit(i, b':')?;
    i += 1;
    let second = num(&mut i, 2, "second")?;
    if second >= 60 {
        return Err(range("second"));
    }
    let mut nanos = 0u32;
    if matches!(b.get(i), Some(b'.' | b',')) && digit(i + 1).is_some() {
        i += 1;
        let mut scale = 100_000_000u32;
        while let Some(d) = digit(i) {
            if scale > 0 {
                nanos += u32::try_from(d).unwrap_or(0) * scale;
                scale /= 10;
            }
            i += 1;
        }
    }
    let offset = match b.get(i) {
        Some(b'Z') => {
            i += 1;
            0
        }
        _ => {
            let sign = match b.get(i) {
                Some(b'+') => 1,
                Some(b'-') => -1,
                _ => return Err(elem(i, "UTC offset")),
            };
            let (Some(h1), Some(h2), Some(b':'), Some(m1), Some(m2)) = (
                digit(i + 1),
                digit(i + 2),
                b.get(i + 3),
                digit(i + 4),
                digit(i + 5),
            ) else {
                return Err(elem(i, "UTC offset"));
            };
            let (hh, mm) = (h1 * 10 + h2, m1 * 10 + m2);
            if hh > 24 {
                return Err(range("time zone offset hour"));
            }
            if mm > 60 {
                return Err(range("time zone offset minute"));
            }
            i += 6;
            sign * (hh * 3600 + mm * 60)
        }
    };
    if i < b.len() {
        return Err(format!(
            "not a valid RFC3339 timestamp: extra text: {}",
            go::quote(&rest(i))
        ));
    }
    if day < 1 || day > days_in_month(year, month) {
        return Err("not a valid RFC3339 timestamp: day out of range".into());
    }
    let secs =
        days_from_civil(year, month, day) * 86_400 + hour * 3600 + minute * 60 + second - offset;
    Ok((secs, nanos))
}

#[cfg(test)]
mod tests {
    use crate::functions::test_support::*;

    #[test]
    fn timecmp_compares_instants() {
        let t = empty();
        let c = |a: &str, b: &str| t.ok("timecmp", vec![s(a), s(b)]).to_string();
        assert_eq!(c("2017-11-22T00:00:00Z", "2017-11-22T00:00:00Z"), "0");
        assert_eq!(c("2017-11-22T00:00:00Z", "2017-11-22T01:00:00Z"), "-1");
        assert_eq!(c("2017-11-22T01:00:00Z", "2017-11-22T00:00:00Z"), "1");
        assert_eq!(c("2017-11-22T01:00:00+01:00", "2017-11-22T00:00:00Z"), "0");
        assert_eq!(c("2017-11-21T23:30:00-00:30", "2017-11-22T00:00:00Z"), "0");
        assert_eq!(c("2017-11-22T00:00:00.5Z", "2017-11-22T00:00:00Z"), "1");
        assert_eq!(
            c("2017-11-22T00:00:00.000000001Z", "2017-11-22T00:00:00Z"),
            "1"
        );
        assert_eq!(c("1969-12-31T23:59:59Z", "1970-01-01T00:00:00Z"), "-1");
        assert_eq!(c("2024-02-29T00:00:00Z", "2024-03-01T00:00:00Z"), "-1");
        t.err(
            "timecmp",
            vec![s("2017-11-22 00:00:00Z"), s("2017-11-22T00:00:00Z")],
            "could not parse first parameter \\\"2017-11-22 00:00:00Z\\\": not a valid RFC3339 timestamp: missing required time introducer 'T'",
        );
        t.err(
            "timecmp",
            vec![s("2017-11-22T00:00:00Z"), s("2017-11-22")],
            "could not parse second parameter",
        );
        t.err(
            "timecmp",
            vec![s("2023-02-29T00:00:00Z"), s("2017-11-22T00:00:00Z")],
            "day out of range",
        );
        t.err(
            "timecmp",
            vec![s("2017-13-22T00:00:00Z"), s("2017-11-22T00:00:00Z")],
            "month out of range",
        );
        t.err(
            "timecmp",
            vec![s("2017-11-22T00:00:00"), s("2017-11-22T00:00:00Z")],
            "end of string before UTC offset",
        );
        t.err(
            "timecmp",
            vec![s("2017-11-22T00:00:00Zx"), s("2017-11-22T00:00:00Z")],
            "extra text",
        );
        t.err(
            "timecmp",
            vec![s("x")],
            "function can take only two parameters: timestamp_a and timestamp_b",
        );
    }
}
