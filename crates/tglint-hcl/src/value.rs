//! HCL values as Terraform's cty sees them, plus *unknown* and an origin on every value.
//!
//! Collection kinds are kept: a literal `["a"]` is a tuple, `tolist(["a"])` a list, and the
//! two are not equal, as in Terraform. Objects and maps are both string-keyed maps kept
//! in key order (cty iterates keys in lexical order too).

use crate::span::Origin;
use crate::types::Ty;
use std::cmp::Ordering;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::fmt;
use std::ops::{Deref, DerefMut};
use std::sync::Arc;

pub use crate::number::Number;

/// The kind of a sequence.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum SeqKind {
    List,
    Tuple,
    Set,
}

/// The kind of a string-keyed collection.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum MapKind {
    Map,
    Object,
}

/// Why a value is unknown, in words a user can act on ("run_cmd is never executed",
/// "get_env FOO unset").
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Unknown {
    pub reason: Arc<str>,
    /// The value stands for an evaluation that failed, and the failure has been reported:
    /// whatever depends on it should not be reported again.
    pub failed: bool,
    /// For a string template whose only unknowns are interpolations: its known text, with
    /// each unknown interpolation replaced by a placeholder ([`Partial`]). Only the
    /// template's own value carries it; whatever is computed from it does not
    /// ([`Value::unknown_like`]).
    pub partial: Option<Arc<Partial>>,
}

/// The known text of a string template with unknown interpolations (`"a-${run_cmd(…)}"`):
/// the literal parts and the known interpolations as the template renders them, and a
/// placeholder ([`Partial::placeholder`]) where each unknown one would be.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Partial {
    /// The rendered text with placeholders.
    pub text: String,
    /// Why each placeholder is unknown, by its number.
    pub holes: Vec<Arc<str>>,
}

impl Partial {
    /// What the placeholder names start with; the number of the hole and `__` follow.
    pub const PREFIX: &'static str = "__tglint_unknown_";

    /// The placeholder of hole `i`: `__tglint_unknown_<i>__`, an HCL identifier and a JSON
    /// string's text alike.
    pub fn placeholder(i: usize) -> String {
        format!("{}{i}__", Partial::PREFIX)
    }

    /// The numbers of the placeholders in `s`, in order.
    pub fn holes_in(s: &str) -> Vec<usize> {
        let mut out = Vec::new();
        let mut rest = s;
        while let Some(at) = rest.find(Partial::PREFIX) {
            rest = &rest[at + Partial::PREFIX.len()..];
            let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
            if digits > 0
                && rest[digits..].starts_with("__")
                && let Ok(n) = rest[..digits].parse()
            {
                out.push(n);
            }
        }
        out
    }

    /// `text` with its placeholders renumbered from `base` (to splice one partial text
    /// into another).
    pub fn renumbered(text: &str, base: usize) -> String {
        if base == 0 {
            return text.to_string();
        }
        let mut out = String::with_capacity(text.len());
        let mut rest = text;
        while let Some(at) = rest.find(Partial::PREFIX) {
            out.push_str(&rest[..at + Partial::PREFIX.len()]);
            rest = &rest[at + Partial::PREFIX.len()..];
            let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
            match rest[..digits].parse::<usize>() {
                Ok(n) if rest[digits..].starts_with("__") => {
                    out.push_str(&(n + base).to_string());
                    rest = &rest[digits..];
                }
                _ => {}
            }
        }
        out.push_str(rest);
        out
    }
}

#[derive(Clone, Debug)]
pub enum Data {
    Null,
    Bool(bool),
    Number(Number),
    String(String),
    Seq(SeqKind, Arc<Items>),
    Map(MapKind, Arc<Entries>),
    Unknown(Unknown),
}

/// The elements of a list, tuple or set, and the element type cty gives an *empty* list
/// or set (`compact([])` is a `list(string)`, `tolist([])` a `list(dynamic)`). It derefs
/// to the `Vec` of elements. The element type is read only while there are no elements:
/// a non-empty collection's type comes from its elements, so adding one makes it moot.
/// It costs one word per collection, none per value.
#[derive(Clone, Default)]
pub struct Items {
    items: Vec<Value>,
    /// `None` for dynamic (or not known), and for tuples.
    elem: Option<Box<Ty>>,
}

/// The entries of a map or object, and the element type cty gives an *empty* map
/// (`transpose({})` is a `map(list(string))`); see [`Items`].
#[derive(Clone, Default)]
pub struct Entries {
    map: BTreeMap<String, Value>,
    elem: Option<Box<Ty>>,
}

/// `Some(elem)` when it says more than dynamic and the collection is empty.
fn stored_elem(empty: bool, elem: &Ty) -> Option<Box<Ty>> {
    (empty && *elem != Ty::Dynamic).then(|| Box::new(elem.clone()))
}

impl Items {
    pub fn new(items: Vec<Value>) -> Items {
        Items { items, elem: None }
    }
    /// Elements of a list or set of element type `elem` (kept only when there are none).
    pub(crate) fn typed(items: Vec<Value>, elem: &Ty) -> Items {
        let elem = stored_elem(items.is_empty(), elem);
        Items { items, elem }
    }
    /// The element type of an empty list or set, when cty gives it one that is not
    /// dynamic; `None` for a non-empty collection (its elements decide).
    pub(crate) fn empty_elem(&self) -> Option<&Ty> {
        if self.items.is_empty() {
            self.elem.as_deref()
        } else {
            None
        }
    }
    pub fn into_vec(self) -> Vec<Value> {
        self.items
    }
}

impl Entries {
    pub fn new(map: BTreeMap<String, Value>) -> Entries {
        Entries { map, elem: None }
    }
    /// Entries of a map of element type `elem` (kept only when there are none).
    pub(crate) fn typed(map: BTreeMap<String, Value>, elem: &Ty) -> Entries {
        let elem = stored_elem(map.is_empty(), elem);
        Entries { map, elem }
    }
    /// The element type of an empty map; see [`Items::empty_elem`].
    pub(crate) fn empty_elem(&self) -> Option<&Ty> {
        if self.map.is_empty() {
            self.elem.as_deref()
        } else {
            None
        }
    }
    pub fn into_map(self) -> BTreeMap<String, Value> {
        self.map
    }
}

impl Deref for Items {
    type Target = Vec<Value>;
    fn deref(&self) -> &Vec<Value> {
        &self.items
    }
}
impl DerefMut for Items {
    fn deref_mut(&mut self) -> &mut Vec<Value> {
        &mut self.items
    }
}
impl Deref for Entries {
    type Target = BTreeMap<String, Value>;
    fn deref(&self) -> &BTreeMap<String, Value> {
        &self.map
    }
}
impl DerefMut for Entries {
    fn deref_mut(&mut self) -> &mut BTreeMap<String, Value> {
        &mut self.map
    }
}
impl From<Vec<Value>> for Items {
    fn from(items: Vec<Value>) -> Items {
        Items::new(items)
    }
}
impl From<Items> for Vec<Value> {
    fn from(items: Items) -> Vec<Value> {
        items.items
    }
}
impl From<BTreeMap<String, Value>> for Entries {
    fn from(map: BTreeMap<String, Value>) -> Entries {
        Entries::new(map)
    }
}
impl From<Entries> for BTreeMap<String, Value> {
    fn from(entries: Entries) -> BTreeMap<String, Value> {
        entries.map
    }
}
impl FromIterator<Value> for Items {
    fn from_iter<I: IntoIterator<Item = Value>>(iter: I) -> Items {
        Items::new(iter.into_iter().collect())
    }
}
impl FromIterator<(String, Value)> for Entries {
    fn from_iter<I: IntoIterator<Item = (String, Value)>>(iter: I) -> Entries {
        Entries::new(iter.into_iter().collect())
    }
}
impl IntoIterator for Items {
    type Item = Value;
    type IntoIter = std::vec::IntoIter<Value>;
    fn into_iter(self) -> Self::IntoIter {
        self.items.into_iter()
    }
}
impl<'a> IntoIterator for &'a Items {
    type Item = &'a Value;
    type IntoIter = std::slice::Iter<'a, Value>;
    fn into_iter(self) -> Self::IntoIter {
        self.items.iter()
    }
}
impl IntoIterator for Entries {
    type Item = (String, Value);
    type IntoIter = std::collections::btree_map::IntoIter<String, Value>;
    fn into_iter(self) -> Self::IntoIter {
        self.map.into_iter()
    }
}
impl<'a> IntoIterator for &'a Entries {
    type Item = (&'a String, &'a Value);
    type IntoIter = std::collections::btree_map::Iter<'a, String, Value>;
    fn into_iter(self) -> Self::IntoIter {
        self.map.iter()
    }
}
impl fmt::Debug for Items {
    /// As the `Vec`, with the element type after it when one is kept.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.empty_elem() {
            None => self.items.fmt(f),
            Some(e) => write!(f, "[] of {e}"),
        }
    }
}
impl fmt::Debug for Entries {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.empty_elem() {
            None => self.map.fmt(f),
            Some(e) => write!(f, "{{}} of {e}"),
        }
    }
}

/// A value and where it came from.
#[derive(Clone, Debug)]
pub struct Value {
    pub data: Data,
    pub origin: Option<Origin>,
}

impl Value {
    pub fn new(data: Data) -> Value {
        Value { data, origin: None }
    }

    pub fn null() -> Value {
        Value::new(Data::Null)
    }
    pub fn bool(b: bool) -> Value {
        Value::new(Data::Bool(b))
    }
    pub fn int(i: i64) -> Value {
        Value::new(Data::Number(Number::int(i)))
    }
    pub fn number(n: Number) -> Value {
        Value::new(Data::Number(n))
    }
    /// A `float64` as cty's `NumberFloatVal` holds it (53 bits). NaN, which cty cannot
    /// hold, is null: callers report it before they get here.
    pub fn float(f: f64) -> Value {
        match Number::from_f64(f) {
            Some(n) => Value::new(Data::Number(n)),
            None => Value::null(),
        }
    }
    /// A string, in Unicode normalisation form C, as cty makes every string it creates
    /// (`"e\u0301" == "\u00e9"`).
    pub fn string(s: impl Into<String>) -> Value {
        Value::new(Data::String(nfc(s.into())))
    }
    /// A list (of no element type when it is empty: `tolist([])`).
    pub fn list(items: Vec<Value>) -> Value {
        Value::new(Data::Seq(SeqKind::List, Arc::new(Items::new(items))))
    }
    pub fn tuple(items: Vec<Value>) -> Value {
        Value::new(Data::Seq(SeqKind::Tuple, Arc::new(Items::new(items))))
    }
    /// A set: duplicates removed, elements in cty's canonical order.
    pub fn set(items: Vec<Value>) -> Value {
        Value::new(Data::Seq(
            SeqKind::Set,
            Arc::new(Items::new(normalize_set(items))),
        ))
    }
    pub fn seq(kind: SeqKind, items: Vec<Value>) -> Value {
        match kind {
            SeqKind::Set => Value::set(items),
            k => Value::new(Data::Seq(k, Arc::new(Items::new(items)))),
        }
    }
    /// A list whose cty element type is `elem`, which it keeps when it is empty
    /// (`compact([])` is a `list(string)`).
    pub(crate) fn list_of(elem: &Ty, items: Vec<Value>) -> Value {
        Value::new(Data::Seq(
            SeqKind::List,
            Arc::new(Items::typed(items, elem)),
        ))
    }
    /// A list of strings: cty's `list(string)`, which it stays when empty (what
    /// Terragrunt's functions returning a string slice give).
    pub fn string_list(items: Vec<Value>) -> Value {
        Value::list_of(&Ty::String, items)
    }
    /// A set of element type `elem`, kept when it is empty (see [`Value::list_of`]).
    pub(crate) fn set_of(elem: &Ty, items: Vec<Value>) -> Value {
        let items = normalize_set(items);
        Value::new(Data::Seq(SeqKind::Set, Arc::new(Items::typed(items, elem))))
    }
    /// A list or set (of `kind`) of element type `elem`; a tuple has none.
    pub(crate) fn seq_of(kind: SeqKind, elem: &Ty, items: Vec<Value>) -> Value {
        match kind {
            SeqKind::List => Value::list_of(elem, items),
            SeqKind::Set => Value::set_of(elem, items),
            SeqKind::Tuple => Value::tuple(items),
        }
    }
    /// A map; its keys are put in NFC, as cty's `MapVal` does.
    pub fn map(m: BTreeMap<String, Value>) -> Value {
        Value::new(Data::Map(MapKind::Map, Arc::new(Entries::new(nfc_keys(m)))))
    }
    /// A map of element type `elem`, kept when it is empty (`transpose({})` is a
    /// `map(list(string))`).
    pub(crate) fn map_of(elem: &Ty, m: BTreeMap<String, Value>) -> Value {
        let m = Entries::typed(nfc_keys(m), elem);
        Value::new(Data::Map(MapKind::Map, Arc::new(m)))
    }
    /// An object; its attribute names are put in NFC, as cty's `ObjectVal` does.
    pub fn object(m: BTreeMap<String, Value>) -> Value {
        Value::new(Data::Map(
            MapKind::Object,
            Arc::new(Entries::new(nfc_keys(m))),
        ))
    }
    pub fn unknown(reason: impl Into<Arc<str>>) -> Value {
        Value::new(Data::Unknown(Unknown {
            reason: reason.into(),
            failed: false,
            partial: None,
        }))
    }

    /// An unknown standing for an evaluation that failed (see [`Unknown::failed`]).
    pub fn failed(reason: impl Into<Arc<str>>) -> Value {
        Value::new(Data::Unknown(Unknown {
            reason: reason.into(),
            failed: true,
            partial: None,
        }))
    }

    pub fn with_origin(mut self, origin: Option<Origin>) -> Value {
        self.origin = origin;
        self
    }

    /// Gives `origin` to this value and to everything nested in it that has none. A value
    /// that already has an origin got its nested origins when it was made, so the walk
    /// stops there (and never copies a shared collection).
    pub fn fill_origin(&mut self, origin: Origin) {
        Rewrite::default().apply(self, &mut |v| {
            if v.origin.is_some() {
                return false;
            }
            v.origin = Some(origin);
            true
        });
    }

    /// Gives `origin` to this value and to everything nested in it.
    pub fn set_origin_deep(&mut self, origin: Origin) {
        Rewrite::default().apply(self, &mut |v| {
            v.origin = Some(origin);
            true
        });
    }

    /// Tags this value and everything in it as coming from `mock_outputs`.
    pub fn mark_mock(&mut self) {
        Rewrite::default().apply(self, &mut |v| {
            if let Some(o) = &mut v.origin {
                o.mock = true;
            }
            true
        });
    }

    pub fn is_null(&self) -> bool {
        matches!(self.data, Data::Null)
    }

    /// True unless the value itself is unknown (nested unknowns do not count).
    pub fn is_known(&self) -> bool {
        !matches!(self.data, Data::Unknown(_))
    }

    /// True when neither the value nor anything nested in it is unknown.
    pub fn is_wholly_known(&self) -> bool {
        self.first_unknown().is_none()
    }

    /// The first unknown found in the value (depth-first), if any. A collection shared
    /// by several parts of the value is looked into once, so the walk costs the number
    /// of distinct collections, not the size of the value as a tree.
    pub fn first_unknown(&self) -> Option<&Unknown> {
        let mut seen: HashSet<usize> = HashSet::new();
        let mut stack: Vec<&Value> = vec![self];
        while let Some(v) = stack.pop() {
            match &v.data {
                Data::Unknown(u) => return Some(u),
                Data::Seq(_, items) => {
                    if items.len() > 1 && !seen.insert(Arc::as_ptr(items) as usize) {
                        continue;
                    }
                    stack.extend(items.iter().rev());
                }
                Data::Map(_, m) => {
                    if m.len() > 1 && !seen.insert(Arc::as_ptr(m) as usize) {
                        continue;
                    }
                    stack.extend(m.values().rev());
                }
                _ => {}
            }
        }
        None
    }

    /// An unknown value with the same reason as the first unknown in `self`, or a generic
    /// one (never with a template's partial text: it is not that template).
    pub fn unknown_like(&self) -> Value {
        match self.first_unknown() {
            Some(u) => Value::new(Data::Unknown(Unknown {
                partial: None,
                ..u.clone()
            })),
            None => Value::unknown("depends on an unknown value"),
        }
    }

    /// The name Terraform uses for the value's type in messages.
    pub fn type_name(&self) -> &'static str {
        match &self.data {
            Data::Null => "null",
            Data::Bool(_) => "bool",
            Data::Number(_) => "number",
            Data::String(_) => "string",
            Data::Seq(SeqKind::List, _) => "list",
            Data::Seq(SeqKind::Tuple, _) => "tuple",
            Data::Seq(SeqKind::Set, _) => "set",
            Data::Map(MapKind::Map, _) => "map",
            Data::Map(MapKind::Object, _) => "object",
            Data::Unknown(_) => "unknown",
        }
    }

    pub fn as_str(&self) -> Option<&str> {
        match &self.data {
            Data::String(s) => Some(s),
            _ => None,
        }
    }

    pub fn as_bool(&self) -> Option<bool> {
        match self.data {
            Data::Bool(b) => Some(b),
            _ => None,
        }
    }

    pub fn as_number(&self) -> Option<&Number> {
        match &self.data {
            Data::Number(n) => Some(n),
            _ => None,
        }
    }

    /// Elements of a list, tuple or set.
    pub fn as_seq(&self) -> Option<&[Value]> {
        match &self.data {
            Data::Seq(_, items) => Some(items.as_slice()),
            _ => None,
        }
    }

    /// The entries of a map or object, for changing them (copied first if shared).
    pub fn map_mut(&mut self) -> Option<&mut BTreeMap<String, Value>> {
        match &mut self.data {
            Data::Map(_, m) => Some(&mut **Arc::make_mut(m)),
            _ => None,
        }
    }

    /// The elements of a list, tuple or set, for changing them (copied first if shared).
    pub fn seq_mut(&mut self) -> Option<&mut Vec<Value>> {
        match &mut self.data {
            Data::Seq(_, items) => Some(&mut **Arc::make_mut(items)),
            _ => None,
        }
    }

    /// Entries of a map or object.
    pub fn as_map(&self) -> Option<&BTreeMap<String, Value>> {
        match &self.data {
            Data::Map(_, m) => Some(&**m),
            _ => None,
        }
    }

    /// Terraform's automatic conversion to string: strings as they are, numbers and bools
    /// printed. Anything else is an error message in Terraform's words.
    pub fn to_str_conv(&self) -> Result<String, String> {
        match &self.data {
            Data::String(s) => Ok(s.clone()),
            Data::Number(n) => Ok(n.to_string()),
            Data::Bool(b) => Ok(b.to_string()),
            Data::Null => Err("argument must not be null".into()),
            _ => Err("string required".into()),
        }
    }

    /// Terraform's automatic conversion to number: numbers, and strings that parse as one.
    pub fn to_number_conv(&self) -> Result<Number, String> {
        match &self.data {
            Data::Number(n) => Ok(n.clone()),
            Data::String(s) => Number::parse(s)
                .ok_or_else(|| format!("a number is required, but got string {}", quote(s))),
            Data::Null => Err("argument must not be null".into()),
            _ => Err("number required".into()),
        }
    }

    /// Terraform's automatic conversion to bool: bools, and the strings `"true"`/`"false"`.
    pub fn to_bool_conv(&self) -> Result<bool, String> {
        match &self.data {
            Data::Bool(b) => Ok(*b),
            Data::String(s) if s == "true" => Ok(true),
            Data::String(s) if s == "false" => Ok(false),
            Data::String(_) => Err("a bool is required".into()),
            Data::Null => Err("argument must not be null".into()),
            _ => Err("bool required".into()),
        }
    }

    /// Terraform's `==`: same type and same value. Lists and tuples differ, maps and
    /// objects differ; numbers compare by value. Returns `None` when an unknown decides.
    pub fn equals(&self, other: &Value) -> Option<bool> {
        match (&self.data, &other.data) {
            (Data::Unknown(_), _) | (_, Data::Unknown(_)) => None,
            (Data::Null, Data::Null) => Some(true),
            (Data::Null, _) | (_, Data::Null) => Some(false),
            (Data::Bool(a), Data::Bool(b)) => Some(a == b),
            (Data::Number(a), Data::Number(b)) => Some(a == b),
            (Data::String(a), Data::String(b)) => Some(a == b),
            (Data::Seq(ka, a), Data::Seq(kb, b)) => {
                // Empty lists and sets are equal only with the same element type, as cty's
                // `Equals` compares types first (`compact([]) == tolist([])` is false).
                if ka != kb || a.len() != b.len() || a.empty_elem() != b.empty_elem() {
                    return Some(false);
                }
                let mut unknown = false;
                for (x, y) in a.iter().zip(b.iter()) {
                    match x.equals(y) {
                        Some(false) => return Some(false),
                        None => unknown = true,
                        Some(true) => {}
                    }
                }
                if unknown { None } else { Some(true) }
            }
            (Data::Map(ka, a), Data::Map(kb, b)) => {
                if ka != kb
                    || a.len() != b.len()
                    || a.empty_elem() != b.empty_elem()
                    || !a.keys().eq(b.keys())
                {
                    return Some(false);
                }
                let mut unknown = false;
                for (x, y) in a.values().zip(b.values()) {
                    match x.equals(y) {
                        Some(false) => return Some(false),
                        None => unknown = true,
                        Some(true) => {}
                    }
                }
                if unknown { None } else { Some(true) }
            }
            _ => Some(false),
        }
    }

    /// Structural equality ignoring origins, where unknown equals only an unknown with the
    /// same reason, and ignoring the element type of empty collections. For tests and
    /// de-duplication, not for the `==` operator.
    pub fn same(&self, other: &Value) -> bool {
        match (&self.data, &other.data) {
            (Data::Unknown(a), Data::Unknown(b)) => a == b,
            (Data::Seq(ka, a), Data::Seq(kb, b)) => {
                ka == kb && a.len() == b.len() && a.iter().zip(b.iter()).all(|(x, y)| x.same(y))
            }
            (Data::Map(ka, a), Data::Map(kb, b)) => {
                ka == kb
                    && a.len() == b.len()
                    && a.iter()
                        .zip(b.iter())
                        .all(|((k1, v1), (k2, v2))| k1 == k2 && v1.same(v2))
            }
            _ => self.equals(other) == Some(true),
        }
    }
}

/// A rewrite of a value in place that keeps its sharing: a collection shared by several
/// parts of the value is rewritten once and the copy shared again, so values that share
/// (a YAML alias, `[x, x]`) cost their distinct collections, not their size as a tree.
#[derive(Default)]
struct Rewrite {
    /// Address of an original collection → (the original, kept alive so its address is
    /// not reused during the walk; its rewritten copy).
    seqs: HashMap<usize, SharedPair<Items>>,
    maps: HashMap<usize, SharedPair<Entries>>,
}

type SharedPair<T> = (Arc<T>, Arc<T>);

impl Rewrite {
    /// Applies `f` to `v` and, while `f` returns true, to what is nested in it.
    fn apply(&mut self, v: &mut Value, f: &mut impl FnMut(&mut Value) -> bool) {
        if !f(v) {
            return;
        }
        match &mut v.data {
            // A collection held only here is changed in place and met only once.
            Data::Seq(_, items) if Arc::strong_count(items) == 1 => {
                for x in Arc::make_mut(items).iter_mut() {
                    self.apply(x, f);
                }
            }
            Data::Map(_, m) if Arc::strong_count(m) == 1 => {
                for x in Arc::make_mut(m).values_mut() {
                    self.apply(x, f);
                }
            }
            Data::Seq(_, items) => {
                let key = Arc::as_ptr(items) as usize;
                if let Some((_, done)) = self.seqs.get(&key) {
                    *items = done.clone();
                    return;
                }
                let original = items.clone();
                for x in Arc::make_mut(items).iter_mut() {
                    self.apply(x, f);
                }
                self.seqs.insert(key, (original, items.clone()));
            }
            Data::Map(_, m) => {
                let key = Arc::as_ptr(m) as usize;
                if let Some((_, done)) = self.maps.get(&key) {
                    *m = done.clone();
                    return;
                }
                let original = m.clone();
                for x in Arc::make_mut(m).values_mut() {
                    self.apply(x, f);
                }
                self.maps.insert(key, (original, m.clone()));
            }
            _ => {}
        }
    }
}

/// A total order used for sets (cty's canonical order: strings lexically, numbers by
/// value, bools false first, everything else by its HCL text).
pub fn canonical_cmp(a: &Value, b: &Value) -> Ordering {
    // cty orders a set's nulls after every known value (`toset([null, "a"])` is
    // `["a", null]`).
    fn rank(v: &Value) -> u8 {
        match v.data {
            Data::Null => 7,
            Data::Bool(_) => 1,
            Data::Number(_) => 2,
            Data::String(_) => 3,
            Data::Seq(..) => 4,
            Data::Map(..) => 5,
            Data::Unknown(_) => 6,
        }
    }
    match (&a.data, &b.data) {
        (Data::Bool(x), Data::Bool(y)) => x.cmp(y),
        (Data::Number(x), Data::Number(y)) => x.cmp_num(y),
        (Data::String(x), Data::String(y)) => x.cmp(y),
        _ => rank(a)
            .cmp(&rank(b))
            .then_with(|| a.to_string().cmp(&b.to_string())),
    }
}

fn normalize_set(mut items: Vec<Value>) -> Vec<Value> {
    items.sort_by(canonical_cmp);
    items.dedup_by(|a, b| a.same(b));
    items
}

/// Quotes a string as HCL would print it.
pub fn quote(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

impl fmt::Display for Value {
    /// HCL-like text: `"a"`, `3`, `["a", 1]`, `{ a = 1 }`, `(unknown: reason)`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.data {
            Data::Null => f.write_str("null"),
            Data::Bool(b) => write!(f, "{b}"),
            Data::Number(n) => write!(f, "{n}"),
            Data::String(s) => f.write_str(&quote(s)),
            Data::Seq(kind, items) => {
                match kind {
                    SeqKind::List => f.write_str("tolist(")?,
                    SeqKind::Set => f.write_str("toset(")?,
                    SeqKind::Tuple => {}
                }
                f.write_str("[")?;
                for (i, v) in items.iter().enumerate() {
                    if i > 0 {
                        f.write_str(", ")?;
                    }
                    write!(f, "{v}")?;
                }
                f.write_str("]")?;
                if *kind != SeqKind::Tuple {
                    f.write_str(")")?;
                }
                Ok(())
            }
            Data::Map(kind, m) => {
                if *kind == MapKind::Map {
                    f.write_str("tomap(")?;
                }
                if m.is_empty() {
                    f.write_str("{}")?;
                } else {
                    f.write_str("{ ")?;
                    for (i, (k, v)) in m.iter().enumerate() {
                        if i > 0 {
                            f.write_str(", ")?;
                        }
                        if is_identifier(k) {
                            write!(f, "{k} = {v}")?;
                        } else {
                            write!(f, "{} = {v}", quote(k))?;
                        }
                    }
                    f.write_str(" }")?;
                }
                if *kind == MapKind::Map {
                    f.write_str(")")?;
                }
                Ok(())
            }
            Data::Unknown(u) => write!(f, "(unknown: {})", u.reason),
        }
    }
}

/// Whether `s` is a valid HCL identifier.
pub fn is_identifier(s: &str) -> bool {
    let mut chars = s.chars();
    match chars.next() {
        Some(c) if c.is_alphabetic() || c == '_' => {}
        _ => return false,
    }
    chars.all(|c| c.is_alphanumeric() || c == '_' || c == '-')
}

impl From<&str> for Value {
    fn from(s: &str) -> Value {
        Value::string(s)
    }
}
impl From<String> for Value {
    fn from(s: String) -> Value {
        Value::string(s)
    }
}
impl From<bool> for Value {
    fn from(b: bool) -> Value {
        Value::bool(b)
    }
}
impl From<i64> for Value {
    fn from(i: i64) -> Value {
        Value::int(i)
    }
}

/// `s` in Unicode normalisation form C (cty's `NormalizeString`, Go's `norm.NFC.String`).
/// ASCII and text already in NFC are returned as they are, without a copy.
pub fn nfc(s: String) -> String {
    use unicode_normalization::{IsNormalized, UnicodeNormalization, is_nfc_quick};
    if s.is_ascii() || is_nfc_quick(s.chars()) == IsNormalized::Yes {
        return s;
    }
    s.nfc().collect()
}

/// `nfc` for a borrowed name: borrowed when it is already in NFC.
pub fn nfc_str(s: &str) -> std::borrow::Cow<'_, str> {
    use unicode_normalization::{IsNormalized, UnicodeNormalization, is_nfc_quick};
    if s.is_ascii() || is_nfc_quick(s.chars()) == IsNormalized::Yes {
        return std::borrow::Cow::Borrowed(s);
    }
    std::borrow::Cow::Owned(s.nfc().collect())
}

/// The map with its keys in NFC; rebuilt only when a key is not. Of keys that become
/// equal, the one that sorted last wins.
fn nfc_keys(m: BTreeMap<String, Value>) -> BTreeMap<String, Value> {
    if m.keys()
        .all(|k| matches!(nfc_str(k), std::borrow::Cow::Borrowed(_)))
    {
        return m;
    }
    m.into_iter().map(|(k, v)| (nfc(k), v)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn number_arithmetic_is_exact() {
        let n = |i| Number::int(i);
        assert_eq!(n(7).div(&n(2)).unwrap().to_string(), "3.5");
        assert_eq!(n(6).div(&n(2)).unwrap().to_string(), "3");
        assert_eq!(n(1).div(&n(0)).unwrap().to_string(), "+Inf");
        assert_eq!(
            n(i64::MAX).add(&n(1)).unwrap().to_string(),
            "9223372036854775808"
        );
        assert_eq!(n(-7).rem(&n(3)).unwrap().to_string(), "-1");
        assert_eq!(Value::float(3.0).to_string(), "3");
        assert_eq!(Value::float(0.5).to_string(), "0.5");
    }

    #[test]
    fn number_parse_rejects_non_numbers() {
        assert_eq!(
            Number::parse("12").map(|n| n.to_string()),
            Some("12".into())
        );
        assert_eq!(
            Number::parse("-1.5e2").map(|n| n.to_string()),
            Some("-150".into())
        );
        assert!(Number::parse("").is_none());
        assert!(Number::parse(" 1").is_none());
        assert!(Number::parse("abc").is_none());
        // cty.ParseNumberVal is big.ParseFloat: `inf` is infinity (`tonumber("inf")`).
        assert!(Number::parse("inf").is_some_and(|n| n.is_infinite()));
        assert!(Number::parse("infinity").is_none());
    }

    #[test]
    fn kinds_matter_for_equality() {
        let t = Value::tuple(vec!["a".into()]);
        let l = Value::list(vec!["a".into()]);
        assert_eq!(t.equals(&l), Some(false));
        assert_eq!(t.equals(&t.clone()), Some(true));
        assert_eq!(Value::int(1).equals(&Value::float(1.0)), Some(true));
        assert_eq!(Value::int(1).equals(&"1".into()), Some(false));
        assert_eq!(Value::int(1).equals(&Value::unknown("x")), None);
    }

    /// `==` compares the element types of empty lists, sets and maps as cty's `Equals`
    /// compares types (checked against `terraform console`).
    #[test]
    fn typed_empties_equal_only_with_the_same_type() {
        use crate::functions::testing::ok;
        let compact = ok("compact", vec![Value::tuple(vec![])]);
        let sort = ok("sort", vec![Value::tuple(vec![])]);
        let untyped = Value::list(vec![]);
        let range = ok("range", vec![Value::int(0)]);
        assert_eq!(compact.equals(&sort), Some(true));
        assert_eq!(compact.equals(&untyped), Some(false));
        assert_eq!(compact.equals(&range), Some(false));
        assert_eq!(untyped.equals(&Value::list(vec![])), Some(true));
        assert_eq!(compact.equals(&Value::tuple(vec![])), Some(false));
        let transpose = ok("transpose", vec![Value::object(BTreeMap::new())]);
        let tomap = Value::map(BTreeMap::new());
        assert_eq!(transpose.equals(&transpose.clone()), Some(true));
        assert_eq!(transpose.equals(&tomap), Some(false));
        assert_eq!(tomap.equals(&Value::map(BTreeMap::new())), Some(true));
        // Nested, too.
        let nested = |v: &Value| Value::tuple(vec![v.clone()]);
        assert_eq!(nested(&compact).equals(&nested(&untyped)), Some(false));
        // `same` (for tests and de-duplication) ignores the element type.
        assert!(compact.same(&untyped));
        // Printing is unchanged.
        assert_eq!(compact.to_string(), "tolist([])");
        assert_eq!(transpose.to_string(), "tomap({})");
    }

    #[test]
    fn sets_are_sorted_and_deduplicated() {
        let s = Value::set(vec!["b".into(), "a".into(), "b".into()]);
        assert_eq!(s.to_string(), r#"toset(["a", "b"])"#);
    }

    #[test]
    fn wholly_known_looks_inside() {
        let v = Value::tuple(vec![Value::int(1), Value::unknown("r")]);
        assert!(v.is_known());
        assert!(!v.is_wholly_known());
        assert_eq!(&*v.first_unknown().unwrap().reason, "r");
    }
}
