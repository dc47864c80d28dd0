//! Date and time functions: `formatdate`, `timeadd`, `timestamp`.
//!
//! Timestamps are parsed as Go 1.16's `time.Parse(time.RFC3339, …)` does (Terraform
//! v0.15.3 was built with Go 1.16), including its error messages and their quirks
//! ([`go::parse_rfc3339`]), and durations as Go's `time.ParseDuration`. The calendar
//! arithmetic is `go.rs`'s; no date crate is used.

use super::str_arg;
use super::{Functions, Param};
use crate::error::{FnError, FnResult};
use crate::go::{self, Release, Time, TimeParseError, civil_from_days};
use crate::value::Value;

pub(crate) fn register(f: &mut Functions) {
    f.add(
        "formatdate",
        &[Param::new("format"), Param::new("time")],
        None,
        |_, args| formatdate(&args),
    );
    f.add(
        "timeadd",
        &[Param::new("timestamp"), Param::new("duration")],
        None,
        |_, args| timeadd(&args),
    );
    f.add("timestamp", &[], None, |_, _| {
        Ok(Value::unknown("timestamp returns the time of the run"))
    });
}

// ---------------------------------------------------------------------------------------
// Go's Time as formatdate and timeadd print it
// ---------------------------------------------------------------------------------------

const NANOS_PER_SEC: i128 = 1_000_000_000;
const SECS_PER_DAY: i64 = 86_400;

const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

const WEEKDAYS: [&str; 7] = [
    "Sunday",
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
];

/// The wall-clock fields of a [`Time`] in its own offset.
struct Civil {
    year: i64,
    month: i64,
    day: i64,
    hour: i64,
    minute: i64,
    second: i64,
    /// 0 = Sunday.
    weekday: i64,
}

/// What `formatdate` and `timeadd` need of [`Time`], beside `go.rs`'s parsing.
impl Time {
    fn civil(&self) -> Civil {
        let local = self.secs.saturating_add(self.offset);
        let days = local.div_euclid(SECS_PER_DAY);
        let sod = local.rem_euclid(SECS_PER_DAY);
        let (year, month, day) = civil_from_days(days);
        Civil {
            year,
            month,
            day,
            hour: sod / 3600,
            minute: sod % 3600 / 60,
            second: sod % 60,
            weekday: (days + 4).rem_euclid(7),
        }
    }

    /// Adds a duration in nanoseconds, `None` when the result leaves the range we keep.
    fn add_nanos(&self, d: i64) -> Option<Time> {
        let total = i128::from(self.secs) * NANOS_PER_SEC + i128::from(self.nanos) + i128::from(d);
        let secs = i64::try_from(total.div_euclid(NANOS_PER_SEC)).ok()?;
        let nanos = u32::try_from(total.rem_euclid(NANOS_PER_SEC)).ok()?;
        Some(Time {
            secs,
            nanos,
            offset: self.offset,
        })
    }

    /// Go's `Format(time.RFC3339)`.
    fn rfc3339(&self) -> String {
        let c = self.civil();
        format!(
            "{}-{:02}-{:02}T{:02}:{:02}:{:02}{}",
            go_year4(c.year),
            c.month,
            c.day,
            c.hour,
            c.minute,
            c.second,
            self.zone_colon(true)
        )
    }

    /// Go's `Z07:00` (`z_for_utc`) or `-07:00` layout element.
    fn zone_colon(&self, z_for_utc: bool) -> String {
        if z_for_utc && self.offset == 0 {
            return "Z".into();
        }
        let (sign, zone) = self.zone_minutes();
        format!("{sign}{}:{}", go_int2(zone / 60), go_int2(zone % 60))
    }

    /// Go's `-0700` layout element.
    fn zone_plain(&self) -> String {
        let (sign, zone) = self.zone_minutes();
        format!("{sign}{}{}", go_int2(zone / 60), go_int2(zone % 60))
    }

    fn zone_minutes(&self) -> (char, i64) {
        let zone = self.offset / 60;
        if zone < 0 { ('-', -zone) } else { ('+', zone) }
    }
}

/// Go's `appendInt(year, 4)`: at least four digits, a leading `-` for negative years.
fn go_year4(year: i64) -> String {
    if year < 0 {
        format!("-{:04}", year.unsigned_abs())
    } else {
        format!("{year:04}")
    }
}

/// Go's `appendInt(x, 2)` for a non-negative number.
fn go_int2(x: i64) -> String {
    format!("{x:02}")
}

// ---------------------------------------------------------------------------------------
// cty's words for a timestamp Go cannot parse
// ---------------------------------------------------------------------------------------

/// cty's `parseTimestamp` wording of a timestamp Go cannot parse (what `formatdate`
/// reports): the layout's elements by name rather than by Go's example values.
pub fn parse_timestamp_message(e: &TimeParseError) -> String {
    if e.layout_elem.is_empty() && e.value_elem.is_empty() && !e.message.is_empty() {
        return format!("not a valid RFC3339 timestamp{}", e.message);
    }
    let what = match e.layout_elem {
        "2006" => "year",
        "01" => "month",
        "02" => "day of month",
        "15" => "hour",
        "04" => "minute",
        "05" => "second",
        "Z07:00" => "UTC offset",
        "T" => {
            return "not a valid RFC3339 timestamp: missing required time introducer 'T'".into();
        }
        ":" | "-" => {
            return if e.value_elem.is_empty() {
                format!(
                    "not a valid RFC3339 timestamp: end of string where {} is expected",
                    go::quote_bytes(e.layout_elem.as_bytes())
                )
            } else {
                format!(
                    "not a valid RFC3339 timestamp: found {} where {} is expected",
                    go::quote_bytes(&e.value_elem),
                    go::quote_bytes(e.layout_elem.as_bytes())
                )
            };
        }
        _ => "timestamp segment",
    };
    if e.value_elem.is_empty() {
        format!("not a valid RFC3339 timestamp: end of string before {what}")
    } else {
        format!(
            "not a valid RFC3339 timestamp: cannot use {} as {what}",
            go::quote_bytes(&e.value_elem)
        )
    }
}

// ---------------------------------------------------------------------------------------
// Durations as Go's time.ParseDuration reads them
// ---------------------------------------------------------------------------------------

fn parse_duration(orig: &str) -> Result<i64, String> {
    let invalid = || format!("time: invalid duration {}", go::time_quote(orig.as_bytes()));
    let mut s = orig.as_bytes();
    let mut neg = false;
    if let Some((&c, rest)) = s.split_first()
        && (c == b'-' || c == b'+')
    {
        neg = c == b'-';
        s = rest;
    }
    if s == b"0" {
        return Ok(0);
    }
    if s.is_empty() {
        return Err(invalid());
    }
    let mut d: i64 = 0;
    while let Some(&first) = s.first() {
        if !(first == b'.' || first.is_ascii_digit()) {
            return Err(invalid());
        }
        // Integer part.
        let mut v: i64 = 0;
        let mut i = 0;
        while let Some(&b) = s.get(i).filter(|b| b.is_ascii_digit()) {
            v = v
                .checked_mul(10)
                .and_then(|x| x.checked_add(i64::from(b - b'0')))
                .ok_or_else(invalid)?;
            i += 1;
        }
        let pre = i > 0;
        s = s.get(i..).unwrap_or_default();
        // Fraction.
        let mut f: i64 = 0;
        let mut scale: f64 = 1.0;
        let mut post = false;
        if s.first() == Some(&b'.') {
            s = s.get(1..).unwrap_or_default();
            let mut j = 0;
            let mut overflow = false;
            while let Some(&b) = s.get(j).filter(|b| b.is_ascii_digit()) {
                j += 1;
                if overflow {
                    continue;
                }
                match f
                    .checked_mul(10)
                    .and_then(|x| x.checked_add(i64::from(b - b'0')))
                {
                    Some(y) => {
                        f = y;
                        scale *= 10.0;
                    }
                    None => overflow = true,
                }
            }
            post = j > 0;
            s = s.get(j..).unwrap_or_default();
        }
        if !pre && !post {
            return Err(invalid());
        }
        // Unit.
        let n = s
            .iter()
            .position(|&b| b == b'.' || b.is_ascii_digit())
            .unwrap_or(s.len());
        if n == 0 {
            return Err(format!(
                "time: missing unit in duration {}",
                go::time_quote(orig.as_bytes())
            ));
        }
        let (u, rest) = s.split_at(n);
        s = rest;
        let unit: i64 = match u {
            b"ns" => 1,
            b"us" | b"\xc2\xb5s" | b"\xce\xbcs" => 1_000,
            b"ms" => 1_000_000,
            b"s" => 1_000_000_000,
            b"m" => 60_000_000_000,
            b"h" => 3_600_000_000_000,
            _ => {
                return Err(format!(
                    "time: unknown unit {} in duration {}",
                    go::time_quote(u),
                    go::time_quote(orig.as_bytes())
                ));
            }
        };
        v = v.checked_mul(unit).ok_or_else(invalid)?;
        if f > 0 {
            // As Go does: float arithmetic, truncated.
            v = v
                .checked_add((f as f64 * (unit as f64 / scale)) as i64)
                .ok_or_else(invalid)?;
        }
        d = d.checked_add(v).ok_or_else(invalid)?;
    }
    Ok(if neg { -d } else { d })
}

// ---------------------------------------------------------------------------------------
// The functions
// ---------------------------------------------------------------------------------------

fn timeadd(args: &[Value]) -> FnResult {
    let ts = str_arg(args, 0)?;
    let dur = str_arg(args, 1)?;
    let t = go::parse_rfc3339(&ts, Release::Go1_16).map_err(|e| FnError::call(e.go_message()))?;
    let d = parse_duration(&dur).map_err(FnError::call)?;
    let out = t
        .add_nanos(d)
        .ok_or_else(|| FnError::call("the resulting time is out of range"))?;
    Ok(Value::string(out.rfc3339()))
}

/// Splits a format string into tokens as cty's `splitDateFormat` does: a quoted literal
/// (or `''`), a run of one repeated letter, or a run of other bytes.
fn date_format_tokens(spec: &[u8]) -> Vec<&[u8]> {
    const ESC: u8 = b'\'';
    let mut out = Vec::new();
    let mut rest = spec;
    while let Some(&first) = rest.first() {
        let len = if first == ESC {
            if rest.get(1) == Some(&ESC) {
                2
            } else {
                let mut end = rest.len();
                let mut i = 1;
                while i < rest.len() {
                    if rest.get(i) == Some(&ESC) {
                        if i + 1 == rest.len() {
                            break;
                        }
                        if rest.get(i + 1) == Some(&ESC) {
                            i += 2;
                            continue;
                        }
                        end = i + 1;
                        break;
                    }
                    i += 1;
                }
                end
            }
        } else if first.is_ascii_alphabetic() {
            rest.iter().position(|&b| b != first).unwrap_or(rest.len())
        } else {
            rest.iter()
                .position(|&b| b == ESC || b.is_ascii_alphabetic())
                .unwrap_or(rest.len())
        };
        let len = len.clamp(1, rest.len());
        let (tok, tail) = rest.split_at(len);
        out.push(tok);
        rest = tail;
    }
    out
}

fn formatdate(args: &[Value]) -> FnResult {
    let spec = str_arg(args, 0)?;
    let ts = str_arg(args, 1)?;
    let t = go::parse_rfc3339(&ts, Release::Go1_16)
        .map_err(|e| FnError::arg(1, parse_timestamp_message(&e)))?;
    let c = t.civil();
    let mut out: Vec<u8> = Vec::with_capacity(spec.len() + 16);
    let verb_err = |tok: &[u8], what: &str| {
        let q = go::quote_bytes(tok);
        if what.is_empty() {
            FnError::arg(0, format!("invalid date format verb {q}"))
        } else {
            FnError::arg(0, format!("invalid date format verb {q}: {what}"))
        }
    };
    for tok in date_format_tokens(spec.as_bytes()) {
        let Some(&first) = tok.first() else { continue };
        let n = tok.len();
        let text: String = match first {
            b'\'' => {
                if tok.last() != Some(&b'\'') || n == 1 {
                    return Err(FnError::arg(0, "unterminated literal '"));
                }
                if n == 2 {
                    out.push(b'\'');
                } else {
                    let raw = tok.get(1..n - 1).unwrap_or_default();
                    let mut i = 0;
                    while let Some(&b) = raw.get(i) {
                        out.push(b);
                        i += if b == b'\'' { 2 } else { 1 };
                    }
                }
                continue;
            }
            b'Y' => match n {
                2 => format!("{:02}", c.year % 100),
                4 => format!("{:04}", c.year),
                _ => {
                    return Err(verb_err(tok, "year must either be \"YY\" or \"YYYY\""));
                }
            },
            b'M' => {
                let name = MONTHS
                    .get(usize::try_from(c.month - 1).unwrap_or(0))
                    .copied()
                    .unwrap_or("");
                match n {
                    1 => c.month.to_string(),
                    2 => format!("{:02}", c.month),
                    3 => name.chars().take(3).collect(),
                    4 => name.to_string(),
                    _ => {
                        return Err(verb_err(
                            tok,
                            "month must be \"M\", \"MM\", \"MMM\", or \"MMMM\"",
                        ));
                    }
                }
            }
            b'D' => match n {
                1 => c.day.to_string(),
                2 => format!("{:02}", c.day),
                _ => {
                    return Err(verb_err(tok, "day of month must either be \"D\" or \"DD\""));
                }
            },
            b'E' => {
                let name = WEEKDAYS
                    .get(usize::try_from(c.weekday).unwrap_or(0))
                    .copied()
                    .unwrap_or("");
                match n {
                    3 => name.chars().take(3).collect(),
                    4 => name.to_string(),
                    _ => {
                        return Err(verb_err(
                            tok,
                            "day of week must either be \"EEE\" or \"EEEE\"",
                        ));
                    }
                }
            }
            b'h' => match n {
                1 => c.hour.to_string(),
                2 => format!("{:02}", c.hour),
                _ => return Err(verb_err(tok, "24-hour must either be \"h\" or \"hh\"")),
            },
            b'H' => {
                let h = match c.hour % 12 {
                    0 => 12,
                    h => h,
                };
                match n {
                    1 => h.to_string(),
                    2 => format!("{h:02}"),
                    _ => return Err(verb_err(tok, "12-hour must either be \"H\" or \"HH\"")),
                }
            }
            b'A' | b'a' => {
                let l = char::from(first);
                if n != 2 {
                    return Err(verb_err(tok, &format!("must be \"{l}{l}\"")));
                }
                match (c.hour < 12, first == b'A') {
                    (true, true) => "AM".into(),
                    (true, false) => "am".into(),
                    (false, true) => "PM".into(),
                    (false, false) => "pm".into(),
                }
            }
            b'm' => match n {
                1 => c.minute.to_string(),
                2 => format!("{:02}", c.minute),
                _ => return Err(verb_err(tok, "minute must either be \"m\" or \"mm\"")),
            },
            b's' => match n {
                1 => c.second.to_string(),
                2 => format!("{:02}", c.second),
                _ => return Err(verb_err(tok, "second must either be \"s\" or \"ss\"")),
            },
            b'Z' => match n {
                1 => t.zone_colon(true),
                3 => match t.zone_plain() {
                    z if z == "+0000" => "UTC".into(),
                    z => z,
                },
                4 => t.zone_plain(),
                5 => t.zone_colon(false),
                _ => {
                    return Err(verb_err(tok, "timezone must be Z, ZZZZ, or ZZZZZ"));
                }
            },
            b if b.is_ascii_alphabetic() => return Err(verb_err(tok, "")),
            _ => {
                out.extend_from_slice(tok);
                continue;
            }
        };
        out.extend_from_slice(text.as_bytes());
    }
    Ok(Value::string(String::from_utf8_lossy(&out).into_owned()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::functions::CallError;
    use crate::functions::testing::*;

    fn fd(spec: &str, ts: &str) -> String {
        ok("formatdate", vec![s(spec), s(ts)])
            .as_str()
            .expect("a string")
            .to_string()
    }

    fn ta(ts: &str, d: &str) -> String {
        ok("timeadd", vec![s(ts), s(d)])
            .as_str()
            .expect("a string")
            .to_string()
    }

    #[test]
    fn formatdate_documented_examples() {
        assert_eq!(
            fd("DD MMM YYYY hh:mm ZZZ", "2018-01-02T23:12:01Z"),
            "02 Jan 2018 23:12 UTC"
        );
        assert_eq!(
            fd("EEEE, DD-MMM-YY hh:mm:ss ZZZ", "2018-01-02T23:12:01Z"),
            "Tuesday, 02-Jan-18 23:12:01 UTC"
        );
        assert_eq!(
            fd("EEE, DD MMM YYYY hh:mm:ss ZZZ", "2018-01-02T23:12:01-08:00"),
            "Tue, 02 Jan 2018 23:12:01 -0800"
        );
        assert_eq!(fd("MMM DD, YYYY", "2018-01-02T23:12:01Z"), "Jan 02, 2018");
        assert_eq!(fd("HH:mmaa", "2018-01-02T23:12:01Z"), "11:12pm");
        assert_eq!(fd("h'h'mm", "2018-01-02T23:12:01-08:00"), "23h12");
    }

    #[test]
    fn formatdate_every_verb() {
        let ts = "2006-01-02T15:04:05Z";
        assert_eq!(fd("", ts), "");
        assert_eq!(fd("YYYY-MM-DD", ts), "2006-01-02");
        assert_eq!(fd("EEE, MMM D ''YY", ts), "Mon, Jan 2 '06");
        assert_eq!(fd("hh:mm:ss", ts), "15:04:05");
        assert_eq!(fd("h:m:s", "2006-01-02T05:04:05Z"), "5:4:5");
        assert_eq!(fd("H 'o''clock' AA", ts), "3 o'clock PM");
        assert_eq!(fd("H 'o''clock'", ts), "3 o'clock");
        assert_eq!(fd("hh:mm:ssZZZZ", ts), "15:04:05+0000");
        assert_eq!(fd("hh:mm:ssZZZZZ", ts), "15:04:05+00:00");
        assert_eq!(fd("MMMM M", ts), "January 1");
        assert_eq!(fd("EEEE", ts), "Monday");
        assert_eq!(fd("aa", ts), "pm");
        assert_eq!(fd("AA HH", "2006-01-02T00:30:00Z"), "AM 12");
        assert_eq!(fd("YYYY-MM-DD'T'hh:mm:ssZ", ts), "2006-01-02T15:04:05Z");
        assert_eq!(fd("Z", "2006-01-02T15:04:05+05:30"), "+05:30");
        assert_eq!(fd("ZZZ", "2006-01-02T15:04:05+05:30"), "+0530");
        assert_eq!(fd("ZZZ", "2006-01-02T15:04:05+00:00"), "UTC");
        assert_eq!(fd("Z", "2006-01-02T15:04:05-00:00"), "Z");
        // A fraction of a second is accepted and not printed.
        assert_eq!(fd("ss", "2006-01-02T15:04:05.999999999Z"), "05");
        // Literal text that is not a letter passes through, non-ASCII included.
        assert_eq!(fd("DD.MM.YYYY — hh", ts), "02.01.2006 — 15");
        // Leap day and the day of week across centuries.
        assert_eq!(
            fd("EEEE DD MMMM YYYY", "2000-02-29T00:00:00Z"),
            "Tuesday 29 February 2000"
        );
        assert_eq!(fd("EEE", "1900-01-01T00:00:00Z"), "Mon");
        assert_eq!(fd("YYYY YY", "0009-05-06T00:00:00Z"), "0009 09");
    }

    #[test]
    fn formatdate_bad_formats() {
        let ts = s("2006-01-02T15:04:05Z");
        err(
            "formatdate",
            vec![s("Y"), ts.clone()],
            r#"invalid date format verb \"Y\": year must either be \"YY\" or \"YYYY\""#,
        );
        err(
            "formatdate",
            vec![s("YYYYY"), ts.clone()],
            r#"invalid date format verb \"YYYYY\""#,
        );
        err(
            "formatdate",
            vec![s("A"), ts.clone()],
            r#"invalid date format verb \"A\": must be \"AA\""#,
        );
        err(
            "formatdate",
            vec![s("a"), ts.clone()],
            r#"invalid date format verb \"a\": must be \"aa\""#,
        );
        err(
            "formatdate",
            vec![s("ZZ"), ts.clone()],
            "timezone must be Z, ZZZZ, or ZZZZZ",
        );
        err(
            "formatdate",
            vec![s("x"), ts.clone()],
            r#"msg: "invalid date format verb \"x\"""#,
        );
        err(
            "formatdate",
            vec![s("'blah blah"), ts.clone()],
            "unterminated literal '",
        );
        err(
            "formatdate",
            vec![s("'"), ts.clone()],
            "unterminated literal '",
        );
        // The format is argument 0.
        match call("formatdate", vec![s("MMMMM"), ts]) {
            Err(CallError::Arg { index, param, .. }) => {
                assert_eq!((index, param), (0, "format"));
            }
            other => panic!("unexpected {other:?}"),
        }
    }

    #[test]
    fn formatdate_bad_timestamps_use_cty_words() {
        let cases = [
            (
                "",
                "not a valid RFC3339 timestamp: end of string before year",
            ),
            (
                "2017-01-02",
                "not a valid RFC3339 timestamp: missing required time introducer 'T'",
            ),
            (
                "2017-12-02t00:00:00Z",
                "not a valid RFC3339 timestamp: missing required time introducer 'T'",
            ),
            (
                "2017:01:02",
                r#"not a valid RFC3339 timestamp: found ":01:02" where "-" is expected"#,
            ),
            (
                "2017",
                r#"not a valid RFC3339 timestamp: end of string where "-" is expected"#,
            ),
            (
                "2017-01-02T",
                "not a valid RFC3339 timestamp: end of string before hour",
            ),
            (
                "2017-01-02T00",
                r#"not a valid RFC3339 timestamp: end of string where ":" is expected"#,
            ),
            (
                "2017-01-02T00:00:00",
                "not a valid RFC3339 timestamp: end of string before UTC offset",
            ),
            (
                "2017-01-02T26:00:00Z",
                r#"not a valid RFC3339 timestamp: cannot use ":00:00Z" as hour"#,
            ),
            (
                "2017-13-02T00:00:00Z",
                r#"not a valid RFC3339 timestamp: cannot use "-02T00:00:00Z" as month"#,
            ),
            (
                "2017-02-31T00:00:00Z",
                "not a valid RFC3339 timestamp: day out of range",
            ),
            (
                "\"2017-12-02T00:00:00Z\"",
                r#"not a valid RFC3339 timestamp: cannot use "\"2017-12-02T00:00:00Z\"" as year"#,
            ),
            (
                "2-12-02T00:00:00Z",
                r#"not a valid RFC3339 timestamp: cannot use "-02T00:00:00Z" as year"#,
            ),
            (
                "2017-01-02T00:00:00Zjunk",
                r#"not a valid RFC3339 timestamp: cannot use "junk" as timestamp segment"#,
            ),
        ];
        for (ts, want) in cases {
            match call("formatdate", vec![s(""), s(ts)]) {
                Err(CallError::Arg { index, param, msg }) => {
                    assert_eq!((index, param), (1, "time"), "{ts}");
                    assert_eq!(msg, want, "{ts}");
                }
                other => panic!("{ts}: unexpected {other:?}"),
            }
        }
        // The timestamp is checked before the format.
        err("formatdate", vec![s("Y"), s("nope")], "not a valid RFC3339");
    }

    #[test]
    fn formatdate_types_null_unknown() {
        err(
            "formatdate",
            vec![s("YYYY"), Value::null()],
            "argument must not be null",
        );
        err(
            "formatdate",
            vec![tup(vec![]), s("2006-01-02T15:04:05Z")],
            "string required",
        );
        let u = ok("formatdate", vec![s("YYYY"), Value::unknown("later")]);
        shows(&u, "(unknown: later)");
    }

    #[test]
    fn timeadd_documented_and_edge_cases() {
        assert_eq!(ta("2017-11-22T00:00:00Z", "10m"), "2017-11-22T00:10:00Z");
        assert_eq!(ta("2017-11-22T00:00:00Z", "1h30m"), "2017-11-22T01:30:00Z");
        assert_eq!(ta("2017-11-22T00:00:00Z", "-2h"), "2017-11-21T22:00:00Z");
        assert_eq!(ta("2017-11-22T00:00:00Z", "1.5h"), "2017-11-22T01:30:00Z");
        assert_eq!(ta("2017-11-22T00:00:00Z", "0"), "2017-11-22T00:00:00Z");
        assert_eq!(ta("2017-11-22T00:00:00Z", "+1s"), "2017-11-22T00:00:01Z");
        assert_eq!(ta("2017-11-22T00:00:00Z", "1500ms"), "2017-11-22T00:00:01Z");
        assert_eq!(
            ta("2017-11-22T00:00:00Z", "1000000us"),
            "2017-11-22T00:00:01Z"
        );
        assert_eq!(
            ta("2017-11-22T00:00:00Z", "1000000µs"),
            "2017-11-22T00:00:01Z"
        );
        assert_eq!(
            ta("2017-11-22T00:00:00Z", "1000000000ns"),
            "2017-11-22T00:00:01Z"
        );
        // The input's offset is kept; the fraction carries into the seconds, then is dropped.
        assert_eq!(
            ta("2017-11-22T23:30:00-08:00", "1h"),
            "2017-11-23T00:30:00-08:00"
        );
        assert_eq!(
            ta("2017-11-22T00:00:00.6+05:30", "0.5s"),
            "2017-11-22T00:00:01+05:30"
        );
        assert_eq!(
            ta("2017-11-22T00:00:00+00:00", "1m"),
            "2017-11-22T00:01:00Z"
        );
        // Month, year and leap-day rollovers.
        assert_eq!(ta("2016-02-28T12:00:00Z", "24h"), "2016-02-29T12:00:00Z");
        assert_eq!(ta("2017-12-31T23:59:59Z", "1s"), "2018-01-01T00:00:00Z");
        assert_eq!(ta("0000-01-01T00:00:00Z", "-1h"), "-0001-12-31T23:00:00Z");
    }

    #[test]
    fn timeadd_errors_use_go_words() {
        err(
            "timeadd",
            vec![s("2017-11-22"), s("1h")],
            r#"parsing time \"2017-11-22\" as \"2006-01-02T15:04:05Z07:00\": cannot parse \"\" as \"T\""#,
        );
        err(
            "timeadd",
            vec![s("2017-13-22T00:00:00Z"), s("1h")],
            r#"parsing time \"2017-13-22T00:00:00Z\": month out of range"#,
        );
        err(
            "timeadd",
            vec![s("2017-11-22T00:00:00Z"), s("1x")],
            r#"time: unknown unit \"x\" in duration \"1x\""#,
        );
        err(
            "timeadd",
            vec![s("2017-11-22T00:00:00Z"), s("10")],
            r#"time: missing unit in duration \"10\""#,
        );
        err(
            "timeadd",
            vec![s("2017-11-22T00:00:00Z"), s("")],
            r#"time: invalid duration \"\""#,
        );
        err(
            "timeadd",
            vec![s("2017-11-22T00:00:00Z"), s(".h")],
            r#"time: invalid duration \".h\""#,
        );
        err(
            "timeadd",
            vec![s("2017-11-22T00:00:00Z"), s("99999999999999999999h")],
            "time: invalid duration",
        );
        err(
            "timeadd",
            vec![s("2017-11-22T00:00:00Z"), s("3000000h")],
            "time: invalid duration",
        );
        // Both arguments must be strings; null and unknown are handled by the registry.
        err(
            "timeadd",
            vec![Value::null(), s("1h")],
            "argument must not be null",
        );
        let u = ok(
            "timeadd",
            vec![s("2017-11-22T00:00:00Z"), Value::unknown("d")],
        );
        shows(&u, "(unknown: d)");
        match call("timeadd", vec![s("x"), s("1h")]) {
            Err(CallError::Call(_)) => {}
            other => panic!("unexpected {other:?}"),
        }
    }

    #[test]
    fn timestamp_is_unknown() {
        let v = ok("timestamp", vec![]);
        assert!(!v.is_known());
        shows(&v, "(unknown: timestamp returns the time of the run)");
        assert!(call("timestamp", vec![s("x")]).is_err());
    }

    #[test]
    fn odd_inputs_never_panic() {
        let stamps = [
            "",
            "Z",
            "9999-12-31T23:59:59+99:59",
            "0000-01-01T00:00:00-99:59",
            "2017-01-02T00:00:.5Z",
            "2017-01-02T1:00:00Z",
            "2017-01-02T00:00:00+-1:00",
            "2017-01-02T00:00:00+0a:00",
            "2017-01-02T00:00:00.1234567890123Z",
            "2017-01-02T00:00:00µ",
            "日本-01-02T00:00:00Z",
            "2017-00-02T00:00:00Z",
            "2017-01-00T00:00:00Z",
            "2017-01-02T00:60:00Z",
            "2017-01-02T00:00:60Z",
            "2017-01-02T00:00:00+05",
        ];
        let formats = [
            "",
            "'",
            "''",
            ", '",
            "YYYY'",
            "Z ZZZ ZZZZ ZZZZZ",
            "é'ü'ß",
            "q",
        ];
        let durs = [
            "",
            "-",
            "+",
            ".",
            "1.",
            ".1h",
            "1e3s",
            "9223372036854775807ns",
            "1µ",
            "1h-1m",
        ];
        for ts in stamps {
            for f in formats {
                let _ = call("formatdate", vec![s(f), s(ts)]);
            }
            for d in durs {
                let _ = call("timeadd", vec![s(ts), s(d)]);
            }
        }
        // Go accepts a one-digit hour and a bare fraction in place of seconds.
        assert_eq!(ta("2017-01-02T1:00:00Z", "0s"), "2017-01-02T01:00:00Z");
        assert_eq!(ta("2017-01-02T00:00:.5Z", "0.5s"), "2017-01-02T00:00:01Z");
        assert_eq!(ta("9999-12-31T23:59:59Z", "1s"), "10000-01-01T00:00:00Z");
    }

    #[test]
    fn durations_parse_like_go() {
        assert_eq!(parse_duration("1h30m"), Ok(5_400_000_000_000));
        assert_eq!(parse_duration("-2h5m"), Ok(-7_500_000_000_000));
        assert_eq!(parse_duration("1.5h"), Ok(5_400_000_000_000));
        assert_eq!(parse_duration(".5s"), Ok(500_000_000));
        assert_eq!(parse_duration("5.s"), Ok(5_000_000_000));
        assert_eq!(parse_duration("-0"), Ok(0));
        assert!(parse_duration("-").is_err());
        assert!(parse_duration("1h 30m").is_err());
        assert!(parse_duration("h").is_err());
    }
}
