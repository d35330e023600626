# The runs of the "openapi" API definition (the REST API's routes as its OpenAPI body), after the
# mocked provider of stack.tftest.hcl (__tests__/terraform/openapi.test.ts puts the two together).

run "apply" {
  command = apply

  assert {
    condition     = aws_api_gateway_rest_api.api.put_rest_api_mode == "overwrite"
    error_message = "the body is merged into the API: a route removed from it would stay"
  }
  assert {
    condition     = jsondecode(aws_api_gateway_rest_api.api.body).openapi == "3.0.1"
    error_message = "the rendered body is not an OpenAPI 3.0 document"
  }
  assert {
    condition     = strcontains(jsondecode(aws_api_gateway_rest_api.api.body).paths["/express-instance"].post["x-amazon-apigateway-integration"].requestTemplates["application/json"], "\"stateMachineArn\": \"arn:aws:states:us-east-1:123456789012:stateMachine:mock-machine\"")
    error_message = "the request template in the body does not carry the state machine ARN"
  }
  assert {
    condition     = startswith(jsondecode(aws_api_gateway_rest_api.api.body).paths["/express-instance"].post["x-amazon-apigateway-integration"].requestTemplates["application/json"], "## Request mapping for Step Functions StartSyncExecution")
    error_message = "the request template in the body is not the rendered VTL template"
  }
  assert {
    condition     = jsondecode(aws_api_gateway_rest_api.api.body).paths["/express-instance"].post["x-amazon-apigateway-integration"].credentials == "arn:aws:iam::123456789012:role/mock-role"
    error_message = "the integration in the body does not name the integration role"
  }
  assert {
    condition     = !strcontains(aws_api_gateway_rest_api.api.body, "$${")
    error_message = "a Terraform interpolation was left unrendered in the body"
  }
  assert {
    condition     = length(regexall("^[0-9a-f]{40}$", aws_api_gateway_deployment.stage_deployment.triggers.redeployment)) == 1
    error_message = "the redeployment trigger is not a SHA-1"
  }
  assert {
    condition     = output.openapi_server_url == "https://a1b2c3d4e5.execute-api.us-east-1.amazonaws.com/v1"
    error_message = "openapi_server_url is ${output.openapi_server_url}"
  }
}
