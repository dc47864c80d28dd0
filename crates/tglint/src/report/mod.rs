//! Reporters: how diagnostics leave tglint. Each format is a module, and all of them read
//! the same sorted diagnostics (`Outcome::reported`, sorted by file, line, column, rule and
//! unit). docs/formats.md documents every format. This module holds what several of them
//! share: the list of formats, places (line and column, in characters or UTF-16 code
//! units), findings grouped by what they say, and XML escaping.

pub mod checkstyle;
pub mod compact;
pub mod github;
pub mod gitlab;
pub mod human;
pub mod json;
pub mod junit;
pub mod markdown;
pub mod sarif;
pub mod text;

use tglint_model::diag::{Diagnostic, Label, Severity};
use tglint_model::load::Tree;
use tglint_rules::engine::{Outcome, Reported};

/// The formats of `--format`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Human,
    Json,
    Sarif,
    Github,
    Junit,
    Compact,
    Checkstyle,
    Gitlab,
    Markdown,
}

impl Format {
    /// Every format, in the order `--help` lists them.
    pub const ALL: [Format; 9] = [
        Format::Human,
        Format::Json,
        Format::Sarif,
        Format::Github,
        Format::Junit,
        Format::Compact,
        Format::Checkstyle,
        Format::Gitlab,
        Format::Markdown,
    ];

    /// The name `--format` takes.
    pub fn name(self) -> &'static str {
        match self {
            Format::Human => "human",
            Format::Json => "json",
            Format::Sarif => "sarif",
            Format::Github => "github",
            Format::Junit => "junit",
            Format::Compact => "compact",
            Format::Checkstyle => "checkstyle",
            Format::Gitlab => "gitlab",
            Format::Markdown => "markdown",
        }
    }

    /// The format named `name`, if there is one.
    pub fn parse(name: &str) -> Option<Format> {
        Format::ALL.into_iter().find(|f| f.name() == name)
    }
}

/// What some reports need besides the findings.
#[derive(Clone, Copy, Debug)]
pub struct Settings {
    /// Colour the human report (a terminal, no `NO_COLOR`, no `--no-color`).
    pub colour: bool,
    /// The lowest severity that fails the run (`--fail-on`; `None` for `never`): a JUnit
    /// test case fails on findings at or above it.
    pub fail_on: Option<Severity>,
}

/// The whole report in `format`, as text.
pub fn render(
    format: Format,
    tree: &Tree,
    outcome: &Outcome,
    settings: Settings,
) -> Result<String, String> {
    Ok(match format {
        Format::Human => human::render(tree, outcome, settings.colour),
        Format::Json => pretty(&json::check(tree, outcome))?,
        Format::Sarif => pretty(&sarif::render(tree, outcome))?,
        Format::Github => github::render(tree, outcome),
        Format::Junit => junit::render(tree, outcome, settings.fail_on),
        Format::Compact => compact::render(tree, outcome),
        Format::Checkstyle => checkstyle::render(tree, outcome),
        Format::Gitlab => pretty(&gitlab::render(tree, outcome))?,
        Format::Markdown => markdown::render(tree, outcome),
    })
}

/// Pretty-printed JSON with a final newline.
fn pretty(j: &serde_json::Value) -> Result<String, String> {
    let mut s = serde_json::to_string_pretty(j).map_err(|e| format!("cannot write output: {e}"))?;
    s.push('\n');
    Ok(s)
}

/// Where a label is: the root-relative path, and 1-based lines and columns of its start
/// and end (the end column is that of the character after the span).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Place {
    pub file: String,
    pub line: u32,
    pub column: u32,
    pub end_line: u32,
    pub end_column: u32,
}

/// The place of `l`, with columns counted in characters (as the human and JSON reports
/// count them).
pub fn place(tree: &Tree, l: &Label) -> Place {
    let (line, column) = tree.cache.line_col(l.file, l.start);
    let (end_line, end_column) = tree.cache.line_col(l.file, l.end.max(l.start));
    Place {
        file: tree.rel(l.file),
        line,
        column,
        end_line,
        end_column,
    }
}

/// The place of `l`, with columns counted in UTF-16 code units (SARIF's default
/// `columnKind`). Where the file's text is not at hand, the character columns.
pub fn place_utf16(tree: &Tree, l: &Label) -> Place {
    let mut p = place(tree, l);
    if let Some(f) = tree.cache.get(l.file)
        && let Some(text) = f.text_if_read()
    {
        p.column = utf16_column(text, l.start);
        p.end_column = utf16_column(text, l.end.max(l.start));
    }
    p
}

/// The 1-based UTF-16 column of byte `offset` in `text`.
fn utf16_column(text: &str, offset: u32) -> u32 {
    let mut end = (offset as usize).min(text.len());
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    let start = text[..end].rfind('\n').map_or(0, |i| i + 1);
    let units: usize = text[start..end].chars().map(char::len_utf16).sum();
    u32::try_from(units + 1).unwrap_or(u32::MAX)
}

/// Findings that say the same thing at the same place for several units (an inherited
/// value): the first of them, and the units, in report order.
pub struct Group<'a> {
    pub first: &'a Reported,
    pub units: Vec<&'a str>,
    /// Whether any of them is a "cannot verify" finding.
    pub cannot_verify: bool,
    /// How many findings the group holds.
    pub count: usize,
}

/// The findings grouped by (rule, severity, place, message), in the order of their first
/// finding.
pub fn group(reported: &[Reported]) -> Vec<Group<'_>> {
    let mut groups: Vec<Group<'_>> = Vec::new();
    let mut index: std::collections::HashMap<(String, Severity, u32, u32, u32, &str), usize> =
        std::collections::HashMap::new();
    for r in reported {
        let d = &r.diagnostic;
        let key = (
            d.rule.to_string(),
            d.severity,
            d.primary.file.0,
            d.primary.start,
            d.primary.end,
            d.message.as_str(),
        );
        let at = *index.entry(key).or_insert_with(|| {
            groups.push(Group {
                first: r,
                units: Vec::new(),
                cannot_verify: false,
                count: 0,
            });
            groups.len() - 1
        });
        let g = &mut groups[at];
        g.count += 1;
        g.cannot_verify |= r.cannot_verify;
        if let Some(u) = &r.unit {
            g.units.push(u);
        }
    }
    groups
}

/// `units` as a short list: a few names, then "and N more".
pub fn units_list(units: &[&str], shown: usize) -> String {
    let mut s = units
        .iter()
        .take(shown)
        .copied()
        .collect::<Vec<_>>()
        .join(", ");
    let more = units.len().saturating_sub(shown);
    if more > 0 {
        s.push_str(&format!(" and {more} more"));
    }
    s
}

/// Text for XML 1.0: `&`, `<`, `>`, `"` and `'` as entities; tabs, line feeds and carriage
/// returns as character references (so attribute values keep them); other characters
/// XML cannot hold (control characters, lone surrogates cannot occur in a `str`,
/// U+FFFE/U+FFFF) as U+FFFD.
pub fn xml_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\t' => out.push_str("&#9;"),
            '\n' => out.push_str("&#10;"),
            '\r' => out.push_str("&#13;"),
            c if (c as u32) < 0x20 || c == '\u{FFFE}' || c == '\u{FFFF}' => out.push('\u{FFFD}'),
            c => out.push(c),
        }
    }
    out
}

/// Text content for XML 1.0: as [`xml_escape`], but tabs and line feeds kept as they are
/// (they need no escaping between tags, and stay readable).
pub fn xml_text(s: &str) -> String {
    xml_escape(s).replace("&#10;", "\n").replace("&#9;", "\t")
}

/// Text on one line, for line-oriented formats (compact): line breaks become spaces.
pub fn one_line(s: &str) -> String {
    s.split(['\r', '\n'])
        .filter(|l| !l.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

/// The message with the unit after it, when there is one: `message (unit: dir)`.
pub fn with_unit(d: &Diagnostic, unit: Option<&str>) -> String {
    match unit {
        Some(u) => format!("{} (unit: {u})", d.message),
        None => d.message.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utf16_columns_count_code_units() {
        let text = "a = \"😀é\" # x\nb";
        // 😀 is two UTF-16 code units, é one.
        let hash = text.find('#').unwrap_or(0) as u32;
        assert_eq!(utf16_column(text, hash), 11);
        assert_eq!(utf16_column(text, 0), 1);
        let b = text.find('b').unwrap_or(0) as u32;
        assert_eq!(utf16_column(text, b), 1);
        // Past the end, or inside a character: clamped.
        assert_eq!(utf16_column(text, 1000), 2);
        assert_eq!(utf16_column(text, 6), 6);
    }

    #[test]
    fn xml_escape_escapes_markup_and_drops_what_xml_cannot_hold() {
        assert_eq!(
            xml_escape("a<b>&\"c\"'\n\u{1}"),
            "a&lt;b&gt;&amp;&quot;c&quot;&apos;&#10;\u{FFFD}"
        );
        assert_eq!(xml_text("a\n\tb&#10;"), "a\n\tb&amp;#10;");
    }

    #[test]
    fn formats_round_trip_their_names() {
        for f in Format::ALL {
            assert_eq!(Format::parse(f.name()), Some(f));
        }
        assert_eq!(Format::parse("xml"), None);
    }
}
