//! Numbers as cty keeps them: a Go `*big.Float`, a binary floating-point number that
//! carries its own precision (in bits), rounded to nearest even.
//!
//! Where a number comes from decides its precision, as in cty: a literal, `tonumber`,
//! `jsondecode` and `yamldecode` parse at 512 bits (`cty.ParseNumberVal`); a count that a
//! function returns (`length`, `index`, `signum`) is a Go `int64` (64 bits); `pow` and `log`
//! compute in `float64` (53 bits). Arithmetic works at the larger precision of its operands
//! (a product at 512 bits first, then at least what it needs, as cty's `Multiply` does), so
//! `0.1 + 0.2` is `0.3`, `1/3` has 155 digits, and integers of any size stay exact while
//! they fit their precision. A number prints (`tostring`, templates, `jsonencode`) with
//! the fewest decimal digits that read back to it at its precision (`Text('f', -1)`).
//!
//! Most numbers in Terragrunt trees are small integers: they are kept as an `i64` with
//! their precision ([`Repr::Small`]); every other value is a [`Big`] behind an `Arc`.

use num_bigint::BigUint;
use num_traits::{ToPrimitive, Zero};
use std::cmp::Ordering;
use std::fmt;
use std::sync::Arc;

/// `cty.ParseNumberVal`'s precision: literals and parsed strings.
pub const PARSE_PREC: u32 = 512;
/// `cty.NumberIntVal`'s precision (`big.Float.SetInt64`).
pub const INT_PREC: u32 = 64;
/// `cty.NumberFloatVal`'s precision (`big.Float.SetFloat64`).
pub const FLOAT_PREC: u32 = 53;
/// big.Float's exponent range (`x = 0.mant × 2^exp`, `exp` an `int32`).
const MAX_EXP: i64 = i32::MAX as i64;
const MIN_EXP: i64 = i32::MIN as i64;
/// Beyond this binary exponent an exact decimal expansion costs more than it is worth
/// (10^±39,000); such numbers print from a scaled approximation (docs/fidelity.md).
const EXACT_PRINT_EXP: i64 = 1 << 17;

/// The operation has no value: where `big.Float` panics with `ErrNaN` (`Inf - Inf`,
/// `0 × Inf`, `0/0`, `Inf/Inf`) and cty turns the panic into an error.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct NotANumber;

#[derive(Clone, Debug)]
enum Form {
    Zero,
    Inf,
    /// `mant × 2^exp`, `mant` odd.
    Finite {
        mant: BigUint,
        exp: i64,
    },
}

/// A `big.Float`: precision, sign, and zero, infinity or a finite value.
#[derive(Clone, Debug)]
struct Big {
    prec: u32,
    neg: bool,
    form: Form,
}

impl Big {
    fn zero(prec: u32, neg: bool) -> Big {
        Big {
            prec,
            neg,
            form: Form::Zero,
        }
    }

    fn inf(prec: u32, neg: bool) -> Big {
        Big {
            prec,
            neg,
            form: Form::Inf,
        }
    }

    /// Go's exponent: `|x|` is in `[2^(e-1), 2^e)`.
    fn gexp(mant: &BigUint, exp: i64) -> i64 {
        exp + bits(mant)
    }

    /// `big.Float.MinPrec`: the bits the mantissa needs (0 for zero and infinity).
    fn min_prec(&self) -> u32 {
        match &self.form {
            Form::Finite { mant, .. } => u32::try_from(mant.bits()).unwrap_or(u32::MAX),
            _ => 0,
        }
    }

    fn with_prec(mut self, prec: u32) -> Big {
        self.prec = prec;
        self
    }

    /// `big.Float.Cmp`.
    fn cmp(&self, o: &Big) -> Ordering {
        let (a, b) = (self.ord(), o.ord());
        if a != b {
            return a.cmp(&b);
        }
        match a {
            -1 => ucmp(o, self),
            1 => ucmp(self, o),
            _ => Ordering::Equal,
        }
    }

    /// -2 for -Inf, -1 for negative, 0 for zero, 1 for positive, 2 for +Inf.
    fn ord(&self) -> i8 {
        let m = match self.form {
            Form::Zero => return 0,
            Form::Finite { .. } => 1,
            Form::Inf => 2,
        };
        if self.neg { -m } else { m }
    }

    /// The integer part (truncated toward zero), its sign, and whether it is exact.
    fn trunc(&self) -> Option<(bool, BigUint, bool)> {
        match &self.form {
            Form::Zero => Some((self.neg, BigUint::zero(), true)),
            Form::Inf => None,
            Form::Finite { mant, exp } => {
                if *exp >= 0 {
                    Some((self.neg, shl(mant, *exp), true))
                } else {
                    let s = exp.unsigned_abs();
                    Some((self.neg, mant >> s, false))
                }
            }
        }
    }

    /// `big.Float.Float64`: nearest, ties to even, with subnormals and overflow to ±Inf.
    fn to_f64(&self) -> f64 {
        let sign = if self.neg { -1.0 } else { 1.0 };
        let (mant, exp) = match &self.form {
            Form::Zero => return 0.0 * sign,
            Form::Inf => return f64::INFINITY * sign,
            Form::Finite { mant, exp } => (mant, *exp),
        };
        let g = Big::gexp(mant, exp);
        if g > 1024 {
            return f64::INFINITY * sign;
        }
        if g < -1074 {
            // Below half the smallest subnormal (2^-1075) it rounds to zero; exactly
            // 2^-1075 is a tie that rounds to the even zero too.
            return 0.0 * sign;
        }
        // Round to a multiple of 2^q: 53 significant bits, or the subnormal spacing.
        let q = (g - 53).max(-1074);
        let m = if exp >= q {
            shl(mant, exp - q)
        } else {
            let s = (q - exp).unsigned_abs();
            let half = mant.bit(s - 1);
            let below = mant.trailing_zeros().is_some_and(|tz| tz < s - 1);
            let mut m = mant >> s;
            if half && (below || m.bit(0)) {
                m += 1u32;
            }
            m
        };
        let m = m.to_u64().unwrap_or(u64::MAX);
        let v = if q == -1074 {
            // m ≤ 2^52: the bits of a subnormal (or of the smallest normal).
            f64::from_bits(m)
        } else {
            // Exact: m < 2^54 and the product is a normal number (or overflows).
            let f = m as f64;
            let mut e = q;
            let mut v = f;
            while e > 0 {
                let step = e.min(1000);
                v *= f64::from_bits(((step + 1023) as u64) << 52);
                e -= step;
            }
            while e < 0 {
                let step = e.max(-1000);
                v *= f64::from_bits(((step + 1023) as u64) << 52);
                e -= step;
            }
            v
        };
        v * sign
    }
}

/// Compares magnitudes of two finite non-zero values.
fn ucmp(x: &Big, y: &Big) -> Ordering {
    let (Form::Finite { mant: mx, exp: ex }, Form::Finite { mant: my, exp: ey }) =
        (&x.form, &y.form)
    else {
        return Ordering::Equal;
    };
    let (gx, gy) = (Big::gexp(mx, *ex), Big::gexp(my, *ey));
    if gx != gy {
        return gx.cmp(&gy);
    }
    let e = (*ex).min(*ey);
    shl(mx, ex - e).cmp(&shl(my, ey - e))
}

fn bits(m: &BigUint) -> i64 {
    i64::try_from(m.bits()).unwrap_or(i64::MAX)
}

fn shl(m: &BigUint, s: i64) -> BigUint {
    m << s.unsigned_abs()
}

/// Rounds `mant × 2^exp` (plus, when `sticky`, something non-zero below its last bit) to
/// `prec` bits, to nearest even, and normalises it. With `sticky`, `mant` must have at
/// least `prec + 2` bits.
fn round(neg: bool, mant: BigUint, exp: i64, sticky: bool, prec: u32) -> Big {
    if mant.is_zero() {
        return Big::zero(prec, neg);
    }
    let p = u64::from(prec.max(1));
    let mut m = mant;
    let mut e = exp;
    let n = m.bits();
    if n > p {
        let shift = n - p;
        let half = m.bit(shift - 1);
        let below = sticky || m.trailing_zeros().is_some_and(|tz| tz < shift - 1);
        m >>= shift;
        e += i64::try_from(shift).unwrap_or(i64::MAX);
        if half && (below || m.bit(0)) {
            m += 1u32;
            if m.bits() > p {
                m >>= 1u32;
                e += 1;
            }
        }
    }
    if let Some(tz) = m.trailing_zeros().filter(|&tz| tz > 0) {
        m >>= tz;
        e += i64::try_from(tz).unwrap_or(0);
    }
    let g = Big::gexp(&m, e);
    if g > MAX_EXP {
        return Big::inf(prec, neg);
    }
    if g < MIN_EXP {
        return Big::zero(prec, neg);
    }
    Big {
        prec,
        neg,
        form: Form::Finite { mant: m, exp: e },
    }
}

/// `z.Add(x, y)` (or `z.Sub` with `sub`) for a `z` of precision `prec`.
fn add(x: &Big, y: &Big, sub: bool, prec: u32) -> Result<Big, NotANumber> {
    let yneg = y.neg ^ sub;
    Ok(match (&x.form, &y.form) {
        (Form::Inf, Form::Inf) if x.neg != yneg => return Err(NotANumber),
        (Form::Inf, _) => Big::inf(prec, x.neg),
        (_, Form::Inf) => Big::inf(prec, yneg),
        (Form::Zero, Form::Zero) => Big::zero(prec, x.neg && yneg),
        (Form::Zero, Form::Finite { mant, exp }) => round(yneg, mant.clone(), *exp, false, prec),
        (Form::Finite { mant, exp }, Form::Zero) => round(x.neg, mant.clone(), *exp, false, prec),
        (Form::Finite { mant: mx, exp: ex }, Form::Finite { mant: my, exp: ey }) => {
            let (gx, gy) = (Big::gexp(mx, *ex), Big::gexp(my, *ey));
            let p = i64::from(prec);
            // An operand far below the other one's last bit only decides the rounding:
            // it stands in as one unit less (or a sticky bit) below `p + 3` bits.
            if (gx - gy).abs() > p + 3 {
                let (bneg, bm, be, bg, sneg) = if gx > gy {
                    (x.neg, mx, *ex, gx, yneg)
                } else {
                    (yneg, my, *ey, gy, x.neg)
                };
                let u = bg - (p + 3);
                if be >= u {
                    let mut m = shl(bm, be - u);
                    if bneg != sneg {
                        m -= 1u32;
                    }
                    return Ok(round(bneg, m, u, true, prec));
                }
            }
            let e = (*ex).min(*ey);
            let (a, b) = (shl(mx, ex - e), shl(my, ey - e));
            if x.neg == yneg {
                round(x.neg, a + b, e, false, prec)
            } else {
                match a.cmp(&b) {
                    Ordering::Equal => Big::zero(prec, false),
                    Ordering::Greater => round(x.neg, a - b, e, false, prec),
                    Ordering::Less => round(yneg, b - a, e, false, prec),
                }
            }
        }
    })
}

/// `z.Mul(x, y)` for a `z` of precision `prec`.
fn mul(x: &Big, y: &Big, prec: u32) -> Result<Big, NotANumber> {
    let neg = x.neg ^ y.neg;
    Ok(match (&x.form, &y.form) {
        (Form::Zero, Form::Inf) | (Form::Inf, Form::Zero) => return Err(NotANumber),
        (Form::Inf, _) | (_, Form::Inf) => Big::inf(prec, neg),
        (Form::Zero, _) | (_, Form::Zero) => Big::zero(prec, neg),
        (Form::Finite { mant: mx, exp: ex }, Form::Finite { mant: my, exp: ey }) => {
            round(neg, mx * my, ex + ey, false, prec)
        }
    })
}

/// `z.Quo(x, y)` for a `z` of precision `prec`: correctly rounded.
fn quo(x: &Big, y: &Big, prec: u32) -> Result<Big, NotANumber> {
    let neg = x.neg ^ y.neg;
    Ok(match (&x.form, &y.form) {
        (Form::Zero, Form::Zero) | (Form::Inf, Form::Inf) => return Err(NotANumber),
        (Form::Zero, _) | (_, Form::Inf) => Big::zero(prec, neg),
        (Form::Inf, _) | (_, Form::Zero) => Big::inf(prec, neg),
        (Form::Finite { mant: mx, exp: ex }, Form::Finite { mant: my, exp: ey }) => {
            // Enough quotient bits for the rounding bit and a sticky bit.
            let s = (i64::from(prec) + 2 + bits(my) - bits(mx)).max(0);
            let a = shl(mx, s);
            let (q, r) = num_integer::Integer::div_rem(&a, my);
            round(neg, q, ex - ey - s, !r.is_zero(), prec)
        }
    })
}

/// `new(Float).SetPrec(prec).SetUint64(5).pow…`: Go's `pow5`, as `big.ParseFloat` uses it.
fn pow5(n: u64, prec: u32) -> Big {
    const TAB: u64 = 27; // 5^27 is the largest power of 5 in a u64
    let small = |k: u64| round(false, BigUint::from(5u64.pow(k as u32)), 0, false, prec);
    if n <= TAB {
        return small(n);
    }
    let mut z = small(TAB);
    let mut n = n - TAB;
    let fprec = prec + 64;
    let mut f = round(false, BigUint::from(5u32), 0, false, fprec);
    while n > 0 {
        if n & 1 != 0 {
            z = mul(&z, &f, prec).unwrap_or_else(|_| Big::inf(prec, false));
        }
        f = mul(&f, &f, fprec).unwrap_or_else(|_| Big::inf(fprec, false));
        n >>= 1;
    }
    z
}

/// `big.ParseFloat(s, 10, prec, ToNearestEven)`: an optional sign, then `inf`/`Inf`, or
/// digits with an optional `.` (`5.`, `.5`) and an optional exponent (`e`/`E` decimal,
/// `p`/`P` binary). `None` where Go reports an error (including an exponent beyond
/// big.Float's range).
fn parse_big(s: &str, prec: u32) -> Option<Big> {
    let (neg, body) = match s.as_bytes().first() {
        Some(b'-') => (true, &s[1..]),
        Some(b'+') => (false, &s[1..]),
        _ => (false, s),
    };
    if body == "inf" || body == "Inf" {
        return Some(Big::inf(prec, neg));
    }
    let b = body.as_bytes();
    let mut i = 0;
    let mut digits: Vec<u8> = Vec::new();
    let mut frac: i64 = 0;
    let mut seen_point = false;
    let mut any = false;
    while i < b.len() {
        match b[i] {
            c @ b'0'..=b'9' => {
                any = true;
                if !(digits.is_empty() && c == b'0') {
                    digits.push(c);
                }
                if seen_point {
                    frac += 1;
                }
            }
            b'.' if !seen_point => seen_point = true,
            _ => break,
        }
        i += 1;
    }
    if !any {
        return None;
    }
    let (mut exp5, mut exp2) = (0i64, 0i64);
    if i < b.len() {
        let binary = match b[i] {
            b'e' | b'E' => false,
            b'p' | b'P' => true,
            _ => return None,
        };
        i += 1;
        let eneg = match b.get(i) {
            Some(b'-') => {
                i += 1;
                true
            }
            Some(b'+') => {
                i += 1;
                false
            }
            _ => false,
        };
        if i >= b.len() || !b[i..].iter().all(u8::is_ascii_digit) {
            return None;
        }
        // Go reads the exponent as an int64; beyond it is an error.
        let e: i64 = body[i..].parse().ok()?;
        let e = if eneg { -e } else { e };
        if binary {
            exp2 = e;
        } else {
            exp5 = e;
            exp2 = e;
        }
    }
    exp5 = exp5.checked_sub(frac)?;
    exp2 = exp2.checked_sub(frac)?;
    // Go reads every digit into the mantissa before it rounds; beyond MAX_DIGITS that is
    // quadratic here, so the digits past the first KEEP_DIGITS stand in as one digit that
    // is non-zero exactly when any of them is (they can only decide a tie).
    const MAX_DIGITS: usize = 2000;
    const KEEP_DIGITS: usize = 400;
    if digits.len() > MAX_DIGITS {
        let mut dropped = i64::try_from(digits.len() - KEEP_DIGITS).ok()?;
        let nonzero = digits[KEEP_DIGITS..].iter().any(|&d| d != b'0');
        digits.truncate(KEEP_DIGITS);
        if nonzero {
            digits.push(b'1');
            dropped -= 1;
        }
        exp5 = exp5.checked_add(dropped)?;
        exp2 = exp2.checked_add(dropped)?;
    }
    if digits.is_empty() {
        return Some(Big::zero(prec, neg));
    }
    let mant = BigUint::parse_bytes(&digits, 10)?;
    let g = Big::gexp(&mant, 0).checked_add(exp2)?;
    if !(MIN_EXP..=MAX_EXP).contains(&g) {
        return None;
    }
    let z = Big {
        prec,
        neg,
        form: Form::Finite { mant, exp: exp2 },
    };
    if exp5 == 0 {
        let Form::Finite { mant, exp } = z.form else {
            return None;
        };
        return Some(round(neg, mant, exp, false, prec));
    }
    let p = pow5(exp5.unsigned_abs(), prec + 64);
    let r = if exp5 < 0 {
        quo(&z, &p, prec)
    } else {
        mul(&z, &p, prec)
    };
    r.ok()
}

/// A decimal `0.mant × 10^exp` as Go's math/big keeps it: ASCII digits without trailing
/// zeros; zero is an empty `mant` with `exp` 0.
#[derive(Clone, Debug, PartialEq, Eq)]
struct Decimal {
    mant: Vec<u8>,
    exp: i64,
}

impl Decimal {
    /// The exact decimal expansion of `m × 2^shift`.
    fn exact(m: &BigUint, shift: i64) -> Decimal {
        if m.is_zero() {
            return Decimal {
                mant: Vec::new(),
                exp: 0,
            };
        }
        let (v, pow10) = if shift >= 0 {
            (shl(m, shift), 0)
        } else {
            // m / 2^k = m × 5^k / 10^k
            let k = shift.unsigned_abs();
            let five = BigUint::from(5u32).pow(u32::try_from(k).unwrap_or(u32::MAX));
            (m * five, -shift)
        };
        let digits = v.to_str_radix(10).into_bytes();
        let mut d = Decimal {
            exp: i64::try_from(digits.len()).unwrap_or(0) - pow10,
            mant: digits,
        };
        d.trim();
        d
    }

    fn len(&self) -> i64 {
        i64::try_from(self.mant.len()).unwrap_or(i64::MAX)
    }

    fn at(&self, i: i64) -> u8 {
        usize::try_from(i)
            .ok()
            .and_then(|i| self.mant.get(i).copied())
            .unwrap_or(b'0')
    }

    fn trim(&mut self) {
        while self.mant.last() == Some(&b'0') {
            self.mant.pop();
        }
        if self.mant.is_empty() {
            self.exp = 0;
        }
    }

    /// Rounds to `n` digits, half to even on an exact tie (`decimal.round`).
    fn round(&mut self, n: i64) {
        let Ok(n) = usize::try_from(n) else { return };
        if n >= self.mant.len() {
            return;
        }
        let d = self.mant[n];
        let up = if d == b'5' && n + 1 == self.mant.len() {
            n > 0 && (self.mant[n - 1] - b'0') & 1 == 1
        } else {
            d >= b'5'
        };
        if up {
            self.round_up(n);
        } else {
            self.round_down(n);
        }
    }

    fn round_up(&mut self, n: usize) {
        if n >= self.mant.len() {
            return;
        }
        let mut k = n;
        while k > 0 && self.mant[k - 1] >= b'9' {
            k -= 1;
        }
        if k == 0 {
            self.mant.clear();
            self.mant.push(b'1');
            self.exp += 1;
        } else {
            self.mant.truncate(k);
            self.mant[k - 1] += 1;
        }
    }

    fn round_down(&mut self, n: usize) {
        if n >= self.mant.len() {
            return;
        }
        self.mant.truncate(n);
        self.trim();
    }
}

/// A mantissa of `prec + 1` bits for `mant × 2^exp`: its last bit is half a unit in the
/// last place, so `m ± 1` are the bounds of the numbers that round to it.
fn half_ulp_mantissa(mant: &BigUint, exp: i64, prec: u32) -> (BigUint, i64) {
    let s = bits(mant) - (i64::from(prec) + 1);
    if s < 0 {
        (shl(mant, -s), exp + s)
    } else {
        (mant >> s.unsigned_abs(), exp + s)
    }
}

/// Go's `roundShortest`: the fewest digits that read back to `mant × 2^exp` at `prec`
/// bits (every number within half a unit of the last place does; the bounds themselves
/// only when the mantissa is even).
fn round_shortest(d: &mut Decimal, mant: &BigUint, exp: i64, prec: u32) {
    if d.mant.is_empty() {
        return;
    }
    let (m, e) = half_ulp_mantissa(mant, exp, prec);
    let lower = Decimal::exact(&(&m - 1u32), e);
    let upper = Decimal::exact(&(&m + 1u32), e);
    shortest_between(d, &lower, &upper, !m.bit(1));
}

fn shortest_between(d: &mut Decimal, lower: &Decimal, upper: &Decimal, inclusive: bool) {
    for i in 0..d.mant.len() {
        let ii = i64::try_from(i).unwrap_or(i64::MAX);
        let (l, mm, u) = (lower.at(ii), d.mant[i], upper.at(ii));
        let okdown = l != mm || inclusive && i + 1 == lower.mant.len();
        let okup = mm != u && (inclusive || mm + 1 < u || i + 1 < upper.mant.len());
        match (okdown, okup) {
            (true, true) => return d.round(ii + 1),
            (true, false) => return d.round_down(i + 1),
            (false, true) => return d.round_up(i + 1),
            (false, false) => {}
        }
    }
}

/// A number as cty keeps it ([module docs](self)).
#[derive(Clone)]
pub struct Number(Repr);

#[derive(Clone)]
enum Repr {
    /// A whole number in `i64` range (never -0), with its precision.
    Small { prec: u32, v: i64 },
    /// Everything else.
    Big(Arc<Big>),
}

// The arithmetic methods are named like `std::ops`' on purpose: they are cty's
// operations (with its precision rules and NaN errors), called explicitly.
#[allow(clippy::should_implement_trait)]
impl Number {
    /// `cty.NumberIntVal`: what a function's count or index is.
    pub fn int(v: i64) -> Number {
        Number(Repr::Small { prec: INT_PREC, v })
    }

    /// `cty.NumberFloatVal` (53 bits); NaN, which cty cannot hold, is `None`.
    pub fn from_f64(f: f64) -> Option<Number> {
        if f.is_nan() {
            return None;
        }
        let neg = f.is_sign_negative();
        if f.is_infinite() {
            return Some(Number::big(Big::inf(FLOAT_PREC, neg)));
        }
        if f == 0.0 {
            return Some(Number::big(Big::zero(FLOAT_PREC, neg)));
        }
        let bits = f.abs().to_bits();
        let e = ((bits >> 52) & 0x7ff) as i64;
        let frac = bits & ((1u64 << 52) - 1);
        let (m, exp) = if e == 0 {
            (frac, -1074)
        } else {
            (frac | (1u64 << 52), e - 1075)
        };
        Some(Number::big(round(
            neg,
            BigUint::from(m),
            exp,
            false,
            FLOAT_PREC,
        )))
    }

    /// `new(big.Float).SetInt(i)`: an integer of any size, at `max(64, its bits)`.
    pub fn from_integer(neg: bool, mag: BigUint) -> Number {
        let prec = u32::try_from(mag.bits()).unwrap_or(u32::MAX).max(INT_PREC);
        Number::big(round(neg && !mag.is_zero(), mag, 0, false, prec))
    }

    /// `cty.ParseNumberVal`: a decimal number at 512 bits, as `tonumber`, a literal,
    /// `jsondecode` and `yamldecode` read one; `inf`/`Inf` with an optional sign is
    /// infinity, `p` a binary exponent. `None` where cty reports "a number is required".
    pub fn parse(s: &str) -> Option<Number> {
        // Most numbers in a tree are small integers: those need no big arithmetic. (`-0`
        // is -0, a Big; an explicit `+` is left to the general path.)
        let b = s.as_bytes();
        let digits = b.strip_prefix(b"-").unwrap_or(b);
        if !digits.is_empty()
            && digits.len() <= 18
            && digits.iter().all(u8::is_ascii_digit)
            && let Ok(v) = s.parse::<i64>()
            && !(v == 0 && b[0] == b'-')
        {
            return Some(Number(Repr::Small {
                prec: PARSE_PREC,
                v,
            }));
        }
        parse_big(s, PARSE_PREC).map(Number::big)
    }

    /// The value of an HCL number literal's text. Beyond big.Float's exponent range (a
    /// ten-digit exponent), hcl reports an invalid literal; here it is infinity or zero.
    pub fn literal(text: &str) -> Number {
        if let Some(n) = Number::parse(text) {
            return n;
        }
        let neg = text.trim_start().starts_with('-');
        let tiny = text.contains("e-") || text.contains("E-");
        Number::big(if tiny {
            Big::zero(PARSE_PREC, neg)
        } else {
            Big::inf(PARSE_PREC, neg)
        })
    }

    pub fn infinity(neg: bool) -> Number {
        Number::big(Big::inf(PARSE_PREC, neg))
    }

    fn big(b: Big) -> Number {
        if let Form::Finite { mant, exp } = &b.form
            && *exp >= 0
            && bits(mant) + exp <= 64
            && let Some(m) = shl(mant, *exp).to_u64()
        {
            let v = if b.neg {
                0i64.checked_sub_unsigned(m)
            } else {
                i64::try_from(m).ok()
            };
            if let Some(v) = v {
                return Number(Repr::Small { prec: b.prec, v });
            }
        }
        if matches!(b.form, Form::Zero) && !b.neg {
            return Number(Repr::Small { prec: b.prec, v: 0 });
        }
        Number(Repr::Big(Arc::new(b)))
    }

    fn to_big(&self) -> Big {
        match &self.0 {
            Repr::Big(b) => (**b).clone(),
            Repr::Small { prec, v } => {
                if *v == 0 {
                    return Big::zero(*prec, false);
                }
                let mag = v.unsigned_abs();
                let tz = mag.trailing_zeros();
                Big {
                    prec: *prec,
                    neg: *v < 0,
                    form: Form::Finite {
                        mant: BigUint::from(mag >> tz),
                        exp: i64::from(tz),
                    },
                }
            }
        }
    }

    /// The number's precision in bits.
    pub fn prec(&self) -> u32 {
        match &self.0 {
            Repr::Small { prec, .. } => *prec,
            Repr::Big(b) => b.prec,
        }
    }

    /// The nearest `f64` (`big.Float.Float64`), as cty converts for `pow`, `log` and
    /// Go `float64` arguments.
    pub fn as_f64(&self) -> f64 {
        match &self.0 {
            Repr::Small { v, .. } => *v as f64,
            Repr::Big(b) => b.to_f64(),
        }
    }

    /// The exact integer value, if the number is whole and fits an `i64`.
    pub fn as_i64(&self) -> Option<i64> {
        match &self.0 {
            Repr::Small { v, .. } => Some(*v),
            // -0 is the only whole Big in range.
            Repr::Big(b) => matches!(b.form, Form::Zero).then_some(0),
        }
    }

    /// The exact integer value, if whole and within `i128`.
    pub fn as_i128(&self) -> Option<i128> {
        match &self.0 {
            Repr::Small { v, .. } => Some(i128::from(*v)),
            Repr::Big(b) => {
                let (neg, mag, exact) = b.trunc()?;
                if !exact {
                    return None;
                }
                let m = i128::try_from(mag.to_u128()?).ok()?;
                Some(if neg { -m } else { m })
            }
        }
    }

    /// The sign and magnitude of a whole number (`None` for fractions and infinities).
    pub fn whole(&self) -> Option<(bool, BigUint)> {
        match &self.0 {
            Repr::Small { v, .. } => Some((*v < 0, BigUint::from(v.unsigned_abs()))),
            Repr::Big(b) => {
                let (neg, mag, exact) = b.trunc()?;
                exact.then_some((neg && !mag.is_zero(), mag))
            }
        }
    }

    pub fn is_whole(&self) -> bool {
        match &self.0 {
            Repr::Small { .. } => true,
            Repr::Big(b) => b.trunc().is_some_and(|(_, _, exact)| exact),
        }
    }

    pub fn is_infinite(&self) -> bool {
        matches!(&self.0, Repr::Big(b) if matches!(b.form, Form::Inf))
    }

    /// Zero, of either sign.
    pub fn is_zero(&self) -> bool {
        match &self.0 {
            Repr::Small { v, .. } => *v == 0,
            Repr::Big(b) => matches!(b.form, Form::Zero),
        }
    }

    /// The sign bit (so `-0` is negative, as `big.Float.Signbit`).
    pub fn is_sign_negative(&self) -> bool {
        match &self.0 {
            Repr::Small { v, .. } => *v < 0,
            Repr::Big(b) => b.neg,
        }
    }

    /// -1, 0 or 1 (`big.Float.Sign`; -0 is 0).
    pub fn signum(&self) -> i32 {
        match &self.0 {
            Repr::Small { v, .. } => v.signum() as i32,
            Repr::Big(b) => i32::from(b.ord().signum()),
        }
    }

    fn prec2(&self, o: &Number) -> u32 {
        self.prec().max(o.prec())
    }

    /// cty's `Add`: at the larger precision.
    pub fn add(&self, o: &Number) -> Result<Number, NotANumber> {
        let prec = self.prec2(o);
        if let (Repr::Small { v: a, .. }, Repr::Small { v: b, .. }) = (&self.0, &o.0)
            && let Some(r) = small_exact(i128::from(*a) + i128::from(*b), prec)
        {
            return Ok(r);
        }
        add(&self.to_big(), &o.to_big(), false, prec).map(Number::big)
    }

    /// cty's `Subtract`: at the larger precision.
    pub fn sub(&self, o: &Number) -> Result<Number, NotANumber> {
        let prec = self.prec2(o);
        if let (Repr::Small { v: a, .. }, Repr::Small { v: b, .. }) = (&self.0, &o.0)
            && let Some(r) = small_exact(i128::from(*a) - i128::from(*b), prec)
        {
            return Ok(r);
        }
        add(&self.to_big(), &o.to_big(), true, prec).map(Number::big)
    }

    /// cty's `Multiply`: the product at 512 bits, then at the larger of the operands'
    /// precision and what the product needs.
    pub fn mul(&self, o: &Number) -> Result<Number, NotANumber> {
        let prec = self.prec2(o);
        if let (Repr::Small { v: a, .. }, Repr::Small { v: b, .. }) = (&self.0, &o.0) {
            let p = i128::from(*a) * i128::from(*b);
            // A zero times a negative number is -0, as in big.Float.
            if p != 0
                && let Some(r) = small_exact(p, prec)
            {
                return Ok(r);
            }
        }
        let r = mul(&self.to_big(), &o.to_big(), PARSE_PREC)?;
        let prec = prec.max(r.min_prec());
        Ok(Number::big(r.with_prec(prec)))
    }

    /// cty's `Divide`: at the larger precision; `x/0` is `±Inf`.
    pub fn div(&self, o: &Number) -> Result<Number, NotANumber> {
        let prec = self.prec2(o);
        if let (Repr::Small { v: a, .. }, Repr::Small { v: b, .. }) = (&self.0, &o.0)
            && *b != 0
            && *a != 0
            && a.checked_rem(*b) == Some(0)
            && let Some(q) = a.checked_div(*b)
        {
            return Ok(Number(Repr::Small { prec, v: q }));
        }
        quo(&self.to_big(), &o.to_big(), prec).map(Number::big)
    }

    /// cty's `Modulo`: an infinite operand makes it a product (so `2 % (1/0)` is
    /// infinite and `0 % (1/0)` an error), `x % 0` is `x`; otherwise
    /// `x - y × trunc(x / y)` at `x`'s precision.
    pub fn rem(&self, o: &Number) -> Result<Number, NotANumber> {
        if self.is_infinite() || o.is_infinite() {
            return self.mul(o);
        }
        if o.is_zero() {
            return Ok(self.clone());
        }
        if let (Repr::Small { prec, v: a }, Repr::Small { v: b, .. }) = (&self.0, &o.0) {
            // Exact at 64 bits and more; a zero remainder is +0, as `x - x` is.
            let r = a.checked_rem(*b).unwrap_or(0);
            return Ok(Number(Repr::Small { prec: *prec, v: r }));
        }
        let x = self.to_big();
        let prec = x.prec;
        let rat = quo(&x, &o.to_big(), self.prec2(o))?;
        let Some((neg, q, _)) = rat.trunc() else {
            return Err(NotANumber);
        };
        let work = round(neg && !q.is_zero(), q, 0, false, prec);
        let work = mul(&o.to_big(), &work, prec)?;
        add(&x, &work, true, prec).map(Number::big)
    }

    /// cty's `Negate` (so `-0` is -0).
    pub fn neg(&self) -> Number {
        match &self.0 {
            Repr::Small { prec, v } if *v != 0 && *v != i64::MIN => {
                Number(Repr::Small { prec: *prec, v: -v })
            }
            _ => {
                let mut b = self.to_big();
                b.neg = !b.neg;
                Number::big(b)
            }
        }
    }

    /// `big.Float.Abs` (`|-0|` is 0).
    pub fn abs(&self) -> Number {
        if self.is_sign_negative() {
            self.neg()
        } else {
            self.clone()
        }
    }

    /// `floor` (`ceil` with `up`) as cty computes them: through `big.Int`, then back at the
    /// number's precision; infinities stay.
    pub fn floor_ceil(&self, up: bool) -> Number {
        if let Repr::Small { .. } = self.0 {
            return self.clone();
        }
        let b = self.to_big();
        let Some((neg, mut mag, exact)) = b.trunc() else {
            return self.clone();
        };
        // Truncation moved toward zero: a negative fraction floors one further down, a
        // positive one ceils one further up.
        if !exact && (neg != up) {
            mag += 1u32;
        }
        Number::big(round(neg && !mag.is_zero(), mag, 0, false, b.prec))
    }

    /// `big.Float.Cmp`: `-0` equals `0`.
    pub fn cmp_num(&self, o: &Number) -> Ordering {
        match (&self.0, &o.0) {
            (Repr::Small { v: a, .. }, Repr::Small { v: b, .. }) => a.cmp(b),
            _ => self.to_big().cmp(&o.to_big()),
        }
    }

    /// Go's `(*big.Float).Text(fmt, prec)` for `e`, `E`, `f`, `g`, `G`; a negative
    /// precision asks for the shortest digits that identify the number at its precision.
    pub fn text(&self, fmt: u8, prec: i64) -> String {
        let mut buf = String::new();
        let b = match &self.0 {
            // Whole numbers below 2^prec: the digits are the shortest form.
            Repr::Small { prec: p, v } if prec < 0 && fmt == b'f' && small_is_exact(*v, *p) => {
                return v.to_string();
            }
            _ => self.to_big(),
        };
        if b.neg {
            buf.push('-');
        }
        let (mant, exp) = match &b.form {
            Form::Inf => {
                if !b.neg {
                    buf.push('+');
                }
                buf.push_str("Inf");
                return buf;
            }
            Form::Zero => (BigUint::zero(), 0),
            Form::Finite { mant, exp } => (mant.clone(), *exp),
        };
        let shortest = prec < 0;
        let mut d = if Big::gexp(&mant, exp).abs() > EXACT_PRINT_EXP {
            approx_decimal(&b, shortest)
        } else {
            let mut d = Decimal::exact(&mant, exp);
            if shortest {
                round_shortest(&mut d, &mant, exp, b.prec);
            }
            d
        };
        let mut prec = prec;
        if shortest {
            prec = match fmt {
                b'e' | b'E' => d.len() - 1,
                b'f' => (d.len() - d.exp).max(0),
                _ => d.len(),
            };
        } else {
            match fmt {
                b'e' | b'E' => d.round(prec.saturating_add(1)),
                b'f' => d.round(d.exp.saturating_add(prec)),
                _ => {
                    if prec == 0 {
                        prec = 1;
                    }
                    d.round(prec);
                }
            }
        }
        match fmt {
            b'e' | b'E' => fmt_e(&mut buf, fmt, prec, &d),
            b'f' => fmt_f(&mut buf, prec, &d),
            _ => {
                let mut eprec = prec;
                if eprec > d.len() && d.len() >= d.exp {
                    eprec = d.len();
                }
                if shortest {
                    eprec = 6;
                }
                let x = d.exp - 1;
                if x < -4 || x >= eprec {
                    if prec > d.len() {
                        prec = d.len();
                    }
                    let e = if fmt == b'G' { b'E' } else { b'e' };
                    fmt_e(&mut buf, e, prec - 1, &d);
                } else {
                    if prec > d.exp {
                        prec = d.len();
                    }
                    fmt_f(&mut buf, (prec - d.exp).max(0), &d);
                }
            }
        }
        buf
    }
}

/// A whole `v` at precision `prec` is printed digit for digit when `|v| < 2^prec`.
fn small_is_exact(v: i64, prec: u32) -> bool {
    prec >= 64 || v.unsigned_abs() < (1u64 << prec)
}

/// An exact integer result of small operands, when it needs no rounding at `prec`.
fn small_exact(r: i128, prec: u32) -> Option<Number> {
    let v = i64::try_from(r).ok()?;
    let m = v.unsigned_abs();
    let needed = if m == 0 {
        0
    } else {
        64 - m.leading_zeros() - m.trailing_zeros()
    };
    (needed <= prec).then_some(Number(Repr::Small { prec, v }))
}

/// The decimal digits of a number too large or too small to expand exactly (and, with
/// `shortest`, the fewest that identify it): the number and its rounding bounds scaled by
/// a power of ten into range at 64 bits more than its precision, then expanded. Not
/// bit-exact with Go, which expands such numbers in full, but the scaling error is far
/// below the half unit that decides the digits.
fn approx_decimal(b: &Big, shortest: bool) -> Decimal {
    let empty = Decimal {
        mant: Vec::new(),
        exp: 0,
    };
    let Form::Finite { mant, exp } = &b.form else {
        return empty;
    };
    let work = b.prec + 64;
    let k = ((Big::gexp(mant, *exp) as f64) * std::f64::consts::LOG10_2).floor() as i64;
    let p5 = pow5(k.unsigned_abs(), work);
    // v × 2^e / 10^k, expanded exactly.
    let scaled = |v: BigUint, e: i64| -> Option<Decimal> {
        let x = round(false, v, e, false, work);
        let y = if k >= 0 {
            quo(&x, &p5, work)
        } else {
            mul(&x, &p5, work)
        }
        .ok()?;
        let Form::Finite { mant: m, exp: e } = y.form else {
            return None;
        };
        let mut d = Decimal::exact(&m, e - k);
        d.exp += k;
        Some(d)
    };
    let (m, e) = half_ulp_mantissa(mant, *exp, b.prec);
    let Some(mut d) = scaled(m.clone(), e) else {
        return empty;
    };
    if shortest {
        if let (Some(lower), Some(upper)) = (scaled(&m - 1u32, e), scaled(&m + 1u32, e)) {
            shortest_between(&mut d, &lower, &upper, !m.bit(1));
        }
    } else {
        d.round(i64::from(b.prec) * 30103 / 100_000 + 2);
    }
    d
}

fn fmt_e(buf: &mut String, e: u8, prec: i64, d: &Decimal) {
    use fmt::Write;
    buf.push(char::from(d.mant.first().copied().unwrap_or(b'0')));
    if prec > 0 {
        buf.push('.');
        let mut i = 1i64;
        while i <= prec {
            buf.push(char::from(d.at(i)));
            i += 1;
        }
    }
    buf.push(char::from(e));
    let exp = if d.mant.is_empty() { 0 } else { d.exp - 1 };
    let _ = write!(
        buf,
        "{}{:02}",
        if exp < 0 { '-' } else { '+' },
        exp.unsigned_abs()
    );
}

fn fmt_f(buf: &mut String, prec: i64, d: &Decimal) {
    if d.exp > 0 {
        let mut i = 0;
        while i < d.exp {
            buf.push(char::from(d.at(i)));
            i += 1;
        }
    } else {
        buf.push('0');
    }
    if prec > 0 {
        buf.push('.');
        for i in 0..prec {
            buf.push(char::from(d.at(d.exp + i)));
        }
    }
}

impl From<i64> for Number {
    fn from(v: i64) -> Number {
        Number::int(v)
    }
}

impl PartialEq for Number {
    fn eq(&self, o: &Number) -> bool {
        self.cmp_num(o) == Ordering::Equal
    }
}

impl fmt::Display for Number {
    /// Go's `Text('f', -1)`: `3`, `0.5`, `0.3` for `0.1 + 0.2`; `+Inf`/`-Inf`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.0 {
            Repr::Small { prec, v } if small_is_exact(*v, *prec) => write!(f, "{v}"),
            _ => f.write_str(&self.text(b'f', -1)),
        }
    }
}

impl fmt::Debug for Number {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Number({self}, {} bits)", self.prec())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(s: &str) -> Number {
        Number::parse(s).unwrap_or_else(|| panic!("{s} did not parse"))
    }

    #[test]
    fn decimal_literals_are_exact_at_512_bits() {
        assert_eq!(p("0.1").add(&p("0.2")).unwrap().to_string(), "0.3");
        assert_eq!(p("0.1").mul(&p("3")).unwrap().to_string(), "0.3");
        let third = p("1").div(&p("3")).unwrap().to_string();
        assert_eq!(third.len(), 157, "{third}");
        assert!(
            third.starts_with("0.3333") && third.ends_with("335"),
            "{third}"
        );
        assert_eq!(p("1e400").div(&p("1e399")).unwrap().to_string(), "10");
        assert!(p("1e-400").cmp_num(&Number::int(0)).is_gt());
        assert_eq!(p("1e-400").mul(&p("1e400")).unwrap().to_string(), "1");
        assert_eq!(
            p("123456789012345678901234567890").to_string(),
            "123456789012345678901234567890"
        );
        assert_eq!(
            p("18446744073709551616").mul(&p("3")).unwrap().to_string(),
            "55340232221128654848"
        );
        assert_eq!(
            p("100000000000000000000.5").to_string(),
            "100000000000000000000.5"
        );
    }

    #[test]
    fn precision_follows_the_operands() {
        // length("ff") / 3: a 64-bit count by a 512-bit literal is at 512 bits.
        let q = Number::int(2).div(&p("3")).unwrap().to_string();
        assert_eq!(q, format!("0.{}7", "6".repeat(153)));
        // pow results are float64s: their sum stays at 53 bits.
        let a = Number::from_f64(2f64.sqrt()).unwrap();
        let b = Number::from_f64(3f64.sqrt()).unwrap();
        assert_eq!(a.add(&b).unwrap().to_string(), "3.1462643699419726");
        // and their product needs 106.
        assert_eq!(
            a.mul(&b).unwrap().to_string(),
            "2.4494897427831781237221939200634"
        );
        // 2^60 as a float64 prints its shortest digits at 53 bits.
        let big = Number::from_f64(2f64.powi(60)).unwrap();
        assert_eq!(big.to_string(), "1152921504606847000");
        assert_eq!(big.add(&p("1")).unwrap().to_string(), "1152921504606846977");
    }

    #[test]
    fn signed_zero_infinity_and_nan() {
        assert_eq!(p("-0").to_string(), "-0");
        assert_eq!(
            Number::int(0).mul(&Number::int(-1)).unwrap().to_string(),
            "-0"
        );
        assert_eq!(Number::int(0).neg().to_string(), "-0");
        assert_eq!(p("-0").abs().to_string(), "0");
        assert_eq!(p("1").div(&p("0")).unwrap().to_string(), "+Inf");
        assert_eq!(p("-1").div(&p("0")).unwrap().to_string(), "-Inf");
        assert_eq!(p("0").div(&p("0")), Err(NotANumber));
        let inf = Number::infinity(false);
        assert_eq!(inf.sub(&inf), Err(NotANumber));
        assert_eq!(inf.mul(&Number::int(0)), Err(NotANumber));
        assert_eq!(p("1e999999999").to_string(), "+Inf");
        assert_eq!(p("inf").to_string(), "+Inf");
        assert_eq!(p("-Inf").to_string(), "-Inf");
        assert_eq!(p("1p3").to_string(), "8");
        assert_eq!(p(".5").to_string(), "0.5");
        assert_eq!(p("5.").to_string(), "5");
        for bad in ["", " 1", "abc", "1_000", "0x10", "1e", "-", "."] {
            assert!(Number::parse(bad).is_none(), "{bad}");
        }
    }

    #[test]
    fn modulo_as_cty() {
        assert_eq!(p("7").rem(&p("2.5")).unwrap().to_string(), "2");
        assert_eq!(p("-7").rem(&p("2.5")).unwrap().to_string(), "-2");
        assert_eq!(p("7.5").rem(&p("-2")).unwrap().to_string(), "1.5");
        assert_eq!(p("-7").rem(&p("3")).unwrap().to_string(), "-1");
        assert_eq!(p("5").rem(&p("0")).unwrap().to_string(), "5");
    }

    #[test]
    fn floor_and_ceil_are_exact() {
        let huge = p("1e300").mul(&p("1e300")).unwrap();
        assert_eq!(huge.floor_ceil(false).cmp_num(&p("1e600")), Ordering::Equal);
        assert_eq!(p("-4.1").floor_ceil(false).to_string(), "-5");
        assert_eq!(p("-0.5").floor_ceil(true).to_string(), "0");
        assert_eq!(p("5.1").floor_ceil(true).to_string(), "6");
    }

    #[test]
    fn go_text_formats() {
        assert_eq!(p("0.1").text(b'f', 20), "0.10000000000000000000");
        assert_eq!(p("1").div(&p("3")).unwrap().text(b'e', 6), "3.333333e-01");
        assert_eq!(p("123456").text(b'g', -1), "123456");
        assert_eq!(p("1234567").text(b'g', -1), "1.234567e+06");
        assert_eq!(p("2.5").text(b'f', 0), "2");
        assert_eq!(p("3.5").text(b'f', 0), "4");
    }

    #[test]
    fn float64_conversion_rounds_to_nearest() {
        assert_eq!(p("0.1").as_f64(), 0.1);
        assert_eq!(p("1e400").as_f64(), f64::INFINITY);
        assert_eq!(p("1e-400").as_f64(), 0.0);
        assert_eq!(p("4.9e-324").as_f64(), 5e-324);
        assert_eq!(p("2.2250738585072014e-308").as_f64(), f64::MIN_POSITIVE);
        assert_eq!(p("-1.5").as_f64(), -1.5);
        assert_eq!(p("9007199254740993").as_f64(), 9007199254740992.0);
        for f in [1.0, 0.3, 1e300, 123.456, 5e-324, 1e-310, f64::MAX] {
            assert_eq!(Number::from_f64(f).unwrap().as_f64(), f, "{f}");
            assert_eq!(
                Number::from_f64(f).unwrap().to_string().parse::<f64>(),
                Ok(f)
            );
        }
    }

    #[test]
    fn huge_exponents_do_not_hang() {
        let n = p("1e50000");
        assert_eq!(n.to_string(), format!("1{}", "0".repeat(50_000)));
        let n = p("1e-50000");
        assert_eq!(n.to_string(), format!("0.{}1", "0".repeat(49_999)));
        let n = p("123456789e50000");
        assert_eq!(n.text(b'e', -1), "1.23456789e+50008");
        let n = p(&"9".repeat(100_000));
        assert_eq!(n.to_string(), format!("1{}", "0".repeat(100_000)));
    }
}
