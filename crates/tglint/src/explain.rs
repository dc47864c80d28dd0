//! `tglint explain <id>`: a rule's documentation, exactly the body of its page under
//! `docs/rules/` (both come from `tglint_rules::docs`), or a reserved id's short page.

use clap::Args;
use tglint_model::diag::Reserved;
use tglint_rules::{RULES, docs, registry};

/// `tglint explain`'s arguments.
#[derive(Args, Debug)]
pub struct ExplainArgs {
    /// A rule id (`deletion-protection`) or a reserved id (`parse-error`); `tglint rules`
    /// lists them.
    #[arg(value_name = "ID")]
    id: String,
}

/// Prints the page of a rule or reserved id; an unknown id is a usage error.
pub fn explain_cmd(args: ExplainArgs) -> Result<u8, String> {
    let text = match (registry::rule(&args.id), Reserved::from_id(&args.id)) {
        (Some(r), _) => docs::body(r.meta()),
        (None, Some(r)) => docs::reserved_body(r),
        (None, None) => {
            let known = RULES
                .iter()
                .map(|r| r.meta().id)
                .chain(Reserved::ALL.iter().map(|r| r.id()));
            let hint = tglint_model::hcl::syntax::suggest(&args.id, known)
                .map(|s| format!(" (did you mean `{s}`?)"))
                .unwrap_or_default();
            return Err(format!(
                "explain: no rule is named `{}`{hint}; `tglint rules` lists them",
                args.id
            ));
        }
    };
    crate::print_all(&text)
}
