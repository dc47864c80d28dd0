//! The evaluation budget: a bound on the work and memory that evaluating untrusted HCL may
//! take.
//!
//! Terraform has no such bound (a local that doubles a list forty times exhausts its
//! memory); tglint runs on untrusted pull requests, so every evaluation is charged against
//! a [`Budget`] and fails with an error naming the expression once it is spent. Three
//! resources are counted:
//!
//! - **steps**: expressions evaluated, iterations of `for` expressions and template
//!   `%{for}` loops, function calls (bounds time);
//! - **values**: the elements of every collection built, counted as a tree (a list that
//!   holds the same list twice counts it twice, as Terraform would copy it), so a value
//!   that doubles by sharing is refused long before anything walks it;
//! - **bytes**: the bytes of every string built;
//! - **reads**: files read and evaluated as configurations on the caller's behalf (the
//!   model charges Terragrunt's `read_terragrunt_config` here).
//!
//! Each resource has two limits: one per top-level expression (an attribute, a local, an
//! input), so that one runaway expression leaves the rest of the unit evaluable, and one
//! for everything a [`Budget`] is charged with (the model gives each unit its own).
//! Nested evaluations (a `templatefile`, a file read by a Terragrunt function) count
//! towards the expression that started them.

use crate::value::{Data, Value};
use std::fmt;
use std::sync::atomic::{AtomicBool, AtomicU32, AtomicU64, Ordering};

/// What a budget counts.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Resource {
    Steps,
    Values,
    Bytes,
    Reads,
}

impl Resource {
    pub const ALL: [Resource; 4] = [
        Resource::Steps,
        Resource::Values,
        Resource::Bytes,
        Resource::Reads,
    ];

    /// The resource named `name` (as in `--limit NAME=N`).
    pub fn from_name(name: &str) -> Option<Resource> {
        Resource::ALL.into_iter().find(|r| r.name() == name)
    }

    /// The name used in messages and in `--limit NAME=N`.
    pub fn name(self) -> &'static str {
        match self {
            Resource::Steps => "steps",
            Resource::Values => "values",
            Resource::Bytes => "bytes",
            Resource::Reads => "reads",
        }
    }

    fn index(self) -> usize {
        self as usize
    }

    fn what(self) -> &'static str {
        match self {
            Resource::Steps => "evaluation steps",
            Resource::Values => "values",
            Resource::Bytes => "bytes of strings",
            Resource::Reads => "configuration files read",
        }
    }
}

/// The limits of a budget (see `docs/security.md`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Limits {
    /// Per top-level expression, indexed by [`Resource`].
    pub per_expression: [u64; 4],
    /// For everything charged to one budget (a unit), indexed by [`Resource`].
    pub total: [u64; 4],
}

impl Limits {
    /// The defaults: a hundred times what the largest unit of the real trees in the
    /// test corpus takes (about 2,000 steps, 2,500 values, 50 KB of strings and 8 reads),
    /// and low enough that a runaway expression stops within about a second.
    pub const DEFAULT: Limits = Limits {
        per_expression: [1_000_000, 250_000, 16 << 20, 256],
        total: [4_000_000, 1_000_000, 64 << 20, 1_024],
    };

    /// No limit at all (tests of functions that must not be cut short).
    pub const UNLIMITED: Limits = Limits {
        per_expression: [u64::MAX; 4],
        total: [u64::MAX; 4],
    };

    /// Sets both limits of `r` to `n` per expression and four times `n` in total.
    pub fn with(mut self, r: Resource, n: u64) -> Limits {
        self.per_expression[r.index()] = n;
        self.total[r.index()] = n.saturating_mul(4);
        self
    }

    pub fn per_expression(&self, r: Resource) -> u64 {
        self.per_expression[r.index()]
    }

    pub fn total(&self, r: Resource) -> u64 {
        self.total[r.index()]
    }
}

impl Default for Limits {
    fn default() -> Limits {
        Limits::DEFAULT
    }
}

/// A charge that did not fit.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Exceeded {
    pub resource: Resource,
    /// Whether the per-expression limit (rather than the total) was reached.
    pub per_expression: bool,
    pub limit: u64,
}

impl fmt::Display for Exceeded {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "evaluating this needs more than {} {} ({}); tglint stops here and the value is \
             unknown (see docs/security.md; --limit {}=N raises it)",
            self.limit,
            self.resource.what(),
            if self.per_expression {
                "the limit for one expression"
            } else {
                "the limit for one unit"
            },
            self.resource.name(),
        )
    }
}

/// Counters charged by the evaluator and the functions. Shared by reference; the atomics
/// make it `Sync`, but one budget is meant for one thread of evaluation at a time.
#[derive(Debug)]
pub struct Budget {
    limits: Limits,
    used: [AtomicU64; 4],
    /// `used` when the current top-level expression started.
    base: [AtomicU64; 4],
    depth: AtomicU32,
    /// Whether an [`Exceeded`] has been reported for the current expression, and for the
    /// total, so that callers report only the first of each.
    reported_expr: AtomicBool,
    reported_total: AtomicBool,
}

impl Default for Budget {
    fn default() -> Budget {
        Budget::new(Limits::DEFAULT)
    }
}

impl Budget {
    pub const fn new(limits: Limits) -> Budget {
        Budget {
            limits,
            used: [const { AtomicU64::new(0) }; 4],
            base: [const { AtomicU64::new(0) }; 4],
            depth: AtomicU32::new(0),
            reported_expr: AtomicBool::new(false),
            reported_total: AtomicBool::new(false),
        }
    }

    pub fn limits(&self) -> &Limits {
        &self.limits
    }

    /// How much of `r` has been charged in all.
    pub fn used(&self, r: Resource) -> u64 {
        self.used[r.index()].load(Ordering::Relaxed)
    }

    /// Marks the start of an evaluation; the outermost one starts a new expression. The
    /// guard marks its end.
    pub fn enter(&self) -> Entered<'_> {
        if self.depth.fetch_add(1, Ordering::Relaxed) == 0 {
            for r in Resource::ALL {
                self.base[r.index()].store(self.used(r), Ordering::Relaxed);
            }
            self.reported_expr.store(false, Ordering::Relaxed);
        }
        Entered(self)
    }

    /// Charges `n` units of `r`.
    pub fn charge(&self, r: Resource, n: u64) -> Result<(), Exceeded> {
        let now = self.used[r.index()]
            .fetch_add(n, Ordering::Relaxed)
            .saturating_add(n);
        self.check(r, now)
    }

    /// Whether `n` more units of `r` would fit, without charging them (for functions that
    /// check the size of a result before building it).
    pub fn fits(&self, r: Resource, n: u64) -> Result<(), Exceeded> {
        self.check(r, self.used(r).saturating_add(n))
    }

    /// Whether a use of `now` units of `r` in all is within both limits.
    fn check(&self, r: Resource, now: u64) -> Result<(), Exceeded> {
        let i = r.index();
        let expr = now.saturating_sub(self.base[i].load(Ordering::Relaxed));
        let (per_expression, limit) = if expr > self.limits.per_expression[i] {
            (true, self.limits.per_expression[i])
        } else if now > self.limits.total[i] {
            (false, self.limits.total[i])
        } else {
            return Ok(());
        };
        Err(Exceeded {
            resource: r,
            per_expression,
            limit,
        })
    }

    /// What is left of `r` for the current expression.
    fn remaining(&self, r: Resource) -> u64 {
        let i = r.index();
        let used = self.used(r);
        let expr_left = self.limits.per_expression[i]
            .saturating_sub(used.saturating_sub(self.base[i].load(Ordering::Relaxed)));
        let total_left = self.limits.total[i].saturating_sub(used);
        expr_left.min(total_left)
    }

    /// Charges a value just built: every element of every collection in it counted as a
    /// tree, and the bytes of its strings. The walk stops as soon as the charge no longer
    /// fits, so it costs no more than what it charges.
    pub fn charge_value(&self, v: &Value) -> Result<(), Exceeded> {
        let values_left = self.remaining(Resource::Values);
        let bytes_left = self.remaining(Resource::Bytes);
        let (mut values, mut bytes) = (0u64, 0u64);
        let mut stack: Vec<&Value> = vec![v];
        while let Some(v) = stack.pop() {
            values += 1;
            match &v.data {
                Data::String(s) => bytes += s.len() as u64,
                Data::Seq(_, items) => stack.extend(items.iter()),
                Data::Map(_, m) => {
                    for (k, x) in m.iter() {
                        bytes += k.len() as u64;
                        stack.push(x);
                    }
                }
                _ => {}
            }
            if values > values_left || bytes > bytes_left {
                break;
            }
        }
        self.charge(Resource::Values, values)?;
        self.charge(Resource::Bytes, bytes)
    }

    /// Whether `e` should be reported: the first exceeded limit of an expression (with
    /// everything nested in it) is, and the first exceeded total; the failures that
    /// follow from them are not.
    pub fn first_report(&self, e: &Exceeded) -> bool {
        let flag = if e.per_expression {
            &self.reported_expr
        } else {
            &self.reported_total
        };
        !flag.swap(true, Ordering::Relaxed)
    }
}

/// A budget that never runs out, for calls made outside any evaluation (tests, direct
/// function calls through [`crate::functions::CallCtx::detached`]).
pub static UNLIMITED: Budget = Budget::new(Limits::UNLIMITED);

/// The guard of [`Budget::enter`].
pub struct Entered<'a>(&'a Budget);

impl Drop for Entered<'_> {
    fn drop(&mut self) {
        self.0.depth.fetch_sub(1, Ordering::Relaxed);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn per_expression_limit_resets_for_each_expression() {
        let b = Budget::new(Limits::DEFAULT.with(Resource::Steps, 10));
        {
            let _e = b.enter();
            assert!(b.charge(Resource::Steps, 10).is_ok());
            let e = b.charge(Resource::Steps, 1).unwrap_err();
            assert!(e.per_expression);
            assert_eq!(e.limit, 10);
        }
        {
            let _e = b.enter();
            // A new expression has its own allowance, until the total (40) is spent.
            assert!(b.charge(Resource::Steps, 10).is_ok());
        }
        // 21 used so far; the next expression fits, the one after reaches the total.
        {
            let _e = b.enter();
            assert!(b.charge(Resource::Steps, 10).is_ok());
        }
        {
            let _e = b.enter();
            let e = b.charge(Resource::Steps, 10).unwrap_err();
            assert!(!e.per_expression, "{e}");
            assert_eq!(e.limit, 40);
        }
    }

    #[test]
    fn nested_evaluations_count_towards_the_outer_expression() {
        let b = Budget::new(Limits::DEFAULT.with(Resource::Steps, 10));
        let _outer = b.enter();
        b.charge(Resource::Steps, 6).unwrap();
        {
            let _inner = b.enter();
            assert!(b.charge(Resource::Steps, 6).is_err());
        }
    }

    #[test]
    fn shared_values_are_charged_as_trees_and_the_walk_stops_early() {
        let b = Budget::new(Limits::DEFAULT.with(Resource::Values, 1000));
        let _e = b.enter();
        let mut v = Value::string("x");
        for _ in 0..40 {
            v = Value::tuple(vec![v.clone(), v]);
        }
        // 2^41 - 1 nodes as a tree; refused after walking about a thousand of them.
        let e = b.charge_value(&v).unwrap_err();
        assert_eq!(e.resource, Resource::Values);
        assert!(b.used(Resource::Values) < 2000);
    }

    #[test]
    fn strings_are_charged_by_their_bytes() {
        let b = Budget::new(Limits::DEFAULT.with(Resource::Bytes, 100));
        let _e = b.enter();
        assert!(b.charge_value(&Value::string("a".repeat(60))).is_ok());
        assert!(b.charge_value(&Value::string("a".repeat(60))).is_err());
    }
}
