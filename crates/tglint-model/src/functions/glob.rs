//! The glob patterns of `mark_glob_as_read`: compiled into flat alternatives of tokens and
//! matched against whole paths in linear time.

#[derive(Clone, Debug, PartialEq)]
pub(super) enum Tok {
    Lit(char),
    /// `?`: one character other than `/`.
    One,
    /// `*`: any run of characters other than `/`.
    Star,
    /// `**`: any run of characters.
    Globstar,
    Class {
        negated: bool,
        ranges: Vec<(char, char)>,
    },
}

#[derive(Clone, Debug)]
enum Node {
    Tok(Tok),
    Alt(Vec<Vec<Node>>),
}

const GLOB_MAX_VARIANTS: usize = 1024;
const GLOB_MAX_NESTING: usize = 16;

/// Compiles a gobwas-style glob (`*`, `**`, `?`, `[...]`, `{a,b}`, `\` escapes, `/` the
/// separator) into flat alternatives. `/**/` between two literal segments also matches a
/// single `/` (Terragrunt's `internal/glob`).
pub(super) fn glob_compile(pattern: &str) -> Result<Vec<Vec<Tok>>, String> {
    let chars: Vec<char> = pattern.chars().collect();
    let mut i = 0;
    let nodes = glob_seq(&chars, &mut i, 0, false)?;
    if i != chars.len() {
        return Err(format!("unexpected {:?} in the pattern", chars.get(i)));
    }
    let flat = glob_expand(&nodes)?;
    let mut out = Vec::new();
    for v in flat {
        glob_collapse(v, 0, &mut out)?;
    }
    Ok(out)
}

fn glob_seq(cs: &[char], i: &mut usize, depth: usize, in_alt: bool) -> Result<Vec<Node>, String> {
    let mut out = Vec::new();
    while let Some(&c) = cs.get(*i) {
        match c {
            '\\' => {
                let Some(&e) = cs.get(*i + 1) else {
                    return Err("the pattern ends with an escape character".into());
                };
                out.push(Node::Tok(Tok::Lit(e)));
                *i += 2;
            }
            '*' if cs.get(*i + 1) == Some(&'*') => {
                out.push(Node::Tok(Tok::Globstar));
                *i += 2;
            }
            '*' => {
                out.push(Node::Tok(Tok::Star));
                *i += 1;
            }
            '?' => {
                out.push(Node::Tok(Tok::One));
                *i += 1;
            }
            '[' => {
                *i += 1;
                let negated = cs.get(*i) == Some(&'!');
                if negated {
                    *i += 1;
                }
                let mut ranges = Vec::new();
                loop {
                    let lo = match cs.get(*i) {
                        None => return Err("unterminated character class".into()),
                        Some(']') if !ranges.is_empty() => break,
                        Some('\\') => {
                            *i += 1;
                            *cs.get(*i).ok_or("unterminated character class")?
                        }
                        Some(&c) => c,
                    };
                    *i += 1;
                    let hi =
                        if cs.get(*i) == Some(&'-') && cs.get(*i + 1).is_some_and(|c| *c != ']') {
                            let h = *cs.get(*i + 1).ok_or("unterminated character class")?;
                            *i += 2;
                            h
                        } else {
                            lo
                        };
                    ranges.push((lo, hi));
                }
                *i += 1;
                out.push(Node::Tok(Tok::Class { negated, ranges }));
            }
            '{' => {
                if depth >= GLOB_MAX_NESTING {
                    return Err("alternatives nest too deeply".into());
                }
                *i += 1;
                let mut alts = Vec::new();
                loop {
                    alts.push(glob_seq(cs, i, depth + 1, true)?);
                    match cs.get(*i) {
                        Some(',') => *i += 1,
                        Some('}') => {
                            *i += 1;
                            break;
                        }
                        _ => return Err("unterminated alternatives ({...})".into()),
                    }
                }
                out.push(Node::Alt(alts));
            }
            ',' | '}' if in_alt => return Ok(out),
            c => {
                out.push(Node::Tok(Tok::Lit(c)));
                *i += 1;
            }
        }
    }
    Ok(out)
}

fn glob_expand(nodes: &[Node]) -> Result<Vec<Vec<Tok>>, String> {
    let mut acc: Vec<Vec<Tok>> = vec![Vec::new()];
    for n in nodes {
        match n {
            Node::Tok(t) => acc.iter_mut().for_each(|v| v.push(t.clone())),
            Node::Alt(alts) => {
                let mut options = Vec::new();
                for a in alts {
                    options.extend(glob_expand(a)?);
                }
                let mut next = Vec::new();
                for prefix in &acc {
                    for o in &options {
                        if next.len() >= GLOB_MAX_VARIANTS {
                            return Err("the pattern has too many alternatives".into());
                        }
                        let mut v = prefix.clone();
                        v.extend(o.iter().cloned());
                        next.push(v);
                    }
                }
                acc = next;
            }
        }
    }
    Ok(acc)
}

/// Adds `v` and, for each `/**/` between literal segments from `from` on, the variant with
/// it collapsed to `/`.
fn glob_collapse(v: Vec<Tok>, from: usize, out: &mut Vec<Vec<Tok>>) -> Result<(), String> {
    let lit_seg = |seg: &[Tok]| seg.iter().all(|t| matches!(t, Tok::Lit(c) if *c != '/'));
    let mut k = from;
    while k + 2 < v.len() {
        if let (Some(Tok::Lit('/')), Some(Tok::Globstar), Some(Tok::Lit('/'))) =
            (v.get(k), v.get(k + 1), v.get(k + 2))
        {
            let before_start = v
                .get(..k)
                .and_then(|b| b.iter().rposition(|t| *t == Tok::Lit('/')))
                .map(|p| p + 1)
                .unwrap_or(0);
            let after_end = v
                .get(k + 3..)
                .and_then(|a| a.iter().position(|t| *t == Tok::Lit('/')))
                .map(|p| p + k + 3)
                .unwrap_or(v.len());
            let before = v.get(before_start..k).unwrap_or(&[]);
            let after = v.get(k + 3..after_end).unwrap_or(&[]);
            if lit_seg(before) && lit_seg(after) {
                let mut collapsed = v.clone();
                collapsed.drain(k + 1..k + 3);
                glob_collapse(collapsed, k + 1, out)?;
            }
        }
        k += 1;
    }
    if out.len() >= GLOB_MAX_VARIANTS {
        return Err("the pattern has too many alternatives".into());
    }
    out.push(v);
    Ok(())
}

pub(super) fn glob_match(toks: &[Tok], s: &[char]) -> bool {
    let n = s.len();
    let mut cur = vec![false; n + 1];
    if let Some(c) = cur.first_mut() {
        *c = true;
    }
    for t in toks {
        let mut next = vec![false; n + 1];
        match t {
            Tok::Star | Tok::Globstar => {
                let mut reach = false;
                for k in 0..=n {
                    if cur.get(k) == Some(&true) {
                        reach = true;
                    }
                    if reach && let Some(x) = next.get_mut(k) {
                        *x = true;
                    }
                    if matches!(t, Tok::Star) && s.get(k) == Some(&'/') {
                        reach = false;
                    }
                }
            }
            _ => {
                for k in 0..n {
                    let (Some(true), Some(&c)) = (cur.get(k), s.get(k)) else {
                        continue;
                    };
                    let ok = match t {
                        Tok::Lit(l) => c == *l,
                        Tok::One => c != '/',
                        Tok::Class { negated, ranges } => {
                            c != '/'
                                && ranges.iter().any(|(lo, hi)| (*lo..=*hi).contains(&c))
                                    != *negated
                        }
                        Tok::Star | Tok::Globstar => false,
                    };
                    if ok && let Some(x) = next.get_mut(k + 1) {
                        *x = true;
                    }
                }
            }
        }
        cur = next;
        if !cur.contains(&true) {
            return false;
        }
    }
    cur.get(n) == Some(&true)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn glob_matching() {
        let m = |p: &str, s: &str| {
            let chars: Vec<char> = s.chars().collect();
            glob_compile(p)
                .unwrap()
                .iter()
                .any(|v| glob_match(v, &chars))
        };
        assert!(m("/a/*.tf", "/a/b.tf"));
        assert!(!m("/a/*.tf", "/a/x/b.tf"));
        assert!(m("/a/**.tf", "/a/x/b.tf"));
        assert!(!m("/a/**/*.tf", "/a/b.tf"));
        assert!(m("/a/**/b.tf", "/a/b.tf"));
        assert!(m("/a/\\*.tf", "/a/*.tf"));
        assert!(!m("/a/\\*.tf", "/a/x.tf"));
        assert!(m("/a/{x,y/z}.tf", "/a/y/z.tf"));
        assert!(glob_compile("/a/[abc").is_err());
        assert!(glob_compile(&"{a,b}".repeat(20)).is_err());
    }
}
