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

rule "deletion-protection" {}

# Tagging strategy: the generated provider's default_tags (module-inputs.md §3.6: require
# Project, Environment (= the unit's environment), ManagedBy and CostAllocation; recommend
# ManagedByModule; CreatedDate/LastModifiedDate are not required).
rule "required-tags" {
  tags            = ["Project", "Environment", "ManagedBy", "CostAllocation"]
  recommended     = ["ManagedByModule"]
  environment_tag = "Environment"
}

# Every source pins a version; the versions themselves are the module blocks' `version`.
# Refs with these names are branches, never pins.
rule "module-pinned" {
  branches = [
    "main", "master", "develop", "development", "dev", "trunk", "HEAD", "staging", "stage",
    "production", "prod", "release", "stable", "latest", "next", "default",
  ]
}

# State management: S3, encrypted, locked. The architecture prescribes the DynamoDB lock
# table, so its deprecation (Terraform 1.11) is not reported (module-inputs.md §2, §3.13).
rule "remote-state" {
  backend                        = "s3"
  warn_dynamodb_table_deprecated = false
}

rule "state-key-unique" {}

rule "dependency-graph" {}
