/**
 * The apiDefinition "openapi": the routes as one OpenAPI 3.0 document, the REST API's body
 * (stacks/constructs/openapi-document.ts), and openapi.json, the clients' document written beside
 * the stack in both modes.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import SwaggerParser from "@apidevtools/swagger-parser";
import { describe, expect, it } from "vitest";
import type { RequestInput } from "../../lang/request-input";
import { readStack } from "../../local/stack-reader";
import { QuotaError } from "../../stacks/constructs/aws-quotas";
import { TEMPLATES_DIR } from "../../stacks/constructs/template-files";
import { DEFAULT_WORKFLOWS, type WorkflowConfig } from "../../stacks/workflows";
import { resources } from "../support/stack-json";
import { type SynthStackOptions, synthStack, testConfig } from "../support/synth";

const EXPRESS = DEFAULT_WORKFLOWS.find((workflow) => workflow.type === "EXPRESS")!;
/** The default workflows and one whose errors answer their own statuses. */
const WORKFLOWS: WorkflowConfig[] = [
  ...DEFAULT_WORKFLOWS,
  { ...EXPRESS, name: "orders", path: "orders", errors: { "Order.NotFound": 404, "Order.Late": 422 } },
];

/** Synthesizes in both modes. */
function both(options: SynthStackOptions = {}, overrides = {}) {
  return {
    resources: synthStack({ ...options, config: testConfig({ ...overrides, apiDefinition: "resources" }) }),
    openapi: synthStack({ ...options, config: testConfig({ ...overrides, apiDefinition: "openapi" }) }),
  };
}

/** What the emulator serves from a stack folder, without the Terraform names (the body's resources have their own). */
function served(stackDir: string): unknown {
  const model = readStack(stackDir, { origin: "http://localhost:3000" });
  return JSON.parse(JSON.stringify(model, (key, value) => (key === "terraformName" || key === "stackDir" ? undefined : value)));
}

function apiGatewayResourceTypes(json: Record<string, any>): string[] {
  return Object.keys(json.resource)
    .filter((type) => type.startsWith("aws_api_gateway_"))
    .sort();
}

describe("the routes as the REST API's OpenAPI body", () => {
  it("defines the API by its body alone, replaced whole on each change", () => {
    const { json } = synthStack({ config: testConfig({ apiDefinition: "openapi" }) });
    expect(apiGatewayResourceTypes(json)).toEqual([
      "aws_api_gateway_deployment",
      "aws_api_gateway_method_settings",
      "aws_api_gateway_rest_api",
      "aws_api_gateway_stage",
    ]);
    expect(json.resource.aws_api_gateway_rest_api.api.put_rest_api_mode).toBe("overwrite");
    expect(typeof json.resource.aws_api_gateway_rest_api.api.body).toBe("string");
  });

  it("keeps the resources when apiDefinition is resources (the default)", () => {
    const { json } = synthStack();
    expect(json.resource.aws_api_gateway_rest_api.api.body).toBeUndefined();
    expect(Object.keys(resources(json, "aws_api_gateway_method"))).toHaveLength(3);
  });

  it("serves the same routes, templates, statuses, models and gateway responses from the body as from the resources", () => {
    const stacks = both({ workflows: WORKFLOWS });
    expect(served(stacks.openapi.stackDir)).toEqual(served(stacks.resources.stackDir));
  });

  it("serves the same start routes with path parameters and request input, a GET one included, from the body as from the resources", () => {
    const input: RequestInput = { path: true, querystring: true, header: ["X-Tenant"], requestContext: ["requestId"] };
    const STANDARD = DEFAULT_WORKFLOWS.find((workflow) => workflow.type === "STANDARD")!;
    const workflows: WorkflowConfig[] = [
      { ...EXPRESS, name: "orders", path: "orders/{id}", input },
      { ...STANDARD, name: "jobs", path: "jobs/{kind}", statusPath: "job-runs", method: "GET", requestSchema: undefined, input },
    ];
    const stacks = both({ workflows });
    const body = JSON.parse(stacks.openapi.json.resource.aws_api_gateway_rest_api.api.body);
    expect(Object.keys(body.paths["/jobs/{kind}"])).toEqual(["get"]);
    expect(body.paths["/jobs/{kind}"].get.parameters).toEqual([{ name: "kind", in: "path", required: true, schema: { type: "string" } }]);
    expect(served(stacks.openapi.stackDir)).toEqual(served(stacks.resources.stackDir));
  });

  it("keeps a template's literal ${ and %{ literal in the body, as in the resources", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "apigw-sfn-escapes-"));
    const file = path.join(dir, "escapes.response.vtl.tftpl");
    const original = fs.readFileSync(path.join(TEMPLATES_DIR, "mappings/start-sync-execution.response.vtl.tftpl"), "utf8");
    // A Terraform template: "$${" and "%%{" are a literal "${" and "%{" (a VTL formal reference, a percent sign and a brace).
    fs.writeFileSync(file, `## literal $\${context.requestId} and %%{ here, "quoted" and \\ backslashed\n${original}`);
    const stacks = both({ mappingTemplates: { syncResponse: file } });
    const model = served(stacks.openapi.stackDir) as {
      routes: { integrationResponses: { responseTemplates: Record<string, string> }[] }[];
    };
    const templates = model.routes.flatMap((route) => route.integrationResponses.map((r) => r.responseTemplates["application/json"]));
    expect(templates.some((t) => t.startsWith('## literal ${context.requestId} and %{ here, "quoted" and \\ backslashed\n'))).toBe(true);
    expect(model).toEqual(served(stacks.resources.stackDir));
  });

  it("serves the same CORS preflights, route headers and gateway response headers from the body as from the resources", () => {
    const stacks = both({}, { corsAllowedOrigins: "https://app.example.com,http://localhost:5173", corsAllowCredentials: true });
    const model = served(stacks.openapi.stackDir) as { routes: { httpMethod: string }[] };
    expect(model.routes.filter((route) => route.httpMethod === "OPTIONS")).toHaveLength(3);
    expect(model).toEqual(served(stacks.resources.stackDir));
  });

  it("serves the same API key routes from the body as from the resources", () => {
    const stacks = both({}, { authorization: "API_KEY" });
    const model = served(stacks.openapi.stackDir) as { routes: { apiKeyRequired: boolean; authorization: string }[] };
    expect(model.routes.every((route) => route.apiKeyRequired && route.authorization === "NONE")).toBe(true);
    expect(model).toEqual(served(stacks.resources.stackDir));
  });

  it("holds the resource policy in the body, for this API's execute-api resources, and no separate policy resource", () => {
    const { json } = synthStack({ config: testConfig({ apiDefinition: "openapi", allowedSourceAccounts: "123456789012" }) });
    expect(resources(json, "aws_api_gateway_rest_api_policy")).toEqual({});
    const body = JSON.parse(json.resource.aws_api_gateway_rest_api.api.body);
    expect(body["x-amazon-apigateway-policy"].Statement[0]).toMatchObject({
      Effect: "Allow",
      Action: "execute-api:Invoke",
      Resource: "execute-api:/*",
      Principal: { AWS: ["arn:aws:iam::123456789012:root"] },
    });
  });

  it("declares SigV4 as API Gateway's awsSigv4 security scheme and requires it on every route", () => {
    const { json } = synthStack({ config: testConfig({ apiDefinition: "openapi" }) });
    const body = JSON.parse(json.resource.aws_api_gateway_rest_api.api.body);
    expect(body.components.securitySchemes.sigv4).toEqual({
      type: "apiKey",
      name: "Authorization",
      in: "header",
      "x-amazon-apigateway-authtype": "awsSigv4",
    });
    const operations = Object.values<Record<string, any>>(body.paths).flatMap((item) => Object.values<Record<string, any>>(item));
    expect(operations).toHaveLength(3);
    for (const operation of operations) expect(operation.security).toEqual([{ sigv4: [] }]);
    expect(body["x-amazon-apigateway-api-key-source"]).toBe("HEADER");
    expect(body.servers).toEqual([{ url: "/", "x-amazon-apigateway-endpoint-configuration": { disableExecuteApiEndpoint: false } }]);
  });

  it("refuses the API Gateway trust conditions, whose role would name the API whose body names the role", () => {
    expect(() => synthStack({ config: testConfig({ apiDefinition: "openapi", apiGatewayTrustConditions: true }) })).toThrow(
      /apiGatewayTrustConditions cannot go with apiDefinition "openapi"/,
    );
  });

  it("keeps the reusable module defined by resources, whose settings are Terraform variables", () => {
    const { json } = synthStack({ module: true, config: testConfig({ apiDefinition: "openapi" }) });
    expect(json.resource.aws_api_gateway_rest_api.api.body).toBeUndefined();
    expect(Object.keys(resources(json, "aws_api_gateway_method")).length).toBeGreaterThan(0);
  });
});

describe("the limits of the OpenAPI body, checked at synth", () => {
  it("stops synth with one line when the body would be over PutRestApi's 6 MB", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "apigw-sfn-big-body-"));
    const big = path.join(dir, "big.request.vtl.tftpl");
    const original = fs.readFileSync(path.join(TEMPLATES_DIR, "mappings/start-sync-execution.request.vtl.tftpl"), "utf8");
    // 250 KB of comment in each request template: under the mapping template quota, 26 routes over the body's.
    fs.writeFileSync(big, `${"## padding to make the body large\n".repeat(7_500)}${original}`);
    const workflows = Array.from({ length: 26 }, (_, index) => ({ ...EXPRESS, name: `w${index}`, path: `p${index}` }));
    let error: unknown;
    try {
      synthStack({ config: testConfig({ apiDefinition: "openapi" }), workflows, mappingTemplates: { syncRequest: big } });
    } catch (thrown) {
      error = thrown;
    }
    expect(error).toBeInstanceOf(QuotaError);
    expect((error as Error).message).toMatch(
      /^API Gateway quota "API Gateway import or export file size" \(6,000,000 bytes\) exceeded: the REST API's OpenAPI body \(26 workflows, references at their longest\) needs [67],\d{3},\d{3} bytes; AWS does not raise it: make the configuration smaller$/,
    );
  });

  it("counts the body's paths against Resources per API, as the resources", () => {
    const deep = Array.from({ length: 300 }, (_, index) => `s${index}`).join("/");
    expect(() => synthStack({ config: testConfig({ apiDefinition: "openapi" }), workflows: [{ ...EXPRESS, path: deep }] })).toThrow(
      /^API Gateway quota "Resources per API" \(300 resources\) exceeded: the REST API needs 301 resources \(its root "\/" and 300 path resources\)/,
    );
  });
});

describe("openapi.json, the clients' OpenAPI document", () => {
  const stacks = both({ workflows: WORKFLOWS });
  const text = (stackDir: string) => fs.readFileSync(path.join(stackDir, "openapi.json"), "utf8");

  it("is written beside the stack, the same in both modes", () => {
    expect(text(stacks.openapi.stackDir)).toBe(text(stacks.resources.stackDir));
  });

  it("is written again byte for byte by a re-synth of the same configuration", () => {
    expect(text(synthStack({ workflows: WORKFLOWS }).stackDir)).toBe(text(stacks.resources.stackDir));
  });

  it("is a valid OpenAPI 3.0 document for swagger-parser, without API Gateway's extensions", async () => {
    const document = JSON.parse(text(stacks.resources.stackDir));
    await expect(SwaggerParser.validate(structuredClone(document))).resolves.toBeDefined();
    expect(document.openapi).toBe("3.0.1");
    expect(text(stacks.resources.stackDir)).not.toMatch(/x-amazon-apigateway|\$\{/);
  });

  it("lists every route, its body schema and every status it can answer, the workflow's errors included", () => {
    const document = JSON.parse(text(stacks.resources.stackDir));
    expect(Object.keys(document.paths).sort()).toEqual(["/executions/{name}", "/express-instance", "/orders", "/standard-instance"]);
    const orders = document.paths["/orders"].post;
    expect(orders.requestBody.content["application/json"].schema).toEqual({ $ref: "#/components/schemas/InstanceRequest" });
    expect(document.components.schemas.InstanceRequest.required).toEqual(["instance_id"]);
    expect(document.components.schemas.InstanceRequest.$schema).toBeUndefined();
    // The route's statuses (its error map: 404, 422), and API Gateway's own (403 unsigned, 413, 415, 429).
    expect(Object.keys(orders.responses).sort()).toEqual(["200", "400", "403", "404", "413", "415", "422", "429", "500", "502", "504"]);
    expect(orders.security).toEqual([{ sigv4: [] }]);
    expect(document.paths["/standard-instance"].post.responses["202"].headers.Location).toEqual({ schema: { type: "string" } });
    expect(document.paths["/executions/{name}"].get.parameters).toEqual([
      { name: "name", in: "path", required: true, schema: { type: "string" } },
    ]);
  });

  it("names the stage's URL as its server, the API ID a variable that terraform output gives", () => {
    const document = JSON.parse(text(stacks.resources.stackDir));
    expect(document.servers).toEqual([
      {
        url: "https://{restApiId}.execute-api.us-east-1.amazonaws.com/v1",
        variables: {
          restApiId: { default: "restApiId", description: expect.stringContaining("terraform output -raw openapi_server_url") },
        },
      },
    ]);
    expect(stacks.resources.json.output.openapi_server_url.value).toBe("${aws_api_gateway_stage.stage.invoke_url}");
  });
});
