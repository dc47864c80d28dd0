//! A streamed run (`tglint check`: each unit checked as it is resolved, then cut down to
//! what the tree rules read, `engine::Pass` with projection) reports exactly what a run
//! over the whole loaded tree reports (`engine::run`), on every rule fixture, model
//! fixture, the reference tree and every real tree of the corpus. A tree rule that reads
//! more of a unit than its `Rule::keep` asks for fails here.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::{Path, PathBuf};
use std::sync::Arc;
use tglint_model::fs::{DiskFs, Fs};
use tglint_model::load::{self, Discovered, Tree};
use tglint_model::source::SourceCache;
use tglint_model::terragrunt::context::Options;
use tglint_rules::RULES;
use tglint_rules::engine::{self, Outcome, Pass, RunOptions};
use tglint_rules::policy::{self, Policy};

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// The corpus (`$TGLINT_CORPUS`, else `../shared/corpus`); missing, the test fails.
fn corpus() -> PathBuf {
    let p = match std::env::var_os("TGLINT_CORPUS") {
        Some(v) if Path::new(&v).is_absolute() => PathBuf::from(v),
        Some(v) => workspace().join(v),
        None => workspace().join("../shared/corpus"),
    };
    assert!(
        p.is_dir(),
        "the corpus is missing at {} (set TGLINT_CORPUS)",
        p.display()
    );
    std::fs::canonicalize(&p).unwrap()
}

fn subdirs(dir: &Path) -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_dir())
        .collect();
    out.sort();
    out
}

/// The policy of a tree: the embedded pack and the root's `.tglint.hcl`, if any.
fn policy_of(cache: &SourceCache, root: &Path) -> Policy {
    let user_path = root.join(".tglint.hcl");
    let text = std::fs::read_to_string(&user_path).ok();
    let user = text.as_deref().map(|t| (user_path.as_path(), t));
    let (p, diags) = policy::load_files(cache, user, RULES);
    assert!(
        diags.is_empty(),
        "{}: policy errors {diags:?}",
        root.display()
    );
    p
}

/// A tree's source cache, policy and discovered files, as `tglint check` starts.
fn start(root: &Path) -> (Arc<SourceCache>, Policy, Discovered) {
    let fs: Arc<dyn Fs> = Arc::new(DiskFs);
    let cache = Arc::new(SourceCache::new(fs.clone(), root, false));
    let policy = policy_of(&cache, root);
    (cache, policy, load::discover(&*fs, root))
}

fn whole(root: &Path, opts: &RunOptions) -> (Tree, Outcome) {
    let (cache, policy, found) = start(root);
    let units = found.units.clone();
    let mut tree = load::load_units_in(cache, Options::default(), &units, found);
    let outcome = engine::run(&mut tree, RULES, &policy, opts, Vec::new());
    (tree, outcome)
}

fn streamed(root: &Path, opts: &RunOptions) -> (Tree, Outcome) {
    let (cache, policy, found) = start(root);
    let units = found.units.clone();
    let pass = Pass::new(RULES, &policy, opts, true);
    let tree = load::load_units_with(cache, Options::default(), &units, found, &|u| pass.visit(u));
    let outcome = pass.finish(&tree, opts, Vec::new());
    (tree, outcome)
}

/// The differences between the two runs of `root`, in words; empty when they agree.
fn compare(root: &Path) -> Vec<String> {
    let opts = RunOptions {
        today: "2026-12-02".into(),
        ..RunOptions::default()
    };
    let (wt, w) = whole(root, &opts);
    let (st, s) = streamed(root, &opts);
    let mut out = Vec::new();
    let name = root.display();
    if st.units.iter().any(|u| !u.projected) {
        out.push(format!("{name}: a streamed unit was not projected"));
    }
    if wt.units.iter().any(|u| u.projected) {
        out.push(format!("{name}: a whole-tree unit was projected"));
    }
    let show = |t: &Tree, o: &Outcome| -> Vec<String> {
        o.reported
            .iter()
            .map(|r| {
                let d = &r.diagnostic;
                let rel = |f| t.rel(f);
                let related: Vec<String> = d
                    .related
                    .iter()
                    .map(|l| format!("{}@{}..{} {:?}", rel(l.file), l.start, l.end, l.note))
                    .collect();
                format!(
                    "{} {:?} {}@{}..{} unit={:?} env={:?} subject={:?} fp={} {} | {}",
                    d.rule,
                    d.severity,
                    rel(d.primary.file),
                    d.primary.start,
                    d.primary.end,
                    r.unit,
                    r.environment,
                    r.subject,
                    r.fingerprint,
                    d.message,
                    related.join("; ")
                )
            })
            .collect()
    };
    let (a, b) = (show(&wt, &w), show(&st, &s));
    if a != b {
        let only_whole: Vec<&String> = a.iter().filter(|x| !b.contains(x)).collect();
        let only_streamed: Vec<&String> = b.iter().filter(|x| !a.contains(x)).collect();
        out.push(format!(
            "{name}: findings differ\n  only whole: {only_whole:#?}\n  only streamed: {only_streamed:#?}"
        ));
    }
    if (
        w.units_checked.clone(),
        w.files,
        w.suppressed,
        w.rules_run.clone(),
    ) != (
        s.units_checked.clone(),
        s.files,
        s.suppressed,
        s.rules_run.clone(),
    ) {
        out.push(format!("{name}: the summaries differ"));
    }
    out
}

fn trees() -> Vec<PathBuf> {
    let ws = workspace();
    let mut out = Vec::new();
    for rule in subdirs(&ws.join("fixtures/rules")) {
        out.extend(subdirs(&rule));
    }
    out.extend(subdirs(&ws.join("fixtures/model")));
    out.push(ws.join("fixtures/reference-architecture"));
    out.extend(subdirs(&corpus().join("real")));
    out.into_iter()
        .map(|p| std::fs::canonicalize(&p).unwrap())
        .collect()
}

#[test]
fn a_streamed_run_reports_what_a_whole_run_reports() {
    let trees = trees();
    assert!(trees.len() > 50, "too few trees: {}", trees.len());
    let mut failures = Vec::new();
    let mut findings = 0;
    for t in &trees {
        failures.extend(compare(t));
        findings += whole(t, &RunOptions::default()).1.reported.len();
    }
    // The comparison means something only if the trees report things.
    assert!(findings > 100, "only {findings} findings over all trees");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
