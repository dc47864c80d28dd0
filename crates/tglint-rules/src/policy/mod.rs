//! Policy as code (DESIGN §4, `docs/policy.md`): the embedded pack
//! `rules/reference-architecture.hcl`, extended or overridden by the user's `.tglint.hcl`
//! (or `--config FILE`).
//!
//! A policy file holds:
//!
//! - `environment "<kind>" { match = [globs], protected = bool, regions = [..] }`: the
//!   environment kinds, each matching environment *names* by glob;
//! - `rule "<id>" { enabled = bool, severity = "error|warning|info|off", <options> }`;
//! - `module "<name>" { address = "org/name/provider", version = "x.y.z", aliases = [globs] }`:
//!   the modules rules know by name; `version` pins it (`module-pinned`), `aliases` count a
//!   vendored local path as that module;
//! - `exclude = [globs]`: unit directories not checked;
//! - `classify { environment = <expr>, region = <expr> }`: how a unit's environment and
//!   region names are found (expressions over `unit`);
//! - `check "<name>" { when, condition, error_message, severity }`: the user's own checks.
//!
//! A later file changes what an earlier one set, attribute by attribute; `exclude` grows;
//! `check` blocks are added. Anything unknown — a block, an attribute, a rule id, an
//! option — is a `policy-error` naming the closest valid name.

pub mod classify;

use crate::rule::{Level, Rule};
use globset::{Glob, GlobSet, GlobSetBuilder};
use std::collections::BTreeMap;
use tglint_model::diag::{Diagnostic, ids};
use tglint_model::hcl::hcl_edit::Span as _;
use tglint_model::hcl::hcl_edit::expr::Expression;
use tglint_model::hcl::hcl_edit::structure::{Attribute, Block, Body, Structure};
use tglint_model::hcl::syntax::suggest;
use tglint_model::hcl::{Data, EvalCtx, FileId, Span, Value, Vars, eval, functions};

/// The reference architecture's policy, embedded in the binary.
pub const EMBEDDED: &str = include_str!("../../../../rules/reference-architecture.hcl");
/// How reports name the embedded pack.
pub const EMBEDDED_NAME: &str = "(embedded) rules/reference-architecture.hcl";

/// An environment kind: which names it covers and what the architecture asks of it.
#[derive(Clone, Debug)]
pub struct Environment {
    pub kind: String,
    /// Globs over environment names (`prod`, `prod-*`, `production`).
    pub matches: Vec<String>,
    matcher: GlobSet,
    /// Deletion protection and encryption are required (uat and prod).
    pub protected: bool,
    /// Where units of this kind may live; empty: anywhere.
    pub regions: Vec<String>,
    pub span: Span,
}

impl Environment {
    pub fn matches(&self, name: &str) -> bool {
        self.matcher.is_match(name)
    }
}

/// A rule's settings.
#[derive(Clone, Debug, Default)]
pub struct RuleConfig {
    pub enabled: Option<bool>,
    pub severity: Option<Level>,
    /// The rule's own options, as JSON (decoded by the rule with serde).
    pub options: serde_json::Map<String, serde_json::Value>,
    /// Where the block is (the last file that set it).
    pub span: Option<Span>,
}

/// A module rules know by name.
#[derive(Clone, Debug)]
pub struct ModuleSpec {
    pub name: String,
    /// `org/name/provider`.
    pub address: String,
    /// The version `module-pinned` requires, if the policy pins one.
    pub version: Option<String>,
    /// Globs over local source paths counted as this module (a vendored copy).
    pub aliases: Vec<String>,
    matcher: GlobSet,
    pub span: Span,
}

impl ModuleSpec {
    pub fn alias_matches(&self, path: &str) -> bool {
        self.matcher.is_match(path)
    }
}

/// A user `check` block: expressions evaluated over `unit`.
#[derive(Clone, Debug)]
pub struct Check {
    pub name: String,
    pub when: Option<Expression>,
    pub condition: Expression,
    pub error_message: Option<Expression>,
    pub severity: Level,
    /// The file the block is in (its expressions' spans are in it).
    pub file: FileId,
    pub span: Span,
}

/// How names are found for classification: expressions over `unit`.
#[derive(Clone, Debug, Default)]
pub struct Classify {
    pub environment: Option<(FileId, Expression)>,
    pub region: Option<(FileId, Expression)>,
}

/// Command-line settings a policy file may give (`defaults { … }`); a flag on the command
/// line wins over them. Values are checked when the policy loads.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Defaults {
    /// `--fail-on`: error, warning, info or never.
    pub fail_on: Option<String>,
    /// `--unknown`: ignore, info, warning or error.
    pub unknown: Option<String>,
    /// `--env`: only units of these environment kinds or names.
    pub env: Option<Vec<String>>,
    /// `--rule`: only these rules.
    pub rules: Option<Vec<String>>,
    /// `--jobs`: threads (at least 1).
    pub jobs: Option<usize>,
    /// `--quiet`.
    pub quiet: Option<bool>,
}

/// The values `defaults.fail_on` and `--fail-on` take.
pub const FAIL_ON: &[&str] = &["error", "warning", "info", "never"];
/// The values `defaults.unknown` and `--unknown` take.
pub const UNKNOWN: &[&str] = &["ignore", "info", "warning", "error"];

/// Rule options decoded into each rule's own type, once per policy ([`Policy::decoded`]):
/// a rule reads its options for every unit it checks. A clone starts empty.
#[derive(Default)]
pub struct Decoded(std::sync::RwLock<DecodedMap>);

type DecodedMap = std::collections::HashMap<
    (String, std::any::TypeId),
    std::sync::Arc<dyn std::any::Any + Send + Sync>,
>;

impl Clone for Decoded {
    fn clone(&self) -> Decoded {
        Decoded::default()
    }
}

impl std::fmt::Debug for Decoded {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Decoded")
    }
}

/// The loaded policy.
#[derive(Clone, Debug, Default)]
pub struct Policy {
    /// The rules' options as their types, decoded once.
    pub decoded: Decoded,
    pub defaults: Defaults,
    pub environments: Vec<Environment>,
    pub rules: BTreeMap<String, RuleConfig>,
    pub modules: BTreeMap<String, ModuleSpec>,
    pub exclude: Vec<String>,
    exclude_set: Option<GlobSet>,
    pub classify: Classify,
    pub checks: Vec<Check>,
}

impl Policy {
    /// The environment kind a name belongs to: the first kind (in declaration order) with a
    /// matching glob.
    pub fn kind_of(&self, name: &str) -> Option<&Environment> {
        self.environments.iter().find(|e| e.matches(name))
    }

    pub fn environment(&self, kind: &str) -> Option<&Environment> {
        self.environments.iter().find(|e| e.kind == kind)
    }

    /// Whether the unit directory is excluded from checking.
    pub fn excluded(&self, dir: &str) -> bool {
        self.exclude_set.as_ref().is_some_and(|s| s.is_match(dir))
    }

    /// The level `rule` reports at: its policy severity, `Off` when disabled, else its
    /// default.
    pub fn level(&self, rule: &dyn Rule) -> Level {
        let meta = rule.meta();
        match self.rules.get(meta.id) {
            Some(c) if c.enabled == Some(false) => Level::Off,
            Some(RuleConfig {
                severity: Some(s), ..
            }) => *s,
            _ => meta.default_level,
        }
    }

    /// The level of a reserved id the policy may configure (`deprecated`, `unsupported`,
    /// `unclassified`, `suppression`, `baseline`), if it configures it.
    pub fn reserved_level(&self, id: &str) -> Option<Level> {
        let c = self.rules.get(id)?;
        if c.enabled == Some(false) {
            return Some(Level::Off);
        }
        c.severity
    }

    /// Rule `id`'s options as `T`, made by `decode` the first time they are asked for.
    pub fn decoded<T: Send + Sync + 'static>(
        &self,
        id: &str,
        decode: impl FnOnce() -> T,
    ) -> std::sync::Arc<T> {
        let key = (id.to_string(), std::any::TypeId::of::<T>());
        if let Ok(m) = self.decoded.0.read()
            && let Some(v) = m.get(&key)
            && let Ok(t) = v.clone().downcast::<T>()
        {
            return t;
        }
        let t = std::sync::Arc::new(decode());
        if let Ok(mut m) = self.decoded.0.write() {
            m.insert(key, t.clone());
        }
        t
    }

    pub fn options(&self, id: &str) -> serde_json::Value {
        self.rules
            .get(id)
            .map(|c| serde_json::Value::Object(c.options.clone()))
            .unwrap_or(serde_json::Value::Null)
    }
}

/// Loads the embedded pack and then the user's policy (`user`: the path reports name it
/// by, and its text), through the tree's source cache so that policy errors point at
/// lines like any other diagnostic.
pub fn load_files(
    cache: &tglint_model::source::SourceCache,
    user: Option<(&std::path::Path, &str)>,
    rules: &[&dyn Rule],
) -> (Policy, Vec<Diagnostic>) {
    let mut files = vec![cache.add_text(
        std::path::Path::new("/<embedded>/rules/reference-architecture.hcl"),
        EMBEDDED_NAME,
        EMBEDDED,
    )];
    if let Some((path, text)) = user {
        let rel = tglint_model::fs::relative(path, cache.root());
        let rel = if rel.starts_with("..") {
            path.display().to_string()
        } else {
            rel
        };
        files.push(cache.add_text(path, &rel, text));
    }
    let mut diags = Vec::new();
    let mut bodies = Vec::new();
    for f in &files {
        match cache.body(f) {
            Ok(b) => bodies.push((f.id, b)),
            Err(tglint_model::source::BodyError::Parse(e)) => diags.push(
                Diagnostic::at(ids::POLICY_ERROR, e.message.clone(), e.span)
                    .with_help("fix the policy file's syntax"),
            ),
            Err(tglint_model::source::BodyError::Read(e)) => diags.push(Diagnostic::new(
                ids::POLICY_ERROR,
                format!("{}: {e}", f.rel),
                tglint_model::diag::Label::file_start(f.id),
            )),
        }
    }
    let sources: Vec<Source<'_>> = bodies
        .iter()
        .map(|(file, body)| Source { file: *file, body })
        .collect();
    let (policy, more) = load(&sources, rules);
    diags.extend(more);
    (policy, diags)
}

/// One policy file to load: its id in the source cache and its syntax.
pub struct Source<'a> {
    pub file: FileId,
    pub body: &'a Body,
}

/// Loads `sources` in order (the embedded pack first), checking rule ids and options
/// against `rules`. Problems are `policy-error` diagnostics; the policy is still usable
/// for what loaded.
pub fn load(sources: &[Source<'_>], rules: &[&dyn Rule]) -> (Policy, Vec<Diagnostic>) {
    let mut l = Loader {
        policy: Policy::default(),
        diags: Vec::new(),
        rules,
        file: FileId(0),
    };
    for s in sources {
        l.file = s.file;
        l.body(s.body);
    }
    l.finish();
    (l.policy, l.diags)
}

/// The reserved ids the policy may configure with a `rule` block.
pub const CONFIGURABLE_RESERVED: &[&str] = &[
    "deprecated",
    "unsupported",
    "unclassified",
    "suppression",
    "baseline",
];

const TOP_BLOCKS: &[&str] = &[
    "environment",
    "rule",
    "module",
    "classify",
    "check",
    "defaults",
];
const DEFAULTS_ATTRIBUTES: &[&str] = &["fail_on", "unknown", "env", "rules", "jobs", "quiet"];
const TOP_ATTRIBUTES: &[&str] = &["exclude"];
const ENVIRONMENT_ATTRIBUTES: &[&str] = &["match", "protected", "regions"];
const MODULE_ATTRIBUTES: &[&str] = &["address", "version", "aliases"];
const CLASSIFY_ATTRIBUTES: &[&str] = &["environment", "region"];
const CHECK_ATTRIBUTES: &[&str] = &["when", "condition", "error_message", "severity"];

struct Loader<'r> {
    policy: Policy,
    diags: Vec<Diagnostic>,
    rules: &'r [&'r dyn Rule],
    file: FileId,
}

/// ` Did you mean "x"?` for the closest candidate.
fn did_you_mean<'a>(name: &str, candidates: impl IntoIterator<Item = &'a str>) -> String {
    match suggest(name, candidates) {
        Some(s) => format!(" Did you mean \"{s}\"?"),
        None => String::new(),
    }
}

impl Loader<'_> {
    fn span(&self, r: Option<std::ops::Range<usize>>) -> Span {
        Span::new(self.file, r.unwrap_or(0..0))
    }

    fn error(&mut self, span: Span, msg: impl Into<String>) {
        self.diags
            .push(Diagnostic::at(ids::POLICY_ERROR, msg, span));
    }

    /// Evaluates a policy attribute: constant expressions with Terraform's functions.
    fn value(&mut self, a: &Attribute) -> Option<Value> {
        let vars = Vars::new();
        let fns = [functions::terraform()];
        let mut cx = EvalCtx::detached(&fns, &vars);
        cx.file = self.file;
        match eval(&a.value, &cx) {
            Ok(v) if v.is_wholly_known() => Some(v),
            Ok(_) => {
                let s = self.span(a.value.span());
                self.error(
                    s,
                    format!(
                        "`{}` must be known: policy values are constants",
                        a.key.as_str()
                    ),
                );
                None
            }
            Err(e) => {
                self.error(e.span, format!("`{}`: {e}", a.key.as_str()));
                None
            }
        }
    }

    fn bool_attr(&mut self, a: &Attribute) -> Option<bool> {
        let v = self.value(a)?;
        match v.as_bool() {
            Some(b) => Some(b),
            None => {
                let s = self.span(a.value.span());
                self.error(
                    s,
                    format!("`{}` must be a bool, not {}", a.key.as_str(), v.type_name()),
                );
                None
            }
        }
    }

    fn string_attr(&mut self, a: &Attribute) -> Option<String> {
        let v = self.value(a)?;
        match v.as_str() {
            Some(s) => Some(s.to_string()),
            None => {
                let s = self.span(a.value.span());
                self.error(
                    s,
                    format!(
                        "`{}` must be a string, not {}",
                        a.key.as_str(),
                        v.type_name()
                    ),
                );
                None
            }
        }
    }

    fn strings_attr(&mut self, a: &Attribute) -> Option<Vec<String>> {
        let v = self.value(a)?;
        let items = v.as_seq().and_then(|items| {
            items
                .iter()
                .map(|x| x.as_str().map(str::to_string))
                .collect::<Option<Vec<_>>>()
        });
        if items.is_none() {
            let s = self.span(a.value.span());
            self.error(s, format!("`{}` must be a list of strings", a.key.as_str()));
        }
        items
    }

    fn globs(&mut self, a: &Attribute, globs: &[String]) -> GlobSet {
        let mut b = GlobSetBuilder::new();
        for g in globs {
            match Glob::new(g) {
                Ok(g) => {
                    b.add(g);
                }
                Err(e) => {
                    let s = self.span(a.value.span());
                    self.error(s, format!("`{}`: invalid glob `{g}`: {e}", a.key.as_str()));
                }
            }
        }
        b.build().unwrap_or_else(|_| GlobSet::empty())
    }

    fn unknown_attribute(&mut self, a: &Attribute, place: &str, valid: &[&str]) {
        let name = a.key.as_str();
        let s = self.span(a.key.span());
        self.error(
            s,
            format!(
                "unknown attribute `{name}` {place}.{}",
                did_you_mean(name, valid.iter().copied())
            ),
        );
    }

    fn one_label(&mut self, b: &Block) -> Option<String> {
        match b.labels.as_slice() {
            [l] => Some(l.as_str().to_string()),
            _ => {
                let s = self.span(b.ident.span());
                self.error(
                    s,
                    format!("a `{}` block takes exactly one label", b.ident.as_str()),
                );
                None
            }
        }
    }

    fn body(&mut self, body: &Body) {
        for s in body.iter() {
            match s {
                Structure::Attribute(a) if a.key.as_str() == "exclude" => {
                    if let Some(globs) = self.strings_attr(a) {
                        self.policy.exclude.extend(globs);
                    }
                }
                Structure::Attribute(a) => {
                    self.unknown_attribute(a, "at the top of a policy file", TOP_ATTRIBUTES)
                }
                Structure::Block(b) => match b.ident.as_str() {
                    "environment" => self.environment(b),
                    "rule" => self.rule(b),
                    "module" => self.module(b),
                    "classify" => self.classify(b),
                    "check" => self.check(b),
                    "defaults" => self.defaults(b),
                    other => {
                        let s = self.span(b.ident.span());
                        self.error(
                            s,
                            format!(
                                "unknown block `{other}` in a policy file.{}",
                                did_you_mean(other, TOP_BLOCKS.iter().copied())
                            ),
                        );
                    }
                },
            }
        }
    }

    fn no_blocks(&mut self, b: &Block) {
        for s in b.body.iter() {
            if let Structure::Block(inner) = s {
                let sp = self.span(inner.ident.span());
                self.error(
                    sp,
                    format!(
                        "a `{}` block holds no blocks (`{}` found)",
                        b.ident.as_str(),
                        inner.ident.as_str()
                    ),
                );
            }
        }
    }

    fn environment(&mut self, b: &Block) {
        let Some(kind) = self.one_label(b) else {
            return;
        };
        self.no_blocks(b);
        let span = self.span(b.span());
        let pos = self.policy.environments.iter().position(|e| e.kind == kind);
        let mut env = match pos {
            Some(i) => self.policy.environments[i].clone(),
            None => Environment {
                kind: kind.clone(),
                matches: vec![kind.clone()],
                matcher: GlobSet::empty(),
                protected: false,
                regions: Vec::new(),
                span,
            },
        };
        let mut match_attr = None;
        for a in attributes(b) {
            match a.key.as_str() {
                "match" => {
                    if let Some(m) = self.strings_attr(a) {
                        env.matches = m;
                        match_attr = Some(a);
                    }
                }
                "protected" => {
                    if let Some(p) = self.bool_attr(a) {
                        env.protected = p;
                    }
                }
                "regions" => {
                    if let Some(r) = self.strings_attr(a) {
                        env.regions = r;
                    }
                }
                _ => self.unknown_attribute(a, "in an environment block", ENVIRONMENT_ATTRIBUTES),
            }
        }
        let globs = env.matches.clone();
        env.matcher = match match_attr {
            Some(a) => self.globs(a, &globs),
            None => plain_globs(&globs),
        };
        env.span = span;
        match pos {
            Some(i) => self.policy.environments[i] = env,
            None => self.policy.environments.push(env),
        }
    }

    fn rule(&mut self, b: &Block) {
        let Some(id) = self.one_label(b) else { return };
        self.no_blocks(b);
        let known = self.rules.iter().any(|r| r.meta().id == id)
            || CONFIGURABLE_RESERVED.contains(&id.as_str());
        if !known {
            let s = self.span(b.labels.first().and_then(|l| l.span()));
            let candidates: Vec<&str> = self
                .rules
                .iter()
                .map(|r| r.meta().id)
                .chain(CONFIGURABLE_RESERVED.iter().copied())
                .collect();
            let msg = format!(
                "unknown rule `{id}`.{}",
                did_you_mean(&id, candidates.iter().copied())
            );
            self.error(s, msg);
            return;
        }
        let mut cfg = self.policy.rules.get(&id).cloned().unwrap_or_default();
        cfg.span = Some(self.span(b.span()));
        for a in attributes(b) {
            match a.key.as_str() {
                "enabled" => cfg.enabled = self.bool_attr(a).or(cfg.enabled),
                "severity" => {
                    if let Some(s) = self.string_attr(a) {
                        match Level::parse(&s) {
                            Some(l) => cfg.severity = Some(l),
                            None => {
                                let sp = self.span(a.value.span());
                                self.error(
                                    sp,
                                    format!(
                                        "severity `{s}` is not one of error, warning, info, off.{}",
                                        did_you_mean(&s, ["error", "warning", "info", "off"])
                                    ),
                                );
                            }
                        }
                    }
                }
                key => {
                    if let Some(v) = self.value(a) {
                        cfg.options.insert(key.to_string(), to_json(&v));
                    }
                }
            }
        }
        self.policy.rules.insert(id, cfg);
    }

    fn module(&mut self, b: &Block) {
        let Some(name) = self.one_label(b) else {
            return;
        };
        self.no_blocks(b);
        let span = self.span(b.span());
        let mut m = self
            .policy
            .modules
            .get(&name)
            .cloned()
            .unwrap_or(ModuleSpec {
                name: name.clone(),
                address: String::new(),
                version: None,
                aliases: Vec::new(),
                matcher: GlobSet::empty(),
                span,
            });
        for a in attributes(b) {
            match a.key.as_str() {
                "address" => {
                    if let Some(s) = self.string_attr(a) {
                        m.address = s;
                    }
                }
                "version" => m.version = self.string_attr(a).or(m.version.take()),
                "aliases" => {
                    if let Some(g) = self.strings_attr(a) {
                        m.matcher = self.globs(a, &g);
                        m.aliases = g;
                    }
                }
                _ => self.unknown_attribute(a, "in a module block", MODULE_ATTRIBUTES),
            }
        }
        if m.address.is_empty() {
            self.error(span, format!("module \"{name}\" needs an `address`"));
            return;
        }
        m.span = span;
        self.policy.modules.insert(name, m);
    }

    fn classify(&mut self, b: &Block) {
        self.no_blocks(b);
        if !b.labels.is_empty() {
            let s = self.span(b.ident.span());
            self.error(s, "a `classify` block takes no label");
        }
        for a in attributes(b) {
            let e = Some((self.file, a.value.clone()));
            match a.key.as_str() {
                "environment" => self.policy.classify.environment = e,
                "region" => self.policy.classify.region = e,
                _ => self.unknown_attribute(a, "in a classify block", CLASSIFY_ATTRIBUTES),
            }
        }
    }

    /// `defaults { fail_on = "warning" … }`: the command line's settings; a later file's
    /// attribute replaces an earlier one's.
    fn defaults(&mut self, b: &Block) {
        self.no_blocks(b);
        if !b.labels.is_empty() {
            let s = self.span(b.ident.span());
            self.error(s, "a `defaults` block takes no label");
        }
        for a in attributes(b) {
            match a.key.as_str() {
                "fail_on" => self.policy.defaults.fail_on = self.choice(a, FAIL_ON),
                "unknown" => self.policy.defaults.unknown = self.choice(a, UNKNOWN),
                "env" => self.policy.defaults.env = self.strings_attr(a),
                "rules" => {
                    let Some(ids) = self.strings_attr(a) else {
                        continue;
                    };
                    for id in &ids {
                        if !self.rules.iter().any(|r| r.meta().id == id) {
                            let s = self.span(a.value.span());
                            let known = self.rules.iter().map(|r| r.meta().id);
                            let hint = did_you_mean(id, known);
                            self.error(s, format!("`rules`: no rule is named `{id}`.{hint}"));
                        }
                    }
                    self.policy.defaults.rules = Some(ids);
                }
                "jobs" => {
                    let v = self.value(a);
                    match v.as_ref().and_then(|v| v.as_number()).map(|n| n.as_f64()) {
                        Some(n) if n >= 1.0 && n.fract() == 0.0 && n <= 1024.0 => {
                            self.policy.defaults.jobs = Some(n as usize)
                        }
                        _ if v.is_none() => {}
                        _ => {
                            let s = self.span(a.value.span());
                            self.error(s, "`jobs` must be a whole number from 1 to 1024");
                        }
                    }
                }
                "quiet" => self.policy.defaults.quiet = self.bool_attr(a),
                _ => self.unknown_attribute(a, "in a defaults block", DEFAULTS_ATTRIBUTES),
            }
        }
    }

    /// A string attribute that must be one of `valid`.
    fn choice(&mut self, a: &Attribute, valid: &[&str]) -> Option<String> {
        let v = self.string_attr(a)?;
        if valid.contains(&v.as_str()) {
            return Some(v);
        }
        let s = self.span(a.value.span());
        // A prefix ("warn") is the likeliest slip; else the closest by edits.
        let hint = match valid
            .iter()
            .find(|c| !v.is_empty() && c.starts_with(v.as_str()))
        {
            Some(c) => format!(" Did you mean \"{c}\"?"),
            None => did_you_mean(&v, valid.iter().copied()),
        };
        self.error(
            s,
            format!(
                "`{}` must be one of {}, not \"{v}\".{hint}",
                a.key.as_str(),
                valid.join(", "),
            ),
        );
        None
    }

    fn check(&mut self, b: &Block) {
        let Some(name) = self.one_label(b) else {
            return;
        };
        self.no_blocks(b);
        let span = self.span(b.span());
        if self.policy.checks.iter().any(|c| c.name == name) {
            self.error(span, format!("a check named \"{name}\" is already defined"));
            return;
        }
        if self.rules.iter().any(|r| r.meta().id == name)
            || tglint_model::diag::Reserved::from_id(&name).is_some()
        {
            self.error(
                span,
                format!("a check may not take the name of a rule (`{name}`)"),
            );
            return;
        }
        let (mut when, mut condition, mut message, mut severity) = (None, None, None, Level::Error);
        for a in attributes(b) {
            match a.key.as_str() {
                "when" => when = Some(a.value.clone()),
                "condition" => condition = Some(a.value.clone()),
                "error_message" => message = Some(a.value.clone()),
                "severity" => {
                    if let Some(s) = self.string_attr(a) {
                        match Level::parse(&s) {
                            Some(l) if l != Level::Off => severity = l,
                            _ => {
                                let sp = self.span(a.value.span());
                                self.error(
                                    sp,
                                    format!("severity `{s}` is not one of error, warning, info"),
                                );
                            }
                        }
                    }
                }
                _ => self.unknown_attribute(a, "in a check block", CHECK_ATTRIBUTES),
            }
        }
        let Some(condition) = condition else {
            self.error(span, format!("check \"{name}\" needs a `condition`"));
            return;
        };
        self.policy.checks.push(Check {
            name,
            when,
            condition,
            error_message: message,
            severity,
            file: self.file,
            span,
        });
    }

    /// Checks what only the whole policy can tell: every rule's options.
    fn finish(&mut self) {
        let mut errors = Vec::new();
        for rule in self.rules {
            let id = rule.meta().id;
            let Some(cfg) = self.policy.rules.get(id) else {
                continue;
            };
            let opts = serde_json::Value::Object(cfg.options.clone());
            if let Err(e) = (rule.meta().validate_options)(&opts) {
                let span = cfg.span.unwrap_or_default();
                errors.push(Diagnostic::at(
                    ids::POLICY_ERROR,
                    format!("rule \"{id}\": {}", option_message(&e)),
                    span,
                ));
            }
        }
        self.diags.extend(errors);
        let mut b = GlobSetBuilder::new();
        for g in &self.policy.exclude {
            if let Ok(g) = Glob::new(g) {
                b.add(g);
            }
        }
        self.policy.exclude_set = b.build().ok();
    }
}

/// A serde message about options, with a suggestion for an unknown field (serde names the
/// expected ones: "unknown field `x`, expected one of `a`, `b`").
fn option_message(e: &str) -> String {
    let Some(rest) = e.strip_prefix("unknown field `") else {
        return e.to_string();
    };
    let Some((field, tail)) = rest.split_once('`') else {
        return e.to_string();
    };
    if tail.contains("there are no fields") {
        return format!("unknown option `{field}`: the rule takes no options");
    }
    let expected: Vec<&str> = tail.split('`').skip(1).step_by(2).collect();
    format!(
        "unknown option `{field}`.{}",
        did_you_mean(field, expected.iter().copied())
    )
}

fn attributes(b: &Block) -> impl Iterator<Item = &Attribute> {
    b.body.iter().filter_map(Structure::as_attribute)
}

fn plain_globs(globs: &[String]) -> GlobSet {
    let mut b = GlobSetBuilder::new();
    for g in globs {
        if let Ok(g) = Glob::new(g) {
            b.add(g);
        }
    }
    b.build().unwrap_or_else(|_| GlobSet::empty())
}

/// A policy value as JSON, for serde.
pub fn to_json(v: &Value) -> serde_json::Value {
    use serde_json::Value as J;
    match &v.data {
        Data::Null | Data::Unknown(_) => J::Null,
        Data::Bool(b) => J::Bool(*b),
        Data::Number(n) => match n.as_i64() {
            Some(i) if n.is_whole() => J::from(i),
            _ => serde_json::Number::from_f64(n.as_f64())
                .map(J::Number)
                .unwrap_or(J::Null),
        },
        Data::String(s) => J::String(s.clone()),
        Data::Seq(_, items) => J::Array(items.iter().map(to_json).collect()),
        Data::Map(_, m) => J::Object(m.iter().map(|(k, x)| (k.clone(), to_json(x))).collect()),
    }
}
