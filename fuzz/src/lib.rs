//! The fuzz targets' logic as plain functions, so that a crash input can be replayed by an
//! ordinary test (`tests/fuzz_regressions.rs` in the root package compiles this very file
//! as a module). It therefore names only `tglint_model` (which re-exports `tglint_hcl` as
//! `hcl`), `rayon` and std. See `docs/fuzzing.md`.
//!
//! Neither driver reads the disk: `parse_eval` evaluates with a fixed in-memory file set,
//! `model_tree` builds its tree in a `MemFs`.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use tglint_model::fs::MemFs;
use tglint_model::hcl::hcl_edit::structure::{Body, Structure};
use tglint_model::hcl::{self, EvalCtx, FileId, MemFiles, Value, Vars};
use tglint_model::terragrunt::context::Options;
use tglint_model::{load, render};

/// Parses `data` (when it is UTF-8) as an HCL file and evaluates every attribute, at the
/// top level and in blocks at any depth, with Terraform's functions, a small scope
/// (`v.*`, `local.*`) and a few in-memory files. Each result is printed and, when it is
/// known, JSON-encoded. Returns how many expressions evaluated without error.
pub fn parse_eval(data: &[u8]) -> usize {
    big_stacks().install(|| parse_eval_here(data))
}

/// The stack of the `tglint` binary's threads (its `STACK_SIZE`): HCL nested to the
/// parser's limit of 1024 levels needs about 12 MiB to parse and evaluate in an optimised
/// build, 25 MiB in a debug one, more than libFuzzer's main thread or rayon's default
/// workers have.
const STACK: usize = 64 << 20;

/// A pool of threads with [`STACK`], made once; the drivers run in it as the binary runs
/// its commands, and the model's parallel loading uses it too.
fn big_stacks() -> &'static rayon::ThreadPool {
    static POOL: std::sync::OnceLock<rayon::ThreadPool> = std::sync::OnceLock::new();
    POOL.get_or_init(|| {
        rayon::ThreadPoolBuilder::new()
            .num_threads(2)
            .stack_size(STACK)
            .build()
            .unwrap_or_else(|e| panic!("cannot start the fuzz driver's threads: {e}"))
    })
}

fn parse_eval_here(data: &[u8]) -> usize {
    let Ok(text) = std::str::from_utf8(data) else {
        return 0;
    };
    let Ok(body) = hcl::parse_body(FileId(0), text) else {
        return 0;
    };
    let vars = scope();
    let files = files();
    let fns = [hcl::functions::terraform()];
    let cx = EvalCtx {
        files: &files,
        base_dir: Path::new("/f"),
        ..EvalCtx::detached(&fns, &vars)
    };
    let mut ok = 0;
    // An explicit stack: block nesting is as deep as the parser allows.
    let mut bodies: Vec<&Body> = vec![&body];
    while let Some(b) = bodies.pop() {
        for s in b.iter() {
            match s {
                Structure::Attribute(a) => {
                    if let Ok(v) = hcl::eval(&a.value, &cx) {
                        ok += 1;
                        let _ = v.to_string();
                        let _ = hcl::json::encode(&v, &hcl::json::TERRAFORM);
                    }
                }
                Structure::Block(blk) => bodies.push(&blk.body),
            }
        }
    }
    ok
}

/// The variables `parse_eval` evaluates against: one value of every kind under `v` and
/// `local`, including null, unknown and nested collections.
fn scope() -> Vars {
    let obj = |pairs: Vec<(&str, Value)>| {
        Value::object(pairs.into_iter().map(|(k, v)| (k.to_string(), v)).collect())
    };
    let v = obj(vec![
        ("s", "10.0.0.0/16".into()),
        ("n", Value::int(3)),
        ("b", Value::bool(true)),
        ("z", Value::null()),
        ("u", Value::unknown("fuzz")),
        (
            "l",
            Value::tuple(vec!["a".into(), Value::int(2), Value::unknown("e")]),
        ),
        ("set", Value::set(vec!["x".into(), "y".into()])),
        ("m", obj(vec![("k", "v".into()), ("n", Value::null())])),
    ]);
    let mut vars = Vars::new();
    vars.insert("local".into(), v.clone());
    vars.insert("v".into(), v);
    vars
}

/// The files Terraform's file functions see in `parse_eval` (base directory `/f`).
fn files() -> MemFiles {
    MemFiles::new()
        .with("/f/a.txt", "hello\n")
        .with("/f/t.tpl", "%{ for x in xs }${x}-${name}\n%{ endfor }")
        .with("/f/v.yaml", "a: 1\nb: [x, y]\n")
        .with("/f/v.json", "{\"a\": [1, 2, {\"b\": null}]}")
        .with("/f/d/b.bin", b"\xff\xfe\x00binary".as_slice())
}

/// Starts a new file in a `model_tree` input: `%%file PATH`, alone on its line.
pub const FILE_HEADER: &str = "%%file ";
/// Starts a file whose reads fail (`%%fail PATH`).
pub const FAIL_HEADER: &str = "%%fail ";
/// Starts something that is not a regular file, a FIFO say (`%%special PATH`).
pub const SPECIAL_HEADER: &str = "%%special ";

/// The root every `model_tree` input is loaded from.
pub const ROOT: &str = "/r";
/// At most this many files per tree (the rest of the input is ignored).
pub const MAX_FILES: usize = 16;
/// Components a file path may have.
const MAX_COMPONENTS: usize = 8;

/// Where a file goes when its header names no usable path (and where text before the first
/// header goes): a layout with a unit, its parents and a sibling unit, by position.
const SLOTS: &[&str] = &[
    "live/a/terragrunt.hcl",
    "root.hcl",
    "env.hcl",
    "_envcommon/x.hcl",
    "live/b/terragrunt.hcl",
    "live/env.hcl",
    "live/a/vars.yaml",
    "live/a/t.tpl",
];

/// How one file of a `model_tree` input is added.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Entry {
    File,
    Fail,
    Special,
}

/// Splits a `model_tree` input into files. A line starting with [`FILE_HEADER`],
/// [`FAIL_HEADER`] or [`SPECIAL_HEADER`] starts a new entry named by the rest of the line:
/// a relative path is taken under [`ROOT`], an absolute one as it is (so reads outside the
/// root can be tried). A path that is not UTF-8, is empty, has an empty, `.` or `..`
/// component or more than eight components is replaced by the slot for its position.
/// Bytes before the first header form the first file. Contents are raw bytes.
pub fn split_tree(data: &[u8]) -> Vec<(Entry, PathBuf, &[u8])> {
    let mut out = Vec::new();
    // (kind, header line, start of contents)
    let mut cur: (Entry, &[u8], usize) = (Entry::File, &[], 0);
    let mut line_start = 0;
    while line_start <= data.len() && out.len() < MAX_FILES {
        let rest = &data[line_start..];
        let line_end = rest
            .iter()
            .position(|&c| c == b'\n')
            .map_or(data.len(), |i| line_start + i);
        let line = &data[line_start..line_end];
        let next = [
            (Entry::File, FILE_HEADER),
            (Entry::Fail, FAIL_HEADER),
            (Entry::Special, SPECIAL_HEADER),
        ]
        .into_iter()
        .find_map(|(k, h)| line.strip_prefix(h.as_bytes()).map(|name| (k, name)));
        if let Some((kind, name)) = next {
            // The newline before a header ends no file's contents.
            let end = line_start.saturating_sub(1).max(cur.2);
            if line_start > 0 {
                let idx = out.len();
                out.push((cur.0, entry_path(cur.1, idx), &data[cur.2..end]));
            }
            cur = (kind, name, (line_end + 1).min(data.len()));
        }
        line_start = line_end + 1;
    }
    if out.len() < MAX_FILES {
        let idx = out.len();
        out.push((
            cur.0,
            entry_path(cur.1, idx),
            &data[cur.2.min(data.len())..],
        ));
    }
    out
}

fn entry_path(name: &[u8], idx: usize) -> PathBuf {
    let slot = || Path::new(ROOT).join(SLOTS[idx % SLOTS.len()]);
    let Ok(name) = std::str::from_utf8(name) else {
        return slot();
    };
    let name = name.trim_end_matches('\r');
    let (base, rel) = match name.strip_prefix('/') {
        Some(r) => (Path::new("/"), r),
        None => (Path::new(ROOT), name),
    };
    let comps: Vec<&str> = rel.split('/').collect();
    let usable = !rel.is_empty()
        && comps.len() <= MAX_COMPONENTS
        && comps
            .iter()
            .all(|c| !c.is_empty() && *c != "." && *c != ".." && !c.contains('\0'));
    if usable { base.join(rel) } else { slot() }
}

/// Builds the tree described by `data` (see [`split_tree`]) in a `MemFs`, loads it from
/// [`ROOT`] with default options, and renders every unit and every diagnostic as JSON.
/// Returns the number of units.
pub fn model_tree(data: &[u8]) -> usize {
    big_stacks().install(|| model_tree_here(data))
}

fn model_tree_here(data: &[u8]) -> usize {
    let mut fs = MemFs::new();
    for (kind, path, contents) in split_tree(data) {
        fs = match kind {
            Entry::File => fs.file(path, contents),
            Entry::Fail => fs.failing(path, "injected failure"),
            Entry::Special => fs.special(path),
        };
    }
    let tree = load::load(Arc::new(fs), Path::new(ROOT), Options::default());
    // Where every label points (what a reporter computes), for every unit and the tree.
    let place = |l: &tglint_model::diag::Label| {
        let _ = tree.cache.line_col(l.file, l.start);
        let _ = tree.cache.line_col(l.file, l.end);
        let _ = tree.rel(l.file);
    };
    for u in &tree.units {
        let _ = render::unit_json(&tree, u).to_string();
        let _ = u.to_value().to_string();
        for path in [
            "inputs",
            "locals",
            "remote_state.config",
            "terraform.source",
        ] {
            if let Some(o) = u.get(path).origin() {
                let _ = u.chain(&o);
            }
            let _ = u.chain_at(path);
            let _ = u.overridden(path);
        }
        let _ = u.read_files();
        for d in &u.diagnostics {
            place(&d.primary);
            d.related.iter().for_each(place);
        }
    }
    for d in &tree.diagnostics {
        place(&d.primary);
        d.related.iter().for_each(place);
    }
    tree.units.len()
}
