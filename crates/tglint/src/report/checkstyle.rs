//! Checkstyle XML (`--format checkstyle`), the shape TFLint writes and Jenkins (Warnings
//! NG), reviewdog and many CI dashboards read:
//!
//! ```xml
//! <?xml version="1.0" encoding="UTF-8"?>
//! <checkstyle version="4.3">
//!   <file name="_envcommon/data/rds.hcl">
//!     <error source="tglint.deletion-protection" line="5" column="25" severity="error" message="…"/>
//!   </file>
//! </checkstyle>
//! ```
//!
//! One `<file>` per file with findings, in path order; one `<error>` per finding (the
//! message ends with ` (unit: DIR)` when it is about a unit). Severity is `error`,
//! `warning` or `info`; columns count characters.

use tglint_model::load::Tree;
use tglint_rules::engine::Outcome;

/// The report as XML.
pub fn render(tree: &Tree, outcome: &Outcome) -> String {
    let mut out =
        String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<checkstyle version=\"4.3\">\n");
    let mut current: Option<String> = None;
    for r in &outcome.reported {
        let d = &r.diagnostic;
        let p = super::place(tree, &d.primary);
        if current.as_deref() != Some(p.file.as_str()) {
            if current.is_some() {
                out.push_str("  </file>\n");
            }
            out.push_str(&format!(
                "  <file name=\"{}\">\n",
                super::xml_escape(&p.file)
            ));
            current = Some(p.file.clone());
        }
        out.push_str(&format!(
            "    <error source=\"tglint.{}\" line=\"{}\" column=\"{}\" severity=\"{}\" message=\"{}\"/>\n",
            super::xml_escape(d.rule.as_str()),
            p.line,
            p.column,
            d.severity.as_str(),
            super::xml_escape(&super::with_unit(d, r.unit.as_deref()))
        ));
    }
    if current.is_some() {
        out.push_str("  </file>\n");
    }
    out.push_str("</checkstyle>\n");
    out
}
