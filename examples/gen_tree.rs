//! Writes a synthetic Terragrunt tree in the reference layout, for benchmarks:
//! `cargo run --release --example gen_tree -- DIR UNITS`.
//!
//! Layout (18 units a region; dev, staging and uat in us-east-1, prod also in eu-west-1, as
//! the reference policy allows, so 11,000 units are 489 environments):
//!
//! ```text
//! root.hcl                       reads env.hcl and region.hcl; remote_state; a generated provider
//! _envcommon/<category>/<module>.hcl   read_terragrunt_config of env.hcl; inputs per environment
//! environments/<kind>-<n>/env.hcl
//! environments/<kind>-<n>/<region>/region.hcl
//! environments/<kind>-<n>/<region>/01-infra/vpc/terragrunt.hcl
//! environments/<kind>-<n>/<region>/02-data/rds/terragrunt.hcl           dependency on vpc, mocks
//! environments/<kind>-<n>/<region>/03-services/cluster/terragrunt.hcl   dependency on vpc
//! environments/<kind>-<n>/<region>/03-services/svc-<k>/terragrunt.hcl   15 ECS services
//! ```
//!
//! Every unit includes root.hcl and its `_envcommon` file (`expose = true`, a deep merge).

use std::fmt::Write as _;
use std::path::Path;

const KINDS: &[&str] = &["dev", "staging", "uat", "prod"];
/// The regions the reference policy allows each kind (prod also runs in eu-west-1).
fn regions(kind: &str) -> &'static [&'static str] {
    if kind == "prod" {
        &["us-east-1", "eu-west-1"]
    } else {
        &["us-east-1"]
    }
}
const SERVICES: usize = 15;
/// vpc, rds, cluster and the services.
const PER_REGION: usize = 3 + SERVICES;

fn write(path: &Path, text: &str) -> std::io::Result<()> {
    if let Some(p) = path.parent() {
        std::fs::create_dir_all(p)?;
    }
    std::fs::write(path, text)
}

const ROOT: &str = r#"locals {
  env_vars    = read_terragrunt_config(find_in_parent_folders("env.hcl"))
  region_vars = read_terragrunt_config(find_in_parent_folders("region.hcl"))
  environment = local.env_vars.locals.environment
  account     = local.env_vars.locals.account_name
  aws_region  = local.region_vars.locals.aws_region
}

remote_state {
  backend = "s3"
  config = {
    bucket         = "acme-tfstate-${local.account}"
    key            = "${path_relative_to_include()}/terraform.tfstate"
    region         = local.aws_region
    encrypt        = true
    dynamodb_table = "acme-locks"
  }
  generate = {
    path      = "backend.tf"
    if_exists = "overwrite_terragrunt"
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
          Project         = "acme"
          Environment     = "${local.environment}"
          ManagedBy       = "terragrunt"
          ManagedByModule = "${path_relative_to_include()}"
          CostAllocation  = "acme-${local.environment}"
        }
      }
    }
  EOF
}

inputs = merge(local.env_vars.locals, local.region_vars.locals, {
  tags = {
    Project     = "acme"
    Environment = local.environment
  }
})
"#;

/// `_envcommon/<category>/<module>.hcl`: (category, module, source, inputs).
const ENVCOMMON: &[(&str, &str, &str, &str)] = &[
    (
        "infra",
        "vpc",
        "terraform-aws-modules/vpc/aws?version=5.17.0",
        r#"  name                   = "vpc-${local.env}"
  enable_nat_gateway     = local.env != "dev"
  single_nat_gateway     = local.env != "prod"
  one_nat_gateway_per_az = local.env == "prod"
  enable_dns_hostnames   = true
  enable_flow_log        = local.env == "prod"
  create_flow_log_cloudwatch_iam_role  = local.env == "prod"
  create_flow_log_cloudwatch_log_group = local.env == "prod"
  flow_log_cloudwatch_log_group_retention_in_days = 30
  manage_default_security_group = true
  default_security_group_ingress = []
  default_security_group_egress  = []
  tags                   = { Layer = "infra" }
"#,
    ),
    (
        "data",
        "rds",
        "terraform-aws-modules/rds/aws?version=6.10.0",
        r#"  identifier              = "db-${local.env}"
  engine                  = "postgres"
  engine_version          = "16.3"
  instance_class          = lookup(local.sizes, local.env).class
  allocated_storage       = lookup(local.sizes, local.env).storage
  storage_encrypted       = true
  deletion_protection     = local.is_prod
  multi_az                = local.env == "prod"
  backup_retention_period = lookup(local.sizes, local.env).backup
  monitoring_interval     = local.env == "prod" ? 60 : 0
  create_monitoring_role  = local.env == "prod"
  tags                    = { Layer = "data" }
"#,
    ),
    (
        "services",
        "cluster",
        "terraform-aws-modules/ecs/aws//modules/cluster?version=5.12.0",
        r#"  cluster_name = "ecs-${local.env}"
  cluster_settings = [{ name = "containerInsights", value = local.env == "prod" ? "enabled" : "disabled" }]
  tags         = { Layer = "services" }
"#,
    ),
    (
        "services",
        "service",
        "terraform-aws-modules/ecs/aws//modules/service?version=5.12.0",
        r#"  cpu           = local.is_prod ? 1024 : 256
  memory        = local.is_prod ? 2048 : 512
  desired_count = local.is_prod ? 3 : 1
  enable_execute_command = !local.is_prod
  tags          = { Layer = "services" }
"#,
    ),
];

fn envcommon(source: &str, inputs: &str) -> String {
    format!(
        r#"locals {{
  env_vars = read_terragrunt_config(find_in_parent_folders("env.hcl"))
  env      = local.env_vars.locals.environment
  is_prod  = contains(["uat", "prod"], local.env)
  sizes = {{
    dev     = {{ class = "db.t3.micro", storage = 20, backup = 7 }}
    staging = {{ class = "db.t3.small", storage = 30, backup = 14 }}
    uat     = {{ class = "db.t3.small", storage = 50, backup = 14 }}
    prod    = {{ class = "db.r6g.large", storage = 100, backup = 30 }}
  }}
}}

terraform {{
  source = "tfr:///{source}"
}}

inputs = {{
{inputs}}}
"#
    )
}

fn includes(category: &str, module: &str) -> String {
    format!(
        r#"include "root" {{
  path = find_in_parent_folders("root.hcl")
}}

include "envcommon" {{
  path           = "${{dirname(find_in_parent_folders("root.hcl"))}}/_envcommon/{category}/{module}.hcl"
  expose         = true
  merge_strategy = "deep"
}}
"#
    )
}

fn vpc_dependency(path: &str) -> String {
    format!(
        r#"
dependency "vpc" {{
  config_path = "{path}"
  mock_outputs = {{
    vpc_id          = "vpc-00000000"
    private_subnets = ["subnet-a", "subnet-b", "subnet-c"]
  }}
  mock_outputs_allowed_terraform_commands = ["validate", "plan"]
}}
"#
    )
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
    write(&root.join("root.hcl"), ROOT)?;
    for (category, module, source, inputs) in ENVCOMMON {
        write(
            &root.join(format!("_envcommon/{category}/{module}.hcl")),
            &envcommon(source, inputs),
        )?;
    }
    let mut made = 0;
    let mut net = 0usize;
    'outer: for e in 0.. {
        let kind = KINDS[e % KINDS.len()];
        let env = format!("{kind}-{e:03}");
        write(
            &root.join(format!("environments/{env}/env.hcl")),
            &format!(
                "locals {{\n  environment  = \"{kind}\"\n  account_name = \"acme-{env}\"\n  account_id   = \"{:012}\"\n}}\n",
                100_000_000_000usize + e
            ),
        )?;
        for region in regions(kind) {
            if made >= n {
                break 'outer;
            }
            let base = root.join(format!("environments/{env}/{region}"));
            write(
                &base.join("region.hcl"),
                &format!("locals {{\n  aws_region = \"{region}\"\n}}\n"),
            )?;
            // A /20 for every VPC: distinct across the first 4,096 regions of the tree.
            let cidr = format!("10.{}.{}.0/20", (net / 16) % 256, (net % 16) * 16);
            let subnets = |offset: usize| {
                format!(
                    "[cidrsubnet(\"{cidr}\", 4, {}), cidrsubnet(\"{cidr}\", 4, {}), cidrsubnet(\"{cidr}\", 4, {})]",
                    offset,
                    offset + 1,
                    offset + 2
                )
            };
            net += 1;
            let azs = format!("[\"{region}a\", \"{region}b\", \"{region}c\"]");
            for k in 0..PER_REGION {
                if made >= n {
                    break 'outer;
                }
                let (path, text) = match k {
                    0 => (
                        "01-infra/vpc".to_string(),
                        format!(
                            "{}\ninputs = {{\n  cidr             = \"{cidr}\"\n  azs              = {azs}\n  public_subnets   = {}\n  private_subnets  = {}\n  database_subnets = {}\n}}\n",
                            includes("infra", "vpc"),
                            subnets(0),
                            subnets(4),
                            subnets(8)
                        ),
                    ),
                    1 => (
                        "02-data/rds".to_string(),
                        format!(
                            "{}{}\ninputs = {{\n  vpc_id  = dependency.vpc.outputs.vpc_id\n  subnets = dependency.vpc.outputs.private_subnets\n}}\n",
                            includes("data", "rds"),
                            vpc_dependency("../../01-infra/vpc")
                        ),
                    ),
                    2 => (
                        "03-services/cluster".to_string(),
                        format!(
                            "{}{}\ninputs = {{\n  vpc_id = dependency.vpc.outputs.vpc_id\n}}\n",
                            includes("services", "cluster"),
                            vpc_dependency("../../01-infra/vpc")
                        ),
                    ),
                    _ => {
                        let s = k - 3;
                        (
                            format!("03-services/svc-{s:02}"),
                            format!(
                                "{}{}
dependency \"cluster\" {{
  config_path  = \"../cluster\"
  mock_outputs = {{ arn = \"arn:aws:ecs:{region}:000000000000:cluster/mock\" }}
}}

inputs = {{
  name        = \"svc-{s:02}-${{include.envcommon.locals.env}}\"
  cluster_arn = dependency.cluster.outputs.arn
  subnet_ids  = dependency.vpc.outputs.private_subnets
  container_definitions = {{
    app = {{
      image        = \"acme/svc-{s:02}:1.{s}.0\"
      port_mappings = [{{ containerPort = {port}, protocol = \"tcp\" }}]
    }}
  }}
}}
",
                                includes("services", "service"),
                                vpc_dependency("../../01-infra/vpc"),
                                port = 8000 + s
                            ),
                        )
                    }
                };
                write(&base.join(path).join("terragrunt.hcl"), &text)?;
                made += 1;
            }
        }
    }
    let mut summary = String::new();
    let _ = write!(summary, "wrote {made} units under {}", root.display());
    eprintln!("{summary}");
    Ok(())
}
