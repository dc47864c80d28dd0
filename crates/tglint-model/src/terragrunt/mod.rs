//! Terragrunt's semantics over `tglint-hcl`: the parsing context Terragrunt's functions see
//! (`context`), the configuration schema (`schema`, and for HCL's JSON syntax `json_schema`), the evaluated configuration of a file
//! (`config`), the phases of one file (`file`), the include chain and merge of a unit
//! (`resolve`, `merge`), `read_terragrunt_config` (`read_config`) and stack files
//! (`stack`). See
//! `docs/architecture.md`.

pub mod blocks;
pub mod config;
pub mod context;
pub mod feature_flags;
mod file;
pub mod json_schema;
pub mod merge;
pub mod read_config;
pub mod reads;
pub mod resolve;
pub mod schema;
pub mod stack;

pub use config::{DepBlock, FileConfig, Include, Layer, MergeStrategy, Resolved};
pub use context::{Options, Shared, TgCtx, UnitState};
pub use read_config::{MAX_READ_DEPTH, ReadConfigError, config_as_value, read_config_object};
pub use reads::{Read, Via};
pub use resolve::{config_in_dir, dependency_var, resolve, resolve_config_path};
