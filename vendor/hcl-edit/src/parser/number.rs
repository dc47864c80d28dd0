use super::prelude::*;

use crate::Number;

use std::str::FromStr;
use winnow::ascii::digit1;
use winnow::combinator::{cut_err, opt, preceded};
use winnow::token::one_of;

/// Parses a number literal: digits, an optional fraction, an optional exponent.
///
/// The literal is scanned once and converted once, so its cost is linear in its length. Integers
/// that fit a `u64` are exact; other literals are converted to the nearest `f64`. A literal beyond
/// the range of `f64` (`1e400`, or 400 digits) is represented by `f64::MAX`; the expression's
/// `repr` keeps the literal's text.
pub(super) fn number(input: &mut Input) -> ModalResult<Number> {
    let ((_, fraction, exponent), literal) = (digit1, opt(fraction), opt(exponent))
        .with_taken()
        .parse_next(input)?;

    if fraction.is_none() && exponent.is_none() {
        if let Ok(integer) = u64::from_str(literal) {
            return Ok(Number::from(integer));
        }
    }

    // The literal is valid decimal syntax for `f64::from_str`; overflow gives infinity.
    let float = f64::from_str(literal).unwrap_or(f64::INFINITY);
    Ok(Number::from_f64(float).unwrap_or_else(|| Number::from_f64(f64::MAX).unwrap()))
}

fn fraction<'a>(input: &mut Input<'a>) -> ModalResult<&'a str> {
    preceded('.', digit1).parse_next(input)
}

fn exponent<'a>(input: &mut Input<'a>) -> ModalResult<&'a str> {
    (
        one_of(b"eE"),
        opt(one_of(b"+-")),
        cut_err(digit1).context(StrContext::Expected(StrContextValue::Description("digit"))),
    )
        .take()
        .parse_next(input)
}

#[cfg(test)]
mod tests {
    use super::*;
    use pretty_assertions::assert_eq;

    #[test]
    fn parse_integer() {
        let tests: &[(&str, u64)] = &[
            ("1", 1),
            ("99", 99),
            ("0", 0),
            ("18446744073709551615", u64::MAX),
        ];

        for (input, expected) in tests {
            let parsed = number.parse(new_input(input));
            assert!(parsed.is_ok(), "expected `{input}` to parse correctly");
            assert_eq!(parsed.unwrap().as_u64(), Some(*expected));
        }
    }

    #[test]
    fn parse_number() {
        let tests: &[(&str, Number)] = &[
            ("42", Number::from(42u64)),
            ("1.5", Number::from_f64(1.5).unwrap()),
            ("18446744073709551615", Number::from(u64::MAX)),
            (
                "18446744073709551616",
                Number::from_f64(18_446_744_073_709_551_616.0).unwrap(),
            ),
            (
                "100000000000000000000000000000",
                Number::from_f64(1e29).unwrap(),
            ),
        ];

        for (input, expected) in tests {
            let parsed = number.parse(new_input(input));
            assert!(parsed.is_ok(), "expected `{input}` to parse correctly");
            let parsed = parsed.unwrap();
            assert_eq!(parsed, *expected);
            assert_eq!(parsed.is_f64(), expected.is_f64());
        }
    }

    #[test]
    // Strict comparison is safe because we don't do any math with these floats
    #[allow(clippy::float_cmp)]
    fn parse_float() {
        let tests: &[(&str, f64)] = &[
            ("1.0", 1.0),
            ("1e10", 10_000_000_000.0),
            ("2.5E3", 2500.0),
            ("42e-3", 0.042),
            ("0.1E-4", 0.00001),
            ("1.7976931348623157e308", f64::MAX),
        ];

        for (input, expected) in tests {
            let parsed = number.parse(new_input(input));
            assert!(parsed.is_ok(), "expected `{input}` to parse correctly");
            assert_eq!(parsed.unwrap().as_f64(), Some(*expected));
        }
    }

    #[test]
    #[allow(clippy::float_cmp)]
    fn parse_out_of_range() {
        let huge_integer = "9".repeat(400);
        let many_digits = "1".repeat(1_000_000);
        let tests: &[(&str, f64)] = &[
            ("1e400", f64::MAX),
            ("1e999999999", f64::MAX),
            ("1.5E+99999999999999999999", f64::MAX),
            (&huge_integer, f64::MAX),
            (&many_digits, f64::MAX),
            ("1e-999999999", 0.0),
        ];

        for (input, expected) in tests {
            let parsed = number.parse(new_input(input));
            assert!(parsed.is_ok(), "expected `{input}` to parse correctly");
            assert_eq!(parsed.unwrap().as_f64(), Some(*expected));
        }
    }
}
