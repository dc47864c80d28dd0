//! Filesystem functions: path manipulation (`abspath`, `basename`, `dirname`,
//! `pathexpand`), reading files (`file`, `filebase64`, the `file*` hashes), `fileexists`,
//! `fileset` and `templatefile`.
//!
//! Files are read only through [`CallCtx::files`]: a relative path is joined to
//! [`CallCtx::base_dir`] and the result cleaned lexically, as Terraform does with
//! `filepath.Join` and `filepath.Clean`. A read the file access refuses because it lies
//! outside the scanned root makes the result unknown rather than an error, and so does a
//! path in the home directory (`~/…`), which tglint does not assume.

use super::{CallCtx, Functions, Param};
use super::{hex, str_arg};
use crate::error::{FnError, FnResult};
use crate::eval::{TemplateError, Vars, eval_template_source};
use crate::files::{EntryKind, FileError};
use crate::value::{Data, Value, is_identifier, quote};
use base64::Engine as _;
use sha2::Digest;
use std::path::Path;
use std::sync::Arc;

pub(crate) fn register(f: &mut Functions) {
    let path = [Param::new("path")];
    f.add("abspath", &path, None, |_, a| abspath(&a));
    f.add("pathexpand", &path, None, |_, a| pathexpand(&a));
    f.add("basename", &path, None, |_, a| {
        Ok(Value::string(go_base(&str_arg(&a, 0)?)))
    });
    f.add("dirname", &path, None, |_, a| {
        Ok(Value::string(go_dir(&str_arg(&a, 0)?)))
    });
    f.add("file", &path, None, |cx, a| file(cx, &a, false));
    f.add("filebase64", &path, None, |cx, a| file(cx, &a, true));
    f.add("filemd5", &path, None, |cx, a| {
        file_hash(cx, &a, |b| hex(&md5::Md5::digest(b)))
    });
    f.add("filesha1", &path, None, |cx, a| {
        file_hash(cx, &a, |b| hex(&sha1::Sha1::digest(b)))
    });
    f.add("filesha256", &path, None, |cx, a| {
        file_hash(cx, &a, |b| hex(&sha2::Sha256::digest(b)))
    });
    f.add("filesha512", &path, None, |cx, a| {
        file_hash(cx, &a, |b| hex(&sha2::Sha512::digest(b)))
    });
    f.add("filebase64sha256", &path, None, |cx, a| {
        file_hash(cx, &a, |b| b64(&sha2::Sha256::digest(b)))
    });
    f.add("filebase64sha512", &path, None, |cx, a| {
        file_hash(cx, &a, |b| b64(&sha2::Sha512::digest(b)))
    });
    f.add("fileexists", &path, None, |cx, a| fileexists(cx, &a));
    f.add(
        "fileset",
        &[Param::new("path"), Param::new("pattern")],
        None,
        |cx, a| fileset(cx, &a),
    );
    f.add(
        "templatefile",
        &[Param::new("path"), Param::new("vars")],
        None,
        |cx, a| templatefile(cx, &a),
    );
}

fn b64(bytes: &[u8]) -> String {
    base64::engine::general_purpose::STANDARD.encode(bytes)
}

// ---------------------------------------------------------------------------------------
// Lexical path handling, as Go's path/filepath does it on Unix
// ---------------------------------------------------------------------------------------

fn is_abs(p: &str) -> bool {
    p.starts_with('/') || Path::new(p).is_absolute()
}

/// Go's `filepath.Clean`: drops `.` and empty elements, resolves `..` lexically.
fn clean(p: &str) -> String {
    let rooted = p.starts_with('/');
    let mut parts: Vec<&str> = Vec::new();
    for part in p.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                if parts.last().is_some_and(|l| *l != "..") {
                    parts.pop();
                } else if !rooted {
                    parts.push("..");
                }
            }
            other => parts.push(other),
        }
    }
    let body = parts.join("/");
    match (rooted, body.is_empty()) {
        (true, _) => format!("/{body}"),
        (false, true) => ".".into(),
        (false, false) => body,
    }
}

/// `filepath.Join(base, rel)` for a single relative element.
fn join(base: &str, rel: &str) -> String {
    clean(&format!("{base}/{rel}"))
}

/// Go's `filepath.Base`.
fn go_base(p: &str) -> String {
    if p.is_empty() {
        return ".".into();
    }
    let trimmed = p.trim_end_matches('/');
    if trimmed.is_empty() {
        return "/".into();
    }
    match trimmed.rfind('/') {
        Some(i) => trimmed.get(i + 1..).unwrap_or_default().to_string(),
        None => trimmed.to_string(),
    }
}

/// Go's `filepath.Dir`.
fn go_dir(p: &str) -> String {
    match p.rfind('/') {
        Some(i) => clean(p.get(..=i).unwrap_or_default()),
        None => ".".into(),
    }
}

/// Go's `filepath.Rel` for two clean paths, lexically.
fn rel(base: &str, target: &str) -> String {
    if base == target {
        return ".".into();
    }
    let split = |p: &str| -> Vec<String> {
        p.split('/')
            .filter(|c| !c.is_empty() && *c != ".")
            .map(str::to_string)
            .collect()
    };
    let (b, t) = (split(base), split(target));
    let common = b.iter().zip(&t).take_while(|(x, y)| x == y).count();
    let mut out: Vec<String> = vec!["..".to_string(); b.len().saturating_sub(common)];
    out.extend(t.into_iter().skip(common));
    if out.is_empty() {
        ".".into()
    } else {
        out.join("/")
    }
}

enum Tilde {
    /// The path does not start with `~`.
    No,
    /// `~` or `~/…`: the current user's home directory.
    Home,
    /// `~user/…`, which Terraform refuses.
    User,
}

/// How `homedir.Expand` would treat the path.
fn tilde(p: &str) -> Tilde {
    let b = p.as_bytes();
    match (b.first(), b.get(1)) {
        (Some(b'~'), None | Some(b'/') | Some(b'\\')) => Tilde::Home,
        (Some(b'~'), Some(_)) => Tilde::User,
        _ => Tilde::No,
    }
}

const USER_HOME_ERR: &str = "cannot expand user-specific home dir";

fn home_unknown(raw: &str) -> Value {
    Value::unknown(format!(
        "{} is in the home directory, which tglint does not assume",
        quote(raw)
    ))
}

fn outside_root(path: &str) -> Value {
    Value::unknown(format!(
        "{path} is outside the scanned root; tglint does not read it (see --allow-outside-root)"
    ))
}

/// Where a path argument of a file function points.
enum Located {
    Path(String),
    /// The answer cannot be known statically.
    Unknown(Value),
}

/// Expands `~` as Terraform does (unknown here), joins a relative path to the base
/// directory and cleans it. `Err` is the message of an expansion failure.
fn locate(cx: &CallCtx<'_>, raw: &str) -> Result<Located, String> {
    match tilde(raw) {
        Tilde::Home => return Ok(Located::Unknown(home_unknown(raw))),
        Tilde::User => return Err(format!("failed to expand ~: {USER_HOME_ERR}")),
        Tilde::No => {}
    }
    Ok(Located::Path(resolve(cx, raw)))
}

fn resolve(cx: &CallCtx<'_>, raw: &str) -> String {
    if is_abs(raw) {
        clean(raw)
    } else {
        join(&cx.base_dir.to_string_lossy(), raw)
    }
}

/// Terraform's `readFileBytes`: `Ok(Err(v))` is an unknown result, `Err` the message of
/// a failure.
fn read_bytes(cx: &CallCtx<'_>, raw: &str) -> Result<Result<Arc<[u8]>, Value>, String> {
    let path = match locate(cx, raw)? {
        Located::Path(p) => p,
        Located::Unknown(v) => return Ok(Err(v)),
    };
    match cx.files.read(Path::new(&path)) {
        Ok(bytes) => Ok(Ok(bytes)),
        Err(FileError::OutsideRoot) => Ok(Err(outside_root(&path))),
        Err(FileError::NotFound) => Err(format!(
            "no file exists at {path}; this function works only with files that are \
             distributed as part of the configuration source code, so if this file will be \
             created by a resource in this configuration you must instead obtain this result \
             from an attribute of that resource"
        )),
        Err(FileError::NotRegular | FileError::Other(_)) => Err(format!("failed to read {path}")),
    }
}

fn not_utf8(raw: &str) -> FnError {
    FnError::call(format!(
        "contents of {raw} are not valid UTF-8; use the filebase64 function to obtain the \
         Base64 encoded contents or the other file functions (e.g. filemd5, filesha256) to \
         obtain file hashing results instead"
    ))
}

// ---------------------------------------------------------------------------------------
// The functions
// ---------------------------------------------------------------------------------------

fn abspath(args: &[Value]) -> FnResult {
    let p = str_arg(args, 0)?;
    if is_abs(&p) {
        // filepath.Abs of an absolute path only cleans it.
        return Ok(Value::string(clean(&p)));
    }
    Ok(Value::unknown(format!(
        "abspath({}) depends on the working directory, which tglint does not assume",
        quote(&p)
    )))
}

fn pathexpand(args: &[Value]) -> FnResult {
    let p = str_arg(args, 0)?;
    match tilde(&p) {
        Tilde::No => Ok(Value::string(p)),
        Tilde::Home => Ok(home_unknown(&p)),
        Tilde::User => Err(FnError::call(USER_HOME_ERR)),
    }
}

fn file(cx: &CallCtx<'_>, args: &[Value], base64: bool) -> FnResult {
    let raw = str_arg(args, 0)?;
    let bytes = match read_bytes(cx, &raw).map_err(|m| FnError::arg(0, m))? {
        Ok(b) => b,
        Err(unknown) => return Ok(unknown),
    };
    if base64 {
        return Ok(Value::string(b64(&bytes)));
    }
    match std::str::from_utf8(&bytes) {
        Ok(text) => Ok(Value::string(text)),
        Err(_) => Err(not_utf8(&raw)),
    }
}

fn file_hash(cx: &CallCtx<'_>, args: &[Value], hash: fn(&[u8]) -> String) -> FnResult {
    let raw = str_arg(args, 0)?;
    // Terraform returns these read errors unwrapped: they are errors of the call.
    match read_bytes(cx, &raw).map_err(FnError::call)? {
        Ok(bytes) => Ok(Value::string(hash(&bytes))),
        Err(unknown) => Ok(unknown),
    }
}

fn fileexists(cx: &CallCtx<'_>, args: &[Value]) -> FnResult {
    let raw = str_arg(args, 0)?;
    let path = match locate(cx, &raw).map_err(FnError::call)? {
        Located::Path(p) => p,
        Located::Unknown(v) => return Ok(v),
    };
    match cx.files.kind(Path::new(&path)) {
        Ok(None) | Err(FileError::NotFound) => Ok(Value::bool(false)),
        Ok(Some(EntryKind::File)) => Ok(Value::bool(true)),
        // Terraform names the mode bits ("drwxr-xr-x"); the file access does not give them.
        Ok(Some(EntryKind::Dir)) => Err(FnError::call(format!(
            "{path} is not a regular file, but a directory"
        ))),
        Ok(Some(EntryKind::Other)) => Err(FnError::call(format!(
            "{path} is not a regular file, but some other kind of file"
        ))),
        Err(FileError::OutsideRoot) => Ok(outside_root(&path)),
        Err(FileError::NotRegular | FileError::Other(_)) => {
            Err(FnError::call(format!("failed to stat {path}")))
        }
    }
}

fn templatefile(cx: &CallCtx<'_>, args: &[Value]) -> FnResult {
    let raw = str_arg(args, 0)?;
    let bytes = match read_bytes(cx, &raw).map_err(|m| FnError::arg(0, m))? {
        Ok(b) => b,
        Err(unknown) => return Ok(unknown),
    };
    let text = std::str::from_utf8(&bytes).map_err(|_| not_utf8(&raw))?;
    let vars: Vars = match args.get(1).map(|v| &v.data) {
        Some(Data::Map(_, m)) => std::collections::BTreeMap::clone(m),
        _ => return Err(FnError::arg(1, "invalid vars value: must be a map")),
    };
    if let Some(bad) = vars.keys().find(|k| !is_identifier(k)) {
        return Err(FnError::arg(
            1,
            format!(
                "invalid template variable name {}: must start with a letter, followed by zero \
                 or more letters, digits, and underscores",
                quote(bad)
            ),
        ));
    }
    eval_template_source(text, &vars, cx).map_err(|e| match e {
        TemplateError::Budget(b) => FnError::Budget(b),
        TemplateError::Other(m) => FnError::call(m),
    })
}

// ---------------------------------------------------------------------------------------
// fileset: doublestar (v1) globbing over the file access
// ---------------------------------------------------------------------------------------

/// How deep `fileset` descends below the first wildcard.
const GLOB_MAX_DEPTH: usize = 64;
/// How many directory entries `fileset` looks at, in all.
const GLOB_MAX_STEPS: usize = 200_000;
/// How many files `fileset` returns at most.
const GLOB_MAX_MATCHES: usize = 10_000;
/// How many alternatives `{a,b}` groups in one path element may expand to.
const GLOB_MAX_ALTERNATIVES: usize = 256;

enum GlobStop {
    BadPattern,
    Outside(String),
    Limit(String),
}

fn fileset(cx: &CallCtx<'_>, args: &[Value]) -> FnResult {
    let raw_path = str_arg(args, 0)?;
    let raw_pattern = str_arg(args, 1)?;
    let base = resolve(cx, &raw_path);
    let full = join(&base, &raw_pattern);

    let mut g = Globber {
        cx,
        steps: 0,
        found: Vec::new(),
    };
    let comps: Vec<&str> = full.split('/').collect();
    let walked = match comps.split_first() {
        Some((&"", rest)) => g.walk("/".into(), rest, 0),
        _ => g.walk(".".into(), &comps, 0),
    };
    match walked {
        Ok(()) => {}
        Err(GlobStop::BadPattern) => {
            return Err(FnError::call(format!(
                "failed to glob pattern ({full}): syntax error in pattern"
            )));
        }
        Err(GlobStop::Outside(p)) => return Ok(outside_root(&p)),
        Err(GlobStop::Limit(why)) => {
            return Ok(Value::unknown(format!(
                "fileset({}, {}) {why}; tglint stops there",
                quote(&raw_path),
                quote(&raw_pattern)
            )));
        }
    }

    let mut out = Vec::new();
    for (path, kind) in g.found {
        let kind = match kind {
            EntryKind::Other => match cx.files.kind(Path::new(&path)) {
                Ok(Some(k)) => k,
                Err(FileError::OutsideRoot) => return Ok(outside_root(&path)),
                _ => continue,
            },
            k => k,
        };
        if kind == EntryKind::File {
            out.push(Value::string(rel(&base, &path)));
        }
    }
    Ok(Value::set_of(&super::conversion::Ty::String, out))
}

struct Globber<'c, 'a> {
    cx: &'c CallCtx<'a>,
    steps: usize,
    found: Vec<(String, EntryKind)>,
}

fn has_meta(comp: &str) -> bool {
    comp.contains(['*', '?', '[', '{', '\\'])
}

fn child(base: &str, name: &str) -> String {
    if base.ends_with('/') {
        format!("{base}{name}")
    } else {
        format!("{base}/{name}")
    }
}

impl Globber<'_, '_> {
    fn push(&mut self, path: String, kind: EntryKind) -> Result<(), GlobStop> {
        if self.found.len() >= GLOB_MAX_MATCHES {
            return Err(GlobStop::Limit(format!(
                "matches more than {GLOB_MAX_MATCHES} paths"
            )));
        }
        self.found.push((path, kind));
        Ok(())
    }

    fn step(&mut self, n: usize) -> Result<(), GlobStop> {
        self.steps = self.steps.saturating_add(n);
        if self.steps > GLOB_MAX_STEPS {
            return Err(GlobStop::Limit(format!(
                "looks at more than {GLOB_MAX_STEPS} directory entries"
            )));
        }
        Ok(())
    }

    /// doublestar's `doGlob`: follows literal elements, then lists the directory and
    /// matches the next element against its entries.
    fn walk(&mut self, base: String, comps: &[&str], depth: usize) -> Result<(), GlobStop> {
        if depth > GLOB_MAX_DEPTH {
            return Err(GlobStop::Limit(format!(
                "descends more than {GLOB_MAX_DEPTH} directories"
            )));
        }
        self.step(1)?;
        let literal = comps.iter().take_while(|c| !has_meta(c)).count();
        let (lits, rest) = comps.split_at(literal);
        let mut base = base;
        for l in lits {
            base = join(&base, l);
        }
        let kind = match self.cx.files.kind(Path::new(&base)) {
            Ok(Some(k)) => k,
            Err(FileError::OutsideRoot) => return Err(GlobStop::Outside(base)),
            Ok(None) | Err(_) => return Ok(()),
        };
        let Some((&first, tail)) = rest.split_first() else {
            return self.push(base, kind);
        };
        if kind != EntryKind::Dir {
            return Ok(());
        }
        let entries = match self.cx.files.list_dir(Path::new(&base)) {
            Ok(e) => e,
            Err(FileError::OutsideRoot) => return Err(GlobStop::Outside(base)),
            Err(_) => return Ok(()),
        };
        self.step(entries.len())?;

        let (mut comp, mut tail) = (first, tail);
        if comp == "**" {
            let last = tail.is_empty();
            for (name, k) in &entries {
                let path = child(&base, name);
                if *k == EntryKind::Dir {
                    if last {
                        self.push(path.clone(), *k)?;
                    }
                    self.walk(path, rest, depth + 1)?;
                } else if last {
                    self.push(path, *k)?;
                } else if *k == EntryKind::Other {
                    // Maybe a link the file access does not follow: `walk` asks what it
                    // is, which is refused when it leads out of the root.
                    self.walk(path, rest, depth + 1)?;
                }
            }
            match tail.split_first() {
                None => return Ok(()),
                Some((&next, after)) => (comp, tail) = (next, after),
            }
        }
        if entries.is_empty() {
            return Ok(());
        }
        let pattern = Component::compile(comp)?;
        self.step(entries.len().saturating_mul(pattern.alternatives.len()))?;
        for (name, k) in &entries {
            if pattern.matches(name) {
                let path = child(&base, name);
                if tail.is_empty() {
                    self.push(path, *k)?;
                } else {
                    self.walk(path, tail, depth + 1)?;
                }
            }
        }
        Ok(())
    }
}

/// One element of a glob pattern with its `{a,b}` groups expanded.
struct Component {
    alternatives: Vec<Vec<Tok>>,
}

enum Tok {
    Char(char),
    Any,
    Star,
    Class {
        negated: bool,
        ranges: Vec<(char, char)>,
    },
}

impl Tok {
    fn matches(&self, c: char) -> bool {
        match self {
            Tok::Char(x) => *x == c,
            Tok::Any => true,
            Tok::Star => false,
            Tok::Class { negated, ranges } => {
                ranges.iter().any(|(lo, hi)| *lo <= c && c <= *hi) != *negated
            }
        }
    }
}

/// The index of the first `target` in `s` not preceded by a backslash.
fn index_unescaped(s: &[char], target: char) -> Option<usize> {
    (0..s.len()).find(|&i| s.get(i) == Some(&target) && (i == 0 || s.get(i - 1) != Some(&'\\')))
}

impl Component {
    fn compile(comp: &str) -> Result<Component, GlobStop> {
        let chars: Vec<char> = comp.chars().collect();
        let mut expanded = Vec::new();
        expand_braces(&chars, &mut expanded)?;
        let alternatives = expanded
            .iter()
            .map(|alt| tokenize(alt))
            .collect::<Result<Vec<_>, _>>()?;
        Ok(Component { alternatives })
    }

    fn matches(&self, name: &str) -> bool {
        let name: Vec<char> = name.chars().collect();
        self.alternatives
            .iter()
            .any(|toks| match_tokens(toks, &name))
    }
}

/// Expands `{a,b}` groups as doublestar reads them: the group ends at the first unescaped
/// `}`, its options are split at unescaped commas, and `[...]` before it is skipped.
fn expand_braces(s: &[char], out: &mut Vec<Vec<char>>) -> Result<(), GlobStop> {
    let mut i = 0;
    let mut open = None;
    while let Some(&c) = s.get(i) {
        match c {
            '\\' => i += 2,
            '[' => {
                let rest = s.get(i + 1..).unwrap_or_default();
                match index_unescaped(rest, ']') {
                    Some(end) => i += end + 2,
                    None => return Err(GlobStop::BadPattern),
                }
            }
            '{' => {
                open = Some(i);
                break;
            }
            _ => i += 1,
        }
    }
    let Some(open) = open else {
        if out.len() >= GLOB_MAX_ALTERNATIVES {
            return Err(GlobStop::Limit(format!(
                "has a pattern element with more than {GLOB_MAX_ALTERNATIVES} alternatives"
            )));
        }
        out.push(s.to_vec());
        return Ok(());
    };
    let prefix = s.get(..open).unwrap_or_default();
    let inner_and_rest = s.get(open + 1..).unwrap_or_default();
    let close = index_unescaped(inner_and_rest, '}').ok_or(GlobStop::BadPattern)?;
    let inner = inner_and_rest.get(..close).unwrap_or_default();
    let rest = inner_and_rest.get(close + 1..).unwrap_or_default();
    let mut start = 0;
    loop {
        let tail = inner.get(start..).unwrap_or_default();
        let end = index_unescaped(tail, ',').map_or(inner.len(), |e| start + e);
        let option = inner.get(start..end).unwrap_or_default();
        let mut alt = prefix.to_vec();
        alt.extend_from_slice(option);
        alt.extend_from_slice(rest);
        expand_braces(&alt, out)?;
        if end >= inner.len() {
            break;
        }
        start = end + 1;
    }
    Ok(())
}

/// Parses one brace-free pattern element: `*`, `?`, `[...]` classes and `\` escapes.
fn tokenize(s: &[char]) -> Result<Vec<Tok>, GlobStop> {
    let mut toks = Vec::new();
    let mut i = 0;
    while let Some(&c) = s.get(i) {
        i += 1;
        match c {
            '\\' => {
                let &e = s.get(i).ok_or(GlobStop::BadPattern)?;
                toks.push(Tok::Char(e));
                i += 1;
            }
            '*' => {
                if !matches!(toks.last(), Some(Tok::Star)) {
                    toks.push(Tok::Star);
                }
            }
            '?' => toks.push(Tok::Any),
            '[' => {
                let rest = s.get(i..).unwrap_or_default();
                let end = index_unescaped(rest, ']').ok_or(GlobStop::BadPattern)?;
                let class = rest.get(..end).unwrap_or_default();
                toks.push(parse_class(class)?);
                i += end + 1;
            }
            c => toks.push(Tok::Char(c)),
        }
    }
    Ok(toks)
}

/// The inside of `[...]`: an optional `^`, then characters and `lo-hi` ranges.
fn parse_class(class: &[char]) -> Result<Tok, GlobStop> {
    if class.is_empty() {
        return Err(GlobStop::BadPattern);
    }
    let negated = class.first() == Some(&'^');
    let mut i = usize::from(negated);
    let mut ranges = Vec::new();
    let next = |i: &mut usize| -> Result<char, GlobStop> {
        let &c = class.get(*i).ok_or(GlobStop::BadPattern)?;
        *i += 1;
        if c == '-' {
            return Err(GlobStop::BadPattern);
        }
        if c == '\\' {
            let &e = class.get(*i).ok_or(GlobStop::BadPattern)?;
            *i += 1;
            return Ok(e);
        }
        Ok(c)
    };
    while i < class.len() {
        let lo = next(&mut i)?;
        let mut hi = lo;
        if class.get(i) == Some(&'-') {
            i += 1;
            hi = next(&mut i)?;
        }
        ranges.push((lo, hi));
    }
    if negated && ranges.is_empty() {
        // doublestar v1 lets "[^]" match any one character.
        return Ok(Tok::Any);
    }
    Ok(Tok::Class { negated, ranges })
}

/// Wildcard matching with single-star backtracking: linear in practice, never exponential.
fn match_tokens(toks: &[Tok], name: &[char]) -> bool {
    let (mut ti, mut ni) = (0, 0);
    let mut star: Option<(usize, usize)> = None;
    while let Some(&c) = name.get(ni) {
        match toks.get(ti) {
            Some(Tok::Star) => {
                star = Some((ti, ni));
                ti += 1;
                continue;
            }
            Some(t) if t.matches(c) => {
                ti += 1;
                ni += 1;
                continue;
            }
            _ => {}
        }
        match star {
            Some((st, sn)) => {
                ti = st + 1;
                ni = sn + 1;
                star = Some((st, sn + 1));
            }
            None => return false,
        }
    }
    toks.get(ti..)
        .unwrap_or_default()
        .iter()
        .all(|t| matches!(t, Tok::Star))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::files::{FileAccess, MemFiles};
    use crate::functions::testing::*;
    use crate::functions::{CallError, terraform};
    use crate::span::{FileId, Span};
    use std::collections::BTreeMap;

    /// MemFiles that refuses everything outside `/cfg`, as tglint's file access refuses
    /// paths outside the scanned root.
    struct Rooted(MemFiles);

    impl FileAccess for Rooted {
        fn read(&self, p: &Path) -> Result<Arc<[u8]>, FileError> {
            self.check(p)?;
            self.0.read(p)
        }
        fn kind(&self, p: &Path) -> Result<Option<EntryKind>, FileError> {
            self.check(p)?;
            self.0.kind(p)
        }
        fn list_dir(&self, p: &Path) -> Result<Vec<(String, EntryKind)>, FileError> {
            self.check(p)?;
            self.0.list_dir(p)
        }
    }

    impl Rooted {
        fn check(&self, p: &Path) -> Result<(), FileError> {
            if p.starts_with("/cfg") {
                Ok(())
            } else {
                Err(FileError::OutsideRoot)
            }
        }
    }

    fn tree() -> Rooted {
        Rooted(
            MemFiles::new()
                .with("/cfg/hello.txt", "Hello World")
                .with("/cfg/icon.png", [0x89u8, b'P', b'N', b'G', 0xff, 0xfe])
                .with("/cfg/files/hello.txt", "hi")
                .with("/cfg/files/world.txt", "world")
                .with("/cfg/files/.hidden", "")
                .with("/cfg/files/notes.md", "# notes")
                .with("/cfg/files/sub/another.txt", "a")
                .with("/cfg/files/sub/deeper/x.txt", "x")
                .with("/cfg/files/sub/deeper/y.json", "{}")
                .with("/cfg/mod/hello.tmpl", "Hello, ${name}!")
                .with(
                    "/cfg/mod/lines.tftpl",
                    "a ${\"x\" ~}\n\n  b\n%{ for v in [\"p\"] ~}\n  - ${v}\n%{ endfor ~}\n",
                )
                .with(
                    "/cfg/mod/backends.tftpl",
                    "%{ for addr in ip_addrs ~}\nbackend ${addr}:${port}\n%{ endfor ~}\n",
                ),
        )
    }

    /// Calls `name` from a file in `/cfg/mod`.
    fn fcall(files: &Rooted, name: &str, args: Vec<Value>) -> Result<Value, CallError> {
        let cx = CallCtx {
            name,
            base_dir: Path::new("/cfg/mod"),
            files,
            span: Span::new(FileId(0), 0..0),
            ext: None,
            budget: &crate::budget::UNLIMITED,
        };
        terraform().call(name, &cx, args)
    }

    fn fok(name: &str, args: Vec<Value>) -> Value {
        match fcall(&tree(), name, args) {
            Ok(v) => v,
            Err(e) => panic!("{name} failed: {e:?}"),
        }
    }

    fn ferr(name: &str, args: Vec<Value>) -> CallError {
        match fcall(&tree(), name, args) {
            Ok(v) => panic!("{name} returned {v}, expected an error"),
            Err(e) => e,
        }
    }

    fn unknown_reason(v: &Value) -> String {
        match &v.data {
            Data::Unknown(u) => u.reason.to_string(),
            _ => panic!("{v} is known"),
        }
    }

    const MISSING_TAIL: &str = "; this function works only with files that are distributed as \
        part of the configuration source code, so if this file will be created by a resource in \
        this configuration you must instead obtain this result from an attribute of that resource";

    #[test]
    fn clean_join_base_dir_like_go() {
        assert_eq!(clean(""), ".");
        assert_eq!(clean("a/./b/../c/"), "a/c");
        assert_eq!(clean("/../x"), "/x");
        assert_eq!(clean("../../a"), "../../a");
        assert_eq!(clean("a/../.."), "..");
        assert_eq!(clean("//a//b"), "/a/b");
        assert_eq!(go_base("foo/bar/baz.txt"), "baz.txt");
        assert_eq!(go_base("foo/bar/"), "bar");
        assert_eq!(go_base("///"), "/");
        assert_eq!(go_dir("/foo"), "/");
        assert_eq!(go_dir("foo/bar/"), "foo/bar");
        assert_eq!(go_dir("a/../b"), ".");
        assert_eq!(rel("/cfg/files", "/cfg/files/sub/x.txt"), "sub/x.txt");
        assert_eq!(rel("/cfg/files", "/cfg/hello.txt"), "../hello.txt");
        assert_eq!(rel("/a", "/a"), ".");
    }

    #[test]
    fn basename_and_dirname() {
        shows(&ok("basename", vec![s("foo/bar/baz.txt")]), r#""baz.txt""#);
        shows(&ok("dirname", vec![s("foo/bar/baz.txt")]), r#""foo/bar""#);
        shows(&ok("basename", vec![s("")]), r#"".""#);
        shows(&ok("dirname", vec![s("")]), r#"".""#);
        shows(&ok("basename", vec![s("/")]), r#""/""#);
        shows(&ok("dirname", vec![s("/")]), r#""/""#);
        shows(&ok("dirname", vec![s("baz.txt")]), r#"".""#);
        shows(
            &ok("dirname", vec![s("/foo//bar/./baz.txt")]),
            r#""/foo/bar""#,
        );
        // A number converts to a string, as cty does for a string parameter.
        shows(&ok("basename", vec![n(12)]), r#""12""#);
        err("basename", vec![tup(vec![])], "string required");
        err("dirname", vec![Value::null()], "argument must not be null");
        shows(&ok("dirname", vec![Value::unknown("u")]), "(unknown: u)");
    }

    #[test]
    fn abspath_and_pathexpand() {
        shows(&ok("abspath", vec![s("/a/./b/../c")]), r#""/a/c""#);
        let v = ok("abspath", vec![s("foo/bar")]);
        assert!(unknown_reason(&v).contains("working directory"));
        err("abspath", vec![tup(vec![])], "string required");

        shows(
            &ok("pathexpand", vec![s("/etc/resolv.conf")]),
            r#""/etc/resolv.conf""#,
        );
        shows(&ok("pathexpand", vec![s("")]), r#""""#);
        let v = ok("pathexpand", vec![s("~/.ssh/id_rsa")]);
        assert!(unknown_reason(&v).contains("home directory"));
        assert!(!ok("pathexpand", vec![s("~")]).is_known());
        err(
            "pathexpand",
            vec![s("~bob/x")],
            "cannot expand user-specific home dir",
        );
        err(
            "pathexpand",
            vec![Value::null()],
            "argument must not be null",
        );
    }

    #[test]
    fn file_reads_relative_and_absolute_paths() {
        shows(&fok("file", vec![s("../hello.txt")]), r#""Hello World""#);
        shows(&fok("file", vec![s("/cfg/hello.txt")]), r#""Hello World""#);
        shows(
            &fok("file", vec![s("./../files/./sub/../hello.txt")]),
            r#""hi""#,
        );
        shows(&fok("file", vec![s("hello.tmpl")]), r#""Hello, ${name}!""#);
        assert!(fok("file", vec![s("../hello.txt")]).origin.is_none());
    }

    #[test]
    fn file_errors_as_terraform_words_them() {
        let e = ferr("file", vec![s("../missing")]);
        assert_eq!(
            e,
            CallError::Arg {
                index: 0,
                param: "path",
                msg: format!("no file exists at /cfg/missing{MISSING_TAIL}"),
            }
        );
        let e = ferr("file", vec![s("../icon.png")]);
        assert_eq!(
            e,
            CallError::Call(
                "contents of ../icon.png are not valid UTF-8; use the filebase64 function to \
                 obtain the Base64 encoded contents or the other file functions (e.g. filemd5, \
                 filesha256) to obtain file hashing results instead"
                    .into()
            )
        );
        let e = ferr("file", vec![s("~bob/x")]);
        assert!(format!("{e:?}").contains("failed to expand ~: cannot expand user-specific"));
        assert!(matches!(
            ferr("file", vec![tup(vec![])]),
            CallError::Arg { index: 0, .. }
        ));
        assert!(matches!(
            ferr("file", vec![Value::null()]),
            CallError::Arg { index: 0, .. }
        ));
    }

    #[test]
    fn file_unknowns_home_and_outside_root() {
        let v = fok("file", vec![s("../../etc/passwd")]);
        assert_eq!(
            unknown_reason(&v),
            "/etc/passwd is outside the scanned root; tglint does not read it (see \
             --allow-outside-root)"
        );
        assert!(unknown_reason(&fok("file", vec![s("~/.ssh/id_rsa.pub")])).contains("home"));
        shows(&fok("file", vec![Value::unknown("p")]), "(unknown: p)");
        for f in [
            "filebase64",
            "filemd5",
            "filesha256",
            "fileexists",
            "templatefile",
        ] {
            let mut args = vec![s("/outside/x")];
            if f == "templatefile" {
                args.push(Value::object(BTreeMap::new()));
            }
            let v = fok(f, args);
            assert!(
                unknown_reason(&v).contains("outside the scanned root"),
                "{f}"
            );
        }
    }

    #[test]
    fn filebase64_and_hashes() {
        shows(
            &fok("filebase64", vec![s("../hello.txt")]),
            r#""SGVsbG8gV29ybGQ=""#,
        );
        shows(&fok("filebase64", vec![s("../icon.png")]), r#""iVBOR//+""#);
        let cases = [
            ("filemd5", "b10a8db164e0754105b7a99be72e3fe5"),
            ("filesha1", "0a4d55a8d778e5022fab701977c5d840bbc486d0"),
            (
                "filesha256",
                "a591a6d40bf420404a011733cfb7b190d62c65bf0bcda32b57b277d9ad9f146e",
            ),
            (
                "filesha512",
                "2c74fd17edafd80e8447b0d46741ee243b7eb74dd2149a0ab1b9246fb30382f27e853d8585719e0\
                 e67cbda0daa8f51671064615d645ae27acb15bfb1447f459b",
            ),
            (
                "filebase64sha256",
                "pZGm1Av0IEBKARczz7exkNYsZb8LzaMrV7J32a2fFG4=",
            ),
            (
                "filebase64sha512",
                "LHT9F+2v2A6ER7DUZ0HuJDt+t03SFJoKsbkkb7MDgvJ+hT2FhXGeDmfL2g2qj1FnEGRhXWRa4nrLFb+xRH9Fmw==",
            ),
        ];
        for (f, want) in cases {
            let v = fok(f, vec![s("../hello.txt")]);
            assert_eq!(v.as_str(), Some(want), "{f}");
            // Binary content is fine for the hashes.
            assert!(fok(f, vec![s("../icon.png")]).as_str().is_some(), "{f}");
            // A missing file is an error of the call, unwrapped, as in Terraform.
            let e = ferr(f, vec![s("nope.txt")]);
            assert_eq!(
                e,
                CallError::Call(format!("no file exists at /cfg/mod/nope.txt{MISSING_TAIL}")),
                "{f}"
            );
            assert!(!fok(f, vec![s("~/x")]).is_known(), "{f}");
        }
        let e = ferr("filebase64", vec![s("nope")]);
        assert!(matches!(e, CallError::Arg { index: 0, .. }));
    }

    #[test]
    fn fileexists_cases() {
        shows(&fok("fileexists", vec![s("../hello.txt")]), "true");
        shows(
            &fok("fileexists", vec![s("/cfg/files/sub/another.txt")]),
            "true",
        );
        shows(&fok("fileexists", vec![s("../nope.txt")]), "false");
        let e = ferr("fileexists", vec![s("../files")]);
        assert_eq!(
            e,
            CallError::Call("/cfg/files is not a regular file, but a directory".into())
        );
        assert!(!fok("fileexists", vec![s("~/x")]).is_known());
        assert!(format!("{:?}", ferr("fileexists", vec![s("~x")])).contains("failed to expand ~"));
        err(
            "fileexists",
            vec![Value::null()],
            "argument must not be null",
        );
    }

    fn set_of(items: &[&str]) -> String {
        Value::set(items.iter().map(|i| s(i)).collect()).to_string()
    }

    #[test]
    fn fileset_documented_examples() {
        // From /cfg/mod, "../files" plays the part of "${path.module}/files".
        shows(
            &fok("fileset", vec![s("/cfg"), s("files/*.txt")]),
            &set_of(&["files/hello.txt", "files/world.txt"]),
        );
        shows(
            &fok("fileset", vec![s("/cfg"), s("files/{hello,world}.txt")]),
            &set_of(&["files/hello.txt", "files/world.txt"]),
        );
        shows(
            &fok("fileset", vec![s("../files"), s("*")]),
            &set_of(&[".hidden", "hello.txt", "notes.md", "world.txt"]),
        );
        shows(
            &fok("fileset", vec![s("../files"), s("**")]),
            &set_of(&[
                ".hidden",
                "hello.txt",
                "notes.md",
                "sub/another.txt",
                "sub/deeper/x.txt",
                "sub/deeper/y.json",
                "world.txt",
            ]),
        );
    }

    #[test]
    fn fileset_glob_syntax() {
        let fs = |pat: &str| fok("fileset", vec![s("../files"), s(pat)]);
        shows(
            &fs("**/*.txt"),
            &set_of(&[
                "hello.txt",
                "sub/another.txt",
                "sub/deeper/x.txt",
                "world.txt",
            ]),
        );
        shows(&fs("sub/**/*.json"), &set_of(&["sub/deeper/y.json"]));
        shows(&fs("?????.txt"), &set_of(&["hello.txt", "world.txt"]));
        shows(&fs("[hw]*.txt"), &set_of(&["hello.txt", "world.txt"]));
        shows(&fs("[a-i]*"), &set_of(&["hello.txt"]));
        shows(&fs("[^h]*.txt"), &set_of(&["world.txt"]));
        shows(&fs("*/*/x.*"), &set_of(&["sub/deeper/x.txt"]));
        shows(&fs("hello.txt"), &set_of(&["hello.txt"]));
        shows(&fs("h\\ello.txt"), &set_of(&["hello.txt"]));
        // Directories are never in the result; neither are missing paths.
        shows(&fs("sub"), &set_of(&[]));
        shows(
            &fs("*"),
            &set_of(&[".hidden", "hello.txt", "notes.md", "world.txt"]),
        );
        shows(&fs("nothing/*"), &set_of(&[]));
        shows(&fok("fileset", vec![s("../nowhere"), s("*")]), &set_of(&[]));
        // The pattern is joined and cleaned before globbing; results stay relative.
        shows(&fs("sub/../*.md"), &set_of(&["notes.md"]));
        shows(&fs("../*.txt"), &set_of(&["../hello.txt"]));
        assert!(matches!(
            fs("*").data,
            Data::Seq(crate::value::SeqKind::Set, _)
        ));
    }

    #[test]
    fn fileset_errors_and_unknowns() {
        let e = ferr("fileset", vec![s("../files"), s("[*.txt")]);
        assert_eq!(
            e,
            CallError::Call(
                "failed to glob pattern (/cfg/files/[*.txt): syntax error in pattern".into()
            )
        );
        assert!(matches!(
            ferr("fileset", vec![s("../files"), s("{a,b")]),
            CallError::Call(_)
        ));
        assert!(matches!(
            ferr("fileset", vec![s("../files"), s("[]")]),
            CallError::Call(_)
        ));
        let v = fok("fileset", vec![s("/"), s("*")]);
        assert!(unknown_reason(&v).contains("outside the scanned root"));
        let v = fok("fileset", vec![s("/cfg"), s("../**")]);
        assert!(unknown_reason(&v).contains("outside the scanned root"));
        assert!(!fok("fileset", vec![s("x"), Value::unknown("p")]).is_known());
        err(
            "fileset",
            vec![Value::null(), s("*")],
            "argument must not be null",
        );
        // Too many alternatives make the result unknown, not a hang.
        let big = "{a,b,c,d}{a,b,c,d}{a,b,c,d}{a,b,c,d}{a,b,c,d}";
        let v = fok("fileset", vec![s("../files"), s(big)]);
        assert!(unknown_reason(&v).contains("alternatives"));
    }

    #[test]
    fn glob_matching_is_linear_and_exact() {
        let m = |p: &str, n: &str| Component::compile(p).ok().is_some_and(|c| c.matches(n));
        assert!(m("*a*a*a*a*a*b", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaab"));
        assert!(!m("*a*a*a*a*a*b", &"a".repeat(200)));
        assert!(m("a*", "a"));
        assert!(m("*.{tf,hcl}", "x.hcl"));
        assert!(!m("*.{tf,hcl}", "x.json"));
        assert!(m("[\\]]", "]"));
        assert!(m("x[0-9]y", "x5y"));
        assert!(!m("x[0-9]y", "xay"));
        assert!(m("日*", "日本"));
        assert!(Component::compile("a\\").is_err());
        assert!(Component::compile("[a-]").is_err());
    }

    #[test]
    fn templatefile_renders_with_the_evaluator() {
        // These need crate::eval::eval_template_source, which the lead provides.
        let mut vars = BTreeMap::new();
        vars.insert("name".to_string(), s("Jane"));
        shows(
            &fok("templatefile", vec![s("hello.tmpl"), Value::object(vars)]),
            r#""Hello, Jane!""#,
        );
        let mut vars = BTreeMap::new();
        vars.insert("port".to_string(), n(8080));
        vars.insert(
            "ip_addrs".to_string(),
            tup(vec![s("10.0.0.1"), s("10.0.0.2")]),
        );
        shows(
            &fok(
                "templatefile",
                vec![s("backends.tftpl"), Value::object(vars)],
            ),
            r#""backend 10.0.0.1:8080\nbackend 10.0.0.2:8080\n""#,
        );
        // Strip markers apply per line, as HCL scans a template file (terraform console:
        // "a x\n  b\n  - p\n").
        shows(
            &fok(
                "templatefile",
                vec![s("lines.tftpl"), Value::object(BTreeMap::new())],
            ),
            r#""a x\n  b\n  - p\n""#,
        );
    }

    #[test]
    fn templatefile_errors_before_rendering() {
        let vars = || {
            let mut m = BTreeMap::new();
            m.insert("name".to_string(), s("Jane"));
            Value::map(m)
        };
        assert_eq!(
            ferr("templatefile", vec![s("nope.tmpl"), vars()]),
            CallError::Arg {
                index: 0,
                param: "path",
                msg: format!("no file exists at /cfg/mod/nope.tmpl{MISSING_TAIL}"),
            }
        );
        // The file is read before vars are looked at.
        assert!(matches!(
            ferr("templatefile", vec![s("nope.tmpl"), s("x")]),
            CallError::Arg { index: 0, .. }
        ));
        assert_eq!(
            ferr("templatefile", vec![s("hello.tmpl"), s("x")]),
            CallError::Arg {
                index: 1,
                param: "vars",
                msg: "invalid vars value: must be a map".into(),
            }
        );
        assert!(matches!(
            ferr("templatefile", vec![s("hello.tmpl"), tup(vec![])]),
            CallError::Arg { index: 1, .. }
        ));
        let mut bad = BTreeMap::new();
        bad.insert("1st".to_string(), s("x"));
        assert_eq!(
            ferr("templatefile", vec![s("hello.tmpl"), Value::object(bad)]),
            CallError::Arg {
                index: 1,
                param: "vars",
                msg: "invalid template variable name \"1st\": must start with a letter, \
                      followed by zero or more letters, digits, and underscores"
                    .into(),
            }
        );
        assert!(matches!(
            ferr("templatefile", vec![s("../icon.png"), vars()]),
            CallError::Call(m) if m.starts_with("contents of ../icon.png are not valid UTF-8")
        ));
        err(
            "templatefile",
            vec![s("x"), Value::null()],
            "argument must not be null",
        );
        assert!(!fok("templatefile", vec![s("hello.tmpl"), Value::unknown("v")]).is_known());
        assert!(!fok("templatefile", vec![s("~/t.tmpl"), vars()]).is_known());
    }

    /// Checked against `terraform console`'s `type()`.
    #[test]
    fn typed_empty_fileset() {
        types(&[(r#"fileset(".", "nothing*")"#, "set(string)")]);
    }
}
