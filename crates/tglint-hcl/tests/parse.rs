//! The parser's bounds and literals: input sizes that must stay cheap, number literals
//! beyond `f64`.

use tglint_hcl::functions;
use tglint_hcl::{EvalCtx, FileId, Value, Vars, eval, parse_body};

/// Parses `src` as a file and evaluates its attribute `x`.
fn eval_x(src: &str) -> Value {
    let body = parse_body(FileId(0), src).unwrap_or_else(|e| panic!("{e}"));
    let attr = body.get_attribute("x").expect("attribute x");
    let vars = Vars::new();
    let fns = [functions::terraform()];
    eval(&attr.value, &EvalCtx::detached(&fns, &vars)).expect("evaluates")
}

/// `x = {` with `n` keys `k0 = 0` … on lines of their own, and `extra` before the `}`.
fn object_literal(n: usize, extra: &str) -> String {
    let mut src = String::from("x = {\n");
    for i in 0..n {
        src.push_str(&format!("  k{i} = {i}\n"));
    }
    src.push_str(extra);
    src.push_str("}\n");
    src
}

#[test]
fn object_literal_with_100k_keys_parses_and_evaluates() {
    // hcl-edit 0.10.0 checked each key against all earlier ones (and inserted with another
    // scan): 100k keys took minutes. The patched copy indexes keys by hash; in a debug
    // build this test takes a few seconds, with the quadratic parser it would not finish.
    let n = 100_000;
    let value = eval_x(&object_literal(n, ""));
    let map = value.as_map().expect("an object");
    assert_eq!(map.len(), n);
    assert_eq!(map["k99999"].to_string(), "99999");
}

#[test]
fn duplicate_key_after_many_keys_is_still_an_error() {
    // Duplicate keys stay a parse error, found however far apart the two keys are.
    let n = 20_000;
    let err = parse_body(FileId(0), &object_literal(n, "  k7 = 1\n")).unwrap_err();
    assert_eq!((err.line, err.column), (n + 2, 3), "{err}");
    assert!(err.message.contains("redefined object key"), "{err}");
}

#[test]
fn number_literals_beyond_f64_are_infinite() {
    // Terraform: `1e999999999` is +Inf; it keeps `1e400` and 400-digit integers finite
    // (arbitrary precision), which f64 cannot, so tglint makes them ±Inf too.
    let inf = f64::INFINITY;
    let huge_integer = "9".repeat(400);
    for (src, expected) in [
        ("1e999999999", inf),
        ("-1e999999999", -inf),
        ("- 1e400", -inf),
        ("1e400", inf),
        ("1.5E+99999999999999999999", inf),
        (&huge_integer, inf),
        ("-(1e999)", -inf),
        ("1e-999999999", 0.0),
        // In range: unchanged, including f64::MAX itself.
        ("1e308", 1e308),
        ("1.7976931348623157e308", f64::MAX),
        ("-1.7976931348623157e308", -f64::MAX),
        ("18446744073709551616", 18_446_744_073_709_551_616.0),
    ] {
        let value = eval_x(&format!("x = {src}\n"));
        let n = value
            .as_number()
            .unwrap_or_else(|| panic!("{src}: {value}"));
        assert_eq!(n.as_f64(), expected, "{src}");
    }
    assert_eq!(eval_x("x = 1e999999999\n").to_string(), "+Inf");
    assert_eq!(eval_x("x = 1e999999999 > 1e308\n").to_string(), "true");
    assert_eq!(
        eval_x("x = 9223372036854775807\n").to_string(),
        "9223372036854775807"
    );
}

#[test]
fn number_literal_of_a_million_digits_parses() {
    // hcl-edit 0.10.0 rejected it ("unexpected token"). The patched parser scans a literal
    // once and converts it once.
    let src = format!("x = {}\ny = 2\n", "7".repeat(1_000_000));
    assert_eq!(eval_x(&src).to_string(), "+Inf");
}
