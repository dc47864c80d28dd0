//! The unit as one HCL object: what the render view prints and what policy `check` blocks
//! see as `unit`.

use super::Unit;
use crate::fs::relative;
use std::collections::BTreeMap;
use std::path::Path;
use tglint_hcl::Value;

impl Unit {
    /// A path for the view: relative to the root, absolute when outside it (so the view
    /// does not depend on where the root sits).
    pub fn view_path(&self, p: &Path) -> String {
        if p.starts_with(&*self.root) {
            relative(p, &self.root)
        } else {
            p.display().to_string()
        }
    }

    /// The unit as an object:
    ///
    /// | key | value |
    /// |---|---|
    /// | `path` | the unit's directory relative to the root |
    /// | `file` | the unit file relative to the root |
    /// | `environment`, `region` | the classified names, or null |
    /// | `module`, `version` | `terraform.source` as a module address and version, or null |
    /// | `includes` | `[{label, path, merge_strategy, expose}]` |
    /// | `locals` | the unit file's own locals |
    /// | `inputs` | the merged inputs (`{}` when none) |
    /// | `terraform`, `remote_state`, `exclude`, `errors`, `engine` | the block as an object, or null |
    /// | `excluded` | [`Unit::excluded`]: true, false, or null when unknown |
    /// | `generate` | label → block |
    /// | `dependencies` | `[{name, config_path, target, enabled, skip_outputs, mock_outputs}]` |
    /// | `dependency_paths` | `dependencies.paths` and each enabled block's `config_path` |
    /// | `features` | flag → its default |
    /// | `stack` | `{file, unit}` for a unit generated from a stack file, or null |
    /// | `values` | what the unit sees as `values`, or null |
    ///
    /// Values keep their origins; the collections built here have none.
    pub fn to_value(&self) -> Value {
        let mut m: BTreeMap<String, Value> = BTreeMap::new();
        let s = |x: &str| Value::string(x);
        let opt_str = |x: Option<&str>| x.map(Value::string).unwrap_or_else(Value::null);
        m.insert("path".into(), s(&self.dir));
        m.insert("file".into(), s(&self.view_path(&self.path)));
        m.insert(
            "environment".into(),
            opt_str(self.environment.as_ref().map(|c| c.name.as_str())),
        );
        m.insert(
            "region".into(),
            opt_str(self.region.as_ref().map(|c| c.name.as_str())),
        );
        m.insert(
            "module".into(),
            opt_str(self.module().map(|x| x.address.as_str())),
        );
        m.insert(
            "version".into(),
            opt_str(self.module().and_then(|x| x.version.as_deref())),
        );
        let includes = self
            .includes
            .iter()
            .map(|i| {
                Value::object(BTreeMap::from([
                    ("label".to_string(), s(&i.label)),
                    ("path".to_string(), s(&self.view_path(&i.path))),
                    ("merge_strategy".to_string(), s(i.merge.as_str())),
                    ("expose".to_string(), Value::bool(i.expose)),
                ]))
            })
            .collect();
        m.insert("includes".into(), Value::tuple(includes));
        m.insert("locals".into(), Value::object(self.locals.clone()));
        m.insert(
            "inputs".into(),
            self.inputs
                .clone()
                .unwrap_or_else(|| Value::object(BTreeMap::new())),
        );
        let or_null = |v: Option<&Value>| v.cloned().unwrap_or_else(Value::null);
        m.insert(
            "terraform".into(),
            or_null(self.terraform.as_ref().map(|t| &t.value)),
        );
        m.insert(
            "remote_state".into(),
            or_null(self.remote_state.as_ref().map(|r| &r.value)),
        );
        m.insert("exclude".into(), or_null(self.exclude.as_ref()));
        m.insert("errors".into(), or_null(self.errors.as_ref()));
        m.insert("engine".into(), or_null(self.engine.as_ref()));
        m.insert(
            "excluded".into(),
            self.excluded().map(Value::bool).unwrap_or_else(Value::null),
        );
        m.insert(
            "generate".into(),
            Value::object(
                self.generate
                    .iter()
                    .map(|g| (g.label.clone(), g.view()))
                    .collect(),
            ),
        );
        let dependencies = self
            .dependencies
            .iter()
            .map(|d| {
                let target = match (&d.target_unit, &d.target) {
                    (Some(u), _) => s(u),
                    (None, Some(t)) => s(&self.view_path(t)),
                    (None, None) => Value::null(),
                };
                Value::object(BTreeMap::from([
                    ("name".to_string(), s(&d.label)),
                    ("config_path".to_string(), d.config_path.clone()),
                    ("target".to_string(), target),
                    ("enabled".to_string(), Value::bool(d.enabled)),
                    ("skip_outputs".to_string(), Value::bool(d.skip_outputs)),
                    ("mock_outputs".to_string(), or_null(d.mock_outputs.as_ref())),
                ]))
            })
            .collect();
        m.insert("dependencies".into(), Value::tuple(dependencies));
        m.insert(
            "dependency_paths".into(),
            Value::tuple(self.dependency_paths()),
        );
        let features = self
            .features
            .iter()
            .map(|(k, v)| {
                let default = v
                    .as_map()
                    .and_then(|f| f.get("default"))
                    .cloned()
                    .unwrap_or_else(Value::null);
                (k.clone(), default)
            })
            .collect();
        m.insert("features".into(), Value::object(features));
        m.insert("values".into(), or_null(self.values.as_ref()));
        let stack = self.stack.as_ref().map(|o| {
            Value::object(BTreeMap::from([
                ("file".to_string(), s(&self.view_path(&o.path))),
                ("unit".to_string(), s(&o.unit)),
            ]))
        });
        m.insert("stack".into(), stack.unwrap_or_else(Value::null));
        Value::object(m)
    }
}
