/**
 * The route model (api-definition.ts) as OpenAPI 3.0: the REST API's `body` in "openapi" mode,
 * with API Gateway's extensions, and the clients' document (openapi.json beside the stack, in both
 * modes), the same paths, parameters, body schemas and statuses without them.
 *
 * API Gateway Developer Guide, "Working with API Gateway extensions to OpenAPI": each extension
 * below is named after its page there.
 */
import { Fn, Token, Tokenization } from "cdktf";
import { type ApiModelSpec, type AuthorizerSpec, GATEWAY_RESPONSE_STATUSES, type MethodEntry } from "./api-definition";

/** The security scheme of SigV4-signed requests: "x-amazon-apigateway-authtype property" (awsSigv4). */
export const SIGV4_SCHEME = "sigv4";
/** The security scheme of API keys: "x-amazon-apigateway-api-key-source property" (the x-api-key header). */
export const API_KEY_SCHEME = "api_key";

/** API Gateway's model of an empty body, as it exports it ("Empty Schema"): the method responses' model. */
const EMPTY_SCHEMA = { title: "Empty Schema", type: "object" };

/** Drops the undefined fields and empty maps of an object. */
function compact(object: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(object).filter(
      ([, value]) =>
        value !== undefined && !(typeof value === "object" && value !== null && !Array.isArray(value) && Object.keys(value).length === 0),
    ),
  );
}

/** A model's schema text as JSON (the schema text holds no reference: request-schema.ts reads a file). */
function schemaOf(text: string): Record<string, unknown> {
  return JSON.parse(text) as Record<string, unknown>;
}

/** The OpenAPI parameter location of a method request parameter's ("querystring" is "query"). */
const PARAMETER_IN: Readonly<Record<string, string>> = { path: "path", querystring: "query", header: "header" };

/** A method request parameter (`method.request.<location>.<name>`) as an OpenAPI parameter. */
function parameterOf(expression: string, required: unknown): Record<string, unknown> {
  const match = /^method\.request\.(path|querystring|header)\.(.+)$/.exec(expression);
  if (!match) throw new Error(`request parameter ${expression} is not method.request.{path|querystring|header}.<name>`);
  const location = PARAMETER_IN[match[1]];
  // OpenAPI 3.0, Parameter Object: "If the parameter location is "path", this property is REQUIRED and its value MUST be true".
  return { name: match[2], in: location, required: location === "path" ? true : required === true, schema: { type: "string" } };
}

/** The security requirement of a method: which schemes (and scopes) authorize it, or none. */
function securityOf(entry: MethodEntry, model: ApiModelSpec, where: string): Record<string, string[]>[] | undefined {
  const { authorization, apiKeyRequired, authorizerId, authorizationScopes } = entry.method;
  if (Token.isUnresolved(authorization) || (typeof apiKeyRequired === "object" && apiKeyRequired !== null)) {
    throw new Error(`${where}: in openapi mode a method's authorization must be known at synth, not a Terraform expression`);
  }
  const requirement: Record<string, string[]> = {};
  if (authorization === "AWS_IAM") requirement[SIGV4_SCHEME] = [];
  else if (authorization === "CUSTOM" || authorization === "COGNITO_USER_POOLS") {
    const authorizer = authorizerId === undefined ? undefined : model.authorizers.get(authorizerId);
    if (!authorizer) throw new Error(`${where}: authorization ${authorization} needs an authorizer of the API (RestApi.addAuthorizer)`);
    requirement[authorizer.name] = [...(authorizationScopes ?? [])];
  } else if (authorization !== "NONE") throw new Error(`${where}: authorization ${authorization} is not one API Gateway takes`);
  if (apiKeyRequired === true) requirement[API_KEY_SCHEME] = [];
  return Object.keys(requirement).length > 0 ? [requirement] : undefined;
}

/** The header an authorizer reads its token from, by its identity source ("method.request.header.Authorization"). */
function identityHeader(authorizer: AuthorizerSpec): string {
  const match = /^method\.request\.header\.([^,\s]+)$/.exec(authorizer.identitySource ?? "method.request.header.Authorization");
  return match ? match[1] : "Authorization";
}

/**
 * An authorizer as a security scheme: "x-amazon-apigateway-authorizer object" and
 * "x-amazon-apigateway-authtype property" (cognito_user_pools, or custom for a Lambda authorizer).
 */
function authorizerScheme(authorizer: AuthorizerSpec): Record<string, unknown> {
  const type = (authorizer.type ?? "TOKEN").toLowerCase();
  return {
    type: "apiKey",
    name: identityHeader(authorizer),
    in: "header",
    "x-amazon-apigateway-authtype": type === "cognito_user_pools" ? "cognito_user_pools" : "custom",
    "x-amazon-apigateway-authorizer": compact({
      type,
      providerARNs: authorizer.providerArns,
      authorizerUri: authorizer.authorizerUri,
      authorizerCredentials: authorizer.authorizerCredentials,
      identitySource: authorizer.identitySource,
      identityValidationExpression: authorizer.identityValidationExpression,
      authorizerResultTtlInSeconds: authorizer.authorizerResultTtlInSeconds,
    }),
  };
}

/** The schemes the API's methods use: SigV4, API keys, its authorizers. */
function securitySchemes(model: ApiModelSpec, aws: boolean): Record<string, unknown> {
  const schemes: Record<string, unknown> = {};
  const used = new Set(model.methods.flatMap((entry) => (securityOf(entry, model, entry.path) ?? []).flatMap((r) => Object.keys(r))));
  if (used.has(SIGV4_SCHEME)) {
    schemes[SIGV4_SCHEME] = aws
      ? { type: "apiKey", name: "Authorization", in: "header", "x-amazon-apigateway-authtype": "awsSigv4" }
      : { type: "apiKey", name: "Authorization", in: "header", description: "AWS Signature Version 4 (service execute-api)" };
  }
  if (used.has(API_KEY_SCHEME)) schemes[API_KEY_SCHEME] = { type: "apiKey", name: "x-api-key", in: "header" };
  for (const authorizer of model.authorizers.values()) {
    if (!used.has(authorizer.name)) continue;
    const scheme = authorizerScheme(authorizer);
    schemes[authorizer.name] = aws
      ? scheme
      : {
          type: "apiKey",
          name: scheme.name,
          in: "header",
          description: `API Gateway ${authorizer.type ?? "TOKEN"} authorizer ${authorizer.name}`,
        };
  }
  return schemes;
}

/** A method's request body: its models, by content type ("$ref" to the components). */
function requestBodyOf(entry: MethodEntry, model: ApiModelSpec): Record<string, unknown> | undefined {
  const models = Object.entries(entry.method.requestModels ?? {});
  if (models.length === 0) return undefined;
  const content = Object.fromEntries(
    models.map(([contentType, value]) => [
      contentType,
      { schema: { $ref: `#/components/schemas/${model.modelNames.get(value) ?? value}` } },
    ]),
  );
  return { required: true, content };
}

/** The headers of a method response, from its response parameters (`method.response.header.<name>`). */
function headersOf(parameters: Readonly<Record<string, boolean | unknown>> | undefined): Record<string, unknown> {
  const headers: Record<string, unknown> = {};
  for (const [expression, required] of Object.entries(parameters ?? {})) {
    const match = /^method\.response\.header\.(.+)$/.exec(expression);
    if (!match) throw new Error(`response parameter ${expression} is not method.response.header.<name>`);
    headers[match[1]] = compact({ schema: { type: "string" }, required: required === true ? true : undefined });
  }
  return headers;
}

/** "x-amazon-apigateway-integration object", with its "x-amazon-apigateway-integration.responses object". */
function integrationOf(entry: MethodEntry, where: string): Record<string, unknown> {
  const integration = entry.integration;
  if (!integration) throw new Error(`${where}: a method needs an integration`);
  const responses: Record<string, unknown> = {};
  for (const response of entry.integrationResponses) {
    // The key is the selection pattern, "default" for the response without one.
    const key = response.selectionPattern === undefined || response.selectionPattern === "" ? "default" : response.selectionPattern;
    if (responses[key]) throw new Error(`${where}: two integration responses select ${key}`);
    responses[key] = compact({
      statusCode: response.statusCode,
      responseTemplates: response.responseTemplates,
      responseParameters: response.responseParameters,
      contentHandling: response.contentHandling,
    });
  }
  return compact({
    type: integration.type.toLowerCase(),
    httpMethod: integration.integrationHttpMethod,
    uri: integration.uri,
    credentials: integration.credentials,
    passthroughBehavior: integration.passthroughBehavior?.toLowerCase(),
    contentHandling: integration.contentHandling,
    requestTemplates: integration.requestTemplates,
    requestParameters: integration.requestParameters,
    timeoutInMillis: integration.timeoutMilliseconds,
    cacheKeyParameters: integration.cacheKeyParameters,
    cacheNamespace: integration.cacheNamespace,
    connectionType: integration.connectionType,
    connectionId: integration.connectionId,
    tlsConfig: integration.tlsConfig && compact({ insecureSkipVerification: integration.tlsConfig.insecureSkipVerification }),
    responses,
  });
}

export interface OpenApiOptions {
  /** With API Gateway's extensions (the body), or the clients' view. */
  readonly aws: boolean;
  /** The server URL (the clients' view). @default none */
  readonly serverUrl?: { readonly url: string; readonly variables?: Record<string, { default: string; description?: string }> };
}

/** The statuses API Gateway itself may answer a method with (its gateway responses), by the method's configuration. */
function gatewayStatuses(entry: MethodEntry, model: ApiModelSpec): Map<string, string[]> {
  const statuses = new Map<string, string[]>();
  const configured = new Map(model.gatewayResponses.map((response) => [response.responseType, response.statusCode]));
  const add = (type: string) => {
    const status = configured.get(type) ?? GATEWAY_RESPONSE_STATUSES[type];
    if (status === undefined) return;
    statuses.set(status, [...(statuses.get(status) ?? []), type]);
  };
  if (entry.method.requestValidatorId !== undefined) {
    if (entry.method.requestModels) add("BAD_REQUEST_BODY");
    if (entry.method.requestParameters) add("BAD_REQUEST_PARAMETERS");
  }
  if (entry.integration?.passthroughBehavior === "NEVER") add("UNSUPPORTED_MEDIA_TYPE");
  add("REQUEST_TOO_LARGE");
  if (entry.method.authorization === "AWS_IAM")
    for (const type of ["MISSING_AUTHENTICATION_TOKEN", "INVALID_SIGNATURE", "EXPIRED_TOKEN", "ACCESS_DENIED"]) add(type);
  if (entry.method.authorization === "CUSTOM" || entry.method.authorization === "COGNITO_USER_POOLS") {
    add("UNAUTHORIZED");
    add("ACCESS_DENIED");
  }
  if (entry.method.apiKeyRequired === true) add("INVALID_API_KEY");
  add("THROTTLED");
  add("INTEGRATION_FAILURE");
  add("INTEGRATION_TIMEOUT");
  return statuses;
}

/** The model as an OpenAPI 3.0 document: the body (with API Gateway's extensions) or the clients' view. */
export function openApiDocument(model: ApiModelSpec, options: OpenApiOptions): Record<string, unknown> {
  const { aws } = options;
  const paths: Record<string, Record<string, unknown>> = {};
  const validatorNames = new Map([...model.validators].map(([id, validator]) => [id, validator.name]));
  for (const entry of model.methods) {
    const httpMethod = entry.method.httpMethod;
    const where = `${httpMethod} /${entry.path}`;
    const responses: Record<string, unknown> = {};
    for (const response of [...entry.methodResponses].sort((a, b) => a.statusCode.localeCompare(b.statusCode))) {
      const models = Object.entries(response.responseModels ?? {});
      // The clients' view: a success is the workflow's JSON (any), an error the routes' JSON error.
      const clientSchema = /^2/.test(response.statusCode) ? {} : { $ref: "#/components/schemas/Error" };
      responses[response.statusCode] = compact({
        description: `${response.statusCode} response`,
        headers: headersOf(response.responseParameters),
        content: Object.fromEntries(
          models.map(([contentType, name]) => [
            contentType,
            { schema: aws ? { $ref: `#/components/schemas/${model.modelNames.get(name) ?? name}` } : clientSchema },
          ]),
        ),
      });
    }
    if (!aws) {
      // What API Gateway answers itself before or instead of the integration (gateway-responses.ts).
      for (const [status, types] of gatewayStatuses(entry, model)) {
        if (responses[status]) continue;
        responses[status] = {
          description: `API Gateway's own answer: ${types.join(", ")}`,
          content: { "application/json": { schema: { $ref: "#/components/schemas/GatewayError" } } },
        };
      }
    }
    const security = securityOf(entry, model, where);
    const operation = compact({
      operationId: entry.method.operationName,
      parameters: Object.entries(entry.method.requestParameters ?? {}).map(([expression, required]) => parameterOf(expression, required)),
      requestBody: requestBodyOf(entry, model),
      responses,
      security,
      "x-amazon-apigateway-request-validator":
        aws && entry.method.requestValidatorId !== undefined ? validatorNames.get(entry.method.requestValidatorId) : undefined,
      "x-amazon-apigateway-integration": aws ? integrationOf(entry, where) : undefined,
    });
    if ((operation.parameters as unknown[]).length === 0) delete operation.parameters;
    const pathKey = `/${entry.path}`;
    paths[pathKey] ??= {};
    const key = httpMethod.toLowerCase();
    if (paths[pathKey][key]) throw new Error(`two methods serve ${where}`);
    paths[pathKey][key] = operation;
  }
  const schemas: Record<string, unknown> = {};
  for (const spec of model.models) {
    const schema = schemaOf(spec.schema);
    if (!aws) delete schema.$schema;
    schemas[spec.name] = schema;
  }
  if (aws) schemas.Empty = EMPTY_SCHEMA;
  else {
    // The JSON errors of the routes (templates/mappings) and of API Gateway (gateway-response.json.tftpl).
    schemas.Error = {
      type: "object",
      properties: { error: { type: "string" }, message: { type: "string" }, cause: { type: "string" } },
    };
    schemas.GatewayError = {
      type: "object",
      required: ["error", "message"],
      properties: { error: { type: "string" }, message: { type: "string" }, detail: { type: "string" } },
    };
  }
  const sortedPaths = Object.fromEntries(Object.entries(paths).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  const document: Record<string, unknown> = compact({
    openapi: "3.0.1",
    info: compact({ title: model.name, description: model.description, version: "1" }),
    servers: options.serverUrl ? [compact(options.serverUrl as unknown as Record<string, unknown>)] : undefined,
    paths: sortedPaths,
    components: compact({ schemas, securitySchemes: securitySchemes(model, aws) }),
  });
  if (!aws) return document;
  const validators = Object.fromEntries(
    [...model.validators.values()].map((v) => [
      v.name,
      { validateRequestBody: v.validateRequestBody ?? false, validateRequestParameters: v.validateRequestParameters ?? false },
    ]),
  );
  const gatewayResponses = Object.fromEntries(
    model.gatewayResponses.map((response) => [
      response.responseType,
      compact({
        statusCode: response.statusCode,
        responseParameters: response.responseParameters,
        responseTemplates: response.responseTemplates,
      }),
    ]),
  );
  return compact({
    ...document,
    // "x-amazon-apigateway-endpoint-configuration object" (the default endpoint, a private API's VPC
    // endpoints): "For OpenAPI 3.0, it should be present under the vendor extensions of the Server
    // object". The URL is the API's root: the import ignores a base path (ImportRestApi, basepath=ignore).
    servers: [
      {
        url: "/",
        "x-amazon-apigateway-endpoint-configuration": compact({
          disableExecuteApiEndpoint: model.disableExecuteApiEndpoint,
          vpcEndpointIds: model.vpcEndpointIds.length > 0 ? [...model.vpcEndpointIds] : undefined,
        }),
      },
    ],
    // "x-amazon-apigateway-api-key-source property": where API keys come from.
    "x-amazon-apigateway-api-key-source": model.apiKeySource,
    // "x-amazon-apigateway-policy": the resource policy. In the body, not beside it: PutRestApi in
    // overwrite mode clears a policy the definition does not hold (hashicorp/terraform-provider-aws
    // issue 49672, PR 48118).
    "x-amazon-apigateway-policy": model.policy,
    "x-amazon-apigateway-request-validators": validators,
    "x-amazon-apigateway-gateway-responses": gatewayResponses,
  });
}

/**
 * A document as the text of a Terraform string: JSON whose strings keep their references (cdktf
 * tokens, resolved by cdktf into `${...}` interpolations Terraform fills at plan time) and their
 * escapes (`$${`, `%%{`) as they are. A reference standing for a number, a list or a boolean is
 * written unquoted (a list as jsonencode()), so the rendered text is JSON of the right type.
 *
 * `hclOutput`: multi-line text (a mapping template) ends in one newline in the JSON output and in
 * none in the HCL output, whose heredoc adds it (template-files.ts): here it sits in one JSON
 * string, so the newline is put back.
 */
export function terraformJsonText(document: unknown, hclOutput: boolean): string {
  const raw: string[] = [];
  const marker = (text: string) => {
    raw.push(text);
    return `\uE000${raw.length - 1}\uE001`;
  };
  const prepare = (value: unknown): unknown => {
    if (typeof value === "string") return hclOutput && value.includes("\n") && !value.endsWith("\n") ? `${value}\n` : value;
    if (typeof value === "number") return Token.isUnresolved(value) ? marker(Token.asString(value)) : value;
    if (typeof value === "boolean" || value === null || value === undefined) return value;
    if (Array.isArray(value)) {
      if (value.length === 1 && typeof value[0] === "string" && Tokenization.reverseList(value as string[]))
        return marker(Token.asString(Fn.jsonencode(value)));
      return value.map(prepare);
    }
    if (Tokenization.isResolvable(value)) return marker(Token.asString(value));
    return Object.fromEntries(Object.entries(value as Record<string, unknown>).map(([key, inner]) => [key, prepare(inner)]));
  };
  return JSON.stringify(prepare(document)).replace(/"\uE000(\d+)\uE001"/g, (_, index: string) => raw[Number(index)]);
}

/** The clients' text of a document (no Terraform escapes left): `$${` is `${`, `%%{` is `%{`. */
export function clientJsonText(document: unknown): string {
  const plain = (value: unknown): unknown => {
    if (typeof value === "string") {
      if (Token.isUnresolved(value)) throw new Error(`the clients' OpenAPI document holds a Terraform reference: ${value}`);
      return value.replace(/([$%])\1\{/g, "$1{");
    }
    if (Array.isArray(value)) return value.map(plain);
    if (typeof value === "object" && value !== null) {
      return Object.fromEntries(Object.entries(value).map(([key, inner]) => [key, plain(inner)]));
    }
    return value;
  };
  return `${JSON.stringify(plain(document), null, 2)}\n`;
}
