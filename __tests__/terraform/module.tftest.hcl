# The synthesized module under a mocked AWS provider: called from the example root configuration
# (examples/complete), and on its own to exercise its input variables.
# __tests__/terraform/module.test.ts copies this file into examples/complete/tests/ of a copy of
# the project's layout (the module in cdktf.out/stacks/apigw-sfn-module) and runs `terraform test`.

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

run "called_from_a_root_module" {
  command = apply

  assert {
    condition     = output.express_url == "https://a1b2c3d4e5.execute-api.eu-west-1.amazonaws.com/prod/express-instance"
    error_message = "the module's express_url output is not the stage URL plus the route path"
  }
  assert {
    condition     = output.standard_status_url == "https://a1b2c3d4e5.execute-api.eu-west-1.amazonaws.com/prod/executions"
    error_message = "the module's standard_status_url output is wrong"
  }
  assert {
    condition     = output.instance_id == "i-0123456789abcdef0"
    error_message = "the demo instance is created by default and its ID is an output"
  }
  assert {
    condition     = output.api_key_id == null
    error_message = "no API key exists unless authorization is API_KEY"
  }
}

run "called_with_api_key_authorization" {
  command = apply

  variables {
    authorization = "API_KEY"
  }

  assert {
    condition     = output.api_key_id != null
    error_message = "with authorization = API_KEY the module creates a key and outputs its ID"
  }
}

run "module_names_resources_after_project_name_and_uses_the_callers_region" {
  command = apply

  module {
    source = "../../cdktf.out/stacks/apigw-sfn-module"
  }

  variables {
    project_name = "orders"
    stage_name   = "prod"
  }

  assert {
    condition     = aws_sfn_state_machine.express_state_machine.name == "orders-express" && aws_sfn_state_machine.standard_state_machine.name == "orders-standard"
    error_message = "state machines are not named <project_name>-<workflow>"
  }
  assert {
    condition     = aws_api_gateway_stage.stage.stage_name == "prod"
    error_message = "the stage is not named after stage_name"
  }
  assert {
    condition     = aws_api_gateway_integration.express_start_integration.uri == "arn:aws:apigateway:eu-west-1:states:action/StartSyncExecution"
    error_message = "the integration does not call Step Functions in the caller's region"
  }
  assert {
    condition     = aws_api_gateway_method.express_start_method.authorization == "AWS_IAM" && !aws_api_gateway_method.express_start_method.api_key_required
    error_message = "routes are not signed-request (AWS_IAM) by default"
  }
  assert {
    condition     = length(aws_api_gateway_api_key.api_key_key) == 0 && length(aws_api_gateway_usage_plan.api_key_usage_plan) == 0
    error_message = "an API key or usage plan exists although authorization is AWS_IAM"
  }
}

run "called_with_tags_that_reach_every_taggable_resource" {
  command = apply

  module {
    source = "../../cdktf.out/stacks/apigw-sfn-module"
  }

  variables {
    authorization = "API_KEY"
    tags          = { Team = "payments" }
  }

  assert {
    condition = alltrue([
      aws_api_gateway_rest_api.api.tags == tomap({ Team = "payments" }),
      aws_api_gateway_stage.stage.tags == tomap({ Team = "payments" }),
      aws_sfn_state_machine.express_state_machine.tags == tomap({ Team = "payments" }),
      aws_sfn_state_machine.standard_state_machine.tags == tomap({ Team = "payments" }),
      aws_iam_role.integration_role.tags == tomap({ Team = "payments" }),
      aws_iam_role.express_state_machine_role.tags == tomap({ Team = "payments" }),
      aws_cloudwatch_log_group.express_state_machine_logs.tags == tomap({ Team = "payments" }),
      aws_api_gateway_api_key.api_key_key[0].tags == tomap({ Team = "payments" }),
      aws_api_gateway_usage_plan.api_key_usage_plan[0].tags == tomap({ Team = "payments" }),
    ])
    error_message = "a taggable resource does not carry the tags variable"
  }
  assert {
    condition     = aws_instance.demo_instance[0].tags == tomap({ Team = "payments", Name = "apigw-sfn-demo" })
    error_message = "the demo instance does not carry the tags variable and its Name"
  }
}

run "module_with_api_key_requires_the_key_on_every_route" {
  command = apply

  module {
    source = "../../cdktf.out/stacks/apigw-sfn-module"
  }

  variables {
    authorization = "API_KEY"
  }

  assert {
    condition     = aws_api_gateway_method.express_start_method.authorization == "NONE" && aws_api_gateway_method.express_start_method.api_key_required
    error_message = "API_KEY routes must use authorization NONE and require the key"
  }
  assert {
    condition     = aws_api_gateway_method.standard_status_method.api_key_required
    error_message = "the status route does not require the key"
  }
  assert {
    condition     = length(aws_api_gateway_usage_plan_key.api_key_usage_plan_key) == 1
    error_message = "the key is not attached to a usage plan"
  }
}

run "module_acts_on_existing_instances_without_a_demo_instance" {
  command = apply

  module {
    source = "../../cdktf.out/stacks/apigw-sfn-module"
  }

  variables {
    create_demo_instance = false
    instance_ids         = ["i-0aaaabbbbccccdddd", "i-0eeeeffff00001111"]
  }

  assert {
    condition     = length(aws_instance.demo_instance) == 0
    error_message = "the demo instance exists although create_demo_instance is false"
  }
  assert {
    condition = jsondecode(aws_iam_role_policy.express_state_machine_role_policy.policy).Statement[1].Resource == [
      "arn:aws:ec2:eu-west-1:123456789012:instance/i-0aaaabbbbccccdddd",
      "arn:aws:ec2:eu-west-1:123456789012:instance/i-0eeeeffff00001111",
    ]
    error_message = "the workflow may not act on exactly the listed instances"
  }
}

run "module_refuses_to_act_on_no_instance" {
  command = plan

  module {
    source = "../../cdktf.out/stacks/apigw-sfn-module"
  }

  variables {
    create_demo_instance = false
  }

  expect_failures = [var.instance_ids]
}

run "module_refuses_more_instance_ids_than_its_policies_are_sized_for" {
  command = plan

  module {
    source = "../../cdktf.out/stacks/apigw-sfn-module"
  }

  variables {
    instance_ids = ["i-00000000000000000", "i-00000000000000001", "i-00000000000000002", "i-00000000000000003", "i-00000000000000004", "i-00000000000000005", "i-00000000000000006", "i-00000000000000007", "i-00000000000000008", "i-00000000000000009", "i-0000000000000000a", "i-0000000000000000b", "i-0000000000000000c", "i-0000000000000000d", "i-0000000000000000e", "i-0000000000000000f", "i-00000000000000010", "i-00000000000000011", "i-00000000000000012", "i-00000000000000013", "i-00000000000000014", "i-00000000000000015", "i-00000000000000016", "i-00000000000000017", "i-00000000000000018", "i-00000000000000019", "i-0000000000000001a", "i-0000000000000001b", "i-0000000000000001c", "i-0000000000000001d", "i-0000000000000001e", "i-0000000000000001f", "i-00000000000000020", "i-00000000000000021", "i-00000000000000022", "i-00000000000000023", "i-00000000000000024", "i-00000000000000025", "i-00000000000000026", "i-00000000000000027", "i-00000000000000028", "i-00000000000000029", "i-0000000000000002a", "i-0000000000000002b", "i-0000000000000002c", "i-0000000000000002d", "i-0000000000000002e", "i-0000000000000002f", "i-00000000000000030", "i-00000000000000031", "i-00000000000000032"]
  }

  expect_failures = [var.instance_ids]
}

run "module_refuses_a_malformed_instance_id" {
  command = plan

  module {
    source = "../../cdktf.out/stacks/apigw-sfn-module"
  }

  variables {
    instance_ids = ["my-server"]
  }

  expect_failures = [var.instance_ids]
}

run "module_hardens_by_default_and_takes_the_security_variables" {
  command = apply

  module {
    source = "../../cdktf.out/stacks/apigw-sfn-module"
  }

  variables {
    waf_web_acl_arn    = "arn:aws:wafv2:eu-west-1:123456789012:regional/webacl/api/0123abcd-0123-4567-89ab-0123456789ab"
    instance_subnet_id = "subnet-0123456789abcdef0"
    log_execution_data = true
  }

  assert {
    condition     = length(aws_wafv2_web_acl_association.web_acl) == 1 && aws_wafv2_web_acl_association.web_acl[0].web_acl_arn == "arn:aws:wafv2:eu-west-1:123456789012:regional/webacl/api/0123abcd-0123-4567-89ab-0123456789ab"
    error_message = "the web ACL is not associated with the stage"
  }
  assert {
    condition     = aws_instance.demo_instance[0].subnet_id == "subnet-0123456789abcdef0" && aws_security_group.demo_instance_security_group[0].vpc_id == "vpc-0fedcba9876543210" && length(data.aws_vpc.demo_instance_vpc) == 0
    error_message = "the demo instance is not in the given subnet, its security group not in that subnet's VPC"
  }
  assert {
    condition     = aws_sfn_state_machine.express_state_machine.logging_configuration[0].include_execution_data
    error_message = "log_execution_data = true does not reach the state machines"
  }
  assert {
    condition     = jsondecode(aws_iam_role.express_state_machine_role.assume_role_policy).Statement[0].Condition.ArnLike["aws:SourceArn"] == "arn:aws:states:eu-west-1:123456789012:stateMachine:apigw-sfn-express"
    error_message = "the workflow role's trust policy is not limited to its state machine in the caller's region and account"
  }
}

run "module_defaults_keep_bodies_out_of_logs_and_the_instance_private" {
  command = apply

  module {
    source = "../../cdktf.out/stacks/apigw-sfn-module"
  }

  assert {
    condition     = length(aws_wafv2_web_acl_association.web_acl) == 0
    error_message = "a web ACL association exists although waf_web_acl_arn is empty"
  }
  assert {
    condition     = !aws_sfn_state_machine.express_state_machine.logging_configuration[0].include_execution_data && aws_api_gateway_method_settings.stage_method_settings.settings[0].logging_level == "ERROR"
    error_message = "the module logs execution data or no method errors by default"
  }
  assert {
    condition     = aws_security_group.demo_instance_security_group[0].vpc_id == "vpc-0123456789abcdef0" && length(data.aws_subnet.demo_instance_subnet) == 0
    error_message = "the demo instance is not in the default VPC by default"
  }
  assert {
    condition     = !aws_instance.demo_instance[0].associate_public_ip_address
    error_message = "the module's demo instance may get a public IP"
  }
}

run "module_refuses_authorization_none_without_allow_unauthenticated" {
  command = plan

  module {
    source = "../../cdktf.out/stacks/apigw-sfn-module"
  }

  variables {
    authorization = "NONE"
  }

  expect_failures = [var.authorization]
}

run "module_refuses_an_unknown_authorization" {
  command = plan

  module {
    source = "../../cdktf.out/stacks/apigw-sfn-module"
  }

  variables {
    authorization = "COGNITO"
  }

  expect_failures = [var.authorization]
}

run "module_refuses_a_project_name_too_long_for_iam_role_names" {
  command = plan

  module {
    source = "../../cdktf.out/stacks/apigw-sfn-module"
  }

  variables {
    project_name = "a-project-name-of-exactly-33-char"
  }

  expect_failures = [var.project_name]
}

run "module_sets_integration_timeout_ms_on_every_route" {
  command = plan

  module {
    source = "../../cdktf.out/stacks/apigw-sfn-module"
  }

  variables {
    integration_timeout_ms = 120000
  }

  assert {
    condition     = aws_api_gateway_integration.express_start_integration.timeout_milliseconds == 120000 && aws_api_gateway_integration.standard_start_integration.timeout_milliseconds == 120000 && aws_api_gateway_integration.standard_status_integration.timeout_milliseconds == 120000
    error_message = "integration_timeout_ms is not the timeout of every route's integration"
  }
}

run "module_refuses_an_integration_timeout_above_300000" {
  command = plan

  module {
    source = "../../cdktf.out/stacks/apigw-sfn-module"
  }

  variables {
    integration_timeout_ms = 300001
  }

  expect_failures = [var.integration_timeout_ms]
}

run "module_refuses_an_integration_timeout_shorter_than_the_express_workflows_timeout" {
  command = plan

  module {
    source = "../../cdktf.out/stacks/apigw-sfn-module"
  }

  # The demo's EXPRESS workflow ends itself after 25 s (TimeoutSeconds): its route must wait that long.
  variables {
    integration_timeout_ms = 20000
  }

  expect_failures = [aws_api_gateway_integration.express_start_integration]
}
