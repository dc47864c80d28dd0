//! The evaluator: literals, templates, traversals, operators, `for`, conditionals, unknown
//! propagation, `try`/`can`, errors and nesting limits.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use tglint_hcl::functions::{self, Functions, Param};
use tglint_hcl::{EvalCtx, EvalError, FileId, Value, Vars, eval, parse_expr};

fn vars() -> Vars {
    let mut v = Vars::new();
    let obj = |pairs: Vec<(&str, Value)>| {
        Value::object(pairs.into_iter().map(|(k, v)| (k.to_string(), v)).collect())
    };
    v.insert(
        "local".into(),
        obj(vec![
            ("name", Value::string("app")),
            ("n", Value::int(3)),
            ("flag", Value::bool(true)),
            ("nothing", Value::null()),
            ("u", Value::unknown("get_env FOO unset")),
            (
                "list",
                Value::tuple(vec!["a".into(), "b".into(), "c".into()]),
            ),
            (
                "users",
                Value::tuple(vec![
                    obj(vec![("name", "ann".into()), ("role", "admin".into())]),
                    obj(vec![("name", "bob".into()), ("role", "dev".into())]),
                    obj(vec![("name", "cid".into()), ("role", "dev".into())]),
                ]),
            ),
            (
                "tags",
                obj(vec![
                    ("kubernetes.io/role", "elb".into()),
                    ("env", "prod".into()),
                ]),
            ),
            ("set", Value::set(vec!["y".into(), "x".into()])),
            (
                "ulist",
                Value::tuple(vec![Value::int(1), Value::unknown("run_cmd")]),
            ),
        ]),
    );
    v
}

fn test_functions() -> Functions {
    let mut f = Functions::new();
    f.add(
        "count_args",
        &[],
        Some(Param::new("args").nullable().unknowns()),
        |_, args| Ok(Value::int(args.len() as i64)),
    );
    f.add("boom", &[], None, |_, _| {
        Err(tglint_hcl::FnError::call("it went boom"))
    });
    f
}

fn run(src: &str) -> Result<Value, EvalError> {
    let expr = parse_expr(FileId(0), src).unwrap_or_else(|e| panic!("parse {src}: {e}"));
    let vars = vars();
    let extra = test_functions();
    let fns = [&extra, functions::terraform()];
    let cx = EvalCtx::detached(&fns, &vars);
    eval(&expr, &cx)
}

/// Evaluates attribute `x` of a whole body (heredocs need the surrounding lines).
fn show_attr(body: &str) -> String {
    let body = tglint_hcl::parse_body(FileId(0), body).unwrap_or_else(|e| panic!("{body}: {e}"));
    let attr = body.get_attribute("x").expect("attribute x");
    let vars = vars();
    let fns = [functions::terraform()];
    let cx = EvalCtx::detached(&fns, &vars);
    eval(&attr.value, &cx)
        .map(|v| v.to_string())
        .unwrap_or_else(|e| panic!("{e}"))
}

fn show(src: &str) -> String {
    match run(src) {
        Ok(v) => v.to_string(),
        Err(e) => panic!("{src}: {e}"),
    }
}

fn error(src: &str) -> String {
    match run(src) {
        Ok(v) => panic!("{src}: expected an error, got {v}"),
        Err(e) => e.to_string(),
    }
}

#[test]
fn literals_and_collections() {
    assert_eq!(show("null"), "null");
    assert_eq!(show("true"), "true");
    assert_eq!(show("42"), "42");
    assert_eq!(show("1.5"), "1.5");
    assert_eq!(show("1e3"), "1000");
    assert_eq!(show(r#""a\"b\n""#), r#""a\"b\n""#);
    assert_eq!(show(r#"["a", 1, true]"#), r#"["a", 1, true]"#);
    assert_eq!(show(r#"{ a = 1, "b c" = 2 }"#), r#"{ a = 1, "b c" = 2 }"#);
    assert_eq!(show(r#"{ (local.name) = 1 }"#), r#"{ app = 1 }"#);
    assert_eq!(show(r#"{ "${local.name}-x" = 1 }"#), r#"{ app-x = 1 }"#);
    // A computed key that is unknown makes the object unknown.
    assert_eq!(show("{ (local.u) = 1 }"), "(unknown: get_env FOO unset)");
}

#[test]
fn templates_and_interpolation() {
    assert_eq!(show(r#""hello ${local.name}""#), r#""hello app""#);
    assert_eq!(show(r#""n=${local.n} f=${local.flag}""#), r#""n=3 f=true""#);
    // A lone interpolation yields the value itself, not its string form.
    assert_eq!(show(r#""${local.list}""#), r#"["a", "b", "c"]"#);
    assert_eq!(show(r#""${local.n}""#), "3");
    assert_eq!(show(r#""$${literal}""#), r#""${literal}""#);
    assert_eq!(show(r#""%%{literal}""#), r#""%{literal}""#);
    assert_eq!(show(r#""x-${local.u}""#), "(unknown: get_env FOO unset)");
    assert!(error(r#""x-${local.nothing}""#).contains("null"));
    assert!(error(r#""x-${local.list}""#).contains("string required"));
}

#[test]
fn template_directives_and_strip_markers() {
    assert_eq!(
        show(r#""%{ if local.flag }yes%{ else }no%{ endif }""#),
        r#""yes""#
    );
    assert_eq!(
        show(r#""%{ if !local.flag }yes%{ else }no%{ endif }""#),
        r#""no""#
    );
    assert_eq!(show(r#""%{ if false }yes%{ endif }""#), r#""""#);
    assert_eq!(
        show(r#""%{ for x in local.list }${x},%{ endfor }""#),
        r#""a,b,c,""#
    );
    assert_eq!(
        show(r#""%{ for i, x in local.list }${i}=${x} %{ endfor }""#),
        r#""0=a 1=b 2=c ""#
    );
    assert_eq!(show(r#""a ${~ "b" ~} c""#), r#""abc""#);
    assert_eq!(
        show(r#""a  %{~ if true ~}  b  %{~ endif ~}  c""#),
        r#""abc""#
    );
    assert_eq!(
        show(r#""%{ for x in local.list ~} ${x} %{~ endfor }""#),
        r#""abc""#
    );
    assert_eq!(
        show(r#""%{ if local.u }a%{ endif }""#),
        "(unknown: get_env FOO unset)"
    );
    assert_eq!(
        show(r#""%{ for x in local.u }a%{ endfor }""#),
        "(unknown: get_env FOO unset)"
    );
    assert!(error(r#""%{ if "maybe" }a%{ endif }""#).contains("bool"));
}

#[test]
fn heredocs() {
    assert_eq!(
        show_attr("x = <<EOF\nhello ${local.name}\n  two\nEOF\n"),
        r#""hello app\n  two\n""#
    );
    assert_eq!(
        show_attr("x = <<-EOF\n    one\n      two\n    EOF\n"),
        r#""one\n  two\n""#
    );
    assert_eq!(
        show_attr("x = <<EOT\n%{ for x in local.list ~}\n- ${x}\n%{ endfor ~}\nEOT\n"),
        r#""- a\n- b\n- c\n""#
    );
}

/// The string attribute `x` of a body evaluates to.
fn attr_string(body: &str) -> String {
    let parsed = tglint_hcl::parse_body(FileId(0), body).unwrap_or_else(|e| panic!("{body}: {e}"));
    let attr = parsed.get_attribute("x").expect("attribute x");
    let vars = vars();
    let fns = [functions::terraform()];
    let cx = EvalCtx::detached(&fns, &vars);
    match eval(&attr.value, &cx)
        .unwrap_or_else(|e| panic!("{e}"))
        .data
    {
        tglint_hcl::Data::String(s) => s,
        d => panic!("{body}: not a string: {d:?}"),
    }
}

/// Strip markers in a heredoc apply to the line token beside them, then `<<-` dedents the
/// lines that still begin with literal text (hcl `flushHeredocTemplateParts`). Every
/// expected value is what `terraform console` (v1.11) gives.
#[test]
fn heredoc_strip_markers_and_flush_as_hcl() {
    // The usual generated provider per region: the lines after `~}` do not begin a line
    // for the flush, so they keep their indentation; the others lose the least indent (4).
    let provider = "x = <<-EOT\n    %{ for r in [\"a\", \"b\"] ~}\n    provider \"aws\" {\n      region = \"${r}\"\n    }\n    %{ endfor ~}\n  EOT\n";
    assert_eq!(
        attr_string(provider),
        "    provider \"aws\" {\n  region = \"a\"\n}\n    provider \"aws\" {\n  region = \"b\"\n}\n"
    );
    // `~}` strips the rest of its own line only, not the blank line after it.
    assert_eq!(
        attr_string("x = <<EOT\na ${\"x\" ~}\n\n  b\nEOT\n"),
        "a x\n  b\n"
    );
    // `{~` strips the literal before it on its own line only.
    assert_eq!(
        attr_string("x = <<EOT\na  \n  ${~ \"x\"} b\nEOT\n"),
        "a  \nx b\n"
    );
    assert_eq!(
        attr_string("x = <<EOT\n%{ for x in [\"a\"] ~}\n  - ${x}\n%{ endfor ~}\nEOT\n"),
        "  - a\n"
    );
    // Blank lines neither count nor change; an interpolation after spaces counts them.
    assert_eq!(
        attr_string("x = <<-EOT\n    a\n      ${\"b\"}\n  \n    c\n  EOT\n"),
        "a\n  b\n  \nc\n"
    );
    assert_eq!(
        attr_string("x = <<-EOT\n    a\n  ${\"b\"}\n    c\n  EOT\n"),
        "  a\nb\n  c\n"
    );
    // Nested directives are one token sequence for the flush.
    let nested = "x = <<-EOT\n    %{~ for r in [\"a\",\"b\"] ~}\n      r ${r}\n      %{~ if r == \"a\" ~}\n        is-a\n      %{~ endif }\n    %{~ endfor ~}\n    done\n  EOT\n";
    assert_eq!(
        attr_string(nested),
        "      r a\n        is-a\n\n      r b\n\n    done\n"
    );
    // Tabs are spaces to the flush; a line after `~}` is not a line start.
    assert_eq!(
        attr_string("x = <<-EOT\n\t\ttab\n\t\t  two\n\tEOT\n"),
        "tab\n  two\n"
    );
    assert_eq!(
        attr_string("x = <<-EOT\n  x ${\"y\"~}\n     z\n  EOT\n"),
        "x y     z\n"
    );
    // A line starting with a directive keeps every line as written.
    assert_eq!(
        attr_string("x = <<-EOT\n%{ if true }  a%{ endif }\n    b\n  EOT\n"),
        "  a\n    b\n"
    );
}

#[test]
fn traversals_and_splats() {
    assert_eq!(show("local.name"), r#""app""#);
    assert_eq!(show("local.list[1]"), r#""b""#);
    assert_eq!(show("local.list.2"), r#""c""#);
    assert_eq!(show(r#"local.list["0"]"#), r#""a""#);
    assert_eq!(show(r#"local.tags["kubernetes.io/role"]"#), r#""elb""#);
    assert_eq!(show("local.users[0].name"), r#""ann""#);
    assert_eq!(show("local.users.*.name"), r#"["ann", "bob", "cid"]"#);
    assert_eq!(show("local.users[*].role"), r#"["admin", "dev", "dev"]"#);
    // An attribute splat stops at the first index; a full splat carries it to each element.
    assert_eq!(show("local.users.*.name[0]"), r#""ann""#);
    assert_eq!(
        show("[for u in local.users : u][*].name"),
        r#"["ann", "bob", "cid"]"#
    );
    assert!(error("local.users[*].name[0]").contains("Invalid index"));
    assert_eq!(show("local.nothing[*]"), "[]");
    assert_eq!(show("local.name[*]"), r#"["app"]"#);
    assert_eq!(
        show("local.u.anything[3].deeper"),
        "(unknown: get_env FOO unset)"
    );
    assert_eq!(show("local.list[local.u]"), "(unknown: get_env FOO unset)");
    assert_eq!(show("[local.users[0], local.users[1]][1].name"), r#""bob""#);
}

#[test]
fn traversal_errors_name_the_problem() {
    assert!(error("local.missing").contains("Unsupported attribute"));
    assert!(error("local.missing").contains("\"missing\""));
    assert!(error("nope.x").contains("Unknown variable"));
    assert!(error("local.list[3]").contains("Invalid index"));
    assert!(error("local.list[-1]").contains("Invalid index"));
    assert!(error("local.set[0]").contains("set"));
    assert!(error("local.nothing.x").contains("null"));
    assert!(error("local.name.x").contains("primitive"));
    assert!(error(r#"local.tags["nope"]"#).contains("Invalid index"));
}

#[test]
fn arithmetic_and_comparison_with_conversions() {
    assert_eq!(show("1 + 2 * 3"), "7");
    assert_eq!(show("(1 + 2) * 3"), "9");
    assert_eq!(show("7 / 2"), "3.5");
    assert_eq!(show("7 % 3"), "1");
    assert_eq!(show("-7 % 3"), "-1");
    assert_eq!(show("-local.n"), "-3");
    assert_eq!(show(r#""5" + 1"#), "6");
    assert_eq!(show("1 / 0"), "+Inf");
    assert_eq!(show("9223372036854775807 + 1"), "9223372036854775808");
    assert_eq!(show("3 > 2"), "true");
    assert_eq!(show(r#""10" < 9"#), "false");
    assert_eq!(show("2 <= 2"), "true");
    assert!(error(r#""a" + 1"#).contains("Invalid operand"));
    assert!(error("local.nothing + 1").contains("null"));
    assert!(error("0 / 0").contains("zero"));
    // cty: `x % 0` is `x`.
    assert_eq!(show("1 % 0"), "1");
}

#[test]
fn equality_keeps_kinds() {
    assert_eq!(show(r#""a" == "a""#), "true");
    assert_eq!(show(r#"1 == "1""#), "false");
    assert_eq!(show("1 == 1.0"), "true");
    assert_eq!(show(r#"["a"] == ["a"]"#), "true");
    assert_eq!(show(r#"tolist(["a"]) == ["a"]"#), "false");
    assert_eq!(show("{a = 1} == {a = 1}"), "true");
    assert_eq!(show("local.nothing == null"), "true");
    assert_eq!(show("local.name != null"), "true");
}

#[test]
fn logic_short_circuits() {
    assert_eq!(show("local.nothing != null && local.nothing.a"), "false");
    assert_eq!(show("local.nothing == null || local.nothing.a"), "true");
    assert_eq!(show("true && false"), "false");
    assert_eq!(show(r#""true" && true"#), "true");
    assert!(error("1 && true").contains("Invalid operand"));
}

/// hcl v2.24 (Terragrunt's; Terraform 1.11's v2.23 has no short circuit) evaluates both
/// operands: a type error in either is an error, but an evaluation error in the operand
/// the other one overrules is dropped (`OpLogicalAnd.ShortCircuit`).
#[test]
fn logic_evaluates_both_operands() {
    // The controlling operand drops the other's evaluation error, on either side.
    assert_eq!(show(r#"false && tobool("x")"#), "false");
    assert_eq!(show(r#"tobool("x") && false"#), "false");
    assert_eq!(show(r#"true || tobool("x")"#), "true");
    assert_eq!(show(r#"tobool("x") || true"#), "true");
    // Not overruled: the error stands.
    assert!(error(r#"true && tobool("x")"#).contains("Invalid function argument"));
    assert!(error(r#"tobool("x") || false"#).contains("Invalid function argument"));
    // A value not convertible to bool is an error even where it would not matter.
    assert!(error(r#"false && [1]"#).contains("Unsuitable value for right operand"));
    assert!(error(r#"true || "maybe""#).contains("Unsuitable value for right operand"));
    assert!(error(r#"{} || true"#).contains("Unsuitable value for left operand"));
    // An unknown facing a non-controlling operand: unknown, or its error.
    assert_eq!(show("local.u && true"), "(unknown: get_env FOO unset)");
    // Two unknowns: unknown when the left one evaluated, else the left one's error.
    assert_eq!(
        show(r#"local.u && tobool("x")"#),
        "(unknown: get_env FOO unset)"
    );
    assert!(error(r#"tobool("x") && local.u"#).contains("Invalid function argument"));
    assert!(error("null && true").contains("must not be null"));
    assert_eq!(show("false && null"), "false");
}

#[test]
fn unknown_propagation_table() {
    // (expression, expected)
    let cases = [
        ("local.u == 1", "(unknown: get_env FOO unset)"),
        ("1 != local.u", "(unknown: get_env FOO unset)"),
        ("local.u + 1", "(unknown: get_env FOO unset)"),
        ("local.u > 1", "(unknown: get_env FOO unset)"),
        ("-local.u", "(unknown: get_env FOO unset)"),
        ("!local.u", "(unknown: get_env FOO unset)"),
        ("true || local.u", "true"),
        ("local.u || true", "true"),
        ("false && local.u", "false"),
        ("local.u && false", "false"),
        ("true && local.u", "(unknown: get_env FOO unset)"),
        ("false || local.u", "(unknown: get_env FOO unset)"),
        ("local.u ? 1 : 2", "(unknown: get_env FOO unset)"),
        ("true ? local.u : 2", "(unknown: get_env FOO unset)"),
        ("false ? local.u : 2", "2"),
        ("[for x in local.u : x]", "(unknown: get_env FOO unset)"),
        (
            "[for x in local.list : x if local.u]",
            "(unknown: get_env FOO unset)",
        ),
        (
            "{for x in local.list : local.u => x}",
            "(unknown: get_env FOO unset)",
        ),
        ("length(local.ulist)", "2"),
        ("length(local.u)", "(unknown: get_env FOO unset)"),
        ("upper(local.u)", "(unknown: get_env FOO unset)"),
        ("local.ulist[0]", "1"),
        ("local.ulist[1]", "(unknown: run_cmd)"),
        ("[local.u, 1]", "[(unknown: get_env FOO unset), 1]"),
        ("local.ulist == [1, 2]", "(unknown: run_cmd)"),
        ("[1, 3] == local.ulist", "(unknown: run_cmd)"),
        ("[2, 3] == local.ulist", "false"),
        ("try(local.u, \"fallback\")", "(unknown: get_env FOO unset)"),
        ("can(local.u)", "(unknown: get_env FOO unset)"),
        ("count_args(local.u...)", "(unknown: get_env FOO unset)"),
    ];
    let mut failures = Vec::new();
    for (src, want) in cases {
        match run(src) {
            Ok(v) if v.to_string() == want => {}
            Ok(v) => failures.push(format!("{src}: got {v}, want {want}")),
            Err(e) => failures.push(format!("{src}: error {e}")),
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn conditionals() {
    assert_eq!(show(r#"local.flag ? "yes" : "no""#), r#""yes""#);
    assert_eq!(show(r#""false" ? "yes" : "no""#), r#""no""#);
    // The branch not taken is not evaluated for errors.
    assert_eq!(show("true ? 1 : local.nothing.x"), "1");
    // Primitive result types unify to string, as HCL does.
    assert_eq!(show(r#"true ? 1 : "x""#), r#""1""#);
    assert!(error("local.nothing ? 1 : 2").contains("Null condition"));
    assert!(error(r#"local.list ? 1 : 2"#).contains("bool"));
}

/// Structural results unify as hcl/cty unify them (`convert.UnifyUnsafe`), and results
/// that do not unify are an error. Expected values are `terraform console`'s.
#[test]
fn conditional_results_unify_as_cty_does() {
    let json = |src: &str| {
        let v = run(src).unwrap_or_else(|e| panic!("{src}: {e}"));
        tglint_hcl::json::encode(&v, &tglint_hcl::json::TERRAFORM).unwrap()
    };
    // Objects with different attributes become a map of their unified attribute type.
    let m = run(r#"true ? {a=30,b="x"} : {b="y"}"#).unwrap();
    assert_eq!(m.to_string(), r#"tomap({ a = "30", b = "x" })"#);
    assert_eq!(
        show(r#"false ? {a=30,b="x"} : {b="y"}"#),
        r#"tomap({ b = "y" })"#
    );
    // Tuples of different lengths become a list.
    assert_eq!(show(r#"true ? ["a",1] : ["b"]"#), r#"tolist(["a", "1"])"#);
    assert_eq!(
        show(r#"true ? [true,1] : ["b"]"#),
        r#"tolist(["true", "1"])"#
    );
    // Same attributes: an object whose attribute types unify.
    assert_eq!(show(r#"true ? {a=1} : {a="x"}"#), r#"{ a = "1" }"#);
    assert_eq!(show(r#"true ? [1,2] : ["a", "b"]"#), r#"["1", "2"]"#);
    assert_eq!(json(r#"true ? [[1]] : [["a","b"]]"#), r#"[["1"]]"#);
    assert_eq!(json(r#"true ? {a={x=1}} : {a={y=1}}"#), r#"{"a":{"x":1}}"#);
    assert_eq!(json(r#"true ? [1, null] : ["a"]"#), r#"["1",null]"#);
    assert_eq!(json(r#"true ? tolist([1]) : tolist(["a"])"#), r#"["1"]"#);
    // A null result converts to nothing.
    assert_eq!(show("true ? null : {a=1}"), "null");
    assert_eq!(show("true ? {a=1} : null"), "{ a = 1 }");
    // An unknown branch leaves the other as it is.
    assert_eq!(show("true ? [1] : local.u"), "[1]");
    let inconsistent = |src: &str, detail: &str| {
        let e = error(src);
        assert!(
            e.contains("Inconsistent conditional result types")
                && e.contains(&format!(
                    "The true and false result expressions must have consistent types. {detail}."
                )),
            "{src}: {e}"
        );
    };
    inconsistent(
        "true ? {a=true} : {a=1}",
        "Type mismatch for object attribute \"a\": The 'true' value is bool, but the 'false' value is number",
    );
    inconsistent(
        r#"true ? ["a"] : {a="b"}"#,
        "The 'true' value is tuple, but the 'false' value is object",
    );
    // Even when the condition is unknown (terraform: an error for var.unknown too).
    inconsistent(
        "local.u ? 1 : [1]",
        "The 'true' value is number, but the 'false' value is tuple",
    );
    assert_eq!(show("local.u ? 1 : \"x\""), "(unknown: get_env FOO unset)");
    inconsistent(
        "true ? 1 : [1]",
        "The 'true' value is number, but the 'false' value is tuple",
    );
    inconsistent(
        "false ? [true] : [1]",
        "Type mismatch for tuple element 0: The 'true' value is bool, but the 'false' value is number",
    );
    inconsistent(
        r#"true ? {a=[1]} : {a=["x"], b="q"}"#,
        "Type mismatch for object attribute \"a\": Type mismatch for tuple element 0: The 'true' value is number, but the 'false' value is string",
    );
}

#[test]
fn for_expressions() {
    assert_eq!(
        show("[for x in local.list : upper(x)]"),
        r#"["A", "B", "C"]"#
    );
    assert_eq!(show("[for i, x in local.list : i]"), "[0, 1, 2]");
    assert_eq!(
        show(r#"[for x in local.list : x if x != "b"]"#),
        r#"["a", "c"]"#
    );
    assert_eq!(
        show("{for u in local.users : u.name => u.role}"),
        r#"{ ann = "admin", bob = "dev", cid = "dev" }"#
    );
    assert_eq!(
        show("{for u in local.users : u.role => u.name...}"),
        r#"{ admin = ["ann"], dev = ["bob", "cid"] }"#
    );
    assert_eq!(
        show("[for k, v in local.tags : k]"),
        r#"["env", "kubernetes.io/role"]"#
    );
    assert_eq!(show("[for v in local.set : v]"), r#"["x", "y"]"#);
    assert!(error("{for u in local.users : u.role => u.name}").contains("Duplicate object key"));
    assert!(error("[for x in local.name : x]").contains("non-iterable"));
    assert!(error("[for x in local.nothing : x]").contains("null"));
    assert!(error(r#"[for x in local.list : x if "no"]"#).contains("bool"));
}

#[test]
fn function_calls_and_expansion() {
    assert_eq!(show("count_args()"), "0");
    assert_eq!(show("count_args(1, 2)"), "2");
    assert_eq!(show("count_args(local.list...)"), "3");
    assert_eq!(show("count_args(0, local.list...)"), "4");
    assert!(error("count_args(local.name...)").contains("expanding argument"));
    assert!(error("count_args(local.nothing...)").contains("must not be null"));
    let e = error("nosuch(1)");
    assert_eq!(
        e,
        "Call to unknown function: There is no function named \"nosuch\"."
    );
    assert!(error("provider::aws::arn_parse(1)").contains("Call to unknown function"));
    assert!(error("boom()").contains("Call to function \"boom\" failed: it went boom."));
    assert!(error("upper()").contains("Not enough function arguments"));
    assert!(error("upper(\"a\", \"b\")").contains("Too many function arguments"));
    assert!(error("upper(null)").contains("must not be null"));
}

#[test]
fn try_and_can_are_special_forms() {
    assert_eq!(show(r#"try(local.missing, "fallback")"#), r#""fallback""#);
    assert_eq!(show(r#"try(local.name, "fallback")"#), r#""app""#);
    assert_eq!(show(r#"try(local.users[9].name, local.list[0])"#), r#""a""#);
    assert_eq!(show("can(local.missing)"), "false");
    assert_eq!(show("can(local.name)"), "true");
    assert_eq!(show("can(nosuch())"), "false");
    let e = error("try(local.missing, local.also_missing)");
    assert!(e.contains("no expression succeeded"), "{e}");
    assert!(e.contains("also_missing"), "{e}");
    assert!(error("try()").contains("Not enough"));
    assert!(error("can(1, 2)").contains("Too many"));
}

/// hcl's tryfunc: a first successful argument that is not wholly known makes `try` wholly
/// unknown (never the known parts, never a later argument), and `can` unknown.
#[test]
fn try_and_can_of_partially_unknown_values_are_unknown() {
    for src in [
        "try(local.ulist, \"fallback\")",
        "try({ a = 1, b = local.u }, {})",
        "try(local.missing, [local.u], 1)",
    ] {
        let v = run(src).unwrap_or_else(|e| panic!("{src}: {e}"));
        assert!(matches!(v.data, tglint_hcl::Data::Unknown(_)), "{src}: {v}");
        assert_eq!(
            v.to_string(),
            "(unknown: run_cmd)".replace("run_cmd", reason(src)),
            "{src}"
        );
    }
    // A wholly known first success is the result, as before.
    assert_eq!(show("try(local.ulist[0], 0)"), "1");
    assert_eq!(show("try([1, 2], local.u)"), "[1, 2]");
    assert_eq!(show("can(local.ulist)"), "(unknown: run_cmd)");
    assert_eq!(show("can({ a = local.u })"), "(unknown: get_env FOO unset)");
    assert_eq!(show("can(local.missing[local.u])"), "false");
}

fn reason(src: &str) -> &'static str {
    if src.contains("ulist") {
        "run_cmd"
    } else {
        "get_env FOO unset"
    }
}

#[test]
fn origins_point_at_the_producing_expression() {
    let src = r#"{ a = local.name, b = "x${local.name}" }"#;
    let v = run(src).unwrap();
    let m = v.as_map().unwrap();
    // A pass-through value keeps no origin of this expression (the variable had none);
    // a computed one gets the span of its template.
    assert!(m["a"].origin.is_none());
    let b = m["b"].origin.unwrap().span;
    assert_eq!(&src[b.range()], r#""x${local.name}""#);
    let whole = v.origin.unwrap().span;
    assert_eq!(whole.range(), 0..src.len());
}

#[test]
fn deep_nesting_is_an_error_not_a_crash() {
    // The parser recurses up to its limit before refusing, which takes more than a test
    // thread's 2 MiB in a debug build (the binary's threads have 64 MiB; tests/nesting.rs).
    let t = std::thread::Builder::new().stack_size(64 << 20).spawn(|| {
        let depth = 10_000;
        let src = format!("{}1{}", "[".repeat(depth), "]".repeat(depth));
        // hcl-edit refuses this at parse time; either way nothing panics or overflows.
        assert!(parse_expr(FileId(0), &src).is_err());
        let src = format!("{}1{}", "(".repeat(depth), ")".repeat(depth));
        assert!(parse_expr(FileId(0), &src).is_err());
    });
    t.unwrap().join().unwrap();
    // Moderate nesting still evaluates.
    let src = format!("{}1{}", "[".repeat(30), "]".repeat(30));
    assert!(run(&src).is_ok());
}

/// The partial text of an unknown template, or `None`.
fn partial(src: &str) -> Option<(String, Vec<String>)> {
    match run(src).unwrap_or_else(|e| panic!("{src}: {e}")).data {
        tglint_hcl::Data::Unknown(u) => u.partial.map(|p| {
            (
                p.text.clone(),
                p.holes.iter().map(|h| h.to_string()).collect(),
            )
        }),
        d => panic!("{src}: expected an unknown, got {d:?}"),
    }
}

#[test]
fn unknown_interpolations_leave_a_partial_text() {
    assert_eq!(
        partial(r#""a-${local.name}-${local.u}-${local.n}""#),
        Some((
            "a-app-__tglint_unknown_0__-3".to_string(),
            vec!["get_env FOO unset".to_string()]
        ))
    );
    // The value itself is as unknown as before.
    assert_eq!(show(r#""x-${local.u}""#), "(unknown: get_env FOO unset)");
    // A template inside a template is spliced in, its placeholders renumbered.
    assert_eq!(
        partial(r#""${local.u}/${"in-${local.u}"}""#),
        Some((
            "__tglint_unknown_0__/in-__tglint_unknown_1__".to_string(),
            vec![
                "get_env FOO unset".to_string(),
                "get_env FOO unset".to_string()
            ]
        ))
    );
    // An unknown directive leaves nothing to render; what is computed from a partial
    // template (a function's result, a comparison) is not that template.
    assert_eq!(partial(r#""%{ if local.u }a%{ endif }""#), None);
    assert_eq!(partial(r#"upper("a${local.u}")"#), None);
    assert_eq!(partial(r#""a${local.u}" == "b""#), None);
    assert_eq!(partial("local.u"), None);
}

#[test]
fn placeholders_are_found_and_renumbered() {
    use tglint_hcl::Partial;
    assert_eq!(Partial::placeholder(3), "__tglint_unknown_3__");
    assert_eq!(
        Partial::holes_in("x __tglint_unknown_2__ __tglint_unknown_ __tglint_unknown_10__"),
        vec![2, 10]
    );
    assert_eq!(
        Partial::renumbered(
            "__tglint_unknown_0__-__tglint_unknown_x-__tglint_unknown_1__",
            2
        ),
        "__tglint_unknown_2__-__tglint_unknown_x-__tglint_unknown_3__"
    );
}

/// hcl evaluates both branches of a conditional and unifies their types; branches whose
/// types cannot unify are an error, whichever is taken (an error in the branch not taken
/// is still dropped).
#[test]
fn conditional_branch_types_must_unify() {
    for src in [
        "true ? 1 : [1]",
        r#"true ? "a" : {}"#,
        "true ? {} : []",
        "false ? 1 : false",
        "true ? [] : { a = 1 }",
    ] {
        assert!(
            error(src).contains("Inconsistent conditional result types"),
            "{src}"
        );
    }
    assert_eq!(show(r#"false ? 1 : "x""#), r#""x""#);
    assert_eq!(show(r#"true ? 1 : "x""#), r#""1""#);
    assert_eq!(show("true ? null : [1]"), "null");
    assert_eq!(show(r#"true ? 1 : tobool("x")"#), "1");
    assert_eq!(show("true ? local.u : [1]"), "(unknown: get_env FOO unset)");
}

/// cty's arithmetic: `x % 0` is `x`; an infinite operand of `%` makes it a product;
/// what IEEE makes NaN is an error; the sign of a zero is kept.
#[test]
fn arithmetic_corners_as_cty() {
    assert_eq!(show("5 % 0"), "5");
    assert_eq!(show("-5 % 0"), "-5");
    assert_eq!(show("7.5 % -2"), "1.5");
    assert_eq!(show("-7 % 3"), "-1");
    assert_eq!(show("2 % (1/0)"), "+Inf");
    for (src, msg) in [
        ("(1/0) - (1/0)", "can't subtract infinity from itself"),
        ("(1/0) + (-1/0)", "can't compute sum of opposing infinities"),
        ("(1/0) * 0", "can't multiply zero by infinity"),
        ("0 / 0", "can't divide zero by zero or infinity by infinity"),
        (
            "(1/0) / (1/0)",
            "can't divide zero by zero or infinity by infinity",
        ),
        ("0 % (1/0)", "can't use modulo with zero and infinity"),
    ] {
        assert!(error(src).contains(msg), "{src}: {}", error(src));
    }
    assert_eq!(show("-0"), "-0");
    assert_eq!(show("0 * -1"), "-0");
    assert_eq!(show("-(0)"), "-0");
    assert_eq!(show("--0"), "0");
    assert_eq!(show("-0 + 0"), "0");
    assert_eq!(show("-0 == 0"), "true");
    assert_eq!(show(r#"tonumber("-0")"#), "-0");
    assert_eq!(show(r#""x${-0}""#), r#""x-0""#);
    assert_eq!(show("abs(-0)"), "0");
}

/// Strings are in NFC, as cty makes every string, object attribute name and map key it
/// creates. Expected values are `terraform console`'s.
#[test]
fn strings_and_keys_are_normalised_to_nfc() {
    assert_eq!(show(r#""e\u0301" == "\u00e9""#), "true");
    assert_eq!(
        show(r#"sha256("e\u0301")"#),
        r#""4a99557e4033c3539de2eb65472017cad5f9557f7a0625a09f1c3f6e2ba69c4c""#
    );
    assert_eq!(
        show(r#"md5("\u212b")"#),
        r#""3ea084eb8d3d4a5309d82a0f014842fa""#
    );
    assert_eq!(show(r#"length("e\u0301")"#), "1");
    assert_eq!(show(r#"{"e\u0301" = 1}["\u00e9"]"#), "1");
    assert_eq!(show(r#"keys({"e\u0301" = 1, "\u00e9" = 2})"#), r#"["é"]"#);
    assert_eq!(show(r#"{"e\u0301" = 1, "\u00e9" = 2}["é"]"#), "2");
    assert_eq!(show(r#"upper("e\u0301")"#), r#""É""#);
    // The lone combining mark is not in the composed string.
    assert_eq!(show(r#"replace("e\u0301x", "\u0301", "Q")"#), r#""éx""#);
    // A template's result is normalised too.
    assert_eq!(show(r#""${"e"}${"\u0301"}" == "\u00e9""#), "true");
}
