//! No input makes the parser or the evaluator panic: many generated expressions, built
//! from a small grammar of HCL pieces (some nonsensical on purpose), are parsed and, when
//! they parse, evaluated with variables of every kind, including unknowns and nulls.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use tglint_hcl::functions;
use tglint_hcl::{EvalCtx, FileId, Value, Vars, eval, parse_expr};

/// A small deterministic generator (xorshift), so failures reproduce.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        self.0 = x;
        x
    }
    fn pick<'a>(&mut self, xs: &[&'a str]) -> &'a str {
        xs[(self.next() % xs.len() as u64) as usize]
    }
}

const ATOMS: &[&str] = &[
    "null",
    "true",
    "false",
    "0",
    "1",
    "-1",
    "3.5",
    "1e308",
    "9223372036854775807",
    "\"\"",
    "\"a\"",
    "\"${v.s}\"",
    "\"%{ if v.b }x%{ endif }\"",
    "v.s",
    "v.n",
    "v.b",
    "v.l",
    "v.m",
    "v.u",
    "v.z",
    "v.l[0]",
    "v.l[9]",
    "v.m.k",
    "v.m[\"k\"]",
    "v.l[*]",
    "v.l.*",
    "v.missing",
    "[]",
    "{}",
    "v.u.x.y",
];
const FUNCS: &[&str] = &[
    "length",
    "upper",
    "join",
    "split",
    "merge",
    "concat",
    "lookup",
    "element",
    "keys",
    "values",
    "tostring",
    "tonumber",
    "tolist",
    "toset",
    "tomap",
    "jsonencode",
    "jsondecode",
    "yamlencode",
    "yamldecode",
    "format",
    "formatlist",
    "cidrsubnet",
    "cidrhost",
    "range",
    "flatten",
    "coalesce",
    "compact",
    "distinct",
    "sort",
    "reverse",
    "slice",
    "substr",
    "replace",
    "regex",
    "try",
    "can",
    "abs",
    "max",
    "min",
    "sum",
    "zipmap",
    "transpose",
    "setproduct",
    "chunklist",
    "base64decode",
    "csvdecode",
    "formatdate",
    "timeadd",
    "textdecodebase64",
    "urlencode",
    "indent",
    "title",
    "trim",
    "parseint",
    "pow",
    "log",
];
const OPS: &[&str] = &[
    "+", "-", "*", "/", "%", "==", "!=", "<", ">", "<=", ">=", "&&", "||",
];

fn expr(r: &mut Rng, depth: u32) -> String {
    if depth == 0 {
        return r.pick(ATOMS).to_string();
    }
    match r.next() % 9 {
        0 => format!(
            "{} {} {}",
            expr(r, depth - 1),
            r.pick(OPS),
            expr(r, depth - 1)
        ),
        1 => format!("!{}", expr(r, depth - 1)),
        2 => format!("-{}", expr(r, depth - 1)),
        3 => format!(
            "{} ? {} : {}",
            expr(r, depth - 1),
            expr(r, depth - 1),
            expr(r, depth - 1)
        ),
        4 => {
            let n = r.next() % 4;
            let args: Vec<String> = (0..n).map(|_| expr(r, depth - 1)).collect();
            let spread = if r.next().is_multiple_of(5) {
                "..."
            } else {
                ""
            };
            format!("{}({}{spread})", r.pick(FUNCS), args.join(", "))
        }
        5 => format!("[for x in {} : {}]", expr(r, depth - 1), expr(r, depth - 1)),
        6 => format!(
            "{{for k, x in {} : tostring(k) => {}...}}",
            expr(r, depth - 1),
            expr(r, depth - 1)
        ),
        7 => format!("[{}, {}]", expr(r, depth - 1), expr(r, depth - 1)),
        _ => format!(
            "\"${{{}}}-%{{ for x in {} }}${{x}}%{{ endfor }}\"",
            expr(r, depth - 1),
            expr(r, depth - 1)
        ),
    }
}

fn vars() -> Vars {
    let obj = |pairs: Vec<(&str, Value)>| {
        Value::object(pairs.into_iter().map(|(k, v)| (k.to_string(), v)).collect())
    };
    let mut v = Vars::new();
    v.insert(
        "v".into(),
        obj(vec![
            ("s", "10.0.0.0/16".into()),
            ("n", Value::int(7)),
            ("b", Value::bool(true)),
            ("z", Value::null()),
            ("u", Value::unknown("u")),
            (
                "l",
                Value::tuple(vec!["a".into(), Value::int(2), Value::unknown("e")]),
            ),
            ("m", obj(vec![("k", "v".into()), ("n", Value::null())])),
        ]),
    );
    v
}

#[test]
fn generated_expressions_never_panic() {
    let vars = vars();
    let fns = [functions::terraform()];
    let cx = EvalCtx::detached(&fns, &vars);
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    let (mut parsed, mut evaluated) = (0, 0);
    for i in 0..6000 {
        let src = expr(&mut rng, 1 + (i % 4));
        if let Ok(e) = parse_expr(FileId(0), &src) {
            parsed += 1;
            if eval(&e, &cx).is_ok() {
                evaluated += 1;
            }
        }
    }
    // The generator must exercise the evaluator, not only the parser's error paths.
    assert!(parsed > 3000, "only {parsed} expressions parsed");
    assert!(
        evaluated > 500,
        "only {evaluated} expressions evaluated without error"
    );
}
