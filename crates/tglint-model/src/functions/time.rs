//! `timecmp`: two RFC 3339 timestamps compared as instants, parsed as a current Go parses
//! them (`tglint_hcl::go::parse_rfc3339`).

use super::{strings, tg};
use std::cmp::Ordering;
use tglint_hcl::functions::parse_timestamp_message;
use tglint_hcl::go::{self, Release, TimeParseError};
use tglint_hcl::{CallCtx, FnError, FnResult, Value};

pub(super) fn timecmp(cx: &CallCtx<'_>, args: Vec<Value>) -> FnResult {
    tg(cx)?;
    let params = strings(&args)?;
    let [a, b] = params.as_slice() else {
        return Err(FnError::call(
            "function can take only two parameters: timestamp_a and timestamp_b",
        ));
    };
    let ta = go::parse_rfc3339(a, Release::Current).map_err(|e| {
        FnError::call(format!(
            "could not parse first parameter {}: {}",
            go::quote(a),
            parse_message(&e)
        ))
    })?;
    let tb = go::parse_rfc3339(b, Release::Current).map_err(|e| {
        FnError::call(format!(
            "could not parse second parameter {}: {}",
            go::quote(b),
            parse_message(&e)
        ))
    })?;
    Ok(Value::int(
        match (ta.secs, ta.nanos).cmp(&(tb.secs, tb.nanos)) {
            Ordering::Less => -1,
            Ordering::Equal => 0,
            Ordering::Greater => 1,
        },
    ))
}

/// Why a timestamp does not parse. Terragrunt's `ParseTimestamp` words it as cty's
/// `parseTimestamp` does (`tglint_hcl::functions::parse_timestamp_message`), except here:
/// a value out of range and text after the offset say so themselves (`month out of
/// range`, `extra text: "x"`) where cty names the element they stand in.
fn parse_message(e: &TimeParseError) -> String {
    const NOT_RFC3339: &str = "not a valid RFC3339 timestamp";
    if e.layout_elem.is_empty() && !e.value_elem.is_empty() {
        let extra = go::quote_bytes(&e.value_elem);
        return format!("{NOT_RFC3339}: extra text: {extra}");
    }
    if !e.message.is_empty() {
        return format!("{NOT_RFC3339}{}", e.message);
    }
    parse_timestamp_message(e)
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

    /// A current Go checks an offset's ranges before its sign and its minutes after its
    /// hours; this copy used to check the sign first and the hours last.
    #[test]
    fn timecmp_checks_offsets_as_go_does() {
        let t = empty();
        let z = s("2017-11-22T00:00:00Z");
        t.err(
            "timecmp",
            vec![s("2017-11-22T00:00:00+25:61"), z.clone()],
            "not a valid RFC3339 timestamp: time zone offset minute out of range",
        );
        t.err(
            "timecmp",
            vec![s("2017-11-22T00:00:00x25:00"), z.clone()],
            "not a valid RFC3339 timestamp: time zone offset hour out of range",
        );
        t.err(
            "timecmp",
            vec![s("2017-11-22T00:00:00x01:00"), z.clone()],
            r#"not a valid RFC3339 timestamp: cannot use \"x01:00\" as UTC offset"#,
        );
        assert_eq!(
            t.ok("timecmp", vec![s("2017-11-22T00:00:00,5Z"), z])
                .to_string(),
            "1"
        );
    }
}
