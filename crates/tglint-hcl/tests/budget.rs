//! The evaluation budget: runaway expressions end with an error naming them, quickly, and
//! values that share their parts cost their distinct parts, not their size as trees.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::sync::Arc;
use tglint_hcl::functions;
use tglint_hcl::{
    Budget, Data, EvalCtx, EvalError, FileId, Limits, MemFiles, Origin, Resource, Span, Value,
    Vars, eval, parse_expr,
};

/// A value of 2^depth leaves that shares each level: a few dozen nodes in memory.
fn doubled(depth: u32) -> Value {
    let mut v = Value::string("x");
    for _ in 0..depth {
        v = Value::tuple(vec![v.clone(), v]);
    }
    v
}

fn run(src: &str, vars: &Vars, budget: &Budget, files: &MemFiles) -> Result<Value, EvalError> {
    let e = parse_expr(FileId(0), src).expect("parses");
    let fns = [functions::terraform()];
    let cx = EvalCtx {
        file: FileId(0),
        base_dir: std::path::Path::new("/t"),
        files,
        functions: &fns,
        vars,
        ext: None,
        budget: Some(budget),
    };
    eval(&e, &cx)
}

fn exceeded(r: Result<Value, EvalError>) -> (Resource, String) {
    match r {
        Err(e) => {
            let b = e
                .budget
                .unwrap_or_else(|| panic!("expected a budget error, got: {e}"));
            (b.resource, e.to_string())
        }
        Ok(v) => panic!("expected a budget error, got {v}"),
    }
}

#[test]
fn walks_over_shared_values_cost_their_distinct_parts() {
    // 2^60 leaves as a tree: a walk of the tree would never end.
    let v = doubled(60);
    assert!(v.is_wholly_known());
    let with_unknown = Value::tuple(vec![v.clone(), Value::unknown("run_cmd")]);
    assert_eq!(
        with_unknown.first_unknown().map(|u| &*u.reason),
        Some("run_cmd")
    );

    // Filling origins keeps the sharing: both halves still point at one collection.
    let mut filled = doubled(60);
    filled.fill_origin(Origin::new(Span::new(FileId(1), 0..1)));
    let Data::Seq(_, items) = &filled.data else {
        panic!("a tuple")
    };
    let (Data::Seq(_, a), Data::Seq(_, b)) = (&items[0].data, &items[1].data) else {
        panic!("tuples")
    };
    assert!(Arc::ptr_eq(a, b));
    assert!(items[0].origin.is_some());

    let mut mocked = doubled(60).with_origin(Some(Origin::new(Span::new(FileId(1), 0..1))));
    mocked.mark_mock();
    assert!(mocked.origin.is_some_and(|o| o.mock));
}

#[test]
fn a_value_that_doubles_by_sharing_is_refused_when_built() {
    let mut vars = Vars::new();
    vars.insert("big".into(), doubled(30));
    let b = Budget::default();
    let (r, msg) = exceeded(run("[big, big]", &vars, &b, &MemFiles::new()));
    assert_eq!(r, Resource::Values);
    assert!(msg.contains("Evaluation budget exceeded"), "{msg}");
    assert!(msg.contains("--limit values=N"), "{msg}");
    // The walk that charged it stopped at the limit.
    assert!(b.used(Resource::Values) <= Limits::DEFAULT.per_expression(Resource::Values) + 1);
}

#[test]
fn try_and_can_do_not_swallow_a_spent_budget() {
    let mut vars = Vars::new();
    vars.insert("big".into(), doubled(30));
    let b = Budget::default();
    let (r, _) = exceeded(run(
        "try([big, big], \"fallback\")",
        &vars,
        &b,
        &MemFiles::new(),
    ));
    assert_eq!(r, Resource::Values);
    let b = Budget::default();
    let (r, _) = exceeded(run("can([big, big])", &vars, &b, &MemFiles::new()));
    assert_eq!(r, Resource::Values);
}

#[test]
fn nested_for_loops_stop_on_the_step_or_value_limit() {
    let b = Budget::new(Limits::DEFAULT.with(Resource::Values, u64::MAX / 8));
    let src = "[for a in range(1000) : [for b in range(1000) : [for c in range(1000) : c]]]";
    let (r, _) = exceeded(run(src, &Vars::new(), &b, &MemFiles::new()));
    assert_eq!(r, Resource::Steps);
    assert!(b.used(Resource::Steps) <= Limits::DEFAULT.per_expression(Resource::Steps) + 1);

    let b = Budget::default();
    let (r, _) = exceeded(run(src, &Vars::new(), &b, &MemFiles::new()));
    assert_eq!(r, Resource::Values);
}

#[test]
fn template_loops_stop_on_the_size_of_the_string() {
    // Each iteration adds 100 bytes; the string would reach 100 MB.
    let body = "x".repeat(100);
    let src = format!(
        "\"%{{for a in range(1000)}}%{{for b in range(1000)}}{body}%{{endfor}}%{{endfor}}\""
    );
    let b = Budget::new(Limits::DEFAULT.with(Resource::Steps, u64::MAX / 8));
    let (r, msg) = exceeded(run(&src, &Vars::new(), &b, &MemFiles::new()));
    assert_eq!(r, Resource::Bytes, "{msg}");

    // Interpolations of a long string are checked before they are appended.
    let mut vars = Vars::new();
    vars.insert("s".into(), Value::string("y".repeat(1 << 20)));
    let b = Budget::default();
    let (r, _) = exceeded(run(
        "\"%{for a in range(100)}${s}%{endfor}\"",
        &vars,
        &b,
        &MemFiles::new(),
    ));
    assert_eq!(r, Resource::Bytes);
}

#[test]
fn templatefile_cannot_recurse() {
    let files = MemFiles::new()
        .with("/t/self.tpl", "${templatefile(\"self.tpl\", {})}")
        .with("/t/a.tpl", "a ${templatefile(\"b.tpl\", {})}")
        .with("/t/b.tpl", "b ${templatefile(\"a.tpl\", {})}")
        .with("/t/plain.tpl", "hello ${name}");
    for start in ["self.tpl", "a.tpl"] {
        let b = Budget::default();
        let src = format!("templatefile(\"{start}\", {{}})");
        let e = run(&src, &Vars::new(), &b, &files).expect_err("refused");
        assert!(
            e.to_string()
                .contains("cannot recursively call templatefile from inside templatefile call"),
            "{e}"
        );
    }
    let b = Budget::default();
    let v = run(
        "templatefile(\"plain.tpl\", { name = \"you\" })",
        &Vars::new(),
        &b,
        &files,
    )
    .expect("renders");
    assert_eq!(v.as_str(), Some("hello you"));
}

#[test]
fn a_yaml_alias_bomb_is_refused() {
    let mut y = String::from(
        "a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n",
    );
    let mut prev = 'a';
    for n in "bcdefghi".chars() {
        let refs = vec![format!("*{prev}"); 9].join(",");
        y.push_str(&format!("{n}: &{n} [{refs}]\n"));
        prev = n;
    }
    let files = MemFiles::new().with("/t/bomb.yaml", y);
    let b = Budget::default();
    let (r, _) = exceeded(run(
        "yamldecode(file(\"bomb.yaml\"))",
        &Vars::new(),
        &b,
        &files,
    ));
    assert_eq!(r, Resource::Values);
}

#[test]
fn ordinary_expressions_fit_the_default_budget() {
    let b = Budget::default();
    let src = "{ for k, v in { a = 1, b = 2 } : k => [for i in range(v) : \"${k}-${i}\"] }";
    let v = run(src, &Vars::new(), &b, &MemFiles::new()).expect("evaluates");
    assert_eq!(v.to_string(), r#"{ a = ["a-0"], b = ["b-0", "b-1"] }"#);
    assert!(b.used(Resource::Steps) < 100);
}
