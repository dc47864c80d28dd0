# The reference architecture's policy (../shared/reference-architecture.md), embedded in
# tglint: `tglint check` with no configuration checks a tree against it. A `.tglint.hcl` at
# the root of the scanned tree (or --config FILE) extends or overrides it; docs/policy.md.
#
# Where the architecture document contradicts itself, the resolutions of module-inputs.md
# apply (noted at each place).

# ----- environments ----------------------------------------------------------------------
# Each kind matches environment *names* by glob. `protected` kinds require deletion
# protection and encryption (the data-protection table: dev and staging "No" means not
# required). `regions`: where units of the kind may live.

environment "dev" {
  match     = ["dev", "dev-*", "development", "development-*"]
  protected = false
  regions   = ["us-east-1"]
}

environment "staging" {
  match     = ["staging", "staging-*", "stage", "stage-*", "stg", "stg-*"]
  protected = false
  regions   = ["us-east-1"]
}

environment "uat" {
  match     = ["uat", "uat-*"]
  protected = true
  regions   = ["us-east-1"]
}

environment "prod" {
  match     = ["prod", "prod-*", "production", "production-*"]
  protected = true
  regions   = ["us-east-1", "eu-west-1"]
}

# ----- modules ---------------------------------------------------------------------------
# The modules rules know by name. `version` pins a module (module-pinned): the
# architecture pins only the VPC. `aliases` count a vendored local copy as the module.

module "vpc" {
  address = "terraform-aws-modules/vpc/aws"
  version = "5.17.0"
  aliases = ["**/terraform-aws-vpc", "**/terraform-aws-vpc/**"]
}

module "rds" {
  address = "terraform-aws-modules/rds/aws"
  aliases = ["**/terraform-aws-rds", "**/terraform-aws-rds/**"]
}

module "ecs" {
  address = "terraform-aws-modules/ecs/aws"
  aliases = ["**/terraform-aws-ecs", "**/terraform-aws-ecs/**"]
}

module "alb" {
  address = "terraform-aws-modules/alb/aws"
  aliases = ["**/terraform-aws-alb", "**/terraform-aws-alb/**"]
}

module "autoscaling" {
  address = "terraform-aws-modules/autoscaling/aws"
  aliases = ["**/terraform-aws-autoscaling", "**/terraform-aws-autoscaling/**"]
}

module "dynamodb-table" {
  address = "terraform-aws-modules/dynamodb-table/aws"
  aliases = ["**/terraform-aws-dynamodb-table", "**/terraform-aws-dynamodb-table/**"]
}

module "s3-bucket" {
  address = "terraform-aws-modules/s3-bucket/aws"
  aliases = ["**/terraform-aws-s3-bucket", "**/terraform-aws-s3-bucket/**"]
}

# ----- rules -----------------------------------------------------------------------------
# Each rule's options, with the architecture's matrices as data.

# Where units may live: the environments' `regions` above.
rule "allowed-regions" {}

# RDS automated backups: the floor by environment, the AWS ceiling of 35 days
# (resolution 9); read replicas whose retention is below the floor are "cannot verify".
rule "backup-retention" {
  min_days      = { dev = 7, staging = 14, uat = 14, prod = 30 }
  max_days      = 35
  read_replicas = "cannot-verify"
}

# No two VPC blocks overlap anywhere in the tree. The architecture's ranges (module-inputs.md
# §3.1): dev 10.10/16, staging 10.20/16, uat 10.30/16, prod 10.40/16 (us-east-1) and
# 10.50/16 (eu-west-1).
rule "cidr-overlap" {}

# ECS Container Insights in prod ("Disabled" elsewhere means not required).
rule "container-insights" {
  environments = ["prod"]
  values       = ["enabled", "enhanced"]
}

# The default security group is managed, with no ingress or egress, in every environment.
rule "default-security-group" {}

rule "deletion-protection" {}

rule "dependency-graph" {}

# The data-protection matrix, in the `protected` environments (uat, prod). DynamoDB always
# encrypts at rest (an AWS-owned key unless server_side_encryption_enabled), which
# satisfies the matrix; `dynamodb_require_kms = true` asks for a KMS key (resolution 7).
rule "encryption" {
  s3_sse_algorithms    = ["AES256", "aws:kms", "aws:kms:dsse"]
  dynamodb_require_kms = false
}

# RDS enhanced monitoring in prod.
rule "enhanced-monitoring" {
  environments = ["prod"]
}

# VPC flow logs: "Enabled" in prod only; to CloudWatch, 30 days (the logging table).
rule "flow-logs" {
  environments       = ["prod"]
  destination_types  = ["cloud-watch-logs"]
  min_retention_days = 30
}

# Sizing, one matrix per module (resolution 3): RDS classes and storage floors; the ECS
# hosts' instance types and counts (resolution 4: min floors, max ceilings, the table's
# "Instance Count" as desired_capacity).
rule "instance-class" {
  rds_instance_class           = { dev = "db.t3.micro", staging = "db.t3.small", uat = "db.t3.small", prod = "db.r6g.large" }
  rds_allocated_storage        = { dev = 20, staging = 30, uat = 50, prod = 100 }
  autoscaling_instance_type    = { dev = "t3.micro", staging = "t3.small", uat = "t3.medium", prod = "m6g.large" }
  autoscaling_min_size         = { dev = 1, staging = 2, uat = 2, prod = 3 }
  autoscaling_max_size         = { dev = 3, prod = 10 }
  autoscaling_desired_capacity = {
    dev     = { min = 1, max = 2 }
    staging = { min = 2, max = 2 }
    uat     = { min = 2, max = 3 }
    prod    = { min = 3 }
  }
}

# Every source pins a version; the versions themselves are the module blocks' `version`.
# Refs with these names are branches, never pins.
rule "module-pinned" {
  branches = [
    "main", "master", "develop", "development", "dev", "trunk", "HEAD", "staging", "stage",
    "production", "prod", "release", "stable", "latest", "next", "default",
  ]
}

# Prod spreads over three AZs: RDS Multi-AZ, a VPC over `az_count` AZs with one NAT per AZ,
# ECS tasks spread across AZs (EC2 launch type) and at least `autoscaling_min_size` hosts.
# uat's "Multi-AZ: Disabled" means not required (resolution 10).
rule "multi-az" {
  environments         = ["prod"]
  az_count             = 3
  autoscaling_min_size = 3
}

# NAT: off in dev, single in staging and uat, one per AZ in prod (module-inputs.md §3.2:
# prod sets single_nat_gateway = false, which wins over one_nat_gateway_per_az).
rule "nat-gateway" {
  mode = { dev = "none", staging = "single", uat = "single", prod = "per-az" }
}

# State management: S3, encrypted, locked. The architecture prescribes the DynamoDB lock
# table, so its deprecation (Terraform 1.11) is not reported (module-inputs.md §2, §3.13).
rule "remote-state" {
  backend                        = "s3"
  warn_dynamodb_table_deprecated = false
}

# Tagging strategy: the generated provider's default_tags (module-inputs.md §3.6: require
# Project, Environment (= the unit's environment), ManagedBy and CostAllocation; recommend
# ManagedByModule; CreatedDate/LastModifiedDate are not required).
rule "required-tags" {
  tags            = ["Project", "Environment", "ManagedBy", "CostAllocation"]
  recommended     = ["ManagedByModule"]
  environment_tag = "Environment"
}

rule "state-key-unique" {}

# 3 AZs; 3 public, 3 private and 3 database subnets, one per AZ. The /24 size and the
# +1/+11/+21 offsets are a numbering convention and are not checked.
rule "vpc-layout" {
  az_count         = 3
  required_subnets = ["public_subnets", "private_subnets", "database_subnets"]
}
