//! The HCL evaluation core of tglint: values with unknowns and origins, an evaluator over
//! `hcl-edit`'s syntax tree, and Terraform v0.15.3's function library. It knows nothing of
//! Terragrunt, disks or rules (see `docs/architecture.md`).
#![forbid(unsafe_code)]

pub mod budget;
pub mod error;
pub mod eval;
pub mod files;
pub mod functions;
pub mod go;
pub mod hcl_json;
pub mod json;
pub mod number;
pub mod parse;
pub mod span;
pub mod syntax;
pub mod template;
mod types;
pub mod value;

pub use budget::{Budget, Exceeded, Limits, Resource};
pub use error::{EvalError, FnError, FnResult};
pub use eval::{EvalCtx, Vars, eval};
pub use files::{EntryKind, FileAccess, FileError, MemFiles, NoFiles};
pub use functions::{CallCtx, Function, Functions, Param};
pub use hcl_edit;
pub use hcl_json::parse_json_body;
pub use parse::{MAX_NESTING, ParseError, parse_body, parse_expr};
pub use span::{FileId, LineIndex, Origin, Span};
pub use value::{Data, Entries, Items, MapKind, Number, Partial, SeqKind, Unknown, Value};
