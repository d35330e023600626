/**
 * CORS as Terraform gets it: nothing when corsAllowedOrigins is empty; otherwise an unauthorized
 * OPTIONS MOCK method on every path that has routes, the CORS headers template before every
 * response template of every route (with the headers declared on every method response), the CORS
 * headers on every gateway response, and all of it in the stage's redeployment trigger.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import SwaggerParser from "@apidevtools/swagger-parser";
import { describe, expect, it } from "vitest";
import { App, TerraformStack } from "cdktf";
import { Cors } from "../../../stacks/constructs/cors";
import { RestApi } from "../../../stacks/constructs/rest-api";
import type { AppConfig } from "../../../stacks/config";
import { resources } from "../../support/stack-json";
import { synthStack, testConfig } from "../../support/synth";
import { deploymentTrigger } from "../../support/trigger";

const APP = "https://app.example.com";
const DEV = "http://localhost:5173";
const HEADERS_TEMPLATE_START = "## CORS headers of every answer of a route";

function synth(overrides: Partial<AppConfig>) {
  return synthStack({ config: testConfig(overrides) }).json;
}

describe("CORS off (no corsAllowedOrigins)", () => {
  it("changes nothing in the synthesized stack, whatever the other CORS settings say", () => {
    const off = synth({});
    const tuned = synth({
      corsAllowedMethods: "GET",
      corsAllowedHeaders: "X-A",
      corsExposedHeaders: "",
      corsMaxAge: 5,
      corsAllowCredentials: true,
    });
    expect(tuned).toEqual(off);
    expect(Object.values(resources(off, "aws_api_gateway_method")).map((m) => m.http_method)).not.toContain("OPTIONS");
    for (const response of Object.values(resources(off, "aws_api_gateway_gateway_response")))
      expect(response.response_parameters).toBeUndefined();
  });
});

describe("CORS on, several origins, credentials", () => {
  const json = synth({ corsAllowedOrigins: `${APP},${DEV}`, corsAllowCredentials: true, authorization: "API_KEY" });
  const methods = resources(json, "aws_api_gateway_method");
  const preflights = Object.entries(methods).filter(([, m]) => m.http_method === "OPTIONS");

  it("puts an OPTIONS method on every path that has routes, without authorization or API key even when the routes need one", () => {
    expect(preflights.map(([id]) => id).sort()).toEqual([
      "cors_preflight_executions_name_method",
      "cors_preflight_express_instance_method",
      "cors_preflight_standard_instance_method",
    ]);
    for (const [, method] of preflights) {
      expect(method.authorization).toBe("NONE");
      expect(method.api_key_required).toBe(false);
    }
    expect(methods.express_start_method.api_key_required).toBe(true);
  });

  it("answers the preflight from a MOCK integration with status 200", () => {
    const mocks = Object.values(resources(json, "aws_api_gateway_integration")).filter((i) => i.type === "MOCK");
    expect(mocks).toHaveLength(3);
    for (const mock of mocks) expect(mock.request_templates).toEqual({ "application/json": '{"statusCode": 200}' });
  });

  it("allows each path's own methods in its preflight, and the callers' headers, for 7200 seconds", () => {
    const template = resources(json, "aws_api_gateway_integration_response").cors_preflight_executions_name_integration_response200
      .response_templates["application/json"];
    expect(template).toContain('Access-Control-Allow-Methods = "GET,OPTIONS"');
    expect(template).toContain(
      'Access-Control-Allow-Headers = "Content-Type,X-Amz-Date,Authorization,X-Api-Key,X-Amz-Security-Token,Idempotency-Key"',
    );
    expect(template).toContain('Access-Control-Max-Age = "7200"');
    expect(template).toContain(`$util.parseJson('["${APP}","${DEV}"]')`);
  });

  it("puts the CORS headers template before every response template of every route: 2xx, mapped errors, Step Functions errors", () => {
    const routeResponses = Object.entries(resources(json, "aws_api_gateway_integration_response")).filter(
      ([id]) => !id.startsWith("cors_preflight_"),
    );
    expect(routeResponses.length).toBe(9);
    for (const [id, response] of routeResponses) {
      const template: string = response.response_templates["application/json"];
      expect(template.startsWith(HEADERS_TEMPLATE_START), id).toBe(true);
      expect(template, id).toContain('Access-Control-Expose-Headers = "Location,x-amzn-RequestId"');
    }
  });

  it("declares the CORS headers on every method response of every route", () => {
    for (const [id, response] of Object.entries(resources(json, "aws_api_gateway_method_response"))) {
      for (const header of ["Access-Control-Allow-Origin", "Access-Control-Allow-Credentials", "Vary"])
        expect(response.response_parameters?.[`method.response.header.${header}`], `${id} ${header}`).toBe(false);
    }
  });

  it("echoes the request's Origin on every gateway response (several origins cannot be told apart there), with Vary and credentials", () => {
    const gateway = Object.values(resources(json, "aws_api_gateway_gateway_response"));
    expect(gateway.map((r) => r.response_type)).toEqual(
      expect.arrayContaining([
        "MISSING_AUTHENTICATION_TOKEN",
        "BAD_REQUEST_BODY",
        "UNSUPPORTED_MEDIA_TYPE",
        "THROTTLED",
        "DEFAULT_4XX",
        "DEFAULT_5XX",
      ]),
    );
    for (const response of gateway) {
      expect(response.response_parameters).toEqual({
        "gatewayresponse.header.Access-Control-Allow-Origin": "method.request.header.Origin",
        "gatewayresponse.header.Access-Control-Allow-Credentials": "'true'",
        "gatewayresponse.header.Access-Control-Expose-Headers": "'Location,x-amzn-RequestId'",
        "gatewayresponse.header.Vary": "'Origin'",
      });
    }
  });
});

describe("CORS on, one origin or any", () => {
  it("names one origin literally on the gateway responses", () => {
    const json = synth({ corsAllowedOrigins: APP });
    for (const response of Object.values(resources(json, "aws_api_gateway_gateway_response")))
      expect(response.response_parameters["gatewayresponse.header.Access-Control-Allow-Origin"]).toBe(`'${APP}'`);
  });

  it('answers "*" on the gateway responses without Vary, and without credentials', () => {
    const json = synth({ corsAllowedOrigins: "*", corsExposedHeaders: "" });
    for (const response of Object.values(resources(json, "aws_api_gateway_gateway_response")))
      expect(response.response_parameters).toEqual({ "gatewayresponse.header.Access-Control-Allow-Origin": "'*'" });
  });

  it("allows the configured methods, not the path's own, when corsAllowedMethods is set", () => {
    const json = synth({ corsAllowedOrigins: APP, corsAllowedMethods: "GET,POST,DELETE" });
    const template = resources(json, "aws_api_gateway_integration_response").cors_preflight_express_instance_integration_response200
      .response_templates["application/json"];
    expect(template).toContain('Access-Control-Allow-Methods = "GET,POST,DELETE,OPTIONS"');
  });
});

describe('CORS in the OpenAPI body (apiDefinition "openapi")', () => {
  const json = synth({ apiDefinition: "openapi", corsAllowedOrigins: `${APP},${DEV}`, corsAllowCredentials: true });
  const body = JSON.parse(json.resource.aws_api_gateway_rest_api.api.body);

  it("puts an options operation on every path that has routes, answered by a mock integration with status 200", () => {
    const withOptions = Object.entries<Record<string, any>>(body.paths)
      .filter(([, operations]) => operations.options)
      .map(([path]) => path)
      .sort();
    expect(withOptions).toEqual(["/executions/{name}", "/express-instance", "/standard-instance"]);
    for (const path of withOptions) {
      const options = body.paths[path].options;
      expect(options.security).toBeUndefined();
      expect(options["x-amazon-apigateway-integration"]).toMatchObject({
        type: "mock",
        requestTemplates: { "application/json": '{"statusCode": 200}' },
      });
      expect(options["x-amazon-apigateway-integration"].responses.default.responseTemplates["application/json"]).toContain(
        "Access-Control-Allow-Methods",
      );
    }
  });

  it("echoes the request's Origin on every gateway response of the body, with Vary and credentials", () => {
    const responses = Object.values<Record<string, any>>(body["x-amazon-apigateway-gateway-responses"]);
    expect(responses.length).toBe(Object.keys(resources(synth({}), "aws_api_gateway_gateway_response")).length);
    for (const response of responses) {
      expect(response.responseParameters).toEqual({
        "gatewayresponse.header.Access-Control-Allow-Origin": "method.request.header.Origin",
        "gatewayresponse.header.Vary": "'Origin'",
        "gatewayresponse.header.Access-Control-Expose-Headers": "'Location,x-amzn-RequestId'",
        "gatewayresponse.header.Access-Control-Allow-Credentials": "'true'",
      });
    }
  });

  it("leaves openapi.json, the clients' document, a valid OpenAPI 3.0 document for swagger-parser", async () => {
    const { stackDir } = synthStack({ config: testConfig({ apiDefinition: "openapi", corsAllowedOrigins: APP }) });
    const document = JSON.parse(fs.readFileSync(path.join(stackDir, "openapi.json"), "utf8"));
    await expect(SwaggerParser.validate(document)).resolves.toBeDefined();
  });

  it("creates no API Gateway method, integration or gateway response resource", () => {
    for (const type of ["aws_api_gateway_method", "aws_api_gateway_integration", "aws_api_gateway_gateway_response"])
      expect(json.resource[type]).toBeUndefined();
  });
});

describe("the deployment trigger with CORS", () => {
  it("changes when the origins, the preflight's max age or the credentials change", () => {
    const base = deploymentTrigger(synth({ corsAllowedOrigins: APP }));
    expect(deploymentTrigger(synth({}))).not.toBe(base);
    expect(deploymentTrigger(synth({ corsAllowedOrigins: DEV }))).not.toBe(base);
    expect(deploymentTrigger(synth({ corsAllowedOrigins: APP, corsMaxAge: 600 }))).not.toBe(base);
    expect(deploymentTrigger(synth({ corsAllowedOrigins: APP, corsAllowCredentials: true }))).not.toBe(base);
    expect(deploymentTrigger(synth({ corsAllowedOrigins: APP }))).toBe(base);
  });

  it("hashes every preflight's method, integration and responses", () => {
    const json = synth({ corsAllowedOrigins: APP });
    const locals = JSON.stringify(json.locals ?? {});
    for (const id of ["cors_preflight_express_instance_method", "cors_preflight_express_instance_integration_response200"])
      expect(locals).toContain(id);
  });
});

describe("the Cors construct's props", () => {
  const api = () => new RestApi(new TerraformStack(new App(), "s"), "Api", { name: "a" });

  it.each([
    [[] as string[], /at least one allowed origin/],
    [["https://App.example.com"], /CORS allowed origins "https:\/\/App.example.com" must be "\*" or origins/],
    [["*", APP], /must be "\*" or origins/],
  ])("refuses the origins %j", (allowedOrigins, message) => {
    const scope = api();
    expect(() => new Cors(scope, "Cors", { api: scope, allowedOrigins })).toThrow(message);
  });

  it('refuses "*" with credentials', () => {
    const scope = api();
    expect(() => new Cors(scope, "Cors", { api: scope, allowedOrigins: ["*"], allowCredentials: true })).toThrow(
      /"\*" cannot go with credentials/,
    );
  });

  it("refuses a max age above Firefox's cap", () => {
    const scope = api();
    expect(() => new Cors(scope, "Cors", { api: scope, allowedOrigins: [APP], maxAge: 86401 })).toThrow(
      /CORS max age 86401 must be between 0 and 86400/,
    );
  });
});
