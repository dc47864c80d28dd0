//! What the functions' tests share: a [`TgCtx`] over a [`MemFs`] tree, called through the
//! registry as the evaluator calls it.

use super::terragrunt;
use crate::diag::Diagnostic;
use crate::fs::MemFs;
use crate::source::SourceCache;
use crate::terragrunt::context::{Options, Shared, TgCtx, UnitState};
use crate::terragrunt::{Include, MergeStrategy};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use tglint_hcl::functions::CallError;
use tglint_hcl::{CallCtx, Data, FileId, Limits, NoFiles, Span, Value};

pub(super) struct T {
    pub(super) ctx: TgCtx,
}

pub(super) fn tree(fs: MemFs, config: &str) -> T {
    tree_with(fs, "/r", config, Options::default())
}

pub(super) fn tree_with(fs: MemFs, root: &str, config: &str, opts: Options) -> T {
    let cache = Arc::new(SourceCache::new(Arc::new(fs), Path::new(root), false));
    let ctx = TgCtx {
        shared: Arc::new(Shared::new(cache, opts)),
        config_path: PathBuf::from(config),
        original_path: PathBuf::from(config),
        current_file: PathBuf::from(config),
        include_from_child: None,
        includes: Vec::new(),
        read_stack: Vec::new(),
        diags: Arc::new(Mutex::new(Vec::new())),
        unit: Arc::new(UnitState::new(Limits::DEFAULT)),
        values: None,
    };
    T { ctx }
}

pub(super) fn inc(label: &str, path: &str) -> Include {
    Include {
        label: label.into(),
        bare: label.is_empty(),
        path: PathBuf::from(path),
        expose: false,
        merge: MergeStrategy::Shallow,
        span: tglint_hcl::Span::default(),
        file: None,
    }
}

impl T {
    pub(super) fn call(&self, name: &str, args: Vec<Value>) -> Result<Value, CallError> {
        let cx = CallCtx {
            name,
            base_dir: self.ctx.terragrunt_dir(),
            files: &NoFiles,
            span: Span::new(FileId(0), 3..9),
            ext: Some(&self.ctx),
            budget: &self.ctx.unit.budget,
        };
        terragrunt().call(name, &cx, args)
    }
    pub(super) fn ok(&self, name: &str, args: Vec<Value>) -> Value {
        self.call(name, args)
            .unwrap_or_else(|e| panic!("{name} failed: {e:?}"))
    }
    pub(super) fn s(&self, name: &str, args: Vec<Value>) -> String {
        let v = self.ok(name, args);
        match v.as_str() {
            Some(s) => s.to_string(),
            None => panic!("{name} returned {v}"),
        }
    }
    pub(super) fn err(&self, name: &str, args: Vec<Value>, needle: &str) {
        match self.call(name, args) {
            Ok(v) => panic!("{name} returned {v}, an error was expected"),
            Err(e) => {
                let t = format!("{e:?}");
                assert!(t.contains(needle), "{name}: {t} lacks {needle:?}");
            }
        }
    }
    pub(super) fn unknown(&self, name: &str, args: Vec<Value>, needle: &str) {
        let v = self.ok(name, args);
        match &v.data {
            Data::Unknown(u) => {
                assert!(u.reason.contains(needle), "{name}: reason {:?}", u.reason)
            }
            _ => panic!("{name} returned {v}, unknown expected"),
        }
    }
    pub(super) fn diags(&self) -> Vec<Diagnostic> {
        self.ctx.diags.lock().unwrap().clone()
    }
}

pub(super) fn s(x: &str) -> Value {
    Value::string(x)
}

pub(super) fn empty() -> T {
    tree(
        MemFs::new().file("/r/a/terragrunt.hcl", ""),
        "/r/a/terragrunt.hcl",
    )
}
