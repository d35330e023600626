/**
 * Secure by default: least-privilege IAM, authorization on every method, request validation,
 * JSON gateway responses. Reads every IAM statement of the synthesized stack.
 */
import * as fs from "fs";
import * as path from "path";
import Ajv04 from "ajv-draft-04";
import { beforeAll, describe, expect, it } from "vitest";
import { ApigwSfnStackProps } from "../../stacks/apigw-sfn-stack";
import { hclToData } from "../support/hcl";
import { resource, resources } from "../support/stack-json";
import { SynthResult, synthStack, testConfig } from "../support/synth";

interface Statement {
  Sid?: string;
  Effect: string;
  Action: string[];
  Resource: string[];
}

/** Every statement of every inline policy in the stack, with the role it belongs to. */
function statements(json: Record<string, any>): Array<Statement & { role: string }> {
  return Object.values(resources(json, "aws_iam_role_policy")).flatMap((policy) => {
    const document = hclToData(policy.policy) as { Statement: Statement[] };
    return document.Statement.map((statement) => ({ ...statement, role: policy.role }));
  });
}

/** Actions allowed on a "*" resource: AWS supports no resource-level permissions for them. */
const WILDCARD_RESOURCE_ACTIONS = [
  /^ec2:Describe/,
  /^logs:(CreateLogDelivery|DeleteLogDelivery|DescribeLogGroups|DescribeResourcePolicies|GetLogDelivery|ListLogDeliveries|PutResourcePolicy|UpdateLogDelivery)$/,
  /^xray:(GetSamplingRules|GetSamplingTargets|PutTelemetryRecords|PutTraceSegments)$/,
];

/** Every action the workflows and routes need, by role. */
const NEEDED_ACTIONS: Record<string, string[]> = {
  "${aws_iam_role.integration_role.id}": ["states:StartSyncExecution", "states:StartExecution", "states:DescribeExecution"],
  workflow: [
    "ec2:DescribeInstanceStatus",
    "ec2:StartInstances",
    "ec2:StopInstances",
    "logs:CreateLogDelivery",
    "logs:DeleteLogDelivery",
    "logs:DescribeLogGroups",
    "logs:DescribeResourcePolicies",
    "logs:GetLogDelivery",
    "logs:ListLogDeliveries",
    "logs:PutResourcePolicy",
    "logs:UpdateLogDelivery",
    "xray:GetSamplingRules",
    "xray:GetSamplingTargets",
    "xray:PutTelemetryRecords",
    "xray:PutTraceSegments",
  ],
};

let synth: SynthResult;
beforeAll(() => {
  synth = synthStack();
});

function synthWith(overrides: Parameters<typeof testConfig>[0], props: Partial<ApigwSfnStackProps> = {}): SynthResult {
  return synthStack({ config: testConfig(overrides), ...props });
}

describe("IAM", () => {
  it("grants no wildcard action anywhere", () => {
    const all = statements(synth.json);
    expect(all.length).toBeGreaterThan(0);
    for (const statement of all) {
      for (const action of statement.Action) expect(action, statement.Sid).not.toContain("*");
      expect(statement.Effect).toBe("Allow");
      expect(statement.Sid, JSON.stringify(statement)).toMatch(/^[A-Za-z0-9]+$/);
    }
  });

  it("uses a wildcard resource only where the actions support no resource-level permissions", () => {
    for (const statement of statements(synth.json)) {
      if (!statement.Resource.includes("*")) continue;
      expect(statement.Sid, "the Sid says why").toMatch(/(Has|Have)NoResourceLevelPermissions$/);
      for (const action of statement.Action) {
        expect(WILDCARD_RESOURCE_ACTIONS.some((pattern) => pattern.test(action)), action).toBe(true);
      }
    }
  });

  it("grants no action the workflows and routes do not need", () => {
    for (const statement of statements(synth.json)) {
      const needed = NEEDED_ACTIONS[statement.role] ?? NEEDED_ACTIONS.workflow;
      for (const action of statement.Action) expect(needed, `${statement.role}: ${action}`).toContain(action);
    }
  });

  it("lets API Gateway start each state machine with its own action only, and describe STANDARD executions only", () => {
    const apiGateway = statements(synth.json).filter((s) => s.role === "${aws_iam_role.integration_role.id}");
    expect(apiGateway.map(({ Action, Resource }) => ({ Action, Resource }))).toEqual(
      expect.arrayContaining([
        { Action: ["states:StartSyncExecution"], Resource: ["${aws_sfn_state_machine.express_state_machine.arn}"] },
        { Action: ["states:StartExecution"], Resource: ["${aws_sfn_state_machine.standard_state_machine.arn}"] },
        {
          Action: ["states:DescribeExecution"],
          Resource: ['${replace(aws_sfn_state_machine.standard_state_machine.arn, ":stateMachine:", ":execution:")}:*'],
        },
      ]),
    );
    expect(apiGateway).toHaveLength(3);
  });

  it("lets each workflow start and stop the demo instance only", () => {
    const toggles = statements(synth.json).filter((s) => s.Action.includes("ec2:StartInstances"));
    expect(toggles).toHaveLength(2);
    for (const statement of toggles) expect(statement.Resource).toEqual(["${aws_instance.demo_instance.arn}"]);
  });

  it("attaches no managed policy unless it manages the account's API Gateway CloudWatch role", () => {
    expect(resources(synth.json, "aws_iam_role_policy_attachment")).toEqual({});
    const managed = synthWith({ accessLogs: true, manageApiGatewayAccount: true });
    expect(Object.values(resources(managed.json, "aws_iam_role_policy_attachment")).map((a) => a.policy_arn)).toEqual([
      "arn:aws:iam::aws:policy/service-role/AmazonAPIGatewayPushToCloudWatchLogs",
    ]);
  });
});

describe("authorization", () => {
  it("requires IAM (SigV4) authorization on every method by default", () => {
    const methods = Object.values(resources(synth.json, "aws_api_gateway_method"));
    expect(methods).toHaveLength(3);
    for (const method of methods) expect(method).toMatchObject({ authorization: "AWS_IAM", api_key_required: false });
  });

  it("requires an API key, with a usage plan for the stage, when configured so", () => {
    const keyed = synthWith({ authorization: "API_KEY" });
    for (const method of Object.values(resources(keyed.json, "aws_api_gateway_method"))) {
      expect(method).toMatchObject({ authorization: "NONE", api_key_required: true });
    }
    expect(resource(keyed.json, "aws_api_gateway_usage_plan", "api_key_usage_plan")).toMatchObject({
      api_stages: [{ api_id: "${aws_api_gateway_rest_api.api.id}", stage: "${aws_api_gateway_stage.stage.stage_name}" }],
      throttle_settings: { rate_limit: 10, burst_limit: 20 },
    });
    expect(resource(keyed.json, "aws_api_gateway_usage_plan_key", "api_key_usage_plan_key")).toMatchObject({
      key_id: "${aws_api_gateway_api_key.api_key_key.id}",
      key_type: "API_KEY",
    });
    expect(keyed.json.output.api_key_value).toMatchObject({ sensitive: true });
  });

  it("leaves the methods open only when configured with NONE", () => {
    const open = synthWith({ authorization: "NONE" });
    for (const method of Object.values(resources(open.json, "aws_api_gateway_method"))) {
      expect(method).toMatchObject({ authorization: "NONE", api_key_required: false });
    }
    expect(resources(open.json, "aws_api_gateway_api_key")).toEqual({});
  });
});

describe("request validation", () => {
  const schemaFile = path.join(__dirname, "../../templates/models/instance-request.schema.json");

  it("validates the body of both POST routes against the instance request model before any execution", () => {
    const model = resource(synth.json, "aws_api_gateway_model", "api_model_instance_request");
    expect(model).toMatchObject({ name: "InstanceRequest", content_type: "application/json" });
    expect(JSON.parse(model.schema)).toEqual(JSON.parse(fs.readFileSync(schemaFile, "utf8")));
    expect(resource(synth.json, "aws_api_gateway_request_validator", "api_validator")).toMatchObject({
      validate_request_body: true,
      validate_request_parameters: true,
    });
    for (const name of ["express_start_method", "standard_start_method"]) {
      expect(resource(synth.json, "aws_api_gateway_method", name)).toMatchObject({
        request_models: { "application/json": "${aws_api_gateway_model.api_model_instance_request.name}" },
        request_validator_id: "${aws_api_gateway_request_validator.api_validator.id}",
      });
    }
  });

  it("accepts an instance ID and refuses a body without one or with a malformed one", () => {
    const validate = new Ajv04({ strict: false }).compile(JSON.parse(fs.readFileSync(schemaFile, "utf8")));
    expect(validate({ instance_id: "i-0123456789abcdef0" })).toBe(true);
    expect(validate({ instance_id: "i-01234567", note: "extra fields pass through" })).toBe(true);
    for (const bad of [{}, { instance_id: "i-XYZ" }, { instance_id: "0123456789abcdef0" }, { instance_id: 7 }, [], "i-0123456789abcdef0"]) {
      expect(validate(bad), JSON.stringify(bad)).toBe(false);
    }
  });

  it("refuses content types without a mapping template (415) instead of passing them through", () => {
    for (const integration of Object.values(resources(synth.json, "aws_api_gateway_integration"))) {
      expect(integration.passthrough_behavior).toBe("NEVER");
      expect(Object.keys(integration.request_templates)).toEqual(["application/json"]);
    }
  });

  it("answers API Gateway's own errors as JSON with the error's name and message", () => {
    const responses = resources(synth.json, "aws_api_gateway_gateway_response");
    const types = Object.values(responses).map((r) => r.response_type);
    expect(types).toEqual(
      expect.arrayContaining([
        "BAD_REQUEST_BODY",
        "UNSUPPORTED_MEDIA_TYPE",
        "ACCESS_DENIED",
        "THROTTLED",
        "MISSING_AUTHENTICATION_TOKEN",
        "DEFAULT_4XX",
        "DEFAULT_5XX",
      ]),
    );
    const badBody = Object.values(responses).find((r) => r.response_type === "BAD_REQUEST_BODY")!;
    expect(badBody.response_templates["application/json"].trim()).toBe(
      '{"error": "BadRequestBody", "message": $context.error.messageString}',
    );
    // API Gateway substitutes $context.error.messageString as a quoted JSON string.
    const rendered = badBody.response_templates["application/json"].replace("$context.error.messageString", '"Invalid request body"');
    expect(JSON.parse(rendered)).toEqual({ error: "BadRequestBody", message: "Invalid request body" });
  });
});

describe("status route and async answer", () => {
  it("serves GET /executions/{name} through DescribeExecution, requiring the name", () => {
    expect(resource(synth.json, "aws_api_gateway_resource", "api_path_executions_name")).toMatchObject({
      path_part: "{name}",
      parent_id: "${aws_api_gateway_resource.api_path_executions.id}",
    });
    expect(resource(synth.json, "aws_api_gateway_method", "standard_status_method")).toMatchObject({
      http_method: "GET",
      request_parameters: { "method.request.path.name": true },
    });
    expect(resource(synth.json, "aws_api_gateway_integration", "standard_status_integration").uri).toBe(
      "arn:aws:apigateway:us-east-1:states:action/DescribeExecution",
    );
  });

  it("declares the Location header on the asynchronous route's 202", () => {
    expect(resource(synth.json, "aws_api_gateway_method_response", "standard_start_method_response202").response_parameters).toEqual({
      "method.response.header.Location": false,
    });
  });
});
