//! The string predicates Terragrunt adds: `startswith`, `endswith`, `strcontains`.

use super::{strings, tg, wrong_params};
use tglint_hcl::{CallCtx, FnError, FnResult, Value};

fn two_strings(cx: &CallCtx<'_>, args: &[Value]) -> Result<(String, String), FnError> {
    tg(cx)?;
    let params = strings(args)?;
    match params.as_slice() {
        [a, b] => Ok((a.clone(), b.clone())),
        _ => Err(wrong_params(cx.name, "2", params.len())),
    }
}

pub(super) fn startswith(cx: &CallCtx<'_>, args: Vec<Value>) -> FnResult {
    let (s, p) = two_strings(cx, &args)?;
    Ok(Value::bool(s.starts_with(&p)))
}

pub(super) fn endswith(cx: &CallCtx<'_>, args: Vec<Value>) -> FnResult {
    let (s, p) = two_strings(cx, &args)?;
    Ok(Value::bool(s.ends_with(&p)))
}

pub(super) fn strcontains(cx: &CallCtx<'_>, args: Vec<Value>) -> FnResult {
    let (s, p) = two_strings(cx, &args)?;
    Ok(Value::bool(s.contains(&p)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::functions::test_support::*;

    #[test]
    fn string_predicates() {
        let t = empty();
        let b = |f: &str, a: Value, p: Value| t.ok(f, vec![a, p]).as_bool().unwrap();
        assert!(b("startswith", s("hello world"), s("hello")));
        assert!(!b("startswith", s("hello world"), s("world")));
        assert!(b("endswith", s("hello world"), s("world")));
        assert!(!b("endswith", s("hello world"), s("hello")));
        assert!(b("strcontains", s("hello world"), s("o w")));
        assert!(!b("strcontains", s("hello world"), s("x")));
        assert!(b("startswith", Value::int(123), s("12")));
        assert!(b("startswith", s("x"), s("")));
        t.err(
            "startswith",
            vec![s("x")],
            "Expected 2 params for function startswith, but got 1",
        );
        t.err(
            "strcontains",
            vec![s("x"), s("y"), s("z")],
            "Expected 2 params for function strcontains, but got 3",
        );
        t.err(
            "endswith",
            vec![s("x"), Value::tuple(vec![])],
            "string required",
        );
        t.unknown("endswith", vec![s("x"), Value::unknown("u")], "u");
    }
}
