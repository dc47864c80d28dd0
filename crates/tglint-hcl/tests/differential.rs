//! The differential test against Terraform: every expression of
//! `tests/differential/cases.txt` and a few thousand seeded random compositions are
//! evaluated by tglint (`jsonencode(E)` with Terraform's functions) and by the
//! `terraform` binary on PATH (`terraform console`, many expressions per process), and the
//! answers are compared: equal, both an error, or different. A difference fails the test
//! unless `tests/differential/allow.txt` lists the expression (with its reason; the
//! classes are explained in docs/fidelity.md). Without the binary the test says it was
//! skipped and passes.
//!
//! `terraform console` reads stdin line by line, prints only the last line's result and
//! stops at the first error, so each process gets ONE line:
//! `base64encode(jsonencode([try(jsonencode(E1), "!ERR"), …]))`. `try` turns an
//! expression's error into a marker that cannot be JSON; a batch that fails as a whole
//! (a parse error, a crash) is split in two until the culprit stands alone.
//!
//! Environment: `TGLINT_DIFFERENTIAL_VERBOSE=1` prints every listed disagreement with
//! both answers; `TGLINT_DIFFERENTIAL_DUMP=FILE` writes every disagreement (listed or
//! not) to FILE in the allow-list's format, for reviewing a new batch.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Instant;

use tglint_hcl::functions;
use tglint_hcl::{Data, EvalCtx, FileId, Vars, eval, parse_expr};

/// The seed of the random compositions (committed: the same expressions every run).
const SEED: u64 = 0x7467_6c69_6e74_0011;
/// How many random compositions.
const RANDOM_CASES: usize = 3000;
/// `bufio.Scanner`'s default limit is 64 KiB a line; stay well below it.
const MAX_LINE: usize = 48 * 1024;
/// The marker `try` yields for an expression Terraform refused.
const ERR: &str = "!ERR";

#[derive(Clone, Debug, PartialEq, Eq)]
enum Outcome {
    /// `jsonencode` of the value.
    Value(String),
    /// An error (the text is for the report only; errors are not compared).
    Error(String),
}

impl Outcome {
    fn show(&self) -> String {
        match self {
            Outcome::Value(v) => v.clone(),
            Outcome::Error(e) => format!("error: {e}"),
        }
    }
}

struct Case {
    expr: String,
    /// Where it came from: `cases.txt:LINE` or `random #N`.
    origin: String,
}

fn data_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/differential")
}

// ---- the case list ----------------------------------------------------------------

/// One expression a line; `#` starts a comment line; blank lines are skipped.
fn read_cases() -> Vec<Case> {
    let path = data_dir().join("cases.txt");
    let text = std::fs::read_to_string(&path).unwrap();
    text.lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty() && !l.trim_start().starts_with('#'))
        .map(|(i, l)| Case {
            expr: l.trim().to_string(),
            origin: format!("cases.txt:{}", i + 1),
        })
        .collect()
}

/// The allow-list: `@class NAME reason` headings (`@` begins no HCL expression), then one expression a line; `#` lines are
/// comments. Returns expression → class.
fn read_allow() -> BTreeMap<String, String> {
    let path = data_dir().join("allow.txt");
    let text = std::fs::read_to_string(&path).unwrap();
    let mut out = BTreeMap::new();
    let mut class = String::new();
    for (i, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        if let Some(rest) = line.strip_prefix("@class ") {
            let (name, reason) = rest
                .split_once(' ')
                .unwrap_or_else(|| panic!("allow.txt:{}: `@class NAME reason`", i + 1));
            assert!(
                !reason.trim().is_empty(),
                "allow.txt:{}: class {name} has no reason",
                i + 1
            );
            class = name.to_string();
            continue;
        }
        assert!(
            !class.is_empty(),
            "allow.txt:{}: an entry before any `@class NAME reason` heading",
            i + 1
        );
        out.insert(line.to_string(), class.clone());
    }
    out
}

// ---- the random compositions ------------------------------------------------------

/// SplitMix64: small, deterministic, good enough to pick productions.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    fn pick<'a>(&mut self, xs: &[&'a str]) -> &'a str {
        xs[self.below(xs.len())]
    }
    fn chance(&mut self, percent: usize) -> bool {
        self.below(100) < percent
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Ty {
    Num,
    Str,
    Bool,
    ListStr,
    ListNum,
    MapStr,
    Any,
}

const TYPES: [Ty; 6] = [
    Ty::Num,
    Ty::Str,
    Ty::Bool,
    Ty::ListStr,
    Ty::ListNum,
    Ty::MapStr,
];

/// Well-typed expressions of a type, with a chance (`ill` percent) at every node of an
/// argument of another type instead: Terraform's conversions and its errors.
struct Gen {
    rng: Rng,
    ill: usize,
}

impl Gen {
    fn g(&mut self, ty: Ty, depth: u32) -> String {
        let ty = if ty == Ty::Any || (depth > 0 && self.rng.chance(self.ill)) {
            TYPES[self.rng.below(TYPES.len())]
        } else {
            ty
        };
        if depth == 0 || self.rng.chance(25) {
            return self.leaf(ty);
        }
        let d = depth - 1;
        match ty {
            Ty::Num => self.num(d),
            Ty::Str => self.str(d),
            Ty::Bool => self.bool(d),
            Ty::ListStr => self.list_str(d),
            Ty::ListNum => self.list_num(d),
            Ty::MapStr => self.map_str(d),
            Ty::Any => unreachable!(),
        }
    }

    fn leaf(&mut self, ty: Ty) -> String {
        let r = &mut self.rng;
        match ty {
            Ty::Num => r
                .pick(&[
                    "0", "1", "2", "3", "7", "10", "-1", "-4", "0.5", "2.5", "1e3", "100", "-0",
                    "255", "42", "1.25",
                ])
                .into(),
            Ty::Str => r
                .pick(&[
                    r#""""#,
                    r#""a""#,
                    r#""abc""#,
                    r#""Hello World""#,
                    r#""a,b,c""#,
                    r#"" x ""#,
                    r#""10""#,
                    r#""-2.5""#,
                    r#""true""#,
                    r#""é""#,
                    r#""x\ny""#,
                    r#""10.0.0.0/16""#,
                    r#""ff""#,
                    r#""null""#,
                ])
                .into(),
            Ty::Bool => r.pick(&["true", "false"]).into(),
            Ty::ListStr => r
                .pick(&[
                    "[]",
                    r#"["a"]"#,
                    r#"["b", "a", "c"]"#,
                    r#"["x", "x", ""]"#,
                    r#"["1", "2"]"#,
                ])
                .into(),
            Ty::ListNum => r
                .pick(&["[]", "[1]", "[3, 1, 2]", "[0.5, -1]", "[10, 10]"])
                .into(),
            Ty::MapStr => r
                .pick(&[
                    "{}",
                    r#"{ a = "1" }"#,
                    r#"{ a = "x", b = "y" }"#,
                    r#"{ "k 1" = "v", z = "" }"#,
                ])
                .into(),
            Ty::Any => "null".into(),
        }
    }

    fn num(&mut self, d: u32) -> String {
        match self.rng.below(22) {
            0..=4 => {
                let op = self.rng.pick(&["+", "-", "*", "/", "%"]);
                format!("({} {op} {})", self.g(Ty::Num, d), self.g(Ty::Num, d))
            }
            5 => format!("-{}", self.g(Ty::Num, d)),
            6 => {
                let f = self.rng.pick(&["abs", "ceil", "floor", "signum"]);
                format!("{f}({})", self.g(Ty::Num, d))
            }
            7 => {
                let f = self.rng.pick(&["max", "min"]);
                format!("{f}({}, {})", self.g(Ty::Num, d), self.g(Ty::Num, d))
            }
            8 => format!("length({})", self.g(Ty::ListStr, d)),
            9 => format!("length({})", self.g(Ty::Str, d)),
            10 => format!("tonumber({})", self.g(Ty::Str, d)),
            11 => format!("sum({})", self.g(Ty::ListNum, d)),
            12 => format!(
                "({} ? {} : {})",
                self.g(Ty::Bool, d),
                self.g(Ty::Num, d),
                self.g(Ty::Num, d)
            ),
            13 => format!("length({})", self.g(Ty::MapStr, d)),
            14 => format!("index({}, {})", self.g(Ty::ListStr, d), self.g(Ty::Str, d)),
            15 => format!("parseint({}, 16)", self.g(Ty::Str, d)),
            16 => format!(
                "pow({}, {})",
                self.g(Ty::Num, d),
                self.rng.pick(&["0", "1", "2", "3", "0.5", "-1"])
            ),
            17 => format!(
                "element({}, {})",
                self.g(Ty::ListNum, d),
                self.g(Ty::Num, d)
            ),
            18 => format!("try({}, -1)", self.g(Ty::Num, d)),
            19 => format!("log({}, 2)", self.g(Ty::Num, d)),
            20 => format!("one({})", self.g(Ty::ListNum, d)),
            _ => format!("coalesce({}, {})", self.g(Ty::Num, d), self.g(Ty::Num, d)),
        }
    }

    fn str(&mut self, d: u32) -> String {
        match self.rng.below(30) {
            0 => {
                let f = self.rng.pick(&[
                    "upper",
                    "lower",
                    "title",
                    "trimspace",
                    "chomp",
                    "strrev",
                    "base64encode",
                    "md5",
                    "sha1",
                    "sha256",
                    "urlencode",
                    "tostring",
                ]);
                format!("{f}({})", self.g(Ty::Str, d))
            }
            1 => format!("join({}, {})", self.g(Ty::Str, d), self.g(Ty::ListStr, d)),
            2 => format!(
                "format({}, {}, {})",
                self.rng.pick(&[
                    r#""%s-%s""#,
                    r#""%d/%d""#,
                    r#""%v %v""#,
                    r#""%q:%s""#,
                    r#""%05.1f|%s""#,
                    r#""%x %X""#,
                    r#""%t %v""#,
                    r#""%-4s|%4s""#,
                ]),
                self.g(Ty::Any, d),
                self.g(Ty::Any, d)
            ),
            3 => format!(
                "\"${{{}}}-${{{}}}\"",
                self.g(Ty::Str, d),
                self.g(Ty::Num, d)
            ),
            4 => format!(
                "substr({}, {}, {})",
                self.g(Ty::Str, d),
                self.rng.pick(&["0", "1", "-1", "2", "10"]),
                self.rng.pick(&["0", "1", "-1", "3"])
            ),
            5 => format!(
                "replace({}, {}, {})",
                self.g(Ty::Str, d),
                self.rng
                    .pick(&[r#""a""#, r#""/[a-c]/""#, r#""""#, r#"",""#]),
                self.g(Ty::Str, d)
            ),
            6 => format!("tostring({})", self.g(Ty::Num, d)),
            7 => format!("jsonencode({})", self.g(Ty::Any, d)),
            8 => format!(
                "element({}, {})",
                self.g(Ty::ListStr, d),
                self.g(Ty::Num, d)
            ),
            9 => format!(
                "lookup({}, {}, {})",
                self.g(Ty::MapStr, d),
                self.g(Ty::Str, d),
                self.g(Ty::Str, d)
            ),
            10 => format!(
                "({} ? {} : {})",
                self.g(Ty::Bool, d),
                self.g(Ty::Str, d),
                self.g(Ty::Str, d)
            ),
            11 => format!(
                "trim({}, {})",
                self.g(Ty::Str, d),
                self.rng.pick(&[r#"" ""#, r#""ab""#, r#""""#])
            ),
            12 => format!("trimprefix({}, {})", self.g(Ty::Str, d), self.g(Ty::Str, d)),
            13 => format!(
                "cidrsubnet({}, {}, {})",
                self.rng
                    .pick(&[r#""10.0.0.0/16""#, r#""fd00::/56""#, r#""192.168.0.0/24""#]),
                self.rng.pick(&["0", "1", "4", "8", "16"]),
                self.g(Ty::Num, d)
            ),
            14 => format!(
                "cidrhost({}, {})",
                self.rng.pick(&[r#""10.0.0.0/24""#, r#""fd00::/120""#]),
                self.g(Ty::Num, d)
            ),
            15 => format!("coalesce({}, {})", self.g(Ty::Str, d), self.g(Ty::Str, d)),
            16 => format!(
                "indent({}, {})",
                self.rng.pick(&["0", "2"]),
                self.g(Ty::Str, d)
            ),
            17 => format!(
                "regex({}, {})",
                self.rng
                    .pick(&[r#""[a-z]+""#, r#""^.""#, r#""(.)""#, r#""x*""#]),
                self.g(Ty::Str, d)
            ),
            18 => format!(
                "\"%{{ for x in {} }}${{x}};%{{ endfor }}\"",
                self.g(Ty::ListStr, d)
            ),
            19 => format!(
                "\"%{{ if {} }}yes%{{ else }}no%{{ endif }}\"",
                self.g(Ty::Bool, d)
            ),
            20 => format!("base64decode(base64encode({}))", self.g(Ty::Str, d)),
            21 => format!("yamlencode({})", self.g(Ty::Any, d)),
            22 => format!("csvdecode({})[0].a", self.g(Ty::Str, d)),
            23 => format!("one({})", self.g(Ty::ListStr, d)),
            24 => format!(
                "formatdate({}, {})",
                self.rng.pick(&[
                    r#""YYYY-MM-DD""#,
                    r#""EEE, DD MMM YYYY hh:mm:ss ZZZ""#,
                    r#""h:mm aa""#
                ]),
                self.rng.pick(&[
                    r#""2024-02-29T13:04:05Z""#,
                    r#""2000-01-01T00:00:00+05:30""#,
                    r#""bad""#
                ])
            ),
            25 => format!(
                "timeadd({}, {})",
                self.rng
                    .pick(&[r#""2024-02-29T13:04:05Z""#, r#""2000-12-31T23:59:59Z""#]),
                self.rng
                    .pick(&[r#""1h""#, r#""-30m""#, r#""24h5s""#, r#""1d""#])
            ),
            26 => format!("keys({})[0]", self.g(Ty::MapStr, d)),
            27 => format!(
                "split({}, {})[0]",
                self.rng.pick(&[r#"",""#, r#""""#, r#""b""#]),
                self.g(Ty::Str, d)
            ),
            28 => format!("try({}, \"fallback\")", self.g(Ty::Str, d)),
            _ => format!("{}[0]", self.g(Ty::ListStr, d)),
        }
    }

    fn bool(&mut self, d: u32) -> String {
        match self.rng.below(14) {
            0..=2 => {
                let op = self.rng.pick(&["==", "!=", "<", ">=", "<=", ">"]);
                let ty = if op == "==" || op == "!=" {
                    TYPES[self.rng.below(TYPES.len())]
                } else {
                    Ty::Num
                };
                format!("({} {op} {})", self.g(ty, d), self.g(ty, d))
            }
            3 => format!("!{}", self.g(Ty::Bool, d)),
            4 | 5 => {
                let op = self.rng.pick(&["&&", "||"]);
                format!("({} {op} {})", self.g(Ty::Bool, d), self.g(Ty::Bool, d))
            }
            6 => format!(
                "contains({}, {})",
                self.g(Ty::ListStr, d),
                self.g(Ty::Str, d)
            ),
            7 => format!("can({})", self.g(Ty::Any, d)),
            8 => {
                let f = self.rng.pick(&["alltrue", "anytrue"]);
                format!("{f}([{}, {}])", self.g(Ty::Bool, d), self.g(Ty::Bool, d))
            }
            9 => format!("tobool({})", self.g(Ty::Str, d)),
            10 => format!(
                "({} ? {} : {})",
                self.g(Ty::Bool, d),
                self.g(Ty::Bool, d),
                self.g(Ty::Bool, d)
            ),
            11 => format!("({} == null)", self.g(Ty::Any, d)),
            12 => format!("can(regex(\"^a\", {}))", self.g(Ty::Str, d)),
            _ => format!(
                "contains(keys({}), {})",
                self.g(Ty::MapStr, d),
                self.g(Ty::Str, d)
            ),
        }
    }

    fn list_str(&mut self, d: u32) -> String {
        match self.rng.below(20) {
            0 => format!("[{}, {}]", self.g(Ty::Str, d), self.g(Ty::Str, d)),
            1 => format!(
                "split({}, {})",
                self.rng.pick(&[r#"",""#, r#""""#, r#"" ""#]),
                self.g(Ty::Str, d)
            ),
            2 => format!("keys({})", self.g(Ty::MapStr, d)),
            3 => format!("values({})", self.g(Ty::MapStr, d)),
            4 => {
                let f = self.rng.pick(&["sort", "distinct", "reverse", "compact"]);
                format!("{f}({})", self.g(Ty::ListStr, d))
            }
            5 => format!(
                "concat({}, {})",
                self.g(Ty::ListStr, d),
                self.g(Ty::ListStr, d)
            ),
            6 => format!(
                "slice({}, {}, {})",
                self.g(Ty::ListStr, d),
                self.rng.pick(&["0", "1"]),
                self.rng.pick(&["0", "1", "2"])
            ),
            7 => format!(
                "flatten([{}, [{}]])",
                self.g(Ty::ListStr, d),
                self.g(Ty::ListStr, d)
            ),
            8 => format!("tolist(toset({}))", self.g(Ty::ListStr, d)),
            9 => format!("[for x in {} : upper(x)]", self.g(Ty::ListStr, d)),
            10 => format!("[for x in {} : x if x != \"\"]", self.g(Ty::ListStr, d)),
            11 => format!("formatlist(\"%s!\", {})", self.g(Ty::ListStr, d)),
            12 => format!(
                "[for k, v in {} : \"${{k}}=${{v}}\"]",
                self.g(Ty::MapStr, d)
            ),
            13 => format!(
                "setsubtract({}, {})",
                self.g(Ty::ListStr, d),
                self.g(Ty::ListStr, d)
            ),
            14 => format!(
                "({} ? {} : {})",
                self.g(Ty::Bool, d),
                self.g(Ty::ListStr, d),
                self.g(Ty::ListStr, d)
            ),
            15 => format!("tolist({})", self.g(Ty::ListNum, d)),
            16 => format!("regexall(\"[a-z]\", {})", self.g(Ty::Str, d)),
            17 => format!("[for x in {} : tostring(x)]", self.g(Ty::ListNum, d)),
            18 => format!(
                "setunion({}, {})",
                self.g(Ty::ListStr, d),
                self.g(Ty::ListStr, d)
            ),
            _ => format!(
                "coalescelist({}, {})",
                self.g(Ty::ListStr, d),
                self.g(Ty::ListStr, d)
            ),
        }
    }

    fn list_num(&mut self, d: u32) -> String {
        match self.rng.below(10) {
            0 => format!("[{}, {}]", self.g(Ty::Num, d), self.g(Ty::Num, d)),
            1 => format!(
                "range({})",
                self.rng.pick(&["0", "3", "1, 4", "5, 0, -2", "0, 1, 0.25"])
            ),
            2 => format!("[for x in {} : x * 2]", self.g(Ty::ListNum, d)),
            3 => format!("sort({})", self.g(Ty::ListNum, d)),
            4 => format!("distinct({})", self.g(Ty::ListNum, d)),
            5 => format!("tolist(toset({}))", self.g(Ty::ListNum, d)),
            6 => format!("[for s in {} : length(s)]", self.g(Ty::ListStr, d)),
            7 => format!(
                "concat({}, {})",
                self.g(Ty::ListNum, d),
                self.g(Ty::ListNum, d)
            ),
            8 => format!("reverse({})", self.g(Ty::ListNum, d)),
            _ => format!("[for i, x in {} : i]", self.g(Ty::ListStr, d)),
        }
    }

    fn map_str(&mut self, d: u32) -> String {
        match self.rng.below(9) {
            0 => format!(
                "{{ a = {}, b = {} }}",
                self.g(Ty::Str, d),
                self.g(Ty::Str, d)
            ),
            1 => format!(
                "merge({}, {})",
                self.g(Ty::MapStr, d),
                self.g(Ty::MapStr, d)
            ),
            2 => format!(
                "zipmap({}, {})",
                self.g(Ty::ListStr, d),
                self.g(Ty::ListStr, d)
            ),
            3 => format!(
                "{{ for x in {} : x => upper(x)... }}",
                self.g(Ty::ListStr, d)
            ),
            4 => format!("{{ for x in {} : x => \"v\" }}", self.g(Ty::ListStr, d)),
            5 => format!("tomap({})", self.g(Ty::MapStr, d)),
            6 => format!("{{ for k, v in {} : v => k }}", self.g(Ty::MapStr, d)),
            7 => format!(
                "({} ? {} : {})",
                self.g(Ty::Bool, d),
                self.g(Ty::MapStr, d),
                self.g(Ty::MapStr, d)
            ),
            _ => format!(
                "{{ (\"k${{{}}}\") = {} }}",
                self.g(Ty::Num, d),
                self.g(Ty::Str, d)
            ),
        }
    }
}

fn random_cases() -> Vec<Case> {
    let mut g = Gen {
        rng: Rng(SEED),
        ill: 8,
    };
    let mut seen = BTreeSet::new();
    let mut out = Vec::new();
    let mut n = 0;
    while out.len() < RANDOM_CASES {
        n += 1;
        let ty = TYPES[g.rng.below(TYPES.len())];
        let depth = 1 + g.rng.below(3) as u32;
        let expr = g.g(ty, depth);
        if expr.len() > 2000 || !seen.insert(expr.clone()) {
            continue;
        }
        out.push(Case {
            expr,
            origin: format!("random #{n}"),
        });
    }
    out
}

// ---- the two evaluators -----------------------------------------------------------

fn tglint(expr: &str) -> Outcome {
    let src = format!("jsonencode({expr})");
    let parsed = match parse_expr(FileId(0), &src) {
        Ok(e) => e,
        Err(e) => return Outcome::Error(format!("parse: {e}")),
    };
    let vars = Vars::new();
    let fns = [functions::terraform()];
    let cx = EvalCtx::detached(&fns, &vars);
    match eval(&parsed, &cx) {
        Ok(v) => match &v.data {
            Data::String(s) => Outcome::Value(s.to_string()),
            _ => Outcome::Error(format!("not known: {v}")),
        },
        Err(e) => Outcome::Error(format!("{}: {}", e.summary, e.detail)),
    }
}

fn terraform_available() -> bool {
    Command::new("terraform")
        .arg("version")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .map(|s| s.success())
        .unwrap_or(false)
}

/// One `terraform console` process for `exprs`; `None` when the batch failed as a whole.
fn terraform_once(dir: &Path, exprs: &[&str]) -> Result<Vec<Outcome>, String> {
    let mut line = String::from("base64encode(jsonencode([");
    for (i, e) in exprs.iter().enumerate() {
        if i > 0 {
            line.push_str(", ");
        }
        write!(line, "try(jsonencode({e}), \"{ERR}\")").unwrap();
    }
    line.push_str("]))\n");
    let mut child = Command::new("terraform")
        .arg("console")
        .current_dir(dir)
        .env("TF_CLI_CONFIG_FILE", "/dev/null")
        .env("CHECKPOINT_DISABLE", "1")
        .env("TF_IN_AUTOMATION", "1")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| format!("spawn terraform: {e}"))?;
    {
        use std::io::Write as _;
        let mut stdin = child.stdin.take().unwrap();
        stdin.write_all(line.as_bytes()).unwrap();
    }
    let out = child.wait_with_output().unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    let fail = || {
        let msg: Vec<&str> = stderr
            .lines()
            .map(|l| {
                l.trim_matches(|c: char| c == '│' || c == '╷' || c == '╵' || c.is_whitespace())
            })
            .filter(|l| !l.is_empty())
            .collect();
        let msg = strip_ansi(&msg.join(" "));
        if msg.is_empty() {
            "terraform printed nothing".to_string()
        } else {
            msg
        }
    };
    if !out.status.success() {
        return Err(fail());
    }
    let b64 = stdout.trim().trim_matches('"');
    let json = base64_decode(b64).ok_or_else(fail)?;
    let items: Vec<String> = serde_json::from_slice(&json).map_err(|_| fail())?;
    if items.len() != exprs.len() {
        return Err(fail());
    }
    Ok(items
        .into_iter()
        .map(|s| {
            if s == ERR {
                Outcome::Error("terraform: an error (caught by try)".into())
            } else {
                Outcome::Value(s)
            }
        })
        .collect())
}

/// A batch, split in two while it fails as a whole.
fn terraform_batch(dir: &Path, exprs: &[&str], out: &mut Vec<Outcome>) {
    match terraform_once(dir, exprs) {
        Ok(v) => out.extend(v),
        Err(e) if exprs.len() == 1 => out.push(Outcome::Error(format!("terraform: {e}"))),
        Err(_) => {
            let mid = exprs.len() / 2;
            terraform_batch(dir, &exprs[..mid], out);
            terraform_batch(dir, &exprs[mid..], out);
        }
    }
}

/// Every expression through Terraform: batches of at most `MAX_LINE` bytes, a few
/// processes at a time.
fn terraform_all(exprs: &[&str]) -> Vec<Outcome> {
    let dir = std::env::temp_dir().join(format!("tglint-differential-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let mut batches: Vec<&[&str]> = Vec::new();
    let mut start = 0;
    let mut size = 0;
    for (i, e) in exprs.iter().enumerate() {
        let cost = e.len() + 40;
        if i > start && size + cost > MAX_LINE {
            batches.push(&exprs[start..i]);
            start = i;
            size = 0;
        }
        size += cost;
    }
    if start < exprs.len() {
        batches.push(&exprs[start..]);
    }
    let threads = std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(2)
        .clamp(1, 8);
    let mut results: Vec<Vec<Outcome>> = vec![Vec::new(); batches.len()];
    std::thread::scope(|s| {
        let chunks: Vec<Vec<(usize, &[&str])>> = (0..threads)
            .map(|t| {
                batches
                    .iter()
                    .enumerate()
                    .filter(|(i, _)| i % threads == t)
                    .map(|(i, b)| (i, *b))
                    .collect()
            })
            .collect();
        let handles: Vec<_> = chunks
            .into_iter()
            .enumerate()
            .map(|(t, chunk)| {
                // A directory per process: `terraform console` locks the (empty) state in
                // its working directory, and two consoles in one directory fail with
                // "Error acquiring the state lock".
                let dir = dir.join(format!("t{t}"));
                std::fs::create_dir_all(&dir).unwrap();
                s.spawn(move || {
                    let dir = &dir;
                    chunk
                        .into_iter()
                        .map(|(i, b)| {
                            let mut out = Vec::new();
                            terraform_batch(dir, b, &mut out);
                            (i, out)
                        })
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        for h in handles {
            for (i, out) in h.join().unwrap() {
                results[i] = out;
            }
        }
    });
    let _ = std::fs::remove_dir_all(&dir);
    results.into_iter().flatten().collect()
}

fn strip_ansi(s: &str) -> String {
    let mut out = String::new();
    let mut chars = s.chars();
    while let Some(c) = chars.next() {
        if c == '\u{1b}' {
            for c in chars.by_ref() {
                if c.is_ascii_alphabetic() {
                    break;
                }
            }
        } else {
            out.push(c);
        }
    }
    out
}

fn base64_decode(s: &str) -> Option<Vec<u8>> {
    let val = |c: u8| -> Option<u32> {
        Some(match c {
            b'A'..=b'Z' => c - b'A',
            b'a'..=b'z' => c - b'a' + 26,
            b'0'..=b'9' => c - b'0' + 52,
            b'+' => 62,
            b'/' => 63,
            _ => return None,
        } as u32)
    };
    let bytes = s.trim_end_matches('=').as_bytes();
    let mut out = Vec::with_capacity(bytes.len() * 3 / 4);
    for chunk in bytes.chunks(4) {
        let mut n = 0u32;
        for (i, &c) in chunk.iter().enumerate() {
            n |= val(c)? << (18 - 6 * i);
        }
        let k = chunk.len() - 1;
        out.extend_from_slice(&n.to_be_bytes()[1..1 + k]);
    }
    Some(out)
}

// ---- the comparison ---------------------------------------------------------------

#[derive(PartialEq, Eq, PartialOrd, Ord, Clone, Copy, Debug)]
enum Verdict {
    Equal,
    BothError,
    Differ,
}

fn verdict(tg: &Outcome, tf: &Outcome) -> Verdict {
    match (tg, tf) {
        (Outcome::Value(a), Outcome::Value(b)) if a == b => Verdict::Equal,
        (Outcome::Error(_), Outcome::Error(_)) => Verdict::BothError,
        _ => Verdict::Differ,
    }
}

#[test]
fn base64_decoder_round_trips() {
    assert_eq!(base64_decode("WyIyIl0=").unwrap(), br#"["2"]"#);
    assert_eq!(base64_decode("YQ==").unwrap(), b"a");
    assert_eq!(base64_decode("YWI=").unwrap(), b"ab");
    assert_eq!(base64_decode("YWJj").unwrap(), b"abc");
    assert!(base64_decode("Y$").is_none());
}

#[test]
fn generator_is_deterministic_and_varied() {
    let a = random_cases();
    let b = random_cases();
    assert_eq!(a.len(), RANDOM_CASES);
    assert!(a.iter().zip(&b).all(|(x, y)| x.expr == y.expr));
    // Every production family shows up.
    for needle in [
        "format(",
        "cidrsubnet(",
        "? ",
        "for ",
        "&&",
        "%{ if",
        "tolist(",
    ] {
        assert!(
            a.iter().any(|c| c.expr.contains(needle)),
            "no random case contains {needle}"
        );
    }
    // Every random case parses with tglint's parser (they are single-line HCL).
    for c in &a {
        assert!(!c.expr.contains('\n'), "{}", c.expr);
    }
}

#[test]
fn allow_list_is_well_formed() {
    let allow = read_allow();
    assert!(!allow.is_empty());
    let cases: BTreeSet<String> = read_cases().into_iter().map(|c| c.expr).collect();
    let random: BTreeSet<String> = random_cases().into_iter().map(|c| c.expr).collect();
    for expr in allow.keys() {
        assert!(
            cases.contains(expr) || random.contains(expr),
            "allow.txt lists an expression that is no case: {expr}"
        );
    }
}

#[test]
fn differential_against_terraform() {
    if !terraform_available() {
        eprintln!(
            "SKIP: terraform not on PATH (the differential test against Terraform did not run)"
        );
        return;
    }
    let mut cases = read_cases();
    let n_listed = cases.len();
    cases.extend(random_cases());
    let allow = read_allow();

    let start = Instant::now();
    let exprs: Vec<&str> = cases.iter().map(|c| c.expr.as_str()).collect();
    let tf = terraform_all(&exprs);
    let tf_time = start.elapsed();
    assert_eq!(tf.len(), cases.len());
    let start = Instant::now();
    let tg: Vec<Outcome> = cases.iter().map(|c| tglint(&c.expr)).collect();
    let tg_time = start.elapsed();

    let mut counts: BTreeMap<Verdict, usize> = BTreeMap::new();
    let mut new = Vec::new();
    let mut listed: BTreeMap<&str, usize> = BTreeMap::new();
    let mut stale = Vec::new();
    let mut dump = String::new();
    let verbose = std::env::var_os("TGLINT_DIFFERENTIAL_VERBOSE").is_some();
    for ((case, tg), tf) in cases.iter().zip(&tg).zip(&tf) {
        let v = verdict(tg, tf);
        *counts.entry(v).or_default() += 1;
        let report = format!(
            "{}: {}\n    tglint:    {}\n    terraform: {}",
            case.origin,
            case.expr,
            tg.show(),
            tf.show()
        );
        match (v, allow.get(&case.expr)) {
            (Verdict::Differ, Some(class)) => {
                *listed.entry(class).or_default() += 1;
                if verbose {
                    eprintln!("listed [{class}] {report}");
                }
                writeln!(
                    dump,
                    "# DIFF {}: tglint {} / terraform {} (listed: {class})\n{}",
                    case.origin,
                    tg.show(),
                    tf.show(),
                    case.expr
                )
                .unwrap();
            }
            (Verdict::Differ, None) => {
                writeln!(
                    dump,
                    "# DIFF {}: tglint {} / terraform {} (new)\n{}",
                    case.origin,
                    tg.show(),
                    tf.show(),
                    case.expr
                )
                .unwrap();
                new.push(report);
            }
            (_, Some(class)) => stale.push(format!("[{class}] {}", case.expr)),
            _ => {}
        }
    }
    if let Some(path) = std::env::var_os("TGLINT_DIFFERENTIAL_DUMP") {
        std::fs::write(path, &dump).unwrap();
    }
    eprintln!(
        "differential: {} expressions ({n_listed} listed cases, {RANDOM_CASES} random, seed {SEED:#x}); \
         equal {}, both error {}, differ {} ({} listed in allow.txt, {} new); \
         terraform {:.1} s, tglint {:.1} s",
        cases.len(),
        counts.get(&Verdict::Equal).unwrap_or(&0),
        counts.get(&Verdict::BothError).unwrap_or(&0),
        counts.get(&Verdict::Differ).unwrap_or(&0),
        listed.values().sum::<usize>(),
        new.len(),
        tf_time.as_secs_f64(),
        tg_time.as_secs_f64(),
    );
    for (class, n) in &listed {
        eprintln!("  known disagreement [{class}]: {n}");
    }
    for s in &stale {
        eprintln!("  listed in allow.txt but now agrees (remove it): {s}");
    }
    // Most answers must be values both agree on: a harness that compared nothing (every
    // batch failing, say) would otherwise pass.
    let equal = *counts.get(&Verdict::Equal).unwrap_or(&0);
    assert!(
        equal * 10 >= cases.len() * 6,
        "only {equal} of {} expressions agreed on a value",
        cases.len()
    );
    assert!(
        new.is_empty(),
        "{} new disagreements with Terraform (fix them, or list them in \
         tests/differential/allow.txt with a reason and in docs/fidelity.md):\n{}",
        new.len(),
        new.join("\n")
    );
}
