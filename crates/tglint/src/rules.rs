//! `tglint rules`: every built-in rule (id, category, scope, default level, the level the
//! policy gives it here, summary), then the reserved ids, as a table or as JSON.

use crate::check::{self, CheckArgs};
use crate::{absolute, find_root};
use clap::Args;
use serde_json::json;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use tglint_model::diag::{Reserved, Severity};
use tglint_model::fs::Fs;
use tglint_model::load::{self, Discovered};
use tglint_model::terragrunt::context::Options;
use tglint_rules::policy::{self, Policy};
use tglint_rules::{Level, RULES, docs};

/// `tglint rules`' arguments.
#[derive(Args, Debug)]
pub struct RulesArgs {
    /// `human` (an aligned table) or `json`.
    #[arg(long, value_parser = ["human", "json"], default_value = "human")]
    format: String,

    /// The policy file whose levels to show (default: .tglint.hcl at the root, if any,
    /// over the embedded pack).
    #[arg(long, value_name = "FILE")]
    config: Option<PathBuf>,

    /// The root whose .tglint.hcl to read. Default: the git work tree holding the current
    /// directory, else the current directory.
    #[arg(long, value_name = "DIR")]
    root: Option<PathBuf>,
}

/// One row of the rules table.
struct Row {
    id: &'static str,
    category: &'static str,
    scope: &'static str,
    default: &'static str,
    level: &'static str,
    summary: String,
}

/// One row of the reserved ids' table.
struct ReservedRow {
    id: &'static str,
    default: &'static str,
    level: &'static str,
    configurable: bool,
    summary: &'static str,
}

/// Loads the policy (no unit) and prints the rules and reserved ids with their levels.
pub fn rules_cmd(args: RulesArgs) -> Result<u8, String> {
    let fs: Arc<dyn Fs> = tglint_model::fs::disk();
    let cwd = absolute(Path::new("."))?;
    let root = find_root(&*fs, args.root.as_deref(), &cwd)?;
    // No unit is loaded: the tree is only the source cache the policy is read through.
    let tree = load::load_units(
        fs.clone(),
        &root,
        Options::default(),
        &[],
        Discovered::default(),
    );
    // Only the policy file of check's arguments matters to load_policy.
    let mut policy_args = CheckArgs::default();
    policy_args.config = args.config.clone();
    let policy = match check::load_policy(&tree.cache, &*fs, &root, &policy_args)? {
        Ok(p) => p,
        Err(code) => return Ok(code),
    };
    let sources = policy_sources(&tree, &args, &root, &*fs);
    let (rows, reserved) = rows(&policy);
    let text = match args.format.as_str() {
        "json" => {
            let mut s = serde_json::to_string_pretty(&to_json(&sources, &rows, &reserved))
                .map_err(|e| format!("cannot write output: {e}"))?;
            s.push('\n');
            s
        }
        _ => human(&sources, &rows, &reserved),
    };
    crate::print_all(&text)
}

/// The policy files the levels come from, as reports name them.
fn policy_sources(tree: &load::Tree, args: &RulesArgs, root: &Path, fs: &dyn Fs) -> Vec<String> {
    let mut out = vec![policy::EMBEDDED_NAME.to_string()];
    let user = match &args.config {
        Some(c) => absolute(c).ok(),
        None => {
            let p = root.join(".tglint.hcl");
            (fs.kind(&p) == Some(tglint_model::fs::Kind::File)).then_some(p)
        }
    };
    if let Some(p) = user {
        let rel = tglint_model::fs::relative(&p, tree.cache.root());
        out.push(if rel.starts_with("..") {
            p.display().to_string()
        } else {
            rel
        });
    }
    out
}

fn rows(policy: &Policy) -> (Vec<Row>, Vec<ReservedRow>) {
    let rules = RULES
        .iter()
        .map(|r| {
            let m = r.meta();
            Row {
                id: m.id,
                category: m.category.as_str(),
                scope: docs::scope_name(m.scope),
                default: m.default_level.as_str(),
                level: policy.level(*r).as_str(),
                summary: m.summary(),
            }
        })
        .collect();
    let reserved = Reserved::ALL
        .iter()
        .map(|&r| {
            let default = level_of(r.default_severity());
            let level = if r.configurable() {
                policy.reserved_level(r.id()).unwrap_or(default)
            } else {
                default
            };
            ReservedRow {
                id: r.id(),
                default: default.as_str(),
                level: level.as_str(),
                configurable: r.configurable(),
                summary: docs::reserved_summary(r),
            }
        })
        .collect();
    (rules, reserved)
}

/// The level a severity reports at.
fn level_of(s: Severity) -> Level {
    match s {
        Severity::Error => Level::Error,
        Severity::Warning => Level::Warning,
        Severity::Info => Level::Info,
    }
}

/// Rows as aligned columns (the last one unpadded).
fn table(header: &[&str], rows: &[Vec<String>]) -> String {
    let mut widths: Vec<usize> = header.iter().map(|h| h.chars().count()).collect();
    for r in rows {
        for (w, c) in widths.iter_mut().zip(r) {
            *w = (*w).max(c.chars().count());
        }
    }
    let mut s = String::new();
    let all = std::iter::once(header.iter().map(|h| h.to_string()).collect::<Vec<_>>())
        .chain(rows.iter().cloned());
    for r in all {
        let last = r.len().saturating_sub(1);
        let mut line = String::new();
        for (i, c) in r.iter().enumerate() {
            if i == last {
                line.push_str(c);
            } else {
                line.push_str(&format!("{c:<w$}  ", w = widths[i]));
            }
        }
        s.push_str(line.trim_end());
        s.push('\n');
    }
    s
}

fn human(sources: &[String], rules: &[Row], reserved: &[ReservedRow]) -> String {
    let mut s = format!(
        "{} rules; LEVEL is the level the policy sets: {}.\n\n",
        rules.len(),
        sources.join(", then ")
    );
    let rows: Vec<Vec<String>> = rules
        .iter()
        .map(|r| {
            vec![
                r.id.to_string(),
                r.category.to_string(),
                r.scope.to_string(),
                r.default.to_string(),
                r.level.to_string(),
                r.summary.clone(),
            ]
        })
        .collect();
    s.push_str(&table(
        &["RULE", "CATEGORY", "SCOPE", "DEFAULT", "LEVEL", "SUMMARY"],
        &rows,
    ));
    s.push_str(
        "\nReserved ids (not rules: what loading, the policy and the engine report; only the configurable ones take a rule block):\n\n",
    );
    let rows: Vec<Vec<String>> = reserved
        .iter()
        .map(|r| {
            vec![
                r.id.to_string(),
                r.default.to_string(),
                r.level.to_string(),
                if r.configurable { "yes" } else { "no" }.to_string(),
                r.summary.to_string(),
            ]
        })
        .collect();
    s.push_str(&table(
        &["ID", "DEFAULT", "LEVEL", "CONFIGURABLE", "SUMMARY"],
        &rows,
    ));
    s.push_str("\n`tglint explain <id>` prints a rule's documentation.\n");
    s
}

fn to_json(sources: &[String], rules: &[Row], reserved: &[ReservedRow]) -> serde_json::Value {
    let rules: Vec<serde_json::Value> = rules
        .iter()
        .map(|r| {
            json!({
                "id": r.id,
                "category": r.category,
                "scope": r.scope,
                "default_severity": r.default,
                "level": r.level,
                "summary": r.summary,
            })
        })
        .collect();
    let reserved: Vec<serde_json::Value> = reserved
        .iter()
        .map(|r| {
            json!({
                "id": r.id,
                "default_severity": r.default,
                "level": r.level,
                "configurable": r.configurable,
                "summary": r.summary,
            })
        })
        .collect();
    json!({ "version": 1, "policy": sources, "rules": rules, "reserved": reserved })
}
