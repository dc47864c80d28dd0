//! Suppression comments (CONVENTIONS §8):
//!
//! ```hcl
//! # tglint-ignore: deletion-protection -- restored from a snapshot weekly expires=2027-06-30
//! deletion_protection = false
//! ```
//!
//! `# tglint-ignore: <id>[, <id>] -- <reason>` (or `//`) on the line above an attribute, a
//! block or an object item suppresses those rules' findings whose primary location lies in
//! it — in whichever file defines the value, so a suppression in `_envcommon` covers every
//! unit that inherits the line. `# tglint-ignore-file: <id> -- <reason>` before the first
//! line of code covers the whole file. A reason is required; `expires=YYYY-MM-DD` makes
//! the suppression lapse after that day. Malformed, expired and unused suppressions are
//! reported (`suppression`).

use std::ops::Range;
use tglint_model::diag::{Diagnostic, Label, Severity, ids};
use tglint_model::hcl::hcl_edit::Span as _;
use tglint_model::hcl::hcl_edit::expr::Expression;
use tglint_model::hcl::hcl_edit::structure::{Body, Structure};
use tglint_model::hcl::{FileId, Span};

/// One suppression comment.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Suppression {
    pub file: FileId,
    /// The comment itself.
    pub at: Range<u32>,
    pub rules: Vec<String>,
    pub reason: String,
    pub expires: Option<String>,
    /// What it covers (the whole file for `tglint-ignore-file`).
    pub covers: Range<u32>,
    pub whole_file: bool,
}

impl Suppression {
    pub fn label(&self) -> Label {
        Label::new(Span::new(
            self.file,
            self.at.start as usize..self.at.end as usize,
        ))
    }

    pub fn expired(&self, today: &str) -> bool {
        self.expires.as_deref().is_some_and(|d| d < today)
    }

    pub fn covers(&self, rule: &str, file: FileId, offset: u32) -> bool {
        self.file == file
            && self.covers.contains(&offset)
            && self.rules.iter().any(|r| r == rule || r == "all")
    }
}

/// The suppressions of one file, and the problems with the malformed ones.
pub fn parse(file: FileId, text: &str, body: Option<&Body>) -> (Vec<Suppression>, Vec<Diagnostic>) {
    let mut out = Vec::new();
    let mut diags = Vec::new();
    let mut offset = 0usize;
    let mut code_seen = false;
    let all: Vec<&str> = text.split_inclusive('\n').collect();
    for (i, raw) in all.iter().enumerate() {
        let start = offset;
        offset += raw.len();
        let line = raw.trim_end_matches(['\n', '\r']);
        let trimmed = line.trim_start();
        let body_of_comment = trimmed
            .strip_prefix('#')
            .or_else(|| trimmed.strip_prefix("//"));
        let Some(comment) = body_of_comment else {
            if !trimmed.is_empty() {
                code_seen = true;
            }
            continue;
        };
        let comment = comment.trim();
        let (whole_file, rest) = if let Some(r) = comment.strip_prefix("tglint-ignore-file:") {
            (true, r)
        } else if let Some(r) = comment.strip_prefix("tglint-ignore:") {
            (false, r)
        } else {
            continue;
        };
        let lead = line.len() - trimmed.len();
        let at = (start + lead) as u32..(start + line.len()) as u32;
        let at_span = Span::new(file, at.start as usize..at.end as usize);
        let (ids_part, reason_part) = match rest.split_once("--") {
            Some((a, b)) => (a, b.trim()),
            None => (rest, ""),
        };
        let rules: Vec<String> = ids_part
            .split(',')
            .map(|s| s.trim().to_string())
            .filter(|s| !s.is_empty())
            .collect();
        let mut expires = None;
        let mut reason_words = Vec::new();
        for w in reason_part.split_whitespace() {
            match w.strip_prefix("expires=") {
                Some(d) => expires = Some(d.to_string()),
                None => reason_words.push(w),
            }
        }
        let reason = reason_words.join(" ");
        if rules.is_empty() {
            diags.push(
                Diagnostic::at(ids::SUPPRESSION, "a suppression names no rule", at_span)
                    .with_help("write `# tglint-ignore: <rule-id> -- <reason>`"),
            );
            continue;
        }
        if reason.is_empty() {
            diags.push(
                Diagnostic::at(
                    ids::SUPPRESSION,
                    format!(
                        "the suppression of {} gives no reason, so it is not applied",
                        rules.join(", ")
                    ),
                    at_span,
                )
                .with_help("say why after ` -- `: `# tglint-ignore: <rule-id> -- <reason>`"),
            );
            continue;
        }
        if let Some(d) = &expires
            && !is_date(d)
        {
            diags.push(Diagnostic::at(
                ids::SUPPRESSION,
                format!(
                    "`expires={d}` is not a date (YYYY-MM-DD), so the suppression is not applied"
                ),
                at_span,
            ));
            continue;
        }
        let covers = if whole_file {
            if code_seen {
                diags.push(
                    Diagnostic::at(
                        ids::SUPPRESSION,
                        "tglint-ignore-file must come before the first line of code, so it is not applied",
                        at_span,
                    ),
                );
                continue;
            }
            0..u32::MAX
        } else {
            // The first line of code after the comment, and what starts there.
            let next = all
                .iter()
                .enumerate()
                .skip(i + 1)
                .find(|(_, l)| {
                    let t = l.trim();
                    !t.is_empty() && !t.starts_with('#') && !t.starts_with("//")
                })
                .map(|(j, _)| j);
            let Some(j) = next else {
                diags.push(Diagnostic::at(
                    ids::SUPPRESSION,
                    "nothing follows this suppression",
                    at_span,
                ));
                continue;
            };
            let line_start: usize = all[..j].iter().map(|l| l.len()).sum();
            let line_end = line_start + all[j].len();
            match body.and_then(|b| outermost_starting_in(b, line_start..line_end)) {
                Some(r) => r.start as u32..r.end as u32,
                None => line_start as u32..line_end as u32,
            }
        };
        out.push(Suppression {
            file,
            at,
            rules,
            reason,
            expires,
            covers,
            whole_file,
        });
    }
    (out, diags)
}

fn is_date(d: &str) -> bool {
    let b = d.as_bytes();
    b.len() == 10
        && b[4] == b'-'
        && b[7] == b'-'
        && b.iter()
            .enumerate()
            .all(|(i, c)| i == 4 || i == 7 || c.is_ascii_digit())
}

/// The largest attribute, block or object item that starts within `line`.
fn outermost_starting_in(body: &Body, line: Range<usize>) -> Option<Range<usize>> {
    let mut best: Option<Range<usize>> = None;
    let mut consider = |r: Range<usize>| {
        if line.contains(&r.start)
            && best
                .as_ref()
                .is_none_or(|b| r.end - r.start > b.end - b.start)
        {
            best = Some(r);
        }
    };
    let mut bodies = vec![body];
    let mut exprs: Vec<&Expression> = Vec::new();
    while let Some(b) = bodies.pop() {
        for s in b.iter() {
            match s {
                Structure::Attribute(a) => {
                    if let Some(r) = a.span() {
                        consider(r);
                    }
                    exprs.push(&a.value);
                }
                Structure::Block(blk) => {
                    if let Some(r) = blk.span() {
                        consider(r);
                    }
                    bodies.push(&blk.body);
                }
            }
        }
    }
    // Object items inside values, at any depth (bounded: values nest at most as deep as
    // the parser allows).
    while let Some(e) = exprs.pop() {
        match e {
            Expression::Object(o) => {
                for (k, v) in o.iter() {
                    if let (Some(ks), Some(vs)) = (k.span(), v.expr().span()) {
                        consider(ks.start..vs.end);
                    }
                    exprs.push(v.expr());
                }
            }
            Expression::Array(a) => exprs.extend(a.iter()),
            Expression::Parenthesis(p) => exprs.push(p.inner()),
            Expression::FuncCall(f) => exprs.extend(f.args.iter()),
            _ => {}
        }
    }
    best
}

/// An unused suppression (info).
pub fn unused(s: &Suppression) -> Diagnostic {
    let mut d = Diagnostic::new(
        ids::SUPPRESSION,
        format!(
            "this suppression of {} matches no finding",
            s.rules.join(", ")
        ),
        s.label(),
    )
    .with_help("remove it: the finding it was for is gone");
    d.severity = Severity::Info;
    d
}

/// An expired suppression: the finding is reported again, and so is the lapse.
pub fn expired(s: &Suppression) -> Diagnostic {
    Diagnostic::new(
        ids::SUPPRESSION,
        format!(
            "this suppression of {} expired on {}; the findings it covered are reported again",
            s.rules.join(", "),
            s.expires.as_deref().unwrap_or("")
        ),
        s.label(),
    )
    .with_help("fix the finding, or extend `expires=` with a reason")
}
