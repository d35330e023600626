/**
 * Secure by default: least-privilege IAM, authorization on every method, request validation,
 * JSON gateway responses. Reads every IAM statement of the synthesized stack.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import Ajv04 from "ajv-draft-04";
import { describe, expect, it, vi } from "vitest";
import { Fn, TerraformStack, Testing } from "cdktf";
import { type ApigwSfnStackProps, workflowApiProps } from "../../stacks/apigw-sfn-stack";
import type { AppConfig } from "../../stacks/config";
import { parseWorkflows } from "../../stacks/workflows";
import { pascalCase, roleName } from "../../stacks/constructs/iam";
import { StateMachine } from "../../stacks/constructs/state-machine";
import { WorkflowApi } from "../../stacks/constructs/workflow-api";
import { hclToData } from "../support/hcl";
import { resource, resources } from "../support/stack-json";
import { type SynthResult, beforeTests, synthStack, testConfig } from "../support/synth";
import { deploymentTrigger } from "../support/trigger";

interface Statement {
  Sid?: string;
  Effect: string;
  Action: string[];
  Resource: string[];
}

/** Every statement of every inline and customer managed policy in the stack, with the role (or the managed policy) it belongs to. */
function statements(json: Record<string, any>): Array<Statement & { role: string }> {
  const policies: Array<Record<string, any>> = [
    ...Object.values(resources(json, "aws_iam_role_policy")),
    ...Object.values(resources(json, "aws_iam_policy")).map((policy) => ({ ...policy, role: policy.name })),
  ];
  return policies.flatMap((policy) => {
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

let synth: SynthResult;
beforeTests(() => {
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
        expect(
          WILDCARD_RESOURCE_ACTIONS.some((pattern) => pattern.test(action)),
          action,
        ).toBe(true);
      }
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
    const managed = synthWith({ manageApiGatewayAccount: true });
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
    const open = synthWith({ authorization: "NONE", allowUnauthenticated: true });
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
      '{"error": "BadRequestBody", "message": $context.error.messageString, "detail": "$context.error.validationErrorString"}',
    );
    // API Gateway substitutes $context.error.messageString as a quoted JSON string, and writes the
    // quotes of $context.error.validationErrorString escaped.
    const rendered = badBody.response_templates["application/json"]
      .replace("$context.error.messageString", '"Invalid request body"')
      .replace("$context.error.validationErrorString", '[object has missing required properties ([\\"instance_id\\"])]');
    expect(JSON.parse(rendered)).toEqual({
      error: "BadRequestBody",
      message: "Invalid request body",
      detail: '[object has missing required properties (["instance_id"])]',
    });
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

/** Every role's trust policy, parsed, by Terraform name. */
function trustPolicies(json: Record<string, any>): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(resources(json, "aws_iam_role")).map(([name, role]) => [name, hclToData(role.assume_role_policy)]),
  );
}

/** Every inline policy's statements, parsed, by Terraform name. */
function policyStatements(json: Record<string, any>): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(resources(json, "aws_iam_role_policy")).map(([name, policy]) => [
      name,
      (hclToData(policy.policy) as { Statement: unknown }).Statement,
    ]),
  );
}

const ACCOUNT = "${data.aws_caller_identity.account.account_id}";
const trust = (service: string, condition?: Record<string, unknown>) => ({
  Version: "2012-10-17",
  Statement: [
    { Effect: "Allow", Principal: { Service: service }, Action: "sts:AssumeRole", ...(condition ? { Condition: condition } : {}) },
  ],
});
const stepFunctionsTrust = (machine: string) =>
  trust("states.amazonaws.com", {
    StringEquals: { "aws:SourceAccount": ACCOUNT },
    ArnLike: { "aws:SourceArn": `arn:aws:states:us-east-1:${ACCOUNT}:stateMachine:${machine}` },
  });
const WORKFLOW_STATEMENTS = [
  {
    // Merged: every action AWS cannot scope to a resource (the tasks', log delivery's, X-Ray's).
    Sid: "TheseActionsHaveNoResourceLevelPermissions",
    Effect: "Allow",
    Action: [
      "ec2:DescribeInstanceStatus",
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
    Resource: ["*"],
  },
  {
    Sid: "TasksOnEc2InstancesOnly",
    Effect: "Allow",
    Action: ["ec2:StartInstances", "ec2:StopInstances"],
    Resource: ["${aws_instance.demo_instance.arn}"],
  },
];
const DESCRIBE_RESOURCE = '${replace(aws_sfn_state_machine.standard_state_machine.arn, ":stateMachine:", ":execution:")}:*';
const START_SYNC = {
  Sid: "StartSyncExecutionOnExpressOnly",
  Effect: "Allow",
  Action: ["states:StartSyncExecution"],
  Resource: ["${aws_sfn_state_machine.express_state_machine.arn}"],
};
const START = {
  Sid: "StartExecutionOnStandardOnly",
  Effect: "Allow",
  Action: ["states:StartExecution"],
  Resource: ["${aws_sfn_state_machine.standard_state_machine.arn}"],
};
const DESCRIBE = {
  Sid: "DescribeExecutionOnStandardOnly",
  Effect: "Allow",
  Action: ["states:DescribeExecution"],
  Resource: [DESCRIBE_RESOURCE],
};
/** The statement that lets a role use the key for one state machine's data only. */
const keyFor = (label: string, machine: string, key: string) => ({
  Sid: `KeyFor${label}DataOnly`,
  Effect: "Allow",
  Action: ["kms:Decrypt", "kms:GenerateDataKey"],
  Resource: [key],
  Condition: {
    StringEquals: { "kms:EncryptionContext:aws:states:stateMachineArn": `arn:aws:states:us-east-1:${ACCOUNT}:stateMachine:${machine}` },
  },
});
const KEY_ARN = "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab";
const WEB_ACL_ARN = "arn:aws:wafv2:us-east-1:123456789012:regional/webacl/api/0123abcd-0123-4567-89ab-0123456789ab";
const CERTIFICATE_ARN = "arn:aws:acm:us-east-1:123456789012:certificate/0123abcd-0123-4567-89ab-0123456789ab";

describe("trust policies (confused deputy)", () => {
  it("lets Step Functions assume each workflow role only for that state machine in this account", () => {
    expect(trustPolicies(synth.json)).toEqual({
      express_state_machine_role: stepFunctionsTrust("apigw-sfn-express"),
      standard_state_machine_role: stepFunctionsTrust("apigw-sfn-standard"),
      // AWS documents no source keys for integration credentials (opt in below).
      integration_role: trust("apigateway.amazonaws.com"),
    });
    expect(resource(synth.json, "aws_sfn_state_machine", "express_state_machine").name).toBe("apigw-sfn-express");
    expect(synth.json.data.aws_caller_identity).toHaveProperty("account");
  });

  it("adds aws:SourceAccount and this API's aws:SourceArn to the API Gateway roles when asked", () => {
    const conditioned = synthWith({ apiGatewayTrustConditions: true, manageApiGatewayAccount: true, instanceSsm: true });
    expect(trustPolicies(conditioned.json)).toEqual({
      express_state_machine_role: stepFunctionsTrust("apigw-sfn-express"),
      standard_state_machine_role: stepFunctionsTrust("apigw-sfn-standard"),
      integration_role: trust("apigateway.amazonaws.com", {
        StringEquals: { "aws:SourceAccount": ACCOUNT },
        ArnLike: { "aws:SourceArn": `arn:aws:execute-api:us-east-1:${ACCOUNT}:\${aws_api_gateway_rest_api.api.id}/*` },
      }),
      api_gateway_account_role: trust("apigateway.amazonaws.com", { StringEquals: { "aws:SourceAccount": ACCOUNT } }),
      // EC2 sets no source keys; IAM lets only this account pass the role to an instance.
      demo_instance_role: trust("ec2.amazonaws.com"),
    });
  });

  it("builds the condition's ARNs in the stack's partition and region", () => {
    const gov = synthWith({ region: "us-gov-west-1" });
    expect(trustPolicies(gov.json).express_state_machine_role).toEqual(
      trust("states.amazonaws.com", {
        StringEquals: { "aws:SourceAccount": ACCOUNT },
        ArnLike: { "aws:SourceArn": `arn:aws-us-gov:states:us-gov-west-1:${ACCOUNT}:stateMachine:apigw-sfn-express` },
      }),
    );
  });
});

describe("every permission, exactly", () => {
  it("grants exactly these statements by default, in one inline policy per role", () => {
    expect(policyStatements(synth.json)).toEqual({
      express_state_machine_role_policy: WORKFLOW_STATEMENTS,
      standard_state_machine_role_policy: WORKFLOW_STATEMENTS,
      integration_role_policy: [START_SYNC, START, DESCRIBE],
    });
    expect(resources(synth.json, "aws_iam_policy")).toEqual({});
  });

  it("adds the use of the customer managed key, for each state machine's own data only", () => {
    const key = "${aws_kms_key.key.arn}";
    const encrypted = synthWith({ createKmsKey: true });
    const express = keyFor("Express", "apigw-sfn-express", key);
    const standard = keyFor("Standard", "apigw-sfn-standard", key);
    const context = "kms:EncryptionContext:aws:states:stateMachineArn";
    expect(policyStatements(encrypted.json)).toEqual({
      express_state_machine_role_policy: [...WORKFLOW_STATEMENTS, express],
      standard_state_machine_role_policy: [...WORKFLOW_STATEMENTS, standard],
      integration_role_policy: [
        START_SYNC,
        // One statement for both machines: several values of one condition key match if any matches.
        {
          ...express,
          Sid: "KeyForTheseStateMachinesDataOnly",
          Condition: { StringEquals: { [context]: [express.Condition.StringEquals[context], standard.Condition.StringEquals[context]] } },
        },
        START,
        DESCRIBE,
      ],
    });
  });

  it("attaches only AmazonSSMManagedInstanceCore to the demo instance's role, when asked", () => {
    const managed = synthWith({ instanceSsm: true });
    expect(Object.values(resources(managed.json, "aws_iam_role_policy_attachment"))).toEqual([
      expect.objectContaining({
        role: "${aws_iam_role.demo_instance_role.name}",
        policy_arn: "arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore",
      }),
    ]);
  });
});

describe("logs keep request bodies out and last a year", () => {
  it("keeps execution data out of every state machine's logs by default", () => {
    const machines = Object.values(resources(synth.json, "aws_sfn_state_machine"));
    expect(machines).toHaveLength(2);
    for (const machine of machines) expect(machine.logging_configuration.include_execution_data).toBe(false);
  });

  it("keeps every log group 365 days (FSBP CloudWatch.16)", () => {
    const groups = Object.values(resources(synth.json, "aws_cloudwatch_log_group"));
    expect(groups).toHaveLength(3);
    for (const group of groups) expect(group.retention_in_days).toBe(365);
  });

  it("writes access logs by default, as JSON with who called what and how it ended (FSBP APIGateway.1)", () => {
    const settings = resource(synth.json, "aws_api_gateway_stage", "stage").access_log_settings;
    expect(settings.destination_arn).toBe("${aws_cloudwatch_log_group.stage_access_logs.arn}");
    // Who called what and how it ended; never a body ($input, $context.requestOverride...).
    expect(JSON.parse(settings.format)).toEqual({
      requestId: "$context.requestId",
      extendedRequestId: "$context.extendedRequestId",
      requestTime: "$context.requestTime",
      ip: "$context.identity.sourceIp",
      caller: "$context.identity.caller",
      user: "$context.identity.user",
      userAgent: "$context.identity.userAgent",
      httpMethod: "$context.httpMethod",
      resourcePath: "$context.resourcePath",
      status: "$context.status",
      responseLength: "$context.responseLength",
      responseLatency: "$context.responseLatency",
      errorMessage: "$context.error.message",
      integrationStatus: "$context.integration.status",
      integrationLatency: "$context.integration.latency",
      integrationError: "$context.integration.error",
      xrayTraceId: "$context.xrayTraceId",
    });
  });

  it("logs method errors, never request or response bodies", () => {
    expect(resource(synth.json, "aws_api_gateway_method_settings", "stage_method_settings").settings).toMatchObject({
      logging_level: "ERROR",
      data_trace_enabled: false,
    });
    const info = synthWith({ methodLoggingLevel: "INFO" });
    expect(resource(info.json, "aws_api_gateway_method_settings", "stage_method_settings").settings).toMatchObject({
      logging_level: "INFO",
      data_trace_enabled: false,
    });
  });

  it("encrypts nothing with a customer managed key unless asked", () => {
    expect(resources(synth.json, "aws_kms_key")).toEqual({});
    for (const group of Object.values(resources(synth.json, "aws_cloudwatch_log_group"))) expect(group.kms_key_id).toBeUndefined();
    for (const machine of Object.values(resources(synth.json, "aws_sfn_state_machine")))
      expect(machine.encryption_configuration).toBeUndefined();
  });

  it("creates a rotated key whose policy lets CloudWatch Logs use it for this account's log groups only", () => {
    const encrypted = synthWith({ createKmsKey: true });
    const key = resource(encrypted.json, "aws_kms_key", "key");
    expect(key).toMatchObject({ enable_key_rotation: true, deletion_window_in_days: 30 });
    expect(resource(encrypted.json, "aws_kms_alias", "key_alias")).toMatchObject({
      name: "alias/apigw-sfn",
      target_key_id: "${aws_kms_key.key.key_id}",
    });
    expect(hclToData(key.policy)).toEqual({
      Version: "2012-10-17",
      Statement: [
        {
          Sid: "AccountAdministersKeyAndDelegatesUseToIam",
          Effect: "Allow",
          Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` },
          Action: "kms:*",
          Resource: "*",
        },
        {
          Sid: "CloudWatchLogsUsesKeyForThisAccountsLogGroups",
          Effect: "Allow",
          Principal: { Service: "logs.us-east-1.amazonaws.com" },
          Action: [
            "kms:Encrypt",
            "kms:Decrypt",
            "kms:ReEncryptFrom",
            "kms:ReEncryptTo",
            "kms:GenerateDataKey",
            "kms:GenerateDataKeyWithoutPlaintext",
            "kms:DescribeKey",
          ],
          Resource: "*",
          Condition: { ArnLike: { "kms:EncryptionContext:aws:logs:arn": `arn:aws:logs:us-east-1:${ACCOUNT}:log-group:*` } },
        },
        {
          Sid: "LogDeliveryDecryptsForThisAccountOnly",
          Effect: "Allow",
          Principal: { Service: "delivery.logs.amazonaws.com" },
          Action: "kms:Decrypt",
          Resource: "*",
          Condition: { StringEquals: { "aws:SourceAccount": ACCOUNT } },
        },
      ],
    });
  });

  it.each([
    ["a created key", { createKmsKey: true }, "${aws_kms_key.key.arn}"],
    ["an existing key", { kmsKeyArn: KEY_ARN }, KEY_ARN],
  ])("encrypts every log group and both state machines with %s", (_what, overrides, arn) => {
    const encrypted = synthWith(overrides);
    const groups = Object.values(resources(encrypted.json, "aws_cloudwatch_log_group"));
    expect(groups).toHaveLength(3);
    for (const group of groups) expect(group.kms_key_id).toBe(arn);
    for (const machine of Object.values(resources(encrypted.json, "aws_sfn_state_machine"))) {
      expect(machine.encryption_configuration).toEqual({
        type: "CUSTOMER_MANAGED_KMS_KEY",
        kms_key_id: arn,
        kms_data_key_reuse_period_seconds: 300,
      });
    }
    if (arn === KEY_ARN) expect(resources(encrypted.json, "aws_kms_key")).toEqual({});
  });

  it("refuses both a key to create and an existing key", () => {
    expect(() => synthWith({ createKmsKey: true, kmsKeyArn: KEY_ARN })).toThrow(
      /set encryption.createKey or encryption.kmsKeyArn, not both/,
    );
  });
});

describe("the edge, opt-in", () => {
  it("has no WAF association, custom domain or resource policy by default, and a regional endpoint", () => {
    for (const type of [
      "aws_wafv2_web_acl_association",
      "aws_api_gateway_domain_name",
      "aws_api_gateway_base_path_mapping",
      "aws_api_gateway_rest_api_policy",
    ]) {
      expect(resources(synth.json, type), type).toEqual({});
    }
    const api = resource(synth.json, "aws_api_gateway_rest_api", "api");
    expect(api.endpoint_configuration).toEqual({ types: ["REGIONAL"] });
    expect(api.disable_execute_api_endpoint).toBe(false);
  });

  it("associates the web ACL with the stage (FSBP APIGateway.4)", () => {
    const protectedApi = synthWith({ wafWebAclArn: WEB_ACL_ARN });
    expect(resource(protectedApi.json, "aws_wafv2_web_acl_association", "web_acl")).toMatchObject({
      resource_arn: "${aws_api_gateway_stage.stage.arn}",
      web_acl_arn: WEB_ACL_ARN,
    });
  });

  it("serves the stage on a custom domain with TLS 1.2, and the URL outputs use the domain", () => {
    const domain = synthWith({
      customDomainName: "api.example.com",
      certificateArn: CERTIFICATE_ARN,
      customDomainBasePath: "v1",
      disableExecuteApiEndpoint: true,
    });
    expect(resource(domain.json, "aws_api_gateway_domain_name", "custom_domain")).toMatchObject({
      domain_name: "api.example.com",
      regional_certificate_arn: CERTIFICATE_ARN,
      security_policy: "TLS_1_2",
      endpoint_configuration: { types: ["REGIONAL"] },
    });
    expect(resource(domain.json, "aws_api_gateway_base_path_mapping", "custom_domain_mapping")).toMatchObject({
      api_id: "${aws_api_gateway_rest_api.api.id}",
      stage_name: "${aws_api_gateway_stage.stage.stage_name}",
      domain_name: "${aws_api_gateway_domain_name.custom_domain.domain_name}",
      base_path: "v1",
    });
    expect(resource(domain.json, "aws_api_gateway_rest_api", "api").disable_execute_api_endpoint).toBe(true);
    expect(domain.json.output).toMatchObject({
      api_url: { value: "https://${aws_api_gateway_domain_name.custom_domain.domain_name}/v1" },
      express_url: { value: "https://${aws_api_gateway_domain_name.custom_domain.domain_name}/v1/express-instance" },
      standard_status_url: { value: "https://${aws_api_gateway_domain_name.custom_domain.domain_name}/v1/executions" },
      custom_domain_target: { value: "${aws_api_gateway_domain_name.custom_domain.regional_domain_name}" },
      custom_domain_zone_id: { value: "${aws_api_gateway_domain_name.custom_domain.regional_zone_id}" },
    });
    const root = synthWith({ customDomainName: "api.example.com", certificateArn: CERTIFICATE_ARN });
    expect(resource(root.json, "aws_api_gateway_base_path_mapping", "custom_domain_mapping").base_path).toBeUndefined();
    expect(root.json.output.api_url.value).toBe("https://${aws_api_gateway_domain_name.custom_domain.domain_name}");
  });

  it("refuses to turn off the execute-api endpoint without a custom domain", () => {
    expect(() => synthWith({ disableExecuteApiEndpoint: true })).toThrow(/disableExecuteApiEndpoint needs customDomain.domainName/);
  });

  it("lets only the listed accounts' principals invoke the API, and redeploys when the policy changes", () => {
    const limited = synthWith({ allowedSourceAccounts: "123456789012,210987654321" });
    const policy = resource(limited.json, "aws_api_gateway_rest_api_policy", "resource_policy");
    expect(policy.rest_api_id).toBe("${aws_api_gateway_rest_api.api.id}");
    const resourceArn = "${aws_api_gateway_rest_api.api.execution_arn}/*";
    expect(hclToData(policy.policy)).toEqual({
      Version: "2012-10-17",
      Statement: [
        {
          Sid: "ListedAccountsMayInvoke",
          Effect: "Allow",
          Principal: { AWS: ["arn:aws:iam::123456789012:root", "arn:aws:iam::210987654321:root"] },
          Action: "execute-api:Invoke",
          Resource: resourceArn,
        },
        {
          Sid: "DenyPrincipalsOfOtherAccounts",
          Effect: "Deny",
          Principal: "*",
          Action: "execute-api:Invoke",
          Resource: resourceArn,
          Condition: { StringNotEquals: { "aws:PrincipalAccount": ["123456789012", "210987654321"] } },
        },
      ],
    });
    const deployment = resource(limited.json, "aws_api_gateway_deployment", "stage_deployment");
    expect(Object.values<string>(limited.json.locals).join(" ")).toContain("aws_api_gateway_rest_api_policy.resource_policy.policy");
    expect(deployment.depends_on).toContain("aws_api_gateway_rest_api_policy.resource_policy");
    const other = synthWith({ allowedSourceAccounts: "123456789012" });
    expect(deploymentTrigger(other.json)).not.toBe(deploymentTrigger(limited.json));
  });

  it("makes the API private, reachable through the listed VPC endpoints only", () => {
    const privateApi = synthWith({ allowedVpcEndpoints: "vpce-0123456789abcdef0" });
    expect(resource(privateApi.json, "aws_api_gateway_rest_api", "api").endpoint_configuration).toEqual({
      types: ["PRIVATE"],
      vpc_endpoint_ids: ["vpce-0123456789abcdef0"],
    });
    const resourceArn = "${aws_api_gateway_rest_api.api.execution_arn}/*";
    expect((hclToData(resource(privateApi.json, "aws_api_gateway_rest_api_policy", "resource_policy").policy) as any).Statement).toEqual([
      { Sid: "InvokeThroughListedVpcEndpoints", Effect: "Allow", Principal: "*", Action: "execute-api:Invoke", Resource: resourceArn },
      {
        Sid: "DenyOtherNetworkPaths",
        Effect: "Deny",
        Principal: "*",
        Action: "execute-api:Invoke",
        Resource: resourceArn,
        Condition: { StringNotEquals: { "aws:SourceVpce": ["vpce-0123456789abcdef0"] } },
      },
    ]);
  });

  it("refuses authorization NONE unless allowUnauthenticated confirms it, then warns once on stderr", () => {
    expect(() => synthWith({ authorization: "NONE" })).toThrow(/authorization "NONE" lets anyone with the URL start the workflows/);
    const written: string[] = [];
    const spy = vi.spyOn(process.stderr, "write").mockImplementation((chunk: any) => {
      written.push(String(chunk));
      return true;
    });
    try {
      synthWith({ authorization: "NONE", allowUnauthenticated: true, projectName: "open-demo" });
      synthWith({ authorization: "NONE", allowUnauthenticated: true, projectName: "open-demo" });
    } finally {
      spy.mockRestore();
    }
    expect(written.filter((line) => line.includes("open-demo: authorization is NONE"))).toEqual([
      "Warning: open-demo: authorization is NONE: anyone who knows the URL can start the workflows\n",
    ]);
  });
});

describe("demo instance network", () => {
  it("has no public IP, an encrypted root volume, IMDSv2, and is not replaced by a newer AMI", () => {
    expect(resource(synth.json, "aws_instance", "demo_instance")).toMatchObject({
      associate_public_ip_address: false,
      root_block_device: { encrypted: true },
      metadata_options: { http_tokens: "required" },
      lifecycle: { ignore_changes: ["ami"] },
      vpc_security_group_ids: ["${aws_security_group.demo_instance_security_group.id}"],
    });
    expect(resource(synth.json, "aws_instance", "demo_instance").iam_instance_profile).toBeUndefined();
  });

  it("sits in a security group of its own with no ingress and no egress, in the default VPC", () => {
    const group = resource(synth.json, "aws_security_group", "demo_instance_security_group");
    expect(group.vpc_id).toBe("${data.aws_vpc.demo_instance_vpc.id}");
    expect(group.ingress).toBeUndefined();
    expect(group.egress).toBeUndefined();
    expect(synth.json.data.aws_vpc.demo_instance_vpc).toMatchObject({ default: true });
    for (const type of ["aws_security_group_rule", "aws_vpc_security_group_ingress_rule", "aws_vpc_security_group_egress_rule"]) {
      expect(resources(synth.json, type), type).toEqual({});
    }
  });

  it("goes into the configured subnet, in that subnet's VPC", () => {
    const placed = synthWith({ instanceSubnetId: "subnet-0123456789abcdef0" });
    expect(resource(placed.json, "aws_instance", "demo_instance").subnet_id).toBe("subnet-0123456789abcdef0");
    expect(placed.json.data.aws_subnet.demo_instance_subnet).toMatchObject({ id: "subnet-0123456789abcdef0" });
    expect(resource(placed.json, "aws_security_group", "demo_instance_security_group").vpc_id).toBe(
      "${data.aws_subnet.demo_instance_subnet.vpc_id}",
    );
    expect(placed.json.data.aws_vpc).toBeUndefined();
  });

  it("gets an SSM instance profile and HTTPS egress only, when asked", () => {
    const managed = synthWith({ instanceSsm: true });
    expect(resource(managed.json, "aws_instance", "demo_instance").iam_instance_profile).toBe(
      "${aws_iam_instance_profile.demo_instance_profile.name}",
    );
    expect(resource(managed.json, "aws_iam_instance_profile", "demo_instance_profile").role).toBe(
      "${aws_iam_role.demo_instance_role.name}",
    );
    expect(Object.values(resources(managed.json, "aws_vpc_security_group_egress_rule"))).toEqual([
      expect.objectContaining({
        security_group_id: "${aws_security_group.demo_instance_security_group.id}",
        ip_protocol: "tcp",
        from_port: 443,
        to_port: 443,
        cidr_ipv4: "0.0.0.0/0",
      }),
    ]);
    expect(resources(managed.json, "aws_vpc_security_group_ingress_rule")).toEqual({});
  });
});

describe("the constructs' own defaults are the secure ones", () => {
  /** Every resource of a type in a stack synthesized by Testing.synth, whatever its name. */
  const all = (json: Record<string, any>, type: string): Record<string, any>[] => Object.values(json.resource?.[type] ?? {});

  it("WorkflowApi with only the required props: no execution data, 365-day logs, access and error logs, a private instance", () => {
    const stack = new TerraformStack(Testing.app(), "bare");
    new WorkflowApi(stack, "Api", { projectName: "bare", region: "us-east-1", workflows: workflowApiProps(testConfig()).workflows });
    const json = JSON.parse(Testing.synth(stack));
    const machines = all(json, "aws_sfn_state_machine");
    expect(machines).toHaveLength(2);
    for (const machine of machines) expect(machine.logging_configuration.include_execution_data).toBe(false);
    const groups = all(json, "aws_cloudwatch_log_group");
    expect(groups).toHaveLength(3);
    for (const group of groups) expect(group.retention_in_days).toBe(365);
    expect(all(json, "aws_api_gateway_stage")[0].access_log_settings.destination_arn).toMatch(/^\$\{aws_cloudwatch_log_group\./);
    expect(all(json, "aws_api_gateway_method_settings")[0].settings).toMatchObject({ logging_level: "ERROR", data_trace_enabled: false });
    expect(all(json, "aws_instance")[0]).toMatchObject({ associate_public_ip_address: false, root_block_device: { encrypted: true } });
    for (const role of all(json, "aws_iam_role").filter((r) => r.assume_role_policy.includes("states.amazonaws.com"))) {
      expect(role.assume_role_policy).toContain('"aws:SourceAccount"');
      expect(role.assume_role_policy).toContain('"aws:SourceArn"');
    }
  });

  it("StateMachine on its own: no execution data, 365-day log group", () => {
    const stack = new TerraformStack(Testing.app(), "machine");
    const [workflow] = workflowApiProps(testConfig()).workflows;
    new StateMachine(stack, "Machine", {
      name: "bare-express",
      type: "EXPRESS",
      template: { file: workflow.templateFile },
      resources: ["arn:aws:ec2:us-east-1:123456789012:instance/i-0123456789abcdef0"],
      accountId: "123456789012",
      region: "us-east-1",
    });
    const json = JSON.parse(Testing.synth(stack));
    expect(all(json, "aws_sfn_state_machine")[0].logging_configuration).toMatchObject({ level: "ALL", include_execution_data: false });
    expect(all(json, "aws_cloudwatch_log_group")[0].retention_in_days).toBe(365);
    expect(hclToData(all(json, "aws_iam_role")[0].assume_role_policy)).toEqual(
      trust("states.amazonaws.com", {
        StringEquals: { "aws:SourceAccount": "123456789012" },
        ArnLike: { "aws:SourceArn": "arn:aws:states:us-east-1:123456789012:stateMachine:bare-express" },
      }),
    );
  });
});

describe("policy documents and names", () => {
  it("writes every inline policy as a 2012-10-17 document", () => {
    for (const [name, policy] of Object.entries(resources(synth.json, "aws_iam_role_policy"))) {
      expect((hclToData(policy.policy) as { Version: string }).Version, name).toBe("2012-10-17");
    }
  });

  it("describes every role and the key: what each is for, in the console", () => {
    const everything = synthWith({ manageApiGatewayAccount: true, instanceSsm: true, createKmsKey: true });
    const roles = resources(everything.json, "aws_iam_role");
    expect(Object.fromEntries(Object.entries(roles).map(([name, role]) => [name, role.description]))).toEqual({
      express_state_machine_role: "Execution role of the apigw-sfn-express state machine",
      standard_state_machine_role: "Execution role of the apigw-sfn-standard state machine",
      integration_role: "Assumed by API Gateway to start Step Functions executions",
      api_gateway_account_role: "Lets API Gateway write execution and access logs to CloudWatch (account-level setting)",
      demo_instance_role: "Lets Systems Manager manage the demo instance",
    });
    expect(resource(everything.json, "aws_kms_key", "key").description).toBe("Encrypts the logs and state machines of apigw-sfn");
    expect(resource(everything.json, "aws_api_gateway_account", "api_gateway_account").depends_on).toEqual([
      "aws_iam_role_policy_attachment.api_gateway_account_policy",
    ]);
  });

  it("refuses an IAM role name over 64 characters and accepts one of exactly 64", () => {
    expect(roleName("r".repeat(64))).toBe("r".repeat(64));
    expect(() => roleName("r".repeat(65))).toThrow(
      `IAM role name "${"r".repeat(65)}" is longer than 64 characters; choose a shorter project or workflow name`,
    );
    // A name holding a Terraform expression is checked by the module variable's validation instead.
    const expression = `${Fn.lower("Project")}-${"r".repeat(64)}`;
    expect(roleName(expression)).toBe(expression);
  });

  it("spells statement ids in PascalCase, letters and digits only", () => {
    expect(pascalCase("apigw-sfn-express")).toBe("ApigwSfnExpress");
    expect(pascalCase("ops--restart_2")).toBe("OpsRestart2");
    expect(pascalCase("-ops-")).toBe("Ops");
  });
});

describe("each task action on its own kind of resource only", () => {
  /** A configuration with one workflow whose one state "Act" calls `resource`, on these resources. */
  function oneTask(resource: string, resources: string[]): AppConfig {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "apigw-sfn-task-"));
    fs.writeFileSync(
      path.join(dir, "act.asl.json.tftpl"),
      JSON.stringify({ StartAt: "Act", States: { Act: { Type: "Task", Resource: resource, End: true } } }),
    );
    const workflows = parseWorkflows(
      [{ name: "orders", type: "EXPRESS", templateFile: "act.asl.json.tftpl", path: "orders", resources }],
      "test",
      dir,
    );
    return testConfig({ workflows, templatesDir: dir });
  }

  it("stops synth at dynamodb:PutItem given only an SQS queue, naming the workflow, the state, the action and the ARN", () => {
    const queue = "arn:aws:sqs:us-east-1:123456789012:orders";
    expect(() => synthStack({ config: oneTask("arn:aws:states:::dynamodb:putItem", [queue]) })).toThrow(
      new RegExp(
        `^workflow "orders": state "Act" calls dynamodb:PutItem, which acts on .*table/.*, and none of its resources is one: ${queue}$`,
      ),
    );
  });

  it("stops synth at s3:GetObject given only the bucket's ARN", () => {
    const bucket = "arn:aws:s3:::reports";
    expect(() => synthStack({ config: oneTask("arn:aws:states:::aws-sdk:s3:getObject", [bucket]) })).toThrow(
      new RegExp(
        `^workflow "orders": state "Act" calls s3:GetObject, which acts on .*/\\$\\{ObjectName\\}, and none of its resources is one: ${bucket}$`,
      ),
    );
  });

  it("grants s3:GetObject on the bucket's objects", () => {
    const objects = "arn:aws:s3:::reports/*";
    const json = synthStack({ config: oneTask("arn:aws:states:::aws-sdk:s3:getObject", [objects]) }).json;
    expect(statements(json).filter((s) => s.Action.includes("s3:GetObject"))).toEqual([
      expect.objectContaining({ Sid: "TasksOnS3ObjectsOnly", Action: ["s3:GetObject"], Resource: [objects] }),
    ]);
  });
});
