//! The `tglint` command line: `check` (the default command: every unit against the
//! policy), `render` (the static, side-effect-free view of resolved units), and the
//! commands around them: `rules`, `explain`, `graph` and `init`.
#![forbid(unsafe_code)]

mod baseline;
mod cache;
mod changed;
mod check;
mod explain;
mod graph;
mod init;
mod report;
mod rules;

use clap::{Args, CommandFactory, FromArgMatches, Parser, Subcommand};

/// mimalloc: a run allocates and frees millions of small values across threads, where
/// glibc's allocator spends a quarter of the cycles (docs/performance.md). Built with
/// `no_thp`: with transparent huge pages, each page mimalloc gave back and touched again
/// was a 2 MiB page the kernel zeroed, a fifth of a one-thread run.
#[cfg(feature = "mimalloc")]
#[global_allocator]
static ALLOC: mimalloc::MiMalloc = mimalloc::MiMalloc;

use rayon::prelude::*;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;
use tglint_model::fs::{Fs, Kind, clean};
use tglint_model::hcl::{Limits, Resource};
use tglint_model::load::{self, Discovered, Tree, WalkOptions};
use tglint_model::source::SourceCache;
use tglint_model::terragrunt::context::Options;

/// Exit codes (DESIGN §6).
pub(crate) const EXIT_OK: u8 = 0;
pub(crate) const EXIT_USAGE: u8 = 2;
const EXIT_INTERNAL: u8 = 3;

/// The stack of every thread that loads or checks units: the thread `main` runs the
/// command on and rayon's workers (`check`'s pool and the global one). HCL nests up to
/// hcl-edit's limit of 1024 levels, and parsing, evaluating, converting, encoding and
/// dropping such a value all recurse: at the limit a debug build needs about 25 MiB (a
/// release build far less), more than a thread's default 2 MiB or the main thread's
/// 8 MiB. The size is reserved address space; only the pages a thread touches cost memory.
pub(crate) const STACK_SIZE: usize = 64 << 20;

#[derive(Parser, Debug)]
#[command(
    name = "tglint",
    version,
    about = "Policy-as-code linter for Terragrunt trees",
    long_about = "tglint resolves every Terragrunt unit exactly as Terragrunt would — statically, \
executing nothing, reading nothing outside the scanned root — keeps what it cannot know as \
unknown, and checks every unit against policy: the reference architecture's invariants out of \
the box, and your own in .tglint.hcl.\n\n`tglint` alone is `tglint check .`.\n\nExamples:\n  tglint\n  tglint check environments/prod --format json\n  tglint check . --config policy.hcl --fail-on warning\n  tglint render live/prod/us-east-1/vpc\n  tglint render --all live/ | jq .inputs\n  tglint rules\n  tglint explain deletion-protection\n  tglint graph --format mermaid\n  tglint init --stdout"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

// Parsed once per run: CheckArgs being larger than the others costs nothing.
#[allow(clippy::large_enum_variant)]
#[derive(Subcommand, Debug)]
enum Command {
    /// Check every unit under PATHS against the policy (the default command).
    ///
    /// The policy is the embedded reference-architecture pack, extended by .tglint.hcl at
    /// the root (or --config). Each finding points at the line that defines the value, with
    /// the include chain that carried it to the unit. Exit codes: 0 nothing at or above
    /// --fail-on, 1 findings, 2 usage or policy error, 3 internal error.
    #[command(
        after_help = "Examples:\n  tglint check\n  tglint check environments/prod --format json > findings.json\n  tglint check . --unknown warning --fail-on warning\n  tglint check root.hcl environments/prod/env.hcl      # the units these files affect\n  tglint check --format sarif --output tglint.sarif --format github\n  tglint check --write-baseline .tglint-baseline.json  # then: --baseline .tglint-baseline.json\n  tglint check --explain-env environments/prod/us-east-1/02-data/rds\n\nCI and pre-commit set-ups: docs/ci.md; formats: docs/formats.md; baselines and changed\nfiles: docs/baseline.md."
    )]
    Check(check::CheckArgs),
    /// Print the resolved configuration of units as JSON, each value with its origin.
    ///
    /// The static replacement for `terragrunt render --json`: run_cmd, sops and cloud
    /// calls are never executed; their results are `{"$unknown": "<reason>"}`.
    /// The JSON is documented in docs/render.md.
    #[command(
        after_help = "Examples:\n  tglint render environments/prod/us-east-1/02-data/rds\n  tglint render --all environments/prod | jq -c '{unit, inputs}'\n  tglint render live/dev/app --set-env AWS_REGION=us-east-1"
    )]
    Render(RenderArgs),
    /// List the built-in rules and the reserved ids, with the level the policy gives each.
    ///
    /// One row per rule: id, category, scope (unit or tree), default level, the level the
    /// policy sets here (the embedded pack, then .tglint.hcl at the root or --config), and
    /// the rule's one-line summary. The reserved ids of loading and the engine follow.
    #[command(
        after_help = "Examples:\n  tglint rules\n  tglint rules --format json | jq -r '.rules[] | select(.level != \"off\") | .id'\n  tglint rules --config policy.hcl"
    )]
    Rules(rules::RulesArgs),
    /// Print a rule's documentation, as its page under docs/rules/ shows it.
    ///
    /// The page is Markdown: why the rule exists, a failing and a passing example, and the
    /// rule's options. Reserved ids (parse-error, unclassified, …) are explained too.
    #[command(
        after_help = "Examples:\n  tglint explain deletion-protection\n  tglint explain unclassified\n  tglint explain dependency-graph | less"
    )]
    Explain(explain::ExplainArgs),
    /// Draw the units and their dependencies, clustered by environment and region.
    ///
    /// Edges the dependency-graph rule reports (pointing up the layers, across
    /// environments, or to no unit) are red; a dependency on a missing unit is dashed, to
    /// a placeholder. dot is for Graphviz, mermaid renders in GitHub Markdown, json lists
    /// nodes and edges with their verdicts (docs/commands.md).
    #[command(
        after_help = "Examples:\n  tglint graph | dot -Tsvg > graph.svg\n  tglint graph environments/prod --format mermaid\n  tglint graph --format json | jq '.edges[] | select(.verdict != \"ok\")'"
    )]
    Graph(graph::GraphArgs),
    /// Write a starter .tglint.hcl from the environments, regions and modules of the tree.
    ///
    /// The file extends the embedded pack: environment names the pack does not know get
    /// an environment block, regions and module versions found are listed, and every
    /// setting is commented with what it does. An existing file is never overwritten
    /// unless --force is given.
    #[command(
        after_help = "Examples:\n  tglint init\n  tglint init --stdout | less\n  tglint init live/ --force"
    )]
    Init(init::InitArgs),
}

#[derive(Args, Debug)]
struct RenderArgs {
    /// The unit to render (its directory, or its terragrunt.hcl or terragrunt.hcl.json); with
    /// --all, the directory whose units to render (default: the current directory).
    #[arg(value_name = "UNIT|DIR")]
    target: Option<PathBuf>,

    /// Render every unit under DIR, one JSON object per line, in path order.
    #[arg(long)]
    all: bool,

    /// Output format: json (docs/render.md), or hcl (the resolved unit as HCL, unknowns
    /// as `null # unknown: <reason>`, the unit's diagnostics as closing comments).
    #[arg(long, value_parser = ["json", "hcl"], default_value = "json")]
    format: String,

    /// With --format hcl: follow each attribute with a comment naming where it was set
    /// (`# origin: file:line`).
    #[arg(long)]
    with_origins: bool,

    #[command(flatten)]
    common: CommonArgs,
}

#[derive(Args, Debug, Default)]
pub(crate) struct CommonArgs {
    /// The scanned root: what tglint may read and what paths are relative to. Default: the
    /// git work tree holding the target, else the current directory.
    #[arg(long, value_name = "DIR")]
    root: Option<PathBuf>,

    /// What get_env("NAME") sees (repeatable). Without it get_env gives its default, or
    /// unknown.
    #[arg(long = "set-env", value_name = "NAME=VALUE")]
    set_env: Vec<String>,

    /// Let get_env read the process environment (after --set-env).
    #[arg(long)]
    inherit_env: bool,

    /// What get_terraform_command() returns (otherwise unknown).
    #[arg(long, value_name = "CMD")]
    terraform_command: Option<String>,

    /// Override a feature flag's default (repeatable).
    #[arg(long = "feature", value_name = "NAME=VALUE")]
    feature: Vec<String>,

    /// Allow reading files outside the root (refused reads are unknown otherwise), also
    /// through symbolic links.
    #[arg(long)]
    allow_outside_root: bool,

    /// Raise (or lower) one of the evaluation budget's limits per expression; the limit
    /// per unit becomes four times N (repeatable). NAME is steps (default 1000000),
    /// values (250000), bytes (16777216) or reads (256). See docs/security.md.
    #[arg(long = "limit", value_name = "NAME=N")]
    limit: Vec<String>,
    /// Walk into directories reached through symbolic links, as long as they lie inside
    /// the root (loops are detected). Without it such links are reported, not followed.
    #[arg(long)]
    follow_links: bool,

    /// Read a remote stack unit or stack source from a local checkout (repeatable), as
    /// Terragrunt's flag of the same name: SOURCE is the source up to its `//` without
    /// `?ref=…`, PATH the local directory standing for it (inside the root unless
    /// --allow-outside-root).
    #[arg(long = "source-map", value_name = "SOURCE=PATH")]
    source_map: Vec<String>,
}

/// The arguments, with `check` inserted when no command is named (`tglint` alone,
/// `tglint --format json .`).
fn arguments() -> Vec<std::ffi::OsString> {
    let mut args: Vec<std::ffi::OsString> = std::env::args_os().collect();
    let first = args.get(1).and_then(|a| a.to_str()).map(str::to_string);
    let named = matches!(
        first.as_deref(),
        Some(
            "check"
                | "render"
                | "rules"
                | "explain"
                | "graph"
                | "init"
                | "help"
                | "--help"
                | "-h"
                | "--version"
                | "-V"
        )
    );
    if !named {
        args.insert(1.min(args.len()), "check".into());
    }
    args
}

fn main() -> ExitCode {
    let parsed = Cli::command()
        .try_get_matches_from(arguments())
        .and_then(|m| Cli::from_arg_matches(&m).map(|c| (c, m)));
    let cli = match parsed {
        Ok((mut c, m)) => {
            // `--output` pairs with the `--format` before it: their positions.
            if let (Command::Check(args), Some(("check", sub))) = (&mut c.command, m.subcommand()) {
                args.note_positions(sub);
            }
            c
        }
        Err(e) => {
            let code = if e.use_stderr() { EXIT_USAGE } else { EXIT_OK };
            let _ = e.print();
            return ExitCode::from(code);
        }
    };
    // Commands that do not build their own pool (`render`, `graph`, …) use the global one.
    let _ = rayon::ThreadPoolBuilder::new()
        .stack_size(STACK_SIZE)
        .build_global();
    let worker = std::thread::Builder::new()
        .name("tglint".into())
        .stack_size(STACK_SIZE)
        .spawn(move || run(cli));
    match worker.map(|w| w.join()) {
        Ok(Ok(code)) => ExitCode::from(code),
        // The command panicked (the message is above).
        Ok(Err(_)) => {
            eprintln!(
                "tglint: internal error (a bug in tglint; please report it with the input that caused it)"
            );
            ExitCode::from(EXIT_INTERNAL)
        }
        Err(e) => {
            eprintln!("tglint: cannot start a thread: {e}");
            ExitCode::from(EXIT_INTERNAL)
        }
    }
}

fn run(cli: Cli) -> u8 {
    let r = match cli.command {
        Command::Check(args) => check::check_cmd(args),
        Command::Render(args) => render_cmd(args),
        Command::Rules(args) => rules::rules_cmd(args),
        Command::Explain(args) => explain::explain_cmd(args),
        Command::Graph(args) => graph::graph_cmd(args),
        Command::Init(args) => init::init_cmd(args),
    };
    match r {
        Ok(code) => code,
        Err(msg) => {
            eprintln!("tglint: {msg}");
            if msg.starts_with("cannot write output") {
                EXIT_INTERNAL
            } else {
                EXIT_USAGE
            }
        }
    }
}

fn parse_pairs(
    items: &[String],
    flag: &str,
) -> Result<std::collections::BTreeMap<String, String>, String> {
    let mut out = std::collections::BTreeMap::new();
    for it in items {
        let Some((k, v)) = it.split_once('=') else {
            return Err(format!("{flag} expects NAME=VALUE, got `{it}`"));
        };
        if k.is_empty() {
            return Err(format!(
                "{flag} expects NAME=VALUE with a non-empty NAME, got `{it}`"
            ));
        }
        out.insert(k.to_string(), v.to_string());
    }
    Ok(out)
}

pub(crate) fn options(c: &CommonArgs) -> Result<Options, String> {
    Ok(Options {
        env: parse_pairs(&c.set_env, "--set-env")?,
        inherit_env: c.inherit_env,
        terraform_command: c.terraform_command.clone(),
        features: parse_pairs(&c.feature, "--feature")?,
        allow_outside_root: c.allow_outside_root,
        limits: limits(&c.limit)?,
        follow_links: c.follow_links,
        source_map: source_map(&c.source_map)?,
    })
}

/// `--source-map SOURCE=PATH` pairs, PATH made absolute from the current directory.
fn source_map(items: &[String]) -> Result<std::collections::BTreeMap<String, PathBuf>, String> {
    let mut out = std::collections::BTreeMap::new();
    for (k, v) in parse_pairs(items, "--source-map")? {
        if v.is_empty() {
            return Err(format!(
                "--source-map {k}= needs a PATH: the local directory that stands for {k}"
            ));
        }
        out.insert(k, tglint_model::fs::clean(&absolute(Path::new(&v))?));
    }
    Ok(out)
}

/// The `--feature` overrides checked against the loaded units, as Terragrunt types them:
/// an override of a bool flag that is no bool is a usage error (exit 2, naming the flag
/// and the type); one that no unit declares is bound as a string, as Terragrunt binds it,
/// and said on stderr.
pub(crate) fn check_features(
    tree: &Tree,
    features: &std::collections::BTreeMap<String, String>,
) -> Result<(), String> {
    let c = tglint_model::terragrunt::feature_flags::check_overrides(&tree.units, features);
    if let Some(e) = c.errors.into_iter().next() {
        return Err(e);
    }
    for n in c.undeclared {
        eprintln!(
            "tglint: warning: --feature {n}: no unit declares feature \"{n}\"; feature.{n}.value is the string given, as in Terragrunt"
        );
    }
    Ok(())
}

/// The budget limits from `--limit NAME=N` flags.
fn limits(items: &[String]) -> Result<Limits, String> {
    let mut out = Limits::DEFAULT;
    for (name, n) in parse_pairs(items, "--limit")? {
        let names: Vec<&str> = Resource::ALL.iter().map(|r| r.name()).collect();
        let Some(r) = Resource::from_name(&name) else {
            return Err(format!(
                "--limit: no limit is named `{name}`; the limits are {}",
                names.join(", ")
            ));
        };
        let n: u64 = n.parse().ok().filter(|n| *n > 0).ok_or_else(|| {
            format!("--limit {name}=N expects a positive whole number, got `{n}`")
        })?;
        out = out.with(r, n);
    }
    Ok(out)
}

pub(crate) fn absolute(p: &Path) -> Result<PathBuf, String> {
    let cwd =
        std::env::current_dir().map_err(|e| format!("cannot read the current directory: {e}"))?;
    Ok(clean(&cwd.join(p)))
}

/// The root: `--root`, else the git work tree holding `target`, else the current
/// directory when it holds `target`, else `target`'s own directory.
pub(crate) fn find_root(
    fs: &dyn Fs,
    explicit: Option<&Path>,
    target: &Path,
) -> Result<PathBuf, String> {
    if let Some(r) = explicit {
        let r = absolute(r)?;
        if fs.kind(&r) != Some(Kind::Dir) {
            return Err(format!("--root {} is not a directory", r.display()));
        }
        return Ok(r);
    }
    let start = if fs.kind(target) == Some(Kind::Dir) {
        Some(target)
    } else {
        target.parent()
    };
    // The innermost work tree holding the target, searched from the top down: once a work
    // tree is found, a symbolic link inside it is its content, never the way to a new root
    // (a pull request could otherwise link `live` to another repository and have it read).
    let mut found = None;
    if let Some(start) = start {
        let mut dirs: Vec<&Path> = start.ancestors().collect();
        dirs.reverse();
        for d in dirs {
            if found.is_some() && fs.lkind(d).is_ok_and(|k| k == Kind::Link) {
                break;
            }
            if fs.kind(&d.join(".git")).is_some() {
                found = Some(d.to_path_buf());
            }
        }
    }
    if let Some(r) = found {
        return Ok(r);
    }
    let cwd = absolute(Path::new("."))?;
    if target.starts_with(&cwd) {
        return Ok(cwd);
    }
    Ok(if fs.kind(target) == Some(Kind::Dir) {
        target.to_path_buf()
    } else {
        target.parent().unwrap_or(Path::new("/")).to_path_buf()
    })
}

fn render_cmd(args: RenderArgs) -> Result<u8, String> {
    let opts = options(&args.common)?;
    let fs: Arc<dyn Fs> = tglint_model::fs::disk();
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    if args.all {
        let dir = absolute(args.target.as_deref().unwrap_or(Path::new(".")))?;
        let root = find_root(&*fs, args.common.root.as_deref(), &dir)?;
        if !dir.starts_with(&root) {
            return Err(format!(
                "{} is outside the root {}",
                dir.display(),
                root.display()
            ));
        }
        confined(&fs, &root, &dir, &opts)?;
        if fs.kind(&dir) != Some(Kind::Dir) {
            return Err(format!("{} is not a directory", dir.display()));
        }
        let timing = std::env::var_os("TGLINT_TIMING").is_some();
        let t0 = std::time::Instant::now();
        let walk = WalkOptions {
            follow_links: opts.follow_links,
        };
        let found = load::discover_in(&*fs, &root, &dir, walk);
        let t1 = std::time::Instant::now();
        let units = found.units.clone();
        let features = opts.features.clone();
        let tree = load::load_units(fs, &root, opts, &units, found);
        check_features(&tree, &features)?;
        let t2 = std::time::Instant::now();
        // Render in parallel, write in path order.
        let hcl = args.format == "hcl";
        let lines: Vec<String> = tree
            .units
            .par_iter()
            .map(|u| match hcl {
                true => unit_hcl(&tree, u, args.with_origins),
                false => report::json::render_unit(&tree, u).to_string(),
            })
            .collect();
        for line in &lines {
            if !write_line(&mut out, line)? {
                return Ok(EXIT_OK);
            }
        }
        if timing {
            eprintln!(
                "timing: discover {:?}, load {:?}, render {:?}",
                t1 - t0,
                t2 - t1,
                t2.elapsed()
            );
        }
        // Problems that belong to no unit: one last line, so the JSON holds every problem.
        if let Some(j) = report::json::tree_line(&tree).filter(|_| !hcl)
            && !write_line(&mut out, &j.to_string())?
        {
            return Ok(EXIT_OK);
        }
        if !flush(&mut out)? {
            return Ok(EXIT_OK);
        }
        report_tree_diagnostics(&tree);
        // The OS reclaims the tree faster than dropping it value by value.
        std::mem::forget(tree);
        return Ok(EXIT_OK);
    }
    let Some(unit) = &args.target else {
        return Err(
            "name a unit to render, or pass --all to render every unit under a directory".into(),
        );
    };
    let unit = absolute(unit)?;
    let root = find_root(&*fs, args.common.root.as_deref(), &unit)?;
    if !unit.starts_with(&root) {
        return Err(format!(
            "{} is outside the root {}",
            unit.display(),
            root.display()
        ));
    }
    confined(&fs, &root, &unit, &opts)?;
    // A unit a stack file generates (under `.terragrunt-stack/`) need not exist on disk:
    // the stack is evaluated, and its unit at that directory rendered.
    if let Some(stack_dir) = generated_by_stack(&*fs, &unit) {
        return render_stack_unit(&args, fs, opts, &root, &stack_dir, &unit, &mut out);
    }
    let file = match fs.kind(&unit) {
        // terragrunt.hcl.json wins over terragrunt.hcl, as Terragrunt chooses.
        Some(Kind::Dir) => match unit.join("terragrunt.hcl.json") {
            json if fs.kind(&json) == Some(Kind::File) => json,
            _ => unit.join("terragrunt.hcl"),
        },
        Some(_) => unit.clone(),
        None => return Err(format!("{} does not exist", unit.display())),
    };
    // A unit file that is not a regular file (a FIFO, say) is loaded, and fails visibly.
    if !matches!(fs.kind(&file), Some(Kind::File | Kind::Other)) {
        return Err(format!(
            "{} is not a Terragrunt unit: it has no terragrunt.hcl (nor terragrunt.hcl.json)",
            unit.display()
        ));
    }
    let features = opts.features.clone();
    let tree = load::load_units(fs, &root, opts, &[file], Discovered::default());
    check_features(&tree, &features)?;
    for u in &tree.units {
        if !write_line(&mut out, &one_unit(&args, &tree, u)?)? {
            return Ok(EXIT_OK);
        }
    }
    flush(&mut out)?;
    Ok(EXIT_OK)
}

/// `render UNIT`'s text for one unit: pretty JSON, or HCL with `--format hcl`.
fn one_unit(
    args: &RenderArgs,
    tree: &Tree,
    u: &tglint_model::unit::Unit,
) -> Result<String, String> {
    if args.format == "hcl" {
        Ok(unit_hcl(tree, u, args.with_origins))
    } else {
        serde_json::to_string_pretty(&report::json::render_unit(tree, u)).map_err(|e| e.to_string())
    }
}

/// The unit directory a `render` target names: the directory itself, or the directory of
/// a `terragrunt.hcl` named.
fn unit_dir(target: &Path) -> &Path {
    match target.parent() {
        Some(p) if target.file_name().is_some_and(|n| n == "terragrunt.hcl") => p,
        _ => target,
    }
}

/// The directory of the stack file that generates `target` when `target` lies under a
/// `.terragrunt-stack` directory and is not a unit on disk (`None` otherwise).
fn generated_by_stack(fs: &dyn Fs, target: &Path) -> Option<PathBuf> {
    let dir = unit_dir(target);
    let on_disk = ["terragrunt.hcl", "terragrunt.hcl.json"]
        .iter()
        .any(|n| fs.kind(&dir.join(n)) == Some(Kind::File));
    if on_disk {
        return None;
    }
    let mut at = PathBuf::new();
    for c in dir.components() {
        if c.as_os_str() == ".terragrunt-stack" {
            return (fs.kind(&at.join("terragrunt.stack.hcl")) == Some(Kind::File)).then_some(at);
        }
        at.push(c);
    }
    None
}

/// `render DIR` of a unit generated by the stack file in `stack_dir`.
fn render_stack_unit(
    args: &RenderArgs,
    fs: Arc<dyn Fs>,
    opts: Options,
    root: &Path,
    stack_dir: &Path,
    target: &Path,
    out: &mut impl Write,
) -> Result<u8, String> {
    let dir = unit_dir(target);
    let rel = tglint_model::fs::relative(dir, root);
    let walk = WalkOptions {
        follow_links: opts.follow_links,
    };
    let found = load::discover_in(&*fs, root, stack_dir, walk);
    let units = found.units.clone();
    let features = opts.features.clone();
    let tree = load::load_units(fs, root, opts, &units, found);
    check_features(&tree, &features)?;
    let Some(u) = tree.units.iter().find(|u| u.dir == rel) else {
        let generated: Vec<&str> = tree
            .units
            .iter()
            .filter(|u| u.stack.is_some())
            .map(|u| u.dir.as_str())
            .collect();
        return Err(format!(
            "{} is not a unit: the stack file in {} generates no unit there (it generates: {})",
            dir.display(),
            stack_dir.display(),
            if generated.is_empty() {
                "none".to_string()
            } else {
                generated.join(", ")
            }
        ));
    };
    if write_line(out, &one_unit(args, &tree, u)?)? {
        flush(out)?;
    }
    Ok(EXIT_OK)
}

/// A target named on the command line that leads out of the root through a symbolic link
/// is a usage error, like a target outside the root (nothing there is looked at).
pub(crate) fn confined(
    fs: &Arc<dyn Fs>,
    root: &Path,
    target: &Path,
    opts: &Options,
) -> Result<(), String> {
    let check = SourceCache::new(fs.clone(), root, opts.allow_outside_root);
    match check.refusal(target) {
        Some(why) => Err(format!(
            "{} (the root is {})",
            check.refusal_message(target, &why),
            root.display()
        )),
        None => Ok(()),
    }
}

/// Writes a line. `Ok(false)`: the reader went away (`| head`), which is not an error.
fn write_line(out: &mut impl Write, line: &str) -> Result<bool, String> {
    outcome(writeln!(out, "{line}"))
}

/// Flushes. `Ok(false)`: the reader went away.
/// The paths given, absolute; none: the current directory.
pub(crate) fn paths_or_cwd(paths: &[PathBuf]) -> Result<Vec<PathBuf>, String> {
    if paths.is_empty() {
        Ok(vec![absolute(Path::new("."))?])
    } else {
        paths.iter().map(|p| absolute(p)).collect()
    }
}

/// Prints a command's whole output; a reader that went away (`| head`) ends it quietly.
pub(crate) fn print_all(text: &str) -> Result<u8, String> {
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    if outcome(out.write_all(text.as_bytes()))? {
        flush(&mut out)?;
    }
    Ok(EXIT_OK)
}

pub(crate) fn flush(out: &mut impl Write) -> Result<bool, String> {
    outcome(out.flush())
}

pub(crate) fn outcome(r: std::io::Result<()>) -> Result<bool, String> {
    match r {
        Ok(()) => Ok(true),
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(false),
        Err(e) => Err(format!("cannot write output: {e}")),
    }
}

/// `render --format hcl`: the model's HCL view of the unit, then its diagnostics as
/// comments (`# error [eval-error] file:line:column: message`).
fn unit_hcl(tree: &Tree, u: &tglint_model::unit::Unit, origins: bool) -> String {
    let mut text = tglint_model::render_hcl::unit_hcl(tree, u, origins);
    for d in &u.diagnostics {
        let line = report::text::line(&tree.cache, d);
        text.push_str("# ");
        text.push_str(&line.split_whitespace().collect::<Vec<_>>().join(" "));
        text.push('\n');
    }
    text
}

fn report_tree_diagnostics(tree: &Tree) {
    for d in &tree.diagnostics {
        eprintln!("{}", report::text::line(&tree.cache, d));
    }
}
