//! Following symbolic links the way the operating system does.

use super::{Fs, Kind, MAX_LINKS};
use std::ffi::OsString;
use std::path::{Component, Path, PathBuf};

/// Where a path leads (see [`resolve_below`]).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Resolved {
    /// The path with every link followed. When something on the way is missing, the
    /// missing rest is appended as written: where the path *would* lead, so a dangling
    /// link that points out of the root is still seen to point out.
    pub real: PathBuf,
    /// What is there, following links: `None` when nothing is; `Other` for a link loop.
    pub kind: Option<Kind>,
    /// How many leading components of `rest` lead to the first symbolic link met in it
    /// (`Some(1)`: the first component is a link).
    pub first_link: Option<usize>,
}

/// Follows `rest` (relative, cleaned) from `base`, a directory's real location,
/// resolving symbolic links component by component as the operating system does: a
/// link's target is read and walked from the link's real directory (or from `/`), and
/// `..` in a target steps up from the real location. Iterative; at most [`MAX_LINKS`]
/// links are followed.
pub fn resolve_below(fs: &dyn Fs, base: &Path, rest: &Path) -> Resolved {
    let mut cur = base.to_path_buf();
    // What is still to walk, as a stack (next on top), each with its position in `rest`
    // when it comes from `rest` rather than from a link's target.
    let mut todo: Vec<(OsString, Option<usize>)> = Vec::new();
    let mut n = 0;
    for c in rest.components() {
        match c {
            Component::Normal(s) => {
                n += 1;
                todo.push((s.to_os_string(), Some(n)));
            }
            Component::ParentDir => {
                n += 1;
                todo.push(("..".into(), Some(n)));
            }
            _ => {}
        }
    }
    if todo.is_empty() {
        // `base` is a real location: no link to follow there.
        return Resolved {
            kind: fs.lkind(base).ok(),
            real: cur,
            first_link: None,
        };
    }
    todo.reverse();
    let mut kind = Some(Kind::Dir);
    let mut hops = 0;
    let mut first_link = None;
    while let Some((name, from)) = todo.pop() {
        if name == ".." {
            // Only a directory has a parent entry; below anything else nothing exists.
            if kind != Some(Kind::Dir) {
                kind = None;
            }
            cur.pop();
            continue;
        }
        if kind != Some(Kind::Dir) {
            kind = None;
            cur.push(&name);
            continue;
        }
        let next = cur.join(&name);
        match fs.lkind(&next) {
            Ok(Kind::Link) => {
                if first_link.is_none() {
                    first_link = from;
                }
                hops += 1;
                let target = match fs.read_link(&next) {
                    Ok(t) if hops <= MAX_LINKS => t,
                    Ok(_) => {
                        cur = next;
                        kind = Some(Kind::Other);
                        for (rest, _) in todo.into_iter().rev() {
                            cur.push(rest);
                        }
                        return Resolved {
                            real: cur,
                            kind,
                            first_link,
                        };
                    }
                    Err(_) => {
                        cur = next;
                        kind = None;
                        continue;
                    }
                };
                if target.is_absolute() {
                    cur = PathBuf::from("/");
                }
                for c in target.components().rev() {
                    match c {
                        Component::Normal(s) => todo.push((s.to_os_string(), None)),
                        Component::ParentDir => todo.push(("..".into(), None)),
                        _ => {}
                    }
                }
            }
            Ok(k) => {
                cur = next;
                kind = Some(k);
            }
            Err(_) => {
                cur = next;
                kind = None;
            }
        }
    }
    Resolved {
        real: cur,
        kind,
        first_link,
    }
}
