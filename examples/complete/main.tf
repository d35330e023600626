# The module as `npm run synth:module` writes it, called from a root configuration of your own.
# Run `npm run synth:module` in the project first; then, in this folder:
#   terraform init && terraform apply

provider "aws" {
  region = var.region

  default_tags {
    tags = {
      Example = "apigw-sfn/complete"
    }
  }
}

module "apigw_sfn" {
  source = "../../cdktf.out/stacks/apigw-sfn-module"

  project_name  = "orders"
  stage_name    = "prod"
  authorization = var.authorization

  log_retention_days     = 30
  throttling_rate_limit  = 20
  throttling_burst_limit = 40

  tags = {
    Environment = "example"
    Owner       = "platform"
  }
}
