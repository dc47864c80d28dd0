//! Functions behind Terragrunt experiments, which tglint does not enable: `deep_merge`.

use super::tg;
use tglint_hcl::{CallCtx, FnError, FnResult, Value};

pub(super) fn deep_merge(cx: &CallCtx<'_>, _: Vec<Value>) -> FnResult {
    let ctx = tg(cx)?;
    Err(FnError::call(format!(
        "deep_merge in {} requires the 'deep-merge' experiment to be enabled",
        ctx.config_path.display()
    )))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::functions::test_support::*;
    use std::collections::BTreeMap;

    #[test]
    fn deep_merge_needs_the_experiment() {
        let t = empty();
        t.err(
            "deep_merge",
            vec![Value::object(BTreeMap::new()), Value::null()],
            "deep_merge in /r/a/terragrunt.hcl requires the 'deep-merge' experiment to be enabled",
        );
        t.unknown("deep_merge", vec![Value::unknown("m")], "m");
    }
}
