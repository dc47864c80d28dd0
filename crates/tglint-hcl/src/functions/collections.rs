//! Terraform v0.15.3's collection functions (`lang/funcs/collection.go` and the cty
//! standard library functions Terraform registers for them), plus the removed `list` and
//! `map`, the experimental `defaults`, and `sensitive`/`nonsensitive`.
//!
//! Parameters that cty declares with a collection type (`list(bool)`, `list(string)`,
//! `list(any)`, `map(list(string))`, ...) get HCL's implicit conversion first, with cty's
//! messages ("element 0: bool required"); see [`super::conversion`].

use super::conversion::{
    Ty, convert, entries_elem_ty, friendly, items_elem_ty, make_set, ty_of, unify,
};
use super::numeric::whole_i64;
use super::{Functions, Param};
use crate::budget::Resource;
use crate::error::{FnError, FnResult};
use crate::go;
use crate::value::{Data, MapKind, Number, SeqKind, Value};
use std::collections::{BTreeMap, HashSet};
use std::sync::Arc;

/// cty's limit on `range`.
const RANGE_LIMIT: usize = 1024;
/// tglint's limit on the number of tuples `setproduct` builds; beyond it the result is
/// unknown rather than gigabytes of values (Terraform has no such limit).
const PRODUCT_LIMIT: usize = 100_000;

pub(crate) fn register(f: &mut Functions) {
    let p = Param::new;
    f.add("alltrue", &[p("list")], None, alltrue);
    f.add("anytrue", &[p("list")], None, anytrue);
    f.add("chunklist", &[p("list"), p("size")], None, chunklist);
    f.add(
        "coalesce",
        &[],
        Some(p("vals").nullable().unknowns()),
        coalesce,
    );
    f.add(
        "coalescelist",
        &[],
        Some(p("vals").nullable().unknowns()),
        coalescelist,
    );
    f.add("compact", &[p("list")], None, compact);
    f.add("concat", &[], Some(p("seqs")), concat);
    f.add("contains", &[p("list"), p("value")], None, contains);
    f.add("distinct", &[p("list")], None, distinct);
    f.add("element", &[p("list"), p("index")], None, element);
    f.add("flatten", &[p("list")], None, flatten);
    f.add("index", &[p("list"), p("value")], None, index);
    f.add("keys", &[p("inputMap")], None, keys);
    f.add("length", &[p("value")], None, length);
    f.add(
        "lookup",
        &[p("inputMap"), p("key")],
        Some(p("default").nullable().unknowns()),
        lookup,
    );
    f.add(
        "matchkeys",
        &[p("values"), p("keys"), p("searchset")],
        None,
        matchkeys,
    );
    f.add("merge", &[], Some(p("maps").nullable()), merge);
    f.add("one", &[p("list")], None, one);
    f.add("range", &[], Some(p("params")), range);
    f.add("reverse", &[p("list")], None, reverse);
    f.add(
        "setintersection",
        &[p("first_set")],
        Some(p("other_sets")),
        |_, a| set_operation(a, SetOp::Intersection),
    );
    f.add("setsubtract", &[p("a"), p("b")], None, |_, a| {
        set_operation(a, SetOp::Subtract)
    });
    f.add(
        "setunion",
        &[p("first_set")],
        Some(p("other_sets")),
        |_, a| set_operation(a, SetOp::Union),
    );
    f.add("setproduct", &[], Some(p("sets")), setproduct);
    f.add(
        "slice",
        &[p("list"), p("start_index"), p("end_index")],
        None,
        slice,
    );
    f.add("sort", &[p("list")], None, sort);
    f.add("sum", &[p("list")], None, sum);
    f.add("transpose", &[p("values")], None, transpose);
    f.add("values", &[p("values")], None, values);
    f.add("zipmap", &[p("keys"), p("values")], None, zipmap);

    // Removed in v0.12 and failing since v0.15, whatever the arguments.
    f.add("list", &[], Some(p("vals").nullable().unknowns()), |_, _| {
        Err(FnError::call(
            "the \"list\" function was deprecated in Terraform v0.12 and is no longer available; use tolist([ ... ]) syntax to write a literal list",
        ))
    });
    f.add("map", &[], Some(p("vals").nullable().unknowns()), |_, _| {
        Err(FnError::call(
            "the \"map\" function was deprecated in Terraform v0.12 and is no longer available; use tomap({ ... }) syntax to write a literal map",
        ))
    });
    // Only available to modules that opt into the experiment, which tglint does not model.
    f.add(
        "defaults",
        &[p("input").nullable().unknowns(), p("defaults").unknowns()],
        None,
        |_, _| {
            Err(FnError::call(
                "this function is experimental and available only when the experiment keyword module_variable_optional_attrs is enabled for the current module",
            ))
        },
    );
    // tglint does not track sensitivity, so both are the identity. (Terraform's
    // `nonsensitive` fails on a value that is not sensitive; tglint cannot tell.)
    f.add(
        "sensitive",
        &[p("value").nullable().unknowns()],
        None,
        |_, a| Ok(a.into_iter().next().unwrap_or_else(Value::null)),
    );
    f.add(
        "nonsensitive",
        &[p("value").nullable().unknowns()],
        None,
        |_, a| Ok(a.into_iter().next().unwrap_or_else(Value::null)),
    );
}

// ---------------------------------------------------------------------------------------
// Helpers

type Cx<'a> = super::CallCtx<'a>;

/// The arguments of a fixed-arity function (the registry has checked the count).
fn fixed<const N: usize>(args: Vec<Value>) -> Result<[Value; N], FnError> {
    args.try_into()
        .map_err(|a: Vec<Value>| FnError::call(format!("expected {N} arguments, got {}", a.len())))
}

/// HCL's implicit conversion of argument `i` to its parameter's type.
fn conv_arg(i: usize, v: Value, want: &Ty) -> Result<Value, FnError> {
    convert(v, want).map_err(|m| FnError::arg(i, m))
}

fn num_arg(i: usize, v: Value) -> Result<Number, FnError> {
    let v = conv_arg(i, v, &Ty::Number)?;
    v.as_number()
        .cloned()
        .ok_or_else(|| FnError::arg(i, "argument must not be null"))
}

/// The elements of a list, tuple or set, moved out.
fn into_items(v: Value) -> Vec<Value> {
    match v.data {
        Data::Seq(_, items) => Arc::unwrap_or_clone(items).into_vec(),
        _ => Vec::new(),
    }
}

/// The element type of a list or set (dynamic for anything else). It unifies the
/// elements' types: ask only for a result that is empty.
fn seq_elem(v: &Value) -> Ty {
    match &v.data {
        Data::Seq(SeqKind::List | SeqKind::Set, items) => items_elem_ty(items),
        _ => Ty::Dynamic,
    }
}

fn items(v: &Value) -> &[Value] {
    v.as_seq().unwrap_or(&[])
}

fn count(n: usize) -> Value {
    Value::int(i64::try_from(n).unwrap_or(i64::MAX))
}

/// An unknown result, with the reason of the first unknown found in `vals`.
fn unknown_of(vals: &[&Value]) -> Value {
    vals.iter()
        .find(|v| !v.is_wholly_known())
        .map(|v| v.unknown_like())
        .unwrap_or_else(|| Value::unknown("depends on an unknown value"))
}

/// A key equal for two wholly known values exactly when Terraform's `==` holds: the HCL
/// text keeps kinds apart (`tolist(` vs `[`, `tomap(` vs `{`) and prints equal numbers
/// alike.
fn eq_key(v: &Value) -> String {
    v.to_string()
}

/// Whether two types are the same, a dynamic type matching anything: for values with
/// unknowns, which tglint gives no type where cty would know better.
fn same_type(a: &Ty, b: &Ty) -> bool {
    match (a, b) {
        (Ty::Dynamic, _) | (_, Ty::Dynamic) => true,
        (Ty::List(x), Ty::List(y)) | (Ty::Set(x), Ty::Set(y)) | (Ty::Map(x), Ty::Map(y)) => {
            same_type(x, y)
        }
        (Ty::Tuple(x), Ty::Tuple(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(x, y)| same_type(x, y))
        }
        (Ty::Object(x), Ty::Object(y)) => {
            x.len() == y.len()
                && x.iter()
                    .zip(y)
                    .all(|((kx, x), (ky, y))| kx == ky && same_type(x, y))
        }
        (a, b) => a == b,
    }
}

// ---------------------------------------------------------------------------------------
// Functions

fn alltrue(_: &Cx<'_>, args: Vec<Value>) -> FnResult {
    let [list] = fixed(args)?;
    let list = conv_arg(0, list, &Ty::list(Ty::Bool))?;
    for v in items(&list) {
        match v.data {
            Data::Unknown(_) => return Ok(v.unknown_like()),
            Data::Null | Data::Bool(false) => return Ok(Value::bool(false)),
            _ => {}
        }
    }
    Ok(if list.is_known() {
        Value::bool(true)
    } else {
        list
    })
}

fn anytrue(_: &Cx<'_>, args: Vec<Value>) -> FnResult {
    let [list] = fixed(args)?;
    let list = conv_arg(0, list, &Ty::list(Ty::Bool))?;
    if !list.is_known() {
        return Ok(list);
    }
    let mut unknown = None;
    for v in items(&list) {
        match v.data {
            Data::Unknown(_) => unknown = unknown.or_else(|| Some(v.unknown_like())),
            Data::Bool(true) => return Ok(Value::bool(true)),
            _ => {}
        }
    }
    Ok(unknown.unwrap_or_else(|| Value::bool(false)))
}

fn chunklist(_: &Cx<'_>, args: Vec<Value>) -> FnResult {
    let [list, size] = fixed(args)?;
    let list = conv_arg(0, list, &Ty::list(Ty::Dynamic))?;
    let size = num_arg(1, size)?;
    if !list.is_known() {
        return Ok(list);
    }
    if items(&list).is_empty() {
        return Ok(Value::list_of(&Ty::list(seq_elem(&list)), Vec::new()));
    }
    let size = whole_i64(&size).map_err(|m| FnError::call(format!("invalid index: {m}")))?;
    if size < 0 {
        return Err(FnError::call("the size argument must be positive"));
    }
    if size == 0 {
        return Ok(Value::list(vec![list]));
    }
    let size = usize::try_from(size).unwrap_or(usize::MAX);
    let mut out = Vec::new();
    let mut chunk = Vec::new();
    for v in into_items(list) {
        chunk.push(v);
        if chunk.len() == size {
            out.push(Value::list(std::mem::take(&mut chunk)));
        }
    }
    if !chunk.is_empty() {
        out.push(Value::list(chunk));
    }
    Ok(Value::list(out))
}

fn coalesce(_: &Cx<'_>, args: Vec<Value>) -> FnResult {
    let tys: Vec<Ty> = args.iter().map(ty_of).collect();
    let ret = unify(&tys).ok_or_else(|| FnError::call("all arguments must have the same type"))?;
    for a in args {
        let a = convert(a, &ret).map_err(FnError::call)?;
        if !a.is_known() {
            return Ok(a);
        }
        if a.is_null() || (ret == Ty::String && a.as_str() == Some("")) {
            continue;
        }
        return Ok(a);
    }
    Err(FnError::call("no non-null, non-empty-string arguments"))
}

fn coalescelist(_: &Cx<'_>, args: Vec<Value>) -> FnResult {
    if args.is_empty() {
        return Err(FnError::call("at least one argument is required"));
    }
    for a in &args {
        if !a.is_known() {
            break;
        }
        if !matches!(a.data, Data::Seq(SeqKind::List | SeqKind::Tuple, _)) {
            return Err(FnError::call(
                "coalescelist arguments must be lists or tuples",
            ));
        }
    }
    for a in args {
        if !a.is_known() || !items(&a).is_empty() {
            return Ok(a);
        }
    }
    Err(FnError::call("no non-null arguments"))
}

fn compact(_: &Cx<'_>, args: Vec<Value>) -> FnResult {
    let [list] = fixed(args)?;
    let list = conv_arg(0, list, &Ty::list(Ty::String))?;
    if !list.is_wholly_known() {
        return Ok(list.unknown_like());
    }
    let out = into_items(list)
        .into_iter()
        .filter(|v| !v.is_null() && v.as_str() != Some(""))
        .collect();
    Ok(Value::list_of(&Ty::String, out))
}

fn concat(_: &Cx<'_>, args: Vec<Value>) -> FnResult {
    if args.is_empty() {
        return Err(FnError::call("at least one argument is required"));
    }
    let all_lists = args
        .iter()
        .all(|a| matches!(a.data, Data::Seq(SeqKind::List, _)));
    if all_lists {
        let tys: Vec<Ty> = args.iter().map(ty_of).collect();
        if let Some(common) = unify(&tys) {
            let mut out = Vec::new();
            for (i, a) in args.into_iter().enumerate() {
                out.extend(into_items(conv_arg(i, a, &common)?));
            }
            return Ok(Value::list_of(
                common.element().unwrap_or(&Ty::Dynamic),
                out,
            ));
        }
    }
    for (i, a) in args.iter().enumerate() {
        if !matches!(a.data, Data::Seq(SeqKind::List | SeqKind::Tuple, _)) {
            return Err(FnError::arg(
                i,
                format!(
                    "all arguments must be lists or tuples; got {}",
                    friendly(&ty_of(a))
                ),
            ));
        }
    }
    Ok(Value::tuple(
        args.into_iter().flat_map(into_items).collect(),
    ))
}

fn contains(_: &Cx<'_>, args: Vec<Value>) -> FnResult {
    let [list, value] = fixed(args)?;
    let Data::Seq(_, elems) = &list.data else {
        return Err(FnError::call("argument must be list, tuple, or set"));
    };
    let mut unknown = false;
    for v in elems.iter() {
        match value.equals(v) {
            Some(true) => return Ok(Value::bool(true)),
            None => unknown = true,
            Some(false) => {}
        }
    }
    Ok(if unknown {
        unknown_of(&[&value, &list])
    } else {
        Value::bool(false)
    })
}

fn distinct(_: &Cx<'_>, args: Vec<Value>) -> FnResult {
    let [list] = fixed(args)?;
    let list = conv_arg(0, list, &Ty::list(Ty::Dynamic))?;
    if !list.is_wholly_known() {
        return Ok(list.unknown_like());
    }
    let ety = if items(&list).is_empty() {
        seq_elem(&list)
    } else {
        Ty::Dynamic
    };
    let mut seen = HashSet::new();
    let out = into_items(list)
        .into_iter()
        .filter(|v| seen.insert(eq_key(v)))
        .collect();
    Ok(Value::list_of(&ety, out))
}

fn element(_: &Cx<'_>, args: Vec<Value>) -> FnResult {
    let [list, index] = fixed(args)?;
    let index = num_arg(1, index)?;
    if index.is_sign_negative() && !index.is_zero() {
        return Err(FnError::call(
            "cannot use element function with a negative index",
        ));
    }
    if !matches!(list.data, Data::Seq(SeqKind::List | SeqKind::Tuple, _)) {
        return Err(FnError::call(format!(
            "cannot read elements from {}",
            friendly(&ty_of(&list))
        )));
    }
    let index = whole_i64(&index).map_err(|m| FnError::call(format!("invalid index: {m}")))?;
    let elems = into_items(list);
    if elems.is_empty() {
        return Err(FnError::call(
            "cannot use element function with an empty list",
        ));
    }
    // `index` is not negative here.
    let at = index.unsigned_abs() % elems.len() as u64;
    let at = usize::try_from(at).unwrap_or(0);
    Ok(elems.into_iter().nth(at).unwrap_or_else(Value::null))
}

fn flatten(_: &Cx<'_>, args: Vec<Value>) -> FnResult {
    let [list] = fixed(args)?;
    if !matches!(list.data, Data::Seq(..)) {
        return Err(FnError::call("can only flatten lists, sets and tuples"));
    }
    let mut out = Vec::new();
    match flatten_into(list, &mut out) {
        Ok(()) => Ok(Value::tuple(out)),
        Err(unknown) => Ok(unknown),
    }
}

/// Appends the leaves of a sequence. cty flattens an unknown *list* into an unknown result
/// but keeps an unknown string in place; tglint's unknowns carry no type, so any unknown
/// element makes the result unknown (its length cannot be known).
fn flatten_into(seq: Value, out: &mut Vec<Value>) -> Result<(), Value> {
    for v in into_items(seq) {
        match v.data {
            Data::Seq(..) => flatten_into(v, out)?,
            Data::Unknown(_) => return Err(v.unknown_like()),
            _ => out.push(v),
        }
    }
    Ok(())
}

fn index(_: &Cx<'_>, args: Vec<Value>) -> FnResult {
    let [list, value] = fixed(args)?;
    let Data::Seq(SeqKind::List | SeqKind::Tuple, elems) = &list.data else {
        return Err(FnError::call("argument must be a list or tuple"));
    };
    if elems.is_empty() {
        return Err(FnError::call("cannot search an empty list"));
    }
    for (i, v) in elems.iter().enumerate() {
        match v.equals(&value) {
            None => return Ok(unknown_of(&[v, &value])),
            Some(true) => return Ok(count(i)),
            Some(false) => {}
        }
    }
    Err(FnError::call("item not found"))
}

fn keys(_: &Cx<'_>, args: Vec<Value>) -> FnResult {
    let [m] = fixed(args)?;
    match m.data {
        Data::Map(kind, m) => {
            let keys = m.keys().cloned().map(Value::string).collect();
            Ok(match kind {
                MapKind::Map => Value::list_of(&Ty::String, keys),
                MapKind::Object => Value::tuple(keys),
            })
        }
        _ => Err(FnError::arg(0, "must have map or object type")),
    }
}

fn length(_: &Cx<'_>, args: Vec<Value>) -> FnResult {
    let [v] = fixed(args)?;
    match &v.data {
        Data::String(s) => Ok(count(grapheme_count(s))),
        // Unknown set elements may turn out equal to others and merge.
        Data::Seq(SeqKind::Set, elems) if elems.len() > 1 && !v.is_wholly_known() => {
            Ok(v.unknown_like())
        }
        Data::Seq(_, elems) => Ok(count(elems.len())),
        Data::Map(_, m) => Ok(count(m.len())),
        _ => Err(FnError::call(
            "argument must be a string, a collection type, or a structural type",
        )),
    }
}

fn lookup(_: &Cx<'_>, args: Vec<Value>) -> FnResult {
    if args.len() > 3 {
        return Err(FnError::call(format!(
            "lookup() takes two or three arguments, got {}",
            args.len()
        )));
    }
    let mut it = args.into_iter();
    let (Some(map), Some(key)) = (it.next(), it.next()) else {
        return Err(FnError::call("lookup() takes two or three arguments"));
    };
    let default = it.next();
    let key = conv_arg(1, key, &Ty::String)?;
    let key = key.as_str().unwrap_or_default().to_string();
    let Data::Map(kind, m) = &map.data else {
        return Err(FnError::arg(
            0,
            "lookup() requires a map as the first argument",
        ));
    };
    // For a map, the default must convert to the element type; for an object it is
    // returned as it is.
    let default = match (kind, default) {
        (MapKind::Map, Some(d)) => Some(convert(d, &entries_elem_ty(m)).map_err(|_| {
            FnError::arg(
                2,
                "the default value must have the same type as the map elements",
            )
        })?),
        (MapKind::Object, None) if !m.contains_key(&key) => {
            return Err(FnError::arg(
                0,
                format!("the given object has no attribute {}", go::quote(&key)),
            ));
        }
        (_, d) => d,
    };
    if !map.is_wholly_known() {
        return Ok(map.unknown_like());
    }
    if let Data::Map(_, m) = &map.data
        && let Some(v) = m.get(&key)
    {
        return Ok(v.clone());
    }
    default.ok_or_else(|| FnError::call(format!("lookup failed to find key {}", go::quote(&key))))
}

fn matchkeys(cx: &Cx<'_>, args: Vec<Value>) -> FnResult {
    let [values, keys, search] = fixed(args)?;
    let any_list = Ty::list(Ty::Dynamic);
    let values = conv_arg(0, values, &any_list)?;
    let keys = conv_arg(1, keys, &any_list)?;
    let search = conv_arg(2, search, &any_list)?;
    let common = unify(&[ty_of(&keys), ty_of(&search)])
        .ok_or_else(|| FnError::call("keys and searchset must be of the same type"))?;
    if !values.is_known() || !keys.is_known() || !search.is_known() {
        return Ok(unknown_of(&[&values, &keys, &search]));
    }
    if items(&values).len() != items(&keys).len() {
        return Err(FnError::call("length of keys and values should be equal"));
    }
    let keys = convert(keys, &common).map_err(FnError::call)?;
    let search = convert(search, &common).map_err(FnError::call)?;
    // The result is a list of the values' element type, even when empty.
    let empty = || Value::list_of(&seq_elem(&values), Vec::new());
    if items(&search).is_empty() {
        return Ok(empty());
    }
    if !values.is_wholly_known() || !keys.is_wholly_known() {
        return Ok(unknown_of(&[&values, &keys]));
    }
    // Every key is compared with every search value: charge that work up front.
    let pairs = (items(&keys).len() as u64).saturating_mul(items(&search).len() as u64);
    cx.budget.charge(Resource::Steps, pairs)?;
    let mut out = Vec::new();
    for (k, v) in items(&keys).iter().zip(items(&values)) {
        for s in items(&search) {
            match k.equals(s) {
                // Terraform answers an empty list when a comparison is unknown.
                None => return Ok(empty()),
                Some(true) => {
                    out.push(v.clone());
                    break;
                }
                Some(false) => {}
            }
        }
    }
    Ok(if out.is_empty() {
        empty()
    } else {
        Value::list(out)
    })
}

fn merge(_: &Cx<'_>, args: Vec<Value>) -> FnResult {
    for a in &args {
        if !a.is_null() && !matches!(a.data, Data::Map(..)) {
            return Err(FnError::call(format!(
                "arguments must be maps or objects, got {}",
                go::quote(&friendly(&ty_of(a)))
            )));
        }
    }
    if !args.is_empty() && args.iter().all(Value::is_null) {
        return Ok(Value::null());
    }
    // The result is a map only when every argument is a map of the same type (the first
    // argument's, kept by an empty result); a null argument has no type here, which makes
    // the result an object as in cty. Types are compared exactly (`tomap({})`'s
    // `map(dynamic)` is not `transpose({})`'s `map(list(string))`) unless a value has
    // unknowns, whose types tglint does not know.
    let all_maps = !args.is_empty()
        && args
            .iter()
            .all(|a| matches!(a.data, Data::Map(MapKind::Map, _)));
    let first = all_maps.then(|| args.first().map(ty_of)).flatten();
    let all_maps = all_maps && {
        let known = args.iter().all(Value::is_wholly_known);
        args.iter().all(|a| {
            first.as_ref().is_some_and(|f| {
                let t = ty_of(a);
                if known { *f == t } else { same_type(f, &t) }
            })
        })
    };
    let mut out = BTreeMap::new();
    for a in args {
        if let Data::Map(_, m) = a.data {
            out.extend(Arc::unwrap_or_clone(m));
        }
    }
    Ok(match first.as_ref().and_then(Ty::element) {
        Some(ety) if all_maps => Value::map_of(ety, out),
        _ if all_maps => Value::map(out),
        _ => Value::object(out),
    })
}

fn one(_: &Cx<'_>, args: Vec<Value>) -> FnResult {
    let [list] = fixed(args)?;
    let is_set = matches!(list.data, Data::Seq(SeqKind::Set, _));
    if !matches!(list.data, Data::Seq(..)) {
        return Err(FnError::arg(
            0,
            "must be a list, set, or tuple value with either zero or one elements",
        ));
    }
    if is_set && items(&list).len() > 1 && !list.is_wholly_known() {
        return Ok(list.unknown_like());
    }
    let mut elems = into_items(list);
    match elems.len() {
        0 => Ok(Value::null()),
        1 => Ok(elems.pop().unwrap_or_else(Value::null)),
        _ => Err(FnError::arg(
            0,
            "must be a list, set, or tuple value with either zero or one elements",
        )),
    }
}

fn range(_: &Cx<'_>, args: Vec<Value>) -> FnResult {
    let nums = args
        .into_iter()
        .enumerate()
        .map(|(i, v)| num_arg(i, v))
        .collect::<Result<Vec<_>, _>>()?;
    let zero = Number::int(0);
    // A step of -1 where the end is below the start, else 1.
    let unit =
        |end: &Number, start: &Number| Number::int(if end.cmp_num(start).is_lt() { -1 } else { 1 });
    let (start, end, step) = match nums.as_slice() {
        [end] => (zero.clone(), end.clone(), unit(end, &zero)),
        [start, end] => (start.clone(), end.clone(), unit(end, start)),
        [start, end, step] => (start.clone(), end.clone(), step.clone()),
        _ => return Err(FnError::call("must have one, two, or three arguments")),
    };
    // cty compares the step with zero by identity, which never holds for a value from
    // configuration: a zero step runs into the 1024-value limit (or yields nothing).
    let down = step.cmp_num(&zero).is_lt();
    if down && end.cmp_num(&start).is_gt() {
        return Err(FnError::arg(
            1,
            "end must be less than start when step is negative",
        ));
    }
    if !down && end.cmp_num(&start).is_lt() {
        return Err(FnError::arg(
            1,
            "end must be greater than start when step is positive",
        ));
    }
    let mut vals = Vec::new();
    let mut num = start;
    loop {
        let done = if down {
            num.cmp_num(&end).is_le()
        } else {
            num.cmp_num(&end).is_ge()
        };
        if done {
            break;
        }
        if vals.len() >= RANGE_LIMIT {
            return Err(FnError::call(
                "more than 1024 values were generated; either decrease the difference between start and end or use a smaller step",
            ));
        }
        vals.push(Value::number(num.clone()));
        num = num
            .add(&step)
            .map_err(|_| FnError::call("can't compute sum of opposing infinities"))?;
    }
    Ok(Value::list_of(&Ty::Number, vals))
}

fn reverse(_: &Cx<'_>, args: Vec<Value>) -> FnResult {
    let [list] = fixed(args)?;
    match list.data {
        Data::Seq(kind, elems) => {
            let ety = if elems.is_empty() {
                items_elem_ty(&elems)
            } else {
                Ty::Dynamic
            };
            let mut elems = Arc::unwrap_or_clone(elems).into_vec();
            elems.reverse();
            Ok(match kind {
                SeqKind::Tuple => Value::tuple(elems),
                SeqKind::List | SeqKind::Set => Value::list_of(&ety, elems),
            })
        }
        _ => Err(FnError::arg(
            0,
            format!(
                "can only reverse list or tuple values, not {}",
                friendly(&ty_of(&list))
            ),
        )),
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum SetOp {
    Union,
    Intersection,
    Subtract,
}

fn set_operation(args: Vec<Value>, op: SetOp) -> FnResult {
    let any_set = Ty::set(Ty::Dynamic);
    let sets = args
        .into_iter()
        .enumerate()
        .map(|(i, a)| conv_arg(i, a, &any_set))
        .collect::<Result<Vec<_>, _>>()?;
    // Empty sets of no element type convert to anything and take no part in choosing the
    // element type (cty's `setOperationReturnType`); `toset(compact([]))` does.
    let etys: Vec<Ty> = sets
        .iter()
        .map(seq_elem)
        .zip(&sets)
        .filter(|(ety, s)| !(s.is_known() && items(s).is_empty() && *ety == Ty::Dynamic))
        .map(|(ety, _)| ety)
        .collect();
    let ety = if etys.is_empty() {
        Ty::Dynamic
    } else {
        unify(&etys)
            .ok_or_else(|| FnError::call("given sets must all have compatible element types"))?
    };
    let want = Ty::set(ety.clone());
    let mut converted = Vec::with_capacity(sets.len());
    for (i, s) in sets.into_iter().enumerate() {
        let s = conv_arg(i, s, &want)?;
        // cty keeps unknown elements in a union; tglint's sets cannot keep them apart (see
        // `make_set`), so any unknown makes the result unknown.
        if !s.is_wholly_known() {
            return Ok(s.unknown_like());
        }
        converted.push(into_items(s));
    }
    let mut sets = converted.into_iter();
    let mut acc = sets.next().unwrap_or_default();
    for other in sets {
        match op {
            SetOp::Union => acc.extend(other),
            SetOp::Intersection | SetOp::Subtract => {
                let keys: HashSet<String> = other.iter().map(eq_key).collect();
                let keep = op == SetOp::Intersection;
                acc.retain(|v| keys.contains(&eq_key(v)) == keep);
            }
        }
    }
    Ok(Value::set_of(&ety, acc))
}

fn setproduct(_: &Cx<'_>, args: Vec<Value>) -> FnResult {
    if args.len() < 2 {
        return Err(FnError::call("at least two arguments are required"));
    }
    let mut lists = 0;
    let mut etys = Vec::with_capacity(args.len());
    for (i, a) in args.iter().enumerate() {
        match &a.data {
            Data::Seq(SeqKind::Set, elems) => etys.push(items_elem_ty(elems)),
            Data::Seq(SeqKind::List, elems) => {
                etys.push(items_elem_ty(elems));
                lists += 1;
            }
            Data::Seq(SeqKind::Tuple, elems) => {
                let ety = if elems.is_empty() {
                    Ty::Dynamic
                } else {
                    let tys: Vec<Ty> = elems.iter().map(ty_of).collect();
                    unify(&tys)
                        .ok_or_else(|| FnError::arg(i, "all elements must be of the same type"))?
                };
                etys.push(ety);
                lists += 1;
            }
            _ => return Err(FnError::arg(i, "a set or a list is required")),
        }
    }
    let as_list = lists == args.len();
    for a in &args {
        if matches!(a.data, Data::Seq(SeqKind::Set, _))
            && items(a).len() > 1
            && !a.is_wholly_known()
        {
            return Ok(a.unknown_like());
        }
    }
    if args.iter().any(|a| items(a).is_empty()) {
        // A collection of tuples of the arguments' element types, even when empty.
        let ety = Ty::Tuple(etys);
        return Ok(if as_list {
            Value::list_of(&ety, Vec::new())
        } else {
            Value::set_of(&ety, Vec::new())
        });
    }
    let total = args
        .iter()
        .try_fold(1usize, |acc, a| acc.checked_mul(items(a).len()))
        .filter(|t| *t <= PRODUCT_LIMIT);
    let Some(total) = total else {
        return Ok(Value::unknown(format!(
            "setproduct would build more than {PRODUCT_LIMIT} elements, which tglint does not evaluate"
        )));
    };
    let mut columns = Vec::with_capacity(args.len());
    for (a, ety) in args.into_iter().zip(&etys) {
        let col = into_items(a)
            .into_iter()
            .map(|v| convert(v, ety))
            .collect::<Result<Vec<_>, _>>()
            .map_err(FnError::call)?;
        columns.push(col);
    }
    let mut at = vec![0usize; columns.len()];
    let mut product = Vec::with_capacity(total);
    for _ in 0..total {
        let tuple = columns
            .iter()
            .zip(&at)
            .filter_map(|(col, &i)| col.get(i).cloned())
            .collect();
        product.push(Value::tuple(tuple));
        for j in (0..columns.len()).rev() {
            at[j] += 1;
            if at[j] < columns[j].len() {
                break;
            }
            at[j] = 0;
        }
    }
    Ok(if as_list {
        Value::list(product)
    } else {
        make_set(product)
    })
}

fn slice(_: &Cx<'_>, args: Vec<Value>) -> FnResult {
    let [list, start, end] = fixed(args)?;
    let start = num_arg(1, start)?;
    let end = num_arg(2, end)?;
    let kind = match list.data {
        Data::Seq(SeqKind::Set, _) => {
            return Err(FnError::arg(
                0,
                "cannot slice a set, because its elements do not have indices; explicitly convert to a list if the ordering of the result is not important",
            ));
        }
        Data::Seq(kind, _) => kind,
        _ => return Err(FnError::arg(0, "must be a list or tuple value")),
    };
    let len = i64::try_from(items(&list).len()).unwrap_or(i64::MAX);
    let start =
        whole_i64(&start).map_err(|m| FnError::arg(1, format!("invalid start index: {m}")))?;
    if start < 0 {
        return Err(FnError::arg(1, "start index must not be less than zero"));
    }
    if start > len {
        return Err(FnError::arg(
            1,
            "start index must not be greater than the length of the list",
        ));
    }
    let end = whole_i64(&end).map_err(|m| FnError::arg(2, format!("invalid end index: {m}")))?;
    if end < 0 {
        return Err(FnError::arg(2, "end index must not be less than zero"));
    }
    if end > len {
        return Err(FnError::arg(
            2,
            "end index must not be greater than the length of the list",
        ));
    }
    if start > end {
        return Err(FnError::arg(
            1,
            "start index must not be greater than end index",
        ));
    }
    // Both indices lie within 0..=len here.
    let skip = usize::try_from(start).unwrap_or(0);
    let take = usize::try_from(end - start).unwrap_or(0);
    let ety = if take == 0 {
        seq_elem(&list)
    } else {
        Ty::Dynamic
    };
    let out = into_items(list).into_iter().skip(skip).take(take).collect();
    Ok(Value::seq_of(kind, &ety, out))
}

fn sort(_: &Cx<'_>, args: Vec<Value>) -> FnResult {
    let [list] = fixed(args)?;
    let list = conv_arg(0, list, &Ty::list(Ty::String))?;
    if !list.is_wholly_known() {
        return Ok(list.unknown_like());
    }
    let mut elems = into_items(list);
    if let Some(i) = elems.iter().position(Value::is_null) {
        return Err(FnError::call(format!(
            "given list element {i} is null; a null string cannot be sorted"
        )));
    }
    elems.sort_by(|a, b| a.as_str().cmp(&b.as_str()));
    Ok(Value::list_of(&Ty::String, elems))
}

fn sum(_: &Cx<'_>, args: Vec<Value>) -> FnResult {
    let [list] = fixed(args)?;
    let (elems_len, is_seq) = match &list.data {
        Data::Seq(_, elems) => (elems.len(), true),
        Data::Map(_, m) => (m.len(), false),
        _ => return Err(FnError::arg(0, "cannot sum noniterable")),
    };
    if elems_len == 0 {
        return Err(FnError::arg(0, "cannot sum an empty list"));
    }
    if !is_seq {
        return Err(FnError::arg(
            0,
            format!(
                "argument must be list, set, or tuple. Received {}",
                friendly(&ty_of(&list))
            ),
        ));
    }
    if !list.is_wholly_known() {
        return Ok(list.unknown_like());
    }
    let not_numbers = || FnError::arg(0, "argument must be list, set, or tuple of number values");
    let mut total: Option<Number> = None;
    for v in into_items(list) {
        if v.is_null() {
            return Err(not_numbers());
        }
        let n = convert(v, &Ty::Number)
            .ok()
            .and_then(|v| v.as_number().cloned())
            .ok_or_else(not_numbers)?;
        total = Some(match total {
            None => n,
            Some(t) => t
                .add(&n)
                .map_err(|_| FnError::call("can't compute sum of opposing infinities"))?,
        });
    }
    Ok(Value::number(total.unwrap_or(Number::int(0))))
}

fn transpose(_: &Cx<'_>, args: Vec<Value>) -> FnResult {
    let [m] = fixed(args)?;
    let m = conv_arg(0, m, &Ty::map(Ty::list(Ty::String)))?;
    if !m.is_wholly_known() {
        return Ok(m.unknown_like());
    }
    let bad = || FnError::call("input must be a map of lists of strings");
    let mut out: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for (key, list) in m.as_map().into_iter().flatten() {
        let Data::Seq(_, elems) = &list.data else {
            return Err(bad());
        };
        for v in elems.iter() {
            let s = v.as_str().ok_or_else(bad)?;
            out.entry(s.to_string()).or_default().push(key.clone());
        }
    }
    let out = out
        .into_iter()
        .map(|(k, mut keys)| {
            keys.sort();
            (
                k,
                Value::list_of(&Ty::String, keys.into_iter().map(Value::string).collect()),
            )
        })
        .collect();
    Ok(Value::map_of(&Ty::list(Ty::String), out))
}

fn values(_: &Cx<'_>, args: Vec<Value>) -> FnResult {
    let [m] = fixed(args)?;
    match m.data {
        Data::Map(MapKind::Map, m) if m.is_empty() => {
            Ok(Value::list_of(&entries_elem_ty(&m), Vec::new()))
        }
        Data::Map(MapKind::Map, m) => Ok(Value::list(m.values().cloned().collect())),
        Data::Map(MapKind::Object, m) => Ok(Value::tuple(m.values().cloned().collect())),
        _ => Err(FnError::call(
            "values() requires a map as the first argument",
        )),
    }
}

fn zipmap(_: &Cx<'_>, args: Vec<Value>) -> FnResult {
    let [keys, vals] = fixed(args)?;
    let keys = conv_arg(0, keys, &Ty::list(Ty::String))?;
    let as_object = match vals.data {
        Data::Seq(SeqKind::List, _) => false,
        Data::Seq(SeqKind::Tuple, _) => true,
        _ => {
            return Err(FnError::call(
                "values argument must be a list or tuple value",
            ));
        }
    };
    if !keys.is_wholly_known() {
        return Ok(keys.unknown_like());
    }
    let (nk, nv) = (items(&keys).len(), items(&vals).len());
    if nk != nv {
        return Err(FnError::call(format!(
            "number of keys ({nk}) does not match number of values ({nv})"
        )));
    }
    if let Some(i) = items(&keys).iter().position(Value::is_null) {
        return Err(FnError::call(format!(
            "keys list has null value at index {i}"
        )));
    }
    // A list of values makes a map of their element type, even when empty.
    let ety = if items(&vals).is_empty() {
        seq_elem(&vals)
    } else {
        Ty::Dynamic
    };
    let out: BTreeMap<String, Value> = into_items(keys)
        .into_iter()
        .zip(into_items(vals))
        .map(|(k, v)| (k.as_str().unwrap_or_default().to_string(), v))
        .collect();
    Ok(if as_object {
        Value::object(out)
    } else {
        Value::map_of(&ety, out)
    })
}

/// The number of extended grapheme clusters in `s` (UAX #29), as cty's `Strlen` counts
/// them.
pub(crate) fn grapheme_count(s: &str) -> usize {
    super::strings::graphemes(s).count()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::functions::CallError;
    use crate::functions::testing::*;

    fn map(pairs: &[(&str, Value)]) -> Value {
        Value::map(
            pairs
                .iter()
                .map(|(k, v)| (k.to_string(), v.clone()))
                .collect(),
        )
    }
    fn list(items: Vec<Value>) -> Value {
        Value::list(items)
    }
    fn strs(xs: &[&str]) -> Value {
        tup(xs.iter().map(|x| s(x)).collect())
    }
    fn b(x: bool) -> Value {
        Value::bool(x)
    }
    fn unk() -> Value {
        Value::unknown("r")
    }
    fn null() -> Value {
        Value::null()
    }

    /// The message of a call expected to fail (argument or call error alike).
    fn msg(name: &str, args: Vec<Value>) -> String {
        match call(name, args) {
            Err(CallError::Arg { msg, .. }) | Err(CallError::Call(msg)) => msg,
            other => panic!("{name}: expected an error, got {other:?}"),
        }
    }

    fn is_unknown(v: &Value) -> bool {
        !v.is_known()
    }

    #[test]
    fn alltrue_and_anytrue() {
        shows(&ok("alltrue", vec![tup(vec![s("true"), b(true)])]), "true");
        shows(&ok("alltrue", vec![tup(vec![b(true), b(false)])]), "false");
        shows(&ok("alltrue", vec![tup(vec![])]), "true");
        shows(&ok("alltrue", vec![tup(vec![b(true), null()])]), "false");
        assert!(is_unknown(&ok("alltrue", vec![tup(vec![b(true), unk()])])));
        shows(&ok("anytrue", vec![tup(vec![s("true")])]), "true");
        shows(&ok("anytrue", vec![tup(vec![b(true), b(false)])]), "true");
        shows(&ok("anytrue", vec![tup(vec![])]), "false");
        // A known true wins over an unknown.
        shows(&ok("anytrue", vec![tup(vec![unk(), b(true)])]), "true");
        assert!(is_unknown(&ok("anytrue", vec![tup(vec![unk(), b(false)])])));
        assert_eq!(
            msg("alltrue", vec![tup(vec![n(1)])]),
            "element 0: bool required"
        );
        assert_eq!(msg("anytrue", vec![s("x")]), "list of bool required");
        assert_eq!(
            msg("alltrue", vec![tup(vec![s("yes")])]),
            "a bool is required"
        );
        assert_eq!(msg("alltrue", vec![null()]), "argument must not be null");
    }

    #[test]
    fn chunklist_examples() {
        let abcde = strs(&["a", "b", "c", "d", "e"]);
        shows(
            &ok("chunklist", vec![abcde.clone(), n(2)]),
            r#"tolist([tolist(["a", "b"]), tolist(["c", "d"]), tolist(["e"])])"#,
        );
        shows(
            &ok("chunklist", vec![abcde.clone(), n(0)]),
            r#"tolist([tolist(["a", "b", "c", "d", "e"])])"#,
        );
        shows(&ok("chunklist", vec![tup(vec![]), n(-1)]), "tolist([])");
        assert_eq!(
            msg("chunklist", vec![abcde.clone(), n(-1)]),
            "the size argument must be positive"
        );
        assert!(
            msg("chunklist", vec![abcde, Value::float(1.5)])
                .starts_with("invalid index: value must be a whole number")
        );
        assert_eq!(
            msg("chunklist", vec![tup(vec![n(1), b(true)]), n(1)]),
            "all list elements must have the same type"
        );
        // Unknown elements are carried along.
        shows(
            &ok("chunklist", vec![tup(vec![s("a"), unk()]), n(1)]),
            r#"tolist([tolist(["a"]), tolist([(unknown: r)])])"#,
        );
        assert!(is_unknown(&ok("chunklist", vec![unk(), n(1)])));
    }

    #[test]
    fn coalesce_examples() {
        shows(&ok("coalesce", vec![s("a"), s("b")]), r#""a""#);
        shows(&ok("coalesce", vec![s(""), s("b")]), r#""b""#);
        shows(&ok("coalesce", vec![n(1), n(2)]), "1");
        shows(&ok("coalesce", vec![null(), s("x")]), r#""x""#);
        // Arguments are unified first: the number becomes a string.
        shows(&ok("coalesce", vec![n(1), s("b")]), r#""1""#);
        assert!(is_unknown(&ok("coalesce", vec![null(), unk(), s("b")])));
        shows(&ok("coalesce", vec![s("a"), unk()]), r#""a""#);
        assert_eq!(
            msg("coalesce", vec![s(""), null()]),
            "no non-null, non-empty-string arguments"
        );
        assert_eq!(
            msg("coalesce", vec![n(1), b(true)]),
            "all arguments must have the same type"
        );
        assert_eq!(
            msg("coalesce", vec![]),
            "all arguments must have the same type"
        );
    }

    #[test]
    fn coalescelist_examples() {
        let ab = strs(&["a", "b"]);
        let cd = strs(&["c", "d"]);
        shows(
            &ok("coalescelist", vec![ab.clone(), cd.clone()]),
            r#"["a", "b"]"#,
        );
        shows(
            &ok("coalescelist", vec![tup(vec![]), cd.clone()]),
            r#"["c", "d"]"#,
        );
        assert!(is_unknown(&ok(
            "coalescelist",
            vec![tup(vec![]), unk(), cd]
        )));
        shows(&ok("coalescelist", vec![ab, unk()]), r#"["a", "b"]"#);
        assert_eq!(
            msg("coalescelist", vec![tup(vec![])]),
            "no non-null arguments"
        );
        assert_eq!(
            msg("coalescelist", vec![s("a")]),
            "coalescelist arguments must be lists or tuples"
        );
        assert_eq!(
            msg("coalescelist", vec![null(), tup(vec![n(1)])]),
            "coalescelist arguments must be lists or tuples"
        );
        assert_eq!(
            msg("coalescelist", vec![]),
            "at least one argument is required"
        );
    }

    #[test]
    fn compact_examples() {
        shows(
            &ok("compact", vec![strs(&["a", "", "b", "c"])]),
            r#"tolist(["a", "b", "c"])"#,
        );
        shows(
            &ok("compact", vec![tup(vec![s("a"), null(), n(1)])]),
            r#"tolist(["a", "1"])"#,
        );
        shows(&ok("compact", vec![tup(vec![])]), "tolist([])");
        assert!(is_unknown(&ok("compact", vec![tup(vec![s("a"), unk()])])));
        assert_eq!(
            msg("compact", vec![tup(vec![tup(vec![])])]),
            "element 0: string required"
        );
    }

    #[test]
    fn concat_examples() {
        shows(
            &ok("concat", vec![strs(&["a", ""]), strs(&["b", "c"])]),
            r#"["a", "", "b", "c"]"#,
        );
        // Lists of unifiable types give a list.
        shows(
            &ok("concat", vec![list(vec![s("a")]), list(vec![n(1)])]),
            r#"tolist(["a", "1"])"#,
        );
        // A list and a tuple give a tuple.
        shows(
            &ok("concat", vec![list(vec![s("a")]), tup(vec![n(1)])]),
            r#"["a", 1]"#,
        );
        // Lists that cannot unify give a tuple too.
        shows(
            &ok("concat", vec![list(vec![n(1)]), list(vec![b(true)])]),
            "[1, true]",
        );
        shows(
            &ok("concat", vec![tup(vec![s("a"), unk()])]),
            r#"["a", (unknown: r)]"#,
        );
        assert!(is_unknown(&ok("concat", vec![tup(vec![]), unk()])));
        assert_eq!(
            msg("concat", vec![tup(vec![]), Value::set(vec![s("a")])]),
            "all arguments must be lists or tuples; got set of string"
        );
        assert_eq!(msg("concat", vec![]), "at least one argument is required");
        assert_eq!(msg("concat", vec![null()]), "argument must not be null");
    }

    #[test]
    fn contains_examples() {
        let abc = strs(&["a", "b", "c"]);
        shows(&ok("contains", vec![abc.clone(), s("a")]), "true");
        shows(&ok("contains", vec![abc.clone(), s("d")]), "false");
        // No conversion: 1 is not "1".
        shows(&ok("contains", vec![strs(&["1"]), n(1)]), "false");
        shows(&ok("contains", vec![tup(vec![]), s("a")]), "false");
        shows(
            &ok("contains", vec![tup(vec![unk(), s("a")]), s("a")]),
            "true",
        );
        assert!(is_unknown(&ok(
            "contains",
            vec![tup(vec![unk(), s("a")]), s("b")]
        )));
        assert!(is_unknown(&ok("contains", vec![abc, unk()])));
        assert_eq!(
            msg("contains", vec![s("abc"), s("a")]),
            "argument must be list, tuple, or set"
        );
    }

    #[test]
    fn distinct_examples() {
        shows(
            &ok("distinct", vec![strs(&["a", "b", "a", "c", "d", "b"])]),
            r#"tolist(["a", "b", "c", "d"])"#,
        );
        shows(
            &ok("distinct", vec![tup(vec![s("1"), n(1)])]),
            r#"tolist(["1"])"#,
        );
        shows(&ok("distinct", vec![tup(vec![])]), "tolist([])");
        assert!(is_unknown(&ok("distinct", vec![tup(vec![s("a"), unk()])])));
        assert_eq!(
            msg("distinct", vec![tup(vec![n(1), b(true)])]),
            "all list elements must have the same type"
        );
    }

    #[test]
    fn element_examples() {
        let abc = strs(&["a", "b", "c"]);
        shows(&ok("element", vec![abc.clone(), n(1)]), r#""b""#);
        shows(&ok("element", vec![abc.clone(), n(3)]), r#""a""#);
        shows(&ok("element", vec![abc.clone(), n(2)]), r#""c""#);
        shows(
            &ok("element", vec![list(vec![s("x"), s("y")]), s("3")]),
            r#""y""#,
        );
        assert_eq!(
            msg("element", vec![abc.clone(), n(-1)]),
            "cannot use element function with a negative index"
        );
        assert_eq!(
            msg("element", vec![tup(vec![]), n(0)]),
            "cannot use element function with an empty list"
        );
        assert_eq!(
            msg("element", vec![Value::set(vec![s("a")]), n(0)]),
            "cannot read elements from set of string"
        );
        assert!(
            msg("element", vec![abc.clone(), Value::float(0.5)])
                .starts_with("invalid index: value must be a whole number")
        );
        assert!(is_unknown(&ok("element", vec![abc.clone(), unk()])));
        shows(
            &ok("element", vec![tup(vec![unk(), s("b")]), n(1)]),
            r#""b""#,
        );
        assert!(is_unknown(&ok(
            "element",
            vec![tup(vec![unk(), s("b")]), n(0)]
        )));
        assert_eq!(msg("element", vec![abc, s("x")]), "a number is required");
    }

    #[test]
    fn flatten_examples() {
        let v = tup(vec![strs(&["a", "b"]), tup(vec![]), strs(&["c"])]);
        shows(&ok("flatten", vec![v]), r#"["a", "b", "c"]"#);
        let v = tup(vec![
            tup(vec![strs(&["a", "b"]), tup(vec![])]),
            strs(&["c"]),
        ]);
        shows(&ok("flatten", vec![v]), r#"["a", "b", "c"]"#);
        let v = tup(vec![
            list(vec![n(1)]),
            Value::set(vec![n(3), n(2)]),
            obj(&[("a", n(1))]),
        ]);
        shows(&ok("flatten", vec![v]), "[1, 2, 3, { a = 1 }]");
        shows(&ok("flatten", vec![tup(vec![])]), "[]");
        assert!(is_unknown(&ok(
            "flatten",
            vec![tup(vec![s("a"), tup(vec![unk()])])]
        )));
        // An unknown nested inside a leaf value does not matter.
        shows(
            &ok("flatten", vec![tup(vec![tup(vec![obj(&[("a", unk())])])])]),
            "[{ a = (unknown: r) }]",
        );
        assert_eq!(
            msg("flatten", vec![s("a")]),
            "can only flatten lists, sets and tuples"
        );
    }

    #[test]
    fn index_examples() {
        shows(&ok("index", vec![strs(&["a", "b", "c"]), s("b")]), "1");
        assert_eq!(msg("index", vec![strs(&["a"]), s("z")]), "item not found");
        assert_eq!(
            msg("index", vec![tup(vec![]), s("z")]),
            "cannot search an empty list"
        );
        assert_eq!(
            msg("index", vec![Value::set(vec![s("a")]), s("a")]),
            "argument must be a list or tuple"
        );
        assert!(is_unknown(&ok(
            "index",
            vec![tup(vec![unk(), s("b")]), s("b")]
        )));
        shows(&ok("index", vec![tup(vec![s("b"), unk()]), s("b")]), "0");
    }

    #[test]
    fn keys_and_values_examples() {
        let o = obj(&[("a", n(1)), ("c", n(2)), ("d", n(3))]);
        shows(&ok("keys", vec![o.clone()]), r#"["a", "c", "d"]"#);
        shows(&ok("values", vec![o]), "[1, 2, 3]");
        let m = map(&[("b", s("x")), ("a", s("y"))]);
        shows(&ok("keys", vec![m.clone()]), r#"tolist(["a", "b"])"#);
        shows(&ok("values", vec![m]), r#"tolist(["y", "x"])"#);
        shows(&ok("keys", vec![obj(&[])]), "[]");
        shows(&ok("keys", vec![map(&[])]), "tolist([])");
        shows(&ok("values", vec![obj(&[])]), "[]");
        shows(&ok("keys", vec![obj(&[("a", unk())])]), r#"["a"]"#);
        shows(&ok("values", vec![obj(&[("a", unk())])]), "[(unknown: r)]");
        assert!(is_unknown(&ok("keys", vec![unk()])));
        assert_eq!(
            msg("keys", vec![strs(&["a"])]),
            "must have map or object type"
        );
        assert_eq!(
            msg("values", vec![strs(&["a"])]),
            "values() requires a map as the first argument"
        );
        assert_eq!(msg("keys", vec![null()]), "argument must not be null");
    }

    #[test]
    fn length_examples() {
        shows(&ok("length", vec![tup(vec![])]), "0");
        shows(&ok("length", vec![strs(&["a", "b"])]), "2");
        shows(&ok("length", vec![obj(&[("a", s("b"))])]), "1");
        shows(&ok("length", vec![s("hello")]), "5");
        shows(&ok("length", vec![s("👾🕹️")]), "2");
        shows(&ok("length", vec![s("e\u{301}")]), "1");
        shows(&ok("length", vec![s("🇩🇪🇫🇷")]), "2");
        shows(&ok("length", vec![s("👩‍👩‍👧")]), "1");
        shows(&ok("length", vec![s("\r\n")]), "1");
        shows(&ok("length", vec![s("한국어")]), "3");
        shows(&ok("length", vec![s("")]), "0");
        // A known collection with unknown elements has a known length.
        shows(&ok("length", vec![tup(vec![unk(), unk()])]), "2");
        shows(&ok("length", vec![list(vec![unk()])]), "1");
        assert!(is_unknown(&ok(
            "length",
            vec![Value::set(vec![s("a"), unk()])]
        )));
        assert!(is_unknown(&ok("length", vec![unk()])));
        assert_eq!(
            msg("length", vec![n(1)]),
            "argument must be a string, a collection type, or a structural type"
        );
        assert_eq!(msg("length", vec![null()]), "argument must not be null");
    }

    #[test]
    fn lookup_examples() {
        let o = obj(&[("a", s("ay")), ("b", s("bee"))]);
        shows(
            &ok("lookup", vec![o.clone(), s("a"), s("what?")]),
            r#""ay""#,
        );
        shows(
            &ok("lookup", vec![o.clone(), s("c"), s("what?")]),
            r#""what?""#,
        );
        shows(&ok("lookup", vec![o.clone(), s("a")]), r#""ay""#);
        // An object's default is returned as it is; a map's is converted.
        shows(&ok("lookup", vec![o.clone(), s("c"), n(1)]), "1");
        let m = map(&[("a", s("x"))]);
        shows(&ok("lookup", vec![m.clone(), s("c"), n(1)]), r#""1""#);
        shows(&ok("lookup", vec![m.clone(), s("c"), null()]), "null");
        assert_eq!(
            msg("lookup", vec![m.clone(), s("c")]),
            r#"lookup failed to find key "c""#
        );
        assert_eq!(
            msg("lookup", vec![o.clone(), s("c")]),
            r#"the given object has no attribute "c""#
        );
        assert_eq!(
            msg("lookup", vec![m.clone(), s("c"), tup(vec![])]),
            "the default value must have the same type as the map elements"
        );
        assert_eq!(
            msg("lookup", vec![strs(&["a"]), s("a")]),
            "lookup() requires a map as the first argument"
        );
        assert_eq!(
            msg("lookup", vec![m.clone(), s("a"), s("b"), s("c")]),
            "lookup() takes two or three arguments, got 4"
        );
        assert_eq!(
            msg("lookup", vec![m.clone(), tup(vec![])]),
            "string required"
        );
        // Number keys are converted to strings.
        shows(
            &ok("lookup", vec![map(&[("1", s("one"))]), n(1)]),
            r#""one""#,
        );
        assert!(is_unknown(&ok(
            "lookup",
            vec![obj(&[("a", s("x")), ("b", unk())]), s("a")]
        )));
        assert!(is_unknown(&ok("lookup", vec![m.clone(), unk()])));
        assert!(is_unknown(&ok("lookup", vec![m, s("z"), unk()])));
    }

    #[test]
    fn matchkeys_examples() {
        let v = ok(
            "matchkeys",
            vec![
                strs(&["i-123", "i-abc", "i-def"]),
                strs(&["us-west", "us-east", "us-east"]),
                strs(&["us-east"]),
            ],
        );
        shows(&v, r#"tolist(["i-abc", "i-def"])"#);
        // Keys and search set unify: 1 matches "1".
        let v = ok(
            "matchkeys",
            vec![strs(&["x", "y"]), strs(&["1", "2"]), tup(vec![n(1)])],
        );
        shows(&v, r#"tolist(["x"])"#);
        shows(
            &ok("matchkeys", vec![strs(&["x"]), strs(&["a"]), tup(vec![])]),
            "tolist([])",
        );
        assert_eq!(
            msg(
                "matchkeys",
                vec![strs(&["x"]), strs(&["a", "b"]), strs(&["a"])]
            ),
            "length of keys and values should be equal"
        );
        assert_eq!(
            msg(
                "matchkeys",
                vec![strs(&["x"]), tup(vec![n(1)]), tup(vec![b(true)])]
            ),
            "keys and searchset must be of the same type"
        );
        assert!(is_unknown(&ok(
            "matchkeys",
            vec![tup(vec![unk()]), strs(&["a"]), strs(&["a"])]
        )));
        // An unknown comparison gives Terraform's empty list.
        shows(
            &ok(
                "matchkeys",
                vec![strs(&["x"]), strs(&["a"]), tup(vec![unk()])],
            ),
            "tolist([])",
        );
    }

    #[test]
    fn merge_examples() {
        let v = ok(
            "merge",
            vec![
                obj(&[("a", s("b")), ("c", s("d"))]),
                obj(&[("e", s("f")), ("c", s("z"))]),
            ],
        );
        shows(&v, r#"{ a = "b", c = "z", e = "f" }"#);
        let v = ok(
            "merge",
            vec![
                obj(&[("a", s("b"))]),
                obj(&[("a", tup(vec![n(1), n(2)])), ("c", s("z"))]),
                obj(&[("d", n(3))]),
            ],
        );
        shows(&v, r#"{ a = [1, 2], c = "z", d = 3 }"#);
        // Maps of one type stay a map; otherwise the result is an object.
        let v = ok("merge", vec![map(&[("a", s("x"))]), map(&[("b", s("y"))])]);
        shows(&v, r#"tomap({ a = "x", b = "y" })"#);
        let v = ok("merge", vec![map(&[("a", s("x"))]), map(&[("b", n(1))])]);
        shows(&v, r#"{ a = "x", b = 1 }"#);
        let v = ok("merge", vec![map(&[("a", s("x"))]), obj(&[("b", s("y"))])]);
        shows(&v, r#"{ a = "x", b = "y" }"#);
        shows(&ok("merge", vec![null(), obj(&[("a", n(1))])]), "{ a = 1 }");
        assert!(ok("merge", vec![null(), null()]).is_null());
        shows(&ok("merge", vec![]), "{}");
        // Unknown values pass through.
        shows(
            &ok("merge", vec![obj(&[("a", unk())])]),
            "{ a = (unknown: r) }",
        );
        assert!(is_unknown(&ok("merge", vec![obj(&[]), unk()])));
        assert_eq!(
            msg("merge", vec![obj(&[]), s("x")]),
            r#"arguments must be maps or objects, got "string""#
        );
    }

    #[test]
    fn one_examples() {
        assert!(ok("one", vec![tup(vec![])]).is_null());
        shows(&ok("one", vec![strs(&["hello"])]), r#""hello""#);
        assert!(ok("one", vec![Value::set(vec![])]).is_null());
        shows(&ok("one", vec![list(vec![n(1)])]), "1");
        assert_eq!(
            msg("one", vec![strs(&["hello", "goodbye"])]),
            "must be a list, set, or tuple value with either zero or one elements"
        );
        assert_eq!(
            msg("one", vec![s("x")]),
            "must be a list, set, or tuple value with either zero or one elements"
        );
        assert!(is_unknown(&ok("one", vec![tup(vec![unk()])])));
    }

    #[test]
    fn range_examples() {
        shows(&ok("range", vec![n(3)]), "tolist([0, 1, 2])");
        shows(&ok("range", vec![n(1), n(4)]), "tolist([1, 2, 3])");
        shows(&ok("range", vec![n(1), n(8), n(2)]), "tolist([1, 3, 5, 7])");
        shows(
            &ok("range", vec![n(1), n(4), Value::float(0.5)]),
            "tolist([1, 1.5, 2, 2.5, 3, 3.5])",
        );
        shows(&ok("range", vec![n(4), n(1)]), "tolist([4, 3, 2])");
        shows(&ok("range", vec![n(10), n(5), n(-2)]), "tolist([10, 8, 6])");
        shows(&ok("range", vec![n(-3)]), "tolist([0, -1, -2])");
        shows(&ok("range", vec![n(0)]), "tolist([])");
        shows(&ok("range", vec![s("2")]), "tolist([0, 1])");
        assert_eq!(
            msg("range", vec![n(0), n(2000)]),
            "more than 1024 values were generated; either decrease the difference between start and end or use a smaller step"
        );
        assert!(msg("range", vec![n(0), n(1), n(0)]).starts_with("more than 1024 values"));
        assert_eq!(
            msg("range", vec![n(1), n(4), n(-1)]),
            "end must be less than start when step is negative"
        );
        assert_eq!(
            msg("range", vec![n(4), n(1), n(1)]),
            "end must be greater than start when step is positive"
        );
        assert_eq!(
            msg("range", vec![]),
            "must have one, two, or three arguments"
        );
        assert_eq!(
            msg("range", vec![n(1), n(2), n(3), n(4)]),
            "must have one, two, or three arguments"
        );
        assert_eq!(msg("range", vec![s("x")]), "a number is required");
        assert!(is_unknown(&ok("range", vec![unk()])));
    }

    #[test]
    fn reverse_examples() {
        shows(
            &ok("reverse", vec![tup(vec![n(1), n(2), n(3)])]),
            "[3, 2, 1]",
        );
        shows(
            &ok("reverse", vec![list(vec![n(1), n(2)])]),
            "tolist([2, 1])",
        );
        shows(
            &ok("reverse", vec![Value::set(vec![n(1), n(2)])]),
            "tolist([2, 1])",
        );
        shows(&ok("reverse", vec![tup(vec![])]), "[]");
        assert_eq!(
            msg("reverse", vec![s("ab")]),
            "can only reverse list or tuple values, not string"
        );
    }

    #[test]
    fn set_operations_examples() {
        let v = ok(
            "setintersection",
            vec![strs(&["a", "b"]), strs(&["b", "c"]), strs(&["b", "d"])],
        );
        shows(&v, r#"toset(["b"])"#);
        let v = ok(
            "setsubtract",
            vec![strs(&["a", "b", "c"]), strs(&["a", "c"])],
        );
        shows(&v, r#"toset(["b"])"#);
        let v = ok(
            "setunion",
            vec![strs(&["a", "b"]), strs(&["b", "c"]), strs(&["d"])],
        );
        shows(&v, r#"toset(["a", "b", "c", "d"])"#);
        shows(&ok("setunion", vec![strs(&["a"])]), r#"toset(["a"])"#);
        // Element types unify: 1 and "1" are the same element.
        let v = ok("setunion", vec![tup(vec![n(1)]), strs(&["1", "2"])]);
        shows(&v, r#"toset(["1", "2"])"#);
        let v = ok("setintersection", vec![tup(vec![]), strs(&["a"])]);
        shows(&v, "toset([])");
        shows(
            &ok("setsubtract", vec![tup(vec![]), tup(vec![])]),
            "toset([])",
        );
        assert_eq!(
            msg("setunion", vec![tup(vec![n(1)]), tup(vec![b(true)])]),
            "given sets must all have compatible element types"
        );
        assert_eq!(
            msg("setunion", vec![s("a")]),
            "set of any single type required"
        );
        assert_eq!(
            msg("setintersection", vec![tup(vec![n(1), b(true)])]),
            "all set elements must have the same type"
        );
        assert!(is_unknown(&ok(
            "setsubtract",
            vec![strs(&["a"]), tup(vec![unk()])]
        )));
        assert!(is_unknown(&ok("setunion", vec![strs(&["a"]), unk()])));
    }

    #[test]
    fn setproduct_examples() {
        let v = ok(
            "setproduct",
            vec![
                strs(&["development", "staging", "production"]),
                strs(&["app1", "app2"]),
            ],
        );
        shows(
            &v,
            r#"tolist([["development", "app1"], ["development", "app2"], ["staging", "app1"], ["staging", "app2"], ["production", "app1"], ["production", "app2"]])"#,
        );
        let v = ok(
            "setproduct",
            vec![Value::set(vec![s("b"), s("a")]), tup(vec![n(1), s("x")])],
        );
        shows(
            &v,
            r#"toset([["a", "1"], ["a", "x"], ["b", "1"], ["b", "x"]])"#,
        );
        shows(
            &ok("setproduct", vec![strs(&["a"]), tup(vec![])]),
            "tolist([])",
        );
        shows(
            &ok("setproduct", vec![Value::set(vec![]), strs(&["a"])]),
            "toset([])",
        );
        assert_eq!(
            msg("setproduct", vec![strs(&["a"])]),
            "at least two arguments are required"
        );
        assert_eq!(
            msg("setproduct", vec![strs(&["a"]), s("b")]),
            "a set or a list is required"
        );
        assert_eq!(
            msg("setproduct", vec![strs(&["a"]), tup(vec![n(1), b(true)])]),
            "all elements must be of the same type"
        );
        let big: Vec<Value> = (0..400).map(n).collect();
        let v = ok(
            "setproduct",
            vec![tup(big.clone()), tup(big.clone()), tup(big)],
        );
        assert!(is_unknown(&v));
        // Unknown elements of a list product are carried along.
        let v = ok("setproduct", vec![tup(vec![unk()]), strs(&["a"])]);
        shows(&v, r#"tolist([[(unknown: r), "a"]])"#);
    }

    #[test]
    fn slice_examples() {
        let abcd = strs(&["a", "b", "c", "d"]);
        shows(
            &ok("slice", vec![abcd.clone(), n(1), n(3)]),
            r#"["b", "c"]"#,
        );
        shows(
            &ok("slice", vec![list(vec![s("a"), s("b")]), n(0), n(1)]),
            r#"tolist(["a"])"#,
        );
        shows(&ok("slice", vec![abcd.clone(), n(4), n(4)]), "[]");
        assert_eq!(
            msg("slice", vec![abcd.clone(), n(3), n(1)]),
            "start index must not be greater than end index"
        );
        assert_eq!(
            msg("slice", vec![abcd.clone(), n(-1), n(1)]),
            "start index must not be less than zero"
        );
        assert_eq!(
            msg("slice", vec![abcd.clone(), n(0), n(5)]),
            "end index must not be greater than the length of the list"
        );
        assert_eq!(
            msg("slice", vec![abcd.clone(), n(5), n(5)]),
            "start index must not be greater than the length of the list"
        );
        assert!(
            msg("slice", vec![abcd, Value::float(0.5), n(1)])
                .starts_with("invalid start index: value must be a whole number")
        );
        assert!(
            msg("slice", vec![Value::set(vec![s("a")]), n(0), n(1)])
                .starts_with("cannot slice a set")
        );
        assert_eq!(
            msg("slice", vec![s("abc"), n(0), n(1)]),
            "must be a list or tuple value"
        );
    }

    #[test]
    fn sort_examples() {
        shows(
            &ok("sort", vec![strs(&["e", "d", "a", "x"])]),
            r#"tolist(["a", "d", "e", "x"])"#,
        );
        // Numbers sort as strings.
        shows(
            &ok("sort", vec![tup(vec![n(3), n(10), n(2)])]),
            r#"tolist(["10", "2", "3"])"#,
        );
        shows(&ok("sort", vec![tup(vec![])]), "tolist([])");
        assert!(is_unknown(&ok("sort", vec![tup(vec![s("a"), unk()])])));
        assert_eq!(
            msg("sort", vec![tup(vec![s("a"), null()])]),
            "given list element 1 is null; a null string cannot be sorted"
        );
        assert_eq!(
            msg("sort", vec![tup(vec![obj(&[])])]),
            "element 0: string required"
        );
    }

    #[test]
    fn sum_examples() {
        shows(
            &ok(
                "sum",
                vec![tup(vec![n(10), n(13), n(6), Value::float(4.5)])],
            ),
            "33.5",
        );
        shows(&ok("sum", vec![Value::set(vec![n(1), n(2)])]), "3");
        shows(&ok("sum", vec![tup(vec![s("1"), n(2)])]), "3");
        assert_eq!(msg("sum", vec![tup(vec![])]), "cannot sum an empty list");
        assert_eq!(msg("sum", vec![s("1")]), "cannot sum noniterable");
        assert_eq!(
            msg("sum", vec![obj(&[("a", n(1))])]),
            "argument must be list, set, or tuple. Received object"
        );
        assert_eq!(
            msg("sum", vec![tup(vec![n(1), s("x")])]),
            "argument must be list, set, or tuple of number values"
        );
        assert_eq!(
            msg("sum", vec![tup(vec![n(1), null()])]),
            "argument must be list, set, or tuple of number values"
        );
        let inf = Value::number(Number::infinity(false));
        let ninf = Value::number(Number::infinity(true));
        assert_eq!(
            msg("sum", vec![tup(vec![inf, ninf])]),
            "can't compute sum of opposing infinities"
        );
        assert!(is_unknown(&ok("sum", vec![tup(vec![n(1), unk()])])));
    }

    #[test]
    fn transpose_examples() {
        let v = ok(
            "transpose",
            vec![obj(&[("a", strs(&["1", "2"])), ("b", strs(&["2", "3"]))])],
        );
        shows(
            &v,
            r#"tomap({ "1" = tolist(["a"]), "2" = tolist(["a", "b"]), "3" = tolist(["b"]) })"#,
        );
        shows(&ok("transpose", vec![obj(&[])]), "tomap({})");
        assert!(is_unknown(&ok(
            "transpose",
            vec![obj(&[("a", tup(vec![unk()]))])]
        )));
        assert_eq!(
            msg("transpose", vec![obj(&[("a", s("x"))])]),
            r#"element "a": list of string required"#
        );
        assert_eq!(
            msg("transpose", vec![strs(&["a"])]),
            "map of list of string required"
        );
    }

    #[test]
    fn zipmap_examples() {
        shows(
            &ok("zipmap", vec![strs(&["a", "b"]), tup(vec![n(1), n(2)])]),
            "{ a = 1, b = 2 }",
        );
        shows(
            &ok("zipmap", vec![strs(&["a", "b"]), list(vec![n(1), n(2)])]),
            "tomap({ a = 1, b = 2 })",
        );
        shows(&ok("zipmap", vec![tup(vec![]), tup(vec![])]), "{}");
        assert_eq!(
            msg("zipmap", vec![strs(&["a"]), tup(vec![n(1), n(2)])]),
            "number of keys (1) does not match number of values (2)"
        );
        assert_eq!(
            msg("zipmap", vec![tup(vec![null()]), tup(vec![n(1)])]),
            "keys list has null value at index 0"
        );
        assert_eq!(
            msg("zipmap", vec![strs(&["a"]), s("x")]),
            "values argument must be a list or tuple value"
        );
        assert!(is_unknown(&ok(
            "zipmap",
            vec![tup(vec![unk()]), tup(vec![n(1)])]
        )));
        shows(
            &ok("zipmap", vec![strs(&["a"]), tup(vec![unk()])]),
            "{ a = (unknown: r) }",
        );
    }

    #[test]
    fn removed_and_experimental_functions_fail() {
        assert_eq!(
            msg("list", vec![s("a")]),
            r#"the "list" function was deprecated in Terraform v0.12 and is no longer available; use tolist([ ... ]) syntax to write a literal list"#
        );
        assert_eq!(
            msg("map", vec![]),
            r#"the "map" function was deprecated in Terraform v0.12 and is no longer available; use tomap({ ... }) syntax to write a literal map"#
        );
        assert_eq!(
            msg("defaults", vec![obj(&[]), obj(&[])]),
            "this function is experimental and available only when the experiment keyword module_variable_optional_attrs is enabled for the current module"
        );
        assert_eq!(
            msg("defaults", vec![unk(), obj(&[])]),
            "this function is experimental and available only when the experiment keyword module_variable_optional_attrs is enabled for the current module"
        );
    }

    #[test]
    fn sensitive_is_identity() {
        err("sensitive", vec![], "NotEnoughArgs");
        shows(&ok("sensitive", vec![s("x")]), r#""x""#);
        shows(&ok("nonsensitive", vec![s("x")]), r#""x""#);
        assert!(ok("sensitive", vec![null()]).is_null());
        assert!(is_unknown(&ok("nonsensitive", vec![unk()])));
    }

    #[test]
    fn pass_through_values_keep_their_origin() {
        use crate::span::{FileId, Origin, Span};
        let o = Some(Origin::new(Span::new(FileId(2), 5..9)));
        let v = s("x").with_origin(o);
        let got = ok("element", vec![tup(vec![v.clone()]), n(0)]);
        assert_eq!(got.origin, o);
        let got = ok("merge", vec![obj(&[("a", v.clone())])]);
        assert_eq!(
            got.as_map().and_then(|m| m.get("a")).and_then(|v| v.origin),
            o
        );
        let got = ok("lookup", vec![obj(&[("a", v)]), s("a")]);
        assert_eq!(got.origin, o);
    }

    #[test]
    fn odd_inputs_never_panic() {
        let inf = Value::number(Number::infinity(false));
        let pool = vec![
            null(),
            unk(),
            s(""),
            s("1"),
            n(-1),
            n(i64::MAX),
            Value::float(1.5),
            inf,
            tup(vec![]),
            tup(vec![null(), unk()]),
            list(vec![s("a"), null()]),
            Value::set(vec![n(1), unk()]),
            obj(&[("a", null()), ("b", tup(vec![unk()]))]),
            map(&[("k", strs(&["v"]))]),
            tup(vec![obj(&[("a", n(1))]), tup(vec![n(1)]), b(true)]),
        ];
        let names = [
            "alltrue",
            "anytrue",
            "chunklist",
            "coalesce",
            "coalescelist",
            "compact",
            "concat",
            "contains",
            "distinct",
            "element",
            "flatten",
            "index",
            "keys",
            "length",
            "lookup",
            "matchkeys",
            "merge",
            "one",
            "range",
            "reverse",
            "setintersection",
            "setsubtract",
            "setunion",
            "setproduct",
            "slice",
            "sort",
            "sum",
            "transpose",
            "values",
            "zipmap",
            "tostring",
            "tonumber",
            "tobool",
            "tolist",
            "toset",
            "tomap",
        ];
        let mut calls = 0;
        for name in names {
            let _ = call(name, vec![]);
            for a in &pool {
                let _ = call(name, vec![a.clone()]);
                for b in &pool {
                    let _ = call(name, vec![a.clone(), b.clone()]);
                    for c in pool.iter().step_by(3) {
                        let _ = call(name, vec![a.clone(), b.clone(), c.clone()]);
                        calls += 1;
                    }
                }
            }
        }
        assert!(calls > 10_000);
    }

    // The types of typed empty results, each as `terraform console` (Terraform 1.11)
    // answers `type(...)`; `error` where it refuses the expression.

    #[test]
    fn typed_empty_map_functions() {
        types(&[
            ("transpose({})", "map(list(string))"),
            ("transpose({a = []})", "map(list(string))"),
            ("transpose({a = range(0)})", "map(list(string))"),
            ("transpose(tomap({a = range(0)}))", "map(list(string))"),
            (r#"transpose(tomap({a = regexall("(a)", "b")}))"#, "error"),
            ("keys(tomap({}))", "list(string)"),
            ("keys(transpose({}))", "list(string)"),
            ("keys({})", "tuple([])"),
            ("values(tomap({}))", "list(dynamic)"),
            ("values(transpose({}))", "list(list(string))"),
            ("values({})", "tuple([])"),
            (
                r#"values(zipmap([], regexall("(a)", "b")))"#,
                "list(tuple([string]))",
            ),
            ("zipmap([], [])", "object({})"),
            ("zipmap([], tolist([]))", "map(dynamic)"),
            ("zipmap([], compact([]))", "map(string)"),
            ("zipmap(compact([]), range(0))", "map(number)"),
            (
                r#"zipmap([], regexall("(a)", "b"))"#,
                "map(tuple([string]))",
            ),
            (
                r#"zipmap(["a"], tolist([compact([])]))"#,
                "map(list(string))",
            ),
            (r#"zipmap(regexall("(a)", "b"), [])"#, "error"),
        ]);
    }

    #[test]
    fn typed_empty_list_functions() {
        types(&[
            ("compact([])", "list(string)"),
            ("compact(tolist([]))", "list(string)"),
            ("compact(range(0))", "list(string)"),
            (r#"compact(["", null])"#, "list(string)"),
            (r#"compact(regexall("(a)", "b"))"#, "error"),
            ("sort([])", "list(string)"),
            ("sort(range(0))", "list(string)"),
            (r#"sort(regexall("(a)", "b"))"#, "error"),
            ("distinct([])", "list(dynamic)"),
            ("distinct(compact([]))", "list(string)"),
            ("distinct(range(0))", "list(number)"),
            (r#"distinct(regexall("(a)", "b"))"#, "list(tuple([string]))"),
            ("distinct([tolist([]), compact([])])", "list(list(string))"),
            ("reverse([])", "tuple([])"),
            ("reverse(tolist([]))", "list(dynamic)"),
            ("reverse(compact([]))", "list(string)"),
            ("reverse(toset(compact([])))", "list(string)"),
            ("slice([], 0, 0)", "tuple([])"),
            (r#"slice(["a"], 0, 0)"#, "tuple([])"),
            ("slice(compact([]), 0, 0)", "list(string)"),
            // The element type of a non-empty list carries over to an empty slice.
            (r#"slice(tolist(["a"]), 0, 0)"#, "list(string)"),
            (
                r#"slice(regexall("(a)", "b"), 0, 0)"#,
                "list(tuple([string]))",
            ),
            ("range(0)", "list(number)"),
            ("range(0, 0)", "list(number)"),
            ("flatten([])", "tuple([])"),
            ("flatten([compact([])])", "tuple([])"),
            ("flatten(tolist([]))", "tuple([])"),
            ("alltrue(compact([]))", "bool"),
            ("alltrue(range(0))", "error"),
            ("anytrue(range(0))", "error"),
        ]);
    }

    #[test]
    fn typed_empty_chunklist_and_setproduct() {
        types(&[
            ("chunklist([], 2)", "list(list(dynamic))"),
            ("chunklist(compact([]), 2)", "list(list(string))"),
            ("chunklist(range(0), 0)", "list(list(number))"),
            (
                r#"chunklist(regexall("(a)", "b"), 1)"#,
                "list(list(tuple([string])))",
            ),
            ("setproduct([], [])", "list(tuple([dynamic, dynamic]))"),
            (
                "setproduct([], toset([]))",
                "set(tuple([dynamic, dynamic]))",
            ),
            (
                r#"setproduct(toset([]), ["a"])"#,
                "set(tuple([dynamic, string]))",
            ),
            (
                r#"setproduct(compact([]), ["a"])"#,
                "list(tuple([string, string]))",
            ),
            ("setproduct([1], [])", "list(tuple([number, dynamic]))"),
            (
                "setproduct(tolist([]), compact([]))",
                "list(tuple([dynamic, string]))",
            ),
            (
                "setproduct(range(0), toset(compact([])))",
                "set(tuple([number, string]))",
            ),
            (
                r#"setproduct(regexall("(a)", "b"), ["x"])"#,
                "list(tuple([tuple([string]), string]))",
            ),
        ]);
    }

    #[test]
    fn typed_empty_concat_and_coalesce() {
        types(&[
            ("concat([])", "tuple([])"),
            ("concat(tolist([]))", "list(dynamic)"),
            ("concat(compact([]))", "list(string)"),
            ("concat(compact([]), [])", "tuple([])"),
            ("concat(compact([]), [1])", "tuple([number])"),
            ("concat(compact([]), tolist([]))", "list(string)"),
            ("concat(tolist([]), compact([]))", "list(string)"),
            // The lists unify to list(string), so 1 becomes "1".
            ("concat(compact([]), tolist([1]))", "list(string)"),
            ("concat(compact([]), range(0))", "list(string)"),
            ("concat(tolist([]), tolist([1]))", "list(number)"),
            ("concat(range(0), tolist([true]))", "tuple([bool])"),
            (
                r#"concat(regexall("(a)", "b"), tolist([1]))"#,
                "tuple([number])",
            ),
            ("concat(toset(compact([])))", "error"),
            ("coalesce(compact([]), [1])", "list(string)"),
            ("coalesce(compact([]), tolist([1]))", "list(string)"),
            ("coalesce(tomap({}), {a = 1})", "map(number)"),
            ("coalesce(transpose({}), tomap({a = 1}))", "error"),
            ("coalesce(transpose({}), {a = 1})", "error"),
            ("coalescelist(compact([]), [])", "error"),
            ("coalescelist(compact([]), [1])", "tuple([number])"),
            ("coalescelist(compact([]), tolist([1]))", "list(number)"),
        ]);
    }

    #[test]
    fn typed_empty_set_operations() {
        types(&[
            ("setunion(toset([]))", "set(dynamic)"),
            ("setunion([], [])", "set(dynamic)"),
            ("setunion(toset(compact([])))", "set(string)"),
            ("setunion(toset(compact([])), toset([]))", "set(string)"),
            // An empty set of strings takes part in choosing the element type...
            ("setunion(toset(compact([])), toset([1]))", "set(string)"),
            (
                "setunion(toset(compact([])), toset(range(0)))",
                "set(string)",
            ),
            // ...an empty set of no element type does not.
            ("setunion(toset([]), toset([1]))", "set(number)"),
            ("setunion(toset(range(0)), toset([true]))", "error"),
            (
                r#"setunion(toset(regexall("(a)", "b")), toset(["x"]))"#,
                "error",
            ),
            (
                "setunion(toset([tolist([])]), toset([compact([])]))",
                "set(list(string))",
            ),
            (
                "setintersection(toset(compact([])), toset([1]))",
                "set(string)",
            ),
            (
                r#"setintersection(toset(["a"]), toset(["b"]))"#,
                "set(string)",
            ),
            (
                r#"setintersection(toset(range(0)), toset(["a", "1"]))"#,
                "set(string)",
            ),
            (r#"setsubtract(toset(["a"]), toset(["a"]))"#, "set(string)"),
            ("setsubtract(toset([1]), toset([1]))", "set(number)"),
            ("setsubtract([], [])", "set(dynamic)"),
        ]);
    }

    #[test]
    fn typed_empty_matchkeys() {
        types(&[
            ("matchkeys([], [], [])", "list(dynamic)"),
            ("matchkeys(compact([]), [], [])", "list(string)"),
            ("matchkeys(range(0), [], [])", "list(number)"),
            (r#"matchkeys(["a"], ["x"], ["y"])"#, "list(string)"),
            (r#"matchkeys([1], ["x"], ["y"])"#, "list(number)"),
            (r#"matchkeys(["a"], [1], ["y"])"#, "list(string)"),
            (r#"matchkeys(["a"], ["x"], [])"#, "list(string)"),
            ("matchkeys(compact([]), compact([]), [1])", "list(string)"),
            (
                r#"matchkeys(regexall("(a)", "b"), [], [])"#,
                "list(tuple([string]))",
            ),
        ]);
    }

    #[test]
    fn typed_empty_merge() {
        types(&[
            ("merge()", "object({})"),
            ("merge({})", "object({})"),
            ("merge(tomap({}))", "map(dynamic)"),
            ("merge(tomap({}), tomap({}))", "map(dynamic)"),
            ("merge(transpose({}))", "map(list(string))"),
            ("merge(transpose({}), transpose({}))", "map(list(string))"),
            // Maps of different types make an object.
            ("merge(transpose({}), tomap({}))", "object({})"),
            ("merge(tomap({}), tomap({a = 1}))", "object({a: number})"),
            (
                r#"merge(tomap({a = ["x"]}), transpose({}))"#,
                "object({a: tuple([string])})",
            ),
            (
                "merge(tomap({a = compact([])}), tomap({b = tolist([])}))",
                "object({a: list(string), b: list(dynamic)})",
            ),
            ("merge(transpose({}), {})", "object({})"),
            ("merge(transpose({}), null)", "object({})"),
        ]);
    }

    #[test]
    fn typed_empty_lookup_default() {
        types(&[
            // The default must convert to the map's element type, list(string).
            (r#"lookup(transpose({}), "a", "x")"#, "error"),
            (r#"lookup(transpose({}), "a", ["x"])"#, "list(string)"),
            (r#"lookup(transpose({}), "a", [1])"#, "list(string)"),
            (r#"lookup(transpose({}), "a", [])"#, "list(string)"),
            (r#"lookup(transpose({}), "a", tolist([]))"#, "list(string)"),
            (r#"lookup(transpose({}), "a", [[]])"#, "error"),
            (r#"lookup(tomap({}), "a", ["x"])"#, "tuple([string])"),
            (r#"lookup(tomap({}), "b", [])"#, "tuple([])"),
            (
                r#"lookup(tomap({a = tolist([])}), "b", [1])"#,
                "list(number)",
            ),
            (
                r#"lookup(tomap({a = compact([])}), "b", [true])"#,
                "list(string)",
            ),
            (r#"lookup(zipmap([], compact([])), "b", [])"#, "error"),
        ]);
    }
}
