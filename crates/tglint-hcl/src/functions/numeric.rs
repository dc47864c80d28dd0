//! Terraform's numeric functions: `abs`, `ceil`, `floor`, `log`, `max`, `min`, `parseint`,
//! `pow` and `signum` (cty's stdlib versions, as Terraform v0.15.3 registers them).
//!
//! Also home to small helpers the sibling modules share: Go's `%q` quoting and the whole
//! number conversions cty's `gocty` performs (with its error wording).

use super::{Functions, Param};
use crate::error::FnError;
use crate::go;
use crate::value::{Data, Number, Value};

/// gocty's message when a number does not fit a Go `int`.
pub(super) const WHOLE_INT_MSG: &str =
    "value must be a whole number, between -9223372036854775808 and 9223372036854775807";

/// Converts a number as `gocty.FromCtyValue(v, &int)` does: whole and within `i64`.
pub(super) fn whole_i64(n: Number) -> Result<i64, &'static str> {
    match n {
        Number::Int(i) => Ok(i),
        Number::Float(f) => {
            // 2^63 is the first float past i64::MAX; -2^63 is i64::MIN exactly.
            if f.is_finite()
                && f.fract() == 0.0
                && (-9.223_372_036_854_776e18..9.223_372_036_854_776e18).contains(&f)
            {
                Ok(f as i64)
            } else {
                Err(WHOLE_INT_MSG)
            }
        }
    }
}

/// Converts a number as `gocty.FromCtyValue(v, &*big.Int)` does: any whole number. Ours
/// are bounded, so `i128` holds every whole value below 2^127 in magnitude; larger ones
/// come back as `Err(true)` (whole but too large), non-whole ones as `Err(false)`.
pub(super) fn whole_i128(n: Number) -> Result<i128, bool> {
    match n {
        Number::Int(i) => Ok(i128::from(i)),
        Number::Float(f) => {
            if !f.is_finite() || f.fract() != 0.0 {
                Err(false)
            } else if f.abs() < 1.7e38 {
                Ok(f as i128)
            } else {
                Err(true)
            }
        }
    }
}

fn num_arg(args: &[Value], i: usize) -> Result<Number, FnError> {
    match args.get(i) {
        Some(v) => v.to_number_conv().map_err(|m| FnError::arg(i, m)),
        None => Err(FnError::call("missing argument")),
    }
}

/// A number argument passed through unchanged when it already is one (keeping its
/// origin), or the converted number otherwise.
fn num_value(v: &Value, n: Number) -> Value {
    match v.data {
        Data::Number(_) => v.clone(),
        _ => Value::number(n),
    }
}

/// A float result as cty's `NumberFloatVal` makes it; NaN has no cty representation (cty
/// panics on it), so it is an error here.
fn float_result(f: f64, what: &str) -> Result<Value, FnError> {
    if f.is_nan() {
        return Err(FnError::call(format!(
            "the result of {what} is not a number (NaN), which Terraform cannot represent"
        )));
    }
    if f.is_infinite() {
        return Ok(Value::number(Number::Float(f)));
    }
    Ok(Value::float(if f == 0.0 { 0.0 } else { f }))
}

fn ceil_floor(n: Number, ceil: bool) -> Number {
    match n {
        Number::Int(i) => Number::Int(i),
        Number::Float(f) if f.is_infinite() => Number::Float(f),
        Number::Float(f) => {
            let r = if ceil { f.ceil() } else { f.floor() };
            Number::from_f64(if r == 0.0 { 0.0 } else { r })
        }
    }
}

/// Parses `s` as Go's `big.Int.SetString(s, base)` does for an explicit base: an optional
/// sign, then at least one digit; letters are case-insensitive up to base 36, and from base
/// 37 on `a`–`z` are 10–35 and `A`–`Z` are 36–61. No prefixes, no underscores.
fn parse_int_base(s: &str, base: u32) -> Option<Number> {
    let (neg, digits) = if let Some(rest) = s.strip_prefix('-') {
        (true, rest)
    } else {
        (false, s.strip_prefix('+').unwrap_or(s))
    };
    if digits.is_empty() {
        return None;
    }
    let mut exact: Option<i128> = Some(0);
    let mut approx = 0.0f64;
    for b in digits.bytes() {
        let d = match b {
            b'0'..=b'9' => u32::from(b - b'0'),
            b'a'..=b'z' => u32::from(b - b'a') + 10,
            b'A'..=b'Z' if base <= 36 => u32::from(b - b'A') + 10,
            b'A'..=b'Z' => u32::from(b - b'A') + 36,
            _ => return None,
        };
        if d >= base {
            return None;
        }
        exact = exact
            .and_then(|e| e.checked_mul(i128::from(base)))
            .and_then(|e| e.checked_add(i128::from(d)));
        approx = approx * f64::from(base) + f64::from(d);
    }
    let n = match exact {
        Some(e) => {
            let e = if neg { -e } else { e };
            match i64::try_from(e) {
                Ok(i) => Number::Int(i),
                Err(_) => Number::Float(e as f64),
            }
        }
        None => Number::Float(if neg { -approx } else { approx }),
    };
    Some(n)
}

pub(crate) fn register(f: &mut Functions) {
    f.add("abs", &[Param::new("num")], None, |_, args| {
        let n = num_arg(&args, 0)?;
        let r = match n {
            Number::Int(i) if i >= 0 => return Ok(num_value(&args[0], n)),
            Number::Float(x) if x >= 0.0 && x.is_sign_positive() => {
                return Ok(num_value(&args[0], n));
            }
            // big.Float's Abs: |-0| is 0.
            Number::Float(0.0) => Number::Int(0),
            other => other.neg(),
        };
        Ok(Value::number(r))
    });

    f.add("ceil", &[Param::new("num")], None, |_, args| {
        let n = num_arg(&args, 0)?;
        Ok(Value::number(ceil_floor(n, true)))
    });

    f.add("floor", &[Param::new("num")], None, |_, args| {
        let n = num_arg(&args, 0)?;
        Ok(Value::number(ceil_floor(n, false)))
    });

    f.add(
        "log",
        &[Param::new("num"), Param::new("base")],
        None,
        |_, args| {
            let num = num_arg(&args, 0)?.as_f64();
            let base = num_arg(&args, 1)?.as_f64();
            float_result(num.ln() / base.ln(), "log")
        },
    );

    f.add(
        "pow",
        &[Param::new("num"), Param::new("power")],
        None,
        |_, args| {
            let num = num_arg(&args, 0)?;
            let power = num_arg(&args, 1)?;
            // Whole results up to 2^53 are exact in Go's float64 math.Pow too; larger ones
            // go through f64 below, as in Terraform.
            if let (Number::Int(b), Number::Int(e)) = (num, power)
                && let Ok(e) = u32::try_from(e)
                && let Some(r) = b.checked_pow(e)
                && r.unsigned_abs() <= 1 << 53
            {
                return Ok(Value::int(r));
            }
            float_result(num.as_f64().powf(power.as_f64()), "pow")
        },
    );

    f.add("signum", &[Param::new("num")], None, |_, args| {
        let n = num_arg(&args, 0)?;
        // cty converts the argument to a Go int first, so fractions are an error.
        let i = whole_i64(n).map_err(FnError::call)?;
        Ok(Value::int(i.signum()))
    });

    f.add("max", &[], Some(Param::new("numbers")), |_, args| {
        extreme(&args, std::cmp::Ordering::Greater)
    });

    f.add("min", &[], Some(Param::new("numbers")), |_, args| {
        extreme(&args, std::cmp::Ordering::Less)
    });

    f.add(
        "parseint",
        &[Param::new("number"), Param::new("base")],
        None,
        |_, args| {
            let Some(s) = args[0].as_str() else {
                return Err(FnError::arg(
                    0,
                    format!(
                        "first argument must be a string, not {}",
                        args[0].type_name()
                    ),
                ));
            };
            let base = num_arg(&args, 1)?;
            let base = whole_i64(base).map_err(|m| FnError::arg(1, m))?;
            if !(2..=62).contains(&base) {
                return Err(FnError::arg(
                    1,
                    "base must be a whole number between 2 and 62 inclusive",
                ));
            }
            // In range 2..=62, so the cast is lossless.
            let base = base as u32;
            match parse_int_base(s, base) {
                Some(n) => Ok(Value::number(n)),
                None => Err(FnError::arg(
                    0,
                    format!("cannot parse {} as a base {base} integer", go::quote(s)),
                )),
            }
        },
    );
}

/// `max`/`min`: the first argument that beats every other one (cty starts from the
/// opposite infinity and replaces on a strict comparison).
fn extreme(args: &[Value], want: std::cmp::Ordering) -> Result<Value, FnError> {
    if args.is_empty() {
        return Err(FnError::call("must pass at least one number"));
    }
    let mut best: Option<(usize, Number)> = None;
    for i in 0..args.len() {
        let n = num_arg(args, i)?;
        match best {
            None => best = Some((i, n)),
            Some((_, b)) if n.cmp_num(b) == want => best = Some((i, n)),
            Some(_) => {}
        }
    }
    match best {
        Some((i, n)) => Ok(num_value(&args[i], n)),
        None => Err(FnError::call("must pass at least one number")),
    }
}

#[cfg(test)]
mod tests {
    use crate::functions::testing::*;
    use crate::value::{Number, Value};

    fn f(x: f64) -> Value {
        Value::number(Number::Float(x))
    }

    #[test]
    fn abs_documented_examples() {
        shows(&ok("abs", vec![n(23)]), "23");
        shows(&ok("abs", vec![n(0)]), "0");
        shows(&ok("abs", vec![f(-0.0)]), "0");
        shows(&ok("abs", vec![f(-12.4)]), "12.4");
        shows(&ok("abs", vec![s("-3")]), "3");
        shows(&ok("abs", vec![n(i64::MIN)]), "9223372036854775808");
        err("abs", vec![s("x")], "a number is required");
        err("abs", vec![Value::null()], "must not be null");
        assert!(!ok("abs", vec![Value::unknown("u")]).is_known());
    }

    #[test]
    fn ceil_and_floor_documented_examples() {
        shows(&ok("ceil", vec![n(5)]), "5");
        shows(&ok("ceil", vec![f(5.1)]), "6");
        shows(&ok("ceil", vec![f(-5.1)]), "-5");
        shows(&ok("ceil", vec![f(-0.5)]), "0");
        shows(&ok("ceil", vec![f(f64::INFINITY)]), "+Inf");
        shows(&ok("floor", vec![n(5)]), "5");
        shows(&ok("floor", vec![f(4.9)]), "4");
        shows(&ok("floor", vec![f(-4.1)]), "-5");
        shows(&ok("floor", vec![f(f64::NEG_INFINITY)]), "-Inf");
        shows(&ok("floor", vec![s("2.5")]), "2");
        err("floor", vec![Value::tuple(vec![])], "number required");
    }

    #[test]
    fn log_documented_examples() {
        shows(&ok("log", vec![n(50), n(10)]), "1.6989700043360185");
        shows(&ok("log", vec![n(16), n(2)]), "4");
        shows(&ok("log", vec![n(1), n(10)]), "0");
        shows(&ok("log", vec![n(0), n(10)]), "-Inf");
        shows(&ok("log", vec![n(10), n(1)]), "+Inf");
        err("log", vec![n(-1), n(10)], "NaN");
        err("log", vec![n(1), n(1)], "NaN");
    }

    #[test]
    fn pow_documented_examples() {
        shows(&ok("pow", vec![n(3), n(2)]), "9");
        shows(&ok("pow", vec![n(4), n(0)]), "1");
        shows(&ok("pow", vec![n(2), n(-1)]), "0.5");
        shows(&ok("pow", vec![n(0), n(-1)]), "+Inf");
        let big = ok("pow", vec![n(2), n(70)]);
        assert_eq!(big.as_number().map(|x| x.as_f64()), Some(2f64.powi(70)));
        shows(&ok("pow", vec![f(2.5), n(2)]), "6.25");
        // Beyond 2^53 the result is Go's float64, not the exact integer.
        let p = ok("pow", vec![n(3), n(39)]);
        assert_eq!(p.as_number().map(|x| x.as_f64()), Some(3f64.powf(39.0)));
        err("pow", vec![n(-8), f(1.0 / 3.0)], "NaN");
    }

    #[test]
    fn signum_documented_examples() {
        shows(&ok("signum", vec![n(-13)]), "-1");
        shows(&ok("signum", vec![n(0)]), "0");
        shows(&ok("signum", vec![n(344)]), "1");
        // cty converts to a Go int first: fractions and infinities fail.
        err(
            "signum",
            vec![f(0.5)],
            "value must be a whole number, between",
        );
        err(
            "signum",
            vec![f(f64::INFINITY)],
            "value must be a whole number",
        );
    }

    #[test]
    fn max_and_min_documented_examples() {
        shows(&ok("max", vec![n(12), n(54), n(3)]), "54");
        shows(&ok("min", vec![n(12), n(54), n(3)]), "3");
        shows(&ok("max", vec![f(1.5), s("2"), n(-1)]), "2");
        shows(&ok("min", vec![f(f64::INFINITY)]), "+Inf");
        err("max", vec![], "must pass at least one number");
        err("min", vec![n(1), s("a")], "a number is required");
        assert!(!ok("max", vec![n(1), Value::unknown("u")]).is_known());
    }

    #[test]
    fn max_keeps_the_origin_of_the_winning_argument() {
        use crate::span::{FileId, Origin, Span};
        let origin = Origin::new(Span::new(FileId(3), 1..2));
        let v = n(9).with_origin(Some(origin));
        let r = ok("max", vec![n(1), v]);
        assert_eq!(r.origin, Some(origin));
    }

    #[test]
    fn parseint_documented_examples() {
        shows(&ok("parseint", vec![s("100"), n(10)]), "100");
        shows(&ok("parseint", vec![s("FF"), n(16)]), "255");
        shows(&ok("parseint", vec![s("-10"), n(16)]), "-16");
        shows(&ok("parseint", vec![s("1011111011101111"), n(2)]), "48879");
        shows(&ok("parseint", vec![s("aA"), n(62)]), "656");
        shows(&ok("parseint", vec![s("zz"), n(36)]), "1295");
        shows(&ok("parseint", vec![s("ZZ"), n(36)]), "1295");
        shows(&ok("parseint", vec![s("Zz"), n(62)]), "3817");
        shows(&ok("parseint", vec![s("+7"), s("8")]), "7");
        err(
            "parseint",
            vec![s("12"), n(2)],
            r#"cannot parse \"12\" as a base 2 integer"#,
        );
        for bad in [" 10", "10 ", "1_0", "0x10", "", "-", "1.5"] {
            err("parseint", vec![s(bad), n(16)], "cannot parse");
        }
        err(
            "parseint",
            vec![n(10), n(10)],
            "first argument must be a string, not number",
        );
        err(
            "parseint",
            vec![s("1"), n(1)],
            "base must be a whole number between 2 and 62",
        );
        err(
            "parseint",
            vec![s("1"), n(63)],
            "base must be a whole number between 2 and 62",
        );
        err(
            "parseint",
            vec![s("1"), f(2.5)],
            "value must be a whole number",
        );
    }

    #[test]
    fn parseint_large_values_do_not_overflow() {
        let v = ok("parseint", vec![s("ffffffffffffffffffff"), n(16)]);
        assert!(v.as_number().is_some_and(|x| x.as_f64() > 1.2e24));
        let long = "z".repeat(500);
        let v = ok("parseint", vec![s(&long), n(36)]);
        assert!(v.as_number().is_some());
        shows(
            &ok("parseint", vec![s("-9223372036854775808"), n(10)]),
            "-9223372036854775808",
        );
    }
}
