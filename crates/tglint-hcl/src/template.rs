//! Strip markers and flush heredocs as HCL applies them to templates scanned line by line.
//!
//! HCL's scanner cuts a heredoc (and a bare template: a `templatefile` file, a string of
//! HCL's JSON syntax) into one literal token per line, and its parser applies the strip
//! markers (`~}`, `{~`) to the one literal token beside each marker
//! (`parseTemplateParts` in hashicorp/hcl `hclsyntax/parser_template.go`): `${x ~}` followed
//! by a blank line strips only the rest of its own line, not the blank line after it. For a
//! `<<-` heredoc, `flushHeredocTemplateParts` then removes the smallest indentation of the
//! lines that still begin with literal text — a line that begins with an interpolation or a
//! directive counts as unindented, and blank lines are neither counted nor changed.
//!
//! hcl-edit keeps one literal per run of text, so [`line_template`] re-cuts each literal into
//! HCL's line tokens, applies the markers and the flush, and returns a template whose
//! literals hold the result and whose markers are cleared. A quoted
//! string is one token per run in HCL too, so its markers are applied by the evaluator
//! directly.

use hcl_edit::template::{Directive, Element, Strip, Template};
use unicode_segmentation::UnicodeSegmentation;

/// One of HCL's template tokens, flattened in source order.
enum Tok {
    /// A literal token: `index` of the hcl-edit literal it came from.
    Lit { index: usize, text: String },
    /// An interpolation or directive marker, with its strip markers.
    Mark { strip_prev: bool, strip_next: bool },
}

/// The template with strip markers applied per line (and, if `flush`, the common
/// indentation removed); its markers are cleared, so rendering it strips nothing more.
pub fn line_template(tpl: &Template, flush: bool) -> Template {
    let mut toks = Vec::new();
    let mut literals = 0;
    flatten(tpl, &mut toks, &mut literals);
    apply_strips(&mut toks);
    if flush {
        flush_lines(&mut toks);
    }
    let mut texts = vec![String::new(); literals];
    for t in toks {
        if let Tok::Lit { index, text } = t
            && let Some(slot) = texts.get_mut(index)
        {
            slot.push_str(&text);
        }
    }
    let mut out = tpl.clone();
    let mut next = 0;
    assign(&mut out, &mut texts, &mut next);
    out
}

fn flatten(tpl: &Template, toks: &mut Vec<Tok>, literals: &mut usize) {
    for el in tpl.iter() {
        match el {
            Element::Literal(lit) => {
                let index = *literals;
                *literals += 1;
                for line in lit.value().split_inclusive('\n') {
                    toks.push(Tok::Lit {
                        index,
                        text: line.to_owned(),
                    });
                }
            }
            Element::Interpolation(i) => toks.push(Tok::Mark {
                strip_prev: i.strip.strip_start(),
                strip_next: i.strip.strip_end(),
            }),
            Element::Directive(d) => match d.as_ref() {
                Directive::If(d) => {
                    toks.push(Tok::Mark {
                        strip_prev: d.if_expr.strip.strip_start(),
                        strip_next: d.if_expr.strip.strip_end(),
                    });
                    flatten(&d.if_expr.template, toks, literals);
                    if let Some(e) = &d.else_expr {
                        toks.push(Tok::Mark {
                            strip_prev: e.strip.strip_start(),
                            strip_next: e.strip.strip_end(),
                        });
                        flatten(&e.template, toks, literals);
                    }
                    toks.push(Tok::Mark {
                        strip_prev: d.endif_expr.strip.strip_start(),
                        strip_next: d.endif_expr.strip.strip_end(),
                    });
                }
                Directive::For(d) => {
                    toks.push(Tok::Mark {
                        strip_prev: d.for_expr.strip.strip_start(),
                        strip_next: d.for_expr.strip.strip_end(),
                    });
                    flatten(&d.for_expr.template, toks, literals);
                    toks.push(Tok::Mark {
                        strip_prev: d.endfor_expr.strip.strip_start(),
                        strip_next: d.endfor_expr.strip.strip_end(),
                    });
                }
            },
        }
    }
}

/// `~}` trims the start of the literal token right after it, `{~` the end of the one right
/// before it (only when that token is a literal).
fn apply_strips(toks: &mut [Tok]) {
    for i in 0..toks.len() {
        let Tok::Mark {
            strip_prev,
            strip_next,
        } = toks[i]
        else {
            continue;
        };
        if strip_prev
            && let Some(Tok::Lit { text, .. }) = i.checked_sub(1).and_then(|p| toks.get_mut(p))
        {
            let keep = text.trim_end().len();
            text.truncate(keep);
        }
        if strip_next && let Some(Tok::Lit { text, .. }) = toks.get_mut(i + 1) {
            let start = text.len() - text.trim_start().len();
            text.drain(..start);
        }
    }
}

/// hcl's `flushHeredocTemplateParts`: the least indentation (in grapheme clusters) of the
/// lines that begin with a literal token, removed from each of them.
fn flush_lines(toks: &mut [Tok]) {
    let mut min = usize::MAX;
    let mut adjust = Vec::new();
    let mut newline = true;
    for (i, t) in toks.iter().enumerate() {
        if newline {
            newline = false;
            let spaces = match t {
                Tok::Lit { text, .. } => {
                    let trimmed = text.trim_start();
                    if trimmed.is_empty() && text.ends_with('\n') {
                        usize::MAX
                    } else {
                        adjust.push(i);
                        text[..text.len() - trimmed.len()].graphemes(true).count()
                    }
                }
                Tok::Mark { .. } => 0,
            };
            min = min.min(spaces);
        }
        if let Tok::Lit { text, .. } = t
            && text.ends_with('\n')
        {
            newline = true;
        }
    }
    if min == usize::MAX || min == 0 {
        return;
    }
    for i in adjust {
        if let Some(Tok::Lit { text, .. }) = toks.get_mut(i) {
            let cut: usize = text.graphemes(true).take(min).map(str::len).sum();
            text.drain(..cut);
        }
    }
}

fn assign(tpl: &mut Template, texts: &mut [String], next: &mut usize) {
    for el in tpl.iter_mut() {
        match el {
            Element::Literal(lit) => {
                if let Some(t) = texts.get_mut(*next) {
                    *lit.as_mut() = std::mem::take(t);
                }
                *next += 1;
            }
            Element::Interpolation(i) => i.strip = Strip::None,
            Element::Directive(d) => match d.as_mut() {
                Directive::If(d) => {
                    d.if_expr.strip = Strip::None;
                    d.endif_expr.strip = Strip::None;
                    assign(&mut d.if_expr.template, texts, next);
                    if let Some(e) = &mut d.else_expr {
                        e.strip = Strip::None;
                        assign(&mut e.template, texts, next);
                    }
                }
                Directive::For(d) => {
                    d.for_expr.strip = Strip::None;
                    d.endfor_expr.strip = Strip::None;
                    assign(&mut d.for_expr.template, texts, next);
                }
            },
        }
    }
}
