/**
 * API Gateway's REST API request pipeline, offline, driven by the model read from the
 * synthesized stack (local/stack-reader.ts): routing under the stage name, method request
 * validation, mapping template selection and passthrough behaviour, the integration call, the
 * integration response selected by its selection pattern, response mapping with status and header
 * overrides, response parameters, and API Gateway's own error answers (gateway responses, which
 * the stack may customise).
 *
 * What it answers where the real API Gateway answers itself (the defaults of the gateway
 * responses, `{"message":$context.error.messageString}`):
 * - unknown stage, path or method: 403 {"message":"Missing Authentication Token"} (a REST API
 *   answers an unknown route this way, not 404/405);
 * - a content type with no request template under passthrough NEVER (or WHEN_NO_TEMPLATES with
 *   templates): 415 {"message":"Unsupported Media Type"}; no Content-Type header counts as
 *   application/json, and the media type is compared without its parameters (charset) and case;
 * - a required request parameter missing (validator with validate_request_parameters):
 *   400 {"message":"Missing required request parameters: [name]"};
 * - a body that is not JSON, or does not match the method's model (validator with
 *   validate_request_body, JSON Schema draft 4): 400 {"message":"Invalid request body"}, with
 *   $context.error.validationErrorString for customised responses;
 * - a body the request template cannot read as JSON (it starts like JSON but is not): 400
 *   {"message":"Could not process payload"} (as lang/vtl/ records it);
 * - a mapping template that fails otherwise, or no integration response for the backend's status
 *   and no default one: 500 {"message":"Internal server error"};
 * - the integration taking longer than its timeout (29 s by default, not scaled): 504
 *   {"message":"Endpoint request timed out"};
 * - a body over 10 MiB: 413 {"message":"Request Too Long"}.
 *
 * Not checked locally (the server prints a warning at start): authorization (AWS_IAM, Cognito,
 * custom authorizers) and API keys; the integration's IAM role; stage throttling.
 */
import { randomUUID } from "node:crypto";
import Ajv04 from "ajv-draft-04";
import type { ErrorObject, ValidateFunction } from "ajv-draft-04";
import { renderMappingTemplate, type MappingRequest } from "../lang/vtl";
import { MOCK_TEST_CASE_HEADER } from "./mock-config";
import type { LocalStepFunctions, StepFunctionsAnswer } from "./step-functions";
import type { ApiModel, GatewayResponseModel, RouteModel } from "./stack-reader";

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

/** Whom the integrations call. */
export interface Backends {
  readonly stepFunctions: Pick<LocalStepFunctions, "call">;
}

/** Default status and message of each gateway response type API Gateway answers locally. */
const GATEWAY_RESPONSE_DEFAULTS: Readonly<Record<string, { status: number; message: string }>> = {
  MISSING_AUTHENTICATION_TOKEN: { status: 403, message: "Missing Authentication Token" },
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

/** The body of a gateway response when the stack does not customise it. */
const DEFAULT_GATEWAY_TEMPLATE = '{"message":$context.error.messageString}';

/** API Gateway's payload limit. */
export const MAX_BODY_BYTES = 10 * 1024 * 1024;

/**
 * The integration response API Gateway selects for a backend status: the one whose
 * selection_pattern (a regular expression) matches the whole status code, else the one without a
 * pattern (the default); undefined when neither exists.
 */
export function selectIntegrationResponse<T extends { readonly selectionPattern?: string }>(
  responses: readonly T[],
  backendStatus: number | string,
): T | undefined {
  const status = String(backendStatus);
  return (
    responses.find((r) => r.selectionPattern !== undefined && new RegExp(`^(?:${r.selectionPattern})$`).test(status)) ??
    responses.find((r) => r.selectionPattern === undefined)
  );
}

/** The media type of a Content-Type header, lower case, without parameters; application/json when absent. */
function mediaType(contentType: string | undefined): string {
  const type = (contentType ?? "").split(";")[0].trim().toLowerCase();
  return type === "" ? "application/json" : type;
}

/** A match of a request path against the API's resources. */
export interface RouteMatch {
  readonly resourcePath: string;
  readonly pathParameters: Record<string, string>;
}

/**
 * Matches a path below the stage ("/executions/abc") against resource paths ("/executions/{name}"):
 * a literal segment before a `{param}`, before a greedy `{proxy+}`.
 */
function matchResource(resourcePaths: readonly string[], path: string): RouteMatch | undefined {
  // "/a/b" -> ["a", "b"]; a trailing slash is an empty last segment, which no resource matches.
  const segments = path === "/" ? [] : path.split("/").slice(1);
  let best: { match: RouteMatch; score: number[] } | undefined;
  for (const resourcePath of resourcePaths) {
    const parts = resourcePath === "/" ? [] : resourcePath.slice(1).split("/");
    const parameters: Record<string, string> = {};
    const score: number[] = [];
    let ok = true;
    let i = 0;
    for (const [index, part] of parts.entries()) {
      const greedy = /^\{(.+)\+\}$/.exec(part);
      if (greedy) {
        if (index !== parts.length - 1 || i >= segments.length) ok = false;
        else parameters[greedy[1]] = segments.slice(i).map(decode).join("/");
        i = segments.length;
        score.push(0);
        break;
      }
      if (i >= segments.length) {
        ok = false;
        break;
      }
      const parameter = /^\{(.+)\}$/.exec(part);
      if (parameter) {
        parameters[parameter[1]] = decode(segments[i]);
        score.push(1);
      } else if (part === decode(segments[i])) {
        score.push(2);
      } else {
        ok = false;
        break;
      }
      i += 1;
    }
    if (!ok || i !== segments.length) continue;
    if (!best || compareScores(score, best.score) > 0) best = { match: { resourcePath, pathParameters: parameters }, score };
  }
  return best?.match;
}

function compareScores(a: number[], b: number[]): number {
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const difference = (a[i] ?? -1) - (b[i] ?? -1);
    if (difference !== 0) return difference;
  }
  return 0;
}

function decode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

/** A failure API Gateway answers itself, through a gateway response. */
class GatewayError extends Error {
  constructor(
    readonly responseType: string,
    message?: string,
    readonly validationErrorString?: string,
  ) {
    super(message ?? GATEWAY_RESPONSE_DEFAULTS[responseType]?.message ?? "Internal server error");
  }
}

interface RequestContext {
  readonly requestId: string;
  readonly request: GatewayRequest;
  readonly route?: RouteModel;
  readonly resourcePath?: string;
  readonly pathParameters: Record<string, string>;
  readonly headers: Record<string, string>;
  readonly query: Record<string, string>;
}

/** The REST API of a stack, served offline. */
export class LocalApiGateway {
  private readonly validators = new Map<RouteModel, Map<string, ValidateFunction>>();
  private readonly resourcePaths: readonly string[];

  constructor(
    readonly model: ApiModel,
    private readonly backends: Backends,
    private readonly stageVariables: Readonly<Record<string, string>> = {},
  ) {
    this.resourcePaths = [...new Set([...model.resourcePaths, ...model.routes.map((r) => r.resourcePath)])];
    // verbose: the errors carry the value that failed (for the enum message).
    const ajv = new Ajv04({ strict: false, allErrors: false, validateFormats: false, verbose: true });
    for (const route of model.routes) {
      const compiled = new Map<string, ValidateFunction>();
      for (const [contentType, requestModel] of Object.entries(route.requestModels)) {
        if (requestModel.schema) compiled.set(contentType, ajv.compile(requestModel.schema));
      }
      this.validators.set(route, compiled);
      for (const response of route.integrationResponses) {
        for (const [target, source] of Object.entries(response.responseParameters))
          checkResponseParameter(source, `${route.httpMethod} ${route.resourcePath}: ${target}`);
      }
    }
  }

  /** Answers one request as the deployed stage would. */
  async handle(request: GatewayRequest): Promise<GatewayResponse> {
    const context: RequestContext = {
      requestId: randomUUID(),
      request,
      pathParameters: {},
      headers: { ...request.headers },
      query: { ...request.query },
    };
    try {
      return await this.route(context);
    } catch (error) {
      if (error instanceof GatewayError) return this.gatewayResponse(error, context);
      throw error;
    }
  }

  /** What API Gateway answers itself for a failure of this type (e.g. a body over the size limit). */
  errorResponse(responseType: string, request: GatewayRequest): GatewayResponse {
    return this.gatewayResponse(new GatewayError(responseType), {
      requestId: randomUUID(),
      request,
      pathParameters: {},
      headers: { ...request.headers },
      query: { ...request.query },
    });
  }

  private async route(context: RequestContext): Promise<GatewayResponse> {
    const { request } = context;
    const prefix = `/${this.model.stageName}`;
    if (request.path !== prefix && !request.path.startsWith(`${prefix}/`)) throw new GatewayError("MISSING_AUTHENTICATION_TOKEN");
    const below = request.path.slice(prefix.length) || "/";
    const match = matchResource(this.resourcePaths, below);
    const method = request.method.toUpperCase();
    const route =
      match &&
      (this.model.routes.find((r) => r.resourcePath === match.resourcePath && r.httpMethod === method) ??
        this.model.routes.find((r) => r.resourcePath === match.resourcePath && r.httpMethod === "ANY"));
    if (!match || !route) throw new GatewayError("MISSING_AUTHENTICATION_TOKEN");
    const routed: RequestContext = { ...context, route, resourcePath: route.resourcePath, pathParameters: match.pathParameters };

    this.validate(routed);
    const integrationBody = this.integrationRequest(routed);
    const backend = await this.callIntegration(routed, integrationBody);
    return this.integrationResponse(routed, backend);
  }

  private validate(context: RequestContext): void {
    const route = context.route!;
    if (!route.validator) return;
    if (route.validator.validateParameters) {
      const missing = route.requestParameters
        .filter((p) => p.required)
        .filter((p) => {
          if (p.location === "path") return !context.pathParameters[p.name];
          if (p.location === "querystring") return context.query[p.name] === undefined;
          return headerValue(context.headers, p.name) === undefined;
        })
        .map((p) => p.name);
      if (missing.length > 0)
        throw new GatewayError("BAD_REQUEST_PARAMETERS", `Missing required request parameters: [${missing.join(", ")}]`);
    }
    if (route.validator.validateBody) {
      const validate = this.validators.get(route)?.get(mediaType(headerValue(context.headers, "content-type")));
      if (!validate) return;
      const text = context.request.body ?? "";
      let body: unknown;
      try {
        body = JSON.parse(text.trim() === "" ? "{}" : text);
      } catch (error) {
        throw new GatewayError("BAD_REQUEST_BODY", undefined, escapedReason(`Invalid JSON: ${(error as Error).message}`));
      }
      if (!validate(body)) throw new GatewayError("BAD_REQUEST_BODY", undefined, validationErrorString(validate.errors ?? []));
    }
  }

  /** The integration request body: the request template for the content type, or the body passed through. */
  private integrationRequest(context: RequestContext): string {
    const { integration } = context.route!;
    const contentType = mediaType(headerValue(context.headers, "content-type"));
    const template = integration.requestTemplates[contentType];
    const hasTemplates = Object.keys(integration.requestTemplates).length > 0;
    if (template === undefined) {
      if (integration.passthroughBehavior === "NEVER" || (integration.passthroughBehavior === "WHEN_NO_TEMPLATES" && hasTemplates)) {
        throw new GatewayError("UNSUPPORTED_MEDIA_TYPE");
      }
      return context.request.body ?? "";
    }
    try {
      return renderMappingTemplate(template, this.mappingRequest(context, context.request.body ?? "")).output;
    } catch (error) {
      if (/^Could not process payload/.test((error as Error).message)) throw new GatewayError("DEFAULT_4XX", "Could not process payload");
      throw new GatewayError("API_CONFIGURATION_ERROR");
    }
  }

  private async callIntegration(context: RequestContext, body: string): Promise<StepFunctionsAnswer> {
    const { integration } = context.route!;
    if (integration.type === "MOCK") {
      let status = 200;
      try {
        const parsed = JSON.parse(body) as { statusCode?: unknown };
        if (parsed && Number.isInteger(Number(parsed.statusCode))) status = Number(parsed.statusCode);
      } catch {
        throw new GatewayError("API_CONFIGURATION_ERROR");
      }
      return { status, headers: {}, body: "" };
    }
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new GatewayError("INTEGRATION_TIMEOUT")), integration.timeoutMs);
    });
    try {
      return await Promise.race([
        this.backends.stepFunctions.call(integration.action!, body, { mockTestCase: headerValue(context.headers, MOCK_TEST_CASE_HEADER) }),
        timeout,
      ]);
    } finally {
      clearTimeout(timer);
    }
  }

  private integrationResponse(context: RequestContext, backend: StepFunctionsAnswer): GatewayResponse {
    const route = context.route!;
    const selected = selectIntegrationResponse(route.integrationResponses, backend.status);
    if (!selected) throw new GatewayError("API_CONFIGURATION_ERROR");
    const [contentType, template] = chooseTemplate(selected.responseTemplates, headerValue(context.headers, "accept"));
    let body = backend.body;
    let override: { status?: number; header: Readonly<Record<string, string>> } = { header: {} };
    if (template !== undefined) {
      try {
        const rendered = renderMappingTemplate(template, this.mappingRequest(context, backend.body));
        body = rendered.output;
        override = rendered.responseOverride;
      } catch {
        throw new GatewayError("API_CONFIGURATION_ERROR");
      }
    }
    const headers: Record<string, string> = {};
    for (const [target, source] of Object.entries(selected.responseParameters)) {
      const value = this.responseParameterValue(source, context, backend);
      if (value !== undefined) headers[target.slice("method.response.header.".length)] = value;
    }
    Object.assign(headers, override.header);
    return this.finish(
      override.status ?? Number(selected.statusCode),
      { "Content-Type": contentType ?? "application/json", ...headers },
      body,
      context,
    );
  }

  private responseParameterValue(source: string, context: RequestContext, backend: StepFunctionsAnswer): string | undefined {
    const literal = /^'(.*)'$/s.exec(source);
    if (literal) return literal[1];
    const header = /^integration\.response\.(?:multivalue)?header\.(.+)$/.exec(source);
    if (header) return headerValue(backend.headers, header[1]);
    if (source === "integration.response.body") return backend.body;
    const body = /^integration\.response\.body\.(.+)$/.exec(source);
    if (body) {
      let value: unknown;
      try {
        value = JSON.parse(backend.body);
      } catch {
        return undefined;
      }
      for (const key of body[1].split("."))
        value = value !== null && typeof value === "object" ? (value as Record<string, unknown>)[key] : undefined;
      if (value === undefined || value === null) return undefined;
      return typeof value === "string" ? value : JSON.stringify(value);
    }
    return this.requestSideValue(source, context);
  }

  /** `method.request.*`, `stageVariables.*` and `context.*` sources. */
  private requestSideValue(source: string, context: RequestContext): string | undefined {
    const request = /^method\.request\.(header|querystring|path)\.(.+)$/.exec(source);
    if (request) {
      if (request[1] === "header") return headerValue(context.headers, request[2]);
      return request[1] === "path" ? context.pathParameters[request[2]] : context.query[request[2]];
    }
    const stageVariable = /^stageVariables\.(.+)$/.exec(source);
    if (stageVariable) return this.stageVariables[stageVariable[1]];
    const contextVariable = /^context\.(.+)$/.exec(source);
    if (contextVariable) {
      let value: unknown = this.contextVariables(context);
      for (const key of contextVariable[1].split("."))
        value = value !== null && typeof value === "object" ? (value as Record<string, unknown>)[key] : undefined;
      return value === undefined || value === null ? undefined : String(value);
    }
    return undefined;
  }

  private gatewayResponse(error: GatewayError, context: RequestContext): GatewayResponse {
    const defaults = GATEWAY_RESPONSE_DEFAULTS[error.responseType] ?? GATEWAY_RESPONSE_DEFAULTS.DEFAULT_5XX;
    const family = defaults.status >= 500 ? "DEFAULT_5XX" : "DEFAULT_4XX";
    const configured: GatewayResponseModel | undefined =
      this.model.gatewayResponses[error.responseType] ?? this.model.gatewayResponses[family];
    const status = configured?.statusCode !== undefined ? Number(configured.statusCode) : defaults.status;
    const [contentType, template] = chooseTemplate(configured?.responseTemplates ?? {}, headerValue(context.headers, "accept"));
    const errorContext = {
      message: error.message,
      messageString: JSON.stringify(error.message),
      responseType: error.responseType,
      validationErrorString: error.validationErrorString ?? "",
    };
    let body: string;
    try {
      body = renderMappingTemplate(template ?? DEFAULT_GATEWAY_TEMPLATE, {
        ...this.mappingRequest(context, context.request.body ?? ""),
        context: { ...this.contextVariables(context), error: errorContext },
      }).output;
    } catch {
      body = renderMappingTemplate(DEFAULT_GATEWAY_TEMPLATE, { body: "{}", context: { error: errorContext } }).output;
    }
    const headers: Record<string, string> = { "Content-Type": contentType ?? "application/json" };
    if (error.responseType === "MISSING_AUTHENTICATION_TOKEN") headers["x-amzn-ErrorType"] = "MissingAuthenticationTokenException";
    for (const [target, source] of Object.entries(configured?.responseParameters ?? {})) {
      const name = /^gatewayresponse\.header\.(.+)$/.exec(target)?.[1];
      if (!name) continue;
      const literal = /^'(.*)'$/s.exec(source);
      const value = literal ? literal[1] : this.requestSideValue(source, context);
      if (value !== undefined) headers[name] = value;
    }
    return this.finish(status, headers, body, context);
  }

  private finish(status: number, headers: Record<string, string>, body: string, context: RequestContext): GatewayResponse {
    return { status, headers: { ...headers, "x-amzn-RequestId": context.requestId }, body };
  }

  private contextVariables(context: RequestContext): Record<string, unknown> {
    const { request } = context;
    return {
      accountId: this.model.accountId,
      apiId: "local",
      domainName: headerValue(context.headers, "host") ?? "localhost",
      httpMethod: request.method.toUpperCase(),
      path: request.path,
      requestId: context.requestId,
      extendedRequestId: context.requestId,
      resourceId: context.route?.terraformName ?? "",
      resourcePath: context.resourcePath ?? "",
      stage: this.model.stageName,
      identity: { sourceIp: request.sourceIp ?? "127.0.0.1", userAgent: headerValue(context.headers, "user-agent") ?? "" },
    };
  }

  private mappingRequest(context: RequestContext, body: string): MappingRequest {
    return {
      body,
      headers: context.headers,
      queryString: context.query,
      pathParameters: context.pathParameters,
      stageVariables: this.stageVariables,
      context: this.contextVariables(context),
    };
  }
}

/** A header by name, case-insensitively. */
function headerValue(headers: Readonly<Record<string, string>>, name: string): string | undefined {
  const lower = name.toLowerCase();
  const key = Object.keys(headers).find((h) => h.toLowerCase() === lower);
  return key === undefined ? undefined : headers[key];
}

/** The response template for the request's Accept header: an accepted type, else application/json, else the first. */
function chooseTemplate(templates: Readonly<Record<string, string>>, accept: string | undefined): [string | undefined, string | undefined] {
  const types = Object.keys(templates);
  if (types.length === 0) return [undefined, undefined];
  const accepted = (accept ?? "")
    .split(",")
    .map((part) => mediaType(part))
    .find((type) => types.includes(type));
  const type = accepted ?? (types.includes("application/json") ? "application/json" : types[0]);
  return [type, templates[type]];
}

function checkResponseParameter(source: string, where: string): void {
  if (
    /^'.*'$/s.test(source) ||
    /^integration\.response\.((multivalue)?header\.[^.]+|body(\..+)?)$/.test(source) ||
    /^(method\.request\.(header|querystring|path)|stageVariables|context)\..+$/.test(source)
  ) {
    return;
  }
  throw new Error(`${where}: response parameter source ${JSON.stringify(source)} is not one API Gateway accepts`);
}

/**
 * $context.error.validationErrorString, in the words of the validator API Gateway uses (the Java
 * json-schema-validator's messages) for the common keywords, escaped as API Gateway writes it:
 * `[object has missing required properties ([\"instance_id\"])]` (its execution log prints "Request
 * body does not match model schema for content type application/json: [object has missing
 * required properties ([\"body\",\"subject\",\"to\"])]"; a deployed gateway response that puts it
 * in a JSON string returns valid JSON). Beyond the quotes, JSON string escaping is assumed.
 */
function validationErrorString(errors: readonly ErrorObject[]): string {
  const [error] = errors;
  if (!error) return "[]";
  const params = error.params as Record<string, unknown>;
  let text: string;
  switch (error.keyword) {
    case "required":
      text = `object has missing required properties ([${JSON.stringify(params.missingProperty)}])`;
      break;
    case "type":
      text = `instance type (${jsonType(error.data)}) does not match any allowed primitive type (allowed: [${JSON.stringify(params.type)}])`;
      break;
    case "pattern":
      text = `ECMA 262 regex ${JSON.stringify(params.pattern)} does not match input string ${JSON.stringify(error.data)}`;
      break;
    case "enum":
      text = `instance value (${JSON.stringify(error.data)}) not found in enum (possible values: ${JSON.stringify(params.allowedValues)})`;
      break;
    case "additionalProperties":
      text = `object instance has properties which are not allowed by the schema: [${JSON.stringify(params.additionalProperty)}]`;
      break;
    default:
      text = `${error.instancePath || "instance"} ${error.message ?? "is invalid"}`;
  }
  return escapedReason(text);
}

/** A validation reason as API Gateway writes it: in brackets, escaped as in a JSON string. */
function escapedReason(text: string): string {
  return `[${JSON.stringify(text).slice(1, -1)}]`;
}

/** A JSON value's type as JSON Schema names it. */
function jsonType(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "array";
  if (typeof value === "number") return Number.isInteger(value) ? "integer" : "number";
  return typeof value;
}
