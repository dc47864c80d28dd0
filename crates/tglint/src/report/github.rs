//! GitHub Actions workflow commands (`--format github`): one annotation per finding,
//!
//! ```text
//! ::error file=_envcommon/data/rds.hcl,line=5,col=25,endLine=5,endColumn=30,title=deletion-protection::prod RDS instance has deletion_protection = false%0Ahelp: …%0Aunit: environments/prod/…
//! ```
//!
//! `error`, `warning` or `notice` by severity. A finding shared by several units (an
//! inherited value: same rule, place and message) is one annotation naming the units,
//! since GitHub shows a limited number of annotations per step. Values are escaped as the
//! Actions toolkit escapes them (`escape_data`, `escape_property`). Columns count
//! characters; `col`/`endColumn` are left out when a finding spans lines (GitHub ignores
//! them there).

use tglint_model::diag::Severity;
use tglint_model::load::Tree;
use tglint_rules::engine::Outcome;

/// Units named in an annotation before "and N more".
const UNITS_SHOWN: usize = 5;

/// The annotations of a run, one line each.
pub fn render(tree: &Tree, outcome: &Outcome) -> String {
    let mut out = String::new();
    for g in super::group(&outcome.reported) {
        let d = &g.first.diagnostic;
        let p = super::place(tree, &d.primary);
        let command = match d.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "notice",
        };
        let mut props = vec![("file", p.file.clone()), ("line", p.line.to_string())];
        if p.line == p.end_line {
            props.push(("col", p.column.to_string()));
            props.push(("endLine", p.end_line.to_string()));
            props.push(("endColumn", p.end_column.to_string()));
        } else {
            props.push(("endLine", p.end_line.to_string()));
        }
        props.push(("title", d.rule.to_string()));
        let mut message = d.message.clone();
        if let Some(h) = &d.help {
            message.push_str("\nhelp: ");
            message.push_str(h);
        }
        match g.units.as_slice() {
            [] => {}
            [one] => message.push_str(&format!("\nunit: {one}")),
            many => message.push_str(&format!(
                "\nunits ({}): {}",
                many.len(),
                super::units_list(many, UNITS_SHOWN)
            )),
        }
        out.push_str(&command_line(command, &props, &message));
        out.push('\n');
    }
    out
}

/// `::command k=v,k=v::message`, escaped.
pub fn command_line(command: &str, props: &[(&str, String)], message: &str) -> String {
    let props: Vec<String> = props
        .iter()
        .map(|(k, v)| format!("{k}={}", escape_property(v)))
        .collect();
    let sep = if props.is_empty() { "" } else { " " };
    format!(
        "::{command}{sep}{}::{}",
        props.join(","),
        escape_data(message)
    )
}

/// A command's message, as the toolkit's `escapeData`: `%`, `\r`, `\n`.
pub fn escape_data(s: &str) -> String {
    s.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// A command's property value, as the toolkit's `escapeProperty`: `%`, `\r`, `\n`, `:`
/// and `,`.
pub fn escape_property(s: &str) -> String {
    escape_data(s).replace(':', "%3A").replace(',', "%2C")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn data_escapes_percent_and_line_breaks_only() {
        assert_eq!(escape_data("50% a:b,c\r\nd"), "50%25 a:b,c%0D%0Ad");
        // `%` first, so an escape in the input is not decoded by GitHub.
        assert_eq!(escape_data("%0A"), "%250A");
    }

    #[test]
    fn properties_also_escape_colons_and_commas() {
        assert_eq!(
            escape_property("dir,with:odd%name\n.hcl"),
            "dir%2Cwith%3Aodd%25name%0A.hcl"
        );
    }

    #[test]
    fn a_command_line_escapes_its_parts() {
        let line = command_line(
            "error",
            &[("file", "a,b:c.hcl".into()), ("title", "x".into())],
            "line one\nline two: 100%",
        );
        assert_eq!(
            line,
            "::error file=a%2Cb%3Ac.hcl,title=x::line one%0Aline two: 100%25"
        );
        // A message cannot end the command early or start a new one.
        assert_eq!(line.lines().count(), 1);
        assert_eq!(command_line("notice", &[], "m"), "::notice::m");
    }
}
