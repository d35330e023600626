/**
 * The stage's redeployment trigger: any change to what the API serves changes it, a change outside
 * the API does not, and its size does not grow with the references it hashes. Evaluated in process
 * from cdk.tf.json (support/trigger.ts); __tests__/terraform/terraform.test.ts checks the same
 * trigger under Terraform itself.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { App } from "cdktf";
import { ApiGatewayGatewayResponse } from "@cdktf/provider-aws/lib/api-gateway-gateway-response";
import { ApiGatewayModel } from "@cdktf/provider-aws/lib/api-gateway-model";
import { ApigwSfnStack } from "../../../stacks/apigw-sfn-stack";
import type { AppConfig } from "../../../stacks/config";
import { BEHAVIOUR_ATTRIBUTES, UNHASHED_ARGUMENTS } from "../../../stacks/constructs/deployment-part";
import type { Route } from "../../../stacks/constructs/route";
import type { WorkflowConfig } from "../../../stacks/workflows";
import { testConfig } from "../../support/synth";
import { deploymentTrigger, evaluateInterpolation } from "../../support/trigger";

/** Synthesizes the root stack in process, after `change` (if any), and returns cdk.tf.json. */
function synthJson(config: AppConfig = testConfig(), change?: (stack: ApigwSfnStack) => void): Record<string, any> {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), "apigw-sfn-trigger-"));
  const app = new App({ outdir });
  const stack = new ApigwSfnStack(app, "apigw-sfn", { config });
  change?.(stack);
  app.synth();
  return JSON.parse(fs.readFileSync(path.join(outdir, "stacks", "apigw-sfn", "cdk.tf.json"), "utf8"));
}

const trigger = (change?: (stack: ApigwSfnStack) => void, config?: AppConfig) => deploymentTrigger(synthJson(config, change));

const start = (stack: ApigwSfnStack): Route => stack.api.endpoints[0].startRoute as Route;
const restApi = (stack: ApigwSfnStack) => stack.api.api.resource;
const status = (stack: ApigwSfnStack): Route => stack.api.endpoints.find((endpoint) => endpoint.statusRoute)!.statusRoute!;
const all = <T>(stack: ApigwSfnStack, type: abstract new (...args: any[]) => T): T[] =>
  stack.node.findAll().filter((c): c is any => c instanceof type);

describe("the deployment trigger", () => {
  const baseline = trigger();

  it("is a SHA-1, the same for the same configuration", () => {
    expect(baseline).toMatch(/^[0-9a-f]{40}$/);
    expect(trigger()).toBe(baseline);
  });

  const changes: [string, (stack: ApigwSfnStack) => void][] = [
    ["a request mapping template", (s) => (start(s).integration!.requestTemplates = { "application/json": "{}" })],
    ["a response mapping template", (s) => (start(s).integrationResponses[0].responseTemplates = { "application/json": "{}" })],
    ["the template of an error response", (s) => (status(s).integrationResponses[1].responseTemplates = { "application/json": "{}" })],
    ["a request model's schema", (s) => (all(s, ApiGatewayModel)[0].schema = '{"type": "object"}')],
    ["a request model's name", (s) => (all(s, ApiGatewayModel)[0].name = "Other")],
    ["which model a method takes", (s) => (start(s).method!.requestModels = { "application/json": "Empty" })],
    ["what the request validator checks", (s) => (s.api.api.validator!.validateRequestBody = false)],
    ["which validator a method uses", (s) => (start(s).method!.requestValidatorId = "another-validator")],
    ["a method's request parameters", (s) => (start(s).method!.requestParameters = { "method.request.querystring.x": true })],
    ["an integration's request parameters", (s) => (start(s).integration!.requestParameters = { "integration.request.header.X-Y": "'z'" })],
    ["an integration's timeout", (s) => (start(s).integration!.timeoutMilliseconds = 10_000)],
    ["an integration's passthrough behaviour", (s) => (start(s).integration!.passthroughBehavior = "WHEN_NO_TEMPLATES")],
    ["an integration's role", (s) => (start(s).integration!.credentials = "arn:aws:iam::123456789012:role/other")],
    ["a method response's status code", (s) => (start(s).methodResponses[0].statusCode = "201")],
    ["a method response's parameters", (s) => (start(s).methodResponses[0].responseParameters = { "method.response.header.X-Y": false })],
    ["a method response's models", (s) => (start(s).methodResponses[0].responseModels = { "application/json": "Error" })],
    ["an integration response's status code", (s) => (start(s).integrationResponses[1].statusCode = "429")],
    [
      "an integration response's parameters",
      (s) => (start(s).integrationResponses[0].responseParameters = { "method.response.header.X-Y": "'z'" }),
    ],
    ["an integration response's selection pattern", (s) => (start(s).integrationResponses[1].selectionPattern = "4[0-9]{2}|429")],
    ["a gateway response's template", (s) => (all(s, ApiGatewayGatewayResponse)[0].responseTemplates = { "application/json": "{}" })],
    ["a gateway response's status code", (s) => (all(s, ApiGatewayGatewayResponse)[0].statusCode = "418")],
    [
      "a gateway response's parameters",
      (s) => (all(s, ApiGatewayGatewayResponse)[0].responseParameters = { "gatewayresponse.header.X-Y": "'z'" }),
    ],
    ["a method's authorization", (s) => (start(s).method!.authorization = "NONE")],
    ["whether a method needs an API key", (s) => (start(s).method!.apiKeyRequired = true)],
    ["a method's authorizer", (s) => (start(s).method!.authorizerId = "an-authorizer")],
    // The REST API's own settings, which AWS applies only through a deployment.
    ["the API's endpoint type", (s) => restApi(s).putEndpointConfiguration({ types: ["EDGE"] })],
    ["the API's endpoint IP address type", (s) => restApi(s).putEndpointConfiguration({ types: ["REGIONAL"], ipAddressType: "dualstack" })],
    [
      "the API's VPC endpoints",
      (s) => restApi(s).putEndpointConfiguration({ types: ["PRIVATE"], vpcEndpointIds: ["vpce-0123456789abcdef0"] }),
    ],
    ["whether the default execute-api endpoint is disabled", (s) => (restApi(s).disableExecuteApiEndpoint = true)],
    ["the API's binary media types", (s) => (restApi(s).binaryMediaTypes = ["image/png"])],
    ["the API's minimum compression size", (s) => (restApi(s).minimumCompressionSize = "1024")],
    ["the API's API key source", (s) => (restApi(s).apiKeySource = "AUTHORIZER")],
    ["an OpenAPI body imported into the API", (s) => (restApi(s).body = '{"openapi": "3.0.1"}')],
    ["the parameters of the body's import", (s) => (restApi(s).parameters = { ignore: "documentation" })],
    ["how the body is imported", (s) => (restApi(s).putRestApiMode = "merge")],
  ];
  for (const [what, change] of changes) {
    it(`changes with ${what}`, () => {
      expect(trigger(change)).not.toBe(baseline);
    });
  }

  it("changes with the configured authorization", () => {
    expect(trigger(undefined, testConfig({ authorization: "NONE", allowUnauthenticated: true }))).not.toBe(baseline);
    expect(trigger(undefined, testConfig({ authorization: "API_KEY" }))).not.toBe(baseline);
  });

  it("changes with a route's path", () => {
    const config = testConfig();
    const workflows: WorkflowConfig[] = config.workflows.map((w, i) => (i === 0 ? { ...w, path: `${w.path}-v2` } : w));
    expect(trigger(undefined, { ...config, workflows })).not.toBe(baseline);
  });

  it("changes with a workflow's input (what of the request its execution gets) and with each of its options", () => {
    const config = testConfig();
    const withInput = (input: WorkflowConfig["input"]) =>
      trigger(undefined, { ...config, workflows: config.workflows.map((w, i) => (i === 0 ? { ...w, input } : w)) });
    const headers = withInput({ header: ["X-Tenant"] });
    expect(headers).not.toBe(baseline);
    expect(withInput({ header: ["X-Tenant", "Authorization"] })).not.toBe(headers);
    expect(withInput({ header: ["X-Tenant"], requestContext: ["sourceIp"] })).not.toBe(headers);
  });

  it("changes with a start route's method", () => {
    const config = testConfig();
    const workflows: WorkflowConfig[] = config.workflows.map((w, i) =>
      i === 0 ? { ...w, method: "GET", requestSchema: undefined, input: {} } : w,
    );
    expect(trigger(undefined, { ...config, workflows })).not.toBe(baseline);
  });

  it("changes with disableExecuteApiEndpoint, the setting, on an API with a custom domain", () => {
    const domain = {
      customDomainName: "api.example.com",
      certificateArn: "arn:aws:acm:us-east-1:123456789012:certificate/0123abcd-0123-4567-89ab-0123456789ab",
    };
    const enabled = trigger(undefined, testConfig(domain));
    expect(trigger(undefined, testConfig({ ...domain, disableExecuteApiEndpoint: true }))).not.toBe(enabled);
  });

  it("changes with the resource policy (the accounts it allows)", () => {
    const allowed = trigger(undefined, testConfig({ allowedSourceAccounts: "123456789012" }));
    expect(allowed).not.toBe(baseline);
    expect(trigger(undefined, testConfig({ allowedSourceAccounts: "123456789012,210987654321" }))).not.toBe(allowed);
  });

  it("stays the same when only the API's name, description or tags change", () => {
    expect(trigger((s) => (restApi(s).description = "another description"))).toBe(baseline);
    expect(trigger((s) => (restApi(s).tags = { team: "payments" }))).toBe(baseline);
    expect(trigger((s) => (restApi(s).name = "another-name"))).toBe(baseline);
  });

  it("never sets the API's own policy, which the trigger leaves out (the attached resource policy is hashed)", () => {
    const json = synthJson(testConfig({ allowedSourceAccounts: "123456789012" }));
    expect(json.resource.aws_api_gateway_rest_api.api.policy).toBeUndefined();
    expect(json.resource.aws_api_gateway_rest_api_policy).toBeDefined();
  });

  it("stays the same when only something outside the API changes", () => {
    expect(trigger(undefined, testConfig({ instanceType: "t3.micro" }))).toBe(baseline);
    expect(trigger(undefined, testConfig({ logRetentionDays: 30 }))).toBe(baseline);
  });

  it("hashes every argument set on the resources the deployment snapshots", () => {
    const json = synthJson(testConfig({ authorization: "API_KEY" }));
    const place = new Set(["//", "rest_api_id", "resource_id", "parent_id", "depends_on", "lifecycle", "provider", "count", "for_each"]);
    for (const [type, attributes] of Object.entries(BEHAVIOUR_ATTRIBUTES)) {
      for (const [name, resource] of Object.entries((json.resource[type] ?? {}) as Record<string, Record<string, unknown>>)) {
        // What hangs off a method names it by its http_method: a place too. The policy is left out only because it is never set.
        const unhashed = Object.keys(UNHASHED_ARGUMENTS[type] ?? {}).filter((argument) => argument !== "policy");
        const isPlace = (key: string) =>
          place.has(key) || unhashed.includes(key) || (key === "http_method" && type !== "aws_api_gateway_method");
        for (const argument of Object.keys(resource).filter((key) => !isPlace(key))) {
          expect(attributes, `${type}.${name}.${argument}`).toContain(argument);
        }
      }
    }
  });

  it("waits for every resource it hashes", () => {
    const json = synthJson();
    const deployment = json.resource.aws_api_gateway_deployment.stage_deployment;
    const hashed = new Set<string>();
    for (const local of Object.values(json.locals as Record<string, string>)) {
      for (const match of local.matchAll(/\b(aws_[a-z0-9_]+\.[a-z0-9_]+)\.[a-z_]+/g)) hashed.add(match[1]);
    }
    // The API itself is the deployment's rest_api_id: Terraform creates it first without being told.
    expect(deployment.rest_api_id).toBe("${aws_api_gateway_rest_api.api.id}");
    const waited = new Set([...deployment.depends_on, "aws_api_gateway_rest_api.api"]);
    for (const address of hashed) if (!address.startsWith("aws_api_gateway_resource.")) expect(waited, address).toContain(address);
  });

  it("stays one reference per route, however many workflows and references there are", () => {
    const config = testConfig();
    const express = config.workflows.find((w) => w.type === "EXPRESS")!;
    const workflows = Array.from({ length: 40 }, (_, i) => ({ ...express, name: `w${i}`, path: `w/${i}` }));
    const json = synthJson({ ...config, workflows });
    const text: string = json.resource.aws_api_gateway_deployment.stage_deployment.triggers.redeployment;
    // The REST API (with its paths and models), 40 routes and the gateway responses: one local each.
    expect(text.match(/local\.\w+/g)).toHaveLength(42);
    expect(text.length).toBeLessThan(42 * 50);
    expect(evaluateInterpolation(json, text)).toMatch(/^[0-9a-f]{40}$/);
    for (const local of Object.values(json.locals as Record<string, string>)) expect(local.length).toBeLessThan(10_000);
  });
});
