import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { loadConfig } from "../../stacks/config";
import { DEFAULT_WORKFLOWS, parseWorkflows } from "../../stacks/workflows";
import { TEMPLATES_DIR } from "../../stacks/constructs/template-files";
import { hclToData } from "../support/hcl";
import { resource, resources } from "../support/stack-json";
import { run } from "../support/run";
import { fixtureProject } from "../support/project";
import { synthStack, testConfig, testEnv } from "../support/synth";

const express = { ...DEFAULT_WORKFLOWS[0] };
const standard = { ...DEFAULT_WORKFLOWS[1] };

function tempFile(name: string, text: string): string {
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "apigw-sfn-workflows-")), name);
  fs.writeFileSync(file, text);
  return file;
}

/** A templates folder of the test's own: a copy of the shipped one, plus these files (name -> text). */
function templatesWith(files: Readonly<Record<string, string>>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "apigw-sfn-templates-"));
  fs.cpSync(TEMPLATES_DIR, dir, { recursive: true });
  for (const [name, text] of Object.entries(files)) fs.writeFileSync(path.join(dir, name), text);
  return dir;
}

describe("workflows from configuration", () => {
  it("are the article's two by default", () => {
    expect(loadConfig().workflows.map((w) => [w.name, w.type, w.path])).toEqual([
      ["express", "EXPRESS", "express-instance"],
      ["standard", "STANDARD", "standard-instance"],
    ]);
  });

  it("come from cdktf.json context", () => {
    const config = loadConfig({ context: { workflows: [express] } });
    expect(config.workflows).toEqual([express]);
  });

  it("come from the JSON file APIGW_SFN_WORKFLOWS_FILE names", () => {
    const file = tempFile("workflows.json", JSON.stringify({ workflows: [standard] }));
    expect(loadConfig({ env: { APIGW_SFN_WORKFLOWS_FILE: file } }).workflows).toEqual([standard]);
  });

  it.each([
    [
      "duplicate names",
      [express, { ...standard, name: "express" }],
      /workflows\[1\] \("express"\): the name "express" is already used by workflows\[0\]/,
    ],
    [
      "duplicate paths",
      [express, { ...standard, path: "express-instance" }],
      /the route path "express-instance" is already used by .*workflows\[0\]/,
    ],
    [
      "a status path that clashes",
      [standard, { ...standard, name: "other", path: "other" }],
      /the route path "executions\/\{name\}" is already used/,
    ],
    ["an unknown type", [{ ...express, type: "SYNC" }], /"type" must be "EXPRESS" or "STANDARD", got "SYNC"/],
    [
      "a missing template",
      [{ ...express, templateFile: "state-machines/nope.asl.json.tftpl" }],
      /template file state-machines\/nope.asl.json.tftpl not found/,
    ],
    ["a status path on EXPRESS", [{ ...express, statusPath: "runs" }], /"statusPath" is only for STANDARD workflows/],
    ["an unknown field", [{ ...express, route: "x" }], /unknown field "route"/],
    [
      "a resource that is not an ARN",
      [{ ...express, resources: ["i-0123456789abcdef0"] }],
      /"resources" must be a list of ARNs or "demo-instance"/,
    ],
    ["an empty list", [], /"workflows" must be a non-empty list/],
    [
      "error statuses on a STANDARD workflow",
      [{ ...standard, errors: { "Order.NotFound": 404 } }],
      /workflows\[0\] \("standard"\): "errors" is only for EXPRESS workflows/,
    ],
    ["error statuses that are not an object", [{ ...express, errors: [404] }], /"errors" must be an object mapping error names/],
    [
      "a success status for an error",
      [{ ...express, errors: { "Order.NotFound": 200 } }],
      /"errors" "Order.NotFound": the status must be a whole number from 400 to 599/,
    ],
    ["a redirect status for an error", [{ ...express, errors: { "Order.Moved": 301 } }], /"errors" "Order.Moved": the status must be/],
    [
      "a status that is not a number",
      [{ ...express, errors: { "Order.NotFound": "404" } }],
      /the status must be a whole number from 400 to 599.*got "404"/,
    ],
    ["a status beyond 599", [{ ...express, errors: { "Order.NotFound": 600 } }], /the status must be a whole number from 400 to 599/],
    ["an empty error name", [{ ...express, errors: { "": 400 } }], /"errors" "": an error name holds 1 to 256 characters/],
    [
      "an error name longer than Step Functions reports",
      [{ ...express, errors: { ["E".repeat(257)]: 400 } }],
      /an error name holds 1 to 256 characters/,
    ],
    [
      "States.Timeout, which always answers 504",
      [{ ...express, errors: { "States.Timeout": 503 } }],
      /"States.Timeout": a timeout always answers 504/,
    ],
    [
      "States.ALL, which no execution fails with",
      [{ ...express, errors: { "States.ALL": 500 } }],
      /"States.ALL": States.ALL matches errors in Retry and Catch/,
    ],
    [
      "an error name in Step Functions' own namespace",
      [{ ...express, errors: { "States.Mine": 400 } }],
      /"States.Mine": names beginning with "States." are Step Functions' own/,
    ],
    [
      "a path with a malformed parameter",
      [{ ...express, path: "orders/{id" }],
      /"path" must be segments of letters, digits, ".", "_", "~" or "-", or a \{parameter\}/,
    ],
    ["a path naming a parameter twice", [{ ...express, path: "a/{id}/b/{id}" }], /"path" names the parameter \{id\} twice/],
    [
      "a STANDARD path with parameters and no statusPath",
      [{ ...standard, path: "orders/{id}", statusPath: undefined }],
      /"path" has parameters: a STANDARD workflow then needs a "statusPath" without parameters/,
    ],
    [
      "a STANDARD path using the status route's {name}",
      [{ ...standard, path: "x/{name}", statusPath: "runs" }],
      /\{name\} is the status route's parameter/,
    ],
    [
      "two routes naming one path parameter differently",
      [
        { ...express, path: "orders/{id}" },
        { ...express, name: "other", path: "orders/{orderId}/lines" },
      ],
      /names the parameter of "orders\/\{id\}" .* differently/,
    ],
    ["an unknown method", [{ ...express, method: "PUT" }], /"method" must be "POST" or "GET", got "PUT"/],
    ["a GET without input", [{ ...express, method: "GET", requestSchema: undefined }], /"method" GET has no body: set "input"/],
    [
      "a GET with a request schema",
      [{ ...express, method: "GET", input: {} }],
      /"method" GET has no body for the "requestSchema" to check/,
    ],
    ["input that is not an object", [{ ...express, input: true }], /"input" must be an object with any of path, querystring, header/],
    [
      "an unknown input option",
      [{ ...express, input: { headers: ["X-Tenant"] } }],
      /"input": unknown option "headers" \(known: path, querystring, header/,
    ],
    ["input.path that is not a boolean", [{ ...express, input: { path: "yes" } }], /"input.path" must be true or false/],
    [
      "a header name VTL or JSON would read",
      [{ ...express, input: { header: ['X-"Tenant'] } }],
      /"input.header" must be a list of header names \(letters, digits, "-" and "_", up to 64\)/,
    ],
    [
      "a header named twice in two cases",
      [{ ...express, input: { header: ["X-Tenant", "x-tenant"] } }],
      /"input.header" names "x-tenant" twice \(header names are case-insensitive\)/,
    ],
    [
      "an unknown $context field",
      [{ ...express, input: { requestContext: ["apiKey"] } }],
      /"input.requestContext" must be a list of \$context fields \(accountId, apiId/,
    ],
  ])("stop synth on %s, naming the workflow and the problem", (_, workflows, message) => {
    expect(() => parseWorkflows(workflows, "cdktf.json context", TEMPLATES_DIR)).toThrow(message);
    expect(() => loadConfig({ context: { workflows } })).toThrow(message);
  });

  it("accept request data in the input, path parameters and GET start routes, and keep them as written", () => {
    const orders = {
      ...express,
      name: "orders",
      path: "orders/{id}",
      input: { path: true, header: ["X-Tenant"], requestContext: ["requestId"] },
    };
    const jobs = { ...standard, name: "jobs", path: "jobs/{kind}", statusPath: "runs", method: "GET", requestSchema: undefined, input: {} };
    expect(parseWorkflows([orders, jobs], "cdktf.json context", TEMPLATES_DIR)).toEqual([orders, jobs]);
  });

  it("list every field in the message of an unknown one, from the fields' declarations", () => {
    expect(() => parseWorkflows([{ ...express, route: "x" }], "test", TEMPLATES_DIR)).toThrow(
      /known: name, type, templateFile, templateVariables, path, requestSchema, statusPath, resources, errors, method, input, authorization, authorizationScopes\)/,
    );
  });

  it("stop `npm run synth` with the message and write nothing when the file is bad", async () => {
    const file = tempFile("workflows.json", JSON.stringify([express, { ...express }]));
    const outdir = path.join(path.dirname(file), "out");
    const result = await run("node", ["scripts/synth.cjs"], {
      cwd: fixtureProject(),
      env: testEnv({ CDKTF_OUTDIR: outdir, APIGW_SFN_WORKFLOWS_FILE: file }),
    });
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('the name "express" is already used by workflows[0]');
    expect(fs.existsSync(outdir)).toBe(false);
  });
});

describe("error statuses of a workflow", () => {
  it("are kept as configured, with a predefined error of Step Functions among the workflow's own", () => {
    const errors = { "Order.NotFound": 404, "Payment.Declined": 402, "States.TaskFailed": 502 };
    expect(parseWorkflows([{ ...express, errors }], "cdktf.json context", TEMPLATES_DIR)[0].errors).toEqual(errors);
  });

  it("map the demo's EXPRESS workflow's EC2 errors in its own configuration, and nothing for STANDARD", () => {
    expect(express.errors).toEqual({
      "Request.InvalidAction": 400,
      "Instance.NotFound": 404,
      "Instance.Terminated": 409,
      "Instance.IncorrectState": 409,
      "Ec2.Unavailable": 503,
    });
    expect(standard.errors).toBeUndefined();
  });
});

describe("three workflows", () => {
  const describeOnly = "check.asl.json.tftpl";
  const notify = "notify.asl.json.tftpl";
  const templatesDir = templatesWith({
    [describeOnly]: JSON.stringify({
      StartAt: "Check",
      States: {
        Check: {
          Type: "Task",
          Resource: "arn:aws:states:::aws-sdk:ec2:describeInstanceStatus",
          Parameters: { "InstanceIds.$": "States.Array($.instance_id)" },
          End: true,
        },
      },
    }),
    [notify]: JSON.stringify({
      StartAt: "Both",
      States: {
        Both: {
          Type: "Parallel",
          Branches: [
            {
              StartAt: "Publish",
              States: {
                Publish: {
                  Type: "Task",
                  Resource: "arn:aws:states:::sns:publish",
                  Parameters: { TopicArn: "${topic_arn}", "Message.$": "$" },
                  End: true,
                },
              },
            },
            {
              StartAt: "Stop",
              States: {
                Stop: {
                  Type: "Task",
                  Resource: "arn:aws:states:::aws-sdk:ec2:stopInstances",
                  Parameters: { "InstanceIds.$": "States.Array($.instance_id)" },
                  End: true,
                },
              },
            },
          ],
          End: true,
        },
      },
    }),
  });
  const topic = "arn:aws:sns:us-east-1:123456789012:alerts";
  const workflows = parseWorkflows(
    [
      express,
      { name: "check", type: "EXPRESS", templateFile: describeOnly, path: "check" },
      {
        name: "notify",
        type: "STANDARD",
        templateFile: notify,
        templateVariables: { topic_arn: topic },
        path: "ops/notify",
        statusPath: "ops/runs",
        resources: [topic, "demo-instance"],
      },
    ],
    "test",
    templatesDir,
  );
  const config = testConfig({ workflows, templatesDir });
  const synth = synthStack({ config });
  const policy = (name: string) =>
    hclToData(resource(synth.json, "aws_iam_role_policy", `${name}_state_machine_role_policy`).policy) as { Statement: any[] };

  it("creates a state machine, a log group and routes for each", () => {
    expect(Object.keys(resources(synth.json, "aws_sfn_state_machine")).sort()).toEqual([
      "check_state_machine",
      "express_state_machine",
      "notify_state_machine",
    ]);
    expect(Object.keys(resources(synth.json, "aws_cloudwatch_log_group")).sort()).toEqual([
      "check_state_machine_logs",
      "express_state_machine_logs",
      "notify_state_machine_logs",
      "stage_access_logs",
    ]);
    expect(
      Object.values(resources(synth.json, "aws_api_gateway_method"))
        .map((m) => [m.http_method, m.resource_id])
        .sort(),
    ).toEqual([
      ["GET", "${aws_api_gateway_resource.api_path_ops_runs_name.id}"],
      ["POST", "${aws_api_gateway_resource.api_path_check.id}"],
      ["POST", "${aws_api_gateway_resource.api_path_express_instance.id}"],
      ["POST", "${aws_api_gateway_resource.api_path_ops_notify.id}"],
    ]);
    expect(resource(synth.json, "aws_api_gateway_resource", "api_path_ops_notify").parent_id).toBe(
      "${aws_api_gateway_resource.api_path_ops.id}",
    );
  });

  it("derives each workflow's permissions from its own ASL, each action on the resources of its kind only", () => {
    // The tasks' statements: without the log delivery and X-Ray actions every workflow has.
    const tasks = (name: string) =>
      policy(name)
        .Statement.map((s) => ({ ...s, Action: s.Action.filter((a: string) => !/^(logs|xray):/.test(a)) }))
        .filter((s) => s.Action.length > 0);
    expect(tasks("check")).toEqual([
      {
        Sid: "TheseActionsHaveNoResourceLevelPermissions",
        Effect: "Allow",
        Action: ["ec2:DescribeInstanceStatus"],
        Resource: ["*"],
      },
    ]);
    expect(tasks("notify")).toEqual([
      { Sid: "TasksOnEc2InstancesOnly", Effect: "Allow", Action: ["ec2:StopInstances"], Resource: ["${aws_instance.demo_instance.arn}"] },
      { Sid: "TasksOnSnsTopicsOnly", Effect: "Allow", Action: ["sns:Publish"], Resource: [topic] },
    ]);
    expect(tasks("express")).toEqual([
      {
        Sid: "TheseActionsHaveNoResourceLevelPermissions",
        Effect: "Allow",
        Action: ["ec2:DescribeInstanceStatus"],
        Resource: ["*"],
      },
      {
        Sid: "TasksOnEc2InstancesOnly",
        Effect: "Allow",
        Action: ["ec2:StartInstances", "ec2:StopInstances"],
        Resource: ["${aws_instance.demo_instance.arn}"],
      },
    ]);
  });

  it("refuses a workflow whose tasks need resources it was not given", () => {
    const unscoped = parseWorkflows(
      [{ name: "notify", type: "EXPRESS", templateFile: notify, templateVariables: { topic_arn: topic }, path: "notify" }],
      "test",
      templatesDir,
    );
    expect(() => synthStack({ config, workflows: unscoped })).toThrow(
      /workflow "notify": its tasks call ec2:StopInstances, sns:Publish, which must be limited/,
    );
  });

  it("creates no demo instance when no workflow acts on it", () => {
    const alone = parseWorkflows([{ name: "check", type: "EXPRESS", templateFile: describeOnly, path: "check" }], "test", templatesDir);
    const result = synthStack({ config, workflows: alone });
    expect(resources(result.json, "aws_instance")).toEqual({});
    expect(result.json.output.instance_id).toBeUndefined();
  });
});
