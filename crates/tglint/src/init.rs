//! `tglint init [DIR]`: a starter `.tglint.hcl` at the root, from what the tree holds —
//! the environment names (classified by the embedded pack: which names its kinds cover,
//! and an `environment` block for each name none covers), the regions of each, and the
//! modules the units deploy with the versions they pin — every setting commented with
//! what it does. It never overwrites a file unless `--force`; `--stdout` prints instead.

use crate::check;
use crate::{CommonArgs, EXIT_OK, absolute, find_root, options};
use clap::Args;
use std::collections::{BTreeMap, BTreeSet};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use tglint_model::diag::Reserved;
use tglint_model::fs::Fs;
use tglint_model::load;
use tglint_model::module::SourceKind;
use tglint_model::unit::Unit;
use tglint_rules::policy::{self, Policy};
use tglint_rules::{RULES, engine};

/// `tglint init`'s arguments.
#[derive(Args, Debug)]
pub struct InitArgs {
    /// The directory whose units to survey (default: the current directory). The file is
    /// written at the root (the git work tree holding DIR, or --root), where `tglint
    /// check` looks for it.
    #[arg(value_name = "DIR")]
    dir: Option<PathBuf>,

    /// Print the starter policy instead of writing it.
    #[arg(long)]
    stdout: bool,

    /// Replace an existing .tglint.hcl.
    #[arg(long)]
    force: bool,

    #[command(flatten)]
    common: CommonArgs,
}

/// Surveys the units under DIR and writes (or prints) the starter policy.
pub fn init_cmd(args: InitArgs) -> Result<u8, String> {
    let opts = options(&args.common)?;
    let fs: Arc<dyn Fs> = tglint_model::fs::disk();
    let dir = absolute(args.dir.as_deref().unwrap_or(Path::new(".")))?;
    let root = find_root(&*fs, args.common.root.as_deref(), &dir)?;
    let target = root.join(".tglint.hcl");
    let shown = shown_path(&target)?;
    if !args.stdout && !args.force && std::fs::symlink_metadata(&target).is_ok() {
        return Err(refusal(&shown));
    }
    let selection = check::select(&fs, &root, std::slice::from_ref(&dir), &opts)?;
    let mut tree = load::load_units(fs.clone(), &root, opts, &selection.units, selection.found);
    // The embedded pack alone classifies: the starter says how the tree fits it.
    let (pack, errors) = policy::load_files(&tree.cache, None, RULES);
    if !errors.is_empty() {
        return Err("the embedded policy does not load (a bug in tglint)".into());
    }
    engine::classify_units(&mut tree.units, &pack);
    let survey = Survey::of(&tree.units, &pack);
    let text = starter(&survey, &pack);

    if args.stdout {
        return crate::print_all(&text);
    }
    write(&target, &shown, &text, args.force)?;
    eprintln!(
        "tglint: wrote {shown} ({} environment name(s), {} module(s), from {} unit(s)); review it, then run `tglint check`",
        survey.environments.len(),
        survey.modules.len(),
        survey.units
    );
    if survey.units == 0 {
        eprintln!(
            "tglint: no units were found under {}; the starter names no environment of the tree",
            shown_path(&dir)?
        );
    }
    Ok(EXIT_OK)
}

fn refusal(shown: &str) -> String {
    format!(
        "init: {shown} already exists, and init does not overwrite it (--force replaces it; --stdout prints the starter instead)"
    )
}

/// `path` relative to the current directory when it is below it, else absolute.
fn shown_path(path: &Path) -> Result<String, String> {
    let cwd = absolute(Path::new("."))?;
    Ok(if path.starts_with(&cwd) {
        let rel = tglint_model::fs::relative(path, &cwd);
        if rel.is_empty() { ".".into() } else { rel }
    } else {
        path.display().to_string()
    })
}

/// Writes the file: a new one, or (with `force`) over a regular file, never through a
/// link.
fn write(target: &Path, shown: &str, text: &str, force: bool) -> Result<(), String> {
    let mut open = std::fs::OpenOptions::new();
    open.write(true);
    if force {
        match std::fs::symlink_metadata(target) {
            Ok(m) if !m.file_type().is_file() => {
                return Err(format!(
                    "init: {shown} is not a regular file; remove it first"
                ));
            }
            _ => {}
        }
        open.create(true).truncate(true);
    } else {
        open.create_new(true);
    }
    let mut f = open.open(target).map_err(|e| {
        if e.kind() == std::io::ErrorKind::AlreadyExists {
            refusal(shown)
        } else {
            format!("cannot write output: {shown}: {e}")
        }
    })?;
    f.write_all(text.as_bytes())
        .map_err(|e| format!("cannot write output: {shown}: {e}"))
}

/// One environment name of the tree.
#[derive(Default)]
struct EnvName {
    units: usize,
    regions: BTreeSet<String>,
    /// Units of it whose region was not found.
    no_region: usize,
}

/// One module address of the tree (a registry or git source).
#[derive(Default)]
struct ModuleUse {
    kind: Option<SourceKind>,
    /// Version (or ref) → units pinning it.
    versions: BTreeMap<String, usize>,
    /// Units pinning nothing.
    unpinned: usize,
}

/// What the tree holds, as the starter reports it.
#[derive(Default)]
struct Survey {
    units: usize,
    /// By name.
    environments: BTreeMap<String, EnvName>,
    /// Units with no environment name (their directories, sorted).
    unnamed: Vec<String>,
    /// By address.
    modules: BTreeMap<String, ModuleUse>,
    /// Local sources: units deploying one, and a few of the paths.
    local: usize,
    local_examples: BTreeSet<String>,
    /// Units whose source is unknown or absent.
    no_source: usize,
}

impl Survey {
    fn of(units: &[Unit], pack: &Policy) -> Survey {
        let mut s = Survey::default();
        for u in units.iter().filter(|u| !pack.excluded(&u.dir)) {
            s.units += 1;
            match &u.environment {
                Some(env) => {
                    let e = s.environments.entry(env.name.clone()).or_default();
                    e.units += 1;
                    match &u.region {
                        Some(r) => {
                            e.regions.insert(r.name.clone());
                        }
                        None => e.no_region += 1,
                    }
                }
                None => s.unnamed.push(u.dir.clone()),
            }
            match u.module() {
                Some(m) if m.kind == SourceKind::Local => {
                    s.local += 1;
                    s.local_examples.insert(m.address.clone());
                }
                Some(m) => {
                    let e = s.modules.entry(m.address.clone()).or_default();
                    e.kind = Some(m.kind.clone());
                    match m.version.as_deref().filter(|v| !v.is_empty()) {
                        Some(v) => *e.versions.entry(v.to_string()).or_default() += 1,
                        None => e.unpinned += 1,
                    }
                }
                None => s.no_source += 1,
            }
        }
        s.unnamed.sort();
        s
    }
}

/// A quoted HCL string (escapes, and `${`/`%{` kept literal).
fn hcl_str(s: &str) -> String {
    let mut out = String::from("\"");
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '$' | '%' if chars.peek() == Some(&'{') => {
                out.push(c);
                out.push(c);
            }
            c if c.is_control() => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// A glob matching exactly `name`.
fn glob_literal(name: &str) -> String {
    let mut out = String::new();
    for c in name.chars() {
        match c {
            '*' | '?' | '[' | ']' | '{' | '}' | '\\' => {
                out.push('[');
                out.push(c);
                out.push(']');
            }
            c => out.push(c),
        }
    }
    out
}

/// `["a", "b"]`.
fn hcl_list<'a>(items: impl IntoIterator<Item = &'a str>) -> String {
    let items: Vec<String> = items.into_iter().map(hcl_str).collect();
    format!("[{}]", items.join(", "))
}

/// `a, b and c`.
fn and_list(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    }
}

fn units(n: usize) -> String {
    format!("{n} unit{}", if n == 1 { "" } else { "s" })
}

/// A section rule: `# ----- title ---…` to 90 columns.
fn section(s: &mut String, title: &str) {
    let head = format!("# ----- {title} ");
    let fill = 90usize.saturating_sub(head.chars().count());
    s.push_str(&format!("\n{head}{}\n", "-".repeat(fill)));
}

/// Prose wrapped at 90 columns, each line a comment.
fn comment(s: &mut String, text: &str) {
    let mut line = String::from("#");
    for word in text.split(' ') {
        if line.chars().count() + 1 + word.chars().count() > 90 && line != "#" {
            s.push_str(&line);
            s.push('\n');
            line = String::from("#");
        }
        line.push(' ');
        line.push_str(word);
    }
    s.push_str(&line);
    s.push('\n');
}

/// The module name for an address the pack does not know: the subdirectory's last
/// segment, else the module name of `org/name/provider`, else the last path segment;
/// unique among `taken`.
fn module_name(address: &str, taken: &mut BTreeSet<String>) -> String {
    let base = address.split("//").next().unwrap_or(address);
    let parts: Vec<&str> = base.split('/').filter(|p| !p.is_empty()).collect();
    let sub = address
        .split("//")
        .nth(1)
        .and_then(|s| s.rsplit('/').next());
    let raw = match (parts.as_slice(), sub) {
        (_, Some(sub)) if !sub.is_empty() => sub,
        // `org/name/provider` (a host would hold a dot).
        ([org, name, _], None) if !org.contains('.') => name,
        (p, None) => p.last().copied().unwrap_or("module"),
        (p, Some(_)) => p.last().copied().unwrap_or("module"),
    };
    let clean: String = raw
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                c
            } else {
                '-'
            }
        })
        .collect();
    let clean = if clean.is_empty() {
        "module".to_string()
    } else {
        clean
    };
    let mut name = clean.clone();
    let mut n = 2;
    while taken.contains(&name) {
        name = format!("{clean}-{n}");
        n += 1;
    }
    taken.insert(name.clone());
    name
}

/// The starter policy.
fn starter(survey: &Survey, pack: &Policy) -> String {
    let mut s = String::new();
    s.push_str("# .tglint.hcl: tglint's policy for this tree, written by `tglint init`.\n");
    comment(
        &mut s,
        &format!(
            "Made from the {} found: their environment names, regions and modules. It extends the policy embedded in tglint (rules/reference-architecture.hcl; docs/policy.md shows it): a block here changes only the attributes it sets, and everything else keeps the embedded pack's value. Check the tree with `tglint check`; `tglint check --explain-env UNIT` shows how a unit was classified, `tglint rules` the level of every rule.",
            units(survey.units)
        ),
    );
    environments(&mut s, survey, pack);
    modules(&mut s, survey, pack);
    rules(&mut s, pack);
    rest(&mut s);
    s
}

fn environments(s: &mut String, survey: &Survey, pack: &Policy) {
    section(s, "environments");
    comment(
        s,
        "A unit's environment name is its inputs.environment, else the locals.environment of the unit or of a file it includes, else the <name> of an environments/<name>/ segment of its path (a `classify` block, below, can say otherwise). Its kind is the first environment block whose `match` covers the name; the kind decides what is required of the unit. Each block holds:",
    );
    s.push_str("# - match: the environment names the kind covers (globs);\n");
    s.push_str(
        "# - protected: whether deletion protection and encryption are required (uat, prod);\n",
    );
    s.push_str("# - regions: where the kind's units may live (allowed-regions); [] allows any.\n");
    // The names of the tree by the pack's kind they match (None: no kind).
    let mut by_kind: BTreeMap<Option<String>, Vec<(&String, &EnvName)>> = BTreeMap::new();
    for (name, e) in &survey.environments {
        by_kind
            .entry(pack.kind_of(name).map(|k| k.kind.clone()))
            .or_default()
            .push((name, e));
    }
    if survey.environments.is_empty() {
        s.push_str("#\n");
        comment(
            s,
            "No unit has an environment name, so every unit is unclassified and the rules that depend on the environment skip it.",
        );
    }
    for env in &pack.environments {
        let names = by_kind.remove(&Some(env.kind.clone())).unwrap_or_default();
        s.push('\n');
        let regions: BTreeSet<&str> = names
            .iter()
            .flat_map(|(_, e)| e.regions.iter().map(String::as_str))
            .collect();
        let outside: Vec<&str> = if env.regions.is_empty() {
            Vec::new()
        } else {
            regions
                .iter()
                .copied()
                .filter(|r| !env.regions.iter().any(|a| a == r))
                .collect()
        };
        let found = if names.is_empty() {
            "no unit of the tree is of this kind".to_string()
        } else {
            let list: Vec<String> = names.iter().map(|(n, e)| describe_name(n, e)).collect();
            format!("found {}", and_list(&list))
        };
        comment(
            s,
            &format!(
                "Kind {} (the embedded pack's): {found}.",
                hcl_str(&env.kind)
            ),
        );
        let pack_block = |s: &mut String, prefix: &str| {
            s.push_str(&format!("{prefix}environment {} {{\n", hcl_str(&env.kind)));
            s.push_str(&format!(
                "{prefix}  match     = {}\n",
                hcl_list(env.matches.iter().map(String::as_str))
            ));
            s.push_str(&format!("{prefix}  protected = {}\n", env.protected));
            s.push_str(&format!(
                "{prefix}  regions   = {}\n",
                hcl_list(env.regions.iter().map(String::as_str))
            ));
            s.push_str(&format!("{prefix}}}\n"));
        };
        if outside.is_empty() {
            comment(
                s,
                "Nothing to change; to change what the pack says of the kind, uncomment and edit (the pack's values):",
            );
            pack_block(s, "# ");
        } else {
            let outside: Vec<String> = outside.iter().map(|r| r.to_string()).collect();
            comment(
                s,
                &format!(
                    "The pack allows only {} here, so allowed-regions reports the units in {}. If they belong there, keep this block; if not, delete it and move them.",
                    and_list(&env.regions.clone()),
                    and_list(&outside)
                ),
            );
            let mut all: Vec<&str> = env.regions.iter().map(String::as_str).collect();
            all.extend(outside.iter().map(String::as_str));
            s.push_str(&format!("environment {} {{\n", hcl_str(&env.kind)));
            s.push_str("  # The pack's regions, and those the tree uses.\n");
            s.push_str(&format!("  regions = {}\n", hcl_list(all)));
            s.push_str("}\n");
        }
    }
    // Names no kind covers: a kind of their own.
    let kinds: Vec<&str> = pack.environments.iter().map(|e| e.kind.as_str()).collect();
    for (name, e) in by_kind.remove(&None).unwrap_or_default() {
        s.push('\n');
        let alternative = match tglint_model::hcl::syntax::suggest(name, kinds.iter().copied()) {
            Some(k) => format!(
                "If {} is a {k} environment, delete this block and add {} to the match of the {} kind instead.",
                hcl_str(name),
                hcl_str(&glob_literal(name)),
                hcl_str(k)
            ),
            None => "If it is one of the pack's kinds (dev, staging, uat, prod), delete this block and add the name to that kind's match instead.".to_string(),
        };
        comment(
            s,
            &format!(
                "Found {}. No kind of the pack matches the name, so its units would be unclassified and the environment-dependent rules would skip them; this block makes it a kind of its own, not protected, where the rules' per-kind settings (backup days, instance classes, NAT mode, …) name no requirement until you add one to their options. {alternative}",
                describe_name(name, e)
            ),
        );
        s.push_str(&format!("environment {} {{\n", hcl_str(name)));
        s.push_str("  # The environment names this kind covers (globs).\n");
        s.push_str(&format!(
            "  match     = [{}]\n",
            hcl_str(&glob_literal(name))
        ));
        s.push_str(
            "  # Deletion protection and encryption required: set true if it holds data that must survive.\n",
        );
        s.push_str("  protected = false\n");
        s.push_str("  # Where its units may live: the regions found.\n");
        s.push_str(&format!(
            "  regions   = {}\n",
            hcl_list(e.regions.iter().map(String::as_str))
        ));
        s.push_str("}\n");
    }
    if !survey.unnamed.is_empty() {
        s.push('\n');
        let shown: Vec<String> = survey.unnamed.iter().take(3).cloned().collect();
        let more = survey.unnamed.len().saturating_sub(shown.len());
        comment(
            s,
            &format!(
                "{} {} no environment name ({}{}): unclassified, so the environment-dependent rules skip {}. Give {} a locals.environment, an environments/<name>/ path, or a classify block (below).",
                units(survey.unnamed.len()),
                if survey.unnamed.len() == 1 {
                    "has"
                } else {
                    "have"
                },
                shown.join(", "),
                if more > 0 {
                    format!(" and {more} more")
                } else {
                    String::new()
                },
                if survey.unnamed.len() == 1 {
                    "it"
                } else {
                    "them"
                },
                if survey.unnamed.len() == 1 {
                    "it"
                } else {
                    "them"
                },
            ),
        );
    }
}

/// `"prod" (6 units: us-east-1 and eu-west-1)`.
fn describe_name(name: &str, e: &EnvName) -> String {
    let mut regions: Vec<String> = e.regions.iter().cloned().collect();
    if e.no_region > 0 {
        regions.push(format!("{} without a region", e.no_region));
    }
    if regions.is_empty() {
        format!("{} ({})", hcl_str(name), units(e.units))
    } else {
        format!(
            "{} ({}: {})",
            hcl_str(name),
            units(e.units),
            and_list(&regions)
        )
    }
}

fn modules(s: &mut String, survey: &Survey, pack: &Policy) {
    section(s, "modules");
    comment(
        s,
        "The modules rules know by name. A unit deploys one when its terraform.source resolves to `address` (registry and git forms alike) or, for a local path, matches one of `aliases` (a vendored copy). `version` pins the module: module-pinned then requires exactly that version.",
    );
    if survey.modules.is_empty() && survey.local == 0 {
        s.push_str("#\n");
        comment(s, "No unit names a module source.");
    }
    let mut taken: BTreeSet<String> = pack.modules.keys().cloned().collect();
    for (address, m) in &survey.modules {
        s.push('\n');
        let spec = pack.modules.values().find(|spec| {
            address == &spec.address || address.starts_with(&format!("{}//", spec.address))
        });
        let versions: Vec<String> = m
            .versions
            .iter()
            .map(|(v, n)| format!("{v} ({})", units(*n)))
            .collect();
        let mut found = and_list(&versions);
        if m.unpinned > 0 {
            if !found.is_empty() {
                found.push_str(", and ");
            }
            found.push_str(&format!(
                "{} pinning no version (module-pinned reports them)",
                units(m.unpinned)
            ));
        }
        let only = (m.versions.len() == 1 && m.unpinned == 0)
            .then(|| m.versions.keys().next().cloned())
            .flatten();
        let via = match m.kind {
            Some(SourceKind::Git) => "git",
            Some(SourceKind::Registry) => "registry",
            _ => "source",
        };
        match spec {
            Some(spec) => {
                let pinned = match &spec.version {
                    Some(v) => format!("pinned to {v}"),
                    None => "not pinned".to_string(),
                };
                comment(
                    s,
                    &format!(
                        "{address} ({via}): the pack's {}, {pinned}; found {found}.",
                        hcl_str(&spec.name)
                    ),
                );
                match (&spec.version, &only) {
                    (Some(want), Some(have)) if want == have => {}
                    (Some(want), Some(have)) => {
                        comment(
                            s,
                            &format!(
                                "Every unit pins {have}, so module-pinned reports each (the pack requires {want}). To require {have} instead, uncomment:"
                            ),
                        );
                        s.push_str(&format!("# module {} {{\n", hcl_str(&spec.name)));
                        s.push_str(&format!("#   version = {}\n", hcl_str(have)));
                        s.push_str("# }\n");
                    }
                    (None, Some(have)) => {
                        comment(
                            s,
                            &format!("Every unit pins {have}; to require it, uncomment:"),
                        );
                        s.push_str(&format!("# module {} {{\n", hcl_str(&spec.name)));
                        s.push_str(&format!("#   version = {}\n", hcl_str(have)));
                        s.push_str("# }\n");
                    }
                    _ => {}
                }
            }
            None => {
                let name = module_name(address, &mut taken);
                comment(
                    s,
                    &format!(
                        "{address} ({via}): not one of the pack's modules; found {found}. A block only pins its version (and names it for your own checks); uncomment to pin it:"
                    ),
                );
                s.push_str(&format!("# module {} {{\n", hcl_str(&name)));
                s.push_str(&format!("#   address = {}\n", hcl_str(address)));
                if let Some(v) = &only {
                    s.push_str(&format!("#   version = {}\n", hcl_str(v)));
                } else {
                    s.push_str("#   version = \"x.y.z\"\n");
                }
                s.push_str("# }\n");
            }
        }
    }
    if survey.local > 0 {
        s.push('\n');
        let shown: Vec<String> = survey.local_examples.iter().take(3).cloned().collect();
        comment(
            s,
            &format!(
                "{} deploy{} a local module ({}{}): the repository pins it. Add the path's glob to a module's `aliases` to have the rules treat a vendored copy as that module.",
                units(survey.local),
                if survey.local == 1 { "s" } else { "" },
                shown.join(", "),
                if survey.local_examples.len() > shown.len() {
                    ", …"
                } else {
                    ""
                }
            ),
        );
    }
}

fn rules(s: &mut String, pack: &Policy) {
    section(s, "rules");
    comment(
        s,
        "Every built-in rule, at the level the pack gives it. `severity` is \"error\", \"warning\", \"info\" or \"off\"; `enabled = false` turns a rule off; a rule's own options (the pack's matrices per environment kind, …) are on its page: `tglint explain <id>`. Uncomment a line to change a rule.",
    );
    for r in RULES {
        let m = r.meta();
        s.push_str("#\n");
        comment(s, &format!("{}: {}", m.id, m.summary()));
        s.push_str(&format!(
            "# rule {} {{ severity = {} }}\n",
            hcl_str(m.id),
            hcl_str(pack.level(*r).as_str())
        ));
    }
    s.push_str("#\n");
    comment(
        s,
        "The reserved ids that take a rule block (the others, loading and policy errors, cannot be changed):",
    );
    for r in Reserved::ALL.into_iter().filter(|r| r.configurable()) {
        s.push_str(&format!(
            "# rule {} {{ severity = {} }}\n",
            hcl_str(r.id()),
            hcl_str(r.default_severity().as_str())
        ));
    }
}

fn rest(s: &mut String) {
    section(s, "exclude");
    comment(
        s,
        "Unit directories (globs relative to the root) that are not checked. Lists add up across policy files.",
    );
    s.push_str("# exclude = [\"sandbox/**\"]\n");
    section(s, "classify");
    comment(
        s,
        "How a unit's environment and region names are found, when the defaults above do not fit: expressions over `unit` (docs/policy.md lists its keys).",
    );
    s.push_str("# classify {\n");
    s.push_str("#   environment = unit.locals.stage\n");
    s.push_str("#   region      = unit.inputs.location\n");
    s.push_str("# }\n");
    section(s, "checks");
    comment(
        s,
        "Your own checks: `condition` must hold for every unit `when` selects; `error_message` is what the finding says; `severity` defaults to \"error\". The name is the check's rule id in reports, --rule and suppressions.",
    );
    s.push_str("# check \"rds-storage-floor\" {\n");
    s.push_str("#   when          = unit.module == \"terraform-aws-modules/rds/aws\"\n");
    s.push_str("#   condition     = unit.inputs.allocated_storage >= 20\n");
    s.push_str(
        "#   error_message = \"RDS storage ${unit.inputs.allocated_storage} GB is below 20 GB\"\n",
    );
    s.push_str("#   severity      = \"warning\"\n");
    s.push_str("# }\n");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strings_and_globs_are_literal() {
        assert_eq!(hcl_str("a\"b${c}"), "\"a\\\"b$${c}\"");
        assert_eq!(hcl_str("100%{x}"), "\"100%%{x}\"");
        assert_eq!(glob_literal("qa*[1]"), "qa[*][[]1[]]");
    }

    #[test]
    fn module_names_come_from_the_address_and_are_unique() {
        let mut taken = BTreeSet::from(["vpc".to_string()]);
        assert_eq!(
            module_name("terraform-aws-modules/route53/aws", &mut taken),
            "route53"
        );
        assert_eq!(
            module_name("github.com/acme/infra-modules//vpc", &mut taken),
            "vpc-2"
        );
        assert_eq!(
            module_name("github.com/acme/infra-modules", &mut taken),
            "infra-modules"
        );
    }
}
