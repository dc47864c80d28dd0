//! What the performance work must not change: a unit resolved in a large tree is the unit
//! resolved alone (same values, origins, reads and diagnostics), whatever was cached,
//! shared or dropped while the other units resolved.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::{Path, PathBuf};
use std::sync::Arc;
use tglint_model::discover::discover;
use tglint_model::fs::MemFs;
use tglint_model::load;
use tglint_model::render::unit_json;
use tglint_model::terragrunt::context::Options;

const ROOT: &str = r#"locals {
  env_vars    = read_terragrunt_config(find_in_parent_folders("env.hcl"))
  region_vars = read_terragrunt_config(find_in_parent_folders("region.hcl"))
  environment = local.env_vars.locals.environment
  aws_region  = local.region_vars.locals.aws_region
}

remote_state {
  backend = "s3"
  config = {
    bucket = "acme-${local.environment}"
    key    = "${path_relative_to_include()}/terraform.tfstate"
    region = local.aws_region
  }
}

generate "provider" {
  path      = "provider.tf"
  if_exists = "overwrite_terragrunt"
  contents  = <<-EOF
    provider "aws" {
      region = "${local.aws_region}"
      default_tags {
        tags = { Environment = "${local.environment}" }
      }
    }
  EOF
}

inputs = merge(local.env_vars.locals, { region = local.aws_region })
"#;

const SERVICE: &str = r#"locals {
  env_vars = read_terragrunt_config(find_in_parent_folders("env.hcl"))
  env      = local.env_vars.locals.environment
  sizes    = { dev = 256, prod = 1024 }
}

terraform {
  source = "tfr:///terraform-aws-modules/ecs/aws//modules/service?version=5.12.0"
}

inputs = {
  cpu  = lookup(local.sizes, local.env, 512)
  tags = { Layer = "services", Env = local.env }
}
"#;

/// A tree of `envs` environments, two regions each, a VPC and `per_region` services in
/// each region, every service including root.hcl and `_envcommon/service.hcl` (exposed,
/// deep merge) with a dependency on its VPC (mocked).
fn tree_fs(envs: usize, per_region: usize) -> (MemFs, Vec<PathBuf>) {
    let mut fs = MemFs::new()
        .file("/r/root.hcl", ROOT)
        .file("/r/_envcommon/service.hcl", SERVICE);
    let mut units = Vec::new();
    for e in 0..envs {
        let kind = ["dev", "staging", "uat", "prod"][e % 4];
        let env = format!("/r/environments/{kind}-{e:03}");
        fs = fs.file(
            format!("{env}/env.hcl"),
            format!("locals {{\n  environment = \"{kind}\"\n}}\n"),
        );
        for region in ["us-east-1", "eu-west-1"] {
            let base = format!("{env}/{region}");
            fs = fs.file(
                format!("{base}/region.hcl"),
                format!("locals {{\n  aws_region = \"{region}\"\n}}\n"),
            );
            let vpc = format!("{base}/vpc/terragrunt.hcl");
            fs = fs.file(
                &vpc,
                "include \"root\" {\n  path = find_in_parent_folders(\"root.hcl\")\n}\ninputs = { cidr = \"10.0.0.0/16\" }\n",
            );
            units.push(PathBuf::from(vpc));
            for s in 0..per_region {
                let p = format!("{base}/svc-{s}/terragrunt.hcl");
                fs = fs.file(
                    &p,
                    format!(
                        r#"include "root" {{
  path = find_in_parent_folders("root.hcl")
}}

include "envcommon" {{
  path           = "${{dirname(find_in_parent_folders("root.hcl"))}}/_envcommon/service.hcl"
  expose         = true
  merge_strategy = "deep"
}}

dependency "vpc" {{
  config_path  = "../vpc"
  mock_outputs = {{ vpc_id = "vpc-mock" }}
}}

inputs = {{
  name   = "svc-{s}-${{include.envcommon.locals.env}}"
  vpc_id = dependency.vpc.outputs.vpc_id
  tags   = {{ Service = "svc-{s}" }}
}}
"#
                    ),
                );
                units.push(PathBuf::from(p));
            }
        }
    }
    (fs, units)
}

#[test]
fn a_unit_in_a_large_tree_is_the_unit_resolved_alone() {
    let (fs, units) = tree_fs(24, 12);
    assert_eq!(units.len(), 24 * 2 * 13);
    let fs = Arc::new(fs);
    let root = Path::new("/r");
    let all = load::load(fs.clone(), root, Options::default());
    assert_eq!(all.units.len(), units.len());
    // A few units from every corner of the tree: first, last, and some in between.
    let picks = [0, 1, 13, 150, 311, units.len() - 1];
    for &i in &picks {
        let unit_file = &units[i];
        let alone = load::load_units(
            fs.clone(),
            root,
            Options::default(),
            std::slice::from_ref(unit_file),
            discover(&*fs, root),
        );
        assert_eq!(alone.units.len(), 1);
        let dir = alone.units[0].dir.clone();
        let big = all.unit(&dir).expect("the unit in the whole tree");
        let (a, b) = (unit_json(&all, big), unit_json(&alone, &alone.units[0]));
        assert_eq!(a, b, "{dir} differs between the whole tree and alone");
        let msgs = |t: &load::Tree, u: &tglint_model::unit::Unit| -> Vec<String> {
            u.diagnostics
                .iter()
                .map(|d| format!("{} {} {}", d.rule, d.message, t.rel(d.primary.file)))
                .collect()
        };
        assert_eq!(msgs(&all, big), msgs(&alone, &alone.units[0]), "{dir}");
        let reads = |t: &load::Tree, u: &tglint_model::unit::Unit| -> Vec<String> {
            u.reads
                .iter()
                .map(|r| format!("{} {:?}", t.rel(r.target_file), r.via))
                .collect()
        };
        assert_eq!(reads(&all, big), reads(&alone, &alone.units[0]), "{dir}");
        // The values are real: the environment and region came through the chain.
        let kind = dir
            .split('/')
            .nth(1)
            .and_then(|e| e.split('-').next())
            .unwrap_or("");
        let region = dir.split('/').nth(2).unwrap_or("");
        let inputs = &a["inputs"];
        assert_eq!(inputs["environment"], kind, "{dir}: {inputs}");
        assert_eq!(inputs["region"], region, "{dir}: {inputs}");
    }
}
