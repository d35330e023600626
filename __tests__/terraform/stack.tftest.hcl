# Runs the synthesized stack's whole plan and apply graph against a mocked AWS provider: no AWS
# account, but real templatefile() rendering, references, jsonencode/sha1 triggers and lifecycle.
# __tests__/terraform/terraform.test.ts copies this file into <stack>/tests/ and runs `terraform test`.

mock_provider "aws" {
  mock_data "aws_ami" {
    defaults = { id = "ami-0123456789abcdef0" }
  }
  mock_resource "aws_iam_role" {
    defaults = { arn = "arn:aws:iam::123456789012:role/mock-role" }
  }
  mock_resource "aws_sfn_state_machine" {
    defaults = { arn = "arn:aws:states:us-east-1:123456789012:stateMachine:mock-machine" }
  }
  mock_resource "aws_cloudwatch_log_group" {
    defaults = { arn = "arn:aws:logs:us-east-1:123456789012:log-group:/aws/vendedlogs/states/mock" }
  }
  mock_resource "aws_instance" {
    defaults = {
      id  = "i-0123456789abcdef0"
      arn = "arn:aws:ec2:us-east-1:123456789012:instance/i-0123456789abcdef0"
    }
  }
  mock_resource "aws_api_gateway_rest_api" {
    defaults = {
      id               = "a1b2c3d4e5"
      root_resource_id = "r00tr00t00"
      arn              = "arn:aws:apigateway:us-east-1::/restapis/a1b2c3d4e5"
      execution_arn    = "arn:aws:execute-api:us-east-1:123456789012:a1b2c3d4e5"
    }
  }
  # The methods' request_validator_id is part of the deployment trigger: a fixed ID keeps the
  # trigger the same from one run to the next, as it is in AWS.
  mock_resource "aws_api_gateway_request_validator" {
    defaults = { id = "v4l1d4t0r1" }
  }
  mock_resource "aws_api_gateway_stage" {
    defaults = {
      invoke_url    = "https://a1b2c3d4e5.execute-api.us-east-1.amazonaws.com/v1"
      arn           = "arn:aws:apigateway:us-east-1::/restapis/a1b2c3d4e5/stages/v1"
      execution_arn = "arn:aws:execute-api:us-east-1:123456789012:a1b2c3d4e5/v1"
    }
  }
}

run "apply" {
  command = apply

  assert {
    condition     = jsondecode(aws_sfn_state_machine.express_state_machine.definition).StartAt == "CheckInstanceStatus"
    error_message = "the EXPRESS definition did not render to JSON starting at CheckInstanceStatus"
  }
  assert {
    condition     = jsondecode(aws_sfn_state_machine.standard_state_machine.definition).States.Wait.Seconds == 29
    error_message = "the STANDARD definition did not render a 29-second Wait"
  }
  assert {
    condition     = strcontains(aws_api_gateway_integration.express_start_integration.request_templates["application/json"], "\"stateMachineArn\": \"arn:aws:states:us-east-1:123456789012:stateMachine:mock-machine\"")
    error_message = "the request template does not carry the state machine ARN"
  }
  assert {
    condition     = !strcontains(aws_api_gateway_integration.standard_start_integration.request_templates["application/json"], "$${")
    error_message = "a Terraform interpolation was left unrendered in the request template"
  }
  assert {
    condition     = length(regexall("^[0-9a-f]{40}$", aws_api_gateway_deployment.stage_deployment.triggers.redeployment)) == 1
    error_message = "the redeployment trigger is not a SHA-1"
  }
  assert {
    condition     = aws_api_gateway_stage.stage.deployment_id == aws_api_gateway_deployment.stage_deployment.id
    error_message = "the stage does not serve the deployment"
  }
  assert {
    condition     = output.express_url == "https://a1b2c3d4e5.execute-api.us-east-1.amazonaws.com/v1/express-instance"
    error_message = "express_url is ${output.express_url}"
  }
  assert {
    condition     = output.standard_url == "https://a1b2c3d4e5.execute-api.us-east-1.amazonaws.com/v1/standard-instance"
    error_message = "standard_url is ${output.standard_url}"
  }
  assert {
    condition     = output.standard_status_url == "https://a1b2c3d4e5.execute-api.us-east-1.amazonaws.com/v1/executions"
    error_message = "standard_status_url is ${output.standard_status_url}"
  }
  assert {
    condition     = aws_sfn_state_machine.express_state_machine.logging_configuration[0].log_destination == "arn:aws:logs:us-east-1:123456789012:log-group:/aws/vendedlogs/states/mock:*"
    error_message = "the EXPRESS workflow does not log to its log group"
  }
  assert {
    condition     = output.instance_id == "i-0123456789abcdef0"
    error_message = "instance_id is ${output.instance_id}"
  }
}
