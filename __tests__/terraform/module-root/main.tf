# A Terraform user's root configuration calling the synthesized module, as docs/module.md shows.
# __tests__/terraform/module.test.ts copies it beside a copy of the module folder
# (modules/apigw-sfn) and runs `terraform validate` and `terraform test` on it.

provider "aws" {
  region = "eu-west-1"
}

variable "authorization" {
  type        = string
  default     = "AWS_IAM"
  description = "Passed on to the module, so the tests can switch it."
}

module "orders_api" {
  source        = "./modules/apigw-sfn"
  project_name  = "orders"
  stage_name    = "prod"
  authorization = var.authorization
}

output "express_url" {
  value = module.orders_api.express_url
}

output "standard_status_url" {
  value = module.orders_api.standard_status_url
}

output "express_state_machine_arn" {
  value = module.orders_api.express_state_machine_arn
}

output "instance_id" {
  value = module.orders_api.instance_id
}

output "api_key_id" {
  value = module.orders_api.api_key_id
}
