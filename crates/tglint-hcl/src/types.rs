//! cty types, as far as tglint needs them: the type of a value ([`crate::functions`]'
//! `ty_of` rebuilds it from the value), the types functions convert their arguments to,
//! and the element type an empty list, set or map keeps ([`crate::value::Items`]).

use std::collections::BTreeMap;

/// A cty type.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub(crate) enum Ty {
    /// cty's `DynamicPseudoType`: the type of `null` and unknown values here, and the
    /// element type of an empty collection cty gives no element type (`tolist([])`).
    Dynamic,
    String,
    Number,
    Bool,
    List(Box<Ty>),
    Set(Box<Ty>),
    Map(Box<Ty>),
    Tuple(Vec<Ty>),
    Object(BTreeMap<String, Ty>),
}

impl Ty {
    pub(crate) fn list(ety: Ty) -> Ty {
        Ty::List(Box::new(ety))
    }
    pub(crate) fn set(ety: Ty) -> Ty {
        Ty::Set(Box::new(ety))
    }
    pub(crate) fn map(ety: Ty) -> Ty {
        Ty::Map(Box::new(ety))
    }
    pub(crate) fn is_primitive(&self) -> bool {
        matches!(self, Ty::String | Ty::Number | Ty::Bool)
    }
    pub(crate) fn is_map(&self) -> bool {
        matches!(self, Ty::Map(_))
    }
    pub(crate) fn is_list(&self) -> bool {
        matches!(self, Ty::List(_))
    }
    /// The element type of a list, set or map type.
    pub(crate) fn element(&self) -> Option<&Ty> {
        match self {
            Ty::List(e) | Ty::Set(e) | Ty::Map(e) => Some(e),
            _ => None,
        }
    }
}

impl std::fmt::Display for Ty {
    /// cty's type expression syntax, as `terraform console`'s `type()` prints it on one
    /// line: `list(string)`, `map(list(string))`, `tuple([string, number])`,
    /// `object({a: string})`.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Ty::Dynamic => f.write_str("dynamic"),
            Ty::String => f.write_str("string"),
            Ty::Number => f.write_str("number"),
            Ty::Bool => f.write_str("bool"),
            Ty::List(e) => write!(f, "list({e})"),
            Ty::Set(e) => write!(f, "set({e})"),
            Ty::Map(e) => write!(f, "map({e})"),
            Ty::Tuple(es) => {
                f.write_str("tuple([")?;
                for (i, e) in es.iter().enumerate() {
                    if i > 0 {
                        f.write_str(", ")?;
                    }
                    write!(f, "{e}")?;
                }
                f.write_str("])")
            }
            Ty::Object(attrs) => {
                f.write_str("object({")?;
                for (i, (k, t)) in attrs.iter().enumerate() {
                    if i > 0 {
                        f.write_str(", ")?;
                    }
                    write!(f, "{k}: {t}")?;
                }
                f.write_str("})")
            }
        }
    }
}
