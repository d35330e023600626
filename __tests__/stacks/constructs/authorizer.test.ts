/**
 * The Cognito and Lambda authorizers as Terraform will create them, the routes that name them, and
 * the configuration mistakes that stop synth (stacks/constructs/authorizer.ts, workflow-api-rules.ts).
 */
import { describe, expect, it } from "vitest";
import { loadConfig } from "../../../stacks/config";
import { TEMPLATES_DIR } from "../../../stacks/constructs/template-files";
import { parseWorkflows } from "../../../stacks/workflows";
import { resource, resources } from "../../support/stack-json";
import { synthStack, testConfig } from "../../support/synth";

const POOL = "arn:aws:cognito-idp:us-east-1:123456789012:userpool/us-east-1_AbCdEf123";
const OTHER_POOL = "arn:aws:cognito-idp:eu-west-1:123456789012:userpool/eu-west-1_XyZ987";
const FUNCTION = "arn:aws:lambda:eu-west-1:123456789012:function:orders-authorizer";
const COGNITO = { authorization: "COGNITO_USER_POOLS" as const, cognitoUserPoolArns: `${POOL},${OTHER_POOL}` };
const CUSTOM = { authorization: "CUSTOM" as const, authorizerFunctionArn: FUNCTION };

describe("Cognito user pool authorizer", () => {
  it("is created with the configured user pools and named by every route's method, which wants an ID token without scopes", () => {
    const { json } = synthStack({ config: testConfig(COGNITO) });
    const authorizers = resources(json, "aws_api_gateway_authorizer");
    expect(Object.keys(authorizers)).toEqual(["cognito_authorizer_authorizer"]);
    expect(authorizers.cognito_authorizer_authorizer).toMatchObject({
      type: "COGNITO_USER_POOLS",
      provider_arns: [POOL, OTHER_POOL],
      identity_source: "method.request.header.Authorization",
      rest_api_id: "${aws_api_gateway_rest_api.api.id}",
    });
    for (const method of Object.values(resources(json, "aws_api_gateway_method"))) {
      expect(method.authorization).toBe("COGNITO_USER_POOLS");
      expect(method.authorizer_id).toBe("${aws_api_gateway_authorizer.cognito_authorizer_authorizer.id}");
      expect(method.authorization_scopes).toBeUndefined();
      expect(method.api_key_required).toBe(false);
    }
    expect(resources(json, "aws_lambda_permission")).toEqual({});
  });

  it("gives every route the default scopes, and a workflow's own scopes to its routes", () => {
    const config = testConfig({ ...COGNITO, authorizationScopes: "orders/read,orders/write" });
    const workflows = config.workflows.map((w) => (w.name === "standard" ? { ...w, authorizationScopes: ["orders/admin"] } : w));
    const { json } = synthStack({ config, workflows });
    expect(resource(json, "aws_api_gateway_method", "express_start_method").authorization_scopes).toEqual(["orders/read", "orders/write"]);
    expect(resource(json, "aws_api_gateway_method", "standard_start_method").authorization_scopes).toEqual(["orders/admin"]);
    expect(resource(json, "aws_api_gateway_method", "standard_status_method").authorization_scopes).toEqual(["orders/admin"]);
  });

  it("lets a workflow's routes use AWS_IAM instead, without the authorizer", () => {
    const config = testConfig(COGNITO);
    const workflows = config.workflows.map((w) => (w.name === "standard" ? { ...w, authorization: "AWS_IAM" as const } : w));
    const { json } = synthStack({ config, workflows });
    const status = resource(json, "aws_api_gateway_method", "standard_status_method");
    expect(status.authorization).toBe("AWS_IAM");
    expect(status.authorizer_id).toBeUndefined();
    expect(resource(json, "aws_api_gateway_method", "express_start_method").authorization).toBe("COGNITO_USER_POOLS");
  });

  it("is part of the deployment: the redeployment trigger hashes it", () => {
    const { json } = synthStack({ config: testConfig(COGNITO) });
    const trigger = String(resource(json, "aws_api_gateway_deployment", "stage_deployment").triggers.redeployment);
    expect(trigger).toContain("local.cognito_authorizer_deployment_fingerprint");
    expect(json.locals.cognito_authorizer_deployment_fingerprint).toContain(
      "aws_api_gateway_authorizer.cognito_authorizer_authorizer.provider_arns",
    );
  });
});

describe("Lambda authorizer", () => {
  it("is a TOKEN authorizer of the Authorization header calling the function in its own region, cached 300 s", () => {
    const { json } = synthStack({ config: testConfig(CUSTOM) });
    expect(resource(json, "aws_api_gateway_authorizer", "lambda_authorizer_authorizer")).toMatchObject({
      type: "TOKEN",
      identity_source: "method.request.header.Authorization",
      authorizer_result_ttl_in_seconds: 300,
      authorizer_uri: `arn:aws:apigateway:eu-west-1:lambda:path/2015-03-31/functions/${FUNCTION}/invocations`,
    });
    for (const method of Object.values(resources(json, "aws_api_gateway_method"))) {
      expect(method.authorization).toBe("CUSTOM");
      expect(method.authorizer_id).toBe("${aws_api_gateway_authorizer.lambda_authorizer_authorizer.id}");
    }
  });

  it("lets API Gateway invoke the function for this API's authorizers only", () => {
    const { json } = synthStack({ config: testConfig(CUSTOM) });
    expect(resource(json, "aws_lambda_permission", "lambda_authorizer_invoke_permission")).toMatchObject({
      action: "lambda:InvokeFunction",
      function_name: FUNCTION,
      principal: "apigateway.amazonaws.com",
      source_arn: "${aws_api_gateway_rest_api.api.execution_arn}/authorizers/*",
    });
  });

  it("is a REQUEST authorizer of several identity sources, uncached, when configured so", () => {
    const identity = "method.request.header.X-Tenant,method.request.querystring.token";
    const { json } = synthStack({
      config: testConfig({ ...CUSTOM, authorizerType: "REQUEST", authorizerIdentitySource: identity, authorizerResultTtl: 0 }),
    });
    expect(resource(json, "aws_api_gateway_authorizer", "lambda_authorizer_authorizer")).toMatchObject({
      type: "REQUEST",
      identity_source: identity,
      authorizer_result_ttl_in_seconds: 0,
    });
  });

  it("checks a TOKEN authorizer's token against the identity validation expression", () => {
    const { json } = synthStack({ config: testConfig({ ...CUSTOM, authorizerIdentityValidation: "^Bearer [-0-9a-zA-Z._]+$" }) });
    expect(resource(json, "aws_api_gateway_authorizer", "lambda_authorizer_authorizer").identity_validation_expression).toBe(
      "^Bearer [-0-9a-zA-Z._]+$",
    );
  });
});

describe("authorization configuration errors", () => {
  it.each([
    [{ APIGW_SFN_AUTHORIZATION: "COGNITO_USER_POOLS" }, /authorization "COGNITO_USER_POOLS" needs cognitoUserPoolArns/],
    [{ APIGW_SFN_COGNITO_USER_POOL_ARNS: POOL }, /cognitoUserPoolArns is only used with authorization "COGNITO_USER_POOLS"/],
    [
      { APIGW_SFN_COGNITO_USER_POOL_ARNS: "us-east-1_AbCdEf123" },
      /APIGW_SFN_COGNITO_USER_POOL_ARNS: "us-east-1_AbCdEf123" must be Cognito user pool ARNs/,
    ],
    [{ APIGW_SFN_AUTHORIZATION_SCOPES: "orders/read" }, /authorizationScopes is only used with authorization "COGNITO_USER_POOLS"/],
    [{ APIGW_SFN_AUTHORIZATION_SCOPES: "orders read" }, /"orders read" must be OAuth scopes/],
    [{ APIGW_SFN_AUTHORIZATION: "CUSTOM" }, /authorization "CUSTOM" needs authorizerFunctionArn/],
    [{ APIGW_SFN_AUTHORIZER_FUNCTION_ARN: FUNCTION }, /authorizerFunctionArn is only used with authorization "CUSTOM"/],
    [{ APIGW_SFN_AUTHORIZER_FUNCTION_ARN: "orders-authorizer" }, /"orders-authorizer" must be a Lambda function ARN/],
    [{ APIGW_SFN_AUTHORIZER_RESULT_TTL: "3601" }, /APIGW_SFN_AUTHORIZER_RESULT_TTL: 3601 must be between 0 and 3600/],
    [{ APIGW_SFN_AUTHORIZER_TYPE: "JWT" }, /APIGW_SFN_AUTHORIZER_TYPE: "JWT" must be one of "TOKEN", "REQUEST"/],
    [{ APIGW_SFN_AUTHORIZER_IDENTITY_SOURCE: "Authorization" }, /"Authorization" must be method.request.header.<name>/],
    [
      { APIGW_SFN_AUTHORIZER_TYPE: "REQUEST", APIGW_SFN_AUTHORIZER_IDENTITY_VALIDATION: "^x$" },
      /authorizerIdentityValidation is only for authorizerType "TOKEN"/,
    ],
  ])("stops synth on %o with one line naming the setting", (env, message) => {
    expect(() => loadConfig({ env })).toThrow(message);
  });

  it("refuses a TOKEN authorizer reading anything but one header", () => {
    const config = testConfig({ ...CUSTOM, authorizerIdentitySource: "method.request.header.A,method.request.header.B" });
    expect(() => synthStack({ config })).toThrow(/a TOKEN authorizer reads one header/);
  });

  it("refuses an identity validation expression that is not a regular expression", () => {
    expect(() => synthStack({ config: testConfig({ ...CUSTOM, authorizerIdentityValidation: "([a-z]" }) })).toThrow(
      /identity validation expression "\(\[a-z\]" is not a regular expression/,
    );
  });

  const express = {
    name: "orders",
    type: "EXPRESS",
    templateFile: "state-machines/express.asl.json.tftpl",
    path: "orders",
  };

  it.each([
    [
      "an unknown authorization",
      { authorization: "JWT" },
      /"authorization" must be one of "AWS_IAM", "API_KEY", "NONE", "COGNITO_USER_POOLS", "CUSTOM"/,
    ],
    ["empty scopes", { authorizationScopes: [] }, /"authorizationScopes" must be a non-empty list of OAuth scopes/],
    [
      "scopes on a route that is not Cognito's",
      { authorization: "AWS_IAM", authorizationScopes: ["a"] },
      /only for routes whose authorization is "COGNITO_USER_POOLS"/,
    ],
  ])("refuses a workflow with %s, naming it", (_, fields, message) => {
    expect(() => parseWorkflows([{ ...express, ...fields }], "cdktf.json context", TEMPLATES_DIR)).toThrow(message);
    expect(() => parseWorkflows([{ ...express, ...fields }], "cdktf.json context", TEMPLATES_DIR)).toThrow(/workflows\[0\] \("orders"\)/);
  });

  it.each([
    [
      { authorization: "COGNITO_USER_POOLS" },
      {},
      /workflow "orders" has authorization "COGNITO_USER_POOLS", which needs authorization "COGNITO_USER_POOLS"/,
    ],
    [{ authorization: "NONE" }, {}, /workflow "orders" has authorization "NONE".*set allowUnauthenticated = true/],
    [
      { authorizationScopes: ["orders/read"] },
      {},
      /workflow "orders" sets authorizationScopes, which needs authorization "COGNITO_USER_POOLS"/,
    ],
  ])("refuses a workflow's authorization %o that the API's settings do not allow", (fields, context, message) => {
    expect(() => loadConfig({ context: { ...context, workflows: [{ ...express, ...fields }] } })).toThrow(message);
  });

  it("accepts a workflow opting out to NONE once allowUnauthenticated confirms it", () => {
    const config = loadConfig({ context: { ...COGNITO, allowUnauthenticated: true, workflows: [{ ...express, authorization: "NONE" }] } });
    expect(config.workflows[0].authorization).toBe("NONE");
  });
});

describe("the module's authorizers", () => {
  it("exist only when the authorization variable chooses them, and the methods name them by expression", () => {
    const { json } = synthStack({ module: true });
    expect(resource(json, "aws_api_gateway_authorizer", "cognito_authorizer_authorizer")).toMatchObject({
      count: '${(var.authorization == "COGNITO_USER_POOLS") ? 1 : 0}',
      provider_arns: '${compact(split(",", var.cognito_user_pool_arns))}',
    });
    expect(resource(json, "aws_api_gateway_authorizer", "lambda_authorizer_authorizer").count).toBe(
      '${(var.authorization == "CUSTOM") ? 1 : 0}',
    );
    expect(resource(json, "aws_lambda_permission", "lambda_authorizer_invoke_permission").count).toBe(
      '${(var.authorization == "CUSTOM") ? 1 : 0}',
    );
    const method = resource(json, "aws_api_gateway_method", "express_start_method");
    expect(method.authorizer_id).toContain("one(aws_api_gateway_authorizer.cognito_authorizer_authorizer[*].id)");
    expect(method.authorizer_id).toContain("one(aws_api_gateway_authorizer.lambda_authorizer_authorizer[*].id)");
    for (const name of [
      "cognito_user_pool_arns",
      "authorization_scopes",
      "authorizer_function_arn",
      "authorizer_type",
      "authorizer_identity_source",
      "authorizer_result_ttl",
      "authorizer_identity_validation",
    ])
      expect(json.variable[name], name).toBeDefined();
  });
});

describe("the authorizers in the REST API's OpenAPI body (apiDefinition openapi)", () => {
  /** The body's security schemes and each operation's security requirement, by "<METHOD> <path>". */
  function bodyOf(config: ReturnType<typeof testConfig>, workflows = config.workflows) {
    const { json } = synthStack({ config, workflows });
    expect(resources(json, "aws_api_gateway_authorizer")).toEqual({});
    const body = JSON.parse(resource(json, "aws_api_gateway_rest_api", "api").body);
    const security: Record<string, unknown> = {};
    for (const [path, item] of Object.entries<Record<string, any>>(body.paths)) {
      for (const [method, operation] of Object.entries<Record<string, any>>(item))
        security[`${method.toUpperCase()} ${path}`] = operation.security;
    }
    return { json, schemes: body.components.securitySchemes, security };
  }

  it("holds the Cognito authorizer as a cognito_user_pools scheme, with each workflow's scopes on its operations", () => {
    const config = testConfig({ ...COGNITO, apiDefinition: "openapi", authorizationScopes: "orders/read" });
    const workflows = config.workflows.map((w) => (w.name === "standard" ? { ...w, authorizationScopes: ["orders/admin"] } : w));
    const { schemes, security } = bodyOf(config, workflows);
    expect(Object.values(schemes)).toContainEqual({
      type: "apiKey",
      name: "Authorization",
      in: "header",
      "x-amazon-apigateway-authtype": "cognito_user_pools",
      "x-amazon-apigateway-authorizer": {
        type: "cognito_user_pools",
        providerARNs: [POOL, OTHER_POOL],
        identitySource: "method.request.header.Authorization",
      },
    });
    const name = Object.keys(schemes).find((key) => schemes[key]["x-amazon-apigateway-authtype"] === "cognito_user_pools")!;
    expect(security["POST /express-instance"]).toEqual([{ [name]: ["orders/read"] }]);
    expect(security["POST /standard-instance"]).toEqual([{ [name]: ["orders/admin"] }]);
  });

  it("holds a REQUEST Lambda authorizer as a custom scheme calling the function, which API Gateway may still invoke", () => {
    const config = testConfig({
      ...CUSTOM,
      apiDefinition: "openapi",
      authorizerType: "REQUEST",
      authorizerIdentitySource: "method.request.header.X-Token,method.request.querystring.tenant",
      authorizerResultTtl: 0,
    });
    const { json, schemes, security } = bodyOf(config);
    const [name, scheme] = Object.entries<Record<string, any>>(schemes).find(([, s]) => s["x-amazon-apigateway-authtype"] === "custom")!;
    expect(scheme["x-amazon-apigateway-authorizer"]).toEqual({
      type: "request",
      authorizerUri: `arn:aws:apigateway:eu-west-1:lambda:path/2015-03-31/functions/${FUNCTION}/invocations`,
      identitySource: "method.request.header.X-Token,method.request.querystring.tenant",
      authorizerResultTtlInSeconds: 0,
    });
    expect(security["POST /express-instance"]).toEqual([{ [name]: [] }]);
    expect(Object.values(resources(json, "aws_lambda_permission"))).toHaveLength(1);
  });
});
