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

# No two VPC blocks overlap anywhere in the tree. The architecture's ranges (module-inputs.md
# §3.1): dev 10.10/16, staging 10.20/16, uat 10.30/16, prod 10.40/16 (us-east-1) and
# 10.50/16 (eu-west-1).
rule "cidr-overlap" {}

# The default security group is managed, with no ingress or egress, in every environment.
rule "default-security-group" {}

rule "deletion-protection" {}

# VPC flow logs: "Enabled" in prod only; to CloudWatch, 30 days (the logging table).
rule "flow-logs" {
  environments       = ["prod"]
  destination_types  = ["cloud-watch-logs"]
  min_retention_days = 30
}

# NAT: off in dev, single in staging and uat, one per AZ in prod (module-inputs.md §3.2:
# prod sets single_nat_gateway = false, which wins over one_nat_gateway_per_az).
rule "nat-gateway" {
  mode = { dev = "none", staging = "single", uat = "single", prod = "per-az" }
}

# 3 AZs; 3 public, 3 private and 3 database subnets, one per AZ. The /24 size and the
# +1/+11/+21 offsets are a numbering convention and are not checked.
rule "vpc-layout" {
  az_count         = 3
  required_subnets = ["public_subnets", "private_subnets", "database_subnets"]
}
