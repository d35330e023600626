/**
 * What one request carries through the local API Gateway pipeline (local/apigateway/gateway.ts):
 * the request as received, what each stage found or produced (the route, the integration request
 * body, the backend's answer, the response), and the helpers every stage shares (headers by name,
 * media types, $context variables, the input of a mapping template). Shaped as LocalStack's API
 * Gateway emulator shapes its REST API invocation context.
 */
import { randomUUID } from "node:crypto";
import type { MappingRequest } from "../../lang/vtl";
import type { ApiModel, RouteModel } from "../stack-reader";
import type { LocalStepFunctions } from "../step-functions";

/** A request as the HTTP server received it. */
export interface GatewayRequest {
  readonly method: string;
  /** The path as sent, percent-encoded, without the query string (e.g. "/v1/express-instance"). */
  readonly path: string;
  /** Query string parameters (the last value of a repeated name). */
  readonly query?: Readonly<Record<string, string>>;
  /** Headers with the case the client sent (the last value of a repeated name). */
  readonly headers?: Readonly<Record<string, string>>;
  readonly body?: string;
  readonly sourceIp?: string;
}

export interface GatewayResponse {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
}

/** What an integration's backend answered: status, headers and body, before the integration response maps it. */
export interface IntegrationAnswer {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
}

/** Whom the integrations call. */
export interface Backends {
  readonly stepFunctions: Pick<LocalStepFunctions, "call">;
}

/** The deployed stage a request reaches: its model, stage variables and backends. */
export interface StageContext {
  readonly model: ApiModel;
  readonly stageVariables: Readonly<Record<string, string>>;
  readonly backends: Backends;
}

/** One request on its way through the stages; each stage reads what the earlier ones set. */
export interface RequestContext {
  readonly requestId: string;
  readonly request: GatewayRequest;
  readonly stage: StageContext;
  readonly headers: Record<string, string>;
  readonly query: Record<string, string>;
  /** Set by the route stage. */
  route?: RouteModel;
  /** Set by the route stage. */
  pathParameters: Record<string, string>;
  /**
   * Set by the authorize stage when an authorizer let the request through: a Lambda authorizer's
   * principalId and context, or a Cognito authorizer's {claims}. $context.authorizer. @default {}
   */
  authorizer?: Record<string, unknown>;
  /** Set by the request mapping stage: the integration request body. */
  integrationRequestBody?: string;
  /** Set by the integration stage. */
  integrationAnswer?: IntegrationAnswer;
  /** Set by the response mapping stage, or by the gateway response stage on a failure. */
  response?: GatewayResponse;
}

/** A new context for a request that no stage has seen yet. */
export function newRequestContext(request: GatewayRequest, stage: StageContext): RequestContext {
  return {
    requestId: randomUUID(),
    request,
    stage,
    pathParameters: {},
    headers: { ...request.headers },
    query: { ...request.query },
  };
}

/** Default status and message of each gateway response type API Gateway answers locally. */
export const GATEWAY_RESPONSE_DEFAULTS: Readonly<Record<string, { status: number; message: string }>> = {
  MISSING_AUTHENTICATION_TOKEN: { status: 403, message: "Missing Authentication Token" },
  UNAUTHORIZED: { status: 401, message: "Unauthorized" },
  ACCESS_DENIED: { status: 403, message: "User is not authorized to access this resource" },
  UNSUPPORTED_MEDIA_TYPE: { status: 415, message: "Unsupported Media Type" },
  BAD_REQUEST_PARAMETERS: { status: 400, message: "Missing required request parameters" },
  BAD_REQUEST_BODY: { status: 400, message: "Invalid request body" },
  REQUEST_TOO_LARGE: { status: 413, message: "Request Too Long" },
  API_CONFIGURATION_ERROR: { status: 500, message: "Internal server error" },
  INTEGRATION_FAILURE: { status: 504, message: "Internal server error" },
  INTEGRATION_TIMEOUT: { status: 504, message: "Endpoint request timed out" },
  DEFAULT_4XX: { status: 400, message: "Bad Request" },
  DEFAULT_5XX: { status: 500, message: "Internal server error" },
};

/** A failure API Gateway answers itself, through a gateway response (local/apigateway/handlers/gateway-response.ts). */
export class GatewayError extends Error {
  constructor(
    readonly responseType: string,
    message?: string,
    readonly validationErrorString?: string,
  ) {
    super(message ?? GATEWAY_RESPONSE_DEFAULTS[responseType]?.message ?? "Internal server error");
  }
}

/** A header by name, case-insensitively. */
export function headerValue(headers: Readonly<Record<string, string>>, name: string): string | undefined {
  const lower = name.toLowerCase();
  const key = Object.keys(headers).find((h) => h.toLowerCase() === lower);
  return key === undefined ? undefined : headers[key];
}

/** The media type of a Content-Type header, lower case, without parameters; application/json when absent. */
export function mediaType(contentType: string | undefined): string {
  const type = (contentType ?? "").split(";")[0].trim().toLowerCase();
  return type === "" ? "application/json" : type;
}

/** The response template for the request's Accept header: an accepted type, else application/json, else the first. */
export function chooseTemplate(
  templates: Readonly<Record<string, string>>,
  accept: string | undefined,
): [string | undefined, string | undefined] {
  const types = Object.keys(templates);
  if (types.length === 0) return [undefined, undefined];
  const accepted = (accept ?? "")
    .split(",")
    .map((part) => mediaType(part))
    .find((type) => types.includes(type));
  const type = accepted ?? (types.includes("application/json") ? "application/json" : types[0]);
  return [type, templates[type]];
}

/**
 * The caller of a SigV4-signed request, as the local API can tell it without AWS: the access key
 * of the Authorization header's Credential (AWS Signature Version 4: "Credential=<access key>/<date>/..."),
 * which local stand-ins of $context.identity are built from; undefined for an unsigned request.
 */
function signer(context: RequestContext): string | undefined {
  const authorization = headerValue(context.headers, "authorization") ?? "";
  return /^AWS4-HMAC-SHA256 .*Credential=([A-Za-z0-9]+)\//.exec(authorization)?.[1];
}

/**
 * The request's $context variables (API Gateway Developer Guide, "Variables for data
 * transformations for API Gateway"). The identity of an IAM caller is a local stand-in: AWS sets
 * it from the signer's credentials, which the local API does not check; here, for a SigV4-signed
 * request, caller and user are the access key, userArn an IAM user of that name in the stack's
 * account, accountId that account. Unsigned, they are null, as on AWS for routes without IAM
 * authorization; the Cognito identity fields are null (only IAM callers of a Cognito identity
 * pool have them).
 */
export function contextVariables(context: RequestContext): Record<string, unknown> {
  const { request, stage } = context;
  const now = new Date();
  const accessKey = signer(context);
  const iam = accessKey
    ? {
        accountId: stage.model.accountId,
        caller: accessKey,
        user: accessKey,
        userArn: `arn:aws:iam::${stage.model.accountId}:user/${accessKey}`,
      }
    : { accountId: null, caller: null, user: null, userArn: null };
  return {
    accountId: stage.model.accountId,
    apiId: "local",
    domainName: headerValue(context.headers, "host") ?? "localhost",
    httpMethod: request.method.toUpperCase(),
    path: request.path,
    protocol: "HTTP/1.1",
    requestId: context.requestId,
    extendedRequestId: context.requestId,
    // CLF format, as $context.requestTime is ("12/Jun/2024:10:00:00 +0000").
    requestTime: `${String(now.getUTCDate()).padStart(2, "0")}/${now.toLocaleString("en-US", { month: "short", timeZone: "UTC" })}/${now.getUTCFullYear()}:${now.toISOString().slice(11, 19)} +0000`,
    requestTimeEpoch: now.getTime(),
    resourceId: context.route?.terraformName ?? "",
    resourcePath: context.route?.resourcePath ?? "",
    stage: stage.model.stageName,
    identity: {
      sourceIp: request.sourceIp ?? "127.0.0.1",
      userAgent: headerValue(context.headers, "user-agent") ?? "",
      ...iam,
      cognitoAuthenticationProvider: null,
      cognitoAuthenticationType: null,
      cognitoIdentityId: null,
      cognitoIdentityPoolId: null,
    },
    authorizer: context.authorizer ?? {},
  };
}

/** What a mapping template of this request sees, with `body` as its $input. */
export function mappingRequest(context: RequestContext, body: string): MappingRequest {
  return {
    body,
    headers: context.headers,
    queryString: context.query,
    pathParameters: context.pathParameters,
    stageVariables: context.stage.stageVariables,
    context: contextVariables(context),
  };
}

/**
 * The value of a request-side parameter source: `method.request.*`, `stageVariables.*` and
 * `context.*`; undefined for any other source or a value the request does not have.
 */
export function requestSideValue(source: string, context: RequestContext): string | undefined {
  const request = /^method\.request\.(header|querystring|path)\.(.+)$/.exec(source);
  if (request) {
    if (request[1] === "header") return headerValue(context.headers, request[2]);
    return request[1] === "path" ? context.pathParameters[request[2]] : context.query[request[2]];
  }
  const stageVariable = /^stageVariables\.(.+)$/.exec(source);
  if (stageVariable) return context.stage.stageVariables[stageVariable[1]];
  const contextVariable = /^context\.(.+)$/.exec(source);
  if (contextVariable) {
    let value: unknown = contextVariables(context);
    for (const key of contextVariable[1].split("."))
      value = value !== null && typeof value === "object" ? (value as Record<string, unknown>)[key] : undefined;
    return value === undefined || value === null ? undefined : String(value);
  }
  return undefined;
}

/** The response a stage answers with: the headers plus the request id API Gateway adds to every answer. */
export function finishResponse(context: RequestContext, status: number, headers: Record<string, string>, body: string): GatewayResponse {
  return { status, headers: { ...headers, "x-amzn-RequestId": context.requestId }, body };
}

/** One stage of the pipeline. It reads and sets fields of the context, or throws a GatewayError. */
export interface Handler {
  handle(context: RequestContext): void | Promise<void>;
}
