//! Markdown (`--format markdown`) for a GitHub job summary (`$GITHUB_STEP_SUMMARY`) or a
//! pull-request comment: a heading with the summary line, a table per environment and
//! rule (errors, warnings, notes, cannot-verify), then the findings, errors first, then
//! warnings, then notes (folded in a `<details>` block). A finding shared by several
//! units (an inherited value) is one row naming the units. Text from the tree (paths,
//! messages) is escaped so that it cannot break the table or add markup. A run with no
//! findings says so in one sentence. At most [`MAX_ROWS`] finding rows are written (a
//! job summary holds 1 MiB, a comment 65,536 characters); the rest are counted.

use std::collections::BTreeMap;
use tglint_model::diag::Severity;
use tglint_model::load::Tree;
use tglint_rules::engine::Outcome;

/// Finding rows written before "N more not shown".
pub const MAX_ROWS: usize = 200;
/// Units named in a row before "and N more".
const UNITS_SHOWN: usize = 3;

/// The report as Markdown.
pub fn render(tree: &Tree, outcome: &Outcome) -> String {
    let mut out = String::from("## tglint\n\n");
    if outcome.units() == 0 && outcome.reported.is_empty() {
        out.push_str("No units found: nothing was checked.\n");
        return out;
    }
    out.push_str(&format!("**{}**\n\n", super::human::summary(outcome)));
    if outcome.reported.is_empty() {
        out.push_str(&format!(
            "No findings: {} checked, nothing to report.\n",
            plural(outcome.units(), "unit", "units")
        ));
        return out;
    }
    out.push_str(&summary_table(outcome));
    let groups = super::group(&outcome.reported);
    let mut rows_left = MAX_ROWS;
    let mut hidden = 0;
    for (sev, title) in [
        (Severity::Error, "Errors"),
        (Severity::Warning, "Warnings"),
        (Severity::Info, "Notes"),
    ] {
        let these: Vec<&super::Group<'_>> = groups
            .iter()
            .filter(|g| g.first.diagnostic.severity == sev)
            .collect();
        if these.is_empty() {
            continue;
        }
        let count: usize = these.iter().map(|g| g.count).sum();
        let heading = format!("{title} ({count})");
        if sev == Severity::Info {
            out.push_str(&format!("\n<details>\n<summary>{heading}</summary>\n\n"));
        } else {
            out.push_str(&format!("\n### {heading}\n\n"));
        }
        out.push_str("| Location | Rule | Message | Unit |\n| --- | --- | --- | --- |\n");
        for g in these {
            if rows_left == 0 {
                hidden += g.count;
                continue;
            }
            rows_left -= 1;
            let d = &g.first.diagnostic;
            let p = super::place(tree, &d.primary);
            let mut message = escape(&d.message);
            if let Some(h) = &d.help {
                message.push_str("<br>help: ");
                message.push_str(&escape(h));
            }
            let units = match g.units.as_slice() {
                [] => "".to_string(),
                [one] => escape(one),
                many => format!(
                    "{} units: {}",
                    many.len(),
                    escape(&super::units_list(many, UNITS_SHOWN))
                ),
            };
            out.push_str(&format!(
                "| {}:{} | {} | {} | {} |\n",
                escape(&p.file),
                p.line,
                escape(d.rule.as_str()),
                message,
                units
            ));
        }
        if sev == Severity::Info {
            out.push_str("\n</details>\n");
        }
    }
    if hidden > 0 {
        out.push_str(&format!(
            "\n{} not shown; the JSON or SARIF report has them all.\n",
            plural(hidden, "more finding", "more findings")
        ));
    }
    out
}

/// The table of counts per environment and rule, with a total row.
fn summary_table(outcome: &Outcome) -> String {
    #[derive(Default)]
    struct Counts {
        errors: usize,
        warnings: usize,
        notes: usize,
        cannot_verify: usize,
    }
    let mut rows: BTreeMap<(u8, String, String), Counts> = BTreeMap::new();
    let mut total = Counts::default();
    for r in &outcome.reported {
        let env = match (&r.unit, &r.environment) {
            (_, Some(e)) => (0, e.clone()),
            (Some(_), None) => (1, super::junit::UNCLASSIFIED_SUITE.to_string()),
            (None, None) => (2, super::junit::NO_UNIT_SUITE.to_string()),
        };
        let c = rows
            .entry((env.0, env.1, r.diagnostic.rule.to_string()))
            .or_default();
        for c in [c, &mut total] {
            match r.diagnostic.severity {
                Severity::Error => c.errors += 1,
                Severity::Warning => c.warnings += 1,
                Severity::Info => c.notes += 1,
            }
            c.cannot_verify += usize::from(r.cannot_verify);
        }
    }
    let mut s = String::from(
        "| Environment | Rule | Errors | Warnings | Notes | Cannot verify |\n| --- | --- | ---: | ---: | ---: | ---: |\n",
    );
    let mut row = |env: &str, rule: &str, c: &Counts| {
        s.push_str(&format!(
            "| {env} | {rule} | {} | {} | {} | {} |\n",
            c.errors, c.warnings, c.notes, c.cannot_verify
        ));
    };
    for ((_, env, rule), c) in &rows {
        row(&escape(env), &escape(rule), c);
    }
    row("**Total**", "", &total);
    s
}

fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// Text for a Markdown table cell: the characters that make markup or end a cell are
/// backslash-escaped (`&` becomes `&amp;`), line breaks become `<br>`.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '|' | '~' | '#' | '!' | '$' => {
                out.push('\\');
                out.push(c);
            }
            '&' => out.push_str("&amp;"),
            '\r' => {
                if chars.peek() != Some(&'\n') {
                    out.push_str("<br>");
                }
            }
            '\n' => out.push_str("<br>"),
            c if c.is_control() => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::escape;

    #[test]
    fn cells_cannot_be_broken_or_marked_up() {
        assert_eq!(escape("a | b"), "a \\| b");
        assert_eq!(escape("*x* _y_ `z` <b>"), "\\*x\\* \\_y\\_ \\`z\\` \\<b\\>");
        assert_eq!(escape("one\r\ntwo\nthree"), "one<br>two<br>three");
        assert_eq!(escape("[l](u) & \\"), "\\[l\\](u) &amp; \\\\");
    }
}
