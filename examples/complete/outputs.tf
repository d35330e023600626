output "api_url" {
  description = "Base URL of the API's stage"
  value       = module.apigw_sfn.api_url
}

output "express_url" {
  description = "POST here to run the express workflow"
  value       = module.apigw_sfn.express_url
}

output "standard_url" {
  description = "POST here to start the standard workflow"
  value       = module.apigw_sfn.standard_url
}

output "standard_status_url" {
  description = "GET <this URL>/<execution name> reads an execution of the standard workflow"
  value       = module.apigw_sfn.standard_status_url
}

output "express_state_machine_arn" {
  description = "ARN of the express workflow's state machine"
  value       = module.apigw_sfn.express_state_machine_arn
}

output "instance_id" {
  description = "ID of the demo EC2 instance: send it as instance_id"
  value       = module.apigw_sfn.instance_id
}

output "api_key_id" {
  description = "ID of the API key (null unless authorization is API_KEY)"
  value       = module.apigw_sfn.api_key_id
}

output "api_key_value" {
  description = "Send it as the x-api-key header: terraform output -raw api_key_value"
  value       = module.apigw_sfn.api_key_value
  sensitive   = true
}
