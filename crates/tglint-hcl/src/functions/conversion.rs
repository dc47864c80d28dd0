//! Terraform's type conversion functions — `tostring`, `tonumber`, `tobool`, `tolist`,
//! `toset`, `tomap` — and the cty conversion rules the rest of the library shares:
//! type unification, the implicit conversion HCL applies to typed parameters, and cty's
//! wording for a value that does not fit a type.
//!
//! tglint's values carry no static type, so a value's cty type is rebuilt from the value
//! itself ([`ty_of`]); only an empty list, set or map keeps the element type cty gives it
//! ([`crate::value::Items`]), which conversions carry over as cty's do. `null` and unknown
//! values carry no type here; they count as cty's dynamic pseudo-type, which converts to
//! anything and has the lowest preference when types are unified (so `["a", null]`
//! unifies to string, as in Terraform).
//!
//! Only cty's *unsafe* conversions are modelled (string to number and string to bool are
//! allowed and may fail on the value): that is what `convert.Convert`, `UnifyUnsafe` and
//! the `to*` functions use.

use super::{Functions, Param};
use crate::error::{FnError, FnResult};
use crate::go;
use crate::value::{Data, Entries, Items, MapKind, Number, SeqKind, Value};
use std::collections::{BTreeMap, HashSet};

pub(crate) use crate::types::Ty;

/// The cty type of a value. A list, set or map gets the unified type of its elements, or
/// when it is empty the element type it was made with (dynamic if none).
pub(crate) fn ty_of(v: &Value) -> Ty {
    match &v.data {
        Data::Null | Data::Unknown(_) => Ty::Dynamic,
        Data::Bool(_) => Ty::Bool,
        Data::Number(_) => Ty::Number,
        Data::String(_) => Ty::String,
        Data::Seq(SeqKind::Tuple, items) => Ty::Tuple(items.iter().map(ty_of).collect()),
        Data::Seq(SeqKind::List, items) => Ty::list(items_elem_ty(items)),
        Data::Seq(SeqKind::Set, items) => Ty::set(items_elem_ty(items)),
        Data::Map(MapKind::Map, m) => Ty::map(entries_elem_ty(m)),
        Data::Map(MapKind::Object, m) => {
            Ty::Object(m.iter().map(|(k, v)| (k.clone(), ty_of(v))).collect())
        }
    }
}

/// The element type of a list or set: the one it keeps when it is empty, else its
/// elements' unified type ([`elem_ty`]). Dynamic for an empty tuple.
pub(crate) fn items_elem_ty(items: &Items) -> Ty {
    match items.empty_elem() {
        Some(t) => t.clone(),
        None => elem_ty(items.iter()),
    }
}

/// The element type of a map (see [`items_elem_ty`]). Dynamic for an empty object.
pub(crate) fn entries_elem_ty(m: &Entries) -> Ty {
    match m.empty_elem() {
        Some(t) => t.clone(),
        None => elem_ty(m.values()),
    }
}

/// The single element type of a collection's elements: their unified type, or dynamic
/// when there are none (or, for a malformed collection, none can be found).
pub(crate) fn elem_ty<'a>(items: impl Iterator<Item = &'a Value>) -> Ty {
    let tys = distinct(items.map(ty_of));
    unify(&tys).unwrap_or(Ty::Dynamic)
}

fn distinct(tys: impl Iterator<Item = Ty>) -> Vec<Ty> {
    let mut seen = HashSet::new();
    let mut out = Vec::new();
    for t in tys {
        if seen.insert(t.clone()) {
            out.push(t);
        }
    }
    out
}

/// cty's `convert.UnifyUnsafe`: the type all of `tys` can convert to, if there is one.
///
/// Collections of one kind unify their element types (`map(dynamic)` and `map(string)`
/// to `map(string)`), objects beside maps are first tried as maps and tuples beside lists
/// as lists, then cty's preference order decides. Where cty answers dynamic because one
/// of the types is (`unifyAllAsDynamic`), tglint leaves dynamic out instead: its dynamic
/// is mostly a null or an unknown, which converts to whatever the others unify to.
pub(crate) fn unify(tys: &[Ty]) -> Option<Ty> {
    let tys = distinct(tys.iter().cloned());
    match tys.as_slice() {
        [] => return None,
        [one] => return Some(one.clone()),
        _ => {}
    }
    let count = |f: fn(&Ty) -> bool| tys.iter().filter(|t| f(t)).count();
    let dynamic = count(|t| *t == Ty::Dynamic);
    let maps = count(|t| matches!(t, Ty::Map(_)));
    let lists = count(|t| matches!(t, Ty::List(_)));
    let sets = count(|t| matches!(t, Ty::Set(_)));
    let objects: Vec<&BTreeMap<String, Ty>> = tys
        .iter()
        .filter_map(|t| match t {
            Ty::Object(a) => Some(a),
            _ => None,
        })
        .collect();
    let tuples: Vec<&Vec<Ty>> = tys
        .iter()
        .filter_map(|t| match t {
            Ty::Tuple(e) => Some(e),
            _ => None,
        })
        .collect();
    let n = tys.len();
    if maps > 0 && maps + dynamic == n {
        return unify_collections(&tys, Ty::map);
    } else if maps > 0 && maps + objects.len() + dynamic == n {
        if let Some(ty) = unify_as(&tys, &objects, Ty::is_map, unify_objects_to_map) {
            return Some(ty);
        }
    } else if lists > 0 && lists + dynamic == n {
        return unify_collections(&tys, Ty::list);
    } else if lists > 0 && lists + tuples.len() + dynamic == n {
        if let Some(ty) = unify_as(&tys, &tuples, Ty::is_list, unify_tuples_to_list) {
            return Some(ty);
        }
    } else if sets > 0 && sets + dynamic == n {
        return unify_collections(&tys, Ty::set);
    } else if !objects.is_empty() && objects.len() + dynamic == n {
        return unify_objects(&objects);
    } else if !tuples.is_empty() && tuples.len() + dynamic == n {
        return unify_tuples(&tuples);
    } else if !objects.is_empty() && !tuples.is_empty() {
        return None;
    }
    for want in sort_types(&tys) {
        let target = &tys[want];
        if tys.iter().all(|t| t == target || can_convert(t, target)) {
            return Some(target.clone());
        }
    }
    None
}

/// cty's `unifyCollectionTypes`: collections of one kind (and dynamic) unify to that kind
/// of their unified element type.
fn unify_collections(tys: &[Ty], make: fn(Ty) -> Ty) -> Option<Ty> {
    let etys: Vec<Ty> = tys.iter().filter_map(|t| t.element().cloned()).collect();
    let ty = make(unify(&etys)?);
    tys.iter().all(|t| can_convert(t, &ty)).then_some(ty)
}

/// cty's `unifyObjectsAsMaps` and `unifyTuplesAsList`: the structures (`parts`) unified
/// to one collection type (by `to_collection`), which stands in for them when `tys` are
/// unified again; that must give a collection (`is_collection`).
fn unify_as<T>(
    tys: &[Ty],
    parts: &[&T],
    is_collection: fn(&Ty) -> bool,
    to_collection: impl Fn(&[&T]) -> Option<Ty>,
) -> Option<Ty> {
    let collection = to_collection(parts)?;
    let replaced: Vec<Ty> = tys
        .iter()
        .map(|t| match t {
            Ty::Object(_) | Ty::Tuple(_) => collection.clone(),
            t => t.clone(),
        })
        .collect();
    unify(&replaced).filter(is_collection)
}

fn unify_objects(objects: &[&BTreeMap<String, Ty>]) -> Option<Ty> {
    let first = objects.first()?;
    let same_names = objects
        .iter()
        .all(|o| o.len() == first.len() && o.keys().all(|k| first.contains_key(k)));
    if !same_names {
        return unify_objects_to_map(objects);
    }
    let mut attrs = BTreeMap::new();
    for name in first.keys() {
        let across: Vec<Ty> = objects
            .iter()
            .filter_map(|o| o.get(name).cloned())
            .collect();
        // An attribute that cannot be unified alone makes the map fallback impossible too.
        attrs.insert(name.clone(), unify(&across)?);
    }
    let ty = Ty::Object(attrs);
    if objects
        .iter()
        .all(|o| can_convert(&Ty::Object((*o).clone()), &ty))
    {
        Some(ty)
    } else {
        unify_objects_to_map(objects)
    }
}

fn unify_objects_to_map(objects: &[&BTreeMap<String, Ty>]) -> Option<Ty> {
    let atys = distinct(objects.iter().flat_map(|o| o.values().cloned()));
    let ty = Ty::map(unify(&atys)?);
    objects
        .iter()
        .all(|o| can_convert(&Ty::Object((*o).clone()), &ty))
        .then_some(ty)
}

fn unify_tuples(tuples: &[&Vec<Ty>]) -> Option<Ty> {
    let first = tuples.first()?;
    if tuples.iter().any(|t| t.len() != first.len()) {
        return unify_tuples_to_list(tuples);
    }
    let mut etys = Vec::with_capacity(first.len());
    for i in 0..first.len() {
        let across: Vec<Ty> = tuples.iter().filter_map(|t| t.get(i).cloned()).collect();
        etys.push(unify(&across)?);
    }
    let ty = Ty::Tuple(etys);
    if tuples
        .iter()
        .all(|t| can_convert(&Ty::Tuple((*t).clone()), &ty))
    {
        Some(ty)
    } else {
        unify_tuples_to_list(tuples)
    }
}

fn unify_tuples_to_list(tuples: &[&Vec<Ty>]) -> Option<Ty> {
    let etys = distinct(tuples.iter().flat_map(|t| t.iter().cloned()));
    let ty = Ty::list(unify(&etys)?);
    tuples
        .iter()
        .all(|t| can_convert(&Ty::Tuple((*t).clone()), &ty))
        .then_some(ty)
}

/// cty's preference order for unification: a topological sort of "more general than",
/// most general first.
fn sort_types(tys: &[Ty]) -> Vec<usize> {
    let n = tys.len();
    let mut edges: Vec<Vec<usize>> = vec![Vec::new(); n];
    let mut in_degree = vec![0usize; n];
    for i in 0..n {
        for j in (i + 1)..n {
            match compare_types(&tys[i], &tys[j]) {
                c if c < 0 => {
                    edges[i].push(j);
                    in_degree[j] += 1;
                }
                c if c > 0 => {
                    edges[j].push(i);
                    in_degree[i] += 1;
                }
                _ => {}
            }
        }
    }
    let mut order: Vec<usize> = (0..n).filter(|&i| in_degree[i] == 0).collect();
    let mut next = 0;
    while let Some(&i) = order.get(next) {
        next += 1;
        for &j in &edges[i] {
            in_degree[j] -= 1;
            if in_degree[j] == 0 {
                order.push(j);
            }
        }
    }
    order
}

/// Negative when `a` is the more general type, positive when `b` is, zero when neither.
fn compare_types(a: &Ty, b: &Ty) -> i32 {
    // Dynamic has the lowest preference: anything converts to it, and nulls and unknowns
    // should converge on their neighbours' type.
    match (a, b) {
        (Ty::Dynamic, Ty::Dynamic) => return 0,
        (_, Ty::Dynamic) => return -1,
        (Ty::Dynamic, _) => return 1,
        _ => {}
    }
    if a.is_primitive() && b.is_primitive() {
        return match (a, b) {
            (Ty::String, Ty::String) => 0,
            (Ty::String, _) => -1,
            (_, Ty::String) => 1,
            _ => 0,
        };
    }
    match (a, b) {
        (Ty::List(x), Ty::List(y)) | (Ty::Set(x), Ty::Set(y)) | (Ty::Map(x), Ty::Map(y)) => {
            return compare_types(x, y);
        }
        _ => {}
    }
    let (a, b, swap) = match (a, b) {
        (Ty::Tuple(_), Ty::List(_))
        | (Ty::Object(_), Ty::Map(_))
        | (Ty::Set(_), Ty::Tuple(_))
        | (Ty::Set(_), Ty::List(_)) => (b, a, -1),
        _ => (a, b, 1),
    };
    match (a, b) {
        (Ty::Tuple(_) | Ty::List(_), Ty::Set(_)) => -swap,
        (Ty::List(_), Ty::Tuple(_)) | (Ty::Map(_), Ty::Object(_)) => -swap,
        (Ty::Object(x), Ty::Object(y)) => {
            if x.len() != y.len() {
                return 0;
            }
            let mut pairs = Vec::with_capacity(x.len());
            for (k, xt) in x {
                match y.get(k) {
                    Some(yt) => pairs.push((xt, yt)),
                    None => return 0,
                }
            }
            swap * compare_pairs(pairs.into_iter())
        }
        (Ty::Tuple(x), Ty::Tuple(y)) => {
            if x.len() != y.len() {
                return 0;
            }
            swap * compare_pairs(x.iter().zip(y))
        }
        _ => 0,
    }
}

fn compare_pairs<'a>(pairs: impl Iterator<Item = (&'a Ty, &'a Ty)>) -> i32 {
    let (mut a_super, mut b_super) = (false, false);
    for (x, y) in pairs {
        match compare_types(x, y) {
            c if c < 0 => a_super = true,
            c if c > 0 => b_super = true,
            _ => {}
        }
    }
    match (a_super, b_super) {
        (true, false) => -1,
        (false, true) => 1,
        _ => 0,
    }
}

/// Whether cty has an (unsafe) conversion from `from` to `to`. It may still fail on a
/// particular value (`"abc"` to number).
pub(crate) fn can_convert(from: &Ty, to: &Ty) -> bool {
    if from == to {
        return true;
    }
    match (from, to) {
        (_, Ty::Dynamic) | (Ty::Dynamic, _) => true,
        (Ty::Number, Ty::Bool) | (Ty::Bool, Ty::Number) => false,
        (f, t) if f.is_primitive() && t.is_primitive() => true,
        (Ty::Object(fa), Ty::Object(ta)) => ta
            .iter()
            .all(|(k, t)| fa.get(k).is_some_and(|f| can_convert(f, t))),
        (Ty::Tuple(fe), Ty::Tuple(te)) => {
            fe.len() == te.len() && fe.iter().zip(te).all(|(f, t)| can_convert(f, t))
        }
        (Ty::List(fe) | Ty::Set(fe), Ty::List(te) | Ty::Set(te)) => can_convert(fe, te),
        (Ty::Map(fe), Ty::Map(te)) => can_convert(fe, te),
        (Ty::Tuple(fe), Ty::List(te) | Ty::Set(te)) => structural_target(fe.iter(), te).is_some(),
        (Ty::Object(fa), Ty::Map(te)) => structural_target(fa.values(), te).is_some(),
        (Ty::Map(fe), Ty::Object(ta)) => ta.values().all(|t| can_convert(fe, t)),
        _ => false,
    }
}

/// The type a tuple's elements (an object's attributes) convert to for a collection of
/// `want`: `want` itself, or their unified type when `want` is dynamic.
fn structural_target<'a>(etys: impl Iterator<Item = &'a Ty>, want: &Ty) -> Option<Ty> {
    let etys = distinct(etys.cloned());
    if etys.is_empty() {
        return Some(want.clone());
    }
    let target = if *want == Ty::Dynamic {
        unify(&etys)?
    } else {
        want.clone()
    };
    etys.iter()
        .all(|e| can_convert(e, &target))
        .then_some(target)
}

/// cty's `convert.Convert` with unsafe conversions, which is also what HCL applies to an
/// argument of a typed parameter. The error is cty's message ("list of bool required",
/// "element 1: string required", "a number is required").
pub(crate) fn convert(v: Value, want: &Ty) -> Result<Value, String> {
    let got = ty_of(&v);
    if got == *want {
        return Ok(v);
    }
    if !can_convert(&got, want) {
        return Err(mismatch_message(&got, want));
    }
    conv(v, want)
}

/// Converts every item to the items' unified type (as a tuple converts to a list of any
/// single type). The error says that no such type exists, or why an item failed.
pub(crate) fn unify_elements(items: Vec<Value>) -> Result<Vec<Value>, String> {
    if items.is_empty() {
        return Ok(items);
    }
    let tys = distinct(items.iter().map(ty_of));
    let target = unify(&tys).ok_or("all elements must have the same type")?;
    items.into_iter().map(|v| conv(v, &target)).collect()
}

/// Converts a value whose type is known to be convertible to `want`. Converted values keep
/// the origin of the value they were converted from; a rebuilt collection keeps its
/// origin only when its kind does not change.
fn conv(v: Value, want: &Ty) -> Result<Value, String> {
    if *want == Ty::Dynamic || matches!(v.data, Data::Null | Data::Unknown(_)) {
        return Ok(v);
    }
    let Value { data, origin } = v;
    let same = |data: Data| Ok(Value { data, origin });
    match (data, want) {
        (d @ Data::String(_), Ty::String)
        | (d @ Data::Number(_), Ty::Number)
        | (d @ Data::Bool(_), Ty::Bool) => same(d),
        (Data::Number(n), Ty::String) => Ok(Value::string(n.to_string()).with_origin(origin)),
        (Data::Bool(b), Ty::String) => Ok(Value::string(b.to_string()).with_origin(origin)),
        (Data::String(s), Ty::Number) => match Number::parse(&s) {
            Some(n) => Ok(Value::number(n).with_origin(origin)),
            None => Err("a number is required".into()),
        },
        (Data::String(s), Ty::Bool) => match s.as_str() {
            "true" | "1" => Ok(Value::bool(true).with_origin(origin)),
            "false" | "0" => Ok(Value::bool(false).with_origin(origin)),
            other => Err(match other.to_lowercase().as_str() {
                "true" => r#"a bool is required; to convert from string, use lowercase "true""#,
                "false" => r#"a bool is required; to convert from string, use lowercase "false""#,
                _ => "a bool is required",
            }
            .into()),
        },
        (Data::Seq(kind, items), Ty::List(ety) | Ty::Set(ety)) => {
            let to_set = matches!(want, Ty::Set(_));
            // cty gives an empty result the wanted element type, or the given one's when
            // any element type will do (`tolist(compact([]))` is a list of string).
            let elem = items.is_empty().then(|| match &**ety {
                Ty::Dynamic => items.empty_elem().cloned().unwrap_or(Ty::Dynamic),
                e => e.clone(),
            });
            let elem = elem.unwrap_or(Ty::Dynamic);
            let items = std::sync::Arc::unwrap_or_clone(items).into_vec();
            let items = if kind == SeqKind::Tuple && **ety == Ty::Dynamic {
                // A null (of no type) beside a collection or structure: cty unifies them
                // all as dynamic, which is no single element type (`tolist([null, [1]])`
                // is an error; beside primitives the null converts).
                if items.iter().any(|v| matches!(v.data, Data::Null))
                    && items
                        .iter()
                        .any(|v| matches!(v.data, Data::Seq(..) | Data::Map(..)))
                {
                    return Err("all elements must have the same type".into());
                }
                unify_elements(items)?
            } else {
                conv_all(items, ety)?
            };
            Ok(if to_set {
                make_set_of(&elem, items).with_origin(if kind == SeqKind::Set {
                    origin
                } else {
                    None
                })
            } else {
                Value::list_of(&elem, items).with_origin(if kind == SeqKind::List {
                    origin
                } else {
                    None
                })
            })
        }
        (Data::Seq(SeqKind::Tuple, items), Ty::Tuple(etys)) if items.len() == etys.len() => {
            let items = std::sync::Arc::unwrap_or_clone(items)
                .into_vec()
                .into_iter()
                .zip(etys)
                .map(|(v, t)| conv(v, t))
                .collect::<Result<Vec<_>, _>>()?;
            Ok(Value::tuple(items).with_origin(origin))
        }
        (Data::Map(kind, m), Ty::Map(ety)) => {
            let elem = m.is_empty().then(|| match &**ety {
                Ty::Dynamic => m.empty_elem().cloned().unwrap_or(Ty::Dynamic),
                e => e.clone(),
            });
            let elem = elem.unwrap_or(Ty::Dynamic);
            let m = std::sync::Arc::unwrap_or_clone(m).into_map();
            let m = if kind == MapKind::Object && **ety == Ty::Dynamic {
                let (keys, vals): (Vec<String>, Vec<Value>) = m.into_iter().unzip();
                keys.into_iter().zip(unify_elements(vals)?).collect()
            } else {
                m.into_iter()
                    .map(|(k, v)| Ok((k, conv(v, ety)?)))
                    .collect::<Result<BTreeMap<_, _>, String>>()?
            };
            Ok(
                Value::map_of(&elem, m).with_origin(if kind == MapKind::Map {
                    origin
                } else {
                    None
                }),
            )
        }
        (Data::Map(kind, m), Ty::Object(atys)) => {
            let mut m = std::sync::Arc::unwrap_or_clone(m).into_map();
            let mut out = BTreeMap::new();
            for (name, aty) in atys {
                match m.remove(name) {
                    Some(v) => {
                        out.insert(name.clone(), conv(v, aty)?);
                    }
                    None if kind == MapKind::Map => {
                        return Err(format!(
                            "map has no element for required attribute {}",
                            go::quote(name)
                        ));
                    }
                    None => return Err(format!("attribute {} is required", go::quote(name))),
                }
            }
            Ok(Value::object(out).with_origin(if kind == MapKind::Object {
                origin
            } else {
                None
            }))
        }
        (data, want) => Err(mismatch_message(&ty_of(&Value::new(data)), want)),
    }
}

fn conv_all(items: Vec<Value>, ety: &Ty) -> Result<Vec<Value>, String> {
    items.into_iter().map(|v| conv(v, ety)).collect()
}

/// A set of `items`. tglint's sets merge unknowns that share a reason, where cty keeps
/// every unknown element apart; so a set of more than one element with an unknown in it
/// is returned wholly unknown rather than with a count that may be wrong.
pub(crate) fn make_set(items: Vec<Value>) -> Value {
    make_set_of(&Ty::Dynamic, items)
}

/// [`make_set`] for a set of element type `elem` (which an empty one keeps).
pub(crate) fn make_set_of(elem: &Ty, items: Vec<Value>) -> Value {
    if items.len() > 1
        && let Some(u) = items.iter().find(|v| !v.is_wholly_known())
    {
        return u.unknown_like();
    }
    Value::set_of(elem, items)
}

/// cty's `FriendlyName`: "string", "list of number", "tuple", "object", "dynamic".
pub(crate) fn friendly(t: &Ty) -> String {
    match t {
        Ty::Dynamic => "dynamic".into(),
        Ty::String => "string".into(),
        Ty::Number => "number".into(),
        Ty::Bool => "bool".into(),
        Ty::List(e) => format!("list of {}", friendly(e)),
        Ty::Set(e) => format!("set of {}", friendly(e)),
        Ty::Map(e) => format!("map of {}", friendly(e)),
        Ty::Tuple(_) => "tuple".into(),
        Ty::Object(_) => "object".into(),
    }
}

/// cty's `FriendlyNameForConstraint`: dynamic reads "any type", and a collection of it
/// "list of any single type".
pub(crate) fn constraint(t: &Ty) -> String {
    let elem = |e: &Ty| {
        if *e == Ty::Dynamic {
            "any single type".to_string()
        } else {
            constraint(e)
        }
    };
    match t {
        Ty::Dynamic => "any type".into(),
        Ty::List(e) => format!("list of {}", elem(e)),
        Ty::Set(e) => format!("set of {}", elem(e)),
        Ty::Map(e) => format!("map of {}", elem(e)),
        other => friendly(other),
    }
}

/// cty's `convert.MismatchMessage`: why a value of type `got` does not fit `want`.
pub(crate) fn mismatch_message(got: &Ty, want: &Ty) -> String {
    let required = || format!("{} required", constraint(want));
    match (got, want) {
        (Ty::Object(ga), Ty::Object(wa)) => {
            let missing: Vec<&String> = wa.keys().filter(|k| !ga.contains_key(*k)).collect();
            match missing.as_slice() {
                [] => {}
                [one] => return format!("attribute {} is required", go::quote(one)),
                [a, b] => {
                    return format!(
                        "attributes {} and {} are required",
                        go::quote(a),
                        go::quote(b)
                    );
                }
                [init @ .., last] => {
                    let init: Vec<String> = init.iter().map(|k| go::quote(k)).collect();
                    return format!(
                        "attributes {}, and {} are required",
                        init.join(", "),
                        go::quote(last)
                    );
                }
            }
            for (name, wt) in wa {
                if let Some(gt) = ga.get(name)
                    && !can_convert(gt, wt)
                {
                    return format!(
                        "attribute {}: {}",
                        go::quote(name),
                        mismatch_message(gt, wt)
                    );
                }
            }
            "incorrect object attributes".into()
        }
        (Ty::Tuple(_), Ty::List(e)) if **e == Ty::Dynamic => {
            "all list elements must have the same type".into()
        }
        (Ty::Tuple(_), Ty::Set(e)) if **e == Ty::Dynamic => {
            "all set elements must have the same type".into()
        }
        (Ty::Object(_), Ty::Map(e)) if **e == Ty::Dynamic => {
            "all map elements must have the same type".into()
        }
        (Ty::Tuple(etys), Ty::List(want_e) | Ty::Set(want_e)) => {
            for (i, e) in etys.iter().enumerate() {
                if !can_convert(e, want_e) {
                    return format!("element {i}: {}", mismatch_message(e, want_e));
                }
            }
            format!("all elements must be {}", constraint(want_e))
        }
        (Ty::Object(atys), Ty::Map(want_e)) => {
            for (name, a) in atys {
                if !can_convert(a, want_e) {
                    return format!(
                        "element {}: {}",
                        go::quote(name),
                        mismatch_message(a, want_e)
                    );
                }
            }
            format!("all elements must be {}", constraint(want_e))
        }
        (Ty::Tuple(_) | Ty::Object(_), Ty::List(_) | Ty::Set(_) | Ty::Map(_)) => required(),
        (Ty::List(g) | Ty::Set(g), Ty::List(w)) => {
            format!("incorrect list element type: {}", mismatch_message(g, w))
        }
        (Ty::List(g) | Ty::Set(g), Ty::Set(w)) => {
            format!("incorrect set element type: {}", mismatch_message(g, w))
        }
        (Ty::Map(g), Ty::Map(w)) => {
            format!("incorrect map element type: {}", mismatch_message(g, w))
        }
        _ => required(),
    }
}

/// Registers `tostring`, `tonumber`, `tobool`, `tolist`, `toset` and `tomap`.
pub(crate) fn register(f: &mut Functions) {
    let to = [
        ("tostring", Ty::String),
        ("tonumber", Ty::Number),
        ("tobool", Ty::Bool),
        ("tolist", Ty::list(Ty::Dynamic)),
        ("toset", Ty::set(Ty::Dynamic)),
        ("tomap", Ty::map(Ty::Dynamic)),
    ];
    for (name, want) in to {
        f.add(name, &[Param::new("v").nullable()], None, move |_, args| {
            convert_explicitly(args.into_iter().next().unwrap_or_else(Value::null), &want)
        });
    }
}

/// Terraform's `MakeToFunc`: an explicit conversion, with messages aimed at one.
fn convert_explicitly(v: Value, want: &Ty) -> FnResult {
    let got = ty_of(&v);
    if got == *want {
        return Ok(v);
    }
    let cannot = || {
        FnError::arg(
            0,
            format!("cannot convert {} to {}", friendly(&got), constraint(want)),
        )
    };
    if !can_convert(&got, want) {
        return Err(cannot());
    }
    let quoted = v.as_str().map(go::quote);
    conv(v, want).map_err(|_| match (quoted, want) {
        (Some(q), Ty::Bool) => FnError::arg(
            0,
            format!(r#"cannot convert {q} to bool; only the strings "true" or "false" are allowed"#),
        ),
        (Some(q), Ty::Number) => FnError::arg(
            0,
            format!(
                "cannot convert {q} to number; given string must be a decimal representation of a number"
            ),
        ),
        _ => cannot(),
    })
}

/// The type hcl's conditional converts its result to: `Ok(None)` when either result is a
/// `null` or of no known type (cty's dynamic pseudo-type: no conversion applies),
/// `Ok(Some(ty))` from `convert.UnifyUnsafe` of the true and false types, and `Err` with
/// hcl's `describeConditionalTypeMismatch` when they do not unify.
pub(crate) fn conditional_type(t: &Value, f: &Value) -> Result<Option<Ty>, String> {
    if t.is_null() || f.is_null() {
        return Ok(None);
    }
    let (tt, ft) = (ty_of(t), ty_of(f));
    if tt == Ty::Dynamic || ft == Ty::Dynamic {
        return Ok(None);
    }
    match unify(&[tt.clone(), ft.clone()]) {
        Some(ty) => Ok(Some(ty)),
        None => Err(describe_mismatch(&tt, &ft)),
    }
}

/// hcl's `describeConditionalTypeMismatch`.
fn describe_mismatch(t: &Ty, f: &Ty) -> String {
    match (t, f) {
        (Ty::Object(ta), Ty::Object(fa)) => {
            for (name, aty) in ta {
                match fa.get(name) {
                    None => {
                        return format!(
                            "The 'true' value includes object attribute {}, which is absent in the 'false' value",
                            go::quote(name)
                        );
                    }
                    Some(fty) if fty != aty => {
                        return format!(
                            "Type mismatch for object attribute {}: {}",
                            go::quote(name),
                            describe_mismatch(aty, fty)
                        );
                    }
                    Some(_) => {}
                }
            }
            if let Some(name) = fa.keys().find(|k| !ta.contains_key(*k)) {
                return format!(
                    "The 'false' value includes object attribute {}, which is absent in the 'true' value",
                    go::quote(name)
                );
            }
        }
        (Ty::Tuple(te), Ty::Tuple(fe)) => {
            if te.len() != fe.len() {
                return format!(
                    "The 'true' tuple has length {}, but the 'false' tuple has length {}",
                    te.len(),
                    fe.len()
                );
            }
            if let Some((i, (x, y))) = te.iter().zip(fe).enumerate().find(|(_, (x, y))| x != y) {
                return format!(
                    "Type mismatch for tuple element {i}: {}",
                    describe_mismatch(x, y)
                );
            }
        }
        (Ty::List(x), Ty::List(y)) | (Ty::Set(x), Ty::Set(y)) | (Ty::Map(x), Ty::Map(y))
            if matches!(
                (&**x, &**y),
                (Ty::Object(_), Ty::Object(_)) | (Ty::Tuple(_), Ty::Tuple(_))
            ) =>
        {
            let noun = match t {
                Ty::List(_) => "list",
                Ty::Set(_) => "set",
                _ => "map",
            };
            return format!(
                "Mismatched {noun} element types: {}",
                describe_mismatch(x, y)
            );
        }
        _ => {}
    }
    let (tn, fn_) = (friendly(t), friendly(f));
    if tn == fn_ {
        return "At least one deeply-nested attribute or element is not compatible across both the 'true' and the 'false' value".into();
    }
    format!("The 'true' value is {tn}, but the 'false' value is {fn_}")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::functions::CallError;
    use crate::functions::testing::*;

    /// The message of an argument error of a call expected to fail.
    fn arg_msg(name: &str, args: Vec<Value>) -> String {
        match call(name, args) {
            Err(CallError::Arg { msg, .. }) => msg,
            other => panic!("{name}: expected an argument error, got {other:?}"),
        }
    }

    #[test]
    fn tostring_documented_examples() {
        shows(&ok("tostring", vec![s("hello")]), r#""hello""#);
        shows(&ok("tostring", vec![n(1)]), r#""1""#);
        shows(&ok("tostring", vec![Value::bool(true)]), r#""true""#);
        shows(&ok("tostring", vec![Value::float(1.5)]), r#""1.5""#);
        assert!(ok("tostring", vec![Value::null()]).is_null());
        assert_eq!(
            arg_msg("tostring", vec![tup(vec![])]),
            "cannot convert tuple to string"
        );
        assert_eq!(
            arg_msg("tostring", vec![obj(&[("a", n(1))])]),
            "cannot convert object to string"
        );
        assert_eq!(
            arg_msg("tostring", vec![Value::list(vec![s("a")])]),
            "cannot convert list of string to string"
        );
    }

    #[test]
    fn tonumber_documented_examples() {
        shows(&ok("tonumber", vec![n(1)]), "1");
        shows(&ok("tonumber", vec![s("1")]), "1");
        shows(&ok("tonumber", vec![s("-2.5e1")]), "-25");
        shows(&ok("tonumber", vec![s("Inf")]), "+Inf");
        assert!(ok("tonumber", vec![Value::null()]).is_null());
        assert_eq!(
            arg_msg("tonumber", vec![s("no")]),
            r#"cannot convert "no" to number; given string must be a decimal representation of a number"#
        );
        assert_eq!(
            arg_msg("tonumber", vec![Value::bool(true)]),
            "cannot convert bool to number"
        );
        assert_eq!(
            arg_msg("tonumber", vec![s(" 1")]),
            r#"cannot convert " 1" to number; given string must be a decimal representation of a number"#
        );
    }

    #[test]
    fn tobool_documented_examples() {
        shows(&ok("tobool", vec![Value::bool(true)]), "true");
        shows(&ok("tobool", vec![s("true")]), "true");
        shows(&ok("tobool", vec![s("false")]), "false");
        // cty also accepts "1" and "0".
        shows(&ok("tobool", vec![s("1")]), "true");
        assert!(ok("tobool", vec![Value::null()]).is_null());
        assert_eq!(
            arg_msg("tobool", vec![s("no")]),
            r#"cannot convert "no" to bool; only the strings "true" or "false" are allowed"#
        );
        assert_eq!(
            arg_msg("tobool", vec![n(1)]),
            "cannot convert number to bool"
        );
    }

    #[test]
    /// Checked against `terraform console`.
    fn nulls_in_tuples_converted_to_lists_and_sets() {
        shows(
            &ok("toset", vec![tup(vec![Value::null(), s("a"), n(1)])]),
            r#"toset(["1", "a", null])"#,
        );
        shows(
            &ok("toset", vec![tup(vec![n(2), Value::null(), n(10)])]),
            "toset([2, 10, null])",
        );
        shows(
            &ok("tolist", vec![tup(vec![Value::null(), s("a"), n(1)])]),
            r#"tolist([null, "a", "1"])"#,
        );
        for v in [
            tup(vec![Value::null(), tup(vec![n(1)])]),
            tup(vec![Value::null(), tup(vec![n(1)]), tup(vec![s("a")])]),
        ] {
            err(
                "tolist",
                vec![v.clone()],
                "cannot convert tuple to list of any single type",
            );
            err(
                "toset",
                vec![v],
                "cannot convert tuple to set of any single type",
            );
        }
    }

    #[test]
    fn tolist_unifies_element_types() {
        shows(
            &ok("tolist", vec![tup(vec![s("a"), s("b"), s("c")])]),
            r#"tolist(["a", "b", "c"])"#,
        );
        shows(
            &ok("tolist", vec![tup(vec![s("a"), s("b"), n(3)])]),
            r#"tolist(["a", "b", "3"])"#,
        );
        shows(
            &ok("tolist", vec![tup(vec![s("a"), Value::null()])]),
            r#"tolist(["a", null])"#,
        );
        shows(&ok("tolist", vec![tup(vec![])]), "tolist([])");
        // Objects with different attributes unify to maps.
        shows(
            &ok(
                "tolist",
                vec![tup(vec![obj(&[("a", n(1))]), obj(&[("b", n(2))])])],
            ),
            "tolist([tomap({ a = 1 }), tomap({ b = 2 })])",
        );
        // Objects with the same attributes unify attribute by attribute.
        shows(
            &ok(
                "tolist",
                vec![tup(vec![obj(&[("a", n(1))]), obj(&[("a", s("x"))])])],
            ),
            r#"tolist([{ a = "1" }, { a = "x" }])"#,
        );
        // Tuples of different lengths unify to lists.
        shows(
            &ok(
                "tolist",
                vec![tup(vec![tup(vec![n(1)]), tup(vec![s("a"), s("b")])])],
            ),
            r#"tolist([tolist(["1"]), tolist(["a", "b"])])"#,
        );
        assert_eq!(
            arg_msg("tolist", vec![tup(vec![n(1), Value::bool(true)])]),
            "cannot convert tuple to list of any single type"
        );
        assert_eq!(
            arg_msg("tolist", vec![tup(vec![obj(&[("a", n(1))]), s("x")])]),
            "cannot convert tuple to list of any single type"
        );
        assert_eq!(
            arg_msg("tolist", vec![s("a")]),
            "cannot convert string to list of any single type"
        );
        assert!(ok("tolist", vec![Value::null()]).is_null());
    }

    #[test]
    fn tolist_keeps_lists_and_orders_sets() {
        let l = Value::list(vec![s("b"), s("a")]);
        shows(&ok("tolist", vec![l]), r#"tolist(["b", "a"])"#);
        let st = Value::set(vec![s("b"), s("a")]);
        shows(&ok("tolist", vec![st]), r#"tolist(["a", "b"])"#);
    }

    #[test]
    fn toset_documented_examples() {
        shows(
            &ok("toset", vec![tup(vec![s("a"), s("b"), s("c")])]),
            r#"toset(["a", "b", "c"])"#,
        );
        shows(
            &ok("toset", vec![tup(vec![s("a"), s("b"), n(3)])]),
            r#"toset(["3", "a", "b"])"#,
        );
        shows(
            &ok("toset", vec![tup(vec![s("c"), s("b"), s("b")])]),
            r#"toset(["b", "c"])"#,
        );
        assert_eq!(
            arg_msg("toset", vec![obj(&[])]),
            "cannot convert object to set of any single type"
        );
        // Unknown elements in a set of several: the whole set is unknown.
        let v = ok("toset", vec![tup(vec![s("a"), Value::unknown("r")])]);
        assert!(!v.is_known());
        let v = ok("toset", vec![tup(vec![Value::unknown("r")])]);
        shows(&v, "toset([(unknown: r)])");
    }

    #[test]
    fn tomap_documented_examples() {
        shows(
            &ok(
                "tomap",
                vec![obj(&[("a", s("foo")), ("b", Value::bool(true))])],
            ),
            r#"tomap({ a = "foo", b = "true" })"#,
        );
        shows(
            &ok("tomap", vec![obj(&[("a", n(1)), ("b", s("x"))])]),
            r#"tomap({ a = "1", b = "x" })"#,
        );
        shows(&ok("tomap", vec![obj(&[])]), "tomap({})");
        assert_eq!(
            arg_msg("tomap", vec![obj(&[("a", n(1)), ("b", Value::bool(true))])]),
            "cannot convert object to map of any single type"
        );
        assert_eq!(
            arg_msg("tomap", vec![tup(vec![n(1)])]),
            "cannot convert tuple to map of any single type"
        );
    }

    #[test]
    fn unknowns_pass_through_conversions() {
        // Top-level unknown: the registry answers unknown.
        assert!(!ok("tostring", vec![Value::unknown("r")]).is_known());
        // Nested unknown in a list: kept in place.
        let v = ok("tolist", vec![tup(vec![s("a"), Value::unknown("r")])]);
        shows(&v, r#"tolist(["a", (unknown: r)])"#);
        let v = ok(
            "tomap",
            vec![obj(&[("a", n(1)), ("b", Value::unknown("r"))])],
        );
        // An unknown has no type here, so it does not pull the others to string.
        shows(&v, "tomap({ a = 1, b = (unknown: r) })");
    }

    #[test]
    fn origins_survive_identity_conversion() {
        use crate::span::{FileId, Origin, Span};
        let origin = Origin::new(Span::new(FileId(1), 3..4));
        let v = s("x").with_origin(Some(origin));
        let out = ok("tostring", vec![v]);
        assert!(out.origin.is_some());
    }

    #[test]
    fn unify_follows_cty() {
        assert_eq!(unify(&[Ty::String, Ty::Number]), Some(Ty::String));
        assert_eq!(unify(&[Ty::Number, Ty::Bool]), None);
        assert_eq!(unify(&[Ty::Dynamic, Ty::Number]), Some(Ty::Number));
        assert_eq!(unify(&[Ty::Dynamic, Ty::Dynamic]), Some(Ty::Dynamic));
        assert_eq!(
            unify(&[Ty::list(Ty::Number), Ty::list(Ty::String)]),
            Some(Ty::list(Ty::String))
        );
        assert_eq!(
            unify(&[Ty::map(Ty::String), Ty::Object(BTreeMap::new())]),
            Some(Ty::map(Ty::String))
        );
        assert_eq!(
            unify(&[Ty::Tuple(vec![]), Ty::Object(BTreeMap::new())]),
            None
        );
        assert_eq!(unify(&[]), None);
    }

    #[test]
    fn implicit_conversion_messages() {
        let want = Ty::list(Ty::Bool);
        assert_eq!(
            convert(tup(vec![n(1)]), &want).unwrap_err(),
            "element 0: bool required"
        );
        assert_eq!(convert(s("x"), &want).unwrap_err(), "list of bool required");
        assert_eq!(
            convert(tup(vec![s("x")]), &want).unwrap_err(),
            "a bool is required"
        );
        assert_eq!(
            convert(tup(vec![s("True")]), &want).unwrap_err(),
            r#"a bool is required; to convert from string, use lowercase "true""#
        );
        assert_eq!(
            convert(Value::list(vec![n(1)]), &want).unwrap_err(),
            "incorrect list element type: bool required"
        );
        assert_eq!(
            convert(obj(&[("a", tup(vec![]))]), &Ty::map(Ty::String)).unwrap_err(),
            r#"element "a": string required"#
        );
        let want_obj = Ty::Object(
            [("a".to_string(), Ty::String), ("b".to_string(), Ty::String)]
                .into_iter()
                .collect(),
        );
        assert_eq!(
            convert(obj(&[]), &want_obj).unwrap_err(),
            r#"attributes "a" and "b" are required"#
        );
        assert_eq!(
            convert(tup(vec![tup(vec![]), s("a")]), &Ty::list(Ty::Dynamic)).unwrap_err(),
            "all list elements must have the same type"
        );
    }

    /// Checked against `terraform console`'s `type()`: an empty result has the wanted
    /// element type, or the given one's when any will do.
    #[test]
    fn typed_empty_conversions() {
        types(&[
            ("tolist([])", "list(dynamic)"),
            ("toset([])", "set(dynamic)"),
            ("tomap({})", "map(dynamic)"),
            ("tolist(compact([]))", "list(string)"),
            ("toset(compact([]))", "set(string)"),
            ("tolist(toset(compact([])))", "list(string)"),
            ("tolist(toset([]))", "list(dynamic)"),
            ("toset(range(0))", "set(number)"),
            ("tomap(tomap({}))", "map(dynamic)"),
            ("tomap(transpose({}))", "map(list(string))"),
            (r#"tolist(regexall("(a)", "b"))"#, "list(tuple([string]))"),
            (
                r#"tomap(zipmap([], regexall("(a)", "b")))"#,
                "map(tuple([string]))",
            ),
            (
                "tolist(setproduct([], []))",
                "list(tuple([dynamic, dynamic]))",
            ),
            ("tolist(transpose({}))", "error"),
            ("tomap(compact([]))", "error"),
            ("toset(transpose({}))", "error"),
            ("tostring(compact([]))", "error"),
            // Elements unify with the typed empties among them.
            ("tolist([compact([]), [1]])", "list(list(string))"),
            ("tolist([tolist([]), [1]])", "list(list(number))"),
            ("tolist([range(0), compact([])])", "list(list(string))"),
            (r#"tolist([[1], tolist(["a"])])"#, "list(list(string))"),
            (
                r#"tolist([[[]], tolist([["a"]])])"#,
                "list(list(list(string)))",
            ),
            ("toset([tolist([]), compact([])])", "set(list(string))"),
            ("tomap({a = compact([]), b = [1]})", "map(list(string))"),
            ("tomap({a = tolist([]), b = [1]})", "map(list(number))"),
            ("tomap({a = transpose({})})", "map(map(list(string)))"),
            (r#"tolist([tomap({}), {a = "x"}])"#, "list(map(string))"),
            (
                r#"tolist([transpose({}), {a = ["x"]}])"#,
                "list(map(list(string)))",
            ),
            (r#"tolist([transpose({}), {a = "x"}])"#, "error"),
            (
                r#"tolist([tomap({a = tolist([])}), {b = ["x"]}])"#,
                "list(map(list(string)))",
            ),
        ]);
    }

    /// Checked against `terraform console`'s `type()`: hcl unifies the results of a
    /// conditional (cty's `UnifyUnsafe`), typed empty ones included.
    #[test]
    fn typed_empty_conditional_results() {
        types(&[
            (r#"true ? transpose({}) : {a = "x"}"#, "error"),
            (r#"true ? transpose({}) : {a = ["x"]}"#, "map(list(string))"),
            ("true ? transpose({}) : tomap({a = 1})", "error"),
            ("false ? transpose({}) : tomap({a = 1})", "error"),
            ("true ? compact([]) : [1]", "list(string)"),
            ("true ? compact([]) : [true]", "list(string)"),
            ("true ? compact([]) : tolist([])", "list(string)"),
            ("true ? tolist([]) : compact([])", "list(string)"),
            ("true ? compact([]) : range(0)", "list(string)"),
            (r#"true ? regexall("(a)", "b") : [1]"#, "error"),
            (r#"true ? toset([]) : toset(["a"])"#, "set(string)"),
            ("true ? toset(compact([])) : toset([1])", "set(string)"),
            // cty's unifyObjectsAsMaps and unifyCollectionTypes.
            (r#"true ? tomap({}) : {a = "x"}"#, "map(string)"),
            (r#"true ? {a = 1} : tomap({b = "x"})"#, "map(string)"),
            (
                r#"true ? tomap({a = [1]}) : {b = ["x", "y"]}"#,
                "map(list(string))",
            ),
            (
                r#"true ? tomap({a = tolist([])}) : tomap({b = ["x"]})"#,
                "map(list(string))",
            ),
            (
                r#"true ? tolist([[1]]) : [["x", "y"]]"#,
                "list(list(string))",
            ),
            (
                r#"true ? [tolist([])] : tolist([["x"]])"#,
                "list(list(string))",
            ),
        ]);
    }
}
