//! `--baseline FILE` and `--write-baseline FILE` (docs/baseline.md): the findings of an
//! old tree recorded by fingerprint, so that a run reports only what is new, and says
//! which recorded findings are gone (stale entries) so the file shrinks as debt is paid.
//!
//! The file is JSON, sorted and stable: `{"findings": [...], "tool": "tglint",
//! "version": 1}`, each entry `{cannot_verify?, file?, fingerprint, message, rule,
//! subject?, unit?}`. Only `fingerprint` decides a match; the rest says what the entry
//! is to a reader and which runs could have produced it (its scope).

use serde_json::{Map, Value as J};
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use tglint_model::diag::{Diagnostic, Label, Reserved, ids};
use tglint_model::fs::clean;
use tglint_model::load::Tree;
use tglint_rules::Level;
use tglint_rules::engine::{self, Changed, Outcome, Reported, RunOptions};

/// The version of the file's format.
pub const VERSION: u64 = 1;

/// One recorded finding.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Entry {
    /// [`Reported::fingerprint`]: what a finding must carry to match.
    pub fingerprint: String,
    pub rule: String,
    /// The unit's directory, for a finding about one.
    pub unit: Option<String>,
    /// The value's path, when the rule named one.
    pub subject: Option<String>,
    /// The file of the line to edit when it was recorded (a finding about no unit is in
    /// scope of a run that covers this file).
    pub file: Option<String>,
    /// A "cannot verify" finding (out of scope of a run with `--unknown ignore`).
    pub cannot_verify: bool,
    /// What the finding said, for people; never compared.
    pub message: String,
    /// Where the entry's fingerprint is in the file it was read from (byte range).
    at: (u32, u32),
}

/// A baseline file, read.
pub struct Baseline {
    /// The path as the user wrote it, for messages and reports (no absolute paths in
    /// output unless the user gave one).
    pub shown: String,
    /// Absolute.
    pub path: PathBuf,
    pub text: String,
    pub entries: Vec<Entry>,
}

/// Whether a finding is recorded in a baseline. Not recorded: a file that cannot be
/// parsed, a policy error (the run checked less than it should), a problem of a
/// suppression comment, and a stale baseline entry — what a baseline would hide is
/// then not debt but a run that does not see the tree.
pub fn recordable(r: &Reported) -> bool {
    !matches!(
        Reserved::from_id(r.diagnostic.rule.as_str()),
        Some(
            Reserved::ParseError
                | Reserved::PolicyError
                | Reserved::Suppression
                | Reserved::Baseline
        )
    )
}

/// Reads and checks a baseline file. `flag` names the option in messages.
pub fn read(flag: &str, shown: &str, path: &Path) -> Result<Baseline, String> {
    let bytes = std::fs::read(path).map_err(|e| {
        let hint = if e.kind() == std::io::ErrorKind::NotFound && flag == "--baseline" {
            "; write one with --write-baseline FILE"
        } else {
            ""
        };
        format!("{flag} {shown}: cannot read it: {e}{hint}")
    })?;
    let text = String::from_utf8(bytes)
        .map_err(|_| format!("{flag} {shown}: not a tglint baseline (not UTF-8 text)"))?;
    let entries = parse(&text).map_err(|why| {
        format!("{flag} {shown}: not a tglint baseline: {why}; write a new one with --write-baseline FILE")
    })?;
    Ok(Baseline {
        shown: shown.to_string(),
        path: path.to_path_buf(),
        text,
        entries,
    })
}

/// The entries of a baseline's text.
fn parse(text: &str) -> Result<Vec<Entry>, String> {
    let j: J = serde_json::from_str(text).map_err(|e| format!("invalid JSON ({e})"))?;
    let J::Object(top) = j else {
        return Err("the file is not a JSON object".into());
    };
    match top.get("version").and_then(J::as_u64) {
        Some(VERSION) => {}
        Some(v) => {
            return Err(format!(
                "version {v} is not one this tglint reads (it reads version {VERSION})"
            ));
        }
        None => return Err("no \"version\" number".into()),
    }
    let Some(list) = top.get("findings").and_then(J::as_array) else {
        return Err("no \"findings\" array".into());
    };
    let mut out = Vec::with_capacity(list.len());
    let mut seen = BTreeSet::new();
    // Where each fingerprint is: found in order, so a fingerprint written twice is
    // reported as a duplicate rather than pointed at twice.
    let mut search_from = 0usize;
    for (i, e) in list.iter().enumerate() {
        let n = i + 1;
        let Some(o) = e.as_object() else {
            return Err(format!("finding {n} is not an object"));
        };
        let string = |k: &str| -> Result<Option<String>, String> {
            match o.get(k) {
                None | Some(J::Null) => Ok(None),
                Some(J::String(s)) => Ok(Some(s.clone())),
                Some(_) => Err(format!("finding {n}: \"{k}\" is not a string")),
            }
        };
        let fingerprint =
            string("fingerprint")?.ok_or_else(|| format!("finding {n} has no \"fingerprint\""))?;
        if fingerprint.len() != 16 || !fingerprint.bytes().all(|b| b.is_ascii_hexdigit()) {
            return Err(format!(
                "finding {n}: fingerprint \"{fingerprint}\" is not 16 hexadecimal digits"
            ));
        }
        let fingerprint = fingerprint.to_ascii_lowercase();
        if !seen.insert(fingerprint.clone()) {
            return Err(format!(
                "finding {n}: fingerprint {fingerprint} is recorded twice"
            ));
        }
        let rule = string("rule")?.ok_or_else(|| format!("finding {n} has no \"rule\""))?;
        let cannot_verify = match o.get("cannot_verify") {
            None | Some(J::Null) => false,
            Some(J::Bool(b)) => *b,
            Some(_) => return Err(format!("finding {n}: \"cannot_verify\" is not a bool")),
        };
        let quoted = format!("\"{fingerprint}\"");
        let at = find_ci(text, &quoted, search_from)
            .or_else(|| find_ci(text, &quoted, 0))
            .map(|p| {
                search_from = p + quoted.len();
                (p as u32 + 1, (p + quoted.len()) as u32 - 1)
            })
            .unwrap_or((0, 0));
        out.push(Entry {
            fingerprint,
            rule,
            unit: string("unit")?,
            subject: string("subject")?,
            file: string("file")?,
            cannot_verify,
            message: string("message")?.unwrap_or_default(),
            at,
        });
    }
    Ok(out)
}

/// The byte offset of `needle` in `text` at or after `from`, ignoring ASCII case.
fn find_ci(text: &str, needle: &str, from: usize) -> Option<usize> {
    let hay = text.as_bytes();
    let n = needle.as_bytes();
    (from..=hay.len().checked_sub(n.len())?).find(|&i| hay[i..i + n.len()].eq_ignore_ascii_case(n))
}

/// The entry that records `r`.
fn entry(tree: &Tree, r: &Reported) -> Entry {
    Entry {
        fingerprint: r.fingerprint.clone(),
        rule: r.diagnostic.rule.to_string(),
        unit: r.unit.clone(),
        subject: r.subject.clone(),
        file: Some(tree.rel(r.diagnostic.primary.file)).filter(|f| !f.is_empty()),
        cannot_verify: r.cannot_verify,
        message: r.diagnostic.message.clone(),
        at: (0, 0),
    }
}

/// The file's text: entries sorted by (unit, rule, subject, file, fingerprint), one
/// fingerprint once, keys sorted, two-space indentation, a final newline.
pub fn render(entries: &[Entry]) -> String {
    let mut by_key: BTreeMap<(&str, &str, &str, &str, &str), &Entry> = BTreeMap::new();
    let mut seen = BTreeSet::new();
    for e in entries {
        if seen.insert(e.fingerprint.as_str()) {
            by_key.insert(
                (
                    e.unit.as_deref().unwrap_or(""),
                    e.rule.as_str(),
                    e.subject.as_deref().unwrap_or(""),
                    e.file.as_deref().unwrap_or(""),
                    e.fingerprint.as_str(),
                ),
                e,
            );
        }
    }
    let findings: Vec<J> = by_key
        .values()
        .map(|e| {
            let mut m = Map::new();
            m.insert("fingerprint".into(), J::String(e.fingerprint.clone()));
            m.insert("rule".into(), J::String(e.rule.clone()));
            m.insert("message".into(), J::String(e.message.clone()));
            for (k, v) in [
                ("unit", &e.unit),
                ("subject", &e.subject),
                ("file", &e.file),
            ] {
                if let Some(v) = v {
                    m.insert(k.into(), J::String(v.clone()));
                }
            }
            if e.cannot_verify {
                m.insert("cannot_verify".into(), J::Bool(true));
            }
            J::Object(m)
        })
        .collect();
    let mut top = Map::new();
    top.insert("version".into(), J::from(VERSION));
    top.insert("tool".into(), J::String("tglint".into()));
    top.insert("findings".into(), J::Array(findings));
    let mut s = serde_json::to_string_pretty(&J::Object(top)).unwrap_or_default();
    s.push('\n');
    s
}

/// What runs could have produced an entry: the rules that ran, the units checked, the
/// files covered. An entry outside it is neither matched nor stale, and survives a
/// `--write-baseline` of a narrower run.
pub struct Scope<'a> {
    run: &'a RunOptions,
    checked: BTreeSet<String>,
    coverage: &'a Changed,
    read_by_checked: BTreeSet<PathBuf>,
    root: &'a Path,
}

impl<'a> Scope<'a> {
    /// The scope of a run: `coverage` holds the files and directories named on the
    /// command line.
    pub fn new(
        tree: &'a Tree,
        outcome: &Outcome,
        run: &'a RunOptions,
        coverage: &'a Changed,
    ) -> Scope<'a> {
        let checked: BTreeSet<String> = outcome.units_checked.iter().cloned().collect();
        let read_by_checked = tree
            .units
            .iter()
            .filter(|u| checked.contains(&u.dir))
            .flat_map(|u| u.read_files().into_iter().map(Path::to_path_buf))
            .collect();
        Scope {
            run,
            checked,
            coverage,
            read_by_checked,
            root: &tree.root,
        }
    }

    /// Whether this run could have reported the entry.
    pub fn covers(&self, e: &Entry) -> bool {
        let rule_ran = match &self.run.only_rules {
            None => true,
            Some(only) => {
                only.contains(&e.rule)
                    || matches!(
                        Reserved::from_id(&e.rule),
                        Some(Reserved::IncludeError | Reserved::EvalError)
                    )
            }
        };
        if !rule_ran || (e.cannot_verify && self.run.unknown == Level::Off) {
            return false;
        }
        match (&e.unit, &e.file) {
            (Some(u), _) => self.checked.contains(u),
            (None, Some(f)) => {
                let p = clean(&self.root.join(f));
                self.coverage
                    .covers_file(&p, self.read_by_checked.contains(&p))
            }
            (None, None) => true,
        }
    }
}

/// The entries `--write-baseline` writes: every recordable finding of the run, and the
/// entries of the file already there that this run could not have produced (a run over
/// one environment, one rule or a few changed files refreshes only its part).
pub fn to_write(
    tree: &Tree,
    reported: &[Reported],
    existing: Option<&Baseline>,
    scope: &Scope<'_>,
) -> Vec<Entry> {
    let mut out: Vec<Entry> = reported
        .iter()
        .filter(|r| recordable(r))
        .map(|r| entry(tree, r))
        .collect();
    if let Some(b) = existing {
        out.extend(b.entries.iter().filter(|e| !scope.covers(e)).cloned());
    }
    out
}

/// Writes `text` to `path` through a temporary file in the same directory, renamed over
/// it, so a reader never sees half a file.
pub fn write(shown: &str, path: &Path, text: &str) -> Result<(), String> {
    let dir = path
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .ok_or_else(|| format!("--write-baseline {shown}: not a file name"))?;
    let tmp = dir.join(format!(".{name}.tglint-{}.tmp", std::process::id()));
    let fail = |e: std::io::Error| format!("--write-baseline {shown}: cannot write it: {e}");
    std::fs::write(&tmp, text).map_err(fail)?;
    if let Err(e) = std::fs::rename(&tmp, path) {
        let _ = std::fs::remove_file(&tmp);
        return Err(fail(e));
    }
    Ok(())
}

/// Drops the findings the baseline records (counting them in `outcome.baselined`) and
/// reports each entry in scope that matched nothing as a stale `baseline` diagnostic at
/// the entry, at `level` (the policy's, default info; `Off` when the run rewrites the
/// file). Returns how many entries were stale.
pub fn apply(
    tree: &Tree,
    outcome: &mut Outcome,
    baseline: &Baseline,
    scope: &Scope<'_>,
    level: Level,
) -> usize {
    let recorded: BTreeSet<&str> = baseline
        .entries
        .iter()
        .map(|e| e.fingerprint.as_str())
        .collect();
    let mut matched: BTreeSet<String> = BTreeSet::new();
    let before = outcome.reported.len();
    outcome.reported.retain(|r| {
        if recordable(r) && recorded.contains(r.fingerprint.as_str()) {
            matched.insert(r.fingerprint.clone());
            false
        } else {
            true
        }
    });
    outcome.baselined = before - outcome.reported.len();
    let stale = baseline
        .entries
        .iter()
        .filter(|e| !matched.contains(&e.fingerprint) && scope.covers(e))
        .count();
    let Some(severity) = level.severity() else {
        return stale;
    };
    let file = tree
        .cache
        .add_text(&baseline.path, &shown_rel(tree, baseline), &baseline.text);
    for e in &baseline.entries {
        if matched.contains(&e.fingerprint) || !scope.covers(e) {
            continue;
        }
        let about = match (&e.unit, &e.subject) {
            (Some(u), Some(s)) => format!("{} in {u} ({s})", e.rule),
            (Some(u), None) => format!("{} in {u}", e.rule),
            (None, _) => match &e.file {
                Some(f) => format!("{} in {f}", e.rule),
                None => e.rule.clone(),
            },
        };
        let message = if e.message.is_empty() {
            format!("stale baseline entry: {about} is no longer found")
        } else {
            format!(
                "stale baseline entry: {about} is no longer found: {}",
                e.message
            )
        };
        let label = Label {
            file: file.id,
            start: e.at.0,
            end: e.at.1,
            note: Some("recorded here".into()),
        };
        let mut d = Diagnostic::new(ids::BASELINE, message, label).with_help(format!(
            "the finding was fixed (or its rule no longer runs): drop the entry with `tglint check --baseline {0} --write-baseline {0}`",
            baseline.shown
        ));
        d.severity = severity;
        outcome.reported.push(Reported {
            diagnostic: d,
            unit: None,
            environment: None,
            subject: None,
            cannot_verify: false,
            fingerprint: format!(
                "{:016x}",
                engine::fnv1a(format!("baseline\0{}", e.fingerprint).as_bytes())
            ),
        });
    }
    engine::sort(tree, &mut outcome.reported);
    stale
}

/// How reports name the baseline file: relative to the root when it is inside it, else
/// as the user wrote it.
fn shown_rel(tree: &Tree, b: &Baseline) -> String {
    match b.path.strip_prefix(&tree.root) {
        Ok(rel) => rel.to_string_lossy().replace('\\', "/"),
        Err(_) => b.shown.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn e(fp: &str, unit: Option<&str>, rule: &str) -> Entry {
        Entry {
            fingerprint: fp.into(),
            rule: rule.into(),
            unit: unit.map(str::to_string),
            subject: Some("inputs.x".into()),
            file: Some("a/terragrunt.hcl".into()),
            cannot_verify: false,
            message: "m".into(),
            at: (0, 0),
        }
    }

    #[test]
    fn render_sorts_dedups_and_parses_back() {
        let entries = vec![
            e("00000000000000bb", Some("b"), "multi-az"),
            e("00000000000000aa", Some("a"), "multi-az"),
            e("00000000000000aa", Some("a"), "multi-az"),
        ];
        let text = render(&entries);
        let back = parse(&text).unwrap();
        assert_eq!(back.len(), 2);
        assert_eq!(back[0].unit.as_deref(), Some("a"));
        assert_eq!(back[1].unit.as_deref(), Some("b"));
        // The label of an entry is its fingerprint, in the text.
        let (s, end) = back[1].at;
        assert_eq!(&text[s as usize..end as usize], "00000000000000bb");
        assert_eq!(render(&back), text, "stable");
    }

    #[test]
    fn malformed_files_say_why() {
        for (text, why) in [
            ("[]", "not a JSON object"),
            ("{", "invalid JSON"),
            ("{\"findings\": []}", "no \"version\""),
            ("{\"version\": 7, \"findings\": []}", "version 7"),
            ("{\"version\": 1}", "no \"findings\""),
            (
                "{\"version\": 1, \"findings\": [1]}",
                "finding 1 is not an object",
            ),
            (
                "{\"version\": 1, \"findings\": [{\"rule\": \"x\"}]}",
                "no \"fingerprint\"",
            ),
            (
                "{\"version\": 1, \"findings\": [{\"rule\": \"x\", \"fingerprint\": \"12\"}]}",
                "not 16 hexadecimal digits",
            ),
            (
                "{\"version\": 1, \"findings\": [{\"fingerprint\": \"0123456789abcdef\"}]}",
                "no \"rule\"",
            ),
        ] {
            let err = parse(text).unwrap_err();
            assert!(err.contains(why), "{text}: {err}");
        }
    }
}
