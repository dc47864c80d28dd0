//! Writes a synthetic Terragrunt tree in the reference layout, for benchmarks:
//! `cargo run --release --example gen_tree -- DIR UNITS`.
//!
//! Layout: root.hcl, _envcommon/<category>/<module>.hcl, and
//! environments/<env>/{env.hcl, <region>/{region.hcl, <layer>/<module>-<n>/terragrunt.hcl}}.

use std::fmt::Write as _;
use std::path::Path;

const ENVS: &[&str] = &["dev", "staging", "uat", "prod"];
const REGIONS: &[&str] = &["us-east-1", "eu-west-1", "us-west-2"];
const MODULES: &[(&str, &str, &str)] = &[
    (
        "01-infra",
        "vpc",
        "terraform-aws-modules/vpc/aws?version=5.17.0",
    ),
    (
        "02-data",
        "rds",
        "terraform-aws-modules/rds/aws?version=6.10.0",
    ),
    (
        "03-services",
        "ecs",
        "terraform-aws-modules/ecs/aws?version=5.12.0",
    ),
];

fn write(path: &Path, text: &str) -> std::io::Result<()> {
    if let Some(p) = path.parent() {
        std::fs::create_dir_all(p)?;
    }
    std::fs::write(path, text)
}

fn main() -> std::io::Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (Some(dir), Some(n)) = (
        args.first(),
        args.get(1).and_then(|n| n.parse::<usize>().ok()),
    ) else {
        eprintln!("usage: gen_tree DIR UNITS");
        std::process::exit(2);
    };
    let root = Path::new(dir);
    write(
        &root.join("root.hcl"),
        r#"locals {
  env_vars    = read_terragrunt_config(find_in_parent_folders("env.hcl"))
  region_vars = read_terragrunt_config(find_in_parent_folders("region.hcl"))
  environment = local.env_vars.locals.environment
  aws_region  = local.region_vars.locals.aws_region
}

remote_state {
  backend = "s3"
  config = {
    bucket         = "acme-tfstate-${local.environment}"
    key            = "${path_relative_to_include()}/terraform.tfstate"
    region         = local.aws_region
    encrypt        = true
    dynamodb_table = "acme-locks"
  }
}

generate "provider" {
  path      = "provider.tf"
  if_exists = "overwrite_terragrunt"
  contents  = <<-EOF
    provider "aws" {
      region = "${local.aws_region}"
      default_tags {
        tags = {
          Project     = "acme"
          Environment = "${local.environment}"
          ManagedBy   = "terragrunt"
        }
      }
    }
  EOF
}

inputs = merge(local.env_vars.locals, local.region_vars.locals)
"#,
    )?;
    for (layer, module, source) in MODULES {
        let category = layer.trim_start_matches(|c: char| c.is_ascii_digit() || c == '-');
        write(
            &root.join(format!("_envcommon/{category}/{module}.hcl")),
            &format!(
                r#"locals {{
  env_vars = read_terragrunt_config(find_in_parent_folders("env.hcl"))
  env      = local.env_vars.locals.environment
  is_prod  = contains(["uat", "prod"], local.env)
}}

terraform {{
  source = "tfr:///{source}"
}}

inputs = {{
  name                = "{module}-${{local.env}}"
  deletion_protection = local.is_prod
  multi_az            = local.env == "prod"
  tags                = {{ Module = "{module}", Layer = "{layer}" }}
}}
"#
            ),
        )?;
    }
    let mut made = 0;
    'outer: for i in 0.. {
        for (e, env) in ENVS.iter().enumerate() {
            write(
                &root.join(format!("environments/{env}/env.hcl")),
                &format!("locals {{\n  environment = \"{env}\"\n}}\n"),
            )?;
            for (r, region) in REGIONS.iter().enumerate() {
                write(
                    &root.join(format!("environments/{env}/{region}/region.hcl")),
                    &format!("locals {{\n  aws_region = \"{region}\"\n}}\n"),
                )?;
                for (layer, module, _) in MODULES {
                    if made >= n {
                        break 'outer;
                    }
                    let category =
                        layer.trim_start_matches(|c: char| c.is_ascii_digit() || c == '-');
                    let mut text = format!(
                        r#"include "root" {{
  path = find_in_parent_folders("root.hcl")
}}

include "envcommon" {{
  path   = "${{dirname(find_in_parent_folders("root.hcl"))}}/_envcommon/{category}/{module}.hcl"
  expose = true
}}
"#
                    );
                    if *module != "vpc" {
                        let _ = write!(
                            text,
                            "\ndependency \"vpc\" {{\n  config_path = \"../../01-infra/vpc-{i}\"\n  mock_outputs = {{ vpc_id = \"vpc-mock\" }}\n}}\n"
                        );
                    }
                    let cidr = format!("10.{}.{}.0/24", (i * 12 + e * 3 + r) % 250, 0);
                    let _ = write!(
                        text,
                        "\ninputs = {{\n  cidr     = \"{cidr}\"\n  azs      = [\"{region}a\", \"{region}b\", \"{region}c\"]\n  vpc_id   = {}\n}}\n",
                        if *module == "vpc" {
                            "null"
                        } else {
                            "dependency.vpc.outputs.vpc_id"
                        }
                    );
                    write(
                        &root.join(format!(
                            "environments/{env}/{region}/{layer}/{module}-{i}/terragrunt.hcl"
                        )),
                        &text,
                    )?;
                    made += 1;
                }
            }
        }
    }
    eprintln!("wrote {made} units under {}", root.display());
    Ok(())
}
