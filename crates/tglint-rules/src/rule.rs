//! What a rule is: metadata (its id, category, default level and documentation, taken from
//! its doc comment) and a check over one unit or over the whole tree.

use crate::context::Ctx;
use tglint_model::unit::{Keep, Unit};

/// A small fixed grouping, for selecting rules; never part of an id.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Category {
    Correctness,
    Security,
    Reliability,
    Cost,
}

impl Category {
    pub fn as_str(self) -> &'static str {
        match self {
            Category::Correctness => "correctness",
            Category::Security => "security",
            Category::Reliability => "reliability",
            Category::Cost => "cost",
        }
    }
}

/// A level a rule reports at, or `Off`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Level {
    Off,
    Info,
    Warning,
    Error,
}

impl Level {
    pub fn as_str(self) -> &'static str {
        match self {
            Level::Off => "off",
            Level::Info => "info",
            Level::Warning => "warning",
            Level::Error => "error",
        }
    }

    pub fn parse(s: &str) -> Option<Level> {
        match s {
            "off" => Some(Level::Off),
            "info" => Some(Level::Info),
            "warning" => Some(Level::Warning),
            "error" => Some(Level::Error),
            _ => None,
        }
    }

    /// The diagnostic severity of a level that reports.
    pub fn severity(self) -> Option<tglint_model::diag::Severity> {
        use tglint_model::diag::Severity;
        match self {
            Level::Off => None,
            Level::Info => Some(Severity::Info),
            Level::Warning => Some(Severity::Warning),
            Level::Error => Some(Severity::Error),
        }
    }
}

/// Whether a rule looks at one unit at a time or at the whole tree.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Scope {
    Unit,
    Tree,
}

/// A rule's metadata. `docs` is its doc comment: the first line is the summary, then
/// `## Why is this bad?`, `## Example` and, where it has options, `## Options`.
#[derive(Debug)]
pub struct Meta {
    pub id: &'static str,
    pub category: Category,
    pub default_level: Level,
    pub scope: Scope,
    pub docs: &'static str,
    /// Whether the policy's options for the rule are well formed (a message naming what is
    /// wrong otherwise): the rule's `Options` type decoding them. Rules without options
    /// accept none.
    pub validate_options: fn(&serde_json::Value) -> Result<(), String>,
}

impl Meta {
    /// The documentation with the one leading space of each doc-comment line removed.
    pub fn docs_text(&self) -> String {
        let mut out = String::new();
        for line in self.docs.lines() {
            out.push_str(line.strip_prefix(' ').unwrap_or(line));
            out.push('\n');
        }
        out
    }

    /// The first line of the documentation.
    pub fn summary(&self) -> String {
        self.docs_text()
            .lines()
            .find(|l| !l.trim().is_empty())
            .unwrap_or("")
            .trim()
            .to_string()
    }
}

/// A rule. Pure: it reads the unit (or units) and reports through the context, which
/// knows the policy, the unit's environment and the rule's options.
pub trait Rule: Sync {
    fn meta(&self) -> &'static Meta;

    /// Checks one unit (rules of [`Scope::Unit`]).
    fn check(&self, _unit: &Unit, _cx: &mut Ctx<'_>) {}

    /// Checks the whole tree (rules of [`Scope::Tree`]); units are in path order. In a
    /// streamed run (`tglint check`) the units are projected ([`Unit::project`]) to what
    /// the tree rules asked for in [`Rule::keep`]; what a rule took of each whole unit in
    /// [`Rule::fact`] is in `cx` ([`Ctx::fact`]).
    fn check_tree(&self, _units: &[&Unit], _cx: &mut Ctx<'_>) {}

    /// What a tree rule reads of `unit` beyond what every unit keeps ([`Keep`]): once a
    /// unit's per-unit rules have run, a streamed run cuts it down to what the active tree
    /// rules ask for here. A tree rule that reads more than it asks for sees it missing;
    /// the engine's test compares streamed and whole runs over every fixture.
    fn keep(&self, _unit: &Unit, _cx: &Ctx<'_>, _keep: &mut Keep) {}

    /// What a tree rule remembers of `unit` while it is whole, read back in
    /// [`Rule::check_tree`] with [`Ctx::fact`]: the few values (and the places to report
    /// them at) the rule needs, instead of the configuration [`Rule::keep`] would keep.
    /// Every run takes the facts of every unit before the tree rules run.
    fn fact(&self, _unit: &Unit, _cx: &Ctx<'_>) -> Option<Fact> {
        None
    }

    /// The keys by which a tree rule's findings about `unit` can involve other units,
    /// for a changed-files run that loads only some units (docs/cache.md): a finding of
    /// the rule names two units (as the unit it is about, as one it involves, or in a
    /// label) only if they share a key, and the findings that involve a unit are the same
    /// whichever other units are loaded, as long as every unit sharing a key with it is.
    /// Units joined by dependencies are always loaded together (a run loads each checked
    /// unit's whole dependency component), so a rule relating a unit only to those it
    /// depends on or that depend on it gives no keys. `None`: the rule cannot say, and a
    /// changed-files run loads every unit. Only tree rules are asked, with what
    /// [`Rule::fact`] took of the unit.
    fn links(&self, _unit: &Unit, _cx: &Ctx<'_>, _fact: Option<&Fact>) -> Option<Vec<String>> {
        None
    }
}

/// What a tree rule remembered of one unit ([`Rule::fact`]).
pub type Fact = Box<dyn std::any::Any + Send + Sync>;

/// Declares a rule: its doc comment becomes [`Meta::docs`]; `options: T` is the type its
/// options decode into (none when absent), and `validate: f` a function checking more than
/// the type can say (`f(&options) -> Result<(), String>`).
///
/// ```ignore
/// declare_rule! {
///     /// Flags …
///     ModulePinned {
///         id: "module-pinned", category: Reliability, default_level: Error, scope: Unit,
///         options: Options,
///     }
/// }
/// ```
#[macro_export]
macro_rules! declare_rule {
    ($(#[doc = $line:literal])* $name:ident {
        id: $id:literal, category: $cat:ident, default_level: $lvl:ident, scope: $scope:ident
        $(, options: $opt:ty)? $(, validate: $check:path)? $(,)?
    }) => {
        $(#[doc = $line])*
        pub struct $name;
        impl $name {
            pub const META: $crate::rule::Meta = $crate::rule::Meta {
                id: $id,
                category: $crate::rule::Category::$cat,
                default_level: $crate::rule::Level::$lvl,
                scope: $crate::rule::Scope::$scope,
                docs: concat!($($line, "\n"),*),
                validate_options: $crate::declare_rule!(@validate $($opt)? $(; $check)?),
            };
        }
    };
    (@validate) => { $crate::options::validate::<$crate::options::NoOptions> };
    (@validate $opt:ty) => { $crate::options::validate::<$opt> };
    (@validate $opt:ty; $check:path) => { $check };
}
