//! `tglint check`: every unit under the paths resolved and checked against the policy.

use crate::report;
use crate::{CommonArgs, EXIT_OK, EXIT_USAGE, absolute, confined, find_root, flush, options};
use crate::{baseline, changed};
use clap::Args;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};
use tglint_model::diag::Severity;
use tglint_model::fs::{Fs, Kind};
use tglint_model::load::{self, Discovered, WalkOptions};
use tglint_model::source::SourceCache;
use tglint_model::unit::Unit;
use tglint_rules::engine::{self, RunOptions};
use tglint_rules::{Level, RULES, policy};

/// Exit code when findings reach `--fail-on`.
pub const EXIT_FINDINGS: u8 = 1;

#[derive(Args, Debug, Default)]
pub struct CheckArgs {
    /// Directories whose units to check, or changed files: the units a file affects (its
    /// own unit, the units that include or read it) are checked, against the whole tree
    /// (default: the current directory; docs/baseline.md).
    #[arg(value_name = "PATHS")]
    paths: Vec<PathBuf>,

    /// Report only the findings FILE does not record (written by --write-baseline); its
    /// entries that match nothing are reported as stale (docs/baseline.md).
    #[arg(long, value_name = "FILE")]
    baseline: Option<PathBuf>,

    /// Record this run's findings in FILE, for --baseline; the report and exit code stay
    /// those of the run. With --baseline FILE on the same file: refresh it.
    #[arg(long, value_name = "FILE")]
    write_baseline: Option<PathBuf>,

    /// How to report (default human; repeatable): human, json, sarif, github, junit,
    /// compact, checkstyle, gitlab or markdown (docs/formats.md). Each --format writes to
    /// the --output that follows it, else to stdout; at most one may write to stdout.
    #[arg(long, value_name = "FORMAT", value_parser = report_formats())]
    format: Vec<String>,

    /// Write the report of the --format just before it to FILE (repeatable: `--format
    /// sarif --output tglint.sarif --format github`). Without any --format, the human
    /// report. When every report goes to a file, the summary line is printed.
    #[arg(long, value_name = "FILE")]
    output: Vec<PathBuf>,

    /// Where each `--format` and `--output` stood on the command line (set after parsing,
    /// from clap's indices), to pair them.
    #[arg(skip)]
    positions: Positions,

    /// The policy file (default: .tglint.hcl at the root, if any); it extends the embedded
    /// reference-architecture pack.
    #[arg(long, value_name = "FILE")]
    pub(crate) config: Option<PathBuf>,

    /// The lowest severity that fails the run (exit 1) [default: error].
    #[arg(long, value_parser = ["error", "warning", "info", "never"])]
    fail_on: Option<String>,

    /// The severity of "cannot verify" findings (where a deciding value is unknown)
    /// [default: info].
    #[arg(long, value_parser = ["ignore", "info", "warning", "error"])]
    unknown: Option<String>,

    /// Run only this rule (repeatable, or comma-separated).
    #[arg(long = "rule", value_name = "ID", value_delimiter = ',')]
    rules: Vec<String>,

    /// Check only units of this environment: a kind of the policy (dev, staging, uat,
    /// prod) or an environment name (prod-eu) (repeatable, or comma-separated).
    #[arg(long = "env", value_name = "NAME", value_delimiter = ',')]
    envs: Vec<String>,

    /// Threads to use [default: one per core].
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u16).range(1..=1024))]
    jobs: Option<u16>,

    /// Print the time each phase took to stderr: discover, parse, resolve, rules, report.
    #[arg(long)]
    timings: bool,

    /// In the human report, show only what fails the run (findings at or above
    /// --fail-on), and nothing at all when the run passes.
    #[arg(long, short)]
    quiet: bool,

    /// Show how UNIT's environment and region were found, and stop.
    #[arg(long, value_name = "UNIT")]
    explain_env: Option<PathBuf>,

    /// Print no colour (also when NO_COLOR is set or the output is not a terminal).
    #[arg(long)]
    no_color: bool,

    /// Neither read nor write the run cache (docs/cache.md). Without it, a changed-files
    /// run records what each unit read, so that the next one loads only the units the
    /// changes affect and those their findings may involve; the report is the same.
    #[arg(long)]
    no_cache: bool,

    /// Where the run cache lives [default: $TGLINT_CACHE_DIR, else
    /// $XDG_CACHE_HOME/tglint, else ~/.cache/tglint].
    #[arg(long, value_name = "DIR")]
    cache_dir: Option<PathBuf>,

    #[command(flatten)]
    common: CommonArgs,
}

/// The command-line positions of `--format` and `--output` values.
#[derive(Clone, Debug, Default)]
pub(crate) struct Positions {
    formats: Vec<usize>,
    outputs: Vec<usize>,
}

impl CheckArgs {
    /// Records where `--format` and `--output` stood (clap's indices), so that each
    /// `--output` pairs with the `--format` before it.
    pub(crate) fn note_positions(&mut self, m: &clap::ArgMatches) {
        self.positions = Positions {
            formats: m
                .indices_of("format")
                .map(Iterator::collect)
                .unwrap_or_default(),
            outputs: m
                .indices_of("output")
                .map(Iterator::collect)
                .unwrap_or_default(),
        };
    }
}

/// The names `--format` takes.
fn report_formats() -> clap::builder::PossibleValuesParser {
    clap::builder::PossibleValuesParser::new(report::Format::ALL.map(report::Format::name))
}

/// One report to write: its format, and the file (`None`: stdout).
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Target {
    pub format: report::Format,
    pub file: Option<PathBuf>,
}

/// The reports a run writes: each `--output` belongs to the nearest `--format` before
/// it on the command line; a `--format` with no `--output` writes to stdout; with no
/// `--format`, one human report (to stdout, or to the only `--output`). Errors (exit 2):
/// an `--output` before every `--format`, two for one `--format`, one file named twice,
/// two reports to stdout.
pub(crate) fn targets(args: &CheckArgs) -> Result<Vec<Target>, String> {
    let mut formats: Vec<(usize, report::Format)> = Vec::new();
    for (i, name) in args.format.iter().enumerate() {
        let f = report::Format::parse(name).ok_or_else(|| {
            format!(
                "--format: no format is named `{name}`; the formats are {}",
                report::Format::ALL.map(report::Format::name).join(", ")
            )
        })?;
        formats.push((args.positions.formats.get(i).copied().unwrap_or(i), f));
    }
    if formats.is_empty() {
        formats.push((0, report::Format::Human));
    }
    let mut files: Vec<Option<PathBuf>> = vec![None; formats.len()];
    for (i, file) in args.output.iter().enumerate() {
        let at = args.positions.outputs.get(i).copied().unwrap_or(usize::MAX);
        let Some(owner) = formats.iter().rposition(|(pos, _)| *pos < at) else {
            return Err(format!(
                "--output {}: it comes before every --format; write it after the --format whose report it holds (`--format sarif --output {}`)",
                file.display(),
                file.display()
            ));
        };
        if let Some(first) = &files[owner] {
            return Err(format!(
                "--format {} has two --output files ({} and {}); give each --output its own --format",
                formats[owner].1.name(),
                first.display(),
                file.display()
            ));
        }
        files[owner] = Some(file.clone());
    }
    let mut seen: Vec<PathBuf> = Vec::new();
    for f in files.iter().flatten() {
        let abs = absolute(f)?;
        if seen.contains(&abs) {
            return Err(format!(
                "--output {} is named twice; each report needs its own file",
                f.display()
            ));
        }
        seen.push(abs);
    }
    let to_stdout: Vec<&str> = formats
        .iter()
        .zip(&files)
        .filter(|(_, f)| f.is_none())
        .map(|((_, fmt), _)| fmt.name())
        .collect();
    if to_stdout.len() > 1 {
        return Err(format!(
            "--format {}: only one report can go to stdout; give the others an --output FILE (`--format {} --output FILE`)",
            to_stdout.join(", --format "),
            to_stdout[1]
        ));
    }
    Ok(formats
        .into_iter()
        .zip(files)
        .map(|((_, format), file)| Target { format, file })
        .collect())
}

pub fn check_cmd(args: CheckArgs) -> Result<u8, String> {
    let targets = targets(&args)?;
    let opts = options(&args.common)?;
    let fs: Arc<dyn Fs> = tglint_model::fs::disk();
    let paths = crate::paths_or_cwd(&args.paths)?;
    let root = find_root(&*fs, args.common.root.as_deref(), &paths[0])?;
    // A bad baseline is a usage error before anything is checked.
    let baselines = Baselines::read(&args)?;
    // The policy first: its `defaults` block may set how the run goes.
    let cache = Arc::new(SourceCache::new(fs.clone(), &root, opts.allow_outside_root));
    let policy = match load_policy(&cache, &*fs, &root, &args)? {
        Ok(p) => p,
        Err(code) => return Ok(code),
    };
    let settings = Settings::new(&args, &policy.defaults)?;
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(settings.jobs.unwrap_or(0))
        .stack_size(crate::STACK_SIZE)
        .build()
        .map_err(|e| format!("cannot start {} threads: {e}", settings.jobs.unwrap_or(0)))?;
    pool.install(|| {
        let mut timings = Timings::default();
        let mut run = run_options(&settings)?;
        // The run cache (docs/cache.md), for changed-files runs (a named path that is not
        // a directory; a full run loads every unit anyway); not with the process
        // environment (what get_env read of it is not recorded).
        let changed_run = paths.iter().any(|p| fs.kind(p) != Some(Kind::Dir));
        let mut run_cache = match crate::cache::dir(args.cache_dir.as_deref()) {
            Some(d)
                if changed_run
                    && args.explain_env.is_none()
                    && !args.no_cache
                    && !opts.inherit_env =>
            {
                let key = crate::cache::key(
                    &root,
                    policy_path(&*fs, &root, &args)?.as_deref(),
                    &format!("{opts:?}"),
                    &format!("{:?}", run.only_rules),
                );
                let started = Instant::now();
                let c = crate::cache::RunCache::read(&d, &root, key);
                timings.cache_open = started.elapsed();
                Some(c)
            }
            _ => None,
        };
        let started = Instant::now();
        let known = run_cache.as_ref().and_then(|c| c.walk());
        let mut selection = select_walked(&fs, &root, &paths, &opts, known)?;
        timings.discover = started.elapsed();
        if let Some(c) = &mut run_cache {
            let started = Instant::now();
            c.validate(&selection.units);
            timings.cache_open += started.elapsed();
        }
        let found = std::mem::take(&mut selection.found);
        let features = opts.features.clone();
        if let Some(target) = &args.explain_env {
            let mut tree = load::load_units_in(cache, opts, &selection.units, found);
            crate::check_features(&tree, &features)?;
            engine::classify_units(&mut tree.units, &policy);
            return explain_env(&tree, &root, &absolute(target)?);
        }
        // A streamed run: each unit is checked as soon as it is resolved, then cut down
        // to what the tree rules read (engine::Pass). In changed-files mode only the units
        // the changed files affect are reported on, so only they get the per-unit rules
        // (changed::scope selects the same units once the tree is loaded).
        let affected = match selection.changed {
            true => Some(changed::Affected::new(
                &selection.files,
                &selection.dirs,
                policy_path(&*fs, &root, &args)?.as_deref(),
            )),
            false => None,
        };
        let in_scope = |u: &Unit| affected.as_ref().is_none_or(|a| a.affects(u));
        let mut pass = engine::Pass::new(RULES, &policy, &run, true);
        if affected.is_some() {
            pass = pass.only_checking(&in_scope);
        }
        if run_cache.is_some() {
            pass = pass.with_links();
        }
        // A changed-files run with a cache loads first the units the changes affect (and
        // those the cache knows nothing valid of), then the ones their findings may
        // involve. `--env` and `--feature` name what units declare, so they load all.
        let plan = match (&affected, &run_cache) {
            (Some(a), Some(c)) if settings.envs.is_empty() && features.is_empty() => {
                Some(crate::cache::Plan::new(c, a, &root, &selection.units))
            }
            _ => None,
        };
        let first = plan.as_ref().map(|p| p.first());
        let first = first.as_ref().unwrap_or(&selection.units);
        let more = |units: &[Unit]| match &plan {
            Some(p) => pass.with_links_seen(|links| p.more(units, links)),
            None => Vec::new(),
        };
        let tree = load::load_units_then(cache, opts, first, found, &|u| pass.visit(u), &more);
        crate::check_features(&tree, &features)?;
        timings.parse = tree.timings.parse;
        timings.resolve = tree.timings.resolve;
        if args.timings {
            timings.rss_loaded = rss_kib();
        }
        if let Some(affected) = &affected {
            let unloaded_reads = plan
                .as_ref()
                .map(|p| p.unloaded_reads(&tree))
                .unwrap_or_default();
            run.changed = Some(changed::scope(
                &tree,
                affected,
                |p| fs.kind(p).is_some(),
                unloaded_reads,
            )?);
        }
        timings.cache = run_cache
            .as_ref()
            .map(|c| {
                // Of the units discovered (stack units are generated, and loaded, each run).
                let loaded = tree.units.iter().filter(|u| u.stack.is_none()).count();
                (c.len(), loaded, selection.units.len())
            });
        let links = pass.take_links();
        let started = Instant::now();
        let mut outcome = pass.finish(&tree, &run, Vec::new());
        baselines.apply(&tree, &mut outcome, &run, &selection, &policy)?;
        timings.rules = started.elapsed();
        if args.timings {
            timings.rss_checked = rss_kib();
        }
        check_envs(&settings.envs, &policy, &tree)?;
        let human_on_stdout = targets
            .iter()
            .any(|t| t.file.is_none() && t.format == report::Format::Human);
        if outcome.units() == 0 && outcome.reported.is_empty() && human_on_stdout {
            let named: Vec<String> = paths
                .iter()
                .map(|p| tglint_model::fs::relative(p, &root))
                .collect();
            if selection.changed {
                println!(
                    "{} affect{} no Terragrunt unit (no unit is, includes or reads {}): nothing to check",
                    named.join(", "),
                    if named.len() == 1 { "s" } else { "" },
                    if named.len() == 1 { "it" } else { "them" }
                );
            } else {
                println!(
                    "no Terragrunt units under {}: nothing to check (a unit is a directory holding terragrunt.hcl)",
                    named.join(", ")
                );
            }
            return Ok(EXIT_OK);
        }
        let started = Instant::now();
        let written = emit(&tree, &outcome, &targets, &args, &settings)?;
        timings.report = started.elapsed();
        let started = Instant::now();
        if let Some(c) = &run_cache
            && let Err(e) = c.write(&tree, &links, selection.walk.as_ref())
        {
            eprintln!("tglint: note: the run cache was not written ({e}); --no-cache skips it");
        }
        timings.cache_write = started.elapsed();
        if args.timings {
            eprintln!("{}", timings.line());
        }
        if !written {
            // The reader went away (`tglint check | head`): nothing more to say.
            return Ok(EXIT_OK);
        }
        Ok(exit_code(&outcome, &settings))
    })
}

/// Every `--env` is a kind of the policy or the environment name of some unit of the run
/// (else a typo would silently check nothing).
fn check_envs(envs: &[String], policy: &policy::Policy, tree: &load::Tree) -> Result<(), String> {
    let kinds = policy.environments.iter().map(|e| e.kind.as_str());
    let names = tree
        .units
        .iter()
        .filter_map(|u| u.environment.as_ref().map(|c| c.name.as_str()));
    let known: std::collections::BTreeSet<&str> = kinds.chain(names).collect();
    for e in envs {
        if !known.contains(e.as_str()) {
            let hint = tglint_model::hcl::syntax::suggest(e, known.iter().copied())
                .map(|s| format!(" (did you mean `{s}`?)"))
                .unwrap_or_default();
            let list: Vec<&str> = known.iter().copied().collect();
            return Err(format!(
                "--env: no environment kind or unit environment is named `{e}`{hint}; known: {}",
                list.join(", ")
            ));
        }
    }
    Ok(())
}

/// The run's settings: a flag on the command line, else the policy's `defaults`, else
/// the built-in default.
struct Settings {
    fail_on: String,
    unknown: String,
    rules: Vec<String>,
    envs: Vec<String>,
    jobs: Option<usize>,
    quiet: bool,
}

impl Settings {
    fn new(args: &CheckArgs, d: &policy::Defaults) -> Result<Settings, String> {
        let pick = |flag: &Vec<String>, default: &Option<Vec<String>>| {
            if flag.is_empty() {
                default.clone().unwrap_or_default()
            } else {
                flag.clone()
            }
        };
        Ok(Settings {
            fail_on: args
                .fail_on
                .clone()
                .or_else(|| d.fail_on.clone())
                .unwrap_or_else(|| "error".into()),
            unknown: args
                .unknown
                .clone()
                .or_else(|| d.unknown.clone())
                .unwrap_or_else(|| "info".into()),
            rules: pick(&args.rules, &d.rules),
            envs: pick(&args.envs, &d.env),
            jobs: args.jobs.map(usize::from).or(d.jobs),
            quiet: args.quiet || d.quiet == Some(true),
        })
    }
}

/// How long each phase of a run took (`--timings`).
#[derive(Default)]
struct Timings {
    discover: Duration,
    parse: Duration,
    resolve: Duration,
    rules: Duration,
    report: Duration,
    /// Resident memory after loading and after the rules (Linux; else `None`).
    rss_loaded: Option<u64>,
    rss_checked: Option<u64>,
    /// The run cache: its valid entries, the units loaded and discovered (not counting
    /// stack units).
    cache: Option<(usize, usize, usize)>,
    /// Reading (and stamping) and writing the run cache.
    cache_open: Duration,
    cache_write: Duration,
}

/// The process's resident memory in KiB (`VmRSS` of /proc/self/status), where there is one.
fn rss_kib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmRSS:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

impl Timings {
    fn line(&self) -> String {
        let ms = |d: Duration| format!("{:.1} ms", d.as_secs_f64() * 1000.0);
        let total = self.discover
            + self.cache_open
            + self.parse
            + self.resolve
            + self.rules
            + self.report
            + self.cache_write;
        let mib = |k: Option<u64>| k.map_or("?".to_string(), |k| format!("{} MiB", k / 1024));
        let cache = match self.cache {
            Some((valid, loaded, all)) => format!(
                "; run cache: read {}, written {}, {valid} valid entries, {loaded} of {all} units loaded",
                ms(self.cache_open),
                ms(self.cache_write)
            ),
            None => "; no run cache".to_string(),
        };
        format!(
            "timings: discover {}, parse {}, resolve (with the per-unit rules) {}, rules (tree rules and the rest) {}, report {}; total {}; rss after load {}, after rules {}{cache}",
            ms(self.discover),
            ms(self.parse),
            ms(self.resolve),
            ms(self.rules),
            ms(self.report),
            ms(total),
            mib(self.rss_loaded),
            mib(self.rss_checked)
        )
    }
}

/// `--baseline` and `--write-baseline`, read before the run.
struct Baselines {
    /// `--baseline`.
    compare: Option<baseline::Baseline>,
    /// `--write-baseline`: as written, absolute, and the file already there (when it is
    /// not the `--baseline` file, which is `compare`).
    write: Option<(String, PathBuf, Option<baseline::Baseline>)>,
}

impl Baselines {
    fn read(args: &CheckArgs) -> Result<Baselines, String> {
        let compare = match &args.baseline {
            Some(p) => Some(baseline::read(
                "--baseline",
                &p.display().to_string(),
                &absolute(p)?,
            )?),
            None => None,
        };
        let write = match &args.write_baseline {
            Some(p) => {
                let shown = p.display().to_string();
                let abs = absolute(p)?;
                let same = compare.as_ref().is_some_and(|b| b.path == abs);
                // A file already there is read, so a narrower run keeps the entries it
                // could not have produced, and a file that is not a baseline is never
                // overwritten.
                let existing = if !same && std::fs::symlink_metadata(&abs).is_ok() {
                    Some(baseline::read("--write-baseline", &shown, &abs)?)
                } else {
                    None
                };
                Some((shown, abs, existing))
            }
            None => None,
        };
        Ok(Baselines { compare, write })
    }

    /// Writes the baseline, then drops the findings `--baseline` records and reports its
    /// stale entries.
    fn apply(
        &self,
        tree: &load::Tree,
        outcome: &mut engine::Outcome,
        run: &RunOptions,
        selection: &Selection,
        policy: &policy::Policy,
    ) -> Result<(), String> {
        if self.compare.is_none() && self.write.is_none() {
            return Ok(());
        }
        let coverage = engine::Changed {
            units: Default::default(),
            files: selection.files.iter().cloned().collect(),
            dirs: selection.dirs.clone(),
            unloaded_reads: Default::default(),
        };
        let scope = baseline::Scope::new(tree, outcome, run, &coverage);
        // `--baseline F --write-baseline F` refreshes F: its stale entries are dropped
        // (and counted), not reported.
        let refresh = match (&self.write, &self.compare) {
            (Some((_, path, _)), Some(b)) => &b.path == path,
            _ => false,
        };
        let mut written = None;
        if let Some((shown, path, existing)) = &self.write {
            let old = existing.as_ref().or(self.compare.as_ref());
            let entries = baseline::to_write(tree, &outcome.reported, old, &scope);
            baseline::write(shown, path, &baseline::render(&entries))?;
            written = Some((shown, entries.len()));
        }
        let mut stale = 0;
        if let Some(b) = &self.compare {
            let level = if refresh {
                Level::Off
            } else {
                policy.reserved_level("baseline").unwrap_or(Level::Info)
            };
            stale = baseline::apply(tree, outcome, b, &scope, level);
        }
        if let Some((shown, n)) = written {
            let dropped = match stale {
                0 => String::new(),
                1 => " (1 stale entry dropped)".to_string(),
                n => format!(" ({n} stale entries dropped)"),
            };
            eprintln!(
                "tglint: recorded {n} finding{} in {shown}{dropped}",
                if n == 1 { "" } else { "s" }
            );
        }
        Ok(())
    }
}

/// The units a run checks, and what discovery found on the way.
pub(crate) struct Selection {
    /// Every unit file to load, sorted.
    pub(crate) units: Vec<PathBuf>,
    pub(crate) found: Discovered,
    /// Changed-files mode: a file was named, so the whole tree is loaded and the units
    /// the files affect are checked (with those under `dirs`).
    pub(crate) changed: bool,
    /// The files named (absolute).
    pub(crate) files: Vec<PathBuf>,
    /// The directories named (absolute).
    pub(crate) dirs: Vec<PathBuf>,
    /// In changed-files mode, what the walk of the root found (before the named files it
    /// skips were added): what the run cache keeps.
    pub(crate) walk: Option<Discovered>,
}

/// The units under `paths`: the units of each directory; when a file is named
/// (changed-files mode), every unit of the tree, to check those the files affect.
pub(crate) fn select(
    fs: &Arc<dyn Fs>,
    root: &Path,
    paths: &[PathBuf],
    opts: &tglint_model::terragrunt::context::Options,
) -> Result<Selection, String> {
    select_walked(fs, root, paths, opts, None)
}

/// [`select`], with what a walk of the root would find already known (`known`, from the
/// run cache) for a changed-files run.
pub(crate) fn select_walked(
    fs: &Arc<dyn Fs>,
    root: &Path,
    paths: &[PathBuf],
    opts: &tglint_model::terragrunt::context::Options,
    mut known: Option<Discovered>,
) -> Result<Selection, String> {
    let walk = WalkOptions {
        follow_links: opts.follow_links,
    };
    let mut files = Vec::new();
    let mut dirs = Vec::new();
    for p in paths {
        if !p.starts_with(root) {
            return Err(format!(
                "{} is outside the root {}",
                p.display(),
                root.display()
            ));
        }
        confined(fs, root, p, opts)?;
        match fs.kind(p) {
            Some(Kind::Dir) => dirs.push(p.clone()),
            // A file, or one that does not exist (a deleted file: `changed::scope` decides).
            _ => files.push(p.clone()),
        }
    }
    let mut unit_files = Vec::new();
    let mut found = Discovered::default();
    let changed = !files.is_empty();
    let walked = if changed {
        vec![root.to_path_buf()]
    } else {
        dirs.clone()
    };
    let mut raw = None;
    for d in &walked {
        let d = match known.take().filter(|_| changed) {
            Some(k) => k,
            None => load::discover_in(&**fs, root, d, walk),
        };
        if changed {
            raw = Some(Discovered {
                units: d.units.clone(),
                hcl_files: d.hcl_files.clone(),
                stacks: d.stacks.clone(),
                problems: d.problems.clone(),
                walked: d.walked.clone(),
            });
        }
        unit_files.extend(d.units.iter().cloned());
        found.hcl_files.extend(d.hcl_files);
        found.stacks.extend(d.stacks);
        found.problems.extend(d.problems);
    }
    // A named file discovery skips (in an ignored directory) is still loaded: a unit
    // file as a unit, any other .hcl file parsed for its errors.
    for f in files.iter().filter(|f| fs.kind(f).is_some()) {
        let name = f
            .file_name()
            .map(|n| n.to_string_lossy())
            .unwrap_or_default();
        if name == "terragrunt.hcl" || name == "terragrunt.hcl.json" {
            // One unit per directory: a discovered terragrunt.hcl.json keeps winning.
            if !unit_files.iter().any(|u| u.parent() == f.parent()) {
                unit_files.push(f.clone());
            }
        } else if name.ends_with(".hcl") || name.ends_with(".hcl.json") {
            found.hcl_files.push(f.clone());
        }
    }
    unit_files.sort();
    unit_files.dedup();
    found.hcl_files.sort();
    found.hcl_files.dedup();
    found.stacks.sort();
    found.stacks.dedup();
    found.units = unit_files.clone();
    Ok(Selection {
        units: unit_files,
        found,
        changed,
        files,
        dirs,
        walk: raw,
    })
}

/// The policy: the embedded pack, then `--config` or the root's `.tglint.hcl`. A policy
/// with errors is reported on stderr and gives `Err(exit code)`.
pub(crate) fn load_policy(
    cache: &SourceCache,
    fs: &dyn Fs,
    root: &Path,
    args: &CheckArgs,
) -> Result<Result<policy::Policy, u8>, String> {
    let user_path = policy_path(fs, root, args)?;
    let user_text = match &user_path {
        Some(p) => Some(read_policy(fs, p, root, args.config.is_some())?),
        None => None,
    };
    let user = user_path.as_deref().zip(user_text.as_deref());
    let (policy, policy_diags) = policy::load_files(cache, user, RULES);
    if !policy_diags.is_empty() {
        for d in &policy_diags {
            eprintln!("{}", report::text::line(cache, d));
        }
        eprintln!(
            "tglint: the policy has {} error(s); nothing was checked",
            policy_diags.len()
        );
        return Ok(Err(EXIT_USAGE));
    }
    Ok(Ok(policy))
}

/// The user's policy file: `--config`, else the root's `.tglint.hcl` when there is one.
fn policy_path(fs: &dyn Fs, root: &Path, args: &CheckArgs) -> Result<Option<PathBuf>, String> {
    Ok(match &args.config {
        Some(c) => Some(absolute(c)?),
        None => {
            let p = root.join(".tglint.hcl");
            (fs.kind(&p) == Some(Kind::File)).then_some(p)
        }
    })
}

/// What the engine runs: `--unknown`, `--rule`, `--env`.
fn run_options(settings: &Settings) -> Result<RunOptions, String> {
    let only_rules = if settings.rules.is_empty() {
        None
    } else {
        let known: Vec<&str> = RULES.iter().map(|r| r.meta().id).collect();
        for id in &settings.rules {
            if !known.contains(&id.as_str()) {
                let hint = tglint_model::hcl::syntax::suggest(id, known.iter().copied())
                    .map(|s| format!(" (did you mean `{s}`?)"))
                    .unwrap_or_default();
                return Err(format!(
                    "--rule: no rule is named `{id}`{hint}; `tglint rules` lists them"
                ));
            }
        }
        Some(settings.rules.iter().cloned().collect())
    };
    Ok(RunOptions {
        unknown: match settings.unknown.as_str() {
            "ignore" => Level::Off,
            other => Level::parse(other).unwrap_or(Level::Info),
        },
        only_rules,
        environments: (!settings.envs.is_empty()).then(|| settings.envs.iter().cloned().collect()),
        ..RunOptions::default()
    })
}

/// Writes the reports: each to its file, then the one for stdout; when every report went
/// to a file, the summary line to stdout. `false` when stdout was closed before it was all
/// written. A file that cannot be written is an error naming it (exit 2).
fn emit(
    tree: &load::Tree,
    outcome: &engine::Outcome,
    targets: &[Target],
    args: &CheckArgs,
    run: &Settings,
) -> Result<bool, String> {
    let fail_on = fail_threshold(&run.fail_on);
    let settings = |to_stdout: bool| report::Settings {
        colour: to_stdout && colour(args.no_color),
        fail_on,
    };
    // --quiet: the human report shows only what fails the run, and nothing when it passes.
    let quiet = run.quiet.then(|| {
        let mut shown = outcome.clone();
        shown.reported.retain(|r| {
            fail_on.is_some_and(|at| severity_rank(r.diagnostic.severity) >= severity_rank(at))
        });
        shown
    });
    let view = |f: report::Format| match (&quiet, f) {
        (Some(q), report::Format::Human) => q,
        _ => outcome,
    };
    for t in targets {
        if let Some(file) = &t.file {
            let text = report::render(t.format, tree, view(t.format), settings(false))?;
            write_report(file, &text)?;
        }
    }
    let text = match targets.iter().find(|t| t.file.is_none()) {
        Some(t)
            if t.format == report::Format::Human
                && view(t.format).reported.is_empty()
                && run.quiet =>
        {
            String::new()
        }
        Some(t) => report::render(t.format, tree, view(t.format), settings(true))?,
        None if run.quiet => String::new(),
        None => format!("{}\n", report::human::summary(outcome)),
    };
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    Ok(crate::outcome(out.write_all(text.as_bytes()))? && flush(&mut out)?)
}

/// Writes a report to `--output FILE`, making the directories it lies in (CI jobs name
/// `reports/tglint.sarif` before anything made `reports/`).
fn write_report(file: &Path, text: &str) -> Result<(), String> {
    let fail =
        |e: std::io::Error| format!("--output {}: cannot write the report: {e}", file.display());
    if let Some(dir) = file.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).map_err(fail)?;
    }
    std::fs::write(file, text).map_err(fail)
}

/// The lowest severity that fails the run (`--fail-on`), `None` for `never`.
fn fail_threshold(fail_on: &str) -> Option<Severity> {
    match fail_on {
        "error" => Some(Severity::Error),
        "warning" => Some(Severity::Warning),
        "info" => Some(Severity::Info),
        _ => None,
    }
}

/// 2 when a check's expression failed (an error of the policy, like one found when it
/// loaded), 1 when a finding reaches `--fail-on`, else 0.
fn exit_code(outcome: &engine::Outcome, settings: &Settings) -> u8 {
    if outcome
        .reported
        .iter()
        .any(|r| r.diagnostic.rule == tglint_model::diag::Reserved::PolicyError)
    {
        return EXIT_USAGE;
    }
    let failed = fail_threshold(&settings.fail_on).is_some_and(|at| {
        outcome
            .reported
            .iter()
            .any(|r| severity_rank(r.diagnostic.severity) >= severity_rank(at))
    });
    if failed { EXIT_FINDINGS } else { EXIT_OK }
}

fn severity_rank(s: Severity) -> u8 {
    match s {
        Severity::Info => 0,
        Severity::Warning => 1,
        Severity::Error => 2,
    }
}

/// Whether to colour the human report: a terminal, no `NO_COLOR`, no `--no-color`.
fn colour(no_color: bool) -> bool {
    use std::io::IsTerminal;
    !no_color
        && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
        && std::io::stdout().is_terminal()
}

/// The user's policy file: `--config` is the user's own (read wherever it is); a
/// `.tglint.hcl` found at the root is part of the tree and read through the same checks
/// as any file of it.
fn read_policy(fs: &dyn Fs, path: &Path, root: &Path, explicit: bool) -> Result<String, String> {
    let bytes = if explicit {
        std::fs::read(path).map_err(|e| format!("--config {}: {e}", path.display()))?
    } else {
        let real_root = fs.canonicalize(root);
        fs.read(path, real_root.as_deref())
            .map_err(|e| format!("{}: {e}", path.display()))?
    };
    String::from_utf8(bytes).map_err(|_| format!("{} is not valid UTF-8", path.display()))
}

/// `--explain-env UNIT`: how the unit was classified.
fn explain_env(tree: &tglint_model::load::Tree, root: &Path, target: &Path) -> Result<u8, String> {
    let dir = if target
        .file_name()
        .is_some_and(|n| n == "terragrunt.hcl" || n == "terragrunt.hcl.json")
    {
        target.parent().unwrap_or(target).to_path_buf()
    } else {
        target.to_path_buf()
    };
    let rel = tglint_model::fs::relative(&dir, root);
    let Some(u) = tree.unit(&rel) else {
        return Err(format!(
            "{} is not a unit under the paths checked",
            dir.display()
        ));
    };
    let place = |o: Option<tglint_model::hcl::Origin>| match o {
        Some(o) => {
            let (line, col) = tree.cache.line_col(o.span.file, o.span.start);
            format!(" at {}:{line}:{col}", tree.rel(o.span.file))
        }
        None => String::new(),
    };
    let mut s = format!("{}\n", u.dir);
    match &u.environment {
        Some(c) => {
            s.push_str(&format!(
                "  environment: {} (from {}{})\n",
                c.name,
                c.because,
                place(c.origin)
            ));
            match &c.kind {
                Some(k) => s.push_str(&format!("  kind: {k}\n")),
                None => s.push_str(
                    "  kind: none (no environment block of the policy matches it: unclassified)\n",
                ),
            }
        }
        None => s.push_str("  environment: not found (unclassified)\n"),
    }
    match &u.region {
        Some(c) => s.push_str(&format!(
            "  region: {} (from {}{})\n",
            c.name,
            c.because,
            place(c.origin)
        )),
        None => s.push_str("  region: not found\n"),
    }
    print!("{s}");
    Ok(EXIT_OK)
}
