/**
 * The route model: the API Gateway configuration the constructs build (methods, integrations,
 * method and integration responses, gateway responses, models, the request validator,
 * authorizers, the resource policy), in the provider's own shape (its cdktf `*Config` types
 * without their place in the API), collected by the RestApi (rest-api.ts) and rendered in one of
 * two ways, the `apiDefinition` setting:
 *
 * - "resources": one Terraform resource per method, integration, response and path, as aws-cdk-lib
 *   and the article do;
 * - "openapi": one OpenAPI 3.0 document with API Gateway's extensions, the REST API's `body`
 *   (openapi-document.ts), so that Terraform makes a few API Gateway calls whatever the number of
 *   routes (docs/architecture.md, "The route model").
 *
 * Every string of the model is Terraform string text, as it stands in cdk.tf.json: references are
 * cdktf tokens, a literal "${" is written "$${" (mapping-template.ts): both renderings hand it to
 * Terraform unchanged, so they deploy the same text.
 */
import type { ApiGatewayAuthorizerConfig } from "@cdktf/provider-aws/lib/api-gateway-authorizer";
import type { ApiGatewayGatewayResponseConfig } from "@cdktf/provider-aws/lib/api-gateway-gateway-response";
import type { ApiGatewayIntegrationConfig } from "@cdktf/provider-aws/lib/api-gateway-integration";
import type { ApiGatewayIntegrationResponseConfig } from "@cdktf/provider-aws/lib/api-gateway-integration-response";
import type { ApiGatewayMethodConfig } from "@cdktf/provider-aws/lib/api-gateway-method";
import type { ApiGatewayMethodResponseConfig } from "@cdktf/provider-aws/lib/api-gateway-method-response";
import type { Constraint } from "../../lang/constraints";

/** How the REST API is defined in Terraform: resources per method, or one OpenAPI document as its body. */
export type ApiDefinition = "resources" | "openapi";
export const API_DEFINITIONS: readonly ApiDefinition[] = ["resources", "openapi"];
export const API_DEFINITION: Constraint = { oneOf: API_DEFINITIONS };
/** The article's shape: one Terraform resource per method, integration and response. */
export const DEFAULT_API_DEFINITION: ApiDefinition = "resources";

/** Where a part hangs in the API: the REST API and resource it belongs to, and for what hangs off a method, its method. */
type Placement = "restApiId" | "resourceId" | "httpMethod";

/** A method, as aws_api_gateway_method takes it, without its place. */
export type MethodSpec = Omit<ApiGatewayMethodConfig, "restApiId" | "resourceId">;
/** An integration, as aws_api_gateway_integration takes it, without its place. */
export type IntegrationSpec = Omit<ApiGatewayIntegrationConfig, Placement>;
/** A method response, as aws_api_gateway_method_response takes it, without its place. */
export type MethodResponseSpec = Omit<ApiGatewayMethodResponseConfig, Placement>;
/** An integration response, as aws_api_gateway_integration_response takes it, without its place. */
export type IntegrationResponseSpec = Omit<ApiGatewayIntegrationResponseConfig, Placement>;
/** A gateway response, as aws_api_gateway_gateway_response takes it, without its API. */
export type GatewayResponseSpec = Omit<ApiGatewayGatewayResponseConfig, "restApiId">;
/** An authorizer, as aws_api_gateway_authorizer takes it, without its API. */
export type AuthorizerSpec = Omit<ApiGatewayAuthorizerConfig, "restApiId">;

/** A request validator, as aws_api_gateway_request_validator takes it. */
export interface ValidatorSpec {
  readonly name: string;
  readonly validateRequestBody?: boolean;
  readonly validateRequestParameters?: boolean;
}

/** A request model: a JSON schema (draft 4) by its model name. */
export interface ModelSpec {
  readonly name: string;
  readonly contentType: string;
  readonly description?: string;
  /** The schema, as Terraform string text. */
  readonly schema: string;
}

/** One method on one path, and everything that hangs off it. */
export interface MethodEntry {
  /** The path below the root, e.g. "executions/{name}". */
  readonly path: string;
  readonly method: MethodSpec;
  integration?: IntegrationSpec;
  readonly methodResponses: MethodResponseSpec[];
  readonly integrationResponses: IntegrationResponseSpec[];
}

/** The whole model of one REST API. */
export interface ApiModelSpec {
  readonly name: string;
  readonly description?: string;
  readonly apiKeySource: string;
  readonly endpointTypes: readonly string[];
  readonly vpcEndpointIds: readonly string[];
  readonly disableExecuteApiEndpoint: boolean;
  readonly methods: readonly MethodEntry[];
  readonly gatewayResponses: readonly GatewayResponseSpec[];
  readonly models: readonly ModelSpec[];
  /** By the value methods give as request_validator_id (the resource's id, or in openapi mode its name). */
  readonly validators: ReadonlyMap<string, ValidatorSpec>;
  /** By the value methods give as authorizer_id (the resource's id, or in openapi mode its name). */
  readonly authorizers: ReadonlyMap<string, AuthorizerSpec>;
  /** Model name by the value methods give in request_models (the model's name reference, or the name). */
  readonly modelNames: ReadonlyMap<string, string>;
  /** The resource policy document (plain data), in openapi mode. */
  readonly policy?: Record<string, unknown>;
}

/** A method of the API: what responses and integrations hang off. */
export interface ApiMethodRef {
  readonly path: string;
  /** The method's HTTP method: a reference to the resource's in "resources" mode. */
  readonly httpMethod: string;
  /** @internal */
  readonly entry: MethodEntry;
}

/**
 * The status of each gateway response type when its response sets none: API Gateway Developer
 * Guide, "Gateway response types for API Gateway" (DEFAULT_4XX and DEFAULT_5XX have none: they
 * answer the status of the error they stand for). Read by the clients' OpenAPI document (openapi-document.ts).
 */
export const GATEWAY_RESPONSE_STATUSES: Readonly<Record<string, string>> = {
  ACCESS_DENIED: "403",
  API_CONFIGURATION_ERROR: "500",
  AUTHORIZER_CONFIGURATION_ERROR: "500",
  AUTHORIZER_FAILURE: "500",
  BAD_REQUEST_PARAMETERS: "400",
  BAD_REQUEST_BODY: "400",
  EXPIRED_TOKEN: "403",
  INTEGRATION_FAILURE: "504",
  INTEGRATION_TIMEOUT: "504",
  INVALID_API_KEY: "403",
  INVALID_SIGNATURE: "403",
  MISSING_AUTHENTICATION_TOKEN: "403",
  QUOTA_EXCEEDED: "429",
  REQUEST_TOO_LARGE: "413",
  RESOURCE_NOT_FOUND: "404",
  THROTTLED: "429",
  UNAUTHORIZED: "401",
  UNSUPPORTED_MEDIA_TYPE: "415",
  WAF_FILTERED: "403",
};
