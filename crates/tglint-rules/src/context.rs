//! What a rule reports through. The context knows the policy, the rule's options, the
//! unit's environment and module; the rule says what it found and where, and the engine
//! decides the severity (the policy's level for a violation, `--unknown`'s for "cannot
//! verify").

use crate::policy::{Environment, ModuleSpec, Policy};
use crate::rule::{Fact, Level, Meta};
use serde::de::DeserializeOwned;
use tglint_model::diag::{Diagnostic, Label, RuleId, Severity};
use tglint_model::module::SourceKind;
use tglint_model::unit::Unit;

/// What a finding is, for the engine to give it its severity.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// The invariant does not hold: reported at the rule's level.
    Violation,
    /// The deciding value is unknown: reported at the `--unknown` level.
    CannotVerify,
    /// Worth saying, never a failure (the architecture's own prescriptions): at most the
    /// given level.
    Note(Level),
}

/// One finding, before the engine sets its severity.
#[derive(Clone, Debug)]
pub struct Finding {
    pub diagnostic: Diagnostic,
    pub kind: Kind,
    /// The unit it is about (its directory), when it is about one.
    pub unit: Option<String>,
    /// What it is about inside the unit: the path of the value (`inputs.multi_az`,
    /// `remote_state.config.encrypt`), when the rule named one. With the rule and the unit
    /// it makes the finding's fingerprint, which survives line shifts and value changes.
    pub subject: Option<String>,
    /// Other units a tree rule's finding is about (the VPC it overlaps, the unit sharing
    /// the state, the target of a dependency): in changed-files mode a finding is
    /// reported when its unit or one of these was checked.
    pub involves: Vec<String>,
}

impl Finding {
    pub fn new(diagnostic: Diagnostic, kind: Kind, unit: Option<String>) -> Finding {
        Finding {
            diagnostic,
            kind,
            unit,
            subject: None,
            involves: Vec::new(),
        }
    }

    /// Names another unit the finding is about (see [`Finding::involves`]).
    pub fn involving(&mut self, u: &Unit) -> &mut Finding {
        self.involving_dir(&u.dir)
    }

    /// Names another unit the finding is about by its directory relative to the root.
    pub fn involving_dir(&mut self, dir: &str) -> &mut Finding {
        if !self.involves.iter().any(|d| d == dir) {
            self.involves.push(dir.to_string());
        }
        self
    }

    /// Names the value the finding is about (see [`Finding::subject`]).
    pub fn subject(&mut self, path: impl Into<String>) -> &mut Finding {
        self.subject = Some(path.into());
        self
    }

    pub fn help(&mut self, help: impl Into<String>) -> &mut Finding {
        self.diagnostic.help = Some(help.into());
        self
    }

    pub fn related(&mut self, labels: impl IntoIterator<Item = Label>) -> &mut Finding {
        self.diagnostic.related.extend(labels);
        self
    }
}

/// The module a unit deploys, as the policy names it.
#[derive(Clone, Copy, Debug)]
pub struct Module<'a> {
    /// The policy's name for it (`rds`).
    pub name: &'a str,
    pub spec: &'a ModuleSpec,
    /// The version the source pins, when it pins one (`6.13.1`); `None` for a vendored
    /// local copy or an unpinned source.
    pub version: Option<&'a str>,
}

impl Module<'_> {
    /// The major version pinned (`6` of `6.13.1`), when there is one.
    pub fn major(&self) -> Option<u64> {
        self.version?
            .split(|c: char| !c.is_ascii_digit())
            .find(|s| !s.is_empty())?
            .parse()
            .ok()
    }
}

pub struct Ctx<'a> {
    pub meta: &'static Meta,
    pub policy: &'a Policy,
    unit: Option<&'a Unit>,
    out: Vec<Finding>,
    /// The facts the rule took of each unit, by directory ([`crate::rule::Rule::fact`]).
    facts: Option<&'a std::collections::HashMap<String, Fact>>,
}

impl<'a> Ctx<'a> {
    pub fn new(meta: &'static Meta, policy: &'a Policy, unit: Option<&'a Unit>) -> Ctx<'a> {
        Ctx {
            meta,
            policy,
            unit,
            out: Vec::new(),
            facts: None,
        }
    }

    /// The context of a tree rule, with the facts it took of the units.
    pub fn with_facts(mut self, facts: &'a std::collections::HashMap<String, Fact>) -> Ctx<'a> {
        self.facts = Some(facts);
        self
    }

    /// The fact this rule took of `u` ([`crate::rule::Rule::fact`]), when it took one of
    /// that type.
    pub fn fact<T: 'static>(&self, u: &Unit) -> Option<&'a T> {
        self.facts?.get(&u.dir)?.downcast_ref()
    }

    pub fn into_findings(self) -> Vec<Finding> {
        self.out
    }

    /// The rule's options (validated when the policy loaded; their defaults otherwise),
    /// decoded once per policy.
    pub fn options<T: DeserializeOwned + Default + Send + Sync + 'static>(
        &self,
    ) -> std::sync::Arc<T> {
        let id = self.meta.id;
        self.policy.decoded(id, || {
            crate::options::parse(&self.policy.options(id)).unwrap_or_default()
        })
    }

    /// The environment kind of `u` as the policy describes it, when it is classified.
    pub fn environment_of(&self, u: &Unit) -> Option<&'a Environment> {
        let kind = u.environment.as_ref()?.kind.as_deref()?;
        self.policy.environment(kind)
    }

    /// The environment kind (`prod`) of the unit being checked.
    pub fn env_kind(&self) -> Option<&'a str> {
        let u = self.unit?;
        self.environment_of(u).map(|e| e.kind.as_str())
    }

    /// The environment of the unit being checked.
    pub fn environment(&self) -> Option<&'a Environment> {
        self.environment_of(self.unit?)
    }

    /// The module `u` deploys, when its source names one the policy knows (by address,
    /// or as a vendored local path matching an alias).
    pub fn module_of(&self, u: &'a Unit) -> Option<Module<'a>> {
        let src = u.module()?;
        for (name, spec) in &self.policy.modules {
            let by_address = src.kind != SourceKind::Local
                && src
                    .address
                    .strip_prefix(spec.address.as_str())
                    .is_some_and(|rest| rest.is_empty() || rest.starts_with("//"));
            let by_alias = src.kind == SourceKind::Local && spec.alias_matches(&src.address);
            if by_address || by_alias {
                return Some(Module {
                    name,
                    spec,
                    version: if by_alias {
                        None
                    } else {
                        src.version.as_deref()
                    },
                });
            }
        }
        None
    }

    /// The module of the unit being checked.
    pub fn module(&self) -> Option<Module<'a>> {
        self.module_of(self.unit?)
    }

    fn push(
        &mut self,
        u: Option<&Unit>,
        kind: Kind,
        message: String,
        primary: Label,
    ) -> &mut Finding {
        let id = RuleId::new_static(self.meta.id);
        self.out.push(Finding::new(
            Diagnostic::finding(id, Severity::Error, message, primary),
            kind,
            u.or(self.unit).map(|u| u.dir.clone()),
        ));
        let i = self.out.len() - 1;
        &mut self.out[i]
    }

    /// A violation at `primary`.
    pub fn report(&mut self, primary: Label, message: impl Into<String>) -> &mut Finding {
        self.push(None, Kind::Violation, message.into(), primary)
    }

    /// A violation of a tree rule, about unit `u`.
    pub fn report_for(
        &mut self,
        u: &Unit,
        primary: Label,
        message: impl Into<String>,
    ) -> &mut Finding {
        self.push(Some(u), Kind::Violation, message.into(), primary)
    }

    /// A violation about the value at `path` of `u`: reported where the value was
    /// defined, with the way it came to the unit as related labels. A value from
    /// `mock_outputs` says so.
    pub fn report_value(
        &mut self,
        u: &Unit,
        path: &str,
        message: impl Into<String>,
    ) -> &mut Finding {
        let (primary, related, mock) = value_place(u, path);
        let mut msg = message.into();
        if mock {
            msg.push_str(" (the value comes from a dependency's mock_outputs)");
        }
        let f = self.push(Some(u), Kind::Violation, msg, primary);
        f.related(related).subject(path);
        f
    }

    /// A violation about an input `u` does not set (the module default applies): reported
    /// at the `inputs` that lack it, or at the `terraform.source` that chose the module.
    pub fn report_missing(&mut self, u: &Unit, message: impl Into<String>) -> &mut Finding {
        let (primary, related) = missing_place(u);
        let f = self.push(Some(u), Kind::Violation, message.into(), primary);
        f.related(related);
        f
    }

    /// "cannot verify <what> because <reason>", at the value's origin (or where the
    /// input would go), at the `--unknown` level.
    pub fn cannot_verify(
        &mut self,
        u: &Unit,
        path: &str,
        what: &str,
        reason: &str,
    ) -> &mut Finding {
        let place = unknown_place(u, path);
        self.cannot_verify_at(u, place, path, what, reason)
    }

    /// [`Ctx::cannot_verify`] at a place found earlier ([`unknown_place`]), when the unit
    /// was whole: what a tree rule reports from its facts.
    pub fn cannot_verify_at(
        &mut self,
        u: &Unit,
        (primary, related): (Label, Vec<Label>),
        path: &str,
        what: &str,
        reason: &str,
    ) -> &mut Finding {
        let msg = format!("cannot verify {what} because {reason}");
        let f = self.push(Some(u), Kind::CannotVerify, msg, primary);
        f.related(related).subject(path);
        f
    }

    /// A note at `primary`, reported at `level` at most, never failing a run on its own
    /// merits (the architecture's own prescriptions).
    pub fn note(
        &mut self,
        u: &Unit,
        level: Level,
        primary: Label,
        message: impl Into<String>,
    ) -> &mut Finding {
        self.push(Some(u), Kind::Note(level), message.into(), primary)
    }
}

/// Where [`Ctx::cannot_verify`] reports the value at `path` of `u`: where it was defined,
/// or where it would be added.
pub fn unknown_place(u: &Unit, path: &str) -> (Label, Vec<Label>) {
    match u.get(path).origin() {
        Some(_) => {
            let (p, r, _) = value_place(u, path);
            (p, r)
        }
        None => missing_place(u),
    }
}

/// Where a value at `path` was defined, the chain that brought it, and whether it is a
/// mock.
pub fn value_place(u: &Unit, path: &str) -> (Label, Vec<Label>, bool) {
    let origin = u.get(path).origin();
    let mock = origin.is_some_and(|o| o.mock);
    match origin {
        Some(o) => {
            let chain = u.chain_at(path);
            let related = if chain.is_empty() {
                Vec::new()
            } else {
                chain.into_iter().skip(1).collect()
            };
            (Label::new(o.span), related, mock)
        }
        None => {
            let (p, r) = missing_place(u);
            (p, r, false)
        }
    }
}

/// Where an absent input would be added: the unit's own `inputs`, else the merged
/// `inputs` (from an included file), else `terraform.source`, else the unit file.
pub fn missing_place(u: &Unit) -> (Label, Vec<Label>) {
    let own = u.own.inputs.as_ref().and_then(|v| v.origin);
    if let Some(o) = own {
        return (
            Label::new(o.span).with_note("inputs without it"),
            Vec::new(),
        );
    }
    if let Some(o) = u.inputs.as_ref().and_then(|v| v.origin) {
        let related = u.chain(&o).into_iter().skip(1).collect();
        return (Label::new(o.span).with_note("inputs without it"), related);
    }
    if let Some(o) = u
        .terraform
        .as_ref()
        .and_then(|t| t.source.as_ref())
        .and_then(|v| v.origin)
    {
        let related = u.chain(&o).into_iter().skip(1).collect();
        return (
            Label::new(o.span).with_note("the module chosen here"),
            related,
        );
    }
    let file = u.file.unwrap_or_default();
    (Label::file_start(file), Vec::new())
}
