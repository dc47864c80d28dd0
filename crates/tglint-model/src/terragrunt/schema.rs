//! Terragrunt's configuration schema as data: the blocks and attributes a file may hold.

pub const STRING_SCALARS: &[&str] = &[
    "terraform_binary",
    "terraform_version_constraint",
    "terragrunt_version_constraint",
    "download_dir",
    "iam_role",
    "iam_assume_role_session_name",
    "iam_web_identity_token",
];
pub const OTHER_SCALARS: &[&str] = &[
    "iam_assume_role_duration",
    "prevent_destroy",
    "skip",
    "retryable_errors",
    "retry_max_attempts",
    "retry_sleep_interval_sec",
];
pub const KNOWN_BLOCKS: &[&str] = &[
    "include",
    "locals",
    "dependency",
    "dependencies",
    "terraform",
    "remote_state",
    "generate",
    "feature",
    "exclude",
    "errors",
    "engine",
    "catalog",
];
