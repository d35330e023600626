import { Construct } from "constructs";
import type { ApiGatewayIntegration } from "@cdktf/provider-aws/lib/api-gateway-integration";
import type { ApiGatewayIntegrationResponse } from "@cdktf/provider-aws/lib/api-gateway-integration-response";
import type { ApiGatewayMethod } from "@cdktf/provider-aws/lib/api-gateway-method";
import type { ApiGatewayMethodResponse } from "@cdktf/provider-aws/lib/api-gateway-method-response";
import { Fn, type IResolvable, type ITerraformDependable, Op, Token } from "cdktf";
import { type Constraint, checkConstraint } from "../../lang/constraints";
import type { Cors } from "./cors";
import { pathParametersOf } from "../../lang/workflow-routes";
import type { DeploymentPart, Fingerprint } from "./deployment-part";
import type { IntegrationRole } from "./integration-role";
import { DEFAULT_INTEGRATION_TIMEOUT_MS, checkIntegrationTimeout } from "./integration-timeout";
import type { ApiModelRef, RestApi } from "./rest-api";
import type { StepFunctionsAction, StepFunctionsIntegration } from "./step-functions-integration";

/**
 * How API Gateway authorizes callers of a route: "AWS_IAM" (SigV4-signed requests), "API_KEY"
 * (an x-api-key header, with a usage plan), "NONE" (anyone with the URL), "COGNITO_USER_POOLS" (a
 * Cognito user pool token) or "CUSTOM" (a Lambda authorizer): see authorizer.ts.
 */
export type Authorization = "AWS_IAM" | "API_KEY" | "NONE" | "COGNITO_USER_POOLS" | "CUSTOM";

/** The ways callers can be authorized. */
export const AUTHORIZATIONS: readonly Authorization[] = ["AWS_IAM", "API_KEY", "NONE", "COGNITO_USER_POOLS", "CUSTOM"];
export const AUTHORIZATION_CONSTRAINT: Constraint = { oneOf: AUTHORIZATIONS };
/** How callers are authorized when nothing is said: SigV4-signed requests. */
export const DEFAULT_AUTHORIZATION: Authorization = "AWS_IAM";

export interface RouteProps {
  readonly api: RestApi;
  /** Path below the API's root, e.g. "express-instance" or "executions/{name}". */
  readonly path: string;
  readonly httpMethod: "GET" | "POST";
  /** What the route calls, from a {@link StepFunctionsIntegration} factory. */
  readonly integration: StepFunctionsIntegration;
  /** The role API Gateway assumes for the call; the integration grants it exactly what it calls. */
  readonly role: IntegrationRole;
  /** AWS region of the Step Functions endpoint; may be a Terraform expression. */
  readonly region: string;
  /** AWS partition of the integration's ARN. @default "aws" */
  readonly partition?: string;
  /** How callers are authorized: an {@link Authorization}, or a Terraform expression that is one. @default "AWS_IAM" */
  readonly authorization?: Authorization | string;
  /** ID of the route's authorizer, for COGNITO_USER_POOLS and CUSTOM (see authorizer.ts methodAuthorizer). @default none */
  readonly authorizerId?: string;
  /** OAuth scopes of a COGNITO_USER_POOLS route: an access token must hold one of them. @default none: an ID token */
  readonly authorizationScopes?: string[];
  /** Model the request body must match; requests that do not answer 400 before Step Functions is called. @default no body validation */
  readonly requestModel?: ApiModelRef;
  /** CORS headers on every answer (its template before each response template, its headers declared). @default none */
  readonly cors?: Pick<Cors, "responseHeaders" | "responseTemplate">;
  /**
   * How long API Gateway waits for Step Functions' answer before it answers 504, 50 to 300,000 ms
   * (above 29,000 once the account's quota is raised: integration-timeout.ts); may be a Terraform expression.
   * @default 29000 (API Gateway's default quota)
   */
  readonly timeoutMs?: number;
}

/**
 * Selection pattern and status of the two error responses; the success response is the default.
 * [0-9] rather than \d: cdktf's HCL output does not escape backslashes.
 */
const ERROR_RESPONSES = [
  { selectionPattern: "4[0-9]{2}", statusCode: "400" },
  { selectionPattern: "5[0-9]{2}", statusCode: "502" },
] as const;

/**
 * A method whose AWS-service integration calls a Step Functions API action, with request and
 * response mappings for every answer Step Functions can give: the success response by default,
 * and Step Functions' 4xx and 5xx answers selected by status and mapped to JSON errors, never
 * passed on as a 200. Requests with a content type other than application/json are refused (415).
 */
export class Route extends Construct implements DeploymentPart {
  public readonly action: StepFunctionsAction;
  public readonly path: string;
  /** The route's HTTP method. */
  public readonly httpMethod: "GET" | "POST";
  /** How long API Gateway waits for the integration's answer, in milliseconds (may be a Terraform expression). */
  public readonly timeoutMs: number;
  /** The route's resources ("resources" mode); in "openapi" mode they are in the API's body. */
  public readonly method?: ApiGatewayMethod;
  public readonly integration?: ApiGatewayIntegration;
  public readonly methodResponses: readonly ApiGatewayMethodResponse[];
  public readonly integrationResponses: readonly ApiGatewayIntegrationResponse[];
  public readonly dependables: readonly ITerraformDependable[];
  public readonly deploymentFingerprint: Fingerprint;

  constructor(scope: Construct, id: string, props: RouteProps) {
    super(scope, id);
    const bound = props.integration.bind(this);
    this.action = bound.action;
    this.path = props.path;
    this.httpMethod = props.httpMethod;
    const api = props.api;
    const authorization = methodAuthorization(props.authorization ?? DEFAULT_AUTHORIZATION);
    // Every {parameter} of the path is a required method request parameter, with those the integration reads.
    const pathParameters = [...new Set([...pathParametersOf(props.path), ...bound.pathParameters])];
    const timeoutMs = props.timeoutMs ?? DEFAULT_INTEGRATION_TIMEOUT_MS;
    checkIntegrationTimeout(timeoutMs);
    this.timeoutMs = timeoutMs;
    for (const parameter of pathParameters) {
      if (!props.path.split("/").includes(`{${parameter}}`)) {
        throw new Error(`route ${props.path}: path parameter "{${parameter}}" of ${bound.action} is not in the path`);
      }
    }

    const method = api.addMethod(this, "Method", props.path, {
      httpMethod: props.httpMethod,
      authorization: authorization.method,
      apiKeyRequired: authorization.apiKeyRequired,
      authorizerId: props.authorizerId,
      authorizationScopes: props.authorizationScopes,
      requestValidatorId: api.validatorId,
      requestModels: props.requestModel ? { "application/json": props.requestModel.name } : undefined,
      requestParameters: pathParameters.length
        ? Object.fromEntries(pathParameters.map((name) => [`method.request.path.${name}`, true]))
        : undefined,
    });
    this.method = method.resource;

    this.integration = api.addIntegration(this, "Integration", method, {
      type: "AWS",
      integrationHttpMethod: "POST",
      uri: `arn:${props.partition ?? "aws"}:apigateway:${props.region}:states:action/${bound.action}`,
      credentials: props.role.arn,
      passthroughBehavior: "NEVER",
      requestTemplates: { "application/json": bound.requestTemplate },
      // Always set, so that the deployment trigger hashes what is configured.
      timeoutMilliseconds: timeoutMs,
    });
    // The integration (and so the deployment) waits for the role's permission to call Step Functions;
    // in "openapi" mode the API, whose body holds the integration.
    bound.grant(props.role).applyBefore(this.integration ?? api.resource);

    const headers = [...bound.responseHeaders, ...(props.cors?.responseHeaders ?? [])];
    const responseParameters = headers.length
      ? Object.fromEntries(headers.map((header) => [`method.response.header.${header}`, false]))
      : undefined;
    const statusCodes = [
      ...new Set([bound.success.statusCode, ...ERROR_RESPONSES.map((r) => r.statusCode), ...bound.overrideStatuses]),
    ].sort();
    this.methodResponses = statusCodes.flatMap(
      (statusCode) =>
        api.addMethodResponse(this, `MethodResponse${statusCode}`, method, {
          statusCode,
          responseModels: { "application/json": "Empty" },
          responseParameters,
        }).resource ?? [],
    );

    const responses = [
      { statusCode: bound.success.statusCode, template: bound.success.template, selectionPattern: undefined },
      ...ERROR_RESPONSES.map((r) => ({ ...r, template: bound.errorTemplate })),
    ];
    this.integrationResponses = responses.flatMap(
      (response) =>
        api.addIntegrationResponse(this, `IntegrationResponse${response.statusCode}`, method, {
          statusCode: response.statusCode,
          selectionPattern: response.selectionPattern,
          responseTemplates: { "application/json": props.cors ? props.cors.responseTemplate(this, response.template) : response.template },
          // An integration response can only be created once its integration exists.
          dependsOn: this.integration ? [this.integration] : undefined,
        }) ?? [],
    );

    if (!this.method || !this.integration) {
      // "openapi" mode: the API's body holds the route, and the API's fingerprint hashes it.
      this.dependables = [];
      this.deploymentFingerprint = [];
      return;
    }
    this.dependables = [this.method, this.integration, ...this.methodResponses, ...this.integrationResponses];
    // Each resource stands for every attribute that changes what the route serves (deployment-part.ts).
    this.deploymentFingerprint = {
      path: props.path,
      method: this.method,
      integration: this.integration,
      method_responses: this.methodResponses,
      integration_responses: this.integrationResponses,
    };
  }
}

/**
 * The method's authorization type and whether it requires an API key: API_KEY routes use "NONE"
 * plus the key. For a Terraform expression (the module's variable), the same as expressions.
 */
function methodAuthorization(authorization: string): { method: string; apiKeyRequired: boolean | IResolvable } {
  if (Token.isUnresolved(authorization)) {
    const apiKey = Op.eq(authorization, "API_KEY");
    return { method: Token.asString(Fn.conditional(apiKey, "NONE", authorization)), apiKeyRequired: apiKey };
  }
  checkConstraint("authorization", AUTHORIZATION_CONSTRAINT, authorization);
  return { method: authorization === "API_KEY" ? "NONE" : authorization, apiKeyRequired: authorization === "API_KEY" };
}
