//! Nesting at tglint's limit (`MAX_NESTING`, hcl-edit's `MAX_NESTING_DEPTH`): every
//! recursive path handles input nested that deep (parse, evaluation, conversion, the JSON
//! and YAML functions, drop), and one level more is a parse error naming the limit, never a
//! stack overflow. HCL itself has no limit (Terraform evaluates `[[…[1]…]]` 1,100 levels
//! deep, and `jsondecode`/`yamldecode` of as many nested arrays).
//!
//! A debug build needs about 25 MiB of stack at the limit, so each test runs on a thread
//! with the stack the `tglint` binary gives its threads.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use tglint_hcl::hcl_json::{BodySchema, parse_json_body};
use tglint_hcl::{
    Data, EvalCtx, EvalError, FileId, MAX_NESTING, Value, Vars, eval, functions, parse_body,
    parse_expr,
};

const STACK: usize = 64 << 20;

fn on_big_stack<T: Send + 'static>(f: impl FnOnce() -> T + Send + 'static) -> T {
    std::thread::Builder::new()
        .stack_size(STACK)
        .spawn(f)
        .expect("spawn")
        .join()
        .expect("the test thread panicked")
}

fn nested(open: &str, leaf: &str, close: &str, n: usize) -> String {
    format!("{}{leaf}{}", open.repeat(n), close.repeat(n))
}

fn run(src: &str) -> Result<Value, EvalError> {
    let expr = parse_expr(FileId(0), src).unwrap_or_else(|e| panic!("parse: {e}"));
    let vars = Vars::new();
    let fns = [functions::terraform()];
    let cx = EvalCtx::detached(&fns, &vars);
    eval(&expr, &cx)
}

/// How deep `v` nests: a scalar is 0, `[1]` is 1.
fn depth(v: &Value) -> usize {
    let mut d = 0;
    let mut cur = v;
    loop {
        match &cur.data {
            Data::Seq(_, items) if !items.is_empty() => cur = &items[0],
            Data::Map(_, m) if !m.is_empty() => cur = m.values().next().unwrap(),
            Data::Seq(..) | Data::Map(..) => return d + 1,
            _ => return d,
        }
        d += 1;
    }
}

const LIMIT_MESSAGE: &str = "invalid nesting depth; expected at most 1024 nested levels";

#[test]
fn the_limit_is_hcl_edits() {
    assert_eq!(MAX_NESTING, 1024);
    // The message names the same number (hcl-edit keeps its own copy of it).
    let e = on_big_stack(|| {
        parse_expr(FileId(0), &nested("[", "1", "]", MAX_NESTING + 1)).unwrap_err()
    });
    assert_eq!(e.message, LIMIT_MESSAGE);
}

#[test]
fn every_kind_of_nesting_parses_at_the_limit_and_not_beyond() {
    on_big_stack(|| {
        let shapes = [
            ("[", "1", "]"),
            ("{ a = ", "1", " }"),
            ("(", "1", ")"),
            ("\"${", "1", "}\""),
            ("f(", "1", ")"),
        ];
        for (open, leaf, close) in shapes {
            let at = nested(open, leaf, close, MAX_NESTING);
            assert!(parse_expr(FileId(0), &at).is_ok(), "{open}: at the limit");
            let body = format!("a = 1\nx = {at}\n");
            assert!(parse_body(FileId(0), &body).is_ok(), "{open}: in a body");
            let beyond = format!(
                "a = 1\nx = {}\n",
                nested(open, leaf, close, MAX_NESTING + 1)
            );
            let e = parse_body(FileId(0), &beyond).unwrap_err();
            assert_eq!(e.message, LIMIT_MESSAGE, "{open}");
            // Reported on the line of the attribute.
            assert_eq!(e.line, 2, "{open}");
        }
        // Far beyond the limit: the same error, as fast.
        let e = parse_expr(FileId(0), &nested("[", "1", "]", 100_000)).unwrap_err();
        assert_eq!(e.message, LIMIT_MESSAGE);
    });
}

#[test]
fn values_nested_at_the_limit_evaluate_convert_encode_and_drop() {
    on_big_stack(|| {
        let tuple = nested("[", "1", "]", MAX_NESTING);
        let v = run(&tuple).unwrap();
        assert_eq!(depth(&v), MAX_NESTING);
        let object = nested("{ a = ", "1", " }", MAX_NESTING);
        assert_eq!(depth(&run(&object).unwrap()), MAX_NESTING);
        let template = nested("\"${", "\"x\"", "}\"", MAX_NESTING);
        assert_eq!(run(&template).unwrap().as_str(), Some("x"));

        // jsonencode, then jsondecode of the text, is the same value; tolist converts
        // every level; equality walks it; yamlencode writes it.
        let src = format!("jsonencode({})", nested("[", "1", "]", MAX_NESTING - 1));
        let json = run(&src).unwrap();
        let text = json.as_str().unwrap().to_string();
        assert_eq!(text, nested("[", "1", "]", MAX_NESTING - 1));
        let round = format!(
            "jsondecode({}) == {}",
            tglint_hcl::value::quote(&text),
            nested("[", "1", "]", MAX_NESTING - 1)
        );
        assert_eq!(run(&round).unwrap().as_bool(), Some(true));
        let listed = format!("tolist({})", nested("[", "1", "]", MAX_NESTING - 1));
        assert_eq!(depth(&run(&listed).unwrap()), MAX_NESTING - 1);
        let yaml = format!("yamlencode({})", nested("[", "1", "]", MAX_NESTING - 1));
        assert!(run(&yaml).unwrap().as_str().unwrap().starts_with("- - - "));
    });
}

#[test]
fn jsondecode_and_yamldecode_nest_to_the_limit() {
    on_big_stack(|| {
        let call = |f: &str, text: &str| run(&format!("{f}({})", tglint_hcl::value::quote(text)));
        let at = nested("[", "1", "]", MAX_NESTING);
        let beyond = nested("[", "1", "]", MAX_NESTING + 1);
        assert_eq!(depth(&call("jsondecode", &at).unwrap()), MAX_NESTING);
        let e = call("jsondecode", &beyond).unwrap_err();
        assert!(e.to_string().contains("exceeded max depth"), "{e}");

        // YAML's flow and block collections alike.
        assert_eq!(depth(&call("yamldecode", &at).unwrap()), MAX_NESTING);
        let e = call("yamldecode", &beyond).unwrap_err();
        assert!(e.to_string().contains("exceeded max depth"), "{e}");
        let block = |n: usize| format!("{}1\n", "- ".repeat(n));
        assert_eq!(
            depth(&call("yamldecode", &block(MAX_NESTING)).unwrap()),
            MAX_NESTING
        );
        let e = call("yamldecode", &block(MAX_NESTING + 1)).unwrap_err();
        assert!(e.to_string().contains("exceeded max depth"), "{e}");
    });
}

#[test]
fn hcl_json_nests_to_the_limit() {
    on_big_stack(|| {
        let schema = BodySchema {
            blocks: &[],
            just_attributes: false,
        };
        // The top-level object is the first level.
        let text = |n: usize| format!("{{\"x\": {}}}", nested("[", "1", "]", n));
        let body = parse_json_body(FileId(0), &text(MAX_NESTING - 1), &schema).unwrap();
        let attr = body.get_attribute("x").unwrap();
        let vars = Vars::new();
        let fns = [functions::terraform()];
        let cx = EvalCtx::detached(&fns, &vars);
        assert_eq!(depth(&eval(&attr.value, &cx).unwrap()), MAX_NESTING - 1);
        let e = parse_json_body(FileId(0), &text(MAX_NESTING), &schema).unwrap_err();
        assert!(
            e.message
                .contains("arrays and objects nest deeper than 1024 levels"),
            "{}",
            e.message
        );
    });
}
