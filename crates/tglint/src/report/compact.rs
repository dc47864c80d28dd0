//! One line per finding (`--format compact`), the form editors' and CI problem matchers
//! read:
//!
//! ```text
//! _envcommon/data/rds.hcl:5:25: error[deletion-protection] prod RDS instance has deletion_protection = false (unit: environments/prod/us-east-1/02-data/orders)
//! ```
//!
//! `file:line:column: severity[rule] message`, then ` (unit: DIR)` when the finding is
//! about a unit (an inherited value gives one line per unit, and the unit tells them
//! apart). Severity is `error`, `warning` or `info`; columns count characters; line
//! breaks in a message become spaces, so every finding is one line. A regular
//! expression that reads it (named groups in the style of VS Code's problem matchers;
//! the file is matched lazily, so a `:` in a path is kept in it):
//!
//! ```text
//! ^(?<file>.+?):(?<line>\d+):(?<column>\d+): (?<severity>error|warning|info)\[(?<rule>[^\]]+)\] (?<message>.*)$
//! ```

use tglint_model::load::Tree;
use tglint_rules::engine::Outcome;

/// Every finding, one line each, in report order.
pub fn render(tree: &Tree, outcome: &Outcome) -> String {
    let mut out = String::new();
    for r in &outcome.reported {
        let d = &r.diagnostic;
        let p = super::place(tree, &d.primary);
        out.push_str(&format!(
            "{}:{}:{}: {}[{}] {}\n",
            super::one_line(&p.file),
            p.line,
            p.column,
            d.severity.as_str(),
            d.rule,
            super::one_line(&super::with_unit(d, r.unit.as_deref()))
        ));
    }
    out
}
