use crate::context::{Ctx, value_place};
use crate::declare_rule;
use crate::rule::{Level, Rule};
use crate::rules::shared_generated::{
    TfBlock, TfFile, TfName, TfState, TfValue, at_line, incomplete, lit_str, terraform_files,
};
use std::collections::BTreeMap;
use tglint_model::diag::Label;
use tglint_model::hcl::Data;
use tglint_model::module::{ModuleSource, SourceKind};
use tglint_model::unit::{Lookup, Unit};

declare_rule! {
    /// Requires the generated AWS provider's `default_tags` to carry the required tags (Project, Environment, ManagedBy, CostAllocation).
    ///
    /// ## Why is this bad?
    /// The reference architecture's tagging strategy applies default tags "at provider
    /// level" to every resource: cost allocation, ownership and the environment come from
    /// the `provider "aws"` block that `root.hcl` generates, not from each module's `tags`
    /// input. A provider without them leaves every resource of the unit untagged.
    ///
    /// Checked: every `generate` block that writes a `.tf` or `.tf.json` (or `.tofu`,
    /// `.tofu.json`) file and is not disabled. Its `contents`, which Terragrunt has already interpolated (so
    /// `"${local.environment}"` is a literal by then), are parsed (HCL, or Terraform's JSON syntax), and every
    /// `provider "aws"` block in them, aliases included (the eu-west-1 provider too), must
    /// have `default_tags { tags = { … } }` with:
    ///
    /// - each of the required tags (`Project`, `Environment`, `ManagedBy`,
    ///   `CostAllocation`), with a non-empty value. A value that is a Terraform expression
    ///   (`var.project`) counts as present: it has no value before Terraform runs;
    /// - `Environment` equal to the unit's environment name (`prod`, `prod-eu`) when it is
    ///   a literal; a Terraform expression there (the architecture's bare
    ///   `local.environment`, which Terragrunt does not interpolate) cannot be verified;
    /// - the recommended tags (`ManagedByModule`), reported at info when missing.
    ///
    /// A tag whose value calls `timestamp()` (the architecture's `CreatedDate` and
    /// `LastModifiedDate`) is reported at info, never more, because the architecture
    /// prescribes it: `default_tags` must be known at plan time (terraform-provider-aws
    /// #18311; #22301 and #30801 show "inconsistent final plan" errors), and the value
    /// changes on every apply, so it cannot record a creation date (module-inputs.md §3.6).
    ///
    /// A unit that generates no `provider "aws"` block at all is a finding: Terraform then
    /// configures the provider from the module, and terraform-aws-modules declare none, so
    /// the resources get no default tags. It is "cannot verify" instead when the unit has
    /// no `terraform.source` (its own `.tf` files, which tglint does not read, may configure
    /// the provider) or when its configuration did not load completely (a parse or include
    /// error); and a unit that generates only other clouds' providers (`google`,
    /// `azurerm`), or whose module is another provider's
    /// (`terraform-google-modules/network/google`), is not an AWS unit: not checked.
    ///
    /// ## Example
    /// ```hcl
    /// # root.hcl
    /// generate "provider" {
    ///   path      = "provider.tf"
    ///   if_exists = "overwrite_terragrunt"
    ///   contents  = <<EOF
    /// provider "aws" {
    ///   region = "us-east-1"
    ///   default_tags {
    ///     tags = {
    ///       Project     = "terragrunt-starter"
    ///       Environment = "${local.environment}"
    ///     }
    ///   }
    /// }
    /// EOF
    /// }
    /// ```
    /// Use instead:
    /// ```hcl
    /// generate "provider" {
    ///   path      = "provider.tf"
    ///   if_exists = "overwrite_terragrunt"
    ///   contents  = <<EOF
    /// provider "aws" {
    ///   region = "us-east-1"
    ///   default_tags {
    ///     tags = {
    ///       Project         = "terragrunt-starter"
    ///       Environment     = "${local.environment}"
    ///       ManagedBy       = "Terraform"
    ///       ManagedByModule = "${local.module_name}"
    ///       CostAllocation  = "${local.cost_allocation_tag}"
    ///     }
    ///   }
    /// }
    /// EOF
    /// }
    /// ```
    ///
    /// ## Options
    /// - `tags` (list of strings, default `["Project", "Environment", "ManagedBy",
    ///   "CostAllocation"]`): the required tags;
    /// - `recommended` (list of strings, default `["ManagedByModule"]`): tags reported at
    ///   info when missing;
    /// - `environment_tag` (string, default `"Environment"`): the tag that must equal the
    ///   unit's environment name (`""` to not compare).
    ///
    /// ## Known limitations
    /// - Contents with an unknown interpolation (`${get_aws_account_id()}`) are read from
    ///   their known text: a tag whose value is the unknown counts as present but cannot
    ///   be compared; an unknown template directive (`%{ if … }`) leaves nothing known, so
    ///   the tags cannot be verified.
    /// - Findings point at the contents (the heredoc) and name the line inside them: the
    ///   lines of the generated file are not mapped back to the lines of the heredoc.
    /// - `tags = merge(…)` or `tags = var.tags` are Terraform expressions: cannot verify.
    /// - Providers in generated `.tf.json` files are read as Terraform's JSON syntax
    ///   (their findings name no line); providers in the module's own code are not read.
    RequiredTags {
        id: "required-tags",
        category: Reliability,
        default_level: Error,
        scope: Unit,
        options: Options,
    }
}

/// The options of `required-tags`.
#[derive(Debug, serde::Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Options {
    pub tags: Vec<String>,
    pub recommended: Vec<String>,
    pub environment_tag: String,
}

impl Default for Options {
    fn default() -> Options {
        Options {
            tags: ["Project", "Environment", "ManagedBy", "CostAllocation"]
                .map(String::from)
                .to_vec(),
            recommended: vec!["ManagedByModule".to_string()],
            environment_tag: "Environment".to_string(),
        }
    }
}

impl Rule for RequiredTags {
    fn meta(&self) -> &'static crate::rule::Meta {
        &Self::META
    }

    fn check(&self, u: &Unit, cx: &mut Ctx<'_>) {
        let o = cx.options::<Options>();
        let files = terraform_files(u);
        let mut providers = 0;
        let mut other_providers = 0;
        for f in &files {
            if let TfState::Parsed(parsed) = &f.state {
                for p in parsed.body.blocks("provider", None) {
                    match p.labels.first() {
                        Some(TfName::Known(l)) if l == "aws" => {}
                        // A label Terragrunt could not interpolate may be "aws".
                        Some(TfName::Unknown(reason)) => {
                            let why = format!(
                                "the label of a provider block in {} is unknown ({reason})",
                                f.describe()
                            );
                            cx.cannot_verify(
                                u,
                                &f.contents_path(),
                                "the AWS provider's default_tags",
                                &why,
                            );
                            providers += 1;
                            continue;
                        }
                        _ => {
                            other_providers += 1;
                            continue;
                        }
                    }
                    providers += 1;
                    check_provider(u, cx, &o, f, p);
                }
            }
        }
        let mut unverified = 0;
        for f in &files {
            // Unknown contents elsewhere only matter if they may hold a provider.
            if providers > 0 && !f.looks_like_provider() {
                continue;
            }
            let what = "the AWS provider's default_tags";
            match &f.state {
                TfState::Parsed { .. } => continue,
                TfState::Unknown { at, .. } => {
                    let why = f.unknown_why().unwrap_or_default();
                    cx.cannot_verify(u, at, what, &why);
                }
                TfState::Invalid { message } => {
                    let why = format!("the contents of {} do not parse ({message})", f.describe());
                    cx.cannot_verify(u, &f.contents_path(), what, &why);
                }
            }
            unverified += 1;
        }
        // Providers of other clouds only (google, azurerm), or a module of another
        // provider (terraform-google-modules/network/google): not an AWS unit.
        if providers > 0 || unverified > 0 || other_providers > 0 {
            return;
        }
        if u.module()
            .and_then(module_provider)
            .is_some_and(|p| p != "aws")
        {
            return;
        }
        let at = Label::file_start(u.file.unwrap_or_default());
        let why = if u
            .terraform
            .as_ref()
            .and_then(|t| t.source.as_ref())
            .is_none()
        {
            Some("no generate block writes a provider \"aws\" and the unit has no terraform.source: its own .tf files, which tglint does not read, may configure it".to_string())
        } else if let Lookup::Unknown { reason, .. } = u.get("terraform.source") {
            Some(format!(
                "no generate block writes a provider \"aws\", and the module, which may not be an AWS one, is unknown ({reason})"
            ))
        } else {
            incomplete(u)
                .map(|why| format!("no generate block writes a provider \"aws\", but {why}"))
        };
        if let Some(why) = why {
            let f = cx.cannot_verify(
                u,
                "terraform.source",
                "the AWS provider's default_tags",
                &why,
            );
            f.diagnostic.primary = at;
            f.diagnostic.related.clear();
            return;
        }
        cx.report(
            at,
            "no generate block writes a provider \"aws\" block, so the module's resources get no default tags",
        )
        .help(format!(
            "generate the provider in root.hcl: generate \"provider\" {{ path = \"provider.tf\" … }} with provider \"aws\" {{ default_tags {{ tags = {{ {} = … }} }} }}",
            o.tags.join(" = …, ")
        ));
    }
}

/// The tags of one `provider "aws"` block.
fn check_provider(u: &Unit, cx: &mut Ctx<'_>, o: &Options, f: &TfFile<'_>, p: &TfBlock) {
    let path = f.contents_path();
    let alias = match p.body.attribute("alias") {
        Some(TfValue::Literal(v)) => lit_str(v).map(|a| format!(" alias \"{a}\"")),
        Some(TfValue::Unknown { .. }) => Some(" alias (unknown)".to_string()),
        Some(e) => Some(format!(" alias {}", e.text())),
        None => None,
    }
    .unwrap_or_default();
    let name = format!(
        "provider \"aws\"{alias} in generate \"{}\"{}",
        f.block.label,
        at_line(p.line)
    );
    let help = "add the tag to default_tags { tags = { … } } in the generate block's contents";
    let default_tags = p.body.blocks("default_tags", None);
    if default_tags.is_empty() {
        cx.report_value(
            u,
            &path,
            format!(
                "{name} has no default_tags: the required tags {} are missing",
                list(&o.tags)
            ),
        )
        .help(help);
        return;
    }
    // Every entry of every default_tags block (Terraform allows one; all are read).
    let mut tags: BTreeMap<String, TfValue> = BTreeMap::new();
    let mut unknown_keys: Option<String> = None;
    for dt in &default_tags {
        let Some(value) = dt.body.attribute("tags") else {
            continue;
        };
        let Some(entries) = value.entries() else {
            let why = match value {
                TfValue::Unknown { reason } => format!("default_tags.tags is unknown ({reason})"),
                _ => format!(
                    "default_tags.tags is the Terraform expression `{}`, known only when Terraform runs",
                    value.text()
                ),
            };
            cx.cannot_verify(u, &path, &format!("the default tags of {name}"), &why);
            return;
        };
        for (k, v) in entries {
            match k {
                TfName::Known(k) => {
                    tags.insert(k, v);
                }
                TfName::Expr(_) => {
                    unknown_keys.get_or_insert_with(|| "a key of default_tags.tags is a Terraform expression, known only when Terraform runs".to_string());
                }
                TfName::Unknown(reason) => {
                    unknown_keys.get_or_insert_with(|| {
                        format!("a key of default_tags.tags is unknown ({reason})")
                    });
                }
            }
        }
    }

    let missing: Vec<&String> = o.tags.iter().filter(|t| !tags.contains_key(*t)).collect();
    if !missing.is_empty() {
        let what = if missing.len() == 1 {
            format!("the required default tag {}", missing[0])
        } else {
            format!("the required default tags {}", list(&missing))
        };
        if let Some(why) = &unknown_keys {
            cx.cannot_verify(u, &path, &format!("{what} of {name}"), why);
        } else {
            cx.report_value(u, &path, format!("{name} lacks {what}"))
                .help(help);
        }
    }

    let env_name = cx
        .environment()
        .and(u.environment.as_ref())
        .map(|c| c.name.clone());
    for (k, e) in &tags {
        if e.calls("timestamp") {
            let (label, related, _) = value_place(u, &path);
            cx.note(
                u,
                Level::Info,
                label,
                format!(
                    "{name}: default tag {k} = {} changes on every apply and has no value at plan time",
                    e.text()
                ),
            )
            .related(related)
            .subject(&path)
            .help("default_tags must be known at plan time (terraform-provider-aws#18311; #22301 and #30801 show \"inconsistent final plan\" errors), and a timestamp rewritten on every apply records no creation date (module-inputs.md §3.6): drop the tag, or set a literal date");
            continue;
        }
        if !o.tags.contains(k) {
            continue;
        }
        match e {
            TfValue::Literal(v) => {
                let s = match &v.data {
                    Data::Null => None,
                    _ => lit_str(v),
                };
                match s {
                    None if !matches!(v.data, Data::Null) => {
                        cx.report_value(
                            u,
                            &path,
                            format!(
                                "{name}: default tag {k} is a {}, not a string",
                                v.type_name()
                            ),
                        )
                        .help("give the tag a string value");
                    }
                    None => {
                        cx.report_value(u, &path, format!("{name}: default tag {k} is null"))
                            .help("give the tag a non-empty value");
                    }
                    Some(s) if s.trim().is_empty() => {
                        cx.report_value(u, &path, format!("{name}: default tag {k} is empty"))
                            .help("give the tag a non-empty value");
                    }
                    Some(s) => {
                        if *k == o.environment_tag
                            && let Some(env) = &env_name
                            && s != *env
                        {
                            cx.report_value(
                                u,
                                &path,
                                format!(
                                    "{name}: default tag {k} = \"{s}\", but the unit's environment is \"{env}\""
                                ),
                            )
                            .help(format!(
                                "set {k} = \"${{local.environment}}\" (interpolated by Terragrunt) in the contents"
                            ));
                        }
                    }
                }
            }
            TfValue::Unknown { reason } => {
                if *k == o.environment_tag && env_name.is_some() {
                    let why = format!("its value is unknown ({reason})");
                    cx.cannot_verify(u, &path, &format!("default tag {k} of {name}"), &why);
                }
            }
            other => {
                let src = other.text();
                if *k == o.environment_tag && env_name.is_some() {
                    let why = format!(
                        "its value `{src}` is a Terraform expression, known only when Terraform runs (Terragrunt interpolates only \"${{…}}\" in generate contents: write \"${{local.environment}}\")"
                    );
                    cx.cannot_verify(u, &path, &format!("default tag {k} of {name}"), &why);
                }
            }
        }
    }

    if unknown_keys.is_none() {
        for r in o.recommended.iter().filter(|r| !tags.contains_key(*r)) {
            let (label, related, _) = value_place(u, &path);
            cx.note(
                u,
                Level::Info,
                label,
                format!("{name} lacks the recommended default tag {r}"),
            )
            .related(related)
            .subject(&path)
            .help(help);
        }
    }
}

/// The provider a registry address names (`aws` of `terraform-aws-modules/vpc/aws`, also
/// for git repositories named `terraform-<provider>-<name>`).
fn module_provider(src: &ModuleSource) -> Option<&str> {
    if !matches!(src.kind, SourceKind::Registry | SourceKind::Git) {
        return None;
    }
    let base = src.address.split("//").next().unwrap_or("");
    match base.split('/').collect::<Vec<_>>().as_slice() {
        [_, _, provider] => Some(provider),
        _ => None,
    }
}

/// `a, b and c`.
fn list<S: AsRef<str>>(items: &[S]) -> String {
    match items {
        [] => String::new(),
        [one] => one.as_ref().to_string(),
        [init @ .., last] => format!(
            "{} and {}",
            init.iter()
                .map(|s| s.as_ref())
                .collect::<Vec<_>>()
                .join(", "),
            last.as_ref()
        ),
    }
}
