/**
 * A small synthesized stack written by hand in Terraform's JSON syntax, using every API Gateway
 * resource the local API reads (models, a request validator, gateway responses, a path parameter,
 * response parameters, a DescribeExecution route, an Idempotency-Key header), so the local API is
 * tested against the Terraform schema, whatever routes the project's own stack has.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

const API = "${aws_api_gateway_rest_api.api.id}";

/** StartExecution: the body as input; the Idempotency-Key header, when given, as the name. */
const START_TEMPLATE = `#set($key = $input.params('Idempotency-Key'))
{
  "input": "$util.escapeJavaScript($input.json('$')).replaceAll("\\\\'", "'")",
#if($key != "")  "name": "$key",
#end
  "stateMachineArn": "\${aws_sfn_state_machine.jobs.arn}"
}
`;

const STARTED_TEMPLATE = `#set($arn = $input.path('$.executionArn'))
#set($start = $arn.lastIndexOf(':') + 1)
#set($context.responseOverride.header.X-Execution-Name = $arn.substring($start))
{"executionArn": "$arn", "startDate": $input.json('$.startDate')}
`;

const ERROR_TEMPLATE = `#set($type = $input.path('$.__type'))
#set($start = $type.lastIndexOf('#') + 1)
#set($error = $type.substring($start))
#if($error == "ExecutionAlreadyExists")
#set($context.responseOverride.status = 409)
#elseif($error == "ExecutionDoesNotExist")
#set($context.responseOverride.status = 404)
#end
{"error": "$error", "message": "$util.escapeJavaScript($input.path('$.message')).replaceAll("\\\\'", "'")"}
`;

/** DescribeExecution: the execution ARN from the state machine's ARN and the {name} path parameter. */
const DESCRIBE_TEMPLATE = `#set($machine = "\${aws_sfn_state_machine.jobs.arn}")
#set($prefix = $machine.replace(":stateMachine:", ":execution:"))
{"executionArn": "$prefix:$input.params().path.get('name')"}
`;

const STATUS_TEMPLATE = `#set($output = "")
#set($output = $input.path('$.output'))
{"status": "$input.path('$.status')"#if($output != ""), "output": $output#end}
`;

const ASL = `{
  "Comment": "A fixture: wait, then say which account ran it.",
  "StartAt": "Pause",
  "States": {
    "Pause": { "Type": "Wait", "Seconds": \${wait_seconds}, "Next": "Answer" },
    "Answer": { "Type": "Pass", "Result": { "account": "\${account}" }, "ResultPath": "$.ran", "End": true }
  }
}
`;

export const FIXTURE_SCHEMA = {
  $schema: "http://json-schema.org/draft-04/schema#",
  title: "JobRequest",
  type: "object",
  required: ["task"],
  properties: { task: { type: "string", pattern: "^[a-z]+$" }, priority: { type: "string", enum: ["low", "high"] } },
};

function methodResponse(method: string, statusCode: string, headers: string[] = []) {
  return {
    rest_api_id: API,
    resource_id: method === "start" ? "${aws_api_gateway_resource.jobs.id}" : "${aws_api_gateway_resource.job.id}",
    http_method: `\${aws_api_gateway_method.${method}.http_method}`,
    status_code: statusCode,
    response_models: { "application/json": "Empty" },
    ...(headers.length ? { response_parameters: Object.fromEntries(headers.map((h) => [`method.response.header.${h}`, false])) } : {}),
  };
}

function integrationResponse(method: string, statusCode: string, template: string, extra: Record<string, unknown> = {}) {
  return {
    rest_api_id: API,
    resource_id: method === "start" ? "${aws_api_gateway_resource.jobs.id}" : "${aws_api_gateway_resource.job.id}",
    http_method: `\${aws_api_gateway_method.${method}.http_method}`,
    status_code: `\${aws_api_gateway_method_response.${method}_${statusCode}.status_code}`,
    response_templates: { "application/json": template },
    ...extra,
  };
}

/** The fixture's cdk.tf.json content. */
function fixtureJson(): Record<string, any> {
  return {
    provider: { aws: [{ region: "eu-west-1" }] },
    data: { aws_caller_identity: { current: {} } },
    resource: {
      aws_api_gateway_rest_api: { api: { name: "fixture-api" } },
      aws_api_gateway_deployment: { deployment: { rest_api_id: API } },
      aws_api_gateway_stage: {
        stage: { rest_api_id: API, stage_name: "test", deployment_id: "${aws_api_gateway_deployment.deployment.id}" },
      },
      aws_api_gateway_resource: {
        jobs: { rest_api_id: API, parent_id: "${aws_api_gateway_rest_api.api.root_resource_id}", path_part: "jobs" },
        job: { rest_api_id: API, parent_id: "${aws_api_gateway_resource.jobs.id}", path_part: "{name}" },
      },
      aws_api_gateway_model: {
        job: { rest_api_id: API, name: "JobRequest", content_type: "application/json", schema: JSON.stringify(FIXTURE_SCHEMA) },
      },
      aws_api_gateway_request_validator: {
        all: { rest_api_id: API, name: "body-and-parameters", validate_request_body: true, validate_request_parameters: true },
      },
      aws_api_gateway_method: {
        start: {
          rest_api_id: API,
          resource_id: "${aws_api_gateway_resource.jobs.id}",
          http_method: "POST",
          authorization: "AWS_IAM",
          request_models: { "application/json": "${aws_api_gateway_model.job.name}" },
          request_validator_id: "${aws_api_gateway_request_validator.all.id}",
          request_parameters: { "method.request.header.Idempotency-Key": false },
        },
        status: {
          rest_api_id: API,
          resource_id: "${aws_api_gateway_resource.job.id}",
          http_method: "GET",
          authorization: "NONE",
          request_parameters: { "method.request.path.name": true },
          request_validator_id: "${aws_api_gateway_request_validator.all.id}",
        },
      },
      aws_api_gateway_integration: {
        start: {
          rest_api_id: API,
          resource_id: "${aws_api_gateway_resource.jobs.id}",
          http_method: "${aws_api_gateway_method.start.http_method}",
          type: "AWS",
          integration_http_method: "POST",
          uri: "arn:aws:apigateway:eu-west-1:states:action/StartExecution",
          credentials: "${aws_iam_role.role.arn}",
          passthrough_behavior: "NEVER",
          request_templates: { "application/json": START_TEMPLATE },
        },
        status: {
          rest_api_id: API,
          resource_id: "${aws_api_gateway_resource.job.id}",
          http_method: "${aws_api_gateway_method.status.http_method}",
          type: "AWS",
          integration_http_method: "POST",
          uri: "arn:aws:apigateway:eu-west-1:states:action/DescribeExecution",
          credentials: "${aws_iam_role.role.arn}",
          passthrough_behavior: "NEVER",
          request_templates: { "application/json": DESCRIBE_TEMPLATE },
        },
      },
      aws_api_gateway_method_response: {
        start_202: methodResponse("start", "202", ["Location", "X-Api"]),
        start_400: methodResponse("start", "400"),
        status_200: methodResponse("status", "200"),
        status_400: methodResponse("status", "400"),
      },
      aws_api_gateway_integration_response: {
        start_202: integrationResponse("start", "202", STARTED_TEMPLATE, {
          response_parameters: {
            "method.response.header.Location": "integration.response.body.executionArn",
            "method.response.header.X-Api": "'fixture'",
          },
        }),
        start_400: integrationResponse("start", "400", ERROR_TEMPLATE, { selection_pattern: "4\\d{2}" }),
        status_200: integrationResponse("status", "200", STATUS_TEMPLATE),
        status_400: integrationResponse("status", "400", ERROR_TEMPLATE, { selection_pattern: "4\\d{2}" }),
      },
      aws_api_gateway_gateway_response: {
        bad_body: {
          rest_api_id: API,
          response_type: "BAD_REQUEST_BODY",
          status_code: "422",
          response_templates: {
            "application/json":
              '{"error": "BadRequestBody", "message": $context.error.messageString, "detail": "$context.error.validationErrorString"}',
          },
          response_parameters: { "gatewayresponse.header.X-Error": "'bad-body'" },
        },
        default_4xx: {
          rest_api_id: API,
          response_type: "DEFAULT_4XX",
          response_templates: { "application/json": '{"error": "$context.error.responseType", "message": $context.error.messageString}' },
        },
      },
      aws_iam_role: { role: { name: "fixture-apigw" } },
      aws_sfn_state_machine: {
        jobs: {
          name: "fixture-jobs",
          type: "STANDARD",
          role_arn: "${aws_iam_role.role.arn}",
          definition:
            '${templatefile("assets/jobs/jobs.asl.json.tftpl", {"account" = data.aws_caller_identity.current.account_id, "wait_seconds" = 2})}',
        },
      },
    },
  };
}

/** Writes a stack folder (cdk.tf.json and its asset) and returns its path; `edit` may change the JSON first. */
export function writeFixtureStack(edit: (json: Record<string, any>) => void = () => undefined): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "apigw-sfn-fixture-"));
  const json = fixtureJson();
  edit(json);
  fs.mkdirSync(path.join(dir, "assets", "jobs"), { recursive: true });
  fs.writeFileSync(path.join(dir, "assets", "jobs", "jobs.asl.json.tftpl"), ASL);
  fs.writeFileSync(path.join(dir, "cdk.tf.json"), JSON.stringify(json, null, 2));
  return dir;
}
