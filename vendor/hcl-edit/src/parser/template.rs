use super::prelude::*;

use super::error::{before_closing, crossed_line, fail_at};
use super::expr::{expr, multiline_expr};
use super::nesting::nested;
use super::repr::{decorated, spanned};
use super::string::{
    build_string, closing_quote, cut_char, cut_ident, cut_tag, quoted_string_fragment, raw_string,
    str_ident, template_string_fragment,
};
use super::trivia::ws;

use crate::template::{
    Directive, Element, ElseTemplateExpr, EndforTemplateExpr, EndifTemplateExpr, ForDirective,
    ForTemplateExpr, IfDirective, IfTemplateExpr, Interpolation, StringTemplate, Strip, Template,
};
use crate::{SetSpan, Span, Spanned};

use std::borrow::Cow;
use winnow::ascii::{line_ending, space0};
use winnow::combinator::{alt, not, opt, preceded, repeat, separated_pair, terminated};
use winnow::token::one_of;

use hcl_primitives::ident::is_id_continue;

pub(super) fn string_template(input: &mut Input) -> ModalResult<StringTemplate> {
    let open = input.checkpoint();
    let elements = preceded('"', elements(Lit::Quoted)).parse_next(input)?;
    stray_directive(input)?;
    closing_quote(input, &open)?;
    Ok(elements.into())
}

/// Where the elements of a template stopped at a directive, fails there: it is an `else`, `endif`
/// or `endfor` that closes nothing, or no directive at all.
fn stray_directive(input: &mut Input) -> ModalResult<()> {
    if !input.peek_finish().starts_with("%{") {
        return Ok(());
    }
    let here = input.checkpoint();
    let keyword = opt(preceded(("%{", opt('~'), space0), str_ident)).parse_next(input)?;
    let message = match keyword {
        Some(keyword @ ("else" | "endif")) => {
            format!("`%{{ {keyword} }}` without a matching `%{{ if }}`")
        }
        Some("endfor") => "`%{ endfor }` without a matching `%{ for }`".to_owned(),
        _ => "invalid template directive: expected `if` or `for`".to_owned(),
    };
    fail_at(input, &here, message)
}

/// For a heredoc whose end delimiter does not follow its template: fails at the directive the
/// template stopped at, if it stopped at one.
pub(super) fn heredoc_stray_directive<'a>(
    input: &mut Input<'a>,
    delim: &'a str,
) -> ModalResult<()> {
    let _ = elements(Lit::Heredoc(delim)).parse_next(input)?;
    stray_directive(input)
}

pub(super) fn template(input: &mut Input) -> ModalResult<Template> {
    elements(Lit::Bare).output_into().parse_next(input)
}

/// The kind of template, which decides what its literals (and those of its directives'
/// bodies) may contain.
#[derive(Clone, Copy)]
enum Lit<'a> {
    /// A bare template: any text up to `${` or `%{`.
    Bare,
    /// A quoted string: escapes are unescaped, and `"` or a line break ends it.
    Quoted,
    /// A heredoc: any text up to `${`, `%{` or the line that ends the heredoc.
    Heredoc(&'a str),
}

/// One literal of a template of the kind `kind`.
fn literal<'a>(kind: Lit<'a>) -> impl ModalParser<Input<'a>, Cow<'a, str>, ContextError> {
    move |input: &mut Input<'a>| match kind {
        Lit::Bare => template_literal(alt(("${", "%{"))).parse_next(input),
        Lit::Quoted => build_string(quoted_string_fragment).parse_next(input),
        Lit::Heredoc(delim) => heredoc_literal(delim).parse_next(input),
    }
}

/// The elements of a directive's body, of the same kind as the template around it.
fn body<'a>(kind: Lit<'a>) -> impl ModalParser<Input<'a>, Template, ContextError> {
    move |input: &mut Input<'a>| elements(kind).output_into().parse_next(input)
}

pub(super) fn heredoc_template<'a>(
    delim: &'a str,
) -> impl ModalParser<Input<'a>, Template, ContextError> {
    move |input: &mut Input<'a>| {
        // We'll need to look for a line ending followed by optional space and the heredoc
        // delimiter.
        //
        // Here's the catch though: the line ending has to be treated as part of the last template
        // literal, but is still required to be matched when detecting the heredoc end. Matching
        // only `(space0, delim)` is not sufficient, because heredocs can contain their delimiter
        // as long as it's not preceeded by a line ending.
        //
        // Handling this case via parser combinators is quite tricky and thus we'll manually add
        // the line ending to the last template element below.
        // Use `opt` to handle an empty template.
        opt((elements(Lit::Heredoc(delim)), line_ending.with_span()).map(
            |(mut elements, (line_ending, line_ending_span))| {
                // If there is a trailing literal, update its span and append the line ending to
                // it. Otherwise just add a new literal containing only the line ending.
                if let Some(Element::Literal(lit)) = elements.last_mut() {
                    let existing_span = lit.span().unwrap();
                    lit.push_str(line_ending);
                    lit.set_span(existing_span.start..line_ending_span.end);
                } else {
                    let mut lit = Spanned::new(String::from(line_ending));
                    lit.set_span(line_ending_span);
                    elements.push(Element::Literal(lit));
                }

                Template::from(elements)
            },
        ))
        .map(Option::unwrap_or_default)
        .parse_next(input)
    }
}

/// A literal of a heredoc ending with `delim`.
fn heredoc_literal(delim: &str) -> impl ModalParser<Input<'_>, Cow<'_, str>, ContextError> {
    let heredoc_end = (line_ending, space0, delim, not(one_of(is_id_continue))).take();
    let literal_end = alt(("${", "%{", heredoc_end));
    template_literal(literal_end)
}

#[inline]
fn template_literal<'a, F, T>(
    literal_end: F,
) -> impl ModalParser<Input<'a>, Cow<'a, str>, ContextError>
where
    F: ModalParser<Input<'a>, T, ContextError>,
{
    build_string(template_string_fragment(literal_end))
}

fn elements<'a>(kind: Lit<'a>) -> impl ModalParser<Input<'a>, Vec<Element>, ContextError> {
    repeat(
        0..,
        spanned(alt((
            literal(kind).map(|s| Element::Literal(Spanned::new(s.into()))),
            interpolation.map(Element::Interpolation),
            directive(kind).map(|d| Element::Directive(Box::new(d))),
        ))),
    )
}

fn interpolation(input: &mut Input) -> ModalResult<Interpolation> {
    control("${", decorated(ws, multiline_expr, ws))
        .map(|(expr, strip)| {
            let mut interp = Interpolation::new(expr);
            interp.strip = strip;
            interp
        })
        .parse_next(input)
}

fn directive<'a>(kind: Lit<'a>) -> impl ModalParser<Input<'a>, Directive, ContextError> {
    move |input: &mut Input<'a>| {
        alt((
            (|i: &mut Input<'a>| if_directive(i, kind)).map(Directive::If),
            (|i: &mut Input<'a>| for_directive(i, kind)).map(Directive::For),
        ))
        .parse_next(input)
    }
}

fn if_directive<'a>(input: &mut Input<'a>, kind: Lit<'a>) -> ModalResult<IfDirective> {
    let open = input.checkpoint();
    let mut if_expr = (
        control(
            "%{",
            (terminated(raw_string(ws), "if"), decorated(ws, expr, ws)),
        ),
        spanned(nested(body(kind))),
    )
        .map(|(((preamble, cond_expr), strip), template)| {
            let mut expr = IfTemplateExpr::new(cond_expr, template);
            expr.strip = strip;
            expr.set_preamble(preamble);
            expr
        });

    let mut else_expr = (
        control("%{", separated_pair(raw_string(ws), "else", raw_string(ws))),
        spanned(nested(body(kind))),
    )
        .map(|(((preamble, trailing), strip), template)| {
            let mut expr = ElseTemplateExpr::new(template);
            expr.strip = strip;
            expr.set_preamble(preamble);
            expr.set_trailing(trailing);
            expr
        });

    let mut endif_expr = control(
        "%{",
        separated_pair(raw_string(ws), cut_tag("endif"), raw_string(ws)),
    )
    .map(|((preamble, trailing), strip)| {
        let mut expr = EndifTemplateExpr::new();
        expr.strip = strip;
        expr.set_preamble(preamble);
        expr.set_trailing(trailing);
        expr
    });

    let if_expr = if_expr.parse_next(input)?;
    let else_expr = opt(else_expr.by_ref()).parse_next(input)?;
    if !input.peek_finish().starts_with("%{") {
        return fail_at(
            input,
            &open,
            "unterminated template directive `%{ if }`: missing `%{ endif }`",
        );
    }
    let endif_expr = endif_expr.parse_next(input)?;
    Ok(IfDirective::new(if_expr, else_expr, endif_expr))
}

fn for_directive<'a>(input: &mut Input<'a>, kind: Lit<'a>) -> ModalResult<ForDirective> {
    let open = input.checkpoint();
    let mut for_expr = (
        control(
            "%{",
            (
                terminated(raw_string(ws), "for"),
                decorated(ws, cut_ident, ws),
                opt(preceded(',', decorated(ws, cut_ident, ws))),
                preceded(cut_tag("in"), decorated(ws, expr, ws)),
            ),
        ),
        spanned(nested(body(kind))),
    )
        .map(
            |(((preamble, key_var, value_var, collection_expr), strip), template)| {
                let (key_var, value_var) = match value_var {
                    Some(value_var) => (Some(key_var), value_var),
                    None => (None, key_var),
                };

                let mut expr = ForTemplateExpr::new(key_var, value_var, collection_expr, template);
                expr.strip = strip;
                expr.set_preamble(preamble);
                expr
            },
        );

    let mut endfor_expr = control(
        "%{",
        separated_pair(raw_string(ws), cut_tag("endfor"), raw_string(ws)),
    )
    .map(|((preamble, trailing), strip)| {
        let mut expr = EndforTemplateExpr::new();
        expr.strip = strip;
        expr.set_preamble(preamble);
        expr.set_trailing(trailing);
        expr
    });

    let for_expr = for_expr.parse_next(input)?;
    if !input.peek_finish().starts_with("%{") {
        return fail_at(
            input,
            &open,
            "unterminated template directive `%{ for }`: missing `%{ endfor }`",
        );
    }
    let endfor_expr = endfor_expr.parse_next(input)?;
    Ok(ForDirective::new(for_expr, endfor_expr))
}

/// An interpolation or directive: `intro` (`${` or `%{`), `inner`, `}`, with strip markers.
///
/// Without its `}`, the sequence is reported at `intro` if parsing stopped at the end of the input
/// or on a later line (newlines are allowed inside, but rarely meant), else where it stopped.
fn control<'a, P, O>(
    intro: &'static str,
    mut inner: P,
) -> impl ModalParser<Input<'a>, (O, Strip), ContextError>
where
    P: ModalParser<Input<'a>, O, ContextError>,
{
    move |input: &mut Input<'a>| {
        let open = input.checkpoint();
        let strip_start = preceded(intro, opt('~')).parse_next(input)?;
        let message = if intro == "${" {
            "unterminated interpolation `${`: missing `}`"
        } else {
            "unterminated template directive `%{`: missing `}`"
        };
        let output = inner.parse_next(input);
        let output = before_closing(output, input, &open, message)?;
        let strip_end = opt('~').parse_next(input)?;
        if input.peek_token() != Some('}') && crossed_line(input, &open) {
            return fail_at(input, &open, message);
        }
        cut_char('}').parse_next(input)?;
        Ok((
            output,
            Strip::from((strip_start.is_some(), strip_end.is_some())),
        ))
    }
}
