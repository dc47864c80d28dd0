//! The parser's bounds, literals and errors: input sizes that must stay cheap, number
//! literals beyond `f64`, and syntax errors reported where the offending token starts.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use tglint_hcl::functions;
use tglint_hcl::{EvalCtx, FileId, ParseError, Value, Vars, eval, parse_body};

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
fn duplicate_object_keys_are_no_error_and_the_last_wins() {
    // HCL's object constructor: every item in order, the last with a key wins
    // (terraform console: {a=1, b=2, a=3} is {"a":3,"b":2}; {"a"=1, a="x"} is {"a":"x"}).
    let n = 20_000;
    let v = eval_x(&object_literal(n, "  k7 = \"late\"\n"));
    let map = v.as_map().expect("an object");
    assert_eq!(map.len(), n);
    assert_eq!(map["k7"].as_str(), Some("late"));
    let v = eval_x("x = { a = 1, b = 2, a = 3, \"b\" = \"x\" }\n");
    assert_eq!(v.to_string(), r#"{ a = 3, b = "x" }"#);
    // A repeated attribute of a body stays an error, as in HCL.
    let err = parse_body(FileId(0), "a = 1\na = 2\n").unwrap_err();
    assert_eq!((err.line, err.column), (2, 1), "{err}");
    assert!(err.message.contains("redefined attribute"), "{err}");
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
    // In cty it is a finite number (512 bits of it), as wide as its literal.
    let src = format!("x = {}\ny = 2\n", "7".repeat(1_000_000));
    let text = eval_x(&src).to_string();
    assert_eq!(text.len(), 1_000_000);
    assert!(text.starts_with(&"7".repeat(150)), "{}", &text[..200]);
}

/// The error of parsing `src` as a file.
fn error(src: &str) -> ParseError {
    match parse_body(FileId(0), src) {
        Ok(_) => panic!("parsed: {src:?}"),
        Err(e) => e,
    }
}

/// Asserts the 1-based line and column, the byte at the span's start and the message.
#[track_caller]
fn assert_error(src: &str, line: usize, column: usize, at: &str, message: &str) {
    let e = error(src);
    assert_eq!(
        (e.line, e.column, e.message.as_str()),
        (line, column, message),
        "{src:?}"
    );
    assert!(
        src[e.span.range().start..].starts_with(at),
        "{src:?}: span {:?} does not start at {at:?}",
        e.span.range()
    );
}

#[test]
fn unterminated_string_is_reported_at_its_opening_quote() {
    // hcl-edit 0.10.0: "2:1: unexpected token" (the start of the attribute).
    assert_error(
        "a = 1\nb = \"abc\nc = 2\nd = \"x\"\n",
        2,
        5,
        "\"abc",
        "unterminated string: missing closing `\"` before the end of the line",
    );
    assert_error(
        "a = 1\nb = \"abc",
        2,
        5,
        "\"abc",
        "unterminated string: missing closing `\"` before the end of the file",
    );
    // Columns count characters, the span bytes.
    assert_error(
        "a = \"é\" == \"abc\n",
        1,
        12,
        "\"abc",
        "unterminated string: missing closing `\"` before the end of the line",
    );
    // A block label too.
    assert_error(
        "resource \"aws_s3_bucket {\n}\n",
        1,
        10,
        "\"aws",
        "unterminated string: missing closing `\"` before the end of the line",
    );
}

#[test]
fn unterminated_heredoc_is_reported_at_its_start() {
    // hcl-edit 0.10.0: "3:1: expected heredoc end delimiter".
    assert_error(
        "a = 1\nb = <<EOT\nhello\nc = 2\n",
        2,
        5,
        "<<EOT",
        "unterminated heredoc `<<EOT`: missing the closing `EOT` line",
    );
    assert_error(
        "b = <<-EOT\n  hello\n  EOTX\n",
        1,
        5,
        "<<-EOT",
        "unterminated heredoc `<<-EOT`: missing the closing `EOT` line",
    );
}

#[test]
fn unterminated_interpolation_is_reported_at_its_start() {
    // hcl-edit 0.10.0: "3:1: expected `}`".
    assert_error(
        "a = 1\nb = \"x ${foo\nc = 2\n",
        2,
        8,
        "${foo",
        "unterminated interpolation `${`: missing `}`",
    );
    assert_error(
        "b = \"x ${foo",
        1,
        8,
        "${foo",
        "unterminated interpolation `${`: missing `}`",
    );
    assert_error(
        "b = <<EOT\n${foo\nEOT\n",
        2,
        1,
        "${foo",
        "unterminated interpolation `${`: missing `}`",
    );
    // On the line of the `${`, the error stays where parsing stopped.
    assert_error("b = \"${a b}\"\n", 1, 10, "b}", "expected `}`");
}

#[test]
fn unterminated_directive_is_reported_at_its_start() {
    // hcl-edit 0.10.0: "2:1: unexpected token".
    assert_error(
        "a = 1\nb = \"x %{ if true }yes\"\nc = 2\n",
        2,
        8,
        "%{ if",
        "unterminated template directive `%{ if }`: missing `%{ endif }`",
    );
    assert_error(
        "b = \"%{ if true }yes%{ else }no\"\n",
        1,
        6,
        "%{ if",
        "unterminated template directive `%{ if }`: missing `%{ endif }`",
    );
    assert_error(
        "a = 1\nb = \"x %{ for x in y }yes\"\nc = 2\n",
        2,
        8,
        "%{ for",
        "unterminated template directive `%{ for }`: missing `%{ endfor }`",
    );
    assert_error(
        "b = <<EOT\n%{ if true }\nyes\nEOT\n",
        2,
        1,
        "%{ if",
        "unterminated template directive `%{ if }`: missing `%{ endif }`",
    );
    assert_error(
        "b = \"x %{ if true\nc = 2\n",
        1,
        8,
        "%{ if",
        "unterminated template directive `%{`: missing `}`",
    );
    // A closing directive that closes nothing.
    assert_error(
        "b = \"x%{ endif }\"\n",
        1,
        7,
        "%{ endif",
        "`%{ endif }` without a matching `%{ if }`",
    );
    assert_error(
        "b = <<EOT\na\n%{ endif }\nEOT\n",
        3,
        1,
        "%{ endif",
        "`%{ endif }` without a matching `%{ if }`",
    );
    assert_error(
        "b = \"%{ }\"\n",
        1,
        6,
        "%{ }",
        "invalid template directive: expected `if` or `for`",
    );
    // An empty heredoc followed by a directive elsewhere is fine.
    assert!(
        parse_body(
            FileId(0),
            "x = <<EOT\nEOT\ny = \"%{ if true }a%{ endif }\"\n"
        )
        .is_ok()
    );
    assert_error(
        "b = \"x%{~ endfor }\"\n",
        1,
        7,
        "%{~ endfor",
        "`%{ endfor }` without a matching `%{ for }`",
    );
}

#[test]
fn unclosed_bracket_at_the_end_is_reported_at_the_bracket() {
    // hcl-edit 0.10.0: "2:1: unexpected token".
    assert_error(
        "a = 1\nb = {\n  x = 1\nc = 2\n",
        2,
        5,
        "{\n  x",
        "unclosed `{`: missing `}`",
    );
    assert_error(
        "b = [\n  1,\n  2\n",
        1,
        5,
        "[\n  1",
        "unclosed `[`: missing `]`",
    );
    assert_error("b = (1 + 2\n", 1, 5, "(1", "unclosed `(`: missing `)`");
    assert_error("b = f(1,\n  2\n", 1, 6, "(1", "unclosed `(`: missing `)`");
    assert_error("b = c[1", 1, 6, "[1", "unclosed `[`: missing `]`");
    assert_error(
        "blk {\n  a = 1\n",
        1,
        5,
        "{\n  a",
        "unclosed block: missing `}`",
    );
    // The innermost open bracket.
    assert_error(
        "b = { x = [1, 2\n",
        1,
        11,
        "[1",
        "unclosed `[`: missing `]`",
    );
}

#[test]
fn missing_closing_bracket_names_the_line_of_the_opening_one() {
    // Where parsing stopped, plus the line of the bracket that may lack its partner.
    assert_error(
        "a = 1\nb = (1 + 2\nc = 2\n",
        3,
        1,
        "c = 2",
        "expected `)` for the `(` on line 2",
    );
    assert_error(
        "b = [\n  1,\nc = 2\n]\n",
        3,
        3,
        "= 2",
        "expected `,` or `]` for the `[` on line 1",
    );
    assert_error(
        "b = {\n  x = 1 y = 2\n}\n",
        2,
        9,
        "y = 2",
        "expected `,`, newline or `}` for the `{` on line 1",
    );
    // On the bracket's own line: only what was expected, as before.
    assert_error("b = (1 2)\n", 1, 8, "2)", "expected `)`");
}

#[test]
fn unterminated_comment_is_reported_at_its_start() {
    assert_error(
        "a = 1 /* x\nb = 2\n",
        1,
        7,
        "/* x",
        "unterminated comment `/*`: missing `*/`",
    );
}

/// Inside a quoted string, a directive's body is quoted text too: escapes are unescaped
/// and neither a `"` nor a line break belongs to it (it was parsed like a heredoc's).
#[test]
fn directive_bodies_in_quoted_strings_are_quoted_text() {
    // terraform console: "a\tb\"cé|\nq\\"
    let v = eval_x(
        "x = \"%{ if true }a\\tb\\\"c\\u00e9%{ else }x%{ endif }|%{ for v in [\"q\"] }\\n${v}\\\\%{ endfor }\"\n",
    );
    assert_eq!(v.as_str(), Some("a\tb\"cé|\nq\\"));
    // The line break ends the string, so the directive is never closed.
    assert_error(
        "a = \"%{ if true }y\nb = \"%{ endif }\"\n",
        1,
        6,
        "%{ if",
        "unterminated template directive `%{ if }`: missing `%{ endif }`",
    );
    // A heredoc's directive does not run past the heredoc's end line.
    assert_error(
        "a = <<EOT\n%{ if true }\nEOT\nb = \"%{ endif }\"\n",
        2,
        1,
        "%{ if",
        "unterminated template directive `%{ if }`: missing `%{ endif }`",
    );
}
