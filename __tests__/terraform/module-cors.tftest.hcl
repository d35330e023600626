# The synthesized module with CORS on (synthesized with corsAllowedOrigins set): its CORS
# variables reach the preflights, the routes' templates and the gateway responses, and the rule
# between origins "*" and credentials refuses the pair. __tests__/terraform/module.test.ts copies
# this file into examples/complete/tests/ beside a module synthesized with CORS on and runs it.

mock_provider "aws" {
  mock_data "aws_region" {
    defaults = { name = "eu-west-1" }
  }
  mock_data "aws_partition" {
    defaults = { partition = "aws" }
  }
  mock_data "aws_caller_identity" {
    defaults = { account_id = "123456789012" }
  }
  mock_data "aws_ami" {
    defaults = { id = "ami-0123456789abcdef0" }
  }
  mock_data "aws_vpc" {
    defaults = { id = "vpc-0123456789abcdef0" }
  }
  mock_data "aws_subnet" {
    defaults = { vpc_id = "vpc-0fedcba9876543210" }
  }
  mock_resource "aws_iam_role" {
    defaults = { arn = "arn:aws:iam::123456789012:role/mock-role" }
  }
  mock_resource "aws_sfn_state_machine" {
    defaults = { arn = "arn:aws:states:eu-west-1:123456789012:stateMachine:mock-machine" }
  }
  mock_resource "aws_cloudwatch_log_group" {
    defaults = { arn = "arn:aws:logs:eu-west-1:123456789012:log-group:/aws/vendedlogs/states/mock" }
  }
  mock_resource "aws_instance" {
    defaults = {
      id  = "i-0123456789abcdef0"
      arn = "arn:aws:ec2:eu-west-1:123456789012:instance/i-0123456789abcdef0"
    }
  }
  mock_resource "aws_api_gateway_rest_api" {
    defaults = {
      id               = "a1b2c3d4e5"
      root_resource_id = "r00tr00t00"
      execution_arn    = "arn:aws:execute-api:eu-west-1:123456789012:a1b2c3d4e5"
    }
  }
  mock_resource "aws_api_gateway_stage" {
    defaults = {
      invoke_url = "https://a1b2c3d4e5.execute-api.eu-west-1.amazonaws.com/prod"
      arn        = "arn:aws:apigateway:eu-west-1::/restapis/a1b2c3d4e5/stages/prod"
    }
  }
}

run "module_takes_the_cors_variables" {
  command = apply

  module {
    source = "../../cdktf.out/stacks/apigw-sfn-module"
  }

  variables {
    cors_allowed_origins   = "https://app.example.com,http://localhost:5173"
    cors_allow_credentials = true
    cors_max_age           = 600
  }

  assert {
    condition     = aws_api_gateway_gateway_response.gateway_responses_missing_authentication_token.response_parameters["gatewayresponse.header.Access-Control-Allow-Origin"] == "method.request.header.Origin"
    error_message = "with several origins, a gateway response does not echo the request's Origin"
  }
  assert {
    condition     = aws_api_gateway_gateway_response.gateway_responses_default_5xx.response_parameters["gatewayresponse.header.Access-Control-Allow-Credentials"] == "'true'"
    error_message = "cors_allow_credentials does not reach the gateway responses"
  }
  assert {
    condition     = strcontains(aws_api_gateway_integration_response.cors_preflight_express_instance_integration_response200.response_templates["application/json"], "parseJson('[\"https://app.example.com\",\"http://localhost:5173\"]')")
    error_message = "cors_allowed_origins does not reach the preflight's template as a JSON list"
  }
  assert {
    condition     = strcontains(aws_api_gateway_integration_response.cors_preflight_express_instance_integration_response200.response_templates["application/json"], "Access-Control-Max-Age = \"600\"")
    error_message = "cors_max_age does not reach the preflight's template"
  }
  assert {
    condition     = strcontains(aws_api_gateway_integration_response.cors_preflight_express_instance_integration_response200.response_templates["application/json"], "Access-Control-Allow-Methods = \"OPTIONS,POST\"")
    error_message = "with cors_allowed_methods empty, the preflight does not allow its path's own methods"
  }
  assert {
    condition     = strcontains(aws_api_gateway_integration_response.express_start_integration_response200.response_templates["application/json"], "http://localhost:5173")
    error_message = "the route's response template does not carry the CORS origins"
  }
  assert {
    condition     = aws_api_gateway_method.cors_preflight_express_instance_method.authorization == "NONE" && aws_api_gateway_integration.cors_preflight_express_instance_integration.type == "MOCK"
    error_message = "the preflight is not an unauthorized MOCK method"
  }
}

run "module_answers_one_cors_origin_literally_on_gateway_responses" {
  command = apply

  module {
    source = "../../cdktf.out/stacks/apigw-sfn-module"
  }

  variables {
    cors_allowed_origins = "*"
  }

  assert {
    condition     = aws_api_gateway_gateway_response.gateway_responses_throttled.response_parameters["gatewayresponse.header.Access-Control-Allow-Origin"] == "'*'"
    error_message = "one origin is not a literal on the gateway responses"
  }
}

run "module_refuses_any_cors_origin_with_credentials" {
  command = plan

  module {
    source = "../../cdktf.out/stacks/apigw-sfn-module"
  }

  variables {
    cors_allowed_origins   = "*"
    cors_allow_credentials = true
  }

  expect_failures = [var.cors_allowed_origins]
}

run "module_refuses_empty_cors_origins" {
  command = plan

  module {
    source = "../../cdktf.out/stacks/apigw-sfn-module"
  }

  variables {
    cors_allowed_origins = ""
  }

  expect_failures = [var.cors_allowed_origins]
}

run "module_refuses_a_malformed_cors_max_age" {
  command = plan

  module {
    source = "../../cdktf.out/stacks/apigw-sfn-module"
  }

  variables {
    cors_max_age = 86401
  }

  expect_failures = [var.cors_max_age]
}
