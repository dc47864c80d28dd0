//! The engine: classifies every unit, runs the rules (per-unit rules in parallel, tree
//! rules on the whole tree), the user's checks, applies suppressions and severities, and
//! returns the findings sorted.

use crate::context::{Ctx, Finding, Kind};
use crate::policy::{Policy, classify};
use crate::rule::{Fact, Level, Rule, Scope};
use crate::suppress::{self, Suppression};
use rayon::prelude::*;
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use tglint_model::diag::{Diagnostic, Label, Reserved, Severity, ids};
use tglint_model::hcl::FileId;
use tglint_model::load::Tree;
use tglint_model::unit::{Keep, Unit};

/// How a run reports.
#[derive(Clone, Debug)]
pub struct RunOptions {
    /// The level of "cannot verify" findings (`--unknown`; `Off` drops them).
    pub unknown: Level,
    /// Only these rules (`--rule`), when given.
    pub only_rules: Option<BTreeSet<String>>,
    /// Only units of these environment kinds or names (`--env`), when given.
    pub environments: Option<BTreeSet<String>>,
    /// Today, `YYYY-MM-DD`, for `expires=` of suppressions.
    pub today: String,
    /// Changed-files mode: check only these units of the loaded tree (`None`: all).
    pub changed: Option<Changed>,
}

impl Default for RunOptions {
    fn default() -> RunOptions {
        RunOptions {
            unknown: Level::Info,
            only_rules: None,
            environments: None,
            today: today(),
            changed: None,
        }
    }
}

/// What a partial run checks (changed-files mode, `tglint check FILE…`): the whole tree
/// is loaded and tree rules see all of it, but only these units are checked, and only
/// findings that involve them are reported (docs/baseline.md).
#[derive(Clone, Debug, Default)]
pub struct Changed {
    /// The units to check, by directory relative to the root: the units the named files
    /// affect, and the units under the named directories.
    pub units: BTreeSet<String>,
    /// The files named (absolute, cleaned). A problem that belongs to no unit (a parse
    /// error of a file nothing reads) is reported when it is in one of them, and a tree
    /// rule's finding with a label in one of them involves the change.
    pub files: BTreeSet<PathBuf>,
    /// The directories named (absolute, cleaned): problems of files under them are
    /// reported, as a run over the directory would.
    pub dirs: Vec<PathBuf>,
    /// What the units of the tree that the run did not load read (from the run cache,
    /// docs/cache.md): a suppression in one of these files may be used by such a unit,
    /// so it is not called unused.
    pub unloaded_reads: HashSet<PathBuf>,
}

impl Changed {
    /// Whether a problem that belongs to no unit, found in `path`, is reported: the file
    /// was named, lies under a named directory, or was read by a checked unit
    /// (`read_by_checked`).
    pub fn covers_file(&self, path: &Path, read_by_checked: bool) -> bool {
        read_by_checked
            || self.files.contains(path)
            || self.dirs.iter().any(|d| path.starts_with(d))
    }
}

/// A tree rule's key as passes and the run cache keep it: a hash of the rule's id and
/// the key. Two keys of one hash only make a changed-files run load a unit it did not
/// need to.
pub fn link_hash(rule: &str, key: &str) -> u64 {
    let mut b = Vec::with_capacity(rule.len() + 1 + key.len());
    b.extend_from_slice(rule.as_bytes());
    b.push(0);
    b.extend_from_slice(key.as_bytes());
    fnv1a(&b)
}

/// Today's date in UTC.
pub fn today() -> String {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0);
    let (y, m, d) = tglint_model::hcl::go::civil_from_days((secs / 86_400) as i64);
    format!("{y:04}-{m:02}-{d:02}")
}

/// One reported diagnostic with the unit and environment it is about.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Reported {
    pub diagnostic: Diagnostic,
    pub unit: Option<String>,
    pub environment: Option<String>,
    /// The value's path inside the unit, when the rule named one ([`Finding::subject`]).
    pub subject: Option<String>,
    /// A "cannot verify" finding (its deciding value is unknown), whatever its severity.
    pub cannot_verify: bool,
    /// Stable across line shifts, reordered blocks and changed values: the rule, the unit
    /// and the subject (else the message with its numbers blanked — line numbers, counts,
    /// addresses; for a finding about no unit, the file too), and which of several equal
    /// findings it is. 16 hex digits. Baselines, SARIF's `partialFingerprints` and
    /// GitLab's `fingerprint` use it.
    pub fingerprint: String,
}

/// What a run found.
#[derive(Clone, Debug, Default)]
pub struct Outcome {
    pub reported: Vec<Reported>,
    /// Findings a `--baseline` covered (set by the CLI's baseline step).
    pub baselined: usize,
    /// Files read.
    pub files: usize,
    /// Findings a suppression covered.
    pub suppressed: usize,
    /// The ids of the rules that ran on every unit checked (enabled by the policy and
    /// chosen by `--rule`), then the names of the policy's checks when they ran (no
    /// `--rule`), in that order. What a JUnit report makes test cases of.
    pub rules_run: Vec<String>,
    /// The directories of the units checked, in path order.
    pub units_checked: Vec<String>,
}

impl Outcome {
    /// How many units were checked.
    pub fn units(&self) -> usize {
        self.units_checked.len()
    }

    pub fn count(&self, s: Severity) -> usize {
        self.reported
            .iter()
            .filter(|r| r.diagnostic.severity == s)
            .count()
    }
}

/// Fills each unit's environment and region from the policy; returns the
/// `unclassified` diagnostics and the errors of the policy's `classify` expressions.
pub fn classify_units(units: &mut [Unit], policy: &Policy) -> (Vec<Finding>, Vec<Diagnostic>) {
    let mut findings = Vec::new();
    let mut errors = Vec::new();
    for u in units.iter_mut() {
        classify_unit(u, policy, &mut findings, &mut errors);
    }
    (findings, errors)
}

/// [`classify_units`] for one unit.
fn classify_unit(
    u: &mut Unit,
    policy: &Policy,
    findings: &mut Vec<Finding>,
    errors: &mut Vec<Diagnostic>,
) {
    // A unit whose own file did not parse has nothing to classify (its parse error says
    // what is wrong).
    if u.failed {
        return;
    }
    let mut errs = Vec::new();
    let env = classify::environment(policy, u, &mut errs);
    let region = classify::region(policy, u, &mut errs);
    errors.extend(
        errs.into_iter()
            .map(|e| Diagnostic::at(ids::POLICY_ERROR, e.message, e.span)),
    );
    u.region = match region {
        classify::Found::Name(c) => Some(c),
        _ => None,
    };
    let why = match env {
        classify::Found::Name(c) if c.kind.is_some() => {
            u.environment = Some(c);
            return;
        }
        classify::Found::Name(c) => {
            let msg = format!(
                "environment `{}` (from {}) matches no environment kind of the policy",
                c.name, c.because
            );
            u.environment = Some(c);
            msg
        }
        classify::Found::Unknown(why) => why,
        classify::Found::Nothing => {
            "no environment name was found (no inputs.environment or locals.environment, and the path has no environments/<name>/ segment)".to_string()
        }
    };
    let at = Label::file_start(u.file.unwrap_or_default());
    findings.push(Finding::new(
        Diagnostic::new(
            ids::UNCLASSIFIED,
            format!("cannot tell the environment of {}: {why}; the rules that depend on it are skipped", u.dir),
            at,
        )
        .with_help("set locals.environment, give the policy an `environment` block whose `match` covers the name, or a `classify` expression"),
        Kind::Violation,
        Some(u.dir.clone()),
    ));
}

/// Runs `rules` and the policy's checks over `tree`. `extra` are diagnostics to report
/// alongside (the policy's own errors). The units are loaded already; a streamed run
/// ([`Pass`]) runs the per-unit part while loading instead.
pub fn run(
    tree: &mut Tree,
    rules: &[&dyn Rule],
    policy: &Policy,
    opts: &RunOptions,
    extra: Vec<Diagnostic>,
) -> Outcome {
    let pass = Pass::new(rules, policy, opts, false);
    tree.units.par_iter_mut().for_each(|u| pass.visit(u));
    pass.finish(tree, opts, extra)
}

/// What the per-unit pass found on one unit.
#[derive(Default)]
struct UnitResult {
    /// The `unclassified` finding, when there is one.
    classified: Vec<Finding>,
    /// Errors of the policy's `classify` expressions.
    classify_errors: Vec<Diagnostic>,
    /// The per-unit rules' and checks' findings.
    findings: Vec<Finding>,
    /// Errors of the policy's checks.
    errors: Vec<Diagnostic>,
}

/// The per-unit part of a run: classification, the per-unit rules and the policy's
/// checks, one unit at a time ([`Pass::visit`]), then the tree rules and everything that
/// needs every unit ([`Pass::finish`]). `tglint check` visits each unit as it is resolved
/// (`load::load_units_with`) with `project` set, so a unit is cut down to what the tree
/// rules read ([`Rule::keep`]) before the next one is resolved, and memory does not grow
/// with every unit's evaluated configuration (docs/performance.md).
pub struct Pass<'a> {
    active: Vec<(&'a dyn Rule, Level)>,
    policy: &'a Policy,
    only_rules: Option<BTreeSet<String>>,
    environments: Option<BTreeSet<String>>,
    project: bool,
    results: Mutex<HashMap<String, UnitResult>>,
    /// The facts each active rule took of the units, by directory (in `active`'s order).
    facts: Vec<Mutex<HashMap<String, Fact>>>,
    /// The units whose per-unit rules run, when not all ([`Pass::only_checking`]).
    scope: Option<&'a (dyn Fn(&Unit) -> bool + Sync)>,
    /// The active tree rules' keys of each unit visited ([`Rule::links`], hashed with
    /// the rule's id: [`link_hash`]), by directory; `None` when a rule could not say.
    /// Taken only when asked for ([`Pass::with_links`]).
    links: Option<Mutex<HashMap<String, Option<Vec<u64>>>>>,
}

impl<'a> Pass<'a> {
    /// A pass with the rules `opts` selects (`--rule`, `--env`; `finish` takes the rest of
    /// the options, the changed-files scope among them).
    pub fn new(
        rules: &[&'a dyn Rule],
        policy: &'a Policy,
        opts: &RunOptions,
        project: bool,
    ) -> Pass<'a> {
        let wanted = |id: &str| opts.only_rules.as_ref().is_none_or(|s| s.contains(id));
        let active: Vec<_> = rules
            .iter()
            .map(|r| (*r, policy.level(*r)))
            .filter(|(r, l)| *l != Level::Off && wanted(r.meta().id))
            .collect();
        Pass {
            scope: None,
            links: None,
            facts: active.iter().map(|_| Mutex::default()).collect(),
            active,
            policy,
            only_rules: opts.only_rules.clone(),
            environments: opts.environments.clone(),
            project,
            results: Mutex::new(HashMap::new()),
        }
    }

    /// Runs the per-unit rules and checks only on the units `scope` accepts: what a
    /// changed-files run reports of (it must accept every unit the run's scope will hold;
    /// the others are still classified, and the tree rules still see them).
    pub fn only_checking(mut self, scope: &'a (dyn Fn(&Unit) -> bool + Sync)) -> Pass<'a> {
        self.scope = Some(scope);
        self
    }

    /// Classifies `u`, runs the per-unit rules and checks on it (unless the policy
    /// excludes it or `--env` leaves it out), and, for a projecting pass, cuts it down to
    /// what the tree rules read.
    pub fn visit(&self, u: &mut Unit) {
        let policy = self.policy;
        let mut r = UnitResult::default();
        classify_unit(u, policy, &mut r.classified, &mut r.classify_errors);
        // A unit whose own file could not be read or parsed gets no rule findings: its
        // configuration is unknown, and its loading error is what to fix.
        if !u.failed
            && !policy.excluded(&u.dir)
            && selected_env(u, self.environments.as_ref())
            && self.scope.is_none_or(|s| s(u))
        {
            for (rule, _) in self
                .active
                .iter()
                .filter(|(r, _)| r.meta().scope == Scope::Unit)
            {
                let mut cx = Ctx::new(rule.meta(), policy, Some(u));
                rule.check(u, &mut cx);
                r.findings.extend(cx.into_findings());
            }
            if self.only_rules.is_none() {
                let (f, e) = crate::checks::run(&policy.checks, u);
                r.findings.extend(f);
                r.errors = e;
            }
        }
        // What the tree rules remember of the unit while it is whole, and what they read
        // of it once it is cut down.
        let mut keep = Keep::default();
        let mut links = self.links.as_ref().map(|_| Vec::new());
        for (i, (rule, _)) in self.active.iter().enumerate() {
            if rule.meta().scope != Scope::Tree {
                continue;
            }
            let cx = Ctx::new(rule.meta(), policy, Some(u));
            let fact = rule.fact(u, &cx);
            rule.keep(u, &cx, &mut keep);
            if let Some(all) = &mut links {
                match rule.links(u, &cx, fact.as_ref()) {
                    Some(keys) => {
                        let id = rule.meta().id;
                        all.extend(keys.iter().map(|k| link_hash(id, k)));
                    }
                    // One rule that cannot say makes the unit's keys unknown.
                    None => links = None,
                }
            }
            if let Some(f) = fact {
                let mut facts = self.facts[i].lock().unwrap_or_else(|p| p.into_inner());
                facts.insert(u.dir.clone(), f);
            }
        }
        if let Some(m) = &self.links {
            m.lock()
                .unwrap_or_else(|p| p.into_inner())
                .insert(u.dir.clone(), links);
        }
        if self.project {
            u.project(&keep);
        }
        if r.classified.is_empty()
            && r.classify_errors.is_empty()
            && r.findings.is_empty()
            && r.errors.is_empty()
        {
            return;
        }
        let mut results = self.results.lock().unwrap_or_else(|p| p.into_inner());
        let slot = results.entry(u.dir.clone()).or_default();
        slot.classified.extend(r.classified);
        slot.classify_errors.extend(r.classify_errors);
        slot.findings.extend(r.findings);
        slot.errors.extend(r.errors);
    }

    /// A pass that takes each unit's tree-rule keys ([`Pass::with_links_seen`]).
    pub fn with_links(mut self) -> Pass<'a> {
        self.links = Some(Mutex::default());
        self
    }

    /// `f` of the keys of the units visited so far, by directory ([`Rule::links`], hashed
    /// with the rule's id): what a changed-files run asks to know which other units to
    /// load, and what the run cache keeps (docs/cache.md). Empty unless
    /// [`Pass::with_links`].
    pub fn with_links_seen<R>(&self, f: impl FnOnce(&HashMap<String, Option<Vec<u64>>>) -> R) -> R {
        match &self.links {
            Some(m) => f(&m.lock().unwrap_or_else(|p| p.into_inner())),
            None => f(&HashMap::new()),
        }
    }

    /// The keys of the units visited ([`Pass::with_links_seen`]), taken out of the pass.
    pub fn take_links(&self) -> HashMap<String, Option<Vec<u64>>> {
        self.links
            .as_ref()
            .map(|m| std::mem::take(&mut *m.lock().unwrap_or_else(|p| p.into_inner())))
            .unwrap_or_default()
    }

    /// The rest of the run over `tree`, whose units were all visited: the tree rules,
    /// loading's diagnostics, `--rule`, severities, suppressions, sorting and
    /// fingerprints. `opts` gives the level of unknowns, the date and the changed-files
    /// scope; the rules and environments are those the pass was made with.
    pub fn finish(self, tree: &Tree, opts: &RunOptions, extra: Vec<Diagnostic>) -> Outcome {
        let policy = self.policy;
        let mut results = self.results.into_inner().unwrap_or_else(|p| p.into_inner());
        let mut findings = Vec::new();
        let mut errors = Vec::new();
        let mut taken: Vec<(&str, UnitResult)> = Vec::new();
        for u in &tree.units {
            if let Some(mut r) = results.remove(&u.dir) {
                findings.append(&mut r.classified);
                errors.append(&mut r.classify_errors);
                taken.push((u.dir.as_str(), r));
            }
        }
        errors.extend(extra);
        // What tree rules see: every unit of the run. What is checked: in changed-files
        // mode, only the units of the scope.
        let all: Vec<&Unit> = tree
            .units
            .iter()
            .filter(|u| !policy.excluded(&u.dir))
            .filter(|u| selected_env(u, self.environments.as_ref()))
            .collect();
        let units: Vec<&Unit> = all
            .iter()
            .copied()
            .filter(|u| {
                opts.changed
                    .as_ref()
                    .is_none_or(|c| c.units.contains(&u.dir))
            })
            .collect();
        let checked: BTreeSet<&str> = units.iter().map(|u| u.dir.as_str()).collect();
        // The per-unit findings of the units checked.
        for (dir, r) in taken {
            if checked.contains(dir) {
                findings.extend(r.findings);
                errors.extend(r.errors);
            }
        }
        let active = &self.active;
        let facts: Vec<HashMap<String, Fact>> = self
            .facts
            .into_iter()
            .map(|m| m.into_inner().unwrap_or_else(|p| p.into_inner()))
            .collect();
        // Tree rules, on the sorted units; in changed-files mode they report what involves
        // a checked unit.
        let mut tree_findings = Vec::new();
        for (i, (r, _)) in active.iter().enumerate() {
            if r.meta().scope != Scope::Tree {
                continue;
            }
            let mut cx = Ctx::new(r.meta(), policy, None).with_facts(&facts[i]);
            r.check_tree(&all, &mut cx);
            tree_findings.extend(cx.into_findings());
        }
        let partial = opts
            .changed
            .as_ref()
            .map(|c| Partial::new(tree, c, &checked));
        if let Some(p) = &partial {
            tree_findings.retain(|f| p.involves(tree, f));
        }
        // What loading found, for the units checked and the tree.
        for u in &units {
            for d in &u.diagnostics {
                findings.push(Finding::new(
                    d.clone(),
                    Kind::Violation,
                    Some(u.dir.clone()),
                ));
            }
        }
        findings.retain(|f| f.unit.as_deref().is_none_or(|u| checked.contains(u)));
        findings.extend(tree_findings);
        for d in &tree.diagnostics {
            if partial
                .as_ref()
                .is_none_or(|p| p.covers(tree, d.primary.file))
            {
                findings.push(Finding::new(d.clone(), Kind::Violation, None));
            }
        }
        for d in &errors {
            findings.push(Finding::new(d.clone(), Kind::Violation, None));
        }
        // With --rule, only those rules — and what makes a run meaningless (broken files,
        // policy errors) — are reported.
        if let Some(only) = &self.only_rules {
            findings.retain(|f| {
                let id = f.diagnostic.rule.to_string();
                only.contains(&id)
                    || matches!(
                        Reserved::from_id(&id),
                        Some(
                            Reserved::ParseError
                                | Reserved::IncludeError
                                | Reserved::EvalError
                                | Reserved::PolicyError
                        )
                    )
            });
        }

        // Severities.
        let levels: BTreeMap<&str, Level> = active.iter().map(|(r, l)| (r.meta().id, *l)).collect();
        let by_dir: HashMap<&str, &Unit> = tree.units.iter().map(|u| (u.dir.as_str(), u)).collect();
        let mut reported: Vec<(Reported, Kind)> = Vec::new();
        for f in findings {
            let id = f.diagnostic.rule.to_string();
            let base = match Reserved::from_id(&id) {
                Some(r) if r.configurable() => match policy.reserved_level(&id) {
                    Some(l) => l,
                    None => level_of(f.diagnostic.severity),
                },
                Some(_) => level_of(f.diagnostic.severity),
                // A user check: its own severity, set when it was made.
                None if !levels.contains_key(id.as_str()) => level_of(f.diagnostic.severity),
                None => levels.get(id.as_str()).copied().unwrap_or(Level::Off),
            };
            let level = match f.kind {
                Kind::Violation => base,
                Kind::CannotVerify if base == Level::Off => Level::Off,
                Kind::CannotVerify => opts.unknown,
                Kind::Note(l) => l.min(base),
            };
            let Some(sev) = level.severity() else {
                continue;
            };
            let mut d = f.diagnostic;
            d.severity = sev;
            let environment = f
                .unit
                .as_deref()
                .and_then(|dir| by_dir.get(dir))
                .and_then(|u| u.environment.as_ref())
                .and_then(|c| c.kind.clone());
            reported.push((
                Reported {
                    diagnostic: d,
                    unit: f.unit,
                    environment,
                    subject: f.subject,
                    cannot_verify: f.kind == Kind::CannotVerify,
                    fingerprint: String::new(),
                },
                f.kind,
            ));
        }

        // Suppressions.
        let (mut reported, suppressed) =
            apply_suppressions(tree, reported, &opts.today, partial.as_ref());
        sort(tree, &mut reported);
        fingerprint(tree, &mut reported);
        let mut rules_run: Vec<String> = active
            .iter()
            .map(|(r, _)| r.meta().id.to_string())
            .collect();
        if self.only_rules.is_none() {
            rules_run.extend(policy.checks.iter().map(|c| c.name.clone()));
        }
        Outcome {
            reported,
            rules_run,
            units_checked: checked.iter().map(|d| d.to_string()).collect(),
            baselined: 0,
            // Files of the tree that were read (not the probes that found nothing, nor the
            // embedded policy).
            files: tree
                .cache
                .all()
                .iter()
                .filter(|f| f.text_if_read().is_some() && !f.path.starts_with("/<embedded>"))
                .count(),
            suppressed,
        }
    }
}

/// What a changed-files run needs to decide what it reports.
struct Partial<'a> {
    changed: &'a Changed,
    /// The unit file of every loaded unit, to its directory.
    unit_files: HashMap<FileId, &'a str>,
    checked: &'a BTreeSet<&'a str>,
    /// Files read by a checked unit.
    read_by_checked: BTreeSet<FileId>,
    /// Files read by a unit loaded but not checked (a suppression in one may be used by
    /// that unit, so it is not called unused).
    read_by_unchecked: BTreeSet<FileId>,
}

impl<'a> Partial<'a> {
    fn new(tree: &'a Tree, changed: &'a Changed, checked: &'a BTreeSet<&'a str>) -> Partial<'a> {
        let mut read_by_checked = BTreeSet::new();
        let mut read_by_unchecked = BTreeSet::new();
        for u in &tree.units {
            let set = if checked.contains(u.dir.as_str()) {
                &mut read_by_checked
            } else {
                &mut read_by_unchecked
            };
            set.extend(u.file);
            set.extend(u.reads.iter().map(|r| r.target_file));
        }
        Partial {
            changed,
            unit_files: tree
                .units
                .iter()
                .filter_map(|u| u.file.map(|f| (f, u.dir.as_str())))
                .collect(),
            checked,
            read_by_checked,
            read_by_unchecked,
        }
    }

    /// Whether a tree rule's finding involves the change: it is about a checked unit, or
    /// names one as the other party, or one of its labels points into a checked unit's
    /// `terragrunt.hcl` or into a file named on the command line.
    fn involves(&self, tree: &Tree, f: &Finding) -> bool {
        let checked = |u: &str| self.checked.contains(u);
        if f.unit.as_deref().is_some_and(checked) || f.involves.iter().any(|u| checked(u)) {
            return true;
        }
        let d = &f.diagnostic;
        std::iter::once(&d.primary).chain(&d.related).any(|l| {
            self.unit_files.get(&l.file).is_some_and(|u| checked(u))
                || tree
                    .cache
                    .get(l.file)
                    .is_some_and(|file| self.changed.files.contains(&*file.path))
        })
    }

    /// Whether a unit not checked read `file`, loaded or not.
    fn read_by_unchecked(&self, tree: &Tree, file: FileId) -> bool {
        self.read_by_unchecked.contains(&file)
            || (!self.changed.unloaded_reads.is_empty()
                && tree
                    .cache
                    .get(file)
                    .is_some_and(|f| self.changed.unloaded_reads.contains(&*f.path)))
    }

    /// Whether a problem of no unit, in `file`, is reported ([`Changed::covers_file`]).
    fn covers(&self, tree: &Tree, file: FileId) -> bool {
        tree.cache.get(file).is_some_and(|f| {
            self.changed
                .covers_file(&f.path, self.read_by_checked.contains(&file))
        })
    }
}

fn level_of(s: Severity) -> Level {
    match s {
        Severity::Error => Level::Error,
        Severity::Warning => Level::Warning,
        Severity::Info => Level::Info,
    }
}

fn selected_env(u: &Unit, environments: Option<&BTreeSet<String>>) -> bool {
    let Some(envs) = environments else {
        return true;
    };
    u.environment.as_ref().is_some_and(|c| {
        envs.contains(&c.name) || c.kind.as_ref().is_some_and(|k| envs.contains(k))
    })
}

/// Drops the findings a suppression covers; reports malformed, expired and unused
/// suppressions. Loading problems (`parse-error`, …) and policy errors are never
/// suppressed. In changed-files mode (`partial`), problems of suppressions are reported
/// only in the files the run covers, and a suppression in a file that a unit left
/// unchecked read is not called unused (that unit may use it).
fn apply_suppressions(
    tree: &Tree,
    reported: Vec<(Reported, Kind)>,
    today: &str,
    partial: Option<&Partial<'_>>,
) -> (Vec<Reported>, usize) {
    // The suppressions of every file the run read (so an unused one is found too).
    let mut sups: Vec<Suppression> = Vec::new();
    let mut problems: Vec<Diagnostic> = Vec::new();
    for f in tree.cache.all() {
        let Some(text) = f.text_if_read() else {
            continue;
        };
        if !text.contains("tglint-ignore") {
            continue;
        }
        let body = tree.cache.body(&f).ok();
        let (s, d) = suppress::parse(f.id, text, body.as_deref());
        sups.extend(s);
        problems.extend(d);
    }
    let mut used = vec![false; sups.len()];
    let mut out = Vec::new();
    let mut suppressed = 0;
    for (r, _) in reported {
        let id = r.diagnostic.rule.to_string();
        let never = matches!(
            Reserved::from_id(&id),
            Some(Reserved::ParseError | Reserved::PolicyError | Reserved::Suppression)
        );
        let hit = (!never)
            .then(|| {
                sups.iter().position(|s| {
                    s.covers(&id, r.diagnostic.primary.file, r.diagnostic.primary.start)
                })
            })
            .flatten();
        match hit {
            Some(i) if !sups[i].expired(today) => {
                used[i] = true;
                suppressed += 1;
            }
            Some(i) => {
                used[i] = true;
                out.push(r);
            }
            None => out.push(r),
        }
    }
    for (i, s) in sups.iter().enumerate() {
        if s.expired(today) {
            problems.push(suppress::expired(s));
        } else if !used[i] && partial.is_none_or(|p| !p.read_by_unchecked(tree, s.file)) {
            problems.push(suppress::unused(s));
        }
    }
    if let Some(p) = partial {
        problems.retain(|d| p.covers(tree, d.primary.file));
    }
    out.extend(problems.into_iter().map(|d| Reported {
        diagnostic: d,
        unit: None,
        environment: None,
        subject: None,
        cannot_verify: false,
        fingerprint: String::new(),
    }));
    (out, suppressed)
}

/// Gives every finding its fingerprint ([`Reported::fingerprint`]); equal keys are
/// numbered in report order.
fn fingerprint(tree: &Tree, reported: &mut [Reported]) {
    let mut seen: BTreeMap<String, usize> = BTreeMap::new();
    for r in reported.iter_mut() {
        let d = &r.diagnostic;
        let what = r
            .subject
            .clone()
            .unwrap_or_else(|| without_numbers(&d.message));
        let mut key = format!("{}\0{}\0{what}", d.rule, r.unit.as_deref().unwrap_or("-"));
        if r.unit.is_none() {
            key.push('\0');
            key.push_str(&tree.rel(d.primary.file));
        }
        let n = seen.entry(key.clone()).or_insert(0);
        *n += 1;
        if *n > 1 {
            key.push_str(&format!("\0#{n}"));
        }
        r.fingerprint = format!("{:016x}", fnv1a(key.as_bytes()));
    }
}

/// `text` with every run of digits as one `0`: a message that names a line ("line 3 of
/// its contents"), a count or an address keeps its fingerprint when they change.
fn without_numbers(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut in_digits = false;
    for c in text.chars() {
        if c.is_ascii_digit() {
            if !in_digits {
                out.push('0');
            }
            in_digits = true;
        } else {
            out.push(c);
            in_digits = false;
        }
    }
    out
}

/// FNV-1a, 64 bits: a hash that is the same on every machine and Rust version.
pub fn fnv1a(bytes: &[u8]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in bytes {
        h ^= u64::from(*b);
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    h
}

/// Sorted by (file, line, column, rule, unit), duplicates dropped (DESIGN §6.1).
pub fn sort(tree: &Tree, reported: &mut Vec<Reported>) {
    reported.sort_by_cached_key(|r| {
        let d = &r.diagnostic;
        (
            tree.rel(d.primary.file),
            d.primary.start,
            d.rule.to_string(),
            r.unit.clone(),
            d.message.clone(),
            d.primary.end,
        )
    });
    reported.dedup();
}

#[cfg(test)]
mod tests {
    use super::without_numbers;

    #[test]
    fn numbers_are_blanked_in_fingerprinted_messages() {
        assert_eq!(
            without_numbers("provider \"aws\" (line 14 of its contents) in 10.0.0.0/16"),
            "provider \"aws\" (line 0 of its contents) in 0.0.0.0/0"
        );
        assert_eq!(without_numbers("no digits"), "no digits");
    }
}
