//! `tglint check`: every unit under the paths resolved and checked against the policy.

use crate::report;
use crate::{CommonArgs, EXIT_OK, EXIT_USAGE, absolute, confined, find_root, flush, options};
use crate::{baseline, changed};
use clap::Args;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use tglint_model::diag::Severity;
use tglint_model::fs::{DiskFs, Fs, Kind};
use tglint_model::load::{self, Discovered, WalkOptions};
use tglint_rules::engine::{self, RunOptions};
use tglint_rules::{Level, RULES, policy};

/// Exit code when findings reach `--fail-on`.
pub const EXIT_FINDINGS: u8 = 1;

#[derive(Args, Debug)]
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

    /// How to report: `human` (with source excerpts) or `json` (docs/ci.md's contract).
    #[arg(long, value_parser = ["human", "json"], default_value = "human")]
    format: String,

    /// The policy file (default: .tglint.hcl at the root, if any); it extends the embedded
    /// reference-architecture pack.
    #[arg(long, value_name = "FILE")]
    config: Option<PathBuf>,

    /// The lowest severity that fails the run (exit 1).
    #[arg(long, value_parser = ["error", "warning", "info", "never"], default_value = "error")]
    fail_on: String,

    /// The severity of "cannot verify" findings (where a deciding value is unknown).
    #[arg(long, value_parser = ["ignore", "info", "warning", "error"], default_value = "info")]
    unknown: String,

    /// Run only this rule (repeatable).
    #[arg(long = "rule", value_name = "ID")]
    rules: Vec<String>,

    /// Show how UNIT's environment and region were found, and stop.
    #[arg(long, value_name = "UNIT")]
    explain_env: Option<PathBuf>,

    /// Print no colour (also when NO_COLOR is set or the output is not a terminal).
    #[arg(long)]
    no_color: bool,

    #[command(flatten)]
    common: CommonArgs,
}

pub fn check_cmd(args: CheckArgs) -> Result<u8, String> {
    let opts = options(&args.common)?;
    let fs: Arc<dyn Fs> = Arc::new(DiskFs);
    let paths: Vec<PathBuf> = if args.paths.is_empty() {
        vec![absolute(Path::new("."))?]
    } else {
        args.paths
            .iter()
            .map(|p| absolute(p))
            .collect::<Result<_, _>>()?
    };
    let root = find_root(&*fs, args.common.root.as_deref(), &paths[0])?;
    // A bad baseline is a usage error before anything is checked.
    let baselines = Baselines::read(&args)?;
    let mut selection = select(&fs, &root, &paths, &opts)?;
    let found = std::mem::take(&mut selection.found);
    let mut tree = load::load_units(fs.clone(), &root, opts, &selection.units, found);

    let policy = match load_policy(&tree, &*fs, &root, &args)? {
        Ok(p) => p,
        Err(code) => return Ok(code),
    };
    if let Some(target) = &args.explain_env {
        engine::classify_units(&mut tree.units, &policy);
        return explain_env(&tree, &root, &absolute(target)?);
    }
    let mut run = run_options(&args)?;
    if selection.changed {
        let policy_file = policy_path(&*fs, &root, &args)?;
        run.changed = Some(changed::scope(
            &tree,
            &selection.files,
            &selection.dirs,
            policy_file.as_deref(),
            |p| fs.kind(p).is_some(),
        )?);
    }
    let mut outcome = engine::run(&mut tree, RULES, &policy, &run, Vec::new());
    baselines.apply(&tree, &mut outcome, &run, &selection, &policy)?;
    if !emit(&tree, &outcome, &args)? {
        // The reader went away (`tglint check | head`): nothing more to say.
        return Ok(EXIT_OK);
    }
    Ok(exit_code(&outcome, &args))
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
        };
        let scope = baseline::Scope::new(tree, outcome, run, &coverage);
        if let Some((shown, path, existing)) = &self.write {
            let old = existing.as_ref().or(self.compare.as_ref());
            let entries = baseline::to_write(tree, &outcome.reported, old, &scope);
            baseline::write(shown, path, &baseline::render(&entries))?;
            eprintln!(
                "tglint: recorded {} finding{} in {shown}",
                entries.len(),
                if entries.len() == 1 { "" } else { "s" }
            );
        }
        if let Some(b) = &self.compare {
            let level = policy.reserved_level("baseline").unwrap_or(Level::Info);
            baseline::apply(tree, outcome, b, &scope, level);
        }
        Ok(())
    }
}

/// The units a run checks, and what discovery found on the way.
struct Selection {
    /// Every unit file to load, sorted.
    units: Vec<PathBuf>,
    found: Discovered,
    /// Changed-files mode: a file was named, so the whole tree is loaded and the units
    /// the files affect are checked (with those under `dirs`).
    changed: bool,
    /// The files named (absolute).
    files: Vec<PathBuf>,
    /// The directories named (absolute).
    dirs: Vec<PathBuf>,
}

/// The units under `paths`: the units of each directory; when a file is named
/// (changed-files mode), every unit of the tree, to check those the files affect.
fn select(
    fs: &Arc<dyn Fs>,
    root: &Path,
    paths: &[PathBuf],
    opts: &tglint_model::terragrunt::context::Options,
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
    for d in &walked {
        let d = load::discover_in(&**fs, root, d, walk);
        unit_files.extend(d.units.iter().cloned());
        found.hcl_files.extend(d.hcl_files);
        found.unsupported.extend(d.unsupported);
        found.problems.extend(d.problems);
    }
    // A named file discovery skips (in an ignored directory) is still loaded: a unit
    // file as a unit, any other .hcl file parsed for its errors.
    for f in files.iter().filter(|f| fs.kind(f).is_some()) {
        if f.file_name().is_some_and(|n| n == "terragrunt.hcl") {
            unit_files.push(f.clone());
        } else if f.extension().is_some_and(|e| e == "hcl") {
            found.hcl_files.push(f.clone());
        }
    }
    unit_files.sort();
    unit_files.dedup();
    found.hcl_files.sort();
    found.hcl_files.dedup();
    found.units = unit_files.clone();
    Ok(Selection {
        units: unit_files,
        found,
        changed,
        files,
        dirs,
    })
}

/// The policy: the embedded pack, then `--config` or the root's `.tglint.hcl`. A policy
/// with errors is reported on stderr and gives `Err(exit code)`.
fn load_policy(
    tree: &load::Tree,
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
    let (policy, policy_diags) = policy::load_files(&tree.cache, user, RULES);
    if !policy_diags.is_empty() {
        for d in &policy_diags {
            eprintln!("{}", report::text::line(tree, d));
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

/// What the engine runs: `--unknown`, `--rule`.
fn run_options(args: &CheckArgs) -> Result<RunOptions, String> {
    let only_rules = if args.rules.is_empty() {
        None
    } else {
        let known: Vec<&str> = RULES.iter().map(|r| r.meta().id).collect();
        for id in &args.rules {
            if !known.contains(&id.as_str()) {
                let hint = tglint_model::hcl::syntax::suggest(id, known.iter().copied())
                    .map(|s| format!(" (did you mean `{s}`?)"))
                    .unwrap_or_default();
                return Err(format!(
                    "--rule: no rule is named `{id}`{hint}; `tglint rules` lists them"
                ));
            }
        }
        Some(args.rules.iter().cloned().collect())
    };
    Ok(RunOptions {
        unknown: match args.unknown.as_str() {
            "ignore" => Level::Off,
            other => Level::parse(other).unwrap_or(Level::Info),
        },
        only_rules,
        ..RunOptions::default()
    })
}

/// Writes the report; `false` when stdout was closed before it was all written.
fn emit(tree: &load::Tree, outcome: &engine::Outcome, args: &CheckArgs) -> Result<bool, String> {
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    let text = match args.format.as_str() {
        "json" => {
            let mut s = serde_json::to_string_pretty(&report::json::check(tree, outcome))
                .map_err(|e| format!("cannot write output: {e}"))?;
            s.push('\n');
            s
        }
        _ => report::human::render(tree, outcome, colour(args.no_color)),
    };
    Ok(crate::outcome(out.write_all(text.as_bytes()))? && flush(&mut out)?)
}

/// 2 when a check's expression failed (an error of the policy, like one found when it
/// loaded), 1 when a finding reaches `--fail-on`, else 0.
fn exit_code(outcome: &engine::Outcome, args: &CheckArgs) -> u8 {
    if outcome
        .reported
        .iter()
        .any(|r| r.diagnostic.rule == tglint_model::diag::Reserved::PolicyError)
    {
        return EXIT_USAGE;
    }
    let fail_at = match args.fail_on.as_str() {
        "error" => Some(Severity::Error),
        "warning" => Some(Severity::Warning),
        "info" => Some(Severity::Info),
        _ => None,
    };
    let failed = fail_at.is_some_and(|at| {
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
    let dir = if target.file_name().is_some_and(|n| n == "terragrunt.hcl") {
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
