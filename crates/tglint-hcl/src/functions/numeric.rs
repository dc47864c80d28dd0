//! Terraform's numeric functions: `abs`, `ceil`, `floor`, `log`, `max`, `min`, `parseint`,
//! `pow` and `signum` (cty's stdlib versions, as Terraform v0.15.3 registers them).
//!
//! Also home to small helpers the sibling modules share: Go's `%q` quoting and the whole
//! number conversions cty's `gocty` performs (with its error wording).

use super::{Functions, Param};
use crate::error::FnError;
use crate::go;
use crate::value::{Data, Number, Value};
use num_bigint::BigUint;
use num_traits::Zero;

/// gocty's message when a number does not fit a Go `int`.
pub(super) const WHOLE_INT_MSG: &str =
    "value must be a whole number, between -9223372036854775808 and 9223372036854775807";

/// Converts a number as `gocty.FromCtyValue(v, &int)` does: whole and within `i64`.
pub(super) fn whole_i64(n: &Number) -> Result<i64, &'static str> {
    n.as_i64().ok_or(WHOLE_INT_MSG)
}

/// Converts a number as `gocty.FromCtyValue(v, &*big.Int)` does: any whole number.
/// Values beyond `i128` come back as `Err(true)` (whole but too large), non-whole ones as
/// `Err(false)`.
pub(super) fn whole_i128(n: &Number) -> Result<i128, bool> {
    match n.as_i128() {
        Some(i) => Ok(i),
        None => Err(n.is_whole()),
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
    match Number::from_f64(f) {
        Some(n) => Ok(Value::number(n)),
        None => Err(FnError::call(format!(
            "the result of {what} is not a number (NaN), which Terraform cannot represent"
        ))),
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
    let mut mag = BigUint::zero();
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
        mag = mag * base + d;
    }
    Some(Number::from_integer(neg, mag))
}

pub(crate) fn register(f: &mut Functions) {
    f.add("abs", &[Param::new("num")], None, |_, args| {
        let n = num_arg(&args, 0)?;
        // big.Float's Abs: |-0| is 0; a non-negative number is passed through.
        if !n.is_sign_negative() {
            return Ok(num_value(&args[0], n));
        }
        Ok(Value::number(n.abs()))
    });

    f.add("ceil", &[Param::new("num")], None, |_, args| {
        let n = num_arg(&args, 0)?;
        Ok(Value::number(n.floor_ceil(true)))
    });

    f.add("floor", &[Param::new("num")], None, |_, args| {
        let n = num_arg(&args, 0)?;
        Ok(Value::number(n.floor_ceil(false)))
    });

    f.add(
        "log",
        &[Param::new("num"), Param::new("base")],
        None,
        |_, args| {
            let num = num_arg(&args, 0)?.as_f64();
            let base = num_arg(&args, 1)?.as_f64();
            float_result(go_log(num) / go_log(base), "log")
        },
    );

    f.add(
        "pow",
        &[Param::new("num"), Param::new("power")],
        None,
        |_, args| {
            let num = num_arg(&args, 0)?;
            let power = num_arg(&args, 1)?;
            float_result(num.as_f64().powf(power.as_f64()), "pow")
        },
    );

    f.add("signum", &[Param::new("num")], None, |_, args| {
        let n = num_arg(&args, 0)?;
        // cty converts the argument to a Go int first, so fractions are an error.
        let i = whole_i64(&n).map_err(FnError::call)?;
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
            let base = whole_i64(&base).map_err(|m| FnError::arg(1, m))?;
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

/// Go's `math.Log` (FreeBSD's `e_log.c`, which Go's pure and amd64 versions both
/// compute, with its constants by their bits): the platform's `ln` can differ from it in the last bit, and `log(3, 2)`
/// prints every bit.
fn go_log(x: f64) -> f64 {
    const LN2_HI: f64 = f64::from_bits(0x3fe6_2e42_fee0_0000);
    const LN2_LO: f64 = f64::from_bits(0x3dea_39ef_3579_3c76);
    const L1: f64 = f64::from_bits(0x3fe5_5555_5555_5593);
    const L2: f64 = f64::from_bits(0x3fd9_9999_9997_fa04);
    const L3: f64 = f64::from_bits(0x3fd2_4924_9422_9359);
    const L4: f64 = f64::from_bits(0x3fcc_71c5_1d8e_78af);
    const L5: f64 = f64::from_bits(0x3fc7_4664_96cb_03de);
    const L6: f64 = f64::from_bits(0x3fc3_9a09_d078_c69f);
    const L7: f64 = f64::from_bits(0x3fc2_f112_df3e_5244);
    if x.is_nan() || x == f64::INFINITY {
        return x;
    }
    if x < 0.0 {
        return f64::NAN;
    }
    if x == 0.0 {
        return f64::NEG_INFINITY;
    }
    let (mut f1, mut ki) = frexp(x);
    if f1 < std::f64::consts::SQRT_2 / 2.0 {
        f1 *= 2.0;
        ki -= 1;
    }
    let f = f1 - 1.0;
    let k = f64::from(ki);
    let s = f / (2.0 + f);
    let s2 = s * s;
    let s4 = s2 * s2;
    let t1 = s2 * (L1 + s4 * (L3 + s4 * (L5 + s4 * L7)));
    let t2 = s4 * (L2 + s4 * (L4 + s4 * L6));
    let r = t1 + t2;
    let hfsq = 0.5 * f * f;
    k * LN2_HI - ((hfsq - (s * (hfsq + r) + k * LN2_LO)) - f)
}

/// Go's `math.Frexp` for a finite non-zero `x`: `x = frac × 2^exp`, `|frac|` in [½, 1).
fn frexp(x: f64) -> (f64, i32) {
    let mut x = x;
    let mut exp = 0;
    if x.abs() < f64::MIN_POSITIVE {
        // Subnormal: scale into the normal range first.
        x *= (1u64 << 52) as f64;
        exp = -52;
    }
    let bits = x.to_bits();
    exp += ((bits >> 52) & 0x7ff) as i32 - 1022;
    let frac = f64::from_bits((bits & !(0x7ffu64 << 52)) | (1022u64 << 52));
    (frac, exp)
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
            Some((_, ref b)) if n.cmp_num(b) == want => best = Some((i, n)),
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
    use crate::value::Value;

    fn f(x: f64) -> Value {
        Value::float(x)
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
