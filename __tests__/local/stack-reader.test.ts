/**
 * local/stack-reader.ts: what the local API learns from a synthesized stack, read generically from
 * the Terraform schema, and the start-up errors for what it cannot serve faithfully.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { selectIntegrationResponse } from "../../local/apigateway/handlers/response-mapping";
import { readStack, StackReadError, type ApiModel } from "../../local/stack-reader";
import { parseTemplatefileCall } from "../../local/terraform-json";
import { DEFAULT_WORKFLOWS } from "../../stacks/workflows";
import { synthStack } from "../support/synth";
import { FIXTURE_SCHEMA, writeFixtureStack } from "./fixture-stack";

describe("routes of workflows whose names share a prefix", () => {
  it("links each route to its own state machine only, not to one whose name its own begins with", () => {
    const express = DEFAULT_WORKFLOWS[0];
    const workflows = [
      { ...express, name: "w-1", path: "one" },
      { ...express, name: "w-10", path: "ten" },
    ];
    const model = readStack(synthStack({ workflows }).stackDir);
    const byPath = Object.fromEntries(model.routes.map((r) => [r.resourcePath, r.stateMachines]));
    expect(byPath).toEqual({ "/one": ["apigw-sfn-w-1"], "/ten": ["apigw-sfn-w-10"] });
  });
});

describe("reading the project's synthesized stack", () => {
  let model: ApiModel;
  beforeAll(() => {
    model = readStack(synthStack().stackDir);
  });

  it("serves under the stage name the stack deploys", () => {
    expect(model.stageName).toBe("v1");
  });

  it("has a POST route per workflow, each calling its state machine with the action its type needs", () => {
    const starts = model.routes.filter((r) => r.httpMethod === "POST" && r.integration.action?.startsWith("Start"));
    const byMachine = Object.fromEntries(starts.map((r) => [r.stateMachines.join(","), r.integration.action]));
    expect(byMachine).toEqual({ "apigw-sfn-express": "StartSyncExecution", "apigw-sfn-standard": "StartExecution" });
  });

  it("puts each POST route at the path part the stack gives it", () => {
    const paths = model.routes.filter((r) => r.httpMethod === "POST").map((r) => r.resourcePath);
    expect(paths).toEqual(expect.arrayContaining(["/express-instance", "/standard-instance"]));
  });

  it("gives the state machines local ARNs in the provider's region and the local account", () => {
    expect(model.stateMachines.map((m) => m.arn).sort()).toEqual([
      "arn:aws:states:us-east-1:123456789012:stateMachine:apigw-sfn-express",
      "arn:aws:states:us-east-1:123456789012:stateMachine:apigw-sfn-standard",
    ]);
  });

  it("renders the request templates as Terraform would, with the state machine's ARN filled in", () => {
    const route = model.routes.find((r) => r.resourcePath === "/express-instance" && r.httpMethod === "POST")!;
    const template = route.integration.requestTemplates["application/json"];
    expect(template).toContain('"stateMachineArn": "arn:aws:states:us-east-1:123456789012:stateMachine:apigw-sfn-express"');
    expect(template).not.toMatch(/\$\{aws_/);
  });

  it("renders the STANDARD definition from its asset with the 29-second wait", () => {
    const standard = model.stateMachines.find((m) => m.type === "STANDARD")!;
    const waits = Object.values(standard.definition.States as Record<string, any>).filter((s) => s.Type === "Wait");
    expect(waits.map((s) => s.Seconds)).toEqual([29]);
    expect(standard.source).toMatch(/^assets\/.*\.asl\.json\.tftpl$/);
  });

  it("reads the integration responses, which select a status for each Step Functions answer", () => {
    const route = model.routes.find((r) => r.resourcePath === "/express-instance" && r.httpMethod === "POST")!;
    const statusFor = (backend: number) => selectIntegrationResponse(route.integrationResponses, backend)?.statusCode;
    expect([200, 400, 404, 500, 503].map(statusFor)).toEqual(["200", "400", "400", "502", "502"]);
  });
});

describe("reading the Terraform schema generically (a hand-written stack)", () => {
  let model: ApiModel;
  beforeAll(() => {
    model = readStack(writeFixtureStack());
  });

  it("builds nested paths with path parameters from the resources' parents", () => {
    expect(model.routes.map((r) => `${r.httpMethod} ${r.resourcePath}`)).toEqual(["POST /jobs", "GET /jobs/{name}"]);
  });

  it("reads the method's model, validator and request parameters", () => {
    const start = model.routes.find((r) => r.httpMethod === "POST")!;
    expect(start.requestModels["application/json"]).toEqual({ name: "JobRequest", schema: FIXTURE_SCHEMA });
    expect(start.validator).toEqual({ name: "body-and-parameters", validateBody: true, validateParameters: true });
    expect(start.requestParameters).toEqual([{ location: "header", name: "Idempotency-Key", required: false }]);
  });

  it("reads the integration's action from its URI", () => {
    expect(model.routes.map((r) => r.integration.action)).toEqual(["StartExecution", "DescribeExecution"]);
  });

  it("reads response parameters and the gateway responses", () => {
    const start = model.routes.find((r) => r.httpMethod === "POST")!;
    expect(start.integrationResponses.find((r) => r.statusCode === "202")!.responseParameters).toEqual({
      "method.response.header.Location": "integration.response.body.executionArn",
      "method.response.header.X-Api": "'fixture'",
    });
    expect(Object.keys(model.gatewayResponses).sort()).toEqual(["BAD_REQUEST_BODY", "DEFAULT_4XX"]);
    expect(model.gatewayResponses.BAD_REQUEST_BODY.statusCode).toBe("422");
  });

  it("resolves data source references passed to templatefile()", () => {
    const [machine] = model.stateMachines;
    expect((machine.definition.States as any).Answer.Result).toEqual({ account: "123456789012" });
    expect(machine.arn).toBe("arn:aws:states:eu-west-1:123456789012:stateMachine:fixture-jobs");
  });

  it("stops at start-up naming a reference it cannot resolve", () => {
    const dir = writeFixtureStack((json) => {
      json.resource.aws_api_gateway_integration.start.request_templates["application/json"] += "${aws_lambda_function.nope.arn}";
    });
    expect(() => readStack(dir)).toThrow(StackReadError);
    expect(() => readStack(dir)).toThrow(/aws_api_gateway_integration\.start\.request_templates.*\$\{aws_lambda_function\.nope\.arn\}/);
  });

  it("stops at start-up on an integration type it does not emulate", () => {
    const dir = writeFixtureStack((json) => {
      json.resource.aws_api_gateway_integration.start.type = "HTTP_PROXY";
    });
    expect(() => readStack(dir)).toThrow(/aws_api_gateway_integration\.start: integration type HTTP_PROXY is not emulated/);
  });

  it("stops at start-up on a Step Functions action it does not emulate", () => {
    const dir = writeFixtureStack((json) => {
      json.resource.aws_api_gateway_integration.start.uri = "arn:aws:apigateway:eu-west-1:states:action/ListExecutions";
    });
    expect(() => readStack(dir)).toThrow(/action ListExecutions is not emulated locally/);
  });

  it("stops at start-up when the stack has no stage", () => {
    const dir = writeFixtureStack((json) => {
      delete json.resource.aws_api_gateway_stage;
    });
    expect(() => readStack(dir)).toThrow(/exactly one aws_api_gateway_stage/);
  });

  it("stops at start-up when a definition's asset is missing", () => {
    const dir = writeFixtureStack();
    fs.rmSync(path.join(dir, "assets"), { recursive: true });
    expect(() => readStack(dir)).toThrow(/templatefile\(\) reads assets\/jobs\/jobs\.asl\.json\.tftpl/);
  });
});

describe("templatefile() calls as cdktf writes them", () => {
  it("reads numbers, strings and bare references", () => {
    const call = parseTemplatefileCall('${templatefile("assets/a/b.tftpl", {"n" = 29, "s" = "x\\"y", "r" = aws_instance.demo.arn})}');
    expect(call).toEqual({
      path: "assets/a/b.tftpl",
      variables: {
        n: { kind: "literal", value: 29 },
        s: { kind: "literal", value: 'x"y' },
        r: { kind: "reference", text: "aws_instance.demo.arn" },
      },
    });
  });

  it("reads a call without variables", () => {
    expect(parseTemplatefileCall('${templatefile("assets/x.tftpl", {})}')).toEqual({ path: "assets/x.tftpl", variables: {} });
  });

  it("refuses an expression it does not evaluate, naming it", () => {
    expect(() => parseTemplatefileCall('${templatefile("a", {"x" = upper("y")})}')).toThrow(/variable x is an expression/);
  });
});
