//! The parser's bounds: input sizes that must stay cheap.

use tglint_hcl::functions;
use tglint_hcl::{EvalCtx, FileId, Vars, eval, parse_body};

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
    let body = parse_body(FileId(0), &object_literal(n, "")).expect("parses");
    let attr = body.get_attribute("x").expect("attribute x");
    let vars = Vars::new();
    let fns = [functions::terraform()];
    let value = eval(&attr.value, &EvalCtx::detached(&fns, &vars)).expect("evaluates");
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
