//! What `required-tags`, `remote-state` and `state-key-unique` share: the Terraform files
//! a unit's `generate` blocks write, as the model parses them
//! ([`Generate::parsed`](tglint_model::unit::Generate::parsed): HCL for `.tf`, Terraform's
//! JSON syntax for `.tf.json`, not evaluated, partly unknown contents parsed from their
//! known text), and whether the block writes at all (`disable`, an unknown `path`).
//!
//! Lines in the parsed contents are lines of the contents string, not of the file that
//! holds the `generate` block: findings are reported at the contents value's origin (the
//! heredoc), naming the line of the contents in the message.

use tglint_model::hcl::Data;
use tglint_model::hcl::Value;
use tglint_model::unit::{Generate, Lookup, TfContents, Unit};

pub use tglint_model::unit::{TfBlock, TfBody, TfName, TfValue};

/// A `generate` block that writes (or may write) a Terraform file.
pub struct TfFile<'a> {
    pub block: &'a Generate,
    /// The file it writes, when known (`provider.tf`).
    pub file: Option<String>,
    pub state: TfState<'a>,
}

/// What can be known of a generated Terraform file.
pub enum TfState<'a> {
    /// The contents (or their known text), parsed.
    Parsed(&'a tglint_model::unit::TfFile),
    /// A value that decides what is written is unknown: the lookup path of that value,
    /// what it is (`contents`, `path`, `disable`) and why it is unknown.
    Unknown {
        at: String,
        attr: &'static str,
        reason: String,
    },
    /// The contents are a known string that does not parse (Terraform's error to
    /// report; loading reports it as an `eval-error`).
    Invalid { message: String },
}

impl TfFile<'_> {
    /// Why what the block writes is unknown, naming the block (`the contents of generate
    /// "provider" (provider.tf) are unknown (…)`); `None` unless it is unknown.
    pub fn unknown_why(&self) -> Option<String> {
        let TfState::Unknown { attr, reason, .. } = &self.state else {
            return None;
        };
        let block = self.describe();
        Some(match *attr {
            "disable" => format!("whether {block} is disabled is unknown ({reason})"),
            "path" => format!("the file {block} writes is unknown ({reason})"),
            _ => format!("the contents of {block} are unknown ({reason})"),
        })
    }

    /// The lookup path of the block's contents (`generate["provider"].contents`).
    pub fn contents_path(&self) -> String {
        generate_path(&self.block.label, "contents")
    }

    /// How messages name the block: `generate "provider" (provider.tf)`.
    pub fn describe(&self) -> String {
        match &self.file {
            Some(f) => format!("generate \"{}\" ({f})", self.block.label),
            None => format!("generate \"{}\"", self.block.label),
        }
    }

    /// Whether the block's label or file name says it holds a provider (to decide whether
    /// unknown contents are worth a "cannot verify" when a provider is found elsewhere).
    pub fn looks_like_provider(&self) -> bool {
        self.block.label.contains("provider")
            || self.file.as_deref().is_some_and(|f| f.contains("provider"))
    }
}

/// The lookup path of attribute `attr` of generate block `label`.
pub fn generate_path(label: &str, attr: &str) -> String {
    let quoted = serde_json::to_string(label).unwrap_or_else(|_| format!("\"{label}\""));
    format!("generate[{quoted}].{attr}")
}

/// Whether a generated file is one Terraform (or OpenTofu) reads.
fn is_tf(path: &str) -> bool {
    tglint_model::unit::TfFormat::of_path(path).is_some()
}

/// Every `generate` block of `u` that writes, or may write, a Terraform file: disabled
/// blocks and blocks writing other files (`.tf.json`, `.md`, …) are left out.
pub fn terraform_files(u: &Unit) -> Vec<TfFile<'_>> {
    let mut out = Vec::new();
    for g in &u.generate {
        let unknown = |attr: &'static str, reason: &str| TfState::Unknown {
            at: generate_path(&g.label, attr),
            attr,
            reason: reason.to_string(),
        };
        let disabled = u.get(&generate_path(&g.label, "disable"));
        let mut state = None;
        match disabled.bool() {
            tglint_model::unit::Typed::Known { value: true, .. } => continue,
            tglint_model::unit::Typed::Unknown { reason, .. } => {
                state = Some(unknown("disable", reason));
            }
            _ => {}
        }
        let file = match g.path.as_ref().map(Lookup::of) {
            Some(Lookup::Known(v)) => match v.as_str() {
                Some(p) if is_tf(p) => Some(p.to_string()),
                _ => continue,
            },
            Some(Lookup::Unknown { reason, .. }) => {
                state.get_or_insert(unknown("path", reason));
                None
            }
            _ => continue,
        };
        let state = match state {
            Some(s) => s,
            None => match g.parsed() {
                Some(TfContents::Parsed(f)) => TfState::Parsed(f),
                Some(TfContents::Unknown { reason }) => unknown("contents", reason),
                Some(TfContents::Invalid { line, message, .. }) => TfState::Invalid {
                    message: format!("line {line} of the contents: {message}"),
                },
                // A path not yet known: what the contents are says whether it is parsed.
                None => match g.contents.as_ref().map(Lookup::of) {
                    Some(Lookup::Unknown { reason, .. }) => unknown("contents", reason),
                    _ => continue,
                },
            },
        };
        out.push(TfFile {
            block: g,
            file,
            state,
        });
    }
    out
}

/// Why the unit's configuration may be incomplete (a parse or include error while
/// loading it), so that the absence of a block proves nothing.
pub fn incomplete(u: &Unit) -> Option<String> {
    use tglint_model::diag::Reserved;
    if u.failed {
        return Some("its configuration could not be loaded".to_string());
    }
    u.diagnostics
        .iter()
        .find(|d| d.rule == Reserved::ParseError || d.rule == Reserved::IncludeError)
        .map(|d| {
            format!(
                "its configuration did not load completely (see its {})",
                d.rule
            )
        })
}

/// ` (line N of its contents)` for a place in HCL contents; nothing for JSON, which has
/// no lines in the model.
pub fn at_line(line: Option<usize>) -> String {
    line.map(|l| format!(" (line {l} of its contents)"))
        .unwrap_or_default()
}

/// A literal's string form (strings, numbers and bools, as Terraform converts them).
pub fn lit_str(v: &Value) -> Option<String> {
    match &v.data {
        Data::String(s) => Some(s.clone()),
        Data::Number(_) | Data::Bool(_) => v.to_str_conv().ok(),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_and_literal_strings() {
        assert_eq!(at_line(Some(3)), " (line 3 of its contents)");
        assert_eq!(at_line(None), "");
        assert_eq!(lit_str(&Value::int(3)).as_deref(), Some("3"));
        assert_eq!(lit_str(&Value::bool(true)).as_deref(), Some("true"));
        assert_eq!(lit_str(&Value::string("x")).as_deref(), Some("x"));
        assert_eq!(lit_str(&Value::null()), None);
        assert!(is_tf("a.tf") && is_tf("a.tf.json") && is_tf("b.tofu") && !is_tf("a.md"));
    }
}
